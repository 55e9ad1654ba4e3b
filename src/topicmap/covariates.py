"""Step 2 of the chain, continued: what is known of each document besides its text (its covariates).

Two places give them, as stm's ``estimateEffect`` takes document covariates:

* a file's YAML front matter (``date``, ``source`` or ``outlet``, ``author``, any other key);
* the article tables of ``corpus.toml`` (``[articles.<id>]`` with ``date = 2025-02-18``, ``source = "..."``),
  which win where both give a key.

``date`` is parsed (``2025-02-18``, ``2025-02``, ``2025``, or any form pandas reads) and kept as an ISO
date; ``outlet`` is read as ``source``, ``lang`` as ``language``. Neither place can change what topicmap
computes: a key named like one of its own fields (``doc``, ``id``...) is ignored, with one warning naming the
key and its documents (a front-matter ``doc: b`` gave file ``a`` the id of ``b``, issue 31). A value that
cannot be used (a date that is not one, a value of the wrong type) is a warning that names the file and the
value; the document still counts, without that value.
Every paragraph then carries its document's ``date`` and ``source`` (``paragraphs.csv``).
"""

from __future__ import annotations

import logging
import warnings

import pandas as pd

log = logging.getLogger(__name__)

#: The covariates every paragraph carries, in ``paragraphs.csv`` (empty where unknown).
PARAGRAPH_COVARIATES = ("date", "source")
#: Other names the front matter may give a covariate.
ALIASES = {"outlet": "source", "publisher": "source", "published": "date", "lang": "language"}
#: Keys of corpus.toml's article tables that describe the file, not the document's circumstances.
NOT_COVARIATES = {"title", "language", "note"}
#: Fields topicmap computes for a document or its paragraphs, and where from; metadata of these names is
#: ignored, with a warning.
RESERVED_KEYS = {"doc": "a document's id from its file path", "id": "a paragraph's id from its document's id",
                 "line": "it from the text", "text": "it from the text", "n_words": "it from the text",
                 "article": "an article's name from its title"}


def parse_date(value: str) -> str | None:
    """``value`` as an ISO date (``YYYY-MM-DD``), or None when it is not a date."""
    text = str(value).strip()
    if not text:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas' "could not infer format" for free-form dates
            parsed = pd.to_datetime(text)
    except (ValueError, TypeError, OverflowError):
        return None
    if pd.isna(parsed):
        return None
    return parsed.date().isoformat()


def document_covariates(docs: list[str], front_matter: dict[str, dict[str, str]], described: dict[str, dict[str, str]]
                        ) -> pd.DataFrame:
    """One row per document of ``docs``: ``doc``, then every covariate any document has (``date`` and ``source``
    always), from its front matter and its ``corpus.toml`` table (which wins); "" where unknown."""
    rows = []
    reserved: dict[tuple[str, str], list[str]] = {}  # (place, key) -> its documents, said once
    for doc in docs:
        values: dict[str, str] = {}
        for place, where, fields in (
                ("the front matter", f"{doc} (front matter)", front_matter.get(doc, {})),
                ("corpus.toml's articles", f"corpus.toml, articles.{doc}", described.get(doc, {}))):
            for key, value in fields.items():
                key = ALIASES.get(str(key).lower(), str(key).lower())
                if key in RESERVED_KEYS:
                    reserved.setdefault((place, key), []).append(doc)
                    continue
                if key in NOT_COVARIATES or key == "source_note":
                    continue
                if key == "date":
                    date = parse_date(value)
                    if date is None:
                        log.warning("%s: date %r is not a date; the article counts, without a date", where, value)
                        continue
                    value = date
                values[key] = str(value).strip()
        rows.append({"doc": doc, **values})  # "doc" is reserved: values never hold it
    for (place, key), named in reserved.items():
        log.warning("%s of %s: key %r ignored, topicmap takes %s", place, _listed(named), key, RESERVED_KEYS[key])
    table = pd.DataFrame(rows, columns=["doc"]) if not rows else pd.DataFrame(rows)
    for column in PARAGRAPH_COVARIATES:
        if column not in table:
            table[column] = ""
    return table.fillna("")


def _listed(docs: list[str], shown: int = 5) -> str:
    more = f" and {len(docs) - shown} more" if len(docs) > shown else ""
    return ", ".join(docs[:shown]) + more


def with_covariates(paragraphs: pd.DataFrame, covariates: pd.DataFrame) -> pd.DataFrame:
    """The paragraph table with its documents' ``PARAGRAPH_COVARIATES`` as columns (replacing any already there)."""
    kept = paragraphs.drop(columns=[c for c in PARAGRAPH_COVARIATES if c in paragraphs])
    joined = kept.merge(covariates[["doc", *PARAGRAPH_COVARIATES]], on="doc", how="left")
    return joined.fillna({column: "" for column in PARAGRAPH_COVARIATES})
