"""Figures of the articles' TF-IDF terms and their similarity."""

from __future__ import annotations

from pathlib import Path

from ..language import language_name
from ..representations.tfidf import ArticleTerms
from .base import bar_grid, heatmap, language_colour, message_figure, save_figure


def article_label(article_terms: ArticleTerms, doc: str, names: dict[str, str] | None = None) -> str:
    """An article's readable name with its main language, e.g. ``China's AI ambitions (English)``."""
    lang = article_terms.languages.get(doc)
    name = (names or {}).get(doc, doc)
    name = name if len(name) <= 40 else name[:39] + "…"
    return f"{name} ({language_name(lang)})" if lang else name


#: Articles whose terms are drawn at most: four rows of two panels fit a printed page.
MAX_ARTICLE_PANELS = 8


def plot_article_terms(article_terms: ArticleTerms, folder: Path, names: dict[str, str] | None = None) -> list[Path]:
    """``tfidf_article_terms``: the most distinctive TF-IDF terms of the first ``MAX_ARTICLE_PANELS`` articles,
    one panel each (the title says how many of how many; notebook 02 tables every article)."""
    docs = list(article_terms.terms)
    shown = docs[:MAX_ARTICLE_PANELS]
    panels = [(article_label(article_terms, doc, names), article_terms.terms[doc]) for doc in shown]
    colours = [language_colour(article_terms.languages.get(doc, ""), i) for i, doc in enumerate(shown)]
    which = "each article" if len(docs) == len(shown) else f"{len(shown)} of the {len(docs)} articles"
    fig = bar_grid(panels, title=f"Most distinctive terms of {which} (TF-IDF over articles)",
                   xlabel="TF-IDF score", n_cols=2, colours=colours)
    return save_figure(fig, folder, "tfidf_article_terms")


def plot_article_similarity(article_terms: ArticleTerms, folder: Path, names: dict[str, str] | None = None) -> list[Path]:
    """``tfidf_article_similarity``: cosine similarity of the articles' TF-IDF vectors, annotated."""
    table = article_terms.similarity
    if table is None:
        fig = message_figure("Article similarity", f"{len(article_terms.terms)} articles: too many for a readable "
                                                   "article-by-article matrix.")
        return save_figure(fig, folder, "tfidf_article_similarity")
    labels = [article_label(article_terms, doc, names) for doc in table.index]
    fig = heatmap(table.to_numpy(), labels, labels, title="Cosine similarity of the articles' TF-IDF vectors",
                  xlabel="article (main language)", ylabel="article (main language)",
                  colorbar_label="cosine similarity", vmin=0.0, vmax=1.0)
    return save_figure(fig, folder, "tfidf_article_similarity")
