"""Topicmap's models against the best peers, on the same vectors, the same k and the same labelled corpora.

    python -m benchmarks models                       # every labelled corpus, 3 seeds (about 20 min here)
    python -m benchmarks models --corpora seeds,confounded --seeds 42,7

For each corpus of ``datasets.LABELLED`` the texts are embedded once (multilingual USE, cached in
``benchmarks/data/cache``) and every method is fitted with each seed at k = the number of labels:

* topicmap's models, through its registry: ``crosslingual`` (the report's), ``crosslingual_centred`` (the
  same with each language's average subtracted instead of the anchors), ``crosslingual_ward`` (the earlier
  Ward consensus), ``bertopic`` (UMAP + KMeans at a given k) and ``nmf`` (TF-IDF words); any other name of
  the registry can be asked for with ``--methods``;
* peers on the same vectors: KMeans, KMeans on language-centred vectors, UMAP(5-d) + KMeans (what
  BERTopic does at a given k), Leiden on the kNN graph at k (as Scanpy does), spectral clustering.

Measures: NMI and ARI against the labels; ARI between the seeds (does the seed decide?); EN-FR versions of
one document in one theme (``pairs``, parallel corpora); genre purity (``confounded``: does a subject only
French covers stay apart?); French->nearest-English pair agreement (``nn_pairs``; partly circular, as it
reads the same vectors) and seconds per fit. Writes ``benchmarks/results/models.md`` and ``models.csv``.
"""

from __future__ import annotations

import argparse
import itertools
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans, SpectralClustering
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from . import datasets
from .common import RESULTS, command_line, machine_line, write_table

SEEDS = (42, 7, 123)
TOPICMAP_MODELS = ("crosslingual", "crosslingual_centred", "crosslingual_ward", "bertopic", "nmf")
PEERS = ("kmeans", "kmeans_centred", "umap_kmeans", "leiden", "spectral")
#: With ``--k auto``, the peers that choose their own number of topics, as their users run them: BERTopic with
#: HDBSCAN (its default; its outliers count as one more cluster) and Leiden at resolution 1 (plain modularity).
AUTO_PEERS = ("bertopic_auto", "leiden_auto")


def registered() -> set[str]:
    from topicmap.topics import MODELS

    return set(MODELS)


def settings_for(k: int, seed: int):
    from topicmap.config import Settings

    return Settings(project_root=datasets.HERE.parent, cache_dir=str(datasets.DATA / "cache"), topics=k, seed=seed)


def embed(frame: pd.DataFrame) -> np.ndarray:
    from topicmap.representations.embeddings import embed_texts

    return np.asarray(embed_texts(frame["text"].astype(str).tolist(), settings_for(2, 0)), dtype=np.float64)


def units_of(frame: pd.DataFrame) -> pd.DataFrame:
    doc = frame["doc"] if "doc" in frame else frame["id"]
    return pd.DataFrame({"id": frame["id"].astype(str), "doc": doc.astype(str), "lang": frame["lang"].astype(str),
                         "text": frame["text"].astype(str)})


def fit_topicmap(name: str, units: pd.DataFrame, vectors: np.ndarray, k: int, seed: int) -> np.ndarray:
    from topicmap.representations import build_representations
    from topicmap.topics import fit_model

    settings = settings_for(k, seed)
    result = fit_model(name, build_representations(units, settings, embeddings=vectors), settings)
    return result.assignments["topic"].to_numpy()


def fit_peer(name: str, vectors: np.ndarray, langs: np.ndarray, k: int, seed: int) -> np.ndarray:
    from topicmap.representations.language_neutral import LanguageNeutralizer, unit_rows
    from topicmap.topics.consensus import knn_graph, leiden_with_k

    X = unit_rows(vectors)
    n_neighbors = int(min(15, max(3, np.sqrt(len(X)))))
    if name == "kmeans":
        return KMeans(k, n_init=10, random_state=seed).fit_predict(X)
    if name == "kmeans_centred":
        return KMeans(k, n_init=10, random_state=seed).fit_predict(LanguageNeutralizer("center").fit_transform(X, langs))
    if name == "umap_kmeans":
        from umap import UMAP

        reduced = UMAP(n_neighbors=n_neighbors, n_components=5, min_dist=0.0, metric="cosine", init="random",
                       random_state=seed).fit_transform(X)
        return KMeans(k, n_init=10, random_state=seed).fit_predict(reduced)
    if name == "leiden":
        return leiden_with_k(knn_graph(X, n_neighbors), k, seed)[0]
    if name == "leiden_auto":
        return leiden_at_resolution_one(knn_graph(X, n_neighbors), seed)
    if name == "spectral":
        return SpectralClustering(k, affinity="nearest_neighbors", n_neighbors=n_neighbors, random_state=seed,
                                  assign_labels="cluster_qr").fit_predict(X)
    raise ValueError(f"unknown peer {name!r}")


def leiden_at_resolution_one(graph, seed: int) -> np.ndarray:
    """Leiden communities of maximal modularity (resolution 1, no number asked), seeded as ``leiden_with_k``."""
    import random

    import igraph

    igraph.set_random_number_generator(random.Random(int(seed)))
    try:
        return np.asarray(graph.community_leiden(objective_function="modularity", weights="weight",
                                                 resolution=1.0, n_iterations=2).membership)
    finally:
        igraph.set_random_number_generator(random)


def pairs_together(frame: pd.DataFrame, labels: np.ndarray) -> float:
    """Share of the documents present in two languages whose two versions share a theme (NaN: no pairs)."""
    if "pair" not in frame or frame["pair"].isna().all():
        return float("nan")
    by_pair = pd.Series(labels, index=frame.index).groupby(frame["pair"]).agg(list)
    both = [v for v in by_pair if len(v) == 2]
    return float(np.mean([a == b for a, b in both])) if both else float("nan")


def genre_purity(frame: pd.DataFrame, labels: np.ndarray) -> float:
    if "genre" not in frame or frame["genre"].isna().all():
        return float("nan")
    table = pd.crosstab(labels, frame["genre"].to_numpy())
    return float(table.max(axis=1).sum() / table.values.sum())


def measure(corpus: str, seeds: tuple[int, ...], methods: tuple[str, ...], auto: tuple[str, ...] = ()) -> list[dict]:
    """One row per method; the methods of ``auto`` choose their own k ("auto"), every other one is given the
    number of labels. With ``auto``, rows also say the k each seed's fit ended with and its largest theme's share."""
    from topicmap.metrics.language import cross_lingual_pair_agreement

    frame = datasets.LABELLED[corpus]().reset_index(drop=True)
    vectors, units = embed(frame), units_of(frame)
    langs, truth = units["lang"].to_numpy(), frame["label"].astype(str).to_numpy()
    k = int(frame["label"].nunique())
    rows = []
    for method in methods:
        labels, seconds = [], []
        own = method in auto or method in AUTO_PEERS
        asked = "auto" if own else k
        for seed in seeds:
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fitted = (fit_topicmap(method, units, vectors, asked, seed) if method in registered() else
                          fit_topicmap(method.removesuffix("_auto"), units, vectors, asked, seed)
                          if method.removesuffix("_auto") in registered() else fit_peer(method, vectors, langs, k, seed))
            seconds.append(time.perf_counter() - start)
            labels.append(np.asarray(fitted))
        bilingual = len(set(langs.tolist())) > 1
        found = "/".join(str(len(set(x.tolist()))) for x in labels)
        rows.append({
            "corpus": corpus, "units": len(frame), "k": found if own else k, "method": method,
            "topicmap": method in registered(),
            "nmi": np.mean([normalized_mutual_info_score(truth, x) for x in labels]),
            "ari": np.mean([adjusted_rand_score(truth, x) for x in labels]),
            "seed_ari": np.mean([adjusted_rand_score(a, b) for a, b in itertools.combinations(labels, 2)]),
            "pairs": np.mean([pairs_together(frame, x) for x in labels]),
            "nn_pairs": (np.mean([cross_lingual_pair_agreement(x, vectors, langs) for x in labels])
                         if bilingual else float("nan")),
            "purity": np.mean([genre_purity(frame, x) for x in labels]),
            "seconds": float(np.mean(seconds)),
            **({"largest": np.mean([pd.Series(x).value_counts(normalize=True).max() for x in labels]),
                "true_largest": float(frame["label"].value_counts(normalize=True).max())} if auto else {}),
        })
        print(f"{corpus:>11} {method:>18}  NMI {rows[-1]['nmi']:.3f}  seed ARI {rows[-1]['seed_ari']:.3f}  "
              f"{rows[-1]['seconds']:.1f} s", flush=True)
    return rows


def verdict(table: pd.DataFrame, primary: str = "crosslingual") -> list[str]:
    """One line per corpus: the primary model's NMI against the best other method's in the same run and, when
    peers chose their own number of topics (``AUTO_PEERS``), against the best of those."""
    lines = []
    for corpus, rows in table.groupby("corpus", sort=False):
        mine = rows.loc[rows["method"] == primary, "nmi"].iloc[0]
        others = rows[rows["method"] != primary]
        best = others.loc[others["nmi"].idxmax()]
        word = "ahead of" if mine >= best["nmi"] else "**behind**"
        line = (f"- {corpus}: {primary} NMI {mine:.3f}, {word} the best other method, "
                f"{best['method']} {best['nmi']:.3f} ({mine - best['nmi']:+.3f})")
        own = others[others["method"].isin(AUTO_PEERS)]
        if len(own):
            peer = own.loc[own["nmi"].idxmax()]
            word = "ahead of" if mine >= peer["nmi"] else "**behind**"
            line += (f"; {word} the best that chooses its own number, {peer['method']} {peer['nmi']:.3f} "
                     f"({mine - peer['nmi']:+.3f})")
        lines.append(line + ".")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks models", description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", default=",".join(datasets.LABELLED), help="comma-separated names")
    parser.add_argument("--seeds", default=",".join(map(str, SEEDS)))
    parser.add_argument("--methods", default=",".join(TOPICMAP_MODELS + PEERS))
    parser.add_argument("--k", choices=("labels", "auto"), default="labels",
                        help="auto: the report's model (crosslingual) chooses its own number of themes, as the "
                             "report does; every other method keeps k = the number of labels")
    parser.add_argument("--out", type=Path, default=None,
                        help="results/models.md, or results/models_auto.md with --k auto")
    args = parser.parse_args(argv)
    args.out = args.out or RESULTS / ("models_auto.md" if args.k == "auto" else "models.md")
    seeds = tuple(int(s) for s in args.seeds.split(","))
    methods = tuple(args.methods.split(","))
    auto = ("crosslingual",) if args.k == "auto" else ()
    methods += tuple(m for m in AUTO_PEERS if auto and m not in methods and args.methods == parser.get_default("methods"))
    rows = []
    for corpus in args.corpora.split(","):
        rows += measure(corpus, seeds, methods, auto)
    table = pd.DataFrame(rows)
    table.round(4).to_csv(args.out.with_suffix(".csv"), index=False)
    shown = table.drop(columns=["topicmap"]).round(3)
    write_table(args.out, "Topicmap's models and peers on labelled corpora", [
        machine_line(), command_line("models", argv),
        f"Seeds {', '.join(map(str, seeds))}; k = the number of labels; every method on the same USE vectors." if not auto else
        f"Seeds {', '.join(map(str, seeds))}; crosslingual at the k it chooses (\"auto\", per seed in `k`), and so do "
        "`bertopic_auto` (HDBSCAN, its outliers one more cluster) and `leiden_auto` (resolution 1); every other "
        "method at k = the number of labels (an oracle the report's model does not have); every method on the same "
        "USE vectors. `largest`: the largest theme's "
        "share (target: at most 1.5 x `true_largest`, the largest subject's).",
        "", "Where the report's model (crosslingual) stands:", "", *verdict(table), "",
    ], shown)
    return 0
