"""How many themes: the number whose consensus best stands for its runs while dividing the units evenly.

For each candidate k the consensus (``EnsembleConsensusClustering``, ``SCAN_RUNS`` Leiden runs) is fitted once
on the units the model fits, and scored by

* ``run_agreement``: how well the consensus partition stands for the runs it summarises, the mean adjusted
  mutual information between it and each run (Strehl & Ghosh 2002's ANMI, with AMI for NMI: Vinh et al. 2010's
  correction for chance, which many small themes of a small corpus otherwise win; 1 = every run found that
  partition, 0 = no more than chance);
* ``evenness``: how evenly it divides the units, the entropy of the theme sizes over its largest possible value
  log k (Pielou's evenness; 1 = equal sizes).

``score = run_agreement x evenness``; the k with the highest score is chosen (ties: the smaller k). The
evenness is what a lopsided split cannot win: choosing k by stability alone (split-half agreement, Lange et
al. 2004's stability against chance, agreement between samples) preferred one giant theme and a few small ones,
because such a split agrees with itself from sample to sample (issue 33; Ben-Hur et al. 2002). A k at which the
base runs themselves find fewer than 1.5 communities on average (Leiden keeping the units whole) is not a
candidate: its consensus is trivially "stable".

Measured against labelled corpora with every other criterion (``python -m benchmarks k_choice``, results in
``benchmarks/results/k_choice.md``, eight corpora): its worst loss of NMI to the best criterion on a corpus, 0.117
(the seeds), is the smallest of the criteria compared (the true k's 0.212, stability's 0.582). Its prior for even themes is also its limit: on a corpus of one dominant subject it splits that
subject rather than report it whole (the theme tree then shows the parts joining first).
"""

from __future__ import annotations

import math
import time
from typing import Callable

import numpy as np
import pandas as pd

from .consensus import EnsembleConsensusClustering

#: Base runs of the consensus fitted per candidate k.
SCAN_RUNS = 40
#: A k whose base runs find fewer communities than this on average did not split the units.
LEAST_RUN_CLUSTERS = 1.5


def evenness(labels: np.ndarray) -> float:
    """Pielou's evenness of a partition: the entropy of its cluster sizes over log(number of clusters);
    1 for equal sizes, near 0 when one cluster holds almost everything, 0 for a single cluster."""
    counts = np.bincount(np.unique(np.asarray(labels), return_inverse=True)[1])
    if len(counts) < 2:
        return 0.0
    shares = counts / counts.sum()
    return float(-(shares * np.log(shares)).sum() / math.log(len(counts)))


def candidate_numbers(topic_range: tuple[int, int], n_units: int) -> list[int]:
    """The k to compare: ``topic_range`` (at least 2), with at least two units per theme on average."""
    low, high = sorted(topic_range)
    return list(range(max(2, low), min(high, n_units // 2) + 1))


def scan_numbers_of_themes(space: np.ndarray, ks: list[int], random_state: int = 42, n_runs: int = SCAN_RUNS,
                           sample_fraction: float = 0.9,
                           measure: Callable[[int, EnsembleConsensusClustering], dict] | None = None,
                           ) -> tuple[pd.DataFrame, dict[int, np.ndarray]]:
    """One consensus per k of ``ks`` on ``space`` (the units the model fits), with progress shown: a row per k with
    ``run_agreement``, ``run_clusters`` (communities per base run), ``evenness``, ``score``, ``split_half_stability``,
    ``largest_share``, ``seconds`` (and whatever ``measure(k, fitted)`` adds), and the labels per k."""
    from tqdm.auto import tqdm

    space = np.asarray(space, dtype=np.float64)
    table, labels = [], {}
    for k in tqdm(ks, desc="themes: consensus per number of themes", unit="k", disable=None):
        start = time.perf_counter()
        fitted = EnsembleConsensusClustering(n_clusters=k, n_runs=n_runs, sample_fraction=sample_fraction,
                                             random_state=random_state, measure_runs=True).fit(space)
        found = fitted.labels_
        row = {"themes": k, "run_agreement": fitted.run_agreement_adjusted_, "run_clusters": fitted.run_clusters_,
               "evenness": evenness(found), "split_half_stability": fitted.stability_,
               "largest_share": float(np.bincount(found).max() / len(found))}
        row["score"] = row["run_agreement"] * row["evenness"]
        row.update(measure(k, fitted) if measure else {})
        row["seconds"] = time.perf_counter() - start
        table.append(row)
        labels[k] = found
    return pd.DataFrame(table), labels


def ranked_numbers_of_themes(table: pd.DataFrame) -> list[int]:
    """The ks of the scan from the highest ``score`` down (ties: the smaller k first), among the ks whose base runs
    did split the units (all of them if none did)."""
    split = table[table["run_clusters"] >= LEAST_RUN_CLUSTERS]
    table = split if len(split) else table
    order = sorted(zip(table["score"].round(9), table["themes"]), key=lambda pair: (-pair[0], pair[1]))
    return [int(k) for _, k in order]


def choose_number_of_themes(table: pd.DataFrame) -> int:
    """The k of the scan with the highest ``score`` (ties: the smaller k), among the ks whose base runs did split
    the units (all of them if none did)."""
    return ranked_numbers_of_themes(table)[0]
