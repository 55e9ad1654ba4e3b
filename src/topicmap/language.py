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
from tqdm.auto import tqdm

UNKNOWN = "und"  # ISO 639-2 code for "undetermined", used when no language can be told

#: lingua is as sure of a language after a thousand characters as after a whole long paragraph
MAX_CHARS_FOR_DETECTION = 1000
#: a language is one of the corpus's when its documents hold at least this share of the words
MIN_CORPUS_LANGUAGE_SHARE = 0.05
#: a document is read whole, in pieces of MAX_CHARS_FOR_DETECTION, to find the corpus's languages,
#: up to this many pieces; a longer one is read at that many evenly spaced places
MAX_SAMPLES_PER_DOCUMENT = 50

#: paragraphs detected at once; more than this show a progress bar
DETECTION_BATCH = 5_000

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
    """Up to MAX_SAMPLES_PER_DOCUMENT evenly spaced pieces of MAX_CHARS_FOR_DETECTION characters."""
    size = MAX_CHARS_FOR_DETECTION
    step = max(size, len(text) // MAX_SAMPLES_PER_DOCUMENT)
    return [text[start:start + size] for start in range(0, len(text), step)][:MAX_SAMPLES_PER_DOCUMENT]


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
    """ISO 639-1 code of each text among ``languages`` (default: the texts' main languages); ``und`` when undecidable.

    Many texts (a very large document) are detected in batches behind a progress bar.
    """
    if not texts:
        return []
    codes = tuple(sorted(languages)) if languages else corpus_languages(texts)
    if not codes:
        return [UNKNOWN] * len(texts)
    detector = detector_for(codes)
    found: list[str] = []
    with tqdm(total=len(texts), desc="languages", unit="paragraph", leave=False,
              disable=None if len(texts) > DETECTION_BATCH else True) as progress:
        for start in range(0, len(texts), DETECTION_BATCH):
            batch = [bounded(text) for text in texts[start:start + DETECTION_BATCH]]
            found += [iso_code(language) for language in detector.detect_languages_in_parallel_of(batch)]
            progress.update(len(batch))
    return found


def _confidences(texts: Sequence[str], codes: Sequence[str], languages: tuple[str, ...]) -> list[float]:
    """lingua's confidence, among ``languages``, that each text is in its code's language (in parallel)."""
    detector = detector_for(languages)
    confidences = [0.0] * len(texts)
    for code in set(codes):
        positions = [position for position, text_code in enumerate(codes) if text_code == code]
        language = Language.from_iso_code_639_1(IsoCode639_1.from_str(code))
        values = detector.compute_language_confidence_in_parallel([bounded(texts[p]) for p in positions], language)
        for position, value in zip(positions, values):
            confidences[position] = value
    return confidences


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
    long_enough = [len(text.split()) >= min_words for text in texts]
    majority = Counter(lang for lang, long in zip(detected, long_enough) if long and lang != UNKNOWN).most_common(1)
    fallback = majority[0][0] if majority else Counter(detected).most_common(1)[0][0]
    minority = [position for position, (lang, long) in enumerate(zip(detected, long_enough))
                if long and lang not in (UNKNOWN, fallback)]
    confidences = _confidences([texts[p] for p in minority], [detected[p] for p in minority], codes)
    confident = {p for p, confidence in zip(minority, confidences) if confidence >= MINORITY_LANGUAGE_CONFIDENCE}
    return [lang if long and (lang == fallback or position in confident) else fallback
            for position, (lang, long) in enumerate(zip(detected, long_enough))]
