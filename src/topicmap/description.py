"""The optional description of a corpus: ``corpus.toml`` in the corpus folder.

It says what the study is (title, research question), what each article is (title, source, date),
and which domain words every article shares (removed as stop words). Without it, a report is
generic: article titles come from each file's first title heading, or its file name.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DESCRIPTION_FILE = "corpus.toml"


class DescriptionError(ValueError):
    """``corpus.toml`` exists but cannot be read; the message names the file and the fault."""


@dataclass(frozen=True)
class CorpusDescription:
    """What a corpus is about; every field optional."""

    title: str = ""
    question: str = ""
    limitations: tuple[str, ...] = ()
    domain_stop_words: tuple[str, ...] = ()
    articles: dict[str, dict[str, str]] = field(default_factory=dict)

    def article_title(self, doc: str) -> str | None:
        return self.articles.get(doc, {}).get("title")


def read_description(corpus_folder: Path) -> CorpusDescription:
    """The corpus folder's ``corpus.toml``, or an empty description when there is none."""
    path = Path(corpus_folder) / DESCRIPTION_FILE
    if not path.is_file():
        return CorpusDescription()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise DescriptionError(f"cannot read {path}: {error}") from None
    study = data.get("study", {})
    articles = {str(doc): {str(k): str(v) for k, v in fields.items()} for doc, fields in data.get("articles", {}).items()}
    return CorpusDescription(
        title=str(study.get("title", "")), question=str(study.get("question", "")),
        limitations=tuple(str(x) for x in study.get("limitations", [])),
        domain_stop_words=tuple(str(w).lower() for w in study.get("domain_stop_words", [])),
        articles=articles,
    )


def article_names(docs, headings, description: CorpusDescription) -> dict[str, str]:
    """A readable name for every article: its described title, else its first title heading, else its id."""
    names = {}
    for doc in docs:
        described = description.article_title(doc)
        titles = headings[(headings["doc"] == doc) & (headings["kind"] == "title")]["text"].tolist() if len(headings) else []
        name = described or (titles[0] if titles else str(doc))
        names[doc] = name if len(name) <= 70 else name[:69] + "…"
    return names
