"""The MkDocs (and ProperDocs) adapter: the one hook file in mkdocs.yml, thin over guide.*.

Per-page work is done by the Markdown extensions (guide.extensions) and site-wide work by the
post-build step (guide.finish), under any generator. What is left here needs MkDocs' own objects:

- the public address: `mkdocs serve` replaces `site_url` with its own address, so the build puts
  the public one (`extra.public_url`, from SITE_URL) back before any page is made; canonical
  links, copy-link and the print address then never point at 127.0.0.1;
- chapters' front matter checked (guide.chapters) and the writers' rules (guide.chapter_rules),
  each rule broken a one-line warning that fails `mkdocs build --strict`;
- what the templates show from page.meta: the level, the same chapter at the other levels, and
  the review dates as strings (templates call no Python method, so any generator renders them);
- previous/next within a tier (Material's footer would otherwise run on across tiers);
- the post-build step itself, on the built folder, after the search plugin has written its index.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError

from guide import chapter_rules, chapters, finish

# Under "mkdocs." so that a broken rule fails `mkdocs build --strict`, one line each.
rules_log = logging.getLogger("mkdocs.plugins.guide.rules")
facts_registry: dict = {}


def on_config(config):
    public_url = config["extra"].get("public_url")
    if public_url:
        config["site_url"] = public_url.rstrip("/") + "/"
    try:  # read once per build: the writers' rules count the sources a chapter's facts cite
        facts_registry.clear()
        root = Path(config["config_file_path"]).parent
        facts_registry.update(chapter_rules.facts.load(root / chapter_rules.facts.FACTS))
    except chapter_rules.facts.FactsError as error:
        raise PluginError(str(error)) from None
    return config


def on_page_markdown(markdown, page, config, files):
    src_uri = page.file.src_uri
    tier = chapters.page_tier(src_uri)
    try:
        if chapters.is_chapter(src_uri):
            chapters.check_chapter_meta(page.meta, src_uri)
            root = Path(config["config_file_path"]).resolve().parent
            path = Path(config["docs_dir"]).resolve().relative_to(root) / src_uri
            index = Path(config["docs_dir"]) / tier / "index.md"
            for rule_break in chapter_rules.check_chapter(
                    str(path), Path(page.file.abs_src_path).read_text(encoding="utf-8-sig"), tier,
                    index.read_text(encoding="utf-8") if index.is_file() else None, facts_registry):
                rules_log.warning(str(rule_break))
            page.meta["chapter"] = True
            page.meta["level"] = chapters.TIERS[tier]
            # The same chapter at the other levels; the post-build step adds each one's section map.
            slug = src_uri.split("/", 1)[1]
            page.meta["other_tiers"] = [
                {"name": name, "url": other.url} for other_tier, name in chapters.TIERS.items()
                if other_tier != tier and (other := files.get_file_from_path(f"{other_tier}/{slug}"))]
        if "reviewed" in page.meta or chapters.is_chapter(src_uri):
            reviewed = chapters.review_date(page.meta.get("reviewed"), src_uri)
            page.meta["review"] = chapters.review_texts(reviewed)
    except chapters.ChapterError as error:
        raise PluginError(str(error)) from None
    return markdown


def on_nav(nav, config, files):
    # Previous/next stay inside a tier: from the last Fundamentals chapter, "next" must not be
    # the Intermediate overview. Pages outside the tiers get none.
    for page in nav.pages:
        page.previous_page = page.next_page = None
    sequences: dict[str, list] = {tier: [] for tier in chapters.TIERS}
    for page in nav.pages:
        if tier := chapters.page_tier(page.file.src_uri):
            sequences[tier].append(page)
    for sequence in sequences.values():
        for before, after in zip(sequence, sequence[1:], strict=False):
            before.next_page, after.previous_page = after, before
    return nav


def on_post_build(config):
    try:
        settings = finish.settings_from_config(config, Path(config["config_file_path"]))
        finish.finish(Path(config["site_dir"]), settings)
    except finish.FinishError as error:
        raise PluginError(str(error)) from None
