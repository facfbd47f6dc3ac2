"""Clickable overviews for the evidence browser: the actor x proposal stance matrix and the stance timeline
as grids of buttons. A click calls back with what the cell stands for, and the browser filters to it.

Each cell shows support and oppose counts (documents) and takes the colour of its net stance, as in
:func:`~diplomacy_lab.statements.matrix.plot_stance_matrix` and the timeline chart.

>>> import pandas as pd
>>> docs = pd.DataFrame({"doc_id": ["a", "b"], "actor": ["meloni", "macron"], "target": "troops",
...                      "stance": ["oppose", "support"], "date": pd.to_datetime(["2025-03-01", "2026-01-09"])})
>>> clicked = []
>>> grid = matrix_grid(docs, on_click=lambda actor, target: clicked.append((actor, target)))
>>> grid.buttons[("meloni", "troops")].description
'0+ 1−'
>>> grid.buttons[("meloni", "troops")].click()
>>> clicked
[('meloni', 'troops')]
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as w
import numpy as np
import pandas as pd
from ipywidgets.widgets.widget_string import HTMLStyle
from matplotlib.colors import LinearSegmentedColormap, to_hex

from diplomacy_lab.charts.style import STANCE_COLORS
from diplomacy_lab.statements.matrix import stance_matrix
from diplomacy_lab.timeline.stances import period_name, stance_timeline

__all__ = ["matrix_grid", "period_bounds", "timeline_freq", "timeline_grid"]

_NET = LinearSegmentedColormap.from_list("net", [STANCE_COLORS["oppose"], "#F2F2F2", STANCE_COLORS["support"]])
_CELL = w.Layout(width="auto", height="28px", margin="1px")


def _color(net: float) -> tuple[str, str]:
    """Background and text colour for a net stance in [-1, 1]."""
    background = to_hex(_NET((float(net) + 1) / 2)) if np.isfinite(net) else "#F2F2F2"
    return background, ("white" if abs(net) > 0.6 else "#222222")


class _Shared:
    """Layouts and styles shared by the cells of a grid: one model each instead of one per cell, so a
    notebook that saves the widget state stays small."""

    def __init__(self) -> None:
        self.styles: dict[tuple[str, str], w.ButtonStyle] = {}
        self.label_layout, self.label_style = w.Layout(), HTMLStyle()

    def style(self, net: float) -> w.ButtonStyle:
        background, text = _color(net)
        if (background, text) not in self.styles:
            self.styles[background, text] = w.ButtonStyle(button_color=background, text_color=text, font_size="12px")
        return self.styles[background, text]

    def label(self, html: str) -> w.HTML:
        return w.HTML(html, layout=self.label_layout, style=self.label_style)


def _cell(shared: _Shared, label: str, net: float, tooltip: str, css: str) -> w.Button:
    button = w.Button(description=label, tooltip=tooltip, layout=_CELL, style=shared.style(net))
    button.add_class(css)
    return button


def _grid(shared: _Shared, rows: list[str], columns: list[str], cells: dict, corner: str) -> w.GridBox:
    blank = shared.label("")
    children = [shared.label(f"<b>{corner}</b>")] + [
        shared.label(f'<div style="font-size:11px;line-height:1.2">{escape(c)}</div>') for c in columns]
    for r, name in enumerate(rows):
        children.append(shared.label(f'<div style="font-size:12px;white-space:nowrap">{escape(name)}</div>'))
        children += [cells.get((r, c), blank) for c in range(len(columns))]
    return w.GridBox(children, layout=w.Layout(
        grid_template_columns=f"max-content repeat({len(columns)}, minmax(64px, 120px))", grid_gap="1px 4px",
        align_items="center", overflow="auto", max_height="420px"))


def matrix_grid(documents: pd.DataFrame, on_click: Callable[[str, str], None], names: dict | None = None,
                labels: dict | None = None) -> w.GridBox:
    """The stance matrix of ``documents`` (statements at document or sentence level) as buttons, actors by
    most documents first; ``on_click(actor, target)`` on a click. ``.buttons`` maps (actor, target) to its button."""
    names, labels = names or {}, labels or {}
    matrix = stance_matrix(documents)
    order = matrix.groupby("actor")["documents"].sum().sort_values(ascending=False, kind="stable").index.tolist()
    targets = sorted(matrix["target"].unique())
    buttons, cells, shared = {}, {}, _Shared()
    for row in matrix.itertuples():
        tip = (f"{names.get(row.actor, row.actor)} on {labels.get(row.target, row.target)}: {row.support} support, "
               f"{row.oppose} oppose in {row.documents} documents")
        button = _cell(shared, f"{row.support}+ {row.oppose}−", row.net, tip, "dl-matrix-cell")
        button.on_click(lambda _, a=row.actor, t=row.target: on_click(a, t))
        buttons[(row.actor, row.target)] = button
        cells[(order.index(row.actor), targets.index(row.target))] = button
    grid = _grid(shared, [names.get(a, a) for a in order], [labels.get(t, t) for t in targets], cells,
                 "actor \\ proposal")
    grid.buttons = buttons
    return grid


def timeline_freq(dates: pd.Series) -> str:
    """The period of the timeline grid: months over up to two years, quarters up to eight, then years."""
    dates = pd.to_datetime(dates).dropna()
    span = (dates.max() - dates.min()).days / 365.25 if len(dates) else 0
    return "M" if span <= 2 else "Q" if span <= 8 else "Y"


def period_bounds(period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of a timeline period label ("2025-03", "2025Q1", "2025").

    >>> [str(d.date()) for d in period_bounds("2025Q1")]
    ['2025-01-01', '2025-03-31']
    """
    p = pd.Period(period)
    return p.start_time.normalize(), p.end_time.normalize()


def timeline_grid(statements: pd.DataFrame, on_click: Callable[[str, str, str], None], names: dict | None = None,
                  labels: dict | None = None, max_series: int = 30) -> w.VBox:
    """Each actor-proposal series (rows, most documents first, at most ``max_series``) by period (columns: the
    periods with a statement), as buttons; ``on_click(actor, target, period)`` on a click. ``.buttons`` maps
    (actor, target, period) to its button; ``.freq`` is the period used."""
    names, labels = names or {}, labels or {}
    dated = statements[pd.to_datetime(statements["date"]).notna()] if "date" in statements.columns else statements.iloc[:0]
    if dated.empty:
        box = w.VBox([w.HTML("<i>No dated statement: no timeline.</i>")])
        box.buttons, box.freq = {}, None
        return box
    freq = timeline_freq(dated["date"])
    timeline = stance_timeline(dated, freq=freq)
    timeline = timeline[timeline["n"] + timeline["mixed"] > 0]
    sizes = timeline.groupby(["actor", "target"])["documents"].sum().sort_values(ascending=False, kind="stable")
    series = list(sizes.index[:max_series])
    periods = sorted(timeline["period"].unique(), key=lambda p: pd.Period(p).start_time)
    buttons, cells, shared = {}, {}, _Shared()
    for row in timeline.itertuples():
        if (row.actor, row.target) not in series:
            continue
        tip = (f"{names.get(row.actor, row.actor)} on {labels.get(row.target, row.target)}, {period_name(row.period)}: "
               f"{row.support} support, {row.oppose} oppose, {row.mixed} mixed ({row.documents} documents)")
        button = _cell(shared, f"{row.support}+ {row.oppose}−", row.net, tip, "dl-timeline-point")
        button.on_click(lambda _, a=row.actor, t=row.target, p=row.period: on_click(a, t, p))
        buttons[(row.actor, row.target, row.period)] = button
        cells[(series.index((row.actor, row.target)), periods.index(row.period))] = button
    rows = [f"{names.get(a, a)} — {labels.get(t, t)}" for a, t in series]
    note = (f"<i>The {max_series} series with the most documents of {len(sizes)}; filter by actor for the others.</i>"
            if len(sizes) > max_series else "")
    box = w.VBox([_grid(shared, rows, [period_name(p) for p in periods], cells, "series \\ period"), w.HTML(note)])
    box.buttons, box.freq = buttons, freq
    return box
