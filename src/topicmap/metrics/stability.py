"""Metrics, step 2: do the topics hold still when the seed changes?"""

from __future__ import annotations

import math
from itertools import combinations
from typing import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score

from ..topics.base import OUTLIER, TopicResult


def _jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a | b else 0.0


def matched_word_overlap(reference: TopicResult, other: TopicResult, top_n: int = 10) -> dict[int, float]:
    """For each topic of ``reference``, the Jaccard overlap of its top words with its match in ``other``.

    Topics are matched one to one by the Hungarian algorithm on word overlap (outliers excluded);
    a reference topic left without a partner scores 0.
    """
    ref_topics = [t for t in reference.topics if t.id != OUTLIER]
    other_topics = [t for t in other.topics if t.id != OUTLIER]
    if not ref_topics:
        return {}
    if not other_topics:
        return {t.id: 0.0 for t in ref_topics}
    overlap = np.array([[_jaccard(r.top_words(top_n), o.top_words(top_n)) for o in other_topics] for r in ref_topics])
    rows, cols = linear_sum_assignment(overlap, maximize=True)
    matched = {ref_topics[r].id: float(overlap[r, c]) for r, c in zip(rows, cols)}
    return {t.id: matched.get(t.id, 0.0) for t in ref_topics}


def assignment_agreement(a: TopicResult, b: TopicResult) -> float:
    """Adjusted Rand index between two runs' assignments of the same units (1 = identical partition)."""
    if not np.array_equal(a.assignments["id"].to_numpy(), b.assignments["id"].to_numpy()):
        raise ValueError("the two runs did not assign the same units")
    return float(adjusted_rand_score(a.labels, b.labels))


def stability(runs: Sequence[TopicResult], top_n: int = 10) -> dict:
    """Stability of a model across runs with different seeds; ``runs[0]`` is the reference run.

    Returns the mean pairwise ARI of the assignments, the mean best-match word overlap over all
    ordered pairs, and per reference topic its mean best-match overlap with the other runs.
    """
    if len(runs) < 2:
        raise ValueError("stability needs at least two runs")
    pairs = list(combinations(range(len(runs)), 2))
    ari = [assignment_agreement(runs[i], runs[j]) for i, j in pairs]
    overlaps = []
    for i, j in pairs:
        for first, second in ((runs[i], runs[j]), (runs[j], runs[i])):
            values = list(matched_word_overlap(first, second, top_n).values())
            overlaps.append(float(np.mean(values)) if values else math.nan)
    per_topic = {
        topic_id: float(np.mean([matched_word_overlap(runs[0], other, top_n)[topic_id] for other in runs[1:]]))
        for topic_id in matched_word_overlap(runs[0], runs[1], top_n)
    }
    return {
        "mean_pairwise_ari": float(np.mean(ari)),
        "mean_matched_word_overlap": float(np.nanmean(overlaps)) if overlaps else math.nan,
        "topic_overlap": per_topic,
        "n_runs": len(runs),
    }
