"""What sitecheck reports: one small record per problem."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path


class Kind(StrEnum):
    BROKEN_LINK = "broken-link"
    MISSING_ASSET = "missing-asset"
    MISSING_ANCHOR = "missing-anchor"
    EMPTY_LINK = "empty-link"
    OUTSIDE_SITE = "outside-site"
    FILE_URL = "file-url"
    PUBLISHED_BROKEN = "published-broken"
    UNRENDERED_CITATION = "unrendered-citation"
    UNRENDERED_MARKER = "unrendered-marker"
    UNCITED_SOURCE = "uncited-source"
    BAD_SOURCE = "bad-source"
    SOURCE_NOT_FOUND = "source-not-found"
    SOURCE_MISMATCH = "source-mismatch"
    SOURCE_CHANGED = "source-changed"
    SOURCE_UNVERIFIED = "source-unverified"
    SOURCE_UNCHECKED = "source-unchecked"
    SOURCE_RETRACTED = "source-retracted"
    SOURCE_CONCERN = "source-concern"
    EXTERNAL_BROKEN = "external-broken"
    EXTERNAL_UNREACHABLE = "external-unreachable"
    EXTERNAL_UNCHECKED = "external-unchecked"
    REDIRECT_LOOP = "redirect-loop"
    TLS_ERROR = "tls-error"
    NOT_HTML = "not-html"
    BROKEN_CITE = "broken-cite"
    # Author errors: what the author wrote that browsers drop or ignore (see sitecheck.pages).
    INVALID_URL = "invalid-url"
    INVALID_SRCSET = "invalid-srcset"
    DUPLICATE_ID = "duplicate-id"
    UNRENDERED_TEMPLATE = "unrendered-template"


# Reported, but they alone do not fail a run: nothing is wrong for readers yet.
WARNINGS = {Kind.UNCITED_SOURCE, Kind.SOURCE_UNVERIFIED, Kind.SOURCE_UNCHECKED, Kind.EXTERNAL_UNCHECKED,
            Kind.NOT_HTML, Kind.BROKEN_CITE, Kind.SOURCE_CONCERN,
            Kind.DUPLICATE_ID,  # links to the id still land on an element that has it
            Kind.UNRENDERED_TEMPLATE}  # a template file, not a page readers are sent to


HINTS = {
    Kind.BROKEN_LINK: "fix the path, or restore the page or file it points to",
    Kind.MISSING_ASSET: "restore the image, script, stylesheet or file the page loads, or fix its path",
    Kind.MISSING_ANCHOR: "use an id that exists on the target page, or add a redirect for the old one",
    Kind.EMPTY_LINK: "give the link a target or remove it",
    Kind.OUTSIDE_SITE: "links must stay inside the site folder; it was not followed",
    Kind.FILE_URL: "file: URLs only work on the author's machine; use a relative link",
    Kind.PUBLISHED_BROKEN: "readers hold this link: restore the page or section, or add a redirect",
    Kind.UNRENDERED_CITATION: "use a key from data/bibliography.yaml as [@key]; outside code it must render",
    Kind.UNRENDERED_MARKER: "build with the project's Markdown extensions and post-build step (see README)",
    Kind.UNCITED_SOURCE: "cite it where its facts are used, or remove it from the bibliography",
    Kind.BAD_SOURCE: "fix the entry in the bibliography file",
    Kind.SOURCE_NOT_FOUND: "the identifier is wrong: copy it again from the publisher or PubMed",
    Kind.SOURCE_MISMATCH: "the identifier names another work, or the entry is wrong: check both",
    Kind.SOURCE_CHANGED: "run sitecheck online to verify the edited entry and commit the lock file",
    Kind.SOURCE_UNVERIFIED: "run sitecheck online (without --offline) and commit the lock file",
    Kind.SOURCE_UNCHECKED: "the registry could not be asked; run again later",
    Kind.SOURCE_RETRACTED: "cite another work for the fact, or cite the notice to say the work was retracted",
    Kind.SOURCE_CONCERN: "read the notice and check that the facts cited from this work still stand",
    Kind.EXTERNAL_BROKEN: "the page is gone or broken: link to its new address or remove the link",
    Kind.EXTERNAL_UNREACHABLE: "no answer: check the address; if the site is down, try again later",
    Kind.EXTERNAL_UNCHECKED: "not checked this time: open the link in a browser, or run again later",
    Kind.REDIRECT_LOOP: "link to the page's final address; readers' browsers give up here too",
    Kind.TLS_ERROR: "the site's certificate or TLS setup is broken; readers see a warning page",
    Kind.NOT_HTML: "the file is named .html but holds binary data; rename it or replace it",
    Kind.BROKEN_CITE: "a cite= source readers never follow (browsers do not fetch it); fix or drop it",
    Kind.INVALID_URL: "browsers cannot parse it: fix the typo (a space in the host, an open [, a bad port)",
    Kind.INVALID_SRCSET: "write each candidate as 'URL 800w' or 'URL 2x', one descriptor, none repeated",
    Kind.DUPLICATE_ID: "give each element its own id, so that a link can reach each one",
    Kind.UNRENDERED_TEMPLATE: "a template copied into the site as it is: move it out of the docs folder",
}
# "Add a redirect" is advice only where the site has a redirects file to add it to.
HINTS_WITHOUT_REDIRECTS = {
    Kind.MISSING_ANCHOR: "use an id that exists on the target page",
    Kind.PUBLISHED_BROKEN: "readers hold this link: restore the page or section",
}


@dataclass(frozen=True, order=True)
class Problem:
    page: str
    line: int
    kind: Kind
    target: str
    message: str
    source: str = ""  # the Markdown file the page was built from, where known
    source_line: int = 0  # the line in `source`, where it can be known; 0: not known
    redirects: bool = field(default=False, compare=False, repr=False)  # the site has a redirects file

    @property
    def hint(self) -> str:
        if self.redirects:
            return HINTS[self.kind]
        return HINTS_WITHOUT_REDIRECTS.get(self.kind, HINTS[self.kind])

    @property
    def severity(self) -> str:
        return "warning" if self.kind in WARNINGS else "error"

    def as_dict(self) -> dict:
        # null, not "" or 0, where the Markdown source or its line is unknown: a reader of the JSON
        # can test for it.
        return {"page": self.page, "line": self.line, "kind": str(self.kind), "target": self.target,
                "message": self.message, "source": self.source or None,
                "source_line": self.source_line or None, "severity": self.severity, "hint": self.hint}

    def as_text(self) -> str:
        """One line, starting with the place to fix: the Markdown line where it is known."""
        label = f"{self.kind}, warning" if self.kind in WARNINGS else str(self.kind)
        where = f"{self.source}:{self.source_line}" if self.source_line else f"{self.page}:{self.line}"
        return f"{where}: [{label}] {self.target}: {self.message} (hint: {self.hint})"


def markdown_source(page: str, docs: Path) -> str:
    """The MkDocs source of a built page ('a/b/index.html' -> 'docs/a/b.md'), or of an HTML file
    MkDocs copied as it is ('a/t.html' -> 'docs/a/t.html'), or ''."""
    stem = page.removesuffix("index.html").removesuffix(".html").rstrip("/")
    candidates = ([f"{stem}.md", f"{stem}/index.md", f"{stem}/README.md"] if stem
                  else ["index.md", "README.md"]) + [page]
    for candidate in candidates:
        if (docs / candidate).is_file():
            return (docs / candidate).as_posix()
    return ""


# Where a Markdown file writes a link's URL: [text](url "title"), ![alt](url), a reference
# definition "[id]: url", an autolink <https://...>, and href=/src= in raw HTML.
MARKDOWN_URL = re.compile(r"\]\(\s*<?([^)\s>]*)|^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)"
                          r"""|\b(?:href|src)\s*=\s*["']([^"']*)|<([A-Za-z][A-Za-z0-9+.-]*:[^>\s]+)>""")
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def link_key(url: str) -> tuple[str, str | None]:
    """What a link points at, in terms that survive MkDocs' rewriting of a Markdown link
    ('../b.md#x' in docs/a/c.md is '../../b/#x' in a/c/index.html): the last path segment
    without .md or .html, a folder's index being the folder, and the fragment."""
    url = url.strip()
    if SCHEME.match(url):
        return url, None
    path, hash_sign, fragment = url.partition("#")
    segments = [s for s in path.partition("?")[0].split("/") if s not in ("", ".", "..")]
    names = [s.rsplit(".", 1)[0] if s.lower().endswith((".md", ".html", ".htm")) else s for s in segments]
    while names and names[-1] in ("index", "README"):
        names.pop()
    return (names[-1] if names else ""), (fragment if hash_sign else None)


def markdown_urls(text: str) -> list[tuple[int, str]]:
    """(line, URL) for each link written in a Markdown text, in order."""
    return [(number, next(group for group in match.groups() if group is not None))
            for number, line in enumerate(text.splitlines(), start=1)
            for match in MARKDOWN_URL.finditer(line)]


def with_source_lines(problems: list[Problem]) -> list[Problem]:
    """Each problem whose page has a Markdown source, with the line of the link in it where that
    can be known: the link written once there, or as many times as the page has problems with it
    (then in order). Otherwise the line stays unknown rather than being the HTML line. A file
    copied as it is has the built file's lines."""
    problems = [replace(p, source_line=p.line) if p.source and not p.source.endswith(".md") else p
                for p in problems]
    in_markdown = [i for i, p in enumerate(problems) if p.source.endswith(".md")]
    urls_of: dict[str, list[tuple[int, str]]] = {}
    for source in {problems[i].source for i in in_markdown}:
        try:
            urls_of[source] = markdown_urls(Path(source).read_text(encoding="utf-8", errors="replace"))
        except OSError:  # unreadable: its lines stay unknown
            urls_of[source] = []
    alike: dict[tuple[str, str, str], list[int]] = {}
    for i in sorted(in_markdown, key=problems.__getitem__):
        alike.setdefault((problems[i].page, problems[i].source, problems[i].target), []).append(i)
    for (_, source, target), group in alike.items():
        exact = [line for line, url in urls_of[source] if url == target]
        found = exact if len(exact) in (1, len(group)) else [
            line for line, url in urls_of[source] if link_key(url) == link_key(target)]
        if len(found) == 1:
            found *= len(group)
        if len(found) == len(group):
            for i, line in zip(group, found, strict=True):
                problems[i] = replace(problems[i], source_line=line)
    return problems
