"""Every theme's name on the seeds and each bilingual benchmark corpus, with the tool's own check (issue 34).

For each corpus, ``topicmap topics`` is run (the report's model, seed 42) into a temporary folder; each
theme's name is listed with the cosine of its two halves' multilingual vectors, the check by use
(``Topic.label_halves_agree``), whether each half occurs as such in the theme's paragraphs of its
language, and the words it shares with another theme's name. The issue asks at least 90 % of names to
pass on every bilingual corpus.

    .venv/bin/python -m benchmarks names [--corpus DIR ...] [--labelled NAME,...] [--out benchmarks/results/names.md]

The table is also written as CSV beside it (``names.csv``), from which the README quotes the seeds' names.

Without ``--corpus``: the seeds, every folder under ``benchmarks/data/corpora/`` (written by
``python -m benchmarks corpus``) and the bilingual labelled corpora of ``LABELLED_BILINGUAL`` (parallel and not),
each written as a folder of documents under ``benchmarks/data/names/``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from .common import PROJECT_ROOT, RESULTS, command_line, machine_line, write_table

from topicmap.representations.tokens import segments  # noqa: E402
from topicmap.topics.base import OUTLIER, Topic  # noqa: E402
from topicmap.topics.names import content_words  # noqa: E402

TARGET = 0.9
#: The bilingual labelled corpora of the suite, named as in ``datasets.LABELLED``.
LABELLED_BILINGUAL = ("handbook", "handbook_split", "helppages", "manpages")


def default_corpora() -> list[Path]:
    found = [PROJECT_ROOT / "seeds"]
    corpora = PROJECT_ROOT / "benchmarks" / "data" / "corpora"
    return found + (sorted(p for p in corpora.iterdir() if p.is_dir()) if corpora.is_dir() else [])


def labelled_folder(name: str) -> Path:
    """The labelled corpus ``name`` as a folder of documents (one per ``doc``, or per text when it has none)."""
    from . import datasets

    frame = datasets.LABELLED[name]()
    return datasets.write_corpus_folder(frame, datasets.DATA / "names" / name, by="doc" if "doc" in frame else "id")


def occurs(name: str, texts: list[str]) -> bool:
    """Whether every word of ``name`` occurs, in that order and contiguously, in one of ``texts``."""
    words = tuple(word for run in segments(name) for word in run)
    return bool(words) and any(tuple(run[i:i + len(words)]) == words for text in texts for run in segments(text)
                               for i in range(len(run) - len(words) + 1))


def names_of(corpus: Path, out: Path) -> list[dict]:
    """Run the report's model on ``corpus`` into ``out`` and list every theme's name with its checks."""
    subprocess.run([sys.executable, "-m", "topicmap.cli", "topics",
                    "--corpus", str(corpus), "--out", str(out)], check=True, capture_output=True)
    topics = [Topic.from_json(t) for t in json.loads((out / "topics_crosslingual.json").read_text("utf-8"))["topics"]]
    paragraphs = pd.read_csv(out / "paragraphs.csv", dtype=str, keep_default_na=False).set_index("id")
    assigned = pd.read_csv(out / "assignments_crosslingual.csv", dtype={"id": str, "topic": int})
    assigned = assigned.join(paragraphs[["lang", "text"]], on="id")
    rows, owner = [], {}
    for topic in topics:
        if topic.id == OUTLIER:
            continue
        for lang, half in topic.label_by_lang.items():
            for word in content_words(half, lang):
                owner.setdefault(word, set()).add(topic.id)
    for topic in topics:
        if topic.id == OUTLIER:
            continue
        mine = assigned[assigned["topic"] == topic.id]
        found = all(occurs(half, mine.loc[mine["lang"] == lang, "text"].tolist())
                    for lang, half in topic.label_by_lang.items())
        shared = sorted({w for lang, half in topic.label_by_lang.items() for w in content_words(half, lang)
                         if len(owner.get(w, [])) > 1})
        agree = topic.label_halves_agree()
        rows.append({"corpus": corpus.name, "theme": topic.id, "size": topic.size,
                     "languages": " ".join(f"{k} {v}" for k, v in sorted(topic.n_by_lang.items())),
                     "name": topic.label,
                     "words cosine": np.nan if topic.label_agreement is None else topic.label_agreement,
                     "use cosine": np.nan if topic.label_usage is None else topic.label_usage[0],
                     "bar": np.nan if topic.label_usage is None else sum(topic.label_usage[1:]) / 2,
                     "check": "one language" if agree is None else "pass" if agree else "FLAGGED",
                     "in its paragraphs": "yes" if found else "NO", "shared words": ", ".join(shared)})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, action="append", help="a corpus folder (repeatable)")
    parser.add_argument("--labelled", default=",".join(LABELLED_BILINGUAL),
                        help="labelled corpora to add when no --corpus is given (comma-separated; empty for none)")
    parser.add_argument("--out", type=Path, default=RESULTS / "names.md")
    args = parser.parse_args(argv)
    corpora = args.corpus or default_corpora() + [labelled_folder(n) for n in args.labelled.split(",") if n]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for i, corpus in enumerate(corpora):
            rows += names_of(corpus, Path(scratch) / str(i))
    table = pd.DataFrame(rows)
    summary = []
    for corpus, names in table.groupby("corpus", sort=False):
        bilingual = names[names["check"] != "one language"]
        passed = int((bilingual["check"] == "pass").sum())
        share = passed / len(bilingual) if len(bilingual) else float("nan")
        summary.append(f"- `{corpus}`: {passed} of {len(bilingual)} bilingual names pass the check by use"
                       + (f" ({share:.0%}; target {TARGET:.0%}: {'met' if share >= TARGET else 'not met'})"
                          if len(bilingual) else "")
                       + f"; {int((names['in its paragraphs'] == 'yes').sum())} of {len(names)} names occur in their "
                       f"theme's paragraphs; {int((names['shared words'] != '').sum())} share a word with another name.")
    write_table(args.out, "Theme names and their check", [
        command_line("names", argv), machine_line(),
        "The report's model (crosslingual, seed 42) on each corpus. *words cosine*: the two halves' multilingual "
        "vectors; *use cosine*: the theme's paragraphs that use each half, against *bar*, the midpoint between one "
        "theme's and two themes' paragraphs in the two languages (the check passes above it, with words cosine "
        ">= 0.5). *in its paragraphs*: every half occurs as such in the theme's paragraphs of its language.", "",
        *summary], table)
    table.to_csv(args.out.with_suffix(".csv"), index=False)  # read by ``python -m benchmarks summary --names``
    return 0


if __name__ == "__main__":
    sys.exit(main())
