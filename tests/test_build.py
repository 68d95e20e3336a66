"""The site builds strictly, every nav entry exists, and every chapter carries its notice."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from mkdocs.config import load_config
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, BuiltSite, build, chapter_sources, chapter_url


def nav_sources(entries: list) -> list[str]:
    found = []
    for entry in entries:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        found += nav_sources(value) if isinstance(value, list) else [value]
    return found


def built_path(source: str) -> str:
    stem = source.removesuffix(".md")
    return stem.removesuffix("index") if stem.endswith("index") else stem + "/"


def front_matter(source: Path) -> dict:
    return yaml.safe_load(source.read_text(encoding="utf-8").split("---\n", 2)[1])


def test_build__strict_with_zero_warnings(built_site: BuiltSite) -> None:
    assert not re.findall(r"^(?:WARNING|ERROR).*", built_site.log, flags=re.M)


def test_nav__has_one_tab_per_tier_plus_glossary_references_about() -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    tabs = [next(iter(entry)) for entry in config["nav"] if isinstance(entry, dict)]
    assert tabs == ["Home", "Fundamentals", "Intermediate", "Academic",
                    "Glossary", "References", "About"]


def test_nav__every_entry_is_built(built_site: BuiltSite) -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    sources = nav_sources(config["nav"])
    assert len(sources) > 10
    missing = [s for s in sources if not built_site.page(built_path(s)).is_file()]
    assert not missing


def test_nav__each_tier_has_an_index_page() -> None:
    for tier in ("fundamentals", "intermediate", "academic"):
        assert (ROOT / "docs" / tier / "index.md").is_file()


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_chapter__shows_notice_and_review_date(built_site: BuiltSite, source: Path) -> None:
    tree = LexborHTMLParser(built_site.html(chapter_url(source)))
    notice = tree.css_first("article .trt-notice")
    assert notice is not None
    assert "Information, not medical advice." in notice.text()
    reviewed = notice.css_first("time[datetime]").attributes["datetime"]
    assert dt.date.fromisoformat(reviewed) == front_matter(source)["reviewed"]
    footer = tree.css_first("article .trt-review-footer")
    assert footer is not None and "Next review due" in footer.text()
    # The editorial policy promises a review at least once a year: the footer shows exactly the
    # front matter's date and that date plus one year (365 days), never a date from the build day.
    shown = [dt.date.fromisoformat(t.attributes["datetime"]) for t in footer.css("time[datetime]")]
    texts = [t.text(strip=True) for t in footer.css("time[datetime]")]
    reviewed_on = front_matter(source)["reviewed"]
    assert shown == [reviewed_on, reviewed_on + dt.timedelta(days=365)]
    assert texts == [f"{d.day} {d:%B %Y}" for d in shown]


def test_chapters__exist_in_every_tier() -> None:
    tiers = {p.parent.name for p in chapter_sources()}
    assert tiers == {"fundamentals", "intermediate", "academic"}


BREAKAGES = {
    "broken link": ("docs/about/index.md", "\n[gone](no-such-page.md)\n", "no-such-page.md"),
    "missing anchor": ("docs/about/index.md", "\n[gone](disclaimer.md#no-such-section)\n",
                       "no-such-section"),
    "missing same-page anchor": ("docs/about/index.md", "\n[gone](#nowhere)\n", "nowhere"),
}


@pytest.mark.parametrize("breakage", BREAKAGES, ids=str)
def test_strict_build__fails_on(project_copy: Path, tmp_path: Path, breakage: str) -> None:
    page, addition, named = BREAKAGES[breakage]
    with (project_copy / page).open("a", encoding="utf-8") as handle:
        handle.write(addition)
    result = build(project_copy, tmp_path / "out")
    assert result.returncode != 0
    assert named in result.stderr


def test_strict_build__passes_on_an_unbroken_copy(project_copy: Path, tmp_path: Path) -> None:
    with (project_copy / "docs/about/index.md").open("a", encoding="utf-8") as handle:
        handle.write("\n[fine](disclaimer.md#information-not-advice)\n")
    assert build(project_copy, tmp_path / "out").returncode == 0


REVIEW_DATES = {
    "missing": ("reviewed: 2026-11-27\n", "", "lacks reviewed"),
    "malformed": ("reviewed: 2026-11-27\n", "reviewed: 27/11/2026\n", "is not a date"),
    "in the future": ("reviewed: 2026-11-27\n", "reviewed: 2999-01-01\n", "in the future"),
}


@pytest.mark.parametrize("case", REVIEW_DATES, ids=str)
def test_chapter_review_date__bad_value_fails_build(
    project_copy: Path, tmp_path: Path, case: str
) -> None:
    old, new, message = REVIEW_DATES[case]
    chapter = project_copy / "docs" / chapter_sources()[0].relative_to(ROOT / "docs")
    text = re.sub(r"^reviewed: .*\n", old, chapter.read_text(encoding="utf-8"), flags=re.M)
    chapter.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = build(project_copy, tmp_path / "out")
    assert result.returncode != 0
    assert message in result.stderr
