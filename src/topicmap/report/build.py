"""The report, step 1 of 2: run the notebooks and export the report notebook to HTML and PDF.

``export_report`` executes ``notebooks/04_report.ipynb`` headlessly in a fresh kernel whose settings are
the run's, and exports it without code cells to one self-contained HTML file (figures and fonts embedded,
no external script), then to PDF with WeasyPrint, and page 1 of the PDF to a PNG. ``run_notebooks``
executes the analysis notebooks the same way and keeps the executed copies in the results folder.
"""

from __future__ import annotations

import logging
import os
import time
import warnings
from pathlib import Path

from ..config import Settings, settings_environment
from ..errors import RunError
from ..outputs import atomic_path, write_text
from .fonts import embed_fonts

log = logging.getLogger(__name__)

NOTEBOOKS_FOLDER = "notebooks"
REPORT_NOTEBOOK = "04_report.ipynb"
#: Page 1 of the PDF report as a picture, beside it in the reports folder, and its width in pixels.
PAGE_ONE = "report-page-1.png"
PAGE_ONE_WIDTH = 1000
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
PDF_HELP = ("PDF skipped: WeasyPrint needs the Pango library. Install it with "
            "`apt-get install libpango-1.0-0 libpangoft2-1.0-0` (Debian/Ubuntu) and rerun `make report`; "
            "the HTML report was written.")


def _notebooks(settings: Settings) -> list[Path]:
    return sorted(notebooks_folder(settings).glob("*.ipynb"))


def notebooks_folder(settings: Settings) -> Path:
    """The project's notebooks: under the project root, or beside the package's sources (run from elsewhere)."""
    for root in (settings.project_root, Path(__file__).resolve().parents[3]):
        if (root / NOTEBOOKS_FOLDER / REPORT_NOTEBOOK).is_file():
            return root / NOTEBOOKS_FOLDER
    raise FileNotFoundError(f"the report notebook {NOTEBOOKS_FOLDER}/{REPORT_NOTEBOOK} was not found under "
                            f"{settings.project_root}; run topicmap from the project folder")


def execute_notebook(path: Path, settings: Settings, timeout: int = 1800) -> "nbformat.NotebookNode":  # noqa: F821
    """Run a notebook top to bottom in a fresh kernel whose ``project_settings()`` equal ``settings``."""
    # imported here, not at the top: the report notebook imports this package in its kernel, and nbformat
    # alone (its JSON schema's grammar) took 1.7 s of that kernel's start; a warm run executes no notebook
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from tqdm.auto import tqdm

    notebook = nbformat.read(path, as_version=4)
    previous = {key: os.environ.get(key) for key in settings_environment(settings)}
    os.environ.update(settings_environment(settings))
    try:
        # The kernel's own log only at ERROR: its "running over TCP without encryption" warning is about a
        # kernel on the loopback of this machine, for this run only, and says nothing to a reader.
        code_cells = sum(cell.cell_type == "code" and bool(cell.source.strip()) for cell in notebook.cells)
        with tqdm(total=code_cells, desc=path.stem, unit="cell", disable=None) as progress:
            try:
                NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                               extra_arguments=["--IPKernelApp.log_level=ERROR"],
                               resources={"metadata": {"path": str(path.parent)}},
                               on_cell_executed=lambda **_: progress.update()).execute()
            except CellExecutionError as error:
                failed = next((number for number, cell in enumerate(
                    (c for c in notebook.cells if c.cell_type == "code"), start=1)
                    if any(output.get("output_type") == "error" for output in cell.get("outputs", []))), "?")
                raise RunError(f"notebook {path.name} failed in code cell {failed} ({error.ename}: "
                               f"{error.evalue.splitlines()[0] if error.evalue else ''})") from None
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return notebook


#: the subfolder of the results folder that holds the executed notebooks (no notebook reads it)
EXECUTED_FOLDER = "notebooks"


def notebook_key(path: Path, settings: Settings, inputs: str, report: bool = False) -> str:
    """The cache key of an executed notebook: its source, what it reads (``inputs``: the digest of the results
    and figures folders; the corpus description, all of it for the ``report`` notebook, else without the study's
    title, question and limitations, which no analysis notebook shows), the settings, the versions of what
    renders it, and the package's code (``key_of``)."""
    from ..cache import file_digest, key_of, output_environment
    from ..config import settings_key
    from ..description import description_view, read_description

    return key_of("notebook", path.name, file_digest(path), inputs, settings_key(settings),
                  description_view(read_description(settings.corpus_path), report), output_environment())


def notebook_inputs(settings: Settings) -> str:
    """Digest of what a notebook of the run reads: the (staged) results, but the executed notebooks, and figures."""
    from ..cache import folder_digest

    return f"{folder_digest(settings.results_path, skip=(EXECUTED_FOLDER,))} {folder_digest(settings.figures_path)}"


def run_notebooks(settings: Settings) -> list[Path]:
    """Execute every analysis notebook headlessly on the current corpus; keep executed copies in results/.

    An executed notebook is stored in the step cache under ``notebook_key``: when nothing it reads changed, a
    warm run writes the stored copy, byte for byte the one a run would make, without starting a kernel."""
    from ..cache import cached_files

    written = []
    inputs = notebook_inputs(settings)
    for path in _notebooks(settings):
        if path.name == REPORT_NOTEBOOK:
            continue
        target = settings.results_path / EXECUTED_FOLDER / path.name

        def execute(path: Path = path, target: Path = target) -> list[Path]:
            import nbformat

            started = time.perf_counter()
            log.info("executing %s ...", path.name)
            notebook = execute_notebook(path, settings)
            with atomic_path(target) as tmp:
                nbformat.write(notebook, tmp)
            log.info("executed %s in %.0f s", path.name, time.perf_counter() - started)
            return [target]

        written += cached_files(settings.cache_path / "steps", "notebook", notebook_key(path, settings, inputs),
                                execute, settings.results_path)
    return written


def export_report(settings: Settings) -> list[Path]:
    """Execute the report notebook and write reports/report.html and (with Pango) reports/report.pdf.

    Both are stored in the step cache under the report notebook's ``notebook_key`` (which holds the whole
    corpus description, so the title too): a warm run with nothing changed writes the stored bytes."""
    from ..cache import cached_files

    key = notebook_key(notebooks_folder(settings) / REPORT_NOTEBOOK, settings, notebook_inputs(settings), report=True)
    return cached_files(settings.cache_path / "steps", "report", key, lambda: _export_report(settings),
                        settings.reports_path)


def _export_report(settings: Settings) -> list[Path]:
    from nbconvert import HTMLExporter

    log.info("building the report from %s ...", REPORT_NOTEBOOK)
    notebook = execute_notebook(notebooks_folder(settings) / REPORT_NOTEBOOK, settings)
    from ..description import read_description

    title = read_description(settings.corpus_path).title or "Topic report"
    exporter = HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="report_html",
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    html_path = write_text(settings.reports_path / "report.html", embed_fonts(body, cache=settings.cache_path / "steps"))
    written = [html_path]
    pdf = write_pdf(html_path, settings.reports_path / "report.pdf")
    if pdf is not None:
        written += [pdf, write_page_one(pdf, settings.reports_path / PAGE_ONE)]
    return written


def write_page_one(pdf_path: Path, png_path: Path, width: int = PAGE_ONE_WIDTH) -> Path:
    """Page 1 of the PDF report as a PNG ``width`` pixels wide (pdfium, through pypdfium2): the answer, to show
    where a PDF is not (a README, a slide). The PDF embeds its fonts, so the picture depends on no system font."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        page = document[0]
        image = page.render(scale=width / page.get_width()).to_pil()
    finally:
        document.close()
    with atomic_path(png_path) as tmp:
        image.save(tmp, format="PNG")
    return png_path


def write_pdf(html_path: Path, pdf_path: Path) -> Path | None:
    """Render the HTML report to PDF with WeasyPrint; None (and a message) if Pango is missing."""
    try:
        with warnings.catch_warnings():
            # Said at import when fontconfig lists no font; the report brings its own (report/fonts.py).
            warnings.filterwarnings("ignore", message="No fonts configured in FontConfig")
            import weasyprint
    except (ImportError, OSError):
        log.warning(PDF_HELP)
        return None
    # WeasyPrint warns about every browser-only CSS rule of JupyterLab's stylesheet; none matters on paper.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    log.info("rendering %s ...", pdf_path.name)
    # fontTools stamps each embedded font subset with the time unless SOURCE_DATE_EPOCH is set: without
    # it, two renderings of the same HTML differ byte for byte. A value the caller set is kept.
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = previous or "0"
    try:
        with atomic_path(pdf_path) as tmp:
            weasyprint.HTML(filename=str(html_path)).write_pdf(tmp)
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
    return pdf_path
