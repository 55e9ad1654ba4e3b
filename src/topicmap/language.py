"""Language identification of paragraphs, with lingua (accurate on short text)."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Sequence

from lingua import LanguageDetector, LanguageDetectorBuilder

UNKNOWN = "und"  # ISO 639-2 code for "undetermined", used when no language can be told


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    # All languages: users bring their own corpora; lingua loads each model lazily.
    return LanguageDetectorBuilder.from_all_languages().build()


def detect_languages(texts: Sequence[str]) -> list[str]:
    """ISO 639-1 code of each text (``und`` when lingua cannot decide)."""
    if not texts:
        return []
    found = _detector().detect_languages_in_parallel_of(list(texts))
    return [lang.iso_code_639_1.name.lower() if lang is not None else UNKNOWN for lang in found]


def languages_with_fallback(texts: Sequence[str], min_words: int) -> list[str]:
    """Language of each paragraph of one document; short ones take the document's main language.

    A heading-sized paragraph ("Forced", "By LIN Yuchen") is too short for any detector,
    so it inherits the language most of the document's longer paragraphs are in.
    """
    detected = detect_languages(texts)
    long_enough = [lang for text, lang in zip(texts, detected) if len(text.split()) >= min_words]
    majority = Counter(lang for lang in long_enough if lang != UNKNOWN).most_common(1)
    fallback = majority[0][0] if majority else Counter(detected).most_common(1)[0][0]
    return [
        lang if len(text.split()) >= min_words and lang != UNKNOWN else fallback
        for text, lang in zip(texts, detected)
    ]
