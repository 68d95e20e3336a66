"""Citation checks on the built HTML: every marker rendered, every bibliography entry cited.

They switch on where the site has this project's references page (/references/ with `ref-<key>`
ids), so that they hold whichever generator made the HTML. A generator that skips the project's
Markdown extensions leaves their markers as text (`[@key]`, `[[fact: id]]`, `[[grade: ...]]`) or
a figure without its drawing: each is an error here, so no feature is lost silently.
"""

from __future__ import annotations

import re

from sitecheck.check import SiteChecker
from sitecheck.pages import parse_html
from sitecheck.problems import Kind, Problem
from sitecheck.urls import decode_fragment

REFERENCES = "references/"
MARKER = re.compile(r"\[@[A-Za-z][^\]\s]*\]?")
PROJECT_MARKER = re.compile(r"\[\[(?:fact|grade):[^\]]*\]?\]?")
# A figure the Markdown stage placed but nothing drew (guide.figures): its drawing is empty.
UNDRAWN_FIGURE = "//*[contains(concat(' ', normalize-space(@class), ' '), ' trt-figure__art ')][not(*)]"
# The project's placeholders, which a step of the build replaces: left as a comment, the figure,
# glossary, bibliography, handout builder or short-link table is missing from the page.
PLACEHOLDER = re.compile(r"^\s*(figure: [a-z0-9-]+|glossary|bibliography|handout-builder|short-links)\s*$")
# Text inside these shows Markdown as written (a chapter may explain the [@key] syntax).
VERBATIM = "ancestor::code or ancestor::pre or ancestor::script or ancestor::style or ancestor::textarea"


def references_page(checker: SiteChecker) -> str | None:
    served, _ = checker.file_for(REFERENCES)
    page = checker.pages.get(served) if served else None
    if page and any(anchor.startswith("ref-") for anchor in page.anchors):
        return served
    return None


def unrendered_citations(checker: SiteChecker) -> list[Problem]:
    """A `[@key]`, `[[fact: ...]]` or `[[grade: ...]]` left in a page's text, or a figure left
    undrawn: the step that renders it did not run, or the marker is odd."""
    problems = []
    for page in checker.pages:
        if checker.pages[page].binary:
            continue
        data = (checker.root / page).read_bytes()
        if b"[@" not in data and b"[[" not in data and b"trt-figure__art" not in data and b"<!--" not in data:
            continue  # most pages: no need to parse them again
        tree = parse_html(data)
        if tree is None:
            continue
        for text in tree.xpath(f"//text()[not({VERBATIM})]"):
            line = text.getparent().sourceline or 0
            for match in MARKER.finditer(text):
                problems.append(Problem(page, line, Kind.UNRENDERED_CITATION, match.group(),
                                        "a citation marker shows as plain text"))
            for match in PROJECT_MARKER.finditer(text):
                problems.append(Problem(page, line, Kind.UNRENDERED_MARKER, match.group(),
                                        "a fact or evidence-grade marker shows as plain text"))
        for art in tree.xpath(UNDRAWN_FIGURE):
            problems.append(Problem(page, art.sourceline or 0, Kind.UNRENDERED_MARKER,
                                    f"figure: {art.get('data-art', '?')}", "a figure has no drawing"))
        for comment in tree.xpath(f"//comment()[not({VERBATIM})]"):
            if match := PLACEHOLDER.match(comment.text or ""):
                problems.append(Problem(page, comment.sourceline or 0, Kind.UNRENDERED_MARKER,
                                        f"<!-- {match.group(1)} -->", "a placeholder was not replaced"))
    return problems


def uncited_sources(checker: SiteChecker, references: str) -> list[Problem]:
    """Bibliography entries that no other page links to."""
    cited = set()
    for page_path, page in checker.pages.items():
        if page_path == references:
            continue
        for url, *_, verdict in page.links:
            if "ref-" not in url or not isinstance(verdict, tuple) or verdict[1] is None:
                continue
            path, fragment = verdict
            if checker.file_for(path)[0] == references:
                cited.add(decode_fragment(fragment))
    return [Problem(references, 0, Kind.UNCITED_SOURCE, f"#{anchor}", "no page cites this source")
            for anchor in sorted(checker.pages[references].anchors)
            if anchor.startswith("ref-") and anchor not in cited]


def citation_problems(checker: SiteChecker, project: bool = False) -> list[Problem]:
    """On where the site has a references page, or where a bibliography was given (`project`):
    a generator that skipped the extensions leaves no references page, only raw markers."""
    references = references_page(checker)
    problems = unrendered_citations(checker) if references or project else []
    return problems + (uncited_sources(checker, references) if references else [])
