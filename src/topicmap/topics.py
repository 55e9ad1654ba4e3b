"""The result of any topic model (NMF, BERTopic), in one shape that metrics, figures and report read."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .outputs import write_csv, write_json

OUTLIER = -1  # BERTopic's id for paragraphs no topic claims


@dataclass
class Topic:
    """One topic: id, size, a short label, top words with weights, per-language words and counts."""

    id: int
    size: int
    label: str
    words: list[tuple[str, float]]
    words_by_lang: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    n_by_lang: dict[str, int] = field(default_factory=dict)
    representative_ids: list[str] = field(default_factory=list)

    def top_words(self, n: int = 10) -> list[str]:
        return [word for word, _ in self.words[:n]]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["words"] = [[w, round(float(s), 6)] for w, s in self.words]
        data["words_by_lang"] = {
            lang: [[w, round(float(s), 6)] for w, s in words] for lang, words in self.words_by_lang.items()
        }
        data["n_fr"] = int(self.n_by_lang.get("fr", 0))
        data["n_en"] = int(self.n_by_lang.get("en", 0))
        return data


@dataclass
class TopicModelResult:
    """Topics plus the assignment of every unit (paragraph or document) to a topic id.

    ``assignments`` has columns ``id`` and ``topic`` (``-1`` = outlier), one row per unit,
    in the order of the input table.
    """

    method: str
    topics: list[Topic]
    assignments: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def n_topics(self) -> int:
        return sum(1 for topic in self.topics if topic.id != OUTLIER)

    @property
    def outlier_share(self) -> float:
        if len(self.assignments) == 0:
            return 0.0
        return float((self.assignments["topic"] == OUTLIER).mean())

    def topic(self, topic_id: int) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "params": self.params,
            "n_topics": self.n_topics,
            "outlier_share": round(self.outlier_share, 6),
            "topics": [topic.to_json() for topic in self.topics],
        }

    def write(self, out_dir: Path) -> list[Path]:
        """Write ``topics_<method>.json`` and ``assignments_<method>.csv`` atomically."""
        out_dir = Path(out_dir)
        return [
            write_json(out_dir / f"topics_{self.method}.json", self.to_json()),
            write_csv(out_dir / f"assignments_{self.method}.csv", self.assignments[["id", "topic"]]),
        ]


def language_counts(assignments: pd.DataFrame, langs: pd.Series, topic_id: int) -> dict[str, int]:
    """How many units of each language a topic holds (``langs`` aligned with ``assignments``)."""
    mask = (assignments["topic"] == topic_id).to_numpy()
    return {str(k): int(v) for k, v in langs[mask].value_counts().sort_index().items()}
