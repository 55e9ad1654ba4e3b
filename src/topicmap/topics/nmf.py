"""The bilingual NMF baseline: topics as groups of words that paragraphs share.

The units' term counts (``Representations.counts``: content words and real n-grams, stop words
removed per language) are weighted with TF-IDF and factorised as X ≈ W H with scikit-learn's NMF
(nndsvda initialisation, so the result depends on the data and ``random_state`` only). Each unit goes
to the topic of its largest weight in W. Without ``n_topics``, k is the one in ``topic_range`` whose
topics' top words have the highest mean NPMI coherence (ties: the smaller k). Words are bags of
tokens, so a French and an English paragraph on one theme share almost no feature: NMF is the
baseline the cross-lingual model is measured against.
"""

from __future__ import annotations

import logging
import math
import warnings

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfTransformer

from .base import TopicModel, TopicResult, renumber_by_size
from .words import describe_topics

log = logging.getLogger(__name__)

#: Enough for coordinate descent to reach its tolerance on corpora of a few thousand paragraphs.
NMF_MAX_ITER = 2000
#: Words per topic scored by NPMI when choosing the number of topics.
COHERENCE_TOP_N = 10
#: Mean coherences closer than this count as a tie (then the smaller k wins).
COHERENCE_TIE = 1e-6
#: Units the choice of k fits NMF on at most (a seeded sample beyond); the final fit uses every unit.
MAX_UNITS_FOR_K = 5000
#: Terms used by fewer units are left out of the factorisation: a term of a single paragraph cannot
#: link paragraphs into a theme, and its perfect co-occurrence with its neighbours inflates NPMI.
MIN_UNITS_PER_TERM = 2


def tfidf_matrix(representations) -> tuple[sparse.csr_matrix, list[str]]:
    """TF-IDF of the units' term counts, terms of a single unit left out (unless that leaves none)."""
    counts, terms = representations.counts.matrix, representations.counts.terms
    used_by = np.asarray((counts > 0).sum(axis=0)).ravel()
    keep = used_by >= MIN_UNITS_PER_TERM
    if not keep.any():
        keep = used_by >= 1
    matrix = TfidfTransformer().fit_transform(counts[:, keep])
    return sparse.csr_matrix(matrix), [t for t, k in zip(terms, keep) if k]


def ranked(weights: np.ndarray, names: list[str], n: int) -> list[int]:
    """Indices of the ``n`` largest positive weights, ties broken by name (deterministic)."""
    positive = np.flatnonzero(weights > 0)
    if len(positive) > n:  # only the n largest (and ties with the n-th) need the exact, name-tied order
        nth = np.partition(weights[positive], len(positive) - n)[len(positive) - n]
        positive = positive[weights[positive] >= nth - 1e-12]
    return sorted(positive, key=lambda i: (-round(float(weights[i]), 12), names[i]))[:n]


class NmfTopicModel(TopicModel):
    """NMF on TF-IDF of the units' terms; ``n_topics="auto"`` chooses k by NPMI over ``topic_range``."""

    name = "nmf"

    def __init__(self, n_topics: int | str = "auto", topic_range: tuple[int, int] = (3, 12),
                 n_top_words: int = 10, n_representative: int = 3, random_state: int = 42) -> None:
        self.n_topics = n_topics
        self.topic_range = topic_range
        self.n_top_words = n_top_words
        self.n_representative = n_representative
        self.random_state = random_state

    def fit(self, representations, y=None) -> "NmfTopicModel":
        matrix, terms = tfidf_matrix(representations)
        limit = max(1, min(matrix.shape))
        if self.n_topics != "auto":
            if not isinstance(self.n_topics, (int, np.integer)) or int(self.n_topics) < 1:
                raise ValueError(f"n_topics must be 'auto' or a positive int, not {self.n_topics!r}")
            k = min(int(self.n_topics), limit)
            if k < int(self.n_topics):
                log.warning("asked for %d NMF topics but the data allows at most %d; using %d", self.n_topics, limit, k)
            self.k_scores_ = None
        else:
            k, self.k_scores_ = self._choose_k(matrix, terms, representations, limit)
        w, h, model = self._factorise(matrix, k)
        raw = np.argmax(w, axis=1)
        self.labels_ = renumber_by_size(raw)
        order = [int(np.flatnonzero(self.labels_ == t)[0]) for t in range(self.labels_.max() + 1)]
        scores = w[:, [raw[i] for i in order]]
        topics = describe_topics(self.labels_, representations, self.n_top_words, self.n_representative, scores=scores)
        params = {**self.get_params(), "n_topics_found": int(self.labels_.max() + 1), "n_components": k,
                  "n_terms": len(terms), "n_zero_rows": int((~(w > 0).any(axis=1)).sum()), "init": "nndsvda",
                  "n_iter": int(model.n_iter_), "k_scores": None if self.k_scores_ is None else
                  self.k_scores_.round(6).to_dict(orient="records")}
        self.components_ = h[[raw[i] for i in order]]  # row t is topic t of labels_
        self.result_ = TopicResult(self.name, topics, pd.DataFrame({"id": representations.ids, "topic": self.labels_}),
                                   params)
        return self

    def _factorise(self, matrix, k: int):
        model = NMF(n_components=k, init="nndsvda", random_state=self.random_state, max_iter=NMF_MAX_ITER)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            w = model.fit_transform(matrix)
        if any(issubclass(c.category, ConvergenceWarning) for c in caught):
            log.warning("NMF with k=%d did not converge in %d iterations", k, NMF_MAX_ITER)
        return w, model.components_, model

    def _choose_k(self, matrix, terms, representations, limit: int) -> tuple[int, pd.DataFrame]:
        from ..representations.cooccurrence import coherence_sample, npmi_coherence, topic_diversity

        rows = coherence_sample(len(representations), self.random_state)
        texts = [representations.terms[i] for i in rows]
        if matrix.shape[0] > MAX_UNITS_FOR_K:
            matrix = matrix[np.sort(np.random.RandomState(self.random_state).choice(matrix.shape[0], MAX_UNITS_FOR_K,
                                                                                     replace=False))]
        low, high = sorted(self.topic_range)
        candidates = range(max(1, min(low, limit)), max(1, min(high, limit)) + 1)
        table = []
        for k in candidates:
            _, h, _ = self._factorise(matrix, k)
            words = [[terms[i] for i in ranked(row, terms, COHERENCE_TOP_N)] for row in h]
            scores = [s for s in npmi_coherence(words, texts) if not math.isnan(s)]
            table.append({"k": k, "coherence": float(np.mean(scores)) if scores else math.nan,
                          "diversity": topic_diversity(words, COHERENCE_TOP_N)})
        table = pd.DataFrame(table)
        best = table["coherence"].max()
        chosen = int(table["k"].min()) if math.isnan(best) else int(table.loc[table["coherence"] >= best - COHERENCE_TIE, "k"].min())
        table["chosen"] = table["k"] == chosen
        return chosen, table
