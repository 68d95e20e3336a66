"""What sitecheck reports: one small record per problem."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Kind(StrEnum):
    BROKEN_LINK = "broken-link"
    MISSING_ANCHOR = "missing-anchor"
    EMPTY_LINK = "empty-link"
    OUTSIDE_SITE = "outside-site"
    FILE_URL = "file-url"
    PUBLISHED_BROKEN = "published-broken"


HINTS = {
    Kind.BROKEN_LINK: "fix the path, or restore the page or file it points to",
    Kind.MISSING_ANCHOR: "use an id that exists on the target page, or add a redirect for the old one",
    Kind.EMPTY_LINK: "give the link a target or remove it",
    Kind.OUTSIDE_SITE: "links must stay inside the site folder; it was not followed",
    Kind.FILE_URL: "file: URLs only work on the author's machine; use a relative link",
    Kind.PUBLISHED_BROKEN: "readers hold this link: restore the page or section, or add a redirect",
}


@dataclass(frozen=True, order=True)
class Problem:
    page: str
    line: int
    kind: Kind
    target: str
    message: str

    @property
    def hint(self) -> str:
        return HINTS[self.kind]

    def as_dict(self) -> dict:
        return {**asdict(self), "kind": str(self.kind), "hint": self.hint}

    def as_text(self) -> str:
        return f"{self.page}:{self.line}: [{self.kind}] {self.target}: {self.message} (hint: {self.hint})"
