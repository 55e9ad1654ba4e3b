"""A run's themes, saved so that new articles can be placed in them (``topicmap assign``): BERTopic's ``transform``.

A run of the cross-lingual model writes two files beside its results:

* ``placement.json``: the format (``FORMAT_VERSION``), the topicmap version and source digest that wrote it,
  the settings that decide what a unit is and where its vector lies (unit, languages, the segmentation's
  rules, the characters the models read), the embedding (its name and ``embedding_identity``: model, package
  version, encoding procedure), the themes (id, label, size), the fitted alignment's scalars, and the SHA-256
  of the arrays file, so that the two files of one run are never mixed with another's;
* ``placement.npz`` (plain arrays, never pickled objects; the same bytes for the same run): the themes'
  centroids in the aligned space (one unit-length row per theme id), the units the consensus grouped (their
  aligned vectors, float32, at most the model's ``max_fit_units``, and their themes), the anchors of the
  alignment (the anchor units' vectors and each language's pairs of them: ``AnchorAligner.to_state``), and the
  run's own units as keys (SHA-256 of their text) with their themes.

Placing a unit (``Placement.place``), in this order:

1. **the same text gets the same theme**: a unit whose text is one of the run's units' takes that unit's theme.
   A placement rule alone would move some of the run's own paragraphs (a unit the Leiden runs kept with a few
   neighbours may have more neighbours in another theme); the lookup is what makes ``assign`` on the run's
   corpus give every unit its theme. A
   text the run holds more than once, in different themes, is looked up by its unit (id and text) first,
   then takes the theme most of its copies have (ties: the lowest id);
2. otherwise, after the run's alignment moved the unit, the theme its nearest grouped units vote for (cosine,
   as many neighbours as the consensus's kNN graph had), as the model places the units outside its consensus
   sample (``topics.crosslingual.neighbours_theme``). The nearest centroid did this until format version 2;
   the vote agrees better with a fit that saw the new texts (``python -m benchmarks assign``).

A run of another format version, or whose embedding differs from the one this machine would use (another
model, package version or encoding procedure), is refused (``PlacementError``): its vectors would not lie in
the space the centroids were computed in.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .config import Settings
from .outputs import npz_bytes, write_bytes, write_json
from .representations.alignment import CHUNK_ROWS

log = logging.getLogger(__name__)

STATE_FILE = "placement.json"
ARRAYS_FILE = "placement.npz"
FORMAT = "topicmap saved themes"
#: Bump when the files' content or meaning changes; a run of another version is refused.
FORMAT_VERSION = 2
#: Alignments whose fitted state is saved (the primary model's, and none at all).
SAVED_ALIGNMENTS = ("anchors", "none")
#: How a unit got its theme (``placed_by`` of assignments.csv).
SAME_TEXT, NEAREST = "same text", "nearest paragraphs"
#: An article is unlike the run when the median of its units' cosines to their nearest unit of the run is lower than
#: all but this share of the run's own units' cosines to their nearest other unit. On the seeds' run the floor is
#: 0.30 (median 0.55); new articles on data centres, universities and AI lay at 0.31-0.44, a recipe at 0.19 and a
#: German man page at 0.14. A paragraph alone is not judged: short on-subject ones reached only 0.28.
UNLIKE_SHARE = 0.01
#: The command that writes the saved themes, for the messages.
MAKES_THEM = "`topicmap topics --corpus <the run's corpus> --out {folder}` (or `make report`)"


class PlacementError(Exception):
    """The saved themes are missing, of another format or of another embedding; the message says what to run."""


def text_key(text: str) -> bytes:
    """A unit's text as a lookup key: its SHA-256."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def unit_key(unit_id: str, text: str) -> bytes:
    """A unit (its id and text) as a lookup key, for texts the run holds more than once in different themes."""
    return hashlib.sha256(f"unit\x00{unit_id}\x00{text}".encode("utf-8", "surrogatepass")).digest()


def run_languages(settings: Settings, langs: pd.Series) -> list[str]:
    """The languages the run told paragraphs apart among: the settings', else those its paragraphs hold."""
    from .language import UNKNOWN

    if settings.languages:
        return list(settings.languages)
    return sorted(set(langs.astype(str)) - {UNKNOWN, ""})


def lookup_table(ids: list[str], texts: list[str], topics: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keys (n x 32 bytes) and themes of the run's own units (see the module docstring, step 1)."""
    by_text: dict[bytes, list[int]] = {}
    for row, text in enumerate(texts):
        by_text.setdefault(text_key(text), []).append(row)
    keys, themes = [], []
    for key, rows in by_text.items():
        counts = Counter(int(topics[row]) for row in rows)
        keys.append(key)
        themes.append(min(counts, key=lambda theme: (-counts[theme], theme)))
        if len(counts) > 1:
            keys += [unit_key(ids[row], texts[row]) for row in rows]
            themes += [int(topics[row]) for row in rows]
    table = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(-1, 32)
    return table, np.asarray(themes, dtype=np.int64)


def placement_files(result, settings: Settings, languages: list[str]) -> dict[str, bytes] | None:
    """The two files (name -> bytes) that save ``result``'s themes, or None when it has nothing to save."""
    from . import __version__
    from .cache import code_version
    from .representations.embeddings import embedding_identity

    state = result.placement
    if state is None or result.units is None or state.get("alignment") not in SAVED_ALIGNMENTS:
        return None
    units = result.units
    keys, key_themes = lookup_table(units["id"].astype(str).tolist(), units["text"].astype(str).tolist(),
                                    result.labels)
    arrays: dict[str, np.ndarray] = {"centroids": np.asarray(state["centroids"], dtype=np.float64),
                                     "reference_vectors": np.asarray(state["reference_vectors"], dtype=np.float32),
                                     "reference_themes": np.asarray(state["reference_themes"], dtype=np.int64),
                                     "unit_keys": keys, "unit_themes": key_themes}
    aligner = None
    if state["alignment"] == "anchors":
        aligner, aligner_arrays = state["aligner"].to_state()
        arrays.update(aligner_arrays)
    data = npz_bytes(arrays)
    meta = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "topicmap_version": __version__, "code_version": code_version(),
        "model": result.name, "alignment": state["alignment"], "aligner": aligner,
        "embedding": {"name": settings.embedding, "identity": embedding_identity(settings.embedding),
                      "dimension": int(arrays["centroids"].shape[1])},
        "settings": {"unit": settings.unit, "languages": languages,
                     "min_words_for_language_id": settings.min_words_for_language_id,
                     "boilerplate_min_documents": settings.boilerplate_min_documents,
                     "boilerplate_passage_min_documents": settings.boilerplate_passage_min_documents,
                     "boilerplate_passage_words": settings.boilerplate_passage_words,
                     "max_model_characters": settings.max_model_characters,
                     "corpus_suffixes": list(settings.corpus_suffixes), "max_file_bytes": settings.max_file_bytes},
        "themes": [{"id": topic.id, "label": topic.label, "size": topic.size} for topic in result.topics],
        "units": len(units),
        "arrays_sha256": hashlib.sha256(data).hexdigest(),
    }
    from .outputs import json_text

    return {STATE_FILE: json_text(meta).encode("utf-8"), ARRAYS_FILE: data}


def write_placement(folder: Path, result, settings: Settings, languages: list[str]) -> list[Path]:
    """Write ``placement.json`` and ``placement.npz`` into ``folder`` (nothing when the result cannot be saved)."""
    files = placement_files(result, settings, languages)
    if files is None:
        return []
    return [write_bytes(Path(folder) / name, data) for name, data in files.items()]


@dataclass
class Placement:
    """A run's saved themes, read back: ``place`` puts new units in them."""

    folder: Path
    meta: dict[str, Any]
    centroids: np.ndarray
    aligner: Any
    keys: dict[bytes, int]
    reference_vectors: np.ndarray
    reference_themes: np.ndarray

    @property
    def themes(self) -> list[dict]:
        return self.meta["themes"]

    @cached_property
    def nearest_floor(self) -> float:
        """The cosine to their nearest other grouped unit that all but ``UNLIKE_SHARE`` of the run's grouped units
        reach (``nearest_similarity`` of a unit of the run, its own vector left out)."""
        reference = np.asarray(self.reference_vectors, dtype=np.float64)
        nearest = np.empty(len(reference))
        for start in range(0, len(reference), CHUNK_ROWS):
            block = reference[start:start + CHUNK_ROWS] @ reference.T
            block[np.arange(len(block)), np.arange(start, start + len(block))] = -np.inf
            nearest[start:start + CHUNK_ROWS] = block.max(axis=1)
        return float(np.quantile(nearest, UNLIKE_SHARE)) if len(reference) > 1 else -1.0

    @property
    def labels(self) -> dict[int, str]:
        return {int(theme["id"]): str(theme["label"]) for theme in self.themes}

    def settings_for(self, settings: Settings) -> Settings:
        """``settings`` with the run's: new articles are segmented, embedded and aligned as the run's were."""
        saved = self.meta["settings"]
        return settings.replace(
            unit=saved["unit"], embedding=self.meta["embedding"]["name"],
            languages=tuple(saved["languages"]) or None, min_words_for_language_id=saved["min_words_for_language_id"],
            boilerplate_min_documents=saved["boilerplate_min_documents"],
            boilerplate_passage_min_documents=saved["boilerplate_passage_min_documents"],
            boilerplate_passage_words=saved["boilerplate_passage_words"],
            max_model_characters=saved["max_model_characters"], corpus_suffixes=tuple(saved["corpus_suffixes"]),
            max_file_bytes=saved["max_file_bytes"])

    def align(self, embeddings: np.ndarray, langs: np.ndarray) -> np.ndarray:
        """The units' vectors in the run's aligned space."""
        from .representations.language_neutral import unit_rows

        if self.aligner is None:
            return unit_rows(np.asarray(embeddings, dtype=np.float64))
        return self.aligner.transform(embeddings, langs)

    def place(self, units: pd.DataFrame, embeddings: np.ndarray) -> pd.DataFrame:
        """Each unit's theme (``topic``), how it got it (``placed_by``), its cosine to that theme's centroid
        (``similarity``) and to its nearest grouped unit of the run (``nearest_similarity``: low for a unit about
        something the run never saw, which still joins a theme; see ``unlike_articles``)."""
        from .topics.crosslingual import neighbours_theme

        space = self.align(embeddings, units["lang"].astype(str).to_numpy())
        similarities = space @ self.centroids.T
        topics = neighbours_theme(space, self.reference_vectors, self.reference_themes).astype(np.int64)
        placed_by = np.full(len(units), NEAREST, dtype=object)
        for row, (unit_id, text) in enumerate(zip(units["id"].astype(str), units["text"].astype(str))):
            known = self.keys.get(unit_key(unit_id, text), self.keys.get(text_key(text)))
            if known is not None:
                topics[row], placed_by[row] = known, SAME_TEXT
        reference = np.asarray(self.reference_vectors, dtype=np.float64)
        nearest = np.concatenate([(space[start:start + CHUNK_ROWS] @ reference.T).max(axis=1)
                                  for start in range(0, len(space), CHUNK_ROWS)]) if len(space) else np.zeros(0)
        return pd.DataFrame({"topic": topics.astype(int), "placed_by": placed_by,
                             "similarity": np.round(similarities[np.arange(len(units)), topics], 6),
                             "nearest_similarity": np.round(nearest, 6)})

    def unlike_articles(self, docs: pd.Series, placed: pd.DataFrame) -> pd.Series:
        """Per article (``docs`` aligned with ``placed``), the median ``nearest_similarity`` of its units, for the
        articles where it is below ``nearest_floor``: articles about something the run never saw, lowest first.
        Their themes are the nearest there are, not a subject the run found in them."""
        median = placed["nearest_similarity"].groupby(docs.to_numpy()).median()
        return median[median < self.nearest_floor].sort_values()


#: What ``placement.json`` holds (key -> type; a dict for a nested table): a file that parses but lacks a key or
#: holds another type (edited by hand, damaged) is refused in one line naming the key, not met by a KeyError.
STATE_SCHEMA: dict[str, Any] = {
    "format": str, "format_version": int, "topicmap_version": str, "model": str, "alignment": str,
    "embedding": {"name": str, "identity": str, "dimension": int},
    "settings": {"unit": str, "languages": list, "min_words_for_language_id": int, "boilerplate_min_documents": int,
                 "boilerplate_passage_min_documents": int, "boilerplate_passage_words": int,
                 "max_model_characters": int, "corpus_suffixes": list, "max_file_bytes": int},
    "themes": list, "units": int, "arrays_sha256": str,
}
ALIGNER_SCHEMA: dict[str, Any] = {"reference": str, "n_neighbors": int, "bandwidth_scale": (int, float),
                                  "bandwidths": dict}
#: What ``placement.npz`` holds besides the aligner's arrays.
SAVED_ARRAYS = ("centroids", "reference_vectors", "reference_themes", "unit_keys", "unit_themes")


def schema_problem(value: Any, schema: dict[str, Any], where: str = "") -> str | None:
    """The first key of ``schema`` that ``value`` lacks or holds with another type, said as "key x is missing" or
    "key x is a str, not a int"; None when ``value`` fits."""
    if not isinstance(value, dict):
        return f"{f'key {where}' if where else 'the file'} is a {type(value).__name__}, not a table"
    for key, kind in schema.items():
        name = f"{where}.{key}" if where else key
        if key not in value:
            return f"key {name} is missing"
        if isinstance(kind, dict):
            problem = schema_problem(value[key], kind, name)
            if problem:
                return problem
        elif isinstance(value[key], bool) or not isinstance(value[key], kind):
            wanted = " or ".join(k.__name__ for k in kind) if isinstance(kind, tuple) else kind.__name__
            return f"key {name} is a {type(value[key]).__name__}, not a {wanted}"
    return None


def state_problem(meta: dict, held: dict[str, np.ndarray] | None = None) -> str | None:
    """What is wrong with a saved run's ``placement.json`` (and, given, its arrays), or None."""
    problem = schema_problem(meta, STATE_SCHEMA)
    if problem:
        return problem
    if not all(isinstance(t, dict) and isinstance(t.get("id"), int) and isinstance(t.get("label"), str)
               for t in meta["themes"]):
        return "key themes is not a list of themes with an id and a label"
    if meta["alignment"] == "anchors":
        problem = ("key aligner is missing" if "aligner" not in meta else
                   schema_problem(meta["aligner"], ALIGNER_SCHEMA, "aligner"))
        if problem:
            return problem
    if held is None:
        return None
    needed = [*SAVED_ARRAYS, *(["anchor_vectors", *(f"anchor_pairs_{lang}" for lang in meta["aligner"]["bandwidths"])]
                               if meta["alignment"] == "anchors" else [])]
    missing = [name for name in needed if name not in held]
    if missing:
        return f"the arrays lack {', '.join(missing)}"
    if held["centroids"].ndim != 2 or held["centroids"].shape[1] != meta["embedding"]["dimension"] or \
            len(held["reference_vectors"]) != len(held["reference_themes"]) or \
            len(held["unit_keys"]) != len(held["unit_themes"]):
        return "the arrays' shapes do not fit together"
    return None


def read_placement(folder: Path, embedding: str | None = None) -> Placement:
    """The saved themes of the run in ``folder``, checked: ``PlacementError`` in one line naming what is missing
    or what differs (format version, embedding; ``embedding`` is the one asked for, if any)."""
    from . import __version__
    from .representations.embeddings import embedding_identity

    folder = Path(folder)
    state, arrays = folder / STATE_FILE, folder / ARRAYS_FILE
    if not folder.is_dir():
        raise PlacementError(f"no run folder {folder}; give the results folder of a run (--run)")
    if not state.is_file() and not arrays.is_file():
        earlier = " (its run was made before runs saved their themes)" if (folder / "run.json").is_file() else ""
        raise PlacementError(f"{folder} lacks the saved themes ({STATE_FILE} and {ARRAYS_FILE}){earlier}; "
                             f"{MAKES_THEM.format(folder=folder)} writes them with the run's results")
    if not state.is_file() or not arrays.is_file():
        there, missing = (state, arrays) if state.is_file() else (arrays, state)
        raise PlacementError(f"{folder} holds {there.name} but not {missing.name}: the saved themes are incomplete (a "
                             f"file deleted, or not copied); {MAKES_THEM.format(folder=folder)} writes both again")
    try:
        meta = json.loads(state.read_text(encoding="utf-8"))
        version = meta.get("format_version") if isinstance(meta, dict) and meta.get("format") == FORMAT else None
    except (OSError, ValueError):
        version = None
    if version is None:
        raise PlacementError(f"{state} is not topicmap's saved themes; {MAKES_THEM.format(folder=folder)} writes them")
    if isinstance(version, bool) or not isinstance(version, int):
        raise PlacementError(f"{state} is damaged: its format_version is {version!r}, not a number; "
                             f"{MAKES_THEM.format(folder=folder)} writes it again")
    if version != FORMAT_VERSION:
        raise PlacementError(
            f"the saved themes in {folder} are of format version {version} (topicmap {meta.get('topicmap_version')}), "
            f"this topicmap ({__version__}) reads version {FORMAT_VERSION}; make the run again with this version: "
            f"{MAKES_THEM.format(folder=folder)}")
    problem = state_problem(meta)
    if problem:
        raise PlacementError(f"{state} is damaged ({problem}); {MAKES_THEM.format(folder=folder)} writes it again")
    saved = meta["embedding"]
    if embedding is not None and embedding != saved["name"]:
        raise PlacementError(f"the run in {folder} was made with the embedding {saved['name']!r}, not {embedding!r}: "
                             "its themes lie in that embedding's space; leave --embedding out (assign uses the run's)")
    here = embedding_identity(saved["name"])
    if here != saved["identity"]:
        raise PlacementError(f"the run in {folder} was made with another embedding ({saved['identity']}) than "
                             f"{saved['name']!r} is here ({here}): its themes lie in another space; make the run "
                             f"again here: {MAKES_THEM.format(folder=folder)}")
    data = arrays.read_bytes()
    if hashlib.sha256(data).hexdigest() != meta.get("arrays_sha256"):
        raise PlacementError(f"{arrays} is not the one {STATE_FILE} was written with (another run's, or changed); "
                             f"{MAKES_THEM.format(folder=folder)} writes them again")
    import io

    with np.load(io.BytesIO(data), allow_pickle=False) as loaded:
        held = {name: loaded[name] for name in loaded.files}
    problem = state_problem(meta, held)
    if problem:
        raise PlacementError(f"{folder}'s saved themes do not fit together ({problem}); "
                             f"{MAKES_THEM.format(folder=folder)} writes them again")
    if meta.get("topicmap_version") != __version__:
        log.warning("the saved themes were written by topicmap %s, this is %s (same format, version %d)",
                    meta.get("topicmap_version"), __version__, FORMAT_VERSION)
    from .representations.alignment import AnchorAligner

    aligner = AnchorAligner.from_state(meta["aligner"], held) if meta["alignment"] == "anchors" else None
    keys = {bytes(key): int(theme) for key, theme in zip(held["unit_keys"], held["unit_themes"])}
    return Placement(folder, meta, held["centroids"], aligner, keys, held["reference_vectors"],
                     held["reference_themes"])


def theme_summary(placement: Placement, units: pd.DataFrame, placed: pd.DataFrame) -> str:
    """One line for the whole, then one per theme of the run: its units (by language, and how many by their
    text) and its label; then the units in a language the run did not hold, and the articles unlike the run's."""
    from .language import other_language_name

    unit = placement.meta["settings"]["unit"]
    same = int((placed["placed_by"] == SAME_TEXT).sum())
    def counted(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    articles = units["doc"].nunique()
    lines = [f"{counted(len(units), unit)} of {counted(articles, 'article')} placed in "
             f"the {len(placement.themes)} themes of {placement.folder} ({same} by their text, "
             f"{len(units) - same} by their nearest {unit}s' themes)"]
    langs = units["lang"].astype(str).to_numpy()
    for theme in placement.themes:
        mine = placed["topic"].to_numpy() == int(theme["id"])
        counts = Counter(langs[mine].tolist())
        by_lang = ", ".join(f"{lang} {n}" for lang, n in sorted(counts.items())) or "none"
        by_text = int((mine & (placed["placed_by"] == SAME_TEXT).to_numpy()).sum())
        lines.append(f"  topic {theme['id']:>2} ({int(mine.sum()):>3} units: {by_lang}; {by_text} by their text): "
                     f"{theme['label']}")
    held = list(placement.meta["settings"]["languages"])
    other = pd.Series(langs[~np.isin(langs, held)]).value_counts()
    if held and len(other):
        lines.append(f"{int(other.sum())} of the {len(units)} {unit}s are in a language the run did not hold (" +
                     ", ".join(f"{other_language_name(lang)}: {n}" for lang, n in other.items()) +
                     "): no anchor of the run aligned them, so their themes are less sure")
    unlike = placement.unlike_articles(units["doc"].astype(str), placed)
    if len(unlike):
        one = len(unlike) == 1
        lines.append(f"{len(unlike)} of the {units['doc'].nunique()} articles {'is' if one else 'are'} unlike the run's: "
                     f"{'its' if one else 'their'} {unit}s lie farther from every one of the run's than "
                     f"{1 - UNLIKE_SHARE:.0%} of the run's lie from their nearest (median cosine below "
                     f"{placement.nearest_floor:.2f}), so {'its' if one else 'their'} themes are only the nearest "
                     "there are: " + ", ".join(f"{doc} ({value:.2f})" for doc, value in unlike.items()))
    return "\n".join(lines)
