"""Specification of the Dask path: when a run is parallel, where its cluster comes from, and that it
gives exactly what the single-process path gives."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from topicmap import pipeline
from topicmap.cli import main
from topicmap.corpus import Document
from topicmap.parallel import (
    SCHEDULER_VARIABLE,
    document_chunks,
    parallel_wanted,
    scheduler_address,
    segment_in_parallel,
)
from topicmap.paragraphs import segment_corpus
from topicmap.representations import embeddings

from conftest import SEEDS


def document(doc: str, text: str) -> Document:
    return Document(doc=doc, path=Path(f"{doc}.txt"), text=text, encoding="utf-8")


def test_the_scheduler_setting_wins_over_the_environment_variable(tmp_settings, monkeypatch):
    monkeypatch.setenv(SCHEDULER_VARIABLE, "tcp://from-env:8786")
    assert scheduler_address(tmp_settings) == "tcp://from-env:8786"
    assert scheduler_address(tmp_settings.replace(scheduler="tcp://given:8786")) == "tcp://given:8786"


def test_without_scheduler_a_small_corpus_runs_in_this_process(tmp_settings, monkeypatch):
    monkeypatch.delenv(SCHEDULER_VARIABLE, raising=False)
    small = [document("a", "x" * 999)]
    assert not parallel_wanted(tmp_settings.replace(parallel_min_characters=1000), small)
    assert parallel_wanted(tmp_settings.replace(parallel_min_characters=999), small)


def test_a_scheduler_makes_the_run_parallel_and_the_setting_can_force_either_way(tmp_settings, monkeypatch):
    monkeypatch.delenv(SCHEDULER_VARIABLE, raising=False)
    small = [document("a", "short")]
    assert parallel_wanted(tmp_settings.replace(scheduler="tcp://given:8786"), small)
    assert parallel_wanted(tmp_settings.replace(parallel=True), small)
    assert not parallel_wanted(tmp_settings.replace(scheduler="tcp://given:8786", parallel=False), small)


def test_document_chunks_keep_the_order_and_never_split_a_document():
    docs = [document("a", "x" * 4), document("b", "x" * 4), document("c", "x" * 9), document("d", "x")]
    chunks = document_chunks(docs, max_characters=8)
    assert [[d.doc for d in chunk] for chunk in chunks] == [["a", "b"], ["c"], ["d"]]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_scheduler_is_a_one_line_error_naming_it_with_exit_code_2(tmp_path, capsys):
    import dask
    import distributed  # noqa: F401  (its configuration must exist before a key of it is changed)

    address = f"tcp://127.0.0.1:{_free_port()}"
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code = main(["-q", "segment", "--corpus", str(SEEDS), "--out", str(tmp_path), "--scheduler", address])
    error = capsys.readouterr().err.strip()
    assert code == 2
    assert len(error.splitlines()) == 1
    assert error.startswith("topicmap: error:") and address in error
    assert not (tmp_path / "paragraphs.csv").exists()


# --- the distributed path on the real seeds, with a cluster of 2 worker processes ---------------------


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of 2 single-threaded worker processes, as a user's small cluster would be."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local


@pytest.fixture
def client(cluster):
    from distributed import Client

    with Client(cluster, set_as_default=False) as connected:
        yield connected


class InProcessClient:
    """A Dask client's ``scatter`` and ``map`` run here and at once: the tasks' results stand for their futures."""

    def scatter(self, data):
        return data

    def map(self, function, chunks, pure=True, **options):
        return [function(chunk, **options) for chunk in chunks]


def test_boilerplate_in_documents_segmented_by_different_tasks_is_set_aside_once_they_are_gathered(monkeypatch):
    from topicmap import paragraphs, parallel
    from topicmap.config import Settings

    monkeypatch.setattr(paragraphs, "corpus_languages", lambda texts: ("en",))  # lingua takes seconds to load
    monkeypatch.setattr(paragraphs, "paragraph_languages", lambda texts, *_: ["en"] * len(texts))
    monkeypatch.setattr(parallel, "gathered_in_order", lambda client, futures, *_: futures)
    footer = "Sign up for our newsletter to get the top stories."
    documents = [document(name, f"News of {subject}.\n{footer}\nMore on {subject} soon.\n")
                 for name, subject in zip("abc", ("solar power", "chip exports", "rail strikes"))]
    settings = Settings(parallel_chunk_characters=1)  # one document per task
    assert len(parallel.document_chunks(documents, settings.parallel_chunk_characters)) == 3
    distributed = segment_in_parallel(documents, settings, InProcessClient())
    assert distributed.dropped[["doc", "line", "reason"]].values.tolist() == [
        [doc, 2, "repeated in 3 documents"] for doc in "abc"]
    local = segment_corpus(documents, settings)
    for table in ("paragraphs", "dropped", "headings"):
        pd.testing.assert_frame_equal(getattr(distributed, table), getattr(local, table))


@pytest.mark.slow
def test_segmenting_one_document_per_task_gives_the_paragraphs_of_the_local_path(tmp_settings, client):
    documents = pipeline.read_corpus(tmp_settings)
    local = segment_corpus(documents, tmp_settings)
    distributed = segment_in_parallel(documents, tmp_settings.replace(parallel_chunk_characters=1), client)
    assert len(client.scheduler_info()["workers"]) == 2
    for table in ("paragraphs", "dropped", "headings"):
        pd.testing.assert_frame_equal(getattr(distributed, table), getattr(local, table))
    assert distributed.metadata == local.metadata


@pytest.mark.slow
def test_segment_command_pointed_at_a_scheduler_writes_the_same_paragraphs(tmp_path, cluster, capsys):
    code = main(["-q", "segment", "--corpus", str(SEEDS), "--out", str(tmp_path / "local")])
    assert code == 0
    code = main(["-q", "segment", "--corpus", str(SEEDS), "--out", str(tmp_path / "cluster"),
                 "--scheduler", cluster.scheduler_address])
    assert code == 0
    for name in ("paragraphs.csv", "dropped.csv"):
        assert (tmp_path / "cluster" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
    assert cluster.scheduler_info["workers"], "the command must leave the user's cluster running"


@pytest.mark.slow
def test_embedding_by_two_workers_gives_the_vectors_and_cache_of_the_local_path(tmp_settings, client,
                                                                                 seed_segmentation, monkeypatch):
    monkeypatch.setattr(embeddings, "BATCH_SIZE", 16)  # several batches, so both workers take some
    texts = seed_segmentation.paragraphs["text"].tolist()
    local_settings = tmp_settings.replace(cache_dir=tmp_settings.cache_path / "local")
    cluster_settings = tmp_settings.replace(cache_dir=tmp_settings.cache_path / "cluster")
    local = embeddings.embed_texts(texts, local_settings)
    distributed = embeddings.embed_texts(texts, cluster_settings, client=client)
    assert distributed.dtype == local.dtype and np.array_equal(distributed, local)
    shards = {p.name: p.read_bytes() for p in (local_settings.cache_path / "embeddings").rglob("*.npz")}
    assert len(shards) == -(-len(texts) // 16)
    assert {p.name: p.read_bytes() for p in (cluster_settings.cache_path / "embeddings").rglob("*.npz")} == shards


@pytest.mark.slow
def test_prepare_with_a_client_gives_the_representations_of_the_local_path(tmp_settings, client, seed_segmentation):
    local = pipeline.prepare(seed_segmentation, tmp_settings.replace(cache_dir=tmp_settings.cache_path / "local"))
    distributed = pipeline.prepare(seed_segmentation, tmp_settings.replace(cache_dir=tmp_settings.cache_path / "dask"),
                                   client)
    pd.testing.assert_frame_equal(distributed.units, local.units)
    assert np.array_equal(distributed.embeddings, local.embeddings)


def _worker_environment(name: str) -> str | None:
    return os.environ.get(name)


@pytest.mark.slow
def test_topicmaps_local_cluster_leaves_out_the_memory_trimming_that_slows_embedding(monkeypatch):
    """Dask's nanny sets MALLOC_TRIM_THRESHOLD_ in every worker; topicmap's short-lived workers do without it."""
    from distributed import Client

    # A nanny sets the variable in its own process too, so an earlier test's cluster leaves it in this one.
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)

    from topicmap.parallel import start_local_cluster

    with start_local_cluster(n_workers=1) as local, Client(local, set_as_default=False) as connected:
        assert connected.submit(_worker_environment, "MALLOC_TRIM_THRESHOLD_").result() is None
        assert connected.submit(_worker_environment, "OMP_NUM_THREADS").result() == "1"  # the rest of Dask's set stays
