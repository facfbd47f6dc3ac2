"""Coverage: attention matrices and over time, shared / exclusive coverage, syndicated stories, voice."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from matplotlib.figure import Figure

from diplomacy_lab import (
    attention_over_time,
    corpus_duplicates,
    coverage_matrix,
    cross_outlet_duplicates,
    load_corpus,
    plot_attention_over_time,
    plot_coverage_heatmap,
    plot_shared_coverage,
    sentences,
    shared_coverage,
)
from diplomacy_lab.charts.export import export_figure
from diplomacy_lab.codebook.mentions import find_mentions
from diplomacy_lab.codebook.schema import load_codebook
from diplomacy_lab.coverage.attention import codebook_labels
from diplomacy_lab.coverage.voices import plot_voice_share, reported_speech, voice_share
from diplomacy_lab.paths import data_dir, seed_corpus_dir, shared_data_dir

CODEBOOK = {
    "name": "test",
    "actors": {
        "putin": {"name": "Vladimir Putin", "country": "Russia", "gender": "male", "aliases": ["Putin"]},
        "peskov": {"name": "Dmitry Peskov", "country": "Russia", "gender": "male", "aliases": ["Peskov"]},
        "meloni": {"name": "Giorgia Meloni", "country": "Italy", "gender": "female", "aliases": ["Meloni"]},
    },
    "targets": {"ceasefire": {"label": "A ceasefire", "patterns": ["re:cease-?fire"]}},
    "facts": {"ceasefire_30": {"label": "The 30-day ceasefire", "patterns": ["re:30-day cease-?fire"]}},
}


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson score interval, written out (Wilson 1927): an independent reference."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.fixture(scope="module")
def small():
    """Three articles, two outlets; the answers below are counted by hand."""
    articles = pd.DataFrame({
        "doc_id": ["a1", "a2", "b1"],
        "outlet": ["Alpha", "Alpha", "Beta"],
        "date": pd.to_datetime(["2025-03-10", "2025-04-02", "2025-04-20"]),
        "text": [
            "Peskov said a 30-day ceasefire was premature. Meloni backed a ceasefire.",
            "Meloni stressed that Italy will not send troops.",
            "“We want a ceasefire,” said Putin. Markets fell.",
        ],
    })
    codebook = load_codebook(CODEBOOK)
    sents = sentences(articles)
    mentions = find_mentions(sents, codebook)
    return articles, sents, mentions, codebook


@pytest.fixture(scope="module")
def seed():
    articles = load_corpus(seed_corpus_dir())
    codebook = load_codebook(data_dir() / "codebooks" / "ukraine_2025.yaml")
    sents = sentences(articles)
    return articles, sents, find_mentions(sents, codebook), codebook


# --- attention: matrices and over time -------------------------------------------------------

def test_coverage_matrix_counts_articles_and_sentences_by_hand(small):
    articles, sents, mentions, codebook = small
    table = coverage_matrix(articles, mentions, sents, kind="target", codebook=codebook).set_index("outlet")
    assert table.loc["Alpha", ["articles", "articles_mentioning", "sentences", "sentences_mentioning", "mentions"]].tolist() == [2, 1, 3, 2, 2]
    assert table.loc["Beta", ["articles", "articles_mentioning", "sentences", "sentences_mentioning", "mentions"]].tolist() == [1, 1, 2, 1, 1]
    assert table.loc["Alpha", "article_share"] == 0.5
    assert table.loc["Alpha", "label"] == "A ceasefire"
    for outlet, k, n in (("Alpha", 1, 2), ("Beta", 1, 1)):
        low, high = wilson(k, n)
        assert table.loc[outlet, "article_low"] == pytest.approx(low, abs=1e-4)
        assert table.loc[outlet, "article_high"] == pytest.approx(high, abs=1e-4)


def test_coverage_matrix_lists_every_pair_with_zeros_and_codebook_entries(small):
    articles, _, mentions, codebook = small
    table = coverage_matrix(articles, mentions, codebook=codebook)
    assert len(table) == 2 * (3 + 1 + 1)  # outlets x (actors + targets + facts)
    beta = table[(table["outlet"] == "Beta")].set_index("id")
    assert beta.loc["peskov", "articles_mentioning"] == 0 and beta.loc["peskov", "article_share"] == 0.0
    assert beta.loc["ceasefire_30", "kind"] == "fact" and beta.loc["ceasefire_30", "articles_mentioning"] == 0
    # without a codebook only mentioned items appear
    assert set(coverage_matrix(articles, mentions)["id"]) == set(mentions["id"])


def test_attention_over_time_normalises_by_the_outlets_own_output(small):
    articles, sents, mentions, _ = small
    table = attention_over_time(articles, mentions, sents, ids="ceasefire").set_index(["period", "outlet"])
    assert table.loc[("2025-03", "Alpha"), ["articles", "articles_mentioning", "article_share"]].tolist() == [1, 1, 1.0]
    assert table.loc[("2025-04", "Alpha"), ["articles", "articles_mentioning", "article_share"]].tolist() == [1, 0, 0.0]
    assert table.loc[("2025-03", "Beta"), "articles"] == 0
    assert math.isnan(table.loc[("2025-03", "Beta"), "article_share"])
    assert table.loc[("2025-04", "Beta"), ["sentences", "sentences_mentioning"]].tolist() == [2, 1]


def test_vias_leave_out_pronouns(seed):
    articles, _, mentions, _ = seed
    every = coverage_matrix(articles, mentions, kind="actor")
    named = coverage_matrix(articles, mentions, kind="actor", vias=["alias", "role", "metonymy"])
    assert (named["mentions"] <= every["mentions"]).all()
    assert named["mentions"].sum() < every["mentions"].sum()


# --- shared and exclusive coverage -------------------------------------------------------------

def test_shared_coverage_by_hand(small):
    articles, _, mentions, codebook = small
    table = shared_coverage(articles, mentions, codebook=codebook)
    status = table.drop_duplicates("id").set_index("id")["coverage"].to_dict()
    assert status == {"meloni": "exclusive", "peskov": "exclusive", "putin": "exclusive",
                      "ceasefire_30": "exclusive", "ceasefire": "all"}
    assert table["coverage"].tolist()[:2] == ["exclusive", "exclusive"]  # exclusive first
    fact = table[(table["id"] == "ceasefire_30") & table["carried"]]
    assert fact["outlet"].tolist() == ["Alpha"]
    strict = shared_coverage(articles, mentions, min_articles=2).set_index(["outlet", "id"])
    assert not strict.loc[("Alpha", "ceasefire"), "carried"]


def test_seed_only_some_outlets_carry_the_30_day_ceasefire(seed):
    articles, _, mentions, codebook = seed
    table = shared_coverage(articles, mentions, kind=["target", "fact"], codebook=codebook)
    carried = table[table["carried"]].groupby("id")["outlet"].apply(list).to_dict()
    assert carried["ceasefire_30_day"] == ["Russian state-media repost"]
    assert len(carried["nato_article5_for_ukraine"]) == 3  # the Article 5 idea: 3 of 5 outlets
    assert len(carried["ceasefire"]) == 5  # a ceasefire in general: every outlet
    one = table[table["id"] == "ceasefire_30_day"].set_index("outlet")
    # one article per outlet: an omission is weak evidence, the interval reaches 0.79
    assert one.loc["Summit wire report", ["articles", "article_high"]].tolist() == [1, pytest.approx(0.7935, abs=1e-4)]


# --- whose voice ----------------------------------------------------------------------------------

def test_reported_speech_by_hand(small):
    articles, sents, mentions, codebook = small
    speech = reported_speech(sents, mentions)
    assert list(zip(speech["doc_id"], speech["actor"], speech["verb"])) == [
        ("a1", "peskov", "said"), ("a2", "meloni", "stressed"), ("b1", "putin", "said")]
    assert speech.set_index("doc_id").loc["b1", "quoted"]
    share = voice_share(speech, articles, voice="country", codebook=codebook).set_index(["outlet", "voice"])
    assert share.loc[("Alpha", "Russia"), ["speech", "speech_total", "speech_share"]].tolist() == [1, 2, 0.5]
    assert share.loc[("Beta", "Russia"), ["speech", "speech_total", "speech_share"]].tolist() == [1, 1, 1.0]
    assert share.loc[("Beta", "Italy"), "speech"] == 0
    low, high = wilson(1, 2)
    assert share.loc[("Alpha", "Russia"), ["speech_low", "speech_high"]].tolist() == pytest.approx([low, high], abs=1e-4)


def test_reported_speech_skips_nouns_objects_and_headline_lists():
    articles = pd.DataFrame({"doc_id": ["x"], "text": [
        "His comments came late. Trump told Putin nothing. Meloni Backs Talks, Warns Putin."]})
    codebook = load_codebook(CODEBOOK | {"actors": CODEBOOK["actors"] | {
        "trump": {"name": "Donald Trump", "country": "United States", "gender": "male", "aliases": ["Trump"]}}})
    sents = sentences(articles)
    speech = reported_speech(sents, find_mentions(sents, codebook))
    assert speech["actor"].tolist() == ["trump"]  # "Trump told": Putin is the object, not a speaker


def test_seed_kremlin_voices_are_quoted_by_one_outlet(seed):
    articles, sents, mentions, _ = seed
    speech = reported_speech(sents, mentions)
    officials = {"putin", "ushakov", "peskov", "zakharova"}
    quoting = set(speech.loc[speech["actor"].isin(officials), "doc_id"])
    assert quoting == {"boycott-videoconf"}
    share = voice_share(speech, articles, voice={a: "Kremlin officials" for a in officials})
    row = share.set_index(["outlet", "voice"]).loc[("Russian state-media repost", "Kremlin officials")]
    assert row["speech"] >= 8 and row["speech_share"] > 0.4
    assert share.loc[share["voice"] == "Kremlin officials", "speech"].sum() == row["speech"]


# --- syndicated stories ---------------------------------------------------------------------------

def test_cross_outlet_duplicates_pairs_different_outlets_only():
    story = ("Russia and Ukraine agreed on Tuesday to a prisoner exchange brokered by the United Arab "
             "Emirates, officials in both capitals said, the largest swap since the war began.")
    articles = pd.DataFrame({
        "doc_id": ["wire", "copy_same", "repost", "rewrite", "other"],
        "outlet": ["Wire", "Wire", "Blog", "Paper", "Paper"],
        "date": pd.to_datetime(["2025-03-01", "2025-03-01", "2025-03-03", "2025-03-02", "2025-03-02"]),
        "text": [story, story, story.upper(), story + " More to follow.", "A different story entirely."],
    })
    pairs = cross_outlet_duplicates(articles)
    assert set(zip(pairs["doc_id"], pairs["duplicate_of"])) == {
        ("repost", "wire"), ("repost", "copy_same"), ("rewrite", "wire"), ("rewrite", "copy_same"), ("repost", "rewrite")}
    assert (pairs["outlet"] != pairs["duplicate_outlet"]).all()
    exact = pairs.set_index(["doc_id", "duplicate_of"])
    assert exact.loc[("repost", "wire"), ["kind", "similarity", "days_apart"]].tolist() == ["exact", 1.0, 2.0]
    # the near-copy similarity agrees with corpus_duplicates' own
    reference = corpus_duplicates(articles).set_index("doc_id").loc["rewrite", "similarity"]
    assert exact.loc[("rewrite", "wire"), "similarity"] == pytest.approx(reference, abs=1e-4)
    assert exact.loc[("rewrite", "wire"), "kind"] == "near"


def test_cross_outlet_duplicates_seed_has_none(seed):
    articles = seed[0]
    assert cross_outlet_duplicates(articles).empty


# --- plots ---------------------------------------------------------------------------------------

def test_plots_return_figures_titled_with_the_finding(seed, tmp_path):
    articles, sents, mentions, codebook = seed
    matrix = coverage_matrix(articles, mentions, sents, kind="target", codebook=codebook)
    fig = plot_coverage_heatmap(matrix)
    assert isinstance(fig, Figure)
    # Two targets are in all five articles: the title names both, not the first in sort order.
    assert " ".join(fig.texts[0].get_text().split()) == (
        "A ceasefire in Ukraine and Sending troops to Ukraine tie as the most mentioned: 5 articles each, in all 5 outlets")
    # Every outlet is one article: mentioned or not, no 0-100% colour scale.
    assert len(fig.axes) == 1 and [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [
        "mentioned", "not mentioned"]
    fig = plot_coverage_heatmap(matrix, unit="sentence", top=2)
    assert "top 2 of 5" in " ".join(fig.texts[1].get_text().split())
    over = attention_over_time(articles.assign(corpus="all"), mentions, by="corpus", ids="ceasefire")
    assert isinstance(plot_attention_over_time(over, by="corpus"), Figure)
    shared = shared_coverage(articles, mentions, kind="fact", codebook=codebook)
    fig = plot_shared_coverage(shared)
    assert fig.texts[0].get_text() == "7 of 9 items appear in only one outlet"
    speech = voice_share(reported_speech(sents, mentions), articles, voice="country", codebook=codebook)
    fig = plot_voice_share(speech, voice="Russia")
    assert fig.texts[0].get_text().startswith("Russian state-media repost reports Russia speaking most")
    assert isinstance(plot_voice_share(speech), Figure)
    first = export_figure(fig, tmp_path / "a", "voice", speech)
    second = export_figure(plot_voice_share(speech, voice="Russia"), tmp_path / "b", "voice", speech)
    assert all(first[f].read_bytes() == second[f].read_bytes() for f in ("png", "svg", "csv"))


def test_codebook_labels_include_facts(small):
    labels = codebook_labels(small[3])
    assert labels[("fact", "ceasefire_30")] == "The 30-day ceasefire"
    assert labels[("actor", "putin")] == "Vladimir Putin"


# --- bad input --------------------------------------------------------------------------------------

def test_bad_input_errors_name_the_problem(small):
    articles, sents, mentions, codebook = small
    with pytest.raises(ValueError, match=r"articles is missing column\(s\) \['outlet'\]"):
        coverage_matrix(articles.drop(columns="outlet"), mentions)
    with pytest.raises(ValueError, match="kind must be one or more of"):
        coverage_matrix(articles, mentions, kind="actors")
    with pytest.raises(ValueError, match=r"doc_id\(s\) not in articles \(e.g. 'b1'\)"):
        coverage_matrix(articles[articles["doc_id"] != "b1"], mentions)
    with pytest.raises(ValueError, match="duplicate doc_id 'a1'"):
        coverage_matrix(pd.concat([articles, articles.iloc[:1]]), mentions)
    with pytest.raises(ValueError, match="by='kind' clashes"):
        coverage_matrix(articles.assign(kind="x"), mentions, by="kind")
    with pytest.raises(ValueError, match=r"ids \['nobody'\]"):
        attention_over_time(articles, mentions, ids="nobody")
    with pytest.raises(ValueError, match="datetime64"):
        attention_over_time(articles.assign(date=articles["date"].astype(str)), mentions)
    with pytest.raises(ValueError, match="min_articles"):
        shared_coverage(articles, mentions, min_articles=0)
    speech = reported_speech(sents, mentions)
    with pytest.raises(ValueError, match="needs the codebook"):
        voice_share(speech, articles, voice="country")
    with pytest.raises(ValueError, match="voice must be"):
        voice_share(speech, articles, voice="party")
    with pytest.raises(ValueError, match="unit must be one of"):
        plot_coverage_heatmap(coverage_matrix(articles, mentions), unit="word")
    with pytest.raises(ValueError, match="table is empty"):
        plot_coverage_heatmap(coverage_matrix(articles, mentions).iloc[:0])
    with pytest.raises(ValueError, match="voice 'Mars' is not in the table"):
        plot_voice_share(voice_share(speech, articles, voice="country", codebook=codebook), voice="Mars")
    with pytest.raises(ValueError, match=r"mentions is missing column\(s\) \['kind'\]"):
        coverage_matrix(articles, mentions.drop(columns="kind"))


# --- the RUWA event codebook ------------------------------------------------------------------------

def test_ruwa_event_codebook_finds_events_in_headlines():
    codebook = load_codebook(data_dir() / "codebooks" / "ruwa_events.yaml")
    heads = pd.DataFrame({"doc_id": ["1", "2", "3", "4"], "text": [
        "Bodies found in Bucha after Russian withdrawal",
        "Russia says Azovstal siege is over",
        "IAEA mission reaches Zaporizhzhia nuclear plant",
        "Kremenchuk shopping mall hit by missiles",
    ]})
    found = find_mentions(sentences(heads), codebook)
    events = found[found["kind"] == "fact"].groupby("doc_id")["id"].first().to_dict()
    assert events == {"1": "bucha", "2": "azovstal", "3": "nuclear_plant", "4": "kremenchuk_mall"}


@pytest.mark.skipif(not (shared_data_dir() / "ruwa").is_dir(),
                    reason=f"RUWA is not in {shared_data_dir()} (put ../shared/data beside the clone or set DIPLOMACY_LAB_SHARED_DATA)")
def test_ruwa_events_agree_with_the_dataset_labels():
    """Where the codebook finds an event in a headline, RUWA's own keyword label mostly agrees."""
    raw = pd.read_csv(shared_data_dir() / "ruwa" / "RUWA_04.08.23.csv", index_col=0)
    text = raw["title"].fillna("") + ". " + raw["desc"].fillna("")
    heads = pd.DataFrame({"doc_id": raw.index.astype(str), "text": text, "event": raw["Event"]})
    sents = heads.assign(sent_id=0, start=0, end=heads["text"].str.len())[["doc_id", "sent_id", "start", "end", "text"]]
    found = find_mentions(sents, load_codebook(data_dir() / "codebooks" / "ruwa_events.yaml"))
    bucha = set(found.loc[(found["kind"] == "fact") & (found["id"] == "bucha"), "doc_id"])
    labelled = heads.set_index("doc_id").loc[sorted(bucha), "event"]
    assert len(bucha) > 300 and (labelled == "bucha").mean() > 0.8
