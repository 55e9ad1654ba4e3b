"""Step 6 of the chain: one function per figure, shared by the notebooks and the command line.

Each ``plot_*`` function takes computed results and a folder, writes ``<name>.png`` (report) and
``<name>.svg`` (print), and returns the written paths. Style follows scikit-learn's NMF/LDA gallery
example: small horizontal bar panels, words sorted by weight, spines removed, a title that says what
is shown. ``base`` holds the shared palette and deterministic saving.
"""

from .articles import plot_article_similarity, plot_article_terms
from .corpus import plot_paragraph_lengths, plot_paragraphs_per_document
from .evaluation import plot_model_comparison
from .topics import (map_coordinates, plot_paragraph_map, plot_theme_prevalence, plot_topic_article_share, plot_topic_language_mix,
                     plot_topic_similarity, plot_topic_words_by_language, save_interactive_map)

__all__ = ["plot_article_similarity", "plot_article_terms", "plot_paragraph_lengths", "plot_paragraphs_per_document",
           "plot_model_comparison", "map_coordinates", "plot_paragraph_map", "plot_topic_article_share",
           "plot_theme_prevalence", "plot_topic_language_mix", "plot_topic_similarity", "plot_topic_words_by_language", "save_interactive_map"]
