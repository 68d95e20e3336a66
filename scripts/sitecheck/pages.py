"""Reading a site's pages: each HTML file is parsed once into its anchors and its links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from lxml import etree

# (element, attribute) pairs whose URLs the browser follows or fetches.
LINK_ATTRIBUTES = (
    ("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("img", "srcset"),
    ("script", "src"), ("source", "src"), ("source", "srcset"), ("iframe", "src"),
    ("video", "src"), ("video", "poster"), ("audio", "src"), ("track", "src"), ("embed", "src"),
    ("object", "data"),
)
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


def parse_html(data: bytes) -> lxml.html.HtmlElement | None:
    """The document tree, or None for a file with no HTML in it; never raises on bad HTML."""
    if not data.strip():
        return None
    try:
        return lxml.html.document_fromstring(decode(data))
    except ValueError:  # a str with an XML encoding declaration: let lxml read the bytes
        try:
            return lxml.html.document_fromstring(data)
        except (etree.ParserError, ValueError):
            return None
    except etree.ParserError:
        return None


def read_page(path: Path) -> Page:
    """Anchors (ids and <a name>) and links of one HTML file."""
    page = Page()
    root = parse_html(path.read_bytes())
    if root is None:
        return page
    for element in root.iter(etree.Element):
        element_id = element.get("id")
        if element_id is not None:
            page.anchors.add(element_id)
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "a" and element.get("name") is not None:
            page.anchors.add(element.get("name"))
        if tag == "base" and page.base is None and element.get("href"):
            page.base = element.get("href").strip()
        line = element.sourceline or 0
        for link_tag, attribute in LINK_ATTRIBUTES:
            if tag == link_tag and element.get(attribute) is not None:
                value = element.get(attribute)
                urls = srcset_urls(value) if attribute == "srcset" else [value.strip()]
                page.links += [Link(url, line) for url in urls]
        if tag == "style" and element.text:
            page.links += css_links(element.text, line)
        if element.get("style"):
            page.links += css_links(element.get("style"), line)
    return page
