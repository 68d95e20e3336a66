"""`[@key]` becomes a numbered link to /references/#ref-key, each page ends with its own list of
sources, and the references page is rendered from the bibliography with links back to every
section that cites each source (logic: guide.citations and guide.bibliography).

    markdown_extensions:
      - guide.extensions.citations:
          bibliography: data/bibliography.yaml   # relative to the folder above docs/ (the default)

An unknown key or a malformed marker stops the build naming the page; a source no page cites is
reported once per build.
"""

from __future__ import annotations

import html
import logging
from collections import defaultdict
from pathlib import Path

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from guide import citations, facts
from guide.bibliography import BibliographyError, Source, load
from guide.extensions import load_when_changed
from guide.extensions.facts import registry_at
from guide.glossary import GlossaryError
from guide.glossary import load as load_glossary
from guide.page_context import BuildStop, PageContext, page_context

log = logging.getLogger("mkdocs.plugins.guide.citations")
PRIORITY = 29.1  # after the facts and grades, which bring citations of their own
REFERENCES_PAGE = "references.md"
GLOSSARY, GLOSSARY_PAGE = Path("data/glossary.yaml"), "glossary.md"
CitedIn = dict[str, list[tuple[str, str, str]]]  # key -> [(page src_uri, section id, title)]


def site_citations(root: Path, docs_dir: Path, bibliography: Path) -> tuple[dict[str, Source], CitedIn]:
    """The bibliography and where each source is cited, read once per change of the sources."""
    # The generators' order: folder by folder, each folder's index page first.
    pages = sorted(docs_dir.rglob("*.md"), key=lambda p: tuple(
        "\0" if part in ("index.md", "README.md") else part for part in p.relative_to(docs_dir).parts))
    inputs = [bibliography, root / facts.FACTS, root / GLOSSARY, *pages]
    return load_when_changed("citations", inputs, lambda: read_citations(root, docs_dir, bibliography, pages))


def read_citations(root: Path, docs_dir: Path, bibliography: Path,
                   pages: list[Path]) -> tuple[dict[str, Source], CitedIn]:
    facts_file = root / facts.FACTS
    try:
        sources = load(bibliography)
        terms = load_glossary(root / GLOSSARY) if (root / GLOSSARY).exists() else {}
    except (BibliographyError, GlossaryError) as error:
        raise BuildStop(str(error)) from None
    registry = registry_at(facts_file) if facts_file.exists() else {}
    cited_in: CitedIn = defaultdict(list)
    for path in pages:
        src = path.relative_to(docs_dir).as_posix()
        tier = src.split("/", 1)[0] if "/" in src else None
        try:
            text = facts.expand(path.read_text(encoding="utf-8-sig"), registry, tier, src)
            found = citations.citations_by_section(text, src)
        except (facts.FactsError, citations.CitationError) as error:
            raise BuildStop(str(error)) from None
        for key, section_id, title in found:
            if key not in sources:
                raise BuildStop(f"{src}: unknown citation key '{key}' (not in {bibliography.name})")
            if (src, section_id, title) not in cited_in[key]:
                cited_in[key].append((src, section_id, title))
    for term in terms.values():
        for key in term.cited_keys:
            cited_in[key].append((GLOSSARY_PAGE, term.id, term.heading))
    for key in sorted(set(sources) - set(cited_in)):
        log.warning(f"data/bibliography.yaml: source '{key}' is not cited by any page "
                    "(cite it where its facts are used, or remove it)")
    return sources, cited_in


def render_page(markdown: str, page: PageContext, sources: dict[str, Source]) -> str:
    """The page's citations as numbered links, and its list of sources at the end."""
    numbers: dict[str, int] = {}
    references = page.markdown_link(REFERENCES_PAGE)

    def render(match) -> str:
        links = []
        for key in citations.cited_keys(match.group(1), page.src_uri):
            if key not in sources:
                raise citations.CitationError(f"{page.src_uri}: unknown citation key '{key}'")
            number = numbers.setdefault(key, len(numbers) + 1)
            title = sources[key].citation_text().replace('"', "'")
            # data-tip, not a title: tooltips.js shows it (docs/assets/tooltips.js says why).
            links.append(f'[{number}]({references}#ref-{key}){{ data-tip="{title}" }}')
        return '<sup class="cite">[' + ", ".join(links) + "]</sup>"

    markdown = citations.outside_fences(markdown, lambda text: citations.CITATION.sub(render, text))
    if numbers:
        # Raw HTML, so that the glossary leaves the list alone (class trt-sources).
        items = "\n".join(
            f"<li>{html.escape(sources[key].citation_text())} "
            f'<a class="trt-source-link" href="{page.html_link(f"{REFERENCES_PAGE}#ref-{key}")}">'
            "Details</a></li>"
            for key in numbers)
        markdown += f'\n\n## Sources {{#sources}}\n\n<ol class="trt-sources">\n{items}\n</ol>\n'
    return markdown


def references_html(page: PageContext, sources: dict[str, Source], cited_in: CitedIn) -> str:
    items = []
    for key in sorted(sources, key=lambda k: (sources[k].authors.lower(), k)):
        back = ", ".join(
            f'<a href="{html.escape(page.html_link(src + (f"#{section}" if section else "")))}">'
            f"{html.escape(citations.page_label(src))}: {html.escape(title or 'top')}</a>"
            for src, section, title in cited_in.get(key, []))
        cited = f'<br><span class="trt-cited-in">Cited in: {back}</span>' if back else ""
        items.append(f'<li id="ref-{key}">{sources[key].html()}{cited}</li>')
    return '<ol class="trt-bibliography">\n' + "\n".join(items) + "\n</ol>"


class CitationsPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, bibliography: str):
        super().__init__(md)
        self.bibliography = bibliography

    def run(self, lines: list[str]) -> list[str]:
        page = page_context(self.md)
        root = page.docs_dir.parent
        sources, cited_in = site_citations(root, page.docs_dir, root / self.bibliography)
        text = "\n".join(lines)
        if page.src_uri == REFERENCES_PAGE:
            return text.replace(citations.BIBLIOGRAPHY_MARKER,
                                references_html(page, sources, cited_in)).split("\n")
        try:
            return render_page(text, page, sources).split("\n")
        except citations.CitationError as error:
            raise BuildStop(str(error)) from None


class CitationsExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {"bibliography": ["data/bibliography.yaml",
                                        "the bibliography, relative to the folder above docs/"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(CitationsPreprocessor(md, self.getConfig("bibliography")),
                                  "guide-citations", PRIORITY)


def makeExtension(**kwargs) -> CitationsExtension:
    return CitationsExtension(**kwargs)
