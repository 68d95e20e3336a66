"""Redirects, section aliases and short links (data/redirects.yaml): old links keep landing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from mkdocs.config import load_config
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, BuiltSite, build, copy_project, section_position, serve
from guide.redirects import RedirectsError, Target, load, parse, relative_url
from sitecheck.problems import Kind
from sitecheck.run import check_site

REDIRECTS = load(ROOT / "data/redirects.yaml")
SITE_URL = load_config(str(ROOT / "mkdocs.yml"))["site_url"]

# The changed project below: the timeline chapter once lived at fundamentals/timeline/, and its
# first section was once called #why-recovery-takes-months.
CHAPTER = "fundamentals/recovery-timeline/"
OLD_ADDRESS = "fundamentals/timeline/"
OLD_ID, NEW_ID = "why-recovery-takes-months", "why-it-takes-months"


def change_project(project: Path) -> None:
    chapter = project / "docs/fundamentals/recovery-timeline.md"
    text = chapter.read_text(encoding="utf-8")
    # A writer who renames a section also updates the page's own links to it.
    text = text.replace(f"{{#{OLD_ID}}}", f"{{#{NEW_ID}}}").replace(f"(#{OLD_ID})", f"(#{NEW_ID})")
    chapter.write_text(text, encoding="utf-8")
    data_file = project / "data/redirects.yaml"
    data = yaml.safe_load(data_file.read_text(encoding="utf-8"))
    data["moved_pages"] = {OLD_ADDRESS: "fundamentals/recovery-timeline.md"}
    data["renamed_sections"] = {**(data["renamed_sections"] or {}),
                                "fundamentals/recovery-timeline.md": {OLD_ID: NEW_ID}}
    data_file.write_text(yaml.safe_dump(data), encoding="utf-8")


@pytest.fixture(scope="module")
def changed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("moved-project"))
    change_project(project)
    dest = project / "site"
    result = build(project, dest)
    assert result.returncode == 0, result.stderr
    return dest


@pytest.fixture(scope="module")
def changed_server(changed_site: Path) -> Iterator[str]:
    with serve(changed_site) as base_url:
        yield base_url


# --- the data file -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"redirect": {}}, "unknown keys redirect"),
        ({"moved_pages": {"/old/": "a.md"}}, "is not a page address"),
        ({"moved_pages": {"old": "a.md"}}, "is not a page address"),
        ({"moved_pages": {"old/": "a/"}}, "is not a Markdown file"),
        ({"moved_pages": {"old/": "../a.md"}}, "is not a Markdown file"),
        ({"short_links": {"x": "a.md#"}}, "is not a section id"),
        ({"short_links": {"Bad_Name": "a.md#x"}}, "lower-case words"),
        ({"renamed_sections": {"a.md": {"same": "same"}}}, "different, current one"),
        ({"renamed_sections": {"a.md": ["x"]}}, "expected a mapping"),
    ],
)
def test_parse__rejects_bad_entry(data: dict, message: str) -> None:
    with pytest.raises(RedirectsError, match=message):
        parse(data)


def test_parse__reads_moved_pages_renamed_sections_and_short_links() -> None:
    redirects = parse({
        "moved_pages": {"tier/old/": "tier/new.md"},
        "renamed_sections": {"tier/new.md": {"old-id": "new-id"}},
        "short_links": {"one-thing": "tier/new.md#new-id"},
    })
    assert [(r.address, str(r.target), r.short) for r in redirects.pages()] == [
        ("tier/old/", "tier/new.md", False), ("go/one-thing/", "tier/new.md#new-id", True),
    ]
    assert redirects.renamed_sections == {"tier/new.md": {"old-id": "new-id"}}


@pytest.mark.parametrize(
    ("target", "address", "expected"),
    [("fundamentals/x/", "go/a/", "../../fundamentals/x/"), ("", "old/", "../"),
     ("a/b/", "a/c/", "../b/")],
)
def test_relative_url__from_redirect_page_to_target(target: str, address: str, expected: str) -> None:
    assert relative_url(target, address) == expected


def test_real_data__has_four_to_six_short_links_to_fundamentals_sections() -> None:
    assert 4 <= len(REDIRECTS.short_links) <= 6
    assert all(t.fragment and t.src.startswith("fundamentals/") for t in REDIRECTS.short_links.values())


# --- the build -----------------------------------------------------------------------------

BROKEN_DATA = {
    "moved page to a missing page": (
        {"moved_pages": {"fundamentals/old-name/": "fundamentals/no-such-page.md"}},
        "fundamentals/old-name/: no page docs/fundamentals/no-such-page.md"),
    "moved page to a missing section": (
        {"moved_pages": {"fundamentals/old-name/": "fundamentals/recovery-timeline.md#no-such-section"}},
        "fundamentals/old-name/ -> fundamentals/recovery-timeline.md#no-such-section: "
        "the page has no section 'no-such-section'"),
    "renamed sections of a missing page": (
        {"renamed_sections": {"fundamentals/no-such-page.md": {"old-id": "new-id"}}},
        "renamed_sections: no page docs/fundamentals/no-such-page.md"),
    "short link to a missing section": (
        {"short_links": {"lost": "fundamentals/recovery-timeline.md#no-such-section"}},
        "has no section 'no-such-section'"),
    "short link to a missing page": (
        {"short_links": {"lost": "fundamentals/no-such-page.md#x"}}, "no page docs/fundamentals/no-such"),
    "old address that is a current page": (
        {"moved_pages": {"fundamentals/recovery-timeline/": "fundamentals/protecting-fertility.md"}},
        "is a current page"),
    "renamed section whose old id is still used": (
        {"renamed_sections": {"fundamentals/recovery-timeline.md": {"recovery-numbers": "monitoring-tests"}}},
        "still has an element with id 'recovery-numbers'"),
    "renamed section whose new id does not exist": (
        {"renamed_sections": {"fundamentals/recovery-timeline.md": {"old-id": "no-such-id"}}},
        "has no element with id 'no-such-id'"),
}


@pytest.mark.parametrize("case", BROKEN_DATA)
def test_build__stops_when_a_redirect_cannot_be_honoured(project_copy: Path, tmp_path: Path,
                                                         case: str) -> None:
    change, message = BROKEN_DATA[case]
    data_file = project_copy / "data/redirects.yaml"
    data = yaml.safe_load(data_file.read_text(encoding="utf-8"))
    for key, entries in change.items():
        data[key] = {**(data.get(key) or {}), **entries}
    data_file.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert message in result.stderr


def test_build__stops_when_no_page_lists_the_short_links(project_copy: Path, tmp_path: Path) -> None:
    linking = project_copy / "docs/about/linking.md"
    linking.write_text(linking.read_text(encoding="utf-8").replace("<!-- short-links -->", ""),
                       encoding="utf-8")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "no page holds <!-- short-links -->" in result.stderr


def test_linking_page__lists_every_short_link_with_its_full_address_and_section(
    built_site: BuiltSite,
) -> None:
    rows = LexborHTMLParser(built_site.html("about/linking/")).css("article table tbody tr")
    listed = {row.css_first("code").text(): row.css_first("a").attributes["href"] for row in rows}
    assert listed == {
        f"{SITE_URL}go/{name}/": "../../" + target.src.removesuffix(".md") + f"/#{target.fragment}"
        for name, target in REDIRECTS.short_links.items()
    }


def test_short_link_pages__ask_no_other_host_and_keep_a_no_script_route(built_site: BuiltSite) -> None:
    for name, target in REDIRECTS.short_links.items():
        tree = LexborHTMLParser(built_site.html(f"go/{name}/"))
        assert not tree.css("script[src], img, link[rel=stylesheet], iframe")
        assert "location.hash" in tree.css_first("script").text()
        href = tree.css_first("body a").attributes["href"]
        assert href.endswith(target.src.removesuffix(".md") + f"/#{target.fragment}")


def test_changed_site__old_addresses_and_ids_still_resolve_for_sitecheck(changed_site: Path,
                                                                       tmp_path: Path) -> None:
    held = tmp_path / "held.txt"
    held.write_text("\n".join([
        OLD_ADDRESS, f"{OLD_ADDRESS}#monitoring-tests", f"{OLD_ADDRESS}#{OLD_ID}",
        f"{CHAPTER}#{OLD_ID}", f"{CHAPTER}#{NEW_ID}",
    ]) + "\n", encoding="utf-8")
    for listed in (held, ROOT / "published-links.txt"):
        problems = check_site(changed_site, published=listed).problems
        assert [p for p in problems if p.kind == Kind.PUBLISHED_BROKEN] == []


def test_changed_site__alias_sits_inside_the_renamed_heading(changed_site: Path) -> None:
    tree = LexborHTMLParser((changed_site / CHAPTER / "index.html").read_text(encoding="utf-8"))
    alias = tree.css_first(f"#{OLD_ID}")
    assert alias.tag == "span" and not alias.text()
    assert alias.parent.tag == "h2" and alias.parent.attributes["id"] == NEW_ID


# --- in a real browser ---------------------------------------------------------------------

def land(browser, url: str, wait_for: str, *, javascript: bool = True,
         viewport: dict | None = None) -> tuple[str, dict]:
    """Open url, wait until the browser is at wait_for, and say where the section heading is."""
    context = browser.new_context(java_script_enabled=javascript,
                                  viewport=viewport or {"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(url)
    page.wait_for_url(wait_for, timeout=5000)
    page.wait_for_load_state("load")
    heading_id = wait_for.rsplit("#", 1)[1]
    position = section_position(page, NEW_ID if heading_id == OLD_ID else heading_id)
    final = page.url
    context.close()
    return final, position


def assert_at_top(position: dict) -> None:
    assert position["header_bottom"] <= position["top"] <= position["header_bottom"] + 40, position


@pytest.mark.browser
@pytest.mark.parametrize(
    ("old", "new"),
    [
        (f"{OLD_ADDRESS}#monitoring-tests", f"{CHAPTER}#monitoring-tests"),
        (f"{OLD_ADDRESS}#{OLD_ID}", f"{CHAPTER}#{OLD_ID}"),
        (f"{CHAPTER}#{OLD_ID}", f"{CHAPTER}#{OLD_ID}"),
    ],
    ids=["moved page", "moved page and renamed section", "renamed section"],
)
def test_old_link__lands_on_its_section_of_the_new_page(changed_server: str, browser, old: str,
                                                         new: str) -> None:
    final, position = land(browser, changed_server + old, changed_server + new)
    assert final == changed_server + new
    assert_at_top(position)


@pytest.mark.browser
def test_renamed_section__lands_without_javascript(changed_server: str, browser) -> None:
    url = changed_server + f"{CHAPTER}#{OLD_ID}"
    _, position = land(browser, url, url, javascript=False, viewport={"width": 375, "height": 667})
    assert_at_top(position)


@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(REDIRECTS.short_links))
def test_short_link__lands_on_its_section(site_server: str, browser, name: str) -> None:
    target: Target = REDIRECTS.short_links[name]
    expected = site_server + target.src.removesuffix(".md") + f"/#{target.fragment}"
    final, position = land(browser, site_server + f"go/{name}/", expected,
                           viewport={"width": 375, "height": 667})
    assert final == expected
    assert_at_top(position)
