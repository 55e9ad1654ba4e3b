"""Each TF-IDF and topic figure writes its PNG and SVG, named after what it shows."""

from __future__ import annotations

import pandas as pd
import pytest

from topicmap import figures
from topicmap.config import Settings
from topicmap.tfidf import ArticleTerms
from topicmap.topics import Topic, TopicModelResult

ARTICLE_TERMS = ArticleTerms(
    terms={"a": [("satellites", 0.5), ("remote sensing", 0.3)], "b": [("puces", 0.6), ("exportation", 0.2)]},
    similarity=pd.DataFrame([[1.0, 0.1], [0.1, 1.0]], index=["a", "b"], columns=["a", "b"]),
    languages={"a": "en", "b": "fr"},
)

PARAGRAPHS = pd.DataFrame({
    "id": ["a-001", "a-002", "b-001", "b-002"],
    "doc": ["a", "a", "b", "b"],
    "lang": ["en", "en", "fr", "fr"],
})


def result_of(method: str, with_outliers: bool = False) -> TopicModelResult:
    """A two-topic result (plus outliers when asked) over PARAGRAPHS."""
    topics = [
        Topic(0, 2, "satellites / orbit", [("satellites", 0.9), ("orbit", 0.4)], n_by_lang={"en": 1, "fr": 1}),
        Topic(1, 1, "puces / export", [("puces", 0.8), ("export", 0.3)], n_by_lang={"fr": 1}),
    ]
    assigned = [0, 0, 0, 1]
    if with_outliers:
        topics.append(Topic(-1, 1, "outliers", [("divers", 0.1)], n_by_lang={"en": 1}))
        assigned = [0, -1, 0, 1]
    return TopicModelResult(method, topics, pd.DataFrame({"id": PARAGRAPHS["id"], "topic": assigned}))


def assert_png_and_svg(paths, name: str) -> None:
    assert sorted(p.name for p in paths) == [f"{name}.png", f"{name}.svg"]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)


def test_article_terms_figure_is_written(tmp_settings: Settings):
    paths = figures.plot_article_terms(ARTICLE_TERMS, tmp_settings.figures_path)
    assert_png_and_svg(paths, "tfidf_article_terms")


def test_article_similarity_figure_is_written(tmp_settings: Settings):
    paths = figures.plot_article_similarity(ARTICLE_TERMS, tmp_settings.figures_path)
    assert_png_and_svg(paths, "tfidf_article_similarity")


def test_topic_words_figure_is_named_after_the_method(tmp_settings: Settings):
    paths = figures.plot_topic_words(result_of("nmf"), tmp_settings.figures_path)
    assert_png_and_svg(paths, "nmf_topic_words")


def test_topic_article_share_figure_is_named_after_the_method(tmp_settings: Settings):
    paths = figures.plot_topic_article_share(result_of("nmf"), PARAGRAPHS, tmp_settings.figures_path)
    assert_png_and_svg(paths, "nmf_topic_article_share")


def test_topic_language_mix_figure_is_named_after_the_method(tmp_settings: Settings):
    paths = figures.plot_topic_language_mix(result_of("nmf"), tmp_settings.figures_path)
    assert_png_and_svg(paths, "nmf_topic_language_mix")


@pytest.mark.parametrize("plot", ["plot_topic_words", "plot_topic_language_mix", "plot_topic_article_share"])
def test_topic_figures_accept_outliers(tmp_settings: Settings, plot: str):
    result = result_of("bertopic", with_outliers=True)
    arguments = (result, PARAGRAPHS) if plot == "plot_topic_article_share" else (result,)
    paths = getattr(figures, plot)(*arguments, tmp_settings.figures_path)
    assert all(p.name.startswith("bertopic_") for p in paths)


def test_outlier_topic_is_shown_as_outliers():
    assert figures._topic_name(Topic(-1, 1, "x", [])) == "outliers"


def test_topic_figure_is_deterministic(tmp_path):
    first = figures.plot_topic_words(result_of("nmf"), tmp_path / "one")
    second = figures.plot_topic_words(result_of("nmf"), tmp_path / "two")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


@pytest.mark.slow
def test_seed_figures_are_written(seed_segmentation, tmp_settings: Settings):
    from topicmap.tfidf import article_terms
    from topicmap.topics_nmf import fit_nmf

    paragraphs = seed_segmentation.paragraphs
    terms = article_terms(paragraphs, tmp_settings)
    result = fit_nmf(paragraphs, tmp_settings.replace(nmf_topics=5))
    folder = tmp_settings.figures_path
    written = [
        *figures.plot_article_terms(terms, folder),
        *figures.plot_article_similarity(terms, folder),
        *figures.plot_topic_words(result, folder),
        *figures.plot_topic_article_share(result, paragraphs, folder),
        *figures.plot_topic_language_mix(result, folder),
    ]
    assert len(written) == 10 and all(p.is_file() for p in written)


def test_a_bar_grid_of_many_panels_draws_the_first_ones_and_says_so():
    import matplotlib.pyplot as plt

    from topicmap.figures import MAX_PANELS, bar_grid

    fig = bar_grid([(f"p{i}", [("w", 1.0)]) for i in range(MAX_PANELS + 5)], title="T", xlabel="x")
    assert sum(ax.get_visible() for ax in fig.axes) == MAX_PANELS
    assert f"the first {MAX_PANELS} of {MAX_PANELS + 5} shown" in fig._suptitle.get_text()
    plt.close(fig)


def test_a_large_heatmap_drops_cell_values_so_memory_stays_bounded():
    import matplotlib.pyplot as plt
    import numpy as np

    from topicmap.figures import heatmap

    fig = heatmap(np.eye(100), [str(i) for i in range(100)], [str(i) for i in range(100)], "T", "x", "y", "c")
    assert not fig.axes[0].texts
    plt.close(fig)
