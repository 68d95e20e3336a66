"""One sitecheck run: internal links, citations, sources and, when online, the network checks."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sitecheck.check import Report, SiteChecker
from sitecheck.citations import citation_problems
from sitecheck.problems import Kind, Problem, markdown_source, with_source_lines
from sitecheck.sources import (
    Endpoints,
    check_lock,
    load_sources,
    look_up_all,
    read_lock,
    updated_lock,
    verify,
    write_lock,
)

# The network modules load only for an online run: aiohttp and asyncio would cost a third of the
# start-up of an offline check, which is meant to run on every save.
if TYPE_CHECKING:
    from sitecheck.external import Progress
    from sitecheck.fetch import Cache, Fetcher


@functools.cache
def version() -> str:
    """pyproject.toml holds the one version number; the installed package's metadata has it.
    (Looked up when asked: importlib.metadata takes a tenth of sitecheck's start-up.)"""
    import importlib.metadata

    try:
        return importlib.metadata.version("trt-fertility-guide")
    except importlib.metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


# The start of template syntax (Jinja's {{ ... }} and {% ... %}) in a link: no URL the author meant.
TEMPLATE_SYNTAX = re.compile(r"\{[{%]")
T = TypeVar("T")


@dataclass(frozen=True)
class Online:
    """How to behave on the network; without it, sitecheck asks no one anything."""

    contact: str = ""
    endpoints: Endpoints = field(default_factory=Endpoints)
    per_host: int = 8
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5
    max_wait: float = 60.0
    cache_dir: Path | None = Path(".sitecheck-cache")
    cache_ttl: float = 3600.0
    excludes: tuple[str, ...] = ()  # regular expressions; matching URLs are not asked

    def user_agent(self) -> str:
        return f"sitecheck/{version()} (TRT Fertility Guide link and source checker; {self.contact})"

    def fetcher(self, cache: Cache | None) -> Fetcher:
        from sitecheck.fetch import Fetcher

        return Fetcher(user_agent=self.user_agent(), per_host=self.per_host, timeout=self.timeout,
                       retries=self.retries, backoff=self.backoff, max_wait=self.max_wait,
                       cache=cache)

    def cache(self, name: str) -> Cache | None:
        from sitecheck.fetch import Cache

        return Cache(self.cache_dir / name, self.cache_ttl) if self.cache_dir else None

    def ask(self, cache_name: str, work: Callable[[Fetcher], Awaitable[T]]) -> T:
        """Run `work` with a fetcher whose answers are cached in `cache_name`, then save them."""
        cache = self.cache(cache_name)

        async def with_fetcher() -> T:
            async with self.fetcher(cache) as fetcher:
                return await work(fetcher)

        result = run_async(with_fetcher())
        if cache:
            cache.save()
        return result


def check_site(root: Path, site_url: str | None = None, published: Path | None = None, *,
               bibliography: Path | None = None, lock: Path | None = None,
               online: Online | None = None, docs: Path | None = None,
               progress: Progress | None = None, redirects: bool = False) -> Report:
    """`docs`: the Markdown sources, to name each page's; `redirects`: the site has a redirects
    file, so the hints may advise adding a redirect."""
    checker = SiteChecker(root, site_url)
    checker.load()
    report = checker.check(published)
    report.problems = set_templates_aside(checker, report.problems)
    report.problems += citation_problems(checker, project=bibliography is not None)
    if online is not None:
        report.problems += check_external(checker, online, report, progress)
    if bibliography is not None:
        report.problems += check_sources(bibliography, lock, online)
    if docs is not None:
        # Only the site's files have a source (not the bibliography, nor the published links).
        sources = {page: markdown_source(page, docs) for page in {p.page for p in report.problems}
                   if page in checker.files}
        report.problems = with_source_lines([replace(p, source=sources.get(p.page, ""))
                                             for p in report.problems])
    if redirects:
        report.problems = [replace(p, redirects=True) for p in report.problems]
    report.problems.sort()
    return report


def set_templates_aside(checker: SiteChecker, problems: list[Problem]) -> list[Problem]:
    """A page whose links hold template syntax is a template copied into the site as it is (MkDocs
    copies an .html file under docs/ unrendered): one warning for the file instead of a problem
    for each such link, which is also left out of the external check."""
    warnings = []
    for path, page in checker.pages.items():
        # "{" first: a large site has millions of links, and the test costs less than the search.
        templated = [link for link in page.links if "{" in link[0] and TEMPLATE_SYNTAX.search(link[0])]
        if templated:
            url, line = templated[0][:2]
            warnings.append(Problem(path, line, Kind.UNRENDERED_TEMPLATE, url,
                                    f"{len(templated)} of its links hold template syntax; they were "
                                    "not checked"))
            page.links = [link for link in page.links if link not in templated]
    aside = {w.page for w in warnings}
    return [p for p in problems if p.page not in aside or not TEMPLATE_SYNTAX.search(p.target)] + warnings


def check_external(checker: SiteChecker, online: Online, report: Report,
                   progress: Progress | None) -> list[Problem]:
    from sitecheck.external import check_all, excluded, external_links, external_problems

    found = external_links(checker)
    patterns = [re.compile(pattern) for pattern in online.excludes]
    urls = [url for url in found if not excluded(url, patterns)]
    report.stats["external_checked"] = len(urls)
    report.stats["external_excluded"] = len(found) - len(urls)
    responses = online.ask("links.json", lambda fetcher: check_all(urls, fetcher, progress))
    return external_problems(found, responses)


def run_async(coroutine: Coroutine[object, object, T]) -> T:
    """asyncio.run in a thread of its own: the caller's thread may already run a loop
    (Playwright's sync API does, in the tests), and asyncio.run refuses to nest."""
    import asyncio

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def check_sources(bibliography: Path, lock: Path | None, online: Online | None) -> list[Problem]:
    """Offline: against the lock file. Online: against Crossref, doi.org and PubMed."""
    sources, problems = load_sources(bibliography)
    where = bibliography.as_posix()
    if online is None:
        problems += check_lock(sources, read_lock(lock), where) if lock else []
        return at_entry_lines(problems, bibliography)
    lookups = online.ask("sources.json", lambda fetcher: look_up_all(
        sources, fetcher, online.endpoints, online.contact))
    if lock:
        now = datetime.datetime.now(datetime.UTC)
        write_lock(lock, updated_lock(read_lock(lock), sources, lookups, now))
    return at_entry_lines(problems + verify(sources, lookups, where), bibliography)


def at_entry_lines(problems: list[Problem], bibliography: Path) -> list[Problem]:
    """Point each problem at the line of its entry, so the editor opens the right place."""
    text = bibliography.read_text(encoding="utf-8", errors="replace").splitlines()
    lines = {m.group(1): number for number, line in enumerate(text, start=1)
             if (m := re.match(r"\s*-?\s*key:\s*['\"]?([\w-]+)", line))}
    return [replace(p, line=lines.get(p.target.split()[0], p.line)) for p in problems]
