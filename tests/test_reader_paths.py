"""From a worried question to its answer: routes by situation on the start page, 'What to do now'
on the first screen of every Fundamentals chapter, urgent boxes, a readable phone header and
citation markers that a finger can hit."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import BuiltSite, chapter_sources, chapter_url

PHONE = {"width": 375, "height": 812}
FUNDAMENTALS = [s for s in chapter_sources() if s.parent.name == "fundamentals"]
# The readers the start page must serve, each with the section that answers him.
ROUTES = {
    "I am on TRT and want a child now or within a year":
        "fundamentals/restoring-fertility/#plan-with-your-doctor",
    "I am on TRT and may want children later": "fundamentals/protecting-fertility/#already-on-trt",
    "I am thinking of starting TRT": "fundamentals/protecting-fertility/#do-you-want-a-child",
    "I stopped TRT and I am waiting": "fundamentals/restoring-fertility/#waiting-for-recovery",
    "I used anabolic steroids": "fundamentals/restoring-fertility/#after-anabolic-steroids",
    "For clinicians": "academic/why-trt-lowers-sperm/#guideline-position",
}
URGENT_CHAPTERS = ["protecting-fertility", "restoring-fertility"]


def routes(built_site: BuiltSite) -> dict[str, str]:
    tree = LexborHTMLParser(built_site.html(""))
    return {link.css_first("strong").text(strip=True): link.attributes["href"]
            for link in tree.css("#by-situation + ul > li > a")}


def test_home__offers_a_route_for_each_situation_to_the_section_that_answers_it(
        built_site: BuiltSite) -> None:
    assert {title: href.removeprefix("./") for title, href in routes(built_site).items()} == ROUTES


def test_home__old_start_here_links_still_land_on_the_routes(built_site: BuiltSite) -> None:
    heading = LexborHTMLParser(built_site.html("")).css_first("#by-situation")
    assert heading.css_first("#start-here") is not None or heading.attributes.get("id") == "start-here"


@pytest.mark.browser
@pytest.mark.parametrize("title", list(ROUTES))
def test_home_route__lands_on_its_heading_below_the_header(browser, site_server: str, title: str) -> None:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_server)
    page.locator("#by-situation + ul > li > a", has_text=title).tap()
    section = ROUTES[title].split("#")[1]
    page.wait_for_url(f"**/{ROUTES[title]}")
    page.wait_for_timeout(300)
    box = page.evaluate("""id => {
        const h = document.getElementById(id).getBoundingClientRect();
        return {top: h.top, bottom: h.bottom,
                header: document.querySelector('.md-header').getBoundingClientRect().bottom}}""", section)
    assert box["top"] >= box["header"] - 1 and box["bottom"] <= PHONE["height"], box
    context.close()


def what_to_do_box(html: str):
    tree = LexborHTMLParser(html)
    return next((box for box in tree.css("article .admonition")
                 if box.css_first(".admonition-title").text(strip=True) == "What to do now"), None)


@pytest.mark.parametrize("source", FUNDAMENTALS, ids=lambda p: p.stem)
def test_fundamentals_chapter__opens_with_what_to_do_now_linking_to_its_sections(
        built_site: BuiltSite, source: Path) -> None:
    html = built_site.html(chapter_url(source))
    box = what_to_do_box(html)
    assert box is not None, "no 'What to do now' box"
    steps = box.css("ol > li")
    assert 3 <= len(steps) <= 5
    ids = {node.attributes["id"] for node in LexborHTMLParser(html).css("article [id]")}
    same_page = [a.attributes["href"][1:] for a in box.css("a[href^='#']")]
    assert len(same_page) >= 3 and set(same_page) <= ids, same_page
    first = LexborHTMLParser(html).css_first("article .admonition")
    assert first.css_first(".admonition-title").text(strip=True) == "What to do now", "not the first box"


@pytest.mark.browser
@pytest.mark.parametrize("source", FUNDAMENTALS, ids=lambda p: p.stem)
def test_what_to_do_now__is_on_the_first_phone_screen(browser, site_server: str, source: Path) -> None:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_server + chapter_url(source))
    box = page.locator("article .admonition.tip").first.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    context.close()


@pytest.mark.parametrize("tier", ["fundamentals", "intermediate", "academic"])
@pytest.mark.parametrize("chapter", URGENT_CHAPTERS)
def test_urgent_box__names_the_symptoms_that_need_care_now(
        built_site: BuiltSite, tier: str, chapter: str) -> None:
    tree = LexborHTMLParser(built_site.html(f"{tier}/{chapter}/"))
    boxes = [box for box in tree.css("article .admonition.danger")
             if box.css_first(".admonition-title").text(strip=True) == "Get urgent help"]
    assert len(boxes) == 1
    text = boxes[0].text().lower()
    assert "vision" in text or "visual" in text
    assert "clot" in text or "thromboembolism" in text
    assert boxes[0].css("a[href*='#ref-']"), "the urgent box cites the labels"


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 375])
def test_phone_header__shows_the_whole_site_name(browser, site_server: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 700}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_server + "fundamentals/restoring-fertility/")
    title = page.locator(".md-header__title .md-header__topic .md-ellipsis").first
    assert title.inner_text().strip() == "TRT Fertility Guide"
    assert title.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the site's name is cut off"
    assert page.locator(".trt-level-menu__button").is_visible()
    # Nothing in the header (the level list included) makes the page wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    size = title.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 14
    context.close()


HIT_POINTS = """() => [...document.querySelectorAll('article sup.cite')]
  .filter(s => s.querySelectorAll('a').length === 1).slice(0, 6).map(s => {
    const a = s.querySelector('a');
    a.scrollIntoView({block: 'center'});
    const r = a.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
    return [[-11.5, 0], [11.5, 0], [0, -11.5], [0, 11.5]].every(([dx, dy]) => {
      const hit = document.elementFromPoint(x + dx, y + dy);
      return hit !== null && (hit === a || a.contains(hit));
    });
  })"""


@pytest.mark.browser
def test_citation_marker__has_a_24px_hit_area_without_taller_lines(browser, site_server: str) -> None:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_server + "fundamentals/restoring-fertility/")
    hits = page.evaluate(HIT_POINTS)
    assert hits and all(hits), hits
    # Lines with a marker keep the paragraph's line height: each paragraph is a whole number of
    # lines tall (a marker that pushed its line apart would add a fraction).
    ratios = page.evaluate("""() => [...document.querySelectorAll('article > p')]
        .filter(p => p.querySelector('sup.cite')).slice(0, 10)
        .map(p => p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight))""")
    assert ratios and all(abs(r - round(r)) < 0.05 for r in ratios), ratios
    context.close()
