"""Corpus loading: which files are read, how they are decoded, and which are skipped and why."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from conftest import SEEDS, write_corpus
from topicmap.corpus import CorpusError, load_corpus

LATIN_1_TEXT = "Un café crème à la terrasse, s'il vous plaît.\n"


def test_missing_folder_raises_corpus_error_naming_the_folder(tmp_path: Path):
    missing = tmp_path / "no_such_corpus"
    with pytest.raises(CorpusError, match="no_such_corpus"):
        load_corpus(missing)


def test_empty_folder_raises_corpus_error_naming_the_folder(tmp_path: Path):
    empty = tmp_path / "empty_corpus"
    empty.mkdir()
    with pytest.raises(CorpusError, match="no readable text files.*empty_corpus"):
        load_corpus(empty)


def test_files_are_read_in_name_order_with_the_stem_as_document_id(tmp_path: Path):
    folder = write_corpus(tmp_path / "corpus", {"b.txt": "Second.", "a.md": "First."})
    assert [(document.doc, document.text) for document in load_corpus(folder)] == [("a", "First."), ("b", "Second.")]


def test_files_with_other_suffixes_are_ignored(tmp_path: Path):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text.", "notes.csv": "x,y", "b.json": "{}"})
    assert [document.doc for document in load_corpus(folder)] == ["a"]


def test_utf8_file_is_read_as_utf8_without_its_byte_order_mark(tmp_path: Path):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "\ufeffCafé.".encode("utf-8")})
    document = load_corpus(folder)[0]
    assert (document.text, document.encoding) == ("Café.", "utf-8")


def test_non_utf8_file_is_decoded_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    folder = write_corpus(tmp_path / "corpus", {"latin.txt": LATIN_1_TEXT.encode("latin-1")})
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        document = load_corpus(folder)[0]
    assert document.text == LATIN_1_TEXT
    assert document.encoding != "utf-8"
    assert "latin.txt is not UTF-8" in caplog.text


def test_binary_file_is_skipped_with_a_warning_naming_it(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text.", "image.txt": b"\x89PNG\x00\x00\x01binary"})
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        documents = load_corpus(folder)
    assert [document.doc for document in documents] == ["a"]
    assert "image.txt" in caplog.text and "binary" in caplog.text


def test_empty_file_is_skipped_with_a_warning_naming_it(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text.", "blank.txt": "  \n\n"})
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        documents = load_corpus(folder)
    assert [document.doc for document in documents] == ["a"]
    assert "blank.txt" in caplog.text and "empty" in caplog.text


def test_folder_of_only_skipped_files_raises_corpus_error(tmp_path: Path):
    folder = write_corpus(tmp_path / "corpus", {"blank.txt": "", "image.txt": b"\x00\x01"})
    with pytest.raises(CorpusError, match="no readable text files"):
        load_corpus(folder)


def test_seed_corpus_loads_its_four_files_unchanged():
    documents = load_corpus(SEEDS)
    assert [document.doc[:3] for document in documents] == ["000", "001", "002", "003"]
    assert all(document.text == document.path.read_text(encoding="utf-8") for document in documents)
