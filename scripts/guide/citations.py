"""Citations: the `[@key]` marker and where each source is cited (used by
guide.extensions.citations, which renders them on every page and on /references/)."""

from __future__ import annotations

import re

BIBLIOGRAPHY_MARKER = "<!-- bibliography -->"
CITATION = re.compile(r"\[(@[^\]]*)\]")
CITED_KEY = re.compile(r"^@([A-Za-z][A-Za-z0-9_-]*)$")
HEADING = re.compile(r"^#{2,3} +(.+?) +\{#([a-z0-9-]+)\}\s*$", re.M)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)


class CitationError(ValueError):
    """A citation marker cannot be rendered; the message names the page and the marker."""


def cited_keys(marker: str, where: str = "") -> list[str]:
    """The keys of one marker's inside ("@a; @b"); a malformed part raises CitationError."""
    keys = []
    for part in marker.split(";"):
        match = CITED_KEY.match(part.strip())
        if not match:
            raise CitationError(f"{where + ': ' if where else ''}malformed citation [{marker}] "
                                "(write [@key] or [@a; @b])")
        keys.append(match.group(1))
    return keys


def citations_by_section(markdown: str, where: str) -> list[tuple[str, str, str]]:
    """(key, section id, section title) for every citation, in reading order."""
    found = []
    section = ("", "")
    text = FENCE.sub("", markdown)
    events = sorted(
        [(m.start(), "heading", m) for m in HEADING.finditer(text)]
        + [(m.start(), "cite", m) for m in CITATION.finditer(text)],
        key=lambda event: event[0],
    )
    for _, kind, match in events:
        if kind == "heading":
            section = (match.group(2), match.group(1))
        else:
            found += [(key, *section) for key in cited_keys(match.group(1), where)]
    return found


def outside_fences(markdown: str, transform) -> str:
    """Apply transform to the Markdown between fenced code blocks; code is left as written."""
    pieces, last = [], 0
    for fence in FENCE.finditer(markdown):
        pieces += [transform(markdown[last:fence.start()]), fence.group(0)]
        last = fence.end()
    return "".join(pieces) + transform(markdown[last:])


def page_label(src: str) -> str:
    tier, _, name = src.removesuffix(".md").partition("/")
    return f"{tier.title()} / {name.replace('-', ' ')}" if name else tier
