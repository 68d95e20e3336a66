"""Where a link in a page leads, as a browser works it out: the WHATWG URL Standard, through ada.

ada (PyPI `ada-url`) is a complete implementation of the URL Standard's basic URL parser, used by
Node.js; sitecheck only decides what the parsed URL means for a folder of static files.

The site is modelled as served from its public URL (`--site-url`), or, without one, from the root
of a host that nothing else uses. One deliberate addition to what a browser does: the root of that
host is given a hidden first segment (ROOT), so that a relative link whose `..` segments climb
above the site's folder can be told from one that stays inside. A browser clamps such a link at
the host's root (URL Standard, 4.4 "shorten a url's path"), and it may even work there, but only
by accident: sitecheck reports it as leaving the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from sys import intern
from urllib.parse import quote, unquote

import ada_url

# No site is served from a folder of this name at its host's root (see the module's docstring).
ROOT = "sitecheck-root"
NO_SITE_URL = "https://sitecheck.invalid/"
# Schemes of links that are not documents to check: they open an app or carry their own content.
SKIPPED_SCHEMES = {"mailto", "tel", "javascript", "data", "blob", "about", "sms"}
# URL Standard, 4.4 "basic URL parser", scheme start and scheme states: a scheme is an ASCII
# alpha followed by ASCII alphanumerics, "+", "-" or ".", and ends at ":".
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+\-.]*:")
# The parser's first steps: strip leading and trailing C0 control or space, remove tab and newline.
C0_CONTROL_OR_SPACE = "".join(map(chr, range(0x21)))
# Characters of a file name that need no percent-encoding in a URL path.
PAGE_SAFE = "/!$&'()*+,;=:@-._~"
# A path that the URL parser copies as it is (URL Standard, 4.4 path state): segments of characters
# it neither percent-encodes nor reads as syntax (no "%", "\\", "?", "#", ":", space, control or
# non-ASCII), none empty and none starting with a dot (so no "." or ".." segment).
PLAIN_SEGMENT = r"[A-Za-z0-9\-_~!$&'()*+,;=@][A-Za-z0-9\-._~!$&'()*+,;=@]*"
PLAIN_PATH = re.compile(f"/?(?:{PLAIN_SEGMENT}(?:/{PLAIN_SEGMENT})*/?)?")

# A verdict: where a link leads. A tuple (site path, fragment) for a page or file of the site, the
# fragment still percent-encoded as in the URL (None when the URL has none); otherwise one of:
EXTERNAL, SKIPPED, FILE_URL, OUTSIDE_SITE, INVALID = ("external", "skipped", "file-url",
                                                      "outside-site", "invalid-url")


@dataclass(frozen=True)
class Site:
    """The origin and folder the checked site is served from: "https://example.org" and "/guide/"."""

    origin: str
    path: str

    @classmethod
    def from_url(cls, site_url: str | None) -> Site:
        try:
            href = ada_url.join_url(site_url or NO_SITE_URL, ".")
        except ValueError:
            href = NO_SITE_URL
        scheme_end = href.index("//") + 2
        path_start = href.find("/", scheme_end)
        origin, path = href[:path_start], href[path_start:]
        return cls(origin, path if path.endswith("/") else path + "/")

    def document_url(self, page: str) -> str:
        """The URL the page at site path `page` is served at, under the hidden ROOT segment. The
        file's name is percent-encoded: "#", "?", "%" or "\\" in it are letters, not syntax."""
        return f"{self.origin}/{ROOT}{self.path}{quote(page, safe=PAGE_SAFE)}"

    def base_url(self, page: str, base_href: str | None) -> str:
        """HTML, 4.2.3 "The base element": the document base URL is the frozen base URL of the
        first <base> with an href, else the document's URL. Set the frozen base URL: parse the
        href relative to the document's fallback base URL; on failure, or for a data: or
        javascript: URL, the fallback base URL stays."""
        document = self.document_url(page)
        if base_href is None:
            return document
        try:
            frozen = ada_url.join_url(document, base_href)
        except ValueError:
            return document
        if frozen.startswith(("data:", "javascript:")):
            return document
        # A base on this site given as /path or as an absolute URL loses the hidden segment; links
        # relative to it must still be able to tell a climb above the site (see the docstring).
        # Root-relative, it is read against the site's folder, as links are (see resolve).
        prefix = self.origin + "/"
        if frozen.startswith(prefix) and not frozen.startswith(prefix + ROOT + "/"):
            path = frozen[len(self.origin):]
            if root_relative(base_href) and not path.startswith(self.path):
                path = self.path + path[1:]
            frozen = f"{self.origin}/{ROOT}{path}"
        return frozen

    def resolve(self, url: str, base_url: str) -> tuple[str, str | None] | str:
        """HTML, 2.4.2 "encoding-parsing a URL": the URL parser run on `url` with the document's
        base URL; then what that URL is for this site (see the verdicts above)."""
        if PLAIN_PATH.fullmatch(url) and (plain := self.resolve_plain(url, base_url)) is not None:
            return plain
        return self.resolve_parsed(url, base_url)

    def resolve_plain(self, url: str, base_url: str) -> tuple[str, None] | str | None:
        """What resolve_parsed gives for a PLAIN_PATH `url`, without running the parser (a large
        site's links are mostly such paths): root-relative, or read against a folder of this site,
        the parser puts it after the origin or the folder as it is. None for any other case."""
        prefix = f"{self.origin}/{ROOT}/"
        if not base_url.startswith(prefix) or "?" in base_url or "#" in base_url:
            return None
        if url[:1] == "/":  # root-relative (a plain path never starts with "//")
            if url.startswith(prefix[len(self.origin):]):  # names the hidden root segment
                return None
            path = url[len(self.path):] if url.startswith(self.path) else url[1:]
        elif base_url.endswith("/"):
            path = base_url[len(prefix) - 1:] + url
            if not path.startswith(self.path):  # read against the hidden root, above the site
                return OUTSIDE_SITE
            path = path[len(self.path):]
        else:
            return None
        return (unquote(path) if "%" in path else path), None

    def resolve_parsed(self, url: str, base_url: str) -> tuple[str, str | None] | str:
        try:
            href = ada_url.join_url(base_url, url)
        except ValueError:  # the parser returned failure: no browser can follow it either
            return INVALID
        scheme = href[:href.index(":")]
        if scheme not in ("http", "https"):
            if scheme == "file":
                return FILE_URL
            return SKIPPED if scheme in SKIPPED_SCHEMES else EXTERNAL
        origin = self.origin
        if not href.startswith(origin) or href[len(origin):len(origin) + 1] not in ("/", ""):
            return EXTERNAL  # another host, or this host on another port
        rest, hash_, fragment = href[len(origin):].partition("#")
        path = rest.partition("?")[0]
        inside_root = path.startswith(f"/{ROOT}/")
        if inside_root:
            path = path[len(ROOT) + 1:]
        elif path_relative(url):  # its ".." segments climbed above the host's root: clamped
            return OUTSIDE_SITE
        if path.startswith(self.path):
            site_path = path[len(self.path):]
        elif inside_root:  # its ".." segments climbed above the site's folder
            return OUTSIDE_SITE
        elif not root_relative(url):
            return EXTERNAL  # an absolute URL to this host, outside the site's folder
        else:
            # Not what a browser does: a root-relative link (/x/) is read against the site's folder
            # even when the site's URL has a path, because the same folder is also previewed at a
            # host's root (mkdocs serve, a static server on the build folder).
            site_path = path[1:]
        # Interned: a site repeats a few fragments ("#s1") a million times; one copy of each
        # keeps memory down and lets pickle send each once per batch of pages.
        return unquote(site_path), (intern(fragment) if hash_ else None)


def parser_input(url: str) -> str:
    """URL Standard, 4.4 "basic URL parser" steps 1-3: without leading and trailing C0 control or
    space, and without ASCII tab or newline."""
    return url.strip(C0_CONTROL_OR_SPACE).replace("\t", "").replace("\n", "").replace("\r", "")


def path_relative(url: str) -> bool:
    """Whether the parser reaches "path state" from "relative state" with no slash first: no
    scheme, no leading "/" or "\\" (for http(s) both are slashes). Only such a URL is resolved
    against the base URL's path, and so only such a URL can climb with ".." segments."""
    first = url[:1]
    if first == "/" or first == "\\":  # the common case, without copying the string
        return False
    stripped = parser_input(url)
    return not (SCHEME.match(stripped) or stripped[:1] in ("/", "\\"))


def root_relative(url: str) -> bool:
    """A path-absolute URL ("/x"): relative slash state, then path state; not "//host"."""
    stripped = parser_input(url)
    return stripped[:1] in ("/", "\\") and stripped[1:2] not in ("/", "\\")


def decode_fragment(fragment: str) -> str:
    """HTML, 7.4.6.3 "find a potential indicated element" step 3: decodedFragment is the UTF-8
    decode without BOM of the percent-decoding of fragment (bad bytes become U+FFFD)."""
    return unquote(fragment, errors="replace") if "%" in fragment else fragment
