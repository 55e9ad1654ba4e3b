"""The figure comparing every evaluated model on the same measures."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from ..metrics.evaluation import MEASURE_NAMES, shown_number
from .base import PALETTE, REPORT_WIDTH_IN, remove_spines, save_figure

#: Metric key -> axis label, in the order the comparison figure shows them: each measure's one name
#: (``metrics.evaluation.MEASURE_NAMES``), with its range or direction where that helps.
COMPARED_METRICS = {key: MEASURE_NAMES[key] + suffix for key, suffix in (
    ("cross_lingual_pair_agreement", ""), ("bilingual_topic_share", ""), ("stability_ari", ""),
    ("stability_word_overlap", ""), ("npmi_by_language", " (−1…1)"), ("topic_diversity", ""),
    ("outlier_share", " (lower is better)"))}


def _shown_metrics(evaluation: dict) -> dict[str, str]:
    """The compared measures that tell the models apart: a measure that is zero for every model (no model
    leaves outliers) is left out rather than drawn as a group of empty bars."""
    return {key: label for key, label in COMPARED_METRICS.items()
            if any(np.nan_to_num(float(model.get(key, np.nan))) != 0 for model in evaluation["models"].values())}


def plot_model_comparison(evaluation: dict, folder: Path, names: dict[str, str]) -> list[Path]:
    """``evaluation_model_comparison``: every evaluation measure, one group of bars per measure."""
    models, shown = list(evaluation["models"]), _shown_metrics(evaluation)
    legend_rows = (len(models) + 1) // 2
    # bars of 0.16 in: seven measures of five models print within half a page (``base.PRINT_HALF_PAGE_IN``), so the
    # figure never leaves a half-empty page behind it when it moves to the next one
    fig_height = 1.2 + 0.16 * len(shown) * max(1, len(models)) + 0.22 * legend_rows
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN, fig_height))
    height = 0.8 / max(len(models), 1)
    positions = np.arange(len(shown))
    for index, name in enumerate(models):
        values = np.nan_to_num(np.asarray([evaluation["models"][name].get(key, np.nan) for key in shown],
                                          dtype=float), nan=0.0)
        bars = ax.barh(positions + index * height, values, height=height, color=PALETTE[index % len(PALETTE)],
                       label=f"{names.get(name, name)} ({evaluation['models'][name]['n_topics']} themes)")
        for bar, value in zip(bars, values):
            ax.text(max(value, 0) + 0.01, bar.get_y() + bar.get_height() / 2, shown_number(value), va="center", fontsize=10)
    ax.set_yticks(positions + height * (len(models) - 1) / 2, labels=list(shown.values()), fontsize=10)
    ax.invert_yaxis()
    ax.set_xlim(min(0.0, ax.get_xlim()[0]), 1.1)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_xlabel("score (higher is better" + (", except outlier share)" if "outlier_share" in shown else ")"))
    ax.set_title(f"Every model on the same measures (stability over {len(evaluation['seeds'])} seeds)")
    # The legend sits in its own band at the foot of the figure, sized by its rows (not a fraction of the axes,
    # which left a gap that grew with the figure)
    fig.legend(*ax.get_legend_handles_labels(), frameon=False, loc="lower center", fontsize=10, ncol=2)
    remove_spines(ax)
    fig.tight_layout(rect=(0, (0.1 + 0.22 * legend_rows) / fig_height, 1, 1))
    return save_figure(fig, folder, "evaluation_model_comparison")
