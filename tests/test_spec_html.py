"""sitecheck reads HTML as the WHATWG standards say: one row per step where a looser reading differs.

Each row is (HTML of index.html, the problems expected) and names the step it exercises. The site
beside it: target/index.html (ids here, Caps, a%20b, spät; <a name=named>), img/a.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sitecheck.encoding import decode, sniff
from sitecheck.problems import Kind
from sitecheck.run import check_site
from sitecheck.srcset import Candidate, parse_srcset

SITE_URL = "https://example.org/guide/"
TARGET = ('<h2 id="here">Here</h2><a name="named"></a><p id="a%20b">x</p><p id="spät">y</p>'
          '<div name="divname">z</div><template><p id="templated"></p></template>')
NOPE = '/target/index.html has no element with id "nope"'
INVALID = ("is not a valid URL: the URL parser fails on it, so browsers cannot use it "
           "(URL Standard 4.4, basic URL parser)")

# (spec step, HTML, [(kind, target, message)])
ROWS = [
    # --- URL Standard, 4.4 "basic URL parser" -------------------------------------------------
    ("URL 4.4 basic URL parser, steps 1-2: leading and trailing C0 control or space are stripped",
     '<a href=" \x0c target/#here \x0c">ok</a>', []),
    ("URL 4.4 basic URL parser, step 3: ASCII tab or newline is removed anywhere",
     '<a href="tar\nget/#he\tre">ok</a>', []),
    ("URL 4.4 path start / path state: for http(s), a backslash is a slash",
     '<a href="target\\index.html#here">ok</a>', []),
    ("URL 4.4 path state: %2e%2e is a double-dot segment",
     '<a href="target/%2e%2E/target/#here">ok</a>', []),
    ("URL 4.4 path state: a final single-dot segment leaves a folder URL",
     '<a href="target/.#here">ok</a>', []),
    ("URL 4.4 scheme state and host parsing: scheme and host are case-insensitive",
     '<a href="HTTPS://EXAMPLE.ORG/guide/target/#here">ok</a>', []),
    ("URL 4.4 port state: the scheme's default port is the same origin",
     '<a href="https://example.org:443/guide/nowhere/">x</a>',
     [(Kind.BROKEN_LINK, "https://example.org:443/guide/nowhere/", "no file at /nowhere/")]),
    ("URL 4.4 port state: another port is another origin (external, not checked offline)",
     '<a href="https://example.org:8443/guide/nowhere/">x</a>', []),
    ("URL 4.4 host parsing: a space in a host is a validation error that returns failure",
     '<a href="http://exa mple.org/">x</a>', [(Kind.INVALID_URL, "http://exa mple.org/", INVALID)]),
    ("URL 4.4 relative slash state: //host is scheme-relative",
     '<a href="//example.org/guide/nowhere/">x</a>',
     [(Kind.BROKEN_LINK, "//example.org/guide/nowhere/", "no file at /nowhere/")]),
    ("URL 4.4 relative slash state: for http(s) /\\host is scheme-relative too, not root-relative",
     '<a href="/\\example.org/guide/nowhere/">x</a><a href="/\\example.org/elsewhere/">external</a>',
     [(Kind.BROKEN_LINK, "/\\example.org/guide/nowhere/", "no file at /nowhere/")]),
    ("URL 4.4 path state: an empty first segment stays inside the site folder",
     '<a href="/.//etc//passwd">x</a>', [(Kind.BROKEN_LINK, "/.//etc//passwd", "no file at //etc//passwd")]),
    ("A URL path to a file: %00 decodes to a NUL, which no file name holds",
     '<a href="a//b%00c">x</a>', [(Kind.BROKEN_LINK, "a//b%00c", "no file at /a//b\x00c")]),
    ("URL 4.4 fragment state: the query does not change the file",
     '<a href="target/?a=1#here">ok</a>', []),
    # --- HTML 4.2.3 "The base element": the frozen base URL -----------------------------------
    ("HTML 4.2.3: the first <base> with an href counts, not the first <base>",
     '<base target="_blank"><base href="target/"><base href="nowhere/"><a href="#here">ok</a>', []),
    ("HTML 4.2.3 set the frozen base URL: a base that fails to parse leaves the document's URL",
     '<base href="http://[x"><a href="target/#here">ok</a>',
     [(Kind.INVALID_URL, "http://[x", "is not a valid URL, so browsers ignore this <base> and read the "
       "page's links against its own address (HTML 4.2.3, set the frozen base URL)")]),
    ("HTML 4.2.3 set the frozen base URL: a data: base leaves the document's URL",
     '<base href="data:text/html,x"><a href="target/#here">ok</a>', []),
    ("HTML 4.2.3: relative URLs resolve against a base on another host (external)",
     '<base href="https://cdn.example/"><img src="img/gone.png">', []),
    ("HTML 4.2.3: a root-relative base is read against the site's folder",
     '<base href="/target/"><a href="#nope">x</a>', [(Kind.MISSING_ANCHOR, "#nope", NOPE)]),
    # --- HTML "indicated part of the document" / "find a potential indicated element" ---------
    ("HTML indicated part, step 1: an empty fragment is the top of the document",
     '<a href="target/#">ok</a>', []),
    ("HTML indicated part: decodedFragment ASCII case-insensitive 'top' is the top",
     '<a href="target/#top">ok</a><a href="target/#TOP">ok</a><a href="target/#Top">ok</a>', []),
    ("HTML indicated part: only ASCII case folds: Greek omicron is not 'top'",
     '<a href="target/#t\u03bfp">x</a>',
     [(Kind.MISSING_ANCHOR, "target/#t\u03bfp", '/target/index.html has no element with id "t\u03bfp"')]),
    ("HTML find a potential indicated element: the fragment as written is tried before decoding",
     '<a href="target/#a%20b">ok</a>', []),
    ("HTML indicated part: then decodedFragment (UTF-8 percent-decoded)",
     '<a href="target/#sp%C3%A4t">ok</a>', []),
    ("HTML indicated part: invalid UTF-8 decodes to U+FFFD, which no id matches",
     '<a href="target/#%FF">x</a>',
     [(Kind.MISSING_ANCHOR, "target/#%FF", '/target/index.html has no element with id "\ufffd"')]),
    ("HTML find a potential indicated element: name counts on <a> only",
     '<a href="target/#named">ok</a><a href="target/#divname">x</a>',
     [(Kind.MISSING_ANCHOR, "target/#divname", '/target/index.html has no element with id "divname"')]),
    ("HTML find a potential indicated element: ids in a <template> are not in the document tree",
     '<a href="target/#templated">x</a>',
     [(Kind.MISSING_ANCHOR, "target/#templated", '/target/index.html has no element with id "templated"')]),
    ("HTML find a potential indicated element: ids are case-sensitive",
     '<a href="target/#HERE">x</a>',
     [(Kind.MISSING_ANCHOR, "target/#HERE", '/target/index.html has no element with id "HERE"')]),
    # --- HTML "parse a srcset attribute" --------------------------------------------------------
    ("HTML parse a srcset attribute, descriptor parser: a candidate with a bad descriptor is dropped "
     "(reported, and its URL still checked)",
     '<img srcset="img/a.png 1x, img/gone.png 2q">',
     [(Kind.INVALID_SRCSET, "img/gone.png", "srcset descriptor '2q' is not valid (write '800w' or '2x'), "
       "so browsers drop this candidate (HTML 4.8.4.3.10, parse a srcset attribute)"),
      (Kind.MISSING_ASSET, "img/gone.png", "no file at /img/gone.png")]),
    ("HTML parse a srcset attribute, step 6: the URL runs to whitespace, commas included",
     '<img srcset="img/a.png?size=1,2 1x">', []),
    ("HTML parse a srcset attribute, step 8: trailing commas end a URL without descriptors",
     '<img srcset="img/a.png,, img/gone.png 100w">',
     [(Kind.MISSING_ASSET, "img/gone.png", "no file at /img/gone.png")]),
    ("HTML parse a srcset attribute, step 14: a height without a width is an error (dropped)",
     '<img srcset="img/a.png 50h">',
     [(Kind.INVALID_SRCSET, "img/a.png", "srcset height '50h' needs a width beside it, "
       "so browsers drop this candidate (HTML 4.8.4.3.10, parse a srcset attribute)")]),
    ("HTML 4.6.7 preload: <link imagesrcset> is parsed as a srcset",
     '<link rel="preload" as="image" imagesrcset="img/gone.png 2x">',
     [(Kind.MISSING_ASSET, "img/gone.png", "no file at /img/gone.png")]),
    # --- What the browser fetches or follows ----------------------------------------------------
    ("HTML 4.6.7 link types: stylesheet is an external resource link (fetched)",
     '<link rel="StyleSheet" href="gone.css">', [(Kind.MISSING_ASSET, "gone.css", "no file at /gone.css")]),
    ("HTML 4.6.7 link types: canonical, alternate, next are hyperlinks",
     '<link rel="alternate" hreflang="de" href="de/">',
     [(Kind.BROKEN_LINK, "de/", "no file at /de/")]),
    ("HTML 4.6.7 link types: preconnect names an origin, not a resource",
     '<link rel="preconnect" href="/nowhere/">', []),
    ("HTML 4.10.21.3 form submission: the action is followed",
     '<form action="search/"><input name="q"></form>',
     [(Kind.BROKEN_LINK, "search/", "no file at /search/")]),
    ("HTML 4.10.21.3 form submission: an empty action is the form's own document",
     '<form action=""><button formaction="">go</button></form>', []),
    ("HTML 4.10.18.6 formaction overrides the form's action",
     '<form action="target/"><button formaction="send/">go</button></form>',
     [(Kind.BROKEN_LINK, "send/", "no file at /send/")]),
    ("HTML 4.10.5 input type=image fetches its src; other types do not",
     '<input type="image" src="img/gone.png"><input type="text" src="img/gone2.png">',
     [(Kind.MISSING_ASSET, "img/gone.png", "no file at /img/gone.png")]),
    ("HTML 4.4.4 blockquote cite: never fetched, so only a warning",
     '<blockquote cite="gone.html">x</blockquote>',
     [(Kind.BROKEN_CITE, "gone.html", "no file at /gone.html")]),
    ("HTML 4.5.7 q cite: a missing #fragment is only a warning too",
     '<q cite="target/#nope">x</q>', [(Kind.BROKEN_CITE, "target/#nope", NOPE)]),
    ("SVG 2 use element: href and xlink:href name the element to draw",
     '<svg><symbol id="icon"></symbol><use xlink:href="#icon"></use><use href="#gone"></use></svg>',
     [(Kind.MISSING_ANCHOR, "#gone", '/index.html has no element with id "gone"')]),
    ("SVG 2 image element: its href is fetched",
     '<svg><image href="img/gone.svg"></image></svg>',
     [(Kind.MISSING_ASSET, "img/gone.svg", "no file at /img/gone.svg")]),
    ("HTML 4.2.5.3 refresh: content='0; url=...' sends the reader there",
     '<meta http-equiv="refresh" content="0; url=gone/">',
     [(Kind.BROKEN_LINK, "gone/", "no file at /gone/")]),
    ("HTML 4.2.5.3 refresh, skip quotes: the URL ends at the matching quote",
     "<meta http-equiv=\"Refresh\" content=\"3;URL='target/#nope'extra\">",
     [(Kind.MISSING_ANCHOR, "target/#nope", NOPE)]),
    ("HTML 4.2.5.3 refresh: a time alone refreshes the page itself",
     '<meta http-equiv="refresh" content="30">', []),
    ("HTML 4.2.5.3 refresh: no digits and no '.' is not a refresh",
     '<meta http-equiv="refresh" content="soon; url=gone/">', []),
]


def site_with(root: Path, index: bytes) -> Path:
    (root / "target").mkdir(parents=True)
    (root / "img").mkdir()
    (root / "target/index.html").write_text(TARGET, encoding="utf-8")
    (root / "img/a.png").write_bytes(b"png")
    (root / "index.html").write_bytes(index)
    return root


@pytest.mark.parametrize(("step", "html", "expected"), ROWS, ids=[row[0][:80] for row in ROWS])
def test_spec__row(tmp_path: Path, step: str, html: str, expected: list) -> None:
    site = site_with(tmp_path / "guide", f"<!doctype html><meta charset=utf-8>{html}".encode())
    problems = check_site(site, site_url=SITE_URL).problems
    assert [(p.kind, p.target, p.message) for p in problems] == expected, step


# --- HTML 13.2.3.2 "Determining the character encoding" ---------------------------------------

BROKEN = '<p id="caf\u00e9">x</p><a href="#caf%C3%A9">ok</a><a href="nowhere/">x</a>'
MISSING = [(Kind.BROKEN_LINK, "nowhere/", "no file at /nowhere/")]
ENCODING_ROWS = [
    ("step 1, BOM sniffing: a UTF-16LE page with a BOM",
     "\ufeff" + BROKEN, "utf-16-le", MISSING),
    ("step 1, BOM sniffing: a UTF-16BE page with a BOM",
     "\ufeff" + BROKEN, "utf-16-be", MISSING),
    ("step 1: a UTF-8 BOM wins over <meta charset>",
     "\ufeff<meta charset=windows-1252>" + BROKEN, "utf-8", MISSING),
    ("step 5, prescan: <meta charset> in the first 1024 bytes",
     "<meta charset=windows-1252>" + BROKEN, "cp1252", MISSING),
    ("step 5, prescan: <meta http-equiv=content-type content=...charset=...>",
     '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-7">' + BROKEN.replace(
         "caf\u00e9", "\u03ba\u03b1\u03c6\u03ad").replace("caf%C3%A9", "%CE%BA%CE%B1%CF%86%CE%AD"),
     "iso-8859-7", MISSING),
    ("prescan, <meta: content= without http-equiv is not a pragma (the bytes are then UTF-8)",
     '<meta content="text/html; charset=windows-1252">' + BROKEN, "utf-8", MISSING),
    ("prescan: a <meta> inside a comment is skipped",
     "<!-- <meta charset=utf-8> --><meta charset=windows-1252>" + BROKEN, "cp1252", MISSING),
    ("prescan, step 14: charset=utf-16 in a meta means UTF-8",
     "<meta charset=utf-16>" + BROKEN, "utf-8", MISSING),
    ("prescan, <meta attributes: a name already in the attribute list is skipped: the first charset counts",
     "<meta charset=windows-1252 charset=utf-8>" + BROKEN, "cp1252", MISSING),
    ("prescan, <meta attributes: the first charset counts, whichever it is",
     "<meta charset=utf-8 charset=windows-1252>" + BROKEN, "utf-8", MISSING),
]


@pytest.mark.parametrize(("step", "text", "codec", "expected"), ENCODING_ROWS,
                         ids=[row[0][:80] for row in ENCODING_ROWS])
def test_spec__encoding_row(tmp_path: Path, step: str, text: str, codec: str, expected: list) -> None:
    site = site_with(tmp_path / "site", text.encode(codec))
    problems = check_site(site).problems
    assert [(p.kind, p.target, p.message) for p in problems] == expected, step


def test_encoding__utf16_page_without_sniffing_would_hide_its_broken_link(tmp_path: Path) -> None:
    data = ("\ufeff" + BROKEN).encode("utf-16-le")
    assert sniff(data) == ("utf-16le", 2)
    assert "nowhere/" in decode(data) and "nowhere/" not in data.decode("cp1252", errors="replace")


def test_encoding__meta_after_1024_bytes_is_not_seen() -> None:
    late = b"<p>" + b"x" * 1100 + b"<meta charset=koi8-r>"
    assert sniff(late) == ("utf-8", 0)  # valid UTF-8, no BOM, no early meta: detected as UTF-8
    assert sniff(b"<meta charset=koi8-r>" + b"x" * 1100) == ("koi8-r", 0)
    assert sniff(b"<p>caf\xe9</p>") == ("windows-1252", 0)  # step 8: the fallback


# Encodings whose Python codec writes exactly what the Encoding Standard's decoder reads back
# (Python's shift_jis, euc-kr and gbk map a few characters differently from the standard's indexes).
LABELS = {"utf-8": "utf-8", "windows-1252": "cp1252", "iso-8859-2": "iso-8859-2", "koi8-r": "koi8-r",
          "windows-1251": "cp1251", "iso-8859-7": "iso-8859-7"}


@given(label=st.sampled_from(sorted(LABELS)), text=st.text(max_size=200), quoted=st.booleans())
@example(label="windows-1252", text="caf\u00e9", quoted=False)
def test_encoding__meta_charset_round_trips(label: str, text: str, quoted: bool) -> None:
    """Text written in an encoding and declared with <meta charset> reads back unchanged."""
    try:
        body = text.encode(LABELS[label])
    except UnicodeEncodeError:
        return
    if "\ufeff" in text[:1]:
        return
    charset = f'"{label}"' if quoted else label
    page = f"<!doctype html><html><head><meta charset={charset}></head><body>".encode() + body
    assert sniff(page)[0] == label
    assert decode(page).endswith(text)


# --- The srcset parser against a character-by-character transcription of the spec ----------

WHITESPACE = "\t\n\x0c\r "


def spec_parse_srcset(input: str) -> list[Candidate]:
    """HTML, "parse a srcset attribute", transcribed step by step without shortcuts."""
    position = 0  # 2
    candidates = []  # 3
    while True:
        # 4. Splitting loop: collect a sequence of code points that are ASCII whitespace or ",".
        while position < len(input) and (input[position] in WHITESPACE or input[position] == ","):
            position += 1
        # 5.
        if position >= len(input):
            return candidates
        # 6. Collect a sequence of code points that are not ASCII whitespace: url.
        url = ""
        while position < len(input) and input[position] not in WHITESPACE:
            url += input[position]
            position += 1
        # 7.
        descriptors = []
        # 8.
        if url.endswith(","):
            while url.endswith(","):
                url = url[:-1]
        else:
            # 8.1 Descriptor tokenizer: skip ASCII whitespace.
            while position < len(input) and input[position] in WHITESPACE:
                position += 1
            current = ""  # 8.2
            state = "in descriptor"  # 8.3
            while True:  # 8.4
                c = input[position] if position < len(input) else None
                if state == "in descriptor":
                    if c is not None and c in WHITESPACE:
                        if current != "":
                            descriptors.append(current)
                            current = ""
                            state = "after descriptor"
                    elif c == ",":
                        position += 1
                        if current != "":
                            descriptors.append(current)
                        break
                    elif c == "(":
                        current += c
                        state = "in parens"
                    elif c is None:
                        if current != "":
                            descriptors.append(current)
                        break
                    else:
                        current += c
                elif state == "in parens":
                    if c == ")":
                        current += c
                        state = "in descriptor"
                    elif c is None:
                        descriptors.append(current)
                        break
                    else:
                        current += c
                elif state == "after descriptor":
                    if c is not None and c in WHITESPACE:
                        pass
                    elif c is None:
                        break
                    else:
                        state = "in descriptor"
                        position -= 1
                position += 1
        # 9-12.
        error = False
        width = density = future_compat_h = None
        # 13.
        for descriptor in descriptors:
            last = descriptor[-1] if descriptor else ""
            rest = descriptor[:-1]
            if last == "w" and is_valid_non_negative_integer(rest):
                if width is not None or density is not None:
                    error = True
                value = int(rest)
                if value == 0:
                    error = True
                else:
                    width = value
            elif last == "x" and is_valid_floating_point_number(rest):
                if width is not None or density is not None or future_compat_h is not None:
                    error = True
                # The rules for parsing floating-point number values return an error for a value
                # that rounds to 2^1024: taken as an error of the candidate.
                value = float(rest)
                if value < 0 or value in (float("inf"), float("-inf")):
                    error = True
                else:
                    density = value
            elif last == "h" and is_valid_non_negative_integer(rest):
                if future_compat_h is not None or density is not None:
                    error = True
                value = int(rest)
                if value == 0:
                    error = True
                else:
                    future_compat_h = value
            else:
                error = True
        # 14.
        if future_compat_h is not None and width is None:
            error = True
        # 15.
        if not error:
            candidates.append(Candidate(url, width, density, future_compat_h))
        # 16. Return to the splitting loop.


def is_valid_non_negative_integer(s: str) -> bool:
    return s != "" and all(c in "0123456789" for c in s)


def is_valid_floating_point_number(s: str) -> bool:
    """HTML, 2.3.4.3: optional "-"; digits, or digits "." digits, or "." digits; optional e/E,
    optional sign, digits."""
    i = 1 if s.startswith("-") else 0
    digits = 0
    while i < len(s) and s[i] in "0123456789":
        i, digits = i + 1, digits + 1
    if i < len(s) and s[i] == ".":
        i += 1
        fraction = 0
        while i < len(s) and s[i] in "0123456789":
            i, fraction = i + 1, fraction + 1
        if fraction == 0:
            return False
    elif digits == 0:
        return False
    if i < len(s) and s[i] in "eE":
        i += 1
        if i < len(s) and s[i] in "+-":
            i += 1
        exponent = 0
        while i < len(s) and s[i] in "0123456789":
            i, exponent = i + 1, exponent + 1
        if exponent == 0:
            return False
    return i == len(s)


SRCSET_TEXT = st.text(st.sampled_from(list(" \t\n\x0c\r,,,()a/.-+0123456789eEwxhq%é")), max_size=40)


@given(value=SRCSET_TEXT)
@example(value="a.png 1x, b.png 2x")
@example(value="u (a, b) 1x, v")
@example(value="x 1e999x")
@example(value="p 100w 50h, q 50h")
@example(value="a 0w, b 1w")  # zero is an error for a width and a height, not for a density
@example(value="a 100w 0h, b 100w 1h")
@example(value="a 0x, b 1x 1x")
def test_srcset__equals_the_spec_transcription(value: str) -> None:
    assert parse_srcset(value) == spec_parse_srcset(value)


@given(urls=st.lists(st.text(st.sampled_from(list("abc/.?=&%;:")), min_size=1, max_size=8)
                     .filter(lambda u: not u.endswith(",")), min_size=1, max_size=5),
       density=st.integers(min_value=1, max_value=4))
def test_srcset__every_well_formed_candidate_is_kept(urls: list[str], density: int) -> None:
    value = ", ".join(f"{url} {density}x" for url in urls)
    assert [c.url for c in parse_srcset(value)] == urls


def test_srcset__zero_width_and_height_are_dropped_zero_density_is_kept() -> None:
    assert parse_srcset("a 0w, b 1w, c 100w 0h, d 100w 1h, e 0x") == [
        Candidate("b", width=1), Candidate("d", width=100, height=1), Candidate("e", density=0.0)]


# --- Which pages share what: the parse cache, binary pages -------------------------------------

def test_resolve_cache__a_page_with_base_shares_no_verdict_with_one_without(tmp_path: Path) -> None:
    """HTML 4.2.3: a root-relative URL resolves against the page's <base> when it has one; a URL
    resolved once for the whole site must not carry one page's base to another."""
    (tmp_path / "img").mkdir()
    (tmp_path / "img/a.png").write_bytes(b"png")
    link = '<img src="/img/gone.png">'
    for name in ("a.html", "c.html"):  # read before and after the page without a base
        (tmp_path / name).write_text(f'<base href="https://cdn.example/">{link}')
    (tmp_path / "b.html").write_text(link)
    problems = check_site(tmp_path).problems
    assert [(p.page, p.kind, p.target) for p in problems] == [("b.html", Kind.MISSING_ASSET, "/img/gone.png")]


def test_binary_page__a_fragment_link_to_it_gives_only_the_not_html_warning(tmp_path: Path) -> None:
    """A file named .html that holds binary data is not read: a #fragment of it cannot be looked
    up, so the one warning names the file and no link to it is reported."""
    (tmp_path / "blob.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    link = '<a href="blob.html#part">x</a>'
    for name in ("a.html", "z.html"):  # read before the binary page, and after it
        (tmp_path / name).write_text(link)
    published = tmp_path / "published.txt"
    published.write_text("blob.html#part\n")
    problems = check_site(tmp_path, published=published).problems
    assert [(p.page, p.kind, p.severity) for p in problems] == [("blob.html", Kind.NOT_HTML, "warning")]
