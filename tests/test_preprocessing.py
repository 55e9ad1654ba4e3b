"""Preprocessing: tokens keep accents and hyphens, stop words follow each paragraph's language."""

from __future__ import annotations

from topicmap.config import Settings
from topicmap.representations.tokens import Preprocessor, preprocessor_from, readable, tokenize


def test_tokenizer_keeps_accents():
    assert tokenize("Développement français, façon élève") == ["développement", "français", "façon", "élève"]


def test_tokenizer_keeps_hyphenated_terms():
    assert "open-source" in tokenize("An open-source model")


def test_tokenizer_lower_cases():
    assert tokenize("DeepSeek AI") == ["deepseek", "ai"]


def test_tokenizer_splits_elisions():
    assert tokenize("l'IA") == ["l", "ia"]


def test_french_stop_words_remove_french_function_words():
    tokens = Preprocessor().tokens("Les modèles de la Chine sont dans le monde entier", "fr")
    assert tokens == ["modèles", "chine", "monde", "entier"]


def test_french_ai_is_a_stop_word_in_french_paragraphs():
    assert "ai" not in Preprocessor().tokens("J'ai lu un rapport", "fr")


def test_english_ai_survives_in_english_paragraphs_without_domain_list():
    assert "ai" in Preprocessor().tokens("AI research in China", "en")


def test_english_stop_words_remove_english_function_words():
    assert Preprocessor().tokens("The models of the world", "en") == ["models", "world"]


def test_domain_list_removes_ai_and_chine():
    preprocessor = preprocessor_from(Settings(domain_stop_words=("ai", "ia", "china", "chine")))
    assert preprocessor.tokens("AI research in China", "en") == ["research"]
    assert preprocessor.tokens("La Chine et l'IA", "fr") == []


def test_empty_domain_list_removes_nothing_extra():
    preprocessor = preprocessor_from(Settings(domain_stop_words=()))
    assert preprocessor.tokens("La Chine", "fr") == ["chine"]


def test_stemming_switch_changes_tokens():
    plain = Preprocessor(stem=False).tokens("développements", "fr")
    stemmed = Preprocessor(stem=True).tokens("développements", "fr")
    assert plain == ["développements"]
    assert stemmed != plain and "développements".startswith(stemmed[0])


def test_stemming_follows_settings():
    assert preprocessor_from(Settings(stem=True)).stem is True
    assert preprocessor_from(Settings()).stem is False


def test_display_forms_map_stems_back_to_the_most_frequent_word():
    preprocessor = Preprocessor(stem=True)
    texts = ["Les développements rapides", "Un développement, des développements"]
    forms = preprocessor.display_forms(texts, ["fr", "fr"])
    stem = preprocessor.tokens("développements", "fr")[0]
    assert forms[stem] == "développements"


def test_readable_writes_each_part_of_a_bigram():
    assert readable("chaîn approvision", {"chaîn": "chaîne", "approvision": "approvisionnement"}) == (
        "chaîne approvisionnement"
    )


def test_unknown_language_keeps_every_token():
    assert Preprocessor().tokens("the and of", "xx") == ["the", "and", "of"]


def test_transform_joins_tokens_with_spaces():
    assert Preprocessor().transform(["Open-source models"], ["en"]) == ["open-source models"]
