"""The ``topicmap`` command line: one subcommand per job, each a thin call into ``pipeline``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Sequence

from .config import (MAX_SEED, Settings, SettingsError, embedding_problem, embedding_setting, from_environment,
                     seed_problem)
from .corpus import CorpusError
from .description import DescriptionError
from .errors import RunError

log = logging.getLogger("topicmap")


class OneLineErrorParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (no usage block), exit code 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _seed_value(text: str) -> int:
    """A --seed value: a whole number that numpy accepts as a seed."""
    problem = seed_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return int(text)


def _embedding_value(text: str) -> str:
    """An --embedding value: 'use', 'minilm', or a folder holding a sentence-transformers model."""
    problem = embedding_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return embedding_setting(text)


def _scheduler_value(text: str) -> str:
    """A --scheduler value: not empty (an empty one was silently ignored); the address itself is checked,
    with $TOPICMAP_SCHEDULER's, before any work (``parallel.check_scheduler_address``)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("expected the address of a Dask scheduler, e.g. tcp://10.0.0.5:8786, got an "
                                         "empty one; leave --scheduler out to use this machine's cores")
    return text.strip()


def _topics_value(text: str) -> int | str:
    if text == "auto":
        return "auto"
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number or 'auto', got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"the number of topics must be at least 1, got {value}")
    return value


def _add_corpus_options(parser: argparse.ArgumentParser, out: bool = True) -> None:
    parser.add_argument("--corpus", type=Path, metavar="DIR",
                        help="folder of .txt/.md articles to analyse (default: seeds/)")
    if out:
        parser.add_argument("--out", type=Path, metavar="DIR",
                            help="folder for the result tables and JSON (default: results/)")
    parser.add_argument("--seed", type=_seed_value, metavar="N",
                        help=f"random seed for every random step, 0 to {MAX_SEED} (default: 42)")
    parser.add_argument("--scheduler", type=_scheduler_value, metavar="ADDRESS",
                        help="address of an existing Dask scheduler (e.g. tcp://10.0.0.5:8786) whose workers "
                             "segment and embed the corpus (default: $TOPICMAP_SCHEDULER, else a local "
                             "cluster over this machine's cores when the corpus is large)")


def _add_model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--embedding", type=_embedding_value, metavar="use|minilm|DIR",
                        help="embedding backend of every embedding-based model: 'use' (multilingual USE v3, default), "
                             "'minilm' (needs `make setup-transformers`), or the folder of a local "
                             "sentence-transformers model")
    parser.add_argument("--unit", choices=["paragraph", "document"],
                        help="model paragraphs (default) or whole files (for corpora of many short articles)")
    parser.add_argument("--topics", type=_topics_value, metavar="K|auto",
                        help="number of topics of every model, or 'auto' (default: each model's own rule)")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(
        prog="topicmap",
        description="Cross-lingual themes in a folder of news articles: segment them into paragraphs, "
                    "fit the cross-lingual consensus model (and NMF and BERTopic to compare), evaluate them, "
                    "draw the figures and build the report.",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    seg = commands.add_parser("segment", help="split the corpus into paragraphs; write paragraphs.csv and dropped.csv",
                              description="Split every article of the corpus folder into content paragraphs "
                                          "and write <out>/paragraphs.csv and <out>/dropped.csv (every dropped "
                                          "line with its reason).")
    _add_corpus_options(seg)

    from .topics.registry import MODELS, PRIMARY

    top = commands.add_parser("topics", help="fit one topic model; write topics_<model>.json and assignments_<model>.csv",
                              description="Fit one topic model on the corpus paragraphs: " + "; ".join(
                                  f"{name}: {label}" for name, (label, _) in MODELS.items()) + ".")
    top.add_argument("--method", choices=list(MODELS), default=PRIMARY,
                     help=f"which topic model to fit (default: {PRIMARY}, the report's model)")
    _add_corpus_options(top)
    _add_model_options(top)

    whole_analysis = [
        ("evaluate", "coherence, diversity, stability across seeds, language mixing; write metrics.json",
         "Evaluate every method on the corpus and write <out>/metrics.json with the results of every model."),
        ("figures", "regenerate every figure of the notebooks and the report",
         "Run the whole analysis in one process, without Jupyter, and write every figure (PNG + SVG, "
         "and interactive HTML) to the figures folder."),
        ("report", "run the analysis and the notebooks; export reports/report.html and .pdf",
         "Run the analysis, execute the notebooks headlessly on the current corpus, and export the "
         "written report as HTML (and PDF)."),
    ]
    for name, summary, description in whole_analysis:
        sub = commands.add_parser(name, help=summary, description=description)
        _add_corpus_options(sub)
        if name != "evaluate":
            sub.add_argument("--figures", type=Path, metavar="DIR", help="folder for the figures (default: figures/)")
        if name == "report":
            sub.add_argument("--reports", type=Path, metavar="DIR",
                             help="folder for report.html, report.pdf and report-page-1.png (default: reports/)")
        _add_model_options(sub)

    assign = commands.add_parser(
        "assign", help="place new articles in the themes of a run; write assignments.csv and article_themes.csv",
        description="Place the articles of a new corpus folder in the themes a run already found, without fitting "
                    "again: the articles are segmented, embedded and aligned as the run's were (its unit, languages, "
                    "embedding and alignment, saved in <run>/placement.json and placement.npz), and each unit "
                    "joins a theme. A unit whose text is one of the run's own units' gets that unit's theme, so "
                    "the same text always gets the same theme and the run's corpus assigned again gets every "
                    "theme back; any other unit joins the theme most of its nearest units in the run are in, as "
                    "the run placed the units outside its consensus sample. Writes <out>/assignments.csv (id, doc, "
                    "article, lang, topic, label, placed_by, similarity: the cosine to the theme's centroid, "
                    "nearest_similarity: to the run's nearest unit; an article whose median is lower than 99% of "
                    "the run's own units' is said to be unlike the run), "
                    "<out>/article_themes.csv (each article's share of units and words in each theme) and the "
                    "segmentation's tables. A run saved in another format version, or with another embedding "
                    "than this machine's, is refused.")
    assign.add_argument("--run", type=Path, metavar="DIR",
                        help="results folder of the run whose themes to use (default: results/)")
    assign.add_argument("--corpus", type=Path, metavar="DIR", required=True,
                        help="folder of the new .txt/.md articles")
    assign.add_argument("--out", type=Path, metavar="DIR", required=True,
                        help="folder for assignments.csv and article_themes.csv (not the run's folder)")
    assign.add_argument("--embedding", type=_embedding_value, metavar="use|minilm|DIR",
                        help="leave out: the run's embedding is used; given, it must be the run's")
    assign.add_argument("--scheduler", type=_scheduler_value, metavar="ADDRESS",
                        help="address of an existing Dask scheduler whose workers segment and embed the corpus")
    assign.set_defaults(seed=None)
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings rooted at the working directory: the TOPICMAP_* variables, then the command-line options."""
    return from_environment(Path.cwd()).replace(
        corpus_dir=args.corpus,
        results_dir=getattr(args, "out", None),
        figures_dir=getattr(args, "figures", None),
        reports_dir=getattr(args, "reports", None),
        seed=args.seed,
        scheduler=args.scheduler,
        embedding=getattr(args, "embedding", None) if args.command != "assign" else None,
        unit=getattr(args, "unit", None),
        topics=getattr(args, "topics", None),
    )


def _print_written(paths: Sequence[Path]) -> None:
    """One line per written file; a folder name that is not UTF-8 shows its bytes escaped (``r\\xe9s``)."""
    from .corpus import readable_name

    for path in paths:
        print(f"wrote {readable_name(Path(path))}")


def _summarise_segmentation(segmentation) -> str:
    from .paragraphs import paragraph_counts

    paragraphs, dropped = segmentation.paragraphs, segmentation.dropped
    lines = [f"{paragraphs['doc'].nunique()} documents, {len(paragraphs)} paragraphs, {len(dropped)} dropped lines"]
    sections = [("paragraphs per document", paragraphs, "doc"), ("paragraphs per language", paragraphs, "lang"),
                ("paragraphs per section", paragraphs, ["doc", "section"]), ("dropped lines per reason", dropped, "reason")]
    for title, table, by in sections:
        if len(table):
            lines.append(f"{title}:")
            for row in paragraph_counts(table, by).itertuples(index=False):
                lines.append("  " + " | ".join(str(v) or "(no heading)" for v in row[:-1]) + f": {row[-1]}")
    return "\n".join(lines)


def _summarise_topics(result) -> str:
    lines = [f"{result.name}: {result.n_topics} topic{'s' if result.n_topics != 1 else ''}, outlier share {result.outlier_share:.1%}"]
    for topic in result.topics:
        langs = ", ".join(f"{lang} {n}" for lang, n in sorted(topic.n_by_lang.items()))
        lines.append(f"  topic {topic.id:>2} ({topic.size:>3} units: {langs}): {topic.label}")
    return "\n".join(lines)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from . import pipeline

    options = {}
    if args.command == "assign":
        options = {"run_folder": args.run or from_environment(Path.cwd()).results_path, "embedding": args.embedding}
    value, paths = pipeline.run(args.command, settings, getattr(args, "method", None), **options)
    if args.command == "assign":
        from .placement import theme_summary

        table, placement = value
        print(theme_summary(placement, table, table))
    elif args.command == "segment":
        print(_summarise_segmentation(value))
    elif args.command == "topics":
        print(_summarise_topics(value))
    _print_written(paths)
    return 0


#: Loggers whose messages reach the user only from this level on: Dask's start-up and shutdown messages
#: (INFO, set by distributed's own configuration when it is imported) say nothing to a reader.
QUIET_LOGGERS = {"distributed": logging.ERROR, "tornado": logging.ERROR, "bokeh": logging.ERROR}


def worth_showing(record: logging.LogRecord) -> bool:
    """Our progress messages at INFO; libraries' from WARNING, Dask's and its web stack's from ERROR."""
    if record.name == "topicmap" or record.name.startswith("topicmap."):
        return True
    root = record.name.split(".")[0]
    return record.levelno >= QUIET_LOGGERS.get(root, logging.WARNING)


class ElapsedFormatter(logging.Formatter):
    """``topicmap [m:ss]: message``: every message says how long the run has taken so far."""

    def format(self, record: logging.LogRecord) -> str:
        minutes, seconds = divmod(int(record.relativeCreated / 1000), 60)
        text = f"topicmap [{minutes}:{seconds:02d}]: {record.getMessage()}"
        return text + "\n" + self.formatException(record.exc_info) if record.exc_info else text


def user_errors() -> tuple[type[BaseException], ...]:
    """The errors that are the user's to fix: one line and exit code 2, no traceback."""
    from .cache import CacheFolderError
    from .outputs import OutputFolderError
    from .parallel import SchedulerError
    from .placement import PlacementError
    from .representations.embeddings import EmbeddingBackendError

    return (CorpusError, DescriptionError, OutputFolderError, CacheFolderError, SchedulerError, SettingsError,
            EmbeddingBackendError, PlacementError)


def describe_os_error(error: OSError) -> str:
    """An operating-system error in one line: what failed and on which file."""
    where = f" ({error.filename})" if error.filename else ""
    return f"{error.strerror or error}{where}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse, check, run, and turn every expected failure into one line and an exit code.

    Exit codes: 0 done; 2 an input to fix (corpus, options, output folders), said before any work where
    it can be checked; 1 the run failed (a full disk, a notebook error), nothing was published; 130 interrupted.
    """
    args = build_parser().parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(ElapsedFormatter())
    handler.addFilter(worth_showing)
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    logging.getLogger("topicmap").setLevel(logging.WARNING if args.quiet else logging.INFO)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("MPLBACKEND", "Agg")
    untouched = "; nothing was published: the previous outputs are as they were"
    try:
        settings = settings_from(args)
        # numba (UMAP, HDBSCAN) keeps what it compiled in the cache folder, so a warm run does not compile again.
        os.environ.setdefault("NUMBA_CACHE_DIR", str(settings.cache_path / "numba"))
        return run(args, settings)
    except user_errors() as error:
        return failed(f"error: {error}", 2)
    except KeyboardInterrupt:
        return failed(f"interrupted{untouched}", 130)
    except RunError as error:
        return failed(f"error: {error}{untouched}", 1)
    except OSError as error:
        return failed(f"error: {describe_os_error(error)}{untouched}", 1)
    except MemoryError:
        return failed(f"error: out of memory{untouched}", 1)


def failed(message: str, exit_code: int) -> int:
    """Say why the command stopped, in one line on stderr, and return its exit code."""
    print(f"topicmap: {message}", file=sys.stderr)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
