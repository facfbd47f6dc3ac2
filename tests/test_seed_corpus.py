"""Tests for the shipped seed corpus (data/seed): five articles and their manifest."""

from __future__ import annotations

import pandas as pd
import pytest

from diplomacy_lab import corpus_summary, load_corpus, load_report
from diplomacy_lab.cli import corpus_report
from diplomacy_lab.loading.corpus import ARTICLE_COLUMNS
from diplomacy_lab.paths import seed_corpus_dir

SEED = seed_corpus_dir()
EXPECTED = [
    ("dialogue-jan2026", "2026-01-09", "day"),
    ("paris-us-role", "2025-03-01", "month"),
    ("italy-says-no", "2025-03-01", "month"),
    ("rejects-coalition", "2025-03-28", "day"),
    ("boycott-videoconf", "2025-03-13", "day"),
]


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    return load_corpus(SEED)


def test_five_articles_without_problems(seed):
    assert len(seed) == 5
    report = load_report(seed)
    assert report[report["level"].isin(["error", "warning"])].empty
    assert corpus_report(seed)["inputs"] == 5


def test_ids_dates_and_precisions(seed):
    got = list(zip(seed["doc_id"], seed["date"].dt.strftime("%Y-%m-%d"), seed["date_precision"]))
    assert got == EXPECTED


def test_columns_sources_and_outlets(seed):
    assert seed.columns.tolist() == ARTICLE_COLUMNS + ["date_evidence", "date_note", "outlet_note"]
    files = sorted(p.name for p in SEED.glob("*.txt"))
    assert seed["source"].tolist() == files
    assert seed["lang"].tolist() == ["en"] * 5
    assert seed["outlet"].tolist() == [
        "EU-affairs explainer",
        "Summit wire report",
        "Opinion blog (At a Glance)",
        "Commentary site",
        "Russian state-media repost",
    ]


def test_text_is_the_file_text(seed):
    for row in seed.itertuples():
        raw = (SEED / row.source).read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
        assert row.text == raw.removeprefix("\ufeff")


def test_date_evidence_fragments_occur_verbatim(seed):
    missing = [
        (row.doc_id, fragment)
        for row in seed.itertuples()
        for fragment in row.date_evidence.split(" ... ")
        if fragment not in row.text
    ]
    assert missing == []


def test_titles_are_first_non_credit_line(seed):
    for row in seed.itertuples():
        lines = [line.strip() for line in row.text.split("\n") if line.strip()]
        first = next(line for line in lines if not line.startswith("©"))
        assert row.title == first
    boycott = seed.set_index("doc_id").loc["boycott-videoconf"]
    assert boycott["text"].startswith("©Getty Images/Massimo Di Vita\n")
    assert boycott["title"].startswith("Italian Prime Minister Giorgia Meloni will no take part")


def test_corpus_summary_totals(seed):
    summary = corpus_summary(seed)
    totals = summary["totals"].iloc[0]
    assert totals[["articles", "outlets", "undated", "exact_duplicates", "near_duplicates", "skipped"]].tolist() == [
        5, 5, 0, 0, 0, 0
    ]
    assert totals["words"] == 3600
    assert (totals["first_date"], totals["last_date"]) == (pd.Timestamp("2025-03-01"), pd.Timestamp("2026-01-09"))
    assert summary["periods"][["period", "articles"]].values.tolist() == [["2025-03", 4], ["2026-01", 1]]
    assert dict(zip(summary["precision"]["date_precision"], summary["precision"]["articles"])) == {"day": 3, "month": 2}
