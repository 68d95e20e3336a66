"""sitecheck on tiny fixture sites: each failure mode fails, and its good twin passes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from mkdocs.config import load_config

from conftest import ROOT, BuiltSite
from sitecheck import check
from sitecheck.cli import main, parser, progress_bar
from sitecheck.problems import Kind
from sitecheck.run import check_site, version


def make_site(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


TARGET = {"target/index.html": '<h2 id="here">Here</h2><a name="named"></a><p id="Caps">x</p>',
          "img/a.png": "png", "style.css": "body{background:url(img/a.png)}"}

# name -> (link HTML on index.html, expected problem kind or None, its message)
CASES = {
    "directory url": ('<a href="target/">ok</a>', None, ""),
    "directory url missing": ('<a href="nowhere/">broken-link: no such folder</a>', Kind.BROKEN_LINK,
                              "no file at /nowhere/"),
    "file url": ('<a href="target/index.html">ok</a>', None, ""),
    "cross-page anchor": ('<a href="target/#here">ok</a>', None, ""),
    "cross-page anchor missing": ('<a href="target/#gone">missing-anchor: no such id</a>',
                                  Kind.MISSING_ANCHOR, '/target/index.html has no element with id "gone"'),
    "anchor by a name": ('<a href="target/#named">ok</a>', None, ""),
    "anchor is case-sensitive": ('<a href="target/#caps">missing-anchor: case differs</a>',
                                 Kind.MISSING_ANCHOR, '/target/index.html has no element with id "caps"'),
    "same-page anchor": ('<h2 id="self">S</h2><a href="#self">ok</a>', None, ""),
    "same-page anchor missing": ('<a href="#nope">missing-anchor</a>', Kind.MISSING_ANCHOR,
                                 '/index.html has no element with id "nope"'),
    "percent-encoded path": ('<a href="my%20page.html#sp%C3%A4t">ok</a>', None, ""),
    "query string ignored": ('<a href="target/?utm=x#here">ok</a>', None, ""),
    "root-relative": ('<a href="/target/#here">ok</a>', None, ""),
    "site_url absolute": ('<a href="https://example.org/guide/target/#here">ok</a>', None, ""),
    "site_url absolute missing": ('<a href="https://example.org/guide/gone/">broken</a>',
                                  Kind.BROKEN_LINK, "no file at /gone/"),
    "external skipped offline": ('<a href="https://other.example/x">ok</a>', None, ""),
    "image": ('<img src="img/a.png">', None, ""),
    "image missing": ('<img src="img/b.png">', Kind.MISSING_ASSET, "no file at /img/b.png"),
    "srcset missing": ('<img srcset="img/a.png 1x, img/c.png 2x">', Kind.MISSING_ASSET,
                       "no file at /img/c.png"),
    "script missing": ('<script src="js/app.js"></script>', Kind.MISSING_ASSET, "no file at /js/app.js"),
    "stylesheet missing": ('<link rel="stylesheet" href="css/gone.css">', Kind.MISSING_ASSET,
                           "no file at /css/gone.css"),
    "icon missing": ('<link rel="shortcut icon" href="favicon.ico">', Kind.MISSING_ASSET,
                     "no file at /favicon.ico"),
    "hyperlink link missing": ('<link rel="next" href="gone.html">', Kind.BROKEN_LINK,
                               "no file at /gone.html"),
    "inline style url missing": ('<div style="background:url(img/z.png)"></div>', Kind.MISSING_ASSET,
                                 "no file at /img/z.png"),
    "leaves site folder": ('<a href="../../../etc/passwd">outside</a>', Kind.OUTSIDE_SITE,
                           "leaves the site folder"),
    # secret.html exists beside the site folder: only the ../ check, not the symlink check, can
    # say that the link leaves the folder.
    "climbs to a file beside the site": ('<a href="../secret.html">outside</a>', Kind.OUTSIDE_SITE,
                                         "leaves the site folder"),
    "file scheme": ('<a href="file:///etc/passwd">file</a>', Kind.FILE_URL,
                    "points to a file on someone's disk"),
    "empty href": ('<a href="">empty</a>', Kind.EMPTY_LINK, "link has an empty target"),
    "mailto tel javascript data skipped": (
        '<a href="mailto:a@b.c">m</a><a href="tel:123">t</a><a href="javascript:void(0)">j</a>'
        '<img src="data:image/png;base64,AAAA">', None, ""),
    "base href honoured": ('<base href="target/"><a href="#here">ok</a><img src="../img/a.png">',
                           None, ""),
    "base href broken": ('<base href="target/"><img src="img/a.png">', Kind.MISSING_ASSET,
                         "no file at /target/img/a.png"),
}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_check_site__fixture(tmp_path: Path, case: str) -> None:
    link, expected, message = CASES[case]
    files = {**TARGET, "my page.html": '<p id="spät">x</p>',
             "index.html": f"<html><body>\n{link}\n</body></html>"}
    site = make_site(tmp_path / "guide", files)
    (tmp_path / "secret.html").write_text("<p>not part of the site</p>")
    report = check_site(site, site_url="https://example.org/guide/")
    assert [(p.kind, p.message) for p in report.problems] == ([(expected, message)] if expected else [])
    if expected:
        assert report.problems[0].page == "index.html" and report.problems[0].line == 2


def test_check_site__css_file_urls(tmp_path: Path) -> None:
    site = make_site(tmp_path, {**TARGET, "index.html": "<p>x</p>",
                                "bad.css": "@import 'missing.css'; p{background:url(img/a.png)}"})
    assert [(p.page, p.kind, p.target, p.message) for p in check_site(site).problems] == [
        ("bad.css", Kind.MISSING_ASSET, "missing.css", "no file at /missing.css")]


def test_check_site__symlink_out_of_the_site_is_not_followed(tmp_path: Path) -> None:
    outside = make_site(tmp_path / "outside", {"secret.html": "<p>secret</p>"})
    site = make_site(tmp_path / "site", {"index.html": '<a href="leak/secret.html">x</a>'})
    os.symlink(outside, site / "leak")
    assert [(p.kind, p.message) for p in check_site(site).problems] == [
        (Kind.OUTSIDE_SITE, "resolves through a symlink to outside the site folder")]


@pytest.mark.parametrize(("content", "expected", "pages"), [
    (b"", [], 2),  # nothing to read
    (b"\x00\x01\x02\xff" * 100, [(Kind.NOT_HTML, "odd.html")], 1),  # binary: named, not read
    (b"<a href='gone.html'", [], 2),  # HTML 13.2.5: an end of file inside a tag drops the tag
    ('<p id="caf\u00e9"><a href="#caf%C3%A9">x</a>'.encode("latin-1"), [], 2),  # not UTF-8: windows-1252
    (b"<<<>>><a href=>", [(Kind.EMPTY_LINK, "")], 2),  # a missing attribute value is empty
])
def test_check_site__odd_pages_are_read_as_browsers_read_them(tmp_path: Path, content: bytes,
                                                              expected: list, pages: int) -> None:
    (tmp_path / "odd.html").write_bytes(content)
    (tmp_path / "x.html").write_text("<p>x</p>")
    report = check_site(tmp_path)
    assert [(p.kind, p.target) for p in report.problems] == expected
    assert report.stats["pages"] == pages


def test_published__reports_entries_that_no_longer_resolve(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", TARGET)
    published = tmp_path / "published-links.txt"
    published.write_text("# links handed out\ntarget/\ntarget/#here\ntarget/#renamed\ngone/\n")
    problems = check_site(site, published=published).problems
    assert [(p.line, p.kind, p.target, p.message) for p in problems] == [
        (4, Kind.PUBLISHED_BROKEN, "target/#renamed", '/target/index.html has no element with id "renamed"'),
        (5, Kind.PUBLISHED_BROKEN, "gone/", "no file at /gone/")]


def test_cli__exit_codes_and_json(tmp_path: Path, capsys) -> None:
    good = make_site(tmp_path / "good", {**TARGET, "index.html": '<a href="target/#here">x</a>'})
    bad = make_site(tmp_path / "bad", {**TARGET, "index.html": '<a href="target/#gone">x</a>'})
    assert main([str(good), "--offline"]) == 0
    assert main([str(bad), "--offline"]) == 1
    assert "[missing-anchor] target/#gone" in capsys.readouterr().out
    assert main([str(tmp_path / "missing"), "--offline"]) == 2
    assert main(["--format", "yaml", str(good)]) == 2


def test_cli__json_has_problems_and_stats(tmp_path: Path, capsys) -> None:
    bad = make_site(tmp_path, {**TARGET, "index.html": '<a href="target/#gone">x</a><a href="nowhere/">y</a>'})
    assert main([str(bad), "--offline", "--format", "json"]) == 1
    output = capsys.readouterr().out
    result = json.loads(output)
    assert result["stats"]["pages"] == 2
    # One problem a line, for grep and line-by-line diffs.
    assert [json.loads(line.strip().rstrip(",")) for line in output.splitlines()[1:3]] == result["problems"]
    (problem,) = [p for p in result["problems"] if p["kind"] == "missing-anchor"]
    assert {k: problem[k] for k in ("kind", "page", "target")} == {
        "kind": "missing-anchor", "page": "index.html", "target": "target/#gone"}
    assert problem["message"] == '/target/index.html has no element with id "gone"'
    assert problem["hint"] and problem["source"] is None and problem["severity"] == "error"


def test_sitecheck__this_site_is_clean(built_site: BuiltSite) -> None:
    site_url = load_config(str(ROOT / "mkdocs.yml"))["site_url"]
    report = check_site(built_site.root, site_url=site_url, bibliography=ROOT / "data/bibliography.yaml",
                        lock=ROOT / "data/sources.lock.json")
    # Warnings may remain: sources not yet verified online (no network where this runs).
    assert [p for p in report.problems if p.severity == "error"] == []
    assert not [p for p in report.problems if p.kind == Kind.UNCITED_SOURCE]
    assert report.stats["links"] > 1000 and report.stats["anchors_checked"] > 500


# Citation checks: on where the site has this project's references page.

REFERENCES = {"references/index.html": '<ol><li id="ref-liu2006">Liu</li><li id="ref-bhasin2018">B</li></ol>'}
CITES_BOTH = ('<p>Sperm return<sup><a href="../references/#ref-liu2006">1</a></sup> '
              '<a href="/references/#ref-bhasin2018">2</a></p>')


def citation_site(root: Path, chapter: str) -> Path:
    return make_site(root, {**REFERENCES, "chapter/index.html": chapter})


@pytest.mark.parametrize(("chapter", "expected"), [
    (CITES_BOTH, []),
    ('<p>Sperm return<a href="../references/#ref-liu2006">1</a></p>',
     [((Kind.UNCITED_SOURCE, "#ref-bhasin2018"), "no page cites this source")]),
    (CITES_BOTH + "<p>Sperm take time [@liu2006].</p>",
     [((Kind.UNRENDERED_CITATION, "[@liu2006]"), "a citation marker shows as plain text")]),
    (CITES_BOTH + "<p>Write <code>[@liu2006]</code> to cite.</p><pre>[@key]</pre>", []),
    (CITES_BOTH + "<p>Recovery took [[fact: liu2006-median-recovery]].</p>",
     [((Kind.UNRENDERED_MARKER, "[[fact: liu2006-median-recovery]]"),
       "a fact or evidence-grade marker shows as plain text")]),
    (CITES_BOTH + "<p>Assess both [[grade: AUA/ASRM | Expert Opinion]].</p>",
     [((Kind.UNRENDERED_MARKER, "[[grade: AUA/ASRM | Expert Opinion]]"),
       "a fact or evidence-grade marker shows as plain text")]),
    (CITES_BOTH + '<figure><div class="trt-figure__art" data-art="recovery simple"></div></figure>',
     [((Kind.UNRENDERED_MARKER, "figure: recovery simple"), "a figure has no drawing")]),
    (CITES_BOTH + '<figure><div class="trt-figure__art" data-art="recovery simple"><svg></svg></div></figure>'
     "<p>Write <code>[[fact: id]]</code> to insert a fact.</p>", []),
    (CITES_BOTH + "<!-- figure: recovery --><p>Text</p><!-- a comment of the author's -->",
     [((Kind.UNRENDERED_MARKER, "<!-- figure: recovery -->"), "a placeholder was not replaced")]),
    (CITES_BOTH + "<pre><!-- glossary --></pre>", []),
])
def test_citations__unrendered_marker_and_uncited_source(
        tmp_path: Path, chapter: str, expected: list) -> None:
    problems = check_site(citation_site(tmp_path, chapter)).problems
    assert [(p.kind, p.target) for p in problems] == [kind_target for kind_target, _ in expected]
    assert [p.message for p in problems] == [message for _, message in expected]


def test_citations__uncited_source_is_a_warning_and_unrendered_marker_an_error(tmp_path: Path) -> None:
    uncited = citation_site(tmp_path / "a", '<a href="../references/#ref-liu2006">1</a>')
    unrendered = citation_site(tmp_path / "b", CITES_BOTH + "<p>See [@liu2006; @x].</p>")
    assert main([str(uncited), "--offline"]) == 0
    assert main([str(unrendered), "--offline"]) == 1


def test_citations__off_without_a_references_page(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"index.html": "<p>Email me at [@example] please.</p>"})
    assert check_site(site).problems == []


def test_citations__markers_checked_when_a_bibliography_is_given_even_without_references(
        tmp_path: Path) -> None:
    """A generator that skipped the project's extensions leaves no references page at all."""
    site = make_site(tmp_path / "site", {"index.html": "<p>Took [[fact: x]] [@liu2006].</p>"})
    bibliography = tmp_path / "bibliography.yaml"
    bibliography.write_text("- {key: liu2006, type: article, title: T, doi: 10.1016/S0140-6736(06)68614-5}\n")
    kinds = {p.kind for p in check_site(site, bibliography=bibliography).problems}
    assert {Kind.UNRENDERED_CITATION, Kind.UNRENDERED_MARKER} <= kinds


def test_check_site__malformed_url_is_an_invalid_url(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"index.html": '<a href="http://[::1/x">bad</a><a href="//[x">bad</a>'})
    assert [(p.kind, p.message) for p in check_site(site).problems] == [
        (Kind.INVALID_URL, "is not a valid URL: the URL parser fails on it, so browsers cannot use it "
         "(URL Standard 4.4, basic URL parser)")] * 2


def test_check_site__fifty_megabyte_page(tmp_path: Path) -> None:
    anchors = "".join(f'<h2 id="s{n}">S</h2>' for n in range(1000))
    paragraph = '<p>Testosterone <a href="#s7">lowers</a> sperm counts <img src="a.png">.</p>\n'
    body = paragraph * (50_000_000 // len(paragraph))
    (tmp_path / "a.png").write_bytes(b"png")
    (tmp_path / "big.html").write_text(f"<html><body>{anchors}{body}</body></html>")
    assert (tmp_path / "big.html").stat().st_size > 50_000_000
    report = check_site(tmp_path)
    assert report.problems == []
    assert report.stats["links"] == 2 * (50_000_000 // len(paragraph))


def test_cli__names_the_markdown_source_of_a_page(tmp_path: Path, capsys) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    make_site(tmp_path / "docs", {"index.md": "# Home", "topic/page.md": "# Page"})
    site = make_site(tmp_path / "site", {"index.html": '<a href="topic/page/">ok</a>',
                                         "topic/page/index.html": '<a href="#gone">x</a>'})
    assert main([str(site), "--offline"]) == 1
    out = capsys.readouterr().out
    assert f"topic/page/index.html (from {os.path.relpath(tmp_path / 'docs/topic/page.md')})" in out
    assert main([str(site), "--offline", "--format", "json"]) == 1
    (problem,) = json.loads(capsys.readouterr().out)["problems"]
    assert problem["source"].endswith("docs/topic/page.md")


@pytest.mark.parametrize(("args", "message"), [
    (["--published", "nowhere.txt"], "nowhere.txt not found"),
    (["--bibliography", "nowhere.yaml"], "nowhere.yaml not found"),
    (["--per-host", "0"], "must be positive"),
    (["--timeout", "-1"], "must be positive"),
    (["--lock", "LOCK"], "is not valid JSON"),
])
def test_cli__cannot_run_says_why(tmp_path: Path, capsys, args: list[str], message: str) -> None:
    site = make_site(tmp_path / "site", {"index.html": "<p>x</p>"})
    (tmp_path / "bib.yaml").write_text("[]")
    (tmp_path / "damaged.json").write_text("{half")
    args = [str(tmp_path / "damaged.json") if a == "LOCK" else a for a in args]
    extra = ["--bibliography", str(tmp_path / "bib.yaml")] if "--lock" in args else []
    assert main([str(site), "--offline", *args, *extra]) == 2
    assert message in capsys.readouterr().err


def test_cli__progress_bar_draws_in_place(capsys) -> None:
    progress_bar(1, 4)
    progress_bar(4, 4)
    err = capsys.readouterr().err
    assert err == f"\r[{'#' * 7}{'.' * 23}] 1/4 external URLs\r[{'#' * 30}] 4/4 external URLs\n"


# The command line as a stranger meets it.

def test_cli__version(capsys) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"sitecheck {version()}"


def test_cli__help_states_exit_codes_network_default_and_every_option(capsys) -> None:
    assert main(["--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for said in ("0 nothing wrong", "1 problems found", "2 sitecheck could not run",
                 "Network checks (external links, DOIs and PMIDs against their registries) are ON "
                 "unless you pass --offline", '{"error": MESSAGE, "exit_code": 2}'):
        assert said in text
    options = [action for action in parser()._actions
               if action.option_strings and action.dest not in ("help", "version")]
    assert {o.dest for o in options} >= {"format", "cache_dir", "crossref_url", "doi_url", "eutils_url",
                                         "exclude", "offline", "site_url"}
    for option in options:  # each says what it does and what happens without it
        assert option.help and "(default: " in option.help, option.option_strings


def test_cli__folder_without_html_pages_cannot_run(tmp_path: Path, capsys) -> None:
    site = make_site(tmp_path / "empty", {"img/a.png": "png", "notes.txt": "x"})
    assert main([str(site), "--offline"]) == 2
    assert f"sitecheck: no HTML pages under {site}" in capsys.readouterr().err
    assert main([str(site), "--offline", "--format", "json"]) == 2
    assert json.loads(capsys.readouterr().out) == {"error": f"no HTML pages under {site}", "exit_code": 2}


def test_cli__binary_html_file_is_a_warning_naming_it(tmp_path: Path, capsys) -> None:
    site = make_site(tmp_path, {"index.html": '<a href="blob.html">x</a>'})
    (site / "blob.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (site / "utf16.html").write_bytes("\ufeff<p>not binary</p>".encode("utf-16-le"))
    assert main([str(site), "--offline"]) == 0
    out = capsys.readouterr().out
    assert "blob.html:0: [not-html, warning] blob.html: is named .html but holds binary data" in out
    assert "utf16.html" not in out
    assert "2 pages," in out


def test_cli__summary_counts_and_plurals(tmp_path: Path, capsys) -> None:
    one = make_site(tmp_path / "one", {"index.html": '<h2 id="a">A</h2><a href="#gone">x</a>'})
    assert main([str(one), "--offline"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "1 page, 1 internal link, 1 #fragment checked, 0 external links not checked (offline): "
        "1 problem, 0 warnings")
    two = make_site(tmp_path / "two", {"index.html": '<h2 id="a">A</h2><a href="#a">x</a><a href="#b">y</a>'
                                       '<a href="b.html">z</a><a href="https://e.example/">e</a>',
                                       "b.html": '<a href="index.html#top">t</a><a href="#">u</a>'})
    assert main([str(two), "--offline"]) == 1
    # Every fragment looked up counts, found or missing (#top and # always resolve).
    assert capsys.readouterr().out.splitlines()[-1] == (
        "2 pages, 5 internal links, 4 #fragments checked, 1 external link not checked (offline): "
        "1 problem, 0 warnings")


def test_cli__json_holds_warnings_with_their_severity(tmp_path: Path, capsys) -> None:
    site = citation_site(tmp_path, '<a href="../references/#ref-liu2006">1</a><a href="#gone">x</a>')
    assert main([str(site), "--offline", "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    fields = ("kind", "severity", "page", "target", "message", "source")
    assert [tuple(p[f] for f in fields) for p in problems] == [
        ("missing-anchor", "error", "chapter/index.html", "#gone",
         '/chapter/index.html has no element with id "gone"', None),
        ("uncited-source", "warning", "references/index.html", "#ref-bhasin2018",
         "no page cites this source", None)]


@pytest.mark.parametrize(("args", "error"), [
    (["--format", "json", "--no-such-option"], "unrecognized arguments: --no-such-option"),
    (["--format=json", "--per-host", "many"], "argument --per-host: invalid int value: 'many'"),
    (["--format", "json", "--published", "MISSING"], "MISSING not found"),
    (["--format", "json", "--exclude", "x", "--exclude", "("],
     "--exclude '(' is not a regular expression: missing ), unterminated subpattern at position 0"),
])
def test_cli__cannot_run_in_json_mode_says_so_in_json(tmp_path: Path, capsys, args: list[str],
                                                       error: str) -> None:
    site = make_site(tmp_path / "site", {"index.html": "<p>x</p>"})
    args = [str(tmp_path / "missing") if a == "MISSING" else a for a in args]
    error = error.replace("MISSING", str(tmp_path / "missing"))
    assert main([str(site), *args]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"error": error, "exit_code": 2}
    assert f"sitecheck: {error}" in captured.err


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_load__worker_processes_read_the_same_as_one_process(tmp_path: Path, monkeypatch,
                                                             method: str) -> None:
    files = {f"p{n}/index.html": f'<h2 id="s">S</h2><a href="../p{(n + 1) % 7}/#s">next</a>'
                                  f'<a href="/p{n}/#gone">x</a><img src="../img/a.png">'
             for n in range(7)}
    site = make_site(tmp_path, {**files, "img/a.png": "png"})
    in_one = check_site(site)
    monkeypatch.setattr(check, "PARALLEL_FROM", 2)
    monkeypatch.setattr(check, "PAGES_PER_TASK", 3)
    monkeypatch.setattr(check, "start_method", lambda: method)
    in_workers = check_site(site)
    assert in_workers.problems == in_one.problems and len(in_one.problems) == 7
    assert in_workers.stats == in_one.stats


def test_load__pages_join_the_collectors_oldest_generation(tmp_path: Path) -> None:
    """The pages are read with the cyclic collector off; after, they are not left in its youngest
    generation (its next pass would walk them all), and a program's own frozen objects stay frozen."""
    import gc

    links = "".join(f'<a href="p{n}.html#s">x</a>' for n in range(40))
    site = make_site(tmp_path, {f"p{n}.html": f'<h2 id="s">S</h2>{links}' for n in range(40)})
    checker = check.SiteChecker(site)
    checker.load()
    assert gc.isenabled() and gc.get_count()[0] < gc.get_threshold()[0]
    mine = [object()]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        check.SiteChecker(site).load()
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    assert mine


def test_start_method__fork_only_while_no_other_thread_runs() -> None:
    """A fork copies only the calling thread: with another one running, the workers are spawned."""
    import subprocess
    import sys

    code = ("import threading, time\nfrom sitecheck.check import start_method\nprint(start_method())\n"
            "threading.Thread(target=time.sleep, args=(1,), daemon=True).start()\nprint(start_method())")
    scripts = str(Path(check.__file__).parents[1])
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": scripts}, check=True)
    assert result.stdout.split() == (["fork", "spawn"] if sys.platform == "linux" else ["spawn", "spawn"])


def test_load__pages_are_read_in_process_when_workers_cannot_start(tmp_path: Path, monkeypatch) -> None:
    import concurrent.futures
    from concurrent.futures.process import BrokenProcessPool

    class Broken(concurrent.futures.ProcessPoolExecutor):
        def map(self, *args, **kwargs):  # what a script without a __main__ guard gets
            raise BrokenProcessPool("a worker could not start")

    site = make_site(tmp_path, {f"p{n}.html": f'<a href="p{n}.html#gone">x</a>' for n in range(3)})
    monkeypatch.setattr(check, "PARALLEL_FROM", 2)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Broken)
    problems = check_site(site).problems
    assert [(p.page, p.kind) for p in problems] == [(f"p{n}.html", Kind.MISSING_ANCHOR) for n in range(3)]


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_load__workers_start_without_the_programs_main_module(tmp_path: Path, method: str) -> None:
    """A script with no `if __name__ == "__main__":` guard: the workers do not run it again (each
    run would print its line, and start workers of its own)."""
    import subprocess
    import sys

    site = make_site(tmp_path / "site", {f"p{n}.html": f'<a href="p{n}.html#gone">x</a>' for n in range(6)})
    script = tmp_path / "script.py"
    script.write_text("import sys\nfrom sitecheck import check\nfrom sitecheck.run import check_site\n"
                      f"print('script ran', flush=True)\ncheck.start_method = lambda: {method!r}\n"
                      "check.SiteChecker.scan = lambda self, paths: self.scan_in_pool(paths, 2)\n"
                      f"print(len(check_site(check.Path({str(site)!r})).problems))\n"
                      "print(sys.modules['__main__'].__file__ == __file__)\n")
    scripts = str(Path(check.__file__).parents[1])  # the sitecheck under test
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": scripts}, check=False)
    assert result.stdout.splitlines() == ["script ran", "6", "True"], result.stderr[-500:]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])  # in UTF-16, "style" has no such bytes
def test_load__style_attribute_is_read_in_any_encoding(tmp_path: Path, encoding: str) -> None:
    site = tmp_path / "site"
    site.mkdir()
    html = '<!doctype html><p id="a" style="background: url(gone.png)">x</p><a href="#a">a</a>'
    (site / "index.html").write_bytes(html.encode(encoding))  # Python's utf-16 starts with a BOM
    problems = check_site(site).problems
    assert [(p.kind, p.target) for p in problems] == [(Kind.MISSING_ASSET, "gone.png")]
