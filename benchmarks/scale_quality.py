"""What fitting on a sample costs in quality, on a labelled corpus of ~100,000 paragraphs (issue 11).

    PYTHONPATH=src .venv/bin/python benchmarks/scale_quality.py                 # both experiments, 3 seeds
    PYTHONPATH=src .venv/bin/python benchmarks/scale_quality.py --experiments subset --seeds 42,7

The corpus is the scale benchmark's (``scale_benchmark.build_scale_corpus``): every French and English
man page of the same sections, and English news. Each paragraph is labelled by its page's section
(``man1`` ... ``man8``) or its news article's URL class, and a French page is paired with its English
original by page name. Paragraphs are segmented and embedded by topicmap itself (USE, cached in
``benchmarks/data/cache``).

Ways of fitting a topic model to more units than it can fit at once, all on the same language-neutral
space (topicmap's ``LanguageNeutralizer``) and with the same number of themes, so only the fitting differs:

* ``consensus, sample of N``: topicmap's ``CrossLingualTopicModel``: consensus clustering on a seeded
  sample of N units, every other unit joins the nearest theme centroid (what topicmap does);
* ``consensus, every unit``: the same fitted on all units, where the n x n consensus matrix fits in
  memory (the ``subset`` experiment only);
* ``BERTopic online``: BERTopic's documented online fitting: ``partial_fit`` over seeded chunks with
  ``IncrementalPCA`` (5 components), ``MiniBatchKMeans`` and ``OnlineCountVectorizer``, then
  ``transform`` of every unit.

Experiments: ``subset``: a seeded sample of man-page paragraphs of both languages (``--subset`` units),
small enough to fit on every unit; ``whole``: every paragraph of the corpus.

Scores (over every unit): NMI and ARI against the labels; ARI between the partitions of each pair of seeds
(stability); *pages together*: of the man pages present in both languages, the share whose French and
English paragraphs have the same majority theme (a test by translation pairs, independent of the
embeddings); fit seconds (mean over seeds). Writes ``benchmarks/scale_quality.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import pandas as pd

from compare_models import CACHE, PROJECT_ROOT
from run_benchmark import _commit, machine
from scale_benchmark import DEFAULT_TARGET, build_scale_corpus

HERE = Path(__file__).resolve().parent
OUT = HERE / "scale_quality.md"
N_TOPICS = 20  # what topicmap's rule floor(sqrt(n / 2)) within 3-20 gives for any of these fits
ONLINE_CHUNK = {"subset": 1_000, "whole": 10_000}
FITS = CACHE / "scale_quality"  # the partitions of finished fits (the code of the fits is this file's)


# --- the labelled units ---------------------------------------------------------------------------------


def labelled_representations(target: int):
    """(Representations of every paragraph of the scale corpus, their label frame: label, lang, page)."""
    from topicmap.config import Settings
    from topicmap.pipeline import read_corpus, segment
    from topicmap.parallel import parallel_client
    from topicmap.representations import build_representations, units_from

    corpus = build_scale_corpus(target)
    labels = pd.read_csv(corpus.with_name(f"{corpus.name}.labels.csv"), keep_default_na=False).set_index("doc")
    settings = Settings(project_root=PROJECT_ROOT, corpus_dir=corpus, cache_dir=CACHE)
    documents = read_corpus(settings)
    with parallel_client(settings, documents) as client:
        segmentation = segment(settings, client, documents)
    units = units_from(segmentation.paragraphs, "paragraph", segmentation.headings)
    representations = build_representations(units, settings)
    start = time.perf_counter()
    representations.embeddings  # computed once here (or read from the cache), not inside a fit's time
    print(f"{len(units):,} paragraphs; embeddings ready in {time.perf_counter() - start:.0f} s", flush=True)
    by_unit = labels.reindex(units["doc"].astype(str).to_numpy())
    if by_unit["label"].isna().any():
        missing = units["doc"][by_unit["label"].isna().to_numpy()].unique()[:3]
        raise SystemExit(f"paragraphs of documents without a label, e.g. {list(missing)}")
    by_unit = by_unit.reset_index(drop=True)
    by_unit["lang"] = representations.langs  # the language topicmap identified, per paragraph
    return representations, by_unit


def man_page_subset(labels: pd.DataFrame, size: int, seed: int = 0) -> np.ndarray:
    """Rows of a seeded sample of ``size`` man-page paragraphs, drawn from pages present in both languages."""
    man = labels[labels["page"] != ""]
    both = man.groupby("page")["lang"].nunique()
    rows = man.index[man["page"].isin(both[both == 2].index)].to_numpy()
    return np.sort(np.random.RandomState(seed).choice(rows, min(size, len(rows)), replace=False))


# --- the ways of fitting ----------------------------------------------------------------------------------


def fit_consensus(representations, seed: int, max_fit_units: int) -> np.ndarray:
    from topicmap.topics.crosslingual import CrossLingualTopicModel

    return CrossLingualTopicModel(n_topics=N_TOPICS, max_fit_units=max_fit_units,
                                  random_state=seed).fit(representations).labels_


def fit_bertopic_online(representations, seed: int, chunk: int) -> np.ndarray:
    """BERTopic's online recipe (partial_fit) on the language-neutral space, then every unit transformed."""
    from bertopic import BERTopic
    from bertopic.backend import BaseEmbedder
    from bertopic.vectorizers import OnlineCountVectorizer
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import IncrementalPCA
    from topicmap.representations.language_neutral import LanguageNeutralizer

    space = LanguageNeutralizer("subspace", random_state=seed).fit_transform(representations.embeddings,
                                                                            representations.langs)
    documents = [" ".join(words) or "emptydoc" for words in representations.words]
    # A bare BaseEmbedder: every embedding is given, and partial_fit then makes no topic vectors from words.
    model = BERTopic(embedding_model=BaseEmbedder(),
                     umap_model=IncrementalPCA(n_components=5),
                     hdbscan_model=MiniBatchKMeans(n_clusters=N_TOPICS, random_state=seed, n_init=3),
                     vectorizer_model=OnlineCountVectorizer(decay=0.01, token_pattern=r"\S+", lowercase=False),
                     calculate_probabilities=False, verbose=False)
    order = np.random.RandomState(seed).permutation(len(space))  # chunks that each look like the corpus
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for begin in range(0, len(order), chunk):
            rows = order[begin:begin + chunk]
            if len(rows) >= N_TOPICS:
                model.partial_fit([documents[i] for i in rows], embeddings=space[rows])
        labels, _ = model.transform(documents, embeddings=space)
    return np.asarray(labels)


def variants(experiment: str, n_units: int) -> dict:
    ways = {"consensus, sample of 1,500 (topicmap)": lambda reps, seed: fit_consensus(reps, seed, 1_500),
            "consensus, sample of 4,000": lambda reps, seed: fit_consensus(reps, seed, 4_000)}
    if experiment == "subset":
        ways[f"consensus, every unit ({n_units:,})"] = lambda reps, seed: fit_consensus(reps, seed, n_units)
    ways["BERTopic online (partial_fit)"] = lambda reps, seed: fit_bertopic_online(reps, seed, ONLINE_CHUNK[experiment])
    return ways


# --- scores ---------------------------------------------------------------------------------------------


def pages_together(labels: pd.DataFrame, topics: np.ndarray) -> float:
    """Of the man pages present in both languages, the share whose two languages' majority themes agree."""
    frame = labels.assign(topic=topics)
    frame = frame[frame["page"] != ""]
    majority = frame.groupby(["page", "lang"])["topic"].agg(lambda t: t.value_counts().idxmax()).unstack()
    if "fr" not in majority or "en" not in majority:
        return float("nan")
    paired = majority.dropna(subset=["fr", "en"])
    return float((paired["fr"] == paired["en"]).mean())


def scores(labels: pd.DataFrame, partitions: dict[int, np.ndarray], seconds: list[float]) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    truth = labels["label"].to_numpy()
    each = list(partitions.values())
    return {
        "nmi": [normalized_mutual_info_score(truth, p) for p in each],
        "ari_labels": [adjusted_rand_score(truth, p) for p in each],
        "ari_seeds": [adjusted_rand_score(a, b) for a, b in itertools.combinations(each, 2)],
        "pages": [pages_together(labels, p) for p in each],
        "topics": [len(set(p.tolist()) - {-1}) for p in each],
        "seconds": seconds,
    }


# --- the run and the table --------------------------------------------------------------------------------


def run(experiment: str, representations, labels: pd.DataFrame, seeds: list[int], subset: int) -> list[tuple]:
    if experiment == "subset":
        rows = man_page_subset(labels, subset)
        representations, labels = representations.subset(rows), labels.iloc[rows].reset_index(drop=True)
    found = []
    for name, fit in variants(experiment, len(labels)).items():
        partitions, seconds = {}, []
        for seed in seeds:
            # Each fit is kept (benchmarks/data/cache/scale_quality), so a rerun after a failure redoes only the rest.
            kept = FITS / f"{experiment}-{len(labels)}-{''.join(c if c.isalnum() else '_' for c in name)}-{seed}.npz"
            if kept.is_file():
                with np.load(kept) as saved:
                    partitions[seed], fit_seconds = saved["labels"], float(saved["seconds"])
            else:
                start = time.perf_counter()
                partitions[seed] = fit(representations, seed)
                fit_seconds = time.perf_counter() - start
                FITS.mkdir(parents=True, exist_ok=True)
                np.savez(kept, labels=partitions[seed], seconds=fit_seconds)
            seconds.append(fit_seconds)
            print(f"{experiment} | {name} | seed {seed}: {seconds[-1]:.0f} s", flush=True)
        found.append((experiment, len(labels), labels["label"].nunique(), name, scores(labels, partitions, seconds)))
    return found


def _mean(values: list[float], digits: int = 3) -> str:
    values = [v for v in values if v == v]
    if not values:
        return "n/a"
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{np.mean(values):.{digits}f} ± {np.std(values):.{digits}f}"


def markdown(found: list[tuple], command: str, started: str, seeds: list[int]) -> str:
    lines = ["| experiment | units | labels | way of fitting | NMI | ARI vs labels | ARI between seeds | pages together "
             "| themes | fit s |", "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for experiment, n, n_labels, name, s in found:
        lines.append(f"| {experiment} | {n:,} | {n_labels} | {name} | {_mean(s['nmi'])} | {_mean(s['ari_labels'])} | "
                     f"{_mean(s['ari_seeds'])} | {_mean(s['pages'])} | {_mean(s['topics'], 0)} | "
                     f"{_mean(s['seconds'], 0)} |")
    return f"""# Fitting on a sample at scale: the cost in quality

Measured by `{command}` (started {started}, commit {_commit()}).
Machine: {machine()}. Seeds: {', '.join(map(str, seeds))}; every score is the mean ± sd over the seeds
(ARI between seeds: over the pairs of seeds). {N_TOPICS} themes for every way of fitting.

{chr(10).join(lines)}

See the docstring of `benchmarks/scale_quality.py` for the corpus, the ways of fitting and the scores.
*pages together* is computed from translation pairs (page names), not from the embeddings the models cluster.
"""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--experiments", default="subset,whole", help="subset, whole, or both (default)")
    parser.add_argument("--seeds", default="42,7,123", help="seeds of every way of fitting (default 42,7,123)")
    parser.add_argument("--subset", type=int, default=6_000, help="units of the subset experiment (default 6,000)")
    parser.add_argument("--target", type=int, default=DEFAULT_TARGET, help="paragraphs of the scale corpus")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    command = "python benchmarks/scale_quality.py " + " ".join(argv)
    started = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    seeds = [int(s) for s in args.seeds.split(",")]
    representations, labels = labelled_representations(args.target)
    found = []
    for experiment in args.experiments.split(","):
        found += run(experiment.strip(), representations, labels, seeds, args.subset)
        Path(args.out).write_text(markdown(found, command, started, seeds), encoding="utf-8")
    print(Path(args.out).read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
