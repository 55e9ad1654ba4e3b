"""Writing result files atomically, so an interrupted run never leaves a half-written file."""

from __future__ import annotations

import json
import shutil
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import pandas as pd


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` only on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; results are for every reader
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(target: Path, text: str) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_json(target: Path, data: Any) -> Path:
    return write_text(target, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def write_csv(target: Path, table: pd.DataFrame) -> Path:
    with atomic_path(target) as tmp:
        table.to_csv(tmp, index=False, encoding="utf-8")
    return Path(target)


def replace_folder(target: Path, write: Callable[[Path], list[Path]]) -> list[Path]:
    """Write a whole set of outputs into a fresh folder, then swap it in for ``target`` as one unit.

    ``write(folder)`` writes every file of the set into ``folder`` and returns the paths. Only when it
    succeeds does the new folder take ``target``'s place, so an interrupted run never leaves files of
    two runs side by side, and files of an earlier run that this one does not write are gone. The old
    folder is renamed aside first and removed last: a crash between the two renames leaves the old
    results intact beside the new ones, never mixed.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        written = write(staging)
        os.chmod(staging, 0o755)
        old = target.parent / f".{target.name}.old-{os.getpid()}"
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target / Path(path).relative_to(staging) for path in written]
