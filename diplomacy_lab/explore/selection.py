"""Which statements a reader is looking at: filters by outlet, actor, target, stance, date range and confidence.

The evidence browser (:mod:`diplomacy_lab.explore.browser`) keeps its filter state as a
:class:`Selection` and shows ``select_statements(statements, selection)``; the same function
works in plain pandas code. A date range keeps a statement whose date, *at its precision*,
overlaps the range: a "March 2025" article is in a range that starts on 15 March.

>>> import pandas as pd
>>> st = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["Wire", "Blog", "Wire"],
...     "actor": ["meloni", "meloni", "macron"], "target": "troops", "stance": ["oppose", "oppose", "support"],
...     "confidence": [0.9, 0.6, 0.8], "date": pd.to_datetime(["2025-03-28", "2025-03-01", None]),
...     "date_precision": ["day", "month", "unknown"]})
>>> select_statements(st, Selection(actor="meloni", start="2025-03-15"))["doc_id"].tolist()
['a', 'b']
>>> select_statements(st, Selection(min_confidence=0.7))["doc_id"].tolist()
['a', 'c']
>>> select_statements(st, Selection(end="2025-03-10", include_undated=False))["doc_id"].tolist()
['b']
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import pandas as pd

from diplomacy_lab.checks import require_columns
from diplomacy_lab.statements.coding import statement_ids

__all__ = ["FILTERS", "Selection", "date_spans", "select_statements"]

#: The columns a selection can filter on by value.
FILTERS = ("outlet", "actor", "target", "stance")
_PERIOD_END = {"day": "D", "month": "M", "year": "Y"}


@dataclass(frozen=True)
class Selection:
    """A filter state. ``None`` means "any"; ``start``/``end`` are dates (inclusive, to the day),
    ``min_confidence`` keeps statements at or above it (a statement without a confidence is kept only at
    0), ``include_undated`` keeps statements without a date whatever the range. ``coded``: None (all),
    True (only statements with a decision in the coding sheet) or False (only those without)."""

    outlet: str | None = None
    actor: str | None = None
    target: str | None = None
    stance: str | None = None
    start: object = None
    end: object = None
    min_confidence: float = 0.0
    include_undated: bool = True
    coded: bool | None = None

    def update(self, **changes) -> Selection:
        """A copy with ``changes``; unknown names are a TypeError naming the known ones."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise TypeError(f"unknown filter(s) {unknown}; filters: {sorted(known)}")
        return replace(self, **changes)

    def describe(self) -> str:
        """The active filters in words, e.g. ``actor = meloni, from 2025-03-01``; ``all statements`` when none.

        >>> Selection(actor="meloni", min_confidence=0.5).describe()
        'actor = meloni, confidence ≥ 0.5'
        """
        parts = [f"{name} = {getattr(self, name)}" for name in FILTERS if getattr(self, name) is not None]
        if self.start is not None:
            parts.append(f"from {pd.Timestamp(self.start).date()}")
        if self.end is not None:
            parts.append(f"to {pd.Timestamp(self.end).date()}")
        if self.min_confidence:
            parts.append(f"confidence ≥ {self.min_confidence:g}")
        if self.coded is not None:
            parts.append("coded" if self.coded else "not yet coded")
        return ", ".join(parts) or "all statements"


def date_spans(statements: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """First and last day each statement's date may stand for: the day itself, or the whole month or year
    for a month- or year-precision date (missing precision: the day). NaT where there is no date."""
    dates = pd.to_datetime(statements["date"]) if "date" in statements.columns else pd.Series(
        pd.NaT, index=statements.index, dtype="datetime64[ns]")
    precision = statements["date_precision"] if "date_precision" in statements.columns else pd.Series(
        "day", index=statements.index)
    ends = dates.copy()
    for level, freq in _PERIOD_END.items():
        rows = precision.eq(level) & dates.notna()
        if rows.any() and level != "day":
            ends[rows] = dates[rows].dt.to_period(freq).dt.end_time.dt.normalize()
    return dates, ends


def select_statements(statements: pd.DataFrame, selection: Selection | None = None, coded_ids=None,
                      **filters) -> pd.DataFrame:
    """The rows of ``statements`` that ``selection`` (or keyword filters, as in :class:`Selection`) keeps,
    in their order. ``coded_ids``: the statement ids that have a decision (for ``coded=``), as a set.
    Raises ValueError for a filter on a column the table lacks, or a range that ends before it starts."""
    selection = (selection or Selection()).update(**filters) if filters else (selection or Selection())
    require_columns(statements, ["doc_id", "actor", "target", "stance"], "statements")
    keep = pd.Series(True, index=statements.index)
    for name in FILTERS:
        value = getattr(selection, name)
        if value is None:
            continue
        if name not in statements.columns:
            raise ValueError(f"statements has no {name!r} column to filter on")
        keep &= statements[name].astype(str).eq(str(value))
    start = None if selection.start is None else pd.Timestamp(selection.start).normalize()
    end = None if selection.end is None else pd.Timestamp(selection.end).normalize()
    if start is not None and end is not None and end < start:
        raise ValueError(f"the date range ends ({end.date()}) before it starts ({start.date()})")
    if start is not None or end is not None:
        first, last = date_spans(statements)
        inside = pd.Series(True, index=statements.index)
        if start is not None:
            inside &= last >= start
        if end is not None:
            inside &= first <= end
        keep &= inside.where(first.notna(), selection.include_undated)
    elif not selection.include_undated and "date" in statements.columns:
        keep &= statements["date"].notna()
    if selection.min_confidence:
        if "confidence" not in statements.columns:
            raise ValueError("statements has no 'confidence' column: set min_confidence to 0")
        keep &= pd.to_numeric(statements["confidence"], errors="coerce").ge(selection.min_confidence).fillna(False)
    if selection.coded is not None:
        if coded_ids is None:
            raise ValueError("coded= needs coded_ids, the statement ids with a decision")
        has = statement_ids(statements).isin(set(coded_ids))
        keep &= has if selection.coded else ~has
    return statements[keep]
