"""The site builds the same under MkDocs and ProperDocs (its drop-in continuation), generator
meta aside, so that moving off MkDocs 1.x changes nothing a reader sees."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, BuiltSite
from guide.same_site import Difference, differences, main


def test_properdocs_build__equals_the_mkdocs_build(built_site: BuiltSite, tmp_path: Path) -> None:
    dest = tmp_path / "site-properdocs"
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
         "-d", str(dest)], capture_output=True, text=True, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    assert differences(built_site.root, dest) == []


def test_differences__generator_meta_ignored_anything_else_reported(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for root, generator, text in ((first, "mkdocs-1.6.1", "Same"), (second, "ProperDocs 1.6.7", "Same")):
        (root / "p").mkdir(parents=True)
        (root / "p/index.html").write_text(f'<meta name="generator" content="{generator}">\n<p>{text}</p>')
    assert differences(first, second) == []
    (second / "p/index.html").write_text('<meta name="generator" content="x">\n<p>Other</p>')
    (second / "extra.html").write_text("")
    assert differences(first, second) == [Difference("extra.html", f"only in {second}"),
                                          Difference("p/index.html", "differs from line 2")]
    assert main([str(first), str(second)]) == 1
    assert main([str(first)]) == 2
