"""Metrics, step 8: which themes belong together — a tree of the themes (BERTopic's ``hierarchical_topics``,
stm's ``topicCorr``).

Each theme is the mean direction of its units in the space the model grouped them in; the themes are joined by
average-linkage clustering on the cosine distance between those directions (SciPy), so the first join is the two
closest themes. Computed by the run, which holds the space, and saved in ``metrics.json``: the report and the
notebooks read it back without the vectors.
"""

from __future__ import annotations

import numpy as np
from scipy.cluster.hierarchy import linkage

from ..topics.base import OUTLIER


def theme_tree(space: np.ndarray, labels: np.ndarray) -> dict | None:
    """``{"themes": [theme ids, in the order of the leaves' indices], "joins": [[a, b, distance, themes], ...]}``
    in SciPy's linkage convention (a node ``i >= len(themes)`` is the join made at row ``i - len(themes)``); None
    with fewer than two themes."""
    labels = np.asarray(labels)
    themes = sorted(set(labels.tolist()) - {OUTLIER})
    if len(themes) < 2:
        return None
    centroids = np.vstack([np.asarray(space)[labels == theme].mean(axis=0) for theme in themes])
    centroids = centroids / np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    joins = linkage(centroids.astype(np.float64), method="average", metric="cosine")
    return {"themes": [int(t) for t in themes],
            "joins": [[int(a), int(b), round(float(d), 6), int(n)] for a, b, d, n in joins]}


def first_joins(tree: dict, n: int = 3) -> list[tuple[list[int], list[int], float]]:
    """The first ``n`` joins of the tree, each as (themes on one side, themes on the other, cosine distance)."""
    leaves = {index: [theme] for index, theme in enumerate(tree["themes"])}
    found = []
    for row, (a, b, distance, _) in enumerate(tree["joins"]):
        leaves[len(tree["themes"]) + row] = leaves[a] + leaves[b]
        if row < n:
            found.append((sorted(leaves[a]), sorted(leaves[b]), float(distance)))
    return found
