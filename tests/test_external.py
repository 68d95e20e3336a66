"""External links against real servers on 127.0.0.1: each way a link can fail, and its good twin."""

from __future__ import annotations

import json
import socket
import ssl
import time
from pathlib import Path

import pytest
import trustme

from servers import Reply, ScriptedServer, Seen
from sitecheck.cli import main
from sitecheck.fetch import Cache, Fetcher, retry_after
from sitecheck.problems import Kind
from sitecheck.run import Online, check_site, run_async


def chain(seen: Seen) -> Reply:
    """/chain/N redirects to /chain/N+1, for ever."""
    step = int(seen.path.rsplit("/", 1)[1])
    return Reply(302, headers={"Location": f"/chain/{step + 1}"})


def head_refused(seen: Seen) -> Reply:
    return Reply(405, "use GET") if seen.method == "HEAD" else Reply(200, "hello")


def routes() -> dict:
    return {
        "/ok": [Reply(200, "fine")],
        "/head-refused": head_refused,
        "/head-dropped": lambda seen: Reply(drop=True) if seen.method == "HEAD" else Reply(200, "hi"),
        "/gone": [Reply(404, "no")],
        "/escaped%7Ename": [Reply(200, "only under this spelling")],
        "/moved": [Reply(301, headers={"Location": "/ok"})],
        "/moved-to-gone": [Reply(308, headers={"Location": "/gone"})],
        "/loop-a": [Reply(302, headers={"Location": "/loop-b"})],
        "/loop-b": [Reply(302, headers={"Location": "/loop-a"})],
        **{f"/chain/{n}": chain for n in range(40)},
        "/busy": [Reply(429, headers={"Retry-After": "1"}), Reply(200)],
        "/unavailable": [Reply(503, headers={"Retry-After": "1"}), Reply(200)],
        "/rate-limited-long": [Reply(429, headers={"Retry-After": "3600"})],
        "/slow": [Reply(200, delay=0.2)],
        "/never": [Reply(200, delay=10)],
        "/endless": lambda seen: Reply(405) if seen.method == "HEAD" else Reply(200, endless=True),
        "/server-error": [Reply(500)],
        "/forbidden": [Reply(403, "no robots")],
    }


@pytest.fixture
def remote():
    with ScriptedServer(routes()) as server:
        yield server


def site_linking(root: Path, *urls: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text("\n".join(f'<p><a href="{url}">{url}</a></p>' for url in urls))
    return root


def online(**settings: object) -> Online:
    return Online(**{"contact": "editors@example.org", "cache_dir": None, "timeout": 2.0,
                     "retries": 1, "backoff": 0.05, **settings})


def problems_for(tmp_path: Path, *urls: str, **settings: object) -> list[tuple[Kind, str, str]]:
    report = check_site(site_linking(tmp_path / "site", *urls), online=online(**settings))
    return [(p.kind, p.target, p.message) for p in report.problems]


@pytest.mark.parametrize(("path", "kind", "message"), [
    ("/ok", None, ""),
    ("/head-refused", None, ""),
    ("/head-dropped", None, ""),
    ("/escaped%7Ename", None, ""),  # asked as written: "%7E" is not rewritten to "~"
    ("/moved", None, ""),
    ("/slow", None, ""),
    ("/busy", None, ""),
    ("/unavailable", None, ""),
    ("/gone", Kind.EXTERNAL_BROKEN, "HTTP 404"),
    ("/server-error", Kind.EXTERNAL_BROKEN, "HTTP 500"),
    ("/moved-to-gone", Kind.EXTERNAL_BROKEN, "HTTP 404 (after redirects to"),
    ("/loop-a", Kind.REDIRECT_LOOP, "redirect loop"),
    ("/chain/0", Kind.REDIRECT_LOOP, "more than 10 redirects"),
    ("/rate-limited-long", Kind.EXTERNAL_UNCHECKED, "asked to wait 3600 s"),
    ("/forbidden", Kind.EXTERNAL_UNCHECKED, "HTTP 403: the server refuses automated checks"),
])
def test_external__each_answer(remote: ScriptedServer, tmp_path: Path, path: str, kind, message: str) -> None:
    url = remote.url + path
    found = problems_for(tmp_path, url)
    if kind is None:
        assert found == []
    else:
        ((got_kind, target, got_message),) = found
        assert (got_kind, target) == (kind, url) and message in got_message


def test_external__head_refused_falls_back_to_get(remote: ScriptedServer, tmp_path: Path) -> None:
    problems_for(tmp_path, remote.url + "/head-refused")
    assert [s.method for s in remote.requests("/head-refused")] == ["HEAD", "GET"]


def test_external__head_dropped_falls_back_to_get(remote: ScriptedServer, tmp_path: Path) -> None:
    assert problems_for(tmp_path, remote.url + "/head-dropped", retries=0) == []
    # aiohttp itself asks once more on a dropped connection (a kept one may have gone stale).
    assert [s.method for s in remote.requests("/head-dropped")] == ["HEAD", "HEAD", "GET"]


def test_external__proxy_from_the_environment(remote: ScriptedServer, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """HTTP_PROXY is honoured: a host no one can resolve is asked through the proxy; NO_PROXY
    names the hosts asked directly."""
    monkeypatch.setenv("HTTP_PROXY", remote.url)
    monkeypatch.setenv("NO_PROXY", "direct.invalid")
    assert problems_for(tmp_path, "http://through-proxy.invalid/ok") == []
    assert [s.method for s in remote.requests("/ok")] == ["HEAD"]
    ((kind, _, _),) = problems_for(tmp_path, "http://direct.invalid/ok", retries=0)
    assert kind == Kind.EXTERNAL_UNREACHABLE and len(remote.requests("/ok")) == 1


def test_external__retry_after_is_honoured(remote: ScriptedServer, tmp_path: Path) -> None:
    problems_for(tmp_path, remote.url + "/busy")
    first, second = remote.requests("/busy")
    assert second.at - first.at >= 0.95


def test_external__server_that_never_answers_times_out(remote: ScriptedServer, tmp_path: Path) -> None:
    started = time.monotonic()
    ((kind, _, message),) = problems_for(tmp_path, remote.url + "/never", timeout=0.3, retries=0)
    assert kind == Kind.EXTERNAL_UNREACHABLE and "within 0.3 s" in message
    assert time.monotonic() - started < 3


def test_external__endless_body_does_not_hang(remote: ScriptedServer, tmp_path: Path) -> None:
    started = time.monotonic()
    assert problems_for(tmp_path, remote.url + "/endless", timeout=1.0) == []
    assert time.monotonic() - started < 3


def test_fetch__endless_body_is_cut_at_the_limit(remote: ScriptedServer) -> None:
    async def fetch():
        async with Fetcher(user_agent="test", max_body=100_000, timeout=2.0) as fetcher:
            return await fetcher.fetch(remote.url + "/endless")

    response = run_async(fetch())
    assert response.status == 200 and len(response.body) == 100_000


def test_external__connection_refused_is_unreachable(tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    ((kind, _, message),) = problems_for(tmp_path, f"http://127.0.0.1:{port}/", retries=0)
    assert kind == Kind.EXTERNAL_UNREACHABLE and "cannot connect" in message


def test_external__untrusted_certificate_is_a_tls_error(tmp_path: Path) -> None:
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    wrap = lambda sock: context.wrap_socket(sock, server_side=True)  # noqa: E731
    with ScriptedServer({"/": [Reply(200)]}, wrap=wrap) as secure:
        ((kind, _, message),) = problems_for(tmp_path, secure.url + "/")
    assert kind == Kind.TLS_ERROR and "certificate" in message.lower()


def test_external__each_link_reported_but_each_url_asked_once(remote: ScriptedServer, tmp_path: Path) -> None:
    site = site_linking(tmp_path / "site", remote.url + "/gone", remote.url + "/gone#part")
    (site / "other.html").write_text(f'<a href="{remote.url}/gone">x</a>')
    report = check_site(site, online=online())
    assert [(p.page, p.line) for p in report.problems] == [("index.html", 1), ("index.html", 2),
                                                            ("other.html", 1)]
    assert [s.method for s in remote.requests("/gone")] == ["HEAD", "GET"]


def test_external__excluded_urls_are_not_asked(remote: ScriptedServer, tmp_path: Path) -> None:
    assert problems_for(tmp_path, remote.url + "/gone", excludes=(r"/go+ne$",)) == []
    assert remote.requests("/gone") == []


def test_external__every_exclude_pattern_applies(remote: ScriptedServer, tmp_path: Path) -> None:
    broken = ["/gone", "/server-error", "/moved-to-gone"]
    report = check_site(site_linking(tmp_path / "site", *(remote.url + p for p in [*broken, "/ok"])),
                        online=online(excludes=(r"/gone$", r"/server-error$", r"/moved-to-")))
    assert report.problems == []
    assert (report.stats["external_checked"], report.stats["external_excluded"]) == (1, 3)
    assert [path for path in broken if remote.requests(path)] == []
    assert len(remote.requests("/ok")) == 1


def test_cli__exclude_repeated(remote: ScriptedServer, tmp_path: Path, capsys) -> None:
    site = site_linking(tmp_path / "site", remote.url + "/gone", remote.url + "/server-error")
    common = [str(site), "--cache-dir", str(tmp_path / "cache")]
    assert main([*common, "--exclude", "/gone", "--exclude", "/server-error"]) == 0
    assert "0 external URLs checked, 2 excluded" in capsys.readouterr().out
    for only in ("/gone", "/server-error"):  # either pattern alone leaves the other URL broken
        assert main([*common, "--exclude", only, "--format", "json"]) == 1
        (problem,) = json.loads(capsys.readouterr().out)["problems"]
        assert problem["target"] != remote.url + only and problem["kind"] == "external-broken"


def test_external__per_host_limit_holds(remote: ScriptedServer, tmp_path: Path) -> None:
    urls = [f"{remote.url}/slow?n={n}" for n in range(12)]
    assert problems_for(tmp_path, *urls, per_host=3) == []
    assert remote.most_active == 3


def test_external__cache_makes_a_second_run_ask_nobody(remote: ScriptedServer, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert problems_for(tmp_path, remote.url + "/ok", cache_dir=cache) == []
    assert problems_for(tmp_path, remote.url + "/ok", cache_dir=cache) == []
    assert len(remote.requests("/ok")) == 1
    assert problems_for(tmp_path, remote.url + "/ok", cache_dir=cache, cache_ttl=0) == []
    assert len(remote.requests("/ok")) == 2


def test_cache__damaged_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "links.json"
    path.write_text("{not json")
    assert Cache(path, 3600).get("GET http://x/ {}") is None


@pytest.mark.parametrize(("header", "seconds"), [("5", 5.0), (None, None), ("soon", None),
                                                 ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)])
def test_retry_after__seconds_or_http_date(header: str | None, seconds: float | None) -> None:
    assert retry_after(header) == seconds


def test_external__progress_is_reported_per_url(remote: ScriptedServer, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    site = site_linking(tmp_path / "site", remote.url + "/ok", remote.url + "/moved")
    check_site(site, online=online(), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]


def test_cli__external_problems_in_json_and_bad_exclude(remote: ScriptedServer, tmp_path: Path,
                                                         capsys) -> None:
    site = site_linking(tmp_path / "site", remote.url + "/gone")
    common = ["--cache-dir", str(tmp_path / "cache"), "--format", "json"]
    assert main([str(site), *common]) == 1
    (problem,) = json.loads(capsys.readouterr().out)["problems"]
    assert problem["kind"] == "external-broken" and problem["message"] == "HTTP 404"
    assert main([str(site), *common, "--exclude", "/gone"]) == 0
    assert main([str(site), "--exclude", "("]) == 2
    assert main([str(site), "--offline"]) == 0


def test_fetch__head_requests_keep_their_connections(tmp_path: Path) -> None:
    """Each of 40 HEAD requests to two hosts, 4 at once per host, reuses a connection that an
    earlier one opened: at most 4 connections per host (a dropped one would be opened anew)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from bench_external import slow_server

    accepted: list[object] = []

    def counting(get_request):
        def get_and_count():
            accepted.append(get_request)
            return get_request()
        return get_and_count

    servers = [slow_server(host, 0.01) for host in ("127.0.0.1", "127.0.0.2")]
    for server in servers:
        server.get_request = counting(server.get_request)
    urls = [f"http://{s.server_address[0]}:{s.server_address[1]}/{n}" for s in servers for n in range(20)]

    async def head_all():
        import asyncio

        async with Fetcher(user_agent="test", per_host=4) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(url, method="HEAD", read_body=False) for url in urls))

    try:
        assert all(response.status == 200 for response in run_async(head_all()))
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    assert len(accepted) <= 8
