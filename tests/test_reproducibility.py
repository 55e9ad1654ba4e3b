"""The same seed gives the same topics on any x86-64 machine: the CPU kernels are pinned.

OpenBLAS, numpy and numba choose kernels by CPU type, and UMAP turns their last-bit differences into
other topics. A machine of another type is played here by the variables that make the libraries choose
as on it (``OPENBLAS_CORETYPE``, ``NUMBA_CPU_NAME``), in fresh processes with empty caches: topicmap must
compute the same embeddings, BERTopic topics, primary themes and map on every one. A control run that
lets the libraries choose shows that the emulation does change the numbers, so the test can fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from topicmap.kernels import kernel_report, pinned_kernels

ANALYSIS = r"""
import hashlib, json, sys
from pathlib import Path
import topicmap  # first, as every entry point does
from topicmap import pipeline
from topicmap.config import Settings
from topicmap.kernels import kernel_report

root = Path(sys.argv[1])
settings = Settings(project_root=Path(sys.argv[2]), cache_dir=root / "cache")
segmentation = pipeline.segment(settings)
representations = pipeline.prepare(segmentation, settings)
digest = lambda array: hashlib.sha256(array.tobytes()).hexdigest()[:16]
results = {name: pipeline.fit(name, representations, settings) for name in ("bertopic", "crosslingual")}
print(json.dumps({
    "embeddings": digest(representations.embeddings),
    **{name: digest(result.labels) for name, result in results.items()},
    "map": digest(pipeline.map_coordinates(results["crosslingual"], settings).round(12)),
    "kernels": kernel_report(),
}))
"""

#: (OPENBLAS_CORETYPE, NUMBA_CPU_NAME) as three CPU types would choose them.
CPU_TYPES = {"Haswell": ("Haswell", "haswell"), "SkylakeX": ("SkylakeX", "skylake-avx512"),
             "Zen": ("Zen", "znver3")}


def _analyse(tmp_path, name: str, extra: dict[str, str]) -> dict:
    """The analysis in a fresh process with empty embedding and step caches. numba's cache, empty at the
    first run, is shared: every run here compiles for the same pinned target, which is part of its key."""
    from conftest import PROJECT_ROOT

    folder = tmp_path / name
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("OPENBLAS", "NUMBA", "NPY_", "TOPICMAP_"))}
    environment.update({"NUMBA_CACHE_DIR": str(tmp_path / "numba"), **extra})
    done = subprocess.run([sys.executable, "-c", ANALYSIS, str(folder), str(PROJECT_ROOT)], env=environment,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.skipif(not pinned_kernels(), reason="kernels are pinned on x86-64 with AVX2 only")
def test_the_analysis_gives_identical_results_as_on_three_cpu_types_and_differs_unpinned(tmp_path):
    runs = {name: _analyse(tmp_path, name, {"OPENBLAS_CORETYPE": blas, "NUMBA_CPU_NAME": numba})
            for name, (blas, numba) in CPU_TYPES.items()}
    numbers = {name: {k: v for k, v in run.items() if k != "kernels"} for name, run in runs.items()}
    assert numbers["SkylakeX"] == numbers["Haswell"] == numbers["Zen"]
    assert all(run["kernels"]["pinned"] for run in runs.values())
    # Control: letting OpenBLAS take another CPU's kernels (numba compiling as pinned) changes the numbers.
    unpinned = _analyse(tmp_path, "unpinned", {"TOPICMAP_NATIVE_KERNELS": "1", "OPENBLAS_CORETYPE": "Sandybridge",
                                               "NUMBA_CPU_NAME": "haswell", "NUMBA_CPU_FEATURES": ""})
    assert unpinned["kernels"]["openblas"] == "Sandybridge" and not unpinned["kernels"]["pinned"]
    assert {k: v for k, v in unpinned.items() if k != "kernels"} != numbers["Haswell"]


def test_this_process_runs_the_pinned_kernels_when_the_cpu_allows():
    report = kernel_report()
    assert report["pinned"] == bool(pinned_kernels())
    if pinned_kernels():
        assert (report["openblas"], report["numpy_simd"], report["numba_cpu"]) == ("Haswell", "X86_V3", "haswell")


def test_variables_that_ask_for_other_kernels_are_overridden_before_numpy_loads():
    code = "import topicmap, numpy, json; from topicmap.kernels import kernel_report; print(json.dumps(kernel_report()))"
    environment = {**os.environ, "OPENBLAS_CORETYPE": "Sandybridge", "NUMBA_CPU_NAME": "generic",
                   "NPY_ENABLE_CPU_FEATURES": "X86_V2"}
    environment.pop("TOPICMAP_NATIVE_KERNELS", None)
    report = json.loads(subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True,
                                       text=True, check=True).stdout)
    assert report["pinned"] == bool(pinned_kernels())
