"""The glossary: 40+ terms with stable ids, linked from chapters, searchable, back-referenced."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import textstat
import yaml
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, BuiltSite, build, chapter_sources, chapter_url
from guide.glossary import GlossaryError, TermFinder, load, parse

REQUIRED_IDS_FOR = [
    "HPG axis", "hypothalamus", "pituitary gland", "GnRH", "LH", "FSH", "testosterone",
    "intratesticular testosterone", "Leydig cell", "Sertoli cell", "spermatogenesis",
    "negative feedback", "estradiol", "aromatase", "aromatase inhibitor", "anastrozole", "SERM",
    "clomiphene", "enclomiphene", "tamoxifen", "hCG", "FSH therapy", "gonadorelin",
    "pulsatile secretion", "hypogonadism", "hypogonadotropic hypogonadism",
    "exogenous testosterone", "anabolic-androgenic steroids", "TRT", "azoospermia",
    "oligozoospermia", "semen analysis", "sperm concentration", "sperm banking", "IVF", "ICSI",
    "micro-TESE", "off-label use", "testicular atrophy", "reproductive urologist", "endocrinologist",
]
TERMS = load(ROOT / "data/glossary.yaml")
ENTRY = {"id": "lh", "term": "LH", "long": "luteinizing hormone", "definition": "A hormone.",
         "explained_in": "how-the-body-makes-sperm"}


@pytest.fixture(scope="module")
def glossary_page(built_site: BuiltSite) -> LexborHTMLParser:
    return LexborHTMLParser(built_site.html("glossary/"))


def test_glossary__has_every_required_term() -> None:
    headwords = {t.term for t in TERMS.values()}
    assert not [term for term in REQUIRED_IDS_FOR if term not in headwords]
    assert len(TERMS) >= 40


@pytest.mark.parametrize("term_id", sorted(TERMS))
def test_glossary_definition__reads_at_grade_8_or_lower(term_id: str) -> None:
    assert textstat.flesch_kincaid_grade(TERMS[term_id].definition) <= 8.0


def test_glossary_page__one_heading_with_stable_id_per_term(glossary_page) -> None:
    ids = [h.attributes["id"] for h in glossary_page.css("article h2[id]")]
    assert ids == sorted(TERMS, key=lambda i: TERMS[i].term.lower())
    fsh = glossary_page.css_first("h2#fsh").text()
    assert "FSH (follicle-stimulating hormone)" in fsh


def test_search_index__one_entry_per_term_found_by_short_and_long_name(built_site) -> None:
    docs = json.loads((built_site.root / "search/search_index.json").read_text())["docs"]
    entries = {d["location"].split("#")[1]: d for d in docs
               if d["location"].startswith("glossary/#")}
    assert set(entries) == set(TERMS)
    assert "follicle-stimulating hormone" in entries["fsh"]["title"]
    assert entries["fsh"]["title"].startswith("FSH")


def test_glossary_page__entry_links_chapters_and_lists_pages_using_it(
    built_site: BuiltSite, glossary_page
) -> None:
    heading = glossary_page.css_first("h2#hcg")
    paragraphs, node = [], heading.next
    while node is not None and node.tag != "h2":
        if node.tag == "p":
            paragraphs.append(node)
        node = node.next
    text = " ".join(p.text() for p in paragraphs)
    assert "Explained in:" in text and "Used on:" in text
    used_on = [a.attributes["href"] for p in paragraphs if p.text().startswith("Used on:")
               for a in p.css("a")]
    pages_linking = {
        f"../{chapter_url(s)}" for s in chapter_sources()
        if LexborHTMLParser(built_site.html(chapter_url(s))).css_first('a.trt-term[href$="#hcg"]')
    }
    assert pages_linking and pages_linking <= set(used_on)


def test_chapters__link_first_use_of_terms_with_their_definition(built_site: BuiltSite) -> None:
    html = built_site.html("fundamentals/how-the-body-makes-sperm/")
    links = LexborHTMLParser(html).css("article a.trt-term")
    targets = [a.attributes["href"].split("#")[1] for a in links]
    assert len(targets) == len(set(targets)), "only the first use on a page is linked"
    for multiword in ("hpg-axis", "negative-feedback"):
        assert multiword in targets
    lh = next(a for a in links if a.attributes["href"].endswith("#lh"))
    assert lh.attributes["href"] == "../../glossary/#lh"
    assert lh.attributes["data-tip"] == TERMS["lh"].tooltip()


def test_chapters__no_term_linked_inside_headings_links_or_source_lists(built_site) -> None:
    for source in chapter_sources():
        tree = LexborHTMLParser(built_site.html(chapter_url(source)))
        assert not tree.css("h1 a.trt-term, h2 a.trt-term, h3 a.trt-term, a a.trt-term, "
                            ".trt-sources a.trt-term, .admonition-title a.trt-term")


def test_term_finder__matches_plurals_and_case_rules() -> None:
    finder = TermFinder(TERMS)
    found = [term for _, term in finder.find(
        "Two Leydig cells. The HPG axis. Negative feedback. lh is not LH. SERMs help.")]
    assert found == ["leydig-cell", "hpg-axis", "negative-feedback", "lh", "serm"]


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([ENTRY, ENTRY], "lh: duplicate id"),
        ([{**ENTRY, "id": "Bad Id"}], "needs an id"),
        ([{**ENTRY, "see": ["fsh"]}], "see 'fsh' has no entry"),
        ([{**ENTRY, "explained_in": "nowhere"}], "is not a chapter"),
        ([ENTRY, {**ENTRY, "id": "lh2", "term": "LH2", "long": "", "aliases": ["LH"]}],
         "'LH' is already a form of 'lh'"),
        ([{**ENTRY, "definition": ""}], "lh: no definition"),
    ],
)
def test_parse__rejects_bad_entry(entries: list, message: str) -> None:
    with pytest.raises(GlossaryError, match=re.escape(message)):
        parse(entries, "test")


CHAPTER_ADDITIONS = {
    "abbreviation the glossary lacks": ("\nSome men have a low sperm motility index (SMIX).\n",
                                        "glossary has no entry for SMIX"),
    "link to a missing entry": ("\nSee [the entry](../glossary.md#no-such-term).\n", "no-such-term"),
}


@pytest.mark.parametrize("case", CHAPTER_ADDITIONS, ids=str)
def test_build__fails_when_a_chapter_has(project_copy: Path, tmp_path: Path, case: str) -> None:
    addition, message = CHAPTER_ADDITIONS[case]
    chapter = project_copy / "docs" / chapter_sources()[0].relative_to(ROOT / "docs")
    with chapter.open("a", encoding="utf-8") as handle:
        handle.write(addition)
    result = build(project_copy, tmp_path / "out")
    assert result.returncode != 0
    assert message in result.stderr


def test_build__fails_on_a_broken_glossary(project_copy: Path, tmp_path: Path) -> None:
    path = project_copy / "data/glossary.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries[1]["id"] = entries[0]["id"]
    path.write_text(yaml.safe_dump(entries), encoding="utf-8")
    result = build(project_copy, tmp_path / "out")
    assert result.returncode != 0
    assert "duplicate id" in result.stderr


RICH_PAGE = """---
title: Rich page
description: A page full of glossary terms inside admonitions, tabs and tables.
tier: fundamentals
reviewed: 2026-11-01
---

# Rich page

!!! warning "About hCG and LH"
    The HPG axis uses negative feedback. hCG acts like LH on Leydig cells.

=== "FSH"

    FSH acts on Sertoli cells.

=== "Estradiol"

    Aromatase makes estradiol.

| Medicine | Acts on |
| --- | --- |
| clomiphene | the pituitary gland |
| anastrozole | aromatase |
"""


def test_glossary_links__leave_admonitions_tabs_and_tables_intact(
    project_copy: Path, tmp_path: Path
) -> None:
    (project_copy / "docs/fundamentals/rich-page.md").write_text(RICH_PAGE, encoding="utf-8")
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "      - Talking with your doctor: fundamentals/talking-with-your-doctor.md\n",
        "      - Talking with your doctor: fundamentals/talking-with-your-doctor.md\n"
        "      - Rich page: fundamentals/rich-page.md\n"))
    result = build(project_copy, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    tree = LexborHTMLParser((tmp_path / "out/fundamentals/rich-page/index.html").read_text())
    admonition = tree.css_first("article .admonition.warning")
    assert admonition.css_first(".admonition-title").text() == "About hCG and LH"
    assert admonition.css("a.trt-term")
    assert len(tree.css("article .tabbed-set .tabbed-block")) == 2
    assert tree.css_first("article .tabbed-set a.trt-term")
    assert len(tree.css("article table tbody tr")) == 2
    assert tree.css_first("article table a.trt-term")
