"""Stance timelines: each actor's stance on each proposal, period by period, with intervals.

One row per actor (or ``actor_country``), target and period that holds a statement::

    >>> st = pd.DataFrame({"doc_id": ["a", "b", "c"], "actor": ["meloni"] * 3,
    ...                    "target": ["troops"] * 3, "stance": ["oppose", "oppose", "support"],
    ...                    "date": pd.to_datetime(["2025-03-02", "2025-03-20", "2026-01-09"])})
    >>> tl = stance_timeline(st)
    >>> tl[["actor", "period", "support", "oppose", "net", "net_low", "net_high", "stance"]]
        actor   period  support  oppose  net  net_low  net_high   stance
    0  meloni  2025-03        0       2 -1.0   -1.000    0.3152   oppose
    1  meloni  2026-01        1       0  1.0   -0.587    1.0000  support
    >>> tl[["new_stances", "reversal"]].to_dict("list")
    {'new_stances': ['oppose', 'support'], 'reversal': [False, True]}

**Unit.** With ``unit="document"`` (the default) each document counts once per actor and
target in a period, with the stance most of its statements take (a tie between support and
oppose makes the document ``mixed``: counted in ``documents``, not in ``support``/``oppose``).
Sentences of one article are not independent pieces of evidence; documents are closer to it.
With ``unit="statement"`` every row of the statements table counts. A document-level table
(:func:`~diplomacy_lab.statements.extract.statements_by_document`) works too: its ``n_sentences``
weighs the majority.

**Net stance.** ``net = (support - oppose) / (support + oppose)``, from -1 (all oppose) to +1
(all support); neutral statements are counted apart and left out of it. Its interval is the
Wilson score interval of the support share ``p = support / (support + oppose)`` mapped to the
net scale (``net = 2p - 1``), so it stays inside [-1, 1] and is honest for small counts (one
document gives roughly [-0.59, 1]).

**Dates.** Statements without a date are left out (their number is in
``timeline.attrs["undated_statements"]``). A month-precision date is stored as the first of
the month: use ``freq="M"`` or coarser for such corpora.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from diplomacy_lab.checks import require_columns
from diplomacy_lab.charts.style import _freeze_ticks, annotate_figure, house_style, new_figure
from diplomacy_lab.uncertainty import wilson_interval

__all__ = ["STANCES", "TIMELINE_COLUMNS", "period_label", "period_name", "plot_stance_timeline",
           "stance_events", "stance_timeline"]

STANCES = ("support", "oppose", "neutral")
FREQS = {"M": "M", "Q": "Q", "Y": "Y", "W": "W-SUN"}
UNITS = ("document", "statement")
TIMELINE_COLUMNS = [
    "target", "period", "period_start", "support", "oppose", "mixed", "neutral", "n",
    "documents", "statements", "net", "net_low", "net_high", "stance", "new_stances", "reversal",
]
_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December")


def _check(statements: pd.DataFrame, by: str, freq: str, unit: str) -> str:
    if by in TIMELINE_COLUMNS:
        raise ValueError(f"by={by!r} clashes with a timeline column; use 'actor' or 'actor_country'")
    require_columns(statements, ["doc_id", by, "target", "stance", "date"], "statements")
    alias = FREQS.get(str(freq).upper())
    if alias is None:
        raise ValueError(f"freq must be one of {list(FREQS)}, got {freq!r}")
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {list(UNITS)}, got {unit!r}")
    if not pd.api.types.is_datetime64_any_dtype(statements["date"]):
        raise ValueError(
            f"statements['date'] must be datetime64, got {statements['date'].dtype}; parse it with pd.to_datetime"
        )
    bad = sorted(set(statements["stance"].dropna()) - set(STANCES))
    if bad or statements["stance"].isna().any():
        raise ValueError(f"statements['stance'] must be one of {list(STANCES)}; found {bad or ['<missing>']}")
    return alias


def period_label(period: pd.Period) -> str:
    """'2025-03', '2025Q1', '2025' or '2025-W10' (ISO week)."""
    if period.freqstr.startswith("W"):
        year, week, _ = period.start_time.isocalendar()
        return f"{year}-W{week:02d}"
    return str(period)


def period_name(label: str) -> str:
    """A period label in words, for sentences.

    >>> [period_name(p) for p in ("2026-01", "2025Q1", "2019", "2025-W10")]
    ['January 2026', 'Q1 2025', '2019', 'week 10 of 2025']
    """
    label = str(label)
    if len(label) == 7 and label[4] == "-" and label[5:].isdigit():
        return f"{_MONTHS[int(label[5:]) - 1]} {label[:4]}"
    if len(label) == 6 and label[4] == "Q":
        return f"Q{label[5]} {label[:4]}"
    if "-W" in label:
        return f"week {int(label.split('-W')[1])} of {label[:4]}"
    return label


def _units(frame: pd.DataFrame, by: str, unit: str) -> pd.DataFrame:
    """One row per counted unit: ``by, target, period, doc_id, stance, count`` (+ ``statements``: support
    and oppose statements behind it); a document-level table's ``n_sentences`` weighs its rows."""
    keys = [by, "target", "period", "doc_id"]
    weight = frame["n_sentences"] if "n_sentences" in frame.columns else pd.Series(1, index=frame.index)
    frame = frame.assign(_w=weight.fillna(1).astype("int64"))
    if unit == "statement":
        polar = frame["stance"].isin(["support", "oppose"])
        return frame.assign(count=frame["_w"], statements=frame["_w"].where(polar, 0))[keys + ["stance", "count", "statements"]]
    counts = frame.pivot_table(index=keys, columns="stance", values="_w", aggfunc="sum", fill_value=0)
    counts = counts.reindex(columns=list(STANCES), fill_value=0)
    sup, opp = counts["support"], counts["oppose"]
    stance = pd.Series("neutral", index=counts.index)
    stance[sup > opp] = "support"
    stance[opp > sup] = "oppose"
    stance[(sup == opp) & (sup > 0)] = "mixed"
    out = stance.rename("stance").reset_index()
    out["count"] = 1
    out["statements"] = (sup + opp).to_numpy()
    return out


def stance_timeline(
    statements: pd.DataFrame, by: str = "actor", freq: str = "M", unit: str = "document", confidence: float = 0.95
) -> pd.DataFrame:
    """Per ``by`` (``actor`` or ``actor_country``), target and period: stance counts, net stance, interval.

    Columns: ``by, target, period`` (label such as "2025-03"), ``period_start``, ``support,
    oppose, mixed, neutral`` (units, see the module notes), ``n`` (support + oppose),
    ``documents``, ``statements`` (support and oppose statement rows behind the counts),
    ``net, net_low, net_high``, ``stance`` (the period's side: support, oppose, mixed when
    they tie, neutral when neither occurs), ``new_stances`` (support/oppose appearing for the
    first time for this actor and target, comma-separated) and ``reversal`` (the side flips
    between support and oppose from the previous period with statements). Sorted by ``by``,
    target, period. ``freq``: "M", "Q", "Y", "W".
    """
    alias = _check(statements, by, freq, unit)
    dated = statements[statements["date"].notna() & statements[by].notna()]
    dates = dated["date"]
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    periods = dates.dt.to_period(alias)
    frame = dated.assign(period=[period_label(p) for p in periods], _start=periods.dt.start_time)
    starts = dict(zip(frame["period"], frame["_start"]))
    units = _units(frame, by, unit)
    keys = [by, "target", "period"]
    counts = units.pivot_table(index=keys, columns="stance", values="count", aggfunc="sum", fill_value=0)
    counts = counts.reindex(columns=["support", "oppose", "mixed", "neutral"], fill_value=0)
    counts.columns.name = None
    out = counts.reset_index()
    out["documents"] = units.groupby(keys)["doc_id"].nunique().reindex(pd.MultiIndex.from_frame(out[keys])).to_numpy()
    out["statements"] = units.groupby(keys)["statements"].sum().reindex(pd.MultiIndex.from_frame(out[keys])).to_numpy()
    out.insert(3, "period_start", out["period"].map(starts))
    out = out.sort_values([by, "target", "period_start"], kind="stable").reset_index(drop=True)
    out["n"] = out["support"] + out["oppose"]
    _add_net(out, confidence)
    _add_changes(out, by)
    out = out[[by, *TIMELINE_COLUMNS]]
    int_columns = ["support", "oppose", "mixed", "neutral", "n", "documents", "statements"]
    out = out.astype({c: "int64" for c in int_columns})
    out.attrs["undated_statements"] = int(statements["date"].isna().sum())
    out.attrs.update(by=by, freq=str(freq).upper(), unit=unit, confidence=confidence)
    return out


def _add_net(out: pd.DataFrame, confidence: float) -> None:
    nets, lows, highs, sides = [], [], [], []
    for s, o, m, n in zip(out["support"], out["oppose"], out["mixed"], out["support"] + out["oppose"]):
        if n:
            low, high = wilson_interval(s, n, confidence)
            nets.append(round((s - o) / n, 4))
            lows.append(round(2 * low - 1, 4))
            highs.append(round(2 * high - 1, 4))
        else:
            nets.append(float("nan"))
            lows.append(float("nan"))
            highs.append(float("nan"))
        sides.append("support" if s > o else "oppose" if o > s else "mixed" if (s or m) else "neutral")
    out["net"], out["net_low"], out["net_high"], out["stance"] = nets, lows, highs, sides


def _add_changes(out: pd.DataFrame, by: str) -> None:
    new, reversal = [], []
    for _, group in out.groupby([by, "target"], sort=False):
        seen: set[str] = set()
        last = None
        for s, o, side in zip(group["support"], group["oppose"], group["stance"]):
            here = [x for x, c in (("support", s), ("oppose", o)) if c and x not in seen]
            seen.update(here)
            new.append(", ".join(here))
            polar = side if side in ("support", "oppose") else None
            reversal.append(bool(last and polar and polar != last))
            last = polar or last
    out["new_stances"], out["reversal"] = new, reversal


def stance_events(timeline: pd.DataFrame) -> pd.DataFrame:
    """The timeline's events as a table: first appearance of each stance and each reversal.

    Columns: ``by, target, period, event`` ("first support", "first oppose", "reversal to
    support", "reversal to oppose"), ``support, oppose, documents`` of that period.

    >>> st = pd.DataFrame({"doc_id": ["a", "b"], "actor": ["x", "x"], "target": ["t", "t"],
    ...                    "stance": ["oppose", "support"], "date": pd.to_datetime(["2025-01-05", "2025-03-01"])})
    >>> stance_events(stance_timeline(st))[["actor", "period", "event"]]
      actor   period                event
    0     x  2025-01         first oppose
    1     x  2025-03        first support
    2     x  2025-03  reversal to support
    """
    require_columns(timeline, ["target", "period", "new_stances", "reversal", "stance"], "timeline")
    by = timeline.attrs.get("by") or timeline.columns[0]
    rows = []
    for r in timeline.itertuples(index=False):
        row = r._asdict()
        events = [f"first {stance}" for stance in filter(None, str(row["new_stances"]).split(", "))]
        events += [f"reversal to {row['stance']}"] if row["reversal"] else []
        rows += [(row[by], row["target"], row["period"], event, row["support"], row["oppose"], row["documents"])
                 for event in events]
    return pd.DataFrame(rows, columns=[by, "target", "period", "event", "support", "oppose", "documents"])


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
) -> Figure:
    """Net stance per period with its interval, one panel per actor and target.

    Points sit at the start of each period, sized by N (support + oppose units) and coloured
    by the period's side (:data:`~diplomacy_lab.charts.style.STANCE_COLORS`; mixed in grey); bars
    show the interval. A detected shift (``shifts`` from
    :func:`~diplomacy_lab.timeline.shifts.detect_shifts`) is drawn as a dashed line at its date. The
    default title states the finding: the statuses of ``shifts``, or of the timeline itself.
    Filter the timeline to the series you want (at most ``max_panels``).

    >>> st = pd.DataFrame({"doc_id": ["a", "b", "c"], "actor": "x", "target": "t", "stance": "oppose",
    ...                    "date": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-03-01"])})
    >>> fig = plot_stance_timeline(stance_timeline(st))
    >>> fig.texts[0].get_text()
    'x: opposed t throughout'
    """
    from diplomacy_lab.timeline.shifts import analyse_timeline, series_headline

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
        shifts = analyse_timeline(timeline, by, unit=timeline.attrs.get("unit", "document"), labels=labels)
    status = {(r[by], r["target"]): r for r in shifts.to_dict("records")}
    names, labels = names or {}, labels or {}
    max_n = int(frame["n"].max())
    with house_style():
        fig, first = new_figure(7.0, 1.6 + 1.35 * len(series))
        fig.delaxes(first)
        axes = fig.subplots(len(series), 1, sharex=True, squeeze=False, gridspec_kw={"hspace": 0.75})[:, 0]
        for ax, key in zip(axes, series):
            _freeze_ticks(ax)
            _panel(ax, frame[(frame[by] == key[0]) & (frame["target"] == key[1])], max_n, status.get(key))
            ax.set_title(f"{names.get(key[0], key[0])} — {labels.get(key[1], key[1])}", fontsize=9)
        _time_axis(axes[-1], frame["period_start"])
        axes[0].legend(handles=_legend_handles(), loc="upper left", bbox_to_anchor=(1.01, 1.0), title="Side")
        headlines = [series_headline(status[k], by, names, labels) for k in _by_priority(series, status)]
        who = {names.get(k[0], k[0]) for k in series}
        default = "; ".join(headlines[:2]) + ("; …" if len(headlines) > 2 else "")
        default = f"{who.pop()}: {default}" if len(who) == 1 else default[:1].upper() + default[1:]
        unit = timeline.attrs.get("unit", "document")
        method = (f"Net stance = (support − oppose) / (support + oppose) per {_unit_name(frame['period'].iloc[0])}, "
                  f"{unit}s as the unit; bars: {int(100 * timeline.attrs.get('confidence', 0.95))}% Wilson interval; "
                  f"point size and label: N")
        annotate_figure(fig, title if title is not None else default,
                        subtitle if subtitle is not None else method, source_note)
    return fig


def _by_priority(series, status) -> list:
    from diplomacy_lab.timeline.shifts import STATUSES

    return sorted(series, key=lambda k: STATUSES.index(status[k]["status"]) if k in status else len(STATUSES))


def _panel(ax, rows: pd.DataFrame, max_n: int, shift) -> None:
    from diplomacy_lab.charts.style import STANCE_COLORS

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
    import matplotlib.dates as mdates

    lo, hi = pd.Timestamp(starts.min()), pd.Timestamp(starts.max())
    pad = max((hi - lo) * 0.06, pd.Timedelta(days=20))
    ax.set_xlim((lo - pad).to_pydatetime(), (hi + pad).to_pydatetime())
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y" if hi - lo > pd.Timedelta(days=3 * 365) else "%b\n%Y"))


def _legend_handles() -> list:
    from matplotlib.lines import Line2D

    from diplomacy_lab.charts.style import STANCE_COLORS

    return [Line2D([], [], marker="o", linestyle="", markersize=7, markerfacecolor=STANCE_COLORS[c],
                   markeredgecolor="white", label=label)
            for label, c in (("support", "support"), ("oppose", "oppose"), ("mixed", "neutral"))]


def _unit_name(label: str) -> str:
    label = str(label)
    return "quarter" if "Q" in label else "week" if "-W" in label else "month" if "-" in label else "year"
