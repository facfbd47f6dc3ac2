"""Frames: the dictionary, sentence and article scores, shares per group, the heatmap."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from matplotlib.figure import Figure

from diplomacy_lab import sentences
from diplomacy_lab.charts.export import export_figure, source_note
from diplomacy_lab.framing.frames import (
    FRAME_COLUMNS,
    article_frames,
    frame_shares,
    load_frames,
    plot_frame_shares,
    sentence_frames,
)
from diplomacy_lab.uncertainty import wilson_interval

SMALL = {"frames": {
    "war": {"label": "War", "pfc": "8 Security and defense", "terms": ["troops", "re:tanks?"]},
    "talks": {"label": "Talks", "terms": ["peace talks", "re:negotiat(e|ion|ions)"]},
}}


@pytest.fixture
def articles() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["a", "b", "c"],
        "outlet": ["Wire", "Wire", "Blog"],
        "text": [
            "Troops and tanks massed. Peace talks began. Nobody came.",
            "A tank rolled in. We want peace. Talks follow.",   # "peace. Talks" spans two sentences
            "Negotiations stalled.",
        ],
    })


def test_sentence_frames_known_rows(articles):
    sf = sentence_frames(sentences(articles), SMALL)
    assert list(sf.columns) == ["doc_id", "sent_id", "frame", "hits", "terms"]
    assert sf.values.tolist() == [
        ["a", 0, "war", 2, "troops; tanks"],
        ["a", 1, "talks", 1, "peace talks"],
        ["b", 0, "war", 1, "tank"],
        ["c", 0, "talks", 1, "negotiations"],
    ]


def test_article_frames_zero_filled(articles):
    af = article_frames(articles, SMALL)
    assert list(af.columns) == ["doc_id", "frame", "label", "frame_sentences", "sentences", "share"]
    assert af.values.tolist() == [
        ["a", "war", "War", 1, 3, 0.3333], ["a", "talks", "Talks", 1, 3, 0.3333],
        ["b", "war", "War", 1, 3, 0.3333], ["b", "talks", "Talks", 0, 3, 0.0],
        ["c", "war", "War", 0, 1, 0.0], ["c", "talks", "Talks", 1, 1, 1.0],
    ]


def test_frame_shares_counts_and_wilson(articles):
    fs = frame_shares(articles, SMALL)
    assert list(fs.columns) == ["outlet", "frame", "label", "frame_sentences", "sentences", "share", "share_low",
                                "share_high", "articles", "group_articles"]
    assert fs[["outlet", "frame", "frame_sentences", "sentences", "articles", "group_articles"]].values.tolist() == [
        ["Blog", "war", 0, 1, 0, 1], ["Blog", "talks", 1, 1, 1, 1],
        ["Wire", "war", 2, 6, 2, 2], ["Wire", "talks", 1, 6, 1, 2],
    ]
    for row in fs.itertuples():
        assert (row.share_low, row.share_high) == wilson_interval(row.frame_sentences, row.sentences)
        assert row.share == round(row.frame_sentences / row.sentences, 4)


def test_precomputed_sentences_give_the_same_result(articles):
    sents = sentences(articles)
    assert frame_shares(articles, SMALL, sents=sents).equals(frame_shares(articles, SMALL))


def test_by_other_column(articles):
    fs = frame_shares(articles.assign(side=["left", "right", "left"]), SMALL, by="side")
    assert fs.loc[(fs["side"] == "left") & (fs["frame"] == "talks"), "frame_sentences"].item() == 2


# --- the dictionary ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    ("general", {"economic", "capacity_resources", "morality", "fairness_equality", "legality", "crime_punishment",
                 "security_defence", "health_safety", "quality_of_life", "cultural_identity", "public_opinion",
                 "political", "external_reputation"}),
    ("russia_ukraine", {"security_defence", "diplomacy", "sovereignty", "economic", "capacity_resources",
                        "humanitarian", "legality", "morality", "public_opinion", "political", "identity"}),
])
def test_shipped_dictionaries_document_every_frame(name, expected):
    frames = load_frames(name)
    assert list(frames.columns) == FRAME_COLUMNS
    assert set(frames["frame"]) == expected
    per_frame = frames.drop_duplicates("frame")
    assert (per_frame["label"] != per_frame["frame"]).all() and (per_frame["description"] != "").all()
    for pfc in per_frame["pfc"]:   # each names its Policy Frames Codebook frame(s), numbered 1-14
        numbers = [int(n) for n in re.findall(r"\b(\d{1,2}) [A-Z]", pfc)]
        assert numbers and all(1 <= n <= 14 for n in numbers), pfc
    assert (frames.groupby("frame").size() >= 8).all()


def test_the_default_dictionary_is_the_general_one():
    assert load_frames().equals(load_frames("general"))
    with pytest.raises(ValueError, match=r"no shipped frames lexicon 'war'; shipped: \['general', 'russia_ukraine'\]"):
        load_frames("war")


def test_general_terms_on_a_hand_made_text():
    text = ("Prices and tariffs rose. The court ruled the law void. Voters protested in the capital. "
            "Hospitals ran short of doctors. The ambassador met his counterpart at the summit.")
    sf = sentence_frames(sentences(pd.DataFrame({"doc_id": ["a"], "text": [text]})))
    got = sf.groupby("sent_id")["frame"].apply(set).to_dict()
    assert got[0] == {"economic"} and "legality" in got[1] and "public_opinion" in got[2]
    assert "health_safety" in got[3] and got[4] == {"external_reputation"}


def test_shipped_terms_on_a_hand_made_text():
    text = ("Sovereignty matters. Sanctions cost billions. Civilians fled the shelling. "
            "The treaty was violated. Polls show doubt. Parliament voted.")
    sf = sentence_frames(sentences(pd.DataFrame({"doc_id": ["a"], "text": [text]})), "russia_ukraine")
    assert sf.groupby("sent_id")["frame"].apply(list).to_dict() == {
        0: ["sovereignty"], 1: ["economic"], 2: ["humanitarian"], 3: ["legality"], 4: ["public_opinion"],
        5: ["political"],
    }


def test_own_dictionary_from_yaml_and_table(tmp_path, articles):
    path = tmp_path / "frames.yaml"
    path.write_text("frames:\n  war:\n    label: War\n    terms: [troops, 're:tanks?']\n"
                    "  talks:\n    terms: [peace talks, 're:negotiat(e|ion|ions)']\n", encoding="utf-8")
    from_yaml = frame_shares(articles, path)
    assert from_yaml["frame_sentences"].tolist() == frame_shares(articles, SMALL)["frame_sentences"].tolist()
    table = load_frames(SMALL)
    assert frame_shares(articles, table).equals(frame_shares(articles, SMALL))
    assert set(from_yaml.loc[from_yaml["frame"] == "talks", "label"]) == {"talks"}   # the id stands in


def test_extend_adds_terms_and_frames():
    f = load_frames({"frames": {"humanitarian": {"terms": ["aid convoy"]},
                                "energy": {"label": "Energy", "terms": ["pipeline"]}}}, extend="russia_ukraine")
    assert f.loc[f["frame"] == "humanitarian", "term"].iloc[-1] == "aid convoy"
    assert f.loc[f["frame"] == "humanitarian", "label"].iloc[0] == "Humanitarian"
    assert f["frame"].iloc[-1] == "energy"
    assert len(set(f["frame"])) == len(set(load_frames("russia_ukraine")["frame"])) + 1
    g = load_frames({"frames": {"energy": {"label": "Energy", "terms": ["pipeline"]}}}, extend=True)
    assert set(g["frame"]) == set(load_frames()["frame"]) | {"energy"}


@pytest.mark.parametrize(
    ("frames", "message"),
    [
        ({}, r"frame dictionary <dict>: missing key\(s\) \['frames'\]"),
        ({"frames": []}, "frames must be a non-empty mapping"),
        ({"frames": {"war": {"label": "War"}}}, r"frames.war: missing key\(s\) \['terms'\]"),
        ({"frames": {"war": {"terms": ["re:tank(s"]}}}, r"frames.war.terms: term 're:tank\(s' is not a valid"),
        ({"frames": {"war": {"terms": ["tank", "Tank"]}}}, "frames.war.terms: the term 'Tank' is listed twice"),
        ({"frames": {"war": {"terms": "tank"}}}, r"frames.war.terms: must be a list of terms, got a string"),
        ({"frames": {"war": {"terms": ["tank"], "weight": 2}}}, r"frames.war: unknown key\(s\) \['weight'\]"),
        ({"frames": {"war frame": {"terms": ["tank"]}}}, "the id 'war frame' is not valid.*'war_frame'"),
        ({"frames": {"war": {"label": 3, "terms": ["tank"]}}}, "frames.war.label: must be a non-empty string"),
    ],
)
def test_bad_dictionaries_name_the_entry(frames, message):
    with pytest.raises(ValueError, match=message):
        load_frames(frames)


def test_bad_input_tables(articles):
    with pytest.raises(ValueError, match=r"missing column\(s\) \['outlet'\]"):
        frame_shares(articles.drop(columns="outlet"), SMALL)
    with pytest.raises(ValueError, match="clashes with an output column"):
        frame_shares(articles.assign(frame="x"), SMALL, by="frame")
    with pytest.raises(ValueError, match=r"sentences is missing column\(s\) \['sent_id'\]"):
        sentence_frames(pd.DataFrame({"doc_id": ["a"], "text": ["x"]}), SMALL)


# --- the seed corpus ---------------------------------------------------------------------------------


def test_seed_sovereignty_is_the_opinion_blogs_frame(seed):
    fs = frame_shares(seed, "russia_ukraine").set_index(["outlet", "frame"])
    blog = fs.loc[("Opinion blog (At a Glance)", "sovereignty")]
    assert blog["frame_sentences"] == 7 and blog["sentences"] == 39
    others = fs.xs("sovereignty", level="frame").drop("Opinion blog (At a Glance)")
    assert (others["frame_sentences"] == 0).all()
    sf = sentence_frames(sentences(seed), "russia_ukraine")
    terms = sf.loc[(sf["doc_id"] == "italy-says-no") & (sf["frame"] == "sovereignty"), "terms"]
    assert terms.str.contains("sovereignty").sum() == 4


def test_seed_sentence_totals_match_the_splitter(seed):
    fs = frame_shares(seed, "russia_ukraine")
    per_outlet = fs.drop_duplicates("outlet").set_index("outlet")["sentences"]
    assert per_outlet.sum() == len(sentences(seed))


def test_seed_heatmap(seed, tmp_path):
    table = frame_shares(seed, "russia_ukraine")
    fig = plot_frame_shares(table, source_note=source_note(seed, "seed corpus"))
    assert isinstance(fig, Figure)
    title = " ".join(fig.texts[0].get_text().split())
    assert title.startswith("Diplomacy is the most common frame (70 of 155 sentences)")
    cells = [t.get_text() for t in fig.axes[0].texts]
    assert len(cells) == table["frame"].nunique() * table["outlet"].nunique()
    assert "18%\n7/39" in cells
    paths = export_figure(fig, tmp_path, "frames", table)
    assert sorted(paths) == ["csv", "pdf", "png", "svg"]


def test_heatmap_title_says_when_no_gap_is_clear(articles):
    fig = plot_frame_shares(frame_shares(articles, SMALL))
    assert "no gap between groups is clear of the 95% intervals" in " ".join(fig.texts[0].get_text().split())


# --- article-level intervals -----------------------------------------------------------------------


def test_article_bootstrap_known_cases():
    from diplomacy_lab.framing.frames import article_bootstrap

    assert article_bootstrap([1, 1, 1], [2, 2, 2]) == (0.5, 0.5)       # identical articles: no spread
    low, high = article_bootstrap([0, 4, 1, 3], [4, 4, 4, 4], n_boot=4000, seed=1)
    assert 0 < low < 0.5 < high < 1
    assert article_bootstrap([1, 0], [2, 2], seed=3) == article_bootstrap([1, 0], [2, 2], seed=3)  # seeded
    assert all(math.isnan(x) for x in article_bootstrap([1], [2]))   # one article: nan
    with pytest.raises(ValueError, match="one value per article"):
        article_bootstrap([1, 2], [3])


def test_bootstrap_intervals_are_wider_than_wilson_when_articles_differ():
    arts = pd.DataFrame({"doc_id": list("abcdef"), "outlet": ["X"] * 6, "text": [
        "Troops. Troops. Troops.", "Talks. Talks. Talks.", "Troops. Troops. Talks.",
        "Talks. Talks. Talks.", "Troops. Troops. Troops.", "Talks. Talks. Troops."]})
    wilson = frame_shares(arts, SMALL).set_index("frame").loc["war"]
    boot = frame_shares(arts, SMALL, interval="bootstrap", n_boot=2000, seed=0).set_index("frame").loc["war"]
    assert wilson["share"] == boot["share"] == 0.5
    assert boot["share_high"] - boot["share_low"] > 0
    assert frame_shares(arts, SMALL, interval="bootstrap").attrs["interval"] == "bootstrap"
    with pytest.raises(ValueError, match="interval must be 'wilson' or 'bootstrap'"):
        frame_shares(arts, SMALL, interval="normal")


def test_heatmap_column_order(articles):
    fig = plot_frame_shares(frame_shares(articles, SMALL), order=["Wire", "Blog"], title="T")
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["Wire", "Blog"]
    with pytest.raises(ValueError, match=r"order leaves out \['Blog'\]"):
        plot_frame_shares(frame_shares(articles, SMALL), order=["Wire"])
