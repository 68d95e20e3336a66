"""Every chapter section has an explicit, unique id, so links handed to readers survive retitling."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import chapter_sources

SECTION_HEADING = re.compile(r"^#{2,3} .*$", re.M)
EXPLICIT_ID = re.compile(r"\{#([a-z0-9]+(?:-[a-z0-9]+)*)\}\s*$")


def heading_ids(markdown: str) -> tuple[list[str], list[str]]:
    """(ids, headings without an explicit id) of the ## and ### headings outside code."""
    text = re.sub(r"^(```|~~~).*?^\1", "", markdown, flags=re.M | re.S)
    ids, missing = [], []
    for heading in SECTION_HEADING.findall(text):
        if match := EXPLICIT_ID.search(heading):
            ids.append(match.group(1))
        else:
            missing.append(heading)
    return ids, missing


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_chapter__every_section_heading_has_a_unique_explicit_id(source: Path) -> None:
    ids, missing = heading_ids(source.read_text(encoding="utf-8"))
    assert ids and not missing
    assert len(ids) == len(set(ids))
    assert "sources" not in ids, "'sources' is kept for the generated list of sources"


@pytest.mark.parametrize(
    ("markdown", "ids", "missing"),
    [
        ("## Fine {#fine}\n### Also {#also}\n", ["fine", "also"], []),
        ("## Bare heading\n", [], ["## Bare heading"]),
        ("## Upper {#Upper}\n", [], ["## Upper {#Upper}"]),
        ("```\n## not a heading\n```\n## Real {#real}\n", ["real"], []),
    ],
)
def test_heading_ids__finds_missing_and_explicit_ids(markdown: str, ids: list, missing: list) -> None:
    assert heading_ids(markdown) == (ids, missing)
