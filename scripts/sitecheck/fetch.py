"""Polite HTTP for sitecheck: per-host limits, retries that honour Retry-After, timeouts, a cache.

Used both for external links and for looking up DOIs and PMIDs. Redirects are followed here, not by
aiohttp, so that a loop is reported as a loop and every hop shares the same limits.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import email.utils
import json
import os
import random
import ssl
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
import certifi
from yarl import URL

REDIRECTS = {301, 302, 303, 307, 308}
# Busy or briefly broken: worth asking again after a pause.
RETRIED = {429, 500, 502, 503, 504}
# The connection closed before a whole answer came: some servers do that to HEAD.
DROPPED = "connection dropped"
MAX_HEADER = 1 << 16


@dataclass(frozen=True)
class Response:
    """What became of one URL: an HTTP status, or an error saying why there is none."""

    url: str
    final_url: str
    status: int | None = None
    error: str = ""
    body: bytes = b""
    redirects: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.error and self.status is not None and 200 <= self.status < 300

    def as_json(self) -> dict:
        return {**asdict(self), "body": base64.b64encode(self.body).decode("ascii")}

    @classmethod
    def from_json(cls, data: dict) -> Response:
        return cls(**{**data, "body": base64.b64decode(data["body"]),
                      "redirects": tuple(data["redirects"])})


class Cache:
    """Answers kept on disk for `ttl` seconds, so that a second run within the hour asks nobody."""

    def __init__(self, path: Path, ttl: float):
        self.path, self.ttl = path, ttl
        try:
            self.entries: dict[str, dict] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # no cache yet, or a damaged one: start afresh
            self.entries = {}

    def get(self, key: str) -> Response | None:
        entry = self.entries.get(key)
        if not isinstance(entry, dict) or time.time() - entry.get("time", 0) > self.ttl:
            return None
        try:
            return Response.from_json(entry["response"])
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, key: str, response: Response) -> None:
        self.entries[key] = {"time": time.time(), "response": response.as_json()}

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fresh = {k: v for k, v in self.entries.items()
                 if isinstance(v, dict) and time.time() - v.get("time", 0) <= self.ttl}
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(fresh), encoding="utf-8")
        os.replace(temporary, self.path)  # a run killed mid-write leaves the old cache whole


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def describe(error: Exception, timeout: float) -> tuple[str, bool]:
    """A one-line reason for a failed request, and whether asking again could help."""
    if tls := tls_error(error):
        reason = getattr(tls, "verify_message", None) or getattr(tls, "reason", None) or tls
        return f"TLS error: {reason}", False
    if isinstance(error, TimeoutError):  # aiohttp's connect and read timeouts are TimeoutErrors too
        return f"no complete answer within {timeout:g} s", True
    if isinstance(error, aiohttp.InvalidURL):
        return f"not a fetchable URL: {error}", False
    if isinstance(error, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        return f"{DROPPED}: {error}", True
    if isinstance(error, aiohttp.ClientConnectorError):
        return f"cannot connect: {error.os_error or error}", True
    return f"{type(error).__name__}: {error}", True


def tls_error(error: BaseException) -> ssl.SSLError | None:
    """The TLS failure behind an error, if any: aiohttp keeps it in an attribute, not as the cause."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [error]
    while stack:
        cause = stack.pop()
        if cause is None or id(cause) in seen:
            continue
        if isinstance(cause, ssl.SSLError):
            return cause
        seen.add(id(cause))
        stack += [getattr(cause, "certificate_error", None), getattr(cause, "os_error", None),
                  cause.__cause__, cause.__context__]
    return None


def request_url(url: str) -> URL:
    """The URL exactly as given when it is already encoded (a WHATWG-parsed link always is), so
    that no percent-escape is changed on the way; otherwise encoded here."""
    try:
        return URL(url, encoded=url.isascii() and url.isprintable() and " " not in url)
    except (TypeError, ValueError) as error:
        raise aiohttp.InvalidURL(url, str(error)) from error


class Fetcher:
    """An aiohttp session whose requests wait their turn per host and back off when asked to.

    Use it as `async with Fetcher(...) as fetcher`: the session and its connections live as long
    as the block."""

    def __init__(self, *, user_agent: str, per_host: int = 8, timeout: float = 10.0,
                 retries: int = 2, backoff: float = 0.5, max_wait: float = 60.0,
                 max_redirects: int = 10, max_body: int = 1 << 20, cache: Cache | None = None,
                 verify: ssl.SSLContext | bool = True):
        self.per_host, self.timeout, self.retries = per_host, timeout, retries
        self.backoff, self.max_wait, self.max_redirects = backoff, max_wait, max_redirects
        self.max_body, self.cache = max_body, cache
        self.user_agent = user_agent
        # Mozilla's roots as packaged by certifi, the same on every machine.
        self.verify = ssl.create_default_context(cafile=certifi.where()) if verify is True else verify
        self.session: aiohttp.ClientSession | None = None
        # HTTP_PROXY, HTTPS_PROXY and NO_PROXY, read once: aiohttp's trust_env would read them,
        # and ~/.netrc, in a thread for every request.
        self.env_proxies = {scheme: url for scheme, url in getproxies().items()
                            if scheme in ("http", "https")}
        self.proxies: dict[tuple[str, str], str | None] = {}
        self.slots: dict[str, asyncio.Semaphore] = {}
        self.resume_at: dict[str, float] = {}  # host -> loop time before which it is left alone

    async def __aenter__(self) -> Fetcher:
        self.session = aiohttp.ClientSession(
            # Connections are kept for the next request to the same host; host_slot alone bounds
            # how many each host has (a request gives its connection back before its slot).
            connector=aiohttp.TCPConnector(limit=0, ssl=self.verify),
            headers={"User-Agent": self.user_agent},
            # The deadline for the whole exchange is set per request (see `ask`).
            timeout=aiohttp.ClientTimeout(total=None, connect=self.timeout, sock_read=self.timeout),
            # Publishers send long Content-Security-Policy and Link headers.
            max_line_size=MAX_HEADER, max_field_size=MAX_HEADER)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.session:
            await self.session.close()

    @contextlib.asynccontextmanager
    async def host_slot(self, url: str) -> AsyncIterator[None]:
        host = urlsplit(url).netloc.lower()
        slot = self.slots.setdefault(host, asyncio.Semaphore(self.per_host))
        async with slot:
            while (pause := self.resume_at.get(host, 0) - asyncio.get_running_loop().time()) > 0:
                await asyncio.sleep(pause)
            yield

    def proxy(self, url: str) -> str | None:
        scheme, host = (part.lower() for part in urlsplit(url)[:2])
        if (scheme, host) not in self.proxies:
            wanted = self.env_proxies.get(scheme)
            self.proxies[scheme, host] = wanted if wanted and not proxy_bypass(host) else None
        return self.proxies[scheme, host]

    def pause_host(self, url: str, seconds: float) -> None:
        host = urlsplit(url).netloc.lower()
        until = asyncio.get_running_loop().time() + seconds
        self.resume_at[host] = max(self.resume_at.get(host, 0), until)

    async def fetch(self, url: str, *, method: str = "GET", headers: dict | None = None,
                    read_body: bool = True) -> Response:
        key = f"{method} {url} {json.dumps(headers or {}, sort_keys=True)}"
        if self.cache and (cached := self.cache.get(key)):
            return cached
        response = await self.follow(url, method, headers or {}, read_body)
        retryable = response.status in RETRIED or (response.error and response.status is None
                                                    and not response.error.startswith("TLS"))
        if self.cache and not retryable:
            self.cache.put(key, response)
        return response

    async def follow(self, url: str, method: str, headers: dict, read_body: bool) -> Response:
        chain = [url]
        current = url
        for _ in range(self.max_redirects + 1):
            status, answer_headers, body, error = await self.ask(method, current, headers, read_body)
            location = answer_headers.get("location") if answer_headers else None
            if status in REDIRECTS and location:
                following = urljoin(current, location.strip())
                if following in chain:
                    loop = " -> ".join([*chain[chain.index(following):], following])
                    return Response(url, current, status, f"redirect loop: {loop}",
                                    redirects=tuple(chain[1:]))
                chain.append(following)
                current = following
                method = "GET" if status == 303 else method
                continue
            return Response(url, current, status, error, body, tuple(chain[1:]))
        return Response(url, current, None, f"more than {self.max_redirects} redirects",
                        redirects=tuple(chain[1:]))

    async def ask(self, method: str, url: str, headers: dict,
                  read_body: bool) -> tuple[int | None, Mapping[str, str] | None, bytes, str]:
        """One URL, retried while the server is busy or the network fails."""
        for attempt in range(self.retries + 1):
            try:
                # The whole exchange has a deadline: a body that trickles forever never trips the
                # per-read timeout. (asyncio.timeout, unlike wait_for, starts no task.)
                async with self.host_slot(url), asyncio.timeout(self.timeout * 2):
                    status, answer_headers, body = await self.once(method, url, headers, read_body)
            except (aiohttp.ClientError, TimeoutError, ssl.SSLError, ValueError) as error:
                message, worth_retrying = describe(error, self.timeout)
                if not worth_retrying or attempt == self.retries:
                    return None, None, b"", message
                await asyncio.sleep(self.backoff * 2 ** attempt * (1 + random.random() / 4))
                continue
            if status not in RETRIED or attempt == self.retries:
                return status, answer_headers, body, ""
            asked = retry_after(answer_headers.get("retry-after"))
            wait = asked if asked is not None else self.backoff * 2 ** attempt
            if wait > self.max_wait:
                return status, answer_headers, body, (
                    f"asked to wait {wait:.0f} s (Retry-After), more than the {self.max_wait:g} s allowed")
            self.pause_host(url, wait)
        raise AssertionError("unreachable: the last attempt always returns")

    async def once(self, method: str, url: str, headers: dict,
                   read_body: bool) -> tuple[int, Mapping[str, str], bytes]:
        if self.session is None:
            raise RuntimeError("use the Fetcher in `async with`: it has no session outside one")
        async with self.session.request(method, request_url(url), headers=headers,
                                        allow_redirects=False, proxy=self.proxy(url)) as answer:
            body = bytearray()
            # A body left unread closes its connection when the block ends; a HEAD answer has none,
            # so its connection is kept for the next request.
            if read_body:
                async for chunk in answer.content.iter_chunked(1 << 16):
                    body += chunk
                    if len(body) >= self.max_body:  # an endless body is cut, not awaited
                        break
            return answer.status, answer.headers, bytes(body[:self.max_body])
