"""Failures of a run that are not the user's input: a step that cannot finish, said in one line."""


class RunError(RuntimeError):
    """A step of the run failed (a notebook cell, a model); the message says which and where to look."""
