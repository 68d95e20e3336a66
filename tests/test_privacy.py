"""The published site asks no host but its own for anything: no fonts, scripts, images or beacons.

Links a reader may follow (`<a href>`) are not requests and are allowed. What the browser fetches
by itself is not: resource attributes in HTML, `url()` and `@import` in CSS, and URLs in scripts.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from mkdocs.config import load_config
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, BuiltSite

RESOURCE_ATTRIBUTES = {
    "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"),
    "iframe": ("src",), "video": ("src", "poster"), "audio": ("src",), "track": ("src",),
    "embed": ("src",), "object": ("data",), "input": ("src",), "link": ("href",),
}
# <link rel> values that only name a page and make the browser fetch nothing.
NAVIGATION_RELS = {"canonical", "prev", "next", "alternate", "author", "license", "search"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")
JS_URL = re.compile(r"""["'`](https?:)?//([a-z0-9.-]+\.[a-z]{2,})""", re.I)

# Remote loaders inside Material's JavaScript bundle that stay dormant on this site; each is
# paired with the test below that proves its trigger is absent.
DORMANT_SCRIPT_HOSTS = {
    "unpkg.com": "mermaid diagrams (none here) and a ResizeObserver polyfill for old browsers",
    "api.github.com": "repository facts, fetched only when repo_url is set (it is not)",
}


def own_host() -> str:
    return urlsplit(load_config(str(ROOT / "mkdocs.yml"))["site_url"]).netloc


def third_party(url: str, base: str) -> bool:
    parts = urlsplit(urljoin(base, url.strip()))
    return parts.scheme not in ("data", "blob", "about") and parts.netloc not in ("", own_host())


def srcset_urls(value: str) -> list[str]:
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def html_requests(html: str) -> list[str]:
    tree = LexborHTMLParser(html)
    urls = []
    for tag, attributes in RESOURCE_ATTRIBUTES.items():
        for node in tree.css(tag):
            rel = set((node.attributes.get("rel") or "").lower().split())
            if tag == "link" and rel and rel <= NAVIGATION_RELS:
                continue
            for attribute in attributes:
                value = node.attributes.get(attribute)
                if value:
                    urls += srcset_urls(value) if attribute == "srcset" else [value]
    for node in tree.css("style, [style]"):
        css = node.text() if node.tag == "style" else node.attributes["style"]
        urls += css_requests(css or "")
    return urls


def css_requests(css: str) -> list[str]:
    return [url or imported for url, imported in CSS_URL.findall(css)]


def built_files(site: BuiltSite, suffix: str) -> list[Path]:
    return sorted(site.root.rglob(f"*{suffix}"))


def test_html__loads_nothing_from_other_hosts(built_site: BuiltSite) -> None:
    offenders = {
        str(path.relative_to(built_site.root)): urls
        for path in built_files(built_site, ".html")
        if (urls := [u for u in html_requests(path.read_text(encoding="utf-8"))
                     if third_party(u, "https://" + own_host() + "/")])
    }
    assert not offenders


def test_css__loads_nothing_from_other_hosts(built_site: BuiltSite) -> None:
    offenders = {
        str(path.relative_to(built_site.root)): urls
        for path in built_files(built_site, ".css")
        if (urls := [u for u in css_requests(path.read_text(encoding="utf-8"))
                     if third_party(u, "https://" + own_host() + "/")])
    }
    assert not offenders


def test_js__names_no_host_but_dormant_ones(built_site: BuiltSite) -> None:
    """Scripts may mention URLs in comments and licences; a fetchable host must be known-dormant."""
    hosts = set()
    for path in built_files(built_site, ".js"):
        text = path.read_text(encoding="utf-8")
        # Only string literals that start with a scheme or // can be fetched as URLs.
        hosts |= {host.lower() for _, host in JS_URL.findall(text)}
    undeclared = hosts - set(DORMANT_SCRIPT_HOSTS) - {own_host()}
    assert not undeclared, f"new remote hosts in scripts: {sorted(undeclared)}"


def test_dormant_loaders__stay_dormant(built_site: BuiltSite) -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert not config["repo_url"]
    assert config["theme"]["font"] is False
    for path in built_files(built_site, ".html"):
        tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
        assert tree.css_first(".mermaid, .md-source") is None, path


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<link rel="stylesheet" href="https://fonts.googleapis.com/css">', True),
        ('<script src="//cdn.example.org/x.js"></script>', True),
        ('<img srcset="a.png 1x, https://img.example.org/b.png 2x">', True),
        ('<div style="background: url(https://track.example.org/p.gif)"></div>', True),
        ('<link rel="canonical" href="https://elsewhere.example.org/">', False),
        ('<a href="https://pubmed.ncbi.nlm.nih.gov/1/">a source</a>', False),
        ('<img src="../assets/x.png"><script src="/js/a.js"></script>', False),
        ('<img src="data:image/png;base64,AAAA">', False),
    ],
)
def test_html_requests__detects_third_party_loads(html: str, expected: bool) -> None:
    found = [u for u in html_requests(html) if third_party(u, "https://" + own_host() + "/")]
    assert bool(found) is expected
