"""The bibliography: one file, every entry identified, every citation rendered and resolved."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, BuiltSite, build, chapter_sources, chapter_url
from guide.bibliography import BibliographyError, isbn_is_valid, load, parse

GOOD = {"key": "liu2006", "type": "article", "title": "A title", "doi": "10.1016/S0140-6736(06)68614-5"}


def test_bibliography__project_file_is_valid_and_large_enough() -> None:
    sources = load(ROOT / "data/bibliography.yaml")
    assert len(sources) >= 25


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([GOOD, GOOD], "liu2006: duplicate key"),
        ([{**GOOD, "doi": ""}], "liu2006: no identifier"),
        ([{**GOOD, "doi": "10.1016"}], "liu2006: malformed DOI"),
        ([{**GOOD, "doi": "doi:10.1016/x"}], "liu2006: malformed DOI"),
        ([{**GOOD, "pmid": "PMID123"}], "liu2006: malformed PMID"),
        ([{**GOOD, "isbn": "9783030771103"}], "liu2006: invalid ISBN"),
        ([{**GOOD, "type": "web", "doi": ""}], "liu2006: no identifier"),
        ([{**GOOD, "colour": "red"}], "liu2006: unknown fields colour"),
        ([{**GOOD, "key": "bad key"}], "no valid key"),
    ],
)
def test_parse__rejects_bad_entry(entries: list, message: str) -> None:
    with pytest.raises(BibliographyError, match=re.escape(message)):
        parse(entries, "test")


@pytest.mark.parametrize(
    "entry",
    [GOOD, {**GOOD, "doi": "", "pmid": "16650651"}, {**GOOD, "doi": "", "isbn": "9783030771102"},
     {**GOOD, "doi": "", "type": "web", "url": "https://www.ema.europa.eu/x"}],
)
def test_parse__accepts_identified_entry(entry: dict) -> None:
    assert list(parse([entry], "test")) == ["liu2006"]


@pytest.mark.parametrize(("isbn", "valid"), [("9783030771102", True), ("978-3-030-77110-2", True),
                                             ("9783030771103", False), ("0306406152", True),
                                             ("0306406153", False), ("123", False)])
def test_isbn_is_valid__checks_the_check_digit(isbn: str, valid: bool) -> None:
    assert isbn_is_valid(isbn) is valid


def cited_keys(html: str) -> list[str]:
    tree = LexborHTMLParser(html)
    return [a.attributes["href"].split("#ref-")[1] for a in tree.css("sup.cite a")]


@pytest.fixture(scope="module")
def reference_ids(built_site: BuiltSite) -> set[str]:
    references = LexborHTMLParser(built_site.html("references/"))
    return {node.attributes["id"] for node in references.css("li[id^=ref-]")}


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_chapter__citations_rendered_and_resolve(
    built_site: BuiltSite, reference_ids: set[str], source: Path
) -> None:
    html = built_site.html(chapter_url(source))
    article = LexborHTMLParser(html).css_first("article").text()
    assert "[@" not in article, "a citation marker was left unrendered"
    keys = cited_keys(html)
    assert {f"ref-{k}" for k in keys} <= reference_ids
    listed = [a.attributes["href"].split("#ref-")[1]
              for a in LexborHTMLParser(html).css(".trt-sources a")]
    assert listed == list(dict.fromkeys(keys)), "the chapter's source list follows its citations"


MINIMUM_SOURCES = {"academic": 8, "intermediate": 3}


@pytest.mark.parametrize("source", [p for p in chapter_sources() if p.parent.name in MINIMUM_SOURCES],
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_chapter__cites_enough_distinct_sources(built_site: BuiltSite, source: Path) -> None:
    keys = set(cited_keys(built_site.html(chapter_url(source))))
    assert len(keys) >= MINIMUM_SOURCES[source.parent.name]


def test_references_page__every_entry_with_id_identifier_and_backlinks(built_site: BuiltSite) -> None:
    tree = LexborHTMLParser(built_site.html("references/"))
    entries = {n.attributes["id"].removeprefix("ref-"): n for n in tree.css("li[id^=ref-]")}
    sources = load(ROOT / "data/bibliography.yaml")
    assert set(entries) == set(sources)
    for key, node in entries.items():
        hrefs = [a.attributes.get("href", "") for a in node.css("a")]
        if sources[key].doi:
            assert f"https://doi.org/{sources[key].doi}" in hrefs
        if sources[key].pmid:
            assert f"https://pubmed.ncbi.nlm.nih.gov/{sources[key].pmid}/" in hrefs
    cited = [key for key, node in entries.items() if node.css_first(".trt-cited-in")]
    assert len(cited) >= 20
    backlink = entries["liu2006"].css_first(".trt-cited-in a").attributes["href"]
    assert re.fullmatch(r"\.\./[a-z]+/[a-z-]+/(#[a-z0-9-]+)?", backlink)


def break_first_chapter(project: Path, old: str, new: str) -> None:
    chapter = project / "docs" / chapter_sources()[0].relative_to(ROOT / "docs")
    text = chapter.read_text(encoding="utf-8")
    assert old in text
    chapter.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("new", "message"),
    [("[@nosuchsource2099]", "unknown citation key 'nosuchsource2099'"),
     ("[@bhasin2018, liu2006]", "malformed citation")],
)
def test_build__fails_on_bad_citation(project_copy: Path, tmp_path: Path, new: str, message: str) -> None:
    text = (project_copy / "docs" / chapter_sources()[0].relative_to(ROOT / "docs")).read_text()
    first = re.search(r"\[@[^\]]+\]", text).group(0)
    break_first_chapter(project_copy, first, new)
    result = build(project_copy, tmp_path / "out")
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(("change", "message"), [
    (lambda entries: entries[0].update(doi="not-a-doi"), "malformed DOI 'not-a-doi'"),
    (lambda entries: entries.append({**GOOD, "key": "nobodycites2020"}),
     "source 'nobodycites2020' is not cited by any page"),
], ids=["malformed-doi", "uncited-source"])
def test_build__fails_on_a_broken_bibliography(project_copy: Path, tmp_path: Path, change, message) -> None:
    path = project_copy / "data/bibliography.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(entries)
    path.write_text(yaml.safe_dump(entries), encoding="utf-8")
    result = build(project_copy, tmp_path / "out")
    assert result.returncode != 0
    assert message in result.stderr
