"""Keyness (diplomacy_lab.framing.keyness), checked term by term against scipy.stats.chi2_contingency."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from scipy.stats import chi2_contingency

from diplomacy_lab.framing.keyness import CRITICAL_05, keyness, keyness_stats, plot_keyness


@pytest.fixture
def sides() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "side": ["left", "right", "right", None],
            "text": ["invasion invasion aid", "crisis aid", "crisis talks aid", "invasion"],
        }
    )


def scipy_row(a: int, b: int, n1: int, n2: int) -> dict:
    table = [[a, n1 - a], [b, n2 - b]]
    chi2, p, *_ = chi2_contingency(table, correction=False)
    yates, p_yates, *_ = chi2_contingency(table, correction=True)
    g2, p_g2, *_ = chi2_contingency(table, correction=False, lambda_="log-likelihood")
    return {"chi2": chi2, "p_chi2": p, "chi2_yates": yates, "p_chi2_yates": p_yates, "g2": g2, "p_g2": p_g2}


def check_against_scipy(table: pd.DataFrame) -> int:
    n1, n2 = table["count_target"].sum(), table["count_reference"].sum()
    for row in table.itertuples():
        expected = scipy_row(row.count_target, row.count_reference, n1, n2)
        for name, value in expected.items():
            assert getattr(row, name) == pytest.approx(value, rel=1e-9, abs=1e-12), (row.term, name)
    return len(table)


# --- against scipy --------------------------------------------------------------------

def test_every_term_of_the_seed_corpus_matches_scipy(seed):
    target = ["Russian state-media repost", "Commentary site"]
    table = keyness(seed, "outlet", target=target)
    assert check_against_scipy(table) > 700  # every word of the five articles


def test_random_count_tables_match_scipy():
    rng = np.random.default_rng(7)
    n1, n2 = 5_000, 12_000
    a = rng.integers(0, 60, 400)
    b = rng.integers(0, 60, 400)
    a[:5], b[:5] = [0, 1, 0, 3, 59], [0, 0, 1, 7, 141]  # zeros, |O - E| below 0.5, equal rates
    stats = keyness_stats(a, b, n1, n2)
    for i in range(len(a)):
        if a[i] + b[i] == 0:
            continue  # scipy refuses a table with an empty column
        expected = scipy_row(int(a[i]), int(b[i]), n1, n2)
        for name, value in expected.items():
            assert stats.loc[i, name] == pytest.approx(value, rel=1e-9, abs=1e-12), (i, name)
    assert stats.loc[0, ["chi2", "chi2_yates", "g2"]].tolist() == [0.0, 0.0, 0.0]


# --- by hand and properties -----------------------------------------------------------

def test_by_hand(sides):
    table = keyness(sides, "side", target="left", measure="g2")
    assert table["term"].tolist() == ["invasion", "aid", "talks", "crisis"]  # most key first
    assert table.loc[0, ["target", "reference"]].tolist() == ["left", "right"]
    row = table.set_index("term").loc["invasion"]
    # target 3 tokens (invasion 2, aid 1), reference 5; the article with no side is left out
    assert (row["count_target"], row["count_reference"], row["total"]) == (2, 0, 2)
    e = [3 * 2 / 8, 3 * 6 / 8, 5 * 2 / 8, 5 * 6 / 8]
    o = [2, 1, 0, 5]
    assert row["chi2"] == pytest.approx(sum((oi - ei) ** 2 / ei for oi, ei in zip(o, e)))
    assert row["g2"] == pytest.approx(2 * sum(oi * math.log(oi / ei) for oi, ei in zip(o, e) if oi))
    assert row["log_ratio"] == pytest.approx(math.log2((2 / 3) / (0.5 / 5)))  # zero: half a token of the larger group
    assert row["keyness"] == row["g2"]
    crisis = table.set_index("term").loc["crisis"]
    assert crisis["keyness"] == -crisis["g2"] < 0


def test_signs_sorting_and_measures(seed):
    target = "Russian state-media repost"
    for measure in ("chi2", "chi2_yates", "g2", "log_ratio"):
        table = keyness(seed, "outlet", target=target, measure=measure)
        assert table["keyness"].is_monotonic_decreasing
        assert table.attrs["measure"] == measure
        rate_t = table["count_target"] / table["count_target"].sum()
        rate_r = table["count_reference"] / table["count_reference"].sum()
        positive = table["keyness"] > 0
        assert (rate_t[positive] > rate_r[positive]).all()
        assert (rate_t[table["keyness"] < 0] < rate_r[table["keyness"] < 0]).all()
        if measure != "log_ratio":
            np.testing.assert_allclose(table["keyness"].abs(), table[measure])
    ref = keyness(seed, "outlet", target=target)
    assert ref["reference"].iloc[0] == "rest"
    swapped = keyness(seed, "outlet", target=sorted(set(seed["outlet"]) - {target}), reference=target)
    merged = ref.merge(swapped, on="term")
    np.testing.assert_allclose(merged["keyness_x"], -merged["keyness_y"], atol=1e-12)
    np.testing.assert_allclose(merged["log_ratio_x"], -merged["log_ratio_y"], atol=1e-12)


def test_significant_terms_have_small_p(seed):
    table = keyness(seed, "outlet", target="Russian state-media repost", measure="g2")
    assert ((table["g2"] > CRITICAL_05) == (table["p_g2"] < 0.05)).all()


def test_clear_errors(sides):
    with pytest.raises(ValueError, match="measure must be one of"):
        keyness(sides, "side", target="left", measure="pmi")
    with pytest.raises(ValueError, match=r"'centre' \(group 'centre'\) is not a value of 'side'"):
        keyness(sides, "side", target="centre")
    with pytest.raises(ValueError, match="no reference"):
        keyness(sides[sides["side"] == "left"], "side", target="left")
    with pytest.raises(ValueError, match="no 'bias' column"):
        keyness(sides, "bias", target="left")
    with pytest.raises(ValueError, match="both groups need tokens"):
        keyness_stats([0], [0], 0, 10)
    with pytest.raises(ValueError, match="between 0 and the group's token total"):
        keyness_stats([11], [0], 10, 10)


# --- chart ----------------------------------------------------------------------------

def test_plot_keyness(seed):
    table = keyness(seed, "outlet", target="Russian state-media repost", measure="g2")
    fig = plot_keyness(table, n=6, source_note="Source: seed corpus")
    assert isinstance(fig, Figure)
    labels = sorted(t.get_text() for t in fig.axes[0].texts)
    top = table[table["keyness"] > 0].head(6)["term"].tolist()
    bottom = table[table["keyness"] < 0].tail(6)["term"].tolist()
    assert labels == sorted(top + bottom)
    assert "log-likelihood G2" in fig.texts[1].get_text()
    assert fig.texts[0].get_text().startswith("Key terms of Russian state-media repost")
    # another measure from the same table
    fig = plot_keyness(table, n=3, measure="log_ratio")
    assert "log ratio" in fig.axes[0].get_xlabel()
    with pytest.raises(ValueError, match=r"table \(from keyness\) is missing column\(s\) \[.keyness.\]"):
        plot_keyness(table.drop(columns="keyness"))
