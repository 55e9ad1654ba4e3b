"""``python -m benchmarks NAME [options]``: run one benchmark; without a name, list them."""

from __future__ import annotations

import importlib
import sys

#: name -> (module, what it measures)
BENCHMARKS = {
    "models": ("benchmarks.models", "topicmap's models against peers on labelled corpora (NMI, ARI, pairs, purity)"),
    "scale_stability": ("benchmarks.scale_stability", "the report's model on ~100,000 labelled paragraphs: ARI between seeds, NMI"),
    "stages": ("benchmarks.stages", "time and peak memory of each stage on the seeds and news corpora (make benchmark)"),
    "scale": ("benchmarks.scale", "about 100,000 paragraphs: segmentation and embedding with Dask, the cold and warm report"),
    "warm_runs": ("benchmarks.warm_runs", "cold and warm command-line runs on the seeds (step cache)"),
    "worker_environment": ("benchmarks.worker_environment", "embedding speed of a Dask worker against one process"),
    "reference_coherence": ("benchmarks.reference_coherence", "NPMI of the report's themes on a reference corpus"),
    "k_choice": ("benchmarks.k_choice", "criteria for the number of themes on labelled corpora (issue 33)"),
    "covariate_cost": ("benchmarks.covariate_cost", "time and memory the covariate analysis adds at ~100,000 paragraphs"),
    "assign": ("benchmarks.assign", "new articles placed in a run's saved themes against a full fit (NMI, held-out tenths)"),
    "corpus": ("benchmarks.corpus", "write a public bilingual corpus as a folder of articles, to run topicmap report on"),
    "names": ("benchmarks.names", "every theme's name on the seeds and bilingual corpora, with the check by use (issue 34)"),
    "summary": ("benchmarks.summary", "the README's summary table, from the committed results files"),
    "datasets": ("benchmarks.datasets", "fetch and summarise every labelled corpus"),
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in BENCHMARKS:
        if argv and argv[0] not in ("-h", "--help"):
            print(f"unknown benchmark {argv[0]!r}", file=sys.stderr)
        print("usage: python -m benchmarks NAME [options]\n")
        for name, (_, what) in BENCHMARKS.items():
            print(f"  {name:<20} {what}")
        return 0 if not argv or argv[0] in ("-h", "--help") else 2
    module = importlib.import_module(BENCHMARKS[argv[0]][0])
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
