"""The `sitecheck` command: a thin layer over sitecheck.check."""

from __future__ import annotations

import argparse
import json
import sys
from itertools import groupby
from pathlib import Path

from sitecheck.check import check_site

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_CANNOT_RUN = 0, 1, 2


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="sitecheck",
        description="Check the internal links, #anchors and assets of a folder of static HTML.",
    )
    cli.add_argument("site_dir", nargs="?", default="site", type=Path,
                     help="the built site (default: site)")
    cli.add_argument("--offline", action="store_true",
                     help="do not check external URLs (this version checks none yet)")
    cli.add_argument("--format", choices=("text", "json"), default="text")
    cli.add_argument("--site-url", help="the site's public URL; absolute links to it are internal")
    cli.add_argument("--published", type=Path, metavar="FILE",
                     help="site-relative URLs handed out to readers, one a line, that must resolve")
    return cli


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exit_:
        return EXIT_CLEAN if exit_.code == 0 else EXIT_CANNOT_RUN
    if not args.site_dir.is_dir():
        print(f"sitecheck: {args.site_dir} is not a folder", file=sys.stderr)
        return EXIT_CANNOT_RUN
    if args.published is not None and not args.published.is_file():
        print(f"sitecheck: published-links file {args.published} not found", file=sys.stderr)
        return EXIT_CANNOT_RUN
    if not args.offline:
        print("sitecheck: external URLs are not checked by this version", file=sys.stderr)
    report = check_site(args.site_dir, args.site_url, args.published)
    if args.format == "json":
        json.dump({"problems": [p.as_dict() for p in report.problems], "stats": report.stats},
                  sys.stdout, indent=2)
        print()
    else:
        for page, problems in groupby(report.problems, key=lambda p: p.page):
            print(page)
            for problem in problems:
                print("  " + problem.as_text())
        stats = report.stats
        print(f"{stats['pages']} pages, {stats['links']} internal links, "
              f"{stats['anchors_checked']} anchors checked, {stats['external']} external "
              f"not checked: {len(report.problems)} problems")
    return EXIT_PROBLEMS if report.problems else EXIT_CLEAN


if __name__ == "__main__":
    raise SystemExit(main())
