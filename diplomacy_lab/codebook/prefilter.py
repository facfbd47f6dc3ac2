"""The target pre-filter: can a text hold a statement at all? Only if it holds a target phrase.

``extract_statements`` splits into sentences only the articles that pass, which saves most
of the work on a large corpus where few articles are about the codebook's proposals.
"""

from __future__ import annotations

from diplomacy_lab.codebook.matcher import TargetFilter, compile_codebook
from diplomacy_lab.codebook.schema import Codebook

__all__ = ["target_filter"]


def target_filter(codebook: Codebook) -> TargetFilter:
    """A test for "this text holds a target pattern of ``codebook``" (cached per codebook), used to
    skip texts that cannot hold a statement.

    >>> from diplomacy_lab.codebook.schema import load_codebook
    >>> cb = load_codebook({"name": "d", "actors": {"a": {"name": "A", "country": "X", "aliases": ["A"]}},
    ...                     "targets": {"t": {"label": "T", "patterns": ["peace talks", "re:cease-?fire"]}}})
    >>> [target_filter(cb).search(t) for t in ["Peace  talks", "a CEASEFIRE", "troops"]]
    [True, True, False]
    """
    return compile_codebook(codebook).prefilter
