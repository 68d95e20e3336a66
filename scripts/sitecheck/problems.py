"""What sitecheck reports: one small record per problem."""

from __future__ import annotations

from dataclasses import asdict, dataclass
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
    EXTERNAL_BROKEN = "external-broken"
    EXTERNAL_UNREACHABLE = "external-unreachable"
    EXTERNAL_UNCHECKED = "external-unchecked"
    REDIRECT_LOOP = "redirect-loop"
    TLS_ERROR = "tls-error"
    NOT_HTML = "not-html"
    BROKEN_CITE = "broken-cite"


# Reported, but they alone do not fail a run: nothing is wrong for readers yet.
WARNINGS = {Kind.UNCITED_SOURCE, Kind.SOURCE_UNVERIFIED, Kind.SOURCE_UNCHECKED, Kind.EXTERNAL_UNCHECKED,
            Kind.NOT_HTML, Kind.BROKEN_CITE}


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
    Kind.EXTERNAL_BROKEN: "the page is gone or broken: link to its new address or remove the link",
    Kind.EXTERNAL_UNREACHABLE: "no answer: check the address; if the site is down, try again later",
    Kind.EXTERNAL_UNCHECKED: "not checked this time: open the link in a browser, or run again later",
    Kind.REDIRECT_LOOP: "link to the page's final address; readers' browsers give up here too",
    Kind.TLS_ERROR: "the site's certificate or TLS setup is broken; readers see a warning page",
    Kind.NOT_HTML: "the file is named .html but holds binary data; rename it or replace it",
    Kind.BROKEN_CITE: "a cite= source readers never follow (browsers do not fetch it); fix or drop it",
}


@dataclass(frozen=True, order=True)
class Problem:
    page: str
    line: int
    kind: Kind
    target: str
    message: str
    source: str = ""  # the Markdown file the page was built from, where known

    @property
    def hint(self) -> str:
        return HINTS[self.kind]

    @property
    def severity(self) -> str:
        return "warning" if self.kind in WARNINGS else "error"

    def as_dict(self) -> dict:
        # null, not "", where the Markdown source is unknown: a reader of the JSON can test for it.
        return {**asdict(self), "kind": str(self.kind), "source": self.source or None,
                "severity": self.severity, "hint": self.hint}

    def as_text(self) -> str:
        label = f"{self.kind}, warning" if self.kind in WARNINGS else str(self.kind)
        return f"{self.page}:{self.line}: [{label}] {self.target}: {self.message} (hint: {self.hint})"


def markdown_source(page: str, docs: Path) -> str:
    """The MkDocs source of a built page ('a/b/index.html' -> 'docs/a/b.md'), or ''."""
    stem = page.removesuffix("index.html").removesuffix(".html").rstrip("/")
    candidates = ([f"{stem}.md", f"{stem}/index.md", f"{stem}/README.md"] if stem
                  else ["index.md", "README.md"])
    for candidate in candidates:
        if (docs / candidate).is_file():
            return (docs / candidate).as_posix()
    return ""
