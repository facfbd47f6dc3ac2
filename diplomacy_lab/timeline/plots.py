"""The stance timeline chart: net stance per period with its interval, one panel per actor and target,
shifts drawn where :func:`~diplomacy_lab.timeline.shifts.detect_shifts` found them.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from diplomacy_lab.charts.style import STANCE_COLORS, annotate_figure, freeze_ticks, house_style, new_figure
from diplomacy_lab.charts.wording import plural
from diplomacy_lab.checks import require_columns
from diplomacy_lab.timeline.shifts import STATUSES, analyse_timeline, series_headline

__all__ = ["plot_stance_timeline"]

_SIDE_COLORS = {"support": "support", "oppose": "oppose", "mixed": "neutral", "neutral": "neutral"}
_MAX_LABELLED_POINTS = 15


def plot_stance_timeline(
    timeline: pd.DataFrame,
    shifts: pd.DataFrame | None = None,
    names: dict | None = None,
    labels: dict | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source_note: str | None = None,
    max_panels: int = 8,
    proper_nouns: frozenset[str] = frozenset(),
) -> Figure:
    """Net stance per period with its interval, one panel per actor and target.

    Points sit at the start of each period, sized by N (support + oppose units) and coloured
    by the period's side (:data:`~diplomacy_lab.charts.style.STANCE_COLORS`; mixed in grey); bars
    show the interval. A detected shift (``shifts`` from
    :func:`~diplomacy_lab.timeline.shifts.detect_shifts`) is drawn as a dashed line at its date. The
    default title states the finding: the statuses of ``shifts``, or of the timeline itself.
    Filter the timeline to the series you want (at most ``max_panels``). ``proper_nouns``: words
    that keep their capital inside the title (:func:`diplomacy_lab.text.grammar.proper_nouns`).

    >>> from diplomacy_lab.timeline.stances import stance_timeline
    >>> st = pd.DataFrame({"doc_id": ["a", "b", "c"], "actor": "x", "target": "t", "stance": "oppose",
    ...                    "date": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-03-01"])})
    >>> fig = plot_stance_timeline(stance_timeline(st))
    >>> fig.texts[0].get_text()
    'x: opposed t throughout'
    """
    require_columns(timeline, ["target", "period", "period_start", "n", "net", "net_low", "net_high", "stance"], "timeline")
    by = timeline.attrs.get("by") or ("actor" if "actor" in timeline.columns else timeline.columns[0])
    frame = timeline[timeline["n"] > 0]
    if frame.empty:
        raise ValueError("the timeline has no period with a support or oppose statement: nothing to plot")
    series = list(frame.groupby([by, "target"], sort=True).groups)
    if len(series) > max_panels:
        raise ValueError(f"{len(series)} actor-target series; filter the timeline to at most {max_panels} "
                         "(e.g. timeline[timeline['actor'] == 'meloni']) or raise max_panels")
    if shifts is None:
        shifts = analyse_timeline(timeline, by, unit=timeline.attrs.get("unit", "document"), labels=labels,
                                  proper_nouns=proper_nouns)
    status = {(r[by], r["target"]): r for r in shifts.to_dict("records")}
    names, labels = names or {}, labels or {}
    max_n = int(frame["n"].max())
    with house_style():
        fig, first = new_figure(7.0, 1.6 + 1.35 * len(series))
        fig.delaxes(first)
        axes = fig.subplots(len(series), 1, sharex=True, squeeze=False, gridspec_kw={"hspace": 0.75})[:, 0]
        for ax, key in zip(axes, series):
            freeze_ticks(ax)
            _panel(ax, frame[(frame[by] == key[0]) & (frame["target"] == key[1])], max_n, status.get(key))
            ax.set_title(f"{names.get(key[0], key[0])} — {labels.get(key[1], key[1])}", fontsize=9)
        _time_axis(axes[-1], frame["period_start"])
        axes[0].legend(handles=_legend_handles(), loc="upper left", bbox_to_anchor=(1.01, 1.0), title="Side")
        who = {names.get(k[0], k[0]) for k in series}
        default = _headline([k for k in _by_priority(series, status)], status, by, names, labels, single=len(who) == 1,
                            proper_nouns=proper_nouns)
        default = f"{who.pop()}: {default}" if len(who) == 1 else default[:1].upper() + default[1:]
        unit = timeline.attrs.get("unit", "document")
        method = (f"Net stance = (support − oppose) / (support + oppose) per {_unit_name(frame['period'].iloc[0])}, "
                  f"{unit}s as the unit; bars: {int(100 * timeline.attrs.get('confidence', 0.95))}% Wilson interval; "
                  f"point size and label: N")
        annotate_figure(fig, title if title is not None else default,
                        subtitle if subtitle is not None else method, source_note)
    return fig


def _headline(keys: list, status: dict, by: str, names: dict, labels: dict, single: bool,
              proper_nouns: frozenset[str] = frozenset()) -> str:
    """Every series with a finding, in order of priority; the ones with too little evidence counted, not
    listed (their panels show them): a title is never cut short."""
    found = [k for k in keys if k in status and status[k]["status"] != "insufficient evidence"]
    thin = len(keys) - len(found)
    parts = [series_headline(status[k], by, names, labels, proper_nouns) for k in found]
    if not single:  # several actors: say whose each finding is
        parts = [f"{names.get(k[0], k[0])} {p}" for k, p in zip(found, parts)]
    if thin == 1 and not found:
        return series_headline(status[keys[0]], by, names, labels, proper_nouns) if keys[0] in status else "one series"
    if thin:
        which = ("the other " if found else "") + ("proposal" if thin == 1 else f"{thin} proposals")
        parts.append(f"too little evidence of change on {which}" if single else
                     f"too little evidence of change in {'the other ' if found else ''}{plural(thin, 'series', 'series')}")
    return "; ".join(parts)


def _by_priority(series, status) -> list:

    return sorted(series, key=lambda k: STATUSES.index(status[k]["status"]) if k in status else len(STATUSES))


def _panel(ax, rows: pd.DataFrame, max_n: int, shift) -> None:

    x = pd.to_datetime(rows["period_start"]).dt.to_pydatetime()
    colors = [STANCE_COLORS[_SIDE_COLORS[s]] for s in rows["stance"]]
    ax.axhline(0, color="#999999", linewidth=0.8, zorder=1)
    ax.vlines(x, rows["net_low"], rows["net_high"], colors=colors, linewidth=2.2, alpha=0.45, zorder=2)
    sizes = 30 + 230 * rows["n"].to_numpy() / max(max_n, 1)
    ax.scatter(x, rows["net"], s=sizes, c=colors, edgecolors="white", linewidths=0.8, zorder=3)
    if len(rows) <= _MAX_LABELLED_POINTS:
        for xi, net, n in zip(x, rows["net"], rows["n"]):
            ax.annotate(f"{int(n)}", (xi, net), xytext=(7, 0 if net > -0.8 else 4), textcoords="offset points",
                        fontsize=7.5, color="#444444", va="center")
    if shift is not None and shift["status"] in ("shift", "change in balance") and pd.notna(shift["date"]):
        ax.axvline(pd.Timestamp(shift["date"]).to_pydatetime(), color="#555555", linestyle=(0, (3, 2)), linewidth=1)
    ax.set_ylim(-1.25, 1.25)
    ax.set_yticks([-1, 0, 1], ["−1 oppose", "0", "+1 support"])


def _time_axis(ax, starts: pd.Series) -> None:

    lo, hi = pd.Timestamp(starts.min()), pd.Timestamp(starts.max())
    pad = max((hi - lo) * 0.06, pd.Timedelta(days=20))
    ax.set_xlim((lo - pad).to_pydatetime(), (hi + pad).to_pydatetime())
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y" if hi - lo > pd.Timedelta(days=3 * 365) else "%b\n%Y"))


def _legend_handles() -> list:


    return [Line2D([], [], marker="o", linestyle="", markersize=7, markerfacecolor=STANCE_COLORS[c],
                   markeredgecolor="white", label=label)
            for label, c in (("support", "support"), ("oppose", "oppose"), ("mixed", "neutral"))]


def _unit_name(label: str) -> str:
    label = str(label)
    return "quarter" if "Q" in label else "week" if "-W" in label else "month" if "-" in label else "year"
