"""Step 5 of the chain: how coherent, stable and cross-lingual the topics of any model are."""
