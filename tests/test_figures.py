"""The figures: drawn from data/figures/, used on two tiers or more, cited, accessible, readable.

Screenshots of every figure (light and dark, 375 and 1280 px wide) are saved to
test-artifacts/figures/ for a person to look at; the tests measure what can be measured.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from lxml import etree
from PIL import Image
from selectolax.lexbor import LexborHTMLParser

from conftest import AXE_SOURCE, AXE_TAGS, ROOT, BuiltSite, build
from guide.chapters import TIERS
from guide.figures import FIGURES, TIER_VARIANT, FigureError, expand_markers, insert_figures, load, worded
from guide.glossary import TermFinder
from guide.glossary import load as load_glossary

ARTIFACTS = ROOT / "test-artifacts" / "figures"
FIGURE_DATA = load(ROOT / FIGURES)
SVG_NS = "{http://www.w3.org/2000/svg}"


def figure_pages(site: BuiltSite) -> dict[str, LexborHTMLParser]:
    """Every chapter page that carries a figure, by site-relative URL."""
    pages = {}
    for tier in TIERS:
        for path in sorted((site.root / tier).glob("*/index.html")):
            html = path.read_text(encoding="utf-8")
            if 'class="trt-figure ' in html:
                pages[f"{tier}/{path.parent.name}/"] = LexborHTMLParser(html)
    return pages


@pytest.fixture(scope="module")
def pages(built_site: BuiltSite) -> dict[str, LexborHTMLParser]:
    return figure_pages(built_site)


def svgs(figure_node) -> list[etree._Element]:
    return [etree.fromstring(svg.html.encode()) for svg in figure_node.css("svg")]


# -- Data files and the Markdown stage ---------------------------------------------------------

def test_load__project_has_three_figures_or_more() -> None:
    assert len(FIGURE_DATA) >= 3
    assert {"hpg-axis", "medicines", "recovery"} <= set(FIGURE_DATA)


@pytest.mark.parametrize("change, message", [
    (lambda d: d["captions"].update(simple="No citation here."), "cited caption"),
    (lambda d: d.update(kind="pie"), "kind must be"),
    (lambda d: d.update(id="other"), "needs 'id: recovery'"),
    (lambda d: d["recovery"]["points"][0].update(percent={"fact": "no-such-fact"}), "no fact 'no-such-fact'"),
    (lambda d: d["captions"].update(detailed="Recovery: [[fact: no-such-fact]]."), "unknown fact 'no-such-fact'"),
])
def test_load__rejects_a_broken_data_file(tmp_path: Path, change, message: str) -> None:
    data = yaml.safe_load((ROOT / FIGURES / "recovery.yaml").read_text(encoding="utf-8"))
    change(data)
    # The figures folder beside the facts registry, as in data/: recovery.yaml plots facts.
    (tmp_path / "figures").mkdir()
    (tmp_path / "facts.yaml").write_text((ROOT / "data/facts.yaml").read_text(encoding="utf-8"))
    (tmp_path / "figures/recovery.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(FigureError, match=message):
        load(tmp_path / "figures")


def test_expand_markers__numbers_figures_and_keeps_the_prose() -> None:
    markdown = "Before.\n\n<!-- figure: hpg-axis -->\n\nBetween.\n\n<!-- figure: recovery -->\n\nAfter.\n"
    out = expand_markers(markdown, FIGURE_DATA, "simple", "x.md")
    assert out.index("**Figure 1.** The chain") < out.index("**Figure 2.** Recovery")
    assert [line for line in out.splitlines() if line in ("Before.", "Between.", "After.")] == [
        "Before.", "Between.", "After."]
    assert '??? note "Data table for figure 2A"' in out


@pytest.mark.parametrize("markdown, message", [
    ("<!-- figure: no-such-figure -->\n", "no figure 'no-such-figure'"),
    ("<!-- figure: recovery -->\n\n<!-- figure: recovery -->\n", "appears twice"),
])
def test_expand_markers__refuses_unknown_or_repeated_figure(markdown: str, message: str) -> None:
    with pytest.raises(FigureError, match=message):
        expand_markers(markdown, FIGURE_DATA, "simple", "x.md")


def test_insert_figures__slot_without_its_caption_stops() -> None:
    content = ('<div class="trt-figure-slot" data-figure="recovery" data-variant="simple" '
               'data-number="1"></div>')
    with pytest.raises(FigureError, match="lost its caption"):
        insert_figures(content, FIGURE_DATA, "x.md")


def test_build__fails_on_an_unknown_figure(project_copy: Path, tmp_path: Path) -> None:
    chapter = project_copy / "docs" / "fundamentals" / "recovery-timeline.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n<!-- figure: missing -->\n",
                       encoding="utf-8")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "no figure 'missing'" in result.stderr


# -- Plotted values equal the data file --------------------------------------------------------

def invert(scale: str, coordinate: float) -> float:
    """Map an SVG coordinate back to a data value through a 'd0 d1 r0 r1' scale attribute."""
    d0, d1, r0, r1 = map(float, scale.split())
    return d0 + (coordinate - r0) * (d1 - d0) / (r1 - r0)


def plotted_recovery(chart: etree._Element) -> list[tuple[float, float]]:
    """(months, percent) of each bar, read from its geometry, not from its data attributes."""
    group = chart.find(f".//{SVG_NS}g[@class='trt-fig-bars']")
    points = []
    for bar in group.iter(f"{SVG_NS}rect"):
        x, width, top = float(bar.get("x")), float(bar.get("width")), float(bar.get("y"))
        points.append((round(invert(group.get("data-x-scale"), x + width / 2), 2),
                       round(invert(group.get("data-y-scale"), top), 2)))
    return points


def plotted_range(timeline: etree._Element) -> tuple[float, float]:
    group = timeline.find(f".//{SVG_NS}g[@class='trt-fig-range']")
    bar = group.find(f"{SVG_NS}rect")
    x, width = float(bar.get("x")), float(bar.get("width"))
    scale = group.get("data-x-scale")
    return round(invert(scale, x), 2), round(invert(scale, x + width), 2)


def plotted_mean(timeline: etree._Element) -> float:
    group = timeline.find(f".//{SVG_NS}g[@class='trt-fig-range']")
    mark = group.find(f"{SVG_NS}line[@class='trt-fig-mean']")
    return round(invert(group.get("data-x-scale"), float(mark.get("x1"))), 2)


def recovery_figures(pages) -> list[tuple[str, object]]:
    return [(url, node) for url, tree in pages.items()
            for node in tree.css('figure[data-figure="recovery"]')]


def test_recovery_chart__plotted_values_equal_the_data_file(pages) -> None:
    data = FIGURE_DATA["recovery"].data
    expected = [(p["months"], p["percent"]) for p in data["recovery"]["points"]]
    found = recovery_figures(pages)
    assert len(found) >= 2
    for url, node in found:
        chart, timeline = svgs(node)
        assert plotted_recovery(chart) == expected, url
        bars = chart.find(f".//{SVG_NS}g[@class='trt-fig-bars']")
        labels = ["".join(t.itertext()) for t in bars.iter(f"{SVG_NS}text")]
        assert labels == [f"{p}%" for _, p in expected], url
        # Each bar stands on the axis: it has a height and its foot is at 0%.
        feet = [(float(bar.get("height")), round(invert(bars.get("data-y-scale"),
                                                        float(bar.get("y")) + float(bar.get("height"))), 2))
                for bar in bars.iter(f"{SVG_NS}rect")]
        assert len(feet) == len(expected) and all(height > 0 and foot == 0 for height, foot in feet), (
            url, feet)
        assert plotted_range(timeline) == tuple(data["spermatogenesis"]["range_days"]), url
        assert plotted_mean(timeline) == data["spermatogenesis"]["mean_days"], url
        median = chart.find(f".//{SVG_NS}circle[@data-months]")
        if node.attributes["data-variant"] == "detailed":
            group = chart.find(f".//{SVG_NS}g[@class='trt-fig-bars']")
            assert round(invert(group.get("data-x-scale"), float(median.get("cx"))), 2) == \
                data["recovery"]["median_months"]
            assert round(invert(group.get("data-y-scale"), float(median.get("cy"))), 2) == 50


def test_plotted_recovery__sees_a_bar_drawn_at_the_wrong_height(pages) -> None:
    _, node = recovery_figures(pages)[0]
    chart = svgs(node)[0]
    bar = next(chart.find(f".//{SVG_NS}g[@class='trt-fig-bars']").iter(f"{SVG_NS}rect"))
    bar.set("y", str(float(bar.get("y")) - 16))  # 10 percentage points taller
    assert plotted_recovery(chart)[0] == (6, 77)


def arrow_ends(svg: etree._Element) -> list[tuple[str, str, tuple, tuple, dict]]:
    """(from, to, tail, tip, target box) of each arrow drawn between named boxes."""
    boxes = {rect.get("data-box"): {k: float(rect.get(k)) for k in ("x", "y", "width", "height")}
             for rect in svg.iter(f"{SVG_NS}rect") if rect.get("data-box")}
    ends = []
    for arrow in svg.iter(f"{SVG_NS}g"):
        if arrow.get("data-to"):
            line = arrow.find(f"{SVG_NS}line")
            tip = tuple(map(float, arrow.find(f"{SVG_NS}polygon").get("points").split()[0].split(",")))
            tail = (float(line.get("x1")), float(line.get("y1")))
            target = arrow.get("data-to")
            ends.append((arrow.get("data-from"), target, tail, tip, boxes[target]))
    return ends


def distance_to_box(point: tuple, box: dict) -> float:
    x, y = point
    dx = max(box["x"] - x, 0, x - box["x"] - box["width"])
    dy = max(box["y"] - y, 0, y - box["y"] - box["height"])
    return (dx * dx + dy * dy) ** 0.5


def test_axis_arrows__point_from_source_to_target(pages) -> None:
    """Each arrowhead touches the box the arrow names as its target, and the tail lies farther off."""
    checked = set()
    for url, tree in pages.items():
        for node in tree.css('figure[data-figure="hpg-axis"], figure[data-figure="medicines"]'):
            for svg in svgs(node):
                for source, target, tail, tip, box in arrow_ends(svg):
                    assert distance_to_box(tip, box) <= 1.5, (url, source, target, tip)
                    assert distance_to_box(tail, box) > 20, (url, source, target, tail)
                    checked.add((source, target))
    assert {("hypothalamus", "pituitary"), ("pituitary", "leydig"), ("pituitary", "sertoli"),
            ("leydig", "blood"), ("blood", "pituitary"), ("blood", "hypothalamus"),
            ("therapy", "blood")} <= checked


def test_arrow_ends__see_an_arrow_pointing_the_wrong_way() -> None:
    svg = etree.fromstring(
        '<svg xmlns="http://www.w3.org/2000/svg"><rect data-box="pituitary" x="0" y="100" width="50" '
        'height="20"/><g data-from="hypothalamus" data-to="pituitary"><line x1="25" y1="100" x2="25" '
        'y2="60"/><polygon points="25,50 20,60 30,60"/></g></svg>')
    (_, _, tail, tip, box), = arrow_ends(svg)
    assert distance_to_box(tip, box) > 1.5 and distance_to_box(tail, box) == 0


def data_table_rows(node) -> list[list[str]]:
    """The rows of the collapsed data tables that follow a figure."""
    rows = []
    sibling = node.next
    while sibling is not None and sibling.tag in ("details", "-text"):
        if sibling.tag == "details":
            assert "open" not in sibling.attributes, "data tables start collapsed"
            rows += [[cell.text(strip=True) for cell in row.css("td")] for row in sibling.css("tbody tr")]
        sibling = sibling.next
    return rows


def test_recovery_data_table__repeats_the_numbers_under_the_chart(pages) -> None:
    points = FIGURE_DATA["recovery"].data["recovery"]["points"]
    low, high = FIGURE_DATA["recovery"].data["spermatogenesis"]["range_days"]
    for url, node in recovery_figures(pages):
        rows = data_table_rows(node)
        for point in points:
            assert [str(point["months"]), f"{point['percent']}%"] in rows, url
        assert any(row[-1] == f"{low} to {high}" for row in rows), url


def test_medicines_data_table__lists_every_medicine_with_its_effects(pages) -> None:
    medicines = FIGURE_DATA["medicines"].data["medicines"]
    found = [(url, node) for url, tree in pages.items()
             for node in tree.css('figure[data-figure="medicines"]')]
    assert len(found) >= 2
    for url, node in found:
        rows = data_table_rows(node)
        assert [row[1] for row in rows] == [m["name"] for m in medicines], url
        # The table's numbers are the drawing's: the key's badges, 1 to n, and those on the axis.
        drawing, key = svgs(node)
        badges = [[badge.get("data-medicine") for badge in svg.iter(f"{SVG_NS}g")
                   if badge.get("class") == "trt-fig-badge"] for svg in (drawing, key)]
        assert [row[0] for row in rows] == badges[1] == [str(n) for n in range(1, len(medicines) + 1)], url
        assert set(badges[0]) == set(badges[1]), url
        variant = node.attributes["data-variant"]
        assert [row[3:] for row in rows] == [[worded(m[e], variant) for e in ("lh", "fsh", "testes")]
                                             for m in medicines], url


# -- Use, captions, accessibility on the built pages -------------------------------------------

def test_figures__each_appears_on_chapters_of_two_tiers_or_more(pages) -> None:
    tiers = defaultdict(set)
    for url, tree in pages.items():
        for node in tree.css("figure.trt-figure"):
            tiers[node.attributes["data-figure"]].add(url.split("/")[0])
            assert node.attributes["data-variant"] == TIER_VARIANT[url.split("/")[0]]
    assert set(tiers) == set(FIGURE_DATA)
    assert all(len(used) >= 2 for used in tiers.values()), dict(tiers)


def test_figures__have_title_desc_and_a_numbered_cited_caption(pages) -> None:
    for url, tree in pages.items():
        for number, node in enumerate(tree.css("figure.trt-figure"), 1):
            for svg in node.css("svg"):
                assert svg.attributes.get("role") == "img"
                title = tree.css_first(f'[id="{svg.attributes["aria-labelledby"]}"]')
                desc = tree.css_first(f'[id="{svg.attributes["aria-describedby"]}"]')
                assert title.tag == "title" and len(title.text(strip=True)) > 10, url
                assert desc.tag == "desc" and len(desc.text(strip=True)) > 40, url
            caption = node.css_first("figcaption")
            assert caption.text(strip=True).startswith(f"Figure {number}."), url
            figure = FIGURE_DATA[node.attributes["data-figure"]]
            cited = {a.attributes["href"].rsplit("#ref-", 1)[1] for a in caption.css("sup.cite a")}
            assert cited and cited == figure.cited_keys(node.attributes["data-variant"]), url


def test_search_index__has_the_captions_but_not_the_drawings_labels(built_site: BuiltSite) -> None:
    index = (built_site.root / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Where each medicine acts. The numbers on the drawing" in index
    assert "Key to the numbers" not in index and "Hypothalamus (brain)" not in index


def test_recovery_caption__says_who_the_men_were(pages) -> None:
    for url, node in recovery_figures(pages):
        assert "healthy volunteers in contraceptive trials, not men on long-term TRT" in \
            " ".join(node.css_first("figcaption").text().split()), url


def test_figures__name_no_other_host(pages) -> None:
    for url, tree in pages.items():
        for node in tree.css("figure.trt-figure"):
            markup = node.html
            for svg in node.css("svg"):
                assert not re.search(r"(?:href|src)\s*=|url\(|@import", svg.html), url
            external = re.findall(r'(?:href|src)="((?:https?:)?//[^"]+)"', markup)
            assert not external, (url, external)


def test_figure_captions__link_glossary_terms_as_the_text_does(built_site: BuiltSite, pages) -> None:
    """The first use of a term on a page is linked, whether it is in a caption or in the prose."""
    finder = TermFinder(load_glossary(ROOT / "data" / "glossary.yaml"))
    linked_in_captions = 0
    for url, tree in pages.items():
        html = built_site.html(url)
        for node in tree.css("figure.trt-figure"):
            caption = node.css_first("figcaption")
            start = html.index(caption.html[:60])
            linked_here = {a.attributes["href"].rsplit("#", 1)[1] for a in caption.css("a.trt-term")}
            linked_in_captions += len(linked_here)
            for _, term_id in finder.find(caption.text()):
                first_link = html.find(f'glossary/#{term_id}"')
                assert term_id in linked_here or -1 < first_link < start, (url, term_id)
    assert linked_in_captions > 0


# -- In the browser ----------------------------------------------------------------------------
# Each page that shows a figure variant is visited once per colour scheme and width; the tests
# below check what the visit measured. Pages with the same variant show the same drawing.

TEXT_METRICS = """figure => {
    const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
    return [...figure.querySelectorAll("svg")].map(svg => ({
        svg: box(svg.getBoundingClientRect()),
        texts: [...svg.querySelectorAll("text")].map(text => ({
            text: text.textContent,
            // The CTM's scale, also for rotated text: the length of its first column.
            px: parseFloat(getComputedStyle(text).fontSize)
                * Math.hypot(text.getScreenCTM().a, text.getScreenCTM().b),
            box: box(text.getBoundingClientRect()),
        })),
    }));
}"""

# Where the screenshot must show each filled mark of the drawing (arrowheads, bars, the medicines'
# numbers), in px from the figure's top left corner, with the colour it is filled with: inside an
# arrowhead its centroid, inside a bar a point clear of the labels and lines drawn over it, inside
# a number's disc a point left of the digit.
MARKS = """figure => {
    const origin = figure.getBoundingClientRect();
    const marks = [];
    const selector = "svg polygon.trt-fig-head, svg rect.trt-fig-bar, svg .trt-fig-badge circle";
    for (const mark of figure.querySelectorAll(selector)) {
        let x, y;
        if (mark.tagName === "polygon") {
            const points = [...Array(mark.points.numberOfItems).keys()]
                .map(i => mark.points.getItem(i).matrixTransform(mark.getScreenCTM()));
            x = points.reduce((sum, p) => sum + p.x, 0) / points.length;
            y = points.reduce((sum, p) => sum + p.y, 0) / points.length;
        } else {
            const box = mark.getBoundingClientRect();
            [x, y] = mark.tagName === "circle" ? [box.left + 0.15 * box.width, box.top + box.height / 2]
                : [box.left + 0.2 * box.width, box.bottom - 0.25 * box.height];
        }
        marks.push({what: mark.closest("[class]").getAttribute("class"), fill: getComputedStyle(mark).fill,
                    x: x - origin.left, y: y - origin.top});
    }
    return {width: origin.width, height: origin.height, marks,
            background: getComputedStyle(document.body).backgroundColor};
}"""

# One axe run over the whole page (the same rules as conftest.axe_violations, with every node,
# not the first five): each node is counted for the page and, if it sits in a figure, for the
# figure. A citation link that fails contrast in the same colour as the citation links of the
# page's prose is the site palette's failure, not the figure's (the palette is another issue's
# work): it is recorded apart, and any other violation inside a figure fails the test.
AXE_RUN = """async tags => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    const prose = document.querySelector("article p sup.cite a");
    const proseColour = prose && getComputedStyle(prose).color;
    const found = {page: {}, figure: [], palette: []};
    for (const v of result.violations) {
        found.page[v.id] = v.nodes.length;
        for (const node of v.nodes) {
            const element = document.querySelector(node.target.join(" "));
            if (!element || !element.closest("figure.trt-figure")) continue;
            const palette = v.id === "color-contrast" && element.matches("sup.cite a")
                && getComputedStyle(element).color === proseColour;
            (palette ? found.palette : found.figure).push(v.id + ": " + node.target.join(" "));
        }
    }
    return found;
}"""


def one_page_per_variant(pages) -> dict[str, str]:
    """A page for each (figure, variant): the figures as readers of each tier see them."""
    chosen = {}
    for url, tree in pages.items():
        for node in tree.css("figure.trt-figure"):
            chosen.setdefault(f"{node.attributes['data-figure']}-{node.attributes['data-variant']}", url)
    return chosen


@pytest.fixture(scope="module", params=[("light", 375), ("light", 1280), ("dark", 375), ("dark", 1280)],
                ids=lambda p: f"{p[0]}-{p[1]}")
def visit(request, pages, site_server: str, browser) -> dict:
    """Load each figure variant's page in Chromium: requests, text metrics, screenshots, axe."""
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE} is missing: run `make setup` (npm ci)")
    scheme, width = request.param
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    seen = {"scheme": scheme, "width": width, "requests": [], "pages": {}}
    context.on("request", lambda r: seen["requests"].append(r.url))
    page = context.new_page()
    for name, url in one_page_per_variant(pages).items():
        response = page.goto(site_server + url, wait_until="networkidle")
        figure = page.locator(f'figure[data-figure="{name.rsplit("-", 1)[0]}"]')
        shot = ARTIFACTS / f"{name}-{scheme}-{width}.png"
        # The sticky header would cover the figure in an element screenshot.
        page.add_style_tag(content=".md-header { visibility: hidden; }")
        figure.screenshot(path=str(shot))
        shown = figure.evaluate(MARKS)
        page.add_script_tag(path=str(AXE_SOURCE))
        seen["pages"][name] = {
            "url": url, "ok": response.ok, "screenshot": shot, "shown": shown,
            "colour_scheme": page.evaluate("document.body.dataset.mdColorScheme"),
            "scroll_width": page.evaluate("document.documentElement.scrollWidth"),
            "panels": figure.evaluate(TEXT_METRICS),
            "axe": page.evaluate(AXE_RUN, AXE_TAGS),
        }
    context.close()
    (ARTIFACTS / f"axe-{scheme}-{width}.json").write_text(json.dumps(
        {v["url"]: {k: v["axe"][k] for k in ("figure", "palette", "page")} for v in seen["pages"].values()},
        indent=1), encoding="utf-8")
    return seen


def overlap(a: dict, b: dict, slack: float = 1.0) -> bool:
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > slack
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > slack)


def inside(inner: dict, outer: dict, slack: float = 1.0) -> bool:
    return (inner["left"] >= outer["left"] - slack and inner["right"] <= outer["right"] + slack
            and inner["top"] >= outer["top"] - slack and inner["bottom"] <= outer["bottom"] + slack)


@pytest.mark.browser
def test_figures_in_browser__served_by_the_site_alone(visit: dict, site_server: str) -> None:
    assert len(visit["pages"]) == 2 * len(FIGURE_DATA)
    assert all(seen["ok"] for seen in visit["pages"].values())
    assert all(len(seen["panels"]) >= 1 for seen in visit["pages"].values())
    foreign = [url for url in visit["requests"] if not url.startswith(site_server)]
    assert visit["requests"] and not foreign, foreign


@pytest.mark.browser
def test_figures_in_browser__no_text_under_12px(visit: dict) -> None:
    sizes = [t["px"] for seen in visit["pages"].values() for panel in seen["panels"] for t in panel["texts"]]
    assert sizes and min(sizes) >= 12, min(sizes)
    (ARTIFACTS / f"smallest-text-{visit['scheme']}-{visit['width']}.txt").write_text(
        f"{min(sizes):.2f} px\n", encoding="utf-8")


@pytest.mark.browser
def test_figures_in_browser__text_inside_the_drawing_and_not_overlapping(visit: dict) -> None:
    for name, seen in visit["pages"].items():
        assert seen["scroll_width"] <= visit["width"], name
        for panel in seen["panels"]:
            texts = panel["texts"]
            assert texts, name
            outside = [t["text"] for t in texts if not inside(t["box"], panel["svg"])]
            assert not outside, (name, outside)
            clashes = [(a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1:]
                       if overlap(a["box"], b["box"])]
            assert not clashes, (name, clashes)


def test_overlap__sees_two_labels_on_top_of_each_other() -> None:
    label = {"left": 0, "right": 50, "top": 0, "bottom": 14}
    assert overlap(label, {"left": 40, "right": 90, "top": 5, "bottom": 19})
    assert not overlap(label, {"left": 50, "right": 90, "top": 0, "bottom": 14})
    assert not inside({"left": -5, "right": 30, "top": 0, "bottom": 14}, label)


def colour(css: str) -> tuple[int, int, int, float]:
    """A computed CSS colour, "rgb(1, 2, 3)" or "rgba(1, 2, 3, 0.5)", as (r, g, b, alpha)."""
    match = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)", css)
    assert match, f"not a colour: {css}"
    r, g, b, alpha = match.groups()
    return int(r), int(g), int(b), float(alpha or 1)


def painted(fill: str, background: tuple[int, int, int]) -> tuple[int, ...]:
    """The pixel a fill gives over the background."""
    *rgb, alpha = colour(fill)
    return tuple(round(alpha * c + (1 - alpha) * under) for c, under in zip(rgb, background, strict=True))


def contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours."""
    def luminance(rgb: tuple[int, ...]) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4
                  for c in rgb[:3]]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast__of_known_pairs() -> None:
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast((29, 95, 167), (255, 255, 255)) == pytest.approx(6.47, abs=0.01)
    assert painted("rgba(226, 231, 233, 0.72)", (30, 38, 41)) == (171, 177, 179)


@pytest.mark.browser
def test_figures_in_browser__screenshot_shows_the_drawing_in_the_schemes_colours(visit: dict) -> None:
    """Each saved screenshot (for a person to look at) is the figure: its size, the page's
    background as its commonest pixel, and every arrowhead, bar and medicine number painted in its
    own colour where the page draws it, at least 3:1 against the background (WCAG 1.4.11)."""
    expected = "slate" if visit["scheme"] == "dark" else "default"
    for name, seen in visit["pages"].items():
        assert seen["colour_scheme"] == expected, name
        shown = seen["shown"]
        with Image.open(seen["screenshot"]) as image:
            image = image.convert("RGB")
        # A box that starts or ends between two pixels takes both.
        assert abs(image.width - shown["width"]) < 2 and abs(image.height - shown["height"]) < 2, name
        background = colour(shown["background"])[:3]
        commonest = max(image.getcolors(image.width * image.height))[1]
        assert commonest == background, name
        assert len(shown["marks"]) >= 5, name
        for mark in shown["marks"]:
            pixel = image.getpixel((int(mark["x"]), int(mark["y"])))
            fill = painted(mark["fill"], background)
            assert max(abs(p - f) for p, f in zip(pixel, fill, strict=True)) <= 8, (name, mark, pixel)
            assert contrast(pixel, background) >= 3, (name, mark, pixel)


@pytest.mark.browser
def test_figures_in_browser__axe_finds_no_violation_inside_them(visit: dict) -> None:
    inside_figures = {name: seen["axe"]["figure"] for name, seen in visit["pages"].items()
                      if seen["axe"]["figure"]}
    assert not inside_figures
