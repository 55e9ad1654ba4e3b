"""Evidence for the number of themes: how each candidate k holds up, and which themes merge at a coarser k.

In the spirit of stm's ``searchK``: for each k the consensus is refitted (on a seeded sample of at most
``max_units`` units of the model's aligned space) and measured by

* ``split_half_stability``: ARI between the consensus of two independent halves of the runs;
* ``mean_theme_consensus`` and ``weakest_theme_consensus``: how often a theme's units stay together over
  the runs, on average and for the loosest theme;
* ``loose_themes``: themes whose units stay together in fewer than half of the runs (not findings);
* ``runs``: the base runs of each consensus (``RUNS_PER_K``). The same measures of the same k differ from the
  scan's (``k_scan`` in the fit's parameters, ``SCAN_RUNS`` runs) and from the fit's own split-half stability (its
  several hundred runs): each is an estimate from its own runs, and fewer runs split into halves agree less.

``merges`` says, between consecutive k, which themes of the finer partition fold into one theme of the
coarser one (by majority of units).

``k_scan`` and ``CRITERIA`` (issue 33) measure candidate criteria for choosing k: one consensus per k, scored by
split-half stability, instability against chance (Lange et al. 2004), cosine silhouette, ambiguous pairs (PAC,
after Monti et al. 2003), the co-association's eigengap. ``python -m benchmarks k_choice`` compares them on the
labelled corpora; the model uses the first, ``topics.number_of_themes.choose_number_of_themes``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..topics.consensus import EnsembleConsensusClustering
from ..topics.number_of_themes import SCAN_RUNS, choose_number_of_themes, scan_numbers_of_themes

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
                      "loose_themes": int((consensus < 0.5).sum()), "units": len(sample), "runs": n_runs})
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


# --- choosing k: one consensus per candidate k, measured several ways (issue 33) ---

def matching_disagreement(a: np.ndarray, b: np.ndarray) -> float:
    """Share of units on which two partitions disagree once their labels are matched one-to-one at best
    (Hungarian matching of the contingency table): Lange et al. 2004's disagreement."""
    from scipy.optimize import linear_sum_assignment

    table = pd.crosstab(np.asarray(a), np.asarray(b)).to_numpy()
    rows, cols = linear_sum_assignment(-table)
    return float(1.0 - table[rows, cols].sum() / table.sum())


def instability_against_chance(a: np.ndarray, b: np.ndarray, random_state: int = 0, n_permutations: int = 20) -> float:
    """Lange et al. 2004: the disagreement between two partitions divided by that of the same two partitions with
    one's labels shuffled (random labels of the same sizes). A lopsided pair agrees a lot by chance alone, so it
    gains nothing from being lopsided; 0 = identical, 1 = no better than chance."""
    rng = np.random.RandomState(random_state)
    chance = np.mean([matching_disagreement(a, rng.permutation(np.asarray(b))) for _ in range(n_permutations)])
    return float(matching_disagreement(a, b) / chance) if chance > 0 else 0.0


def ambiguous_pairs(consensus: np.ndarray, low: float = 0.1, high: float = 0.9) -> float:
    """PAC (Senbabaoglu et al. 2014, after Monti et al. 2003's consensus CDF): the share of pairs of units
    that the runs put together sometimes but neither almost always nor almost never."""
    upper = consensus[np.triu_indices(len(consensus), 1)]
    return float(np.mean((upper > low) & (upper < high))) if len(upper) else 0.0


def consensus_eigengap(consensus: np.ndarray, k: int) -> float:
    """The gap between the k-th and (k+1)-th largest eigenvalues of the normalised co-association matrix
    (D^-1/2 C D^-1/2): large when the runs' evidence holds k blocks."""
    from scipy.linalg import eigh

    n = len(consensus)
    if k >= n:
        return 0.0
    degree = consensus.sum(axis=1)
    scale = 1.0 / np.sqrt(np.maximum(degree, 1e-12))
    normalised = consensus * scale[:, None] * scale[None, :]
    values = eigh(normalised, eigvals_only=True, subset_by_index=[n - k - 1, n - 1])[::-1]
    return float(values[k - 1] - values[k])


def k_scan(space: np.ndarray, ks: list[int], random_state: int = 42, n_runs: int = SCAN_RUNS,
           sample_fraction: float = 0.9) -> tuple[pd.DataFrame, dict[int, np.ndarray]]:
    """The model's own scan (``topics.number_of_themes.scan_numbers_of_themes``: run agreement, evenness, score,
    split-half stability, largest share) and, per k, what the other candidate criteria read: instability against
    chance (Lange et al.), cosine silhouette of the partition in ``space``, ambiguous pairs (PAC), eigengap of the
    co-association, entropy, mutual information of the two halves, and the eigengap of all the ks' runs pooled.
    Returns the table and the labels per k."""
    import time

    from sklearn.metrics import mutual_info_score, silhouette_score

    space = np.asarray(space, dtype=np.float64)
    pooled = np.zeros((len(space), len(space)))

    def measure(k: int, model) -> dict:
        nonlocal pooled
        found = model.labels_
        pooled += model.consensus_
        sizes = np.bincount(found)[np.bincount(found) > 0] / len(found)
        return {
            "stability": model.stability_,
            "instability_vs_chance": instability_against_chance(*model.halves_, random_state=random_state),
            "silhouette": (float(silhouette_score(space, found, metric="cosine"))
                           if len(set(found.tolist())) > 1 else 0.0),
            "pac": ambiguous_pairs(model.consensus_), "eigengap": consensus_eigengap(model.consensus_, k),
            "entropy": float(-(sizes * np.log(sizes)).sum()), "halves_mi": float(mutual_info_score(*model.halves_)),
        }

    table, labels = scan_numbers_of_themes(space, ks, random_state, n_runs, sample_fraction, measure=measure)
    # one matrix for every k: the runs of all the candidate ks pooled (multi-resolution evidence), and its
    # eigengap at each k, so that no k is judged on a matrix built for it
    start = time.perf_counter()
    table["pooled_gap"] = pooled_eigengaps(pooled / max(len(ks), 1), list(table["themes"]))
    table["seconds"] += (time.perf_counter() - start) / max(len(ks), 1)
    return table, labels


def pooled_eigengaps(consensus: np.ndarray, ks: list[int]) -> list[float]:
    """Eigengap at each k of ``ks`` of one normalised co-association matrix (see ``consensus_eigengap``)."""
    from scipy.linalg import eigh

    n = len(consensus)
    top = min(n, max(ks) + 1)
    degree = consensus.sum(axis=1)
    scale = 1.0 / np.sqrt(np.maximum(degree, 1e-12))
    values = eigh(consensus * scale[:, None] * scale[None, :], eigvals_only=True, subset_by_index=[n - top, n - 1])[::-1]
    return [float(values[k - 1] - values[k]) if k < len(values) else 0.0 for k in ks]


def _best(table: pd.DataFrame, column: str, largest: bool = True) -> int:
    """The k with the best value of ``column`` (ties: the larger k), among the ks whose runs did split the units
    (at k = 2, Leiden may find one community only: every pair is then together, trivially "stable")."""
    split = table[table["run_clusters"] >= 1.5]
    table = split if len(split) else table
    values = table[column].round(9) * (1 if largest else -1)
    top = values.max()
    return int(table.loc[values == top, "themes"].max())


def _balanced(table: pd.DataFrame) -> pd.DataFrame:
    """The ks whose largest theme holds at most twice a balanced share (2 / k); all of them if none does."""
    kept = table[table["largest_share"] <= 2.0 / table["themes"]]
    return kept if len(kept) else table


#: Candidate rules, each from the scan's table to a k; the first is the model's own.
CRITERIA = {
    "run_agreement_x_evenness (model)": choose_number_of_themes,
    "stability": lambda t: _best(t, "stability"),
    "lange": lambda t: _best(t, "instability_vs_chance", largest=False),
    "silhouette": lambda t: _best(t, "silhouette"),
    "pac": lambda t: _best(t, "pac", largest=False),
    "eigengap_3": lambda t: _best(t[t["themes"] >= 3], "eigengap"),
    "eigengap_3_balanced": lambda t: _best(_balanced(t[t["themes"] >= 3]), "eigengap"),
    "silhouette_stable": lambda t: _best(t[t["stability"] >= 0.8] if (t["stability"] >= 0.8).any() else t, "silhouette"),
    "silhouette_lange": lambda t: _best(t[t["instability_vs_chance"] <= 0.2] if (t["instability_vs_chance"] <= 0.2).any() else t,
                                        "silhouette"),
}
