"""Why a Dask worker embeds slower than a plain process: the environment Dask's nanny gives its workers.

    .venv/bin/python -m benchmarks worker_environment [--texts 3000] [--rounds 2]

Dask's nanny sets ``distributed.nanny.pre-spawn-environ`` in every worker process before starting it:
``OMP/MKL/OPENBLAS_NUM_THREADS=1`` and ``MALLOC_TRIM_THRESHOLD_=65536``. This script embeds the same texts
(USE, no cache) in fresh child processes, each with one of these settings and nothing else changed,
in alternating rounds, and writes the seconds of each (``results/worker_environment.md``): which setting costs
the time. The texts are the first paragraphs of the scale corpus (``scale.build_scale_corpus``), files in a fixed shuffled order.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from pathlib import Path

from .common import RESULTS, command_line, machine_line
from .scale import DEFAULT_TARGET, build_scale_corpus

CHILD = r"""
import json, sys, time
from topicmap.representations.embeddings import UseEmbedder, _use_model
texts = json.load(open(sys.argv[1], encoding="utf-8"))
embedder = UseEmbedder()
_use_model()  # the model is loaded before the clock starts
start, cpu = time.perf_counter(), time.process_time()
for begin in range(0, len(texts), 512):
    embedder.embed(texts[begin:begin + 512])
print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu}))
"""

NANNY_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MALLOC_TRIM_THRESHOLD_")
ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
SETTINGS = {
    "none of them": {},
    "one BLAS thread": ONE_THREAD,
    "MALLOC_TRIM_THRESHOLD_=65536 (Dask's)": {"MALLOC_TRIM_THRESHOLD_": "65536"},
    "MALLOC_TRIM_THRESHOLD_=131072": {"MALLOC_TRIM_THRESHOLD_": "131072"},
    "MALLOC_TRIM_THRESHOLD_=1073741824": {"MALLOC_TRIM_THRESHOLD_": "1073741824"},
    "Dask's whole set": {**ONE_THREAD, "MALLOC_TRIM_THRESHOLD_": "65536"},
}


def sample_texts(n: int) -> list[str]:
    files = sorted(build_scale_corpus(DEFAULT_TARGET).glob("*.txt"))
    random.Random(0).shuffle(files)
    texts: list[str] = []
    for path in files:
        texts += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.split()) > 5]
        if len(texts) >= n:
            break
    return texts[:n]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--work", default="benchmarks/data/worker_environment_texts.json")
    parser.add_argument("--out", type=Path, default=RESULTS / "worker_environment.md")
    args = parser.parse_args(argv)
    lines = [f"# Embedding speed in one process, by the environment a Dask worker sets\n",
             command_line("worker_environment", argv), machine_line(), ""]

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(f"    {line}")

    with open(args.work, "w", encoding="utf-8") as handle:
        json.dump(sample_texts(args.texts), handle)
    base = {k: v for k, v in os.environ.items() if k not in NANNY_VARIABLES}
    say(f"{args.texts} texts, {args.rounds} rounds; seconds of embedding (CPU seconds)")
    for round_number in range(1, args.rounds + 1):
        for name, extra in SETTINGS.items():
            done = subprocess.run([sys.executable, "-c", CHILD, args.work], env={**base, **extra},
                                  capture_output=True, text=True)
            if done.returncode != 0:
                say(f"round {round_number} | {name}: failed: {done.stderr[-300:]}")
                continue
            found = json.loads(done.stdout)
            say(f"round {round_number} | {name}: {found['seconds']:.1f} s ({found['cpu']:.1f} CPU s)")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
