"""Dask for the stages that parallelise: segmentation with language identification, and embedding.

A run is parallel when ``parallel_wanted`` says so (see ``Settings.parallel``). It then gets one
``distributed.Client`` from ``parallel_client``: of the scheduler at ``Settings.scheduler`` or
``$TOPICMAP_SCHEDULER`` (an existing cluster, left running), or else of a ``LocalCluster`` over this
machine's cores, started for the run and closed at its end. Each stage maps the same per-document or
per-batch function as the single-process path over chunks and puts the results back in input order,
so both paths give identical tables and vectors.

The corpus is read by the client process (``load_corpus``), and the documents' texts are sent to the
workers: the workers of a cluster need not see the corpus folder, and reading is a small part of the
time (decoding UTF-8 text files), whereas language identification is most of segmentation.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator, Sequence

import pandas as pd

from .config import Settings
from .corpus import Document
from .paragraphs import Segmentation, segment_corpus

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

log = logging.getLogger(__name__)

#: Dask's configuration key of the environment its nanny sets in each worker process before starting it.
NANNY_ENVIRONMENT = "distributed.nanny.pre-spawn-environ"

#: Environment variable naming a Dask scheduler when ``Settings.scheduler`` does not.
SCHEDULER_VARIABLE = "TOPICMAP_SCHEDULER"


class SchedulerError(RuntimeError):
    """The Dask scheduler given by the user cannot be reached; the message names its address."""


def scheduler_address(settings: Settings) -> str | None:
    """The scheduler of ``settings``, else of ``$TOPICMAP_SCHEDULER``, else None (a local cluster)."""
    return settings.scheduler or os.environ.get(SCHEDULER_VARIABLE) or None


def parallel_wanted(settings: Settings, documents: Sequence[Document]) -> bool:
    """Whether this run uses Dask: as forced by ``settings.parallel``, else with a scheduler or a large corpus."""
    if settings.parallel is not None:
        return settings.parallel
    if scheduler_address(settings) is not None:
        return True
    return sum(len(document.text) for document in documents) >= settings.parallel_min_characters


def start_local_cluster(n_workers: int | None = None) -> LocalCluster:
    """A LocalCluster of one single-threaded worker process per core (or ``n_workers``), no dashboard, quiet.

    Its workers keep glibc's own memory trimming: Dask's nanny sets ``MALLOC_TRIM_THRESHOLD_=65536`` in
    every worker so that long-lived workers give memory back to the system, and with it a worker embedded
    the same texts 20-30% slower than a plain process (``benchmarks/README.md``, "Why a Dask worker was
    slower"). These workers live only until the embeddings are made, so the setting is left out.
    """
    import dask
    from distributed import LocalCluster

    with dask.config.set({f"{NANNY_ENVIRONMENT}.MALLOC_TRIM_THRESHOLD_": None}):  # None: not set (Dask's rule)
        return LocalCluster(n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                            dashboard_address=None, silence_logs=logging.ERROR)


def connect(address: str) -> Client:
    """A client of the scheduler at ``address``; SchedulerError when it cannot be reached in Dask's connect timeout."""
    import dask
    from distributed import Client  # registers the distributed.* configuration read below

    timeout = dask.config.get("distributed.comm.timeouts.connect")
    try:
        return Client(address, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise SchedulerError(
            f"cannot reach the Dask scheduler at {address} (waited {timeout}; {type(error).__name__}); check the "
            f"address given by --scheduler or ${SCHEDULER_VARIABLE}, or leave both out to use this machine's cores"
        ) from None


@contextmanager
def dask_client(settings: Settings) -> Iterator[Client]:
    """A client of the settings' scheduler, or of a LocalCluster started here and closed on exit."""
    from distributed import Client

    address = scheduler_address(settings)
    if address is not None:
        client = connect(address)
        try:
            yield client
        finally:
            client.close()  # the cluster belongs to its user: only our connection is closed
        return
    with start_local_cluster() as cluster, Client(cluster, set_as_default=False) as client:
        log.info("Dask: local cluster of %d worker processes", len(cluster.workers))
        yield client


@contextmanager
def parallel_client(settings: Settings, documents: Sequence[Document]) -> Iterator[Client | None]:
    """The run's Dask client when ``parallel_wanted``, else None (every stage then runs in this process)."""
    if not parallel_wanted(settings, documents):
        yield None
        return
    with dask_client(settings) as client:
        yield client


def gathered_in_order(client: Client, futures: list, description: str, unit: str) -> list:
    """The results of ``futures`` in their order, with a progress bar over the completed ones."""
    from distributed import as_completed
    from tqdm.auto import tqdm

    completed = as_completed(futures, loop=client.loop)
    for _ in tqdm(completed, total=len(futures), desc=description, unit=unit, disable=None):
        pass
    return client.gather(futures)


def document_chunks(documents: Sequence[Document], max_characters: int) -> list[list[Document]]:
    """The documents in order, cut into runs of at most ``max_characters`` (a longer document is a run alone)."""
    chunks: list[list[Document]] = []
    size = 0
    for document in documents:
        if not chunks or size + len(document.text) > max_characters:
            chunks.append([])
            size = 0
        chunks[-1].append(document)
        size += len(document.text)
    return chunks


def _concatenated(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """The tables one after another; empty ones are left out so they cannot change a column's dtype."""
    filled = [table for table in tables if len(table)]
    return pd.concat(filled, ignore_index=True) if filled else tables[0]


def merge_segmentations(parts: Sequence[Segmentation]) -> Segmentation:
    """One segmentation from those of consecutive runs of documents, in the same order."""
    return Segmentation(
        paragraphs=_concatenated([part.paragraphs for part in parts]),
        dropped=_concatenated([part.dropped for part in parts]),
        headings=_concatenated([part.headings for part in parts]),
        metadata={doc: values for part in parts for doc, values in part.metadata.items()},
    )


def segment_in_parallel(documents: Sequence[Document], settings: Settings, client: Client) -> Segmentation:
    """``segment_corpus`` mapped over runs of documents as Dask tasks: the same segmentation, made by the workers.

    Segmentation and language identification are per document (ids restart for each document), so
    runs of documents are independent tasks; each worker process builds its language detector once.
    """
    chunks = document_chunks(documents, settings.parallel_chunk_characters)
    # The texts go to the workers as data, not inside the task graph (Dask warns about large graphs).
    futures = client.map(segment_corpus, client.scatter(chunks), settings=settings, pure=False)
    parts = gathered_in_order(client, futures, "segmenting", "chunk")
    return merge_segmentations(parts)
