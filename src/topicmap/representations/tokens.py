"""Representations, step 1: the one bilingual tokenization that every model and metric reads.

Each paragraph is tokenised with the stop words of its own language: one mixed list
would let French "ai" (a form of *avoir*) delete English "AI". ``Preprocessor.phrases`` gives a
paragraph's terms: its content words and the n-grams that occur contiguously in the text
("open source", "centres de données"), never across punctuation and never starting or ending
with a stop word, so no pseudo-phrase made by removing stop words ("led rethink") can appear.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import snowballstemmer
from stop_words import AVAILABLE_LANGUAGES, LANGUAGE_MAPPING, get_stop_words

# A token starts with a letter and goes on with letters, digits or inner hyphens:
# keeps "développement", "open-source", "gpt-4"; drops bare numbers and punctuation.
TOKEN_RE = re.compile(r"[^\W\d_](?:\w|-(?=\w))*")
#: Every run of word characters, kept or not: what does not match ``TOKEN_RE`` whole ("12", "3g_x") is a
#: dropped token, and an n-gram never spans one ("12 months of 30 days" holds no "months of days").
RAW_TOKEN_RE = re.compile(r"\w(?:\w|-(?=\w))*")
APOSTROPHES = re.compile(r"['’‘`´]")
#: Where an n-gram must stop: sentence and clause punctuation, brackets, quotes, dashes, line breaks.
CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”«»„—–…/|\n]+|\s-\s")

#: ISO 639-1 code -> Snowball stemmer name, for the languages Snowball covers.
SNOWBALL_NAMES = {
    "ar": "arabic", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "fi": "finnish", "fr": "french", "hu": "hungarian", "it": "italian",
    "nl": "dutch", "no": "norwegian", "nb": "norwegian", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sv": "swedish", "tr": "turkish",
}


#: Words the ``stop-words`` package lists but that name themes in this corpus, so they are kept.
#: Its English list (1,300 entries) holds ISO country codes, among them "ai" (Anguilla), and
#: content words of technology and geopolitics coverage; French "ai" (a form of *avoir*) stays
#: a stop word. Only words seen in the seeds, or their obvious kin, are listed: keep it short.
KEPT_STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset({
        "ai", "research", "world", "state", "states", "system", "information", "computer",
        "million", "billion", "trillion", "microsoft", "open",
    }),
    "fr": frozenset({"état", "force"}),
}

#: Function words the ``stop-words`` package's short French list (340 entries) misses:
#: conjunctions, relative and demonstrative pronouns, adverbs that name no theme.
ADDED_STOP_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset({
        "tel", "telle", "telles", "afin", "ainsi", "autour", "travers", "lorsque", "lorsqu", "déjà",
        "cependant", "toutefois", "également", "notamment", "quelque", "quelques", "chacun",
        "chacune", "celle", "celles", "celui", "lequel", "laquelle", "lesquels", "auxquels",
        "duquel", "desquels", "aujourd", "hui", "puisque", "tant", "non", "oui", "sein",
        "peuvent", "doivent",
    }),
}


#: The stop words that may stand inside an n-gram, between two content words ("centres de données",
#: "research and development"); any other stop word ends it, as a number or punctuation does.
INNER_STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset({"of", "and", "for"}),
    "fr": frozenset({"de", "du", "des", "d", "la", "l", "à", "au", "aux", "en", "et"}),
}
#: French elisions written back with their apostrophe when a term is shown ("chaîne d'approvisionnement").
ELIDED = frozenset({"d", "l"})


def segments(text: str) -> list[list[str]]:
    """The runs of kept tokens (lower-cased, as ``tokenize`` gives them) that no punctuation, clause break
    or dropped token (a number) interrupts: the only stretches an n-gram may cover."""
    runs: list[list[str]] = []
    for clause in CLAUSE_BREAK.split(APOSTROPHES.sub(" ", text.lower())):
        run: list[str] = []
        for raw in RAW_TOKEN_RE.findall(clause):
            if TOKEN_RE.fullmatch(raw):
                run.append(raw)
            elif run:
                runs.append(run)
                run = []
        if run:
            runs.append(run)
    return runs


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens; apostrophes split elisions and possessives ("l'IA" -> l, ia)."""
    return TOKEN_RE.findall(APOSTROPHES.sub(" ", text.lower()))


@lru_cache(maxsize=None)
def stop_words_for(lang: str) -> frozenset[str]:
    """The stop-word list of the ``stop-words`` package for an ISO 639-1 code (empty if none).

    Entries are tokenised like the text, so "aujourd'hui" in the list matches the text;
    the language's ``ADDED_STOP_WORDS`` are added and its ``KEPT_STOP_WORDS`` taken out.
    """
    available = set(AVAILABLE_LANGUAGES) | set(LANGUAGE_MAPPING.values())
    words: set[str] = set(ADDED_STOP_WORDS.get(lang, frozenset()))
    if lang in available or lang in LANGUAGE_MAPPING:
        for entry in get_stop_words(lang):
            words.update(tokenize(entry))
    return frozenset(words - KEPT_STOP_WORDS.get(lang, frozenset()))


@lru_cache(maxsize=None)
def stemmer_for(lang: str):
    """The Snowball stemmer of ``lang`` (ISO 639-1), or None for a language Snowball does not cover."""
    name = SNOWBALL_NAMES.get(lang)
    return snowballstemmer.stemmer(name) if name else None


@dataclass(frozen=True)
class Preprocessor:
    """Turns paragraphs into space-joined tokens with per-language stop words and optional stemming.

    ``domain_stop_words`` are removed in every language (compared before stemming).
    """

    domain_stop_words: frozenset[str] = frozenset()
    stem: bool = False
    min_token_length: int = 2

    def tokens(self, text: str, lang: str) -> list[str]:
        """The kept tokens of one paragraph written in ``lang``."""
        stop = stop_words_for(lang)
        kept = [
            token for token in tokenize(text)
            if len(token) >= self.min_token_length
            and token not in stop
            and token not in self.domain_stop_words
        ]
        stemmer = stemmer_for(lang) if self.stem else None
        return stemmer.stemWords(kept) if stemmer else kept

    def phrases(self, text: str, lang: str, max_n: int = 3) -> list[str]:
        """Content words and contiguous n-grams (up to ``max_n`` words) of one paragraph in ``lang``.

        An n-gram stays inside a clause (punctuation ends it) and never spans a dropped token (a number:
        "12 months of 30 days" gives no "months of days"); it starts and ends with a content word, and
        only the few stop words of ``INNER_STOP_WORDS`` may stand inside ("centres de données"; "led a
        rethink" is no phrase); it holds no domain stop word.
        """
        stop = stop_words_for(lang)
        inner = INNER_STOP_WORDS.get(lang, frozenset())
        stemmer = stemmer_for(lang) if self.stem else None
        terms: list[str] = []
        for words in segments(text):
            forms = stemmer.stemWords(words) if stemmer else words
            content = [len(w) >= self.min_token_length and w not in stop and w not in self.domain_stop_words
                       for w in words]
            joins = [w in inner and w not in self.domain_stop_words for w in words]
            for start in range(len(words)):
                if not content[start]:
                    continue
                terms.append(forms[start])
                for end in range(start + 1, min(start + max_n, len(words))):
                    if not (content[end] or joins[end]):
                        break
                    if content[end]:
                        terms.append(" ".join(forms[start:end + 1]))
        return terms

    def transform(self, texts: Sequence[str], langs: Sequence[str]) -> list[str]:
        """One space-joined token string per paragraph."""
        if len(texts) != len(langs):
            raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
        return [" ".join(self.tokens(text, lang)) for text, lang in zip(texts, langs)]

    def display_forms(self, texts: Sequence[str], langs: Sequence[str]) -> dict[str, str]:
        """Map each (possibly stemmed) token to its most frequent surface form, for readable labels."""
        if not self.stem:
            return {}
        seen: dict[str, Counter] = defaultdict(Counter)
        unstemmed = Preprocessor(self.domain_stop_words, False, self.min_token_length)
        for text, lang in zip(texts, langs):
            surface = unstemmed.tokens(text, lang)
            stemmer = stemmer_for(lang)
            stems = stemmer.stemWords(surface) if stemmer else surface
            for stem, word in zip(stems, surface):
                seen[stem][word] += 1
        return {stem: forms.most_common(1)[0][0] for stem, forms in seen.items()}


def preprocessor_from(settings) -> Preprocessor:
    """The Preprocessor the settings describe (domain list, stemming switch, minimum length)."""
    return Preprocessor(
        domain_stop_words=frozenset(word.lower() for word in settings.domain_stop_words),
        stem=settings.stem,
        min_token_length=settings.min_token_length,
    )


def phrase_text(tokens) -> str:
    """Tokens written as a phrase, a French elision inside it with its apostrophe ("chaîne d'approvisionnement",
    not "chaîne d approvisionnement")."""
    shown = ""
    for i, token in enumerate(tokens):
        shown += token
        if i < len(tokens) - 1:
            shown += "'" if token in ELIDED and i > 0 else " "
    return shown


def readable(term: str, forms: dict[str, str]) -> str:
    """A term (unigram or n-gram of stems) written with surface forms where known (``phrase_text``)."""
    return phrase_text([forms.get(part, part) for part in term.split(" ")])
