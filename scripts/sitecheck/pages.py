"""Reading a site's pages: each HTML file is parsed once into its anchors and its links.

`scan_pages` runs in worker processes for large sites, so what it returns is plain data: sets,
lists and tuples of strings and numbers, cheap to send between processes.
"""

from __future__ import annotations

import gc
import os
import re
from dataclasses import dataclass, field
from sys import intern
from typing import NamedTuple

import ada_url
from lxml import etree

from sitecheck.encoding import decode
from sitecheck.srcset import srcset_urls
from sitecheck.urls import NO_SITE_URL, Site

# What a link is for the browser: a hyperlink it follows when asked, a resource it fetches to
# show the page (image, script, stylesheet), or a cite= reference it never fetches.
HYPERLINK, ASSET, CITE = "hyperlink", "asset", "cite"
SRCSET = "srcset"  # an attribute whose value is a srcset, not one URL
# (element, attribute) -> role, from HTML's index of attributes whose value is a URL
# (https://html.spec.whatwg.org/multipage/indices.html#attributes-3), plus SVG's use and image.
URL_ATTRIBUTES = {
    ("a", "href"): HYPERLINK, ("area", "href"): HYPERLINK, ("a", "xlink:href"): HYPERLINK,
    ("form", "action"): HYPERLINK, ("button", "formaction"): HYPERLINK,
    ("input", "formaction"): HYPERLINK, ("link", "href"): HYPERLINK,
    ("img", "src"): ASSET, ("img", "srcset"): SRCSET, ("link", "imagesrcset"): SRCSET,
    ("source", "src"): ASSET, ("source", "srcset"): SRCSET, ("script", "src"): ASSET,
    ("iframe", "src"): ASSET, ("embed", "src"): ASSET, ("object", "data"): ASSET,
    ("video", "src"): ASSET, ("video", "poster"): ASSET, ("audio", "src"): ASSET,
    ("track", "src"): ASSET, ("input", "src"): ASSET,
    ("use", "href"): ASSET, ("use", "xlink:href"): ASSET,
    ("image", "href"): ASSET, ("image", "xlink:href"): ASSET,
    ("blockquote", "cite"): CITE, ("q", "cite"): CITE, ("del", "cite"): CITE, ("ins", "cite"): CITE,
}
# The same, by element: the loop looks up each tag once.
URL_ATTRIBUTES_OF: dict[str, tuple[tuple[str, str], ...]] = {}
for (_tag, _attribute), _role in URL_ATTRIBUTES.items():
    URL_ATTRIBUTES_OF[_tag] = (*URL_ATTRIBUTES_OF.get(_tag, ()), (_attribute, _role))
# HTML, 4.6.7 "Link types": the rel keywords of <link> that make an external resource link, which
# the browser fetches; the others make a hyperlink (alternate, canonical, next, ...).
# apple-touch-icon is no HTML keyword, but every iOS device fetches it.
EXTERNAL_RESOURCE_RELS = frozenset({"icon", "manifest", "modulepreload", "prefetch", "preload",
                                    "stylesheet", "apple-touch-icon", "apple-touch-icon-precomposed"})
# Their href is an origin to connect to early, not a resource: nothing to check.
ORIGIN_ONLY_RELS = frozenset({"preconnect", "dns-prefetch"})
# An empty value here means "this document": HTML, 4.10.21.3 "Form submission algorithm", step
# "If action is the empty string, let action be the URL of the form document".
EMPTY_MEANS_SELF = {"action", "formaction"}
# lxml's plain HTML parser builds the same tree as lxml.html's, without looking up a Python
# class for every element that the loop touches.
HTML_PARSER = etree.HTMLParser()
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
ASCII_WHITESPACE = "\t\n\x0c\r "
# The elements whose own attributes read_page looks at, besides id and style.
TAGS_WITH_URLS = (*URL_ATTRIBUTES_OF, "base", "style", "meta")
IDS = etree.XPath("//@id", smart_strings=False)
# What only the walk over every element handles: ids in a <template>, style attributes.
NEEDS_EVERY_ELEMENT = etree.XPath("boolean(//template | //@style)")
# URL Standard, 4.4 "fragment state": the characters it copies as they are (the others are in the
# fragment percent-encode set: C0 controls, space, ", <, >, ` and non-ASCII).
PLAIN_FRAGMENT = re.compile(r"[!#-;=?-_a-~]*")
# Leading "../" and "./" segments of a relative URL.
CLIMB = re.compile(r"(?:\.\.?/)*")
# The verdict of a link whose URL is empty (see check.py).
EMPTY = "empty"
# Author errors: what the author wrote that browsers drop or ignore (problems.Kind values).
INVALID_SRCSET, INVALID_URL, DUPLICATE_ID = "invalid-srcset", "invalid-url", "duplicate-id"


class Link(NamedTuple):
    url: str
    line: int
    role: str = HYPERLINK
    verdict: tuple[str, str | None] | str | None = None  # where it leads; None: not resolved yet


@dataclass
class Page:
    """One HTML file. Its links are plain tuples, (url, line, role) as read and
    (url, line, role, verdict) once resolved: a site has millions of them. Its author errors are
    (line, kind, target, message) tuples."""

    anchors: set[str] = field(default_factory=set)
    links: list[tuple] = field(default_factory=list)
    base: str | None = None
    binary: bool = False  # named .html but not text: nothing in it was read
    errors: list[tuple[int, str, str, str]] = field(default_factory=list)


def css_links(css: str, first_line: int = 1) -> list[tuple[str, int, str]]:
    links = []
    for match in CSS_URL.finditer(css):
        url = match.group(2) if match.group(2) is not None else match.group(4)
        links.append((url.strip(), first_line + css.count("\n", 0, match.start()), ASSET))
    return links


# MIME Sniffing, section 3 "Terminology": a binary data byte.
BINARY_DATA = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])


def is_binary(data: bytes) -> bool:
    """MIME Sniffing, 7.2 "Rules for distinguishing if a resource is text or binary", on the
    resource header (its first 1445 bytes, section 5.2): a UTF-16 or UTF-8 BOM means text, then
    any binary data byte means binary."""
    header = data[:1445]
    if header[:2] in (b"\xfe\xff", b"\xff\xfe") or header[:3] == b"\xef\xbb\xbf":
        return False
    return len(header.translate(None, BINARY_DATA)) < len(header)


def parse_html(data: bytes) -> etree._Element | None:
    """The document tree, or None for a file with no HTML in it; never raises on bad HTML.
    The bytes are decoded as a browser would decode them (sitecheck.encoding)."""
    if not data.strip():
        return None
    try:
        return etree.fromstring(decode(data), HTML_PARSER)
    except (etree.ParserError, ValueError):
        return None


def refresh_url(content: str) -> str | None:
    """HTML, 4.2.5.3 "Pragma directives", the shared declarative refresh steps
    (https://html.spec.whatwg.org/multipage/semantics.html#shared-declarative-refresh-steps):
    the URL string a <meta http-equiv=refresh content=...> sends the reader to, or None when it
    names none (a refresh of the page itself) or is not valid."""
    s, position, end = content, 0, len(content)

    def skip_whitespace() -> None:
        nonlocal position
        while position < end and s[position] in ASCII_WHITESPACE:
            position += 1

    skip_whitespace()  # step 2
    start = position  # steps 3-6: the time, as ASCII digits
    while position < end and s[position].isascii() and s[position].isdigit():
        position += 1
    if position == start and not s.startswith(".", position):
        return None  # step 5: no digits and no "."
    while position < end and (s[position] == "." or (s[position].isascii() and s[position].isdigit())):
        position += 1  # step 7: digits and dots, ignored
    if position < end:  # step 9
        if s[position] not in ";," + ASCII_WHITESPACE:
            return None
        skip_whitespace()
        if position < end and s[position] in ";,":
            position += 1
        skip_whitespace()
    if position >= end:  # step 10 does not run: the page refreshes itself
        return None
    url = s[position:]  # step 10.1
    if s[position] in "Uu":  # steps 10.2-10.7: an optional "URL =" before the URL
        position += 1
        if position < end and s[position] in "Rr":
            position += 1
            if position < end and s[position] in "Ll":
                position += 1
                skip_whitespace()
                if position < end and s[position] == "=":
                    position += 1
                    skip_whitespace()
                    url = skip_quotes(s, position)
        return url  # "jump to the step labeled parse" with urlString from 10.1, or from 10.9
    return skip_quotes(s, position)


def skip_quotes(s: str, position: int) -> str:
    """Steps 10.8-10.10 ("skip quotes"): the rest, without an opening quote and all from the
    matching closing quote on."""
    quote = s[position] if position < len(s) and s[position] in "'\"" else ""
    url = s[position + len(quote):]
    return url.split(quote, 1)[0] if quote else url


def read_page(path: str | os.PathLike) -> Page:
    """Anchors (ids and <a name>) and links of one HTML file."""
    page = Page()
    with open(path, "rb") as file:
        data = file.read()
    if is_binary(data):
        page.binary = True
        return page
    root = parse_html(data)
    if root is None:  # also what lxml reports for a document with nothing in it
        return page
    anchors, links, errors = page.anchors, page.links, page.errors
    names = []  # <a name>s join the ids after the loop, so that a repeated id stands out
    # HTML, "find a potential indicated element": ids of elements in the document tree; a
    # <template>'s contents are a separate document fragment, so their ids do not count.
    # (lxml hands out the same proxy object for a node while one is alive, so a set of them works.)
    in_templates = {child for template in root.iter("template") for child in template.iterdescendants()}
    # Most pages repeat no id and have no template and no style attribute: their ids are taken in
    # one go, and only the elements that can hold a URL are visited (a third of them, or fewer).
    ids = IDS(root)
    # Neither word in the bytes: no style attribute and no template (names are never escaped). In
    # every encoding but UTF-16 an ASCII letter is its own byte; in UTF-16 it comes with a NUL.
    lowered = data.lower()
    every_element = len(set(ids)) < len(ids) or (
        (b"style" in lowered or b"template" in lowered or b"\0" in data) and NEEDS_EVERY_ELEMENT(root))
    if not every_element:
        anchors.update(intern(element_id) for element_id in ids if element_id)
    for element in root.iter(etree.Element) if every_element else root.iter(*TAGS_WITH_URLS):
        get = element.get
        element_id = get("id") if every_element else None
        if element_id and (not in_templates or element not in in_templates):
            if element_id in anchors:
                errors.append((element.sourceline or 0, DUPLICATE_ID, "#" + element_id,
                               f'id "{element_id}" is already used on this page; links to it go to '
                               "the first element that has it (HTML 3.2.6, the id attribute)"))
            else:
                anchors.add(intern(element_id))  # see urls.Site.resolve
        tag = element.tag
        if tag == "a" and get("name"):
            names.append(get("name"))
        elif tag == "base" and page.base is None and get("href") is not None:
            page.base = get("href")  # the first <base> with an href (HTML, 4.2.3)
            if not parses(page.base):
                errors.append((element.sourceline or 0, INVALID_URL, page.base,
                               "is not a valid URL, so browsers ignore this <base> and read the "
                               "page's links against its own address (HTML 4.2.3, set the frozen "
                               "base URL)"))
        elif tag == "style" and element.text:
            links += css_links(element.text, element.sourceline or 0)
        elif tag == "meta" and (get("http-equiv") or "").strip().lower() == "refresh":
            url = refresh_url(get("content") or "")
            if url and url.strip(ASCII_WHITESPACE):  # an empty URL refreshes the page itself
                links.append((url, element.sourceline or 0, HYPERLINK))
        for attribute, role in URL_ATTRIBUTES_OF.get(tag, ()):
            value = get(attribute)
            if value is None:
                continue
            line = element.sourceline or 0
            if role == SRCSET:
                urls, dropped = srcset_urls(value)
                links += [(url, line, ASSET) for url in urls]  # dropped ones too: the author's intent
                errors += [(line, INVALID_SRCSET, url, message) for url, message in dropped]
                continue
            if tag == "link":
                rel = (get("rel") or "").lower().split()
                if not ORIGIN_ONLY_RELS.isdisjoint(rel):
                    continue
                role = ASSET if not EXTERNAL_RESOURCE_RELS.isdisjoint(rel) else HYPERLINK
            elif tag == "input" and attribute == "src" and (get("type") or "").lower() != "image":
                continue  # only an image button fetches its src
            url = value.strip(ASCII_WHITESPACE)
            if not url and (attribute in EMPTY_MEANS_SELF or role == CITE):
                continue
            links.append((url, line, role))
        if every_element and get("style"):
            links += css_links(get("style"), element.sourceline or 0)
    anchors.update(names)
    return page


def parses(url: str) -> bool:
    """Whether the URL parser succeeds on `url` against a page's address. Only the base's scheme
    can make a relative URL fail, and every page is served over http(s)."""
    try:
        ada_url.join_url(NO_SITE_URL, url)
    except ValueError:
        return False
    return True


def resolve_links(page: Page, page_path: str, site: Site, cache: dict) -> list[tuple]:
    """The page's links with their verdicts (sitecheck.urls). The URL parser runs once per distinct
    address (the URL without a plain fragment, which it would copy as it is) and what that address
    depends on (see cache_key); a root-relative URL on a page without <base>, once for the site."""
    base_url = site.base_url(page_path, page.base)
    folders = folders_above(base_url) if page.base is None else []
    resolved = []
    for url, line, role in page.links:
        if not url:
            resolved.append((url, line, role, EMPTY))
            continue
        address, hash_, fragment = url.partition("#")
        # A space or control character at the address's end is stripped from it alone, but kept
        # (percent-encoded) in front of a "#": such a URL is resolved whole.
        if not hash_ or not PLAIN_FRAGMENT.fullmatch(fragment) or (address and address[-1] <= " "):
            address, fragment = url, None
        if folders and address[:1] == "/" and address[1:2] not in ("/", "\\"):
            key = address
        else:
            key = cache_key(address, base_url, folders)
        verdict = cache.get(key)
        if verdict is None:
            verdict = cache[key] = (site.resolve(address, base_url) if key is address
                                    else site.resolve(key[1], key[0]))
        if fragment is not None and verdict.__class__ is tuple:
            verdict = (verdict[0], intern(fragment))
        resolved.append((url, line, role, verdict))
    return resolved


def folders_above(document_url: str) -> list[str]:
    """The folder of a page's address, and each folder above it up to the hidden root segment
    (urls.ROOT, which tells a climb out of the site): "https://host/sitecheck-root/a/b.html" gives
    ".../sitecheck-root/a/" and ".../sitecheck-root/"."""
    parts = document_url.split("/")
    return ["/".join(parts[:end]) + "/" for end in range(len(parts) - 1, 3, -1)]


def cache_key(address: str, base_url: str, folders: list[str]) -> tuple[str, str]:
    """A (base URL, URL) pair that resolves as `address` does against `base_url`, shared by as many
    pages as can share it. `folders`: those of the page's address (no <base>), else empty.

    URL Standard, path state: a relative path drops the base's last segment, and each leading
    "../" drops one more; the rest is read against what is left. So a relative path is keyed by
    its page's folder, and one that climbs by a folder higher up, with what follows the climb:
    only when that reads the same there (no leading slash, space or control) and the climb stays
    below the hidden root segment."""
    # These can keep the base's file name: an empty path, a query or a fragment alone (also after
    # the parser strips leading spaces and controls), or the base's own scheme ("https:?q").
    if not folders or not address or address[0] <= " " or address[0] in "?#" or ":" in address:
        return base_url, address
    climb = CLIMB.match(address).end()
    rest, up = address[climb:], address.count("../", 0, climb)
    if not climb or (rest and (rest[0] <= " " or rest[0] in "/\\?")) or up >= len(folders):
        return folders[0], address
    return folders[up], rest


# The site URL, and the verdicts (resolve_links' cache) found for it by this process so far.
RESOLVED: list = [None, {}]


def scan_pages(root: str, paths: list[str], site_url: str | None) -> list[tuple]:
    """Read and resolve the pages at `paths` (site-relative): one plain tuple per page,
    (path, binary, anchors, base, author errors, links as tuples). Runs in a worker process for
    large sites."""
    site = Site.from_url(site_url)
    # A worker is handed a hundred pages at a time: the verdicts it found for earlier ones are
    # kept for the rest of its run (they depend only on the URL, the base URL and the site's URL).
    if RESOLVED[0] != site_url:
        RESOLVED[:] = [site_url, {}]
    cache = RESOLVED[1]
    results = []
    # As in SiteChecker.load: nothing here makes reference cycles, and the cyclic collector's
    # passes over the pages piling up would cost a fifth of the time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for path in paths:
            page = read_page(os.path.join(root, path))
            results.append((path, page.binary, page.anchors, page.base, page.errors,
                            resolve_links(page, path, site, cache)))
    finally:
        if collecting:
            gc.enable()
    return results
