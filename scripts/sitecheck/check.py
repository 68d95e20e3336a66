"""Checking a built site: every internal link, asset and #fragment resolves inside the folder."""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

from sitecheck.pages import ASSET, CITE, EMPTY, Page, css_links, resolve_links, scan_pages
from sitecheck.problems import Kind, Problem
from sitecheck.urls import EXTERNAL, FILE_URL, INVALID, OUTSIDE_SITE, SKIPPED, Site, decode_fragment

HTML_SUFFIXES = (".html", ".htm")
# Below this many pages, starting worker processes costs more than parsing on one core.
PARALLEL_FROM = 500
PAGES_PER_TASK = 100
MISSING = object()
VERDICT_KINDS = {FILE_URL: (Kind.FILE_URL, "points to a file on someone's disk"),
                 OUTSIDE_SITE: (Kind.OUTSIDE_SITE, "leaves the site folder"),
                 INVALID: (Kind.INVALID_URL, "is not a valid URL: the URL parser fails on it, so browsers "
                                             "cannot use it (URL Standard 4.4, basic URL parser)"),
                 EMPTY: (Kind.EMPTY_LINK, "link has an empty target")}
SYMLINK_OUT = "resolves through a symlink to outside the site folder"


@dataclass(frozen=True)
class Target:
    """Where a link points inside the site: a path relative to the root, and a fragment
    (percent-decoded; `raw_fragment` is the fragment as written in the URL)."""

    path: str
    fragment: str | None
    raw_fragment: str | None = field(default=None, compare=False)


class NoPages(ValueError):
    """The folder holds no HTML page: there is nothing to check, which is not a clean pass."""


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("pages", "links", "anchors_checked", "external", "skipped"), 0))


def indicated(fragment: str, anchors: set[str]) -> bool:
    """HTML, 7.4.6.3 "Scrolling to a fragment": whether the indicated part of the document
    (https://html.spec.whatwg.org/multipage/browsing-the-web.html#the-indicated-part-of-the-document)
    exists for `fragment`, the URL's fragment as written (still percent-encoded)."""
    # Step: an empty fragment indicates the top of the document.
    if fragment == "":
        return True
    # "Find a potential indicated element" with fragment: an element whose ID is fragment, or an
    # <a> whose name is (anchors holds both).
    if fragment in anchors:
        return True
    # Then with decodedFragment, the UTF-8 decode without BOM of its percent-decoding.
    decoded = decode_fragment(fragment)
    if decoded in anchors:
        return True
    # Then: decodedFragment an ASCII case-insensitive match for "top" is the top of the document.
    return decoded.isascii() and decoded.lower() == "top"


class SiteChecker:
    def __init__(self, root: Path, site_url: str | None = None):
        self.given_root = root
        self.root = root.resolve()
        self.site_url = site_url
        self.site = Site.from_url(site_url)
        self.pages: dict[str, Page] = {}
        self.stylesheets: list[str] = []
        # What the walk found (site-relative paths): a link to one of these needs no system call.
        self.files: set[str] = set()
        self.dirs: set[str] = {""}
        self.symlinks: set[str] = set()
        self.walked = False
        # Answers remembered per target path: a site has far fewer targets than links.
        self.files_known: dict[str, tuple[str | None, bool]] = {}
        # Set by load: the report of the links checked while loading, and the links that wait.
        self.early: Report | None = None
        self.waiting: list[tuple[str, str, int, str, str, str]] | None = None
        self.html: set[str] = set()
        self.inside_known: dict[Path, bool] = {}

    def walk(self) -> list[str]:
        """Every file of the site, like Path.rglob: symlinked folders are not entered, a
        symlinked file counts only when it resolves inside the site. The HTML pages, sorted."""
        pages = []
        stack = [""]
        while stack:
            folder = stack.pop()
            with os.scandir(os.path.join(self.root, folder)) as entries:
                for entry in entries:
                    path = f"{folder}/{entry.name}" if folder else entry.name
                    symlink = entry.is_symlink()
                    if symlink:
                        self.symlinks.add(path)
                    if entry.is_dir():
                        if not symlink:
                            self.dirs.add(path)
                            stack.append(path)
                        continue
                    if not entry.is_file():  # a FIFO (reading one waits forever), a dangling symlink
                        continue
                    if symlink and not self.inside(Path(entry.path)):
                        continue
                    self.files.add(path)
                    lowered = entry.name.lower()
                    if lowered.endswith(HTML_SUFFIXES):
                        pages.append(path)
                    elif lowered.endswith(".css"):
                        self.stylesheets.append(path)
        pages.sort()
        self.stylesheets.sort()
        self.walked = True
        return pages

    def load(self) -> None:
        """Parse every HTML page once; links are then resolved against this index."""
        paths = self.walk()
        # The pages add up to millions of long-lived objects; each of the cyclic collector's full
        # passes while they pile up walks all of them again (a third of the load time at 10,000
        # pages). Nothing here makes reference cycles, so it is off until the pages are in.
        collecting = gc.isenabled()
        gc.disable()
        # Links are checked while the other pages are still being read, on the core the workers
        # leave free; a link to a #fragment of a page not read yet waits for it.
        self.early, self.waiting, self.html = Report(), [], set(paths)
        try:
            for path, binary, anchors, base, errors, links in self.scan(paths):
                self.pages[path] = Page(anchors, links, base, binary, errors)
                self.early.problems += author_errors(path, errors)
                self.check_links(path, links, self.early, self.waiting)
        finally:
            if collecting:
                promote_to_oldest_generation()
                gc.enable()

    def scan(self, paths: list[str]):
        workers = worker_count()
        if len(paths) < PARALLEL_FROM or workers < 2:
            return scan_pages(str(self.root), paths, self.site_url)
        return self.scan_in_pool(paths, workers)

    def scan_in_pool(self, paths: list[str], workers: int):
        """Parse on every core, in this process's own children, so that their CPU time counts as
        its own (a fork server's would not). Should no worker start, the pages are read here."""
        import multiprocessing  # only large sites pay for loading these
        import sys
        import types
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        method = start_method()
        tasks = [paths[start:start + PAGES_PER_TASK] for start in range(0, len(paths), PAGES_PER_TASK)]
        done = 0
        try:
            with ProcessPoolExecutor(max_workers=workers,
                                     mp_context=multiprocessing.get_context(method)) as pool:
                # Spawned workers would import the program's main module again (the whole command
                # line tool, a tenth of a second each), though they run nothing of it: it is hidden
                # from them while they start.
                main = sys.modules["__main__"]
                if method == "spawn":
                    sys.modules["__main__"] = types.ModuleType("__main__")
                try:  # map hands out every task, so the workers start here
                    batches = pool.map(scan_pages, repeat(str(self.root)), tasks, repeat(self.site_url))
                finally:
                    sys.modules["__main__"] = main
                for results in batches:
                    done += 1
                    yield from results
        except BrokenProcessPool:
            if done:  # pages were handed out already: do not read them twice
                raise
            yield from scan_pages(str(self.root), paths, self.site_url)

    def inside(self, path: Path) -> bool:
        if path not in self.inside_known:  # resolving symlinks costs an lstat per component
            self.inside_known[path] = path.resolve().is_relative_to(self.root)
        return self.inside_known[path]

    def resolve(self, url: str, from_path: str, base: str | None = None) -> Target | Kind | str:
        """A Target inside the site, a problem Kind, or "external"/"skipped"."""
        verdict = self.site.resolve(url, self.site.base_url(from_path, base))
        return as_target(verdict)

    def file_for(self, path: str) -> tuple[str | None, bool]:
        """The file a site path serves (a folder serves its index.html), as a site path or None,
        and whether the path stays inside the site once symlinks are resolved."""
        known = self.files_known.get(path)
        if known is not None:
            return known
        folder = path[:-1] if path.endswith("/") else path
        if folder in self.dirs:
            index = f"{folder}/index.html" if folder else "index.html"
            known = (index if index in self.files else None, True)
        elif path in self.files:
            known = (path, True)
        elif "\0" in path or self.missing_inside(folder):  # no file name holds a NUL ("%00")
            known = (None, True)
        else:  # behind a symlink, or with a name the walk cannot have seen ("a//b")
            # A URL path "//etc/x" gives the site path "/etc/x": still under the root, as a static
            # server reads it, not the absolute path that Path's "/" would make of it.
            path_in_root = path.lstrip("/")
            candidate = self.root / path_in_root
            if candidate.is_dir():
                candidate = candidate / "index.html"
            elif path.endswith("/"):
                candidate = None
            if candidate is not None and candidate.is_file():
                known = (candidate.relative_to(self.root).as_posix(), self.inside(candidate))
            else:
                known = (None, self.inside(self.root / path_in_root))
        self.files_known[path] = known
        return known

    def missing_inside(self, path: str) -> bool:
        """Whether the walk proves that nothing is at `path`: its nearest existing folder was
        walked, and no symlink stands in between."""
        if not self.walked:
            return False
        while path not in self.dirs:
            if path in self.symlinks or path in self.files or "//" in path or not path:
                return False
            path = path.rpartition("/")[0]
        return True

    def check_links(self, page_path: str, links: list[tuple], report: Report,
                    waiting: list | None = None) -> None:
        """The hot loop: every resolved link of one page (see sitecheck.pages.Page). With
        `waiting`, a link to a #fragment of a page not loaded yet goes there instead."""
        stats, problems, pages, files_known = report.stats, report.problems, self.pages, self.files_known
        internal = anchors_checked = 0
        for url, line, role, verdict in links:
            if verdict.__class__ is not tuple:
                if verdict in (EXTERNAL, SKIPPED):
                    stats[verdict] += 1
                elif role == CITE:
                    problems.append(Problem(page_path, line, Kind.BROKEN_CITE, url,
                                            VERDICT_KINDS[verdict][1]))
                else:
                    kind, message = VERDICT_KINDS[verdict]
                    problems.append(Problem(page_path, line, kind, url, message))
                continue
            internal += 1
            path, fragment = verdict
            served, inside = files_known.get(path) or self.file_for(path)
            if served is None or not inside:
                if role == CITE:
                    kind = Kind.BROKEN_CITE
                else:
                    kind = Kind.MISSING_ASSET if role == ASSET else Kind.BROKEN_LINK
                problems.append(Problem(page_path, line, kind if inside else Kind.OUTSIDE_SITE, url,
                                        f"no file at /{path}" if inside else SYMLINK_OUT))
                continue
            if fragment is None:
                continue
            target = pages.get(served)
            if target is None and waiting is not None and served in self.html:
                waiting.append((page_path, url, line, role, served, fragment))
                continue
            if target is None or target.binary:  # not an HTML page: its fragments are not ids
                continue
            anchors_checked += 1
            if fragment in target.anchors or indicated(fragment, target.anchors):
                continue
            problems.append(anchor_problem(page_path, url, line, role, served, fragment))
        stats["links"] += internal
        stats["anchors_checked"] += anchors_checked

    def check_waiting(self, report: Report) -> None:
        """The #fragments that waited in check_links for their page: only the id is left to check."""
        pages, problems, anchors_checked = self.pages, report.problems, 0
        for page_path, url, line, role, served, fragment in self.waiting or ():
            target = pages[served]
            if target.binary:
                continue
            anchors_checked += 1
            if fragment not in target.anchors and not indicated(fragment, target.anchors):
                problems.append(anchor_problem(page_path, url, line, role, served, fragment))
        report.stats["anchors_checked"] += anchors_checked

    def check_target(self, target: Target, link: tuple, page: str, kind: Kind) -> Problem | None:
        """One target, for a link (url, line, ...) that is not in a page's list."""
        url, line = link[0], link[1]
        served, inside = self.file_for(target.path)
        if not inside:
            return Problem(page, line, Kind.OUTSIDE_SITE, url, SYMLINK_OUT)
        if served is None:
            return Problem(page, line, kind, url, f"no file at /{target.path}")
        fragment = target.raw_fragment if target.raw_fragment is not None else target.fragment
        if fragment is None or served not in self.pages or self.pages[served].binary:
            return None
        if indicated(fragment, self.pages[served].anchors):
            return None
        missing = kind if kind == Kind.PUBLISHED_BROKEN else Kind.MISSING_ANCHOR
        return Problem(page, line, missing, url,
                       f'/{served} has no element with id "{target.fragment}"')

    def check(self, published: Path | None = None) -> Report:
        if not self.pages:
            self.load()
        report, self.early = self.early or Report(), None
        binary = sorted(path for path, page in self.pages.items() if page.binary)
        report.stats["pages"] = len(self.pages) - len(binary)
        if not report.stats["pages"]:
            raise NoPages(f"no HTML pages under {self.given_root}")
        report.problems += [Problem(path, 0, Kind.NOT_HTML, path, "is named .html but holds binary data; "
                                    "it was not checked") for path in binary]
        if self.waiting is None:  # the pages were given, not loaded: nothing was checked yet
            for page_path, page in self.pages.items():
                self.check_links(page_path, page.links, report)
                report.problems += author_errors(page_path, page.errors)
        self.check_waiting(report)
        self.waiting = None  # a second check() checks every page again
        cache: dict = {}
        for css_path in self.stylesheets:
            with open(self.root / css_path, "rb") as file:
                text = file.read().decode("utf-8", errors="replace")
            links = resolve_links(Page(links=css_links(text)), css_path, self.site, cache)
            self.check_links(css_path, links, report)
        if published is not None:
            report.problems += self.check_published(published)
        report.problems.sort()
        return report

    def check_published(self, published: Path) -> list[Problem]:
        """Each URL handed out to readers (one site-relative URL a line) must still resolve."""
        problems = []
        lines = published.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            url = line.strip()
            if not url or url.startswith("#"):
                continue
            target = self.resolve("/" + url.lstrip("/"), "")
            link = (url, number)
            problem = (self.check_target(target, link, published.name, Kind.PUBLISHED_BROKEN)
                       if isinstance(target, Target)
                       else Problem(published.name, number, Kind.PUBLISHED_BROKEN, url,
                                    "is not a site-relative URL"))
            problems += [problem] if problem else []
        return problems


def anchor_problem(page: str, url: str, line: int, role: str, served: str, fragment: str) -> Problem:
    kind = Kind.BROKEN_CITE if role == CITE else Kind.MISSING_ANCHOR
    return Problem(page, line, kind, url, f'/{served} has no element with id "{decode_fragment(fragment)}"')


def promote_to_oldest_generation() -> None:
    """Objects made while the collector was off are all still in its youngest generation: its next
    pass, at the next allocation, would walk every page's links (a tenth of a second at 5,000
    pages) only to find them alive. Frozen and unfrozen, they join the oldest generation at once,
    which it walks rarely. (Not when the program has frozen objects of its own: they stay frozen.)"""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def start_method() -> str:
    """How worker processes start. Forked, they begin at once with the modules this process has
    loaded (spawned, each imports them anew: a tenth of a second of both cores). But a fork copies
    only the calling thread: a lock that another thread holds at that moment (a test's server,
    Playwright) stays held in the child for ever. So: fork on Linux when no other thread runs,
    else spawn (macOS's system libraries do not survive a fork at all)."""
    import sys
    import threading

    return "fork" if sys.platform == "linux" and threading.active_count() == 1 else "spawn"


def worker_count() -> int:
    """One worker process per core this process may run on, at most 8. (More, on a busy machine,
    was measured to cost more than it wins: each starts Python and resolves links on its own.)"""
    return min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8)


def author_errors(page: str, errors: list[tuple[int, str, str, str]]) -> list[Problem]:
    """What the author wrote that browsers drop or ignore (sitecheck.pages.Page.errors)."""
    return [Problem(page, line, Kind(kind), target, message) for line, kind, target, message in errors]


def as_target(verdict: tuple[str, str | None] | str) -> Target | Kind | str:
    if isinstance(verdict, tuple):
        path, fragment = verdict
        return Target(path, decode_fragment(fragment) if fragment is not None else None, fragment)
    if verdict in (EXTERNAL, SKIPPED):
        return verdict
    return VERDICT_KINDS[verdict][0]
