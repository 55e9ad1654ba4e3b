"""The report: corpus text escaped, figures embedded, numbers rendered from the results."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from topicmap import report
from topicmap.config import Settings


def report_data(tmp_path, text: str = "A plain paragraph about energy.") -> report.ReportData:
    paragraphs = pd.DataFrame({"id": ["a-001", "a-002", "b-001"], "doc": ["a", "a", "b"], "lang": ["en", "en", "fr"],
                               "section": ["", "", ""], "text": [text, "Chips and export controls", "Énergie."],
                               "n_words": [5, 4, 1]})
    topics = {"id": 0, "size": 2, "label": "energy / grid", "words": [["energy", 0.5], ["grid", 0.3]],
              "words_by_lang": {"en": [["energy", 0.5]], "fr": [["énergie", 0.4]]}, "n_fr": 1, "n_en": 1,
              "representative_ids": ["a-001"]}
    other = {**topics, "id": 1, "size": 1, "label": "chips", "n_fr": 0, "representative_ids": ["a-002"]}
    method = {"n_topics": 2, "outlier_share": 0.0, "npmi_mean": 0.1, "topic_diversity": 0.9, "stability_ari": 0.8,
              "stability_word_overlap": 0.7, "bilingual_topic_share": 0.5, "cross_lingual_pair_agreement": 1.0,
              "topic_overlap_across_seeds": {"0": 0.9, "1": 0.2}, "method": "bertopic", "npmi_per_topic": {}}
    return report.ReportData(
        settings=Settings(project_root=tmp_path),
        paragraphs=paragraphs,
        dropped=pd.DataFrame({"doc": ["a"], "line": [3], "text": ["Photo (PHOTO: X)"], "reason": ["photo caption"]}),
        topics={m: {"n_topics": 2, "outlier_share": 0.0, "params": {"k": 2}, "topics": [topics, other]}
                for m in ("nmf", "bertopic")},
        assignments={m: pd.DataFrame({"id": ["a-001", "a-002", "b-001"], "topic": [0, 1, 0]})
                     for m in ("nmf", "bertopic")},
        metrics={"seeds": [42, 7], "stable_overlap_threshold": 0.5, "chosen_method": "bertopic",
                 "choice_scores": {"bertopic": 0.7, "nmf": 0.5},
                 "methods": {"bertopic": method, "nmf": {**method, "method": "nmf"}}},
    )


def test_corpus_text_with_a_script_tag_is_shown_as_text(tmp_path):
    data = report_data(tmp_path, text="<script>alert('x')</script> energy grid")
    fragment = report.themes_section(data)
    assert "<script>" not in fragment
    assert "&lt;script&gt;alert(" in fragment


def test_a_figure_is_embedded_as_base64_png(tmp_path):
    png = tmp_path / "f.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    fragment = report.figure_html(png, "caption <b>")
    assert "data:image/png;base64," in fragment and "caption &lt;b&gt;" in fragment


def test_a_missing_figure_is_said_not_silently_skipped(tmp_path):
    assert "Figure not available: nope.png" in report.figure_html(tmp_path / "nope.png", "x")


def test_corpus_numbers_come_from_the_data(tmp_path):
    fragment = report.corpus_section(report_data(tmp_path))
    assert "<b>2 articles</b>" in fragment and "<b>3 paragraphs</b>" in fragment
    assert "photo caption: 1" in fragment


def test_themes_below_the_stability_threshold_are_flagged(tmp_path):
    fragment = report.themes_section(report_data(tmp_path))
    flagged = re.findall(r"<h4>Theme (\d+):[^<]*(<span[^>]*><b>unstable)?", fragment)
    assert dict(flagged) == {"0": "", "1": '<span style="color:#D55E00"><b>unstable'}


def test_article_shares_are_fractions_of_each_article_paragraphs(tmp_path):
    shares = report.article_shares(report_data(tmp_path), "bertopic")
    assert shares.loc["a"].sum() == pytest.approx(1.0)
    assert shares.loc["b", "0: energy / grid"] == 1.0


def test_quotes_are_cut_with_an_ellipsis_never_completed():
    assert report.quote("one two three four", words=2) == "one two …"
    assert report.quote("one two", words=2) == "one two"


def test_the_comparison_states_the_chosen_method_and_both_scores(tmp_path):
    fragment = report.comparison_section(report_data(tmp_path))
    assert "relies on <b>bertopic</b>" in fragment and "0.70" in fragment and "0.50" in fragment
