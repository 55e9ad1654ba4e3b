"""Step 6 of the chain: how good and how stable are the topics (coherence, diversity, stability)."""

from __future__ import annotations

import logging
import math
from itertools import combinations
from typing import Sequence

import numpy as np
import pandas as pd
from gensim.corpora import Dictionary
from gensim.models.coherencemodel import CoherenceModel
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score

from .topics import OUTLIER, TopicModelResult

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


def _jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a | b else 0.0


def matched_word_overlap(reference: TopicModelResult, other: TopicModelResult, top_n: int = 10) -> dict[int, float]:
    """For each topic of ``reference``, the Jaccard overlap of its top words with its match in ``other``.

    Topics are matched one to one by the Hungarian algorithm on word overlap (outliers excluded);
    a reference topic left without a partner scores 0.
    """
    ref_topics = [t for t in reference.topics if t.id != OUTLIER]
    other_topics = [t for t in other.topics if t.id != OUTLIER]
    if not ref_topics:
        return {}
    if not other_topics:
        return {t.id: 0.0 for t in ref_topics}
    overlap = np.array([[_jaccard(r.top_words(top_n), o.top_words(top_n)) for o in other_topics] for r in ref_topics])
    rows, cols = linear_sum_assignment(overlap, maximize=True)
    matched = {ref_topics[r].id: float(overlap[r, c]) for r, c in zip(rows, cols)}
    return {t.id: matched.get(t.id, 0.0) for t in ref_topics}


def assignment_agreement(a: TopicModelResult, b: TopicModelResult) -> float:
    """Adjusted Rand index between two runs' assignments of the same units (1 = identical partition)."""
    merged = a.assignments[["id", "topic"]].merge(b.assignments[["id", "topic"]], on="id", suffixes=("_a", "_b"))
    if len(merged) != len(a.assignments):
        raise ValueError("the two runs did not assign the same units")
    return float(adjusted_rand_score(merged["topic_a"], merged["topic_b"]))


def stability(runs: Sequence[TopicModelResult], top_n: int = 10) -> dict:
    """Stability of a method across runs with different seeds; ``runs[0]`` is the reference run.

    Returns the mean pairwise ARI of the assignments, the mean best-match word overlap over all
    ordered pairs, and per reference topic its mean best-match overlap with the other runs.
    """
    if len(runs) < 2:
        raise ValueError("stability needs at least two runs")
    pairs = list(combinations(range(len(runs)), 2))
    ari = [assignment_agreement(runs[i], runs[j]) for i, j in pairs]
    overlaps = []
    for i, j in pairs:
        for first, second in ((runs[i], runs[j]), (runs[j], runs[i])):
            values = list(matched_word_overlap(first, second, top_n).values())
            overlaps.append(float(np.mean(values)) if values else math.nan)
    per_topic = {
        topic_id: float(np.mean([matched_word_overlap(runs[0], other, top_n)[topic_id] for other in runs[1:]]))
        for topic_id in matched_word_overlap(runs[0], runs[1], top_n)
    }
    return {
        "mean_pairwise_ari": float(np.mean(ari)),
        "mean_matched_word_overlap": float(np.nanmean(overlaps)) if overlaps else math.nan,
        "topic_overlap": per_topic,
        "n_runs": len(runs),
    }


def bilingual_topic_share(result: TopicModelResult, langs: pd.Series, languages: tuple[str, str] = ("fr", "en")) -> float:
    """Share of (non-outlier) topics holding at least one unit of each of ``languages``."""
    topics = [t for t in result.topics if t.id != OUTLIER]
    if not topics:
        return math.nan
    by_topic = pd.DataFrame({"topic": result.assignments["topic"].to_numpy(), "lang": langs.to_numpy()})
    holds = by_topic.groupby("topic")["lang"].agg(lambda s: set(languages) <= set(s))
    return float(np.mean([bool(holds.get(t.id, False)) for t in topics]))


def cross_lingual_pair_agreement(result: TopicModelResult, embeddings: np.ndarray, langs: pd.Series,
                                 source: str = "fr", target: str = "en") -> float:
    """Share of ``source``-language units whose nearest ``target``-language unit shares their topic.

    "Nearest" is by cosine of the multilingual embeddings, so a pair is two paragraphs on the same
    theme in two languages; a cross-lingual model puts both in one topic. NaN if a language is absent.
    """
    langs = langs.to_numpy()
    src, tgt = np.flatnonzero(langs == source), np.flatnonzero(langs == target)
    if len(src) == 0 or len(tgt) == 0:
        return math.nan
    unit = embeddings / np.linalg.norm(embeddings, axis=1, keepdims=True).clip(min=1e-12)
    nearest = tgt[np.argmax(unit[src] @ unit[tgt].T, axis=1)]
    topics = result.assignments["topic"].to_numpy()
    return float(np.mean(topics[src] == topics[nearest]))


#: A theme whose top words overlap less than this (Jaccard, best match) with the other seeds'
#: topics, on average, does not survive a change of seed: the report flags it, not presents it.
STABLE_OVERLAP = 0.5

#: The variants evaluated: name -> (method, settings changes).
VARIANTS: dict[str, tuple[str, dict]] = {
    "nmf": ("nmf", {}),
    "bertopic": ("bertopic", {"center_languages": False}),
    "bertopic_centered": ("bertopic", {"center_languages": True}),
}


def evaluation_seeds(settings) -> list[int]:
    """The analysis seed first (the reference run), then other stability seeds, as many as configured."""
    others = [s for s in settings.stability_seeds if s != settings.seed]
    return [settings.seed, *others][: max(2, len(settings.stability_seeds))]


def describe_method(runs: Sequence[TopicModelResult], token_strings: Sequence[str], langs: pd.Series,
                    embeddings: np.ndarray, top_n: int = 10) -> dict:
    """All metrics of one method: quality of the reference run ``runs[0]``, stability over ``runs``."""
    reference = runs[0]
    topics = [t for t in reference.topics if t.id != OUTLIER]
    words = [t.top_words(top_n) for t in topics]
    npmi = npmi_coherence(words, token_strings)
    stable = stability(runs, top_n)
    return {
        "n_topics": reference.n_topics,
        "outlier_share": reference.outlier_share,
        "npmi_mean": float(np.nanmean(npmi)) if np.isfinite(npmi).any() else math.nan,
        "npmi_per_topic": {str(t.id): v for t, v in zip(topics, npmi)},
        "topic_diversity": topic_diversity(words, top_n),
        "stability_ari": stable["mean_pairwise_ari"],
        "stability_word_overlap": stable["mean_matched_word_overlap"],
        "topic_overlap_across_seeds": {str(k): v for k, v in stable["topic_overlap"].items()},
        "bilingual_topic_share": bilingual_topic_share(reference, langs),
        "cross_lingual_pair_agreement": cross_lingual_pair_agreement(reference, embeddings, langs),
    }


#: The metrics the choice of method weighs, each mapped onto [0, 1] with 1 = better.
CHOICE_CRITERIA = {
    "npmi_mean": lambda v: (v + 1) / 2,
    "topic_diversity": lambda v: v,
    "stability_ari": lambda v: max(v, 0.0),
    "stability_word_overlap": lambda v: v,
    "cross_lingual_pair_agreement": lambda v: v,
    "outlier_share": lambda v: 1 - v,
}


def choose_method(methods: dict[str, dict]) -> tuple[str, dict[str, float]]:
    """The method with the best mean score over CHOICE_CRITERIA (coherence, diversity, stability,
    cross-lingual agreement, coverage), each criterion weighted equally; NaN criteria count 0."""
    scores = {}
    for name, values in methods.items():
        parts = [f(values[key]) if np.isfinite(values[key]) else 0.0 for key, f in CHOICE_CRITERIA.items()]
        scores[name] = float(np.mean(parts))
    return max(sorted(scores), key=lambda name: scores[name]), scores


def evaluate_methods(analysis) -> dict:
    """Fit every variant with every evaluation seed and describe each; the analysis's runs are the references."""
    from tqdm.auto import tqdm

    from .embeddings import embed_texts
    from .pipeline import fit_topics, result_of
    from .preprocessing import preprocessor_from

    settings, paragraphs = analysis.settings, analysis.paragraphs
    token_strings = preprocessor_from(settings).transform(paragraphs["text"].tolist(), paragraphs["lang"].tolist())
    embeddings = embed_texts(paragraphs["text"].tolist(), settings)
    seeds = evaluation_seeds(settings)
    # The analysis already fitted each method once with the analysis settings: reuse those runs.
    fitted = {(settings, "nmf"): analysis.nmf, (settings, "bertopic"): result_of(analysis.bertopic)}
    methods: dict[str, dict] = {}
    with tqdm(total=len(VARIANTS) * len(seeds), desc="evaluation fits", unit="fit", disable=None) as bar:
        for name, (method, changes) in VARIANTS.items():
            runs = []
            for seed in seeds:
                run_settings = settings.replace(seed=seed, **changes)
                known = fitted.get((run_settings, method))
                runs.append(known if known is not None else result_of(fit_topics(paragraphs, run_settings, method)))
                bar.update()
            methods[name] = describe_method(runs, token_strings, paragraphs["lang"], embeddings, settings.n_top_words)
            methods[name]["method"] = method
    chosen, scores = choose_method(methods)
    return {
        "seeds": seeds,
        "top_n_words": settings.n_top_words,
        "stable_overlap_threshold": STABLE_OVERLAP,
        "methods": methods,
        "choice_scores": scores,
        "chosen_method": chosen,
        "choice_criteria": list(CHOICE_CRITERIA),
    }
