"""TF-IDF per article: each article's distinctive terms, and a symmetric similarity matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from topicmap.config import Settings
from topicmap.tfidf import article_terms

SETTINGS = Settings(domain_stop_words=(), n_terms_per_article=5)


def paragraphs_of(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """A paragraph table from (doc, lang, text) rows."""
    return pd.DataFrame(
        [{"id": f"{doc}-{i:03d}", "doc": doc, "lang": lang, "section": "", "text": text,
          "n_words": len(text.split())} for i, (doc, lang, text) in enumerate(rows, start=1)]
    )


PARAGRAPHS = paragraphs_of([
    ("a", "en", "Satellites monitor floods from orbit."),
    ("a", "en", "Remote sensing satellites watch crops."),
    ("b", "en", "Chip export controls slow chip makers."),
    ("b", "en", "Export controls target advanced chips."),
    ("c", "fr", "Les centres de données consomment de l'énergie."),
])


def test_every_article_gets_its_terms():
    terms = article_terms(PARAGRAPHS, SETTINGS).terms
    assert sorted(terms) == ["a", "b", "c"]
    assert all(0 < len(found) <= 5 for found in terms.values())


def test_an_articles_top_term_is_its_own_repeated_word():
    terms = article_terms(PARAGRAPHS, SETTINGS).terms
    assert terms["a"][0][0] == "satellites"
    assert terms["b"][0][0] in {"chip", "controls", "export", "export controls"}


def test_terms_are_sorted_by_decreasing_score():
    for found in article_terms(PARAGRAPHS, SETTINGS).terms.values():
        scores = [score for _, score in found]
        assert scores == sorted(scores, reverse=True)


def test_terms_include_bigrams():
    terms = dict(article_terms(PARAGRAPHS, SETTINGS.replace(n_terms_per_article=50)).terms["b"])
    assert "export controls" in terms


def test_bigrams_do_not_span_two_paragraphs():
    terms = dict(article_terms(PARAGRAPHS, SETTINGS.replace(n_terms_per_article=50)).terms["a"])
    assert "orbit remote" not in terms


def test_similarity_is_symmetric_with_ones_on_the_diagonal():
    similarity = article_terms(PARAGRAPHS, SETTINGS).similarity
    assert list(similarity.index) == list(similarity.columns) == ["a", "b", "c"]
    np.testing.assert_allclose(similarity.to_numpy(), similarity.to_numpy().T)
    np.testing.assert_allclose(np.diag(similarity.to_numpy()), 1.0)


def test_articles_sharing_no_term_have_zero_similarity():
    similarity = article_terms(PARAGRAPHS, SETTINGS).similarity
    assert similarity.loc["a", "c"] == pytest.approx(0.0)


def test_articles_sharing_terms_are_more_similar():
    rows = paragraphs_of([("a", "en", "chips export"), ("b", "en", "chips export satellites"), ("c", "en", "floods rain")])
    similarity = article_terms(rows, SETTINGS).similarity
    assert similarity.loc["a", "b"] > similarity.loc["a", "c"]


def test_stemmed_terms_are_shown_in_surface_forms():
    rows = paragraphs_of([("a", "fr", "Les développements rapides"), ("b", "fr", "Les satellites")])
    words = [term for term, _ in article_terms(rows, SETTINGS.replace(stem=True)).terms["a"]]
    assert "développements" in words


def test_each_article_gets_its_main_language():
    assert article_terms(PARAGRAPHS, SETTINGS).languages == {"a": "en", "b": "en", "c": "fr"}


def test_empty_corpus_is_a_clear_error():
    with pytest.raises(ValueError, match="no paragraphs"):
        article_terms(paragraphs_of([]).reindex(columns=["id", "doc", "lang", "section", "text", "n_words"]), SETTINGS)


@pytest.mark.slow
def test_every_seed_article_gets_terms(seed_segmentation):
    result = article_terms(seed_segmentation.paragraphs, Settings())
    docs = sorted(seed_segmentation.paragraphs["doc"].unique())
    assert sorted(result.terms) == docs
    assert all(len(found) == Settings().n_terms_per_article for found in result.terms.values())
    assert not any(term in {"ai", "chine", "china"} for found in result.terms.values() for term, _ in found)
