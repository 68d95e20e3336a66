"""Property-based tests (hypothesis) of URL resolution and fragment matching in sitecheck."""

from __future__ import annotations

import posixpath
from urllib.parse import quote

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
def test_resolve__any_text_gives_an_answer_not_a_crash(checker: SiteChecker, url: str) -> None:
    result = checker.resolve(url, "a/index.html")
    assert isinstance(result, Target | Kind) or result in ("external", "skipped")


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

