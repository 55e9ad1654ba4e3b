"""Figures of the themes against the documents' covariates: over time, and by source."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from ..metrics.covariates import estimable, periods_of, prevalence_by_covariate
from ..topics.base import OUTLIER, TopicResult
from .base import REPORT_WIDTH_IN, remove_spines, save_figure, topic_colour, topic_name, topics_in_order

#: Themes drawn over time at most (the largest); the report's table holds every theme.
MAX_THEMES_OVER_TIME = 8


def _covariate(result: TopicResult, column: str):
    if result.units is None or column not in result.units:
        return None
    return result.units[column].fillna("").astype(str)


def _estimated_prevalence(result: TopicResult, levels):
    """The rows of ``prevalence_by_covariate`` for the levels that can be estimated, or None when the
    covariate cannot be (fewer than two such levels)."""
    prevalence = prevalence_by_covariate(result.labels, result.units["doc"].to_numpy(), levels.to_numpy(),
                                         result.langs, int(result.params.get("random_state", 0)))
    return prevalence[prevalence["estimated"]] if estimable(prevalence) else None


def plot_themes_over_time(result: TopicResult, folder: Path, title_name: str) -> list[Path]:
    """``<model>_themes_over_time``: each theme's share of each period's paragraphs, with 95% intervals
    (documents resampled), and the documents of each period below. Nothing is drawn (no file) when the
    units carry fewer than two periods of ``MIN_DOCUMENTS`` documents: the report says why instead."""
    dates = _covariate(result, "date")
    if dates is None:
        return []
    periods, unit = periods_of(dates)
    shown = _estimated_prevalence(result, periods)
    if shown is None:
        return []
    levels = sorted(shown["level"].unique())
    x = np.arange(len(levels))
    topics = [t for t in topics_in_order(result) if t.id != OUTLIER][:MAX_THEMES_OVER_TIME]
    fig, (ax, count_ax) = plt.subplots(2, 1, figsize=(REPORT_WIDTH_IN * 0.75, 5.4), sharex=True,
                                       gridspec_kw={"height_ratios": [3.2, 1.0]})
    for topic in topics:
        rows = shown[shown["theme"] == topic.id].set_index("level").reindex(levels)
        colour = topic_colour(topic.id)
        ax.plot(x, rows["share"], marker="o", color=colour, label=topic_name(topic, 26))
        ax.fill_between(x, rows["low"], rows["high"], color=colour, alpha=0.12, linewidth=0)
    ax.set_ylabel("share of the period's paragraphs")
    ax.set_ylim(0, None)
    ax.set_title(f"{title_name}: themes per {unit} (95% intervals, documents resampled)")
    ax.legend(title="theme", fontsize=10, title_fontsize=10, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    documents = shown.drop_duplicates("level").set_index("level").reindex(levels)["documents"]
    count_ax.bar(x, documents, color="#888888")
    count_ax.set_ylabel("documents")
    count_ax.set_xticks(x, labels=levels, rotation=90 if len(levels) > 6 else 0, ha="center", fontsize=10)
    for axis in (ax, count_ax):
        remove_spines(axis)
    fig.tight_layout()
    return save_figure(fig, folder, f"{result.name}_themes_over_time")


def plot_themes_by_source(result: TopicResult, folder: Path, title_name: str) -> list[Path]:
    """``<model>_themes_by_source``: each theme's share of each source's paragraphs (sources of ``MIN_DOCUMENTS``
    documents or more, at most 12, the largest), 95% intervals; nothing drawn when fewer than two such sources."""
    sources = _covariate(result, "source")
    if sources is None:
        return []
    shown = _estimated_prevalence(result, sources)
    if shown is None:
        return []
    documents = shown.drop_duplicates("level").set_index("level")["documents"].sort_values(ascending=False, kind="stable")
    levels = documents.index[:12].tolist()
    topics = [t for t in topics_in_order(result) if t.id != OUTLIER][:MAX_THEMES_OVER_TIME]
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN * 0.7, 1.4 + 0.5 * len(topics)))
    offsets = np.linspace(-0.3, 0.3, len(levels)) if len(levels) > 1 else [0.0]
    colours = plt.get_cmap("tab20")(np.linspace(0, 1, max(len(levels), 2)))
    for level, offset, colour in zip(levels, offsets, colours):
        rows = shown[shown["level"] == level].set_index("theme").reindex([t.id for t in topics])
        y = np.arange(len(topics)) + offset
        ax.errorbar(rows["share"], y, xerr=[rows["share"] - rows["low"], rows["high"] - rows["share"]], fmt="o",
                    markersize=3, capsize=2, color=colour, label=f"{level} ({int(documents[level])} documents)")
    ax.set_yticks(range(len(topics)), labels=[topic_name(t, 30) for t in topics], fontsize=10)
    ax.invert_yaxis()
    ax.set_xlim(0, None)
    ax.set_xlabel("share of the source's paragraphs in the theme (95% interval, documents resampled)")
    ax.set_title(f"{title_name}: themes by source")
    # below the plot, in columns: beside it, up to 12 sources' names made the figure so wide that it printed
    # at about half its size, its text under 7 pt
    ax.legend(title="source", fontsize=10, title_fontsize=10, frameon=False, loc="upper center",
              bbox_to_anchor=(0.5, -0.12), ncol=2)
    remove_spines(ax)
    fig.tight_layout()
    return save_figure(fig, folder, f"{result.name}_themes_by_source")
