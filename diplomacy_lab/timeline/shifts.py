"""Stance shifts: did an actor's stance on a proposal change, when, and does the evidence carry it?

For each actor (or ``actor_country``) and target, :func:`detect_shifts` takes the stance
timeline (:func:`~diplomacy_lab.timeline.stances.stance_timeline`) and tries every split
point between two periods with statements: the counts before and after are compared with
**Fisher's exact test** (two-sided, support vs oppose), and the p-values of all split
points of a series are **Holm-corrected** (``family="all"``: across every series of the
table). A split is tested only if each side holds at least ``min_statements`` support or
oppose statements and ``min_documents`` documents (**minimum-evidence rule**). Counts are
small and few periods exist, so an exact test on the 2x2 table is used rather than a
change-point method (``ruptures`` and the like need long series to say anything).

Each series gets one row with a ``status``:

* ``shift``: the best split is significant (Holm-adjusted p < ``alpha``) and the majority
  side differs before and after ("moved from opposing to supporting ... in January 2026");
* ``change in balance``: significant, but the majority side stays the same;
* ``new stance``: the actor's first statements on this target come after their statements
  on other targets began; reported as new, never as a shift;
* ``stable``: the same side in every period with statements, in at least ``min_documents``
  documents (tested or not: see ``reason``);
* ``no significant shift``: the side varies between periods, no split is significant;
* ``insufficient evidence``: one period only, fewer than ``min_documents`` documents, or the
  side varies but no split meets the minimum-evidence rule; the ``reason`` says which.

A significant split also gets its ``fragility`` (:func:`fragility`): how many misclassified
statements would undo it, to weigh against the extractor's measured precision.

>>> st = pd.DataFrame({"doc_id": list("abcdefgh"), "actor": ["meloni"] * 8, "target": ["talks"] * 8,
...     "stance": ["oppose"] * 4 + ["support"] * 4,
...     "date": pd.to_datetime(["2025-03-01"] * 4 + ["2026-01-09"] * 4)})
>>> row = detect_shifts(st).iloc[0]
>>> row["status"], row["stance_before"], row["stance_after"], row["period_after"], float(round(row["p_value"], 4))
('shift', 'oppose', 'support', '2026-01', 0.0286)
>>> row["finding"][:56]
'meloni moved from opposing to supporting talks in Januar'
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from scipy.stats import fisher_exact

from diplomacy_lab.loading.dates import format_date
from diplomacy_lab.text.grammar import proper_nouns as corpus_proper_nouns
from diplomacy_lab.timeline.stances import period_name, stance_timeline

__all__ = ["SHIFT_COLUMNS", "STATUSES", "analyse_timeline", "detect_shifts", "fragility", "holm", "proposal_phrase",
           "series_headline", "shift_evidence"]

STATUSES = ("shift", "change in balance", "new stance", "stable", "no significant shift", "insufficient evidence")
SHIFT_COLUMNS = [
    "target", "status", "stance", "stance_before", "stance_after", "date", "period_before", "period_after",
    "p_value", "p_adjusted", "fragility", "support_before", "oppose_before", "documents_before", "statements_before",
    "support_after", "oppose_after", "documents_after", "statements_after", "support", "oppose",
    "documents", "periods", "first_period", "last_period", "reason", "finding", "evidence_before", "evidence_after",
    "date_precision",
]
#: The precision of a split date: the period it starts.
PERIOD_PRECISION = {"M": "month", "Q": "quarter", "Y": "year", "W": "week"}
_VERBS = {"support": ("supporting", "supported", "support for"), "oppose": ("opposing", "opposed", "opposition to"),
          "mixed": ("split on", "was split on", "a split stance on")}


def holm(p_values) -> list[float]:
    """Holm's step-down adjustment of a list of p-values (same order, capped at 1).

    >>> holm([0.01, 0.04, 0.03])
    [0.03, 0.06, 0.06]
    """
    p = [float(x) for x in p_values]
    order = sorted(range(len(p)), key=lambda i: p[i])
    adjusted, running = [0.0] * len(p), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        adjusted[i] = round(running, 12)
    return adjusted


def _side(support: int, oppose: int) -> str:
    return "support" if support > oppose else "oppose" if oppose > support else "mixed"


def _splits(rows: pd.DataFrame, min_statements: int, min_documents: int) -> list[dict]:
    """Every eligible split of one series (rows: its polar periods, in order), with Fisher's p."""
    out = []
    for i in range(1, len(rows)):
        before, after = rows.iloc[:i], rows.iloc[i:]
        sides = {f"{column}_{name}": int(part[column].sum()) for name, part in (("before", before), ("after", after))
                 for column in ("support", "oppose", "documents", "statements")}
        if min(sides["statements_before"], sides["statements_after"]) < min_statements or \
                min(sides["documents_before"], sides["documents_after"]) < min_documents:
            continue
        table = [[sides["support_before"], sides["oppose_before"]], [sides["support_after"], sides["oppose_after"]]]
        p = float(fisher_exact(table, alternative="two-sided").pvalue)
        out.append({**sides, "p_value": p, "period_before": before["period"].iloc[-1],
                    "period_after": after["period"].iloc[0], "date": after["period_start"].iloc[0]})
    return out


def detect_shifts(
    statements: pd.DataFrame,
    by: str = "actor",
    freq: str = "M",
    unit: str = "document",
    min_statements: int = 3,
    min_documents: int = 3,
    alpha: float = 0.05,
    family: str = "series",
    names: dict | None = None,
    labels: dict | None = None,
    proper_nouns: Iterable[str] | None = None,
) -> pd.DataFrame:
    """One row per ``by`` x target: status, the best split (date, counts, p-values), a finding, evidence.

    ``statements``: the statements table (sentence or document level) with ``doc_id, by,
    target, stance, date`` (``outlet`` and ``evidence`` feed the evidence columns). ``freq``
    and ``unit`` as in :func:`~diplomacy_lab.timeline.stances.stance_timeline`. ``family``:
    Holm across the split points of each series (``"series"``) or of the whole table
    (``"all"``). ``names``/``labels`` map actor and target ids to words for ``finding``;
    ``proper_nouns``: words that keep their capital inside it (default: those of the evidence,
    :func:`diplomacy_lab.text.grammar.proper_nouns`; a study adds its codebook's).
    Columns: ``by`` then :data:`SHIFT_COLUMNS`; ``date`` is the start of the first period
    after the split (of the first period, for a new stance), ``date_precision`` that period's
    length ("month" for ``freq="M"``); ``evidence_before`` / ``evidence_after`` quote a statement
    on each side with its outlet and date, written at the article's ``date_precision`` ("March
    2025", never "2025-03-01" for a month-precision article); for a series without a split: its
    first statement and, if later, its last.
    """
    for name, value in (("min_statements", min_statements), ("min_documents", min_documents)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    if family not in ("series", "all"):
        raise ValueError(f"family must be 'series' or 'all', got {family!r}")
    timeline = stance_timeline(statements, by=by, freq=freq, unit=unit)
    rules = {"min_statements": min_statements, "min_documents": min_documents, "alpha": alpha, "unit": unit}
    if proper_nouns is not None:
        proper = frozenset(proper_nouns)
    else:
        proper = corpus_proper_nouns(statements["evidence"]) if "evidence" in statements.columns else frozenset()
    rows = analyse_timeline(timeline, by, family=family, names=names, labels=labels, proper_nouns=proper, **rules)
    rows = _attach_evidence(rows, statements, by)
    rows.attrs.update(timeline.attrs, **rules, family=family)
    return rows


def analyse_timeline(timeline: pd.DataFrame, by: str = "actor", min_statements: int = 3, min_documents: int = 3,
                     alpha: float = 0.05, unit: str = "document", family: str = "series",
                     names: dict | None = None, labels: dict | None = None,
                     proper_nouns: frozenset[str] = frozenset()) -> pd.DataFrame:
    """The status of every series of a :func:`stance_timeline` table (what :func:`detect_shifts` adds evidence to).

    ``proper_nouns``: words that keep their capital when a label runs inside a sentence
    (:func:`diplomacy_lab.text.grammar.proper_nouns` of the evidence; :func:`detect_shifts` passes them)."""
    firsts = timeline.sort_values("period_start", kind="stable").groupby(by).first()
    series = []
    for (who, target), rows in timeline.groupby([by, "target"], sort=True):
        polar = rows[rows["n"] + rows["mixed"] > 0].sort_values("period_start")  # periods with a side
        series.append((who, target, rows, polar, _splits(polar, min_statements, min_documents)))
    if family == "all":
        flat = holm([s["p_value"] for *_, splits in series for s in splits])
        for *_, splits in series:
            for s in splits:
                s["p_adjusted"] = flat.pop(0)
    else:
        for *_, splits in series:
            for s, adj in zip(splits, holm([s["p_value"] for s in splits])):
                s["p_adjusted"] = adj
    words = {"names": names or {}, "labels": labels or {}, "proper": proper_nouns, "unit": unit, "alpha": alpha,
             "min_statements": min_statements, "min_documents": min_documents}
    records = [_decide(by, who, target, rows, polar, splits, firsts.loc[who], alpha, words)
               for who, target, rows, polar, splits in series]
    out = pd.DataFrame(records, columns=[by, *SHIFT_COLUMNS])
    out["date"] = pd.to_datetime(out["date"]).astype("datetime64[ns]")
    precision = PERIOD_PRECISION.get(str(timeline.attrs.get("freq", "M")).upper(), "month")
    out["date_precision"] = out["date"].notna().map({True: precision, False: pd.NA}).astype(object)
    counts = [c for c in SHIFT_COLUMNS if c.startswith(("support", "oppose", "documents", "statements"))]
    return out.astype({c: "Int64" for c in counts + ["fragility", "periods"]})


def fragility(split: dict, alpha: float = 0.05) -> int:
    """How many support/oppose units of a significant split would have to be misclassified (moved, one
    at a time and greedily, from a side's majority stance to its minority) before it loses significance,
    keeping the split's Holm multiplier. Compare it with the errors the extractor's precision implies.

    >>> fragility({"support_before": 0, "oppose_before": 5, "support_after": 5, "oppose_after": 0,
    ...            "p_value": 0.0079, "p_adjusted": 0.0238})
    1
    """
    cells = [split["support_before"], split["oppose_before"], split["support_after"], split["oppose_after"]]
    multiplier = split["p_adjusted"] / split["p_value"] if split["p_value"] > 0 else 1.0

    def p_of(c):
        return min(1.0, multiplier * float(fisher_exact([[c[0], c[1]], [c[2], c[3]]]).pvalue))

    k = 0
    while p_of(cells) < alpha and k < sum(cells):
        options = []
        for a, b in ((0, 1), (2, 3)):  # per side: move one unit from its majority to its minority
            hi, lo = (a, b) if cells[a] >= cells[b] else (b, a)
            if cells[hi]:
                moved = list(cells)
                moved[hi] -= 1
                moved[lo] += 1
                options.append(moved)
        cells = max(options, key=p_of)
        k += 1
    return k


def _decide(by, who, target, rows, polar, splits, actor_first, alpha, words) -> dict:
    s, o = int(polar["support"].sum()), int(polar["oppose"].sum())
    rec = {by: who, "target": target, "stance": _side(s, o) if len(polar) else "none", "support": s, "oppose": o,
           "documents": int(rows["documents"].sum()), "periods": len(polar),
           "first_period": rows["period"].iloc[0], "last_period": rows["period"].iloc[-1],
           "evidence_before": "", "evidence_after": ""}
    best = min(splits, key=lambda x: (x["p_adjusted"], x["date"])) if splits else None
    sides = list(polar["stance"])
    new = rows["period_start"].iloc[0] > actor_first["period_start"]
    if best is not None:
        rec.update(best, stance_before=_side(best["support_before"], best["oppose_before"]),
                   stance_after=_side(best["support_after"], best["oppose_after"]))
    if polar.empty:
        rec.update(status="insufficient evidence", reason="no support or oppose statement, only neutral ones")
    elif best is not None and best["p_adjusted"] < alpha:
        same = rec["stance_before"] == rec["stance_after"]
        rec.update(status="change in balance" if same else "shift", reason=f"significant at alpha = {alpha}",
                   fragility=fragility(best, alpha))
    elif new:
        first = polar.iloc[0]
        rec.update({f"{k}_before": 0 for k in ("support", "oppose", "documents", "statements")})
        rec.update(status="new stance", stance_before="none", stance_after=first["stance"], date=first["period_start"],
                   period_before=None, period_after=first["period"], p_value=float("nan"), p_adjusted=float("nan"),
                   support_after=s, oppose_after=o, documents_after=int(polar["documents"].sum()),
                   statements_after=int(polar["statements"].sum()),
                   reason=f"first statements on this target; the actor's statements on other targets start in "
                          f"{period_name(actor_first['period'])}")
    elif len(polar) == 1:
        only = period_name(polar["period"].iloc[0])
        rec.update(status="insufficient evidence", reason=f"all statements fall in one period ({only})")
    elif rec["documents"] < words["min_documents"]:
        rec.update(status="insufficient evidence", reason=f"only {rec['documents']} document"
                   f"{'' if rec['documents'] == 1 else 's'} (the rule needs {words['min_documents']})")
    elif len(set(sides)) == 1:
        rec.update(status="stable", reason="not significant" if best is not None else "too little evidence to test")
    elif best is None:
        rec.update(status="insufficient evidence", reason=f"no split leaves {words['min_statements']} statements and "
                   f"{words['min_documents']} documents on each side")
    else:
        rec.update(status="no significant shift", reason=f"best split not significant at alpha = {alpha}")
    rec["finding"] = _finding(rec, polar, by, words)
    return rec


def proposal_phrase(label: str, labels: dict, proper: frozenset[str] = frozenset()) -> str:
    """A target label to run inside a sentence: 'Sending troops' -> 'sending troops', but
    'Europe reopening ...' and 'Ukraine joining NATO' keep their capital (a word written with
    one inside some label, or in ``proper``: names read off the corpus, is taken for a proper noun)."""
    first = label.split(" ")[0]
    stems = {w.removesuffix("'s").removesuffix("’s") for text in labels.values() for w in str(text).split(" ")[1:]
             if w[:1].isupper()}
    stem = first.removesuffix("'s").removesuffix("’s")
    if stem in stems or stem in proper or (len(first) > 1 and first.isupper()):
        return label
    return label[:1].lower() + label[1:]


def _who(rec, by, words) -> tuple[str, str]:
    who = words["names"].get(rec[by], str(rec[by]))
    what = words["labels"].get(rec["target"], str(rec["target"]).replace("_", " "))
    return who, proposal_phrase(what, words["labels"], words.get("proper", frozenset()))


def _counts(s: int, o: int, d: int, unit: str) -> str:
    """'0 support, 4 oppose in 4 documents' (unit document) or '... in 5 statements' (unit statement)."""
    n, noun = (d, "document") if unit == "document" else (s + o, "statement")
    mixed = f", {d - s - o} mixed" if unit == "document" and d > s + o else ""
    return f"{s} support, {o} oppose{mixed} in {n} {noun}" + ("" if n == 1 else "s")


def _misread(k: int, unit: str) -> str:
    """'1 misclassified document' / '3 misclassified statements'."""
    return f"{k} misclassified {unit}" + ("" if k == 1 else "s")


def _finding(rec: dict, polar: pd.DataFrame, by: str, words: dict) -> str:
    """The row's finding as one sentence built from its numbers."""
    who, what = _who(rec, by, words)
    unit, status = words["unit"], rec["status"]
    if status in ("shift", "change in balance"):
        head = (f"{who} moved from {_VERBS[rec['stance_before']][0]} to {_VERBS[rec['stance_after']][0]} {what} in "
                f"{period_name(rec['period_after'])}" if status == "shift" else
                f"The balance of {who}'s stance on {what} changed in {period_name(rec['period_after'])}, "
                f"the majority staying {rec['stance_after']}")
        return (f"{head}: before, {_counts(rec['support_before'], rec['oppose_before'], rec['documents_before'], unit)}; "
                f"from then on, {_counts(rec['support_after'], rec['oppose_after'], rec['documents_after'], unit)} "
                f"(Fisher's exact test p = {rec['p_value']:.2g}, Holm-adjusted {rec['p_adjusted']:.2g}); "
                f"{_misread(rec['fragility'], unit)} would undo it.")
    span = f"{period_name(rec['first_period'])}" + (
        f" to {period_name(rec['last_period'])}" if rec["last_period"] != rec["first_period"] else "")
    counts = _counts(rec["support"], rec["oppose"], rec["documents"], unit)
    if status == "new stance":
        first = polar.iloc[0]
        return (f"{who} took a stance on {what} for the first time in {period_name(first['period'])}: "
                f"{rec['stance_after']} ({_counts(int(first['support']), int(first['oppose']), int(first['documents']), unit)}); "
                f"earlier statements by {who} are on other proposals. A new stance, not a shift"
                + (f"; over {span}: {counts}." if len(polar) > 1 else "."))
    if status == "stable":
        verb = _VERBS[rec["stance"]][1]
        tail = (f"no split shows a significant change (best: {period_name(rec['period_after'])}, Holm-adjusted "
                f"p = {rec['p_adjusted']:.2g})" if rec["reason"] == "not significant" else
                f"too little evidence to test for a shift (the rule needs {words['min_statements']} statements and "
                f"{words['min_documents']} documents on each side of a split)")
        return f"{who} {verb} {what} in every period with statements ({span}; {counts}); {tail}."
    if status == "no significant shift":
        by_period = ", ".join(f"{r.stance} in {period_name(r.period)}" for r in polar.itertuples())
        return (f"{who}'s stance on {what} varies ({by_period}) but no split is significant (best: "
                f"{period_name(rec['period_after'])}, Holm-adjusted p = {rec['p_adjusted']:.2g}): not evidence of a shift.")
    if rec["reason"].startswith("no split"):
        by_period = ", ".join(f"{r.stance} in {period_name(r.period)}" for r in polar.itertuples())
        return (f"Insufficient evidence to say whether {who}'s stance on {what} changed: it varies ({by_period}), "
                f"but {rec['reason']}.")
    return f"Insufficient evidence to say whether {who}'s stance on {what} changed: {rec['reason']} ({counts})."


def series_headline(rec, by: str = "actor", names: dict | None = None, labels: dict | None = None,
                    proper_nouns: frozenset[str] = frozenset()) -> str:
    """A short phrase for chart titles: 'new support for dialogue with Russia in January 2026'."""
    words = {"names": names or {}, "labels": labels or {}, "proper": proper_nouns}
    _, what = _who(rec, by, words)
    status = rec["status"]
    if status == "shift":
        return (f"moved from {_VERBS[rec['stance_before']][0]} to {_VERBS[rec['stance_after']][0]} {what} in "
                f"{period_name(rec['period_after'])}")
    if status == "change in balance":
        return f"a change in the balance on {what} in {period_name(rec['period_after'])}"
    if status == "new stance":
        return f"new {_VERBS[rec['stance_after']][2]} {what} in {period_name(rec['period_after'])}"
    if status == "stable":
        return f"{_VERBS[rec['stance']][1]} {what} throughout"
    if status == "no significant shift":
        return f"no significant shift on {what}"
    return f"too little evidence of change on {what}"


def _quote(row) -> str:
    """'“...” (Opinion blog, March 2025)': the evidence with its outlet and its date at its precision."""
    when = format_date(row.get("date"), row.get("date_precision"))
    where = ", ".join(str(x) for x in (row.get("outlet"), when) if isinstance(x, str) and x)
    text = str(row.get("evidence") or "").strip()
    return f"“{text}” ({where})" if text else ""


def _sort(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in ("date", "doc_id", "sent_id") if c in frame.columns]
    return frame.sort_values(keys, kind="stable")


def _attach_evidence(rows: pd.DataFrame, statements: pd.DataFrame, by: str) -> pd.DataFrame:
    if "evidence" not in statements.columns or rows.empty:
        return rows
    rows = rows.copy()
    groups = {k: _sort(g) for k, g in statements[statements["date"].notna()].groupby([by, "target"])}
    for i, rec in rows.iterrows():
        group = groups.get((rec[by], rec["target"]))
        if group is None:
            continue
        group = group[group["stance"].isin(["support", "oppose"])]
        if pd.isna(rec["date"]):  # no split: the first and the last statement
            first, last = group.head(1), group.tail(1)
            rows.at[i, "evidence_before"] = _quote(first.iloc[0].to_dict()) if len(first) else ""
            late = last[last["date"] > first["date"].max()] if len(first) else last
            rows.at[i, "evidence_after"] = _quote(late.iloc[0].to_dict()) if len(late) else ""
            continue
        before, after = group[group["date"] < rec["date"]], group[group["date"] >= rec["date"]]
        side_b = before[before["stance"] == rec["stance_before"]] if rec["stance_before"] in ("support", "oppose") else before
        side_a = after[after["stance"] == rec["stance_after"]] if rec["stance_after"] in ("support", "oppose") else after
        if len(side_b):
            rows.at[i, "evidence_before"] = _quote(side_b.iloc[-1].to_dict())
        if len(side_a):
            rows.at[i, "evidence_after"] = _quote(side_a.iloc[0].to_dict())
    return rows


def shift_evidence(statements: pd.DataFrame, shifts: pd.DataFrame, by: str = "actor") -> pd.DataFrame:
    """Every support/oppose statement behind the series of ``shifts``, marked ``before``/``after`` its split.

    Columns: ``by, target, status, side`` ("before", "after", or "" where the series has no
    split), ``date, doc_id`` (+ ``sent_id``, ``outlet``, ``date_precision``), ``stance, evidence``. Sorted by
    ``by``, target, date. Undated statements are left out, as in the timeline.
    """
    for name, frame, cols in (("statements", statements, ["doc_id", by, "target", "stance", "date"]),
                              ("shifts", shifts, [by, "target", "status", "date"])):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise ValueError(f"{name} is missing column(s) {missing}; found {list(frame.columns)}")
    keep = ["doc_id", "sent_id", "outlet", "date", "stance", "evidence", "date_precision"]
    polar = statements[statements["stance"].isin(["support", "oppose"]) & statements["date"].notna()]
    merged = polar.merge(shifts[[by, "target", "status", "date"]].rename(columns={"date": "_split"}), on=[by, "target"])
    side = pd.Series("", index=merged.index)
    has = merged["_split"].notna()
    side[has] = (merged.loc[has, "date"] >= merged.loc[has, "_split"]).map({True: "after", False: "before"})
    merged["side"] = side
    cols = [by, "target", "status", "side"] + [c for c in keep if c in merged.columns]
    keys = [by, "target"] + [c for c in ("date", "doc_id", "sent_id") if c in merged.columns]
    return merged.sort_values(keys, kind="stable")[cols].reset_index(drop=True)
