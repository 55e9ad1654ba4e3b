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
from .tfidf import ArticleTerms
from .topics import OUTLIER, Topic, TopicModelResult

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
    if n_cols <= MAX_TICK_LABELS:
        ax.set_xticks(range(n_cols), labels=col_labels, rotation=30, ha="right", fontsize=8)
    if n_rows <= MAX_TICK_LABELS:
        ax.set_yticks(range(n_rows), labels=row_labels, fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    threshold = np.nanmean(values) if values.size else 0
    annotate = n_rows * n_cols <= MAX_ANNOTATED_CELLS
    for i in range(n_rows if annotate else 0):
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


def _article_name(article_terms: ArticleTerms, doc: str) -> str:
    """An article's id with its main language, e.g. ``002_7dd8... (en)``."""
    lang = article_terms.languages.get(doc)
    return f"{doc} ({lang})" if lang else doc


def _topic_name(topic: Topic, max_chars: int = 42) -> str:
    """``outliers`` for topic -1, else ``<id>: <label>`` cut to ``max_chars``."""
    if topic.id == OUTLIER:
        return "outliers"
    name = f"{topic.id}: {topic.label}"
    return name if len(name) <= max_chars else name[: max_chars - 1] + "…"


def _topics_in_order(result: TopicModelResult) -> list[Topic]:
    """Topics by id, the outliers (if any) last."""
    return sorted(result.topics, key=lambda t: (t.id == OUTLIER, t.id))


def plot_article_terms(article_terms: ArticleTerms, folder: Path) -> list[Path]:
    """``tfidf_article_terms``: each article's most distinctive TF-IDF terms, one panel per article."""
    docs = list(article_terms.terms)
    panels = [(_article_name(article_terms, doc), article_terms.terms[doc]) for doc in docs]
    colours = [language_colour(article_terms.languages.get(doc, ""), i) for i, doc in enumerate(docs)]
    fig = bar_grid(panels, title="Most distinctive terms of each article (TF-IDF over articles, unigrams and bigrams)",
                   xlabel="TF-IDF score", n_cols=2, colours=colours)
    return save_figure(fig, folder, "tfidf_article_terms")


def plot_article_similarity(article_terms: ArticleTerms, folder: Path) -> list[Path]:
    """``tfidf_article_similarity``: cosine similarity of the articles' TF-IDF vectors, annotated."""
    table = article_terms.similarity
    labels = [_article_name(article_terms, doc) for doc in table.index]
    fig = heatmap(table.to_numpy(), labels, labels,
                  title="Cosine similarity of the articles' TF-IDF vectors",
                  xlabel="article (main language)", ylabel="article (main language)",
                  colorbar_label="cosine similarity", vmin=0.0, vmax=1.0)
    return save_figure(fig, folder, "tfidf_article_similarity")


def plot_topic_words(result: TopicModelResult, folder: Path) -> list[Path]:
    """``<method>_topic_words``: each topic's top words by weight, one panel per topic."""
    topics = _topics_in_order(result)
    panels = [
        (("outliers" if t.id == OUTLIER else f"topic {t.id}") + f" ({t.size} paragraphs)", t.words)
        for t in topics
    ]
    colours = [PALETTE[7] if t.id == OUTLIER else PALETTE[0] for t in topics]
    fig = bar_grid(panels, title=f"Top words of the {len(topics)} {result.method.upper()} topics",
                   xlabel="word weight in topic", n_cols=3, colours=colours)
    return save_figure(fig, folder, f"{result.method}_topic_words")


def plot_topic_article_share(result: TopicModelResult, paragraphs, folder: Path) -> list[Path]:
    """``<method>_topic_article_share``: the fraction of each article's paragraphs in each topic."""
    joined = result.assignments[["id", "topic"]].merge(paragraphs[["id", "doc"]], on="id", how="left")
    counts = joined.groupby(["topic", "doc"]).size().unstack(fill_value=0)
    topics = _topics_in_order(result)
    docs = sorted(paragraphs["doc"].unique())
    counts = counts.reindex(index=[t.id for t in topics], columns=docs, fill_value=0)
    totals = counts.sum(axis=0).replace(0, 1)
    share = (counts / totals).to_numpy(dtype=float)
    fig = heatmap(share, [_topic_name(t) for t in topics], docs,
                  title=f"{result.method.upper()} topics per article",
                  xlabel="article", ylabel="topic",
                  colorbar_label="fraction of article's paragraphs",
                  vmin=0.0, vmax=1.0)
    return save_figure(fig, folder, f"{result.method}_topic_article_share")


def plot_topic_language_mix(result: TopicModelResult, folder: Path) -> list[Path]:
    """``<method>_topic_language_mix``: paragraphs per topic, stacked by paragraph language."""
    topics = _topics_in_order(result)
    found = {lang for t in topics for lang in t.n_by_lang}
    langs = [lang for lang in ("fr", "en") if lang in found] + sorted(found - {"fr", "en"})
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN * 0.8, 1.2 + 0.4 * max(len(topics), 1)))
    names = [_topic_name(t) for t in topics]
    left = np.zeros(len(topics))
    for index, lang in enumerate(langs):
        counts = np.array([t.n_by_lang.get(lang, 0) for t in topics], dtype=float)
        ax.barh(names, counts, left=left, height=0.7, color=language_colour(lang, index), label=lang)
        left += counts
    ax.invert_yaxis()
    ax.set_xlabel("paragraphs (count)")
    ax.set_ylabel("topic")
    ax.set_title(f"Language mix of the {result.method.upper()} topics: paragraphs by language")
    ax.tick_params(axis="y", labelsize=8)
    if langs:
        ax.legend(title="paragraph language", frameon=False, loc="lower right")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return save_figure(fig, folder, f"{result.method}_topic_language_mix")



# --- BERTopic figures -------------------------------------------------------------------------
# Generic topic figures (plot_topic_words, plot_topic_article_share, plot_topic_language_mix)
# serve BERTopic too; these show what only a BertopicRun has: embeddings, map, languages side by side.

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from .topics_bertopic import BertopicRun

#: Words per language in the side-by-side figure; fewer than n_top_words keeps it report-sized.
WORDS_PER_LANGUAGE_PANEL = 6
#: Marker of each language on the paragraph map, so language never depends on colour alone.
LANGUAGE_MARKERS = {"fr": "o", "en": "^"}
OTHER_MARKERS = ["s", "D", "v", "P"]
OUTLIER_COLOUR = "#BBBBBB"


def _main_languages(run: "BertopicRun", n: int = 2) -> list[str]:
    """The ``n`` most frequent unit languages, French and English first."""
    counts = run.units["lang"].value_counts()
    top = sorted(counts.index, key=lambda lang: (-counts[lang], lang))[:n]
    return [lang for lang in ("fr", "en") if lang in top] + sorted(set(top) - {"fr", "en"})


def _topic_colour(topic_id: int) -> str:
    return OUTLIER_COLOUR if topic_id == OUTLIER else PALETTE[topic_id % len(PALETTE)]


def _message_figure(title: str, message: str) -> plt.Figure:
    """A small figure that says why there is nothing to draw (e.g. a single topic)."""
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN * 0.6, 2.0))
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, wrap=True)
    ax.set_axis_off()
    ax.set_title(title)
    return fig


def plot_bertopic_words_by_language(run: "BertopicRun", folder: Path) -> list[Path]:
    """``bertopic_topic_words_by_language``: each topic's top c-TF-IDF words in each language, side by side."""
    topics = [t for t in _topics_in_order(run.result) if t.id != OUTLIER]
    langs = _main_languages(run)
    unit = run.result.params.get("unit", "paragraph")
    n_cols = 2 * len(langs) if len(langs) <= 2 else len(langs)
    per_row = max(1, n_cols // len(langs)) if langs else 1
    n_rows = max(1, int(np.ceil(len(topics) / per_row)))
    fig, axes = plt.subplots(n_rows, max(n_cols, 1), figsize=(REPORT_WIDTH_IN, 0.6 + 1.9 * n_rows), squeeze=False)
    for ax in axes.flat:
        ax.set_visible(False)
    for index, topic in enumerate(topics):
        row, first_col = divmod(index, per_row)
        for offset, lang in enumerate(langs):
            ax = axes[row, first_col * len(langs) + offset]
            ax.set_visible(True)
            words = topic.words_by_lang.get(lang, [])[:WORDS_PER_LANGUAGE_PANEL]
            n_units = topic.n_by_lang.get(lang, 0)
            if words:
                ax.barh([w for w, _ in words][::-1], [s for _, s in words][::-1], height=0.7,
                        color=language_colour(lang, offset))
            else:
                ax.text(0.5, 0.5, f"no {lang} {unit}", ha="center", va="center", fontsize=8,
                        transform=ax.transAxes, color="#555555")
                ax.set_xticks([])
                ax.set_yticks([])
            # The topic name spans the pair of panels: it is set, left-aligned, on the first one only.
            heading = _topic_name(topic, 60) if offset == 0 else ""
            ax.set_title(f"{heading}\n{lang}: {n_units} {unit}{'' if n_units == 1 else 's'}", fontsize=8, loc="left")
            ax.tick_params(axis="both", labelsize=7)
            ax.set_xlabel("c-TF-IDF weight" if words else "", fontsize=7)
            for side in ("top", "right", "left") if words else ("top", "right", "left", "bottom"):
                ax.spines[side].set_visible(False)
    fig.suptitle(f"Top words of each BERTopic topic, computed separately on its {' and '.join(langs)} {unit}s")
    fig.tight_layout()
    return save_figure(fig, folder, "bertopic_topic_words_by_language")


def plot_paragraph_map(run: "BertopicRun", folder: Path) -> list[Path]:
    """``bertopic_paragraph_map``: the seeded 2-D UMAP of the embeddings; colour = topic, marker = language."""
    coords, topic_ids = np.asarray(run.coordinates), run.topic_ids
    langs = run.units["lang"].astype(str).to_numpy()
    ordered_langs = _main_languages(run, n=len(set(langs)))
    markers = {lang: LANGUAGE_MARKERS.get(lang, OTHER_MARKERS[i % len(OTHER_MARKERS)])
               for i, lang in enumerate(ordered_langs)}
    # The legends get their own axes on the right, so that no saving mode can crop them.
    fig, (ax, legend_ax) = plt.subplots(1, 2, figsize=(REPORT_WIDTH_IN, REPORT_WIDTH_IN * 0.62),
                                        gridspec_kw={"width_ratios": [2.7, 1.0]})
    legend_ax.set_axis_off()
    for topic in _topics_in_order(run.result):
        for lang in ordered_langs:
            mask = (topic_ids == topic.id) & (langs == lang)
            if mask.any():
                ax.scatter(coords[mask, 0], coords[mask, 1], s=28, marker=markers[lang], alpha=0.85,
                           color=_topic_colour(topic.id), edgecolors="white", linewidths=0.4)
        members = topic_ids == topic.id
        if topic.id != OUTLIER and members.any():
            x, y = np.median(coords[members], axis=0)
            ax.annotate(str(topic.id), (x, y), ha="center", va="center", fontsize=9, fontweight="bold",
                        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.8,
                              "edgecolor": _topic_colour(topic.id)})
    topic_handles = [plt.Line2D([], [], linestyle="", marker="o", color=_topic_colour(t.id), label=_topic_name(t, 34))
                     for t in _topics_in_order(run.result)]
    lang_handles = [plt.Line2D([], [], linestyle="", marker=markers[lang], color="#555555", label=lang)
                    for lang in ordered_langs]
    first = legend_ax.legend(handles=topic_handles, title="topic (id printed at its median)", fontsize=7,
                             title_fontsize=8, loc="upper left", frameon=False, alignment="left")
    legend_ax.add_artist(first)
    legend_ax.legend(handles=lang_handles, title="language", fontsize=8, title_fontsize=8,
                     loc="lower left", frameon=False, alignment="left")
    reduction = "UMAP" if run.parameters.reduction == "umap" else "PCA"
    ax.set_xlabel(f"{reduction} dimension 1 (no unit)")
    ax.set_ylabel(f"{reduction} dimension 2 (no unit)")
    unit = run.result.params.get("unit", "paragraph")
    embedding = str(run.result.params.get("embedding", "")).replace("use", "USE")
    ax.set_title(f"{len(coords)} {unit}s placed by their {embedding} embeddings ({reduction}, seed "
                 f"{run.result.params.get('seed')})\ncolour = topic, marker = language", fontsize=10)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return save_figure(fig, folder, "bertopic_paragraph_map")


def _real_topics_and_centroids(run: "BertopicRun") -> tuple[list[Topic], np.ndarray]:
    """The non-outlier topics and their centroid embeddings, in id order."""
    rows = [(topic, vector) for topic, vector in zip(run.result.topics, run.topic_embeddings) if topic.id != OUTLIER]
    rows.sort(key=lambda row: row[0].id)
    return [t for t, _ in rows], (np.vstack([v for _, v in rows]) if rows else np.zeros((0, 0)))


def plot_topic_similarity(run: "BertopicRun", folder: Path) -> list[Path]:
    """``bertopic_topic_similarity``: cosine similarity of the topics' centroid embeddings, annotated."""
    topics, centroids = _real_topics_and_centroids(run)
    if len(topics) < 2:
        fig = _message_figure("BERTopic topic similarity", "Only one topic: no similarity to show.")
    else:
        similarity = centroids @ centroids.T
        names = [_topic_name(t, 36) for t in topics]
        fig = heatmap(similarity, names, names,
                      title="How similar the BERTopic topics are (cosine of their centroid embeddings)",
                      xlabel="topic", ylabel="topic", colorbar_label="cosine similarity",
                      vmin=float(min(0.0, similarity.min())), vmax=1.0)
    return save_figure(fig, folder, "bertopic_topic_similarity")


def plot_topic_hierarchy(run: "BertopicRun", folder: Path) -> list[Path]:
    """``bertopic_topic_hierarchy``: dendrogram of the topics (average linkage, cosine distance of centroids)."""
    from scipy.cluster.hierarchy import dendrogram, linkage, set_link_color_palette
    from scipy.spatial.distance import pdist

    topics, centroids = _real_topics_and_centroids(run)
    if len(topics) < 2:
        fig = _message_figure("BERTopic topic hierarchy", "Only one topic: no hierarchy to show.")
        return save_figure(fig, folder, "bertopic_topic_hierarchy")
    distances = np.clip(pdist(centroids, metric="cosine"), 0.0, None)
    tree = linkage(distances, method="average")
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN, 1.2 + 0.38 * len(topics)))
    set_link_color_palette(PALETTE[:7])
    dendrogram(tree, labels=[_topic_name(t, 48) for t in topics], orientation="left", ax=ax,
               above_threshold_color="#555555", leaf_font_size=8)
    set_link_color_palette(None)
    ax.set_xlabel("cosine distance between topic centroids (average linkage)")
    ax.set_ylabel("topic")
    ax.set_title("Which BERTopic topics merge first into broader themes")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return save_figure(fig, folder, "bertopic_topic_hierarchy")


def save_interactive_figures(run: "BertopicRun", folder: Path) -> list[Path]:
    """BERTopic's plotly figures as self-contained HTML under ``folder/interactive`` (work offline).

    A figure BERTopic cannot draw (too few topics, typically) is skipped with a warning.
    """
    import logging
    import warnings

    from .outputs import write_text

    model, n_topics = run.model, run.result.n_topics
    texts = run.units["text"].astype(str).tolist()
    drawers = {
        "bertopic_documents": lambda: model.visualize_documents(
            texts, topics=None, reduced_embeddings=np.asarray(run.coordinates), custom_labels=True,
            title="<b>BERTopic: paragraphs and topics</b> (UMAP of the embeddings)"),
        "bertopic_barchart": lambda: model.visualize_barchart(
            top_n_topics=n_topics, n_words=8, custom_labels=True, title="<b>BERTopic: top words per topic</b>"),
        "bertopic_hierarchy": lambda: model.visualize_hierarchy(
            custom_labels=True, title="<b>BERTopic: topic hierarchy</b> (c-TF-IDF)"),
        "bertopic_heatmap": lambda: model.visualize_heatmap(
            custom_labels=True, title="<b>BERTopic: topic similarity</b> (topic embeddings)"),
    }
    paths = []
    for name, draw in drawers.items():
        # visualize_documents shuffles each topic's points with numpy's global generator: seed it,
        # then give the caller back the generator's state.
        global_state = np.random.get_state()
        try:
            np.random.seed(int(run.result.params.get("seed", 0)))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                figure = draw()
        except Exception as error:  # BERTopic's plots fail in many ways on one or two topics
            logging.getLogger(__name__).warning("skipped interactive figure %s: %s: %s",
                                                name, type(error).__name__, error)
            continue
        finally:
            np.random.set_state(global_state)
        # A fixed div id (plotly draws a random one) keeps the HTML identical from run to run.
        html = figure.to_html(include_plotlyjs=True, full_html=True, div_id=name, config={"displaylogo": False})
        paths.append(write_text(Path(folder) / "interactive" / f"{name}.html", html))
    return paths


# --- evaluation figures -----------------------------------------------------------------------

#: Metric key -> axis label, in the order the comparison figure shows them.
COMPARED_METRICS = {
    "npmi_mean": "NPMI coherence (−1…1)",
    "topic_diversity": "topic diversity",
    "stability_ari": "stability: ARI across seeds",
    "stability_word_overlap": "stability: word overlap",
    "bilingual_topic_share": "topics holding fr + en",
    "cross_lingual_pair_agreement": "fr/en pairs in one topic",
    "outlier_share": "outlier share (lower is better)",
}


def plot_method_comparison(evaluation: dict, folder: Path) -> list[Path]:
    """``evaluation_method_comparison``: every evaluation metric, one group of bars per metric."""
    methods = list(evaluation["methods"])
    labels = list(COMPARED_METRICS.values())
    fig, ax = plt.subplots(figsize=(REPORT_WIDTH_IN * 0.85, 1.0 + 0.55 * len(labels) * max(1, len(methods)) / 2))
    height = 0.8 / max(len(methods), 1)
    positions = np.arange(len(labels))
    for index, name in enumerate(methods):
        values = [evaluation["methods"][name].get(key, np.nan) for key in COMPARED_METRICS]
        values = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0)
        bars = ax.barh(positions + index * height, values, height=height, color=PALETTE[index % len(PALETTE)],
                       label=f"{name} ({evaluation['methods'][name]['n_topics']} topics)")
        for bar, value in zip(bars, values):
            ax.text(bar.get_width() + 0.01 if value >= 0 else 0.01, bar.get_y() + bar.get_height() / 2,
                    f"{value:.2f}", va="center", fontsize=7)
    ax.set_yticks(positions + height * (len(methods) - 1) / 2, labels=labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(min(0.0, ax.get_xlim()[0]), 1.12)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_xlabel("score (higher is better, except outlier share)")
    ax.set_title(f"Topic quality by method (stability over {len(evaluation['seeds'])} seeds); "
                 f"the report relies on {evaluation['chosen_method']}")
    ax.legend(frameon=False, loc="lower right", fontsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return save_figure(fig, folder, "evaluation_method_comparison")
