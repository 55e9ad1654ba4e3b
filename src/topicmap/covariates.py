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
import re
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


#: A date written with its year first (2025-02-18, 2025/02/18, 2025-02, 2025, with a time or not): ISO 8601's order.
_YEAR_FIRST = re.compile(r"^\d{4}(?:[-/]\d{1,2}(?:[-/]\d{1,2})?)?(?:[T ].*)?$")
#: Day and month as numbers, then the year (18/02/2025, 02/18/2025, 18.02.2025, 18-02-25).
_NUMBERS_THEN_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")


def date_problem(value: str) -> str | None:
    """Why ``value`` is not read as a date (None when it is one, see ``parse_date``)."""
    text = str(value).strip()
    numbers = _NUMBERS_THEN_YEAR.match(text)
    if numbers and int(numbers.group(1)) <= 12 and int(numbers.group(2)) <= 12 and numbers.group(1) != numbers.group(2):
        return "could be read day first or month first; write it year first (2025-03-04)"
    if parse_date(text) is None:
        return "is not a date (with its year in four digits; 2025-03-04 is always read right)"
    return None


def parse_date(value: str) -> str | None:
    """``value`` as an ISO date (``YYYY-MM-DD``), or None when it is not a date.

    Read alike in every file: year first as ISO 8601 (``2025-02``: the 1st of the month); day and month in
    numbers only when they cannot be swapped (``18/02/2025`` and ``02/18/2025`` are the 18th of February,
    ``03/04/2025`` is None: pandas read it month first and ``20/03/2025`` day first, two orders in one corpus);
    written out ("February 18, 2025") when it holds a four-digit year. A time alone ("12:30:00", which pandas
    makes today's date) or a day without a year is no date.
    """
    text = str(value).strip()
    if not text:
        return None
    numbers = _NUMBERS_THEN_YEAR.match(text)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas' "could not infer format" for free-form dates
            if _YEAR_FIRST.match(text):
                parsed = pd.to_datetime(text.replace("/", "-"), format="ISO8601")
            elif numbers:
                first, second, year = int(numbers.group(1)), int(numbers.group(2)), numbers.group(3)
                if first <= 12 and second <= 12 and first != second:
                    return None  # 03/04/2025: the 3rd of April or the 4th of March
                day, month = (first, second) if first > 12 or first == second else (second, first)
                parsed = pd.Timestamp(year=int(year) + (2000 if len(year) == 2 else 0), month=month, day=day)
            elif re.search(r"(?<!\d)\d{4}(?!\d)", text):
                parsed = pd.to_datetime(text)
            else:
                return None
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
                        log.warning("%s: date %r %s; the article counts, without a date", where, value,
                                    date_problem(value))
                        continue
                    value = date
                values[key] = str(value).strip()
        rows.append({"doc": doc, **values})  # "doc" is reserved: values never hold it
    for (place, key), named in reserved.items():
        log.warning("%s of %s: key %r ignored, topicmap takes %s", place, listed_names(named), key, RESERVED_KEYS[key])
    table = pd.DataFrame(rows, columns=["doc"]) if not rows else pd.DataFrame(rows)
    for column in PARAGRAPH_COVARIATES:
        if column not in table:
            table[column] = ""
    return table.fillna("")


def declared_language(fields: dict[str, str]) -> str:
    """The value of a document's ``language`` (or ``lang``) key in its front matter or corpus.toml table, "" if none."""
    for key, value in fields.items():
        if ALIASES.get(str(key).lower(), str(key).lower()) == "language":
            return str(value).strip()
    return ""


def listed_names(docs: list[str], shown: int = 5) -> str:
    """The first ``shown`` names, then how many more ("a, b, c, d, e and 3 more")."""
    more = f" and {len(docs) - shown} more" if len(docs) > shown else ""
    return ", ".join(docs[:shown]) + more


def with_covariates(paragraphs: pd.DataFrame, covariates: pd.DataFrame) -> pd.DataFrame:
    """The paragraph table with its documents' ``PARAGRAPH_COVARIATES`` as columns (replacing any already there)."""
    kept = paragraphs.drop(columns=[c for c in PARAGRAPH_COVARIATES if c in paragraphs])
    joined = kept.merge(covariates[["doc", *PARAGRAPH_COVARIATES]], on="doc", how="left")
    return joined.fillna({column: "" for column in PARAGRAPH_COVARIATES})
