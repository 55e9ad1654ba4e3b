"""Step 6 of the chain: how good and how stable are the topics (coherence, diversity, stability)."""

from __future__ import annotations

import logging
import math
from typing import Sequence

from gensim.corpora import Dictionary
from gensim.models.coherencemodel import CoherenceModel

log = logging.getLogger(__name__)


def _with_bigrams(tokens: list[str]) -> list[str]:
    """A paragraph's tokens plus its adjacent bigrams ("open source"), so n-gram topic words count."""
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


def npmi_coherence(topic_words: Sequence[Sequence[str]], token_strings: Sequence[str]) -> list[float]:
    """NPMI coherence of each topic's words, co-occurrence counted within whole paragraphs.

    Uses gensim's ``CoherenceModel(coherence="c_npmi")`` on the corpus's own preprocessed
    paragraphs (space-joined tokens, as ``Preprocessor.transform`` makes them), with the
    sliding window as long as the longest paragraph so that a window is a paragraph.
    Words absent from the corpus are skipped; a topic left with fewer than two words gets NaN.
    Scores lie in [-1, 1]; higher means the words appear together more than chance.
    """
    texts = [_with_bigrams(line.split()) for line in token_strings]
    texts = [t for t in texts if t]
    if not texts:
        return [math.nan] * len(topic_words)
    dictionary = Dictionary(texts)
    known = [[w for w in words if w in dictionary.token2id] for words in topic_words]
    scorable = [i for i, words in enumerate(known) if len(words) >= 2]
    scores = [math.nan] * len(topic_words)
    if not scorable:
        return scores
    model = CoherenceModel(
        topics=[known[i] for i in scorable],
        texts=texts,
        dictionary=dictionary,
        coherence="c_npmi",
        window_size=max(len(t) for t in texts),
        processes=1,
    )
    for i, score in zip(scorable, model.get_coherence_per_topic()):
        scores[i] = float(score)
    return scores


def topic_diversity(topic_words: Sequence[Sequence[str]], top_n: int = 10) -> float:
    """Share of unique words among all topics' top ``top_n`` words (1 = no word shared)."""
    words = [w for topic in topic_words for w in list(topic)[:top_n]]
    return len(set(words)) / len(words) if words else math.nan
