"""What a chapter is and what its front matter must say (guide.chapters), without a build."""

from __future__ import annotations

import datetime as dt

import pytest

from guide.chapters import ChapterError, date_text, is_chapter, review_date, review_texts


def test_review_date__today_is_accepted_tomorrow_is_not() -> None:
    today = dt.date.today()
    assert review_date(today, "x.md") == today
    assert review_date(today.isoformat(), "x.md") == today
    with pytest.raises(ChapterError, match="is in the future"):
        review_date(today + dt.timedelta(days=1), "x.md")


def test_review_date__a_datetime_counts_as_its_day() -> None:
    # YAML reads `reviewed: 2026-11-27 09:00` as a datetime, which is also a date.
    assert review_date(dt.datetime(2026, 11, 27, 9, 0), "x.md") == dt.date(2026, 11, 27)
    assert review_date(dt.datetime(2026, 11, 27, 9, 0), "x.md").isoformat() == "2026-11-27"


@pytest.mark.parametrize(("value", "message"), [
    (None, "needs 'reviewed: YYYY-MM-DD'"), ("27/11/2026", "is not a date"), (20261127, "needs"),
])
def test_review_date__anything_else_stops_naming_the_page(value: object, message: str) -> None:
    with pytest.raises(ChapterError, match=f"^fundamentals/x.md: .*{message}"):
        review_date(value, "fundamentals/x.md")


def test_review_texts__as_readers_see_them_a_year_on() -> None:
    assert date_text(dt.date(2026, 3, 5)) == "5 March 2026"
    assert review_texts(dt.date(2026, 3, 5)) == {"date": "2026-03-05", "text": "5 March 2026",
                                                 "next_date": "2027-03-05", "next_text": "5 March 2027"}


@pytest.mark.parametrize(("src", "expected"), [
    ("fundamentals/x.md", True), ("academic/x.md", True), ("fundamentals/index.md", False),
    ("about/x.md", False), ("index.md", False), ("fundamentals/sub/x.md", False), ("fundamentals", False),
])
def test_is_chapter(src: str, expected: bool) -> None:
    assert is_chapter(src) is expected
