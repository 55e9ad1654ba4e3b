"""Metrics, step 7: what each article is made of — its mix of themes (stm's document-topic proportions, θ).

The primary model gives each unit one theme; an article's mix is the share of its units in each theme, and the
share of its words (a long paragraph weighs more than a caption-length one). At the document unit an article is
one unit, so its mix is its theme. Written as ``results/article_themes.csv``: one row per article, each group of
shares summing to 1 (outliers, BERTopic's -1, as a column of their own when there are any).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..topics.base import OUTLIER

ARTICLE_THEMES_FILE = "article_themes.csv"


def theme_column(theme: int, prefix: str = "share") -> str:
    """The column of a theme's share: ``share_3``, ``word_share_3``, and ``share_outliers`` for -1."""
    return f"{prefix}_{'outliers' if theme == OUTLIER else theme}"


def article_theme_mix(units: pd.DataFrame, labels: np.ndarray) -> pd.DataFrame:
    """Per article (``doc``, largest first, ties by name): its units and words, then the share of its units in each
    theme (``share_<theme>``) and of its words (``word_share_<theme>``). ``units`` is the model's table of units
    (``doc`` and ``text``, and ``article``, the name a reader knows it by, when present), aligned with ``labels``."""
    frame = pd.DataFrame({"doc": units["doc"].astype(str).to_numpy(), "theme": np.asarray(labels, dtype=int),
                          "words": units["text"].astype(str).str.split().str.len().to_numpy()})
    themes = sorted(set(frame["theme"].tolist()) - {OUTLIER}) + ([OUTLIER] if (frame["theme"] == OUTLIER).any() else [])
    counts = pd.crosstab(frame["doc"], frame["theme"]).reindex(columns=themes, fill_value=0)
    words = frame.pivot_table(index="doc", columns="theme", values="words", aggfunc="sum", fill_value=0
                              ).reindex(index=counts.index, columns=themes, fill_value=0)
    table = pd.DataFrame({"doc": counts.index, "units": counts.sum(axis=1).to_numpy(),
                          "words": words.sum(axis=1).to_numpy()})
    if "article" in units:
        names = dict(zip(units["doc"].astype(str), units["article"].astype(str)))
        table.insert(1, "article", table["doc"].map(names))
    unit_shares = counts.to_numpy() / np.maximum(counts.sum(axis=1).to_numpy()[:, None], 1)
    word_shares = words.to_numpy() / np.maximum(words.sum(axis=1).to_numpy()[:, None], 1)
    # every column at once: one column per theme added one by one fragments the frame (hundreds of themes)
    shares = {theme_column(theme): np.round(unit_shares[:, index], 6) for index, theme in enumerate(themes)}
    shares.update({theme_column(theme, "word_share"): np.round(word_shares[:, index], 6)
                   for index, theme in enumerate(themes)})
    table = pd.concat([table, pd.DataFrame(shares, index=table.index)], axis=1)
    return table.sort_values(["units", "doc"], ascending=[False, True], kind="stable").reset_index(drop=True)


def articles_resting_most(mix: pd.DataFrame, theme: int, n: int = 3) -> pd.DataFrame:
    """The articles a theme rests on most: those holding the most of its units (``units`` of the theme), with the
    share of the article it takes. Ties go to the larger article, then the name."""
    column = theme_column(theme)
    held = mix.assign(in_theme=(mix[column] * mix["units"]).round().astype(int))
    held = held[held["in_theme"] > 0]
    return held.sort_values(["in_theme", "units", "doc"], ascending=[False, False, True], kind="stable").head(n)
