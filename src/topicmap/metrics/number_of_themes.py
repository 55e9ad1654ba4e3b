"""Evidence for the number of themes: how each candidate k holds up, and which themes merge at a coarser k.

In the spirit of stm's ``searchK``: for each k the consensus is refitted (on a seeded sample of at most
``max_units`` units of the model's aligned space) and measured by

* ``split_half_stability``: ARI between the consensus of two independent halves of the runs;
* ``mean_theme_consensus`` and ``weakest_theme_consensus``: how often a theme's units stay together over
  the runs, on average and for the loosest theme;
* ``loose_themes``: themes whose units stay together in fewer than half of the runs (not findings).

``merges`` says, between consecutive k, which themes of the finer partition fold into one theme of the
coarser one (by majority of units).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..topics.consensus import EnsembleConsensusClustering

#: Base runs per candidate k: enough to rank the candidates, a third of a full fit's cost on the seeds.
RUNS_PER_K = 100


def candidate_ks(chosen: int, n_units: int, spread: int = 3) -> list[int]:
    """The k to compare: ``chosen`` and up to ``spread`` on each side, at least 2 and fewer than the units."""
    return [k for k in range(max(2, chosen - spread), chosen + spread + 1) if k < n_units]


def k_evidence(space: np.ndarray, ks: list[int], random_state: int = 42, max_units: int = 500,
               n_runs: int = RUNS_PER_K) -> tuple[pd.DataFrame, dict[int, np.ndarray]]:
    """A row of measures per k in ``ks`` and the labels per k (of the sampled units, in sample order)."""
    space = np.asarray(space, dtype=np.float64)
    rows_used = np.arange(len(space))
    if len(space) > max_units:
        rows_used = np.sort(np.random.RandomState(random_state).choice(len(space), max_units, replace=False))
    sample = space[rows_used]
    table, labels = [], {}
    for k in ks:
        model = EnsembleConsensusClustering(n_clusters=k, n_runs=n_runs, random_state=random_state).fit(sample)
        consensus = np.array(list(model.cluster_consensus_.values()))
        labels[k] = model.labels_
        table.append({"themes": k, "split_half_stability": model.stability_,
                      "mean_theme_consensus": float(consensus.mean()),
                      "weakest_theme_consensus": float(consensus.min()),
                      "loose_themes": int((consensus < 0.5).sum()), "units": len(sample)})
    return pd.DataFrame(table), labels


def merges(finer: np.ndarray, coarser: np.ndarray) -> list[tuple[list[int], int]]:
    """(themes of the finer partition, the coarser theme they fold into) wherever two or more fold into one."""
    table = pd.crosstab(np.asarray(finer), np.asarray(coarser))
    destination = table.idxmax(axis=1)
    folded = destination.groupby(destination).apply(lambda s: sorted(int(t) for t in s.index))
    return [(themes, int(target)) for target, themes in folded.items() if len(themes) > 1]


def number_of_themes_evidence(space: np.ndarray, chosen: int, random_state: int = 42) -> dict:
    """What the run saves of the evidence for ``chosen`` themes: the measures per candidate k (``k_evidence``)
    and, between consecutive k, which themes fold into one (``merges``), as plain data."""
    table, labels_by_k = k_evidence(space, candidate_ks(chosen, len(space)), random_state)
    ks = sorted(labels_by_k)
    folds = [{"themes": k, "into": k - 1, "folds": [{"themes": themes, "into": target}
                                                     for themes, target in merges(labels_by_k[k], labels_by_k[k - 1])]}
             for k in ks[1:] if k - 1 in labels_by_k]
    return {"chosen": int(chosen), "by_k": table.round(6).to_dict(orient="records"), "merges": folds}
