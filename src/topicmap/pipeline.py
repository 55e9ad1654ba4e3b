"""The chain run end to end: each function is one step, from settings to written files.

The command line and the report call these; notebooks may call them or the step modules.
Heavy modules (BERTopic, UMAP) are imported inside the steps that need them, so that
``topicmap segment`` stays fast.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .config import Settings
from .corpus import CorpusError, load_corpus
from .paragraphs import Segmentation, segment_corpus, write_segmentation
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
