"""One run of the chain as one object: what it computed, written to the results folder and read back.

``Analysis`` holds a run: its settings and corpus description, the segmentation, each article's terms,
every model's ``TopicResult`` (units with their article names and covariates, labels, topic words per
language, the map of the report's model) and the measures of the evaluation. ``pipeline.analyse``
computes one; ``Analysis.write`` writes it into the results folder (with the primary model's saved themes,
``placement.json`` and ``placement.npz``, which ``topicmap assign`` places new articles in); ``load_analysis`` reads it back, so
the notebooks and the report take the run that was made instead of segmenting, tokenizing and fitting
again. Only the vector spaces stay out of the files (hundreds of MB at scale): a loaded result has
``space=None``, and whatever needs a space (the topic similarity figure, the evidence for the number of
themes) is computed by the run and saved.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .config import Settings
from .description import CorpusDescription, read_description
from .metrics.article_themes import ARTICLE_THEMES_FILE, article_theme_mix
from .outputs import write_csv, write_json
from .paragraphs import Segmentation, write_segmentation
from .representations import units_from
from .representations.tfidf import ArticleTerms
from .topics.base import TopicResult

RUN_FILE = "run.json"
METRICS_FILE = "metrics.json"
ARTICLE_TERMS_FILE = "article_terms.json"
#: What a run writes that every reader of it needs (``load_analysis`` says which are missing).
REQUIRED_FILES = ("paragraphs.csv", "headings.csv", "dropped.csv", RUN_FILE, ARTICLE_TERMS_FILE)


class ResultsMissing(FileNotFoundError):
    """The results folder lacks a run's files, or holds the run of another corpus; the message says what to run."""


@dataclass
class Analysis:
    """Everything one run of the chain computed: every figure, notebook and the report read it."""

    settings: Settings
    description: CorpusDescription
    segmentation: Segmentation
    article_terms: ArticleTerms
    results: dict[str, TopicResult]
    article_names: dict[str, str] = field(default_factory=dict)
    #: the evaluation (``metrics.evaluation.evaluate_models``), written as ``metrics.json``; None when not evaluated
    metrics: dict | None = None

    @property
    def paragraphs(self) -> pd.DataFrame:
        return self.segmentation.paragraphs

    @property
    def dropped(self) -> pd.DataFrame:
        return self.segmentation.dropped

    @property
    def primary(self) -> str:
        """The model the report relies on (``topics.registry.PRIMARY``)."""
        from .topics.registry import PRIMARY

        return (self.metrics or {}).get("primary", PRIMARY)

    @property
    def primary_measures(self) -> dict:
        """The primary model's measures, fitted on every unit (on a large corpus the comparison of models
        refits them on a sample: ``metrics.evaluation``)."""
        return self.metrics.get("primary_on_every_unit") or self.metrics["models"][self.primary]

    @property
    def article_themes(self) -> pd.DataFrame | None:
        """Each article's mix of the primary model's themes (``metrics.article_themes``), as written to
        ``article_themes.csv``; None without the primary model's units."""
        primary = self.results.get(self.primary)
        if primary is None or primary.units is None:
            return None
        return article_theme_mix(primary.units, primary.labels)

    def article(self, doc: str) -> str:
        """The name a reader knows the article ``doc`` by."""
        return self.article_names.get(doc, doc)

    def figure(self, name: str) -> Path:
        """The PNG of the figure ``name`` that the run drew."""
        return self.settings.figures_path / f"{name}.png"

    def write(self, folder: Path) -> list[Path]:
        """Every file of the run, written into ``folder`` (each atomically)."""
        folder = Path(folder)
        paths = write_segmentation(self.segmentation, folder)
        for result in self.results.values():
            paths += result.write(folder)
        if self.metrics is not None:
            paths.append(write_json(folder / METRICS_FILE, self.metrics))
        primary, mix = self.results.get(self.primary), self.article_themes
        if mix is not None:
            paths.append(write_csv(folder / ARTICLE_THEMES_FILE, mix))
        if primary is not None and primary.placement is not None:
            from .placement import run_languages, write_placement  # here: `topicmap segment` needs no sklearn

            paths += write_placement(folder, primary, self.settings,
                                     run_languages(self.settings, self.segmentation.paragraphs["lang"]))
        paths.append(write_json(folder / ARTICLE_TERMS_FILE, self.article_terms.to_json()))
        paths.append(write_json(folder / RUN_FILE, {
            "corpus": str(self.settings.corpus_path), "seed": self.settings.seed, "unit": self.settings.unit,
            "embedding": self.settings.embedding, "models": list(self.results),
            "article_names": self.article_names}))
        return paths


def with_document_fields(result: TopicResult, names: dict[str, str], paragraphs: pd.DataFrame) -> TopicResult:
    """The result with its units' ``article`` (the name a reader knows each document by) and covariates
    (``date``, ``source``: ``covariates.PARAGRAPH_COVARIATES``) as columns."""
    from .covariates import PARAGRAPH_COVARIATES

    units = result.units.assign(article=result.units["doc"].map(lambda doc: names.get(doc, doc)))
    by_doc = paragraphs.drop_duplicates("doc").set_index("doc")
    for column in PARAGRAPH_COVARIATES:
        if column in by_doc:
            units[column] = units["doc"].map(by_doc[column]).fillna("")
    return dataclasses.replace(result, units=units)


def _read_table(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, keep_default_na=False, dtype={"id": str, "doc": str, "text": str})


def load_analysis(settings: Settings) -> Analysis:
    """The run whose files are in the settings' results folder, read back (``Analysis.write``).

    ``ResultsMissing`` when a file is missing or the files are of another corpus, unit or embedding than the
    settings': the message names the command that makes them.
    """
    folder = settings.results_path
    make = ("run `make report` (or `topicmap report" +
            ("" if settings.corpus_path == settings.project_root / "seeds" else f" --corpus {settings.corpus_path}") +
            "`) first: it writes them")
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise ResultsMissing(f"{folder} lacks the results of a run ({', '.join(missing)}); {make}")
    run = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
    found = {**run, "corpus": str(Path(run.get("corpus", "")).resolve())}
    wanted = {"corpus": str(settings.corpus_path.resolve()), "unit": settings.unit, "embedding": settings.embedding}
    differ = [f"{key} {found.get(key)!r} instead of {value!r}" for key, value in wanted.items() if found.get(key) != value]
    if differ:
        raise ResultsMissing(f"the results in {folder} are of another run ({'; '.join(differ)}); {make}")
    missing = [f"{kind}_{name}.{ext}" for name in run["models"] for kind, ext in (("topics", "json"), ("assignments", "csv"))
               if not (folder / f"{kind}_{name}.{ext}").is_file()]
    if missing:
        raise ResultsMissing(f"{folder} lacks {', '.join(missing)}; {make}")
    segmentation = Segmentation(paragraphs=_read_table(folder, "paragraphs.csv"), dropped=_read_table(folder, "dropped.csv"),
                                headings=_read_table(folder, "headings.csv"))
    units = units_from(segmentation.paragraphs, settings.unit, segmentation.headings)
    names = run.get("article_names", {})
    results = {name: with_document_fields(TopicResult.from_files(folder, name, units), names, segmentation.paragraphs)
               for name in run["models"]}
    metrics_file = folder / METRICS_FILE
    return Analysis(
        settings=settings, description=read_description(settings.corpus_path), segmentation=segmentation,
        article_terms=ArticleTerms.from_json(json.loads((folder / ARTICLE_TERMS_FILE).read_text(encoding="utf-8"))),
        results=results, article_names=names,
        metrics=json.loads(metrics_file.read_text(encoding="utf-8")) if metrics_file.is_file() else None)
