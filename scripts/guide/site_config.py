"""Reading mkdocs.yml without MkDocs, for the code that runs under any generator.

MkDocs' own loader is not at hand under Zensical or in the post-build step, and a plain YAML
loader refuses the file's tags: `!ENV [NAME, default]` is read as MkDocs reads it, any other tag
(`!!python/name:...`) as nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml


class ConfigLoader(yaml.SafeLoader):
    pass


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> str | None:
    if isinstance(node, yaml.SequenceNode):
        names = loader.construct_sequence(node)
    else:
        names = [loader.construct_scalar(node)]
    *variables, default = names if len(names) > 1 else (*names, None)
    return next((os.environ[name] for name in variables if os.environ.get(name)), default)


ConfigLoader.add_constructor("!ENV", _env)
ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def load_config(path: Path) -> dict:
    """The configuration as a mapping; an unreadable or malformed file raises OSError/ValueError."""
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=ConfigLoader)
    except yaml.YAMLError as error:
        raise ValueError(str(error)) from None
    return config if isinstance(config, dict) else {}


def nav_entries(nav: object) -> list[tuple[str, str]]:
    """(source file, title) of every page in a `nav:` as written, in order; "" when untitled."""
    entries: list[tuple[str, str]] = []
    for item in nav if isinstance(nav, list) else []:
        if isinstance(item, str):
            entries.append((item, ""))
        elif isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    entries.append((value, str(title)))
                else:
                    entries += nav_entries(value)
    return entries
