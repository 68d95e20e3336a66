"""HTML, 4.8.4.3.10 "parse a srcset attribute"
(https://html.spec.whatwg.org/multipage/images.html#parsing-a-srcset-attribute), and the one step
of 4.8.4.3.7 "select an image source" that drops candidates.

Browsers drop a candidate with a bad descriptor ("a.png 1000px") and one whose density repeats an
earlier candidate's. That is the author's mistake, not the reader's choice: sitecheck reports each
dropped candidate with the rule that drops it, and still checks the URL the author wrote. The
steps are numbered as in the spec; tests/test_spec_html.py holds a character-by-character
transcription of the spec and a property test that the two agree.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

ASCII_WHITESPACE = "\t\n\x0c\r "
SPLITTING = re.compile(r"[\t\n\x0c\r ,]*")
NOT_WHITESPACE = re.compile(r"[^\t\n\x0c\r ]*")
# HTML, 2.3.4.1 "Signed integers" / "Non-negative integers" and 2.3.4.3 "Floating-point numbers":
# the valid forms a descriptor must take.
VALID_NON_NEGATIVE_INTEGER = re.compile(r"[0-9]+")
VALID_FLOAT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


PARSE_RULE = "HTML 4.8.4.3.10, parse a srcset attribute"
SELECT_RULE = "HTML 4.8.4.3.7, select an image source"


class Candidate(NamedTuple):
    url: str
    width: int | None = None
    density: float | None = None
    height: int | None = None


class Dropped(NamedTuple):
    """A candidate that browsers never use, and why, naming the spec's rule."""

    url: str
    message: str


def parse_srcset(value: str, dropped: list[Dropped] | None = None) -> list[Candidate]:
    """The candidates the algorithm keeps; those it drops are appended to `dropped`."""
    # Steps 1-3: input, position, candidates.
    candidates: list[Candidate] = []
    position, end = 0, len(value)
    while True:
        # Step 4, splitting loop: skip ASCII whitespace and commas.
        position = SPLITTING.match(value, position).end()
        # Step 5.
        if position >= end:
            return candidates
        # Step 6: the URL runs to the next ASCII whitespace.
        url = NOT_WHITESPACE.match(value, position).group()
        position += len(url)
        # Step 7.
        descriptors: list[str] = []
        # Step 8: a URL ending in commas has no descriptors; else tokenize them.
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            position = tokenize_descriptors(value, position, descriptors)
        # Steps 9-15: the descriptor parser; a candidate with an error is dropped.
        candidate = parse_descriptors(url, descriptors)
        if isinstance(candidate, Candidate):
            candidates.append(candidate)
        elif dropped is not None:
            dropped.append(candidate)


def tokenize_descriptors(value: str, position: int, descriptors: list[str]) -> int:
    """Step 8's descriptor tokenizer: appends to `descriptors`, returns the position after them."""
    end = len(value)
    # Step 8.1: skip ASCII whitespace.
    while position < end and value[position] in ASCII_WHITESPACE:
        position += 1
    current = ""  # step 8.2
    state = "in descriptor"  # step 8.3
    while True:  # step 8.4
        c = value[position] if position < end else None
        if state == "in descriptor":
            if c is None:
                if current:
                    descriptors.append(current)
                return position
            if c in ASCII_WHITESPACE:
                if current:
                    descriptors.append(current)
                    current = ""
                    state = "after descriptor"
            elif c == ",":
                if current:
                    descriptors.append(current)
                return position + 1
            elif c == "(":
                current += c
                state = "in parens"
            else:
                current += c
        elif state == "in parens":
            if c is None:
                descriptors.append(current)
                return position
            current += c
            if c == ")":
                state = "in descriptor"
        else:  # after descriptor
            if c is None:
                return position
            if c not in ASCII_WHITESPACE:
                state = "in descriptor"
                continue  # reconsume: "set position to the previous character"
        position += 1


def parse_descriptors(url: str, descriptors: list[str]) -> Candidate | Dropped:
    # Steps 9-12: error (here: the first reason for it), width, density, future-compat-h.
    error = ""
    width: int | None = None
    density: float | None = None
    height: int | None = None
    # Step 13: for each descriptor, by its last character.
    for descriptor in descriptors:
        number, last = descriptor[:-1], descriptor[-1:]
        if last == "w" and VALID_NON_NEGATIVE_INTEGER.fullmatch(number):
            if width is not None or density is not None:
                error = error or more_than_one(descriptors)
            elif int(number) == 0:
                error = error or f"srcset width '{descriptor}' is zero"
            else:
                width = int(number)
        elif last == "x" and VALID_FLOAT.fullmatch(number):
            if width is not None or density is not None or height is not None:
                error = error or more_than_one(descriptors)
            elif float(number) < 0:
                error = error or f"srcset density '{descriptor}' is below zero"
            elif math.isinf(float(number)):
                # "rules for parsing floating-point number values": a value that rounds to
                # 2^1024 is an error.
                error = error or f"srcset density '{descriptor}' is too large"
            else:
                density = float(number)
        elif last == "h" and VALID_NON_NEGATIVE_INTEGER.fullmatch(number):
            if height is not None or density is not None:
                error = error or more_than_one(descriptors)
            elif int(number) == 0:
                error = error or f"srcset height '{descriptor}' is zero"
            else:
                height = int(number)
        else:
            error = error or f"srcset descriptor '{descriptor}' is not valid (write '800w' or '2x')"
    # Step 14: a height without a width is an error.
    if height is not None and width is None:
        error = error or f"srcset height '{height}h' needs a width beside it"
    # Step 15: keep the candidate, or drop it (a parse error).
    if error:
        return Dropped(url, f"{error}, so browsers drop this candidate ({PARSE_RULE})")
    return Candidate(url, width, density, height)


def more_than_one(descriptors: list[str]) -> str:
    return f"srcset candidate has more than one width or density ('{' '.join(descriptors)}')"


def select_an_image_source(candidates: list[Candidate], dropped: list[Dropped]) -> list[Candidate]:
    """Step 1 of "select an image source from a source set": a candidate with the same density as
    an earlier one is removed. Densities are compared as "normalize the source densities" gives
    them where that needs no viewport: no descriptor is 1x, and equal widths give equal
    densities whatever the sizes attribute says."""
    kept, seen = [], {}
    for candidate in candidates:
        if candidate.width is not None:
            key, said = ("w", candidate.width), f"width {candidate.width}w"
        else:
            density = 1.0 if candidate.density is None else candidate.density
            key, said = ("x", density), f"density {density:g}x"
        if key in seen:
            dropped.append(Dropped(candidate.url, f"srcset candidate has the same {said} as "
                                   f"'{seen[key]}' before it, so browsers drop it ({SELECT_RULE})"))
        else:
            seen[key] = candidate.url
            kept.append(candidate)
    return kept


def srcset_urls(value: str) -> tuple[list[str], list[Dropped]]:
    """Every URL the author wrote in a srcset (those browsers use first), and the candidates
    browsers drop."""
    dropped: list[Dropped] = []
    kept = select_an_image_source(parse_srcset(value, dropped), dropped)
    return [candidate.url for candidate in kept] + [d.url for d in dropped], dropped
