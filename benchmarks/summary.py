"""``python -m benchmarks summary``: the README's summary table, from the committed results files.

One row per labelled corpus of ``results/models_auto.csv`` (``python -m benchmarks models --k auto``): the report's
model at the number of themes it chooses itself, its NMI against the labels and its largest theme's share, beside
the best method that also chooses its own number (BERTopic with HDBSCAN, Leiden at resolution 1) and the best
method given the number of labels (an oracle a user does not have). The README holds this table as printed here,
and a test checks that it does, so the README cannot drift from what the benchmarks measured.

``--names`` prints instead the seeds' theme names as the report gives them, with the name check's verdict, from
``results/names.csv`` (``python -m benchmarks names``), which the README quotes the same way.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

RESULTS = Path(__file__).resolve().parent / "results"
PRIMARY = "crosslingual"


def summary_table(results: Path = RESULTS) -> str:
    """The markdown table of the report's model against the best other methods on each labelled corpus."""
    table = pd.read_csv(results / "models_auto.csv")
    lines = ["| corpus | units | labels | topicmap: themes, NMI (largest theme) | best choosing its own number, NMI "
             "| best given the labels' number, NMI |", "| --- | ---: | ---: | --- | --- | --- |"]
    for corpus, rows in table.groupby("corpus", sort=False):
        ours = rows[rows["method"] == PRIMARY].iloc[0]
        others = rows[rows["method"] != PRIMARY].sort_values(["nmi", "method"], ascending=[False, True])
        own = others[others["method"].str.endswith("_auto")]
        given = others[~others["method"].str.endswith("_auto")]
        labels = int(given["k"].iloc[0])
        cells = [f"{row['method']} {row['nmi']:.3f} (topicmap {ours['nmi'] - row['nmi']:+.3f})" if len(frame) else "—"
                 for frame in (own, given) for row in [frame.iloc[0] if len(frame) else None]]
        lines.append(f"| {corpus} | {int(ours['units'])} | {labels} | {ours['k']}: {ours['nmi']:.3f} "
                     f"({ours['largest']:.0%}) | {cells[0]} | {cells[1]} |")
    return "\n".join(lines) + "\n"


def seed_names(results: Path = RESULTS) -> str:
    """The seeds' theme names, largest theme first, each with its paragraphs and, when the check by use flags
    it, that it does: two lines of the README."""
    table = pd.read_csv(results / "names.csv", keep_default_na=False)
    seeds = table[table["corpus"] == "seeds"].sort_values(["size", "theme"], ascending=[False, True])
    flagged = seeds["check"] == "FLAGGED"
    shown = [f"*{row['name']}* ({row['size']}{', flagged' if row['check'] == 'FLAGGED' else ''})"
             for _, row in seeds.iterrows()]
    return (f"  On the seeds, the report's {len(seeds)} themes (paragraphs in brackets): {'; '.join(shown)}.\n"
            f"  {int(flagged.sum())} of {int((seeds['check'] != 'one language').sum())} bilingual names are flagged by the "
            "check by use (the paragraphs that use each half are about different things), and the report says so.\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks summary", description=__doc__.splitlines()[0])
    parser.add_argument("--names", action="store_true", help="print the seeds' theme names instead")
    args = parser.parse_args(argv)
    print(seed_names() if args.names else summary_table(), end="")
    return 0
