"""How the primary model's number of themes is chosen, measured on labelled corpora (issue 33).

    python -m benchmarks k_choice --corpora manpages,handbook,news,seeds,confounded --seeds 42
    python -m benchmarks k_choice --corpora reuters                     # the corpus kept aside, to confirm

For each corpus and seed the report's model aligns the languages (as ``crosslingual`` does) and, on the units
its consensus is fitted on (all of them up to 1,500, a seeded sample beyond), ``metrics.number_of_themes.k_scan``
fits one consensus per k of 2-20 and measures it. Each criterion of ``CRITERIA`` (the model's own first) and the
rule of thumb used before (floor(sqrt(n / 2)) within 3-20) chooses a k; the report's model is
then fitted at that k (its own number of runs, as ``models`` does) and scored: NMI against the labels, the
largest theme's share, ARI between seeds, EN-FR pairs in one theme, genre purity. The peers' best NMI at the
true k comes from the committed ``results/models.csv`` (same vectors, same corpora, 3 seeds).

Writes ``results/k_choice.md`` (and ``.csv``; the per-k scan, averaged over seeds, in ``k_choice_scan.csv``),
or ``--out``.
"""

from __future__ import annotations

import argparse
import itertools
import math
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from . import datasets
from .common import RESULTS, command_line, machine_line, write_table
from .models import embed, fit_topicmap, genre_purity, pairs_together, settings_for, units_of

TUNING = ("manpages", "handbook", "news", "seeds", "confounded")
KS = (2, 20)


def aligned_sample(units: pd.DataFrame, vectors: np.ndarray, seed: int):
    """The report's model's aligned space and the rows its consensus is fitted on."""
    from topicmap.representations import build_representations
    from topicmap.topics.crosslingual import CrossLingualTopicModel

    reps = build_representations(units, settings_for(2, seed), embeddings=vectors)
    model = CrossLingualTopicModel(random_state=seed)
    langs = np.asarray(reps.langs).astype(str)
    rows = model._fit_rows(len(langs))
    return model, model._aligned(reps.embeddings, langs, rows), rows


def largest_share(labels: np.ndarray) -> float:
    return float(pd.Series(labels).value_counts(normalize=True).max())


def peers_at_true_k() -> pd.DataFrame:
    """Best method other than ``crosslingual`` per corpus, from the committed models run (NaN when missing)."""
    path = RESULTS / "models.csv"
    if not path.exists():
        return pd.DataFrame(columns=["corpus", "peer", "peer_nmi"])
    table = pd.read_csv(path)
    table = table[table["method"] != "crosslingual"]
    best = table.loc[table.groupby("corpus")["nmi"].idxmax(), ["corpus", "method", "nmi"]]
    return best.rename(columns={"method": "peer", "nmi": "peer_nmi"})


def measure(corpus: str, seeds: tuple[int, ...]) -> tuple[list[dict], pd.DataFrame]:
    from topicmap.metrics.number_of_themes import CRITERIA, k_scan

    frame = datasets.LABELLED[corpus]().reset_index(drop=True)
    vectors, units = embed(frame), units_of(frame)
    truth = frame["label"].astype(str).to_numpy()
    true_k = int(frame["label"].nunique())
    chosen: dict[str, list[int]] = {}
    scans, cost = [], {}
    for seed in seeds:
        model, space, rows = aligned_sample(units, vectors, seed)
        ks = [k for k in range(KS[0], KS[1] + 1) if k < len(rows)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            table, labels = k_scan(space[rows], ks, random_state=seed)
        table["nmi_of_scan"] = [normalized_mutual_info_score(truth[rows], labels[k]) for k in table["themes"]]
        scans.append(table.assign(seed=seed))
        cost.setdefault("scan", []).append(float(table["seconds"].sum()))
        chosen.setdefault("rule (before)", []).append(max(3, min(20, int(math.sqrt(len(rows) / 2)))))
        for name, rule in CRITERIA.items():
            chosen.setdefault(name, []).append(rule(table))
        print(f"{corpus} seed {seed}: " + ", ".join(f"{c} {v[-1]}" for c, v in chosen.items()), flush=True)
    fitted: dict[tuple[int, int], np.ndarray] = {}
    out = []
    for criterion, ks_chosen in [("true k", [true_k] * len(seeds)), *chosen.items()]:
        labels = []
        for seed, k in zip(seeds, ks_chosen):
            if (seed, k) not in fitted:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    fitted[(seed, k)] = np.asarray(fit_topicmap("crosslingual", units, vectors, k, seed))
            labels.append(fitted[(seed, k)])
        out.append({
            "corpus": corpus, "units": len(frame), "true_k": true_k,
            "true_largest": float(frame["label"].value_counts(normalize=True).max()),
            "criterion": criterion, "k": "/".join(map(str, ks_chosen)),
            "nmi": np.mean([normalized_mutual_info_score(truth, x) for x in labels]),
            "largest": np.mean([largest_share(x) for x in labels]),
            "seed_ari": (np.mean([adjusted_rand_score(a, b) for a, b in itertools.combinations(labels, 2)])
                         if len(labels) > 1 else float("nan")),
            "pairs": np.mean([pairs_together(frame, x) for x in labels]),
            "purity": np.mean([genre_purity(frame, x) for x in labels]),
        })
    scan = pd.concat(scans).groupby("themes").mean(numeric_only=True).drop(columns="seed").reset_index()
    scan.insert(0, "corpus", corpus)
    scan.attrs["cost"] = {name: float(np.mean(v)) for name, v in cost.items()}
    return out, scan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks k_choice", description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", default=",".join(TUNING), help="comma-separated names (reuters is kept aside)")
    parser.add_argument("--seeds", default="42,7,123")
    parser.add_argument("--out", type=Path, default=RESULTS / "k_choice.md")
    args = parser.parse_args(argv)
    seeds = tuple(int(s) for s in args.seeds.split(","))
    rows, scans, costs = [], [], []
    for corpus in args.corpora.split(","):
        got, scan = measure(corpus, seeds)
        rows += got
        scans.append(scan)
        costs.append(f"- {corpus}: " + ", ".join(f"{name} {sec:.1f} s" for name, sec in scan.attrs["cost"].items()))
    table = pd.DataFrame(rows).merge(peers_at_true_k(), on="corpus", how="left")
    table.round(4).to_csv(args.out.with_suffix(".csv"), index=False)
    pd.concat(scans).round(4).to_csv(args.out.with_name(args.out.stem + "_scan.csv"), index=False)
    write_table(args.out, "Choosing the number of themes: criteria on labelled corpora", [
        machine_line(), command_line("k_choice", argv),
        f"Seeds {', '.join(map(str, seeds))}; each criterion's k per seed, then the report's model fitted at it. "
        "`peer`/`peer_nmi`: the best other method at the true k in the committed `results/models.csv`. "
        "`largest`: the largest theme's share (target: at most 1.5 x `true_largest`).", "",
        "Seconds of the per-k scan (k = 2-20, 40 runs each) per seed:", "", *costs,
    ], table.drop(columns=["units"]).round(3))
    return 0
