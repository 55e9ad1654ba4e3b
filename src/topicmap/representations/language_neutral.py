"""Embeddings with what encodes the language removed, so that grouping follows the theme.

A multilingual encoder puts a French sentence near its English translation, but every sentence of a
language also shares a language component; clustering raw vectors then partly sorts by language.
``LanguageNeutralizer`` removes it in two measured steps (see notebook 03 and ``benchmarks/``):

1. ``center``: subtract each language's mean vector (languages with at least ``MIN_UNITS_TO_CENTER``
   units), then re-normalise;
2. ``subspace``: then, as long as a linear classifier still predicts the language from the vectors
   better than chance (cross-validated accuracy above the majority share + ``CHANCE_MARGIN``), project
   out the directions it uses (iterative nullspace projection, Ravfogel et al. 2020), at most
   ``max_directions`` of them.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score

METHODS = ("none", "center", "subspace")
#: The mean of one or two vectors is those vectors: a language needs this many units to be centred.
MIN_UNITS_TO_CENTER = 3
#: Cross-validated language accuracy this close to the majority share counts as "no language left".
CHANCE_MARGIN = 0.05
#: The language classifier's regularisation; strong, so that it finds broad language directions only.
CLASSIFIER_C = 0.1
#: Cross-validation folds for the language classifier (fewer when a language has fewer units).
FOLDS = 5
#: Units the language classifier is trained on at most (a seeded sample beyond; the means use every unit).
MAX_CLASSIFIER_UNITS = 5000


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float64)


class LanguageNeutralizer(TransformerMixin, BaseEstimator):
    """Removes the language component of embeddings: ``fit(X, langs)``, then ``transform(X, langs)``.

    Fitted attributes: ``means_`` (language -> mean vector removed), ``directions_`` (k x d orthonormal
    rows projected out), ``language_accuracy_`` (cross-validated accuracy of the language classifier
    after the last step) and ``chance_accuracy_`` (the majority language's share).
    """

    def __init__(self, method: str = "subspace", max_directions: int = 10, random_state: int = 0) -> None:
        self.method = method
        self.max_directions = max_directions
        self.random_state = random_state

    def fit(self, X: np.ndarray, langs) -> "LanguageNeutralizer":
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, not {self.method!r}")
        X, langs = np.asarray(X, dtype=np.float64), np.asarray(langs).astype(str)
        self.means_ = {}
        if self.method != "none":
            for lang in sorted(set(langs.tolist())):
                if (langs == lang).sum() >= MIN_UNITS_TO_CENTER:
                    self.means_[lang] = X[langs == lang].mean(axis=0)
        rows = np.arange(len(X))
        if len(X) > MAX_CLASSIFIER_UNITS:
            rows = np.sort(np.random.RandomState(self.random_state).choice(len(X), MAX_CLASSIFIER_UNITS, replace=False))
        X, langs = X[rows], langs[rows]
        centred = self._centre(X, langs)
        self.directions_ = np.zeros((0, X.shape[1]))
        self.chance_accuracy_, self.language_accuracy_ = self._language_accuracy(centred, langs)
        if self.method == "subspace":
            for _ in range(self.max_directions):
                if self.language_accuracy_ <= self.chance_accuracy_ + CHANCE_MARGIN:
                    break
                self.directions_ = np.vstack([self.directions_, self._language_directions(centred, langs)])
                self.directions_ = np.linalg.qr(self.directions_.T)[0].T
                centred = self._project(self._centre(X, langs))
                _, self.language_accuracy_ = self._language_accuracy(centred, langs)
        return self

    def transform(self, X: np.ndarray, langs) -> np.ndarray:
        X, langs = np.asarray(X, dtype=np.float64), np.asarray(langs).astype(str)
        out = self._project(self._centre(X, langs))
        degenerate = np.linalg.norm(out, axis=1) < 1e-6  # a vector that was only its language's mean
        out[degenerate] = X[degenerate]
        return unit_rows(out)

    def fit_transform(self, X: np.ndarray, langs=None, **fit_params) -> np.ndarray:
        return self.fit(X, langs).transform(X, langs)

    def _centre(self, X: np.ndarray, langs: np.ndarray) -> np.ndarray:
        out = X.copy()
        for lang, mean in self.means_.items():
            out[langs == lang] -= mean
        return unit_rows(out) if self.means_ else out

    def _project(self, X: np.ndarray) -> np.ndarray:
        if len(self.directions_) == 0:
            return X
        return X - (X @ self.directions_.T) @ self.directions_

    def _language_accuracy(self, X: np.ndarray, langs: np.ndarray) -> tuple[float, float]:
        """(majority share, cross-validated accuracy of a linear language classifier); NaN if untestable."""
        values, counts = np.unique(langs, return_counts=True)
        chance = float(counts.max() / counts.sum())
        folds = min(FOLDS, int(counts.min()))
        if len(values) < 2 or folds < 2:
            return chance, chance
        cv = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
        scores = cross_val_score(LogisticRegression(C=CLASSIFIER_C, max_iter=2000), X, langs, cv=cv)
        return chance, float(scores.mean())

    def _language_directions(self, X: np.ndarray, langs: np.ndarray) -> np.ndarray:
        """The unit-length weight vectors of a linear classifier predicting the language."""
        weights = LogisticRegression(C=CLASSIFIER_C, max_iter=2000).fit(X, langs).coef_
        return unit_rows(np.atleast_2d(weights))
