"""Benchmarks of topicmap, one module per benchmark: ``python -m benchmarks NAME`` (see README.md)."""
