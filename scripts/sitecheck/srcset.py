"""HTML, "parse a srcset attribute"
(https://html.spec.whatwg.org/multipage/images.html#parsing-a-srcset-attribute), in section
4.8.4.3 "Processing model" of "Images".

Only the candidates the algorithm keeps can ever be fetched, so only their URLs are checked: a
candidate with a bad descriptor ("a.png 2q") is dropped, as browsers drop it. The steps are
numbered as in the spec; tests/test_spec_html.py holds a character-by-character transcription of
the spec and a property test that the two agree.
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


class Candidate(NamedTuple):
    url: str
    width: int | None = None
    density: float | None = None
    height: int | None = None


def parse_srcset(value: str) -> list[Candidate]:
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
        if candidate is not None:
            candidates.append(candidate)


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


def parse_descriptors(url: str, descriptors: list[str]) -> Candidate | None:
    # Steps 9-12: error, width, density, future-compat-h.
    error = False
    width: int | None = None
    density: float | None = None
    height: int | None = None
    # Step 13: for each descriptor, by its last character.
    for descriptor in descriptors:
        number, last = descriptor[:-1], descriptor[-1:]
        if last == "w" and VALID_NON_NEGATIVE_INTEGER.fullmatch(number):
            if width is not None or density is not None or int(number) == 0:
                error = True
            else:
                width = int(number)
        elif last == "x" and VALID_FLOAT.fullmatch(number):
            if width is not None or density is not None or height is not None:
                error = True
            elif float(number) < 0 or math.isinf(float(number)):
                # "rules for parsing floating-point number values": a value that rounds to
                # 2^1024 is an error, as is a result below zero.
                error = True
            else:
                density = float(number)
        elif last == "h" and VALID_NON_NEGATIVE_INTEGER.fullmatch(number):
            if height is not None or density is not None or int(number) == 0:
                error = True
            else:
                height = int(number)
        else:
            error = True
    # Step 14: a height without a width is an error.
    if height is not None and width is None:
        error = True
    # Step 15: keep the candidate, or drop it (a parse error).
    return None if error else Candidate(url, width, density, height)


def srcset_urls(value: str) -> list[str]:
    return [candidate.url for candidate in parse_srcset(value)]
