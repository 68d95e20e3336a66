"""Old addresses and short links: the data in data/redirects.yaml and the pages built from it.

A link a clinician printed on a handout must keep working for years, so nothing here is ever
guessed: a target that does not exist is an error, not a redirect to the home page.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SECTIONS = ("moved_pages", "renamed_sections", "short_links")
ANCHOR_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
PAGE_ADDRESS = re.compile(r"^(?:[a-z0-9][a-z0-9_-]*/)+$")
SHORT_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SHORT_LINK_FOLDER = "go"


class RedirectsError(ValueError):
    """The redirects file says something the build cannot honour."""


@dataclass(frozen=True)
class Target:
    """A page by its Markdown path, and optionally one of its sections."""

    src: str
    fragment: str = ""

    @classmethod
    def parse(cls, value: object, where: str) -> Target:
        text = str(value or "")
        src, _, fragment = text.partition("#")
        if not src.endswith(".md") or src.startswith("/") or ".." in src.split("/"):
            raise RedirectsError(f"{where}: '{text}' is not a Markdown file inside docs/ "
                                 "(write 'tier/page.md' or 'tier/page.md#section-id')")
        if "#" in text and not ANCHOR_ID.match(fragment):
            raise RedirectsError(f"{where}: '#{fragment}' is not a section id")
        return cls(src, fragment)

    def __str__(self) -> str:
        return self.src + (f"#{self.fragment}" if self.fragment else "")


@dataclass(frozen=True)
class Redirect:
    """A page at `address` (site-relative, ending in /) that sends the reader to `target`."""

    address: str
    target: Target
    short: bool


@dataclass
class Redirects:
    moved_pages: dict[str, Target] = field(default_factory=dict)
    renamed_sections: dict[str, dict[str, str]] = field(default_factory=dict)
    short_links: dict[str, Target] = field(default_factory=dict)

    def pages(self) -> list[Redirect]:
        moved = [Redirect(address, target, False) for address, target in self.moved_pages.items()]
        short = [Redirect(short_link_address(name), target, True)
                 for name, target in self.short_links.items()]
        return moved + short


def short_link_address(name: str) -> str:
    return f"{SHORT_LINK_FOLDER}/{name}/"


def mapping(value: object, where: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RedirectsError(f"{where}: expected a mapping, got {type(value).__name__}")
    return value


def parse(data: object, where: str = "redirects") -> Redirects:
    data = mapping(data, where)
    unknown = set(data) - set(SECTIONS)
    if unknown:
        raise RedirectsError(f"{where}: unknown keys {', '.join(sorted(unknown))} "
                             f"(known: {', '.join(SECTIONS)})")
    redirects = Redirects()
    for address, target in mapping(data.get("moved_pages"), f"{where}: moved_pages").items():
        if not PAGE_ADDRESS.match(str(address)):
            raise RedirectsError(f"{where}: moved_pages: '{address}' is not a page address "
                                 "(write it as readers hold it: 'tier/old-name/')")
        redirects.moved_pages[address] = Target.parse(target, f"{where}: moved_pages: {address}")
    for src, renames in mapping(data.get("renamed_sections"), f"{where}: renamed_sections").items():
        page = Target.parse(src, f"{where}: renamed_sections")
        renames = mapping(renames, f"{where}: renamed_sections: {src}")
        for old, new in renames.items():
            if not (ANCHOR_ID.match(str(old)) and ANCHOR_ID.match(str(new))) or old == new:
                raise RedirectsError(f"{where}: renamed_sections: {src}: '{old}: {new}' must map "
                                     "an old section id to a different, current one")
        redirects.renamed_sections[page.src] = {str(old): str(new) for old, new in renames.items()}
    for name, target in mapping(data.get("short_links"), f"{where}: short_links").items():
        if not SHORT_NAME.match(str(name)):
            raise RedirectsError(f"{where}: short_links: '{name}' must be lower-case words "
                                 "joined by hyphens")
        redirects.short_links[name] = Target.parse(target, f"{where}: short_links: {name}")
    return redirects


def load(path: Path) -> Redirects:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise RedirectsError(f"{path}: {error}") from None
    return parse(data, str(path))


def relative_url(target_url: str, from_address: str) -> str:
    """A directory URL relative to the page at `from_address` (both site-relative)."""
    return posixpath.relpath(target_url.rstrip("/") or ".", from_address.rstrip("/") or ".") + "/"


@dataclass(frozen=True)
class Section:
    id: str
    title: str


REDIRECT_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
{privacy}<title>{title} - {site_name}</title>
{canonical}<script>location.replace({url_json} + (location.hash || {fragment_json}));</script>
{refresh}<style>
body{{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
li:target{{background:#fff3b0}}
</style>
</head>
<body>
<p>{intro} <a href="{href}">{title}</a>.</p>
{sections}</body>
</html>
"""


def redirect_page(redirect: Redirect, target_url: str, title: str, sections: list[Section],
                  site_name: str, site_url: str | None, policy: str = "") -> str:
    """The page left at an old address or a short link.

    The script keeps the reader's own #section (a meta refresh would drop it). Without
    JavaScript, a short link still refreshes to its fixed section; an old page address instead
    lists the new page's sections under their ids, so the browser shows the line for the
    section the reader was sent to, one click away. `policy` is the site's Content-Security-Policy
    (extra.content_security_policy), given to these pages as to every other.
    """
    url = relative_url(target_url, redirect.address)
    fragment = f"#{redirect.target.fragment}" if redirect.target.fragment else ""
    href = html.escape(url + fragment)
    canonical = (f'<link rel="canonical" href="{html.escape(site_url.rstrip("/") + "/" + target_url)}">\n'
                 if site_url else "")
    refresh = (f'<noscript><meta http-equiv="refresh" content="0; url={href}"></noscript>\n'
               if redirect.short else "")
    intro = "This link leads to" if redirect.short else "This page has moved to"
    items = "".join(
        f'<li id="{html.escape(section.id)}"><a href="{html.escape(url)}#{html.escape(section.id)}">'
        f"{html.escape(section.title)}</a></li>\n"
        for section in ([] if redirect.short else sections)
    )
    listing = f"<p>Its sections:</p>\n<ul>\n{items}</ul>\n" if items else ""
    privacy = (f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy)}">\n'
               '<meta name="referrer" content="no-referrer">\n' if policy else "")
    return REDIRECT_PAGE.format(
        privacy=privacy, title=html.escape(title), site_name=html.escape(site_name), canonical=canonical,
        url_json=json.dumps(url), fragment_json=json.dumps(fragment), refresh=refresh,
        intro=intro, href=href, sections=listing,
    )
