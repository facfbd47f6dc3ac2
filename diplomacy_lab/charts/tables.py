"""Every CSV the package writes goes through here, so none holds a live spreadsheet formula.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula ("CSV injection": ``=HYPERLINK(...)``,
``-2+3+cmd|' /C calc'!A0``). News text can start that way, and a sentence, title, cue or
outlet name reaches the statements table, the brief's ``data/*.csv``, figure CSVs, coding
sheets and DNA tables. :func:`neutralise_formulas` puts a ``'`` before such a text cell (and
column name), which spreadsheets show as text and :func:`restore_formulas` removes. Numbers are
left as they are, and so are texts that are plain numbers (``-0.5``, ``+3``): they cannot
hold a formula. Parquet output is not touched.

>>> frame = pd.DataFrame({"evidence": ["=HYPERLINK(\\"http://x\\")", "Rome said no.", "-0.5", "@SUM(A1)"],
...                       "z": [-1.5, 2.0, 0.0, 1.0]})
>>> print(csv_text(frame), end="")
evidence,z
"'=HYPERLINK(""http://x"")",-1.5
Rome said no.,2.0
-0.5,0.0
'@SUM(A1),1.0
>>> restore_formulas("'=SUM(A1)"), restore_formulas("'quoted")
('=SUM(A1)', "'quoted")
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

__all__ = ["FORMULA_START", "csv_text", "neutralise_formulas", "restore_formulas", "write_csv"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GUARDED = re.compile(r"'[=+\-@\t\r]")


def _is_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value)


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` in which every text cell and column name a spreadsheet would run as a
    formula starts with ``'``; the same object if there is none (nothing is copied)."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"neutralise_formulas takes a pandas DataFrame, got {type(frame).__name__}")
    changed: dict[object, pd.Series] = {}
    for i, col in enumerate(frame.columns):
        series = frame.iloc[:, i]
        if not (series.dtype == object or isinstance(series.dtype, (pd.StringDtype, pd.CategoricalDtype))):
            continue
        values = series.astype(object).tolist()
        if any(_is_formula(v) for v in values):
            changed[i] = pd.Series(["'" + v if _is_formula(v) else v for v in values], index=frame.index, dtype=object)
    names = [f"'{c}" if _is_formula(c) else c for c in frame.columns]
    if not changed and names == list(frame.columns):
        return frame
    out = frame.copy()
    for i, values in changed.items():
        out.isetitem(i, values)
    out.columns = names
    return out


def restore_formulas(value):
    """A cell as it was before :func:`neutralise_formulas` (the leading ``'`` removed)."""
    if isinstance(value, str) and _GUARDED.match(value):
        return value[1:]
    return value


def csv_text(frame: pd.DataFrame, **options) -> str:
    """``frame`` as CSV text with formula cells neutralised: ``index=False`` and ``\\n`` line ends
    unless ``options`` (passed to :meth:`pandas.DataFrame.to_csv`) say otherwise."""
    options = {"index": False, "lineterminator": "\n", **options}
    return neutralise_formulas(frame).to_csv(**options)


def write_csv(frame: pd.DataFrame, path: str | os.PathLike, encoding: str = "utf-8", **options) -> Path:
    """Write ``frame`` as CSV to ``path`` (folders created), formula cells neutralised, bytes as
    given (no newline translation, so reruns are byte-identical); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_text(frame, **options).encode(encoding))
    return path
