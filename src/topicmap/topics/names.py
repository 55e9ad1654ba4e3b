"""A theme's name: a noun phrase of its paragraphs in each language, the two chosen to translate each other.

Single words named themes poorly ("companies / entreprises" for the US–China rivalry between firms) and
a word pair close as vectors could be false friends ("materials / matériel"). A name here is:

* **found in the text**: candidates are the noun phrases (1–``MAX_NAME_WORDS`` words) of the theme's
  paragraphs of each language, read off the word classes the taggers give (``word_classes``: spaCy's
  ``fr_core_news_sm`` for French, TextBlob for English) with one rule for both
  (``NOUN_PHRASE``: adjectives, nouns, and a noun complement joined by "of"/"de"), never across a number
  or punctuation (``tokens.segments``). Every word of a name occurs, in that order, in at least one of
  the theme's paragraphs of its language;
* **about the theme**: each candidate is scored by the rank of its closeness to the theme's paragraphs
  of its language less its closeness to the other themes' (KeyBERTInspired) and by FREX (stm's harmonic
  mean of the ranks of its frequency in the theme and of its exclusivity to it), the two ranks averaged;
  the shortlist is taken by maximal marginal relevance (MMR) so it is not one phrase in several forms;
* **one thing in two languages**: the two languages' phrases are chosen together, among pairs whose
  multilingual vectors agree (``LABEL_WORDS_AGREE``) and whose paragraphs are used of one thing (the
  check by use, ``Topic.label_halves_agree``); the best pair by the sum of the two scores and the two
  agreements. When no shortlisted pair agrees, every ranked candidate is searched for a pair that translates
  (``TRANSLATION``) and passes the check by use: on the bilingual corpora that are not parallel each language's
  best phrases often say its own part of a theme, and what the two share is further down (handbook_split:
  5 of 11 names passed the check, 11 of 11 with the wider search). When no pair agrees, each language's own best
  phrase is given, and the report marks the name as differing (an honest name rather than a false translation);
* **distinct**: no two themes share a content word in their names, compared as stems (themes named in id order,
  largest first, then traded by ``trade_names`` so that the order does not cost a theme its agreeing name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from ..representations.tokens import phrase_text, segments, stemmer_for, stop_words_for, tokenize
from .base import LABEL_WORDS_AGREE
from .word_classes import ADJECTIVE, NOUN, PROPER_NOUN, has_tagger, tagged

#: Longest name in one language, in words (joining words such as "de" count).
MAX_NAME_WORDS = 4
#: Paragraphs of a theme in one language read for noun phrases (the closest to the theme first).
TAGGED_PARAGRAPHS = 40
#: Candidates of a theme in one language embedded and ranked (the best by FREX).
EMBEDDED_CANDIDATES = 60
#: Candidates per language kept for the pairing, by maximal marginal relevance.
SHORTLIST = 10
#: MMR: the weight of a candidate's score against its likeness to the ones already kept.
MMR_RELEVANCE = 0.7
#: FREX: the weight of exclusivity against frequency (stm's default).
FREX_EXCLUSIVITY = 0.5
#: Added to the score (0 to 1) of a phrase of two content words or more: a name says what a theme is about
#: ("materials science", "matériel informatique") better than a bare word ("materials", "matériel").
PHRASE_BONUS = 0.15
#: A pair whose vectors are at least this close reads as a translation, and is preferred to any pair that only
#: passes ``LABEL_WORDS_AGREE`` ("beijing / pékin" rather than "rise / pékin").
TRANSLATION = 0.7
#: Weight of the two agreements (of the words, of their use) in a pair's value, beside the two scores: on the
#: seeds a lower weight (0.5) let "cooperation / écosystème collaboratif" beat "cooperation / collaboration".
AGREEMENT_WEIGHT = 1.0
#: A phrase names a theme when at least this many of its paragraphs of that language use it (fewer when no
#: phrase of the theme is used that often there; see also ``FEW_PARAGRAPHS``).
MIN_SUPPORT = 2
#: When no pair of names agrees and a theme has fewer paragraphs than this in one language, the phrases of one of
#: those paragraphs are candidates too: two of three is a far stricter demand than two of forty. On the seeds, the
#: 3 French paragraphs of the theme on China's place in the AI race kept three candidates at two, none of them what
#: the English said ("robots / standards technologiques", flagged); with one, "world / compétition mondiale" passes
#: the check by use. Only a name that then agrees is taken: a phrase of one paragraph is more often that paragraph's
#: own ("materials conduct") than the theme's.
FEW_PARAGRAPHS = 5

#: One letter per token class: N noun or proper noun, A adjective, J a joining word ("of", "de"), X other.
NOUN_PHRASE = {
    "en": re.compile(r"A*N+(?:JA*N+)?"),
    "fr": re.compile(r"A?N+A*(?:J+A?N+A*)?"),
}
DEFAULT_NOUN_PHRASE = re.compile(r"A*N+A*(?:J+A*N+A*)?")
#: Joining words that may stand inside a name: a noun complement ("of", "de"), not "and"/"et" (a name is one
#: subject) nor "for" ("deal for trump" is no subject).
NAME_JOINS = {"en": frozenset({"of"}), "fr": frozenset({"de", "du", "des", "d", "la", "l"})}


@dataclass
class Candidate:
    """A noun phrase of one language of a theme: its tokens, how it is shown, the theme's rows using it."""

    tokens: tuple[str, ...]
    shown: str
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    score: float = 0.0


def shown(tokens: Sequence[str]) -> str:
    """Tokens written as a phrase (``representations.tokens.phrase_text``)."""
    return phrase_text(list(tokens))


def content_words(name: str, lang: str) -> set[str]:
    """The words of a name that are not stop words, as stems ("objets" and "objet" are one word): what two themes'
    names must not share."""
    stop, stemmer = stop_words_for(lang), stemmer_for(lang)
    words = [word for word in tokenize(name) if word not in stop]
    return set(stemmer.stemWords(words) if stemmer is not None else words)


def noun_phrases(text: str, lang: str, domain_stop_words: frozenset[str] = frozenset(),
                 min_length: int = 2) -> set[tuple[str, ...]]:
    """The noun phrases of ``text`` (token tuples as ``tokenize`` writes them), 1 to ``MAX_NAME_WORDS`` words,
    each occurring as such in one run of kept tokens of the text (no number or punctuation inside)."""
    if not has_tagger(lang):
        return set()
    stop, joins = stop_words_for(lang), NAME_JOINS.get(lang, frozenset())
    letters, words = [], []
    for token, word_class in tagged(text, lang):
        parts = tokenize(token)
        if len(parts) != 1:  # punctuation, a number, or a token the two tokenizers cut differently
            letters.append("X")
            words.append("")
            continue
        word = parts[0]
        content = len(word) >= min_length and word not in stop and word not in domain_stop_words
        if word_class in (NOUN, PROPER_NOUN) and content:
            letters.append("N")
        elif word_class == ADJECTIVE and content:
            letters.append("A")
        elif word in joins:
            letters.append("J")
        else:
            letters.append("X")
        words.append(word)
    pattern = NOUN_PHRASE.get(lang, DEFAULT_NOUN_PHRASE)
    sequence = "".join(letters)
    found = set()
    for start in range(len(sequence)):
        for end in range(start + 1, min(start + MAX_NAME_WORDS, len(sequence)) + 1):
            if pattern.fullmatch(sequence, start, end) and sequence[end - 1] in "NA" and sequence[start] in "NA":
                phrase = tuple(words[start:end])
                if len(set(phrase)) == len(phrase):
                    found.add(phrase)
    runs = [tuple(run) for run in segments(text)]
    return {phrase for phrase in found if any(_holds(run, phrase) for run in runs)}


def least_support(candidates: list[Candidate], wanted: int = MIN_SUPPORT) -> int:
    """How many of a theme's paragraphs in one language must use a phrase for it to be a candidate name there:
    ``wanted``, but never more than the best-supported candidate has."""
    return max(1, min(wanted, max((len(c.rows) for c in candidates), default=0)))


def _holds(run: Sequence[str], phrase: Sequence[str]) -> bool:
    width = len(phrase)
    return any(tuple(run[i:i + width]) == tuple(phrase) for i in range(len(run) - width + 1))


class PhraseIndex:
    """Which units of one language use each of a set of phrases (as a contiguous run of kept tokens)."""

    def __init__(self, texts: Sequence[str], rows: np.ndarray, phrases: set[tuple[str, ...]]):
        self.rows: dict[tuple[str, ...], list[int]] = {phrase: [] for phrase in phrases}
        widths = sorted({len(p) for p in phrases})
        for row in rows:
            seen = set()
            for run in segments(texts[row]):
                for width in widths:
                    for i in range(len(run) - width + 1):
                        gram = tuple(run[i:i + width])
                        if gram in self.rows and gram not in seen:
                            seen.add(gram)
                            self.rows[gram].append(int(row))

    def of(self, phrase: tuple[str, ...]) -> np.ndarray:
        return np.asarray(self.rows.get(phrase, []), dtype=int)


def _ecdf(values: np.ndarray) -> np.ndarray:
    """Each value's share of values at most as large (stm's empirical distribution for FREX)."""
    ordered = np.sort(values)
    return np.searchsorted(ordered, values, side="right") / max(len(values), 1)


def frex(frequency: np.ndarray, exclusivity: np.ndarray, weight: float = FREX_EXCLUSIVITY) -> np.ndarray:
    """stm's FREX: the weighted harmonic mean of the ranks (ECDF) of exclusivity and of frequency."""
    return 1.0 / (weight / _ecdf(exclusivity) + (1.0 - weight) / _ecdf(frequency))


def rank_candidates(candidates: list[Candidate], n_theme_rows: int, all_rows: Callable[[Candidate], int],
                    vectors: np.ndarray | None, centroid: np.ndarray | None,
                    elsewhere: np.ndarray | None) -> list[Candidate]:
    """``candidates`` with their score (mean of the FREX and meaning ranks), best first."""
    if not candidates:
        return []
    frequency = np.array([len(c.rows) / max(n_theme_rows, 1) for c in candidates])
    exclusivity = np.array([len(c.rows) / max(all_rows(c), 1) for c in candidates])
    score = frex(frequency, exclusivity)
    if vectors is not None and centroid is not None:
        meaning = vectors @ centroid - (vectors @ elsewhere if elsewhere is not None else 0.0)
        score = (score + _ecdf(meaning)) / 2
    for candidate, value in zip(candidates, score):
        candidate.score = float(value) + (PHRASE_BONUS if sum(len(t) > 1 for t in candidate.tokens) > 1 else 0.0)
    return sorted(candidates, key=lambda c: (-round(c.score, 9), -len(c.rows), c.shown))


def mmr(ranked: list[Candidate], vectors: dict[str, np.ndarray] | None, n: int = SHORTLIST) -> list[Candidate]:
    """The first ``n`` by maximal marginal relevance: score against likeness to those already kept, so the
    shortlist is not one phrase in several forms ("data centres", "centres")."""
    if vectors is None:
        return ranked[:n]
    kept: list[Candidate] = []
    left = list(ranked)
    while left and len(kept) < n:
        def value(c: Candidate) -> float:
            likeness = max((float(vectors[c.shown] @ vectors[k.shown]) for k in kept), default=0.0)
            return MMR_RELEVANCE * c.score - (1 - MMR_RELEVANCE) * likeness
        best = max(left, key=lambda c: (round(value(c), 9), -ranked.index(c)))
        kept.append(best)
        left.remove(best)
    return kept


def choose_pair(first: list[Candidate], second: list[Candidate], vector_of: Callable[[str], np.ndarray],
                usage: Callable[[Candidate, Candidate], float | None], usage_bar: float | None,
                taken: set[str], langs: tuple[str, str],
                least_words: float = LABEL_WORDS_AGREE) -> tuple[Candidate, Candidate, bool] | None:
    """The two languages' phrases chosen together, and whether they agree.

    Among pairs sharing no word with other themes' names (``taken``), those whose vectors agree
    (cosine >= ``least_words``, by default the check's ``LABEL_WORDS_AGREE``) and whose paragraphs are used
    alike (above ``usage_bar``, the midpoint between one theme's and two themes' likeness) win, by the sum of
    the two scores, the words' cosine and the usage cosine. Without an agreeing pair, each language's best free
    phrase (not agreeing)."""
    free = [[c for c in group if not (content_words(c.shown, lang) & taken)] for group, lang in zip((first, second), langs)]
    if not free[0] or not free[1]:
        return None
    pairs = []
    for i, a in enumerate(free[0]):
        for j, b in enumerate(free[1]):
            words = float(vector_of(a.shown) @ vector_of(b.shown))
            used = usage(a, b)
            if words < least_words or (used is not None and usage_bar is not None and used <= usage_bar):
                continue
            value = (round(a.score + b.score + AGREEMENT_WEIGHT * (words + (used or 0.0)), 9), -i - j, a.shown, b.shown)
            pairs.append((words >= TRANSLATION, value, a, b))
    if pairs:
        _, _, a, b = max(pairs, key=lambda p: (p[0], p[1]))
        return a, b, True
    return free[0][0], free[1][0], False


@dataclass
class ThemeName:
    """A theme's name in each language, the cosine of the halves' vectors, and the check by use's cosines."""

    by_lang: dict[str, str]
    agreement: float | None = None
    used_alike: float | None = None
    #: the two halves were chosen as agreeing (translation, used alike) and share no word with another name
    agrees: bool = False


def name_themes(labels: np.ndarray, langs: np.ndarray, texts: Sequence[str], themes: list[int],
                languages_of: Callable[[int], list[str]], closest_first: Callable[[np.ndarray, int], list[int]],
                term_vectors: Callable[[list[str]], np.ndarray],
                centroids: Callable[[int, str], tuple[np.ndarray | None, np.ndarray | None]],
                usage_vectors: np.ndarray | None, usage_bar: float | None,
                domain_stop_words: frozenset[str] = frozenset(), min_length: int = 2) -> dict[int, ThemeName]:
    """Phrase names of ``themes`` (ids in naming order), in the languages ``languages_of(theme)`` gives (one or
    two). ``closest_first(rows, theme)`` orders a theme's rows by closeness to it; ``centroids(theme, lang)``
    gives the unit-length mean vector of its paragraphs of ``lang`` and of the other themes'."""
    labels, langs = np.asarray(labels), np.asarray(langs)
    found: dict[tuple[int, str], set[tuple[str, ...]]] = {}
    for theme in themes:
        for lang in languages_of(theme):
            rows = np.flatnonzero((labels == theme) & (langs == lang))
            phrases: set[tuple[str, ...]] = set()
            for row in closest_first(rows, theme)[:TAGGED_PARAGRAPHS]:
                phrases |= noun_phrases(texts[row], lang, domain_stop_words, min_length)
            found[theme, lang] = phrases
    indexes = {}
    for lang in sorted({lang for _, lang in found}):
        wanted = set().union(*(p for (_, l), p in found.items() if l == lang))
        indexes[lang] = PhraseIndex(texts, np.flatnonzero(langs == lang), wanted)

    def candidates_of(theme: int, lang: str, support: int) -> tuple[list[Candidate], list[Candidate]]:
        """The theme's shortlist of ``lang`` and all its ranked candidates, phrases used by ``support`` paragraphs."""
        theme_rows = np.flatnonzero((labels == theme) & (langs == lang))
        index = indexes[lang]
        candidates = [Candidate(p, shown(p), np.intersect1d(index.of(p), theme_rows)) for p in sorted(found[theme, lang])]
        least = least_support(candidates, support)
        candidates = [c for c in candidates if len(c.rows) >= least]
        ranked = rank_candidates(candidates, len(theme_rows), lambda c: len(index.of(c.tokens)), None, None, None)
        ranked = ranked[:EMBEDDED_CANDIDATES]
        vectors = term_vectors([c.shown for c in ranked]) if ranked else None
        by_shown = None if vectors is None else {c.shown: _unit(v) for c, v in zip(ranked, vectors)}
        inside, elsewhere = centroids(theme, lang)
        ranked = rank_candidates(ranked, len(theme_rows), lambda c: len(index.of(c.tokens)),
                                 None if vectors is None else np.asarray(vectors, dtype=np.float64), inside, elsewhere)
        return mmr(ranked, by_shown), ranked

    names: dict[int, ThemeName] = {}
    lists: dict[int, tuple[dict[str, list[Candidate]], dict[str, list[Candidate]]]] = {}
    taken: set[str] = set()
    for theme in themes:
        shortlists, widened = {}, {}
        for lang in languages_of(theme):
            shortlists[lang], widened[lang] = candidates_of(theme, lang, MIN_SUPPORT)
        chosen = _choose(theme, shortlists, widened, term_vectors, usage_vectors, usage_bar, taken)
        few = [lang for lang in shortlists if np.sum((labels == theme) & (langs == lang)) < FEW_PARAGRAPHS]
        if chosen is not None and len(shortlists) == 2 and not chosen.agrees and few:
            shortlists, widened = dict(shortlists), dict(widened)
            for lang in few:
                shortlists[lang], widened[lang] = candidates_of(theme, lang, 1)
            wider = _choose(theme, shortlists, widened, term_vectors, usage_vectors, usage_bar, taken)
            chosen = wider if wider is not None and wider.agrees else chosen
            # a name from one paragraph is taken only when it agrees, here or when names are traded below
        lists[theme] = shortlists, widened
        if chosen is not None:
            names[theme] = chosen
            taken |= name_words(chosen)
    return trade_names(names, themes, lambda theme, taken: _choose(theme, *lists[theme], term_vectors, usage_vectors,
                                                                  usage_bar, taken))


def name_words(name: ThemeName) -> set[str]:
    """The content words of both halves of a name."""
    return set().union(*(content_words(text, lang) for lang, text in name.by_lang.items()))


def trade_names(names: dict[int, ThemeName], themes: list[int],
                choose: Callable[[int, set[str]], ThemeName | None]) -> dict[int, ThemeName]:
    """Names chosen largest theme first, then traded so that more of them agree: a bilingual theme left without an
    agreeing name because an earlier theme's name holds one of the words of its best agreeing pair gets that
    pair when each such earlier theme has another agreeing name without those words (``choose(theme, taken)``
    names a theme avoiding the words ``taken``). A trade is kept only when no two names then share a word and
    no name that agreed stops agreeing. On the LibreOffice help pages, when words were compared as written,
    "rotation de l'objet / rotation" held "objet" and "rotation" alone also agreed: the theme on text frames
    was then named "objet texte / object" instead of the flagged "texte recherché / frame"."""
    names = dict(names)
    for theme in themes:
        current = names.get(theme)
        if current is None or current.agrees or len(current.by_lang) != 2:
            continue
        wanted = choose(theme, set())
        if wanted is None or not wanted.agrees:
            continue
        trial = {**names, theme: wanted}
        for other in [t for t in themes if t != theme and t in names and name_words(names[t]) & name_words(wanted)]:
            taken = set().union(*(name_words(name) for t, name in trial.items() if t != other))
            renamed = choose(other, taken)
            if renamed is None or not renamed.agrees:  # only agreeing names are traded
                break
            trial[other] = renamed
        else:
            words = [name_words(name) for name in trial.values()]
            if all(not (a & b) for i, a in enumerate(words) for b in words[i + 1:]):
                names = trial
    return names


def _unit(vector: np.ndarray) -> np.ndarray:
    vector = np.asarray(vector, dtype=np.float64)
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


def _choose(theme: int, shortlists: dict[str, list[Candidate]], widened: dict[str, list[Candidate]], term_vectors,
            usage_vectors, usage_bar, taken: set[str]) -> ThemeName | None:
    """The theme's name from the shortlists; when no pair of them agrees, from every ranked candidate
    (``widened``), keeping only a pair that translates (``TRANSLATION``) and passes the check by use: on the
    bilingual corpora that are not parallel the shortlists' best phrases often say each language's own part of
    a theme ("machines virtuelles / boot process"), while a phrase further down is what the two share."""
    langs = [lang for lang, shortlist in shortlists.items() if shortlist]
    if len(langs) == 1 or (len(langs) == 2 and len(shortlists) == 1):
        free = [c for c in shortlists[langs[0]] if not (content_words(c.shown, langs[0]) & taken)]
        return ThemeName({langs[0]: (free or shortlists[langs[0]])[0].shown}) if shortlists[langs[0]] else None
    if len(langs) != 2:
        return None
    vector_of = lambda text: _unit(term_vectors([text])[0])  # noqa: E731

    def usage(a: Candidate, b: Candidate) -> float | None:
        if usage_vectors is None or not len(a.rows) or not len(b.rows):
            return None
        ends = [_unit(usage_vectors[c.rows].mean(axis=0)) for c in (a, b)]
        return float(ends[0] @ ends[1])

    pair = choose_pair(shortlists[langs[0]], shortlists[langs[1]], vector_of, usage, usage_bar, taken,
                       (langs[0], langs[1]))
    if pair is None or not pair[2]:
        wider = choose_pair(widened[langs[0]], widened[langs[1]], vector_of, usage, usage_bar, taken,
                            (langs[0], langs[1]), least_words=TRANSLATION)
        if wider is not None and wider[2]:
            pair = wider
    agrees = pair is not None and pair[2]
    if pair is None:  # every phrase is another theme's: the best ones again, not agreeing in that sense
        pair = choose_pair(shortlists[langs[0]], shortlists[langs[1]], vector_of, usage, usage_bar, set(),
                           (langs[0], langs[1]))
    a, b, _ = pair
    return ThemeName({langs[0]: a.shown, langs[1]: b.shown}, float(vector_of(a.shown) @ vector_of(b.shown)), usage(a, b),
                     agrees)
