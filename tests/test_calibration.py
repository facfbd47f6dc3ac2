"""Reliability tables, calibration errors and the reliability diagram (diplomacy_lab.statements.calibration)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from sklearn.calibration import calibration_curve

import diplomacy_lab
from diplomacy_lab.benchmarks.dev_gold import Domain, held_out_predictions
from diplomacy_lab.statements.calibration import (
    brier_score,
    expected_calibration_error,
    plot_reliability,
    reliability_table,
)


def synthetic(n=20_000, overconfidence=0.0, seed=0):
    """Confidences uniform on [0, 1]; each is correct with probability confidence - overconfidence."""
    rng = np.random.default_rng(seed)
    confidence = rng.uniform(0, 1, n)
    correct = rng.uniform(0, 1, n) < np.clip(confidence - overconfidence, 0, 1)
    return confidence, correct


@pytest.mark.parametrize("strategy", ["quantile", "uniform"])
def test_a_calibrated_confidence_has_an_ece_near_zero_and_an_overconfident_one_a_large_ece(strategy):
    calibrated = reliability_table(*synthetic(), strategy=strategy)
    assert expected_calibration_error(calibrated) < 0.02
    # the observed share lies in its 95% interval around the mean confidence in (nearly) every bin
    inside = (calibrated["observed_low"] <= calibrated["mean_confidence"]) & (
        calibrated["mean_confidence"] <= calibrated["observed_high"])
    assert inside.sum() >= 9
    over = reliability_table(*synthetic(overconfidence=0.25), strategy=strategy)
    assert expected_calibration_error(over) > 0.15
    assert (over["observed"] <= over["mean_confidence"]).all()


def test_brier_score_is_lower_for_a_calibrated_confidence():
    assert brier_score(*synthetic()) < brier_score(*synthetic(overconfidence=0.25))
    assert brier_score([1.0, 0.0], [True, False]) == 0.0


def test_bins_count_every_prediction_once_and_match_calibration_curve():
    confidence, correct = synthetic(n=1_003, seed=3)
    for strategy in ("quantile", "uniform"):
        table = reliability_table(confidence, correct, bins=7, strategy=strategy)
        assert table["n"].sum() == len(confidence)
        assert table["correct"].sum() == correct.sum()
        assert list(table.columns[:4]) == ["bin", "lower", "upper", "n"]
        assert (table["lower"] <= table["mean_confidence"]).all() and (table["mean_confidence"] <= table["upper"]).all()
        assert ((table["observed_low"] <= table["observed"]) & (table["observed"] <= table["observed_high"])).all()
        observed, mean = calibration_curve(correct, confidence, n_bins=7, strategy=strategy)
        np.testing.assert_allclose(table["observed"], observed)
        np.testing.assert_allclose(table["mean_confidence"], mean)
        np.testing.assert_allclose(table["observed"], table["correct"] / table["n"])


def test_empty_bins_are_left_out_and_ties_do_not_break_quantile_bins():
    table = reliability_table([0.05, 0.05, 0.95], [0, 0, 1], bins=10, strategy="uniform")
    assert table["bin"].tolist() == [1, 10] and table["n"].tolist() == [2, 1]
    tied = reliability_table([0.5] * 10, [1, 0] * 5, bins=4)
    assert tied["n"].sum() == 10 and expected_calibration_error(tied) == pytest.approx(0.0)


@pytest.mark.parametrize(("confidence", "correct", "options", "message"), [
    ([0.1, 0.2], [True], {}, "confidence has 2 values but correct has 1"),
    ([], [], {}, "empty"),
    ([0.1, -0.2], [1, 0], {}, r"confidence must lie in \[0, 1\]"),
    ([0.1, float("nan")], [1, 0], {}, r"confidence must lie in \[0, 1\]"),
    ([0.1, 0.2], ["yes", "no"], {}, "correct must be True/False"),
    ([0.1, 0.2], [1, 2], {}, "correct must be True/False"),
    ([0.1, 0.2], [1, 0], {"strategy": "kmeans"}, "strategy must be one of"),
    ([0.1, 0.2], [1, 0], {"bins": 0}, "bins must be a positive whole number"),
])
def test_bad_input_is_refused_with_a_clear_message(confidence, correct, options, message):
    with pytest.raises(ValueError, match=message):
        reliability_table(confidence, correct, **options)


def test_ece_and_plot_need_a_reliability_table():
    with pytest.raises(ValueError, match="observed"):
        expected_calibration_error(pd.DataFrame({"n": [1], "mean_confidence": [0.5]}))
    empty = reliability_table([0.5], [1]).iloc[0:0]
    with pytest.raises(ValueError, match="empty"):
        plot_reliability(empty)


def test_the_diagram_has_a_diagonal_sized_points_and_intervals():
    confidence, correct = synthetic(n=2_000, overconfidence=0.25)
    table = reliability_table(confidence, correct, bins=8, strategy="uniform")
    fig = plot_reliability(table, source_note="Source: made up.")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    artists = {a.get_gid(): a for a in ax.get_children() if (a.get_gid() or "").startswith("reliability")}
    diagonal = artists["reliability-diagonal"]
    assert diagonal.get_xdata().tolist() == [0, 1] and diagonal.get_ydata().tolist() == [0, 1]
    points = artists["reliability-points"]
    assert isinstance(points, PathCollection) and len(points.get_offsets()) == len(table)
    sizes = points.get_sizes()
    assert sizes.argmax() == table["n"].to_numpy().argmax() and sizes.argmin() == table["n"].to_numpy().argmin()
    intervals = artists["reliability-intervals"]
    assert isinstance(intervals, LineCollection) and len(intervals.get_segments()) == len(table)
    texts = [t.get_text().replace("\n", " ") for t in fig.texts]
    assert texts[0].startswith("Confidence overstates the share correct (ECE ")
    assert "Source: made up." in texts
    assert ax.get_xlim() == (0.0, 1.0) and ax.get_ylim() == (0.0, 1.0)
    png, _ = fig._repr_png_()
    assert png[:4] == b"\x89PNG"


def test_exported_from_the_package_and_the_statements_package():
    from diplomacy_lab import statements

    for name in ("reliability_table", "expected_calibration_error", "brier_score", "plot_reliability"):
        assert getattr(diplomacy_lab, name) is getattr(statements, name)
        assert name in diplomacy_lab.__all__ and name in statements.__all__


def test_held_out_predictions_are_marked_correct_against_their_own_domain_gold():
    gold_a = pd.DataFrame({"doc_id": ["1"], "actor": ["x"], "target": ["t"], "stance": ["support"]})
    gold_b = pd.DataFrame({"doc_id": ["2"], "actor": ["x"], "target": ["t"], "stance": ["oppose"]})
    domains = [Domain("a", None, pd.DataFrame({"doc_id": ["1"]}), gold_a),
               Domain("b", None, pd.DataFrame({"doc_id": ["2"]}), gold_b)]
    predicted = {
        "a": pd.DataFrame({"doc_id": ["1", "1"], "actor": "x", "target": "t", "stance": ["support", "oppose"],
                           "confidence": [0.9, 0.2], "threshold": 0.5, "kept": [True, False]}),
        "b": pd.DataFrame({"doc_id": ["2"], "actor": "x", "target": "t", "stance": ["support"],
                           "confidence": [0.7], "threshold": 0.4, "kept": [True]}),
    }
    out = held_out_predictions(domains, predicted)
    assert out["domain"].tolist() == ["a", "a", "b"]
    assert out["correct"].tolist() == [True, False, False]
    assert out["kept"].tolist() == [True, False, True]
    assert "evidence" not in out.columns


def test_the_lodo_benchmark_reports_calibration_from_saved_predictions(tmp_path, capsys):
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "statements_lodo.py"
    spec = importlib.util.spec_from_file_location("statements_lodo_under_test", script)
    lodo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lodo)
    confidence, correct = synthetic(n=400, overconfidence=0.2, seed=5)
    saved = pd.DataFrame({"domain": np.where(np.arange(400) % 2, "a", "b"), "doc_id": "0007", "actor": "x",
                          "target": "t", "stance": "oppose", "confidence": confidence, "threshold": 0.7,
                          "kept": confidence >= 0.7, "correct": correct})
    saved.to_csv(tmp_path / "predictions.csv", index=False)
    assert lodo.main(["--from-predictions", str(tmp_path / "predictions.csv"), "--bins", "5",
                      "--figure", str(tmp_path / "fig" / "reliability.png")]) == 0
    out = capsys.readouterr().out
    assert "reliability, all held-out candidates" in out and "ECE" in out and "per held-out domain" in out
    assert (tmp_path / "fig" / "reliability.png").stat().st_size > 0
    table = pd.read_csv(tmp_path / "fig" / "reliability.csv")
    assert table["n"].sum() == 400


def test_the_lodo_benchmark_reports_the_ranking_of_real_domains(tmp_path, capsys):
    """From saved predictions of dev-gold domains it prints the threshold-free measures and the top outcomes."""
    import importlib.util
    from pathlib import Path

    from diplomacy_lab.paths import data_dir

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "statements_lodo.py"
    spec = importlib.util.spec_from_file_location("statements_lodo_ranking", script)
    lodo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lodo)
    gold = pd.read_csv(data_dir() / "gold" / "dev" / "cuba_statements.csv", dtype=str, keep_default_na=False).head(4)
    saved = gold[["doc_id", "actor", "target", "stance"]].assign(domain="cuba", confidence=[0.9, 0.8, 0.7, 0.6],
                                                                 threshold=0.5, kept=True, correct=True)
    saved.loc[1, "stance"] = "oppose" if saved.loc[1, "stance"] == "support" else "support"
    saved.to_csv(tmp_path / "predictions.csv", index=False)
    assert lodo.main(["--from-predictions", str(tmp_path / "predictions.csv"), "--bins", "2"]) == 0
    out = capsys.readouterr().out
    assert "average_precision" in out and "the 4 most confident held-out candidates" in out
    assert "correct 3" in out
