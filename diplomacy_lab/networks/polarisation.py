"""Polarisation of a discourse network: how far the debate splits into camps that disagree.

**Definition.** With ``C`` the congruence and ``F`` the conflict network of the actors
(:mod:`~diplomacy_lab.networks.onemode`, after the chosen normalisation), a split of the actors into
``k`` camps ``P`` (k = 2 by default) is scored by the conflict that runs *between* camps net of the
agreement that crosses them, as a share of all conflict::

    polarisation = max over P of  ( F_between(P) - C_between(P) ) / F_total

where ``F_between(P) = sum of F[i, j] over pairs i < j in different camps``, likewise ``C_between``,
and ``F_total = sum of F[i, j] over all pairs i < j``. It is a maximum cut of the signed network
``F - C`` (the negative of DNA's *subtract* network), divided by the conflict mass.

- 1: every disagreement runs between the camps and no agreement crosses them (two camps, each
  agreeing inside and disagreeing with the other);
- 0: no conflict at all (consensus, or nobody disagrees: the score is 0 by definition, and
  ``conflict`` is 0 in the table), or every split is crossed by as much agreement as
  disagreement. Putting everyone in one camp scores 0, so the maximum is never below 0.

Like DNA's polarisation (Leifeld's ``dna_polarization``, k-cluster solutions from the congruence
and conflict networks, normalised to 0–1), the score looks for the best ``k``-camp split of the
congruence and conflict networks; unlike DNA's absolute-difference fitness, it scores a consensus
network 0 and a perfect two-camp split 1, and its best split is found exactly for k = 2 and up to
``exact_max`` actors (every split is tried), otherwise by local search from ``restarts`` random
starts (``method`` says which). Actors without any tie do not change the score.

**Uncertainty.** A bootstrap over documents: the documents with statements are resampled with
replacement (a document drawn twice counts as two documents), the networks rebuilt with the same
settings, and the score recomputed; ``low``/``high`` are percentiles. The bootstrap of a maximum
leans upwards: read the point estimate with its interval, not the interval's centre.

>>> import numpy as np
>>> C = np.array([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]], float)
>>> F = np.array([[0, 0, 1, 1], [0, 0, 1, 1], [1, 1, 0, 0], [1, 1, 0, 0]], float)
>>> score, camps, method = polarisation_score(C, F)
>>> score, camps.tolist(), method
(1.0, [0, 0, 1, 1], 'exact')
>>> polarisation_score(C, np.zeros((4, 4)))[0]
0.0
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from diplomacy_lab.networks.array import StatementRows
from diplomacy_lab.networks.onemode import check_normalize, one_mode_matrices
from diplomacy_lab.networks.windows import time_windows, window_arrays

__all__ = ["POLARISATION_COLUMNS", "network_polarisation", "polarisation_over_time", "polarisation_score"]

POLARISATION_COLUMNS = ["polarisation", "low", "high", "conflict", "congruence", "actors", "statements",
                        "documents", "camps", "method"]
_TOL = 1e-12


@lru_cache(maxsize=32)
def _splits(n: int) -> np.ndarray:
    """All two-camp splits of n nodes as +1/-1 rows, node 0 always +1."""
    codes = np.arange(2 ** (n - 1), dtype=np.int64)
    bits = (codes[:, None] >> np.arange(n - 1)) & 1
    return np.hstack([np.ones((len(codes), 1), dtype=np.int8), (1 - 2 * bits).astype(np.int8)])


def _local_search(m: np.ndarray, k: int, restarts: int, rng: np.random.Generator) -> tuple[float, np.ndarray]:
    n = len(m)
    best, best_labels = -np.inf, np.zeros(n, dtype=int)
    half_total = m.sum() / 2
    for _ in range(restarts):
        labels = rng.integers(0, k, size=n)
        g = m @ np.eye(k)[labels]  # g[i, c]: sum of m[i, j] over j in camp c
        while True:
            gain = g[np.arange(n), labels][:, None] - g  # cut gain of moving i to camp c
            i, c = np.unravel_index(np.argmax(gain), gain.shape)
            if gain[i, c] <= _TOL:
                break
            g[:, labels[i]] -= m[:, i]
            g[:, c] += m[:, i]
            labels[i] = c
        within = sum(m[np.ix_(labels == c, labels == c)].sum() for c in range(k)) / 2
        cut = half_total - within
        if cut > best + _TOL:
            best, best_labels = cut, labels.copy()
    return best, best_labels


def _canonical(labels: np.ndarray) -> np.ndarray:
    """Camps numbered by size (largest first), ties by their first member."""
    camps = sorted(set(labels.tolist()), key=lambda c: (-(labels == c).sum(), int(np.argmax(labels == c))))
    return np.array([camps.index(c) for c in labels])


def polarisation_score(congruence, conflict, k: int = 2, *, exact_max: int = 16, restarts: int = 50,
                       seed: int = 0) -> tuple[float, np.ndarray, str]:
    """(score, camp of each node, method) for square congruence and conflict matrices (module notes).

    Camps are numbered 0, 1, ... by size; nodes without a tie get -1. ``method`` is ``"exact"``,
    ``"local search"`` or ``"no conflict"``.
    """
    c, f = np.asarray(congruence, dtype=float), np.asarray(conflict, dtype=float)
    if c.shape != f.shape or c.ndim != 2 or c.shape[0] != c.shape[1]:
        raise ValueError(f"congruence and conflict must be square matrices of one shape, got {c.shape} and {f.shape}")
    if not isinstance(k, (int, np.integer)) or k < 2:
        raise ValueError(f"k must be a whole number >= 2, got {k!r}")
    c, f = (c + c.T) / 2, (f + f.T) / 2
    np.fill_diagonal(c, 0.0)
    np.fill_diagonal(f, 0.0)
    labels = np.full(len(c), -1)
    tied = np.flatnonzero((np.abs(c).sum(axis=1) > _TOL) | (np.abs(f).sum(axis=1) > _TOL))
    f_total = np.triu(f, 1).sum()
    if f_total <= _TOL or len(tied) < 2:
        labels[tied] = 0
        return 0.0, labels, "no conflict"
    m = (f - c)[np.ix_(tied, tied)]
    if k == 2 and len(tied) <= exact_max:
        z = _splits(len(tied)).astype(float)
        quad = ((z @ m) * z).sum(axis=1)
        best = int(np.argmin(quad))
        cut = (m.sum() - quad[best]) / 4
        found, method = (z[best] < 0).astype(int), "exact"
    else:
        cut, found = _local_search(m, k, restarts, np.random.default_rng(seed))
        method = "local search"
    labels[tied] = _canonical(found)
    return round(float(max(cut, 0.0) / f_total), 10), labels, method


def _camps_text(nodes: list, labels: np.ndarray) -> str:
    camps = [", ".join(str(n) for n, lab in zip(nodes, labels) if lab == c) for c in range(labels.max() + 1)]
    return " | ".join(camps)


def _score(array, k: int, normalize: str, search: dict) -> dict:
    mats = one_mode_matrices(array, normalize)
    score, labels, method = polarisation_score(mats["congruence"], mats["conflict"], k, **search)
    return {"polarisation": score, "conflict": float(np.triu(mats["conflict"], 1).sum()),
            "congruence": float(np.triu(mats["congruence"], 1).sum()), "actors": int((labels >= 0).sum()),
            "camps": _camps_text(array.nodes, labels) if (labels >= 0).any() else "", "method": method,
            "labels": labels}


def _draws(rows: StatementRows, n_boot: int, seed: int) -> np.ndarray:
    """Document multiplicities of ``n_boot`` bootstrap draws (rows: draws, columns: documents)."""
    rng = np.random.default_rng(seed)
    n = len(rows.docs)
    return np.array([np.bincount(rng.integers(0, n, size=n), minlength=n) for _ in range(n_boot)])


def _check(n_boot: int, confidence: float, normalize: str) -> str:
    if not isinstance(n_boot, (int, np.integer)) or isinstance(n_boot, bool) or n_boot < 0:
        raise ValueError(f"n_boot must be a whole number >= 0, got {n_boot!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    return check_normalize(normalize)


def _interval(draws, confidence: float, axis=None):
    return np.quantile(np.asarray(draws, dtype=float), [(1 - confidence) / 2, (1 + confidence) / 2], axis=axis)


def network_polarisation(
    statements: pd.DataFrame, *, k: int = 2, by: str = "actor", normalize: str = "none", duplicates: str = "once",
    n_boot: int = 200, seed: int = 0, confidence: float = 0.95, exact_max: int = 16, restarts: int = 50,
) -> pd.DataFrame:
    """Polarisation of the actor network of ``statements``, with a bootstrap interval over documents.

    One row, columns :data:`POLARISATION_COLUMNS`: ``polarisation`` (0–1, module notes),
    ``low``/``high`` (percentile interval of ``n_boot`` document resamples; NaN with
    ``n_boot=0``), ``conflict`` and ``congruence`` (tie mass), ``actors`` (with a tie),
    ``statements`` (counted after ``duplicates``), ``documents``, ``camps`` (the best split,
    camps separated by ``|``), ``method``. ``attrs["camps"]``: one row per actor with its camp
    (-1: no tie).

    >>> st = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "actor": ["x", "y", "z", "w"], "target": ["t"] * 4,
    ...                    "stance": ["support", "support", "oppose", "oppose"]})
    >>> network_polarisation(st, n_boot=0)[["polarisation", "actors", "camps"]]
       polarisation  actors         camps
    0           1.0       4  w, z | x, y
    """
    normalize = _check(n_boot, confidence, normalize)
    search = {"exact_max": exact_max, "restarts": restarts, "seed": seed}
    rows = StatementRows(statements, nodes=by, duplicates=duplicates)
    array = rows.array()
    row = _score(array, k, normalize, search)
    labels = row.pop("labels")
    row.update(statements=round(float(array.x.sum())), documents=len(rows.docs), low=np.nan, high=np.nan)
    if n_boot and len(rows.docs):
        scores = [_score(rows.array(r), k, normalize, search)["polarisation"] for r in _draws(rows, n_boot, seed)]
        row["low"], row["high"] = (float(q) for q in _interval(scores, confidence))
    out = pd.DataFrame([row])[POLARISATION_COLUMNS]
    out.attrs.update(rows.attrs)
    out.attrs.update(k=k, normalize=normalize, n_boot=n_boot, seed=seed, confidence=confidence, by=by,
                     camps=pd.DataFrame({by: array.nodes, "camp": labels}))
    return out


def polarisation_over_time(
    statements: pd.DataFrame, *, size: int = 365, step: int | None = None, kernel: str = "uniform", k: int = 2,
    by: str = "actor", normalize: str = "none", duplicates: str = "once", n_boot: int = 200, seed: int = 0,
    confidence: float = 0.95, start=None, end=None, exact_max: int = 16, restarts: int = 50,
) -> pd.DataFrame:
    """Polarisation of each moving window (:mod:`~diplomacy_lab.networks.windows`), with bootstrap intervals.

    One row per window: ``window_start, window_mid, window_end`` and :data:`POLARISATION_COLUMNS`
    (``statements``: counted statements inside the window; ``documents``: documents with one).
    A window without any statement has NaN polarisation (``method`` "no statements"); a window
    with statements but no conflict has 0. The bootstrap resamples the documents of the whole
    table, keeping their dates, and recomputes every window.

    >>> st = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "actor": ["x", "y", "x", "y"], "target": ["t"] * 4,
    ...                    "stance": ["support", "oppose", "support", "support"],
    ...                    "date": pd.to_datetime(["2020-01-05", "2020-01-06", "2020-02-05", "2020-02-06"])})
    >>> polarisation_over_time(st, size=30, step=30, end="2020-03-05", n_boot=0)[["window_start", "polarisation", "method"]]
      window_start  polarisation       method
    0   2020-01-05           1.0        exact
    1   2020-02-04           0.0  no conflict
    """
    normalize = _check(n_boot, confidence, normalize)
    search = {"exact_max": exact_max, "restarts": restarts, "seed": seed}
    rows = StatementRows(statements, nodes=by, duplicates=duplicates)
    windows = time_windows(rows.rows["date"], size, step, start, end)
    records = []
    for w, n, array in window_arrays(rows, windows, kernel, "one-mode"):
        ws, we = windows["window_start"].iloc[w], windows["window_end"].iloc[w]
        docs = rows.rows.loc[(rows.rows["date"] >= ws) & (rows.rows["date"] < we), "doc_id"].nunique()
        if n == 0 and not array.x.any():
            record = {"polarisation": np.nan, "conflict": 0.0, "congruence": 0.0, "actors": 0, "camps": "",
                      "method": "no statements"}
        else:
            record = _score(array, k, normalize, search)
            record.pop("labels")
        records.append({**record, "statements": n, "documents": int(docs)})
    table = pd.concat([windows.reset_index(drop=True), pd.DataFrame(records)], axis=1)
    table["low"] = table["high"] = np.nan
    if n_boot and len(rows.docs):
        draws = np.full((n_boot, len(windows)), np.nan)
        for b, r in enumerate(_draws(rows, n_boot, seed)):
            for w, n, array in window_arrays(rows, windows, kernel, "one-mode", doc_counts=r):
                if array.x.any():
                    draws[b, w] = _score(array, k, normalize, search)["polarisation"]
        empty = table["method"].eq("no statements").to_numpy()
        with np.errstate(all="ignore"):
            low, high = np.nanquantile(np.where(np.isnan(draws), 0.0, draws), [(1 - confidence) / 2,
                                                                               (1 + confidence) / 2], axis=0)
        table["low"], table["high"] = np.where(empty, np.nan, low), np.where(empty, np.nan, high)
    table = table[["window_start", "window_mid", "window_end", *POLARISATION_COLUMNS]]
    table.attrs.update(rows.attrs)
    table.attrs.update(k=k, normalize=normalize, kernel=kernel, size=size, step=step or max(1, size // 2),
                       n_boot=n_boot, seed=seed, confidence=confidence, by=by)
    return table
