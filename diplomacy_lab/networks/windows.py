"""Networks over moving time windows, with kernel smoothing (DNA's time-window and kernel-smoothed
time slices: Leifeld 2016, *Policy Debates as Dynamic Networks*; DNA 3 ``Exporter.computeKernelSmoothedTimeSlices``).

**Windows.** Window ``w`` covers the days ``start + w * step <= day < start + w * step + size``
(``size`` and ``step`` in days); its mid-point is ``window_start + size / 2``. Windows lie inside
the statements' date range (DNA's "indented" time), so the first and last are as full as the
others; if the range is shorter than ``size``, there is one window from the first date. Statements
in no window are counted in ``attrs["statements_in_no_window"]``; undated statements in
``attrs["undated_excluded"]``.

**Kernels.** A statement ``u = (day - mid) / (size / 2)`` half-windows from the mid-point weighs
``K(u)``: ``uniform`` 1, ``triangular`` 1 - \\|u\\|, ``epanechnikov`` 1 - u², each 0 outside the
window, and ``gaussian`` exp(-u² / 2) at any distance (so ``window_start``/``window_end`` are
then nominal: statements outside still weigh a little). The kernels are scaled so that a
statement at the mid-point weighs 1 and, with ``uniform``, a window's network is exactly the
network of its statements. DNA uses the density forms (0.5, 0.75(1 - u²), ...: the same networks
up to a constant; its source writes the Epanechnikov and triangular kernels as 0.75(1 - u)² and
\\|1 - u\\|, which are not symmetric about the mid-point; the textbook forms are used here).

**Weights.** In a one-mode network two statements at ``u`` and ``u'`` contribute
``sqrt(K(u) K(u'))`` (DNA's geometric mean), i.e. the statement array holds ``sum sqrt(K)``; the
normalisations of :mod:`~diplomacy_lab.networks.onemode` then apply to that weighted array. In a
two-mode network a statement contributes ``K(u)``.

**Duplicates** are counted within each window: ``"once"`` counts each actor–target–stance once
per window, ``"week"``/``"month"``/``"year"`` once per period inside the window, ``"document"``
once per document; a group of duplicates weighs as its statement nearest the mid-point. (DNA
filters duplicates over the whole range before cutting windows, which hides a stance repeated
later from every later window under ``"acrossrange"``.)

>>> import pandas as pd
>>> st = pd.DataFrame({"doc_id": ["a", "b", "c"], "actor": ["x", "y", "y"], "target": ["t"] * 3,
...                    "stance": ["support", "support", "oppose"],
...                    "date": pd.to_datetime(["2025-01-01", "2025-01-03", "2025-01-20"])})
>>> network_windows(st, "congruence", size=10, step=10)[["window_start", "window_end", "source", "target", "weight"]]
  window_start window_end source target  weight
0   2025-01-01 2025-01-11      x      y     1.0
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from diplomacy_lab.networks.array import StatementArray, StatementRows
from diplomacy_lab.networks.onemode import check_kind, check_normalize, edge_table, one_mode_matrices
from diplomacy_lab.networks.twomode import check_two_mode, two_mode_matrix

__all__ = ["KERNELS", "WINDOW_COLUMNS", "kernel_weights", "network_windows", "time_windows", "window_arrays"]

KERNELS = ("uniform", "triangular", "epanechnikov", "gaussian")
WINDOW_COLUMNS = ["window_start", "window_mid", "window_end", "source", "target", "weight", "statements"]


def kernel_weights(u, kernel: str = "uniform") -> np.ndarray:
    """``K(u)`` for distances ``u`` in half-windows (see the module notes).

    >>> kernel_weights([-1.0, -0.5, 0.0, 0.5, 1.5], "triangular").tolist()
    [0.0, 0.5, 1.0, 0.5, 0.0]
    >>> kernel_weights([0.0, 0.5], "epanechnikov").tolist()
    [1.0, 0.75]
    """
    if kernel not in KERNELS:
        raise ValueError(f"kernel must be one of {list(KERNELS)}, got {kernel!r}")
    u = np.asarray(u, dtype=float)
    inside = np.abs(u) <= 1.0
    if kernel == "uniform":
        return np.where(inside, 1.0, 0.0)
    if kernel == "triangular":
        return np.where(inside, 1.0 - np.abs(u), 0.0)
    if kernel == "epanechnikov":
        return np.where(inside, 1.0 - u ** 2, 0.0)
    return np.exp(-0.5 * u ** 2)


def _day(value, name: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(value).normalize()
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name} must be a date, got {value!r}") from exc


def time_windows(dates, size: int, step: int | None = None, start=None, end=None) -> pd.DataFrame:
    """The windows over ``dates``: ``window_start, window_mid, window_end`` (see the module notes).

    >>> time_windows(pd.to_datetime(["2025-01-01", "2025-01-10"]), size=4, step=3)["window_start"].dt.day.tolist()
    [1, 4, 7]
    """
    if not isinstance(size, (int, np.integer)) or isinstance(size, bool) or size < 1:
        raise ValueError(f"size must be a whole number of days >= 1, got {size!r}")
    step = max(1, size // 2) if step is None else step
    if not isinstance(step, (int, np.integer)) or isinstance(step, bool) or step < 1:
        raise ValueError(f"step must be a whole number of days >= 1, got {step!r}")
    dates = pd.to_datetime(pd.Series(dates)).dropna()
    if dates.empty and (start is None or end is None):
        raise ValueError("no dated statement: time windows need dates (or start= and end=)")
    first = _day(start, "start") if start is not None else dates.min().normalize()
    last = _day(end, "end") if end is not None else dates.max().normalize()
    if last < first:
        raise ValueError(f"end ({last.date()}) is before start ({first.date()})")
    span = (last - first).days + 1
    count = max(1, (span - size) // step + 1) if span >= size else 1
    starts = first + pd.to_timedelta(np.arange(count) * step, unit="D")
    return pd.DataFrame({"window_start": starts, "window_mid": starts + pd.Timedelta(hours=12 * size),
                         "window_end": starts + pd.Timedelta(days=size)})


def window_arrays(rows: StatementRows, windows: pd.DataFrame, kernel: str, mode: str,
                  doc_counts=None) -> Iterator[tuple[int, int, StatementArray]]:
    """For each window: (window index, counted statements inside it, kernel-weighted array)."""
    for w, (ws, wm, we) in enumerate(zip(windows["window_start"], windows["window_mid"], windows["window_end"])):
        half = (we - ws) / 2
        days = rows.days
        u = (days - np.datetime64(wm)) / np.timedelta64(half)
        inside = (days >= np.datetime64(ws)) & (days < np.datetime64(we))  # NaT compares False
        k = np.nan_to_num(kernel_weights(u, kernel))
        k = np.where(inside, k, 0.0) if kernel != "gaussian" else np.where(np.isnat(days), 0.0, k)
        weight = np.sqrt(k) if mode == "one-mode" else k
        counted = round(float(rows.group_weights(doc_counts, inside.astype(float)).sum()))
        yield w, counted, rows.array(doc_counts, weight)


def network_windows(
    statements: pd.DataFrame,
    kind: str = "congruence",
    *,
    size: int = 30,
    step: int | None = None,
    kernel: str = "uniform",
    nodes: str = "actor",
    via: str = "target",
    normalize: str = "none",
    duplicates: str = "once",
    aggregation: str = "subtract",
    start=None,
    end=None,
) -> pd.DataFrame:
    """One network per moving window, as one tidy table (:data:`WINDOW_COLUMNS`).

    ``kind``: ``"congruence"``, ``"conflict"``, ``"subtract"`` (one-mode, ``nodes`` linked
    through ``via``) or ``"two-mode"`` (``nodes`` x targets, with ``aggregation``). ``size`` and
    ``step`` are in days (``step`` defaults to half a window); ``start``/``end`` default to the
    first and last statement dates. ``statements`` is the number of counted statements in the
    window (for ``gaussian``: within its nominal bounds). Windows without an edge have no row;
    ``attrs["windows"]`` lists every window with its statements.
    """
    two_mode = kind == "two-mode"
    if two_mode:
        aggregation, normalize = check_two_mode(aggregation, normalize)
        via = "target"
    else:
        kind, normalize = check_kind(kind), check_normalize(normalize)
    rows = StatementRows(statements, nodes=nodes, via=via, duplicates=duplicates)
    windows = time_windows(rows.rows["date"], size, step, start, end)
    parts, counts = [], []
    mode = "two-mode" if two_mode else "one-mode"
    for w, n, array in window_arrays(rows, windows, kernel, mode):
        counts.append(n)
        if two_mode:
            y = two_mode_matrix(array, aggregation, normalize)
            present = array.x.sum(axis=2) > 0
            i, j = np.nonzero(present)
            edges = pd.DataFrame({"source": np.array(array.nodes, dtype=object)[i],
                                  "target": np.array(array.items, dtype=object)[j], "weight": y[i, j]})
        else:
            edges = edge_table(array, one_mode_matrices(array, normalize), kind)[["source", "target", "weight"]]
        if len(edges):
            parts.append(edges.assign(window=w, statements=n))
    windows = windows.assign(statements=np.array(counts, dtype="int64"))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["source", "target", "weight",
                                                                                   "window", "statements"])
    out = windows.drop(columns="statements").reset_index(names="window").merge(out, on="window")
    out = out[WINDOW_COLUMNS].astype({"weight": float, "statements": "int64"}).reset_index(drop=True)
    dated = rows.rows[rows.rows["date"].notna()]["date"]
    covered = np.zeros(len(dated), dtype=bool)
    for ws, we in zip(windows["window_start"], windows["window_end"]):
        covered |= ((dated >= ws) & (dated < we)).to_numpy()
    out.attrs.update(rows.attrs)
    out.attrs.update(kind=kind, normalize=normalize, kernel=kernel, size=size, step=step or max(1, size // 2),
                     windows=windows, undated_excluded=int(rows.rows["date"].isna().sum()),
                     statements_in_no_window=int((~covered).sum()))
    return out
