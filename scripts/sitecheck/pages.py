"""Reading a site's pages: each HTML file is parsed once into its anchors and its links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

# (element, attribute) pairs whose URLs the browser follows or fetches.
LINK_ATTRIBUTES = (
    ("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("img", "srcset"),
    ("script", "src"), ("source", "src"), ("source", "srcset"), ("iframe", "src"),
    ("video", "src"), ("video", "poster"), ("audio", "src"), ("track", "src"), ("embed", "src"),
    ("object", "data"),
)
# The same, by element: read_page looks up the tag once instead of comparing it with each pair.
LINK_ATTRIBUTES_OF = {tag: tuple(attribute for other, attribute in LINK_ATTRIBUTES if other == tag)
                      for tag, _ in LINK_ATTRIBUTES}
# lxml's plain HTML parser builds the same tree as lxml.html's, without looking up a Python
# class for every element that the loop touches.
HTML_PARSER = etree.HTMLParser()
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


@dataclass(frozen=True)
class Link:
    url: str
    line: int


@dataclass
class Page:
    anchors: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    base: str | None = None


def srcset_urls(value: str) -> list[str]:
    return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]


def css_links(css: str, first_line: int = 1) -> list[Link]:
    links = []
    for match in CSS_URL.finditer(css):
        url = match.group(2) if match.group(2) is not None else match.group(4)
        links.append(Link(url.strip(), first_line + css.count("\n", 0, match.start())))
    return links


def decode(data: bytes) -> str:
    """UTF-8 as published sites use it; other bytes are read as Windows-1252 rather than lost."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_html(data: bytes) -> etree._Element | None:
    """The document tree, or None for a file with no HTML in it; never raises on bad HTML."""
    if not data.strip():
        return None
    try:
        return etree.fromstring(decode(data), HTML_PARSER)
    except ValueError:  # a str with an XML encoding declaration: let lxml read the bytes
        try:
            return etree.fromstring(data, HTML_PARSER)
        except (etree.ParserError, ValueError):
            return None
    except etree.ParserError:
        return None


def read_page(path: Path) -> Page:
    """Anchors (ids and <a name>) and links of one HTML file."""
    page = Page()
    root = parse_html(path.read_bytes())
    if root is None:  # also what lxml reports for a document with nothing in it
        return page
    anchors, links = page.anchors, page.links
    for element in root.iter(etree.Element):
        get = element.get
        element_id = get("id")
        if element_id is not None:
            anchors.add(element_id)
        tag = element.tag
        if tag == "a" and get("name") is not None:
            anchors.add(get("name"))
        elif tag == "base" and page.base is None and get("href"):
            page.base = get("href").strip()
        elif tag == "style" and element.text:
            links += css_links(element.text, element.sourceline or 0)
        for attribute in LINK_ATTRIBUTES_OF.get(tag, ()):
            value = get(attribute)
            if value is not None:
                line = element.sourceline or 0
                if attribute == "srcset":
                    links += [Link(url, line) for url in srcset_urls(value)]
                else:
                    links.append(Link(value.strip(), line))
        if get("style"):
            links += css_links(get("style"), element.sourceline or 0)
    return page
