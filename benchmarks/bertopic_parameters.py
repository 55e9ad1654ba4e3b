"""How plain BERTopic's HDBSCAN settings decide its number of topics, on labelled paragraphs (issue 11).

    PYTHONPATH=src .venv/bin/python benchmarks/bertopic_parameters.py [--sizes 3000,20000] [--seeds 42,7]

On the scale corpus's paragraphs (``scale_quality.labelled_representations``: man pages in French and
English, English news; labelled by man section or news class), seeded random samples of each size are
fitted by topicmap's ``BertopicTopicModel`` (UMAP + HDBSCAN, outliers then reassigned) with different rules
for HDBSCAN's ``min_cluster_size`` and ``min_samples``, everything else equal. Printed per rule and size:
topics found, outlier share before reassignment, NMI against the labels (mean over seeds), fit seconds.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
import time

import numpy as np

from scale_benchmark import DEFAULT_TARGET
from scale_quality import labelled_representations


def _clamp(value: float, low: int, high: int) -> int:
    return int(max(low, min(high, round(value))))


#: rule name -> (min_cluster_size, min_samples) for n units
RULES = {
    "n/30 within 3-100, min_samples = half (topicmap's rule)": lambda n: (_clamp(n / 30, 3, 100), None),
    "BERTopic's default: 10, min_samples = 10": lambda n: (10, 10),
    "sqrt(n) within 3-100, min_samples = half": lambda n: (_clamp(math.sqrt(n), 3, 100), None),
    "n/100 within 3-100, min_samples = 5": lambda n: (_clamp(n / 100, 3, 100), 5),
    "sqrt(n) within 3-100, min_samples = 5": lambda n: (_clamp(math.sqrt(n), 3, 100), 5),
}


def fit_with_rule(representations, rule, seed: int) -> tuple[np.ndarray, dict, float]:
    from topicmap.topics import bertopic as module

    original = module.derive_parameters

    def derived(n_units, n_distinct, asked="auto"):
        parameters = original(n_units, n_distinct, asked)
        if parameters.clustering != "hdbscan":
            return parameters
        size, samples = rule(n_units)
        return dataclasses.replace(parameters, min_cluster_size=size,
                                   min_samples=samples if samples is not None else max(1, size // 2))

    module.derive_parameters = derived
    try:
        start = time.perf_counter()
        model = module.BertopicTopicModel(random_state=seed).fit(representations)
        return model.labels_, model.result_.params, time.perf_counter() - start
    finally:
        module.derive_parameters = original


def main(argv: list[str] | None = None) -> int:
    from sklearn.metrics import normalized_mutual_info_score

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="3000,20000")
    parser.add_argument("--seeds", default="42,7")
    args = parser.parse_args(argv)
    representations, labels = labelled_representations(DEFAULT_TARGET)
    seeds = [int(s) for s in args.seeds.split(",")]
    print("| paragraphs | rule | min_cluster_size / min_samples | topics | outliers before reassignment | NMI | fit s |")
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: |")
    for size in (int(s) for s in args.sizes.split(",")):
        rows = np.sort(np.random.RandomState(0).choice(len(labels), size, replace=False))
        units, truth = representations.subset(rows), labels["label"].to_numpy()[rows]
        for name, rule in RULES.items():
            found = [fit_with_rule(units, rule, seed) for seed in seeds]
            params = found[0][1]
            topics = [len(set(f[0].tolist()) - {-1}) for f in found]
            print(f"| {size:,} | {name} | {params['min_cluster_size']} / {params['min_samples']} | "
                  f"{'/'.join(map(str, topics))} | "
                  f"{np.mean([f[1]['outlier_share_before_reduction'] for f in found]):.2f} | "
                  f"{np.mean([normalized_mutual_info_score(truth, f[0]) for f in found]):.3f} | "
                  f"{np.mean([f[2] for f in found]):.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
