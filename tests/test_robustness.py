"""Issue 16, "bad input never crashes, hangs or vanishes": every hostile input of the issue, written
here, and what the package must do with it — load it, or report it with a reason, or raise its own
error naming the file and the fix; never a foreign traceback, never a hang.

Property-based tests over generated inputs are in ``tests/test_fuzz.py``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import re
import sys
import time
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from diplomacy_lab import errors
from diplomacy_lab.charts.tables import FORMULA_START, csv_text, neutralise_formulas, restore_formulas
from diplomacy_lab.cli import main
from diplomacy_lab.codebook.mentions import find_mentions
from diplomacy_lab.codebook.schema import load_codebook
from diplomacy_lab.errors import (
    CodebookError,
    CorpusLoadError,
    DiplomacyLabError,
    ModelLoadError,
    PatternTimeoutError,
)
from diplomacy_lab.loading.corpus import load_corpus, load_report
from diplomacy_lab.statements.classifier import load_model
from diplomacy_lab.text.guard import compile_guarded
from diplomacy_lab.text.kwic import kwic
from diplomacy_lab.text.sentences import sentences

ROME = "Italian Prime Minister Giorgia Meloni spoke in Rome on Thursday. She ruled out sending troops to Ukraine."
BOOK = {
    "name": "test",
    "actors": {"meloni": {"name": "Giorgia Meloni", "country": "Italy", "aliases": ["Meloni"]}},
    "targets": {"troops": {"label": "Troops", "patterns": ["sending troops", "re:troops? to Ukraine"]}},
}


def load(*args, **kwargs) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return load_corpus(*args, **kwargs)


def reasons(articles: pd.DataFrame) -> dict[str, list[str]]:
    """source -> the reasons the load report gives for it."""
    out: dict[str, list[str]] = {}
    for source, reason in load_report(articles)[["source", "reason"]].itertuples(index=False):
        out.setdefault(source, []).append(reason)
    return out


def cli(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


# --- one error policy ------------------------------------------------------------------------


def test_every_error_class_is_a_diplomacy_lab_error_and_keeps_value_error():
    for cls in (CorpusLoadError, CodebookError, ModelLoadError, errors.LexiconError, errors.PatternError,
                PatternTimeoutError, errors.InputLimitError, errors.OutputPathError):
        assert issubclass(cls, DiplomacyLabError) and issubclass(cls, ValueError)
    assert issubclass(errors.MissingInputError, FileNotFoundError)
    error = CorpusLoadError("bad row", where="a.csv:3", fix="fix it")
    assert (str(error), error.where, error.fix) == ("a.csv:3: bad row; fix: fix it", "a.csv:3", "fix it")


def test_strict_raises_corpus_load_error_naming_file_problem_and_fix(tmp_path):
    (tmp_path / "a.txt").write_text(ROME, encoding="utf-8")
    (tmp_path / "b.txt").write_text("   ", encoding="utf-8")
    with pytest.raises(CorpusLoadError) as info:
        load_corpus(tmp_path, strict=True)
    assert info.value.where == "b.txt" and info.value.problem.reason == "empty" and info.value.fix


# --- loaders: each bad document is loaded or reported ------------------------------------------


def test_one_and_two_word_documents_and_their_duplicates():
    articles = load(pd.DataFrame({"text": ["one", "two words", "two words", "Two, words!"]}))
    assert len(articles) == 4
    report = load_report(articles)
    assert sorted(report.loc[report["reason"] == "exact_duplicate", "doc_id"]) == ["dataframe-3", "dataframe-4"]


@pytest.mark.parametrize("value", ["9999-12-31", "1677-09-21", "2262-04-12", "99999-01-01", "9999"])
def test_dates_outside_pandas_range_are_reported_per_row(value):
    articles = load(pd.DataFrame({"text": [ROME, "Another text entirely."], "date": [value, "2025-03-13"]}))
    assert len(articles) == 2 and articles["date"].isna().tolist() == [True, False]
    assert reasons(articles)["dataframe:1"] == ["unparseable_date"]
    if value != "99999-01-01":
        assert "outside the dates pandas can hold" in load_report(articles).loc[0, "detail"]


def test_a_400_digit_date_is_reported_as_a_number_or_a_string():
    big = int("9" * 400)
    articles = load(pd.DataFrame({"text": [ROME, "Other words here."], "date": pd.Series([big, "9" * 400], dtype=object)}))
    assert len(articles) == 2
    assert reasons(articles) == {"dataframe:1": ["unparseable_date"], "dataframe:2": ["unparseable_date"]}
    assert all(len(d) < 400 for d in load_report(articles)["detail"])  # the value is cut in the message


def test_lone_surrogates_in_json_files_and_dataframes(tmp_path):
    (tmp_path / "a.json").write_text('{"text": "Rome \\ud800 said no.", "title": "\\udfff"}', encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "Paris \\udc00 agreed."}\n', encoding="utf-8")
    articles = load(tmp_path)
    assert sorted(articles["text"]) == ["Paris \ufffd agreed.", "Rome \ufffd said no."]
    assert reasons(articles)["a.json"] == ["lone_surrogate", "missing_date"]
    assert "lone_surrogate" in reasons(articles)["b.jsonl:1"]
    frame = load(pd.DataFrame({"text": ["x \ud800 y"]}, dtype=object))
    assert frame.loc[0, "text"] == "x \ufffd y" and "lone_surrogate" in reasons(frame)["dataframe:1"]


def test_nested_fields_list_ids_and_list_texts(tmp_path):
    rows = [{"id": ["a", "b"], "text": ROME, "outlet": {"name": "RT"}},
            {"id": "ok", "text": ["para one", "para two"]},
            {"id": "fine", "text": "Plain text here.", "date": [2025, 3]}]
    (tmp_path / "a.json").write_text(json.dumps(rows), encoding="utf-8")
    articles = load(tmp_path)
    assert articles["doc_id"].tolist() == ["a-1", "fine"]  # a generated id for the list
    assert articles.loc[0, "outlet"] != articles.loc[0, "outlet"] or articles.loc[0, "outlet"] in ("None", "nan")
    got = reasons(articles)
    assert got["a.json:1"].count("non_scalar_field") == 2  # the id and the outlet
    assert got["a.json:2"] == ["non_scalar_field"]  # skipped: the text is a list
    assert "unparseable_date" in got["a.json:3"]
    assert load_report(articles).set_index("source").loc["a.json:2", "action"] == "skipped"


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_json_nested_1000_levels_is_reported_not_a_recursion_error(tmp_path, suffix):
    (tmp_path / f"deep{suffix}").write_text('{"text": "x y", "meta": ' + "[" * 1000 + "]" * 1000 + "}\n")
    (tmp_path / "ok.txt").write_text(ROME, encoding="utf-8")
    articles = load(tmp_path)
    assert articles["doc_id"].tolist() == ["ok"]
    found = load_report(articles)
    assert found.loc[found["reason"] == "malformed_json", "detail"].str.contains("nested too deeply").all()


def test_unknown_encoding_is_a_corpus_load_error_and_exit_2(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(ROME, encoding="utf-8")
    with pytest.raises(CorpusLoadError, match="unknown encoding 'nope'; fix: use a Python codec name"):
        load_corpus(tmp_path, encoding="nope")
    code, err = cli(capsys, "corpus", str(tmp_path), "--encoding", "nope")
    assert code == 2 and err.count("\n") == 1 and err.startswith("diplomacy-lab: unknown encoding 'nope'")


def test_manifest_entries_too_long_empty_absolute_inside_and_outside(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ROME, encoding="utf-8")
    (corpus / "b.txt").write_text("Paris said yes to the plan.", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret words", encoding="utf-8")
    entries = ["x" * 5000, "", str(corpus / "a.txt"), str(tmp_path / "secret.txt"), "b.txt"]
    pd.DataFrame({"file": entries, "outlet": ["L", "E", "A", "S", "B"]}).to_csv(corpus / "manifest.csv", index=False)
    articles = load(corpus)
    assert dict(zip(articles["doc_id"], articles["outlet"])) == {"a": "A", "b": "B"}  # the absolute path is accepted
    report = load_report(articles)
    by_reason = dict(zip(report["reason"], report["source"]))
    assert by_reason["empty_manifest_entry"] == "manifest.csv:2"  # not "manifest.csv:nan"
    assert by_reason["outside_corpus"].endswith("secret.txt")
    long = report[report["reason"] == "unreadable"]
    assert len(long) == 1 and "5,000 characters" in long["detail"].iloc[0] and len(long["source"].iloc[0]) < 300


def test_a_5000_character_source_name_is_a_corpus_load_error(tmp_path):
    with pytest.raises(DiplomacyLabError):
        load_corpus(str(tmp_path / ("x" * 5000)))


def test_wide_csv_loads_fast_or_is_refused_with_a_limit(tmp_path):
    header = ",".join(f"c{i}" for i in range(5000)) + ",text\n"
    (tmp_path / "wide.csv").write_text(header + ",".join("1" for _ in range(5000)) + "," + ROME + "\n")
    start = time.perf_counter()
    articles = load(tmp_path / "wide.csv")
    assert time.perf_counter() - start < 15  # was 30 s; about 0.7 s on the project's machine
    assert len(articles) == 1 and articles.shape[1] == 9 + 5000
    refused = load(tmp_path / "wide.csv", max_columns=100)
    assert refused.empty and reasons(refused) == {"wide.csv": ["too_many_columns"]}
    assert "max_columns=100" in load_report(refused).loc[0, "detail"]
    with pytest.raises(CorpusLoadError, match="max_columns"):
        load_corpus(pd.DataFrame({f"c{i}": [1] for i in range(20)}), max_columns=10)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and FIFOs")
def test_walker_reports_links_outside_dangling_loops_and_fifos(tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    (corpus / "sub").mkdir(parents=True)
    outside.mkdir()
    (corpus / "a.txt").write_text(ROME, encoding="utf-8")
    (corpus / "sub" / "s.txt").write_text("A sub-folder article about Paris.", encoding="utf-8")
    (outside / "o.txt").write_text("Outside words.", encoding="utf-8")
    os.symlink(outside, corpus / "outdir")
    os.symlink(corpus / "nothing.txt", corpus / "dangling.txt")
    os.symlink(corpus / "loop2", corpus / "loop1")
    os.symlink(corpus / "loop1", corpus / "loop2")
    os.symlink(corpus, corpus / "sub" / "up")
    os.symlink(corpus / "sub", corpus / "sublink")  # inside the corpus: followed
    os.mkfifo(corpus / "pipe.txt")
    articles = load(corpus)
    assert sorted(articles["source"]) == ["a.txt", "sub/s.txt", "sublink/s.txt"]
    assert not articles["text"].str.contains("Outside").any()
    got = reasons(articles)
    assert got["outdir"] == ["outside_corpus"] and got["dangling.txt"] == ["dangling_link"]
    assert got["loop1"] == got["loop2"] == got["sub/up"] == ["link_loop"]
    assert got["pipe.txt"] == ["special_file"]
    assert "exact_duplicate" in got["sublink/s.txt"]
    fifo = load(corpus / "pipe.txt")  # named directly: reported, never opened (opening would block)
    assert reasons(fifo) == {"pipe.txt": ["special_file"]}


def test_ambiguous_day_month_dates_are_reported_with_the_rule_and_the_fix():
    frame = pd.DataFrame({"text": [ROME, "Second text here.", "Third text here."],
                          "date": ["03/04/2025", "13/04/2025", "2025-05-01"]})
    articles = load(frame)
    report = load_report(articles)
    row = report[report["reason"] == "ambiguous_date"]
    assert row["source"].tolist() == ["dataframe:1"] and row["level"].tolist() == ["warning"]
    assert "read month first as 2025-03-04, but '13/04/2025'" in row["detail"].iloc[0]
    assert "dayfirst=True" in row["fix"].iloc[0] and "date_format" in row["fix"].iloc[0]
    fixed = load(frame, dayfirst=True)
    assert fixed["date"].dt.strftime("%Y-%m-%d").tolist()[:2] == ["2025-04-03", "2025-04-13"]
    assert "ambiguous_date" not in load_report(fixed)["reason"].tolist()
    alone = load(pd.DataFrame({"text": [ROME], "date": ["03/04/2025"]}))
    assert load_report(alone)[["reason", "level"]].values.tolist() == [["ambiguous_date", "info"]]
    assert load_report(load(pd.DataFrame({"text": [ROME], "date": ["03/04/2025"]}), dayfirst=False)).empty


def test_media_cloud_columns_are_recognised():
    export = pd.DataFrame({"stories_id": [123], "media_name": ["nytimes.com"], "publish_date": ["2025-03-13 09:30:00"],
                           "url": ["https://nytimes.com/a"], "language": ["en"], "text": [ROME]})
    articles = load(export)
    assert articles.loc[0, ["doc_id", "outlet", "url", "lang"]].tolist() == ["123", "nytimes.com",
                                                                            "https://nytimes.com/a", "en"]
    assert articles.loc[0, "date"] == pd.Timestamp("2025-03-13 09:30:00")


# --- codebooks and YAML ------------------------------------------------------------------------


def test_catastrophic_codebook_regex_stops_at_the_limit_with_a_clear_error(monkeypatch):
    monkeypatch.setenv("DIPLOMACY_LAB_REGEX_TIMEOUT", "0.2")
    book = load_codebook({**BOOK, "targets": {"evil": {"label": "Evil", "patterns": ["re:(a+)+$"]}}})
    articles = pd.DataFrame({"doc_id": ["d"], "text": ["a" * 5000 + "!"]})
    start = time.perf_counter()
    with pytest.raises(PatternTimeoutError, match=r"'re:\(a\+\)\+\$' ran over its 0.2 s limit .*fix: rewrite it"):
        find_mentions(sentences(articles), book)
    assert time.perf_counter() - start < 20  # with re: minutes (4x per two more characters)
    with pytest.raises(PatternTimeoutError):
        kwic(articles.assign(outlet="x", date=pd.NaT), "re:(a|a)+$")


def test_the_guard_matches_as_re_does_on_every_assigned_code_point():
    import unicodedata

    chars = "".join(chr(c) for c in range(sys.maxunicode + 1)
                    if not 0xD800 <= c <= 0xDFFF and unicodedata.category(chr(c)) != "Cn")
    for escape in (r"\w", r"\W", r"\d", r"\D", r"\s", r"\S", r"[\w-]", r"[^\w]", r"[\d,.]"):
        assert compile_guarded(escape).findall(chars) == re.findall(escape, chars), escape
    for pattern in (r"\bKyiv\b", r"(?<!\w)troops?(?!\w)", r"\Bian\b", r"(?i)ÉTAT\w*"):
        text = "Kyiv,Kyivan troopS état-major Italian ²troops troops² Kyiv\u0301 ÉTATS"
        for flags in (0, re.IGNORECASE):
            assert [m.span() for m in compile_guarded(pattern, flags).finditer(text)] == \
                   [m.span() for m in re.finditer(pattern, text, flags)], pattern


def test_billion_laughs_and_deep_yaml_are_refused_before_expansion(tmp_path):
    laughs = "name: x\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i, name in enumerate("bcdefghij"):
        laughs += f"{name}: &{name} [" + ", ".join([f"*{'abcdefghij'[i]}"] * 9) + "]\n"
    laughs += "actors:\n  x: *j\n"
    (tmp_path / "laughs.yaml").write_text(laughs)
    start = time.perf_counter()
    with pytest.raises(CodebookError, match=r"laughs.yaml: line \d+: aliases expand the document past 200,000 nodes"):
        load_codebook(tmp_path / "laughs.yaml")
    assert time.perf_counter() - start < 5  # was 50 s
    (tmp_path / "deep.yaml").write_text("name: x\nactors: " + "[" * 1000 + "]" * 1000 + "\n")
    with pytest.raises(CodebookError, match="nested deeper than 50 levels"):
        load_codebook(tmp_path / "deep.yaml")
    (tmp_path / "self.yaml").write_text("name: x\nactors: &a\n  x: [*a]\n")
    with pytest.raises(CodebookError, match="refers to"):
        load_codebook(tmp_path / "self.yaml")


# --- command line: inputs and outputs ---------------------------------------------------------


def test_out_pointing_at_a_folder_or_under_a_file_exits_2(tmp_path, capsys, seed_codebook_path):
    (tmp_path / "a.txt").write_text(ROME, encoding="utf-8")
    code, err = cli(capsys, "statements", str(tmp_path), "--codebook", str(seed_codebook_path), "--out", str(tmp_path))
    assert code == 2 and "is a folder; this command writes one CSV file" in err and err.count("\n") == 1
    code, err = cli(capsys, "brief", str(tmp_path), "--out", str(tmp_path / "a.txt"))
    assert code == 2 and "is a file; this command writes a folder" in err
    code, err = cli(capsys, "statements", str(tmp_path), "--codebook", str(seed_codebook_path),
                    "--out", str(tmp_path / "a.txt" / "x.csv"))
    assert code == 2 and "is a file, so nothing can be written under it" in err


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("kind, message", [
    ("empty", "the model file is empty"),
    ("corrupt", "not a skops model file"),
    ("pickle", "looks like a pickle file"),
    ("zip", "a zip archive without schema.json"),
    ("badschema", "the skops archive is damaged"),
    ("otherclass", "holds a LogisticRegression, not a StanceClassifier"),
])
def test_bad_model_files_give_one_model_load_error_and_exit_2(tmp_path, capsys, seed_codebook_path, kind, message):
    path = tmp_path / "model.skops"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "corrupt":
        path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    elif kind == "pickle":
        path.write_bytes(pickle.dumps({"a": 1}))
    elif kind == "zip":
        _zip(path, {"data.txt": b"hello"})
    elif kind == "badschema":
        _zip(path, {"schema.json": b"{not json"})
    else:
        _zip(path, {"schema.json": json.dumps({"__class__": "LogisticRegression",
                                               "__module__": "sklearn.linear_model._logistic"}).encode()})
    with pytest.raises(ModelLoadError, match=message):
        load_model(path)
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(ROME, encoding="utf-8")
    code, err = cli(capsys, "statements", str(tmp_path / "corpus"), "--codebook", str(seed_codebook_path),
                    "--out", str(tmp_path / "s.csv"), "--model", str(path))
    assert code == 2 and message.split(",")[0] in err and err.count("\n") == 1
    assert not (tmp_path / "s.csv").exists()


def test_brief_and_statements_on_an_empty_folder_say_no_articles_were_loaded(tmp_path, capsys, seed_codebook_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "blank.txt").write_text("  \n", encoding="utf-8")
    code, err = cli(capsys, "brief", str(tmp_path / "empty"), "--out", str(tmp_path / "brief"))
    assert code == 2 and "no articles were loaded from" in err and "skipped: 1 empty" in err
    code, err = cli(capsys, "statements", str(tmp_path / "empty"), "--codebook", str(seed_codebook_path),
                    "--out", str(tmp_path / "s.csv"))
    assert code == 2 and "no articles were loaded from" in err


def test_fighting_words_by_a_list_says_by_takes_one_column(seed):
    from diplomacy_lab.framing.fighting_words import fighting_words

    with pytest.raises(TypeError, match="by takes one column name; to compare combinations of 2 columns"):
        fighting_words(seed, by=["outlet", "date_precision"])


# --- exports: no CSV holds a formula cell ------------------------------------------------------

EVIL = ["=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)",
        "\tleading tab", "\rleading CR"]


def formula_cells(folder: Path) -> list[tuple[str, str]]:
    """Every cell of every CSV under ``folder`` that a spreadsheet would run as a formula."""
    bad = []
    for path in sorted(folder.rglob("*.csv")):
        text = path.read_bytes().decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text, newline="")):
            for cell in row:
                if cell.startswith(FORMULA_START) and not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", cell):
                    bad.append((path.name, cell))
    return bad


def test_neutralise_formulas_round_trip_and_numbers_untouched():
    frame = pd.DataFrame({"text": EVIL + ["-0.5", "plain"], "n": range(8)})
    out = neutralise_formulas(frame)
    assert [restore_formulas(v) for v in out["text"]] == frame["text"].tolist()
    assert out["text"].tolist()[-2:] == ["-0.5", "plain"] and out["n"].tolist() == list(range(8))
    assert neutralise_formulas(pd.DataFrame({"a": ["x"]})).columns.tolist() == ["a"]
    assert neutralise_formulas(pd.DataFrame({"=a": ["x"]})).columns.tolist() == ["'=a"]
    assert "'=HYPERLINK" in csv_text(frame)


@pytest.fixture(scope="module")
def evil_corpus(tmp_path_factory) -> Path:
    """Articles whose sentences, titles and outlets start with formula characters."""
    folder = tmp_path_factory.mktemp("evil")
    texts = [f"{e}\nMeloni ruled out sending troops to Ukraine. {e} Meloni said so." for e in EVIL]
    outlets = [EVIL[i % 4] for i in range(len(EVIL))]  # four outlets keep the brief quick
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(EVIL))], "title": EVIL, "outlet": outlets,
                          "date": "2025-03-13", "text": texts})
    frame.to_json(folder / "articles.jsonl", orient="records", lines=True)
    return folder


def test_statements_cli_writes_no_formula_cell(evil_corpus, tmp_path, capsys, seed_codebook_path):
    out = tmp_path / "out" / "statements.csv"
    assert main(["statements", str(evil_corpus), "--codebook", str(seed_codebook_path), "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype=str)
    assert table["outlet"].str.startswith("'").all()
    assert formula_cells(out.parent) == []


def test_brief_data_figures_coding_sheet_and_dna_hold_no_formula_cell(evil_corpus, tmp_path, seed_codebook_path):
    from diplomacy_lab.report.brief import write_brief
    from diplomacy_lab.statements.coding import export_coding_sheet, read_coding_sheet
    from diplomacy_lab.statements.dna import to_dna
    from diplomacy_lab.statements.extract import extract_statements

    articles = load(evil_corpus)
    write_brief(articles, tmp_path / "brief", codebook=seed_codebook_path, corpus_name="evil")
    assert list((tmp_path / "brief" / "data").glob("*.csv")) and list((tmp_path / "brief" / "figures").glob("*.csv"))
    statements = extract_statements(articles, load_codebook(seed_codebook_path))
    export_coding_sheet(statements, tmp_path / "sheet" / "sheet.csv")
    to_dna(statements, path=tmp_path / "dna" / "dna.csv")
    assert formula_cells(tmp_path) == []
    back = read_coding_sheet(tmp_path / "sheet" / "sheet.csv", unfilled="predicted")
    assert set(back["outlet"]) == set(EVIL[:4])  # the guard is removed on reading
