"""Metrics, step 6: how the themes' prevalence varies with a document covariate (source, period, language).

The view of stm's ``estimateEffect`` for a categorical covariate: per level (an outlet, a month), the share
of its paragraphs in each theme, with a 95% percentile bootstrap interval in which **documents** are
resampled within the level, not paragraphs: the paragraphs of one article are not independent, and
resampling them would make intervals too narrow wherever a theme sits in a few articles. A level is
estimated only with at least ``MIN_DOCUMENTS`` documents; a covariate needs two such levels, or it
cannot be estimated (the report says so instead of drawing it).

Dates are binned to the corpus's span (``period_unit``): days, weeks, months, quarters or years, the finest
that gives at most ``MAX_PERIODS`` periods. A change over time is stated only when the bootstrap interval
of (last period's share - first period's share) excludes zero. A level whose documents are all in one
language, in a corpus of two, is marked: a difference of that source may be a difference of language.

The confound rule, for every covariate: two levels compared (the first and last period, two sources) may
also differ in another covariate (the first week's articles all from one outlet, one outlet writing only in
French). Their **composition overlap** by that covariate is the share of documents they have in common
by it (the sum over its values of the smaller of the two levels' document shares; 1 when alike, 0 when
disjoint). Below ``MIN_COMPOSITION_OVERLAP`` the difference is confounded. It is then measured again with
the other covariate held fixed: within each of its values found in both levels, averaged with weights by
that value's documents (direct standardisation, the categorical analogue of adding the covariate to stm's
``estimateEffect`` formula). A difference that holds there is not the other covariate's alone; one that
does not, or that cannot be estimated (no value with ``MIN_DOCUMENTS`` documents in both levels), may be.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Bootstrap resamples of the documents.
N_BOOTSTRAP = 1000
#: A level (source, period) is estimated only with at least this many documents.
MIN_DOCUMENTS = 3
#: Periods a time axis may have at most; the unit is the finest that keeps within it.
MAX_PERIODS = 24
#: Below this composition overlap by another covariate, a comparison of two levels is confounded.
MIN_COMPOSITION_OVERLAP = 0.5
#: (name, pandas period frequency), finest first.
PERIOD_UNITS = (("day", "D"), ("week", "W"), ("month", "M"), ("quarter", "Q"), ("year", "Y"))


#: Differences are shown in whole percentage points: an interval clears zero only when it does so at that precision.
SHOWN_PRECISION = 0.01


def clears_zero(low: float, high: float) -> bool:
    """Whether an interval of a difference of shares excludes zero by a visible margin: both ends on one side of
    zero once rounded to ``SHOWN_PRECISION`` (an interval read as "0 to 29 points" does not)."""
    steps_low, steps_high = round(low / SHOWN_PRECISION), round(high / SHOWN_PRECISION)
    return bool(steps_low > 0 or steps_high < 0)


def period_unit(dates: pd.Series) -> tuple[str, str]:
    """The finest (name, frequency) of ``PERIOD_UNITS`` that splits ``dates`` into at most ``MAX_PERIODS`` periods."""
    parsed = pd.to_datetime(dates)
    for name, frequency in PERIOD_UNITS:
        if parsed.dt.to_period(frequency).nunique() <= MAX_PERIODS:
            return name, frequency
    return PERIOD_UNITS[-1]


def periods_of(dates: pd.Series) -> tuple[pd.Series, str]:
    """Each date's period as text ("2017-03", "2017-W12"...; "" where there is no date), and the unit's name."""
    known = dates.astype(str).str.len() > 0
    out = pd.Series("", index=dates.index, dtype=object)
    if not known.any():
        return out, ""
    name, frequency = period_unit(dates[known])
    periods = pd.to_datetime(dates[known]).dt.to_period(frequency)
    # a week reads as the day it starts ("2016-11-28"), not as the span pandas writes ("2016-11-28/2016-12-04")
    out[known] = periods.dt.start_time.dt.date.astype(str) if name == "week" else periods.astype(str)
    return out, name


def _document_counts(labels: np.ndarray, docs: np.ndarray, themes: list[int]) -> tuple[list[str], np.ndarray, np.ndarray]:
    frame = pd.DataFrame({"doc": docs, "theme": labels})
    every = pd.crosstab(frame["doc"], frame["theme"])
    counts = every.reindex(columns=themes, fill_value=0)
    return counts.index.astype(str).tolist(), counts.to_numpy(dtype=float), every.sum(axis=1).to_numpy(dtype=float)


def _bootstrap_shares(counts: np.ndarray, sizes: np.ndarray, rng: np.random.RandomState, n_boot: int) -> np.ndarray:
    """(n_boot, themes) shares of paragraphs with the documents resampled with replacement."""
    weights = rng.multinomial(len(sizes), np.full(len(sizes), 1.0 / len(sizes)), size=n_boot).astype(float)
    return (weights @ counts) / np.maximum(weights @ sizes, 1.0)[:, None]


def prevalence_by_covariate(labels: np.ndarray, docs: np.ndarray, levels: np.ndarray, langs: np.ndarray,
                            seed: int, n_boot: int = N_BOOTSTRAP, themes: list[int] | None = None) -> pd.DataFrame:
    """Per (level, theme): documents and paragraphs of the level, the theme's share of its paragraphs and a
    95% interval (documents resampled within the level); ``estimated`` is False for a level of fewer than
    ``MIN_DOCUMENTS`` documents (no interval); ``one_language`` names the language when all its documents'
    paragraphs are in one language and the corpus has several. Paragraphs without a level ("") are left out.
    ``themes``: the themes to give a row (share 0 where no paragraph is in one), by default those of ``labels``:
    a theme of paragraphs left out here (another language's) still has its row.
    """
    labels, docs, levels, langs = (np.asarray(x) for x in (labels, docs, levels, langs))
    themes = sorted(set(labels.tolist()) | set(themes or []))
    several_languages = len(set(langs.tolist())) > 1
    rng = np.random.RandomState(seed)
    rows = []
    for level in sorted({str(v) for v in levels.tolist()} - {""}):
        inside = levels.astype(str) == level
        names, counts, sizes = _document_counts(labels[inside], docs[inside], themes)
        estimated = len(names) >= MIN_DOCUMENTS
        boot = _bootstrap_shares(counts, sizes, rng, n_boot) if estimated else None
        level_langs = sorted(set(langs[inside].tolist()))
        for index, theme in enumerate(themes):
            share = float(counts[:, index].sum() / sizes.sum())
            low, high = (np.percentile(boot[:, index], [2.5, 97.5]) if estimated else (np.nan, np.nan))
            rows.append({"level": level, "theme": int(theme), "documents": len(names), "paragraphs": int(sizes.sum()),
                         "share": share, "low": float(low), "high": float(high), "estimated": estimated,
                         "one_language": level_langs[0] if several_languages and len(level_langs) == 1 else ""})
    return pd.DataFrame(rows, columns=["level", "theme", "documents", "paragraphs", "share", "low", "high",
                                       "estimated", "one_language"])


def estimable(prevalence: pd.DataFrame) -> bool:
    """Whether a covariate can be estimated: at least two levels of ``MIN_DOCUMENTS`` documents or more."""
    return prevalence.empty is False and prevalence.loc[prevalence["estimated"], "level"].nunique() >= 2


def change_between(labels: np.ndarray, docs: np.ndarray, levels: np.ndarray, first: str, last: str, theme: int,
                   seed: int, n_boot: int = N_BOOTSTRAP) -> tuple[float, float, float]:
    """The theme's share in level ``last`` minus in ``first``, with a 95% interval (documents resampled within
    each level)."""
    labels, docs, levels = np.asarray(labels), np.asarray(docs), np.asarray(levels).astype(str)
    rng = np.random.RandomState(seed)
    boots, shares = [], []
    for level in (first, last):
        inside = levels == level
        _, counts, sizes = _document_counts(labels[inside], docs[inside], [theme])
        shares.append(float(counts[:, 0].sum() / sizes.sum()))
        boots.append(_bootstrap_shares(counts, sizes, rng, n_boot)[:, 0])
    low, high = np.percentile(boots[1] - boots[0], [2.5, 97.5])
    return shares[1] - shares[0], float(low), float(high)


def _document_values(docs: np.ndarray, values: np.ndarray) -> pd.Series:
    """Each document's value of a covariate: its paragraphs' most frequent one (ties: the first in order).
    Vectorised: one count per (document, value), sorted, the first row of each document kept."""
    frame = pd.DataFrame({"doc": np.asarray(docs).astype(str), "value": np.asarray(values).astype(str)})
    counts = frame.groupby(["doc", "value"], sort=True).size().reset_index(name="n")
    top = counts.sort_values(["doc", "n"], ascending=[True, False], kind="stable").drop_duplicates("doc")
    return pd.Series(top["value"].to_numpy(), index=top["doc"].to_numpy())


def composition_overlap(docs: np.ndarray, levels: np.ndarray, other: np.ndarray, first: str, last: str) -> float:
    """The share of documents that levels ``first`` and ``last`` have in common by the covariate ``other``:
    the sum over its values of the smaller of the two levels' document shares (1 alike, 0 disjoint)."""
    level_of, value_of = _document_values(docs, levels), _document_values(docs, other)
    shares = [value_of[level_of.index[level_of == level]].value_counts(normalize=True) for level in (first, last)]
    return float(pd.concat(shares, axis=1).fillna(0.0).min(axis=1).sum())


def change_among_comparable(labels: np.ndarray, docs: np.ndarray, levels: np.ndarray, other: np.ndarray,
                            first: str, last: str, theme: int, seed: int,
                            n_boot: int = N_BOOTSTRAP) -> tuple[float, float, float] | None:
    """The theme's change from level ``first`` to ``last`` with the covariate ``other`` held fixed: the change
    within each value of ``other`` that has at least ``MIN_DOCUMENTS`` documents in each level, averaged with
    weights by that value's documents in the two (direct standardisation), and a 95% interval with documents
    resampled within each (level, value). Documents of other values are left out. None when no value has
    enough documents in both levels."""
    labels, docs, levels = np.asarray(labels), np.asarray(docs).astype(str), np.asarray(levels).astype(str)
    level_of, value_of = _document_values(docs, levels), _document_values(docs, other)
    cells = pd.crosstab(value_of[level_of.isin([first, last])], level_of[level_of.isin([first, last])])
    if not {first, last} <= set(cells.columns):
        return None
    common = sorted(cells.index[(cells[first] >= MIN_DOCUMENTS) & (cells[last] >= MIN_DOCUMENTS)])
    if not common:
        return None
    comparable = value_of.index[value_of.isin(common) & level_of.isin([first, last])]
    rng, change, boot = np.random.RandomState(seed), 0.0, np.zeros(n_boot)
    value_rows = value_of.reindex(docs).to_numpy()  # each paragraph's document's value
    for value in common:
        weight = float((value_of[comparable] == value).sum() / len(comparable))
        for sign, level in ((-1.0, first), (1.0, last)):
            inside = (value_rows == value) & (levels == level)
            _, counts, sizes = _document_counts(labels[inside], docs[inside], [theme])
            change += sign * weight * float(counts[:, 0].sum() / sizes.sum())
            boot += sign * weight * _bootstrap_shares(counts, sizes, rng, n_boot)[:, 0]
    low, high = np.percentile(boot, [2.5, 97.5])
    return change, float(low), float(high)


def confounds(labels: np.ndarray, docs: np.ndarray, levels: np.ndarray, others: dict[str, np.ndarray],
              first: str, last: str, theme: int, seed: int) -> list[dict]:
    """For a difference between levels ``first`` and ``last``, every other covariate (name -> paragraph values,
    "" unknown) by which the two levels' documents overlap less than ``MIN_COMPOSITION_OVERLAP``: its name, the
    overlap, and the change among comparable documents (``change``: (difference, low, high), or None). A
    covariate unknown for every document of a level is not judged."""
    found, levels = [], np.asarray(levels).astype(str)
    for name, other in others.items():
        known = np.asarray(other).astype(str) != ""
        if not all((known & (levels == level)).any() for level in (first, last)):
            continue  # a level none of whose documents has the covariate: nothing to judge by
        overlap = composition_overlap(np.asarray(docs)[known], levels[known], np.asarray(other)[known], first, last)
        if overlap < MIN_COMPOSITION_OVERLAP:
            change = change_among_comparable(np.asarray(labels)[known], np.asarray(docs)[known],
                                             levels[known], np.asarray(other)[known],
                                             first, last, theme, seed)
            found.append({"covariate": name, "overlap": overlap, "change": change})
    return found


def stated_differences(labels: np.ndarray, docs: np.ndarray, levels: np.ndarray, prevalence: pd.DataFrame,
                       others: dict[str, np.ndarray], over_time: bool, seed: int) -> list[dict]:
    """The differences a reader is told about, one per theme whose interval excludes zero: between the first
    and the last estimated period (``over_time``), or between the estimated levels where the theme is smallest
    and largest (sources). Each: theme, first, last, their shares, difference, low, high, and ``confounds``
    (``confounds`` with the ``others`` covariates)."""
    estimated = prevalence[prevalence["estimated"]]
    shares = estimated.set_index(["level", "theme"])["share"]
    found = []
    for theme in sorted(estimated["theme"].unique()):
        rows = estimated[estimated["theme"] == theme].sort_values("level" if over_time else "share", kind="stable")
        if len(rows) < 2:
            continue
        first, last = rows["level"].iloc[0], rows["level"].iloc[-1]
        diff, low, high = change_between(labels, docs, levels, first, last, int(theme), seed)
        if clears_zero(low, high):
            found.append({"theme": int(theme), "first": first, "last": last,
                          "first_share": float(shares[(first, theme)]), "last_share": float(shares[(last, theme)]),
                          "difference": diff, "low": low, "high": high,
                          "confounds": confounds(labels, docs, levels, others, first, last, int(theme), seed)})
    return found
