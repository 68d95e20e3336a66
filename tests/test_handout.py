"""The handout builder on /handout/: choose published sections, print one page with their addresses."""

from __future__ import annotations

import io
import json
import math
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import lxml.html
import pytest
import yaml
import zxingcpp
from mkdocs.config import load_config
from PIL import Image
from pypdf import PdfReader

from conftest import (
    ROOT,
    BuiltSite,
    axe_violations,
    build,
    chapter_sources,
    chapter_url,
    decode_qr,
    serve,
)
from guide.chapters import ChapterError, check_chapter_meta
from guide.handout_builder import (
    MOST_SECTIONS,
    SUMMARY_LIMIT,
    Chapter,
    SummariesError,
    chapter_sections,
    kind,
    page_data,
    plain_text,
    script_json,
    section_ids,
    shorten,
    summary,
    written_summaries,
)
from guide.published_links import read_entries

PUBLIC_URL = load_config(str(ROOT / "mkdocs.yml"))["extra"]["public_url"]
HANDOUT = "handout/"
# One section from each level, in an order that is not the list's order.
THREE = ["academic/recovery-timeline/#semen-analysis",
         "fundamentals/protecting-fertility/#hcg-alongside-trt",
         "intermediate/restoring-fertility/#fsh-therapy"]
UNKNOWN = "fundamentals/protecting-fertility/#no-such-section"


def handout_data(built_site: BuiltSite) -> dict:
    root = lxml.html.document_fromstring(built_site.html(HANDOUT))
    return json.loads(root.get_element_by_id("hb-data").text)


def query(links: list[str], note: str = "") -> str:
    parts = [f"s={quote(link, safe='/')}" for link in links]
    return "?" + "&".join(parts + ([f"note={quote(note)}"] if note else []))


def squeeze(text: str) -> str:
    """Text without whitespace: PDF text breaks long addresses wherever the page did."""
    return "".join(text.split())


# --- the data, from a chapter's HTML ----------------------------------------------------------

CHAPTER_HTML = """
<h1 id="title">Title</h1>
<p>Before any section.</p>
<h2 id="first">First <span class="trt-alias" id="old-first"></span>section<a
    class="headerlink" href="#first">¶</a></h2>
<p>It happens about once an hour <sup class="cite">[<a href="../../references/#ref-x">1</a>]</sup>.
   A <a class="trt-term" href="../../glossary/#lh" title="LH: a hormone">hormone</a> acts.</p>
<p>Second paragraph.</p>
<h3 id="sub">Sub</h3>
<ul><li>The first item is a whole thought.</li><li>The second.</li></ul>
<h2 id="only-subsections">Only subsections</h2>
<h3 id="inner">Inner</h3>
<div class="admonition note"><p class="admonition-title">Note</p><p>Inside a note.</p></div>
<h2 id="unlisted">Not in published-links.txt</h2>
<p>Hidden.</p>
<h2 id="sources">Sources</h2>
<ol class="trt-sources"><li>A source.</li></ol>
"""
URL = "fundamentals/x/"
PUBLISHED = {f"{URL}#{section}" for section in ("old-first", "sub", "only-subsections", "inner", "sources")}


def sections_of(html: str = CHAPTER_HTML, published: set[str] = PUBLISHED):
    chapter = Chapter(url=URL, level="Fundamentals", title="A chapter", reviewed="2026-11-27",
                      reviewed_text="27 November 2026", content=html)
    return chapter_sections(chapter, published, "https://example.org/guide/")


def test_chapter_sections__published_ones_in_order_without_the_source_list() -> None:
    assert [s.link for s in sections_of()] == [
        f"{URL}#first", f"{URL}#sub", f"{URL}#only-subsections", f"{URL}#inner"]


def test_chapter_sections__renamed_section_offered_under_its_id_with_the_old_one_as_alias() -> None:
    first = sections_of()[0]
    assert first.heading == "First section"
    assert first.aliases == (f"{URL}#old-first",)
    assert first.address == f"https://example.org/guide/{URL}#first"
    assert first.qr == "handout/qr/fundamentals/x/first.svg"
    assert (first.depth, first.level, first.chapter, first.reviewed_text) == (
        2, "Fundamentals", "A chapter", "27 November 2026")


def test_summary__first_paragraph_as_text_without_citation_numbers() -> None:
    assert sections_of()[0].summary == "It happens about once an hour. A hormone acts."


def test_summary__section_opening_with_a_list_gives_its_first_item() -> None:
    assert sections_of()[1].summary == "The first item is a whole thought."


def test_summary__heading_without_text_of_its_own_takes_its_subsection_paragraph_not_titles() -> None:
    assert sections_of()[2].summary == "Inside a note."
    assert sections_of()[3].summary == "Inside a note."


@pytest.mark.parametrize("tag", ["ul", "ol"])
def test_summary__paragraph_ending_in_a_colon_keeps_its_list(tag: str) -> None:
    root = lxml.html.fragment_fromstring(
        f'<h2 id="a">A</h2><p>Two words:</p><{tag}><li>one means this</li><li>two means that</li></{tag}>',
        create_parent="div")
    assert summary(root[0]) == "Two words: one means this; two means that."


def test_shorten__cuts_after_the_last_whole_sentence_within_the_limit() -> None:
    text = "One short sentence. " + "word " * 100
    assert shorten(text, 60) == "One short sentence."
    assert shorten("no full stop " * 10, 30) == "no full stop no full stop no\u2026"
    assert shorten("Short.", 60) == "Short."


def test_shorten__text_exactly_at_the_limit_comes_back_whole() -> None:
    text = ("x" * 9 + " ") * 29 + "x" * 10
    assert len(text) == SUMMARY_LIMIT == 300
    assert shorten(text) == text
    assert shorten(text + "y") == ("x" * 9 + " ") * 28 + "x" * 9 + "\u2026"
    assert shorten("Ten words.", 10) == "Ten words."


def test_script_json__cannot_close_its_script_element() -> None:
    assert "</script" not in script_json({"summary": "</script><script>alert(1)</script>"})
    assert json.loads(script_json({"a": "</b>"})) == {"a": "</b>"}


def test_page_data__qr_codes_addressed_from_the_handout_page() -> None:
    data = page_data(sections_of(), "Site", "https://example.org/guide/", "handout/")
    assert data["sections"][0]["qr"] == "qr/fundamentals/x/first.svg"
    assert data["aliases"] == {f"{URL}#old-first": f"{URL}#first"}
    assert data["address"] == "https://example.org/guide/handout/"


# --- the summary: a writer's, else the first paragraph of prose -------------------------------

def paragraphs(html: str) -> list:
    """The paragraphs and list items of an HTML fragment, in order, inside their containers."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return root.xpath(".//p | .//li")


CAPTION = ('<figure class="trt-table"><figcaption><p><span class="caption-prefix">Table 1.</span> '
           'Options at a glance</p></figcaption><table><tr><td>hCG</td></tr></table></figure>')
POINTER = ('<p>The chapter on <a href="../protecting-fertility/">protecting fertility</a> says more '
           'about these medicines.</p>')
LINK_ONLY = '<p><a href="../protecting-fertility/#hcg">How hCG protects sperm</a>.</p>'
CAVEAT = ("<p>These numbers come from healthy volunteers, not from men on TRT, so read them with "
          "care.</p>")
GOOD = '<p>hCG acts like <a class="trt-term" href="../../glossary/#lh">LH</a> on the testes.</p>'
BOX = ('<div class="admonition warning"><p class="admonition-title">TRT is not birth control</p>'
       '<p>Use birth control if you do not want a pregnancy.</p></div>')


@pytest.mark.parametrize(("html", "expected"), [
    (CAPTION, "caption"),
    ("<p>Table 2. Data table for figure 1A</p>", "caption"),
    ("<p>Figure 1. Recovery after stopping testosterone.</p>", "caption"),
    (POINTER, "pointer"),
    ("<p>See the chapter on restoring fertility.</p>", "pointer"),
    ("<p>This chapter reviews the evidence on restoring sperm production.</p>", "pointer"),
    ("<p>Read more about sperm banking in the glossary.</p>", "pointer"),
    (LINK_ONLY, "pointer"),
    (CAVEAT, "prose"),
    ("<p>But this is not true for every man.</p>", "prose"),
    ("<p>See a doctor soon if you find a lump in a testicle.</p>", "prose"),  # advice, not a pointer
    ("<p>Figure 1 shows how slowly sperm come back.</p>", "prose"),
    (GOOD, "prose"),
    (BOX, "boxed"),
])
def test_kind__captions_pointers_boxes_and_prose(html: str, expected: str) -> None:
    found = paragraphs(html)
    last = [p for p in found if "admonition-title" not in (p.get("class") or "")][-1]
    assert kind(last) == expected


def heading_of(html: str):
    return lxml.html.fragment_fromstring(f'<h2 id="s">S</h2>{html}<h2 id="next">Next</h2><p>No.</p>',
                                         create_parent="div")[0]


def test_summary__a_caveat_after_a_caption_and_a_pointer_is_prose_and_kept() -> None:
    assert summary(heading_of(CAPTION + POINTER + CAVEAT + GOOD)) == plain_text(paragraphs(CAVEAT)[0])


def test_summary__good_paragraph_after_a_caption_pointers_and_a_link() -> None:
    assert summary(heading_of(CAPTION + POINTER + LINK_ONLY + GOOD)) == "hCG acts like LH on the testes."


def test_summary__a_box_beside_the_section_text_is_not_its_summary() -> None:
    assert summary(heading_of(BOX + GOOD)) == "hCG acts like LH on the testes."
    # A section whose only text is in a box: the box is its text.
    assert summary(heading_of(CAPTION + BOX)) == "Use birth control if you do not want a pregnancy."


def test_summary__only_captions_and_pointers_give_none() -> None:
    assert summary(heading_of(CAPTION + POINTER + LINK_ONLY)) == ""


def test_summary__closing_sentence_that_points_elsewhere_is_left_off() -> None:
    html = ("<p>TRT often lowers sperm counts. The chapter on "
            '<a href="../why/">why TRT lowers sperm</a> explains why.</p>')
    assert summary(heading_of(html)) == "TRT often lowers sperm counts."


def test_summary__a_written_summary_replaces_the_first_paragraph() -> None:
    chapter = Chapter(url=URL, level="Fundamentals", title="A chapter", reviewed="2026-11-27",
                      reviewed_text="27 November 2026", content=CHAPTER_HTML,
                      summaries={"sub": "Written for paper."})
    sections = chapter_sections(chapter, PUBLISHED, "https://example.org/guide/")
    assert [s.summary for s in sections if s.link.endswith("#sub")] == ["Written for paper."]
    assert sections[0].summary == "It happens about once an hour. A hormone acts."


def test_section_ids__headings_of_the_chapter_but_the_source_list() -> None:
    assert section_ids(CHAPTER_HTML) == {"first", "sub", "only-subsections", "inner", "unlisted"}


def test_written_summaries__checked_and_tidied() -> None:
    ids = section_ids(CHAPTER_HTML)
    assert written_summaries(None, ids, "docs/x.md") == {}
    tidied = written_summaries({"sub": "  Two lines\n of text. "}, ids, "docs/x.md")
    assert tidied == {"sub": "Two lines of text."}


def test_chapter_front_matter__summaries_optional_and_other_keys_still_refused() -> None:
    meta = {"title": "T", "description": "D", "tier": "fundamentals", "reviewed": "2026-11-27"}
    check_chapter_meta(meta, "fundamentals/x.md")
    check_chapter_meta({**meta, "summaries": {"a": "Text."}}, "fundamentals/x.md")
    with pytest.raises(ChapterError, match="unknown front matter keys summary"):
        check_chapter_meta({**meta, "summary": "Text."}, "fundamentals/x.md")
    with pytest.raises(ChapterError, match="lacks reviewed"):
        check_chapter_meta({k: v for k, v in {**meta, "summaries": {}}.items() if k != "reviewed"},
                           "fundamentals/x.md")


@pytest.mark.parametrize(("value", "message"), [
    ({"no-such": "Text."}, "docs/x.md: summaries: 'no-such' is not a section of this chapter"),
    ({"sources": "Text."}, "docs/x.md: summaries: 'sources' is not a section of this chapter"),
    ({True: "Text."}, "docs/x.md: summaries: True is not a section of this chapter"),
    (["sub"], "docs/x.md: 'summaries:' must map section ids to summaries"),
    ({"sub": ""}, "docs/x.md: summaries: 'sub' needs a summary, as plain text"),
    ({"sub": {"a": 1}}, "docs/x.md: summaries: 'sub' needs a summary, as plain text"),
    ({"sub": "Cited [@bhasin2018]."}, "docs/x.md: summaries: 'sub' must be plain text"),
    ({"sub": "A [link](../x/)."}, "docs/x.md: summaries: 'sub' must be plain text"),
    ({"sub": "<b>Bold</b>."}, "docs/x.md: summaries: 'sub' must be plain text"),
    ({"sub": "word " * 70}, f"docs/x.md: summaries: 'sub' is longer than {SUMMARY_LIMIT} characters"),
])
def test_written_summaries__refused_with_a_one_line_message_naming_file_and_id(value, message: str) -> None:
    with pytest.raises(SummariesError) as error:
        written_summaries(value, section_ids(CHAPTER_HTML), "docs/x.md")
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


# --- the built page ---------------------------------------------------------------------------

def published_chapter_sections() -> list[str]:
    entries = read_entries(ROOT / "published-links.txt")[1]
    chapters = {chapter_url(source) for source in chapter_sources()}
    return [e for e in entries if "#" in e and e.split("#")[0] in chapters and not e.endswith("#sources")]


def test_handout_page__offers_every_published_chapter_section_as_a_checkbox_in_the_article(
    built_site: BuiltSite,
) -> None:
    root = lxml.html.document_fromstring(built_site.html(HANDOUT))
    boxes = root.xpath("//article//fieldset//input[@type='checkbox']")
    offered = [box.get("value") for box in boxes]
    assert sorted(offered) == sorted(published_chapter_sections())
    assert len(offered) == len(set(offered)) > 100
    chapters = {}  # each chapter parsed once
    for box in boxes:
        label = root.xpath(f"//label[@for='{box.get('id')}']")
        page, section = box.get("value").split("#")
        if page not in chapters:
            chapters[page] = lxml.html.document_fromstring(built_site.html(page))
        heading = chapters[page].get_element_by_id(section)
        assert label[0].text_content() == heading.text_content().replace("\u00b6", "").strip()


def test_handout_page__groups_by_level_then_chapter(built_site: BuiltSite) -> None:
    root = lxml.html.document_fromstring(built_site.html(HANDOUT))
    levels = [legend.text for legend in root.xpath("//fieldset[@class='hb-level']/legend")]
    assert levels == ["Fundamentals", "Intermediate", "Academic"]
    for level in root.xpath("//fieldset[@class='hb-level']"):
        tier = level.xpath("legend")[0].text.lower()
        assert all(value.startswith(tier + "/") for value in level.xpath(".//input/@value"))


def test_handout_data__addresses_use_the_public_url_and_each_has_a_qr_file(built_site: BuiltSite) -> None:
    """What each QR code says is read back in the browser (test_qr_files__...)."""
    data = handout_data(built_site)
    assert data["most"] == MOST_SECTIONS
    for section in data["sections"]:
        assert section["address"] == PUBLIC_URL + section["link"]
        assert (built_site.root / HANDOUT / section["qr"]).is_file()
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", section["reviewed"])
        assert section["heading"] and section["chapter"]


def test_handout_data__public_url_kept_when_site_url_is_the_dev_address(
    project_copy: Path, tmp_path: Path,
) -> None:
    """`mkdocs serve` puts its own address in site_url; handouts must still print the public one."""
    project = project_copy
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"^site_url: .*$", "site_url: http://127.0.0.1:8000/",
                             config.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    data = json.loads(lxml.html.parse(str(tmp_path / "site" / HANDOUT / "index.html"))
                      .getroot().get_element_by_id("hb-data").text)
    assert {s["address"].startswith(PUBLIC_URL) for s in data["sections"]} == {True}
    assert data["address"] == PUBLIC_URL + HANDOUT  # what "Copy address" gives, with the query
    assert "127.0.0.1" not in json.dumps(data)


# What the brief calls pointers: paragraphs that send the reader elsewhere.
POINTER_OPENINGS = ("The chapter on", "See the chapter", "This chapter", "Read more")


def test_handout_data__no_summary_is_a_caption_or_a_pointer(built_site: BuiltSite) -> None:
    """Every offered section, against its chapter as built: captions and pointers are never printed."""
    sections = handout_data(built_site)["sections"]
    chapters: dict[str, tuple[list[str], list[str]]] = {}
    for section in sections:
        page = section["link"].split("#")[0]
        if page not in chapters:
            article = lxml.html.document_fromstring(built_site.html(page)).xpath("//article")[0]
            captions = [plain_text(c) for c in article.xpath(".//figcaption | .//caption")]
            pointers = [plain_text(p) for p in article.xpath(".//p | .//li")
                        if plain_text(p).startswith(POINTER_OPENINGS) or mostly_links(p)]
            chapters[page] = captions, pointers
        captions, pointers = chapters[page]
        text = section["summary"]
        assert not re.match(r"(Table|Figure) \d", text), section["link"]
        assert not text.startswith(POINTER_OPENINGS), section["link"]
        opening = text[:60]
        assert not [c for c in captions if opening and c.startswith(opening)], section["link"]
        assert not [p for p in pointers if opening and p.startswith(opening)], section["link"]
    # Not by printing nothing: nearly every section has a summary.
    assert sum(1 for s in sections if s["summary"]) >= 0.95 * len(sections)


def mostly_links(paragraph) -> bool:
    links = "".join(a.text_content() for a in paragraph.xpath(
        ".//a[not(contains(@class, 'trt-term')) and not(contains(@class, 'headerlink'))"
        " and not(ancestor::sup)]"))
    return len("".join(links.split())) >= 0.5 * max(len("".join(plain_text(paragraph).split())), 1)


def add_front_matter(chapter: Path, lines: str) -> None:
    """`lines` of YAML added at the end of a chapter's front matter."""
    text = chapter.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    end = text.index("\n---\n", 4)
    chapter.write_text(text[:end] + "\n" + lines.rstrip("\n") + text[end:], encoding="utf-8")


WRITTEN = "Table 1 sets the options side by side: what each does, its label status, evidence and risks."


def test_handout_build__a_written_summary_is_the_one_offered(project_copy: Path, tmp_path: Path) -> None:
    add_front_matter(project_copy / "docs/academic/protecting-fertility.md",
                     f"summaries:\n  options-summary: >-\n    {WRITTEN}\n")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    data = json.loads(lxml.html.parse(str(tmp_path / "site" / HANDOUT / "index.html"))
                      .getroot().get_element_by_id("hb-data").text)
    summaries = {s["link"]: s["summary"] for s in data["sections"]}
    assert summaries["academic/protecting-fertility/#options-summary"] == WRITTEN
    # The chapter's other sections keep their own (first paragraph) summaries.
    others = [text for link, text in summaries.items()
              if link.startswith("academic/protecting-fertility/#") and not link.endswith("#options-summary")]
    assert others and WRITTEN not in others


def test_handout_build__each_section_gives_its_chapters_review_date_as_the_chapter_shows_it(
    project_copy: Path, tmp_path: Path,
) -> None:
    """A day under 10 is where a date format shows ("05 March" or "5 March"): the handout says
    what the chapter page says."""
    chapter = project_copy / "docs/fundamentals/protecting-fertility.md"
    text = chapter.read_text(encoding="utf-8")
    reviewed = re.search(r"^reviewed: .*$", text, re.M)
    chapter.write_text(text.replace(reviewed.group(), "reviewed: 2026-03-05", 1), encoding="utf-8")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    site = BuiltSite(tmp_path / "site", result.stderr)
    shown: dict[str, set[str]] = {}  # chapter URL -> the review date texts its page shows
    for section in handout_data(site)["sections"]:
        page = section["link"].split("#")[0]
        if page not in shown:
            root = lxml.html.document_fromstring(site.html(page))
            shown[page] = {time.text_content() for time in root.xpath(
                "//*[@class='trt-review']/time | //*[@class='trt-review-footer']//time[1]")}
        assert shown[page] == {section["reviewed_text"]}, section["link"]
    assert shown["fundamentals/protecting-fertility/"] == {"5 March 2026"}
    assert len(shown) == len(chapter_sources())


def test_handout_build__a_summary_for_no_section_stops_the_build(project_copy: Path, tmp_path: Path) -> None:
    add_front_matter(project_copy / "docs/fundamentals/protecting-fertility.md",
                     "summaries:\n  hcg-alongside-trt: Written for paper.\n  hcg-with-trt: A typo.\n")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    message = ("docs/fundamentals/protecting-fertility.md: summaries: 'hcg-with-trt' is not a section "
               "of this chapter")
    assert [line for line in result.stderr.splitlines() if message in line], result.stderr


def test_handout_build__fails_without_the_marker(project_copy: Path, tmp_path: Path) -> None:
    page = project_copy / "docs/handout.md"
    page.write_text(page.read_text(encoding="utf-8").replace("<!-- handout-builder -->", ""),
                    encoding="utf-8")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "lacks <!-- handout-builder -->" in result.stderr


# --- in the browser ---------------------------------------------------------------------------

@pytest.fixture
def requests_seen(browser) -> Iterator[tuple[object, list[str]]]:
    """A browser context that records every request; pixels doubled so QR codes read cleanly."""
    seen: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=2)
    context.on("request", lambda request: seen.append(request.url))
    yield context, seen
    context.close()


@pytest.fixture
def context(requests_seen):
    return requests_seen[0]


def open_handout(context, site_server: str, address: str = ""):
    page = context.new_page()
    page.goto(site_server + HANDOUT + address, wait_until="networkidle")
    return page


def address(page) -> str:
    """The address as the page sees it (Playwright's page.url learns of replaceState later)."""
    return page.evaluate("window.location.href")


def chosen(page) -> list[str]:
    return [value for key, value in parse_qsl(urlsplit(address(page)).query) if key == "s"]


@pytest.mark.browser
def test_ticking__two_sections_gives_two_s_parameters_in_the_order_ticked(context, site_server: str) -> None:
    page = open_handout(context, site_server)
    first, second = "intermediate/why-trt-lowers-sperm/#what-this-means", THREE[1]
    page.get_by_label("hCG: the main medicine to protect sperm").check()
    page.locator(f'input[value="{first}"]').check()
    assert chosen(page) == [second, first]
    assert "%23hcg-alongside-trt" in address(page)
    page.get_by_label("hCG: the main medicine to protect sperm").uncheck()
    assert chosen(page) == [first]
    assert page.locator(".hb-item__heading").all_inner_texts() == ["What this means for you"]


@pytest.mark.browser
def test_keyboard__tab_from_the_filter_to_a_section_and_space_ticks_it(context, site_server: str) -> None:
    page = open_handout(context, site_server)
    page.get_by_label("Filter sections by words").fill("sperm banking")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.type + ' ' + document.activeElement.value")
    assert focused.startswith("checkbox ")
    page.keyboard.press("Space")
    assert chosen(page) == [focused.removeprefix("checkbox ")]
    assert page.locator(".hb-count").inner_text().startswith("1 section chosen.")


@pytest.mark.browser
def test_print_button__prints_once_every_qr_code_has_loaded(context, site_server: str) -> None:
    page = open_handout(context, site_server, query(THREE))
    page.evaluate("""() => { window.print = () => {
        const codes = [...document.querySelectorAll(".hb-item img")];
        window.printed = codes.length === 3 && codes.every(code => code.complete && code.naturalWidth > 0);
    }; }""")
    page.get_by_role("button", name="Print this handout").click()
    page.wait_for_function("window.printed !== undefined")
    assert page.evaluate("window.printed") is True


@pytest.mark.browser
def test_opening_an_address__three_levels_show_headings_addresses_and_qr_codes_that_decode(
    context, site_server: str, built_site: BuiltSite,
) -> None:
    data = {s["link"]: s for s in handout_data(built_site)["sections"]}
    page = open_handout(context, site_server, query(THREE))
    items = page.locator(".hb-item")
    assert items.count() == 3
    for number, link in enumerate(THREE):
        item = items.nth(number)
        section = data[link]
        assert item.locator("h3").inner_text() == section["heading"]
        assert section["level"] in item.inner_text() and section["chapter"] in item.inner_text()
        assert f"reviewed {section['reviewed_text']}" in item.inner_text()
        assert item.locator(".hb-item__address").inner_text() == PUBLIC_URL + link
        assert decode_qr(item.locator("img")) == PUBLIC_URL + link
    assert all(page.locator(f'input[value="{link}"]').is_checked() for link in THREE)
    assert chosen(page) == THREE


@pytest.mark.browser
def test_qr_files__every_sections_code_decodes_to_its_public_address(
    context, site_server: str, built_site: BuiltSite,
) -> None:
    """Every section's code on one page, each read on its own (a reader given the grid misses some)."""
    sections = handout_data(built_site)["sections"]
    page = context.new_page()
    page.set_content('<body style="margin: 0; display: flex; flex-wrap: wrap; gap: 24px; padding: 24px">'
                     + "".join(f'<img src="{site_server}{HANDOUT}{s["qr"]}" width="110" height="110">'
                               for s in sections) + "</body>")
    boxes = page.evaluate("() => [...document.images].map(i => [i.offsetLeft, i.offsetTop, i.offsetWidth])")
    scale = 2  # the context's device_scale_factor
    with Image.open(io.BytesIO(page.screenshot(full_page=True))) as shot:
        decoded = [[result.text for result in zxingcpp.read_barcodes(shot.crop(
            tuple(scale * value for value in (x - 10, y - 10, x + size + 10, y + size + 10))))]
            for x, y, size in boxes]
    assert decoded == [[section["address"]] for section in sections]


@pytest.mark.browser
def test_printed_handout__holds_headings_addresses_and_note(
    context, site_server: str, built_site: BuiltSite,
) -> None:
    data = {s["link"]: s for s in handout_data(built_site)["sections"]}
    page = open_handout(context, site_server, query(THREE, "Read before our visit."))
    pdf = page.pdf(format="A4")
    text = squeeze("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    for link in THREE:
        assert squeeze(data[link]["heading"]) in text
        assert squeeze(PUBLIC_URL + link) in text
    assert squeeze("Note from your clinician: Read before our visit.") in text
    assert "Choosesections" not in text and "Filtersections" not in text
    assert "Makeahandout" not in text  # the page's own heading and introduction stay on screen


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.browser
def test_printed_handout__four_longest_sections_and_a_note_fit_one_page(
    context, site_server: str, built_site: BuiltSite, paper: str,
) -> None:
    sections = handout_data(built_site)["sections"]
    longest = sorted(sections, key=lambda s: -len(s["heading"] + s["summary"] + s["chapter"]))[:4]
    note = "Please read these before our visit on Friday; bring your questions and your test results."
    page = open_handout(context, site_server, query([s["link"] for s in longest], note))
    pages = PdfReader(io.BytesIO(page.pdf(format=paper))).pages
    assert len(pages) == 1
    text = squeeze(pages[0].extract_text())
    assert all(squeeze(s["address"]) in text for s in longest)


@pytest.mark.browser
def test_unknown_section__named_in_a_message_and_kept_in_the_address(context, site_server: str) -> None:
    page = open_handout(context, site_server, query([THREE[0], UNKNOWN]))
    assert page.get_by_text(f"This section no longer exists: {UNKNOWN}").is_visible()
    assert page.locator(".hb-item__heading").all_inner_texts() == ["Semen analysis"]
    assert chosen(page) == [THREE[0], UNKNOWN]
    page.get_by_role("button", name="Remove it from the handout").click()
    assert chosen(page) == [THREE[0]]
    assert page.get_by_text("This section no longer exists").count() == 0


@pytest.mark.browser
def test_opening_an_address__repeated_link_once_full_address_as_its_link_missing_one_not_printed(
    context, site_server: str, built_site: BuiltSite,
) -> None:
    """s=X&s=X is one section; s=<public address> is that section; a section that no longer
    exists is named on screen and left off paper."""
    data = {s["link"]: s for s in handout_data(built_site)["sections"]}
    first, second = THREE[0], THREE[1]
    page = open_handout(context, site_server, query([first, first, PUBLIC_URL + second, UNKNOWN]))
    headings = [data[first]["heading"], data[second]["heading"]]
    assert page.locator(".hb-item__heading").all_inner_texts() == headings
    assert page.locator(".hb-missing").all_inner_texts() == [f"This section no longer exists: {UNKNOWN}"]
    assert page.locator(".hb-panel__chosen li").all_inner_texts() == [
        *headings, f"{UNKNOWN} (no longer exists)"]
    assert page.locator(f'input[value="{second}"]').is_checked()
    pdf = page.pdf(format="A4")
    text = squeeze("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert all(squeeze(heading) in text for heading in headings)
    assert text.count(squeeze(PUBLIC_URL + first)) == 1
    for hidden in ("no longer exists", UNKNOWN, "Remove it from the handout"):
        assert squeeze(hidden) not in text
    # The next change writes the address anew: each section once, by its link.
    page.get_by_role("button", name="Remove it from the handout").click()
    assert chosen(page) == [first, second]


@pytest.mark.browser
def test_more_than_twelve_sections__refused_from_the_address_and_from_the_list(
    context, site_server: str, built_site: BuiltSite,
) -> None:
    links = [s["link"] for s in handout_data(built_site)["sections"]]
    page = open_handout(context, site_server, query(links[:13]))
    refusal = page.locator(".hb-refused")
    assert refusal.is_visible() and "at most 12" in refusal.inner_text()
    assert page.locator(".hb-item").count() == 0
    assert page.get_by_role("button", name="Print this handout").is_disabled()
    page.locator(f'input[value="{links[12]}"]').uncheck()
    assert page.locator(".hb-item").count() == 12 and not refusal.is_visible()
    page.locator(f'input[value="{links[20]}"]').click()
    assert not page.locator(f'input[value="{links[20]}"]').is_checked()
    assert "at most 12" in page.locator(".hb-limit").inner_text()
    assert len(chosen(page)) == 12


@pytest.mark.browser
def test_note__typed_text_kept_in_the_address_and_restored(context, site_server: str) -> None:
    page = open_handout(context, site_server, query(THREE[:1]))
    page.get_by_label("Note for your patient").fill("Read this & call me")
    query_string = urlsplit(address(page)).query
    assert parse_qsl(query_string) == [("s", THREE[0]), ("note", "Read this & call me")]
    again = open_handout(context, site_server, "?" + query_string)
    assert again.get_by_label("Note for your patient").input_value() == "Read this & call me"


@pytest.mark.browser
def test_filter__narrows_the_list_by_words_and_says_how_many(
    context, site_server: str, built_site: BuiltSite,
) -> None:
    page = open_handout(context, site_server)
    data = handout_data(built_site)["sections"]
    words = ("sperm", "banking")
    text = {s["link"]: " ".join([s["heading"], s["chapter"], s["level"], s["summary"]]).lower() for s in data}
    expected = [link for link in text if all(word in text[link] for word in words)]
    page.get_by_label("Filter sections by words").fill("Sperm  banking ")
    visible = [box.get_attribute("value") for box in page.locator(".hb-option:visible input").all()]
    assert visible == expected and 0 < len(visible) < len(data) / 4
    assert f"{len(visible)} of {len(data)} sections match" in page.locator(".hb-count").inner_text()
    assert page.locator(".hb-count").get_attribute("role") == "status"
    page.get_by_label("Filter sections by words").fill("zzzz nothing")
    assert page.locator(".hb-option:visible").count() == 0
    assert "No section matches" in page.locator(".hb-count").inner_text()


@pytest.mark.browser
def test_whole_flow__requests_nothing_from_another_host(requests_seen, site_server: str) -> None:
    context, seen = requests_seen
    page = open_handout(context, site_server, query(THREE, "note"))
    page.locator(".hb-option input").nth(5).check()
    page.pdf(format="A4")
    page.reload(wait_until="networkidle")
    own = urlsplit(site_server).netloc
    qr_requests = [url for url in seen if url.endswith(".svg") and "/handout/qr/" in url]
    assert len(qr_requests) >= 4
    assert [url for url in seen if urlsplit(url).netloc != own and not url.startswith("data:")] == []


@pytest.mark.browser
def test_without_javascript__the_page_says_the_builder_needs_it(browser, site_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_server + HANDOUT + query(THREE))
    message = page.locator("article noscript .hb-noscript")  # Playwright's text search skips <noscript>
    assert message.is_visible() and "The handout builder needs JavaScript" in message.inner_text()
    assert not page.locator("#handout-builder").is_visible()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("view", ["list", "handout"])
@pytest.mark.browser
def test_axe__finds_nothing(browser, site_server: str, view: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    address = query(THREE + [UNKNOWN], "A note") if view == "handout" else ""
    page.goto(site_server + HANDOUT + address, wait_until="networkidle")
    if view == "list":
        page.get_by_label("Filter sections by words").fill("hcg")
    assert page.locator(".hb-picker").is_visible()
    assert page.locator(".hb-item").count() == (4 if view == "handout" else 0)
    assert axe_violations(page) == []
    context.close()


@pytest.mark.browser
def test_renamed_section__old_link_opens_it_under_its_new_id(
    project_copy: Path, tmp_path: Path, browser,
) -> None:
    chapter = project_copy / "docs/fundamentals/protecting-fertility.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("{#gonadorelin}", "{#about-gonadorelin}"), encoding="utf-8")
    # Added to whatever renamed_sections already holds (the copy loses the file's comments).
    redirects = project_copy / "data/redirects.yaml"
    entries = yaml.safe_load(redirects.read_text(encoding="utf-8"))
    renamed = {"fundamentals/protecting-fertility.md": {"gonadorelin": "about-gonadorelin"}}
    entries["renamed_sections"] = {**(entries.get("renamed_sections") or {}), **renamed}
    redirects.write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    old = "fundamentals/protecting-fertility/#gonadorelin"
    new = "fundamentals/protecting-fertility/#about-gonadorelin"
    with serve(tmp_path / "site") as base_url:
        page = browser.new_page()
        page.goto(base_url + HANDOUT + query([old]), wait_until="networkidle")
        assert page.locator(".hb-item__heading").all_inner_texts() == ["What about gonadorelin?"]
        assert page.locator(".hb-item__address").inner_text() == PUBLIC_URL + new
        assert page.locator(f'input[value="{new}"]').is_checked()
        assert page.get_by_text("no longer exists").count() == 0
        page.close()


# --- the panel: in view while ticking, and the handout's public address -----------------------

@pytest.mark.parametrize("viewport", [{"width": 375, "height": 812}, {"width": 1280, "height": 800}],
                         ids=["phone", "desktop"])
@pytest.mark.browser
def test_panel__in_view_and_counting_while_ticking_down_to_the_last_section(
    browser, site_server: str, viewport: dict,
) -> None:
    phone = viewport["width"] < 600
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.goto(site_server + HANDOUT, wait_until="networkidle")
    panel = page.locator(".hb-panel")
    boxes = page.locator(".hb-option input")
    for number, box in enumerate([boxes.nth(boxes.count() // 2), boxes.last], 1):
        box.check()
        where = panel.bounding_box()
        assert where["y"] >= 0 and where["y"] + where["height"] <= viewport["height"] + 0.5
        assert where["height"] < viewport["height"] / 3
        assert panel.locator(".hb-panel__count").inner_text() == (
            "1 section chosen." if number == 1 else f"{number} sections chosen.")
        label = page.locator(f'label[for="{box.get_attribute("id")}"]').inner_text()
        assert panel.locator(".hb-panel__chosen li").last.inner_text() == label
        for name in ("Print", "Copy address", "Start again"):
            assert panel.get_by_role("button", name=name).is_visible()
        ticked = box.bounding_box()
        assert ticked["y"] + ticked["height"] <= panel.bounding_box()["y"]  # not under the panel
    context.close()


@pytest.mark.browser
def test_panel__keyboard_focus_is_not_hidden_behind_it(browser, site_server: str) -> None:
    """Tabbing down the list scrolls each section clear of the panel (WCAG 2.4.11)."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site_server + HANDOUT + query(THREE), wait_until="networkidle")
    page.locator(".hb-option input").first.focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
            const box = document.activeElement.getBoundingClientRect();
            const panel = document.querySelector(".hb-panel").getBoundingClientRect();
            return {bottom: box.bottom, panel: panel.top};
        }""")
        assert focused["bottom"] <= focused["panel"] + 0.5
    context.close()


@pytest.mark.browser
def test_copy_address__copies_the_public_handout_address_with_the_choice(browser, site_server: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_server + HANDOUT + query(THREE[:1]), wait_until="networkidle")
    page.locator(f'input[value="{THREE[1]}"]').check()
    page.get_by_label("Note for your patient").fill("Read before our visit & call me")
    page.get_by_role("button", name="Copy address").click()
    status = page.locator(".hb-panel__status")
    status.filter(has_text="Address copied").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(PUBLIC_URL + HANDOUT + "?") and "127.0.0.1" not in copied
    assert parse_qsl(urlsplit(copied).query) == [
        ("s", THREE[0]), ("s", THREE[1]), ("note", "Read before our visit & call me")]
    assert urlsplit(copied).query == urlsplit(address(page)).query  # the same choice, in the same order
    assert copied in status.inner_text()
    context.close()


# --- addresses are data: crafted values stay text ---------------------------------------------

CRAFTED = ['<img src=x onerror="alert(1)">', "javascript:alert(2)", "__proto__", "constructor"]
CRAFTED_NOTE = '<script>alert(3)</script><a href="javascript:alert(4)">x</a><img src=x onerror=alert(5)>'


@pytest.mark.browser
def test_crafted_address__markup_and_javascript_values_render_as_text(context, site_server: str) -> None:
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    def elements_after_opening(links: list[str], note: str) -> int:
        page.goto(site_server + HANDOUT + query(links, note), wait_until="networkidle")
        return page.evaluate("document.querySelectorAll('*').length")

    plain = elements_after_opening(["unknown-a", "unknown-b", "unknown-c", "unknown-d"], "A plain note")
    assert elements_after_opening(CRAFTED, CRAFTED_NOTE) == plain
    injected = "img[onerror], [onerror], a[href^='javascript:' i], .hb script:not(#hb-data)"
    assert page.locator(injected).count() == 0
    assert [a for a in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
            if a.lower().startswith("javascript:")] == []
    assert page.locator(".hb-missing").all_inner_texts() == [
        f"This section no longer exists: {value}" for value in CRAFTED]
    assert page.locator(".hb-panel__chosen li").all_inner_texts() == [
        f"{value} (no longer exists)" for value in CRAFTED]
    assert page.get_by_label("Note for your patient").input_value() == CRAFTED_NOTE
    assert page.locator(".hb-note__print").text_content() == CRAFTED_NOTE
    assert chosen(page) == CRAFTED
    page.get_by_role("button", name="Remove it from the handout").first.click()
    assert chosen(page) == CRAFTED[1:]
    page.pdf(format="A4")
    assert dialogs == []


# --- printing: sizes, and what every page carries ---------------------------------------------

SITE_NAME = load_config(str(ROOT / "mkdocs.yml"))["site_name"]
# Chromium writes font sizes to PDF in CSS px cut to 1/100 px: 11 pt (14.667 px) becomes 14.66 px,
# that is 10.995 pt. Sizes are compared with that much slack and no more.
PDF_ROUNDING = 0.01


def pdf_text_runs(pdf: bytes) -> list[tuple[int, str, float]]:
    """(page number, text, size in pt) of every run of text in a PDF: the Tf size times the text
    and graphics matrices' scale."""
    runs = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
                c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
                runs.append((number, text.strip(), size * math.sqrt(abs(a * d - b * c))))
        page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.browser
def test_printed_handout__body_11pt_nothing_under_9pt_site_name_and_date_on_every_page(
    context, site_server: str, built_site: BuiltSite, paper: str,
) -> None:
    sections = handout_data(built_site)["sections"]
    longest = sorted(sections, key=lambda s: -len(s["summary"]))[:6]
    note = "Please read these before our visit on Friday; bring your questions."
    page = open_handout(context, site_server, query([s["link"] for s in longest], note))
    date = page.locator(".hb-sheet__date time").inner_text()
    # Metadata, addresses, the head and the foot: at least 9 pt. Headings, summaries, note: 11 pt.
    others = [squeeze(text)
              for selector in (".hb-item__meta", ".hb-item__address", ".hb-sheet__head", ".hb-sheet__foot")
              for text in page.locator(selector).all_text_contents()]
    pdf = page.pdf(format=paper)

    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2
    for printed in pages:
        text = squeeze(printed.extract_text())
        assert squeeze(SITE_NAME) in text and squeeze(date) in text

    body = [squeeze(s[key]) for s in longest for key in ("heading", "summary")] + [squeeze(note)]
    runs = pdf_text_runs(pdf)
    assert runs
    small = [(text, size) for _, text, size in runs if size < 9 - PDF_ROUNDING]
    assert small == []
    body_runs = [(squeeze(text), size) for _, text, size in runs
                 if len(squeeze(text)) >= 12 and any(squeeze(text) in b for b in body)
                 and not any(squeeze(text) in o for o in others)]
    assert [run for run in body_runs if run[1] < 11 - PDF_ROUNDING] == []
    # Every section's summary was found and measured.
    for section in longest:
        assert any(text in squeeze(section["summary"]) for text, _ in body_runs), section["link"]


# --- for a person to look at ------------------------------------------------------------------

ARTIFACTS = ROOT / "test-artifacts" / "handout"


@pytest.mark.browser
def test_screenshots__builder_on_phone_and_desktop_and_printed_pages_saved_for_review(
    browser, site_server: str, built_site: BuiltSite,
) -> None:
    """test-artifacts/handout/: the builder with 3 sections ticked (phone dark, desktop light), and
    a 6-section handout printed on A4 and Letter (PDF; PNG pages too where pdftoppm is installed)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, options in [
        ("phone-dark", {"viewport": {"width": 375, "height": 812}, "color_scheme": "dark",
                        "is_mobile": True, "has_touch": True, "device_scale_factor": 2}),
        ("desktop-light", {"viewport": {"width": 1280, "height": 800}, "color_scheme": "light"}),
    ]:
        context = browser.new_context(**options)
        page = context.new_page()
        page.goto(site_server + HANDOUT, wait_until="networkidle")
        for link in THREE:
            page.locator(f'input[value="{link}"]').check()
        page.screenshot(path=ARTIFACTS / f"builder-{name}-ticking.png")
        # Down to the sheet from the top: scrolling up would bring Material's "Back to top" over it.
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_timeout(300)
        page.locator(".hb-sheet").evaluate("sheet => window.scrollTo(0, sheet.offsetTop - 60)")
        page.wait_for_timeout(300)
        page.screenshot(path=ARTIFACTS / f"builder-{name}-sheet.png")
        page.locator(".hb-option input").last.scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / f"builder-{name}-end.png")
        context.close()
    sections = handout_data(built_site)["sections"]
    longest = sorted(sections, key=lambda s: -len(s["summary"]))[:6]
    page = browser.new_page()
    address = query([s["link"] for s in longest], "Please read these before our visit.")
    page.goto(site_server + HANDOUT + address, wait_until="networkidle")
    for paper in ("A4", "Letter"):
        pdf = ARTIFACTS / f"handout-{paper}.pdf"
        pdf.write_bytes(page.pdf(format=paper))
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(ARTIFACTS / f"handout-{paper}")],
                           check=True)
    page.close()
    assert (ARTIFACTS / "builder-phone-dark-ticking.png").stat().st_size > 0
