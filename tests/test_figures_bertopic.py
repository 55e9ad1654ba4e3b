"""Specification of the BERTopic figures: each writes its files, also for a one-topic corpus."""

from __future__ import annotations

import logging

import pandas as pd
import pytest

from topicmap import figures
from topicmap.config import Settings
from topicmap.topics_bertopic import fit_bertopic
from conftest import SEEDS

STATIC_FIGURES = {
    "bertopic_topic_words_by_language": figures.plot_bertopic_words_by_language,
    "bertopic_paragraph_map": figures.plot_paragraph_map,
    "bertopic_topic_similarity": figures.plot_topic_similarity,
    "bertopic_topic_hierarchy": figures.plot_topic_hierarchy,
}
INTERACTIVE = {"bertopic_documents", "bertopic_barchart", "bertopic_hierarchy", "bertopic_heatmap"}


@pytest.fixture(scope="module")
def module_settings(tmp_path_factory) -> Settings:
    root = tmp_path_factory.mktemp("bertopic_figures")
    return Settings(project_root=root, corpus_dir=SEEDS, cache_dir=root / "cache", figures_dir=root / "figures")


@pytest.fixture(scope="module")
def seed_run(seed_segmentation, module_settings):
    """BERTopic fitted once on the real seeds, with languages centred (the notebook's main run)."""
    return fit_bertopic(seed_segmentation.paragraphs, module_settings.replace(center_languages=True))


@pytest.fixture(scope="module")
def one_topic_run(module_settings):
    """A run with a single topic: what BERTopic's own plots cannot draw."""
    texts = ["Beijing funds new AI laboratories."] * 6
    table = pd.DataFrame({"id": [f"d-{i}" for i in range(6)], "doc": "d", "lang": ["en", "fr"] * 3,
                          "section": "", "text": texts, "n_words": 5})
    return fit_bertopic(table, module_settings)


@pytest.mark.parametrize("name", STATIC_FIGURES)
def test_each_static_figure_writes_a_png_and_an_svg(name, seed_run, tmp_path):
    paths = STATIC_FIGURES[name](seed_run, tmp_path)
    assert [p.name for p in paths] == [f"{name}.png", f"{name}.svg"]
    assert all(p.stat().st_size > 1000 for p in paths)


def test_the_paragraph_map_is_identical_when_drawn_twice(seed_run, tmp_path):
    first = figures.plot_paragraph_map(seed_run, tmp_path / "a")[0].read_bytes()
    second = figures.plot_paragraph_map(seed_run, tmp_path / "b")[0].read_bytes()
    assert first == second


def test_interactive_figures_are_self_contained_html(seed_run, tmp_path):
    paths = figures.save_interactive_figures(seed_run, tmp_path)
    assert {p.stem for p in paths} == INTERACTIVE
    assert all(p.parent == tmp_path / "interactive" for p in paths)
    html = paths[0].read_text(encoding="utf-8")
    assert "plotly" in html and 'src="https://cdn.plot.ly' not in html


@pytest.mark.parametrize("name", STATIC_FIGURES)
def test_static_figures_are_drawn_for_a_single_topic(name, one_topic_run, tmp_path):
    assert len(STATIC_FIGURES[name](one_topic_run, tmp_path)) == 2


def test_interactive_figures_bertopic_cannot_draw_are_skipped_with_a_warning(one_topic_run, tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        paths = figures.save_interactive_figures(one_topic_run, tmp_path)
    skipped = INTERACTIVE - {p.stem for p in paths}
    assert all(f"skipped interactive figure {name}" in caplog.text for name in skipped)


def test_generic_topic_figures_accept_a_bertopic_result(seed_run, seed_segmentation, tmp_path):
    paths = (figures.plot_topic_words(seed_run.result, tmp_path)
             + figures.plot_topic_language_mix(seed_run.result, tmp_path)
             + figures.plot_topic_article_share(seed_run.result, seed_segmentation.paragraphs, tmp_path))
    assert {p.stem for p in paths} == {"bertopic_topic_words", "bertopic_topic_language_mix",
                                       "bertopic_topic_article_share"}


def test_interactive_figures_are_identical_when_saved_twice(seed_run, tmp_path):
    first = figures.save_interactive_figures(seed_run, tmp_path / "a")
    second = figures.save_interactive_figures(seed_run, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
