"""Language identification of paragraphs, with lingua (accurate on short text)."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Sequence

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

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


#: A paragraph is labelled with a language other than its document's main one only when lingua
#: is at least this confident: English OCR fragments otherwise come out as Tagalog (0.83).
MINORITY_LANGUAGE_CONFIDENCE = 0.9


def _confidence(text: str, code: str) -> float:
    language = next((lang for lang in Language.all() if lang.iso_code_639_1.name.lower() == code), None)
    return _detector().compute_language_confidence(text, language) if language is not None else 0.0


def languages_with_fallback(texts: Sequence[str], min_words: int) -> list[str]:
    """Language of each paragraph of one document; short or doubtful ones take the document's main language.

    A heading-sized paragraph ("Forced", "By LIN Yuchen") is too short for any detector, so it
    inherits the language most of the document's longer paragraphs are in; so does a paragraph
    detected as another language with confidence below MINORITY_LANGUAGE_CONFIDENCE.
    """
    detected = detect_languages(texts)
    long_enough = [lang for text, lang in zip(texts, detected) if len(text.split()) >= min_words]
    majority = Counter(lang for lang in long_enough if lang != UNKNOWN).most_common(1)
    fallback = majority[0][0] if majority else Counter(detected).most_common(1)[0][0]
    languages = []
    for text, lang in zip(texts, detected):
        trusted = len(text.split()) >= min_words and lang != UNKNOWN and (
            lang == fallback or _confidence(text, lang) >= MINORITY_LANGUAGE_CONFIDENCE)
        languages.append(lang if trusted else fallback)
    return languages
