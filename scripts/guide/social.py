"""The public address of a page, for canonical links and link previews.

`mkdocs serve` replaces site_url with its own address, so a page's canonical URL would point at
the developer's machine; the published address is kept in `extra.public_url` instead
(mkdocs.yml reads it from SITE_URL, like site_url).
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit


class PublicUrlError(ValueError):
    """extra.public_url is missing or not an absolute http(s) address."""


def public_base(value: object) -> str:
    """The public site address, with the trailing slash urljoin needs."""
    parts = urlsplit(str(value or ""))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PublicUrlError(f"extra.public_url must be an absolute http(s) address (got {value!r})")
    return str(value).rstrip("/") + "/"


def public_page_url(base: str, page_url: str) -> str:
    """A page's address on the public site: base + the page's directory URL."""
    return urljoin(base, page_url)
