"""Document covariates (date, source): read from front matter and corpus.toml, bad values warned and never
fatal, prevalence with intervals that resample documents, and no section where nothing can be estimated."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from conftest import write_corpus
from topicmap import pipeline
from topicmap.config import Settings
from topicmap.covariates import date_problem, document_covariates, parse_date
from topicmap.metrics.covariates import (change_among_comparable, change_between, composition_overlap, confounds,
                                         estimable, period_unit, periods_of,
                                         prevalence_by_covariate)

TEXT = "The team won the match after a late goal by the striker in the final minute of play."


def segment(tmp_path, files, toml=None):
    corpus = write_corpus(tmp_path / "corpus", files)
    if toml is not None:
        (corpus / "corpus.toml").write_text(toml, encoding="utf-8")
    return pipeline.segment(Settings(project_root=tmp_path, corpus_dir=corpus, cache_dir=tmp_path / "cache"))


def test_front_matter_gives_each_paragraph_its_date_and_source_and_outlet_means_source(tmp_path):
    seg = segment(tmp_path, {"a.md": f"---\ndate: 2017-03-20\noutlet: TASS\n---\n\n{TEXT}\n\n{TEXT}\n",
                             "b.md": f"---\ndate: 18 February 2025\nsource: Nature\n---\n\n{TEXT}\n"})
    by_doc = seg.paragraphs.drop_duplicates("doc").set_index("doc")
    assert by_doc.loc["a", ["date", "source"]].tolist() == ["2017-03-20", "TASS"]
    assert by_doc.loc["b", ["date", "source"]].tolist() == ["2025-02-18", "Nature"]


def test_corpus_toml_wins_over_front_matter(tmp_path):
    seg = segment(tmp_path, {"a.md": f"---\nsource: Front\n---\n\n{TEXT}\n"}, '[articles.a]\nsource = "Table"\n')
    assert seg.paragraphs["source"].unique().tolist() == ["Table"]


def test_a_front_matter_key_doc_cannot_change_a_documents_id_and_is_ignored_with_a_warning(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        seg = segment(tmp_path, {"a.md": f"---\ndoc: b\ndate: 2017-03-20\nsource: TASS\n---\n\n{TEXT}\n\n{TEXT}\n",
                                 "b.md": f"---\ndate: 18 February 2025\nsource: Nature\n---\n\n{TEXT}\n\n{TEXT}\n"})
    assert seg.paragraphs["id"].is_unique and seg.covariates["doc"].tolist() == ["a", "b"]
    by_doc = seg.paragraphs.drop_duplicates("doc").set_index("doc")
    assert by_doc.loc["a", ["date", "source"]].tolist() == ["2017-03-20", "TASS"]
    assert by_doc.loc["b", ["date", "source"]].tolist() == ["2025-02-18", "Nature"]
    warnings = [record.getMessage() for record in caplog.records if "'doc'" in record.getMessage()]
    assert len(warnings) == 1 and "a" in warnings[0] and "ignored" in warnings[0]


@pytest.mark.parametrize("key", ["doc", "id", "n_words"])
def test_a_key_topicmap_computes_is_ignored_in_a_corpus_toml_article_with_a_warning(tmp_path, caplog, key):
    with caplog.at_level(logging.WARNING):
        seg = segment(tmp_path, {"a.txt": TEXT}, f'[articles.a]\n{key} = "b"\nsource = "Table"\n')
    assert seg.covariates.to_dict("records") == [{"doc": "a", "source": "Table", "date": ""}]
    assert seg.paragraphs[["doc", "source"]].values.tolist() == [["a", "Table"]]
    assert any(f"'{key}'" in record.getMessage() and "ignored" in record.getMessage() for record in caplog.records)


def test_lang_in_front_matter_is_the_articles_language_not_a_covariate(tmp_path):
    seg = segment(tmp_path, {"a.md": f"---\nlang: fr\n---\n\n{TEXT}\n"})
    assert "lang" not in seg.covariates and seg.paragraphs["lang"].tolist() == ["en"]


@pytest.mark.parametrize("files, toml, named", [
    ({"a.md": f"---\ndate: not a date\n---\n\n{TEXT}\n"}, None, "'not a date'"),
    ({"a.md": f"---\ndate: 2017-13-45\n---\n\n{TEXT}\n"}, None, "2017-13-45"),
    ({"a.txt": TEXT}, '[articles.a]\ndate = "someday"\n', "someday"),
    ({"a.txt": TEXT}, '[articles.a]\ndate = [2017, 3]\n', "articles.a.date"),
    ({"a.txt": TEXT}, '[articles.a]\nsource = { name = "x" }\n', "articles.a.source"),
])
def test_a_bad_value_is_a_warning_naming_it_and_the_document_still_counts(tmp_path, caplog, files, toml, named):
    with caplog.at_level(logging.WARNING):
        seg = segment(tmp_path, files, toml)
    assert any(named in record.getMessage() for record in caplog.records)
    assert len(seg.paragraphs) == 1 and seg.paragraphs["date"].iloc[0] == ""


def test_dates_are_read_in_the_forms_people_write_them():
    assert parse_date("2025-02-18") == "2025-02-18" and parse_date("2025-02") == "2025-02-01"
    assert parse_date("February 18, 2025") == "2025-02-18" and parse_date("") is None and parse_date("soon") is None


def test_a_date_is_read_in_one_order_in_every_file_and_one_that_could_be_two_dates_is_none():
    # pandas read 03/04/2024 month first and 20/03/2024 day first: two orders in one corpus
    assert parse_date("20/03/2024") == parse_date("03/20/2024") == "2024-03-20"
    assert parse_date("03/04/2024") is None and "day first or month first" in date_problem("03/04/2024")
    assert parse_date("04/04/2024") == "2024-04-04" and parse_date("2024/03/20") == "2024-03-20"
    assert parse_date("Tue, 04 Mar 2024 10:00:00 +0000") == "2024-03-04"


def test_a_time_or_a_day_without_its_year_is_no_date_not_today():
    # corpus.toml's date = 12:30:00 (a TOML time) became the day of the run
    assert parse_date("12:30:00") is None and parse_date("March 4") is None and parse_date("31/02/2024") is None


def test_an_unreadable_date_is_said_with_why(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="topicmap.covariates"):
        segmentation = segment(tmp_path, {"a.md": f"---\ndate: 03/04/2024\n---\n{TEXT}\n"})
    assert set(segmentation.paragraphs["date"]) == {""}
    assert "'03/04/2024' could be read day first or month first" in caplog.text


def test_covariates_of_documents_without_any_are_empty_columns():
    table = document_covariates(["a", "b"], {}, {})
    assert table[["date", "source"]].to_numpy().tolist() == [["", ""], ["", ""]]


def test_the_time_unit_is_the_finest_that_keeps_the_axis_short():
    days = pd.Series(pd.date_range("2017-01-01", periods=10).astype(str))
    months = pd.Series(pd.date_range("2015-01-01", periods=30, freq="MS").astype(str))
    years = pd.Series(pd.date_range("1990-01-01", periods=30, freq="YS").astype(str))
    assert period_unit(days)[0] == "day" and period_unit(months)[0] == "quarter" and period_unit(years)[0] == "year"
    periods, unit = periods_of(pd.Series(["2017-03-20", "", "2017-03-21"]))
    assert unit == "day" and periods.tolist() == ["2017-03-20", "", "2017-03-21"]


def test_intervals_resample_documents_so_a_theme_in_one_article_is_uncertain():
    # source A: 4 articles of 10 paragraphs, theme 1 only in one of them; source B: 4 articles, no theme 1
    docs = np.repeat([f"a{i}" for i in range(4)] + [f"b{i}" for i in range(4)], 10)
    labels = np.zeros(80, dtype=int)
    labels[:10] = 1
    levels = np.repeat(["A", "B"], 40)
    prevalence = prevalence_by_covariate(labels, docs, levels, np.repeat("en", 80), seed=0)
    a = prevalence[(prevalence["level"] == "A") & (prevalence["theme"] == 1)].iloc[0]
    assert a["share"] == 0.25 and a["low"] == 0.0 and a["high"] >= 0.5  # resampling paragraphs: about 0.12-0.38
    diff, low, high = change_between(labels, docs, levels, "B", "A", 1, seed=0)
    assert diff == pytest.approx(0.25)
    assert low <= 0 <= high  # one article is not evidence that source A covers the theme more


def test_a_level_of_too_few_documents_is_not_estimated_and_one_level_is_not_a_comparison():
    docs, labels = np.array(["a", "b", "c", "d"]), np.array([0, 1, 0, 1])
    prevalence = prevalence_by_covariate(labels, docs, np.array(["X", "X", "X", "Y"]), np.array(["en"] * 4), seed=0)
    assert not prevalence.loc[prevalence["level"] == "Y", "estimated"].any() and not estimable(prevalence)


def test_a_source_whose_articles_are_all_in_one_language_is_marked():
    docs = np.array(["a", "b", "c", "d", "e", "f"])
    prevalence = prevalence_by_covariate(np.zeros(6, dtype=int), docs, np.array(["Le Monde"] * 3 + ["BBC"] * 3),
                                         np.array(["fr"] * 3 + ["en"] * 3), seed=0)
    assert set(prevalence["one_language"]) == {"fr", "en"}


def confounded_archive(theme_follows: str):
    """Two weeks of articles (3 paragraphs each) from outlets A and B. Week 1 is mostly A, week 2 mostly B;
    each cell (week, outlet) has 4 articles, except the sparse ones of 4 too, so both comparisons can be made.
    ``theme_follows`` says whether theme 1 belongs to outlet B ("source") or to week 2 ("time")."""
    rows = []
    for week, outlet, n in (("w1", "A", 12), ("w1", "B", 4), ("w2", "A", 4), ("w2", "B", 12)):
        for i in range(n):
            theme = int(outlet == "B") if theme_follows == "source" else int(week == "w2")
            rows += [(f"{week}{outlet}{i}", week, outlet, theme)] * 3
    docs, weeks, outlets, labels = (np.array(column) for column in zip(*rows))
    return labels, docs, weeks, outlets


def test_composition_overlap_is_the_share_of_articles_two_levels_have_in_common_by_another_covariate():
    labels, docs, weeks, outlets = confounded_archive("source")
    assert composition_overlap(docs, weeks, outlets, "w1", "w2") == pytest.approx(0.5)  # 3/4 A vs 1/4 A
    assert composition_overlap(docs, weeks, weeks, "w1", "w2") == 0.0
    assert composition_overlap(docs, weeks, np.repeat("en", len(docs)), "w1", "w2") == 1.0


def test_a_change_over_time_that_is_a_change_of_outlet_vanishes_with_the_outlet_held_fixed():
    labels, docs, weeks, outlets = confounded_archive("source")
    diff, low, high = change_between(labels, docs, weeks, "w1", "w2", 1, seed=0)
    assert diff == pytest.approx(0.5) and low > 0  # taken alone, theme 1 "rose"
    within = change_among_comparable(labels, docs, weeks, outlets, "w1", "w2", 1, seed=0)
    assert within is not None and within[0] == pytest.approx(0.0) and within[1] <= 0 <= within[2]  # per outlet: none
    # the report's rule: overlap 0.5 is not below MIN_COMPOSITION_OVERLAP, so with a stricter mix it is judged
    skewed = ~((weeks == "w2") & (outlets == "A") & np.isin(docs, ["w2A2", "w2A3"]))
    found = confounds(labels[skewed], docs[skewed], weeks[skewed], {"source": outlets[skewed]}, "w1", "w2", 1, 0)
    assert [item["covariate"] for item in found] == ["source"] and found[0]["overlap"] < 0.5
    assert found[0]["change"] == (0.0, 0.0, 0.0)  # outlet A, 2 articles in week 2, is left out; B is compared
    weeks_apart = confounds(labels, docs, weeks, {"week": weeks}, "w1", "w2", 1, seed=0)
    assert weeks_apart[0]["overlap"] == 0.0 and weeks_apart[0]["change"] is None  # nothing to hold fixed


def test_a_real_change_over_time_holds_with_the_outlet_held_fixed():
    labels, docs, weeks, outlets = confounded_archive("time")
    within = change_among_comparable(labels, docs, weeks, outlets, "w1", "w2", 1, seed=0)
    assert within[0] == pytest.approx(1.0) and within[1] > 0


def test_a_covariate_unknown_for_every_article_of_a_level_is_not_judged():
    labels, docs, weeks, outlets = confounded_archive("source")
    outlets = np.where(weeks == "w1", "", outlets)
    assert confounds(labels, docs, weeks, {"source": outlets}, "w1", "w2", 1, seed=0) == []


def test_the_report_says_a_confounded_difference_holds_only_if_it_holds_with_the_other_covariate_held_fixed():
    from topicmap.report.sections import _confound_note

    alike = _confound_note([], "2016-11-28", "2017-03-06", 0.2)
    vanishes = _confound_note([{"covariate": "source", "overlap": 0.1, "change": (0.01, -0.05, 0.07)}],
                              "2016-11-28", "2017-03-06", 0.2)
    holds = _confound_note([{"covariate": "source", "overlap": 0.1, "change": (0.15, 0.05, 0.25)}],
                           "2016-11-28", "2017-03-06", 0.2)
    reverses = _confound_note([{"covariate": "language", "overlap": 0.0, "change": (-0.15, -0.25, -0.05)}],
                              "BBC", "Le Monde", 0.2)
    untestable = _confound_note([{"covariate": "period", "overlap": 0.0, "change": None}], "BBC", "Le Monde", 0.2)
    assert alike == ""
    assert "also differ in source (only 10% of them alike" in vanishes and "may be a difference of source" in vanishes
    assert "holds with the source held fixed" in holds
    assert "may be a difference of language" in reverses
    assert "no period has enough articles in both" in untestable


def test_the_stated_differences_are_those_whose_interval_excludes_zero_each_with_its_confounds():
    from topicmap.metrics.covariates import stated_differences

    labels, docs, weeks, outlets = confounded_archive("source")
    prevalence = prevalence_by_covariate(labels, docs, weeks, np.repeat("en", len(docs)), seed=0)
    found = stated_differences(labels, docs, weeks, prevalence, {"source": outlets}, over_time=True, seed=0)
    assert [(d["theme"], d["first"], d["last"]) for d in found] == [(0, "w1", "w2"), (1, "w1", "w2")]
    assert found[1]["difference"] == pytest.approx(0.5) and found[1]["first_share"] == pytest.approx(0.25)
    assert found[1]["confounds"] == []  # the weeks share half their articles by outlet: not below the rule's 50%
    by_outlet = prevalence_by_covariate(labels, docs, outlets, np.repeat("en", len(docs)), seed=0)
    found = stated_differences(labels, docs, outlets, by_outlet, {"week": weeks}, over_time=False, seed=0)
    assert [(d["first"], d["last"]) for d in found] == [("B", "A"), ("A", "B")]  # smallest share first


# --- what a user writes that nothing reads, and documents left without a paragraph: said, never silent ---------


def test_a_corpus_toml_key_that_nothing_reads_is_named_with_where_it_belongs(tmp_path, caplog):
    toml = 'domain_stop_words = ["ai"]\nfoo = 1\n[study]\ntitle = "T"\ncolour = "red"\n'
    with caplog.at_level(logging.WARNING, logger="topicmap.description"):
        segment(tmp_path, {"a.txt": TEXT}, toml)
    assert "key 'domain_stop_words' is read by nothing" in caplog.text and "belongs in the [study] table" in caplog.text
    assert "key 'foo' is read by nothing" in caplog.text and "study.colour" in caplog.text


def test_an_article_of_corpus_toml_that_names_no_file_is_said_with_how_articles_are_named(tmp_path, caplog):
    toml = '[articles.x]\nsource = "Le Monde"\n[articles.nonexistent]\nsource = "Libé"\n'
    with caplog.at_level(logging.WARNING, logger="topicmap.pipeline"):
        segmentation = segment(tmp_path, {"2024/jan/x.txt": TEXT, "b.txt": TEXT.replace("team", "side")}, toml)
    assert set(segmentation.paragraphs["source"]) == {""}
    assert "articles.nonexistent, articles.x name no file of the corpus" in caplog.text
    assert '[articles."2024/jan/x"]' in caplog.text


def test_a_document_left_without_a_paragraph_is_named_with_why(tmp_path, caplog):
    footer = "Subscribe to our newsletter to receive the latest news of the league every morning in your inbox."
    files = {"onlyfm.md": "---\ntitle: Only metadata\n---\n", "a.txt": TEXT,
             "b.txt": f"{TEXT.replace('team', 'side')}\n\n{footer}\n", "c.txt": f"{TEXT.replace('team', 'club')}\n\n{footer}\n",
             "d.txt": f"{footer}\n"}
    with caplog.at_level(logging.WARNING, logger="topicmap.pipeline"):
        segment(tmp_path, files)
    assert "2 of the 5 documents hold no paragraph to model" in caplog.text
    assert "d (its 1 paragraphs are repeated in other documents)" in caplog.text
    assert "onlyfm (only front matter, headings or lines set aside)" in caplog.text


def test_a_declared_language_the_text_is_not_in_or_no_language_is_warned_naming_the_document(tmp_path, caplog):
    french = "Le gouvernement a annoncé un plan pour soutenir les centres de données et la recherche du pays."
    with caplog.at_level(logging.WARNING):
        seg = segment(tmp_path, {"a.md": f"---\nlanguage: en\n---\n\n{french}\n\n{french} Encore.\n",
                                 "b.md": f"---\nlanguage: klingon\n---\n\n{TEXT}\n",
                                 "c.md": f"---\nlanguage: en-GB\n---\n\n{TEXT}\n", "d.txt": french},
                      '[articles.d]\nlanguage = "English"\n')
    assert seg.paragraphs.set_index("doc")["lang"].to_dict() == {"a": "fr", "b": "en", "c": "en", "d": "fr"}
    said = [record.getMessage() for record in caplog.records]
    assert any("2 documents declare a language most of their text is not in" in m and
               "a (declares English; 2 of its 2 paragraphs" in m and "d (declares English; 1 of its 1" in m
               and "read as French" in m for m in said), said
    assert any("b ('klingon') is not a language topicmap knows" in m for m in said), said
    assert not any("c (" in m or "c ('" in m for m in said), said
