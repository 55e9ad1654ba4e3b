"""Shared fixtures: settings pointing at a temporary folder, and the real seeds segmented once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from topicmap.config import Settings  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SEEDS = PROJECT_ROOT / "seeds"


@pytest.fixture
def tmp_settings(tmp_path: Path) -> Settings:
    """Settings whose outputs, figures and cache all live under a fresh temporary folder."""
    return Settings(
        project_root=tmp_path,
        corpus_dir=SEEDS,
        results_dir=tmp_path / "results",
        figures_dir=tmp_path / "figures",
        reports_dir=tmp_path / "reports",
        cache_dir=tmp_path / "cache",
    )


@pytest.fixture(scope="session")
def seed_segmentation():
    """The real seeds, loaded and segmented once per test session."""
    from topicmap.corpus import load_corpus
    from topicmap.paragraphs import segment_corpus

    settings = Settings(project_root=PROJECT_ROOT)
    return segment_corpus(load_corpus(settings.corpus_path), settings)


def write_corpus(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Create a corpus folder from {file name: text or bytes}."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def seed_outputs(tmp_path_factory):
    """The full analysis of the seeds (results and figures), made once per test session in a temporary folder."""
    from topicmap import pipeline

    root = tmp_path_factory.mktemp("seed_outputs")
    settings = Settings(project_root=PROJECT_ROOT, results_dir=root / "results", figures_dir=root / "figures",
                        reports_dir=root / "reports", cache_dir=root / "cache")
    pipeline.make_all_figures(settings)
    return settings
