"""Metrics, step 5: how much of each group's coverage a theme takes, with its uncertainty.

The view of the R package ``stm``'s ``estimateEffect`` for a categorical covariate: the expected share
of a group's units (a language, an article) in each theme, here with a percentile bootstrap interval
(units resampled within each group, seeded). A resampled share is a binomial count over the group's
size, so it is drawn as one (the same distribution as resampling units, in memory that does not grow with
the corpus). A difference between two groups is a finding only when its interval excludes zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Bootstrap resamples; 2,000 keeps the 95% interval's ends stable to about a percentage point.
N_BOOTSTRAP = 2000


def prevalence_by_group(labels: np.ndarray, groups: np.ndarray, seed: int, n_boot: int = N_BOOTSTRAP) -> pd.DataFrame:
    """Per (theme, group): units, share of the group's units in the theme, and its 95% bootstrap interval."""
    labels, groups = np.asarray(labels), np.asarray(groups).astype(str)
    rng = np.random.RandomState(seed)
    rows = []
    for group in sorted(set(groups.tolist())):
        members = labels[groups == group]
        for theme in sorted(set(labels.tolist())):
            hits = int((members == theme).sum())
            boot = rng.binomial(len(members), hits / len(members), size=n_boot) / len(members)
            low, high = np.percentile(boot, [2.5, 97.5])
            rows.append({"theme": int(theme), "group": group, "units": hits, "group_units": len(members),
                         "share": hits / len(members), "low": float(low), "high": float(high)})
    return pd.DataFrame(rows)


def share_difference(in_theme: np.ndarray, groups: np.ndarray, first: str, second: str, seed: int,
                     n_boot: int = N_BOOTSTRAP) -> tuple[float, float, float]:
    """Share of ``first``'s units in a theme minus ``second``'s, with a 95% bootstrap interval (NaN if a group is empty)."""
    in_theme, groups = np.asarray(in_theme, dtype=float), np.asarray(groups).astype(str)
    a, b = in_theme[groups == first], in_theme[groups == second]
    if len(a) == 0 or len(b) == 0:
        return float("nan"), float("nan"), float("nan")
    rng = np.random.RandomState(seed)
    boot = rng.binomial(len(a), a.mean(), n_boot) / len(a) - rng.binomial(len(b), b.mean(), n_boot) / len(b)
    low, high = np.percentile(boot, [2.5, 97.5])
    return float(a.mean() - b.mean()), float(low), float(high)


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
