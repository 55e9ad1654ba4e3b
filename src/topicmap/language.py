"""Language identification of paragraphs with lingua: the corpus's languages first, then each paragraph.

Loading lingua's models for all 75 languages takes seconds and a gigabyte, and lets a paragraph about
Copenhagen come out as Danish (its rules read "ø" as Danish whatever the sentence says). So:

1. ``corpus_languages``: the corpus's languages are found once, for the whole corpus and before any
   parallel chunk, cheaply (low-accuracy mode, a few samples per document): those holding at least 5%
   of the words, and the main language of any document of at least ``MIN_WORDS_DOCUMENT_LANGUAGE`` words
   whose function words confirm it, so one French file among thirty English ones is found, but a table of
   character names ("LATIN CAPITAL LETTER A WITH GRAVE"), which the quick survey takes for Latin, Welsh
   or Tsonga, adds no language. A language without a function-word list in the ``stop-words`` package
   (Welsh, Latin...) is then one of the corpus's only by its share of the words.
2. ``paragraph_languages``: each paragraph is told apart among those languages only, with the accurate
   detector, weighed by its document's languages (a short, ambiguous line takes its document's language).
3. A paragraph in none of them is never given one of them: a paragraph written in another script
   (Cyrillic, Arabic, Chinese...) gets the language lingua finds for it, or ``und``; a paragraph in the
   corpus's script whose function words are another language's (a German paragraph in a French/English
   corpus) gets that language. Function words decide, not letters, so names do not ("Københavns Universitet").
"""

from __future__ import annotations

import re
import unicodedata
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
#: ... or when it is the main language of a document of at least this many words
MIN_WORDS_DOCUMENT_LANGUAGE = 30
#: a document is read whole, in pieces of MAX_CHARS_FOR_DETECTION, to find the corpus's languages,
#: up to this many pieces; a longer one is read at that many evenly spaced places
MAX_SAMPLES_PER_DOCUMENT = 50
#: characters the survey of the corpus's languages reads at most (under 20 s on the 2 cores here): a larger corpus
#: is read in shorter pieces, fewer per document, each document at least once (reading all of a
#: 27-million-character archive took 105 s of its report, all languages being tried on every piece)
MAX_SURVEY_CHARS = 2_000_000
#: ... but never in pieces shorter than this, which the quick detector still tells apart
MIN_SURVEY_PIECE_CHARS = 250
#: paragraphs detected at once; more than this show a progress bar
DETECTION_BATCH = 5_000
#: a paragraph whose function words are less than this share of its words in its detected language is
#: checked against the language lingua finds among all languages (prose holds 35-55% of function words)
MIN_FUNCTION_WORD_SHARE = 0.25
#: ... and given that other language when its function words are at least this share, and twice as many
MIN_OTHER_FUNCTION_WORD_SHARE = 0.2

#: The script of each language lingua knows that is not written in Latin letters (ISO 639-1 -> scripts).
NON_LATIN_SCRIPTS: dict[str, frozenset[str]] = {
    **{code: frozenset({"ARABIC"}) for code in ("ar", "fa", "ur")},
    **{code: frozenset({"CYRILLIC"}) for code in ("be", "bg", "kk", "mk", "mn", "ru", "sr", "uk")},
    **{code: frozenset({"DEVANAGARI"}) for code in ("hi", "mr")},
    "bn": frozenset({"BENGALI"}), "el": frozenset({"GREEK"}), "gu": frozenset({"GUJARATI"}),
    "he": frozenset({"HEBREW"}), "hy": frozenset({"ARMENIAN"}), "ka": frozenset({"GEORGIAN"}),
    "ko": frozenset({"HANGUL"}), "pa": frozenset({"GURMUKHI"}), "ta": frozenset({"TAMIL"}),
    "te": frozenset({"TELUGU"}), "th": frozenset({"THAI"}), "zh": frozenset({"CJK"}),
    "ja": frozenset({"CJK", "HIRAGANA", "KATAKANA"}),
}
_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f\u1e00-\u1eff]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
#: web links and e-mail addresses: their letters are no language's words ("https example com" read as Portuguese);
#: an address is only looked for from the start of a word, so a long word is read once (linear time)
_LINK = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)\S+|(?<!\S)[^\s@]+@[^\s@]+\.\w+", re.IGNORECASE)


def without_links(text: str) -> str:
    """The text with its web links and e-mail addresses taken out: what language identification reads."""
    return _LINK.sub(" ", text) if ("://" in text or "www." in text.lower() or "@" in text) else text


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


#: How a declared language may be written besides its ISO 639-1 code: the region after it ("fr-FR", "en_GB"),
#: the ISO 639-3 code ("fra") or the English name ("French"), in any case.
_REGION = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$")
#: Codes library catalogues write that lingua does not know by them: ISO 639-2/B ("fre", "ger") and Norwegian "no"
_OTHER_CODES = {"fre": "fr", "ger": "de", "chi": "zh", "dut": "nl", "gre": "el", "per": "fa", "cze": "cs",
                "slo": "sk", "rum": "ro", "wel": "cy", "arm": "hy", "geo": "ka", "mac": "mk", "may": "ms",
                "alb": "sq", "baq": "eu", "ice": "is", "mao": "mi", "no": "nb", "nor": "nb", "norwegian": "nb",
                "iw": "he", "farsi": "fa"}


def language_code(value: object) -> str | None:
    """The ISO 639-1 code of a declared language ("fr", "FR", "fr-FR", "fra", "French"), None when it names none."""
    text = str(value).strip().lower()
    match = _REGION.match(text)
    code = match.group(1) if match else text
    code = _OTHER_CODES.get(text, _OTHER_CODES.get(code, code))
    for language in Language.all():
        if text == language.name.lower() or code in (iso_code(language), language.iso_code_639_3.name.lower()):
            return iso_code(language)
    return None


@lru_cache(maxsize=8)
def detector_for(codes: tuple[str, ...]) -> LanguageDetector:
    """The accurate detector that knows only ``codes`` (ISO 639-1), built once per tuple."""
    isos = [IsoCode639_1.from_str(code) for code in check_language_codes(codes)]
    if len(isos) == 1:  # lingua needs two languages; a second one that no text here is in
        other = "en" if codes[0] != "en" else "fr"
        isos.append(IsoCode639_1.from_str(other))
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


def _samples(text: str, size: int = MAX_CHARS_FOR_DETECTION, count: int = MAX_SAMPLES_PER_DOCUMENT) -> list[str]:
    """Up to ``count`` evenly spaced pieces of ``size`` characters (the whole text when that covers it)."""
    step = max(size, len(text) // count)
    return [text[start:start + size] for start in range(0, len(text), step)][:count]


def survey_pieces(texts: Sequence[str], budget: int | None = None) -> list[list[str]]:
    """The pieces each text is surveyed on: every text whole (pieces of MAX_CHARS_FOR_DETECTION, up to
    MAX_SAMPLES_PER_DOCUMENT) while the corpus is within ``budget`` characters; beyond, shorter pieces
    (at least MIN_SURVEY_PIECE_CHARS) and as many per text as its share of the budget holds, at least one.

    The pieces are fixed by the texts alone (evenly spaced, no random draw), and each stands for its share
    of its text's words, so the corpus's shares of the words are estimated without bias."""
    budget = MAX_SURVEY_CHARS if budget is None else budget
    total = sum(len(text) for text in texts)
    if total <= budget:
        return [_samples(text) for text in texts]
    size = max(MIN_SURVEY_PIECE_CHARS, min(MAX_CHARS_FOR_DETECTION, budget // max(1, len(texts))))
    return [_samples(text, size, max(1, min(MAX_SAMPLES_PER_DOCUMENT, round(budget * len(text) / total / size))))
            for text in texts]


def corpus_languages(texts: Sequence[str], min_share: float = MIN_CORPUS_LANGUAGE_SHARE,
                     min_document_words: int = MIN_WORDS_DOCUMENT_LANGUAGE) -> tuple[str, ...]:
    """ISO codes of the corpus's languages: those holding ``min_share`` of the words of ``texts`` (each text a
    document), and the main language of every document of at least ``min_document_words`` words when at
    least ``MIN_OTHER_FUNCTION_WORD_SHARE`` of its words are that language's function words.

    Each text is judged on a few samples (``survey_pieces``: the whole corpus up to ``MAX_SURVEY_CHARS``,
    a bounded read beyond), each sample standing for its share of the text's words.
    Returns () when no text holds a recognisable language.
    """
    samples, words, owner = [], [], []
    for number, (text, pieces) in enumerate(zip(texts, survey_pieces(texts))):
        scale = len(text) / max(1, sum(len(piece) for piece in pieces))
        samples += pieces
        words += [len(piece.split()) * scale for piece in pieces]
        owner += [number] * len(pieces)
    found = _survey_detector().detect_languages_in_parallel_of([without_links(piece) for piece in samples])
    words_by_language: Counter[str] = Counter()
    by_document: dict[int, Counter[str]] = {}
    for language, count, number in zip(found, words, owner):
        if language is not None:
            words_by_language[iso_code(language)] += count
            by_document.setdefault(number, Counter())[iso_code(language)] += count
    if not words_by_language:
        return ()
    total = sum(words_by_language.values())
    chosen = {words_by_language.most_common(1)[0][0]}
    chosen |= {code for code, count in words_by_language.items() if count >= min_share * total}
    for number, counts in by_document.items():
        main = counts.most_common(1)[0][0]
        if sum(counts.values()) >= min_document_words and \
                function_word_share(texts[number], main) >= MIN_OTHER_FUNCTION_WORD_SHARE:
            chosen.add(main)
    return tuple(sorted(chosen))


# --- scripts and function words ------------------------------------------------------------------


def script_of_letter(char: str) -> str:
    """The script a letter is written in, as the first word of its Unicode name ('LATIN', 'CJK', 'CYRILLIC')."""
    return unicodedata.name(char, "UNKNOWN").split(" ")[0]


def main_script(text: str) -> str:
    """The script most of a text's letters are in ('LATIN' for text of Latin letters, or no letters)."""
    letters = len(_LETTER.findall(text))
    others = _NON_LATIN_LETTER.findall(text)
    if not letters or len(others) * 2 <= letters:
        return "LATIN"
    return Counter(script_of_letter(char) for char in others).most_common(1)[0][0]


def scripts_of(codes: Sequence[str]) -> frozenset[str]:
    """The scripts the languages ``codes`` are written in."""
    return frozenset(script for code in codes for script in NON_LATIN_SCRIPTS.get(code, frozenset({"LATIN"})))


@lru_cache(maxsize=None)
def function_words(code: str) -> frozenset[str]:
    """The stop words (function words) of a language from the ``stop-words`` package; empty when it has none."""
    from stop_words import LANGUAGE_MAPPING, StopWordError, get_stop_words

    if code not in LANGUAGE_MAPPING:
        return frozenset()
    try:
        return frozenset(word.lower() for word in get_stop_words(code))
    except StopWordError:
        return frozenset()


def function_word_share(text: str, code: str) -> float:
    """The share of a text's words that are function words of the language ``code``."""
    words = [word.lower() for word in _WORD.findall(text)]
    known = function_words(code)
    return sum(word in known for word in words) / len(words) if words and known else 0.0


def _another_language(text: str, detected: str, languages: tuple[str, ...]) -> str | None:
    """The language outside ``languages`` that a paragraph is written in, when its function words say so."""
    own = function_word_share(text, detected)
    if own >= MIN_FUNCTION_WORD_SHARE:
        return None
    other = guess_language(text)
    if other in languages or other == UNKNOWN:
        return None
    share = function_word_share(text, other)
    return other if share >= MIN_OTHER_FUNCTION_WORD_SHARE and share >= 2 * own else None


# --- paragraphs ----------------------------------------------------------------------------------


def _confidences(texts: Sequence[str], codes: tuple[str, ...]) -> list[dict[str, float]]:
    """lingua's confidence in each of ``codes`` for each text (the accurate detector, in parallel, in batches)."""
    detector = detector_for(codes)
    found: list[dict[str, float]] = []
    with tqdm(total=len(texts), desc="languages", unit="paragraph", leave=False,
              disable=None if len(texts) > DETECTION_BATCH else True) as progress:
        for start in range(0, len(texts), DETECTION_BATCH):
            batch = [bounded(text) for text in texts[start:start + DETECTION_BATCH]]
            for values in detector.compute_language_confidence_values_in_parallel(batch):
                found.append({iso_code(value.language): value.value for value in values
                              if iso_code(value.language) in codes})
            progress.update(len(batch))
    return found


def paragraph_languages(texts: Sequence[str], min_words: int, languages: Sequence[str] | None = None,
                        declared: str | None = None) -> list[str]:
    """Language of each paragraph of one document, among ``languages`` (default: the paragraphs' own).

    A paragraph of at least ``min_words`` words takes the language whose confidence, weighed by how often
    the document's clear paragraphs (confidence 0.9 or more) are in it, is highest; a shorter one (a heading-
    sized "Forced", "By LIN Yuchen") takes the document's main language. A paragraph written in another
    script, or whose function words are another language's, takes that language (or ``und``), never one
    of ``languages``. Links and e-mail addresses are not read; a paragraph without letters (numbers, links)
    cannot be identified: it takes the document's main language, or ``und`` when no paragraph of the
    document has letters. The document's main language is the one it ``declared`` (its front matter's or
    corpus.toml's ``language``) when that is one of ``languages`` and at least half its clear paragraphs
    are in it, else the one most of them are in.
    """
    if not texts:
        return []
    codes = tuple(sorted(languages)) if languages else corpus_languages(texts)
    if not codes:
        return [UNKNOWN] * len(texts)
    texts = [without_links(text) for text in texts]
    identifiable = [bool(_LETTER.search(text)) for text in texts]  # without letters no language can be told
    if not any(identifiable):
        return [UNKNOWN] * len(texts)
    confidences = _confidences(texts, codes)
    long_enough = [len(text.split()) >= min_words for text in texts]
    clear = Counter(max(c, key=c.get) for c, long in zip(confidences, long_enough)
                    if long and c and max(c.values()) >= 0.9)
    prior = {code: (clear[code] + 1) / (sum(clear.values()) + len(codes)) for code in codes}
    overall = {code: sum(c.get(code, 0.0) for c in confidences) for code in codes}
    main = max(codes, key=lambda code: (prior[code], overall[code]))
    if declared in codes and 2 * clear[declared] >= sum(clear.values()):  # the text does not say otherwise
        main = declared
    labels = []
    for text, confidence, long, letters in zip(texts, confidences, long_enough, identifiable):
        if not letters:
            labels.append(main)
            continue
        if main_script(text) not in scripts_of(codes):
            labels.append(guess_language(text))
            continue
        if not long or not confidence:
            labels.append(main)
            continue
        detected = max(codes, key=lambda code: confidence.get(code, 0.0) * prior[code])
        labels.append(_another_language(text, detected, codes) or detected)
    return labels


def language_name(code: str) -> str:
    """The English name of a language code ("fr" -> "French"); the code itself when lingua does not know it."""
    try:
        return Language.from_iso_code_639_1(IsoCode639_1.from_str(str(code))).name.title()
    except (ValueError, AttributeError):
        return str(code)


def other_language_name(code: str) -> str:
    """A language's name, "no identifiable language" for the code of none (``UNKNOWN``)."""
    return "no identifiable language" if code == UNKNOWN else language_name(code)
