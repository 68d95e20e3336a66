"""MkDocs hook: the handout builder on /handout/ (logic in handout_builder.py).

Listed after the other hooks in mkdocs.yml, and reading the chapters in on_env, when every page
has been rendered and every on_page_content hook has run: headings and ids are final. The
builder replaces a marker in docs/handout.md; the QR code of each section's address is drawn by
the same function as the printed chapters' QR codes and served as an SVG file beside the page.
A chapter's optional front matter `summaries:` (section id: the summary its handout entry prints)
is checked here, where the chapter's section ids are known: an id that is no section stops the build.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from guide.handout_builder import (
    Chapter,
    Section,
    SummariesError,
    builder_html,
    chapter_sections,
    section_ids,
    written_summaries,
)
from guide.handout_hook import qr_svg
from guide.hooks import TIERS, is_chapter, page_tier
from guide.published_links import read_entries

HANDOUT_PAGE = "handout.md"
HANDOUT_MARKER = "<!-- handout-builder -->"
PUBLISHED = Path("published-links.txt")

state: dict = {"public_url": "", "published": set(), "chapters": [], "sections": []}


def on_config(config):
    public_url = config["extra"].get("public_url")
    if not public_url:
        raise PluginError("mkdocs.yml: the handout builder needs extra.public_url, the published "
                          "site's address (under `mkdocs serve`, site_url is the dev address)")
    path = Path(config["config_file_path"]).parent / PUBLISHED
    if not path.is_file():
        raise PluginError(f"{path}: missing; the handout builder offers only published sections")
    state["public_url"] = public_url.rstrip("/") + "/"
    state["published"] = set(read_entries(path)[1])
    return config


def on_nav(nav, config, files):
    state["chapters"] = [page for page in nav.pages if is_chapter(page.file.src_uri)]
    return nav


def on_env(env, config, files):
    # The tiers in reading order, and each tier's chapters in nav order.
    tier_order = list(TIERS)
    pages = sorted(state["chapters"], key=lambda page: tier_order.index(page_tier(page.file.src_uri)))
    sections: list[Section] = []
    for page in pages:
        try:
            summaries = written_summaries(page.meta.get("summaries"), section_ids(page.content),
                                          f"docs/{page.file.src_uri}")
        except SummariesError as error:
            raise PluginError(str(error)) from None
        chapter = Chapter(url=page.url, level=TIERS[page_tier(page.file.src_uri)], title=page.meta["title"],
                          reviewed=page.meta["review"]["date"], reviewed_text=page.meta["review"]["text"],
                          content=page.content, summaries=summaries)
        sections += chapter_sections(chapter, state["published"], state["public_url"])
    state["sections"] = sections
    return env


def on_page_context(context, page, config, nav):
    if page.file.src_uri != HANDOUT_PAGE:
        return context
    if HANDOUT_MARKER not in page.content:
        raise PluginError(f"docs/{HANDOUT_PAGE} lacks {HANDOUT_MARKER}, where the builder goes")
    if not state["sections"]:
        raise PluginError(f"docs/{HANDOUT_PAGE}: no chapter section is listed in {PUBLISHED}")
    page.content = page.content.replace(
        HANDOUT_MARKER, builder_html(state["sections"], config["site_name"], state["public_url"], page.url))
    return context


def on_post_build(config):
    site = Path(config["site_dir"])
    for section in state["sections"]:
        path = site / section.qr
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(qr_svg(section.address), encoding="utf-8")
