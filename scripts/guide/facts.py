"""The facts registry: a number stated at more than one level lives once in `data/facts.yaml`.

A chapter or a figure caption inserts a fact with `[[fact: id]]`. The marker becomes the fact's
words and its `[@key]` citations, so every level shows the same value with the same qualifier:

- `[[fact: id]]`: the plain form on Fundamentals pages (where the fact has one), the exact form
  elsewhere;
- `[[fact: id | exact]]` or `[[fact: id | plain]]`: that form, whatever the level;
- `[[fact: id | value]]`: the bare value and unit, no citation (table cells whose source line
  cites).

A fact's qualifier (the population or endpoint that must travel with the number) is written into
each of its forms; loading fails when a form leaves it out, so a level cannot drop it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from guide.evidence import outside_code

FACTS = Path("data/facts.yaml")
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
MARKER = re.compile(r"\[\[fact:\s*([^\]|]*?)\s*(?:\|\s*([^\]]*?)\s*)?\]\]")
FORMS = ("plain", "exact", "value")
FIELDS = {"id", "value", "unit", "exact", "plain", "population", "qualifier", "sources", "topic"}
REQUIRED = {"id", "value", "exact", "population", "sources", "topic"}


class FactsError(ValueError):
    """The facts file or a fact marker cannot be used; the message names the fact and the fault."""


@dataclass(frozen=True)
class Fact:
    id: str
    value: float | tuple[float, float]
    unit: str
    exact: str
    plain: str
    population: str
    qualifier: str
    sources: tuple[str, ...]
    topic: tuple[str, ...]

    def value_text(self) -> str:
        """The value with its unit: '90%', '64 days', '42 to 76 days'."""
        if isinstance(self.value, tuple):
            low, high = (number_text(v) for v in self.value)
            number = f"{low} to {high}"
        else:
            number = number_text(self.value)
        return number + ("" if self.unit == "%" or not self.unit else " ") + self.unit

    def words(self, form: str) -> str:
        return {"plain": self.plain or self.exact, "exact": self.exact, "value": self.value_text()}[form]

    def render(self, form: str) -> str:
        """The Markdown a marker becomes: the fact's words, then its citations."""
        if form == "value":
            return self.value_text()
        return f"{self.words(form)} [{'; '.join('@' + key for key in self.sources)}]"

    def literals(self) -> list[str]:
        """Ways a chapter could state this fact by hand instead of through a marker."""
        found = [self.value_text()]
        if isinstance(self.value, tuple):
            low, high = (number_text(v) for v in self.value)
            found += [f"{low}-{high} {self.unit}".strip(), f"{low}–{high} {self.unit}".strip()]
        elif self.unit and self.unit != "%":
            found.append(f"{number_text(self.value)}-{self.unit.rstrip('s')}")
        if self.plain:
            found.append(self.plain)
        return found


def number_text(value: float) -> str:
    return f"{value:,}"


def parse_value(raw: object, where: str) -> float | tuple[float, float]:
    if isinstance(raw, bool):
        raise FactsError(f"{where}: value must be a number or [low, high]")
    if isinstance(raw, int | float):
        return raw
    if (isinstance(raw, list) and len(raw) == 2 and all(isinstance(v, int | float) for v in raw)
            and raw[0] < raw[1]):
        return (raw[0], raw[1])
    raise FactsError(f"{where}: value must be a number or [low, high] with low < high (got {raw!r})")


def parse_fact(entry: object, known_sources: set[str] | None, where: str) -> Fact:
    if not isinstance(entry, dict):
        raise FactsError(f"{where}: each fact is a mapping with {', '.join(sorted(REQUIRED))}")
    fact_id = str(entry.get("id", ""))
    where = f"{where} '{fact_id}'" if fact_id else where
    if not ID.match(fact_id):
        raise FactsError(f"{where}: id must be lower-case words joined by hyphens")
    missing = sorted(REQUIRED - entry.keys())
    if missing:
        raise FactsError(f"{where}: lacks {', '.join(missing)}")
    unknown = sorted(entry.keys() - FIELDS)
    if unknown:
        raise FactsError(f"{where}: unknown fields {', '.join(unknown)}")
    sources = entry["sources"]
    if not isinstance(sources, list) or not sources or not all(KEY.match(str(k)) for k in sources):
        raise FactsError(f"{where}: needs sources, a list of bibliography keys")
    if known_sources is not None and (unknown_keys := sorted(set(sources) - known_sources)):
        raise FactsError(f"{where}: sources not in the bibliography: {', '.join(unknown_keys)}")
    topic = [str(word) for word in entry["topic"]] if isinstance(entry["topic"], list) else None
    if not topic or not all(topic):
        raise FactsError(f"{where}: topic must list the words a chapter uses around this fact")
    fact = Fact(
        id=fact_id,
        value=parse_value(entry["value"], where),
        unit=str(entry.get("unit", "")),
        exact=" ".join(str(entry["exact"]).split()),
        plain=" ".join(str(entry.get("plain", "")).split()),
        population=" ".join(str(entry["population"]).split()),
        qualifier=" ".join(str(entry.get("qualifier", "")).split()),
        sources=tuple(sources),
        topic=tuple(topic),
    )
    if fact.value_text() not in fact.exact:
        raise FactsError(f"{where}: the exact form must state the value '{fact.value_text()}'")
    for form in ("exact", "plain"):
        text = getattr(fact, form)
        if text and fact.qualifier and fact.qualifier.lower() not in text.lower():
            raise FactsError(f"{where}: the {form} form leaves out the qualifier '{fact.qualifier}'")
    return fact


def load(path: Path, known_sources: set[str] | None = None) -> dict[str, Fact]:
    """Every fact in the file, checked; known_sources (bibliography keys) checks the citations."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise FactsError(f"{path}: cannot be read ({error})") from None
    if not isinstance(data, list):
        raise FactsError(f"{path}: must be a list of facts")
    facts: dict[str, Fact] = {}
    for number, entry in enumerate(data, 1):
        fact = parse_fact(entry, known_sources, f"{path}: fact {number}")
        if fact.id in facts:
            raise FactsError(f"{path}: fact '{fact.id}' is defined twice")
        facts[fact.id] = fact
    return facts


def marker_form(option: str | None, tier: str | None, where: str) -> str:
    if option is None:
        return "plain" if tier == "fundamentals" else "exact"
    if option not in FORMS:
        raise FactsError(f"{where}: unknown fact form '{option}' (use {', '.join(FORMS)})")
    return option


def used_ids(text: str) -> list[str]:
    return [match.group(1) for match in MARKER.finditer(text)]


def expand(text: str, facts: dict[str, Fact], tier: str | None, where: str) -> str:
    """Every `[[fact: id]]` in text, replaced by the fact's words and citations."""

    def replace(match: re.Match) -> str:
        fact_id = match.group(1)
        if fact_id not in facts:
            raise FactsError(f"{where}: unknown fact '{fact_id}' (not in {FACTS})")
        return facts[fact_id].render(marker_form(match.group(2), tier, where))

    # Code shows the marker as written (a page may explain the syntax).
    return outside_code(text, lambda prose: MARKER.sub(replace, prose))


def unused(facts: dict[str, Fact], texts: list[str]) -> list[str]:
    """Ids of facts that no text uses."""
    used = {fact_id for text in texts for fact_id in used_ids(text)}
    return sorted(set(facts) - used)


LITERAL_WINDOW = 160


def blank(match: re.Match) -> str:
    """The match as spaces (newlines kept), so offsets and line numbers stay true."""
    return re.sub(r"[^\n]", " ", match.group(0))


def literal_statements(facts: dict[str, Fact], markdown: str) -> list[tuple[str, int, str]]:
    """(fact id, line, excerpt) where a chapter states a registered value by hand near its topic
    words. Markers, code, HTML comments and link targets are blanked first, so only prose a
    reader sees is searched."""
    prose = MARKER.sub(blank, markdown)
    prose = re.sub(r"<!--.*?-->|^(```|~~~).*?^\1|\]\([^)]*\)", blank, prose, flags=re.S | re.M)
    found = []
    for fact in facts.values():
        for literal in fact.literals():
            pattern = r"(?<![\w.,])" + re.escape(literal) + r"(?![\w]|[.,]\d)"
            for match in re.finditer(pattern, prose, flags=re.I):
                window = prose[max(0, match.start() - LITERAL_WINDOW):match.end() + LITERAL_WINDOW]
                if any(word.lower() in window.lower() for word in fact.topic):
                    line = prose.count("\n", 0, match.start()) + 1
                    found.append((fact.id, line, " ".join(window.split())))
    return found


def main(argv: list[str] | None = None) -> int:
    """`python -m guide.facts docs/*/*.md`: where a chapter states a registered fact by hand."""
    import sys

    registry = load(FACTS)
    found = 0
    for name in sys.argv[1:] if argv is None else argv:
        for fact_id, line, excerpt in literal_statements(registry, Path(name).read_text(encoding="utf-8")):
            found += 1
            print(f"{name}:{line}: states fact '{fact_id}' by hand (write [[fact: {fact_id}]]): "
                  f"...{excerpt}...")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
