"""The word class (part of speech) of a theme's words, read where the theme's paragraphs use them.

A theme's name should be a subject, a noun ("universities / universités"), not an adjective
("énergétiques"), a participle ("contrôlant"), an adverb ("actuellement") or a number ("quatre").
c-TF-IDF and the re-ranking by meaning cannot tell these apart, and a word's class depends on its
use ("contrôle" is a noun or a verb), so each candidate word is tagged in up to ``OCCURRENCES`` of the
theme's paragraphs that hold it, and takes its most frequent class there.

The taggers are the ones the field uses, shipped offline in their packages (no download at run time):

* French: spaCy's ``fr_core_news_sm`` (its morphologizer, universal part-of-speech tags). Its matrix
  products run on numpy (``NumpyOps(use_blis=False)``), whose kernels topicmap pins
  (``kernels.py``), rather than on BLIS, which picks its own by CPU: the classes, and so the labels,
  are the same on every machine;
* English: TextBlob's pattern tagger (Brill's lexicon and context rules, pure Python): spaCy's English
  models are not published on PyPI.

A language without a tagger gets no class for any word (``None``), and nothing is filtered: its words
are ranked as before. The classes are the universal tags reduced to ``CLASSES``.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Callable, Iterable, Sequence

NOUN, PROPER_NOUN, ADJECTIVE, VERB, ADVERB, NUMBER, FUNCTION = (
    "noun", "proper noun", "adjective", "verb", "adverb", "number", "function word")
CLASSES = (NOUN, PROPER_NOUN, ADJECTIVE, VERB, ADVERB, NUMBER, FUNCTION)
#: Classes that name a subject: a label takes only these (or a word of unknown class).
NAMING = frozenset({NOUN, PROPER_NOUN})
#: Classes that never describe a theme: dropped from its words (verbs, adverbs, numbers, function words).
NOT_DESCRIPTIVE = frozenset({VERB, ADVERB, NUMBER, FUNCTION})
#: Paragraphs read per word to find its class (the first that hold it, in corpus order).
OCCURRENCES = 5
#: Longest text handed to a tagger (characters): a very long paragraph says no more about a word's class.
MAX_TAGGED_CHARACTERS = 2000

UNIVERSAL = {"NOUN": NOUN, "PROPN": PROPER_NOUN, "ADJ": ADJECTIVE, "VERB": VERB, "AUX": VERB,
             "ADV": ADVERB, "NUM": NUMBER}
#: Penn Treebank tag prefix -> class (TextBlob's tagger), longest prefix first.
PENN = (("NNP", PROPER_NOUN), ("NN", NOUN), ("JJ", ADJECTIVE), ("VB", VERB), ("MD", VERB),
        ("RB", ADVERB), ("CD", NUMBER))


def penn_class(tag: str) -> str:
    return next((name for prefix, name in PENN if tag.startswith(prefix)), FUNCTION)


@lru_cache(maxsize=1)
def _french_pipeline():
    from thinc.api import NumpyOps, set_current_ops

    set_current_ops(NumpyOps(use_blis=False))
    import spacy

    return spacy.load("fr_core_news_sm", exclude=["parser", "ner", "lemmatizer", "senter"])


def tag_french(text: str) -> list[tuple[str, str]]:
    return [(token.text.lower(), UNIVERSAL.get(token.pos_, FUNCTION)) for token in _french_pipeline()(text)]


def tag_english(text: str) -> list[tuple[str, str]]:
    from textblob.en import tag

    return [(word.lower(), penn_class(tag_)) for word, tag_ in tag(text)]


#: ISO 639-1 code -> a function from a text to its (lower-cased token, class) pairs.
TAGGERS: dict[str, Callable[[str], list[tuple[str, str]]]] = {"en": tag_english, "fr": tag_french}


def has_tagger(lang: str) -> bool:
    return lang in TAGGERS


@lru_cache(maxsize=20_000)
def tagged(text: str, lang: str) -> tuple[tuple[str, str], ...]:
    """The (token, class) pairs of ``text``, once per text and language in a process."""
    return tuple(TAGGERS[lang](text[:MAX_TAGGED_CHARACTERS]))


def class_in(term: str, tokens: Sequence[tuple[str, str]]) -> list[str]:
    """The classes ``term`` takes in a tagged text: a word's own tag; a phrase is a noun when it holds a
    noun or a proper noun ("centres de données"), else its last word's class."""
    words = term.lower().split()
    found = []
    for start in range(len(tokens) - len(words) + 1):
        if all(tokens[start + i][0] == word for i, word in enumerate(words)):
            classes = [tokens[start + i][1] for i in range(len(words))]
            naming = [c for c in classes if c in NAMING]
            found.append(naming[0] if naming and len(words) > 1 else classes[-1])
    return found


def word_class(term: str, texts: Iterable[str], lang: str) -> str | None:
    """The most frequent class of ``term`` in the first ``OCCURRENCES`` of ``texts`` that hold it (ties:
    the class listed first in ``CLASSES``); None without a tagger for ``lang`` or when no text holds it."""
    if not has_tagger(lang):
        return None
    counts: Counter[str] = Counter()
    read = 0
    needle = term.lower()
    for text in texts:
        if needle not in text.lower():
            continue
        counts.update(class_in(term, tagged(text, lang)))
        read += 1
        if read == OCCURRENCES:
            break
    if not counts:
        return None
    return min(counts, key=lambda name: (-counts[name], CLASSES.index(name)))


def names_a_subject(word_class_: str | None) -> bool:
    """A noun or a proper noun, or a word whose class is unknown (no tagger, or not found)."""
    return word_class_ is None or word_class_ in NAMING


def describes(word_class_: str | None) -> bool:
    """Whether a word of this class may stand among a theme's words (not a verb, adverb, number…)."""
    return word_class_ not in NOT_DESCRIPTIVE


class ThemeWordClasses:
    """The classes of one theme's candidate words in each of its languages, each read once.

    ``rows_by_lang`` holds the theme's units of each language; ``texts_holding(term, rows)`` gives the texts
    of ``rows`` whose counts hold ``term``, in corpus order.
    """

    def __init__(self, rows_by_lang: dict[str, object], texts_holding: Callable[[str, object], Iterable[str]]):
        self.rows_by_lang = rows_by_lang
        self.texts_holding = texts_holding
        self.classes: dict[tuple[str, str], str | None] = {}

    def of(self, shown: str, term: str, lang: str) -> str | None:
        """The class of ``term`` (written ``shown``) in the theme's paragraphs of ``lang``."""
        if (lang, shown) not in self.classes:
            self.classes[lang, shown] = word_class(shown, self.texts_holding(term, self.rows_by_lang[lang]), lang)
        return self.classes[lang, shown]

    def describes(self, shown: str, term: str, lang: str | None) -> bool:
        """Whether the word may stand among the theme's words of ``lang`` (None: of every language, where it
        is left out only when no language's use of it describes)."""
        langs = list(self.rows_by_lang) if lang is None else [lang]
        known = [c for c in (self.of(shown, term, each) for each in langs) if c is not None]
        return not known or any(describes(c) for c in known)

    def names(self, shown: str, lang: str) -> bool:
        """Whether the word, already read in ``lang``, may name the theme (a noun, or of unknown class)."""
        return names_a_subject(self.classes.get((lang, shown)))
