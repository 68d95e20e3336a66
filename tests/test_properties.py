"""Property-based tests (hypothesis) of URL resolution and fragment matching in sitecheck."""

from __future__ import annotations

import posixpath
from urllib.parse import quote

import ada_url
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sitecheck.check import SiteChecker, Target
from sitecheck.pages import Link, Page
from sitecheck.problems import Kind

SITE_URL = "https://example.org/guide/"
# Path segments as authors write them: letters, digits, spaces, unicode, and characters that must
# be percent-encoded in a URL. "." and ".." are excluded: they are not names.
segment = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\\x00"),
                  min_size=1, max_size=12).filter(lambda s: s not in (".", ".."))
site_path = st.lists(segment, min_size=1, max_size=4).map("/".join)


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> SiteChecker:
    return SiteChecker(tmp_path_factory.mktemp("site"), SITE_URL)


@given(target=site_path, page=site_path)
def test_resolve__relative_root_relative_and_absolute_agree(checker: SiteChecker, target: str,
                                                            page: str) -> None:
    relative = quote(posixpath.relpath(target, posixpath.dirname(page) or "."))
    expected = Target(target, None)
    # URL Standard, path state: a URL ending in a "." or ".." segment names a folder ("0/"),
    # which is the target here (the page lives inside it).
    ends_in_dots = relative.rsplit("/", 1)[-1] in (".", "..")
    assert checker.resolve(relative, page) == (Target(target + "/", None) if ends_in_dots else expected)
    assert checker.resolve("/guide/" + quote(target), page) == expected
    assert checker.resolve(SITE_URL + quote(target), page) == expected


@given(ups=st.integers(min_value=0, max_value=6), rest=site_path, page=site_path)
def test_resolve__never_leaves_the_site_folder(checker: SiteChecker, ups: int, rest: str, page: str) -> None:
    result = checker.resolve(quote("../" * ups + rest), page)
    assert result == Kind.OUTSIDE_SITE or (isinstance(result, Target) and not result.path.startswith(".."))
    depth = page.count("/")
    assert (result == Kind.OUTSIDE_SITE) == (ups > depth)


@given(url=st.text(max_size=60))
@example(url="http://[::1")
@example(url="//[x/y")
@example(url="/.//etc//passwd")
@example(url=" \tmailto:a@b.c")
@example(url="tel:+1234")
@example(url="file:///etc/passwd")
@example(url="//example.org/elsewhere/")  # with a tab after its first slash too (see below)
def test_resolve__any_text_gives_the_url_parsers_answer(checker: SiteChecker, url: str) -> None:
    page = "a/index.html"
    result = checker.resolve(url, page)
    # URL Standard 4.4: "not a valid URL" exactly where the basic URL parser returns failure.
    try:
        absolute = ada_url.join_url(checker.site.document_url(page), url)
    except ValueError:
        assert result == Kind.INVALID_URL
        return
    scheme = absolute.partition(":")[0]
    expected = {"http": None, "https": None, "file": Kind.FILE_URL}.get(
        scheme, "skipped" if scheme in {"mailto", "tel", "javascript", "data", "blob", "about", "sms"}
        else "external")
    if expected is not None:
        assert result == expected
    else:  # on the site (a Target, or leaving its folder), or another host
        assert isinstance(result, Target) or result in (Kind.OUTSIDE_SITE, "external")
    # Steps 1-3: leading and trailing C0 control or space, and tabs and newlines, change nothing.
    assert checker.resolve(f" \x01{url[:1]}\t{url[1:3]}\n{url[3:]}\r ", page) == result
    if isinstance(result, Target):  # the site folder is empty: nothing is there, nothing leaves it
        assert checker.file_for(result.path) == (None, True)


# Any ASCII case of "top" indicates the top of the page (HTML, "indicated part of the document").
@given(anchor=st.text(min_size=1, max_size=20).filter(lambda s: s.strip() and s.lower() != "top"))
def test_fragment__matches_the_id_exactly_after_percent_decoding(tmp_path_factory, anchor: str) -> None:
    root = tmp_path_factory.getbasetemp() / "fragments"
    root.mkdir(exist_ok=True)
    (root / "index.html").write_text("<p>x</p>")
    checker = SiteChecker(root)
    checker.pages = {"index.html": Page(anchors={anchor})}
    target = checker.resolve("#" + quote(anchor), "index.html")
    assert target == Target("index.html", anchor)
    assert checker.check_target(target, Link("#x", 1), "index.html", Kind.BROKEN_LINK) is None
    other = anchor.swapcase() if anchor.swapcase() != anchor else anchor + "-"
    missing = checker.check_target(Target("index.html", other), Link("#x", 1), "index.html",
                                   Kind.BROKEN_LINK)
    assert missing is not None and missing.kind == Kind.MISSING_ANCHOR



# resolve_links reuses one verdict for many links (an address without its fragment, keyed by a
# folder higher up for "../" links): each must still be what the URL parser gives for that link.
url_piece = st.sampled_from(["../", "./", "..", ".", "/", "\\", "#", "#s1", "?q", ":", "a:", "https:",
                             "x", "page.html", "dir/", " ", "\t", "\x01", "%2e", "%2e%2e/", "`", '"'])


@given(pieces=st.lists(url_piece, max_size=8), page=st.lists(st.sampled_from(["a", "b", "c d"]),
                                                               max_size=4).map("/".join),
       site_url=st.sampled_from([None, SITE_URL]), base=st.sampled_from([None, "../", "/x/", "http://o/p/q"]))
@example(pieces=["../", "../", "x", "#s1"], page="a/b", site_url=None, base=None)
@example(pieces=["../", " ", "/", "x"], page="a/b", site_url=None, base=None)
@example(pieces=["https:", "?q"], page="a/b", site_url=None, base=None)
@example(pieces=["x", " ", "#s1"], page="a", site_url=None, base=None)
@example(pieces=["x", "#", " ", "x"], page="a", site_url=None, base=None)  # "%20x" in the URL
def test_resolve_links__each_verdict_is_the_url_parsers_for_that_link(
        pieces: list[str], page: str, site_url: str | None, base: str | None) -> None:
    from sitecheck.pages import resolve_links
    from sitecheck.urls import Site

    site = Site.from_url(site_url)
    page_path = (page + "/" if page else "") + "index.html"
    url = "".join(pieces)
    # Other pages first fill the cache, as a worker's earlier pages do.
    cache: dict = {}
    for other in ("index.html", "a/index.html", "a/b/index.html", "a/b/c d/index.html", page_path):
        resolve_links(Page(links=[(url, 1, "hyperlink")], base=base), other, site, cache)
    [(_, _, _, verdict)] = resolve_links(Page(links=[(url, 1, "hyperlink")], base=base), page_path,
                                         site, cache)
    expected = site.resolve(url, site.base_url(page_path, base)) if url else "empty"
    assert verdict == expected


# Site.resolve answers plain paths without the URL parser: each such answer must be the parser's.
plain_piece = st.sampled_from(["/", "a", "b.html", "index.html", ".", "..", ".x", "x.", "~", "-_",
                               "sitecheck-root", "guide", "%2e", "%20", "a:b", "?q", "#f", "\\", " "])
base_folder = st.sampled_from(["", "a/", "a/b/", "c%20d/", "guide/", "guide/a/"])


@given(pieces=st.lists(plain_piece, max_size=8), folder=base_folder,
       document=st.sampled_from(["", "index.html", "page.html?q=/", "page.html#f/"]),
       site_url=st.sampled_from([None, SITE_URL, "https://example.org/c%20d/"]),
       elsewhere=st.booleans())
@example(pieces=["/", "guide", "/", "a"], folder="a/", document="", site_url=SITE_URL, elsewhere=False)
@example(pieces=["a"], folder="", document="", site_url=SITE_URL, elsewhere=False)  # above the site
@example(pieces=["/", "sitecheck-root", "/", "a"], folder="a/", document="", site_url=None, elsewhere=False)
@example(pieces=["a"], folder="a/", document="page.html?q=/", site_url=None, elsewhere=False)
@example(pieces=["b.html"], folder="c%20d/", document="", site_url=None, elsewhere=False)
def test_resolve__plain_paths_skip_the_parser_with_its_answer(
        pieces: list[str], folder: str, document: str, site_url: str | None, elsewhere: bool) -> None:
    from sitecheck.urls import PLAIN_PATH, ROOT, Site

    site = Site.from_url(site_url)
    origin = "https://elsewhere.example" if elsewhere else site.origin
    base_url = f"{origin}/{ROOT}/{folder}{document}"
    url = "".join(pieces)
    plain = site.resolve_plain(url, base_url) if PLAIN_PATH.fullmatch(url) else None
    if plain is not None:
        assert plain == site.resolve_parsed(url, base_url)
    assert site.resolve(url, base_url) == site.resolve_parsed(url, base_url)
