"""Language identification: among the corpus's own languages only, on a bounded piece of each text."""

from __future__ import annotations

from pathlib import Path

import pytest

from topicmap.config import Settings
from topicmap.corpus import Document
from topicmap.language import (
    MAX_CHARS_FOR_DETECTION,
    bounded,
    corpus_languages,
    detect_languages,
    detector_for,
    languages_with_fallback,
)
from topicmap.paragraphs import segment_corpus

ENGLISH = [
    "The new models were trained on Chinese chips and released as open source software for everyone.",
    "Researchers in Beijing said that the government will support the industry with cheap electricity.",
    "Investors expect the companies to spend more on data centres over the next three years.",
]
FRENCH = [
    "Le réseau électrique chinois fournit une électricité bon marché aux centres de données.",
    "Les centrales solaires et nucléaires assurent une alimentation stable pour l'entraînement.",
    "Le prix de l'électricité décide où sont construits les centres de calcul du pays.",
]
COPENHAGEN = ("In Copenhagen, Mette Frederiksen, Jens Kjærgaard and Søren Østergaard opened "
              "the Danske Bank AI centre in Nørrebro.")
GERMAN = "Die Regierung in Berlin fördert neue Rechenzentren und die Forschung an künstlicher Intelligenz."


def _documents(*texts: str) -> list[Document]:
    return [Document(doc=f"d{number}", path=Path(f"d{number}.txt"), text=text, encoding="utf-8")
            for number, text in enumerate(texts)]


def _languages_of(segmentation) -> dict[str, str]:
    return dict(zip(segmentation.paragraphs["text"], segmentation.paragraphs["lang"]))


def test_english_paragraph_full_of_danish_names_is_english_in_an_english_french_corpus():
    documents = _documents("\n".join([*ENGLISH, COPENHAGEN]), "\n".join(FRENCH))
    assert _languages_of(segment_corpus(documents, Settings()))[COPENHAGEN] == "en"


def test_declared_languages_are_the_only_codes_paragraphs_get():
    documents = _documents("\n".join([*ENGLISH, GERMAN]), "\n".join([*FRENCH, COPENHAGEN]))
    langs = segment_corpus(documents, Settings(languages=("en", "fr"))).paragraphs["lang"]
    assert set(langs) <= {"en", "fr"}


def test_corpus_languages_are_those_with_at_least_five_percent_of_the_words():
    assert corpus_languages([" ".join(ENGLISH * 3), " ".join(FRENCH)]) == ("en", "fr")


def test_a_language_below_five_percent_of_the_words_is_not_a_corpus_language():
    assert corpus_languages([" ".join(ENGLISH * 20), GERMAN]) == ("en",)


def test_the_main_language_is_kept_whatever_the_share_asked():
    assert corpus_languages([" ".join(FRENCH)], min_share=1.5) == ("fr",)


def test_a_corpus_without_any_language_has_no_corpus_languages():
    assert corpus_languages(["1234 5678", "---"]) == ()


def test_detection_reads_only_the_start_of_a_long_paragraph():
    english_start = " ".join(ENGLISH * 8)
    assert len(english_start) > MAX_CHARS_FOR_DETECTION
    assert detect_languages([english_start + " " + " ".join(FRENCH * 40)], ("en", "fr")) == ["en"]


def test_bounded_text_is_cut_at_a_space_within_the_limit():
    cut = bounded("word " * 400, limit=1000)
    assert len(cut) <= 1000 and cut.endswith("word")


def test_short_text_is_not_cut():
    assert bounded("Short text.") == "Short text."


def test_detectors_are_built_once_per_set_of_languages():
    assert detector_for(("en", "fr")) is detector_for(("en", "fr"))


def test_an_unknown_language_code_is_an_error_naming_it():
    with pytest.raises(ValueError, match="xx"):
        detector_for(("en", "xx"))


def test_fallback_labels_use_only_the_given_languages():
    assert languages_with_fallback([*ENGLISH, GERMAN], 5, ("en",)) == ["en"] * 4
