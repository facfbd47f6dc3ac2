"""Reporting verbs: which verbs introduce an actor's speech, per outlet."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from diplomacy_lab import load_corpus
from diplomacy_lab.codebook.schema import load_codebook
from diplomacy_lab.coverage.reporting_verbs import (
    OCCURRENCE_COLUMNS,
    find_reporting_verbs,
    load_reporting_verbs,
    plot_reporting_verbs,
    reporting_verbs,
)
from diplomacy_lab.paths import data_dir, seed_corpus_dir
from diplomacy_lab.uncertainty import wilson_interval

CODEBOOK = {
    "name": "demo",
    "actors": {
        "meloni": {"name": "Giorgia Meloni", "country": "Italy", "gender": "female", "aliases": ["Meloni"]},
        "putin": {"name": "Vladimir Putin", "country": "Russia", "gender": "male", "aliases": ["Putin"]},
        "russia": {"name": "Government of Russia", "country": "Russia", "kind": "government",
                   "metonyms": ["the Kremlin", "Moscow"]},
    },
    "targets": {"troops": {"label": "Troops", "patterns": ["troops"]}},
}


def one(text: str, codebook=None, **kwargs) -> pd.DataFrame:
    return find_reporting_verbs(pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": [text]}), codebook, **kwargs)


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    return load_corpus(seed_corpus_dir())


@pytest.fixture(scope="module")
def seed_codebook():
    return load_codebook(data_dir() / "codebooks" / "ukraine_2025.yaml")


# --- what counts as a speech report -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Meloni stressed that Italy would stay out.", [("stress", "Meloni", "before")]),
        ("The Kremlin has also repeatedly said no.", [("say", "The Kremlin", "before")]),
        ('"We are ready," said Putin.', [("say", "Putin", "after")]),
        ("“We are ready”, said Putin.", [("say", "Putin", "after")]),
        ("The plan is dead, according to Moscow.", [("according to", "Moscow", "according")]),
        ("Meloni issued a stark warning to Moscow.", []),               # a noun after a determiner
        ("Putin rejected the claims made by Meloni.", [("reject", "Putin", "before")]),
        ("Meloni backs talks, warns Moscow on influence.", []),         # not inverted: no quote before
        ('"No," insisting Putin.', []),                                 # -ing forms are not inverted
        ("Meloni, in Rome, said no.", []),                              # punctuation between subject and verb
        ("Meloni met Putin. She said no.", [("say", "She", "before")]),  # pronoun resolved by the codebook
        ("Meloni claimed and Putin insisted.", [("claim", "Meloni", "before"), ("insist", "Putin", "before")]),
    ],
)
def test_attribution_rules(text, expected):
    found = one(text, CODEBOOK)
    assert list(found.columns) == OCCURRENCE_COLUMNS
    assert list(zip(found["lemma"], found["speaker"], found["position"])) == expected


def test_codebook_ids_offsets_and_evidence():
    text = "Talks stalled. Meloni met Putin. She insisted on peace."
    found = one(text, CODEBOOK)
    row = found.iloc[0]
    assert (row.actor, row.form, row.verb_class, row.sent_id) == ("meloni", "insisted", "emphatic", 2)
    assert text[row.start:row.end] == "insisted"
    assert row.evidence == "She insisted on peace."


def test_without_codebook_names_pronouns_and_speaker_nouns_speak():
    text = ("Russian officials claimed victory. The presidential aide stressed it. "
            "La Repubblica said so. The talks said nothing.")
    found = one(text)
    assert list(zip(found["lemma"], found["speaker"])) == [
        ("claim", "Russian officials"), ("stress", "aide"), ("say", "La Repubblica")]
    assert found["actor"].isna().all()


def test_window_limits_the_words_between_subject_and_verb():
    assert len(one("Putin has also once again said no.", CODEBOOK, window=4)) == 1
    assert len(one("Putin has also once again said no.", CODEBOOK, window=2)) == 0
    with pytest.raises(ValueError, match="window must be a non-negative"):
        one("Putin said.", CODEBOOK, window=-1)


# --- counts per outlet ---------------------------------------------------------------------------------


def test_counts_shares_and_classes():
    arts = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["RT", "RT", "Wire"], "text": [
        "Putin said no. Putin claimed victory.", "The Kremlin insisted. Putin said yes.", "Putin said no."]})
    t = reporting_verbs(arts, CODEBOOK)
    assert list(t.columns) == ["outlet", "lemma", "verb_class", "uses", "group_uses", "share", "share_low",
                               "share_high", "articles", "group_articles"]
    assert t[["outlet", "lemma", "uses", "group_uses", "articles"]].values.tolist() == [
        ["RT", "say", 2, 4, 2], ["RT", "insist", 1, 4, 1], ["RT", "claim", 1, 4, 1],
        ["Wire", "say", 1, 1, 1], ["Wire", "insist", 0, 1, 0], ["Wire", "claim", 0, 1, 0],
    ]
    for row in t.itertuples():
        assert (row.share_low, row.share_high) == wilson_interval(row.uses, row.group_uses)
    classes = reporting_verbs(arts, CODEBOOK, level="verb_class")
    assert classes[classes["outlet"] == "RT"][["verb_class", "uses"]].values.tolist() == [
        ["neutral", 2], ["emphatic", 1], ["distancing", 1]]


def test_precomputed_occurrences_are_used():
    arts = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": ["Putin said no."]})
    occ = find_reporting_verbs(arts, CODEBOOK)
    assert reporting_verbs(arts, occurrences=occ).equals(reporting_verbs(arts, CODEBOOK))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"level": "form"}, "level must be 'lemma' or 'verb_class'"),
        ({"by": "site"}, r"missing column\(s\) \['site'\]"),
    ],
)
def test_bad_arguments(kwargs, message):
    arts = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": ["Putin said no."]})
    with pytest.raises(ValueError, match=message):
        reporting_verbs(arts, CODEBOOK, **kwargs)


# --- the verb list ------------------------------------------------------------------------------------


def test_shipped_verb_list():
    verbs = load_reporting_verbs()
    forms = verbs.groupby("lemma")["form"].apply(list)
    assert forms["say"] == ["say", "says", "said", "saying"]
    assert {"claim", "insist", "warn", "stress", "according to"} <= set(forms.index)
    assert verbs.groupby("lemma")["verb_class"].nunique().max() == 1
    assert not verbs["form"].str.lower().duplicated().any()


def test_own_and_extended_verb_lists():
    mine = {"verbs": {"opine": {"class": "neutral", "forms": ["opine", "opined"]},
                      "say": {"class": "neutral", "forms": ["said"]}}}
    assert set(load_reporting_verbs(mine)["lemma"]) == {"opine", "say"}
    extended = load_reporting_verbs(mine, extend=True)
    assert "opined" in set(extended["form"]) and "claimed" in set(extended["form"])
    found = one("Putin opined that peace was near.", CODEBOOK, verbs=mine)
    assert found["lemma"].tolist() == ["opine"]


@pytest.mark.parametrize(
    ("verbs", "message"),
    [
        ({}, r"reporting-verb list <dict>: missing key\(s\) \['verbs'\]"),
        ({"verbs": {"say": {"class": "neutral"}}}, r"verbs.say: missing key\(s\) \['forms'\]"),
        ({"verbs": {"say": {"class": "neutral", "kind": "talk", "forms": ["said"]}}}, r"verbs.say.kind: must be one of"),
        ({"verbs": {"say": {"class": "neutral", "takes": "people", "forms": ["said"]}}}, r"verbs.say.takes: must be"),
        ({"verbs": {"say": {"class": "neutral", "forms": "said"}}}, "verbs.say.forms: must be a non-empty list"),
        ({"verbs": {"say": {"class": "neutral", "forms": ["re:sa(y|id)"]}}}, "plain word or phrase"),
        ({"verbs": {"say": {"class": "neutral", "forms": ["said"]}, "state": {"class": "neutral", "forms": ["Said"]}}},
         "verbs.state.forms: 'Said' is also a form of 'say'"),
    ],
)
def test_bad_verb_lists_name_the_entry(verbs, message):
    with pytest.raises(ValueError, match=message):
        load_reporting_verbs(verbs)


# --- the seed corpus ---------------------------------------------------------------------------------


def test_seed_state_media_reports_russian_officials(seed, seed_codebook):
    occ = find_reporting_verbs(seed, seed_codebook)
    rt = occ[occ["doc_id"] == "boycott-videoconf"]
    assert {("insist", "putin"), ("stress", "ushakov"), ("confirm", "peskov"), ("hint", "zakharova"),
            ("stress", "meloni")} <= set(zip(rt["lemma"], rt["actor"]))
    blog = occ[occ["doc_id"] == "italy-says-no"]
    assert ("state", "macron", "after") in set(zip(blog["lemma"], blog["actor"], blog["position"]))


def test_seed_table_and_plot(seed, seed_codebook):
    table = reporting_verbs(seed, seed_codebook)
    per_outlet = table.drop_duplicates("outlet").set_index("outlet")["group_uses"]
    assert per_outlet["Russian state-media repost"] == table.loc[
        table["outlet"] == "Russian state-media repost", "uses"].sum()
    fig = plot_reporting_verbs(table, top=8)
    assert isinstance(fig, Figure)
    assert len(fig.axes[0].get_yticklabels()) == 8
    title = " ".join(fig.texts[0].get_text().split())
    assert title.startswith("“say” introduces 5 of ")


def test_plot_refuses_an_empty_table():
    arts = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": ["Nothing was said by anyone here."]})
    with pytest.raises(ValueError, match="nothing to plot"):
        plot_reporting_verbs(reporting_verbs(arts, CODEBOOK))


def test_top_reporting_verbs_are_the_plotted_rows(seed, seed_codebook):
    from diplomacy_lab.coverage.reporting_verbs import top_reporting_verbs

    table = reporting_verbs(seed, seed_codebook)
    top = top_reporting_verbs(table, 5)
    assert top["lemma"].nunique() == 5 and top["lemma"].iloc[0] == "say"
    fig = plot_reporting_verbs(table, top=5)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == list(dict.fromkeys(top["lemma"]))
    with pytest.raises(ValueError, match="top must be a positive"):
        top_reporting_verbs(table, 0)


def test_dated_roles_name_the_speaker_of_the_article_date():
    book = load_codebook({"name": "d", "targets": {"talks": {"label": "Talks", "patterns": ["talks"]}}, "actors": {
        "obama": {"name": "Barack Obama", "country": "United States", "aliases": ["Obama"],
                  "roles": [{"phrase": "the president", "from": "2009-01-20", "to": "2017-01-19"}]},
        "trump": {"name": "Donald Trump", "country": "United States", "aliases": ["Trump"],
                  "roles": [{"phrase": "the president", "from": "2017-01-20", "to": "2021-01-19"}]}}})
    arts = pd.DataFrame({"doc_id": ["a", "b"], "date": pd.to_datetime(["2015-06-01", "2018-06-01"]),
                         "text": ["The president said talks would go on."] * 2})
    found = find_reporting_verbs(arts, book)
    assert dict(zip(found["doc_id"], found["actor"])) == {"a": "obama", "b": "trump"}
