"""Corpus loading: which files are read, how they are decoded, and which are skipped and why."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from conftest import SEEDS, write_corpus
from topicmap import corpus as corpus_module
from topicmap.corpus import CorpusError, decode_text, load_corpus
from topicmap.paragraphs import split_document

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


# --- encodings -----------------------------------------------------------------------------------


def test_latin1_french_is_read_as_cp1252_and_the_warning_names_it(caplog: pytest.LogCaptureFixture):
    sentence = "Très bien, ça marche déjà à Noël.\n"
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        assert decode_text(sentence.encode("latin-1"), "x.txt") == (sentence, "cp1252")
    assert "x.txt is not UTF-8; decoded as cp1252" in caplog.text


def test_cp1252_quotes_dashes_and_euro_sign_are_read_back():
    text = "L’été – « déjà » fini… Œuvre à 5 €.\n"
    assert decode_text(text.encode("cp1252"), "x.txt") == (text, "cp1252")


@pytest.mark.parametrize("text, encoding", [
    ("Привет, как дела? Это обычный русский текст для проверки.", "cp1251"),
    ("Zażółć gęślą jaźń, to jest polski tekst do sprawdzenia.", "cp1250"),
    ("Καλημέρα, αυτό είναι ένα ελληνικό κείμενο για δοκιμή.", "cp1253"),
])
def test_text_that_does_not_read_as_cp1252_falls_back_to_the_detected_encoding(text, encoding):
    assert decode_text(text.encode(encoding), "x.txt")[0] == text


def _french_seed_paragraphs() -> list[str]:
    """Paragraphs of the French seeds that latin-1 can hold (emoji and dashes cannot)."""
    paragraphs = [text for path in sorted([*SEEDS.glob("000*"), *SEEDS.glob("001*")])
                  for _, text in split_document(path.read_text(encoding="utf-8")).paragraphs]
    return [text for text in paragraphs if all(ord(char) < 256 for char in text)]


def test_every_french_seed_paragraph_saved_in_latin1_reads_back_unchanged(tmp_path: Path):
    paragraphs = _french_seed_paragraphs()
    assert len(paragraphs) >= 30
    folder = write_corpus(tmp_path / "corpus", {f"p{number:03d}.txt": text.encode("latin-1")
                                                for number, text in enumerate(paragraphs)})
    assert [document.text for document in load_corpus(folder)] == paragraphs


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark_is_decoded(tmp_path: Path, encoding: str):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": LATIN_1_TEXT.encode(encoding)})
    document = load_corpus(folder)[0]
    assert (document.text, document.encoding) == (LATIN_1_TEXT, encoding)


def test_file_holding_only_a_utf8_byte_order_mark_is_skipped_with_a_warning_naming_it(
        tmp_path: Path, caplog: pytest.LogCaptureFixture):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text.", "bom.txt": b"\xef\xbb\xbf"})
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        documents = load_corpus(folder)
    assert [document.doc for document in documents] == ["a"]
    assert "bom.txt" in caplog.text and "byte-order mark" in caplog.text


# --- unreadable files and folders ----------------------------------------------------------------


def test_unreadable_file_is_skipped_with_a_warning_naming_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text.", "locked.txt": "Secret."})
    read_bytes = Path.read_bytes

    def refuse_locked(path: Path) -> bytes:
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse_locked)
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        documents = load_corpus(folder)
    assert [document.doc for document in documents] == ["a"]
    assert "locked.txt" in caplog.text and "Permission denied" in caplog.text


def test_unreadable_corpus_folder_raises_corpus_error_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = write_corpus(tmp_path / "locked_corpus", {"a.txt": "Text."})
    monkeypatch.setattr(corpus_module.os, "scandir", _refusing_scandir)
    with pytest.raises(CorpusError, match="cannot read corpus folder.*locked_corpus.*Permission denied"):
        load_corpus(folder)


def _refusing_scandir(path):
    raise PermissionError(13, "Permission denied", str(path))


# --- subfolders, links, duplicates, other files -----------------------------------------------------


def test_files_in_subfolders_are_read_with_their_relative_path_as_id(tmp_path: Path):
    folder = write_corpus(tmp_path / "corpus", {"b.txt": "Bee."})
    write_corpus(folder / "2024", {"lemonde_01.md": "Monde."})
    write_corpus(folder / "2024" / "03", {"x.txt": "Deep."})
    assert [document.doc for document in load_corpus(folder)] == ["2024/03/x", "2024/lemonde_01", "b"]


def test_the_log_says_how_many_subfolders_were_read(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "A."})
    write_corpus(folder / "2024", {"b.txt": "B."})
    write_corpus(folder / "2025", {"c.txt": "C."})
    with caplog.at_level(logging.INFO, logger="topicmap.corpus"):
        load_corpus(folder)
    assert "read 3 files" in caplog.text and "2 subfolders" in caplog.text


def test_broken_symlink_is_skipped_with_a_warning_naming_it(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text."})
    (folder / "gone.txt").symlink_to(tmp_path / "no_such_file.txt")
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        documents = load_corpus(folder)
    assert [document.doc for document in documents] == ["a"]
    assert "gone.txt" in caplog.text and "broken symbolic link" in caplog.text


def test_self_referencing_symlink_is_skipped_with_a_warning_naming_it(
        tmp_path: Path, caplog: pytest.LogCaptureFixture):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text."})
    (folder / "self.txt").symlink_to(folder / "self.txt")
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        assert [document.doc for document in load_corpus(folder)] == ["a"]
    assert "self.txt" in caplog.text and "loop" in caplog.text


def test_folder_link_back_to_an_ancestor_is_skipped_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text."})
    write_corpus(folder / "sub", {"b.txt": "More."})
    (folder / "sub" / "up").symlink_to(folder, target_is_directory=True)
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        assert [document.doc for document in load_corpus(folder)] == ["a", "sub/b"]
    assert "sub/up" in caplog.text and "loop" in caplog.text


def test_duplicate_file_is_counted_once_and_the_warning_names_both(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Same text.", "c.txt": "Other."})
    write_corpus(folder / "b", {"copy.txt": "Same text."})
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        documents = load_corpus(folder)
    assert [document.doc for document in documents] == ["a", "c"]
    assert "copy.txt" in caplog.text and "a.txt" in caplog.text


def test_files_with_other_suffixes_are_counted_in_one_info_line(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text.", "x.csv": "1", "y.csv": "2", "README": "r"})
    with caplog.at_level(logging.INFO, logger="topicmap.corpus"):
        load_corpus(folder)
    ignored = [record.getMessage() for record in caplog.records if "ignored" in record.getMessage()]
    assert len(ignored) == 1
    assert "ignored 3 files" in ignored[0] and ".csv (2)" in ignored[0] and "no suffix (1)" in ignored[0]


def test_two_files_with_one_stem_get_distinct_ids(tmp_path: Path):
    folder = write_corpus(tmp_path / "corpus", {"a.md": "Markdown.", "a.txt": "Plain."})
    assert [document.doc for document in load_corpus(folder)] == ["a", "a.txt"]


# --- front matter -----------------------------------------------------------------------------------


def test_front_matter_is_kept_as_document_metadata(tmp_path: Path):
    text = "---\ntitle: L'IA en Chine\ndate: 2024-03-01\nsource: Le Monde\nlang: fr\n---\nTexte.\n"
    folder = write_corpus(tmp_path / "corpus", {"a.md": text})
    document = load_corpus(folder)[0]
    assert document.metadata == {"title": "L'IA en Chine", "date": "2024-03-01", "source": "Le Monde", "lang": "fr"}
    assert document.text == text


def test_malformed_front_matter_is_warned_about_naming_the_file(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    folder = write_corpus(tmp_path / "corpus", {"a.md": "---\ntitle: [unclosed\n---\nTexte.\n"})
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        document = load_corpus(folder)[0]
    assert document.metadata == {}
    assert "a.md" in caplog.text and "front matter" in caplog.text
