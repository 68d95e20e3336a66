"""Search ranking rules: which pages Material's search should prefer, as per-page boosts.

Material's search (lunr) scores a title match a thousand times a text match and multiplies each
page's sections by the page's `search.boost`. Two preferences follow from who searches here:

- a reader who types a term wants its definition first, so the glossary page is boosted;
- the same topic exists at three levels, and a reader who types a plain term is more likely a
  patient than a clinician, so Fundamentals ranks above Intermediate above Academic. A term that
  only the Academic pages use still finds them: a boost reorders matches, it adds none.
"""

from __future__ import annotations

import re

GLOSSARY_URL = "glossary/"
GLOSSARY_BOOST = 3.0
TIER_BOOST = {"fundamentals": 1.6, "intermediate": 1.3, "academic": 1.0}


def boost_for_url(url: str) -> float | None:
    """The boost of the page built at `url` ("fundamentals/x/"), or None for Material's default (1)."""
    if url == GLOSSARY_URL:
        return GLOSSARY_BOOST
    return TIER_BOOST.get(url.partition("/")[0])


# Material gives one boost per page, and the glossary is one page of many entries, so two rules are
# applied to the glossary's entries in the built index (search/search_index.json) instead:
#
# - tags: the entry's names (headword, aliases, spellings, misspellings, lay terms, brand names),
#   the words on a reader's prescription box or in a forum post. Material shows a result's tags
#   under it, so a reader sees why "Clomid" found "clomiphene"; they are the words the entry
#   itself shows ("Brand names: ...", "Also spelled ..."), nothing hidden. The headword is among
#   them so that "estrogen" finds the estrogen entry before "SERM (selective estrogen receptor
#   modulator)". Material weighs a tag a thousand times a title word, so that a tag that only
#   starts like a query word (its trailing wildcard) outranks every heading; the index weighs a
#   tag twice a title word instead, so that "shrinking testicles" or "fertility pill" beat
#   headings that share only one word. A name that contains another entry's headword
#   ("recombinant FSH", "low testosterone") is left out of the tags (it stays in the entry's
#   text), or it would take that entry's own query ("FSH", "testosterone") from it. Material
#   splits tags into words, so a word in two of an entry's names counts twice: "total motile
#   count" and "total motile sperm count" made "count" weigh double and outranked the entry
#   named "sperm count" for that very query. A name whose words another of the entry's names
#   already holds is left out of the tags.
# - boost: when two entries match a query equally in their headings ("FSH" and "FSH therapy"),
#   the one with the shorter name is the closer match. Material indexes without length
#   normalisation (lunr's b = 0), so this tie-break has to be a boost.
HEADWORD_TIE_BREAK = 0.1
TAG_WEIGHT = 2000.0  # Material's title weight is 1000


def words(name: str) -> set[str]:
    return set(re.split(r"[\s\-]+", name.lower())) - {""}


def entry_tags(term, headwords: set[str]) -> list[str]:
    """The entry's names, less those that contain another entry's headword as a word and those
    whose words another of its names holds."""
    own = {term.term.lower()}
    names = (*term.aliases, *term.spellings, *term.misspellings, *term.lay_terms)
    kept = [name for name in names if not words(name) & (headwords - own)]
    # The headword is the entry's own name even when it contains another ("FSH therapy"); a
    # brand is a proper name ("Depo-Testosterone") that names this entry's medicine only.
    tags = list(dict.fromkeys([term.term, *kept, *(b.name for b in term.brands)]))
    wider: list[str] = []  # most words first, so a name is compared with the wider ones
    for name in sorted(tags, key=lambda name: -len(words(name))):
        if not any(words(name) <= words(other) for other in wider):
            wider.append(name)
    return [name for name in tags if name in wider]


def entry_boost(term) -> float:
    """Fewer words in the headword first ("FSH" before "FSH therapy"), then in the whole heading
    ("testosterone" before "TRT (testosterone replacement therapy)")."""
    headword, heading = len(term.term.split()), len(term.heading.replace("-", " ").split())
    return round(GLOSSARY_BOOST * (1 + HEADWORD_TIE_BREAK / headword
                                   + HEADWORD_TIE_BREAK / 10 / heading), 4)


# Every name of every entry also goes to the browser, as `glossary` in the index's configuration
# (Material hands that to the search worker) and as NAMES_FILE (read by search-level.js):
#
# - the worker (docs/assets/javascripts/workers/search-worker.js) puts an entry first when the
#   query holds one of its names as whole words, in any order ("no sperm", "balls shrinking",
#   "clomid side effects"), and adds the entry's headword to the query so that the chapters,
#   which use the headword, are found too. Ranking alone cannot do it: "no" is a stop word, so
#   "no sperm" is "sperm" to lunr, and a rarer word that merely starts with "sperm" outscores the
#   entry that says "no sperm". The worker also makes a glossary result's main link open the
#   entry, not the top of the glossary page, which is over 40 screens long on a phone;
# - when nothing matches, the page suggests the names spelled closest to the query ("andogel":
#   AndroGel). A misspelling is matched but never shown: the suggestion is the headword.
NAMES_FILE = "search/glossary_names.json"


def glossary_names(terms: dict, glossary_url: str = GLOSSARY_URL) -> dict:
    """{"url": the glossary page, "entries": {id: headword}, "names": [[name, id, kind], ...]}."""
    names: list[list[str]] = []
    for term in terms.values():
        forms = (("term", (term.term,)), ("long", (term.long,) if term.long else ()),
                 ("alias", term.aliases), ("spelling", term.spellings),
                 ("misspelling", term.misspellings), ("lay", term.lay_terms),
                 ("brand", dict.fromkeys(brand.name for brand in term.brands)))
        names += [[name, term.id, kind] for kind, names_of_kind in forms for name in names_of_kind]
    return {"url": glossary_url, "entries": {term.id: term.term for term in terms.values()},
            "names": names}


def rewrite_glossary_entries(index: dict, terms: dict, glossary_url: str = GLOSSARY_URL) -> int:
    """Set each glossary entry's tags and boost in a Material search index, and give the worker
    every entry's names (`glossary` in the index's configuration); returns how many entries."""
    headwords = {term.term.lower() for term in terms.values()}
    index["config"]["fields"]["tags"] = {"boost": TAG_WEIGHT}
    index["config"]["glossary"] = glossary_names(terms, glossary_url)
    changed = 0
    for doc in index["docs"]:
        page, _, anchor = doc["location"].partition("#")
        if page != glossary_url or anchor not in terms:
            continue
        term = terms[anchor]
        doc["boost"] = entry_boost(term)
        if tags := entry_tags(term, headwords):
            doc["tags"] = tags
        changed += 1
    return changed
