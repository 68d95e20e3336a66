"""The guide's figures: data files in `data/figures/` drawn as inline SVG.

A chapter asks for a figure with one line, `<!-- figure: recovery -->`. The Markdown stage turns
it into a slot, a numbered caption paragraph (so that citations and glossary links in it are
rendered like prose) and, for charts, a collapsed data table; the HTML stage replaces the slot
and caption with a `<figure>` holding the `<figcaption>`, and the finished page gets the SVG.

The SVG is inline, not an `<img>`, so that it draws with the page's colours in the light and the
dark scheme (classes styled by docs/assets/guide.css) and its text is real, selectable text.
Its coordinate system is 300 units wide, a little less than the text column of a phone (about
330 CSS px at 375 px), so that 13-unit text never renders under 12 px there.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import yaml

from guide import facts

FIGURES = Path("data/figures")
WIDTH = 300
FONT = 13  # the smallest text on any figure, in SVG units
LINE = 16
# Liberation Sans / Arial set running text at about half an em; wrap with a little room to spare
# (the browser tests fail if any text leaves its drawing).
CHAR_WIDTH = 0.53
VARIANTS = ("simple", "detailed")
TIER_VARIANT = {"fundamentals": "simple", "intermediate": "detailed", "academic": "detailed"}
MARKER = re.compile(r"^<!-- figure: ([a-z0-9-]+) -->[ \t]*$", re.M)
SLOT = re.compile(
    r'<div class="trt-figure-slot" data-figure="([a-z0-9-]+)" data-variant="(\w+)" '
    r'data-number="(\d+)"></div>\s*<p class="trt-figure-caption">(.*?)</p>', re.S)
ART = re.compile(r'<div class="trt-figure__art" data-art="([a-z0-9-]+) (\w+)"></div>')
CITATION_KEY = re.compile(r"@([A-Za-z][A-Za-z0-9_-]*)")


class FigureError(ValueError):
    """A figure's data file or a chapter's figure marker cannot be used; the message says why."""


@dataclass(frozen=True)
class Figure:
    id: str
    kind: str
    title: str
    captions: dict[str, str]
    data: dict

    def caption(self, variant: str) -> str:
        return " ".join(self.captions[variant].split())

    def cited_keys(self, variant: str) -> set[str]:
        return set(CITATION_KEY.findall(self.captions[variant]))


def load(folder: Path) -> dict[str, Figure]:
    figures = {}
    registry_path = folder.parent / facts.FACTS.name
    try:
        registry = facts.load(registry_path) if registry_path.exists() else {}
    except facts.FactsError as error:
        raise FigureError(str(error)) from None
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        where = str(path)
        data = with_facts(data, registry, where)
        if not isinstance(data, dict) or data.get("id") != path.stem:
            raise FigureError(f"{where}: needs 'id: {path.stem}'")
        if data.get("kind") not in DRAWINGS:
            raise FigureError(f"{where}: kind must be one of {', '.join(DRAWINGS)}")
        captions = data.get("captions") or {}
        if set(captions) != set(VARIANTS) or not all(CITATION_KEY.search(c) for c in captions.values()):
            raise FigureError(f"{where}: needs a cited caption for each of {', '.join(VARIANTS)}")
        if not data.get("title"):
            raise FigureError(f"{where}: needs a title")
        figures[path.stem] = Figure(path.stem, data["kind"], data["title"], captions, data)
    for figure in figures.values():
        # A drawing on the axis borrows the axis figure's labels, so both show the same words.
        if borrowed := figure.data.get("axis_from"):
            figure_id, _, state = borrowed.partition("#")
            try:
                figure.data["axis"] = figures[figure_id].data["states"][state]
            except KeyError:
                raise FigureError(f"{figure.id}: axis_from '{borrowed}' names no figure state") from None
    return figures


def with_facts(data: object, registry: dict[str, facts.Fact], where: str) -> object:
    """The data with each `{fact: id}` replaced by that fact's value, and each caption's
    `[[fact: id]]` by its words, so a figure plots and states the number the chapters state."""

    def resolve(value: object) -> object:
        if isinstance(value, dict) and set(value) == {"fact"}:
            if value["fact"] not in registry:
                raise FigureError(f"{where}: no fact '{value['fact']}' in {facts.FACTS}")
            plotted = registry[value["fact"]].value
            return list(plotted) if isinstance(plotted, tuple) else plotted
        if isinstance(value, dict):
            return {key: resolve(item) for key, item in value.items()}
        if isinstance(value, list):
            return [resolve(item) for item in value]
        return value

    data = resolve(data)
    if isinstance(data, dict) and isinstance(data.get("captions"), dict):
        try:
            data["captions"] = {
                variant: facts.expand(str(text), registry,
                                      "fundamentals" if variant == "simple" else None, where)
                for variant, text in data["captions"].items()}
        except facts.FactsError as error:
            raise FigureError(str(error)) from None
    return data


# -- Markdown stage ---------------------------------------------------------------------------

def expand_markers(markdown: str, figures: dict[str, Figure], variant: str, where: str) -> str:
    """Each `<!-- figure: id -->` line becomes a slot, a numbered caption and its data table."""
    numbers: dict[str, int] = {}

    def expand(match: re.Match) -> str:
        figure_id = match.group(1)
        if figure_id not in figures:
            raise FigureError(f"{where}: no figure '{figure_id}' in {FIGURES}")
        if figure_id in numbers:
            raise FigureError(f"{where}: figure '{figure_id}' appears twice")
        number = numbers[figure_id] = len(numbers) + 1
        figure = figures[figure_id]
        return "\n".join([
            f'<div class="trt-figure-slot" data-figure="{figure_id}" data-variant="{variant}" '
            f'data-number="{number}"></div>',
            "",
            f"**Figure {number}.** {figure.caption(variant)}",
            "{: .trt-figure-caption }",
            "",
            *TABLES[figure.kind](figure, variant, number),
        ])

    return MARKER.sub(expand, markdown)


def worded(value: str | dict, variant: str) -> str:
    """A label that is the same at every level, or one worded per variant."""
    return value[variant] if isinstance(value, dict) else value


def details(title: str, rows: list[list[str]]) -> list[str]:
    """A collapsed pymdownx.details block holding a Markdown table (first row: the header)."""
    lines = [f'??? note "{title}"', ""]
    lines.append("    | " + " | ".join(rows[0]) + " |")
    lines.append("    |" + " --- |" * len(rows[0]))
    lines += ["    | " + " | ".join(row) + " |" for row in rows[1:]]
    # Every table on the site has a caption (tests/test_tables.py); the summary names this one.
    return lines + ["", "    /// table-caption", f"    {title}", "    ///", ""]


def recovery_tables(figure: Figure, variant: str, number: int) -> list[str]:
    recovery, cycle = figure.data["recovery"], figure.data["spermatogenesis"]
    rows = [["Months after stopping", f"Share of men back to {recovery['threshold']}"]]
    rows += [[str(p["months"]), f"{p['percent']}%"] for p in recovery["points"]]
    if variant == "detailed":
        rows.append([f"{recovery['median_months']} (median)", "50%"])
    rows.append([f"Source: [@{recovery['source']}]", "healthy volunteers in contraceptive trials"])
    low, high = cycle["range_days"]
    cycle_rows = [["One round of sperm production", "Days"],
                  [f"Average in {cycle['men']} healthy men [@{cycle['source']}]", str(cycle["mean_days"])],
                  [f"Range in {cycle['men']} healthy men [@{cycle['source']}]", f"{low} to {high}"]]
    return (details(f"Data table for figure {number}A", rows)
            + details(f"Data table for figure {number}B", cycle_rows))


def medicines_tables(figure: Figure, variant: str, number: int) -> list[str]:
    rows = [["No.", "Medicine", "What it does", "LH", "FSH", "Testosterone inside the testes"]]
    for index, medicine in enumerate(figure.data["medicines"], 1):
        cites = "; ".join(f"@{key}" for key in medicine["sources"])
        rows.append([str(index), medicine["name"], f"{worded(medicine['action'], variant)} [{cites}]",
                     *(worded(medicine[effect], variant) for effect in ("lh", "fsh", "testes"))])
    return details(f"Figure {number} as a table", rows)


def no_tables(figure: Figure, variant: str, number: int) -> list[str]:
    return []


# -- HTML stage -------------------------------------------------------------------------------

def insert_figures(content: str, figures: dict[str, Figure], where: str) -> str:
    """Replace each slot and its caption paragraph with the `<figure>`, its drawing still empty."""

    def build(match: re.Match) -> str:
        figure_id, variant, number, caption = match.groups()
        kind = figures[figure_id].kind
        return (f'<figure class="trt-figure trt-figure--{kind}" id="figure-{figure_id}" '
                f'data-figure="{figure_id}" data-variant="{variant}">'
                f'<div class="trt-figure__art" data-art="{figure_id} {variant}"></div>'
                f"<figcaption>{caption}</figcaption></figure>")

    content = SLOT.sub(build, content)
    if "trt-figure-slot" in content:
        raise FigureError(f"{where}: a figure slot lost its caption paragraph")
    return content


def draw_figures(output: str, figures: dict[str, Figure]) -> str:
    """Fill each figure's drawing into the finished page, after the search index was made from
    the content: the labels of a drawing, run together, would only blur search results."""

    def draw(match: re.Match) -> str:
        figure = figures[match.group(1)]
        art = "".join(DRAWINGS[figure.kind](figure, match.group(2), f"fig-{figure.id}"))
        return f'<div class="trt-figure__art">{art}</div>'

    return ART.sub(draw, output)


# -- SVG writer -------------------------------------------------------------------------------

def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def attrs(**values: object) -> str:
    return "".join(f' {name.rstrip("_").replace("_", "-")}="{esc(value)}"'
                   for name, value in values.items() if value is not None)


class Svg:
    """A few drawing primitives that append SVG elements to a list."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def element(self, tag: str, cls: str, **values: object) -> None:
        self.add(f"<{tag}{attrs(class_=cls, **values)}/>")

    def rect(self, x: float, y: float, w: float, h: float, cls: str, **extra: object) -> None:
        self.add(f"<rect{attrs(x=x, y=y, width=w, height=h, rx=4, class_=cls, **extra)}/>")

    def text(self, x: float, y: float, lines: str | list[str], cls: str = "",
             anchor: str = "middle", **extra: object) -> None:
        """Lines of text, the first baseline at y."""
        lines = [lines] if isinstance(lines, str) else lines
        spans = "".join(
            f'<tspan{attrs(x=x, dy=0 if i == 0 else LINE)}>{esc(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        self.add(f"<text{attrs(x=x, y=y, class_=f'trt-fig-text {cls}'.strip(), text_anchor=anchor, **extra)}>"
                 f"{spans}</text>")

    def arrow(self, x1: float, y1: float, x2: float, y2: float, cls: str = "trt-fig-signal",
              **extra: object) -> None:
        """A line from (x1, y1) with its head at (x2, y2); the head is a filled triangle."""
        angle = math.atan2(y2 - y1, x2 - x1)
        size, spread = 9, 0.45
        back = [(x2 - size * math.cos(angle + s), y2 - size * math.sin(angle + s)) for s in (spread, -spread)]
        shaft_end = (x2 - 0.8 * size * math.cos(angle), y2 - 0.8 * size * math.sin(angle))
        head = " ".join(f"{x:.1f},{y:.1f}" for x, y in [(x2, y2), *back])
        self.add(f'<g{attrs(class_=f"trt-fig-arrow {cls}", **extra)}>'
                 f"<line{attrs(x1=x1, y1=y1, x2=round(shaft_end[0], 1), y2=round(shaft_end[1], 1))}/>"
                 f'<polygon class="trt-fig-head"{attrs(points=head)}/></g>')

    def badge(self, x: float, y: float, number: int) -> None:
        label = attrs(x=x, y=y + 4.5, text_anchor="middle", class_="trt-fig-text")
        self.add(f'<g class="trt-fig-badge" data-medicine="{number}">'
                 f"<circle{attrs(cx=x, cy=y, r=10)}/><text{label}>{number}</text></g>")

    def svg(self, height: float, ident: str, title: str, desc: str, **extra: object) -> str:
        names = attrs(aria_labelledby=f"{ident}-title", aria_describedby=f"{ident}-desc", **extra)
        return (f'<svg xmlns="http://www.w3.org/2000/svg"{attrs(viewBox=f"0 0 {WIDTH} {height:g}")}'
                f' role="img"{names}>'
                f'<title id="{ident}-title">{esc(title)}</title><desc id="{ident}-desc">{esc(desc)}</desc>'
                + "".join(self.parts) + "</svg>")


def wrap(text: str, width: float, font: float = FONT) -> list[str]:
    return textwrap.wrap(text, max(8, int(width / (CHAR_WIDTH * font))))


# -- The HPG axis ------------------------------------------------------------------------------

# The drawing's boxes: (x, y, width, height). A feedback lane runs down the left edge.
HYPOTHALAMUS = (64, 28, 220, 34)
PITUITARY = (64, 96, 220, 34)
TESTES = (48, 176, 250, 120)
LEYDIG = (54, 200, 114, 60)
SERTOLI = (178, 200, 114, 60)
BLOOD = (48, 318, 104, 58)
THERAPY = (176, 318, 120, 42)
LANE_X = 16
BOXES = {HYPOTHALAMUS: "hypothalamus", PITUITARY: "pituitary", LEYDIG: "leydig", SERTOLI: "sertoli",
         BLOOD: "blood"}


def centre(box: tuple) -> tuple[float, float]:
    x, y, w, h = box
    return x + w / 2, y + h / 2


def draw_axis(svg: Svg, labels: dict, heading: bool = True) -> None:
    """The axis: boxes first, then the arrows over them, then the words."""
    on_therapy = "therapy" in labels
    off = "trt-fig-signal trt-fig-off" if on_therapy else "trt-fig-signal"
    if heading:
        svg.text(0, 16, labels["heading"], "trt-fig-heading", anchor="start")
    svg.rect(*TESTES, "trt-fig-box trt-fig-organ", data_box="testes")
    for box, name in BOXES.items():
        svg.rect(*box, "trt-fig-box", data_box=name)
    if on_therapy:
        svg.rect(*THERAPY, "trt-fig-box trt-fig-medicine", data_box="therapy")
    # GnRH: hypothalamus -> pituitary; LH and FSH: pituitary -> Leydig and Sertoli cells;
    # testosterone: Leydig cells -> blood (on therapy, little of it).
    svg.arrow(174, 62, 174, 96, off, data_from="hypothalamus", data_to="pituitary")
    svg.arrow(111, 130, 111, LEYDIG[1], off, data_from="pituitary", data_to="leydig")
    svg.arrow(237, 130, 237, SERTOLI[1], off, data_from="pituitary", data_to="sertoli")
    svg.arrow(66, LEYDIG[1] + LEYDIG[3], 66, BLOOD[1], off, data_from="leydig", data_to="blood")
    if on_therapy:
        svg.arrow(THERAPY[0], centre(BLOOD)[1], BLOOD[0] + BLOOD[2], centre(BLOOD)[1],
                  "trt-fig-signal trt-fig-medicine-line", data_from="therapy", data_to="blood")
    # Negative feedback: from the blood up the lane to the pituitary and the hypothalamus.
    brake = "trt-fig-brake trt-fig-brake--strong" if on_therapy else "trt-fig-brake"
    top = centre(HYPOTHALAMUS)[1]
    points = f"{BLOOD[0]},{centre(BLOOD)[1]} {LANE_X},{centre(BLOOD)[1]} {LANE_X},{top}"
    svg.add(f'<polyline class="{brake}"{attrs(points=points)}/>')
    for box, name in ((PITUITARY, "pituitary"), (HYPOTHALAMUS, "hypothalamus")):
        y = centre(box)[1]
        svg.arrow(LANE_X, y, box[0], y, brake, data_from="blood", data_to=name)
        minus(svg, 38, y)
    # The lane's label reads upwards, beside the line.
    svg.text(LANE_X - 4, 250, labels["brake"], "trt-fig-brake-label",
             transform=f"rotate(-90 {LANE_X - 4} 250)")
    for box, name in ((HYPOTHALAMUS, "Hypothalamus (brain)"), (PITUITARY, "Pituitary gland")):
        svg.text(centre(box)[0], box[1] + 22, name, "trt-fig-strong")
    svg.text(182, 84 - (len(labels["gnrh"]) - 1) * 8, labels["gnrh"], anchor="start")
    svg.text(119, 152, labels["lh"], anchor="start")
    svg.text(229, 168, labels["fsh"], anchor="end")
    svg.text(TESTES[0] + 6, TESTES[1] + 16, "Testes", "trt-fig-strong", anchor="start")
    for box, lines in ((LEYDIG, labels["leydig"]), (SERTOLI, labels["sertoli"]), (BLOOD, labels["blood"])):
        svg.text(centre(box)[0], box[1] + 19, lines[:1], "trt-fig-strong")
        svg.text(centre(box)[0], box[1] + 19 + LINE, lines[1:])
    svg.text(187, 284, labels["testes_level"])
    if on_therapy:
        svg.text(centre(THERAPY)[0], THERAPY[1] + 17, labels["therapy"], "trt-fig-strong")


def minus(svg: Svg, x: float, y: float) -> None:
    """The brake's sign: a minus in a circle, so that the brake is not told by colour alone."""
    svg.add(f'<circle class="trt-fig-minus"{attrs(cx=x, cy=y, r=8)}/>')
    svg.add(f'<line class="trt-fig-minus-bar"{attrs(x1=x - 4, y1=y, x2=x + 4, y2=y)}/>')


def legend(svg: Svg, y: float) -> None:
    svg.arrow(0, y - 4, 34, y - 4, "trt-fig-signal")
    svg.text(40, y, "signal", anchor="start")
    svg.add(f'<line class="trt-fig-brake"{attrs(x1=96, y1=y - 4, x2=122, y2=y - 4)}/>')
    minus(svg, 132, y - 4)
    svg.text(146, y, "brake (feedback)", anchor="start")


def axis_description(labels: dict) -> str:
    if "therapy" in labels:
        return ("Testosterone therapy adds testosterone to the blood, which keeps a strong brake on the "
                "hypothalamus and pituitary. GnRH is reduced and LH and FSH are low, so the Leydig cells "
                "make little testosterone and the testosterone inside the testes falls, while blood "
                "testosterone is normal. Sperm production slows or stops.")
    return ("The hypothalamus in the brain sends GnRH in pulses to the pituitary gland. The pituitary "
            "sends LH to the Leydig cells of the testes, which make testosterone, and FSH to the Sertoli "
            "cells, which support sperm production. Testosterone inside the testes is high. Testosterone "
            "and estradiol in the blood act as a brake (negative feedback) on the hypothalamus and "
            "pituitary.")


def axis_drawing(figure: Figure, variant: str, ident: str) -> list[str]:
    panels = []
    for state, labels in figure.data["states"].items():
        svg = Svg()
        draw_axis(svg, labels)
        legend(svg, 404)
        panels.append(svg.svg(412, f"{ident}-{state}", f"{figure.title}: {labels['heading'][3:]}",
                              axis_description(labels), data_state=state))
    return panels


# -- Where each medicine acts -----------------------------------------------------------------

def badge_place(site: str, slot: int) -> tuple[float, float]:
    """Where a medicine's number sits: on the top edge of its box, from the right end inwards."""
    box = {name: box for box, name in BOXES.items()}[site]
    return box[0] + box[2] - 14 - 24 * slot, box[1]


def medicines_drawing(figure: Figure, variant: str, ident: str) -> list[str]:
    """Two panels: the axis with each medicine's number where it acts, and the key to them."""
    medicines = figure.data["medicines"]
    svg = Svg()
    draw_axis(svg, figure.data["axis"], heading=False)
    used: dict[str, int] = {}
    for number, medicine in enumerate(medicines, 1):
        for site in medicine["sites"]:
            svg.badge(*badge_place(site, used.get(site, 0)), number)
            used[site] = used.get(site, 0) + 1
    legend(svg, 404)
    where = "; ".join(f"{n} {m['name']} at the {', '.join(m['sites'])}" for n, m in enumerate(medicines, 1))
    drawing = svg.svg(412, f"{ident}-axis", figure.title,
                      f"The HPG axis with a number at each place a medicine acts: {where}.")
    key, y, described = Svg(), 14, []
    for number, medicine in enumerate(medicines, 1):
        key.badge(10, y - 4, number)
        name = wrap(medicine["name"], WIDTH - 26)
        key.text(26, y, name, "trt-fig-strong", anchor="start")
        y += LINE * len(name)
        effects = [f"LH: {worded(medicine['lh'], variant)}", f"FSH: {worded(medicine['fsh'], variant)}",
                   f"Testosterone in testes: {worded(medicine['testes'], variant)}"]
        lines = wrap(worded(medicine["action"], variant), WIDTH - 26)
        key.text(26, y, lines, anchor="start")
        y += LINE * len(lines)
        key.text(26, y, effects, "trt-fig-effects", anchor="start")
        y += LINE * len(effects) + 12
        described.append(f"{number}. {medicine['name']}: {worded(medicine['action'], variant)} "
                         + ". ".join(effects) + ".")
    return [drawing, key.svg(y - 14, f"{ident}-key", "Key to the numbers: what each medicine does",
                             " ".join(described))]


# -- Recovery after stopping testosterone ------------------------------------------------------

@dataclass(frozen=True)
class Scale:
    """A linear map from data values to SVG coordinates; written into the SVG for the tests."""

    domain: tuple[float, float]
    range: tuple[float, float]

    def __call__(self, value: float) -> float:
        (d0, d1), (r0, r1) = self.domain, self.range
        return round(r0 + (value - d0) * (r1 - r0) / (d1 - d0), 2)

    def attribute(self) -> str:
        return f"{self.domain[0]:g} {self.domain[1]:g} {self.range[0]:g} {self.range[1]:g}"


def recovery_drawing(figure: Figure, variant: str, ident: str) -> list[str]:
    recovery = figure.data["recovery"]
    x = Scale((0, 24), (46, 282))
    y = Scale((0, 100), (222, 62))
    svg = Svg()
    svg.text(0, 16, "A. Share back to 20 million sperm per mL", "trt-fig-heading", anchor="start")
    svg.text(0, 34, "Healthy volunteers in contraceptive trials", anchor="start")
    for percent in (0, 25, 50, 75, 100):
        svg.element("line", "trt-fig-grid", x1=x(0), y1=y(percent), x2=x(24) + 14, y2=y(percent))
        svg.text(x(0) - 6, y(percent) + 4.5, f"{percent}%", anchor="end")
    # The scales ride along on the group, so that a test can map each bar back to its numbers.
    svg.add(f'<g class="trt-fig-bars"{attrs(data_x_scale=x.attribute(), data_y_scale=y.attribute())}>')
    for point in recovery["points"]:
        months, percent = point["months"], point["percent"]
        svg.element("rect", "trt-fig-bar", x=x(months) - 11, y=y(percent), width=22,
                    height=round(y(0) - y(percent), 2), data_months=months, data_percent=percent)
        svg.text(x(months), y(percent) - 6, f"{percent}%", "trt-fig-strong")
    svg.add("</g>")
    ticks = [0] + [p["months"] for p in recovery["points"]]
    for months in ticks:
        svg.text(x(months), y(0) + 18, str(months))
    svg.text(x(12), y(0) + 38, "months after stopping testosterone")
    desc_median = ""
    if variant == "detailed":
        median = recovery["median_months"]
        svg.element("polyline", "trt-fig-median",
                    points=f"{x(0)},{y(50)} {x(median)},{y(50)} {x(median)},{y(0)}")
        svg.element("circle", "trt-fig-median-dot", cx=x(median), cy=y(50), r=4.5,
                    data_months=median, data_percent=50)
        svg.element("circle", "trt-fig-median-dot", cx=8, cy=y(0) + 56, r=4.5)
        svg.text(18, y(0) + 60.5, f"median: half of the men by {median:g} months", anchor="start")
        desc_median = f" Half of the men had recovered by {median:g} months (the median)."
    desc = ("Bar chart. Share of men whose sperm concentration was back to "
            f"{recovery['threshold']}: " + ", ".join(
                f"{p['percent']}% by {p['months']} months" for p in recovery["points"])
            + "." + desc_median + " Healthy volunteers in contraceptive trials, not men on long-term TRT.")
    height = y(0) + (68 if variant == "detailed" else 48)
    chart = svg.svg(height, f"{ident}-chart", figure.title.split(",")[0], desc, data_panel="recovery")
    return [chart, cycle_drawing(figure, ident)]


def cycle_drawing(figure: Figure, ident: str) -> str:
    cycle = figure.data["spermatogenesis"]
    low, high = cycle["range_days"]
    x = Scale((0, 90), (12, 282))
    svg = Svg()
    svg.text(0, 16, "B. One round of sperm production", "trt-fig-heading", anchor="start")
    svg.text(0, 34, f"Days, in a study of {cycle['men']} healthy men", anchor="start")
    axis_y = 106
    svg.element("line", "trt-fig-axis", x1=x(0), y1=axis_y, x2=x(90), y2=axis_y)
    for day in (0, 30, 60, 90):
        svg.element("line", "trt-fig-axis", x1=x(day), y1=axis_y, x2=x(day), y2=axis_y + 5)
        svg.text(x(day), axis_y + 22, str(day))
    svg.add(f'<g class="trt-fig-range"{attrs(data_x_scale=x.attribute())}>')
    svg.element("rect", "trt-fig-bar", x=x(low), y=axis_y - 26, width=round(x(high) - x(low), 2),
                height=20, rx=3, data_low_days=low, data_high_days=high)
    mean = cycle["mean_days"]
    svg.element("line", "trt-fig-mean", x1=x(mean), y1=axis_y - 30, x2=x(mean), y2=axis_y - 2,
                data_days=mean)
    svg.add("</g>")
    svg.text(x(low), axis_y - 34, str(low), "trt-fig-strong")
    svg.text(x(mean), axis_y - 34, str(mean))
    svg.text(x(high), axis_y - 34, str(high), "trt-fig-strong")
    svg.text(x(45), axis_y + 44, "days from an early cell to a finished sperm")
    svg.text(x(45), axis_y + 62, f"about {mean} days on average, varying between men")
    desc = (f"Timeline in days from 0 to 90. One round of sperm production took {mean} days on average, "
            f"from {low} to {high} days, in a study of {cycle['men']} healthy men.")
    return svg.svg(axis_y + 70, f"{ident}-cycle", "The length of one round of sperm production", desc,
                   data_panel="spermatogenesis")


DRAWINGS = {"axis": axis_drawing, "medicines": medicines_drawing, "recovery": recovery_drawing}
TABLES = {"axis": no_tables, "medicines": medicines_tables, "recovery": recovery_tables}
