"""The project's Markdown extensions, run by Python-Markdown alone (no generator), with the page
context each generator provides: MkDocs' "relpath" tree processor or Zensical's context
preprocessor (guide.page_context)."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import markdown
import pytest
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from conftest import ROOT
from guide.page_context import BuildStop, NoPageContext, PageContext, built_url, page_context

EXTENSIONS = ["attr_list", "guide.extensions.facts", "guide.extensions.evidence",
              "guide.extensions.citations"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's data beside a docs folder of three small pages."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "data", root / "data")
    pages = {
        "fundamentals/why-trt-lowers-sperm.md": "## Numbers {#numbers}\n\nRecovery took "
                                                "[[fact: liu2006-median-recovery]]. See [@liu2006].\n",
        "academic/why-trt-lowers-sperm.md": "## Numbers {#numbers}\n\nRecovery took "
                                            "[[fact: liu2006-median-recovery]].\n",
        "references.md": "# References\n\n<!-- bibliography -->\n",
    }
    for name, text in pages.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text)
    return root


@dataclass
class FakeFile:
    src_uri: str


class MkDocsRelpath(Treeprocessor):
    """What MkDocs 1.6 and ProperDocs register: the page's File and the config."""

    def __init__(self, md, src_uri: str, docs_dir: Path):
        super().__init__(md)
        self.file, self.config = FakeFile(src_uri), {"docs_dir": str(docs_dir)}

    def run(self, root):
        return None


@dataclass
class ZensicalPage:
    path: str
    url: str


class ContextPreprocessor(Preprocessor):
    """What Zensical registers (zensical.extensions.context): its Page and its config."""

    def __init__(self, md, path: str, docs_dir: Path):
        super().__init__(md)
        self.page, self.config = ZensicalPage(path, built_url(path)), {"docs_dir": str(docs_dir)}

    def run(self, lines):
        return lines


def render(project: Path, src_uri: str, text: str, generator: str = "mkdocs") -> str:
    md = markdown.Markdown(extensions=EXTENSIONS)
    if generator == "mkdocs":
        md.treeprocessors.register(MkDocsRelpath(md, src_uri, project / "docs"), "relpath", 0)
    else:
        md.preprocessors.register(ContextPreprocessor(md, src_uri, project / "docs"), "rendering_context", 0)
    return md.convert(text)


def test_page_context__found_under_each_generator_and_missing_otherwise(project: Path) -> None:
    for generator, from_source in (("mkdocs", False), ("zensical", True)):
        md = markdown.Markdown()
        if generator == "mkdocs":
            md.treeprocessors.register(MkDocsRelpath(md, "academic/x.md", project / "docs"), "relpath", 0)
        else:
            md.preprocessors.register(ContextPreprocessor(md, "academic/x.md", project / "docs"), "ctx", 0)
        context = page_context(md)
        assert (context.src_uri, context.tier, context.raw_links_from_source) == ("academic/x.md", "academic",
                                                                                  from_source)
    with pytest.raises(NoPageContext):
        page_context(markdown.Markdown())


@pytest.mark.parametrize(("src", "target", "markdown_link", "mkdocs_html", "zensical_html"), [
    ("fundamentals/a.md", "references.md#ref-x", "../references.md#ref-x", "../../references/#ref-x",
     "../references.md#ref-x"),
    ("index.md", "references.md#ref-x", "references.md#ref-x", "references/#ref-x", "references.md#ref-x"),
    ("references.md", "academic/b.md#s", "academic/b.md#s", "../academic/b/#s", "academic/b.md#s"),
    ("references.md", "academic/index.md", "academic/index.md", "../academic/", "academic/index.md"),
])
def test_links__markdown_links_from_the_source_raw_html_as_each_generator_resolves_it(
        src: str, target: str, markdown_link: str, mkdocs_html: str, zensical_html: str) -> None:
    assert PageContext(src, Path("docs"), False).markdown_link(target) == markdown_link
    assert PageContext(src, Path("docs"), False).html_link(target) == mkdocs_html
    assert PageContext(src, Path("docs"), True).html_link(target) == zensical_html


@pytest.mark.parametrize("generator", ["mkdocs", "zensical"])
def test_facts_and_citations__render_by_tier_with_numbered_links_and_sources(
        project: Path, generator: str) -> None:
    html = render(project, "fundamentals/why-trt-lowers-sperm.md",
                  (project / "docs/fundamentals/why-trt-lowers-sperm.md").read_text(), generator)
    assert "[[fact:" not in html and "[@" not in html
    assert "3.4 months for half of these healthy volunteers" in html  # the plain form
    markers = re.findall(r'<sup class="cite">\[(.*?)\]</sup>', html)
    links = [re.search(r'href="([^"]+)"', marker).group(1) for marker in markers]
    assert links == ["../references.md#ref-liu2006"] * 2, links  # one source, one number
    assert [re.search(r">(\d+)</a>", marker).group(1) for marker in markers] == ["1", "1"]
    sources = re.search(r'<ol class="trt-sources">(.*?)</ol>', html, re.S).group(1)
    expected = "../../references/#ref-liu2006" if generator == "mkdocs" else "../references.md#ref-liu2006"
    assert f'href="{expected}"' in sources
    academic = render(project, "academic/why-trt-lowers-sperm.md", "[[fact: liu2006-median-recovery]]",
                      generator)
    assert "a median of 3.4 months in healthy volunteers" in academic


def test_references_page__lists_each_source_with_the_sections_citing_it(project: Path) -> None:
    html = render(project, "references.md", "<!-- bibliography -->\n")
    entry = re.search(r'<li id="ref-liu2006">.*?</li>', html, re.S).group(0)
    assert 'href="../fundamentals/why-trt-lowers-sperm/#numbers"' in entry
    assert 'href="../academic/why-trt-lowers-sperm/#numbers"' in entry  # cited through a fact
    assert html.count('<li id="ref-') > 50


def test_evidence__grade_label_links_to_the_explanation(project: Path) -> None:
    html = render(project, "academic/x.md",
                  "Both assessed [[grade: AUA/ASRM | Expert Opinion]][@schlegel2021_p1_fs].")
    assert 'class="trt-grade"' in html and 'href="../about/editorial-policy.md#evidence-grades"' in html
    assert "AUA/ASRM: Expert Opinion" in html


@pytest.mark.parametrize(("text", "message"), [
    ("[[fact: no-such-fact]]", "unknown fact 'no-such-fact'"),
    ("See [@nosuch2099].", "unknown citation key 'nosuch2099'"),
    ("See [@liu2006, who1990].", "malformed citation"),
    ("Do X [[grade: AUA/ASRM | Grade Z]][@liu2006].", "academic/x.md"),
])
def test_extensions__stop_the_build_naming_the_page_and_the_fault(
        project: Path, text: str, message: str) -> None:
    with pytest.raises(BuildStop, match=re.escape(message)):
        render(project, "academic/x.md", text)


@pytest.mark.parametrize("fence", ["```", "~~~"])
def test_markers_in_code__left_as_written(project: Path, fence: str) -> None:
    html = render(project, "academic/x.md", f"{fence}\n[@liu2006] [[fact: x]] [[grade: x]]\n{fence}\n")
    assert "[@liu2006] [[fact: x]] [[grade: x]]" in html


def glossary_render(project: Path, src_uri: str, text: str, generator: str = "mkdocs") -> str:
    md = markdown.Markdown(extensions=[*EXTENSIONS, "guide.extensions.glossary", "toc"])
    if generator == "mkdocs":
        md.treeprocessors.register(MkDocsRelpath(md, src_uri, project / "docs"), "relpath", 0)
    else:
        md.preprocessors.register(ContextPreprocessor(md, src_uri, project / "docs"), "rendering_context", 0)
    return md.convert(text)


@pytest.mark.parametrize(("generator", "href"), [("mkdocs", "../../glossary/#fsh"),
                                                 ("zensical", "../glossary.md#fsh")])
def test_glossary__first_use_of_a_term_links_to_its_entry_with_its_definition(
        project: Path, generator: str, href: str) -> None:
    html = glossary_render(project, "fundamentals/why-trt-lowers-sperm.md",
                           "## A {#a}\n\nFSH and FSH again.\n", generator)
    links = re.findall(r'<a class="trt-term" href="([^"]+)" data-tip="([^"]+)"', html)
    assert [link[0] for link in links] == [href]  # the first use only
    assert links[0][1].startswith("FSH (follicle-stimulating hormone):")


def test_glossary__page_rendered_from_the_data_with_stable_ids(project: Path) -> None:
    html = glossary_render(project, "glossary.md", "# Glossary\n\n<!-- glossary -->\n")
    assert 'id="fsh"' in html and 'id="post-cycle-therapy"' in html
    assert 'class="trt-az"' in html


def test_glossary__an_abbreviation_the_glossary_lacks_stops_the_build(tmp_path: Path, project: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(project, root)
    (root / "docs/fundamentals/new.md").write_text("Wibble wobble hormone (WWH) rises.\n")
    with pytest.raises(BuildStop, match=re.escape("fundamentals/new.md: glossary has no entry for WWH")):
        glossary_render(root, "fundamentals/new.md", "text")


def figure_render(project: Path, src_uri: str, text: str) -> str:
    md = markdown.Markdown(extensions=[*EXTENSIONS, "guide.extensions.figures", "guide.extensions.glossary",
                                      "toc"])
    md.treeprocessors.register(MkDocsRelpath(md, src_uri, project / "docs"), "relpath", 0)
    return md.convert(text)


def test_figures__marker_becomes_a_cited_drawn_figure_kept_out_of_search(project: Path) -> None:
    html = figure_render(project, "fundamentals/x.md",
                         "## A {#a}\n\nText.\n\n<!-- figure: recovery -->\n\nMore.\n")
    figure = re.search(r'<figure class="trt-figure.*?</figure>', html, re.S).group(0)
    assert '<div class="trt-figure__art" data-search-exclude><svg' in figure
    assert "<figcaption>" in figure and "#ref-liu2006" in figure  # the caption's citation rendered
    assert 'class="trt-term"' not in figure.split("<figcaption>")[0]  # labels never linked


def test_figures__outside_a_chapter_or_unknown_stops_the_build(project: Path) -> None:
    with pytest.raises(BuildStop, match="figures belong on chapter pages"):
        figure_render(project, "about/x.md", "<!-- figure: recovery -->\n")
    with pytest.raises(BuildStop, match="no figure 'nope'"):
        figure_render(project, "fundamentals/x.md", "<!-- figure: nope -->\n")


def test_aliases__an_old_id_lands_inside_the_renamed_heading(project: Path, tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(project, root)
    (root / "data/redirects.yaml").write_text(
        "renamed_sections:\n  fundamentals/why-trt-lowers-sperm.md:\n    old-numbers: numbers\n")
    md = markdown.Markdown(extensions=["attr_list", "toc", "guide.extensions.aliases"])
    md.treeprocessors.register(MkDocsRelpath(md, "fundamentals/why-trt-lowers-sperm.md", root / "docs"),
                               "relpath", 0)
    html = md.convert("## Numbers {#numbers}\n\nText.\n")
    assert '<h2 id="numbers"><span class="trt-alias" id="old-numbers"></span>Numbers</h2>' in html
    with pytest.raises(BuildStop, match="has no element with id 'numbers'"):
        md.reset().convert("## Other {#other}\n")


@pytest.mark.parametrize("generator", ["mkdocs", "zensical"])
def test_short_links__marker_becomes_the_table_of_addresses_and_sections(project: Path,
                                                                        generator: str) -> None:
    md = markdown.Markdown(extensions=["tables", "guide.extensions.short_links"],
                           extension_configs={"guide.extensions.short_links": {"site_url": "https://x.org"}})
    nav = [{"Fundamentals": [{"Protecting fertility": "fundamentals/protecting-fertility.md"}]}]
    if generator == "mkdocs":
        context = MkDocsRelpath(md, "about/linking.md", ROOT / "docs")
        md.treeprocessors.register(context, "relpath", 0)
    else:
        context = ContextPreprocessor(md, "about/linking.md", ROOT / "docs")
        md.preprocessors.register(context, "rendering_context", 0)
    context.config["nav"] = nav
    html = md.convert("Before.\n\n<!-- short-links -->\n\nAfter.\n")
    assert "<code>https://x.org/go/sperm-banking/</code>" in html
    assert ('<a href="../fundamentals/protecting-fertility.md#sperm-banking">Fundamentals - Protecting '
            "fertility - Sperm banking</a>") in html
    assert html.count("<tr>") == 1 + 6 and "<!-- short-links -->" not in html
    assert md.reset().convert("No marker.") == "<p>No marker.</p>"
