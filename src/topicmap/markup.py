"""Markdown articles read as the text a reader sees, one line at a time (``.md`` files).

Segmentation reads lines (``paragraphs``), and its audit keeps every line's number, so a Markdown article is
turned into plain text line by line, each line keeping its number:

* **Inline markup** is read by markdown-it-py (the CommonMark parser Jupyter uses) and replaced by what it
  shows: emphasis, strikethrough and code spans by their text, a link by its text (an autolink by its
  address), an escape by its character, an entity by its letter; an image and an inline HTML tag leave
  nothing (an image's address and a ``<span class="share-button">`` are no prose, and named a theme
  "span class / tag"). A footnote mark (``[^1]``) goes too.
* **Block markup** is read from the line's start: a block quote's ``>`` goes, an ATX heading's closing
  ``#``s go, a ``+`` bullet is a bullet as ``-`` is, a footnote's ``[^1]:`` goes and its text stays.
* **Lines that hold no prose** are set aside with their reason, so nothing is lost unsaid: the lines of a
  fenced code block (its ``# comment`` would otherwise be taken for a heading), of an HTML comment, of a
  ``<script>`` or ``<style>`` block, a link reference definition (``[1]: https://...``) and a line left empty
  once its markup is gone (an image, a ``<div>``).
* **Markup across lines** (``*emphasis that`` / ``continues*``, a link whose text wraps) is read once the lines
  are joined into their paragraph (``paragraphs.split_document`` reads its paragraphs of several lines again).

A fence or comment that never closes sets aside its opening line alone: a stray ````` must not swallow the
rest of an article. Tables keep their cells' text with the pipes, as ``paragraphs`` reads them.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Files read as Markdown (of ``Settings.corpus_suffixes``); other files are plain text, where ``*`` and ``[`` mean
#: themselves.
MARKDOWN_SUFFIXES = (".md",)

CODE_BLOCK = "code block"
HTML_COMMENT = "HTML comment"
SCRIPT = "script or style"
LINK_REFERENCE = "link reference"
MARKUP_ONLY = "markup only (image or HTML)"

_FENCE = re.compile(r"^(`{3,}|~{3,})")
#: "[1]: https://example.com "title"": a destination and an optional title, nothing else ("[Update]: The company
#: said..." is prose)
_REFERENCE = re.compile(r"""^\[(?!\^)[^\]]+\]:\s*(?:<[^>]*>|\S+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?$""")
_SCRIPT = re.compile(r"^<(script|style)\b", re.IGNORECASE)
_FOOTNOTE = re.compile(r"^\[\^[^\]]+\]:\s*")
_FOOTNOTE_MARK = re.compile(r"\[\^[^\]]+\]")
_QUOTE = re.compile(r"^(?:>\s?)+")
_CLOSED_HEADING = re.compile(r"^(#{1,6}\s.*?)\s+#+$")
_PLUS_BULLET = re.compile(r"^\+\s+")
#: A line without these characters has no inline markup: it is kept as it is, unparsed.
_INLINE_MARKS = re.compile(r"[*_`\[\]<>!~&\\]")


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("strikethrough")


def inline_text(line: str) -> str:
    """The text a reader sees of one line's inline Markdown ("**Bold** [link](https://x)" -> "Bold link")."""
    if not _INLINE_MARKS.search(line):
        return line
    shown = []
    for token in _parser().parseInline(_FOOTNOTE_MARK.sub("", line))[0].children or []:
        if token.type in ("text", "code_inline"):
            shown.append(token.content)
        elif token.type in ("softbreak", "hardbreak", "html_inline", "image"):
            shown.append(" ")  # "and<br/>rules": a tag between two words parts them
    return " ".join("".join(shown).split())


def _closing(lines: list[tuple[int, str]], start: int, closes) -> int | None:
    """Index of the first line after ``start`` that ``closes`` accepts, None when none does."""
    return next((index for index in range(start + 1, len(lines)) if closes(lines[index][1])), None)


def plain_lines(lines: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], list[tuple[int, str, str]]]:
    """Numbered (stripped) Markdown lines as plain text, the same lines with the same numbers, and the lines set
    aside as (number, line, reason); a line set aside is left empty, which ends the paragraph it was in."""
    plain: list[tuple[int, str]] = []
    aside: list[tuple[int, str, str]] = []
    index = 0
    while index < len(lines):
        number, line = lines[index]
        fence = _FENCE.match(line)
        if fence and fence.group(1)[0] == "`" and "`" in line[len(fence.group(1)):]:
            fence = None  # "```code``` spans" open no block: a backtick fence's info string holds no backtick
        comment = line.startswith("<!--") and ("-->" not in line or not line.split("-->", 1)[1].strip())
        script = _SCRIPT.match(line)
        if fence or comment or script:
            if fence:
                mark = fence.group(1)
                end = _closing(lines, index, lambda text: text.startswith(mark[0] * len(mark))
                               and not text.strip(mark[0]))
            elif script:
                tag = f"</{script.group(1).lower()}"
                end = index if tag in line.lower() else _closing(lines, index, lambda text: tag in text.lower())
            else:
                end = index if "-->" in line else _closing(lines, index, lambda text: "-->" in text)
            reason = CODE_BLOCK if fence else SCRIPT if script else HTML_COMMENT
            for number_in, text in lines[index:(index if end is None else end) + 1]:
                if text:
                    aside.append((number_in, text, reason))
                plain.append((number_in, ""))
            index = (index if end is None else end) + 1
            continue
        if _REFERENCE.match(line):
            aside.append((number, line, LINK_REFERENCE))
            plain.append((number, ""))
            index += 1
            continue
        text = _QUOTE.sub("", line)
        text = _FOOTNOTE.sub("", text)
        text = _PLUS_BULLET.sub("- ", text)
        text = text[:-1].rstrip() if text.endswith("\\") and not text.endswith("\\\\") else text  # a hard break
        closed = _CLOSED_HEADING.match(text)
        text = inline_text(closed.group(1) if closed else text)
        if line and not text:
            aside.append((number, line, MARKUP_ONLY))
        plain.append((number, text))
        index += 1
    return plain, aside
