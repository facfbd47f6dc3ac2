"""Keyword in context (KWIC): every match of a phrase with the words around it.

Phrases are those of :mod:`diplomacy_lab.text.phrases`: a plain phrase or, after ``re:``, a
regular expression, matched case-insensitively on word boundaries.

>>> import pandas as pd
>>> arts = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"],
...                      "date": pd.to_datetime(["2025-03-01", "2025-03-02"]),
...                      "text": ["Talks between Moscow and Kiev stalled.", "Aid to Kyiv, not to Kievan Rus."]})
>>> k = kwic(arts, "re:Kiev|Kyiv", window=3)
>>> k[["doc_id", "left", "match", "right"]]
  doc_id                left match     right
0      a  between Moscow and  Kiev  stalled.
1      b              Aid to  Kyiv  , not to
>>> print(format_kwic(k, width=12))
a  X  … Moscow and  [Kiev]  stalled.
b  Y        Aid to  [Kyiv]  , not to
"""

from __future__ import annotations

import pandas as pd

from diplomacy_lab.checks import require_columns
from diplomacy_lab.text.phrases import compile_phrase, find_phrase

__all__ = ["KWIC_COLUMNS", "format_kwic", "kwic"]

KWIC_COLUMNS = ["doc_id", "outlet", "date", "term", "left", "match", "right", "start", "end"]
_CONTEXT_CHARS = 25  # characters read per context word before splitting


def _context(text: str, start: int, end: int, window: int) -> tuple[str, str]:
    reach = window * _CONTEXT_CHARS
    left = text[max(0, start - reach) : start].split()
    right = text[end : end + reach].split()
    if start - reach > 0 and left:
        left = left[1:]  # the first word may be cut
    return " ".join(left[-window:]) if window else "", " ".join(right[:window]) if window else ""


def kwic(articles: pd.DataFrame, terms: str | list[str], window: int = 8) -> pd.DataFrame:
    """Every match of ``terms`` in the articles, with ``window`` words of context either side.

    ``terms`` is one term or a list (see :func:`compile_phrase`). Columns: ``doc_id, outlet, date,
    term, left, match, right, start, end`` (``outlet``/``date`` are missing values when the
    articles lack them; ``start``/``end`` index the article text). Sorted by article order,
    then offset; overlapping matches of different terms are all kept.

    >>> kwic(pd.DataFrame({"doc_id": ["a"], "text": ["x"]}), [])
    Traceback (most recent call last):
    ...
    ValueError: terms is empty: give a phrase such as 'Kiev' or a regex such as 're:K(ie|yi)v'
    """
    require_columns(articles, ["doc_id", "text"], "articles")
    terms = [terms] if isinstance(terms, str) else list(terms)
    if not terms:
        raise ValueError("terms is empty: give a phrase such as 'Kiev' or a regex such as 're:K(ie|yi)v'")
    if not isinstance(window, int) or window < 0:
        raise ValueError(f"window must be a non-negative number of words, got {window!r}")
    patterns = [(t, compile_phrase(t)) for t in dict.fromkeys(terms)]
    outlets = articles["outlet"] if "outlet" in articles.columns else pd.Series(pd.NA, index=articles.index)
    dates = articles["date"] if "date" in articles.columns else pd.Series(pd.NaT, index=articles.index)
    rows = []
    for order, (doc_id, outlet, date, text) in enumerate(
        zip(articles["doc_id"], outlets, dates, articles["text"].fillna(""))
    ):
        for term, pattern in patterns:
            for start, end in find_phrase(text, pattern):
                left, right = _context(text, start, end, window)
                rows.append((order, doc_id, outlet, date, term, left, text[start:end], right, start, end))
    table = pd.DataFrame(rows, columns=["_order", *KWIC_COLUMNS])
    table = table.sort_values(["_order", "start", "end"], kind="stable").drop(columns="_order")
    return table.reset_index(drop=True).astype({"start": "int64", "end": "int64"})


def format_kwic(table: pd.DataFrame, width: int = 45, max_rows: int | None = None) -> str:
    """A concordance as text: ``doc_id  outlet  left [match] right``, matches aligned.

    Contexts are cut to ``width`` characters (left from its start, right at its end), so the
    text is stable and reads in a notebook with ``print``. ``max_rows`` keeps the first rows
    and says how many were left out.
    """
    require_columns(table, ["doc_id", "left", "match", "right"], "kwic table")
    if table.empty:
        return "(no matches)"
    shown = table if max_rows is None else table.head(max_rows)
    ids = shown["doc_id"].astype(str)
    outlets = shown["outlet"].fillna("").astype(str) if "outlet" in shown.columns else pd.Series("", index=shown.index)
    id_w, out_w = ids.str.len().max(), outlets.str.len().max()
    lines = []
    for doc_id, outlet, left, match, right in zip(ids, outlets, shown["left"], shown["match"], shown["right"]):
        left = left if len(left) <= width else "…" + left[-(width - 1) :]
        right = right if len(right) <= width else right[: width - 1] + "…"
        match = " ".join(match.split())
        lines.append(f"{doc_id:<{id_w}}  {outlet:<{out_w}}  {left:>{width}}  [{match}]  {right}".rstrip())
    if max_rows is not None and len(table) > max_rows:
        lines.append(f"… {len(table) - max_rows} more")
    return "\n".join(lines)
