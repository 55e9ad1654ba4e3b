"""The chain end to end: corpus -> paragraphs -> representations -> topics -> metrics -> figures.

The command line and the report call these functions; no step imports this module. Every
representation is prepared once (``Representations``) and passed down; every model is fitted once
per run and seed; every output set is written to a fresh folder and swapped in whole.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Settings
from .corpus import CorpusError, Document, load_corpus
from .description import CorpusDescription, article_names, read_description
from .outputs import replace_folder, write_json
from .paragraphs import Segmentation, segment_corpus, write_segmentation
from .parallel import parallel_client, segment_in_parallel
from .representations import Representations, build_representations, units_from

if TYPE_CHECKING:
    from distributed import Client

log = logging.getLogger(__name__)


def study_settings(settings: Settings) -> tuple[Settings, CorpusDescription]:
    """The settings with the corpus description applied (its domain stop words), and the description."""
    description = read_description(settings.corpus_path)
    if description.domain_stop_words and not settings.domain_stop_words:
        settings = settings.replace(domain_stop_words=description.domain_stop_words)
    return settings, description


def read_corpus(settings: Settings) -> list[Document]:
    """The documents of the settings' corpus folder, read in this process."""
    return load_corpus(settings.corpus_path, settings.corpus_suffixes)


def segment(settings: Settings, client: Client | None = None, documents: list[Document] | None = None) -> Segmentation:
    """Segment the corpus (read here unless ``documents`` are given) into paragraphs, by Dask workers with a ``client``.

    A corpus without any paragraph is an error.
    """
    documents = read_corpus(settings) if documents is None else documents
    if client is None:
        segmentation = segment_corpus(documents, settings)
    else:
        segmentation = segment_in_parallel(documents, settings, client)
    if segmentation.paragraphs.empty:
        raise CorpusError(f"no paragraph of text found in corpus folder: {settings.corpus_path}")
    return segmentation


def prepare(segmentation: Segmentation, settings: Settings, client: Client | None = None) -> Representations:
    """The representations of the units the settings ask for (paragraphs or documents).

    With a Dask ``client`` the embeddings are computed now, by its workers; otherwise on first use.
    """
    units = units_from(segmentation.paragraphs, settings.unit)
    if client is None:
        return build_representations(units, settings)
    from .representations.embeddings import embed_texts

    return build_representations(units, settings, embed_texts(units["text"].astype(str).tolist(), settings,
                                                              client=client))


@dataclass
class Analysis:
    """Everything one run of the chain computes, kept together so each figure is drawn from it."""

    settings: Settings
    description: CorpusDescription
    segmentation: Segmentation
    representations: Representations
    article_terms: object
    results: dict
    evaluation: dict | None = None

    @property
    def paragraphs(self):
        return self.segmentation.paragraphs

    @property
    def article_names(self) -> dict[str, str]:
        docs = sorted(self.paragraphs["doc"].unique())
        return article_names(docs, self.segmentation.headings, self.description)


def _step(number: int, total: int, message: str) -> None:
    log.info("[%d/%d] %s", number, total, message)


def analyse(settings: Settings, models: tuple[str, ...] | None = None, evaluate: bool = True) -> Analysis:
    """Run the chain once: segment, prepare the representations, fit every model, evaluate."""
    from .representations.tfidf import article_terms
    from .topics.registry import fit_model

    settings, description = study_settings(settings)
    models = tuple(models or settings.evaluated_models)
    total = 4 + int(evaluate)
    _step(1, total, f"segmenting {settings.corpus_path}")
    documents = read_corpus(settings)
    # One Dask client for the parallel stages of the run (None when it is not parallel); a local cluster
    # is closed as soon as the embeddings are made, so its workers' memory is free for the models.
    with parallel_client(settings, documents) as client:
        segmentation = segment(settings, client, documents)
        _step(2, total, f"terms and {settings.embedding} embeddings of the {settings.unit}s of "
                        f"{len(segmentation.paragraphs)} paragraphs")
        representations = prepare(segmentation, settings, client)
        representations.embeddings  # computed once here, with its progress bar, then shared by every model
    terms = article_terms(representations)
    results = {}
    for index, name in enumerate(models, start=1):
        _step(3, total, f"topic model {index}/{len(models)}: {name}")
        results[name] = fit_model(name, representations, settings)
    analysis = Analysis(settings, description, segmentation, representations, terms, results)
    if evaluate:
        from .metrics.evaluation import evaluate_models

        _step(4, total, f"evaluating {len(models)} models over {len(settings.stability_seeds)} seeds")
        analysis.evaluation = evaluate_models(list(models), representations, settings, results)
    return analysis


def write_results(analysis: Analysis, folder: Path) -> list[Path]:
    """Every result table of an analysis, written into ``folder``."""
    paths = write_segmentation(analysis.segmentation, folder)
    for result in analysis.results.values():
        paths += result.write(folder)
    if analysis.evaluation is not None:
        paths.append(write_json(folder / "metrics.json", analysis.evaluation))
    paths.append(write_json(folder / "run.json", {
        "corpus": str(analysis.settings.corpus_path), "seed": analysis.settings.seed, "unit": analysis.settings.unit,
        "embedding": analysis.settings.embedding, "models": list(analysis.results),
        "article_names": analysis.article_names}))
    return paths


def draw_figures(analysis: Analysis, folder: Path) -> list[Path]:
    """Every figure of the notebooks and the report, drawn from one analysis into ``folder``."""
    from tqdm.auto import tqdm

    from . import figures
    from .topics.registry import PRIMARY, display_name

    units, names = analysis.representations.units, analysis.article_names
    drawers = [
        lambda: figures.plot_paragraphs_per_document(analysis.paragraphs, folder, names),
        lambda: figures.plot_paragraph_lengths(analysis.paragraphs, folder),
        lambda: figures.plot_article_terms(analysis.article_terms, folder, names),
        lambda: figures.plot_article_similarity(analysis.article_terms, folder, names),
    ]
    for name, result in analysis.results.items():
        title = display_name(name)
        drawers += [
            lambda r=result, t=title: figures.plot_topic_words_by_language(r, folder, t),
            lambda r=result, t=title: figures.plot_topic_language_mix(r, folder, t),
            lambda r=result, t=title: figures.plot_topic_article_share(r, units, folder, t, names),
        ]
    primary = analysis.results.get(PRIMARY)
    if primary is not None:
        title = display_name(PRIMARY)
        coordinates = figures.map_coordinates(primary.space, analysis.settings.seed)
        drawers += [
            lambda: figures.plot_paragraph_map(primary, analysis.representations.langs, coordinates, folder, title),
            lambda: figures.plot_topic_similarity(primary, folder, title),
            lambda: figures.save_interactive_map(primary, units, coordinates, folder, title),
        ]
    if analysis.evaluation is not None:
        labels = {name: display_name(name) for name in analysis.evaluation["models"]}
        drawers.append(lambda: figures.plot_model_comparison(analysis.evaluation, folder, labels))
    paths: list[Path] = []
    for draw in tqdm(drawers, desc="figures", unit="figure", disable=None):
        paths += draw()
    return paths


def run_segment(settings: Settings) -> tuple[Segmentation, list[Path]]:
    """Segment the corpus and write paragraphs.csv and dropped.csv as the results folder's one set."""
    settings, _ = study_settings(settings)
    documents = read_corpus(settings)
    with parallel_client(settings, documents) as client:
        segmentation = segment(settings, client, documents)
    return segmentation, replace_folder(settings.results_path, lambda folder: write_segmentation(segmentation, folder))


def run_topics(settings: Settings, name: str):
    """Segment, fit one model, and write its results (with the paragraphs) as one set."""
    analysis = analyse(settings, models=(name,), evaluate=False)
    paths = replace_folder(settings.results_path, lambda folder: write_results(analysis, folder))
    return analysis.results[name], paths


def run_evaluate(settings: Settings) -> list[Path]:
    """Fit and evaluate every model; write the results and metrics.json as one set."""
    analysis = analyse(settings)
    return replace_folder(settings.results_path, lambda folder: write_results(analysis, folder))


def make_all_figures(settings: Settings) -> list[Path]:
    """Run the whole analysis in this process; write the results and every figure, each as one set."""
    analysis = analyse(settings)
    paths = replace_folder(settings.results_path, lambda folder: write_results(analysis, folder))
    return paths + replace_folder(settings.figures_path, lambda folder: draw_figures(analysis, folder))


def build_report(settings: Settings) -> list[Path]:
    """Analysis, figures, headless notebook runs, then reports/report.html and report.pdf."""
    from .report import export_report, run_notebooks

    paths = make_all_figures(settings)
    paths += run_notebooks(settings)
    return paths + export_report(settings)
