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


def test_best_f1_is_the_best_cut_and_stance_accuracy_reads_the_first_ranked_stance():
    pred = _pred([("d", "a", "x", "t", "support", 0.9), ("d", "a", "x", "t", "oppose", 0.2),
                  ("d", "a", "y", "t", "support", 0.8), ("d", "a", "y", "t", "oppose", 0.3),
                  ("d", "b", "x", "t", "oppose", 0.7), ("d", "b", "z", "t", "support", 0.6)])
    row = ranking_scores(pred, GOLD[GOLD["domain"] == "d"], k=(1,)).iloc[0]
    # hits by rank: 1, 1, 2, 2, 3, 3 of 3 gold; F1 = 2 * hits / (rank + 3): the best is rank 5, 6/8
    assert row["best_f1"] == pytest.approx(0.75)
    assert row["stance_accuracy"] == pytest.approx(2 / 3)   # a-y ranks support first; gold says oppose
    assert row["oppose_accuracy"] == pytest.approx(1 / 2)   # of a-y and b-x (oppose only), b-x is right
    only_support = ranking_scores(pred[pred["actor"] == "x"].head(1), GOLD[GOLD["domain"] == "d"], k=(1,))
    assert np.isnan(only_support.iloc[0]["oppose_accuracy"]) and only_support.iloc[0]["stance_accuracy"] == 1.0


def test_top_errors_tell_other_stance_from_no_statement():
    pred = _pred([("d", "a", "y", "t", "support", 0.9), ("d", "b", "z", "t", "oppose", 0.8),
                  ("d", "a", "x", "t", "support", 0.7), ("e", "a", "x", "t", "support", 0.6)])
    out = top_errors(pred, GOLD, k=4)
    assert out["outcome"].tolist() == ["other stance", "no statement", "correct", "no statement"]  # domains kept apart


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="confidence"):
        ranking_scores(GOLD, GOLD)
