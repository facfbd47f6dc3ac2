"""Error-adjusted findings: the correction recovers a known truth from statements corrupted at known rates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from diplomacy_lab.statements.evaluation import evaluate_statements
from diplomacy_lab.statements.matrix import stance_matrix
from diplomacy_lab.timeline.adjust import ADJUSTED_COLUMNS, adjust_for_errors, error_counts, suggest_coding
from diplomacy_lab.timeline.stances import stance_timeline
from diplomacy_lab.uncertainty import wilson_interval

# The extractor of the simulation: how it reads a true support (kept, flipped, missed) and a true oppose,
# and how many spurious predictions (wrong actor, no stance) it adds per prediction of each stance.
READ_SUPPORT = [0.80, 0.10, 0.10]
READ_OPPOSE = [0.20, 0.65, 0.15]
SPURIOUS = {0: 0.25, 1: 0.43}  # per true prediction: 20% of predicted support, 30% of predicted oppose are spurious
LABELS = ["support", "oppose", "none"]


def corrupt(rng: np.random.Generator, n_true: int, share: float) -> np.ndarray:
    """Gold x predicted counts of n_true true statements with the given support share, read by the extractor."""
    truth = rng.random(n_true) < share
    predicted = np.where(truth, rng.choice(3, n_true, p=READ_SUPPORT), rng.choice(3, n_true, p=READ_OPPOSE))
    counts = np.zeros((3, 3), dtype=int)
    np.add.at(counts, (np.where(truth, 0, 1), predicted), 1)
    for p, rate in SPURIOUS.items():
        counts[2, p] = rng.poisson(rate * (predicted == p).sum())
    return counts


def confusion(counts: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(counts, index=pd.Index(LABELS, name="gold"), columns=pd.Index(LABELS, name="predicted"))


def simulate(method: str, seeds: int = 100) -> tuple[int, int]:
    covered = raw_covered = 0
    for seed in range(seeds):
        rng = np.random.default_rng(1000 + seed)
        truth = rng.uniform(0.1, 0.9)  # the true support share of the series
        series = corrupt(rng, 120, truth)  # what the extractor reports for it
        coded = corrupt(rng, 250, 0.5)  # an independent hand-coded sample, with another support share
        s, o = int(series[:, 0].sum()), int(series[:, 1].sum())
        row = adjust_for_errors(pd.DataFrame({"support": [s], "oppose": [o]}), confusion(coded), method=method,
                                seed=seed).iloc[0]
        covered += row["share_low"] <= truth <= row["share_high"]
        low, high = wilson_interval(s, s + o)
        raw_covered += low <= truth <= high
    return covered, raw_covered


def test_adjusted_share_recovers_the_truth_in_at_least_93_of_100_seeds():
    covered, raw_covered = simulate("bayes")
    assert covered >= 93, covered
    # the raw share with its Wilson interval is biased by the same errors: it misses the truth most of the time
    assert raw_covered <= 60, raw_covered


def test_rogan_gladen_is_the_textbook_formula_without_spurious_or_missed_statements():
    se, sp = 0.9, 0.8  # sensitivity for support, specificity (oppose read as oppose)
    counts = confusion(np.array([[9000, 1000, 0], [2000, 8000, 0], [0, 0, 0]]))
    s, o = 650, 350
    row = adjust_for_errors(pd.DataFrame({"support": [s], "oppose": [o]}), counts, method="rogan-gladen",
                            prior=1e-6).iloc[0]
    assert row["share_adj"] == pytest.approx((s / (s + o) + sp - 1) / (se + sp - 1), abs=1e-3)
    assert row["share_low"] < row["share_adj"] < row["share_high"]
    bayes = adjust_for_errors(pd.DataFrame({"support": [s], "oppose": [o]}), counts, prior=1e-6).iloc[0]
    assert bayes["share_adj"] == pytest.approx(row["share_adj"], abs=0.02)


def test_a_perfect_extractor_changes_nothing_but_widens_with_a_small_sample():
    perfect = confusion(np.array([[50, 0, 0], [0, 50, 0], [0, 0, 0]]))
    row = adjust_for_errors(pd.DataFrame({"support": [30], "oppose": [10]}), perfect).iloc[0]
    assert row["share_raw"] == 0.75
    assert abs(row["share_adj"] - 0.75) < 0.05
    low, high = wilson_interval(30, 40)
    assert row["share_low"] <= low + 0.02 and row["share_high"] >= high - 0.02
    assert row["net_adj"] == pytest.approx(2 * row["share_adj"] - 1, abs=1e-3)


def test_error_counts_from_an_evaluation_and_from_coded_rows(seed_study, seed_gold):
    evaluation = evaluate_statements(seed_study.statements, seed_gold, stances=("support", "oppose"))
    counts = error_counts(evaluation)
    assert list(counts.index) == ["support", "oppose", "other"]
    assert counts.loc["support", "support"] + counts.loc["oppose", "oppose"] == evaluation["summary"]["tp"].iloc[0]
    assert counts.loc["other", ["support", "oppose"]].sum() + counts.loc["support", "oppose"] \
        + counts.loc["oppose", "support"] == evaluation["summary"]["fp"].iloc[0]
    sheet = pd.DataFrame({"stance_predicted": ["support", "oppose", "oppose", "support"],
                          "stance_gold": ["support", "none", "support", ""]})
    assert error_counts(sheet).loc["other", "oppose"] == 1 and error_counts(sheet).to_numpy().sum() == 3
    with pytest.raises(ValueError, match="no support or oppose"):
        error_counts(pd.DataFrame([[1]], index=["x"], columns=["y"]))
    with pytest.raises(TypeError, match="must be evaluate_statements"):
        error_counts([1, 2])


def test_adjusts_a_timeline_and_a_stance_matrix(seed_study, seed_gold):
    evaluation = evaluate_statements(seed_study.statements, seed_gold, stances=("support", "oppose"))
    timeline = stance_timeline(seed_study.statements)
    adjusted = adjust_for_errors(timeline, evaluation)
    assert len(adjusted) == len(timeline) and set(ADJUSTED_COLUMNS) <= set(adjusted.columns)
    assert adjusted[["support", "oppose", "net", "period"]].equals(timeline[["support", "oppose", "net", "period"]])
    polar = adjusted[adjusted["n"] > 0]
    assert ((polar["share_low"] <= polar["share_adj"]) & (polar["share_adj"] <= polar["share_high"])).all()
    matrix = adjust_for_errors(stance_matrix(seed_study.documents), evaluation, method="rogan-gladen")
    assert matrix["share_adj"].between(0, 1).all()
    with pytest.warns(UserWarning, match="measured at document level"):
        adjust_for_errors(stance_timeline(seed_study.statements, unit="statement"), evaluation)
    with pytest.raises(ValueError, match="method must be"):
        adjust_for_errors(timeline, evaluation, method="magic")
    with pytest.raises(ValueError, match="missing column"):
        adjust_for_errors(timeline.drop(columns="oppose"), evaluation)


def test_suggest_coding_picks_the_statements_that_narrow_the_interval_most(seed_study):
    st = seed_study.statements
    noisy = confusion(np.array([[20, 2, 3], [8, 10, 2], [1, 9, 0]]))  # predicted oppose is the unreliable side
    picked = suggest_coding(st, noisy, where={"actor": "meloni", "target": "troops_to_ukraine"}, n=5)
    options = picked.attrs["options"].set_index("code")
    assert (options["width_after"] <= options["width_now"] + 0.02).all()
    chosen = options[options["available"] > 0]["width_after"].idxmin()  # Meloni on troops: oppose only
    assert picked["stance"].eq(chosen.split()[-1]).all() and len(picked) <= 5
    assert picked["actor"].eq("meloni").all() and picked["target"].eq("troops_to_ukraine").all()
    assert picked["doc_id"].iloc[: picked["doc_id"].nunique()].is_unique  # one per document first
    assert "narrow" in picked.attrs["reason"]
    again = suggest_coding(st, noisy, where={"actor": "meloni", "target": "troops_to_ukraine"}, n=5,
                           coded=picked["statement_id"])
    assert not set(again["statement_id"]) & set(picked["statement_id"])
    with pytest.raises(ValueError, match="no support or oppose statement"):
        suggest_coding(st, noisy, where={"actor": "nobody"})
