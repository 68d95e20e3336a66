"""`[[fact: id]]` becomes the registered fact's words and citations (logic: guide.facts).

    markdown_extensions:
      - guide.extensions.facts:
          registry: data/facts.yaml   # relative to the folder above docs/ (the default)

Runs before the citations extension, which numbers the `[@key]` a fact brings. An unknown fact
stops the build naming the page; a fact no page or figure uses is reported once per build.
"""

from __future__ import annotations

import logging
from pathlib import Path

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from guide import facts
from guide.extensions import load_when_changed
from guide.figures import FIGURES
from guide.page_context import BuildStop, page_context

# Under "mkdocs." so that MkDocs' strict mode counts the warning.
log = logging.getLogger("mkdocs.plugins.guide.facts")
PRIORITY = 29.3  # after whitespace normalising (30), before fenced code is stashed (25)
_reported_unused: set[tuple[Path, float]] = set()


def registry_at(path: Path) -> dict[str, facts.Fact]:
    return load_when_changed("facts", [path], lambda: facts.load(path), (facts.FactsError,))


def report_unused(path: Path, registry: dict[str, facts.Fact], docs_dir: Path) -> None:
    """Once per version of the registry: the facts no page or figure inserts."""
    if (path, path.stat().st_mtime) in _reported_unused:
        return
    _reported_unused.add((path, path.stat().st_mtime))
    texts = [p.read_text(encoding="utf-8-sig") for p in sorted(docs_dir.rglob("*.md"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((path.parent / FIGURES.name).glob("*.yaml"))]
    for fact_id in facts.unused(registry, texts):
        log.warning(f"{facts.FACTS}: fact '{fact_id}' is used by no page or figure "
                    "(insert it with [[fact: id]] where its number is stated, or remove it)")


class FactsPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, registry: str):
        super().__init__(md)
        self.registry = registry

    def run(self, lines: list[str]) -> list[str]:
        page = page_context(self.md)
        path = page.docs_dir.parent / self.registry
        registry = registry_at(path)
        report_unused(path, registry, page.docs_dir)
        text = "\n".join(lines)
        if "[[fact:" not in text:
            return lines
        try:
            return facts.expand(text, registry, page.tier, page.src_uri).split("\n")
        except facts.FactsError as error:
            raise BuildStop(str(error)) from None


class FactsExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {"registry": [str(facts.FACTS), "the facts file, relative to the folder above docs/"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(FactsPreprocessor(md, self.getConfig("registry")), "guide-facts", PRIORITY)


def makeExtension(**kwargs) -> FactsExtension:
    return FactsExtension(**kwargs)
