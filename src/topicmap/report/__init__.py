"""Last step of the chain: the written report, built from the results files when it is built.

Two steps: ``build`` runs the notebooks and exports ``notebooks/04_report.ipynb`` to HTML and PDF;
``sections`` renders each section of that notebook from the results. Everything is importable from
``topicmap.report`` (the report notebook calls ``report.show(report.summary_section(data))``).
"""

from .build import (NOTEBOOKS_FOLDER, PAGE_ONE, PDF_HELP, REPORT_NOTEBOOK, TEMPLATES, execute_notebook,  # noqa: F401
                    export_report, notebooks_folder, run_notebooks, write_page_one, write_pdf)
from .sections import *  # noqa: F401,F403
from .sections import (_percent, _plural, _points, _share)  # noqa: F401
