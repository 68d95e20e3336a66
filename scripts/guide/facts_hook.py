"""MkDocs hook: `[[fact: id]]` markers become the registered fact (guide.facts).

Runs after the figures hook has put figure captions into the page (their markers are expanded
here too) and before the citations hook turns the fact's `[@key]` into numbered links. An
unknown fact, a fact that no page or figure uses, or a fact citing a source missing from the
bibliography stops the build.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from guide import bibliography, facts
from guide.figures import FIGURES
from guide.hooks import page_tier

log = logging.getLogger("mkdocs.plugins.guide.facts")
registry: dict[str, facts.Fact] = {}


def on_config(config):
    root = Path(config["config_file_path"]).parent
    registry.clear()
    try:
        known = set(bibliography.load(root / "data/bibliography.yaml"))
        registry.update(facts.load(root / facts.FACTS, known))
    except (facts.FactsError, bibliography.BibliographyError) as error:
        raise PluginError(str(error)) from None
    return config


# Before the citations hook reads the pages (and stops on an unknown fact), so both are reported.
@event_priority(50)
def on_files(files, config):
    texts = [Path(file.abs_src_path).read_text(encoding="utf-8-sig")
             for file in files.documentation_pages()]
    texts += [path.read_text(encoding="utf-8")
              for path in sorted((Path(config["config_file_path"]).parent / FIGURES).glob("*.yaml"))]
    for fact_id in facts.unused(registry, texts):
        log.warning(f"{facts.FACTS}: fact '{fact_id}' is used by no page or figure "
                    "(insert it with [[fact: id]] where its number is stated, or remove it)")
    return files


@event_priority(50)
def on_page_markdown(markdown, page, config, files):
    try:
        return facts.expand(markdown, registry, page_tier(page.file.src_uri), page.file.src_uri)
    except facts.FactsError as error:
        raise PluginError(str(error)) from None
