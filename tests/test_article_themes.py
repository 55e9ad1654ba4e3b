"""Each article's mix of themes (stm's θ): shares of its paragraphs and of its words, written with every run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from topicmap.metrics.article_themes import ARTICLE_THEMES_FILE, article_theme_mix, articles_resting_most


def _units(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame({"doc": [doc for doc, _ in rows], "text": [text for _, text in rows],
                         "article": [f"The {doc}" for doc, _ in rows]})


def test_each_articles_shares_of_paragraphs_and_of_words_sum_to_one():
    units = _units([("a", "one two three"), ("a", "four"), ("a", "five six"), ("b", "seven eight")])
    mix = article_theme_mix(units, np.array([0, 1, 0, 1])).set_index("doc")
    assert mix.loc["a", "share_0"] == pytest.approx(2 / 3) and mix.loc["a", "word_share_0"] == pytest.approx(5 / 6)
    assert mix.loc["b", "share_1"] == 1.0 and mix.loc["a", "article"] == "The a"
    for prefix in ("share_", "word_share_"):
        columns = [c for c in mix.columns if c.startswith(prefix)]
        assert np.allclose(mix[columns].sum(axis=1), 1.0, atol=1e-5)


def test_outliers_have_a_column_of_their_own_so_that_shares_still_sum_to_one():
    mix = article_theme_mix(_units([("a", "x y"), ("a", "z")]), np.array([0, -1]))
    assert list(mix.filter(like="share_").columns) == ["share_0", "share_outliers", "word_share_0",
                                                       "word_share_outliers"]
    assert mix.loc[0, "share_outliers"] == 0.5


def test_at_the_document_unit_an_articles_mix_is_its_theme():
    mix = article_theme_mix(_units([("a", "whole text of a"), ("b", "whole text of b")]), np.array([1, 0]))
    assert mix.set_index("doc").loc["a", ["share_0", "share_1"]].tolist() == [0.0, 1.0]


def test_a_theme_rests_most_on_the_articles_that_hold_most_of_its_paragraphs():
    units = _units([("a", "t")] * 2 + [("b", "t")] * 5 + [("c", "t")] * 4)
    mix = article_theme_mix(units, np.array([0, 1] + [0] * 4 + [1] + [0] * 4))
    assert articles_resting_most(mix, 0)["doc"].tolist() == ["b", "c", "a"]
    assert articles_resting_most(mix, 1)["doc"].tolist() == ["b", "a"]  # one paragraph each: the larger first

@pytest.mark.slow
def test_every_run_writes_each_articles_mix_of_the_report_models_themes(seed_outputs):
    mix = pd.read_csv(seed_outputs.results_path / ARTICLE_THEMES_FILE)
    paragraphs = pd.read_csv(seed_outputs.results_path / "paragraphs.csv")
    assert sorted(mix["doc"]) == sorted(paragraphs["doc"].unique())
    assert np.allclose(mix.filter(regex="^share_").sum(axis=1), 1.0, atol=1e-5)
