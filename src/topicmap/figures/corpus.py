"""Figures of the corpus: paragraphs per article and paragraph lengths."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from ..language import language_name
from .base import REPORT_WIDTH_IN, language_colour, remove_spines, save_figure

#: Articles shown by name at most; a larger corpus shows the largest ones (the title says so).
MAX_ARTICLES_SHOWN = 30


def plot_paragraphs_per_document(paragraphs, folder: Path, names: dict[str, str] | None = None) -> list[Path]:
    """``corpus_paragraphs_per_document``: paragraphs per article, stacked by language (largest articles)."""
    counts = paragraphs.groupby(["doc", "lang"]).size().unstack(fill_value=0)
    total = len(counts)
    counts = counts.loc[counts.sum(axis=1).sort_values(ascending=False, kind="stable").index[:MAX_ARTICLES_SHOWN]]
    labels = [(names or {}).get(doc, doc) for doc in counts.index]
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN * 0.8, 1.2 + 0.45 * len(counts)))
    left = np.zeros(len(counts))
    for index, lang in enumerate(counts.columns):
        ax.barh(labels, counts[lang], left=left, color=language_colour(lang, index), label=language_name(lang))
        left += counts[lang].to_numpy()
    ax.invert_yaxis()
    ax.set_xlim(0, left.max() * 1.05 if len(left) else 1)
    ax.set_xlabel("paragraphs (count)")
    ax.set_ylabel("article")
    shown = "" if total <= MAX_ARTICLES_SHOWN else f" (the {MAX_ARTICLES_SHOWN} largest of {total} shown)"
    ax.set_title(f"{len(paragraphs)} paragraphs in {total} articles, by paragraph language{shown}")
    # Outside the axes, so that it can never cover a bar.
    ax.legend(title="language", frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    remove_spines(ax)
    fig.tight_layout()
    return save_figure(fig, folder, "corpus_paragraphs_per_document")


def plot_paragraph_lengths(paragraphs, folder: Path) -> list[Path]:
    """``corpus_paragraph_lengths``: distribution of paragraph length in words, one panel per language."""
    groups = sorted(paragraphs.groupby("lang"), key=lambda item: (-len(item[1]), item[0]))[:4]
    longest = int(paragraphs["n_words"].max()) if len(paragraphs) else 1
    bins = np.linspace(0, longest + 1, min(30, longest + 2))
    # One panel per language, sharing the x axis: no overlapping translucent bars to decode.
    fig, axes = plt.subplots(len(groups), 1, figsize=(REPORT_WIDTH_IN * 0.8, 0.9 + 1.6 * len(groups)),
                             sharex=True, squeeze=False)
    for index, (ax, (lang, group)) in enumerate(zip(axes[:, 0], groups)):
        ax.hist(group["n_words"], bins=bins, color=language_colour(lang, index))
        ax.set_ylabel("paragraphs")
        ax.set_title(f"{language_name(lang)}: {len(group)} paragraphs, median {group['n_words'].median():.0f} words",
                     fontsize=9, loc="left")
        remove_spines(ax)
    axes[-1, 0].set_xlabel("paragraph length (words)")
    fig.suptitle("Paragraph length distribution, by language")
    fig.tight_layout()
    return save_figure(fig, folder, "corpus_paragraph_lengths")
