"""The report: corpus text escaped, figures embedded, numbers rendered from the results, claims with intervals."""

from __future__ import annotations

import time

import numpy as np
import pytest

from topicmap import report
from topicmap.metrics.prevalence import prevalence_by_group, share_difference
from topicmap.topics.base import Topic


def test_corpus_text_with_a_script_tag_is_shown_as_text():
    assert "<script>" not in report.quote("<script>alert(1)</script> text")


def test_a_figure_is_embedded_as_base64_png(tmp_path):
    png = tmp_path / "f.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    assert 'src="data:image/png;base64,' in report.figure_html(png, "caption")


def test_a_missing_figure_is_said_not_silently_skipped(tmp_path):
    assert "Figure not available: nothing.png" in report.figure_html(tmp_path / "nothing.png", "c")


def test_quotes_are_cut_with_an_ellipsis_never_completed():
    assert report.quote("one two three four", words=2) == "one two …"


def test_a_difference_of_share_comes_with_an_interval_that_holds_it():
    in_theme = np.array([True] * 8 + [False] * 2 + [True] * 2 + [False] * 8)
    langs = np.array(["fr"] * 10 + ["en"] * 10)
    diff, low, high = share_difference(in_theme, langs, "fr", "en", seed=0)
    assert diff == pytest.approx(0.6) and low <= diff <= high and low > 0


def test_a_difference_on_two_paragraphs_has_an_interval_spanning_zero():
    in_theme = np.array([True, False] + [True] * 5 + [False] * 5)
    langs = np.array(["fr", "fr"] + ["en"] * 10)
    _, low, high = share_difference(in_theme, langs, "fr", "en", seed=0)
    assert low < 0 < high


def test_a_missing_results_folder_says_what_to_run(tmp_settings):
    with pytest.raises(FileNotFoundError, match="make report"):
        report.load_report_data(tmp_settings)


@pytest.mark.slow
def test_every_section_renders_from_real_results_and_names_articles_not_files(seed_outputs):
    data = report.load_report_data(seed_outputs)
    sections = [report.title_section, report.summary_section, report.corpus_section, report.method_section, report.themes_section,
                report.articles_section, report.languages_section, report.comparison_section,
                report.limitations_section]
    html = "\n".join(section(data) for section in sections)
    assert report.escape(data.description.title) in html
    assert "36fb24da248eeb74" not in html.replace("data:image", "")
    assert "95% interval" in html


def test_page_one_answers_the_question_in_plain_words(seed_outputs):
    data = report.load_report_data(seed_outputs)
    summary = report.summary_section(data)
    for part in ("In short.", "How sure.", "Main limitation.", "English", "French"):
        assert part in summary
    themes = report.topic_rows(data, data.primary)
    assert all(report.escape(report.theme_name(t)) in summary for t in themes)  # one line per theme
    assert " en " not in summary and " fr " not in summary and "-0" not in summary
    unnamed = [t for t in themes if Topic.from_json(t).label_halves_agree() is False]
    assert summary.count("its two names may not say the same thing") == len(unnamed)
    assert (f"for {len(unnamed)} of them the paragraphs that use" in summary) == bool(unnamed)


def test_a_theme_of_many_english_paragraphs_and_one_french_is_not_said_to_be_written_in_both(seed_outputs):
    data = report.load_report_data(seed_outputs)
    assignments = data.results[data.primary].assignments
    lang_of = assignments["id"].map(data.paragraphs.set_index("id")["lang"])
    summary = report.summary_section(data)
    themes = report.topic_rows(data, data.primary)
    assert f"{len(themes)} of the {len(themes)} themes are written about in both English and French" in summary
    # the largest theme takes another's English paragraphs and gives it all its French ones but one
    theme, other = sorted(themes, key=lambda t: -t["size"])[:2]
    french = assignments.index[(assignments["topic"] == theme["id"]) & (lang_of == "fr")]
    english = assignments.index[(assignments["topic"] == other["id"]) & (lang_of == "en")]
    assignments.loc[french[1:], "topic"], assignments.loc[english, "topic"] = other["id"], theme["id"]
    summary = report.summary_section(data)
    assert f"{len(themes) - 2} of the {len(themes)} themes are written about in both" in summary
    names = [f"<i>{report.escape(t['label'])}</i>" for t in (theme, other)]
    assert any(f"{a} and {b} are mostly one language's" in summary for a, b in (names, names[::-1]))
    assert "so the two languages largely share their themes" in summary


def test_a_theme_is_written_about_in_both_languages_when_neither_gives_it_under_a_tenth_of_the_others_share():
    from types import SimpleNamespace

    from topicmap.report.sections import written_in_both

    def row(en: float, fr: float) -> dict:
        return {"counts": {"en": int(en > 0), "fr": int(fr > 0)},
                "shares": {"en": SimpleNamespace(share=en), "fr": SimpleNamespace(share=fr)}}

    assert written_in_both(row(0.50, 0.83)) and written_in_both(row(0.01, 0.06))
    assert not written_in_both(row(0.46, 0.004)) and not written_in_both(row(0.0, 0.04))


def test_a_stray_paragraph_in_a_third_language_is_said_on_page_one_but_weighs_on_nothing(seed_outputs):
    data = report.load_report_data(seed_outputs)
    data.paragraphs.loc[data.paragraphs.index[0], "lang"] = "ca"  # as 5 of 101,472 man-page paragraphs were
    summary = report.summary_section(data)
    assert "and 1 paragraph in Catalan" in summary and "Catalan ones" not in summary
    assert "English" in summary and "French" in summary
    theme = data.results[data.primary].topics[0]
    theme.words_by_lang["ca"], theme.n_by_lang["ca"] = [("volum", 0.1)], 1
    themes = report.themes_section(data)  # no word list of one paragraph beside each language's
    assert "Catalan" not in themes and "volum" not in themes and "and 1 paragraph in other languages" in themes


@pytest.mark.slow
def test_a_report_on_a_corpus_without_description_is_generic(tmp_path):
    from conftest import write_corpus
    from topicmap import pipeline
    from topicmap.config import Settings

    corpus = write_corpus(tmp_path / "corpus", {
        f"{name}.txt": f"{title}\n\n" + "\n\n".join([text] * 3) for name, title, text in [
            ("a", "Football", "The team won the match after a late goal by the striker in the final minute."),
            ("b", "Markets", "Shares fell on the stock exchange as investors sold bank stocks after the report."),
            ("c", "Theatre", "The play opened at the theatre with a new cast and a sold-out first night.")]})
    settings = Settings(project_root=tmp_path, corpus_dir=corpus, results_dir=tmp_path / "r",
                        figures_dir=tmp_path / "f", cache_dir=tmp_path / "c")
    pipeline.make_all_figures(settings)
    data = report.load_report_data(settings)
    text = report.title_section(data) + report.limitations_section(data)
    assert "China" not in text and "profondeurs" not in text
    covariates = report.covariates_section(data)  # no metadata at all: neither section, and the reason
    assert "No article has a date" in covariates and "No article has a source" in covariates and "<img" not in covariates


def test_prevalence_gives_each_group_a_share_and_an_interval_that_holds_it():
    table = prevalence_by_group(np.array([0, 0, 1, 1, 1, 0]), np.array(["fr", "fr", "fr", "en", "en", "en"]), seed=0)
    fr_theme0 = table[(table["theme"] == 0) & (table["group"] == "fr")].iloc[0]
    assert fr_theme0["share"] == pytest.approx(2 / 3) and fr_theme0["low"] <= fr_theme0["share"] <= fr_theme0["high"]
    assert table.groupby("group")["share"].sum().round(6).eq(1).all()


def test_the_paragraph_map_frames_the_bulk_and_leaves_out_far_islands_only():
    from topicmap.figures.topics import map_frame

    rng = np.random.RandomState(0)
    bulk = rng.normal(size=(2000, 2))
    islands = np.array([[40.0, 0.0], [0.0, -35.0]])  # near-duplicate paragraphs UMAP sets far apart
    (x_low, x_high), (y_low, y_high) = map_frame(np.vstack([bulk, islands]))
    inside = lambda p: x_low <= p[0] <= x_high and y_low <= p[1] <= y_high  # noqa: E731
    assert sum(inside(p) for p in bulk) >= 0.99 * len(bulk)
    assert not any(inside(p) for p in islands)
    assert x_high - x_low < 10  # the bulk fills the frame instead of a corner of it


def test_a_theme_whose_paragraphs_rarely_stay_together_is_not_a_finding():
    from types import SimpleNamespace

    from topicmap.report import topic_rows
    from topicmap.topics.base import Topic, TopicResult

    topics = [Topic(id=i, size=5, label=f"t{i}", words=[], consensus=c) for i, c in enumerate([0.8, 0.42, None])]
    data = SimpleNamespace(primary="m", primary_measures={"topic_overlap_across_seeds": {"0": 0.9, "1": 0.9, "2": 0.3}},
                           metrics={"stable_overlap_threshold": 0.5, "min_theme_consensus": 0.5},
                           results={"m": TopicResult("m", topics, assignments=None)})
    assert [row["finding"] for row in topic_rows(data, "m")] == [True, False, False]
    assert [row["loose"] for row in topic_rows(data, "m")] == [False, True, False]


def test_the_pdf_is_the_same_byte_for_byte_when_rendered_twice(tmp_path):
    pytest.importorskip("weasyprint")
    from topicmap.report import write_pdf

    html = tmp_path / "report.html"
    html.write_text("<html><body><h1>Thèmes</h1><p>Le même texte, <i>italique</i> et <code>code</code>.</p></body></html>",
                    encoding="utf-8")
    first = write_pdf(html, tmp_path / "a.pdf")
    time.sleep(1.1)  # the font stamps have a resolution of one second
    second = write_pdf(html, tmp_path / "b.pdf")
    if first is None:
        pytest.skip("Pango is missing: no PDF")
    assert first.read_bytes() == second.read_bytes()


def test_a_difference_carried_by_articles_unlike_any_of_the_other_language_is_confounded():
    from topicmap.metrics.prevalence import documents_without_counterpart

    # English: news (themes 0, 1) and two licences (theme 2); French: news only
    docs = ["en-news1"] * 4 + ["en-news2"] * 4 + ["licence1"] * 3 + ["licence2"] * 3 + ["fr-news1"] * 4 + ["fr-news2"] * 4
    langs = ["en"] * 14 + ["fr"] * 8
    labels = [0, 0, 1, 1] * 2 + [2] * 6 + [0, 1, 1, 0] * 2
    assert documents_without_counterpart(np.array(docs), np.array(langs), np.array(labels)) == {"licence1", "licence2"}


def test_points_never_read_as_negative_zero():
    assert report._points(-0.001) == "0" and report._points(0.123) == "+12" and report._points(-0.05) == "-5"


def test_a_theme_of_leftovers_is_named_a_catch_all_and_a_tight_theme_is_not():
    from topicmap.metrics.evaluation import theme_silhouettes

    rng = np.random.RandomState(0)
    a, b = np.eye(8)[0], np.eye(8)[1]
    tight_a = a + rng.normal(scale=0.05, size=(20, 8))
    tight_b = b + rng.normal(scale=0.05, size=(20, 8))
    # leftovers: each lies near a or b, so closer to those themes than to its own scattered theme
    leftovers = np.vstack([a + rng.normal(scale=0.15, size=(5, 8)), b + rng.normal(scale=0.15, size=(5, 8))])
    space = np.vstack([tight_a, tight_b, leftovers])
    labels = np.array([0] * 20 + [1] * 20 + [2] * 10)
    silhouettes = theme_silhouettes(labels, space)
    assert silhouettes["2"] < 0 < min(silhouettes["0"], silhouettes["1"])
    assert report.theme_name({"id": 2, "label": "x / y", "catch_all": True}) == "Theme 2, x / y (a catch-all)"


def test_a_label_whose_words_are_used_of_different_things_is_flagged_with_how_it_was_checked():
    theme = {"id": 1, "size": 19, "label": "materials / matériel", "words": [], "label_agreement": 0.74,
             "label_by_lang": {"en": "materials", "fr": "matériel"}, "label_usage": [0.54, 0.73, 0.57]}
    note = report.label_note(theme)
    assert "may name different things" in note and "“materials”" in note and "0.54" in note and "0.73" in note
    assert "0.57" in note
    matched = {**theme, "label": "companies / entreprises", "label_by_lang": {"en": "companies", "fr": "entreprises"},
               "label_agreement": 0.92, "label_usage": [0.83, 0.73, 0.57]}
    assert "different things" not in report.label_note(matched) and "are alike" in report.label_note(matched)
    far = {**matched, "label_agreement": 0.40}
    assert "far apart in meaning" in report.label_note(far)


def test_four_articles_get_no_time_or_source_figure_and_the_report_says_why(seed_outputs):
    data = report.load_report_data(seed_outputs)
    text = report.covariates_section(data)
    assert "cannot be estimated" in text and "<img" not in text
    assert not (seed_outputs.figures_path / "crosslingual_themes_over_time.png").exists()


def test_a_difference_that_comes_from_the_kinds_of_articles_only_one_language_has_does_not_hold():
    import pandas as pd

    # English: two manuals and two news articles; French: the two manuals only
    docs = ["en-m1"] * 5 + ["en-m2"] * 5 + ["news1"] * 5 + ["news2"] * 5 + ["fr-m1"] * 5 + ["fr-m2"] * 5
    paragraphs = pd.DataFrame({"doc": docs, "lang": ["en"] * 20 + ["fr"] * 10})
    in_theme = np.array([True] * 10 + [False] * 10 + [True] * 10)  # the manuals' theme
    assert not report.holds_among_comparable(paragraphs, in_theme, {"news1", "news2"}, "en", "fr", seed=0)
    assert report.holds_among_comparable(paragraphs, in_theme, set(), "en", "fr", seed=0)  # nothing to compare


def test_when_no_number_of_themes_holds_on_two_samples_the_report_says_the_themes_are_rough():
    held_params = {"n_topics_found": 4, "k_agreement": {"3": 0.9, "4": 0.85, "5": 0.8, "6": 0.5}}
    weak_params = {"n_topics_found": 3, "k_agreement": {"3": 0.6, "4": 0.56, "5": 0.55, "6": 0.5}}
    assert report.k_held(held_params)[0] and report.k_held({"n_topics_found": 7})[0]  # no sample, nothing to hold
    held, agreement = report.k_held(weak_params)
    assert not held and agreement == pytest.approx(0.58)
    assert "No number reached it" in report.k_choice_paragraph(weak_params)
    assert "No number reached it" not in report.k_choice_paragraph(held_params)


def font_lists(page: str) -> list[str]:
    """Every font list a page's CSS holds: font-family declarations, font-family custom properties and
    font shorthands, in its stylesheets and style attributes."""
    import re

    return [m[2] for m in re.finditer(r"(--[\w-]*font-family[\w-]*|(?<![\w-])font-family|(?<![\w-])font)\s*:\s*([^;{}\"]+)", page)]


def test_the_report_names_no_font_the_project_does_not_ship():
    import re
    from pathlib import Path

    from topicmap.report import fonts

    page = (Path(__file__).resolve().parents[1] / "reports" / "report.html").read_text(encoding="utf-8")
    lists = font_lists(page)
    assert len(lists) > 20  # JupyterLab's own, pointed at the shipped fonts, and the template's
    assert [value for value in lists if not fonts.shipped_font_list(value)] == []
    faces = re.findall(r"@font-face\s*{([^}]*)}", page)
    assert sorted(re.search(r"font-family:\s*'([^']+)'", face)[1] for face in faces) == sorted(
        family for family, *_ in fonts.FACES)
    assert all(re.search(r"src:\s*url\(data:font/woff2;base64,[A-Za-z0-9+/=]+\) format\('woff2'\);", face)
               and "local(" not in face for face in faces)  # embedded, never a system font or a file
    embedded = pdf_fonts(Path(__file__).resolve().parents[1] / "reports" / "report.pdf")
    assert embedded and all(name.startswith(b"topicmap-DejaVu-Sans") for name in embedded), embedded


def test_every_font_list_of_a_stylesheet_is_pointed_at_the_shipped_fonts():
    from topicmap.report import fonts

    page = ("<html><head><style>:root { --ui-font-family: system-ui, 'Segoe UI',\n    helvetica, sans-serif;\n"
            "--code-font-family: var(--other); } p { font-family: Menlo, 'DejaVu Sans Mono', monospace } "
            "h1 { font-family: serif; } td { font-family: inherit; } code { font-family: 'topicmap DejaVu Sans Mono', monospace; }"
            "</style></head><body><p>font-family: Arial is text, not style; Ĳ ‰</p></body></html>")
    out = fonts.embed_fonts(page)
    styles = out[:out.index("<body>")]
    assert "system-ui" not in styles and "Menlo" not in styles and "serif;" not in styles.replace("sans-serif;", "")
    assert f"--ui-font-family: {fonts.SANS_STACK};" in styles and f"p {{ font-family: {fonts.MONO_STACK} }}" in styles
    assert "--code-font-family: var(--other);" in styles and "td { font-family: inherit; }" in styles
    assert "font-family: Arial is text" in out  # the page's text is left as it is
    assert all(fonts.shipped_font_list(value) for value in font_lists(styles))


def test_the_embedded_fonts_hold_every_character_of_the_page_and_no_time_stamp():
    import io

    from fontTools.ttLib import TTFont

    from topicmap.report import fonts

    characters = fonts.characters_of("<p>Ĳ &#8240; &eacute;\u202f: 中</p>")
    assert {ord("Ĳ"), ord("‰"), ord("é"), ord("€"), 0x202F} <= characters and ord("\n") not in characters
    assert fonts.missing_characters(characters) == ["中"]  # DejaVu has no Chinese: said, not hidden
    original = TTFont(str(fonts.font_folder() / "DejaVuSans.ttf"))
    first = fonts.subset_woff2(fonts.font_folder() / "DejaVuSans.ttf", characters)
    face = TTFont(io.BytesIO(first))
    assert face.flavor == "woff2" and ord("Ĳ") in face.getBestCmap() and ord("ж") not in face.getBestCmap()
    assert face["head"].modified == original["head"].modified  # not the time of the run
    assert fonts.subset_woff2(fonts.font_folder() / "DejaVuSans.ttf", characters) == first


def test_a_page_renders_in_the_shipped_fonts_alone_with_or_without_system_fonts(tmp_path):
    pytest.importorskip("weasyprint")
    from conftest import render_pdf_without_system_fonts
    from topicmap.report import fonts, write_pdf

    html = tmp_path / "report.html"
    html.write_text(fonts.embed_fonts(
        "<html><head><meta charset=\"utf-8\"><style>body { font-family: Arial, sans-serif } b { font-family: system-ui }</style>"
        "</head>"
        "<body><h1>Thèmes</h1><p>Le même texte, <i>italique</i>, <b>gras</b> et <code>code</code> "
        "<em><code>penché</code></em> – “cité”…</p></body></html>"), encoding="utf-8")
    bare = render_pdf_without_system_fonts(html, tmp_path / "bare.pdf", tmp_path)  # with no font, it once crashed
    if bare is None:
        pytest.skip("Pango is missing: no PDF")
    with_system_fonts = write_pdf(html, tmp_path / "system.pdf")
    assert with_system_fonts.read_bytes() == bare.read_bytes()
    assert pdf_fonts(bare) == {b"topicmap-DejaVu-Sans", b"topicmap-DejaVu-Sans-Bold", b"topicmap-DejaVu-Sans-Italic",
                               b"topicmap-DejaVu-Sans-Mono", b"topicmap-DejaVu-Sans-Mono-Italic"}


def pdf_fonts(pdf) -> set[bytes]:
    """The names of the fonts a PDF embeds (without their subset tags), from its compressed object streams."""
    import re
    import zlib

    names = set()
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf.read_bytes(), re.DOTALL):
        try:
            names |= set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([\w-]+)", zlib.decompress(stream[1])))
        except zlib.error:
            continue
    return names
