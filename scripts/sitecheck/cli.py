"""The `sitecheck` command: a thin layer over sitecheck.run."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from itertools import groupby
from pathlib import Path

from sitecheck.check import NoPages, Report
from sitecheck.run import Online, check_site, version
from sitecheck.sources import Endpoints

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_CANNOT_RUN = 0, 1, 2
# Where this project keeps them, relative to the folder the site was built into.
BIBLIOGRAPHY = Path("data/bibliography.yaml")
REDIRECTS = Path("data/redirects.yaml")


EPILOG = """\
exit status:
  0  nothing wrong (warnings may have been shown)
  1  problems found
  2  sitecheck could not run: bad arguments, a missing folder, no HTML pages in it,
     a file or folder it cannot read, a damaged lock file

Network checks (external links, DOIs and PMIDs against their registries) are ON unless you
pass --offline. Offline, sources are compared with the lock file instead.

With --format json, the output is one JSON object: "problems" (each with kind, severity, page,
line, target, message, hint, source: the Markdown file or null, and source_line: the line in it
or null) and "stats"; when sitecheck cannot run, it is {"error": MESSAGE, "exit_code": 2}.
With --format github, each problem is a GitHub Actions workflow command (::error or ::warning)
on the Markdown source and its line where known, else on the built file.
"""


class ArgumentError(Exception):
    """argparse's complaint about the command line, raised instead of printed."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse prints and exits here; main decides how to report
        raise ArgumentError(message)


class ShowVersion(argparse.Action):
    """--version, with the number looked up only then (see sitecheck.run.version)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object):
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(f"{parser.prog} {version()}")
        parser.exit()


def parser() -> argparse.ArgumentParser:
    cli = Parser(
        prog="sitecheck",
        description="Check the links, #anchors, assets and citations of a folder of static HTML.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cli.add_argument("site_dir", nargs="?", default="site", type=Path, metavar="SITE_DIR",
                     help="the built site, a folder of HTML files (default: %(default)s)")
    cli.add_argument("--version", action=ShowVersion)
    cli.add_argument("--offline", action="store_true",
                     help="ask no one on the network: skip external links, and check sources against "
                          "the lock file (default: network checks on)")
    cli.add_argument("--format", choices=("text", "json", "github"), default="text",
                     help="text for people, json for tools, github for GitHub Actions' annotations "
                          "(default: %(default)s)")
    cli.add_argument("--site-url", metavar="URL",
                     help="the site's public URL; absolute links to it are checked as internal "
                          "(default: none, every absolute URL is external)")
    cli.add_argument("--published", type=Path, metavar="FILE",
                     help="site-relative URLs handed out to readers, one a line, that must resolve "
                          "(default: none)")
    sources = cli.add_argument_group("sources")
    sources.add_argument("--bibliography", type=Path, metavar="FILE",
                         help=f"bibliography to verify (default: SITE_DIR/../{BIBLIOGRAPHY} when it "
                              "exists, else none)")
    sources.add_argument("--lock", type=Path, metavar="FILE",
                         help="what was seen when sources were last verified online "
                              "(default: sources.lock.json beside the bibliography)")
    network = cli.add_argument_group("network (ignored with --offline)")
    network.add_argument("--contact", default=os.environ.get("SITECHECK_CONTACT", ""), metavar="ADDRESS",
                         help="e-mail or URL for the User-Agent, so registries can reach you "
                              "(default: $SITECHECK_CONTACT, else the site URL)")
    network.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                         help="per request (default: %(default)s)")
    network.add_argument("--per-host", type=int, default=8, metavar="N",
                         help="requests at once per host (default: %(default)s)")
    network.add_argument("--cache-dir", type=Path, default=Path(".sitecheck-cache"), metavar="DIR",
                         help="where answers are kept between runs (default: %(default)s)")
    network.add_argument("--cache-ttl", type=float, default=3600.0, metavar="SECONDS",
                         help="how long a cached answer is reused (default: %(default)s, 1 hour)")
    network.add_argument("--exclude", action="append", default=[], metavar="REGEX",
                         help="do not ask URLs matching this regular expression; repeat it for "
                              "several (default: none)")
    network.add_argument("--crossref-url", default=Endpoints.crossref, metavar="URL",
                         help="Crossref's works API, where DOIs are looked up (default: %(default)s)")
    network.add_argument("--doi-url", default=Endpoints.doi_org, metavar="URL",
                         help="the DOI resolver, asked for DOIs Crossref does not know "
                              "(default: %(default)s)")
    network.add_argument("--eutils-url", default=Endpoints.eutils, metavar="URL",
                         help="NCBI E-utilities, where PMIDs are looked up (default: %(default)s)")
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


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def text_report(report: Report) -> str:
    lines = []
    for (page, source), problems in groupby(report.problems, key=lambda p: (p.page, p.source)):
        lines.append(f"{page} (from {source})" if source else page)
        lines += ["  " + problem.as_text() for problem in problems]
    return "\n".join([*lines, summary(report)]) + "\n"


def summary(report: Report) -> str:
    stats = report.stats
    errors = sum(p.severity == "error" for p in report.problems)
    if "external_checked" in stats:
        external = plural(stats["external_checked"], "external URL checked", "external URLs checked") + (
            f", {stats['external_excluded']} excluded" if stats.get("external_excluded") else "")
    else:
        external = plural(stats["external"], "external link", "external links") + " not checked (offline)"
    return (f"{plural(stats['pages'], 'page', 'pages')}, "
            f"{plural(stats['links'], 'internal link', 'internal links')}, "
            f"{plural(stats['anchors_checked'], '#fragment checked', '#fragments checked')}, {external}: "
            f"{plural(errors, 'problem', 'problems')}, "
            f"{plural(len(report.problems) - errors, 'warning', 'warnings')}")


def json_report(report: Report) -> str:
    """One problem a line. (json's indented output is written in Python: a tenth of a second for a
    few thousand problems, where its C encoder, line by line, takes a hundredth.)"""
    problems = ",".join(f"\n  {json.dumps(p.as_dict())}" for p in report.problems)
    end = "\n" if problems else ""
    return f'{{"problems": [{problems}{end}],\n "stats": {json.dumps(report.stats)}}}\n'


def github_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def github_report(report: Report, site_dir: Path, files: dict[str, str]) -> str:
    """One workflow command per problem (https://docs.github.com/actions/reference/workflow-commands),
    which GitHub shows as an annotation on the file and line: the Markdown source where it is
    known, else the built file. `files`: where the problems that are not on a built page are
    (the published links, the bibliography), by the name they give."""
    lines = []
    for problem in report.problems:
        if problem.source:
            file, line = problem.source, problem.source_line
            message = f"{problem.page}: {problem.target}: {problem.message} (hint: {problem.hint})"
        else:
            file, line = files.get(problem.page) or (site_dir / problem.page).as_posix(), problem.line
            message = f"{problem.target}: {problem.message} (hint: {problem.hint})"
        place = f"file={github_property(file)}" + (f",line={line}" if line else "")
        lines.append(f"::{problem.severity} {place},title={github_property(str(problem.kind))}::"
                     f"{github_data(message)}")
    return "\n".join([*lines, summary(report)]) + "\n"


def say(text: str) -> None:
    """Write to stdout. A reader that stops reading (`sitecheck site | head`) ends the output
    quietly, with no traceback, and the exit status is still the check's."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would try once more at exit, and complain: what is left goes nowhere instead.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def cannot_run(message: str, output: str) -> int:
    """Exit status 2, said on stderr, and on stdout in the format a tool asked for."""
    print(f"sitecheck: {message}", file=sys.stderr)
    if output == "json":
        say(json.dumps({"error": message, "exit_code": EXIT_CANNOT_RUN}, indent=2) + "\n")
    elif output == "github":
        say(f"::error title=sitecheck could not run::{github_data(message)}\n")
    return EXIT_CANNOT_RUN


def unreadable(error: OSError) -> str:
    """'site/a.html: Permission denied', the path as short as it can be said."""
    if error.filename is None:
        return str(error)
    relative = os.path.relpath(error.filename)
    return f"{error.filename if relative.startswith('..') else relative}: {error.strerror}"


def output_format(argv: list[str]) -> str:
    """The --format asked for, looked for by hand: the arguments may be too broken for argparse."""
    pairs = zip(argv, [*argv[1:], ""], strict=True)
    asked = [a.removeprefix("--format=") if a.startswith("--format=") else b
             for a, b in pairs if a.startswith("--format=") or a == "--format"]
    return asked[-1] if asked else "text"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    output = output_format(argv)
    try:
        args = parser().parse_args(argv)
    except ArgumentError as error:
        parser().print_usage(sys.stderr)
        return cannot_run(str(error), output)
    except SystemExit as exit_:  # --help and --version
        say("")
        return EXIT_CLEAN if exit_.code == 0 else EXIT_CANNOT_RUN
    if not args.site_dir.is_dir():
        return cannot_run(f"{args.site_dir} is not a folder", output)
    for given in (args.published, args.bibliography):
        if given is not None and not given.is_file():
            return cannot_run(f"{given} not found", output)
    if args.per_host < 1 or args.timeout <= 0:
        return cannot_run("--per-host and --timeout must be positive", output)
    for pattern in args.exclude:
        try:
            re.compile(pattern)
        except re.error as error:
            return cannot_run(f"--exclude {pattern!r} is not a regular expression: {error}", output)
    beside = Path(os.path.relpath(args.site_dir.resolve().parent / BIBLIOGRAPHY))
    bibliography = args.bibliography or (beside if beside.is_file() else None)
    lock = args.lock or (bibliography.with_name("sources.lock.json") if bibliography else None)
    project = args.site_dir.resolve().parent
    docs = Path(os.path.relpath(project / "docs")) if (project / "mkdocs.yml").is_file() else None
    try:
        report = check_site(args.site_dir, args.site_url, args.published,
                            bibliography=bibliography, lock=lock, online=online_settings(args),
                            docs=docs, progress=progress_bar if sys.stdout.isatty() else None,
                            redirects=(project / REDIRECTS).is_file())
    except (NoPages, ValueError) as error:  # no pages, or a damaged lock file: nothing to compare
        return cannot_run(str(error), output)
    except OSError as error:  # a file or folder it cannot read: the check would be incomplete
        return cannot_run(unreadable(error), output)
    if args.format == "json":
        say(json_report(report))
    elif args.format == "github":
        # A problem in a file outside the site names the file by its path or by its name.
        outside = [path for path in (args.published, bibliography) if path is not None]
        files = {key: path.as_posix() for path in outside for key in (path.name, path.as_posix())}
        say(github_report(report, args.site_dir, files))
    else:
        say(text_report(report))
    return EXIT_PROBLEMS if any(p.severity == "error" for p in report.problems) else EXIT_CLEAN


if __name__ == "__main__":
    raise SystemExit(main())
