"""Lighthouse scores of the built site, served compressed as a static host serves it.

    python scripts/lighthouse.py [--site site] [--runs 1] [PAGE ...]

Serves SITE with gzip on 127.0.0.1, runs Lighthouse (npm, pinned in tools/lighthouse/, installed
there on first use) with its default mobile settings (simulated slow 4G, 4x CPU slowdown) in
Chromium, and prints the performance, accessibility, best-practices and SEO scores and the bytes
transferred for each page. With --runs N, each page is measured N times and the median
performance run is reported. Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import mimetypes
import os
import shutil
import statistics
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "lighthouse"
LIGHTHOUSE = TOOL / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# The start page and one chapter per tier (the pages issue 12 names).
PAGES = ["", "fundamentals/why-trt-lowers-sperm/", "intermediate/restoring-fertility/",
         "academic/why-trt-lowers-sperm/"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the client accepts it (as GitHub Pages, Netlify and
    every CDN do), with a short cache lifetime like GitHub Pages' ten minutes."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(unquote(urlsplit(self.path).path)))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and path.suffix in COMPRESSIBLE and accepts_gzip):
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass(frozen=True)
class Result:
    page: str
    scores: dict[str, int]
    transferred: int  # bytes over the network, compressed
    requests: int
    failed_audits: tuple[str, ...]
    benchmark: int  # Lighthouse's CPU benchmark index: lower means a busier or slower machine
    fcp_ms: int
    lcp_ms: int
    tbt_ms: int


def install() -> None:
    if not LIGHTHOUSE.exists():
        if not shutil.which("npm"):
            raise SystemExit("npm is missing: install Node.js (Debian: apt-get install npm)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=TOOL, check=True)


def run_lighthouse(url: str) -> dict:
    command = [
        str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          env={**os.environ, "CHROME_PATH": CHROMIUM})
    if done.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def result_of(page: str, report: dict) -> Result:
    categories = report["categories"]
    scores = {name: round(categories[name]["score"] * 100) for name in CATEGORIES}
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    failed = tuple(
        sorted(audit_ref["id"] for name in CATEGORIES for audit_ref in categories[name]["auditRefs"]
               if audit_ref["weight"] > 0 and audits[audit_ref["id"]]["score"] not in (None, 1)))
    return Result(page or "/", scores, int(audits["total-byte-weight"]["numericValue"]), len(requests),
                  failed, round(report["environment"]["benchmarkIndex"]),
                  *(round(audits[name]["numericValue"]) for name in
                    ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time")))


def measure(base_url: str, page: str, runs: int) -> Result:
    results = [result_of(page, run_lighthouse(base_url + page)) for _ in range(runs)]
    median = statistics.median_low(r.scores["performance"] for r in results)
    return next(r for r in results if r.scores["performance"] == median)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", default=PAGES, help="site-relative page URLs")
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (default: site/)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is reported")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        print(f"{args.site} holds no built site: run `make build` first", file=sys.stderr)
        return 2
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: set CHROME_PATH", file=sys.stderr)
        return 2
    install()
    handler = functools.partial(GzipHandler, directory=str(args.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        results = [measure(base_url, page, args.runs) for page in args.pages]
    finally:
        server.shutdown()
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"Lighthouse (mobile), {os.cpu_count()} cores, load average {load}, "
          f"median of {args.runs} run(s) per page")
    print(f"{'page':<36} {'perf':>4} {'a11y':>4} {'best':>4} {'seo':>4} {'KB':>6} {'req':>3} "
          f"{'FCP ms':>6} {'LCP ms':>6} {'TBT ms':>6} {'cpu':>5}")
    for r in results:
        s = r.scores
        print(f"{r.page:<36} {s['performance']:>4} {s['accessibility']:>4} {s['best-practices']:>4} "
              f"{s['seo']:>4} {r.transferred / 1024:>6.1f} {r.requests:>3} {r.fcp_ms:>6} {r.lcp_ms:>6} "
              f"{r.tbt_ms:>6} {r.benchmark:>5}")
    for r in results:
        if r.failed_audits:
            print(f"{r.page}: not passed: {', '.join(r.failed_audits)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
