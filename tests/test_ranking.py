"""Threshold-free measures of a held-out ranking (statements/ranking.py), on hand-computed cases."""
import numpy as np
import pandas as pd
import pytest

from diplomacy_lab.statements.ranking import ranking_scores, top_errors

GOLD = pd.DataFrame({"domain": ["d", "d", "d", "e"], "doc_id": ["a", "a", "b", "c"], "actor": ["x", "y", "x", "x"],
                     "target": "t", "stance": ["support", "oppose", "oppose", "support"]})


def _pred(rows):
    return pd.DataFrame(rows, columns=["domain", "doc_id", "actor", "target", "stance", "confidence"])


def test_average_precision_counts_unranked_gold_as_zero_and_means_average_domains():
    pred = _pred([("d", "a", "x", "t", "support", 0.9), ("d", "b", "x", "t", "support", 0.8),
                  ("e", "c", "x", "t", "support", 0.2), ("e", "c", "y", "t", "support", 0.7)])
    table = ranking_scores(pred, GOLD, k=(1, 5)).set_index("domain")
    assert table.loc["d", "average_precision"] == pytest.approx(1 / 3)   # 1 of 3 gold found, at rank 1
    assert table.loc["e", "average_precision"] == pytest.approx(0.5)     # found at rank 2
    assert table.loc["d", "precision_at_1"] == 1.0 and np.isnan(table.loc["d", "precision_at_5"])
    assert table.loc["d", "gold_in_candidates"] == pytest.approx(1 / 3)
    assert table.loc["mean", "average_precision"] == pytest.approx((1 / 3 + 0.5) / 2)
    assert table.loc["mean", "gold"] == 4 and table.loc["mean", "candidates"] == 4


def test_top_errors_tell_other_stance_from_no_statement():
    pred = _pred([("d", "a", "y", "t", "support", 0.9), ("d", "b", "z", "t", "oppose", 0.8),
                  ("d", "a", "x", "t", "support", 0.7), ("e", "a", "x", "t", "support", 0.6)])
    out = top_errors(pred, GOLD, k=4)
    assert out["outcome"].tolist() == ["other stance", "no statement", "correct", "no statement"]  # domains kept apart


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="confidence"):
        ranking_scores(GOLD, GOLD)
