"""The project's glossary: loading and validating `data/glossary.yaml`, and finding its terms in text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIELDS = {"id", "term", "long", "aliases", "definition", "explained_in", "see"}
CHAPTERS = {"how-the-body-makes-sperm", "why-trt-lowers-sperm", "protecting-fertility",
            "restoring-fertility", "recovery-timeline", "talking-with-your-doctor"}
# "long form (ABBR)" in prose introduces an abbreviation: the glossary must define it.
INTRODUCED_ABBREVIATION = re.compile(r"[A-Za-z][\w-]* \(([A-Za-z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*)\)")


class GlossaryError(ValueError):
    """The glossary file cannot be trusted; the message names the entry and the fault."""


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    definition: str
    explained_in: str
    long: str = ""
    aliases: tuple[str, ...] = ()
    see: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        return f"{self.term} ({self.long})" if self.long else self.term

    @property
    def forms(self) -> tuple[str, ...]:
        return tuple(f for f in (self.term, self.long, *self.aliases) if f)

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
        term = Term(
            id=term_id, term=str(entry.get("term", "")), long=str(entry.get("long") or ""),
            definition=str(entry.get("definition", "")),
            explained_in=str(entry.get("explained_in", "")),
            aliases=tuple(entry.get("aliases") or ()), see=tuple(entry.get("see") or ()),
        )
        for form in term.forms:
            if (other := owner.setdefault(form.lower(), term_id)) != term_id:
                problems.append(f"{term_id}: '{form}' is already a form of '{other}'")
        terms[term_id] = term
    for term in terms.values():
        problems += [f"{term.id}: see '{s}' has no entry" for s in term.see if s not in terms]
    if problems:
        raise GlossaryError("; ".join(problems))
    return terms


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
