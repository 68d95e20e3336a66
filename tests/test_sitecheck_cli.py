"""sitecheck as a stranger meets it: in other people's CI (GitHub annotations, pre-commit), on
other people's folders (unreadable files, pipes, templates), pointing at their Markdown."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from sitecheck.check import SiteChecker
from sitecheck.cli import REDIRECTS, github_data, github_property, main
from sitecheck.external import external_links
from sitecheck.problems import Kind, link_key
from sitecheck.run import Online, check_site, set_templates_aside
from test_sitecheck import make_site


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


# A stranger's MkDocs project: Markdown under docs/, the built pages under site/. The HTML lines
# differ from the Markdown lines on purpose.
STRANGER = {
    "mkdocs.yml": "site_name: A stranger's site\n",
    "docs/index.md": lines(
        "# Home",                                                        # 1
        "",                                                              # 2
        "Read [the guide](guide/start.md) first.",                       # 3
        "See [setup](guide/start.md#setup), [a gone page](gone.md).",    # 4
        "",                                                              # 5
        "![A diagram](img/diagram.png)",                                 # 6
        "Twice: [one](#nowhere)",                                        # 7
        "and [two](#nowhere).",                                          # 8
        "Ambiguous: [a](#amb) [b](#amb)",                                # 9
        "[50% off, now: deal][deal]",                                    # 10
        "",                                                              # 11
        "[deal]: gone%20page,x.md",                                      # 12
    ),
    "docs/guide/start.md": lines("# Start", "", "Back [home][h], [again][h].", "",
                                 "[h]: ../index.md#welcome"),
    "docs/overrides/main.html": lines(  # a Jinja template: MkDocs copies it into the site as it is
        "{% extends 'base.html' %}", '<a href="{{ page.url }}">here</a>', '<a href="static.html">s</a>'),
    "site/index.html": lines(
        "<!doctype html><html><head><title>Home</title></head><body>",   # 1
        '<nav><a href="theme-only/">from the theme</a>',                 # 2
        '<a href="#amb">the theme again</a></nav>',                      # 3
        "<main>",                                                        # 4
        '<p>Read <a href="guide/start/">the guide</a> first.',           # 5
        'See <a href="guide/start/#setup">setup</a>, <a href="gone.md">a gone page</a>.</p>',  # 6
        '<p><img alt="A diagram" src="img/diagram.png">',                # 7
        'Twice: <a href="#nowhere">one</a>',                             # 8
        'and <a href="#nowhere">two</a>.',                               # 9
        'Ambiguous: <a href="#amb">a</a> <a href="#amb">b</a>',          # 10
        '<a href="gone%20page,x/">50% off, now: deal</a></p>',           # 11
        "</main></body></html>",                                         # 12
    ),
    "site/guide/start/index.html": lines(
        "<html><body>", "<h1 id='start'>Start</h1>",
        '<p>Back <a href="../../#welcome">home</a>, <a href="../../#welcome">again</a>.</p>',
        "</body></html>"),
    "site/overrides/main.html": lines(
        "{% extends 'base.html' %}", '<a href="{{ page.url }}">here</a>', '<a href="static.html">s</a>'),
    # No Markdown source; a name with GitHub's property separators in it, and a line break
    # inside an href (the URL parser drops it; the target keeps it as written).
    "site/odd,name:1.html": lines("<html><body>", '<a href="gone', '.html">x</a>', "</body></html>"),
}


def stranger_project(root: Path) -> Path:
    make_site(root, STRANGER)
    (root / "site/blob.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")  # line 0: no line
    return root


def parse_github(output: str) -> list[tuple]:
    """The workflow commands in `output`, unescaped as GitHub's runner does:
    (command, file, line or None, title, message)."""
    def unescape(text: str) -> str:
        for escaped, character in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
            text = text.replace(escaped, character)
        return text

    commands = []
    for row in output.splitlines():
        match = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", row)
        if match:
            properties = dict(item.split("=", 1) for item in match[2].split(","))
            line = properties.get("line")
            commands.append((match[1], unescape(properties["file"]), int(line) if line else None,
                             unescape(properties["title"]), unescape(match[3])))
    return commands


# --format github

def test_github_escaping__per_the_runner_rules() -> None:
    assert github_data("50% off\r\nnow: a, b") == "50%25 off%0D%0Anow: a, b"
    assert github_property("50% off\r\nnow: a, b") == "50%25 off%0D%0Anow%3A a%2C b"


def test_github_format__parsed_back_gives_the_problems(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(stranger_project(tmp_path))
    assert main(["site", "--offline", "--format", "github"]) == 1
    output = capsys.readouterr().out
    commands = parse_github(output)
    # One command per problem, each on one line (the line break in an href is escaped), and the
    # summary for the log.
    assert len(output.splitlines()) == len(commands) + 1
    assert [command[:4] for command in commands] == [
        ("warning", "site/blob.html", None, "not-html"),  # line 0: no line
        ("error", "docs/guide/start.md", 5, "missing-anchor"),  # ../../#welcome, twice: its definition
        ("error", "docs/guide/start.md", 5, "missing-anchor"),
        ("error", "docs/index.md", None, "broken-link"),  # theme-only/: not in the Markdown, no line
        ("error", "docs/index.md", None, "missing-anchor"),  # #amb: twice there, three times here
        ("error", "docs/index.md", 4, "broken-link"),  # gone.md
        ("error", "docs/index.md", 4, "missing-anchor"),  # guide/start/#setup: guide/start.md#setup
        ("error", "docs/index.md", 6, "missing-asset"),  # img/diagram.png
        ("error", "docs/index.md", 7, "missing-anchor"),  # #nowhere, written twice: in order
        ("error", "docs/index.md", 8, "missing-anchor"),
        ("error", "docs/index.md", None, "missing-anchor"),  # #amb
        ("error", "docs/index.md", None, "missing-anchor"),  # #amb
        ("error", "docs/index.md", 12, "broken-link"),  # gone%20page,x/: the reference definition
        ("error", "site/odd,name:1.html", 3, "broken-link"),  # lxml's line: where the tag ends
        # A file copied as it is: its own lines.
        ("warning", "docs/overrides/main.html", 2, "unrendered-template"),
        ("error", "docs/overrides/main.html", 3, "broken-link"),
    ]
    fix = "(hint: fix the path, or restore the page or file it points to)"
    assert commands[12][4] == f"index.html: gone%20page,x/: no file at /gone page,x/ {fix}"
    assert commands[13][4] == f"gone\n.html: no file at /gone.html {fix}"
    # The same problems as the JSON output says, field for field.
    assert main(["site", "--offline", "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert commands == [
        (p["severity"], p["source"] or f"site/{p['page']}",
         p["source_line"] if p["source"] else (p["line"] or None), p["kind"],
         f"{p['page'] + ': ' if p['source'] else ''}{p['target']}: {p['message']} (hint: {p['hint']})")
        for p in problems]


def test_github_format__names_the_published_links_and_bibliography_files(
        tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(make_site(tmp_path, {
        "mkdocs.yml": "site_name: x\n", "docs/index.md": "# x\n", "site/index.html": "<p>x</p>",
        "lists/published.txt": "gone/\n", "refs/bib.yaml": "- key: liu2006\n  colour: red\n"
                         "- key: ok\n  type: article\n  authors: A\n  title: T\n  container: J\n"
                         "  year: 2006\n  doi: 10.1000/x\n"}))
    assert main(["site", "--offline", "--format", "github", "--published", "lists/published.txt",
                 "--bibliography", str(tmp_path / "refs/bib.yaml")]) == 1
    commands = parse_github(capsys.readouterr().out)
    # The second entry never verified (no lock file), the first entry's four faults (no
    # identifier, no title, no type, an unknown field), then the link.
    assert [command[:4] for command in commands] == [
        ("warning", f"{tmp_path}/refs/bib.yaml", 3, "source-unverified"),
        *[("error", f"{tmp_path}/refs/bib.yaml", 1, "bad-source")] * 4,
        ("error", "lists/published.txt", 1, "published-broken")]
    assert commands[-1][4] == ("gone/: no file at /gone/ (hint: readers hold this link: restore the page "
                               "or section)")
    # Files outside the site have no Markdown source, even given by a path docs/ can reach.
    assert main(["site", "--offline", "--format", "json", "--published", "lists/published.txt",
                 "--bibliography", str(tmp_path / "refs/bib.yaml")]) == 1
    assert {p["source"] for p in json.loads(capsys.readouterr().out)["problems"]} == {None}


def test_github_format__cannot_run_is_an_annotation_too(tmp_path: Path, capsys) -> None:
    assert main([str(tmp_path / "nowhere"), "--format=github"]) == 2
    assert capsys.readouterr().out == (f"::error title=sitecheck could not run::{tmp_path}/nowhere is not "
                                       "a folder\n")


# The Markdown line

@pytest.mark.parametrize(("url", "key"), [
    ("../other/#x", ("other", "x")),  # MkDocs' rendering of other.md#x, one folder down
    ("other.md#x", ("other", "x")),
    ("other.html", ("other", None)),
    ("sub/index.md", ("sub", None)),  # a folder's index is the folder
    ("sub/README.md", ("sub", None)),
    ("../", ("", None)),
    ("index.md#a", ("", "a")),
    ("#a", ("", "a")),
    ("img/a.png?v=2", ("a.png", None)),  # only .md and .html lose their suffix
    ("https://e.org/a/#b", ("https://e.org/a/#b", None)),  # absolute: as written
])
def test_link_key__survives_mkdocs_rewriting(url: str, key: tuple) -> None:
    assert link_key(url) == key


def test_markdown_line__text_and_json_name_it_and_no_html_line_under_a_markdown_name(
        tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(stranger_project(tmp_path))
    assert main(["site", "--offline"]) == 1
    out = capsys.readouterr().out
    assert ("  docs/index.md:4: [broken-link] gone.md: no file at /gone.md (hint: fix the path, or "
            "restore the page or file it points to)") in out
    # Unknown in the Markdown: the HTML line, with the HTML file's name.
    assert "  index.html:2: [broken-link] theme-only/: no file at /theme-only/" in out
    assert main(["site", "--offline", "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    where = {(p["page"], p["line"], p["target"]): (p["source"], p["source_line"]) for p in problems}
    assert where["index.html", 6, "gone.md"] == ("docs/index.md", 4)
    assert where["index.html", 2, "theme-only/"] == ("docs/index.md", None)


# The redirect hint: advice only where the site has a redirects file

@pytest.mark.parametrize(("redirects", "anchor_hint", "published_hint"), [
    (True, "use an id that exists on the target page, or add a redirect for the old one",
     "readers hold this link: restore the page or section, or add a redirect"),
    (False, "use an id that exists on the target page",
     "readers hold this link: restore the page or section"),
])
def test_hints__add_a_redirect_only_beside_a_redirects_file(tmp_path: Path, capsys, redirects: bool,
                                                           anchor_hint: str, published_hint: str) -> None:
    make_site(tmp_path, {"site/index.html": '<a href="#gone">x</a>', "published.txt": "gone/\n"})
    if redirects:
        make_site(tmp_path, {"data/redirects.yaml": "pages: {}\n"})
    assert main([str(tmp_path / "site"), "--offline", "--format", "json",
                 "--published", str(tmp_path / "published.txt")]) == 1
    hints = {p["kind"]: p["hint"] for p in json.loads(capsys.readouterr().out)["problems"]}
    assert hints == {"missing-anchor": anchor_hint, "published-broken": published_hint}


def test_hints__this_project_keeps_its_redirects_file_where_sitecheck_looks() -> None:
    """`make check` runs on site/, beside this project's data/redirects.yaml: its hints still
    advise a redirect."""
    assert (ROOT / REDIRECTS).is_file()


# Templates shipped under docs/

def test_templates__one_warning_per_file_not_a_broken_link_per_templated_link(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "index.html": '<a href="a{b}.html">braces alone are no template</a>',
        "overrides/main.html": lines(
            "{% extends 'base.html' %}",
            '<a href="{{ page.url }}">x</a> <img src="{{ base_url }}/logo.png">',
            '<a href="https://{{ config.host }}/x">x</a> <a href="{% url \'home\' %}">y</a>',
            '<a href="static.html">z</a>')})
    problems = check_site(site).problems
    assert [(p.page, p.line, p.kind, p.target, p.message) for p in problems] == [
        ("index.html", 1, Kind.BROKEN_LINK, "a{b}.html", "no file at /a{b}.html"),
        ("overrides/main.html", 2, Kind.UNRENDERED_TEMPLATE, "{{ page.url }}",
         "4 of its links hold template syntax; they were not checked"),
        ("overrides/main.html", 4, Kind.BROKEN_LINK, "static.html", "no file at /overrides/static.html"),
    ]
    assert problems[1].severity == "warning"


def test_templates__templated_links_are_not_asked_online(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"index.html": '<a href="https://e.example/{{ x }}">t</a>'
                                              '<a href="https://e.example/real">r</a>'})
    checker = SiteChecker(site)
    checker.load()
    set_templates_aside(checker, checker.check().problems)
    assert list(external_links(checker)) == ["https://e.example/real"]


# --version

def test_version__one_source_the_pyproject_version(capsys) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    # A different number here: the installed metadata is stale; `pip install -e .` again.
    assert importlib.metadata.version("trt-fertility-guide") == version
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"sitecheck {version}\n"
    assert Online(contact="me").user_agent().startswith(f"sitecheck/{version} ")


# Strangers' folders: files that cannot be read, pipes, odd file types

def run_sitecheck(args: list[str], cwd: Path, *, permissions_bind: bool = False, in_workers: bool = False,
                  **kwargs) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own. `permissions_bind`: file permissions hold even when
    the tests run as root (which reads any file): the process and the workers it starts lose
    root's right to override them. `in_workers`: the pages are read by the worker pool, even on a
    small site and a one-core machine."""
    code = ["import sys", "from sitecheck import check", "from sitecheck.cli import main"]
    if in_workers:
        code.append("check.SiteChecker.scan = lambda self, paths: self.scan_in_pool(paths, 2)")
    code.append("raise SystemExit(main(sys.argv[1:]))")
    command = [sys.executable, "-c", "\n".join(code), *args]
    if permissions_bind and os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root, and without util-linux's setpriv to drop CAP_DAC_OVERRIDE "
                        "no file can be made unreadable")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    return subprocess.run(command, cwd=cwd, env=env, text=True,
                          **{"capture_output": "stdout" not in kwargs, **kwargs})


@pytest.mark.parametrize(("locked", "in_workers", "error"), [
    ("site/secret.html", False, "site/secret.html: Permission denied"),
    ("site/private", False, "site/private: Permission denied"),
    ("site/secret.html", True, "site/secret.html: Permission denied"),  # raised in a worker process
])
def test_unreadable__cannot_run_exit_2_with_the_json_error_and_no_traceback(
        tmp_path: Path, locked: str, in_workers: bool, error: str) -> None:
    pages = {f"site/p{n}.html": f'<a href="p{n + 1}.html">next</a>' for n in range(5)}
    make_site(tmp_path, {**pages, "site/secret.html": "<p>x</p>", "site/private/a.html": "<p>x</p>"})
    (tmp_path / locked).chmod(0)
    result = run_sitecheck(["site", "--offline", "--format", "json"], tmp_path, permissions_bind=True,
                           in_workers=in_workers)
    assert (result.returncode, json.loads(result.stdout)) == (2, {"error": error, "exit_code": 2})
    assert result.stderr == f"sitecheck: {error}\n"
    (tmp_path / locked).chmod(0o755)  # the good twin: readable, it runs
    result = run_sitecheck(["site", "--offline"], tmp_path, permissions_bind=True, in_workers=in_workers)
    assert result.returncode == 1 and "no file at /p5.html" in result.stdout and result.stderr == ""


def test_unreadable__a_symlink_loop_cannot_run(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(make_site(tmp_path, {"site/index.html": "<p>x</p>"}))
    os.symlink("loop.html", "site/loop.html")
    assert main(["site", "--offline"]) == 2
    assert capsys.readouterr().err == "sitecheck: site/loop.html: Too many levels of symbolic links\n"


def test_odd_files__a_fifo_or_a_dangling_symlink_is_no_page_and_no_file(tmp_path: Path) -> None:
    make_site(tmp_path, {"site/index.html": '<a href="fifo.html">f</a><a href="dangling.html">d</a>'})
    os.mkfifo(tmp_path / "site/fifo.html")  # reading it would wait for a writer forever
    os.symlink("nothing.html", tmp_path / "site/dangling.html")
    result = run_sitecheck(["site", "--offline", "--format", "json"], tmp_path, timeout=60)
    assert result.returncode == 1, result.stderr
    assert [(p["kind"], p["target"]) for p in json.loads(result.stdout)["problems"]] == [
        ("broken-link", "dangling.html"), ("broken-link", "fifo.html")]


@pytest.mark.parametrize(("args", "status"), [
    (["site", "--offline"], 1),
    (["site", "--offline", "--format", "json"], 1),
    (["site", "--offline", "--format", "github"], 1),
    (["nowhere", "--format", "json"], 2),
    (["--help"], 0),
])
def test_broken_pipe__a_reader_that_leaves_early_ends_it_quietly(tmp_path: Path, args: list[str],
                                                                  status: int) -> None:
    """`sitecheck site | head -1`: the reader is gone before the output is written."""
    make_site(tmp_path, {"site/index.html": '<a href="#gone">x</a>' * 50})
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = run_sitecheck(args, tmp_path, stdout=write_end, stderr=subprocess.PIPE)
    finally:
        os.close(write_end)
    assert result.returncode == status
    assert result.stderr == ("sitecheck: nowhere is not a folder\n" if status == 2 else "")


# The hook other repositories run

def test_pre_commit_hook__runs_the_command_on_a_folder_the_user_names() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert (hook["id"], hook["entry"], hook["language"], hook["pass_filenames"]) == (
        "sitecheck", "sitecheck", "python", False)
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts[hook["entry"]] == "sitecheck.cli:main"
