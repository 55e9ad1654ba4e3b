"""Every figure reads at any corpus size: no two axis labels overlap, with 4 or 60 articles, 2 or 20 themes."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from topicmap.figures import base, topics as topic_figures
from topicmap.topics.base import Topic, TopicResult


def result_of(n_themes: int, n_articles: int, seed: int = 0) -> TopicResult:
    rng = np.random.RandomState(seed)
    n = 20 * n_articles
    docs = np.repeat([f"article-{i:03d}" for i in range(n_articles)], 20)
    labels = rng.randint(0, n_themes, size=n)
    langs = np.where(rng.rand(n) < 0.5, "en", "fr")
    topics = [Topic(id=t, size=int((labels == t).sum()), label=f"a rather long theme name {t} / un nom {t}",
                    words=[(f"word{t}-{w}", 1.0 / (w + 1)) for w in range(10)],
                    words_by_lang={lang: [(f"{lang}word{t}-{w}", 1.0 / (w + 1)) for w in range(10)] for lang in ("en", "fr")},
                    n_by_lang={lang: int(((labels == t) & (langs == lang)).sum()) for lang in ("en", "fr")})
              for t in range(n_themes)]
    units = pd.DataFrame({"id": [f"u{i}" for i in range(n)], "doc": docs, "lang": langs, "text": "x",
                          "article": [f"The article called number {d[-3:]} of the corpus" for d in docs]})
    return TopicResult("model", topics, pd.DataFrame({"id": units["id"], "topic": labels}), {"random_state": 0},
                       space=rng.normal(size=(n, 8)), units=units)


@pytest.mark.parametrize("n_themes, n_articles", [(2, 4), (7, 4), (3, 34), (3, 60), (20, 60), (20, 1000)])
def test_no_two_axis_labels_overlap_whatever_the_size(n_themes, n_articles, monkeypatch, tmp_path):
    checked = []
    original = base.overlapping_labels

    def spy(fig):
        checked.append(original(fig))
        return checked[-1]

    monkeypatch.setattr(base, "overlapping_labels", spy)
    result = result_of(n_themes, n_articles)
    for plot in (topic_figures.plot_topic_article_share, topic_figures.plot_topic_words_by_language,
                 topic_figures.plot_topic_language_mix, topic_figures.plot_topic_similarity,
                 topic_figures.plot_theme_prevalence):
        plot(result, tmp_path, "Model")
    assert len(checked) == 5 and all(pairs == [] for pairs in checked), checked


def test_overlapping_labels_are_found():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 2))
    ax.set_xticks(range(40), labels=[f"a long label {i}" for i in range(40)])
    assert base.overlapping_labels(fig)
    plt.close(fig)


def test_a_similarity_matrix_names_its_long_labels_once_numbering_the_columns():
    names = ["La Chine réduit les distances (French)", "China made waves with DeepSeek (English)"]
    assert base._square_labels(names, names) == (["1: La Chine réduit les distances (French)",
                                                  "2: China made waves with DeepSeek (English)"], ["1", "2"])
    themes = ["0: cooperation / collaboration", "3: universities / universités"]
    assert base._square_labels(themes, themes) == (themes, ["0", "3"])  # a theme keeps its own id
    assert base._square_labels(["a", "b"], ["x", "y"]) == (["a", "b"], ["x", "y"])  # not a square of one kind


def test_figure_text_is_set_in_the_dejavu_files_matplotlib_ships_even_when_a_system_copy_comes_first():
    from pathlib import Path

    from matplotlib import font_manager
    from matplotlib.font_manager import FontProperties

    bundled = Path(matplotlib.get_data_path(), "fonts", "ttf")
    styles = [FontProperties(), FontProperties(weight="bold"), FontProperties(style="italic"),
              FontProperties(weight="bold", style="italic")]
    assert matplotlib.rcParams["font.family"] == ["DejaVu Sans"]  # no system font as a fallback family
    # A font cache built by another installation may list other files named DejaVu Sans first.
    font_manager.fontManager.ttflist.sort(key=lambda font: Path(font.fname).parent == bundled)
    try:
        base._bundled_fonts_first()
        assert [Path(font_manager.findfont(style)).parent for style in styles] == [bundled] * 4
    finally:
        base._bundled_fonts_first()


# --- text is drawn as it is written (issue 31, item 1) --------------------------------------------------------

#: Everyday news text that matplotlib's mathtext would read as formulas: prices, tickers, TeX characters.
LITERAL_TEXTS = ["Oil at $80 #OPEC cuts, $90 next", "$x^2$ and a_b^c", "C:\\new\\table {x} 50% #1", "$",
                 "Prix : 5 $ ^_^", "$TSLA \\alpha $", "$$", "US$1.2bn {draft}"]


def _hostile_paragraphs(n_docs: int = 12) -> pd.DataFrame:
    rows = []
    for i in range(n_docs):
        for j in range(3):
            rows.append({"id": f"d{i}-{j}", "doc": f"d{i:02d}", "lang": "en" if i % 2 else "fr", "n_words": 10 + j,
                         "text": f"{LITERAL_TEXTS[(i + j) % len(LITERAL_TEXTS)]} paragraph {j}",
                         "date": f"2024-0{1 + i % 2}-1{j}", "source": ["Le $ Monde", "a_b^c \\ wire"][i % 2]})
    return pd.DataFrame(rows)


def test_dollars_and_tex_characters_in_every_text_of_every_figure_are_drawn_literally(monkeypatch, tmp_path):
    """Article names and titles (corpus.toml), theme words, sources: a ``$`` in a headline is a price, not a formula."""
    import matplotlib.text

    from hostile import fake_analysis
    from topicmap.pipeline import draw_figures

    drawn: list[list[tuple[str, bool]]] = []
    original = base.overlapping_labels

    def spy(fig):
        texts = [t for t in fig.findobj(matplotlib.text.Text) if "$" in t.get_text()]
        drawn.append([(t.get_text(), t.get_parse_math()) for t in texts])
        return original(fig)  # draws the figure: mathtext raised here on "$80 ... $90"

    monkeypatch.setattr(base, "overlapping_labels", spy)
    paragraphs = _hostile_paragraphs()
    names = {doc: LITERAL_TEXTS[i % len(LITERAL_TEXTS)] + f" ({i})" for i, doc in enumerate(sorted(paragraphs["doc"].unique()))}
    analysis = fake_analysis(paragraphs, names, words=["$80", "a_b", "x^2", "\\alpha", "{}", "#OPEC", "50%", "$"])
    paths = draw_figures(analysis, tmp_path)
    assert len(drawn) == len([p for p in paths if p.suffix == ".png"]) >= 12
    dollars = [text for figure in drawn for text, _ in figure]
    assert any("Oil at $80 #OPEC cuts, $90 next" in text for text in dollars)
    assert all(not parse_math for figure in drawn for _, parse_math in figure), drawn


# --- Issue 32: every figure reads at 4, 36, 90 and 1,000 articles ------------------------------------------------

import dataclasses

from topicmap.figures import articles as article_figures, corpus as corpus_figures
from topicmap.representations.tfidf import ArticleTerms, article_groups


def drawn(module, monkeypatch):
    """The figures ``module`` hands to ``save_figure``, kept open to be measured instead of being written."""
    figures = []
    monkeypatch.setattr(module, "save_figure", lambda fig, folder, name: figures.append(fig) or [])
    return figures


def assert_reads(fig):
    """No two texts drawn over each other, and the smallest at least 7 pt as the report prints the figure."""
    assert base.overlapping_texts(fig) == []
    size, text = base.smallest_printed_text(fig)
    assert size >= base.MIN_PRINTED_PT - 0.05, (size, text)


def test_text_is_measured_at_the_size_the_report_prints_it():
    import matplotlib.pyplot as plt

    wide, ax = plt.subplots(figsize=(10, 4))
    ax.set_title("ten points", fontsize=10)
    ax.tick_params(labelsize=12)
    wide.tight_layout()
    assert 0.65 < base.printed_scale(wide) < 0.72  # a 10-inch figure prints 6.95 inches wide
    assert base.smallest_printed_text(wide) < (base.MIN_PRINTED_PT + 0.1, "ten points")
    tall, ax = plt.subplots(figsize=(6, 20))
    ax.set_title("eight points", fontsize=8)
    assert base.smallest_printed_text(tall)[0] < 4  # at most 20 cm tall on paper: shrunk to about 40%
    plt.close("all")


@pytest.mark.parametrize("n_articles", [4, 36, 90, 1000])
def test_the_theme_mix_shows_every_article_grouped_by_its_main_theme_and_reads(n_articles, monkeypatch, tmp_path):
    figures = drawn(topic_figures, monkeypatch)
    result = result_of(12, n_articles)
    topic_figures.plot_topic_article_share(result, tmp_path, "Model")
    fig = figures[0]
    assert_reads(fig)
    topics, docs, share = topic_figures.article_theme_shares(result)
    assert sorted(docs) == sorted(set(result.units["doc"]))  # every article, once: none left out
    main = share.argmax(axis=0)
    assert list(main) == sorted(main)  # the articles of one main theme stand together, in the themes' order
    ax = fig.axes[0]
    if n_articles <= topic_figures.MAX_NAMED_ARTICLES:
        assert len([t for t in ax.get_xticklabels() if t.get_text()]) == n_articles
    else:
        assert f"all {n_articles} articles" in ax.get_xlabel()
    # values only in cells wide enough for them: "14%" never runs into its neighbour
    assert all(len(t.get_text()) <= 4 for t in ax.texts)
    assert ax.xaxis.get_major_ticks()[0].tick1line.get_markersize() == 0 or n_articles > 30
    import matplotlib.pyplot as plt
    plt.close("all")


def mapped_result(points_by_theme: dict[int, np.ndarray]) -> TopicResult:
    labels = np.concatenate([[t] * len(p) for t, p in points_by_theme.items()])
    coordinates = np.vstack(list(points_by_theme.values()))
    n = len(labels)
    units = pd.DataFrame({"id": [f"u{i}" for i in range(n)], "doc": [f"d{i % 7}" for i in range(n)],
                          "lang": np.where(np.arange(n) % 2, "en", "fr"), "text": "x"})
    topics = [Topic(id=t, size=int((labels == t).sum()), label=f"theme {t}", words=[("w", 1.0)],
                    words_by_lang={}, n_by_lang={"en": 1}) for t in points_by_theme]
    return TopicResult("model", topics, pd.DataFrame({"id": units["id"], "topic": labels}), {"random_state": 0},
                       units=units, coordinates=coordinates)


def test_a_map_label_points_at_its_themes_densest_points_never_between_its_clusters(monkeypatch, tmp_path):
    rng = np.random.RandomState(0)
    # theme 0 in two clusters: 30 points round (0, 0), 20 round (10, 0); its median and mean fall between them
    two_clusters = np.vstack([rng.normal(0, 0.3, (30, 2)), rng.normal(0, 0.3, (20, 2)) + [10, 0]])
    result = mapped_result({0: two_clusters, 1: rng.normal(0, 0.3, (36, 2)) + [5, 6],
                            2: rng.normal(0, 0.3, (25, 2)) + [5, -6]})
    figures = drawn(topic_figures, monkeypatch)
    topic_figures.plot_paragraph_map(result, tmp_path, "Model")
    fig = figures[0]
    assert_reads(fig)
    ax = fig.axes[0]
    labels = {int(a.get_text()): a for a in ax.texts}
    assert set(labels) == {0, 1, 2}
    assert np.linalg.norm(np.asarray(labels[0].xy)) < 1.5  # on the larger cluster, not at (4, 0)
    renderer = fig.canvas.get_renderer()
    for theme, annotation in labels.items():
        members = result.coordinates[result.labels == theme]
        box = annotation.get_bbox_patch().get_window_extent(renderer)
        pixels = ax.transData.transform(members)
        covered = ((pixels[:, 0] >= box.x0) & (pixels[:, 0] <= box.x1) & (pixels[:, 1] >= box.y0)
                   & (pixels[:, 1] <= box.y1)).sum()
        assert covered <= 0.1 * len(members), (theme, covered)  # its points are seen, not hidden by its label
        # and it stays beside them: its box is within two box-widths of the point it names
        centre = np.array([(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2])
        assert np.linalg.norm(centre - ax.transData.transform(annotation.xy)) < 4 * box.width
    import matplotlib.pyplot as plt
    plt.close("all")


class _Representations:
    """What ``article_groups`` reads of the representations: the units, and surface forms (none)."""

    def __init__(self, docs):
        self.units = pd.DataFrame({"doc": docs})

    def display_forms(self, rows=None):
        return {}


def grouped_terms(n_articles: int, seed: int = 0) -> ArticleTerms:
    from scipy import sparse

    rng = np.random.RandomState(seed)
    n_terms, topics = 300, 6
    # articles of six subjects, each drawing most of its words from its own fifty terms
    subject = rng.randint(0, topics, size=n_articles)
    counts = rng.poisson(0.05, size=(n_articles, n_terms)).astype(float)
    for i, s in enumerate(subject):
        counts[i, 50 * s: 50 * (s + 1)] += rng.poisson(1.0, size=50)
    tfidf = sparse.csr_matrix(counts / np.linalg.norm(counts, axis=1, keepdims=True).clip(1e-12))
    docs = [f"article-{i:04d}" for i in range(n_articles)]
    groups = article_groups(tfidf, docs, [f"term{j}" for j in range(n_terms)], _Representations(docs))
    return ArticleTerms(terms={d: [] for d in docs}, similarity=None,
                        languages={d: "en" if i % 3 else "fr" for i, d in enumerate(docs)}, groups=groups)


@pytest.mark.parametrize("n_articles", [36, 90, 1000])
def test_the_article_similarity_shows_every_article_in_named_groups_and_reads(n_articles, monkeypatch, tmp_path):
    terms = grouped_terms(n_articles)
    groups = terms.groups
    assert sorted(groups.order) == sorted(terms.terms)  # every article, once
    assert len(groups.matrix) <= 200 and groups.bin_size == int(np.ceil(n_articles / 200))
    figures = drawn(article_figures, monkeypatch)
    article_figures.plot_article_similarity(terms, tmp_path)
    fig = figures[0]
    assert_reads(fig)
    ax = fig.axes[0]
    assert f"all {n_articles} articles" in ax.get_ylabel()
    named = [t.get_text() for t in ax.get_yticklabels()]
    assert len(named) == len(set(groups.groups)) and all("articles" not in t or t for t in named)
    assert ArticleTerms.from_json(terms.to_json()).groups.order == groups.order  # written and read back
    import matplotlib.pyplot as plt
    plt.close("all")


@pytest.mark.parametrize("n_articles", [4, 36, 1000])
def test_paragraphs_per_article_count_every_article_and_fit_a_page(n_articles, monkeypatch, tmp_path):
    rng = np.random.RandomState(0)
    sizes = rng.randint(1, 30, size=n_articles)
    paragraphs = pd.DataFrame({"doc": np.repeat([f"d{i}" for i in range(n_articles)], sizes),
                               "lang": np.repeat(np.where(np.arange(n_articles) % 2, "en", "fr"), sizes)})
    paragraphs["id"] = range(len(paragraphs))
    figures = drawn(corpus_figures, monkeypatch)
    corpus_figures.plot_paragraphs_per_document(paragraphs, tmp_path)
    fig = figures[0]
    assert_reads(fig)
    assert f"in {n_articles} articles" in fig.axes[0].get_title()
    assert base.saved_size(fig)[1] * base.printed_scale(fig) < 0.5 * 27.0 / 2.54  # at most half a printed page
    import matplotlib.pyplot as plt
    plt.close("all")


def _printed_height(plot, monkeypatch, module) -> float:
    """The printed height in inches of the figure ``plot()`` draws (the size ``save_figure`` is given)."""
    heights = []

    def measured(fig, folder, name):
        heights.append(base.saved_size(fig)[1] * base.printed_scale(fig))
        plt.close(fig)
        return []

    monkeypatch.setattr(module, "save_figure", measured)
    plot()
    return heights[0]


def test_the_tallest_figures_print_at_most_half_a_page_so_moving_one_never_leaves_a_half_empty_page(
        monkeypatch, tmp_path):
    from topicmap.figures import evaluation

    words = _printed_height(lambda: topic_figures.plot_topic_words_by_language(result_of(20, 60), tmp_path, "M"),
                            monkeypatch, topic_figures)
    measures = {"n_topics": 8, "cross_lingual_pair_agreement": 0.9, "bilingual_topic_share": 0.8,
                "stability_ari": 0.7, "stability_word_overlap": 0.6, "npmi_by_language": 0.1,
                "topic_diversity": 0.9, "outlier_share": 0.1}
    evaluation_result = {"seeds": [1, 2, 3, 4, 5], "models": {f"model {i}": dict(measures) for i in range(5)}}
    comparison = _printed_height(lambda: evaluation.plot_model_comparison(evaluation_result, tmp_path, {}),
                                 monkeypatch, evaluation)
    assert max(words, comparison) <= base.PRINT_HALF_PAGE_IN, (words, comparison)


def test_no_figure_prints_a_negative_zero(monkeypatch, tmp_path):
    from topicmap.figures import evaluation

    drawn = []

    def kept(fig, folder, name):
        drawn.extend(t.get_text() for t in fig.findobj(matplotlib.text.Text))
        plt.close(fig)
        return []

    monkeypatch.setattr(evaluation, "save_figure", kept)
    measures = {"n_topics": 4, "npmi_by_language": -0.0046, "topic_diversity": 0.9, "stability_ari": 0.5}
    evaluation.plot_model_comparison({"seeds": [1], "models": {"nmf": measures}}, tmp_path, {})
    assert "0.00" in drawn and "-0.00" not in drawn


def test_the_words_of_a_theme_are_shown_in_the_languages_compared_not_for_a_handful_of_stray_paragraphs(monkeypatch,
                                                                                                      tmp_path):
    result = result_of(4, 10)
    for topic in result.topics:  # a French corpus in which one paragraph reads as English
        topic.n_by_lang = {"fr": topic.size - (topic.id == 0), **({"en": 1} if topic.id == 0 else {})}
    drawn = []
    monkeypatch.setattr(topic_figures, "save_figure", lambda fig, folder, name: drawn.append(fig) or [])
    topic_figures.plot_topic_words_by_language(result, tmp_path, "M")
    titles = [ax.get_title(loc="left") for ax in drawn[0].axes if ax.get_visible()]
    assert len(titles) == 4 and all("French" in title for title in titles)
    plt.close(drawn[0])
