"""'Report a problem with this page': every chapter links to the issue form with its address, and
the section being read, filled in; nothing loads from the code host until the reader clicks."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from mkdocs.config import load_config
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, BuiltSite, chapter_sources, chapter_url

REPORT_URL = load_config(str(ROOT / "mkdocs.yml"))["extra"]["report_url"]
FORM = ROOT / ".github/ISSUE_TEMPLATE/report-an-error.yml"


def report_link(html: str):
    return LexborHTMLParser(html).css_first("article a.trt-report, .md-content a.trt-report")


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_chapter__links_to_the_issue_form_with_its_public_address(
        built_site: BuiltSite, source: Path) -> None:
    html = built_site.html(chapter_url(source))
    link = report_link(html)
    assert link is not None and link.text(strip=True) == "Report a problem with this page"
    href = urlsplit(link.attributes["href"])
    assert f"{href.scheme}://{href.netloc}{href.path}" == REPORT_URL
    query = parse_qs(href.query)
    assert query["template"] == [FORM.name] and FORM.is_file()
    canonical = LexborHTMLParser(html).css_first('link[rel="canonical"]').attributes["href"]
    assert query["address"] == [canonical] == [link.attributes["data-trt-page"]]
    assert query["title"][0].startswith("Error: ")


def test_issue_form__has_the_address_field_the_link_fills() -> None:
    assert "id: address" in FORM.read_text()


def test_non_chapter_pages__have_no_report_link(built_site: BuiltSite) -> None:
    for url in ("", "glossary/", "references/", "handout/"):
        assert report_link(built_site.html(url)) is None, url


@pytest.mark.browser
def test_report_link__names_the_section_being_read(browser, site_server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site_server + "intermediate/restoring-fertility/#if-sperm-do-not-return")
    page.wait_for_timeout(300)
    href = page.locator("a.trt-report").get_attribute("href")
    address = parse_qs(urlsplit(href).query)["address"][0]
    assert address.endswith("/intermediate/restoring-fertility/#if-sperm-do-not-return")
    assert address.startswith(load_config(str(ROOT / "mkdocs.yml"))["site_url"])
    assert not [url for url in requests if "github.com" in url], "the code host was asked for something"
    context.close()
