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


def tier_text(built_site: BuiltSite, tier: str) -> str:
    return " ".join(article_text(built_site, chapter_url(s)) for s in CHAPTERS if s.parent.name == tier)


NOT_CONTRACEPTION = re.compile(r"\bnot (?:a reliable |reliable )?(?:birth control|contraception|contraceptive)\b",
                               re.I)
ANY_TIME = re.compile(r"\bmay want (?:children|a child) at any time\b", re.I)


@pytest.mark.parametrize("tier", TIERS)
def test_tier__says_trt_is_not_birth_control(built_site: BuiltSite, tier: str) -> None:
    for chapter in ("why-trt-lowers-sperm", "protecting-fertility"):
        text = article_text(built_site, f"{tier}/{chapter}/")
        assert NOT_CONTRACEPTION.search(text), f"{tier}/{chapter}: no 'TRT is not birth control' statement"
        assert "11 men" in text or "about 1 in 3" in text or "about a third" in text, (
            f"{tier}/{chapter}: the statement gives no evidence (WHO 1990)")


@pytest.mark.parametrize("tier", TIERS)
def test_tier__advises_men_who_may_want_children_at_any_time(built_site: BuiltSite, tier: str) -> None:
    text = tier_text(built_site, tier)
    assert ANY_TIME.search(text), f"{tier}: no statement for men who may want children at any time"


WHO_LIMITS = ("15 million", "39 million", "40%", "16 million", "42%")


@pytest.mark.parametrize("tier", TIERS)
def test_timeline_chapter__gives_who_semen_limits_and_sample_variation(built_site: BuiltSite, tier: str) -> None:
    text = article_text(built_site, f"{tier}/recovery-timeline/")
    missing = [value for value in WHO_LIMITS if value not in text]
    assert not missing, f"{tier}/recovery-timeline: WHO limits missing: {missing}"
    assert re.search(r"at least (?:2|two) (?:samples|analyses)", text), "no word on sample-to-sample variation"


SPERMATOGENESIS = "about 64 days (a little over two months), and the time varies between men: 42 to 76 days"


@pytest.mark.parametrize("tier", TIERS)
def test_spermatogenesis_length__same_wording_and_primary_sources_in_every_tier(
        built_site: BuiltSite, tier: str) -> None:
    text = tier_text(built_site, tier)
    assert SPERMATOGENESIS in text
    assert "two to two and a half months" not in text


# Corrections from the medical review: each wrong claim, as it was worded, must not come back.
CORRECTED_CLAIMS = [
    ("academic/protecting-fertility/", "raised morning testosterone and LH to levels similar to those reached"),
    ("intermediate/restoring-fertility/", "Study authors say low-dose hCG can keep it up"),
    ("intermediate/protecting-fertility/", "Low-dose hCG given alongside it can keep ITT up"),
    ("fundamentals/protecting-fertility/", "reports that a low dose of hCG can keep it up"),
    ("fundamentals/restoring-fertility/", "Of these men, 95.9% got sperm back"),
    ("fundamentals/protecting-fertility/", "The sources this guide uses say little about its risks"),
    ("fundamentals/restoring-fertility/", "The sources this guide uses say little about its risks"),
    ("fundamentals/how-the-body-makes-sperm/", "pulses, about once an hour"),
    ("intermediate/protecting-fertility/", "short pulses, about once an hour"),
    ("intermediate/restoring-fertility/", "GnRH works only in hourly pulses"),
    ("glossary/", "It only works when given in frequent pulses"),
    ("academic/restoring-fertility/", "this happened in 9 of 11 men with partial deficiency"),
    ("fundamentals/recovery-timeline/", "Men who used them for less than 1 year usually recover within 1 year"),
]


@pytest.mark.parametrize(("url", "claim"), CORRECTED_CLAIMS, ids=[f"{u}:{c[:30]}" for u, c in CORRECTED_CLAIMS])
def test_corrected_claim__does_not_return(built_site: BuiltSite, url: str, claim: str) -> None:
    assert claim not in article_text(built_site, url)


def test_intermediate_medicines_table__names_hmg_lh_activity_rfsh_label_and_tamoxifen_tablet(
        built_site: BuiltSite) -> None:
    tree = LexborHTMLParser(built_site.html("intermediate/restoring-fertility/"))
    rows = {" ".join(r.css_first("td").text().split()): " ".join(r.text(separator=" ").split())
            for r in tree.css("article table tr") if r.css_first("td")}
    fsh = next(text for name, text in rows.items() if name.startswith("FSH therapy"))
    assert "LH activity" in fsh and "labelled for inducing sperm production" in fsh
    tamoxifen = next(text for name, text in rows.items() if name.startswith("Tamoxifen"))
    assert "Tablet" in tamoxifen


def test_fundamentals_doses__are_framed_as_what_a_study_gave(built_site: BuiltSite) -> None:
    dose = re.compile(r"\b\d[\d,]* (?:IU|mg)\b")
    for source in (s for s in CHAPTERS if s.parent.name == "fundamentals"):
        sentences = re.split(r"(?<=[.!?])\s+", article_text(built_site, chapter_url(source)))
        for i, sentence in enumerate(sentences):
            if dose.search(sentence):
                nearby = " ".join(sentences[i:i + 2])
                assert re.search(r"dose (?:the|in the) study|not a dose", nearby), (
                    f"{source.stem}: dose without 'what a study gave': {sentence}")
