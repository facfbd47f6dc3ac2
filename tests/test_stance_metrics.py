"""Tests for diplomacy_lab.benchmarks.stance_metrics: the official benchmark scores, hand-computed, and confusion matrices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from diplomacy_lab.benchmarks.stance_metrics import (
    confusion_table,
    fnc1_max_score,
    fnc1_raw_score,
    fnc1_score,
    plot_confusion_matrix,
    semeval_favg,
    stance_scores,
)

FNC = ["agree", "disagree", "discuss", "unrelated"]


def official_fnc1_score(gold, predicted):
    """The competition's scorer (fnc-1 ``scorer.py``, ``score_submission``), written out as a loop."""
    related = ["agree", "disagree", "discuss"]
    score = 0.0
    for g, t in zip(gold, predicted):
        if g == t:
            score += 0.25
            if g != "unrelated":
                score += 0.50
        if g in related and t in related:
            score += 0.25
    return score


# -- FNC-1 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "gold, predicted, points",
    [
        (["agree"], ["agree"], 1.0),               # exact, related: 0.25 + 0.50 + 0.25
        (["unrelated"], ["unrelated"], 0.25),      # exact, unrelated: 0.25 only
        (["agree"], ["disagree"], 0.25),           # wrong stance, but both related
        (["discuss"], ["unrelated"], 0.0),         # related called unrelated
        (["unrelated"], ["discuss"], 0.0),         # unrelated called related
        (["disagree", "unrelated", "discuss"], ["disagree", "agree", "discuss"], 2.0),
    ],
)
def test_fnc1_raw_score_hand_computed(gold, predicted, points):
    assert fnc1_raw_score(gold, predicted) == points


def test_fnc1_score_is_a_percentage_of_the_maximum():
    gold = ["agree", "unrelated", "unrelated", "discuss"]  # max 1 + 0.25 + 0.25 + 1 = 2.5
    assert fnc1_max_score(gold) == 2.5
    assert fnc1_score(gold, gold) == 100.0
    assert fnc1_score(gold, ["unrelated"] * 4) == pytest.approx(100 * 0.5 / 2.5)
    assert fnc1_score(gold, ["discuss", "unrelated", "agree", "agree"]) == pytest.approx(100 * (0.25 + 0.25 + 0.25) / 2.5)


def test_fnc1_score_matches_the_official_loop_on_random_labels():
    rng = np.random.default_rng(0)
    gold = rng.choice(FNC, size=2000, p=[0.1, 0.05, 0.2, 0.65]).tolist()
    predicted = rng.choice(FNC, size=2000).tolist()
    assert fnc1_raw_score(gold, predicted) == pytest.approx(official_fnc1_score(gold, predicted))
    assert fnc1_max_score(gold) == pytest.approx(official_fnc1_score(gold, gold))


def test_fnc1_score_rejects_foreign_labels_and_length_mismatch():
    with pytest.raises(ValueError, match=r"predicted holds label\(s\) \['FAVOR'\]"):
        fnc1_score(["agree"], ["FAVOR"])
    with pytest.raises(ValueError, match="gold has 2 labels but predicted has 1"):
        fnc1_score(["agree", "agree"], ["agree"])
    with pytest.raises(ValueError, match="no labels"):
        fnc1_score([], [])


# -- SemEval ---------------------------------------------------------------------------------------


def test_semeval_favg_hand_computed():
    gold = ["FAVOR", "FAVOR", "AGAINST", "AGAINST", "AGAINST", "NONE"]
    pred = ["FAVOR", "NONE", "AGAINST", "AGAINST", "FAVOR", "AGAINST"]
    # FAVOR: tp 1, predicted 2, gold 2 -> P 1/2, R 1/2, F 1/2
    # AGAINST: tp 2, predicted 3, gold 3 -> P 2/3, R 2/3, F 2/3
    assert semeval_favg(gold, pred) == pytest.approx(100 * (1 / 2 + 2 / 3) / 2)


def test_semeval_favg_ignores_none_and_counts_an_empty_class_as_zero():
    gold = ["FAVOR", "NONE", "NONE"]
    assert semeval_favg(gold, ["FAVOR", "FAVOR", "NONE"]) == pytest.approx(100 * (2 / 3 + 0) / 2)
    # NONE right or wrong does not matter, except through FAVOR/AGAINST errors
    assert semeval_favg(["NONE", "FAVOR"], ["NONE", "FAVOR"]) == semeval_favg(["AGAINST", "FAVOR"], ["NONE", "FAVOR"])


def test_semeval_favg_pools_targets_instead_of_averaging_them():
    # target A: all FAVOR right; target B: all AGAINST right, one FAVOR wrong
    gold = ["FAVOR", "FAVOR", "AGAINST", "AGAINST", "FAVOR"]
    pred = ["FAVOR", "FAVOR", "AGAINST", "AGAINST", "AGAINST"]
    f_favor = 2 * (1.0 * 2 / 3) / (1.0 + 2 / 3)    # P 2/2, R 2/3
    f_against = 2 * (2 / 3 * 1.0) / (2 / 3 + 1.0)  # P 2/3, R 2/2
    assert semeval_favg(gold, pred) == pytest.approx(100 * (f_favor + f_against) / 2)


# -- stance_scores and confusion tables ------------------------------------------------------------------


def test_stance_scores_row():
    gold = ["for", "for", "against", "observing"]
    pred = ["for", "against", "against", "observing"]
    row = stance_scores(gold, pred, labels=["against", "for", "observing"]).iloc[0]
    assert row["n"] == 4 and row["accuracy"] == 0.75
    assert row["f1_for"] == pytest.approx(2 / 3) and row["f1_against"] == pytest.approx(2 / 3)
    assert row["f1_observing"] == 1.0
    assert row["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    fnc = stance_scores(["agree", "unrelated"], ["agree", "discuss"], official="fnc1").iloc[0]
    assert fnc["fnc1_score"] == pytest.approx(100 * 1 / 1.25)
    with pytest.raises(ValueError, match="official must be None"):
        stance_scores(["a"], ["a"], official="kaggle")


def test_confusion_table_counts_and_shares():
    table = confusion_table(["a", "a", "a", "b"], ["a", "b", "b", "b"], labels=["a", "b"])
    assert table[["gold", "predicted", "n"]].values.tolist() == [["a", "a", 1], ["a", "b", 2], ["b", "a", 0], ["b", "b", 1]]
    assert table["share_of_gold"].tolist() == pytest.approx([1 / 3, 2 / 3, 0.0, 1.0])
    assert table["n"].sum() == 4
    with pytest.raises(ValueError, match=r"label\(s\) \['c'\] are not in labels"):
        confusion_table(["a"], ["c"], labels=["a", "b"])


def test_plot_confusion_matrix_returns_a_titled_figure():
    table = confusion_table(["for", "for", "against", "observing"], ["for", "against", "against", "for"])
    fig = plot_confusion_matrix(table, "Most headlines are read right", "Toy data", "Source: made up.")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["against", "for", "observing"]
    assert len(ax.texts) == 9
    assert "Most headlines are read right" in [t.get_text() for t in fig.texts]
    with pytest.raises(ValueError, match=r"missing column\(s\) \['share_of_gold'\]"):
        plot_confusion_matrix(pd.DataFrame({"gold": [], "predicted": [], "n": []}), "t")


def test_score_interval_is_reproducible_and_brackets_the_score():
    from diplomacy_lab.benchmarks.stance_metrics import score_interval

    rng = np.random.default_rng(1)
    gold = rng.choice(FNC, size=400, p=[0.1, 0.05, 0.2, 0.65]).tolist()
    predicted = [g if rng.random() < 0.8 else "unrelated" for g in gold]
    low, high = score_interval(gold, predicted, fnc1_score, n_boot=200)
    assert low < fnc1_score(gold, predicted) < high
    assert (low, high) == score_interval(gold, predicted, fnc1_score, n_boot=200)
    assert high - low < 15
