"""Link previews: every page says what it is (description, Open Graph, Twitter card) and names
its public address (canonical, og:url), also when site_url is another address (mkdocs serve)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from conftest import BuiltSite, build, copy_project

# The public address the build uses: mkdocs.yml reads extra.public_url from SITE_URL too.
PUBLIC = os.environ.get("SITE_URL", "https://trt-fertility-guide.github.io/").rstrip("/") + "/"
DEV = "http://127.0.0.1:8000/"


def front_matter(source: Path) -> dict:
    text = source.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1]) if text.startswith("---\n") else {}


def site_pages(site: Path) -> list[Path]:
    """Every page built from docs/: not the 404 page, not the redirect stubs of moved pages."""
    return sorted(
        page for page in site.rglob("index.html")
        if 'http-equiv="refresh"' not in page.read_text(encoding="utf-8")
    )


def preview(page: Path) -> dict[str, str | None]:
    tree = LexborHTMLParser(page.read_text(encoding="utf-8"))

    def content(selector: str) -> str | None:
        node = tree.css_first(selector)
        return node.attributes.get("content") if node else None

    canonical = tree.css_first('link[rel="canonical"]')
    return {
        "description": content('meta[name="description"]'),
        "og:type": content('meta[property="og:type"]'),
        "og:site_name": content('meta[property="og:site_name"]'),
        "og:title": content('meta[property="og:title"]'),
        "og:description": content('meta[property="og:description"]'),
        "og:url": content('meta[property="og:url"]'),
        "twitter:card": content('meta[name="twitter:card"]'),
        "twitter:title": content('meta[name="twitter:title"]'),
        "twitter:description": content('meta[name="twitter:description"]'),
        "canonical": canonical.attributes.get("href") if canonical else None,
        "count:canonical": str(len(tree.css('link[rel="canonical"]'))),
    }


def url_of(site: Path, page: Path) -> str:
    path = page.parent.relative_to(site).as_posix()
    return "" if path == "." else path + "/"


def assert_preview(site: Path, page: Path, public: str, description: str) -> None:
    meta = preview(page)
    address = public + url_of(site, page)
    assert meta["canonical"] == meta["og:url"] == address, (page, meta)
    assert meta["count:canonical"] == "1"
    assert meta["description"] == meta["og:description"] == meta["twitter:description"] == description
    assert meta["og:title"] and meta["og:title"] == meta["twitter:title"]
    assert meta["og:site_name"] == "TRT Fertility Guide"
    assert meta["og:type"] in ("article", "website")
    assert meta["twitter:card"] == "summary"


@pytest.fixture(scope="module")
def site_description() -> str:
    config = (Path(__file__).resolve().parents[1] / "mkdocs.yml").read_text(encoding="utf-8")
    start = config.index("site_description: >-\n") + len("site_description: >-\n")
    lines = []
    for line in config[start:].splitlines():
        if not line.startswith("  "):
            break
        lines.append(line.strip())
    return " ".join(lines)


def test_meta__every_page_has_a_preview_on_the_public_address(
    built_site: BuiltSite, site_description: str
) -> None:
    docs = Path(__file__).resolve().parents[1] / "docs"
    pages = site_pages(built_site.root)
    assert len(pages) > 20
    for page in pages:
        url = url_of(built_site.root, page)
        source = next(p for p in (docs / (url.rstrip("/") + ".md"), docs / url / "index.md")
                      if p.exists())
        description = front_matter(source).get("description") or site_description
        assert_preview(built_site.root, page, PUBLIC, " ".join(str(description).split()))


def test_meta__chapter_preview_names_its_level(built_site: BuiltSite) -> None:
    fundamentals = preview(built_site.page("fundamentals/protecting-fertility/"))
    academic = preview(built_site.page("academic/protecting-fertility/"))
    assert fundamentals["og:title"].endswith("(Fundamentals)")
    assert academic["og:title"].endswith("(Academic)")
    assert fundamentals["og:type"] == "article"
    assert preview(built_site.page("glossary/"))["og:type"] == "website"


def test_meta__public_address_wins_when_site_url_is_the_dev_server(tmp_path: Path) -> None:
    """What `mkdocs serve` does: site_url becomes the dev address; previews keep the public one."""
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    text, count = re.subn(r"(?m)^site_url: .*$", f"site_url: {DEV}", config.read_text(encoding="utf-8"))
    assert count == 1
    config.write_text(text, encoding="utf-8")
    result = build(project, tmp_path / "built")
    assert result.returncode == 0, result.stderr
    page = tmp_path / "built" / "fundamentals" / "protecting-fertility" / "index.html"
    meta = preview(page)
    address = PUBLIC + "fundamentals/protecting-fertility/"
    assert meta["canonical"] == meta["og:url"] == address
    assert DEV not in page.read_text(encoding="utf-8").split("</head>")[0]
