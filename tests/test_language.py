"""Language identification: the corpus's languages decided once, each paragraph among them, and a paragraph
in any other language labelled as itself (or ``und``), never as one of the corpus's."""

from __future__ import annotations

from pathlib import Path

import pytest

from topicmap.config import Settings
from topicmap.corpus import Document
from topicmap.language import (
    MAX_CHARS_FOR_DETECTION,
    bounded,
    corpus_languages,
    detector_for,
    language_code,
    paragraph_languages,
    survey_pieces,
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


def test_a_paragraph_in_a_language_outside_the_declared_ones_is_labelled_as_itself():
    documents = _documents("\n".join([*ENGLISH, GERMAN]), "\n".join([*FRENCH, COPENHAGEN]))
    langs = _languages_of(segment_corpus(documents, Settings(languages=("en", "fr"))))
    assert langs[GERMAN] == "de" and langs[COPENHAGEN] == "en"


def test_corpus_languages_are_those_with_at_least_five_percent_of_the_words():
    assert corpus_languages([" ".join(ENGLISH * 3), " ".join(FRENCH)]) == ("en", "fr")


def test_a_language_of_a_few_words_below_five_percent_of_the_corpus_is_not_a_corpus_language():
    assert corpus_languages([" ".join(ENGLISH * 20), GERMAN]) == ("en",)


def test_the_main_language_is_kept_whatever_the_share_asked():
    assert corpus_languages([" ".join(FRENCH)], min_share=1.5) == ("fr",)


def test_a_corpus_without_any_language_has_no_corpus_languages():
    assert corpus_languages(["1234 5678", "---"]) == ()


# A text without letters cannot be identified (issue 31: an article of numbers and links was labelled Portuguese).
NUMBERS = "17612 74607 8272 33433 15456 64938 99741 58916 61899 85406 49757 27520"
LINK = "https://example.com/news/1538/article-0.html"


def test_numbers_and_links_make_no_corpus_language():
    assert corpus_languages([f"{NUMBERS}\n\n{LINK}\n\n{NUMBERS}", LINK]) == ()


def test_a_document_of_numbers_and_links_is_undetermined_even_among_known_languages():
    documents = _documents(f"{NUMBERS}\n\n{LINK}\n\n{NUMBERS} {LINK}", "\n\n".join(ENGLISH + FRENCH))
    langs = _languages_of(segment_corpus(documents, Settings()))
    assert langs[NUMBERS] == "und" and langs[f"{NUMBERS} {LINK}"] == "und"
    assert {langs[text] for text in ENGLISH} == {"en"}


def test_a_paragraph_of_numbers_in_an_english_article_takes_the_article_language():
    assert paragraph_languages([*ENGLISH, NUMBERS, f"{LINK} {LINK}"], 5, ("en", "fr")) == ["en"] * 5


def test_detection_reads_only_the_start_of_a_long_paragraph():
    english_start = " ".join(ENGLISH * 8)
    assert len(english_start) > MAX_CHARS_FOR_DETECTION
    assert paragraph_languages([english_start + " " + " ".join(FRENCH * 40)], 5, ("en", "fr")) == ["en"]


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


def test_a_german_paragraph_is_german_even_when_only_english_is_expected():
    assert paragraph_languages([*ENGLISH, GERMAN], 5, ("en",)) == ["en"] * 3 + ["de"]


CHINESE = "中国人工智能产业发展迅速，深度求索公司发布了新的开源大模型，引起了全世界的关注。"
ARABIC = "أعلنت الحكومة الصينية عن خطة جديدة لتطوير الذكاء الاصطناعي في المصانع والجامعات."
RUSSIAN = "Московский университет объявил о новой программе исследований искусственного интеллекта."


def test_a_chinese_paragraph_in_a_french_english_corpus_is_a_chinese_paragraph_not_a_heading():
    documents = _documents("\n\n".join(ENGLISH[:2] + [CHINESE] + ENGLISH[2:]), "\n\n".join(FRENCH))
    segmentation = segment_corpus(documents, Settings())
    assert _languages_of(segmentation)[CHINESE] == "zh"
    assert CHINESE not in set(segmentation.headings["text"])


def test_arabic_and_cyrillic_paragraphs_are_labelled_as_themselves_never_french():
    documents = _documents("\n\n".join(FRENCH + [ARABIC, RUSSIAN]), "\n\n".join(ENGLISH))
    langs = _languages_of(segment_corpus(documents, Settings()))
    assert (langs[ARABIC], langs[RUSSIAN]) == ("ar", "ru")


def test_one_french_file_among_thirty_english_articles_is_found_and_labelled_french():
    english = [f"Article {n}.\n\n" + "\n\n".join(ENGLISH) for n in range(30)]
    french_file = "\n\n".join(FRENCH + ["Les universités forment chaque année des milliers d'ingénieurs en apprentissage automatique."])
    segmentation = segment_corpus(_documents(*english, french_file), Settings())
    french = segmentation.paragraphs[segmentation.paragraphs["doc"] == "d30"]
    assert set(french["lang"]) == {"fr"} and len(french) == 4


def test_corpus_languages_include_the_main_language_of_every_document_of_some_length():
    assert corpus_languages([" ".join(ENGLISH * 20), " ".join(FRENCH)]) == ("en", "fr")


def test_a_table_of_character_names_adds_no_language_but_one_french_article_among_fifty_english_ones_does():
    import unicodedata

    # as in the manual pages of character sets (man 7 iso_8859-4): the quick survey takes it for Latin
    table = "\n".join(f"{b:03o}   {b}   {b:02X}   {bytes([b]).decode('iso8859_4')}   "
                      f"{unicodedata.name(bytes([b]).decode('iso8859_4'), '')}" for b in range(0xA1, 0x100))
    english = "The committee said the new rules would help small companies hire more workers next year. " * 20
    french = "Le comité a dit que les nouvelles règles aideraient les petites entreprises à embaucher plus de salariés. " * 20
    assert corpus_languages([english] * 50 + [table]) == ("en",)
    assert corpus_languages([english] * 50 + [french, table]) == ("en", "fr")


def test_a_corpus_beyond_the_survey_budget_is_surveyed_within_it_every_document_at_least_once():
    english = "The committee said the new rules would help small companies hire more workers next year. " * 30
    texts = [english] * 200  # 540,000 characters
    pieces = survey_pieces(texts, budget=100_000)
    assert all(pieces_of_one for pieces_of_one in pieces)
    assert sum(len(piece) for pieces_of_one in pieces for piece in pieces_of_one) <= 110_000
    assert survey_pieces(texts[:10], budget=100_000) == [[english[:1000], english[1000:2000], english[2000:]]] * 10


def test_the_bounded_survey_still_finds_one_french_article_among_fifty_english_ones_and_no_language_in_a_table(
        monkeypatch):
    import unicodedata

    import topicmap.language as language

    table = "\n".join(f"{b:03o}   {b}   {b:02X}   {bytes([b]).decode('iso8859_4')}   "
                      f"{unicodedata.name(bytes([b]).decode('iso8859_4'), '')}" for b in range(0xA1, 0x100))
    english = "The committee said the new rules would help small companies hire more workers next year. " * 20
    french = "Le comité a dit que les nouvelles règles aideraient les petites entreprises à embaucher plus de salariés. " * 20
    monkeypatch.setattr(language, "MAX_SURVEY_CHARS", 20_000)  # the corpus holds 4.8 times as many characters
    assert sum(map(len, [*[english] * 50, french, table])) > 4 * 20_000
    assert corpus_languages([english] * 50 + [table]) == ("en",)
    assert corpus_languages([english] * 50 + [french, table]) == ("en", "fr")


def test_a_short_french_line_in_a_french_manual_page_is_french():
    page = ["Afficher un message d'aide et quitter", "-h, --help", "Afficher la version et quitter.",
            "Cette commande copie les fichiers du répertoire source vers la destination indiquée.",
            "Les liens symboliques ne sont pas suivis, sauf si l'option est donnée."]
    assert paragraph_languages(page, 5, ("en", "fr")) == ["fr"] * 5


def test_every_run_of_a_parallel_segmentation_gets_the_languages_of_the_whole_corpus():
    from topicmap.parallel import segmentation_tasks

    documents = _documents("\n\n".join(ENGLISH), "\n\n".join(FRENCH))
    chunks, settings = segmentation_tasks(documents, Settings(parallel_chunk_characters=10))
    assert [[d.doc for d in chunk] for chunk in chunks] == [["d0"], ["d1"]]
    assert settings.languages == ("en", "fr")


@pytest.mark.parametrize("written, code", [("fr", "fr"), ("FR", "fr"), ("fr-FR", "fr"), ("en_GB", "en"),
                                           ("fra", "fr"), ("French", "fr"), ("english", "en"), ("klingon", None),
                                           ("fre", "fr"), ("ger", "de"), ("no", "nb"), ("Norwegian", "nb"),
                                           ("", None), ("und", None)])
def test_a_declared_language_is_read_as_a_code_a_region_variant_a_three_letter_code_or_an_english_name(written, code):
    assert language_code(written) == code


def test_a_declared_language_decides_the_paragraphs_too_short_to_tell_when_the_text_agrees():
    short = ["Sources", "Merci"]  # too short to tell: they take the document's main language
    assert paragraph_languages(short, 5, ("en", "fr"), declared="fr") == ["fr", "fr"]
    assert paragraph_languages(short, 5, ("en", "fr"), declared="en") == ["en", "en"]
    assert paragraph_languages([*FRENCH, "Sources"], 5, ("en", "fr"), declared="fr")[-1] == "fr"


def test_a_declared_language_the_text_contradicts_is_not_imposed():
    # a French article declared English: its long paragraphs and its short one stay French
    assert paragraph_languages([*FRENCH, "Sources"], 5, ("en", "fr"), declared="en") == ["fr"] * 4
    # a declared language outside the corpus's decides nothing
    assert paragraph_languages([*ENGLISH, "Sources"], 5, ("en", "fr"), declared="de") == ["en"] * 4
