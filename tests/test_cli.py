"""The command line: every command listed and documented, user errors as one line, outputs written."""

from __future__ import annotations

import argparse
import json

import pandas as pd
import pytest

from conftest import write_corpus
from topicmap.cli import build_parser, main
from topicmap.outputs import atomic_path

SMALL_CORPUS = {
    "a_energy.txt": "Energy for AI\n\n"
                    "China's power grid supplies cheap electricity to the new data centers in the west.\n\n"
                    "Solar and nuclear plants give the data centers a stable power supply for training.\n\n"
                    "Electricity prices decide where the computing clusters are built.\n",
    "b_chips.txt": "Chips\n\n"
                   "Export controls on advanced chips push Chinese firms to design their own semiconductors.\n\n"
                   "The sanctions on chip tools slowed the production of the most advanced processors.\n\n"
                   "Domestic foundries expand their production of chips for artificial intelligence.\n",
    "c_energie.txt": "L'énergie de l'IA\n\n"
                     "Le réseau électrique chinois fournit une électricité bon marché aux centres de données.\n\n"
                     "Les centrales solaires et nucléaires assurent une alimentation stable pour l'entraînement.\n\n"
                     "Le prix de l'électricité décide où sont construits les centres de calcul.\n",
}


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("segment", "topics", "evaluate", "figures", "report"):
        assert command in out


def test_every_option_of_every_command_has_help_text():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            assert action.help, f"topicmap {name} {action.option_strings} has no help text"


def test_a_missing_corpus_folder_exits_2_with_one_line_naming_it(tmp_path, capsys):
    missing = tmp_path / "no_such_folder"
    assert main(["segment", "--corpus", str(missing), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(missing) in err and "Traceback" not in err


def test_a_folder_without_text_files_exits_2_naming_it(tmp_path, capsys):
    folder = write_corpus(tmp_path / "corpus", {"image.png": b"\x89PNG\x00\x00"})
    assert main(["segment", "--corpus", str(folder), "--out", str(tmp_path / "out")]) == 2
    assert str(folder) in capsys.readouterr().err


def test_segment_writes_paragraphs_and_dropped_tables_and_prints_a_summary(tmp_path, capsys):
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    assert main(["segment", "--corpus", str(corpus), "--out", str(tmp_path / "out")]) == 0
    paragraphs = pd.read_csv(tmp_path / "out" / "paragraphs.csv")
    assert list(paragraphs.columns) == ["id", "doc", "line", "lang", "section", "text", "n_words", "date", "source"]
    assert len(paragraphs) == 9
    assert set(paragraphs["lang"]) == {"en", "fr"}
    assert (tmp_path / "out" / "dropped.csv").is_file()
    out = capsys.readouterr().out
    assert "3 documents, 9 paragraphs" in out and "paragraphs per language" in out


def test_topics_nmf_writes_json_with_the_documented_fields(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    out = tmp_path / "out"
    assert main(["topics", "--method", "nmf", "--corpus", str(corpus), "--out", str(out), "--topics", "2",
                 "--seed", "3"]) == 0
    data = json.loads((out / "topics_nmf.json").read_text(encoding="utf-8"))
    assert len(data["topics"]) == 2
    for topic in data["topics"]:
        assert {"id", "size", "label", "words", "words_by_lang", "n_by_lang", "representative_ids"} <= set(topic)
    assignments = pd.read_csv(out / "assignments_nmf.csv")
    assert list(assignments.columns) == ["id", "topic"] and len(assignments) == 9


def test_topics_rejects_a_number_of_topics_below_one(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["topics", "--method", "nmf", "--topics", "0"])
    assert exit_info.value.code == 2
    assert "at least 1" in capsys.readouterr().err


@pytest.mark.slow
def test_topics_bertopic_writes_json_and_assignments(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    out = tmp_path / "out"
    assert main(["topics", "--method", "bertopic", "--corpus", str(corpus), "--out", str(out)]) == 0
    data = json.loads((out / "topics_bertopic.json").read_text(encoding="utf-8"))
    assert data["topics"] and all({"label", "words_by_lang", "n_by_lang"} <= set(t) for t in data["topics"])
    assert len(pd.read_csv(out / "assignments_bertopic.csv")) == 9


def test_an_interrupted_write_leaves_the_previous_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old\n")
    with pytest.raises(KeyboardInterrupt):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise KeyboardInterrupt
    assert target.read_text() == "old\n"
    assert list(tmp_path.iterdir()) == [target]


# --- input and output problems, said before any work -------------------------------------------


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_an_unreadable_corpus_folder_exits_2_with_one_line_naming_it(tmp_path, capsys, monkeypatch):
    from topicmap import corpus

    folder = write_corpus(tmp_path / "locked_corpus", SMALL_CORPUS)

    def refuse(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(corpus.os, "scandir", refuse)
    assert main(["segment", "--corpus", str(folder), "--out", str(tmp_path / "out")]) == 2
    assert str(folder) in _one_line(capsys.readouterr().err)


def _no_work(monkeypatch):
    from topicmap import pipeline

    monkeypatch.setattr(pipeline, "COMMANDS", {name: lambda *_: pytest.fail("work started") for name in pipeline.COMMANDS})


def test_an_output_folder_below_a_file_exits_2_naming_it_before_any_work(tmp_path, capsys, monkeypatch):
    _no_work(monkeypatch)
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder")
    assert main(["segment", "--out", str(a_file / "out")]) == 2
    assert str(a_file) in _one_line(capsys.readouterr().err)


def test_figures_folder_of_the_report_is_checked_too(tmp_path, capsys, monkeypatch):
    _no_work(monkeypatch)
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder")
    assert main(["report", "--out", str(tmp_path / "out"), "--figures", str(a_file)]) == 2
    assert str(a_file) in _one_line(capsys.readouterr().err)


# --- option values ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", ["-1", "4294967296", "forty-two", "1.5"])
def test_a_seed_outside_numpys_range_exits_2_with_one_line_naming_it(seed, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["segment", "--seed", seed])
    assert exit_info.value.code == 2
    line = _one_line(capsys.readouterr().err)
    assert "--seed" in line and seed in line


@pytest.mark.parametrize("seed", ["0", "4294967295"])
def test_seeds_at_both_ends_of_numpys_range_are_accepted(seed):
    assert build_parser().parse_args(["segment", "--seed", seed]).seed == int(seed)


def test_an_unknown_embedding_exits_2_naming_it_and_the_choices(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["topics", "--method", "bertopic", "--embedding", "bert-large"])
    assert exit_info.value.code == 2
    line = _one_line(capsys.readouterr().err)
    assert "'bert-large'" in line and "use" in line and "minilm" in line and "folder" in line


@pytest.mark.parametrize("name", ["use", "minilm"])
def test_the_named_embeddings_are_accepted(name):
    assert build_parser().parse_args(["topics", "--method", "bertopic", "--embedding", name]).embedding == name


def test_a_folder_holding_a_sentence_transformers_model_is_an_accepted_embedding(tmp_path):
    model = tmp_path / "my-model"
    model.mkdir()
    (model / "modules.json").write_text("[]")
    args = build_parser().parse_args(["topics", "--method", "bertopic", "--embedding", str(model)])
    assert args.embedding == str(model)


def test_a_folder_without_a_model_is_not_an_embedding(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["topics", "--method", "bertopic", "--embedding", str(tmp_path)])
    assert str(tmp_path) in _one_line(capsys.readouterr().err)
