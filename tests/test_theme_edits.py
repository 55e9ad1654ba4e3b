"""A researcher's own themes (issue 34, item 4): corpus.toml's ``[themes]`` renames and merges the report's
model's themes, and every output shows them; a bad entry is one line naming the key.

    [themes]
    2 = "US–China rivalry / rivalité sino-américaine"   # a name given by hand, under the id the report shows
    merge = [[1, 4]]                                   # themes 1 and 4 become one theme, id 1
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from conftest import SEEDS, write_corpus
from topicmap.cli import main
from topicmap.config import Settings
from topicmap.description import DescriptionError, parse_description
from topicmap.representations import build_representations
from topicmap.topics.base import Topic, TopicResult
from topicmap.topics.edits import edit_themes
from topicmap.topics.words import describe_topics

TOML = Path("corpus.toml")


def themes(table: dict):
    return parse_description({"themes": table}, TOML).themes


@pytest.fixture(scope="module")
def fitted():
    """Three themes in two languages, as a model found them (ids 0, 1, 2), with their space and placement."""
    from test_topics import synthetic_bilingual

    units, vectors = synthetic_bilingual()
    representations = build_representations(units, Settings(), embeddings=vectors)
    labels = units["theme"].to_numpy()
    topics = describe_topics(labels, representations, 10, 3, space=vectors)
    for topic in topics:
        topic.consensus = 0.9
    space = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    centroids = np.vstack([space[labels == t].mean(axis=0) for t in range(3)])
    result = TopicResult("crosslingual", topics, pd.DataFrame({"id": units["id"], "topic": labels}),
                         params={"n_topics_found": 3}, space=space, units=units,
                         placement={"centroids": centroids / np.linalg.norm(centroids, axis=1, keepdims=True),
                                    "reference_vectors": space.astype(np.float32), "reference_themes": labels})
    return result, representations


# --- renaming ------------------------------------------------------------------------------------------


def test_a_rename_changes_the_label_marks_it_given_by_hand_and_keeps_the_tools_name(fitted):
    result, representations = fitted
    before = result.topic(1).label
    edited = edit_themes(result, themes({"1": "chips / puces électroniques"}), representations)
    topic = edited.topic(1)
    assert (topic.label, topic.named_by, topic.model_label) == ("chips / puces électroniques", "hand", before)
    # the check by use judges the tool's words: it is not applied to a name given by hand, so never flags it
    assert topic.label_halves_agree() is None and topic.label_by_lang == {}
    assert [t.label for t in edited.topics if t.id != 1] == [t.label for t in result.topics if t.id != 1]
    assert edited.topic(0).named_by == "model"
    assert (edited.labels == result.labels).all()


def test_a_name_given_by_hand_is_written_in_the_topics_file_and_read_back(fitted, tmp_path):
    result, representations = fitted
    edit_themes(result, themes({"2": "universities", "merge": [[0, 1]]}), representations).write(tmp_path)
    data = json.loads((tmp_path / "topics_crosslingual.json").read_text(encoding="utf-8"))
    by_id = {t["id"]: t for t in data["topics"]}
    assert by_id[2]["named_by"] == "hand" and by_id[0]["merged_from"] == [0, 1]
    read = TopicResult.from_files(tmp_path, "crosslingual")
    assert (read.topic(2).named_by, read.topic(2).label, read.topic(0).merged_from) == ("hand", "universities", [0, 1])
    assert Topic.from_json({"id": 0, "size": 1, "label": "x", "words": []}).named_by == "model"  # older files


# --- merging -------------------------------------------------------------------------------------------


def test_a_merge_joins_the_assignments_under_the_smallest_id_and_describes_the_theme_again(fitted):
    result, representations = fitted
    edited = edit_themes(result, themes({"merge": [[2, 0]]}), representations)
    assert sorted(set(edited.labels.tolist())) == [0, 1]
    assert (edited.labels == np.where(result.labels == 2, 0, result.labels)).all()
    merged = edited.topic(0)
    assert merged.size == result.topic(0).size + result.topic(2).size and merged.merged_from == [0, 2]
    # its words come from both themes' paragraphs; how often the model's runs grouped them is not known
    words = {w for w, _ in merged.words}
    assert {"énergie", "universités"} <= words or {"energy", "universities"} <= words
    assert merged.consensus is None and edited.topic(1).consensus == 0.9
    assert edited.topic(1) is result.topic(1)  # a theme the merge leaves alone keeps its description
    assert edited.params["themes_merged"] == [[0, 2]] and edited.params["n_topics_before_edits"] == 3
    assert edited.params["n_topics_found"] == 3  # the model's own number, which the refits of other seeds keep


def test_a_merged_themes_name_is_given_under_any_id_of_its_group(fitted):
    result, representations = fitted
    edited = edit_themes(result, themes({"2": "energy and universities", "merge": [[0, 2]]}), representations)
    assert edited.topic(0).label == "energy and universities" and edited.topic(0).named_by == "hand"


def test_a_merged_theme_is_measured_across_seeds_against_refits_merged_alike(fitted):
    from topicmap.metrics.stability import stability
    from topicmap.topics.edits import merged_alike

    result, representations = fitted
    merged = edit_themes(result, themes({"merge": [[0, 2]]}), representations)
    # a refit that found the model's three themes again, numbered otherwise: its parts of theme 0 are merged too
    renumbered = {0: 2, 1: 0, 2: 1}
    refit = dataclasses.replace(result, assignments=result.assignments.assign(
        topic=[renumbered[int(t)] for t in result.labels]), topics=[dataclasses.replace(
            topic, id=renumbered[topic.id]) for topic in result.topics])
    alike = merged_alike(refit, merged, representations)
    assert sorted(t.id for t in alike.topics) == [0, 1] and alike.topic(1).merged_from == [1, 2]
    measured = stability([merged, alike])
    assert measured["mean_pairwise_ari"] == 1.0 and measured["topic_overlap"][0] == 1.0
    assert stability([merged, refit])["topic_overlap"][0] < 1.0  # against the refit's parts it would not hold
    assert merged_alike(refit, result, representations) is refit  # nothing merged, nothing carried over


def test_a_new_paragraph_of_a_merged_theme_is_placed_in_it(fitted):
    from topicmap.topics.crosslingual import neighbours_theme

    result, representations = fitted
    edited = edit_themes(result, themes({"merge": [[0, 2]]}), representations)
    centroids = edited.placement["centroids"]
    assert np.array_equal(centroids[0], centroids[2])
    placed = neighbours_theme(result.space, edited.placement["reference_vectors"], edited.placement["reference_themes"])
    assert 2 not in placed and (placed[result.labels == 2] == 0).mean() > 0.5


def test_without_a_themes_table_nothing_changes(fitted):
    result, representations = fitted
    assert edit_themes(result, themes({}), representations) is result


# --- what the report says ------------------------------------------------------------------------------


def test_the_method_section_says_which_names_were_given_by_hand_and_which_themes_merged(fitted):
    from topicmap import report

    result, representations = fitted
    edited = edit_themes(result, themes({"1": "chips / puces", "merge": [[0, 2]]}), representations)
    said = report.edits_paragraph(SimpleNamespace(primary="crosslingual", results={"crosslingual": edited}))
    assert "themes 0 and 2 merged into one, theme 0" in said and "consensus is not measured" in said
    assert "The name of theme 1 is given by hand: theme 1, “chips / puces”" in said
    assert f"the tool named it “{result.topic(1).label}”" in said and "not checked by use" in said
    assert report.edits_paragraph(SimpleNamespace(primary="crosslingual", results={"crosslingual": result})) == ""
    note = report.edit_note(edited.topic(0).to_json()) + report.edit_note(edited.topic(1).to_json())
    assert "joins the model's themes 0 and 2" in note and "given by hand" in note


# --- a bad entry: one line naming the key --------------------------------------------------------------


@pytest.mark.parametrize("table, key", [
    ({"two": "a name"}, "themes.two"),
    ({"2": 5}, "themes.2"),
    ({"2": "  "}, "themes.2"),
    ({"merge": [[1]]}, "themes.merge[0]"),
    ({"merge": [[1, 2], [2, 3]]}, "themes.merge[1]"),
    ({"merge": [1, 2]}, "themes.merge"),
    ({"merge": [[1, "x"]]}, "themes.merge[0]"),
    ({"1": "a", "2": "b", "merge": [[1, 2]]}, "themes.2"),
    ({"1": "a name", "01": "another"}, "themes.01"),  # two TOML keys, one theme
])
def test_a_bad_themes_entry_is_refused_naming_the_key(table, key):
    with pytest.raises(DescriptionError) as error:
        themes(table)
    assert str(error.value).startswith("corpus.toml: ") and key in str(error.value)


def test_a_theme_id_the_model_did_not_find_is_refused_naming_the_key(fitted):
    result, representations = fitted
    for table, key in (({"7": "x"}, "themes.7"), ({"merge": [[1, 9]]}, "themes.merge[0]")):
        with pytest.raises(DescriptionError, match=key.replace("[", r"\[").replace("]", r"\]")) as error:
            edit_themes(result, themes(table), representations)
        assert "found themes 0, 1, 2" in str(error.value)


@pytest.mark.parametrize("toml, key", [
    ('[themes]\ntwo = "a name"\n', "themes.two"),
    ('[themes]\nmerge = [[4]]\n', "themes.merge[0]"),
    ('themes = ["a"]\n', "themes"),
])
def test_a_bad_themes_entry_exits_2_with_one_line_before_any_work(toml, key, tmp_path, monkeypatch, capsys):
    from topicmap import pipeline

    monkeypatch.setattr(pipeline, "COMMANDS", {name: lambda *_: pytest.fail("work started") for name in pipeline.COMMANDS})
    monkeypatch.setenv("TOPICMAP_CACHE_DIR", str(tmp_path / "cache"))
    corpus = write_corpus(tmp_path / "corpus", {"a.txt": "Some text about chips and export controls.\n"})
    (corpus / "corpus.toml").write_text(toml, encoding="utf-8")
    assert main(["topics", "--corpus", str(corpus), "--out", str(tmp_path / "out")]) == 2
    lines = [line for line in capsys.readouterr().err.strip().splitlines() if not line.startswith("topicmap [")]
    assert len(lines) == 1 and "corpus.toml" in lines[0] and key in lines[0]


def test_an_id_the_model_did_not_find_exits_2_with_one_line_once_fitted_and_publishes_nothing(tmp_path, monkeypatch,
                                                                                             capsys):
    from test_bad_input import CORPUS

    monkeypatch.setenv("TOPICMAP_CACHE_DIR", str(tmp_path / "cache"))
    corpus = write_corpus(tmp_path / "corpus", CORPUS)
    (corpus / "corpus.toml").write_text('[themes]\n9 = "a name"\n', encoding="utf-8")
    assert main(["topics", "--corpus", str(corpus), "--out", str(tmp_path / "out")]) == 2
    lines = [line for line in capsys.readouterr().err.strip().splitlines() if not line.startswith("topicmap [")]
    assert len(lines) == 1 and "corpus.toml: themes.9 names theme 9" in lines[0]
    assert not (tmp_path / "out").exists()


# --- end to end on the seeds ---------------------------------------------------------------------------


@pytest.mark.slow
def test_a_rename_and_a_merge_change_the_results_and_the_figures_of_the_seeds(tmp_path, monkeypatch):
    import shutil

    from topicmap import pipeline

    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    with open(corpus / "corpus.toml", "a", encoding="utf-8") as toml:
        toml.write('\n[themes]\n2 = "US–China rivalry / rivalité sino-américaine"\nmerge = [[1, 4]]\n')
    settings = Settings(project_root=tmp_path, corpus_dir=corpus, results_dir=tmp_path / "results",
                        figures_dir=tmp_path / "figures", reports_dir=tmp_path / "reports", cache_dir=tmp_path / "cache")
    pipeline.make_all_figures(settings)
    results = settings.results_path
    topics = {t["id"]: t for t in json.loads((results / "topics_crosslingual.json").read_text(encoding="utf-8"))["topics"]}
    assert topics[2]["label"] == "US–China rivalry / rivalité sino-américaine" and topics[2]["named_by"] == "hand"
    assert 4 not in topics and topics[1]["merged_from"] == [1, 4] and topics[1]["consensus"] is None
    assignments = pd.read_csv(results / "assignments_crosslingual.csv")
    assert 4 not in set(assignments["topic"]) and len(assignments) == sum(t["size"] for t in topics.values())
    assert "4" not in json.loads((results / "metrics.json").read_text(encoding="utf-8"))["models"]["crosslingual"][
        "topic_overlap_across_seeds"]
    mix = pd.read_csv(results / "article_themes.csv")
    assert "share_1" in mix and "share_4" not in mix and "share_2" in mix
    interactive = (settings.figures_path / "interactive" / "crosslingual_paragraph_map.html").read_text(encoding="utf-8")
    assert "US–China rivalry" in interactive or "US\\u2013China rivalry" in interactive
    from topicmap import report

    method = report.method_section(report.load_report_data(settings))
    assert "themes 1 and 4 merged into one, theme 1" in method and "The name of theme 2 is given by hand" in method
