"""The chain end to end: corpus -> paragraphs -> representations -> topics -> metrics -> figures.

The command line and the report call these functions; no step imports this module. Every
representation is prepared once (``Representations``) and passed down; every model is fitted once
per run and seed; every output set is written to a fresh folder and swapped in whole.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import cached, key_of
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
    return load_corpus(settings.corpus_path, settings.corpus_suffixes, settings.languages)


def segment(settings: Settings, client: Client | None = None, documents: list[Document] | None = None) -> Segmentation:
    """Segment the corpus (read here unless ``documents`` are given) into paragraphs, by Dask workers with a ``client``.

    The result is cached by the documents' content (the same with or without Dask, a test checks it).
    A corpus without any paragraph is an error.
    """
    documents = read_corpus(settings) if documents is None else documents
    key = key_of([(d.doc, d.text) for d in documents], settings.languages, settings.min_words_for_language_id)
    compute = (lambda: segment_corpus(documents, settings)) if client is None else \
        (lambda: segment_in_parallel(documents, settings, client))
    segmentation = cached(settings.cache_path / "steps", "segmentation", key, compute)
    if segmentation.paragraphs.empty:
        raise CorpusError(f"no paragraph of text found in corpus folder: {settings.corpus_path}")
    return segmentation


def prepare(segmentation: Segmentation, settings: Settings, client: Client | None = None) -> Representations:
    """The representations of the units the settings ask for (paragraphs or documents).

    With a Dask ``client`` the embeddings are computed now, by its workers; otherwise on first use.
    """
    units = units_from(segmentation.paragraphs, settings.unit, segmentation.headings)
    if client is None:
        return build_representations(units, settings)
    from .representations.embeddings import embed_texts

    log.info("embedding %d %ss (those not in the cache) by the Dask workers", len(units), settings.unit)
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

    settings, description = study_settings(settings)
    models = tuple(models or settings.evaluated_models)
    total = 4 + int(evaluate)
    _step(1, total, f"segmenting {settings.corpus_path}")
    documents = read_corpus(settings)
    # One Dask client for the parallel stages of the run (None when it is not parallel: small corpora); a
    # local cluster is closed as soon as the embeddings are made, so its workers' memory is free for the models.
    # Without a client, embeddings are computed once, on first use (a warm run whose models are cached needs none).
    with parallel_client(settings, documents) as client:
        segmentation = segment(settings, client, documents)
        representations = prepare(segmentation, settings, client)
    _step(2, total, f"terms of {len(representations)} {settings.unit}s")
    terms = article_terms(representations)
    inputs = inputs_key(representations, settings)
    _step(3, total, f"{len(models)} topic models: {', '.join(models)}")
    results = fit_models(models, representations, settings)
    analysis = Analysis(settings, description, segmentation, representations, terms, results)
    if evaluate:
        from .metrics.evaluation import evaluate_models

        _step(4, total, f"evaluating {len(models)} models over {len(settings.stability_seeds)} seeds")
        analysis.evaluation = cached(settings.cache_path / "steps", "evaluation", key_of(inputs, models),
                                     lambda: evaluate_models(list(models), representations, settings, results))
    return analysis


def fit(name: str, representations: Representations, settings: Settings):
    """The model ``name`` fitted on the representations, read from the step cache when fitted before."""
    from .topics.registry import fit_model

    return cached(settings.cache_path / "steps", "fit", key_of(inputs_key(representations, settings), name),
                  lambda: fit_model(name, representations, settings))


def fit_models(names, representations: Representations, settings: Settings) -> dict:
    """Every model of ``names`` fitted (or read from the step cache), with progress and the time left."""
    from tqdm.auto import tqdm

    results = {}
    with tqdm(names, desc="topic models", unit="model", disable=None) as progress:
        for name in progress:
            progress.set_postfix_str(name)
            log.info("topic model %s", name)
            results[name] = fit(name, representations, settings)
    return results


def inputs_key(representations: Representations, settings: Settings) -> str:
    """What every model's result depends on: the units and the settings that reach a model."""
    return key_of(representations.fingerprint, settings.seed,
                  settings.topics, settings.unit, settings.embedding, settings.stem, settings.min_token_length,
                  settings.domain_stop_words, settings.n_top_words, settings.n_representative,
                  settings.nmf_topic_range, settings.stability_seeds, settings.consensus_sample_units)


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
    # Every model's language mix (the comparison shows them); words per language for the primary model
    # and the NMF baseline (notebooks 02 and 03 show those); the rest for the primary model alone.
    for name, result in analysis.results.items():
        drawers.append(lambda r=result, t=display_name(name): figures.plot_topic_language_mix(r, folder, t))
        if name in (PRIMARY, "nmf"):
            drawers.append(lambda r=result, t=display_name(name): figures.plot_topic_words_by_language(r, folder, t))
    primary = analysis.results.get(PRIMARY)
    if primary is not None:
        title = display_name(PRIMARY)
        coordinates = map_coordinates(primary, analysis.settings)
        from .metrics.prevalence import prevalence_by_group

        prevalence = prevalence_by_group(primary.labels, analysis.representations.langs, analysis.settings.seed)
        drawers += [
            lambda: figures.plot_theme_prevalence(primary, prevalence, folder, title),
            lambda: figures.plot_topic_article_share(primary, units, folder, title, names),
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


def map_coordinates(result, settings: Settings):
    """The seeded 2-D map of a model's vector space, from the step cache when the same space was mapped."""
    from .figures import map_coordinates as compute

    key = key_of(hashlib.sha256(result.space.tobytes()).hexdigest(), settings.seed)
    return cached(settings.cache_path / "steps", "map", key, lambda: compute(result.space, settings.seed))


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
    log.info("writing the results and drawing the figures")
    paths = replace_folder(settings.results_path, lambda folder: write_results(analysis, folder))
    return paths + replace_folder(settings.figures_path, lambda folder: draw_figures(analysis, folder))


def build_report(settings: Settings) -> list[Path]:
    """Analysis, figures, headless notebook runs, then reports/report.html and report.pdf."""
    from .report import export_report, notebooks_folder, run_notebooks

    notebooks_folder(settings)  # fail before minutes of work, not after
    paths = make_all_figures(settings)
    paths += run_notebooks(settings)
    return paths + export_report(settings)
