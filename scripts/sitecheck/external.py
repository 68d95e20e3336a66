"""External links: does each http(s) URL that leaves the site still answer?

Each distinct URL (without its fragment) is asked once, HEAD first and GET where HEAD is refused,
concurrently within the fetcher's per-host limit; every page that links to it gets the verdict.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import Callable

import ada_url

from sitecheck.check import SiteChecker
from sitecheck.fetch import DROPPED, RETRIED, Fetcher, Response
from sitecheck.problems import Kind, Problem
from sitecheck.urls import EXTERNAL

Progress = Callable[[int, int], None]


def external_links(checker: SiteChecker) -> dict[str, list[tuple[str, int]]]:
    """http(s) URL without fragment -> [(page, line)] for every link that leaves the site."""
    found: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for page_path, page in checker.pages.items():
        base_url = None
        for url, line, _, verdict in page.links:
            if verdict != EXTERNAL:
                continue
            # The URL as the browser resolves it (WHATWG URL): "//host/x" and links against a
            # <base href> on another host become absolute.
            base_url = base_url or checker.site.base_url(page_path, page.base)
            try:
                absolute = ada_url.join_url(base_url, url)
            except ValueError:
                continue
            if absolute.startswith(("http:", "https:")):
                found[absolute.partition("#")[0]].append((page_path, line))
    return found


async def ask(fetcher: Fetcher, url: str) -> Response:
    head = await fetcher.fetch(url, method="HEAD", read_body=False)
    # Many servers refuse or mishandle HEAD (405, 403, 404, a dropped connection) yet serve GET.
    refused = (head.status is not None and head.status >= 400 and head.status not in RETRIED) or (
        head.status is None and head.error.startswith(DROPPED))
    return await fetcher.fetch(url, method="GET", read_body=False) if refused else head


async def check_all(urls: list[str], fetcher: Fetcher,
                    progress: Progress | None = None) -> dict[str, Response]:
    done = 0

    async def one(url: str) -> tuple[str, Response]:
        nonlocal done
        response = await ask(fetcher, url)
        done += 1
        if progress:
            progress(done, len(urls))
        return url, response

    return dict(await asyncio.gather(*(one(url) for url in urls)))


def verdict(response: Response) -> tuple[Kind, str] | None:
    """The problem a response shows, or None when the link works."""
    if response.ok or (response.status is not None and response.status < 400 and not response.error):
        return None
    if response.error.startswith(("redirect loop", "more than")):
        return Kind.REDIRECT_LOOP, response.error
    if response.error.startswith("TLS error"):
        return Kind.TLS_ERROR, response.error
    if response.error.startswith("asked to wait"):
        return Kind.EXTERNAL_UNCHECKED, response.error
    if response.error.startswith("not a fetchable URL"):
        return Kind.EXTERNAL_BROKEN, response.error
    if response.status is None:
        return Kind.EXTERNAL_UNREACHABLE, response.error
    if response.status in (401, 403):  # many publishers turn away every client but a browser
        return Kind.EXTERNAL_UNCHECKED, f"HTTP {response.status}: the server refuses automated checks"
    via = f" (after redirects to {response.final_url})" if response.redirects else ""
    return Kind.EXTERNAL_BROKEN, f"HTTP {response.status}{via}"


def external_problems(found: dict[str, list[tuple[str, int]]],
                      responses: dict[str, Response]) -> list[Problem]:
    problems = []
    for url, response in responses.items():
        if judged := verdict(response):
            kind, message = judged
            problems += [Problem(page, line, kind, url, message) for page, line in found[url]]
    return problems


def excluded(url: str, patterns: list[re.Pattern]) -> bool:
    return any(pattern.search(url) for pattern in patterns)
