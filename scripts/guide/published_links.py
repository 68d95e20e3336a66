"""published-links.txt: every page address and section anchor readers may hold.

`python -m guide.published_links SITE_DIR FILE` adds the pages and sections of a built site that
FILE lacks, and never removes a line: a link that stops resolving is for a person to settle, with
a redirect or an alias (data/redirects.yaml), since someone may have printed it.
`sitecheck --published FILE` then fails on any line that no longer resolves.

Listed: every page (short links and old addresses included, since they are pages too) and every
## and ### id, which covers chapter sections and glossary terms. Not listed: the references
page's `#ref-*` entries. Their keys change when an editor corrects a source, readers are not
sent to them, and every citation link to them is checked by sitecheck on each build anyway.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import lxml.html

HEADER = """\
# Every page address and section anchor of the TRT Fertility Guide that readers may hold,
# one site-relative URL a line, sorted. `make published-links` adds new ones; nothing removes
# a line by itself: if one stops resolving, add a redirect or alias in data/redirects.yaml.
# `make check` (sitecheck --published) fails when any line no longer resolves.
"""
UNLISTED_SECTION_PAGES = {"references/"}


def page_address(site: Path, html_file: Path) -> str:
    return html_file.relative_to(site).as_posix().removesuffix("index.html")


def section_ids(html_file: Path) -> list[str]:
    root = lxml.html.document_fromstring(html_file.read_text(encoding="utf-8"))
    return [heading.get("id") for heading in root.xpath("//article//*[self::h2 or self::h3][@id]")]


def site_links(site: Path) -> set[str]:
    """Every page address and every page#section of a built site."""
    links = set()
    for html_file in sorted(site.rglob("index.html")):
        # The home page is "./": a line starting with "#" would read as a comment.
        address = page_address(site, html_file) or "./"
        links.add(address)
        if address not in UNLISTED_SECTION_PAGES:
            links.update(f"{address}#{section}" for section in section_ids(html_file))
    return links


def read_entries(path: Path) -> tuple[str, list[str]]:
    """(the leading comment block, every other non-blank line) of an existing list."""
    if not path.exists():
        return HEADER, []
    lines = path.read_text(encoding="utf-8").splitlines()
    header_end = next((i for i, line in enumerate(lines) if line.strip() and not line.startswith("#")),
                      len(lines))
    header = "\n".join(lines[:header_end]).strip("\n")
    return (header + "\n" if header else HEADER), [line.strip() for line in lines[header_end:]
                                                   if line.strip()]


def update(path: Path, found: set[str]) -> list[str]:
    """Add the links in `found` that the list lacks; keep every line it has. Returns the added."""
    header, entries = read_entries(path)
    added = sorted(found - set(entries))
    path.write_text(header + "\n".join(sorted(set(entries) | found)) + "\n", encoding="utf-8")
    return added


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python -m guide.published_links", description=__doc__.split("\n")[0])
    cli.add_argument("site_dir", type=Path, help="the built site")
    cli.add_argument("file", type=Path, help="the list to update, e.g. published-links.txt")
    args = cli.parse_args(argv)
    if not (args.site_dir / "index.html").is_file():
        print(f"{args.site_dir} is not a built site (no index.html): build it first", file=sys.stderr)
        return 2
    added = update(args.file, site_links(args.site_dir))
    for link in added:
        print(f"added {link}")
    print(f"{args.file}: {len(added)} added, nothing removed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
