"""The Study object: each table computed once, equal to what the functions give alone."""

from __future__ import annotations

import pandas as pd
import pytest

from diplomacy_lab import Study, extract_statements, find_mentions, sentences
from diplomacy_lab.paths import seed_corpus_dir

SMALL = pd.DataFrame({
    "doc_id": ["a", "b"], "outlet": ["Wire", "Blog"],
    "date": pd.to_datetime(["2025-03-01", "2025-04-01"]),
    "text": ["Meloni rejected sending troops to Ukraine. She said so on Monday.",
             "Macron backs sending troops to Ukraine."],
})
BOOK = {
    "name": "demo",
    "actors": {"meloni": {"name": "Giorgia Meloni", "country": "Italy", "gender": "female", "aliases": ["Meloni"]},
               "macron": {"name": "Emmanuel Macron", "country": "France", "gender": "male", "aliases": ["Macron"]}},
    "targets": {"troops": {"label": "Troops to Ukraine", "patterns": ["sending troops"]}},
}


def test_tables_equal_the_functions_alone():
    study = Study(SMALL, BOOK)
    pd.testing.assert_frame_equal(study.sentences, sentences(SMALL))
    pd.testing.assert_frame_equal(study.mentions, find_mentions(sentences(SMALL), study.codebook))
    pd.testing.assert_frame_equal(study.statements, extract_statements(SMALL, BOOK))
    assert set(zip(study.statements["actor"], study.statements["stance"])) == {("meloni", "oppose"), ("macron", "support")}


def test_each_table_is_computed_once():
    study = Study(SMALL, BOOK)
    assert study.sentences is study.sentences
    assert study.statements is study.statements
    assert study.documents["doc_id"].tolist() == ["a", "b"]


def test_without_a_codebook_statements_say_what_is_missing():
    study = Study(SMALL)
    assert len(study.sentences) == 3
    with pytest.raises(ValueError, match="statements needs a codebook"):
        study.statements
    assert "no codebook" in repr(study)


def test_bad_articles_are_refused_with_the_missing_column():
    with pytest.raises(ValueError, match=r"articles is missing column\(s\) \['text'\]"):
        Study(SMALL.drop(columns="text"), BOOK)


def test_seed_study_equals_extract_statements(seed, seed_codebook, seed_study):
    pd.testing.assert_frame_equal(seed_study.statements, extract_statements(seed, seed_codebook))
    assert len(seed_study.coverage) > 0 and {"outlet", "kind", "id"} <= set(seed_study.coverage.columns)
    meloni = seed_study.shifts[seed_study.shifts["actor"].eq("meloni")]
    assert "troops_to_ukraine" in set(meloni["target"])


def test_from_path_names_the_study_after_the_folder():
    study = Study.from_path(seed_corpus_dir())
    assert study.name == "seed" and len(study.articles) == 5
