"""Corpus loading: which files are read, how they are decoded, and which are skipped and why."""

from __future__ import annotations

import logging
import os
import time
import zlib
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


def read_one(tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, text: str):
    """The one document of a corpus of one file, read with the warnings kept in ``caplog``."""
    folder = write_corpus(tmp_path / "corpus", {name: text})
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        return load_corpus(folder)[0]


def test_malformed_front_matter_is_warned_about_naming_the_file(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    document = read_one(tmp_path, caplog, "a.md", "---\ntitle: [unclosed\n---\nTexte.\n")
    assert document.metadata == {}
    assert "a.md" in caplog.text and "front matter" in caplog.text


def test_front_matter_written_with_windows_line_ends_is_read_as_front_matter(tmp_path: Path):
    text = "---\r\ntitle: Same\r\ndate: 2021-01-01\r\nsource: Le Monde\r\n---\r\nTexte de l'article.\r\n"
    folder = write_corpus(tmp_path / "corpus", {"crlf.md": text})
    document = load_corpus(folder)[0]
    assert document.metadata == {"title": "Same", "date": "2021-01-01", "source": "Le Monde"}
    assert [reason for _, _, reason in split_document(document.text).dropped] == ["front matter"] * 5


def test_front_matter_never_closed_is_warned_about_and_read_as_text(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    document = read_one(tmp_path, caplog, "noclose.md", "---\ntitle: Open\ndate: 2024-01-01\n\nThe article.\n")
    assert document.metadata == {}
    assert "noclose.md" in caplog.text and "never closed" in caplog.text


def test_a_front_matter_value_that_is_no_text_is_left_out_with_a_warning_naming_its_key(
        tmp_path: Path, caplog: pytest.LogCaptureFixture):
    document = read_one(tmp_path, caplog, "a.md", "---\ntitle: T\nsource: {x: 1}\ntags: [ai, chips]\n---\nText.\n")
    assert document.metadata == {"title": "T", "tags": "ai, chips"}  # a list of words is kept as text
    assert "a.md" in caplog.text and "'source'" in caplog.text and "left out" in caplog.text


def test_front_matter_with_yaml_aliases_is_refused_at_once_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture):
    # a "billion laughs": 1 KB of anchors and aliases that expand to 10^9 items
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 9)]
    text = "---\n" + "\n".join(levels) + "\ntitle: Bomb\n---\nThe article itself.\n"
    folder = write_corpus(tmp_path / "corpus", {"bomb.md": text})
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        document = load_corpus(folder)[0]
        parts = split_document(document.text)
    assert time.perf_counter() - started < 1
    assert document.metadata == {}
    assert "bomb.md" in caplog.text and "alias" in caplog.text
    assert parts.paragraphs[-1][1] == "The article itself."


def test_a_yaml_anchor_without_alias_is_still_read(tmp_path: Path):
    folder = write_corpus(tmp_path / "corpus", {"a.md": "---\nsource: &s Le Monde\n---\nTexte.\n"})
    assert load_corpus(folder)[0].metadata == {"source": "Le Monde"}


# --- a few bad bytes in a UTF-8 file, NUL bytes -------------------------------------------------------

FRENCH_SEED = next(SEEDS.glob("001_*.txt"))


def test_a_utf8_article_with_one_cp1252_apostrophe_is_read_as_utf8_and_the_byte_counted(
        caplog: pytest.LogCaptureFixture):
    raw = FRENCH_SEED.read_bytes()
    assert b"l'" in raw and raw.count(b"\xc3") > 100  # many UTF-8 accented letters
    damaged = raw.replace(b"l'", b"l\x92", 1)
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        text, encoding = decode_text(damaged, "article.txt")
    assert encoding == "utf-8"
    assert text == raw.decode("utf-8").replace("l'", "l\u2019", 1)
    assert "article.txt" in caplog.text and "1 byte" in caplog.text and "cp1252" in caplog.text


def test_a_stray_0xff_in_a_utf8_article_becomes_a_replacement_character_counted_in_the_warning(
        caplog: pytest.LogCaptureFixture):
    raw = FRENCH_SEED.read_bytes()
    damaged = raw.replace(b"l'", b"l\xff", 1)
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        text, encoding = decode_text(damaged, "article.txt")
    assert encoding == "utf-8"
    assert text == raw.decode("utf-8").replace("l'", "l\ufffd", 1)
    assert "1 byte" in caplog.text and "U+FFFD" in caplog.text


def test_a_stray_byte_leaves_every_paragraph_of_a_french_article_in_french(tmp_path: Path):
    from topicmap.config import Settings
    from topicmap.paragraphs import segment_corpus

    raw = FRENCH_SEED.read_bytes()
    folder = write_corpus(tmp_path / "corpus", {"clean.txt": raw.replace(b"l'", b"l\x92", 1),
                                                "english.txt": next(SEEDS.glob("002_*.txt")).read_bytes()})
    paragraphs = segment_corpus(load_corpus(folder), Settings(project_root=tmp_path)).paragraphs
    french = paragraphs[paragraphs["doc"] == "clean"]
    assert len(french) == 29 and set(french["lang"]) == {"fr"} and set(paragraphs["lang"]) == {"en", "fr"}
    assert not french["text"].str.contains("Ã").any()


def test_one_nul_byte_in_a_text_file_is_a_damaged_character_removed_and_counted(
        tmp_path: Path, caplog: pytest.LogCaptureFixture):
    raw = FRENCH_SEED.read_bytes()
    folder = write_corpus(tmp_path / "corpus", {"a.txt": raw[:300] + b"\x00" + raw[300:]})
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        documents = load_corpus(folder)
    assert [(document.doc, document.text) for document in documents] == [("a", raw.decode("utf-8"))]
    assert "a.txt" in caplog.text and "1 control character" in caplog.text


def test_a_short_text_file_with_one_nul_byte_is_read(tmp_path: Path):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": b"A short line.\x00\n"})
    assert load_corpus(folder)[0].text == "A short line.\n"


def test_compressed_data_with_few_nul_bytes_is_still_skipped_as_binary(
        tmp_path: Path, caplog: pytest.LogCaptureFixture):
    data = zlib.compress(FRENCH_SEED.read_bytes() * 4, 9)
    assert data[:8192].count(0) < 0.01 * len(data[:8192])  # NUL bytes alone would not tell
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text.", "archive.txt": data})
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        assert [document.doc for document in load_corpus(folder)] == ["a"]
    assert "archive.txt" in caplog.text and "binary" in caplog.text


# --- huge files ------------------------------------------------------------------------------------------


def _sparse_file(path: Path, size: int, head: bytes = b"") -> Path:
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)  # a hole: no disk space, no time
    return path


def test_a_file_larger_than_the_bound_is_skipped_unread_with_a_warning_naming_it_and_its_size(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text."})
    _sparse_file(folder / "huge.txt", 6 * 10**9, b"Looks like text at first.\n")
    monkeypatch.setattr(Path, "read_bytes", lambda path: pytest.fail(f"{path} read whole")
                        if path.name == "huge.txt" else READ_BYTES(path))
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        documents = load_corpus(folder, max_file_bytes=1000)
    assert [document.doc for document in documents] == ["a"]
    assert "huge.txt" in caplog.text and "6 GB" in caplog.text and "max_file_bytes" in caplog.text


def test_the_default_bound_on_a_file_is_the_settings_one(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    from topicmap.config import Settings

    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text."})
    _sparse_file(folder / "huge.txt", Settings.max_file_bytes + 1, b"Text " * 100)
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        assert [document.doc for document in load_corpus(folder)] == ["a"]
    assert "huge.txt" in caplog.text


def test_a_binary_file_is_told_from_its_first_bytes_without_reading_it_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text."})
    _sparse_file(folder / "disk.txt", 300 * 10**6)  # all NUL bytes, under the bound
    monkeypatch.setattr(Path, "read_bytes", lambda path: pytest.fail(f"{path} read whole")
                        if path.name == "disk.txt" else READ_BYTES(path))
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        assert [document.doc for document in load_corpus(folder)] == ["a"]
    assert "disk.txt" in caplog.text and "binary" in caplog.text


READ_BYTES = Path.read_bytes


# --- paths too long, links out of the corpus --------------------------------------------------------------


def _nest(folder: Path, name: str, depth: int, file_text: str) -> None:
    """``depth`` folders ``name`` inside one another under ``folder``, made level by level (a path longer than
    the system allows cannot be made in one call), with a.txt holding ``file_text`` at the bottom."""
    descriptor = os.open(folder, os.O_RDONLY)
    for _ in range(depth):
        os.mkdir(name, dir_fd=descriptor)
        descriptor, parent = os.open(name, os.O_RDONLY, dir_fd=descriptor), descriptor
        os.close(parent)
    with os.fdopen(os.open("a.txt", os.O_WRONLY | os.O_CREAT, dir_fd=descriptor), "w", encoding="utf-8") as handle:
        handle.write(file_text)
    os.close(descriptor)


def test_a_folder_whose_path_is_longer_than_the_system_allows_is_skipped_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text."})
    _nest(folder, "d" * 250, 20, "Too deep to be named.")  # a path of 5,000 characters; Linux allows 4,096
    _nest(folder, "ok", 3, "Deep but fine.")
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        documents = load_corpus(folder)
    assert [document.doc for document in documents] == ["a", "ok/ok/ok/a"]
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1 and "too long" in warnings[0].lower() and "ddd" in warnings[0]
    assert len(warnings[0]) < 400  # the path is shortened in the message


def test_a_link_to_a_file_outside_the_corpus_is_read_with_a_warning_naming_its_target(
        tmp_path: Path, caplog: pytest.LogCaptureFixture):
    outside = write_corpus(tmp_path / "elsewhere", {"note.txt": "Outside text."})
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text."})
    (folder / "link.txt").symlink_to(outside / "note.txt")
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        documents = load_corpus(folder)
    assert [(document.doc, document.text) for document in documents] == [("a", "Text."), ("link", "Outside text.")]
    assert "link.txt" in caplog.text and str(outside / "note.txt") in caplog.text and "outside" in caplog.text


def test_a_link_to_a_folder_outside_the_corpus_is_read_with_one_warning_naming_its_target(
        tmp_path: Path, caplog: pytest.LogCaptureFixture):
    outside = write_corpus(tmp_path / "archive", {"x.txt": "One.", "y.txt": "Two."})
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text."})
    (folder / "2024").symlink_to(outside, target_is_directory=True)
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        assert [document.doc for document in load_corpus(folder)] == ["2024/x", "2024/y", "a"]
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1 and str(outside) in warnings[0]


def test_a_link_inside_the_corpus_is_read_without_a_warning_about_its_target(
        tmp_path: Path, caplog: pytest.LogCaptureFixture):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text."})
    write_corpus(folder / "archive", {"x.txt": "One."})
    (folder / "2024").symlink_to(folder / "archive", target_is_directory=True)
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        load_corpus(folder)
    assert "outside" not in caplog.text


def test_a_utf8_article_with_many_cp1252_quotes_is_read_as_utf8_with_those_quotes(
        caplog: pytest.LogCaptureFixture):
    text = "Café society. " + " ".join(["It’s the “news” – again."] * 20) + "\n"
    raw = "Café society. ".encode("utf-8") + b" ".join([b"It\x92s the \x93news\x94 \x96 again."] * 20) + b"\n"
    with caplog.at_level(logging.WARNING, logger="topicmap.corpus"):
        assert decode_text(raw, "quotes.txt") == (text, "utf-8")
    assert "80 bytes" in caplog.text


def test_the_log_never_calls_corpus_toml_or_a_hidden_txt_file_a_file_of_another_suffix(
        tmp_path: Path, caplog: pytest.LogCaptureFixture):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text.", ".draft.txt": "Hidden.", "corpus.toml": "",
                                                "notes.pdf": "x", "ws.txt": "  \n\n\t\n"})
    with caplog.at_level(logging.INFO, logger="topicmap.corpus"):
        assert [d.doc for d in load_corpus(folder)] == ["a"]
    assert "ignored 1 hidden file or folder (named with a leading dot)" in caplog.text
    assert "ignored 1 files not ending in .txt, .md: .pdf (1)" in caplog.text and ".toml" not in caplog.text
    assert "ws.txt: the file is empty (only spaces and line breaks)" in caplog.text
