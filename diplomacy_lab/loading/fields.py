"""Which field of the input holds which column of the articles table, and clean scalar values.

The mapping: a column the user names (``text="body"``), else every candidate of
:data:`CANDIDATES` present, in order, then our own name. Media Cloud exports (``media_name``,
``publish_date``, ``url``, ``language``, ``stories_id``) are recognised.

>>> frame = pd.DataFrame({"media_name": ["nytimes.com"], "publish_date": ["2025-01-02"], "body": ["x"]})
>>> field_mapping(frame, {"outlet": None, "date": None, "text": None})
{'outlet': ['media_name'], 'date': ['publish_date'], 'text': ['body']}
>>> non_scalar(pd.Series([["a", "b"], "c", None, {"k": 1}])).tolist()
[True, False, False, True]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diplomacy_lab.errors import CorpusLoadError

__all__ = ["CANDIDATES", "CANONICAL", "as_text", "clean_str", "coalesce", "field_mapping", "non_scalar"]

#: Field names tried, in order, when no column is named for a field: each article takes the
#: first of them that it has a value for (so a folder of .txt files and a CSV with a
#: ``body`` column load together).
CANDIDATES = {
    "id": ("doc_id", "id", "ID", "article_id", "uuid", "stories_id"),
    "text": ("text", "content", "body", "article", "article_text", "full_text", "maintext"),
    "title": ("title", "headline"),
    "date": ("date", "published", "publish_date", "published_at", "pub_date", "datetime", "timestamp"),
    "outlet": ("outlet", "publisher", "sitename", "site", "media", "media_name", "newspaper", "source", "domain"),
    "url": ("url", "link"),
    "lang": ("lang", "language"),
}
# The names our own readers and manifests use; always coalesced after a user-named column.
CANONICAL = {"id": "doc_id", "text": "text", "title": "title", "date": "date", "outlet": "outlet", "url": "url", "lang": "lang"}


def field_mapping(frame: pd.DataFrame, names: dict[str, str | None]) -> dict[str, list[str]]:
    """For each field, the columns to coalesce, in order: the user's column, or else every
    candidate present; then our own name for it (what our readers and manifests write)."""
    columns = set(frame.columns)
    mapping = {}
    for field, given in names.items():
        if given is not None:
            if given not in columns:
                raise CorpusLoadError(
                    f"{field}={given!r} is not a field of the input; its fields are "
                    f"{sorted(map(str, (c for c in columns if c != '_source')))[:50]}",
                    fix=f"name one of those fields with {field}=..., or leave {field} out to try the usual names")
            chosen = [given]
        else:
            chosen = [c for c in CANDIDATES[field] if c in columns]
        canonical = CANONICAL[field]
        if canonical in columns and canonical not in chosen:
            chosen.append(canonical)
        mapping[field] = [c for c in chosen if c is not None]
    return mapping


def coalesce(frame: pd.DataFrame, columns: list[str], used: set[str] | None = None) -> pd.Series:
    """Per row, the first non-missing value among ``columns``; adds the columns that gave one to ``used``."""
    out = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    for col in columns:
        fill = out.isna() & frame[col].notna()
        if fill.any():
            out[fill] = frame.loc[fill, col].astype(object)
            if used is not None:
                used.add(col)
    return out


def as_text(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # ids read as 12.0 stay "12"
    text = str(value).strip()
    return text or None


def clean_str(values: pd.Series) -> pd.Series:
    """Strings stripped of surrounding whitespace; None (not "nan") where missing or blank."""
    return pd.Series([as_text(v) for v in values.tolist()], index=values.index, dtype=object)


def non_scalar(values: pd.Series) -> pd.Series:
    """True where a value is a list, dict, set, tuple or array (JSON's nested values), which no
    column of the articles table can take as it is."""
    flags = [isinstance(v, (list, dict, set, tuple, np.ndarray)) for v in values.tolist()]
    return pd.Series(flags, index=values.index, dtype=bool)
