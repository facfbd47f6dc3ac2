"""Share heatmaps: rows x groups, each cell a share with its count, and the widest clear gap in words.

>>> import pandas as pd
>>> table = pd.DataFrame({"frame": ["a", "a"], "outlet": ["X", "Y"], "share": [0.5, 0.1],
...                       "share_low": [0.4, 0.05], "share_high": [0.6, 0.2], "k": [5, 1], "n": [10, 10]})
>>> clear_gap(table, "outlet", "frame", str)
'a: X 50% vs Y 10%'
>>> fig = plot_share_heatmap(table, "frame", "outlet", "k", "n", title="Frame a: X 50%, Y 10%")
>>> len(fig.axes)
2
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from diplomacy_lab.charts.style import OKABE_ITO, annotate_figure, category_order, house_style, new_figure
from diplomacy_lab.checks import require_columns

__all__ = ["SHARE_CMAP", "clear_gap", "column_order", "plot_share_heatmap", "wrap_label"]

#: White to blue, for shares from 0 to the table's maximum.
SHARE_CMAP = LinearSegmentedColormap.from_list("share", ["#FFFFFF", OKABE_ITO["sky_blue"], OKABE_ITO["blue"]])


def clear_gap(table: pd.DataFrame, by: str, row: str, name) -> str | None:
    """The widest gap between two groups whose 95% intervals do not overlap, in words."""
    best = None
    for key, rows in table.groupby(row, sort=False):
        rows = rows[rows["share"].notna()]
        if len(rows) < 2:
            continue
        hi = rows.loc[rows["share_low"].idxmax()]
        lo = rows.loc[rows["share_high"].idxmin()]
        gap = hi["share_low"] - lo["share_high"]
        if hi[by] != lo[by] and gap > 0 and (best is None or gap > best[0]):
            best = (gap, key, hi, lo)
    if best is None:
        return None
    _, key, hi, lo = best
    return f"{name(key)}: {hi[by]} {hi['share']:.0%} vs {lo[by]} {lo['share']:.0%}"


def plot_share_heatmap(
    table: pd.DataFrame,
    row: str,
    by: str,
    k: str,
    n: str,
    row_labels: dict | None = None,
    title: str = "",
    subtitle: str | None = None,
    source_note: str | None = None,
    colorbar_label: str = "Share",
    order: list | None = None,
) -> Figure:
    """A heatmap of ``table['share']`` with rows ``row`` and columns ``by``; each cell shows the
    share and ``k/n``. Rows keep the table's order; columns follow ``order`` (default:
    ``category_order``)."""
    require_columns(table, [row, by, "share", k, n], "table")
    if table.empty:
        raise ValueError("table is empty: nothing to plot")
    rows = list(dict.fromkeys(table[row]))
    cols = column_order(table[by], order)
    wide = table.pivot_table(index=row, columns=by, values="share", aggfunc="first", dropna=False)
    wide = wide.reindex(index=rows, columns=cols)
    ks = table.pivot_table(index=row, columns=by, values=k, aggfunc="first").reindex(index=rows, columns=cols)
    ns = table.pivot_table(index=row, columns=by, values=n, aggfunc="first").reindex(index=rows, columns=cols)
    vmax = max(float(np.nanmax(wide.to_numpy())) if np.isfinite(wide.to_numpy(dtype=float)).any() else 0, 0.05)
    with house_style():
        fig, ax = new_figure(max(5.5, 2.6 + 1.15 * len(cols)), 1.6 + 0.42 * len(rows))
        image = ax.imshow(wide.to_numpy(dtype=float), cmap=SHARE_CMAP, vmin=0, vmax=vmax, aspect="auto")
        for i in range(len(rows)):
            for j in range(len(cols)):
                share, kk, nn = wide.iat[i, j], ks.iat[i, j], ns.iat[i, j]
                if pd.isna(share):
                    ax.text(j, i, "–", ha="center", va="center", fontsize=8, color="#999999")
                    continue
                rgb = SHARE_CMAP(share / vmax)[:3]
                ink = "white" if 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2] < 0.5 else "#111111"
                ax.text(j, i, f"{share:.0%}\n{int(kk)}/{int(nn)}", ha="center", va="center", fontsize=7.5,
                        color=ink, linespacing=1.1)
        labels = row_labels or {}
        ax.set_yticks(range(len(rows)), [labels.get(r, r) for r in rows])
        ax.set_xticks(range(len(cols)), [wrap_label(c) for c in cols])
        ax.tick_params(axis="both", length=0)
        ax.xaxis.tick_top()
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
        bar.ax.yaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
        bar.set_label(colorbar_label, fontsize=8)
        bar.ax.tick_params(labelsize=7.5)
        bar.outline.set_visible(False)
        annotate_figure(fig, title, subtitle, source_note)
    return fig


def column_order(values: pd.Series, order: list | None) -> list:
    present = category_order(values)
    if order is None:
        return present
    missing = [v for v in present if v not in order]
    if missing:
        raise ValueError(f"order leaves out {missing}; list every group: {present}")
    return [v for v in order if v in present]


def wrap_label(label, width: int = 14) -> str:
    words, lines, line = str(label).split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)
