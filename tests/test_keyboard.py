"""Keyboard use: Escape dismisses what focus or a tap opened (WCAG 1.4.13), and the header's level
menu is a menu button that says whether it is open (WAI-ARIA APG menu button pattern)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
CHAPTER = "intermediate/restoring-fertility/"
DESKTOP = {"width": 1280, "height": 800}
TOOLTIP_SHOWN = """() => [...document.querySelectorAll('.trt-popover, .md-tooltip2')]
    .some(t => getComputedStyle(t).display !== 'none' && getComputedStyle(t).opacity !== '0'
               && t.getBoundingClientRect().width > 0)"""


@pytest.fixture
def desktop(browser, site_server: str):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(site_server + CHAPTER)
    yield page
    context.close()


def test_escape__hides_the_tooltip_of_a_focused_term_and_keeps_focus(desktop) -> None:
    term = desktop.locator("article a.trt-term[data-tip], article a[data-tip]").first
    term.scroll_into_view_if_needed()
    term.focus()
    desktop.wait_for_function(TOOLTIP_SHOWN, timeout=3000)
    desktop.keyboard.press("Escape")
    desktop.wait_for_timeout(300)
    assert not desktop.evaluate(TOOLTIP_SHOWN), "Escape left the tooltip on screen"
    assert term.evaluate("e => e === document.activeElement"), "Escape moved focus"
    # Moving on brings tooltips back for the next term.
    desktop.keyboard.press("Tab")
    desktop.wait_for_timeout(100)
    assert not desktop.evaluate("document.documentElement.classList.contains('trt-tips-dismissed')")


def test_level_menu__is_a_menu_button_with_state_arrows_and_escape(desktop) -> None:
    button = desktop.locator(".trt-level-menu__button")
    items = desktop.locator(".trt-level-menu .md-select__link[href]")
    inner = desktop.locator(".trt-level-menu .md-select__inner")
    button.focus()
    assert button.get_attribute("aria-expanded") == "false"
    assert button.get_attribute("aria-haspopup") == "true"
    desktop.wait_for_timeout(400)
    assert inner.evaluate("e => getComputedStyle(e).opacity") == "0", "focus alone opened the menu"
    desktop.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    desktop.keyboard.press("ArrowDown")
    assert desktop.evaluate("document.activeElement.textContent.trim()") == items.nth(0).inner_text().strip()
    desktop.keyboard.press("ArrowDown")
    assert desktop.evaluate("document.activeElement.textContent.trim()") == items.nth(1).inner_text().strip()
    desktop.keyboard.press("ArrowDown")  # wraps round
    assert desktop.evaluate("document.activeElement.textContent.trim()") == items.nth(0).inner_text().strip()
    desktop.keyboard.press("End")
    assert desktop.evaluate("document.activeElement.textContent.trim()") == items.nth(1).inner_text().strip()
    desktop.wait_for_timeout(400)
    assert inner.evaluate("e => getComputedStyle(e).opacity") == "1"
    desktop.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert desktop.evaluate("document.activeElement.classList.contains('trt-level-menu__button')")
    desktop.wait_for_timeout(400)
    assert inner.evaluate("e => getComputedStyle(e).opacity") == "0", "Escape left the menu open"


def test_level_menu__hover_opens_it_and_says_so(desktop) -> None:
    button = desktop.locator(".trt-level-menu__button")
    desktop.hover(".trt-level-menu .md-select")
    assert button.get_attribute("aria-expanded") == "true"
    desktop.mouse.move(5, 700)
    assert button.get_attribute("aria-expanded") == "false"
