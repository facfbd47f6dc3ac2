"""Findings corrected for the extractor's measured errors: stance shares and net stance with intervals
that include the uncertainty of the error rates, and which statements to hand-code next.

**The error model.** A hand-coded sample (a coding sheet scored with
:func:`~diplomacy_lab.statements.evaluation.evaluate_statements`) gives counts ``N[g, p]`` of gold
stance ``g`` against predicted stance ``p``, where ``X`` is "not a support/oppose statement" (gold
``neutral`` or ``none``; predicted ``neutral`` or not found). From them:

- ``a[g, p] = P(predicted p | gold g)`` for g in {support, oppose}: how a true stance is read —
  kept, flipped, or missed (p = X). These are sensitivities, which do not depend on how common a
  stance is (the reason Rogan & Gladen 1978 correct prevalences with them);
- ``phi[p] = P(gold X | predicted p)``: the share of predicted support (oppose) statements that are
  not statements of that actor on that target at all (wrong actor, wrong target, no stance). A
  series has no fixed number of non-statements that could be misread, so these spurious
  predictions are removed as a share of what was predicted.

A series (an actor and target, in a period or overall) with ``s`` support and ``o`` oppose
predictions then holds ``s' = s (1 - phi[S])`` and ``o' = o (1 - phi[O])`` true statements, read as
support with probability ``theta(pi) = (pi a[S,S] + (1 - pi) a[O,S]) / (pi (a[S,S] + a[S,O]) +
(1 - pi) (a[O,S] + a[O,O]))``, where ``pi`` is the true support share. With no spurious or missed
statements this is the Rogan–Gladen estimator ``pi = (p + Sp - 1) / (Se + Sp - 1)``.

**Estimate.** ``share_adj`` solves the two equations above for the true support and oppose counts
at the rates' posterior means (the Rogan–Gladen matrix correction), clipped to [0, 1].

**Intervals.** ``method="bayes"`` (default): the rows of ``a`` get Dirichlet and ``phi`` Beta
posteriors (prior ``prior`` per cell, 1 = uniform); for each of ``draws`` draws the rates are drawn,
the spurious predictions thinned binomially, and ``pi`` drawn from its posterior on a grid
(uniform prior, binomial likelihood of ``s'`` out of ``s' + o'`` with success ``theta(pi)``); the
interval is the central ``confidence`` range of the draws: it includes the sampling uncertainty of
the series *and* of the error rates. ``method="rogan-gladen"``: a parametric bootstrap (rates
from the same posteriors, counts binomial) of the closed-form correction. An estimate at 0 or 1
widens its interval to include it. Net stance is ``2 pi - 1``.

**Assumptions** (say them beside the numbers): the coded sample is a random sample of the same
extractor's output on the same kind of text, at the same unit (document-level evaluation for a
document-level timeline); the rates are the same for every actor, target and period.

>>> import pandas as pd
>>> confusion = pd.DataFrame([[40, 10, 0, 5], [5, 35, 0, 5], [0, 0, 0, 0], [10, 10, 0, 0]],
...     index=pd.Index(["support", "oppose", "neutral", "none"], name="gold"),
...     columns=pd.Index(["support", "oppose", "neutral", "none"], name="predicted"))
>>> table = pd.DataFrame({"actor": ["x"], "target": ["t"], "support": [30], "oppose": [10]})
>>> out = adjust_for_errors(table, confusion, draws=4000)
>>> out[["share_raw", "share_adj", "share_low", "share_high"]].round(2)
   share_raw  share_adj  share_low  share_high
0       0.75       0.94       0.61         1.0
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from diplomacy_lab.checks import require_columns

__all__ = ["ADJUSTED_COLUMNS", "METHODS", "adjust_for_errors", "error_counts", "suggest_coding"]

METHODS = ("bayes", "rogan-gladen")
ADJUSTED_COLUMNS = ["share_raw", "share_adj", "share_low", "share_high", "net_adj", "net_adj_low", "net_adj_high",
                    "support_adj", "oppose_adj"]
_LABELS = ("support", "oppose", "other")
_GRID = np.linspace(0.0, 1.0, 401)


def error_counts(evaluation) -> pd.DataFrame:
    """The 3 x 3 counts ``N[gold, predicted]`` over support, oppose and other (module notes).

    ``evaluation``: the dict of :func:`~diplomacy_lab.statements.evaluation.evaluate_statements`, its
    ``confusion`` table (gold rows x predicted columns), or a table of coded rows with
    ``stance_predicted`` and ``stance_gold`` (a coding sheet read with ``pd.read_csv``, rows coded
    ``none`` kept: they are the spurious predictions). ``N[other, other]`` is 0: it is not used.

    >>> sheet = pd.DataFrame({"stance_predicted": ["support", "support", "oppose"], "stance_gold": ["support", "none", "support"]})
    >>> error_counts(sheet)
    predicted  support  oppose  other
    gold
    support          1       1      0
    oppose           0       0      0
    other            1       0      0
    """
    if isinstance(evaluation, dict):
        if "confusion" not in evaluation:
            raise ValueError("evaluation is a dict without 'confusion': pass the result of evaluate_statements()")
        evaluation = evaluation["confusion"]
    if not isinstance(evaluation, pd.DataFrame):
        raise TypeError(f"evaluation must be evaluate_statements() output, a confusion table or coded rows, "
                         f"got {type(evaluation).__name__}")
    if {"stance_predicted", "stance_gold"} <= set(evaluation.columns):
        coded = evaluation[evaluation["stance_gold"].astype(str).str.strip().ne("") & evaluation["stance_gold"].notna()]
        evaluation = pd.crosstab(coded["stance_gold"].astype(str).str.strip().str.lower(),
                                 coded["stance_predicted"].astype(str).str.strip().str.lower())
    gold_labels = [str(g).strip().lower() for g in evaluation.index]
    pred_labels = [str(p).strip().lower() for p in evaluation.columns]
    if not {"support", "oppose"} & (set(gold_labels) | set(pred_labels)):
        raise ValueError("evaluation holds no support or oppose label: is it a gold x predicted confusion table?")
    values = evaluation.to_numpy()
    if not np.issubdtype(values.dtype, np.number) or (values < 0).any():
        raise ValueError("the confusion table must hold counts (numbers >= 0)")
    n = np.zeros((3, 3), dtype=float)

    def index(label: str) -> int:
        return {"support": 0, "oppose": 1}.get(label, 2)

    for gi, g in enumerate(gold_labels):
        for pi, p in enumerate(pred_labels):
            n[index(g), index(p)] += values[gi, pi]
    n[2, 2] = 0
    out = pd.DataFrame(n.astype("int64"), index=pd.Index(list(_LABELS), name="gold"),
                       columns=pd.Index(list(_LABELS), name="predicted"))
    if out.loc[["support", "oppose"]].to_numpy().sum() == 0:
        raise ValueError("the coded sample holds no true support or oppose statement: the error rates cannot be measured")
    return out


class _Rates:
    """Posterior draws of the error rates."""

    def __init__(self, counts: pd.DataFrame, prior: float, draws: int, rng: np.random.Generator) -> None:
        n = counts.to_numpy(dtype=float)
        self.a_s = rng.dirichlet(n[0] + prior, size=draws)  # gold support -> predicted S, O, missed
        self.a_o = rng.dirichlet(n[1] + prior, size=draws)
        self.phi_s = rng.beta(n[2, 0] + prior, n[0, 0] + n[1, 0] + prior, size=draws)
        self.phi_o = rng.beta(n[2, 1] + prior, n[0, 1] + n[1, 1] + prior, size=draws)
        total = n + prior
        self.point = {"a_s": total[0] / total[0].sum(), "a_o": total[1] / total[1].sum(),
                      "phi_s": (n[2, 0] + prior) / (n[2, 0] + n[0, 0] + n[1, 0] + 2 * prior),
                      "phi_o": (n[2, 1] + prior) / (n[2, 1] + n[0, 1] + n[1, 1] + 2 * prior)}


def _theta(pi, a_s, a_o):
    """P(read as support | a true statement found), for support share(s) ``pi``."""
    num = pi * a_s[..., 0] + (1 - pi) * a_o[..., 0]
    den = pi * (a_s[..., 0] + a_s[..., 1]) + (1 - pi) * (a_o[..., 0] + a_o[..., 1])
    return num / den


def _bayes(s: int, o: int, rates: _Rates, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Draws of the true support share and of the true number of statements of one series."""
    m = len(rates.phi_s)
    s1 = s - rng.binomial(s, rates.phi_s)
    o1 = o - rng.binomial(o, rates.phi_o)
    theta = _theta(_GRID[None, :], rates.a_s[:, None, :], rates.a_o[:, None, :])
    theta = np.clip(theta, 1e-12, 1 - 1e-12)
    loglik = s1[:, None] * np.log(theta) + o1[:, None] * np.log1p(-theta)
    weights = np.exp(loglik - loglik.max(axis=1, keepdims=True))
    cdf = np.cumsum(weights, axis=1)
    cdf /= cdf[:, -1:]
    pick = (cdf < rng.random(m)[:, None]).sum(axis=1)
    pi = _GRID[np.minimum(pick, len(_GRID) - 1)]
    found = pi * (rates.a_s[:, 0] + rates.a_s[:, 1]) + (1 - pi) * (rates.a_o[:, 0] + rates.a_o[:, 1])
    return pi, (s1 + o1) / np.maximum(found, 1e-12)


def _rogan_gladen(s: float, o: float, a_s, a_o, phi_s, phi_o) -> tuple[float, float]:
    """Closed-form correction: (support share, true statements)."""
    s1, o1 = s * (1 - phi_s), o * (1 - phi_o)
    matrix = np.array([[a_s[0], a_o[0]], [a_s[1], a_o[1]]])
    if abs(np.linalg.det(matrix)) < 1e-12:
        return np.nan, np.nan
    true_s, true_o = np.clip(np.linalg.solve(matrix, [s1, o1]), 0, None)
    total = true_s + true_o
    return (true_s / total if total > 0 else np.nan), total


def adjust_for_errors(
    table: pd.DataFrame,
    evaluation,
    *,
    method: str = "bayes",
    draws: int = 2000,
    seed: int = 0,
    confidence: float = 0.95,
    prior: float = 1.0,
) -> pd.DataFrame:
    """A timeline (:func:`~diplomacy_lab.timeline.stances.stance_timeline`) or stance matrix
    (:func:`~diplomacy_lab.statements.matrix.stance_matrix`) with error-adjusted shares beside the raw ones.

    Any table with ``support`` and ``oppose`` counts works; its rows and columns are kept and
    :data:`ADJUSTED_COLUMNS` added: ``share_raw`` (support / (support + oppose)), ``share_adj`` and
    its interval ``share_low``/``share_high``, ``net_adj`` (2 share - 1) with ``net_adj_low``/
    ``net_adj_high``, and ``support_adj``/``oppose_adj``, the estimated true counts (found and
    missed). Rows without support or oppose get NaN. ``evaluation``: see :func:`error_counts`.
    ``attrs["error_counts"]`` holds the counts used, ``attrs["method"]`` etc. the settings.
    """
    require_columns(table, ["support", "oppose"], "table")
    if method not in METHODS:
        raise ValueError(f"method must be one of {list(METHODS)}, got {method!r}")
    if not isinstance(draws, (int, np.integer)) or draws < 100:
        raise ValueError(f"draws must be a whole number >= 100, got {draws!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    if prior <= 0:
        raise ValueError(f"prior must be > 0, got {prior!r}")
    counts = error_counts(evaluation)
    _check_unit(table, evaluation)
    rng = np.random.default_rng(seed)
    rates = _Rates(counts, prior, draws, rng)
    lo_q, hi_q = (1 - confidence) / 2, (1 + confidence) / 2
    rows = []
    for s, o in zip(table["support"].astype(int), table["oppose"].astype(int)):
        if s + o == 0:
            rows.append([np.nan] * len(ADJUSTED_COLUMNS))
            continue
        p = rates.point
        share, n_true = _rogan_gladen(s, o, p["a_s"], p["a_o"], p["phi_s"], p["phi_o"])
        if method == "bayes":
            pi, total = _bayes(s, o, rates, rng)
            low, high = np.quantile(pi, lo_q), np.quantile(pi, hi_q)
            if np.isnan(share):  # the rates cannot be inverted (an extractor no better than chance)
                share, n_true = float(np.median(pi)), float(np.median(total))
        else:
            boot_s = rng.binomial(s + o, s / (s + o), size=draws)
            sims = [_rogan_gladen(bs, s + o - bs, rates.a_s[i], rates.a_o[i], rates.phi_s[i], rates.phi_o[i])[0]
                    for i, bs in enumerate(boot_s)]
            sims = np.array(sims, dtype=float)
            sims = sims[~np.isnan(sims)]
            low, high = (np.quantile(sims, lo_q), np.quantile(sims, hi_q)) if len(sims) else (np.nan, np.nan)
        low, high = min(low, share), max(high, share)  # a point at 0 or 1 stays inside its interval
        rows.append([s / (s + o), share, low, high, 2 * share - 1, 2 * low - 1, 2 * high - 1,
                     share * n_true, (1 - share) * n_true])
    added = pd.DataFrame(rows, columns=ADJUSTED_COLUMNS, index=table.index).astype(float).round(4)
    out = pd.concat([table.drop(columns=[c for c in ADJUSTED_COLUMNS if c in table]), added], axis=1)
    out.attrs.update(table.attrs)
    out.attrs.update(error_counts=counts, method=method, draws=draws, seed=seed, confidence=confidence, prior=prior)
    return out


def _check_unit(table: pd.DataFrame, evaluation) -> None:
    level = None
    if isinstance(evaluation, dict) and "summary" in evaluation and "level" in evaluation["summary"]:
        level = str(evaluation["summary"]["level"].iloc[0])
    unit = table.attrs.get("unit")
    if level and unit and {"document": "document", "sentence": "statement"}.get(level) != unit:
        warnings.warn(f"the error rates were measured at {level} level but the table counts {unit}s: "
                      f"evaluate at the table's unit (evaluate_statements(..., level=...)) for rates that fit",
                      UserWarning, stacklevel=3)


def _width(s: int, o: int, counts: pd.DataFrame, prior: float, draws: int, rng, confidence: float) -> float:
    rates = _Rates(counts, prior, draws, rng)
    pi, _ = _bayes(s, o, rates, rng)
    return float(np.quantile(pi, (1 + confidence) / 2) - np.quantile(pi, (1 - confidence) / 2))


def suggest_coding(
    statements: pd.DataFrame,
    evaluation,
    *,
    where: dict | None = None,
    n: int = 20,
    coded=None,
    simulations: int = 40,
    draws: int = 600,
    seed: int = 0,
    confidence: float = 0.95,
    prior: float = 1.0,
) -> pd.DataFrame:
    """Which statements to hand-code next to shrink the interval of one finding most.

    The finding is the series of ``statements`` selected by ``where`` (e.g. ``{"actor": "meloni",
    "target": "troops_to_ukraine"}``; all statements when None), counted in documents. The rule:
    for each kind of statement one can pick for coding — predicted support, predicted oppose — it
    simulates coding ``n`` more of them (their gold labels drawn from the current posterior, added
    to the error counts) and recomputes the Bayesian interval of the finding's support share
    (:func:`adjust_for_errors`); the kind with the narrowest expected interval wins. It returns up to
    ``n`` statements of that kind from the finding's own series, not yet ``coded`` (a table or list
    of ``statement_id`` / ``doc_id:sent_id:actor:target`` ids), one per document first and the least
    confident first (the classifier's own doubt), then by date.

    ``attrs["options"]``: each kind with the expected interval width after coding, beside the width
    now; ``attrs["floor"]``: the width if the error rates were known exactly (what coding can reach at
    best; the rest is the series' own sampling); ``attrs["reason"]``: the choice in a sentence. The
    expected widths are Monte Carlo estimates (``simulations`` x ``draws``): differences of a few
    hundredths are noise. Missed statements (recall) are not in the
    rule: coders add them on the coding sheet while reading the documents.
    """
    require_columns(statements, ["doc_id", "actor", "target", "stance"], "statements")
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a whole number >= 1, got {n!r}")
    counts = error_counts(evaluation)
    series = statements
    for column, value in (where or {}).items():
        require_columns(statements, [column], "statements")
        series = series[series[column] == value]
    polar = series[series["stance"].isin(["support", "oppose"])]
    if polar.empty:
        raise ValueError(f"no support or oppose statement matches {where!r}")
    docs = polar.groupby(["doc_id", "stance"]).size().unstack(fill_value=0).reindex(columns=["support", "oppose"],
                                                                                    fill_value=0)
    s, o = int((docs["support"] > 0).sum()), int((docs["oppose"] > 0).sum())
    rng = np.random.default_rng(seed)
    now = _width(s, o, counts, prior, draws, rng, confidence)
    column_probs = {}
    options = []
    for p, name in ((0, "support"), (1, "oppose")):
        col = counts.iloc[:, p].to_numpy(dtype=float)
        widths = []
        for _ in range(simulations):
            probs = rng.dirichlet(col + prior)
            labels = rng.multinomial(n, probs)
            trial = counts.copy()
            trial.iloc[:, p] += labels
            widths.append(_width(s, o, trial, prior, draws, rng, confidence))
        column_probs[name] = col
        options.append({"code": f"predicted {name}", "available": int((polar["stance"] == name).sum()),
                        "width_now": round(now, 4), "width_after": round(float(np.mean(widths)), 4)})
    options = pd.DataFrame(options)
    usable = options[options["available"] > 0]
    best = (usable if len(usable) else options).sort_values("width_after", kind="stable").iloc[0]
    stance = best["code"].split()[-1]
    pick = polar[polar["stance"] == stance].copy()
    ids = pick["doc_id"].astype(str) + ":" + pick.get("sent_id", pd.Series("", index=pick.index)).astype(str) + ":" \
        + pick["actor"].astype(str) + ":" + pick["target"].astype(str)
    pick.insert(0, "statement_id", ids)
    if coded is not None:
        done = set(coded["statement_id"] if isinstance(coded, pd.DataFrame) else coded)
        pick = pick[~pick["statement_id"].isin(done)]
    pick["_first"] = pick.groupby("doc_id").cumcount() > 0
    order = ["_first"] + (["confidence"] if "confidence" in pick else []) + (["date"] if "date" in pick else [])
    pick = pick.sort_values(order, kind="stable").drop(columns="_first").head(n).reset_index(drop=True)
    floor = _width(s, o, counts * 1000, prior, draws, rng, confidence)  # error rates known (almost) exactly
    pick.attrs["options"] = options
    pick.attrs["floor"] = round(floor, 4)
    others = [f"{r.code} {r.width_after:.2f}" + ("" if r.available else ", but the series has none")
              for r in options.itertuples() if r.code != best["code"]]
    pick.attrs["reason"] = (f"Coding {n} more predicted-{stance} statements is expected to narrow the "
                            f"{int(confidence * 100)}% interval of the support share from {now:.2f} to "
                            f"{best['width_after']:.2f} wide (the other choice: {'; '.join(others)}). With the error "
                            f"rates known exactly it would still be {floor:.2f} wide: beyond that, only more documents "
                            f"({s + o} support/oppose documents now) narrow it.")
    return pick
