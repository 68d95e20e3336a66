"""Reading level of each chapter, measured on the built HTML with textstat."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BuiltSite, chapter_sources, chapter_url
from guide.readability import grade, prose_text

GRADE_LIMITS = {"fundamentals": 8.0, "intermediate": 12.0}
LIMITED = [p for p in chapter_sources() if p.parent.name in GRADE_LIMITS]


@pytest.mark.parametrize("source", LIMITED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_chapter__reading_grade_within_tier_limit(built_site: BuiltSite, source: Path) -> None:
    html = built_site.html(chapter_url(source))
    assert len(prose_text(html).split()) > 300, "too little prose to measure"
    assert grade(html) <= GRADE_LIMITS[source.parent.name]


def test_prose_text__leaves_out_notice_tables_titles_and_citations() -> None:
    html = (
        "<article><aside class='trt-notice'><p>Notice words.</p></aside>"
        "<div class='admonition'><p class='admonition-title'>Key points</p></div>"
        "<table><tr><td>cell words</td></tr></table>"
        "<p>Sperm take time [@liu2006].</p><ul><li>A list item</li></ul></article>"
    )
    assert prose_text(html) == "Sperm take time. A list item."


def test_grade__long_words_score_higher_than_short_ones() -> None:
    plain = "<article><p>The body makes sperm. It takes two months. Then they can swim.</p></article>"
    dense = ("<article><p>Exogenous androgen administration suppresses gonadotropin secretion, "
             "consequently diminishing intratesticular testosterone concentrations.</p></article>")
    assert grade(plain) <= 8.0 < grade(dense)
