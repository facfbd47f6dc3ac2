"""Scoring predicted statements against gold: precision, recall and F1, per target and per stance,
the confusion matrix and the errors, at document or sentence level.

>>> import pandas as pd
>>> pred = pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "sent_id": [0, 3, 1],
...     "actor": ["meloni", "meloni", "macron"], "target": ["troops"] * 3,
...     "stance": ["oppose", "oppose", "support"], "evidence": ["A.", "B.", "C."]})
>>> gold = pd.DataFrame({"doc_id": ["d1", "d2"], "actor": ["meloni", "macron"],
...     "target": ["troops", "troops"], "stance": ["oppose", "oppose"]})
>>> evaluate_statements(pred, gold)["summary"][["tp", "fp", "fn", "precision", "recall"]]
   tp  fp  fn  precision  recall
0   1   1   1        0.5     0.5
"""

from __future__ import annotations

from itertools import zip_longest

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from diplomacy_lab.checks import require_columns, rows_text

__all__ = ["NOT_A_STATEMENT", "STANCES", "evaluate_statements"]

STANCES = ("support", "oppose", "neutral")
NOT_A_STATEMENT = "none"
_KEY = ["doc_id", "actor", "target"]


def _prepare(frame: pd.DataFrame, name: str, keys: list[str], documents, stances) -> pd.DataFrame:
    require_columns(frame, keys + ["stance"], name)
    missing = frame["stance"].isna()
    if missing.any():
        raise ValueError(f"{name} has no stance in row(s) {rows_text(frame.index[missing])}")
    out = pd.DataFrame({k: frame[k].astype(str).str.strip().to_numpy() for k in keys if k != "sent_id"})
    if "sent_id" in keys:
        sent = pd.array(frame["sent_id"], dtype="Int64")
        if pd.isna(sent).any():
            rows = rows_text(frame.index[pd.isna(sent)])
            raise ValueError(f"{name} has no sent_id in row(s) {rows}; level='sentence' needs it")
        out["sent_id"] = sent
    out["stance"] = frame["stance"].astype(str).str.strip().str.lower().to_numpy()
    out["evidence"] = frame["evidence"].to_numpy() if "evidence" in frame else pd.NA
    if "sent_id" in frame and "sent_id" not in keys:  # evidence of the first sentence
        out["_order"] = pd.array(frame["sent_id"], dtype="Int64")
        out = out.sort_values(["doc_id", "_order"], kind="stable", na_position="last").drop(columns="_order")
    out = out[out["stance"] != NOT_A_STATEMENT]
    if documents is not None:
        out = out[out["doc_id"].isin({str(d) for d in documents})]
    if stances is not None:
        out = out[out["stance"].isin({str(s).strip().lower() for s in stances})]
    out = out.sort_values(keys, kind="stable").drop_duplicates(keys + ["stance"])
    return out[keys + ["stance", "evidence"]].reset_index(drop=True)


def _prf(y_true: np.ndarray, y_pred: np.ndarray) -> dict:
    tp = int((y_true & y_pred).sum())
    fp = int((~y_true & y_pred).sum())
    fn = int((y_true & ~y_pred).sum())
    if len(y_true) == 0:
        precision = recall = f1 = 0.0
    else:
        precision, recall, f1, _ = precision_recall_fscore_support(
            y_true, y_pred, average="binary", pos_label=True, zero_division=0.0
        )
    return {"precision": float(precision), "recall": float(recall), "f1": float(f1), "tp": tp, "fp": fp, "fn": fn}


def _scores_by(table: pd.DataFrame, column: str) -> pd.DataFrame:
    rows = []
    for value, part in table.groupby(column, sort=True):
        scores = _prf(part["in_gold"].to_numpy(), part["in_pred"].to_numpy())
        rows.append({column: value, **{k: scores[k] for k in ("precision", "recall", "f1")},
                     "support": scores["tp"] + scores["fn"], **{k: scores[k] for k in ("tp", "fp", "fn")}})
    columns = [column, "precision", "recall", "f1", "support", "tp", "fp", "fn"]
    return pd.DataFrame(rows, columns=columns).astype({"support": "int64", "tp": "int64", "fp": "int64", "fn": "int64"})


def evaluate_statements(
    predicted: pd.DataFrame, gold: pd.DataFrame, level: str = "document", documents=None, stances=None
) -> dict[str, pd.DataFrame]:
    """Score predicted statements against gold; return a dict of DataFrames.

    A statement is (doc_id, actor, target, stance) at ``level="document"`` (sentence-level
    input is collapsed first, see ``statements.statements_by_document``) or (doc_id, sent_id, actor, target,
    stance) at ``level="sentence"``. A predicted statement is correct when it is in the gold;
    a wrong stance is one false positive and one false negative. Keys are compared as
    stripped strings, stances in lower case; rows with stance ``none`` are ignored.
    ``documents`` restricts both sides to those doc_ids (e.g. the coded ones), ``stances``
    to those stances: the seed gold codes only support and oppose, so score it with
    ``stances=("support", "oppose")`` unless predicted neutral rows should count as errors.

    - ``summary``: one row, level, tp, fp, fn, precision, recall, f1 (micro).
    - ``by_target`` / ``by_stance``: precision, recall, f1, support (gold count), tp, fp, fn.
    - ``confusion``: gold stance (rows, incl. ``none``) x predicted stance (columns, incl.
      ``none``) over the union of keys. On a key with several stances, equal stances pair
      first, the rest pair in sorted order, leftovers pair with ``none``.
    - ``errors``: each false positive and false negative with ``predicted`` and ``gold``
      stance on its key (``|``-joined, ``none`` if absent) and the evidence of its side.
    """
    if level not in ("document", "sentence"):
        raise ValueError(f"level must be 'document' or 'sentence', got {level!r}")
    keys = _KEY[:1] + (["sent_id"] if level == "sentence" else []) + _KEY[1:]
    pred = _prepare(predicted, "predicted", keys, documents, stances)
    true = _prepare(gold, "gold", keys, documents, stances)
    cols = keys + ["stance"]
    table = pd.merge(
        pred.assign(in_pred=True), true.assign(in_gold=True), on=cols, how="outer", suffixes=("_pred", "_gold")
    )
    table["in_pred"] = table["in_pred"].astype("boolean").fillna(False).astype(bool)
    table["in_gold"] = table["in_gold"].astype("boolean").fillna(False).astype(bool)
    table = table.sort_values(cols, kind="stable").reset_index(drop=True)

    overall = _prf(table["in_gold"].to_numpy(), table["in_pred"].to_numpy())
    summary = pd.DataFrame([{"level": level, **{k: overall[k] for k in ("tp", "fp", "fn")},
                             **{k: overall[k] for k in ("precision", "recall", "f1")}}])

    # confusion over keys
    pred_sets = pred.groupby(keys, sort=False)["stance"].agg(set)
    gold_sets = true.groupby(keys, sort=False)["stance"].agg(set)
    y_gold, y_pred = [], []
    for key in sorted(set(pred_sets.index) | set(gold_sets.index)):
        g = gold_sets.get(key, set())
        p = pred_sets.get(key, set())
        for s in sorted(g & p):
            y_gold.append(s)
            y_pred.append(s)
        for gs, ps in zip_longest(sorted(g - p), sorted(p - g), fillvalue=NOT_A_STATEMENT):
            y_gold.append(gs)
            y_pred.append(ps)
    others = sorted((set(y_gold) | set(y_pred)) - set(STANCES) - {NOT_A_STATEMENT})
    labels = [*STANCES, *others, NOT_A_STATEMENT]
    matrix = confusion_matrix(y_gold, y_pred, labels=labels) if y_gold else np.zeros((len(labels),) * 2, dtype=int)
    confusion = pd.DataFrame(
        matrix.astype("int64"), index=pd.Index(labels, name="gold"), columns=pd.Index(labels, name="predicted")
    )

    # errors
    def joined(sets: pd.Series, key) -> str:
        found = sets.get(key)
        return "|".join(sorted(found)) if found else NOT_A_STATEMENT

    rows = []
    for row in table.itertuples(index=False):
        if row.in_pred == row.in_gold:
            continue
        key = tuple(getattr(row, k) for k in keys)
        key = key if len(key) > 1 else key[0]
        fp = row.in_pred
        rows.append({
            "error": "false_positive" if fp else "false_negative",
            **{k: getattr(row, k) for k in keys},
            "predicted": row.stance if fp else joined(pred_sets, key),
            "gold": joined(gold_sets, key) if fp else row.stance,
            "evidence": row.evidence_pred if fp else row.evidence_gold,
        })
    errors = pd.DataFrame(rows, columns=["error", *keys, "predicted", "gold", "evidence"])

    return {
        "summary": summary,
        "by_target": _scores_by(table, "target"),
        "by_stance": _scores_by(table, "stance"),
        "confusion": confusion,
        "errors": errors,
    }
