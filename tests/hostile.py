"""Hostile but ordinary news text for the tests: prices, tickers, hashtags, TeX-like characters, emoji, RTL marks.

``newslike_corpus`` generates a seeded corpus of French and English news articles (with a ``corpus.toml``)
whose titles, paragraphs and metadata mix every character that a text layout engine may read as markup.
``fake_analysis`` builds, without fitting a model, what ``pipeline.draw_figures`` draws from: every figure
can then be drawn from any texts in seconds.
"""

from __future__ import annotations

import json
import random
from types import SimpleNamespace

import numpy as np
import pandas as pd

#: Characters matplotlib's mathtext, LaTeX, Markdown, format strings or bidirectional text treat as markup.
MARKUP = ["$", "$$", "%", "_", "^", "\\", "{", "}", "{}", "#", "&", "~", "\\n", "\\alpha", "$x^2$", "%s", "{0}",
          "\u200f", "\u200e", "\u202e", "\U0001F600", "\U0001F4C8", "\u20ac", "\u00a0", "*", "`", "|", "<b>", "]]"]
#: Whole snippets a reporter writes: prices, tickers, percentages, hashtags, handles, file paths.
SNIPPETS = ["$80", "$90 next", "US$1.2bn", "$TSLA", "50%", "+3,5 %", "#OPEC", "#IA", "@user_name", "x^2",
            "C:\\data\\file", "{draft}", "ça coûte 5 $", "R&D", "a_b_c", "\u200fمرحبا\u200f", "\u05e9\u05dc\u05d5\u05dd",
            "\U0001F680 launch", "\u26a1 énergie", "100 \u20ac", "~40", "E = mc^2", "$$$"]

EN_WORDS = ("oil prices rose after producers agreed to cut output again while markets watched the central bank "
            "and the government announced new energy subsidies for households facing higher bills this winter "
            "analysts expect inflation to slow as demand weakens across europe and asia").split()
FR_WORDS = ("les prix du pétrole ont augmenté après que les producteurs ont accepté de réduire encore la production "
            "tandis que les marchés surveillaient la banque centrale et le gouvernement annonçait de nouvelles aides "
            "pour les ménages face aux factures plus élevées cet hiver selon les analystes").split()
SOURCES = ["Le Monde $", "Reuters_wire", "AFP^2", "The {Times}", "#News", "Journal \\ Quotidien"]


def _sprinkle(rng: random.Random, words: list[str], share: float) -> list[str]:
    """The words with about ``share`` of them replaced by or glued to markup characters and snippets."""
    out = []
    for word in words:
        roll = rng.random()
        if roll < share / 2:
            out.append(rng.choice(SNIPPETS))
        elif roll < share:
            mark = rng.choice(MARKUP)
            out.append(mark + word if rng.random() < 0.5 else word + mark)
        else:
            out.append(word)
    return out


def _sentence(rng: random.Random, vocabulary: tuple[str, ...] | list[str], share: float) -> str:
    words = [rng.choice(vocabulary) for _ in range(rng.randint(9, 18))]
    text = " ".join(_sprinkle(rng, words, share))
    return text[0].upper() + text[1:] + "."


def _title(rng: random.Random, vocabulary) -> str:
    """A headline: always with a dollar sign or two, and other markup."""
    words = [rng.choice(vocabulary) for _ in range(rng.randint(3, 7))]
    return " ".join([rng.choice(["Oil at $80", "$TSLA", "Prix: 5 $", "$$ cuts"])] + _sprinkle(rng, words, 0.5))


def _toml_string(text: str) -> str:
    """``text`` as a TOML basic string (quotes, backslashes and control characters escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c >= " " and c != "\x7f" else f"\\u{ord(c):04x}" for c in escaped) + '"'


def newslike_corpus(n_articles: int, seed: int = 0) -> dict[str, str]:
    """{file name: text} of ``n_articles`` French and English news articles, and a ``corpus.toml``.

    Each article (a ``.md`` or a ``.txt`` file) has a Markdown headline, 2-5 paragraphs of 9-18 words per sentence, and markup characters in
    about a tenth of its words; about a third start with front matter (date, source); the corpus.toml gives
    the study a title, a research question, domain stop words, and titles and sources to some articles, all
    full of markup too. Seeded: the same arguments give the same corpus.
    """
    rng = random.Random(seed)
    files: dict[str, str] = {}
    title = "Oil at $80: #OPEC, 50% & {cuts} ^_^ \U0001F6E2"
    question = "Do $ prices_rise in FR & EN? \u200f" + rng.choice(SNIPPETS)
    limitation = "Prices in US$ and € ($80, 5 $) are quoted as printed; #tags & @handles kept \\ as_is ^^"
    toml = ["[study]", f"title = {_toml_string(title)}", f"question = {_toml_string(question)}",
            f"limitations = [{_toml_string(limitation)}, {_toml_string(rng.choice(SNIPPETS) + ' {0} %s')}]",
            f"domain_stop_words = [{_toml_string('$')}, {_toml_string('pétrole')}]", ""]
    for index in range(n_articles):
        lang = "fr" if index % 2 else "en"
        vocabulary = FR_WORDS if lang == "fr" else EN_WORDS
        doc = f"{index:04d}_{lang}"
        lines = []
        if index % 3 == 0:
            lines += ["---", f"date: 2024-{1 + index % 12:02d}-{1 + index % 28:02d}",
                      f"source: {json.dumps(rng.choice(SOURCES), ensure_ascii=False)}",
                      f"title: {json.dumps(_title(rng, vocabulary), ensure_ascii=False)}", "---", ""]
        lines += [f"# {_title(rng, vocabulary)}", ""]
        for _ in range(rng.randint(2, 5)):
            lines += [" ".join(_sentence(rng, vocabulary, 0.1) for _ in range(rng.randint(1, 3))), ""]
        # half Markdown, whose markup a reader does not see (``markup``), half plain text, where it is text
        files[f"{doc}{'.md' if index % 4 < 2 else '.txt'}"] = "\n".join(lines)
        if index % 4 == 0:
            toml += [f"[articles.{doc}]", f"title = {_toml_string(_title(rng, vocabulary))}",
                     f"source = {_toml_string(rng.choice(SOURCES))}", f'language = "{lang}"',
                     f"date = {_toml_string(f'2023-{1 + index % 12:02d}')}",
                     f"note = {_toml_string(' '.join(_sprinkle(rng, list(vocabulary[:6]), 0.6)))}", ""]
    files["corpus.toml"] = "\n".join(toml)
    return files


# --- what the figures are drawn from ---------------------------------------------------------------------


def fake_analysis(paragraphs: pd.DataFrame, names: dict[str, str], words: list[str], n_themes: int = 4,
                  seed: int = 0) -> SimpleNamespace:
    """What ``pipeline.draw_figures`` reads, made up around real ``paragraphs`` (doc, lang, text, n_words and,
    if known, date and source): themes labelled with ``words`` and drawn at random, two models, an evaluation."""
    from topicmap.representations.tfidf import ArticleTerms
    from topicmap.topics.base import Topic, TopicResult

    rng = np.random.RandomState(seed)
    units = paragraphs.reset_index(drop=True).copy()
    units["article"] = units["doc"].map(lambda doc: names.get(doc, doc))
    n = len(units)
    docs = sorted(units["doc"].unique())
    langs = sorted(units["lang"].astype(str).unique())
    pick = lambda k: [str(words[i]) for i in rng.randint(0, len(words), size=k)]  # noqa: E731
    terms = {doc: [(word, float(s)) for word, s in zip(pick(6), np.linspace(1, 0.2, 6))] for doc in docs}
    similarity = None if len(docs) > 40 else pd.DataFrame(np.eye(len(docs)), index=docs, columns=docs)
    main_language = units.groupby("doc")["lang"].agg(lambda values: values.value_counts().index[0]).to_dict()
    article_terms = ArticleTerms(terms=terms, similarity=similarity, languages=main_language)

    def result(name: str) -> TopicResult:
        labels = rng.randint(0, n_themes, size=n)
        topics = [Topic(id=t, size=int((labels == t).sum()), label=" / ".join(pick(2)),
                        words=[(w, 1.0 / (i + 1)) for i, w in enumerate(pick(8))],
                        words_by_lang={lang: [(w, 1.0 / (i + 1)) for i, w in enumerate(pick(8))] for lang in langs},
                        n_by_lang={lang: int(((labels == t) & (units["lang"] == lang)).sum()) for lang in langs})
                  for t in range(n_themes)]
        return TopicResult(name, topics, pd.DataFrame({"id": units["id"], "topic": labels}), {"random_state": seed},
                           space=rng.normal(size=(n, 8)), units=units, coordinates=rng.normal(size=(n, 2)))

    measures = lambda: {"cross_lingual_pair_agreement": 0.5, "bilingual_topic_share": 0.7, "stability_ari": 0.8,  # noqa: E731
                        "stability_word_overlap": 0.6, "npmi_by_language": 0.1, "topic_diversity": 0.9,
                        "outlier_share": 0.0, "n_topics": n_themes}
    metrics = {"primary": "crosslingual", "models": {"crosslingual": measures(), "nmf": measures()}, "seeds": [42, 7]}
    segmentation = SimpleNamespace(paragraphs=paragraphs)
    return SimpleNamespace(results={"crosslingual": result("crosslingual"), "nmf": result("nmf")},
                           primary="crosslingual", article_names=names, paragraphs=paragraphs,
                           article_terms=article_terms, metrics=metrics, segmentation=segmentation)
