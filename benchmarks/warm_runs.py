"""Cold and warm runs of the `topicmap` command line on the seeds, each in its own child process.

    .venv/bin/python -m benchmarks warm_runs                 # writes benchmarks/results/warm_runs.md
    .venv/bin/python -m benchmarks warm_runs --repeats 5 --out warm_runs_5.md   # another file

A researcher who changes one parameter and reruns should wait seconds (issue 13). This times what
that researcher waits for: the whole `topicmap` command, interpreter start to exit, in a fresh
temporary project holding a copy of `seeds/` and nothing else (so `results/`, `figures/` and `.cache/`
start empty and the project's own are never touched):

1. `topicmap segment`, cold (first run), then warm (the same command again, `--repeats` times);
2. `topicmap figures`, cold (empty `.cache`: first embeddings, numba compiling UMAP/HDBSCAN), then
   warm (the same command again: embeddings, fitted models, evaluation, 2-D map and numba's compiled
   code all come from `.cache`);
3. `topicmap figures --seed S` for `--repeats` new seeds: one parameter changed, so every model and
   the evaluation must be refitted (embeddings and numba's code stay cached).

4. `topicmap report` (issue 35), in a second fresh project: cold (empty `.cache`), warm (the same
   command again, `--repeats` times), and after a change of the study's title in `seeds/corpus.toml`
   (a new title each time, `--repeats` times): only the report notebook, report.html and report.pdf
   depend on the title, so only they may be made again. The warm runs' results/, figures/ and reports/
   are checked byte for byte against the cold run's, and each title-changed run's against the cold
   run's with its report.html required to hold the new title (never a stale report).

The issue's targets on the 2-core machine: warm `figures` <= 10 s, warm `segment` <= 2 s (issue 13);
warm `report` <= 10 s and `report` after a title change <= 15 s (issue 35). Warm numbers are the median
of the repeats, and each is also given as a ratio to the cold run measured in the same session
(`--only report` measures the report alone). See benchmarks/README.md ("Warm runs").
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .common import RESULTS
from .stages import CHILD_ENV, machine

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parent
DEFAULT_OUT = RESULTS / "warm_runs.md"
#: the issue's targets (seconds) for a warm run on the seeds
TARGETS = {"segment": 2.0, "figures": 10.0, "report": 10.0, "report_title": 15.0}
#: the first `title = "..."` line after `[study]` in corpus.toml: the study's title
TITLE_LINE = re.compile(r'^title = "(?P<title>[^"\n]*)"$', re.MULTILINE)
#: seeds of the "one parameter changed" runs: none is the default (42), each is new to the cache
CHANGED_SEEDS = (7, 8, 9, 10, 11)


@dataclass
class Run:
    """One child process: its command, wall and CPU seconds, exit code, and what it wrote."""

    label: str
    args: list[str]
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    returncode: int = 0
    log: Path | None = None
    outputs: dict[str, str] = field(default_factory=dict)   # relative path -> sha256 of results/ and figures/
    titled: bool = True   # for a run after a title change: its report.html holds the new title


def child_environment(src: Path) -> dict[str, str]:
    """The Makefile's environment, topicmap imported from ``src``, nothing that points at another project."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOPICMAP_", "NUMBA_"))}
    env.update(CHILD_ENV)
    env["PYTHONPATH"] = str(src)
    return env


def fingerprint(project: Path, folders: tuple[str, ...] = ("results",)) -> dict[str, str]:
    """SHA-256 of every file of ``folders`` (results/), so a warm run can be checked to give the cold run's results."""
    found = {}
    for folder in folders:
        for path in sorted((project / folder).rglob("*")):
            if path.is_file():
                found[str(path.relative_to(project))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def change_title(project: Path, number: int) -> str:
    """Give the study of the project's seeds a new title (the old one and `(edit N)`); return it."""
    path = project / "seeds" / "corpus.toml"
    text = path.read_text(encoding="utf-8")
    found = TITLE_LINE.search(text, text.index("[study]"))
    title = f"{found['title']} (edit {number})"
    path.write_text(text[:found.start()] + f'title = "{title}"' + text[found.end():], encoding="utf-8")
    return title


def run_topicmap(label: str, args: list[str], project: Path, env: dict[str, str], logs: Path,
                 folders: tuple[str, ...] = ("results",)) -> Run:
    """`python -m topicmap.cli ARGS` in ``project``, timed from start to exit (wall and CPU of the child)."""
    run = Run(label, args, log=logs / f"{len(list(logs.glob('*.log'))):02d}-{label.replace(' ', '_')}.log")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(run.log, "w", encoding="utf-8") as log:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "topicmap.cli", *args], cwd=project, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
        run.seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.cpu_seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    run.returncode = done.returncode
    run.outputs = fingerprint(project, folders)
    state = "ok" if done.returncode == 0 else f"FAILED (exit {done.returncode}, see {run.log})"
    print(f"{label:<32} {run.seconds:7.1f} s  CPU {run.cpu_seconds:6.1f} s  {state}", flush=True)
    return run


def fresh_project(folder: Path, name: str = "project") -> Path:
    """A project folder holding only a copy of the seeds (results, figures and .cache are made by the runs)."""
    project = folder / name
    shutil.copytree(PROJECT_ROOT / "seeds", project / "seeds")
    return project


def cache_summary(project: Path) -> str:
    """What .cache holds after the runs: MB per top-level folder, and the step-cache entries per step."""
    cache = project / ".cache"
    parts = []
    for folder in sorted(p for p in cache.iterdir() if p.is_dir()) if cache.is_dir() else []:
        size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20
        parts.append(f"`{folder.name}/` {size:.1f} MB")
    steps = cache / "steps"
    if steps.is_dir():
        parts.append("step entries: " + ", ".join(f"{d.name} {len(list(d.glob('*.pkl')))}"
                                                  for d in sorted(steps.iterdir()) if d.is_dir()))
    return "; ".join(parts) or "empty"


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True, cwd=PROJECT_ROOT).stdout.strip()
    except OSError:
        return ""


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def _median(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def _row(what: str, command: str, runs: list[Run], cold: Run | None, target: float | None) -> str:
    seconds = _median(runs)
    values = ", ".join(f"{r.seconds:.1f}" for r in runs)
    ratio = f"{seconds / cold.seconds:.2f}" if cold else "1"
    cpu = statistics.median(r.cpu_seconds for r in runs)
    if target is None:
        verdict = ""
    else:
        verdict = f"{'met' if seconds <= target else '**not met**'} (≤ {target:g} s)"
    failed = [r for r in runs if r.returncode != 0]
    if failed:
        verdict = f"**{len(failed)} run(s) failed** (exit {failed[0].returncode}) " + verdict
    return f"| {what} | `{command}` | {len(runs)} | {values} | {seconds:.1f} | {cpu:.1f} | {ratio} | {verdict} |"


HEADER = "| run | command | n | seconds (each) | seconds (median) | CPU s (median) | ratio to cold | target |"


def cli_rows(cold_segment: Run, warm_segment: list[Run], cold_figures: Run, warm_figures: list[Run],
             changed: list[Run]) -> list[str]:
    return [
        _row("segment, cold (first run)", "topicmap segment", [cold_segment], None, None),
        _row("segment, warm", "topicmap segment", warm_segment, cold_segment, TARGETS["segment"]),
        _row("figures, cold (empty .cache)", "topicmap figures", [cold_figures], None, None),
        _row("figures, warm (same inputs)", "topicmap figures", warm_figures, cold_figures, TARGETS["figures"]),
        _row("figures, one parameter changed", "topicmap figures --seed S", changed, cold_figures, None),
    ]


def cli_notes(warm_figures: list[Run], changed: list[Run], same_results: str) -> str:
    seeds = ", ".join(r.args[-1] for r in changed)
    return f"""* **cold** is the first run of the command in the empty project; for `figures` that means no
  embeddings, no fitted model, no numba code in `.cache`. The cold `figures` ran after the `segment`
  runs, whose cache use is none or little.
* **warm**: the same command again, run {len(warm_figures)} times after the cold one; the median is compared with the
  target. **one parameter changed**: `figures --seed S` for the new seeds {seeds}, one run each
  (each refits every model and the evaluation; the embeddings and numba's compiled code are reused).
* Results of the warm `figures` runs against the cold one: {same_results}.
"""


def report_rows(cold: Run, warm: list[Run], titled: list[Run]) -> list[str]:
    return [
        _row("report, cold (empty .cache)", "topicmap report", [cold], None, None),
        _row("report, warm (same inputs)", "topicmap report", warm, cold, TARGETS["report"]),
        _row("report, study title changed", "topicmap report", titled, cold, TARGETS["report_title"]),
    ]


def report_notes(warm: list[Run], titled: list[Run], same_warm: str, same_titled: str) -> str:
    return f"""* **report** runs are in a second fresh project (a copy of `seeds/` only, empty `.cache`): `topicmap report`
  cold, then {len(warm)} times warm, then {len(titled)} times each after giving the `[study]` title of its `corpus.toml` a new
  ending (`(edit N)`), which only the report notebook, `report.html` and `report.pdf` show.
* Outputs (results/, figures/, reports/) of the warm `report` runs against the cold one: {same_warm}.
* Title-changed `report` runs against the cold one: {same_titled}.
"""


def report(rows: list[str], notes: list[str], command: str, started: str, load_start: str, load_end: str,
           cache: str) -> str:
    src = Path(child_environment(PROJECT_ROOT / "src")["PYTHONPATH"])
    dirty = _git("status", "--porcelain", "--untracked-files=no", "--", "src", "benchmarks/warm_runs.py")
    state = " (**with uncommitted changes** in src/ or this script)" if dirty else ""
    table = "\n".join([HEADER, "| --- | --- | ---: | --- | ---: | ---: | ---: | --- |", *rows])
    return f"""# Warm runs of the command line on the seeds

Measured by `{command}` on {started} (commit {_git('rev-parse', '--short', 'HEAD') or 'unknown'} on branch
`{_git('branch', '--show-current')}`{state}; topicmap imported from the checkout's `{src.relative_to(PROJECT_ROOT)}/`).
Machine: {machine()}, shared with other work: load average (1 / 5 / 15 minutes) {load_start} at the start,
{load_end} at the end. With more than 2 runnable processes on 2 cores every wall time here is longer than
on an idle machine; the ratios, measured in the same session, are the steadier numbers.

{table}

* Every run is a child process `python -m topicmap.cli ...` (what the `topicmap` script runs) started
  in a fresh temporary project that holds a copy of `seeds/` only; **seconds** are from its start to its
  exit (interpreter start, imports and writing the outputs included), **CPU s** is its user + system
  time (its children's included: the notebooks' kernels): more than the seconds when it used both cores,
  less when it waited (for the disk, or for cores that other work held); on a loaded machine CPU s is the
  closer estimate of an idle run's wall time for single-threaded work. The environment is the Makefile's
  (`PYTHONHASHSEED=0`, offline Hugging Face, `MPLBACKEND=Agg`) with no `NUMBA_CACHE_DIR`, so the CLI's
  own default (`.cache/numba` of the project) is what is measured.
{"".join(notes)}* `.cache` after all runs: {cache}.
"""


def compare_results(cold: Run, warm: list[Run]) -> str:
    differing = sorted({path for run in warm for path, digest in run.outputs.items()
                        if cold.outputs.get(path) != digest} | {p for run in warm for p in set(cold.outputs) - set(run.outputs)})
    folders = sorted({path.split("/")[0] + "/" for path in cold.outputs})
    if not differing:
        return f"every file of {', '.join(folders)} ({len(cold.outputs)} files) is byte-identical"
    return f"{len(differing)} of {len(cold.outputs)} {', '.join(folders)} files differ: {', '.join(differing)}"


#: what a change of the study's title may change: the report alone
TITLED_OUTPUTS = ("reports/report.html", "reports/report.pdf")


def compare_titled(cold: Run, titled: list[Run], titles: list[str], project: Path) -> str:
    """Whether each title-changed run changed the report and nothing else (its HTML holding the new title)."""
    problems = []
    for run, title in zip(titled, titles):
        other = sorted(path for path in set(cold.outputs) | set(run.outputs)
                       if cold.outputs.get(path) != run.outputs.get(path) and path not in TITLED_OUTPUTS)
        same = [path for path in TITLED_OUTPUTS if path in cold.outputs and cold.outputs[path] == run.outputs.get(path)]
        if other:
            problems.append(f"{run.label}: {', '.join(other)} changed too")
        if same:
            problems.append(f"{run.label}: {', '.join(same)} not made again (stale)")
        if not run.titled:
            problems.append(f"{run.label}: report.html lacks the new title {title!r}")
    if problems:
        return "**" + "; ".join(problems) + "**"
    return (f"each run's report.html and report.pdf differ from the cold run's and its report.html holds the new title; "
            f"the other {len(cold.outputs) - len(TITLED_OUTPUTS)} files are byte-identical to the cold run's")


def report_runs(folder: Path, env: dict[str, str], repeats: int) -> tuple[list[str], str, str]:
    """`topicmap report` cold, warm and after title changes in a fresh project: its rows, notes and cache."""
    import html

    project = fresh_project(folder, "report-project")
    logs = folder / "report-logs"
    logs.mkdir()
    folders = ("results", "figures", "reports")
    print(f"temporary project {project}; logs in {logs}", flush=True)
    cold = run_topicmap("report cold", ["report"], project, env, logs, folders)
    warm = [run_topicmap(f"report warm {i + 1}", ["report"], project, env, logs, folders) for i in range(repeats)]
    titled, titles = [], []
    for i in range(repeats):
        titles.append(change_title(project, i + 1))
        run = run_topicmap(f"report title {i + 1}", ["report"], project, env, logs, folders)
        page = (project / "reports" / "report.html").read_text(encoding="utf-8") \
            if (project / "reports" / "report.html").is_file() else ""
        run.titled = html.escape(titles[-1]) in page or titles[-1] in page
        titled.append(run)
    notes = report_notes(warm, titled, compare_results(cold, warm), compare_titled(cold, titled, titles, project))
    return report_rows(cold, warm, titled), notes, cache_summary(project)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3, help="warm runs (and changed-seed runs) per command (default 3)")
    parser.add_argument("--only", choices=("all", "cli", "report"), default="all",
                        help="cli: segment and figures (issue 13); report: the report (issue 35); default all")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help=f"markdown written here (default {DEFAULT_OUT.name})")
    parser.add_argument("--keep", action="store_true", help="keep the temporary project (its path is printed)")
    args = parser.parse_args(argv)
    if not 1 <= args.repeats <= len(CHANGED_SEEDS):
        parser.error(f"--repeats must be from 1 to {len(CHANGED_SEEDS)}")
    command = ".venv/bin/python -m benchmarks warm_runs " + " ".join(argv)
    started, load_start = dt.datetime.now().strftime("%Y-%m-%d %H:%M"), _load()
    env = child_environment(PROJECT_ROOT / "src")
    folder = Path(tempfile.mkdtemp(prefix="topicmap-warm-"))
    rows, notes, caches = [], [], []
    try:
        if args.only in ("all", "cli"):
            project = fresh_project(folder)
            logs = folder / "logs"
            logs.mkdir()
            print(f"temporary project {project}; logs in {logs}", flush=True)
            cold_segment = run_topicmap("segment cold", ["segment"], project, env, logs)
            warm_segment = [run_topicmap(f"segment warm {i + 1}", ["segment"], project, env, logs)
                            for i in range(args.repeats)]
            cold_figures = run_topicmap("figures cold", ["figures"], project, env, logs)
            warm_figures = [run_topicmap(f"figures warm {i + 1}", ["figures"], project, env, logs)
                            for i in range(args.repeats)]
            changed = [run_topicmap(f"figures --seed {seed}", ["figures", "--seed", str(seed)], project, env, logs)
                       for seed in CHANGED_SEEDS[:args.repeats]]
            rows += cli_rows(cold_segment, warm_segment, cold_figures, warm_figures, changed)
            notes.append(cli_notes(warm_figures, changed, compare_results(cold_figures, warm_figures)))
            caches.append(f"segment and figures: {cache_summary(project)}")
        if args.only in ("all", "report"):
            report_table, report_text, report_cache = report_runs(folder, env, args.repeats)
            rows += report_table
            notes.append(report_text)
            caches.append(f"report: {report_cache}")
        text = report(rows, notes, command.strip(), started, load_start, _load(), "; ".join(caches))
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    Path(args.out).write_text(text, encoding="utf-8")
    print("\n" + text)
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
