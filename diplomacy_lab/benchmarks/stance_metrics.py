"""Scores of the stance benchmarks, from their official definitions, and confusion matrices.

* ``fnc1_score``: the FNC-1 weighted score. Per pair, +0.25 when the predicted label is the
  gold one; if that gold label is not ``unrelated``, +0.50 more; +0.25 when gold and
  prediction are both related (``agree``, ``disagree``, ``discuss``), right or wrong.
  Reported as a percentage of the best possible score on the same gold labels.
* ``semeval_favg``: SemEval-2016 Task 6's F_avg, the mean of the F1 of ``FAVOR`` and of
  ``AGAINST`` over all tweets pooled (not per target), times 100.
* ``stance_scores``: one row per benchmark run with accuracy, macro-F1, per-class F1
  (``f1_<label>``) and, where it applies, the official score.
* ``confusion_table`` (tidy counts) and ``plot_confusion_matrix`` (house style Figure).

>>> gold = ["agree", "unrelated", "discuss", "disagree"]
>>> pred = ["agree", "unrelated", "agree", "unrelated"]
>>> fnc1_score(gold, pred)  # (1 + 0.25 + 0.25 + 0) of (1 + 0.25 + 1 + 1)
46.15...
>>> round(semeval_favg(["FAVOR", "AGAINST", "NONE"], ["FAVOR", "NONE", "NONE"]), 2)
50.0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

from diplomacy_lab.charts.style import OKABE_ITO, annotate_figure, new_figure

__all__ = [
    "confusion_table",
    "fnc1_max_score",
    "fnc1_raw_score",
    "fnc1_score",
    "plot_confusion_matrix",
    "score_interval",
    "semeval_favg",
    "stance_scores",
]

FNC1_RELATED = ("agree", "disagree", "discuss")
FNC1_UNRELATED = "unrelated"


def _pair(gold, predicted, who: str) -> tuple[np.ndarray, np.ndarray]:
    g = np.asarray(list(gold), dtype=object)
    p = np.asarray(list(predicted), dtype=object)
    if g.shape != p.shape:
        raise ValueError(f"{who}: gold has {len(g)} labels but predicted has {len(p)}")
    if len(g) == 0:
        raise ValueError(f"{who}: no labels to score")
    if pd.isna(g).any() or pd.isna(p).any():
        raise ValueError(f"{who}: missing labels (NaN/None) in gold or predicted")
    return g, p


def _check_fnc1_labels(labels: np.ndarray, name: str) -> None:
    bad = sorted(set(map(str, labels)) - set(FNC1_RELATED) - {FNC1_UNRELATED})
    if bad:
        raise ValueError(f"fnc1_score: {name} holds label(s) {bad} that are not FNC-1 labels "
                         f"{[*FNC1_RELATED, FNC1_UNRELATED]}")


def fnc1_raw_score(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """The FNC-1 weighted score in points (the competition's ``score_submission``).

    >>> fnc1_raw_score(["discuss", "unrelated"], ["agree", "discuss"])
    0.25
    """
    g, p = _pair(gold, predicted, "fnc1_score")
    _check_fnc1_labels(g, "gold")
    _check_fnc1_labels(p, "predicted")
    exact = g == p
    g_related = np.isin(g, FNC1_RELATED)
    p_related = np.isin(p, FNC1_RELATED)
    points = 0.25 * exact + 0.50 * (exact & g_related) + 0.25 * (g_related & p_related)
    return float(points.sum())


def fnc1_max_score(gold: Sequence[str]) -> float:
    """The best possible FNC-1 score on these gold labels: 0.25 per unrelated pair, 1 per related one.

    >>> fnc1_max_score(["unrelated", "agree", "discuss"])
    2.25
    """
    return fnc1_raw_score(gold, gold)


def fnc1_score(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """The FNC-1 score as a percentage of the maximum (the figure papers report)."""
    best = fnc1_max_score(gold)
    return 100.0 * fnc1_raw_score(gold, predicted) / best


def semeval_favg(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = ("FAVOR", "AGAINST")) -> float:
    """SemEval-2016 Task 6 F_avg x 100: mean F1 of ``FAVOR`` and ``AGAINST`` over all tweets pooled.

    F1 of a class with no prediction or no gold example counts 0, as in the official
    ``eval.pl``. ``labels`` names the two classes in other label sets.

    >>> semeval_favg(["FAVOR", "AGAINST", "AGAINST"], ["FAVOR", "AGAINST", "FAVOR"])
    66.66...
    """
    g, p = _pair(gold, predicted, "semeval_favg")
    return 100.0 * float(f1_score(g, p, labels=list(labels), average="macro", zero_division=0))


def stance_scores(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] | None = None,
                  official: str | None = None) -> pd.DataFrame:
    """One row: ``n``, ``accuracy``, ``macro_f1``, ``f1_<label>`` per label and, for
    ``official="fnc1"`` or ``"semeval"``, ``fnc1_score`` or ``semeval_favg`` (percentages).

    ``labels`` fixes the classes (and their order); default: the sorted union of gold and
    predicted labels. Macro-F1 averages over ``labels``.

    >>> stance_scores(["a", "b", "b"], ["a", "b", "a"]).round(3).to_dict("records")
    [{'n': 3, 'accuracy': 0.667, 'macro_f1': 0.667, 'f1_a': 0.667, 'f1_b': 0.667}]
    """
    g, p = _pair(gold, predicted, "stance_scores")
    labels = list(labels) if labels is not None else sorted(set(g) | set(p))
    row: dict = {"n": len(g), "accuracy": float(accuracy_score(g, p)),
                 "macro_f1": float(f1_score(g, p, labels=labels, average="macro", zero_division=0))}
    per_class = f1_score(g, p, labels=labels, average=None, zero_division=0)
    row.update({f"f1_{label}": float(v) for label, v in zip(labels, per_class)})
    if official == "fnc1":
        row["fnc1_score"] = fnc1_score(g, p)
    elif official == "semeval":
        row["semeval_favg"] = semeval_favg(g, p)
    elif official is not None:
        raise ValueError(f"official must be None, 'fnc1' or 'semeval', got {official!r}")
    return pd.DataFrame([row])


def score_interval(gold: Sequence[str], predicted: Sequence[str], metric, n_boot: int = 1000,
                   confidence: float = 0.95, seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap interval of ``metric(gold, predicted)`` over resampled test rows.

    ``metric`` is any of this module's scores taking (gold, predicted), e.g. ``fnc1_score``
    or ``semeval_favg``. The rows are resampled with replacement ``n_boot`` times with a
    fixed seed, so the interval is the same on every run. It shows how much the score
    moves with the sample of test rows, not with the training data or the model's seed.

    >>> gold = ["a"] * 50 + ["b"] * 50
    >>> low, high = score_interval(gold, ["a"] * 100, lambda g, p: 100 * float(np.mean(np.array(g) == np.array(p))))
    >>> 39 < low < 50 < high < 61
    True
    """
    g, p = _pair(gold, predicted, "score_interval")
    rng = np.random.default_rng(seed)
    values = [metric(g[idx], p[idx]) for idx in rng.integers(0, len(g), size=(n_boot, len(g)))]
    tail = 100 * (1 - confidence) / 2
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def confusion_table(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] | None = None) -> pd.DataFrame:
    """Tidy confusion counts: ``gold``, ``predicted``, ``n``, ``share_of_gold`` (row share), every cell.

    >>> confusion_table(["a", "a", "b"], ["a", "b", "b"]).to_dict("records")[:2]
    [{'gold': 'a', 'predicted': 'a', 'n': 1, 'share_of_gold': 0.5}, {'gold': 'a', 'predicted': 'b', 'n': 1, 'share_of_gold': 0.5}]
    """
    g, p = _pair(gold, predicted, "confusion_table")
    labels = list(labels) if labels is not None else sorted(set(g) | set(p))
    unknown = sorted((set(g) | set(p)) - set(labels), key=str)
    if unknown:
        raise ValueError(f"confusion_table: label(s) {unknown} are not in labels={labels}")
    counts = confusion_matrix(g, p, labels=labels)
    totals = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
    return pd.DataFrame([
        {"gold": a, "predicted": b, "n": int(counts[i, j]), "share_of_gold": float(shares[i, j])}
        for i, a in enumerate(labels) for j, b in enumerate(labels)
    ])


def plot_confusion_matrix(table: pd.DataFrame, title: str, subtitle: str | None = None,
                          source_note: str | None = None, width: float = 5.2, height: float = 4.4) -> Figure:
    """Heat map of a ``confusion_table``: rows gold, columns predicted, shaded by share of gold.

    Each cell shows its count and, below, its share of the gold row. One blue ramp
    (Okabe-Ito blue), white text on dark cells. Returns a house-style Figure.

    >>> t = confusion_table(["for", "for", "against"], ["for", "against", "against"])
    >>> fig = plot_confusion_matrix(t, "Two of three right", "Toy example", "Source: made up.")
    >>> fig.axes[0].get_ylabel(), len(fig.axes[0].texts)
    ('gold', 4)
    """
    needed = ["gold", "predicted", "n", "share_of_gold"]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise ValueError(f"table is missing column(s) {missing}; build it with confusion_table(gold, predicted)")
    labels = list(dict.fromkeys(table["gold"]))
    counts = table.pivot(index="gold", columns="predicted", values="n").reindex(index=labels, columns=labels).fillna(0)
    shares = table.pivot(index="gold", columns="predicted", values="share_of_gold").reindex(index=labels, columns=labels).fillna(0)

    cmap = LinearSegmentedColormap.from_list("house_blue", ["#FFFFFF", OKABE_ITO["blue"]])
    fig, ax = new_figure(width, height)
    _ = ax.imshow(shares.to_numpy(), cmap=cmap, vmin=0.0, vmax=1.0, aspect="auto")
    for i in range(len(labels)):
        for j in range(len(labels)):
            share = shares.iat[i, j]
            _ = ax.text(j, i, f"{int(counts.iat[i, j]):,}\n{100 * share:.0f}%", ha="center", va="center",
                        fontsize=9, color="white" if share > 0.55 else "#111111")
    ax.set_xticks(range(len(labels)), labels)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(length=0)
    annotate_figure(fig, title, subtitle, source_note)
    return fig
