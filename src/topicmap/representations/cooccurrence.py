"""Representations, step 4: how often terms occur together in the units: NPMI coherence and diversity.

The primitives every step that judges a set of words uses: NMF chooses its number of topics by them
(``topics.nmf``), the evaluation scores every model's words by them (``metrics.coherence``). They live
with the representations, below both, so neither step imports the other.

NPMI is gensim's ``CoherenceModel(coherence="c_npmi")`` with co-occurrence counted within whole units (the
sliding window is as long as the longest unit).
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


def topic_diversity(topic_words: Sequence[Sequence[str]], top_n: int = 10) -> float:
    """Share of unique words among all topics' top ``top_n`` words (1 = no word shared)."""
    words = [w for topic in topic_words for w in list(topic)[:top_n]]
    return len(set(words)) / len(words) if words else math.nan
