"""A warm `topicmap report` reuses the figures, executed notebooks and report it made, and never a stale one (issue 35).

Figures, executed notebooks, report.html and report.pdf are stored in the step cache as bytes, under a key of
what each reads. The fast tests check the keys and the store; the slow one builds the seeds' report cold, warm
and after a change of the study's title, and compares the bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
from pathlib import Path

import pytest

from topicmap.cache import cached_files
from topicmap.config import Settings
from topicmap.description import STUDY_TEXT_FIELDS, CorpusDescription, description_view

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SRC = PROJECT_ROOT / "src" / "topicmap"


def test_stored_files_are_written_again_byte_for_byte_without_producing_them(tmp_path):
    root, calls = tmp_path / "out", []
    root.mkdir()
    (root / ".marker").write_text("there before")

    def produce() -> list[Path]:
        calls.append(1)
        (root / "sub").mkdir(exist_ok=True)
        (root / "sub" / "a.png").write_bytes(b"\x89PNG a")
        (root / "b.svg").write_text("<svg/>")  # written but not returned: stored too
        return [root / "sub" / "a.png"]

    first = cached_files(tmp_path / "cache", "figures", "k1", produce, root)
    shutil.rmtree(root)
    root.mkdir()
    again = cached_files(tmp_path / "cache", "figures", "k1", produce, root)
    assert len(calls) == 1 and first == again == [root / "sub" / "a.png"]
    assert (root / "sub" / "a.png").read_bytes() == b"\x89PNG a" and (root / "b.svg").read_text() == "<svg/>"
    assert not (root / ".marker").exists()  # what was there before is not part of the output
    cached_files(tmp_path / "cache", "figures", "k2", produce, root)  # another key: produced again
    assert len(calls) == 2


def test_a_damaged_stored_output_is_produced_again(tmp_path):
    root = tmp_path / "out"
    root.mkdir()
    produce = lambda: [root / "a.txt"] if (root / "a.txt").write_text("fresh") else []  # noqa: E731
    cached_files(tmp_path / "cache", "report", "k", produce, root)
    (tmp_path / "cache" / "report" / "k.pkl").write_bytes(b"not a pickle")
    (root / "a.txt").unlink()
    assert cached_files(tmp_path / "cache", "report", "k", produce, root) == [root / "a.txt"]
    assert (root / "a.txt").read_text() == "fresh"


def _settings(tmp_path: Path, corpus: Path, staging: str) -> Settings:
    """Settings staged in ``staging`` folders, published to the same targets, as ``pipeline.run`` makes them."""
    targets = {role: tmp_path / role for role in ("results", "figures", "reports")}
    staged = {role: tmp_path / f"{staging}-{role}" for role in targets}
    for folder in (*targets.values(), *staged.values()):
        folder.mkdir(exist_ok=True)
    return Settings(project_root=PROJECT_ROOT, corpus_dir=corpus, cache_dir=tmp_path / "cache",
                    **{f"{role}_dir": folder for role, folder in staged.items()},
                    published_dirs=tuple((f"{role}_dir", folder) for role, folder in sorted(targets.items())))


def test_a_notebook_key_follows_what_it_reads_and_not_where_the_run_is_staged(tmp_path):
    from topicmap.report.build import REPORT_NOTEBOOK, notebook_inputs, notebook_key, notebooks_folder

    corpus = tmp_path / "corpus"
    shutil.copytree(PROJECT_ROOT / "seeds", corpus)
    one, two = _settings(tmp_path, corpus, "staging-1"), _settings(tmp_path, corpus, "staging-2")
    for settings in (one, two):
        (settings.results_path / "run.json").write_text("{}")
        (settings.figures_path / "a.png").write_bytes(b"png")
    folder = notebooks_folder(one)
    analysis, report = folder / "01_corpus.ipynb", folder / REPORT_NOTEBOOK

    def keys(settings: Settings) -> tuple[str, str]:
        inputs = notebook_inputs(settings)
        return notebook_key(analysis, settings, inputs), notebook_key(report, settings, inputs, report=True)

    before = keys(one)
    assert keys(two) == before  # staging folders differ from run to run; the outputs do not
    (one.results_path / "notebooks").mkdir()
    (one.results_path / "notebooks" / "01_corpus.ipynb").write_text("executed")  # no notebook reads these
    assert keys(one) == before

    toml = corpus / "corpus.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(re.sub(r'^title = ".*"$', 'title = "Another study"', text, count=1, flags=re.M), encoding="utf-8")
    titled = keys(one)
    assert titled[0] == before[0] and titled[1] != before[1]  # the title reruns the report alone
    toml.write_text(text.replace('source = "Simseo"', 'source = "Another outlet"'), encoding="utf-8")
    assert all(a != b for a, b in zip(keys(one), before))  # a covariate of an article: every notebook
    toml.write_text(text, encoding="utf-8")
    assert keys(one) == before

    (one.results_path / "run.json").write_text('{"seed": 1}')
    assert all(a != b for a, b in zip(keys(one), before))
    (one.results_path / "run.json").write_text("{}")
    (one.figures_path / "a.png").write_bytes(b"another png")
    assert all(a != b for a, b in zip(keys(one), before))
    (one.figures_path / "a.png").write_bytes(b"png")
    assert keys(one.replace(seed=7)) != before


def test_only_the_report_reads_the_study_title_question_and_limitations():
    """The keys of figures and analysis notebooks leave these fields out (``description_view``): that is sound
    only while no code but the report's title and limitations sections and its export reads them."""
    description = CorpusDescription(title="t", question="q", limitations=("l",), domain_stop_words=("w",),
                                    articles={"a": {"title": "An article"}})
    view = description_view(description)
    assert all(not getattr(view, name) for name in STUDY_TEXT_FIELDS)
    assert dataclasses.replace(description, title="", question="", limitations=()) == view
    assert description_view(description, report=True) == description
    allowed = {("report/sections.py", "title_section"), ("report/sections.py", "limitations_section"),
               ("report/build.py", "_export_report")}
    # `description.title`, `data.description.limitations`, `read_description(folder).title`, ...
    field = re.compile(r"description(\([^()]*\))?\.(%s)\b" % "|".join(STUDY_TEXT_FIELDS))
    readers = set()
    for path in sorted(SRC.rglob("*.py")):
        function = None
        for line in path.read_text(encoding="utf-8").splitlines():
            found = re.match(r"\s*def (\w+)", line)
            if found and not line.startswith(" " * 8):
                function = found[1]
            if field.search(line):
                readers.add((path.relative_to(SRC).as_posix(), function))
    assert readers == allowed, readers ^ allowed
    for notebook in sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb")):
        if notebook.name != "04_report.ipynb":
            text = notebook.read_text(encoding="utf-8")
            assert not re.search(r"title_section|limitations_section|load_report_data|description\.(title|question|limitations)", text), notebook.name


def _digests(folders: list[Path]) -> dict[str, str]:
    return {f"{folder.name}/{path.relative_to(folder)}": hashlib.sha256(path.read_bytes()).hexdigest()
            for folder in folders for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.slow
def test_a_warm_report_is_the_cold_one_and_a_new_title_is_never_served_stale(tmp_path, seed_outputs, caplog):
    """Cold, warm and title-changed `topicmap report` on a copy of the seeds (the fits come from the session's
    cache): the warm run writes the cold run's bytes without running a notebook; a new title remakes the report,
    which holds it, and nothing else."""
    import logging

    from topicmap import pipeline

    corpus = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", corpus)
    settings = Settings(project_root=PROJECT_ROOT, corpus_dir=corpus, cache_dir=seed_outputs.cache_path,
                        results_dir=tmp_path / "results", figures_dir=tmp_path / "figures",
                        reports_dir=tmp_path / "reports")
    folders = [settings.results_path, settings.figures_path, settings.reports_path]
    pipeline.build_report(settings)
    cold = _digests(folders)
    caplog.set_level(logging.INFO, logger="topicmap")
    caplog.clear()
    pipeline.build_report(settings)
    assert _digests(folders) == cold
    assert not [r for r in caplog.records if "executing" in r.getMessage() or "building the report" in r.getMessage()]

    toml = corpus / "corpus.toml"
    toml.write_text(re.sub(r'^title = "(.*)"$', r'title = "\1 (edited)"', toml.read_text(encoding="utf-8"),
                           count=1, flags=re.M), encoding="utf-8")
    caplog.clear()
    pipeline.build_report(settings)
    titled = _digests(folders)
    changed = {path for path in cold.keys() | titled.keys() if cold.get(path) != titled.get(path)}
    # the title is on page 1: the HTML, the PDF and page 1's picture (only the HTML without Pango)
    assert changed == {"reports/report.html", "reports/report.pdf", "reports/report-page-1.png"} or (
        changed == {"reports/report.html"})
    assert "(edited)" in (settings.reports_path / "report.html").read_text(encoding="utf-8")
    assert not [r for r in caplog.records if "executing" in r.getMessage()]  # the analysis notebooks: reused
