"""Verifying the bibliography's identifiers against Crossref-, doi.org- and NCBI-shaped servers.

Every server here is real, on 127.0.0.1, started by the test; the HTTP client is never mocked.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import yaml

from servers import Reply, ScriptedServer, Seen
from sitecheck.cli import main
from sitecheck.problems import Kind
from sitecheck.run import Online, check_sources
from sitecheck.sources import Endpoints, Facts, first_author_family, fold, mismatches, titles_match

TITLE = "Recovery of spermatogenesis following testosterone replacement therapy"


def work(title: str = TITLE, year: int = 2016, family: str = "McBride", **more: object) -> dict:
    """A Crossref REST answer for one work, trimmed to the fields sitecheck reads."""
    message = {"title": [title], "issued": {"date-parts": [[year, 4]]},
               "author": [{"given": "J. A.", "family": family, "sequence": "first"},
                          {"given": "R. M.", "family": "Coward", "sequence": "additional"}], **more}
    return {"status": "ok", "message-type": "work", "message": message}


PUBMED = {
    "27000001": {"title": TITLE + ".", "pubdate": "2016 Jul-Aug", "sortfirstauthor": "McBride JA"},
    "27000002": {"title": "Something else entirely.", "pubdate": "2016", "sortfirstauthor": "Smith A"},
}


def esummary(request: Seen) -> Reply:
    """NCBI's esummary (JSON): one record per asked id, an error record for an unknown one."""
    ids = parse_qs(request.query)["id"][0].split(",")
    result: dict = {"uids": ids}
    for pmid in ids:
        record = PUBMED.get(pmid)
        result[pmid] = ({"uid": pmid, **record, "authors": [{"name": record["sortfirstauthor"]}]}
                        if record else {"uid": pmid, "error": "cannot get document summary"})
    return Reply(200, {"header": {"type": "esummary"}, "result": result})


def routes() -> dict:
    return {
        "/works/10.1000/good": [Reply(200, work())],
        "/works/10.1000/wrong-title": [Reply(200, work(title="Renal outcomes of a diuretic"))],
        "/works/10.1000/wrong-year": [Reply(200, work(year=2009))],
        "/works/10.1000/wrong-author": [Reply(200, work(family="Ramasamy"))],
        "/works/10.1000/gone": [Reply(404, "Resource not found.")],
        "/doi/10.1000/gone": [Reply(404, "DOI not found")],
        "/works/10.5000/datacite": [Reply(404, "Resource not found.")],
        "/doi/10.5000/datacite": lambda seen: (
            Reply(200, work()["message"]) if "citationstyles" in seen.headers.get("Accept", "")
            else Reply(406, "ask for CSL JSON")),
        "/works/10.1000/busy": [Reply(429, "slow down", {"Retry-After": "1"}), Reply(200, work())],
        "/works/10.1000/slow": [Reply(200, work(), delay=0.3)],
        "/works/10.1000/stuck": [Reply(200, work(), delay=5)],
        "/esummary.fcgi": esummary,
    }


def entry(key: str, doi: str = "", pmid: str = "", **more: object) -> dict:
    return {"key": key, "type": "article", "authors": "McBride JA, Coward RM", "title": TITLE,
            "container": "Asian J Androl", "year": 2016, **({"doi": doi} if doi else {}),
            **({"pmid": pmid} if pmid else {}), **more}


def bibliography(folder: Path, *entries: dict) -> Path:
    path = folder / "bibliography.yaml"
    path.write_text(yaml.safe_dump(list(entries)), encoding="utf-8")
    return path


def online(server: ScriptedServer, **settings: object) -> Online:
    base = server.url
    return Online(**{"contact": "editors@example.org", "cache_dir": None, "timeout": 2.0,
                     "retries": 1, "backoff": 0.05,
                     "endpoints": Endpoints(base, f"{base}/doi", base), **settings})


@pytest.fixture
def registry():
    with ScriptedServer(routes()) as server:
        yield server


def kinds(problems: list) -> list[tuple[str, Kind]]:
    return [(p.target.split()[0], p.kind) for p in problems]


# Comparing what an entry says with what a registry says.


def test_fold__ignores_case_accents_markup_and_punctuation() -> None:
    assert fold("<i>In vivo</i> Østergren–Müller, 2nd ed.") == "in vivo ostergren muller 2nd ed"


@pytest.mark.parametrize(("authors", "family"), [
    ("McBride JA, Coward RM", "McBride"), ("Burnett-Bowie SA, McKay EA", "Burnett-Bowie"),
    ("Sabanegh E Jr", "Sabanegh"), ("Wiehle RD; ZA-203 Clinical Study Group", "Wiehle"),
    ("European Medicines Agency, CHMP", ""), ("", "")])
def test_first_author_family__people_only(authors: str, family: str) -> None:
    assert first_author_family(authors) == family


def test_titles_match__tolerates_spelling_not_another_work() -> None:
    assert titles_match(TITLE, TITLE.upper() + ".")
    assert titles_match("Hypophysial responses to GnRH", "Hypophysial Responses to GnRH.")
    assert not titles_match(TITLE, "Recovery of renal function following diuretic therapy")
    assert titles_match("Testosterone Therapy in Men With Hypogonadism",
                        "Testosterone therapy in men with hypogonadism: an Endocrine Society guideline")
    assert titles_match("Male infertility: a review", "Male infertility")
    assert not titles_match("Male infertility: a review", "Male infertility: a trial of clomiphene")


def test_mismatches__names_each_field_that_differs() -> None:
    claimed = Facts(TITLE, (2016,), "McBride")
    assert mismatches(claimed, Facts(TITLE + ".", (2015, 2016), "Mcbride")) == []
    assert mismatches(claimed, Facts("Other work", (2009,), "Smith")) == [
        'title is "Other work"', "year is 2009, not 2016", "first author is Smith, not McBride"]


# Online, against the scripted registries.


def test_verify__matching_doi_and_pmid_pass(registry: ScriptedServer, tmp_path: Path) -> None:
    bib = bibliography(tmp_path, entry("good", "10.1000/good", "27000001"))
    assert check_sources(bib, None, online(registry)) == []
    (lookup,) = registry.requests("/works/10.1000/good")
    assert "editors@example.org" in lookup.headers["User-Agent"]
    assert parse_qs(lookup.query)["mailto"] == ["editors@example.org"]
    (summary,) = registry.requests("/esummary.fcgi")
    assert parse_qs(summary.query)["email"] == ["editors@example.org"]


@pytest.mark.parametrize(("doi", "pmid", "message"), [
    ("10.1000/wrong-title", "", 'title is "Renal outcomes of a diuretic"'),
    ("10.1000/wrong-year", "", "year is 2009, not 2016"),
    ("10.1000/wrong-author", "", "first author is Ramasamy, not McBride"),
    ("", "27000002", 'title is "Something else entirely."'),
])
def test_verify__identifier_naming_another_work_is_a_mismatch(
        registry: ScriptedServer, tmp_path: Path, doi: str, pmid: str, message: str) -> None:
    bib = bibliography(tmp_path, entry("cited", doi, pmid))
    (problem,) = check_sources(bib, None, online(registry))
    assert (problem.kind, problem.target.split()[0]) == (Kind.SOURCE_MISMATCH, "cited")
    assert message in problem.message


def test_verify__unknown_doi_and_pmid_are_not_found(registry: ScriptedServer, tmp_path: Path) -> None:
    bib = bibliography(tmp_path, entry("gone", "10.1000/gone", "39999999"))
    problems = check_sources(bib, None, online(registry))
    assert [(p.kind, p.target) for p in problems] == [
        (Kind.SOURCE_NOT_FOUND, "gone doi:10.1000/gone"), (Kind.SOURCE_NOT_FOUND, "gone pmid:39999999")]


def test_verify__doi_outside_crossref_is_found_through_doi_org(
        registry: ScriptedServer, tmp_path: Path) -> None:
    bib = bibliography(tmp_path, entry("datacite", "10.5000/datacite"))
    assert check_sources(bib, None, online(registry)) == []


def test_verify__429_waits_for_retry_after_then_succeeds(registry: ScriptedServer, tmp_path: Path) -> None:
    bib = bibliography(tmp_path, entry("busy", "10.1000/busy"))
    assert check_sources(bib, None, online(registry)) == []
    first, second = registry.requests("/works/10.1000/busy")
    assert second.at - first.at >= 0.95


def test_verify__retry_after_beyond_the_limit_is_reported_not_awaited(
        registry: ScriptedServer, tmp_path: Path) -> None:
    bib = bibliography(tmp_path, entry("busy", "10.1000/busy"))
    (problem,) = check_sources(bib, None, online(registry, max_wait=0.5))
    assert problem.kind == Kind.SOURCE_UNCHECKED and "Retry-After" in problem.message
    assert problem.severity == "warning"


def test_verify__slow_reply_within_timeout_passes(registry: ScriptedServer, tmp_path: Path) -> None:
    bib = bibliography(tmp_path, entry("slow", "10.1000/slow"))
    assert check_sources(bib, None, online(registry, timeout=2.0)) == []


def test_verify__reply_slower_than_timeout_is_unchecked(registry: ScriptedServer, tmp_path: Path) -> None:
    bib = bibliography(tmp_path, entry("stuck", "10.1000/stuck"))
    (problem,) = check_sources(bib, None, online(registry, timeout=0.3, retries=0))
    assert problem.kind == Kind.SOURCE_UNCHECKED and "within 0.3 s" in problem.message


def test_verify__cache_answers_a_second_run(registry: ScriptedServer, tmp_path: Path) -> None:
    bib = bibliography(tmp_path, entry("good", "10.1000/good", "27000001"))
    settings = online(registry, cache_dir=tmp_path / "cache")
    assert check_sources(bib, None, settings) == check_sources(bib, None, settings) == []
    assert len(registry.requests("/works/10.1000/good")) == 1
    assert len(registry.requests("/esummary.fcgi")) == 1


# The lock file: what was seen online, compared offline.


def test_lock__offline_run_reports_edits_since_verification(registry: ScriptedServer, tmp_path: Path) -> None:
    lock = tmp_path / "sources.lock.json"
    bib = bibliography(tmp_path, entry("good", "10.1000/good", "27000001"))
    assert check_sources(bib, lock, online(registry)) == []
    recorded = json.loads(lock.read_text())
    assert recorded["doi:10.1000/good"]["seen"]["title"] == TITLE
    assert recorded["pmid:27000001"]["key"] == "good"
    assert check_sources(bib, lock, None) == []

    bibliography(tmp_path, entry("good", "10.1000/good", "27000001", year=2015))
    problems = check_sources(bib, lock, None)
    assert kinds(problems) == [("good", Kind.SOURCE_CHANGED)] * 2
    assert "years changed since it was verified on" in problems[0].message


def test_lock__unverified_entry_is_a_warning(tmp_path: Path) -> None:
    bib = bibliography(tmp_path, entry("new", "10.1000/good", "27000001"))
    (problem,) = check_sources(bib, tmp_path / "sources.lock.json", None)
    assert (problem.kind, problem.severity) == (Kind.SOURCE_UNVERIFIED, "warning")
    assert problem.target == "new doi:10.1000/good pmid:27000001"


def test_lock__mismatch_seen_online_is_reported_offline(registry: ScriptedServer, tmp_path: Path) -> None:
    lock = tmp_path / "sources.lock.json"
    bib = bibliography(tmp_path, entry("cited", "10.1000/wrong-year"))
    assert kinds(check_sources(bib, lock, online(registry))) == [("cited", Kind.SOURCE_MISMATCH)]
    (problem,) = check_sources(bib, lock, None)
    assert problem.kind == Kind.SOURCE_MISMATCH and "year is 2009" in problem.message


def test_lock__unanswered_lookup_keeps_the_last_good_record(registry: ScriptedServer, tmp_path: Path) -> None:
    lock = tmp_path / "sources.lock.json"
    bib = bibliography(tmp_path, entry("good", "10.1000/good"))
    check_sources(bib, lock, online(registry))
    before = json.loads(lock.read_text())
    registry.routes["/works/10.1000/good"] = [Reply(503, "down")]
    (problem,) = check_sources(bib, lock, online(registry, retries=0))
    assert problem.kind == Kind.SOURCE_UNCHECKED
    assert json.loads(lock.read_text()) == before


def test_bibliography__bad_entry_is_reported_by_sitecheck(tmp_path: Path) -> None:
    bib = bibliography(tmp_path, entry("bad", "10.1000"))
    (problem,) = check_sources(bib, None, None)
    assert (problem.kind, problem.target) == (Kind.BAD_SOURCE, "bad")
    assert "malformed DOI" in problem.message


def test_cli__verifies_sources_online_with_configured_registries(
        registry: ScriptedServer, tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>home</p>")
    lock = tmp_path / "sources.lock.json"
    base = registry.url
    args = [str(site), "--lock", str(lock), "--crossref-url", base, "--doi-url", f"{base}/doi",
            "--eutils-url", base, "--cache-dir", str(tmp_path / "cache"), "--contact", "x@example.org"]
    good = bibliography(tmp_path, entry("good", "10.1000/good", "27000001"))
    assert main([*args, "--bibliography", str(good)]) == 0
    assert lock.is_file()
    capsys.readouterr()
    bad = bibliography(tmp_path, entry("cited", "10.1000/wrong-title"))
    assert main([*args, "--bibliography", str(bad), "--format", "json"]) == 1
    (problem,) = json.loads(capsys.readouterr().out)["problems"]
    assert (problem["kind"], problem["severity"]) == ("source-mismatch", "error")
    assert problem["target"] == "cited doi:10.1000/wrong-title"
