"""Which page a Python-Markdown extension is rendering, under whichever generator runs it.

Python-Markdown gives an extension the text, not the page. The project's extensions need the
page's source path (to write relative links) and the docs folder (to read the other pages). Each
generator leaves them somewhere on the Markdown instance; this module is the one place that knows
where, so the extensions themselves stay generator-neutral:

- MkDocs 1.6 and ProperDocs register a tree processor named "relpath" that holds the page's
  `File` (`src_uri`) and the config (`docs_dir`);
- Zensical registers a `ContextPreprocessor` holding its `Page` (`path`, `url`) and config.

Links also differ: MkDocs rewrites links to `.md` files written as Markdown, but leaves raw HTML
as it is, so raw HTML must link from the built page's URL; Zensical resolves raw HTML links
against the Markdown source file.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from markdown import Markdown


class NoPageContext(LookupError):
    """The Markdown instance was not set up by a generator this module knows."""


@dataclass(frozen=True)
class PageContext:
    src_uri: str  # "fundamentals/why-trt-lowers-sperm.md", relative to the docs folder
    docs_dir: Path
    raw_links_from_source: bool  # True where raw HTML links resolve against the source file
    nav: object = None  # the configuration's `nav:` as written, if any

    @property
    def tier(self) -> str | None:
        top, _, rest = self.src_uri.partition("/")
        return top if rest and top in ("fundamentals", "intermediate", "academic") else None

    def markdown_link(self, target_src: str) -> str:
        """A Markdown link target to another source file (`references.md#ref-x`), relative to
        this one: every generator rewrites it to the built page."""
        path, _, fragment = target_src.partition("#")
        relative = posixpath.relpath(path, posixpath.dirname(self.src_uri) or ".")
        return relative + (f"#{fragment}" if fragment else "")

    def html_link(self, target_src: str) -> str:
        """An href for raw HTML pointing at another source file's built page."""
        if self.raw_links_from_source:
            return self.markdown_link(target_src)
        path, _, fragment = target_src.partition("#")
        target_url = built_url(path)
        here = built_url(self.src_uri)
        relative = posixpath.relpath(target_url or ".", here.rstrip("/") or ".")
        relative = "" if relative == "." else relative + "/"
        return (relative or "./") + (f"#{fragment}" if fragment else "")


def built_url(src_uri: str) -> str:
    """The directory URL a source file is built to: "a/b.md" -> "a/b/", "a/index.md" -> "a/"."""
    stem = src_uri.removesuffix(".md")
    if posixpath.basename(stem) in ("index", "README"):
        stem = posixpath.dirname(stem)
    return f"{stem}/" if stem else ""


def page_context(md: Markdown) -> PageContext:
    relpath = md.treeprocessors["relpath"] if "relpath" in md.treeprocessors else None  # noqa: SIM401
    file = getattr(relpath, "file", None)
    if file is not None:
        return PageContext(file.src_uri, Path(relpath.config["docs_dir"]), raw_links_from_source=False,
                           nav=relpath.config.get("nav"))
    for processor in md.preprocessors:
        page = getattr(processor, "page", None)
        config = getattr(processor, "config", None)
        if type(processor).__name__ == "ContextPreprocessor" and page is not None and config:
            return PageContext(str(page.path).replace("\\", "/"), Path(config["docs_dir"]),
                               raw_links_from_source=True, nav=config.get("nav"))
    raise NoPageContext("this Markdown instance was not set up by MkDocs, ProperDocs or Zensical")


try:  # MkDocs prints a PluginError as one line and stops; other generators show the message
    from mkdocs.exceptions import PluginError as _Stop
except ImportError:  # pragma: no cover - a generator without MkDocs installed
    _Stop = RuntimeError


class BuildStop(_Stop):
    """A page cannot be rendered as written; the message names the page and the fault."""
