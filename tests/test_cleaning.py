"""Related-headline blocks scraped into article text: found as a table, removed on request."""

from __future__ import annotations

import pandas as pd
import pytest

from diplomacy_lab.loading.cleaning import SPAN_COLUMNS, related_headlines, remove_spans

GLUED = ("A feud with Sen. John McCain John Sidney McCainDemocrats cry wolf on Trump-Ukraine "
         "Cindy McCain: I can see Arizona 'going Democrat' in 2020 MORE that played out.")
REPEATED = ("An inquiry into former Vice President Joe Biden Joe Biden Parnas: U.S. ambassador removed "
            "Five takeaways from Parnas's interview MORE and his son.")
PREFIX = ("House Minority Leader Kevin McCarthy Kevin Owen McCarthyHouse Republicans call hearing "
          "a sham MORE (R-Calif.) told reporters.")


def clean(text: str) -> str:
    arts = pd.DataFrame({"doc_id": ["a"], "text": [text]})
    return remove_spans(arts, related_headlines(arts)).loc[0, "text"]


def test_glued_block_is_removed_keeping_the_visible_name():
    assert clean(GLUED) == "A feud with Sen. John McCain that played out."


def test_repeated_name_block_is_removed():
    assert clean(REPEATED) == "An inquiry into former Vice President Joe Biden and his son."


def test_name_prefixes_are_not_taken_for_glue():
    assert clean(PREFIX) == "House Minority Leader Kevin McCarthy (R-Calif.) told reporters."


def test_spans_table_offsets_index_the_text_and_nothing_else_is_touched():
    arts = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": [GLUED, "READ MORE: nothing glued here.", None]})
    spans = related_headlines(arts)
    assert spans.columns.tolist() == SPAN_COLUMNS
    assert spans["doc_id"].tolist() == ["a"]
    row = spans.iloc[0]
    assert GLUED[row["start"] : row["end"]] == row["removed"]
    out = remove_spans(arts, spans)
    assert out.loc[1, "text"] == "READ MORE: nothing glued here." and pd.isna(out.loc[2, "text"])
    assert arts.loc[0, "text"] == GLUED  # the input is not changed


def test_bad_input_names_the_missing_columns():
    with pytest.raises(ValueError, match="text"):
        related_headlines(pd.DataFrame({"doc_id": ["a"]}))
