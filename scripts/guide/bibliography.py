"""The project's bibliography: loading, validating and formatting `data/bibliography.yaml`."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^[1-9]\d{0,8}$")
KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
TYPES = {"article", "book", "chapter", "web"}
FIELDS = {"key", "type", "authors", "title", "container", "year", "volume", "issue", "pages",
          "doi", "pmid", "isbn", "url"}


class BibliographyError(ValueError):
    """The bibliography file cannot be trusted; the message names the entry and the fault."""


def isbn_is_valid(isbn: str) -> bool:
    digits = isbn.replace("-", "").replace(" ", "").upper()
    if re.fullmatch(r"\d{13}", digits):
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
        return (10 - total % 10) % 10 == int(digits[12])
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits))
        return total % 11 == 0
    return False


@dataclass(frozen=True)
class Source:
    key: str
    type: str
    title: str
    authors: str = ""
    container: str = ""
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    isbn: str = ""
    url: str = ""
    links: dict[str, str] = field(default_factory=dict, compare=False)

    def citation_text(self) -> str:
        """The reference in Vancouver style, as plain text."""
        parts = [f"{self.authors.rstrip('.')}." if self.authors else "", f"{self.title.rstrip('.')}."]
        where = self.container
        if self.year:
            where += f" {self.year}" if self.type != "web" else f"; {self.year}"
        if self.volume:
            where += f";{self.volume}" + (f"({self.issue})" if self.issue else "")
        if self.pages:
            where += f":{self.pages}"
        parts.append(where.strip() + "." if where.strip() else "")
        return " ".join(p for p in parts if p)

    def identifier_links(self) -> dict[str, str]:
        links = {}
        if self.doi:
            links[f"doi:{self.doi}"] = f"https://doi.org/{self.doi}"
        if self.pmid:
            links[f"PMID {self.pmid}"] = f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        if self.isbn:
            links[f"ISBN {self.isbn}"] = ""
        if self.url and not self.doi and not self.pmid:
            links["Online"] = self.url
        return links

    def html(self) -> str:
        ids = " ".join(
            f'<a href="{html.escape(href)}">{html.escape(label)}</a>' if href
            else html.escape(label)
            for label, href in self.identifier_links().items()
        )
        return f"{html.escape(self.citation_text())} {ids}"


def check_entry(entry: dict, where: str) -> list[str]:
    problems = []
    key = entry.get("key")
    if not isinstance(key, str) or not KEY.match(key):
        return [f"{where}: entry has no valid key ({key!r})"]
    unknown = set(entry) - FIELDS
    if unknown:
        problems.append(f"{key}: unknown fields {', '.join(sorted(unknown))}")
    if entry.get("type") not in TYPES:
        problems.append(f"{key}: type must be one of {', '.join(sorted(TYPES))}")
    if not entry.get("title"):
        problems.append(f"{key}: no title")
    doi, pmid, isbn = (str(entry.get(k) or "") for k in ("doi", "pmid", "isbn"))
    if doi and not DOI.match(doi):
        problems.append(f"{key}: malformed DOI {doi!r} (expected 10.NNNN/suffix)")
    if pmid and not PMID.match(pmid):
        problems.append(f"{key}: malformed PMID {pmid!r} (expected 1-9 digits)")
    if isbn and not isbn_is_valid(isbn):
        problems.append(f"{key}: invalid ISBN {isbn!r} (wrong length or check digit)")
    web_only = entry.get("type") == "web" and entry.get("url")
    if not (doi or pmid or isbn or web_only):
        problems.append(f"{key}: no identifier (needs a DOI, PMID or ISBN; type web needs a url)")
    return problems


def parse(entries: object, where: str) -> dict[str, Source]:
    """Validated sources by key; raises BibliographyError listing every problem found."""
    sources, problems = read_entries(entries, where)
    if problems:
        raise BibliographyError("; ".join(problems))
    return sources


def read_entries(entries: object, where: str) -> tuple[dict[str, Source], list[str]]:
    """The sound entries by key, and one message per problem ("key: what is wrong")."""
    if not isinstance(entries, list):
        return {}, [f"{where}: expected a list of entries"]
    problems: list[str] = []
    sources: dict[str, Source] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            problems.append(f"{where}: entry {index + 1} is not a mapping")
            continue
        found = check_entry(entry, f"{where}: entry {index + 1}")
        problems += found
        key = entry.get("key")
        if key in sources:
            problems.append(f"{key}: duplicate key")
        elif not found:
            sources[key] = Source(**{k: (str(v) if k not in ("year",) else v)
                                     for k, v in entry.items()})
    return sources, problems


def read_file(path: Path) -> object:
    try:
        # libyaml's loader where PyYAML was built with it: several times faster than pure Python.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as error:
        raise BibliographyError(f"{path}: cannot be read: {error}") from None


def load(path: Path) -> dict[str, Source]:
    return parse(read_file(path), str(path))
