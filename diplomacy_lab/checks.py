"""Input checks shared by the modules that take tables.

>>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "statements")
Traceback (most recent call last):
...
ValueError: statements is missing column(s) ['b']; found ['a']
"""

from __future__ import annotations

import pandas as pd


def require_columns(frame, columns: list[str], name: str) -> None:
    """Raise ValueError unless ``frame`` is a DataFrame holding ``columns`` (``name`` says which table)."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {missing}; found {list(frame.columns)}")


def rows_text(labels, limit: int = 10) -> str:
    """Row labels for an error message: "3, 7, 9" or "1, 2, ... and 5 more".

    >>> rows_text(range(12), limit=3)
    '0, 1, 2 and 9 more'
    """
    labels = list(labels)
    shown = ", ".join(map(str, labels[:limit]))
    return shown + (f" and {len(labels) - limit} more" if len(labels) > limit else "")
