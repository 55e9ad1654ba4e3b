"""A content-addressed cache of step results, so a rerun with the same inputs does not recompute them.

A result is stored under the SHA-256 of everything it depends on: the step's name, its inputs (given
by the caller, e.g. the units' ids, languages and texts, and the settings that matter), and the source
code of the ``topicmap`` package itself, so that a changed line of code never reads an old result.
An unreadable entry is reported, removed and recomputed.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, TypeVar

from .outputs import atomic_path

log = logging.getLogger(__name__)
T = TypeVar("T")


@lru_cache(maxsize=1)
def code_version() -> str:
    """SHA-256 of every source file of the package: any change of code changes every cache key."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
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


def cached(folder: Path, step: str, key: str, compute: Callable[[], T]) -> T:
    """``compute()``'s value, read from ``folder/step/key.pkl`` when present, else computed and stored."""
    path = Path(folder) / step / f"{key}.pkl"
    if path.is_file():
        try:
            with open(path, "rb") as handle:
                return pickle.load(handle)
        except Exception as error:  # truncated, or written by other code: recompute
            log.warning("unreadable cached %s result %s (%s): recomputed", step, path, type(error).__name__)
            path.unlink(missing_ok=True)
    value = compute()
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return value
