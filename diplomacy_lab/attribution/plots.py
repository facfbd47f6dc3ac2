"""Attribution scores as a chart: F1 with its 95% interval, per metric, one colour per system.

>>> import pandas as pd
>>> table = pd.DataFrame({"system": ["model", "model", "floor", "floor"],
...                       "metric": ["cue", "content_words"] * 2, "f1": [0.75, 0.68, 0.49, 0.45],
...                       "f1_low": [0.72, 0.63, 0.45, 0.40], "f1_high": [0.78, 0.73, 0.53, 0.50]})
>>> fig = plot_attribution_scores(table)
>>> fig.texts[0].get_text()
'model scores highest on every measure'
>>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
['cue', 'content words']
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from diplomacy_lab.charts.style import annotate_figure, color_for, new_figure
from diplomacy_lab.checks import require_columns

from .evaluation import METRICS

_LABELS = {"cue": "cue", "source_overlap": "source (overlap)", "source_exact": "source (exact)",
           "content_words": "content words"}


def _finding(table: pd.DataFrame) -> str:
    best = table.loc[table.groupby("metric")["f1"].idxmax(), "system"].unique()
    if len(best) == 1:
        return f"{best[0]} scores highest on every measure"
    return "No system scores highest on every measure"


def plot_attribution_scores(table: pd.DataFrame, title: str | None = None, subtitle: str | None = None,
                            source_note: str | None = None, width: float = 7.0) -> Figure:
    """F1 of each system on each metric, with 95% bootstrap intervals as horizontal bars.

    ``table``: rows of :func:`~.evaluation.evaluate_attributions` or
    :func:`~.evaluation.annotator_agreement` with a ``system`` column added (one row per system
    and metric; other groups, e.g. outlets, filtered out first). Systems are drawn in the order
    they first appear. The default title names the system that scores highest, if one does on
    every metric. Returns a house-style Figure (never shown).
    """
    require_columns(table, ["system", "metric", "f1", "f1_low", "f1_high"], "attribution scores")
    if table.empty:
        raise ValueError("the scores table is empty: nothing to plot")
    if table.duplicated(["system", "metric"]).any():
        raise ValueError("one row per system and metric: filter the table to one group (e.g. group == 'all')")
    metrics = [m for m in METRICS if m in set(table["metric"])]
    systems = list(dict.fromkeys(table["system"]))
    fig, ax = new_figure(width, 0.8 + 0.55 * len(metrics) * max(1, len(systems)) ** 0.5)
    step = 0.7 / max(1, len(systems))
    for k, system in enumerate(systems):
        rows = table[table["system"] == system].set_index("metric").reindex(metrics)
        y = np.arange(len(metrics)) + (k - (len(systems) - 1) / 2) * step
        color = color_for(system, systems)
        f1 = rows["f1"].to_numpy(dtype=float)
        ax.hlines(y, rows["f1_low"].to_numpy(dtype=float), rows["f1_high"].to_numpy(dtype=float), color=color,
                  linewidth=2, alpha=0.6)
        ax.scatter(f1, y, color=color, zorder=3, s=30, label=system)
        for xi, yi in zip(f1, y):
            if np.isfinite(xi):
                ax.annotate(f"{xi:.2f}", (xi, yi), xytext=(0, 5), textcoords="offset points", ha="center",
                            fontsize=7.5, color="#555555")
    ax.set_yticks(range(len(metrics)), [_LABELS.get(m, m) for m in metrics])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("F1 (95% bootstrap interval over articles)")
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    annotate_figure(fig, title or _finding(table), subtitle, source_note)
    return fig
