"""MkDocs hook: `[@key]` citations become numbered links to /references/#ref-<key>.

Each chapter gets its own numbered list of sources at the end, and the references page gets the
whole bibliography with back-links to every section that cites each source. An unknown key, a
malformed marker or a broken bibliography stops the build with the page and key named.
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
from collections import defaultdict
from pathlib import Path

from mkdocs.exceptions import PluginError

from guide import facts
from guide.bibliography import BibliographyError, Source, load
from guide.glossary import GlossaryError
from guide.glossary import load as load_glossary
from guide.hooks import page_tier

BIBLIOGRAPHY = Path("data/bibliography.yaml")
# The glossary page is generated from this file; its brand names cite their labels.
GLOSSARY, GLOSSARY_PAGE = Path("data/glossary.yaml"), "glossary.md"
REFERENCES_PAGE = "references.md"
BIBLIOGRAPHY_MARKER = "<!-- bibliography -->"
CITATION = re.compile(r"\[(@[^\]]*)\]")
CITED_KEY = re.compile(r"^@([A-Za-z][A-Za-z0-9_-]*)$")
HEADING = re.compile(r"^#{2,3} +(.+?) +\{#([a-z0-9-]+)\}\s*$", re.M)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)

# Under "mkdocs." so that a warning fails `mkdocs build --strict`.
log = logging.getLogger("mkdocs.plugins.guide.citations")
sources: dict[str, Source] = {}
# key -> [(page src_uri, section id, section title)], filled before any page is rendered.
cited_in: dict[str, list[tuple[str, str, str]]] = defaultdict(list)


def cited_keys(marker: str, where: str) -> list[str]:
    keys = []
    for part in marker.split(";"):
        match = CITED_KEY.match(part.strip())
        if not match:
            raise PluginError(f"{where}: malformed citation [{marker}] (write [@key] or [@a; @b])")
        keys.append(match.group(1))
    return keys


def citations_by_section(markdown: str, where: str) -> list[tuple[str, str, str]]:
    """(key, section id, section title) for every citation, in reading order."""
    found = []
    section = ("", "")
    text = FENCE.sub("", markdown)
    events = sorted(
        [(m.start(), "heading", m) for m in HEADING.finditer(text)]
        + [(m.start(), "cite", m) for m in CITATION.finditer(text)],
        key=lambda event: event[0],
    )
    for _, kind, match in events:
        if kind == "heading":
            section = (match.group(2), match.group(1))
        else:
            found += [(key, *section) for key in cited_keys(match.group(1), where)]
    return found


def on_config(config):
    sources.clear()
    path = Path(config["config_file_path"]).parent / BIBLIOGRAPHY
    try:
        sources.update(load(path))
    except BibliographyError as error:
        raise PluginError(str(error)) from None
    return config


def on_files(files, config):
    cited_in.clear()
    root = Path(config["config_file_path"]).parent
    try:
        registry = facts.load(root / facts.FACTS)
    except facts.FactsError as error:
        raise PluginError(str(error)) from None
    for file in files.documentation_pages():
        markdown = Path(file.abs_src_path).read_text(encoding="utf-8-sig")
        try:
            # A fact's citations count where its marker stands.
            markdown = facts.expand(markdown, registry, page_tier(file.src_uri), file.src_uri)
        except facts.FactsError as error:
            raise PluginError(str(error)) from None
        for key, section_id, title in citations_by_section(markdown, file.src_uri):
            if key not in sources:
                raise PluginError(f"{file.src_uri}: unknown citation key '{key}' "
                                  f"(not in {BIBLIOGRAPHY})")
            place = (file.src_uri, section_id, title)
            if place not in cited_in[key]:
                cited_in[key].append(place)
    for key, term_id, heading in glossary_citations(root):
        cited_in[key].append((GLOSSARY_PAGE, term_id, heading))
    for key in sorted(set(sources) - set(cited_in)):
        log.warning(f"{BIBLIOGRAPHY}: source '{key}' is not cited by any page "
                    "(cite it where its facts are used, or remove it)")
    return files


def glossary_citations(root: Path) -> list[tuple[str, str, str]]:
    """(key, entry id, entry heading) for each source the glossary's brand names cite."""
    try:
        terms = load_glossary(root / GLOSSARY)
    except GlossaryError as error:
        raise PluginError(str(error)) from None
    return [(key, term.id, term.heading) for term in terms.values() for key in term.cited_keys]


def relative(target: str, page_src: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(page_src) or ".")


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == REFERENCES_PAGE:
        return markdown.replace(BIBLIOGRAPHY_MARKER, references_html(page.file.src_uri))
    numbers: dict[str, int] = {}
    references = relative(REFERENCES_PAGE, page.file.src_uri)

    def render(match: re.Match) -> str:
        links = []
        for key in cited_keys(match.group(1), page.file.src_uri):
            number = numbers.setdefault(key, len(numbers) + 1)
            title = sources[key].citation_text().replace('"', "'")
            links.append(f'[{number}]({references}#ref-{key} "{title}"){{ data-tip="{title}" }}')
        return '<sup class="cite">[' + ", ".join(links) + "]</sup>"

    markdown = outside_fences(markdown, lambda text: CITATION.sub(render, text))
    if numbers:
        # Raw HTML, so that the glossary hook leaves the list alone (class trt-sources).
        built = posixpath.relpath("references", page.url.rstrip("/") or ".") + "/"
        items = "\n".join(
            f'<li>{html.escape(sources[key].citation_text())} '
            f'<a class="trt-source-link" href="{built}#ref-{key}">Details</a></li>'
            for key in numbers
        )
        markdown += f'\n\n## Sources {{#sources}}\n\n<ol class="trt-sources">\n{items}\n</ol>\n'
    return markdown


def outside_fences(markdown: str, transform) -> str:
    """Apply transform to the Markdown between fenced code blocks; code is left as written."""
    pieces, last = [], 0
    for fence in FENCE.finditer(markdown):
        pieces += [transform(markdown[last:fence.start()]), fence.group(0)]
        last = fence.end()
    return "".join(pieces) + transform(markdown[last:])


def references_html(page_src: str) -> str:
    items = []
    for key in sorted(sources, key=lambda k: (sources[k].authors.lower(), k)):
        places = cited_in.get(key, [])
        back = ", ".join(
            f'<a href="{html.escape(section_url(src, section, page_src))}">'
            f"{html.escape(page_label(src))}: {html.escape(title or 'top')}</a>"
            for src, section, title in places
        )
        cited = f'<br><span class="trt-cited-in">Cited in: {back}</span>' if back else ""
        items.append(f'<li id="ref-{key}">{sources[key].html()}{cited}</li>')
    return '<ol class="trt-bibliography">\n' + "\n".join(items) + "\n</ol>"


def section_url(src: str, section: str, page_src: str) -> str:
    """Built-site URL of a section, relative to the references page's own directory URL."""
    target = src.removesuffix(".md").removesuffix("index").rstrip("/") or "."
    return posixpath.relpath(target, page_src.removesuffix(".md")) + "/" + (f"#{section}" if section else "")


def page_label(src: str) -> str:
    tier, _, name = src.removesuffix(".md").partition("/")
    return f"{tier.title()} / {name.replace('-', ' ')}" if name else tier
