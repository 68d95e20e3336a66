"""Real HTTP servers on 127.0.0.1 that answer as a test scripts them, and remember what they saw."""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | dict = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line is sent
    endless: bool = False  # after the headers, send bytes until the client goes away
    drop: bool = False  # close the connection without an answer

    def payload(self) -> bytes:
        if isinstance(self.body, dict):
            return json.dumps(self.body).encode()
        return self.body.encode() if isinstance(self.body, str) else self.body


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    at: float


Route = list[Reply] | Callable[[Seen], Reply]


class ScriptedServer:
    """routes: path -> replies given in turn (the last one repeats), or a function of the request."""

    def __init__(self, routes: dict[str, Route], host: str = "127.0.0.1",
                 wrap: Callable[[socket.socket], socket.socket] | None = None):
        self.routes = routes
        self.seen: list[Seen] = []
        self.active = self.most_active = 0  # requests being answered now, and the most at once
        self.lock = threading.Lock()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def answer(self) -> None:
                parts = urlsplit(self.path)
                request = Seen(self.command, parts.path, parts.query, dict(self.headers), time.monotonic())
                with owner.lock:
                    owner.seen.append(request)
                    count = sum(s.path == parts.path for s in owner.seen)
                    owner.active += 1
                    owner.most_active = max(owner.most_active, owner.active)
                try:
                    self.reply(parts.path, request, count)
                finally:
                    with owner.lock:
                        owner.active -= 1

            def reply(self, path: str, request: Seen, count: int) -> None:
                route = owner.routes.get(path)
                if route is None:
                    reply = Reply(404, "not found")
                elif callable(route):
                    reply = route(request)
                else:
                    reply = route[min(count, len(route)) - 1]
                time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    return
                payload = reply.payload()
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.endless:
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    try:
                        while True:
                            self.wfile.write(b"<p>more</p>" * 1000)
                    except OSError:
                        return
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_HEAD = answer

        self.server = http.server.ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False  # a handler still sleeping must not hold up the test
        if wrap:  # e.g. TLS
            self.server.socket = wrap(self.server.socket)
        scheme = "https" if wrap else "http"
        self.url = f"{scheme}://{host}:{self.server.server_address[1]}"

    def requests(self, path: str) -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if s.path == path]

    def __enter__(self) -> ScriptedServer:
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
