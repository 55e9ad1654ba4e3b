"""What every figure shares: palette, deterministic saving, bar grids and heatmaps."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import logging

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager
from matplotlib.text import Text

from ..metrics.evaluation import shown_number
from ..outputs import atomic_path
from ..topics.base import OUTLIER, Topic, TopicResult

log = logging.getLogger(__name__)

#: Okabe-Ito, the colour-blind-safe palette; LANGUAGE_COLOURS keeps fr/en fixed across figures.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
LANGUAGE_COLOURS = {"fr": "#0072B2", "en": "#E69F00"}
SEQUENTIAL_CMAP = "viridis"
REPORT_WIDTH_IN = 10.0
#: Above these sizes a figure stops being readable and its memory grows with the square of the
#: corpus (2,393 articles: 5.7 million cell labels, killed at 18 GB in the benchmark), so bar grids
#: show the first panels (callers order them, largest first) and say so in the title, and heatmaps
#: drop cell values, then tick labels.
MAX_PANELS = 36
MAX_ANNOTATED_CELLS = 400
MAX_TICK_LABELS = 60
#: The report's printed page (A4, 1.5 cm margins: ``templates/report_html``): a figure's PNG is shown at its
#: natural size (96 px to the inch) at most as wide as the text and, on paper, at most 20 cm tall, so a
#: figure REPORT_WIDTH_IN wide prints at about 0.7 of its size, and its text with it.
PRINT_WIDTH_IN = 6.95  # measured in report.pdf: 18 cm less the notebook output's padding
PRINT_MAX_HEIGHT_IN = 20.0 / 2.54
SCREEN_PPI = 96.0
#: Half the printed page's height for content (A4 less 1.5 cm margins), in inches: a figure at most this tall on
#: paper, pushed to the next page, leaves the page before it at least half full.
PRINT_HALF_PAGE_IN = (29.7 - 3.0) / 2 / 2.54
#: The smallest text a reader should have to read on paper, in points.
MIN_PRINTED_PT = 7.0

# The one style of every figure. Deterministic output: fixed SVG ids and hash salt, no creation date in PNG/SVG
# metadata. Text drawn as written: every text of a figure comes from the corpus (headlines, corpus.toml titles,
# theme words, sources), where "$80 ... $90" is two prices, not a formula (mathtext raised on it).
STYLE = {
    "text.parse_math": False,
    "svg.hashsalt": "topicmap",
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 10,
    "font.family": "DejaVu Sans",  # matplotlib's own, as in the report (no fallback to a system font)
    "axes.titlesize": 11,
    "figure.titlesize": 13,
}
plt.rcParams.update(STYLE)
_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}
#: PNG text keys: the smallest text's size in points at the figure's own size, and pairs of overlapping labels.
TEXT_PT_KEY = "topicmap-smallest-text-pt"
OVERLAPS_KEY = "topicmap-overlapping-labels"


def _bundled_fonts_first() -> None:
    """Make "DejaVu Sans" mean the files in matplotlib's wheel, never a system copy of the same name.

    matplotlib lists its own fonts before the system's when it builds its font cache, and the first of equal
    matches wins; but the cache (~/.cache/matplotlib) is shared by every installation of the user, and one
    built by another lists that installation's files. So the wheel's DejaVu files are registered here and
    moved to the front of the list (``addfont`` also clears findfont's cache).
    """
    bundled = Path(matplotlib.get_data_path(), "fonts", "ttf")
    for path in sorted(bundled.glob("DejaVuSans*.ttf")):
        font_manager.fontManager.addfont(path)
    font_manager.fontManager.ttflist.sort(key=lambda font: Path(font.fname).parent != bundled)


_bundled_fonts_first()


def language_colour(lang: str, index: int = 0) -> str:
    """Fixed colour for French and English, palette colours for any other language."""
    return LANGUAGE_COLOURS.get(lang, PALETTE[(index + 2) % len(PALETTE)])


def overlapping_labels(fig: plt.Figure) -> list[tuple[str, str]]:
    """Pairs of neighbouring tick labels of one axis that overlap on the drawn figure (none, if it reads)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    pairs = []
    for ax in fig.axes:
        for labels in (ax.get_xticklabels(), ax.get_yticklabels()):
            boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in labels if t.get_visible() and t.get_text()]
            pairs += [(a, b) for (a, box_a), (b, box_b) in zip(boxes, boxes[1:]) if box_a.overlaps(box_b)]
    return pairs


def saved_size(fig: plt.Figure) -> tuple[float, float]:
    """Width and height in inches of ``fig`` as ``save_figure`` writes it (``bbox_inches="tight"``)."""
    fig.canvas.draw()
    box = fig.get_tightbbox(fig.canvas.get_renderer())
    return float(box.width) + 0.2, float(box.height) + 0.2  # savefig's pad_inches, 0.1 on each side


def printed_scale(fig: plt.Figure) -> float:
    """How much ``fig`` is scaled on the printed report: its PNG's natural width (``savefig.dpi`` pixels to
    the inch, shown at 96 to the inch), at most the text's width, and at most 20 cm tall."""
    width, height = saved_size(fig)
    natural = plt.rcParams["savefig.dpi"] / SCREEN_PPI
    return min(natural, PRINT_WIDTH_IN / width, PRINT_MAX_HEIGHT_IN / height)


def texts_of(fig: plt.Figure) -> list:
    """Every piece of text ``fig`` draws: titles, axis and tick labels (of the ticks drawn), legends,
    annotations, cell values."""
    fig.canvas.draw()
    texts = list(fig.texts) + ([fig._suptitle] if fig._suptitle is not None else [])
    for legend in fig.legends:
        texts += [*legend.get_texts(), legend.get_title()]
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += [ax.title, ax._left_title, ax._right_title, *ax.texts]
        for axis in (ax.xaxis, ax.yaxis) if ax.axison else ():  # an axes "off" draws no axis
            texts.append(axis.label)
            for tick in axis._update_ticks():
                texts += [tick.label1, tick.label2]
        legend = ax.get_legend()
        for legend in [*([legend] if legend is not None else []), *(a for a in ax.artists if hasattr(a, "get_texts"))]:
            texts += [*legend.get_texts(), legend.get_title()]
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def smallest_printed_text(fig: plt.Figure) -> tuple[float, str]:
    """The size in points, on the printed report, of the smallest text ``fig`` draws, and that text."""
    scale = printed_scale(fig)
    sizes = [(t.get_fontsize() * scale, t.get_text()) for t in texts_of(fig)]
    return min(sizes, default=(float("inf"), ""))


def overlapping_texts(fig: plt.Figure) -> list[tuple[str, str]]:
    """Pairs of texts that are drawn over each other anywhere on ``fig`` (tick labels, annotations, legends,
    titles), a text with its own tick neighbours included: none, if the figure reads."""
    renderer = fig.canvas.get_renderer()
    texts = texts_of(fig)
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    pairs = []
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1:]:
            overlap_w = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
            overlap_h = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
            if overlap_w > 1 and overlap_h > 1:
                pairs.append((a, b))
    return pairs


def save_figure(fig: plt.Figure, folder: Path, name: str) -> list[Path]:
    """Save ``fig`` as ``<folder>/<name>.png`` and ``.svg`` atomically, close it, return the paths.

    Overlapping tick labels, and text smaller than ``MIN_PRINTED_PT`` on the printed report, are warnings
    naming the figure (``overlapping_labels``, ``smallest_printed_text``): a figure must read. Every text is
    drawn literally, whatever the caller's rcParams became since ``STYLE`` was applied.
    """
    for text in fig.findobj(Text):
        text.set_parse_math(False)
    overlaps = overlapping_labels(fig)
    if overlaps:
        log.warning("figure %s: %d pairs of axis labels overlap (e.g. %r and %r)", name, len(overlaps), *overlaps[0])
    smallest, text = smallest_printed_text(fig)
    if smallest < MIN_PRINTED_PT - 0.05:
        log.warning("figure %s: text of %.1f pt on paper (e.g. %r); at least %.0f pt reads", name, smallest,
                    text[:30], MIN_PRINTED_PT)
    folder = Path(folder)
    paths = []
    # what tools/check_report.py reads back from the PNG, to check the text's size where the report prints it
    checks = {**_METADATA["png"], TEXT_PT_KEY: f"{smallest / printed_scale(fig):.2f}", OVERLAPS_KEY: str(len(overlaps))}
    for fmt in ("png", "svg"):
        target = folder / f"{name}.{fmt}"
        with atomic_path(target) as tmp:
            fig.savefig(tmp, format=fmt, bbox_inches="tight", metadata=checks if fmt == "png" else _METADATA[fmt])
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
    """Horizontal bar panels, one per (panel title, [(word, weight), ...]), heaviest word on top.

    At most MAX_PANELS panels are drawn; the title then says how many of how many are shown.
    """
    if len(panels) > MAX_PANELS:
        title = f"{title}\n(the first {MAX_PANELS} of {len(panels)} shown)"
        panels = list(panels)[:MAX_PANELS]
    n = max(len(panels), 1)
    n_cols = min(n_cols, n)
    n_rows = int(np.ceil(n / n_cols))
    fig, axes = plt.subplots(
        n_rows, n_cols, figsize=(REPORT_WIDTH_IN * 0.95, 0.5 + 2.3 * n_rows), sharex=False, squeeze=False
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
        ax.tick_params(axis="both", which="major", labelsize=10)
        ax.xaxis.set_major_locator(plt.MaxNLocator(4))
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel(xlabel, fontsize=10)
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
    row_labels, col_labels = _square_labels(list(map(str, row_labels)), list(map(str, col_labels)))
    width = min(REPORT_WIDTH_IN, 2.5 + 0.9 * n_cols)
    # Slanted labels need about twice the room of upright ones: long labels, or more than a dozen columns,
    # stand upright, and past 30 columns they get smaller, so that neighbours never overlap. The figure grows
    # by the labels' height (about 0.07 in a character at 8 pt), so that the cells keep their room.
    longest = max((len(str(label)) for label in col_labels), default=0) if n_cols <= MAX_TICK_LABELS else 0
    upright = n_cols > 12 or longest > 12
    label_room = 0.085 * longest * (1.0 if upright else 0.5)
    height = min(10.0, 1.6 + 0.4 * n_rows) + label_room
    fig, ax = plt.subplots(figsize=(width, height))
    image = ax.imshow(values, cmap=SEQUENTIAL_CMAP, aspect="auto", vmin=vmin, vmax=vmax)
    if n_cols <= MAX_TICK_LABELS:
        level = longest <= 3  # numbers read level
        ax.set_xticks(range(n_cols), labels=col_labels, rotation=90 if upright else 0 if level else 30,
                      ha="center" if upright or level else "right", fontsize=10)
    if n_rows <= MAX_TICK_LABELS:
        ax.set_yticks(range(n_rows), labels=row_labels, fontsize=10)
    ax.tick_params(length=0)  # a tick mark beside a cell's value reads as a minus sign
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    threshold = np.nanmean(values) if values.size else 0
    fig.tight_layout()
    box = ax.get_window_extent()
    fits = (box.width / max(n_cols, 1) / fig.dpi >= 0.45 and box.height / max(n_rows, 1) / fig.dpi >= 0.24)
    annotate = n_rows * n_cols <= MAX_ANNOTATED_CELLS and fits
    for i in range(n_rows if annotate else 0):
        for j in range(n_cols):
            ax.text(j, i, shown_number(values[i, j], fmt), ha="center", va="center", fontsize=10,
                    color="white" if values[i, j] < threshold else "black")
    fig.colorbar(image, ax=ax, label=colorbar_label, shrink=0.8)
    fig.tight_layout()
    return fig


def _square_labels(row_labels: list[str], col_labels: list[str]) -> tuple[list[str], list[str]]:
    """A square matrix of the same things on both axes (a similarity) names them once: each row by its number
    and name ("3: name", or the name when it starts with its id already), each column by the number alone,
    so long names do not take the figure's height a second time."""
    if row_labels != col_labels or max((len(label) for label in col_labels), default=0) <= 12:
        return row_labels, col_labels
    ids = [label.split(":", 1)[0] if label.split(":", 1)[0].isdigit() else str(i + 1)
           for i, label in enumerate(row_labels)]
    rows = [label if label.split(":", 1)[0].isdigit() else f"{id_}: {label}" for id_, label in zip(ids, row_labels)]
    return rows, ids


def topic_name(topic: Topic, max_chars: int = 42) -> str:
    """``outliers`` for topic -1, else ``<id>: <label>`` cut to ``max_chars``."""
    if topic.id == OUTLIER:
        return "outliers"
    name = f"{topic.id}: {topic.label}"
    return name if len(name) <= max_chars else name[: max_chars - 1] + "…"


def topics_in_order(result: TopicResult) -> list[Topic]:
    """Topics by id, the outliers (if any) last."""
    return sorted(result.topics, key=lambda t: (t.id == OUTLIER, t.id))



OUTLIER_COLOUR = "#BBBBBB"


def topic_colour(topic_id: int) -> str:
    return OUTLIER_COLOUR if topic_id == OUTLIER else PALETTE[topic_id % len(PALETTE)]


def message_figure(title: str, message: str) -> plt.Figure:
    """A small figure that says why there is nothing to draw (e.g. a single topic)."""
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN * 0.6, 2.0))
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, wrap=True)
    ax.set_axis_off()
    ax.set_title(title)
    return fig


def remove_spines(ax, sides=("top", "right")) -> None:
    for side in sides:
        ax.spines[side].set_visible(False)
