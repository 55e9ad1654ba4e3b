"""Evaluation metrics: coherence, diversity, stability across seeds, language mixing, method choice."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from topicmap.metrics import (
    assignment_agreement, bilingual_topic_share, choose_method, cross_lingual_pair_agreement,
    matched_word_overlap, npmi_coherence, stability, topic_diversity,
)
from topicmap.topics import Topic, TopicModelResult

PARAGRAPHS = ["energy grid power plant", "energy grid power", "chips export control sanctions",
              "chips export control", "energy power plant", "chips sanctions export"]


def result(assign: list[int], words: dict[int, list[str]], ids: list[str] | None = None) -> TopicModelResult:
    ids = ids or [f"p{i}" for i in range(len(assign))]
    topics = [Topic(id=t, size=assign.count(t), label=" / ".join(w[:2]), words=[(x, 1.0) for x in w])
              for t, w in words.items()]
    return TopicModelResult("test", topics, pd.DataFrame({"id": ids, "topic": assign}))


def test_words_that_always_co_occur_score_higher_npmi_than_words_that_never_do():
    together, apart = npmi_coherence([["energy", "grid", "power"], ["energy", "sanctions"]], PARAGRAPHS)
    assert together > 0.3
    assert apart < -0.9  # gensim smooths with an epsilon, so never-together is close to, not at, -1


def test_npmi_skips_unknown_words_and_gives_nan_below_two_known_words():
    scores = npmi_coherence([["energy", "grid", "unknownword"], ["unknownword", "energy"]], PARAGRAPHS)
    assert scores[0] > 0
    assert math.isnan(scores[1])


def test_npmi_counts_bigram_topic_words():
    assert npmi_coherence([["export control", "chips"]], PARAGRAPHS)[0] > 0


def test_topic_diversity_is_the_share_of_unique_top_words():
    assert topic_diversity([["a", "b"], ["a", "c"]]) == 0.75
    assert topic_diversity([["a", "b"], ["c", "d"]]) == 1.0


def test_identical_runs_are_perfectly_stable():
    run = result([0, 0, 1, 1], {0: ["energy", "grid"], 1: ["chips", "export"]})
    summary = stability([run, run, run])
    assert summary["mean_pairwise_ari"] == pytest.approx(1.0)
    assert summary["mean_matched_word_overlap"] == pytest.approx(1.0)
    assert summary["topic_overlap"] == {0: 1.0, 1: 1.0}


def test_relabelled_topics_are_matched_by_their_words_not_their_ids():
    first = result([0, 0, 1, 1], {0: ["energy", "grid"], 1: ["chips", "export"]})
    swapped = result([1, 1, 0, 0], {1: ["energy", "grid"], 0: ["chips", "export"]})
    assert assignment_agreement(first, swapped) == pytest.approx(1.0)
    assert matched_word_overlap(first, swapped) == {0: 1.0, 1: 1.0}


def test_a_topic_that_vanishes_under_another_seed_scores_low_overlap():
    first = result([0, 0, 1, 1], {0: ["energy", "grid"], 1: ["chips", "export"]})
    other = result([0, 0, 0, 0], {0: ["energy", "grid"]})
    assert matched_word_overlap(first, other) == {0: 1.0, 1: 0.0}


def test_stability_needs_two_runs():
    with pytest.raises(ValueError):
        stability([result([0], {0: ["a"]})])


def test_bilingual_share_counts_topics_holding_both_languages():
    run = result([0, 0, 1, 1], {0: ["a"], 1: ["b"]})
    assert bilingual_topic_share(run, pd.Series(["fr", "en", "en", "en"])) == 0.5


def test_cross_lingual_pairs_agree_when_nearest_translations_share_a_topic():
    embeddings = np.array([[1.0, 0.0], [0.0, 1.0], [0.9, 0.1], [0.1, 0.9]])
    langs = pd.Series(["fr", "fr", "en", "en"])
    together = result([0, 1, 0, 1], {0: ["a"], 1: ["b"]})
    split_by_language = result([0, 0, 1, 1], {0: ["a"], 1: ["b"]})
    assert cross_lingual_pair_agreement(together, embeddings, langs) == 1.0
    assert cross_lingual_pair_agreement(split_by_language, embeddings, langs) == 0.0


def test_cross_lingual_agreement_is_nan_for_a_single_language_corpus():
    run = result([0, 1], {0: ["a"], 1: ["b"]})
    assert math.isnan(cross_lingual_pair_agreement(run, np.eye(2), pd.Series(["en", "en"])))


def test_the_method_with_better_scores_on_every_criterion_is_chosen():
    good = {"npmi_mean": 0.2, "topic_diversity": 0.9, "stability_ari": 0.8, "stability_word_overlap": 0.9,
            "cross_lingual_pair_agreement": 0.7, "outlier_share": 0.0}
    bad = {k: (v / 2 if k != "outlier_share" else 0.4) for k, v in good.items()}
    chosen, scores = choose_method({"bad": bad, "good": good})
    assert chosen == "good"
    assert scores["good"] > scores["bad"]
