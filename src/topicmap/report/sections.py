"""The report, step 2 of 2: the sections, each rendered from the results files when the report is built.

``notebooks/04_report.ipynb`` is the report: its markdown cells hold the fixed prose, and its code cells
call the ``*_section`` functions here, which render every number from the results files (never typed by
hand) and HTML-escape every piece of corpus text. Every section takes the run as ``analysis.Analysis``,
read back from the results folder (``load_report_data``).
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..analysis import METRICS_FILE, Analysis, ResultsMissing, load_analysis
from ..config import Settings
from ..language import language_name, other_language_name
from ..metrics.evaluation import MEASURE_NAMES, shown_number
from ..paragraphs import FRONT_MATTER, PASSAGE, REPEATED
from ..representations.alignment import ANCHOR_NEIGHBOURS
from ..topics.base import LABEL_WORDS_AGREE, OUTLIER, Topic
from ..topics.names import FEW_PARAGRAPHS, MIN_SUPPORT
from ..topics.number_of_themes import LEAST_RUN_CLUSTERS, SCAN_RUNS
from ..figures.covariates import MAX_THEMES_OVER_TIME
from ..topics.words import MIN_LABEL_LANGUAGE_SHARE, compared_languages

QUOTE_WORDS = 60


def load_report_data(settings: Settings) -> Analysis:
    """The run in the settings' results folder (``analysis.load_analysis``), which the report needs evaluated:
    ``ResultsMissing`` saying what to run when it is not."""
    analysis = load_analysis(settings)
    if analysis.metrics is None:
        raise ResultsMissing(f"the report needs the evaluation of the models ({settings.results_path / METRICS_FILE} "
                             "missing): run `make report` or `topicmap figures` first (a few minutes on the seeds)")
    return analysis


def topic_dicts(data: Analysis, model: str) -> list[dict]:
    """The topics of ``model`` as the results file holds them (``Topic.to_json``)."""
    return [topic.to_json() for topic in data.results[model].topics]


# --- rendering helpers ----------------------------------------------------------------------------

escape = html.escape


def figure_html(path: Path, caption: str) -> str:
    """A figure embedded as a base64 PNG, so the report is one self-contained file."""
    if not Path(path).is_file():
        return f'<p class="missing-figure">Figure not available: {escape(Path(path).name)}</p>'
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return (f'<figure><img style="max-width:100%" alt="{escape(caption)}" src="data:image/png;base64,{data}"/>'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def table_html(table: pd.DataFrame, floats: str = "{:.2f}") -> str:
    """A pandas table as escaped HTML; a measure that does not apply (NaN: no pairs in a one-language
    corpus) reads as a dash."""
    return table.to_html(index=False, escape=True, border=0, classes="report-table", na_rep="–",
                         float_format=lambda v: number(v, floats))


def number(value: float, form: str = "{:.2f}") -> str:
    """A measure as the report and the notebooks print it (``metrics.evaluation.shown_number``)."""
    return shown_number(value, form)


def quote(text: str, words: int = QUOTE_WORDS) -> str:
    """The first ``words`` words of a paragraph (an ellipsis marks a cut), HTML-escaped."""
    parts = str(text).split()
    cut = " ".join(parts[:words]) + (" …" if len(parts) > words else "")
    return escape(cut)


def _joined(words: list) -> str:
    """Words joined as a sentence lists them: "a", "a and b", "a, b and c"."""
    words = [str(word) for word in words]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def in_units(text: str, unit: str) -> str:
    """``text``, written of paragraphs, said of the model's units: whole articles at the document unit (the method
    and the themes' descriptions speak of what the model grouped, never of quotes). A figure is left as it is."""
    if unit == "paragraph" or text.startswith("<figure"):
        return text
    text = re.sub(r"\b([Aa]) paragraph\b", lambda m: f"{m.group(1)}n {unit}", text)
    return re.sub(r"\b([Pp])aragraph(s?)\b", lambda m: ("A" if m.group(1) == "P" else "a") + unit[1:] + m.group(2),
                  text)


def _listed(rows: list[dict]) -> str:
    """Themes' names in italics, joined as a sentence lists them ("a, b and c")."""
    return _joined([f"<i>{escape(r['theme']['label'])}</i>" for r in rows])


def _median(values) -> str:
    """The median of counts as a reader writes it: "14", or "14.5" between two counts."""
    median = float(pd.Series(list(values) or [0]).median())
    return f"{median:.0f}" if median.is_integer() else f"{median:.1f}"


def units_word(data: Analysis) -> str:
    """What the model's units are, as a reader calls them: paragraphs, or whole articles (``--unit document``)."""
    return "article" if data.settings.unit == "document" else "paragraph"


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


#: What a reader should call each embedding backend (``Settings.embedding``).
EMBEDDING_NAMES = {"use": "Google's multilingual Universal Sentence Encoder",
                   "minilm": "the English sentence encoder all-MiniLM-L6-v2"}


def embedding_name(name: str) -> str:
    return EMBEDDING_NAMES.get(name, name)


def model_name(name: str) -> str:
    from ..topics.registry import display_name

    return display_name(name)


def topic_rows(data: Analysis, model: str) -> list[dict]:
    """The topics of one model that are themes (outliers excluded), with their stability across seeds. A theme is a
    finding when its words hold across seeds, its paragraphs stay together, and it is not a catch-all (a remainder
    of paragraphs closer to other themes than to their own is not one subject, however stable), nor trivial: the
    only theme, or a theme of one unit."""
    measures = data.primary_measures if model == data.primary else data.metrics["models"][model]
    overlap = measures["topic_overlap_across_seeds"]
    threshold = data.metrics["stable_overlap_threshold"]
    least_consensus = data.metrics.get("min_theme_consensus", 0.5)
    # themes of a number that did not hold on two samples depend on the sample: none of them is a finding
    division_held = k_held(data.results[model].params)[0]
    themes = [topic for topic in topic_dicts(data, model) if topic["id"] != OUTLIER]
    rows = []
    for topic in themes:
        stability = float(overlap.get(str(topic["id"]), float("nan")))
        loose = topic.get("consensus") is not None and topic["consensus"] < least_consensus
        silhouette = measures.get("silhouette_per_topic", {}).get(str(topic["id"]))
        catch_all = silhouette is not None and silhouette < 0
        # one theme divides nothing, and a theme of one unit is that unit's subject, not a theme of the corpus
        trivial = len(themes) == 1 or topic["size"] < 2
        # a theme merged by hand was never a cluster of the runs: whether its paragraphs stay together is unmeasured
        merged = bool(topic.get("merged_from"))
        rows.append({**topic, "stability": stability, "loose": loose, "silhouette": silhouette,
                     "catch_all": catch_all, "division_held": division_held, "trivial": trivial,
                     "finding": stability >= threshold and not loose and not catch_all and division_held
                     and not trivial and not merged})
    return rows


# --- the sections -----------------------------------------------------------------------------------


def title_section(data: Analysis) -> str:
    """The report's title and question: the corpus description's, or a generic one."""
    description = data.description
    title = description.title or f"Themes in {_plural(data.paragraphs['doc'].nunique(), 'article')}"
    languages = compared_languages(data.paragraphs["lang"].to_numpy())
    question = description.question or ("Which themes run through these articles" + (
        ", and do the languages of the corpus cover them alike?" if len(languages) > 1 else "?"))
    return (f"<h1>{escape(title)}</h1><p><b>Question.</b> <i>{escape(question)}</i></p>")


#: Below this many articles in a language, the main limitation is that its paragraphs come from few articles.
FEW_ARTICLES = 10


def summary_section(data: Analysis) -> str:
    """Page 1: the question, the answer in a few sentences, each theme in one line with its share in each
    language, which differences hold, how sure the themes are, and the main limitation."""
    from ..metrics.covariates import MIN_DOCUMENTS

    p = data.paragraphs
    rows = sorted(topic_rows(data, data.primary), key=lambda r: -r["size"])
    findings = [r for r in rows if r["finding"]]
    langs, comparison = language_comparison(data)
    m = data.primary_measures
    # the languages compared; a further language of the corpus is counted in articles and given its shares, a
    # handful of paragraphs in other languages is said, and neither weighs on the comparison
    units = result_units(data)  # the languages of the model's units (paragraphs, or whole articles) decide
    compared, further = compared_languages(units["lang"].to_numpy()), uncompared_shares(data)
    articles = p.groupby("lang")["doc"].nunique().reindex(compared + list(further), fill_value=0)
    names = {lang: escape(language_name(lang)) for lang in set(p["lang"]) | set(units["lang"])}
    by_size = sorted(articles.index, key=lambda lang: -articles[lang])
    corpus = ", ".join(f"{_plural(int(articles[lang]), 'article')} in {names[lang]}" for lang in by_size)
    if articles.sum() > p["doc"].nunique():  # an article with paragraphs in two languages is in both counts
        corpus = (f"{_plural(p['doc'].nunique(), 'article')}, " +
                  ", ".join(f"{int(articles[lang]):,}{' of them with paragraphs' if i == 0 else ''} in {names[lang]}"
                            for i, lang in enumerate(by_size)))
    elsewhere = p.loc[~p["lang"].isin(list(articles.index)), "lang"]
    if len(elsewhere):
        corpus += (f", and {_plural(len(elsewhere), 'paragraph')} in " +
                   ", ".join(escape(other_language_name(lang)) for lang in elsewhere.value_counts().index))
    listed = ", ".join(f"<i>{escape(r['label'])}</i>" for r in findings[:4])
    division_held, division_agreement = k_held(data.results[data.primary].params)  # NaN: the fit was not sampled
    what = in_units("holds when the model is refitted, whose paragraphs stay together in most of the consensus's runs, "
                    "and that is not a catch-all" +
                    (", nor a single paragraph or the only theme" if any(r["trivial"] for r in rows) else "") +
                    ("" if division_agreement != division_agreement else
                     ", in a division into this many themes that two samples of the corpus agree on"), units_word(data))
    held_by = (f"none of them is a finding (a finding is a theme that {what}" +
               ("; here the division itself did not hold on two samples, so no theme of it is one)" if not division_held
                else ")") if not findings else
               f"{len(findings)} of them {'is a finding' if len(findings) == 1 else 'are findings'} (a finding is a "
               f"theme that {what}); the largest: {listed}")
    taken = "" if units_word(data) == "paragraph" else "; the model groups whole articles, not their paragraphs"
    params = data.results[data.primary].params
    found = (f"{_plural(int(params['n_topics_found']), 'theme')}, {len(rows)} once merged as the corpus description "
             "asks" if params.get("themes_merged") and params.get("n_topics_found") else _plural(len(rows), 'theme'))
    answer = [f"<p><b>In short.</b> Across {corpus} ({_plural(len(p), 'paragraph')}{taken}), the model finds "
              f"{found}; {held_by}."]
    if comparison:
        first, second = langs
        in_both = [written_in_both(r) for r in comparison]
        holds = [r for r in comparison if r["verdict"] == "holds" and r["theme"]["finding"]]
        # differences that hold on themes that are not findings: said as such, never as "no difference holds"
        unfounded = [r for r in comparison if r["verdict"] == "holds" and not r["theme"]["finding"]]
        how_many = (("the theme is" if sum(in_both) else "the theme is not") if len(rows) == 1 else
                    f"{sum(in_both)} of the {len(rows)} themes {'is' if sum(in_both) == 1 else 'are'}")
        answer.append(f" {how_many.capitalize()} written about in both {names[first]} and "
                      f"{names[second]} (neither language gives the theme less than {SHARED_THEME_RATIO:.0%} of the "
                      "share the other gives it)")
        one_sided = [r for r, both in zip(comparison, in_both) if not both]
        only = {lang: [r for r in one_sided if min(r["counts"].values()) == 0 and r["counts"].get(lang, 0) > 0]
                for lang in langs}
        mostly = [r for r in one_sided if min(r["counts"].values()) > 0]
        said = [f"{_listed(rows)} {'is' if len(rows) == 1 else 'are'} only in the {names[lang]} {units_word(data)}s"
                for lang, rows in only.items() if rows]
        if mostly:
            said.append(f"{_listed(mostly)} {'is' if len(mostly) == 1 else 'are'} mostly one language's")
        neither = [r for r in one_sided if max(r["counts"].values()) == 0]
        if neither:
            said.append(f"{_listed(neither)} {'is' if len(neither) == 1 else 'are'} in neither, only in other "
                        "languages'")
        if said:
            answer.append("; " + "; ".join(said))
        answer.append("." if len(comparison) == 1 else  # one theme says nothing of how languages share themes
                      ", so the two languages largely share their themes." if 2 * sum(in_both) > len(comparison) else
                      ", so the two languages share half of their themes." if 2 * sum(in_both) == len(comparison) else
                      ", so the two languages mostly cover different themes.")
        unnamed = sum(Topic.from_json(r["theme"]).label_halves_agree() is False for r in comparison)
        if unnamed:
            answer.append(f" But for {unnamed} of them the paragraphs that use the {names[first]} name and those "
                          f"that use the {names[second]} one are less alike than one theme's paragraphs in the two "
                          "languages usually are (the check is in the method): "
                          "such a theme may join neighbouring subjects of the two languages, and its shares say less.")
        if not all(r["estimable"] for r in comparison):
            answer.append(" " + _unestimated_sentence(data, langs)[0].upper() + _unestimated_sentence(data, langs)[1:])
        else:
            compared_themes = sum(r["verdict"] in ("holds", "confounded", "chance") for r in comparison)
            by_chance = (f" (of the {compared_themes} themes compared at 95%, about {0.05 * compared_themes:.1f} would "
                         "differ this way by chance alone)" if compared_themes > 1 else "")
            answer.append(" Between the languages, " + (
                "; ".join(_difference_sentence(r, first, second, units_word(data)) for r in holds) + by_chance + "."
                if holds else
                "no difference of coverage holds beyond chance on a theme that is a finding." if unfounded else
                "no difference of coverage holds beyond chance."))
            if unfounded:
                answer.append(f" {_plural(len(unfounded), 'difference')} beyond chance "
                              f"{'is' if len(unfounded) == 1 else 'are'} on themes that are not findings, so "
                              f"{'it says' if len(unfounded) == 1 else 'they say'} little: " +
                              "; ".join(_difference_sentence(r, first, second, units_word(data)) for r in unfounded) +
                              ".")
        others = [r for r in comparison if r["verdict"] in ("confounded", "absent", "neither")]
        if others:
            answer.append(" " + other_differences(others, first, second, units_word(data)))
        if further:
            held = ", ".join(f"{names[lang]} ({(units['lang'] == lang).mean():.0%} of the {units_word(data)}s)"
                             for lang in further)
            answer.append(f" The comparison is between the two largest languages, {names[first]} and {names[second]}: "
                          f"{held} {'is' if len(further) == 1 else 'are'} not compared, but each theme's share of "
                          f"{'its' if len(further) == 1 else 'their'} {units_word(data)}s is listed below.")
    answer.append("</p>")
    parts = ["".join(answer)]
    if comparison:
        first, second = langs
        lines = []
        for r in comparison:
            theme = r["theme"]
            share = "; ".join(f"{names[lang]} {_share_with_interval(r['shares'][lang])}" for lang in langs)
            reading = "" if r["verdict"] == "unestimated" else f"; {VERDICT_WORDS[r['verdict']]}"
            uncompared = "".join(f"; {names[lang]} {_share(shares[theme['id']])}, not compared"
                                 for lang, shares in further.items())
            lines.append(f"<li><b>{escape(theme_name(theme))}</b>{theme_flags(theme, data)}: {share} of each "
                         f"language's {units_word(data)}s{reading}{uncompared}.</li>")
        unestimated = not all(r["estimable"] for r in comparison)
        parts.append(f"<p><b>The themes</b>, largest first, with each language's share of its {units_word(data)}s" +
                     ("" if unestimated else " and the 95% interval (articles resampled); a theme is said to differ "
                      "between the languages only when the 95% interval of the difference excludes zero") + ":</p><ul>" +
                     "".join(lines) + "</ul>")
    elif rows:  # one language: each theme's share of the units, with no comparison to make
        lines = [f"<li><b>{escape(theme_name(theme))}</b>{theme_flags(theme, data)}: "
                 f"{_share(theme['size'] / len(units))} of the {units_word(data)}s.</li>" for theme in rows]
        parts.append(f"<p><b>The themes</b>, largest first, with each one's share of the {units_word(data)}s:</p><ul>" +
                     "".join(lines) + "</ul>")
    merged = (" shown, merged as the corpus description asks, and the refits, merged alike,"
              if data.results[data.primary].params.get("themes_merged") else "")
    parts.append(f"<p><b>How sure.</b> Refitted with {_plural(len(data.metrics['seeds']), 'random seed')}, the themes"
                 f"{merged} agree at an adjusted Rand index of {m['stability_ari']:.2f} (1 = identical); " + (
                     f"{len(rows) - len(findings)} of {_plural(len(rows), 'theme')} "
                     f"{'is' if len(rows) - len(findings) == 1 else 'are'}" if len(findings) < len(rows) else
                     "no theme is") + " flagged as not a finding. The themes section quotes each theme's "
                 "paragraphs, so a reader can judge them.</p>")
    fewest = int(articles[compared].min()) if compared else 0
    if not division_held:
        tried = {int(k): float(a) for k, a in data.results[data.primary].params["k_agreement"].items()}
        best = max(tried, key=lambda k: (tried[k], -k))
        chosen = int(data.results[data.primary].params["n_topics_found"])
        limitation = (f"no number of themes gave the same division on two samples of the corpus: the {chosen} themes "
                      f"shown agree at an adjusted Rand index of {division_agreement:.2f} (1 = identical)" +
                      (f"; the number whose divisions agreed best, {best}, at {tried[best]:.2f}" if best != chosen else "") + ": the "
                      "themes are a rough division that depends "
                      "on the paragraphs sampled, and their names and shares should be read as such.")
    elif fewest < FEW_ARTICLES:
        few = [lang for lang in compared if articles[lang] < FEW_ARTICLES]
        sources = " and ".join(f"the {names[lang]} ones from {_plural(int(articles[lang]), 'article')}" for lang in few)
        limitation = (f"the paragraphs rest on few articles ({sources}): a theme's share in a language "
                      "can be one article's subject. " +
                      ("Too few to estimate a difference between the languages; " if fewest < MIN_DOCUMENTS else
                       "The intervals resample articles, so they are wide; ") +
                      "the shares describe these articles only.")
    elif len(compared) < 2:
        limitation = (f"every article is in {names[compared[0]] if compared else 'one language'}, so "
                      "the question of how the languages differ cannot be asked of this corpus; the themes, and "
                      "their shares by source and over time where the articles say so, are what it shows.")
    else:
        limitation = ("the shares describe these articles: the intervals resample them, but say nothing of articles "
                      "the corpus does not hold, and a theme found here may be named or divided otherwise on "
                      "another sample of such articles.")
    parts.append(f"<p><b>Main limitation.</b> {limitation[0].upper() + limitation[1:]}</p>")
    return "\n".join(parts)


#: A list of at most this many lines is short: it stays above its figure (``articles_section``).
SHORT_LIST = 10
#: Articles listed in the corpus table (half a page); the results folder keeps all.
ARTICLES_LISTED = 15
#: Lines set aside listed in the report (a page of them); the results folder keeps all.
MAX_DROPPED_SHOWN = 30


def _repeated_note(reasons: pd.Series, settings: Settings) -> str:
    """What "repeated in N documents" and "passage repeated in N documents" mean, when segmentation set such
    paragraphs or passages aside."""
    note = ""
    if any(str(reason).startswith(REPEATED) for reason in reasons.index):
        note += (f" A paragraph repeated in {settings.boilerplate_min_documents} articles or more, compared without "
                 "case, digits or punctuation, is "
                 "boilerplate (a footer, navigation, a line of a help page): every copy is set aside, as a line many "
                 "articles share says nothing of the subject of any one.")
    if any(str(reason).startswith(PASSAGE) for reason in reasons.index):
        note += (f" So is a passage of {settings.boilerplate_passage_words} words or more that the paragraphs of "
                 f"{settings.boilerplate_passage_min_documents} articles or more hold (a share bar or a newsletter "
                 "plea a scraper glued to a paragraph): the sentences it covers whole, and a list of names, are cut "
                 "out; boilerplate glued inside a sentence, or shorter, stays in the paragraphs.")
    return note


def corpus_section(data: Analysis) -> str:
    """Documents, languages, paragraphs, and what segmentation dropped (every number computed)."""
    p, dropped = data.paragraphs, data.dropped
    langs = p["lang"].value_counts()
    lang_text = ", ".join(f"{_plural(int(n), 'paragraph')} in <b>{escape(language_name(str(lang)))}</b>"
                         for lang, n in langs.items())
    per_doc = p.groupby("doc").agg(paragraphs=("id", "size"), words=("n_words", "sum"),
                                   language=("lang", lambda s: ", ".join(sorted({language_name(x) for x in s})))
                                   ).reset_index()
    per_doc.insert(0, "article", per_doc.pop("doc").map(data.article))
    per_doc = per_doc.sort_values("paragraphs", ascending=False, kind="stable")
    listed = (f" The {ARTICLES_LISTED} largest articles are listed; every one is in <code>results/paragraphs.csv</code>."
              if len(per_doc) > ARTICLES_LISTED else "")
    per_doc = per_doc.head(ARTICLES_LISTED)
    reasons = dropped["reason"].value_counts()
    passages = int(dropped["reason"].astype(str).str.startswith(PASSAGE).sum())
    set_aside = _plural(len(dropped) - passages, "line") + (f" and {_plural(passages, 'passage')}" if passages else "")
    reason_text = "; ".join(f"{escape(str(r))}" + (", read as the article's title, date and source"
                                                   if r == FRONT_MATTER else "") + f": {int(n)}"
                            for r, n in reasons.items())
    parts = [
        f"<p>The corpus holds <b>{_plural(p['doc'].nunique(), 'article')}</b>, segmented into "
        f"<b>{_plural(len(p), 'paragraph')}</b> ({lang_text}). Paragraphs have a median length of "
        f"{p['n_words'].median():.0f} words (range {p['n_words'].min()}–{p['n_words'].max()}). " +
        (f"Segmentation set aside <b>{set_aside}</b> that are not content ({reason_text}); each is listed with "
         f"its reason, so nothing is lost silently.{_repeated_note(reasons, data.settings)}" if len(dropped) else
         "Segmentation set aside no line: every line is in a paragraph or a heading.") + f"{listed}</p>",
        table_html(per_doc),
        figure_html(data.figure("corpus_paragraphs_per_document"), "Paragraphs per article, by paragraph language."),
        figure_html(data.figure("corpus_paragraph_lengths"), "Paragraph length distribution, by language."),
    ]
    if len(dropped):
        # the lines a reader should check first: front matter, read as metadata, comes last
        dropped = dropped.sort_values("reason", key=lambda r: r == FRONT_MATTER, kind="stable")
        shown = dropped.head(MAX_DROPPED_SHOWN).assign(doc=dropped["doc"].map(data.article),
                                         text=dropped["text"].map(lambda t: " ".join(str(t).split()[:20])))
        more = (f" (the first {MAX_DROPPED_SHOWN} of {len(dropped):,}; every one is in <code>results/dropped.csv</code>)"
                if len(dropped) > MAX_DROPPED_SHOWN else "")
        parts += [f"<details><summary>Lines {'and passages ' if passages else ''}set aside{more}</summary>",
                  table_html(shown), "</details>"]
    return "\n".join(parts)


def method_section(data: Analysis) -> str:
    """The primary model in plain words, with the few parameters that matter, read from the results."""
    params = data.results[data.primary].params
    m = data.primary_measures
    seeds = data.metrics["seeds"]
    anchors = params.get("anchor_pairs") or {}
    reference = params.get("reference_language", "")
    anchor_text = ("; ".join(f"{_plural(int(n), 'pair')} between {escape(language_name(lang))} and "
                             f"{escape(language_name(reference))}" for lang, n in anchors.items())
                   or ("no pairs: the corpus has one language, so nothing is moved"
                       if data.paragraphs["lang"].nunique() < 2 else "no pairs were found, so nothing is moved"))
    chosen = how_many_chosen(params) + (" (below)" if params.get("n_topics_chosen_by") == "scan" else "")
    sampled = (f"On a corpus this large both steps are fitted on a seeded sample of "
               f"{_plural(params['n_fit_units'], 'paragraph')}; "
               f"{'every paragraph is aligned, and ' if len(compared_languages(result_units(data)['lang'].to_numpy())) > 1 else ''}"
               "every other paragraph joins the theme most of its nearest sampled paragraphs are in. "
               if params.get("n_fit_units", 0) < len(data.results[data.primary].assignments) else "")
    moved = ("Each paragraph of the smaller language moves by the shift of the anchors near it. " if anchors else "")
    compared = compared_languages(result_units(data)["lang"].to_numpy())
    bilingual = len(compared) > 1
    return "\n".join(in_units(part, units_word(data)) for part in [
        f"<p>The report relies on <b>{escape(model_name(data.primary))}</b>. Each paragraph becomes a vector "
        f"with {escape(embedding_name(data.settings.embedding))} (shipped with the project; nothing is downloaded)" +
        (f", so paragraphs on the same subject in {escape(language_name(compared[1]))} and "
         f"{escape(language_name(compared[0]))} lie close together, though each language also shifts its vectors a "
         "little.</p>" if bilingual else
         f": the corpus is in one language ({escape(language_name(compared[0])) if compared else 'none recognised'}), "
         "so nothing is aligned and each theme is named in that language.</p>"),
        "" if not bilingual else "<p><b>Aligning the languages.</b> That shift is measured on <i>anchors</i>: pairs of paragraphs, one in "
        f"each language, each among the other's {ANCHOR_NEIGHBOURS} nearest neighbours in the other language (a "
        "paragraph can be in several pairs), so likely to speak of one "
        f"subject ({anchor_text}); they are neighbours, not translations of each other. {moved}"
        "Unlike subtracting each language's average, this leaves alone what one language's paragraphs are "
        "about and the other's are not, so a difference between the languages can still be found.</p>",
        f"<p><b>Finding themes by consensus.</b> The paragraphs are grouped {params.get('n_runs_used')} times, "
        f"each time a random {_percent(params.get('sample_fraction', 0.9))} of them, into communities of the graph "
        "that links each paragraph to its nearest neighbours (the Leiden algorithm), each time with another "
        "random seed. The themes are then cut from how often each pair of paragraphs was grouped together, of the "
        "groupings that drew both (spectral clustering of that matrix): paragraphs the groupings keep together "
        "end in one theme. "
        + sampled
        + f"<b>{params.get('n_topics_found')} themes</b>, a number chosen {chosen}"
        + (f" ({data.results[data.primary].n_topics} once merged as the corpus description asks, below). "
           if params.get("themes_merged") else ". ")
        + f"Refitted with {_plural(len(seeds), 'seed')}, the themes agree at an adjusted Rand index of "
        f"{m['stability_ari']:.2f} (1 = identical).</p>",
        k_choice_paragraph(params),
        figure_html(data.figure(f"{data.primary}_number_of_themes"), "Why this many themes: each candidate number's "
                    "score, and, for comparison, the split-half stability, which does not decide.") if params.get("k_scan") else "",
        edits_paragraph(data),
        "<p><b>Naming the themes.</b> A theme's candidate words, per language, are those its paragraphs use more "
        "than the rest of the corpus (BERTopic's class-based TF-IDF), ranked by meaning as BERTopic's "
        "KeyBERTInspired does: close to the theme's paragraphs, far from the other themes'. A part-of-speech "
        "tagger (spaCy for French, TextBlob for English) leaves out verbs, adverbs and numbers. The name takes one "
        "noun phrase of one to four words per language, found as such in the theme's paragraphs (never across a "
        "number or punctuation), scored by how frequent and exclusive it is in the theme (stm's FREX) and by "
        "meaning as above, and no two themes' names share a word (compared as stems: “objet” and “objets” are one "
        "word; when an earlier, larger theme's name holds a word of a theme's only agreeing pair, the earlier theme "
        "is named otherwise if it can be without losing its agreement). " + (
        "The two phrases are chosen together, and "
        "checked twice: their multilingual vectors must be close, and the theme's paragraphs that use each must "
        "be nearer in meaning to one theme's paragraphs in the two languages than to two different themes'. "
        "False friends (“materials” and “matériel”, computer hardware) pass the first check and fail the second. "
        "When no pair of the best-ranked phrases passes both, every candidate phrase is searched for a pair that "
        "reads as a translation and passes the second check; when there is none, each language keeps its own "
        "phrase and the name is flagged. " if bilingual else "") +
        f"A phrase is a candidate when at least {MIN_SUPPORT} of the theme's "
        "paragraphs in its language use it (one, when no phrase is used twice)" + (
        f"; where a theme has fewer than {FEW_PARAGRAPHS} paragraphs in a language and no pair passes, a phrase of "
        "one of them is tried, and kept only in a pair that passes" if bilingual else "") + ". Every number here is computed from the results; how this model compares "
        "with simpler ones on labelled corpora is measured in <code>benchmarks/</code>.</p>",
    ])


def _themes_listed(ids: list[int]) -> str:
    return ("theme " if len(ids) == 1 else "themes ") + _joined(sorted(ids))


def edits_paragraph(data: Analysis) -> str:
    """Which themes of the report's model the corpus description (corpus.toml's ``[themes]``) merged and
    named by hand, and what the measures of a merged theme mean (``topics.edits``); empty without edits."""
    result = data.results[data.primary]
    merged = [t for t in result.topics if t.merged_from]
    by_hand = [t for t in result.topics if t.named_by == "hand"]
    if not merged and not by_hand:
        return ""
    said = []
    if merged:
        said.append("; ".join(f"{_themes_listed(t.merged_from)} merged into one, theme {t.id}" for t in merged) +
                    " (the ids are the model's, as this report numbers its themes). A merged theme's words and "
                    "quotes are read from all its paragraphs. Its consensus is not measured: the model's runs never "
                    "grouped its paragraphs as one theme. Its word overlap and the agreement across seeds compare "
                    "the themes shown with the model's refits merged alike: each theme of a refit joins the merged "
                    "theme it shares most paragraphs with.")
    if by_hand:
        names = "; ".join(f"theme {t.id}, “{escape(t.label)}”" +
                          (f" (the tool named it “{escape(t.model_label)}”)" if t.model_label else "") for t in by_hand)
        said.append(f"{'The name' if len(by_hand) == 1 else 'The names'} of {_themes_listed([t.id for t in by_hand])} "
                    f"{'is' if len(by_hand) == 1 else 'are'} given by hand: {names}. A name given by hand is not "
                    "checked by use (that check judges the tool's choice of words), so it is never flagged.")
    return "<p><b>Themes as the corpus description asks.</b> Its <code>[themes]</code> table edits the model's " \
           "themes: " + " ".join(said) + "</p>"


def edit_note(row: dict) -> str:
    """A theme's edits by the corpus description, said where the theme is shown."""
    note = ""
    if row.get("merged_from"):
        note += (f" It joins the model's {_themes_listed(row['merged_from'])}, as the corpus description asks; "
                 "its consensus is not measured, as the model never grouped its paragraphs as one theme.")
    if row.get("named_by") == "hand":
        note += " Its name is given by hand in the corpus description" + (
            f" (the tool named it “{escape(row['model_label'])}”)." if row.get("model_label") else ".")
    return note


def label_note(row: dict) -> str:
    """Whether the two halves of a bilingual label say one thing, and how that was checked: the cosine of the
    two words' multilingual vectors, and how alike the theme's paragraphs that use each word are, against one
    theme's and two different themes' paragraphs in the two languages (``Topic.label_halves_agree``)."""
    agreement = row.get("label_agreement")
    if agreement is None or len(row.get("label_by_lang", {})) != 2:
        return ""
    (first, first_word), (second, second_word) = row["label_by_lang"].items()
    if agreement < LABEL_WORDS_AGREE:
        return (f" The two halves of its name are far apart in meaning (cosine {agreement:.2f} of their multilingual "
                "vectors): the languages may speak of the theme in different terms; read its paragraphs.")
    words = f"The two halves of its name are close as words (cosine {agreement:.2f} of their multilingual vectors)"
    if not row.get("label_usage"):
        return f" {words}."
    used, one_theme, two_themes = row["label_usage"]
    used_by = (f"the {escape(language_name(first))} paragraphs that use “{escape(first_word)}” and the "
               f"{escape(language_name(second))} ones that use “{escape(second_word)}”")
    if not Topic.from_json(row).label_halves_agree():
        return (f" {words}, but {used_by} are closer to how alike two different themes' paragraphs are ({two_themes:.2f}) "
                f"than to how alike one theme's paragraphs in the two languages are ({one_theme:.2f}): cosine "
                f"{used:.2f} of their average vectors. The two words may name different things; read its paragraphs.")
    return (f" {words}, and {used_by} are alike: cosine {used:.2f} of their average vectors, nearer to "
            f"{one_theme:.2f} (one theme's paragraphs in the two languages) than to {two_themes:.2f} (two different "
            "themes').")


def one_language_name_note(row: dict, compared: list[str], unit: str = "paragraph") -> str:
    """Why a theme written in two compared languages is named in one: the other's units are too few to name it by
    (under ``MIN_LABEL_LANGUAGE_SHARE`` of the theme)."""
    named = list(row.get("label_by_lang", {}))
    if len(named) != 1:
        return ""
    few = {lang: row["n_by_lang"].get(lang, 0) for lang in compared if lang not in named and row["n_by_lang"].get(lang, 0)}
    if not few:
        return ""
    held = " and ".join(f"its {_plural(n, escape(language_name(lang)) + ' ' + unit)}" for lang, n in few.items())
    return (f" It is named in {escape(language_name(named[0]))} only: {held} "
            f"{'is' if sum(few.values()) == 1 else 'are'} under {MIN_LABEL_LANGUAGE_SHARE:.0%} of the theme, too "
            "few to name it by.")


def catch_all_note(row: dict) -> str:
    """What a catch-all theme is, said where it is shown."""
    if not row.get("catch_all"):
        return ""
    return (f" Its paragraphs lie on average closer to other themes than to this one (silhouette "
            f"{row['silhouette']:.2f}): it gathers paragraphs that fit no other theme well, so read it as a "
            "remainder, not as one subject.")


def how_many_chosen(params: dict) -> str:
    """How the number of themes was chosen, in words."""
    return {"given": "as asked", "scan": "by comparing every candidate number"}.get(
        params.get("n_topics_chosen_by"), "by a rule of thumb (about the square root of half the number of "
                                          "paragraphs): too few paragraphs to compare two numbers")


def k_choice_paragraph(params: dict) -> str:
    """Why this many themes, in words: the scan's score per number of themes, and on a sampled fit whether two
    samples agreed on it."""
    scan = params.get("k_scan")
    if not scan:
        how = ("the number asked for" if params.get("n_topics_chosen_by") == "given" else
               "a rule of thumb (the corpus is too small to compare two numbers)")
        return (f"<p><b>How many themes.</b> {how[0].upper() + how[1:]}; notebook 03 shows, for the numbers around "
                "it, how well the themes hold together and which themes merge at a coarser number.</p>")
    chosen = int(params["n_topics_found"])
    rows = sorted((r for r in scan if r.get("run_clusters", LEAST_RUN_CLUSTERS) >= LEAST_RUN_CLUSTERS),
                  key=lambda r: -r["score"])
    by_k = {int(r["themes"]): r for r in scan}
    best = by_k[chosen]
    runner = next((r for r in rows if int(r["themes"]) != chosen), None)
    candidates = [r for r in scan if r.get("run_clusters", LEAST_RUN_CLUSTERS) >= LEAST_RUN_CLUSTERS] or scan
    stablest = max(candidates, key=lambda r: (round(r["split_half_stability"], 9), -r["themes"]))
    text = (f"<p><b>How many themes.</b> Every number from {min(by_k)} to {max(by_k)} was tried: the consensus was "
            f"refitted for each ({_plural(SCAN_RUNS, 'run')}) and scored by how well it stands for its runs (the mean "
            "mutual information between it and each run, adjusted for chance: 1 = every run found it, 0 = no more "
            "than chance) times how evenly it "
            "divides the paragraphs (the entropy of the theme sizes over its largest value, 1 = equal sizes). The "
            "evenness is there because agreement alone rewards a lopsided split: one giant theme and a few small "
            f"ones agree with themselves from run to run. {chosen} themes scored best, {best['score']:.2f} "
            f"(agreement {best['run_agreement']:.2f} x evenness {best['evenness']:.2f})")
    if runner is not None:
        text += f"; next came {int(runner['themes'])} ({runner['score']:.2f})"
    undivided = sorted(int(r["themes"]) for r in scan if r.get("run_clusters", LEAST_RUN_CLUSTERS) < LEAST_RUN_CLUSTERS)
    if undivided and len(undivided) < len(scan):
        text += (f". {_joined(undivided)} {'was' if len(undivided) == 1 else 'were'} no candidate: the runs "
                 f"found fewer than {LEAST_RUN_CLUSTERS} communities on average, so they did not divide the paragraphs")
    if int(stablest["themes"]) != chosen and stablest["evenness"] < best["evenness"]:
        text += (f". Stability alone would have chosen {int(stablest['themes'])}: two halves of its runs agree at "
                 f"{stablest['split_half_stability']:.2f}, but its largest theme holds "
                 f"{stablest['largest_share']:.0%} of the paragraphs")
    elif int(stablest["themes"]) != chosen:
        text += (f". Stability alone would have chosen {int(stablest['themes'])} (two halves of its runs agree at "
                 f"{stablest['split_half_stability']:.2f}, against {best['split_half_stability']:.2f} at {chosen}), "
                 f"whose largest theme holds {stablest['largest_share']:.0%} of the paragraphs, against "
                 f"{best['largest_share']:.0%} here; it is not what decides, because on the labelled corpora of "
                 "<code>benchmarks/</code> it preferred lopsided splits")
    ranked_by_k = sorted(candidates, key=lambda r: r["themes"])
    if chosen == max(by_k) and len(ranked_by_k) > 1 and ranked_by_k[-1]["score"] > ranked_by_k[-2]["score"]:
        text += (f". {chosen} is the most themes the scan tried, and the score was still rising there: a finer division may "
                 "score better (<code>--topics K</code> asks for K themes)")
    text += " (figure below)."
    agreement = params.get("k_agreement")
    if agreement:
        tried = ", ".join(f"{k} themes {float(a):.2f}" for k, a in agreement.items())
        held, reached = k_held(params)
        text += (" The themes are found on a sample, so they must not depend on which sample was drawn: from the "
                 "best score down, the consensus was fitted on two samples of the fit's size, as different as the corpus "
                 "allows (no paragraph in common when it holds twice as many), every paragraph placed by "
                 f"each, and the two placements compared (adjusted Rand index, 1 = identical): {tried}. "
                 + (f"{chosen} themes is the best-scoring number whose placements agree at {_k_agreement():.1f} or "
                    "more." if held else
                    f"<b>No number reached {_k_agreement():.1f}</b>: these are the best score's themes, a rough "
                    "division of the corpus that depends on the paragraphs sampled. On a corpus of many short "
                    "articles, themes of whole articles (the command line's document unit) may hold better."))
    return text + (" The other seeds of the stability check, and the model's variants compared below, keep this "
                   "number, so that they differ from it in one thing only.</p>")


def _k_agreement() -> float:
    from ..topics.crosslingual import K_AGREEMENT

    return K_AGREEMENT


def k_held(params: dict) -> tuple[bool, float]:
    """Whether the chosen number of themes held on two samples (their placements' agreement reached the
    threshold), and that agreement; (True, nan) when the fit was not sampled."""
    agreement = params.get("k_agreement")
    if not agreement:
        return True, float("nan")
    reached = float(agreement.get(str(params["n_topics_found"]), agreement.get(params["n_topics_found"], 0.0)))
    return reached >= _k_agreement(), reached


def themes_section(data: Analysis) -> str:
    """Each theme of the primary model: label, words per language, a quote, and how well it survives."""
    model = data.primary
    threshold = data.metrics["stable_overlap_threshold"]
    text_by_id = dict(zip(data.paragraphs["id"], data.paragraphs["text"]))
    doc_by_id = dict(zip(data.paragraphs["id"], data.paragraphs["doc"]))
    rows = topic_rows(data, model)
    findings = [r for r in rows if r["finding"]]
    least = data.metrics.get("min_theme_consensus", 0.5)
    mix = article_mix(data)
    langs = data.paragraphs["lang"].to_numpy()
    listed = compared_languages(langs, n=None)  # every language of the corpus, compared or not
    unit = units_word(data)
    agreement = k_held(data.results[model].params)[1]
    sampled = agreement == agreement  # NaN when the division was not measured on two samples
    if not findings:
        found = "none of them is a finding" if len(rows) > 1 else "it is not a finding"
    elif len(findings) == len(rows):
        found = "every one is a finding" if len(rows) > 1 else "it is a finding"
    else:
        found = f"{len(findings)} of them {'is a finding' if len(findings) == 1 else 'are findings'}"
    parts = [in_units(f"<p><b>{_plural(len(rows), 'theme')}</b>; <b>{found}</b>. A theme is a finding when it keeps at "
             f"least {_percent(threshold)} of its top words (best-match overlap) when the seed changes, its "
             f"paragraphs stay together in at least {_percent(least)} of the consensus's runs, and it is not a "
             "catch-all (paragraphs that lie closer to other themes than to their own)" +
             (", a single paragraph or the only theme" if any(r["trivial"] for r in rows) else "") +
             (", in a division into this many themes that two samples of the corpus agree on" if sampled else "") +
             ". The others are flagged, each with why.</p>", unit),
             # a full-page figure before the themes' text, which flows around page breaks: after it, it would
             # leave a half-empty page behind the last theme
             figure_html(data.figure(f"{model}_topic_words_by_language"), "Top words of each theme, per language.")]
    for row in sorted(rows, key=lambda r: -r["size"]):
        why = escape(why_not_a_finding(row, threshold, unit))
        flag = "" if row["finding"] else f' <span style="color:#D55E00"><b>not a finding: {why}</b></span>'
        by_lang = row.get("words_by_lang", {})
        words = "".join(f"<li><b>{escape(language_name(lang))}</b> ({_plural(row['n_by_lang'].get(lang, 0), 'paragraph')}): "
                        f"{escape(', '.join(w for w, _ in by_lang[lang][:8]))}</li>"
                        for lang in listed if by_lang.get(lang))
        stray = sum(n for lang, n in row["n_by_lang"].items() if lang not in listed)
        if stray:
            words += f"<li>and {_plural(stray, 'paragraph')} in other languages</li>"
        quotes = "".join(f'<blockquote>“{quote(text_by_id[i])}” <small>({escape(data.article(doc_by_id[i]))})</small>'
                         "</blockquote>" for i in row.get("representative_ids", [])[:2] if i in text_by_id)
        # one decimal when loose, so that 49.6% never reads as the 50% it falls short of
        together = (f"{100 * row['consensus']:.1f}%" if row["loose"] else _percent(row["consensus"])
                    ) if row.get("consensus") is not None else ""
        consensus = f"; its paragraphs stay together in {together} of the consensus's runs" if together else ""
        # The description (heading, numbers, words) stays on one page, and so does each quote, but a long theme
        # may break between them: kept whole, it was pushed to the next page and left a half-empty one.
        described = in_units(
            f"<p>{_plural(int(row['size']), 'paragraph')}; top words overlap {row['stability']:.2f} across seeds"
            f"{consensus}.{catch_all_note(row)}{edit_note(row)}{label_note(row)}"
            f"{one_language_name_note(row, compared_languages(result_units(data)['lang'].to_numpy()))}", unit)
        parts.append(
            f'<div class="theme"><div class="theme-description"><h4>{escape(theme_name(row))}{flag}</h4>'
            f"{described}{resting_note(data, mix, row)}</p>"
            f"<ul>{in_units(words, unit)}</ul></div>{quotes}</div>")
    parts += [
        figure_html(data.figure(f"{model}_paragraph_map"),
                    in_units("Paragraphs placed by the language-neutral vectors the themes were found in (colour = "
                             "theme, marker = language).", unit)),
        figure_html(data.figure(f"{model}_topic_similarity"), "How similar the themes are."),
        tree_paragraph(data),
        figure_html(data.figure(f"{model}_theme_tree"), "Which themes belong together: the themes joined from the "
                                                         "most alike pair up."),
    ]
    return "\n".join(parts)


def tree_paragraph(data: Analysis) -> str:
    """Which themes are closest, in words: the first joins of the theme tree (``metrics.theme_tree``)."""
    from ..metrics.theme_tree import first_joins

    tree = (data.metrics or {}).get("theme_tree")
    if not tree:
        return "<p>With fewer than two themes there is no tree of themes.</p>"
    labels = {t["id"]: t["label"] for t in topic_dicts(data, data.primary)}

    def side(themes: list[int]) -> str:
        named = [f"{theme} ({escape(labels.get(theme, ''))})" for theme in themes]
        return ("theme " if len(named) == 1 else "themes ") + _joined(named)

    joins = [f"{side(a)} with {side(b)} (cosine distance {distance:.2f})" for a, b, distance in first_joins(tree)]
    return (f"<p><b>Which themes belong together.</b> Joining the most alike themes first (average linkage on the "
            f"cosine distance between their mean directions), {joins[0]} join first" +
            (f"; then {'; then '.join(joins[1:])}" if len(joins) > 1 else "") +
            ". Themes that join early are neighbouring subjects, or one subject the model divided.</p>")


def article_mix(data: Analysis) -> pd.DataFrame:
    """Each article's mix of the primary model's themes, as the run wrote it (``Analysis.article_themes``)."""
    return data.article_themes


def resting_note(data: Analysis, mix: pd.DataFrame, row: dict) -> str:
    """Which articles a theme rests on most, and how much of the theme each holds (``articles_resting_most``)."""
    from ..metrics.article_themes import articles_resting_most

    top = articles_resting_most(mix, row["id"])
    if top.empty:
        return ""
    unit = units_word(data)
    if unit == "article":  # each article is one unit, wholly in one theme: the theme's articles are what it rests on
        theirs = mix.loc[mix[f"share_{row['id']}"] > 0, "doc"].astype(str).tolist()
        shown = ", ".join(escape(data.article(doc)) for doc in theirs[:5])
        return f" Its articles: {shown}{f' and {len(theirs) - 5} more' if len(theirs) > 5 else ''}."
    held = "; ".join(f"{escape(data.article(r.doc))} ({r.in_theme} of its {_plural(int(r.units), unit)})"
                     for r in top.itertuples())
    spread = mix[mix[f"share_{row['id']}"] > 0]["doc"].nunique()
    return (f" It rests most on {held}; {_plural(spread, 'article')} of {len(mix)} hold "
            f"{'some of it' if spread > 1 else 'all of it'}.")


def largest_themes(counts: pd.Series, total: int) -> str:
    """An article's largest theme and the next, each with its share of the article's paragraphs (theme -> count);
    themes of equal count are named together ("a and b, 20% each"), so that a tie never reads as a ranking."""
    counts = counts[counts > 0]
    levels = sorted(set(counts.tolist()), reverse=True)[:2]
    said = []
    for level in levels:
        tied = sorted(counts[counts == level].index, key=lambda t: (len(str(t).split(':')[0]), str(t)))  # by id
        names = [escape(str(t)) for t in tied]
        listed = _joined(names)
        said.append(f"{listed} ({_percent(level / total)}{' each' if len(names) > 1 else ''})")
        if len(tied) > 1:  # a tie at the top is the article's largest themes: no "then"
            break
    return ", then ".join(said)


def articles_section(data: Analysis) -> str:
    """Which articles emphasise which themes: each article's two largest themes."""
    model = data.primary
    assigned = data.results[model].assignments.merge(data.paragraphs[["id", "doc"]], on="id", how="left")
    assigned["doc"] = assigned["doc"].fillna(assigned["id"])
    labels = {t["id"]: f"{t['id']}: {t['label']}" for t in topic_dicts(data, model)}
    shares = pd.crosstab(assigned["doc"], assigned["topic"].map(labels).fillna("outliers"), normalize="index")
    sizes = assigned["doc"].value_counts()
    lines = []
    whole = units_word(data) == "article"  # each article is one unit: its theme, not a mix
    if whole:
        sizes = data.paragraphs["doc"].value_counts().reindex(sizes.index, fill_value=0).sort_values(
            ascending=False, kind="stable")
    for doc in sizes.index[:30]:
        counts = (shares.loc[doc] * (1 if whole else sizes[doc])).round().astype(int)
        theme = (escape(str(shares.loc[doc].idxmax())) + " (the whole article)" if whole else
                 largest_themes(counts, int(sizes[doc])))
        lines.append(f"<li><b>{escape(data.article(doc))}</b> ({_plural(int(sizes[doc]), 'paragraph')}): {theme}</li>")
    which = ("Each article's " if len(sizes) == len(lines) else
             f"The {len(lines)} largest of the {len(sizes)} articles, each with its ")
    which += ("theme (whole articles are the units)" if whole else "largest themes (share of its paragraphs)")
    listing = [f"<p>{which}:</p>", f"<ul>{''.join(lines)}</ul>"]
    share = figure_html(data.figure(f"{model}_topic_article_share"), "Each article's theme." if whole else
                        "Share of each article's paragraphs in each theme.")
    # A long list goes after the figure, as it flows across a page break where a figure would leave a gap; a
    # short one stays above it, to fill the page the previous figure began.
    return "\n".join([
        *([share, *listing] if len(lines) > SHORT_LIST else [*listing, share]),
        figure_html(data.figure("tfidf_article_terms"), "The most distinctive terms of each article (TF-IDF)."),
        figure_html(data.figure("tfidf_article_similarity"), "Article-to-article cosine similarity of TF-IDF vectors."),
    ])


#: More than this share of a theme's paragraphs of the language that has more of it coming from documents
#: without a counterpart in the other language makes the difference confounded.
CONFOUNDED_SHARE = 0.5


def _points(value: float) -> str:
    """A difference of shares in percentage points, signed, never "-0"."""
    rounded = round(100 * value)
    return "0" if rounded == 0 else f"{rounded:+d}"


def _share(value: float) -> str:
    rounded = round(100 * value)
    return f"{rounded}%"


#: How page 1 and the table read each verdict of ``language_comparison``.
VERDICT_WORDS = {"absent": "absent from one language", "neither": "in neither language compared",
                 "holds": "differs between the languages",
                 "confounded": "differs, but confounded with the kinds of articles",
                 "chance": "not shown to differ",
                 "unestimated": "a difference cannot be estimated from so few articles"}


def _share_with_interval(share) -> str:
    """A share, with its 95% interval where it was estimated (a row of ``prevalence_by_language``)."""
    if not share.estimated:
        return _share(share.share)
    return f"{_share(share.share)} ({_share(share.low)}–{_share(share.high)})"


def _unestimated_sentence(data: Analysis, langs: list[str]) -> str:
    """Why no difference between the languages is stated: how many articles each language has."""
    from ..metrics.covariates import MIN_DOCUMENTS

    units = data.results[data.primary].units
    articles = units[units["lang"].isin(langs)].groupby("lang")["doc"].nunique()
    held = " and the ".join(f"{escape(language_name(lang))} ones from {_plural(int(articles.get(lang, 0)), 'article')}"
                            for lang in langs)
    return (f"whether the languages cover a theme differently cannot be estimated: the paragraphs come, the {held}, "
            f"and an interval "
            f"needs at least {MIN_DOCUMENTS} articles in each language (the paragraphs of one article are not "
            "independent, so articles are what is resampled). The shares below describe these articles only.")


#: A theme is written about in both languages when neither gives it less than this fraction of the share of
#: its paragraphs the other gives it (a theme of half the English paragraphs and a few French ones is not).
SHARED_THEME_RATIO = 0.1


def written_in_both(row: dict) -> bool:
    """Whether a theme of ``language_comparison`` is written about in both languages (``SHARED_THEME_RATIO``)."""
    shares = [row["shares"][lang].share for lang in row["shares"]]
    return min(row["counts"].values()) > 0 and min(shares) >= SHARED_THEME_RATIO * max(shares)


def theme_flags(theme: dict, data: Analysis) -> str:
    """What page 1 says after a theme's name: why it is not a finding, and whether its two names may differ."""
    # when the division did not hold, page 1 says it once for every theme; each line gives only its own reasons
    why = why_not_a_finding({**theme, "division_held": True}, data.metrics["stable_overlap_threshold"],
                            units_word(data))
    flag = " <i>(named by hand)</i>" if theme.get("named_by") == "hand" else ""
    flag += "" if theme["finding"] else f" <i>not a finding{': ' + escape(why) if why else ''}</i>"
    if Topic.from_json(theme).label_halves_agree() is False:
        flag += " <i>(its two names may not say the same thing)</i>"
    return flag


def result_units(data: Analysis) -> pd.DataFrame:
    """The primary model's units (paragraphs, or whole articles) with their language, document and theme."""
    result = data.results[data.primary]
    return result.units.assign(topic=result.labels)


def uncompared_shares(data: Analysis) -> dict[str, pd.Series]:
    """Languages of the corpus beyond the two compared (``compared_languages``), each holding as large a share of the
    model's units as a compared one must, largest first: language -> share of its units in each theme (indexed by
    theme id). The comparison of coverage is pairwise, so a third language is not compared; it is not dropped
    either: a German third of a corpus is a third of what the themes rest on."""
    units = result_units(data)
    langs = units["lang"].to_numpy()
    further = compared_languages(langs, n=None)[len(compared_languages(langs)):]  # the compared ones come first
    themes = [row["id"] for row in topic_rows(data, data.primary)]
    return {lang: units.loc[units["lang"] == lang, "topic"].value_counts(normalize=True).reindex(themes, fill_value=0.0)
            for lang in further}


def language_comparison(data: Analysis) -> tuple[list[str], list[dict]]:
    """The two main languages, and per theme of the primary model (largest first) how each covers it.

    Each row: the theme, its units and share in each language with 95% intervals (articles resampled within
    each language, ``metrics.prevalence``), the difference of shares with its interval, and a verdict:
    "absent" (no unit in one language: no interval is needed), "neither" (no unit in either: a theme of other
    languages' units), "unestimated" (a language has fewer than
    ``MIN_DOCUMENTS`` articles: a difference cannot be estimated), "holds" (the interval clears zero at the
    precision shown), "confounded" (it would hold, but most of the favoured language's units come from
    documents unlike any of the other language, ``metrics.prevalence.documents_without_counterpart``, or it
    does not hold among the others), or "chance" (the interval includes zero). Works on any unit: the units
    are the model's own (paragraphs, or whole documents), each with its document and language.
    """
    from ..metrics.covariates import clears_zero
    from ..metrics.prevalence import documents_without_counterpart, language_difference, prevalence_by_language

    units = result_units(data)
    langs = compared_languages(units["lang"].to_numpy())
    if len(langs) < 2:
        return langs, []
    first, second = langs
    alone = documents_without_counterpart(units["doc"].to_numpy(), units["lang"].to_numpy(), units["topic"].to_numpy())
    both = units[units["lang"].isin(langs)].reset_index(drop=True)
    labels, docs, lang_of = both["topic"].to_numpy(), both["doc"].astype(str).to_numpy(), both["lang"].to_numpy()
    seed = data.settings.seed
    themes = sorted(topic_rows(data, data.primary), key=lambda r: -r["size"])
    # every theme gets its shares, one of paragraphs in uncompared languages only (3 German and Spanish ones) too
    prevalence = prevalence_by_language(labels, docs, lang_of, seed, themes=[row["id"] for row in themes])
    by_key = {(r.theme, r.level): r for r in prevalence.itertuples()}
    estimated = bool(prevalence.groupby("level")["estimated"].first().reindex(langs).fillna(False).all())
    rows = []
    for theme in themes:
        in_theme = labels == theme["id"]
        counts = {lang: int((in_theme & (lang_of == lang)).sum()) for lang in langs}
        diff, low, high = (language_difference(labels, docs, lang_of, first, second, theme["id"], seed) if estimated
                           else (by_key[(theme["id"], first)].share - by_key[(theme["id"], second)].share,
                                 float("nan"), float("nan")))
        favoured = first if diff > 0 else second
        from_alone = pd.Series(docs[in_theme & (lang_of == favoured)]).isin(alone).mean()
        if max(counts.values()) == 0:
            verdict = "neither"  # a theme of other languages' paragraphs only
        elif min(counts.values()) == 0:
            verdict = "absent"
        elif not estimated:
            verdict = "unestimated"
        elif clears_zero(low, high):
            verdict = ("confounded" if from_alone > CONFOUNDED_SHARE or
                       not holds_among_comparable(both, alone, first, second, theme["id"], seed) else "holds")
        else:
            verdict = "chance"
        rows.append({"theme": theme, "counts": counts, "difference": diff, "low": low, "high": high,
                     "favoured": favoured, "verdict": verdict, "estimable": estimated,
                     "shares": {lang: by_key[(theme["id"], lang)] for lang in langs}})
    return langs, rows


def holds_among_comparable(units: pd.DataFrame, alone: set[str], first: str, second: str, theme: int,
                           seed: int) -> bool:
    """Whether a difference between the languages survives among the articles that have a counterpart in the
    other language: when one language also has kinds of articles the other lacks (news beside manuals), every
    shared theme takes a smaller share of it, a difference of composition, not of coverage."""
    from ..metrics.covariates import MIN_DOCUMENTS, clears_zero
    from ..metrics.prevalence import language_difference

    comparable = units[~units["doc"].astype(str).isin(alone)]
    if len(comparable) == len(units):
        return True
    if any(comparable.loc[comparable["lang"] == lang, "doc"].nunique() < MIN_DOCUMENTS for lang in (first, second)):
        return False
    _, low, high = language_difference(comparable["topic"].to_numpy(), comparable["doc"].astype(str).to_numpy(),
                                       comparable["lang"].to_numpy(), first, second, theme, seed)
    return clears_zero(low, high)


def other_differences(rows: list[dict], first: str, second: str, unit: str = "paragraph") -> str:
    """Page 1's sentences on the themes whose difference is not the languages' (confounded) and those one language
    lacks: why a difference is confounded is said once, not once per theme (on 1,000 articles it was repeated
    for 13 themes and filled page 1)."""
    confounded = [r for r in rows if r["verdict"] == "confounded"]
    absent = [r for r in rows if r["verdict"] in ("absent", "neither")]
    sentences = []
    if confounded:
        one = len(confounded) == 1
        sentences.append(
            f"On {_plural(len(confounded), 'theme')} the difference does not hold among the articles that have a "
            "counterpart in the other language: the languages hold different kinds of articles, and the difference "
            f"is {'theirs' if one else 'theirs in each case'}, not the languages' (" +
            "; ".join(_difference_sentence(r, first, second, unit, caveat=False) for r in confounded) + ").")
    if absent:
        sentences.append("; ".join(_difference_sentence(r, first, second, unit) for r in absent) + ".")
    return " ".join(sentences)


def _difference_sentence(row: dict, first: str, second: str, unit: str = "paragraph", caveat: bool = True) -> str:
    """One theme's comparison between the languages in words; ``unit`` names the model's units. A confounded
    difference says why, unless ``caveat`` is False (a sentence that says it once for several)."""
    label, counts = escape(theme_name(row["theme"])), row["counts"]
    name = {lang: escape(language_name(lang)) for lang in (first, second)}
    if row["verdict"] == "neither":
        return f"{label}: in neither the {name[first]} nor the {name[second]} {unit}s, only in other languages'"
    if row["verdict"] == "absent":
        missing = first if counts[first] == 0 else second
        present = second if missing == first else first
        return (f"{label}: only in the {name[present]} {unit}s ({counts[present]}); absent from the "
                f"{name[missing]} ones")
    low, high = (row["low"], row["high"]) if row["favoured"] == first else (-row["high"], -row["low"])
    gap = (f"{abs(round(100 * row['difference']))} points more of the {name[row['favoured']]} {unit}s "
           f"(95% interval {abs(round(100 * low))} to {abs(round(100 * high))} points)")
    if row["verdict"] == "confounded" and caveat:
        return (f"{label}: {gap}, but not among the articles that have a counterpart in the other language: "
                "the languages hold different kinds of articles, and the difference is theirs, not the languages'")
    return f"{label}: {gap}"


def why_not_a_finding(row: dict, threshold: float, unit: str = "paragraph") -> str:
    """Why a theme is flagged: its words change with the seed, its paragraphs rarely stay together, it is a
    catch-all, it is trivial (the only theme, or one ``unit``), or several of these."""
    reasons = ([] if row["stability"] >= threshold else ["its words change with the seed"]) + \
              (["its paragraphs are grouped together in fewer than half of the runs"] if row["loose"] else []) + \
              (["it is a remainder of paragraphs that fit other themes better"] if row.get("catch_all")
               else []) + \
              ([] if row.get("division_held", True) else ["the number of themes did not hold on two samples"]) + \
              ([f"it is a single {unit}" if row["size"] < 2 else "it is the only theme, which divides nothing"]
               if row.get("trivial") else []) + \
              ([f"it is merged by hand, so whether its {unit}s stay together in the runs is not measured"]
               if row.get("merged_from") else [])
    return " and ".join(reasons)


def theme_name(theme: dict) -> str:
    """A theme as a reader meets it: "Theme 2, companies / entreprises", with "(a catch-all)" when its
    paragraphs lie closer to other themes than to their own on average (``topic_rows``)."""
    return f"Theme {theme['id']}, {theme['label']}" + (" (a catch-all)" if theme.get("catch_all") else "")


def languages_section(data: Analysis) -> str:
    """How the two main languages cover the themes: each difference with its 95% interval (articles resampled),
    or why none can be estimated."""
    from ..metrics.covariates import MIN_DOCUMENTS

    model = data.primary
    langs, rows = language_comparison(data)
    m = data.primary_measures
    if len(langs) < 2:
        return "<p>The corpus has one language: there is no difference between languages to measure.</p>"
    first, second = langs
    name = {lang: language_name(lang) for lang in langs}
    unestimated = not all(r["estimable"] for r in rows)

    def difference(r: dict) -> str:
        if r["verdict"] in ("absent", "neither", "unestimated"):
            return VERDICT_WORDS[r["verdict"]]
        return f"{_points(r['difference'])} ({_points(r['low'])} to {_points(r['high'])})"

    table = pd.DataFrame([{
        "theme": theme_name(r["theme"]),
        f"{name[first]} {units_word(data)}s": r["counts"][first], f"{name[second]} {units_word(data)}s": r["counts"][second],
        f"share of {name[first]}": _share(r["shares"][first].share),
        f"share of {name[second]}": _share(r["shares"][second].share),
        ("difference, points" if unestimated else "difference, points (95% interval)"): difference(r),
        "reading": {"absent": "absent from one language", "neither": "in neither language", "holds": "holds",
                    "confounded": "confounded",
                    "chance": "within chance", "unestimated": "not estimated"}[r["verdict"]],
    } for r in rows])
    holds = [r for r in rows if r["verdict"] in ("holds", "confounded", "absent", "neither")]
    if unestimated:
        rule = f"<p>{_unestimated_sentence(data, langs)[0].upper() + _unestimated_sentence(data, langs)[1:]}</p>"
        stated = ("<ul>" + "".join(f"<li>{_difference_sentence(r, first, second, units_word(data))}</li>"
                                   for r in holds) + "</ul>"
                  if holds else "")
    else:
        rule = (f"<p>A difference in how much of each language's {units_word(data)}s a theme takes is stated only when its 95% "
                "bootstrap interval, in which the articles of each language are resampled (the paragraphs of one "
                "article are not independent), excludes zero at the precision shown (whole points). It is called "
                "<i>confounded</i> when it does not hold among the articles that have a counterpart in the other "
                "language (an article of the other language whose shares over the themes have a cosine of "
                f"{_counterpart_cosine():.1f} or more with its own), or when most of the paragraphs behind it come "
                "from articles without one: then the languages hold different kinds of articles, and the difference "
                "is theirs, not the languages'.</p>")
        stated = ("<ul>" + ("".join(f"<li>{_difference_sentence(r, first, second, units_word(data))}</li>"
                                    for r in holds)
                            or "<li>none: every interval includes zero</li>") + "</ul>" +
                  chance_note(sum(r["verdict"] in ("holds", "confounded", "chance") for r in rows),
                              sum(r["verdict"] in ("holds", "confounded") for r in rows)))
    caption = (f"Share of each language's {units_word(data)}s in each theme" +
               (f" (no interval: a language has fewer than {MIN_DOCUMENTS} articles)." if unestimated else
                ", with 95% intervals (articles resampled)."))
    # Each figure is followed by text or the table, which flow across a page break; the paragraphs' chart, last
    # after the table, was pushed whole to the next page and left a half-empty one behind the table's end.
    return "\n".join([
        in_units(f"<p>{_percent(m['bilingual_topic_share'])} of the themes hold paragraphs in both {escape(name[first])} "
                 f"and {escape(name[second])}; for {_percent(m['cross_lingual_pair_agreement'])} of the "
                 f"{escape(name[second])} paragraphs, the closest {escape(name[first])} paragraph (by multilingual "
                 "embedding) is in the same theme.</p>", units_word(data)),
        figure_html(data.figure(f"{model}_topic_language_mix"),
                    in_units("Paragraphs of each theme, by language.", units_word(data))),
        rule, stated,
        figure_html(data.figure(f"{model}_theme_prevalence_by_language"), caption),
        table_html(table),
    ])


def _counterpart_cosine() -> float:
    from ..metrics.prevalence import COUNTERPART_COSINE

    return COUNTERPART_COSINE


#: The measures the comparison table shows, by their one name (``metrics.evaluation.MEASURE_NAMES``).
COMPARED = {key: MEASURE_NAMES[key] for key in ("n_topics", "cross_lingual_pair_agreement", "bilingual_topic_share",
                                                "stability_ari", "npmi_by_language", "topic_diversity", "outlier_share")}


def comparison_section(data: Analysis) -> str:
    """Every evaluated model on the same measures, and what each step of the primary model buys."""
    m = data.metrics["models"]
    table = pd.DataFrame([{"model": model_name(name), **{label: m[name][key] for key, label in COMPARED.items()}}
                          for name in m])
    table = table.dropna(axis=1, how="all")  # a measure no model has (pairs in a one-language corpus) is no column
    baseline = "nmf" if "nmf" in data.results else None
    pair = compared_languages(result_units(data)["lang"].to_numpy())
    pairs = ("" if len(pair) < 2 else
             f"<i>Nearest pairs together</i>: the share of the {escape(language_name(pair[1]))} {units_word(data)}s whose "
             f"closest {escape(language_name(pair[0]))} {units_word(data)} is in the same theme; ")
    parts = [
        f"<p>The same {units_word(data)}s, read by every model" + (", on the same vectors but for the TF-IDF baseline (NMF), "
                                                          "which reads the words" if baseline else ", on the same vectors")
        + f". {pairs}<i>ARI across seeds</i>: how "
        "alike the themes are when the random seed changes (1 = identical); <i>NPMI per language</i>: whether a "
        "theme's words occur together in the paragraphs of their language (−1 to 1).</p>",
        *([f"<p>Every model was refitted with each seed on the same seeded sample of "
           f"{_plural(data.metrics['evaluated_units'], 'paragraph')} of the {data.metrics['total_units']:,}, so that "
           "comparing models costs the same on any corpus; the other models were fitted on that sample only, and "
           "their figures show it. The measures of the themes presented above come from the model fitted on every "
           "paragraph.</p>"] if data.metrics.get("sampled") else []),
        *([f"<p>{escape(model_name(data.primary))} is measured as merged by hand "
           f"({_plural(data.results[data.primary].n_topics, 'theme')}, against its refits merged alike); the other "
           "models as they were fitted.</p>"] if data.results[data.primary].params.get("themes_merged") else []),
        # the table (a few rows) before the tall figure: at the foot of a short section, the figure alone was
        # pushed to the next page and left the section's heading and first lines on a half-empty one
        table_html(table),
        figure_html(data.figure("evaluation_model_comparison"), "Every model on the same measures."),
    ]
    if baseline:
        bilingual = data.metrics["models"].get(baseline, {}).get("bilingual_topic_share", float("nan"))
        reading = ("" if bilingual != bilingual else
                   f" {_percent(bilingual)} of its topics hold both languages" +
                   (": words of one language rarely name the other's paragraphs." if bilingual < 0.5 else "."))
        parts.append(figure_html(data.figure(f"{baseline}_topic_language_mix"),
                                 "The NMF baseline: its topics by language." + reading))
    return "\n".join(parts)


def _one_article_themes(data: Analysis) -> str:
    """Which themes draw more than half their paragraphs from a single article (one article's section
    rather than a theme of the coverage), in a sentence."""
    assigned = data.paragraphs[["id", "doc"]].merge(data.results[data.primary].assignments[["id", "topic"]], on="id")
    assigned = assigned[assigned["topic"] != OUTLIER]
    if assigned.empty:
        return ""
    largest = assigned.groupby("topic")["doc"].agg(lambda d: d.value_counts(normalize=True).iloc[0])
    source = assigned.groupby("topic")["doc"].agg(lambda d: d.value_counts().index[0])
    narrow = largest[largest > 0.5].sort_values(ascending=False)
    if narrow.empty:
        return (f"No theme draws more than half its paragraphs from one article (at most "
                f"{_share(float(largest.max()))}).")
    listed = "; ".join(f"theme {int(t)}: {_share(float(v))} from “{escape(data.article(source[t]))}”"
                       for t, v in narrow.items())
    return (f"{_plural(len(narrow), 'theme')} {'draws' if len(narrow) == 1 else 'draw'} more than half "
            f"{'its' if len(narrow) == 1 else 'their'} paragraphs from one article ({listed}): such a theme "
            "may be one article's subject rather than a theme of the coverage.")


def not_findings_sentence(rows: list[dict], threshold: float, flagged: int, unit: str = "paragraph") -> str:
    """How many themes are not findings, counted by each reason the code applies (a theme can have several)."""
    if not flagged:
        return f"none of the {len(rows)} themes is flagged."
    counts = [(sum(r["stability"] < threshold for r in rows),
               ("changes", "change"), f" with the seed (top-word overlap below {threshold:.2f})"),
              (sum(bool(r["loose"]) for r in rows),
               ("holds", "hold"), " together in fewer than half of the consensus's runs"),
              (sum(bool(r.get("catch_all")) for r in rows), ("is", "are"), " a catch-all"),
              (sum(not r.get("division_held", True) for r in rows),
               ("belongs", "belong"), " to a number of themes that did not give the same division on two samples"),
              (sum(bool(r.get("trivial")) for r in rows), ("is", "are"),
               " the only theme" if len(rows) == 1 else f" a single {unit}"),
              (sum(bool(r.get("merged_from")) for r in rows), ("is", "are"),
               " merged by hand, so whether its paragraphs stay together is not measured")]
    said = [f"{n} {verbs[0] if n == 1 else verbs[1]}{rest}" for n, verbs, rest in counts if n]
    one = flagged == 1
    return (f"{flagged} of {len(rows)} themes {'is not a finding' if one else 'are not findings'}, flagged above: " +
            "; ".join(said) + (" (a theme can have several reasons)." if sum(n for n, _, _ in counts) > flagged else "."))


def limitations_section(data: Analysis) -> str:
    """What limits the conclusions, with the numbers that size each limit; study-specific ones from corpus.toml."""
    p = data.paragraphs
    truncated = p[~p["text"].str.rstrip().str.contains(r"[.!?…\"”»)]$", regex=True)]
    threshold = data.metrics["stable_overlap_threshold"]
    rows = topic_rows(data, data.primary)
    unstable = [r for r in rows if not r["finding"]]
    items = [
        f"<li><b>Corpus size.</b> {_plural(p['doc'].nunique(), 'article')} and {_plural(len(p), 'paragraph')}: "
        f"themes rest on a median of {_median(r['size'] for r in rows)} {units_word(data)}s each. "
        f"{_one_article_themes(data)}</li>",
        f"<li><b>Truncated text.</b> {_plural(len(truncated), 'paragraph')} end without sentence punctuation; they "
        "are kept as they are, never completed.</li>",
        f"<li><b>Themes that are not findings.</b> {not_findings_sentence(rows, threshold, len(unstable), units_word(data))}</li>",
    ]
    if p["lang"].nunique() > 1:
        items.append("<li><b>Partly circular measure.</b> The nearest-pair measure uses the same embeddings the "
                     "themes were found in; read the quoted paragraphs of each theme to judge it.</li>")
    items += [f"<li>{escape(text)}</li>" for text in data.description.limitations]
    return "<ul>" + "".join(items) + "</ul>"


# --- what the analysis notebooks found, in words conditioned on the numbers ------------------------------------


def nmf_findings(data: Analysis) -> str:
    """Notebook 02's closing lines: the NMF baseline's topics by language, and whether that is a reason to rely on
    the cross-lingual model (only when NMF leaves topics in one language and that model holds both more often)."""
    nmf = data.results["nmf"]
    bilingual = data.metrics["models"]["nmf"]["bilingual_topic_share"]
    lines = [f"NMF found {_plural(nmf.n_topics, 'topic')} (k chosen by NPMI coherence)" +
             (f"; {_percent(bilingual)} of them hold paragraphs of two languages." if bilingual == bilingual else
              "; the corpus has one language, so none can cross languages.")]
    if bilingual == bilingual:
        one_language = sum(len([n for n in t.n_by_lang.values() if n]) == 1 for t in nmf.topics)
        primary = data.primary_measures["bilingual_topic_share"]
        line = f"{one_language} of {nmf.n_topics} topics are written in one language only"
        if one_language and primary > bilingual:
            line += (": word counts cannot link a French and an English paragraph on one subject, which is why the "
                     f"report relies on the cross-lingual model ({_percent(primary)} of its themes hold both languages).")
        else:
            line += (f"; the report's model holds both languages in {_percent(primary)} of its themes, so on this corpus "
                     "the languages do not separate the baseline's topics more than the report's themes.")
        lines.append(line)
    return "\n".join(lines)


def crosslingual_findings(data: Analysis) -> str:
    """Notebook 03's closing lines: the report's model's themes, pairs across languages, how still it holds (ARI
    across seeds, the report's number; the split-half agreement of its runs, named as such), and its names."""
    from ..topics import display_name

    result, measures = data.results[data.primary], data.primary_measures
    lines = [f"The report's model found {_plural(result.n_topics, 'theme')}, a number chosen {how_many_chosen(result.params)}" +
             (f"; {_percent(measures['bilingual_topic_share'])} of them hold both languages."
              if measures["bilingual_topic_share"] == measures["bilingual_topic_share"] else ".")]
    pairs = {display_name(name): value["cross_lingual_pair_agreement"] for name, value in data.metrics["models"].items()
             if value["cross_lingual_pair_agreement"] == value["cross_lingual_pair_agreement"]}
    lines.append("Nearest pairs across the languages kept in one theme: " + ", ".join(
        f"{model} {_percent(value)}" for model, value in pairs.items()) + f"; the most: {max(pairs, key=pairs.get)}."
        if pairs else "The corpus has one language: there are no pairs across languages to keep together.")
    rows = topic_rows(data, data.primary)
    least = data.metrics.get("min_theme_consensus", 0.5)
    consensus = [t.consensus for t in result.topics if t.consensus is not None]
    line = (f"Refitted with {_plural(len(data.metrics['seeds']), 'seed')}, its themes agree at "
            f"{MEASURE_NAMES['stability_ari']} {number(measures['stability_ari'])} (1 = identical, the report's number)")
    if result.params.get("split_half_stability") is not None:
        line += (f"; the split-half agreement of its {result.params.get('n_runs_used')} runs is "
                 f"{number(result.params['split_half_stability'])}")
    if consensus:
        loosest = min(consensus)
        line += (f". The loosest theme's paragraphs stay together in {_percent(loosest)} of the runs, " +
                 (f"below the {_percent(least)} a finding needs." if loosest < least else
                  f"at least the {_percent(least)} a finding needs."))
    else:
        line += "."
    findings = sum(r["finding"] for r in rows)
    lines.append(line + f" {findings} of {_plural(len(rows), 'theme')} {'is a finding' if findings == 1 else 'are findings'} "
                 "by the report's rule.")
    named = [t for t in result.topics if t.label_halves_agree() is not None]
    unnamed = [t.label for t in named if not t.label_halves_agree()]
    if named:
        lines.append(f"Of its {len(named)} bilingual names, {len(named) - len(unnamed)} say one thing in both languages "
                     "(as words, and by the paragraphs that use them)" +
                     (f"; these may not: {', '.join(unnamed)}." if unnamed else "."))
    return "\n".join(lines)


def _shown_path(settings: Settings, path: Path) -> str:
    """A folder as a reader of this report finds it: relative to the project when inside it."""
    path = Path(path).resolve()
    try:
        return path.relative_to(Path(settings.project_root).resolve()).as_posix()
    except ValueError:
        return str(path)


def where_section(data: Analysis) -> str:
    """Where the rest of the run is: the interactive map, the notebooks and the results, in the folders this run
    wrote (``--figures``, ``--out``), and the command that made them."""
    from .build import NOTEBOOKS_FOLDER, REPORT_NOTEBOOK

    settings = data.settings
    command = ["topicmap report"]
    defaults = Settings(project_root=settings.project_root)
    for option, name in (("--corpus", "corpus_dir"), ("--out", "results_dir"), ("--figures", "figures_dir"),
                         ("--reports", "reports_dir")):
        if settings.published_path(name).resolve() != defaults.path(name).resolve():
            command.append(f"{option} {_shown_path(settings, settings.published_path(name))}")
    if settings.unit != defaults.unit:
        command.append(f"--unit {settings.unit}")
    results, figures = (escape(_shown_path(settings, settings.published_path(name)))
                        for name in ("results_dir", "figures_dir"))
    return (f"<p><i>An interactive map of the paragraphs is in <code>{figures}/interactive/</code>; the analysis "
            f"notebooks in <code>{NOTEBOOKS_FOLDER}/</code> show every step, and their executed copies are in "
            f"<code>{results}/notebooks/</code>. The report's notebook is <code>{NOTEBOOKS_FOLDER}/{REPORT_NOTEBOOK}"
            f"</code>: it reads the results in <code>{results}/</code>, written by <code>{escape(' '.join(command))}"
            "</code>.</i></p>")


def show(fragment: str, heading: str | None = None):
    """Display an HTML fragment in the notebook (and so in the exported report), under its heading.

    The heading is part of the same block as its content, so a page break cannot leave it alone at the
    bottom of a page (``h2 { break-after: avoid }`` in the report's stylesheet).
    """
    from IPython.display import HTML, display

    display(HTML(fragment if heading is None else f"<h2>{escape(heading)}</h2>\n{fragment}"))


def _covariate_table(data: Analysis) -> pd.DataFrame | None:
    """The primary model's paragraphs (id, doc, lang, topic, date, source; "" where unknown), or None when the
    run's paragraphs carry no covariates."""
    if not {"date", "source"} & set(data.paragraphs):
        return None
    assigned = data.paragraphs.reindex(columns=["id", "doc", "lang", "date", "source"]).merge(
        data.results[data.primary].assignments[["id", "topic"]], on="id")
    for column in ("doc", "lang", "date", "source"):
        assigned[column] = assigned[column].fillna("").astype(str)
    return assigned


#: How a reader names the other covariates of a comparison.
_COVARIATE_WORDS = {"source": ("source", "sources"), "period": ("period", "periods"),
                    "language": ("language", "languages")}


def _confound_note(found: list[dict], first: str, last: str, difference: float) -> str:
    """What a stated ``difference`` between ``first`` and ``last`` means given the covariates it is confounded
    with (``metrics.covariates.confounds``): it holds only where, with each held fixed, it keeps its sign and
    its interval excludes zero."""
    from ..metrics.covariates import clears_zero

    notes = []
    for item in found:
        one, many = _COVARIATE_WORDS[item["covariate"]]
        note = (f"the articles of {escape(first)} and of {escape(last)} also differ in {one} (only "
                f"{_share(item['overlap'])} of them alike by {one})")
        if item["change"] is None:
            note += f", and no {one} has enough articles in both to tell the two apart: it may be a difference of {one}"
        else:
            diff, low, high = item["change"]
            holds = clears_zero(low, high) and diff * difference > 0
            note += (f"; compared within each {one} with articles in both, the difference is {_points(diff)} points "
                     f"(95% interval {_points(low)} to {_points(high)}), so it "
                     + ("holds with the " + one + " held fixed" if holds else f"may be a difference of {one}"))
        notes.append(note)
    return (" — but " + "; and ".join(notes)) if notes else ""


def _covariate_differences(data: Analysis, rows: dict, prevalence: pd.DataFrame, table: pd.DataFrame,
                           levels: np.ndarray, others: dict, column: str) -> list[str]:
    """One line per theme whose share differs between the compared levels (``stated_differences``), with what
    the other covariates make of it (``_confound_note``)."""
    from ..metrics.covariates import stated_differences

    found = stated_differences(table["topic"].to_numpy(), table["doc"].to_numpy(), levels, prevalence, others,
                               over_time=column == "date", seed=data.settings.seed)
    lines = []
    for item in found:
        if item["theme"] not in rows:
            continue
        diff = item["difference"]
        verb = ("rose" if diff > 0 else "fell") if column == "date" else "differs"
        lines.append(f"<li>{escape(theme_name(rows[item['theme']]))} {verb}: {_share(item['first_share'])} of the "
                     f"paragraphs of {escape(item['first'])}, {_share(item['last_share'])} of {escape(item['last'])} "
                     f"(difference {_points(diff)} points, 95% interval {_points(item['low'])} to "
                     f"{_points(item['high'])}){_confound_note(item['confounds'], item['first'], item['last'], diff)}</li>")
    return lines


def chance_note(compared: int, stated: int, levels: int = 2) -> str:
    """What the number of comparisons means for the differences stated: each theme is tested at 95%, with no
    correction for how many themes (and, between sources, which two of several) were compared; said whenever a
    difference is stated, with how many would clear zero by chance alone if no theme differed."""
    if not stated or compared < 2:
        return ""
    expected = 0.05 * compared
    extremes = (f", and between {levels} sources the two compared are each theme's largest and smallest, which makes "
                "such chance differences more likely still" if levels > 2 else "")
    return (f"<p>{compared} themes were compared, each at 95% and with no correction for their number: if no theme "
            f"differed, about {expected:.1f} of them would still clear zero by chance{extremes}. A difference whose "
            "interval only just clears zero is weak evidence.</p>")


def _covariate_part(data: Analysis, rows: dict, table: pd.DataFrame, periods: pd.Series, unit: str,
                    column: str) -> list[str]:
    """The HTML of one covariate ("date" or "source"): why there is none, or its differences and figure."""
    from ..metrics.covariates import MIN_COMPOSITION_OVERLAP, MIN_DOCUMENTS, estimable, prevalence_by_covariate

    heading = "Over time" if column == "date" else "By source"
    known = 0 if table is None else table.loc[table[column] != "", "doc"].nunique()
    what = "a date" if column == "date" else "a source"
    if known == 0:
        return [f"<h3>{heading}</h3><p>No article has {what} (given by a “{column}” line at the top of "
                f"the article's file, or by its entry in the corpus description), so there is no "
                f"{'time' if column == 'date' else 'source'} section.</p>"]
    langs = table["lang"].to_numpy()
    levels = (periods if column == "date" else table["source"]).to_numpy()
    others = ({"source": table["source"].to_numpy(), "language": langs} if column == "date" else
              {"period": periods.to_numpy(), "language": langs})
    prevalence = prevalence_by_covariate(table["topic"].to_numpy(), table["doc"].to_numpy(), levels, langs,
                                         data.settings.seed)
    if not estimable(prevalence):
        return [f"<h3>{heading}</h3><p>{_plural(known, 'article')} of {table['doc'].nunique()} "
                f"{'has' if known == 1 else 'have'} {what}, but fewer than two "
                f"{unit + 's' if column == 'date' and unit else 'sources'} hold {MIN_DOCUMENTS} articles or more: "
                f"{'changes over time' if column == 'date' else 'differences between sources'} cannot be "
                "estimated from so few articles, and none is drawn.</p>"]
    unit = unit if column == "date" else ""
    lines = _covariate_differences(data, rows, prevalence, table, levels, others, column)
    estimated = prevalence[prevalence["estimated"]]
    one_language = estimated.drop_duplicates("level")
    one_language = one_language[one_language["one_language"] != ""]
    confound = ("<p>" + "; ".join(f"every article of {escape(r.level)} is in {escape(language_name(r.one_language))}"
                                   for r in one_language.itertuples()) +
                ": a difference of those levels may be one of language, not of "
                f"{'time' if column == 'date' else 'source'}.</p>") if len(one_language) else ""
    what_compared = (f"the first {unit} and the last" if column == "date" else
                     "the source where the theme is largest and the one where it is smallest")
    other_words = "source or language" if column == "date" else "period or language"
    return [f"<h3>{heading}</h3>",
            f"<p>{_plural(estimated['level'].nunique(), unit or 'source')} of {MIN_DOCUMENTS} articles or more "
            f"({known} articles with {what}). Each share comes with a 95% interval in which articles, not "
            "paragraphs, are resampled. A difference between " + what_compared + " is stated when its "
            f"interval excludes zero. Where the two also differ in {other_words} (fewer than "
            f"{_share(MIN_COMPOSITION_OVERLAP)} of their articles alike by it), the difference is measured again "
            f"with that held fixed (within each of its values with {MIN_DOCUMENTS} articles or more in both, "
            "weighted by their articles), and said to hold only if it holds there too:</p>",
            "<ul>" + ("".join(lines) or "<li>none: every interval includes zero</li>") + "</ul>",
            chance_note(estimated.groupby("theme")["level"].nunique().ge(2).sum(), len(lines),
                        estimated["level"].nunique() if column == "source" else 2),
            confound,
            figure_html(data.figure(f"{data.primary}_themes_over_time" if column == "date" else
                                    f"{data.primary}_themes_by_source"),
                        (f"Share of the {MAX_THEMES_OVER_TIME} largest themes of {len(rows)} (the list above states "
                         "the differences that hold, of every theme)" if len(rows) > MAX_THEMES_OVER_TIME else "Share of each theme") +
                        ", with 95% intervals (articles resampled)." +
                        (" Below: articles per period." if column == "date" else ""))]


def covariates_section(data: Analysis) -> str:
    """Themes over time and by source, with intervals (documents resampled), or why there is neither."""
    from ..metrics.covariates import periods_of

    rows = {r["id"]: r for r in topic_rows(data, data.primary)}
    table = _covariate_table(data)
    periods, unit = (periods_of(table["date"]) if table is not None else (None, ""))
    return "\n".join(part for column in ("date", "source")
                     for part in _covariate_part(data, rows, table, periods, unit, column))
