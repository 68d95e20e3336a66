"""The safety statements a reader acts on are on the built pages, and corrected claims stay corrected."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, BuiltSite, chapter_sources, chapter_url

TIERS = ("fundamentals", "intermediate", "academic")
CHAPTERS = chapter_sources()


def article_text(built_site: BuiltSite, url: str) -> str:
    article = LexborHTMLParser(built_site.html(url)).css_first("article")
    return " ".join(article.text(separator=" ").split())


@pytest.mark.parametrize("source", CHAPTERS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_chapter__has_a_when_to_see_box(built_site: BuiltSite, source: Path) -> None:
    tree = LexborHTMLParser(built_site.html(chapter_url(source)))
    titles = [t.text(strip=True) for t in tree.css("article .admonition > .admonition-title")]
    boxes = [t for t in titles if t.startswith("When to see")]
    assert boxes, f"no admonition titled 'When to see ...' among {titles}"
    box = next(b for b in tree.css("article .admonition")
               if b.css_first(".admonition-title").text(strip=True).startswith("When to see"))
    assert len(box.css("li")) >= 3, "a 'When to see' box lists at least three triggers"


def test_online_check_workflow__is_scheduled_and_runs_the_readme_command() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/check-online.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["schedule"] and "cron" in triggers["schedule"][0]
    assert "workflow_dispatch" in triggers
    commands = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "make check-online" in commands
    readme = (ROOT / "README.md").read_text()
    assert "make check-online" in readme and "check-online.yml" in readme
    uploads = [step for job in workflow["jobs"].values() for step in job["steps"]
               if step.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads and uploads[0]["with"]["path"] == "data/sources.lock.json"
    assert uploads[0].get("if") == "always()", "the lock is kept also when the check fails"
