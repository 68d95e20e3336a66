"""`<!-- short-links -->` on a page becomes the table of the site's go/ short links, from
data/redirects.yaml (`short_links`), so the list readers see never goes stale. The redirect pages
themselves are written by the post-build step (guide.finish), which also stops the build when no
page lists the short links.

    markdown_extensions:
      - guide.extensions.short_links
"""

from __future__ import annotations

from pathlib import Path

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from guide import redirects
from guide.citations import HEADING
from guide.extensions.aliases import REDIRECTS, redirects_at
from guide.page_context import BuildStop, PageContext, page_context
from guide.site_config import nav_entries

MARKER = "<!-- short-links -->"


def section_title(docs_dir: Path, src: str, section_id: str) -> str:
    if not (docs_dir / src).is_file():
        raise BuildStop(f"{REDIRECTS}: short_links: no page docs/{src}")
    markdown = (docs_dir / src).read_text(encoding="utf-8-sig")
    return next((title for title, found in HEADING.findall(markdown) if found == section_id), "")


def short_links_table(short_links: dict[str, redirects.Target], page: PageContext, site_url: str) -> str:
    """A Markdown table: each short link's full address, and the level, page and section it opens."""
    titles = dict(nav_entries(page.nav))
    rows = ["| Short link | Opens |", "| --- | --- |"]
    for name, target in short_links.items():
        section = section_title(page.docs_dir, target.src, target.fragment) if target.fragment else ""
        tier = target.src.split("/", 1)[0].title() if "/" in target.src else ""
        label = " - ".join(part for part in (tier, titles.get(target.src) or target.src, section) if part)
        address = site_url + redirects.short_link_address(name)
        rows.append(f"| `{address}` | [{label}]({page.markdown_link(str(target))}) |")
    return "\n".join(rows)


class ShortLinksPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, site_url: str) -> None:
        super().__init__(md)
        self.site_url = site_url

    def run(self, lines: list[str]) -> list[str]:
        if MARKER not in lines:
            return lines
        page = page_context(self.md)
        short_links = redirects_at(page.docs_dir.parent / REDIRECTS).short_links
        table = short_links_table(short_links, page, self.site_url).split("\n")
        at = lines.index(MARKER)
        return [*lines[:at], *table, *lines[at + 1:]]


class ShortLinksExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {"site_url": ["", "the published site's address, shown in each short link"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        site_url = self.getConfig("site_url").rstrip("/") + "/"
        md.preprocessors.register(ShortLinksPreprocessor(md, site_url), "guide-short-links", 29.0)


def makeExtension(**kwargs) -> ShortLinksExtension:
    return ShortLinksExtension(**kwargs)
