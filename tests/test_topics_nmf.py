"""The NMF baseline: shapes, determinism, every paragraph assigned, k clamped, clear errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from topicmap.config import Settings
from topicmap.topics_nmf import choose_n_topics, fit_nmf, topic_label

SETTINGS = Settings(domain_stop_words=(), nmf_topics=2, n_top_words=4, n_representative=2)

TEXTS = [
    ("a", "en", "Satellites monitor floods and crops from orbit."),
    ("a", "en", "Remote sensing satellites monitor crops and floods."),
    ("a", "en", "Satellites in orbit monitor floods."),
    ("b", "en", "Export controls on chips hurt chip makers."),
    ("b", "en", "Chip makers face export controls on advanced chips."),
    ("c", "fr", "Les contrôles à l'exportation visent les puces."),
    ("c", "fr", "Les satellites surveillent les inondations."),
]


def paragraphs_of(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """A paragraph table from (doc, lang, text) rows."""
    return pd.DataFrame(
        [{"id": f"{doc}-{i:03d}", "doc": doc, "lang": lang, "section": "", "text": text,
          "n_words": len(text.split())} for i, (doc, lang, text) in enumerate(rows, start=1)],
        columns=["id", "doc", "lang", "section", "text", "n_words"],
    )


PARAGRAPHS = paragraphs_of(TEXTS)


def test_result_has_the_requested_number_of_topics_with_ids_from_zero():
    result = fit_nmf(PARAGRAPHS, SETTINGS)
    assert result.method == "nmf"
    assert [topic.id for topic in result.topics] == [0, 1]


def test_assignments_have_one_row_per_paragraph_in_input_order():
    result = fit_nmf(PARAGRAPHS, SETTINGS)
    assert list(result.assignments.columns) == ["id", "topic"]
    assert result.assignments["id"].tolist() == PARAGRAPHS["id"].tolist()


def test_every_paragraph_is_assigned_to_a_topic():
    result = fit_nmf(PARAGRAPHS, SETTINGS)
    assert result.assignments["topic"].between(0, 1).all()
    assert sum(topic.size for topic in result.topics) == len(PARAGRAPHS)


def test_paragraph_without_any_term_is_assigned_and_counted():
    rows = paragraphs_of(TEXTS + [("c", "fr", "Il y a de la et du.")])
    result = fit_nmf(rows, SETTINGS)
    assert len(result.assignments) == len(rows)
    assert result.params["n_zero_rows"] == fit_nmf(PARAGRAPHS, SETTINGS).params["n_zero_rows"] + 1


def test_topics_are_numbered_by_decreasing_size():
    sizes = [topic.size for topic in fit_nmf(PARAGRAPHS, SETTINGS).topics]
    assert sizes == sorted(sizes, reverse=True)


def test_each_topic_has_top_words_with_decreasing_weights():
    for topic in fit_nmf(PARAGRAPHS, SETTINGS).topics:
        assert 0 < len(topic.words) <= 4
        weights = [weight for _, weight in topic.words]
        assert weights == sorted(weights, reverse=True)


def test_satellite_and_chip_paragraphs_fall_in_different_topics():
    topic = fit_nmf(PARAGRAPHS, SETTINGS).assignments.set_index("id")["topic"]
    assert topic["a-001"] == topic["a-002"] == topic["a-003"]
    assert topic["b-004"] == topic["b-005"]
    assert topic["a-001"] != topic["b-004"]


def test_language_counts_add_up_to_topic_size():
    for topic in fit_nmf(PARAGRAPHS, SETTINGS).topics:
        assert sum(topic.n_by_lang.values()) == topic.size


def test_words_by_lang_has_one_list_per_language_in_the_topic():
    for topic in fit_nmf(PARAGRAPHS, SETTINGS).topics:
        assert sorted(topic.words_by_lang) == sorted(topic.n_by_lang)


def test_representative_paragraphs_belong_to_their_topic():
    result = fit_nmf(PARAGRAPHS, SETTINGS)
    topic_of = result.assignments.set_index("id")["topic"]
    for topic in result.topics:
        assert 0 < len(topic.representative_ids) <= 2
        assert all(topic_of[pid] == topic.id for pid in topic.representative_ids)


def test_label_joins_the_top_three_words():
    topic = fit_nmf(PARAGRAPHS, SETTINGS).topics[0]
    assert topic.label.count(" / ") == 2


def test_label_prefers_a_bigram_to_its_parts():
    assert topic_label(["united", "states", "united states", "countries", "world"]) == (
        "united states / countries / world"
    )


def test_same_seed_gives_identical_results():
    first, second = fit_nmf(PARAGRAPHS, SETTINGS), fit_nmf(PARAGRAPHS, SETTINGS)
    assert json.dumps(first.to_json()) == json.dumps(second.to_json())
    assert first.assignments.equals(second.assignments)


def test_k_is_clamped_to_the_number_of_paragraphs():
    tiny = paragraphs_of(TEXTS[:3])
    result = fit_nmf(tiny, SETTINGS.replace(nmf_topics=10))
    assert result.n_topics <= 3
    assert result.params["n_topics_requested"] == 10


def test_k_choice_on_a_tiny_corpus_stays_within_what_the_data_allows():
    tiny = paragraphs_of(TEXTS[:3])
    k, scores = choose_n_topics(tiny, Settings(domain_stop_words=(), nmf_topic_range=(3, 12)))
    assert 1 <= k <= 3
    assert scores["k"].max() <= 3


def test_choose_n_topics_picks_the_k_with_the_best_coherence():
    k, scores = choose_n_topics(PARAGRAPHS, Settings(domain_stop_words=(), nmf_topic_range=(2, 4)))
    assert scores["k"].tolist() == [2, 3, 4]
    assert k == int(scores.loc[scores["coherence"].idxmax(), "k"])
    assert scores.loc[scores["chosen"], "k"].tolist() == [k]


def test_fit_without_a_set_k_uses_the_chosen_k():
    settings = Settings(domain_stop_words=(), nmf_topics=None, nmf_topic_range=(2, 4))
    k, _ = choose_n_topics(PARAGRAPHS, settings)
    result = fit_nmf(PARAGRAPHS, settings)
    assert result.n_topics == k
    assert [row["k"] for row in result.params["k_scores"]] == [2, 3, 4]


def test_empty_corpus_is_a_clear_error():
    with pytest.raises(ValueError, match="corpus is empty"):
        fit_nmf(paragraphs_of([]), SETTINGS)


def test_corpus_of_stop_words_only_is_a_clear_error():
    with pytest.raises(ValueError, match="stop word"):
        fit_nmf(paragraphs_of([("a", "en", "the and of it"), ("a", "en", "is was were")]), SETTINGS)


def test_written_json_has_the_documented_fields(tmp_path):
    result = fit_nmf(PARAGRAPHS, SETTINGS)
    json_path, csv_path = result.write(tmp_path)
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert json_path.name == "topics_nmf.json" and csv_path.name == "assignments_nmf.csv"
    assert data["method"] == "nmf" and data["n_topics"] == 2
    for topic in data["topics"]:
        assert {"id", "size", "label", "words", "words_by_lang", "n_fr", "n_en", "representative_ids"} <= set(topic)
    assert pd.read_csv(csv_path)["id"].tolist() == PARAGRAPHS["id"].tolist()


@pytest.mark.slow
def test_seed_topics_cover_every_paragraph_and_both_languages(seed_segmentation):
    paragraphs = seed_segmentation.paragraphs
    result = fit_nmf(paragraphs, Settings())
    low, high = Settings().nmf_topic_range
    assert low <= result.n_topics <= high
    assert len(result.assignments) == len(paragraphs)
    assert {"fr", "en"} <= {lang for topic in result.topics for lang in topic.n_by_lang}
    assert not any(word in {"ai", "ia", "china", "chine"} for topic in result.topics for word in topic.top_words())


@pytest.mark.slow
def test_seed_topics_are_identical_for_the_same_seed(seed_segmentation):
    paragraphs = seed_segmentation.paragraphs
    settings = Settings(nmf_topics=6)
    assert json.dumps(fit_nmf(paragraphs, settings).to_json()) == json.dumps(fit_nmf(paragraphs, settings).to_json())
