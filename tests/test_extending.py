"""Extending topicmap, as the README's "Extending topicmap" shows: a figure is one function of the result,
a model is one estimator and one registry line."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from conftest import write_corpus
from topicmap import figures, pipeline
from topicmap.config import Settings
from topicmap.figures.base import save_figure
from topicmap.topics import registry
from topicmap.topics.base import TopicModel, TopicResult
from topicmap.topics.words import describe_topics


class KMeansTopicModel(TopicModel):
    """The README's example model: KMeans on the multilingual embeddings."""

    name = "kmeans"

    def __init__(self, n_topics: int | str = 2, random_state: int = 42) -> None:
        self.n_topics = n_topics
        self.random_state = random_state

    def fit(self, representations, y=None) -> "KMeansTopicModel":
        from sklearn.cluster import KMeans

        k = 2 if self.n_topics == "auto" else int(self.n_topics)
        self.labels_ = KMeans(k, n_init=10, random_state=self.random_state).fit_predict(representations.embeddings)
        topics = describe_topics(self.labels_, representations, n_words=10, n_representative=2,
                                 space=representations.embeddings)
        self.result_ = TopicResult(self.name, topics, pd.DataFrame({"id": representations.ids, "topic": self.labels_}),
                                   self.get_params(), space=representations.embeddings)
        return self


def plot_theme_sizes(result: TopicResult, folder, title_name: str):
    """The README's example figure: paragraphs per theme and language, from the result alone."""
    counts = pd.crosstab(result.labels, result.langs)
    fig, ax = plt.subplots()
    counts.plot.barh(ax=ax, stacked=True)
    ax.set_title(f"{title_name}: paragraphs per theme")
    return save_figure(fig, folder, f"{result.name}_theme_sizes")


def test_a_newcomer_adds_a_model_with_one_estimator_and_a_figure_with_one_function(tmp_path, monkeypatch):
    # the one registry line, and the one list entry
    monkeypatch.setitem(registry.MODELS, "kmeans", ("KMeans on the embeddings",
                                                   lambda settings: KMeansTopicModel(random_state=settings.seed)))
    monkeypatch.setattr(figures, "MODEL_FIGURES", [*figures.MODEL_FIGURES, (plot_theme_sizes, figures.EVERY_MODEL)])

    corpus = write_corpus(tmp_path / "corpus", {
        "sport.txt": "Football\n\n" + "\n\n".join(["The team won the match after a late goal by the striker."] * 3),
        "markets.txt": "Markets\n\n" + "\n\n".join(["Shares fell on the stock exchange as investors sold bank stocks."] * 3),
        "bourse.txt": "Bourse\n\n" + "\n\n".join(["Les actions ont chuté à la bourse et les banques ont perdu."] * 3)})
    settings = Settings(project_root=tmp_path, corpus_dir=corpus, results_dir=tmp_path / "r", figures_dir=tmp_path / "f",
                        cache_dir=tmp_path / "c")
    analysis = pipeline.analyse(settings, models=("kmeans",), evaluate=False)
    result = analysis.results["kmeans"]
    assert result.n_topics == 2 and set(result.langs) == {"en", "fr"}
    drawn = pipeline.draw_figures(analysis, tmp_path / "f")
    assert tmp_path / "f" / "kmeans_theme_sizes.png" in drawn
    assert tmp_path / "f" / "kmeans_topic_language_mix.png" in drawn  # the model gets every model's figures too
    representations = pipeline.prepare(pipeline.segment(settings), settings)
    assert np.array_equal(result.labels, KMeansTopicModel().fit(representations).labels_)
