"""A content-addressed cache of step results, so a rerun with the same inputs does not recompute them.

A result is stored under the SHA-256 of everything it depends on: the step's name, its inputs (given
by the caller, e.g. the units' ids, languages and texts, and the settings that matter), and the source
code of the ``topicmap`` package itself, so that a changed line of code never reads an old result.
An unreadable entry is reported, removed and recomputed.
"""

from __future__ import annotations

import glob
import hashlib
import logging
import pickle
import pickletools
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, TypeVar

from .outputs import atomic_path, write_bytes

log = logging.getLogger(__name__)
T = TypeVar("T")


@lru_cache(maxsize=1)
def code_version() -> str:
    """SHA-256 of every source file of the package (its templates included): any change of code changes every
    cache key."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and p.suffix != ".pyc"):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key_of(*parts: Any) -> str:
    """A stable key for the given parts (strings, numbers, tuples, lists of them), with the code version."""
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        digest.update(repr(part).encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def cached(folder: Path, step: str, key: str, compute: Callable[[], T], kind: type | None = None,
           check: Callable[[T], str | None] | None = None) -> T:
    """``compute()``'s value, read from ``folder/step/key.pkl`` when present, else computed and stored.

    A stored value that cannot be read, that is not of ``kind``, or that ``check`` finds wrong (it returns
    what is wrong, or None for a sound value) is reported, deleted and recomputed: a damaged or foreign
    entry must neither stop a run nor change its results.
    """
    path = Path(folder) / step / f"{key}.pkl"
    if path.is_file():
        try:
            with open(path, "rb") as handle:
                value = pickle.load(handle)
            if kind is not None and not isinstance(value, kind):
                raise TypeError(f"holds {type(value).__name__}, not {kind.__name__}")
            problem = check(value) if check is not None else None
            if problem:
                raise ValueError(problem)
            return value
        except Exception as error:  # truncated, foreign, damaged, or written by other code: recompute
            log.warning("unreadable cached %s result %s (%s: %s): deleted and recomputed", step, path,
                        type(error).__name__, error)
            path.unlink(missing_ok=True)
    value = compute()
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return value


#: the distributions whose versions can change a figure, an executed notebook or the report's bytes
OUTPUT_DISTRIBUTIONS = ("numpy", "pandas", "matplotlib", "nbformat", "nbclient", "nbconvert", "ipykernel",
                        "jinja2", "weasyprint", "fonttools", "brotli", "pydyf", "tinycss2", "mistune")


@lru_cache(maxsize=1)
def output_environment() -> tuple[tuple[str, str], ...]:
    """The Python version and the versions of ``OUTPUT_DISTRIBUTIONS``: part of the keys of cached outputs
    (figures, notebooks, the report), which the package's own code does not fix alone."""
    import platform
    from importlib import metadata

    versions = [("python", platform.python_version())]
    for name in OUTPUT_DISTRIBUTIONS:
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            versions.append((name, "absent"))
    return tuple(versions)


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def folder_digest(folder: Path, skip: tuple[str, ...] = ()) -> str:
    """SHA-256 of every file under ``folder`` (relative path and content), but those under the subfolders
    ``skip``: what a step reading the folder may depend on."""
    digest = hashlib.sha256()
    folder = Path(folder)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []:
        relative = path.relative_to(folder)
        if relative.parts[0] in skip:
            continue
        digest.update(relative.as_posix().encode() + b"\x00" + file_digest(path).encode() + b"\x00")
    return digest.hexdigest()


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in root.rglob("*") if p.is_file()} if root.is_dir() else {}


def cached_files(folder: Path, step: str, key: str, produce: Callable[[], list[Path]], root: Path) -> list[Path]:
    """The files ``produce()`` writes under ``root``, written again from ``folder/step/key.pkl`` when present.

    For outputs (figures, executed notebooks, the report): on a miss ``produce`` runs and every file it wrote or
    changed under ``root`` is stored with its bytes; on a hit the same files get the same bytes, and the same
    paths are returned, without running it. ``key`` must hold everything the files depend on.
    """
    root = Path(root)
    produced = []

    def compute() -> dict:
        produced.append(True)
        before = _snapshot(root)
        paths = [Path(p) for p in produce()]
        after = _snapshot(root)
        written = sorted(name for name, state in after.items() if before.get(name) != state)
        returned = [p.resolve().relative_to(root.resolve()).as_posix() for p in paths]
        return {"returned": returned, "files": {name: (root / name).read_bytes() for name in written}}

    def check(value: dict) -> str | None:
        if not isinstance(value.get("returned"), list) or not isinstance(value.get("files"), dict):
            return "not a set of files"
        if not all(isinstance(data, bytes) for data in value["files"].values()):
            return "files that are not bytes"
        return None

    value = cached(folder, step, key, compute, kind=dict, check=check)
    if not produced:  # read from the cache: write the files
        for name, data in value["files"].items():
            write_bytes(root / name, data)
        log.info("%s: %d files from the cache", step, len(value["files"]))
    return [root / name for name in value["returned"]]


class CacheFolderError(Exception):
    """The cache folder cannot be written; the message names it and says how to choose another."""


def check_cache_folder(folder: Path) -> None:
    """Create the cache folder if needed and write a file in it; CacheFolderError naming it if that fails."""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise CacheFolderError(
            f"cannot write the cache folder {folder} ({error.strerror or error}); make it writable, or choose "
            "another with TOPICMAP_CACHE_DIR=/path (or TOPICMAP_OUTPUT_ROOT for every output)") from None


def repair_numba_cache(folder: Path) -> int:
    """Delete the entries of numba's on-disk cache in ``folder`` that cannot be read; return how many.

    numba reads an index (``*.nbi``: a pickled version, then pickled data) and the compiled code it names
    (``*.<n>.nbc``: one pickle) when it first compiles a cached function, typically at ``import umap``; a
    damaged file raises there, on every run. Checked before numba is imported, each bad index is deleted with
    its compiled code, and each bad code file alone (numba finds it missing, compiles again and rewrites it).
    A code file is checked by walking its pickle's opcodes to the final STOP, without loading it: loading
    would import numba and rebuild compiled code here.
    """
    removed = 0
    folder = Path(folder)
    for index in sorted(folder.rglob("*.nbi")) if folder.is_dir() else []:
        try:
            with open(index, "rb") as handle:
                pickle.load(handle)
                pickle.loads(handle.read())
        except Exception as error:
            log.warning("damaged numba cache entry %s (%s): deleted; numba compiles it again", index,
                        type(error).__name__)
            for compiled in index.parent.glob(glob.escape(index.name.removesuffix(".nbi")) + ".*.nbc"):
                compiled.unlink(missing_ok=True)
            index.unlink(missing_ok=True)
            removed += 1
    for compiled in sorted(folder.rglob("*.nbc")) if folder.is_dir() else []:
        problem = _pickle_problem(compiled)
        if problem:
            log.warning("damaged numba cache entry %s (%s): deleted; numba compiles it again", compiled, problem)
            compiled.unlink(missing_ok=True)
            removed += 1
    return removed


def _pickle_problem(path: Path) -> str | None:
    """What makes the file at ``path`` not one whole pickle (None when it is one), without unpickling it."""
    try:
        data = path.read_bytes()
        end = None
        for opcode, _, position in pickletools.genops(data):
            if opcode.name == "STOP":
                end = position + 1
                break
    except OSError as error:
        return error.strerror or str(error)
    except Exception as error:  # ValueError: unknown opcode, truncated stream
        return f"not a pickle: {error}"
    if not data.startswith(pickle.PROTO) or end != len(data):
        return "not one whole pickle"
    return None
