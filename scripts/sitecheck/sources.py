"""Do the bibliography's DOIs and PMIDs point to the works it claims?

Online, each DOI is looked up in Crossref (and, failing that, by content negotiation at doi.org, which
also knows DataCite's DOIs) and each PMID in NCBI's E-utilities; title, year and first author are
compared with the entry, and the same answers say whether the work was retracted. What was seen goes
into a lock file that is committed, so that an offline run can still report an entry edited since it
was last verified, one that never was, or one that was seen retracted.
"""

from __future__ import annotations

import datetime
import difflib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from sitecheck.problems import Kind, Problem

if TYPE_CHECKING:  # loaded where used: aiohttp, and YAML for the bibliography, slow the start-up
    from guide.bibliography import Source
    from sitecheck.fetch import Fetcher, Response

CROSSREF = "https://api.crossref.org"
DOI_ORG = "https://doi.org"
EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
CSL_JSON = "application/vnd.citationstyles.csl+json"
TITLE_SIMILARITY = 0.9  # below this, the titles name different works, not different spellings
PMIDS_PER_REQUEST = 200  # NCBI asks for batches rather than one request per id
FOLD = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l", "Ł": "L",
                      "đ": "d", "ı": "i"})
PERSON = re.compile(r"^(?P<family>.+?)\s+[A-Z]{1,4}(?:\s+(?:Jr|Sr|II|III|IV))?\.?$")
# Crossmark's update types that say the work no longer stands (an error)...
WITHDRAWN = {"retraction": "retracted", "withdrawal": "withdrawn", "removal": "removed"}
# ...and those that say it stands only in part, or is in doubt: a person must read the notice (a
# warning). Corrections, errata, addenda and new versions leave the work standing and are ignored.
IN_DOUBT = {"partial_retraction": "partly retracted",
            "expression_of_concern": "under an expression of concern"}
STATES = {**WITHDRAWN, **IN_DOUBT}
GRAVEST_FIRST = list(STATES)
REGISTRIES = {"crossref": "Crossref", "pubmed": "PubMed"}
# Publishers rename a retracted work "RETRACTED: <title>"; that is not another work.
NOTICE_PREFIX = re.compile(r"^\s*(?:retracted|withdrawn)(?:\s+article)?\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Endpoints:
    """Where to look identifiers up; tests point these at a server on 127.0.0.1."""

    crossref: str = CROSSREF
    doi_org: str = DOI_ORG
    eutils: str = EUTILS


@dataclass(frozen=True)
class Facts:
    """The three things compared: what an entry says, or what a registry says."""

    title: str
    years: tuple[int, ...]
    first_author: str

    def as_json(self) -> dict:
        return {"title": self.title, "years": list(self.years), "first_author": self.first_author}

    @classmethod
    def from_json(cls, data: dict) -> Facts:
        return cls(data["title"], tuple(data["years"]), data["first_author"])


def fold(text: str) -> str:
    """Lower case, no accents, no markup or punctuation: how titles and names are compared."""
    text = re.sub(r"<[^>]+>", " ", text).translate(FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def first_author_family(authors: str) -> str:
    """'Burnett-Bowie SA, McKay EA' -> 'Burnett-Bowie'; '' for a group or an organisation."""
    first = re.split(r"[,;]", authors, maxsplit=1)[0].strip()
    match = PERSON.match(first)
    return match.group("family") if match else ""


def entry_facts(source: Source) -> Facts:
    return Facts(source.title, (source.year,) if source.year else (), first_author_family(source.authors))


def similar(a: str, b: str) -> bool:
    a, b = fold(a), fold(b)
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= TITLE_SIMILARITY


def main_title(title: str) -> str:
    return title.split(": ", 1)[0]


def titles_match(claimed: str, seen: str) -> bool:
    """The same title, allowing for spelling and for a subtitle that only one side carries."""
    seen = NOTICE_PREFIX.sub("", seen)
    return (similar(claimed, seen) or similar(main_title(claimed), seen)
            or similar(claimed, main_title(seen)))


def mismatches(claimed: Facts, seen: Facts) -> list[str]:
    """Each way the entry differs from the registry's record, in words."""
    found = []
    if seen.title and not titles_match(claimed.title, seen.title):
        found.append(f'title is "{seen.title}"')
    if claimed.years and seen.years and not set(claimed.years) & set(seen.years):
        found.append(f"year is {' or '.join(map(str, sorted(set(seen.years))))}, "
                     f"not {claimed.years[0]}")
    if claimed.first_author and seen.first_author and (
            fold(claimed.first_author).replace(" ", "") != fold(seen.first_author).replace(" ", "")):
        found.append(f"first author is {seen.first_author}, not {claimed.first_author}")
    return found


def date_years(work: dict) -> tuple[int, ...]:
    """Print, online and issue years all count: journals date one work several ways."""
    years = set()
    for field in ("issued", "published-print", "published-online", "published"):
        parts = (work.get(field) or {}).get("date-parts") or [[None]]
        if parts and parts[0] and isinstance(parts[0][0], int):
            years.add(parts[0][0])
    return tuple(sorted(years))


def crossref_facts(work: dict) -> Facts:
    """From a Crossref work (REST `message`) or the CSL-JSON that doi.org negotiates."""
    title = work.get("title") or ""
    title = title[0] if isinstance(title, list) and title else title if isinstance(title, str) else ""
    subtitle = work.get("subtitle") or ""
    subtitle = subtitle[0] if isinstance(subtitle, list) and subtitle else subtitle
    if subtitle and isinstance(subtitle, str):
        title = f"{title}: {subtitle}"
    authors = work.get("author") or []
    first = next((a for a in authors if a.get("sequence") == "first"), authors[0] if authors else {})
    return Facts(title, date_years(work), first.get("family", ""))


def pubmed_facts(summary: dict) -> Facts:
    """From one record of an E-utilities esummary (JSON)."""
    years = tuple(sorted({int(m.group()) for field in ("pubdate", "epubdate")
                          if (m := re.match(r"\d{4}", summary.get(field) or ""))}))
    first = summary.get("sortfirstauthor") or next(
        (a.get("name", "") for a in summary.get("authors") or []), "")
    match = PERSON.match(first)
    return Facts(summary.get("title", ""), years, match.group("family") if match else first)


@dataclass(frozen=True)
class Retraction:
    """A notice that retracts or withdraws a work, or raises concern about it, as a registry says."""

    type: str  # Crossmark's update type; PubMed's "Retracted Publication" counts as "retraction"
    notice: str  # the notice as "doi:..." or "pmid:...", or "" where the registry names none
    source: str  # "crossref" or "pubmed"

    @property
    def withdrawn(self) -> bool:
        return self.type in WITHDRAWN

    def describe(self, key: str, seen_on: str = "") -> str:
        notice = f"see the notice {self.notice}" if self.notice else "the registry names no notice"
        when = f", as seen on {seen_on}" if seen_on else ""
        return f"{key} is {STATES[self.type]}: {notice} ({REGISTRIES.get(self.source, self.source)}{when})"

    def as_json(self) -> dict:
        return {"type": self.type, "notice": self.notice, "source": self.source}

    @classmethod
    def from_json(cls, data: dict) -> Retraction:
        kind, notice, source = data["type"], data["notice"], data["source"]
        if kind not in STATES or not isinstance(notice, str) or not isinstance(source, str):
            raise ValueError("not a retraction record")
        return cls(kind, notice, source)


def crossref_retraction(work: dict) -> Retraction | None:
    """The gravest notice in a Crossref work's `updated-by`, which lists the notices whose
    `update-to` names this work: the publisher's Crossmark deposits and, since 2025, the
    Retraction Watch database's (`source` "publisher" or "retraction-watch"; both count)."""
    notices = [update for update in work.get("updated-by") or []
               if isinstance(update, dict) and update.get("type") in GRAVEST_FIRST]
    if not notices:
        return None
    gravest = min(notices, key=lambda update: GRAVEST_FIRST.index(update["type"]))
    doi = gravest.get("DOI")
    return Retraction(gravest["type"], f"doi:{doi}" if isinstance(doi, str) and doi else "", "crossref")


def pubmed_retraction(summary: dict) -> Retraction | None:
    """PubMed gives a retracted work the publication type "Retracted Publication" and links the
    notice as a "Retraction in" reference (esummary's `pubtype` and `references`)."""
    if "Retracted Publication" not in (summary.get("pubtype") or []):
        return None
    notices = [f"pmid:{reference['pmid']}" for reference in summary.get("references") or []
               if isinstance(reference, dict) and reference.get("reftype") == "Retraction in"
               and reference.get("pmid")]
    return Retraction("retraction", ", ".join(notices), "pubmed")


def retraction_problem(key: str, identifier: str, retraction: Retraction, where: str,
                       seen_on: str = "") -> Problem:
    kind = Kind.SOURCE_RETRACTED if retraction.withdrawn else Kind.SOURCE_CONCERN
    return Problem(where, 0, kind, f"{key} {identifier}", retraction.describe(key, seen_on))


def crossref_url(endpoints: Endpoints, doi: str, contact: str) -> str:
    query = f"?{urlencode({'mailto': contact})}" if "@" in contact else ""
    return f"{endpoints.crossref.rstrip('/')}/works/{quote(doi, safe='/')}{query}"


def esummary_url(endpoints: Endpoints, pmids: list[str], contact: str) -> str:
    query = {"db": "pubmed", "retmode": "json", "id": ",".join(pmids), "tool": "sitecheck"}
    if "@" in contact:
        query["email"] = contact
    return f"{endpoints.eutils.rstrip('/')}/esummary.fcgi?{urlencode(query)}"


def parse_json(response: Response) -> dict | None:
    try:
        data = json.loads(response.body)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


@dataclass(frozen=True)
class Lookup:
    """What one registry said about one identifier: Facts, or why there are none."""

    identifier: str
    facts: Facts | None = None
    not_found: bool = False
    error: str = ""
    retraction: Retraction | None = None


async def look_up_doi(fetcher: Fetcher, endpoints: Endpoints, doi: str, contact: str) -> Lookup:
    identifier = f"doi:{doi}"
    response = await fetcher.fetch(crossref_url(endpoints, doi, contact))
    if response.ok and (data := parse_json(response)) and isinstance(data.get("message"), dict):
        work = data["message"]
        return Lookup(identifier, crossref_facts(work), retraction=crossref_retraction(work))
    if response.status != 404:
        return Lookup(identifier, error=failure("Crossref", response))
    # Not a Crossref DOI: doi.org knows every registration agency.
    negotiated = await fetcher.fetch(f"{endpoints.doi_org.rstrip('/')}/{quote(doi, safe='/')}",
                                     headers={"Accept": CSL_JSON})
    if negotiated.ok and (data := parse_json(negotiated)):
        return Lookup(identifier, crossref_facts(data))
    if negotiated.status == 404:
        return Lookup(identifier, not_found=True)
    return Lookup(identifier, error=failure("doi.org", negotiated))


async def look_up_pmids(fetcher: Fetcher, endpoints: Endpoints, pmids: list[str],
                        contact: str) -> list[Lookup]:
    response = await fetcher.fetch(esummary_url(endpoints, pmids, contact))
    data = parse_json(response) if response.ok else None
    result = data.get("result") if data else None
    if not isinstance(result, dict):
        reason = failure("PubMed", response) if not response.ok else "PubMed sent no esummary result"
        return [Lookup(f"pmid:{pmid}", error=reason) for pmid in pmids]
    lookups = []
    for pmid in pmids:
        summary = result.get(pmid)
        if not isinstance(summary, dict) or summary.get("error") or not summary.get("title"):
            lookups.append(Lookup(f"pmid:{pmid}", not_found=True))
        else:
            lookups.append(Lookup(f"pmid:{pmid}", pubmed_facts(summary),
                                  retraction=pubmed_retraction(summary)))
    return lookups


def failure(registry: str, response: Response) -> str:
    return f"{registry} did not answer usefully: " + (response.error or f"HTTP {response.status}")


def identifiers(source: Source) -> list[str]:
    return ([f"doi:{source.doi}"] if source.doi else []) + ([f"pmid:{source.pmid}"] if source.pmid else [])


async def look_up_all(sources: dict[str, Source], fetcher: Fetcher, endpoints: Endpoints,
                      contact: str) -> dict[str, Lookup]:
    import asyncio  # here, not at the top: offline runs never load it

    dois = sorted({s.doi for s in sources.values() if s.doi})
    pmids = sorted({s.pmid for s in sources.values() if s.pmid})
    batches = [pmids[i:i + PMIDS_PER_REQUEST] for i in range(0, len(pmids), PMIDS_PER_REQUEST)]
    found = await asyncio.gather(
        *(look_up_doi(fetcher, endpoints, doi, contact) for doi in dois),
        *(look_up_pmids(fetcher, endpoints, batch, contact) for batch in batches))
    flat: list[Lookup] = []
    for item in found:
        flat += item if isinstance(item, list) else [item]
    return {lookup.identifier: lookup for lookup in flat}


def verify(sources: dict[str, Source], lookups: dict[str, Lookup], where: str) -> list[Problem]:
    """Problems for identifiers that resolve to nothing, fail to answer, name another work, or
    name a retracted one."""
    problems = []
    for key, source in sorted(sources.items()):
        for identifier in identifiers(source):
            lookup = lookups.get(identifier)
            if lookup is None:
                continue
            if lookup.not_found:
                problems.append(Problem(where, 0, Kind.SOURCE_NOT_FOUND, f"{key} {identifier}",
                                        "the registry has no record of this identifier"))
            elif lookup.error:
                problems.append(Problem(where, 0, Kind.SOURCE_UNCHECKED, f"{key} {identifier}",
                                        lookup.error))
            else:
                if lookup.facts and (differences := mismatches(entry_facts(source), lookup.facts)):
                    problems.append(Problem(where, 0, Kind.SOURCE_MISMATCH, f"{key} {identifier}",
                                            "; ".join(differences)))
                if lookup.retraction:
                    problems.append(retraction_problem(key, identifier, lookup.retraction, where))
    return problems


# The lock file: identifier -> {"key", "checked", "entry": Facts, "seen": Facts, "retraction":
# Retraction or null}. Records written before "retraction" existed read as "none seen".


def read_lock(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError as error:
        raise ValueError(f"{path} is not valid JSON ({error}); restore it from git") from None
    return data if isinstance(data, dict) else {}


def updated_lock(lock: dict[str, dict], sources: dict[str, Source],
                 lookups: dict[str, Lookup], now: datetime.datetime) -> dict[str, dict]:
    """The lock after an online run: new sightings recorded, identifiers no longer cited dropped."""
    wanted = {identifier: (key, source) for key, source in sources.items()
              for identifier in identifiers(source)}
    fresh = {}
    for identifier, (key, source) in sorted(wanted.items()):
        lookup = lookups.get(identifier)
        if lookup and lookup.facts:
            fresh[identifier] = {"key": key, "checked": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                 "entry": entry_facts(source).as_json(),
                                 "seen": lookup.facts.as_json(),
                                 "retraction": lookup.retraction.as_json() if lookup.retraction else None}
        elif identifier in lock:  # not answered this time: keep the last good sighting
            fresh[identifier] = lock[identifier]
    return fresh


def write_lock(path: Path, lock: dict[str, dict]) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(lock, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                         encoding="utf-8")
    os.replace(temporary, path)


def check_lock(sources: dict[str, Source], lock: dict[str, dict], where: str) -> list[Problem]:
    """Offline: entries edited since verification, never verified, verified as different, or
    seen retracted."""
    problems = []
    for key, source in sorted(sources.items()):
        never = [i for i in identifiers(source) if not isinstance(lock.get(i), dict)]
        if never:
            problems.append(Problem(where, 0, Kind.SOURCE_UNVERIFIED, f"{key} {' '.join(never)}",
                                    "not yet looked up online"))
        for identifier in identifiers(source):
            target = f"{key} {identifier}"
            record = lock.get(identifier)
            if identifier in never:
                continue
            try:
                then, seen = Facts.from_json(record["entry"]), Facts.from_json(record["seen"])
                retraction = (Retraction.from_json(record["retraction"])
                              if record.get("retraction") is not None else None)
            except (KeyError, TypeError, ValueError):
                problems.append(Problem(where, 0, Kind.SOURCE_UNVERIFIED, target,
                                        "its record in the lock file is damaged"))
                continue
            now = entry_facts(source)
            changed = [name for name in ("title", "years", "first_author")
                       if getattr(now, name) != getattr(then, name)]
            if changed or record.get("key") != key:
                fields = ", ".join(changed) or "key"
                problems.append(Problem(where, 0, Kind.SOURCE_CHANGED, target,
                                        f"{fields} changed since it was verified on "
                                        f"{record.get('checked', '?')[:10]}"))
            elif differences := mismatches(now, seen):
                problems.append(Problem(where, 0, Kind.SOURCE_MISMATCH, target,
                                        "; ".join(differences) + " (as seen on "
                                        f"{record.get('checked', '?')[:10]})"))
            if retraction:  # whatever became of the entry, the identifier still names this work
                problems.append(retraction_problem(key, identifier, retraction, where,
                                                   record.get("checked", "?")[:10]))
    return problems


def load_sources(path: Path) -> tuple[dict[str, Source], list[Problem]]:
    """The sound entries of a bibliography file, and a problem for each unsound one."""
    from guide.bibliography import BibliographyError, read_entries, read_file

    try:
        entries = read_file(path)
    except BibliographyError as error:
        return {}, [Problem(path.name, 0, Kind.BAD_SOURCE, path.name, str(error))]
    sources, messages = read_entries(entries, path.name)
    return sources, [Problem(path.name, 0, Kind.BAD_SOURCE, *message.split(": ", 1))
                     for message in messages]
