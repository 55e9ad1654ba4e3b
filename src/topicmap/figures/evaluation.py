"""The figure comparing every evaluated model on the same measures."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from .base import PALETTE, REPORT_WIDTH_IN, remove_spines, save_figure

#: Metric key -> axis label, in the order the comparison figure shows them.
COMPARED_METRICS = {
    "cross_lingual_pair_agreement": "fr/en nearest pairs in one theme",
    "bilingual_topic_share": "themes holding both languages",
    "stability_ari": "stability: ARI across seeds",
    "stability_word_overlap": "stability: word overlap across seeds",
    "npmi_by_language": "NPMI coherence, per language (−1…1)",
    "topic_diversity": "topic diversity",
    "outlier_share": "outlier share (lower is better)",
}


def plot_model_comparison(evaluation: dict, folder: Path, names: dict[str, str]) -> list[Path]:
    """``evaluation_model_comparison``: every evaluation measure, one group of bars per measure."""
    models = list(evaluation["models"])
    labels = list(COMPARED_METRICS.values())
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN, 1.5 + 0.32 * len(labels) * max(1, len(models))))
    height = 0.8 / max(len(models), 1)
    positions = np.arange(len(labels))
    for index, name in enumerate(models):
        values = np.nan_to_num(np.asarray([evaluation["models"][name].get(key, np.nan) for key in COMPARED_METRICS],
                                          dtype=float), nan=0.0)
        bars = ax.barh(positions + index * height, values, height=height, color=PALETTE[index % len(PALETTE)],
                       label=f"{names.get(name, name)} ({evaluation['models'][name]['n_topics']} themes)")
        for bar, value in zip(bars, values):
            ax.text(max(value, 0) + 0.01, bar.get_y() + bar.get_height() / 2, f"{value:.2f}", va="center", fontsize=7)
    ax.set_yticks(positions + height * (len(models) - 1) / 2, labels=labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(min(0.0, ax.get_xlim()[0]), 1.1)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_xlabel("score (higher is better, except outlier share)")
    ax.set_title(f"Every model on the same measures (stability over {len(evaluation['seeds'])} seeds)")
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.02 * len(models)), fontsize=8, ncol=2)
    remove_spines(ax)
    fig.tight_layout()
    return save_figure(fig, folder, "evaluation_model_comparison")
