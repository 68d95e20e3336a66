"""Search in a real browser: readers' words find the right glossary entry or section, and every
result says its level.

One page of the built site is opened once; each query is typed into Material's own search box and
the result list is read as a reader sees it. A result is one item of Material's list (one page):
its visible links are the page itself and its best-matching sections; sections Material folds
under "more on this page" are not counted as found.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, BuiltSite
from guide import search as search_rules
from guide.glossary import load

TERMS = load(ROOT / "data/glossary.yaml")

RESULTS = """() => [...document.querySelectorAll('.md-search-result__list > .md-search-result__item')]
    .map(item => [...item.querySelectorAll(':scope > a.md-search-result__link')]
        .map(link => link.getAttribute('href')))"""
LEVELS = """() => [...document.querySelectorAll('.md-search-result__list > .md-search-result__item')]
    .map(item => {
        const label = item.querySelector('.trt-search-level');
        const link = item.querySelector('a.md-search-result__link');
        return {href: link.getAttribute('href'),
                text: label ? label.textContent.trim() : null,
                in_link: label ? link.contains(label) : null,
                hidden: label ? label.querySelector('.trt-visually-hidden').textContent : null};
    })"""
SETTLED = """() => {
    const meta = document.querySelector('.md-search-result__meta');
    return meta && !/Type to start|Initializing/i.test(meta.textContent);
}"""


def open_search_page(page, base_url: str) -> None:
    page.goto(base_url + "fundamentals/")
    page.click("input.md-search__input")
    page.wait_for_function(
        "() => !/Initializing/i.test(document.querySelector('.md-search-result__meta').textContent)")


def site_path(href: str, base_url: str = "") -> str:
    """A result link as a site-relative URL: 'glossary/#hcg' (query string dropped)."""
    parts = urlsplit(href)
    path = parts.path.lstrip("/")
    for prefix in ("../",):
        while path.startswith(prefix):
            path = path[len(prefix):]
    return path + (f"#{parts.fragment}" if parts.fragment else "")


def search_results(page, query: str) -> list[list[str]]:
    """The result items for a query, each as its visible links (site-relative, best first)."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press("End")  # Material searches on key events, which fill() alone does not send
    page.wait_for_function("() => /Type to start/i.test("
                           "document.querySelector('.md-search-result__meta').textContent)")
    box.fill(query)
    box.press("End")
    page.wait_for_function(SETTLED)
    return [[site_path(href) for href in item] for item in page.evaluate(RESULTS)]


def rank(results: list[list[str]], expected: str) -> int | None:
    """1-based position of the first result item whose visible links include the expected URL."""
    return next((i for i, item in enumerate(results, 1) if expected in item), None)


# (query, expected URL, the expected result must be among the first N)
ISSUE_QUERIES = [
    ("hCG", "glossary/#hcg", 3),
    ("FSH", "glossary/#fsh", 3),
    ("LH", "glossary/#lh", 3),
    ("follicle-stimulating hormone", "glossary/#fsh", 3),
    ("follicle stimulating hormone", "glossary/#fsh", 3),
    ("luteinizing hormone", "glossary/#lh", 3),
    ("HPG axis", "glossary/#hpg-axis", 3),
    ("azoospermia", "glossary/#azoospermia", 3),
    ("human chorionic gonadotropin", "glossary/#hcg", 3),
    ("aromatase inhibitor", "glossary/#aromatase-inhibitor", 3),
    ("SERM", "glossary/#serm", 3),
    ("gonadorelin", "glossary/#gonadorelin", 3),
    ("Clomid", "glossary/#clomiphene", 5),
    ("Arimidex", "glossary/#anastrozole", 5),
    ("Pregnyl", "glossary/#hcg", 5),
    ("Ovidrel", "glossary/#hcg", 5),
    ("clomifene", "glossary/#clomiphene", 5),
    ("oestradiol", "glossary/#estradiol", 5),
    ("oestrogen", "glossary/#estrogen", 5),
    ("luteinising", "glossary/#lh", 5),
    ("anastrazole", "glossary/#anastrozole", 5),
    ("clomifine", "glossary/#clomiphene", 5),
    pytest.param("low T", "glossary/#hypogonadism", 5, marks=pytest.mark.xfail(strict=True, reason=(
        "Material adds a trailing wildcard to every word, so 't*' matches every heading word that"
        " starts with t ('testis', 'testes', 'micro-TESE (... testicular ...)') and outranks the"
        " entry whose other name is 'low T'"))),
    pytest.param("sperm count", "glossary/#sperm-concentration", 5, marks=pytest.mark.xfail(
        strict=True, reason=(
            "lunr has no phrase search: 'count' is rarer than 'sperm' on this site, so the entry"
            " named 'total motile count' outranks the one also called 'sperm count'"))),
    ("shrinking testicles", "glossary/#testicular-atrophy", 5),
    ("steroids", "glossary/#anabolic-androgenic-steroids", 5),
    ("the shot", "glossary/#trt", 5),
    ("fertility pill", "glossary/#clomiphene", 5),
    ("when to see a doctor", "fundamentals/talking-with-your-doctor/#when-to-see-a-specialist", 5),
]
HEADWORD_QUERIES = sorted({(form, f"glossary/#{term.id}")
                           for term in TERMS.values() for form in (term.term, term.long) if form})
BRAND_QUERIES = sorted({(brand.name, f"glossary/#{term.id}")
                        for term in TERMS.values() for brand in term.brands})


@pytest.fixture(scope="module")
def search_page(browser, site_server):
    page = browser.new_page()
    open_search_page(page, site_server)
    yield page
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize(("query", "expected", "within"), ISSUE_QUERIES,
                         ids=[p.values[0] if hasattr(p, "values") else p[0] for p in ISSUE_QUERIES])
def test_search__readers_words_find_the_entry(search_page, query, expected, within) -> None:
    results = search_results(search_page, query)
    assert (rank(results, expected) or 99) <= within, results[:within]


@pytest.mark.browser
@pytest.mark.parametrize(("query", "expected"), HEADWORD_QUERIES,
                         ids=[q for q, _ in HEADWORD_QUERIES])
def test_search__every_headword_and_long_form_finds_its_entry_first_three(
    search_page, query, expected
) -> None:
    results = search_results(search_page, query)
    assert (rank(results, expected) or 99) <= 3, results[:3]


@pytest.mark.browser
@pytest.mark.parametrize(("brand", "expected"), BRAND_QUERIES, ids=[b for b, _ in BRAND_QUERIES])
def test_search__every_brand_name_finds_its_medicine(search_page, brand, expected) -> None:
    results = search_results(search_page, brand)
    assert (rank(results, expected) or 99) <= 5, results[:5]


@pytest.mark.browser
def test_search__fundamentals_section_ranks_above_academic_for_a_shared_term(search_page) -> None:
    results = search_results(search_page, "gonadorelin")
    pages = [item[0] for item in results]
    assert pages.index("fundamentals/protecting-fertility/") < pages.index(
        "academic/protecting-fertility/"), pages


@pytest.mark.browser
def test_search__every_result_shows_its_level(search_page) -> None:
    search_results(search_page, "hCG")
    labels = search_page.evaluate(LEVELS)
    tiers = {"fundamentals/": "Fundamentals", "intermediate/": "Intermediate",
             "academic/": "Academic"}
    seen = set()
    for label in labels:
        path = site_path(label["href"])
        level = next((name for prefix, name in tiers.items() if path.startswith(prefix)), None)
        if level is None:
            assert label["text"] is None, label  # glossary, references, about: no level
            continue
        seen.add(level)
        # "Level: " is for screen readers; the label is inside the link, so it is in its name.
        assert label == {**label, "text": f"Level: {level}", "in_link": True, "hidden": "Level: "}
    assert seen == set(tiers.values())


def test_search_index__glossary_is_boosted_and_tiers_in_reading_order(built_site: BuiltSite) -> None:
    docs = json.loads((built_site.root / "search/search_index.json").read_text())["docs"]
    boost = {d["location"]: d.get("boost", 1.0) for d in docs}
    assert boost["glossary/"] == search_rules.GLOSSARY_BOOST
    assert (boost["fundamentals/protecting-fertility/"] > boost["intermediate/protecting-fertility/"]
            > boost["academic/protecting-fertility/"])


@pytest.mark.parametrize(("src_uri", "expected"), [
    ("glossary.md", search_rules.GLOSSARY_BOOST),
    ("fundamentals/restoring-fertility.md", search_rules.TIER_BOOST["fundamentals"]),
    ("academic/index.md", search_rules.TIER_BOOST["academic"]),
    ("about/disclaimer.md", None),
    ("references.md", None),
])
def test_search_boost__by_page(src_uri, expected) -> None:
    assert search_rules.boost_for(src_uri) == expected
