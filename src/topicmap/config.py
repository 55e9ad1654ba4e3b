"""All settings of the analysis in one place, with their defaults and the reason for each."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

@dataclass(frozen=True)
class Settings:
    """Paths and parameters of one analysis run; pass it explicitly, never read globals."""

    # --- paths (relative ones are resolved against project_root) ---
    project_root: Path = field(default_factory=Path.cwd)
    corpus_dir: Path = Path("seeds")
    results_dir: Path = Path("results")
    figures_dir: Path = Path("figures")
    reports_dir: Path = Path("reports")
    cache_dir: Path = Path(".cache")

    #: where a run that writes into staging folders publishes each of them ((path setting, folder), ...): the
    #: report names the folders a reader will find, not the staging ones (``published_path``)
    published_dirs: tuple[tuple[str, Path], ...] = ()

    # --- reproducibility ---
    seed: int = 42

    # --- corpus and segmentation ---
    #: file endings read from the corpus folder
    corpus_suffixes: tuple[str, ...] = (".txt", ".md")
    #: a corpus file larger than this is skipped, unread, with a warning naming it and its size. A news article
    #: is under 100 KB; 200 MB is some 30 million words, a whole archive in one file. Reading a 50 MB file took
    #: 560 MB of memory (its bytes, its text, the text cleaned, its UTF-8 for the digest), so 200 MB takes about
    #: 2 GB, and segmenting it minutes. Larger files are disk images, dumps or sparse files named .txt, which
    #: were read whole before the binary check (issue 31).
    max_file_bytes: int = 200_000_000
    #: paragraphs shorter than this many words take their document's language,
    #: because language identification is unreliable on a handful of words
    min_words_for_language_id: int = 5
    #: ISO 639-1 codes of the corpus's languages, e.g. ("en", "fr"); paragraphs are told apart
    #: among these only. None: the languages holding at least 5% of the corpus's words, found
    #: by a quick first pass (see language.corpus_languages)
    languages: tuple[str, ...] | None = None
    #: A paragraph found in at least this many documents, compared without case, spacing, digits, punctuation
    #: or a short label ending it (``paragraphs.repeated_text_key``), is boilerplate: navigation, a newsletter
    #: footer, "To access this command…", "Day 12 of the war". Every copy is set aside, in dropped.csv as
    #: "repeated in N documents": a line many articles share says nothing of any one's subject, and 30 of them
    #: made a theme of their own in a help-pages corpus (issue 33). Keeping one copy would give its words to
    #: whichever article sorts first. 3, not 2: the same agency dispatch or quotation in two outlets is
    #: content. A count, not a share of the corpus: a share low enough to catch a footer in 14 of 36 articles
    #: (39%) would ask for 2 of 4 articles, where a quotation two outlets share goes, and for 390 of 1,000. In a
    #: corpus of 4 this asks for 3 of the 4, which a site's footer or navigation reaches and an article's own
    #: paragraph almost never. 0 turns the rule off.
    boilerplate_min_documents: int = 3
    #: A passage of at least this many words found inside the paragraphs of
    #: ``boilerplate_passage_min_documents`` documents or more (compared as ``boilerplate_min_documents``'s
    #: paragraphs are) is boilerplate a scraper glued to content: a share bar ("Send Facebook Twitter Google+
    #: ... Newsvine Permalink" in 14 news articles), a newsletter plea, a translator's credit in 20 man pages.
    #: It is cut out of its paragraph, to dropped.csv as "passage repeated in N documents"
    #: (``paragraphs.cut_repeated_passages``). 10 words, not 8: "the Islamic State of Iraq and the Levant" is a
    #: name. 4 documents, not 3: on 250 news articles a sentence of one agency's dispatch was in 3 outlets'.
    #: 0 turns the rule off.
    boilerplate_passage_words: int = 10
    boilerplate_passage_min_documents: int = 4

    # --- preprocessing (shared by TF-IDF, NMF and BERTopic) ---
    #: words every article of a study shares (its subject), removed in every language; read from the
    #: corpus folder's corpus.toml (``description.py``), empty for a corpus without one
    domain_stop_words: tuple[str, ...] = ()
    stem: bool = False
    min_token_length: int = 2

    # --- topics (every model) ---
    #: "auto" lets each model choose (see its docstring); an int asks every model for that many topics
    topics: int | str = "auto"
    n_top_words: int = 10
    n_representative: int = 3
    n_terms_per_article: int = 10
    #: NMF's k is chosen by NPMI coherence over this range when ``topics`` is "auto"
    nmf_topic_range: tuple[int, int] = (3, 12)
    #: model paragraphs, or whole documents (for corpora of many short articles)
    unit: str = "paragraph"
    #: the cross-lingual model finds its consensus on a seeded sample of at most this many units and
    #: assigns every other unit to its nearest sampled units' theme (the consensus costs the square of its units); the
    #: number of themes is then chosen on the sample and checked by the agreement of two such samples
    #: (``topics.crosslingual``). On
    #: 113,901 labelled paragraphs (``python -m benchmarks scale_stability``) a sample of 8,000 instead of
    #: 1,500 did not make the themes agree better between seeds (at 20 themes, ARI 0.77 against 0.78
    #: with 4,000); choosing k by sample agreement did (7 themes, ARI 0.88; 6 themes and 0.85 since the anchors' bandwidth
    #: was doubled).
    consensus_sample_units: int = 1500

    # --- embeddings ---
    embedding: str = "use"
    #: the models (embeddings, terms) read at most this many characters of a unit, cut at a space: one 50 MB
    #: paragraph made the USE encoder ask for a (7,739,287 tokens x 1280) float32 array, 40 GB (issue 31), as
    #: it holds ~17 KB per token (~5 characters); at this bound a unit costs it under 100 MB and a second.
    #: 20,000 characters (~3,000 words) is far beyond any news paragraph (the seeds' longest has 972) and
    #: beyond most whole articles (``--unit document``; the seeds' longest has 14,562), so they are read
    #: whole. paragraphs.csv keeps every text whole; a run says how many units were cut.
    max_model_characters: int = 20_000

    # --- evaluation ---
    #: the models compared in the report (names of ``topics.registry.MODELS``); the primary first
    evaluated_models: tuple[str, ...] = ("crosslingual", "crosslingual_centred", "crosslingual_raw",
                                         "bertopic", "nmf")
    stability_seeds: tuple[int, ...] = (42, 7, 123, 2024, 31337)

    # --- parallel stages (Dask: reading aside, segmentation, language identification, embedding) ---
    #: address of an existing Dask scheduler ("tcp://host:8786"); None reads TOPICMAP_SCHEDULER, and
    #: without either a LocalCluster over this machine's cores is started when the run is parallel
    scheduler: str | None = None
    #: True or False forces Dask on or off; None decides per run: on with a scheduler, or when the corpus
    #: holds at least ``parallel_min_characters``. Starting a LocalCluster and loading the language and
    #: embedding models in every worker costs about 10 s, which a corpus of fewer than some 2,000 paragraphs
    #: never earns back (embedding takes ~6 ms a news paragraph); the seeds and the tests stay single-process.
    #: On 2 cores, 10,000 paragraphs embedded no faster with 2 workers than in one process (README).
    parallel: bool | None = None
    #: about 2,000 news paragraphs of 3 sentences (news-2000 of the benchmark holds ~0.8 million)
    parallel_min_characters: int = 800_000
    #: documents are segmented in Dask tasks of about this many characters (a document is never split)
    parallel_chunk_characters: int = 1_000_000

    def path(self, name: str) -> Path:
        """Absolute path of a path setting (``corpus_dir``, ``results_dir``, ...)."""
        value = Path(getattr(self, name))
        return value if value.is_absolute() else self.project_root / value

    def published_path(self, name: str) -> Path:
        """Where the folder of the path setting ``name`` is found once the run is published (``path`` otherwise)."""
        return Path(dict(self.published_dirs).get(name, self.path(name)))

    @property
    def corpus_path(self) -> Path:
        return self.path("corpus_dir")

    @property
    def results_path(self) -> Path:
        return self.path("results_dir")

    @property
    def figures_path(self) -> Path:
        return self.path("figures_dir")

    @property
    def reports_path(self) -> Path:
        return self.path("reports_dir")

    @property
    def cache_path(self) -> Path:
        return self.path("cache_dir")

    def replace(self, **changes: object) -> "Settings":
        """A copy with some settings changed; ``None`` values are ignored (unset CLI options)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def find_project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding this project's pyproject.toml.

    Notebooks run with their own folder as working directory; this lets them use the
    same relative paths as the command line.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and 'name = "topicmap"' in pyproject.read_text(encoding="utf-8"):
            return folder
    raise FileNotFoundError(
        f"No topicmap project found at or above {here}; run from inside the project folder."
    )


#: Path settings a child process (a notebook kernel run by ``topicmap report``, or the tests)
#: receives through the environment as ``TOPICMAP_<NAME>``, e.g. ``TOPICMAP_CORPUS_DIR``.
#: ``TOPICMAP_OUTPUT_ROOT`` puts results/, figures/, reports/ and .cache/ under one folder.
PATH_SETTINGS = ("corpus_dir", "results_dir", "figures_dir", "reports_dir", "cache_dir")


def settings_key(settings: Settings) -> str:
    """Every setting, with the output folders where they are published rather than where they are staged (a
    staging folder's name changes from run to run; what a run writes does not depend on it): part of the keys
    of cached outputs."""
    import dataclasses

    fields = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)}
    fields.pop("published_dirs")
    fields.update({name: settings.published_path(name) for name in PATH_SETTINGS})
    return repr(sorted(fields.items()))


def settings_environment(settings: Settings) -> dict[str, str]:
    """The TOPICMAP_* variables that make ``project_settings()`` in a child process match ``settings``."""
    env = {f"TOPICMAP_{name.upper()}": str(settings.path(name)) for name in PATH_SETTINGS}
    env.update({f"TOPICMAP_PUBLISHED_{name.upper()}": str(folder) for name, folder in settings.published_dirs})
    env["TOPICMAP_SEED"] = str(settings.seed)
    # what the models see: a notebook run for `topicmap report --unit document` must model documents too
    env.update({"TOPICMAP_EMBEDDING": str(settings.embedding), "TOPICMAP_UNIT": settings.unit,
                "TOPICMAP_TOPICS": str(settings.topics)})
    return env


class SettingsError(ValueError):
    """A TOPICMAP_* variable holds a value that cannot be used; the message names it."""


#: numpy's random generators take seeds in 0 .. 2**32 - 1
MAX_SEED = 2**32 - 1
EMBEDDING_NAMES = ("use", "minilm")
#: files one of which every sentence-transformers (or Hugging Face) model folder holds
MODEL_FOLDER_FILES = ("modules.json", "config_sentence_transformers.json", "config.json")


def seed_problem(text: str) -> str | None:
    """What is wrong with ``text`` as a seed (None: a whole number numpy accepts); the --seed option and
    TOPICMAP_SEED say the same."""
    try:
        value = int(text)
    except ValueError:
        return f"expected a whole number from 0 to {MAX_SEED}, got {text!r}"
    if not 0 <= value <= MAX_SEED:
        return f"the seed must be from 0 to {MAX_SEED} (numpy's limit), got {value}"
    return None


def embedding_problem(text: str) -> str | None:
    """What is wrong with ``text`` as an embedding backend (None: 'use', 'minilm', or the folder of a local
    sentence-transformers model); the --embedding option and TOPICMAP_EMBEDDING say the same."""
    if text in EMBEDDING_NAMES:
        return None
    folder = Path(text)
    if folder.is_dir() and any((folder / name).is_file() for name in MODEL_FOLDER_FILES):
        return None
    return (f"expected use, minilm or the folder of a local sentence-transformers model "
            f"(holding {' or '.join(MODEL_FOLDER_FILES)}), got {text!r}")


def embedding_setting(text: str) -> str:
    """An accepted embedding as the settings keep it: a name, or a model folder as an absolute path (the
    notebooks a report runs see it from another working folder)."""
    return text if text in EMBEDDING_NAMES else str(Path(text).expanduser().absolute())


def from_environment(project_root: Path, environ: dict[str, str] | None = None) -> Settings:
    """Settings rooted at ``project_root``, with the TOPICMAP_* variables of ``environ`` applied.

    The command line and the notebooks both start here, so ``TOPICMAP_CORPUS_DIR=/path make lab`` and
    ``TOPICMAP_CORPUS_DIR=/path topicmap report`` analyse the same folder (options given on the command
    line win over the variables). ``TOPICMAP_OUTPUT_ROOT`` puts results/, figures/, reports/ and .cache/
    under one folder.
    """
    environ = os.environ if environ is None else environ
    settings = Settings(project_root=Path(project_root))
    if environ.get("TOPICMAP_OUTPUT_ROOT"):
        root = Path(environ["TOPICMAP_OUTPUT_ROOT"]).expanduser().absolute()
        settings = settings.replace(results_dir=root / "results", figures_dir=root / "figures",
                                    reports_dir=root / "reports", cache_dir=root / ".cache")
    for name in PATH_SETTINGS:
        value = environ.get(f"TOPICMAP_{name.upper()}")
        if value:
            settings = settings.replace(**{name: Path(value).expanduser().absolute()})
    published = tuple((name, Path(environ[f"TOPICMAP_PUBLISHED_{name.upper()}"])) for name in PATH_SETTINGS
                      if environ.get(f"TOPICMAP_PUBLISHED_{name.upper()}"))
    if published:
        settings = settings.replace(published_dirs=published)
    if environ.get("TOPICMAP_SEED"):
        problem = seed_problem(environ["TOPICMAP_SEED"])
        if problem:
            raise SettingsError(f"TOPICMAP_SEED={environ['TOPICMAP_SEED']!r}: {problem}")
        settings = settings.replace(seed=int(environ["TOPICMAP_SEED"]))
    if environ.get("TOPICMAP_EMBEDDING"):
        problem = embedding_problem(environ["TOPICMAP_EMBEDDING"])
        if problem:
            raise SettingsError(f"TOPICMAP_EMBEDDING={environ['TOPICMAP_EMBEDDING']!r}: {problem}")
        settings = settings.replace(embedding=embedding_setting(environ["TOPICMAP_EMBEDDING"]))
    if environ.get("TOPICMAP_UNIT"):
        if environ["TOPICMAP_UNIT"] not in ("paragraph", "document"):
            raise SettingsError(f"TOPICMAP_UNIT must be 'paragraph' or 'document', not {environ['TOPICMAP_UNIT']!r}")
        settings = settings.replace(unit=environ["TOPICMAP_UNIT"])
    if environ.get("TOPICMAP_TOPICS"):
        value = environ["TOPICMAP_TOPICS"]
        if value != "auto" and not (value.isdigit() and int(value) > 0):
            raise SettingsError(f"TOPICMAP_TOPICS must be 'auto' or a positive whole number, not {value!r}")
        settings = settings.replace(topics=value if value == "auto" else int(value))
    return settings


def project_settings(**changes: object) -> Settings:
    """Settings for a notebook: rooted at the enclosing project, then TOPICMAP_* overrides, then ``changes``."""
    return from_environment(find_project_root()).replace(**changes)
