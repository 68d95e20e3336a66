"""Time sitecheck against lychee and LinkChecker, offline with fragment checking on.

Sites: this guide (built with `mkdocs build --strict`, or the folder given with --site) and
generated sites of N pages, each with 20 ids and 30 links that all resolve, so every tool must
report 0 problems; a run where a tool reports any is flagged, because timing a tool that checked
something else is meaningless. Before timing, each tool must find exactly one problem in copies of
a small generated site broken on purpose (proof that fragment checking is really on). Random
cross-link sites in two layouts (two kinds of generator) have broken links planted in them: both
tools must find exactly those. `--load N` keeps N CPU-bound processes busy during the whole run.

    PYTHONPATH=scripts .venv/bin/python scripts/benchmark.py --sizes 1000,10000,50000 --load 2
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import functools
import http.server
import io
import json
import os
import platform
import posixpath
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAST_CPU = 0.0
BIN = Path(sys.executable).parent
ANCHORS_PER_PAGE = 20
LINKS_PER_PAGE = 30
ASSET_IMAGES = 10
# The kinds of the 26 links per page that are not assets or the "next page" link, with weights.
LINK_KINDS = {"same-page fragment": 25, "relative with fragment": 30,
              "root-relative with fragment": 20, "relative page": 15, "root-relative page": 10}
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a30000000049454e44ae426082")


# ---------------------------------------------------------------------------------------------
# Generated sites


def page_url(index: int) -> str:
    """Site path of page `index` (no leading slash): page 0 is the home page; one page in 4 is a
    plain .html file and the others are directory URLs, spread over 10 x 20 nested folders."""
    if index == 0:
        return ""
    folder = f"part-{index % 10}/chapter-{index // 10 % 20}"
    return f"{folder}/page-{index}.html" if index % 4 == 0 else f"{folder}/page-{index}/"


def page_file(url: str) -> str:
    return url + "index.html" if url == "" or url.endswith("/") else url


def relative(url: str, from_url: str) -> str:
    """The relative URL from the page at `from_url` to the site path `url`."""
    from_dir = posixpath.dirname(page_file(from_url)) or "."
    target = url.rstrip("/") or "."
    rel = posixpath.relpath(target, from_dir)
    return rel + "/" if url == "" or url.endswith("/") else rel


def page_html(index: int, pages: int, rng: random.Random) -> str:
    url = page_url(index)
    to_assets = relative("assets/", url)
    links = [f'<a href="{relative(page_url((index + 1) % pages), url)}">next page</a>']
    kinds = rng.choices(list(LINK_KINDS), weights=list(LINK_KINDS.values()),
                        k=LINKS_PER_PAGE - 4)  # 4 = next page, stylesheet, script, image
    for kind in kinds:
        other = page_url(rng.randrange(pages))
        anchor = f"s{rng.randrange(ANCHORS_PER_PAGE)}"
        href = {"same-page fragment": f"#{anchor}",
                "relative with fragment": f"{relative(other, url)}#{anchor}",
                "root-relative with fragment": f"/{other}#{anchor}",
                "relative page": relative(other, url),
                "root-relative page": f"/{other}"}[kind]
        links.append(f'<a href="{href}">{kind}</a>')
    per_section = -(-len(links) // ANCHORS_PER_PAGE)
    sections = [
        f'<section>\n<h2 id="s{n}">Section {n} of page {index}</h2>\n'
        f"<p>Generated text so that pages have some weight, as real pages do: the quick brown "
        f"fox jumps over the lazy dog. {' '.join(links[n * per_section:(n + 1) * per_section])}"
        f"</p>\n</section>"
        for n in range(ANCHORS_PER_PAGE)
    ]
    return (
        f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Page {index}</title>\n"
        f'<link rel="stylesheet" href="/assets/site.css">\n'
        f'<script src="{to_assets}site.js"></script>\n</head>\n<body>\n<main>\n'
        f'<h1>Page {index}</h1>\n<img src="{to_assets}img-{index % ASSET_IMAGES}.png" alt="">\n'
        + "\n".join(sections) + "\n</main>\n</body>\n</html>\n"
    )


def generate_site(root: Path, pages: int, seed: int) -> Path:
    """A site of `pages` pages whose links all resolve; the same seed gives the same bytes."""
    rng = random.Random(seed)
    (root / "assets").mkdir(parents=True)
    (root / "assets" / "site.css").write_text("body { background: url(img-0.png) no-repeat; }\n")
    (root / "assets" / "site.js").write_text("document.documentElement.classList.add('js');\n")
    for n in range(ASSET_IMAGES):
        (root / "assets" / f"img-{n}.png").write_bytes(PNG)
    for index in range(pages):
        path = root / page_file(page_url(index))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page_html(index, pages, rng), encoding="utf-8")
    return root


# The random cross-link sites: links to random pages and sections anywhere in the site, written in
# several forms, with missing pages and anchors planted among them. Two layouts, as two kinds of
# generator write them, so that neither tool is timed on one kind of markup only:
# - "directory URLs" (MkDocs, Hugo): every page a folder's index.html, little markup;
# - "HTML files" (Sphinx): pages as .html files, headings with a permalink to themselves, a table
#   of contents of same-page links, nested <section>s, a second id per section, assets with a
#   ?v= query, an index page linked from every footer.
CROSS_SECTIONS = 20
CROSS_FOLDERS = 20
PLANTED_MISSING = 0.01  # of the links: a page that does not exist; as many again: a missing #id
LAYOUTS = ("directory URLs", "HTML files")


@dataclass(frozen=True)
class Layout:
    name: str
    forms: tuple[str, ...]  # how a link to another page is written

    def page(self, index: int) -> str:
        """The site path of page `index` (a directory URL, or an .html file's path)."""
        if self.name == "directory URLs":
            return f"topic-{index % CROSS_FOLDERS}/page-{index}/"
        return f"docs/{'abcdefg'[index % 7]}/part-{index % CROSS_FOLDERS}/page{index}.html"

    def missing(self, index: int) -> str:
        return self.page(index).replace("page-", "missing-").replace("/page", "/missing")

    def file(self, url: str) -> str:
        return page_file(url)

    def link(self, url: str, from_url: str, form: str, fragment: str) -> str:
        if form == "root-relative URL":
            return f"/{url}{fragment}"
        from_dir = posixpath.dirname(self.file(from_url))
        if url.endswith("/"):
            rel = posixpath.relpath(url, from_dir) + "/"
            return rel + ("index.html" if form == "index.html#id" else "") + fragment
        return ("./" if form == "./relative" else "") + posixpath.relpath(url, from_dir) + fragment


CROSS_LAYOUTS = {"directory URLs": Layout("directory URLs", ("relative directory URL", "root-relative URL",
                                                             "index.html#id")),
                 "HTML files": Layout("HTML files", ("relative", "root-relative URL", "./relative"))}


def cross_links(layout: Layout, index: int, pages: int, rng: random.Random,
                planted: set[tuple[str, str]], anchor: Callable[[int], str]) -> list[str]:
    """The page's links to random pages and sections, with the broken ones added to `planted`."""
    url = layout.page(index)
    links = []
    for _ in range(LINKS_PER_PAGE):
        roll = rng.random()
        target = rng.randrange(pages)
        fragment = f"#{anchor(rng.randrange(CROSS_SECTIONS))}" if rng.random() < 0.8 else ""
        if roll < PLANTED_MISSING:
            other = layout.missing(target)
        elif roll < 2 * PLANTED_MISSING:
            other, fragment = layout.page(target), f"#gone-{rng.randrange(100)}"
        else:
            other = layout.page(target)
        href = layout.link(other, url, rng.choice(layout.forms), fragment)
        if roll < 2 * PLANTED_MISSING:
            planted.add(broken_key(layout.file(url), href))
        links.append(href)
    return links


def cross_page_html(index: int, pages: int, rng: random.Random, planted: set[tuple[str, str]]) -> str:
    layout = CROSS_LAYOUTS["directory URLs"]
    links = [f'<a href="{href}">see</a>'
             for href in cross_links(layout, index, pages, rng, planted, lambda n: f"s{n}")]
    per_section = -(-len(links) // CROSS_SECTIONS)
    sections = "\n".join(
        f'<section>\n<h2 id="s{n}">Section {n} of page {index}</h2>\n<p>Generated text so that '
        f"pages have some weight, as real pages do: the quick brown fox jumps over the lazy dog. "
        f"{' '.join(links[n * per_section:(n + 1) * per_section])}</p>\n</section>"
        for n in range(CROSS_SECTIONS))
    return (f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>Page {index}</title>\n</head>\n<body>\n<main>\n<h1>Page {index}</h1>\n"
            f"{sections}\n</main>\n</body>\n</html>\n")


def files_page_html(index: int, pages: int, rng: random.Random, planted: set[tuple[str, str]]) -> str:
    """A page as a documentation generator that writes .html files lays it out (Sphinx-like)."""
    layout = CROSS_LAYOUTS["HTML files"]
    url = layout.page(index)
    top = posixpath.relpath(".", posixpath.dirname(url)) + "/"
    # Every section has two ids: its own and a label before its heading; links go to either.
    links = cross_links(layout, index, pages, rng, planted,
                        lambda n: f"section-{n}" if n % 2 else f"label-{n}")
    per_section = -(-len(links) // CROSS_SECTIONS)
    sections = "\n".join(
        f'<section id="section-{n}">\n<span id="label-{n}"></span><h2>Section {n}<a class="headerlink" '
        f'href="#section-{n}" title="Link to this heading">\u00b6</a></h2>\n<p>Generated text so '
        f"that pages have some weight, as real pages do: the quick brown fox jumps over the lazy "
        f"dog. "
        + " ".join(f'<a class="reference internal" href="{href}"><span class="std std-ref">see'
                   f"</span></a>" for href in links[n * per_section:(n + 1) * per_section])
        + "</p>\n</section>"
        for n in range(CROSS_SECTIONS))
    toc = "\n".join(f'<li class="toctree-l1"><a class="reference internal" href="#section-{n}">'
                    f"Section {n}</a></li>" for n in range(CROSS_SECTIONS))
    return (f'<!DOCTYPE html>\n<html class="no-js" lang="en" data-content_root="{top}">\n<head>\n'
            f'  <meta charset="utf-8" />\n  <meta name="viewport" content="width=device-width, '
            f'initial-scale=1" />\n  <title>Page {index} &#8212; Docs</title>\n'
            f'  <link rel="stylesheet" type="text/css" href="{top}_static/pygments.css?v=d1102ebc" />\n'
            f'  <script src="{top}_static/doctools.js?v=888ff710"></script>\n'
            f'  <link rel="index" title="Index" href="{top}genindex.html" />\n</head><body>\n'
            f'<div class="document"><div class="documentwrapper"><div class="body" role="main">\n'
            f'<section id="page-{index}">\n<h1>Page {index}<a class="headerlink" href="#page-{index}" '
            f'title="Link to this heading">\u00b6</a></h1>\n{sections}\n</section>\n</div></div></div>\n'
            f'<div class="sphinxsidebar" role="navigation"><ul>\n{toc}\n</ul></div>\n'
            f'<div class="footer">&#169; 2026. <a href="{top}genindex.html">Index</a></div>\n'
            f"</body>\n</html>\n")


def generate_cross_link_site(root: Path, pages: int, seed: int,
                             layout: str = "directory URLs") -> set[tuple[str, str]]:
    """A site of `pages` pages linked at random across the whole site (the same seed, the same
    bytes), and the broken links planted in it, as broken_key gives them."""
    rng = random.Random(seed)
    planted: set[tuple[str, str]] = set()
    page_html = cross_page_html if layout == "directory URLs" else files_page_html
    if layout == "HTML files":
        (root / "_static").mkdir(parents=True)
        (root / "_static" / "pygments.css").write_text(".highlight { background: #f8f8f8; }\n")
        (root / "_static" / "doctools.js").write_text("document.documentElement.className = 'js';\n")
        (root / "genindex.html").write_text('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                                            "<title>Index</title></head><body><h1 id=\"index\">Index"
                                            "</h1></body></html>\n")
    for index in range(pages):
        path = root / CROSS_LAYOUTS[layout].file(CROSS_LAYOUTS[layout].page(index))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page_html(index, pages, rng, planted), encoding="utf-8")
    return planted


def broken_key(page: str, target: str) -> tuple[str, str]:
    """A broken link as (page, target path#fragment), alike whichever tool reported it: directory
    URLs, /index.html and root-relative or relative forms of one target give one key."""
    path, _, fragment = target.partition("#")
    if not path.startswith("/"):
        path = posixpath.join(posixpath.dirname("/" + page), path)
    path = posixpath.normpath(path).removesuffix("/index.html").rstrip("/") or "/"
    return page, path + (f"#{fragment}" if fragment else "")


# Each copy of a small generated site gets exactly one of these, appended to page 1.
BREAKAGES = {
    "missing anchor on another page": lambda url: f'<a href="{relative(page_url(2), url)}#no-such-id">x</a>',
    "missing anchor on the same page": lambda url: '<a href="#no-such-id">x</a>',
    "missing page": lambda url: f'<a href="{relative("part-1/no-such-page/", url)}">x</a>',
}


def break_site(site: Path, copy: Path, link: Callable[[str], str]) -> Path:
    shutil.copytree(site, copy)
    page = copy / page_file(page_url(1))
    page.write_text(page.read_text().replace("</main>", link(page_url(1)) + "\n</main>"))
    return copy


# ---------------------------------------------------------------------------------------------
# Tools: each returns how many problems it reported and how many links it says it checked


@dataclass
class Outcome:
    problems: int | None
    links: int | None
    note: str = ""
    broken: set[tuple[str, str]] | None = None  # broken_key of each error, for comparing findings


@dataclass
class Timing:
    tool: str
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds, with child processes
    outcome: Outcome | None = None
    skipped: str = ""

    @property
    def best(self) -> float | None:
        return min(self.seconds) if self.seconds else None


def sitecheck_command(site: Path, work: Path) -> list[str]:
    return [str(BIN / "sitecheck"), str(site), "--offline", "--format", "json"]


def sitecheck_outcome(result: subprocess.CompletedProcess[str], site: Path) -> Outcome:
    if result.returncode not in (0, 1):
        return Outcome(None, None, f"exit {result.returncode}: {result.stderr.strip()[-300:]}")
    report = json.loads(result.stdout)
    # Warnings (a source not yet verified online) are not broken links: the others count none.
    errors = [p for p in report["problems"] if p.get("severity", "error") == "error"]
    return Outcome(len(errors), report["stats"]["links"],
                   broken={broken_key(p["page"], p["target"]) for p in errors})


def lychee_command(site: Path, work: Path) -> list[str]:
    # --index-files: a directory URL must have an index.html, as on a real server (without it
    # lychee accepts any existing directory and cannot look for #fragments in it).
    # --extensions: the same inputs as sitecheck (HTML and CSS), not sitemap.xml or .txt files.
    return [str(BIN / "lychee"), "--offline", "--include-fragments", "--index-files", "index.html",
            "--root-dir", str(site.resolve()), "--extensions", "html,htm,css",
            "--no-progress", "--format", "json", str(site)]


def lychee_outcome(result: subprocess.CompletedProcess[str], site: Path) -> Outcome:
    if result.returncode not in (0, 2):
        return Outcome(None, None, f"exit {result.returncode}: {result.stderr.strip()[-300:]}")
    report = json.loads(result.stdout)
    root = str(site.resolve())
    broken = set()
    for page, errors in report.get("error_map", {}).items():
        for error in errors:
            target = error["url"].removeprefix("file://").removeprefix(root)
            broken.add(broken_key(str(Path(page).resolve().relative_to(root)), target))
    # total counts every link found; excludes are the external and javascript: ones it skipped.
    return Outcome(report["errors"], report["total"] - report["excludes"],
                   f"{report['unique']} unique", broken)


LINKCHECKER_CONFIG = """\
[checking]
# Do not fetch robots.txt from the test server.
robotstxt=0
# LinkChecker waits between requests to one host (10 a second at most, 3 on average) unless the
# server answers with a "LinkChecker" header, as the test server does: see linkcheckerrc(5).
maxrequestspersecond=1000000
[filtering]
checkextern=0
[AnchorCheck]
"""


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """The site on a loopback HTTP server, for LinkChecker (see linkchecker_command)."""

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def end_headers(self) -> None:
            # Lifts LinkChecker's per-host rate limit (with maxrequestspersecond in its config).
            self.send_header("LinkChecker", "benchmark")
            super().end_headers()

    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def linkchecker_command(url: str, work: Path) -> list[str]:
    # LinkChecker reads the site over a loopback server, not as file: URLs, because on file: URLs
    # it resolves root-relative links against the disk's root and does not check #fragments of
    # directory URLs (warning file-anchorcheck-directory). It still checks no external URL.
    config = work / "linkcheckerrc"
    config.write_text(LINKCHECKER_CONFIG)
    # It drops root privileges to "nobody", who must still read the config and write the summary.
    config.chmod(0o644)
    return [str(BIN / "linkchecker"), "--config", str(config), "--no-status", "--output", "csv",
            "--file-output", f"text/utf-8/{work / 'linkchecker-summary.txt'}", url]


def linkchecker_outcome(result: subprocess.CompletedProcess[str], work: Path) -> Outcome:
    if result.returncode not in (0, 1):
        return Outcome(None, None, f"exit {result.returncode}: {result.stderr.strip()[-300:]}")
    # The rows follow the header line; "# " lines around them are comments, but a row itself
    # starts with "#" when its link is a same-page fragment.
    lines = result.stdout.splitlines()
    header = next(n for n, line in enumerate(lines) if line.startswith("urlname;"))
    rows = csv.DictReader(io.StringIO("\n".join(line for line in lines[header:]
                                                if not line.startswith("# Stopped checking"))),
                          delimiter=";")
    # AnchorCheck reports a missing #fragment as a warning, not an error: both are problems here.
    problems = other_warnings = 0
    for row in rows:
        anchor_missing = "Anchor `" in (row.get("warningstring") or "")
        if row.get("valid") == "False" or anchor_missing:
            problems += 1
        elif row.get("warningstring"):
            other_warnings += 1
    summary = (work / "linkchecker-summary.txt").read_text(encoding="utf-8")
    counted = re.search(r"(\d+) links? in (\d+) URLs? checked", summary)
    links = int(counted.group(1)) if counted else None
    note = f"{counted.group(2)} URLs" if counted else ""
    if other_warnings:
        note += f", {other_warnings} other warnings"
    return Outcome(problems, links, note)


def run_tool(tool: str, site: Path, work: Path, timeout: float) -> tuple[float, Outcome]:
    """Wall-clock seconds of one run of `tool` on `site`, and what it reported. The CPU time it
    used (user + system, its child processes included) is left in LAST_CPU."""
    global LAST_CPU
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o777)  # LinkChecker, running as nobody, writes its summary here
    with contextlib.ExitStack() as stack:
        if tool == "linkchecker":
            url = stack.enter_context(served(site))
            command = linkchecker_command(url, work)
        else:
            command = {"sitecheck": sitecheck_command, "lychee": lychee_command}[tool](site, work)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                check=False, env=tool_env())
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        LAST_CPU = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if tool == "linkchecker":
        return seconds, linkchecker_outcome(result, work)
    return seconds, {"sitecheck": sitecheck_outcome, "lychee": lychee_outcome}[tool](result, site)


def tool_env() -> dict[str, str]:
    # Time the sitecheck of this checkout even if the venv's editable install points elsewhere.
    paths = [str(ROOT / "scripts"), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "NO_COLOR": "1"}


TOOLS = ("sitecheck", "lychee", "linkchecker")
TOOL_NAMES = {"sitecheck": "sitecheck", "lychee": "lychee", "linkchecker": "LinkChecker"}


def versions(tools: list[str]) -> dict[str, str]:
    def first_line(command: list[str]) -> str:
        result = subprocess.run(command, capture_output=True, text=True, check=False, env=tool_env())
        return (result.stdout or result.stderr).strip().splitlines()[0]

    import lxml.etree

    found = {
        "sitecheck": lambda: f"this checkout (Python {platform.python_version()}, lxml "
                             f"{'.'.join(map(str, lxml.etree.LXML_VERSION[:3]))})",
        "lychee": lambda: first_line([str(BIN / "lychee"), "--version"]),
        "linkchecker": lambda: first_line([str(BIN / "linkchecker"), "--version"]),
    }
    return {tool: found[tool]() for tool in tools}


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cores} cores (nproc), {cpu}, {platform.system()} {platform.release()}"


# ---------------------------------------------------------------------------------------------
# Background load

# A busy loop that ends by itself once the benchmark is gone (its parent changes), even if the
# benchmark was killed without a chance to stop it.
BUSY_LOOP = """
import os
parent = os.getppid()
while os.getppid() == parent:
    for _ in range(1_000_000):
        pass
"""


@contextlib.contextmanager
def background_load(processes: int) -> Iterator[list[subprocess.Popen]]:
    """`processes` CPU-bound processes for as long as the block runs; stopped after it, also on
    Ctrl-C or an error."""
    busy: list[subprocess.Popen] = []
    try:
        for _ in range(processes):
            busy.append(subprocess.Popen([sys.executable, "-c", BUSY_LOOP]))
        yield busy
    finally:
        for process in busy:
            process.kill()
        for process in busy:
            process.wait()


def stop_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds, so that the background load is stopped


# ---------------------------------------------------------------------------------------------
# The run


def build_this_site(dest: Path) -> Path:
    """This guide, built strictly (never with -q: quiet mode hides what strict counts)."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
         "-d", str(dest)],
        capture_output=True, text=True, check=False, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if result.returncode != 0:
        raise SystemExit(f"benchmark: mkdocs build --strict failed:\n{result.stderr}")
    return dest


def count_pages(site: Path) -> int:
    return sum(1 for path in site.rglob("*") if path.suffix in (".html", ".htm"))


def sanity(tools: list[str], work: Path, seed: int, timeout: float) -> list[str]:
    """Each tool must report exactly one problem in each broken copy; the failures, if any."""
    small = generate_site(work / "small", 50, seed)
    failures = []
    print("Sanity: each tool must report exactly 1 problem in each broken copy of a 50-page site")
    print()
    print("| broken on purpose | " + " | ".join(TOOL_NAMES[t] for t in tools) + " |")
    print("|---|" + "---|" * len(tools))
    for number, (case, link) in enumerate(BREAKAGES.items()):
        copy = break_site(small, work / f"broken-{number}", link)
        cells = []
        for tool in tools:
            _, outcome = run_tool(tool, copy, work / f"broken-{number}-{tool}", timeout)
            cells.append(str(outcome.problems) if outcome.problems is not None else outcome.note)
            if outcome.problems != 1:
                failures.append(f"{TOOL_NAMES[tool]} on '{case}': {cells[-1]}")
        print(f"| {case} | " + " | ".join(cells) + " |")
    print()
    return failures


def time_site(name: str, site: Path, tools: list[str], args: argparse.Namespace, work: Path,
              pages: int) -> list[Timing]:
    """Best of --runs per tool. The tools take turns (sitecheck, lychee, sitecheck, ...), so that a
    change in the machine's other load during the runs falls on both alike."""
    timings = [Timing(tool) for tool in tools]
    for timing in timings:
        if timing.tool == "linkchecker" and pages > args.linkchecker_max:
            timing.skipped = f"skipped: {pages} pages > --linkchecker-max {args.linkchecker_max}"
            print(f"  {name}: LinkChecker {timing.skipped}", flush=True)
    for run in range(max(args.runs, args.linkchecker_runs)):
        for timing in timings:
            tool = timing.tool
            if timing.skipped or run >= (args.linkchecker_runs if tool == "linkchecker" else args.runs):
                continue
            try:
                seconds, outcome = run_tool(tool, site, work / f"{tool}-{run}", args.timeout)
            except subprocess.TimeoutExpired:
                timing.skipped = f"timed out after {args.timeout:.0f} s"
                print(f"  {name}: {TOOL_NAMES[tool]} {timing.skipped}", flush=True)
                continue
            timing.seconds.append(seconds)
            timing.cpu.append(LAST_CPU)
            timing.outcome = outcome
            print(f"  {name}: {TOOL_NAMES[tool]} run {run + 1}: {seconds:.2f} s ({LAST_CPU:.2f} s CPU), "
                  f"{outcome.problems} problems, {outcome.links} links {outcome.note} "
                  f"(load {os.getloadavg()[0]:.1f})", flush=True)
    return timings


def seconds_cell(timing: Timing) -> str:
    if timing.best is None:
        return timing.skipped or "-"
    flag = "" if timing.outcome and timing.outcome.problems == 0 else " (!)"
    return f"{timing.best:.2f}{flag}"


def ratio_cell(timing: Timing, base: Timing) -> str:
    if timing.best is None or base.best is None:
        return "-"
    return f"{timing.best / base.best:.1f}x"


def table(results: list[tuple[str, int, list[Timing]]], tools: list[str]) -> list[str]:
    names = [TOOL_NAMES[t] for t in tools]
    others = [t for t in tools if t != "sitecheck"]
    lines = [
        "| site | pages | " + " | ".join(f"{n} (s)" for n in names) + " | "
        + " | ".join(f"{n} CPU (s)" for n in names) + " | "
        + " | ".join(f"{TOOL_NAMES[t]} / sitecheck" for t in others) + " | links checked ("
        + " / ".join(names) + ") |",
        "|---|--:|" + "--:|" * (2 * len(names) + len(others)) + "---|",
    ]
    for name, pages, timings in results:
        by_tool = {t.tool: t for t in timings}
        base = by_tool.get("sitecheck", Timing("sitecheck"))
        links = " / ".join(str(t.outcome.links) if t.outcome and t.outcome.links is not None
                           else "-" for t in timings)
        lines.append(f"| {name} | {pages} | " + " | ".join(seconds_cell(t) for t in timings)
                     + " | " + " | ".join(f"{min(t.cpu):.2f}" if t.cpu else "-" for t in timings)
                     + " | " + " | ".join(ratio_cell(by_tool[t], base) for t in others)
                     + f" | {links} |")
    return lines


def cross_table(results: list[tuple[str, int, list[Timing], set]]) -> list[str]:
    lines = ["| site | pages | sitecheck (s) | lychee (s) | sitecheck / lychee | CPU s, sitecheck / lychee "
             "| CPU, sitecheck / lychee | broken links found (sitecheck / lychee / planted) "
             "| same findings |",
             "|---|--:|--:|--:|--:|--:|--:|---|---|"]
    for name, pages, timings, planted in results:
        by_tool = {t.tool: t for t in timings}
        mine, theirs = by_tool.get("sitecheck", Timing("sitecheck")), by_tool.get("lychee", Timing("lychee"))
        ratio = f"{mine.best / theirs.best:.2f}x" if mine.best and theirs.best else "-"
        found = [t.outcome.broken if t.outcome else None for t in (mine, theirs)]
        counts = " / ".join(str(len(f)) if f is not None else "-" for f in found)
        same = "yes" if found[0] == found[1] == planted else "NO"
        cpu = " / ".join(f"{min(t.cpu):.2f}" if t.cpu else "-" for t in (mine, theirs))
        cpu_ratio = f"{min(mine.cpu) / min(theirs.cpu):.2f}x" if mine.cpu and theirs.cpu else "-"
        lines.append(f"| {name} | {pages} | {mine.best or 0:.2f} | {theirs.best or 0:.2f} | {ratio} | "
                     f"{cpu} | {cpu_ratio} | {counts} / {len(planted)} | {same} |")
    return lines


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(prog="benchmark", description=__doc__.split("\n\n")[0])
    cli.add_argument("--sizes", default="1000,10000,50000",
                     help="page counts of the generated sites, comma-separated (default: %(default)s)")
    cli.add_argument("--cross-sizes", default="5000,50000",
                     help="page counts of the random cross-link sites, timed with sitecheck and lychee "
                          "only, with planted broken links (default: %(default)s)")
    cli.add_argument("--layouts", default=",".join(LAYOUTS),
                     help="layouts of the cross-link sites (default: %(default)s)")
    cli.add_argument("--load", type=int, default=0, metavar="N",
                     help="run N CPU-bound processes in the background for the whole run, as other "
                          "work on a busy machine (default: %(default)s)")
    cli.add_argument("--runs", type=int, default=3, help="runs per tool and site; the best counts")
    cli.add_argument("--site", type=Path,
                     help="this guide's built site (default: build it with mkdocs build --strict)")
    cli.add_argument("--tools", default=",".join(TOOLS), help="default: %(default)s")
    cli.add_argument("--linkchecker-max", type=int, default=10000, metavar="PAGES",
                     help="skip LinkChecker on larger sites: it is slow (default: %(default)s)")
    cli.add_argument("--linkchecker-runs", type=int, default=1, metavar="N",
                     help="runs of LinkChecker per site: one takes minutes, and its spread does not "
                          "change a ratio of 100 (default: %(default)s)")
    cli.add_argument("--timeout", type=float, default=1800, help="seconds per run (default: %(default)s)")
    cli.add_argument("--seed", type=int, default=2026)
    cli.add_argument("--workdir", type=Path, help="keep the generated sites here (default: a temp folder)")
    return cli


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
        sizes = [int(size) for size in args.sizes.split(",") if size]
        cross_sizes = [int(size) for size in args.cross_sizes.split(",") if size]
    except SystemExit as exit_:
        return 0 if exit_.code == 0 else 2
    except ValueError:
        print("benchmark: --sizes takes page counts such as 1000,10000", file=sys.stderr)
        return 2
    layouts = [layout for layout in args.layouts.split(",") if layout]
    if not set(layouts) <= set(LAYOUTS):
        print(f"benchmark: --layouts takes {', '.join(LAYOUTS)}", file=sys.stderr)
        return 2
    tools = [tool for tool in TOOLS if tool in args.tools.split(",")]
    missing = [tool for tool in tools if not (BIN / tool).exists()]
    if missing:
        print(f"benchmark: {', '.join(missing)} not in {BIN}; install the bench extra "
              "(pip install -e '.[bench]')", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    with contextlib.ExitStack() as stack:
        if args.workdir:
            work = args.workdir.resolve()
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sitecheck-bench-")))
        work.chmod(0o755)  # LinkChecker drops root privileges to "nobody", who must read the sites
        print("Command: " + " ".join(["python", *sys.argv]))
        print(f"Machine: {machine()}, load average before the run: "
              f"{' '.join(f'{load:.2f}' for load in os.getloadavg())}")
        stack.enter_context(background_load(args.load))
        print(f"Background load: {args.load} CPU-bound processes for the whole run")
        for tool, version in versions(tools).items():
            print(f"{TOOL_NAMES[tool]}: {version}")
        print(f"Wall clock, best of {args.runs} runs (LinkChecker: {args.linkchecker_runs}); "
              "fragment checking on, offline.\n", flush=True)
        failures = sanity(tools, work / "sanity", args.seed, args.timeout)
        results = []
        this_site = args.site.resolve() if args.site else build_this_site(work / "this-site")
        sites = [("this guide", this_site, count_pages(this_site))]
        for size in sizes:
            generated = generate_site(work / f"generated-{size}", size, args.seed)
            sites.append((f"generated {size}", generated, size))
        for name, site, pages in sites:
            timings = time_site(name, site, tools, args, work / f"runs-{name.replace(' ', '-')}", pages)
            results.append((name, pages, timings))
            failures += [f"{TOOL_NAMES[t.tool]} reported {t.outcome.problems} problems on {name}"
                         for t in timings if t.outcome and t.outcome.problems != 0]
            if site != this_site:
                shutil.rmtree(site)  # 50,000 pages take half a gigabyte
        cross_results = []
        cross_tools = [tool for tool in tools if tool != "linkchecker"]
        for layout, size in ((layout, size) for size in cross_sizes for layout in layouts):
            name = f"cross-link {size}, {layout}"
            site = work / f"cross-{size}-{layout.replace(' ', '-')}"
            planted = generate_cross_link_site(site, size, args.seed, layout)
            timings = time_site(name, site, cross_tools, args, work / f"runs-{site.name}", size)
            cross_results.append((name, size, timings, planted))
            failures += [f"{TOOL_NAMES[t.tool]} did not find exactly the {len(planted)} planted broken "
                         f"links on {name}" for t in timings if not t.outcome or t.outcome.broken != planted]
            shutil.rmtree(site)
        print()
        print("\n".join(table(results, tools)))
        print()
        print("links checked: sitecheck's internal links (anchors included), lychee's links minus "
              "excluded ones, LinkChecker's links (one per distinct URL).")
        if cross_results:
            print()
            print("Random cross-link sites (links to random pages and sections anywhere; directory "
                  "URLs: as relative directory URLs, root-relative URLs and index.html#id; HTML files: "
                  "as relative, ./relative and root-relative URLs; 1% to missing pages, 1% to missing "
                  "ids). CPU: user + system seconds of the tool and its child processes, best run:")
            print()
            print("\n".join(cross_table(cross_results)))
        print(f"\nLoad average after the run: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
        for failure in failures:
            print(f"(!) {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
