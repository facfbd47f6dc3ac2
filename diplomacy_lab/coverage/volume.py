"""Articles over time: a tidy count table and its stacked bar chart.

    >>> import pandas as pd
    >>> arts = pd.DataFrame({"outlet": ["A", "B", "A"],
    ...                      "date": pd.to_datetime(["2025-01-05", "2025-03-02", None])})
    >>> table = articles_over_time(arts)
    >>> table["period"].unique().tolist()
    ['2025-01', '2025-02', '2025-03', 'undated']
    >>> fig = plot_articles_over_time(table)   # a Figure; pyplot is not involved
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from diplomacy_lab.charts.style import annotate_figure, category_order, color_for, house_style, new_figure
from diplomacy_lab.checks import require_columns

__all__ = ["UNDATED", "articles_over_time", "plot_articles_over_time"]

UNDATED = "undated"
_FREQS = {"M": "M", "Q": "Q", "Y": "Y", "W": "W-SUN"}  # W-SUN: weeks Monday to Sunday (ISO)
_UNITS = (  # period-label pattern, unit name, long form for titles, short tick label
    (re.compile(r"^(\d{4})-(\d{2})$"), "month",
     lambda y, m: f"{_MONTHS[int(m) - 1]} {y}", lambda y, m: (_MONTHS[int(m) - 1][:3], y)),
    (re.compile(r"^(\d{4})Q([1-4])$"), "quarter", lambda y, q: f"Q{q} {y}", lambda y, q: (f"Q{q}", y)),
    (re.compile(r"^(\d{4})-W(\d{2})$"), "week", lambda y, w: f"week {int(w)} of {y}",
     lambda y, w: (f"W{w}", y)),
    (re.compile(r"^(\d{4})$"), "year", lambda y: y, lambda y: (y, None)),
)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December")
_MAX_LABELLED_BARS = 16  # above this, segment counts would crowd the chart
_MAX_TICK_LABELS = 14


def articles_over_time(articles: pd.DataFrame, by: str = "outlet", freq: str = "M") -> pd.DataFrame:
    """Count articles per period and ``by`` group, zero-filling every gap.

    Columns: ``period`` (label such as "2025-03", "2025Q1", "2025" or "2025-W10"),
    ``by``, ``articles`` (int). Periods run from the first to the last dated
    article; undated articles get the period "undated", placed last. Groups are
    in ``category_order``; a missing group value counts as "unknown". ``freq``: "M", "Q", "Y", "W".

    >>> arts = pd.DataFrame({"outlet": ["A", "B"],
    ...                      "date": pd.to_datetime(["2025-01-05", "2025-02-01"])})
    >>> articles_over_time(arts).to_dict("list")
    {'period': ['2025-01', '2025-01', '2025-02', '2025-02'], 'outlet': ['A', 'B', 'A', 'B'], 'articles': [1, 0, 0, 1]}
    """
    for column in (by, "date"):
        if column not in articles.columns:
            raise ValueError(f"articles has no {column!r} column (columns: {list(articles.columns)})")
    if by in ("period", "articles"):
        raise ValueError(f"by={by!r} clashes with an output column; rename that column first")
    alias = _FREQS.get(str(freq).upper())
    if alias is None:
        raise ValueError(f"freq must be one of {list(_FREQS)}, got {freq!r}")
    dates = articles["date"]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        raise ValueError(f"articles['date'] must be datetime64, got {dates.dtype}; use pd.to_datetime")
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)  # keep wall-clock dates; periods have no time zone

    groups = articles[by].astype(object).where(articles[by].notna(), "unknown")
    periods = dates.dt.to_period(alias)
    labels = [UNDATED if pd.isna(p) else _label(p) for p in periods]
    order = []
    if periods.notna().any():
        order = [_label(p) for p in pd.period_range(periods.min(), periods.max(), freq=alias)]
    if UNDATED in labels:
        order.append(UNDATED)

    counts = pd.Series(1, index=pd.MultiIndex.from_arrays([labels, groups.to_numpy()]))
    counts = counts.groupby(level=[0, 1]).sum()
    full = pd.MultiIndex.from_product([order, category_order(groups)], names=["period", by])
    table = counts.reindex(full, fill_value=0).rename("articles").reset_index()
    return table.astype({"articles": "int64"})


def _label(period: pd.Period) -> str:
    if period.freqstr.startswith("W"):
        year, week, _ = period.start_time.isocalendar()
        return f"{year}-W{week:02d}"
    return str(period)


def plot_articles_over_time(
    table: pd.DataFrame,
    by: str = "outlet",
    title: str | None = None,
    subtitle: str | None = None,
    source_note: str | None = None,
) -> Figure:
    """Stacked bars of an ``articles_over_time`` table, one colour per group.

    Empty periods stay on the axis, marked 0; undated articles stand apart at
    the right. With few bars every segment shows its count and every bar its
    total. Default title: the peak period; default subtitle: the method and N.

    >>> arts = pd.DataFrame({"outlet": ["A"], "date": pd.to_datetime(["2025-01-05"])})
    >>> fig = plot_articles_over_time(articles_over_time(arts))
    >>> [t.get_text() for t in fig.texts][:1]
    ['January 2025 has the most articles (1 of 1)']
    """
    require_columns(table, ["period", by, "articles"], "table (from articles_over_time)")
    if table.empty:
        raise ValueError("table is empty: nothing to plot")
    periods = list(dict.fromkeys(table["period"].astype(str)))
    groups = category_order(table[by])
    wide = (
        table.assign(period=table["period"].astype(str))
        .pivot_table(index="period", columns=by, values="articles", aggfunc="sum", fill_value=0)
        .reindex(index=periods, columns=groups, fill_value=0)
    )
    totals = wide.sum(axis=1)
    unit = _unit(periods)

    with house_style():
        fig, ax = new_figure()
        x = np.arange(len(periods), dtype=float)
        if periods[-1] == UNDATED and len(periods) > 1:
            x[-1] += 0.6  # undated articles are not on the time axis: set them apart
            ax.axvline(x[-1] - 0.8, color="#BBBBBB", linewidth=0.8, linestyle=(0, (2, 2)))
        _stack(ax, x, wide, groups, label_counts=len(periods) <= _MAX_LABELLED_BARS)
        ax.set_xlim(x[0] - 0.6, x[-1] + 0.6)
        ax.set_ylim(0, max(totals.max(), 1) * 1.14)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
        ax.set_ylabel("Articles")
        _period_ticks(ax, x, periods)
        handles, names = ax.get_legend_handles_labels()
        ax.legend(handles[::-1], names[::-1], title=by.replace("_", " ").capitalize(),
                  loc="upper left", bbox_to_anchor=(1.02, 1.0), alignment="left")  # top of stack listed first
        annotate_figure(
            fig,
            title if title is not None else _finding(totals, unit),
            subtitle if subtitle is not None else _method(totals, unit, by),
            source_note,
        )
    return fig


def _stack(ax, x, wide: pd.DataFrame, groups: list, label_counts: bool) -> None:
    bottom = np.zeros(len(x))
    top = max(wide.sum(axis=1).max(), 1)
    for group in groups:
        values = wide[group].to_numpy()
        colour = color_for(group, groups)
        ax.bar(x, values, bottom=bottom, width=0.72, color=colour, label=str(group),
               edgecolor="white", linewidth=0.8)
        if label_counts and len(groups) > 1:  # one group: the total says it all
            ink = "#111111" if _luminance(colour) > 0.45 else "white"
            for xi, v, b in zip(x, values, bottom):
                if v > 0 and v >= 0.07 * top:  # only where the number fits inside
                    ax.text(xi, b + v / 2, f"{v:d}", ha="center", va="center",
                            fontsize=8, color=ink)
        bottom = bottom + values
    if label_counts:
        for xi, total in zip(x, bottom.astype(int)):
            ax.text(xi, total + 0.015 * top, f"{total:d}", ha="center", va="bottom",
                    fontsize=8.5, fontweight="bold" if total else "normal",
                    color="#222222" if total else "#999999")


def _luminance(colour: str) -> float:
    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _period_ticks(ax, x, periods: list[str]) -> None:
    """Short tick labels ("Mar" over "2025"), the year shown only when it changes."""
    step = max(1, math.ceil(len(periods) / _MAX_TICK_LABELS))
    labels, last_year = [], None
    for i, period in enumerate(periods):
        if period == UNDATED:
            labels.append("Undated")
            continue
        if i % step:
            labels.append("")
            continue
        short, year = _short(period)
        labels.append(short if year is None or year == last_year else f"{short}\n{year}")
        last_year = year
    ax.set_xticks(x, labels)
    ax.tick_params(axis="x", length=0)


def _parse(period: str):
    for pattern, unit, long, short in _UNITS:
        match = pattern.match(period)
        if match:
            return unit, long(*match.groups()), short(*match.groups())
    return "period", period, (period, None)


def _short(period: str):
    return _parse(period)[2]


def _unit(periods: list[str]) -> str:
    units = {_parse(p)[0] for p in periods if p != UNDATED}
    return units.pop() if len(units) == 1 else "period"


def _finding(totals: pd.Series, unit: str) -> str:
    n = int(totals.sum())
    dated = totals.drop(UNDATED, errors="ignore")
    if n == 0:
        return "No articles in this table"
    if dated.sum() == 0:
        return f"None of the {_articles(n)} has a date"
    peak = int(dated.max())
    tops = [_parse(p)[1] for p in dated.index[dated == peak]]
    if len(tops) == 1:
        text = f"{tops[0]} has the most articles ({peak} of {n})"
    elif len(tops) == 2:
        text = f"{tops[0]} and {tops[1]} tie for the most articles ({peak} each of {n})"
    else:
        text = f"{len(tops)} {unit}s tie for the most articles ({peak} each of {n})"
    return text[0].upper() + text[1:]


def _method(totals: pd.Series, unit: str, by: str) -> str:
    n = int(totals.sum())
    undated = int(totals.get(UNDATED, 0))
    text = f"Articles per {unit} and {by.replace('_', ' ')}; N = {_articles(n)}"
    return text + (f" ({undated} undated, shown apart at right)" if undated else "")


def _articles(n: int) -> str:
    return f"{n} article" + ("" if n == 1 else "s")
