"""Metrics, step 4: every evaluated model, refitted over seeds, described by the same measures.

Evaluation takes models (by registry name) and the run's ``Representations``; it never runs the
pipeline. Each model is fitted once per seed; the run's own fits (the analysis seed) are reused.
Coherence is counted on a seeded sample of at most ``coherence.MAX_UNITS_FOR_COHERENCE`` units. On a
corpus of more than ``MAX_UNITS_FOR_EVALUATION`` units the comparison refits every model, for every seed,
on one seeded sample of that size, so comparing models costs the same on 100,000 paragraphs as on 3,000.
The primary model, whose themes the report presents, is then also measured as the report shows it:
refitted on every unit with every seed (``primary_on_every_unit``), so a theme's stability flag belongs to
that theme and not to a theme of the sample's fit. Its fit is bounded by design (consensus on a sample,
every unit then assigned), so this costs a few fits of the run's own size.
"""

from __future__ import annotations

import logging
import math
from dataclasses import replace

import numpy as np
from tqdm.auto import tqdm

from ..topics.base import OUTLIER, TopicResult
from ..topics.edits import merged_alike
from ..topics.registry import PRIMARY, fixed_number_of_themes, model_for
from .coherence import npmi_by_language, npmi_coherence, coherence_sample, topic_diversity
from .language import bilingual_topic_share, cross_lingual_pair_agreement
from .stability import stability

log = logging.getLogger(__name__)

#: Each measure of the evaluation (a key of ``metrics.json``'s per-model measures) by the one name the report,
#: the notebooks and the figures give it, so that one quantity is never shown under two names.
MEASURE_NAMES = {"n_topics": "themes", "cross_lingual_pair_agreement": "nearest pairs together",
                 "bilingual_topic_share": "bilingual themes", "stability_ari": "ARI across seeds",
                 "stability_word_overlap": "word overlap across seeds", "npmi_by_language": "NPMI per language", "npmi_pooled": "NPMI, languages pooled",
                 "topic_diversity": "diversity", "outlier_share": "outliers"}

def shown_number(value: float, form: str = "{:.2f}") -> str:
    """A measure as the report, the figures and the notebooks print it: ``form`` applied, never a negative zero
    ("-0.00")."""
    text = form.format(value)
    return text[1:] if text.startswith("-") and float(text) == 0 else text


#: A theme whose top words overlap less than this (Jaccard, best match) with the other seeds'
#: topics, on average, does not survive a change of seed: the report flags it, not presents it.
STABLE_OVERLAP = 0.5
#: A theme whose paragraphs stay together in fewer of the consensus's runs than this is not a finding.
MIN_THEME_CONSENSUS = 0.5


#: Units the evaluation refits every model on at most (one seeded sample beyond).
MAX_UNITS_FOR_EVALUATION = 3000


def evaluation_seeds(settings) -> list[int]:
    """The analysis seed first (the reference run), then other stability seeds, as many as configured."""
    others = [s for s in settings.stability_seeds if s != settings.seed]
    return [settings.seed, *others][: max(2, len(settings.stability_seeds))]


def measure_model(runs: list[TopicResult], representations, top_n: int = 10, seed: int = 0) -> dict:
    """Every measure of one model: quality of the reference run ``runs[0]``, stability over ``runs``; samples
    (coherence, nearest pairs, silhouettes on large corpora) drawn with ``seed``, the analysis seed."""
    reference = runs[0]
    topics = [t for t in reference.topics if t.id != OUTLIER]
    rows = coherence_sample(len(representations), seed)
    texts = [representations.terms[i] for i in rows]
    npmi_pooled = npmi_coherence([t.top_words(top_n) for t in topics], texts)
    npmi_lang = npmi_by_language(topics, representations, top_n, seed)
    stable = stability(runs, top_n)
    finite = lambda values: float(np.nanmean(values)) if np.isfinite(values).any() else math.nan  # noqa: E731
    return {
        "n_topics": reference.n_topics,
        "outlier_share": reference.outlier_share,
        "npmi_by_language": finite(npmi_lang),
        "npmi_by_language_per_topic": {str(t.id): v for t, v in zip(topics, npmi_lang)},
        "npmi_pooled": finite(npmi_pooled),
        "topic_diversity": topic_diversity([t.top_words(top_n) for t in topics], top_n),
        "stability_ari": stable["mean_pairwise_ari"],
        "stability_word_overlap": stable["mean_matched_word_overlap"],
        "topic_overlap_across_seeds": {str(k): v for k, v in stable["topic_overlap"].items()},
        "bilingual_topic_share": bilingual_topic_share(reference.labels, representations.langs),
        "cross_lingual_pair_agreement": cross_lingual_pair_agreement(
            reference.labels, representations.embeddings, representations.langs, seed),
        "silhouette_per_topic": theme_silhouettes(reference.labels, reference.space, seed),
    }


#: Units the silhouette of the themes is computed on at most (a seeded sample beyond).
MAX_UNITS_FOR_SILHOUETTE = 3000


def theme_silhouettes(labels: np.ndarray, space: np.ndarray | None, seed: int = 0) -> dict[str, float]:
    """Theme -> mean silhouette of its units (cosine, in the space the themes were found in; outliers aside):
    below 0, its units lie on average closer to another theme than to their own, the mark of a catch-all
    that gathers what fits nowhere else. Empty for a model without a vector space (NMF), and where a silhouette
    is not defined: fewer than 2 themes, or as many themes as units (``--topics`` at the number of units)."""
    from sklearn.metrics import silhouette_samples

    labels = np.asarray(labels)
    rows = np.flatnonzero(labels != OUTLIER)
    if len(rows) > MAX_UNITS_FOR_SILHOUETTE:
        rows = np.sort(np.random.RandomState(seed).choice(rows, MAX_UNITS_FOR_SILHOUETTE, replace=False))
    if space is None or not 2 <= len(set(labels[rows].tolist())) < len(rows):
        return {}
    values = silhouette_samples(np.asarray(space)[rows], labels[rows], metric="cosine")
    return {str(int(t)): round(float(values[labels[rows] == t].mean()), 6) for t in sorted(set(labels[rows].tolist()))}


def comparison_rows(n_units: int, seed: int) -> np.ndarray | None:
    """The seeded sample of units on which, in a corpus of more than ``MAX_UNITS_FOR_EVALUATION`` units,
    the models are compared and the comparison models fitted (sorted rows); None when every unit is used."""
    if n_units <= MAX_UNITS_FOR_EVALUATION:
        return None
    return np.sort(np.random.RandomState(seed).choice(n_units, MAX_UNITS_FOR_EVALUATION, replace=False))


def seeded_runs(name: str, representations, settings, seeds: list[int], reused: dict[str, TopicResult],
                bar, fitted_params: dict[str, TopicResult] | None = None) -> list[TopicResult]:
    """The model ``name`` fitted with each seed; the run's own fit (``reused``) stands for the analysis seed.

    ``fitted_params`` (default ``reused``) holds the run's fits whose fixed number of themes the runs keep."""
    fitted_params = reused if fitted_params is None else fitted_params
    from sklearn.base import clone

    runs = []
    model = model_for(name, settings)
    # A number of themes given to the run's fit, or chosen by its scan of the candidates, is chosen once: by the run's
    # fit when there is one (even if it was on every unit and these runs are on a sample), else by the first
    # seed's. The other seeds refit at that k, so their agreement measures the themes the report presents.
    if name in fitted_params:
        model.set_params(**fixed_number_of_themes(fitted_params[name]))
    for seed in seeds:
        if seed == settings.seed and name in reused:
            result = reused[name]
        else:
            log.debug("fitting %s with seed %d on %d units", name, seed, len(representations))
            fitted = clone(model).set_params(random_state=seed).fit(representations).result_
            if name in reused:  # themes corpus.toml merged: measured against refits merged alike
                fitted = merged_alike(fitted, reused[name], representations, settings.n_top_words,
                                      settings.n_representative)
            # Only labels and topics are measured: the fit's copy of the vector space (400 MB at 100,000
            # paragraphs) is let go at once instead of being held by every run until the model is described.
            result = replace(fitted, name=name, space=None)
            bar.update()
        if not runs:
            model.set_params(**fixed_number_of_themes(result))
        runs.append(result)
    return runs


def evaluate_models(names: list[str], representations, settings, fitted: dict[str, TopicResult]) -> dict:
    """Fit every model in ``names`` with every evaluation seed and describe each.

    ``fitted`` holds the run's results with the analysis seed (reused, never refitted).
    """
    seeds = evaluation_seeds(settings)
    rows = comparison_rows(len(representations), settings.seed)
    sampled = rows is not None
    compared, compared_fits = representations, fitted
    if sampled:
        compared = representations.subset(rows)
        # the comparison models were fitted on this same sample (``pipeline.fit_models``): reused, not refitted
        compared_fits = {name: result for name, result in fitted.items() if len(result.labels) == len(rows)}
        log.info("models compared on a seeded sample of %d of the units", MAX_UNITS_FOR_EVALUATION)
    primary_on_all = sampled and PRIMARY in names
    fits = sum(len(seeds) - int(name in compared_fits) for name in names) + \
        (len(seeds) - int(PRIMARY in fitted) if primary_on_all else 0)  # the run's own fits are reused
    with tqdm(total=fits, desc="evaluation fits", unit="fit", disable=None) as bar:
        models = {name: measure_model(seeded_runs(name, compared, settings, seeds, compared_fits, bar, fitted), compared,
                                       settings.n_top_words, settings.seed) for name in names}
        on_every_unit = None
        if primary_on_all:
            log.info("the primary model's stability on all %d units", len(representations))
            on_every_unit = measure_model(seeded_runs(PRIMARY, representations, settings, seeds, fitted, bar),
                                           representations, settings.n_top_words, settings.seed)
    primary = fitted.get(PRIMARY)
    evidence = None
    if primary is not None and primary.space is not None and primary.n_topics >= 2:
        from .number_of_themes import number_of_themes_evidence

        # the model's own number of themes, before corpus.toml's [themes] merged any (``topics.edits``)
        chosen = int(primary.params.get("n_topics_before_edits", primary.n_topics))
        log.info("evidence for %d themes: the neighbouring numbers refitted on a sample", chosen)
        evidence = number_of_themes_evidence(primary.space, chosen, settings.seed)
    tree = None
    if primary is not None and primary.space is not None:
        from .theme_tree import theme_tree

        tree = theme_tree(primary.space, primary.labels)
    return {"seeds": seeds, "top_n_words": settings.n_top_words, "stable_overlap_threshold": STABLE_OVERLAP,
            "number_of_themes": evidence, "theme_tree": tree,
            "min_theme_consensus": MIN_THEME_CONSENSUS,
            "primary": PRIMARY, "models": models, "evaluated_units": len(compared), "sampled": sampled,
            "total_units": len(representations), "primary_on_every_unit": on_every_unit}

