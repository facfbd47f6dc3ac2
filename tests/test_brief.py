"""The brief: sections, figures, data, accuracy measured live, byte-identical reruns."""

from __future__ import annotations

import pandas as pd

from diplomacy_lab import load_corpus
from diplomacy_lab.brief import write_brief
from diplomacy_lab.paths import data_dir, seed_corpus_dir

CODEBOOK = data_dir() / "codebooks" / "ukraine_2025.yaml"


def test_seed_brief_has_its_sections_figures_and_live_accuracy(tmp_path):
    index = write_brief(load_corpus(seed_corpus_dir()), tmp_path, corpus_name="seed corpus", codebook=CODEBOOK)
    page = index.read_text(encoding="utf-8")
    for section in ('id="findings"', 'id="coverage"', 'id="statements"', 'id="load-report"', 'id="notes"'):
        assert section in page
    for name in ("articles_over_time", "stance_matrix"):
        for ext in ("png", "svg", "pdf", "csv"):
            assert (tmp_path / "figures" / f"{name}.{ext}").stat().st_size > 0
    assert "Giorgia Meloni opposes sending troops to Ukraine in 5 documents." in page
    assert "gold standard for 5 of these articles (52 statements)" in page
    assert "precision 0.95" in page and "recall 0.73" in page
    assert len(pd.read_csv(tmp_path / "data" / "statements_by_document.csv")) > 0


def test_brief_without_gold_says_accuracy_is_not_measured(tmp_path):
    articles = pd.DataFrame({"doc_id": ["x"], "text": ["Italy will not be sending troops to Ukraine."],
                             "outlet": ["o"], "date": pd.to_datetime(["2025-03-13"])})
    page = write_brief(load_corpus(articles), tmp_path, codebook=CODEBOOK).read_text(encoding="utf-8")
    assert "accuracy on this corpus is not measured" in page


def test_brief_is_byte_identical_on_rerun(tmp_path):
    articles = load_corpus(seed_corpus_dir())
    write_brief(articles, tmp_path / "a", corpus_name="seed corpus", codebook=CODEBOOK)
    write_brief(articles, tmp_path / "b", corpus_name="seed corpus", codebook=CODEBOOK)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert len(files) == 16
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
