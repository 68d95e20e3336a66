"""The project's glossary: loading and validating `data/glossary.yaml`, and finding its terms in text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

# `[@key]` or `[@a; @b]` in a warning: the same markers chapters use.
from guide.citations import CITATION
from guide.citations import cited_keys as citation_keys

ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIELDS = {"id", "term", "long", "aliases", "spellings", "misspellings", "lay_terms", "brands",
          "definition", "warning", "explained_in", "see"}
BRAND_FIELDS = {"name", "market", "source", "note"}
# Where a brand name was confirmed: a label or a regulator's product list of one of these.
MARKETS = {"US", "UK", "EU", "Canada", "Australia"}
SOURCE_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
CHAPTERS = {"how-the-body-makes-sperm", "why-trt-lowers-sperm", "protecting-fertility",
            "restoring-fertility", "recovery-timeline", "talking-with-your-doctor"}
# "long form (ABBR)" in prose introduces an abbreviation: the glossary must define it.
INTRODUCED_ABBREVIATION = re.compile(r"[A-Za-z][\w-]* \(([A-Za-z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*)\)")


class GlossaryError(ValueError):
    """The glossary file cannot be trusted; the message names the entry and the fault."""


@dataclass(frozen=True)
class Brand:
    """A name a medicine is sold under, in one market, with the bibliography key that shows it."""

    name: str
    market: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    definition: str
    explained_in: str
    long: str = ""
    aliases: tuple[str, ...] = ()
    see: tuple[str, ...] = ()
    # Shown on the entry and found by search; spellings are also linked in chapters, while
    # misspellings and lay terms are not (a phrase like "the shot" means different things).
    spellings: tuple[str, ...] = ()
    misspellings: tuple[str, ...] = ()
    lay_terms: tuple[str, ...] = ()
    brands: tuple[Brand, ...] = ()
    # A short safety text shown under the definition as a warning box; it cites with [@key].
    warning: str = ""

    @property
    def heading(self) -> str:
        return f"{self.term} ({self.long})" if self.long else self.term

    @property
    def forms(self) -> tuple[str, ...]:
        return tuple(f for f in (self.term, self.long, *self.aliases, *self.spellings) if f)

    @property
    def search_forms(self) -> tuple[str, ...]:
        """Every word a reader may type for this entry, including brand names and misspellings."""
        return (*self.forms, *self.misspellings, *self.lay_terms, *(b.name for b in self.brands))

    @property
    def warning_keys(self) -> tuple[str, ...]:
        """The bibliography keys the warning cites, in reading order."""
        return tuple(dict.fromkeys(key for marker in CITATION.findall(self.warning)
                                   for key in citation_keys(marker)))

    @property
    def cited_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.warning_keys, *(b.source for b in self.brands))))

    def tooltip(self) -> str:
        return f"{self.heading}: {' '.join(self.definition.split())}"


def form_pattern(form: str) -> str:
    """A form matches whole words, with a plural ending; abbreviations keep their case."""
    escaped = re.escape(form).replace(r"\ ", r"\s+")
    mixed_case = any(c.isupper() for c in form[1:])
    return escaped if mixed_case else f"(?i:{escaped})"


def parse(entries: object, where: str) -> dict[str, Term]:
    if not isinstance(entries, list):
        raise GlossaryError(f"{where}: expected a list of entries")
    problems: list[str] = []
    terms: dict[str, Term] = {}
    owner: dict[str, str] = {}
    for index, entry in enumerate(entries):
        label = f"{where}: entry {index + 1}"
        if not isinstance(entry, dict) or not ID.match(str(entry.get("id", ""))):
            problems.append(f"{label}: needs an id of lowercase words joined by hyphens")
            continue
        term_id = entry["id"]
        if unknown := set(entry) - FIELDS:
            problems.append(f"{term_id}: unknown fields {', '.join(sorted(unknown))}")
        for required in ("term", "definition", "explained_in"):
            if not entry.get(required):
                problems.append(f"{term_id}: no {required}")
        if entry.get("explained_in") and entry["explained_in"] not in CHAPTERS:
            problems.append(f"{term_id}: explained_in '{entry['explained_in']}' is not a chapter")
        if term_id in terms:
            problems.append(f"{term_id}: duplicate id")
            continue
        brands, brand_problems = parse_brands(entry.get("brands") or [], term_id)
        problems += brand_problems
        warning, warning_problems = parse_warning(entry.get("warning"), term_id)
        problems += warning_problems
        term = Term(
            id=term_id, term=str(entry.get("term", "")), long=str(entry.get("long") or ""),
            definition=str(entry.get("definition", "")),
            explained_in=str(entry.get("explained_in", "")),
            aliases=tuple(entry.get("aliases") or ()), see=tuple(entry.get("see") or ()),
            spellings=tuple(entry.get("spellings") or ()),
            misspellings=tuple(entry.get("misspellings") or ()),
            lay_terms=tuple(entry.get("lay_terms") or ()), brands=brands, warning=warning,
        )
        for form in dict.fromkeys(term.search_forms):
            if (other := owner.setdefault(form.lower(), term_id)) != term_id:
                problems.append(f"{term_id}: '{form}' is already a form of '{other}'")
        terms[term_id] = term
    for term in terms.values():
        problems += [f"{term.id}: see '{s}' has no entry" for s in term.see if s not in terms]
    if problems:
        raise GlossaryError("; ".join(problems))
    return terms


def parse_brands(entries: object, term_id: str) -> tuple[tuple[Brand, ...], list[str]]:
    """Brand names with their market and source; each must name both (never invent a brand)."""
    if not isinstance(entries, list):
        return (), [f"{term_id}: brands must be a list"]
    brands, problems = [], []
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("name"):
            problems.append(f"{term_id}: brand {entry!r} needs a name")
            continue
        name = entry["name"]
        if unknown := set(entry) - BRAND_FIELDS:
            problems.append(f"{term_id}: brand {name}: unknown fields {', '.join(sorted(unknown))}")
        if entry.get("market") not in MARKETS:
            problems.append(f"{term_id}: brand {name}: market must be one of "
                            f"{', '.join(sorted(MARKETS))}")
        if not SOURCE_KEY.match(str(entry.get("source") or "")):
            problems.append(f"{term_id}: brand {name}: needs the bibliography key of the label or "
                            "regulator list that shows it (source)")
        brands.append(Brand(name=str(name), market=str(entry.get("market")),
                            source=str(entry.get("source") or ""), note=str(entry.get("note") or "")))
    return tuple(brands), problems


def parse_warning(warning: object, term_id: str) -> tuple[str, list[str]]:
    """The safety text, one paragraph; every citation in it must be a well-formed marker."""
    if warning is None:
        return "", []
    if not isinstance(warning, str) or not warning.strip():
        return "", [f"{term_id}: warning must be a non-empty text"]
    text = " ".join(warning.split())
    problems = []
    for marker in CITATION.findall(text):
        try:
            citation_keys(marker)
        except ValueError as error:
            problems.append(f"{term_id}: warning: {error}")
    return text, problems


def check_sources(terms: dict[str, Term], known_keys: set[str]) -> list[str]:
    """A problem for each brand source or warning citation that is not in the bibliography."""
    problems = [f"{term.id}: warning: citation '{key}' is not in the bibliography"
                for term in terms.values() for key in term.warning_keys if key not in known_keys]
    return problems + [
        f"{term.id}: brand {brand.name}: source '{brand.source}' is not in the bibliography"
        for term in terms.values() for brand in term.brands if brand.source not in known_keys]


def load(path: Path) -> dict[str, Term]:
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise GlossaryError(f"{path}: cannot be read: {error}") from None
    return parse(entries, str(path))


class TermFinder:
    """Finds glossary terms in plain text, longest form first."""

    def __init__(self, terms: dict[str, Term]):
        self.by_form: dict[str, str] = {}
        patterns = []
        for term in terms.values():
            for form in term.forms:
                self.by_form[form.lower()] = term.id
                patterns.append(form)
        patterns.sort(key=len, reverse=True)
        alternatives = "|".join(form_pattern(p) for p in patterns)
        self.pattern = re.compile(rf"(?<![\w-])({alternatives})(?:e?s)?(?![\w-])")

    def term_id(self, matched: str) -> str:
        return self.by_form[" ".join(matched.split()).lower()]

    def find(self, text: str) -> list[tuple[re.Match, str]]:
        return [(m, self.term_id(m.group(1))) for m in self.pattern.finditer(text)]


def introduced_abbreviations(text: str) -> set[str]:
    return set(INTRODUCED_ABBREVIATION.findall(text))
