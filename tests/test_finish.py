"""The post-build step (guide.finish): what it completes on a built folder, under any generator,
and where it stops."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, BuiltSite
from guide.finish import main
from guide.same_site import differences

CONFIG = ["--config", str(ROOT / "mkdocs.yml")]
# What the step adds to a generator's output, removed again: the level switcher's section maps,
# chapters' print addresses and QR codes, the handout builder and its QR files, the redirect pages.
UNFINISHED = [
    (re.compile(r'data-trt-sections="[^"]*"'), 'data-trt-sections="{}"'),
    (re.compile(r'<svg class="trt-qr".*?</svg>', re.S), ""),
    (re.compile(r' data-print-url="[^"]*"'), ""),
    (re.compile(r'<div class="hb" id="handout-builder".*?\n</div>', re.S), "<!-- handout-builder -->"),
]


@pytest.fixture
def site_copy(built_site: BuiltSite, tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(built_site.root, copy)
    return copy


def unfinish(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for pattern, replacement in UNFINISHED:
            text = pattern.sub(replacement, text)
        page.write_text(text, encoding="utf-8")
    shutil.rmtree(site / "go")
    shutil.rmtree(site / "handout/qr")


def test_finish__completes_a_bare_build_as_the_mkdocs_build_does(built_site: BuiltSite, site_copy: Path,
                                                                  capsys: pytest.CaptureFixture) -> None:
    unfinish(site_copy)
    assert differences(built_site.root, site_copy) != []
    assert main([str(site_copy), *CONFIG]) == 0
    assert "completed" in capsys.readouterr().out
    assert differences(built_site.root, site_copy) == []
    # And what it wrote is right, not only the same as the build's own post-build step:
    public = "https://trt-fertility-guide.github.io/"
    chapter = (site_copy / "fundamentals/protecting-fertility/index.html").read_text(encoding="utf-8")
    assert re.search(r'href="\.\./\.\./intermediate/protecting-fertility/" data-trt-sections="\{[^"]*'
                     r'&quot;sperm-banking&quot;:&quot;sperm-banking&quot;', chapter)
    assert f'aria-label="QR code of {public}fundamentals/protecting-fertility/"' in chapter
    assert f'data-print-url="{public}fundamentals/restoring-fertility/' in chapter
    go = (site_copy / "go/sperm-banking/index.html").read_text(encoding="utf-8")
    assert ('location.replace("../../fundamentals/protecting-fertility/" + '
            '(location.hash || "#sperm-banking"))') in go
    assert (site_copy / "handout/qr/fundamentals/protecting-fertility/sperm-banking.svg").is_file()
    index = json.loads((site_copy / "search/search_index.json").read_text(encoding="utf-8"))
    boosts = {doc["location"]: doc.get("boost") for doc in index["docs"]}
    pages = ("fundamentals/protecting-fertility/", "intermediate/protecting-fertility/",
             "academic/protecting-fertility/", "glossary/", "")
    assert [boosts[page] for page in pages] == [1.6, 1.3, 1.0, 3.0, None]


def test_finish__a_second_run_changes_nothing(built_site: BuiltSite, site_copy: Path) -> None:
    assert main([str(site_copy), *CONFIG]) == 0
    assert differences(built_site.root, site_copy) == []


@pytest.mark.parametrize(("remove", "message"), [
    ("handout/index.html", "handout/index.html: missing; the handout builder goes there"),
    ("academic/restoring-fertility/index.html", "docs/academic/restoring-fertility.md was not built"),
    ("fundamentals/recovery-timeline/index.html", "fundamentals/recovery-timeline/index.html: missing"),
])
def test_finish__stops_naming_a_page_it_must_complete_that_is_missing(
        site_copy: Path, remove: str, message: str, capsys: pytest.CaptureFixture) -> None:
    (site_copy / remove).unlink()
    assert main([str(site_copy), *CONFIG]) == 1
    assert message in capsys.readouterr().err


def test_finish__stops_when_the_handout_page_lacks_its_marker(site_copy: Path, capsys) -> None:
    page = site_copy / "handout/index.html"
    page.write_text(re.sub(UNFINISHED[-1][0], "", page.read_text(encoding="utf-8")), encoding="utf-8")
    assert main([str(site_copy), *CONFIG]) == 1
    assert "lacks <!-- handout-builder -->" in capsys.readouterr().err


def test_finish__not_a_folder_is_one_line_not_a_traceback(tmp_path: Path, capsys) -> None:
    assert main([str(tmp_path / "nowhere"), *CONFIG]) == 1
    assert capsys.readouterr().err.strip().endswith("not a folder (build the site first)")
