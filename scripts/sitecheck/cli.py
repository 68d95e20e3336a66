"""The `sitecheck` command: a thin layer over sitecheck.run."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from itertools import groupby
from pathlib import Path

from sitecheck.run import Online, check_site
from sitecheck.sources import Endpoints

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_CANNOT_RUN = 0, 1, 2
# Where this project keeps it, relative to the folder the site was built into.
BIBLIOGRAPHY = Path("data/bibliography.yaml")


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="sitecheck",
        description="Check the links, #anchors, assets and citations of a folder of static HTML.",
    )
    cli.add_argument("site_dir", nargs="?", default="site", type=Path,
                     help="the built site (default: site)")
    cli.add_argument("--offline", action="store_true",
                     help="ask no one on the network; sources are checked against the lock file")
    cli.add_argument("--format", choices=("text", "json"), default="text")
    cli.add_argument("--site-url", help="the site's public URL; absolute links to it are internal")
    cli.add_argument("--published", type=Path, metavar="FILE",
                     help="site-relative URLs handed out to readers, one a line, that must resolve")
    sources = cli.add_argument_group("sources")
    sources.add_argument("--bibliography", type=Path, metavar="FILE",
                         help=f"bibliography to verify (default: SITE_DIR/../{BIBLIOGRAPHY} when it exists)")
    sources.add_argument("--lock", type=Path, metavar="FILE",
                         help="what was seen when sources were last verified online "
                              "(default: sources.lock.json beside the bibliography)")
    network = cli.add_argument_group("network")
    network.add_argument("--contact", default=os.environ.get("SITECHECK_CONTACT", ""),
                         help="e-mail or URL for the User-Agent, so registries can reach you "
                              "(default: $SITECHECK_CONTACT, else the site URL)")
    network.add_argument("--timeout", type=float, default=10.0, help="seconds per request")
    network.add_argument("--per-host", type=int, default=8, help="requests at once per host")
    network.add_argument("--cache-dir", type=Path, default=Path(".sitecheck-cache"))
    network.add_argument("--cache-ttl", type=float, default=3600.0, help="seconds (default: 1 hour)")
    network.add_argument("--exclude", action="append", default=[], metavar="REGEX",
                         help="do not ask URLs matching this regular expression (repeatable)")
    network.add_argument("--crossref-url", default=Endpoints.crossref)
    network.add_argument("--doi-url", default=Endpoints.doi_org)
    network.add_argument("--eutils-url", default=Endpoints.eutils)
    return cli


def online_settings(args: argparse.Namespace) -> Online | None:
    if args.offline:
        return None
    return Online(
        contact=args.contact or args.site_url or "no contact given",
        endpoints=Endpoints(args.crossref_url, args.doi_url, args.eutils_url),
        per_host=args.per_host, timeout=args.timeout,
        cache_dir=args.cache_dir, cache_ttl=args.cache_ttl, excludes=tuple(args.exclude))


def progress_bar(done: int, total: int) -> None:
    """One line on stderr, redrawn in place; only shown to a person at a terminal."""
    width = 30
    filled = width * done // total if total else width
    end = "\n" if done == total else ""
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} external URLs",
          end=end, file=sys.stderr, flush=True)


def print_text(report) -> None:
    for (page, source), problems in groupby(report.problems, key=lambda p: (p.page, p.source)):
        print(f"{page} (from {source})" if source else page)
        for problem in problems:
            print("  " + problem.as_text())
    stats = report.stats
    errors = sum(p.severity == "error" for p in report.problems)
    external = (f"{stats['external_checked']} external checked"
                + (f", {stats['external_excluded']} excluded" if stats.get("external_excluded") else "")
                if "external_checked" in stats else f"{stats['external']} external not checked (offline)")
    print(f"{stats['pages']} pages, {stats['links']} internal links, "
          f"{stats['anchors_checked']} anchors checked, {external}: "
          f"{errors} problems, {len(report.problems) - errors} warnings")


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exit_:
        return EXIT_CLEAN if exit_.code == 0 else EXIT_CANNOT_RUN
    if not args.site_dir.is_dir():
        print(f"sitecheck: {args.site_dir} is not a folder", file=sys.stderr)
        return EXIT_CANNOT_RUN
    for given in (args.published, args.bibliography):
        if given is not None and not given.is_file():
            print(f"sitecheck: {given} not found", file=sys.stderr)
            return EXIT_CANNOT_RUN
    if args.per_host < 1 or args.timeout <= 0:
        print("sitecheck: --per-host and --timeout must be positive", file=sys.stderr)
        return EXIT_CANNOT_RUN
    beside = Path(os.path.relpath(args.site_dir.resolve().parent / BIBLIOGRAPHY))
    bibliography = args.bibliography or (beside if beside.is_file() else None)
    lock = args.lock or (bibliography.with_name("sources.lock.json") if bibliography else None)
    project = args.site_dir.resolve().parent
    docs = Path(os.path.relpath(project / "docs")) if (project / "mkdocs.yml").is_file() else None
    try:
        for pattern in args.exclude:
            re.compile(pattern)
        report = check_site(args.site_dir, args.site_url, args.published,
                            bibliography=bibliography, lock=lock, online=online_settings(args),
                            docs=docs, progress=progress_bar if sys.stdout.isatty() else None)
    except re.error as error:
        print(f"sitecheck: --exclude {error.pattern!r} is not a regular expression: {error}",
              file=sys.stderr)
        return EXIT_CANNOT_RUN
    except ValueError as error:  # a damaged lock file: nothing can be compared with it
        print(f"sitecheck: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    if args.format == "json":
        json.dump({"problems": [p.as_dict() for p in report.problems], "stats": report.stats},
                  sys.stdout, indent=2)
        print()
    else:
        print_text(report)
    return EXIT_PROBLEMS if any(p.severity == "error" for p in report.problems) else EXIT_CLEAN


if __name__ == "__main__":
    raise SystemExit(main())
