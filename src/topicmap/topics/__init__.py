"""Step 4 of the chain: topic models with one interface (``TopicModel``) and one result (``TopicResult``)."""

from .base import OUTLIER, Topic, TopicModel, TopicResult
from .bertopic import BertopicTopicModel
from .crosslingual import CrossLingualTopicModel
from .nmf import NmfTopicModel
from .registry import MODELS, PRIMARY, display_name, fit_model, model_for

__all__ = ["OUTLIER", "Topic", "TopicModel", "TopicResult", "BertopicTopicModel", "CrossLingualTopicModel",
           "NmfTopicModel", "MODELS", "PRIMARY", "display_name", "fit_model", "model_for"]
