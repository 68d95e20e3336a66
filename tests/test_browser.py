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
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=3000)
    assert tooltip.inner_text().strip() == expected
    page.close()


@pytest.mark.parametrize("selector", TIP_SELECTORS)
def test_tip__first_tap_shows_text_second_tap_follows_link(site_server: str, browser,
                                                           selector: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 667}, has_touch=True,
                                  is_mobile=True)
    page = context.new_page()
    page.goto(site_server + CHAPTER)
    link = page.locator(selector).first
    link.scroll_into_view_if_needed()
    expected, href = link.get_attribute("data-tip"), link.get_attribute("href")
    link.tap()
    popover = page.locator(".trt-popover")
    popover.wait_for(state="visible", timeout=3000)
    assert popover.inner_text() == expected
    assert page.url == site_server + CHAPTER
    link.tap()
    page.wait_for_url("**" + href.replace("../..", ""), timeout=5000)
    context.close()
