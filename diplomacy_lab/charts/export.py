"""Write a chart as PNG, SVG and PDF plus a CSV of exactly the plotted data.

Every file is byte-identical when the same figure is exported again: no dates,
no software versions in the PNG, fixed SVG ids. SVG keeps text as ``<text>``;
PDF embeds TrueType fonts::

    >>> import pandas as pd, tempfile
    >>> from diplomacy_lab.charts.style import new_figure
    >>> fig, ax = new_figure()
    >>> data = pd.DataFrame({"outlet": ["a", "b"], "articles": [3, 1]})
    >>> _ = ax.bar(data["outlet"], data["articles"])
    >>> paths = export_figure(fig, tempfile.mkdtemp(), "coverage", data)
    >>> sorted(paths)
    ['csv', 'pdf', 'png', 'svg']
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure

from diplomacy_lab.charts.tables import write_csv
from diplomacy_lab.checks import require_columns

__all__ = ["export_figure", "source_note"]

FORMATS = ("png", "svg", "pdf")
MIN_DPI = 200
# Nothing time- or version-dependent goes into the files.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "ModDate": None},
}
_OUTPUT_RC = {"svg.fonttype": "none", "svg.hashsalt": "diplomacy_lab", "pdf.fonttype": 42}
_FLOAT_FORMAT = "%.10g"


def export_figure(
    fig: Figure,
    directory: str | os.PathLike,
    name: str,
    data: pd.DataFrame,
    formats: tuple[str, ...] = FORMATS,
    dpi: int = MIN_DPI,
) -> dict[str, Path]:
    """Write ``directory/name.{png,svg,pdf}`` and ``directory/name.csv``; return the paths by format.

    ``data`` is the table the chart shows; it is written with ``index=False``,
    ``\\n`` line ends, floats as ``%.10g`` and formula cells neutralised
    (:func:`diplomacy_lab.charts.tables.write_csv`). The directory is created.

    >>> export_figure(None, "out", "a/b", pd.DataFrame({"x": [1]}))
    Traceback (most recent call last):
    ...
    TypeError: fig must be a matplotlib Figure, got NoneType
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    _check_name(name)
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame of the plotted values, got {type(data).__name__}")
    if data.empty:
        raise ValueError("data is empty: export needs the plotted values as a non-empty DataFrame")
    formats = (formats,) if isinstance(formats, str) else tuple(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format(s) {unknown}; choose from {list(FORMATS)}")
    if dpi < MIN_DPI:
        raise ValueError(f"dpi must be at least {MIN_DPI}, got {dpi}")

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    with mpl.rc_context(_OUTPUT_RC):
        for fmt in dict.fromkeys(formats):
            path = directory / f"{name}.{fmt}"
            fig.savefig(path, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
            paths[fmt] = path
    # Bytes (no newline translation); cells a spreadsheet would run as formulas are neutralised.
    paths["csv"] = write_csv(data, directory / f"{name}.csv", float_format=_FLOAT_FORMAT)
    return paths


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"name must be a non-empty string, got {name!r}")
    separators = {"/", "\\", os.sep} | ({os.altsep} if os.altsep else set())
    if any(sep in name for sep in separators) or name in {".", ".."}:
        raise ValueError(f"name must be a bare file name without a path separator, got {name!r}")
    if Path(name).suffix:
        raise ValueError(
            f"name must have no extension (formats add it), got {name!r}; "
            f"use e.g. {Path(name).stem!r}"
        )


def source_note(articles: pd.DataFrame, corpus_name: str) -> str:
    """One-line source note naming the corpus: articles, outlets and date range.

    >>> arts = pd.DataFrame({"outlet": ["a", "b", "a"],
    ...                      "date": pd.to_datetime(["2025-03-02", "2026-01-10", None])})
    >>> source_note(arts, "seed corpus")
    'Source: seed corpus — 3 articles, 2 outlets, Mar 2025 – Jan 2026 (1 undated).'
    """
    require_columns(articles, ["outlet", "date"], "articles")
    dates = articles["date"]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        raise ValueError(
            f"articles['date'] must be datetime64, got {dates.dtype}; parse it with pd.to_datetime"
        )
    n = len(articles)
    outlets = articles["outlet"].dropna().nunique()
    parts = [_count(n, "article"), _count(outlets, "outlet")]
    dated = dates.dropna()
    undated = n - len(dated)
    if n and dated.empty:
        parts.append("all undated")
    elif not dated.empty:
        first, last = dated.min().strftime("%b %Y"), dated.max().strftime("%b %Y")
        span = first if first == last else f"{first} – {last}"
        parts.append(span + (f" ({undated} undated)" if undated else ""))
    return f"Source: {corpus_name} — {', '.join(parts)}."


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
