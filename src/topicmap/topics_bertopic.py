"""Step 4b of the chain: BERTopic topics on offline multilingual embeddings, sized for small corpora.

BERTopic is configured only by passing components (no fork, no patch):

* embeddings of the RAW paragraphs come from ``embeddings.py`` (USE multilingual by default,
  cached), and the same embedder is passed as ``embedding_model`` so that BERTopic neither
  downloads a model nor strips accents from topic words (it does both without one);
* documents given to BERTopic are the shared bilingual token strings of ``preprocessing.py``,
  read by a ``CountVectorizer(token_pattern=r"\\S+")``: NMF and BERTopic see the same words;
* UMAP, HDBSCAN (or KMeans) and the vectorizer get parameters derived from the corpus size
  by ``derive_parameters``, because BERTopic's defaults assume thousands of documents.
"""

from __future__ import annotations

import logging
import math
import warnings
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any, Iterator, Sequence

import numpy as np
import pandas as pd
from bertopic import BERTopic
from bertopic.backend import BaseEmbedder
from bertopic.dimensionality import BaseDimensionalityReduction
from bertopic.representation import KeyBERTInspired, MaximalMarginalRelevance
from hdbscan import HDBSCAN
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.feature_extraction.text import CountVectorizer
from umap import UMAP

from .config import Settings
from .embeddings import cached_embedder
from .preprocessing import preprocessor_from
from .topics import OUTLIER, Topic, TopicModelResult, language_counts

log = logging.getLogger(__name__)

METHOD = "bertopic"
#: Below this many distinct units, UMAP and HDBSCAN have too few neighbours to mean anything
#: (and UMAP's spectral start fails): cluster the raw embeddings with KMeans instead.
TINY_CORPUS = 15
#: From this many units on, UMAP starts from a spectral layout (better global structure);
#: below, from a random one, which cannot fail on small or disconnected neighbour graphs.
SPECTRAL_INIT_MIN_UNITS = 1000
#: A language is centred only when it has this many units: the mean of one or two is the units.
MIN_UNITS_TO_CENTER = 3
#: BERTopic's placeholder for a document left empty by preprocessing; never a topic word.
EMPTY_DOCUMENT = "emptydoc"
#: Number of topic words a label is made of.
LABEL_WORDS = 3
#: Representations that ``fit_bertopic`` can use; see ``representation_model_for``.
REPRESENTATIONS = ("ctfidf", "keybert", "mmr", "keybert+mmr")
#: The representation kept for the study; see ``representation_model_for`` for why.
DEFAULT_REPRESENTATION = "mmr"
#: MMR's trade-off between relevance (0) and diversity (1) of topic words.
MMR_DIVERSITY = 0.2
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
    min_df: int
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _clamp(value: float, low: int, high: int) -> int:
    return int(max(low, min(high, round(value))))


def derive_parameters(n_units: int, n_distinct: int, settings: Settings) -> BertopicParameters:
    """UMAP, clustering and vectorizer settings that fit a corpus of ``n_units`` (``n_distinct`` different).

    * ``n_neighbors = clamp(sqrt(n), 2, 15)``: about sqrt(n) neighbours keeps local structure in a
      small corpus; 15 (UMAP's default) is enough for any large one.
    * ``n_components = min(5, n - 2)``, ``min_dist = 0``, cosine: BERTopic's choices, kept below n.
    * HDBSCAN ``min_cluster_size = clamp(n / 30, 3, 100)`` and ``min_samples = min_cluster_size // 2``:
      BERTopic's default of 10 yields two topics and ~40% outliers on ~150 paragraphs; a small
      ``min_samples`` lets more paragraphs join a cluster. Remaining outliers are then reassigned
      to the nearest topic centroid (``reduce_outliers``), so every paragraph gets a theme.
    * ``settings.bertopic_topics`` as an int: KMeans with that many clusters (capped at ``n_distinct``).
    * Fewer than ``TINY_CORPUS`` distinct units: no UMAP, KMeans on the embeddings with
      ``ceil(sqrt(n / 2))`` clusters (or the asked number), capped at the distinct units.
    * ``min_df = 1``: BERTopic fits its vectorizer on one joined document per TOPIC, so any
      higher ``min_df`` would drop exactly the words that are specific to one topic.
    """
    if n_units < 1:
        raise ValueError("BERTopic needs at least one paragraph; the table given is empty")
    asked = settings.bertopic_topics
    if not (asked == "auto" or (isinstance(asked, int) and asked >= 1)):
        raise ValueError(f"bertopic_topics must be 'auto' or a positive int, not {asked!r}")
    n_distinct = max(1, n_distinct)
    if n_distinct < TINY_CORPUS:
        wanted = math.ceil(math.sqrt(n_units / 2)) if asked == "auto" else int(asked)
        return BertopicParameters(
            n_units=n_units, n_distinct=n_distinct, reduction="none", n_neighbors=None,
            n_components=None, umap_init=None, clustering="kmeans", min_cluster_size=None,
            min_samples=None, n_clusters=max(1, min(wanted, n_distinct)), reduce_outliers=False,
            min_df=1, note=f"tiny corpus (< {TINY_CORPUS} distinct units): KMeans on the embeddings, no UMAP",
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
            n_clusters=None, reduce_outliers=True, min_df=1,
        )
    return BertopicParameters(
        n_units=n_units, n_distinct=n_distinct, **reduction, clustering="kmeans",
        min_cluster_size=None, min_samples=None, n_clusters=min(int(asked), n_distinct),
        reduce_outliers=False, min_df=1,
    )


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
        X = np.asarray(X, dtype=np.float64)
        self.fell_back_ = False
        try:
            self.labels_ = HDBSCAN(
                min_cluster_size=min(self.min_cluster_size, len(X)), min_samples=self.min_samples,
            ).fit(X).labels_
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


def units_from(paragraphs: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The table of units to model: paragraphs as they are, or one row per document.

    Columns ``id, doc, lang, text``. A document's language is the one most of its words are in.
    """
    if unit == "paragraph":
        return paragraphs[["id", "doc", "lang", "text"]].reset_index(drop=True)
    if unit != "document":
        raise ValueError(f"unit must be 'paragraph' or 'document', not {unit!r}")
    rows = []
    for doc, group in paragraphs.groupby("doc", sort=True):
        words = group.groupby("lang")["n_words"].sum() if "n_words" in group else group["lang"].value_counts()
        lang = sorted(words.items(), key=lambda item: (-item[1], item[0]))[0][0]
        rows.append({"id": doc, "doc": doc, "lang": lang, "text": "\n\n".join(group["text"])})
    return pd.DataFrame(rows, columns=["id", "doc", "lang", "text"])


def center_by_language(embeddings: np.ndarray, langs: Sequence[str]) -> np.ndarray:
    """Subtract each language's mean vector, then re-normalise (``settings.center_languages``).

    Multilingual encoders put a translation near its source but add a language offset shared by
    every sentence of that language; clustering then partly follows language instead of theme.
    Removing each language's mean removes that offset. Languages with fewer than
    ``MIN_UNITS_TO_CENTER`` units, and vectors that centring would make zero, are left as they are.
    """
    centred = np.array(embeddings, dtype=np.float32, copy=True)
    langs = np.asarray(list(langs))
    for lang in sorted(set(langs.tolist())):
        mask = langs == lang
        if mask.sum() >= MIN_UNITS_TO_CENTER:
            centred[mask] -= centred[mask].mean(axis=0)
    norms = np.linalg.norm(centred, axis=1)
    degenerate = norms < 1e-6
    centred[degenerate] = embeddings[degenerate]
    norms[degenerate] = np.linalg.norm(centred[degenerate], axis=1)
    return (centred / np.where(norms == 0, 1.0, norms)[:, None]).astype(np.float32)


def representation_model_for(name: str, settings: Settings) -> list | None:
    """BERTopic representation components for ``name`` (one of ``REPRESENTATIONS``).

    * ``ctfidf``: BERTopic's base words, the highest class-TF-IDF terms of each topic;
    * ``keybert``: KeyBERTInspired re-ranks c-TF-IDF candidates by embedding similarity to the
      topic's representative paragraphs;
    * ``mmr`` (kept): Maximal Marginal Relevance re-ranks the c-TF-IDF words by embedding
      similarity to the topic while penalising near-duplicates ("open", "open source");
    * ``keybert+mmr``: KeyBERTInspired's 3 x n_top_words candidates, then MMR.

    On the seeds ``mmr`` reads best. KeyBERT favours pseudo-bigrams that embed specifically but
    never occur in the text, because the shared tokenizer removes stop words before n-grams
    ("infrastructure ensure", "satellite provide"); plain c-TF-IDF keeps near-duplicates and
    generic words ("technology, integrated"); MMR keeps c-TF-IDF's real words, in both languages
    ("universities, universités, talent"), with fewer repeats.

    The components are passed as a list on purpose: BERTopic 0.17.4 hands precomputed document
    embeddings to a lone KeyBERTInspired with the wrong row indices, while in a list it embeds
    the representative documents itself, correctly, through our (cached) embedding model.
    """
    if name not in REPRESENTATIONS:
        raise ValueError(f"representation must be one of {', '.join(REPRESENTATIONS)}, not {name!r}")
    def keybert(n_words: int) -> KeyBERTInspired:
        return KeyBERTInspired(top_n_words=n_words, random_state=settings.seed)

    mmr = MaximalMarginalRelevance(diversity=MMR_DIVERSITY, top_n_words=settings.n_top_words)
    choices = {
        "ctfidf": None,
        "keybert": [keybert(settings.n_top_words)],
        "mmr": [mmr],
        # KeyBERT passes MMR three times the words needed, so that MMR has something to choose from
        "keybert+mmr": [keybert(3 * settings.n_top_words), mmr],
    }
    return choices[name]


def _reduction_model(parameters: BertopicParameters, seed: int):
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


def map_2d(embeddings: np.ndarray, parameters: BertopicParameters, seed: int) -> np.ndarray:
    """A seeded 2-D projection of the embeddings for the paragraph map (UMAP; PCA for tiny corpora)."""
    n = len(embeddings)
    if parameters.reduction == "none" or n < TINY_CORPUS:
        if n < 2 or _n_distinct_rows(embeddings) < 2:
            return np.zeros((n, 2))
        coords = PCA(n_components=min(2, n - 1), random_state=seed).fit_transform(embeddings)
        return np.hstack([coords, np.zeros((n, 2 - coords.shape[1]))]) if coords.shape[1] < 2 else coords
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return UMAP(
            n_neighbors=parameters.n_neighbors, n_components=2, min_dist=0.1, metric="cosine",
            init=parameters.umap_init, random_state=seed,
        ).fit_transform(embeddings)


@dataclass
class BertopicRun:
    """One BERTopic fit: the common result plus what the BERTopic figures need.

    ``embeddings`` are the raw (L2-normalised) embeddings of ``units``; ``clustered_embeddings``
    the ones BERTopic clustered (centred by language when ``center_languages``);
    ``coordinates`` their seeded 2-D map; ``topic_embeddings`` the normalised centroid of each
    topic of ``result.topics``, in that order.
    """

    result: TopicModelResult
    model: BERTopic
    units: pd.DataFrame
    token_docs: list[str]
    embeddings: np.ndarray
    clustered_embeddings: np.ndarray
    coordinates: np.ndarray
    topic_embeddings: np.ndarray
    parameters: BertopicParameters

    @property
    def topic_ids(self) -> np.ndarray:
        """The topic of every unit, aligned with ``units``."""
        return self.result.assignments["topic"].to_numpy()


def topic_centroids(embeddings: np.ndarray, topic_ids: np.ndarray, topics: list[int]) -> np.ndarray:
    """Normalised mean embedding of each topic in ``topics`` (rows in that order)."""
    rows = []
    for topic in topics:
        centroid = embeddings[topic_ids == topic].mean(axis=0)
        rows.append(centroid / (np.linalg.norm(centroid) or 1.0))
    return np.vstack(rows) if rows else np.zeros((0, embeddings.shape[1]))


def representative_ids(
    embeddings: np.ndarray, topic_ids: np.ndarray, ids: pd.Series, centroid: np.ndarray, topic: int, n: int
) -> list[str]:
    """Ids of the ``n`` units of ``topic`` closest (cosine) to its centroid, closest first."""
    members = np.flatnonzero(topic_ids == topic)
    similarity = embeddings[members] @ centroid
    order = np.argsort(-similarity, kind="stable")[:n]
    return [str(ids.iloc[members[i]]) for i in order]


def _readable_words(words: list[tuple[str, float]], n: int) -> list[tuple[str, float]]:
    """Topic words without BERTopic's empty-document placeholder and empty strings."""
    kept = [(w, float(s)) for w, s in words if w and w != EMPTY_DOCUMENT and EMPTY_DOCUMENT not in w.split()]
    return kept[:n]


def label_from(words: list[tuple[str, float]], n_words: int = LABEL_WORDS) -> str:
    """A short label: the first ``n_words`` topic words, skipping any word contained in one already taken."""
    chosen: list[str] = []
    for word, _ in words:
        parts = set(word.split())
        if any(parts <= set(taken.split()) or set(taken.split()) <= parts for taken in chosen):
            continue
        chosen.append(word)
        if len(chosen) == n_words:
            break
    return ", ".join(chosen) if chosen else "(no words)"


def words_by_language(
    model: BERTopic, token_docs: list[str], topic_ids: np.ndarray, langs: np.ndarray, n_words: int
) -> dict[int, dict[str, list[tuple[str, float]]]]:
    """Top c-TF-IDF words of each topic computed on each language's units alone.

    Uses the fitted vectorizer and the global IDF of the model, without BERTopic's
    ``global_tuning`` (averaging with the all-language words), so French words of a topic
    come from its French paragraphs only. Returns {topic: {lang: [(word, weight), ...]}}.
    """
    table = pd.DataFrame({"doc": token_docs, "topic": topic_ids, "lang": langs})
    found: dict[int, dict[str, list[tuple[str, float]]]] = {}
    vocabulary = model.vectorizer_model.get_feature_names_out()
    for (topic, lang), group in table.groupby(["topic", "lang"], sort=True):
        joined = " ".join(group["doc"])
        if not joined.strip():
            continue
        counts = model.vectorizer_model.transform([joined])
        weights = np.asarray(model.ctfidf_model.transform(counts.astype(np.float64)).todense()).ravel()
        order = np.lexsort((vocabulary, -weights))
        words = [(str(vocabulary[i]), float(weights[i])) for i in order if weights[i] > 0]
        found.setdefault(int(topic), {})[str(lang)] = _readable_words(words, n_words)
    return found


@contextmanager
def _quiet_bertopic_logger() -> Iterator[None]:
    """Silence BERTopic's own logger (its warnings) for the duration of a block."""
    bertopic_log = logging.getLogger("BERTopic")
    level = bertopic_log.level
    bertopic_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        bertopic_log.setLevel(level)


def _fit_model(token_docs: list[str], clustered: np.ndarray, embedder: BaseEmbedder,
               parameters: BertopicParameters, representation: str, settings: Settings
               ) -> tuple[BERTopic, np.ndarray, dict[str, Any]]:
    """Fit BERTopic with the derived components; returns the model, final topic ids and fit facts."""
    vectorizer = CountVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2), min_df=parameters.min_df)
    clustering = _clustering_model(parameters, settings.seed)
    model = BERTopic(
        embedding_model=embedder,
        umap_model=_reduction_model(parameters, settings.seed),
        hdbscan_model=clustering,
        vectorizer_model=vectorizer,
        representation_model=representation_model_for(representation, settings),
        top_n_words=settings.n_top_words,
        calculate_probabilities=False,
        verbose=False,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # UMAP's "n_jobs overridden by random_state" and friends
        topics, _ = model.fit_transform(token_docs, embeddings=clustered)
        topics = np.asarray(topics)
        facts: dict[str, Any] = {
            "clustering_fallback": bool(getattr(clustering, "fell_back_", False)),
            "outlier_share_before_reduction": round(float((topics == OUTLIER).mean()), 6),
        }
        if parameters.reduce_outliers and (topics == OUTLIER).any() and (topics != OUTLIER).any():
            reduced = model.reduce_outliers(token_docs, list(topics), strategy="embeddings", embeddings=clustered)
            with _quiet_bertopic_logger():  # its warning is about later topic reduction, which we never do
                model.update_topics(token_docs, topics=reduced, vectorizer_model=vectorizer,
                                    representation_model=representation_model_for(representation, settings),
                                    top_n_words=settings.n_top_words)
            topics = np.asarray(model.topics_)
    return model, topics, facts


def fit_bertopic(paragraphs: pd.DataFrame, settings: Settings, representation: str = DEFAULT_REPRESENTATION,
                 embedder: BaseEmbedder | None = None) -> BertopicRun:
    """Fit BERTopic on the paragraphs (or documents, ``settings.unit``) with settings derived from their number.

    ``embedder`` replaces the settings' embedding backend (tests); it is always wrapped in the cache.
    The same seed gives the same topics and assignments, in any process.
    """
    units = units_from(paragraphs, settings.unit)
    if units.empty:
        raise ValueError("BERTopic needs at least one paragraph; the table given is empty")
    texts = units["text"].astype(str).tolist()
    langs = units["lang"].astype(str).to_numpy()
    # A paragraph of stop words only becomes BERTopic's own placeholder, never an empty vocabulary.
    token_docs = [doc or EMPTY_DOCUMENT for doc in preprocessor_from(settings).transform(texts, list(langs))]

    cached = cached_embedder(settings, embedder)
    embeddings = cached.embed(texts)
    clustered = center_by_language(embeddings, langs) if settings.center_languages else embeddings
    parameters = derive_parameters(len(units), _n_distinct_rows(clustered), settings)

    model, topic_ids, facts = _fit_model(token_docs, clustered, cached, parameters, representation, settings)
    topic_list = sorted(set(topic_ids.tolist()))
    centroids = topic_centroids(clustered, topic_ids, topic_list)
    assignments = pd.DataFrame({"id": units["id"].astype(str), "topic": topic_ids.astype(int)})
    by_lang = words_by_language(model, token_docs, topic_ids, langs, settings.n_top_words)

    topics = []
    for row, topic in enumerate(topic_list):
        words = _readable_words(list(model.get_topic(topic) or []), settings.n_top_words)
        topics.append(Topic(
            id=int(topic),
            size=int((topic_ids == topic).sum()),
            label="outliers" if topic == OUTLIER else label_from(words),
            words=words,
            words_by_lang=by_lang.get(int(topic), {}),
            n_by_lang=language_counts(assignments, pd.Series(langs), topic),
            representative_ids=representative_ids(
                clustered, topic_ids, units["id"], centroids[row], topic, settings.n_representative),
        ))
    params = {
        **parameters.to_dict(), **facts, "seed": settings.seed, "embedding": settings.embedding,
        "embedding_cache_key": cached.cache_key, "center_languages": settings.center_languages,
        "unit": settings.unit, "representation": representation, "bertopic_topics": settings.bertopic_topics,
    }
    result = TopicModelResult(method=METHOD, topics=topics, assignments=assignments, params=params)
    # BERTopic's own figures (interactive HTML) then show the same labels as ours.
    model.set_topic_labels({topic.id: f"{topic.id}: {topic.label}" for topic in topics})
    return BertopicRun(
        result=result, model=model, units=units, token_docs=token_docs, embeddings=embeddings,
        clustered_embeddings=clustered, coordinates=map_2d(clustered, parameters, settings.seed),
        topic_embeddings=centroids, parameters=parameters,
    )


def language_mixing(result: TopicModelResult, units: pd.DataFrame, embeddings: np.ndarray | None = None
                    ) -> dict[str, Any]:
    """How cross-lingual the topics are, between the corpus's two most frequent languages.

    * ``topics_mixed_share``: share of topics (outliers excluded) holding units of both languages;
    * ``mean_minority_share``: mean over topics of the smaller language's share of the topic;
    * with ``embeddings`` (raw, aligned with ``units``): ``pair_same_topic``, for each unit of the
      first language, whether its nearest unit (cosine) of the second language is in the same
      topic (an outlier shares no topic), averaged; ``pair_same_topic_chance`` is that rate if topics were shuffled within
      each language (sum over topics of the two languages' topic shares multiplied).
    Languages are compared in alphabetical order of the two most frequent ("en", "fr" -> en first).
    """
    merged = units[["id", "lang"]].astype({"id": str}).merge(result.assignments.astype({"id": str}), on="id")
    counts = merged["lang"].value_counts()
    top = sorted(counts.sort_values(ascending=False, kind="stable").index[:2].tolist()) if len(counts) else []
    measures: dict[str, Any] = {"languages": "+".join(top)}
    real = merged[merged["topic"] != OUTLIER]
    if len(top) < 2 or real.empty:
        measures.update(topics_mixed_share=float("nan"), mean_minority_share=float("nan"),
                        pair_same_topic=float("nan"), pair_same_topic_chance=float("nan"))
        return measures
    first, second = top
    table = pd.crosstab(real["topic"], real["lang"]).reindex(columns=top, fill_value=0)
    measures["topics_mixed_share"] = float(((table[first] > 0) & (table[second] > 0)).mean())
    measures["mean_minority_share"] = float((table.min(axis=1) / table.sum(axis=1)).mean())
    if embeddings is None:
        return measures
    langs = units["lang"].to_numpy()
    topic_of = merged.set_index("id")["topic"].reindex(units["id"].astype(str)).to_numpy()
    a, b = np.flatnonzero(langs == first), np.flatnonzero(langs == second)
    nearest = b[np.argmax(embeddings[a] @ embeddings[b].T, axis=1)]
    measures["pair_same_topic"] = float(np.mean((topic_of[a] == topic_of[nearest]) & (topic_of[a] != OUTLIER)))
    share_a = pd.Series(topic_of[a]).value_counts(normalize=True).drop(OUTLIER, errors="ignore")
    share_b = pd.Series(topic_of[b]).value_counts(normalize=True).drop(OUTLIER, errors="ignore")
    measures["pair_same_topic_chance"] = float((share_a * share_b.reindex(share_a.index, fill_value=0)).sum())
    return measures
