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
        path.parent.mkdir(parents=True, exist_ok=True)  # "2024/jan/x.txt": a file in subfolders
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


def render_pdf_without_system_fonts(html: Path, pdf: Path, folder: Path) -> Path | None:
    """``report.write_pdf`` in a fresh process whose fontconfig lists no font folder, as on a machine with
    no system font; None when WeasyPrint cannot run here (no Pango)."""
    import subprocess
    import sys

    config = folder / "no-fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
                      f"<fontconfig><cachedir>{folder / 'fontconfig-cache'}</cachedir></fontconfig>\n", encoding="utf-8")
    script = ("import sys; from pathlib import Path; from topicmap.report import write_pdf; "
              "sys.exit(0 if write_pdf(Path(sys.argv[1]), Path(sys.argv[2])) else 3)")
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    done = subprocess.run([sys.executable, "-c", script, str(html), str(pdf)], env=env, capture_output=True, text=True)
    if done.returncode == 3:
        return None
    assert done.returncode == 0, f"rendering {html.name} without system fonts failed ({done.returncode}): {done.stderr[-2000:]}"
    return pdf
