"""Tests for diplomacy_lab.statements.coding: coding sheets, document level, evaluation, training rows."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from diplomacy_lab.statements.classifier import StanceClassifier
from diplomacy_lab.statements.coding import (
    SHEET_COLUMNS,
    evaluate_statements,
    export_coding_sheet,
    read_coding_sheet,
    training_frame,
)
from diplomacy_lab.statements.extract import statements_by_document


def statements() -> pd.DataFrame:
    """Sentence-level statements as the extractor writes them, deliberately unsorted."""
    return pd.DataFrame({
        "doc_id": ["d2", "d1", "d1", "d1"],
        "source": ["seed"] * 4,
        "outlet": ["ANSA", "Le Monde", "Le Monde", "Le Monde"],
        "date": pd.to_datetime(["2025-03-02", "2025-03-01", "2025-03-01", "2025-03-01"]),
        "sent_id": [4, 7, 2, 2],
        "actor": ["meloni", "macron", "macron", "starmer"],
        "actor_country": ["Italy", "France", "France", "United Kingdom"],
        "target": ["troops_to_ukraine"] * 4,
        "stance": ["oppose", "support", "support", "neutral"],
        "confidence": [0.91234, 0.5, 0.75, np.nan],
        "cue": ["rules out", "ready to send", "backs", ""],
        "method": ["rules"] * 4,
        "evidence": [
            "Meloni ruled out sending Italian troops.",
            "-Macron said France was ready to send troops.",
            "Macron backs a reassurance force, «with conditions».",
            "Starmer and Macron met in Paris.",
        ],
    })


EXPECTED_SHEET = (
    "\ufeffstatement_id,doc_id,outlet,date,date_precision,sent_id,actor,target,stance_predicted,confidence,cue,evidence,stance_gold,comment\n"
    "d1:2:macron:troops_to_ukraine,d1,Le Monde,2025-03-01,,2,macron,troops_to_ukraine,support,0.75,backs,"
    "\"Macron backs a reassurance force, «with conditions».\",,\n"
    "d1:2:starmer:troops_to_ukraine,d1,Le Monde,2025-03-01,,2,starmer,troops_to_ukraine,neutral,,,"
    "Starmer and Macron met in Paris.,,\n"
    "d1:7:macron:troops_to_ukraine,d1,Le Monde,2025-03-01,,7,macron,troops_to_ukraine,support,0.5,ready to send,"
    "'-Macron said France was ready to send troops.,,\n"
    "d2:4:meloni:troops_to_ukraine,d2,ANSA,2025-03-02,,4,meloni,troops_to_ukraine,oppose,0.912,rules out,"
    "Meloni ruled out sending Italian troops.,,\n"
)


# -- export ------------------------------------------------------------------------------------


def test_export_coding_sheet_exact_file(tmp_path):
    path = tmp_path / "sheets" / "coding.csv"
    sheet = export_coding_sheet(statements(), path)
    assert path.read_bytes() == EXPECTED_SHEET.encode("utf-8")
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    assert list(sheet.columns) == SHEET_COLUMNS
    assert sheet["statement_id"].tolist() == [
        "d1:2:macron:troops_to_ukraine", "d1:2:starmer:troops_to_ukraine",
        "d1:7:macron:troops_to_ukraine", "d2:4:meloni:troops_to_ukraine",
    ]
    # Same input in another order: the same bytes.
    export_coding_sheet(statements().iloc[::-1], tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_bytes() == path.read_bytes()


def test_export_minimal_columns_and_duplicate_ids(tmp_path):
    minimal = statements()[["doc_id", "sent_id", "actor", "target", "stance", "evidence"]]
    sheet = export_coding_sheet(minimal, tmp_path / "min.csv")
    assert sheet.loc[0, ["outlet", "date", "cue", "stance_gold"]].tolist() == ["", "", "", ""]
    assert sheet["confidence"].isna().all()
    dup = pd.concat([minimal, minimal.iloc[[0]]])
    with pytest.raises(ValueError, match=r"more than one row per \(doc_id, sent_id, actor, target\): d2:4:meloni:troops_to_ukraine"):
        export_coding_sheet(dup, tmp_path / "dup.csv")
    with pytest.raises(ValueError, match=r"statements is missing column\(s\) \['evidence'\]"):
        export_coding_sheet(minimal.drop(columns="evidence"), tmp_path / "x.csv")


# -- read back ---------------------------------------------------------------------------------

# The exported sheet as a European Excel saves it after coding: semicolons, CRLF, no BOM
# but UTF-8 ("CSV UTF-8"), capitalised labels, stray spaces, a decimal comma, a blank line.
EXCEL_SHEET = (
    "statement_id;doc_id;outlet;date;sent_id;actor;target;stance_predicted;confidence;cue;evidence;stance_gold;comment\r\n"
    "d1:2:macron:troops_to_ukraine;d1;Le Monde;01/03/2025;2;macron;troops_to_ukraine;support;0,75;backs;"
    "\"Macron backs a reassurance force, «with conditions».\"; Support ;\r\n"
    "d1:2:starmer:troops_to_ukraine;d1;Le Monde;01/03/2025;2;starmer;troops_to_ukraine;neutral;;;"
    "Starmer and Macron met in Paris.;NONE;just a meeting\r\n"
    "d1:7:macron:troops_to_ukraine;d1;Le Monde;01/03/2025;7;macron;troops_to_ukraine;support;0,5;ready to send;"
    "'-Macron said France was ready to send troops.;;\r\n"
    "d2:4:meloni:troops_to_ukraine;d2;ANSA;02/03/2025;4;meloni;troops_to_ukraine;oppose;0,912;rules out;"
    "Meloni ruled out sending Italian troops.;Neutral ; reported speech\r\n"
    ";d2;;;;tajani;troops_to_ukraine;;;;Tajani said Italy would not send soldiers.;oppose;missed\r\n"
    ";;;;;;;;;;;;\r\n"
)


def test_read_coding_sheet_accepts_excel_edits(tmp_path):
    path = tmp_path / "coded.csv"
    path.write_bytes(EXCEL_SHEET.encode("utf-8"))
    with pytest.warns(UserWarning, match=r"1 row\(s\) without stance_gold left out"):
        gold = read_coding_sheet(path)
    assert gold.columns.tolist() == [
        "statement_id", "doc_id", "outlet", "date", "date_precision", "sent_id", "actor", "target", "stance",
        "stance_predicted", "confidence", "cue", "evidence", "comment", "coded",
    ]
    assert gold["statement_id"].tolist() == [
        "d1:2:macron:troops_to_ukraine", "d2:4:meloni:troops_to_ukraine", "d2::tajani:troops_to_ukraine",
    ]
    assert gold["stance"].tolist() == ["support", "neutral", "oppose"]
    assert gold["stance_predicted"].tolist() == ["support", "oppose", ""]
    assert gold["sent_id"].tolist() == [2, 4, pd.NA]
    assert str(gold["sent_id"].dtype) == "Int64"
    assert gold["confidence"].tolist()[:2] == [0.75, 0.912] and np.isnan(gold["confidence"].iloc[2])
    assert gold["comment"].tolist() == ["", "reported speech", "missed"]
    assert gold["coded"].tolist() == [True, True, True]
    assert gold.attrs["unfilled"] == ["d1:7:macron:troops_to_ukraine"]


def test_read_coding_sheet_unfilled_modes(tmp_path):
    path = tmp_path / "coded.csv"
    path.write_bytes(EXCEL_SHEET.encode("utf-8"))
    kept = read_coding_sheet(path, unfilled="predicted")
    assert kept["statement_id"].tolist() == [
        "d1:2:macron:troops_to_ukraine", "d1:7:macron:troops_to_ukraine",
        "d2:4:meloni:troops_to_ukraine", "d2::tajani:troops_to_ukraine",
    ]
    assert kept["stance"].tolist() == ["support", "support", "neutral", "oppose"]
    assert kept["coded"].tolist() == [True, False, True, True]
    # The Excel formula guard is removed again.
    assert kept.loc[1, "evidence"] == "-Macron said France was ready to send troops."
    with pytest.raises(ValueError, match=r"stance_gold is empty in row\(s\) 4$"):
        read_coding_sheet(path, unfilled="error")
    with pytest.raises(ValueError, match="unfilled must be one of"):
        read_coding_sheet(path, unfilled="keep")


def test_round_trip_without_edits_and_cp1252(tmp_path):
    path = tmp_path / "coding.csv"
    export_coding_sheet(statements(), path)
    text = path.read_text(encoding="utf-8-sig").replace(",,\n", ",support,\n")
    # Excel's plain "CSV (Comma delimited)" on Windows: cp1252, no BOM.
    path.write_bytes(text.encode("cp1252"))
    gold = read_coding_sheet(path)
    assert len(gold) == 4
    assert gold["evidence"].tolist()[0] == "Macron backs a reassurance force, «with conditions»."
    assert gold["date"].tolist() == ["2025-03-01"] * 3 + ["2025-03-02"]
    assert (gold["stance"] == "support").all()


def test_read_coding_sheet_tabs_bom_capitalised_headers_and_trailing_column(tmp_path):
    path = tmp_path / "coded.tsv"
    path.write_bytes(
        "\ufeff Statement_ID \tDoc_ID\tSent_ID\tActor\tTarget\tStance_Predicted\tEvidence\tStance_Gold\t\n"
        "a:1:x:t\ta\t1\tx\tt\tsupport\tE1.\t OPPOSE \t\n".encode("utf-8")
    )
    gold = read_coding_sheet(path)
    assert gold[["statement_id", "sent_id", "stance", "stance_predicted", "outlet", "comment", "coded"]].values.tolist() == [
        ["a:1:x:t", 1, "oppose", "support", "", "", True]
    ]


def test_read_coding_sheet_reports_bad_labels_with_rows(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "statement_id,doc_id,sent_id,actor,target,stance_predicted,evidence,stance_gold\n"
        "a:1:x:t,a,1,x,t,support,E1.,supprt\n"
        "a:2:x:t,a,2,x,t,support,E2.,oppose\n"
        "a:3:x:t,a,3,x,t,support,E3.,favour\n",
        encoding="utf-8",
    )
    message = (
        r"stance_gold must be empty or one of \['support', 'oppose', 'neutral', 'none'\]; "
        r"bad label\(s\) in row 2 \(a:1:x:t\): 'supprt', row 4 \(a:3:x:t\): 'favour'"
    )
    with pytest.raises(ValueError, match=message):
        read_coding_sheet(path)


@pytest.mark.parametrize(
    "content, message",
    [
        ("doc_id,actor\nd1,x\n", "the first line has no statement_id and stance_gold columns"),
        ("statement_id,stance_gold,doc_id\nx,support,d1\n",
         r"is missing column\(s\) \['sent_id', 'actor', 'target', 'stance_predicted', 'evidence'\]"),
        ("statement_id,doc_id,sent_id,actor,target,stance_predicted,evidence,stance_gold\n"
         ",d1,,x,,,E.,support\n", r"row\(s\) 2 have no statement_id; an added statement needs"),
        ("statement_id,doc_id,sent_id,actor,target,stance_predicted,evidence,stance_gold\n"
         "a,d1,one,x,t,support,E.,support\n", r"sent_id must be a whole number or empty; row\(s\) 2"),
        ("statement_id,doc_id,sent_id,actor,target,stance_predicted,evidence,stance_gold\n"
         "a,d1,1,x,t,support,E.,support\na,d1,1,x,t,support,E.,oppose\n", r"statement_id repeated in rows 2, 3"),
    ],
)
def test_read_coding_sheet_errors(tmp_path, content, message):
    path = tmp_path / "sheet.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_coding_sheet(path)


# -- document level ----------------------------------------------------------------------------


def test_statements_by_document_keeps_conflicting_stances_and_counts_sentences():
    s = pd.DataFrame({
        "doc_id": ["d1", "d1", "d1", "d1", "d1", "d2"],
        "sent_id": [5, 1, 3, 3, 8, 0],
        "actor": ["macron"] * 5 + ["meloni"],
        "target": ["troops"] * 5 + ["troops"],
        "stance": ["support", "support", "oppose", "oppose", "support", "neutral"],
        "outlet": ["Le Monde"] * 5 + ["ANSA"],
        "method": ["rules", "rules", "rules", "model", "rules", "rules"],  # sentence 3 found twice
        "evidence": ["S5", "S1", "S3", "S3 again", "S8", "S0"],
    })
    doc = statements_by_document(s)
    expected = pd.DataFrame({
        "doc_id": ["d1", "d1", "d2"],
        "actor": ["macron", "macron", "meloni"],
        "target": ["troops"] * 3,
        "stance": ["oppose", "support", "neutral"],
        "n_sentences": [1, 3, 1],
        "evidence": ["S3", "S1", "S0"],
        "outlet": ["Le Monde", "Le Monde", "ANSA"],
    })
    pd.testing.assert_frame_equal(doc, expected, check_dtype=False)
    assert doc["n_sentences"].dtype == "int64"


def test_statements_by_document_without_sent_id_or_evidence():
    gold = pd.DataFrame({"doc_id": ["b", "a", "a"], "actor": ["x", "y", "y"], "target": ["t"] * 3,
                         "stance": ["support", "oppose", "oppose"]})
    doc = statements_by_document(gold)
    assert doc[["doc_id", "stance", "n_sentences"]].values.tolist() == [["a", "oppose", 2], ["b", "support", 1]]
    assert doc["evidence"].isna().all()
    with pytest.raises(ValueError, match=r"statements has no stance in row\(s\) 1"):
        statements_by_document(gold.assign(stance=["support", None, "oppose"]))


# -- evaluation --------------------------------------------------------------------------------


def predicted_fixture() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["d1", "d1", "d1", "d2", "d2", "d3"],
        "sent_id": [1, 2, 3, 1, 4, 0],
        "actor": ["meloni", "meloni", "macron", "starmer", "putin", "macron"],
        "target": ["troops", "troops", "troops", "troops", "troops", "sanctions"],
        "stance": ["oppose", "oppose", "oppose", "support", "oppose", "support"],
        "evidence": ["P-d1-1", "P-d1-2", "P-d1-3", "P-d2-1", "P-d2-4", "P-d3-0"],
    })


def gold_fixture() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["d1", "d1", "d2", "d2", "d3", "d3"],
        "actor": ["meloni", "macron", "starmer", "trump", "macron", "merz"],
        "target": ["troops", "troops", "troops", "sanctions", "sanctions", "sanctions"],
        "stance": ["oppose", "support", "support", "oppose", "Support", "neutral"],
        "evidence": ["G1", "G2", "G3", "G4", "G5", "G6"],
        "note": [""] * 6,
    })


def test_evaluate_statements_hand_computed_document_level():
    result = evaluate_statements(predicted_fixture(), gold_fixture())
    # tp: meloni/troops/oppose, starmer/troops/support, macron/sanctions/support (d3)
    # fp: macron/troops/oppose (gold: support), putin/troops/oppose (not in gold)
    # fn: macron/troops/support, trump/sanctions/oppose, merz/sanctions/neutral
    summary = result["summary"]
    assert summary.columns.tolist() == ["level", "tp", "fp", "fn", "precision", "recall", "f1"]
    assert summary.iloc[0][["level", "tp", "fp", "fn"]].tolist() == ["document", 3, 2, 3]
    assert summary.iloc[0]["precision"] == pytest.approx(3 / 5)
    assert summary.iloc[0]["recall"] == pytest.approx(3 / 6)
    assert summary.iloc[0]["f1"] == pytest.approx(2 * 0.6 * 0.5 / 1.1)

    by_target = result["by_target"].set_index("target")
    assert by_target.columns.tolist() == ["precision", "recall", "f1", "support", "tp", "fp", "fn"]
    assert by_target.loc["troops", ["tp", "fp", "fn", "support"]].tolist() == [2, 2, 1, 3]
    assert by_target.loc["troops", ["precision", "recall", "f1"]].tolist() == pytest.approx([0.5, 2 / 3, 4 / 7])
    assert by_target.loc["sanctions", ["tp", "fp", "fn", "support"]].tolist() == [1, 0, 2, 3]
    assert by_target.loc["sanctions", ["precision", "recall", "f1"]].tolist() == pytest.approx([1.0, 1 / 3, 0.5])

    by_stance = result["by_stance"].set_index("stance")
    assert by_stance.index.tolist() == ["neutral", "oppose", "support"]
    assert by_stance.loc["support", ["precision", "recall", "f1", "support"]].tolist() == pytest.approx([1.0, 2 / 3, 0.8, 3])
    assert by_stance.loc["oppose", ["precision", "recall", "f1", "support"]].tolist() == pytest.approx([1 / 3, 0.5, 0.4, 2])
    assert by_stance.loc["neutral", ["precision", "recall", "f1", "support"]].tolist() == [0.0, 0.0, 0.0, 1]

    confusion = result["confusion"]
    labels = ["support", "oppose", "neutral", "none"]
    assert confusion.index.tolist() == labels and confusion.columns.tolist() == labels
    assert confusion.index.name == "gold" and confusion.columns.name == "predicted"
    assert confusion.values.tolist() == [
        [2, 1, 0, 0],  # gold support: d2 starmer, d3 macron right; d1 macron predicted oppose
        [0, 1, 0, 1],  # gold oppose: d1 meloni right; d2 trump missed
        [0, 0, 0, 1],  # gold neutral: d3 merz missed
        [0, 1, 0, 0],  # not in gold: d2 putin predicted oppose
    ]

    errors = result["errors"]
    assert errors.columns.tolist() == ["error", "doc_id", "actor", "target", "predicted", "gold", "evidence"]
    assert errors.values.tolist() == [
        ["false_positive", "d1", "macron", "troops", "oppose", "support", "P-d1-3"],
        ["false_negative", "d1", "macron", "troops", "oppose", "support", "G2"],
        ["false_positive", "d2", "putin", "troops", "oppose", "none", "P-d2-4"],
        ["false_negative", "d2", "trump", "sanctions", "none", "oppose", "G4"],
        ["false_negative", "d3", "merz", "sanctions", "none", "neutral", "G6"],
    ]


def test_evaluate_confusion_pairs_stances_on_one_key():
    gold = pd.DataFrame({"doc_id": ["d"] * 2, "actor": ["x"] * 2, "target": ["t"] * 2, "stance": ["support", "oppose"]})
    pred = pd.DataFrame({"doc_id": ["d"], "actor": ["x"], "target": ["t"], "stance": ["oppose"]})
    result = evaluate_statements(pred, gold)
    assert result["summary"].iloc[0][["tp", "fp", "fn"]].tolist() == [1, 0, 1]
    c = result["confusion"]
    assert c.loc["oppose", "oppose"] == 1 and c.loc["support", "none"] == 1 and c.values.sum() == 2
    assert result["errors"][["error", "predicted", "gold"]].values.tolist() == [["false_negative", "oppose", "support"]]


def test_evaluate_sentence_level_documents_filter_and_key_types():
    pred = predicted_fixture()
    gold = pred.iloc[[0, 2, 3]].assign(stance=["oppose", "support", "support"])
    gold["doc_id"] = gold["doc_id"].astype(object)
    result = evaluate_statements(pred, gold, level="sentence")
    # tp: d1/1 meloni, d2/1 starmer; fp: d1/2, d1/3 (wrong stance), d2/4, d3/0; fn: d1/3 support
    assert result["summary"].iloc[0][["level", "tp", "fp", "fn"]].tolist() == ["sentence", 2, 4, 1]
    assert result["errors"].columns.tolist() == ["error", "doc_id", "sent_id", "actor", "target", "predicted", "gold", "evidence"]
    only_d1 = evaluate_statements(pred, gold, level="sentence", documents=["d1"])
    assert only_d1["summary"].iloc[0][["tp", "fp", "fn"]].tolist() == [1, 2, 1]
    # doc ids given as numbers on one side still match strings on the other
    numeric = pd.DataFrame({"doc_id": [17], "actor": ["x"], "target": ["t"], "stance": ["support"]})
    assert evaluate_statements(numeric, numeric.assign(doc_id="17"))["summary"].iloc[0]["tp"] == 1
    with pytest.raises(ValueError, match="level must be 'document' or 'sentence'"):
        evaluate_statements(pred, gold, level="article")
    with pytest.raises(ValueError, match=r"gold is missing column\(s\) \['sent_id'\]"):
        evaluate_statements(pred, gold_fixture(), level="sentence")


def test_evaluate_restricted_to_stances():
    pred = predicted_fixture()
    pred.loc[len(pred)] = ["d3", 5, "merz", "sanctions", "neutral", "P-d3-5"]
    everything = evaluate_statements(pred, gold_fixture())
    assert everything["summary"].iloc[0][["tp", "fp", "fn"]].tolist() == [4, 2, 2]
    polar = evaluate_statements(pred, gold_fixture(), stances=["Support", "oppose"])
    # merz/neutral leaves both sides: tp 3, fp 2, fn 2
    assert polar["summary"].iloc[0][["tp", "fp", "fn"]].tolist() == [3, 2, 2]
    assert polar["by_stance"]["stance"].tolist() == ["oppose", "support"]


def test_evaluate_ignores_none_rows_and_handles_empty():
    gold = gold_fixture()
    with_none = pd.concat([gold, gold.iloc[[0]].assign(actor="tusk", stance="none")])
    a = evaluate_statements(predicted_fixture(), gold)
    b = evaluate_statements(predicted_fixture(), with_none)
    pd.testing.assert_frame_equal(a["summary"], b["summary"])
    empty = evaluate_statements(predicted_fixture().iloc[:0], gold.iloc[:0])
    assert empty["summary"].iloc[0][["tp", "fp", "fn", "precision", "recall", "f1"]].tolist() == [0, 0, 0, 0.0, 0.0, 0.0]
    assert empty["confusion"].values.sum() == 0 and empty["errors"].empty and empty["by_target"].empty


# -- training rows -----------------------------------------------------------------------------


def test_training_frame_and_retraining_on_coded_statements(tmp_path):
    path = tmp_path / "coded.csv"
    path.write_bytes(EXCEL_SHEET.encode("utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        coded = read_coding_sheet(path)
    rows = training_frame(coded)
    assert rows.columns.tolist() == ["text", "target", "actor", "stance"]
    assert rows.values.tolist() == [
        ["Macron backs a reassurance force, «with conditions».", "troops_to_ukraine", "macron", "support"],
        ["Meloni ruled out sending Italian troops.", "troops_to_ukraine", "meloni", "neutral"],
        ["Tajani said Italy would not send soldiers.", "troops_to_ukraine", "tajani", "oppose"],
    ]
    model = StanceClassifier().fit(rows[["text", "target", "actor"]], rows["stance"])
    assert model.predict(rows).tolist() == rows["stance"].tolist()
    with pytest.raises(ValueError, match=r"coded_statements has no evidence in row\(s\) 1"):
        training_frame(coded.assign(evidence=["x", " ", "y"]))


# -- DNA export (diplomacy_lab.statements.dna) ------------------------------------------------------------

from diplomacy_lab.statements.dna import DNA_COLUMNS, to_dna  # noqa: E402


def dna_statements() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["d2", "d1", "d1", "d1", "d3"],
        "outlet": ["ANSA", "Le Monde", "Le Monde", "Le Monde", "Politico"],
        "date": ["2025-03-02", "2025-03-01", "2025-03-01", "2025-03-01", "2025-03-02T00:30:00+01:00"],
        "sent_id": [4, 7, 2, 2, 0],
        "start": [120, 300, 50, 50, 0],
        "end": [160, 345, 90, 90, 30],
        "actor": ["meloni", "macron", "starmer", "france", "nato"],
        "actor_country": ["Italy", "France", "United Kingdom", "France", "NATO"],
        "target": ["troops_to_ukraine", "troops_to_ukraine", "troops_to_ukraine", "sanctions_on_russia",
                   "troops_to_ukraine"],
        "stance": ["oppose", "support", "neutral", "Support", "oppose"],
        "evidence": ["Meloni ruled out sending Italian troops.", 'Macron, "ready", said so.', "Starmer met Macron.",
                     "France backs new sanctions.", "NATO: no mission."],
    })


DNA_ACTORS = pd.DataFrame({
    "actor": ["meloni", "macron", "starmer", "france", "nato"],
    "name": ["Giorgia Meloni", "Emmanuel Macron", "Keir Starmer", "Government of France", "NATO"],
    "country": ["Italy", "France", "United Kingdom", "France", "NATO"],
    "kind": ["person", None, "person", "government", "organisation"],  # None: person, as in the codebook
})
CONCEPTS = {"troops_to_ukraine": "Sending troops to Ukraine", "sanctions_on_russia": "Sanctions on Russia"}


def test_to_dna_exact_csv(tmp_path):
    path = tmp_path / "dna" / "statements.csv"
    table = to_dna(dna_statements(), path, actors=DNA_ACTORS, concepts=CONCEPTS)
    assert path.read_bytes() == (
        "person,organization,concept,agreement,text,document,date,source,coder,start,stop\n"
        ",France,Sanctions on Russia,1,France backs new sanctions.,d1,2025-03-01,Le Monde,diplomacy_lab,50,90\n"
        'Emmanuel Macron,France,Sending troops to Ukraine,1,"Macron, ""ready"", said so.",d1,2025-03-01,Le Monde,'
        "diplomacy_lab,300,345\n"
        "Giorgia Meloni,Italy,Sending troops to Ukraine,0,Meloni ruled out sending Italian troops.,d2,2025-03-02,ANSA,"
        "diplomacy_lab,120,160\n"
        ",NATO,Sending troops to Ukraine,0,NATO: no mission.,d3,2025-03-02,Politico,diplomacy_lab,0,30\n"
    ).encode("utf-8")
    assert table.columns.tolist() == DNA_COLUMNS
    assert str(table["agreement"].dtype) == "Int64"
    assert table.attrs["neutral_excluded"] == 1


def test_to_dna_without_actors_and_with_neutral(tmp_path):
    st = dna_statements().drop(columns=["start", "end"])
    st["date"] = pd.to_datetime(st["date"].str[:10])
    table = to_dna(st, include_neutral=True, coder="anna")
    assert table[["person", "organization", "concept", "agreement"]].astype(object).values.tolist() == [
        ["starmer", "United Kingdom", "troops_to_ukraine", pd.NA],
        ["france", "France", "sanctions_on_russia", 1],
        ["macron", "France", "troops_to_ukraine", 1],
        ["meloni", "Italy", "troops_to_ukraine", 0],
        ["nato", "NATO", "troops_to_ukraine", 0],
    ]
    assert table["date"].tolist() == ["2025-03-01"] * 3 + ["2025-03-02"] * 2
    assert table["coder"].eq("anna").all() and table["start"].isna().all() and table["stop"].isna().all()
    assert table.attrs["neutral_excluded"] == 0
    to_dna(st, tmp_path / "n.csv", include_neutral=True)
    assert (tmp_path / "n.csv").read_text(encoding="utf-8").splitlines()[1] == (
        "starmer,United Kingdom,troops_to_ukraine,,Starmer met Macron.,d1,2025-03-01,Le Monde,diplomacy_lab,,"
    )


@pytest.mark.parametrize(
    "change, kwargs, message",
    [
        (lambda s: s.assign(stance=["oppose", "none", "x", "support", "support"]), {},
         r"statements has stance\(s\) \['none', 'x'\]; to_dna knows support, oppose and neutral"),
        (lambda s: s, {"actors": DNA_ACTORS.iloc[:3]}, r"actors has no row for actor\(s\) \['france', 'nato'\]"),
        (lambda s: s, {"actors": DNA_ACTORS.assign(kind="ministry")}, r"actors has unknown kind\(s\) \['ministry'\]"),
        (lambda s: s, {"concepts": {"troops_to_ukraine": "Troops"}},
         r"concepts has no label for target\(s\) \['sanctions_on_russia'\]"),
        (lambda s: s.assign(date=["2025-03-02", "soon", "", None, "2025-03-02"]), {},
         r"dates to_dna cannot read in row\(s\) \[1\]"),
        (lambda s: s.drop(columns="evidence"), {}, r"statements is missing column\(s\) \['evidence'\]"),
    ],
)
def test_to_dna_errors(change, kwargs, message):
    with pytest.raises(ValueError, match=message):
        to_dna(change(dna_statements()), **kwargs)
