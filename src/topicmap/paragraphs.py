"""Step 2 of the chain: segment documents into content paragraphs, logging every dropped line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .config import Settings
from .corpus import Document
from .language import languages_with_fallback
from .outputs import write_csv

PARAGRAPH_COLUMNS = ["id", "doc", "lang", "section", "text", "n_words"]
DROPPED_COLUMNS = ["doc", "line", "text", "reason"]


@dataclass
class Segmentation:
    """The paragraphs of a corpus, the lines dropped on the way (with reasons), and headings."""

    paragraphs: pd.DataFrame
    dropped: pd.DataFrame
    headings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["doc", "line", "text"]))
    metadata: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class DocumentParts:
    """What segmentation makes of one document, before language identification."""

    paragraphs: list[tuple[str, str]]  # (section, text)
    dropped: list[tuple[int, str, str]]  # (line number, text, reason)
    headings: list[tuple[int, str]]  # (line number, text)
    metadata: dict[str, str]


def split_document(text: str) -> DocumentParts:
    """Split one document's text into paragraphs, headings and dropped lines."""
    parts = DocumentParts(paragraphs=[], dropped=[], headings=[], metadata={})
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            section = stripped.lstrip("#").strip()
            parts.headings.append((number, section))
            continue
        parts.paragraphs.append((section, stripped))
    return parts


def segment_corpus(documents: list[Document], settings: Settings) -> Segmentation:
    """Segment every document; ids are ``<doc>-<nnn>`` in reading order, languages per paragraph."""
    paragraph_rows, dropped_rows, heading_rows = [], [], []
    metadata: dict[str, dict[str, str]] = {}
    for document in documents:
        parts = split_document(document.text)
        texts = [text for _, text in parts.paragraphs]
        langs = languages_with_fallback(texts, settings.min_words_for_language_id) if texts else []
        for number, ((section, text), lang) in enumerate(zip(parts.paragraphs, langs), start=1):
            paragraph_rows.append(
                {"id": f"{document.doc}-{number:03d}", "doc": document.doc, "lang": lang,
                 "section": section, "text": text, "n_words": len(text.split())}
            )
        dropped_rows += [{"doc": document.doc, "line": n, "text": t, "reason": r} for n, t, r in parts.dropped]
        heading_rows += [{"doc": document.doc, "line": n, "text": t} for n, t in parts.headings]
        if parts.metadata:
            metadata[document.doc] = parts.metadata
    return Segmentation(
        paragraphs=pd.DataFrame(paragraph_rows, columns=PARAGRAPH_COLUMNS),
        dropped=pd.DataFrame(dropped_rows, columns=DROPPED_COLUMNS),
        headings=pd.DataFrame(heading_rows, columns=["doc", "line", "text"]),
        metadata=metadata,
    )


def write_segmentation(segmentation: Segmentation, out_dir: Path) -> list[Path]:
    """Write ``paragraphs.csv`` and ``dropped.csv`` to ``out_dir`` atomically."""
    return [
        write_csv(Path(out_dir) / "paragraphs.csv", segmentation.paragraphs),
        write_csv(Path(out_dir) / "dropped.csv", segmentation.dropped),
    ]
