"""The plain BERTopic model: UMAP + HDBSCAN on the embeddings, sized for small corpora.

BERTopic is configured only by passing components (no fork, no patch): the embeddings come from
``Representations`` (computed once, cached) and are passed to ``fit_transform``; UMAP and HDBSCAN (or
KMeans) get parameters derived from the corpus size by ``derive_parameters``, because BERTopic's
defaults assume thousands of documents; the embedding model is a stand-in that refuses to embed, so
nothing is ever downloaded. Its topics are described by ``words.describe_topics`` like every model's.
It is the peer the cross-lingual model is compared with: ``center_languages`` gives the simplest
cross-lingual variant (each language's mean vector removed).
"""

from __future__ import annotations

import logging
import math
import warnings
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import KMeans

from ..representations.language_neutral import LanguageNeutralizer
from .base import OUTLIER, TopicModel, TopicResult, renumber_by_size
from .words import describe_topics

log = logging.getLogger(__name__)

#: Below this many distinct units, UMAP and HDBSCAN have too few neighbours to mean anything
#: (and UMAP's spectral start fails): cluster the raw embeddings with KMeans instead.
TINY_CORPUS = 15
#: From this many units on, UMAP starts from a spectral layout (better global structure);
#: below, from a random one, which cannot fail on small or disconnected neighbour graphs.
SPECTRAL_INIT_MIN_UNITS = 1000
#: KMeans restarts; fixed so that a seed fully determines the result.
KMEANS_N_INIT = 10


@dataclass(frozen=True)
class BertopicParameters:
    """The component settings of one fit, derived from the corpus size by ``derive_parameters``."""

    n_units: int
    n_distinct: int
    reduction: str  # "umap" or "none" (tiny corpora)
    n_neighbors: int | None
    n_components: int | None
    umap_init: str | None
    clustering: str  # "hdbscan" or "kmeans"
    min_cluster_size: int | None
    min_samples: int | None
    n_clusters: int | None
    reduce_outliers: bool
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _clamp(value: float, low: int, high: int) -> int:
    return int(max(low, min(high, round(value))))


def derive_parameters(n_units: int, n_distinct: int, asked: int | str = "auto") -> BertopicParameters:
    """UMAP and clustering settings that fit a corpus of ``n_units`` (``n_distinct`` different).

    * ``n_neighbors = clamp(sqrt(n), 2, 15)``: about sqrt(n) neighbours keeps local structure in a
      small corpus; 15 (UMAP's default) is enough for any large one.
    * ``n_components = min(5, n - 2)``, ``min_dist = 0``, cosine: BERTopic's choices, kept below n.
    * HDBSCAN ``min_cluster_size = clamp(n / 30, 3, 100)`` and ``min_samples = min_cluster_size // 2``:
      BERTopic's default of 10 yields two topics and ~40% outliers on ~150 paragraphs; a small
      ``min_samples`` lets more paragraphs join a cluster. Remaining outliers are then reassigned
      to the nearest topic centroid (``reduce_outliers``), so every paragraph gets a theme.
    * ``asked`` as an int: KMeans with that many clusters (capped at ``n_distinct``).
    * Fewer than ``TINY_CORPUS`` distinct units: no UMAP, KMeans on the embeddings with
      ``ceil(sqrt(n / 2))`` clusters (or the asked number), capped at the distinct units.
    """
    if n_units < 1:
        raise ValueError("BERTopic needs at least one paragraph; the table given is empty")
    if not (asked == "auto" or (isinstance(asked, int) and asked >= 1)):
        raise ValueError(f"n_topics must be 'auto' or a positive int, not {asked!r}")
    n_distinct = max(1, n_distinct)
    if n_distinct < TINY_CORPUS:
        wanted = math.ceil(math.sqrt(n_units / 2)) if asked == "auto" else int(asked)
        return BertopicParameters(
            n_units=n_units, n_distinct=n_distinct, reduction="none", n_neighbors=None,
            n_components=None, umap_init=None, clustering="kmeans", min_cluster_size=None,
            min_samples=None, n_clusters=max(1, min(wanted, n_distinct)), reduce_outliers=False,
            note=f"tiny corpus (< {TINY_CORPUS} distinct units): KMeans on the embeddings, no UMAP",
        )
    n_neighbors = _clamp(math.sqrt(n_units), 2, 15)
    reduction = dict(
        reduction="umap", n_neighbors=n_neighbors, n_components=min(5, n_units - 2),
        umap_init="spectral" if n_units >= SPECTRAL_INIT_MIN_UNITS else "random",
    )
    if asked == "auto":
        min_cluster_size = _clamp(n_units / 30, 3, 100)
        return BertopicParameters(
            n_units=n_units, n_distinct=n_distinct, **reduction, clustering="hdbscan",
            min_cluster_size=min_cluster_size, min_samples=max(1, min_cluster_size // 2),
            n_clusters=None, reduce_outliers=True,
        )
    return BertopicParameters(
        n_units=n_units, n_distinct=n_distinct, **reduction, clustering="kmeans",
        min_cluster_size=None, min_samples=None, n_clusters=min(int(asked), n_distinct),
        reduce_outliers=False,
    )


def _precomputed_only():
    """BERTopic's embedding model stand-in: every embedding is precomputed, none is ever made here."""
    from bertopic.backend import BaseEmbedder

    class PrecomputedOnly(BaseEmbedder):
        def embed(self, documents, verbose: bool = False):
            raise RuntimeError("topicmap gives BERTopic precomputed embeddings; it must not embed anything")

    return PrecomputedOnly()


CLUSTERINGS = ("hdbscan", "kmeans")


class BertopicTopicModel(TopicModel):
    """BERTopic on the units' embeddings: UMAP, then ``clustering``.

    ``clustering="hdbscan"`` (BERTopic's own) finds the number of topics itself: ``n_topics`` must be
    "auto". ``clustering="kmeans"`` takes ``n_topics`` as an int, as BERTopic's documentation does to fix
    the number of topics. Nothing is swapped silently: any other pairing is a ValueError.
    """

    name = "bertopic"

    def __init__(self, n_topics: int | str = "auto", clustering: str = "hdbscan", center_languages: bool = False,
                 n_top_words: int = 10, n_representative: int = 3, random_state: int = 42) -> None:
        self.n_topics = n_topics
        self.clustering = clustering
        self.center_languages = center_languages
        self.n_top_words = n_top_words
        self.n_representative = n_representative
        self.random_state = random_state

    def fit(self, representations, y=None) -> "BertopicTopicModel":
        from bertopic import BERTopic
        from sklearn.feature_extraction.text import CountVectorizer

        if self.clustering not in CLUSTERINGS:
            raise ValueError(f"clustering must be one of {', '.join(CLUSTERINGS)}, not {self.clustering!r}")
        if (self.clustering == "hdbscan") != (self.n_topics == "auto"):
            raise ValueError(f"clustering={self.clustering!r} with n_topics={self.n_topics!r}: HDBSCAN finds the number "
                             "of topics itself (n_topics='auto'); to fix it, use clustering='kmeans' with an int")
        space = np.asarray(representations.embeddings, dtype=np.float64)
        if self.center_languages:
            space = LanguageNeutralizer("center", random_state=self.random_state).fit_transform(space, representations.langs)
        parameters = derive_parameters(len(space), _n_distinct_rows(space), self.n_topics)
        documents = [" ".join(words) or "emptydoc" for words in representations.words]
        model = BERTopic(embedding_model=_precomputed_only(), umap_model=_reduction_model(parameters, self.random_state),
                         hdbscan_model=_clustering_model(parameters, self.random_state),
                         vectorizer_model=CountVectorizer(token_pattern=r"\S+", lowercase=False),
                         calculate_probabilities=False, verbose=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # UMAP's "n_jobs overridden by random_state" and friends
            topics = np.asarray(model.fit_transform(documents, embeddings=space)[0])
            outliers_before = float((topics == OUTLIER).mean())
            if parameters.reduce_outliers and (topics == OUTLIER).any() and (topics != OUTLIER).any():
                topics = np.asarray(model.reduce_outliers(documents, list(topics), strategy="embeddings",
                                                          embeddings=space))
        self.model_ = model
        self.labels_ = renumber_by_size(topics)
        described = describe_topics(self.labels_, representations, self.n_top_words, self.n_representative, space=space)
        params = {**self.get_params(), **parameters.to_dict(), "n_topics_found": int(len(set(self.labels_) - {OUTLIER})),
                  "outlier_share_before_reduction": round(outliers_before, 6)}
        self.result_ = TopicResult(self.name, described, pd.DataFrame({"id": representations.ids, "topic": self.labels_}),
                                   params, space=space.astype(np.float32))
        return self


class HdbscanOrKMeans(ClusterMixin, BaseEstimator):
    """HDBSCAN, falling back to KMeans when HDBSCAN finds no cluster at all (all outliers).

    A corpus without dense regions would otherwise leave BERTopic with only the outlier topic.
    ``fell_back_`` records whether the fallback was used.
    """

    def __init__(self, min_cluster_size: int = 5, min_samples: int | None = None,
                 n_fallback_clusters: int = 2, random_state: int = 0) -> None:
        self.min_cluster_size = min_cluster_size
        self.min_samples = min_samples
        self.n_fallback_clusters = n_fallback_clusters
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: Any = None) -> "HdbscanOrKMeans":
        from hdbscan import HDBSCAN

        X = np.asarray(X, dtype=np.float64)
        self.fell_back_ = False
        try:
            self.labels_ = HDBSCAN(min_cluster_size=min(self.min_cluster_size, len(X)),
                                   min_samples=self.min_samples).fit(X).labels_
        except ValueError as error:  # degenerate inputs (e.g. all points equal)
            log.warning("HDBSCAN failed (%s); falling back to KMeans", error)
            self.labels_ = np.full(len(X), OUTLIER)
        if (self.labels_ == OUTLIER).all():
            self.fell_back_ = True
            k = max(1, min(self.n_fallback_clusters, _n_distinct_rows(X)))
            self.labels_ = KMeans(n_clusters=k, n_init=KMEANS_N_INIT, random_state=self.random_state).fit(X).labels_
        return self


def _n_distinct_rows(vectors: np.ndarray) -> int:
    """Number of different rows, to 5 decimals (near-identical embeddings count once)."""
    if len(vectors) == 0:
        return 0
    return int(len(np.unique(np.round(np.asarray(vectors, dtype=np.float64), 5), axis=0)))


def _reduction_model(parameters: BertopicParameters, seed: int):
    from bertopic.dimensionality import BaseDimensionalityReduction
    from umap import UMAP

    if parameters.reduction == "none":
        return BaseDimensionalityReduction()
    return UMAP(
        n_neighbors=parameters.n_neighbors, n_components=parameters.n_components, min_dist=0.0,
        metric="cosine", init=parameters.umap_init, random_state=seed, low_memory=False,
    )


def _clustering_model(parameters: BertopicParameters, seed: int):
    if parameters.clustering == "kmeans":
        return KMeans(n_clusters=parameters.n_clusters, n_init=KMEANS_N_INIT, random_state=seed)
    n_fallback = max(2, min(10, parameters.n_units // max(parameters.min_cluster_size, 1)))
    return HdbscanOrKMeans(parameters.min_cluster_size, parameters.min_samples, n_fallback, seed)


