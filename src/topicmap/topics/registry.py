"""Every model and variant the project fits, named once, built from the settings in one place."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Callable

from ..config import Settings

if TYPE_CHECKING:
    from .base import TopicModel

#: The model the report relies on: cross-lingual by design (see ``crosslingual``).
PRIMARY = "crosslingual"


def _embedding_model(class_name: str, **variant) -> Callable[[Settings], "TopicModel"]:
    """A builder of the embedding-based model ``class_name`` with the settings' parameters and ``variant``."""
    def build(settings: Settings) -> "TopicModel":
        module = {"CrossLingualTopicModel": ".crosslingual", "BertopicTopicModel": ".bertopic"}[class_name]
        model_class = getattr(import_module(module, __package__), class_name)
        sized = ({"max_fit_units": settings.consensus_sample_units} if class_name == "CrossLingualTopicModel" else
                 {"clustering": "hdbscan" if settings.topics == "auto" else "kmeans"})
        return model_class(n_topics=settings.topics, n_top_words=settings.n_top_words,
                           n_representative=settings.n_representative, random_state=settings.seed, **sized, **variant)
    return build


def _nmf(settings: Settings) -> "TopicModel":
    from .nmf import NmfTopicModel

    return NmfTopicModel(n_topics=settings.topics,
                         topic_range=settings.nmf_topic_range, n_top_words=settings.n_top_words,
                         n_representative=settings.n_representative, random_state=settings.seed)


#: name -> (what a reader should call it, how to build it from the settings).
MODELS: dict[str, tuple[str, Callable[[Settings], "TopicModel"]]] = {
    "crosslingual": ("Cross-lingual consensus themes (languages aligned by anchors)",
                     _embedding_model("CrossLingualTopicModel", alignment="anchors")),
    "crosslingual_centred": ("Consensus themes, languages only centred",
                             _embedding_model("CrossLingualTopicModel", alignment="center")),
    "crosslingual_raw": ("Consensus themes on raw embeddings",
                         _embedding_model("CrossLingualTopicModel", alignment="none")),
    "crosslingual_ward": ("Earlier model: Ward consensus, language subspace removed",
                          _embedding_model("CrossLingualTopicModel", alignment="subspace", clustering="ward")),
    "bertopic": ("BERTopic (UMAP + HDBSCAN)", _embedding_model("BertopicTopicModel", center_languages=False)),
    "bertopic_centred": ("BERTopic, languages centred", _embedding_model("BertopicTopicModel", center_languages=True)),
    "nmf": ("TF-IDF + NMF baseline", _nmf),
}


def model_for(name: str, settings: Settings) -> "TopicModel":
    """A fresh, unfitted model called ``name`` with the settings' parameters."""
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}")
    return MODELS[name][1](settings)


def fixed_number_of_themes(result) -> dict:
    """The number of themes a fit settled on, as the parameter that makes another fit keep it: empty when
    the fit's own seed may choose it again cheaply (rule of thumb, HDBSCAN), ``{"n_topics": k}`` when it was
    given or chosen by a scan of every candidate k (a choice that costs dozens of fits, made once per run)."""
    if result.params.get("n_topics_chosen_by") in ("given", "scan"):
        return {"n_topics": int(result.params["n_topics_found"])}
    return {}


def display_name(name: str) -> str:
    """The name a reader sees for a model (the registry key for anything unknown)."""
    return MODELS.get(name, (name, None))[0]


def fit_model(name: str, representations, settings: Settings, **params):
    """Fit the model called ``name`` (with ``params`` set over the settings' ones) on the representations; its
    ``TopicResult`` carries that name."""
    model = model_for(name, settings).set_params(**params).fit(representations)
    model.result_.name = name
    return model.result_
