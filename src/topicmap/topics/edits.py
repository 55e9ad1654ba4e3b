"""The researcher's own themes: corpus.toml's ``[themes]`` applied to the report's model (BERTopic's
``merge_topics`` and ``set_topic_labels``).

Applied once the model is fitted and before anything reads it (evaluation, figures, results, report), so
every output shows the same themes.

* **Ids** are the model's, as a run numbers its themes without ``[themes]``: the ids the reader saw in the
  report. Merges are made first; a merged theme keeps the **smallest id** of its group, the others' ids are
  no longer used, and every other theme keeps its id, so an id of corpus.toml is the id of the same theme in
  every report before and after the edit. A name is given under any one id of a merged group.
* **A merged theme** is described again from its paragraphs (words per language, its name when none is given
  by hand, its quotes: ``words.describe_topics`` in the model's vector space); every other theme keeps its
  description. Its ``consensus`` is None: the model never grouped those paragraphs together, so how often its
  runs did is not measured. The evaluation then measures the themes as shown, against refits merged alike
  (``merged_alike``: each refit theme joins the merged theme it shares most units with), so a merged theme's
  word overlap and the agreement across seeds compare merged with merged; its silhouette is that of the
  merged paragraphs. The saved centroids (``placement``) give every id of the group the merged theme's
  centroid, so ``topicmap assign`` places a new paragraph in the merged theme (ties go to the first row, the
  smallest id).
* **A name given by hand** replaces the label (``Topic.named_by = "hand"``; the tool's name is kept in
  ``model_label``) and is not checked by use: that check judges the tool's choice of words.
"""

from __future__ import annotations

import dataclasses
import logging

import numpy as np
import pandas as pd

from ..description import ThemeEdits
from .base import OUTLIER, Topic, TopicResult

log = logging.getLogger(__name__)

HAND = "hand"


def edit_themes(result: TopicResult, edits: ThemeEdits, representations, n_words: int = 10,
                n_representative: int = 3) -> TopicResult:
    """``result`` with the themes of ``edits`` merged and named (see the module docstring); DescriptionError
    naming the key of an id the model did not find. ``representations`` are the ones the model was fitted on."""
    if not edits:
        return result
    edits.check_ids({topic.id for topic in result.topics if topic.id != OUTLIER})
    result = merge_themes(result, edits.merges, representations, n_words, n_representative) if edits.merges else result
    return name_themes_by_hand(result, {edits.merged_into(theme): name for theme, name in edits.names})


def merged_alike(refit: TopicResult, reference: TopicResult, representations, n_words: int = 10,
                 n_representative: int = 3) -> TopicResult:
    """``refit`` (the model fitted again, with another seed) with ``reference``'s merges carried over: each of its
    themes is taken to the reference theme it shares most units with (the smaller id on a tie), and its themes
    taken to one merged theme are merged (``merge_themes``). A merged theme is then measured across seeds against
    refits merged alike, not against their parts; ``refit`` as it is when ``reference`` merged nothing."""
    merged = {topic.id for topic in reference.topics if topic.merged_from}
    if not merged:
        return refit
    shared = pd.crosstab(refit.labels, reference.labels)
    groups: dict[int, list[int]] = {}
    for theme, row in shared.iterrows():
        if int(theme) == OUTLIER:
            continue
        target = int(row[row == row.max()].index.min())
        if target in merged:
            groups.setdefault(target, []).append(int(theme))
    merges = tuple(tuple(group) for _, group in sorted(groups.items()) if len(group) >= 2)
    return merge_themes(refit, merges, representations, n_words, n_representative, say=False) if merges else refit


def merge_themes(result: TopicResult, merges, representations, n_words: int = 10,
                 n_representative: int = 3, say: bool = True) -> TopicResult:
    """Each group of ``merges`` joined into one theme with the smallest id of the group, described again (and, when
    ``say``, logged: a refit merged alike is not)."""
    from .words import describe_topics

    target = {theme: min(group) for group in merges for theme in group}
    labels = np.array([target.get(int(t), int(t)) for t in result.labels], dtype=int)
    described = {topic.id: topic for topic in describe_topics(labels, representations, n_words, n_representative,
                                                              space=result.space)}
    topics = []
    for topic in result.topics:
        if topic.id not in target:
            topics.append(topic)
        elif target[topic.id] == topic.id:
            group = sorted(theme for theme, into in target.items() if into == topic.id)
            topics.append(dataclasses.replace(described[topic.id], consensus=None, merged_from=group))
    if say:
        log.info("themes merged as corpus.toml asks: %s", "; ".join(
            " + ".join(str(t) for t in group) + f" -> {min(group)}" for group in merges))
    params = {**result.params, "themes_merged": [list(group) for group in merges],
              "n_topics_before_edits": result.n_topics}
    assignments = result.assignments.assign(topic=labels)
    return dataclasses.replace(result, topics=topics, assignments=assignments, params=params,
                               placement=_merged_placement(result.placement, result.space, labels, target))


def _merged_placement(placement: dict | None, space: np.ndarray | None, labels: np.ndarray,
                      target: dict[int, int]) -> dict | None:
    """The saved themes as merged: the reference units that place new ones (``neighbours_theme``) vote for the
    merged theme's id, and every row of a merged group's centroids is the merged theme's (unit-length mean of its
    units in the model's space), from which a placed unit's similarity is measured."""
    if placement is None or space is None or "centroids" not in placement:
        return placement
    centroids = np.array(placement["centroids"], dtype=np.float64, copy=True)
    for theme, into in target.items():
        mean = np.asarray(space, dtype=np.float64)[labels == into].mean(axis=0)
        centroids[theme] = mean / max(float(np.linalg.norm(mean)), 1e-12)
    merged = {**placement, "centroids": centroids}
    if "reference_themes" in placement:
        merged["reference_themes"] = np.array([target.get(int(t), int(t)) for t in placement["reference_themes"]],
                                              dtype=np.int64)
    return merged


def name_themes_by_hand(result: TopicResult, names: dict[int, str]) -> TopicResult:
    """``result`` with the themes of ``names`` (id -> name) named so, marked as named by hand."""
    if not names:
        return result
    topics = [hand_named(topic, names[topic.id]) if topic.id in names else topic for topic in result.topics]
    return dataclasses.replace(result, topics=topics)


def hand_named(topic: Topic, name: str) -> Topic:
    """``topic`` named ``name`` by hand: the tool's name kept in ``model_label``, the check by use left out."""
    return dataclasses.replace(topic, label=name, named_by=HAND, model_label=topic.label, label_by_lang={},
                               label_agreement=None, label_usage=None)
