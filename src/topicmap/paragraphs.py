"""Step 2 of the chain: segment documents into content paragraphs, logging every dropped line.

Segmentation works in four passes over one document:

1. lines: paragraph breaks are blank lines in some files and single newlines in others,
   so the document's own habit decides (``_uses_blank_line_breaks``);
2. units: each line is a caption or boilerplate (dropped with a reason), a markdown
   heading, a bullet, or plain text; a line a drop rule matches but that is prose
   (``MAX_WORDS_NOTE``) is text, only a photo credit ending it dropped; in blank-line
   documents the plain lines of one block are one hard-wrapped paragraph;
3. roles: plain lines that are titles, column labels or bylines become headings; the
   nearest title or subheading is the ``section`` of the paragraphs below it;
4. paragraphs: sentences cut by a caption or a break are joined again, short bullets are
   gathered into one paragraph, and sentences glued by a lost space get it back.

A YAML front-matter block at the top of a file is metadata: its lines go to the dropped log.
Every non-blank source line ends up in a paragraph, a heading or the dropped log. Each pass
is linear in the length of the document, so a file of tens of megabytes is not a problem.

A fifth pass runs over the whole corpus once its documents are segmented (``set_aside_repeated``):
a paragraph repeated in many documents is boilerplate, moved to the dropped log with the number of
documents it is in, so ``paragraphs.csv`` holds only what the models see; so is a long passage repeated
inside the paragraphs of many documents (``cut_repeated_passages``), cut out of them.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from .config import Settings
from .corpus import Document, FrontMatterError, read_front_matter
from .covariates import declared_language
from .language import (check_language_codes, corpus_languages, function_words, language_code,
                       paragraph_languages)
from .markup import MARKDOWN_SUFFIXES, inline_text, plain_lines
from .outputs import write_csv

log = logging.getLogger(__name__)

PARAGRAPH_COLUMNS = ["id", "doc", "line", "lang", "section", "text", "n_words"]
DROPPED_COLUMNS = ["doc", "line", "text", "reason"]
#: kind is one of "title", "subheading", "label" (column name, kicker) or "byline"
HEADING_COLUMNS = ["doc", "line", "text", "kind"]

SECTION_KINDS = ("title", "subheading")  # heading kinds that name the section below them

#: a bullet that is a full sentence (final punctuation, at least this many words) stands alone
MIN_WORDS_FULL_SENTENCE = 8
#: a plain line without final punctuation and at most this many words is a subheading
MAX_WORDS_SHORT_TITLE = 6
#: the first line of a document is its title up to this many words
MAX_WORDS_DOCUMENT_TITLE = 25

_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]」』]*$")
_HEADING_FORBIDDEN_END = tuple(".!?…:;,-–—。！？，：；")
#: letters of scripts written without spaces between words (Chinese, Japanese, Thai...): about two make a word
_UNSPACED_LETTER = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HYPHENATED_END = re.compile(r"[^\W\d_]-$")
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^[•\-*–·▪]\s+(.*)$")
_BOLD_ONLY = re.compile(r"^(\*\*|__)(?P<inner>[^*_]+)\1$")
_PAGE_REFERENCE = re.compile(r"^(from|continued (from|on)|see|suite (de la )?)\s*page\s+\d+$", re.IGNORECASE)
_BYLINE_START = ("By", "Par", "Von", "Por")
_NAME_CONNECTORS = {"and", "et", "&", "de", "van", "von", "der", "du", "da"}
#: words a title never ends on but a line cut mid-sentence often does (English, French)
_DANGLING_WORDS = {
    "a", "an", "the", "of", "in", "its", "and", "or", "to", "for", "with", "by", "was", "is",
    "le", "la", "les", "de", "des", "du", "et", "ou", "pour", "en", "à", "au", "aux", "un",
    "une", "que", "qui", "sur", "par",
}
#: a lower-case letter or digit, a full stop or question mark, then a capitalised word
#: a sentence's end (with the closing quote and a stray mark a scraper leaves: 'mistake."?Do') glued to the next
_GLUED_SENTENCE = re.compile(r"(?<=[a-zà-ÿ0-9])([.?!]+[\"'”’»)]*[.?!]*)(?=[A-ZÀ-Ý][a-zà-ÿ])")

_PHOTO_CREDIT_AT_END = re.compile(r"\((photo|image|picture)s?\s*:[^)]*\)$", re.IGNORECASE)
#: (reason, pattern) for lines that are not text of the article; first match wins
_DROP_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("photo caption", _PHOTO_CREDIT_AT_END),
    ("image credit", re.compile(
        r"^(image|photo|cover image|crédits?|credits?)\b[^|]{0,40}\|", re.IGNORECASE)),
    ("related-article promo", re.compile(
        r"^(dans|sur|in|on|lire aussi|à lire aussi|read also|read more|see also|related)\b[^|]{0,40}\|",
        re.IGNORECASE)),
    ("source note", re.compile(
        r"^(the original article was|this article was (originally|first) published|originally published"
        r"|l'article original|article original|source\s*:)", re.IGNORECASE)),
)

#: A line a drop rule matches is a caption, credit, source note or promoted headline only while it is short: one
#: of more than this many words (a photo credit at its end not counted) that holds a finished sentence is prose,
#: kept as a paragraph, and only a trailing photo credit is dropped from it (issue 31: a 41-word paragraph ending
#: "(Photo: Xinhua)", a 35-word one starting "Source: a survey…" were lost). The seeds' longest caption has
#: 22 words before its credit; a promoted headline or a credit ends without a full stop, however long.
MAX_WORDS_NOTE = 25
#: A line of web links alone (issue 31: they became section headings) holds no words of the article and names
#: no section: dropped as a ``LINK``. Each word of the line must be a link.
_LINK_WORD = re.compile(r"<?(?:(?:https?|ftp)://|www\.)[^\s<>]+>?", re.IGNORECASE)
LINK = "link"
#: dropped lines that may stand inside a sentence broken across lines (a caption set in the column, a link)
_INTERRUPTIONS = ("photo caption", LINK)
#: The reason of a photo credit taken off the end of a paragraph of prose.
PHOTO_CREDIT = "photo credit"
#: sentence-final punctuation (closing quotes allowed) after a word, then a space or the end: a finished sentence
_FINISHED_SENTENCE = re.compile(r"[^\s.!?…][.!?…。！？][\"'”’»)\]」』]*(?:\s|$)")

#: The reason of the lines of a file's front matter: set aside as text, read as the article's metadata.
FRONT_MATTER = "front matter"


@dataclass
class Segmentation:
    """The paragraphs of a corpus, the lines dropped on the way (with reasons), and headings.

    ``metadata`` holds each document's front matter and source note; ``covariates`` (one row per document:
    date, source and any other key, from ``covariates.document_covariates``) is set by ``pipeline.segment``.
    """

    paragraphs: pd.DataFrame
    dropped: pd.DataFrame
    headings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=HEADING_COLUMNS))
    metadata: dict[str, dict[str, str]] = field(default_factory=dict)
    covariates: pd.DataFrame | None = None


@dataclass
class DocumentParts:
    """What segmentation makes of one document, before language identification."""

    paragraphs: list[tuple[str, str]]  # (section, text)
    dropped: list[tuple[int, str, str]]  # (line number, text, reason)
    headings: list[tuple[int, str, str]]  # (line number, text, kind)
    metadata: dict[str, str]
    lines: list[tuple[int, int]] = field(default_factory=list)  # first and last source line of each paragraph


@dataclass
class _Unit:
    """A line, or a block of hard-wrapped lines, on its way to becoming a paragraph or not."""

    kind: str  # "text", "bullet", "markdown", "heading" or "dropped"
    line: int  # number of the first source line
    text: str
    role: str = ""  # heading kind, or the reason a line was dropped
    level: int = 0  # markdown heading level
    last: int = 0  # number of the last source line (a block of hard-wrapped lines spans several)
    #: (line number, text, reason) of what was taken off this unit's lines (a photo credit ending prose)
    stripped: list[tuple[int, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.last = self.last or self.line


# --- pass 1: lines -------------------------------------------------------------------------


def _numbered_lines(text: str) -> list[tuple[int, str]]:
    """The document's lines, numbered from 1, with surrounding whitespace removed."""
    return [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1)]


def _uses_blank_line_breaks(lines: list[tuple[int, str]]) -> bool:
    """True when most consecutive non-empty lines are separated by at least one blank line."""
    numbers = [number for number, line in lines if line]
    gaps = [later - earlier > 1 for earlier, later in zip(numbers, numbers[1:])]
    return bool(gaps) and sum(gaps) > len(gaps) / 2


# --- pass 2: units -------------------------------------------------------------------------


def _drop_reason(line: str) -> str | None:
    """Why a line is not article text (caption, credit, promo, source note), or None."""
    for reason, pattern in _DROP_RULES:
        if pattern.search(line):
            return reason
    return None


def _is_prose(text: str) -> bool:
    """Longer than any caption, credit, note or promoted headline (``MAX_WORDS_NOTE``), with a finished sentence."""
    return word_count(text) > MAX_WORDS_NOTE and bool(_FINISHED_SENTENCE.search(text))


def _prose_kept(line: str, reason: str) -> tuple[str, list[tuple[str, str]]] | None:
    """(the text to keep, [(tail taken off, its reason)]) when a line a drop rule matches is prose, else None.

    A photo credit ends its line: prose before it is kept and the credit alone dropped. The other rules match
    a line's opening words ("Source:", "In … |"), which in prose are part of its first sentence: kept whole.
    """
    if reason == "photo caption":
        credit = _PHOTO_CREDIT_AT_END.search(line)
        body = line[:credit.start()].rstrip()
        return (body, [(credit.group(0), PHOTO_CREDIT)]) if _is_prose(body) else None
    return (line, []) if _is_prose(line) else None


def _is_bare_links(line: str) -> bool:
    """A line whose every word is a web link (read word by word, stopping at the first that is not)."""
    return all(_LINK_WORD.fullmatch(word.group()) for word in re.finditer(r"\S+", line))


def _line_unit(number: int, line: str) -> _Unit:
    """Classify one non-blank line by its form alone."""
    if not any(char.isalnum() for char in line):
        return _Unit("dropped", number, line, role="no letters or digits")
    if _is_bare_links(line):
        return _Unit("dropped", number, line, role=LINK)
    stripped: list[tuple[int, str, str]] = []
    reason = _drop_reason(line)
    if reason:
        kept = _prose_kept(line, reason)
        if kept is None:
            return _Unit("dropped", number, line, role=reason)
        line, stripped = kept[0], [(number, tail, why) for tail, why in kept[1]]
    heading = _MARKDOWN_HEADING.match(line)
    if heading:
        return _Unit("markdown", number, heading.group(2).strip(), level=len(heading.group(1)), stripped=stripped)
    bullet = _BULLET.match(line)
    if bullet:
        return _Unit("bullet", number, bullet.group(1).strip(), stripped=stripped)
    return _Unit("text", number, line, stripped=stripped)


def _join_broken(pieces: list[str]) -> str:
    """Join the pieces of one sentence with spaces, rejoining words hyphenated across a break.

    Joins in one pass (never piece by piece into a growing string) to stay linear.
    """
    joined = [pieces[0]]
    for piece in pieces[1:]:
        if _HYPHENATED_END.search(joined[-1][-2:]) and piece[:1].islower():
            joined[-1] = joined[-1][:-1]
        else:
            joined.append(" ")
        joined.append(piece)
    return "".join(joined)


def _merged(block: list[_Unit]) -> _Unit:
    """One unit for the hard-wrapped lines of a block."""
    unit = block[0]
    if len(block) > 1:
        unit.text = _join_broken([line.text for line in block])
        unit.last = block[-1].line
        unit.stripped = [tail for line in block for tail in line.stripped]
    return unit


def _units(lines: list[tuple[int, str]]) -> list[_Unit]:
    """Units of one document; in blank-line documents, plain lines of one block are joined."""
    blocks_by_blank_lines = _uses_blank_line_breaks(lines)
    blocks: list[list[_Unit]] = []
    previous_blank = True
    for number, line in lines:
        if not line:
            previous_blank = True
            continue
        unit = _line_unit(number, line)
        same_block = blocks_by_blank_lines and not previous_blank
        if same_block and unit.role == LINK and blocks and blocks[-1][0].kind == "text":
            unit.kind, unit.role = "text", ""  # a link in a hard-wrapped paragraph is part of its sentence
        if same_block and unit.kind == "text" and blocks and blocks[-1][0].kind == "text":
            blocks[-1].append(unit)
        else:
            blocks.append([unit])
        previous_blank = False
    return [_merged(block) for block in blocks]


# --- pass 3: roles -------------------------------------------------------------------------


def clean_heading(text: str) -> str:
    """A heading as a section name: no markdown markers, emphasis or trailing emoji."""
    text = re.sub(r"^#+\s*", "", text.strip())
    text = text.replace("**", "").replace("__", "")
    while text and (unicodedata.category(text[-1]) in ("So", "Sk", "Mn", "Cf") or text[-1].isspace()):
        text = text[:-1]
    return re.sub(r"\s+", " ", text).strip()


def _words(text: str) -> list[str]:
    """Whitespace-separated words that hold at least one letter or digit (see ``word_count`` for unspaced scripts)."""
    return [word for word in text.split() if any(char.isalnum() for char in word)]


def word_count(text: str) -> int:
    """Words in a text: whitespace-separated ones, a run of Chinese or Japanese characters counting one per two."""
    unspaced = len(_UNSPACED_LETTER.findall(text))
    if not unspaced:
        return len(text.split())
    return len(_UNSPACED_LETTER.sub(" ", text).split()) + (unspaced + 1) // 2


def _ends_sentence(text: str) -> bool:
    """True when the text ends with sentence-final punctuation (closing quotes allowed)."""
    return bool(_SENTENCE_END.search(text.strip()))


def _is_byline(text: str) -> bool:
    """'By LIN Yuchen', 'By Staff Reporters': a byline word, then a few capitalised names."""
    words = clean_heading(text).split()
    if len(words) < 2 or len(words) > 6 or words[0] not in _BYLINE_START:
        return False
    return all(word[0].isupper() or word in _NAME_CONNECTORS for word in words[1:])


def _is_column_label(text: str) -> bool:
    """'**Opinion**', '#### **Comment**', 'From page 1': names of a column or page, not titles."""
    bold = _BOLD_ONLY.match(text.strip())
    if bold and len(bold.group("inner").split()) <= 3:
        return True
    return bool(_PAGE_REFERENCE.match(clean_heading(text)))


def _reads_like_title(text: str, max_words: int) -> bool:
    """At most ``max_words`` words, no final punctuation, and no stop mid-phrase."""
    cleaned = clean_heading(text)
    words = _words(cleaned)
    return (1 <= len(words) and word_count(cleaned) <= max_words and cleaned[0].isalnum()
            and any(char.isalpha() for char in cleaned)  # a line of numbers names nothing
            and not cleaned.endswith(_HEADING_FORBIDDEN_END)
            and words[-1].lower() not in _DANGLING_WORDS)


def _is_short_title(text: str) -> bool:
    """A subheading: a few words without final punctuation ('Policy support', 'Forced')."""
    return _reads_like_title(text, MAX_WORDS_SHORT_TITLE)


def _is_document_title(text: str) -> bool:
    """The first line of a document is its title when it is not a finished sentence."""
    return _reads_like_title(text, MAX_WORDS_DOCUMENT_TITLE)


def _continues_in_lower_case(units: list[_Unit], index: int) -> bool:
    """True when the next unit that is not a caption is text starting with a lower-case letter."""
    for position in range(index + 1, len(units)):  # not units[index + 1:], a copy: quadratic in all
        unit = units[position]
        if unit.kind == "dropped" and unit.role in _INTERRUPTIONS:
            continue
        return unit.kind == "text" and unit.text[:1].islower()
    return False


@dataclass
class _RoleState:
    """What the role pass remembers: titles seen, and whether the article has text yet."""

    titles: set[str] = field(default_factory=set)
    awaiting_first_paragraph: bool = False
    seen_content: bool = False


def _markdown_role(unit: _Unit, state: _RoleState) -> str:
    """Role of a markdown heading: levels 1-3 start an article, deeper ones are subheadings."""
    if _is_column_label(unit.text):
        return "label"
    if unit.level <= 3:
        return "title"
    return "label" if state.awaiting_first_paragraph else "subheading"


def _plain_role(units: list[_Unit], index: int, state: _RoleState) -> str | None:
    """Heading role of a plain text line, or None when it is text."""
    text = units[index].text
    if _is_byline(text):
        return "byline"
    if _is_column_label(text):
        return "label"
    if _continues_in_lower_case(units, index):
        return None  # the first half of a broken sentence, not a title
    if not state.seen_content and _is_document_title(text):
        return "title"
    if _is_short_title(text):
        return "label" if state.awaiting_first_paragraph else "subheading"
    return None


def _assign_role(units: list[_Unit], index: int, state: _RoleState) -> None:
    """Turn a unit into a heading or a dropped duplicate title when it is one; update state."""
    unit = units[index]
    if unit.kind == "dropped":
        return
    if unit.kind in ("markdown", "text") and clean_heading(unit.text) in state.titles:
        unit.kind, unit.role = "dropped", "duplicate title"
        return
    role = _markdown_role(unit, state) if unit.kind == "markdown" else None
    if unit.kind == "text":
        role = _plain_role(units, index, state)
    state.seen_content = True
    if role is None:
        state.awaiting_first_paragraph = False
        return
    unit.kind, unit.role = "heading", role
    if role == "title":
        state.titles.add(clean_heading(unit.text))
        state.awaiting_first_paragraph = True


def _with_roles(units: list[_Unit]) -> list[_Unit]:
    """Decide which units are headings (title, subheading, label, byline) or duplicate titles."""
    state = _RoleState()
    for index in range(len(units)):
        _assign_role(units, index, state)
    return units


# --- pass 4: paragraphs --------------------------------------------------------------------


def restore_glued_sentences(text: str) -> str:
    """Put back the space lost between sentences: 'countries.When' -> 'countries. When', 'mistake."?Do' ->
    'mistake."? Do'."""
    return _GLUED_SENTENCE.sub(r"\1 ", text)


def _is_full_sentence(text: str) -> bool:
    """A bullet that can stand as a paragraph: final punctuation and enough words."""
    return _ends_sentence(text) and word_count(text) >= MIN_WORDS_FULL_SENTENCE


def _join_fragments(items: list[str]) -> str:
    """Short bullet items as one sentence: 'a; b; c.'."""
    return "; ".join(item.rstrip(" .;,") for item in items) + "."


@dataclass
class _ParagraphBuilder:
    """Collects paragraphs in reading order, joining broken sentences and short bullets."""

    parts: DocumentParts
    section: str = ""
    fragments: list[str] = field(default_factory=list)
    fragments_lines: tuple[int, int] = (0, 0)
    open_pieces: list[str] = field(default_factory=list)  # the last paragraph, while it may continue
    open_section: str = ""
    open_lines: tuple[int, int] = (0, 0)
    joinable: bool = False  # the last paragraph is text that may continue in the next unit

    def add(self, unit: _Unit) -> None:
        """Route one unit to the paragraphs, the headings or the dropped log."""
        self.parts.dropped += unit.stripped
        if unit.kind == "bullet" and not _is_full_sentence(unit.text):
            self.fragments_lines = (self.fragments_lines[0] or unit.line, unit.last)
            self.fragments.append(unit.text)
            return
        self.flush_fragments()
        if unit.kind == "dropped":
            self.drop(unit)
        elif unit.kind == "heading":
            self.heading(unit)
        else:
            self.text(unit)

    def drop(self, unit: _Unit) -> None:
        self.parts.dropped.append((unit.line, unit.text, unit.role))
        if unit.role == "source note":
            self.parts.metadata["source_note"] = unit.text
        self.joinable = self.joinable and unit.role in _INTERRUPTIONS

    def heading(self, unit: _Unit) -> None:
        name = clean_heading(unit.text)
        self.parts.headings.append((unit.line, name, unit.role))
        if unit.role in SECTION_KINDS:
            self.section = name
        self.joinable = False

    def text(self, unit: _Unit) -> None:
        if unit.kind == "text" and self.joinable and unit.text[:1].islower():
            self.open_pieces.append(unit.text)
            self.open_lines = (self.open_lines[0], unit.last)
        else:
            self.close_paragraph()
            self.open_pieces, self.open_section, self.open_lines = [unit.text], self.section, (unit.line, unit.last)
        self.joinable = unit.kind == "text" and not _ends_sentence(unit.text)

    def close_paragraph(self) -> None:
        if self.open_pieces:
            self.parts.paragraphs.append((self.open_section, _join_broken(self.open_pieces)))
            self.parts.lines.append(self.open_lines)
            self.open_pieces = []

    def flush_fragments(self) -> None:
        if self.fragments:
            self.close_paragraph()
            self.parts.paragraphs.append((self.section, _join_fragments(self.fragments)))
            self.parts.lines.append(self.fragments_lines)
            self.fragments, self.fragments_lines = [], (0, 0)
            self.joinable = False

    def finish(self) -> DocumentParts:
        self.flush_fragments()
        self.close_paragraph()
        return self.parts


def unaccounted_lines(text: str, parts: DocumentParts) -> list[int]:
    """Numbers of the non-blank source lines that are in no paragraph, heading or dropped line (none, by design)."""
    covered = {number for number, _, _ in parts.dropped} | {number for number, _, _ in parts.headings}
    for first, last in parts.lines:
        covered.update(range(first, last + 1))
    return [number for number, line in _numbered_lines(text) if line and number not in covered]


def _front_matter_line_count(text: str) -> int:
    """Number of lines of a well-formed front-matter block at the top of ``text``, else 0."""
    try:
        found = read_front_matter(text)
    except FrontMatterError:
        return 0  # said when the corpus is loaded; the block is read as ordinary text
    return found[1] if found else 0


def split_document(text: str, markdown: bool = False) -> DocumentParts:
    """Split one document's text into paragraphs, headings and dropped lines; a ``markdown`` document's lines are
    read as the text they show first (``markup.plain_lines``)."""
    lines = _numbered_lines(text)
    front_matter = _front_matter_line_count(text)
    dropped = [(number, line, FRONT_MATTER) for number, line in lines[:front_matter] if line]
    body = lines[front_matter:]
    if markdown:
        body, markup = plain_lines(body)
        dropped += markup
    builder = _ParagraphBuilder(DocumentParts(paragraphs=[], dropped=dropped, headings=[], metadata={}))
    for unit in _with_roles(_units(body)):
        builder.add(unit)
    parts = builder.finish()
    if markdown:  # markup that runs across the lines of a paragraph, read once they are joined
        parts.paragraphs = [(section, inline_text(text) if first != last else text)
                            for (section, text), (first, last) in zip(parts.paragraphs, parts.lines)]
    parts.paragraphs = [(section, restore_glued_sentences(text)) for section, text in parts.paragraphs]
    return parts


def decide_languages(documents: list[Document], settings: Settings) -> tuple[str, ...]:
    """The corpus's languages, decided once for the whole corpus: the settings', else ``corpus_languages``."""
    if settings.languages:
        return check_language_codes(settings.languages)
    found = corpus_languages([document.text for document in documents])
    log.info("languages of the corpus: %s", ", ".join(found) or "none recognised")
    return found


def segment_corpus(documents: list[Document], settings: Settings) -> Segmentation:
    """The corpus's segmentation: every document segmented (``segment_documents``), then the paragraphs
    and passages repeated in many documents set aside (``set_aside_boilerplate``)."""
    return set_aside_boilerplate(segment_documents(documents, settings), settings)


def set_aside_boilerplate(segmentation: Segmentation, settings: Settings) -> Segmentation:
    """The segmentation without the paragraphs (``set_aside_repeated``) and then the passages inside paragraphs
    (``cut_repeated_passages``) that many documents repeat, both moved to the dropped lines."""
    return cut_repeated_passages(set_aside_repeated(segmentation, settings.boilerplate_min_documents),
                                 settings.boilerplate_passage_min_documents, settings.boilerplate_passage_words)


def segment_documents(documents: list[Document], settings: Settings) -> Segmentation:
    """Segment every document on its own; ids are ``<doc>-<nnn>`` in reading order, languages per paragraph.

    Paragraph languages are told apart among ``settings.languages``, or when unset among the
    corpus's languages (``decide_languages``; a caller segmenting a corpus in parts decides them once
    and passes them in the settings), a document's short paragraphs taking the language it declares
    (``language`` in its metadata); ``metadata`` holds each document's front matter and source note.
    Nothing here looks across documents, so runs of documents can be segmented apart and their
    segmentations put one after another.
    """
    paragraph_rows, dropped_rows, heading_rows = [], [], []
    metadata: dict[str, dict[str, str]] = {}
    languages = decide_languages(documents, settings)
    for document in tqdm(documents, desc="segmenting", unit="doc", disable=None):
        parts = split_document(document.text, markdown=document.path.suffix.lower() in MARKDOWN_SUFFIXES)
        texts = [text for _, text in parts.paragraphs]
        declared = language_code(declared_language(document.metadata))
        langs = paragraph_languages(texts, settings.min_words_for_language_id, languages, declared) if texts else []
        for number, ((section, text), (line, _), lang) in enumerate(zip(parts.paragraphs, parts.lines, langs), start=1):
            paragraph_rows.append(
                {"id": f"{document.doc}-{number:03d}", "doc": document.doc, "line": line, "lang": lang,
                 "section": section, "text": text, "n_words": word_count(text)}
            )
        dropped_rows += [{"doc": document.doc, "line": n, "text": t, "reason": r} for n, t, r in parts.dropped]
        heading_rows += [{"doc": document.doc, "line": n, "text": t, "kind": k} for n, t, k in parts.headings]
        if document.metadata or parts.metadata:
            metadata[document.doc] = {**document.metadata, **parts.metadata}
    return Segmentation(
        paragraphs=pd.DataFrame(paragraph_rows, columns=PARAGRAPH_COLUMNS),
        dropped=pd.DataFrame(dropped_rows, columns=DROPPED_COLUMNS),
        headings=pd.DataFrame(heading_rows, columns=HEADING_COLUMNS),
        metadata=metadata,
    )


# --- pass 5, over the corpus: paragraphs repeated across documents ---------------------------------

#: How the reason of a paragraph set aside as boilerplate begins ("repeated in 14 documents", ``repeated_reason``).
REPEATED = "repeated in "
#: words a sentence needs before a trailing label to be compared without it (``_without_trailing_label``):
#: "To access this command…" has 4, "Figure 1.1." and "Read more." fewer
MIN_WORDS_BEFORE_LABEL = 3
_SENTENCE_BREAK = re.compile(r"[.!?…。！？؟]+[\"'”’»)\]」』]*\s+")


def _without_trailing_label(text: str) -> str:
    """The text up to its last sentence when what follows is a label: capitalised, without final punctuation,
    of at most ``MAX_WORDS_SHORT_TITLE`` words (a subheading's bound; a dash between them is no word).

    "To access this command… Choose Format - Character - Font tab": the menu path varies from page to page.
    Where each line is a paragraph, the sentence is one and the path a line of its own; in a hard-wrapped
    block the two are one paragraph, compared here without the path. A lower-case tail is the rest of a
    sentence after an abbreviation ("rose in the U.S. last month"): kept. So is a label after fewer than
    ``MIN_WORDS_BEFORE_LABEL`` words: in "Figure 1.1. World-wide distribution of Debian developers" it is the
    caption, and without it every figure's caption would read "figure".
    """
    last = None
    for last in _SENTENCE_BREAK.finditer(text):
        pass
    if last is None:
        return text
    body, tail = text[:last.end()], text[last.end():]
    is_label = tail[:1].isupper() and len(_words(tail)) <= MAX_WORDS_SHORT_TITLE and not _ends_sentence(tail)
    return body if is_label and _lettered_word_count(body) >= MIN_WORDS_BEFORE_LABEL else text


def _lettered_word_count(text: str) -> int:
    """Words holding a letter ("1.1." is none)."""
    return sum(any(char.isalpha() for char in word) for word in text.split())


@lru_cache(maxsize=1)
def _folding_table() -> dict[int, str | None]:
    """``str.translate`` table: digits out, punctuation, symbols, spaces and other non-letters to a space.

    Over the Basic Multilingual Plane and the emoji blocks (what news text holds); one table lookup a character
    is five times faster than regular expressions of Unicode classes, and this runs on every paragraph.
    """
    table: dict[int, str | None] = {}
    for block in (range(0x10000), range(0x1F000, 0x1FB00)):
        for code in block:
            category = unicodedata.category(chr(code))
            if category == "Nd":
                table[code] = None
            elif category[0] in "PSZNC":
                table[code] = " "
    return table


def repeated_text_key(text: str) -> str:
    """What is compared across documents: the text without a trailing label, case, digits, punctuation and
    spacing; "" when no letter is left, as nothing then tells two texts apart."""
    body = unicodedata.normalize("NFKC", _without_trailing_label(text)).casefold().translate(_folding_table())
    key = " ".join(body.split())
    return key if any(char.isalpha() for char in key) else ""


def _digest(text: str) -> bytes | None:
    """A 16-byte digest of a paragraph's ``repeated_text_key`` (None for no key): an archive's keys stay small."""
    key = repeated_text_key(text)
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest() if key else None


def repeated_reason(documents: int) -> str:
    """The reason of a paragraph set aside because it is in so many documents: "repeated in 14 documents"."""
    return f"{REPEATED}{documents} documents"


def set_aside_repeated(segmentation: Segmentation, min_documents: int) -> Segmentation:
    """The segmentation with every paragraph whose ``repeated_text_key`` is in ``min_documents`` documents or
    more moved to the dropped lines, as ``repeated_reason`` (its first line and whole text kept).

    Runs over the whole corpus after every document is segmented (and, with Dask, gathered); it hashes each
    paragraph once and counts the documents per hash, so it is linear in the corpus. Repeats inside one
    document do not count. The moved rows follow the lines each document dropped; with nothing to move, or
    ``min_documents`` 0, the segmentation is returned as it is.
    """
    paragraphs = segmentation.paragraphs
    if not min_documents or paragraphs.empty:
        return segmentation
    keys = pd.DataFrame({"key": paragraphs["text"].astype(str).map(_digest).to_numpy(),
                         "doc": paragraphs["doc"].to_numpy()})
    documents = keys.groupby("key")["doc"].transform("nunique")  # NaN where there is no key
    repeated = (documents >= min_documents).to_numpy()
    if not repeated.any():
        return segmentation
    moved = paragraphs.loc[repeated, ["doc", "line", "text"]].assign(
        reason=[repeated_reason(int(n)) for n in documents[repeated]])
    dropped = moved if segmentation.dropped.empty else pd.concat([segmentation.dropped, moved], ignore_index=True)
    log.info("boilerplate: %d paragraphs set aside (%d distinct texts), each in %d documents or more",
             int(repeated.sum()), keys.loc[repeated, "key"].nunique(), min_documents)
    return dataclasses.replace(segmentation, paragraphs=paragraphs.loc[~repeated].reset_index(drop=True),
                               dropped=dropped[DROPPED_COLUMNS].reset_index(drop=True))


PASSAGE = "passage repeated in "
_TOKEN = re.compile(r"\S+")
#: A sentence break that ends an abbreviation instead: a capitalised word of at most three letters ("Dr.", "St.",
#: "Mr.", "J.") just before the stop
_ABBREVIATION_END = re.compile(r"(?:^|[\s(])[A-Z][a-z]{0,2}\.$")
#: The multiplier of the windows' polynomial hash (odd, 64 bits): windows of word ids, compared in numpy
_WINDOW_HASH_BASE = np.uint64(0x9E3779B97F4A7C15)


def _passages_to_cut(text: str, words: list[tuple[int, int]], counts: np.ndarray, min_words: int,
                     function: frozenset[str] = frozenset()) -> list[tuple[int, int, int]]:
    """(start, end, documents) of each passage to cut out of a paragraph whose ``words`` (character spans) a
    repeated passage covers where ``counts`` (the documents each word's passage is in) is not 0.

    A passage is a sentence covered whole, or a covered run of ``min_words`` words or more that reads as a list of
    names (no punctuation but in links, half its words capitalised, none of the paragraph's language's
    ``function`` words: a share bar, a table's row), with a link that follows it. A sentence ends at a break of
    ``_SENTENCE_BREAK`` but after an abbreviation ("Dr.", "St.", "J."). Never part of
    a sentence of prose: "The Windows Code Pages include several 8-bit extensions to the ASCII character set",
    shared by a dozen man pages but for its subject, stays whole.
    """
    breaks = [match.end() for match in _SENTENCE_BREAK.finditer(text)
              if not _ABBREVIATION_END.search(text[max(0, match.start() - 4):match.start() + 1])]
    sentence = [bisect.bisect_right(breaks, start) for start, _ in words]
    uncovered = {own for own, count in zip(sentence, counts) if not count}
    whole = set(sentence) - uncovered
    cut, index = [], 0
    while index < len(words):
        if not counts[index]:
            index += 1
            continue
        end = index
        while end + 1 < len(words) and counts[end + 1] and (
                sentence[end + 1] == sentence[index] or {sentence[end + 1], sentence[index]} <= whole):
            end += 1
        run = text[words[index][0]:words[end][1]]
        listed = [word for word in run.split() if not _LINK_WORD.fullmatch(word)]
        names = (len(listed) >= min_words and 2 * sum(word[:1].isupper() for word in listed) >= len(listed)
                 and not any(unicodedata.category(char)[0] == "P" and char not in "+-'’" for char in "".join(listed))
                 and not any(word.casefold() in function for word in listed))
        if sentence[index] in whole or names:
            end_char = words[end][1]
            after = _TOKEN.search(text, end_char)
            # a mark spaced off the sentence's last word ("chaque matin !", French spacing) goes with it
            while after is not None and not any(char.isalnum() for char in after.group()) and \
                    text[end_char:after.start()].isspace():
                end_char = after.end()
                after = _TOKEN.search(text, end_char)
            if after is not None and text[end_char:after.start()].isspace() and _LINK_WORD.fullmatch(after.group()):
                end_char = after.end()
            cut.append((words[index][0], end_char, int(counts[index:end + 1].min())))
        index = end + 1
    return cut


def passage_reason(documents: int) -> str:
    """The reason of a passage cut out of a paragraph: "passage repeated in 14 documents"."""
    return f"{PASSAGE}{documents} documents"


def cut_repeated_passages(segmentation: Segmentation, min_documents: int, min_words: int) -> Segmentation:
    """The segmentation with every passage of ``min_words`` words or more that the paragraphs of ``min_documents``
    documents or more hold cut out of its paragraphs, to the dropped lines as ``passage_reason`` (the fewest
    documents any of its windows of words is in), with a link it ends on.

    Words are compared as paragraphs are by ``set_aside_repeated`` (without case, digits or punctuation); every
    window of ``min_words`` consecutive words is hashed once, in numpy, so the pass is linear in the corpus. A
    paragraph left without a letter goes whole to the dropped lines. Nothing to cut, or either bound 0: the
    segmentation is returned as it is.
    """
    paragraphs = segmentation.paragraphs
    if not min_documents or not min_words or paragraphs.empty:
        return segmentation
    texts = paragraphs["text"].astype(str).tolist()
    vocabulary: dict[str, int] = {}
    spans, ids, owner = [], [], []
    folding = _folding_table()
    for row, text in enumerate(texts):
        kept = []
        for match in _TOKEN.finditer(text):
            word = " ".join(unicodedata.normalize("NFKC", match.group()).casefold().translate(folding).split())
            if word:
                kept.append((match.start(), match.end()))
                ids.append(vocabulary.setdefault(word, len(vocabulary) + 1))
        spans.append(kept)
        owner += [row] * len(kept)
    if len(ids) < min_words:
        return segmentation
    ids_array, owner_array = np.asarray(ids, dtype=np.uint64), np.asarray(owner)
    starts = np.arange(len(ids) - min_words + 1)
    whole = owner_array[starts] == owner_array[starts + min_words - 1]  # the window lies in one paragraph
    hashes = np.zeros(len(starts), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(min_words):
            hashes = hashes * _WINDOW_HASH_BASE + ids_array[offset:offset + len(starts)]
    docs = pd.Series(pd.factorize(paragraphs["doc"].astype(str))[0]).to_numpy()[owner_array[starts]]
    windows = pd.DataFrame({"hash": hashes[whole], "doc": docs[whole], "start": starts[whole]})
    windows["documents"] = windows.groupby("hash")["doc"].transform("nunique")
    repeated = windows[windows["documents"] >= min_documents]
    if repeated.empty:
        return segmentation
    # each word's count: the fewest documents of the repeated windows covering it (0 where none covers it)
    covered = np.zeros(len(ids), dtype=np.int64)
    for start, documents in zip(repeated["start"].to_numpy(), repeated["documents"].to_numpy()):
        block = covered[start:start + min_words]
        block[:] = np.where(block == 0, documents, np.minimum(block, documents))
    first_word = np.concatenate([[0], np.cumsum([len(kept) for kept in spans])])
    langs = paragraphs["lang"].astype(str).to_numpy()
    new_texts, cut_rows, emptied = list(texts), [], []
    for row in sorted(set(owner_array[repeated["start"].to_numpy()].tolist())):
        text = texts[row]
        cut = _passages_to_cut(text, spans[row], covered[first_word[row]:first_word[row + 1]], min_words,
                               function_words(str(langs[row])))
        if not cut:
            continue
        pieces = [text[end:begin] for (_, end, _), (begin, _, _) in zip([(0, 0, 0), *cut], [*cut, (len(text), 0, 0)])]
        left = " ".join(" ".join(pieces).split())
        if any(char.isalpha() for char in left):
            new_texts[row] = left
            cut_rows += [(row, text[begin:end], documents) for begin, end, documents in cut]
        else:
            emptied.append(row)
            cut_rows.append((row, text, min(documents for _, _, documents in cut)))
    if not cut_rows:
        return segmentation
    changed = sorted({row for row, _, _ in cut_rows})
    moved = pd.DataFrame([{"doc": paragraphs["doc"].iat[row], "line": paragraphs["line"].iat[row], "text": passage,
                           "reason": passage_reason(documents)} for row, passage, documents in cut_rows],
                         columns=DROPPED_COLUMNS)
    kept = paragraphs.assign(text=new_texts)
    kept.loc[kept.index[changed], "n_words"] = [word_count(new_texts[row]) for row in changed]
    kept = kept.drop(index=kept.index[emptied]).reset_index(drop=True)
    dropped = moved if segmentation.dropped.empty else pd.concat([segmentation.dropped, moved], ignore_index=True)
    log.info("boilerplate: %d sentences or lists of names cut out of %d paragraphs, each within a passage of %d words "
             "or more in %d documents or more", len(cut_rows), len(changed), min_words, min_documents)
    return dataclasses.replace(segmentation, paragraphs=kept, dropped=dropped[DROPPED_COLUMNS].reset_index(drop=True))


def write_segmentation(segmentation: Segmentation, out_dir: Path) -> list[Path]:
    """Write ``paragraphs.csv``, ``headings.csv`` and ``dropped.csv`` to ``out_dir`` atomically.

    Together they hold every non-blank line of the corpus: in a paragraph, as a heading, or set aside with its reason.
    """
    return [
        write_csv(Path(out_dir) / "paragraphs.csv", segmentation.paragraphs),
        write_csv(Path(out_dir) / "headings.csv", segmentation.headings),
        write_csv(Path(out_dir) / "dropped.csv", segmentation.dropped),
    ]


def paragraph_counts(table: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """Row counts of a paragraphs (or dropped-lines) table per ``by`` column(s), in first-seen order."""
    return table.groupby(by, sort=False).size().rename("count").reset_index()
