"""Writing outputs so that topicmap never deletes what it did not write, and a run publishes all or nothing.

* **Files** are written atomically (``atomic_path``): a temporary file beside the target, renamed onto it.
* **Output folders** (results, figures, reports) belong to topicmap: each holds a marker file,
  ``.topicmap-output``, listing every file topicmap wrote there. ``check_output_folders`` refuses, before
  any work, a folder that holds anything else (a user's files), a folder that is, holds or lies inside the
  corpus, the cache or another output, and a path that is a file.
* **A run's outputs are published together** (``Publication``): every folder is written in full into a
  staging folder beside it; only then does a journal name the swaps, the swaps are made, and the journal
  is removed. A run killed before the journal leaves the previous outputs whole; one killed during the
  swaps is finished by the next run, which reads the journal. The staging folders of a killed run are removed
  by the next run: each run records the names of the folders it creates, before creating them, in its lock
  file; only those exact names are ever removed. No name is matched as a pattern: ``--out 'f[2]'`` must not
  reach ``.f2.new-*``, and a user's own ``.results.new-mine`` is not topicmap's.
* **One run at a time per output folder**: a lock file beside each folder (``flock``, released by the
  system even when a run is killed). A second run stops at once with a message instead of mixing outputs.
  The lock file is removed when the run ends (a killed run's, by the next run), so none stays in the user's
  folder.
* **Any folder name**: names that are not UTF-8 (``r\\xe9s``) are kept as Python keeps them (lone surrogates),
  written into JSON as ``\\udcXX`` escapes, and so read back as the same folder.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pandas as pd

#: The file that marks a folder as topicmap's output and lists what topicmap wrote in it.
MARKER = ".topicmap-output"
#: How a staging, a set-aside and a lock file are named beside the output folder ``<name>``.
STAGING_INFIX, OLD_INFIX = ".new-", ".old-"
LOCK_SUFFIX, JOURNAL_SUFFIX = ".topicmap.lock", ".topicmap.journal"


class OutputFolderError(Exception):
    """An output folder cannot be used (not topicmap's, overlapping, locked or unwritable); the message names it."""


# --- files --------------------------------------------------------------------------------------


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


#: A lone surrogate: how Python keeps a byte of a file name that is not UTF-8 (``os.fsdecode``).
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def json_text(data: Any) -> str:
    """``data`` as readable JSON (UTF-8 letters as they are), lone surrogates as ``\\udcXX`` escapes: the file is
    valid UTF-8, and ``json.loads`` gives back the same string, so a folder whose name is not UTF-8 is found again."""
    return _LONE_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", json.dumps(data, ensure_ascii=False,
                                                                                       indent=2)) + "\n"


def write_json(target: Path, data: Any) -> Path:
    return write_text(target, json_text(data))


def npz_bytes(arrays: dict[str, Any]) -> bytes:
    """``arrays`` as an ``.npz`` file (``numpy.load`` reads it; never pickled objects) whose bytes depend on the
    arrays alone: ``numpy.savez`` stamps each member with the time it was written, so the same run would give
    another file."""
    import io
    import zipfile

    import numpy as np

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            member = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(member, "w", force_zip64=True) as handle:
                np.lib.format.write_array(handle, np.asarray(array), allow_pickle=False)
    return buffer.getvalue()


def write_bytes(target: Path, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_csv(target: Path, table: pd.DataFrame) -> Path:
    with atomic_path(target) as tmp:
        table.to_csv(tmp, index=False, encoding="utf-8")
    return Path(target)


# --- whose folder is it ---------------------------------------------------------------------------


def files_in(folder: Path) -> list[str]:
    """Every file and symbolic link under ``folder``, as sorted relative POSIX paths (the marker excluded)."""
    found = []
    for root, directories, files in os.walk(folder):
        directories.sort()
        for name in files + [d for d in directories if os.path.islink(os.path.join(root, d))]:
            relative = Path(root, name).relative_to(folder).as_posix()
            if relative != MARKER:
                found.append(relative)
    return sorted(found)


def marked_files(folder: Path) -> set[str] | None:
    """The files the marker of ``folder`` says topicmap wrote, or None when the folder is not marked."""
    try:
        data = json.loads((Path(folder) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("written_by") != "topicmap" or not isinstance(data.get("files"), list):
        return None
    return {str(name) for name in data["files"]}


def write_marker(folder: Path, role: str) -> Path:
    """Mark ``folder`` as topicmap's ``role`` output and list every file it holds now."""
    return write_json(Path(folder) / MARKER, {"written_by": "topicmap", "role": role, "files": files_in(folder)})


def foreign_entries(folder: Path) -> list[str]:
    """What in ``folder`` topicmap did not write: everything when it is not marked, else what the marker lacks
    (files it does not list, and folders that hold none of the files it lists)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    listed = marked_files(folder)
    if listed is None:
        return sorted(entry.name + ("/" if entry.is_dir() else "") for entry in folder.iterdir())
    holding = {parent.as_posix() for name in listed for parent in Path(name).parents}
    folders = [Path(root, name).relative_to(folder).as_posix() + "/" for root, names, _ in os.walk(folder)
               for name in names]
    return [name for name in files_in(folder) if name not in listed] + \
        sorted(name for name in folders if name.rstrip("/") not in holding)


def _related(a: Path, b: Path) -> str | None:
    """'is', 'lies inside' or 'holds' when the resolved folders ``a`` and ``b`` overlap, else None."""
    if a == b:
        return "is"
    if b in a.parents:
        return "lies inside"
    if a in b.parents:
        return "holds"
    return None


def check_output_folders(outputs: dict[str, Path], protected: dict[str, Path]) -> None:
    """Refuse, before any work, output folders topicmap may not replace (``OutputFolderError`` naming the first).

    ``outputs`` maps a role (results, figures, reports) to a folder; ``protected`` maps what must stay
    untouched (the corpus, the cache) to its folder. An output folder must not be a file, must not be,
    hold or lie inside another output or a protected folder, and may only hold what topicmap wrote there.
    """
    resolved = {role: Path(path).resolve() for role, path in outputs.items()}
    roles = list(resolved)
    for index, role in enumerate(roles):
        folder = resolved[role]
        if folder.exists() and not folder.is_dir():
            raise OutputFolderError(f"the {role} output {outputs[role]} is a file, not a folder; give a folder")
        for name, other in [*((r, resolved[r]) for r in roles[index + 1:]),
                            *((n, Path(p).resolve()) for n, p in protected.items())]:
            relation = _related(folder, other)
            if relation:
                raise OutputFolderError(
                    f"the {role} output {outputs[role]} {relation} the {name} folder {other}: topicmap replaces "
                    f"its output folders whole, so each must be a folder of its own; choose another")
        foreign = foreign_entries(folder)
        if foreign:
            shown = ", ".join(foreign[:4]) + (f" and {len(foreign) - 4} more" if len(foreign) > 4 else "")
            raise OutputFolderError(
                f"the {role} output {outputs[role]} holds files topicmap did not write ({shown}); topicmap replaces "
                "its output folders whole and never deletes what is not its own: give an empty or new folder")
        _check_parent_writable(folder, role)


def _check_parent_writable(folder: Path, role: str) -> None:
    """The folder's parent must take a staging folder and a lock file; create it if it does not exist."""
    parent = folder.parent
    blocking = next((above for above in folder.parents if above.exists() and not above.is_dir()), None)
    if blocking is not None:
        raise OutputFolderError(f"cannot make the {role} output {folder}: {blocking} is a file, not a folder")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=parent):
            pass
        if folder.is_dir():
            with tempfile.TemporaryFile(dir=folder):
                pass
    except OSError as error:
        raise OutputFolderError(f"cannot write the {role} output {folder}: {error.strerror or error}") from None


# --- publishing a run's outputs together -------------------------------------------------------------


def _beside(folder: Path, infix: str) -> str:
    return f".{folder.name}{infix}"


def _set_aside_name(staging: Path, target: Path) -> Path:
    """Where ``target`` is put while ``staging`` takes its place: named after the staging folder, so that the
    record of one is the record of both."""
    return target.parent / f"{_beside(target, OLD_INFIX)}{staging.name.rsplit('-', 1)[-1]}"


def _remove_own_folder(folder: Path) -> None:
    """Remove ``folder``, a name topicmap recorded as its own, if it is still topicmap's (marked) or empty."""
    if folder.is_dir() and not folder.is_symlink() and (marked_files(folder) is not None or not any(folder.iterdir())):
        shutil.rmtree(folder, ignore_errors=True)


def _swap_in(staging: Path, target: Path) -> None:
    """Put ``staging`` in ``target``'s place; the old folder is set aside first and removed last."""
    old = _set_aside_name(staging, target)
    if staging.exists():  # else already swapped (a journal being finished): only the old folder may be left
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
    _remove_own_folder(old)


def finish_journal(journal: Path) -> None:
    """Make every swap a journal lists (the staged folders are complete), then remove the journal."""
    try:
        swaps = json.loads(journal.read_text(encoding="utf-8"))["swaps"]
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)  # written atomically, so unreadable means not ours: nothing to finish
        return
    for staging, target in swaps:
        _swap_in(Path(staging), Path(target))
    for staging, target in swaps:
        (Path(target).parent / f"{_beside(Path(target), JOURNAL_SUFFIX)}").unlink(missing_ok=True)
    journal.unlink(missing_ok=True)


def clean_leftovers(target: Path, recorded: list[str] = ()) -> None:
    """Finish an interrupted publication beside ``target``, then remove the staging folders (and set-aside
    folders) that a killed run recorded as its own: ``recorded`` holds their exact names."""
    journal = target.parent / _beside(target, JOURNAL_SUFFIX)
    if journal.exists():
        finish_journal(journal)
    for name in recorded:
        staging = target.parent / name
        if staging.name == name and name.startswith(_beside(target, STAGING_INFIX)):  # a name, not a path
            _remove_own_folder(staging)
            _remove_own_folder(_set_aside_name(staging, target))


class Publication:
    """The output folders of one run, staged, then published together (``with Publication(...) as run``).

    ``folder(role)`` is where the run writes that output; ``publish()`` swaps them all in. Leaving the
    ``with`` block without publishing (an error, an interrupt) removes the staged folders and leaves the
    previous outputs as they were.
    """

    def __init__(self, outputs: dict[str, Path]) -> None:
        self.targets = {role: Path(path).resolve() for role, path in outputs.items()}
        self.staged: dict[str, Path] = {}
        self._locks: dict[str, tuple[int, Path]] = {}

    def __enter__(self) -> "Publication":
        try:
            recorded = {}
            for role, target in sorted(self.targets.items(), key=lambda item: str(item[1])):
                recorded[role] = self._lock(role, target)
            for role, target in self.targets.items():
                clean_leftovers(target, recorded[role])
            for role, target in self.targets.items():
                self.staged[role] = self._make_staging(role, target)
                write_marker(self.staged[role], role)  # marked at once: a killed run's staging is known as ours
        except BaseException:
            self.__exit__()
            raise
        return self

    def _lock(self, role: str, target: Path) -> list[str]:
        """Take the lock file of ``target``; return the staging folders a killed run recorded in it.

        The file is removed at the end of every run. A run that opened it just before (and got the lock once
        the other run closed it) would hold a lock on a removed file while a third run made a new one: so the
        lock holds only when the file at the path is still the one locked, else it is taken again."""
        path = target.parent / _beside(target, LOCK_SUFFIX)
        while True:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as error:
                raise OutputFolderError(f"cannot lock the {role} output {target}: {error.strerror or error}") from None
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                raise OutputFolderError(
                    f"another topicmap run is writing the {role} output {target}; wait for it to finish, or give "
                    "other output folders") from None
            try:
                same = os.path.samestat(os.fstat(descriptor), os.stat(path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(descriptor)  # the file was removed by the run that held it: take the new one
        self._locks[role] = (descriptor, path)
        return self._read_record(descriptor)

    @staticmethod
    def _read_record(descriptor: int) -> list[str]:
        """The staging folder names recorded in a lock file (by a run that was killed), or none."""
        try:
            record = json.loads(os.pread(descriptor, 65536, 0).decode("ascii"))
            names = record["staging"] if record.get("written_by") == "topicmap" else []
        except (OSError, ValueError, AttributeError, KeyError, TypeError):
            return []
        return [name for name in names if isinstance(name, str)] if isinstance(names, list) else []

    def _make_staging(self, role: str, target: Path) -> Path:
        """A new staging folder beside ``target``, its name recorded in the lock file before it is made."""
        descriptor, _ = self._locks[role]
        for _ in range(100):
            staging = target.parent / f"{_beside(target, STAGING_INFIX)}{secrets.token_hex(5)}"
            if os.path.lexists(staging):
                continue
            record = json.dumps({"written_by": "topicmap", "staging": [staging.name]}, ensure_ascii=True)
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, record.encode("ascii"), 0)
            try:
                os.mkdir(staging, 0o700)
            except FileExistsError:
                continue
            return staging
        raise OutputFolderError(f"cannot make a staging folder beside the {role} output {target}")

    def folder(self, role: str) -> Path:
        """The staging folder where this run writes its ``role`` output."""
        return self.staged[role]

    def publish(self) -> dict[str, Path]:
        """Swap every staged folder in for its target, all of them or (after a crash, on the next run) none lost."""
        for role, staging in self.staged.items():
            os.chmod(staging, 0o755)
            write_marker(staging, role)
        swaps = [[str(self.staged[role]), str(target)] for role, target in self.targets.items()]
        journals = sorted({target.parent / _beside(target, JOURNAL_SUFFIX) for target in self.targets.values()})
        for journal in journals:
            write_json(journal, {"swaps": swaps})
        finish_journal(journals[0])
        published, self.staged = dict(self.targets), {}
        return published

    def __exit__(self, *exc_info) -> None:
        for staging in self.staged.values():
            shutil.rmtree(staging, ignore_errors=True)
        self.staged = {}
        self._release()

    def _release(self) -> None:
        """Remove each lock file while still holding it, then close it (closing releases the flock)."""
        for descriptor, path in self._locks.values():
            try:
                if os.path.samestat(os.fstat(descriptor), os.stat(path)):
                    os.unlink(path)
            except OSError:
                pass
            os.close(descriptor)
        self._locks = {}
