"""Metrics, step 5: how much of each language's coverage a theme takes, with its uncertainty.

The view of the R package ``stm``'s ``estimateEffect`` for a categorical covariate, the language: the share
of a language's paragraphs in each theme, with a 95% percentile bootstrap interval in which **articles** are
resampled within the language (``metrics.covariates``, as for source and period): the paragraphs of one
article are not independent, and resampling paragraphs makes an interval too narrow wherever a theme sits in
a few articles. A language of fewer than ``covariates.MIN_DOCUMENTS`` articles gets no interval, and then no
difference between the languages can be estimated. A difference is a finding only when its interval clears
zero at the precision the report shows (``covariates.clears_zero``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .covariates import change_between, prevalence_by_covariate


def prevalence_by_language(labels: np.ndarray, docs: np.ndarray, langs: np.ndarray, seed: int,
                           themes: list[int] | None = None) -> pd.DataFrame:
    """Per (language, theme): articles and paragraphs of the language, the theme's share of its paragraphs and a
    95% interval with the articles resampled (``estimated`` False, no interval, below ``MIN_DOCUMENTS`` articles).
    A unit counts for the language it is written in: an article with paragraphs in both counts in both.
    ``themes``: every theme to give a row, those without a paragraph in these languages included (share 0)."""
    langs = np.asarray(langs).astype(str)
    return prevalence_by_covariate(labels, docs, langs, langs, seed, themes=themes).drop(columns="one_language")


def language_difference(labels: np.ndarray, docs: np.ndarray, langs: np.ndarray, first: str, second: str,
                        theme: int, seed: int) -> tuple[float, float, float]:
    """The theme's share of ``first``'s paragraphs minus of ``second``'s, with a 95% interval (articles resampled
    within each language)."""
    return change_between(labels, docs, np.asarray(langs).astype(str), second, first, theme, seed)


#: Two documents are alike when their shares over the themes have at least this cosine.
COUNTERPART_COSINE = 0.5


def documents_without_counterpart(docs: np.ndarray, langs: np.ndarray, labels: np.ndarray) -> set[str]:
    """Documents that no document of another language resembles: their shares of paragraphs over the
    themes (outliers included) have a cosine below ``COUNTERPART_COSINE`` with every document whose main
    language differs. A theme that one language has more of only through such documents (licences in
    English, man pages in French) says what kinds of documents each language holds, not how the
    languages cover one subject: the comparison is confounded.
    """
    frame = pd.DataFrame({"doc": np.asarray(docs).astype(str), "lang": np.asarray(langs).astype(str),
                          "theme": np.asarray(labels)})
    shares = pd.crosstab(frame["doc"], frame["theme"], normalize="index")
    main_lang = frame.groupby("doc")["lang"].agg(lambda s: s.value_counts().index[0]).reindex(shares.index)
    unit = shares.to_numpy() / np.linalg.norm(shares.to_numpy(), axis=1, keepdims=True)
    similarity = unit @ unit.T
    alone = set()
    for i, doc in enumerate(shares.index):
        others = (main_lang != main_lang.iloc[i]).to_numpy()
        if not others.any() or similarity[i, others].max() < COUNTERPART_COSINE:
            alone.add(str(doc))
    return alone
