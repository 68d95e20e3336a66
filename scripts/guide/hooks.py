"""MkDocs hooks: chapter metadata checks, review dates, the level switcher and the public address.

A chapter is any page inside a tier folder other than the tier's index. A chapter without a
valid `reviewed:` date, or with front matter we do not understand, stops the build: a health
page must never be published without saying how current it is.

Also here, because they concern every page's place in the site:
- the public address: `mkdocs serve` replaces `site_url` with its own address, so the build puts
  the public one (`extra.public_url`, from SITE_URL) back before any page is made; canonical
  links, copy-link, the print address and its QR code then never point at 127.0.0.1;
- previous/next within a tier (Material's footer would otherwise run on across tiers);
- for each chapter, the matching section at each other level (`guide.levels`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import posixpath
from pathlib import Path

from mkdocs.exceptions import PluginError

from guide import chapter_rules, levels

TIERS = {"fundamentals": "Fundamentals", "intermediate": "Intermediate", "academic": "Academic"}
CHAPTER_KEYS = {"title", "description", "tier", "reviewed"}
# Keys a chapter may leave out. `summaries:` maps section ids to the summary that section's entry
# on a printed handout gives (checked by handout_builder_hook.py, once the section ids are known).
OPTIONAL_CHAPTER_KEYS = {"summaries"}
REVIEW_INTERVAL = dt.timedelta(days=365)
DESCRIPTION_LIMIT = 160
LEVEL_SECTIONS = Path("data/level-sections.yaml")

level_groups: levels.Groups = {}
facts_registry: dict = {}
chapter_headings: dict[tuple[str, str], list[levels.Heading]] = {}  # (tier, slug) -> headings


def page_tier(src_uri: str) -> str | None:
    top = src_uri.split("/", 1)[0]
    return top if top in TIERS and "/" in src_uri else None


def is_chapter(src_uri: str) -> bool:
    return page_tier(src_uri) is not None and posixpath.basename(src_uri) != "index.md"


def review_date(value: object, where: str) -> dt.date:
    """The page's review date; a missing, malformed or future date is an error."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise PluginError(f"{where}: 'reviewed: {value}' is not a date (YYYY-MM-DD)") from None
    if not isinstance(value, dt.date):
        raise PluginError(f"{where}: front matter needs 'reviewed: YYYY-MM-DD' (got {value!r})")
    if value > dt.date.today():
        raise PluginError(f"{where}: 'reviewed: {value}' is in the future")
    return value


def date_text(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def review_texts(reviewed: dt.date) -> dict[str, str]:
    """The review date and the next one (a year on), as ISO dates and as readers see them."""
    due = reviewed + REVIEW_INTERVAL
    return {"date": reviewed.isoformat(), "text": date_text(reviewed),
            "next_date": due.isoformat(), "next_text": date_text(due)}


def check_chapter_meta(meta: dict, src_uri: str) -> None:
    missing = CHAPTER_KEYS - meta.keys()
    if missing:
        raise PluginError(f"{src_uri}: front matter lacks {', '.join(sorted(missing))}")
    unknown = meta.keys() - CHAPTER_KEYS - OPTIONAL_CHAPTER_KEYS
    if unknown:
        raise PluginError(f"{src_uri}: unknown front matter keys {', '.join(sorted(unknown))}")
    if meta["tier"] != page_tier(src_uri):
        raise PluginError(f"{src_uri}: 'tier: {meta['tier']}' does not match its folder")
    if len(str(meta["description"])) > DESCRIPTION_LIMIT:
        raise PluginError(f"{src_uri}: description is longer than {DESCRIPTION_LIMIT} characters")


# Under "mkdocs." so that a broken rule fails `mkdocs build --strict`, one line each.
rules_log = logging.getLogger("mkdocs.plugins.guide.rules")


def on_page_markdown(markdown, page, config, files):
    src_uri = page.file.src_uri
    if is_chapter(src_uri):
        check_chapter_meta(page.meta, src_uri)
        docs = Path(config["docs_dir"])
        root = Path(config["config_file_path"]).resolve().parent
        path = Path(config["docs_dir"]).resolve().relative_to(root) / src_uri
        index = docs / page_tier(src_uri) / "index.md"
        for rule_break in chapter_rules.check_chapter(
                str(path), Path(page.file.abs_src_path).read_text(encoding="utf-8-sig"), page_tier(src_uri),
                index.read_text(encoding="utf-8") if index.is_file() else None, facts_registry):
            rules_log.warning(str(rule_break))
    if "reviewed" in page.meta or is_chapter(src_uri):
        reviewed = review_date(page.meta.get("reviewed"), src_uri)
        page.meta["reviewed"] = reviewed
        page.meta["next_review"] = reviewed + REVIEW_INTERVAL
        # As strings: templates call no Python methods, so any generator can render them.
        page.meta["review"] = review_texts(reviewed)
    if is_chapter(src_uri):
        page.meta["chapter"] = True
        page.meta["level"] = TIERS[page.meta["tier"]]
        slug = posixpath.basename(src_uri)
        page.meta["other_tiers"] = [
            {"name": name, "file": other}
            for tier, name in TIERS.items()
            if tier != page.meta["tier"] and (other := files.get_file_from_path(f"{tier}/{slug}"))
        ]
    return markdown


def on_config(config):
    public_url = config["extra"].get("public_url")
    if public_url:
        config["site_url"] = public_url.rstrip("/") + "/"
    try:
        groups = levels.load(Path(config["config_file_path"]).parent / LEVEL_SECTIONS)
    except levels.LevelSectionsError as error:
        raise PluginError(str(error)) from None
    level_groups.clear()
    level_groups.update(groups)
    try:  # read once per build: the writers' rules count the sources a chapter's facts cite
        facts_registry.clear()
        root = Path(config["config_file_path"]).parent
        facts_registry.update(chapter_rules.facts.load(root / chapter_rules.facts.FACTS))
    except chapter_rules.facts.FactsError as error:
        raise PluginError(str(error)) from None
    chapter_headings.clear()
    return config


def tier_sequences(pages: list) -> dict[str, list]:
    """Each tier's pages in nav order: its index first, then its chapters."""
    sequences: dict[str, list] = {tier: [] for tier in TIERS}
    for page in pages:
        tier = page_tier(page.file.src_uri)
        if tier:
            sequences[tier].append(page)
    return sequences


def on_nav(nav, config, files):
    # Previous/next stay inside a tier: from the last Fundamentals chapter, "next" must not be
    # the Intermediate overview. Pages outside the tiers get none.
    for page in nav.pages:
        page.previous_page = page.next_page = None
    for sequence in tier_sequences(nav.pages).values():
        for before, after in zip(sequence, sequence[1:]):
            before.next_page, after.previous_page = after, before
    return nav


def toc_headings(toc) -> list[levels.Heading]:
    """The page's `##` and `###` headings, each `###` with the `##` it sits under."""
    headings = []

    def walk(items, parent):
        for item in items:
            if item.level in (2, 3):
                headings.append(levels.Heading(item.id, parent if item.level == 3 else None))
            walk(item.children, item.id if item.level == 2 else parent)

    walk(toc, None)
    return headings


def on_page_content(html, page, config, files):
    tier = page_tier(page.file.src_uri)
    if is_chapter(page.file.src_uri):
        slug = posixpath.basename(page.file.src_uri).removesuffix(".md")
        chapter_headings[(tier, slug)] = toc_headings(page.toc)
    return html


def on_env(env, config, files):
    # Every page has been rendered to HTML by now, so every section id is known.
    problems = levels.missing_sections(level_groups, chapter_headings)
    if problems:
        raise PluginError(f"{LEVEL_SECTIONS}: " + "; ".join(problems))
    return env


def on_page_context(context, page, config, nav):
    if not page.meta.get("chapter"):
        return context
    tier = page.meta["tier"]
    slug = posixpath.basename(page.file.src_uri).removesuffix(".md")
    headings = chapter_headings.get((tier, slug), [])
    for other in page.meta["other_tiers"]:
        other_tier = other["file"].src_uri.split("/", 1)[0]
        other_ids = {heading.id for heading in chapter_headings.get((other_tier, slug), [])}
        other["sections"] = json.dumps(levels.section_targets(
            slug, tier, headings, other_tier, other_ids, level_groups), separators=(",", ":"))
    return context
