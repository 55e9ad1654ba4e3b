"""The chain run end to end: each function is one step, from settings to written files.

The command line and the report call these; notebooks may call them or the step modules.
Heavy modules (BERTopic, UMAP) are imported inside the steps that need them, so that
``topicmap segment`` stays fast.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from tqdm.auto import tqdm

from . import figures
from .config import Settings
from .corpus import CorpusError, load_corpus
from .paragraphs import Segmentation, segment_corpus, write_segmentation
from .outputs import write_json
from .topics import TopicModelResult

log = logging.getLogger(__name__)

METHODS = ("nmf", "bertopic")


def segment(settings: Settings) -> Segmentation:
    """Load the corpus folder and segment it into paragraphs; a corpus without any is an error."""
    segmentation = segment_corpus(load_corpus(settings.corpus_path, settings.corpus_suffixes), settings)
    if segmentation.paragraphs.empty:
        raise CorpusError(f"no paragraph of text found in corpus folder: {settings.corpus_path}")
    return segmentation


def run_segment(settings: Settings) -> tuple[Segmentation, list[Path]]:
    """Segment the corpus and write paragraphs.csv and dropped.csv to the results folder."""
    segmentation = segment(settings)
    return segmentation, write_segmentation(segmentation, settings.results_path)


def fit_topics(paragraphs, settings: Settings, method: str):
    """Fit one topic model; returns a TopicModelResult (NMF) or a BertopicRun (BERTopic)."""
    if method == "nmf":
        from .topics_nmf import fit_nmf

        return fit_nmf(paragraphs, settings)
    if method == "bertopic":
        from .topics_bertopic import fit_bertopic

        return fit_bertopic(paragraphs, settings)
    raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")


def result_of(fitted) -> TopicModelResult:
    """The TopicModelResult of a fitted model, whichever method made it."""
    return fitted if isinstance(fitted, TopicModelResult) else fitted.result


def run_topics(settings: Settings, method: str) -> tuple[object, list[Path]]:
    """Segment, fit one method, and write topics_<method>.json and assignments_<method>.csv."""
    segmentation, _ = run_segment(settings)
    fitted = fit_topics(segmentation.paragraphs, settings, method)
    return fitted, result_of(fitted).write(settings.results_path)


@dataclass
class Analysis:
    """Everything one run of the chain computes, kept together so each figure is drawn from it."""

    settings: Settings
    segmentation: Segmentation
    article_terms: object
    nmf: TopicModelResult
    bertopic: object  # topics_bertopic.BertopicRun
    evaluation: dict | None = None

    @property
    def paragraphs(self):
        return self.segmentation.paragraphs


def _step(number: int, total: int, message: str) -> None:
    log.info("[%d/%d] %s", number, total, message)


def analyse(settings: Settings, evaluate: bool = True) -> Analysis:
    """Run the chain once: segment, TF-IDF, NMF, BERTopic and (optionally) the evaluation."""
    from .tfidf import article_terms
    from .topics_bertopic import fit_bertopic
    from .topics_nmf import fit_nmf

    total = 5 if evaluate else 4
    _step(1, total, f"segmenting {settings.corpus_path}")
    segmentation = segment(settings)
    paragraphs = segmentation.paragraphs
    _step(2, total, f"TF-IDF per article ({paragraphs['doc'].nunique()} articles)")
    terms = article_terms(paragraphs, settings)
    _step(3, total, f"NMF topics on {len(paragraphs)} paragraphs")
    nmf = fit_nmf(paragraphs, settings)
    _step(4, total, f"BERTopic on {len(paragraphs)} paragraphs ({settings.embedding} embeddings)")
    bertopic = fit_bertopic(paragraphs, settings)
    analysis = Analysis(settings, segmentation, terms, nmf, bertopic)
    if evaluate:
        from .metrics import evaluate_methods

        _step(5, total, f"evaluating every method over {len(settings.stability_seeds)} seeds")
        analysis.evaluation = evaluate_methods(analysis)
    return analysis


def write_results(analysis: Analysis) -> list[Path]:
    """Write every result table of an analysis to the results folder."""
    out = analysis.settings.results_path
    paths = write_segmentation(analysis.segmentation, out)
    paths += analysis.nmf.write(out)
    paths += analysis.bertopic.result.write(out)
    if analysis.evaluation is not None:
        paths.append(write_json(out / "metrics.json", analysis.evaluation))
    return paths


def draw_figures(analysis: Analysis) -> list[Path]:
    """Every figure of the notebooks and the report, drawn from one analysis."""
    folder = analysis.settings.figures_path
    paragraphs, nmf, run = analysis.paragraphs, analysis.nmf, analysis.bertopic
    drawers = [
        lambda: figures.plot_paragraphs_per_document(paragraphs, folder),
        lambda: figures.plot_paragraph_lengths(paragraphs, folder),
        lambda: figures.plot_article_terms(analysis.article_terms, folder),
        lambda: figures.plot_article_similarity(analysis.article_terms, folder),
        lambda: figures.plot_topic_words(nmf, folder),
        lambda: figures.plot_topic_article_share(nmf, paragraphs, folder),
        lambda: figures.plot_topic_language_mix(nmf, folder),
        lambda: figures.plot_topic_words(run.result, folder),
        lambda: figures.plot_topic_language_mix(run.result, folder),
        lambda: figures.plot_topic_article_share(run.result, paragraphs, folder),
        lambda: figures.plot_bertopic_words_by_language(run, folder),
        lambda: figures.plot_paragraph_map(run, folder),
        lambda: figures.plot_topic_similarity(run, folder),
        lambda: figures.plot_topic_hierarchy(run, folder),
        lambda: figures.save_interactive_figures(run, folder),
    ]
    if analysis.evaluation is not None:
        drawers.append(lambda: figures.plot_method_comparison(analysis.evaluation, folder))
    paths: list[Path] = []
    for draw in tqdm(drawers, desc="figures", unit="figure", disable=None):
        paths += draw()
    return paths


def run_evaluate(settings: Settings) -> list[Path]:
    """Evaluate every method; write metrics.json, the result tables and the comparison figure."""
    analysis = analyse(settings, evaluate=True)
    return write_results(analysis) + figures.plot_method_comparison(analysis.evaluation, settings.figures_path)


def make_all_figures(settings: Settings) -> list[Path]:
    """Run the whole analysis in this process and write every figure (and the result tables)."""
    analysis = analyse(settings, evaluate=True)
    return write_results(analysis) + draw_figures(analysis)


def build_report(settings: Settings) -> list[Path]:
    """Analysis, figures, headless notebook runs, then reports/report.html and report.pdf."""
    from .report import export_report, run_notebooks

    paths = make_all_figures(settings)
    paths += run_notebooks(settings)
    return paths + export_report(settings)
