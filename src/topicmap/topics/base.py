"""One interface for every topic model, and one result type that metrics, figures and report read.

A topic model is a scikit-learn estimator: parameters in ``__init__`` (a ``random_state`` among
them), ``fit(representations)`` on the prepared ``Representations``, fitted attributes with a
trailing underscore (``labels_``, ``result_``). ``result_`` is a ``TopicResult`` whatever the
algorithm, so a new model or variant needs no change downstream.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from ..outputs import write_csv, write_json

OUTLIER = -1  # the id of units no topic claims (HDBSCAN's outliers)
#: The map's columns in ``assignments_<name>.csv``, and their decimals: a thousandth of the map's width is
#: far below a point's size, and fewer digits keep the file the same on any machine.
MAP_COLUMNS = ("x", "y")
MAP_DECIMALS = 3
#: The two words of a bilingual label translate each other when their multilingual vectors' cosine is at
#: least this ("puces / chips" 0.9; "prevention / stratégie" 0.4).
LABEL_WORDS_AGREE = 0.5


@dataclass
class Topic:
    """One topic: id, size, a short label, top words with weights, per-language words and counts.

    ``consensus`` is how often the topic's units were clustered together over the resampled runs
    of a consensus model (None for models without one): the share of a theme that survives.
    ``label_by_lang`` holds the label's term in each language that names the theme ("fr": "puces",
    "en": "chips"); ``label`` joins them; ``label_agreement`` is the cosine of the two terms' multilingual
    vectors (near 1: the two words translate each other; None with one language or without term vectors).
    ``label_usage`` holds three cosines between mean vectors of paragraphs: of the theme's paragraphs of each
    language that use its word; of the two languages' paragraphs of one theme (the corpus's median); and of
    two different themes (median). The two words are used of one thing when the first is nearer the second
    than the third (``label_halves_agree``).

    ``named_by`` is "model" for a name the tool chose, "hand" for one the researcher gave (corpus.toml's
    ``[themes]``, ``topics.edits``); a name given by hand keeps the tool's in ``model_label`` and is not checked
    by use (its ``label_by_lang``, ``label_agreement`` and ``label_usage`` are empty). ``merged_from`` lists the
    model's themes a theme joins as ``[themes]`` asks (empty for a theme of the model's own).
    """

    id: int
    size: int
    label: str
    words: list[tuple[str, float]]
    words_by_lang: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    n_by_lang: dict[str, int] = field(default_factory=dict)
    representative_ids: list[str] = field(default_factory=list)
    consensus: float | None = None
    label_by_lang: dict[str, str] = field(default_factory=dict)
    label_agreement: float | None = None
    label_usage: tuple[float, float, float] | None = None
    named_by: str = "model"
    model_label: str = ""
    merged_from: list[int] = field(default_factory=list)

    def label_halves_agree(self) -> bool | None:
        """Whether the two halves of a bilingual label say one thing: the words translate each other
        (``LABEL_WORDS_AGREE``) and the paragraphs that use them are nearer in meaning to what one theme's
        paragraphs in the two languages typically are than to what two different themes' are
        (``label_usage``). None for a label of one language."""
        if self.label_agreement is None:
            return None
        if self.label_usage is not None:
            used, one_theme, two_themes = self.label_usage
            if used <= (one_theme + two_themes) / 2:
                return False
        return self.label_agreement >= LABEL_WORDS_AGREE

    def top_words(self, n: int = 10) -> list[str]:
        return [word for word, _ in self.words[:n]]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["words"] = [[w, round(float(s), 6)] for w, s in self.words]
        data["words_by_lang"] = {
            lang: [[w, round(float(s), 6)] for w, s in words] for lang, words in self.words_by_lang.items()
        }
        data["consensus"] = None if self.consensus is None else round(float(self.consensus), 6)
        data["label_agreement"] = None if self.label_agreement is None else round(float(self.label_agreement), 6)
        data["label_usage"] = None if self.label_usage is None else [round(float(c), 6) for c in self.label_usage]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Topic":
        return cls(
            id=int(data["id"]), size=int(data["size"]), label=str(data["label"]),
            words=[(str(w), float(s)) for w, s in data["words"]],
            words_by_lang={lang: [(str(w), float(s)) for w, s in ws] for lang, ws in data.get("words_by_lang", {}).items()},
            n_by_lang={str(k): int(v) for k, v in data.get("n_by_lang", {}).items()},
            representative_ids=[str(i) for i in data.get("representative_ids", [])],
            consensus=data.get("consensus"), label_by_lang={str(k): str(v) for k, v in data.get("label_by_lang", {}).items()},
            label_agreement=data.get("label_agreement"),
            label_usage=tuple(data["label_usage"]) if data.get("label_usage") else None,
            named_by=str(data.get("named_by", "model")), model_label=str(data.get("model_label", "")),
            merged_from=[int(i) for i in data.get("merged_from", [])],
        )


@dataclass
class TopicResult:
    """Topics plus the assignment of every unit (paragraph or document) to a topic id.

    ``name`` is the model's name in the registry (``topics.registry``); ``assignments`` has columns
    ``id`` and ``topic`` (``-1`` = outlier), one row per unit in the order of the units table.
    ``space`` is the vector space the model grouped the units in (embeddings, neutralised or not;
    None for word-count models), used for maps and topic similarity. ``units`` is the table of the units
    (id, doc, lang, text, and ``article``, a reader's name for ``doc``, once the pipeline adds it) in the
    order of ``assignments``; ``coordinates`` their 2-D map, once drawn. Every figure of a model takes this
    one object (``figures.MODEL_FIGURES``). ``placement`` is what places a new unit in these topics, for a
    model that can (the cross-lingual one): ``centroids`` (one unit-length row per topic id, in the space
    the units were grouped in), ``alignment`` and its fitted ``aligner``; ``placement`` saves it.
    """

    name: str
    topics: list[Topic]
    assignments: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)
    space: np.ndarray | None = field(default=None, repr=False)
    units: pd.DataFrame | None = field(default=None, repr=False)
    coordinates: np.ndarray | None = field(default=None, repr=False)
    placement: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def langs(self) -> np.ndarray:
        """The units' languages, aligned with ``labels`` (needs ``units``)."""
        return self.units["lang"].astype(str).to_numpy()

    @property
    def n_topics(self) -> int:
        return sum(1 for topic in self.topics if topic.id != OUTLIER)

    @property
    def outlier_share(self) -> float:
        if len(self.assignments) == 0:
            return 0.0
        return float((self.assignments["topic"] == OUTLIER).mean())

    @property
    def labels(self) -> np.ndarray:
        return self.assignments["topic"].to_numpy()

    def topic(self, topic_id: int) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "params": self.params,
            "n_topics": self.n_topics,
            "outlier_share": round(self.outlier_share, 6),
            "topics": [topic.to_json() for topic in self.topics],
        }

    @classmethod
    def from_files(cls, folder: Path, name: str, units: pd.DataFrame | None = None) -> "TopicResult":
        """Read back what ``write`` wrote: topics, assignments and map coordinates, with the ``units`` (a table
        of every unit of the run, by ``id``) the assignments name. The vector space is not written: None."""
        import json

        data = json.loads((Path(folder) / f"topics_{name}.json").read_text(encoding="utf-8"))
        assignments = pd.read_csv(Path(folder) / f"assignments_{name}.csv", dtype={"id": str, "topic": int},
                                  keep_default_na=False, na_values={MAP_COLUMNS[0]: [""], MAP_COLUMNS[1]: [""]})
        coordinates = None
        if set(MAP_COLUMNS) <= set(assignments.columns):
            coordinates = assignments[list(MAP_COLUMNS)].to_numpy(dtype=float)
        held = None
        if units is not None:
            held = units.set_index("id", drop=False).loc[assignments["id"]].reset_index(drop=True)
        return cls(name=name, topics=[Topic.from_json(t) for t in data["topics"]], assignments=assignments[["id", "topic"]],
                   params=data.get("params", {}), units=held, coordinates=coordinates)

    def write(self, out_dir: Path) -> list[Path]:
        """Write ``topics_<name>.json`` and ``assignments_<name>.csv`` (with the map's ``x``, ``y`` once drawn),
        each atomically."""
        out_dir = Path(out_dir)
        table = self.assignments[["id", "topic"]]
        if self.coordinates is not None:
            table = table.assign(**{column: np.round(self.coordinates[:, i], MAP_DECIMALS)
                                    for i, column in enumerate(MAP_COLUMNS)})
        return [
            write_json(out_dir / f"topics_{self.name}.json", self.to_json()),
            write_csv(out_dir / f"assignments_{self.name}.csv", table),
        ]


def language_counts(labels: np.ndarray, langs: np.ndarray, topic_id: int) -> dict[str, int]:
    """How many units of each language a topic holds (``langs`` aligned with ``labels``)."""
    found = pd.Series(np.asarray(langs)[np.asarray(labels) == topic_id]).value_counts().sort_index()
    return {str(k): int(v) for k, v in found.items()}


def renumber_by_size(labels: np.ndarray) -> np.ndarray:
    """Topic ids renumbered by decreasing size (ties: the old order), 0 the largest; outliers stay -1."""
    labels = np.asarray(labels, dtype=int)
    kept = sorted(set(labels.tolist()) - {OUTLIER})
    sizes = {t: int((labels == t).sum()) for t in kept}
    order = sorted(kept, key=lambda t: (-sizes[t], t))
    new_id = {old: new for new, old in enumerate(order)}
    new_id[OUTLIER] = OUTLIER
    return np.array([new_id[t] for t in labels], dtype=int)


class TopicModel(BaseEstimator):
    """Base of every topic model: ``fit(representations)`` sets ``labels_`` and ``result_``.

    Subclasses set ``name`` (the registry name written into the result) and implement ``fit``.
    """

    name = "topic-model"

    def fit(self, representations, y=None) -> "TopicModel":  # pragma: no cover - interface
        raise NotImplementedError

    def fit_predict(self, representations, y=None) -> np.ndarray:
        return self.fit(representations).labels_
