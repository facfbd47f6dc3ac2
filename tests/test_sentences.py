"""Tests for diplomacy_lab.text.sentences: Punkt with news-specific line handling."""

from __future__ import annotations

import importlib
import re

import nltk
import pandas as pd
import pytest

from diplomacy_lab.paths import resource_path, seed_corpus_dir
from diplomacy_lab.text.sentences import sentences, split_sentences

# The module itself: the package re-exports the *function* under the same name.
sentences_module = importlib.import_module("diplomacy_lab.text.sentences")

SEEDS_DIR = seed_corpus_dir()  # the shipped copies of the five seed articles
COLUMNS = ["doc_id", "sent_id", "start", "end", "text"]


def split(text: str) -> list[str]:
    """Sentence strings of ``text``, after checking every span against it."""
    spans = split_sentences(text)
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip(), f"whitespace at the edge of {piece!r}"
    assert spans == sorted(spans)
    assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:])), "overlapping spans"
    return [text[s:e] for s, e in spans]


def check_table(table: pd.DataFrame, articles: pd.DataFrame) -> None:
    """Column layout, dtypes, sent_id numbering and text[start:end] == text on every row."""
    assert list(table.columns) == COLUMNS
    for col in ("sent_id", "start", "end"):
        assert table[col].dtype == "int64"
    by_id = dict(zip(articles["doc_id"], articles["text"]))
    for row in table.itertuples(index=False):
        assert by_id[row.doc_id][row.start : row.end] == row.text
    for _, group in table.groupby("doc_id", sort=False):
        assert group["sent_id"].tolist() == list(range(len(group)))
        assert group["start"].is_monotonic_increasing


# --- 1. abbreviations -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "U.S. officials met Dr. Smith on Jan. 5. Gen. Milley and Sen. Graham agreed.",
            ["U.S. officials met Dr. Smith on Jan. 5.", "Gen. Milley and Sen. Graham agreed."],
        ),
        (
            "The talks included the U.S. The Kremlin disagreed.",
            ["The talks included the U.S.", "The Kremlin disagreed."],
        ),
        ("Mr. Putin spoke.", ["Mr. Putin spoke."]),
        (
            "George W. Bush met Lt. Gen. Smith in Washington, D.C. The talks ended.",
            ["George W. Bush met Lt. Gen. Smith in Washington, D.C.", "The talks ended."],
        ),
        ("They backed Plan B. The Kremlin refused.", ["They backed Plan B.", "The Kremlin refused."]),
        ("He said no. The talks ended.", ["He said no.", "The talks ended."]),
    ],
)
def test_abbreviations(text, expected):
    assert split(text) == expected


# --- 2. quotes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "closing"), [('"', '"'), ("“", "”"), ("'", "'"), ("‘", "’"), ("«", "»")]
)
def test_closing_quote_stays_with_its_sentence(opening, closing):
    text = f"Macron said {opening}there will be a reassurance force.{closing} Starmer agreed."
    assert split(text) == [
        f"Macron said {opening}there will be a reassurance force.{closing}",
        "Starmer agreed.",
    ]


def test_question_and_exclamation_inside_quotes():
    assert split('She asked "Why?" He left! Talks resumed.') == [
        'She asked "Why?"',
        "He left!",
        "Talks resumed.",
    ]


# --- 3. headlines, bullets and line structure -------------------------------


def test_headlines_before_paragraph():
    text = (
        "Meloni Backs Macron's Call for Russia Talks, Warns EU on Ukraine Influence\n"
        "Meloni Urges EU to Reopen Dialogue with Russia on Ukraine\n"
        "\n"
        "In a significant shift in European diplomatic rhetoric, Italian Prime Minister "
        "Giorgia Meloni has aligned herself with French President Emmanuel Macron's push "
        "for direct dialogue with Russia.\n"
    )
    got = split(text)
    assert len(got) == 3
    assert got[0] == "Meloni Backs Macron's Call for Russia Talks, Warns EU on Ukraine Influence"
    assert got[1] == "Meloni Urges EU to Reopen Dialogue with Russia on Ukraine"
    assert got[2].startswith("In a significant shift") and got[2].endswith("with Russia.")


def test_hard_wrapped_line_joins_the_next():
    text = (
        "In her discussions with French President Emmanuel Macron, Meloni advocated for "
        "support of former President\n"
        "Donald Trump's peace initiatives.\n"
        "The meeting highlighted the complexities."
    )
    got = split(text)
    assert got == [
        "In her discussions with French President Emmanuel Macron, Meloni advocated for "
        "support of former President\nDonald Trump's peace initiatives.",
        "The meeting highlighted the complexities.",
    ]


def test_bullets_are_sentences_without_their_marker():
    text = (
        "At a Glance\n"
        "\n"
        "  • Meloni opted to attend the recent Paris “coalition of the willing” summit on "
        "Ukraine remotely, distancing Italy from proposals to send troops\n"
        "  • While supporting Ukraine politically and militarily, Italy has explicitly "
        "rejected the deployment of Italian soldiers into the conflict zone\n"
    )
    got = split(text)
    assert len(got) == 3
    assert got[0] == "At a Glance"
    assert got[1].startswith("Meloni opted") and got[1].endswith("send troops")
    assert got[2].startswith("While supporting") and got[2].endswith("conflict zone")
    assert not any("•" in s for s in got)


@pytest.mark.parametrize("marker", ["-", "*", "–", "—", "·", "1.", "2)"])
def test_other_list_markers(marker):
    text = f"Key points\n{marker} Italy will not send troops to Ukraine\n{marker} Rome backs talks"
    assert split(text) == ["Key points", "Italy will not send troops to Ukraine", "Rome backs talks"]


def test_line_ending_with_comma_continues():
    text = (
        "In an interview with Russia-1 TV on Thursday,\n"
        "Ushakov outlined Moscow’s goal of “a long-term peaceful settlement.”"
    )
    assert split(text) == [text]


def test_short_headline_without_punctuation():
    text = (
        "Russia not interested in temporary Ukraine deal – Putin aide\n"
        "Russia is not interested in temporary solutions to the Ukraine conflict."
    )
    assert split(text) == text.split("\n")


def test_long_title_case_headline_stands_alone():
    text = (
        "Meloni Backs Macron's Call for Russia Talks, Warns European Union Leaders About "
        "Their Shrinking Influence Over Ukraine Peace Negotiations\n"
        "The Italian leader spoke in Rome."
    )
    assert split(text) == text.split("\n")


def test_photo_credit_line():
    text = (
        "©Getty Images/Massimo Di Vita\n"
        "Italian Prime Minister Giorgia Meloni will not take part in the video conference."
    )
    assert split(text) == text.split("\n")


def test_blank_line_always_ends_a_sentence():
    text = "The talks in Paris were long and, by all accounts,\n\n  difficult for everyone."
    got = split(text)
    assert got == ["The talks in Paris were long and, by all accounts,", "difficult for everyone."]


def test_colon_at_line_end_ends_a_sentence():
    assert split("Macron said:\nThe force will deploy.") == ["Macron said:", "The force will deploy."]


def test_abbreviation_at_line_end_before_lowercase_line():
    # A wrapped "U.S." does not end the sentence; an ordinary period still does.
    assert split("Officials met in the U.S.\nofficials said later.") == [
        "Officials met in the U.S.\nofficials said later."
    ]
    assert split("The talks ended.\nnobody said more.") == ["The talks ended.", "nobody said more."]


def test_whitespace_and_rules_are_never_sentences():
    text = "  \n\t Talks resume.  \n***\n \n   Putin waits.\t\n"
    assert split(text) == ["Talks resume.", "Putin waits."]


def test_empty_and_blank_text():
    assert split_sentences("") == []
    assert split_sentences(" \n\r\n\t ") == []


def test_split_sentences_rejects_non_strings():
    with pytest.raises(TypeError):
        split_sentences(None)


# --- 4. CR and CRLF line ends -----------------------------------------------


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_cr_and_crlf_line_ends(newline):
    lines = [
        "Meloni Urges EU to Reopen Dialogue with Russia on Ukraine",
        "",
        "In an interview with Russia-1 TV on Thursday,",
        "Ushakov outlined Moscow’s goal. Talks went on.",
        "Russia not interested in temporary Ukraine deal – Putin aide",
        "Russia is not interested in temporary solutions.",
    ]
    text = newline.join(lines) + newline
    assert split(text) == [
        lines[0],
        lines[2] + newline + "Ushakov outlined Moscow’s goal.",
        "Talks went on.",
        lines[4],
        lines[5],
    ]
    assert len(split_sentences(text)) == len(split_sentences("\n".join(lines)))


# --- the DataFrame API ------------------------------------------------------


def test_sentences_table():
    articles = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "outlet": ["x", "y", "z"],
            "text": [
                "Meloni Speaks\nMr. Putin spoke. He left.",
                "U.S. officials met.\r\n\r\n• Talks resume",
                "One sentence only.",
            ],
        }
    )
    table = sentences(articles)
    check_table(table, articles)
    assert table["doc_id"].tolist() == ["a", "a", "a", "b", "b", "c"]
    assert table["sent_id"].tolist() == [0, 1, 2, 0, 1, 0]
    assert table["text"].tolist()[:3] == ["Meloni Speaks", "Mr. Putin spoke.", "He left."]
    assert table["text"].iloc[4] == "Talks resume"


def test_missing_or_empty_text_gives_no_rows():
    articles = pd.DataFrame(
        {"doc_id": [1, 2, 3, 4, 5], "text": [None, "", "  \n ", pd.NA, "Talks resumed."]},
        dtype=object,
    )
    table = sentences(articles)
    check_table(table, articles.dropna())
    assert table["doc_id"].tolist() == [5]
    assert table["text"].tolist() == ["Talks resumed."]


def test_float_nan_text_gives_no_rows():
    articles = pd.DataFrame({"doc_id": [1, 2], "text": [float("nan"), "Talks resumed."]})
    assert sentences(articles)["doc_id"].tolist() == [2]


def test_empty_input_keeps_columns_and_dtypes():
    articles = pd.DataFrame({"doc_id": pd.Series([], dtype="int64"), "text": pd.Series([], dtype=object)})
    table = sentences(articles)
    assert table.empty
    assert list(table.columns) == COLUMNS
    for col in ("sent_id", "start", "end"):
        assert table[col].dtype == "int64"
    assert table["doc_id"].dtype == "int64"


@pytest.mark.parametrize("missing", ["doc_id", "text"])
def test_missing_column_is_named(missing):
    articles = pd.DataFrame({"doc_id": [1], "text": ["Hi."]}).drop(columns=missing)
    with pytest.raises(ValueError, match=missing) as err:
        sentences(articles)
    assert "doc_id" in str(err.value) and "text" in str(err.value)


def test_quiet_for_small_inputs(capsys):
    articles = pd.DataFrame({"doc_id": range(5), "text": ["Talks resumed. Putin waits."] * 5})
    sentences(articles)
    sentences(articles, progress=False)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_nothing_is_downloaded(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("sentences must not download or load nltk data")

    monkeypatch.setattr(nltk, "download", forbidden)
    monkeypatch.setattr(nltk.data, "load", forbidden)
    monkeypatch.setattr(nltk.data, "find", forbidden)
    sentences_module._tokenizer.cache_clear()
    try:
        assert split("Mr. Putin spoke. He left.") == ["Mr. Putin spoke.", "He left."]
    finally:
        sentences_module._tokenizer.cache_clear()


def test_tokenizer_built_once():
    assert sentences_module._tokenizer() is sentences_module._tokenizer()


def test_resource_word_lists_are_clean():
    resources = resource_path()
    for name in ("punkt_abbreviations.txt", "punkt_sentence_starters.txt"):
        words = [
            line.strip()
            for line in (resources / name).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
        assert words, name
        for word in words:
            assert word == word.lower() and not word.endswith(".") and " " not in word, word
    abbreviations = sentences_module._read_words("punkt_abbreviations.txt")
    assert {"u.s", "dr", "jan", "gen", "sen", "mr", "calif"} <= abbreviations
    assert not {"no", "ill", "may", "miss"} & abbreviations


# --- 5. the real seed articles ----------------------------------------------


def test_seed_articles():
    files = sorted(SEEDS_DIR.glob("*.txt"))
    assert len(files) == 5
    articles = pd.DataFrame(
        {"doc_id": [f.stem for f in files], "text": [f.read_text(encoding="utf-8") for f in files]}
    )
    table = sentences(articles)
    check_table(table, articles)
    assert (table.groupby("doc_id").size() >= 10).all()
    blank_line = re.compile(r"(?:\r\n|\r|\n)[^\S\r\n]*(?:\r\n|\r|\n)")
    for text in table["text"]:
        assert not text[0].islower(), f"sentence starts in lower case: {text[:60]!r}"
        assert not blank_line.search(text), f"sentence spans a blank line: {text[:60]!r}"
        assert text[0] not in "•·", f"bullet marker kept: {text[:60]!r}"
