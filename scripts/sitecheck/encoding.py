"""Which character encoding a browser reads a page in: HTML, 13.2.3 "The input byte stream"
(https://html.spec.whatwg.org/multipage/parsing.html#the-input-byte-stream).

A static file has no Content-Type header, so the steps that apply are: the BOM, then the prescan
of the first 1024 bytes for <meta charset> or <meta http-equiv=content-type>, then the fallback.
Encoding labels are looked up with `webencodings`, an implementation of the Encoding Standard's
"get an encoding" (its table of labels) used by html5lib and WeasyPrint.
"""

from __future__ import annotations

import functools

import webencodings

PRESCAN_BYTES = 1024
# HTML, 13.2.3.3 "Character encodings": the suggested default for most locales (en among them).
FALLBACK = "windows-1252"
WHITESPACE = b"\t\n\x0c\r "  # the bytes 0x09, 0x0A, 0x0C, 0x0D, 0x20 of the prescan's steps
ASCII_WHITESPACE = "\t\n\x0c\r "
BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xfe\xff", "utf-16be"), (b"\xff\xfe", "utf-16le"))


@functools.lru_cache(maxsize=256)
def get_an_encoding(label: str) -> str | None:
    """Encoding Standard, 4.2 "get an encoding": the encoding's name, or None for failure."""
    encoding = webencodings.lookup(label)
    return encoding.name if encoding else None


def sniff(data: bytes) -> tuple[str, int]:
    """HTML, 13.2.3.2 "Determining the character encoding" (the encoding sniffing algorithm), for a
    file: the encoding's name, and how many bytes of BOM to skip.

    Not followed: 13.2.3.4 "Changing the encoding while parsing", when the tree builder meets a
    <meta charset> after the first 1024 bytes; sitecheck reads each page once."""
    # Step 1: BOM sniffing (Encoding Standard, 6 "BOM sniff"): certain, and the BOM is dropped.
    for bom, name in BOMS:
        if data.startswith(bom):
            return name, len(bom)
    # Steps 2-4 (a user's choice, the transport layer's charset) do not apply to a file.
    # Step 5: prescan the first 1024 bytes.
    found = prescan(data[:PRESCAN_BYTES])
    if found:
        return found, 0
    # Step 6 (a parent document's encoding) does not apply to a file. Step 7 allows the user agent
    # to detect the encoding from the bytes; Firefox (chardetng) and Chrome (CED) both settle on
    # UTF-8 for bytes that are valid UTF-8, which is what sitecheck does.
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return FALLBACK, 0  # step 8: the locale's default
    return "utf-8", 0


def decode(data: bytes) -> str:
    """The page's text, as the tokenizer sees it. Undecodable bytes become U+FFFD, as the Encoding
    Standard's decoders (error mode "replacement") make them."""
    name, skip = sniff(data)
    if name == "utf-8":  # nearly every page: skip the codec lookup
        return data[skip:].decode("utf-8", "replace")
    return webencodings.lookup(name).codec_info.decode(data[skip:], "replace")[0]


def prescan(data: bytes) -> str | None:
    """HTML, 13.2.3.2 "prescan a byte stream to determine its encoding"."""
    # Step 3: UTF-16 XML declarations.
    if data.startswith(b"<\x00?\x00x\x00"):
        return "utf-16le"
    if data.startswith(b"\x00<\x00?\x00x"):
        return "utf-16be"
    end = len(data)
    position = data.find(b"<")  # step 4, "any other byte": do nothing with it
    while 0 <= position < end:
        if data.startswith(b"<!--", position):
            # Advance to the first byte after the "-->" that follows "<!--" (dashes may overlap).
            close = data.find(b"-->", position + 2)
            if close < 0:
                return None
            position = close + 2
        elif (data[position + 1:position + 5].lower() == b"meta"
              and data[position + 5:position + 6] in (b"\t", b"\n", b"\x0c", b"\r", b" ", b"/")
              and position + 5 < end):
            position, charset = meta(data, position + 6)
            if position < 0:
                return None
            if charset is not None:
                return charset
        elif data[position + 1:position + 2].isalpha() or (  # bytes.isalpha: ASCII letters only
                data[position + 1:position + 2] == b"/" and data[position + 2:position + 3].isalpha()):
            # A tag: skip to the next whitespace or ">", then get its attributes until none is left.
            position = next_of(data, position + 1, WHITESPACE + b">")
            while position >= 0:
                position, attribute = get_an_attribute(data, position)
                if attribute is None:
                    break
            if position < 0:
                return None
        elif data[position + 1:position + 2] in (b"!", b"/", b"?"):
            position = data.find(b">", position + 1)  # the first ">" after the "<"
            if position < 0:
                return None
        # Next byte.
        position = data.find(b"<", position + 1)
    return None


def meta(data: bytes, position: int) -> tuple[int, str | None]:
    """The prescan's <meta steps 2-16 from after "<meta" and its space or slash: the position
    reached (-1 at the end of the input) and the encoding, if this <meta> gives one."""
    attribute_list: set[str] = set()
    got_pragma = False
    need_pragma: bool | None = None
    charset: str | None | bool = None  # False: failure ("get an encoding" found nothing)
    while True:  # Attributes
        position, attribute = get_an_attribute(data, position)
        if position < 0:
            return -1, None
        if attribute is None:
            break
        name, value = attribute
        if name in attribute_list:
            continue
        attribute_list.add(name)
        if name == "http-equiv":
            got_pragma = got_pragma or value == "content-type"
        elif name == "content":
            extracted = extract_from_meta_content(value)
            if extracted and charset is None:  # an encoding was returned
                charset, need_pragma = extracted, True
        elif name == "charset":
            charset, need_pragma = get_an_encoding(value) or False, False
    # Processing.
    if need_pragma is None or (need_pragma and not got_pragma) or charset in (None, False):
        return position, None
    if charset in ("utf-16be", "utf-16le"):
        return position, "utf-8"
    if charset == "x-user-defined":
        return position, "windows-1252"
    return position, charset


def next_of(data: bytes, position: int, stops: bytes) -> int:
    while position < len(data):
        if data[position] in stops:
            return position
        position += 1
    return -1


def get_an_attribute(data: bytes, position: int) -> tuple[int, tuple[str, str] | None]:
    """HTML, 13.2.3.2 "get an attribute": (position after it, (name, value)); (position, None)
    when there is none; (-1, None) when the input ends first (the prescan then stops)."""
    end = len(data)

    def byte(at: int) -> int | None:
        return data[at] if at < end else None

    # Step 1.
    while byte(position) is not None and data[position] in WHITESPACE + b"/":
        position += 1
    b = byte(position)
    if b is None:
        return -1, None
    if b == 0x3E:  # step 2: ">"
        return position, None
    name, value = [], []
    while True:  # step 4
        b = byte(position)
        if b is None:
            return -1, None
        if b == 0x3D and name:  # "=" after a name
            position += 1
            break
        if b in WHITESPACE:  # step 6, spaces
            while byte(position) is not None and data[position] in WHITESPACE:
                position += 1
            if byte(position) is None:
                return -1, None
            if data[position] != 0x3D:  # step 7
                return position, ("".join(name), "")
            position += 1  # step 8
            break
        if b in (0x2F, 0x3E):
            return position, ("".join(name), "")
        name.append(chr(b + 0x20 if 0x41 <= b <= 0x5A else b))
        position += 1
    while byte(position) is not None and data[position] in WHITESPACE:  # step 9, value
        position += 1
    b = byte(position)
    if b is None:
        return -1, None
    if b in (0x22, 0x27):  # step 10: a quoted value
        quote = b
        while True:
            position += 1
            c = byte(position)
            if c is None:
                return -1, None
            if c == quote:
                return position + 1, ("".join(name), "".join(value))
            value.append(chr(c + 0x20 if 0x41 <= c <= 0x5A else c))
    if b == 0x3E:
        return position, ("".join(name), "")
    while True:  # steps 10-12: an unquoted value
        c = byte(position)
        if c is None:
            return -1, None
        if c in WHITESPACE or c == 0x3E:
            return position, ("".join(name), "".join(value))
        value.append(chr(c + 0x20 if 0x41 <= c <= 0x5A else c))
        position += 1


def extract_from_meta_content(s: str) -> str | None | bool:
    """HTML, "algorithm for extracting a character encoding from a meta element"
    (https://html.spec.whatwg.org/multipage/urls-and-fetching.html#algorithm-for-extracting-a-character-encoding-from-a-meta-element):
    the encoding's name, None for nothing, or False when "get an encoding" failed on the label."""
    position = 0
    while True:
        # Loop: the first "charset" after position, ASCII case-insensitive.
        found = webencodings.ascii_lower(s).find("charset", position)
        if found < 0:
            return None
        position = found + 7
        while position < len(s) and s[position] in ASCII_WHITESPACE:
            position += 1
        if position < len(s) and s[position] == "=":
            break
        # Not "=": move to just before that character and loop.
    position += 1
    while position < len(s) and s[position] in ASCII_WHITESPACE:
        position += 1
    if position >= len(s):
        return None
    c = s[position]
    if c in "\"'":
        close = s.find(c, position + 1)
        if close < 0:
            return None
        label = s[position + 1:close]
    else:
        stop = position
        while stop < len(s) and s[stop] not in ASCII_WHITESPACE + ";":
            stop += 1
        label = s[position:stop]
    return get_an_encoding(label) or False
