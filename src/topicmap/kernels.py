"""The same numbers on every CPU: pin the kernels that OpenBLAS, numpy and numba would pick per CPU type.

OpenBLAS, numpy's SIMD loops and numba each choose their machine code by the CPU they find (AVX-512
on one machine, AVX2 on another), and those kernels round differently in the last bits. Most steps do
not care, but UMAP's layout and what is clustered from it amplify a last-bit difference into other
topics: the committed results then hold only on CPUs like the one that made them. So before numpy or
numba is loaded, topicmap asks all three for one instruction set that every x86-64 machine since 2013
has (x86-64-v3: AVX2 and FMA, the kernels OpenBLAS calls "Haswell"):

* ``OPENBLAS_CORETYPE=Haswell`` (OpenBLAS, for numpy and scipy alike);
* ``NPY_ENABLE_CPU_FEATURES=X86_V3`` (numpy's own SIMD loops dispatch no further);
* ``NUMBA_CPU_NAME=haswell`` with ``NUMBA_CPU_FEATURES`` empty (numba compiles for that CPU and its
  features alone: with the name only, numba would still add the host's own features, AVX-512 included).

On x86-64 without AVX2, and on other architectures (arm64), nothing can be pinned to the same kernels:
the libraries choose, and results may differ from the committed ones in the last bits (``kernel_report``
says so). ``TOPICMAP_NATIVE_KERNELS=1`` leaves the choice to the libraries (faster on AVX-512 machines).

``pin_cpu_kernels`` runs when ``topicmap`` is imported; it must come before numpy, so a notebook or a
script imports topicmap first. ``kernel_report`` tells what was actually loaded.
"""

from __future__ import annotations

import os
import platform
import sys

#: What is pinned on x86-64 with AVX2 (x86-64-v3).
X86_V3_KERNELS = {
    "OPENBLAS_CORETYPE": "Haswell",
    "NPY_ENABLE_CPU_FEATURES": "X86_V3",
    "NUMBA_CPU_NAME": "haswell",
    "NUMBA_CPU_FEATURES": "",
}
#: The CPU features x86-64-v3 needs (names as LLVM reports them).
X86_V3_FEATURES = ("avx", "avx2", "bmi", "bmi2", "f16c", "fma", "lzcnt", "movbe")
#: Set to 1 to let OpenBLAS, numpy and numba choose their kernels for this CPU.
NATIVE_VARIABLE = "TOPICMAP_NATIVE_KERNELS"


def supports_x86_v3() -> bool:
    """Whether this CPU is x86-64 with the features of x86-64-v3 (read through llvmlite, before numpy)."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return False
    try:
        import llvmlite.binding as llvm

        features = llvm.get_host_cpu_features()
    except Exception:  # llvmlite missing or unable to read the CPU: do not guess
        return False
    return all(features.get(name, False) for name in X86_V3_FEATURES)


def pinned_kernels() -> dict[str, str]:
    """The environment variables that pin the kernels on this machine ({} where none can be pinned)."""
    if os.environ.get(NATIVE_VARIABLE, "") not in ("", "0"):
        return {}
    return dict(X86_V3_KERNELS) if supports_x86_v3() else {}


def pin_cpu_kernels() -> dict[str, str]:
    """Set the pinning variables in this process (and so in every process it starts); return them.

    They override values already set: a user's (or a test's) ``OPENBLAS_CORETYPE=SkylakeX`` is what an
    AVX-512 machine would pick by itself, and is exactly what must not decide the results.
    """
    variables = pinned_kernels()
    os.environ.update(variables)
    return variables


def kernel_report() -> dict[str, object]:
    """What this process runs with: the kernels OpenBLAS and numpy loaded, numba's target, and whether pinned.

    ``pinned`` is False when the machine cannot be pinned, or when numpy was loaded before topicmap (its
    kernels were then chosen before the variables were set).
    """
    import numpy as np
    from threadpoolctl import threadpool_info

    wanted = pinned_kernels()
    blas = sorted({str(info.get("architecture")) for info in threadpool_info() if info.get("internal_api") == "openblas"})
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as features
        numpy_level = max((name for name, on in features.items() if on and name.startswith("X86_V")), default="")
    except ImportError:  # numpy without that private table: say nothing rather than guess
        numpy_level = ""
    report = {"machine": platform.machine(), "openblas": ",".join(blas), "numpy_simd": numpy_level,
              "numba_cpu": os.environ.get("NUMBA_CPU_NAME", "host"), "numpy": np.__version__}
    report["pinned"] = bool(wanted) and all(arch == wanted["OPENBLAS_CORETYPE"] for arch in blas) and \
        numpy_level in ("", wanted["NPY_ENABLE_CPU_FEATURES"])
    return report


def numpy_loaded_first() -> bool:
    """True when numpy was imported before topicmap could pin its kernels."""
    return "numpy" in sys.modules
