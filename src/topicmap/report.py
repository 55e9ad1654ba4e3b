"""Last step of the chain: the written report, built from the results files when it is built.

``notebooks/04_report.ipynb`` is the report: its markdown cells hold the fixed prose, and its code
cells call the ``*_section`` functions here, which render every number from the results files
(never typed by hand) and HTML-escape every piece of corpus text. ``export_report`` executes that
notebook headlessly and exports it without code cells to one self-contained HTML file (figures
embedded, no external script), then to PDF with WeasyPrint.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd
from nbclient import NotebookClient

from .config import Settings, settings_environment
from .outputs import atomic_path, write_text
from .topics import OUTLIER

log = logging.getLogger(__name__)

NOTEBOOKS_FOLDER = "notebooks"
REPORT_NOTEBOOK = "04_report.ipynb"
TEMPLATES = Path(__file__).parent / "templates"
QUOTE_WORDS = 60
PDF_HELP = ("PDF skipped: WeasyPrint needs the Pango library. Install it with "
            "`apt-get install libpango-1.0-0 libpangoft2-1.0-0` (Debian/Ubuntu) and rerun `make report`; "
            "the HTML report was written.")


# --- building -----------------------------------------------------------------------------------


def _notebooks(settings: Settings) -> list[Path]:
    return sorted((settings.project_root / NOTEBOOKS_FOLDER).glob("*.ipynb"))


def execute_notebook(path: Path, settings: Settings, timeout: int = 1800) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in a fresh kernel whose ``project_settings()`` equal ``settings``."""
    notebook = nbformat.read(path, as_version=4)
    previous = {key: os.environ.get(key) for key in settings_environment(settings)}
    os.environ.update(settings_environment(settings))
    try:
        NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return notebook


def run_notebooks(settings: Settings) -> list[Path]:
    """Execute every analysis notebook headlessly on the current corpus; keep executed copies in results/."""
    written = []
    for path in _notebooks(settings):
        if path.name == REPORT_NOTEBOOK:
            continue
        started = time.perf_counter()
        log.info("executing %s ...", path.name)
        notebook = execute_notebook(path, settings)
        target = settings.results_path / "notebooks" / path.name
        with atomic_path(target) as tmp:
            nbformat.write(notebook, tmp)
        log.info("executed %s in %.0f s", path.name, time.perf_counter() - started)
        written.append(target)
    return written


def export_report(settings: Settings) -> list[Path]:
    """Execute the report notebook and write reports/report.html and (with Pango) reports/report.pdf."""
    from nbconvert import HTMLExporter

    log.info("building the report from %s ...", REPORT_NOTEBOOK)
    notebook = execute_notebook(settings.project_root / NOTEBOOKS_FOLDER / REPORT_NOTEBOOK, settings)
    exporter = HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="report_html",
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(notebook)
    html_path = write_text(settings.reports_path / "report.html", body)
    written = [html_path]
    pdf = write_pdf(html_path, settings.reports_path / "report.pdf")
    if pdf is not None:
        written.append(pdf)
    return written


def write_pdf(html_path: Path, pdf_path: Path) -> Path | None:
    """Render the HTML report to PDF with WeasyPrint; None (and a message) if Pango is missing."""
    try:
        import weasyprint
    except (ImportError, OSError):
        log.warning(PDF_HELP)
        return None
    # WeasyPrint warns about every browser-only CSS rule of JupyterLab's stylesheet; none matters on paper.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    log.info("rendering %s ...", pdf_path.name)
    with atomic_path(pdf_path) as tmp:
        weasyprint.HTML(filename=str(html_path)).write_pdf(tmp)
    return pdf_path


# --- the results the report reads -----------------------------------------------------------------


@dataclass
class ReportData:
    """The results files of one analysis, as the report reads them."""

    settings: Settings
    paragraphs: pd.DataFrame
    dropped: pd.DataFrame
    topics: dict[str, dict]
    assignments: dict[str, pd.DataFrame]
    metrics: dict

    @property
    def chosen(self) -> str:
        """The method the report relies on: the evaluation's choice, read as nmf or bertopic."""
        return self.metrics["methods"][self.metrics["chosen_method"]]["method"]

    def figure(self, name: str) -> Path:
        return self.settings.figures_path / f"{name}.png"


def results_missing(settings: Settings) -> list[str]:
    names = ["paragraphs.csv", "dropped.csv", "topics_nmf.json", "topics_bertopic.json",
             "assignments_nmf.csv", "assignments_bertopic.csv", "metrics.json"]
    return [n for n in names if not (settings.results_path / n).is_file()]


def load_report_data(settings: Settings) -> ReportData:
    """Read the results files, running the analysis first if any is missing."""
    if results_missing(settings):
        from .pipeline import make_all_figures

        log.warning("results missing (%s): running the analysis first", ", ".join(results_missing(settings)))
        make_all_figures(settings)
    out = settings.results_path
    read_csv = lambda name: pd.read_csv(out / name, keep_default_na=False)  # noqa: E731
    return ReportData(
        settings=settings,
        paragraphs=read_csv("paragraphs.csv"),
        dropped=read_csv("dropped.csv"),
        topics={m: json.loads((out / f"topics_{m}.json").read_text(encoding="utf-8")) for m in ("nmf", "bertopic")},
        assignments={m: read_csv(f"assignments_{m}.csv") for m in ("nmf", "bertopic")},
        metrics=json.loads((out / "metrics.json").read_text(encoding="utf-8")),
    )


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
    """A pandas table as escaped HTML."""
    return table.to_html(index=False, escape=True, border=0, classes="report-table",
                         float_format=lambda v: floats.format(v))


def quote(text: str, words: int = QUOTE_WORDS) -> str:
    """The first ``words`` words of a paragraph (an ellipsis marks a cut), HTML-escaped."""
    parts = str(text).split()
    cut = " ".join(parts[:words]) + (" …" if len(parts) > words else "")
    return escape(cut)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def topic_rows(data: ReportData, method: str) -> list[dict]:
    """The topics of one method that are themes (outliers excluded), with their stability."""
    key = method if method in data.metrics["methods"] else data.metrics["chosen_method"]
    overlap = data.metrics["methods"][key]["topic_overlap_across_seeds"]
    rows = []
    for topic in data.topics[method]["topics"]:
        if topic["id"] == OUTLIER:
            continue
        rows.append({**topic, "stability": float(overlap.get(str(topic["id"]), float("nan")))})
    return rows


def article_shares(data: ReportData, method: str) -> pd.DataFrame:
    """Share of each article's paragraphs in each topic (rows: articles, columns: topic labels)."""
    assigned = data.assignments[method].merge(data.paragraphs[["id", "doc"]], on="id", how="left")
    if assigned["doc"].isna().all():  # document-level model: ids are the documents
        assigned["doc"] = assigned["id"]
    labels = {t["id"]: f"{t['id']}: {t['label']}" for t in data.topics[method]["topics"]}
    assigned["theme"] = assigned["topic"].map(labels).fillna("outliers")
    return pd.crosstab(assigned["doc"], assigned["theme"], normalize="index")


# --- the sections -----------------------------------------------------------------------------------


def corpus_section(data: ReportData) -> str:
    """Documents, languages, paragraphs, and what segmentation dropped (every number computed)."""
    p, dropped = data.paragraphs, data.dropped
    langs = p["lang"].value_counts()
    lang_text = ", ".join(f"{_plural(int(n), 'paragraph')} in <b>{escape(str(lang))}</b>" for lang, n in langs.items())
    per_doc = p.groupby("doc").agg(paragraphs=("id", "size"), words=("n_words", "sum"),
                                   sections=("section", "nunique"),
                                   language=("lang", lambda s: ", ".join(sorted(set(s))))).reset_index()
    reasons = dropped["reason"].value_counts()
    reason_text = "; ".join(f"{escape(str(r))}: {int(n)}" for r, n in reasons.items()) or "none"
    parts = [
        f"<p>The corpus holds <b>{_plural(p['doc'].nunique(), 'article')}</b>, segmented into "
        f"<b>{_plural(len(p), 'paragraph')}</b> ({lang_text}). Paragraphs have a median length of "
        f"{p['n_words'].median():.0f} words (range {p['n_words'].min()}–{p['n_words'].max()}). "
        f"Segmentation dropped <b>{_plural(len(dropped), 'line')}</b> that are not content ({reason_text}); "
        f"each is listed below with its reason, so nothing is lost silently.</p>",
        table_html(per_doc),
        figure_html(data.figure("corpus_paragraphs_per_document"), "Paragraphs per article, by paragraph language."),
        figure_html(data.figure("corpus_paragraph_lengths"), "Paragraph length distribution."),
    ]
    if len(dropped):
        shown = dropped.assign(text=dropped["text"].map(lambda t: " ".join(str(t).split()[:25])))
        parts += ["<details><summary>Dropped lines</summary>", table_html(shown), "</details>"]
    return "\n".join(parts)


def method_section(data: ReportData) -> str:
    """The two methods and the parameters they actually ran with (read from the results)."""
    nmf, bert = data.topics["nmf"], data.topics["bertopic"]
    params = lambda d: pd.DataFrame(  # noqa: E731
        [{"parameter": k, "value": json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v}
         for k, v in sorted(d.get("params", {}).items())])
    seeds = data.metrics["seeds"]
    return "\n".join([
        f"<p><b>Baseline: TF-IDF + NMF.</b> {nmf['n_topics']} topics on TF-IDF vectors of the paragraphs. "
        "The number of topics is chosen by NPMI coherence when not given.</p>",
        "<details><summary>NMF parameters</summary>", table_html(params(nmf)), "</details>",
        f"<p><b>BERTopic</b> with {bert['n_topics']} topics and an outlier share of "
        f"{_percent(bert['outlier_share'])}: multilingual sentence embeddings, reduced with UMAP and "
        "clustered; topic words come from class-based TF-IDF over the same bilingual tokens as NMF.</p>",
        "<details><summary>BERTopic parameters</summary>", table_html(params(bert)), "</details>",
        f"<p>Every method was refitted with {_plural(len(seeds), 'seed')} ({', '.join(map(str, seeds))}) "
        "to measure how stable its topics are.</p>",
    ])


def themes_section(data: ReportData) -> str:
    """Each theme of the chosen method: label, words per language, a quote, and its stability."""
    method = data.chosen
    threshold = data.metrics["stable_overlap_threshold"]
    text_by_id = dict(zip(data.paragraphs["id"], data.paragraphs["text"]))
    rows = topic_rows(data, data.metrics["chosen_method"] if data.metrics["chosen_method"] in data.metrics["methods"] else method)
    stable = [r for r in rows if r["stability"] >= threshold]
    parts = [f"<p>The report relies on <b>{escape(data.metrics['chosen_method'])}</b> (see the comparison below). "
             f"It finds <b>{_plural(len(rows), 'theme')}</b>; <b>{len(stable)}</b> of them keep at least "
             f"{_percent(threshold)} of their top words (best-match overlap) when the seed changes. "
             "Themes below that are flagged as unstable and are not findings.</p>"]
    for row in sorted(rows, key=lambda r: -r["size"]):
        flag = ("" if row["stability"] >= threshold else
                ' <span style="color:#D55E00"><b>unstable across seeds: not a finding</b></span>')
        words = "".join(
            f"<li><b>{escape(lang)}</b>: {escape(', '.join(w for w, _ in ws[:8]))}</li>"
            for lang, ws in sorted(row.get("words_by_lang", {}).items()) if ws)
        quote_id = next((i for i in row.get("representative_ids", []) if i in text_by_id), None)
        quoted = (f'<blockquote>“{quote(text_by_id[quote_id])}” <small>({escape(quote_id)})</small></blockquote>'
                  if quote_id else "")
        parts.append(
            f"<h4>Theme {row['id']}: {escape(row['label'])}{flag}</h4>"
            f"<p>{_plural(int(row['size']), 'paragraph')} (French {row['n_fr']}, English {row['n_en']}); "
            f"stability across seeds {row['stability']:.2f}. Top words: "
            f"{escape(', '.join(w for w, _ in row['words'][:10]))}.</p><ul>{words}</ul>{quoted}")
    parts += method_figures(data, method)
    return "\n".join(parts)


def method_figures(data: ReportData, method: str) -> list[str]:
    """The figures describing one method's topics (BERTopic has four more than NMF)."""
    parts = [figure_html(data.figure(f"{method}_topic_words"), f"{method}: top words per topic.")]
    if method == "bertopic":
        parts += [
            figure_html(data.figure("bertopic_topic_words_by_language"),
                        "BERTopic: top words per topic, French and English side by side."),
            figure_html(data.figure("bertopic_paragraph_map"),
                        "BERTopic: paragraphs in a 2-D UMAP map of their embeddings (colour = topic, marker = language)."),
            figure_html(data.figure("bertopic_topic_similarity"), "BERTopic: similarity between topics."),
            figure_html(data.figure("bertopic_topic_hierarchy"), "BERTopic: how topics merge into broader ones."),
        ]
    return parts


def articles_section(data: ReportData) -> str:
    """Which articles emphasise which themes: each article's dominant theme and the share table."""
    method = data.chosen
    shares = article_shares(data, method)
    lines = []
    for doc, row in shares.iterrows():
        top = row.sort_values(ascending=False)
        lines.append(f"<li><b>{escape(str(doc))}</b>: {escape(str(top.index[0]))} ({_percent(top.iloc[0])} of its "
                     f"paragraphs)" + (f", then {escape(str(top.index[1]))} ({_percent(top.iloc[1])})"
                                       if len(top) > 1 and top.iloc[1] > 0 else "") + "</li>")
    table = shares.reset_index().rename(columns={"doc": "article"})
    return "\n".join([
        "<p>Each article's most frequent themes (share of its paragraphs):</p>", f"<ul>{''.join(lines)}</ul>",
        "<details><summary>Share of each article's paragraphs in each theme</summary>", table_html(table), "</details>",
        figure_html(data.figure(f"{method}_topic_article_share"), "Share of each article's paragraphs in each theme."),
        figure_html(data.figure("tfidf_article_terms"), "The most distinctive terms of each article (TF-IDF)."),
        figure_html(data.figure("tfidf_article_similarity"), "Article-to-article cosine similarity of TF-IDF vectors."),
    ])


def languages_section(data: ReportData) -> str:
    """How French and English coverage differ: themes by language, and how well the model mixes them."""
    method, name = data.chosen, data.metrics["chosen_method"]
    rows = topic_rows(data, name)
    total_fr = max(1, sum(r["n_fr"] for r in rows))
    total_en = max(1, sum(r["n_en"] for r in rows))
    table = pd.DataFrame([{"theme": f"{r['id']}: {r['label']}", "French paragraphs": r["n_fr"],
                           "English paragraphs": r["n_en"], "share of French coverage": r["n_fr"] / total_fr,
                           "share of English coverage": r["n_en"] / total_en} for r in rows])
    leaning = []
    for r in rows:
        diff = r["n_fr"] / total_fr - r["n_en"] / total_en
        if abs(diff) >= 0.1:
            side = "French" if diff > 0 else "English"
            leaning.append(f"<li>{escape(r['label'])}: {_percent(abs(diff))} points more of the {side} coverage</li>")
    m = data.metrics["methods"]
    centred = ""
    if "bertopic" in m and "bertopic_centered" in m:
        centred = (f"<p>Subtracting each language's mean embedding (the <code>--center-languages</code> option) "
                   f"changes the share of French paragraphs whose nearest English paragraph shares their topic "
                   f"from {m['bertopic']['cross_lingual_pair_agreement']:.2f} to "
                   f"{m['bertopic_centered']['cross_lingual_pair_agreement']:.2f}, and the share of topics holding "
                   f"both languages from {m['bertopic']['bilingual_topic_share']:.2f} to "
                   f"{m['bertopic_centered']['bilingual_topic_share']:.2f}.</p>")
    return "\n".join([
        f"<p>{_percent(m[name]['bilingual_topic_share'])} of the themes hold paragraphs in both French and English; "
        f"for {_percent(m[name]['cross_lingual_pair_agreement'])} of French paragraphs, the closest English paragraph "
        "(by multilingual embedding) is in the same theme.</p>",
        f"<p>Themes that weigh clearly more in one language:</p><ul>{''.join(leaning) or '<li>none (all within 10 points)</li>'}</ul>",
        table_html(table), centred,
        figure_html(data.figure(f"{method}_topic_language_mix"), "Paragraphs per theme, by language."),
    ])


def comparison_section(data: ReportData) -> str:
    """NMF against BERTopic: the evaluation table, the choice of method, and why."""
    m = data.metrics["methods"]
    columns = {"n_topics": "topics", "outlier_share": "outlier share", "npmi_mean": "NPMI",
               "topic_diversity": "diversity", "stability_ari": "ARI across seeds",
               "stability_word_overlap": "word overlap across seeds", "bilingual_topic_share": "bilingual topics",
               "cross_lingual_pair_agreement": "fr/en pairs together"}
    table = pd.DataFrame([{"method": name, **{label: m[name][key] for key, label in columns.items()},
                           "choice score": data.metrics["choice_scores"][name]} for name in m])
    chosen = data.metrics["chosen_method"]
    ranked = sorted(data.metrics["choice_scores"].items(), key=lambda kv: -kv[1])
    runner = ranked[1] if len(ranked) > 1 else None
    why = (f"<p>The report relies on <b>{escape(chosen)}</b>: its mean score over coherence, diversity, stability "
           f"(ARI and word overlap), cross-lingual agreement and coverage (1 − outlier share), each mapped to 0–1, is "
           f"{data.metrics['choice_scores'][chosen]:.2f}"
           + (f", against {runner[1]:.2f} for {escape(runner[0])}" if runner else "") + ".</p>")
    other = "bertopic" if data.chosen == "nmf" else "nmf"
    other_topics = "".join(f"<li>{escape(t['label'])} ({t['size']})</li>" for t in data.topics[other]["topics"])
    return "\n".join([
        why, table_html(table),
        figure_html(data.figure("evaluation_method_comparison"), "Evaluation metrics of every method."),
        f"<p>The topics of {other}, which the report does not rely on (paragraphs per topic):</p><ul>{other_topics}</ul>",
        *method_figures(data, other),
        figure_html(data.figure(f"{other}_topic_language_mix"), f"{other}: paragraphs per topic, by language."),
        figure_html(data.figure(f"{other}_topic_article_share"), f"{other}: share of each article's paragraphs per topic."),
    ])


def limitations_section(data: ReportData) -> str:
    """What limits the conclusions, with the numbers that size each limit."""
    p = data.paragraphs
    truncated = p[~p["text"].str.rstrip().str.contains(r"[.!?…\"”»)]$", regex=True)]
    threshold = data.metrics["stable_overlap_threshold"]
    rows = topic_rows(data, data.metrics["chosen_method"])
    unstable = [r for r in rows if r["stability"] < threshold]
    n_fr = int((p["lang"] == "fr").sum())
    return "\n".join([
        "<ul>",
        f"<li><b>A small corpus.</b> {_plural(p['doc'].nunique(), 'article')} and {_plural(len(p), 'paragraph')}: "
        f"themes rest on a median of {pd.Series([r['size'] for r in rows] or [0]).median():.0f} paragraphs each, "
        "and a theme can be one article's section rather than a theme of the press coverage.</li>",
        f"<li><b>Machine-translated text.</b> {_plural(n_fr, 'paragraph')} are in French; where they are machine "
        "translations (as in the seed articles), names can be mistranslated (\"profondeurs\" for DeepSeek), which "
        "splits one entity into several words and weakens French topic words.</li>",
        f"<li><b>Truncated text.</b> {_plural(len(truncated), 'paragraph')} end without sentence punctuation "
        "(OCR breaks, cut-off columns); they are kept as they are, never completed.</li>",
        f"<li><b>Unstable themes.</b> {len(unstable)} of {len(rows)} themes fall below the stability threshold "
        f"({threshold:.2f}) and are flagged above.</li>",
        "</ul>",
    ])


def show(fragment: str):
    """Display an HTML fragment in the notebook (and so in the exported report)."""
    from IPython.display import HTML, display

    display(HTML(fragment))
