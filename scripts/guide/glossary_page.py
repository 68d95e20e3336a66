"""The glossary page, term tooltips in chapters, and generated back-references (rendered by the
Markdown extension guide.extensions.glossary).

- `docs/glossary.md` holds a marker that becomes one `##` heading per term (so each term has a
  stable id and is its own search result), with its definition, its safety warning if it has one,
  the chapters that explain it at each level, and the pages that use it.
- In chapters the first use of each term links to its entry; the link carries the definition,
  which Material shows on hover and focus and `tooltips.js` shows on tap.
- An abbreviation a chapter introduces ("follicle-stimulating hormone (FSH)") that the glossary
  lacks stops the build, as does a broken glossary file.
"""

from __future__ import annotations

import html
import re
import string
from collections import defaultdict
from pathlib import Path

from guide.bibliography import BibliographyError, Source
from guide.bibliography import load as load_bibliography
from guide.chapters import TIERS, is_chapter
from guide.glossary import (
    CITATION,
    Brand,
    GlossaryError,
    Term,
    TermFinder,
    check_sources,
    citation_keys,
    introduced_abbreviations,
    load,
)


class GlossaryPageError(ValueError):
    """The glossary or a chapter cannot be used as written; the message names the file."""


GLOSSARY = Path("data/glossary.yaml")
BIBLIOGRAPHY = Path("data/bibliography.yaml")
GLOSSARY_PAGE = "glossary.md"
GLOSSARY_MARKER = "<!-- glossary -->"
# Material's search skips a block with this attribute: the links to other pages and entries would
# otherwise make "see" or "FSH" match every entry that merely points elsewhere.
NOT_SEARCHED = "{ data-search-exclude }"
# Text inside these elements is never linked: it is already a link, a heading, code or a label.
NO_LINK_ELEMENTS = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "abbr", "sup",
                    "script", "style", "button", "label", "summary", "time"}
TAG = re.compile(r"(<[^>]+>)")
TAG_NAME = re.compile(r"^</?([a-zA-Z0-9]+)")
# Nor inside elements of these classes: the chapter's generated source list, admonition titles.
NO_LINK_CLASS = re.compile(r'class="[^"]*\b(?:trt-sources|admonition-title)\b')
VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source", "col", "area", "base"}
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
FENCED_CODE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
NOT_PROSE = re.compile(r"^#.*$|\]\([^)]*\)|`[^`]*`|\{[^}\n]*\}", re.M)

terms: dict[str, Term] = {}
finder: TermFinder | None = None
used_on: dict[str, list[str]] = defaultdict(list)  # term id -> chapter src_uris
titles: dict[str, str] = {}
sources: dict[str, Source] = {}


def setup(root: Path, pages: dict[str, str], nav_titles: dict[str, str]) -> None:
    """Read the glossary and the bibliography, and find where each term is used.

    `pages` maps each page's source path (as generators name it) to its Markdown; `nav_titles`
    maps a source path to its title in the navigation."""
    global finder
    terms.clear()
    sources.clear()
    try:
        terms.update(load(root / GLOSSARY))
        sources.update(load_bibliography(root / BIBLIOGRAPHY))
    except (GlossaryError, BibliographyError) as error:
        raise GlossaryPageError(str(error)) from None
    if problems := check_sources(terms, set(sources)):
        raise GlossaryPageError(f"{GLOSSARY}: " + "; ".join(problems))
    finder = TermFinder(terms)
    find_uses(pages)
    titles.clear()
    titles.update(nav_titles)
    tier_order = list(TIERS)
    for uses in used_on.values():
        uses.sort(key=lambda src: (tier_order.index(src.split("/")[0]), src))


def prose(markdown: str) -> str:
    """A chapter's Markdown without front matter, headings, code and link targets."""
    return NOT_PROSE.sub(" ", FENCED_CODE.sub(" ", FRONT_MATTER.sub("", markdown)))


def find_uses(pages: dict[str, str]) -> None:
    used_on.clear()
    known = {form for term in terms.values() for form in term.forms}
    for src_uri, markdown in pages.items():
        if not is_chapter(src_uri):
            continue
        text = prose(markdown)
        missing = {a for a in introduced_abbreviations(text) - known if a[:-1] not in known}
        if missing:
            raise GlossaryPageError(f"{src_uri}: glossary has no entry for "
                                    f"{', '.join(sorted(missing))} (add it to {GLOSSARY})")
        for term_id in dict.fromkeys(term_id for _, term_id in finder.find(text)):
            used_on[term_id].append(src_uri)


def page_link(src: str, label: str) -> str:
    return f"[{label}]({src})"


def az_bar(ordered: list[Term]) -> str:
    """An A-Z jump bar: each letter with entries links to its first entry; the rest are greyed.

    The glossary is a very long page on a phone; the bar is raw HTML so that it is not a
    heading, a search result or a section of its own.
    """
    first: dict[str, str] = {}
    for term in ordered:
        first.setdefault(term.term[:1].upper(), term.id)
    items = []
    for letter in string.ascii_uppercase:
        if letter in first:
            items.append(f'<li><a href="#{first.pop(letter)}">{letter}</a></li>')
        else:
            items.append(f'<li aria-hidden="true"><span>{letter}</span></li>')
    # Entries that start with something other than A-Z (a digit, a Greek letter) go last.
    items += [f'<li><a href="#{term_id}">{html.escape(mark)}</a></li>'
              for mark, term_id in first.items()]
    return ('<nav class="trt-az" aria-label="Glossary from A to Z">\n<ul>\n'
            + "\n".join(items) + "\n</ul>\n</nav>\n")


def glossary_markdown(existing: set[str]) -> str:
    ordered = sorted(terms.values(), key=lambda t: t.term.lower())
    blocks = [az_bar(ordered)]
    numbers: dict[str, int] = {}  # citation numbers on the glossary page, in reading order
    for term in ordered:
        blocks.append(entry_markdown(term, existing, numbers))
    return "\n".join(blocks)


def entry_markdown(term: Term, existing: set[str], numbers: dict[str, int]) -> str:
    """One entry: heading, definition, safety warning, other names, and where it is used."""
    lines = [f"## {term.heading} {{#{term.id}}}", "", " ".join(term.definition.split()), ""]
    lines += warning_markdown(term, numbers)
    lines += other_names_markdown(term, numbers)
    explained = [
        page_link(f"{tier}/{term.explained_in}.md", name)
        for tier, name in TIERS.items()
        if f"{tier}/{term.explained_in}.md" in existing
    ]
    if explained:
        lines += ["Explained in: " + " · ".join(explained) + "", NOT_SEARCHED, ""]
    if term.see:
        lines += ["See also: " + ", ".join(f"[{terms[s].term}](#{s})" for s in term.see),
                  NOT_SEARCHED, ""]
    uses = used_on.get(term.id, [])
    if uses:
        lines += ["Used on: " + ", ".join(page_link(src, page_label(src)) for src in uses),
                  NOT_SEARCHED, ""]
    return "\n".join(lines)


def warning_markdown(term: Term, numbers: dict[str, int]) -> list[str]:
    """The entry's safety text as a warning admonition, its [@key] markers as numbered links.

    The markers are rendered here, numbered with the brand sources in reading order, so the page's
    citations follow the order a reader meets them.
    """
    if not term.warning:
        return []
    text = CITATION.sub(lambda m: cite_markdown(citation_keys(m.group(1)), numbers), term.warning)
    return ['!!! warning "Safety"', "", f"    {text}", ""]


def other_names_markdown(term: Term, numbers: dict[str, int]) -> list[str]:
    """The words readers use for the term: visible on the entry, and so found by search."""
    lines = []
    for label, words in (("Also called", (*term.aliases, *term.lay_terms)),
                         ("Also spelled", term.spellings),
                         ("Often misspelled as", term.misspellings)):
        if words:
            lines += [f"{label}: " + ", ".join(words) + "", ""]
    if term.brands:
        lines += ["Brand names: " + "; ".join(brands_markdown(term.brands, numbers)), ""]
    return lines


def brands_markdown(brands: tuple[Brand, ...], numbers: dict[str, int]) -> list[str]:
    """"Name (note; US [1], EU [2])": one item per brand name, each market with its source."""
    by_name: dict[str, list[Brand]] = {}
    for brand in brands:
        by_name.setdefault(brand.name, []).append(brand)
    items = []
    for name, listed in by_name.items():
        markets = ", ".join(f"{b.market}{citation_markdown(b.source, numbers)}" for b in listed)
        note = next((b.note for b in listed if b.note), "")
        items.append(f"{name} ({note + '; ' if note else ''}{markets})")
    return items


def citation_markdown(key: str, numbers: dict[str, int]) -> str:
    """A brand's source, after a space: ' <sup class="cite">[1]</sup>'."""
    return " " + cite_markdown([key], numbers)


def cite_markdown(keys: list[str], numbers: dict[str, int]) -> str:
    """The same numbered links to /references/#ref-<key> that citations.py writes in chapters."""
    links = []
    for key in keys:
        number = numbers.setdefault(key, len(numbers) + 1)
        title = sources[key].citation_text().replace('"', "'")
        links.append(f'[{number}](references.md#ref-{key} "{title}"){{ data-tip="{title}" }}')
    return '<sup class="cite">[' + ", ".join(links) + "]</sup>"


def page_label(src: str) -> str:
    return f"{TIERS[src.split('/')[0]]}: {titles.get(src, src)}"


def link_first_uses(content: str, glossary_url: str) -> str:
    """Wrap the first use of each term in a link to its entry (text outside NO_LINK_ELEMENTS)."""
    linked: set[str] = set()
    open_elements: list[tuple[str, bool]] = []  # (tag name, no terms linked inside)
    pieces = TAG.split(content)
    for index, piece in enumerate(pieces):
        if index % 2:  # a tag
            name = (TAG_NAME.match(piece) or [None, ""])[1].lower()
            names = [open_name for open_name, _ in open_elements]
            if piece.startswith("</"):
                if name in names:
                    del open_elements[len(names) - 1 - names[::-1].index(name):]
            elif name and name not in VOID and not piece.endswith("/>"):
                blocked = name in NO_LINK_ELEMENTS or bool(NO_LINK_CLASS.search(piece))
                open_elements.append((name, blocked))
            continue
        if any(blocked for _, blocked in open_elements) or not piece.strip():
            continue
        pieces[index] = link_text(piece, linked, glossary_url)
    return "".join(pieces)


def link_text(text: str, linked: set[str], glossary_url: str) -> str:
    out, last = [], 0
    for match, term_id in finder.find(text):
        if term_id in linked:
            continue
        linked.add(term_id)
        term = terms[term_id]
        tip = html.escape(term.tooltip(), quote=True)
        out += [text[last:match.start()],
                f'<a class="trt-term" href="{glossary_url}#{term_id}" data-tip="{tip}">{match.group(0)}</a>']
        last = match.end()
    return "".join(out) + text[last:]
