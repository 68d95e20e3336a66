"""published-links.txt: every address readers hold resolves, and a lost section is caught."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, BuiltSite, build
from guide.published_links import HEADER, main, site_links, update
from sitecheck.problems import Kind
from sitecheck.run import check_site

PUBLISHED = ROOT / "published-links.txt"


def published_entries() -> list[str]:
    lines = PUBLISHED.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def published_problems(site: Path, published: Path = PUBLISHED) -> list:
    return [p for p in check_site(site, published=published).problems if p.kind == Kind.PUBLISHED_BROKEN]


def test_published_links__every_entry_resolves_on_the_built_site(built_site: BuiltSite) -> None:
    assert len(published_entries()) > 200
    assert published_problems(built_site.root) == []


def test_published_links__lists_every_page_and_section_of_the_built_site(built_site: BuiltSite) -> None:
    missing = site_links(built_site.root) - set(published_entries())
    assert not missing, "run `make published-links` and commit published-links.txt"


def test_published_links__is_sorted_with_a_comment_header() -> None:
    text = PUBLISHED.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert published_entries() == sorted(published_entries())
    assert {"./", "glossary/#fsh", "go/after-stopping/",
            "fundamentals/why-trt-lowers-sperm/#how-often-sperm-drop"} <= set(published_entries())


def test_published_links__a_removed_section_id_is_reported(project_copy: Path, tmp_path: Path) -> None:
    chapter = project_copy / "docs/fundamentals/recovery-timeline.md"
    text = chapter.read_text(encoding="utf-8")
    # Renamed with the page's own links (a writer would), but without a redirect.
    text = text.replace("{#why-recovery-takes-months}", "{#why-it-takes-months}")
    chapter.write_text(text.replace("(#why-recovery-takes-months)", "(#why-it-takes-months)"),
                       encoding="utf-8")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    problems = published_problems(tmp_path / "site")
    assert [p.target for p in problems] == ["fundamentals/recovery-timeline/#why-recovery-takes-months"]


def fixture_site(root: Path) -> Path:
    pages = {
        "index.html": '<article><h2 id="start">Start</h2></article>',
        "topic/index.html": ('<nav><h2 id="not-content">Nav</h2></nav><article><h1 id="t">T</h1>'
                             '<h2 id="first">First</h2><h3 id="detail">D</h3><h4 id="deep">x</h4></article>'),
        "references/index.html": '<article><h2 id="books">Books</h2><li id="ref-a">A</li></article>',
        "404.html": '<article><h2 id="lost">Lost</h2></article>',
    }
    for name, html in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f"<html><body>{html}</body></html>", encoding="utf-8")
    return root


def test_site_links__pages_and_their_article_h2_h3_ids_but_no_reference_entries(tmp_path: Path) -> None:
    assert site_links(fixture_site(tmp_path)) == {
        "./", "./#start", "topic/", "topic/#first", "topic/#detail", "references/",
    }


def test_update__adds_new_links_and_keeps_every_existing_line(tmp_path: Path) -> None:
    listed = tmp_path / "published-links.txt"
    listed.write_text("# Our list.\n\ntopic/\ngone/#old-section\n", encoding="utf-8")
    added = update(listed, {"topic/", "topic/#new-section", "./"})
    assert added == ["./", "topic/#new-section"]
    assert listed.read_text(encoding="utf-8") == (
        "# Our list.\n./\ngone/#old-section\ntopic/\ntopic/#new-section\n"
    )
    assert update(listed, {"topic/"}) == []
    assert "gone/#old-section" in listed.read_text(encoding="utf-8")


def test_update__starts_a_missing_list_with_the_header(tmp_path: Path) -> None:
    listed = tmp_path / "new.txt"
    assert update(listed, {"b/", "a/#x"}) == ["a/#x", "b/"]
    assert listed.read_text(encoding="utf-8") == HEADER + "a/#x\nb/\n"


def test_main__updates_the_list_from_a_built_site(tmp_path: Path, capsys) -> None:
    listed = tmp_path / "list.txt"
    assert main([str(fixture_site(tmp_path / "site")), str(listed)]) == 0
    assert re.search(r"6 added, nothing removed", capsys.readouterr().out)
    assert "topic/#detail" in listed.read_text(encoding="utf-8")


def test_main__refuses_a_folder_that_is_not_a_built_site(tmp_path: Path) -> None:
    assert main([str(tmp_path), str(tmp_path / "list.txt")]) == 2
    assert not (tmp_path / "list.txt").exists()


@pytest.mark.parametrize("line", ["topic/#gone", "nowhere/", "./#gone"])
def test_published_problems__fixture_site_reports_a_lost_address(tmp_path: Path, line: str) -> None:
    listed = tmp_path / "list.txt"
    listed.write_text(f"# header\n./#start\ntopic/#first\n{line}\n", encoding="utf-8")
    assert [p.target for p in published_problems(fixture_site(tmp_path / "site"), listed)] == [line]
