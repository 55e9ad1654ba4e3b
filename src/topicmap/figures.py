"""Every figure of the notebooks and the report: one function per figure, matplotlib, deterministic.

Each ``plot_*`` function takes computed results and a folder, writes ``<name>.png`` (report)
and ``<name>.svg`` (print), and returns the written paths. The notebook and the command line
call the same functions. Style follows scikit-learn's NMF/LDA gallery example: small
horizontal bar panels, words sorted by weight, spines removed, a title that says what is shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np

from .outputs import atomic_path

#: Okabe-Ito, the colour-blind-safe palette; LANGUAGE_COLOURS keeps fr/en fixed across figures.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
LANGUAGE_COLOURS = {"fr": "#0072B2", "en": "#E69F00"}
SEQUENTIAL_CMAP = "viridis"
REPORT_WIDTH_IN = 10.0

# Deterministic output: fixed SVG ids and hash salt, no creation date in PNG/SVG metadata.
plt.rcParams.update({
    "svg.hashsalt": "topicmap",
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 10,
    "axes.titlesize": 11,
    "figure.titlesize": 13,
})
_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}


def language_colour(lang: str, index: int = 0) -> str:
    """Fixed colour for French and English, palette colours for any other language."""
    return LANGUAGE_COLOURS.get(lang, PALETTE[(index + 2) % len(PALETTE)])


def save_figure(fig: plt.Figure, folder: Path, name: str) -> list[Path]:
    """Save ``fig`` as ``<folder>/<name>.png`` and ``.svg`` atomically, close it, return the paths."""
    folder = Path(folder)
    paths = []
    for fmt in ("png", "svg"):
        target = folder / f"{name}.{fmt}"
        with atomic_path(target) as tmp:
            fig.savefig(tmp, format=fmt, bbox_inches="tight", metadata=_METADATA[fmt])
        paths.append(target)
    plt.close(fig)
    return paths


def bar_grid(
    panels: Sequence[tuple[str, Sequence[tuple[str, float]]]],
    title: str,
    xlabel: str,
    n_cols: int = 4,
    colours: Sequence[str] | None = None,
) -> plt.Figure:
    """Horizontal bar panels, one per (panel title, [(word, weight), ...]), heaviest word on top."""
    n = max(len(panels), 1)
    n_cols = min(n_cols, n)
    n_rows = int(np.ceil(n / n_cols))
    fig, axes = plt.subplots(
        n_rows, n_cols, figsize=(REPORT_WIDTH_IN, 0.4 + 2.9 * n_rows), sharex=False, squeeze=False
    )
    for index, ax in enumerate(axes.flat):
        if index >= len(panels):
            ax.set_visible(False)
            continue
        panel_title, words = panels[index]
        labels = [w for w, _ in words][::-1]
        weights = [float(s) for _, s in words][::-1]
        colour = colours[index % len(colours)] if colours else PALETTE[0]
        ax.barh(labels, weights, height=0.7, color=colour)
        ax.set_title(panel_title, fontdict={"fontsize": 10})
        ax.tick_params(axis="both", which="major", labelsize=8)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel(xlabel, fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def heatmap(
    values: np.ndarray,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    title: str,
    xlabel: str,
    ylabel: str,
    colorbar_label: str,
    fmt: str = "{:.2f}",
    vmin: float | None = None,
    vmax: float | None = None,
) -> plt.Figure:
    """An annotated heatmap (value written in each cell), sized to the report width."""
    values = np.asarray(values, dtype=float)
    n_rows, n_cols = values.shape
    width = min(REPORT_WIDTH_IN, 2.5 + 0.9 * n_cols)
    height = min(12.0, 1.6 + 0.45 * n_rows)
    fig, ax = plt.subplots(figsize=(width, height))
    image = ax.imshow(values, cmap=SEQUENTIAL_CMAP, aspect="auto", vmin=vmin, vmax=vmax)
    ax.set_xticks(range(n_cols), labels=col_labels, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(n_rows), labels=row_labels, fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    threshold = np.nanmean(values) if values.size else 0
    for i in range(n_rows):
        for j in range(n_cols):
            ax.text(j, i, fmt.format(values[i, j]), ha="center", va="center", fontsize=7,
                    color="white" if values[i, j] < threshold else "black")
    fig.colorbar(image, ax=ax, label=colorbar_label, shrink=0.8)
    fig.tight_layout()
    return fig


# --- corpus figures ---------------------------------------------------------------------------


def plot_paragraphs_per_document(paragraphs, folder: Path) -> list[Path]:
    """``corpus_paragraphs_per_document``: paragraphs per article, stacked by language."""
    counts = paragraphs.groupby(["doc", "lang"]).size().unstack(fill_value=0).sort_index()
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN * 0.8, 0.8 + 0.5 * len(counts)))
    left = np.zeros(len(counts))
    for index, lang in enumerate(counts.columns):
        ax.barh(counts.index, counts[lang], left=left, color=language_colour(lang, index), label=lang)
        left += counts[lang].to_numpy()
    ax.invert_yaxis()
    ax.set_xlabel("paragraphs (count)")
    ax.set_ylabel("article (file)")
    ax.set_title(f"{len(paragraphs)} paragraphs in {len(counts)} articles, by paragraph language")
    ax.legend(title="language", frameon=False, loc="lower right")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return save_figure(fig, folder, "corpus_paragraphs_per_document")


def plot_paragraph_lengths(paragraphs, folder: Path) -> list[Path]:
    """``corpus_paragraph_lengths``: distribution of paragraph length in words, per language."""
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN * 0.8, 3.6))
    longest = int(paragraphs["n_words"].max()) if len(paragraphs) else 1
    bins = np.linspace(0, longest + 1, min(30, longest + 2))
    for index, (lang, group) in enumerate(sorted(paragraphs.groupby("lang"), key=lambda item: item[0])):
        ax.hist(group["n_words"], bins=bins, alpha=0.6, color=language_colour(lang, index),
                label=f"{lang} (median {group['n_words'].median():.0f})")
    ax.set_xlabel("paragraph length (words)")
    ax.set_ylabel("paragraphs (count)")
    ax.set_title("Paragraph length distribution, by language")
    ax.legend(title="language", frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return save_figure(fig, folder, "corpus_paragraph_lengths")


# --- TF-IDF and NMF figures -------------------------------------------------------------------


# --- BERTopic figures -------------------------------------------------------------------------


# --- evaluation figures -----------------------------------------------------------------------
