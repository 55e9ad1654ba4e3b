"""The figure of which themes belong together: the themes' tree (``metrics.theme_tree``)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from scipy.cluster.hierarchy import dendrogram

from ..topics.base import TopicResult
from .base import PALETTE, REPORT_WIDTH_IN, message_figure, remove_spines, save_figure, topic_name


def plot_theme_tree(tree: dict | None, result: TopicResult, folder: Path, title_name: str) -> list[Path]:
    """``<model>_theme_tree``: the themes joined from the closest pair up (average linkage, cosine distance between
    the themes' mean directions); read from the left, the first themes to join are the most alike."""
    name = f"{result.name}_theme_tree"
    if tree is None:
        return save_figure(message_figure(f"{title_name}: theme tree", "Fewer than two themes: no tree to draw."),
                           folder, name)
    topics = {topic.id: topic for topic in result.topics}
    labels = [topic_name(topics[theme]) for theme in tree["themes"]]
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN * 0.75, 1.0 + 0.32 * len(labels)))
    dendrogram(np.asarray(tree["joins"], dtype=float), labels=labels, orientation="left", ax=ax,
               color_threshold=0, above_threshold_color=PALETTE[0], leaf_font_size=10)
    ax.set_xlabel("cosine distance between the themes' mean directions when they join")
    ax.set_title(f"{title_name}: which themes belong together")
    remove_spines(ax)
    fig.tight_layout()
    return save_figure(fig, folder, name)
