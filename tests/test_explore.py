"""The evidence browser's logic without a browser: filter state -> table, button -> coding sheet on disk,
matrix cell and timeline point -> filters, marks and article context."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from diplomacy_lab import Study, load_corpus
from diplomacy_lab.explore.browser import browse
from diplomacy_lab.explore.corrections import CodingSession
from diplomacy_lab.explore.highlight import article_context, highlight_evidence, mark_spans
from diplomacy_lab.explore.selection import Selection, select_statements
from diplomacy_lab.paths import data_dir, seed_corpus_dir
from diplomacy_lab.statements.coding import export_coding_sheet, read_coding_sheet
from diplomacy_lab.statements.evaluation import evaluate_statements

CODEBOOK = data_dir() / "codebooks" / "ukraine_2025.yaml"


@pytest.fixture(scope="module")
def study() -> Study:
    return Study(load_corpus(seed_corpus_dir()), CODEBOOK)


def small() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["a", "a", "b", "c"], "sent_id": [1, 2, 0, 3], "outlet": ["Wire", "Wire", "Blog", "Site"],
        "actor": ["meloni", "italy", "meloni", "macron"], "target": "troops",
        "stance": ["oppose", "oppose", "oppose", "support"], "confidence": [0.9, 0.4, 0.8, float("nan")],
        "cue": ["rules out", "no", "never", "ready"], "evidence": ["Meloni rules out troops.", "Italy says no.",
                                                                    "Never, Meloni said.", "Macron is ready."],
        "date": pd.to_datetime(["2025-03-28", "2025-03-28", "2025-03-01", None]),
        "date_precision": ["day", "day", "month", "unknown"]})


def read_gold(path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # rows not yet coded are left out, with a warning
        return read_coding_sheet(path)


# -- selection ---------------------------------------------------------------------------------------


def test_selection_filters_each_column_and_combines():
    st = small()
    assert select_statements(st, Selection(outlet="Wire"))["sent_id"].tolist() == [1, 2]
    assert select_statements(st, actor="meloni", stance="oppose")["doc_id"].tolist() == ["a", "b"]
    assert select_statements(st, Selection(min_confidence=0.5))["doc_id"].tolist() == ["a", "b"]  # no confidence: out
    assert select_statements(st, Selection(stance="neutral")).empty


def test_a_date_range_counts_a_date_at_its_precision():
    st = small()
    # 'b' is March 2025 (month precision): it may fall after the 15th, so a range from the 15th keeps it.
    assert select_statements(st, start="2025-03-15", end="2025-03-20", include_undated=False)["doc_id"].tolist() == ["b"]
    assert select_statements(st, start="2025-03-15")["doc_id"].tolist() == ["a", "a", "b", "c"]  # undated kept
    assert select_statements(st, start="2025-04-01", include_undated=False).empty
    with pytest.raises(ValueError, match="ends .* before it starts"):
        select_statements(st, start="2025-04-01", end="2025-03-01")
    with pytest.raises(TypeError, match="unknown filter"):
        select_statements(st, speaker="x")


def test_coded_filter_needs_the_decided_ids():
    st = small()
    assert select_statements(st, Selection(coded=True), coded_ids={"a:1:meloni:troops"})["sent_id"].tolist() == [1]
    assert len(select_statements(st, Selection(coded=False), coded_ids={"a:1:meloni:troops"})) == 3
    with pytest.raises(ValueError, match="coded_ids"):
        select_statements(st, Selection(coded=True))


# -- marks and context ---------------------------------------------------------------------------------


def test_marks_split_where_actor_and_target_overlap_and_text_is_escaped():
    out = mark_spans("Trump's <plan> works", [(0, 14, "target"), (0, 5, "actor"), (15, 20, "cue")])
    assert out.startswith('<mark class="dl-actor dl-target"')
    assert "&lt;plan&gt;" in out and out.count("<mark") == 3
    with pytest.raises(ValueError, match="unknown mark kind"):
        mark_spans("x", [(0, 1, "verb")])


def test_seed_evidence_marks_actor_target_and_cue(study):
    st = study.statements
    row = st[(st["actor"] == "meloni") & (st["target"] == "troops_to_ukraine")].iloc[0].to_dict()
    marked = highlight_evidence(row, study.mentions)
    assert 'class="dl-actor"' in marked and 'class="dl-target"' in marked and "dl-cue" in marked
    text = study.articles.set_index("doc_id").loc[row["doc_id"], "text"]
    context = article_context(text, int(row["start"]), int(row["end"]), chars=200)
    assert f"<b>{row['evidence'][:20]}" in context.replace("&#x27;", "'") and len(context) > len(row["evidence"])
    with pytest.raises(ValueError, match="not inside the article"):
        article_context("short", 2, 50)


# -- corrections -------------------------------------------------------------------------------------------


def test_decisions_round_trip_through_read_coding_sheet(tmp_path):
    sheet = tmp_path / "sheet.csv"
    session = CodingSession(small(), sheet)
    session.accept("a:1:meloni:troops")
    session.reject("a:2:italy:troops", comment="Italy is not the holder")
    session.change("b:0:meloni:troops", "neutral")
    gold = read_gold(sheet)
    assert dict(zip(gold["statement_id"], gold["stance"])) == {"a:1:meloni:troops": "oppose",
                                                              "b:0:meloni:troops": "neutral"}  # 'none' is dropped
    assert gold.set_index("statement_id").loc["b:0:meloni:troops", "date_precision"] == "month"
    raw = pd.read_csv(sheet, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert raw.set_index("statement_id").loc["a:2:italy:troops", ["stance_gold", "comment"]].tolist() == [
        "none", "Italy is not the holder"]
    # The corrections feed evaluation: the predictions score against them.
    scores = evaluate_statements(small(), gold, documents=["a", "b"])["summary"].iloc[0]
    assert 0 < scores["precision"] < 1
    session.undo("b:0:meloni:troops")
    assert "b:0:meloni:troops" not in set(read_gold(sheet)["statement_id"])


def test_a_session_continues_an_existing_sheet_and_loses_no_row(tmp_path):
    sheet = tmp_path / "sheet.csv"
    exported = export_coding_sheet(small(), sheet)
    text = sheet.read_text(encoding="utf-8-sig").replace(",Meloni rules out troops.,,", ",Meloni rules out troops.,Oppose,")
    text += ",z,,,,,tajani,troops,,,,Tajani said no.,oppose,missed\n"  # a row the coder added
    sheet.write_text(text, encoding="utf-8-sig")
    session = CodingSession(small().iloc[:2], sheet)  # the browser shows two statements only
    assert session.status("a:1:meloni:troops") == "accepted"
    session.change("a:2:italy:troops", "support")
    table = pd.read_csv(sheet, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(table) == len(exported) + 1
    assert set(table["statement_id"]) >= set(exported["statement_id"])
    assert table.loc[table["actor"] == "tajani", "comment"].tolist() == ["missed"]
    with pytest.raises(ValueError, match="label must be one of"):
        session.decide("a:1:meloni:troops", "maybe")
    with pytest.raises(KeyError, match="no statement"):
        session.accept("x:1:y:z")


# -- the widget, driven without a browser ----------------------------------------------------------------------


def test_filter_widgets_change_the_table(study):
    browser = browse(study)
    assert len(browser.rows) == len(study.statements) == 70
    browser.filters["outlet"].value = "Opinion blog (At a Glance)"
    assert set(browser.rows["outlet"]) == {"Opinion blog (At a Glance)"} and 0 < len(browser.rows) < 70
    browser.filters["stance"].value = "support"
    assert set(browser.rows["stance"]) == {"support"}
    browser.confidence.value = 0.95
    assert (browser.rows["confidence"] >= 0.95).all()
    browser.select()
    assert len(browser.rows) == 70 and browser.selection == Selection()
    browser.months.index = (0, 0)  # March 2025 only
    assert set(browser.rows["doc_id"]) == {"boycott-videoconf", "paris-us-role", "italy-says-no", "rejects-coalition"}
    with pytest.raises(ValueError, match="not in these statements"):
        browser.select(actor="nobody")


def test_matrix_cell_and_timeline_point_filter_the_browser(study):
    browser = browse(study)
    browser.matrix.buttons[("meloni", "troops_to_ukraine")].click()
    assert set(zip(browser.rows["actor"], browser.rows["target"])) == {("meloni", "troops_to_ukraine")}
    assert browser.rows["doc_id"].nunique() == 5
    browser.timeline.buttons[("meloni", "troops_to_ukraine", "2026-01")].click()
    assert set(browser.rows["doc_id"]) == {"dialogue-jan2026"}
    assert browser.selection.describe() == "actor = meloni, target = troops_to_ukraine, from 2026-01-01, to 2026-01-31"


def test_buttons_write_the_sheet_on_disk(study, tmp_path):
    sheet = tmp_path / "corrections.csv"
    browser = browse(study, sheet=sheet, page_size=3)
    browser.select(actor="meloni", target="troops_to_ukraine")
    first, second = browser.views[0], browser.views[1]
    first.accept.click()
    second.change.value = "support"
    gold = read_gold(sheet).set_index("statement_id")
    assert gold.loc[first.statement_id, "stance"] == "oppose" and gold.loc[second.statement_id, "stance"] == "support"
    assert "accepted" in first.text.value and "changed to support" in second.text.value
    assert second.change.value == ""  # the menu is ready for the next correction
    browser.views[2].reject.click()
    assert browser.views[2].statement_id not in set(read_gold(sheet)["statement_id"])
    browser.filters["coded"].value = "no"
    assert len(browser.rows) == 8 - 3
    assert repr(browser).startswith("EvidenceBrowser(5 of 70 statements shown")


def test_pages_and_context(study):
    browser = browse(study, page_size=8)
    assert [v.statement_id is not None for v in browser.views] == [True] * 8
    browser.turn(+100)
    last = len(browser.rows) - 8 * (-(-len(browser.rows) // 8) - 1)
    assert sum(v.statement_id is not None for v in browser.views) == last and browser.next.disabled
    view = browser.views[0]
    view.show.value = True
    assert 'class="dl-kwic"' in view.context.value and "<b>" in view.context.value
    bare = browse(study.statements)  # no articles, no codebook: the cue is still marked, context says why not
    bare.views[0].show.value = True
    assert "pass the articles" in bare.views[0].context.value
    with pytest.raises(TypeError, match="statements table or a Study"):
        browse("statements.csv")
