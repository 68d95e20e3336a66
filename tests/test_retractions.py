"""Retracted sources: found in Crossref's and PubMed's answers, kept in the lock file, reported.

The answers are files under tests/data/registries (see its README), served by a real HTTP server on
127.0.0.1; the HTTP client is never mocked.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, quote

import pytest
import yaml

from servers import Reply, ScriptedServer, Seen
from sitecheck.cli import main
from sitecheck.problems import Kind
from sitecheck.run import Online, check_sources
from sitecheck.sources import Endpoints, Retraction, crossref_retraction, titles_match

ANSWERS = Path(__file__).parent / "data" / "registries"
WAKEFIELD_DOI = "10.1016/s0140-6736(97)11096-0"
WAKEFIELD_NOTICE = "doi:10.1016/s0140-6736(10)60175-4"
CONCERN_DOI = "10.5555/concerned.2019.01"


def answer(name: str) -> dict:
    return json.loads((ANSWERS / name).read_text(encoding="utf-8"))


def esummary(request: Seen) -> Reply:
    """esummary as NCBI gives it: the recorded records of the ids asked, an error record for others."""
    recorded = answer("esummary.json")["result"]
    ids = parse_qs(request.query)["id"][0].split(",")
    result: dict = {"uids": ids}
    for pmid in ids:
        result[pmid] = recorded.get(pmid, {"uid": pmid, "error": "cannot get document summary"})
    return Reply(200, {"header": {"type": "esummary", "version": "0.3"}, "result": result})


@pytest.fixture
def registry():
    routes = {
        # The path as the client sends it: "(" and ")" percent-encoded.
        f"/works/{quote(WAKEFIELD_DOI, safe='/')}": [Reply(200, answer("crossref-retracted.json"))],
        "/works/10.1210/jc.2012-2400": [Reply(200, answer("crossref-clean.json"))],
        f"/works/{CONCERN_DOI}": [Reply(200, answer("crossref-concern.json"))],
        "/esummary.fcgi": esummary,
    }
    with ScriptedServer(routes) as server:
        yield server


def online(server: ScriptedServer) -> Online:
    base = server.url
    return Online(contact="editors@example.org", cache_dir=None, timeout=2.0, retries=0,
                  endpoints=Endpoints(base, f"{base}/doi", base))


def bibliography(folder: Path, *entries: dict) -> Path:
    path = folder / "bibliography.yaml"
    path.write_text(yaml.safe_dump(list(entries)), encoding="utf-8")
    return path


def wakefield(doi: str = WAKEFIELD_DOI, pmid: str = "", **more: object) -> dict:
    return {"key": "wakefield1998", "type": "article", "authors": "Wakefield AJ, Murch SH, Anthony A",
            "title": "Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive "
                     "developmental disorder in children",
            "container": "Lancet", "year": 1998, **({"doi": doi} if doi else {}),
            **({"pmid": pmid} if pmid else {}), **more}


def anawalt() -> dict:
    return {"key": "anawalt2013", "type": "article", "authors": "Anawalt BD",
            "title": "Approach to Male Infertility and Induction of Spermatogenesis",
            "container": "J Clin Endocrinol Metab", "year": 2013, "doi": "10.1210/jc.2012-2400",
            "pmid": "24014811"}


def concerned() -> dict:
    return {"key": "example2019", "type": "article", "authors": "Example A",
            "title": "Gonadotropin therapy restores spermatogenesis after anabolic steroid use",
            "container": "J Test Androl", "year": 2019, "doi": CONCERN_DOI}


def found(problems: list) -> list[tuple[Kind, str, str]]:
    return [(p.kind, p.target, p.severity) for p in problems]


# Online, then offline from the lock that run wrote.


def test_retracted_doi__error_online_then_offline_from_the_lock(registry, tmp_path: Path) -> None:
    lock = tmp_path / "sources.lock.json"
    bib = bibliography(tmp_path, wakefield())
    (problem,) = check_sources(bib, lock, online(registry))
    assert found([problem]) == [(Kind.SOURCE_RETRACTED, f"wakefield1998 doi:{WAKEFIELD_DOI}", "error")]
    assert problem.message == f"wakefield1998 is retracted: see the notice {WAKEFIELD_NOTICE} (Crossref)"
    assert json.loads(lock.read_text())[f"doi:{WAKEFIELD_DOI}"]["retraction"] == {
        "type": "retraction", "notice": WAKEFIELD_NOTICE, "source": "crossref"}

    (offline,) = check_sources(bib, lock, None)
    assert (offline.kind, offline.target) == (problem.kind, problem.target)
    assert offline.message.startswith(f"wakefield1998 is retracted: see the notice {WAKEFIELD_NOTICE} "
                                      "(Crossref, as seen on 20")


def test_retracted_doi__still_reported_offline_after_the_entry_is_edited(registry, tmp_path: Path) -> None:
    lock = tmp_path / "sources.lock.json"
    check_sources(bibliography(tmp_path, wakefield()), lock, online(registry))
    bib = bibliography(tmp_path, wakefield(year=1999))
    assert [p.kind for p in check_sources(bib, lock, None)] == [Kind.SOURCE_CHANGED, Kind.SOURCE_RETRACTED]


def test_clean_doi_and_pmid__nothing_found_and_none_recorded(registry, tmp_path: Path) -> None:
    lock = tmp_path / "sources.lock.json"
    bib = bibliography(tmp_path, anawalt())
    assert check_sources(bib, lock, online(registry)) == []
    recorded = json.loads(lock.read_text())
    assert recorded["doi:10.1210/jc.2012-2400"]["retraction"] is None
    assert recorded["pmid:24014811"]["retraction"] is None
    assert check_sources(bib, lock, None) == []


def test_pubmed_retracted_publication__error_naming_the_pubmed_notice(registry, tmp_path: Path) -> None:
    lock = tmp_path / "sources.lock.json"
    bib = bibliography(tmp_path, wakefield(doi="", pmid="9500320"))
    (problem,) = check_sources(bib, lock, online(registry))
    assert found([problem]) == [(Kind.SOURCE_RETRACTED, "wakefield1998 pmid:9500320", "error")]
    assert problem.message == "wakefield1998 is retracted: see the notice pmid:20137807 (PubMed)"
    (offline,) = check_sources(bib, lock, None)
    assert (offline.kind, offline.target) == (Kind.SOURCE_RETRACTED, "wakefield1998 pmid:9500320")
    assert "pmid:20137807 (PubMed, as seen on" in offline.message


def test_retracted_doi_and_pmid__each_identifier_reported(registry, tmp_path: Path) -> None:
    bib = bibliography(tmp_path, wakefield(pmid="9500320"))
    assert found(check_sources(bib, None, online(registry))) == [
        (Kind.SOURCE_RETRACTED, f"wakefield1998 doi:{WAKEFIELD_DOI}", "error"),
        (Kind.SOURCE_RETRACTED, "wakefield1998 pmid:9500320", "error")]


def test_expression_of_concern__a_warning_online_and_offline(registry, tmp_path: Path) -> None:
    lock = tmp_path / "sources.lock.json"
    bib = bibliography(tmp_path, concerned())
    (problem,) = check_sources(bib, lock, online(registry))
    assert found([problem]) == [(Kind.SOURCE_CONCERN, f"example2019 doi:{CONCERN_DOI}", "warning")]
    assert problem.message == ("example2019 is under an expression of concern: see the notice "
                               "doi:10.5555/concern.2021.03 (Crossref)")
    (offline,) = check_sources(bib, lock, None)
    assert found([offline]) == found([problem])


def test_cli__retraction_fails_the_run_a_concern_does_not(registry, tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>home</p>")
    base = registry.url
    args = [str(site), "--lock", str(tmp_path / "sources.lock.json"), "--crossref-url", base,
            "--doi-url", f"{base}/doi", "--eutils-url", base, "--cache-dir", str(tmp_path / "cache"),
            "--format", "json"]
    assert main([*args, "--bibliography", str(bibliography(tmp_path, concerned()))]) == 0
    capsys.readouterr()
    assert main([*args, "--bibliography", str(bibliography(tmp_path, wakefield()))]) == 1
    (problem,) = json.loads(capsys.readouterr().out)["problems"]
    assert (problem["kind"], problem["severity"]) == ("source-retracted", "error")
    assert WAKEFIELD_NOTICE in problem["message"] and "wakefield1998" in problem["message"]
    assert main([*args[:-2], "--offline", "--bibliography", str(tmp_path / "bibliography.yaml")]) == 1


# The lock file: old records load, damaged ones are reported.


def test_lock__record_written_before_retractions_were_read_loads(registry, tmp_path: Path) -> None:
    lock = tmp_path / "sources.lock.json"
    bib = bibliography(tmp_path, anawalt())
    check_sources(bib, lock, online(registry))
    records = json.loads(lock.read_text())
    for record in records.values():
        del record["retraction"]
    lock.write_text(json.dumps(records))
    assert check_sources(bib, lock, None) == []


@pytest.mark.parametrize("damaged", [
    "retracted", [], {"type": "retraction"},
    {"type": "correction", "notice": "doi:10.1/x", "source": "crossref"},  # not a type sitecheck writes
    {"type": "retraction", "notice": 10, "source": "crossref"}])
def test_lock__damaged_retraction_record_is_reported(registry, tmp_path: Path, damaged: object) -> None:
    lock = tmp_path / "sources.lock.json"
    bib = bibliography(tmp_path, wakefield())
    check_sources(bib, lock, online(registry))
    records = json.loads(lock.read_text())
    records[f"doi:{WAKEFIELD_DOI}"]["retraction"] = damaged
    lock.write_text(json.dumps(records))
    (problem,) = check_sources(bib, lock, None)
    assert problem.kind == Kind.SOURCE_UNVERIFIED
    assert problem.message == "its record in the lock file is damaged"


# Reading the registries' update information.


def test_crossref_retraction__gravest_notice_wins_whatever_the_order() -> None:
    concern = {"DOI": "10.5555/eoc", "type": "expression_of_concern", "source": "publisher"}
    retraction = {"DOI": "10.5555/ret", "type": "retraction", "source": "retraction-watch"}
    correction = {"DOI": "10.5555/cor", "type": "correction", "source": "publisher"}
    expected = Retraction("retraction", "doi:10.5555/ret", "crossref")
    assert crossref_retraction({"updated-by": [concern, retraction]}) == expected
    assert crossref_retraction({"updated-by": [retraction, concern]}) == expected
    assert crossref_retraction({"updated-by": [correction]}) is None
    assert crossref_retraction({}) is None
    withdrawal = {"DOI": "10.5555/wd", "type": "withdrawal", "source": "publisher"}
    assert crossref_retraction({"updated-by": [correction, withdrawal]}).withdrawn


def test_titles_match__retracted_prefix_is_not_another_work() -> None:
    assert titles_match("Clomiphene in hypogonadal men", "RETRACTED: Clomiphene in hypogonadal men")
    assert titles_match("Clomiphene in hypogonadal men", "Retracted Article: Clomiphene in hypogonadal men")
    assert not titles_match("Clomiphene in hypogonadal men", "RETRACTED: Anastrozole in older men")
