"""MkDocs hook: search ranking (guide/search.py) applied to Material's search.

- Per-page boosts are set as Material's `search.boost` in page.meta: here rather than in front
  matter, because chapters' front matter keys are checked by hooks.py and one rule in code keeps
  every page of a tier alike. The search plugin reads page.meta when it indexes the page
  (on_page_context), after this hook's on_page_markdown.
- Glossary entries get their own tags and boost in the written index (on_post_build runs after
  the search plugin's, since MkDocs runs hooks after plugins), and every entry's names go to the
  search worker (in the index) and to the no-results suggestions (search/glossary_names.json);
  see guide/search.py for why.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.exceptions import PluginError

from guide.glossary import GlossaryError, Term, load
from guide.search import NAMES_FILE, boost_for, rewrite_glossary_entries

GLOSSARY = Path("data/glossary.yaml")
terms: dict[str, Term] = {}


def on_config(config):
    terms.clear()
    try:
        terms.update(load(Path(config["config_file_path"]).parent / GLOSSARY))
    except GlossaryError as error:
        raise PluginError(str(error)) from None
    return config


def on_page_markdown(markdown, page, config, files):
    boost = boost_for(page.file.src_uri)
    if boost is None:
        return markdown
    search = page.meta.get("search") or {}
    if not isinstance(search, dict):
        raise PluginError(f"{page.file.src_uri}: front matter 'search' must be a mapping")
    page.meta["search"] = {"boost": boost, **search}
    return markdown


def on_post_build(config):
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    if not path.exists():  # search switched off
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    if rewrite_glossary_entries(index, terms) != len(terms):
        raise PluginError(f"{path}: not every glossary entry is in the search index")
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    # The same names for the page's no-results suggestions (search-level.js), in a file of their
    # own: a few kilobytes, fetched only when a query finds nothing.
    names = Path(config["site_dir"]) / NAMES_FILE
    names.write_text(json.dumps(index["config"]["glossary"], ensure_ascii=False,
                                separators=(",", ":")), encoding="utf-8")
