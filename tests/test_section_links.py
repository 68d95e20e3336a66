"""Section links in a real browser: copy-link icons, the "Link copied" message, and #id landing
below the header."""

from __future__ import annotations

import pytest
from mkdocs.config import load_config
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, BuiltSite, chapter_sources, chapter_url, section_position

SITE_URL = load_config(str(ROOT / "mkdocs.yml"))["site_url"]
CHAPTER = "fundamentals/why-trt-lowers-sperm/"
SECTION = ("how-often-sperm-drop", "How often sperm drop to zero")


def test_chapters__carry_their_public_address_for_the_copy_buttons(built_site: BuiltSite) -> None:
    for source in chapter_sources():
        meta = LexborHTMLParser(built_site.html(chapter_url(source))).css_first('meta[name="trt-page-url"]')
        assert meta.attributes["content"] == SITE_URL + chapter_url(source)


@pytest.fixture
def clipboard_page(browser, site_server: str):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_server + CHAPTER)
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("key", ["Enter", " "], ids=["Enter", "Space"])
def test_copy_button__tab_and_key_copy_the_full_section_url(clipboard_page, key: str) -> None:
    page = clipboard_page
    section_id, heading = SECTION
    # The permalink is the heading's own focusable; Tab from it must reach the section's button.
    page.locator(f"#{section_id} a.headerlink").focus()
    page.keyboard.press("Tab")
    button = page.get_by_role("button", name=f"Copy link to section: {heading}", exact=True)
    assert button.evaluate("node => node === document.activeElement")
    page.keyboard.press(key)
    status = page.get_by_role("status")
    status.get_by_text("Link copied").wait_for(state="visible", timeout=3000)
    assert page.evaluate("navigator.clipboard.readText()") == f"{SITE_URL}{CHAPTER}#{section_id}"


HEADINGS = """() => [...document.querySelectorAll("article h2[id], article h3[id]")]
    .map(h => ({id: h.id, wrapper: h.parentElement.className,
                permalinks: [...h.querySelectorAll("a.headerlink")].map(a => a.getAttribute("href")),
                inside: h.querySelectorAll("button").length,
                icons: [...h.parentElement.querySelectorAll(":scope > button.trt-copy-icon")]
                    .map(b => { const box = b.getBoundingClientRect();
                                return {name: b.getAttribute("aria-label"), width: box.width,
                                        height: box.height}; })}))"""


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [{"width": 375, "height": 812}, {"width": 1280, "height": 800}],
                         ids=["phone", "desktop"])
def test_copy_icons__one_per_section_heading_none_on_sources(browser, site_server: str,
                                                             viewport: dict) -> None:
    page = browser.new_page(viewport=viewport)
    page.goto(site_server + CHAPTER)
    headings = page.evaluate(HEADINGS)
    assert len(headings) > 5 and headings[-1]["id"] == "sources"
    for heading in headings:
        text = page.locator(f"#{heading['id']}").evaluate(
            "h => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach(a => a.remove());"
            " return c.textContent.trim(); }")
        assert heading["permalinks"] == [f"#{heading['id']}"] and heading["inside"] == 0
        if heading["id"] == "sources":
            assert heading["icons"] == [] and heading["wrapper"] != "trt-heading"
            continue
        assert heading["wrapper"] == "trt-heading"
        [icon] = heading["icons"]
        assert icon["name"] == f"Copy link to section: {text}"
        assert icon["width"] >= 24 and icon["height"] >= 24  # WCAG 2.5.8 target size
    page.locator(f"#{SECTION[0]} a.headerlink").click()
    assert page.url.endswith(f"{CHAPTER}#{SECTION[0]}")
    page.close()


@pytest.mark.browser
def test_copy_icon__sits_beside_its_heading_not_on_its_own_line(browser, site_server: str) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(site_server + CHAPTER)
    heading = page.locator(f"#{SECTION[0]}").bounding_box()
    icon = page.get_by_role("button", name=f"Copy link to section: {SECTION[1]}").bounding_box()
    assert heading["y"] <= icon["y"] and icon["y"] + icon["height"] <= heading["y"] + heading["height"] + 1
    assert icon["x"] >= heading["x"] + heading["width"] - icon["width"] - 1
    page.close()


@pytest.mark.browser
def test_link_copied_message__readable_on_a_phone(browser, site_server: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812},
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_server + CHAPTER)
    page.get_by_role("button", name=f"Copy link to section: {SECTION[1]}").click()
    status = page.get_by_role("status")
    status.get_by_text("Link copied").wait_for(state="visible", timeout=3000)
    box = status.bounding_box()
    url_lines = page.locator(".trt-toast__url").evaluate(
        "e => Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight))")
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375 and box["y"] + box["height"] <= 812
    assert box["width"] >= 0.8 * 375  # not a narrow column with the address broken into pieces
    assert url_lines <= 3
    context.close()


@pytest.mark.browser
def test_copy_button__without_clipboard_access_shows_the_link_to_copy(browser, site_server: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_server + CHAPTER)
    page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.get_by_role("button", name=f"Copy link to section: {SECTION[1]}").click()
    status = page.get_by_role("status")
    status.wait_for(state="visible", timeout=3000)
    # The label and the address are on lines of their own; the words are the same.
    assert " ".join(status.inner_text().split()) == f"Copy this link: {SITE_URL}{CHAPTER}#{SECTION[0]}"
    context.close()


# A few real sections across the tiers, none of them first or last on its page, so the browser
# has to scroll to reach it and can scroll it all the way up.
DEEP_LINKS = [
    ("fundamentals/why-trt-lowers-sperm/", "how-often-sperm-drop"),
    ("fundamentals/how-the-body-makes-sperm/", "step-two-pituitary"),
    ("intermediate/recovery-timeline/", "what-predicts-recovery"),
    ("academic/restoring-fertility/", None),
]
VIEWPORTS = {"phone": {"width": 375, "height": 667}, "desktop": {"width": 1280, "height": 800}}
# Material leaves a deliberate gap above a :target (scroll-margin 3.6rem = 72 px against a
# 2.4rem = 48 px header, so about 24 px). The heading must never be under the header, and may sit
# up to 40 px below it: the designed gap plus sub-pixel rounding of line boxes, but far less than
# the distance to any neighbouring section, so landing on the wrong place fails.
GAP_ALLOWED = 40


def academic_section(built_site: BuiltSite) -> str:
    ids = [h.attributes["id"] for h in LexborHTMLParser(
        built_site.html("academic/restoring-fertility/")).css("article h3[id]")]
    return ids[len(ids) // 2]


@pytest.mark.browser
@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize(("chapter", "section_id"), DEEP_LINKS, ids=lambda v: v or "h3")
def test_deep_link__puts_the_heading_at_the_top_just_below_the_header(
    built_site: BuiltSite, site_server: str, browser, chapter: str, section_id: str | None,
    viewport: str,
) -> None:
    section_id = section_id or academic_section(built_site)
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.goto(f"{site_server}{chapter}#{section_id}", wait_until="load")
    position = section_position(page, section_id)
    context.close()
    assert position["header_bottom"] <= position["top"] <= position["header_bottom"] + GAP_ALLOWED, position
