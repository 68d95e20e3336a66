"""MkDocs hook: `<!-- figure: id -->` in a chapter becomes a figure drawn from data/figures/.

The Markdown stage runs first of all hooks, so that the caption's `[@key]` citations and glossary
terms are rendered like the prose around them; the `<figure>` and caption take shape after the
glossary has linked terms, and the SVG goes into the finished page, so that the drawing's own text
is never rewritten and stays out of the search index. An unknown figure, a figure
used twice on a page or a broken data file stops the build.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from guide.figures import (
    FIGURES,
    TIER_VARIANT,
    Figure,
    FigureError,
    draw_figures,
    expand_markers,
    insert_figures,
    load,
)
from guide.hooks import is_chapter, page_tier

figures: dict[str, Figure] = {}


def on_config(config):
    figures.clear()
    try:
        figures.update(load(Path(config["config_file_path"]).parent / FIGURES))
    except FigureError as error:
        raise PluginError(str(error)) from None
    return config


@event_priority(100)
def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    if not is_chapter(src):
        if "<!-- figure:" in markdown:
            raise PluginError(f"{src}: figures belong on chapter pages")
        return markdown
    try:
        return expand_markers(markdown, figures, TIER_VARIANT[page_tier(src)], src)
    except FigureError as error:
        raise PluginError(str(error)) from None


@event_priority(-100)
def on_page_content(content, page, config, files):
    if not is_chapter(page.file.src_uri):
        return content
    try:
        return insert_figures(content, figures, page.file.src_uri)
    except FigureError as error:
        raise PluginError(str(error)) from None


def on_post_page(output, page, config):
    return draw_figures(output, figures) if is_chapter(page.file.src_uri) else output
