"""Benchmark: external-link checking of 2,000 URLs on local servers that answer after 50 ms.

The URLs are spread over ten loopback hosts (127.0.0.1 to 127.0.0.10), because with a limit of
8 requests at once per host a single host cannot be done in under 12.5 s (2,000 x 50 ms / 8).
sitecheck, lychee and LinkChecker (each when installed) check the same generated pages in one run.

    python scripts/bench_external.py [--urls 2000] [--delay 0.05] [--per-host 8] [--runs 3] [--load 2]
"""

from __future__ import annotations

import argparse
import http.server
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmark import background_load

HOSTS = [f"127.0.0.{n}" for n in range(1, 11)]


def slow_server(host: str, delay: float) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            time.sleep(delay)
            body = b"<html><body>ok</body></html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(body)

        do_HEAD = do_GET

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a checker closing a kept-alive connection is not news

    server = Server((host, 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 256  # keep every connection the checkers open at once
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def make_site(root: Path, urls: list[str], per_page: int = 20) -> None:
    for start in range(0, len(urls), per_page):
        links = "\n".join(f'<p><a href="{url}">link</a></p>' for url in urls[start:start + per_page])
        (root / f"page{start // per_page}.html").write_text(f"<html><body>\n{links}\n</body></html>")


def timed(command: list[str]) -> tuple[float, float, int, str]:
    """Wall-clock and CPU seconds (user + system, the tool's child processes included) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu, result.returncode, result.stdout[-300:] + result.stderr[-300:]


def tool(name: str) -> str | None:
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else shutil.which(name)


def commands(site: Path, cache: Path, per_host: int, tools: set[str]) -> dict[str, list[str]]:
    found = {}
    # The cache folder starts empty: the first run of sitecheck asks all.
    if "sitecheck" in tools and (sitecheck := tool("sitecheck")):
        found["sitecheck"] = [sitecheck, str(site), "--per-host", str(per_host), "--cache-dir",
                              str(cache)]
        found["sitecheck (cached, 2nd run)"] = [sitecheck, str(site), "--per-host", str(per_host),
                                                "--cache-dir", str(cache)]
    if "lychee" in tools and (lychee := tool("lychee")):
        found["lychee"] = [lychee, "--no-progress", "--host-concurrency", str(per_host),
                           "--max-concurrency", "128", str(site / "*.html")]
    if "linkchecker" in tools and (linkchecker := tool("linkchecker")):
        found["LinkChecker"] = [linkchecker, "--no-warnings", "--check-extern", "--threads", "80",
                                "--no-status", str(site / "index.html")]
    return found


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--urls", type=int, default=2000)
    cli.add_argument("--delay", type=float, default=0.05, help="seconds before each answer")
    cli.add_argument("--per-host", type=int, default=8)
    cli.add_argument("--tools", default="sitecheck,lychee,linkchecker", help="default: %(default)s")
    cli.add_argument("--runs", type=int, default=1, help="runs of each tool; the best counts")
    cli.add_argument("--load", type=int, default=0, metavar="N",
                     help="N CPU-bound processes kept busy for the whole run (default: none)")
    args = cli.parse_args(argv)
    servers = [slow_server(host, args.delay) for host in HOSTS]
    urls = [f"http://{HOSTS[n % len(HOSTS)]}:{servers[n % len(HOSTS)].server_address[1]}/doc/{n}"
            for n in range(args.urls)]
    with tempfile.TemporaryDirectory() as scratch:
        # LinkChecker run as root drops to user nobody, who must be able to read the pages.
        Path(scratch).chmod(0o755)
        site, cache = Path(scratch) / "site", Path(scratch) / "cache"
        site.mkdir()
        make_site(site, urls)
        pages = sorted(site.glob("page*.html"))
        (site / "index.html").write_text("".join(f'<a href="{p.name}">{p.name}</a>' for p in pages))
        floor = args.urls * args.delay / (args.per_host * len(HOSTS))
        print(f"Command: python {' '.join(sys.argv)}; {os.cpu_count()} cores; load average before: "
              f"{' '.join(f'{load:.2f}' for load in os.getloadavg())}; background load: "
              f"{args.load} CPU-bound processes\n")
        print(f"{args.urls} URLs on {len(HOSTS)} loopback hosts, {args.delay * 1000:.0f} ms per answer, "
              f"{args.per_host} at once per host (lower bound {floor:.2f} s); best of {args.runs}\n")
        print("| tool | seconds (each run) | best | CPU seconds of the best | exit | vs sitecheck |\n"
              "| --- | --- | ---: | ---: | ---: | ---: |")
        baseline = None
        with background_load(args.load):
            for name, command in commands(site, cache, args.per_host, set(args.tools.split(","))).items():
                runs = []
                for _ in range(args.runs):
                    if name == "sitecheck":  # each run of the first sitecheck asks all
                        shutil.rmtree(cache, ignore_errors=True)
                    runs.append(timed(command))
                    if runs[-1][2] != 0:  # every URL answers 200: a failure means the run is not comparable
                        print(f"<!-- {name} output: {runs[-1][3].strip()} -->", file=sys.stderr)
                seconds, cpu, code, _ = min(runs)
                baseline = baseline or seconds
                each = " / ".join(f"{run[0]:.2f}" for run in runs)
                print(f"| {name} | {each} | {seconds:.2f} | {cpu:.2f} | {code} | {seconds / baseline:.1f}x |",
                      flush=True)
    for server in servers:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
