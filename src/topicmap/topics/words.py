"""What every topic model's topics say: words overall and per language, a bilingual label, quotes.

Whatever grouped the units (NMF, BERTopic, the cross-lingual consensus model), its topics are
described the same way from the one tokenization (``Representations.counts``):

* candidates: class-based TF-IDF (BERTopic's c-TF-IDF: a term's frequency in the topic, L1-normalised,
  times ``log(1 + A / f)`` with ``A`` the mean number of term occurrences per topic and ``f`` the
  term's frequency over all topics). Written here in a few lines because importing BERTopic for its
  ``ClassTfidfTransformer`` costs seconds of numba start-up in every process;
* per language: the same weights computed on the topic's units of one language alone, with the IDF
  of the whole corpus, so French words of a theme come from its French paragraphs;
* word classes: a candidate is read where the theme's paragraphs of its language use it
  (``word_classes``: spaCy for French, TextBlob for English); verbs, adverbs, numbers and function
  words ("contrôlant", "actuellement", "quatre") describe no theme and are skipped, so are words
  found in nearly every theme (``GENERIC_THEME_SHARE``);
* words: the best ``N_CANDIDATES`` remaining candidates re-ranked by meaning, as BERTopic's
  KeyBERTInspired does: by the cosine between the term's multilingual embedding and the average
  embedding of the theme's paragraphs (of that language), less its cosine to the other themes';
* a word never stands beside an n-gram holding it ("united", "united states"): the better ranked wins;
* label: with term vectors and a tagger for each main language, a noun phrase per language found in the
  theme's paragraphs (``names``); otherwise one noun (or proper noun, or phrase holding one) per main language, chosen jointly
  (``joint_label``): each close to its paragraphs, the two close to each other as words, and the
  theme's paragraphs that use them alike (``usage_agreement``, judged against how alike the two
  languages' paragraphs of one theme and of two themes are: ``half_agreements``), so the halves say the same thing
  ("puces / chips"). Word vectors alone take false friends for translations ("materials", materials
  science, and "matériel", computer hardware, are close as words); the paragraphs that use them are
  not. An adjective ("énergétiques") may describe a theme, not name it;
* representatives: full paragraphs (a sentence's end, not a lead-in line ending in a colon), each
  text once, closest to the topic's centroid in the model's vector space, or with the largest
  ``scores`` (NMF's weights), taken in turn from each language.
"""

from __future__ import annotations

import re
from typing import Callable

import numpy as np
import pandas as pd
from scipy import sparse

from ..representations.language_neutral import unit_rows
from ..representations.tokens import readable, tokenize
from .base import OUTLIER, Topic, language_counts
from .names import name_themes
from .word_classes import ThemeWordClasses, has_tagger

LABEL_SEPARATOR = " / "
#: A language names a theme in its label only when it holds at least this share of the theme's units: a
#: handful of paragraphs in the other language would otherwise pair two unrelated words ("trump / rpc").
MIN_LABEL_LANGUAGE_SHARE = 0.2
#: c-TF-IDF's best terms of a theme (per language) that are re-ranked by meaning.
N_CANDIDATES = 15
#: c-TF-IDF's best terms read to find the ``N_CANDIDATES`` that may describe a theme (not a verb, an
#: adverb, a number: ``word_classes``), as a multiple of ``N_CANDIDATES``.
SPARE_CANDIDATES = 2
#: Terms ranked for the label in each language; the pair is chosen among these.
LABEL_CANDIDATES = 6
#: With at least ``MIN_THEMES_FOR_GENERIC`` themes, a term used in at least this share of them names none.
GENERIC_THEME_SHARE = 0.9
MIN_THEMES_FOR_GENERIC = 4
#: A quote is a full paragraph: at least this many words, ending a sentence.
MIN_QUOTE_WORDS = 12
SENTENCE_END = re.compile(r"[.!?…\"”»)]\s*$")


def class_tfidf(topic_counts: sparse.csr_matrix) -> tuple[sparse.csr_matrix, np.ndarray]:
    """c-TF-IDF of a topics x terms count matrix; returns the weights and the IDF to reuse."""
    counts = sparse.csr_matrix(topic_counts, dtype=np.float64)
    frequency = np.asarray(counts.sum(axis=0)).ravel()
    average = float(counts.sum()) / max(counts.shape[0], 1)
    idf = np.log(1.0 + average / np.where(frequency == 0, 1.0, frequency))
    return weight_with(counts, idf), idf


def weight_with(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """L1-normalised term frequencies of each row times ``idf``."""
    counts = sparse.csr_matrix(counts, dtype=np.float64)
    totals = np.asarray(counts.sum(axis=1)).ravel()
    tf = sparse.diags(1.0 / np.where(totals == 0, 1.0, totals)) @ counts
    return sparse.csr_matrix(tf @ sparse.diags(idf))


def distinct_top_terms(weights: np.ndarray, terms: list[str], n: int) -> list[tuple[str, float]]:
    """The ``n`` heaviest terms, skipping any term that holds, or is held by, a better-ranked one."""
    positive = np.flatnonzero(weights > 0)
    shortlist = positive
    if len(positive) > 10 * n:  # the best 10n (and ties) nearly always hold n distinct terms; else all are ranked
        nth = np.partition(weights[positive], len(positive) - 10 * n)[len(positive) - 10 * n]
        shortlist = positive[weights[positive] >= nth - 1e-12]
    for candidates in (shortlist, positive):
        order = sorted(candidates, key=lambda i: (-round(float(weights[i]), 12), terms[i]))
        chosen = distinct_top_terms_of([(terms[i], float(weights[i])) for i in order], n)
        if len(chosen) == n or len(candidates) == len(positive):
            return chosen
    return chosen


def _contains(longer: list[str], shorter: list[str]) -> bool:
    """Whether ``shorter`` occurs as a contiguous run of words inside ``longer``."""
    width = len(shorter)
    return any(longer[i:i + width] == shorter for i in range(len(longer) - width + 1))


def by_meaning(candidates: list[tuple[str, float]], vectors: np.ndarray, centroid: np.ndarray | None,
               elsewhere: np.ndarray | None = None) -> list[tuple[str, float]]:
    """``candidates`` ordered by the cosine of their ``vectors`` to ``centroid`` (KeyBERTInspired), less their
    cosine to the ``elsewhere`` centroid (the other themes' units) when given, so a word close to every
    paragraph of the corpus ("technology") does not name each theme; that score is their weight.
    Unchanged without a centroid."""
    if centroid is None or not len(candidates):
        return candidates
    similarity = np.asarray(vectors, dtype=np.float64) @ centroid
    if elsewhere is not None:
        similarity = similarity - np.asarray(vectors, dtype=np.float64) @ elsewhere
    order = sorted(range(len(candidates)), key=lambda i: (-round(float(similarity[i]), 9), candidates[i][0]))
    return [(candidates[i][0], float(similarity[i])) for i in order]


def label_languages(languages: list[str], n_by_lang: dict[str, int]) -> list[str]:
    """The main languages that hold at least ``MIN_LABEL_LANGUAGE_SHARE`` of a theme's units: those that name it."""
    total = sum(n_by_lang.values())
    return [lang for lang in languages if total and n_by_lang.get(lang, 0) / total >= MIN_LABEL_LANGUAGE_SHARE]


def joint_label(words_by_lang: dict[str, list[tuple[str, float]]], languages: list[str],
                vector_of: Callable[[str], np.ndarray] | None = None,
                n_by_lang: dict[str, int] | None = None,
                usage: Callable[[str, str], float | None] | None = None) -> dict[str, str]:
    """One term per main language that holds a fair share of the theme, chosen together.

    Among each language's first ``LABEL_CANDIDATES`` words (already ranked by meaning, their weight
    the cosine to the paragraphs), the pair with the largest sum of the two weights, of the cosine
    between the two terms and, when ``usage`` is given, of the agreement of the paragraphs that use
    them (``usage(first_term, second_term)``, see ``usage_agreement``): "puces / chips" rather than
    "puces / semiconductors". Without term vectors, each language's first word. A theme of one
    language gets its first word.
    """
    total = sum((n_by_lang or {}).values())
    if n_by_lang and total:
        languages = [lang for lang in languages if n_by_lang.get(lang, 0) / total >= MIN_LABEL_LANGUAGE_SHARE]
    languages = [lang for lang in languages if words_by_lang.get(lang)]
    if len(languages) < 2 or vector_of is None:
        return {lang: words_by_lang[lang][0][0] for lang in languages}
    first, second = languages[:2]
    a, b = words_by_lang[first][:LABEL_CANDIDATES], words_by_lang[second][:LABEL_CANDIDATES]
    scores = [(wa + wb + float(vector_of(ta) @ vector_of(tb)) + ((usage(ta, tb) or 0.0) if usage else 0.0), -i - j, ta, tb)
              for i, (ta, wa) in enumerate(a) for j, (tb, wb) in enumerate(b)]
    best = max(scores, key=lambda s: (round(s[0], 9), s[1], s[2], s[3]))
    return {first: best[2], second: best[3]}


def label_text(label_by_lang: dict[str, str], overall: list[tuple[str, float]]) -> str:
    """The label as one line: the languages' terms ("puces / chips"), one term when both are the same
    word, else the two best words overall."""
    unique = list(dict.fromkeys(label_by_lang.values()))
    if len(unique) >= 2:
        return LABEL_SEPARATOR.join(unique)
    if unique:
        return unique[0]
    return LABEL_SEPARATOR.join(w for w, _ in overall[:2]) or "(no words)"


def main_languages(langs: np.ndarray, n: int | None = 2, min_share: float = 0.0) -> list[str]:
    """The ``n`` most frequent languages of the units (every one for None), most frequent first (ties
    alphabetical), among those holding at least ``min_share`` of the units."""
    counts = pd.Series(langs).value_counts()
    held = [lang for lang in counts.index if counts[lang] >= min_share * counts.sum()]
    return sorted(held, key=lambda lang: (-counts[lang], lang))[:n]


def compared_languages(langs: np.ndarray, n: int | None = 2) -> list[str]:
    """The languages whose coverage of the themes is compared: the ``n`` largest (None: all, the corpus's
    languages) of those holding at least
    ``language.MIN_CORPUS_LANGUAGE_SHARE`` of the units. In 26 French man pages, 6 of 364 paragraphs read as
    English (option lines, authors' names); comparing French with them called 12 of 16 themes "absent from the
    English ones" and the two languages' themes "mostly different", of a corpus in one language."""
    from ..language import MIN_CORPUS_LANGUAGE_SHARE

    return main_languages(langs, n, MIN_CORPUS_LANGUAGE_SHARE)


def _unit_length(vector: np.ndarray) -> np.ndarray | None:
    norm = np.linalg.norm(vector)
    return vector / norm if norm else None


def _vector_sums(vectors: np.ndarray, labels: np.ndarray, langs: np.ndarray):
    """A function (topic, language or None) -> (sum of the vectors of the topic's units of that language,
    sum over all units of that language): one pass over the units, whatever the number of topics."""
    vectors = np.asarray(vectors, dtype=np.float64)
    keys = sorted({(int(t), str(l)) for t, l in zip(labels.tolist(), langs.tolist())})
    index = {key: i for i, key in enumerate(keys)}
    indicator = sparse.csr_matrix((np.ones(len(labels)), ([index[(int(t), str(l))] for t, l in zip(labels, langs)],
                                                          np.arange(len(labels)))), shape=(len(keys), len(labels)))
    by_key = np.asarray(indicator @ vectors)

    def sums(topic: int, lang: str | None) -> tuple[np.ndarray, np.ndarray]:
        rows = [i for (t, l), i in index.items() if (lang is None or l == lang)]
        inside = [i for (t, l), i in index.items() if t == topic and (lang is None or l == lang)]
        return by_key[inside].sum(axis=0), by_key[rows].sum(axis=0)

    return sums


def _mean_direction(unit_vectors: np.ndarray, rows: np.ndarray) -> np.ndarray | None:
    """The unit-length mean of ``rows``' vectors; None for no rows (or a zero mean)."""
    return _unit_length(unit_vectors[rows].mean(axis=0)) if len(rows) else None


def usage_agreement(unit_vectors: np.ndarray, rows_a: np.ndarray, rows_b: np.ndarray) -> float | None:
    """How alike two sets of units are: the cosine between their mean (unit-length) vectors; None when a
    set is empty. For the two halves of a label, the theme's paragraphs of each language that use its word."""
    a, b = _mean_direction(unit_vectors, rows_a), _mean_direction(unit_vectors, rows_b)
    return None if a is None or b is None else float(a @ b)


def half_agreements(unit_vectors: np.ndarray, labels: np.ndarray, langs: np.ndarray,
                    languages: list[str]) -> tuple[float, float] | None:
    """How alike the two main languages' paragraphs of one theme are, and of two different themes: the medians,
    over the bilingual themes (outliers aside), of the cosine between the mean vector of a theme's paragraphs
    in the first language and that of the same theme's in the second, and of another theme's. The two
    levels of "one subject" and "two subjects" in this corpus and this space, for ``label_halves_agree``.
    None with fewer than two languages or two bilingual themes."""
    if len(languages) < 2:
        return None
    first, second = languages[:2]
    halves = {}
    for topic in sorted(set(labels.tolist()) - {OUTLIER}):
        ends = [_mean_direction(unit_vectors, np.flatnonzero((labels == topic) & (langs == lang)))
                for lang in (first, second)]
        if ends[0] is not None and ends[1] is not None:
            halves[topic] = ends
    same = [float(a @ b) for a, b in halves.values()]
    different = [float(halves[x][0] @ halves[y][1]) for x in halves for y in halves if x != y]
    return (float(np.median(same)), float(np.median(different))) if different else None


def describe_topics(labels: np.ndarray, representations, n_words: int, n_representative: int,
                    space: np.ndarray | None = None, scores: np.ndarray | None = None) -> list[Topic]:
    """A ``Topic`` for every topic id in ``labels`` (aligned with the units), outliers included.

    Words are ranked by meaning when terms can be embedded in the units' space
    (``Representations.terms_share_the_space``), else by c-TF-IDF alone.
    """
    labels = np.asarray(labels, dtype=int)
    langs, ids = representations.langs, representations.ids
    counts, terms = representations.counts.matrix, representations.counts.terms
    topic_ids = sorted(set(labels.tolist()))
    membership = sparse.csr_matrix(
        (np.ones(len(labels)), ([topic_ids.index(t) for t in labels], np.arange(len(labels)))),
        shape=(len(topic_ids), len(labels)))
    topic_counts = sparse.csr_matrix(membership @ counts)
    weights, idf = class_tfidf(topic_counts)
    idf = np.where(generic_terms(topic_counts, topic_ids), 0.0, idf)
    weights = weight_with(topic_counts, idf)
    term_vectors = representations.term_vectors if representations.terms_share_the_space else None
    sums = _vector_sums(representations.embeddings, labels, langs) if term_vectors is not None else None
    languages = main_languages(langs)
    texts, read = representations.texts, representations.model_texts  # quotes whole; a word's uses where counted
    rows_holding = term_rows(counts, terms)
    texts_holding = lambda term, rows: (read[i] for i in rows_holding(term, rows))  # noqa: E731
    # the label's halves are checked against the units' vectors in the model's space (the raw embeddings without one)
    usage_vectors = None
    if term_vectors is not None and len(languages) == 2:
        in_space = space if space is not None else representations.embeddings
        usage_vectors = unit_rows(np.asarray(in_space, dtype=np.float64))
    levels = half_agreements(usage_vectors, labels, langs, languages) if usage_vectors is not None else None
    phrase_names = {}
    if term_vectors is not None and languages and all(has_tagger(lang) for lang in languages):
        phrase_names = name_themes(
            labels, langs, read, [t for t in topic_ids if t != OUTLIER],
            lambda theme: label_languages(languages, language_counts(labels, langs, theme)),
            lambda rows, theme: representatives(rows, space, scores, theme), term_vectors,
            lambda theme, lang: (lambda inside, everywhere: (_unit_length(inside), _unit_length(everywhere - inside)))(
                *sums(theme, lang)),
            usage_vectors, None if levels is None else sum(levels) / 2,
            representations.preprocessor.domain_stop_words, representations.preprocessor.min_token_length)
    topics = []
    for row, topic_id in enumerate(topic_ids):
        members = np.flatnonzero(labels == topic_id)
        forms = representations.display_forms(members)
        rows_by_lang = {lang: members[langs[members] == lang] for lang in sorted(set(langs[members].tolist()))}
        classes = ThemeWordClasses(rows_by_lang, texts_holding)
        term_of: dict[str, str] = {}  # a word as shown -> its term in the counts

        def ranked(term_weights: np.ndarray, lang: str | None) -> list[tuple[str, float]]:
            candidates = []
            for term, weight in distinct_top_terms(term_weights, terms, SPARE_CANDIDATES * N_CANDIDATES):
                if classes.describes(readable(term, forms), term, lang):
                    term_of[readable(term, forms)] = term
                    candidates.append((readable(term, forms), weight))
                if len(candidates) == N_CANDIDATES:
                    break
            if sums is None or not candidates:
                return distinct_top_terms_of(candidates, n_words)
            inside, everywhere = sums(topic_id, lang)
            return distinct_top_terms_of(by_meaning(candidates, term_vectors([w for w, _ in candidates]),
                                                    _unit_length(inside), _unit_length(everywhere - inside)), n_words)

        by_lang = {lang: ranked(weight_with(sparse.csr_matrix(counts[rows].sum(axis=0)), idf).toarray().ravel(), lang)
                   for lang, rows in rows_by_lang.items()}
        overall = ranked(weights.getrow(row).toarray().ravel(), None)
        counts_by_lang = language_counts(labels, langs, topic_id)
        vector_of = (lambda term: term_vectors([term])[0]) if term_vectors is not None else None
        naming = {lang: [(w, s) for w, s in words if classes.names(w, lang)] or words for lang, words in by_lang.items()}

        def usage(first_word: str, second_word: str) -> float | None:
            """How alike the theme's paragraphs of the first language using one word and of the second using the other are."""
            first, second = languages
            return usage_agreement(usage_vectors, rows_holding(term_of[first_word], rows_by_lang.get(first, members[:0])),
                                   rows_holding(term_of[second_word], rows_by_lang.get(second, members[:0])))

        label_by_lang = {} if topic_id == OUTLIER else joint_label(
            naming, languages, vector_of, counts_by_lang, usage if usage_vectors is not None else None)
        halves = list(label_by_lang.values())
        if topic_id in phrase_names:  # a noun phrase of its paragraphs in each language (``names``)
            label_by_lang = phrase_names[topic_id].by_lang
            agreement, used_alike = phrase_names[topic_id].agreement, phrase_names[topic_id].used_alike
        else:
            agreement = (float(vector_of(halves[0]) @ vector_of(halves[1]))
                         if vector_of is not None and len(halves) == 2 else None)
            used_alike = usage(*halves) if usage_vectors is not None and len(halves) == 2 else None
        topics.append(Topic(
            id=int(topic_id), size=int(len(members)),
            label="outliers" if topic_id == OUTLIER else label_text(label_by_lang, overall),
            label_by_lang=label_by_lang, label_agreement=agreement,
            label_usage=(used_alike, *levels) if used_alike is not None and levels is not None else None, words=overall, words_by_lang=by_lang, n_by_lang=counts_by_lang,
            representative_ids=[str(ids[i]) for i in interleaved_by_language(
                members, langs, lambda rows: quotable(representatives(rows, space, scores, topic_id), texts,
                                                      n_representative),
                n_representative)],
        ))
    return topics


def term_rows(counts: sparse.spmatrix, terms: list[str]):
    """A function (term, rows) -> those of ``rows`` whose counts hold ``term``, in corpus order."""
    by_term = sparse.csc_matrix(counts)
    term_index = {term: i for i, term in enumerate(terms)}

    def rows_holding(term: str, rows: np.ndarray) -> np.ndarray:
        column = term_index[term]
        return np.intersect1d(by_term.indices[by_term.indptr[column]:by_term.indptr[column + 1]], rows)

    return rows_holding


def generic_terms(topic_counts: sparse.csr_matrix, topic_ids: list[int]) -> np.ndarray:
    """Terms used in at least ``GENERIC_THEME_SHARE`` of the themes (outliers aside), when there are at
    least ``MIN_THEMES_FOR_GENERIC``: they name none of them."""
    themes = [i for i, t in enumerate(topic_ids) if t != OUTLIER]
    used = np.asarray((topic_counts[themes] > 0).sum(axis=0)).ravel()
    if len(themes) < MIN_THEMES_FOR_GENERIC:
        return np.zeros(topic_counts.shape[1], dtype=bool)
    return used >= GENERIC_THEME_SHARE * len(themes)


def distinct_top_terms_of(ranked: list[tuple[str, float]], n: int) -> list[tuple[str, float]]:
    """The first ``n`` of already ranked terms, skipping any that holds, or is held by, a better-ranked one."""
    chosen: list[tuple[str, float]] = []
    for term, weight in ranked:
        words = tokenize(term)  # "chaîne d'approvisionnement" holds "approvisionnement"
        if any(_contains(words, tokenize(taken)) or _contains(tokenize(taken), words) for taken, _ in chosen):
            continue
        chosen.append((term, weight))
        if len(chosen) == n:
            break
    return chosen


def interleaved_by_language(members: np.ndarray, langs: np.ndarray, best, n: int) -> list[int]:
    """The ``n`` best members, taking in turn the best of each language (most frequent language first)."""
    groups = [best(members[langs[members] == lang]) for lang in main_languages(langs[members], n=None)]
    order = [row for rank in zip(*[g + [None] * (n - len(g)) for g in groups]) for row in rank if row is not None]
    return order[:n]


def is_full_paragraph(text: str) -> bool:
    """Whether a paragraph can stand as a quote: ``MIN_QUOTE_WORDS`` words or more, ending a sentence."""
    return len(text.split()) >= MIN_QUOTE_WORDS and bool(SENTENCE_END.search(text))


def quotable(ranked: list[int], texts: list[str], n: int) -> list[int]:
    """The first ``n`` of ``ranked`` units that are full paragraphs, each text once; lead-in lines
    ("… trois éléments clés:") and short fragments only when nothing else is left."""
    seen: set[str] = set()
    full, rest = [], []
    for row in ranked:
        key = " ".join(texts[row].split()).casefold()
        if key in seen:
            continue
        seen.add(key)
        (full if is_full_paragraph(texts[row]) else rest).append(row)
    return (full + rest)[:n]


def representatives(members: np.ndarray, space: np.ndarray | None, scores: np.ndarray | None,
                    topic_id: int) -> list[int]:
    """The members, closest to the topic centroid in ``space`` (or with the largest ``scores``) first."""
    if len(members) == 0:
        return []
    if scores is not None and topic_id != OUTLIER:
        strength = np.asarray(scores)[members, topic_id]
    elif space is not None:
        centroid = np.asarray(space)[members].mean(axis=0)
        strength = np.asarray(space)[members] @ (centroid / (np.linalg.norm(centroid) or 1.0))
    else:
        return members.tolist()
    order = sorted(range(len(members)), key=lambda i: (-round(float(strength[i]), 9), members[i]))
    return [int(members[i]) for i in order]
