"""Step 1 of the chain: read a folder of text files (and its subfolders) into documents, never modifying them.

Every file that is not read is said in the log: other suffixes (one INFO line), and with a
warning naming it, an empty, binary, unreadable, duplicate or too large file (``max_file_bytes``), a
broken symbolic link, a symbolic link loop, or a folder whose path is longer than the system allows.

A symbolic link to a file or folder outside the corpus folder is read, with a warning naming its target:
a corpus made of links to an archive kept elsewhere is read as it is meant to be, and no file outside
the corpus enters a run unsaid.

Decoding: UTF-8, else UTF-16, else cp1252/latin-1, else charset-normalizer's guess (``decode_text``). A
file that is UTF-8 but for a few bytes (a cp1252 apostrophe pasted into it, a damaged byte) is read as
UTF-8 with those bytes replaced and counted in a warning. A few control bytes (a NUL) are damaged
characters, removed with a warning; a file is binary, and skipped, when they are more than 1% of its
first 8 KB.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import yaml
from charset_normalizer import from_bytes

from .config import Settings
from .description import DESCRIPTION_FILE
from .language import UNKNOWN, guess_language

log = logging.getLogger(__name__)

#: Languages written with cp1252's letters alone: a non-UTF-8 file that decodes as cp1252 into
#: text of one of these is taken as cp1252 (the usual Windows encoding of French and English).
CP1252_LANGUAGES: tuple[str, ...] = (
    "af", "ca", "da", "de", "en", "es", "eu", "fi", "fr", "ga", "id", "is", "it", "la", "ms", "nb",
    "nl", "nn", "pt", "so", "sq", "sv", "sw", "tl",
)
WESTERN_ENCODINGS = ("cp1252", "latin-1")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
UTF8_BOM = b"\xef\xbb\xbf"

#: control characters never found in text (tab, newlines and form feed excepted), C1 ones included
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
#: a letter, a cp1252 symbol, a letter: "Za¿ó³æ" is Polish (cp1250) misread as cp1252
_SYMBOL_INSIDE_WORD = re.compile(r"[^\W\d_][¤¦¨¬¯°±²³´¶¸¹¼½¾¿×÷][^\W\d_]")
#: "cafÃ©": UTF-8 bytes read one byte per character
_MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf]|â€")
#: misread Cyrillic or Greek is all accented letters; real Latin-script text is mostly plain ones
MAX_NON_ASCII_LETTER_SHARE = 0.5
#: the letter-share test needs this many letters to mean anything
MIN_LETTERS_FOR_SHARE = 20

#: the first bytes of a file tell text from binary (and UTF-16 from 8-bit text) before it is read whole
SAMPLE_BYTES = 8192
#: C0 control bytes (tab, newlines, form feed and escape excepted): never in text of an 8-bit encoding or
#: UTF-8. Compressed or random data is about 10% of them (27 of 256 byte values), text none.
_CONTROL_BYTES = bytes(range(0x00, 0x09)) + bytes(range(0x0e, 0x1b)) + bytes(range(0x1c, 0x20))
#: above this share of the first 8 KB (and more than one), control bytes make a file binary; fewer are
#: damaged characters (a NUL byte in an article), removed with a warning (issue 31)
MAX_CONTROL_BYTE_SHARE = 0.01
#: bytes that never begin or continue a UTF-8 character are escaped as these by Python's surrogateescape
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_ASCII_BYTES = bytes(range(128))

#: A YAML block between ``---`` lines at the very top (closed by ``---`` or ``...``), with Windows line ends too: a
#: front matter written on Windows was read as text, its date and source lost, until the closing line's "\r" was let in.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*\r?$", re.DOTALL | re.MULTILINE)
_FRONT_MATTER_OPENS = re.compile(r"\A---[ \t]*\r?\n")


class CorpusError(Exception):
    """A corpus problem the user must fix (missing folder, no text files); message names it."""


class FrontMatterError(ValueError):
    """A ``---`` block at the top of a file that is not a YAML mapping."""


@dataclass(frozen=True)
class Document:
    """One source file: its id (relative path without suffix), path, decoded text, encoding and front matter."""

    doc: str
    path: Path
    text: str
    encoding: str
    metadata: dict[str, str] = field(default_factory=dict)


# --- decoding --------------------------------------------------------------------------------


def _looks_binary(raw: bytes) -> bool:
    """More than one control byte, and more than 1% of the first 8 KB: a NUL or two are damaged text."""
    sample = raw[:SAMPLE_BYTES]
    found = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return found > 1 and found > MAX_CONTROL_BYTE_SHARE * len(sample)


def utf16_encoding(raw: bytes) -> str | None:
    """'utf-16' for a byte-order mark; 'utf-16-le'/'-be' when NUL bytes fill one side of the byte pairs."""
    if raw.startswith(UTF16_BOMS):
        return "utf-16"
    sample = raw[:8192]
    pairs = len(sample) // 2
    nuls_even, nuls_odd = sample[0::2].count(0), sample[1::2].count(0)
    if pairs and nuls_odd >= 0.3 * pairs and nuls_even <= 0.01 * pairs:
        return "utf-16-le"  # "A" is 41 00: the second byte of each pair is NUL
    if pairs and nuls_even >= 0.3 * pairs and nuls_odd <= 0.01 * pairs:
        return "utf-16-be"
    return None


def _as_utf16(raw: bytes) -> tuple[str, str, str] | None:
    """(text, encoding, how) for UTF-16 with or without byte-order mark, or None."""
    encoding = utf16_encoding(raw)
    if encoding is None:
        return None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    if _CONTROL_CHARS.search(text):
        return None
    return text, encoding, "byte-order mark" if encoding == "utf-16" else "pattern of NUL bytes"


def reads_as_text_of(text: str, languages: Sequence[str]) -> bool:
    """True when decoded text is plausible text in one of ``languages``.

    No control characters, no symbols inside words, no UTF-8 mojibake, mostly plain letters,
    and a language that lingua's quick guess puts among ``languages`` (or cannot tell).
    """
    if _CONTROL_CHARS.search(text) or _SYMBOL_INSIDE_WORD.search(text) or _MOJIBAKE.search(text):
        return False
    letters = [char for char in text[:10_000] if char.isalpha()]
    non_ascii = sum(not char.isascii() for char in letters)
    if len(letters) >= MIN_LETTERS_FOR_SHARE and non_ascii > MAX_NON_ASCII_LETTER_SHARE * len(letters):
        return False
    return guess_language(text) in (*languages, UNKNOWN)


def _as_western(raw: bytes, languages: Sequence[str]) -> tuple[str, str, str] | None:
    """(text, encoding, how) for cp1252, then latin-1, when the result reads as text of ``languages``."""
    for encoding in WESTERN_ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if reads_as_text_of(text, languages):
            return text, encoding, "reads as text of the corpus's languages"
    return None


def _repaired_byte(text: str, index: int) -> str:
    """What an escaped byte at ``text[index]`` becomes: its cp1252 character when it is a byte 0x80-0x9F
    standing alone between good characters (an apostrophe, a quote or a dash pasted from Windows
    software, which writes those there), else U+FFFD."""
    byte = ord(text[index]) - 0xDC00
    alone = not (index > 0 and _ESCAPED_BYTE.match(text[index - 1])) and \
        not (index + 1 < len(text) and _ESCAPED_BYTE.match(text[index + 1]))
    if alone and 0x80 <= byte <= 0x9F:
        try:
            return bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: no character in cp1252
            pass
    return "\ufffd"


def _as_mostly_utf8(raw: bytes, name: str) -> tuple[str, str] | None:
    """(text, "utf-8") when ``raw`` is UTF-8 but for a few bytes, those replaced (``_repaired_byte``) and said
    in a warning; None when the file is in another encoding.

    It is UTF-8 when it holds well-formed non-ASCII UTF-8 characters, and either as many as it holds bytes
    that are not UTF-8, or only cp1252 punctuation besides (curly quotes pasted from Windows software).
    A cp1252 or latin-1 file has almost no well-formed UTF-8 sequence (an accented letter followed by
    a letter is not one), so a single one of its bytes never tips it over.
    """
    text = raw.decode("utf-8-sig", errors="surrogateescape")
    bad = [match.start() for match in _ESCAPED_BYTE.finditer(text)]
    ascii_bytes = len(raw) - len(raw.translate(None, _ASCII_BYTES))
    well_formed = len(text) - ascii_bytes - len(bad)  # non-ASCII characters that are good UTF-8
    if not bad or not well_formed:
        return None
    replaced = [_repaired_byte(text, index) for index in bad]
    if well_formed < len(bad) and "\ufffd" in replaced:
        return None
    pieces, start = [], 0
    for index, replacement in zip(bad, replaced):
        pieces += [text[start:index], replacement]
        start = index + 1
    pieces.append(text[start:])
    as_cp1252 = [char for char in replaced if char != "\ufffd"]
    how = [f"{len(as_cp1252)} read as the cp1252 character{'' if len(as_cp1252) == 1 else 's'} "
           f"{' '.join(sorted(set(as_cp1252)))}"] if as_cp1252 else []
    if len(replaced) > len(as_cp1252):
        how.append(f"{len(replaced) - len(as_cp1252)} replaced by U+FFFD")
    line = text[:bad[0]].count("\n") + 1
    log.warning("%s is UTF-8 but for %d byte%s (the first on line %d): %s", name, len(bad),
                "" if len(bad) == 1 else "s", line, ", ".join(how))
    return "".join(pieces), "utf-8"


def _as_detected(raw: bytes) -> tuple[str, str, str] | None:
    """(text, encoding, how) by charset-normalizer's best guess, or None."""
    # Without a byte-order mark or NUL bytes, a UTF-16/32 guess is a misreading of a short
    # 8-bit file (latin-1 "café" reads as Chinese), so those encodings are not considered.
    best = from_bytes(raw, cp_exclusion=["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le"]).best()
    if best is None:
        return None
    return str(best), best.encoding, "detected by charset-normalizer"


def decode_text(raw: bytes, name: str, languages: Sequence[str] | None = None) -> tuple[str, str] | None:
    """Decode bytes as UTF-8, else UTF-16, else as UTF-8 when only a few bytes are not
    (``_as_mostly_utf8``), else cp1252/latin-1 when that reads as text of ``languages`` (default
    CP1252_LANGUAGES), else with the encoding charset-normalizer detects.

    A byte-order mark or a pattern of NUL bytes means UTF-16; many control bytes, binary. Returns
    (text, encoding), or None when the bytes are not text at all; warns naming the encoding used when
    it is not UTF-8, and the bytes replaced when it is UTF-8 but for a few.
    """
    if utf16_encoding(raw) is not None:
        decoded = _as_utf16(raw)
    elif _looks_binary(raw):
        return None
    else:
        try:
            return raw.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            mostly_utf8 = _as_mostly_utf8(raw, name)
            if mostly_utf8 is not None:
                return mostly_utf8
            decoded = _as_western(raw, languages or CP1252_LANGUAGES) or _as_detected(raw)
    if decoded is None:
        return None
    text, encoding, how = decoded
    log.warning("%s is not UTF-8; decoded as %s (%s)", name, encoding, how)
    return text, encoding


# --- front matter ----------------------------------------------------------------------------


class _TextDatesLoader(yaml.SafeLoader):
    """YAML's safe loader that leaves dates as written: ``covariates.parse_date`` reads them, and a date that
    is not one ("2017-13-45") becomes a warning naming it, not an exception of the YAML parser.

    It refuses aliases (``*name``): a kilobyte of nested aliases expands to billions of items (a "billion
    laughs"), and metadata has no need of them. The block is then malformed front matter (issue 31).
    """

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"found the alias *{event.anchor}, and aliases are "
                                              "not allowed in front matter", event.start_mark)
        return super().compose_node(parent, index)


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _as_metadata_value(value: object) -> str | None:
    """A front-matter value as text: a list as "a, b"; None for what is no text (a mapping, a list of lists)."""
    if isinstance(value, dict) or (isinstance(value, (list, tuple)) and any(isinstance(i, (dict, list)) for i in value)):
        return None
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def read_front_matter(text: str) -> tuple[dict[str, str], int, list[str]] | None:
    """(metadata, number of lines, keys left out) of a ``---`` YAML block at the very top of ``text``, or None when
    the text does not open with one. A key whose value is no text (a mapping: ``source: {x: 1}``) is left out.

    Raises FrontMatterError when the block is not a YAML mapping, or is opened and never closed.
    """
    block = _FRONT_MATTER.match(text)
    if block is None:
        if _FRONT_MATTER_OPENS.match(text):
            raise FrontMatterError("the --- block at the top is never closed by a --- (or ...) line")
        return None
    try:
        data = yaml.load(block.group(1), Loader=_TextDatesLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as error:
        raise FrontMatterError(f"malformed YAML front matter ({str(error).splitlines()[0]})") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError(f"the --- block at the top is not a YAML mapping (it reads as {type(data).__name__})")
    values = {str(key): _as_metadata_value(value) for key, value in data.items()}
    metadata = {key: value for key, value in values.items() if value is not None}
    return metadata, len(block.group(0).splitlines()), [key for key, value in values.items() if value is None]


def _front_matter_of(text: str, path: Path) -> dict[str, str]:
    """The file's front matter; a malformed block is said and left to be read as text."""
    try:
        found = read_front_matter(text)
    except FrontMatterError as error:
        log.warning("%s: %s; reading it as ordinary text", path, error)
        return {}
    if found and found[2]:
        log.warning("%s: front matter key%s %s left out: %s no text (a mapping or a nested list)", path,
                    "s" if len(found[2]) > 1 else "", ", ".join(repr(k) for k in found[2]),
                    "each holds" if len(found[2]) > 1 else "it holds")
    return found[0] if found else {}


# --- the folder --------------------------------------------------------------------------------


@dataclass
class _Listing:
    """What a walk through the corpus folder found."""

    files: list[Path] = field(default_factory=list)
    subfolders: int = 0
    ignored: Counter[str] = field(default_factory=Counter)  # suffix (or "hidden") -> count


def _symlink_problem(path: Path) -> str | None:
    """Why a symbolic link cannot be followed (broken, or a loop), or None."""
    try:
        os.path.realpath(path, strict=True)
    except FileNotFoundError:
        return "broken symbolic link"
    except (OSError, RuntimeError):
        return "symbolic link loop"
    return None


def _scan(folder: Path, is_root: bool) -> list[os.DirEntry[str]]:
    """The entries of a folder sorted by name; an unreadable corpus folder is a CorpusError."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda entry: entry.name)
    except OSError as error:
        if is_root:
            raise CorpusError(f"cannot read corpus folder {folder}: {error.strerror or error}") from None
        log.warning("skipped subfolder %s: cannot read it (%s)", folder, error.strerror or error)
        return []


def _identity(path: Path | os.DirEntry) -> tuple[int, int]:
    """(device, inode) of a folder, following symbolic links: the same folder however it is reached."""
    info = path.stat() if isinstance(path, os.DirEntry) else os.stat(path)
    return info.st_dev, info.st_ino


#: the longest path the system opens (bytes, its final NUL included): 4,096 on Linux, 1,024 on macOS
try:
    PATH_MAX = os.pathconf("/", "PC_PATH_MAX")
except (OSError, ValueError, AttributeError):  # no pathconf (Windows): its long-path limit
    PATH_MAX = 32_767
#: a path longer than this is shortened in the log ("/tmp/corpus/d/d/d…/d/d/d")
LONGEST_PATH_SHOWN = 160


def shown(path: Path | str) -> str:
    """A path for the log: whole, or its start and end with the number of characters between when it is long."""
    text = str(path)
    if len(text) <= LONGEST_PATH_SHOWN:
        return text
    half = LONGEST_PATH_SHOWN // 2
    return f"{text[:half]}…{text[-half:]} ({len(text):,} characters)"


def _too_long(path: Path) -> bool:
    """True, with a warning, when the system cannot open ``path``: its folder is nested too deep."""
    if len(os.fsencode(path)) < PATH_MAX:
        return False
    log.warning("skipped %s: its path is too long for the system (more than %s bytes)", shown(path),
                f"{PATH_MAX - 1:,}")
    return True


def is_root_file(path: Path, real_root: str, name: str) -> bool:
    """Whether ``path`` is the file ``name`` at the top of the corpus folder (whose real path is ``real_root``)."""
    return path.name == name and os.path.realpath(path.parent) == real_root


def _outside(path: Path, real_root: str) -> None:
    """Say so when the symbolic link ``path`` leads out of the corpus folder (whose real path is ``real_root``)."""
    target = os.path.realpath(path)
    if os.path.commonpath([real_root, target]) != real_root:
        log.warning("%s is a symbolic link to %s, outside the corpus folder; read", path, target)


def _walk(root: Path, suffixes: tuple[str, ...], listing: _Listing) -> None:
    """Add the files of ``root`` and its subfolders to ``listing``, depth first in name order.

    Iterative, so a folder nested a thousand levels deep is read like any other; a symbolic link that
    leads back to a folder on its own path (a loop) is skipped with a warning, and so is a folder or
    file whose path is longer than the system allows. A link that leads out of ``root`` is read, with
    a warning naming its target.
    """
    real_root = os.path.realpath(root)
    stack: list[tuple[Path, frozenset[tuple[int, int]], bool]] = [(root, frozenset({_identity(root)}), True)]
    while stack:
        folder, ancestors, is_root = stack.pop()
        subfolders: list[tuple[Path, frozenset[tuple[int, int]], bool]] = []
        for entry in _scan(folder, is_root):
            path = Path(entry.path)
            if entry.name.startswith("."):
                listing.ignored["hidden"] += 1
                continue
            try:
                _visit(entry, path, ancestors, real_root, suffixes, listing, subfolders)
            except OSError as error:  # the entry went, or cannot be looked at
                log.warning("skipped %s: %s", shown(path), error.strerror or error)
        stack.extend(reversed(subfolders))


def _visit(entry: os.DirEntry[str], path: Path, ancestors: frozenset[tuple[int, int]], real_root: str,
           suffixes: tuple[str, ...], listing: _Listing, subfolders: list) -> None:
    """Sort one entry of a folder: a subfolder to walk, a file to read, a link to skip, or a file passed over."""
    if _too_long(path):
        return
    problem = _symlink_problem(path) if entry.is_symlink() else None
    if problem:
        log.warning("skipped %s: %s", path, problem)
    elif entry.is_dir():
        identity = _identity(entry)
        if identity in ancestors:
            log.warning("skipped %s: symbolic link loop (it leads back to %s)", path, os.path.realpath(path))
            return
        if entry.is_symlink():
            _outside(path, real_root)
        listing.subfolders += 1
        subfolders.append((path, ancestors | {identity}, False))
    elif is_root_file(path, real_root, DESCRIPTION_FILE) and entry.is_file():
        return  # corpus.toml describes the corpus: read as its description, never counted as passed over
    elif entry.is_file() and path.suffix.lower() in suffixes:
        if entry.is_symlink():
            _outside(path, real_root)
        listing.files.append(path)
    else:
        listing.ignored[path.suffix.lower() or "no suffix"] += 1


def _list_corpus(folder: Path, suffixes: tuple[str, ...]) -> _Listing:
    """Every file to read under ``folder``, sorted by relative path, and what was passed over."""
    listing = _Listing()
    _walk(folder, suffixes, listing)
    listing.files.sort(key=lambda path: path.relative_to(folder).as_posix())
    hidden = listing.ignored.pop("hidden", 0)
    if hidden:  # a name starting with "." is hidden whatever it ends in (".draft.txt" too)
        log.info("ignored %d hidden file%s or folder%s (named with a leading dot)", hidden, "" if hidden == 1 else "s",
                 "" if hidden == 1 else "s")
    if listing.ignored:
        counts = ", ".join(f"{suffix} ({count})" for suffix, count in sorted(listing.ignored.items()))
        log.info("ignored %d files not ending in %s: %s", sum(listing.ignored.values()), ", ".join(suffixes), counts)
    return listing


# --- reading -------------------------------------------------------------------------------------


def _size(count: int) -> str:
    """A number of bytes as people read it: '6.0 GB'."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if count >= scale:
            return f"{count / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{count} bytes"


def _too_large(path: Path, size: int, max_bytes: int) -> bool:
    if size <= max_bytes:
        return False
    log.warning("skipped %s: it holds %s, more than the %s a corpus file may hold (max_file_bytes in config.py)",
                path, _size(size), _size(max_bytes))
    return True


def _read_bytes(path: Path, max_bytes: int) -> bytes | None:
    """The file's bytes, or None (with a warning naming it) when it cannot be read, is larger than
    ``max_bytes`` or is binary: both are told before the file is read whole (its size, its first 8 KB)."""
    try:
        if _too_large(path, path.stat().st_size, max_bytes):
            return None
        with path.open("rb") as handle:
            head = handle.read(SAMPLE_BYTES)
        if utf16_encoding(head) is None and _looks_binary(head):
            log.warning("skipped %s: the file is binary, not text", path)
            return None
        raw = path.read_bytes()
    except OSError as error:
        log.warning("skipped %s: cannot read it (%s)", path, error.strerror or error)
        return None
    return None if _too_large(path, len(raw), max_bytes) else raw  # it grew since


def _decoded(path: Path, languages: Sequence[str] | None, max_bytes: int) -> tuple[str, str] | None:
    """(text, encoding) of a corpus file, or None with a warning saying why it is skipped."""
    raw = _read_bytes(path, max_bytes)
    if raw is None:
        return None
    decoded = decode_text(raw, str(path), languages)
    if decoded is None:
        why = "the file is binary, not text" if _looks_binary(raw) else "no text encoding fits its bytes"
        log.warning("skipped %s: %s", path, why)
    elif not decoded[0].strip():
        only_bom = raw.startswith((UTF8_BOM, *UTF16_BOMS))
        what = ("only a byte-order mark" if only_bom and not decoded[0].replace("\ufeff", "").strip() else
                "only spaces and line breaks" if decoded[0] else "")
        log.warning("skipped %s: the file is empty%s", path, f" ({what})" if what else "")
        return None
    return decoded


def readable_name(relative: Path) -> str:
    """A relative path as text that can be written anywhere: bytes of a non-UTF-8 file name as ``\\xNN``."""
    return relative.as_posix().encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _document_id(path: Path, folder: Path, taken: set[str]) -> str:
    """Relative path without suffix ('2024/lemonde_01'); with its suffix when another file has that id."""
    relative = path.relative_to(folder)
    doc = readable_name(relative.with_suffix(""))
    if doc != relative.with_suffix("").as_posix():
        log.warning("%s: the file name is not UTF-8; the document is called %r", readable_name(relative), doc)
    if doc in taken:
        log.warning("%s: document id %r is taken by another file; using %r", path, doc, readable_name(relative))
        doc = readable_name(relative)
    taken.add(doc)
    return doc


def without_control_characters(text: str, path: Path) -> str:
    """``text`` without control characters (tab, newlines and form feed kept); a warning says how many went."""
    found = len(_CONTROL_CHARS.findall(text))
    if not found:
        return text
    log.warning("%s: removed %d control character%s (not text)", path, found, "" if found == 1 else "s")
    return _CONTROL_CHARS.sub("", text)


def check_corpus_folder(folder: Path) -> None:
    """CorpusError naming the folder when it is missing, not a folder, or cannot be listed."""
    folder = Path(folder)
    if not folder.exists():
        raise CorpusError(f"corpus folder not found: {folder}")
    if not folder.is_dir():
        raise CorpusError(f"the corpus must be a folder of .txt/.md files, and {folder} is a file")
    _scan(folder, is_root=True)


def load_corpus(folder: Path, suffixes: tuple[str, ...] = (".txt", ".md"),
                languages: Sequence[str] | None = None, max_file_bytes: int = Settings.max_file_bytes
                ) -> list[Document]:
    """Read every text file under ``folder``, subfolders included, sorted by relative path.

    Skips, with a warning naming them, empty, binary, unreadable, duplicate and too large files
    (over ``max_file_bytes``), broken or looping symbolic links and folders whose path is too long.
    ``languages`` (ISO 639-1) help tell a non-UTF-8 encoding.
    Raises CorpusError when the folder is missing, unreadable or holds no readable text file.
    """
    folder = Path(folder)
    check_corpus_folder(folder)
    listing = _list_corpus(folder, tuple(suffix.lower() for suffix in suffixes))
    documents: list[Document] = []
    first_with_content: dict[str, Path] = {}
    taken_ids: set[str] = set()
    for path in listing.files:
        decoded = _decoded(path, languages, max_file_bytes)
        if decoded is None:
            continue
        text, encoding = decoded
        text = without_control_characters(text, path)
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        first = first_with_content.setdefault(digest, path)
        if first != path:
            log.warning("skipped %s: same content as %s, which is kept", path, first)
            continue
        documents.append(Document(doc=_document_id(path, folder, taken_ids), path=path, text=text,
                                  encoding=encoding, metadata=_front_matter_of(text, path)))
    if not documents:
        wanted = ", ".join(suffixes)
        raise CorpusError(f"no readable text files ({wanted}) in corpus folder: {folder}")
    log.info("read %d file%s from %s and %d subfolder%s", len(documents), "" if len(documents) == 1 else "s",
             folder, listing.subfolders, "" if listing.subfolders == 1 else "s")
    return documents
