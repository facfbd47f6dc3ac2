"""Every attributed source (coverage.sources): source keys and kinds, pronouns, the codebook as a filter,
shares, cue verbs, the Study's lazy attribution tables and the region restriction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from diplomacy_lab import Study, attributions, load_codebook, plot_reporting_verbs, regions_near
from diplomacy_lab.coverage.sources import (
    SOURCE_COLUMNS,
    attributed_sources,
    cue_lemma,
    cue_verbs,
    plot_source_share,
    read_source,
    source_share,
    target_attributions,
)

BOOK = load_codebook({
    "name": "test",
    "actors": {
        "lavrov": {"name": "Sergei Lavrov", "country": "Russia", "gender": "male", "aliases": ["Sergei Lavrov", "Lavrov"]},
        "merkel": {"name": "Angela Merkel", "country": "Germany", "gender": "female", "aliases": ["Angela Merkel", "Merkel"]},
        "russia": {"name": "Russia", "country": "Russia", "kind": "government", "aliases": ["Russia"],
                   "metonyms": ["the Kremlin", "Moscow"]},
    },
    "targets": {"sanctions": {"label": "Sanctions on Russia", "patterns": ["sanctions on Russia"]}},
})

LAVROV = ("Russian Foreign Minister Sergei Lavrov said the talks had failed. He added that Moscow was ready to wait.\n"
          "The weather in Geneva was cold. Snow fell all day.\n"
          "U.S. officials said sanctions on Russia would stay. According to the Kremlin, the plan is dead.")
MERKEL = ("Merkel said Germany backs sanctions on Russia. She stressed that the Minsk agreements must hold.\n"
          "Sources close to the government said the decision was final.")
QUIET = "The weather was fine on Tuesday and the market opened late."
ARTICLES = pd.DataFrame({"doc_id": ["lavrov", "merkel", "quiet"], "outlet": ["X", "Y", "X"],
                         "date": pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-03"]),
                         "text": [LAVROV, MERKEL, QUIET]})


@pytest.fixture(scope="module")
def tagged():
    return attributions(ARTICLES)


@pytest.fixture(scope="module")
def sources(tagged):
    return attributed_sources(ARTICLES, tagged, BOOK)


@pytest.mark.parametrize("span, expected", [
    ("Russian Foreign Minister Sergei Lavrov", ("Sergei Lavrov", "person")),
    ("Kremlin spokesman Dmitry Peskov", ("Dmitry Peskov", "person")),
    ("President Trump", ("Trump", "person")),
    ("Secretary of State Mike Pompeo", ("Mike Pompeo", "person")),
    ("the Russian Foreign Ministry", ("Russian Foreign Ministry", "organisation")),
    ("The State Department", ("State Department", "organisation")),
    ("NATO", ("NATO", "organisation")),
    ("Russia", ("Russia", "country")),
    ("Moscow", ("Moscow", "country")),
    ("U.S. officials", ("officials", "anonymous")),
    ("a senior State Department official", ("officials", "anonymous")),
    ("Putin's spokesman", ("spokespeople", "anonymous")),
    ("sources close to the Kremlin", ("sources", "anonymous")),
    ("Officials", ("officials", "anonymous")),
    ("He", (None, "pronoun")),
    ("they", (None, "pronoun")),
    ("the president", ("president", "description")),
    ("the Italian Prime Minister", ("minister", "description")),
    ("a major European leader", ("leader", "description")),
    ("Macron himself", ("Macron", "person")),
    ("", (None, "none")),
])
def test_read_source_key_and_kind(span, expected):
    assert read_source(span)[:2] == expected


def test_cue_lemmas_come_from_the_verb_list_and_unknown_cues_keep_their_words():
    assert cue_lemma("said") == ("say", "neutral")
    assert cue_lemma("has repeatedly warned") == ("warn", "alarm")
    assert cue_lemma("pointed out") == ("point out", "neutral")
    word, cls = cue_lemma("Believes")  # in the one list for the tagger, without a class
    assert word == "believe" and np.isnan(cls)
    word, cls = cue_lemma("has publicly pressured")
    assert word == "pressured" and np.isnan(cls)


def test_every_source_with_outlet_date_and_the_codebook_actor(sources):
    assert list(sources.columns) == SOURCE_COLUMNS
    rows = {(d, t): r for d, t, r in zip(sources["doc_id"], sources["source_text"], sources.itertuples())}
    lavrov = rows[("lavrov", "Russian Foreign Minister Sergei Lavrov")]
    assert (lavrov.source, lavrov.source_kind, lavrov.actor, lavrov.cue_lemma) == ("Sergei Lavrov", "person", "lavrov", "say")
    assert (lavrov.outlet, lavrov.date) == ("X", pd.Timestamp("2020-01-01"))
    officials = rows[("lavrov", "U.S. officials")]
    assert (officials.source, officials.source_kind) == ("officials", "anonymous") and pd.isna(officials.actor)
    kremlin = rows[("lavrov", "the Kremlin")]  # "According to the Kremlin": a metonym of a government actor
    assert (kremlin.source, kremlin.source_kind, kremlin.actor) == ("Kremlin", "country", "russia")
    close = rows[("merkel", "Sources close to the government")]
    assert close.source_kind == "anonymous" and pd.isna(close.actor)
    assert "quiet" not in set(sources["doc_id"])  # no attribution, no row, no error


def test_pronouns_resolve_to_the_last_named_person_before_them(sources):
    pronouns = sources[sources["source_kind"] == "pronoun"].set_index("doc_id")
    assert pronouns.loc["lavrov", ["source", "actor"]].tolist() == ["Sergei Lavrov", "lavrov"]
    assert pronouns.loc["merkel", ["source", "actor"]].tolist() == ["Merkel", "merkel"]


def hand_made(doc_id, text, spans):
    """An attributions table from (source, cue) strings found in text, in order."""
    rows = []
    for k, (source, cue) in enumerate(spans, 1):
        c0 = text.index(cue)
        s0 = text.index(source) if source else -1
        rows.append({"doc_id": doc_id, "attribution_id": f"A{k}", "source_start": s0,
                     "source_end": s0 + len(source) if source else -1, "source_text": source,
                     "cue_start": c0, "cue_end": c0 + len(cue), "cue_text": cue, "content_text": "x",
                     "kind": "indirect", "confidence": 0.9})
    return pd.DataFrame(rows)


def test_pronoun_gender_must_agree_and_unresolved_pronouns_have_no_key():
    text = "Lavrov said no. She insisted. Later Merkel said yes. It was reported that talks stopped. She added more."
    arts = pd.DataFrame({"doc_id": ["d"], "outlet": ["X"], "text": [text]})
    spans = [("Lavrov", "said"), ("She", "insisted"), ("Merkel", "said yes"), ("", "was reported"), ("She added", "added")]
    table = hand_made("d", text, spans)
    table.loc[4, ["source_start", "source_end", "source_text"]] = [text.rindex("She"), text.rindex("She") + 3, "She"]
    out = attributed_sources(arts, table, BOOK)
    assert out["source_kind"].tolist() == ["person", "pronoun", "person", "none", "pronoun"]
    assert pd.isna(out.loc[1, "source"]) and pd.isna(out.loc[1, "actor"])  # "She" after Lavrov (male): not him
    assert out.loc[4, ["source", "actor"]].tolist() == ["Merkel", "merkel"]
    # without a codebook genders are unknown: the last person before the pronoun
    plain = attributed_sources(arts, table)
    assert plain.loc[1, "source"] == "Lavrov" and plain["actor"].isna().all()


def test_surnames_take_the_full_name_of_the_article():
    text = "Foreign Minister Sergei Lavrov said no. Lavrov said it twice."
    table = hand_made("d", text, [("Foreign Minister Sergei Lavrov", "said"), ("Lavrov said", "said it")])
    table.loc[1, ["source_end", "source_text"]] = [table.loc[1, "source_start"] + 6, "Lavrov"]
    out = attributed_sources(pd.DataFrame({"doc_id": ["d"], "text": [text]}), table)
    assert out["source"].tolist() == ["Sergei Lavrov", "Sergei Lavrov"]


def test_codebook_is_a_filter_on_sources(sources):
    every = source_share(sources)
    actors = source_share(sources, actors_only=True)
    assert set(actors["source"]) == set(sources["actor"].dropna())
    assert actors.groupby("outlet")["attributions_total"].first().sum() == sources["actor"].notna().sum()
    assert every.groupby("outlet")["attributions_total"].first().sum() == len(sources)
    assert "officials" in set(every["source"]) and "officials" not in set(actors["source"])


def test_source_share_counts_zero_fills_and_labels_missing_keys():
    s = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "c"], "outlet": ["X", "X", "Y", "Y", None],
                      "source": ["NATO", None, "NATO", None, "Kremlin"],
                      "source_kind": ["organisation", "none", "organisation", "pronoun", "organisation"],
                      "actor": [np.nan] * 5})
    t = source_share(s)
    assert set(t["source"]) == {"NATO", "Kremlin", "(no source)", "(unresolved pronoun)"}
    assert len(t) == 3 * 4  # X, Y, unknown x every source
    assert np.allclose(t.groupby("outlet")["attribution_share"].sum(), 1.0)
    nato_y = t[(t["outlet"] == "Y") & (t["source"] == "NATO")].iloc[0]
    assert (nato_y["attributions"], nato_y["attributions_total"]) == (1, 2)
    assert nato_y["attribution_low"] < 0.5 < nato_y["attribution_high"]
    top = source_share(s, top=1)
    assert set(top["source"]) == {"NATO", "(other sources)"}
    with pytest.raises(ValueError, match="clashes"):
        source_share(s.rename(columns={"outlet": "source_x"}).assign(attributions=1), by="attributions")
    with pytest.raises(ValueError, match="missing column"):
        source_share(s.drop(columns="source"))


def test_cue_verbs_for_all_sources_plot_like_reporting_verbs(sources):
    table = cue_verbs(sources)
    assert {"say", "stress"} <= set(table["lemma"])
    assert table.loc[table["lemma"] == "stress", "verb_class"].iloc[0] == "emphatic"
    assert table.groupby("outlet")["uses"].sum().sum() == len(sources)
    assert isinstance(plot_reporting_verbs(table), Figure)


def test_plot_source_share_returns_a_figure_and_checks_the_source(sources):
    table = source_share(sources)
    assert isinstance(plot_source_share(table), Figure)
    fig = plot_source_share(table, source="officials")
    assert "officials" in " ".join(t.get_text() for t in fig.texts)
    with pytest.raises(ValueError, match="not in the table"):
        plot_source_share(table, source="nobody")


def test_bad_input_is_reported():
    with pytest.raises(ValueError, match="missing column"):
        attributed_sources(ARTICLES.drop(columns="text"), pd.DataFrame())
    stray = hand_made("elsewhere", "Kim said no.", [("Kim", "said")])
    with pytest.raises(ValueError, match="not in articles"):
        attributed_sources(ARTICLES, stray)
    empty = attributed_sources(ARTICLES, attributions(ARTICLES.iloc[[2]]))
    assert empty.empty and list(empty.columns) == SOURCE_COLUMNS


def test_regions_near_target_mentions():
    sents = pd.DataFrame({"doc_id": ["a"] * 5 + ["b"], "sent_id": [0, 1, 2, 3, 4, 0],
                          "start": [0, 10, 20, 30, 40, 0], "end": [9, 19, 29, 39, 49, 9]})
    spans = pd.DataFrame({"doc_id": ["a", "a", "b"], "sent_id": [4, 0, 0], "kind": ["target", "target", "actor"]})
    assert regions_near(sents, spans, kind="target").values.tolist() == [["a", 0, 19], ["a", 30, 49]]
    assert regions_near(sents, spans, context=0).values.tolist() == [["a", 0, 9], ["a", 40, 49], ["b", 0, 9]]
    with pytest.raises(ValueError, match="context"):
        regions_near(sents, spans, context=-1)


def test_study_tags_lazily_and_only_near_targets_with_a_codebook(tagged):
    study = Study(ARTICLES, BOOK)
    assert "attributions" not in study.__dict__ and "sources" not in study.__dict__
    near = study.attributions
    assert study.attributions is near
    # both articles mention the target; the quiet one is not tagged
    assert set(near["doc_id"]) == {"lavrov", "merkel"}
    pd.testing.assert_frame_equal(near, target_attributions(ARTICLES, BOOK))
    far_cue = LAVROV.index("added")  # three sentences before "sanctions on Russia": its paragraph is not tagged
    assert far_cue in set(tagged["cue_start"]) and far_cue not in set(near["cue_start"])
    assert set(study.sources["actor"].dropna()) <= set(BOOK.actors)
    no_book = Study(ARTICLES)
    pd.testing.assert_frame_equal(no_book.attributions.reset_index(drop=True), tagged.reset_index(drop=True))
    assert no_book.sources["actor"].isna().all() and len(no_book.sources) == len(tagged)


def test_a_source_named_through_pronouns_keeps_the_kind_of_its_name():
    s = pd.DataFrame({"doc_id": ["a"] * 3, "outlet": ["X"] * 3, "source": ["Merkel"] * 3,
                      "source_kind": ["pronoun", "pronoun", "person"], "actor": [np.nan] * 3})
    assert source_share(s)["source_kind"].tolist() == ["person"]


def test_a_source_named_like_an_outlet_of_the_corpus_is_an_organisation():
    arts = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["La Repubblica", "ANSA"],
                         "text": ["La Repubblica reported that talks stalled.", "Mario Rossi said talks stalled."]})
    attrs = pd.DataFrame({"doc_id": ["a", "b"], "source_start": [0, 0], "source_end": [13, 11],
                          "source_text": ["La Repubblica", "Mario Rossi"], "cue_text": ["reported", "said"]})
    out = attributed_sources(arts, attrs)
    assert out[["source", "source_kind"]].values.tolist() == [["La Repubblica", "organisation"],
                                                             ["Mario Rossi", "person"]]
    # without an outlet column the same name is read as a person's
    assert attributed_sources(arts.drop(columns="outlet"), attrs)["source_kind"].tolist() == ["person", "person"]
