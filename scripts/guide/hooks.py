"""MkDocs hooks: chapter metadata checks, review dates and the "other reading levels" links.

A chapter is any page inside a tier folder other than the tier's index. A chapter without a
valid `reviewed:` date, or with front matter we do not understand, stops the build: a health
page must never be published without saying how current it is.
"""

from __future__ import annotations

import datetime as dt
import posixpath

from mkdocs.exceptions import PluginError

TIERS = {"fundamentals": "Fundamentals", "intermediate": "Intermediate", "academic": "Academic"}
CHAPTER_KEYS = {"title", "description", "tier", "reviewed"}
REVIEW_INTERVAL = dt.timedelta(days=365)
DESCRIPTION_LIMIT = 160


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


def check_chapter_meta(meta: dict, src_uri: str) -> None:
    missing = CHAPTER_KEYS - meta.keys()
    if missing:
        raise PluginError(f"{src_uri}: front matter lacks {', '.join(sorted(missing))}")
    unknown = meta.keys() - CHAPTER_KEYS
    if unknown:
        raise PluginError(f"{src_uri}: unknown front matter keys {', '.join(sorted(unknown))}")
    if meta["tier"] != page_tier(src_uri):
        raise PluginError(f"{src_uri}: 'tier: {meta['tier']}' does not match its folder")
    if len(str(meta["description"])) > DESCRIPTION_LIMIT:
        raise PluginError(f"{src_uri}: description is longer than {DESCRIPTION_LIMIT} characters")


def on_page_markdown(markdown, page, config, files):
    src_uri = page.file.src_uri
    if is_chapter(src_uri):
        check_chapter_meta(page.meta, src_uri)
    if "reviewed" in page.meta or is_chapter(src_uri):
        reviewed = review_date(page.meta.get("reviewed"), src_uri)
        page.meta["reviewed"] = reviewed
        page.meta["next_review"] = reviewed + REVIEW_INTERVAL
    if is_chapter(src_uri):
        page.meta["chapter"] = True
        slug = posixpath.basename(src_uri)
        page.meta["other_tiers"] = [
            {"name": name, "file": other}
            for tier, name in TIERS.items()
            if tier != page.meta["tier"] and (other := files.get_file_from_path(f"{tier}/{slug}"))
        ]
    return markdown
