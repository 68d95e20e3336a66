"""A renamed section keeps its old id: an empty element with the old id goes first inside the
heading that now has the new id, so links readers hold still land on it (logic:
guide.redirects; the renames are listed in data/redirects.yaml, `renamed_sections`).

    markdown_extensions:
      - guide.extensions.aliases
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from pathlib import Path

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from guide import redirects
from guide.extensions import load_when_changed
from guide.page_context import BuildStop, page_context

REDIRECTS = Path("data/redirects.yaml")


def redirects_at(path: Path) -> redirects.Redirects:
    return load_when_changed("redirects", [path], lambda: redirects.load(path), (redirects.RedirectsError,))


class AliasTreeprocessor(Treeprocessor):
    """On the page's element tree, once the headings have their ids (attr_list, toc)."""

    def run(self, root: etree.Element) -> None:
        page = page_context(self.md)
        path = page.docs_dir.parent / REDIRECTS
        if not path.exists():
            return
        renames = redirects_at(path).renamed_sections.get(page.src_uri, {})
        elements = {element.get("id"): element for element in root.iter() if element.get("id")}
        for old, new in renames.items():
            if old in elements:
                raise BuildStop(f"{page.src_uri}: '{old}' is renamed to '{new}' in {REDIRECTS}, "
                                f"but the page still has an element with id '{old}'")
            if new not in elements:
                raise BuildStop(f"{page.src_uri}: {REDIRECTS} renames '{old}' to '{new}', "
                                f"but the page has no element with id '{new}'")
            alias = etree.Element("span", {"class": "trt-alias", "id": old})
            heading = elements[new]
            alias.tail, heading.text = heading.text, None
            heading.insert(0, alias)


class AliasesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After attr_list (8) and toc (5) have given the headings their ids.
        md.treeprocessors.register(AliasTreeprocessor(md), "guide-aliases", 4)


def makeExtension(**kwargs) -> AliasesExtension:
    return AliasesExtension(**kwargs)
