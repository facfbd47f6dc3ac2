"""Headline wording: lists, ties and counts in the sentences that titles and findings are made of.

A title states the finding, so it must not claim more than the numbers: when several items tie
for "most", it says so and names them all (or counts them), never picking one by sort order.

>>> counts = pd.Series({"Meloni": 5, "Macron": 5, "Tusk": 2})
>>> tied_leaders(counts)
['Macron', 'Meloni']
>>> join_words(tied_leaders(counts))
'Macron and Meloni'
>>> plural(2, "article"), plural(1, "article")
('2 articles', '1 article')
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

__all__ = ["MAX_NAMED", "join_words", "plural", "tie_phrase", "tied_leaders"]

#: A tie of more items than this is counted in a headline, not listed (the chart lists them).
MAX_NAMED = 4


def join_words(items: Iterable, conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'.

    >>> join_words(["France", "Italy", "Greece"]), join_words([]), join_words(["x", "y"], "or")
    ('France, Italy and Greece', '', 'x or y')
    """
    words = [str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """'1 article', '2 articles', '3 countries' (``nouns`` for irregular plurals)."""
    return f"{n:,} {noun if n == 1 else (nouns or noun + 's')}"


def tied_leaders(values: pd.Series, largest: bool = True, decimals: int | None = None) -> list:
    """The index labels that share the top value (the bottom one with ``largest=False``), in a fixed
    order (sorted by label). ``decimals``: compare values as rounded for print, so two values a
    headline would print alike count as a tie. Missing values never lead.

    >>> tied_leaders(pd.Series({"a": 0.471, "b": 0.468, "c": 0.1}), decimals=2)
    ['a', 'b']
    >>> tied_leaders(pd.Series({"a": 0.471, "b": 0.468, "c": 0.1}), largest=False)
    ['c']
    >>> tied_leaders(pd.Series(dtype=float))
    []
    """
    shown = values.dropna()
    if decimals is not None:
        shown = shown.round(decimals)
    if shown.empty:
        return []
    best = shown.max() if largest else shown.min()
    return sorted(shown.index[shown == best].tolist(), key=lambda v: (str(v).casefold(), str(v)))


def tie_phrase(names: list, noun: str = "items", limit: int = MAX_NAMED) -> str:
    """Who leads, in words: one name; 'A and B tie'; or 'six items tie' past ``limit`` names.

    >>> tie_phrase(["Meloni"]), tie_phrase(["Macron", "Meloni"]), tie_phrase(list("abcdef"), "actors")
    ('Meloni', 'Macron and Meloni tie', '6 actors tie')
    """
    if len(names) == 1:
        return str(names[0])
    if len(names) <= limit:
        return f"{join_words(names)} tie"
    return f"{len(names)} {noun} tie"
