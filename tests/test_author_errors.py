"""Author errors: where the standards tell a browser to drop or ignore what the author wrote,
sitecheck reports it, names the rule, and still checks the URL the author wrote.

Each row is (rule, HTML with the error, the problems expected, a good twin that gives none). The
HTML is line 2 of index.html; beside it are img/a.png, img/b.png and target/index.html (id "here").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitecheck import check
from sitecheck.check import SiteChecker
from sitecheck.cli import main
from sitecheck.problems import Kind
from sitecheck.run import check_site
from sitecheck.srcset import Dropped, srcset_urls

PARSE = "so browsers drop this candidate (HTML 4.8.4.3.10, parse a srcset attribute)"
SELECT = "so browsers drop it (HTML 4.8.4.3.7, select an image source)"
INVALID = ("is not a valid URL: the URL parser fails on it, so browsers cannot use it "
           "(URL Standard 4.4, basic URL parser)")


def srcset(url: str, message: str) -> tuple[Kind, str, str]:
    return Kind.INVALID_SRCSET, url, message


def missing(path: str) -> tuple[Kind, str, str]:
    return Kind.MISSING_ASSET, path, f"no file at /{path}"


ROWS = [
    # --- HTML 4.8.4.3.10 "parse a srcset attribute", step 13: each descriptor ------------------
    ("srcset: a CSS length is no descriptor; the URL is still checked",
     '<img srcset="img/gone.webp 1000px">',
     [srcset("img/gone.webp", f"srcset descriptor '1000px' is not valid (write '800w' or '2x'), {PARSE}"),
      missing("img/gone.webp")],
     '<img srcset="img/a.png 1000w" sizes="50vw">'),
    ("srcset: a width is a valid non-negative integer, not a fraction",
     '<img srcset="img/a.png 1.5w">',
     [srcset("img/a.png", f"srcset descriptor '1.5w' is not valid (write '800w' or '2x'), {PARSE}")],
     '<img srcset="img/a.png 1.5x">'),
    ("srcset: a width of 0 is an error",
     '<img srcset="img/a.png 0w">', [srcset("img/a.png", f"srcset width '0w' is zero, {PARSE}")],
     '<img srcset="img/a.png 1w">'),
    ("srcset: a height of 0 is an error",
     '<img srcset="img/a.png 100w 0h">', [srcset("img/a.png", f"srcset height '0h' is zero, {PARSE}")],
     '<img srcset="img/a.png 100w 1h">'),
    ("srcset: a density below zero is an error",
     '<img srcset="img/a.png -1x">', [srcset("img/a.png", f"srcset density '-1x' is below zero, {PARSE}")],
     '<img srcset="img/a.png 0.5x">'),
    ("srcset: a density that rounds to 2^1024 is an error",
     '<img srcset="img/a.png 1e999x">',
     [srcset("img/a.png", f"srcset density '1e999x' is too large, {PARSE}")],
     '<img srcset="img/a.png 1e2x">'),
    ("srcset: two densities in one candidate",
     '<img srcset="img/a.png 1x 2x">',
     [srcset("img/a.png", f"srcset candidate has more than one width or density ('1x 2x'), {PARSE}")],
     '<img srcset="img/a.png 2x">'),
    ("srcset: a width and a density in one candidate",
     '<img srcset="img/a.png 100w 2x">',
     [srcset("img/a.png", f"srcset candidate has more than one width or density ('100w 2x'), {PARSE}")],
     '<img srcset="img/a.png 100w">'),
    # --- step 14 ---------------------------------------------------------------------------------
    ("srcset: a height without a width",
     '<img srcset="img/a.png 50h">',
     [srcset("img/a.png", f"srcset height '50h' needs a width beside it, {PARSE}")],
     '<img srcset="img/a.png 100w 50h">'),
    # --- HTML 4.8.4.3.7 "select an image source", step 1 -----------------------------------------
    ("srcset: no descriptor is 1x, so a second 1x is dropped",
     '<img srcset="img/a.png, img/b.png 1x">',
     [srcset("img/b.png", f"srcset candidate has the same density 1x as 'img/a.png' before it, {SELECT}")],
     '<img srcset="img/a.png, img/b.png 2x">'),
    ("srcset: equal widths give equal densities; the dropped URL is still checked",
     '<img srcset="img/a.png 100w, img/gone.png 100w">',
     [srcset("img/gone.png", f"srcset candidate has the same width 100w as 'img/a.png' before it, {SELECT}"),
      missing("img/gone.png")],
     '<img srcset="img/a.png 100w, img/b.png 200w">'),
    # --- the same rules wherever a srcset is ----------------------------------------------------
    ("srcset: <source srcset> in a <picture>",
     '<picture><source srcset="img/a.png 2q"><img src="img/b.png"></picture>',
     [srcset("img/a.png", f"srcset descriptor '2q' is not valid (write '800w' or '2x'), {PARSE}")],
     '<picture><source srcset="img/a.png 2x"><img src="img/b.png"></picture>'),
    ("srcset: <link imagesrcset>",
     '<link rel="preload" as="image" imagesrcset="img/a.png 0w">',
     [srcset("img/a.png", f"srcset width '0w' is zero, {PARSE}")],
     '<link rel="preload" as="image" imagesrcset="img/a.png 10w">'),
    # --- URL Standard 4.4, basic URL parser: failure --------------------------------------------
    ("URL: an IPv6 host without its closing bracket",
     '<a href="http://[::1">x</a>', [(Kind.INVALID_URL, "http://[::1", INVALID)],
     '<a href="http://[::1]/">x</a>'),
    ("URL: a space in the host",
     '<a href="https://exa mple.com/">x</a>', [(Kind.INVALID_URL, "https://exa mple.com/", INVALID)],
     '<a href="https://example.com/">x</a>'),
    ("URL: a port above 65535, in an image's src",
     '<img src="https://example.com:99999/a.png">',
     [(Kind.INVALID_URL, "https://example.com:99999/a.png", INVALID)],
     '<img src="https://example.com:9999/a.png">'),
    ("URL: in a srcset candidate",
     '<img srcset="http://[x 2x">', [(Kind.INVALID_URL, "http://[x", INVALID)],
     '<img srcset="img/a.png 2x">'),
    ("URL: in a CSS url()",
     '<div style="background: url(http://[x)"></div>', [(Kind.INVALID_URL, "http://[x", INVALID)],
     '<div style="background: url(img/a.png)"></div>'),
    # --- HTML 4.2.3 "set the frozen base URL": a base that fails to parse is ignored -------------
    ("URL: in <base href>, which browsers then ignore",
     '<base href="http://[x"><a href="target/#here">x</a>',
     [(Kind.INVALID_URL, "http://[x", "is not a valid URL, so browsers ignore this <base> and read the "
       "page's links against its own address (HTML 4.2.3, set the frozen base URL)")],
     '<base href="target/"><a href="#here">x</a>'),
    # --- HTML 3.2.6, the id attribute: unique in the element's tree -----------------------------
    ("id: used twice on one page (a warning: links land on the first)",
     '<p id="x">1</p><p id="x">2</p>',
     [(Kind.DUPLICATE_ID, "#x", 'id "x" is already used on this page; links to it go to the first element '
       "that has it (HTML 3.2.6, the id attribute)")],
     '<p id="x">1</p><p id="y">2</p>'),
]

# Not author errors that browsers act on: parse errors that drop nothing, and look-alikes.
NO_FINDING = [
    ("srcset: extra commas after a candidate drop nothing", '<img srcset="img/a.png 1x,, img/b.png 2x">'),
    ("srcset: an empty candidate between commas drops nothing", '<img srcset="img/a.png 1x, ,img/b.png 2x">'),
    ("srcset: a density of 0 is valid", '<img srcset="img/a.png 0x">'),
    ("id: an <a name> equal to an id is no second id", '<a name="x"></a><p id="x">x</p>'),
    ("id: ids in a <template> are in another tree", '<p id="x"></p><template><p id="x"></p></template>'),
]


def site_with(root: Path, html: str) -> Path:
    (root / "img").mkdir(parents=True)
    (root / "target").mkdir()
    (root / "img/a.png").write_bytes(b"png")
    (root / "img/b.png").write_bytes(b"png")
    (root / "target/index.html").write_text('<h2 id="here">Here</h2>')
    (root / "index.html").write_text(f"<!doctype html><meta charset=utf-8>\n{html}\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(("rule", "html", "expected", "twin"), ROWS, ids=[row[0] for row in ROWS])
def test_author_error__row_and_its_good_twin(tmp_path: Path, rule: str, html: str, expected: list,
                                             twin: str) -> None:
    problems = check_site(site_with(tmp_path / "bad", html)).problems
    assert [(p.kind, p.target, p.message) for p in problems] == expected, rule
    assert {p.line for p in problems} == {2}
    assert check_site(site_with(tmp_path / "good", twin)).problems == [], rule


@pytest.mark.parametrize(("case", "html"), NO_FINDING, ids=[row[0] for row in NO_FINDING])
def test_author_error__none_where_browsers_drop_nothing(tmp_path: Path, case: str, html: str) -> None:
    assert check_site(site_with(tmp_path, html)).problems == [], case


@pytest.mark.parametrize(("html", "exit_code"), [
    ('<img srcset="img/a.png 0w">', 1),  # readers never get the image the author chose
    ('<a href="http://[::1">x</a>', 1),  # no browser can follow it
    ('<p id="x">1</p><p id="x">2</p>', 0),  # links to it still land on an element with that id
])
def test_author_error__severity(tmp_path: Path, html: str, exit_code: int) -> None:
    assert main([str(site_with(tmp_path, html)), "--offline"]) == exit_code


def test_author_error__reported_again_by_a_second_check(tmp_path: Path) -> None:
    checker = SiteChecker(site_with(tmp_path, '<p id="x"></p><p id="x"></p><img srcset="img/a.png 0w">'))
    checker.load()
    first, second = checker.check(), checker.check()
    assert [p.kind for p in first.problems] == [p.kind for p in second.problems] == [
        Kind.DUPLICATE_ID, Kind.INVALID_SRCSET]


def test_author_error__worker_processes_report_the_same(tmp_path: Path, monkeypatch) -> None:
    site = site_with(tmp_path, '<img srcset="img/gone.png 1000px">')
    for n in range(3):
        html = f'<p id="a"></p>\n<p id="a"></p><img srcset="img/a.png {n}w, img/b.png">'
        (site / f"p{n}.html").write_text(html)
    in_one = check_site(site)
    monkeypatch.setattr(check, "PARALLEL_FROM", 2)
    monkeypatch.setattr(check, "PAGES_PER_TASK", 2)
    in_workers = check_site(site)
    assert in_workers.problems == in_one.problems
    assert [(p.page, p.kind) for p in in_one.problems] == [
        ("index.html", Kind.INVALID_SRCSET), ("index.html", Kind.MISSING_ASSET),
        ("p0.html", Kind.DUPLICATE_ID), ("p0.html", Kind.INVALID_SRCSET),
        ("p1.html", Kind.DUPLICATE_ID), ("p2.html", Kind.DUPLICATE_ID)]


def test_author_error__a_candidate_names_its_first_error() -> None:
    """Step 13 sets error at the first bad descriptor; the message names that one."""
    dropped = [Dropped("a.png", f"srcset width '0w' is zero, {PARSE}")]
    assert srcset_urls("a.png 0w 2q") == (["a.png"], dropped)
