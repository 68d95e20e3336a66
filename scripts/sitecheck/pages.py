"""Reading a site's pages: each HTML file is parsed once into its anchors and its links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

# (element, attribute) pairs whose URLs the browser follows (hyperlinks) or fetches (assets).
HYPERLINK_ATTRIBUTES = (("a", "href"), ("area", "href"))
ASSET_ATTRIBUTES = (
    ("img", "src"), ("img", "srcset"), ("script", "src"), ("source", "src"), ("source", "srcset"),
    ("iframe", "src"), ("video", "src"), ("video", "poster"), ("audio", "src"), ("track", "src"),
    ("embed", "src"), ("object", "data"),
)
LINK_ATTRIBUTES = HYPERLINK_ATTRIBUTES + ASSET_ATTRIBUTES + (("link", "href"),)
# The same, by element: read_page looks up the tag once instead of comparing it with each pair.
LINK_ATTRIBUTES_OF = {tag: tuple((attribute, (tag, attribute) in ASSET_ATTRIBUTES)
                                 for other, attribute in LINK_ATTRIBUTES if other == tag)
                      for tag, _ in LINK_ATTRIBUTES}
# HTML, 4.6.7 "Link types": the rel keywords of <link> that make an external resource link, which
# the browser fetches; the others make a hyperlink (alternate, canonical, next, ...).
# apple-touch-icon is no HTML keyword, but every iOS device fetches it.
EXTERNAL_RESOURCE_RELS = frozenset({"icon", "manifest", "modulepreload", "prefetch", "preload",
                                    "stylesheet", "apple-touch-icon", "apple-touch-icon-precomposed"})
# lxml's plain HTML parser builds the same tree as lxml.html's, without looking up a Python
# class for every element that the loop touches.
HTML_PARSER = etree.HTMLParser()
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


@dataclass(frozen=True)
class Link:
    url: str
    line: int
    asset: bool = False  # fetched to show the page (image, script, stylesheet), not followed


@dataclass
class Page:
    anchors: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    base: str | None = None
    binary: bool = False  # named .html but not text: nothing in it was read


def srcset_urls(value: str) -> list[str]:
    return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]


def css_links(css: str, first_line: int = 1) -> list[Link]:
    links = []
    for match in CSS_URL.finditer(css):
        url = match.group(2) if match.group(2) is not None else match.group(4)
        links.append(Link(url.strip(), first_line + css.count("\n", 0, match.start()), True))
    return links


# MIME Sniffing, section 3 "Terminology": a binary data byte.
BINARY_DATA_BYTES = frozenset([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])


def is_binary(data: bytes) -> bool:
    """MIME Sniffing, 7.2 "Rules for distinguishing if a resource is text or binary", on the
    resource header (its first 1445 bytes, section 5.2): a UTF-16 or UTF-8 BOM means text, then
    any binary data byte means binary."""
    header = data[:1445]
    if header[:2] in (b"\xfe\xff", b"\xff\xfe") or header[:3] == b"\xef\xbb\xbf":
        return False
    return not BINARY_DATA_BYTES.isdisjoint(header)


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
    data = path.read_bytes()
    if is_binary(data):
        page.binary = True
        return page
    root = parse_html(data)
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
        for attribute, asset in LINK_ATTRIBUTES_OF.get(tag, ()):
            value = get(attribute)
            if value is not None:
                line = element.sourceline or 0
                if tag == "link":
                    asset = not EXTERNAL_RESOURCE_RELS.isdisjoint((get("rel") or "").lower().split())
                if attribute == "srcset":
                    links += [Link(url, line, True) for url in srcset_urls(value)]
                else:
                    links.append(Link(value.strip(), line, asset))
        if get("style"):
            links += css_links(get("style"), element.sourceline or 0)
    return page
