"""The project's per-page work as Python-Markdown extensions, configured under
`markdown_extensions:` in mkdocs.yml, so that any generator that runs Python-Markdown (MkDocs,
ProperDocs, Zensical) renders the project's markers. Each module is one extension with
`makeExtension`; the logic lives in the `guide` module it names."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from guide.page_context import BuildStop

T = TypeVar("T")
_cache: dict[tuple[str, tuple[Path, ...]], tuple[tuple, object]] = {}


def load_when_changed(name: str, inputs: Iterable[Path], load: Callable[[], T],
                      errors: tuple[type[Exception], ...] = ()) -> T:
    """`load()` once per build, and again only when one of its input files changed (`mkdocs
    serve` rebuilds in the same process). An error of the given types stops the build."""
    paths = tuple(inputs)
    stamp = tuple(p.stat().st_mtime if p.exists() else None for p in paths)
    key = (name, paths)
    if key not in _cache or _cache[key][0] != stamp:
        try:
            _cache[key] = (stamp, load())
        except errors as error:
            raise BuildStop(str(error)) from None
    return _cache[key][1]  # type: ignore[return-value]
