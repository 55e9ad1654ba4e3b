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

import asyncio
import logging
import os
import socket
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator, Sequence

import pandas as pd

from .config import Settings
from .corpus import Document
from .paragraphs import Segmentation, decide_languages, segment_documents, set_aside_boilerplate

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


def scheduler_given_by(settings: Settings) -> str:
    """Where the scheduler address came from, as an error message names it: the option or the variable."""
    return "--scheduler" if settings.scheduler else f"${SCHEDULER_VARIABLE}"


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


#: Seconds the scheduler at a given address has to answer, for the connection and for its first reply.
SCHEDULER_TIMEOUT = 10.0


def check_scheduler_address(address: str, given_by: str = "--scheduler") -> tuple[str, int]:
    """(host, port) of a ``tcp://HOST:PORT`` or ``tls://HOST:PORT`` address; SchedulerError saying what is wrong
    (``given_by``: the option or the variable the address came from, named in the message)."""
    from distributed.comm.addressing import get_address_host_port, parse_address

    try:
        scheme, _ = parse_address(address, strict=True)
        host, port = get_address_host_port(address)
    except (ValueError, TypeError) as error:
        raise SchedulerError(f"{given_by} {address!r} is not a Dask scheduler address ({error}); "
                             "write it as tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786") from None
    if scheme not in ("tcp", "tls"):
        raise SchedulerError(f"{given_by} {address!r}: topicmap connects to tcp:// or tls:// schedulers only")
    if not 1 <= port <= 65535:
        raise SchedulerError(f"{given_by} {address!r}: the port must be from 1 to 65535, not {port}")
    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address} ({given_by}): host {host!r} not found "
                             f"({error.strerror or error})") from None
    return host, port


async def _identify(address: str, timeout: float) -> dict:
    """Ask what answers at ``address`` who it is, in Dask's protocol, all within ``timeout`` seconds."""
    from distributed.comm import connect as dask_connect

    async def ask() -> dict:
        comm = await dask_connect(address, timeout=timeout)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    return await asyncio.wait_for(ask(), timeout)


def probe_scheduler(address: str, timeout: float | None = None, given_by: str = "--scheduler") -> None:
    """Check, within about ``timeout`` seconds (``SCHEDULER_TIMEOUT``) whatever answers, that a Dask scheduler
    listens at ``address``.

    A web server or any other service on that port can hold a Dask client for minutes, or send bytes that
    Dask reads as an exabyte-long message; the check runs in a thread of its own, with a deadline, and any
    such answer becomes a one-line SchedulerError.
    """
    check_scheduler_address(address, given_by)
    timeout = SCHEDULER_TIMEOUT if timeout is None else timeout
    outcome: dict[str, object] = {}

    def ask() -> None:
        try:
            outcome["reply"] = asyncio.run(_identify(address, timeout))
        except BaseException as error:  # MemoryError from a bogus frame length included
            outcome["error"] = error

    thread = threading.Thread(target=ask, name="topicmap-scheduler-probe", daemon=True)
    thread.start()
    thread.join(timeout + 2)
    reply, error = outcome.get("reply"), outcome.get("error")
    if thread.is_alive():
        why = f"no answer in {timeout:.0f} s"
    elif isinstance(error, asyncio.TimeoutError):
        why = f"no answer in {timeout:.0f} s"
    elif error is not None:
        why = f"{type(error).__name__}: {str(error).splitlines()[0][:120] if str(error) else 'no detail'}"
    elif not (isinstance(reply, dict) and reply.get("type") == "Scheduler"):
        why = "what answers there is not a Dask scheduler"
    else:
        return
    raise SchedulerError(
        f"cannot reach the Dask scheduler at {address} ({why}); check the address given by {given_by}, or leave "
        f"--scheduler and ${SCHEDULER_VARIABLE} out to use this machine's cores")


def connect(address: str) -> Client:
    """A client of the Dask scheduler at ``address``, checked first (``probe_scheduler``)."""
    from distributed import Client

    probe_scheduler(address)
    try:
        return Client(address, set_as_default=False, timeout=SCHEDULER_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as error:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address} ({type(error).__name__})") from None


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


def segmentation_tasks(documents: Sequence[Document], settings: Settings) -> tuple[list[list[Document]], Settings]:
    """The runs of documents to segment as separate tasks, and the settings every task gets.

    The corpus's languages are decided here, once, from every document, and given to every task: runs
    deciding them on their own could disagree (a run of English news would not know the corpus is also French).
    """
    chunks = document_chunks(documents, settings.parallel_chunk_characters)
    return chunks, settings.replace(languages=decide_languages(list(documents), settings))


def segment_in_parallel(documents: Sequence[Document], settings: Settings, client: Client) -> Segmentation:
    """``segment_corpus`` as Dask tasks: the same segmentation, the documents' part made by the workers.

    Segmentation and language identification are per document (ids restart for each document), so
    runs of documents are independent tasks (``segment_documents``); each worker process builds its
    language detector once. Boilerplate is found across documents, so here, once the runs are gathered.
    """
    chunks, settings = segmentation_tasks(documents, settings)
    # The texts go to the workers as data, not inside the task graph (Dask warns about large graphs).
    futures = client.map(segment_documents, client.scatter(chunks), settings=settings, pure=False)
    parts = gathered_in_order(client, futures, "segmenting", "chunk")
    return set_aside_boilerplate(merge_segmentations(parts), settings)
