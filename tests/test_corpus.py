"""Tests for diplomacy_lab.loading.corpus.load_corpus: formats, mapping, ids, manifests, the load report."""

from __future__ import annotations

import json
import os
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from diplomacy_lab.cli import corpus_report
from diplomacy_lab.loading.corpus import (
    ARTICLE_COLUMNS,
    REPORT_COLUMNS,
    CorpusLoadError,
    load_corpus,
    load_report,
)
from diplomacy_lab.paths import shared_data_dir

ROME = "Italian Prime Minister Giorgia Meloni spoke in Rome on Thursday. She ruled out sending troops to Ukraine."
PARIS = "French President Emmanuel Macron hosted thirty leaders in Paris. They discussed a reassurance force."
KYIV = "Ukrainian President Volodymyr Zelensky thanked his allies. He asked for air defence systems."


def load(*args, **kwargs) -> pd.DataFrame:
    """load_corpus without its 'skipped N inputs' warning (pinned in its own test)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return load_corpus(*args, **kwargs)


def inputs_of(articles: pd.DataFrame) -> int:
    """The number of inputs (files or rows) load_corpus says it read."""
    return corpus_report(articles)["inputs"]


def report_of(articles: pd.DataFrame, action: str | None = None) -> dict[str, str]:
    """source -> reason of the report rows (optionally only those with ``action``)."""
    report = load_report(articles)
    if action is not None:
        report = report[report["action"] == action]
    return dict(zip(report["source"], report["reason"]))


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- the articles table --------------------------------------------------------------------


def test_columns_are_article_columns_then_extras_in_input_order(tmp_path):
    frame = pd.DataFrame({"section": ["world"], "text": [ROME], "author": ["Rossi"], "date": ["2025-03-13"]})
    articles = load(frame)
    assert articles.columns.tolist() == ARTICLE_COLUMNS + ["section", "author"]
    assert articles.loc[0, "section"] == "world" and articles.loc[0, "author"] == "Rossi"


def test_txt_folder_title_is_first_line_and_markdown_hash_removed(tmp_path):
    write(tmp_path / "a.txt", "\nMeloni rules out troops\n\n" + ROME)
    write(tmp_path / "b.md", "# Macron hosts summit\n\n" + PARIS)
    write(tmp_path / "c.txt", "© Getty Images\nZelensky thanks allies\n" + KYIV)
    articles = load(tmp_path)
    assert articles["source"].tolist() == ["a.txt", "b.md", "c.txt"]
    assert articles["doc_id"].tolist() == ["a", "b", "c"]
    assert articles["title"].tolist() == ["Meloni rules out troops", "Macron hosts summit", "Zelensky thanks allies"]
    assert articles.loc[0, "text"] == "\nMeloni rules out troops\n\n" + ROME
    assert articles["lang"].tolist() == ["en", "en", "en"]


def test_default_lang_fills_missing_language():
    articles = load(pd.DataFrame({"text": [ROME, PARIS], "language": ["it", None]}), default_lang="fr")
    assert articles["lang"].tolist() == ["it", "fr"]


def test_folder_of_json_articles_with_text_mapping(tmp_path):
    write(tmp_path / "x1.json", json.dumps({"ID": "x1", "source": "ANSA", "content_original": ROME, "date": "2025-03-13"}))
    write(tmp_path / "x2.json", json.dumps({"ID": "x2", "source": "Le Monde", "content_original": PARIS, "date": "2025-03-27"}))
    articles = load(tmp_path, text="content_original")
    assert articles["doc_id"].tolist() == ["x1", "x2"]
    assert articles["outlet"].tolist() == ["ANSA", "Le Monde"]
    assert articles["text"].tolist() == [ROME, PARIS]
    assert "source_input" not in articles.columns  # `source` was used as the outlet


def test_json_list_file_rows_and_non_object_item_reported(tmp_path):
    write(tmp_path / "list.json", json.dumps([{"text": ROME}, {"text": PARIS}, 3]))
    articles = load(tmp_path / "list.json")
    assert articles["source"].tolist() == ["list.json:1", "list.json:2"]
    assert articles["doc_id"].tolist() == ["list-1", "list-2"]
    assert report_of(articles, "skipped") == {"list.json:3": "malformed_json"}


def test_jsonl_bad_line_reported_with_line_number(tmp_path):
    lines = [json.dumps({"id": "j1", "content": ROME}), "", "{bad json", json.dumps({"id": "j4", "content": PARIS})]
    write(tmp_path / "x.jsonl", "\n".join(lines) + "\n")
    articles = load(tmp_path / "x.jsonl")
    assert articles["doc_id"].tolist() == ["j1", "j4"]
    assert articles["source"].tolist() == ["x.jsonl:1", "x.jsonl:4"]
    assert report_of(articles, "skipped") == {"x.jsonl:3": "malformed_json"}
    assert inputs_of(articles) == 3


def test_cp1252_csv_with_cr_line_ends(tmp_path):
    """Like SemEval's files: cp1252 smart quotes and old-Mac CR-only line ends."""
    rows = [
        "id,text,date",
        "1,\"Meloni’s “no” to troops. Italy stays out.\",2025-03-13",
        "2,\"Macron’s summit drew 30 leaders. Talks go on.\",2025-03-27",
        "3,\"A third piece – short and plain.\",March 2025",
    ]
    write(tmp_path / "semeval.csv", ("\r".join(rows) + "\r").encode("cp1252"))
    articles = load(tmp_path / "semeval.csv")
    assert articles["doc_id"].tolist() == ["1", "2", "3"]
    assert articles["text"].tolist() == [
        "Meloni’s “no” to troops. Italy stays out.",
        "Macron’s summit drew 30 leaders. Talks go on.",
        "A third piece – short and plain.",
    ]
    assert articles["date"].tolist() == [pd.Timestamp("2025-03-13"), pd.Timestamp("2025-03-27"), pd.Timestamp("2025-03-01")]
    assert articles["date_precision"].tolist() == ["day", "day", "month"]
    report = load_report(articles)
    assert report[["source", "level", "action", "reason"]].values.tolist() == [
        ["semeval.csv", "info", "kept", "fallback_encoding"]
    ]


def test_tsv_with_auto_detected_fields(tmp_path):
    write(tmp_path / "x.tsv", f"headline\tbody\tpublished\tlink\nRome talks\t{ROME}\t2025-03-13\thttps://ex.org/a\n")
    row = load(tmp_path / "x.tsv").iloc[0]
    assert (row["doc_id"], row["title"], row["text"], row["url"]) == ("x-1", "Rome talks", ROME, "https://ex.org/a")
    assert row["date"] == pd.Timestamp("2025-03-13")


def test_parquet_with_int_ids_and_datetime_dates(tmp_path):
    frame = pd.DataFrame(
        {
            "article_id": [10, 11],
            "full_text": [ROME, PARIS],
            "pub_date": pd.to_datetime(["2025-03-13", "2025-03-14"]),
            "site": ["ANSA", "RAI"],
        }
    )
    frame.to_parquet(tmp_path / "x.parquet")
    articles = load(tmp_path / "x.parquet")
    assert articles["doc_id"].tolist() == ["10", "11"]
    assert articles["outlet"].tolist() == ["ANSA", "RAI"]
    assert articles["date"].tolist() == [pd.Timestamp("2025-03-13"), pd.Timestamp("2025-03-14")]
    assert articles["date_precision"].tolist() == ["day", "day"]


HTML_PARAGRAPHS = [
    "Italian Prime Minister Giorgia Meloni said on Friday that Italy would not send soldiers to Ukraine "
    "as part of a European reassurance force, speaking after a summit of Ukraine's backers in Paris.",
    "She told reporters that any security guarantee for Kyiv had to involve the United States, and that a "
    "mission led by Britain and France alone risked dividing the Western alliance at a delicate moment.",
    "French President Emmanuel Macron, who hosted the meeting, said more than thirty countries had joined "
    "the discussion and that military planners would meet again in the coming weeks to work out details.",
]


def test_html_main_text_without_nav_and_footer(tmp_path):
    body = "".join(f"<p>{p}</p>\n" for p in HTML_PARAGRAPHS)
    html = (
        "<!DOCTYPE html><html><head><title>Meloni rules out troops for Ukraine</title></head><body>"
        '<nav><a href="/">Home</a> | <a href="/world">World news menu</a> | <a href="/sport">Sport section</a></nav>'
        f"<article><h1>Meloni rules out troops for Ukraine</h1>\n{body}</article>"
        "<footer>Copyright 2025 Example News. All rights reserved. Contact the newsroom.</footer></body></html>"
    )
    write(tmp_path / "page.html", html)
    articles = load(tmp_path / "page.html")
    assert len(articles) == 1
    text = articles.loc[0, "text"]
    assert all(p in text for p in HTML_PARAGRAPHS)
    assert "World news menu" not in text and "Copyright" not in text
    assert articles.loc[0, "title"] == "Meloni rules out troops for Ukraine"
    assert articles.loc[0, "source"] == "page.html"


def test_dataframe_source_names_rows(tmp_path):
    frame = pd.DataFrame({"text": [ROME, PARIS]}, index=[7, 9])
    articles = load(frame)
    assert articles["source"].tolist() == ["dataframe:1", "dataframe:2"]
    assert articles["doc_id"].tolist() == ["dataframe-1", "dataframe-2"]


def test_list_and_glob_of_sources(tmp_path):
    write(tmp_path / "a.txt", ROME)
    write(tmp_path / "b.txt", PARIS)
    write(tmp_path / "c.csv", f"text\n{KYIV}\n")
    from_list = load([tmp_path / "a.txt", tmp_path / "c.csv"])
    assert from_list["source"].tolist() == ["a.txt", "c.csv:1"]
    from_glob = load(str(tmp_path / "*.txt"))
    assert from_glob["text"].tolist() == [ROME, PARIS]


def test_bad_sources_raise(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        load_corpus(tmp_path / "nope")
    with pytest.raises(FileNotFoundError, match="matches no file"):
        load_corpus(str(tmp_path / "*.nothing"))
    with pytest.raises(ValueError, match="empty list"):
        load_corpus([])
    with pytest.raises(TypeError):
        load_corpus(42)
    with pytest.raises(ValueError, match="drop_duplicates"):
        load_corpus(pd.DataFrame({"text": [ROME]}), drop_duplicates="all")


# --- column mapping --------------------------------------------------------------------------


def test_mapping_to_missing_field_names_it_and_lists_available(tmp_path):
    write(tmp_path / "x.csv", f"body,when\n{ROME},2025-03-13\n")
    with pytest.raises(ValueError) as info:
        load_corpus(tmp_path / "x.csv", text="content")
    assert "text='content'" in str(info.value)
    assert "['body', 'when']" in str(info.value)


def test_text_field_auto_detected():
    for field in ("content", "body", "article_text", "maintext"):
        assert load(pd.DataFrame({field: [ROME]}))["text"].tolist() == [ROME], field


def test_explicit_mapping_of_every_field():
    frame = pd.DataFrame(
        {"key": ["k1"], "body_html": [ROME], "head": ["Rome"], "when": ["2025-03-13"], "paper": ["ANSA"],
         "addr": ["https://ex.org"], "tongue": ["it"]}
    )
    row = load(frame, id="key", text="body_html", title="head", date="when", outlet="paper", url="addr", lang="tongue").iloc[0]
    assert row[ARTICLE_COLUMNS].tolist() == [
        "k1", "ANSA", pd.Timestamp("2025-03-13"), "day", "Rome", ROME, "https://ex.org", "it", "dataframe:1"
    ]
    assert list(row.index) == ARTICLE_COLUMNS  # mapped fields are not repeated as extras


def test_user_source_column_kept_as_source_input_unless_it_is_the_outlet():
    articles = load(pd.DataFrame({"text": [ROME], "source": ["scrape-7"], "outlet": ["ANSA"]}))
    assert articles.loc[0, ["outlet", "source", "source_input"]].tolist() == ["ANSA", "dataframe:1", "scrape-7"]
    # with no outlet column, `source` is the first outlet candidate (as in Article Bias Prediction)
    articles = load(pd.DataFrame({"text": [ROME], "source": ["Reuters"]}))
    assert articles.loc[0, "outlet"] == "Reuters"
    assert "source_input" not in articles.columns


def test_mixed_folder_takes_each_articles_own_text_field(tmp_path):
    """Auto-detection works per article: .txt files and a CSV with a `body` column load together."""
    write(tmp_path / "a.txt", ROME)
    write(tmp_path / "b.csv", f"body,text_notes\n{PARIS},unused\n")
    articles = load(tmp_path)
    assert articles["text"].tolist() == [ROME, PARIS]
    assert report_of(articles, "skipped") == {}
    assert load(tmp_path, text="body")["text"].tolist() == [ROME, PARIS]


def test_candidate_field_that_gave_no_value_is_kept_as_a_column():
    articles = load(pd.DataFrame({"text": [ROME], "body": ["a summary"]}))
    assert articles["text"].tolist() == [ROME]
    assert articles["body"].tolist() == ["a summary"]


# --- dates through load_corpus -----------------------------------------------------------------


def test_dayfirst_and_date_format_and_timezone(tmp_path):
    frame = pd.DataFrame({"text": [ROME], "date": ["03/04/2025"]})
    assert load(frame)["date"].tolist() == [pd.Timestamp("2025-03-04")]
    assert load(frame, dayfirst=True)["date"].tolist() == [pd.Timestamp("2025-04-03")]
    dotted = pd.DataFrame({"text": [ROME], "date": ["13.03.2025"]})
    assert load(dotted, date_format="%d.%m.%Y")["date"].tolist() == [pd.Timestamp("2025-03-13")]
    aware = pd.DataFrame({"text": [ROME], "date": ["2025-03-13T23:30:00-02:00"]})
    assert load(aware)["date"].tolist() == [pd.Timestamp("2025-03-14 01:30:00")]


def test_date_precision_column_overrides_inferred():
    frame = pd.DataFrame({"text": [ROME, PARIS], "date": ["2025-03-13", "2025-03-27"], "date_precision": ["month", None]})
    articles = load(frame)
    assert articles["date_precision"].tolist() == ["month", "day"]
    assert "date_precision_input" not in articles.columns


def test_bad_date_precision_value_is_a_row_warning_and_raises_when_strict():
    # Issue 16: one bad value no longer abandons the corpus; strict=True still stops at it.
    frame = pd.DataFrame({"text": [ROME], "date": ["2025"], "date_precision": ["century"]})
    articles = load(frame)
    assert articles["date_precision"].tolist() == ["year"]
    assert load_report(articles)[["reason", "level"]].values.tolist() == [["bad_date_precision", "warning"]]
    with pytest.raises(ValueError, match="century"):
        load_corpus(frame, strict=True)


def test_unparseable_date_is_a_kept_warning_and_missing_date_an_info():
    frame = pd.DataFrame({"id": ["a", "b", "c"], "text": [ROME, PARIS, KYIV], "date": ["Thursday", None, "2025-13-01"]})
    articles = load(frame)
    assert articles["doc_id"].tolist() == ["a", "b", "c"]
    assert articles["date"].isna().tolist() == [True, True, True]
    assert articles["date_precision"].tolist() == ["unknown", "unknown", "unknown"]
    report = load_report(articles)
    assert report[["doc_id", "level", "action", "reason"]].values.tolist() == [
        ["a", "warning", "kept", "unparseable_date"],
        ["b", "info", "kept", "missing_date"],
        ["c", "warning", "kept", "unparseable_date"],
    ]


def test_unknown_precision_marks_a_missing_date_as_intended():
    articles = load(pd.DataFrame({"text": [ROME], "date": [None], "date_precision": ["unknown"]}))
    assert load_report(articles).empty


# --- ids -------------------------------------------------------------------------------------------


def test_generated_ids_unique_across_folders_with_same_file_names(tmp_path):
    write(tmp_path / "one" / "a.txt", ROME)
    write(tmp_path / "two" / "a.txt", PARIS)
    articles = load([tmp_path / "one", tmp_path / "two"])
    assert articles["doc_id"].tolist() == ["a", "a-2"]
    assert articles["text"].tolist() == [ROME, PARIS]


def test_rows_without_id_get_generated_ids_when_others_have_one():
    """A partly filled id column (e.g. a manifest that lists some files) must not leave ids missing."""
    articles = load(pd.DataFrame({"id": ["x", None, None], "text": [ROME, PARIS, KYIV]}))
    assert articles["doc_id"].tolist() == ["x", "dataframe-2", "dataframe-3"]
    assert load_report(articles, levels=("error",)).empty
    # a generated id steps aside for a given one
    articles = load(pd.DataFrame({"id": ["dataframe-2", None], "text": [ROME, PARIS]}))
    assert articles["doc_id"].tolist() == ["dataframe-2", "dataframe-2-2"]


def test_duplicate_given_id_skips_the_second():
    articles = load(pd.DataFrame({"id": ["a", "a"], "text": [ROME, PARIS]}))
    assert articles["text"].tolist() == [ROME]
    report = load_report(articles, levels=("error",))
    assert report[["source", "doc_id", "action", "reason"]].values.tolist() == [
        ["dataframe:2", "a", "skipped", "duplicate_id"]
    ]


# --- the load report: nothing lost silently -----------------------------------------------------


def _messy_folder(root: Path) -> Path:
    write(root / "good.txt", ROME)
    write(root / "notes.md", "# Summit\n\n" + PARIS)
    write(root / "empty.txt", "")
    write(root / "blank.txt", "  \n\n ")
    write(root / "scan.txt", b"%PDF-1.4\x00\x01\x02binary")
    write(root / "old.txt", "Draghi’s plan. Italy’s view of it.".encode("cp1252"))
    write(root / "bad.json", '{"text": "unterminated')
    write(root / "report.docx", b"PK\x03\x04zipdata")
    write(root / "sub" / "deep.txt", KYIV)
    write(root / ".hidden.txt", "hidden notes")
    write(
        root / "table.csv",
        "id,text,date\nc1,Row one text here.,2025-03-13\nc2,,2025-03-14\nc1,Row three has a reused id.,2025-03-15\n"
        "c4,Row four text here.,Thursday\n",
    )
    return root


def test_conservation_loaded_plus_skipped_equals_inputs(tmp_path):
    articles = load(_messy_folder(tmp_path))
    report = load_report(articles)
    skipped = report[report["action"] == "skipped"]
    inputs = 10 + 4  # ten files (the hidden one is reported as skipped) and four table rows
    assert inputs_of(articles) == inputs
    assert len(articles) + len(skipped) == inputs
    names = {s.partition(":")[0] for s in list(articles["source"]) + list(report["source"])}
    expected = {"good.txt", "notes.md", "empty.txt", "blank.txt", "scan.txt", "old.txt", "bad.json",
                "report.docx", "sub/deep.txt", "table.csv", ".hidden.txt"}
    assert names == expected


def test_messy_folder_reasons(tmp_path):
    articles = load(_messy_folder(tmp_path))
    assert report_of(articles, "skipped") == {
        "empty.txt": "empty",
        "blank.txt": "empty",
        "scan.txt": "binary",
        "bad.json": "malformed_json",
        "report.docx": "unsupported_format",
        "table.csv:2": "empty",
        "table.csv:3": "duplicate_id",
        ".hidden.txt": "hidden",
    }
    assert sorted(articles["source"]) == sorted(
        ["good.txt", "notes.md", "old.txt", "sub/deep.txt", "table.csv:1", "table.csv:4"]
    )
    report = load_report(articles)
    assert report.columns.tolist() == REPORT_COLUMNS
    assert (report.loc[report["action"] == "skipped", "fix"] != "").all()


def test_skipped_inputs_raise_a_user_warning(tmp_path):
    write(tmp_path / "a.txt", ROME)
    write(tmp_path / "b.txt", "")
    with pytest.warns(UserWarning, match=r"skipped 1 input\(s\) \(1 empty\)"):
        load_corpus(tmp_path)


def test_empty_file_of_any_format_is_reported_empty(tmp_path):
    names = ["e.txt", "e.md", "e.csv", "e.tsv", "e.html", "e.json", "e.jsonl"]
    for name in names:
        write(tmp_path / name, "")
    articles = load(tmp_path)
    assert len(articles) == 0
    assert report_of(articles, "skipped") == dict.fromkeys(names, "empty")


def test_table_without_rows_is_reported(tmp_path):
    write(tmp_path / "h.csv", "text,date\n")
    write(tmp_path / "e.json", "[]")
    articles = load(tmp_path)
    assert sorted(load_report(articles, levels=("error",))["source"]) == ["e.json", "h.csv"]


def test_table_without_text_column_accounts_for_every_row(tmp_path):
    articles = load(write(tmp_path / "nt.csv", "foo,bar\n1,2\n3,4\n5,6\n"))
    skipped = load_report(articles, levels=("error",))
    assert set(skipped["reason"]) == {"no_text_column"}
    assert len(articles) + len(skipped) == inputs_of(articles) == 3


def test_forced_wrong_encoding_is_undecodable(tmp_path):
    write(tmp_path / "old.txt", "Draghi’s plan.".encode("cp1252"))
    articles = load(tmp_path, encoding="utf-8")
    assert report_of(articles, "skipped") == {"old.txt": "undecodable"}


def test_load_report_level_filter(tmp_path):
    write(tmp_path / "a.txt", ROME)
    write(tmp_path / "b.txt", "")
    articles = load(tmp_path)
    assert load_report(articles)["reason"].tolist() == ["empty", "missing_date"]
    assert load_report(articles, levels=("error",))["reason"].tolist() == ["empty"]


# --- strict ----------------------------------------------------------------------------------------


def test_strict_raises_on_first_problem_naming_file_and_fix(tmp_path):
    write(tmp_path / "a.txt", ROME)
    write(tmp_path / "b.txt", "")
    with pytest.raises(CorpusLoadError) as info:
        load_corpus(tmp_path, strict=True)
    message = str(info.value)
    assert message.startswith("b.txt is empty")
    assert "[empty]" in message and "fix: give the article its text" in message
    assert info.value.problem.reason == "empty"


def test_strict_names_the_table_row_of_a_bad_date(tmp_path):
    write(tmp_path / "d.csv", f"text,date\n{ROME},2025-01-01\n{PARIS},Thursday\n")
    with pytest.raises(CorpusLoadError, match=r"^d\.csv:2: .*\[unparseable_date\] — fix: pass date_format"):
        load_corpus(tmp_path / "d.csv", strict=True)


def test_strict_ignores_info_remarks(tmp_path):
    write(tmp_path / "old.txt", "Draghi’s plan. Italy’s view of it.".encode("cp1252"))
    write(tmp_path / "copy.txt", "Draghi’s plan. Italy’s view of it.".encode("cp1252"))
    articles = load_corpus(tmp_path, strict=True)
    assert len(articles) == 2
    assert set(load_report(articles)["reason"]) == {"fallback_encoding", "missing_date", "exact_duplicate"}


# --- manifests -------------------------------------------------------------------------------------


def test_manifest_csv_metadata_joined_on_file(tmp_path):
    write(tmp_path / "a.txt", ROME)
    write(tmp_path / "sub" / "b.txt", PARIS)
    write(tmp_path / "manifest.csv", "file,doc_id,outlet,date,section\na.txt,rome,ANSA,2025-03-13,world\nsub/b.txt,paris,AFP,March 2025,\n")
    articles = load(tmp_path)
    assert articles[["doc_id", "outlet", "date_precision", "source"]].values.tolist() == [
        ["rome", "ANSA", "day", "a.txt"],
        ["paris", "AFP", "month", "sub/b.txt"],
    ]
    assert articles.columns.tolist() == ARTICLE_COLUMNS + ["section"]
    assert load_report(articles).empty


def test_manifest_jsonl(tmp_path):
    write(tmp_path / "a.txt", ROME)
    write(tmp_path / "manifest.jsonl", json.dumps({"file": "a.txt", "doc_id": "rome", "outlet": "ANSA", "date": "2025"}) + "\n")
    articles = load(tmp_path)
    assert articles[["doc_id", "outlet", "date", "date_precision"]].values.tolist() == [
        ["rome", "ANSA", pd.Timestamp("2025-01-01"), "year"]
    ]


def test_manifest_given_explicitly_from_outside_the_folder(tmp_path):
    write(tmp_path / "corpus" / "a.txt", ROME)
    meta = write(tmp_path / "meta.csv", "file,doc_id\na.txt,rome\n")
    assert load(tmp_path / "corpus", manifest=meta)["doc_id"].tolist() == ["rome"]


def test_manifest_without_file_column_raises(tmp_path):
    write(tmp_path / "a.txt", ROME)
    write(tmp_path / "manifest.csv", "name,doc_id\na.txt,rome\n")
    with pytest.raises(ValueError, match="no 'file' column"):
        load_corpus(tmp_path)


def test_manifest_entries_outside_corpus_refused_and_never_read(tmp_path):
    write(tmp_path / "secret.txt", "TOP SECRET outside text.")
    corpus = tmp_path / "corpus"
    write(corpus / "a.txt", ROME)
    write(corpus / "manifest.csv", f"file,doc_id\na.txt,rome\n../secret.txt,s1\n{tmp_path / 'secret.txt'},s2\n")
    articles = load(corpus)
    assert articles["doc_id"].tolist() == ["rome"]
    assert not articles["text"].str.contains("SECRET").any()
    assert report_of(articles, "skipped") == {
        "manifest.csv:../secret.txt": "outside_corpus",
        f"manifest.csv:{tmp_path / 'secret.txt'}": "outside_corpus",
    }


def test_symlink_inside_corpus_to_outside_file_is_not_read(tmp_path):
    write(tmp_path / "secret.txt", "TOP SECRET outside text.")
    corpus = tmp_path / "corpus"
    write(corpus / "a.txt", ROME)
    os.symlink(tmp_path / "secret.txt", corpus / "link.txt")
    write(corpus / "manifest.csv", "file,doc_id\na.txt,rome\nlink.txt,leak\n")
    articles = load(corpus)
    assert not articles["text"].str.contains("SECRET").any()
    # Refused twice over: as a manifest entry and as a file of the folder.
    assert report_of(articles, "skipped") == {"manifest.csv:link.txt": "outside_corpus", "link.txt": "outside_corpus"}


def test_manifest_missing_file_duplicate_entry_and_unlisted_file(tmp_path):
    write(tmp_path / "a.txt", ROME)
    write(tmp_path / "b.txt", PARIS)
    write(tmp_path / "manifest.csv", "file,doc_id,date\na.txt,rome,2025\nmissing.txt,m,2025\na.txt,again,2025\n")
    articles = load(tmp_path)
    report = load_report(articles)
    rows = report[report["reason"] != "missing_date"][["source", "level", "action", "reason"]].values.tolist()
    assert rows == [
        ["manifest.csv:missing.txt", "error", "skipped", "missing_file"],
        ["manifest.csv:a.txt", "warning", "kept", "duplicate_manifest_entry"],
        ["b.txt", "info", "kept", "not_in_manifest"],
    ]
    assert articles.loc[0, "doc_id"] == "rome"


# --- duplicates ------------------------------------------------------------------------------------

BASE = (
    "Italian Prime Minister Giorgia Meloni said on Thursday that Italy would not send troops to Ukraine. "
    "She told reporters in Rome that a European force was not the answer and that talks with Washington must come first."
)


def _dup_folder(root: Path) -> Path:
    write(root / "1.txt", BASE)
    write(root / "2.txt", BASE.upper().replace(".", "!"))  # exact copy once case and punctuation are ignored
    write(root / "3.txt", BASE.replace("come first.", "come earlier."))  # near copy
    write(root / "4.txt", PARIS)
    return root


def _dup_rows(articles):
    report = load_report(articles)
    report = report[report["reason"].str.endswith("_duplicate")]
    return report[["doc_id", "action", "reason"]].values.tolist()


def test_duplicates_reported_and_kept_by_default(tmp_path):
    articles = load(_dup_folder(tmp_path))
    assert articles["doc_id"].tolist() == ["1", "2", "3", "4"]
    assert _dup_rows(articles) == [["2", "kept", "exact_duplicate"], ["3", "kept", "near_duplicate"]]
    detail = load_report(articles).set_index("doc_id").loc["3"]
    assert "near-copy of 1" in detail[detail["reason"] == "near_duplicate"]["detail"].iloc[0]


def test_drop_exact_duplicates(tmp_path):
    articles = load(_dup_folder(tmp_path), drop_duplicates="exact")
    assert articles["doc_id"].tolist() == ["1", "3", "4"]
    assert _dup_rows(articles) == [["2", "dropped", "exact_duplicate"], ["3", "kept", "near_duplicate"]]


def test_drop_near_duplicates_also_drops_exact(tmp_path):
    articles = load(_dup_folder(tmp_path), drop_duplicates="near")
    assert articles["doc_id"].tolist() == ["1", "4"]
    assert _dup_rows(articles) == [["2", "dropped", "exact_duplicate"], ["3", "dropped", "near_duplicate"]]


# --- realistic: Article Bias Prediction JSON files ------------------------------------------------


def test_article_bias_prediction_sample(tmp_path):
    jsons = shared_data_dir() / "article-bias-prediction" / "jsons"
    if not jsons.is_dir():
        pytest.skip(f"../shared/data not present: {jsons} is missing")
    files = sorted(jsons.glob("*.json"))[:30]
    corpus = tmp_path / "abp"
    corpus.mkdir()
    for path in files:
        shutil.copy(path, corpus / path.name)
    write(corpus / "zz_corrupt.json", '{"source": "CNN", "content_original": "cut off')
    write(corpus / "zz_empty.json", "")
    articles = load(corpus, text="content_original")
    originals = [json.loads(p.read_text(encoding="utf-8")) for p in files]
    assert len(articles) == 30
    assert articles["source"].tolist() == [p.name for p in files]
    assert articles["outlet"].tolist() == [d["source"] for d in originals]
    assert articles["doc_id"].tolist() == [d["ID"] for d in originals]
    assert articles["text"].tolist() == [d["content_original"] for d in originals]
    skipped = load_report(articles, levels=("error",))
    assert skipped["source"].tolist() == ["zz_corrupt.json", "zz_empty.json"]
    assert skipped["reason"].iloc[0] == "malformed_json"
    assert len(articles) + len(skipped) == inputs_of(articles) == 32
