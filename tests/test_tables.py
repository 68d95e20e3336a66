"""Tables: every one has a caption; on a phone a wide one keeps its first column in view and says
that it scrolls; on paper no column is cut off."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from selectolax.lexbor import LexborHTMLParser

from conftest import BuiltSite, serve

WIDE_TABLE = "intermediate/restoring-fertility/"  # 10 columns
NARROW_TABLE = "fundamentals/recovery-timeline/"  # 2 columns


def squeeze(text: str) -> str:
    """Text without whitespace: PDF text breaks words wherever a narrow column did."""
    return "".join(text.split())


def uncaptioned_tables(html: str) -> list[str]:
    """The first header cell of each table that has neither a <caption> nor a figure caption."""
    missing = []
    for table in LexborHTMLParser(html).css("table"):
        caption = table.css_first("caption")
        figure = table.parent
        while figure is not None and figure.tag != "figure":
            figure = figure.parent
        figcaption = figure.css_first("figcaption") if figure is not None else None
        label = caption or figcaption
        if label is None or not label.text(strip=True):
            first = table.css_first("th, td")
            missing.append(first.text(strip=True) if first else "(empty table)")
    return missing


def test_uncaptioned_tables__finds_a_bare_table_and_accepts_both_caption_forms() -> None:
    bare = "<table><tr><th>Agent</th></tr></table>"
    empty = "<figure><figcaption> </figcaption><table><tr><th>Dose</th></tr></table></figure>"
    caption = "<table><caption>Doses</caption><tr><th>Dose</th></tr></table>"
    figure = "<figure><figcaption>Doses</figcaption><table><tr><th>Dose</th></tr></table></figure>"
    assert uncaptioned_tables(bare + empty + caption + figure) == ["Agent", "Dose"]


def site_pages(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)).removesuffix("index.html") for p in root.rglob("index.html"))


def pages_with_tables(built_site: BuiltSite) -> list[str]:
    return [page for page in site_pages(built_site.root) if "<table" in built_site.html(page)]


def test_built_site__every_table_has_a_caption(built_site: BuiltSite) -> None:
    pages = pages_with_tables(built_site)
    assert WIDE_TABLE in pages and NARROW_TABLE in pages
    missing = {page: uncaptioned_tables(built_site.html(page)) for page in pages}
    assert not {page: tables for page, tables in missing.items() if tables}


SCROLL_STATE = """() => {
    const box = document.querySelector("article .md-typeset__scrollwrap");
    const figure = box.closest("figure");
    const cue = getComputedStyle(figure.querySelector("figcaption"), "::after").content;
    const left = n => box.querySelector(`tbody td:nth-child(${n})`).getBoundingClientRect().left;
    const second = left(2);
    box.scrollLeft = 300;
    return {overflows: box.scrollWidth > box.clientWidth, scrolled: box.scrollLeft, cue,
            region: box.getAttribute("role"), label: box.getAttribute("aria-labelledby"),
            focusable: box.tabIndex === 0, box_left: box.getBoundingClientRect().left,
            first_left: left(1), second_moved: second - left(2)};
}"""


@pytest.mark.browser
def test_wide_table__on_a_phone_scrolls_with_first_column_fixed_and_a_visible_cue(
    site_server: str, browser
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site_server + WIDE_TABLE, wait_until="load")
    state = page.evaluate(SCROLL_STATE)
    context.close()
    assert state["overflows"] and state["scrolled"] == 300
    # The row labels stay at the left edge of the box while the other columns move under them.
    assert state["first_left"] == pytest.approx(state["box_left"], abs=1), state
    assert state["second_moved"] == pytest.approx(300, abs=1), state
    assert "Scroll sideways" in state["cue"]
    assert state["region"] == "region" and state["label"] and state["focusable"]


@pytest.mark.browser
def test_narrow_table__fits_a_phone_and_shows_no_scroll_cue(site_server: str, browser) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site_server + NARROW_TABLE, wait_until="load")
    state = page.evaluate("""() => {
        const box = document.querySelector("article .md-typeset__scrollwrap");
        return {overflows: box.scrollWidth > box.clientWidth, region: box.getAttribute("role"),
                cue: getComputedStyle(box.closest("figure").querySelector("figcaption"), "::after").content};
    }""")
    context.close()
    assert state == {"overflows": False, "region": None, "cue": "none"}


def headers_lost_in_print(browser, url: str) -> list[str]:
    """The column headers of a page's tables that are missing from the page printed to A4."""
    page = browser.new_page()
    page.goto(url, wait_until="load")
    headers = page.eval_on_selector_all("article table th", "cells => cells.map(c => c.innerText)")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    page.close()
    text = squeeze("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    return [header for header in headers if squeeze(header) not in text]


@pytest.mark.browser
def test_headers_lost_in_print__sees_columns_cut_off_the_paper(tmp_path: Path, browser) -> None:
    cells = "".join(f"<th>Column{n:02d}</th>" for n in range(1, 31))
    (tmp_path / "index.html").write_text(
        f"<article><table style='white-space:nowrap'><tr>{cells}</tr></table></article>", encoding="utf-8")
    with serve(tmp_path) as base_url:
        lost = headers_lost_in_print(browser, base_url)
    assert "Column01" not in lost and "Column30" in lost


@pytest.mark.browser
def test_printed_chapters__keep_every_table_column_header(built_site: BuiltSite, site_server: str,
                                                          browser) -> None:
    pages = [page for page in pages_with_tables(built_site) if page.split("/")[0] in
             ("fundamentals", "intermediate", "academic")]
    assert len(pages) >= 5
    lost = {page: headers_lost_in_print(browser, site_server + page) for page in pages}
    assert not {page: headers for page, headers in lost.items() if headers}
