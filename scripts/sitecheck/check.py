"""Checking a built site: every internal link, asset and #fragment resolves inside the folder."""

from __future__ import annotations

import gc
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitecheck.pages import Link, Page, css_links, read_page
from sitecheck.problems import Kind, Problem

HTML_SUFFIXES = {".html", ".htm"}
SKIPPED_SCHEMES = {"mailto", "tel", "javascript", "data", "blob", "about", "sms"}


@dataclass(frozen=True)
class Target:
    """Where a link points inside the site: a path relative to the root, and a fragment."""

    path: str
    fragment: str | None


class NoPages(ValueError):
    """The folder holds no HTML page: there is nothing to check, which is not a clean pass."""


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("pages", "links", "anchors_checked", "external", "skipped"), 0))


class SiteChecker:
    def __init__(self, root: Path, site_url: str | None = None):
        self.given_root = root
        self.root = root.resolve()
        site = urlsplit(site_url or "")
        self.site_host = site.netloc.lower()
        self.site_path = "/" + site.path.strip("/") + "/" if site.path.strip("/") else "/"
        self.pages: dict[str, Page] = {}
        # Answers remembered per path: a site has a few thousand distinct targets but hundreds of
        # thousands of links, and the folder does not change while it is checked.
        self.inside_known: dict[Path, bool] = {}
        self.files_known: dict[str, tuple[str, Path] | None] = {}

    def load(self) -> None:
        """Parse every HTML page once; links are then resolved against this index."""
        # The pages add up to millions of long-lived objects; each of the cyclic collector's full
        # passes while they pile up walks all of them again (a third of the load time at 10,000
        # pages). Nothing here makes reference cycles, so it is off until the pages are in.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for path in sorted(self.root.rglob("*")):
                if path.suffix.lower() in HTML_SUFFIXES and path.is_file() and self.inside(path):
                    self.pages[path.relative_to(self.root).as_posix()] = read_page(path)
        finally:
            if collecting:
                gc.enable()

    def inside(self, path: Path) -> bool:
        if path not in self.inside_known:  # resolving symlinks costs an lstat per component
            self.inside_known[path] = path.resolve().is_relative_to(self.root)
        return self.inside_known[path]

    def resolve(self, url: str, from_path: str, base: str | None = None) -> Target | Kind | str:
        """A Target inside the site, a problem Kind, or "external"/"skipped"."""
        try:
            parts = urlsplit(url)
        except ValueError:  # e.g. an unclosed IPv6 bracket: no browser can follow it either
            return Kind.BROKEN_LINK
        scheme = parts.scheme.lower()
        if scheme in SKIPPED_SCHEMES:
            return "skipped"
        if scheme == "file":
            return Kind.FILE_URL
        if base and not scheme:  # per HTML, even "#id" resolves against <base href>
            resolved_base = self.resolve(base, from_path)
            if not isinstance(resolved_base, Target):
                return resolved_base if resolved_base != "skipped" else "skipped"
            from_path = resolved_base.path  # a directory base keeps its trailing slash
        if scheme or url.startswith("//"):
            if scheme not in ("http", "https", "") or parts.netloc.lower() != self.site_host:
                return "external"
            if not (parts.path or "/").startswith(self.site_path):
                return "external"
            path = "/" + (parts.path or "/")[len(self.site_path):]
        else:
            path = parts.path
        if not path and not parts.fragment and not url.startswith("#"):
            return Target(from_path, None)
        joined = self.join(posixpath.dirname(from_path), unquote(path)) if path else from_path
        if joined is None:
            return Kind.OUTSIDE_SITE
        fragment = unquote(parts.fragment) if "#" in url else None
        return Target(joined, fragment)

    def join(self, directory: str, path: str) -> str | None:
        if path.startswith("/") and self.site_path != "/" and path.startswith(self.site_path):
            path = "/" + path[len(self.site_path):]
        combined = path.lstrip("/") if path.startswith("/") else posixpath.join(directory, path)
        normal = posixpath.normpath(combined) if combined else "."
        if normal == ".." or normal.startswith("../"):
            return None
        normal = "" if normal == "." else normal
        return normal + "/" if path.endswith("/") and normal else normal

    def file_for(self, path: str) -> tuple[str, Path] | None:
        """The file a site path serves (directories serve their index.html), if it exists."""
        known = self.files_known
        if path not in known:
            candidate: Path | None = self.root / path
            if candidate.is_dir():
                candidate = candidate / "index.html"
            elif path.endswith("/"):
                candidate = None
            known[path] = ((candidate.relative_to(self.root).as_posix(), candidate)
                           if candidate is not None and candidate.is_file() else None)
        return known[path]

    def check_link(self, link: Link, page: str, base: str | None, report: Report) -> Problem | None:
        if not link.url:
            return Problem(page, link.line, Kind.EMPTY_LINK, '""', "link has an empty target")
        result = self.resolve(link.url, page, base)
        if result in ("external", "skipped"):
            report.stats[result] += 1
            return None
        if isinstance(result, Kind):
            messages = {Kind.FILE_URL: "points to a file on someone's disk",
                        Kind.OUTSIDE_SITE: "leaves the site folder",
                        Kind.BROKEN_LINK: "is not a valid URL"}
            return Problem(page, link.line, result, link.url, messages[result])
        report.stats["links"] += 1
        return self.check_target(result, link, page, Kind.MISSING_ASSET if link.asset else Kind.BROKEN_LINK,
                                 report.stats)

    def check_target(self, target: Target, link: Link, page: str, kind: Kind,
                     stats: dict[str, int] | None = None) -> Problem | None:
        found = self.file_for(target.path)
        if found is None:
            if not self.inside(self.root / target.path):
                return Problem(page, link.line, Kind.OUTSIDE_SITE, link.url,
                               "resolves through a symlink to outside the site folder")
            return Problem(page, link.line, kind, link.url, f"no file at /{target.path}")
        relative, path = found
        if not self.inside(path):
            return Problem(page, link.line, Kind.OUTSIDE_SITE, link.url,
                           "resolves through a symlink to outside the site folder")
        if target.fragment is None or relative not in self.pages:
            return None
        if stats is not None:  # every fragment looked up counts, found or not
            stats["anchors_checked"] += 1
        if target.fragment in ("", "top"):
            return None
        if target.fragment not in self.pages[relative].anchors:
            missing = kind if kind == Kind.PUBLISHED_BROKEN else Kind.MISSING_ANCHOR
            return Problem(page, link.line, missing, link.url,
                           f"/{relative} has no element with id \"{target.fragment}\"")
        return None

    def check(self, published: Path | None = None) -> Report:
        report = Report()
        if not self.pages:
            self.load()
        binary = sorted(path for path, page in self.pages.items() if page.binary)
        report.stats["pages"] = len(self.pages) - len(binary)
        if not report.stats["pages"]:
            raise NoPages(f"no HTML pages under {self.given_root}")
        report.problems += [Problem(path, 0, Kind.NOT_HTML, path, "is named .html but holds binary data; "
                                    "it was not checked") for path in binary]
        for page_path, page in self.pages.items():
            for link in page.links:
                if problem := self.check_link(link, page_path, page.base, report):
                    report.problems.append(problem)
        for css in sorted(self.root.rglob("*.css")):
            if not self.inside(css):
                continue
            css_path = css.relative_to(self.root).as_posix()
            text = css.read_bytes().decode("utf-8", errors="replace")
            for link in css_links(text):
                if problem := self.check_link(link, css_path, None, report):
                    report.problems.append(problem)
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
            link = Link(url, number)
            problem = (self.check_target(target, link, published.name, Kind.PUBLISHED_BROKEN)
                       if isinstance(target, Target)
                       else Problem(published.name, number, Kind.PUBLISHED_BROKEN, url,
                                    "is not a site-relative URL"))
            problems += [problem] if problem else []
        return problems
