"""Private by construction: every page tells the browser to load nothing from another origin and
to send no Referer, so a third-party asset added by mistake fails and no source learns where its
reader came from."""

from __future__ import annotations

import re

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import BuiltSite
from servers import Reply, ScriptedServer

POLICY = re.compile(r"^[a-z-]+(?: (?:'self'|'none'|'unsafe-inline'|data:))+$")
CHAPTER = "intermediate/restoring-fertility/"


def policy(html: str) -> dict[str, list[str]]:
    meta = LexborHTMLParser(html).css_first('head meta[http-equiv="Content-Security-Policy"]')
    assert meta is not None, "no Content-Security-Policy meta"
    directives = [d.strip() for d in meta.attributes["content"].split(";") if d.strip()]
    return {d.split()[0]: d.split()[1:] for d in directives}


def test_every_page__carries_a_same_origin_policy_and_no_referrer(built_site: BuiltSite) -> None:
    for path in sorted(built_site.root.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        directives = policy(html)
        assert directives["default-src"] == ["'self'"], path
        assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'self'"], path
        for name, sources in directives.items():
            assert POLICY.match(" ".join([name, *sources])), f"{path}: {name} allows {sources}"
        tree = LexborHTMLParser(html)
        assert tree.css_first('head meta[name="referrer"]').attributes["content"] == "no-referrer", path
        # The policy only governs what comes after it in the page.
        head = html[: html.index("</head>")]
        first_resource = min(head.index(tag) for tag in ("<script", '<link rel="stylesheet"') if tag in head)
        assert head.index("Content-Security-Policy") < first_resource, path


@pytest.mark.parametrize(
    ("content", "allowed"),
    [("default-src 'self'; img-src 'self' data:", True),
     ("default-src 'self'; img-src https://cdn.example.org", False),
     ("default-src *", False)],
)
def test_policy_pattern__rejects_any_host_source(content: str, allowed: bool) -> None:
    html = f'<head><meta http-equiv="Content-Security-Policy" content="{content}"></head>'
    ok = all(POLICY.match(" ".join([n, *s])) for n, s in policy(html).items())
    assert ok is allowed


@pytest.fixture
def elsewhere():
    """Another origin (another port on 127.0.0.1): an image host and a source a reader may visit."""
    routes = {"/pixel.png": [Reply(200, b"GIF89a", {"Content-Type": "image/gif"})],
              "/source": [Reply(200, "<p>a source</p>", {"Content-Type": "text/html"})]}
    with ScriptedServer(routes) as server:
        yield server


@pytest.mark.browser
def test_browser__blocks_an_image_planted_from_another_origin(browser, site_server: str, elsewhere) -> None:
    context = browser.new_context()
    page = context.new_page()

    def plant(route) -> None:
        response = route.fetch()
        planted = f'<img id="planted" src="{elsewhere.url}/pixel.png">'
        body = response.text().replace("</article>", planted + "</article>")
        route.fulfill(response=response, body=body)

    page.route(site_server + CHAPTER, plant)
    page.add_init_script("window.violations = [];"
                         "document.addEventListener('securitypolicyviolation',"
                         " e => window.violations.push(e.blockedURI));")
    page.goto(site_server + CHAPTER)
    page.wait_for_load_state("networkidle")
    assert page.locator("#planted").count() == 1, "the image was not planted"
    assert elsewhere.requests("/pixel.png") == []
    assert page.evaluate("window.violations") == [f"{elsewhere.url}/pixel.png"]
    context.close()


@pytest.mark.browser
def test_browser__a_followed_link_carries_no_referer(browser, site_server: str, elsewhere) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_server + CHAPTER)
    # An outgoing link like the chapters' links to sources and regulators, pointing at our server.
    page.evaluate("""url => {
        const link = document.querySelector("article a[href^='http']") || document.createElement("a");
        link.href = url; link.id = "outgoing"; link.removeAttribute("target");
        if (!link.isConnected) {
            link.textContent = "a source";
            document.querySelector("article").append(link);
        }
    }""", f"{elsewhere.url}/source")
    with page.expect_navigation():
        page.click("#outgoing")
    [request] = elsewhere.requests("/source")
    assert "Referer" not in request.headers and "referer" not in {k.lower() for k in request.headers}
    context.close()
