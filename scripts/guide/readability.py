"""Flesch-Kincaid grade of a chapter's prose, measured on HTML.

Only running prose counts: paragraphs and list items of the article, without headings,
tables, admonition titles, the page notice, footnotes and citation markers. A block that
ends without punctuation (a list item, say) is closed with a full stop, so that a list is
read as short sentences rather than as one endless one.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import markdown
import textstat
from selectolax.lexbor import LexborHTMLParser

from guide import facts

CITATION = re.compile(r"\[@[^\]]*\]|\[\d+(?:[,–-]\s*\d+)*\]")
SKIPPED = "table, .admonition-title, .trt-notice, .trt-review, .footnote, sup, .headerlink, .trt-sources"
MARKDOWN_EXTENSIONS = [
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "tables", "toc",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed",
]


def prose_text(html: str) -> str:
    """The running prose of a page (its article element when it has one) as plain text."""
    tree = LexborHTMLParser(html)
    root = tree.css_first("article") or tree.body or tree.root
    if root is None:
        return ""
    for node in root.css(SKIPPED):
        node.decompose()
    sentences = []
    for block in root.css("p, li"):
        if len(block.css("p, li")) > 1:  # lexbor's css() includes the node itself
            continue  # its inner blocks are read on their own
        text = CITATION.sub("", block.text(separator=" ")).strip()
        text = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s+", " ", text))
        if not text:
            continue
        sentences.append(text if text[-1] in ".!?:;" else text + ".")
    return " ".join(sentences)


def grade(html: str) -> float:
    """Flesch-Kincaid grade level of the page's prose."""
    return textstat.flesch_kincaid_grade(prose_text(html))


def markdown_html(source: str, tier: str | None = None) -> str:
    """A Markdown chapter as HTML, for writers checking a draft before the site is built;
    its `[[fact: id]]` markers are read as the words they become at that tier."""
    body = re.sub(r"\A---\n.*?\n---\n", "", source, flags=re.S)
    body = facts.expand(body, facts.load(facts.FACTS), tier, "draft")
    return "<article>" + markdown.markdown(body, extensions=MARKDOWN_EXTENSIONS) + "</article>"


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (sys.argv[1:] if argv is None else argv)]
    for path in paths:
        html = markdown_html(path.read_text(encoding="utf-8"), path.parent.name)
        print(f"{path}: grade {grade(html):.1f}, {len(prose_text(html).split())} words of prose")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
