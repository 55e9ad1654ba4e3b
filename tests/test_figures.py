"""Every figure reads at any corpus size: no two axis labels overlap, with 4 or 60 articles, 2 or 20 themes."""

from __future__ import annotations

import matplotlib

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


@pytest.mark.parametrize("n_themes, n_articles", [(2, 4), (7, 4), (3, 34), (3, 60), (20, 60)])
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
