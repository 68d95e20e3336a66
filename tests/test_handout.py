"""The handout builder on /handout/: choose published sections, print one page with their addresses."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import lxml.html
import pytest
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
    serve,
)
from guide.handout_builder import (
    MOST_SECTIONS,
    Chapter,
    chapter_sections,
    page_data,
    script_json,
    shorten,
    summary,
)
from guide.handout_hook import qr_svg
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


def test_summary__paragraph_ending_in_a_colon_keeps_its_list() -> None:
    root = lxml.html.fragment_fromstring(
        '<h2 id="a">A</h2><p>Two words:</p><ul><li>one means this</li><li>two means that</li></ul>',
        create_parent="div")
    assert summary(root[0]) == "Two words: one means this; two means that."


def test_shorten__cuts_after_the_last_whole_sentence_within_the_limit() -> None:
    text = "One short sentence. " + "word " * 100
    assert shorten(text, 60) == "One short sentence."
    assert shorten("no full stop " * 10, 30) == "no full stop no full stop no\u2026"
    assert shorten("Short.", 60) == "Short."


def test_script_json__cannot_close_its_script_element() -> None:
    assert "</script" not in script_json({"summary": "</script><script>alert(1)</script>"})
    assert json.loads(script_json({"a": "</b>"})) == {"a": "</b>"}


def test_page_data__qr_codes_addressed_from_the_handout_page() -> None:
    data = page_data(sections_of(), "Site", "https://example.org/guide/", "handout/")
    assert data["sections"][0]["qr"] == "qr/fundamentals/x/first.svg"
    assert data["aliases"] == {f"{URL}#old-first": f"{URL}#first"}


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


def test_handout_data__addresses_use_the_public_url_and_qr_files_encode_them(built_site: BuiltSite) -> None:
    data = handout_data(built_site)
    assert data["most"] == MOST_SECTIONS
    for section in data["sections"]:
        assert section["address"] == PUBLIC_URL + section["link"]
        qr_file = built_site.root / HANDOUT / section["qr"]
        assert qr_file.read_text(encoding="utf-8") == qr_svg(section["address"])
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
    assert "127.0.0.1" not in json.dumps(data)


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


def decode_qr(image) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.screenshot())))
    assert len(results) == 1
    return results[0].text


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
    redirects = project_copy / "data/redirects.yaml"
    redirects.write_text(redirects.read_text(encoding="utf-8").replace(
        "renamed_sections: {}",
        "renamed_sections:\n  fundamentals/protecting-fertility.md: {gonadorelin: about-gonadorelin}"),
        encoding="utf-8")
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
