"""The target pre-filter: can a text hold a statement at all? Only if it holds a target phrase.

``extract_statements`` splits into sentences only the articles that pass, which saves most
of the work on a large corpus where few articles are about the codebook's proposals.
"""

from __future__ import annotations

import re

from diplomacy_lab.codebook.schema import Codebook
from diplomacy_lab.text.guard import GuardedPattern, compile_guarded
from diplomacy_lab.text.phrases import (
    REGEX_PREFIX,
    lower_regex,
    normalise_apostrophes,
    phrase_key,
    regex_source,
    required_literal,
)

__all__ = ["target_filter"]


class _TargetFilter:
    """Does a text hold any target pattern? Plain phrases by substring search on the lower-cased
    text with single spaces, ``re:`` phrases as lower-case regexes (case-insensitive ones only
    where a regex cannot be lowered). A superset test: the matcher decides what is a mention."""

    def __init__(self, codebook: Codebook):
        self.phrases: list[str] = []
        self.lowered: list[tuple[str, GuardedPattern]] = []
        self.insensitive: list[GuardedPattern] = []
        for target in codebook.targets.values():
            for phrase in target.patterns:
                if not phrase.startswith(REGEX_PREFIX):
                    self.phrases.append(phrase_key(phrase))
                    continue
                source = regex_source(phrase[len(REGEX_PREFIX) :])
                lowered = lower_regex(source)
                if lowered is not None:
                    self.lowered.append((required_literal(lowered), compile_guarded(lowered, label=phrase)))
                else:
                    self.insensitive.append(compile_guarded(source, re.IGNORECASE, label=phrase))

    def search(self, text: str) -> bool:
        normal = normalise_apostrophes(text)
        lower = " ".join(normal.lower().split())
        return (
            any(p in lower for p in self.phrases)
            # a regex runs only where the words it cannot match without are present
            or any(literal in lower and r.search(lower) for literal, r in self.lowered)
            or any(r.search(normal) for r in self.insensitive)
        )


def target_filter(codebook: Codebook) -> _TargetFilter:
    """A test for "this text holds a target pattern of ``codebook``" (cached per codebook), used to
    skip texts that cannot hold a statement.

    >>> from diplomacy_lab.codebook.schema import load_codebook
    >>> cb = load_codebook({"name": "d", "actors": {"a": {"name": "A", "country": "X", "aliases": ["A"]}},
    ...                     "targets": {"t": {"label": "T", "patterns": ["peace talks", "re:cease-?fire"]}}})
    >>> [target_filter(cb).search(t) for t in ["Peace  talks", "a CEASEFIRE", "troops"]]
    [True, True, False]
    """
    found = codebook._cache.get("target_filter")
    if found is None:
        found = codebook._cache["target_filter"] = _TargetFilter(codebook)
    return found
