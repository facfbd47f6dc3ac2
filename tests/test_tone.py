"""Tone: VADER per sentence, per group and per actor, against independent references."""

from __future__ import annotations

import math
from pathlib import Path

import nltk
import pandas as pd
import pytest
import vaderSentiment
from matplotlib.figure import Figure
from scipy import stats
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer as ReferenceVader

from diplomacy_lab import load_corpus, sentences
from diplomacy_lab.charts.export import source_note
from diplomacy_lab.framing.tone import actor_tone, group_tone, plot_tone, sentence_tone, vader
from diplomacy_lab.paths import data_dir, seed_corpus_dir
from diplomacy_lab.uncertainty import wilson_interval

LEXICON = Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"
CODEBOOK = {
    "name": "demo",
    "actors": {
        "meloni": {"name": "Giorgia Meloni", "country": "Italy", "gender": "female", "aliases": ["Meloni"]},
        "putin": {"name": "Vladimir Putin", "country": "Russia", "aliases": ["Putin"]},
    },
    "targets": {"troops": {"label": "Troops", "patterns": ["troops"]}},
}


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    return load_corpus(seed_corpus_dir())


def valence(word: str) -> float:
    for line in LEXICON.read_text(encoding="utf-8").splitlines():
        token, value, *_ = line.split("\t")
        if token == word:
            return float(value)
    raise KeyError(word)


@pytest.mark.parametrize("word", ["good", "horrible", "peace", "war"])
def test_one_word_compound_by_hand(word):
    """VADER's compound of a single rated word is x / sqrt(x^2 + 15) (Hutto & Gilbert's alpha = 15)."""
    x = valence(word)
    assert vader().polarity_scores(word)["compound"] == round(x / math.sqrt(x * x + 15), 4)


def test_sentence_tone_equals_nltk_with_the_same_lexicon(seed):
    sents = sentences(seed)
    site = str(LEXICON.parent.parent)
    nltk.data.path.insert(0, site)
    try:
        from nltk.sentiment.vader import SentimentIntensityAnalyzer

        reference = SentimentIntensityAnalyzer(lexicon_file="vaderSentiment/vader_lexicon.txt")
    finally:
        nltk.data.path.remove(site)
    ours = sentence_tone(sents=sents)
    expected = [reference.polarity_scores(t) for t in sents["text"]]
    for key in ("neg", "neu", "pos", "compound"):
        assert ours[key].tolist() == [e[key] for e in expected]
    assert ours[["doc_id", "sent_id"]].equals(sents[["doc_id", "sent_id"]])


@pytest.mark.parametrize(
    "text",
    ["The talks were a great success.", "The war is horrible and the crisis deepens.",
     "Meloni said Italy will send aid.", "VERY GOOD news!!", "The summit was good, but the outcome was bad."],
)
def test_compound_agrees_with_the_vadersentiment_implementation(text):
    """A second, independent implementation of VADER over the same lexicon (negation-free sentences:
    the two implementations differ in how far "no"/"without" reach)."""
    assert vader().polarity_scores(text)["compound"] == ReferenceVader().polarity_scores(text)["compound"]


def test_vader_leaves_nltk_data_path_alone():
    before = list(nltk.data.path)
    vader.cache_clear()
    vader()
    assert nltk.data.path == before


# --- per group ------------------------------------------------------------------------------------


@pytest.fixture
def articles() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["a", "b", "c"],
        "outlet": ["X", "X", "Y"],
        "text": ["Good talks. A horrible war.", "Peace is near. Nothing happened.", "A terrible loss."],
    })


def test_group_tone_t_interval_and_wilson(articles):
    t = group_tone(articles)
    assert list(t.columns) == ["outlet", "sentences", "articles", "mean_compound", "mean_low", "mean_high",
                               "negative", "negative_share", "negative_low", "negative_high", "positive",
                               "positive_share", "positive_low", "positive_high"]
    x = t.set_index("outlet").loc["X"]
    scores = sentence_tone(articles).query("doc_id in ['a', 'b']")["compound"]
    low, high = stats.t.interval(0.95, len(scores) - 1, loc=scores.mean(), scale=stats.sem(scores))
    assert (x["sentences"], x["articles"]) == (4, 2)
    assert x["mean_compound"] == round(scores.mean(), 4)
    assert (x["mean_low"], x["mean_high"]) == (round(max(low, -1), 4), round(min(high, 1), 4))
    assert (x["negative"], x["positive"]) == ((scores <= -0.05).sum(), (scores >= 0.05).sum())
    assert (x["negative_low"], x["negative_high"]) == wilson_interval(x["negative"], 4)
    y = t.set_index("outlet").loc["Y"]
    assert y["sentences"] == 1 and math.isnan(y["mean_low"]) and math.isnan(y["mean_high"])


def test_interval_is_clipped_to_the_compound_range():
    arts = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": ["Great! Horrible war."]})
    row = group_tone(arts).iloc[0]
    assert row["mean_low"] >= -1 and row["mean_high"] <= 1


def test_group_tone_bad_input(articles):
    with pytest.raises(ValueError, match=r"missing column\(s\) \['site'\]"):
        group_tone(articles, by="site")
    with pytest.raises(ValueError, match="clashes with an output column"):
        group_tone(articles.assign(sentences=1), by="sentences")
    with pytest.raises(ValueError, match="give articles or sents"):
        sentence_tone()


# --- per actor ------------------------------------------------------------------------------------


def test_actor_tone_counts_sentences_mentioning_each_actor():
    arts = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"], "text": [
        "Meloni praised the good talks. She was happy. Putin attacked.", "Putin spoke. Nothing else."]})
    t = actor_tone(arts, CODEBOOK)
    assert t[["actor", "sentences", "articles"]].values.tolist() == [["meloni", 2, 1], ["putin", 2, 2]]
    tone = sentence_tone(arts).set_index(["doc_id", "sent_id"])["compound"]
    assert t.set_index("actor").loc["meloni", "mean_compound"] == round((tone["a", 0] + tone["a", 1]) / 2, 4)
    per_outlet = actor_tone(arts, CODEBOOK, by="outlet")
    assert per_outlet[["actor", "outlet", "sentences"]].values.tolist() == [
        ["meloni", "X", 2], ["putin", "X", 1], ["putin", "Y", 1]]
    assert actor_tone(arts, CODEBOOK, min_sentences=3).empty


def test_seed_actor_tone_and_plots(seed, tmp_path):
    codebook = data_dir() / "codebooks" / "ukraine_2025.yaml"
    actors = actor_tone(seed, codebook, min_sentences=5)
    assert actors["sentences"].is_monotonic_decreasing
    assert actors.iloc[0]["actor"] == "meloni"
    fig = plot_tone(actors, by="actor")
    assert isinstance(fig, Figure)
    groups = group_tone(seed)
    assert groups["sentences"].sum() == len(sentences(seed))
    fig = plot_tone(groups, source_note=source_note(seed, "seed corpus"))
    title = " ".join(fig.texts[0].get_text().split())
    # 0.01 sits inside the neutral band: never "the most negative"; one article per outlet: no interval claim.
    assert title == ("Summit wire report has the most positive mean tone (0.47); the lowest, EU-affairs explainer "
                     "(0.01), is within the neutral band; one article per outlet: a contrast of single articles, "
                     "with no interval across articles")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][-1] == "Summit wire report"


def test_group_tone_bootstrap_resamples_articles(articles):
    from diplomacy_lab.framing.frames import article_bootstrap

    t = group_tone(articles, interval="bootstrap", n_boot=500, seed=2).set_index("outlet")
    tone = sentence_tone(articles)
    x = tone[tone["doc_id"].isin(["a", "b"])].groupby("doc_id")["compound"].agg(["sum", "size"])
    assert (t.loc["X", "mean_low"], t.loc["X", "mean_high"]) == article_bootstrap(x["sum"], x["size"], 500, 2)
    assert math.isnan(t.loc["Y", "mean_low"])                      # one article: no article-level interval
    assert t.attrs["interval"] == "bootstrap"
    table = group_tone(articles, interval="bootstrap", n_boot=500, seed=2)
    assert "95% bootstrap over articles" in " ".join(plot_tone(table).texts[1].get_text().split())
    with pytest.raises(ValueError, match="interval must be 't' or 'bootstrap'"):
        group_tone(articles, interval="wilson")
