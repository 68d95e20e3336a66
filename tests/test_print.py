"""A chapter printed from Chromium is a clean handout: text, address, review date, QR code."""

from __future__ import annotations

import io

import pytest
from mkdocs.config import load_config
from pypdf import PdfReader
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, BuiltSite, chapter_sources, chapter_url, decode_qr

SITE_URL = load_config(str(ROOT / "mkdocs.yml"))["site_url"]
CHAPTER = "fundamentals/restoring-fertility/"
# Screen-only text: the nav's labels for the other chapters, the table of contents, search, the
# skip and back-to-top links, the copy buttons. Each must be on the screen page (or the test
# proves nothing) and not on paper.
SCREEN_ONLY = ["Timeline and tests", "How the body makes sperm", "Table of contents", "Search",
               "Skip to content", "Back to top", "Copy link"]


def squeeze(text: str) -> str:
    """Text without whitespace: PDF text breaks long URLs and lines wherever the page did."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def printed(browser, site_server: str) -> dict:
    page = browser.new_page()
    page.goto(site_server + CHAPTER, wait_until="load")
    screen = page.inner_text("body") + page.get_attribute("input.md-search__input", "placeholder")
    qr_on_screen = page.locator(".trt-handout .trt-qr").is_visible()
    page.emulate_media(media="print")
    qr_in_print = page.locator(".trt-handout .trt-qr").bounding_box()
    pdf = page.pdf(format="A4")
    page.close()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return {"screen": screen, "text": text, "qr_on_screen": qr_on_screen, "qr_in_print": qr_in_print}


@pytest.mark.browser
def test_printed_chapter__holds_text_address_and_review_date(printed: dict, built_site: BuiltSite) -> None:
    tree = LexborHTMLParser(built_site.html(CHAPTER))
    title = tree.css_first("article h1").text().replace("¶", "").strip()
    first_paragraph = tree.css_first("article h2 + p").text()
    reviewed = tree.css_first(".trt-review time").text()
    text = squeeze(printed["text"])
    assert squeeze(title) in text
    assert squeeze(first_paragraph[:80]) in text
    assert squeeze(SITE_URL + CHAPTER) in text
    assert squeeze(f"Page last reviewed: {reviewed}") in text


@pytest.mark.parametrize("label", SCREEN_ONLY)
@pytest.mark.browser
def test_printed_chapter__has_no_navigation_or_screen_controls(printed: dict, label: str) -> None:
    assert label in printed["screen"]
    assert squeeze(label) not in squeeze(printed["text"])


@pytest.mark.browser
def test_printed_chapter__shows_where_text_links_lead_but_not_citations_or_terms(printed: dict) -> None:
    text = squeeze(printed["text"])
    assert squeeze(f"({SITE_URL}fundamentals/why-trt-lowers-sperm/)") in text
    assert "references/#ref-" not in text
    assert "glossary/#" not in text


@pytest.mark.browser
def test_qr_code__hidden_on_screen_and_printed(printed: dict) -> None:
    assert not printed["qr_on_screen"]
    box = printed["qr_in_print"]
    assert box is not None and box["width"] > 50 and box["width"] == pytest.approx(box["height"])


@pytest.mark.browser
def test_qr_code__on_every_chapter_decodes_to_that_chapters_public_address(browser, site_server: str) -> None:
    """The code as printed, read back by a QR reader (pixels doubled so that it reads cleanly).
    Scripts are off: the code is inline SVG drawn at build time, and pages load faster without."""
    context = browser.new_context(device_scale_factor=2, java_script_enabled=False)
    page = context.new_page()
    page.emulate_media(media="print")
    decoded = {}
    for source in chapter_sources():
        page.goto(site_server + chapter_url(source), wait_until="domcontentloaded")
        decoded[chapter_url(source)] = decode_qr(page.locator(".trt-handout .trt-qr"))
    context.close()
    assert len(decoded) > 10
    assert decoded == {url: SITE_URL + url for url in decoded}
