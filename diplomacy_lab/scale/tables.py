"""The statements table with fixed column types: every chunk, worker and partition gives the same table.

``extract_statements`` types its columns from the values it finds, and an empty result has
object columns; pieces computed apart are put together only if their types agree. Here the
types are fixed once (strings, ``datetime64[ns]`` dates, ``int64`` offsets, ``float64``
confidence), which is also the ``meta`` a Dask DataFrame needs.

>>> statements_meta().dtypes["confidence"], statements_meta().dtypes["sent_id"]
(dtype('float64'), dtype('int64'))
>>> conform(pd.DataFrame(columns=STATEMENT_COLUMNS)).dtypes["start"]
dtype('int64')
"""

from __future__ import annotations

import pandas as pd

from diplomacy_lab.statements.extract import STATEMENT_COLUMNS

__all__ = ["ARTICLE_FIELDS", "STATEMENT_COLUMNS", "STATEMENT_DTYPES", "conform", "statements_meta"]

_NUMBERS = {"sent_id": "int64", "start": "int64", "end": "int64", "confidence": "float64", "date": "datetime64[ns]"}
#: The type of each statements column.
STATEMENT_DTYPES = {c: _NUMBERS.get(c, "str") for c in STATEMENT_COLUMNS}
#: The articles columns the statements step reads (the rest of a chunk need not travel to a worker).
ARTICLE_FIELDS = ("doc_id", "text", "outlet", "date", "date_precision", "source")


def statements_meta() -> pd.DataFrame:
    """An empty statements table with the fixed column types (Dask's ``meta``)."""
    return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in STATEMENT_DTYPES.items()}, columns=STATEMENT_COLUMNS)


def conform(statements: pd.DataFrame) -> pd.DataFrame:
    """``statements`` with the fixed column types (values unchanged; an empty table gets typed columns)."""
    missing = [c for c in STATEMENT_COLUMNS if c not in statements.columns]
    if missing:
        raise ValueError(f"not a statements table: no column(s) {missing}")
    if statements.empty:
        return statements_meta()
    changed = {c: t for c, t in STATEMENT_DTYPES.items() if str(statements[c].dtype) != str(pd.Series([], dtype=t).dtype)}
    out = statements[STATEMENT_COLUMNS].reset_index(drop=True)
    return out.astype(changed) if changed else out
