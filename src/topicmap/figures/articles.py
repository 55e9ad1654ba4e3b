"""Figures of the articles' TF-IDF terms and their similarity."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..language import language_name
from ..representations.tfidf import ArticleGroups, ArticleTerms
from .base import REPORT_WIDTH_IN, bar_grid, heatmap, language_colour, message_figure, save_figure


def shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def article_label(article_terms: ArticleTerms, doc: str, names: dict[str, str] | None = None) -> str:
    """An article's readable name with its main language, e.g. ``China's AI ambitions (English)``."""
    lang = article_terms.languages.get(doc)
    name = (names or {}).get(doc, doc)
    name = name if len(name) <= 40 else name[:39] + "…"
    return f"{name} ({language_name(lang)})" if lang else name


#: Articles whose terms are drawn at most: four rows of two panels fit a printed page.
MAX_ARTICLE_PANELS = 8


def plot_article_terms(article_terms: ArticleTerms, folder: Path, names: dict[str, str] | None = None) -> list[Path]:
    """``tfidf_article_terms``: the most distinctive TF-IDF terms of the first ``MAX_ARTICLE_PANELS`` articles,
    one panel each (the title says how many of how many; notebook 02 tables every article)."""
    docs = list(article_terms.terms)
    shown = docs[:MAX_ARTICLE_PANELS]
    panels = [(article_label(article_terms, doc, names), article_terms.terms[doc]) for doc in shown]
    colours = [language_colour(article_terms.languages.get(doc, ""), i) for i, doc in enumerate(shown)]
    which = "each article" if len(docs) == len(shown) else f"the first {len(shown)} of the {len(docs)} articles (by file name)"
    fig = bar_grid(panels, title=f"Most distinctive terms of {which} (TF-IDF over articles)",
                   xlabel="TF-IDF score", n_cols=2, colours=colours)
    return save_figure(fig, folder, "tfidf_article_terms")


#: Articles named one by one in the similarity matrix at most; more are shown grouped (``ArticleGroups``).
MAX_NAMED_SIMILARITY = 12


def plot_article_similarity(article_terms: ArticleTerms, folder: Path, names: dict[str, str] | None = None) -> list[Path]:
    """``tfidf_article_similarity``: cosine similarity of the articles' TF-IDF vectors.

    Up to ``MAX_NAMED_SIMILARITY`` articles: every pair, named and annotated. More: every article, ordered so that
    alike articles stand together and cut into groups, each named beside its block by its terms and size
    (``plot_grouped_similarity``).
    """
    table, groups = article_terms.similarity, article_terms.groups
    if table is not None and (len(table) <= MAX_NAMED_SIMILARITY or groups is None):
        labels = [article_label(article_terms, doc, names) for doc in table.index]
        fig = heatmap(table.to_numpy(), labels, labels, title="Cosine similarity of the articles' TF-IDF vectors",
                      xlabel="article (main language)", ylabel="article (main language)",
                      colorbar_label="cosine similarity", vmin=0.0, vmax=1.0)
        return save_figure(fig, folder, "tfidf_article_similarity")
    if groups is None:
        fig = message_figure("Article similarity", f"{len(article_terms.terms)} articles, grouped in a later run: "
                                                   "rerun `topicmap report` to draw them.")
        return save_figure(fig, folder, "tfidf_article_similarity")
    return save_figure(plot_grouped_similarity(groups, article_terms.languages), folder, "tfidf_article_similarity")


def plot_grouped_similarity(groups: ArticleGroups, languages: dict[str, str]):
    """The similarity matrix of every article in the grouped order, the groups outlined on the diagonal and
    named on the right at the height of their block: "2: raid, disks, volumes, 12 articles (French)"."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    n = len(groups.order)
    values = groups.matrix.copy()
    off_diagonal = values[~np.eye(len(values), dtype=bool)] if groups.bin_size == 1 else values.ravel()
    top = float(np.ceil(10 * max(np.quantile(off_diagonal, 0.99), 0.1)) / 10) if off_diagonal.size else 1.0
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN * 0.9, 7.6))
    image = ax.imshow(values, cmap="Blues", vmin=0.0, vmax=top, extent=(0, n, n, 0),
                      interpolation="nearest" if groups.bin_size == 1 and n <= 300 else "antialiased")
    members = pd.Series(groups.groups)
    starts = members.ne(members.shift()).to_numpy().nonzero()[0]
    ends = np.append(starts[1:], n)
    ticks, labels = [], []
    for start, end in zip(starts, ends):
        group = groups.groups[start]
        ax.add_patch(Rectangle((start, start), end - start, end - start, fill=False, edgecolor="#D55E00",
                               linewidth=1.2))
        langs = pd.Series([languages.get(doc, "") for doc in groups.order[start:end]]).value_counts()
        lang = ", ".join(f"{k} {code.upper()}" for code, k in langs.head(2).items() if code)
        words = ", ".join(shorten(word, 14) for word in groups.terms.get(group, [])[:3])
        name = f"{group}: {words}" if group else "the rest: groups too small to name"
        ticks.append((start + end) / 2)
        labels.append(f"{name} ({end - start}: {lang})" if lang else f"{name} ({end - start})")
    ax.set_xticks([])
    ax.set_yticks(ticks, labels=labels, fontsize=10)
    ax.yaxis.tick_right()
    ax.tick_params(axis="y", length=0, pad=6)
    sample = "" if groups.n_articles == n else f" (a seeded sample of {n} of the {groups.n_articles})"
    binned = f"; each cell the mean of {groups.bin_size} x {groups.bin_size} pairs" if groups.bin_size > 1 else ""
    ax.set_xlabel(f"the same articles in the same order{sample}{binned}", fontsize=10)
    ax.set_ylabel(f"{'all ' if not sample else ''}{n} articles, alike ones together", fontsize=10)
    ax.set_title(f"Which articles use the same words (cosine similarity of their TF-IDF vectors):\n"
                 f"{len(starts)} groups, outlined, named by their terms (articles: by main language)", fontsize=11)
    fig.colorbar(image, ax=ax, label="cosine similarity" + (f" ({top:.1f} and above: darkest)" if top < 1 else ""),
                 shrink=0.5, pad=0.04, location="bottom", aspect=30)
    fig.tight_layout()
    return fig
