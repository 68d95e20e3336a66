"""What a chapter is, and what its front matter must say.

A chapter is any page inside a tier folder other than the tier's index. A chapter without a
valid `reviewed:` date, or with front matter we do not understand, stops the build: a health
page must never be published without saying how current it is.
"""

from __future__ import annotations

import datetime as dt

TIERS = {"fundamentals": "Fundamentals", "intermediate": "Intermediate", "academic": "Academic"}
CHAPTER_KEYS = {"title", "description", "tier", "reviewed"}
# Keys a chapter may leave out. `summaries:` maps section ids to the summary that section's entry
# on a printed handout gives (checked by the post-build step, guide.finish, where section ids are known).
OPTIONAL_CHAPTER_KEYS = {"summaries"}
REVIEW_INTERVAL = dt.timedelta(days=365)
DESCRIPTION_LIMIT = 160


class ChapterError(ValueError):
    """A chapter's front matter the build cannot publish; the message is one line."""


def page_tier(src_uri: str) -> str | None:
    top = src_uri.split("/", 1)[0]
    return top if top in TIERS and "/" in src_uri else None


def is_chapter(src_uri: str) -> bool:
    tier, _, name = src_uri.partition("/")
    return tier in TIERS and bool(name) and "/" not in name and name != "index.md"


def review_date(value: object, where: str) -> dt.date:
    """The page's review date; a missing, malformed or future date is an error."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise ChapterError(f"{where}: 'reviewed: {value}' is not a date (YYYY-MM-DD)") from None
    if not isinstance(value, dt.date):
        raise ChapterError(f"{where}: front matter needs 'reviewed: YYYY-MM-DD' (got {value!r})")
    if value > dt.date.today():
        raise ChapterError(f"{where}: 'reviewed: {value}' is in the future")
    return value


def date_text(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def review_texts(reviewed: dt.date) -> dict[str, str]:
    """The review date and the next one (a year on), as ISO dates and as readers see them."""
    due = reviewed + REVIEW_INTERVAL
    return {"date": reviewed.isoformat(), "text": date_text(reviewed),
            "next_date": due.isoformat(), "next_text": date_text(due)}


def check_chapter_meta(meta: dict, src_uri: str) -> None:
    missing = CHAPTER_KEYS - meta.keys()
    if missing:
        raise ChapterError(f"{src_uri}: front matter lacks {', '.join(sorted(missing))}")
    unknown = meta.keys() - CHAPTER_KEYS - OPTIONAL_CHAPTER_KEYS
    if unknown:
        raise ChapterError(f"{src_uri}: unknown front matter keys {', '.join(sorted(unknown))}")
    if meta["tier"] != page_tier(src_uri):
        raise ChapterError(f"{src_uri}: 'tier: {meta['tier']}' does not match its folder")
    if len(str(meta["description"])) > DESCRIPTION_LIMIT:
        raise ChapterError(f"{src_uri}: description is longer than {DESCRIPTION_LIMIT} characters")
