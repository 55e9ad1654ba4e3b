"""Step 4 of the chain: topic models with one interface (``TopicModel``) and one result (``TopicResult``).

Names are imported on first use, so that reading the registry (the command line's ``--method`` choices)
does not load scikit-learn, BERTopic or numba.
"""

from importlib import import_module

_EXPORTS = {
    "OUTLIER": "base", "Topic": "base", "TopicModel": "base", "TopicResult": "base",
    "BertopicTopicModel": "bertopic", "CrossLingualTopicModel": "crosslingual", "NmfTopicModel": "nmf",
    "MODELS": "registry", "PRIMARY": "registry", "display_name": "registry", "fit_model": "registry",
    "model_for": "registry",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
