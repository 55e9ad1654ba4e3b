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


def readme_between(start: str, end: str) -> str:
    """The README's text between two markers (which must be there)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert start in readme and end in readme, f"the README lost its markers {start.strip()!r} and {end.strip()!r}"
    return readme.split(start, 1)[1].split(end, 1)[0]


def test_the_readmes_summary_table_is_the_one_the_committed_benchmark_results_give():
    from benchmarks.summary import summary_table

    shown = readme_between("<!-- summary: python -m benchmarks summary -->\n", "<!-- /summary -->")
    assert shown == summary_table(), "README's summary differs from benchmarks/results: run python -m benchmarks summary"


def test_the_readme_quotes_the_seeds_theme_names_as_the_committed_names_benchmark_gives_them():
    from benchmarks.summary import seed_names

    shown = readme_between("<!-- names: python -m benchmarks summary --names -->\n", "  <!-- /names -->")
    assert shown == seed_names(), "README's seeds' names differ from benchmarks/results/names.csv"


def test_the_readme_is_a_guide_of_about_two_hundred_lines():
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 210


# --- corpora parsers (benchmarks/datasets.py), on inline fixtures: no download --------------------------------

HELP_PAGE = """<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8"><title>Sort  Criteria</title>
<script>var x = "<p>not text</p>";</script></head><body>
<header><p>LibreOffice 7.4 Help</p></header><aside><p>Contents</p></aside>
<div id="DisplayArea" itemprop="softwareHelp">
<h1 id="hd_1"><a name="x"></a>Sort Criteria</h1>
<p id="par_1" class="paragraph"><span class="avis">Specify the sorting
   options for the selected range.</span></p>
<div class="note"><div class="noteicon"><img src="note.svg" alt="Note Icon"><p>icon caption</p></div>
<div class="notetext"><p id="par_2">Hold down <span class="switchinline"><span hidden="true" class="MAC">Command</span><span
 hidden="true" id="defaulttext_1"><span class="keycode">Ctrl</span></span></span><span class="keycode">+Shift</span>.</p></div></div>
<br>
<div class="howtoget"><div><p class="howtogetheader"><a name="wie"></a>To access this command...
</p></div><div class="howtogetbody"><div class="embedded">
<p id="par_3" class="paragraph">Choose <span class="switchinline"><span hidden="true" class="IMPRESS">Slide</span><span
 hidden="true" class="CALC">Sheet</span><span hidden="true" id="default_2">Page</span></span> - Properties.</p>
</div></div></div>
<h2 id="hd_2">Sort by</h2>
<table><tr><td><p class="tablecontent">First line<br>second line</p></td></tr></table>
<pre class="bascode">Sub Main</pre>
<span class="switch"><span hidden="true" class="WRITER"><div class="embedded"><p>Only in Writer.</p></div></span></span>
<p class="paragraph">   </p>
<div class="relatedtopics"><p class="related">Related Topics</p><p><a href="x.html">Sort Ascending</a></p></div>
</div>
<div id="SearchFrame"></div>
<footer><div class="debug"><p>This page is: /text/scalc/01/12030100.xhp</p></div></footer>
</body></html>"""


def test_a_help_page_is_read_as_its_module_shows_it_without_markup_headings_icons_or_links():
    from benchmarks.datasets import help_page

    title, paragraphs = help_page(HELP_PAGE, "scalc")
    assert title == "Sort Criteria"
    assert paragraphs == ["Specify the sorting options for the selected range.", "Hold down Ctrl+Shift.",
                          "To access this command...", "Choose Sheet - Properties.", "First line second line"]
    # another module shows its own variant, or the default when it has none; Mac's never
    assert help_page(HELP_PAGE, "simpress")[1][3] == "Choose Slide - Properties."
    writer = help_page(HELP_PAGE, "swriter")[1]
    assert writer[3] == "Choose Page - Properties." and writer[-1] == "Only in Writer."
    assert not any("Command" in text or "Sub Main" in text or "Related" in text for text in writer)
    assert help_page("<html><head><title>Empty</title></head><body><p>x</p></body></html>", "scalc") == ("Empty", [])


def test_prose_counts_words_with_letters_so_menu_paths_and_numbers_fall_short():
    from benchmarks.datasets import _is_prose

    assert _is_prose("Specify the sorting options for the selected range of cells.", 8)
    assert not _is_prose("Choose Data - Sort - Sort Criteria tab - 1 2 3", 8)
    assert not _is_prose("To access this command...", 8)


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

    assert {"helppages", "handbook_split"} <= set(LABELLED)
