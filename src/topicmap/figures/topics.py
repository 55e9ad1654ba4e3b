"""Figures of any model's topics (one ``TopicResult``): words by language, languages, articles, map."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from ..language import language_name
from ..topics.base import OUTLIER, TopicResult
from ..topics.words import compared_languages, main_languages
from .base import (MAX_PANELS, REPORT_WIDTH_IN, heatmap, language_colour, message_figure,
                   remove_spines, save_figure, topic_colour, topic_name, topics_in_order)

#: Words per language in the side-by-side figure; fewer than n_top_words keeps it report-sized.
WORDS_PER_LANGUAGE_PANEL = 6
#: Rows of two themes in the words figure at most, and each row's height in inches: the figure prints at most half a
#: page tall (``base.PRINT_HALF_PAGE_IN``), so that when it does not fit below the text before it and moves to the
#: next page, it leaves that page at least half full; taller, its text would also be shrunk below 7 pt on paper.
MAX_WORD_ROWS = 4
WORD_ROW_IN = 1.5
#: Marker of each language on the paragraph map, so language never depends on colour alone.
LANGUAGE_MARKERS = ["o", "^", "s", "D", "v", "P"]
#: Points drawn on the static map at most (a seeded sample beyond; the title says so).
MAX_MAP_POINTS = 5000
#: Columns of the map's legend of themes, under the map.
MAP_LEGEND_COLUMNS = 3


def plot_topic_words_by_language(result: TopicResult, folder: Path, title_name: str) -> list[Path]:
    """``<model>_topic_words_by_language``: each topic's top words in each main language, side by side."""
    every = [t for t in topics_in_order(result) if t.id != OUTLIER]
    # a printed page holds MAX_WORD_ROWS rows of two themes at a readable size: the largest themes, said in the title
    topics = sorted(sorted(every, key=lambda t: -t.size)[:2 * MAX_WORD_ROWS], key=lambda t: t.id)
    # the languages the report compares (each holding 5% of the units): not a column of empty panels for the six
    # paragraphs of a French corpus that read as English
    units_by_lang = {lang: sum(t.n_by_lang.get(lang, 0) for t in every) for t in every for lang in t.n_by_lang}
    langs = compared_languages(np.repeat(list(units_by_lang), list(units_by_lang.values())))
    n_rows = max(1, int(np.ceil(len(topics) / 2)))
    n_cols = 2 * max(len(langs), 1)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(REPORT_WIDTH_IN * 0.92, 0.8 + WORD_ROW_IN * n_rows), squeeze=False)
    for ax in axes.flat:
        ax.set_visible(False)
    for index, topic in enumerate(topics):
        row, pair = divmod(index, 2)
        for offset, lang in enumerate(langs):
            ax = axes[row, pair * len(langs) + offset]
            ax.set_visible(True)
            words = topic.words_by_lang.get(lang, [])[:WORDS_PER_LANGUAGE_PANEL]
            n_units = topic.n_by_lang.get(lang, 0)
            if words:
                ax.barh([shortened(w, 16) for w, _ in words][::-1], [s for _, s in words][::-1], height=0.7,
                        color=language_colour(lang, offset))
                ax.set_xticks([])  # the bars' lengths compare the words; the scores' values mean nothing to a reader
                remove_spines(ax, ("top", "right", "left"))
            else:
                ax.text(0.5, 0.5, f"no {language_name(lang)} paragraph", ha="center", va="center", fontsize=10,
                        transform=ax.transAxes, color="#555555")
                ax.set_xticks([])
                ax.set_yticks([])
                remove_spines(ax, ("top", "right", "left", "bottom"))
            heading = topic_name(topic, 34) if offset == 0 else ""
            ax.set_title(f"{heading}\n{language_name(lang)}: {n_units} paragraph{'' if n_units == 1 else 's'}",
                         fontsize=10, loc="left")
            ax.tick_params(axis="both", labelsize=10, length=0)
    which = "each theme" if len(topics) == len(every) else f"the {len(topics)} largest of the {len(every)} themes"
    fig.suptitle(f"{title_name}:\nthe words that name {which}, per language (a longer bar: a more typical word)",
                 fontsize=11)
    fig.tight_layout()
    return save_figure(fig, folder, f"{result.name}_topic_words_by_language")


def plot_topic_language_mix(result: TopicResult, folder: Path, title_name: str) -> list[Path]:
    """``<model>_topic_language_mix``: paragraphs per topic, stacked by paragraph language."""
    topics = topics_in_order(result)[:MAX_PANELS]
    found = {lang for t in topics for lang in t.n_by_lang}
    langs = sorted(found, key=lambda lang: -sum(t.n_by_lang.get(lang, 0) for t in topics))
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN * 0.8, 1.2 + 0.4 * max(len(topics), 1)))
    names = [topic_name(t) for t in topics]
    left = np.zeros(len(topics))
    for index, lang in enumerate(langs):
        counts = np.array([t.n_by_lang.get(lang, 0) for t in topics], dtype=float)
        ax.barh(names, counts, left=left, height=0.7, color=language_colour(lang, index), label=language_name(lang))
        left += counts
    ax.invert_yaxis()
    ax.set_xlabel("paragraphs (count)")
    ax.set_ylabel("theme")
    ax.set_title(f"{title_name}: paragraphs of each theme, by language")
    ax.tick_params(axis="y", labelsize=10)
    if langs:
        ax.legend(title="paragraph language", frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    remove_spines(ax)
    fig.tight_layout()
    return save_figure(fig, folder, f"{result.name}_topic_language_mix")


def shortened(text: str, length: int) -> str:
    """``text`` cut to ``length`` characters, an ellipsis marking the cut."""
    return text if len(text) <= length else text[:length - 1] + "…"


#: Articles named under the theme-mix figure at most: more names do not fit its width at a readable size.
MAX_NAMED_ARTICLES = 30
#: A cell's value is written in it only when the cell is at least this wide and tall (inches, as drawn).
MIN_VALUE_CELL_IN = (0.45, 0.24)


def article_theme_shares(result: TopicResult) -> tuple[list, list[str], np.ndarray]:
    """(themes in order, every article grouped by its main theme, themes x articles share of the article's
    paragraphs). The articles of one main theme stand together, in the themes' order, each group by decreasing
    share of that theme, then by size: every article once, none left out."""
    units = result.units
    joined = result.assignments[["id", "topic"]].merge(units[["id", "doc"]].astype({"id": str}), on="id", how="left")
    counts = joined.groupby(["topic", "doc"]).size().unstack(fill_value=0)
    topics = topics_in_order(result)[:MAX_PANELS]
    counts = counts.reindex(index=[t.id for t in topics], fill_value=0)
    sizes = counts.sum(axis=0)
    share = counts / sizes.replace(0, 1)
    main = share.to_numpy().argmax(axis=0)
    order = sorted(range(share.shape[1]), key=lambda j: (main[j], -round(float(share.iat[main[j], j]), 9),
                                                        -int(sizes.iat[j]), str(share.columns[j])))
    docs = [str(share.columns[j]) for j in order]
    return topics, docs, share.to_numpy(dtype=float)[:, order]


def plot_topic_article_share(result: TopicResult, folder: Path, title_name: str) -> list[Path]:
    """``<model>_topic_article_share``: each article's mix of themes, every article, grouped by main theme.

    Rows are themes, columns articles; an article's column sums to 1. The articles of one main theme stand
    together, so each theme's bright block sits in its own row, whether there are 4 articles or 1,000. Up to
    ``MAX_NAMED_ARTICLES`` articles are named under their column; beyond, each group of articles is marked
    by its theme's id where it is wide enough, and the axis says how many articles there are. Values are written
    in the cells only when they fit (as a percentage, and not in empty cells).
    """
    topics, docs, share = article_theme_shares(result)
    units = result.units
    names = dict(zip(units["doc"].astype(str), units["article"])) if "article" in units else {}
    n_themes, n_docs = share.shape
    named = n_docs <= MAX_NAMED_ARTICLES
    labels = [shortened(names.get(doc, doc), 34) for doc in docs]
    name_room = 0.085 * max(map(len, labels), default=0) if named else 0.3
    theme_names = [topic_name(t, 34) for t in topics]
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN, 1.5 + 0.34 * n_themes + name_room))
    image = ax.imshow(share, cmap="Blues", aspect="auto", vmin=0.0, vmax=1.0, interpolation="nearest"
                      if n_docs <= 300 else "antialiased")
    ax.set_yticks(range(n_themes), labels=theme_names, fontsize=10)
    ax.tick_params(length=0, pad=4)  # no tick mark beside a cell, where it would read as a minus sign
    main = share.argmax(axis=0) if n_docs else np.array([], dtype=int)
    bounds = np.flatnonzero(np.diff(main)) + 0.5
    for x in bounds:
        ax.axvline(x, color="#999999", linewidth=0.6)
    if named:
        ax.set_xticks(range(n_docs), labels=labels, rotation=90, fontsize=10)
        ax.set_xlabel(f"{_plural_articles(n_docs)}, grouped by their main theme")
    else:
        ax.set_xticks([])
        ax.set_xlabel(f"all {n_docs} articles, grouped by their main theme (its id under the group, where it fits)")
    fig.colorbar(image, ax=ax, label="share of the article's paragraphs", shrink=0.8, pad=0.02)
    fig.tight_layout()
    fig.canvas.draw()
    box = ax.get_window_extent()
    cell_w, cell_h = box.width / max(n_docs, 1) / fig.dpi, box.height / max(n_themes, 1) / fig.dpi
    if cell_w >= MIN_VALUE_CELL_IN[0] and cell_h >= MIN_VALUE_CELL_IN[1]:
        for i, j in zip(*np.nonzero(share >= 0.005)):
            ax.text(j, i, f"{100 * share[i, j]:.0f}%", ha="center", va="center", fontsize=10,
                    color="white" if share[i, j] > 0.55 else "black")
    if not named:
        # each group's theme id under its middle, where the group is wide enough for it
        edges = np.concatenate([[-0.5], bounds, [n_docs - 0.5]])
        per_in = n_docs / (box.width / fig.dpi)
        ticks = [((a + b) / 2, str(topics[main[int(np.ceil(a))]].id)) for a, b in zip(edges, edges[1:])
                 if (b - a) / per_in >= 0.22]
        ax.set_xticks([t for t, _ in ticks], labels=[label for _, label in ticks], fontsize=10)
        ax.tick_params(axis="x", length=3)
    ax.set_title(f"{title_name}: the themes of each article", fontsize=11)
    return save_figure(fig, folder, f"{result.name}_topic_article_share")


def _plural_articles(n: int) -> str:
    return "the article" if n == 1 else f"the {n} articles"


def map_coordinates(space: np.ndarray, seed: int) -> np.ndarray:
    """A seeded 2-D map of the units' vectors: UMAP (cosine), or PCA for fewer than 15 units.

    Beyond ``MAX_MAP_POINTS`` units only a seeded sample is mapped (the others' rows are NaN, and the maps
    show the sample, saying so): a map of 100,000 points is neither readable nor cheap.
    """
    space = np.asarray(space, dtype=np.float64)
    if len(space) > MAX_MAP_POINTS:
        rows = np.sort(np.random.RandomState(seed).choice(len(space), MAX_MAP_POINTS, replace=False))
        coordinates = np.full((len(space), 2), np.nan)
        coordinates[rows] = map_coordinates(space[rows], seed)
        return coordinates
    if len(space) < 15:
        from sklearn.decomposition import PCA

        if len(space) < 3:
            return np.zeros((len(space), 2))
        return PCA(n_components=2, random_state=seed).fit_transform(space)
    import warnings

    from umap import UMAP

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return UMAP(n_neighbors=int(min(15, max(2, np.sqrt(len(space))))), n_components=2, min_dist=0.1,
                    metric="cosine", init="random" if len(space) < 1000 else "spectral",
                    random_state=seed).fit_transform(space)


def map_frame(points: np.ndarray, inner: float = 0.01, margin: float = 0.15) -> tuple[tuple[float, float], ...]:
    """(x limits, y limits) holding the map's bulk: the ``inner``..``1 - inner`` quantiles widened by ``margin``
    of their range on each side. A few paragraphs far from all others (near-duplicates form tight islands
    in UMAP) would otherwise shrink every theme into a dot; a point outside is at least 15% of the bulk's
    width beyond it."""
    if len(points) == 0:
        return (0.0, 1.0), (0.0, 1.0)
    limits = []
    for axis in (0, 1):
        low, high = np.quantile(points[:, axis], [inner, 1 - inner])
        pad = margin * max(high - low, 1e-9)
        limits.append((float(low - pad), float(high + pad)))
    return tuple(limits)


def plot_paragraph_map(result: TopicResult, folder: Path, title_name: str) -> list[Path]:
    """``<model>_paragraph_map``: units in a seeded 2-D map of the model's space (``result.coordinates``);
    colour = theme, marker = language."""
    labels, langs, coordinates = result.labels, result.langs, result.coordinates
    mapped = np.flatnonzero(np.isfinite(coordinates).all(axis=1))
    (x_low, x_high), (y_low, y_high) = map_frame(coordinates[mapped])
    inside = ((coordinates[mapped, 0] >= x_low) & (coordinates[mapped, 0] <= x_high)
              & (coordinates[mapped, 1] >= y_low) & (coordinates[mapped, 1] <= y_high))
    shown, outside = mapped[inside], int((~inside).sum())
    size = 24 if len(shown) <= 1000 else 8  # thousands of points: small markers, or they hide each other
    ordered_langs = main_languages(langs, n=6)
    markers = {lang: LANGUAGE_MARKERS[i % len(LANGUAGE_MARKERS)] for i, lang in enumerate(ordered_langs)}
    topics = topics_in_order(result)[:MAX_PANELS]
    # the themes' legend under the map, three to a row: the map keeps the page's width, the names their words
    legend_rows = int(np.ceil(len(topics) / MAP_LEGEND_COLUMNS))
    legend_height = 0.45 + 0.22 * legend_rows
    fig, (ax, legend_ax) = plt.subplots(2, 1, figsize=(REPORT_WIDTH_IN, 5.6 + legend_height),
                                        gridspec_kw={"height_ratios": [5.6, legend_height]})
    legend_ax.set_axis_off()
    for topic in topics:
        for lang in ordered_langs:
            mask = shown[(labels[shown] == topic.id) & (langs[shown] == lang)]
            if len(mask):
                ax.scatter(coordinates[mask, 0], coordinates[mask, 1], s=size, marker=markers[lang], alpha=0.85,
                           color=topic_colour(topic.id), edgecolors="white", linewidths=0.4 * (size > 8))
    topic_handles = [plt.Line2D([], [], linestyle="", marker="o", color=topic_colour(t.id), label=topic_name(t, 27))
                     for t in topics]
    lang_handles = [plt.Line2D([], [], linestyle="", marker=markers[lang], color="#555555", label=language_name(lang))
                    for lang in ordered_langs]
    first = legend_ax.legend(handles=topic_handles, title="theme (its id is printed beside its densest points)",
                             fontsize=10, title_fontsize=10, loc="upper left", frameon=False, alignment="left",
                             ncols=MAP_LEGEND_COLUMNS, handletextpad=0.1, columnspacing=0.8, borderaxespad=0.0)
    legend_ax.add_artist(first)
    legend_ax.legend(handles=lang_handles, title="language", fontsize=10, title_fontsize=10, loc="upper right",
                     frameon=False, alignment="left", borderaxespad=0.0, handletextpad=0.1)
    ax.set_xlabel("map dimension 1 (no unit)")
    ax.set_ylabel("map dimension 2 (no unit)")
    sample = "" if len(mapped) == len(labels) else f"; a sample of {len(mapped)} mapped"
    beyond = f", {outside} far outside the frame not drawn" if outside else ""
    ax.set_title(f"{title_name}: {len(labels)} paragraphs placed by the vectors the model grouped\n"
                 f"colour = theme, marker = language{sample}{beyond}", fontsize=10)
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    remove_spines(ax)
    fig.tight_layout()
    label_themes(ax, coordinates, labels, shown, [t for t in topics if t.id != OUTLIER])
    return save_figure(fig, folder, f"{result.name}_paragraph_map")


#: A theme's label points at its densest point: the one with the most of the theme's points within this share
#: of the map's frame (not its median or mean, which can fall between two clusters of the theme, on nothing).
DENSITY_RADIUS = 0.04


def densest_point(points: np.ndarray, scale: np.ndarray, radius: float = DENSITY_RADIUS) -> int:
    """The index of the point of ``points`` with the most others within ``radius`` (coordinates divided by
    ``scale``, the frame's size); ties go to the one nearest the points' median."""
    from scipy.spatial import cKDTree

    scaled = points / scale
    counts = cKDTree(scaled).query_ball_point(scaled, r=radius, return_length=True)
    best = np.flatnonzero(counts == counts.max())
    return int(best[np.argmin(np.linalg.norm(scaled[best] - np.median(scaled, axis=0), axis=1))])


def label_themes(ax, coordinates: np.ndarray, labels: np.ndarray, shown: np.ndarray, topics) -> list:
    """Each theme's id in a box near its densest point, with a leader line to it when moved off: of a ring of
    places around the point, the one whose box covers the fewest points and no other label, inside the
    frame. Largest themes are placed first. Returns the annotations."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    points = ax.transData.transform(coordinates[shown]) if len(shown) else np.zeros((0, 2))
    scale = np.array([np.ptp(ax.get_xlim()), np.ptp(ax.get_ylim())])
    placed, annotations = [], []
    for topic in sorted(topics, key=lambda t: (-int((labels[shown] == t.id).sum()), t.id)):
        members = shown[labels[shown] == topic.id]
        if not len(members):
            continue
        anchor = coordinates[members[densest_point(coordinates[members], scale)]]
        style = {"ha": "center", "va": "center", "fontsize": 10, "fontweight": "bold", "zorder": 5,
                 "bbox": {"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.9,
                          "edgecolor": topic_colour(topic.id)}}
        probe = ax.text(*anchor, str(topic.id), **style)
        box = probe.get_window_extent(renderer).padded(3)
        probe.remove()
        width, height = box.width, box.height
        centre = ax.transData.transform(anchor)
        best = None
        for distance in (0.0, 1.3, 2.2, 3.4):
            for angle in np.arange(0, 360, 30 if distance else 360):
                dx = distance * width * np.cos(np.radians(angle))
                dy = distance * height * np.sin(np.radians(angle)) * 1.2
                x0, y0 = centre[0] + dx - width / 2, centre[1] + dy - height / 2
                x1, y1 = x0 + width, y0 + height
                inside = frame.x0 <= x0 and x1 <= frame.x1 and frame.y0 <= y0 and y1 <= frame.y1
                covered = int(((points[:, 0] >= x0) & (points[:, 0] <= x1)
                               & (points[:, 1] >= y0) & (points[:, 1] <= y1)).sum())
                clashes = sum(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in placed)
                score = (clashes + (not inside)) * 10_000 + covered + 0.5 * distance
                if best is None or score < best[0]:
                    best = (score, dx, dy, (x0, y0, x1, y1))
        _, dx, dy, bounds = best
        placed.append(bounds)
        leader = {"arrowstyle": "-", "color": topic_colour(topic.id), "linewidth": 1.2, "shrinkA": 0, "shrinkB": 1}
        annotations.append(ax.annotate(str(topic.id), anchor, xytext=(dx, dy), textcoords="offset pixels",
                                       arrowprops=leader if dx or dy else None, **style))
    return annotations


def plot_topic_similarity(result: TopicResult, folder: Path, title_name: str) -> list[Path]:
    """``<model>_topic_similarity``: cosine similarity of the themes' centroids in the model's space."""
    topics = [t for t in topics_in_order(result) if t.id != OUTLIER][:MAX_PANELS]
    if len(topics) < 2 or result.space is None:
        fig = message_figure(f"{title_name}: theme similarity", "Fewer than two themes: no similarity to show.")
        return save_figure(fig, folder, f"{result.name}_topic_similarity")
    centroids = np.vstack([result.space[result.labels == t.id].mean(axis=0) for t in topics])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True).clip(1e-12)
    similarity = centroids @ centroids.T
    names = [topic_name(t, 36) for t in topics]
    fig = heatmap(similarity, names, names, title=f"{title_name}: how similar the themes are",
                  xlabel="theme", ylabel="theme", colorbar_label="cosine of centroids",
                  vmin=float(min(0.0, similarity.min())), vmax=1.0)
    return save_figure(fig, folder, f"{result.name}_topic_similarity")


def save_interactive_map(result: TopicResult, folder: Path, title_name: str) -> list[Path]:
    """``interactive/<model>_paragraph_map.html``: the paragraph map in plotly, text on hover, offline."""
    import plotly.graph_objects as go

    from ..outputs import write_text

    units, coordinates = result.units, result.coordinates
    labels, langs = result.labels, units["lang"].astype(str).to_numpy()
    texts = units["text"].astype(str).map(lambda t: t[:200] + ("…" if len(t) > 200 else "")).to_numpy()
    docs = units["doc"].astype(str).to_numpy()
    figure = go.Figure()
    for topic in topics_in_order(result)[:MAX_PANELS]:
        members = np.flatnonzero((labels == topic.id) & np.isfinite(coordinates).all(axis=1))
        figure.add_trace(go.Scattergl(
            x=coordinates[members, 0], y=coordinates[members, 1], mode="markers", name=topic_name(topic, 50),
            marker={"color": topic_colour(topic.id), "size": 7, "line": {"width": 0.5, "color": "white"}},
            text=[f"<b>{docs[i]}</b> ({langs[i]})<br>{texts[i]}" for i in members], hoverinfo="text"))
    x_range, y_range = map_frame(coordinates[np.isfinite(coordinates).all(axis=1)])
    figure.update_layout(title=f"{title_name}: paragraphs by theme (hover for the text; double-click to see all)",
                         template="plotly_white", legend={"title": {"text": "theme"}},
                         xaxis={"visible": False, "range": list(x_range)}, yaxis={"visible": False, "range": list(y_range)})
    html = figure.to_html(include_plotlyjs=True, full_html=True, div_id=f"{result.name}_map",
                          config={"displaylogo": False})
    return [write_text(Path(folder) / "interactive" / f"{result.name}_paragraph_map.html", html)]


#: Languages holding less than this share of the paragraphs are left out of the prevalence figure.
MIN_GROUP_SHARE = 0.05


def plot_theme_prevalence(result: TopicResult, folder: Path, title_name: str) -> list[Path]:
    """``<model>_theme_prevalence_by_language``: each language's share of paragraphs per theme, 95% intervals.

    The shares are ``metrics.prevalence.prevalence_by_language`` of the result's labels by language, with the
    articles resampled (bootstrap seeded with the model's ``random_state``); a language of too few articles gets
    no interval, and the legend says so. The (at most 4) languages holding at least ``MIN_GROUP_SHARE`` of the
    paragraphs are shown. Overlapping intervals mean the languages' coverage of that theme cannot be told apart.
    """
    from ..metrics.covariates import MIN_DOCUMENTS
    from ..metrics.prevalence import prevalence_by_language

    prevalence = prevalence_by_language(result.labels, result.units["doc"].astype(str).to_numpy(), result.langs,
                                        int(result.params.get("random_state", 0)))
    topics = [t for t in topics_in_order(result) if t.id != OUTLIER][:MAX_PANELS]
    sizes = prevalence.groupby("level")["paragraphs"].first().sort_values(ascending=False, kind="stable")
    # A language of a handful of paragraphs (three "und" ones in 100,000) has intervals as wide as the axis.
    groups = [g for g, n in sizes.items() if n >= MIN_GROUP_SHARE * sizes.sum()][:4]
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN * 0.72, 1.2 + 0.38 * max(len(topics), 1)))
    offsets = np.linspace(-0.18, 0.18, len(groups)) if len(groups) > 1 else [0.0]
    every_estimated = True
    for index, (group, offset) in enumerate(zip(groups, offsets)):
        rows = prevalence[prevalence["level"] == group].set_index("theme").reindex([t.id for t in topics])
        y = np.arange(len(topics)) + offset
        estimated = bool(rows["estimated"].iloc[0])
        every_estimated &= estimated
        errors = [rows["share"] - rows["low"], rows["high"] - rows["share"]] if estimated else None
        ax.errorbar(rows["share"], y, xerr=errors, fmt="o", color=language_colour(group, index), capsize=3,
                    markersize=5, label=f"{language_name(group)} ({int(rows['paragraphs'].iloc[0])} paragraphs, "
                                        f"{int(rows['documents'].iloc[0])} articles)")
    ax.set_yticks(range(len(topics)), labels=[topic_name(t, 34) for t in topics], fontsize=10)
    ax.invert_yaxis()
    ax.set_xlim(0, None)
    ax.set_xlabel("share of the language's paragraphs in the theme" +
                  (" (95% interval, articles resampled)" if every_estimated else
                   f"\n(an interval needs {MIN_DOCUMENTS} articles or more in a language; none is drawn for fewer)"))
    ax.set_ylabel("theme")
    ax.set_title(f"{title_name}: how much of each language's coverage each theme takes")
    # below the axes, so that a long theme name and the legend never take the plot's width between them
    ax.legend(title="language", frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.18 if every_estimated
                                                                                    else -0.26), ncol=2)
    remove_spines(ax)
    fig.tight_layout()
    return save_figure(fig, folder, f"{result.name}_theme_prevalence_by_language")
