"""`<!-- figure: id -->` on a chapter becomes a numbered, cited figure drawn as inline SVG from
data/figures/ (logic: guide.figures).

    markdown_extensions:
      - guide.extensions.figures

The marker becomes a slot and a caption (run through the other extensions like prose); once the
page is HTML, the slot becomes a `<figure>` and its drawing is filled in. The drawing carries
`data-search-exclude`, so the labels of a chart do not blur search results. An unknown figure, a
figure used twice on a page, a figure outside a chapter or a broken data file stops the build.
"""

from __future__ import annotations

from pathlib import Path

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from guide import figures
from guide.chapters import is_chapter
from guide.extensions import load_when_changed
from guide.page_context import BuildStop, page_context

PRIORITY = 29.4  # before the facts and citations: a caption cites like prose


def figures_at(folder: Path) -> dict[str, figures.Figure]:
    inputs = [*sorted(folder.glob("*.yaml")), folder.parent / "facts.yaml"]
    return load_when_changed("figures", inputs, lambda: figures.load(folder), (figures.FigureError,))


class FigureMarkerPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "<!-- figure:" not in text:
            return lines
        page = page_context(self.md)
        if not is_chapter(page.src_uri):
            raise BuildStop(f"{page.src_uri}: figures belong on chapter pages")
        found = figures_at(page.docs_dir.parent / figures.FIGURES)
        try:
            variant = figures.TIER_VARIANT[page.tier]
            return figures.expand_markers(text, found, variant, page.src_uri).split("\n")
        except figures.FigureError as error:
            raise BuildStop(str(error)) from None


class FigureDrawingPostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        if "trt-figure-slot" not in text:
            return text
        page = page_context(self.md)
        found = figures_at(page.docs_dir.parent / figures.FIGURES)
        try:
            placed = figures.insert_figures(text, found, page.src_uri)
        except figures.FigureError as error:
            raise BuildStop(str(error)) from None
        return figures.draw_figures(placed, found).replace(
            '<div class="trt-figure__art">', '<div class="trt-figure__art" data-search-exclude>')


class FiguresExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(FigureMarkerPreprocessor(md), "guide-figure-markers", PRIORITY)
        # After the glossary has linked terms (5): the drawing's labels are never linked.
        md.postprocessors.register(FigureDrawingPostprocessor(md), "guide-figure-drawings", 4)


def makeExtension(**kwargs) -> FiguresExtension:
    return FiguresExtension(**kwargs)
