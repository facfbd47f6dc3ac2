"""Keyword in context and the term rule shared by the framing lexicons."""

from __future__ import annotations

import pandas as pd
import pytest

from diplomacy_lab.text.kwic import KWIC_COLUMNS, format_kwic, kwic
from diplomacy_lab.text.lexicons import load_lexicon_source
from diplomacy_lab.text.phrases import compile_phrase, find_phrase


@pytest.fixture
def articles() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["a", "b"],
        "outlet": ["Wire", "State TV"],
        "date": pd.to_datetime(["2025-03-01", "2025-03-02"]),
        "text": [
            "Talks in Kyiv went well. The KYIV mayor spoke.",
            "Moscow and Kiev talked.\nKievan Rus is history.",
        ],
    })


# --- the term rule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        ("Kiev", "from Kiev.", [(5, 9)]),
        ("Kiev", "KIEV, kiev", [(0, 4), (6, 10)]),              # case-insensitive
        ("Kiev", "Kievan Rus", []),                            # not inside a word
        ("Kiev", "pro-Kiev", [(4, 8)]),                         # a hyphen is a boundary
        ("coalition of the willing", "coalition  of\nthe willing", [(0, 25)]),  # any whitespace
        ("Macron's plan", "Macron’s plan", [(0, 13)]),          # curly apostrophe
        ("re:send(ing)? troops", "resend troops; sending troops", [(15, 29)]),
        ("re:Kiev|Kyiv", "Kyiv or Kiev", [(0, 4), (8, 12)]),    # alternation kept whole
        ("U.S.", "the U.S. said", [(4, 8)]),                     # ends in a non-word character
    ],
)
def test_term_rule(term, text, expected):
    assert find_phrase(text, compile_phrase(term)) == expected


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("", "non-empty string"),
        ("   ", "non-empty string"),
        (None, "non-empty string"),
        ("re:", "empty regular expression"),
        ("re:(unclosed", "'re:(unclosed' is not a valid regular expression"),
    ],
)
def test_bad_terms_are_named(term, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        compile_phrase(term)


def test_empty_regex_matches_are_dropped():
    assert find_phrase("abc", compile_phrase("re:x*")) == []


# --- kwic --------------------------------------------------------------------------------------


def test_kwic_known_contexts(articles):
    k = kwic(articles, ["Kyiv", "Kiev"], window=2)
    assert list(k.columns) == KWIC_COLUMNS
    assert k[["doc_id", "term", "left", "match", "right"]].values.tolist() == [
        ["a", "Kyiv", "Talks in", "Kyiv", "went well."],
        ["a", "Kyiv", "well. The", "KYIV", "mayor spoke."],
        ["b", "Kiev", "Moscow and", "Kiev", "talked. Kievan"],
    ]
    texts = articles.set_index("doc_id")["text"]
    assert all(texts[r.doc_id][r.start:r.end] == r.match for r in k.itertuples())
    assert k["outlet"].tolist() == ["Wire", "Wire", "State TV"]
    assert k["date"].dt.day.tolist() == [1, 1, 2]


def test_kwic_regex_window_zero_and_missing_metadata(articles):
    k = kwic(articles[["doc_id", "text"]], "re:K(ie|yi)v", window=0)
    assert k["match"].tolist() == ["Kyiv", "KYIV", "Kiev"]
    assert (k["left"] == "").all() and (k["right"] == "").all()
    assert k["outlet"].isna().all() and k["date"].isna().all()


def test_kwic_no_match_gives_empty_table(articles):
    k = kwic(articles, "Odesa")
    assert k.empty and list(k.columns) == KWIC_COLUMNS
    assert format_kwic(k) == "(no matches)"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"terms": []}, "terms is empty"),
        ({"terms": "Kiev", "window": -1}, "window must be a non-negative"),
        ({"terms": "re:("}, "not a valid regular expression"),
    ],
)
def test_kwic_bad_input(articles, kwargs, message):
    with pytest.raises(ValueError, match=message):
        kwic(articles, **kwargs)


def test_kwic_names_missing_columns():
    with pytest.raises(ValueError, match=r"missing column\(s\) \['text'\]"):
        kwic(pd.DataFrame({"doc_id": ["a"]}), "Kiev")


def test_format_kwic_aligns_matches(articles):
    k = kwic(articles, "re:Kiev|Kyiv", window=3)
    lines = format_kwic(k, width=20).splitlines()
    assert len(lines) == 3
    assert len({line.index("[") for line in lines}) == 1          # matches in one column
    assert lines[2].endswith("[Kiev]  talked. Kievan Rus")
    assert format_kwic(k, width=20, max_rows=1).splitlines()[-1] == "… 2 more"


def test_seed_kiev_and_kyiv(seed):
    """The Russian state-media repost and the commentary site write "Kiev"; two others "Kyiv"."""
    k = kwic(seed, "re:Kiev|Kyiv")
    per_outlet = k.groupby(["outlet", "match"]).size().to_dict()
    assert per_outlet == {
        ("Commentary site", "Kiev"): 1,
        ("EU-affairs explainer", "Kyiv"): 1,
        ("Russian state-media repost", "Kiev"): 6,
        ("Summit wire report", "Kyiv"): 1,
    }
    assert "between Moscow and Kiev" in " ".join(k.loc[k["doc_id"] == "rejects-coalition", ["left", "match"]].iloc[0])


# --- lexicon files -------------------------------------------------------------------------------


def test_duplicate_yaml_keys_are_refused(tmp_path):
    path = tmp_path / "lex.yaml"
    path.write_text("frames:\n  a: {terms: [x]}\n  a: {terms: [y]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"lex.yaml: frames: the key 'a' appears twice \(lines 2 and 3\)"):
        load_lexicon_source(path, "frame dictionary")


def test_lexicon_file_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("frames: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.yaml: not valid YAML"):
        load_lexicon_source(bad, "frame dictionary")
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("just text\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mapping at the top level"):
        load_lexicon_source(scalar, "frame dictionary")
    with pytest.raises(TypeError, match="YAML path or a dict"):
        load_lexicon_source(42, "frame dictionary")


@pytest.mark.parametrize(
    "term",
    ["Kiev", "U.S.", "$5", "re:\\$\\s?\\d+", "re:a?b", "re:Kiev|-ish", "re:(Kyiv|Kiev) regime", "re:troops?",
     "-ish", "coalition of the willing"],
)
def test_combined_pattern_matches_like_the_plain_rule(term):
    """compile_phrases's faster start check gives the same matches as the general boundary rule."""
    import re

    from diplomacy_lab.text.phrases import compile_phrases, phrase_body

    reference = re.compile(r"(?:(?<!\w)|(?!\w))(?:" + phrase_body(term) + r")(?:(?!\w)|(?<!\w))", re.IGNORECASE)
    text = ("U.S. $5 and $ 12, ab b xb Kiev-ish Kiev regime; a-ish troop troops, the coalition of the "
            "willing; Kyiv regime, Kievan, $5x")
    assert [m.span() for m in compile_phrases([term]).finditer(text)] == [m.span() for m in reference.finditer(text)]
