"""The benchmarks a newcomer can run: one runner, one results file per benchmark, each saying how it was made."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
MACHINE_PATH = re.compile(r"(/(work|root|home)/|/tmp/\w|site-packages|/usr/lib/python)")


def registered() -> list[str]:
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks.__main__ import BENCHMARKS
    finally:
        sys.path.remove(str(ROOT))
    return list(BENCHMARKS)


def test_the_runner_lists_every_benchmark_and_each_answers_help():
    listed = subprocess.run([sys.executable, "-m", "benchmarks"], cwd=ROOT, capture_output=True, text=True).stdout
    for name in registered():
        assert name in listed
        helped = subprocess.run([sys.executable, "-m", "benchmarks", name, "--help"], cwd=ROOT, capture_output=True,
                                text=True)
        assert helped.returncode == 0 and "usage" in helped.stdout, name


@pytest.mark.parametrize("path", sorted(RESULTS.glob("*.md")), ids=lambda p: p.name)
def test_every_results_file_names_the_runner_command_that_wrote_it(path: Path):
    text = path.read_text(encoding="utf-8")
    commands = set(re.findall(r"python -m benchmarks (\w+)", text))
    assert commands & set(registered()), f"{path.name} does not say which `python -m benchmarks NAME` wrote it"
    assert "scale_benchmark.py" not in text and "python benchmarks/" not in text, "a script name of an older layout"


def test_no_committed_benchmark_file_holds_a_path_of_the_machine_it_was_written_on():
    tracked = subprocess.run(["git", "ls-files", "benchmarks"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    found = [f"{name}: {line.strip()}" for name in tracked if (ROOT / name).is_file()
             for line in (ROOT / name).read_text(encoding="utf-8", errors="replace").splitlines()
             if MACHINE_PATH.search(line)]
    assert not found


def test_the_cold_report_is_judged_in_yardsticks_of_its_own_run_not_in_seconds_of_a_shared_machine():
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks.scale import REFERENCE_YARDSTICK_SECONDS, SLOWER_PER_CORE, Row, normalised
    finally:
        sys.path.remove(str(ROOT))

    def row(name: str, seconds: float, run: str) -> Row:
        found = Row(name, "1", seconds, 1.0, 1.0, 0.0, "", "ok")
        found.run = run
        return found

    slow_day = [row("yardstick: embed (no Dask), before the cold report", 60.0, "today"),
                row("report, cold", 1200.0, "today"), row("yardstick: embed (no Dask), after the warm report", 60.0, "today")]
    text = normalised(slow_day)
    assert "**20.0 yardsticks**" in text
    assert f"{20 * REFERENCE_YARDSTICK_SECONDS * SLOWER_PER_CORE:,.0f} s" in text and "within the 15 minutes" in text
    # a yardstick of another run says nothing of this one's machine
    assert normalised([slow_day[1], row("yardstick: embed (no Dask), after the warm report", 20.0, "yesterday")]) \
        .startswith("not measured")
    assert "**over**" in normalised([row("report, cold", 1200.0, "x"), row("yardstick: y", 30.0, "x")])


def test_the_readmes_summary_table_is_the_one_the_committed_benchmark_results_give():
    from benchmarks.summary import summary_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- summary: python -m benchmarks summary -->\n", "<!-- /summary -->"
    assert start in readme and end in readme, "the README lost its summary table's markers"
    shown = readme.split(start, 1)[1].split(end, 1)[0]
    assert shown == summary_table(), "README's summary differs from benchmarks/results: run python -m benchmarks summary"


def test_the_readme_is_a_guide_of_about_two_hundred_lines():
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 210


# --- corpora parsers (benchmarks/datasets.py), on inline fixtures: no download --------------------------------

def test_seeded_halves_are_disjoint_complete_repeatable_and_blind_to_input_order():
    from benchmarks.datasets import seeded_halves

    items = [f"page{n}" for n in range(11)]
    first, second = seeded_halves(items, "0-scalc")
    assert not set(first) & set(second) and sorted(first + second) == sorted(items)
    assert (len(first), len(second)) == (6, 5)
    assert seeded_halves(list(reversed(items)), "0-scalc") == (first, second)
    assert seeded_halves(items, "1-scalc") != (first, second)
    assert [len(half) for half in seeded_halves(items, "0-scalc", larger_first=False)] == [5, 6]
    assert seeded_halves([], "0") == ([], [])


def test_the_non_parallel_bilingual_corpora_are_registered():
    from benchmarks.datasets import LABELLED

    assert "handbook_split" in set(LABELLED)
