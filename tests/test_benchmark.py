"""The benchmark's own parts: the background load stops, the generated sites are what they claim."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from sitecheck.run import check_site

sys.path.insert(0, str(ROOT / "scripts"))
import benchmark  # noqa: E402


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"  # a zombie has stopped
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_background_load__busy_while_inside_stopped_after_also_on_error() -> None:
    with pytest.raises(KeyboardInterrupt), benchmark.background_load(2) as busy:
        pids = [process.pid for process in busy]
        assert len(pids) == 2
        start = time.process_time()
        time.sleep(0.3)
        assert all(running(pid) for pid in pids)
        assert time.process_time() - start < 0.1  # the load runs in them, not here
        raise KeyboardInterrupt
    assert not any(running(pid) for pid in pids)


@pytest.mark.parametrize("layout", benchmark.LAYOUTS)
def test_cross_link_site__sitecheck_finds_exactly_the_planted_broken_links(tmp_path: Path,
                                                                           layout: str) -> None:
    planted = benchmark.generate_cross_link_site(tmp_path, 120, seed=7, layout=layout)
    assert len(planted) > 20  # 1% + 1% of 3,600 links
    report = check_site(tmp_path)
    found = {benchmark.broken_key(p.page, p.target) for p in report.problems}
    assert found == planted
    pages = [path for path in tmp_path.rglob("*.html") if path.name != "genindex.html"]
    assert len(pages) == 120
    assert (layout == "directory URLs") == all(path.name == "index.html" for path in pages)


def test_bench_external__each_run_timed_and_every_link_answered(capsys) -> None:
    import bench_external

    assert bench_external.main(["--urls", "40", "--delay", "0.001", "--runs", "2",
                                "--tools", "sitecheck"]) == 0
    rows = {cells[0]: cells[1:] for line in capsys.readouterr().out.splitlines()
            if line.startswith("| sitecheck") for cells in [[c.strip() for c in line.strip("|").split("|")]]}
    each, best, _, exit_code, _ = rows["sitecheck"]
    runs = [float(seconds) for seconds in each.split(" / ")]
    assert len(runs) == 2 and float(best) == min(runs) and exit_code == "0"
    assert rows["sitecheck (cached, 2nd run)"][3] == "0"
