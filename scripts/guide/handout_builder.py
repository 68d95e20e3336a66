"""The handout builder's data: every published chapter section and what a handout prints of it.

A clinician ticks sections on /handout/ and prints one page that gives, for each, its heading,
chapter, level, a summary, public address and a QR code of that address. Everything here is
computed at build time from the rendered chapters (after the other hooks, so headings and ids are
final); the page's script only chooses and arranges. Only sections listed in published-links.txt
are offered, because a handout is a promise that its addresses keep working.

The summary is the one the chapter's writer chose for paper (front matter `summaries:`, section id
to text), else the section's first paragraph of prose: not a table or figure caption, not a
"pointer" that sends the reader to another chapter, and text inside a box (a note, a warning, a
"When to see a specialist") only when the section has no text of its own.
"""

from __future__ import annotations

import copy
import html
import json
import posixpath
import re
from dataclasses import asdict, dataclass, field

import lxml.html

# The list of sources the citations hook appends to every chapter: nothing to read on paper.
GENERATED_SECTIONS = {"sources"}
SUMMARY_LIMIT = 300
# A handout past this many sections is no longer a handout; the page refuses it.
MOST_SECTIONS = 12
# Parts of a paragraph that mean nothing as plain text: citation numbers, footnote marks,
# permalinks.
NOT_SUMMARY_TEXT = (".//sup[contains(concat(' ', @class, ' '), ' cite ')] | .//sup[starts-with(@id, 'fnref')]"
                    " | .//a[contains(concat(' ', @class, ' '), ' headerlink ')]")
WHITESPACE = re.compile(r"\s+")
SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?)])")
SENTENCE_END = re.compile(r"[.!?](?=\s)")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
# Where a paragraph is a caption: inside a figure or table, or starting as a caption does.
CAPTION_ANCESTORS = {"figure", "figcaption", "table", "caption"}
CAPTION_START = re.compile(r"(table|figure|fig\.)\s+\d+[a-z]?\s*[.:]", re.I)
# A paragraph whose first sentence opens like this sends the reader elsewhere: on paper it says
# nothing about the section ("The chapter on protecting fertility says more about these medicines").
POINTER_START = re.compile(
    r"(the (chapter|chapters|section|sections|page|glossary) (on|about)\b"
    r"|see (the|our|also|chapter|section|how to)\b"
    r"|this (chapter|section|page)\b"
    r"|(read|learn|find out) more\b|read (the|our) (chapter|section|page)\b"
    r"|for more (information|detail|details|on|about)\b|more information\b|go to\b)",
    re.I)
# A paragraph whose text is mostly links (other than glossary terms) is a signpost, not prose.
LINK_SHARE = 0.5
# Boxes beside the section's text: admonitions ("When to see a specialist"), collapsible notes.
BOX = ("ancestor-or-self::*[contains(concat(' ', @class, ' '), ' admonition ')"
       " or self::details or self::aside]")
# Markup a written summary cannot hold: it is printed as plain text, so it would print as typed.
WRITTEN_MARKUP = re.compile(r"\[@|\[\[|\]\(|<[a-z/!]", re.I)


@dataclass(frozen=True)
class Chapter:
    url: str  # site-relative, "fundamentals/protecting-fertility/"
    level: str  # "Fundamentals"
    title: str
    reviewed: str  # ISO date
    reviewed_text: str  # "27 November 2026", as the chapter page shows it
    content: str  # the article's HTML as rendered
    summaries: dict[str, str] = field(default_factory=dict)  # front matter `summaries:`, checked


@dataclass(frozen=True)
class Section:
    link: str  # a line of published-links.txt, "fundamentals/protecting-fertility/#hcg-alongside-trt"
    heading: str
    depth: int  # 2 for ##, 3 for ###
    chapter: str
    level: str
    reviewed: str
    reviewed_text: str
    summary: str
    address: str  # public site URL + link
    qr: str  # site-relative URL of the QR code of `address`
    aliases: tuple[str, ...] = field(default=())  # old links of a renamed section


def plain_text(element) -> str:
    element = copy.deepcopy(element)
    for unwanted in element.xpath(NOT_SUMMARY_TEXT):
        unwanted.drop_tree()
    text = WHITESPACE.sub(" ", element.text_content()).strip()
    # "once an hour [1]." loses its citation and would keep the space before the full stop.
    return SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)


def shorten(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """`text` cut after its last whole sentence within `limit`, else at a word, with an ellipsis.

    Whole sentences first: half a sentence of medical text can say something the whole does not.
    """
    if len(text) <= limit:
        return text
    ends = [match.end() for match in SENTENCE_END.finditer(text[: limit + 1])]
    if ends:
        return text[: ends[-1]]
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"


def link_text(paragraph) -> str:
    """The text of a paragraph's links that lead somewhere to read: not terms, citations, permalinks."""
    links = paragraph.xpath(".//a[not(contains(concat(' ', @class, ' '), ' trt-term '))"
                            " and not(contains(concat(' ', @class, ' '), ' headerlink '))"
                            " and not(ancestor::sup)]")
    return "".join(WHITESPACE.sub(" ", link.text_content()) for link in links).strip()


def is_pointer_text(text: str) -> bool:
    """A sentence (or a paragraph, by its first sentence) that sends the reader elsewhere."""
    return bool(POINTER_START.match(text.strip()))


def kind(paragraph) -> str:
    """What a paragraph (or list item) of a section is, for the handout's summary.

    "caption" (a table's or figure's), "pointer" (sends the reader to another chapter or mostly
    consists of a link), "boxed" (prose inside a note or warning beside the section's text), or
    "prose". Caveats ("These numbers come from healthy volunteers, not men on TRT") are prose:
    they belong with what they qualify.
    """
    text = plain_text(paragraph)
    classes = (paragraph.get("class") or "").split()
    if (CAPTION_ANCESTORS.intersection(ancestor.tag for ancestor in paragraph.iterancestors())
            or "caption" in classes or CAPTION_START.match(text)):
        return "caption"
    if is_pointer_text(text) or len(link_text(paragraph)) >= LINK_SHARE * max(len(text), 1):
        return "pointer"
    if paragraph.xpath(BOX):
        return "boxed"
    return "prose"


def candidates(heading) -> list:
    """The paragraphs, and the first item of each list, of a heading's section and subsections."""
    stops = {"h1", "h2"} if heading.tag == "h2" else {"h1", "h2", "h3"}
    found = []
    for sibling in heading.itersiblings():
        if not isinstance(sibling.tag, str):  # a comment
            continue
        if sibling.tag in stops:
            break
        if sibling.tag == "p":
            found.append(sibling)
        elif sibling.tag in ("ul", "ol"):
            # A section that opens with a list: its first item is usually a whole thought.
            found += sibling.xpath("./li[1]")
        else:
            found += sibling.xpath(".//p[not(contains(concat(' ', @class, ' '), ' admonition-title '))]")
    return found


def without_trailing_pointers(text: str) -> str:
    """`text` without closing sentences that only send the reader elsewhere, if anything remains."""
    sentences = SENTENCE_BREAK.split(text)
    while len(sentences) > 1 and is_pointer_text(sentences[-1]):
        sentences.pop()
    return " ".join(sentences)


def paragraph_summary(paragraph) -> str:
    text = plain_text(paragraph)
    following = paragraph.getnext()
    if text.endswith(":") and following is not None and following.tag in ("ul", "ol"):
        # "Doctors use two words for low sperm:" says nothing without its list.
        items = [plain_text(item) for item in following.xpath("./li")]
        text = (text + "".join(f" {item}" if item[-1:] in ".!?" else f" {item};"
                               for item in items if item)).rstrip(";")
        text += "" if text[-1:] in ".!?" else "."
    return shorten(without_trailing_pointers(text)) if text else ""


def summary(heading, written: str | None = None) -> str:
    """What a handout says of a heading's section: `written` (the writer's, from front matter), else
    its first paragraph of prose, its subsections' when it has none of its own.

    Captions and pointers are never a summary. Text in a box beside the section (a note, a
    warning) is one only when the section has no prose outside boxes. A section that opens with a
    list gives its first item; one that holds only a table gives "".
    """
    if written:
        return written
    found = [(kind(paragraph), paragraph) for paragraph in candidates(heading)]
    for wanted in ("prose", "boxed"):
        for what, paragraph in found:
            if what == wanted and (text := paragraph_summary(paragraph)):
                return text
    return ""


def section_ids(content: str) -> set[str]:
    """The ids of a chapter's `##`/`###` sections, as rendered (not the generated list of sources)."""
    root = lxml.html.fragment_fromstring(content, create_parent="div")
    return {id_ for id_ in root.xpath(".//h2/@id | .//h3/@id") if id_ not in GENERATED_SECTIONS}


class SummariesError(ValueError):
    """A chapter's `summaries:` front matter that cannot be used; the message is one line."""


def written_summaries(value: object, ids: set[str], where: str) -> dict[str, str]:
    """A chapter's `summaries:` front matter checked: each key one of its section `ids`, each value
    plain text of at most SUMMARY_LIMIT characters (it is printed whole, never cut)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SummariesError(f"{where}: 'summaries:' must map section ids to summaries")
    checked = {}
    for key, text in value.items():
        if not isinstance(key, str) or key not in ids:
            raise SummariesError(f"{where}: summaries: {key!r} is not a section of this chapter")
        if not isinstance(text, str) or not text.strip():
            raise SummariesError(f"{where}: summaries: {key!r} needs a summary, as plain text")
        text = WHITESPACE.sub(" ", text).strip()
        if WRITTEN_MARKUP.search(text):
            raise SummariesError(f"{where}: summaries: {key!r} must be plain text (no links, citations, "
                                 "fact markers or HTML)")
        if len(text) > SUMMARY_LIMIT:
            raise SummariesError(f"{where}: summaries: {key!r} is longer than {SUMMARY_LIMIT} characters")
        checked[key] = text
    return checked


def qr_url(link: str) -> str:
    """Where the QR code of a section's address is served: handout/qr/<page>/<id>.svg."""
    page, section = link.split("#", 1)
    return f"handout/qr/{page}{section}.svg"


def chapter_sections(chapter: Chapter, published: set[str], public_url: str) -> list[Section]:
    root = lxml.html.fragment_fromstring(chapter.content, create_parent="div")
    sections = []
    for heading in root.xpath(".//h2[@id] | .//h3[@id]"):
        link = f"{chapter.url}#{heading.get('id')}"
        aliases = tuple(f"{chapter.url}#{old}" for old in heading.xpath(".//span[@class='trt-alias']/@id"))
        # A renamed section is published under its old id until `make published-links` runs.
        if heading.get("id") in GENERATED_SECTIONS or published.isdisjoint((link, *aliases)):
            continue
        sections.append(Section(
            link=link, heading=plain_text(heading), depth=int(heading.tag[1]),
            chapter=chapter.title, level=chapter.level, reviewed=chapter.reviewed,
            reviewed_text=chapter.reviewed_text,
            summary=summary(heading, chapter.summaries.get(heading.get("id"))),
            address=public_url + link, qr=qr_url(link), aliases=aliases,
        ))
    return sections


def page_data(sections: list[Section], site_name: str, public_url: str, page_url: str) -> dict:
    """What the page's script reads: the sections, and old links that lead to them.

    QR codes are addressed relative to the page (`page_url`, site-relative), so the page works
    wherever the site is served from.
    """
    folder = page_url if page_url.endswith("/") else posixpath.dirname(page_url)
    return {
        "site_name": site_name,
        "public_url": public_url,
        # The handout page's own public address: "Copy address" gives it with the page's query,
        # whatever address the browser shows (a preview, `mkdocs serve`, a local copy).
        "address": public_url + page_url,
        "most": MOST_SECTIONS,
        "sections": [{**{k: v for k, v in asdict(s).items() if k != "aliases"},
                      "qr": posixpath.relpath(s.qr, folder or ".")} for s in sections],
        "aliases": {old: s.link for s in sections for old in s.aliases},
    }


def script_json(data: dict) -> str:
    """JSON safe inside <script type="application/json"> (HTML ends a script at any "</")."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def picker_html(sections: list[Section]) -> str:
    """The sections as checkboxes in fieldsets, by level and then chapter, in reading order."""
    groups: dict[str, dict[str, list[tuple[int, Section]]]] = {}
    for number, section in enumerate(sections, 1):
        groups.setdefault(section.level, {}).setdefault(section.chapter, []).append((number, section))
    out = []
    for level, chapters in groups.items():
        out.append(f'<fieldset class="hb-level"><legend>{html.escape(level)}</legend>')
        for chapter, items in chapters.items():
            out.append(f'<fieldset class="hb-chapter"><legend>{html.escape(chapter)}</legend>'
                       '<ul class="hb-options">')
            for number, section in items:
                out.append(
                    f'<li class="hb-option hb-option--h{section.depth}">'
                    f'<input type="checkbox" id="hb-option-{number}" value="{html.escape(section.link)}">'
                    f'<label for="hb-option-{number}">{html.escape(section.heading)}</label></li>')
            out.append("</ul></fieldset>")
        out.append("</fieldset>")
    return "\n".join(out)


def builder_html(sections: list[Section], site_name: str, public_url: str, page_url: str) -> str:
    """The builder inside the handout page's article; handout.js shows it and brings it to life.

    Three parts: the sheet (what prints), the list to choose from, and a panel that stays in view
    at the foot of the window while the clinician ticks (the count, the chosen headings, Print,
    Copy address, Start again). The sheet's foot repeats on every printed page.
    """
    data = script_json(page_data(sections, site_name, public_url, page_url))
    name = html.escape(site_name)
    site = html.escape(public_url.split("://", 1)[-1].rstrip("/"))
    return f"""<div class="hb" id="handout-builder" hidden>
<script type="application/json" id="hb-data">{data}</script>
<section class="hb-sheet" aria-label="Your handout" hidden>
  <header class="hb-sheet__head">
    <p class="hb-sheet__site">{name}</p>
    <p class="hb-sheet__lead">Sections chosen for you. Scan a code or type its address to read
      the section online, always in its latest version.</p>
    <p class="hb-sheet__date">Printed on <time class="hb-date"></time></p>
  </header>
  <div class="hb-note">
    <label for="hb-note">Note for your patient (printed on the handout; kept in this page's address)</label>
    <textarea id="hb-note" rows="3" maxlength="500"></textarea>
    <p class="hb-note__print"></p>
  </div>
  <p class="hb-refused" role="alert" hidden></p>
  <ol class="hb-items"></ol>
  <p class="hb-sheet__foot"><span class="hb-sheet__runner"><strong>{name}</strong> \u00b7 {site}
    \u00b7 printed on <time class="hb-date"></time></span> Information, not medical advice. Talk with
    your doctor before you start, stop or change any treatment.</p>
</section>
<section class="hb-picker">
  <!-- No id: published-links.txt lists every ## id, and this heading is no place to send anyone. -->
  <h2 class="hb-picker__title">Choose sections</h2>
  <p>Tick the sections you want your patient to read, up to {MOST_SECTIONS}, in the order they
    should appear. Up to 4 fit on one printed page.</p>
  <p class="hb-filter">
    <label for="hb-filter">Filter sections by words</label>
    <input type="search" id="hb-filter" autocomplete="off" spellcheck="false">
  </p>
  <p class="hb-count" role="status"></p>
  <p class="hb-limit" role="alert"></p>
{picker_html(sections)}
</section>
<section class="hb-panel" aria-label="Your handout so far">
  <p class="hb-panel__count"></p>
  <ol class="hb-panel__chosen"></ol>
  <p class="hb-actions">
    <button type="button" class="hb-button hb-button--primary hb-print">Print<span class="hb-wide">
      this handout</span></button>
    <button type="button" class="hb-button hb-copy">Copy address</button>
    <button type="button" class="hb-button hb-clear">Start again</button>
  </p>
  <p class="hb-panel__status" role="status"></p>
</section>
</div>"""
