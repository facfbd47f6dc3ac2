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

from diplomacy_lab.checks import require_columns
from diplomacy_lab.uncertainty import wilson_interval

__all__ = ["STANCES", "TIMELINE_COLUMNS", "period_label", "period_name",
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
