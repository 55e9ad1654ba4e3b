"""Step 3a of the chain: each article's most distinctive terms (TF-IDF) and how alike the articles are.

An article is one file; its text is the preprocessed tokens of its paragraphs. Unigrams and
bigrams are counted inside each paragraph and summed per article, so that no bigram spans
two paragraphs; inverse document frequency is then taken over articles (smoothed, as
scikit-learn's ``TfidfVectorizer`` does) and each article's vector is L2-normalised.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from .config import Settings
from .preprocessing import preprocessor_from, readable


@dataclass
class ArticleTerms:
    """Each article's top TF-IDF terms with scores, and the article-by-article cosine similarity."""

    #: article id -> [(term, score), ...], best first; terms in readable surface forms
    terms: dict[str, list[tuple[str, float]]]
    #: articles x articles cosine similarity of their TF-IDF vectors (1 on the diagonal)
    similarity: pd.DataFrame
    #: article id -> the language most of its paragraphs are in
    languages: dict[str, str] = field(default_factory=dict)


def ngram_counter() -> CountVectorizer:
    """Counts unigrams and bigrams of preprocessed token strings (tokens are split on spaces)."""
    return CountVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2))


def main_languages(paragraphs: pd.DataFrame) -> dict[str, str]:
    """The language most paragraphs of each article are in (ties: alphabetical)."""
    counts = paragraphs.groupby(["doc", "lang"]).size().reset_index(name="n")
    counts = counts.sort_values(["doc", "n", "lang"], ascending=[True, False, True])
    return dict(counts.drop_duplicates("doc")[["doc", "lang"]].itertuples(index=False, name=None))


def article_tfidf(paragraphs: pd.DataFrame, settings: Settings) -> tuple[list[str], sparse.csr_matrix, list[str]]:
    """Article ids (sorted), their L2-normalised TF-IDF matrix, and the (possibly stemmed) terms."""
    if paragraphs.empty:
        raise ValueError("no paragraphs: TF-IDF needs at least one article with text")
    preprocessor = preprocessor_from(settings)
    token_strings = preprocessor.transform(paragraphs["text"].tolist(), paragraphs["lang"].tolist())
    counter = ngram_counter()
    try:
        paragraph_counts = counter.fit_transform(token_strings)
    except ValueError as error:  # scikit-learn's "empty vocabulary"
        raise ValueError(
            "no term left after preprocessing: every word is a stop word or too short; "
            "check the corpus language and settings.domain_stop_words"
        ) from error
    docs = sorted(paragraphs["doc"].unique())
    row_of_doc = {doc: i for i, doc in enumerate(docs)}
    rows = paragraphs["doc"].map(row_of_doc).to_numpy()
    membership = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, np.arange(len(rows)))), shape=(len(docs), len(rows))
    )
    article_counts = membership @ paragraph_counts
    tfidf = TfidfTransformer(norm="l2", smooth_idf=True).fit_transform(article_counts)
    return docs, sparse.csr_matrix(tfidf), counter.get_feature_names_out().tolist()


def top_terms(row: np.ndarray, terms: list[str], n: int) -> list[tuple[str, float]]:
    """The ``n`` highest-scoring positive terms of one row, ties broken alphabetically."""
    order = sorted((i for i in np.flatnonzero(row > 0)), key=lambda i: (-round(float(row[i]), 12), terms[i]))
    return [(terms[i], float(row[i])) for i in order[:n]]


def cosine_similarity_table(tfidf: sparse.csr_matrix, docs: list[str]) -> pd.DataFrame:
    """Cosine similarity of L2-normalised rows; an article with no term is similar only to itself."""
    similarity = np.asarray((tfidf @ tfidf.T).todense(), dtype=float)
    np.fill_diagonal(similarity, 1.0)
    similarity = np.clip((similarity + similarity.T) / 2, 0.0, 1.0)
    return pd.DataFrame(similarity, index=pd.Index(docs, name="doc"), columns=pd.Index(docs, name="doc"))


def article_terms(paragraphs: pd.DataFrame, settings: Settings) -> ArticleTerms:
    """Each article's ``settings.n_terms_per_article`` most distinctive terms and the similarity matrix."""
    docs, tfidf, terms = article_tfidf(paragraphs, settings)
    preprocessor = preprocessor_from(settings)
    dense = tfidf.toarray()
    top = {}
    for i, doc in enumerate(docs):
        # Surface forms from this article alone: a stem shared across languages ("technolog")
        # is written as this article wrote it.
        own = paragraphs[paragraphs["doc"] == doc]
        forms = preprocessor.display_forms(own["text"].tolist(), own["lang"].tolist())
        top[doc] = [(readable(term, forms), score) for term, score in top_terms(dense[i], terms, settings.n_terms_per_article)]
    return ArticleTerms(terms=top, similarity=cosine_similarity_table(tfidf, docs), languages=main_languages(paragraphs))
