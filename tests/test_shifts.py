"""Stance timelines and shift detection: hand-made tables with known answers, the seed corpus, bad input."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from scipy.stats import fisher_exact

from diplomacy_lab import load_corpus
from diplomacy_lab.charts.style import STANCE_COLORS
from diplomacy_lab.codebook.schema import load_codebook
from diplomacy_lab.paths import data_dir, seed_corpus_dir
from diplomacy_lab.statements.extract import extract_statements, statements_by_document
from diplomacy_lab.timeline.plots import plot_stance_timeline
from diplomacy_lab.timeline.shifts import detect_shifts, holm, shift_evidence
from diplomacy_lab.timeline.stances import period_name, stance_events, stance_timeline


def frame(rows: list[tuple]) -> pd.DataFrame:
    """Statements from (doc_id, actor, target, stance, date) tuples, with outlet and evidence."""
    out = pd.DataFrame(rows, columns=["doc_id", "actor", "target", "stance", "date"])
    return out.assign(
        date=pd.to_datetime(out["date"]),
        outlet="Outlet " + out["doc_id"].str[:1].str.upper(),
        evidence="Sentence of " + out["doc_id"] + ".",
        actor_country=out["actor"].map({"meloni": "Italy", "tajani": "Italy", "macron": "France"}),
    )


@pytest.fixture
def clear_shift() -> pd.DataFrame:
    """Meloni opposes talks in 5 documents (Jan-Mar 2025), supports them in 5 (Jun-Aug 2025)."""
    before = [(f"a{i}", "meloni", "talks", "oppose", d)
              for i, d in enumerate(["2025-01-10", "2025-01-20", "2025-02-05", "2025-02-25", "2025-03-15"])]
    after = [(f"b{i}", "meloni", "talks", "support", d)
             for i, d in enumerate(["2025-06-03", "2025-06-20", "2025-07-08", "2025-07-30", "2025-08-12"])]
    return frame(before + after)


# --- a clear shift is found, at the right date, with its evidence -------------------------------

def test_clear_shift_found_with_right_date_and_counts(clear_shift):
    row = detect_shifts(clear_shift).iloc[0]
    assert row["status"] == "shift"
    assert (row["stance_before"], row["stance_after"]) == ("oppose", "support")
    assert row["period_before"] == "2025-03" and row["period_after"] == "2025-06"
    assert row["date"] == pd.Timestamp("2025-06-01")
    assert (row["support_before"], row["oppose_before"], row["documents_before"]) == (0, 5, 5)
    assert (row["support_after"], row["oppose_after"], row["documents_after"]) == (5, 0, 5)
    assert row["p_value"] == pytest.approx(fisher_exact([[0, 5], [5, 0]]).pvalue)
    assert row["fragility"] == 1  # one misclassified document: [[1, 4], [5, 0]] gives 3 x p = 0.14
    assert row["finding"].startswith("meloni moved from opposing to supporting talks in June 2025")
    assert row["finding"].endswith("; 1 misclassified document would undo it.")
    assert row["evidence_before"] == "“Sentence of a4.” (Outlet A, 15 March 2025)"  # the last opposing statement
    assert row["evidence_after"] == "“Sentence of b0.” (Outlet B, 3 June 2025)"  # the first supporting one


def test_holm_correction_across_split_points_matches_a_hand_computation(clear_shift):
    # Monthly periods 01 02 03 | 06 07 08 (documents 2 2 1 | 2 2 1). With at least 3 statements and
    # 3 documents on each side, three splits are eligible: after 02 (4 v 6), 03 (5 v 5) and 06 (7 v 3).
    raw = [fisher_exact([[0, 4], [5, 1]]).pvalue, fisher_exact([[0, 5], [5, 0]]).pvalue,
           fisher_exact([[2, 5], [3, 0]]).pvalue]
    order = sorted(range(3), key=lambda i: raw[i])
    expected, running = [0.0] * 3, 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (3 - rank) * raw[i]))
        expected[i] = running
    row = detect_shifts(clear_shift).iloc[0]
    assert row["p_adjusted"] == pytest.approx(min(expected))
    assert row["p_adjusted"] == pytest.approx(3 * fisher_exact([[0, 5], [5, 0]]).pvalue)
    assert holm([0.01, 0.04, 0.03]) == [0.03, 0.06, 0.06]
    assert holm([]) == []


def test_family_all_corrects_across_series(clear_shift):
    other = frame([(f"c{i}", "macron", "talks", "support", f"2025-0{m}-05") for i, m in enumerate([1, 1, 2, 6, 7, 8])])
    both = pd.concat([clear_shift, other], ignore_index=True)
    per_series = detect_shifts(both).set_index("actor")
    overall = detect_shifts(both, family="all").set_index("actor")
    assert overall.loc["meloni", "p_adjusted"] > per_series.loc["meloni", "p_adjusted"]
    assert overall.loc["macron", "status"] == per_series.loc["macron", "status"] == "stable"


# --- the same with too little evidence: "insufficient evidence", never a shift ---------------------

def test_too_little_evidence_is_reported_as_such(clear_shift):
    thin = clear_shift[clear_shift["doc_id"].isin(["a3", "a4", "b0", "b1"])]  # 2 documents each side
    row = detect_shifts(thin).iloc[0]
    assert row["status"] == "insufficient evidence"
    assert "no split leaves 3 statements and 3 documents on each side" in row["reason"]
    assert row["finding"].startswith("Insufficient evidence to say whether meloni's stance on talks changed")
    assert "oppose in March 2025, support in June 2025" in row["finding"]
    assert pd.isna(row["p_value"])


def test_sentences_of_one_document_are_not_independent_evidence():
    many = frame([("a", "meloni", "talks", "oppose", "2025-01-10")] * 10
                 + [("b", "meloni", "talks", "support", "2025-06-10")] * 10)
    many["sent_id"] = range(20)
    assert detect_shifts(many).iloc[0]["status"] == "insufficient evidence"  # 1 document each side
    as_sentences = detect_shifts(many, unit="statement", min_documents=1).iloc[0]
    assert as_sentences["status"] == "shift"  # only if you choose to count sentences as evidence
    assert as_sentences["support_after"] == 10


def test_a_significant_change_without_reversal_is_not_called_a_shift():
    rows = [(f"a{i}", "meloni", "talks", "support", "2025-01-10") for i in range(12)]
    rows += [(f"b{i}", "meloni", "talks", "support" if i < 7 else "oppose", "2025-06-10") for i in range(12)]
    row = detect_shifts(frame(rows)).iloc[0]
    assert row["status"] == "change in balance"
    assert row["stance_before"] == row["stance_after"] == "support"


def test_not_significant_variation_is_no_significant_shift():
    rows = [(f"a{i}", "meloni", "talks", "oppose" if i < 2 else "support", "2025-01-10") for i in range(4)]
    rows += [(f"b{i}", "meloni", "talks", "oppose" if i < 3 else "support", "2025-06-10") for i in range(4)]
    row = detect_shifts(frame(rows)).iloc[0]
    assert row["status"] == "no significant shift"
    assert "not evidence of a shift" in row["finding"]


# --- a new stance is not a shift -----------------------------------------------------------------

def test_new_stance_is_reported_as_new_not_as_a_shift():
    rows = [(f"a{i}", "meloni", "troops", "oppose", f"2025-0{m}-10") for i, m in enumerate([1, 2, 3])]
    rows += [(f"b{i}", "meloni", "talks", "support", "2025-09-10") for i in range(4)]
    shifts = detect_shifts(frame(rows)).set_index("target")
    talks = shifts.loc["talks"]
    assert talks["status"] == "new stance"
    assert (talks["stance_before"], talks["stance_after"]) == ("none", "support")
    assert talks["date"] == pd.Timestamp("2025-09-01")
    assert (talks["support_before"], talks["oppose_before"], talks["support_after"]) == (0, 0, 4)
    assert "for the first time in September 2025" in talks["finding"] and "not a shift" in talks["finding"]
    assert talks["evidence_after"] == "“Sentence of b0.” (Outlet B, 10 September 2025)"
    assert shifts.loc["troops", "status"] == "stable"
    assert "too little evidence to test" in shifts.loc["troops", "finding"]


def test_same_side_in_too_few_documents_is_insufficient_evidence():
    rows = [("a", "meloni", "talks", "support", "2025-01-10"), ("b", "meloni", "talks", "support", "2025-06-10")]
    row = detect_shifts(frame(rows)).iloc[0]
    assert row["status"] == "insufficient evidence"
    assert row["reason"] == "only 2 documents (the rule needs 3)"


def test_one_period_only_is_insufficient_evidence():
    row = detect_shifts(frame([("a", "meloni", "talks", "support", "2025-01-10")])).iloc[0]
    assert row["status"] == "insufficient evidence"
    assert row["reason"] == "all statements fall in one period (January 2025)"
    assert row["stance"] == "support"


# --- timelines -----------------------------------------------------------------------------------

def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval written out (Wilson 1927), independent of scipy."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_timeline_counts_net_and_wilson_interval_on_the_net_scale():
    rows = [(f"a{i}", "meloni", "talks", "support" if i < 3 else "oppose", "2025-01-10") for i in range(4)]
    tl = stance_timeline(frame(rows))
    row = tl.iloc[0]
    assert (row["support"], row["oppose"], row["n"], row["documents"]) == (3, 1, 4, 4)
    assert row["net"] == 0.5
    low, high = wilson(3, 4)
    assert row["net_low"] == pytest.approx(2 * low - 1, abs=1e-3)
    assert row["net_high"] == pytest.approx(2 * high - 1, abs=1e-3)
    assert row["stance"] == "support" and row["new_stances"] == "support, oppose"


def test_timeline_document_majority_mixed_and_events():
    rows = [("a", "meloni", "talks", "support", "2025-01-10"), ("a", "meloni", "talks", "support", "2025-01-10"),
            ("a", "meloni", "talks", "oppose", "2025-01-10"),  # majority support
            ("b", "meloni", "talks", "support", "2025-02-10"), ("b", "meloni", "talks", "oppose", "2025-02-10"),  # tie
            ("c", "meloni", "talks", "oppose", "2025-03-10")]
    tl = stance_timeline(frame(rows))
    assert tl[["support", "oppose", "mixed"]].to_numpy().tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    assert tl["stance"].tolist() == ["support", "mixed", "oppose"]
    assert tl["reversal"].tolist() == [False, False, True]  # support, (mixed), oppose: a reversal
    assert tl["statements"].tolist() == [3, 2, 1]
    events = stance_events(tl)
    assert events["event"].tolist() == ["first support", "first oppose", "reversal to oppose"]
    assert events["period"].tolist() == ["2025-01", "2025-03", "2025-03"]


def test_timeline_by_country_yearly_and_document_level_input(clear_shift):
    both = pd.concat([clear_shift, clear_shift.assign(actor="tajani", doc_id="t" + clear_shift["doc_id"])])
    tl = stance_timeline(both, by="actor_country", freq="Y")
    assert tl[["actor_country", "period", "support", "oppose", "documents"]].to_numpy().tolist() == [
        ["Italy", "2025", 10, 10, 20]]
    by_doc = statements_by_document(clear_shift.assign(sent_id=0))
    pd.testing.assert_frame_equal(stance_timeline(by_doc), stance_timeline(clear_shift))
    assert [period_name(p) for p in ("2025-06", "2025Q2", "2025")] == ["June 2025", "Q2 2025", "2025"]


def test_undated_statements_are_left_out_and_counted(clear_shift):
    undated = pd.concat([clear_shift, frame([("z", "meloni", "talks", "support", None)])])
    tl = stance_timeline(undated)
    assert tl["documents"].sum() == 10
    assert tl.attrs["undated_statements"] == 1


# --- evidence table and plot ---------------------------------------------------------------------

def test_shift_evidence_marks_sides(clear_shift):
    shifts = detect_shifts(clear_shift)
    ev = shift_evidence(clear_shift, shifts)
    assert ev["side"].value_counts().to_dict() == {"before": 5, "after": 5}
    assert set(ev.loc[ev["side"] == "after", "stance"]) == {"support"}
    assert ev["date"].is_monotonic_increasing
    with pytest.raises(ValueError, match="status"):
        shift_evidence(clear_shift, shifts.drop(columns="status"))


def test_plot_stance_timeline_is_titled_with_the_finding(clear_shift):
    shifts = detect_shifts(clear_shift)
    fig = plot_stance_timeline(stance_timeline(clear_shift), shifts, names={"meloni": "Giorgia Meloni"},
                               source_note="Source: test.")
    assert isinstance(fig, Figure)
    texts = [t.get_text().replace("\n", " ") for t in fig.texts]
    assert texts[0] == "Giorgia Meloni: moved from opposing to supporting talks in June 2025"
    assert texts[-1] == "Source: test."
    ax = fig.axes[0]
    colours = {to_hex(c).upper() for c in ax.collections[-1].get_facecolors()}
    assert colours == {STANCE_COLORS["support"], STANCE_COLORS["oppose"]}
    assert any(line.get_linestyle() == "--" for line in ax.get_lines())  # the shift's date


def test_plot_rejects_empty_and_too_many_series(clear_shift):
    tl = stance_timeline(clear_shift)
    with pytest.raises(ValueError, match="nothing to plot"):
        plot_stance_timeline(tl.iloc[0:0])
    many = pd.concat([clear_shift.assign(target=f"t{i}") for i in range(3)])
    with pytest.raises(ValueError, match="at most 2"):
        plot_stance_timeline(stance_timeline(many), max_panels=2)


# --- bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "change, kwargs, message",
    [
        (lambda f: f.drop(columns="target"), {}, r"missing column\(s\) \['target'\]"),
        (lambda f: f.assign(date=f["date"].astype(str)), {}, "must be datetime64"),
        (lambda f: f.assign(stance="maybe"), {}, "stance.*'maybe'"),
        (lambda f: f, {"freq": "D"}, "freq must be one of"),
        (lambda f: f, {"unit": "sentence"}, "unit must be one of"),
        (lambda f: f, {"by": "period"}, "clashes"),
        (lambda f: f, {"min_documents": 0}, "min_documents must be a positive integer"),
        (lambda f: f, {"alpha": 1.5}, "alpha must be between 0 and 1"),
        (lambda f: f, {"family": "everything"}, "family must be"),
        ("not a table", {}, "must be a pandas DataFrame"),
    ],
)
def test_bad_input_names_the_problem(clear_shift, change, kwargs, message):
    table = change(clear_shift) if callable(change) else change
    with pytest.raises(ValueError, match=message):
        detect_shifts(table, **kwargs)


# --- the seed corpus: Meloni, March 2025 -> January 2026 -----------------------------------------

@pytest.fixture(scope="module")
def seed_statements() -> pd.DataFrame:
    return extract_statements(load_corpus(seed_corpus_dir()), load_codebook(data_dir() / "codebooks" / "ukraine_2025.yaml"))


def gold_shifts() -> pd.DataFrame:
    """The gold statements of the seed corpus, dated by the manifest."""
    gold = pd.read_csv(data_dir() / "gold" / "seed_statements.csv")
    dates = load_corpus(seed_corpus_dir()).set_index("doc_id")["date"]
    return detect_shifts(gold.assign(date=gold["doc_id"].map(dates))).set_index(["actor", "target"])


@pytest.mark.parametrize("source", ["extracted", "gold"])
def test_seed_meloni_matches_the_gold_expectations(seed_statements, source):
    shifts = detect_shifts(seed_statements).set_index(["actor", "target"]) if source == "extracted" else gold_shifts()
    troops = shifts.loc[("meloni", "troops_to_ukraine")]
    assert troops["stance"] == "oppose" and troops["oppose"] >= 4 and troops["support"] == 0
    assert troops["status"] in ("stable", "insufficient evidence")  # opposed throughout, never a shift
    assert (troops["first_period"], troops["last_period"]) == ("2025-03", "2026-01")
    us = shifts.loc[("meloni", "us_role_in_peace")]
    assert us["stance"] == "support" and us["status"] == "insufficient evidence"  # March 2025 only
    dialogue = shifts.loc[("meloni", "dialogue_with_russia")]
    assert dialogue["status"] == "new stance"
    assert (dialogue["stance_after"], dialogue["period_after"]) == ("support", "2026-01")
    assert "not a shift" in dialogue["finding"]


def test_five_seed_articles_carry_no_shift(seed_statements):
    shifts = detect_shifts(seed_statements)
    assert not shifts["status"].isin(["shift", "change in balance"]).any()
    assert (shifts["status"] == "insufficient evidence").sum() >= len(shifts) // 2
    ev = shift_evidence(seed_statements, shifts)
    meloni = ev[(ev["actor"] == "meloni") & (ev["target"] == "dialogue_with_russia")]
    assert (meloni["side"] == "after").all() and meloni["outlet"].eq("EU-affairs explainer").all()


def test_quotes_print_dates_at_their_precision():
    """A month-precision article is quoted with its month, never as the first of the month."""
    st = pd.DataFrame({"doc_id": ["a", "b"], "actor": "meloni", "target": "troops", "stance": "oppose",
                       "outlet": ["Opinion blog", "Wire"], "evidence": ["No troops.", "Still no troops."],
                       "date": pd.to_datetime(["2025-03-01", "2026-01-09"]), "date_precision": ["month", "day"]})
    row = detect_shifts(st).iloc[0]
    assert row["evidence_before"] == "“No troops.” (Opinion blog, March 2025)"
    assert row["evidence_after"] == "“Still no troops.” (Wire, 9 January 2026)"
    assert shift_evidence(st, detect_shifts(st))["date_precision"].tolist() == ["month", "day"]
