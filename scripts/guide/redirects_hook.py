"""MkDocs hook: old addresses keep working, and short links lead to single sections.

`data/redirects.yaml` (see guide.redirects) lists
- moved_pages: an old page address and the page that now holds it; the build writes a small
  page at the old address that sends the reader on, keeping their #section;
- renamed_sections: page -> {old id: new id}; the old id stays on the page as an empty element
  inside the new heading, so an old link lands on the section with or without JavaScript;
- short_links: go/<name>/ and the section it opens; the table of short links on the page that
  holds SHORT_LINKS_MARKER is generated from the same list, so it never goes stale.

The build stops on anything it cannot honour: a missing page or section, an old address that is
also a current page, an old id that is still in use on its page.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import lxml.html
from mkdocs.exceptions import PluginError

from guide.redirects import Redirects, RedirectsError, Section, load, redirect_page

REDIRECTS = Path("data/redirects.yaml")
SHORT_LINKS_MARKER = "<!-- short-links -->"
HEADING = re.compile(r"^#{2,6} +(.+?) +\{#([A-Za-z0-9_-]+)\}\s*$", re.M)

redirects = Redirects()
titles: dict[str, str] = {}  # page src -> nav title
page_urls: dict[str, str] = {}  # page src -> its site-relative URL
state = {"table_rendered": False}


def on_config(config):
    global redirects
    try:
        redirects = load(Path(config["config_file_path"]).parent / REDIRECTS)
    except RedirectsError as error:
        raise PluginError(str(error)) from None
    return config


def on_files(files, config):
    page_urls.clear()
    page_urls.update({file.src_uri: file.url for file in files.documentation_pages()})
    pages = page_urls.keys()
    targets = [(f"{REDIRECTS}: {r.address}", r.target.src) for r in redirects.pages()]
    targets += [(f"{REDIRECTS}: renamed_sections", src) for src in redirects.renamed_sections]
    for where, src in targets:
        if src not in pages:
            raise PluginError(f"{where}: no page docs/{src}")
    taken = {file.dest_uri for file in files}
    for redirect in redirects.pages():
        if redirect.address + "index.html" in taken:
            raise PluginError(f"{REDIRECTS}: '{redirect.address}' is a current page; "
                              "a redirect there would hide it")
    state["table_rendered"] = False
    return files


def on_nav(nav, config, files):
    titles.clear()
    titles.update({page.file.src_uri: page.title for page in nav.pages if page.title})
    return nav


def section_title(docs_dir: str, src: str, section_id: str) -> str:
    markdown = (Path(docs_dir) / src).read_text(encoding="utf-8-sig")
    return next((title for title, found in HEADING.findall(markdown) if found == section_id), "")


def short_links_table(page_src: str, config) -> str:
    site_url = (config["site_url"] or "/").rstrip("/") + "/"
    rows = ["| Short link | Opens |", "| --- | --- |"]
    for name, target in redirects.short_links.items():
        page_title = titles.get(target.src, target.src)
        section = section_title(config["docs_dir"], target.src, target.fragment) if target.fragment else ""
        tier = target.src.split("/", 1)[0].title() if "/" in target.src else ""
        label = " - ".join(part for part in (tier, page_title, section) if part)
        link = posixpath.relpath(str(target), posixpath.dirname(page_src) or ".")
        rows.append(f"| `{site_url}go/{name}/` | [{label}]({link}) |")
    return "\n".join(rows)


def on_page_markdown(markdown, page, config, files):
    if SHORT_LINKS_MARKER in markdown:
        state["table_rendered"] = True
        return markdown.replace(SHORT_LINKS_MARKER, short_links_table(page.file.src_uri, config))
    return markdown


def page_sections(path: Path) -> tuple[set[str], list[Section]]:
    """Every id on a built page, and its ## and ### sections in order."""
    root = lxml.html.document_fromstring(path.read_text(encoding="utf-8"))
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    sections = [Section(heading.get("id"), heading_text(heading))
                for heading in root.xpath("//article//*[self::h2 or self::h3][@id]")]
    # An old id of a renamed section leads to the same heading under its old name.
    sections += [Section(alias.get("id"), heading_text(alias.getparent()))
                 for alias in root.xpath("//article//span[@class='trt-alias'][@id]")]
    return ids, sections


def heading_text(heading) -> str:
    return heading.text_content().replace("\u00b6", "").strip()


def on_post_build(config):
    if redirects.short_links and not state["table_rendered"]:
        raise PluginError(f"{REDIRECTS} has short links, but no page holds {SHORT_LINKS_MARKER} "
                          "to list them for readers")
    site_dir = Path(config["site_dir"])
    for redirect in redirects.pages():
        target = redirect.target
        target_url = page_urls[target.src]
        ids, sections = page_sections(site_dir / target_url / "index.html")
        if target.fragment and target.fragment not in ids:
            raise PluginError(f"{REDIRECTS}: {redirect.address} -> {target}: the page has no "
                              f"section '{target.fragment}'")
        title = titles.get(target.src, target.src)
        if target.fragment:
            title = next((s.title for s in sections if s.id == target.fragment), title)
        out = site_dir / redirect.address / "index.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(redirect_page(redirect, target_url, title, sections, config["site_name"],
                                     config["site_url"], config["extra"].get("content_security_policy", "")),
                       encoding="utf-8")

