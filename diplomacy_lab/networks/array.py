"""The statement array of a discourse network: who said what, with which stance, how often.

Discourse network analysis (Leifeld 2016, *Policy Debates as Dynamic Networks*; Leifeld 2017,
"Discourse network analysis", in *The Oxford Handbook of Political Networks*) starts from an
array ``x[i, j, k]``: the number of statements in which node ``i`` (an actor) refers to item
``j`` (a proposal, the codebook's target) with qualifier level ``k`` (agreement: support or
oppose). Every network of :mod:`diplomacy_lab.networks` is computed from it.

**Duplicates** (DNA's ``duplicates`` setting): an actor who repeats the same stance on the same
proposal makes *duplicate* statements. ``duplicates`` says which of them count:

==============  =====================================================================================
``"once"``      each actor–target–stance counts once in the whole table (DNA: ``"acrossrange"``); the
                default: a network of positions, not of how loudly they are repeated
``"document"``  once per document (DNA: ``"document"``)
``"week"``      once per ISO calendar week (DNA: ``"week"``, UK weeks, which are ISO weeks)
``"month"``     once per calendar month (DNA: ``"month"``)
``"year"``      once per calendar year (DNA: ``"year"``)
``"include"``   every statement row counts (DNA: ``"include"``)
==============  =====================================================================================

DNA 3 compares only the week or month *number* of two statements (``month == monthPrevious``),
so a statement in January 2021 is a duplicate of one in January 2020; here a month is a calendar
month of a year. Undated statements cannot be placed in a week, month or year: under those
settings they count once per document, and their number is in ``attrs["undated"]``.

Neutral statements have no agreement value in DNA's boolean qualifier: they are left out (their
number is in ``attrs["neutral_excluded"]``), as are rows without a node or item
(``attrs["missing_excluded"]``).

>>> import pandas as pd
>>> st = pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "actor": ["meloni"] * 3, "target": ["troops"] * 3,
...                    "stance": ["oppose", "oppose", "oppose"]})
>>> len(prepare_statements(st)), len(prepare_statements(st, duplicates="document"))
(1, 2)
>>> len(prepare_statements(st, duplicates="include"))
3
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diplomacy_lab.checks import require_columns, rows_text

__all__ = ["DUPLICATES", "QUALIFIER", "StatementArray", "StatementRows", "prepare_statements", "statement_array"]

#: DNA's duplicate settings, with their names here (``"acrossrange"`` is accepted for ``"once"``).
DUPLICATES = ("once", "document", "week", "month", "year", "include")
#: The qualifier levels: k = 0 support (DNA agreement 1), k = 1 oppose (DNA agreement 0).
QUALIFIER = ("support", "oppose")
_ALIASES = {"acrossrange": "once"}
_STANCES = ("support", "oppose", "neutral")


def check_duplicates(duplicates: str) -> str:
    """The duplicates setting, checked (``"acrossrange"`` becomes ``"once"``)."""
    value = _ALIASES.get(str(duplicates).lower(), str(duplicates).lower())
    if value not in DUPLICATES:
        raise ValueError(f"duplicates must be one of {list(DUPLICATES)} (or DNA's 'acrossrange'), got {duplicates!r}")
    return value


def _dates(statements: pd.DataFrame) -> pd.Series:
    if "date" not in statements.columns:
        return pd.Series(pd.NaT, index=statements.index, dtype="datetime64[ns]")
    dates = statements["date"]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        parsed = pd.to_datetime(dates, errors="coerce", format="mixed")
        bad = parsed.isna() & dates.notna() & dates.astype(str).str.strip().ne("")
        if bad.any():
            raise ValueError(f"statements has dates that cannot be read in row(s) {rows_text(statements.index[bad])}")
        dates = parsed
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    return dates.dt.normalize()


def _period(dates: pd.Series, duplicates: str) -> pd.Series:
    if duplicates == "week":
        iso = dates.dt.isocalendar()
        key = iso["year"].astype("Int64").astype(str) + "-W" + iso["week"].astype("Int64").astype(str)
    elif duplicates == "month":
        key = dates.dt.strftime("%Y-%m")
    else:
        key = dates.dt.strftime("%Y")
    return key.astype(object).where(dates.notna(), None)


def prepare_statements(
    statements: pd.DataFrame, *, nodes: str = "actor", via: str = "target", duplicates: str = "once"
) -> pd.DataFrame:
    """The support and oppose statements that count, after DNA's duplicate setting.

    Returns columns ``node, item, stance, doc_id, date`` (datetime64, NaT when undated) and
    ``row`` (the statement's position in ``statements``), one row per counted statement, sorted by date (undated last), document and original order; the first
    statement of a group of duplicates is kept, as in DNA. ``nodes`` and ``via`` name the
    columns of the two modes (``"actor"``/``"actor_country"`` and ``"target"``, or the other way
    round for a network of targets). ``attrs``: ``duplicates``, ``nodes``, ``via``,
    ``statements`` (rows given), ``neutral_excluded``, ``missing_excluded``, ``duplicates_removed``,
    ``undated``.
    """
    if nodes == via:
        raise ValueError(f"nodes and via must be two different columns, got {nodes!r} twice")
    require_columns(statements, ["doc_id", nodes, via, "stance"], "statements")
    duplicates = check_duplicates(duplicates)
    stance = statements["stance"].astype(object).where(statements["stance"].notna(), "")
    stance = stance.astype(str).str.strip().str.lower()
    unknown = sorted(set(stance) - set(_STANCES))
    if unknown:
        raise ValueError(f"statements has stance(s) {unknown}; networks know {list(_STANCES)}")
    missing = statements[nodes].isna() | statements[via].isna() | statements[nodes].astype(str).str.strip().eq("") \
        | statements[via].astype(str).str.strip().eq("")
    polar = stance.isin(QUALIFIER)
    keep = polar & ~missing
    dates = _dates(statements)
    frame = pd.DataFrame({
        "node": statements[nodes].astype(str).str.strip(),
        "item": statements[via].astype(str).str.strip(),
        "stance": stance,
        "doc_id": statements["doc_id"].astype(str),
        "date": dates,
        "_order": np.arange(len(statements)),
    }, index=statements.index)[keep]
    frame = frame.sort_values(["date", "doc_id", "_order"], kind="stable", na_position="last")
    undated = int(frame["date"].isna().sum())
    key = ["node", "item", "stance"]
    if duplicates == "document":
        frame = frame.drop_duplicates(key + ["doc_id"])
    elif duplicates == "once":
        frame = frame.drop_duplicates(key)
    elif duplicates != "include":
        period = _period(frame["date"], duplicates)
        frame = frame.assign(_period=period.where(period.notna(), "undated:" + frame["doc_id"]))
        frame = frame.drop_duplicates(key + ["_period"]).drop(columns="_period")
    out = frame.rename(columns={"_order": "row"}).reset_index(drop=True)
    out.attrs.update(
        duplicates=duplicates, nodes=nodes, via=via, statements=len(statements),
        neutral_excluded=int((stance == "neutral").sum()), missing_excluded=int((missing & polar).sum()),
        duplicates_removed=int(keep.sum() - len(out)), undated=undated if duplicates in ("week", "month", "year") else 0,
    )
    return out


class StatementArray:
    """``x[i, j, k]`` as a dense numpy array with its labels: ``nodes`` (i), ``items`` (j), and
    the qualifier levels ``QUALIFIER`` (k = 0 support, 1 oppose)."""

    def __init__(self, x: np.ndarray, nodes: list[str], items: list[str]) -> None:
        self.x = x
        self.nodes = nodes
        self.items = items

    @property
    def flat(self) -> np.ndarray:
        """``x`` as a nodes x (items * 2) matrix: one column per item and qualifier level."""
        return self.x.reshape(len(self.nodes), -1)

    @property
    def activity(self) -> np.ndarray:
        """Each node's number of counted statements, ``sum_jk x[i, j, k]``."""
        return self.x.sum(axis=(1, 2))


def statement_array(prepared: pd.DataFrame, weights=None, nodes=None, items=None) -> StatementArray:
    """The array ``x`` of a :func:`prepare_statements` table; ``weights`` (one per row, default 1)
    are summed instead of counts (kernel weights of a time window). ``nodes``/``items`` fix the
    labels (e.g. every actor of the corpus, so that windows share one node set)."""
    nodes = sorted(set(prepared["node"])) if nodes is None else list(nodes)
    items = sorted(set(prepared["item"])) if items is None else list(items)
    x = np.zeros((len(nodes), len(items), len(QUALIFIER)), dtype=float)
    if len(prepared):
        i = pd.Index(nodes).get_indexer(prepared["node"])
        j = pd.Index(items).get_indexer(prepared["item"])
        k = (prepared["stance"].to_numpy() == "oppose").astype(int)
        if (i < 0).any() or (j < 0).any():
            raise ValueError("statements hold nodes or items outside the given labels")
        w = np.ones(len(prepared)) if weights is None else np.asarray(weights, dtype=float)
        np.add.at(x, (i, j, k), w)
    return StatementArray(x, nodes, items)


class StatementRows:
    """The statements of a network with their groups of duplicates, for fast re-weighting.

    Built from all support/oppose rows (DNA's ``"include"``), it gives the statement array for
    any multiplicity of documents (a bootstrap draw: ``doc_counts``) and any statement weights
    (a time window's kernel: ``row_weights``) without going back to pandas. A group of duplicates
    (per the ``duplicates`` setting) weighs as its heaviest drawn statement; a group tied to one
    document (``"document"``, ``"include"``, undated rows under a period setting) counts once per
    copy of its document, the others once. With every document drawn once and weight 1 the array
    is that of :func:`prepare_statements` with the same setting.
    """

    def __init__(self, statements: pd.DataFrame, *, nodes: str = "actor", via: str = "target",
                 duplicates: str = "once", node_labels=None, item_labels=None) -> None:
        duplicates = check_duplicates(duplicates)
        rows = prepare_statements(statements, nodes=nodes, via=via, duplicates="include")
        self.attrs = dict(rows.attrs, duplicates=duplicates)
        self.rows = rows
        self.nodes = sorted(set(rows["node"])) if node_labels is None else list(node_labels)
        self.items = sorted(set(rows["item"])) if item_labels is None else list(item_labels)
        self.docs = sorted(set(rows["doc_id"]))
        self.doc = pd.Index(self.docs).get_indexer(rows["doc_id"]) if len(rows) else np.zeros(0, dtype=int)
        self.days = rows["date"].to_numpy(dtype="datetime64[ns]")
        key = ["node", "item", "stance"]
        if duplicates == "include":
            group = pd.Series(np.arange(len(rows)), index=rows.index)
            per_copy = np.ones(len(rows), dtype=bool)
        else:
            frame = rows[key].copy()
            tied = np.ones(len(rows), dtype=bool) if duplicates == "document" else np.zeros(len(rows), dtype=bool)
            if duplicates in ("week", "month", "year"):
                period = _period(rows["date"], duplicates)
                tied = period.isna().to_numpy()
                frame["_k"] = period.where(period.notna(), "undated:" + rows["doc_id"])
            elif duplicates == "document":
                frame["_k"] = rows["doc_id"]
            group = frame.groupby(list(frame.columns), sort=False).ngroup()
            per_copy = pd.Series(tied).groupby(group.to_numpy()).first().to_numpy()
        self.group = group.to_numpy().astype(int)
        self.per_copy = np.asarray(per_copy, dtype=bool)
        first = pd.Series(np.arange(len(rows))).groupby(self.group).first().to_numpy() if len(rows) else np.zeros(0, int)
        reps = rows.iloc[first]
        self.i = pd.Index(self.nodes).get_indexer(reps["node"]) if len(rows) else np.zeros(0, int)
        self.j = pd.Index(self.items).get_indexer(reps["item"]) if len(rows) else np.zeros(0, int)
        self.k = (reps["stance"].to_numpy() == "oppose").astype(int)
        self.group_doc = self.doc[first] if len(rows) else np.zeros(0, int)
        if (self.i < 0).any() or (self.j < 0).any():
            raise ValueError("statements hold nodes or items outside the given labels")

    def group_weights(self, doc_counts=None, row_weights=None) -> np.ndarray:
        """The weight of each group of duplicates (see the class notes)."""
        n_groups = len(self.per_copy)
        r = np.ones(len(self.docs)) if doc_counts is None else np.asarray(doc_counts, dtype=float)
        w = np.ones(len(self.rows)) if row_weights is None else np.asarray(row_weights, dtype=float)
        w = np.where(r[self.doc] > 0, w, 0.0)
        best = np.zeros(n_groups)
        np.maximum.at(best, self.group, w)
        return np.where(self.per_copy, best * r[self.group_doc], best)

    def array(self, doc_counts=None, row_weights=None) -> StatementArray:
        """The statement array for these document multiplicities and statement weights."""
        x = np.zeros((len(self.nodes), len(self.items), len(QUALIFIER)), dtype=float)
        np.add.at(x, (self.i, self.j, self.k), self.group_weights(doc_counts, row_weights))
        return StatementArray(x, self.nodes, self.items)
