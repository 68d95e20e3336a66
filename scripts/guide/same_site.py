"""Do two builds of the site hold the same files with the same bytes, the generator's name aside?

    python -m guide.same_site site site-properdocs

CI builds the site with MkDocs and with ProperDocs (its drop-in continuation) and fails when the
two differ: the day MkDocs 1.x goes, the switch must change nothing a reader sees.
"""

from __future__ import annotations

import gzip
import re
import sys
from dataclasses import dataclass
from pathlib import Path

# <meta name="generator" content="mkdocs-1.6.1, ..."> names the tool that built the page.
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


@dataclass(frozen=True)
class Difference:
    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


def comparable(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)  # the gzip header holds the build time
    return GENERATOR.sub(b'<meta name="generator">', data)


def differences(first: Path, second: Path) -> list[Difference]:
    files = {p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file()}
    others = {p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file()}
    found = [Difference(name, f"only in {first}") for name in sorted(files - others)]
    found += [Difference(name, f"only in {second}") for name in sorted(others - files)]
    for name in sorted(files & others):
        a, b = comparable(first / name), comparable(second / name)
        if a != b:
            offset = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                          min(len(a), len(b)))
            line = a[:offset].count(b"\n") + 1
            found.append(Difference(name, f"differs from line {line}"))
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or not all(Path(a).is_dir() for a in args):
        print("usage: python -m guide.same_site FIRST_SITE_DIR SECOND_SITE_DIR", file=sys.stderr)
        return 2
    found = differences(Path(args[0]), Path(args[1]))
    for difference in found:
        print(difference)
    print(f"{len(found)} files differ" if found else "same files, same bytes (generator meta aside)")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
