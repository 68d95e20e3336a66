"""The writer's rules stop the build in seconds, each with one line naming file, line, rule and fix.

Each mistake is planted in a copy of a real chapter; the chapter as written passes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, build, chapter_sources
from guide import chapter_rules, facts

REGISTRY = facts.load(ROOT / facts.FACTS)
CHAPTER = ROOT / "docs/intermediate/restoring-fertility.md"
INDEX = (ROOT / "docs/intermediate/index.md").read_text(encoding="utf-8")
ONE_LINE = re.compile(r"^docs/\S+\.md:\d+: \[[a-z-]+\] [^\n]+; fix: [^\n]+$")


def breaks(markdown: str, tier: str = "intermediate", index: str | None = INDEX) -> list:
    path = "docs/intermediate/restoring-fertility.md"
    return chapter_rules.check_chapter(path, markdown, tier, index, REGISTRY)


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_chapter_as_written__keeps_every_rule(source: Path) -> None:
    assert chapter_rules.check_file(source, REGISTRY) == []


def first_section_heading(text: str) -> str:
    return re.search(r"^## .*$", text, re.M).group(0)


def drop_when_to_see(text: str) -> str:
    return re.sub(r'^!!! \w+ "When to see[^"]*"\n(?:(?:    .*)?\n)*', "", text, flags=re.M)


def few_sources(text: str) -> str:
    text = facts.MARKER.sub("a number", text)
    return re.sub(r"\[@[^\]]*\]", "", text).replace("## ", "[@liu2006]\n\n## ", 1)


MISTAKES = {
    "heading-id": lambda t: t.replace(first_section_heading(t),
                                      re.sub(r" \{#.*\}", "", first_section_heading(t))),
    "when-to-see": drop_when_to_see,
    "min-sources": few_sources,
    "min-prose": lambda t: t.split("\n## ")[0] + "\n## Only this {#only-this}\n\nShort.\n",
    "readability": lambda t: t.replace(
        "\n## ", "\n" + "Notwithstanding considerable interindividual heterogeneity, pharmacological "
        "suppression of gonadotropin-dependent spermatogenesis demonstrates characteristically "
        "protracted, multifactorially determined recoverability. " * 40 + "\n\n## ", 1),
}


@pytest.mark.parametrize("rule", list(MISTAKES))
def test_planted_mistake__is_one_line_with_file_line_rule_and_fix(rule: str) -> None:
    text = CHAPTER.read_text(encoding="utf-8")
    found = breaks(MISTAKES[rule](text))
    assert rule in [b.rule for b in found], [str(b) for b in found]
    assert all(ONE_LINE.match(str(b)) for b in found), [str(b) for b in found]


def test_heading_id__names_the_line_of_the_heading() -> None:
    text = CHAPTER.read_text(encoding="utf-8")
    heading = first_section_heading(text)
    line = text[: text.index(heading)].count("\n") + 1
    [found] = breaks(MISTAKES["heading-id"](text))
    assert found.line == line and heading.split(" {#")[0] in found.problem


@pytest.mark.parametrize(("markdown", "rules"), [
    ("## A {#a}\n### B {#b}\n", []),
    ("## A {#a}\n## B {#a}\n", ["heading-id"]),
    ("## Sources {#sources}\n", ["heading-id"]),
    ("## Upper {#Upper}\n", ["heading-id"]),
    ("```\n## Example heading in code\n```\n## Real {#real}\n", []),
])
def test_heading_breaks__explicit_unique_ids(markdown: str, rules: list) -> None:
    assert [b.rule for b in chapter_rules.heading_breaks("x.md", markdown)] == rules


@pytest.mark.parametrize(("box", "broken"), [
    ('!!! info "When to see a doctor"\n    - a\n    - b\n    - c\n', False),
    ('!!! info "When to see a doctor"\n    Intro:\n\n    - a\n    - b\n    - c\n', False),
    ('!!! info "When to see a doctor"\n    - a\n    - b\n\n- c outside the box\n', True),
    ('!!! info "Who to see"\n    - a\n    - b\n    - c\n', True),
])
def test_when_to_see_breaks__three_items_inside_the_box(box: str, broken: bool) -> None:
    assert bool(chapter_rules.when_to_see_breaks("x.md", "Text.\n\n" + box)) is broken


def test_index__a_chapter_its_tier_index_does_not_list_is_reported() -> None:
    text = CHAPTER.read_text(encoding="utf-8")
    assert [b.rule for b in breaks(text, index="# Intermediate\n")] == ["listed-in-index"]


def test_facts__a_fact_marker_counts_its_sources() -> None:
    text = "## A {#a}\n\nRecovery took [[fact: liu2006-median-recovery]].\n"
    assert chapter_rules.source_breaks("x.md", text, "fundamentals", REGISTRY) == []
    assert chapter_rules.source_breaks("x.md", "## A {#a}\n\nNo sources.\n", "fundamentals", REGISTRY)


def test_cli__prints_each_break_and_exits_1(tmp_path: Path, capsys) -> None:
    tier = tmp_path / "intermediate"
    tier.mkdir()
    (tier / "index.md").write_text(INDEX)
    chapter = tier / "restoring-fertility.md"
    chapter.write_text(MISTAKES["heading-id"](CHAPTER.read_text(encoding="utf-8")))
    assert chapter_rules.main([str(chapter)]) == 1
    assert "[heading-id]" in capsys.readouterr().out
    chapter.write_text(CHAPTER.read_text(encoding="utf-8"))
    assert chapter_rules.main([str(chapter)]) == 0


def test_build__stops_with_the_rule_on_one_line(project_copy: Path, tmp_path: Path) -> None:
    chapter = project_copy / "docs/intermediate/restoring-fertility.md"
    chapter.write_text(drop_when_to_see(MISTAKES["heading-id"](chapter.read_text(encoding="utf-8"))))
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if "[heading-id]" in line or "[when-to-see]" in line]
    assert len(lines) == 2, result.stderr
    assert all(ONE_LINE.match(line.split(" -  ", 1)[1]) for line in lines), lines
