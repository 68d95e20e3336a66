"""Search in a real browser: readers' words find the right glossary entry or section, and every
result says its level.

One page of the built site is opened once; each query is typed into Material's own search box and
the result list is read as a reader sees it. A result is one item of Material's list (one page):
its visible links are the page itself and its best-matching sections; sections Material folds
under "more on this page" are not counted as found.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import AXE_SOURCE, AXE_TAGS, ROOT, BuiltSite, build, copy_project, section_position
from guide import search as search_rules
from guide.bibliography import load as load_bibliography
from guide.glossary import GlossaryError, Term, check_sources, load, parse

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
    ("low T", "glossary/#hypogonadism", 5),  # "T" is a whole word (search-worker.js)
    ("sperm count", "glossary/#sperm-count", 5),
    ("shrinking testicles", "glossary/#testicular-atrophy", 5),
    ("steroids", "glossary/#anabolic-androgenic-steroids", 5),
    ("the shot", "glossary/#trt", 5),
    ("fertility pill", "glossary/#clomiphene", 5),
    # The issue's target: "Talking with your doctor" (its item shows the page and, when it
    # scores highest, the "When to see a specialist" section).
    ("when to see a doctor", "fundamentals/talking-with-your-doctor/", 5),
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
                         ids=[query for query, _, _ in ISSUE_QUERIES])
def test_search__readers_words_find_the_entry(search_page, query, expected, within) -> None:
    results = search_results(search_page, query)
    assert (rank(results, expected) or 99) <= within, results[:within]


@pytest.mark.browser
@pytest.mark.parametrize(("query", "expected"), [
    ("azoosp", "glossary/#azoospermia"),  # words of three letters or more still match as typed
    ("testost", "glossary/#testosterone"),
    ("gonador", "glossary/#gonadorelin"),
    ("clomip", "glossary/#clomiphene"),
])
def test_search__a_partly_typed_word_still_finds_its_entry(search_page, query, expected) -> None:
    results = search_results(search_page, query)
    assert (rank(results, expected) or 99) <= 5, results[:5]


def test_search_worker__every_page_loads_material_search_through_ours(built_site: BuiltSite) -> None:
    """The short-word, named-entry and entry-link rules (docs/assets/javascripts/workers/
    search-worker.js) are in force only if each page's configuration names that worker, and the
    worker can load Material's."""
    workers = built_site.root / "assets/javascripts/workers"
    configs = 0
    for page in sorted(built_site.root.rglob("*.html")):
        tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
        if tree.css_first("input.md-search__input") is None:  # redirect stubs: no search box
            continue
        address = urlsplit(json.loads(tree.css_first("script#__config").text())["search"])
        assert address.path.endswith("/workers/search-worker.js"), (page, address)
        material = address.query.removeprefix("material=")
        assert (workers / material).is_file() and material.startswith("search."), (page, address)
        configs += 1
    assert configs >= 28


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
@pytest.mark.parametrize("query", ["gonadorelin", "hCG", "FSH", "clomiphene", "sperm banking",
                                   "azoospermia", "anastrozole"])
def test_search__fundamentals_ranks_above_academic_for_a_shared_term(search_page, query) -> None:
    """Terms that Fundamentals and Academic both use in a heading, or both only in text. (A
    heading still outranks text at any level: "LH" heads a section in Intermediate and Academic
    but only appears in Fundamentals' text, so those sections come first.)"""
    pages = [item[0] for item in search_results(search_page, query)]
    tiers = [page.split("/")[0] for page in pages]
    assert "fundamentals" in tiers and "academic" in tiers, pages
    assert tiers.index("fundamentals") < tiers.index("academic"), pages


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


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search__level_labels_and_name_tags_pass_axe(browser, site_server, scheme) -> None:
    """WCAG A/AA on what this project adds to Material's results (labels, tag colours)."""
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    try:
        open_search_page(page, site_server)
        search_results(page, "Clomid")
        search_results(page, "gonadorelin")
        assert page.locator(".trt-search-level").count() and page.locator(".md-tag mark").count()
        assert page.locator(".trt-search-kind").count()  # "Glossary" on the entry's result
        page.add_script_tag(path=str(AXE_SOURCE))
        violations = page.evaluate(
            """tags => axe.run({include: [['.md-search-result .trt-search-level'],
                                          ['.md-search-result .trt-search-kind'],
                                          ['.md-search-result .md-tag']]},
                               {runOnly: {type: 'tag', values: tags}})
                .then(r => r.violations.map(v => v.id + ': ' + v.nodes.length))""", AXE_TAGS)
    finally:
        context.close()
    assert violations == []


def test_search_index__glossary_is_boosted_and_tiers_in_reading_order(built_site: BuiltSite) -> None:
    docs = json.loads((built_site.root / "search/search_index.json").read_text())["docs"]
    boost = {d["location"]: d.get("boost") for d in docs}
    # Numbers as written, not the module's constants: a changed constant must fail here.
    assert boost["glossary/"] == 3.0
    assert [boost[f"{tier}/protecting-fertility/"] for tier in ("fundamentals", "intermediate", "academic")
            ] == [1.6, 1.3, 1.0]
    assert boost["fundamentals/protecting-fertility/#hcg-alongside-trt"] == 1.6
    assert boost["references/"] is None


@pytest.mark.parametrize(("url", "expected"), [
    ("glossary/", 3.0),
    ("fundamentals/restoring-fertility/", 1.6),
    ("intermediate/", 1.3),
    ("academic/", 1.0),
    ("about/disclaimer/", None),
    ("references/", None),
    ("", None),
])
def test_search_boost__by_page(url, expected) -> None:
    assert search_rules.boost_for_url(url) == expected


# --- Brand names and other names: visible, sourced, and the same words search uses -------------

SOURCES = load_bibliography(ROOT / "data/bibliography.yaml")


def entry_text(glossary_html: str, term_id: str) -> tuple[str, list[str]]:
    """The visible text of a glossary entry and the hrefs of its links."""
    tree = LexborHTMLParser(glossary_html)
    node, parts, hrefs = tree.css_first(f"h2#{term_id}").next, [], []
    while node is not None and node.tag != "h2":
        if node.tag == "p":
            parts.append(node.text(separator=" "))
            hrefs += [a.attributes.get("href", "") for a in node.css("a")]
        node = node.next
    return " ".join(" ".join(parts).split()), hrefs


def test_glossary_data__every_brand_cites_a_label_or_regulator_record() -> None:
    brands = [(term.id, brand) for term in TERMS.values() for brand in term.brands]
    assert len(brands) >= 20
    for term_id, brand in brands:
        source = SOURCES.get(brand.source)
        assert source is not None, (term_id, brand)
        assert source.type == "web" and source.url.startswith(("https://", "http://")), source


def test_glossary_page__shows_every_name_search_uses_with_brand_citations(
    built_site: BuiltSite,
) -> None:
    html = built_site.html("glossary/")
    docs = json.loads((built_site.root / "search/search_index.json").read_text())["docs"]
    tags = {d["location"].split("#")[1]: d.get("tags", []) for d in docs
            if d["location"].startswith("glossary/#")}
    for term in TERMS.values():
        text, hrefs = entry_text(html, term.id)
        for name in term.search_forms:  # nothing search finds is hidden from the reader
            assert name in text or name in term.heading, (term.id, name)
        assert set(tags[term.id]) <= set(term.search_forms) | {term.term}
        for brand in term.brands:
            assert f"../references/#ref-{brand.source}" in hrefs, (term.id, brand)
        if term.brands:
            assert "Brand names: " in text
        if term.spellings:
            assert "Also spelled: " + ", ".join(term.spellings) in text


def test_references_page__brand_sources_link_back_to_their_glossary_entry(
    built_site: BuiltSite,
) -> None:
    tree = LexborHTMLParser(built_site.html("references/"))
    for term in TERMS.values():
        for brand in term.brands:
            item = tree.css_first(f"li#ref-{brand.source}")
            back = [a.attributes["href"] for a in item.css(".trt-cited-in a")]
            assert any(href.endswith(f"glossary/#{term.id}") for href in back), (brand, back)


@pytest.mark.parametrize(("brands", "fault"), [
    ([{"name": "Clomid", "market": "US"}], "needs the bibliography key"),
    ([{"name": "Clomid", "market": "Mars", "source": "openfda_clomid"}], "market must be one of"),
    ([{"market": "US", "source": "openfda_clomid"}], "needs a name"),
    ([{"name": "Clomid", "market": "US", "source": "x", "price": 3}], "unknown fields price"),
])
def test_glossary_parse__brand_without_market_or_source_is_an_error(brands, fault) -> None:
    entry = {"id": "clomiphene", "term": "clomiphene", "definition": "A pill.",
             "explained_in": "protecting-fertility", "brands": brands}
    with pytest.raises(GlossaryError, match=fault):
        parse([entry], "test")


def test_glossary_check_sources__names_a_brand_whose_source_is_missing() -> None:
    entry = {"id": "clomiphene", "term": "clomiphene", "definition": "A pill.",
             "explained_in": "protecting-fertility",
             "brands": [{"name": "Clomid", "market": "US", "source": "no_such_label"}]}
    assert check_sources(parse([entry], "test"), set(SOURCES)) == [
        "clomiphene: brand Clomid: source 'no_such_label' is not in the bibliography"]


def test_build__brand_with_a_source_the_bibliography_lacks_stops_the_build(tmp_path) -> None:
    project = copy_project(tmp_path)
    glossary = project / "data" / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    assert "source: openfda_clomid}" in text
    glossary.write_text(text.replace("source: openfda_clomid}", "source: openfda_clomidd}"),
                        encoding="utf-8")
    result = build(project, tmp_path / "built")
    assert result.returncode != 0
    assert "brand Clomid: source 'openfda_clomidd' is not in the bibliography" in result.stderr


@pytest.mark.parametrize(("term_id", "expected"), [
    ("fsh", ["FSH"]),                    # not "follicle stimulating hormone": it holds "hormone"
    ("fsh-therapy", ["FSH therapy", "hMG", "Gonal-f", "Bemfola", "Ovaleap", "Follistim AQ",
                     "Puregon", "Menopur"]),        # not "recombinant FSH", which would take "FSH"
    ("hypogonadism", ["hypogonadism", "low T"]),
    # "total motile count" is inside "total motile sperm count": its words would count twice
    ("total-motile-count", ["total motile sperm count"]),
    ("anabolic-androgenic-steroids", ["anabolic-androgenic steroids", "AAS"]),
])
def test_entry_tags__leave_out_names_holding_another_entrys_headword(term_id, expected) -> None:
    headwords = {term.term.lower() for term in TERMS.values()}
    assert search_rules.entry_tags(TERMS[term_id], headwords) == expected


def glossary_term(term: str, *aliases: str) -> Term:
    return Term(id=term.lower().replace(" ", "-"), term=term, definition="D.", explained_in="x",
                aliases=aliases)


def test_entry_tags__a_name_holding_the_entrys_own_headword_stays() -> None:
    """Only other entries' headwords take a name out of the tags: "clomiphene citrate" is clomiphene's."""
    headwords = {"clomiphene", "fsh", "citrate pill"}
    assert search_rules.entry_tags(glossary_term("clomiphene", "clomiphene citrate", "FSH pill"),
                                   headwords) == ["clomiphene citrate"]
    assert "clomiphene citrate" in search_rules.entry_tags(
        TERMS["clomiphene"], {term.term.lower() for term in TERMS.values()})


def test_entry_tags__names_differing_only_by_a_hyphen_give_one_tag() -> None:
    term = glossary_term("post-cycle therapy", "post cycle therapy", "PCT", "post-cycle-therapy")
    assert search_rules.entry_tags(term, {"post-cycle therapy"}) == ["post-cycle therapy", "PCT"]


def test_entry_boost__shorter_name_wins_a_tie() -> None:
    boost = search_rules.entry_boost
    assert boost(TERMS["fsh"]) > boost(TERMS["fsh-therapy"])
    assert boost(TERMS["testosterone"]) > boost(TERMS["trt"])
    assert min(boost(t) for t in TERMS.values()) > 3.0  # the glossary page's own boost
    # 3 x (1 + 0.1 / words in the headword + 0.01 / words in the heading)
    assert (boost(TERMS["fsh"]), boost(TERMS["fsh-therapy"]), boost(TERMS["testosterone"])) == (
        3.3075, 3.165, 3.33)


def test_rewrite_glossary_entries__sets_tags_boost_and_tag_weight() -> None:
    index = {"config": {"fields": {"title": {"boost": 1000.0}, "tags": {"boost": 1e6}}},
             "docs": [{"location": "glossary/#hcg", "title": "hCG", "text": ""},
                      {"location": "glossary/", "title": "Glossary", "text": ""},
                      {"location": "fundamentals/x/#hcg", "title": "hCG", "text": ""}]}
    assert search_rules.rewrite_glossary_entries(index, TERMS) == 1
    hcg, page, chapter = index["docs"]
    assert "Pregnyl" in hcg["tags"] and hcg["boost"] == 3.3075
    assert "tags" not in page and "tags" not in chapter and "boost" not in chapter
    assert index["config"]["fields"]["tags"] == {"boost": 2000.0}  # twice Material's title weight


# --- Readers' words, short words, glossary results that open their entry, and no results -------
#
# Each query was given its targets from the content before it was run: the glossary entry that
# defines the reader's word, or the sections that answer the question (at any level). A target in
# the first five results, on a phone and on a desktop, passes.

DEVICES = {
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
ARTIFACTS = ROOT / "test-artifacts" / "search"

CLOMIPHENE_SIDE_EFFECTS = (  # sections that give the label's vision warning
    "fundamentals/protecting-fertility/#clomiphene-and-enclomiphene",
    "fundamentals/restoring-fertility/#serms-and-aromatase-inhibitors",
    "intermediate/protecting-fertility/#serms",
    "intermediate/restoring-fertility/#serms-and-aromatase-inhibitors",
    "academic/protecting-fertility/#clomiphene",
    "academic/restoring-fertility/#serms",
)
REVERSIBLE = ("fundamentals/why-trt-lowers-sperm/#can-it-be-undone",
              "intermediate/why-trt-lowers-sperm/#is-it-reversible",
              "academic/why-trt-lowers-sperm/#reversibility")
RECOVERY_TIME = ("fundamentals/recovery-timeline/#why-recovery-takes-months",
                 "fundamentals/recovery-timeline/#recovery-numbers",
                 "intermediate/recovery-timeline/#why-recovery-takes-months",
                 "fundamentals/restoring-fertility/#waiting-for-recovery")
AFTER_STEROIDS = ("fundamentals/restoring-fertility/#after-anabolic-steroids",
                  "fundamentals/why-trt-lowers-sperm/#anabolic-steroids",
                  "fundamentals/recovery-timeline/#anabolic-steroids",
                  "intermediate/restoring-fertility/#anabolic-steroid-users",
                  "academic/restoring-fertility/#after-anabolic-steroids",
                  "academic/restoring-fertility/#anabolic-steroid-users")

# (query, the places that answer it)
READERS_QUERIES = [
    # The issue's queries.
    ("is it permanent", ("glossary/#sperm-recovery", *REVERSIBLE)),
    ("no sperm", ("glossary/#azoospermia", "fundamentals/why-trt-lowers-sperm/#how-often-sperm-drop",
                  "intermediate/why-trt-lowers-sperm/#how-often")),
    ("pct", ("glossary/#post-cycle-therapy", *AFTER_STEROIDS)),
    ("clomid side effects", ("glossary/#clomiphene", *CLOMIPHENE_SIDE_EFFECTS)),
    ("low T", ("glossary/#hypogonadism",)),
    ("sperm count", ("glossary/#sperm-count",)),
    # Readers' words: questions, misspellings, brand names, everyday words.
    ("will my sperm come back", ("glossary/#sperm-recovery", *REVERSIBLE, *RECOVERY_TIME)),
    ("how long to recover", ("glossary/#sperm-recovery", *RECOVERY_TIME)),
    ("can I still have kids", ("glossary/#fertility", "fundamentals/why-trt-lowers-sperm/#trt-and-fertility",
                               "fundamentals/protecting-fertility/#do-you-want-a-child",
                               *REVERSIBLE)),
    ("does trt make you infertile", ("glossary/#infertility", "fundamentals/why-trt-lowers-sperm/",
                                     "fundamentals/why-trt-lowers-sperm/#trt-and-fertility")),
    ("testogel", ("glossary/#trt",)),
    ("hcg shots", ("glossary/#hcg", "fundamentals/protecting-fertility/#hcg-alongside-trt",
                   "fundamentals/restoring-fertility/#hcg-for-recovery")),
    ("hcg side effects", ("fundamentals/protecting-fertility/#hcg-alongside-trt",
                          "fundamentals/restoring-fertility/#hcg-for-recovery",
                          "academic/protecting-fertility/#hcg-risks",
                          "academic/restoring-fertility/#hcg-label-and-safety")),
    ("azospermia", ("glossary/#azoospermia",)),
    ("clomifene", ("glossary/#clomiphene",)),
    ("shrinking balls", ("glossary/#testicular-atrophy",)),
    ("balls shrinking", ("glossary/#testicular-atrophy",)),
    ("small testicles", ("glossary/#testicular-atrophy",)),
    ("gonadorelin twice a week", ("glossary/#gonadorelin", "fundamentals/protecting-fertility/#gonadorelin",
                                  "fundamentals/restoring-fertility/#gonadorelin-for-recovery",
                                  "intermediate/protecting-fertility/#gonadorelin",
                                  "intermediate/restoring-fertility/#gonadorelin")),
    # Only the Fundamentals section mentions what storage costs; the entry says what banking is.
    ("sperm banking cost", ("fundamentals/protecting-fertility/#sperm-banking", "glossary/#sperm-banking")),
    ("freezing sperm", ("glossary/#sperm-banking", "fundamentals/protecting-fertility/#sperm-banking")),
    # The TRT entry does not answer this one; the "not birth control" sections do.
    ("trt birth control", ("fundamentals/why-trt-lowers-sperm/#not-birth-control",
                           "intermediate/why-trt-lowers-sperm/#not-contraception",
                           "academic/why-trt-lowers-sperm/#not-contraception")),
    ("steroids fertility", ("glossary/#anabolic-androgenic-steroids", *AFTER_STEROIDS)),
    ("post cycle therapy", ("glossary/#post-cycle-therapy", *AFTER_STEROIDS)),
    ("enclomiphene", ("glossary/#enclomiphene",
                      "fundamentals/protecting-fertility/#clomiphene-and-enclomiphene",
                      "academic/protecting-fertility/#enclomiphene")),
    ("fsh injections", ("glossary/#fsh-therapy", "fundamentals/restoring-fertility/#adding-fsh",
                        "intermediate/restoring-fertility/#fsh-therapy",
                        "academic/restoring-fertility/#fsh-therapy")),
    ("semen analysis normal", ("glossary/#semen-analysis",
                               "fundamentals/recovery-timeline/#reading-a-semen-report",
                               "academic/recovery-timeline/#who-reference-limits")),
    ("low sperm count", ("glossary/#oligozoospermia",)),
]
SHORT_WORD_QUERIES = ["it", "no", "on", "is it permanent", "no sperm", "is it safe", "no sperm after trt"]
NOT_FIRST_FOR_SHORT_WORDS = {"glossary/#intratesticular-testosterone", "glossary/#tamoxifen"}


def open_search(page, base_url: str, device: str) -> None:
    """Open search as a reader does: the magnifier in the header on a phone, the box on a desktop."""
    page.goto(base_url + "fundamentals/")
    if device == "phone":
        page.locator(".md-header__button[for='__search']").tap()
    else:
        page.click("input.md-search__input")
    page.wait_for_function(
        "() => !/Initializing/i.test(document.querySelector('.md-search-result__meta').textContent)")


@pytest.fixture(scope="module", params=list(DEVICES))
def device_search_page(request, browser, site_server):
    context = browser.new_context(**DEVICES[request.param])
    page = context.new_page()
    open_search(page, site_server, request.param)
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize(("query", "targets"), READERS_QUERIES, ids=[q for q, _ in READERS_QUERIES])
def test_search__readers_questions_find_a_place_that_answers_them(
    device_search_page, query, targets
) -> None:
    results = search_results(device_search_page, query)[:5]
    assert any(target in item for item in results for target in targets), results


@pytest.mark.browser
def test_search__clomid_side_effects_finds_the_sections_that_give_them(search_page) -> None:
    """Not only the clomiphene entry (named by "Clomid"), which gives no side effects: a section
    with the label's vision warning, found through the entry's headword the worker adds."""
    results = search_results(search_page, "clomid side effects")[:5]
    assert any(target in item for item in results for target in CLOMIPHENE_SIDE_EFFECTS), results


@pytest.mark.browser
@pytest.mark.parametrize("query", SHORT_WORD_QUERIES)
def test_search__short_words_match_whole_words_only(device_search_page, query) -> None:
    """"it" and "no" no longer match the start of "ITT" and "Nolvadex" (search-worker.js)."""
    results = search_results(device_search_page, query)
    assert not results or results[0][0] not in NOT_FIRST_FOR_SHORT_WORDS, results[:3]


ALL_LINKS = """() => [...document.querySelectorAll('.md-search-result__list a.md-search-result__link')]
    .map(link => link.getAttribute('href'))"""


def result_count(page) -> int:
    """Material's count of result items: "20 matching documents", "No matching documents"."""
    count = re.match(r"\d+", page.locator(".md-search-result__meta").text_content().strip())
    return int(count.group()) if count else 0


@pytest.mark.browser
def test_search__a_minus_word_keeps_its_exclusion(search_page, built_site: BuiltSite) -> None:
    """"hcg -t" (lunr's "must not contain") is passed on as typed: no result holds the word "t",
    although "hcg" alone finds some that do (the source lists, whose titles say "T"); and
    "hcg -clomid" names no glossary entry by its excluded word."""
    index = json.loads((built_site.root / "search/search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    index_doc = {doc["location"]: doc for doc in index["docs"]}

    def words(doc: dict) -> set[str]:
        text = " ".join([doc["title"], re.sub(r"<[^>]+>", " ", doc["text"]), *doc.get("tags", [])])
        return set(separator.split(text.lower())) - {""}

    def holding(word: str) -> set[str]:
        return {doc["location"] for doc in index["docs"] if word in words(doc)}

    with_t = {location for location in holding("t")
              if any(word.startswith("hcg") for word in words(index_doc[location]))}
    assert with_t
    search_results(search_page, "hcg")
    plain = result_count(search_page)
    search_results(search_page, "hcg -t")
    excluded = [site_path(href) for href in search_page.evaluate(ALL_LINKS)]
    assert excluded and result_count(search_page) < plain
    assert not {href.split("?")[0] for href in excluded} & with_t
    # An excluded word names no entry either: "-clomid" must not bring back the clomiphene entry,
    # whose brand names say "Clomid" (a named entry is shown even when lunr did not match it).
    assert "glossary/#clomiphene" in holding("clomid")
    assert search_results(search_page, "hcg clomid")[0][0] == "glossary/#clomiphene"
    search_results(search_page, "hcg -clomid")
    shown = {site_path(href).split("?")[0] for href in search_page.evaluate(ALL_LINKS)}
    assert shown and not shown & holding("clomid")


@pytest.mark.browser
@pytest.mark.parametrize("device", list(DEVICES))
@pytest.mark.parametrize(("query", "entry"), [("hCG", "hcg"), ("Clomid", "clomiphene"),
                                               ("no sperm", "azoospermia")])
def test_search__glossary_result_opens_its_entry_not_the_top_of_the_glossary(
    browser, site_server, device, query, entry
) -> None:
    context = browser.new_context(**DEVICES[device])
    page = context.new_page()
    try:
        open_search(page, site_server, device)
        assert search_results(page, query)[0][0] == f"glossary/#{entry}"
        item = page.locator(".md-search-result__list > .md-search-result__item").first
        main = item.locator(":scope > a.md-search-result__link").first
        assert main.locator(".trt-search-kind").text_content() == "From the Glossary"
        (main.tap if device == "phone" else main.click)()
        page.wait_for_url(lambda url: urlsplit(url).path.endswith("/glossary/")
                          and urlsplit(url).fragment == entry)
        position = section_position(page, entry)
    finally:
        context.close()
    assert position["header_bottom"] - 1 <= position["top"] < position["height"] - 40, position




HELP = """() => {
    const help = document.querySelector('.md-search-result .trt-search-help');
    const visible = el => !!el && !el.closest('[hidden]') && el.getClientRects().length > 0;
    return {
        shown: visible(help),
        title: help.querySelector('h2').textContent.trim(),
        title_visible: visible(help.querySelector('h2')),
        near_shown: visible(help.querySelector('.trt-search-help__near')),
        near: [...help.querySelectorAll('.trt-search-help__names a')]
            .map(a => ({text: a.textContent, href: a.href, visible: visible(a)})),
        routes: [...help.querySelectorAll('.trt-search-help__routes a')]
            .map(a => ({text: a.textContent, href: a.href, visible: visible(a)})),
    };
}"""


def no_results_help(page, query: str) -> dict:
    """The suggestions for a query that finds nothing, once the near names are worked out."""
    assert search_results(page, query) == []
    page.wait_for_function("query => document.querySelector('.trt-search-help')"
                           ".getAttribute('data-trt-suggested-for') === query", arg=query)
    return page.evaluate(HELP)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", list(DEVICES))
def test_search__no_results_suggests_glossary_situations_and_near_spellings(
    browser, site_server, built_site: BuiltSite, device, scheme
) -> None:
    context = browser.new_context(**DEVICES[device], color_scheme=scheme)
    page = context.new_page()
    try:
        open_search(page, site_server, device)
        help = no_results_help(page, "zorbulent sperminator")
        page.add_script_tag(path=str(AXE_SOURCE))
        violations = page.evaluate(
            """tags => axe.run({include: [['.md-search-result .trt-search-help']]},
                               {runOnly: {type: 'tag', values: tags}})
                .then(r => r.violations.map(v => v.id + ': ' + v.nodes.length))""", AXE_TAGS)
        nonsense = no_results_help(page, "xqzvwk")
        search_results(page, "hcg")
        gone = page.evaluate(HELP)["shown"]
    finally:
        context.close()
    assert help["shown"] and help["title_visible"] and help["title"]
    # 1. Near spellings: names of real entries, linked to them.
    assert help["near_shown"] and 1 <= len(help["near"]) <= 5, help
    for link in help["near"]:
        assert link["visible"] and urlsplit(link["href"]).fragment in TERMS, link
    # 2. and 3. The glossary A-Z and the start page's situations, which exist.
    glossary, situations = help["routes"]
    assert glossary["visible"] and glossary["href"] == site_server + "glossary/"
    assert situations["visible"] and situations["href"] == site_server + "#by-situation"
    assert LexborHTMLParser(built_site.html("")).css_first("#by-situation") is not None
    assert violations == []
    # A string like no word at all: no near names (no empty list), the two routes still.
    assert nonsense["shown"] and not nonsense["near_shown"] and len(nonsense["routes"]) == 2
    assert not gone, "the suggestions stay after a query that finds results"


@pytest.mark.browser
@pytest.mark.parametrize(("query", "name", "entry"), [
    ("andogel", "AndroGel", "trt"),
    ("testostrone", "testosterone", "testosterone"),
    ("nolvadecs", "Nolvadex", "tamoxifen"),
    ("gonadorellin", "gonadorelin", "gonadorelin"),
    ("azoosperma", "azoospermia", "azoospermia"),
    ("spermatogenisis", "spermatogenesis", "spermatogenesis"),
])
def test_search__a_misspelling_with_no_results_suggests_the_right_name(
    search_page, site_server, query, name, entry
) -> None:
    help = no_results_help(search_page, query)
    assert help["near"], help
    first = help["near"][0]
    assert first["text"] == name and first["href"] == f"{site_server}glossary/#{entry}", help["near"]


@pytest.mark.browser
@pytest.mark.parametrize("query", ["it", "no", "is it"])
def test_search__no_near_spellings_for_short_words(search_page, query) -> None:
    """"it" is one typing mistake from "ITT": no suggestion from words under four letters."""
    help = no_results_help(search_page, query)
    assert help["shown"] and not help["near_shown"]


@pytest.mark.browser
def test_search__screenshots_of_results_and_of_no_results(browser, site_server) -> None:
    """test-artifacts/search/: a result list (phone dark, desktop light) and the no-results
    state (both), for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots = [("phone", "dark", "results", "clomid side effects"),
             ("desktop", "light", "results", "no sperm"),
             ("phone", "dark", "no-results", "andogel"),
             ("desktop", "light", "no-results", "andogel")]
    for device, scheme, state, query in shots:
        context = browser.new_context(**DEVICES[device], color_scheme=scheme, device_scale_factor=2)
        page = context.new_page()
        try:
            open_search(page, site_server, device)
            if state == "results":
                assert search_results(page, query)
            else:
                no_results_help(page, query)
            path = ARTIFACTS / f"{state}-{device}-{scheme}.png"
            page.screenshot(path=str(path))
        finally:
            context.close()
        assert path.stat().st_size > 10_000


def test_glossary_names__every_name_of_every_entry_for_the_worker_and_the_page(
    built_site: BuiltSite,
) -> None:
    index = json.loads((built_site.root / "search/search_index.json").read_text(encoding="utf-8"))
    names = index["config"]["glossary"]
    assert names == json.loads((built_site.root / search_rules.NAMES_FILE).read_text(encoding="utf-8"))
    assert names["url"] == "glossary/" and names["entries"] == {t.id: t.term for t in TERMS.values()}
    listed = {(name, term_id) for name, term_id, _ in names["names"]}
    for term in TERMS.values():
        assert {(form, term.id) for form in term.search_forms} <= listed, term.id
    kinds = {name: kind for name, _, kind in names["names"]}
    assert kinds["clomifine"] == "misspelling" and kinds["Clomid"] == "brand"
    assert kinds["no sperm"] == "lay" and kinds["PCT"] == "alias"


@pytest.mark.browser
def test_search__enter_opens_the_best_result_the_named_entry(browser, site_server) -> None:
    """Material's Enter key follows the best-scored link: the entry the query names. Enter with
    no results stays put, and the suggestions' links do not stop Enter afterwards."""
    page = browser.new_page(**DEVICES["desktop"])
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        open_search(page, site_server, "desktop")
        box = page.locator("input.md-search__input")
        no_results_help(page, "andogel")
        start = page.url
        box.press("Enter")
        page.wait_for_timeout(300)
        assert page.url == start and page.evaluate(HELP)["shown"]
        search_results(page, "gonadorelin twice a week")
        box.press("Enter")
        page.wait_for_url(lambda url: urlsplit(url).fragment == "gonadorelin")
        assert urlsplit(page.url).path.endswith("/glossary/")
    finally:
        page.close()
    assert errors == []
