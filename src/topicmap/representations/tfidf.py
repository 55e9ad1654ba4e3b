"""Representations, step 3: each article's most distinctive terms (TF-IDF) and how alike the articles are.

An article is one file; its term counts are the sums of its units' counts from the one tokenization
(``Representations.counts``: content words and real n-grams, never spanning two paragraphs). Inverse
document frequency is taken over articles (smoothed, as scikit-learn's ``TfidfTransformer`` does)
and each article's vector is L2-normalised. Similarity is only computed for corpora small enough to
read an article-by-article matrix; larger ones get the terms alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from .tokens import readable

#: Above this many articles no article x article matrix is built (its size grows with the square).
MAX_ARTICLES_FOR_SIMILARITY = 60


@dataclass
class ArticleTerms:
    """Each article's top TF-IDF terms with scores, and (small corpora) the article similarity matrix."""

    #: article id -> [(term, score), ...], best first; terms in readable surface forms
    terms: dict[str, list[tuple[str, float]]]
    #: articles x articles cosine similarity of their TF-IDF vectors (1 on the diagonal); None when too many
    similarity: pd.DataFrame | None
    #: article id -> the language most of its units are in
    languages: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        similarity = None if self.similarity is None else {
            "articles": list(self.similarity.index), "matrix": self.similarity.round(6).to_numpy().tolist()}
        return {"terms": {doc: [[term, round(float(score), 6)] for term, score in terms] for doc, terms in self.terms.items()},
                "similarity": similarity, "languages": self.languages}

    @classmethod
    def from_json(cls, data: dict) -> "ArticleTerms":
        similarity = data.get("similarity")
        if similarity is not None:
            docs = pd.Index([str(doc) for doc in similarity["articles"]], name="doc")
            similarity = pd.DataFrame(np.array(similarity["matrix"], dtype=float).reshape(len(docs), len(docs)),
                                      index=docs, columns=docs.copy())
        return cls(terms={str(doc): [(str(t), float(s)) for t, s in terms] for doc, terms in data["terms"].items()},
                   similarity=similarity, languages={str(k): str(v) for k, v in data.get("languages", {}).items()})


def article_languages(units: pd.DataFrame) -> dict[str, str]:
    """The language most units of each article are in (ties: alphabetical)."""
    counts = units.groupby(["doc", "lang"]).size().reset_index(name="n")
    counts = counts.sort_values(["doc", "n", "lang"], ascending=[True, False, True])
    return dict(counts.drop_duplicates("doc")[["doc", "lang"]].itertuples(index=False, name=None))


def article_tfidf(representations) -> tuple[list[str], sparse.csr_matrix, list[str]]:
    """Article ids (sorted), their L2-normalised TF-IDF matrix, and the (possibly stemmed) terms."""
    units, counts = representations.units, representations.counts
    docs = sorted(units["doc"].astype(str).unique())
    row_of_doc = {doc: i for i, doc in enumerate(docs)}
    rows = units["doc"].astype(str).map(row_of_doc).to_numpy()
    membership = sparse.csr_matrix((np.ones(len(rows)), (rows, np.arange(len(rows)))), shape=(len(docs), len(rows)))
    tfidf = TfidfTransformer(norm="l2", smooth_idf=True).fit_transform(membership @ counts.matrix)
    return docs, sparse.csr_matrix(tfidf), counts.terms


def top_terms(row: np.ndarray, terms: list[str], n: int) -> list[tuple[str, float]]:
    """The ``n`` highest-scoring positive terms of one row, ties broken alphabetically."""
    order = sorted(np.flatnonzero(row > 0), key=lambda i: (-round(float(row[i]), 12), terms[i]))
    return [(terms[i], float(row[i])) for i in order[:n]]


def cosine_similarity_table(tfidf: sparse.csr_matrix, docs: list[str]) -> pd.DataFrame:
    """Cosine similarity of L2-normalised rows; an article with no term is similar only to itself."""
    similarity = np.asarray((tfidf @ tfidf.T).todense(), dtype=float)
    np.fill_diagonal(similarity, 1.0)
    similarity = np.clip((similarity + similarity.T) / 2, 0.0, 1.0)
    return pd.DataFrame(similarity, index=pd.Index(docs, name="doc"), columns=pd.Index(docs, name="doc"))


def article_terms(representations) -> ArticleTerms:
    """Each article's ``settings.n_terms_per_article`` most distinctive terms, and the similarity matrix."""
    docs, tfidf, terms = article_tfidf(representations)
    units, n_terms = representations.units, representations.settings.n_terms_per_article
    doc_of_unit = units["doc"].astype(str).to_numpy()
    top = {}
    for i, doc in enumerate(docs):
        # Surface forms from this article alone: a stem shared across languages ("technolog")
        # is written as this article wrote it.
        forms = representations.display_forms(np.flatnonzero(doc_of_unit == doc))
        row = tfidf.getrow(i).toarray().ravel()
        top[doc] = [(readable(term, forms), score) for term, score in top_terms(row, terms, n_terms)]
    similarity = cosine_similarity_table(tfidf, docs) if len(docs) <= MAX_ARTICLES_FOR_SIMILARITY else None
    return ArticleTerms(terms=top, similarity=similarity, languages=article_languages(units))


def terms_table(terms: ArticleTerms, names: dict[str, str], max_articles: int = 12) -> pd.DataFrame:
    """The distinctive terms of the first ``max_articles`` articles side by side, one column each ("term (score)").

    An article with fewer terms (one of numbers and links has none) gets empty cells, not an error.
    """
    shown = list(terms.terms)[:max_articles]
    rows = max((len(terms.terms[doc]) for doc in shown), default=0)
    return pd.DataFrame({names.get(doc, doc): [f"{t} ({s:.2f})" for t, s in terms.terms[doc]] +
                         [""] * (rows - len(terms.terms[doc])) for doc in shown})
