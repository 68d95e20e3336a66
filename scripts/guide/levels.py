"""Matching sections across reading levels, for the level switcher.

A section of a chapter matches the section with the same id in the same chapter at another level.
Where ids differ, `data/level-sections.yaml` declares groups of equivalent sections; a group that
leaves a tier out also covers that tier's section with the same id as one in the group. A section
with no match (an `###` whose `##` has no match either) opens the top of the other page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

TIER_NAMES = ("fundamentals", "intermediate", "academic")


class LevelSectionsError(ValueError):
    """The level-sections file says something the build cannot honour."""


@dataclass(frozen=True)
class Heading:
    """A section heading of a page: its id, and the id of the `##` it sits under (if any)."""

    id: str
    parent: str | None = None


Groups = dict[str, list[dict[str, str]]]  # chapter slug -> groups of {tier: section id}


def parse(data: object, where: str) -> Groups:
    """The groups in a loaded YAML document; anything of another shape is an error."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LevelSectionsError(f"{where}: expected chapter slugs, each with a list of groups")
    groups: Groups = {}
    for slug, entries in data.items():
        if not isinstance(entries, list):
            raise LevelSectionsError(f"{where}: {slug}: expected a list of groups")
        for number, group in enumerate(entries, 1):
            place = f"{where}: {slug}, group {number}"
            if not isinstance(group, dict) or len(group) < 2:
                raise LevelSectionsError(f"{place}: a group names a section id in two or more tiers")
            unknown = set(group) - set(TIER_NAMES)
            if unknown:
                raise LevelSectionsError(f"{place}: unknown tier {', '.join(sorted(map(str, unknown)))}")
            if not all(isinstance(value, str) and value for value in group.values()):
                raise LevelSectionsError(f"{place}: each tier names one section id")
        groups[str(slug)] = entries
    return groups


def load(path: Path) -> Groups:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise LevelSectionsError(f"{path}: {error}") from None
    return parse(data, str(path))


def missing_sections(groups: Groups, pages: dict[tuple[str, str], list[Heading]]) -> list[str]:
    """Every id the groups name that is not a heading of that chapter at that tier."""
    problems = []
    for slug, entries in groups.items():
        for number, group in enumerate(entries, 1):
            for tier, section in group.items():
                headings = pages.get((tier, slug))
                if headings is None:
                    problems.append(f"{slug}, group {number}: there is no {tier}/{slug}.md")
                elif section not in {heading.id for heading in headings}:
                    problems.append(f"{slug}, group {number}: {tier}/{slug}.md has no "
                                    f"section '#{section}'")
    return problems


def section_targets(slug: str, tier: str, headings: list[Heading], other_tier: str,
                    other_ids: set[str], groups: Groups) -> dict[str, str]:
    """For each section of this page, the matching section id on the other tier's page.

    Sections without a match are left out: the switcher then opens the top of the page.
    """

    def match(section: str | None) -> str | None:
        if section is None:
            return None
        if section in other_ids:
            return section
        for group in groups.get(slug, []):
            if other_tier not in group:
                continue
            # A group that does not name this tier still covers the section here when another
            # tier's section in it has the same id (same id, same section).
            named = group.get(tier)
            if named == section or (named is None and section in group.values()):
                return group[other_tier]
        return None

    targets = {}
    for heading in headings:
        target = match(heading.id) or match(heading.parent)
        if target:
            targets[heading.id] = target
    return targets
