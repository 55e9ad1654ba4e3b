"""The chain end to end: corpus -> paragraphs -> representations -> topics -> metrics -> figures.

The command line and the report call these functions; no step imports this module. Every
representation is prepared once (``Representations``) and passed down; every model is fitted once
per run and seed; every output set is written to a fresh folder and swapped in whole.
"""

from __future__ import annotations

import dataclasses

import hashlib
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .analysis import Analysis, load_analysis, with_document_fields  # noqa: F401 (the notebooks' entry)
from .cache import cached, folder_digest, key_of, output_environment
from .config import Settings, settings_key
from .covariates import declared_language, document_covariates, listed_names, with_covariates
from .corpus import CorpusError, Document, load_corpus
from .description import CorpusDescription, article_names, description_view, read_description
from .language import UNKNOWN, language_code, language_name, other_language_name
from .paragraphs import REPEATED, Segmentation, segment_corpus, write_segmentation
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
    return load_corpus(settings.corpus_path, settings.corpus_suffixes, settings.languages, settings.max_file_bytes)


def segment(settings: Settings, client: Client | None = None, documents: list[Document] | None = None) -> Segmentation:
    """Segment the corpus (read here unless ``documents`` are given) into paragraphs, by Dask workers with a ``client``.

    The result is cached by the documents' content (the same with or without Dask, a test checks it).
    A corpus without any paragraph is an error.
    """
    documents = read_corpus(settings) if documents is None else documents
    described = read_description(settings.corpus_path).articles
    documents = [with_declared_language(d, described.get(d.doc, {})) for d in documents]
    key = key_of([(d.doc, d.text, declared_language(d.metadata)) for d in documents], settings.languages,
                 settings.min_words_for_language_id, settings.boilerplate_min_documents,
                 settings.boilerplate_passage_min_documents, settings.boilerplate_passage_words)
    compute = (lambda: segment_corpus(documents, settings)) if client is None else \
        (lambda: segment_in_parallel(documents, settings, client))
    segmentation = cached(settings.cache_path / "steps", "segmentation", key, compute, kind=Segmentation,
                          check=lambda value: segmentation_problem(value, {d.doc for d in documents}))
    if segmentation.paragraphs.empty:
        repeated = segmentation.dropped["reason"].astype(str).str.startswith(REPEATED).sum() \
            if len(segmentation.dropped) else 0
        if repeated:
            raise CorpusError(
                f"every paragraph of corpus folder {settings.corpus_path} is in {settings.boilerplate_min_documents} "
                f"documents or more, so all {repeated} were set aside as boilerplate and none is left to model; are "
                "its files copies of one article? (Settings.boilerplate_min_documents, 0 turns the rule off)")
        raise CorpusError(f"no paragraph of text found in corpus folder: {settings.corpus_path}")
    docs = sorted(segmentation.paragraphs["doc"].unique())
    say_unmodelled(documents, segmentation, described)
    say_declared_languages(documents, segmentation.paragraphs, settings.min_words_for_language_id)
    covariates = document_covariates(docs, segmentation.metadata, described)
    return dataclasses.replace(segmentation, paragraphs=with_covariates(segmentation.paragraphs, covariates),
                               covariates=covariates)


def say_unmodelled(documents: list[Document], segmentation: Segmentation, described: dict[str, dict]) -> None:
    """Warn of the documents read that hold no paragraph to model, each with why (only front matter and headings,
    or every paragraph set aside: repeated in other documents), and of corpus.toml's articles that name no file:
    neither may vanish unsaid."""
    read = [d.doc for d in documents]
    empty = sorted(set(read) - set(segmentation.paragraphs["doc"].astype(str)))
    if empty:
        dropped = segmentation.dropped
        repeated = dropped.loc[dropped["reason"].astype(str).str.startswith(REPEATED), "doc"].astype(str).value_counts()
        why = [f"{doc} (its {repeated[doc]} paragraphs are repeated in other documents)" if doc in repeated else
               f"{doc} (only front matter, headings or lines set aside)" for doc in empty]
        log.warning("%d of the %d documents hold no paragraph to model: %s (dropped.csv and headings.csv hold "
                    "their lines)", len(empty), len(read), listed_names(why))
    unknown = sorted(set(described) - set(read))
    if unknown:
        shown = listed_names([f"articles.{doc}" for doc in unknown])
        log.warning("corpus.toml: %s name%s no file of the corpus, so %s ignored; an article is named by its "
                    "path without the suffix, in quotes when it holds a folder: [articles.\"%s\"]", shown,
                    "s" if len(unknown) == 1 else "", "it is" if len(unknown) == 1 else "they are", read[0])


def with_declared_language(document: Document, described: dict[str, str]) -> Document:
    """The document with the language its corpus.toml table declares, which wins over its front matter's."""
    language = declared_language(described)
    if not language:
        return document
    front_matter = {key: value for key, value in document.metadata.items() if not declared_language({key: value})}
    return dataclasses.replace(document, metadata={**front_matter, "language": language})


def say_declared_languages(documents: list[Document], paragraphs: pd.DataFrame, min_words: int) -> None:
    """Warn of the languages documents declare that are no language, or that their text is not in. A declared
    language the text agrees with decides the document's paragraphs too short to tell (``paragraph_languages``)."""
    unreadable, other = [], []
    by_doc = dict(tuple(paragraphs.groupby("doc", sort=False)))
    for document in documents:
        value = declared_language(document.metadata)
        if not value or value.lower() == UNKNOWN:  # "und", as topicmap writes it: declares none
            continue
        code = language_code(value)
        if code is None:
            unreadable.append(f"{document.doc} ({value!r})")
            continue
        rows = by_doc.get(document.doc, paragraphs.iloc[:0])
        told = rows.loc[rows["n_words"] >= min_words, "lang"].astype(str)
        if len(told) and (told == code).sum() * 2 < len(told):
            found = told.value_counts()
            other.append(f"{document.doc} (declares {language_name(code)}; {found.iloc[0]} of its {len(told)} "
                         f"paragraphs of {min_words} words or more read as {other_language_name(found.index[0])})")
    its = "its" if len(unreadable) == 1 else "their"
    if unreadable:
        log.warning("the declared language of %s is not a language topicmap knows (write an ISO 639-1 code such as "
                    "en or fr, or the English name); %s paragraphs are labelled by the language of their text",
                    listed_names(unreadable), its)
    its = "its" if len(other) == 1 else "their"
    if other:
        log.warning("%d document%s a language most of %s text is not in: %s; %s paragraphs are labelled by the "
                    "language of their text", len(other), " declares" if len(other) == 1 else "s declare", its,
                    listed_names(other), its)


def segmentation_problem(segmentation: Segmentation, docs: set[str]) -> str | None:
    """What is wrong with a cached segmentation of the documents ``docs`` (None when it is sound)."""
    from .paragraphs import DROPPED_COLUMNS, HEADING_COLUMNS, PARAGRAPH_COLUMNS

    for name, columns in (("paragraphs", PARAGRAPH_COLUMNS), ("dropped", DROPPED_COLUMNS),
                          ("headings", HEADING_COLUMNS)):
        table = getattr(segmentation, name, None)
        if not isinstance(table, pd.DataFrame) or not set(columns) <= set(table.columns):
            return f"its {name} are not a table of {', '.join(columns)}"
    if not isinstance(segmentation.metadata, dict):
        return f"its metadata are {type(segmentation.metadata).__name__}, not a dict"
    foreign = set(segmentation.paragraphs["doc"].astype(str)) - docs
    if foreign:
        return f"paragraphs of {len(foreign)} documents that are not in the corpus (e.g. {sorted(foreign)[0]!r})"
    return None


def prepare(segmentation: Segmentation, settings: Settings, client: Client | None = None) -> Representations:
    """The representations of the units the settings ask for (paragraphs or documents).

    Their terms are counted first: a corpus without a content word is a ``CorpusError`` before any embedding.
    With a Dask ``client`` the embeddings are computed now, by its workers; otherwise on first use.
    """
    units = units_from(segmentation.paragraphs, settings.unit, segmentation.headings)
    representations = build_representations(units, settings)
    check_content_words(representations, settings)
    cut = sum(len(text) > settings.max_model_characters for text in representations.texts)
    if cut:
        bound, one = f"{settings.max_model_characters:,}", cut == 1
        log.warning(f"{cut} {settings.unit}{'' if one else 's'} longer than {bound} characters: the models read "
                    f"the first {bound} of {'it' if one else 'each'} (max_model_characters); paragraphs.csv keeps "
                    f"{'it' if one else 'them'} whole")
    if client is None:
        return representations
    from .representations.embeddings import embed_texts

    log.info("embedding %d %ss (those not in the cache) by the Dask workers", len(units), settings.unit)
    return representations.with_embeddings(embed_texts(representations.model_texts, settings, client=client))


def check_content_words(representations: Representations, settings: Settings) -> None:
    """CorpusError when no unit holds a content word (numbers, links, stop words only): no theme can be found."""
    from .representations import NoContentWordError

    try:
        representations.counts
    except NoContentWordError:
        raise CorpusError(
            f"no content word in the {len(representations)} {settings.unit}s of corpus folder {settings.corpus_path}: "
            "they hold only numbers, links, stop words or one-letter words, so there is no theme to find") from None


def article_names_of(segmentation: Segmentation, description: CorpusDescription) -> dict[str, str]:
    """A readable, distinct name for every article of the segmentation (``description.article_names``)."""
    docs = sorted(segmentation.paragraphs["doc"].unique())
    return article_names(docs, segmentation.headings, description, segmentation.metadata)


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
    inputs = representation_key(representations, settings)
    _step(3, total, f"{len(models)} topic model{'s' if len(models) != 1 else ''}: {', '.join(models)}")
    results = with_theme_edits(fit_models(models, representations, settings), description, representations, settings)
    metrics = None
    if evaluate:
        from .metrics.evaluation import evaluate_models

        _step(4, total, f"evaluating {len(models)} models over {len(settings.stability_seeds)} seeds")
        evaluation_key = key_of(inputs, [(name, model_key(name, settings)) for name in models],
                                settings.seed, settings.stability_seeds, description.themes)
        metrics = cached(settings.cache_path / "steps", "evaluation", evaluation_key,
                         lambda: evaluate_models(list(models), representations, settings, results), kind=dict,
                         check=lambda value: None if isinstance(value.get("models"), dict) and set(models) <=
                         set(value["models"]) else f"no measures of the models {', '.join(models)}")
    names = article_names_of(segmentation, description)
    return Analysis(settings, description, segmentation, terms,
                    {name: with_document_fields(result, names, segmentation.paragraphs) for name, result in results.items()},
                    names, metrics)


def with_theme_edits(results: dict, description: CorpusDescription, representations: Representations,
                     settings: Settings) -> dict:
    """The fitted results with corpus.toml's ``[themes]`` applied to the report's model (``topics.edits``):
    before the evaluation, the figures and the results read it, so all of them show the researcher's themes."""
    from .topics.registry import PRIMARY

    if not description.themes or PRIMARY not in results:
        return results
    from .topics.edits import edit_themes

    edited = edit_themes(results[PRIMARY], description.themes, representations, settings.n_top_words,
                         settings.n_representative)
    return {**results, PRIMARY: edited}


def fit(name: str, representations: Representations, settings: Settings, **params):
    """The model ``name`` (with ``params`` set over the settings' ones) fitted on the representations, read
    from the step cache when fitted before."""
    from .topics.registry import fit_model

    from .topics.base import TopicResult

    result = cached(settings.cache_path / "steps", "fit",
                    key_of(representation_key(representations, settings), name, model_key(name, settings, **params)),
                    lambda: fit_model(name, representations, settings, **params), kind=TopicResult,
                    check=lambda value: fit_problem(value, name, representations))
    # the units travel with the result (not in the cache: the corpus's text once is enough)
    return dataclasses.replace(result, units=representations.units)


def fit_problem(result, name: str, representations: Representations) -> str | None:
    """What is wrong with a cached fit of the model ``name`` on ``representations`` (None when it is sound)."""
    from .topics.base import Topic

    if result.name != name:
        return f"a fit of the model {result.name!r}, not {name!r}"
    if not isinstance(result.topics, list) or not all(isinstance(topic, Topic) for topic in result.topics):
        return "topics that are not a list of Topic"
    assignments = result.assignments
    if not isinstance(assignments, pd.DataFrame) or not {"id", "topic"} <= set(assignments.columns):
        return "assignments that are not a table of id and topic"
    if len(assignments) != len(representations) or \
            not (assignments["id"].astype(str).to_numpy() == representations.ids).all():
        return f"assignments of {len(assignments)} other units than the run's {len(representations)}"
    return None


def fit_models(names, representations: Representations, settings: Settings) -> dict:
    """Every model of ``names`` fitted (or read from the step cache), with progress and the time left.

    The primary model is fitted on every unit. On a corpus of more than ``MAX_UNITS_FOR_EVALUATION`` units
    the other models, there to be compared with it, are fitted on the seeded sample the comparison uses
    (``metrics.evaluation.comparison_rows``): BERTopic alone took 10 minutes of a 100,000-paragraph report
    for figures of a model the report does not rely on, and the comparison reuses these fits.

    The primary model's variants (same estimator, another alignment) are fitted at the number of themes the
    primary settled on when it was chosen by its scan of the candidates: the comparison then isolates the alignment,
    and the choice, dozens of fits, is paid once per run rather than once per variant."""
    from tqdm.auto import tqdm

    from .metrics.evaluation import comparison_rows
    from .topics.registry import PRIMARY, fixed_number_of_themes, model_for

    rows = comparison_rows(len(representations), settings.seed)
    compared = representations if rows is None else representations.subset(rows)
    results, ordered = {}, sorted(names, key=lambda name: name != PRIMARY)
    with tqdm(ordered, desc="topic models", unit="model", disable=None) as progress:
        for name in progress:
            progress.set_postfix_str(name)
            log.info("topic model %s%s", name, "" if name == PRIMARY or rows is None else
                     f" (on the comparison's sample of {len(rows)} units)")
            params = {}
            if name != PRIMARY and PRIMARY in results and settings.topics == "auto" and \
                    type(model_for(name, settings)) is type(model_for(PRIMARY, settings)) and \
                    results[PRIMARY].params.get("n_topics_chosen_by") == "scan":
                params = fixed_number_of_themes(results[PRIMARY])
            results[name] = fit(name, representations if name == PRIMARY else compared, settings, **params)
    return {name: results[name] for name in names}


def representation_key(representations: Representations, settings: Settings) -> str:
    """What the representations of a run depend on: the units, and the settings of tokenization and embedding."""
    return key_of(representations.fingerprint, settings.unit, settings.embedding, settings.stem,
                  settings.min_token_length, settings.domain_stop_words, settings.max_model_characters)


def model_key(name: str, settings: Settings, **params) -> str:
    """A model's cache key: its name and every parameter the estimator holds (``get_params``, with ``params``
    set over the settings' ones), so a parameter that reaches a model can never be forgotten in the key."""
    from .topics.registry import model_for

    return key_of(name, sorted(model_for(name, settings).set_params(**params).get_params().items()))


def draw_figures(analysis: Analysis, folder: Path) -> list[Path]:
    """Every figure of the notebooks and the report, drawn from one analysis into ``folder``: the corpus
    figures, then every function of ``figures.MODEL_FIGURES`` on each model it applies to."""
    from tqdm.auto import tqdm

    from . import figures
    from .topics.registry import display_name

    primary = analysis.results.get(analysis.primary)
    if primary is not None and primary.coordinates is None and primary.space is not None:
        analysis = with_primary_map(analysis)  # the map figures need it; analyse() does not make it
    names = analysis.article_names
    drawers = [
        lambda: figures.plot_paragraphs_per_document(analysis.paragraphs, folder, names),
        lambda: figures.plot_paragraph_lengths(analysis.paragraphs, folder),
        lambda: figures.plot_article_terms(analysis.article_terms, folder, names),
        lambda: figures.plot_article_similarity(analysis.article_terms, folder, names),
    ]
    for name, result in analysis.results.items():
        for plot, models in figures.MODEL_FIGURES:
            if figures.draws_for(models, name, analysis.primary):
                drawers.append(lambda p=plot, r=result, t=display_name(name): p(r, folder, t))
    if analysis.metrics is not None:
        labels = {name: display_name(name) for name in analysis.metrics["models"]}
        drawers.append(lambda: figures.plot_model_comparison(analysis.metrics, folder, labels))
        if primary is not None:
            drawers.append(lambda: figures.plot_theme_tree(analysis.metrics.get("theme_tree"), primary, folder,
                                                           display_name(analysis.primary)))
            drawers.append(lambda: figures.plot_number_of_themes(primary, folder, display_name(analysis.primary)))
    paths: list[Path] = []
    for draw in tqdm(drawers, desc="figures", unit="figure", disable=None):
        paths += draw()
    return paths


def with_primary_map(analysis: Analysis) -> Analysis:
    """The analysis with the 2-D map of the report's model (``TopicResult.coordinates``), written with its
    assignments and drawn by the map figures."""
    primary = analysis.primary
    if primary not in analysis.results:
        return analysis
    return dataclasses.replace(analysis, results={**analysis.results,
                                                  primary: with_map(analysis.results[primary], analysis.settings)})


def with_map(result, settings: Settings):
    """The result with the 2-D map of its vector space (``coordinates``), from the step cache when mapped before."""
    return dataclasses.replace(result, coordinates=map_coordinates(result, settings))


def map_coordinates(result, settings: Settings):
    """The seeded 2-D map of a model's vector space, from the step cache when the same space was mapped."""
    from .figures import map_coordinates as compute

    key = key_of(hashlib.sha256(result.space.tobytes()).hexdigest(), settings.seed)
    shape = (len(result.space), 2)
    return cached(settings.cache_path / "steps", "map", key, lambda: compute(result.space, settings.seed),
                  kind=np.ndarray, check=lambda value: None if value.shape == shape else
                  f"a map of shape {value.shape}, not {shape}")


#: The outputs each command writes (``Settings`` path roles); a command publishes them together at its end.
COMMAND_OUTPUTS: dict[str, tuple[str, ...]] = {
    "segment": ("results",), "topics": ("results",), "evaluate": ("results",),
    "figures": ("results", "figures"), "report": ("results", "figures", "reports"), "assign": ("results",),
}


def output_folders(command: str, settings: Settings) -> dict[str, Path]:
    """The output folders ``command`` writes, by role."""
    return {role: settings.path(f"{role}_dir") for role in COMMAND_OUTPUTS[command]}


def check_inputs(command: str, settings: Settings, run_folder: Path | None = None, embedding: str | None = None) -> None:
    """Every check that can stop ``command`` before any work, in the order a user would fix them.

    The corpus folder, its corpus.toml, for ``assign`` the run's saved themes (``placement.read_placement``),
    (``embedding``: the one asked for, which must be the run's), the output folders (topicmap's own, apart from the corpus, the cache, the run assigned to and each other),
    the cache folder, the embedding backend, the Dask scheduler and, for the report, its notebooks. Each
    failure raises an error whose message names what to fix.
    """
    from .cache import check_cache_folder, repair_numba_cache
    from .corpus import check_corpus_folder
    from .outputs import check_output_folders
    from .parallel import probe_scheduler, scheduler_address, scheduler_given_by

    check_corpus_folder(settings.corpus_path)
    read_description(settings.corpus_path)
    protected = {"corpus": settings.corpus_path, "cache": settings.cache_path}
    if command == "assign":
        from .placement import read_placement

        settings = read_placement(run_folder, embedding).settings_for(settings)
        protected["run"] = Path(run_folder)
    check_output_folders(output_folders(command, settings), protected)
    check_cache_folder(settings.cache_path)
    if command != "segment":
        from .representations.embeddings import check_backend

        check_backend(settings.embedding)
    if scheduler_address(settings) is not None:
        probe_scheduler(scheduler_address(settings), given_by=scheduler_given_by(settings))
    repair_numba_cache(Path(os.environ.get("NUMBA_CACHE_DIR") or settings.cache_path / "numba"))
    if command == "report":
        from .report import notebooks_folder

        notebooks_folder(settings)


def run(command: str, settings: Settings, method: str | None = None, **options) -> tuple[object, list[Path]]:
    """Check the inputs, run ``command`` into staging folders, then publish its outputs together.

    Returns what the command computed (a segmentation, a result, None) and the published files. ``options``
    are ``assign``'s: ``run_folder`` (the results of the run whose themes new articles get) and ``embedding``
    (the one asked for on the command line, if any).
    """
    from .outputs import Publication

    check_inputs(command, settings, **options)
    with Publication(output_folders(command, settings)) as publication:
        staged = settings.replace(**{f"{role}_dir": publication.folder(role) for role in publication.staged},
                                  published_dirs=tuple((f"{role}_dir", target) for role, target
                                                       in sorted(publication.targets.items())))
        value, written = COMMANDS[command](staged, method, **options)
        staging = dict(publication.staged)
        targets = publication.publish()
    published = []
    for path in written:
        role = next(role for role, folder in staging.items() if Path(path).is_relative_to(folder))
        published.append(targets[role] / Path(path).relative_to(staging[role]))
    return value, published


def _segment_command(settings: Settings, method: str | None) -> tuple[Segmentation, list[Path]]:
    settings, _ = study_settings(settings)
    documents = read_corpus(settings)
    with parallel_client(settings, documents) as client:
        segmentation = segment(settings, client, documents)
    return segmentation, write_segmentation(segmentation, settings.results_path)


def _topics_command(settings: Settings, method: str | None):
    from .topics.registry import PRIMARY

    name = method or PRIMARY
    analysis = analyse(settings, models=(name,), evaluate=False)
    return analysis.results[name], analysis.write(settings.results_path)


def _evaluate_command(settings: Settings, method: str | None):
    analysis = analyse(settings)
    return None, analysis.write(settings.results_path)


def _figures_command(settings: Settings, method: str | None):
    from .cache import cached_files

    analysis = with_primary_map(analyse(settings))
    log.info("writing the results and drawing the figures")
    written = analysis.write(settings.results_path)
    # The figures are drawn from the analysis, which the results files, the settings, the corpus description
    # and the code determine: the same key, the same bytes, so a warm run writes the stored ones.
    key = key_of("figures", settings_key(settings), folder_digest(settings.results_path),
                 description_view(analysis.description), output_environment())
    return None, written + cached_files(settings.cache_path / "steps", "figures", key,
                                        lambda: draw_figures(analysis, settings.figures_path), settings.figures_path)


def _report_command(settings: Settings, method: str | None):
    """Analysis, figures, headless notebook runs, then report.html and report.pdf, all in the staged folders."""
    from .report import export_report, run_notebooks

    _, written = _figures_command(settings, method)
    written += run_notebooks(settings)
    return None, written + export_report(settings)


def _assign_command(settings: Settings, method: str | None, run_folder: Path, embedding: str | None = None):
    """The new corpus segmented, embedded and aligned as the run's was, each unit placed in the run's themes
    (``placement``); writes assignments.csv, article_themes.csv and the segmentation's tables."""
    from .placement import read_placement

    return assign(read_placement(run_folder, embedding), settings)


def assign(placement, settings: Settings):
    """``placement``'s themes given to the units of the settings' corpus, written into its results folder.

    Returns (the assignments table and the placement, the written files)."""
    from .metrics.article_themes import ARTICLE_THEMES_FILE, article_theme_mix
    from .outputs import write_csv

    settings, description = study_settings(placement.settings_for(settings))
    log.info("segmenting %s as the run %s did", settings.corpus_path, placement.folder)
    documents = read_corpus(settings)
    with parallel_client(settings, documents) as client:
        segmentation = segment(settings, client, documents)
        representations = prepare(segmentation, settings, client)
    log.info("placing %d %ss in the %d themes of the run", len(representations), settings.unit, len(placement.themes))
    units = representations.units
    placed = placement.place(units, representations.embeddings)
    names = article_names_of(segmentation, description)
    labels = placement.labels
    table = pd.DataFrame({"id": units["id"].astype(str), "doc": units["doc"].astype(str),
                          "article": units["doc"].map(lambda doc: names.get(doc, doc)), "lang": units["lang"],
                          "topic": placed["topic"], "label": placed["topic"].map(labels),
                          "placed_by": placed["placed_by"], "similarity": placed["similarity"],
                          "nearest_similarity": placed["nearest_similarity"]})
    folder = settings.results_path
    paths = write_segmentation(segmentation, folder)
    paths.append(write_csv(folder / "assignments.csv", table))
    paths.append(write_csv(folder / ARTICLE_THEMES_FILE,
                           article_theme_mix(units.assign(article=table["article"]), table["topic"].to_numpy())))
    return (table, placement), paths


COMMANDS = {"segment": _segment_command, "topics": _topics_command, "evaluate": _evaluate_command,
            "figures": _figures_command, "report": _report_command, "assign": _assign_command}


def make_all_figures(settings: Settings) -> list[Path]:
    """Run the whole analysis in this process; publish the results and every figure together."""
    return run("figures", settings)[1]


def build_report(settings: Settings) -> list[Path]:
    """Analysis, figures, headless notebook runs and report.html/.pdf, published together."""
    return run("report", settings)[1]
