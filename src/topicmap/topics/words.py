"""What every topic model's topics say: words overall and per language, a bilingual label, quotes.

Whatever grouped the units (NMF, BERTopic, the cross-lingual consensus model), its topics are
described the same way from the one tokenization (``Representations.counts``):

* words: class-based TF-IDF (BERTopic's c-TF-IDF: a term's frequency in the topic, L1-normalised,
  times ``log(1 + A / f)`` with ``A`` the mean number of term occurrences per topic and ``f`` the
  term's frequency over all topics). Written here in a few lines because importing BERTopic for its
  ``ClassTfidfTransformer`` costs seconds of numba start-up in every process;
* words per language: the same weights computed on the topic's units of one language alone, with
  the IDF of the whole corpus, so French words of a theme come from its French paragraphs;
* a word never stands beside an n-gram holding it ("united", "united states"): the better ranked wins;
* label: the best word of each of the two main languages ("universités / universities"), or the
  two best words where the topic has one language;
* representatives: the units closest to the topic's centroid in the model's vector space, or the
  units with the largest ``scores`` (NMF's weights).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from ..representations.tokens import readable
from .base import OUTLIER, Topic, language_counts

LABEL_SEPARATOR = " / "
#: A language names a theme in its label only when it holds at least this share of the theme's units: a
#: handful of paragraphs in the other language would otherwise pair two unrelated words ("trump / rpc").
MIN_LABEL_LANGUAGE_SHARE = 0.2


def class_tfidf(topic_counts: sparse.csr_matrix) -> tuple[sparse.csr_matrix, np.ndarray]:
    """c-TF-IDF of a topics x terms count matrix; returns the weights and the IDF to reuse."""
    counts = sparse.csr_matrix(topic_counts, dtype=np.float64)
    frequency = np.asarray(counts.sum(axis=0)).ravel()
    average = float(counts.sum()) / max(counts.shape[0], 1)
    idf = np.log(1.0 + average / np.where(frequency == 0, 1.0, frequency))
    return weight_with(counts, idf), idf


def weight_with(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """L1-normalised term frequencies of each row times ``idf``."""
    counts = sparse.csr_matrix(counts, dtype=np.float64)
    totals = np.asarray(counts.sum(axis=1)).ravel()
    tf = sparse.diags(1.0 / np.where(totals == 0, 1.0, totals)) @ counts
    return sparse.csr_matrix(tf @ sparse.diags(idf))


def distinct_top_terms(weights: np.ndarray, terms: list[str], n: int) -> list[tuple[str, float]]:
    """The ``n`` heaviest terms, skipping any term that holds, or is held by, a better-ranked one."""
    order = sorted(np.flatnonzero(weights > 0), key=lambda i: (-round(float(weights[i]), 12), terms[i]))
    chosen: list[tuple[str, float]] = []
    for i in order:
        words = terms[i].split(" ")
        if any(_contains(words, taken.split(" ")) or _contains(taken.split(" "), words) for taken, _ in chosen):
            continue
        chosen.append((terms[i], float(weights[i])))
        if len(chosen) == n:
            break
    return chosen


def _contains(longer: list[str], shorter: list[str]) -> bool:
    """Whether ``shorter`` occurs as a contiguous run of words inside ``longer``."""
    width = len(shorter)
    return any(longer[i:i + width] == shorter for i in range(len(longer) - width + 1))


def bilingual_label(words_by_lang: dict[str, list[tuple[str, float]]], languages: list[str],
                    overall: list[tuple[str, float]], n_by_lang: dict[str, int] | None = None) -> str:
    """The best word of each main language that holds a fair share of the theme ("universités / universities"),
    else the best two words of its one language."""
    total = sum((n_by_lang or {}).values())
    if n_by_lang and total:
        languages = [lang for lang in languages if n_by_lang.get(lang, 0) / total >= MIN_LABEL_LANGUAGE_SHARE]
    firsts = [words_by_lang[lang][0][0] for lang in languages if words_by_lang.get(lang)]
    unique = list(dict.fromkeys(firsts))
    if len(unique) >= 2:
        return LABEL_SEPARATOR.join(unique)
    pool = [w for w, _ in (words_by_lang.get(languages[0], []) if len(firsts) == 1 and languages else [])] or \
           [w for w, _ in overall]
    return LABEL_SEPARATOR.join(pool[:2]) or "(no words)"


def main_languages(langs: np.ndarray, n: int = 2) -> list[str]:
    """The ``n`` most frequent languages of the units, most frequent first (ties alphabetical)."""
    counts = pd.Series(langs).value_counts()
    return sorted(counts.index, key=lambda lang: (-counts[lang], lang))[:n]


def describe_topics(labels: np.ndarray, representations, n_words: int, n_representative: int,
                    space: np.ndarray | None = None, scores: np.ndarray | None = None) -> list[Topic]:
    """A ``Topic`` for every topic id in ``labels`` (aligned with the units), outliers included."""
    labels = np.asarray(labels, dtype=int)
    langs, ids = representations.langs, representations.ids
    counts, terms = representations.counts.matrix, representations.counts.terms
    topic_ids = sorted(set(labels.tolist()))
    membership = sparse.csr_matrix(
        (np.ones(len(labels)), ([topic_ids.index(t) for t in labels], np.arange(len(labels)))),
        shape=(len(topic_ids), len(labels)))
    weights, idf = class_tfidf(membership @ counts)
    languages = main_languages(langs)
    topics = []
    for row, topic_id in enumerate(topic_ids):
        members = np.flatnonzero(labels == topic_id)
        forms = representations.display_forms(members)
        overall = [(readable(w, forms), s) for w, s in
                   distinct_top_terms(weights.getrow(row).toarray().ravel(), terms, n_words)]
        by_lang = {}
        for lang in sorted(set(langs[members].tolist())):
            rows = members[langs[members] == lang]
            lang_weights = weight_with(sparse.csr_matrix(counts[rows].sum(axis=0)), idf).toarray().ravel()
            by_lang[lang] = [(readable(w, forms), s) for w, s in distinct_top_terms(lang_weights, terms, n_words)]
        counts_by_lang = language_counts(labels, langs, topic_id)
        topics.append(Topic(
            id=int(topic_id), size=int(len(members)),
            label="outliers" if topic_id == OUTLIER else bilingual_label(by_lang, languages, overall, counts_by_lang),
            words=overall, words_by_lang=by_lang, n_by_lang=counts_by_lang,
            representative_ids=[str(ids[i]) for i in interleaved_by_language(
                members, langs, lambda rows: representatives(rows, space, scores, topic_id, n_representative),
                n_representative)],
        ))
    return topics


def interleaved_by_language(members: np.ndarray, langs: np.ndarray, best, n: int) -> list[int]:
    """The ``n`` best members, taking in turn the best of each language (most frequent language first)."""
    groups = [best(members[langs[members] == lang]) for lang in main_languages(langs[members], n=len(set(langs)))]
    order = [row for rank in zip(*[g + [None] * (n - len(g)) for g in groups]) for row in rank if row is not None]
    return order[:n]


def representatives(members: np.ndarray, space: np.ndarray | None, scores: np.ndarray | None,
                    topic_id: int, n: int) -> list[int]:
    """The ``n`` members closest to the topic centroid in ``space`` (or with the largest ``scores``)."""
    if len(members) == 0:
        return []
    if scores is not None and topic_id != OUTLIER:
        strength = np.asarray(scores)[members, topic_id]
    elif space is not None:
        centroid = np.asarray(space)[members].mean(axis=0)
        strength = np.asarray(space)[members] @ (centroid / (np.linalg.norm(centroid) or 1.0))
    else:
        return members[:n].tolist()
    order = sorted(range(len(members)), key=lambda i: (-round(float(strength[i]), 9), members[i]))
    return [int(members[i]) for i in order[:n]]
