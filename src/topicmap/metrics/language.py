"""Metrics, step 3: are the topics cross-lingual? Shared topics and nearest cross-language pairs.

Both measures compare the corpus's two most frequent languages of those holding 5% of the units or more
(``compared_languages``), whatever they are.
The pair measure uses the RAW multilingual embeddings, whatever space a model clustered in, so every
model is measured on the same pairs; it is partly circular for models that cluster those very
embeddings, which is why the report also lets a reader check themes by their paragraphs.
"""

from __future__ import annotations

import math

import numpy as np

from ..topics.base import OUTLIER
from ..topics.words import compared_languages

#: Rows of the similarity matrix computed at once: memory stays bounded on large corpora.
CHUNK = 2048
#: Units of the smaller language whose nearest neighbour is looked up at most (a seeded sample beyond).
MAX_PAIR_SOURCES = 5000


def bilingual_topic_share(labels: np.ndarray, langs: np.ndarray) -> float:
    """Share of (non-outlier) topics holding at least one unit of each of the two main languages."""
    labels, langs = np.asarray(labels), np.asarray(langs)
    pair = compared_languages(langs)
    topics = sorted(set(labels.tolist()) - {OUTLIER})
    if len(pair) < 2 or not topics:
        return math.nan
    return float(np.mean([all((langs[labels == t] == lang).any() for lang in pair) for t in topics]))


def nearest_across(embeddings: np.ndarray, source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """For each row index in ``source``, the index in ``target`` of its nearest row by cosine."""
    unit = embeddings / np.linalg.norm(embeddings, axis=1, keepdims=True).clip(min=1e-12)
    found = np.empty(len(source), dtype=int)
    for start in range(0, len(source), CHUNK):
        block = source[start:start + CHUNK]
        found[start:start + CHUNK] = target[np.argmax(unit[block] @ unit[target].T, axis=1)]
    return found


def cross_lingual_pair_agreement(labels: np.ndarray, embeddings: np.ndarray, langs: np.ndarray, seed: int = 0) -> float:
    """Share of units of the less frequent main language whose nearest unit of the other shares their topic.

    "Nearest" is by cosine of the raw multilingual embeddings, so a pair is two units on the same
    theme in two languages; a cross-lingual model puts both in one topic. An outlier shares no topic.
    NaN when the corpus has fewer than two languages. Beyond ``MAX_PAIR_SOURCES`` units, a sample drawn with ``seed``.
    """
    labels, langs = np.asarray(labels), np.asarray(langs)
    pair = compared_languages(langs)
    if len(pair) < 2:
        return math.nan
    source, target = np.flatnonzero(langs == pair[1]), np.flatnonzero(langs == pair[0])
    if len(source) > MAX_PAIR_SOURCES:
        source = np.sort(np.random.RandomState(seed).choice(source, MAX_PAIR_SOURCES, replace=False))
    nearest = nearest_across(np.asarray(embeddings, dtype=np.float32), source, target)
    return float(np.mean((labels[source] == labels[nearest]) & (labels[source] != OUTLIER)))
