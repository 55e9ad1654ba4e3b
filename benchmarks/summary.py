"""``python -m benchmarks summary``: the README's summary table, from the committed results files.

One row per labelled corpus of ``results/models.csv``: the report's model's NMI against the labels and its ARI
between seeds, beside the best other method's. The README holds this table as printed here, and a test checks
that it does, so the README cannot drift from what the benchmarks measured.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

RESULTS = Path(__file__).resolve().parent / "results"
PRIMARY = "crosslingual"


def summary_table(results: Path = RESULTS) -> str:
    """The markdown table of the report's model against the best other method on each labelled corpus."""
    table = pd.read_csv(results / "models.csv")
    lines = ["| corpus | units | themes (labels) | topicmap NMI (ARI between seeds) | best other method, NMI "
             "(ARI between seeds) | gap |", "| --- | ---: | ---: | ---: | --- | ---: |"]
    for corpus, rows in table.groupby("corpus", sort=False):
        ours = rows[rows["method"] == PRIMARY].iloc[0]
        others = rows[rows["method"] != PRIMARY].sort_values(["nmi", "method"], ascending=[False, True])
        best = others.iloc[0]
        gap = ours["nmi"] - best["nmi"]
        lines.append(f"| {corpus} | {int(ours['units'])} | {int(ours['k'])} | {ours['nmi']:.3f} ({ours['seed_ari']:.2f}) "
                     f"| {best['method']} {best['nmi']:.3f} ({best['seed_ari']:.2f}) | {gap:+.3f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks summary", description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    print(summary_table(), end="")
    return 0
