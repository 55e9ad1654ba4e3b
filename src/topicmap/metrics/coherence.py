"""Metrics, step 1: are a topic's words used together? NPMI coherence, per language, and diversity.

NPMI is gensim's ``CoherenceModel(coherence="c_npmi")`` with co-occurrence counted within whole
units (the sliding window is as long as the longest unit). French and English words never share a
paragraph, so NPMI over both languages at once penalises exactly the cross-lingual topics;
``npmi_by_language`` therefore scores a topic's French words on the French units and its English
words on the English units, then averages the languages weighted by the topic's units in each.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from gensim.corpora import Dictionary
from gensim.models.coherencemodel import CoherenceModel

#: Units sampled (seeded) for coherence on large corpora: co-occurrence estimates settle long before.
MAX_UNITS_FOR_COHERENCE = 5000


def npmi_coherence(topic_words: Sequence[Sequence[str]], texts: Sequence[Sequence[str]]) -> list[float]:
    """NPMI coherence of each topic's words over ``texts`` (each a unit's terms: words and n-grams).

    Words absent from the texts are skipped; a topic left with fewer than two words gets NaN.
    Scores lie in [-1, 1]; higher means the words appear together more than chance.
    """
    texts = [list(t) for t in texts if len(t)]
    if not texts:
        return [math.nan] * len(topic_words)
    dictionary = Dictionary(texts)
    known = [[w for w in words if w in dictionary.token2id] for words in topic_words]
    scorable = [i for i, words in enumerate(known) if len(words) >= 2]
    scores = [math.nan] * len(topic_words)
    if not scorable:
        return scores
    model = CoherenceModel(topics=[known[i] for i in scorable], texts=texts, dictionary=dictionary,
                           coherence="c_npmi", window_size=max(len(t) for t in texts), processes=1)
    for i, score in zip(scorable, model.get_coherence_per_topic()):
        scores[i] = float(score)
    return scores


def coherence_sample(n_units: int, seed: int = 0) -> np.ndarray:
    """Rows to count co-occurrences on: all of them, or a seeded sample on large corpora."""
    if n_units <= MAX_UNITS_FOR_COHERENCE:
        return np.arange(n_units)
    return np.sort(np.random.RandomState(seed).choice(n_units, MAX_UNITS_FOR_COHERENCE, replace=False))


def npmi_by_language(topics, representations, top_n: int = 10, seed: int = 0) -> list[float]:
    """Each topic's NPMI with its words of each language scored on that language's units, weighted by size.

    ``topics`` are ``Topic`` objects (outliers excluded by the caller). A language in which a topic has
    fewer than two scorable words does not count for that topic.
    """
    rows = coherence_sample(len(representations), seed)
    langs, terms = representations.langs[rows], [representations.terms[i] for i in rows]
    scores = np.full(len(topics), np.nan)
    weighted = {i: [] for i in range(len(topics))}
    for lang in sorted(set(langs.tolist())):
        texts = [t for t, lg in zip(terms, langs) if lg == lang]
        words = [[w for w, _ in topic.words_by_lang.get(lang, [])[:top_n]] for topic in topics]
        for i, value in enumerate(npmi_coherence(words, texts)):
            if not math.isnan(value):
                weighted[i].append((value, topics[i].n_by_lang.get(lang, 0)))
    for i, parts in weighted.items():
        total = sum(n for _, n in parts)
        if parts and total > 0:
            scores[i] = sum(v * n for v, n in parts) / total
    return scores.tolist()


def topic_diversity(topic_words: Sequence[Sequence[str]], top_n: int = 10) -> float:
    """Share of unique words among all topics' top ``top_n`` words (1 = no word shared)."""
    words = [w for topic in topic_words for w in list(topic)[:top_n]]
    return len(set(words)) / len(words) if words else math.nan
