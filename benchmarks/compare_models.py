"""Topic models side by side on the same embeddings and the same labelled corpora, in one run.

    /work/main/.venv/bin/python benchmarks/compare_models.py                        # both corpora, 3 seeds
    /work/main/.venv/bin/python benchmarks/compare_models.py --corpora manpages --seeds 1

Every model clusters the same units (whole man pages or whole news articles) into k = number of
labels topics (BERTopic with HDBSCAN decides its own number), and is scored against the labels with
NMI and ARI; on the EN/FR man pages also by the share of translation pairs whose two pages land in
the same topic. The embeddings are topicmap's cached multilingual USE vectors, computed once per
text (the cache is ``benchmarks/data/cache``) and excluded from the fit times. Writes a markdown
table to ``benchmarks/model_comparison.md`` and prints it. See benchmarks/README.md for the columns.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

os.environ.setdefault("HF_HUB_OFFLINE", "1")          # nothing may be fetched from a model hub
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np
import pandas as pd
from bertopic.backend import BaseEmbedder

import datasets
from run_benchmark import machine

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parent
CACHE = datasets.DATA / "cache"
DEFAULT_OUT = HERE / "model_comparison.md"
CORPORA = ("manpages", "news")


class TopicmapUnavailable(RuntimeError):
    """topicmap's own models cannot be run here (not built yet, or another interface); rows are skipped."""


# --- units and embeddings ---------------------------------------------------------------------------


@dataclass
class Corpus:
    """One labelled set of units with its embeddings."""

    name: str
    units: pd.DataFrame            # id, doc, lang, text, label (+ pair)
    embeddings: np.ndarray
    embed_seconds: float
    newly_embedded: int
    description: str
    segmentation: object = None    # topicmap's segmentation of the corpus folder, when its real path ran
    settings: object = None
    segment_seconds: float = 0.0


def embed_function() -> Callable:
    """topicmap's cached ``embed_texts`` (module moved during the restructuring: both places are tried)."""
    try:
        from topicmap.representations.embeddings import embed_texts
    except ImportError:
        from topicmap.embeddings import embed_texts
    return embed_texts


def topicmap_settings(seed: int = 42):
    from topicmap.config import Settings

    return Settings(project_root=PROJECT_ROOT, cache_dir=CACHE, seed=seed)


def cached_count() -> int:
    """Vectors currently in the embedding cache (all models), to tell a cold run from a warm one."""
    total = 0
    for shard in CACHE.rglob("*.npz"):
        with np.load(shard) as data:
            total += len(data["hashes"])
    return total


def embed(texts: list[str]) -> tuple[np.ndarray, float, int]:
    """(embeddings, wall seconds, texts newly embedded) with topicmap's cached USE embedder."""
    embed_texts = embed_function()
    before = cached_count()
    start = time.perf_counter()
    vectors = embed_texts(texts, topicmap_settings())
    return vectors, time.perf_counter() - start, cached_count() - before


def units_of(frame: pd.DataFrame, text_column: str = "text") -> pd.DataFrame:
    """The units table (document mode: one unit per page or article) with the labels alongside."""
    units = pd.DataFrame({"id": frame["id"], "doc": frame["id"], "lang": frame["lang"],
                          "text": frame[text_column].astype(str), "label": frame["label"].astype(str)})
    if "pair" in frame:
        units["pair"] = frame["pair"]
    return units.reset_index(drop=True)


def load_corpora(names: list[str], n_per_section: int, n_per_class: int) -> list[Corpus]:
    corpora = []
    for name in names:
        if name == "manpages":
            pages = datasets.manpages_parallel(n_per_section)
            full = datasets.manpages_full(pages)
            full["file_text"] = full["title"] + "\n\n" + full["full_text"]     # the corpus file, as written
            variants = [("manpages", units_of(pages), "page after NAME, headings removed, <= 600 words"),
                        ("manpages-raw", units_of(pages, "raw_text"), "full page text, NAME and headings included, "
                                                                      "<= 600 words"),
                        ("manpages-full", units_of(full, "file_text"),
                         "the whole rendered page, uncut (NAME line as title, blank line, page as `man` shows it "
                         "without its running header and footer); the corpus folder topicmap's document mode reads")]
        elif name == "news":
            articles = datasets.news_sections(n_per_class)
            variants = [("news", units_of(articles), "whole article text")]
        else:
            raise ValueError(f"unknown corpus {name!r}; choose from {', '.join(CORPORA)}")
        for variant, units, description in variants:
            print(f"[{variant}] embedding {len(units)} texts ...", flush=True)
            vectors, seconds, new = embed(units["text"].tolist())
            print(f"[{variant}] embedded in {seconds:.1f} s ({new} newly embedded, the rest from the cache)", flush=True)
            corpora.append(Corpus(variant, units, vectors, seconds, new, description))
    return corpora


# --- the models: each returns topic labels per unit -------------------------------------------------


class PrecomputedEmbedder(BaseEmbedder):
    """A BERTopic embedding backend that only returns the vectors it was given: it never loads a model.

    BERTopic receives the embeddings through ``fit_transform(docs, embeddings=X)``; should it ask for
    the vector of a text it was not given, this fails loudly instead of downloading anything.
    """

    def __init__(self, texts: list[str], vectors: np.ndarray) -> None:
        super().__init__()
        self.lookup = dict(zip(texts, vectors))

    def embed(self, documents, verbose: bool = False) -> np.ndarray:
        unknown = [d for d in documents if d not in self.lookup]
        if unknown:
            raise RuntimeError(f"BERTopic asked to embed {len(unknown)} new texts (e.g. {unknown[0][:60]!r}); "
                               "the comparison gives it precomputed embeddings only")
        return np.vstack([self.lookup[d] for d in documents])


def _umap(seed: int):
    from umap import UMAP

    # BERTopic's default UMAP, with the seed fixed.
    return UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)


def _kmeans(k: int, seed: int):
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, n_init=10, random_state=seed)


def fit_kmeans(corpus: Corpus, k: int, seed: int, vectors: np.ndarray | None = None) -> np.ndarray:
    return _kmeans(k, seed).fit_predict(corpus.embeddings if vectors is None else vectors)


def fit_kmeans_centred(corpus: Corpus, k: int, seed: int) -> np.ndarray:
    return fit_kmeans(corpus, k, seed, centre_by_language(corpus.embeddings, corpus.units["lang"].to_numpy()))


def centre_by_language(vectors: np.ndarray, langs: np.ndarray) -> np.ndarray:
    """Each language's mean vector subtracted from its units, rows scaled back to unit length."""
    centred = vectors.astype(np.float64).copy()
    for lang in np.unique(langs):
        rows = langs == lang
        centred[rows] -= centred[rows].mean(axis=0)
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    return centred / np.where(norms == 0, 1.0, norms)


def _bertopic(corpus: Corpus, seed: int, clustering=None) -> np.ndarray:
    from bertopic import BERTopic

    texts = corpus.units["text"].tolist()
    options = {"hdbscan_model": clustering} if clustering is not None else {}
    model = BERTopic(embedding_model=PrecomputedEmbedder(texts, corpus.embeddings), umap_model=_umap(seed),
                     calculate_probabilities=False, verbose=False, **options)
    topics, _ = model.fit_transform(texts, embeddings=corpus.embeddings)
    return np.asarray(topics)


def fit_bertopic_default(corpus: Corpus, k: int, seed: int) -> np.ndarray:
    return _bertopic(corpus, seed)                      # default HDBSCAN(min_cluster_size=10): k is its own


def fit_bertopic_kmeans(corpus: Corpus, k: int, seed: int) -> np.ndarray:
    return _bertopic(corpus, seed, clustering=_kmeans(k, seed))


def fit_nmf_tfidf(corpus: Corpus, k: int, seed: int) -> np.ndarray:
    """NMF on TF-IDF of the texts; a unit's topic is its largest weight (a unit with no term: -1)."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    # max_df=0.5 drops each corpus's commonest words, in French as in English; English stop words too.
    tfidf = TfidfVectorizer(min_df=2, max_df=0.5, stop_words="english", sublinear_tf=True).fit_transform(
        corpus.units["text"])
    weights = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=500).fit_transform(tfidf)
    labels = weights.argmax(axis=1)
    labels[weights.max(axis=1) == 0] = -1
    return labels


def topicmap_rows(units_df: pd.DataFrame, embeddings: np.ndarray, k: int, seed: int
                  ) -> list[tuple[str, np.ndarray, float, dict]]:
    """(model name, labels, fit seconds, parameters) of topicmap's own models, through its representations interface.

    Raises TopicmapUnavailable when topicmap does not offer that interface (yet): the rows are then
    skipped, never filled in.
    """
    try:
        from topicmap.representations import build_representations
        from topicmap.topics import CrossLingualTopicModel, NmfTopicModel
    except ImportError as error:
        raise TopicmapUnavailable(
            f"topicmap (imported from {_topicmap_location()}) does not offer build_representations / "
            f"CrossLingualTopicModel / NmfTopicModel yet ({type(error).__name__}: {error})") from error
    units = units_df[["id", "doc", "lang", "text"]].reset_index(drop=True)
    rows = []
    for name, make in (("topicmap CrossLingualTopicModel", CrossLingualTopicModel),
                       ("topicmap NmfTopicModel", NmfTopicModel)):
        try:
            reps = build_representations(units, topicmap_settings(seed), embeddings=embeddings)
            start = time.perf_counter()
            model = make(n_topics=k, random_state=seed).fit(reps)
            seconds = time.perf_counter() - start
            labels = np.asarray(model.labels_)
        except Exception as error:  # an interface still being built: report it, never a number
            raise TopicmapUnavailable(f"{name} failed ({type(error).__name__}: {error})") from error
        if labels.shape != (len(units),):
            raise TopicmapUnavailable(f"{name}.labels_ has shape {labels.shape}, expected ({len(units)},)")
        rows.append((name, labels, seconds, model.get_params() if hasattr(model, "get_params") else {}))
    return rows


def _topicmap_location() -> str:
    try:
        import topicmap

        return str(Path(topicmap.__file__).parent)
    except ImportError:
        return "nowhere (not installed)"


# --- topicmap through its real path: corpus folder -> segment -> prepare -> fit_model ----------------

#: topicmap's registry names run in document mode, and the row names they get.
DOCUMENT_MODELS = (("crosslingual", "topicmap document mode: crosslingual"),
                   ("nmf", "topicmap document mode: nmf"),
                   ("bertopic", "topicmap document mode: bertopic"))
#: EN/FR pairs per man section in the paragraph experiment (heading prefixed or not): all 75, i.e. the
#: same 600 pages as the document rows (about 27,000 paragraphs, 2 minutes of embedding per variant, cold).
PARAGRAPH_PAIRS_PER_SECTION = 75
FULL_PAGES_FOLDER = datasets.DATA / "corpora" / "manpages-full"


def _segmented_full_pages(corpus: Corpus):
    """(settings, segmentation) of the full pages written as a corpus folder, as a user would run them."""
    try:
        from topicmap import pipeline
        from topicmap.config import Settings
    except ImportError as error:
        raise TopicmapUnavailable(f"topicmap.pipeline cannot be imported ({error})") from error
    if corpus.segmentation is None:
        frame = corpus.units.rename(columns={"text": "file_text"})
        folder = FULL_PAGES_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.txt"):
            old.unlink()
        for row in frame.itertuples(index=False):     # the file is already "title, blank line, page"
            (folder / f"{row.id}.txt").write_text(row.file_text + "\n", encoding="utf-8")
        settings = Settings(project_root=PROJECT_ROOT, corpus_dir=folder, cache_dir=CACHE)
        start = time.perf_counter()
        corpus.segmentation = pipeline.segment(settings)
        corpus.segment_seconds = time.perf_counter() - start
        corpus.settings = settings
        paragraphs = corpus.segmentation.paragraphs
        print(f"[{corpus.name}] segmented {paragraphs['doc'].nunique()} files into {len(paragraphs)} paragraphs "
              f"in {corpus.segment_seconds:.1f} s", flush=True)
    return corpus.settings, corpus.segmentation


def _labels_by_id(result, ids: pd.Series) -> np.ndarray:
    """The topic of each id (a unit topicmap did not return counts as an outlier, -1)."""
    topics = result.assignments.set_index(result.assignments["id"].astype(str))["topic"]
    return topics.reindex(ids.astype(str)).fillna(-1).astype(int).to_numpy()


def document_mode_rows(corpus: Corpus, k: int, seeds: list[int]) -> tuple[list[Row], list[str]]:
    """topicmap's document mode on the full-page corpus folder: segment, prepare(unit=document), fit_model."""
    from topicmap import pipeline
    from topicmap.topics import fit_model

    settings, segmentation = _segmented_full_pages(corpus)
    settings = settings.replace(unit="document", topics=k)
    reps = pipeline.prepare(segmentation, settings)
    before, start = cached_count(), time.perf_counter()
    reps.embeddings
    seconds, new = time.perf_counter() - start, cached_count() - before
    kept = reps.units["text"].str.split().str.len().sum()
    total = corpus.units["text"].str.split().str.len().sum()
    notes = [f"{corpus.name}: topicmap document mode: `pipeline.segment` of the {len(corpus.units)}-file folder "
             f"took {corpus.segment_seconds:.1f} s; `pipeline.prepare(unit=\"document\")` kept {kept:,} of the "
             f"files' {total:,} words ({kept / total:.1%}); embedding its {len(reps)} document texts took "
             f"{seconds:.1f} s ({new} newly embedded)"]
    print(notes[-1], flush=True)
    rows = []
    for name, row_name in DOCUMENT_MODELS:
        row = Row(corpus.name, row_name)
        for seed in seeds:
            start = time.perf_counter()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    result = fit_model(name, reps, settings.replace(seed=seed))
            except Exception as error:  # report it, never a number
                raise TopicmapUnavailable(f"fit_model({name!r}) in document mode failed "
                                          f"({type(error).__name__}: {error})") from error
            score(row, corpus, _labels_by_id(result, corpus.units["id"]), time.perf_counter() - start, seed)
            if seed == seeds[0]:
                notes.append(f"{corpus.name}: {row_name} parameters {result.params}")
        rows.append(row)
        print(f"[{corpus.name}] {row_name}: NMI {_mean_sd(row.nmi)}", flush=True)
    return rows, notes


def with_heading_prefix(units: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """The paragraph units with their section heading (the segmenter's ``section``) on a line before the text."""
    prefixed = units.copy()
    sections = paragraphs.set_index("id").loc[units["id"], "section"].fillna("").astype(str).to_numpy()
    prefixed["text"] = [f"{section}\n\n{text}" if section else text for section, text in zip(sections, units["text"])]
    return prefixed


def page_majority(docs: np.ndarray, topics: np.ndarray, page_ids: pd.Series) -> np.ndarray:
    """Each page's most frequent paragraph topic (outliers ignored unless a page has nothing else; ties: lowest id)."""
    frame = pd.DataFrame({"doc": docs, "topic": topics})
    frame = frame[frame["topic"] != -1]
    majority = frame.groupby("doc")["topic"].agg(lambda t: t.value_counts().sort_index(kind="stable").idxmax())
    return majority.reindex(page_ids.astype(str)).fillna(-1).astype(int).to_numpy()


def heading_prefix_rows(corpus: Corpus, k: int, seeds: list[int]) -> tuple[list[Row], list[str]]:
    """Paragraph-level models on a sample of the full pages, with and without the section heading prefixed,
    each page scored by the majority topic of its paragraphs (issue 13: measure before adopting it)."""
    from topicmap.representations import build_representations, units_from
    from topicmap.topics import fit_model

    settings, segmentation = _segmented_full_pages(corpus)
    settings = settings.replace(unit="paragraph", topics=k)
    pairs = corpus.units.drop_duplicates("pair").groupby("label", sort=True)["pair"].apply(
        lambda p: p.iloc[:PARAGRAPH_PAIRS_PER_SECTION]).explode()
    pages = Corpus(f"{corpus.name} paragraphs", corpus.units[corpus.units["pair"].isin(set(pairs))].reset_index(drop=True),
                   np.empty((0, 0)), 0.0, 0, "")
    paragraphs = segmentation.paragraphs[segmentation.paragraphs["doc"].isin(set(pages.units["id"]))]
    plain = units_from(paragraphs, "paragraph")
    variants = (("paragraphs", plain), ("paragraphs, section heading prefixed", with_heading_prefix(plain, paragraphs)))
    with_section = (paragraphs["section"].fillna("").astype(str) != "").mean()
    notes = [f"{pages.name}: {len(pages.units)} pages ({PARAGRAPH_PAIRS_PER_SECTION} EN/FR pairs per section), "
             f"{len(plain)} paragraphs, {with_section:.1%} of them under a section heading"]
    rows = []
    for variant, units in variants:
        reps = build_representations(units, settings)
        before, start = cached_count(), time.perf_counter()
        reps.embeddings
        notes.append(f"{pages.name}: embedding the {len(units)} {variant} took {time.perf_counter() - start:.1f} s "
                     f"({cached_count() - before} newly embedded)")
        print(notes[-1], flush=True)
        # topicmap's primary model only: a KMeans(k) row doubled the run time and, on 200 of the pages in a
        # trial run, moved the same way (page NMI 0.235 plain, 0.244 prefixed, one seed).
        for model, fit in (("topicmap crosslingual", lambda seed: fit_model("crosslingual", reps, settings.replace(seed=seed)).labels),):
            row = Row(pages.name, f"{model} on {variant}, page = majority topic")
            for seed in seeds:
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    topics = np.asarray(fit(seed))
                seconds = time.perf_counter() - start
                score(row, pages, page_majority(units["doc"].astype(str).to_numpy(), topics, pages.units["id"]),
                      seconds, seed)
            rows.append(row)
            print(f"[{pages.name}] {row.model}: page NMI {_mean_sd(row.nmi)}", flush=True)
    return rows, notes


#: (row name, fit function, corpora it runs on: None = all)
MODELS: list[tuple[str, Callable, set[str] | None]] = [
    ("KMeans(k)", fit_kmeans, None),
    ("KMeans(k), languages mean-centred", fit_kmeans_centred, {"manpages", "manpages-raw", "manpages-full"}),
    ("BERTopic (UMAP+HDBSCAN defaults)", fit_bertopic_default, {"manpages", "news"}),
    ("BERTopic (UMAP+KMeans(k))", fit_bertopic_kmeans, None),
    ("NMF(k) on TF-IDF", fit_nmf_tfidf, {"manpages", "news"}),
]


# --- scores -------------------------------------------------------------------------------------------


@dataclass
class Row:
    corpus: str
    model: str
    seeds: list[int] = field(default_factory=list)
    nmi: list[float] = field(default_factory=list)
    ari: list[float] = field(default_factory=list)
    n_topics: list[int] = field(default_factory=list)
    outliers: list[float] = field(default_factory=list)
    pairs_together: list[float] = field(default_factory=list)
    nmi_language: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def pairs_together(units: pd.DataFrame, labels: np.ndarray) -> float:
    """Share of EN-FR pairs whose two pages got the same topic (a pair with an outlier page counts as apart)."""
    frame = pd.DataFrame({"pair": units["pair"].to_numpy(), "topic": labels})
    together = frame.groupby("pair")["topic"].agg(lambda t: t.nunique() == 1 and t.iloc[0] != -1)
    return float(together.mean())


def score(row: Row, corpus: Corpus, labels: np.ndarray, seconds: float, seed: int) -> None:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    truth = corpus.units["label"].to_numpy()
    row.seeds.append(seed)
    row.nmi.append(normalized_mutual_info_score(truth, labels))
    row.ari.append(adjusted_rand_score(truth, labels))
    row.n_topics.append(len(set(labels.tolist()) - {-1}))
    row.outliers.append(float(np.mean(labels == -1)))
    if "pair" in corpus.units:
        row.pairs_together.append(pairs_together(corpus.units, labels))
        row.nmi_language.append(normalized_mutual_info_score(corpus.units["lang"].to_numpy(), labels))
    row.seconds.append(seconds)


def warm_up() -> float:
    """Compile UMAP's and HDBSCAN's numba code and start KMeans's thread pools on a tiny random set,
    so that no row's time includes these one-off costs."""
    import hdbscan

    start = time.perf_counter()
    points = np.random.default_rng(0).normal(size=(200, 16)).astype(np.float32)
    hdbscan.HDBSCAN(min_cluster_size=10).fit(_umap(0).fit_transform(points))
    _kmeans(2, 0).fit(points)
    return time.perf_counter() - start


def run(corpora: list[Corpus], seeds: list[int], with_topicmap: bool) -> tuple[list[Row], list[str], list[str]]:
    """The rows of the table, notes on topicmap's models, and the rows skipped with the reason."""
    rows, notes, skipped = [], [], []
    for corpus in corpora:
        k = corpus.units["label"].nunique()
        for name, fit, only in MODELS:
            if only is not None and corpus.name not in only:
                continue
            row = Row(corpus.name, name)
            for seed in seeds:
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    labels = np.asarray(fit(corpus, k, seed))
                seconds = time.perf_counter() - start
                score(row, corpus, labels, seconds, seed)
            rows.append(row)
            print(f"[{corpus.name}] {name}: NMI {_mean_sd(row.nmi)}, {np.mean(row.seconds):.1f} s per fit", flush=True)
        if not with_topicmap or corpus.name == "manpages-raw":
            continue
        if corpus.name == "manpages-full":
            try:
                found, found_notes = document_mode_rows(corpus, k, seeds)
                rows.extend(found)
                notes.extend(found_notes)
                found, found_notes = heading_prefix_rows(corpus, k, seeds)
                rows.extend(found)
                notes.extend(found_notes)
            except TopicmapUnavailable as error:
                note = f"{corpus.name}: topicmap's document mode / paragraph rows skipped: {error}"
                print(note, flush=True)
                skipped.append(note)
            continue
        topicmap_by_model: dict[str, Row] = {}
        try:
            for seed in seeds:
                for name, labels, seconds, params in topicmap_rows(corpus.units, corpus.embeddings, k, seed):
                    score(topicmap_by_model.setdefault(name, Row(corpus.name, name)), corpus, labels, seconds, seed)
                    if seed == seeds[0]:
                        notes.append(f"{corpus.name}: {name} parameters {params}")
                    print(f"[{corpus.name}] {name} seed {seed}: NMI {topicmap_by_model[name].nmi[-1]:.3f}", flush=True)
            rows.extend(topicmap_by_model.values())
        except TopicmapUnavailable as error:
            note = f"{corpus.name}: topicmap's own models skipped: {error}"
            print(note, flush=True)
            skipped.append(note)
    return rows, notes, skipped


# --- the table ----------------------------------------------------------------------------------------


def _mean_sd(values: list[float]) -> str:
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0]:.3f}"
    return f"{np.mean(values):.3f} ± {np.std(values, ddof=1):.3f}"


def _topics(values: list[int]) -> str:
    low, high = min(values), max(values)
    return str(low) if low == high else f"{low}–{high}"


def table(rows: list[Row]) -> str:
    header = ("| corpus | model | topics found | NMI | ARI | EN–FR pairs together | NMI with language | outliers | fit s |\n"
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    lines = [header]
    for row in rows:
        pairs = _mean_sd(row.pairs_together) if row.pairs_together else "n/a"
        language = _mean_sd(row.nmi_language) if row.nmi_language else "n/a"
        lines.append(f"| {row.corpus} | {row.model} | {_topics(row.n_topics)} | {_mean_sd(row.nmi)} | "
                     f"{_mean_sd(row.ari)} | {pairs} | {language} | {np.mean(row.outliers):.1%} | "
                     f"{np.mean(row.seconds):.2f} |")
    return "\n".join(lines)


def _git(*args: str, cwd: Path = PROJECT_ROOT) -> str:
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True, cwd=cwd).stdout.strip()
    except OSError:
        return ""


def provenance() -> str:
    """Commit of this benchmark and where topicmap (the embedder, and its models) was imported from."""
    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    # The benchmark's code and docs; the table this run writes does not count.
    changed = _git("status", "--porcelain", "--untracked-files=no", "--", "benchmarks",
                   ":!benchmarks/model_comparison.md")
    dirty = " (with uncommitted changes)" if changed else ""
    location = Path(_topicmap_location())
    root = _git("rev-parse", "--show-toplevel", cwd=location) if location.is_dir() else ""
    if root:
        tm_commit = _git("rev-parse", "--short", "HEAD", cwd=Path(root))
        tm_dirty = _git("status", "--porcelain", "--", "src/topicmap", cwd=Path(root))
        state = (", **src/topicmap with uncommitted changes**: its rows come from work in progress and cannot be "
                 "reproduced from a commit") if tm_dirty else ""
        topicmap_from = f"`{location}` (checkout `{root}` at {tm_commit}{state})"
    else:
        topicmap_from = f"`{location}`"
    return f"benchmark commit {commit}{dirty} on branch `{_git('branch', '--show-current')}`; topicmap imported from {topicmap_from}"


def markdown(rows: list[Row], corpora: list[Corpus], notes: list[str], skipped_rows: list[str], command: str,
             started: str, seeds: list[int], warm_up_seconds: float, load: str) -> str:
    described = "\n".join(
        f"* **{c.name}**: {len(c.units)} units ({', '.join(f'{lang} {n}' for lang, n in c.units['lang'].value_counts().sort_index().items())}), "
        f"{c.units['label'].nunique()} labels ({', '.join(f'{label} {n}' for label, n in c.units['label'].value_counts().sort_index().items())}); "
        f"{c.description}; median {c.units['text'].str.split().str.len().median():.0f} words. "
        f"Embedding: {c.embed_seconds:.1f} s for {len(c.units)} texts, {c.newly_embedded} of them newly embedded "
        f"({'cold' if c.newly_embedded == len(c.units) else 'partly or wholly from the cache'})."
        for c in corpora)
    skipped = "\n".join(f"* {note}" for note in skipped_rows) or "* none"
    topicmap_notes = "\n".join(f"* {note}" for note in notes) or "* none run"
    return f"""# Topic models compared on labelled corpora

Measured by `{command}` on {started} ({provenance()}).
Machine: {machine()}, no GPU, shared with other work (load average {load}: fit times are
indicative). Seeds: {', '.join(map(str, seeds))} (each row is fitted once per seed).

{table(rows)}

Corpora (document mode: a unit is a whole page or article; k = the number of labels):

{described}

topicmap's own models (fit s includes the tokens/TF-IDF that its representations compute on first use;
the embeddings are the same precomputed ones):

{topicmap_notes}

Skipped rows:

{skipped}

* **topics found**: distinct topics over the seeds, outliers (-1) excluded; **NMI** (normalized mutual
  information, arithmetic mean) and **ARI** (adjusted Rand index) of the topics against the labels,
  mean ± sd over the seeds (sklearn; outliers count as one more cluster); **EN–FR pairs together**:
  share of the translation pairs whose English and French page got the same topic (a page in -1
  counts as apart); **NMI with language**: NMI of the topics against the page language (en/fr): 0 means
  the topics ignore the language, as cross-lingual themes should; **outliers**: share of units in topic -1 (HDBSCAN only leaves some);
  **fit s**: wall seconds of one fit (time.perf_counter), mean over the seeds, embeddings excluded.
* Every model uses the same USE multilingual embeddings (topicmap's cached embedder), except NMF,
  which reads TF-IDF of the same texts. UMAP/HDBSCAN numba compilation and KMeans start-up
  ({warm_up_seconds:.1f} s) were done once before any timed fit. *manpages-raw* is the same pages embedded with NAME, headings and all.
* *manpages-full* is the same pages uncut, exactly as the corpus files hold them (title line, blank line, the
  whole rendered page); its KMeans and BERTopic rows embed each file's text as one string, and the
  **topicmap document mode** rows run topicmap's real path on that folder: `pipeline.segment` ->
  `pipeline.prepare(unit="document")` (title and section headings kept) -> `topics.fit_model(name)` with
  `topics = k`, the documents mapped back to their labels by id. Their fit s is `fit_model` alone (the
  first fit of a run also computes the tokens/TF-IDF the representations share).
* *manpages-full paragraphs*: the paragraphs topicmap's segmenter made of a sample of those pages,
  modelled at paragraph level with and without their section heading prefixed (`"<section>\n\n<text>"`);
  a page's topic is the most frequent topic of its paragraphs, and NMI, ARI and EN–FR pairs are
  computed over pages. Fit s is per fit on all the paragraphs.
* See benchmarks/README.md ("Model comparison on labelled corpora") for how corpora and labels are made.
"""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", default=",".join(CORPORA),
                        help=f"comma-separated, from {','.join(CORPORA)} (default: both); manpages also runs "
                             "the raw-page variant manpages-raw")
    parser.add_argument("--seeds", type=int, default=3, help="seeds per row: 0, 1, ... (default 3)")
    parser.add_argument("--n-per-section", type=int, default=75, help="EN/FR man page pairs per section (default 75)")
    parser.add_argument("--n-per-class", type=int, default=75, help="news articles per class (default 75)")
    parser.add_argument("--no-topicmap", action="store_true", help="leave out topicmap's own models")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help=f"markdown written here (default {DEFAULT_OUT.name})")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.corpora.split(",") if n.strip()]
    unknown = sorted(set(names) - set(CORPORA))
    if unknown:
        parser.error(f"unknown corpora {unknown}; choose from {', '.join(CORPORA)}")
    command = "/work/main/.venv/bin/python benchmarks/compare_models.py " + " ".join(argv)
    started = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    load_before = os.getloadavg()[0]
    seeds = list(range(args.seeds))
    try:
        corpora = load_corpora(names, args.n_per_section, args.n_per_class)
    except datasets.DatasetError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    warm_up_seconds = warm_up()
    rows, notes, skipped = run(corpora, seeds, with_topicmap=not args.no_topicmap)
    load = f"{load_before:.2f} at the start, {os.getloadavg()[0]:.2f} at the end, 1-minute"
    text = markdown(rows, corpora, notes, skipped, command.strip(), started, seeds, warm_up_seconds, load)
    Path(args.out).write_text(text, encoding="utf-8")
    print("\n" + text)
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
