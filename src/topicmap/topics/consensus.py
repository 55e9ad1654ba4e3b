"""Consensus clustering: themes that hold when the data are resampled and the seed changes.

``BaggedConsensusClustering`` (Monti et al. 2003's consensus clustering, with Ward's hierarchical
clustering as the base method) draws ``n_resamples`` seeded subsamples of the units, clusters each
with Ward linkage, and counts for every pair of units how often they fell in the same cluster when
both were drawn: the co-association (consensus) matrix. The final partition clusters that matrix
once more (average linkage on ``1 - consensus``). One Ward tree per resample serves every candidate
number of clusters, so choosing k costs little more than fitting one.

Per k it records ``stability_[k]``: the adjusted Rand index between the consensus partitions of the
even-numbered and of the odd-numbered resamples, two independent halves of the same procedure
(1 = the themes do not depend on which random subsamples were drawn, i.e. on the seed), and per final cluster
its ``cluster_consensus_``: the mean co-association of its pairs (how often its units stay together).
Both are deterministic given ``random_state``; with a few hundred resamples the consensus no longer
depends on the seed in practice, which the tests check.
"""

from __future__ import annotations

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import AgglomerativeClustering
from sklearn.metrics import adjusted_rand_score


def resamples_for(n_units: int, most: int = 300, least: int = 40, budget: float = 3e7) -> int:
    """Resamples to draw: ``most`` on small corpora, fewer as the n x n work grows, never below ``least``."""
    return int(max(least, min(most, budget // max(n_units, 1) ** 2)))


class BaggedConsensusClustering(ClusterMixin, BaseEstimator):
    """Consensus of Ward clusterings of seeded subsamples, for each k in ``n_clusters_options``.

    After ``fit(X)``: ``labels_by_k_`` (k -> labels of every unit), ``stability_`` (k -> ARI between the
    consensus partitions of the two halves of the resamples), ``consensus_`` (k -> the co-association matrix) and,
    for the k set by ``select(k)`` (by default the first option), ``labels_`` and ``cluster_consensus_``.
    """

    def __init__(self, n_clusters_options=(5,), n_resamples: int = 300, sample_fraction: float = 0.8,
                 random_state: int = 0) -> None:
        self.n_clusters_options = n_clusters_options
        self.n_resamples = n_resamples
        self.sample_fraction = sample_fraction
        self.random_state = random_state

    def fit(self, X: np.ndarray, y=None) -> "BaggedConsensusClustering":
        X = np.asarray(X, dtype=np.float64)
        n = len(X)
        options = sorted({int(k) for k in self.n_clusters_options if 1 <= int(k) <= n})
        if not options:
            raise ValueError(f"no number of clusters in {self.n_clusters_options} fits {n} units")
        rng = np.random.RandomState(self.random_state)
        size = max(2, min(n, int(round(self.sample_fraction * n))))
        # Two halves (even and odd resamples), kept apart to measure stability, summed for the consensus.
        together = {k: np.zeros((2, n, n), dtype=np.float32) for k in options}
        drawn = np.zeros((2, n, n), dtype=np.float32)
        for index in range(max(2, self.n_resamples)):
            rows = np.sort(rng.choice(n, size, replace=False))
            tree = linkage(X[rows], method="ward")
            block = (index % 2, *np.ix_(rows, rows))
            drawn[block] += 1
            for k in options:
                labels = fcluster(tree, k, criterion="maxclust")
                together[k][block] += (labels[:, None] == labels[None, :])
        self.labels_by_k_, self.stability_, self.consensus_ = {}, {}, {}
        for k in options:
            halves = [self._consensus(together[k][h], drawn[h]) for h in (0, 1)]
            self.stability_[k] = float(adjusted_rand_score(*(self._cluster_consensus(c, k) for c in halves)))
            self.consensus_[k] = self._consensus(together[k].sum(axis=0), drawn.sum(axis=0))
            self.labels_by_k_[k] = self._cluster_consensus(self.consensus_[k], k)
        return self.select(options[0])

    def select(self, k: int) -> "BaggedConsensusClustering":
        """Make ``labels_`` and ``cluster_consensus_`` those of the consensus partition into ``k`` clusters."""
        self.n_clusters_ = int(k)
        self.labels_ = self.labels_by_k_[k]
        consensus = self.consensus_[k]
        self.cluster_consensus_ = {}
        for cluster in sorted(set(self.labels_.tolist())):
            members = np.flatnonzero(self.labels_ == cluster)
            pairs = consensus[np.ix_(members, members)]
            n = len(members)
            self.cluster_consensus_[int(cluster)] = 1.0 if n < 2 else float((pairs.sum() - n) / (n * (n - 1)))
        return self

    @staticmethod
    def _consensus(together: np.ndarray, drawn: np.ndarray) -> np.ndarray:
        """Share of the resamples holding both units in which they fell in one cluster (1 on the diagonal)."""
        consensus = together / np.maximum(drawn, 1)
        np.fill_diagonal(consensus, 1.0)
        return consensus

    @staticmethod
    def _cluster_consensus(consensus: np.ndarray, k: int) -> np.ndarray:
        if k == 1 or len(consensus) < 2:
            return np.zeros(len(consensus), dtype=int)
        model = AgglomerativeClustering(n_clusters=k, metric="precomputed", linkage="average")
        return model.fit_predict(1.0 - consensus.astype(np.float64))
