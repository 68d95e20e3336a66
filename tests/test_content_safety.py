"""The safety statements a reader acts on are on the built pages, and corrected claims stay corrected."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, BuiltSite, chapter_sources, chapter_url
from guide import facts

TIERS = ("fundamentals", "intermediate", "academic")
CHAPTERS = chapter_sources()
REGISTRY = facts.load(ROOT / facts.FACTS)


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


@pytest.mark.parametrize("tier", TIERS)
def test_spermatogenesis_length__same_wording_and_primary_sources_in_every_tier(
        built_site: BuiltSite, tier: str) -> None:
    text = tier_text(built_site, tier)
    for fact_id in ("spermatogenesis-days", "spermatogenesis-range"):
        fact = REGISTRY[fact_id]
        assert (fact.plain if tier == "fundamentals" else fact.exact) in text, fact_id
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


# -- The second medical review: safety content that was missing, and contradictions between levels.

def section(built_site: BuiltSite, url: str, section_id: str) -> tuple[str, set[str]]:
    """The text of a section (its heading up to the next heading of the same or a higher level)
    and the bibliography keys it cites."""
    tree = LexborHTMLParser(built_site.html(url))
    heading = tree.css_first(f"article #{section_id}")
    assert heading is not None, f"{url}: no section #{section_id}"
    stop = {f"h{n}" for n in range(1, int(heading.tag[1]) + 1)}
    parts, keys, node = [heading.text()], set(), heading.next
    while node is not None and node.tag not in stop:
        if node.tag != "-text":
            parts.append(node.text(separator=" "))
            keys |= {a.attributes["href"].split("#ref-")[1] for a in node.css("a[href*='#ref-']")}
        node = node.next
    return " ".join(" ".join(parts).split()), keys


def cited(built_site: BuiltSite, url: str) -> set[str]:
    tree = LexborHTMLParser(built_site.html(url))
    return {a.attributes["href"].split("#ref-")[1] for a in tree.css("article sup.cite a")}


@pytest.mark.parametrize("tier", TIERS)
def test_gel_transfer__warned_with_label_advice_in_every_tier(built_site: BuiltSite, tier: str) -> None:
    text, keys = section(built_site, f"{tier}/why-trt-lowers-sperm/", "gel-transfer")
    for word in ("children", "wash", "cover"):
        assert word in text.lower(), f"{tier}: the gel warning does not say '{word}'"
    assert {"openfda_testosterone_gel", "mhra_testogel2023"} <= keys


@pytest.mark.parametrize("source", CHAPTERS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_chapter_mentioning_gel__points_to_the_transfer_warning(
        built_site: BuiltSite, source: Path) -> None:
    url = chapter_url(source)
    tree = LexborHTMLParser(built_site.html(url))
    for generated in tree.css("article .trt-sources, article .trt-figure"):
        generated.decompose()  # source titles and figure captions are not the chapter's words
    mentions_gel = re.search(r"\b(gels?|creams?)\b", tree.css_first("article").text(), re.I)
    if source.stem == "why-trt-lowers-sperm" or not mentions_gel:
        return
    links = [a.attributes.get("href", "") for a in tree.css("article a")]
    assert any(href.endswith("why-trt-lowers-sperm/#gel-transfer") for href in links), url


def test_glossary__gel_brands_entry_carries_the_transfer_warning(built_site: BuiltSite) -> None:
    text, keys = section(built_site, "glossary/", "trt")
    assert "AndroGel" in text and "wash" in text.lower() and "children" in text.lower()
    assert {"openfda_testosterone_gel", "mhra_testogel2023"} <= keys


SOON = re.compile(r"\b(?:a child|children) soon\b", re.I)


def test_no_page__limits_the_advice_to_men_who_want_a_child_soon(built_site: BuiltSite) -> None:
    pages = [chapter_url(s) for s in CHAPTERS] + ["glossary/", ""]
    found = [url for url in pages if SOON.search(article_text(built_site, url))]
    assert not found, f"'a child soon' without the current-or-future statement on {found}"


@pytest.mark.parametrize("source", CHAPTERS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_key_points_naming_guidelines__say_now_or_later(built_site: BuiltSite, source: Path) -> None:
    tree = LexborHTMLParser(built_site.html(chapter_url(source)))
    box = next((b for b in tree.css("article .admonition.abstract")), None)
    if box is None or "guideline" not in box.text().lower():
        return
    assert re.search(r"now or later|current or future", box.text()), chapter_url(source)


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("chapter", ["protecting-fertility", "restoring-fertility"])
def test_medicines_without_prescription__called_unregulated(
        built_site: BuiltSite, tier: str, chapter: str) -> None:
    text, keys = section(built_site, f"{tier}/{chapter}/", "without-prescription")
    assert "unregulated" in text and "research chemicals" in text
    assert "magnolini2022" in keys


@pytest.mark.parametrize("tier", TIERS)
def test_monitoring_on_trt__names_the_checks_and_why_hcg_adds_to_them(
        built_site: BuiltSite, tier: str) -> None:
    text, keys = section(built_site, f"{tier}/protecting-fertility/", "monitoring-on-trt")
    for word in ("hematocrit", "PSA", "blood pressure", "1,055.5 ng/dL"):
        assert word in text, f"{tier}: monitoring section lacks '{word}'"
    assert {"bhasin2018", "openfda_testosterone_gel_2025", "hsieh2013"} <= keys


@pytest.mark.parametrize("tier", TIERS)
def test_restoring_chapter__gives_each_medicines_labelled_warnings(built_site: BuiltSite, tier: str) -> None:
    url = f"{tier}/restoring-fertility/"
    text = article_text(built_site, url)
    assert re.search(r"\bvis(?:ion|ual)\b", text) and "stroke" in text and "bone" in text
    labels = {"clomiphene_label", "tamoxifen_label", "burnettbowie2009", "finkelstein2013"}
    assert labels <= cited(built_site, url)


def test_intermediate_medicines_table__gives_the_labelled_risks_of_each_medicine(
        built_site: BuiltSite) -> None:
    """The review found 'Main risks: Not established in our sources' for hCG while the same page
    listed its risks; every medicine with a labelled warning now shows it in the table."""
    tree = LexborHTMLParser(built_site.html("intermediate/restoring-fertility/"))
    table = next(t for t in tree.css("article table")
                 if "Main risks" in [" ".join(th.text().split()) for th in t.css("th")])
    column = [" ".join(th.text().split()) for th in table.css("th")].index("Main risks")
    risks = {" ".join(row.css("td")[0].text().split()): " ".join(row.css("td")[column].text().split())
             for row in table.css("tr") if row.css("td")}
    expected = {"hCG": "Headache", "Clomiphene": "Vision", "Tamoxifen": "stroke",
                "Anastrozole": "bone density"}
    for medicine, word in expected.items():
        cell = next(text for name, text in risks.items() if name.startswith(medicine))
        assert word in cell and not cell.startswith("Not established"), (medicine, cell)


@pytest.mark.parametrize("tier", TIERS)
def test_tier__tells_steroid_users_about_withdrawal_and_pct(built_site: BuiltSite, tier: str) -> None:
    ids = {"fundamentals": "after-anabolic-steroids", "intermediate": "anabolic-steroid-users",
           "academic": "anabolic-steroid-users"}
    text, keys = section(built_site, f"{tier}/restoring-fertility/", ids[tier])
    assert "anxiety" in text and "depression" in text and "post-cycle therapy" in text and "PCT" in text
    assert {"anawalt2019", "rahnema2014"} <= keys


@pytest.mark.parametrize(("tier", "chapter"), [("fundamentals", "talking-with-your-doctor"),
                                               ("intermediate", "protecting-fertility"),
                                               ("academic", "protecting-fertility")])
def test_both_partners__assessed_together(built_site: BuiltSite, tier: str, chapter: str) -> None:
    text, keys = section(built_site, f"{tier}/{chapter}/", "both-partners")
    assert "both partners" in text and "schlegel2021_p1_fs" in keys


@pytest.mark.parametrize("tier", TIERS)
def test_low_severity_items__long_acting_testosterone_and_genetic_tests(
        built_site: BuiltSite, tier: str) -> None:
    assert "handelsman2022" in cited(built_site, f"{tier}/recovery-timeline/")
    text = article_text(built_site, f"{tier}/restoring-fertility/")
    assert "karyotype" in text and "anawalt2013" in cited(built_site, f"{tier}/restoring-fertility/")


# Contradictions between levels found by the review; each wording is now one in every tier.
@pytest.mark.parametrize("tier", TIERS)
def test_predictors__age_is_the_consistent_factor_in_every_tier(built_site: BuiltSite, tier: str) -> None:
    text = article_text(built_site, f"{tier}/recovery-timeline/")
    assert not re.search(r"longer time on testosterone is more consistent", text)
    assert re.search(r"older age was the more consistent", text, re.I), tier


def test_wenker__endpoint_is_sperm_returned_or_counts_improved_everywhere(built_site: BuiltSite) -> None:
    for source in CHAPTERS:
        text = article_text(built_site, chapter_url(source))
        for match in re.finditer(r"95\.9%", text):
            window = text[max(0, match.start() - 120):match.end() + 120]
            assert "recovered" not in window and re.search(r"return|came back|improve", window), (
                chapter_url(source), window)


@pytest.mark.parametrize("tier", TIERS)
def test_referral__any_abnormal_semen_result_goes_to_a_male_fertility_specialist(
        built_site: BuiltSite, tier: str) -> None:
    tree = LexborHTMLParser(built_site.html(f"{tier}/recovery-timeline/"))
    box = next(b for b in tree.css("article .admonition")
               if b.css_first(".admonition-title").text(strip=True).startswith("When to see"))
    assert re.search(r"abnormal|not normal", box.text())
    keys = {a.attributes["href"].split("#ref-")[1] for a in box.css("a[href*='#ref-']")}
    assert "schlegel2021_p1_fs" in keys


def test_intratesticular_testosterone__no_unsupported_comparison_with_blood(built_site: BuiltSite) -> None:
    pages = [chapter_url(s) for s in CHAPTERS] + ["glossary/"]
    found = [url for url in pages
             if re.search(r"much (?:higher|more)[^.]{0,40}than (?:in |the level in )?(?:the )?blood",
                          article_text(built_site, url))]
    assert not found, found


def test_regulatory_wording__ema_committee_recommended_refusal(built_site: BuiltSite) -> None:
    for source in CHAPTERS:
        text = article_text(built_site, chapter_url(source))
        assert not re.search(r"(?:agency|EMA)\s+refused", text), chapter_url(source)
