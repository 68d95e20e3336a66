"""The glossary: 40+ terms with stable ids, linked from chapters, searchable, back-referenced."""

from __future__ import annotations

import json
import re
from pathlib import Path

import markdown
import pytest
import textstat
import yaml
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, BuiltSite, build, chapter_sources, chapter_url
from guide import glossary_page as page_module
from guide.bibliography import load as load_bibliography
from guide.glossary import CITATION, GlossaryError, TermFinder, check_sources, load, parse

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
        ([{**ENTRY, "warning": "Take care [@ no key]."}], "lh: warning: malformed citation"),
        ([{**ENTRY, "warning": ["not", "a", "text"]}], "lh: warning must be a non-empty text"),
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


FILLER = ("This page keeps the rules every chapter keeps, so that the build reaches the glossary "
          "links. It cites a source [@liu2006] and is listed in its tier's index by the test.\n") * 12
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

## Enough prose for the writers' rules {#prose}

""" + FILLER + """
!!! info "When to see a doctor"
    - One.
    - Two.
    - Three.
"""


def test_glossary_links__leave_admonitions_tabs_and_tables_intact(
    project_copy: Path, tmp_path: Path
) -> None:
    (project_copy / "docs/fundamentals/rich-page.md").write_text(RICH_PAGE, encoding="utf-8")
    with (project_copy / "docs/fundamentals/index.md").open("a", encoding="utf-8") as index:
        index.write("\n[Rich page](rich-page.md)\n")
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


# --- Safety warnings: a cited box under the definition -------------------------------------------

SOURCES = load_bibliography(ROOT / "data/bibliography.yaml")
WARNED = {**ENTRY, "id": "testosterone-gel", "term": "testosterone gel", "long": "",
          "definition": "A gel with testosterone in it.", "explained_in": "why-trt-lowers-sperm",
          "warning": "It can pass to others by touch [@openfda_testosterone_gel; "
                     "@mhra_testogel2023]. Wash your hands [@mhra_testogel2023]."}
TWIN = {key: value for key, value in WARNED.items() if key != "warning"}


def rendered_entry(entry: dict, monkeypatch) -> tuple[str, LexborHTMLParser]:
    """One entry as the glossary hook writes it, and as HTML through the site's extensions."""
    terms = parse([entry], "test")
    monkeypatch.setattr(page_module, "terms", terms)
    monkeypatch.setattr(page_module, "sources", SOURCES)
    source = page_module.entry_markdown(terms[entry["id"]], set(), {})  # explained on no page
    html = markdown.markdown(source, extensions=["admonition", "attr_list"])
    return source, LexborHTMLParser(html)


def test_entry_with_warning__renders_a_safety_box_with_numbered_citations(monkeypatch) -> None:
    source, tree = rendered_entry(WARNED, monkeypatch)
    assert "[@" not in source
    box = tree.css_first(".admonition.warning")
    assert box.css_first(".admonition-title").text() == "Safety"
    assert "It can pass to others by touch" in box.text()
    links = [(a.text(), a.attributes["href"]) for a in box.css("sup.cite a")]
    assert links == [("1", "references.md#ref-openfda_testosterone_gel"),
                     ("2", "references.md#ref-mhra_testogel2023"),
                     ("2", "references.md#ref-mhra_testogel2023")]
    assert box.css_first("sup.cite a").attributes["data-tip"] == (
        SOURCES["openfda_testosterone_gel"].citation_text().replace('"', "'"))
    heading, first, second = [node for node in tree.body.iter()][:3]
    assert heading.tag == "h2" and heading.attributes["id"] == "testosterone-gel"
    assert (first.tag, first.text()) == ("p", "A gel with testosterone in it.")
    assert second.tag == "div" and "warning" in second.attributes["class"], "box under definition"


def test_entry_without_warning__renders_no_box(monkeypatch) -> None:
    source, tree = rendered_entry(TWIN, monkeypatch)
    assert "!!!" not in source
    assert not tree.css(".admonition")


def test_warning_keys__count_as_cited_and_unknown_ones_are_named() -> None:
    terms = parse([WARNED], "test")
    assert terms["testosterone-gel"].cited_keys == ("openfda_testosterone_gel", "mhra_testogel2023")
    assert check_sources(terms, set(SOURCES)) == []
    wrong = parse([{**WARNED, "warning": "Wash your hands [@no_such_label]."}], "test")
    assert check_sources(wrong, set(SOURCES)) == [
        "testosterone-gel: warning: citation 'no_such_label' is not in the bibliography"]


WARNINGS = sorted(term_id for term_id, term in TERMS.items() if term.warning)


@pytest.mark.parametrize("term_id", WARNINGS)
def test_glossary_warning__reads_at_grade_8_or_lower_and_cites_a_source(term_id: str) -> None:
    warning = TERMS[term_id].warning
    assert TERMS[term_id].cited_keys and CITATION.search(warning)
    assert textstat.flesch_kincaid_grade(CITATION.sub("", warning)) <= 8.0


def test_glossary_data__skin_gel_brands_carry_the_secondary_exposure_warning() -> None:
    gels = [term for term in TERMS.values()
            if any(re.search(r"testosterone (?:gel|cream)$", b.note) for b in term.brands)]
    assert [term.id for term in gels] == ["trt"]
    for term in gels:
        assert {"openfda_testosterone_gel", "mhra_testogel2023"} <= set(term.cited_keys)
        assert "soap and water" in term.warning


def entry_boxes(tree: LexborHTMLParser, term_id: str) -> list:
    """The admonitions between an entry's heading and the next entry's."""
    boxes, node = [], tree.css_first(f"h2#{term_id}").next
    while node is not None and node.tag != "h2":
        if node.tag == "div" and "admonition" in (node.attributes.get("class") or ""):
            boxes.append(node)
        node = node.next
    return boxes


def test_glossary_page__trt_warning_box_cites_and_is_cited_back(built_site: BuiltSite,
                                                               glossary_page) -> None:
    boxes = entry_boxes(glossary_page, "trt")
    assert len(boxes) == 1, "one Safety box under #trt"
    node = boxes[0]
    assert "warning" in node.attributes["class"]
    assert node.css_first(".admonition-title").text() == "Safety"
    hrefs = [a.attributes["href"] for a in node.css("sup.cite a")]
    assert "../references/#ref-openfda_testosterone_gel" in hrefs
    assert "../references/#ref-mhra_testogel2023" in hrefs
    references = LexborHTMLParser(built_site.html("references/"))
    back = [a.attributes["href"] for a in
            references.css_first("li#ref-mhra_testogel2023").css(".trt-cited-in a")]
    assert any(href.endswith("glossary/#trt") for href in back)
    assert entry_boxes(glossary_page, "post-cycle-therapy") == []  # no warning, no box


def test_build__fails_on_a_warning_citing_an_unknown_key(project_copy: Path, tmp_path: Path) -> None:
    path = project_copy / "data/glossary.yaml"
    text = path.read_text(encoding="utf-8")
    assert "[@mhra_testogel2023]" in text
    path.write_text(text.replace("[@mhra_testogel2023]", "[@mhra_testogel2099]"), encoding="utf-8")
    result = build(project_copy, tmp_path / "out")
    assert result.returncode != 0
    assert "trt: warning: citation 'mhra_testogel2099' is not in the bibliography" in result.stderr
