"""The glossary page from data/glossary.yaml, and the first use of each term on a chapter linked
to its entry with the definition as its tooltip (logic: guide.glossary_page, guide.glossary).

    markdown_extensions:
      - guide.extensions.glossary

The glossary page is rendered where `docs/glossary.md` holds `<!-- glossary -->`; "Used on" lists
come from reading every chapter. A chapter that introduces an abbreviation the glossary lacks, or
a broken glossary file, stops the build.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from guide import glossary_page
from guide.extensions import load_when_changed
from guide.page_context import page_context

GLOSSARY_PAGE = "glossary.md"
PRIORITY = 29.0  # after the citations: the page's own brand citations are rendered here


class IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml's `!ENV` and other tags read as nothing: only its nav is wanted here."""


IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)


def nav_titles(config_file: Path) -> dict[str, str]:
    """Each page's title in the nav of mkdocs.yml (`Title: path.md`), by source path."""
    if not config_file.exists():
        return {}
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=IgnoreTags) or {}
    titles: dict[str, str] = {}

    def walk(items) -> None:
        for item in items or []:
            if isinstance(item, dict):
                for title, value in item.items():
                    if isinstance(value, str):
                        titles[value] = str(title)
                    else:
                        walk(value)

    walk(config.get("nav"))
    return titles


def prepare(docs_dir: Path) -> set[str]:
    """Read the glossary and the chapters once per change; the set of existing source paths."""
    root = docs_dir.parent
    paths = sorted(docs_dir.rglob("*.md"))
    inputs = [root / glossary_page.GLOSSARY, root / glossary_page.BIBLIOGRAPHY, root / "mkdocs.yml", *paths]

    def setup() -> bool:
        pages = {p.relative_to(docs_dir).as_posix(): p.read_text(encoding="utf-8-sig") for p in paths}
        glossary_page.setup(root, pages, nav_titles(root / "mkdocs.yml"))
        return True

    load_when_changed("glossary", inputs, setup, (glossary_page.GlossaryPageError,))
    return {p.relative_to(docs_dir).as_posix() for p in paths}


class GlossaryPagePreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        page = page_context(self.md)
        existing = prepare(page.docs_dir)
        if page.src_uri != GLOSSARY_PAGE:
            return lines
        text = "\n".join(lines)
        entries = glossary_page.glossary_markdown(existing)
        return text.replace(glossary_page.GLOSSARY_MARKER, entries).split("\n")


class TermLinkPostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        page = page_context(self.md)
        if not glossary_page.is_chapter(page.src_uri):
            return text
        return glossary_page.link_first_uses(text, page.html_link(GLOSSARY_PAGE))


class GlossaryExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(GlossaryPagePreprocessor(md), "guide-glossary-page", PRIORITY)
        # After the raw HTML (30) and the ampersands (20) are back: the final HTML of the page.
        md.postprocessors.register(TermLinkPostprocessor(md), "guide-glossary-terms", 5)


def makeExtension(**kwargs) -> GlossaryExtension:
    return GlossaryExtension(**kwargs)
