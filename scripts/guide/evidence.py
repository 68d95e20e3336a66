"""Guideline grades beside the statements they grade: parsing and rendering the marker.

A chapter writes, right after a statement a guideline grades and right before its citation:

    [[grade: AUA/ASRM | Strong recommendation | Grade B]][@key]
    [[grade: AUA/ASRM | Expert Opinion]][@key]
    [[grade: Endocrine Society | Strong recommendation | Moderate-quality evidence]][@key]

The marker becomes a small outlined label, "AUA/ASRM: Strong recommendation, Grade B", that links
to the editorial policy's explanation of grades; its citation stays a normal citation. Only the
words each guideline itself uses are accepted, so a typo or an invented grade stops the build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# [[grade: guideline | strength | evidence]]; the evidence part is absent for ungraded statements.
MARKER = re.compile(r"\[\[grade:([^\[\]\n]*)\]\]")
# Anything that looks like a marker ("[[Grade ...", "[[grade:" left open) must parse as one.
MARKER_START = re.compile(r"\[\[\s*grade\b", re.I)
# The citation that must follow the marker: as written, or as citations.py renders it.
CITATION_NEXT = re.compile(r'\[@|<sup class="cite">')
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")


@dataclass(frozen=True)
class Scheme:
    """How one guideline grades: its recommendation strengths, evidence levels, ungraded kinds."""

    strengths: frozenset[str]
    evidence: frozenset[str]
    ungraded: frozenset[str]


# The AUA/ASRM guidelines (male infertility 2020/2024, testosterone deficiency 2018) grade a
# recommendation's strength and, separately, the body of evidence (A, B, C); Clinical Principles
# and Expert Opinions carry no evidence grade. The Endocrine Society uses GRADE: a strong or weak
# recommendation with the quality of evidence, and ungraded good practice statements.
AUA = Scheme(
    strengths=frozenset({"Strong recommendation", "Moderate recommendation",
                         "Conditional recommendation"}),
    evidence=frozenset({"Grade A", "Grade B", "Grade C"}),
    ungraded=frozenset({"Clinical Principle", "Expert Opinion"}),
)
SCHEMES = {
    "AUA/ASRM": AUA,
    "AUA": AUA,
    "Endocrine Society": Scheme(
        strengths=frozenset({"Strong recommendation", "Weak recommendation"}),
        evidence=frozenset({"High-quality evidence", "Moderate-quality evidence",
                            "Low-quality evidence", "Very low-quality evidence"}),
        ungraded=frozenset({"Ungraded good practice statement"}),
    ),
}


class GradeError(ValueError):
    """A marker that is malformed or names a grade its guideline does not use."""


@dataclass(frozen=True)
class Grade:
    guideline: str
    strength: str
    evidence: str = ""

    @property
    def label(self) -> str:
        return f"{self.guideline}: {self.strength}" + (f", {self.evidence}" if self.evidence else "")


def parse_grade(body: str) -> Grade:
    """The grade in a marker's body ("AUA/ASRM | Strong recommendation | Grade B")."""
    parts = [part.strip() for part in body.split("|")]
    scheme = SCHEMES.get(parts[0])
    if scheme is None:
        raise GradeError(f"unknown guideline '{parts[0]}' (known: {', '.join(sorted(SCHEMES))})")
    if len(parts) == 2 and parts[1] in scheme.ungraded:
        return Grade(parts[0], parts[1])
    if len(parts) == 3 and parts[1] in scheme.strengths and parts[2] in scheme.evidence:
        return Grade(*parts)
    allowed = sorted(scheme.strengths) + sorted(scheme.ungraded)
    raise GradeError(
        f"'{body.strip()}' is not a grade {parts[0]} uses: write 'strength | evidence' with a strength "
        f"of {', '.join(sorted(scheme.strengths))} and evidence of "
        f"{', '.join(sorted(scheme.evidence))}, or one of {', '.join(sorted(scheme.ungraded))} "
        f"alone (allowed first parts: {', '.join(allowed)})")


def render_markers(markdown: str, link: str) -> str:
    """Replace each marker, outside code, with the grade's label linking to `link`.

    Raises GradeError naming the first marker that is malformed or not followed by a citation.
    """
    return outside_code(markdown, lambda text: render_text(text, link))


def render_text(text: str, link: str) -> str:
    out, last = [], 0
    for match in MARKER.finditer(text):
        grade = parse_grade(match.group(1))
        if not CITATION_NEXT.match(text, match.end()):
            raise GradeError(f"{match.group(0)} must be followed by its citation, [@key]")
        out += [text[last:match.start()],
                f'[<span class="trt-visually-hidden">Guideline grade: </span>{grade.label}]'
                f"({link}){{ .trt-grade }}"]
        last = match.end()
    rest = "".join(out) + text[last:]
    if stray := MARKER_START.search(MARKER.sub("", text)):
        line = text[stray.start():].split("\n", 1)[0][:60]
        raise GradeError(f"malformed grade marker '{line}' (write [[grade: guideline | strength | "
                         "evidence]] followed by [@key])")
    return rest


def outside_code(markdown: str, transform) -> str:
    """Apply transform to the Markdown outside fenced code and inline code spans."""
    pieces, last = [], 0
    for code in [*FENCE.finditer(markdown)]:
        pieces += [outside_inline_code(markdown[last:code.start()], transform), code.group(0)]
        last = code.end()
    return "".join(pieces) + outside_inline_code(markdown[last:], transform)


def outside_inline_code(text: str, transform) -> str:
    pieces, last = [], 0
    for code in INLINE_CODE.finditer(text):
        pieces += [transform(text[last:code.start()]), code.group(0)]
        last = code.end()
    return "".join(pieces) + transform(text[last:])
