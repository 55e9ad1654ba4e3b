"""Step 6 of the chain: one function per figure, shared by the notebooks and the command line.

Each ``plot_*`` function writes ``<name>.png`` (report) and ``<name>.svg`` (print) into a folder and
returns the written paths. A figure of a model takes the model's ``TopicResult`` alone (with its units
and map), the folder and the model's display name: ``plot(result, folder, title_name)``. To add one, write
such a function and list it in ``MODEL_FIGURES``; ``pipeline.draw_figures`` draws every entry. Style
follows scikit-learn's NMF/LDA gallery example: small horizontal bar panels, words sorted by weight,
spines removed, a title that says what is shown. ``base`` holds the shared palette and deterministic saving.
"""

from .articles import plot_article_similarity, plot_article_terms
from .number_of_themes import plot_number_of_themes
from .theme_tree import plot_theme_tree
from .corpus import plot_paragraph_lengths, plot_paragraphs_per_document
from .covariates import plot_themes_by_source, plot_themes_over_time
from .evaluation import plot_model_comparison
from .topics import (map_coordinates, plot_paragraph_map, plot_theme_prevalence, plot_topic_article_share, plot_topic_language_mix,
                     plot_topic_similarity, plot_topic_words_by_language, save_interactive_map)

#: Which models a figure is drawn for.
EVERY_MODEL = "every model"
REPORT_MODEL = "the report's model"
REPORT_MODEL_AND_BASELINE = "the report's model and the NMF baseline"

#: Every figure of a model, ``plot(result, folder, title_name)``, and which models it is drawn for: every
#: model's language mix (the comparison shows them), words per language for the report's model and the NMF
#: baseline (notebooks 02 and 03 show those), the rest for the report's model.
MODEL_FIGURES = [
    (plot_topic_language_mix, EVERY_MODEL),
    (plot_topic_words_by_language, REPORT_MODEL_AND_BASELINE),
    (plot_theme_prevalence, REPORT_MODEL),
    (plot_topic_article_share, REPORT_MODEL),
    (plot_paragraph_map, REPORT_MODEL),
    (plot_topic_similarity, REPORT_MODEL),
    (save_interactive_map, REPORT_MODEL),
    (plot_themes_over_time, REPORT_MODEL),
    (plot_themes_by_source, REPORT_MODEL),
]


def draws_for(which: str, name: str, primary: str) -> bool:
    """Whether a figure listed for ``which`` models is drawn for the model ``name`` (``primary``: the report's)."""
    return (which == EVERY_MODEL or (which == REPORT_MODEL and name == primary)
            or (which == REPORT_MODEL_AND_BASELINE and name in (primary, "nmf")))


__all__ = ["plot_article_similarity", "plot_article_terms", "plot_paragraph_lengths", "plot_paragraphs_per_document",
           "plot_model_comparison", "map_coordinates", "plot_paragraph_map", "plot_topic_article_share",
           "plot_number_of_themes", "plot_theme_prevalence", "plot_theme_tree", "plot_topic_language_mix", "plot_topic_similarity", "plot_topic_words_by_language",
           "save_interactive_map", "plot_themes_over_time", "plot_themes_by_source", "MODEL_FIGURES", "draws_for", "EVERY_MODEL", "REPORT_MODEL", "REPORT_MODEL_AND_BASELINE"]
