"""The rules a chapter must keep, checked on its Markdown so that a writer hears of each one from
the build in seconds, as one line naming the file, the line, the rule and the fix.

    PYTHONPATH=scripts python -m guide.chapter_rules docs/*/*.md

The tests check the same things on the built site; these are the first warning, not the only one.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from guide import facts, readability

# Per tier: (Flesch-Kincaid grade limit or None, fewest distinct sources, fewest words of prose).
TIER_RULES = {
    "fundamentals": (8.0, 1, 300),
    "intermediate": (12.0, 3, 300),
    "academic": (None, 8, 300),
}
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
SECTION_HEADING = re.compile(r"^(#{2,3}) (.*)$", re.M)
EXPLICIT_ID = re.compile(r"\{#([a-z0-9]+(?:-[a-z0-9]+)*)\}\s*$")
WHEN_TO_SEE = re.compile(r'^!!! \w+ "When to see[^"]*"\s*$', re.M)
LIST_ITEM = re.compile(r"^    - ", re.M)
CITATION = re.compile(r"\[@([^\]]*)\]")
FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.S)


@dataclass(frozen=True)
class RuleBreak:
    path: str
    line: int
    rule: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.problem}; fix: {self.fix}"


def blank_fences(markdown: str) -> str:
    """Fenced code as blank lines: headings and markers in code are examples, not content."""
    return FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), markdown)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def heading_breaks(path: str, text: str) -> list[RuleBreak]:
    text = blank_fences(text)
    breaks, seen = [], set()
    for match in SECTION_HEADING.finditer(text):
        line = line_of(text, match.start())
        explicit = EXPLICIT_ID.search(match.group(2))
        if not explicit:
            breaks.append(RuleBreak(path, line, "heading-id",
                                    f"'{match.group(0).strip()}' has no explicit id",
                                    "end it with {#words-joined-by-hyphens} and never change that id"))
        elif explicit.group(1) in seen or explicit.group(1) == "sources":
            breaks.append(RuleBreak(path, line, "heading-id", f"id '{explicit.group(1)}' is used twice "
                                    "or is the generated 'sources'", "give the heading an id of its own"))
        else:
            seen.add(explicit.group(1))
    return breaks


def when_to_see_breaks(path: str, text: str) -> list[RuleBreak]:
    box = WHEN_TO_SEE.search(text)
    end = line_of(text, len(text.rstrip()))
    if not box:
        return [RuleBreak(path, end, "when-to-see", "no 'When to see ...' box",
                          'add `!!! info "When to see a doctor"` with three or more "- " items')]
    lines = []
    for line in text[box.end():].split("\n")[1:]:
        if line.strip() and not line.startswith("    "):
            break  # the box ends at the first line that is not indented
        lines.append(line)
    if len(LIST_ITEM.findall("\n".join(lines))) < 3:
        return [RuleBreak(path, line_of(text, box.start()), "when-to-see",
                          "the 'When to see' box lists fewer than three situations", "add items")]
    return []


def source_breaks(path: str, text: str, tier: str, registry: dict[str, facts.Fact]) -> list[RuleBreak]:
    keys = {part.strip().lstrip("@") for marker in CITATION.findall(facts.expand(text, registry, tier, path))
            for part in marker.split(";")}
    fewest = TIER_RULES[tier][1]
    if len(keys) < fewest:
        return [RuleBreak(path, 1, "min-sources", f"cites {len(keys)} distinct sources; a {tier} chapter "
                          f"cites at least {fewest}", "cite the sources behind its claims with [@key]")]
    return []


def prose_breaks(path: str, markdown: str, tier: str) -> list[RuleBreak]:
    limit, _, fewest_words = TIER_RULES[tier]
    html = readability.markdown_html(markdown, tier)
    words = len(readability.prose_text(html).split())
    if words < fewest_words:
        return [RuleBreak(path, 1, "min-prose", f"{words} words of prose; a chapter has at least "
                          f"{fewest_words}", "write the chapter out (lists and tables count only in part)")]
    grade = readability.grade(html)
    if limit is not None and grade > limit:
        return [RuleBreak(path, 1, "readability", f"Flesch-Kincaid grade {grade:.1f}, over {limit:g} "
                          f"for {tier}", "shorter sentences and plainer words (python -m guide.readability)")]
    return []


def index_breaks(path: str, slug: str, index_text: str | None) -> list[RuleBreak]:
    if index_text is not None and f"({slug}.md" not in index_text:
        return [RuleBreak(path, 1, "listed-in-index", "the tier's index.md does not link to this chapter",
                          f"add a link to ({slug}.md) in the tier's index.md")]
    return []


def check_chapter(path: str, markdown: str, tier: str, index_text: str | None,
                  registry: dict[str, facts.Fact]) -> list[RuleBreak]:
    """Every rule this chapter breaks. `path` is how the message names the file."""
    offset = FRONT_MATTER.match(markdown)
    body_start = offset.end() if offset else 0
    text = blank_fences(markdown)
    # Line numbers count from the top of the file, front matter included.
    body = "\n" * markdown.count("\n", 0, body_start) + text[body_start:]
    slug = Path(path).stem
    return (heading_breaks(path, body) + when_to_see_breaks(path, body)
            + source_breaks(path, body, tier, registry) + prose_breaks(path, markdown[body_start:], tier)
            + index_breaks(path, slug, index_text))


def check_file(path: Path, registry: dict[str, facts.Fact] | None = None) -> list[RuleBreak]:
    tier = path.parent.name
    if tier not in TIER_RULES or path.name == "index.md":
        return []
    index = path.parent / "index.md"
    return check_chapter(str(path), path.read_text(encoding="utf-8-sig"), tier,
                         index.read_text(encoding="utf-8") if index.is_file() else None,
                         registry if registry is not None else facts.load(facts.FACTS))


def main(argv: list[str] | None = None) -> int:
    registry = facts.load(facts.FACTS)
    names = sys.argv[1:] if argv is None else argv
    breaks = [b for name in names for b in check_file(Path(name), registry)]
    for rule_break in breaks:
        print(rule_break)
    return 1 if breaks else 0


if __name__ == "__main__":
    raise SystemExit(main())
