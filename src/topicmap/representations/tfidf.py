"""Representations, step 3: each article's most distinctive terms (TF-IDF) and how alike the articles are.

An article is one file; its term counts are the sums of its units' counts from the one tokenization
(``Representations.counts``: content words and real n-grams, never spanning two paragraphs). Inverse
document frequency is taken over articles (smoothed, as scikit-learn's ``TfidfTransformer`` does)
and each article's vector is L2-normalised. Similarity is only computed for corpora small enough to
read an article-by-article matrix with names; every corpus gets its articles grouped (``ArticleGroups``):
ordered so that alike articles stand together, cut into a few groups named by their terms, with the
similarity matrix in that order (averaged over bins of consecutive articles in large corpora).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from .tokens import readable

#: Above this many articles no named article x article matrix is kept (its size grows with the square).
MAX_ARTICLES_FOR_SIMILARITY = 60
#: The grouped similarity matrix is kept at most this many rows a side: beyond, consecutive articles (in the
#: grouped order) are averaged in bins, which no printed figure could tell apart anyway.
MAX_SIMILARITY_SIDE = 200
#: Articles grouped at most (the distance matrix grows with the square): beyond, a seeded sample.
MAX_ARTICLES_GROUPED = 3000
#: A group holds at least this share of the articles (and two of them); smaller ones join "the rest".
MIN_GROUP_SHARE = 0.035


@dataclass
class ArticleGroups:
    """The articles ordered so that alike ones stand together, cut into groups, and their similarity.

    Ward clustering of the articles' TF-IDF vectors reduced by LSA (their cosine), its leaves in order; cut
    into about the square root of their number of groups (at most 12), the groups of fewer than ``MIN_GROUP_SHARE`` of the articles put together last as
    group 0 ("the rest"). ``matrix`` is the TF-IDF cosine similarity in that order, each row and column a bin
    of ``bin_size`` consecutive articles (the last one may hold fewer).
    """

    #: article ids, alike ones together; the groups in order, the rest last
    order: list[str]
    #: the group of each article of ``order`` (1, 2, ... in order; 0: the rest)
    groups: list[int]
    #: group -> its most distinctive terms (the mean TF-IDF of its articles), readable forms
    terms: dict[int, list[str]]
    matrix: np.ndarray
    bin_size: int = 1
    #: articles in the corpus (more than ``len(order)`` when only a sample was grouped)
    n_articles: int = 0

    def to_json(self) -> dict:
        return {"order": self.order, "groups": self.groups, "terms": {str(k): v for k, v in self.terms.items()},
                "matrix": np.round(self.matrix, 4).tolist(), "bin_size": self.bin_size,
                "n_articles": self.n_articles}

    @classmethod
    def from_json(cls, data: dict) -> "ArticleGroups":
        return cls(order=[str(d) for d in data["order"]], groups=[int(g) for g in data["groups"]],
                   terms={int(k): [str(t) for t in v] for k, v in data["terms"].items()},
                   matrix=np.array(data["matrix"], dtype=float), bin_size=int(data["bin_size"]),
                   n_articles=int(data.get("n_articles", len(data["order"]))))


@dataclass
class ArticleTerms:
    """Each article's top TF-IDF terms with scores, and (small corpora) the article similarity matrix."""

    #: article id -> [(term, score), ...], best first; terms in readable surface forms
    terms: dict[str, list[tuple[str, float]]]
    #: articles x articles cosine similarity of their TF-IDF vectors (1 on the diagonal); None when too many
    similarity: pd.DataFrame | None
    #: article id -> the language most of its units are in
    languages: dict[str, str] = field(default_factory=dict)
    #: the articles grouped and ordered by similarity (None in results written before it existed)
    groups: ArticleGroups | None = None

    def to_json(self) -> dict:
        similarity = None if self.similarity is None else {
            "articles": list(self.similarity.index), "matrix": self.similarity.round(6).to_numpy().tolist()}
        return {"terms": {doc: [[term, round(float(score), 6)] for term, score in terms] for doc, terms in self.terms.items()},
                "similarity": similarity, "languages": self.languages,
                "groups": None if self.groups is None else self.groups.to_json()}

    def similarity_within_and_across_languages(self) -> tuple[float, float]:
        """The mean cosine of pairs of articles in one language and of pairs in two (NaN where there is no such
        pair, or no matrix): how much of the similarity matrix is the languages rather than the subjects."""
        if self.similarity is None:
            return float("nan"), float("nan")
        docs = list(self.similarity.index)
        langs = np.array([self.languages.get(doc, "") for doc in docs])
        upper = np.triu(np.ones((len(docs), len(docs)), dtype=bool), k=1)
        same = (langs[:, None] == langs[None, :]) & upper
        values = self.similarity.to_numpy()
        mean = lambda mask: float(values[mask].mean()) if mask.any() else float("nan")  # noqa: E731
        return mean(same), mean(upper & ~same)

    @classmethod
    def from_json(cls, data: dict) -> "ArticleTerms":
        similarity = data.get("similarity")
        if similarity is not None:
            docs = pd.Index([str(doc) for doc in similarity["articles"]], name="doc")
            similarity = pd.DataFrame(np.array(similarity["matrix"], dtype=float).reshape(len(docs), len(docs)),
                                      index=docs, columns=docs.copy())
        return cls(terms={str(doc): [(str(t), float(s)) for t, s in terms] for doc, terms in data["terms"].items()},
                   similarity=similarity, languages={str(k): str(v) for k, v in data.get("languages", {}).items()},
                   groups=ArticleGroups.from_json(data["groups"]) if data.get("groups") else None)


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
    groups = article_groups(tfidf, docs, terms, representations) if len(docs) >= 3 else None
    return ArticleTerms(terms=top, similarity=similarity, languages=article_languages(units), groups=groups)


def article_groups(tfidf: sparse.csr_matrix, docs: list[str], terms: list[str], representations,
                   seed: int = 0) -> ArticleGroups:
    """The articles ordered and grouped by their TF-IDF similarity (``ArticleGroups``)."""
    from scipy.cluster.hierarchy import fcluster, leaves_list, linkage
    from sklearn.decomposition import TruncatedSVD

    n_articles = len(docs)
    rows = np.arange(n_articles)
    if n_articles > MAX_ARTICLES_GROUPED:
        rows = np.sort(np.random.RandomState(seed).choice(n_articles, MAX_ARTICLES_GROUPED, replace=False))
    vectors = tfidf[rows]
    n_components = min(100, len(rows) - 1, vectors.shape[1] - 1)
    reduced = (TruncatedSVD(n_components=n_components, random_state=seed).fit_transform(vectors)
               if n_components >= 2 else vectors.toarray())
    reduced = reduced / np.linalg.norm(reduced, axis=1, keepdims=True).clip(1e-12)
    tree = linkage(reduced, method="ward")
    leaves = leaves_list(tree)
    wanted = int(np.clip(round(np.sqrt(len(rows))), 2, 12))
    cluster = fcluster(tree, t=wanted, criterion="maxclust")
    sizes = pd.Series(cluster).value_counts()
    small = max(2, int(np.ceil(MIN_GROUP_SHARE * len(rows))))
    kept_clusters = [c for c in pd.unique(cluster[leaves]) if sizes[c] >= small]
    number = {c: i + 1 for i, c in enumerate(kept_clusters)}
    group_of = np.array([number.get(c, 0) for c in cluster])
    ordered = [i for c in kept_clusters for i in leaves if cluster[i] == c] + [i for i in leaves if group_of[i] == 0]
    ordered = np.array(ordered, dtype=int)
    similarity = np.asarray((vectors[ordered] @ vectors[ordered].T).todense(), dtype=float)
    np.fill_diagonal(similarity, 1.0)
    bin_size = int(np.ceil(len(ordered) / MAX_SIMILARITY_SIDE))
    if bin_size > 1:
        edges = np.arange(0, len(ordered), bin_size)
        similarity = np.add.reduceat(np.add.reduceat(similarity, edges, axis=0), edges, axis=1)
        counts = np.diff(np.append(edges, len(ordered)))
        similarity /= np.outer(counts, counts)
    doc_of_unit = representations.units["doc"].astype(str).to_numpy()
    group_terms = {}
    for group in sorted(set(group_of[ordered].tolist())):
        members = rows[group_of == group]
        mean = np.asarray(tfidf[members].mean(axis=0)).ravel()
        forms = representations.display_forms(np.flatnonzero(np.isin(doc_of_unit, [docs[i] for i in members])))
        group_terms[group] = [readable(term, forms) for term, _ in top_terms(mean, terms, 3)]
    return ArticleGroups(order=[docs[rows[i]] for i in ordered], groups=group_of[ordered].tolist(), terms=group_terms,
                         matrix=similarity, bin_size=bin_size, n_articles=n_articles)


def terms_table(terms: ArticleTerms, names: dict[str, str], max_articles: int = 12) -> pd.DataFrame:
    """The distinctive terms of the first ``max_articles`` articles side by side, one column each ("term (score)").

    An article with fewer terms (one of numbers and links has none) gets empty cells, not an error.
    """
    shown = list(terms.terms)[:max_articles]
    rows = max((len(terms.terms[doc]) for doc in shown), default=0)
    return pd.DataFrame({names.get(doc, doc): [f"{t} ({s:.2f})" for t, s in terms.terms[doc]] +
                         [""] * (rows - len(terms.terms[doc])) for doc in shown})
