"""Language identification of paragraphs, with lingua, restricted to the corpus's own languages.

Loading lingua's models for all 75 languages takes seconds and a gigabyte, and lets a paragraph
about Copenhagen come out as Danish. So the corpus's main languages are found first, cheaply
(low-accuracy mode on a few samples per document), and paragraphs are then told apart among
those languages only, with the accurate detector.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Sequence

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

UNKNOWN = "und"  # ISO 639-2 code for "undetermined", used when no language can be told

#: lingua is as sure of a language after a thousand characters as after a whole long paragraph
MAX_CHARS_FOR_DETECTION = 1000
#: a language is one of the corpus's when its documents hold at least this share of the words
MIN_CORPUS_LANGUAGE_SHARE = 0.05
#: evenly spaced samples read from each document to find the corpus's languages
SAMPLES_PER_DOCUMENT = 5

#: A paragraph is labelled with a language other than its document's main one only when lingua
#: is at least this confident: English OCR fragments otherwise come out as Tagalog (0.83).
MINORITY_LANGUAGE_CONFIDENCE = 0.9


def iso_code(language: Language | None) -> str:
    """Lower-case ISO 639-1 code of a lingua language, ``und`` for None."""
    return language.iso_code_639_1.name.lower() if language is not None else UNKNOWN


def check_language_codes(codes: Sequence[str]) -> tuple[str, ...]:
    """The codes sorted and lower-cased; ValueError naming any that lingua does not know."""
    known = {iso_code(language) for language in Language.all()}
    unknown = [code for code in codes if code.lower() not in known]
    if unknown:
        raise ValueError(f"unknown ISO 639-1 language code(s): {', '.join(unknown)}; "
                         f"known: {', '.join(sorted(known))}")
    return tuple(sorted({code.lower() for code in codes}))


@lru_cache(maxsize=8)
def detector_for(codes: tuple[str, ...]) -> LanguageDetector:
    """The accurate detector that knows only ``codes`` (ISO 639-1), built once per tuple."""
    isos = [IsoCode639_1.from_str(code) for code in check_language_codes(codes)]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*isos).build()


@lru_cache(maxsize=1)
def _survey_detector() -> LanguageDetector:
    """All languages in low-accuracy mode: trigram models only, a fraction of a second to load."""
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def bounded(text: str, limit: int = MAX_CHARS_FOR_DETECTION) -> str:
    """The start of ``text``, at most ``limit`` characters, cut at a space when one is near."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[:cut if cut > limit // 2 else limit]


def guess_language(text: str) -> str:
    """Cheap guess among all languages (low accuracy) from the start of a text; ``und`` when undecidable."""
    return iso_code(_survey_detector().detect_language_of(bounded(text)))


def _samples(text: str) -> list[str]:
    """Up to SAMPLES_PER_DOCUMENT evenly spaced pieces of MAX_CHARS_FOR_DETECTION characters."""
    size = MAX_CHARS_FOR_DETECTION
    step = max(size, len(text) // SAMPLES_PER_DOCUMENT)
    return [text[start:start + size] for start in range(0, len(text), step)][:SAMPLES_PER_DOCUMENT]


def corpus_languages(texts: Sequence[str], min_share: float = MIN_CORPUS_LANGUAGE_SHARE) -> tuple[str, ...]:
    """ISO codes of the languages holding at least ``min_share`` of the words of ``texts`` (at least one).

    Each text is judged on a few samples, each sample standing for its share of the text's words.
    Returns () when no text holds a recognisable language.
    """
    samples, words = [], []
    for text in texts:
        pieces = _samples(text)
        scale = len(text) / max(1, sum(len(piece) for piece in pieces))
        samples += pieces
        words += [len(piece.split()) * scale for piece in pieces]
    found = _survey_detector().detect_languages_in_parallel_of(samples)
    words_by_language: Counter[str] = Counter()
    for language, count in zip(found, words):
        if language is not None:
            words_by_language[iso_code(language)] += count
    if not words_by_language:
        return ()
    total = sum(words_by_language.values())
    main = words_by_language.most_common(1)[0][0]
    return tuple(sorted({main} | {code for code, count in words_by_language.items() if count >= min_share * total}))


def detect_languages(texts: Sequence[str], languages: Sequence[str] | None = None) -> list[str]:
    """ISO 639-1 code of each text among ``languages`` (default: the texts' main languages); ``und`` when undecidable."""
    if not texts:
        return []
    codes = tuple(sorted(languages)) if languages else corpus_languages(texts)
    if not codes:
        return [UNKNOWN] * len(texts)
    found = detector_for(codes).detect_languages_in_parallel_of([bounded(text) for text in texts])
    return [iso_code(language) for language in found]


def _confidence(text: str, code: str, languages: tuple[str, ...]) -> float:
    """lingua's confidence, among ``languages``, that ``text`` is in language ``code``."""
    language = Language.from_iso_code_639_1(IsoCode639_1.from_str(code))
    return detector_for(languages).compute_language_confidence(bounded(text), language)


def languages_with_fallback(texts: Sequence[str], min_words: int,
                            languages: Sequence[str] | None = None) -> list[str]:
    """Language of each paragraph of one document; short or doubtful ones take the document's main language.

    Languages are told apart among ``languages`` (default: the paragraphs' own main languages).
    A heading-sized paragraph ("Forced", "By LIN Yuchen") is too short for any detector, so it
    inherits the language most of the document's longer paragraphs are in; so does a paragraph
    detected as another language with confidence below MINORITY_LANGUAGE_CONFIDENCE.
    """
    codes = tuple(sorted(languages)) if languages else corpus_languages(texts)
    detected = detect_languages(texts, codes)
    long_enough = [lang for text, lang in zip(texts, detected) if len(text.split()) >= min_words]
    majority = Counter(lang for lang in long_enough if lang != UNKNOWN).most_common(1)
    fallback = majority[0][0] if majority else Counter(detected).most_common(1)[0][0]
    result = []
    for text, lang in zip(texts, detected):
        trusted = len(text.split()) >= min_words and lang != UNKNOWN and (
            lang == fallback or _confidence(text, lang, codes) >= MINORITY_LANGUAGE_CONFIDENCE)
        result.append(lang if trusted else fallback)
    return result
