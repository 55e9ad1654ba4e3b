"""Specification of BERTopic on the corpus: derived settings, robustness, reproducibility, cross-lingual measures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from topicmap.config import Settings
from topicmap.topics import OUTLIER
from topicmap.topics_bertopic import (
    TINY_CORPUS,
    center_by_language,
    derive_parameters,
    fit_bertopic,
    label_from,
    language_mixing,
    units_from,
)
from conftest import PROJECT_ROOT, SEEDS


def paragraphs_table(texts: list[str], langs: list[str] | str = "en", doc: str = "doc") -> pd.DataFrame:
    """A paragraphs table (the columns segment_corpus makes) from inline texts."""
    langs = [langs] * len(texts) if isinstance(langs, str) else langs
    return pd.DataFrame({
        "id": [f"{doc}-{i:03d}" for i in range(1, len(texts) + 1)], "doc": doc, "lang": langs,
        "section": "", "text": texts, "n_words": [len(t.split()) for t in texts],
    })


@pytest.fixture(scope="module")
def module_settings(tmp_path_factory) -> Settings:
    """Settings with one embedding cache shared by the module (the seeds are embedded once)."""
    root = tmp_path_factory.mktemp("bertopic")
    return Settings(project_root=root, corpus_dir=SEEDS, results_dir=root / "results",
                    figures_dir=root / "figures", cache_dir=root / "cache")


@pytest.fixture(scope="module")
def seed_run(seed_segmentation, module_settings):
    """BERTopic fitted once on the real seeds (paragraph unit, seed 42)."""
    return fit_bertopic(seed_segmentation.paragraphs, module_settings)


# --- settings derived from the corpus size ---------------------------------------------------


@pytest.mark.parametrize("n", [15, 40, 115, 150, 1_000, 100_000])
def test_umap_and_hdbscan_settings_stay_valid_for_any_corpus_size(n):
    parameters = derive_parameters(n, n, Settings())
    assert parameters.reduction == "umap"
    assert 2 <= parameters.n_neighbors <= 15 and parameters.n_neighbors < n
    assert 2 <= parameters.n_components <= 5 and parameters.n_components < n - 1
    assert 3 <= parameters.min_cluster_size <= 100
    assert parameters.clustering == "hdbscan" and parameters.reduce_outliers


def test_small_corpora_start_umap_at_random_not_spectral():
    assert derive_parameters(115, 115, Settings()).umap_init == "random"


def test_a_tiny_corpus_skips_umap_and_uses_kmeans():
    parameters = derive_parameters(10, 10, Settings())
    assert parameters.reduction == "none" and parameters.clustering == "kmeans"
    assert 1 <= parameters.n_clusters <= 10
    assert "tiny" in parameters.note


def test_asking_for_k_topics_uses_kmeans_with_k_clusters():
    parameters = derive_parameters(115, 115, Settings(bertopic_topics=7))
    assert parameters.clustering == "kmeans" and parameters.n_clusters == 7


def test_k_is_capped_at_the_number_of_distinct_units():
    assert derive_parameters(30, 4, Settings(bertopic_topics=10)).n_clusters == 4


def test_an_invalid_topic_number_is_refused_with_its_value():
    with pytest.raises(ValueError, match="'many'"):
        derive_parameters(100, 100, Settings(bertopic_topics="many"))


# --- units, centring, labels, mixing (no model fit) ------------------------------------------


def test_document_units_join_each_documents_paragraphs_and_take_its_main_language():
    table = pd.concat([paragraphs_table(["un deux trois", "quatre"], "fr", "a"),
                       paragraphs_table(["one", "two three"], "en", "b")])
    units = units_from(table, "document")
    assert units["id"].tolist() == ["a", "b"]
    assert units["lang"].tolist() == ["fr", "en"]
    assert units.loc[0, "text"] == "un deux trois\n\nquatre"


def test_centering_removes_each_languages_mean_and_keeps_unit_length():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(8, 5)) + np.array([3, 0, 0, 0, 0]) * np.repeat([1, -1], 4)[:, None]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    centred = center_by_language(vectors, ["fr"] * 4 + ["en"] * 4)
    np.testing.assert_allclose(np.linalg.norm(centred, axis=1), 1.0, atol=1e-5)
    assert abs(centred[:4].mean(axis=0)[0]) < abs(vectors[:4].mean(axis=0)[0])


def test_centering_leaves_a_language_with_a_single_unit_as_it_was():
    vectors = np.eye(4, dtype=np.float32)
    centred = center_by_language(vectors, ["fr", "fr", "fr", "tl"])
    np.testing.assert_allclose(centred[3], vectors[3])
    assert np.isfinite(centred).all()


def test_a_label_is_three_words_without_repeating_a_word_inside_a_bigram():
    words = [("open source", 0.9), ("open", 0.8), ("énergie", 0.7), ("puces", 0.6), ("talent", 0.5)]
    assert label_from(words) == "open source, énergie, puces"


def test_language_mixing_counts_topics_holding_both_languages_and_same_topic_pairs():
    from topicmap.topics import Topic, TopicModelResult

    units = pd.DataFrame({"id": list("abcd"), "lang": ["fr", "en", "fr", "en"]})
    assignments = pd.DataFrame({"id": list("abcd"), "topic": [0, 0, 1, 1]})
    result = TopicModelResult("bertopic", [Topic(0, 2, "x", []), Topic(1, 2, "y", [])], assignments)
    embeddings = np.array([[1, 0], [1, 0.1], [0, 1], [0.1, 1]], dtype=float)
    mixing = language_mixing(result, units, embeddings)
    assert mixing["topics_mixed_share"] == 1.0
    assert mixing["mean_minority_share"] == 0.5
    assert mixing["pair_same_topic"] == 1.0
    assert mixing["pair_same_topic_chance"] == 0.5


# --- the real seeds ------------------------------------------------------------------------------


def test_seeds_give_several_topics_and_every_paragraph_a_topic(seed_run, seed_segmentation):
    result = seed_run.result
    assert result.method == "bertopic"
    assert result.n_topics >= 3
    assert result.outlier_share == 0.0  # HDBSCAN's outliers are reassigned to the nearest topic
    assert result.assignments["id"].tolist() == seed_segmentation.paragraphs["id"].tolist()
    assert result.params["reduction"] == "umap" and result.params["clustering"] == "hdbscan"


def test_seed_topics_have_labels_words_by_language_and_representative_paragraphs(seed_run):
    topic_of = dict(zip(seed_run.result.assignments["id"], seed_run.result.assignments["topic"]))
    for topic in seed_run.result.topics:
        assert topic.label and topic.words
        assert set(topic.words_by_lang) <= set(seed_run.units["lang"])
        assert 1 <= len(topic.representative_ids) <= 3
        assert all(topic_of[i] == topic.id for i in topic.representative_ids)
    assert any({"fr", "en"} <= set(t.words_by_lang) for t in seed_run.result.topics)


def test_seed_topics_put_french_and_english_neighbours_together_more_than_chance(seed_run):
    mixing = language_mixing(seed_run.result, seed_run.units, seed_run.embeddings)
    assert mixing["languages"] == "en+fr"
    assert mixing["topics_mixed_share"] > 0
    assert mixing["pair_same_topic"] > mixing["pair_same_topic_chance"]


def test_run_holds_the_map_embeddings_and_one_centroid_per_topic(seed_run):
    n = len(seed_run.units)
    assert seed_run.embeddings.shape == (n, 512)
    assert seed_run.coordinates.shape == (n, 2)
    assert seed_run.topic_embeddings.shape == (len(seed_run.result.topics), 512)


def test_same_seed_gives_the_same_topics_in_one_process(seed_run, seed_segmentation, module_settings):
    again = fit_bertopic(seed_segmentation.paragraphs, module_settings)
    pd.testing.assert_frame_equal(again.result.assignments, seed_run.result.assignments)
    assert [t.words for t in again.result.topics] == [t.words for t in seed_run.result.topics]


def test_result_writes_topics_and_assignments_files(seed_run, tmp_path):
    paths = seed_run.result.write(tmp_path)
    assert {p.name for p in paths} == {"topics_bertopic.json", "assignments_bertopic.csv"}
    written = json.loads((tmp_path / "topics_bertopic.json").read_text(encoding="utf-8"))
    assert written["params"]["n_neighbors"] == seed_run.parameters.n_neighbors


FIT_IN_SUBPROCESS = textwrap.dedent("""
    import json, sys
    from topicmap.config import Settings
    from topicmap.corpus import load_corpus
    from topicmap.paragraphs import segment_corpus
    from topicmap.topics_bertopic import fit_bertopic
    settings = Settings(project_root=sys.argv[1], cache_dir=sys.argv[2])
    paragraphs = segment_corpus(load_corpus(settings.corpus_path), settings).paragraphs
    result = fit_bertopic(paragraphs, settings).result
    print(json.dumps({"topics": result.assignments["topic"].tolist(),
                      "words": [t.words for t in result.topics]}))
""")


@pytest.mark.slow
def test_same_seed_gives_the_same_topics_in_a_separate_process(seed_run, module_settings):
    hash_seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"  # other string hashing than ours
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "HF_HUB_OFFLINE": "1"}
    completed = subprocess.run([sys.executable, "-c", FIT_IN_SUBPROCESS, str(PROJECT_ROOT),
                                str(module_settings.cache_path)], env=env, capture_output=True, text=True,
                               timeout=300, check=True)
    other = json.loads(completed.stdout.strip().splitlines()[-1])
    assert other["topics"] == seed_run.result.assignments["topic"].tolist()
    assert other["words"] == [[list(w) for w in t.words] for t in seed_run.result.topics]


def test_document_unit_models_whole_files_named_by_document(seed_segmentation, module_settings):
    run = fit_bertopic(seed_segmentation.paragraphs, module_settings.replace(unit="document"))
    docs = sorted(seed_segmentation.paragraphs["doc"].unique())
    assert run.result.assignments["id"].tolist() == docs
    assert run.result.params["unit"] == "document"
    assert (run.result.assignments["topic"] != OUTLIER).all()


def test_asking_for_five_topics_gives_five_topics(seed_segmentation, module_settings):
    run = fit_bertopic(seed_segmentation.paragraphs, module_settings.replace(bertopic_topics=5))
    assert run.result.n_topics == 5 and run.result.params["clustering"] == "kmeans"


def test_centering_languages_is_recorded_and_changes_the_clustered_embeddings(seed_segmentation, module_settings):
    run = fit_bertopic(seed_segmentation.paragraphs, module_settings.replace(center_languages=True))
    assert run.result.params["center_languages"] is True
    assert not np.allclose(run.clustered_embeddings, run.embeddings)


# --- robustness -----------------------------------------------------------------------------------


def test_ten_paragraphs_do_not_crash(seed_segmentation, module_settings):
    run = fit_bertopic(seed_segmentation.paragraphs.head(10), module_settings)
    assert len(run.result.assignments) == 10
    assert run.result.params["reduction"] == "none"
    assert len(run.result.params["note"]) > 0


def test_identical_paragraphs_give_one_topic(module_settings):
    table = paragraphs_table(["Beijing funds new AI laboratories."] * 40)
    run = fit_bertopic(table, module_settings)
    assert run.result.n_topics == 1 and len(run.result.assignments) == 40


def test_a_single_paragraph_does_not_crash(module_settings):
    run = fit_bertopic(paragraphs_table(["Une seule phrase sur l'énergie."], "fr"), module_settings)
    assert run.result.assignments["topic"].tolist() == [0]


def test_a_single_language_corpus_does_not_crash(seed_segmentation, module_settings):
    english = seed_segmentation.paragraphs[seed_segmentation.paragraphs["lang"] == "en"]
    run = fit_bertopic(english, module_settings.replace(center_languages=True))
    assert run.result.n_topics >= 1
    assert np.isnan(language_mixing(run.result, run.units, run.embeddings)["topics_mixed_share"])


def test_paragraphs_made_only_of_stop_words_do_not_crash(module_settings):
    table = paragraphs_table(["the and of it is"] * 10 + ["of the and"] * 10)
    run = fit_bertopic(table, module_settings)
    assert len(run.result.assignments) == 20


def test_an_empty_table_is_refused_with_a_clear_message(module_settings):
    with pytest.raises(ValueError, match="at least one paragraph"):
        fit_bertopic(paragraphs_table([]), module_settings)


def test_accented_words_survive_in_topic_words_and_in_french_words(module_settings):
    texts = [
        "Le développement de l'énergie nucléaire soutient les centres de données.",
        "Le développement des réseaux électriques accélère la transition énergétique.",
        "Les universités françaises forment des ingénieurs en mathématiques appliquées.",
        "Les écoles d'ingénieurs développent des formations en sécurité numérique.",
    ] * 3
    run = fit_bertopic(paragraphs_table(texts, "fr"), module_settings)
    words = {w for t in run.result.topics for w, _ in t.words}
    french = {w for t in run.result.topics for w, _ in t.words_by_lang.get("fr", [])}
    assert "développement" in words | french
    assert any(not w.isascii() for w in words)
    assert not any("dveloppement" in w or "nergie" == w for w in words | french)
