"""Finding one's way: the level in titles and headings, the level switcher, routes on the start
page, previous/next within a tier, the glossary's A-Z bar, and the public address under serve."""

from __future__ import annotations

import os
import posixpath
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from mkdocs.config import load_config
from selectolax.lexbor import LexborHTMLParser

from conftest import AXE_SOURCE, ROOT, BuiltSite, build, chapter_sources, chapter_url, section_position
from guide import levels
from guide.chapters import TIERS
from guide.glossary_page import az_bar
from guide.print_page import qr_svg

SITE_NAME = "TRT Fertility Guide"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}


def front_matter(source: Path) -> dict:
    return yaml.safe_load(source.read_text(encoding="utf-8").split("---\n", 2)[1])


# --- Titles -----------------------------------------------------------------------------------

def page_titles(root: Path) -> dict[str, str]:
    """Every built page's <title>, by site-relative URL."""
    titles = {}
    for path in sorted(root.rglob("*.html")):
        title = LexborHTMLParser(path.read_text(encoding="utf-8")).css_first("title")
        url = str(path.relative_to(root)).removesuffix("index.html")
        titles[url] = title.text().strip() if title else ""
    return titles


def shared_titles(titles: dict[str, str]) -> dict[str, list[str]]:
    """Titles that more than one page carries, with those pages."""
    pages = defaultdict(list)
    for url, title in titles.items():
        pages[title].append(url)
    return {title: urls for title, urls in pages.items() if len(urls) > 1}


def test_shared_titles__finds_two_pages_with_one_title() -> None:
    titles = {"a/": "Sperm banking - TRT Fertility Guide", "b/": "Sperm banking - TRT Fertility Guide",
              "c/": "Glossary - TRT Fertility Guide"}
    assert shared_titles(titles) == {"Sperm banking - TRT Fertility Guide": ["a/", "b/"]}
    assert shared_titles({"a/": "One", "b/": "Two"}) == {}


def test_titles__no_two_built_pages_share_one(built_site: BuiltSite) -> None:
    titles = page_titles(built_site.root)
    assert len(titles) > 25
    assert all(titles.values())
    assert shared_titles(titles) == {}


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_chapter_title__names_page_level_and_site(built_site: BuiltSite, source: Path) -> None:
    title = page_titles(built_site.root)[chapter_url(source)]
    level = TIERS[source.parent.name]
    assert title == f"{front_matter(source)['title']} - {level} - {SITE_NAME}"


def test_home_title__is_not_the_site_name_twice(built_site: BuiltSite) -> None:
    title = page_titles(built_site.root)[""]
    assert title != f"{SITE_NAME} - {SITE_NAME}"
    assert title.endswith(f" - {SITE_NAME}")


# --- Matching sections across levels ----------------------------------------------------------

GROUPS = {"chapter": [{"fundamentals": "plain-words", "academic": "mechanism"}]}
HEADINGS = [levels.Heading("same-id"), levels.Heading("plain-words"),
            levels.Heading("detail", parent="plain-words"), levels.Heading("orphan"),
            levels.Heading("orphan-detail", parent="orphan")]


def test_section_targets__same_id_then_declared_group_then_parent_else_nothing() -> None:
    targets = levels.section_targets("chapter", "fundamentals", HEADINGS, "academic",
                                     {"same-id", "mechanism"}, GROUPS)
    assert targets == {"same-id": "same-id", "plain-words": "mechanism", "detail": "mechanism"}


def test_section_targets__a_group_without_the_other_tier_does_not_match() -> None:
    targets = levels.section_targets("chapter", "fundamentals", HEADINGS, "intermediate",
                                     {"same-id"}, GROUPS)
    assert targets == {"same-id": "same-id"}


def test_section_targets__a_group_without_this_tier_covers_the_same_id_named_for_another() -> None:
    groups = {"chapter": [{"intermediate": "shared", "academic": "deep-dive"}]}
    targets = levels.section_targets("chapter", "fundamentals", [levels.Heading("shared")],
                                     "academic", {"other"}, groups)
    assert targets == {"shared": "deep-dive"}
    groups = {"chapter": [{"fundamentals": "plain", "intermediate": "shared", "academic": "deep-dive"}]}
    targets = levels.section_targets("chapter", "fundamentals", [levels.Heading("shared")],
                                     "academic", {"other"}, groups)
    assert targets == {}


@pytest.mark.parametrize("group", [{"fundamentals": "shared", "academic": "elsewhere"},
                                   {"intermediate": "shared", "academic": "elsewhere"}],
                         ids=["group-names-this-tier", "group-covers-the-same-id"])
def test_section_targets__the_same_id_on_the_other_page_wins_over_a_group(group: dict) -> None:
    headings = [levels.Heading("shared"), levels.Heading("detail", parent="shared")]
    targets = levels.section_targets("chapter", "fundamentals", headings, "academic",
                                     {"shared", "elsewhere"}, {"chapter": [group]})
    assert targets == {"shared": "shared", "detail": "shared"}


def test_missing_sections__names_an_id_the_page_lacks_and_a_missing_page() -> None:
    pages = {("fundamentals", "chapter"): [levels.Heading("plain-words")]}
    assert levels.missing_sections(GROUPS, pages) == [
        "chapter, group 1: there is no academic/chapter.md"]
    pages[("academic", "chapter")] = [levels.Heading("other")]
    assert levels.missing_sections(GROUPS, pages) == [
        "chapter, group 1: academic/chapter.md has no section '#mechanism'"]
    pages[("academic", "chapter")] = [levels.Heading("mechanism")]
    assert levels.missing_sections(GROUPS, pages) == []


@pytest.mark.parametrize("data", [
    ["not", "a", "mapping"],
    {"chapter": {"fundamentals": "x"}},
    {"chapter": [{"fundamentals": "only-one-tier"}]},
    {"chapter": [{"fundamentals": "x", "expert": "y"}]},
    {"chapter": [{"fundamentals": "x", "academic": ""}]},
], ids=["not-a-mapping", "group-not-a-list", "one-tier", "unknown-tier", "empty-id"])
def test_parse__rejects_a_malformed_file(data: object) -> None:
    with pytest.raises(levels.LevelSectionsError):
        levels.parse(data, "level-sections.yaml")


def test_level_sections_file__every_chapter_it_names_exists() -> None:
    groups = levels.load(ROOT / "data" / "level-sections.yaml")
    slugs = {source.stem for source in chapter_sources()}
    assert groups and set(groups) <= slugs


def test_build__fails_on_a_level_section_that_does_not_exist(project_copy: Path, tmp_path: Path) -> None:
    path = project_copy / "data" / "level-sections.yaml"
    groups = yaml.safe_load(path.read_text(encoding="utf-8"))
    groups["why-trt-lowers-sperm"].append({"fundamentals": "no-such-section", "academic": "how-often"})
    path.write_text(yaml.safe_dump(groups), encoding="utf-8")
    result = build(project_copy, tmp_path / "out")
    assert result.returncode != 0
    assert "no-such-section" in result.stderr


def test_level_links__without_javascript_open_the_top_of_the_matching_chapter(
    built_site: BuiltSite,
) -> None:
    for source in chapter_sources():
        tree = LexborHTMLParser(built_site.html(chapter_url(source)))
        links = tree.css("article .trt-level a.trt-level-link")
        others = [tier for tier in TIERS if tier != source.parent.name
                  and (ROOT / "docs" / tier / source.name).exists()]
        assert [link.text().strip() for link in links] == [TIERS[tier] for tier in others]
        for link, tier in zip(links, others):
            assert link.attributes["href"] == f"../../{tier}/{source.stem}/"


# (chapter, section read, level chosen, where the reader must land; None = top of the page)
SWITCHES = [
    ("fundamentals/why-trt-lowers-sperm/", "how-often-sperm-drop", "Intermediate",
     "intermediate/why-trt-lowers-sperm/", "how-often"),  # declared in level-sections.yaml
    ("intermediate/restoring-fertility/", "serms-and-aromatase-inhibitors", "Academic",
     "academic/restoring-fertility/", "serms-and-aromatase-inhibitors"),  # the same id
    ("academic/protecting-fertility/", "hcg-risks", "Fundamentals",
     "fundamentals/protecting-fertility/", "hcg-alongside-trt"),  # an ### under a matching ##
    ("academic/why-trt-lowers-sperm/", "evidence-gaps", "Fundamentals",
     "fundamentals/why-trt-lowers-sperm/", None),  # no match: the top
]
GAP_ALLOWED = 40  # as in test_section_links: the heading lands just below the header


def assert_landed(page, site_server: str, url: str, section: str | None) -> None:
    page.wait_for_url(site_server + url + (f"#{section}" if section else ""), timeout=5000)
    if section is None:
        page.wait_for_load_state("load")
        assert page.evaluate("window.scrollY") == 0
        return
    position = section_position(page, section)
    assert position["header_bottom"] <= position["top"] <= position["header_bottom"] + GAP_ALLOWED, position


@pytest.mark.browser
@pytest.mark.parametrize(("chapter", "section", "level", "url", "landing"), SWITCHES,
                         ids=[f"{c.split('/')[0]}-{s}-to-{lv.lower()}" for c, s, lv, _, _ in SWITCHES])
def test_header_level_menu__on_a_phone_lands_on_the_matching_section(
    site_server: str, browser, chapter: str, section: str, level: str, url: str,
    landing: str | None,
) -> None:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_server + chapter)
    # The reader scrolls to the section (no #fragment in the address), then opens the menu.
    page.evaluate("id => document.getElementById(id).scrollIntoView()", section)
    section_position(page, section)
    page.locator(".trt-level-menu__button").tap()
    page.wait_for_function("""() => getComputedStyle(
        document.querySelector(".trt-level-menu .md-select__inner")).opacity === "1" """)
    # A tap where the finger is: Locator.tap() first scrolls the page to "reveal" a link that
    # sits in the sticky header, which no reader's finger does.
    box = page.locator(".trt-level-menu a", has_text=level).bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert_landed(page, site_server, url, landing)
    context.close()


@pytest.mark.browser
def test_level_links__follow_the_section_being_read_and_reset_at_the_top(
    site_server: str, browser,
) -> None:
    chapter, section, level, url, landing = SWITCHES[0]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{site_server}{chapter}#{section}")
    section_position(page, section)
    hrefs = "() => [...document.querySelectorAll('a.trt-level-link')].map(a => a.hash)"
    assert page.evaluate(hrefs) == [f"#{landing}", "#how-often"] * 2  # content, then header
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_function(f"() => ({hrefs})().every(hash => hash === '')")
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("tier", TIERS)
def test_level_badge__on_the_first_phone_screen_and_in_the_header(
    site_server: str, browser, tier: str,
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site_server}{tier}/why-trt-lowers-sperm/")
    badge = page.locator("article .trt-level__badge")
    assert badge.inner_text() == f"{TIERS[tier]} level"
    box = badge.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    h1 = page.locator("article h1").bounding_box()
    assert box["y"] < h1["y"]
    page.mouse.wheel(0, 3000)
    menu = page.locator(".trt-level-menu__button")
    assert menu.is_visible() and menu.inner_text().strip() == TIERS[tier]
    assert 0 <= menu.bounding_box()["y"] < 60
    context.close()


# --- Start page ------------------------------------------------------------------------------

CHAPTER_SECTIONS_ON_SCREEN = """() => [...document.querySelectorAll("article a[href]")]
    .filter(a => {
        const box = a.getBoundingClientRect();
        const url = new URL(a.href);
        return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight
            && url.hash.length > 1
            && /^\\/(fundamentals|intermediate|academic)\\/[^/]+\\/$/.test(url.pathname);
    })
    .map(a => new URL(a.href).pathname.slice(1) + new URL(a.href).hash)"""


def chapter_sections_on_screen(page) -> list[str]:
    """Links on the first screen that lead into a chapter section (tier/chapter/#id)."""
    return page.evaluate(CHAPTER_SECTIONS_ON_SCREEN)


@pytest.mark.browser
def test_chapter_sections_on_screen__ignores_links_below_the_fold(browser) -> None:
    page = browser.new_page(viewport=PHONE)
    links = "".join(f'<a href="http://x.test/fundamentals/c{i}/#s">route</a>' for i in range(4))
    page.set_content(f"<article><a href='http://x.test/fundamentals/c/#top'>on screen</a>"
                     f"<div style='height:900px'></div>{links}"
                     "<a href='http://x.test/glossary/#term'>not a chapter</a></article>")
    assert chapter_sections_on_screen(page) == ["fundamentals/c/#top"]
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_home__first_phone_screen_has_routes_into_chapter_sections(
    built_site: BuiltSite, site_server: str, browser, scheme: str,
) -> None:
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    page = context.new_page()
    page.goto(site_server)
    routes = chapter_sections_on_screen(page)
    assert len(routes) >= 3, routes
    for route in routes:
        url, _, section = route.partition("#")
        assert LexborHTMLParser(built_site.html(url)).css_first(f"article [id='{section}']"), route
    # The disclaimer stays, below the routes.
    last_route = page.locator("#by-situation + ul > li").last.bounding_box()
    disclaimer = page.locator("#what-this-site-is").bounding_box()
    assert disclaimer["y"] > last_route["y"] + last_route["height"]
    assert "not medical advice" in page.locator("#what-this-site-is ~ ul").first.inner_text()
    context.close()


# --- Previous and next ------------------------------------------------------------------------

def tier_urls(tier_name: str) -> list[str]:
    """A tier's pages in nav order, as site-relative URLs."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    entries = next(entry[tier_name] for entry in config["nav"]
                   if isinstance(entry, dict) and tier_name in entry)
    sources = [next(iter(e.values())) if isinstance(e, dict) else e for e in entries]
    return [source.removesuffix("index.md") if source.endswith("index.md")
            else source.removesuffix(".md") + "/" for source in sources]


def footer_links(built_site: BuiltSite, url: str) -> dict[str, str | None]:
    tree = LexborHTMLParser(built_site.html(url))
    found = {}
    for direction in ("prev", "next"):
        link = tree.css_first(f"nav.md-footer__inner a.md-footer__link--{direction}")
        found[direction] = (posixpath.normpath(posixpath.join(url, link.attributes["href"])) + "/"
                            if link else None)
    return found


@pytest.mark.parametrize("tier", TIERS)
def test_previous_next__run_through_the_tier_in_nav_order_and_stop_at_its_ends(
    built_site: BuiltSite, tier: str,
) -> None:
    urls = tier_urls(TIERS[tier])
    assert len(urls) > 3 and all(url.startswith(f"{tier}/") for url in urls)
    for index, url in enumerate(urls):
        assert footer_links(built_site, url) == {
            "prev": urls[index - 1] if index else None,
            "next": urls[index + 1] if index + 1 < len(urls) else None,
        }, url


def test_previous_next__none_outside_the_tiers(built_site: BuiltSite) -> None:
    for url in ("", "glossary/", "references/", "about/"):
        assert footer_links(built_site, url) == {"prev": None, "next": None}, url


# --- Glossary A-Z ----------------------------------------------------------------------------

def test_az_bar__links_each_letter_to_its_first_entry_and_greys_the_rest() -> None:
    terms = [SimpleNamespace(term=t, id=i) for t, i in [
        ("aromatase", "aromatase"), ("azoospermia", "azoospermia"), ("FSH", "fsh"), ("5-ARI", "5ari")]]
    tree = LexborHTMLParser(az_bar(sorted(terms, key=lambda t: t.term.lower())))
    links = {a.text(): a.attributes["href"] for a in tree.css("nav.trt-az a")}
    assert links == {"A": "#aromatase", "F": "#fsh", "5": "#5ari"}
    greyed = [li.text() for li in tree.css("nav.trt-az li[aria-hidden='true']")]
    assert len(greyed) == 24 and "B" in greyed and "A" not in greyed


def test_glossary__az_bar_leads_to_the_first_entry_of_each_letter(built_site: BuiltSite) -> None:
    tree = LexborHTMLParser(built_site.html("glossary/"))
    first = {}
    for heading in tree.css("article h2[id]"):
        first.setdefault(heading.text().strip()[:1].upper(), heading.attributes["id"])
    links = {a.text(): a.attributes["href"] for a in tree.css("article nav.trt-az a")}
    assert len(links) > 15
    assert links == {letter: f"#{term_id}" for letter, term_id in first.items()}


@pytest.mark.browser
def test_glossary__tapping_a_letter_on_a_phone_shows_its_first_entry(site_server: str, browser) -> None:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_server + "glossary/")
    letter = page.locator("nav.trt-az a", has_text="S")
    box = letter.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    target = letter.get_attribute("href").lstrip("#")
    letter.tap()
    page.wait_for_url(f"**/glossary/#{target}")
    position = section_position(page, target)
    assert position["header_bottom"] <= position["top"] <= position["header_bottom"] + GAP_ALLOWED
    context.close()


# --- Accessibility of what this file's features add -------------------------------------------

# The parts of a page that the navigation features add; axe checks only these here (the
# all-pages axe test checks the rest of each page).
OWN_PARTS = [".trt-level", ".trt-level-menu", ".trt-heading", ".trt-toast", ".trt-az",
             "#by-situation + ul", ".trt-popover", "nav.md-footer__inner"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations_in(page, selectors: list[str]) -> list[dict]:
    page.add_script_tag(path=str(AXE_SOURCE))
    return page.evaluate(
        """([selectors, tags]) => {
            const include = selectors.filter(s => document.querySelector(s)).map(s => [s]);
            return axe.run({include}, {runOnly: {type: "tag", values: tags}})
                .then(r => r.violations.map(v => ({id: v.id, help: v.help,
                    targets: v.nodes.slice(0, 5).map(n => n.target.join(" "))})));
        }""",
        [selectors, AXE_TAGS],
    )


AXE_PAGES = ["", "fundamentals/why-trt-lowers-sperm/", "academic/restoring-fertility/", "glossary/"]


@pytest.mark.browser
@pytest.mark.parametrize(("viewport", "scheme"), [(DESKTOP, "light"), (PHONE, "dark")],
                         ids=["desktop-light", "phone-dark"])
@pytest.mark.parametrize("url", AXE_PAGES, ids=lambda u: u or "home")
def test_navigation_parts__pass_axe(site_server: str, browser, url: str, viewport: dict,
                                    scheme: str) -> None:
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE} is missing: run `make setup` (npm ci)")
    context = browser.new_context(viewport=viewport, color_scheme=scheme, has_touch=True,
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_server + url)
    if page.locator(".trt-copy-icon").count():
        page.locator(".trt-copy-icon").first.click()  # the toast, shown
        page.locator(".trt-toast--visible").wait_for()
    if page.locator("sup.cite a").count():
        page.locator("sup.cite a").first.tap()  # a popover, open
        page.locator(".trt-popover").wait_for()
    if page.locator(".trt-level-menu__button").count():
        page.locator(".trt-level-menu__button").focus()  # the header menu, open
    assert axe_violations_in(page, OWN_PARTS) == []
    context.close()


# --- The public address under `mkdocs serve` --------------------------------------------------

PUBLIC_URL = "https://public-address.example.org/"
SERVED_CHAPTER = "fundamentals/why-trt-lowers-sperm/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def mkdocs_serve() -> str:
    """A real `mkdocs serve` of the project with SITE_URL set; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "SITE_URL": PUBLIC_URL, "NO_MKDOCS_2_WARNING": "1"}
    log = (Path(os.environ.get("TMPDIR", "/tmp")) / f"mkdocs-serve-{port}.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict",
         "-f", str(ROOT / "mkdocs.yml"), "--dev-addr", f"127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"mkdocs serve stopped: {log.read()}")
            try:
                with urllib.request.urlopen(base + SERVED_CHAPTER, timeout=2):
                    break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    pytest.fail("mkdocs serve did not answer")
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.mark.browser
def test_serve__copy_link_canonical_and_print_address_are_public(mkdocs_serve: str, browser) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(mkdocs_serve + SERVED_CHAPTER)
    assert page.url.startswith("http://127.0.0.1:")
    public_page = PUBLIC_URL + SERVED_CHAPTER
    assert page.get_attribute('link[rel="canonical"]', "href") == public_page
    assert page.get_attribute('meta[name="trt-page-url"]', "content") == public_page
    assert page.locator(".trt-handout__url").text_content().strip() == public_page
    with urllib.request.urlopen(mkdocs_serve + SERVED_CHAPTER, timeout=10) as response:
        assert qr_svg(public_page) in response.read().decode("utf-8")
    page.get_by_role("button", name="Copy link to section: How often sperm drop to zero").click()
    page.get_by_role("status").get_by_text("Link copied").wait_for(timeout=3000)
    assert page.evaluate("navigator.clipboard.readText()") == public_page + "#how-often-sperm-drop"
    context.close()
