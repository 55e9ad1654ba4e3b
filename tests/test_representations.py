"""Representations: one tokenization of real phrases, computed once; language removal measured."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from topicmap.config import Settings
from topicmap.representations import build_representations
from topicmap.representations.language_neutral import LanguageNeutralizer
from topicmap.representations.tokens import Preprocessor


def test_ngrams_are_only_phrases_that_occur_in_the_text():
    terms = Preprocessor().phrases("Les centres de données, à Pékin. The US led a rethink of chips.", "fr")
    assert "centres de données" in terms
    assert "données pékin" not in terms  # across a comma
    english = Preprocessor().phrases("Applications, applications everywhere; the US led a rethink.", "en")
    assert "applications applications" not in english and "led rethink" not in english


def test_a_phrase_never_starts_or_ends_with_a_stop_word():
    terms = Preprocessor().phrases("the open source model of the year", "en")
    assert all(not t.split()[0] in {"the", "of"} and not t.split()[-1] in {"the", "of"} for t in terms)


def test_domain_stop_words_never_enter_a_term():
    terms = Preprocessor(domain_stop_words=frozenset({"ai"})).phrases("AI chips lead", "en")
    assert all("ai" not in t.split() for t in terms)


def test_each_representation_is_computed_once(monkeypatch):
    units = pd.DataFrame({"id": ["a", "b"], "doc": ["d", "d"], "lang": ["en", "en"], "text": ["energy grid", "energy"]})
    representations = build_representations(units, Settings(), embeddings=np.eye(2, dtype=np.float32))
    calls = []
    original = Preprocessor.phrases
    monkeypatch.setattr(Preprocessor, "phrases", lambda self, *a: calls.append(1) or original(self, *a))
    representations.counts, representations.words, representations.terms
    assert len(calls) == 2  # one tokenization of each unit, shared by counts, words and terms


def test_language_removal_leaves_no_language_a_linear_classifier_can_find():
    rng = np.random.RandomState(0)
    vectors = rng.normal(size=(80, 32))
    langs = np.array(["fr", "en"] * 40)
    vectors[langs == "fr", :4] += 2.0 * rng.normal(size=4)
    vectors[langs == "fr"] += rng.normal(scale=0.3, size=(40, 32)) * np.r_[np.ones(4), np.zeros(28)]
    neutral = LanguageNeutralizer("subspace").fit(vectors, langs)
    assert neutral.language_accuracy_ <= neutral.chance_accuracy_ + 0.1


def test_a_document_unit_keeps_its_title_and_section_headings():
    from topicmap.representations import units_from

    paragraphs = pd.DataFrame({"id": ["d-1", "d-2", "d-3"], "doc": ["d"] * 3, "lang": ["en"] * 3,
                               "section": ["Intro", "Chips", "Chips"], "text": ["First.", "Second.", "Third."],
                               "n_words": [1, 1, 1]})
    headings = pd.DataFrame({"doc": ["d", "d"], "line": [1, 5], "text": ["The Title", "Chips"], "kind": ["title", "subheading"]})
    text = units_from(paragraphs, "document", headings)["text"].iloc[0]
    assert text.split("\n\n") == ["The Title", "Intro", "First.", "Chips", "Second.", "Third."]


def test_a_map_of_many_units_maps_a_bounded_sample(monkeypatch):
    from topicmap.figures import topics as topic_figures

    monkeypatch.setattr(topic_figures, "MAX_MAP_POINTS", 20)
    coordinates = topic_figures.map_coordinates(np.random.RandomState(0).normal(size=(50, 8)), seed=0)
    assert coordinates.shape == (50, 2) and np.isfinite(coordinates).all(axis=1).sum() == 20


def test_the_terms_table_of_an_article_without_terms_has_empty_cells_not_an_error():
    from topicmap.representations.tfidf import ArticleTerms, terms_table

    terms = ArticleTerms(terms={"a": [("chips", 0.9), ("export", 0.4)], "numbers": []}, similarity=None)
    table = terms_table(terms, {"a": "Chips", "numbers": "Only numbers and links"})
    assert table.to_dict(orient="list") == {"Chips": ["chips (0.90)", "export (0.40)"],
                                            "Only numbers and links": ["", ""]}


# --- what one unit can cost the models (issue 31: a 50 MB paragraph asked for a 40 GB array) -----------------


class RecordingEmbedder:
    """A fake backend: 4-d unit vectors; records the texts it is asked to embed."""

    name, cache_key, dimension = "recording", "recording-v1", 4

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed(self, documents, verbose=False):
        self.embedded += list(documents)
        return np.tile(np.array([[1.0, 0.0, 0.0, 0.0]], dtype=np.float32), (len(documents), 1))


def _long_units(words: int = 400) -> pd.DataFrame:
    long = " ".join(f"word{number}" for number in range(words)) + "."
    return pd.DataFrame({"id": ["d-001", "d-002"], "doc": ["d", "d"], "lang": ["en", "en"],
                         "text": ["Solar power grows fast.", long]})


def test_a_long_text_is_cut_for_the_models_at_a_space_within_the_bound():
    from topicmap.representations import model_text

    text = "word " * 100_000  # half a megabyte
    cut = model_text(text, 1_000)
    assert len(cut) <= 1_000 and cut.endswith("word") and text.startswith(cut)
    assert model_text("x" * 5_000, 1_000) == "x" * 1_000  # no space: cut at the bound
    short = "Solar power grows fast."
    assert model_text(short, 1_000) is short


def test_the_models_read_long_units_cut_to_the_bound_and_the_units_keep_them_whole(monkeypatch, tmp_path):
    from topicmap.representations import embeddings

    backend = RecordingEmbedder()
    monkeypatch.setattr(embeddings, "embedder_for", lambda name: backend)
    units = _long_units()
    settings = Settings(project_root=tmp_path, cache_dir=tmp_path / "cache", max_model_characters=100)
    representations = build_representations(units, settings)
    representations.embeddings
    assert backend.embedded == ["Solar power grows fast.", units["text"][1][:100].rsplit(" ", 1)[0]]
    assert "word0" in representations.terms[1] and "word399" not in representations.terms[1]
    assert representations.texts == units["text"].tolist()  # the units, written out, stay whole


def test_the_embedding_cache_is_keyed_by_the_text_the_model_read(monkeypatch, tmp_path):
    from topicmap.representations import embeddings

    backend = RecordingEmbedder()
    monkeypatch.setattr(embeddings, "embedder_for", lambda name: backend)
    for bound in (100, 100, 200):
        settings = Settings(project_root=tmp_path, cache_dir=tmp_path / "cache", max_model_characters=bound)
        build_representations(_long_units(), settings).embeddings
    cut_at_200 = _long_units()["text"][1][:200].rsplit(" ", 1)[0]
    assert backend.embedded[2:] == [cut_at_200]  # the same bound again reads the cache; another bound does not
    held = {hash_ for shard in (tmp_path / "cache" / "embeddings").rglob("*.npz")
            for hash_ in np.load(shard)["hashes"].tolist()}
    assert embeddings.text_hash(cut_at_200) in held and embeddings.text_hash(_long_units()["text"][1]) not in held


def test_a_run_says_how_many_units_the_models_read_cut(tmp_path, caplog):
    from topicmap import pipeline
    from topicmap.paragraphs import Segmentation

    paragraphs = _long_units().assign(section="", n_words=[4, 400])
    settings = Settings(project_root=tmp_path, max_model_characters=100)
    with caplog.at_level("WARNING", logger="topicmap"):
        pipeline.prepare(Segmentation(paragraphs, pd.DataFrame()), settings)
    assert "1 paragraph longer than 100 characters" in caplog.text and "paragraphs.csv" in caplog.text
    assert pipeline.representation_key(build_representations(_long_units(), settings), settings) != \
        pipeline.representation_key(build_representations(_long_units(), Settings()), Settings())


def test_the_seeds_are_far_below_the_bound_so_their_vectors_do_not_change(seed_segmentation):
    from topicmap.representations import units_from

    bound = Settings().max_model_characters
    assert seed_segmentation.paragraphs["text"].str.len().max() * 10 < bound
    assert units_from(seed_segmentation.paragraphs, "document", seed_segmentation.headings)["text"].str.len().max() \
        < bound


def test_no_ngram_spans_a_dropped_token():
    """A number, a stop word that may not stand inside a phrase, or punctuation ends an n-gram (issue 34)."""
    english = Preprocessor().phrases("A year of 12 months of 30 days. The US led a rethink of chips.", "en")
    assert "months of days" not in english and "months days" not in english
    assert "led rethink" not in english and "led a rethink" not in english
    french = Preprocessor().phrases("L'insertion d'images, 12 mois de 30 jours et la chaîne d'approvisionnement.", "fr")
    assert "insertion d images" in french and "mois de jours" not in french
    assert "chaîne d approvisionnement" in french


def test_a_french_elision_is_shown_with_its_apostrophe():
    from topicmap.representations.tokens import readable

    assert readable("chaîne d approvisionnement", {}) == "chaîne d'approvisionnement"
    assert readable("centres de données", {}) == "centres de données"


def test_the_article_similarity_says_how_much_is_the_languages():
    from topicmap.representations.tfidf import ArticleTerms

    docs = pd.Index(["a", "b", "c", "d"], name="doc")
    matrix = np.array([[1, .4, .02, 0], [.4, 1, 0, .04], [.02, 0, 1, .6], [0, .04, .6, 1]], dtype=float)
    terms = ArticleTerms(terms={}, similarity=pd.DataFrame(matrix, index=docs, columns=docs),
                         languages={"a": "en", "b": "en", "c": "fr", "d": "fr"})
    within, across = terms.similarity_within_and_across_languages()
    assert within == pytest.approx(0.5) and across == pytest.approx(0.015)
    assert np.isnan(ArticleTerms({}, None).similarity_within_and_across_languages()).all()  # no matrix: nothing said
