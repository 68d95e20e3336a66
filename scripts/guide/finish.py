"""The post-build step: site-wide work over a built site folder, whichever generator built it.

    python -m guide.finish SITE_DIR [--config mkdocs.yml]

Per-page work happens while Markdown is rendered (guide.extensions). What needs every page, or a
page's final address, is done here, on the HTML files, the way sitecheck reads any built site:

- the level switcher: each link to the same chapter at another level gets the map from this
  page's section ids to that page's (guide.levels, data/level-sections.yaml);
- print addresses: links in a chapter's text get their public address (guide.print_page), and
  the printed chapter's QR code is drawn;
- the handout builder on /handout/ and the QR code of every section it offers;
- redirect pages for old addresses and go/ short links (guide.redirects, data/redirects.yaml);
- search ranking in Material's index, where one exists (guide.search).

It stops, with one line naming the file, when a page it must complete is missing or when the data
names a page or section the site lacks. Every step can run twice on the same folder with the same
result, so `mkdocs serve` and a second run do no harm.
"""

from __future__ import annotations

import argparse
import html
import json
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
import yaml

from guide import chapters, handout_builder, levels, print_page, redirects, search
from guide.glossary import GlossaryError
from guide.glossary import load as load_glossary
from guide.page_context import built_url
from guide.published_links import read_entries
from guide.site_config import load_config, nav_entries

LEVEL_SECTIONS = Path("data/level-sections.yaml")
REDIRECTS = Path("data/redirects.yaml")
GLOSSARY = Path("data/glossary.yaml")
PUBLISHED = Path("published-links.txt")
HANDOUT_PAGE = "handout/index.html"
HANDOUT_MARKER = "<!-- handout-builder -->"
SEARCH_INDEX = "search/search_index.json"
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?\n)---\s*\n", re.S)
# Where a chapter's own text starts and ends in the built page: the templates put the notice,
# the level switcher and the print header above its <h1>, and the review footer below it.
CONTENT_START = re.compile(r"<h1[\s>]")
CONTENT_END = '<footer class="trt-review-footer"'
LEVEL_LINK = re.compile(
    r'(<a class="[^"]*\btrt-level-link\b[^"]*" href=")([^"]*)(" data-trt-sections=")[^"]*(")')
QR_BOX = re.compile(r'(<div class="trt-handout" data-trt-qr="([^"]*)">.*?)(\s*</div>)', re.S)


class FinishError(RuntimeError):
    """The built site cannot be completed; the message is one line naming the file."""


@dataclass(frozen=True)
class Settings:
    project: Path  # the folder that holds docs/, data/ and published-links.txt
    docs_dir: Path
    site_name: str
    public_url: str  # the published site's address, ending in "/"
    policy: str = ""  # the Content-Security-Policy every page carries
    nav: tuple[tuple[str, str], ...] = ()  # (source file, nav title) in reading order


@dataclass
class Chapter:
    src: str  # "fundamentals/protecting-fertility.md"
    path: Path  # its built page
    meta: dict
    page: str = ""  # the built page's HTML, changed in place by the steps
    headings: list[levels.Heading] = field(default_factory=list)

    @property
    def tier(self) -> str:
        return chapters.page_tier(self.src) or ""

    @property
    def slug(self) -> str:
        return posixpath.basename(self.src).removesuffix(".md")

    @property
    def url(self) -> str:
        return built_url(self.src)

    def content_span(self) -> tuple[int, int]:
        start = CONTENT_START.search(self.page)
        end = self.page.find(CONTENT_END)
        if not start:
            raise FinishError(f"{self.path}: no <h1>: is this the built page of docs/{self.src}?")
        return start.start(), end if end > start.start() else len(self.page)

    @property
    def content(self) -> str:
        start, end = self.content_span()
        return self.page[start:end]


def front_matter(path: Path) -> dict:
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8-sig"))
    data = yaml.safe_load(match.group(1)) if match else {}
    return data if isinstance(data, dict) else {}


def page_headings(content: str) -> list[levels.Heading]:
    """The `##` and `###` sections of a chapter's text, each `###` with the `##` it sits under."""
    root = lxml.html.fragment_fromstring(content, create_parent="div")
    headings, parent = [], None
    for heading in root.xpath(".//h2[@id] | .//h3[@id]"):
        if heading.tag == "h2":
            parent = heading.get("id")
            headings.append(levels.Heading(heading.get("id")))
        else:
            headings.append(levels.Heading(heading.get("id"), parent))
    return headings


def read_chapters(site: Path, settings: Settings) -> list[Chapter]:
    """Every chapter of docs/, in nav order, with its built page; a missing page is an error."""
    order = {src: number for number, (src, _) in enumerate(settings.nav)}
    sources = sorted((path.relative_to(settings.docs_dir).as_posix()
                      for tier in chapters.TIERS for path in (settings.docs_dir / tier).glob("*.md")),
                     key=lambda src: (list(chapters.TIERS).index(chapters.page_tier(src)),
                                      order.get(src, len(order)), src))
    found = []
    for src in filter(chapters.is_chapter, sources):
        path = site / built_url(src) / "index.html"
        if not path.is_file():
            raise FinishError(f"{path}: missing; docs/{src} was not built (the post-build step "
                              "completes every chapter)")
        chapter = Chapter(src, path, front_matter(settings.docs_dir / src), path.read_text(encoding="utf-8"))
        chapter.headings = page_headings(chapter.content)
        found.append(chapter)
    return found


def level_links(chapter: Chapter, by_url: dict[str, Chapter], groups: levels.Groups) -> None:
    """Each link to the same chapter at another level gets the map from this page's section ids
    to that page's (level-switcher.js follows the section being read)."""

    def with_sections(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(chapter.url, html.unescape(match.group(2)))) + "/"
        other = by_url.get(target)
        if other is None:
            raise FinishError(f"{chapter.path}: its level link {match.group(2)} leads to no chapter")
        targets = levels.section_targets(chapter.slug, chapter.tier, chapter.headings, other.tier,
                                         {heading.id for heading in other.headings}, groups)
        sections = html.escape(json.dumps(targets, separators=(",", ":")))
        return f"{match.group(1)}{match.group(2)}{match.group(3)}{sections}{match.group(4)}"

    chapter.page = LEVEL_LINK.sub(with_sections, chapter.page)


def print_addresses(chapter: Chapter, public_url: str) -> None:
    """Public addresses after the chapter's links on paper, and the QR code of its address."""
    start, end = chapter.content_span()
    content = print_page.add_print_urls(chapter.page[start:end], public_url + chapter.url)
    page = chapter.page[:start] + content + chapter.page[end:]
    chapter.page = QR_BOX.sub(
        lambda m: m.group(0) if "<svg" in m.group(1)
        else m.group(1) + print_page.qr_svg(html.unescape(m.group(2))) + m.group(3), page)


def handout(site: Path, settings: Settings, found: list[Chapter]) -> None:
    """The handout builder replaces its marker on /handout/; each section's QR code beside it."""
    page = site / HANDOUT_PAGE
    if not page.is_file():
        raise FinishError(f"{page}: missing; the handout builder goes there (docs/handout.md)")
    text = page.read_text(encoding="utf-8")
    published_file = settings.project / PUBLISHED
    if not published_file.is_file():
        raise FinishError(f"{published_file}: missing; the handout builder offers only published sections")
    published = set(read_entries(published_file)[1])
    sections: list[handout_builder.Section] = []
    for chapter in found:
        where, content = f"docs/{chapter.src}", chapter.content
        try:
            reviewed = chapters.review_texts(chapters.review_date(chapter.meta.get("reviewed"), where))
            summaries = handout_builder.written_summaries(
                chapter.meta.get("summaries"), handout_builder.section_ids(content), where)
        except (chapters.ChapterError, handout_builder.SummariesError) as error:
            raise FinishError(str(error)) from None
        sections += handout_builder.chapter_sections(handout_builder.Chapter(
            url=chapter.url, level=chapters.TIERS[chapter.tier], title=str(chapter.meta.get("title", "")),
            reviewed=reviewed["date"], reviewed_text=reviewed["text"], content=content,
            summaries=summaries), published, settings.public_url)
    if not sections:
        raise FinishError(f"{page}: no chapter section is listed in {PUBLISHED}")
    if HANDOUT_MARKER in text:
        builder = handout_builder.builder_html(sections, settings.site_name, settings.public_url, "handout/")
        page.write_text(text.replace(HANDOUT_MARKER, builder, 1), encoding="utf-8")
    elif 'id="handout-builder"' not in text:
        raise FinishError(f"{page}: lacks {HANDOUT_MARKER}, where the builder goes (docs/handout.md)")
    for section in sections:
        path = site / section.qr
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(print_page.qr_svg(section.address), encoding="utf-8")


def page_sections(path: Path) -> tuple[set[str], list[redirects.Section]]:
    """Every id on a built page, and its ## and ### sections in order (old ids of renamed ones too)."""
    root = lxml.html.document_fromstring(path.read_text(encoding="utf-8"))
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    sections = [redirects.Section(heading.get("id"), heading_text(heading))
                for heading in root.xpath("//article//*[self::h2 or self::h3][@id]")]
    sections += [redirects.Section(alias.get("id"), heading_text(alias.getparent()))
                 for alias in root.xpath("//article//span[@class='trt-alias'][@id]")]
    return ids, sections


def heading_text(heading) -> str:
    return heading.text_content().replace("\u00b6", "").strip()


def redirect_pages(site: Path, settings: Settings) -> None:
    """A page at every old address and go/ short link, sending the reader on."""
    path = settings.project / REDIRECTS
    if not path.exists():
        return
    try:
        data = redirects.load(path)
    except redirects.RedirectsError as error:
        raise FinishError(str(error)) from None
    sources = {p.relative_to(settings.docs_dir).as_posix() for p in settings.docs_dir.rglob("*.md")}
    current = {built_url(src) for src in sources}
    titles = dict(settings.nav)
    for src in data.renamed_sections:
        if src not in sources:
            raise FinishError(f"{REDIRECTS}: renamed_sections: no page docs/{src}")
    for redirect in data.pages():
        target = redirect.target
        if target.src not in sources:
            raise FinishError(f"{REDIRECTS}: {redirect.address}: no page docs/{target.src}")
        if redirect.address in current:
            raise FinishError(f"{REDIRECTS}: '{redirect.address}' is a current page; a redirect there "
                              "would hide it")
        built = site / built_url(target.src) / "index.html"
        if not built.is_file():
            raise FinishError(f"{built}: missing; {REDIRECTS} sends {redirect.address} there")
        ids, sections = page_sections(built)
        if target.fragment and target.fragment not in ids:
            raise FinishError(f"{REDIRECTS}: {redirect.address} -> {target}: the page has no "
                              f"section '{target.fragment}'")
        title = titles.get(target.src, target.src)
        if target.fragment:
            title = next((s.title for s in sections if s.id == target.fragment), title)
        out = site / redirect.address / "index.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(redirects.redirect_page(redirect, built_url(target.src), title, sections,
                                               settings.site_name, settings.public_url, settings.policy),
                       encoding="utf-8")
    if data.short_links:
        listed = f"{settings.public_url}{redirects.short_link_address(next(iter(data.short_links)))}"
        if not any(listed in page.read_text(encoding="utf-8") for page in site.rglob("*.html")
                   if "/go/" not in page.as_posix()):
            raise FinishError(f"{REDIRECTS} has short links, but no page holds <!-- short-links --> "
                              "to list them for readers (docs/about/linking.md did)")


def search_index(site: Path, settings: Settings) -> None:
    """Tier and glossary boosts, and the glossary's names, in Material's search index."""
    path = site / SEARCH_INDEX
    if not path.is_file():  # another search engine, or none
        return
    try:
        terms = load_glossary(settings.project / GLOSSARY)
    except GlossaryError as error:
        raise FinishError(str(error)) from None
    index = json.loads(path.read_text(encoding="utf-8"))
    for doc in index["docs"]:
        boost = search.boost_for_url(doc["location"].partition("#")[0])
        if boost is not None and doc.get("boost") is None:
            doc["boost"] = boost
    if search.rewrite_glossary_entries(index, terms) != len(terms):
        raise FinishError(f"{path}: not every glossary entry is in the search index")
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    # The same names for the page's no-results suggestions (search-level.js), in a file of their
    # own: a few kilobytes, fetched only when a query finds nothing.
    (site / search.NAMES_FILE).write_text(json.dumps(index["config"]["glossary"], ensure_ascii=False,
                                                     separators=(",", ":")), encoding="utf-8")


def finish(site: Path, settings: Settings) -> None:
    try:
        groups = levels.load(settings.project / LEVEL_SECTIONS)
    except levels.LevelSectionsError as error:
        raise FinishError(str(error)) from None
    found = read_chapters(site, settings)
    problems = levels.missing_sections(groups, {(c.tier, c.slug): c.headings for c in found})
    if problems:
        raise FinishError(f"{LEVEL_SECTIONS}: " + "; ".join(problems))
    handout(site, settings, found)  # reads the chapters as rendered, before print addresses
    for chapter in found:
        level_links(chapter, {c.url: c for c in found}, groups)
        print_addresses(chapter, settings.public_url)
        chapter.path.write_text(chapter.page, encoding="utf-8")
    redirect_pages(site, settings)
    search_index(site, settings)


def settings_from_config(config: dict, config_file: Path) -> Settings:
    """Settings from a loaded mkdocs.yml (MkDocs' own config object or a plain mapping)."""
    project = config_file.resolve().parent
    extra = config.get("extra") or {}
    public_url = extra.get("public_url") or config.get("site_url")
    if not public_url:
        raise FinishError(f"{config_file}: needs site_url or extra.public_url, the published "
                          "site's address (handouts and QR codes print it)")
    docs_dir = Path(config.get("docs_dir") or "docs")
    return Settings(project=project, docs_dir=docs_dir if docs_dir.is_absolute() else project / docs_dir,
                    site_name=str(config.get("site_name", "")), public_url=public_url.rstrip("/") + "/",
                    policy=str(extra.get("content_security_policy") or ""),
                    nav=tuple(nav_entries(config.get("nav"))))


def read_settings(config_file: Path) -> Settings:
    try:
        config = load_config(config_file)
    except (OSError, ValueError) as error:
        raise FinishError(f"{config_file}: {error}") from None
    return settings_from_config(config, config_file)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m guide.finish", description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site folder")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"),
                        help="the site's configuration (default: mkdocs.yml)")
    args = parser.parse_args(argv)
    try:
        if not args.site.is_dir():
            raise FinishError(f"{args.site}: not a folder (build the site first)")
        finish(args.site, read_settings(args.config))
    except FinishError as error:
        print(f"guide.finish: {error}", file=sys.stderr)
        return 1
    print(f"guide.finish: completed {args.site}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
