"""Step 4a of the chain: the bilingual NMF baseline, one topic per paragraph.

Paragraphs are preprocessed in their own language (see preprocessing), weighted with TF-IDF
over unigrams and bigrams, and factorised as X ≈ W H with scikit-learn's NMF (nndsvda
initialisation, so the result depends on the data and ``settings.seed`` only). Each paragraph
goes to the topic of its largest weight in W. Topics are numbered by decreasing size, so
topic 0 is the largest, as in BERTopic.
"""

from __future__ import annotations

import logging
import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer

from .config import Settings
from .metrics import npmi_coherence, topic_diversity
from .preprocessing import Preprocessor, preprocessor_from, readable
from .topics import Topic, TopicModelResult, language_counts

log = logging.getLogger(__name__)

#: Enough for coordinate descent to reach its tolerance on corpora of a few thousand paragraphs.
NMF_MAX_ITER = 2000
#: Words per topic scored by NPMI when choosing the number of topics.
COHERENCE_TOP_N = 10
#: Mean coherences closer than this count as a tie (then the smaller k wins).
COHERENCE_TIE = 1e-6
#: Terms used by fewer paragraphs are dropped before NMF (see paragraph_tfidf).
MIN_PARAGRAPHS_PER_TERM = 2


@dataclass
class ParagraphTfidf:
    """The paragraphs' TF-IDF matrix with its terms and the token strings it was built from."""

    matrix: sparse.csr_matrix
    terms: list[str]
    token_strings: list[str]
    preprocessor: Preprocessor
    #: a term is kept when at least this many paragraphs use it
    min_df: int


def paragraph_tfidf(paragraphs: pd.DataFrame, settings: Settings) -> ParagraphTfidf:
    """TF-IDF (unigrams and bigrams) of each paragraph's preprocessed tokens.

    Only terms used in at least ``MIN_PARAGRAPHS_PER_TERM`` paragraphs are kept: a term of a
    single paragraph cannot link paragraphs into a theme, and its perfect co-occurrence with
    its neighbours inflates NPMI, which would push the choice of k up. A corpus too small to
    have such terms keeps every term.
    """
    if paragraphs is None or len(paragraphs) == 0:
        raise ValueError("no paragraphs to model: the corpus is empty; check settings.corpus_dir")
    preprocessor = preprocessor_from(settings)
    token_strings = preprocessor.transform(paragraphs["text"].tolist(), paragraphs["lang"].tolist())
    for min_df in (MIN_PARAGRAPHS_PER_TERM, 1):
        vectorizer = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2), min_df=min_df)
        try:
            matrix = vectorizer.fit_transform(token_strings)
        except ValueError:  # scikit-learn's "empty vocabulary" (or min_df pruning every term)
            continue
        return ParagraphTfidf(sparse.csr_matrix(matrix), vectorizer.get_feature_names_out().tolist(),
                              token_strings, preprocessor, min_df)
    raise ValueError(
        f"no term left in {len(paragraphs)} paragraphs after preprocessing: every word is a "
        "stop word or too short; check the corpus language and settings.domain_stop_words"
    )


def largest_k(tfidf: ParagraphTfidf) -> int:
    """The most topics the data allows: no more than paragraphs, nor than terms."""
    n_paragraphs, n_terms = tfidf.matrix.shape
    return max(1, min(n_paragraphs, n_terms))


def factorise(tfidf: ParagraphTfidf, k: int, seed: int) -> tuple[np.ndarray, np.ndarray, NMF]:
    """W (paragraphs x k) and H (k x terms) of an NMF with ``k`` components."""
    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=NMF_MAX_ITER)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        w = model.fit_transform(tfidf.matrix)
    for warning in caught:
        if issubclass(warning.category, ConvergenceWarning):
            log.warning("NMF with k=%d did not converge in %d iterations", k, NMF_MAX_ITER)
    return w, model.components_, model


def ranked(weights: np.ndarray, names: list[str], n: int) -> list[int]:
    """Indices of the ``n`` largest positive weights, ties broken by name (deterministic)."""
    candidates = np.flatnonzero(weights > 0)
    return sorted(candidates, key=lambda i: (-round(float(weights[i]), 12), names[i]))[:n]


def top_terms_of(h: np.ndarray, terms: list[str], n: int) -> list[list[str]]:
    """Each component's ``n`` heaviest terms (as the vectorizer wrote them)."""
    return [[terms[i] for i in ranked(row, terms, n)] for row in h]


def choose_n_topics(paragraphs: pd.DataFrame, settings: Settings) -> tuple[int, pd.DataFrame]:
    """The k in ``settings.nmf_topic_range`` (inclusive) with the highest mean NPMI of top-10 words.

    Ties (within ``COHERENCE_TIE``) go to the smaller k, the simpler model. The range is
    clamped to what the data allows; scores has one row per k tried: k, coherence (mean
    NPMI over topics that could be scored), diversity, and whether it was chosen.
    """
    tfidf = paragraph_tfidf(paragraphs, settings)
    return _choose_k(tfidf, settings)


def _candidate_ks(settings: Settings, limit: int) -> list[int]:
    low, high = sorted(settings.nmf_topic_range)
    low, high = max(1, min(low, limit)), max(1, min(high, limit))
    return list(range(low, high + 1))


def _choose_k(tfidf: ParagraphTfidf, settings: Settings) -> tuple[int, pd.DataFrame]:
    rows = []
    for k in _candidate_ks(settings, largest_k(tfidf)):
        _, h, _ = factorise(tfidf, k, settings.seed)
        words = top_terms_of(h, tfidf.terms, COHERENCE_TOP_N)
        scores = [s for s in npmi_coherence(words, tfidf.token_strings) if not math.isnan(s)]
        rows.append({
            "k": k,
            "coherence": float(np.mean(scores)) if scores else math.nan,
            "diversity": topic_diversity(words, COHERENCE_TOP_N),
        })
    table = pd.DataFrame(rows, columns=["k", "coherence", "diversity"])
    best = table["coherence"].max()
    if math.isnan(best):
        chosen = int(table["k"].min())
    else:
        chosen = int(table.loc[table["coherence"] >= best - COHERENCE_TIE, "k"].min())
    table["chosen"] = table["k"] == chosen
    return chosen, table


def topic_label(words: list[str], n: int = 3) -> str:
    """The topic's first ``n`` words joined by " / ", a word giving way to a top-five bigram holding it.

    "united", "states", "united states", "countries" gives "united states / countries / ...".
    """
    bigrams = [w for w in words[:5] if " " in w]
    kept = [w for w in words if not any(w != b and w in b.split(" ") for b in bigrams)]
    return " / ".join(kept[:n])


def _words_by_language(
    tfidf: ParagraphTfidf, members: np.ndarray, langs: np.ndarray, forms_by_lang: dict[str, dict[str, str]], n: int
) -> dict[str, list[tuple[str, float]]]:
    """Per language: the terms with the highest mean TF-IDF over the topic's paragraphs in that language."""
    words: dict[str, list[tuple[str, float]]] = {}
    for lang in sorted(set(langs[members])):
        rows = members[langs[members] == lang]
        mean = np.asarray(tfidf.matrix[rows].mean(axis=0)).ravel()
        words[str(lang)] = [(readable(tfidf.terms[i], forms_by_lang[lang]), float(mean[i]))
                            for i in ranked(mean, tfidf.terms, n)]
    return words


def fit_nmf(paragraphs: pd.DataFrame, settings: Settings) -> TopicModelResult:
    """Fit NMF on the paragraphs; ``settings.nmf_topics`` topics, or the k ``choose_n_topics`` picks.

    Every paragraph is assigned to its argmax topic in W, including paragraphs whose row is
    all zeros (no term survived preprocessing, or no topic uses its terms); those go to topic 0
    before renumbering, and ``params["n_zero_rows"]`` says how many there were.
    ``words_by_lang`` lists, for each language, the terms with the highest mean TF-IDF over the
    topic's paragraphs in that language: what its French and its English paragraphs say.
    """
    tfidf = paragraph_tfidf(paragraphs, settings)
    limit = largest_k(tfidf)
    scores = None
    if settings.nmf_topics is not None:
        requested = int(settings.nmf_topics)
        if requested < 1:
            raise ValueError(f"settings.nmf_topics must be at least 1, not {requested}")
        k = min(requested, limit)
        if k < requested:
            log.warning("asked for %d NMF topics but the data allows at most %d; using %d", requested, limit, k)
        chosen_by = "settings.nmf_topics"
    else:
        requested = None
        k, scores = _choose_k(tfidf, settings)
        chosen_by = "npmi_coherence"

    w, h, model = factorise(tfidf, k, settings.seed)
    zero_rows = ~(w > 0).any(axis=1)
    raw_topic = np.argmax(w, axis=1)

    # Renumber by decreasing size (ties: original component order), topic 0 the largest.
    sizes = np.bincount(raw_topic, minlength=k)
    order = sorted(range(k), key=lambda t: (-sizes[t], t))
    new_id = {old: new for new, old in enumerate(order)}
    topic_of = np.array([new_id[t] for t in raw_topic], dtype=int)
    w, h = w[:, order], h[order]

    texts, langs = paragraphs["text"].tolist(), paragraphs["lang"].astype(str).to_numpy()
    ids = paragraphs["id"].astype(str).to_numpy()
    forms = tfidf.preprocessor.display_forms(texts, langs.tolist())
    forms_by_lang = {}
    for lang in sorted(set(langs)):
        in_lang = np.flatnonzero(langs == lang)
        forms_by_lang[lang] = tfidf.preprocessor.display_forms([texts[i] for i in in_lang], [lang] * len(in_lang))
    assignments = pd.DataFrame({"id": ids, "topic": topic_of})
    lang_series = pd.Series(langs)

    topics = []
    for t in range(k):
        members = np.flatnonzero(topic_of == t)
        # A stem shared by both languages ("technolog") is written as the topic's paragraphs write it.
        own_forms = {**forms, **tfidf.preprocessor.display_forms([texts[i] for i in members], langs[members].tolist())}
        words = [(readable(tfidf.terms[i], own_forms), float(h[t, i])) for i in ranked(h[t], tfidf.terms, settings.n_top_words)]
        best = sorted(members, key=lambda i: (-round(float(w[i, t]), 12), i))[: settings.n_representative]
        topics.append(Topic(
            id=t,
            size=int(len(members)),
            label=topic_label([word for word, _ in words]) or f"topic {t}",
            words=words,
            words_by_lang=_words_by_language(tfidf, members, langs, forms_by_lang, settings.n_top_words),
            n_by_lang=language_counts(assignments, lang_series, t),
            representative_ids=[str(ids[i]) for i in best],
        ))

    raw_words = top_terms_of(h, tfidf.terms, COHERENCE_TOP_N)
    coherence = npmi_coherence(raw_words, tfidf.token_strings)
    params = {
        "n_topics": k,
        "n_topics_requested": requested,
        "n_topics_chosen_by": chosen_by,
        "n_topics_limit": limit,
        "n_paragraphs": int(len(paragraphs)),
        "n_terms": int(len(tfidf.terms)),
        "n_zero_rows": int(zero_rows.sum()),
        "ngram_range": [1, 2],
        "min_df": tfidf.min_df,
        "init": "nndsvda",
        "max_iter": NMF_MAX_ITER,
        "n_iter": int(model.n_iter_),
        "reconstruction_err": float(model.reconstruction_err_),
        "seed": settings.seed,
        "stem": settings.stem,
        "domain_stop_words": list(settings.domain_stop_words),
        "coherence_npmi": [_json_number(s) for s in coherence],
        "mean_coherence_npmi": _json_number(_nanmean(coherence)),
        "diversity": _json_number(topic_diversity(raw_words, COHERENCE_TOP_N)),
        "k_scores": None if scores is None else [
            {"k": int(r.k), "coherence": _json_number(r.coherence), "diversity": _json_number(r.diversity)}
            for r in scores.itertuples()
        ],
    }
    return TopicModelResult(method="nmf", topics=topics, assignments=assignments, params=params)


def _nanmean(values: list[float]) -> float:
    kept = [v for v in values if not math.isnan(v)]
    return float(np.mean(kept)) if kept else math.nan


def _json_number(value: float) -> float | None:
    """A float rounded for JSON, or None for NaN (which JSON cannot hold)."""
    return None if value is None or math.isnan(value) else round(float(value), 6)
