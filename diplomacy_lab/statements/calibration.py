"""Is a confidence calibrated? Reliability tables, expected calibration error, Brier score, diagram.

A confidence is calibrated when, among the predictions given confidence *p*, a share *p* is
correct. :func:`reliability_table` bins the predictions by confidence (the bins of
:func:`sklearn.calibration.calibration_curve`) and gives, per bin, the mean confidence, the share
observed correct and its 95% Wilson interval; :func:`expected_calibration_error` is the mean gap
between the two, weighted by the bins' sizes; :func:`plot_reliability` draws the reliability
diagram.

>>> table = reliability_table([0.1, 0.2, 0.8, 0.9], [False, False, True, True], bins=2, strategy="uniform")
>>> table[["bin", "lower", "upper", "n", "mean_confidence", "observed"]]
   bin  lower  upper  n  mean_confidence  observed
0    1    0.0    0.5  2             0.15       0.0
1    2    0.5    1.0  2             0.85       1.0
>>> round(expected_calibration_error(table), 3)
0.15
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss

from diplomacy_lab.charts.style import OKABE_ITO, annotate_figure, new_figure
from diplomacy_lab.checks import require_columns
from diplomacy_lab.uncertainty import wilson_interval

__all__ = ["brier_score", "expected_calibration_error", "plot_reliability", "reliability_table"]

STRATEGIES = ("quantile", "uniform")
COLUMNS = ["bin", "lower", "upper", "n", "correct", "mean_confidence", "observed", "observed_low", "observed_high"]


def _check(confidence, correct) -> tuple[np.ndarray, np.ndarray]:
    """``confidence`` as floats in [0, 1] and ``correct`` as booleans, of one non-zero length."""
    conf = np.asarray(confidence, dtype=float).ravel()
    raw = np.asarray(correct, dtype=object).ravel()
    if len(conf) != len(raw):
        raise ValueError(f"confidence has {len(conf)} values but correct has {len(raw)}")
    if len(conf) == 0:
        raise ValueError("no predictions: confidence and correct are empty")
    bad = ~np.isfinite(conf) | (conf < 0) | (conf > 1)
    if bad.any():
        raise ValueError(f"confidence must lie in [0, 1]; {int(bad.sum())} value(s) do not, e.g. {conf[bad][:3].tolist()}")
    if not all(isinstance(v, (bool, np.bool_)) or v in (0, 1) for v in raw):
        odd = [v for v in raw if not (isinstance(v, (bool, np.bool_)) or v in (0, 1))][:3]
        raise ValueError(f"correct must be True/False (or 1/0), got e.g. {odd}")
    return conf, raw.astype(bool)


def reliability_table(confidence, correct, bins: int = 10, strategy: str = "quantile",
                      level: float = 0.95) -> pd.DataFrame:
    """Predictions binned by confidence: per bin its edges, size, mean confidence and share correct.

    ``confidence``: probabilities in [0, 1]; ``correct``: whether each prediction was right.
    ``strategy``: ``"quantile"`` (bins of about equal size; ties can empty some) or ``"uniform"``
    (``bins`` equal widths of [0, 1]). A value on an edge falls in the lower bin, as in
    :func:`sklearn.calibration.calibration_curve`, which computes ``mean_confidence`` and
    ``observed``. Empty bins are left out. Columns: ``bin`` (1 = lowest), ``lower``, ``upper``,
    ``n``, ``correct`` (count), ``mean_confidence``, ``observed`` (share correct) and its ``level``
    Wilson interval ``observed_low``, ``observed_high``.

    >>> t = reliability_table([0.2, 0.4, 0.6, 0.9], [0, 1, 1, 1], bins=2)
    >>> t[["bin", "n", "mean_confidence", "observed", "observed_low", "observed_high"]]
       bin  n  mean_confidence  observed  observed_low  observed_high
    0    1  2             0.30       0.5        0.0945         0.9055
    1    2  2             0.75       1.0        0.3424         1.0000
    >>> reliability_table([0.5, 1.2], [1, 0])
    Traceback (most recent call last):
    ...
    ValueError: confidence must lie in [0, 1]; 1 value(s) do not, e.g. [1.2]
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {list(STRATEGIES)}, got {strategy!r}")
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ValueError(f"bins must be a positive whole number, got {bins!r}")
    conf, right = _check(confidence, correct)
    # the bins of calibration_curve (its edges are not returned: rebuilt here the same way for n and the edges)
    edges = np.percentile(conf, np.linspace(0, 100, bins + 1)) if strategy == "quantile" else np.linspace(0, 1, bins + 1)
    ids = np.searchsorted(edges[1:-1], conf)
    n = np.bincount(ids, minlength=bins)
    k = np.bincount(ids, weights=right, minlength=bins).round().astype(int)
    used = np.flatnonzero(n)
    observed, mean_confidence = calibration_curve(right.astype(int), conf, n_bins=bins, strategy=strategy, pos_label=1)
    intervals = [wilson_interval(k[i], n[i], level) for i in used]
    table = pd.DataFrame({
        "bin": used + 1, "lower": edges[used], "upper": edges[used + 1], "n": n[used], "correct": k[used],
        "mean_confidence": mean_confidence, "observed": observed,
        "observed_low": [lo for lo, _ in intervals], "observed_high": [hi for _, hi in intervals],
    })
    table.attrs.update(strategy=strategy, bins=bins, level=level)
    return table


def expected_calibration_error(table: pd.DataFrame) -> float:
    """The mean absolute gap between observed share correct and mean confidence, weighted by bin size.

    0 is perfectly calibrated (at the resolution of the bins); a :func:`reliability_table` with
    few predictions per bin gives a positive value even to a calibrated confidence.

    >>> t = pd.DataFrame({"n": [3, 1], "mean_confidence": [0.9, 0.5], "observed": [0.6, 0.5]})
    >>> round(expected_calibration_error(t), 3)
    0.225
    """
    require_columns(table, ["n", "mean_confidence", "observed"], "reliability table")
    n = table["n"].to_numpy(dtype=float)
    if n.sum() <= 0:
        raise ValueError("the reliability table holds no predictions")
    gaps = np.abs(table["observed"].to_numpy(dtype=float) - table["mean_confidence"].to_numpy(dtype=float))
    return float((n * gaps).sum() / n.sum())


def brier_score(confidence, correct) -> float:
    """Mean squared gap between confidence and outcome (1 correct, 0 not): 0 is best.

    >>> brier_score([0.9, 0.2], [True, False])
    0.025
    """
    conf, right = _check(confidence, correct)
    return round(float(brier_score_loss(right.astype(int), conf, pos_label=1)), 10)


def _verdict(table: pd.DataFrame) -> str:
    inside = ((table["observed_low"] <= table["mean_confidence"])
              & (table["mean_confidence"] <= table["observed_high"]))
    gap = float((table["n"] * (table["mean_confidence"] - table["observed"])).sum() / table["n"].sum())
    if inside.all():
        return "Confidence matches the share correct in every bin"
    return f"Confidence {'overstates' if gap > 0 else 'understates'} the share correct"


def plot_reliability(table: pd.DataFrame, title: str | None = None, subtitle: str | None = None,
                     source_note: str | None = None, width: float = 5.6, height: float = 5.6) -> Figure:
    """The reliability diagram of a :func:`reliability_table`: share correct against mean confidence.

    One point per bin, its area proportional to the bin's size, with its Wilson interval as a
    vertical bar; the dashed diagonal is perfect calibration (points below it: over-confident).
    The default title states the finding and the expected calibration error. Returns a
    house-style Figure (never shown).

    >>> t = reliability_table([0.2, 0.4, 0.6, 0.9], [0, 1, 1, 1], bins=2)
    >>> fig = plot_reliability(t)
    >>> fig.texts[0].get_text().replace("\\n", " ")
    'Confidence matches the share correct in every bin (ECE 0.225)'
    >>> sorted(a.get_gid() for a in fig.axes[0].get_children() if (a.get_gid() or "").startswith("reliability"))
    ['reliability-diagonal', 'reliability-intervals', 'reliability-points']
    """
    require_columns(table, ["n", "mean_confidence", "observed", "observed_low", "observed_high"], "reliability table")
    if table.empty:
        raise ValueError("the reliability table is empty: nothing to plot")
    ece = expected_calibration_error(table)
    total = int(table["n"].sum())
    x, y = table["mean_confidence"].to_numpy(dtype=float), table["observed"].to_numpy(dtype=float)
    low, high = table["observed_low"].to_numpy(dtype=float), table["observed_high"].to_numpy(dtype=float)
    fig, ax = new_figure(width, height)
    ax.plot([0, 1], [0, 1], linestyle="--", color="#999999", linewidth=1, gid="reliability-diagonal",
            label="perfectly calibrated")
    bars = ax.vlines(x, low, high, color=OKABE_ITO["blue"], linewidth=1.2, alpha=0.7, gid="reliability-intervals")
    bars.set_label("95% interval")
    n = table["n"].to_numpy(dtype=float)
    sizes = 20 + 380 * n / n.max()
    ax.scatter(x, y, s=sizes, color=OKABE_ITO["blue"], edgecolor="white", linewidth=0.6, zorder=3,
               gid="reliability-points", label="bin (area: predictions)")
    for xi, yi, ni, si in zip(x, y, table["n"], sizes):  # the count just right of its point
        ax.annotate(f"{int(ni):,}", (xi, yi), xytext=(np.sqrt(si) / 2 + 3, 0), textcoords="offset points",
                    fontsize=7.5, color="#555555", va="center")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel("confidence (mean in bin)")
    ax.set_ylabel("share correct")
    legend = ax.legend(loc="upper left", fontsize=8, frameon=False)
    legend.legend_handles[-1].set_sizes([60])
    strategy = table.attrs.get("strategy")
    default_subtitle = (f"{total:,} predictions in {len(table)} {strategy + ' ' if strategy else ''}bins; "
                        "points under the diagonal are over-confident")
    annotate_figure(fig, title or f"{_verdict(table)} (ECE {ece:.3f})", subtitle or default_subtitle, source_note)
    return fig
