"""Tests for the command line: ``diplomacy-lab corpus SOURCE [--json]`` and its exit codes."""

from __future__ import annotations

import json

import pandas as pd

from diplomacy_lab.cli import main
from diplomacy_lab.paths import seed_corpus_dir

SEED = str(seed_corpus_dir())
ROME = "Italian Prime Minister Giorgia Meloni spoke in Rome on Thursday. She ruled out sending troops to Ukraine."


def test_corpus_seed_text_summary(capsys):
    assert main(["corpus", SEED]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Loaded 5 articles from 5 inputs; 0 skipped."
    assert "Dates: 2025-03-01 to 2026-01-09, 0 undated; precision day 3, month 2." in out
    assert "Duplicates: 0 exact, 0 near." in out


def test_corpus_seed_json(capsys):
    assert main(["corpus", SEED, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["inputs"], info["loaded"], info["skipped"], info["dropped"]) == (5, 5, 0, 0)
    assert info["date_precision"] == {"day": 3, "month": 2}
    assert info["report"] == [] and info["duplicates"] == []
    assert len(info["outlets"]) == 5


def test_missing_path_exits_2_with_message(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert main(["corpus", str(missing)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("diplomacy-lab: no such file or folder")
    assert str(missing) in captured.err


def test_strict_with_empty_file_exits_2(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(ROME, encoding="utf-8")
    (tmp_path / "b.txt").write_text("", encoding="utf-8")
    assert main(["corpus", str(tmp_path), "--strict"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("diplomacy-lab: b.txt is empty")
    assert "[empty]" in err and "fix:" in err


def test_without_strict_empty_file_is_reported_and_exit_0(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(ROME, encoding="utf-8")
    (tmp_path / "b.txt").write_text("", encoding="utf-8")
    assert main(["corpus", str(tmp_path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["inputs"], info["loaded"], info["skipped"]) == (2, 1, 1)
    skipped = [r for r in info["report"] if r["action"] == "skipped"]
    assert [(r["source"], r["reason"]) for r in skipped] == [("b.txt", "empty")]


def test_text_mapping_option(tmp_path, capsys):
    (tmp_path / "x.csv").write_text(f"story,when\n\"{ROME}\",2025-03-13\n", encoding="utf-8")
    assert main(["corpus", str(tmp_path / "x.csv"), "--text", "story", "--date", "when", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["loaded"], info["first_date"], info["date_precision"]) == (1, "2025-03-13", {"day": 1})


def test_unknown_mapping_field_exits_2(tmp_path, capsys):
    (tmp_path / "x.csv").write_text(f"story\n\"{ROME}\"\n", encoding="utf-8")
    assert main(["corpus", str(tmp_path / "x.csv"), "--text", "body"]) == 2
    assert "text='body' is not a field of the input" in capsys.readouterr().err


# --- statements and brief ---------------------------------------------------------------------


def test_statements_command_writes_csv_with_the_issue_columns(tmp_path, capsys):
    from diplomacy_lab.paths import data_dir, seed_corpus_dir

    out = tmp_path / "statements.csv"
    code = main(["statements", str(seed_corpus_dir()), "--codebook", str(data_dir() / "codebooks" / "ukraine_2025.yaml"),
                 "--out", str(out)])
    assert code == 0
    table = pd.read_csv(out)
    required = ["doc_id", "source", "outlet", "date", "sent_id", "actor", "actor_country", "target", "stance",
                "confidence", "cue", "method", "evidence"]
    assert table.columns.tolist()[: len(required)] == required
    assert set(table["stance"]) <= {"support", "oppose"}
    assert "statements" in capsys.readouterr().out


def test_statements_command_document_level(tmp_path):
    from diplomacy_lab.paths import data_dir, seed_corpus_dir

    out = tmp_path / "doc.csv"
    main(["statements", str(seed_corpus_dir()), "--codebook", str(data_dir() / "codebooks" / "ukraine_2025.yaml"),
          "--out", str(out), "--level", "document"])
    table = pd.read_csv(out)
    assert "n_sentences" in table.columns
    assert not table.duplicated(["doc_id", "actor", "target", "stance"]).any()


def test_statements_command_bad_codebook_exits_2_naming_the_entry(tmp_path, capsys):
    from diplomacy_lab.paths import seed_corpus_dir

    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nactors:\n  meloni: {name: M, country: Italy, aliases: []}\ntargets:\n  t: {label: T, patterns: [a]}\n",
                   encoding="utf-8")
    assert main(["statements", str(seed_corpus_dir()), "--codebook", str(bad), "--out", str(tmp_path / "o.csv")]) == 2
    assert "meloni" in capsys.readouterr().err


def test_attributions_command_offsets_index_the_original_jsonl_text(tmp_path, capsys):
    import json

    text = 'Italy will not send troops, Meloni said.\r\n\r\n"We are not at war," the minister told reporters.'
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": text, "outlet": "Wire"}) + "\n", encoding="utf-8")
    out = tmp_path / "attributions.csv"
    assert main(["attributions", str(corpus), "--out", str(out)]) == 0
    assert "attributions" in capsys.readouterr().out
    table = pd.read_csv(out, keep_default_na=False)
    assert {"doc_id", "source_start", "source_end", "cue_start", "cue_end", "content_start", "content_end",
            "source_text", "cue_text", "content_text", "kind", "confidence"} <= set(table.columns)
    assert len(table) >= 2
    for row in table.itertuples():
        if row.cue_start >= 0:  # offsets index the JSON field exactly as written (\r\n kept)
            assert text[row.cue_start:row.cue_end].split()[0] == row.cue_text.split()[0]
    said = table[table["cue_text"].str.contains("said")].iloc[0]
    assert text[said.source_start:said.source_end] == "Meloni"


def test_attributions_command_refuses_a_folder_as_output(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Italy will not send troops to Ukraine, Giorgia Meloni said on Thursday in Rome.",
                                    encoding="utf-8")
    assert main(["attributions", str(tmp_path / "a.txt"), "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_the_command_line_imports_lightly_and_knows_the_kernels():
    """The CLI reaches the heavy modules on first use only; its --kernel choices are the networks' own."""
    import subprocess
    import sys

    from diplomacy_lab import cli
    from diplomacy_lab.networks.windows import KERNELS

    assert cli.KERNELS == KERNELS
    code = "import sys, diplomacy_lab.cli; print(sorted(m for m in ('matplotlib', 'sklearn') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
