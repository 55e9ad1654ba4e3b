"""A run is one object: written to the results folder, read back whole, and never computed again by its readers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from topicmap import pipeline
from topicmap.analysis import ResultsMissing, load_analysis

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_a_run_written_and_read_back_is_the_same_run(seed_outputs, tmp_path):
    made = pipeline.with_primary_map(pipeline.analyse(seed_outputs))  # from the session's caches
    made.write(tmp_path)
    read = load_analysis(seed_outputs.replace(results_dir=tmp_path))

    assert list(read.results) == list(made.results) and read.metrics == json.loads(json.dumps(made.metrics))
    assert read.article_names == made.article_names and read.primary == made.primary
    assert read.paragraphs[["id", "doc", "lang", "text"]].equals(made.paragraphs[["id", "doc", "lang", "text"]])
    for name, result in made.results.items():
        again = read.results[name]
        assert np.array_equal(again.labels, result.labels)
        assert [t.to_json() for t in again.topics] == [t.to_json() for t in result.topics]
        columns = ["id", "doc", "lang", "text", "article", "date", "source"]
        assert again.units[columns].equals(result.units[columns].reset_index(drop=True))
    # the map travels with the report's model, to a thousandth of its width
    assert np.allclose(read.results[made.primary].coordinates, made.results[made.primary].coordinates, atol=1e-3)
    assert read.results[made.primary].space is None  # the vector space is not written
    assert read.article_terms.terms.keys() == made.article_terms.terms.keys()
    assert np.allclose(read.article_terms.similarity.to_numpy(), made.article_terms.similarity.to_numpy(), atol=1e-6)
    # what needs the space was computed by the run: the evidence for the number of themes
    assert [row["themes"] for row in read.metrics["number_of_themes"]["by_k"]].count(made.results[made.primary].n_topics) == 1


@pytest.mark.slow
def test_figures_drawn_straight_from_an_analysis_include_the_map(seed_outputs, tmp_path):
    drawn = pipeline.draw_figures(pipeline.analyse(seed_outputs, evaluate=False), tmp_path)
    assert tmp_path / "crosslingual_paragraph_map.png" in drawn


def test_reading_a_folder_without_a_run_says_what_to_run(tmp_settings):
    with pytest.raises(ResultsMissing, match="make report"):
        load_analysis(tmp_settings)


def test_the_results_of_another_corpus_are_refused_not_shown(tmp_settings, tmp_path):
    folder = tmp_settings.results_path
    folder.mkdir(parents=True)
    for name in ("paragraphs.csv", "headings.csv", "dropped.csv", "article_terms.json"):
        (folder / name).write_text("", encoding="utf-8")
    (folder / "run.json").write_text(json.dumps({"corpus": str(tmp_path / "elsewhere"), "unit": "paragraph",
                                                 "embedding": "use", "models": []}), encoding="utf-8")
    with pytest.raises(ResultsMissing, match="another run.*elsewhere.*topicmap report"):
        load_analysis(tmp_settings)


COMPUTING = re.compile(r"pipeline\.(segment|prepare|fit|fit_models|analyse|run)\(|\.fit\(|build_representations|"
                       r"segment_corpus|load_corpus|figures\.plot_")


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_the_notebooks_read_the_run_and_never_segment_tokenize_fit_or_draw_again(notebook: Path):
    code = "\n".join(cell.source for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "code")
    assert not COMPUTING.findall(code)
    assert "load_analysis(" in code or "load_report_data(" in code
