"""Figures of any model's topics (one ``TopicResult``): words by language, languages, articles, map."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from ..language import language_name
from ..topics.base import OUTLIER, TopicResult
from ..topics.words import main_languages
from .base import (MAX_PANELS, REPORT_WIDTH_IN, heatmap, language_colour, message_figure,
                   remove_spines, save_figure, topic_colour, topic_name, topics_in_order)

#: Words per language in the side-by-side figure; fewer than n_top_words keeps it report-sized.
WORDS_PER_LANGUAGE_PANEL = 6
#: Marker of each language on the paragraph map, so language never depends on colour alone.
LANGUAGE_MARKERS = ["o", "^", "s", "D", "v", "P"]
#: Points drawn on the static map at most (a seeded sample beyond; the title says so).
MAX_MAP_POINTS = 5000


def plot_topic_words_by_language(result: TopicResult, folder: Path, title_name: str) -> list[Path]:
    """``<model>_topic_words_by_language``: each topic's top words in each main language, side by side."""
    topics = [t for t in topics_in_order(result) if t.id != OUTLIER][: MAX_PANELS // 2]
    langs = sorted({lang for t in topics for lang in t.n_by_lang},
                   key=lambda lang: -sum(t.n_by_lang.get(lang, 0) for t in topics))[:2]
    n_rows = max(1, int(np.ceil(len(topics) / 2)))
    n_cols = 2 * max(len(langs), 1)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(REPORT_WIDTH_IN, 0.7 + 1.9 * n_rows), squeeze=False)
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
                ax.barh([w for w, _ in words][::-1], [s for _, s in words][::-1], height=0.7,
                        color=language_colour(lang, offset))
                ax.set_xlabel("relevance to the theme", fontsize=7)
                remove_spines(ax, ("top", "right", "left"))
            else:
                ax.text(0.5, 0.5, f"no {language_name(lang)} paragraph", ha="center", va="center", fontsize=8,
                        transform=ax.transAxes, color="#555555")
                ax.set_xticks([])
                ax.set_yticks([])
                remove_spines(ax, ("top", "right", "left", "bottom"))
            heading = topic_name(topic, 48) if offset == 0 else ""
            ax.set_title(f"{heading}\n{language_name(lang)}: {n_units} paragraph{'' if n_units == 1 else 's'}", fontsize=8, loc="left")
            ax.tick_params(axis="both", labelsize=7)
    fig.suptitle(f"{title_name}: the words that name each theme, per language")
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
    ax.tick_params(axis="y", labelsize=8)
    if langs:
        ax.legend(title="paragraph language", frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    remove_spines(ax)
    fig.tight_layout()
    return save_figure(fig, folder, f"{result.name}_topic_language_mix")


def shortened(text: str, length: int) -> str:
    """``text`` cut to ``length`` characters, an ellipsis marking the cut."""
    return text if len(text) <= length else text[:length - 1] + "…"


def plot_topic_article_share(result: TopicResult, folder: Path, title_name: str, max_articles: int = 30) -> list[Path]:
    """``<model>_topic_article_share``: the fraction of each article's paragraphs in each topic (largest articles)."""
    units = result.units
    names = dict(zip(units["doc"], units["article"])) if "article" in units else {}
    joined = result.assignments[["id", "topic"]].merge(units[["id", "doc"]].astype({"id": str}), on="id", how="left")
    counts = joined.groupby(["topic", "doc"]).size().unstack(fill_value=0)
    topics = topics_in_order(result)[:MAX_PANELS]
    docs = counts.sum(axis=0).sort_values(ascending=False, kind="stable").index[:max_articles].tolist()
    counts = counts.reindex(index=[t.id for t in topics], columns=docs, fill_value=0)
    share = (counts / counts.sum(axis=0).replace(0, 1)).to_numpy(dtype=float)
    labels = [shortened((names or {}).get(doc, doc), 30) for doc in docs]
    fig = heatmap(share, [topic_name(t) for t in topics], labels, title=f"{title_name}: themes per article",
                  xlabel="article", ylabel="theme", colorbar_label="fraction of the article's paragraphs",
                  vmin=0.0, vmax=1.0)
    return save_figure(fig, folder, f"{result.name}_topic_article_share")


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
    fig, (ax, legend_ax) = plt.subplots(1, 2, figsize=(REPORT_WIDTH_IN, REPORT_WIDTH_IN * 0.62),
                                        gridspec_kw={"width_ratios": [2.7, 1.0]})
    legend_ax.set_axis_off()
    topics = topics_in_order(result)[:MAX_PANELS]
    for topic in topics:
        for lang in ordered_langs:
            mask = shown[(labels[shown] == topic.id) & (langs[shown] == lang)]
            if len(mask):
                ax.scatter(coordinates[mask, 0], coordinates[mask, 1], s=size, marker=markers[lang], alpha=0.85,
                           color=topic_colour(topic.id), edgecolors="white", linewidths=0.4 * (size > 8))
        members = shown[labels[shown] == topic.id]
        if topic.id != OUTLIER and len(members):
            x, y = np.median(coordinates[members], axis=0)
            ax.annotate(str(topic.id), (x, y), ha="center", va="center", fontsize=9, fontweight="bold",
                        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.8,
                              "edgecolor": topic_colour(topic.id)})
    topic_handles = [plt.Line2D([], [], linestyle="", marker="o", color=topic_colour(t.id), label=topic_name(t, 34))
                     for t in topics]
    lang_handles = [plt.Line2D([], [], linestyle="", marker=markers[lang], color="#555555", label=language_name(lang))
                    for lang in ordered_langs]
    first = legend_ax.legend(handles=topic_handles, title="theme (id printed at its median)", fontsize=7,
                             title_fontsize=8, loc="upper left", frameon=False, alignment="left")
    legend_ax.add_artist(first)
    legend_ax.legend(handles=lang_handles, title="language", fontsize=8, title_fontsize=8, loc="lower left",
                     frameon=False, alignment="left")
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
    return save_figure(fig, folder, f"{result.name}_paragraph_map")


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
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN * 0.85, 1.2 + 0.45 * max(len(topics), 1)))
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
    ax.set_yticks(range(len(topics)), labels=[topic_name(t) for t in topics], fontsize=8)
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
