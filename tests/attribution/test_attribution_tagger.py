"""The shipped model on hand-made articles, the estimator API, and bad input."""
import time

import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from diplomacy_lab.attribution import AttributionTagger, attributions, load_model, rule_attributions, write_attributions
from diplomacy_lab.attribution.tokens import iter_windows

ARTICLES = pd.DataFrame({"doc_id": ["said", "according", "quote", "reported"], "text": [
    "The foreign minister said that the talks with Iran would resume next week.",
    "According to the State Department, the embassy will stay open.",
    "“We will not accept this deal. It is a disaster for our country,” "
    "Senator Marco Rubio said on Tuesday.",
    "It was reported that the ceasefire had collapsed.",
]})


@pytest.fixture(scope="module")
def found():
    return attributions(ARTICLES)


def _one(found, doc_id):
    rows = found[found.doc_id == doc_id]
    assert len(rows) >= 1, f"no attribution found in {doc_id!r}"
    return rows.iloc[0]


def test_x_said_that(found):
    row = _one(found, "said")
    assert row.cue_text == "said"
    assert "minister" in row.source_text
    assert row.content_text.endswith("the talks with Iran would resume next week")
    assert row.kind == "indirect" and 0 < row.confidence <= 1


def test_according_to(found):
    row = _one(found, "according")
    assert row.cue_text == "According to"
    assert row.source_text == "the State Department"
    assert "embassy will stay open" in row.content_text


def test_multi_sentence_quote_with_speaker_after(found):
    row = _one(found, "quote")
    assert row.cue_text == "said"
    assert "Rubio" in row.source_text
    assert "We will not accept this deal" in row.content_text
    assert "disaster for our country" in row.content_text
    assert row.kind == "direct"


def test_it_was_reported_has_no_source(found):
    row = _one(found, "reported")
    assert "reported" in row.cue_text
    assert row.source_text == "" and row.source_start == -1
    assert "ceasefire had collapsed" in row.content_text


def test_offsets_index_the_text_unchanged(found):
    texts = dict(zip(ARTICLES.doc_id, ARTICLES.text))
    for row in found.itertuples():
        for role in ("source", "cue", "content"):
            spans = getattr(row, f"{role}_spans")
            assert getattr(row, f"{role}_text") == " ".join(texts[row.doc_id][a:b] for a, b in spans)


def test_regions_restrict_tagging():
    arts = pd.DataFrame({"doc_id": ["d"], "text": [
        "Putin said the war will go on.\nMacron said talks must start."]})
    only_second = pd.DataFrame({"doc_id": ["d"], "start": [31], "end": [40]})
    rows = attributions(arts, regions=only_second)
    assert list(rows.cue_text) == ["said"] and rows.iloc[0].cue_start > 31
    assert len(attributions(arts, regions=only_second.iloc[:0])) == 0


def test_write_attributions_csv_and_parquet(tmp_path):
    table = write_attributions(ARTICLES, tmp_path / "a.csv")
    back = pd.read_csv(tmp_path / "a.csv")
    assert len(back) == len(table) and "content_text" in back
    write_attributions(ARTICLES, tmp_path / "a.parquet")
    assert len(pd.read_parquet(tmp_path / "a.parquet")) == len(table)
    with pytest.raises(ValueError, match="csv or .parquet"):
        write_attributions(ARTICLES, tmp_path / "a.txt")


def test_estimator_conventions():
    tagger = AttributionTagger(c1=0.2, max_iterations=5, min_freq=1)
    assert tagger.get_params()["c1"] == 0.2
    assert tagger.set_params(c2=0.5) is tagger and tagger.c2 == 0.5
    with pytest.raises(NotFittedError, match="not fitted"):
        tagger.predict(ARTICLES)
    gold = pd.DataFrame({"doc_id": ["said"], "source_spans": [[(0, 20)]],
                         "cue_spans": [[(21, 25)]], "content_spans": [[(31, 74)]]})
    assert tagger.fit(ARTICLES.iloc[:1], gold) is tagger
    assert hasattr(tagger, "model_bytes_") and "B-CUE" in tagger.labels_
    assert not hasattr(clone(tagger), "model_bytes_")
    assert list(tagger.predict(ARTICLES.iloc[:1]).cue_text) == ["said"]


def test_shipped_model_provenance():
    model = load_model()
    prov = model.provenance_
    assert "train" in prov["trained_on"] and "dev_scores" in prov
    assert len(model.model_bytes_) < 6e6


@pytest.mark.parametrize("text", ["", "   \n\n  ", None])
def test_empty_articles(text):
    arts = pd.DataFrame({"doc_id": ["e"], "text": [text]})
    out = attributions(arts)
    assert len(out) == 0 and "content_text" in out.columns
    assert len(rule_attributions(arts)) == 0


def test_no_articles():
    assert len(attributions(pd.DataFrame({"doc_id": [], "text": []}))) == 0


def test_missing_columns():
    with pytest.raises(ValueError, match="doc_id and text"):
        attributions(pd.DataFrame({"body": ["x"]}))


def test_unbalanced_quotes_stay_in_their_paragraph():
    text = 'He said "this never closes.\nShe said the vote is on Monday.'
    out = attributions(pd.DataFrame({"doc_id": ["u"], "text": [text]}))
    second = out[out.cue_start > 28]
    assert len(second) == 1 and second.iloc[0].kind == "indirect"


def test_five_thousand_quote_marks():
    text = 'He said "a" ' * 2500  # 5,000 quote marks in one line
    start = time.perf_counter()
    out = attributions(pd.DataFrame({"doc_id": ["q"], "text": [text]}))
    assert time.perf_counter() - start < 20
    assert (out.cue_end <= len(text)).all()


def test_long_single_line_is_chunked_linearly():
    # proxy for a 50 MB line: windows stay capped and the work is linear
    line = "the committee met again and the vote was delayed for a week " * 35_000  # ~2 MB
    count, longest = 0, 0
    for window in iter_windows(line, max_tokens=200):
        count += 1
        longest = max(longest, len(window))
    assert longest <= 200 and count >= len(line.split()) // 200
    small = pd.DataFrame({"doc_id": ["s"], "text": [line[:60_000]]})
    big = pd.DataFrame({"doc_id": ["b"], "text": [line[:240_000]]})
    t0 = time.perf_counter(); attributions(small); t_small = time.perf_counter() - t0
    t0 = time.perf_counter(); attributions(big); t_big = time.perf_counter() - t0
    assert t_big < 4 * t_small * 2.0  # 4x the text, at most ~8x the time (linear, with noise)
