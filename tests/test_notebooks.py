"""Every notebook runs top to bottom from a fresh kernel, and is committed without outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import render_pdf_without_system_fonts

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(notebook: Path):
    cells = nbformat.read(notebook, as_version=4).cells
    code = [c for c in cells if c.cell_type == "code"]
    assert code, f"{notebook.name} has no code cell"
    assert all(not c.outputs and c.execution_count is None for c in code)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_every_cell_of_a_committed_notebook_has_a_fixed_id_so_executed_copies_are_the_same_on_every_run(notebook: Path):
    import json

    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]  # raw: nbformat would invent missing ids
    ids = [cell.get("id") for cell in cells]
    assert all(ids) and len(set(ids)) == len(ids), f"{notebook.name}: cells without a fixed, unique id"


#: Each notebook executed once per test session (name -> executed notebook), for the tests that read its outputs.
EXECUTED: dict[str, nbformat.NotebookNode] = {}


def executed(notebook: Path, tmp_path: Path, monkeypatch, seed_outputs) -> nbformat.NotebookNode:
    """The notebook run top to bottom on the session's full analysis of the seeds (its results and figures, in a
    temporary folder, so the test never rewrites committed files)."""
    if notebook.name not in EXECUTED:
        monkeypatch.setenv("TOPICMAP_OUTPUT_ROOT", str(tmp_path))
        monkeypatch.setenv("TOPICMAP_RESULTS_DIR", str(seed_outputs.results_path))
        monkeypatch.setenv("TOPICMAP_FIGURES_DIR", str(seed_outputs.figures_path))
        nb = nbformat.read(notebook, as_version=4)
        NotebookClient(nb, timeout=900, kernel_name="python3",
                       resources={"metadata": {"path": str(notebook.parent)}}).execute()
        EXECUTED[notebook.name] = nb
    return EXECUTED[notebook.name]


def printed(nb: nbformat.NotebookNode) -> str:
    """Everything a notebook's code cells showed as text."""
    return "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
                     for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom(notebook: Path, tmp_path: Path, monkeypatch, seed_outputs):
    nb = executed(notebook, tmp_path, monkeypatch, seed_outputs)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors


@pytest.mark.slow
def test_a_number_the_notebooks_and_the_report_both_show_is_the_one_in_results_under_one_name(
        tmp_path: Path, monkeypatch, seed_outputs):
    import re

    from topicmap import report
    from topicmap.metrics.evaluation import MEASURE_NAMES

    data = report.load_report_data(seed_outputs)
    summary, comparison = report.summary_section(data), report.comparison_section(data)
    crosslingual = printed(executed(ROOT / "notebooks" / "03_crosslingual.ipynb", tmp_path, monkeypatch, seed_outputs))
    tfidf = printed(executed(ROOT / "notebooks" / "02_tfidf.ipynb", tmp_path, monkeypatch, seed_outputs))
    ari = report.number(data.primary_measures["stability_ari"])
    assert f"adjusted Rand index of {ari}" in summary
    assert re.findall(rf"{MEASURE_NAMES['stability_ari']} (-?[0-9.]+)", crosslingual) and \
        set(re.findall(rf"{MEASURE_NAMES['stability_ari']} (-?[0-9.]+)", crosslingual)) == {ari}
    npmi = report.number(data.metrics["models"]["nmf"]["npmi_by_language"])
    assert f"{MEASURE_NAMES['npmi_by_language']} {npmi}" in tfidf and ">" + npmi + "<" in comparison
    assert "-0.00" not in summary + comparison + crosslingual + tfidf


@pytest.mark.slow
def test_the_committed_figures_are_what_the_analysis_draws_today(seed_outputs):
    drawn = {p.relative_to(seed_outputs.figures_path): p.read_bytes()
             for p in seed_outputs.figures_path.rglob("*") if p.is_file()}
    committed = {p.relative_to(ROOT / "figures"): p.read_bytes() for p in (ROOT / "figures").rglob("*") if p.is_file()}
    assert sorted(committed) == sorted(drawn), "figures/ holds other files than the analysis draws: run make report"
    stale = [str(name) for name in drawn if drawn[name] != committed[name]]
    assert not stale, f"committed figures differ from what the analysis draws now: {stale}; run make report"


def test_the_committed_pdf_is_what_the_committed_html_renders_on_a_machine_without_system_fonts(tmp_path):
    # The HTML carries its fonts (report/fonts.py): the PDF is the same whatever fonts the system has, so a
    # fresh clone on a bare machine writes the committed bytes (issue 32: 18 pages there, 15 here, before).
    pytest.importorskip("weasyprint")
    pdf = render_pdf_without_system_fonts(ROOT / "reports" / "report.html", tmp_path / "report.pdf", tmp_path)
    if pdf is None:
        pytest.skip("Pango is missing: no PDF")
    assert pdf.read_bytes() == (ROOT / "reports" / "report.pdf").read_bytes(), (
        "reports/report.pdf is not what reports/report.html renders: run make report")


def test_the_committed_picture_of_page_one_is_what_the_committed_pdf_renders(tmp_path):
    # The README shows page 1 of the seeds' report; it once showed a page 1 from weeks before, with 7 themes
    # and other names. `topicmap report` now draws it from the PDF each time (report.write_page_one).
    from PIL import Image

    from topicmap.report import PAGE_ONE, write_page_one

    picture = write_page_one(ROOT / "reports" / "report.pdf", tmp_path / PAGE_ONE)
    assert picture.read_bytes() == (ROOT / "reports" / PAGE_ONE).read_bytes(), (
        f"reports/{PAGE_ONE} is not page 1 of reports/report.pdf: run make report")
    width, height = Image.open(picture).size
    assert width == 1000 and 1.40 < height / width < 1.42  # an A4 page
    assert f"]({'reports/' + PAGE_ONE})" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_crosslingual_notebook_runs_on_themes_merged_by_hand_into_one(tmp_path: Path, monkeypatch):
    # a merged theme has no consensus, and one theme no other number of themes to compare: both once stopped it
    import shutil

    from topicmap import pipeline
    from topicmap.config import Settings

    corpus = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", corpus)
    with open(corpus / "corpus.toml", "a", encoding="utf-8") as toml:
        toml.write('\n[themes]\nmerge = [[0, 1, 2]]\n')
    settings = Settings(project_root=tmp_path, corpus_dir=corpus, results_dir=tmp_path / "results", topics=3,
                        figures_dir=tmp_path / "figures", reports_dir=tmp_path / "reports", cache_dir=tmp_path / "cache")
    pipeline.make_all_figures(settings)
    monkeypatch.setenv("TOPICMAP_OUTPUT_ROOT", str(tmp_path))
    monkeypatch.setenv("TOPICMAP_RESULTS_DIR", str(settings.results_path))
    monkeypatch.setenv("TOPICMAP_FIGURES_DIR", str(settings.figures_path))
    monkeypatch.setenv("TOPICMAP_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("TOPICMAP_TOPICS", "3")
    nb = nbformat.read(ROOT / "notebooks" / "03_crosslingual.ipynb", as_version=4)
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    shown = printed(nb)
    assert "3 themes, 1 once merged as corpus.toml's [themes] asks" in shown
    assert "One theme: no number of themes was refitted around it." in shown
