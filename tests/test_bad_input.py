"""Bad input and faults of the machine: one line naming what to fix, never a traceback, a hang or a loss.

Each case is one a user met (issue 17, section 4). Input errors exit with 2 before any work; a run that
fails on the way (a full disk) exits with 1 and publishes nothing.
"""

from __future__ import annotations

import http.server
import importlib.util
import logging
import os
import pickle
import socket
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from conftest import write_corpus
from topicmap.cli import main
from topicmap.config import Settings

CORPUS = {"a.txt": "Energy\n\nChina's power grid supplies cheap electricity to the new data centers in the west.\n\n"
                   "Solar and nuclear plants give the data centers a stable power supply for training.\n",
          "b.txt": "Chips\n\nExport controls on advanced chips push Chinese firms to design their own semiconductors.\n\n"
                   "The sanctions on chip tools slowed the production of the most advanced processors.\n"}


def _one_line(err: str) -> str:
    lines = [line for line in err.strip().splitlines() if not line.startswith("topicmap [")]  # progress messages
    assert len(lines) == 1 and "Traceback" not in err and "Exception ignored" not in err, err
    return lines[0]


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "corpus", CORPUS)


@pytest.fixture
def run(tmp_path, monkeypatch):
    """``main`` with the cache and outputs in the test's folder."""
    monkeypatch.setenv("TOPICMAP_CACHE_DIR", str(tmp_path / "cache"))

    return lambda *args: main(list(args))


@pytest.fixture
def no_work(monkeypatch):
    from topicmap import pipeline

    monkeypatch.setattr(pipeline, "COMMANDS", {name: lambda *_: pytest.fail("work started")
                                               for name in pipeline.COMMANDS})


# --- the Dask scheduler address (loopback servers only) --------------------------------------------


def _serve(handler) -> int:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    threading.Thread(target=handler, args=(server,), daemon=True).start()
    return server.getsockname()[1]


class QuietHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _web_server() -> int:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def _garbage(server):
    while True:
        connection, _ = server.accept()
        connection.sendall(b"\xff" * 64 + os.urandom(512))


@pytest.fixture
def short_timeout(monkeypatch):
    from topicmap import parallel

    monkeypatch.setattr(parallel, "SCHEDULER_TIMEOUT", 2.0)


@pytest.mark.parametrize("server", ["a web server", "a service sending bytes that are not Dask's"])
def test_a_scheduler_address_where_something_else_answers_exits_2_in_seconds(server, corpus, run, capsys,
                                                                            short_timeout, no_work, tmp_path):
    port = _web_server() if server == "a web server" else _serve(_garbage)
    started = time.monotonic()
    assert run("segment", "--corpus", str(corpus), "--out", str(tmp_path / "out"),
               "--scheduler", f"tcp://127.0.0.1:{port}") == 2
    assert time.monotonic() - started < 15
    assert f"127.0.0.1:{port}" in _one_line(capsys.readouterr().err)


def test_a_scheduler_address_that_is_not_an_address_exits_2_at_once(corpus, run, capsys, no_work, tmp_path):
    started = time.monotonic()
    assert run("segment", "--corpus", str(corpus), "--out", str(tmp_path / "out"), "--scheduler", "bogus-address") == 2
    assert time.monotonic() - started < 5
    assert "tcp://HOST:PORT" in _one_line(capsys.readouterr().err)


@pytest.mark.parametrize("port", ["99999", "0", "65536"])
def test_a_scheduler_port_out_of_range_exits_2_at_once(port, corpus, run, capsys, no_work, tmp_path):
    started = time.monotonic()
    assert run("segment", "--corpus", str(corpus), "--out", str(tmp_path / "out"),
               "--scheduler", f"tcp://127.0.0.1:{port}") == 2
    assert time.monotonic() - started < 5
    line = _one_line(capsys.readouterr().err)
    assert port in line and "1 to 65535" in line


@pytest.mark.parametrize("address", ["", "   "])
def test_an_empty_scheduler_option_exits_2_instead_of_being_ignored(address, corpus, capsys, no_work, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["segment", "--corpus", str(corpus), "--out", str(tmp_path / "out"), "--scheduler", address])
    assert exit_info.value.code == 2
    assert "--scheduler" in _one_line(capsys.readouterr().err)


@pytest.mark.parametrize("variable, value", [
    ("TOPICMAP_SEED", "-1"),
    ("TOPICMAP_SEED", "4294967296"),
    ("TOPICMAP_SEED", "forty-two"),
    ("TOPICMAP_EMBEDDING", "bogus"),
    ("TOPICMAP_SCHEDULER", "tcp://127.0.0.1:99999"),
    ("TOPICMAP_SCHEDULER", "bogus-address"),
])
def test_a_bad_environment_variable_exits_2_naming_the_variable_and_its_value(variable, value, corpus, run, capsys,
                                                                              monkeypatch, no_work, tmp_path):
    monkeypatch.setenv(variable, value)
    assert run("topics", "--corpus", str(corpus), "--out", str(tmp_path / "out")) == 2
    line = _one_line(capsys.readouterr().err)
    assert variable in line and value in line


def test_a_model_folder_in_topicmap_embedding_is_kept_as_an_absolute_path_for_the_notebooks(tmp_path, monkeypatch):
    """The variable is now checked; the notebooks a report runs (from another working folder) must still accept
    the folder given relative to where topicmap was started."""
    from topicmap.config import from_environment, settings_environment

    (tmp_path / "models" / "mine").mkdir(parents=True)
    (tmp_path / "models" / "mine" / "modules.json").write_text("[]")
    monkeypatch.chdir(tmp_path)
    settings = from_environment(tmp_path, {"TOPICMAP_EMBEDDING": "models/mine"})
    assert settings.embedding == str(tmp_path / "models" / "mine")
    monkeypatch.chdir(tmp_path / "models")  # the notebooks' folder
    assert from_environment(tmp_path, settings_environment(settings)).embedding == settings.embedding


# --- files, folders and corpus.toml -------------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_read_and_written_with_its_bytes_escaped(tmp_path, run, capsys):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (Path(os.fsdecode(bytes(folder))) / os.fsdecode(b"caf\xe9.txt")).write_text(CORPUS["a.txt"], encoding="utf-8")
    assert run("segment", "--corpus", str(folder), "--out", str(tmp_path / "out")) == 0
    paragraphs = (tmp_path / "out" / "paragraphs.csv").read_text(encoding="utf-8")
    assert "caf\\xe9" in paragraphs


@pytest.mark.parametrize("toml, key", [
    ('study = "x"\n', "study"),
    ('[study]\nlimitations = 5\n', "study.limitations"),
    ('[articles]\na = "a title given as text"\n', "articles.a"),
    ('articles = [1, 2, 3]\n', "articles"),
    ('[study]\ntitle = ["a", "list"]\n', "study.title"),
])
def test_corpus_toml_with_a_value_of_the_wrong_type_exits_2_naming_the_key(toml, key, corpus, run, capsys, no_work,
                                                                          tmp_path):
    (corpus / "corpus.toml").write_text(toml, encoding="utf-8")
    assert run("segment", "--corpus", str(corpus), "--out", str(tmp_path / "out")) == 2
    line = _one_line(capsys.readouterr().err)
    assert "corpus.toml" in line and key in line


def test_control_characters_in_corpus_toml_are_removed_with_a_warning(tmp_path, caplog):
    from topicmap.description import read_description

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "corpus.toml").write_text('[study]\ntitle = "A\\u0000B\\u001bC"\n[articles.a]\ntitle = "x\\u001b[31my"\n',
                                        encoding="utf-8")
    description = read_description(folder)
    assert (description.title, description.article_title("a")) == ("ABC", "x[31my")
    assert "control characters" in caplog.text


def test_control_characters_inside_an_article_are_removed_with_a_warning(tmp_path, caplog):
    from topicmap.corpus import load_corpus

    folder = write_corpus(tmp_path / "corpus", {"a.txt": "Text with \x1b[31mcolour\x07 codes.\n"})
    assert load_corpus(folder)[0].text == "Text with [31mcolour codes.\n"
    assert "2 control characters" in caplog.text


def test_a_thousand_nested_folders_are_read_without_recursion(tmp_path, run):
    folder = tmp_path / "corpus"
    folder.mkdir()
    descriptor = os.open(folder, os.O_RDONLY)
    for _ in range(1100):  # made level by level: a path this long is too deep for Path.mkdir's recursion
        os.mkdir("d", dir_fd=descriptor)
        descriptor, parent = os.open("d", os.O_RDONLY, dir_fd=descriptor), descriptor
        os.close(parent)
    with os.fdopen(os.open("a.txt", os.O_WRONLY | os.O_CREAT, dir_fd=descriptor), "w", encoding="utf-8") as handle:
        handle.write(CORPUS["a.txt"])
    try:
        assert run("segment", "--corpus", str(folder), "--out", str(tmp_path / "out")) == 0
    finally:  # removed level by level: shutil.rmtree (and pytest's clean-up) would recurse too deep
        os.unlink("a.txt", dir_fd=descriptor)
        for _ in range(1100):
            parent = os.open("..", os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            os.rmdir("d", dir_fd=parent)
            descriptor = parent
        os.close(descriptor)


def test_an_unreadable_corpus_folder_is_named_as_the_folder_not_its_corpus_toml(corpus, run, capsys, monkeypatch,
                                                                                no_work, tmp_path):
    from topicmap import corpus as corpus_module

    real_scandir = os.scandir

    def refuse(path):
        if Path(path) == corpus:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(corpus_module.os, "scandir", refuse)
    assert run("segment", "--corpus", str(corpus), "--out", str(tmp_path / "out")) == 2
    line = _one_line(capsys.readouterr().err)
    assert f"cannot read corpus folder {corpus}" in line and "corpus.toml" not in line


def test_the_command_line_honours_topicmap_corpus_dir(tmp_path, monkeypatch, capsys, no_work):
    monkeypatch.setenv("TOPICMAP_CORPUS_DIR", str(tmp_path / "nonexistent"))
    assert main(["segment", "--out", str(tmp_path / "out")]) == 2
    assert str(tmp_path / "nonexistent") in _one_line(capsys.readouterr().err)


# --- the machine: cache, disk, optional packages ---------------------------------------------------------


def test_a_cache_folder_that_cannot_be_written_exits_2_naming_it_before_any_work(corpus, run, capsys, monkeypatch,
                                                                                 no_work, tmp_path):
    from topicmap import cache

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(cache, "tempfile", SimpleNamespace(TemporaryFile=read_only))
    assert run("segment", "--corpus", str(corpus), "--out", str(tmp_path / "out")) == 2
    line = _one_line(capsys.readouterr().err)
    assert str(tmp_path / "cache") in line and "TOPICMAP_CACHE_DIR" in line


def test_a_full_disk_exits_1_in_one_line_and_publishes_nothing(corpus, run, capsys, monkeypatch, tmp_path):
    import pandas as pd

    def disk_full(self, path, *args, **kwargs):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(pd.DataFrame, "to_csv", disk_full)
    assert run("segment", "--corpus", str(corpus), "--out", str(tmp_path / "out")) == 1
    assert "No space left on device" in _one_line(capsys.readouterr().err)
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(importlib.util.find_spec("torch") is not None, reason="torch is installed here")
def test_minilm_without_torch_exits_2_in_one_line_before_any_work(corpus, run, capsys, no_work, tmp_path):
    assert run("topics", "--corpus", str(corpus), "--out", str(tmp_path / "out"), "--embedding", "minilm") == 2
    assert "make setup-transformers" in _one_line(capsys.readouterr().err)


# --- damaged caches ------------------------------------------------------------------------------------


def test_a_cached_step_result_of_the_wrong_type_is_deleted_and_recomputed(tmp_path, caplog):
    from topicmap.cache import cached

    path = tmp_path / "segmentation" / "key.pkl"
    path.parent.mkdir()
    path.write_bytes(pickle.dumps(None))
    assert cached(tmp_path, "segmentation", "key", lambda: {"fresh": 1}, kind=dict) == {"fresh": 1}
    assert "recomputed" in caplog.text
    assert pickle.loads(path.read_bytes()) == {"fresh": 1}


def test_an_embedding_shard_of_another_width_is_deleted_and_its_vectors_recomputed(tmp_path, caplog):
    from topicmap.representations.embeddings import EmbeddingCache

    cache = EmbeddingCache(tmp_path / "use", dimension=512)
    shard = cache.store(["a" * 64, "b" * 64], np.eye(2, 3, dtype=np.float32))
    assert cache.load() == {}
    assert not shard.exists() and "3 dimensions" in caplog.text


def test_an_embedding_shard_of_vectors_not_of_unit_length_is_deleted(tmp_path):
    from topicmap.representations.embeddings import EmbeddingCache

    cache = EmbeddingCache(tmp_path / "use", dimension=2)
    cache.store(["a" * 64], np.array([[3.0, 4.0]], dtype=np.float32))
    assert cache.load() == {}


def test_a_damaged_numba_cache_index_is_deleted_with_its_code_and_sound_ones_kept(tmp_path, caplog):
    from topicmap.cache import repair_numba_cache

    package = tmp_path / "umap_0123"
    package.mkdir()
    sound = package / "layouts.optimize-100.py311.nbi"
    sound.write_bytes(pickle.dumps("0.68.1") + pickle.dumps(((1.0, 2), {})))
    damaged = package / "distances.euclidean-12.py311.nbi"
    damaged.write_bytes(os.urandom(64))
    (package / "distances.euclidean-12.py311.1.nbc").write_bytes(pickle.dumps("code"))
    (package / "distances.euclidean_grad-40.py311.1.nbc").write_bytes(pickle.dumps("other code"))
    assert repair_numba_cache(tmp_path) == 1
    assert sorted(p.name for p in package.iterdir()) == ["distances.euclidean_grad-40.py311.1.nbc", sound.name]
    assert "damaged numba cache entry" in caplog.text


@pytest.mark.parametrize("damage", [None, {"paragraphs": []}, "text"])
def test_a_damaged_segmentation_cache_entry_is_deleted_and_recomputed(damage, corpus, run, capsys, caplog,
                                                                     tmp_path):
    assert run("segment", "--corpus", str(corpus), "--out", str(tmp_path / "out")) == 0
    entries = sorted((tmp_path / "cache" / "steps" / "segmentation").glob("*.pkl"))
    assert len(entries) == 1
    entries[0].write_bytes(pickle.dumps(damage))
    capsys.readouterr()
    assert run("segment", "--corpus", str(corpus), "--out", str(tmp_path / "out")) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert "cached segmentation result" in caplog.text and "deleted and recomputed" in caplog.text
    from topicmap.paragraphs import Segmentation

    assert isinstance(pickle.loads(entries[0].read_bytes()), Segmentation)


def _damaged_fit(kind: str):
    """A pickled value that the fit cache must refuse: another type, or a result of other units than the run's."""
    from topicmap.topics.base import TopicResult

    if kind == "another type":
        return {"topics": [], "assignments": None}
    return TopicResult("nmf", [], __import__("pandas").DataFrame({"id": ["x"], "topic": [0]}))


@pytest.mark.parametrize("kind", ["another type", "a result of other units"])
def test_a_damaged_fit_cache_entry_is_deleted_and_the_model_fitted_again(kind, corpus, run, capsys, caplog,
                                                                          tmp_path):
    args = ("topics", "--method", "nmf", "--topics", "2", "--corpus", str(corpus), "--out", str(tmp_path / "out"))
    assert run(*args) == 0
    entries = sorted((tmp_path / "cache" / "steps" / "fit").glob("*.pkl"))
    assert len(entries) == 1
    entries[0].write_bytes(pickle.dumps(_damaged_fit(kind)))
    capsys.readouterr()
    assert run(*args) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert "cached fit result" in caplog.text and "deleted and recomputed" in caplog.text
    assert len(pickle.loads(entries[0].read_bytes()).assignments) == 4


def test_a_cached_value_that_fails_its_check_is_deleted_and_recomputed(tmp_path, caplog):
    from topicmap.cache import cached

    path = tmp_path / "map" / "key.pkl"
    path.parent.mkdir()
    path.write_bytes(pickle.dumps(np.zeros((3, 5))))
    check = lambda value: None if value.shape == (4, 2) else f"a map of shape {value.shape}, not (4, 2)"  # noqa: E731
    fresh = cached(tmp_path, "map", "key", lambda: np.ones((4, 2)), kind=np.ndarray, check=check)
    assert fresh.shape == (4, 2) and "(3, 5)" in caplog.text and "recomputed" in caplog.text
    assert pickle.loads(path.read_bytes()).shape == (4, 2)


def test_an_embedding_shard_of_zero_vectors_is_deleted_and_its_vectors_recomputed(tmp_path, caplog):
    from topicmap.representations.embeddings import EmbeddingCache

    cache = EmbeddingCache(tmp_path / "use", dimension=512)
    shard = tmp_path / "use" / "0123456789abcdef01234567.npz"
    shard.parent.mkdir()
    np.savez(shard, hashes=np.array(["a" * 64, "b" * 64], dtype="U64"), vectors=np.zeros((2, 512), np.float32))
    assert cache.load() == {}
    assert not shard.exists() and "2 vectors of all zeros" in caplog.text
    assert cache.store(["c" * 64], np.zeros((1, 512), np.float32)) and cache.load() == {}  # a zero is never stored


def test_an_embedding_shard_of_unknown_text_hashes_is_deleted(tmp_path):
    from topicmap.representations.embeddings import EmbeddingCache

    cache = EmbeddingCache(tmp_path / "use", dimension=2)
    cache.store(["not a hash"], np.array([[0.6, 0.8]], dtype=np.float32))
    assert cache.load() == {}


def test_damaged_numba_compiled_code_is_deleted_and_sound_code_kept(tmp_path, caplog):
    """Random bytes in a ``*.nbc`` raised UnpicklingError at ``import umap`` on every run."""
    from topicmap.cache import repair_numba_cache

    package = tmp_path / "umap_0123"
    package.mkdir()
    index = package / "layouts.optimize-100.py311.nbi"
    index.write_bytes(pickle.dumps("0.68.1") + pickle.dumps(((1.0, 2), {"sig": "layouts.optimize-100.py311.1.nbc"})))
    sound = package / "layouts.optimize-100.py311.1.nbc"
    sound.write_bytes(pickle.dumps(("code", b"\x00" * 100, {"a": 1}), protocol=4))
    damaged = package / "layouts.optimize-100.py311.2.nbc"
    damaged.write_bytes(os.urandom(256))
    truncated = package / "distances.euclidean-12.py311.1.nbc"
    truncated.write_bytes(pickle.dumps(("code", b"\x01" * 100), protocol=4)[:-10])
    assert repair_numba_cache(tmp_path) == 2
    assert sorted(p.name for p in package.iterdir()) == [sound.name, index.name]
    assert "damaged numba cache entry" in caplog.text


def test_the_notebooks_a_report_runs_see_the_units_topics_and_embedding_of_the_command_line(tmp_path):
    from topicmap.config import Settings, SettingsError, from_environment, settings_environment

    asked = Settings(project_root=tmp_path, unit="document", topics=5, embedding="minilm", seed=7)
    seen = from_environment(tmp_path, settings_environment(asked))
    assert (seen.unit, seen.topics, seen.embedding, seen.seed) == ("document", 5, "minilm", 7)
    assert from_environment(tmp_path, {"TOPICMAP_TOPICS": "auto"}).topics == "auto"
    for name, value in (("TOPICMAP_UNIT", "sentence"), ("TOPICMAP_TOPICS", "0"), ("TOPICMAP_TOPICS", "many")):
        with pytest.raises(SettingsError, match=name):
            from_environment(tmp_path, {name: value})


# --- corpus.toml: nesting, warnings said once (issue 31) ----------------------------------------------------


def test_a_deeply_nested_corpus_toml_exits_2_in_one_line_naming_it(corpus, run, capsys, no_work, tmp_path):
    (corpus / "corpus.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    assert run("segment", "--corpus", str(corpus), "--out", str(tmp_path / "out")) == 2
    line = _one_line(capsys.readouterr().err)
    assert str(corpus / "corpus.toml") in line and "nested" in line and len(line) < 300


def test_each_corpus_toml_warning_is_said_once_per_run(corpus, run, caplog, tmp_path):
    (corpus / "corpus.toml").write_text('[articles.a]\ndate = [2017, 3]\ntitle = "A\\u001bB"\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert run("segment", "--corpus", str(corpus), "--out", str(tmp_path / "out")) == 0
    said = [record.getMessage() for record in caplog.records if "corpus.toml" in record.getMessage()]
    assert len(said) == 2 and "articles.a.date must be text" in said[0] and "control characters" in said[1], said


def test_a_changed_corpus_toml_is_read_again(tmp_path):
    from topicmap.description import read_description

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "corpus.toml").write_text('[study]\ntitle = "First"\n', encoding="utf-8")
    assert read_description(folder).title == "First"
    (folder / "corpus.toml").write_text('[study]\ntitle = "Second title"\n', encoding="utf-8")
    assert read_description(folder).title == "Second title"


# --- corpora without a word to find themes with (issue 31) -----------------------------------------------

_NUMBERS = "17612 74607 8272 33433 15456 64938 99741 58916 61899 85406 49757 27520"
NO_CONTENT_WORD = {
    "numbers and links": {f"n{number}.txt": "\n\n".join([_NUMBERS, f"https://example.com/news/{number}/a.html"] * 3)
                          for number in range(3)},
    "stop words": {"s.txt": "The and of the to in a is that for it as with was on be at by this had not are but.\n\n"
                            "We were there when all of them had been here before, and she would have said it was so.\n",
                   "t.txt": "It is what it is, and so it was for all of us there.\n"},
}


@pytest.mark.parametrize("command", ["topics", "report"])
@pytest.mark.parametrize("files", NO_CONTENT_WORD.values(), ids=NO_CONTENT_WORD.keys())
def test_a_corpus_without_a_content_word_exits_2_in_one_line_before_any_embedding(command, files, run, capsys,
                                                                                   monkeypatch, tmp_path):
    from topicmap.representations import embeddings

    monkeypatch.setattr(embeddings, "embed_texts", lambda *_, **__: pytest.fail("embedding started"))
    corpus = write_corpus(tmp_path / "corpus", files)
    outputs = ["--out", str(tmp_path / "out")] + (
        ["--figures", str(tmp_path / "figures"), "--reports", str(tmp_path / "reports")] if command == "report" else [])
    assert run(command, "--corpus", str(corpus), *outputs) == 2
    line = _one_line(capsys.readouterr().err)
    assert "no content word" in line and str(corpus) in line
    assert not any((tmp_path / name).exists() for name in ("out", "figures", "reports"))


def test_with_dask_workers_too_the_content_words_are_checked_before_they_embed(tmp_path, monkeypatch):
    from topicmap import pipeline
    from topicmap.corpus import CorpusError
    from topicmap.paragraphs import Segmentation
    from topicmap.representations import embeddings

    monkeypatch.setattr(embeddings, "embed_texts", lambda *_, **__: pytest.fail("embedding started"))
    paragraphs = pd.DataFrame({"id": ["a-001", "a-002"], "doc": ["a", "a"], "lang": ["und", "und"],
                               "text": [_NUMBERS, "2024 2025"], "section": ["", ""], "n_words": [12, 2]})
    with pytest.raises(CorpusError, match="no content word in the 2 paragraphs"):
        pipeline.prepare(Segmentation(paragraphs, pd.DataFrame()), Settings(project_root=tmp_path), client=object())


def test_embeddings_made_by_dask_workers_join_the_terms_already_counted(monkeypatch, tmp_path):
    from topicmap import pipeline
    from topicmap.paragraphs import Segmentation
    from topicmap.representations import embeddings

    vectors = np.eye(2, 512, dtype=np.float32)
    monkeypatch.setattr(embeddings, "embed_texts", lambda texts, settings, client: vectors[:len(texts)])
    paragraphs = pd.DataFrame({"id": ["a-001", "a-002"], "doc": ["a", "a"], "lang": ["en", "en"],
                               "text": ["Solar power grows.", "Chips are scarce."], "section": ["", ""],
                               "n_words": [3, 3]})
    representations = pipeline.prepare(Segmentation(paragraphs, pd.DataFrame()), Settings(project_root=tmp_path),
                                       client=object())
    assert "counts" in vars(representations) and representations.counts.terms == ["chips", "grows", "power",
                                                                                    "scarce", "solar"]
    assert np.array_equal(representations.embeddings, vectors)


def test_the_ward_model_on_a_corpus_of_one_paragraph_finds_its_one_theme(tmp_path, run, capsys):
    corpus = write_corpus(tmp_path / "corpus", {"oil.txt": "Oil prices rose on Monday after producers agreed to cut "
                                                           "output again, traders said in London.\n"})
    assert run("topics", "--method", "crosslingual_ward", "--corpus", str(corpus), "--out", str(tmp_path / "out")) == 0
    assert "crosslingual_ward: 1 topic," in capsys.readouterr().out


def test_a_corpus_of_one_article_under_three_headlines_exits_2_saying_its_paragraphs_are_repeats(tmp_path, run, capsys):
    body = CORPUS["a.txt"].split("\n\n", 1)[1]
    corpus = write_corpus(tmp_path / "corpus", {f"{name}.txt": f"{title}\n\n{body}" for name, title in
                                                (("a", "Energy"), ("b", "Power for data"), ("c", "Cheap power"))})
    assert run("segment", "--corpus", str(corpus), "--out", str(tmp_path / "out")) == 2
    line = _one_line(capsys.readouterr().err)
    assert "every paragraph" in line and "set aside as boilerplate" in line and "boilerplate_min_documents" in line
    assert not (tmp_path / "out").exists()
