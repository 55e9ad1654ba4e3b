"""Outputs: topicmap deletes only what it wrote, and a run publishes all its outputs together or none.

The command-line cases are the ones a user met (issue 17): ``--out .`` in a folder of their own files,
``--out`` on the corpus, two outputs in one folder, a run killed while publishing, two runs at once.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_corpus
from topicmap.cli import main
from topicmap.outputs import (
    MARKER,
    OutputFolderError,
    Publication,
    check_output_folders,
    foreign_entries,
    write_text,
)

CORPUS = {"a.txt": "Energy\n\nChina's power grid supplies cheap electricity to the new data centers in the west.\n",
          "b.txt": "Chips\n\nExport controls on advanced chips push Chinese firms to design their own semiconductors.\n"}


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture
def no_work(monkeypatch):
    """Fail the test if any command starts working: the checks must come first."""
    from topicmap import pipeline

    monkeypatch.setattr(pipeline, "COMMANDS", {name: lambda *_: pytest.fail("work started")
                                               for name in pipeline.COMMANDS})


def _publish(outputs: dict[str, Path], files: dict[str, str]) -> None:
    with Publication(outputs) as publication:
        for role_and_name, text in files.items():
            role, name = role_and_name.split("/", 1)
            write_text(publication.folder(role) / name, text)
        publication.publish()


# --- whose folder it is ---------------------------------------------------------------------------


def test_out_dot_in_a_folder_of_the_users_files_exits_2_and_deletes_nothing(tmp_path, monkeypatch, capsys, no_work):
    (tmp_path / "thesis.docx").write_text("my thesis")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "notes.txt").write_text("notes")
    corpus = write_corpus(tmp_path.parent / f"{tmp_path.name}-corpus", CORPUS)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TOPICMAP_CACHE_DIR", str(tmp_path.parent / f"{tmp_path.name}-cache"))
    assert main(["segment", "--corpus", str(corpus), "--out", "."]) == 2
    assert "thesis.docx" in _one_line(capsys.readouterr().err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub", "thesis.docx"]
    assert (tmp_path / "sub" / "notes.txt").read_text() == "notes"


def test_out_on_the_corpus_exits_2_and_the_corpus_stays(tmp_path, capsys, no_work):
    corpus = write_corpus(tmp_path / "corpus", {**CORPUS, "corpus.toml": "[study]\ntitle = \"x\"\n"})
    assert main(["segment", "--corpus", str(corpus), "--out", str(corpus)]) == 2
    assert "corpus" in _one_line(capsys.readouterr().err)
    assert sorted(p.name for p in corpus.iterdir()) == ["a.txt", "b.txt", "corpus.toml"]


def test_results_and_figures_in_one_folder_exit_2(tmp_path, capsys, no_work):
    corpus = write_corpus(tmp_path / "corpus", CORPUS)
    both = tmp_path / "X"
    assert main(["figures", "--corpus", str(corpus), "--out", str(both), "--figures", str(both)]) == 2
    assert str(both) in _one_line(capsys.readouterr().err)


@pytest.mark.parametrize("where", ["inside the corpus", "holding the cache", "inside the cache"])
def test_an_output_overlapping_the_corpus_or_the_cache_is_refused(tmp_path, where):
    corpus, cache = tmp_path / "corpus", tmp_path / "out" / "cache"
    corpus.mkdir()
    out = {"inside the corpus": corpus / "results", "holding the cache": tmp_path / "out",
           "inside the cache": cache / "results"}[where]
    with pytest.raises(OutputFolderError, match="folder"):
        check_output_folders({"results": out}, {"corpus": corpus, "cache": cache})


def test_a_folder_topicmap_wrote_can_be_written_again(tmp_path):
    results = tmp_path / "results"
    _publish({"results": results}, {"results/a.csv": "one"})
    check_output_folders({"results": results}, {})
    _publish({"results": results}, {"results/b.csv": "two"})
    assert sorted(p.name for p in results.iterdir()) == [MARKER, "b.csv"]


def test_a_file_the_user_added_to_an_output_folder_stops_the_next_run_naming_it(tmp_path):
    figures = tmp_path / "figures"
    _publish({"figures": figures}, {"figures/map.png": "png", "figures/interactive/map.html": "html"})
    (figures / "my_edit.png").write_text("mine")
    (figures / "drafts").mkdir()
    assert foreign_entries(figures) == ["my_edit.png", "drafts/"]
    with pytest.raises(OutputFolderError, match="my_edit.png"):
        check_output_folders({"figures": figures}, {})


def test_an_empty_or_new_folder_is_a_valid_output(tmp_path):
    (tmp_path / "empty").mkdir()
    check_output_folders({"results": tmp_path / "empty", "figures": tmp_path / "new" / "figures"}, {})


def test_the_committed_output_folders_are_marked_as_topicmaps():
    root = Path(__file__).resolve().parents[1]
    for folder in ("figures", "reports"):
        assert foreign_entries(root / folder) == [], f"{folder}/ holds files its marker does not list"


# --- one run's outputs, published together --------------------------------------------------------


def test_a_run_that_fails_before_publishing_leaves_the_previous_outputs_whole(tmp_path):
    outputs = {"results": tmp_path / "results", "figures": tmp_path / "figures"}
    _publish(outputs, {"results/run.json": "seed 42", "figures/map.png": "seed 42"})
    with pytest.raises(KeyboardInterrupt):
        with Publication(outputs) as publication:
            write_text(publication.folder("results") / "run.json", "seed 7")
            raise KeyboardInterrupt
    assert (tmp_path / "results" / "run.json").read_text() == "seed 42"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures", "results"]


def test_a_run_publishes_no_file_of_an_earlier_run(tmp_path):
    results = tmp_path / "results"
    _publish({"results": results}, {"results/assignments_nmf.csv": "old"})
    _publish({"results": results}, {"results/assignments_crosslingual.csv": "new"})
    assert sorted(p.name for p in results.iterdir()) == [MARKER, "assignments_crosslingual.csv"]


KILLED_WHILE_PUBLISHING = """
import os, sys
from pathlib import Path
from topicmap import outputs
root = Path(sys.argv[1])
real_replace, swaps = os.replace, []
def replace_then_die(source, target):
    real_replace(source, target)
    if Path(source).name.startswith(".results.new-"):
        os._exit(9)  # killed right after the results were swapped in, before the figures
outputs.os.replace = replace_then_die
with outputs.Publication({"results": root / "results", "figures": root / "figures"}) as publication:
    outputs.write_text(publication.folder("results") / "run.json", "seed 7")
    outputs.write_text(publication.folder("figures") / "map.png", "seed 7")
    publication.publish()
"""


def test_a_run_killed_while_publishing_is_finished_by_the_next_run(tmp_path):
    outputs = {"results": tmp_path / "results", "figures": tmp_path / "figures"}
    _publish(outputs, {"results/run.json": "seed 42", "figures/map.png": "seed 42"})
    killed = subprocess.run([sys.executable, "-c", KILLED_WHILE_PUBLISHING, str(tmp_path)])
    assert killed.returncode == 9
    assert (tmp_path / "results" / "run.json").read_text() == "seed 7"  # half published
    with Publication(outputs):  # the next run, on the same outputs, finishes the journal first
        assert (tmp_path / "figures" / "map.png").read_text() == "seed 7"
    leftovers = [p.name for p in tmp_path.iterdir() if ".new-" in p.name or ".old-" in p.name or "journal" in p.name]
    assert leftovers == []


def test_the_staging_folder_of_a_killed_run_is_removed_by_the_next_run(tmp_path):
    results = tmp_path / "results"
    killed = subprocess.run([sys.executable, "-c", (
        "import os, sys; from pathlib import Path; from topicmap import outputs\n"
        "with outputs.Publication({'results': Path(sys.argv[1])}) as publication:\n"
        "    outputs.write_text(publication.folder('results') / 'x.csv', 'x'); os._exit(9)\n"), str(results)])
    assert killed.returncode == 9 and any(".results.new-" in p.name for p in tmp_path.iterdir())
    _publish({"results": results}, {"results/y.csv": "y"})
    assert not any(".results.new-" in p.name for p in tmp_path.iterdir())


def test_staging_folders_of_other_tools_are_never_removed(tmp_path):
    lookalike = tmp_path / ".results.new-mine"
    lookalike.mkdir()
    (lookalike / "data.txt").write_text("not topicmap's")
    _publish({"results": tmp_path / "results"}, {"results/y.csv": "y"})
    assert (lookalike / "data.txt").read_text() == "not topicmap's"


def test_an_output_named_like_a_pattern_leaves_another_runs_staging_folder_alone(tmp_path, monkeypatch):
    """``--out 'f[2]'`` once matched, as a glob pattern, the staging folder ``.f2.new-*`` of a run writing ``f2``."""
    corpus = write_corpus(tmp_path / "corpus", CORPUS)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TOPICMAP_CACHE_DIR", str(tmp_path / "cache"))
    with Publication({"figures": tmp_path / "f2"}) as first:  # a first run, still going
        write_text(first.folder("figures") / "map.png", "first run")
        assert main(["segment", "--corpus", str(corpus), "--out", "f[2]"]) == 0
        assert (first.folder("figures") / "map.png").read_text() == "first run"
        first.publish()
    assert (tmp_path / "f2" / "map.png").read_text() == "first run"
    assert (tmp_path / "f[2]" / "paragraphs.csv").is_file()


def test_folders_named_like_topicmaps_staging_folders_are_never_removed(tmp_path, monkeypatch):
    """A finished output called ``.results.new-mine``, and an empty ``.results.old-x``, were removed by a run
    writing ``results``: only the names a run records as its own may be cleaned."""
    corpus = write_corpus(tmp_path / "corpus", CORPUS)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TOPICMAP_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["segment", "--corpus", str(corpus), "--out", ".results.new-mine"]) == 0
    (tmp_path / ".results.old-x").mkdir()
    assert main(["segment", "--corpus", str(corpus), "--out", "results"]) == 0
    assert (tmp_path / ".results.new-mine" / "paragraphs.csv").is_file()
    assert (tmp_path / ".results.old-x").is_dir()


def test_a_run_leaves_no_lock_file_in_the_users_folder(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus", CORPUS)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("TOPICMAP_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["segment", "--corpus", str(corpus), "--out", "results"]) == 0
    assert sorted(p.name for p in work.iterdir()) == ["results"]
    _publish({"results": work / "results", "figures": work / "figures"}, {"figures/map.png": "png"})
    assert sorted(p.name for p in work.iterdir()) == ["figures", "results"]


def test_a_run_that_took_the_lock_file_a_finished_run_removed_takes_a_new_one(tmp_path, monkeypatch):
    """The lock file is removed at the end of a run; a run that opened it just before must not hold a lock on
    the removed file while a third run takes the new one (two runs would then write one output)."""
    import fcntl

    from topicmap import outputs

    results = tmp_path / "results"
    first = Publication({"results": results}).__enter__()
    real_flock = fcntl.flock

    def flock_once_the_first_run_finished(descriptor, operation):
        if first._locks:
            first.__exit__(None, None, None)  # the first run ends between our open() and our flock()
        return real_flock(descriptor, operation)

    monkeypatch.setattr(outputs.fcntl, "flock", flock_once_the_first_run_finished)
    with Publication({"results": results}):
        monkeypatch.setattr(outputs.fcntl, "flock", real_flock)
        with pytest.raises(OutputFolderError, match="another topicmap run"):
            Publication({"results": results}).__enter__()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_output_and_corpus_folders_whose_names_are_not_utf8_are_written(tmp_path, monkeypatch, capsys):
    """``--out $'r\\xe9s'`` failed writing the journal, a corpus folder ``$'corp\\xe9'`` writing run.json."""
    import os

    from topicmap.analysis import load_analysis
    from topicmap.config import Settings

    work = tmp_path / "work"
    corpus = write_corpus(work / os.fsdecode(b"corp\xe9"), CORPUS)
    out = work / os.fsdecode(b"r\xe9s")
    monkeypatch.setenv("TOPICMAP_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["topics", "--method", "nmf", "--topics", "2", "--corpus", str(corpus), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "wrote" in captured.out
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["corpus"] == str(corpus)  # the folder's own bytes, read back
    analysis = load_analysis(Settings(project_root=work, corpus_dir=corpus, results_dir=out,
                                      cache_dir=tmp_path / "cache"))
    assert analysis.settings.corpus_path == corpus
    assert sorted(p.name for p in work.iterdir()) == sorted(p.name for p in (corpus, out))  # no leftover


def test_a_second_run_on_the_same_outputs_stops_with_one_line(tmp_path, capsys):
    corpus = write_corpus(tmp_path / "corpus", CORPUS)
    results = tmp_path / "results"
    with Publication({"results": results}):  # a first run, still going
        assert main(["segment", "--corpus", str(corpus), "--out", str(results)]) == 2
    assert "another topicmap run" in _one_line(capsys.readouterr().err)


def test_a_failing_report_step_publishes_nothing(tmp_path, monkeypatch, capsys):
    from topicmap import pipeline
    from topicmap.errors import RunError

    corpus = write_corpus(tmp_path / "corpus", CORPUS)
    outputs = {"results": tmp_path / "results", "figures": tmp_path / "figures"}
    _publish(outputs, {"results/run.json": "earlier", "figures/map.png": "earlier"})

    def fails_half_way(settings, method):
        write_text(settings.results_path / "run.json", "new")
        raise RunError("notebook 02_tfidf.ipynb failed at cell 3 (ValueError: boom)")

    monkeypatch.setattr(pipeline, "COMMANDS", {**pipeline.COMMANDS, "figures": fails_half_way})
    assert main(["figures", "--corpus", str(corpus), "--out", str(outputs["results"]),
                 "--figures", str(outputs["figures"])]) == 1
    assert "02_tfidf" in _one_line(capsys.readouterr().err)
    assert (outputs["results"] / "run.json").read_text() == "earlier"


def test_published_paths_are_the_final_ones_not_the_staging_ones(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", CORPUS)
    from topicmap import pipeline
    from topicmap.config import Settings

    settings = Settings(project_root=tmp_path, corpus_dir=corpus, results_dir=tmp_path / "results",
                        cache_dir=tmp_path / "cache")
    _, paths = pipeline.run("segment", settings)
    assert [p.name for p in paths] == ["paragraphs.csv", "headings.csv", "dropped.csv"]
    assert all(p.parent == tmp_path / "results" and p.is_file() for p in paths)
    assert json.loads((tmp_path / "results" / MARKER).read_text())["files"] == sorted(p.name for p in paths)
