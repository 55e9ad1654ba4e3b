"""Segmentation rules: paragraph breaks, headings, captions, broken sentences, bullets, boilerplate."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from conftest import SEEDS, write_corpus
from topicmap import paragraphs as paragraphs_module
from topicmap.config import Settings
from topicmap.paragraphs import (
    DROPPED_COLUMNS,
    PARAGRAPH_COLUMNS,
    DocumentParts,
    restore_glued_sentences,
    segment_corpus,
    split_document,
    unaccounted_lines,
    write_segmentation,
)
from topicmap.corpus import load_corpus

TITLE_000 = "La Chine réduit les distances avec les États-Unis en IA avec le meilleur qui soit donné: observer"


def texts(parts: DocumentParts) -> list[str]:
    return [text for _, text in parts.paragraphs]


def sections(parts: DocumentParts) -> list[str]:
    return [section for section, _ in parts.paragraphs]


def reasons(parts: DocumentParts) -> list[tuple[int, str]]:
    return [(line, reason) for line, _, reason in parts.dropped]


def headings(parts: DocumentParts) -> list[tuple[str, str]]:
    return [(text, kind) for _, text, kind in parts.headings]


def letters_and_digits(text: str) -> str:
    """Only what no segmentation rule may change: markers, spaces, hyphens and emoji go."""
    return "".join(char for char in text if char.isalnum())


@pytest.fixture(scope="module")
def seed_parts() -> dict[str, DocumentParts]:
    """Each seed file split (no language detection, so fast), keyed by file stem."""
    return {path.stem: split_document(path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture
def fake_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip lingua (seconds to load) where a test is not about languages."""
    monkeypatch.setattr(paragraphs_module, "corpus_languages", lambda texts: ("en",))
    monkeypatch.setattr(paragraphs_module, "paragraph_languages", lambda texts, *_: ["en"] * len(texts))


# --- paragraph breaks ------------------------------------------------------------------------


def test_blank_line_document_joins_the_hard_wrapped_lines_of_a_block():
    text = "First line of a paragraph\ncontinues here.\n\nSecond paragraph is here.\n\nThird one ends.\n"
    assert texts(split_document(text)) == [
        "First line of a paragraph continues here.", "Second paragraph is here.", "Third one ends."]


def test_single_newline_document_makes_each_line_a_paragraph():
    text = "One full sentence is here.\nAnother full sentence follows.\nA third one ends it.\n"
    assert texts(split_document(text)) == [
        "One full sentence is here.", "Another full sentence follows.", "A third one ends it."]


def test_trailing_blank_lines_do_not_make_a_single_newline_document_blank_separated():
    text = "First sentence here.\nSecond sentence here.\nThird sentence here.\n\n\n\n\n\n"
    assert len(split_document(text).paragraphs) == 3


# --- headings ----------------------------------------------------------------------------------


def test_markdown_heading_names_the_section_below_it():
    parts = split_document("# Policy Matters\n\nThe plan was cited often.\n")
    assert parts.paragraphs == [("Policy Matters", "The plan was cited often.")]


def test_short_line_without_final_punctuation_is_a_subheading():
    parts = split_document("First text ends here.\nTechnology diversion\nSecond text ends here.\n")
    assert parts.paragraphs == [("", "First text ends here."), ("Technology diversion", "Second text ends here.")]
    assert headings(parts) == [("Technology diversion", "subheading")]


def test_single_word_line_is_a_subheading():
    parts = split_document("Text before it.\nForced\nText after it.\n")
    assert headings(parts) == [("Forced", "subheading")]


def test_lower_case_short_line_before_a_capitalised_paragraph_is_a_subheading():
    parts = split_document("Text before it.\nthe road ahead\nIn which direction?\n")
    assert parts.paragraphs[-1] == ("the road ahead", "In which direction?")


def test_first_line_without_final_period_is_the_document_title_even_when_long():
    parts = split_document(f"{TITLE_000}\n\nBien que les applications soient américaines.\n")
    assert headings(parts) == [(TITLE_000, "title")]
    assert sections(parts) == [TITLE_000]


def test_section_name_loses_markdown_emphasis():
    parts = split_document("### **Chinese Remote Sensing Technology** Benefits the World\n\nText.\n")
    assert sections(parts) == ["Chinese Remote Sensing Technology Benefits the World"]


def test_section_name_loses_trailing_emoji():
    parts = split_document("Intro sentence ends.\nL'avantage énergétique ⚡\nL'IA est énergivore.\n")
    assert sections(parts)[-1] == "L'avantage énergétique"


def test_bold_column_label_does_not_replace_the_article_title():
    parts = split_document("## Beijing is Rising\n\n**Opinion**\n\nDubbed the capital of AI.\n")
    assert sections(parts) == ["Beijing is Rising"]
    assert headings(parts) == [("Beijing is Rising", "title"), ("Opinion", "label")]


def test_markdown_bold_column_label_does_not_replace_the_article_title():
    parts = split_document("### Behind the Exports\n\n#### **Comment**\n\nNews of the brands spread.\n")
    assert parts.paragraphs == [("Behind the Exports", "News of the brands spread.")]


def test_byline_does_not_replace_the_article_title():
    parts = split_document("## Beijing is Rising\n\nBy LIN Yuchen\n\nDubbed the capital of AI.\n")
    assert parts.paragraphs == [("Beijing is Rising", "Dubbed the capital of AI.")]
    assert ("By LIN Yuchen", "byline") in headings(parts)


def test_byline_of_several_capitalised_words_is_a_byline():
    parts = split_document("# Title\n\nBy Staff Reporters\n\nThe year is a landmark.\n")
    assert ("By Staff Reporters", "byline") in headings(parts)


def test_sentence_starting_with_by_is_a_paragraph_not_a_byline():
    parts = split_document("Text before.\nBy betting on AI, China hopes to develop tools.\n")
    assert texts(parts) == ["Text before.", "By betting on AI, China hopes to develop tools."]


def test_heading_between_article_title_and_first_paragraph_is_a_label():
    parts = split_document("# World Eyes on AI\n\n#### Voice of the World\n\nThe year is a landmark.\n")
    assert parts.paragraphs == [("World Eyes on AI", "The year is a landmark.")]
    assert ("Voice of the World", "label") in headings(parts)


def test_page_reference_is_a_label():
    parts = split_document("### Remote Sensing\n\nFrom page 1\n\nIn agriculture, they are used.\n")
    assert parts.paragraphs == [("Remote Sensing", "In agriculture, they are used.")]
    assert ("From page 1", "label") in headings(parts)


def test_deeper_markdown_heading_after_text_is_a_subheading():
    parts = split_document("### Remote Sensing\n\nText one.\n\n#### International cooperation\n\nText two.\n")
    assert parts.paragraphs[-1] == ("International cooperation", "Text two.")


def test_each_article_title_starts_a_new_section():
    parts = split_document("# First Article\n\nText one.\n\n## Second Article\n\nText two.\n")
    assert sections(parts) == ["First Article", "Second Article"]


def test_headings_are_recorded_with_their_line_number():
    parts = split_document("# **INSIGHTS**\n\n# World Eyes on AI\n\nText.\n")
    assert parts.headings == [(1, "INSIGHTS", "label"), (3, "World Eyes on AI", "title")]


def test_truncated_line_ending_on_a_function_word_stays_a_paragraph():
    parts = split_document("Text before.\n\n115 countries and regions took part in its\n\nAdvanced competition.\n")
    assert "115 countries and regions took part in its" in texts(parts)
    assert parts.headings == []


# --- duplicated title --------------------------------------------------------------------------


def test_repeated_title_is_dropped_as_duplicate_title():
    parts = split_document(f"{TITLE_000}\n\n{TITLE_000}\n\nBien que les applications soient américaines.\n")
    assert headings(parts) == [(TITLE_000, "title")]
    assert parts.dropped == [(3, TITLE_000, "duplicate title")]
    assert texts(parts) == ["Bien que les applications soient américaines."]


def test_repeated_subheading_in_another_article_is_a_subheading_again():
    text = "# One\n\nLead one.\n\nPolicy support\n\nText one.\n\n# Two\n\nLead two.\n\nPolicy support\n\nText two.\n"
    assert sections(split_document(text)) == ["One", "Policy support", "Two", "Policy support"]


# --- photo captions ----------------------------------------------------------------------------


def test_photo_caption_is_dropped():
    parts = split_document("Text before.\n\nAI automatic generation software. (PHOTO: XINHUA)\n\nText after.\n")
    assert texts(parts) == ["Text before.", "Text after."]
    assert parts.dropped == [(3, "AI automatic generation software. (PHOTO: XINHUA)", "photo caption")]


# --- broken sentences --------------------------------------------------------------------------


def test_sentence_cut_by_blank_lines_and_a_caption_is_one_paragraph():
    text = (
        "Ecosystem construction\n\nIn terms of infrastructure, China\n\n\n\n"
        "A user asks DeepSeek a question. (PHOTO: XINHUA)\n\nhas been upgrading its capabilities.\n"
    )
    parts = split_document(text)
    assert texts(parts) == ["In terms of infrastructure, China has been upgrading its capabilities."]
    assert reasons(parts) == [(7, "photo caption")]


def test_short_first_half_of_a_broken_sentence_is_not_taken_for_a_heading():
    parts = split_document("Text before.\n\nHealthcare is also being profoundly\n\nimpacted, with a new doctor.\n")
    assert texts(parts) == ["Text before.", "Healthcare is also being profoundly impacted, with a new doctor."]
    assert parts.headings == []


def test_sentence_ending_on_a_comma_continues_in_the_next_paragraph():
    parts = split_document("China built hydroelectric dams,\n\nto ensure a robust supply of energy.\n\nNext.\n")
    assert texts(parts)[0] == "China built hydroelectric dams, to ensure a robust supply of energy."


def test_word_hyphenated_across_the_break_is_rejoined():
    parts = split_document("A variety of mechanisms for pro-\n\nmoting cooperation were established.\n")
    assert texts(parts) == ["A variety of mechanisms for promoting cooperation were established."]


def test_truncated_paragraph_before_a_capitalised_one_is_not_joined():
    parts = split_document("Many products shocked the world, a \"Sputnik mo-\n\nThe Australian media observed it.\n")
    assert texts(parts) == ["Many products shocked the world, a \"Sputnik mo-", "The Australian media observed it."]


def test_finished_sentence_is_not_joined_to_a_lower_case_paragraph():
    parts = split_document("The first sentence ends here.\n\nin other words, a second one.\n")
    assert len(parts.paragraphs) == 2


def test_sentence_is_not_joined_across_a_heading():
    parts = split_document("Text that stops in\n\n## New Article\n\nlower-case text goes on.\n")
    assert parts.paragraphs == [("", "Text that stops in"), ("New Article", "lower-case text goes on.")]


def test_sentence_is_not_joined_across_boilerplate():
    parts = split_document("Text that stops in\n\nImage de couverture | Someone\n\nlower-case text goes on.\n")
    assert texts(parts) == ["Text that stops in", "lower-case text goes on."]


# --- bullets -----------------------------------------------------------------------------------


def test_full_sentence_bullet_is_its_own_paragraph_without_its_marker():
    text = (
        "- Les investissements de la Chine ont créé une capacité qui alimente le calcul.\n"
        "- La transition vers des modèles ouverts accélère beaucoup l'innovation des chercheurs.\n"
    )
    assert texts(split_document(text)) == [
        "Les investissements de la Chine ont créé une capacité qui alimente le calcul.",
        "La transition vers des modèles ouverts accélère beaucoup l'innovation des chercheurs.",
    ]


def test_indented_bullet_marker_is_removed():
    text = "Intro text ends here.\n\n  • D'abord: une approche des applications pratiques de l'IA contre la recherche.\n"
    assert texts(split_document(text))[-1] == (
        "D'abord: une approche des applications pratiques de l'IA contre la recherche.")


def test_run_of_short_bullets_is_one_paragraph_joined_with_semicolons():
    text = (
        "Cet avantage permet des cycles plus longs.\n"
        "- Expansion massive des centres de données\n"
        "- Coûts opérationnels réduits\n"
        "- Avantage stratégique en capacité de calcul\n"
        "Texte suivant.\n"
    )
    assert texts(split_document(text)) == [
        "Cet avantage permet des cycles plus longs.",
        "Expansion massive des centres de données; Coûts opérationnels réduits; "
        "Avantage stratégique en capacité de calcul.",
        "Texte suivant.",
    ]


def test_short_bullet_with_final_period_is_still_a_fragment():
    text = "- Fast growth.\n- Low cost\n"
    assert texts(split_document(text)) == ["Fast growth; Low cost."]


def test_line_with_two_sentences_ending_in_a_colon_is_a_normal_paragraph():
    line = "Comment la Chine gagne du terrain. La stratégie chinoise combine trois éléments clés:"
    parts = split_document(f"Texte avant.\n\n{line}\n\nTexte après.\n")
    assert texts(parts) == ["Texte avant.", line, "Texte après."]


# --- boilerplate -------------------------------------------------------------------------------


def test_image_credit_is_dropped():
    parts = split_document("Text.\n\nImage de couverture | Solen Feyissa et Arthur Wang\n")
    assert parts.dropped == [(3, "Image de couverture | Solen Feyissa et Arthur Wang", "image credit")]


def test_related_article_promo_is_dropped():
    parts = split_document("Text.\n\nDans Simseo | La nouvelle star de l'IA est Alexandr Wang\n")
    assert reasons(parts) == [(3, "related-article promo")]
    assert texts(parts) == ["Text."]


def test_source_note_is_dropped_and_kept_as_metadata():
    note = 'The original article was published in the Essay section of "Nature" on February 18, 2025'
    parts = split_document(f"Text.\n{note}\n")
    assert reasons(parts) == [(2, "source note")]
    assert parts.metadata == {"source_note": note}


def test_pipe_later_in_a_sentence_is_not_boilerplate():
    line = "In a recent report about many important things the BBC praised the plan | twice."
    assert texts(split_document(line)) == [line]


# A drop rule never takes prose (issue 31): the four paragraphs a user lost, each as long as the one reported.
PROSE_WITH_A_PHOTO_CREDIT = (
    "Workers assemble electric cars at a plant in Hefei, in eastern Anhui province, where output doubled last "
    "year. Exports of new energy vehicles rose by a third, and carmakers expect that pace to hold despite the "
    "new European tariffs.")
PROSE_THAT_OPENS_LIKE_A_NOTE_OR_A_PROMO = [
    "Source: a survey of 2,400 small firms by the national chamber of commerce, published on Tuesday, found "
    "that two thirds plan to raise prices this year and that one in five expects to cut staff.",
    "Originally published rules required every lender to hold twice as much capital against property loans, "
    "but the regulator softened them in March after banks warned that young buyers would pay.",
    "In the first quarter | exports of electric vehicles rose by a third from a year earlier, the customs "
    "office said on Friday, while imports of chips fell again.",
]


def test_prose_ending_in_a_photo_credit_is_kept_and_only_the_credit_is_dropped():
    line = f"{PROSE_WITH_A_PHOTO_CREDIT} (Photo: Xinhua)"
    assert len(line.split()) == 41
    parts = split_document(f"Text before.\n\n{line}\n\nText after.\n")
    assert texts(parts) == ["Text before.", PROSE_WITH_A_PHOTO_CREDIT, "Text after."]
    assert parts.dropped == [(3, "(Photo: Xinhua)", "photo credit")]
    assert unaccounted_lines(f"Text before.\n\n{line}\n\nText after.\n", parts) == []


@pytest.mark.parametrize("line", PROSE_THAT_OPENS_LIKE_A_NOTE_OR_A_PROMO, ids=["source", "originally", "pipe"])
def test_prose_that_opens_like_a_source_note_or_a_promo_is_kept_whole(line):
    assert len(line.split()) in (35, 30, 29)  # the lengths of the reported paragraphs
    parts = split_document(f"Text before.\n\n{line}\n\nText after.\n")
    assert texts(parts) == ["Text before.", line, "Text after."]
    assert parts.dropped == [] and parts.metadata == {}


@pytest.mark.parametrize("line, reason", [
    ("AI automatic generation software. (PHOTO: XINHUA)", "photo caption"),
    # the seeds' longest caption: two sentences, 24 words
    ("The AI application DeepSeek has emerged as a strong player in 2025. The image shows a user asking a "
     "question on DeepSeek. (PHOTO: XINHUA)", "photo caption"),
    ("Source: Reuters, AFP", "source note"),
    ("Originally published in The Conversation on 3 March 2025.", "source note"),
    ("Dans Simseo | La nouvelle star de l'IA est Alexandr Wang: Zuckerberg a donné les clés de l'avenir à un "
     "enfant prodige de 97", "related-article promo"),
    # a promoted headline is no sentence, however long
    ("Read more | China's carmakers expand in Europe while tariffs rise and the price war at home squeezes "
     "their margins and their suppliers in the second quarter of the year", "related-article promo"),
])
def test_captions_credits_notes_and_promos_are_still_dropped_whole(line, reason):
    parts = split_document(f"Text before.\n\n{line}\n\nText after.\n")
    assert texts(parts) == ["Text before.", "Text after."]
    assert parts.dropped == [(3, line, reason)]


@pytest.mark.parametrize("line", ["https://example.com/news/1538/article-0.html", "www.example.org/a?b=1",
                                  "<https://example.com/a> https://example.com/b"])
def test_a_line_of_bare_links_is_dropped_as_a_link_never_a_section_heading(line):
    parts = split_document(f"Text before.\n\n{line}\n\nText after it.\n")
    assert texts(parts) == ["Text before.", "Text after it."]
    assert sections(parts) == ["", ""] and parts.headings == []
    assert parts.dropped == [(3, line, "link")]


def test_a_link_inside_a_hard_wrapped_paragraph_stays_in_it():
    text = ("Text before.\n\nThe full report is at\nhttps://example.com/report.pdf\nfor every reader.\n\n"
            "Text after.\n\nMore text.\n")
    assert texts(split_document(text))[1] == "The full report is at https://example.com/report.pdf for every reader."


def test_a_sentence_broken_by_a_link_line_is_joined_again_and_the_link_dropped():
    parts = split_document("Text before.\nThe full report is at\nhttps://example.com/report.pdf\nfor every reader.\n")
    assert texts(parts) == ["Text before.", "The full report is at for every reader."]
    assert parts.headings == [] and reasons(parts) == [(3, "link")]


def test_a_line_of_numbers_is_no_title_or_heading():
    parts = split_document("17612 74607 8272 33433\n\nText after it.\n\n2025 2026\n\nMore text here.\n")
    assert parts.headings == [] and sections(parts) == ["", "", "", ""]


@pytest.mark.parametrize("line", ["\x01", "- .", "***", "---", "• • •"])
def test_line_without_letters_or_digits_is_dropped_never_a_paragraph(line):
    parts = split_document(f"Text.\n{line}\nMore text.\n")
    assert texts(parts) == ["Text.", "More text."]
    assert reasons(parts) == [(2, "no letters or digits")]


# --- front matter ------------------------------------------------------------------------------

FRONT_MATTER = "---\ntitle: L'IA en Chine\nsource: Le Monde\n---\n"


def test_front_matter_lines_are_dropped_as_front_matter():
    parts = split_document(FRONT_MATTER + "La Chine investit dans l'IA.\n")
    assert reasons(parts) == [(1, "front matter"), (2, "front matter"), (3, "front matter"), (4, "front matter")]
    assert texts(parts) == ["La Chine investit dans l'IA."]


def test_first_line_after_the_front_matter_can_be_the_title():
    parts = split_document(FRONT_MATTER + "La course à l'IA\n\nLa Chine investit dans l'IA.\n")
    assert headings(parts) == [("La course à l'IA", "title")]


def test_malformed_front_matter_is_read_as_ordinary_text():
    parts = split_document("---\ntitle: [unclosed\n---\nLa Chine investit dans l'IA.\n")
    assert "front matter" not in [reason for _, reason in reasons(parts)]
    assert "La Chine investit dans l'IA." in texts(parts)


def test_dashes_later_in_the_file_are_not_front_matter():
    parts = split_document("Text.\n---\ntitle: x\n---\n")
    assert "front matter" not in [reason for _, reason in reasons(parts)]


# --- long documents ------------------------------------------------------------------------------


def test_a_hard_wrapped_block_of_a_megabyte_is_joined_in_linear_time():
    line = "and the sentence goes on without an end in sight"
    text = "\n\n".join(["A short paragraph."] * 30_000) + "\n\n" + "\n".join([line] * 20_000) + "\n"
    started = time.perf_counter()
    parts = split_document(text)
    assert time.perf_counter() - started < 10
    assert len(texts(parts)[-1]) == 20_000 * (len(line) + 1) - 1


def test_a_sentence_broken_over_many_paragraphs_is_joined_in_linear_time():
    text = "Start of a sentence\n" + "\n".join(["that goes on and on"] * 40_000) + "\n"
    started = time.perf_counter()
    parts = split_document(text)
    assert time.perf_counter() - started < 10
    assert len(texts(parts)) == 1


def test_a_five_megabyte_file_of_seed_paragraphs_is_segmented_within_a_minute(tmp_path: Path):
    seed_texts = [text for parts in (split_document(path.read_text(encoding="utf-8"))
                                     for path in sorted(SEEDS.glob("*.txt"))) for text in texts(parts)]
    repeats = 5_000_000 // len("\n\n".join(seed_texts)) + 1
    folder = write_corpus(tmp_path / "corpus", {"big.txt": "\n\n".join(seed_texts * repeats)})
    started = time.perf_counter()
    segmentation = segment_corpus(load_corpus(folder), Settings())
    assert time.perf_counter() - started < 60
    assert len(segmentation.paragraphs) >= len(seed_texts) * repeats * 0.9
    assert set(segmentation.paragraphs["lang"]) == {"en", "fr"}


# --- glued sentences and truncated text -------------------------------------------------------


@pytest.mark.parametrize(
    ("glued", "restored"),
    [
        ("low-income countries.When American", "low-income countries. When American"),
        ("ten years ago.DeepSeek's instant fame", "ten years ago. DeepSeek's instant fame"),
        ("in the future?Although the United States", "in the future? Although the United States"),
        ("in 2015.The book", "in 2015. The book"),
        ("a Catastrophic mistake.\"?Do you have", "a Catastrophic mistake.\"? Do you have"),  # a scraper's stray "?"
        ("said the minister.”The plan", "said the minister.” The plan"),
    ],
)
def test_glued_sentences_get_their_space_back(glued, restored):
    assert restore_glued_sentences(glued) == restored


@pytest.mark.parametrize(
    "kept",
    ["the U.S. Department of Commerce", "Alibaba and 01.AI, a start-up", "ecosystem——And the model",
     "Silicon Valley.. Although", "\"mass-market AI.\"China"],
)
def test_abbreviations_and_other_punctuation_are_left_alone(kept):
    assert restore_glued_sentences(kept) == kept


def test_glued_sentence_is_restored_inside_a_paragraph():
    assert texts(split_document("Tools for low-income countries.When American books sold.")) == [
        "Tools for low-income countries. When American books sold."]


def test_truncated_paragraph_is_kept_as_it_is():
    line = "Alors que la course est loin d'être terminée, Pékin est bien positionné pour"
    assert texts(split_document(f"Texte avant.\n{line}\n\n\n")) == ["Texte avant.", line]


# --- segment_corpus ----------------------------------------------------------------------------


def test_ids_are_numbered_per_document_in_reading_order(tmp_path: Path, fake_languages):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "One.\nTwo.\n", "b.txt": "Three.\n"})
    paragraphs = segment_corpus(load_corpus(folder), Settings()).paragraphs
    assert paragraphs[["id", "text"]].values.tolist() == [["a-001", "One."], ["a-002", "Two."], ["b-001", "Three."]]


def test_paragraph_table_has_the_agreed_columns_and_word_counts(tmp_path: Path, fake_languages):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "# Title\n\nThe cat  sat down.\n"})
    paragraphs = segment_corpus(load_corpus(folder), Settings()).paragraphs
    assert list(paragraphs.columns) == PARAGRAPH_COLUMNS
    assert paragraphs.loc[0, ["section", "n_words"]].tolist() == ["Title", 4]


def test_dropped_lines_and_metadata_are_collected_per_document(tmp_path: Path, fake_languages):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text.\nSource: Nature, 2025\n"})
    segmentation = segment_corpus(load_corpus(folder), Settings())
    assert segmentation.dropped.values.tolist() == [["a", 2, "Source: Nature, 2025", "source note"]]
    assert segmentation.metadata == {"a": {"source_note": "Source: Nature, 2025"}}


def test_write_segmentation_writes_paragraphs_headings_and_dropped_tables(tmp_path: Path, fake_languages):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Title\n\nText.\n\nA picture. (PHOTO: XINHUA)\n"})
    written = write_segmentation(segment_corpus(load_corpus(folder), Settings()), tmp_path / "out")
    assert [path.name for path in written] == ["paragraphs.csv", "headings.csv", "dropped.csv"]
    assert pd.read_csv(written[1])[["line", "text", "kind"]].values.tolist() == [[1, "Title", "title"]]
    assert list(pd.read_csv(written[2]).columns) == DROPPED_COLUMNS
    assert pd.read_csv(written[2])["reason"].tolist() == ["photo caption"]


def test_each_paragraph_says_the_source_line_it_starts_on(tmp_path: Path, fake_languages):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Title\n\nFirst text line\ngoes on.\n\nSecond one.\n"})
    assert segment_corpus(load_corpus(folder), Settings()).paragraphs["line"].tolist() == [3, 6]


def test_front_matter_is_in_the_segmentation_metadata(tmp_path: Path, fake_languages):
    folder = write_corpus(tmp_path / "corpus", {"a.md": FRONT_MATTER + "Text.\nSource: Nature, 2025\n"})
    segmentation = segment_corpus(load_corpus(folder), Settings())
    assert segmentation.metadata == {"a": {"title": "L'IA en Chine", "source": "Le Monde",
                                           "source_note": "Source: Nature, 2025"}}


def test_progress_bar_runs_over_the_documents_and_is_silent_off_a_terminal(
        tmp_path: Path, fake_languages, monkeypatch: pytest.MonkeyPatch):
    calls = []

    def recording_tqdm(iterable, **options):
        calls.append((len(iterable), options.get("disable", False)))
        return iterable

    monkeypatch.setattr(paragraphs_module, "tqdm", recording_tqdm)
    segment_corpus(load_corpus(write_corpus(tmp_path / "corpus", {"a.txt": "A.", "b.txt": "B."})), Settings())
    assert calls == [(2, None)]


# --- the real seeds (split only: fast) -----------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda path: path.name[:3])
def test_every_non_blank_seed_line_is_in_a_paragraph_a_heading_or_the_dropped_log(path, seed_parts):
    parts = seed_parts[path.stem]
    kept = [letters_and_digits(text) for text in
            texts(parts) + [text for _, text, _ in parts.headings] + [text for _, text, _ in parts.dropped]]
    lost = [line for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not any(letters_and_digits(line) in text for text in kept)]
    assert lost == []


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda path: path.name[:3])
def test_segmentation_keeps_every_word_of_every_seed(path, seed_parts):
    parts = seed_parts[path.stem]
    kept = "".join(letters_and_digits(text) for text in
                   texts(parts) + [text for _, text, _ in parts.headings] + [text for _, text, _ in parts.dropped])
    assert len(kept) == len(letters_and_digits(path.read_text(encoding="utf-8")))


def test_seed_paragraphs_hold_no_caption_byline_heading_or_boilerplate(seed_parts):
    all_texts = [text for parts in seed_parts.values() for text in texts(parts)]
    heading_texts = {text for parts in seed_parts.values() for _, text, _ in parts.headings}
    assert [text for text in all_texts if "(PHOTO" in text or " | " in text] == []
    assert [text for text in all_texts if re.fullmatch(r"By( [A-Z]\w*){1,3}", text)] == []
    assert [text for text in all_texts if text in heading_texts] == []
    assert [text for text in all_texts if text.startswith(("#", "**", "The original article"))] == []


def test_seed_000_title_appears_once_and_its_repeat_is_dropped(seed_parts):
    parts = seed_parts["000_36fb24da248eeb74"]
    assert headings(parts)[0] == (TITLE_000, "title")
    assert parts.dropped[0] == (3, TITLE_000, "duplicate title")
    assert [text for text in texts(parts) if TITLE_000 in text] == []


def test_seed_003_infrastructure_sentence_is_one_paragraph(seed_parts):
    found = [text for text in texts(seed_parts["003_39b1c7941e8ee6b6"])
             if text.startswith("In terms of infrastructure, China has been upgrading its computational")]
    assert len(found) == 1
    assert found[0].endswith("hydroelectric dams, to ensure a robust supply of energy.")


@pytest.mark.parametrize(
    "joined",
    [
        "Healthcare is also being profoundly impacted, with Beijing",
        "The transformation is deeply rooted in its substantial investment",
        "saving time and reducing the need for labor intensive experiments.",
        "A variety of mechanisms for promoting international sci-tech cooperation",
        "Sustainable Development was launched at the International Forum",
    ],
)
def test_seed_003_broken_sentences_are_joined(joined, seed_parts):
    assert sum(joined in text for text in texts(seed_parts["003_39b1c7941e8ee6b6"])) == 1


def test_seed_003_truncated_paragraphs_stay_apart(seed_parts):
    seed_texts = texts(seed_parts["003_39b1c7941e8ee6b6"])
    assert "115 countries and regions took part in its" in seed_texts
    assert any(text.endswith('DeepSeek was even considered as a "Sputnik mo-') for text in seed_texts)


def test_seed_003_sections_are_article_titles_and_subheadings(seed_parts):
    assert list(dict.fromkeys(sections(seed_parts["003_39b1c7941e8ee6b6"]))) == [
        "World Eyes Locked on China's AI", "Policy support", "Ecosystem construction",
        "Talent for the industry", "Open-source strategy", "Beijing is Rising as AI Hub",
        "Behind China's Emergence as Tech Exporter", "AI Boldly Pushes Frontiers of Science",
        "Chinese Remote Sensing Technology Benefits the World", "International cooperation",
        "2025 ZGC Forum: Gala for Global Sci-tech Cooperation",
    ]


def test_seed_001_sections_are_its_short_heading_lines_without_emoji(seed_parts):
    assert list(dict.fromkeys(sections(seed_parts["001_8f308a025fb5c98a"]))) == [
        "Points Clés", "La nouvelle superpuissance de l'IA", "L'avantage énergétique",
        "L'innovation open-source", "La suprématie industrielle", "Une stratégie convergente",
        "Le paysage futur",
    ]


def test_seed_001_short_bullets_become_two_paragraphs(seed_parts):
    seed_texts = texts(seed_parts["001_8f308a025fb5c98a"])
    assert (
        "Expansion massive des centres de données soutenue par un réseau stable; "
        "Coûts opérationnels réduits pour l'entraînement d'IA énergivore; "
        "Dépendance réduite aux marchés énergétiques externes; "
        "Avantage stratégique en capacité de calcul."
    ) in seed_texts
    assert (
        "Chaînes d'approvisionnement intégrées des matières premières aux produits finis; "
        "Prototypage rapide et production de masse de matériel spécifique à l'IA; "
        "Réduction de la dépendance aux importations de technologies étrangères; "
        "Fabrication rentable à l'échelle mondiale."
    ) in seed_texts


def test_seed_001_full_sentence_bullets_stand_alone(seed_parts):
    first_five = seed_parts["001_8f308a025fb5c98a"].paragraphs[:5]
    assert {section for section, _ in first_five} == {"Points Clés"}
    assert first_five[0][1].startswith("Les investissements stratégiques de la Chine dans l'énergie")
    assert first_five[4][1].startswith("Cette approche multifacette positionne Pékin")


def test_seed_002_source_note_is_metadata(seed_parts):
    assert seed_parts["002_7dd869a981110659"].metadata["source_note"].startswith(
        'The original article was published in the Essay section of "Nature"')


def test_seed_dropped_lines_by_reason(seed_parts):
    counted = Counter(reason for parts in seed_parts.values() for _, _, reason in parts.dropped)
    assert counted == {"duplicate title": 1, "image credit": 1, "related-article promo": 1,
                       "source note": 1, "photo caption": 2}


# --- the real seeds through segment_corpus (language detection: slow) ----------------------------


@pytest.mark.slow
def test_seed_ids_are_unique_and_numbered_from_001_per_document(seed_segmentation):
    paragraphs = seed_segmentation.paragraphs
    assert paragraphs["id"].is_unique
    for doc, group in paragraphs.groupby("doc", sort=False):
        assert group["id"].tolist() == [f"{doc}-{number:03d}" for number in range(1, len(group) + 1)]


@pytest.mark.slow
def test_seed_paragraph_counts_per_document(seed_segmentation):
    assert seed_segmentation.paragraphs.groupby("doc").size().to_dict() == {
        "000_36fb24da248eeb74": 14, "001_8f308a025fb5c98a": 29,
        "002_7dd869a981110659": 23, "003_39b1c7941e8ee6b6": 51,
    }


@pytest.mark.slow
def test_seed_languages_follow_the_documents(seed_segmentation):
    by_doc = seed_segmentation.paragraphs.groupby("doc")["lang"].agg(lambda langs: Counter(langs).most_common(1)[0][0])
    assert by_doc.to_dict() == {"000_36fb24da248eeb74": "fr", "001_8f308a025fb5c98a": "fr",
                                "002_7dd869a981110659": "en", "003_39b1c7941e8ee6b6": "en"}


@pytest.mark.slow
def test_seed_segmentation_is_stable_between_runs(seed_segmentation):
    settings = Settings(project_root=SEEDS.parent)
    again = segment_corpus(load_corpus(settings.corpus_path), settings)
    pd.testing.assert_frame_equal(again.paragraphs, seed_segmentation.paragraphs)


# --- every line accounted for ----------------------------------------------------------------------

LINE_KINDS = [
    "A plain sentence that ends with a full stop.", "a line that continues a sentence in lower case",
    "Short title", "# Markdown title", "#### Deeper heading", "**Opinion**", "By Staff Reporters",
    "- a short bullet", "• A bullet that is a whole sentence and ends properly with a stop.",
    "The image shows a user. (PHOTO: XINHUA)", "Image: Reuters | Getty", "Read also | Something else",
    "Source: Nature, 2025", "***", "\x01", "From page 1", "中国人工智能发展迅速，深度求索发布了新的开源模型。",
    "Московский университет объявил о новой программе.", "word-", "ending with a comma,", "",
    "1,037.3 EFLOPS 2025 https://example.org/a/b", "---", "title: front matter lookalike",
]


def test_every_non_blank_line_ends_in_a_paragraph_a_heading_or_the_dropped_log():
    import random

    from topicmap.paragraphs import unaccounted_lines

    generator = random.Random(0)
    documents = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    documents += ["\n".join(generator.choice(LINE_KINDS) for _ in range(generator.randint(1, 60)))
                  for _ in range(400)]
    documents += ["\n\n".join(generator.choice(LINE_KINDS) for _ in range(generator.randint(1, 60)))
                  for _ in range(400)]
    for text in documents:
        assert unaccounted_lines(text, split_document(text)) == [], text


# --- boilerplate: paragraphs repeated across documents (issue 33) -----------------------------------

NEWSLETTER = "Sign up for our newsletter to get the day's 5 top stories."


SUBJECTS = ["solar power", "chip exports", "rice harvests", "rail strikes", "ocean heat"]


def _article(number: int, *extra: str) -> str:
    """A short article of its own (on ``SUBJECTS[number]``: numbers alone would not tell two apart), with
    ``extra`` lines after its first paragraph."""
    subject = SUBJECTS[number]
    return "\n".join([f"News of {subject}", f"This week brought news of {subject} to the region.", *extra,
                      f"More on {subject} will follow soon."]) + "\n"


def test_a_line_repeated_in_many_documents_is_set_aside_with_how_many(tmp_path: Path, fake_languages):
    files = {f"{name}.txt": _article(number, NEWSLETTER.replace("5", str(number)).upper() if number == 2 else NEWSLETTER)
             for number, name in enumerate("abcd")}
    segmentation = segment_corpus(load_corpus(write_corpus(tmp_path / "corpus", files)), Settings())
    assert not segmentation.paragraphs["text"].str.contains("newsletter", case=False).any()
    moved = segmentation.dropped[segmentation.dropped["reason"].str.startswith("repeated")]
    assert moved[["doc", "line", "reason"]].values.tolist() == [[doc, 3, "repeated in 4 documents"] for doc in "abcd"]
    assert moved["text"].tolist()[2] == NEWSLETTER.replace("5", "2").upper()  # each copy as its document has it


def test_the_same_sentence_in_two_outlets_is_kept(tmp_path: Path, fake_languages):
    quote = '"We will not give up," the minister told reporters on Monday.'
    files = {"a.txt": _article(1, quote), "b.txt": _article(2, quote), "c.txt": _article(3)}
    segmentation = segment_corpus(load_corpus(write_corpus(tmp_path / "corpus", files)), Settings())
    assert (segmentation.paragraphs["text"] == quote).sum() == 2
    assert segmentation.dropped.empty


def test_repeats_inside_one_document_are_not_boilerplate(tmp_path: Path, fake_languages):
    files = {"a.txt": _article(1, "Read the full story.", "Read the full story."), "b.txt": _article(2, "Read the full story.")}
    segmentation = segment_corpus(load_corpus(write_corpus(tmp_path / "corpus", files)), Settings())
    assert (segmentation.paragraphs["text"] == "Read the full story.").sum() == 3


def test_the_number_of_documents_that_makes_boilerplate_is_a_setting_and_zero_turns_it_off(tmp_path: Path,
                                                                                          fake_languages):
    documents = load_corpus(write_corpus(tmp_path / "corpus", {f"{n}.txt": _article(n, NEWSLETTER) for n in range(3)}))
    assert len(segment_corpus(documents, Settings()).dropped) == 3
    assert segment_corpus(documents, Settings(boilerplate_min_documents=4)).dropped.empty
    assert segment_corpus(documents, Settings(boilerplate_min_documents=0)).dropped.empty


def test_a_help_line_followed_by_a_different_menu_path_in_each_page_is_boilerplate(tmp_path: Path, fake_languages):
    paths = ["Choose Insert - Section", "Choose Format - Character - Font tab", "Choose Tools - Options"]
    # hard-wrapped pages: the help sentence and the menu path are one paragraph
    files = {f"{n}.txt": f"Help on {subject}\n\nThis page explains {subject} in the editor.\n\n"
                         f"To access this command...\n{path}\n\nThe dialog of {subject} has three tabs.\n"
             for n, (subject, path) in enumerate(zip(["sections", "fonts", "options"], paths))}
    segmentation = segment_corpus(load_corpus(write_corpus(tmp_path / "corpus", files)), Settings())
    assert segmentation.dropped["text"].tolist() == [f"To access this command... {path}" for path in paths]
    assert set(segmentation.dropped["reason"]) == {"repeated in 3 documents"}


@pytest.mark.parametrize("texts", [
    # a caption keeps the words after its number: they are no label to leave out, or every one would be "figure"
    ["Figure 1.1. World-wide distribution of Debian developers", "Figure 3.2. The network of the office",
     "Figure 4.1. Booting from a USB key"],
    # a lower-case tail after an abbreviation is the rest of the sentence
    ["Prices rose in the U.S. last month", "Prices rose in the U.S. last week", "Prices rose in the U.S. today"],
])
def test_paragraphs_that_differ_in_their_words_are_not_repeats(texts):
    from topicmap.paragraphs import repeated_text_key

    assert len({repeated_text_key(text) for text in texts}) == len(texts)


def test_a_paragraph_without_a_letter_is_never_a_repeat(tmp_path: Path, fake_languages):
    from topicmap.paragraphs import repeated_text_key

    assert {repeated_text_key(text) for text in ["2024", "1,500", "37.5 %"]} == {""}  # nothing tells them apart
    files = {f"{n}.txt": _article(n, "2024") for n in range(3)}
    assert segment_corpus(load_corpus(write_corpus(tmp_path / "corpus", files)), Settings()).dropped.empty


@pytest.mark.parametrize("variants", [
    ["To access this command…", "To access this command...", "TO ACCESS THIS COMMAND"],
    ["Day 12 of the war in Ukraine.", "Day 13 of the war in Ukraine", "Day 400 of the  war in Ukraine!"],
    ["Pour accéder à cette commande... Choisissez Format - Caractère - onglet Police",
     "Pour accéder à cette commande…", "POUR ACCÉDER À CETTE COMMANDE ... Choisissez Outils - Options"],
])
def test_case_spacing_digits_punctuation_and_a_trailing_label_do_not_tell_repeats_apart(variants):
    from topicmap.paragraphs import repeated_text_key

    assert len({repeated_text_key(text) for text in variants}) == 1


def test_every_line_of_a_corpus_with_boilerplate_is_in_a_paragraph_a_heading_or_the_dropped_log(
        tmp_path: Path, fake_languages):
    files = {f"{n}.txt": _article(n, NEWSLETTER, "Read more", "Day 12 of the war.") for n in range(5)}
    folder = write_corpus(tmp_path / "corpus", files)
    segmentation = segment_corpus(load_corpus(folder), Settings())
    accounted = {(row.doc, row.line) for table in (segmentation.paragraphs, segmentation.headings, segmentation.dropped)
                 for row in table.itertuples()}
    every = {(path.stem, number) for path in folder.glob("*.txt")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if line.strip()}
    assert accounted == every
    assert set(segmentation.dropped["reason"]) == {"repeated in 5 documents"}


SHARE_BAR = "Send Facebook Twitter Google+ Whatsapp Tumblr linkedin stumble Digg reddit Newsvine Permalink"
PLEA = "Do you have information you want to share with the newsroom of this paper? Here's how."


def _glued(number: int, tail: str) -> str:
    """An article whose first paragraph has ``tail`` glued to it, as a scraper leaves a share bar or a footer."""
    subject = SUBJECTS[number]
    return (f"News of {subject}\n\nThis week brought news of {subject} to the region. {tail}\n\n"
            f"More on {subject} will follow soon.\n")


def test_a_share_bar_glued_inside_the_paragraphs_of_many_articles_is_cut_out_with_its_link(tmp_path: Path,
                                                                                           fake_languages):
    files = {f"{n}.txt": _glued(n, f"{SHARE_BAR} http://dw.com/p/{n}x{n} {SUBJECTS[n].capitalize()} waits.")
             for n in range(4)}
    segmentation = segment_corpus(load_corpus(write_corpus(tmp_path / "corpus", files)), Settings())
    first = segmentation.paragraphs.groupby("doc")["text"].first().tolist()
    assert first == [f"This week brought news of {s} to the region. {s.capitalize()} waits." for s in SUBJECTS[:4]]
    assert segmentation.dropped["text"].tolist() == [f"{SHARE_BAR} http://dw.com/p/{n}x{n}" for n in range(4)]
    assert set(segmentation.dropped["reason"]) == {"passage repeated in 4 documents"}
    assert segmentation.paragraphs["n_words"].tolist() == [len(t.split()) for t in segmentation.paragraphs["text"]]


def test_a_sentence_glued_to_many_articles_is_cut_whole_and_prose_sharing_part_of_its_words_stays(tmp_path: Path,
                                                                                                  fake_languages):
    shared = "includes several extensions to the character set of the old teleprinters and terminals."
    files = {f"{n}.txt": _glued(n, f"{PLEA} The {SUBJECTS[n]} standard {shared}") for n in range(5)}
    segmentation = segment_corpus(load_corpus(write_corpus(tmp_path / "corpus", files)), Settings())
    assert segmentation.dropped["text"].tolist() == [PLEA] * 5
    first = segmentation.paragraphs.groupby("doc")["text"].first().tolist()
    assert first == [f"This week brought news of {s} to the region. The {s} standard {shared}" for s in SUBJECTS]


def test_a_passage_in_fewer_documents_than_the_setting_is_content_and_zero_turns_the_rule_off(tmp_path: Path,
                                                                                              fake_languages):
    three = load_corpus(write_corpus(tmp_path / "three", {f"{n}.txt": _glued(n, PLEA) for n in range(3)}))
    assert segment_corpus(three, Settings()).dropped.empty  # an agency's sentence quoted by three outlets
    assert len(segment_corpus(three, Settings(boilerplate_passage_min_documents=3)).dropped) == 3
    five = load_corpus(write_corpus(tmp_path / "five", {f"{n}.txt": _glued(n, PLEA) for n in range(5)}))
    assert segment_corpus(five, Settings(boilerplate_passage_min_documents=0)).dropped.empty
    assert segment_corpus(five, Settings(boilerplate_passage_words=20)).dropped.empty  # PLEA has 17 words


def test_a_title_repeated_inside_sentences_and_a_sentence_after_an_abbreviation_are_never_cut_in_part(
        tmp_path: Path, fake_languages):
    files = {f"{n}.txt": _glued(n, f"On day {n}, United Nations High Commissioner for Refugees Filippo Grandi told "
                                   f"the Security Council that funding for {SUBJECTS[n]} had run out. Officials met "
                                   f"Dr. Jane Smith of the national health institute at the central hospital in "
                                   f"{SUBJECTS[n]}.") for n in range(4)}
    segmentation = segment_corpus(load_corpus(write_corpus(tmp_path / "corpus", files)), Settings())
    assert segmentation.dropped.empty  # a title with function words is prose, and "Dr." ends no sentence


def test_a_mark_spaced_off_a_cut_sentence_goes_with_it(tmp_path: Path, fake_languages):
    plea = "Abonnez-vous à notre lettre d'information pour recevoir les actualités de la région chaque matin !"
    files = {f"{n}.txt": _glued(n, plea) for n in range(4)}
    segmentation = segment_corpus(load_corpus(write_corpus(tmp_path / "corpus", files)), Settings())
    assert segmentation.dropped["text"].tolist() == [plea] * 4
    assert not segmentation.paragraphs["text"].str.endswith("!").any()


def test_a_paragraph_left_without_a_letter_goes_whole_to_the_dropped_lines(tmp_path: Path, fake_languages):
    files = {f"{n}.txt": _article(n, f"{SHARE_BAR} https://example.com/{n}") for n in range(4)}
    segmentation = segment_corpus(load_corpus(write_corpus(tmp_path / "corpus", files)), Settings())
    assert not segmentation.paragraphs["text"].str.contains("Facebook|example").any()
    assert segmentation.dropped["text"].tolist() == [f"{SHARE_BAR} https://example.com/{n}" for n in range(4)]


def _letters(number: int) -> str:
    """A word of its own for each number, in letters (digits would not tell two paragraphs apart): 27 -> "bb"."""
    word = ""
    while True:
        number, rest = divmod(number, 26)
        word += "abcdefghijklmnopqrstuvwxyz"[rest]
        if not number:
            return word


def test_setting_boilerplate_aside_is_linear_in_the_number_of_paragraphs():
    from topicmap.paragraphs import Segmentation, set_aside_repeated

    def table(n: int) -> Segmentation:
        texts = [f"This paragraph of the archive says something of its own: {_letters(i)}." if i % 10 else NEWSLETTER
                 for i in range(n)]
        return Segmentation(pd.DataFrame({"id": [f"d{i // 20}-{i % 20:03d}" for i in range(n)],
                                          "doc": [f"d{i // 20}" for i in range(n)], "line": 1, "lang": "en",
                                          "section": "", "text": texts, "n_words": 12}), pd.DataFrame(columns=DROPPED_COLUMNS))

    small, large = table(5_000), table(50_000)
    start = time.perf_counter()
    set_aside_repeated(small, 3)
    middle = time.perf_counter()
    result = set_aside_repeated(large, 3)
    end = time.perf_counter()
    assert len(result.dropped) == 5_000 and len(result.paragraphs) == 45_000
    assert end - middle < 30 * (middle - start) + 1.0  # ten times the paragraphs, not a hundred times the time


def test_cutting_repeated_passages_is_linear_in_the_number_of_paragraphs():
    from topicmap.paragraphs import Segmentation, cut_repeated_passages

    def table(n: int) -> Segmentation:
        texts = [f"This paragraph of the archive says something of its own about {_letters(i)} and {_letters(i + 7)}."
                 + (f" {PLEA}" if i % 10 == 0 else "") for i in range(n)]
        return Segmentation(pd.DataFrame({"id": [f"d{i // 20}-{i % 20:03d}" for i in range(n)],
                                          "doc": [f"d{i // 20}" for i in range(n)], "line": 1, "lang": "en",
                                          "section": "", "text": texts, "n_words": 12}), pd.DataFrame(columns=DROPPED_COLUMNS))

    small, large = table(5_000), table(50_000)
    start = time.perf_counter()
    cut_repeated_passages(small, 4, 10)
    middle = time.perf_counter()
    result = cut_repeated_passages(large, 4, 10)
    end = time.perf_counter()
    assert len(result.dropped) == 5_000 and not result.paragraphs["text"].str.contains("Here's how").any()
    assert end - middle < 30 * (middle - start) + 1.0  # ten times the paragraphs, not a hundred times the time
