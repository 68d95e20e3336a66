"""Real-browser checks on the served site (Debian's Chromium through Playwright)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import BuiltSite, serve

pytestmark = pytest.mark.browser


def site_pages(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)).removesuffix("index.html") for p in root.rglob("index.html"))


def foreign_requests(browser, base_url: str, pages: list[str]) -> set[str]:
    """Every request to another host made while loading each page and letting it settle."""
    own = urlsplit(base_url).netloc
    seen: list[str] = []
    context = browser.new_context()
    context.on("request", lambda request: seen.append(request.url))
    page = context.new_page()
    for path in pages:
        page.goto(base_url + path, wait_until="networkidle")
    context.close()
    return {url for url in seen if urlsplit(url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(url).netloc != own}


def test_site_pages__request_nothing_from_other_hosts(
    built_site: BuiltSite, site_server: str, browser
) -> None:
    pages = site_pages(built_site.root)
    assert len(pages) > 10
    assert not foreign_requests(browser, site_server, pages)


def test_foreign_requests__sees_a_third_party_image(tmp_path: Path, browser) -> None:
    (tmp_path / "index.html").write_text(
        '<img src="http://tracker.invalid/pixel.gif"><img src="own.gif">', encoding="utf-8"
    )
    with serve(tmp_path) as base_url:
        assert foreign_requests(browser, base_url, [""]) == {"http://tracker.invalid/pixel.gif"}


CHAPTER = "fundamentals/how-the-body-makes-sperm/"
TIP_SELECTORS = ["article a.trt-term", "article sup.cite a"]


@pytest.mark.parametrize("selector", TIP_SELECTORS)
@pytest.mark.parametrize("action", ["hover", "focus"])
def test_tip__shows_on_hover_and_keyboard_focus(site_server: str, browser, selector: str,
                                                action: str) -> None:
    page = browser.new_page()
    page.goto(site_server + CHAPTER)
    link = page.locator(selector).first
    expected = link.get_attribute("data-tip")
    getattr(link, action)()
    tooltip = page.locator(".trt-popover[role=tooltip]")
    tooltip.wait_for(state="visible", timeout=3000)
    assert tooltip.inner_text().strip() == expected
    assert link.get_attribute("aria-describedby") == tooltip.get_attribute("id")
    # No title: Material mounts no tooltip of its own on the term (the cost Lighthouse counted).
    assert link.get_attribute("title") is None and page.locator(".md-tooltip2").count() == 0
    page.close()


def test_tip__stays_while_the_pointer_is_on_it_and_goes_when_it_leaves(site_server: str, browser) -> None:
    page = browser.new_page()
    page.goto(site_server + CHAPTER)
    link = page.locator("article a.trt-term").first
    link.scroll_into_view_if_needed()
    link.hover()
    tooltip = page.locator(".trt-popover[role=tooltip]")
    tooltip.wait_for(state="visible", timeout=3000)
    box = tooltip.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=8)
    page.wait_for_timeout(600)  # past the delay that lets the pointer cross the gap
    assert tooltip.is_visible(), "the tooltip closed while the pointer was on it"
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] + 200, steps=4)
    tooltip.wait_for(state="detached", timeout=3000)
    assert link.get_attribute("aria-describedby") is None
    page.close()


@pytest.mark.parametrize("selector", TIP_SELECTORS)
def test_tip__first_tap_shows_text_second_tap_follows_link(site_server: str, browser,
                                                           selector: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, has_touch=True,
                                  is_mobile=True)
    page = context.new_page()
    page.goto(site_server + CHAPTER)
    link = page.locator(selector).first
    link.scroll_into_view_if_needed()
    expected, href = link.get_attribute("data-tip"), link.get_attribute("href")
    link.tap()
    popover = page.locator(".trt-popover")
    popover.wait_for(state="visible", timeout=3000)
    # The text, then (for a citation) the jump to the sources.
    assert popover.locator("p").inner_text() == expected
    assert page.url == site_server + CHAPTER
    link.tap()
    page.wait_for_url("**" + href.replace("../..", ""), timeout=5000)
    context.close()


PHONE = {"width": 375, "height": 812}
# Everything that shows a term's or a citation's text: the site's popover, Material's tooltip.
VISIBLE_TIPS = """() => [...document.querySelectorAll(".trt-popover, .md-tooltip2")]
    .filter(e => { const s = getComputedStyle(e), box = e.getBoundingClientRect();
                   return s.display !== "none" && s.visibility !== "hidden" && s.opacity !== "0"
                       && box.width > 0 && box.height > 0; })
    .map(e => e.className)"""
# The tappable term furthest to the right on the first screens: the one most likely to push a
# popover past the right edge.
RIGHTMOST_TERM = """() => {
    const terms = [...document.querySelectorAll("article a.trt-term")]
        .filter(a => a.getClientRects().length === 1);
    terms.sort((a, b) => b.getBoundingClientRect().left - a.getBoundingClientRect().left);
    terms[0].setAttribute("data-test-rightmost", "");
    return terms[0].getBoundingClientRect().left;
}"""


@pytest.fixture
def phone(browser, site_server: str):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_server + CHAPTER)
    yield page
    context.close()


def tap_and_measure(page, link) -> dict:
    link.scroll_into_view_if_needed()
    link.tap()
    page.locator(".trt-popover").wait_for(state="visible", timeout=3000)
    page.wait_for_timeout(400)  # Material's tooltip shows after a short delay, if it shows
    return page.evaluate("""link => ({
        link: link.getBoundingClientRect().toJSON(),
        popover: document.querySelector(".trt-popover").getBoundingClientRect().toJSON(),
        width: document.documentElement.clientWidth, height: window.innerHeight})""",
                         link.element_handle())


@pytest.mark.browser
@pytest.mark.parametrize("selector", [*TIP_SELECTORS, "article a.trt-term[data-test-rightmost]"],
                         ids=["term", "citation", "rightmost-term"])
def test_tap__opens_one_popover_inside_the_screen_off_the_tapped_line(phone, selector: str) -> None:
    page = phone
    if "rightmost" in selector:
        assert page.evaluate(RIGHTMOST_TERM) > PHONE["width"] / 2
    box = tap_and_measure(page, page.locator(selector).first)
    assert page.evaluate(VISIBLE_TIPS) == ["trt-popover"]
    popover, link = box["popover"], box["link"]
    assert 0 <= popover["left"] and popover["right"] <= box["width"]
    assert 0 <= popover["top"] and popover["bottom"] <= box["height"]
    assert popover["top"] >= link["bottom"] or popover["bottom"] <= link["top"]


@pytest.mark.browser
def test_popover__closes_on_a_tap_elsewhere_and_on_escape(phone) -> None:
    page = phone
    link = page.locator(TIP_SELECTORS[0]).first
    tap_and_measure(page, link)
    page.locator("article h1").tap()
    page.locator(".trt-popover").wait_for(state="detached", timeout=3000)
    tap_and_measure(page, link)
    page.keyboard.press("Escape")
    page.locator(".trt-popover").wait_for(state="detached", timeout=3000)
    assert page.evaluate(VISIBLE_TIPS) == []


@pytest.mark.browser
def test_citation_popover__jumps_to_the_chapter_sources(phone, site_server: str) -> None:
    page = phone
    tap_and_measure(page, page.locator(TIP_SELECTORS[1]).first)
    jump = page.locator(".trt-popover").get_by_role("link", name="Jump to this chapter's sources")
    jump.tap()
    page.wait_for_url(site_server + CHAPTER + "#sources")
    page.locator(".trt-popover").wait_for(state="detached", timeout=3000)
    assert page.locator("#sources").is_visible()
    top = page.locator("#sources").bounding_box()["y"]
    assert 0 <= top < PHONE["height"] / 3


@pytest.mark.browser
def test_term_popover__has_no_sources_jump(phone) -> None:
    page = phone
    tap_and_measure(page, page.locator(TIP_SELECTORS[0]).first)
    assert page.locator(".trt-popover a").count() == 0
