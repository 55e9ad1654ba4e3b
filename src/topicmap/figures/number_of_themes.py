"""The figure of why this many themes: the score of every candidate number (``topics.number_of_themes``)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

from ..topics.base import TopicResult
from ..topics.number_of_themes import LEAST_RUN_CLUSTERS
from .base import PALETTE, PRINT_HALF_PAGE_IN, REPORT_WIDTH_IN, message_figure, remove_spines, save_figure


def plot_number_of_themes(result: TopicResult, folder: Path, title_name: str) -> list[Path]:
    """``<model>_number_of_themes``: for each candidate number of themes, its consensus's agreement with its runs,
    the evenness of its theme sizes, their product (the score the number is chosen by) and, for comparison, the
    split-half stability that would have chosen alone; the chosen number marked."""
    name = f"{result.name}_number_of_themes"
    scan = result.params.get("k_scan")
    if not scan:
        how = "given" if result.params.get("n_topics_chosen_by") == "given" else "set by a rule on a corpus this small"
        return save_figure(message_figure(f"{title_name}: number of themes",
                                          f"{result.n_topics} themes, {how}: no candidates were compared."), folder, name)
    left_out = [int(row["themes"]) for row in scan if row["run_clusters"] < LEAST_RUN_CLUSTERS]
    scan = [row for row in scan if row["run_clusters"] >= LEAST_RUN_CLUSTERS] or scan
    ks = [int(row["themes"]) for row in scan]
    chosen = int(result.params["n_topics_found"])
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN * 0.75, min(PRINT_HALF_PAGE_IN, 3.6)))
    lines = (("score", "score: agreement x evenness", PALETTE[0], "-", 2.4),
             ("run_agreement", "agreement with its runs (mean AMI)", PALETTE[2], "--", 1.4),
             ("evenness", "evenness of the theme sizes", PALETTE[1], "--", 1.4),
             ("split_half_stability", "split-half stability (for comparison; not used)", "#888888", ":", 1.4))
    for key, label, colour, style, width in lines:
        ax.plot(ks, [row[key] for row in scan], style, color=colour, linewidth=width, marker="o", markersize=3,
                label=label)
    ax.axvline(chosen, color=PALETTE[5], linewidth=1.0)
    ax.annotate(f"chosen: {chosen}", (chosen, 0.02), xytext=(4, 0), textcoords="offset points", color=PALETTE[5],
                fontsize=10)
    ax.set_xticks(ks)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("number of themes" + (f" ({', '.join(map(str, left_out))}: the runs did not split the "
                                        "paragraphs, not a candidate)" if left_out else ""))
    ax.set_title(f"{title_name}: why {chosen} themes")
    ax.legend(loc="upper center", fontsize=9, frameon=False, ncol=2, bbox_to_anchor=(0.5, -0.24))
    remove_spines(ax)
    fig.tight_layout()
    return save_figure(fig, folder, name)
