"""Every CSV the package writes goes through here, so none holds a live spreadsheet formula.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula ("CSV injection": ``=HYPERLINK(...)``,
``-2+3+cmd|' /C calc'!A0``). News text can start that way, and a sentence, title, cue or
outlet name reaches the statements table, the brief's ``data/*.csv``, figure CSVs, coding
sheets and DNA tables. :func:`neutralise_formulas` puts a ``'`` before such a text cell (and
column name), which spreadsheets show as text and :func:`restore_formulas` removes (a text that
already starts with ``'`` and a formula character gets one more, so the round trip is exact). Numbers are
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
>>> neutralise_formulas(pd.DataFrame({"a": ["'=already quoted"]}))["a"].tolist()  # round trip stays exact
["''=already quoted"]
"""

from __future__ import annotations

import csv
import os
import re
import warnings
from pathlib import Path

import pandas as pd

__all__ = ["FORMULA_START", "csv_text", "neutralise_formulas", "restore_formulas", "write_csv"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GUARDED = re.compile(r"'+[=+\-@\t\r]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _is_formula(value) -> bool:
    """A text a spreadsheet runs as a formula, or one that already looks guarded ("'=x"): that
    one gets a second "'", so :func:`restore_formulas` gives back exactly the original."""
    if not isinstance(value, str):
        return False
    return (value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value)) or bool(_GUARDED.match(value))


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` in which every text cell and column name a spreadsheet would run as a
    formula starts with ``'``; the same object if there is none (nothing is copied)."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"neutralise_formulas takes a pandas DataFrame, got {type(frame).__name__}")
    changed: dict[object, pd.Series] = {}
    for i, col in enumerate(frame.columns):
        series = frame.iloc[:, i]
        if not _texty(series):
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
    unless ``options`` (passed to :meth:`pandas.DataFrame.to_csv`) say otherwise.

    Python's CSV writer quotes a cell holding ``\\n`` but not one holding a bare ``\\r`` (with
    ``\\n`` line ends), which readers then take for a line break: a table with such a cell is
    written with every cell quoted. Lone surrogates, which UTF-8 cannot hold, become U+FFFD
    (with a warning).
    """
    options = {"index": False, "lineterminator": "\n", **options}
    safe = neutralise_formulas(frame)
    texts = [safe.iloc[:, i].astype(object).tolist() for i in range(safe.shape[1]) if _texty(safe.iloc[:, i])]
    cells = [v for column in texts for v in column if isinstance(v, str)] + [c for c in safe.columns if isinstance(c, str)]
    if any("\r" in v for v in cells) and "quoting" not in options:
        options["quoting"] = csv.QUOTE_ALL
    if any(_SURROGATE.search(v) for v in cells):
        safe = _without_surrogates(safe)
    return safe.to_csv(**options)


def _texty(series: pd.Series) -> bool:
    return series.dtype == object or isinstance(series.dtype, (pd.StringDtype, pd.CategoricalDtype))


def _without_surrogates(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    fixed = 0

    def clean(value):
        nonlocal fixed
        if isinstance(value, str):
            value, n = _SURROGATE.subn("\ufffd", value)
            fixed += n
        return value

    for i in range(out.shape[1]):
        if _texty(out.iloc[:, i]):
            out.isetitem(i, out.iloc[:, i].astype(object).map(clean))
    out.columns = [clean(c) for c in out.columns]
    warnings.warn(f"{fixed} lone surrogate(s) (not valid UTF-8) written as U+FFFD", stacklevel=3)
    return out


def write_csv(frame: pd.DataFrame, path: str | os.PathLike, encoding: str = "utf-8", **options) -> Path:
    """Write ``frame`` as CSV to ``path`` (folders created), formula cells neutralised, bytes as
    given (no newline translation, so reruns are byte-identical); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_text(frame, **options).encode(encoding))
    return path
