"""Guideline grade markers: only grades a guideline uses, always with a citation, rendered as an
outlined label whose words (not its colour) say the grade and which links to their explanation."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import build, copy_project
from guide.evidence import Grade, GradeError, parse_grade, render_markers

LINK = "../about/editorial-policy.md#evidence-grades"


@pytest.mark.parametrize(("body", "label"), [
    (" AUA/ASRM | Strong recommendation | Grade B", "AUA/ASRM: Strong recommendation, Grade B"),
    ("AUA/ASRM | Conditional recommendation | Grade C", "AUA/ASRM: Conditional recommendation, Grade C"),
    ("AUA | Expert Opinion", "AUA: Expert Opinion"),
    ("AUA/ASRM | Clinical Principle", "AUA/ASRM: Clinical Principle"),
    ("Endocrine Society | Weak recommendation | Low-quality evidence",
     "Endocrine Society: Weak recommendation, Low-quality evidence"),
])
def test_parse_grade__accepts_the_guidelines_own_grades(body, label) -> None:
    assert parse_grade(body).label == label


@pytest.mark.parametrize("body", [
    "AUA/ASRM | Strong recommendation",                     # evidence grade missing
    "AUA/ASRM | Strong recommendation | Grade D",            # no such grade
    "AUA/ASRM | Strong | Grade B",                           # not the guideline's words
    "AUA/ASRM | Expert Opinion | Grade C",                   # an opinion has no evidence grade
    "Endocrine Society | Strong recommendation | Grade B",   # AUA's scale, not GRADE's
    "EAU | Strong recommendation | Grade B",                 # a guideline the scheme list lacks
    "",
])
def test_parse_grade__rejects_what_the_guideline_does_not_say(body) -> None:
    with pytest.raises(GradeError):
        parse_grade(body)


def test_render_markers__label_links_to_explanation_and_keeps_the_citation() -> None:
    text = "Do X [[grade: AUA/ASRM | Strong recommendation | Grade B]][@aua2024]."
    assert render_markers(text, LINK) == (
        'Do X [<span class="trt-visually-hidden">Guideline grade: </span>'
        "AUA/ASRM: Strong recommendation, Grade B](../about/editorial-policy.md#evidence-grades)"
        "{ .trt-grade }[@aua2024].")


@pytest.mark.parametrize("text", [
    "Do X [[grade: AUA/ASRM | Expert Opinion]].",            # no citation
    "Do X [[grade: AUA/ASRM | Expert Opinion]] [@a].",       # citation not right after it
    "Do X [[Grade: AUA/ASRM | Expert Opinion]][@a].",        # not the marker's spelling
    "Do X [[grade AUA/ASRM | Expert Opinion]][@a].",         # colon missing
    "Do X [[grade: AUA/ASRM | Expert Opinion][@a].",         # left open
])
def test_render_markers__malformed_marker_is_an_error(text) -> None:
    with pytest.raises(GradeError):
        render_markers(text, LINK)


@pytest.mark.parametrize("text", [
    "`[[grade: nonsense]][@a]`\n\n```text\n[[grade: AUA | Grade Z]]\n```\n",
    "Before.\n\n~~~text\n[[grade: AUA | Grade Z]]\n[[grade: AUA/ASRM | Expert Opinion]][@a]\n~~~\n\nAfter.\n",
], ids=["backticks", "tildes"])
def test_render_markers__code_is_left_as_written(text: str) -> None:
    assert render_markers(text, LINK) == text


def test_render_markers__a_marker_between_two_tilde_fences_is_rendered() -> None:
    fence = "~~~\n[[grade: x]]\n~~~\n"
    text = f"{fence}\nDo X [[grade: AUA | Expert Opinion]][@a].\n\n{fence}"
    rendered = render_markers(text, LINK)
    assert rendered.startswith(fence) and rendered.endswith(fence)
    assert "AUA: Expert Opinion](" + LINK + "){ .trt-grade }[@a]." in rendered


def chapter_with(project: Path, marker: str) -> Path:
    chapter = project / "docs" / "fundamentals" / "protecting-fertility.md"
    text = chapter.read_text(encoding="utf-8")
    anchor = "[@"
    start = text.index(anchor, text.index("## "))
    chapter.write_text(text[:start] + marker + text[start:], encoding="utf-8")
    return chapter


def test_build__grade_marker_renders_as_an_accessible_label(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    chapter_with(project, "[[grade: AUA/ASRM | Expert Opinion]]")
    result = build(project, tmp_path / "built")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "built/fundamentals/protecting-fertility/index.html").read_text()
    label = LexborHTMLParser(html).css_first("article a.trt-grade")
    assert label is not None
    assert label.text() == "Guideline grade: AUA/ASRM: Expert Opinion"
    assert label.attributes["href"] == "../../about/editorial-policy/#evidence-grades"
    assert label.next.css_first("a").attributes["href"].startswith("../../references/#ref-")


def test_build__malformed_grade_marker_stops_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    chapter_with(project, "[[grade: AUA/ASRM | Strong recommendation | Grade E]]")
    result = build(project, tmp_path / "built")
    assert result.returncode != 0
    assert "fundamentals/protecting-fertility.md" in result.stderr
    assert "is not a grade AUA/ASRM uses" in result.stderr


def test_grade__label_names_guideline_strength_and_evidence() -> None:
    assert Grade("AUA", "Moderate recommendation", "Grade A").label == (
        "AUA: Moderate recommendation, Grade A")
