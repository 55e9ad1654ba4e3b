"""Step 1 of the chain: read a folder of text files into documents, never modifying them."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

log = logging.getLogger(__name__)


class CorpusError(Exception):
    """A corpus problem the user must fix (missing folder, no text files); message names it."""


@dataclass(frozen=True)
class Document:
    """One source file: its id (the file name without suffix), path, decoded text and encoding."""

    doc: str
    path: Path
    text: str
    encoding: str


def _looks_binary(raw: bytes) -> bool:
    """NUL bytes never occur in text files of any encoding we read."""
    return b"\x00" in raw[:8192]


def decode_text(raw: bytes, name: str) -> tuple[str, str] | None:
    """Decode bytes as UTF-8, else with the encoding charset-normalizer detects.

    Returns (text, encoding), or None when the bytes are not text at all.
    """
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 announced by its byte-order mark
        log.warning("%s is not UTF-8; decoded as utf-16 (byte-order mark)", name)
        return raw.decode("utf-16"), "utf-16"
    # Without a byte-order mark, a UTF-16/32 guess on NUL-free bytes is a misreading of a short
    # 8-bit file (latin-1 "café" reads as Chinese), so those encodings are not considered.
    best = from_bytes(raw, cp_exclusion=["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le"]).best()
    if best is None:
        return None
    log.warning("%s is not UTF-8; decoded as %s (detected by charset-normalizer)", name, best.encoding)
    return str(best), best.encoding


def load_corpus(folder: Path, suffixes: tuple[str, ...] = (".txt", ".md")) -> list[Document]:
    """Read every text file of ``folder`` (sorted by name); skip empty or binary ones with a warning.

    Raises CorpusError when the folder is missing or holds no readable text file.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"corpus folder not found: {folder}")
    candidates = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in suffixes)
    documents: list[Document] = []
    for path in candidates:
        raw = path.read_bytes()
        if not raw.strip():
            log.warning("skipped %s: the file is empty", path)
            continue
        if _looks_binary(raw) and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            log.warning("skipped %s: the file is binary, not text", path)
            continue
        decoded = decode_text(raw, str(path))
        if decoded is None:
            log.warning("skipped %s: no text encoding fits its bytes", path)
            continue
        text, encoding = decoded
        documents.append(Document(doc=path.stem, path=path, text=text, encoding=encoding))
    if not documents:
        wanted = ", ".join(suffixes)
        raise CorpusError(f"no readable text files ({wanted}) in corpus folder: {folder}")
    return documents
