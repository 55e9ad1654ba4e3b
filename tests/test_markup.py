"""A Markdown article is read as the text a reader sees: its markup never reaches a theme, every line keeps its
number, and the lines that hold no prose are set aside with their reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_corpus
from topicmap.config import Settings
from topicmap.corpus import load_corpus
from topicmap.markup import CODE_BLOCK, HTML_COMMENT, LINK_REFERENCE, MARKUP_ONLY, inline_text, plain_lines
from topicmap.paragraphs import segment_corpus, split_document


@pytest.mark.parametrize("markdown, shown", [
    ("**Bold** and *italic* and ~~struck~~ and `code`", "Bold and italic and struck and code"),
    ("A [report](https://www.example.com/tag/report \"title\") on chips", "A report on chips"),
    ("Huawei ![Ascend](https://x.org/a.png) processors", "Huawei processors"),
    ("chips <span class=\"share-button\">Share</span> and<br/>rules", "chips Share and rules"),
    ("export rules[^1] tightened", "export rules tightened"),
    ("snake_case_name and 2 * 3 * 4 stay", "snake_case_name and 2 * 3 * 4 stay"),
    ("AT&amp;T and \\*not emphasis\\*", "AT&T and *not emphasis*"),
    ("see <https://example.com/a>", "see https://example.com/a"),
])
def test_inline_markup_is_replaced_by_what_a_reader_sees(markdown, shown):
    assert inline_text(markdown) == shown


def test_block_markup_goes_and_lines_without_prose_are_set_aside_with_their_numbers():
    lines = list(enumerate(["> A quote from a researcher.", "## Section title ##", "+ A plus bullet",
                            "```python", "# a comment in code", "```", "<!-- an HTML", "comment -->",
                            "[1]: https://example.com \"ref\"", "[^1]: The footnote's text.",
                            "![a photo](https://x.org/p.png)", "<div class=\"ad\">"], start=1))
    plain, aside = plain_lines(lines)
    assert [number for number, _ in plain] == list(range(1, 13))
    assert [text for _, text in plain] == ["A quote from a researcher.", "## Section title", "- A plus bullet",
                                           "", "", "", "", "", "", "The footnote's text.", "", ""]
    assert [(number, reason) for number, _, reason in aside] == [
        (4, CODE_BLOCK), (5, CODE_BLOCK), (6, CODE_BLOCK), (7, HTML_COMMENT), (8, HTML_COMMENT),
        (9, LINK_REFERENCE), (11, MARKUP_ONLY), (12, MARKUP_ONLY)]


def test_a_fence_that_never_closes_sets_aside_its_own_line_only():
    plain, aside = plain_lines([(1, "```"), (2, "The rest of the article is prose."), (3, "More prose.")])
    assert [text for _, text in plain] == ["", "The rest of the article is prose.", "More prose."]
    assert aside == [(1, "```", CODE_BLOCK)]


def test_a_comment_in_a_code_block_is_no_heading_and_plain_text_files_keep_their_stars(tmp_path: Path):
    article = ("Chips and rules\n\nThe **export rules** shaped the [laboratories](https://x.org/labs).\n\n"
               "```\n# not a heading\n```\n\nThe last paragraph of the article.\n")
    parts = split_document(article, markdown=True)
    assert [text for _, text in parts.paragraphs] == ["The export rules shaped the laboratories.",
                                                      "The last paragraph of the article."]
    assert {section for section, _ in parts.paragraphs} == {"Chips and rules"}
    documents = load_corpus(write_corpus(tmp_path / "corpus", {"a.md": article, "b.txt": "Plain text\n\n" + article}))
    texts = segment_corpus(documents, Settings(boilerplate_min_documents=0)).paragraphs.groupby("doc")["text"].first()
    assert texts["a"] == "The export rules shaped the laboratories."
    assert texts["b"].startswith("The **export rules** shaped the [laboratories]")


@pytest.mark.parametrize("line", ["[Update]: The company said on Monday that the results were better than expected.",
                                  "```code``` spans at the start of a line are prose.",
                                  "<!-- a note --> Prose after a comment on the same line."])
def test_prose_that_looks_like_a_definition_a_fence_or_a_comment_stays_prose(line):
    plain, aside = plain_lines([(1, line)])
    assert aside == [] and plain[0][1] and "-->" not in plain[0][1] and "```" not in plain[0][1]


def test_a_script_block_is_set_aside_and_markup_across_lines_is_read_once_they_are_joined():
    article = ("Title of the piece\n\nA hard-wrapped paragraph with *emphasis that\ncontinues* and a [link that\n"
               "wraps](https://example.com/page) across lines.\n\n<script>\nvar x = 1;\n</script>\n\nThe end of it.\n")
    parts = split_document(article, markdown=True)
    assert [text for _, text in parts.paragraphs] == [
        "A hard-wrapped paragraph with emphasis that continues and a link that wraps across lines.", "The end of it."]
    assert [reason for _, _, reason in parts.dropped] == ["script or style"] * 3
