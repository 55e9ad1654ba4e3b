"""topicmap: which themes run through press coverage of China's rise in AI.

The package follows the chain of the analysis, one module per step:
corpus -> paragraphs -> representations (preprocessing, tfidf, embeddings) ->
topics (topics_nmf, topics_bertopic) -> metrics -> figures -> report.
``pipeline`` runs the chain; ``cli`` is the command line over it.
"""

__version__ = "0.1.0"
