"""PolNeAR reader on a tiny brat fixture, and evaluation on hand-computed cases."""
import pandas as pd
import pytest

from diplomacy_lab.attribution import (
    annotator_agreement,
    attribution_errors,
    evaluate_attributions,
    plot_attribution_scores,
    read_polnear,
    read_polnear_annotators,
)
from diplomacy_lab.attribution.polnear import ENV_VAR, parse_ann, polnear_dir

TEXT = "Ann Lee said that taxes rise.\nIt was reported that “talks\nfailed,” the aide added."


def _fixture(root, ann_files, text=TEXT):
    d = root / "polnear" / "data" / "dev"
    (d / "text").mkdir(parents=True)
    (d / "attributions").mkdir()
    (d / "text" / "doc_a.txt").write_text(text, encoding="utf-8")
    for name, body in ann_files.items():
        (d / "attributions" / name).write_text(body, encoding="utf-8")
    return root


ANN_B = (
    "T1\tSource 0 7\tAnn Lee\n"
    "T2\tCue 8 12\tsaid\n"
    "T3\tContent 18 28\ttaxes rise\n"
    "T4\tAttribution 8 12\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tCue 37 45\treported\n"
    "T6\tContent 51 57;58 66\t“talks\nfailed,”\n"   # discontinuous, text with a line break
    "T7\tSource 67 75\tthe aide\n"
    "T8\tCue 76 81\tadded\n"
    "E2\tAttribution-no-source:T5 Cue:T5 Content:T6\n"
    "E3\tAttribution:T8 Source:T7 Cue:T8\n"
)
ANN_A = "T1\tCue 8 12\tsaid\nE1\tAttribution:T1 Cue:T1\n"


def test_reader_spans_discontinuous_and_first_annotator(tmp_path):
    root = _fixture(tmp_path, {"doc_a_zz9.ann": ANN_A, "doc_a_ab1.ann": ANN_B})
    articles, attrs = read_polnear("dev", root=root)
    assert articles.loc[0, "annotator"] == "ab1"          # first in sorted order
    assert articles.loc[0, "annotators"] == ["ab1", "zz9"]
    assert TEXT[76:81] == "added" and TEXT[67:75] == "the aide"
    assert list(attrs["attribution_id"]) == ["E1", "E2", "E3"]
    e2 = attrs.set_index("attribution_id").loc["E2"]
    assert e2["content_spans"] == [(51, 57), (58, 66)]
    assert (e2["content_start"], e2["content_end"]) == (51, 66)
    assert e2["content_text"] == "“talks failed,”"
    assert e2["source_start"] == -1 and e2["source_spans"] == [] and e2["source_text"] == ""
    e1 = attrs.set_index("attribution_id").loc["E1"]
    assert (e1["source_text"], e1["cue_text"], e1["content_text"]) == ("Ann Lee", "said", "taxes rise")


def test_all_annotators_and_their_agreement(tmp_path):
    root = _fixture(tmp_path, {"doc_a_zz9.ann": ANN_A, "doc_a_ab1.ann": ANN_B})
    articles, coded = read_polnear_annotators("dev", root=root)
    assert articles["doc_id"].tolist() == ["doc_a"]
    assert coded.groupby("annotator").size().to_dict() == {"ab1": 3, "zz9": 1}
    with pytest.raises(ValueError, match="annotators must be"):
        read_polnear("dev", root=root, annotators="second")
    table = annotator_agreement(coded, articles, n_boot=0).set_index("metric")
    # ab1 (3 attributions) vs zz9 (1): the one "said" cue is shared -> P 1/3, R 1/1
    assert table.loc["cue", ["precision", "recall"]].round(3).tolist() == [0.333, 1.0]
    assert table.loc["cue", "n_pairs"] == 1
    # zz9 gave no source for "said", ab1 gave "Ann Lee": no source credit
    assert table.loc["source_overlap", "recall"] == 0.0


def test_agreement_needs_two_annotators(tmp_path):
    root = _fixture(tmp_path, {"doc_a_ab1.ann": ANN_B})
    articles, coded = read_polnear_annotators("dev", root=root)
    assert articles.empty and coded.empty
    _, single = read_polnear("dev", root=root)
    with pytest.raises(ValueError, match="two or more annotators"):
        annotator_agreement(single.assign(annotator="ab1"), articles)


def test_reader_errors_name_file_and_line(tmp_path):
    root = _fixture(tmp_path, {"doc_a_x.ann": "T1\tCue 8 x12\tsaid\n"})
    with pytest.raises(ValueError, match=r"doc_a_x\.ann:1: bad offsets"):
        read_polnear("dev", root=root)
    bad = tmp_path / "b.ann"
    bad.write_text("T1\tCue 8 12\tsaid\nE1\tAttribution:T1 Cue:T9\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"b\.ann:2: E1 refers to unknown span 'T9'"):
        parse_ann(bad)
    bad.write_text("garbage line\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"b\.ann:1: not a brat annotation line"):
        parse_ann(bad)


def test_missing_data_folder_names_path_and_env_var(tmp_path):
    with pytest.raises(FileNotFoundError, match=ENV_VAR) as err:
        polnear_dir(tmp_path / "nowhere")
    assert "nowhere" in str(err.value)


def _table(rows):
    return pd.DataFrame(rows, columns=["doc_id", "source_spans", "cue_spans", "content_spans"])


def test_evaluation_cue_match_by_word_overlap_and_source_exact_vs_overlap():
    text = "Ann Lee told reporters on Monday that the plan works."
    texts = pd.DataFrame({"doc_id": ["d"], "text": [text]})
    gold = _table([["d", [(0, 7)], [(8, 22)], [(38, 52)]]])       # cue "told reporters"
    pred = _table([["d", [(4, 7)], [(8, 12)], [(42, 52)]],        # cue "told": shares a word
                   ["d", [], [(26, 32)], []]])                    # spurious cue "Monday"
    s = evaluate_attributions(pred, gold, texts, n_boot=0).set_index("metric")
    assert s.loc["cue", "precision"] == 0.5 and s.loc["cue", "recall"] == 1.0
    assert s.loc["source_overlap", "recall"] == 1.0               # "Lee" overlaps "Ann Lee"
    assert s.loc["source_exact", "recall"] == 0.0                 # but is not exact
    # content: gold "the plan works" (3 words), predicted "plan works" (2)
    assert s.loc["content_words", "precision"] == 1.0
    assert s.loc["content_words", "recall"] == pytest.approx(2 / 3)


def test_evaluation_one_to_one_by_outlet_and_bootstrap():
    texts = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["x", "y"],
                          "text": ["Bo said yes and Al said no.", "Cy said maybe."]})
    gold = _table([["a", [(0, 2)], [(3, 7)], [(8, 11)]], ["a", [(16, 18)], [(19, 23)], [(24, 26)]],
                   ["b", [(0, 2)], [(3, 7)], [(8, 13)]]])
    pred = _table([["a", [(0, 2)], [(3, 7)], [(8, 11)]], ["a", [], [(3, 7)], []]])  # duplicate cue
    s = evaluate_attributions(pred, gold, texts, by="outlet", n_boot=200)
    cue = s[s.metric == "cue"].set_index("group")
    assert cue.loc["all", "precision"] == 0.5 and cue.loc["all", "recall"] == pytest.approx(1 / 3)
    assert cue.loc["x", "recall"] == 0.5 and cue.loc["y", "recall"] == 0.0
    assert cue.loc["all", "f1_low"] <= cue.loc["all", "f1"] <= cue.loc["all", "f1_high"]
    again = evaluate_attributions(pred, gold, texts, by="outlet", n_boot=200)
    pd.testing.assert_frame_equal(s, again)                       # fixed seed


def test_empty_source_both_sides_counts_as_correct():
    texts = pd.DataFrame({"doc_id": ["d"], "text": ["It was reported that talks failed."]})
    gold = _table([["d", [], [(7, 15)], [(21, 33)]]])
    s = evaluate_attributions(gold, gold, texts, n_boot=0).set_index("metric")
    assert s.loc["source_exact", "f1"] == 1.0 and s.loc["content_words", "f1"] == 1.0


def test_error_table_agrees_with_the_scores():
    texts = pd.DataFrame({"doc_id": ["d", "e"], "outlet": ["x", "y"],
                          "text": ["Bo said we win. Al said no.", "Kim told us “go.” It rained."]})
    gold = _table([("d", [(0, 2)], [(3, 7)], [(8, 14)]), ("d", [(16, 18)], [(19, 23)], [(24, 26)]),
                   ("e", [(0, 3)], [(4, 8)], [(12, 16)])])
    pred = _table([("d", [(8, 10)], [(3, 7)], [(11, 14)]), ("e", [(0, 3)], [(4, 8)], [(12, 16)]),
                   ("e", [], [(18, 20)], [(21, 27)])])
    errors = attribution_errors(pred, gold, texts)
    assert errors["error"].value_counts().to_dict() == {"wrong source": 1, "missed": 1, "right source": 1,
                                                        "spurious": 1}
    assert set(errors["outlet"]) == {"x", "y"}
    scores = evaluate_attributions(pred, gold, texts, n_boot=0).set_index("metric")
    matched = errors["error"].isin(["wrong source", "right source"]).sum()
    assert scores.loc["cue", "recall"] == matched / len(gold)
    assert scores.loc["source_overlap", "recall"] == (errors["error"] == "right source").sum() / len(gold)
    assert errors.loc[errors["error"] == "missed", "context"].item() == "Bo said we win. Al [said] no."


def test_score_chart_needs_one_row_per_system_and_metric():
    table = pd.DataFrame({"system": ["a", "a"], "metric": ["cue", "cue"], "f1": [0.5, 0.6],
                          "f1_low": [0.4, 0.5], "f1_high": [0.6, 0.7]})
    with pytest.raises(ValueError, match="one row per system and metric"):
        plot_attribution_scores(table)
    with pytest.raises(ValueError, match="empty"):
        plot_attribution_scores(table.iloc[:0])
    fig = plot_attribution_scores(table.iloc[:1].assign(system="model"), title="T")
    assert fig.texts[0].get_text() == "T"
