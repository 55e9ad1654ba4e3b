"""The optional description of a corpus: ``corpus.toml`` in the corpus folder.

It says what the study is (title, research question, limitations), which domain words every article
shares (removed as stop words), and what each article is: its title, and any metadata such as its
``date``, ``source`` (outlet) or ``author``, which the analysis uses as covariates. Without the file a
report is generic: article titles come from each file's first title heading, or its file name.

A ``[themes]`` table gives the report's model's themes the researcher's own names and merges some of them
(BERTopic's ``set_topic_labels`` and ``merge_topics``): ``ThemeEdits``, applied by ``topics.edits``.

Every value is checked: a wrong type stops the run with one line naming the file and the key; control
characters (NUL, ESC...), which have no place in a title and break HTML and SVG, are removed with a warning.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

DESCRIPTION_FILE = "corpus.toml"
#: control characters (tab and newlines excepted), C1 ones included
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
STUDY_TEXT_KEYS = ("title", "question")
STUDY_LIST_KEYS = ("limitations", "domain_stop_words")


class DescriptionError(ValueError):
    """``corpus.toml`` exists but cannot be used; the message names the file and the fault."""


#: The key of ``[themes]`` that lists the groups of themes to merge; every other key is a theme id.
MERGE_KEY = "merge"
THEMES_FORMAT = 'a theme id as the report numbers it (2 = "a name / un nom") or merge = [[1, 4]]'


@dataclass(frozen=True)
class ThemeEdits:
    """The researcher's own themes, from ``[themes]``: ``names`` (theme id -> the name given by hand) and
    ``merges`` (groups of theme ids, each joined into one theme). Every id is one the report's model gave,
    as a run numbers its themes without ``[themes]`` (the ids the reader saw in the report); a merged theme
    keeps the smallest id of its group, and its name is given under any one of the group's ids. ``source``
    is the file, for messages."""

    names: tuple[tuple[int, str], ...] = ()
    merges: tuple[tuple[int, ...], ...] = ()
    source: str = ""

    def __bool__(self) -> bool:
        return bool(self.names or self.merges)

    def merged_into(self, theme: int) -> int:
        """The id ``theme`` has once the merges are made (the smallest of its group; itself when not merged)."""
        return next((min(group) for group in self.merges if theme in group), theme)

    def ids(self) -> dict[str, int]:
        """Every theme id the table names, by the key that names it (for the check against the fitted themes)."""
        found = {f"themes.{theme}": theme for theme, _ in self.names}
        for index, group in enumerate(self.merges):
            found.update({f"themes.{MERGE_KEY}[{index}]": theme for theme in group if f"themes.{theme}" not in found})
        return found

    def check_ids(self, themes: set[int]) -> None:
        """DescriptionError naming the key of any id that is not one of ``themes`` (the fitted model's)."""
        for key, theme in sorted(self.ids().items()):
            if theme not in themes:
                shown = ", ".join(str(t) for t in sorted(themes)) or "none"
                raise DescriptionError(f"{self.source}: {key} names theme {theme}, but the report's model found "
                                       f"themes {shown}; use the ids the report gives its themes")


@dataclass(frozen=True)
class CorpusDescription:
    """What a corpus is about; every field optional. ``articles`` maps a document id to its fields (text)."""

    title: str = ""
    question: str = ""
    limitations: tuple[str, ...] = ()
    domain_stop_words: tuple[str, ...] = ()
    articles: dict[str, dict[str, str]] = field(default_factory=dict)
    themes: ThemeEdits = field(default_factory=ThemeEdits)

    def article_title(self, doc: str) -> str | None:
        return self.articles.get(doc, {}).get("title")


#: the fields of the description that only the report reads (``report.title_section``, ``limitations_section``)
STUDY_TEXT_FIELDS = ("title", "question", "limitations")


def description_view(description: CorpusDescription, report: bool = False) -> CorpusDescription:
    """What of the corpus description the figures and the analysis notebooks read, for the keys of their cached
    outputs: all of it but ``STUDY_TEXT_FIELDS``, which only the report shows (a test checks that no other code
    reads them), so that editing the study's title reruns the report alone. With ``report``, all of it."""
    if report:
        return description
    return dataclasses.replace(description, title="", question="", limitations=())


def printable(text: str) -> str:
    """``text`` without control characters (tabs and newlines kept)."""
    return CONTROL_CHARACTERS.sub("", text)


def _text(value: object, where: str, path: Path) -> str:
    """A scalar of corpus.toml as text; dates and times in ISO form; control characters removed (warned)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, dt.date, dt.time)):
        raise DescriptionError(f"{path}: {where} must be text (or a number or date), not {_kind(value)}")
    text = value.isoformat() if isinstance(value, (dt.date, dt.time)) else str(value)
    clean = printable(text)
    if clean != text:
        log.warning("%s: %s holds control characters; removed", path, where)
    return clean


def _kind(value: object) -> str:
    return {dict: "a table", list: "an array", bool: "true/false"}.get(type(value), type(value).__name__)


def _text_list(value: object, where: str, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise DescriptionError(f"{path}: {where} must be an array of text, like [\"...\", \"...\"], not {_kind(value)}")
    return tuple(_text(item, f"{where}[{index}]", path) for index, item in enumerate(value))


def _table(value: object, where: str, path: Path) -> dict:
    if not isinstance(value, dict):
        raise DescriptionError(f"{path}: {where} must be a table ([{where}] with key = value lines), not {_kind(value)}")
    return value


def _article_fields(fields: dict, where: str, path: Path) -> dict[str, str]:
    """An article's fields as text; a value of the wrong type is a warning naming it and is left out (the
    article still counts, without it)."""
    kept = {}
    for key, value in fields.items():
        try:
            kept[str(key)] = _text(value, f"{where}.{key}", path)
        except DescriptionError as error:
            log.warning("%s; left out, the article still counts", error)
    return kept


def _theme_id(value: object, where: str, path: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DescriptionError(f"{path}: {where} must be a theme id, a whole number such as 4 as the report numbers "
                               f"its themes, not {value!r}")
    return value


def parse_themes(value: object, path: Path) -> ThemeEdits:
    """``[themes]``: names given by hand and groups of themes to merge; DescriptionError naming the key of any
    fault (an unknown key, a name that is not text, a merge of fewer than two themes, a theme in two merges,
    two names for one merged theme). Whether the ids are the model's is checked once it is fitted
    (``ThemeEdits.check_ids``)."""
    table = _table(value, "themes", path)
    merges: list[tuple[int, ...]] = []
    merge = table.get(MERGE_KEY, [])
    if not isinstance(merge, list) or not all(isinstance(group, list) for group in merge):
        raise DescriptionError(f"{path}: themes.{MERGE_KEY} must be an array of arrays of theme ids, like "
                               f"{MERGE_KEY} = [[1, 4]], not {_kind(merge)}")
    seen: dict[int, int] = {}
    for index, group in enumerate(merge):
        where = f"themes.{MERGE_KEY}[{index}]"
        ids = tuple(sorted({_theme_id(theme, where, path) for theme in group}))
        if len(ids) < 2:
            raise DescriptionError(f"{path}: {where} merges fewer than two themes ({group}); list at least two ids")
        for theme in ids:
            if theme in seen:
                raise DescriptionError(f"{path}: {where} merges theme {theme}, which themes.{MERGE_KEY}[{seen[theme]}] "
                                       "already merges; put every theme of one merge in one list")
            seen[theme] = index
        merges.append(ids)
    names: dict[int, str] = {}
    named_group: dict[int, int] = {}
    for key, name in table.items():
        if key == MERGE_KEY:
            continue
        where = f"themes.{key}"
        if not re.fullmatch(r"[0-9]{1,9}", str(key)):
            raise DescriptionError(f"{path}: {where} is not a key of [themes]: a key is {THEMES_FORMAT}")
        if not isinstance(name, str):
            raise DescriptionError(f"{path}: {where} must be text, the theme's name (like {key} = \"US–China "
                                   f"rivalry / rivalité sino-américaine\"), not {_kind(name)}")
        text = " ".join(_text(name, where, path).split())
        if not text:
            raise DescriptionError(f"{path}: {where} is empty; give the theme a name, or remove the line")
        theme = int(key)
        if theme in names:  # "1" and "01" are two keys of TOML, one theme
            raise DescriptionError(f"{path}: {where} names theme {theme}, which another key of [themes] already "
                                   "names; name a theme once")
        group = seen.get(theme)
        if group is not None and group in named_group:
            raise DescriptionError(f"{path}: {where} names theme {theme}, merged with theme {named_group[group]} "
                                   f"(themes.{MERGE_KEY}[{group}]) which is already named; name a merged theme once")
        if group is not None:
            named_group[group] = theme
        names[theme] = text
    return ThemeEdits(names=tuple(sorted(names.items())), merges=tuple(merges), source=str(path))


#: The tables of corpus.toml; a key outside them is read by nothing, and said.
TOP_LEVEL_KEYS = ("study", "articles", "themes")


def _unread_keys(data: dict, study: dict, path: Path) -> None:
    """Warn of every key no part of topicmap reads: a misspelt or misplaced one would otherwise do nothing unsaid
    (``domain_stop_words`` above ``[study]`` left "ai / ia" naming a theme)."""
    study_keys = (*STUDY_TEXT_KEYS, *STUDY_LIST_KEYS)
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            hint = (f"; it belongs in the [study] table" if key in study_keys else
                    f"; topicmap reads the tables {', '.join(f'[{k}]' for k in TOP_LEVEL_KEYS)}")
            log.warning("%s: key %r is read by nothing, so it is ignored%s", path, printable(str(key)), hint)
    for key in study:
        if key not in study_keys:
            log.warning("%s: key study.%s is read by nothing, so it is ignored; [study] holds %s", path,
                        printable(str(key)), ", ".join(study_keys))


def parse_description(data: dict, path: Path) -> CorpusDescription:
    """The description in ``data`` (corpus.toml, parsed); DescriptionError naming the key of any wrong value,
    a warning naming any key nothing reads."""
    study = _table(data.get("study", {}), "study", path)
    _unread_keys(data, study, path)
    articles = {}
    for doc, fields in _table(data.get("articles", {}), "articles", path).items():
        fields = _table(fields, f"articles.{doc}", path)
        articles[printable(str(doc))] = _article_fields(fields, f"articles.{doc}", path)
    texts = {key: _text(study.get(key, ""), f"study.{key}", path) for key in STUDY_TEXT_KEYS}
    lists = {key: _text_list(study.get(key, []), f"study.{key}", path) for key in STUDY_LIST_KEYS}
    return CorpusDescription(title=texts["title"], question=texts["question"], limitations=lists["limitations"],
                             domain_stop_words=tuple(word.lower() for word in lists["domain_stop_words"]),
                             articles=articles, themes=parse_themes(data.get("themes", {}), path))


def read_description(corpus_folder: Path) -> CorpusDescription:
    """The corpus folder's ``corpus.toml``, or an empty description when there is none.

    A run reads it in several places (the checks before any work, the settings, the covariates); it is
    parsed, and its warnings said, once for each content of the file (issue 31: each warning was printed
    three times). The description returned is shared: do not modify it.
    """
    path = Path(corpus_folder) / DESCRIPTION_FILE
    if not path.is_file():
        return CorpusDescription()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DescriptionError(f"cannot read {path}: {error}") from None
    except OSError as error:
        raise DescriptionError(f"cannot read {path}: {error.strerror or error}") from None
    return _parsed(path, text)


@functools.lru_cache(maxsize=16)
def _parsed(path: Path, text: str) -> CorpusDescription:
    """The description held in ``text``, the content of ``path``; DescriptionError when it is not one."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DescriptionError(f"cannot read {path}: {error}") from None
    except RecursionError:  # tomllib parses nested arrays and tables by recursion
        raise DescriptionError(f"cannot read {path}: its arrays or tables are nested too deeply") from None
    return parse_description(data, path)


#: Longest article name shown; longer ones are cut with an ellipsis.
MAX_NAME_CHARACTERS = 70


def article_names(docs, headings, description: CorpusDescription,
                  front_matter: dict[str, dict[str, str]] | None = None) -> dict[str, str]:
    """A readable, distinct name for every article: its title in corpus.toml, else in its front matter, else
    its first title heading, else its id.

    Two articles with the same title are told apart by their ids.
    """
    names = {}
    for doc in docs:
        described = description.article_title(doc) or (front_matter or {}).get(doc, {}).get("title")
        titles = headings[(headings["doc"] == doc) & (headings["kind"] == "title")]["text"].tolist() if len(headings) else []
        name = printable(described or (titles[0] if titles else str(doc)))
        names[doc] = name if len(name) <= MAX_NAME_CHARACTERS else name[:MAX_NAME_CHARACTERS - 1] + "…"
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    return {doc: name if counts[name] == 1 else f"{name} ({doc})" for doc, name in names.items()}
