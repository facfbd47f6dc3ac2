"""Horizontal share bars, one bar per group: one category's share with its interval, or every group
split among its leading categories. The voice-share and source-share charts draw with these.

>>> import pandas as pd
>>> from diplomacy_lab.charts.style import new_figure
>>> fig, ax = new_figure()
>>> rows = pd.DataFrame({"k": [2, 1], "n": [4, 5], "share": [0.5, 0.2], "low": [0.15, 0.04], "high": [0.85, 0.62]})
>>> share_bars(ax, rows, "k", "n", "share", "low", "high")
>>> len(ax.patches), [t.get_text() for t in ax.texts]
(2, ['2 of 4', '1 of 5'])
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.ticker import PercentFormatter

from diplomacy_lab.charts.style import OKABE_ITO, color_for

__all__ = ["finish_share_axes", "share_bars", "stacked_share_bars"]

_OTHER = "#BBBBBB"


def share_bars(ax, rows: pd.DataFrame, count: str, total: str, share: str, low: str, high: str) -> None:
    """One bar per row (in row order, top to bottom): ``share`` with a ``low``-``high`` whisker and
    "``count`` of ``total``" beside it; missing shares draw as 0."""
    y = np.arange(len(rows))
    values = rows[share].fillna(0).to_numpy(dtype=float)
    ax.barh(y, values, color=OKABE_ITO["blue"], height=0.6)
    err = np.vstack([values - rows[low].fillna(0), rows[high].fillna(0) - values])
    ax.errorbar(values, y, xerr=np.clip(err, 0, None), fmt="none", ecolor="#333333", elinewidth=0.9, capsize=3)
    for yi, (k, n, hi) in enumerate(zip(rows[count], rows[total], rows[high].fillna(0))):
        ax.text(max(hi, 0) + 0.015, yi, f"{int(k)} of {int(n)}", va="center", fontsize=8, color="#333333")


def stacked_share_bars(ax, wide: pd.DataFrame, keep: list, labels: dict | None = None,
                       legend_title: str | None = None) -> np.ndarray:
    """Each row of ``wide`` (groups x categories, counts) as a bar split among the ``keep`` columns
    and "other" (when it has counts), a count inside each piece of 6% or more and "n = ..." after the
    bar. ``labels``: legend text per category. Returns the row totals."""
    labels = labels or {}
    order = keep + (["other"] if "other" in wide and wide["other"].sum() else [])
    y = np.arange(len(wide))
    n = wide.sum(axis=1).to_numpy(dtype=float)
    left = np.zeros(len(wide))
    for v in order:
        frac = np.divide(wide[v].to_numpy(dtype=float), n, out=np.zeros(len(n)), where=n > 0)
        colour = _OTHER if v == "other" else color_for(v, keep)
        ax.barh(y, frac, left=left, color=colour, height=0.6, label=labels.get(v, str(v)),
                edgecolor="white", linewidth=0.6)
        for yi, (f, k, l0) in enumerate(zip(frac, wide[v], left)):
            if f >= 0.06:
                ax.text(l0 + f / 2, yi, f"{int(k)}", ha="center", va="center", fontsize=7.5,
                        color="white" if v != "other" else "#222222")
        left += frac
    for yi, total in enumerate(n):
        ax.text(1.01, yi, f"n = {int(total)}", va="center", fontsize=8, color="#333333")
    ax.legend(loc="upper left", bbox_to_anchor=(1.12, 1.0), title=legend_title)
    return n


def finish_share_axes(ax, groups: list) -> None:
    """Group names down the side (wrapped), the first at the top, a 0-100% axis with a light grid."""
    ax.set_yticks(np.arange(len(groups)), [textwrap.fill(str(g), 22) for g in groups], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.0)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.grid(axis="y", visible=False)
