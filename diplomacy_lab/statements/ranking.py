"""How good is a scorer's ranking, whatever threshold is chosen? Threshold-free measures of held-out candidates.

A learned scorer's statements are a cut of a ranking; where the cut lands moves from domain to
domain, the ranking less. These functions read the held-out candidates of a leave-one-domain-out run
(:func:`~diplomacy_lab.benchmarks.dev_gold.held_out_predictions`: ``domain, doc_id, actor, target,
stance, confidence, correct``) beside the gold statements:

- :func:`ranking_scores`: per domain, average precision over the gold statements, precision of the
  best *k* candidates, the best F1 any threshold reaches, the share of gold statements that are
  candidates at all, and how often the stance ranked first for a gold actor and target is right;
- :func:`top_errors`: what the most confident candidates are: correct, the other stance of a gold
  statement, or no gold statement for that actor and target in that document.

>>> import pandas as pd
>>> gold = pd.DataFrame({"domain": "d", "doc_id": ["a", "a", "b"], "actor": ["x", "y", "x"], "target": "t",
...                      "stance": ["support", "oppose", "oppose"]})
>>> pred = pd.DataFrame({"domain": "d", "doc_id": ["a", "a", "b", "b"], "actor": ["x", "y", "x", "z"],
...                      "target": "t", "stance": ["support", "support", "oppose", "support"],
...                      "confidence": [0.9, 0.8, 0.7, 0.1]})
>>> ranking_scores(pred, gold, k=(2,)).round(3).to_dict("records")[0]
{'domain': 'd', 'gold': 3, 'candidates': 4, 'average_precision': 0.556, 'precision_at_2': 0.5, 'best_f1': 0.667, \
'gold_in_candidates': 0.667, 'stance_accuracy': 0.667, 'oppose_accuracy': 0.5}
>>> top_errors(pred, gold, k=3)["outcome"].tolist()
['correct', 'other stance', 'correct']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diplomacy_lab.checks import require_columns

__all__ = ["OUTCOMES", "ranking_scores", "top_errors"]

_KEY = ["doc_id", "actor", "target"]
OUTCOMES = ("correct", "other stance", "no statement")


def _keys(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    return pd.Series(list(zip(*(frame[c].astype(str) for c in columns))), index=frame.index)


def _check(pred: pd.DataFrame, gold: pd.DataFrame) -> None:
    require_columns(pred, ["domain", *_KEY, "stance", "confidence"], "held-out candidates")
    require_columns(gold, ["domain", *_KEY, "stance"], "gold statements")


def ranking_scores(pred: pd.DataFrame, gold: pd.DataFrame, k: tuple[int, ...] = (20, 50)) -> pd.DataFrame:
    """Per domain: ``gold`` statements, ``candidates``, ``average_precision`` (the mean, over the gold
    statements, of the precision at the rank where each is found; a gold statement never ranked
    counts 0), ``precision_at_K`` for each *k* (NaN when a domain has fewer candidates),
    ``best_f1`` (the F1 of the best cut of the ranking: no threshold chosen in advance does better),
    ``gold_in_candidates`` (the recall of the whole ranking), and, over the gold actor-target pairs
    of a document that are candidates, ``stance_accuracy`` (the stance ranked higher is a gold
    one) and ``oppose_accuracy`` (the same over pairs whose gold stance is oppose only; NaN
    without any). A row ``mean`` averages the domains' measures (its ``gold`` and ``candidates``
    are totals).
    """
    _check(pred, gold)
    gold = gold.drop_duplicates(["domain", *_KEY, "stance"])
    rows = []
    for domain, part in pred.groupby("domain", sort=True):
        truth = set(_keys(gold[gold["domain"] == domain], [*_KEY, "stance"]))
        ranked = part.sort_values("confidence", ascending=False, kind="stable")
        hit = _keys(ranked, [*_KEY, "stance"]).isin(truth).to_numpy()
        hits = np.cumsum(hit)
        precision = hits / np.arange(1, len(hit) + 1)
        row = {"domain": domain, "gold": len(truth), "candidates": len(ranked),
               "average_precision": float((precision * hit).sum() / len(truth)) if truth else np.nan}
        for n in k:
            row[f"precision_at_{n}"] = float(precision[n - 1]) if len(precision) >= n else np.nan
        row["best_f1"] = float((2 * hits / (np.arange(1, len(hit) + 1) + len(truth))).max()) if len(hit) else 0.0
        row["gold_in_candidates"] = float(hits[-1] / len(truth)) if truth and len(hits) else np.nan
        row.update(_stance_accuracy(ranked, gold[gold["domain"] == domain]))
        rows.append(row)
    table = pd.DataFrame(rows)
    if len(table) > 1:
        mean = table.drop(columns=["domain", "gold", "candidates"]).mean(numeric_only=True).to_dict()
        totals = {"gold": int(table["gold"].sum()), "candidates": int(table["candidates"].sum())}
        table = pd.concat([table, pd.DataFrame([{"domain": "mean", **totals, **mean}])], ignore_index=True)
    return table


def _stance_accuracy(ranked: pd.DataFrame, gold: pd.DataFrame) -> dict[str, float]:
    """Of the gold actor-target pairs among the candidates: is the first-ranked stance a gold one?"""
    stances = gold.groupby(_keys(gold, _KEY))["stance"].agg(frozenset)
    first = ranked.drop_duplicates(_KEY)  # ranked: the most confident stance of each pair comes first
    first = first[_keys(first, _KEY).isin(stances.index)]
    if first.empty:
        return {"stance_accuracy": np.nan, "oppose_accuracy": np.nan}
    wanted = _keys(first, _KEY).map(stances)
    right = np.array([s in w for s, w in zip(first["stance"], wanted)])
    oppose = np.array([w == frozenset({"oppose"}) for w in wanted])
    return {"stance_accuracy": float(right.mean()),
            "oppose_accuracy": float(right[oppose].mean()) if oppose.any() else np.nan}


def top_errors(pred: pd.DataFrame, gold: pd.DataFrame, k: int = 250) -> pd.DataFrame:
    """The ``k`` most confident candidates, pooled over domains, each with its ``outcome``: ``correct``,
    ``other stance`` (the gold has this actor and target in this document with the other stance
    only) or ``no statement`` (the gold has no statement of this actor on this target there)."""
    _check(pred, gold)
    top = pred.sort_values("confidence", ascending=False, kind="stable").head(k).copy()
    full = set(_keys(gold, ["domain", *_KEY, "stance"]))
    pair = set(_keys(gold, ["domain", *_KEY]))
    exact = _keys(top, ["domain", *_KEY, "stance"]).isin(full)
    same_pair = _keys(top, ["domain", *_KEY]).isin(pair)
    top["outcome"] = np.where(exact, OUTCOMES[0], np.where(same_pair, OUTCOMES[1], OUTCOMES[2]))
    return top.reset_index(drop=True)
