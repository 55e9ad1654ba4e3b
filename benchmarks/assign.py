"""New articles placed in a run's saved themes (``topicmap assign``) against a fit that saw them.

    python -m benchmarks assign                          # handbook and news, 10 folds (a few minutes here)
    python -m benchmarks assign --corpora news --folds 3

For each labelled corpus the texts are embedded once (multilingual USE, cached in ``benchmarks/data/cache``)
and the report's model (``crosslingual``) is fitted on every text: the **full fit**. Then, for each fold, a
seeded tenth of the documents (of the EN-FR pairs, where the corpus has them, so that no held-out text has its
translation in the fit) is held out; the model is fitted on the other nine tenths, its themes are saved as a run
saves them (``placement.json`` and ``placement.npz``, written and read back) and the held-out tenth is placed in
them as ``topicmap assign`` places new articles. Measured on the held-out tenth:

* **NMI with the full fit**: do the placed texts get the themes a fit on all of them gives? (issue 35: at
  least 0.9). Two fits on different samples differ by themselves, so the same is measured for the texts the
  two fits share (``NMI fitted vs full``): what the held-out tenth can at best reach;
* NMI of the placed themes and of the full fit's with the corpus's labels (context).

Two settings of the number of themes: ``auto`` (as a run chooses it: each fit its own k, by its scan of
the candidates) and ``labels`` (k = the number of labels for both fits).

The peer, on the same embeddings, folds and k (``labels``): **KMeans** (scikit-learn, 10 starts, on the
unit-length raw embeddings), its held-out tenth placed by ``predict`` (the nearest centre), as BERTopic's
``transform`` places new documents with a KMeans cluster model.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import normalized_mutual_info_score as nmi

from . import datasets
from .common import RESULTS, command_line, machine_line, write_table

CORPORA = ("handbook", "news")
#: The report's model, as the tables name it.
PRIMARY_NAME = "topicmap"
FOLDS = 10
TARGET = 0.9


def fit(units: pd.DataFrame, vectors: np.ndarray, topics, seed: int):
    """The report's model fitted on ``units`` (given vectors), with its units attached as a run's result has."""
    from topicmap.config import Settings
    from topicmap.representations import build_representations
    from topicmap.topics import fit_model
    from topicmap.topics.registry import PRIMARY

    settings = Settings(project_root=datasets.HERE.parent, cache_dir=str(datasets.DATA / "cache"), topics=topics,
                        seed=seed)
    result = fit_model(PRIMARY, build_representations(units, settings, embeddings=vectors), settings)
    return dataclasses.replace(result, units=units.reset_index(drop=True)), settings


def placed(result, settings, units: pd.DataFrame, vectors: np.ndarray) -> np.ndarray:
    """The themes ``units`` get from ``result``'s saved themes, written and read back as ``assign`` reads them."""
    from topicmap.placement import read_placement, run_languages, write_placement

    with tempfile.TemporaryDirectory() as folder:
        write_placement(Path(folder), result, settings, run_languages(settings, result.units["lang"]))
        placement = read_placement(Path(folder))
    return placement.place(units.reset_index(drop=True), vectors)["topic"].to_numpy()


def measure(corpus: str, folds: int, seed: int) -> list[dict]:
    from .models import embed, units_of

    frame = datasets.LABELLED[corpus]().reset_index(drop=True)
    vectors, units = embed(frame), units_of(frame)
    groups = (frame["pair"] if "pair" in frame else units["doc"]).astype(str).to_numpy()
    order = np.random.RandomState(seed).permutation(sorted(set(groups)))
    labels = frame["label"].astype(str).to_numpy()
    rows = []
    for topics in ("auto", frame["label"].nunique()):
        full, _ = fit(units, vectors, topics, seed)
        for fold, held_groups in enumerate(np.array_split(order, folds)):
            held = np.isin(groups, held_groups)
            result, settings = fit(units[~held], vectors[~held], topics, seed)
            themes = placed(result, settings, units[held], vectors[held])
            rows.append({
                "corpus": corpus, "model": PRIMARY_NAME, "k": "auto" if topics == "auto" else f"labels ({topics})",
                "fold": fold,
                "held out": int(held.sum()), "k fitted": result.n_topics, "k full": full.n_topics,
                "NMI placed vs full": nmi(full.labels[held], themes),
                "NMI fitted vs full": nmi(full.labels[~held], result.labels),
                "NMI placed vs labels": nmi(labels[held], themes),
                "NMI full vs labels": nmi(labels[held], full.labels[held]),
            })
            print(f"{corpus} k={topics} fold {fold}: NMI placed vs full {rows[-1]['NMI placed vs full']:.3f}", flush=True)
    return rows + kmeans_rows(corpus, vectors, labels, groups, order, folds, seed)


def kmeans_rows(corpus: str, vectors: np.ndarray, labels: np.ndarray, groups: np.ndarray, order: np.ndarray,
                folds: int, seed: int) -> list[dict]:
    """The peer on the same folds, with k = the number of labels: KMeans fitted on all, and on nine tenths with
    the held-out tenth placed by ``predict``."""
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import normalize

    space, k = normalize(np.asarray(vectors, dtype=np.float64)), len(set(labels))
    full = KMeans(k, n_init=10, random_state=seed).fit(space).labels_
    rows = []
    for fold, held_groups in enumerate(np.array_split(order, folds)):
        held = np.isin(groups, held_groups)
        fitted = KMeans(k, n_init=10, random_state=seed).fit(space[~held])
        themes = fitted.predict(space[held])
        rows.append({
            "corpus": corpus, "model": "KMeans", "k": f"labels ({k})", "fold": fold, "held out": int(held.sum()),
            "k fitted": k, "k full": k, "NMI placed vs full": nmi(full[held], themes),
            "NMI fitted vs full": nmi(full[~held], fitted.labels_), "NMI placed vs labels": nmi(labels[held], themes),
            "NMI full vs labels": nmi(labels[held], full[held]),
        })
    return rows


def summary(table: pd.DataFrame) -> pd.DataFrame:
    measures = [c for c in table.columns if c.startswith("NMI")]
    grouped = table.groupby(["corpus", "model", "k"], sort=False)
    out = grouped[measures].mean()
    out.insert(0, "min NMI placed vs full", grouped["NMI placed vs full"].min())
    out.insert(0, "held out", grouped["held out"].mean().round().astype(int))
    out.insert(0, "folds", grouped.size())
    return out.reset_index().rename(columns={m: f"mean {m}" for m in measures})


def peer_comparison(means: pd.DataFrame) -> list[str]:
    """One line per corpus: topicmap's placed-vs-full NMI against KMeans's at the same k, and which is ahead."""
    lines = []
    for corpus, rows in means.groupby("corpus", sort=False):
        ours = rows[(rows["model"] == PRIMARY_NAME) & rows["k"].str.startswith("labels")]
        peer = rows[rows["model"] == "KMeans"]
        if len(ours) and len(peer):
            a, b = (float(rows_["mean NMI placed vs full"].iloc[0]) for rows_ in (ours, peer))
            fit_a, fit_b = (float(rows_["mean NMI full vs labels"].iloc[0]) for rows_ in (ours, peer))
            lines.append(f"- {corpus}, k {peer['k'].iloc[0]}: topicmap {a:.3f}, KMeans {b:.3f}: "
                         f"{'topicmap ahead' if a > b else '**KMeans ahead**' if b > a else 'level'} by {abs(a - b):.3f} "
                         f"(the full fits' NMI with the labels on the held-out texts: topicmap {fit_a:.3f}, "
                         f"KMeans {fit_b:.3f}).")
    return ["Against the peer, placed vs full (same folds, same k):", ""] + lines if lines else []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks assign", description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", default=",".join(CORPORA), help="comma-separated names of datasets.LABELLED")
    parser.add_argument("--folds", type=int, default=FOLDS, help="folds; each holds out 1/folds of the documents")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=RESULTS / "assign.md")
    args = parser.parse_args(argv)
    rows = []
    for corpus in args.corpora.split(","):
        rows += measure(corpus, args.folds, args.seed)
    table = pd.DataFrame(rows)
    means = summary(table)
    verdicts = [f"- {row['corpus']}, {row['model']}, k {row['k']}: held-out texts placed in the nine-tenths fit's themes agree with "
                f"the full fit at NMI {row['mean NMI placed vs full']:.3f} on average (lowest fold "
                f"{row['min NMI placed vs full']:.3f}; the two fits agree at {row['mean NMI fitted vs full']:.3f} on the "
                f"texts both saw): {'meets' if row['mean NMI placed vs full'] >= TARGET else '**below**'} the target "
                f"{TARGET}." for row in means.to_dict("records")]
    verdicts += ["", *peer_comparison(means)]
    write_table(args.out, "New articles placed in saved themes against a full fit (topicmap assign)", [
        machine_line(), command_line("assign", argv),
        f"Report's model (crosslingual, `topicmap`) and KMeans, seed {args.seed}; {args.folds} folds, each holding out a seeded tenth of the "
        "documents (EN-FR pairs together); NMI on the held-out tenth. `NMI fitted vs full` is the agreement of the "
        "two fits on the texts both saw: what placing can at best reach.", "", *verdicts, "",
        *["## Mean over folds", ""],
    ], means.round(3))
    with open(args.out, "a", encoding="utf-8") as handle:
        from .common import markdown_table

        handle.write("\n## Every fold\n\n" + "\n".join(markdown_table(table.round(3))) + "\n")
    return 0
