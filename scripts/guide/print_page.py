"""What a printed chapter needs to lead its reader back to the current page.

- `qr_svg` draws a QR code of a URL at build time, as inline SVG: the page asks no QR service
  for anything, and the printout works offline.
- Links a writer put in a chapter's text get `data-print-url`, their absolute address, which the
  print stylesheet shows after the link text (a relative href means nothing on paper). Glossary
  terms and citation numbers are left alone: printing an address after every term and every
  citation would bury the text, and the printed chapter already ends with its full source list.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import qrcode
import qrcode.image.svg

OPENING_LINK = re.compile(r"<a\s[^>]*>")
HREF = re.compile(r'\shref="([^"]*)"')
# Generated links that carry their meaning without an address: glossary terms and the permalink
# (class), citation numbers (data-tip), footnote marks (class); and links already given one.
NOT_PRINTED = re.compile(r'\s(?:class|data-tip|data-print-url)="')
SVG_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')


def qr_svg(url: str) -> str:
    """A QR code of `url` as an inline <svg> sized by CSS, not by the library's millimetres."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    svg = SVG_SIZE.sub("", svg.split(">", 1)[0]) + ">" + svg.split(">", 1)[1]
    label = html.escape(f"QR code of {url}", quote=True)
    return svg.replace("<svg", f'<svg class="trt-qr" role="img" aria-label="{label}"', 1)


def with_print_url(tag: str, page_url: str) -> str:
    href = HREF.search(tag)
    if not href or NOT_PRINTED.search(tag) or href.group(1).startswith("#"):
        return tag
    absolute = urljoin(page_url, html.unescape(href.group(1)))
    return tag[:-1] + f' data-print-url="{html.escape(absolute, quote=True)}">'


def add_print_urls(content: str, page_url: str) -> str:
    """Every writer's link in `content` (a chapter's text as HTML) with its public address."""
    return OPENING_LINK.sub(lambda match: with_print_url(match.group(0), page_url), content)
