"""A theme is named by nouns, and verbs, adverbs and numbers never describe it, in either language."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from topicmap.config import Settings
from topicmap.representations import build_representations
from topicmap.topics import CrossLingualTopicModel
from topicmap.topics import word_classes
from topicmap.topics.word_classes import (ADJECTIVE, ADVERB, NOUN, NUMBER, VERB, class_in, tagged,
                                          word_class)


def test_a_french_word_takes_the_class_of_its_use():
    assert word_class("marche", ["La marche vers l'autonomie continue."], "fr") == NOUN
    assert word_class("marche", ["Le modèle marche bien sur les puces chinoises."], "fr") == VERB
    assert word_class("contrôle", ["Le contrôle des exportations de puces se durcit."], "fr") == NOUN
    assert word_class("contrôlant", ["Les États-Unis freinent la Chine en contrôlant les exportations."], "fr") == VERB
    assert word_class("énergétiques", ["Les besoins énergétiques des centres de données explosent."], "fr") == ADJECTIVE
    assert word_class("actuellement", ["La Chine forme actuellement des milliers d'ingénieurs."], "fr") == ADVERB
    assert word_class("quatre", ["Quatre universités forment des ingénieurs."], "fr") == NUMBER


def test_an_english_word_takes_the_class_of_its_use():
    text = "Satellite monitoring helps the economic planning of four cities, and it currently works."
    assert word_class("monitoring", [text], "en") == NOUN
    assert word_class("economic", [text], "en") == ADJECTIVE
    assert word_class("four", [text], "en") == NUMBER
    assert word_class("currently", [text], "en") == ADVERB
    assert word_class("helps", [text], "en") == VERB


def test_a_phrase_holding_a_noun_is_a_noun():
    assert class_in("centres de données", tagged("Les centres de données consomment trop.", "fr")) == [NOUN]


def test_a_word_is_read_in_its_first_uses_only():
    uses = ["La marche continue."] * word_classes.OCCURRENCES + ["Le modèle marche bien sur les puces chinoises."] * 20
    assert word_class("marche", uses, "fr") == NOUN
    assert word_class("marche", uses[::-1], "fr") == VERB


def test_a_language_without_a_tagger_or_a_word_not_found_has_no_class():
    assert word_class("energie", ["Die Energie wird knapp."], "de") is None
    assert word_class("puces", ["Le contrôle se durcit."], "fr") is None


def test_the_french_tagger_runs_on_the_pinned_numpy_kernels_not_on_blis():
    pipeline = word_classes._french_pipeline()
    for _, component in pipeline.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            assert getattr(model.ops, "use_blis", False) is False


#: Per theme, a French and an English sentence holding, beside its nouns, an adverb, a number and a verb
#: of that theme alone (so c-TF-IDF ranks them as high as the nouns). The taggers read these sentences
#: right; both are small models and misread some homographs ("contrôle" as a verb, "feed").
FILLED = {
    0: ("Actuellement, quatre universités forment davantage d'ingénieurs.",
        "Currently, four universities educate more engineers."),
    1: ("Désormais, trois centrales électriques alimentent mieux les réseaux.",
        "Nowadays, three power stations deliver electricity to the grids."),
    2: ("Rapidement, cinq fabricants de puces produisent plus de semi-conducteurs.",
        "Rapidly, five chip makers manufacture semiconductors."),
}


def filled_corpus(n_per_theme: int = 10, seed: int = 0):
    rng = np.random.RandomState(seed)
    themes = rng.normal(size=(3, 32)) * 3
    rows, vectors = [], []
    for theme, sentences in FILLED.items():
        for lang, sentence in zip(("fr", "en"), sentences):
            for i in range(n_per_theme):
                rows.append({"id": f"{lang}{theme}-{i}", "doc": f"{lang}{theme}", "lang": lang, "text": sentence})
                vectors.append(themes[theme] + rng.normal(scale=0.3, size=32))
    return pd.DataFrame(rows), np.asarray(vectors, dtype=np.float32)


@pytest.fixture(scope="module")
def filled_topics():
    units, vectors = filled_corpus()
    representations = build_representations(units, Settings(), embeddings=vectors)
    return CrossLingualTopicModel(n_topics=3).fit(representations).result_.topics


def test_verbs_adverbs_and_numbers_never_describe_a_theme(filled_topics):
    never = {"actuellement", "quatre", "forment", "désormais", "trois", "alimentent", "rapidement", "cinq",
             "produisent", "currently", "four", "educate", "nowadays", "three", "deliver", "rapidly", "five",
             "manufacture", "davantage", "mieux", "plus"}
    for topic in filled_topics:
        shown = {w for w, _ in topic.words} | {w for words in topic.words_by_lang.values() for w, _ in words}
        assert shown and not shown & never, (topic.label, shown & never)


def test_a_theme_is_named_by_a_noun_in_each_language(filled_topics):
    nouns = {"universités", "ingénieurs", "universities", "engineers", "centrales", "réseaux", "power",
             "stations", "power stations", "grids", "electricity", "fabricants", "puces", "semi-conducteurs", "chip", "makers",
             "chip makers", "semiconductors", "centrales électriques"}
    for topic in filled_topics:
        assert set(topic.label_by_lang) == {"fr", "en"}
        assert set(topic.label_by_lang.values()) <= nouns, topic.label_by_lang
