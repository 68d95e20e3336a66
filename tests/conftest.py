"""Shared fixtures: the site is built once per test session, strictly, and served once."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis' per-example deadline is a timed test in disguise: on a loaded 2-core machine a file
# written to disk can take 400 ms. Correctness is what the property tests assert; speed is benchmarked.
settings.register_profile("project", deadline=None)
settings.load_profile("project")

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("mkdocs.yml", "data", "docs", "overrides", "scripts", "published-links.txt")


@dataclass(frozen=True)
class BuiltSite:
    root: Path
    log: str

    def page(self, url: str) -> Path:
        """The HTML file behind a site-relative directory URL such as 'fundamentals/x/'."""
        return self.root / url / "index.html"

    def html(self, url: str) -> str:
        return self.page(url).read_text(encoding="utf-8")


def build(project: Path, dest: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` (never with -q: quiet mode hides the warnings strict counts)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict",
         "-f", str(project / "mkdocs.yml"), "-d", str(dest)],
        capture_output=True, text=True, env=env, check=False,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    dest = tmp_path_factory.mktemp("site")
    result = build(ROOT, dest)
    assert result.returncode == 0, result.stderr
    return BuiltSite(dest, result.stderr)


def copy_project(dest: Path) -> Path:
    """A copy of the project's sources in dest, to change and build without touching the real one."""
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, dest / part)
    return dest


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A throwaway copy of the project's sources, for tests that break them on purpose."""
    return copy_project(tmp_path)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """A folder served over real HTTP on 127.0.0.1; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def site_server(built_site: BuiltSite) -> Iterator[str]:
    with serve(built_site.root) as base_url:
        yield base_url


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright; the tests never download a browser."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run .ci/run or `apt-get install chromium`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def decode_qr(element) -> str:
    """The text of the one QR code in a screenshot of a page element (Playwright locator)."""
    import io

    import zxingcpp
    from PIL import Image

    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(element.screenshot())))
    assert len(results) == 1
    return results[0].text


def chapter_sources() -> list[Path]:
    """Every chapter's Markdown source: the pages of a tier folder other than its index."""
    from guide.chapters import TIERS

    return sorted(
        path for tier in TIERS for path in (ROOT / "docs" / tier).glob("*.md")
        if path.name != "index.md"
    )


def chapter_url(source: Path) -> str:
    return f"{source.parent.name}/{source.stem}/"


SECTION_POSITION = """id => {
    const heading = document.getElementById(id);
    const header = document.querySelector(".md-header");
    return {top: heading.getBoundingClientRect().top,
            header_bottom: header.getBoundingClientRect().bottom,
            height: window.innerHeight};
}"""


def section_position(page, element_id: str) -> dict:
    """Where an element sits in the viewport, once the browser has stopped scrolling to it.

    Browsers scroll to a #fragment while the page loads and again when it has loaded, so the
    position is read until two readings 50 ms apart agree. (A timer, not requestAnimationFrame,
    which never fires in a page whose scripts are off.)
    """
    previous = None
    for _ in range(20):
        page.wait_for_timeout(50)
        position = page.evaluate(SECTION_POSITION, element_id)
        if position == previous:
            return position
        previous = position
    return previous


AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA: the level the site promises.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page, tags: list[str] = AXE_TAGS) -> list[dict]:
    """axe-core's violations on the page as loaded, each as {id, impact, help, targets}.

    axe is injected from node_modules (installed by `make setup`), never from another host.
    """
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE} is missing: run `make setup` (npm ci)")
    page.add_script_tag(path=str(AXE_SOURCE))
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags}})
            .then(r => r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
                count: v.nodes.length})))""",
        tags,
    )
    return result
