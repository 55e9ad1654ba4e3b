"""Metrics, step 1: are a topic's words used together? NPMI coherence, per language, and diversity.

NPMI is gensim's ``CoherenceModel(coherence="c_npmi")`` with co-occurrence counted within whole
units (the sliding window is as long as the longest unit). French and English words never share a
paragraph, so NPMI over both languages at once penalises exactly the cross-lingual topics;
``npmi_by_language`` therefore scores a topic's French words on the French units and its English
words on the English units, then averages the languages weighted by the topic's units in each. The
NPMI and diversity primitives live in ``representations.cooccurrence`` (NMF uses them too).
"""

from __future__ import annotations

import math

import numpy as np

from ..representations.cooccurrence import (MAX_UNITS_FOR_COHERENCE, coherence_sample, npmi_coherence,  # noqa: F401
                                            topic_diversity)


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
