"""The facts registry: a number stated at several levels is one fact, inserted by a marker."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, BuiltSite, build, chapter_sources, chapter_url
from guide import facts
from guide.bibliography import load as load_bibliography
from guide.figures import load as load_figures

REGISTRY = facts.load(ROOT / facts.FACTS)
EXACT, PLAIN = "65% of men with no other known cause", "about 2 in 3 men with no other known cause"
GOOD = {
    "id": "samplaski-recovery", "value": 65, "unit": "%", "exact": EXACT, "plain": PLAIN,
    "population": "clinic patients", "qualifier": "no other known cause",
    "sources": ["samplaski2014"], "topic": ["recover"],
}


def parse(entry: dict, known: set[str] | None = None) -> facts.Fact:
    return facts.parse_fact(entry, known, "test")


def test_load__project_registry_is_valid_and_cites_known_sources() -> None:
    known = set(load_bibliography(ROOT / "data/bibliography.yaml"))
    registry = facts.load(ROOT / facts.FACTS, known)
    assert len(registry) >= 25


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sources": []}, "needs sources"),
        ({"sources": ["nosuch2099"]}, "sources not in the bibliography: nosuch2099"),
        ({"exact": "two thirds of men with no other known cause"}, "must state the value '65%'"),
        ({"plain": "about 2 in 3 men"}, "plain form leaves out the qualifier"),
        ({"exact": "65% of men"}, "exact form leaves out the qualifier"),
        ({"value": [76, 42]}, "low < high"),
        ({"value": "65"}, "value must be a number"),
        ({"value": True}, "value must be a number"),
        ({"id": "Bad_Id"}, "id must be lower-case"),
        ({"colour": "red"}, "unknown fields colour"),
        ({"topic": []}, "topic must list"),
    ],
)
def test_parse_fact__rejects_a_fact_that_could_mislead(change: dict, message: str) -> None:
    with pytest.raises(facts.FactsError, match=re.escape(message)):
        parse({**GOOD, **change}, {"samplaski2014"})


def test_parse_fact__accepts_its_good_twin() -> None:
    fact = parse(GOOD, {"samplaski2014"})
    assert (fact.value_text(), fact.sources) == ("65%", ("samplaski2014",))


def test_load__rejects_a_fact_defined_twice(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump([GOOD, GOOD]))
    with pytest.raises(facts.FactsError, match="defined twice"):
        facts.load(path)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [(64, "days", "64 days"), ([42, 76], "days", "42 to 76 days"), (3000, "IU", "3,000 IU"),
     (1055.5, "ng/dL", "1,055.5 ng/dL"), (88.4, "%", "88.4%"), (9, "of 26 men", "9 of 26 men")],
)
def test_value_text__writes_value_and_unit_as_chapters_do(value: object, unit: str, text: str) -> None:
    fact = parse({**GOOD, "value": value, "unit": unit, "exact": f"{text} with no other known cause"})
    assert fact.value_text() == text


@pytest.mark.parametrize(
    ("marker", "tier", "expected"),
    [
        ("[[fact: samplaski-recovery]]", "fundamentals", f"{PLAIN} [@samplaski2014]"),
        ("[[fact: samplaski-recovery]]", "academic", f"{EXACT} [@samplaski2014]"),
        ("[[fact: samplaski-recovery]]", None, f"{EXACT} [@samplaski2014]"),
        ("[[fact:samplaski-recovery|exact]]", "fundamentals", f"{EXACT} [@samplaski2014]"),
        ("[[fact: samplaski-recovery | plain]]", "academic", f"{PLAIN} [@samplaski2014]"),
        ("[[fact: samplaski-recovery | value]]", "fundamentals", "65%"),
    ],
)
def test_expand__picks_the_form_by_tier_or_option(marker: str, tier: str | None, expected: str) -> None:
    registry = {"samplaski-recovery": parse(GOOD)}
    assert facts.expand(f"In one clinic, {marker}.", registry, tier, "x.md") == f"In one clinic, {expected}."


def test_expand__plain_falls_back_to_exact_when_a_fact_has_no_plain_form() -> None:
    registry = {"samplaski-recovery": parse({**GOOD, "plain": ""})}
    assert facts.expand("[[fact: samplaski-recovery]]", registry, "fundamentals", "x.md").startswith(EXACT)


@pytest.mark.parametrize(
    ("text", "message"),
    [("[[fact: nosuch]]", "x.md: unknown fact 'nosuch'"),
     ("[[fact: samplaski-recovery | rounded]]", "unknown fact form 'rounded'")],
)
def test_expand__stops_on_a_marker_it_cannot_render(text: str, message: str) -> None:
    with pytest.raises(facts.FactsError, match=re.escape(message)):
        facts.expand(text, {"samplaski-recovery": parse(GOOD)}, None, "x.md")


def test_unused__names_facts_no_text_inserts() -> None:
    registry = {"a": parse({**GOOD, "id": "a"}), "b": parse({**GOOD, "id": "b"})}
    assert facts.unused(registry, ["[[fact: a]] and [[fact:a|value]]", "no markers"]) == ["b"]
    assert facts.unused(registry, ["[[fact: a]]", "[[fact: b | exact]]"]) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("In one clinic, 65% of men recover within 6 months of stopping.", True),
        ("About 2 in 3 men with no other known cause did recover.", True),
        ("In one clinic, [[fact: samplaski-recovery]] had sperm again after stopping.", False),
        ("65% of the budget went elsewhere.", False),          # the number without its topic
        ("A 165% rise; recover later.", False),               # part of another number
        ("It was 65.5% when men recover.", False),            # another value
        ("<!-- 65% recover -->", False),                       # a comment is not prose
        ("See [the table](recovery.md#65%) to recover.", False),  # a link target is not prose
    ],
)
def test_literal_statements__finds_a_registered_value_written_by_hand(text: str, found: bool) -> None:
    registry = {"samplaski-recovery": parse(GOOD)}
    assert bool(facts.literal_statements(registry, text)) is found


def test_literal_statements__gives_the_line_of_the_value() -> None:
    registry = {"samplaski-recovery": parse(GOOD)}
    [(fact_id, line, _)] = facts.literal_statements(registry, "# Title\n\n<!-- x\ny -->\n65% recover\n")
    assert (fact_id, line) == ("samplaski-recovery", 5)


# -- The project's chapters and figures -----------------------------------------------------------

@pytest.mark.parametrize("source", chapter_sources(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_chapter__states_registered_numbers_only_through_markers(source: Path) -> None:
    found = facts.literal_statements(REGISTRY, source.read_text(encoding="utf-8"))
    assert not found, "\n".join(f"{source.name}:{line}: {fact_id}: ...{excerpt}..."
                                for fact_id, line, excerpt in found)


def test_registry__each_fact_is_used_at_two_levels_or_more() -> None:
    tiers: dict[str, set[str]] = defaultdict(set)
    for source in chapter_sources():
        for fact_id in facts.used_ids(source.read_text(encoding="utf-8")):
            tiers[fact_id].add(source.parent.name)
    figures = " ".join(p.read_text() for p in (ROOT / "data/figures").glob("*.yaml"))
    single = {fact_id: sorted(tiers[fact_id]) for fact_id in REGISTRY
              if len(tiers[fact_id]) < 2 and fact_id not in figures}
    assert not single, f"facts used at fewer than two levels: {single}"


def test_recovery_figure__plots_the_registered_values() -> None:
    figure = load_figures(ROOT / "data/figures")["recovery"]
    points = {p["months"]: p["percent"] for p in figure.data["recovery"]["points"]}
    assert points == {months: REGISTRY[f"liu2006-recovery-{months}mo"].value for months in (6, 12, 16, 24)}
    assert figure.data["recovery"]["median_months"] == REGISTRY["liu2006-median-recovery"].value
    assert figure.data["spermatogenesis"]["range_days"] == list(REGISTRY["spermatogenesis-range"].value)


def test_built_chapters__show_the_same_words_for_a_fact_at_every_level(built_site: BuiltSite) -> None:
    fact = REGISTRY["samplaski2014-recovery-6mo"]
    for source in chapter_sources():
        text = source.read_text(encoding="utf-8")
        if "[[fact: samplaski2014-recovery-6mo]]" not in text:
            continue
        article = " ".join(LexborHTMLParser(built_site.html(chapter_url(source))).css_first("article")
                           .text(separator=" ").split())
        words = fact.plain if source.parent.name == "fundamentals" else fact.exact
        assert words in article, chapter_url(source)
    assert "[[fact:" not in " ".join(p.read_text() for p in built_site.root.rglob("*.html"))


def test_build__stops_on_unknown_fact_and_warns_on_unused_fact(project_copy: Path, tmp_path: Path) -> None:
    chapter = project_copy / "docs/intermediate/recovery-timeline.md"
    chapter.write_text(chapter.read_text() + "\nA planted [[fact: no-such-fact]].\n")
    registry = project_copy / "data/facts.yaml"
    registry.write_text(registry.read_text() + yaml.safe_dump([{**GOOD, "id": "planted-unused"}]))
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "fact 'planted-unused' is used by no page or figure" in result.stderr
    assert "intermediate/recovery-timeline.md: unknown fact 'no-such-fact'" in result.stderr
