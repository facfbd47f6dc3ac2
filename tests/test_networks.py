"""Discourse networks against DNA's definitions, on a hand-worked example and an independent reference.

The hand-worked statements (four documents, proposals p and q):

- d1, Mon 2025-01-06: A supports p (twice, two sentences), B supports p, C opposes p
- d2, Wed 2025-01-08: A opposes p (A is on both sides of p), A supports q, B supports q
- d3, Mon 2025-02-03: A supports p again (a duplicate across documents), C opposes q
- d4, Mon 2025-02-10: A supports p again, B supports q again; plus a neutral row

Counted statements x[actor, proposal, stance] per duplicate setting (worked by hand):

=========  ======  ======  ======  ======  ======  ======
setting    A p+    A p-    A q+    B p+    B q+    C p-, C q-
=========  ======  ======  ======  ======  ======  ======
include    4       1       1       1       2       1, 1
document   3       1       1       1       2       1, 1
week       3       1       1       1       2       1, 1   (A p+ in ISO weeks 2, 6, 7)
month      2       1       1       1       2       1, 1   (A p+ in January and February)
once/year  1       1       1       1       1       1, 1
=========  ======  ======  ======  ======  ======  ======
"""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from diplomacy_lab.cli import main
from diplomacy_lab.networks.array import DUPLICATES, StatementRows, prepare_statements, statement_array
from diplomacy_lab.networks.files import (
    EVENT_LIST_COLUMNS,
    dna_event_list,
    read_statements,
    write_event_list,
    write_network,
)
from diplomacy_lab.networks.onemode import actor_network, target_network
from diplomacy_lab.networks.polarisation import network_polarisation, polarisation_over_time, polarisation_score
from diplomacy_lab.networks.twomode import two_mode_network
from diplomacy_lab.networks.windows import network_windows

ROWS = [  # doc_id, date, sent_id, actor, country, target, stance
    ("d1", "2025-01-06", 0, "A", "Aland", "p", "support"),
    ("d1", "2025-01-06", 1, "A", "Aland", "p", "support"),
    ("d1", "2025-01-06", 1, "B", "Bland", "p", "support"),
    ("d1", "2025-01-06", 2, "C", "Cland", "p", "oppose"),
    ("d2", "2025-01-08", 0, "A", "Aland", "p", "oppose"),
    ("d2", "2025-01-08", 1, "A", "Aland", "q", "support"),
    ("d2", "2025-01-08", 1, "B", "Bland", "q", "support"),
    ("d3", "2025-02-03", 0, "A", "Aland", "p", "support"),
    ("d3", "2025-02-03", 1, "C", "Cland", "q", "oppose"),
    ("d4", "2025-02-10", 0, "A", "Aland", "p", "support"),
    ("d4", "2025-02-10", 1, "B", "Bland", "q", "support"),
    ("d4", "2025-02-10", 2, "C", "Cland", "q", "neutral"),
]


@pytest.fixture
def st() -> pd.DataFrame:
    frame = pd.DataFrame(ROWS, columns=["doc_id", "date", "sent_id", "actor", "actor_country", "target", "stance"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["outlet"] = "Wire"
    frame["evidence"] = [f"Sentence {i}; with \"quotes\"." for i in range(len(frame))]
    return frame


def weights(edges: pd.DataFrame) -> dict:
    return {(s, t): round(w, 10) for s, t, w in zip(edges["source"], edges["target"], edges["weight"])}


# -- the statement array and the duplicate settings ---------------------------------------------------------

COUNTS = {  # (A p+, A p-, A q+, B p+, B q+, C p-, C q-)
    "include": (4, 1, 1, 1, 2, 1, 1), "document": (3, 1, 1, 1, 2, 1, 1), "week": (3, 1, 1, 1, 2, 1, 1),
    "month": (2, 1, 1, 1, 2, 1, 1), "year": (1, 1, 1, 1, 1, 1, 1), "once": (1, 1, 1, 1, 1, 1, 1),
}


@pytest.mark.parametrize("duplicates", DUPLICATES)
def test_duplicate_settings_count_as_worked_by_hand(st, duplicates):
    x = statement_array(prepare_statements(st, duplicates=duplicates)).x  # nodes A, B, C; items p, q
    got = (x[0, 0, 0], x[0, 0, 1], x[0, 1, 0], x[1, 0, 0], x[1, 1, 0], x[2, 0, 1], x[2, 1, 1])
    assert got == COUNTS[duplicates]
    assert x.sum() == sum(COUNTS[duplicates])


def test_neutral_and_missing_rows_are_counted_not_lost(st):
    st.loc[0, "target"] = None
    prepared = prepare_statements(st, duplicates="include")
    assert prepared.attrs["neutral_excluded"] == 1
    assert prepared.attrs["missing_excluded"] == 1
    assert len(prepared) == len(st) - 2


@pytest.mark.parametrize("duplicates", DUPLICATES)
def test_fast_rows_give_the_same_array_as_the_table(st, duplicates):
    assert np.array_equal(StatementRows(st, duplicates=duplicates).array().x,
                          statement_array(prepare_statements(st, duplicates=duplicates)).x)


def test_bad_input_is_refused_with_a_clear_message(st):
    with pytest.raises(ValueError, match="duplicates must be one of"):
        actor_network(st, duplicates="weekly")
    with pytest.raises(ValueError, match="kind must be one of"):
        actor_network(st, "agreement")
    with pytest.raises(ValueError, match="normalize must be one of"):
        actor_network(st, normalize="activity")
    with pytest.raises(ValueError, match="stance"):
        actor_network(st.assign(stance="maybe"))
    with pytest.raises(ValueError, match="missing column"):
        actor_network(st.drop(columns="target"))


# -- one-mode networks: congruence, conflict, subtract, normalisations ------------------------------------

def test_congruence_conflict_subtract_once(st):
    # once: A = {p+, p-, q+}, B = {p+, q+}, C = {p-, q-}
    assert weights(actor_network(st, "congruence")) == {("A", "B"): 2, ("A", "C"): 1}
    assert weights(actor_network(st, "conflict")) == {("A", "B"): 1, ("A", "C"): 2, ("B", "C"): 2}
    assert weights(actor_network(st, "subtract")) == {("A", "B"): 1, ("A", "C"): -1, ("B", "C"): -2}


def test_an_actor_on_both_sides_agrees_and_disagrees_with_the_others(st):
    edges = actor_network(st, "subtract").set_index(["source", "target"])
    # A supports and opposes p: with B (supports p) one agreement and one disagreement on p
    assert edges.loc[("A", "B"), "congruence"] == 2  # p+ p+ and q+ q+
    assert edges.loc[("A", "B"), "conflict"] == 1  # A p- against B p+
    assert edges.loc[("A", "B"), "shared"] == "p; q"


@pytest.mark.parametrize("duplicates, congruence_ab, conflict_ac, conflict_bc", [
    ("include", 4 * 1 + 1 * 2, 4 * 1 + 1 * 1, 1 + 2), ("document", 3 + 2, 3 + 1, 1 + 2),
    ("week", 3 + 2, 3 + 1, 1 + 2), ("month", 2 + 2, 2 + 1, 1 + 2), ("year", 2, 2, 2),
])
def test_duplicates_across_documents_change_the_weights_as_dna(st, duplicates, congruence_ab, conflict_ac, conflict_bc):
    assert weights(actor_network(st, "congruence", duplicates=duplicates))[("A", "B")] == congruence_ab
    conflict = weights(actor_network(st, "conflict", duplicates=duplicates))
    assert conflict[("A", "C")] == conflict_ac
    assert conflict[("B", "C")] == conflict_bc


def test_normalisations_once(st):
    # activities n_A = 3, n_B = 2, n_C = 2
    assert weights(actor_network(st, "congruence", normalize="average")) == {("A", "B"): 0.8, ("A", "C"): 0.4}
    assert weights(actor_network(st, "congruence", normalize="cosine")) == {("A", "B"): round(2 / 6, 10),
                                                                            ("A", "C"): round(1 / 6, 10)}
    # Jaccard AB: m10 = 1 (A p-), m01 = 0, m11 = 2; AC: m10 = 2, m01 = 1 (C q-), m11 = 1
    assert weights(actor_network(st, "congruence", normalize="jaccard")) == {("A", "B"): round(2 / 3, 10),
                                                                             ("A", "C"): 0.25}
    assert weights(actor_network(st, "conflict", normalize="jaccard"))[("A", "C")] == 0.5
    assert weights(actor_network(st, "subtract", normalize="average"))[("B", "C")] == -1.0


def test_normalisations_with_duplicates_include(st):
    # include: n_A = 6, n_B = 3; congruence AB = 6
    assert weights(actor_network(st, "congruence", normalize="average", duplicates="include"))[("A", "B")] == \
        round(6 / 4.5, 10)
    assert weights(actor_network(st, "congruence", normalize="cosine", duplicates="include"))[("A", "B")] == \
        round(6 / 18, 10)
    # Jaccard AB: A = (p+ 4, p- 1, q+ 1, q- 0), B = (1, 0, 2, 0): m10 = 1, m01 = 0, m11 = 4 + 2 = 6
    assert weights(actor_network(st, "congruence", normalize="jaccard", duplicates="include"))[("A", "B")] == \
        round(6 / 7, 10)


def test_countries_as_nodes(st):
    assert weights(actor_network(st, "congruence", by="actor_country")) == {("Aland", "Bland"): 2,
                                                                           ("Aland", "Cland"): 1}


def dna_reference(statements: pd.DataFrame, kind: str, normalize: str, duplicates: str, nodes="actor", via="target"):
    """DNA's one-mode loops (Exporter.computeOneModeMatrix, boolean qualifier), written out, with no numpy."""
    prepared = prepare_statements(statements, nodes=nodes, via=via, duplicates=duplicates)
    names, items = sorted(set(prepared["node"])), sorted(set(prepared["item"]))
    x = {(i, j, k): 0 for i in names for j in items for k in (0, 1)}
    for r in prepared.itertuples():
        x[(r.node, r.item, 1 if r.stance == "support" else 0)] += 1  # DNA: agreement 1 = support
    out = {}
    for a, b in itertools.combinations(names, 2):
        cong = sum(x[(a, j, k)] * x[(b, j, k2)] * (1 - abs(k - k2)) for j in items for k in (0, 1) for k2 in (0, 1))
        conf = sum(x[(a, j, k)] * x[(b, j, k2)] * abs(k - k2) for j in items for k in (0, 1) for k2 in (0, 1))
        w = {"congruence": cong, "conflict": conf, "subtract": cong - conf}[kind]
        na = sum(x[(a, j, k)] for j in items for k in (0, 1))
        nb = sum(x[(b, j, k)] for j in items for k in (0, 1))
        if normalize == "average":
            norm = (na + nb) / 2
        elif normalize == "cosine":
            norm = math.sqrt(na * na) * math.sqrt(nb * nb)
        elif normalize == "jaccard":
            norm = sum(x[(a, j, k)] for j in items for k in (0, 1) if x[(b, j, k)] == 0) \
                + sum(x[(b, j, k)] for j in items for k in (0, 1) if x[(a, j, k)] == 0) \
                + sum(x[(a, j, k)] * x[(b, j, k)] for j in items for k in (0, 1) if x[(a, j, k)] and x[(b, j, k)])
        else:
            norm = 1
        value = 0.0 if norm == 0 else w / norm
        if abs(value) > 1e-12:
            out[(a, b)] = round(value, 10)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_matrices_equal_dnas_loops_on_random_statements(seed):
    rng = np.random.default_rng(seed)
    n = 60
    frame = pd.DataFrame({
        "doc_id": rng.choice([f"d{i}" for i in range(15)], n),
        "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 400, n), unit="D"),
        "actor": rng.choice(list("abcdefgh"), n), "target": rng.choice(list("pqrs"), n),
        "stance": rng.choice(["support", "oppose", "neutral"], n, p=[0.45, 0.45, 0.1]),
    })
    for kind in ("congruence", "conflict", "subtract"):
        for normalize in ("none", "average", "jaccard", "cosine"):
            duplicates = DUPLICATES[(seed + len(kind) + len(normalize)) % len(DUPLICATES)]
            expected = dna_reference(frame, kind, normalize, duplicates)
            assert weights(actor_network(frame, kind, normalize=normalize, duplicates=duplicates)) == expected
            assert weights(target_network(frame, kind, normalize=normalize, duplicates=duplicates)) == \
                dna_reference(frame, kind, normalize, duplicates, nodes="target", via="actor")


def test_target_network(st):
    # p: A+ A- B+ C-; q: A+ B+ C-; congruence: A(+,+), B(+,+), C(-,-) = 3; conflict: A(p-, q+) = 1
    assert weights(target_network(st, "congruence")) == {("p", "q"): 3}
    edges = target_network(st, "conflict")
    assert weights(edges) == {("p", "q"): 1}
    assert edges["shared"].tolist() == ["A"]


def test_isolates_are_listed(st):
    extra = pd.DataFrame([("d5", pd.Timestamp("2025-03-01"), 0, "D", "Dland", "r", "support")],
                         columns=["doc_id", "date", "sent_id", "actor", "actor_country", "target", "stance"])
    edges = actor_network(pd.concat([st, extra], ignore_index=True))
    assert "D" in edges.attrs["nodes"] and "D" not in set(edges["source"]) | set(edges["target"])


# -- two-mode ---------------------------------------------------------------------------------------------

def test_two_mode_subtract_with_stance_attribute(st):
    edges = two_mode_network(st).set_index(["source", "target"])
    assert edges.loc[("A", "p"), ["weight", "support", "oppose", "stance"]].tolist() == [0.0, 1, 1, "mixed"]
    assert edges.loc[("C", "q"), "weight"] == -1.0 and edges.loc[("C", "q"), "stance"] == "oppose"
    include = two_mode_network(st, duplicates="include").set_index(["source", "target"])
    assert include.loc[("A", "p"), "weight"] == 3.0  # 4 support - 1 oppose
    activity = two_mode_network(st, duplicates="include", normalize="activity").set_index(["source", "target"])
    assert activity.loc[("A", "p"), "weight"] == 3 / 6
    prominence = two_mode_network(st, duplicates="include", normalize="prominence").set_index(["source", "target"])
    assert prominence.loc[("B", "q"), "weight"] == 2 / 4  # q: A+ 1, B+ 2, C- 1
    combine = two_mode_network(st, aggregation="combine").set_index(["source", "target"])
    assert combine.loc[("A", "p"), "weight"] == 3 and combine.loc[("C", "p"), "weight"] == 2
    with pytest.raises(ValueError, match="one-mode normalisations"):
        two_mode_network(st, normalize="jaccard")


# -- windows ----------------------------------------------------------------------------------------------

def test_windows_uniform(st):
    table = network_windows(st, "conflict", size=7, step=28)
    windows = table.attrs["windows"]
    assert windows["window_start"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-06", "2025-02-03"]
    assert windows["statements"].tolist() == [6, 2]  # once per window: d1 + d2 rows; d3 rows
    first = table[table["window_start"] == "2025-01-06"]
    assert weights(first) == {("A", "B"): 1, ("A", "C"): 1, ("B", "C"): 1}  # C's q- is in February
    assert table.attrs["statements_in_no_window"] == 2  # d4 (2025-02-10): A p+, B q+
    assert list(table.columns[:6]) == ["window_start", "window_mid", "window_end", "source", "target", "weight"]


def test_a_uniform_window_is_the_network_of_its_statements(st):
    table = network_windows(st, "congruence", size=7, step=28, duplicates="include")
    inside = st[(st["date"] >= "2025-01-06") & (st["date"] < "2025-01-13")]
    assert weights(table[table["window_start"] == "2025-01-06"]) == \
        weights(actor_network(inside, "congruence", duplicates="include"))


def test_kernel_weights_in_a_window(st):
    # window 2025-01-06 .. 2025-01-19, mid-point 2025-01-13, half-width 7 days
    tri = network_windows(st, "congruence", size=14, step=28, kernel="triangular")
    # d1 sits at u = -1 (weight 0); d2 at u = -5/7: A q+ and B q+ weigh sqrt(2/7) each
    assert weights(tri) == {("A", "B"): round(2 / 7, 10)}
    gauss = network_windows(st, "congruence", size=14, step=28, kernel="gaussian")
    # once per window, nearest occurrence: p+ pair at u = -1, q+ pair at u = -5/7, A p- with C p- at -5/7 and -1
    expected_ab = math.exp(-0.5) + math.exp(-0.5 * (5 / 7) ** 2)
    expected_ac = math.sqrt(math.exp(-0.5 * (5 / 7) ** 2) * math.exp(-0.5))
    got = weights(gauss)
    assert got[("A", "B")] == pytest.approx(expected_ab, abs=1e-9)
    assert got[("A", "C")] == pytest.approx(expected_ac, abs=1e-9)


def test_window_arguments_are_checked(st):
    with pytest.raises(ValueError, match="size must be"):
        network_windows(st, size=0)
    with pytest.raises(ValueError, match="kernel must be"):
        network_windows(st, size=7, kernel="box")
    with pytest.raises(ValueError, match="need dates"):
        network_windows(st.assign(date=pd.NaT), size=7)


# -- polarisation -----------------------------------------------------------------------------------------

def test_polarisation_extremes():
    two_camps = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "actor": ["w", "x", "y", "z"], "target": ["t"] * 4,
                              "stance": ["support", "support", "oppose", "oppose"]})
    row = network_polarisation(two_camps, n_boot=0).iloc[0]
    assert row["polarisation"] == 1.0 and row["camps"] == "w, x | y, z"
    consensus = two_camps.assign(stance="support")
    row = network_polarisation(consensus, n_boot=0).iloc[0]
    assert row["polarisation"] == 0.0 and row["conflict"] == 0 and row["method"] == "no conflict"


def test_polarisation_of_the_hand_example(st):
    # once: congruence AB 2, AC 1; conflict AB 1, AC 2, BC 2 (total 5). Best split {A, B} | {C}:
    # conflict across 2 + 2 = 4, congruence across 1 -> (4 - 1) / 5 = 0.6
    row = network_polarisation(st, n_boot=0).iloc[0]
    assert row["polarisation"] == pytest.approx(0.6)
    assert row["camps"] == "A, B | C"


@pytest.mark.parametrize("seed", range(8))
def test_exact_and_local_search_agree(seed):
    rng = np.random.default_rng(seed)
    n = 9
    c = np.triu(rng.integers(0, 3, (n, n)), 1).astype(float)
    f = np.triu(rng.integers(0, 3, (n, n)), 1).astype(float)
    c, f = c + c.T, f + f.T
    exact = polarisation_score(c, f)
    local = polarisation_score(c, f, exact_max=0, restarts=30, seed=seed)
    assert exact[2] == "exact" and local[2] == "local search"
    assert local[0] == pytest.approx(exact[0])
    assert 0 <= exact[0] <= 1
    # brute force over all splits
    best = max(sum(f[i, j] - c[i, j] for i in range(n) for j in range(i + 1, n) if (mask >> i & 1) != (mask >> j & 1))
                for mask in range(2 ** n))
    assert exact[0] == pytest.approx(best / np.triu(f, 1).sum())


def test_polarisation_bootstrap_is_reproducible(st):
    a = network_polarisation(st, n_boot=40, seed=3)
    b = network_polarisation(st, n_boot=40, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert a["low"].iloc[0] <= a["high"].iloc[0]
    over = polarisation_over_time(st, size=7, step=28, n_boot=30)
    assert over["statements"].tolist() == [6, 2]
    assert over["polarisation"].iloc[0] > 0 and over["low"].iloc[0] <= over["high"].iloc[0]


# -- files and the command line ---------------------------------------------------------------------------

def write_statements_csv(st: pd.DataFrame, path) -> None:
    """As ``diplomacy-lab statements`` writes it."""
    path.write_bytes(st.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d").encode("utf-8"))


def test_cli_gives_dnas_numbers(st, tmp_path, capsys):
    csv = tmp_path / "statements.csv"
    write_statements_csv(st, csv)
    cases = [
        (["--kind", "congruence"], {("A", "B"): 2, ("A", "C"): 1}),
        (["--kind", "conflict"], {("A", "B"): 1, ("A", "C"): 2, ("B", "C"): 2}),
        (["--kind", "subtract"], {("A", "B"): 1, ("A", "C"): -1, ("B", "C"): -2}),
        (["--kind", "congruence", "--normalize", "jaccard"], {("A", "B"): round(2 / 3, 10), ("A", "C"): 0.25}),
        (["--kind", "congruence", "--normalize", "average"], {("A", "B"): 0.8, ("A", "C"): 0.4}),
        (["--kind", "congruence", "--duplicates", "document"], {("A", "B"): 5, ("A", "C"): 1}),
        (["--kind", "conflict", "--duplicates", "month"], {("A", "B"): 1, ("A", "C"): 3, ("B", "C"): 3}),
        (["--kind", "congruence", "--nodes", "target"], {("p", "q"): 3}),
    ]
    for options, expected in cases:
        out = tmp_path / "edges.csv"
        assert main(["network", str(csv), *options, "--out", str(out)]) == 0
        assert weights(pd.read_csv(out)) == expected, options
    out = tmp_path / "windows.csv"
    assert main(["network", str(csv), "--kind", "conflict", "--window", "7", "--step", "28", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert weights(table[table["window_start"] == "2025-01-06"]) == {("A", "B"): 1, ("A", "C"): 1, ("B", "C"): 1}
    assert "2 statements in no window" in capsys.readouterr().out


def test_graphml_opens_in_networkx_with_the_same_weights(st, tmp_path):
    csv = tmp_path / "statements.csv"
    write_statements_csv(st, csv)
    for kind in ("subtract", "two-mode"):
        out = tmp_path / f"{kind}.graphml"
        assert main(["network", str(csv), "--kind", kind, "--normalize", "none", "--out", str(out)]) == 0
        graph = nx.read_graphml(out)
        edges = (two_mode_network(st) if kind == "two-mode" else actor_network(st, kind))
        assert {tuple(sorted((s, t))): w for s, t, w in graph.edges(data="weight")} == \
            {tuple(sorted((s, t))): w for s, t, w in zip(edges["source"], edges["target"], edges["weight"])}
    graph = nx.read_graphml(tmp_path / "subtract.graphml")
    assert graph.nodes["A"]["country"] == "Aland" and graph.nodes["A"]["statements"] == 6
    assert nx.read_graphml(tmp_path / "two-mode.graphml").nodes["p"]["mode"] == "target"


def test_event_list_has_dnas_columns_and_format(st, tmp_path):
    csv = tmp_path / "statements.csv"
    write_statements_csv(st, csv)
    out = tmp_path / "events.csv"
    assert main(["network", str(csv), "--kind", "event-list", "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ";".join(f'"{c}"' for c in EVENT_LIST_COLUMNS)
    assert lines[0] == ('"statement_id";"time";"person";"organization";"concept";"agreement";"start_position";'
                        '"stop_position";"text";"coder";"document_id";"document_title";"document_author";'
                        '"document_source";"document_section";"document_type"')
    events = pd.read_csv(out, sep=";")
    assert len(events) == 11  # every support/oppose statement (DNA's default duplicates: include); 1 neutral left out
    assert events["agreement"].tolist()[:4] == [1, 1, 1, 0]  # DNA: 1 = support, 0 = oppose
    assert events["time"].iloc[0] == "2025-01-06 00:00:00"
    assert events["text"].iloc[0] == "Sentence 0, with 'quotes'."  # DNA replaces ; and "
    once = dna_event_list(st, duplicates="once")
    assert len(once) == 7 and list(once.columns) == EVENT_LIST_COLUMNS
    write_event_list(once, tmp_path / "once.csv")


def test_cli_refuses_bad_requests(st, tmp_path, capsys):
    csv = tmp_path / "statements.csv"
    write_statements_csv(st, csv)
    assert main(["network", str(csv), "--kind", "congruence", "--out", str(tmp_path / "x.json")]) == 2
    assert "writes .csv (edge list) or .graphml" in capsys.readouterr().err
    assert main(["network", str(csv), "--kind", "congruence", "--window", "7", "--out", str(tmp_path / "x.graphml")]) == 2
    assert "--window writes one table" in capsys.readouterr().err
    assert main(["network", str(tmp_path / "missing.csv"), "--kind", "congruence", "--out", str(tmp_path / "x.csv")]) == 2
    assert "no statements file" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("doc_id,date,actor,target,stance\nd1,2025-13-45,A,p,support\n", encoding="utf-8")
    assert main(["network", str(bad), "--kind", "congruence", "--out", str(tmp_path / "x.csv")]) == 2
    assert "dates must be YYYY-MM-DD" in capsys.readouterr().err


def test_read_statements_round_trip(st, tmp_path):
    csv = tmp_path / "statements.csv"
    write_statements_csv(st, csv)
    back = read_statements(csv)
    assert back["date"].dtype.kind == "M" and back["sent_id"].dtype == "Int64"
    assert weights(actor_network(back, "subtract")) == weights(actor_network(st, "subtract"))


def test_write_network_csv_is_byte_identical_on_rerun(st, tmp_path):
    edges = actor_network(st, "congruence", normalize="cosine")
    a = write_network(edges, tmp_path / "a.csv").read_bytes()
    b = write_network(actor_network(st, "congruence", normalize="cosine"), tmp_path / "b.csv").read_bytes()
    assert a == b and a.startswith(b"source,target,weight,congruence,conflict,shared\n")


def test_seed_statements_network(seed_study):
    edges = actor_network(seed_study.statements, "congruence")
    pairs = weights(edges)
    # Meloni and Italy (the government) agree on troops and on a US role in the talks
    assert pairs[("italy", "meloni")] == 2
    assert ("macron", "starmer") in pairs


def test_brief_sections(seed_study, tmp_path):
    from diplomacy_lab.report.adjusted import adjusted_section
    from diplomacy_lab.report.brief import write_brief
    from diplomacy_lab.report.networks import networks_section

    index = write_brief(seed_study, tmp_path, corpus_name="seed corpus", gold="data/gold/seed_statements.csv",
                        sections=[networks_section, adjusted_section])
    html = index.read_text(encoding="utf-8")
    assert "Who stands with whom" in html and "Stances corrected for extraction errors" in html
    assert (tmp_path / "figures" / "actor_network.png").is_file()
    assert (tmp_path / "data" / "stance_matrix_adjusted.csv").is_file()
    again = write_brief(seed_study, tmp_path / "again", corpus_name="seed corpus", gold="data/gold/seed_statements.csv",
                        sections=[networks_section, adjusted_section])
    for name in ("figures/actor_network.png", "figures/actor_network.svg", "data/network_polarisation.csv",
                 "data/stance_matrix_adjusted.csv", "index.html"):
        assert (tmp_path / name).read_bytes() == (again.parent / name).read_bytes(), name


def test_plot_network_colours_by_a_node_attribute(seed_study, seed_codebook):
    from diplomacy_lab.networks.files import network_nodes
    from diplomacy_lab.networks.plots import plot_network

    st = seed_study.statements
    nodes = network_nodes(st, actors=seed_codebook.actors_table())
    assert {"country", "kind", "name"} <= set(nodes.columns)
    assert nodes.set_index("node").loc["meloni", "kind"] == "person"
    edges = actor_network(st, "subtract")
    fig = plot_network(edges, nodes, color_by="kind")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert {"person", "government", "agree", "disagree"} <= set(legend)
    with pytest.raises(ValueError, match="no 'party' column"):
        plot_network(edges, nodes, color_by="party")
