"""Step 3 of the chain: every representation of the units, computed at most once per run.

``build_representations`` takes the table of units (paragraphs, or whole documents) and returns a
``Representations`` whose fields are computed on first use and then kept: the terms of each unit
(one tokenization), their counts, and the multilingual embeddings (read from the on-disk cache).
Every topic model, metric and figure takes this one object, so none recomputes another's work.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import sparse

from ..config import Settings
from .tokens import Preprocessor, preprocessor_from

log = logging.getLogger(__name__)

UNIT_COLUMNS = ["id", "doc", "lang", "text"]
#: An n-gram must occur in at least this many units to be a term: a phrase of one paragraph cannot
#: link paragraphs into a theme, and it would crowd out the words a topic's paragraphs share.
MIN_UNITS_PER_PHRASE = 2
#: Words per n-gram term ("centres de données").
MAX_PHRASE_WORDS = 3


def model_text(text: str, limit: int) -> str:
    """What the models read of a unit: the text itself, or its first ``limit`` characters cut at the last space
    or line break (at the bound when there is none in its second half; ``Settings.max_model_characters``)."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(" ", 0, limit + 1), text.rfind("\n", 0, limit + 1))
    return text[:cut if cut > limit // 2 else limit].rstrip()


def units_from(paragraphs: pd.DataFrame, unit: str = "paragraph", headings: pd.DataFrame | None = None
               ) -> pd.DataFrame:
    """The table of units to model: the paragraphs, or one row per document (``id`` = the document).

    In document mode a document is its content as its author wrote it: its title, then each section
    heading before the paragraphs it introduces (``headings``, from the segmentation), so the words
    that say what a document is about are kept; only what is not content (captions, credits, promos,
    front matter) stays out. Its language is the one most of its words are in.
    """
    if unit == "paragraph":
        return paragraphs[UNIT_COLUMNS].reset_index(drop=True)
    if unit != "document":
        raise ValueError(f"unit must be 'paragraph' or 'document', not {unit!r}")
    rows = []
    for doc, group in paragraphs.groupby("doc", sort=True):
        words = group.groupby("lang")["n_words"].sum() if "n_words" in group else group["lang"].value_counts()
        lang = sorted(words.items(), key=lambda item: (-item[1], item[0]))[0][0]
        rows.append({"id": doc, "doc": doc, "lang": lang, "text": document_text(group, _titles(headings, doc))})
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


def _titles(headings: pd.DataFrame | None, doc: str) -> list[str]:
    if headings is None or headings.empty:
        return []
    return headings[(headings["doc"] == doc) & (headings["kind"] == "title")]["text"].astype(str).tolist()[:1]


def document_text(paragraphs: pd.DataFrame, titles: list[str]) -> str:
    """A document's title, then its paragraphs in order, each section heading before its first paragraph."""
    parts, current = list(titles), titles[0] if titles else None
    sections = paragraphs["section"] if "section" in paragraphs else pd.Series([""] * len(paragraphs))
    for section, text in zip(sections.astype(str), paragraphs["text"].astype(str)):
        if section and section != current:
            parts.append(section)
            current = section
        parts.append(text)
    return "\n\n".join(parts)


class NoContentWordError(ValueError):
    """No unit holds a content word (only numbers, links, stop words): there is nothing to find themes with."""


@dataclass
class TermCounts:
    """Units x terms counts of the one tokenization (content words and real n-grams)."""

    matrix: sparse.csr_matrix
    terms: list[str]



@dataclass
class Representations:
    """The units of one run and everything derived from them, each computed once on first use.

    ``embeddings`` may be given (a benchmark that embedded the texts already); otherwise they are
    read from, or added to, the embedding cache of ``settings``.
    """

    units: pd.DataFrame
    settings: Settings
    given_embeddings: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        missing = [c for c in UNIT_COLUMNS if c not in self.units.columns]
        if missing:
            raise ValueError(f"the units table lacks the columns {', '.join(missing)}")
        if self.units.empty:
            raise ValueError("no units to model: the corpus gave no paragraph; check the corpus folder")
        self.units = self.units.reset_index(drop=True)
        if self.given_embeddings is not None and len(self.given_embeddings) != len(self.units):
            raise ValueError(f"{len(self.given_embeddings)} embeddings for {len(self.units)} units")

    def __len__(self) -> int:
        return len(self.units)

    @property
    def ids(self) -> np.ndarray:
        return self.units["id"].astype(str).to_numpy()

    @property
    def langs(self) -> np.ndarray:
        return self.units["lang"].astype(str).to_numpy()

    @property
    def texts(self) -> list[str]:
        return self.units["text"].astype(str).tolist()

    @cached_property
    def fingerprint(self) -> str:
        """SHA-256 of the units' ids, languages and texts: what a cached result of these units is keyed by."""
        import hashlib

        digest = hashlib.sha256()
        for row in self.units[["id", "lang", "text"]].astype(str).itertuples(index=False):
            digest.update("\x1f".join(row).encode("utf-8") + b"\x1e")
        return digest.hexdigest()

    @cached_property
    def model_texts(self) -> list[str]:
        """What the models read (embeddings, terms): each text up to ``settings.max_model_characters``."""
        return [model_text(text, self.settings.max_model_characters) for text in self.texts]

    @cached_property
    def preprocessor(self) -> Preprocessor:
        return preprocessor_from(self.settings)

    @cached_property
    def terms(self) -> list[list[str]]:
        """Each unit's terms in text order: content words and contiguous n-grams (the one tokenization)."""
        return [self.preprocessor.phrases(text, lang, MAX_PHRASE_WORDS)
                for text, lang in zip(self.model_texts, self.langs)]

    @cached_property
    def words(self) -> list[list[str]]:
        """Each unit's content words alone (the unigrams of ``terms``)."""
        return [[t for t in terms if " " not in t] for terms in self.terms]

    @cached_property
    def counts(self) -> TermCounts:
        """Units x terms counts; n-grams used by fewer than ``MIN_UNITS_PER_PHRASE`` units are left out."""
        from sklearn.feature_extraction.text import CountVectorizer  # here: `topicmap segment` needs no sklearn

        counter = CountVectorizer(analyzer=lambda terms: terms, min_df=1)
        try:
            matrix = sparse.csr_matrix(counter.fit_transform(self.terms))
        except ValueError:  # scikit-learn's "empty vocabulary"
            raise NoContentWordError(
                f"no term left in {len(self.units)} units after preprocessing: every word is a stop word or "
                "too short; check the corpus language and the domain stop words") from None
        terms = counter.get_feature_names_out().tolist()
        used_by = np.asarray((matrix > 0).sum(axis=0)).ravel()
        is_phrase = np.array([" " in t for t in terms])
        keep = ~is_phrase | (used_by >= min(MIN_UNITS_PER_PHRASE, len(self.units)))
        return TermCounts(sparse.csr_matrix(matrix[:, keep]), [t for t, k in zip(terms, keep) if k])

    @cached_property
    def embeddings(self) -> np.ndarray:
        """Unit-length multilingual embeddings of the texts (N x d), from the cache where possible."""
        if self.given_embeddings is not None:
            return np.asarray(self.given_embeddings, dtype=np.float32)
        from .embeddings import embed_texts

        return embed_texts(self.model_texts, self.settings)

    @cached_property
    def terms_share_the_space(self) -> bool:
        """Whether terms can be embedded into the units' space: the units' vectors come from the settings'
        encoder (computed here, or given with its width; a test's synthetic vectors are not)."""
        if self.given_embeddings is None:
            return True
        from .embeddings import embed_terms

        return embed_terms(["a"], self.settings.embedding).shape[1] == np.asarray(self.given_embeddings).shape[1]

    def term_vectors(self, terms: list[str]) -> np.ndarray:
        """Embeddings of short terms (theme words) with the settings' encoder, in the units' space."""
        from .embeddings import embed_terms

        return embed_terms(terms, self.settings.embedding)

    def with_embeddings(self, vectors: np.ndarray) -> "Representations":
        """These representations with their embeddings made elsewhere (by Dask workers), keeping what is computed."""
        given = Representations(self.units, self.settings, vectors)
        given.__dict__.update({name: value for name, value in self.__dict__.items()
                               if name in ("fingerprint", "model_texts", "preprocessor", "terms", "words", "counts")})
        return given

    def subset(self, rows: np.ndarray) -> "Representations":
        """The representations of some units only (their embeddings sliced when already computed)."""
        rows = np.asarray(rows)
        given = self.__dict__.get("embeddings", self.given_embeddings)
        return Representations(self.units.iloc[rows].reset_index(drop=True), self.settings,
                               None if given is None else np.asarray(given)[rows])

    def display_forms(self, rows: np.ndarray | None = None) -> dict[str, str]:
        """Surface form of each stem (empty without stemming), from the units ``rows`` (all by default)."""
        if not self.settings.stem:
            return {}
        rows = np.arange(len(self.units)) if rows is None else rows
        return self.preprocessor.display_forms([self.model_texts[i] for i in rows], [self.langs[i] for i in rows])


def build_representations(units: pd.DataFrame, settings: Settings,
                          embeddings: np.ndarray | None = None) -> Representations:
    """The representations of ``units`` (columns id, doc, lang, text) under ``settings``."""
    return Representations(units=units, settings=settings, given_embeddings=embeddings)
