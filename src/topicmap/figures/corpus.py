"""Figures of the corpus: paragraphs per article and paragraph lengths."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from ..language import language_name
from .base import REPORT_WIDTH_IN, language_colour, remove_spines, save_figure

#: Articles drawn one bar each, by name, at most; a larger corpus gets the distribution of every article's
#: count instead (the report's table names the largest articles).
MAX_ARTICLES_SHOWN = 20


def plot_paragraphs_per_document(paragraphs, folder: Path, names: dict[str, str] | None = None) -> list[Path]:
    """``corpus_paragraphs_per_document``: paragraphs per article, stacked by paragraph language, one bar per
    article up to ``MAX_ARTICLES_SHOWN`` articles; beyond, how many articles have how many paragraphs, by the
    language most of an article's paragraphs are in: every article counted, at any corpus size."""
    counts = paragraphs.groupby(["doc", "lang"]).size().unstack(fill_value=0)
    total = len(counts)
    if total > MAX_ARTICLES_SHOWN:
        return _paragraphs_per_document_distribution(paragraphs, counts, folder)
    counts = counts.loc[counts.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    labels = [shorten((names or {}).get(doc, doc), 48) for doc in counts.index]
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN * 0.8, 1.3 + 0.3 * len(counts)))
    left = np.zeros(len(counts))
    for index, lang in enumerate(counts.columns):
        ax.barh(labels, counts[lang], left=left, color=language_colour(lang, index), label=language_name(lang))
        left += counts[lang].to_numpy()
    ax.invert_yaxis()
    ax.set_xlim(0, left.max() * 1.05 if len(left) else 1)
    ax.set_xlabel("paragraphs (count)")
    ax.set_ylabel("article")
    ax.set_title(f"{len(paragraphs)} paragraphs in {total} articles, by paragraph language")
    # Outside the axes, so that it can never cover a bar.
    ax.legend(title="language", frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    remove_spines(ax)
    fig.tight_layout()
    return save_figure(fig, folder, "corpus_paragraphs_per_document")


def shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def _paragraphs_per_document_distribution(paragraphs, counts, folder: Path) -> list[Path]:
    sizes = counts.sum(axis=1)
    main = counts.idxmax(axis=1)
    langs = main.value_counts().index.tolist()
    largest = int(sizes.max())
    bins = np.arange(0.5, largest + 1.5, max(1, int(np.ceil(largest / 40))))
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN * 0.8, 3.6))
    stacked = [sizes[main == lang].to_numpy() for lang in langs]
    ax.hist(stacked, bins=bins, stacked=True, color=[language_colour(lang, i) for i, lang in enumerate(langs)],
            label=[f"{language_name(lang)} ({len(values)})" for lang, values in zip(langs, stacked)])
    ax.set_xlim(0, bins[-1] + 0.5)
    ax.set_xlabel("paragraphs in the article")
    ax.set_ylabel("articles")
    ax.set_title(f"{len(paragraphs)} paragraphs in {len(counts)} articles: how many each article has "
                 f"(median {sizes.median():.0f}, largest {largest})", fontsize=10)
    ax.legend(title="article's main language (articles)", frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
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
