"""Fightin' Words (diplomacy_lab.framing.fighting_words): hand-computed cases, properties, ConvoKit.

The ConvoKit comparison runs where ``convokit`` is importable (``make test-convokit`` runs it
in ``.venv-convokit``); elsewhere it skips and the same formula, transcribed term by term
from ConvoKit's ``FightingWords._bayes_compare_language``, stands in as the reference.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from diplomacy_lab.framing.fighting_words import (
    COLUMNS,
    fighting_words,
    log_odds_dirichlet,
    plot_fighting_words,
)
from diplomacy_lab.text.terms import TOKEN_PATTERN, document_terms, term_vectorizer


@pytest.fixture
def sides() -> pd.DataFrame:
    """Four hand-made articles, two per side."""
    return pd.DataFrame(
        {
            "side": ["left", "left", "right", "right"],
            "text": ["invasion of Ukraine", "Russian invasion", "Ukraine crisis", "crisis talks"],
        }
    )


@pytest.fixture
def outlets() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "outlet": ["RT", "TASS", "BBC", "Reuters", "RT", None],
            "text": [
                "NATO aggression and Kyiv regime",
                "Kyiv regime shells Donbas",
                "Russian invasion of Ukraine",
                "Russia's invasion; Kyiv says",
                "special military operation",
                "an article without an outlet: regime regime regime",
            ],
        }
    )


def convokit_reference(y1, y2, priors) -> np.ndarray:
    """ConvoKit's loop (convokit/fighting_words/fightingWords.py, _bayes_compare_language), verbatim in substance."""
    count_matrix = np.empty([2, len(y1)], dtype=np.float32)
    count_matrix[0, :] = y1
    count_matrix[1, :] = y2
    a0 = np.sum(priors)
    n1 = 1.0 * np.sum(count_matrix[0, :])
    n2 = 1.0 * np.sum(count_matrix[1, :])
    z = np.empty(len(y1))
    for i in range(len(y1)):
        term1 = np.log((count_matrix[0, i] + priors[i]) / (n1 + a0 - count_matrix[0, i] - priors[i]))
        term2 = np.log((count_matrix[1, i] + priors[i]) / (n2 + a0 - count_matrix[1, i] - priors[i]))
        var = 1.0 / (count_matrix[0, i] + priors[i]) + 1.0 / (count_matrix[1, i] + priors[i])
        z[i] = (term1 - term2) / np.sqrt(var)
    return z


# --- hand-computed ----------------------------------------------------------------------

def test_hand_computed_two_groups(sides):
    fw = fighting_words(sides, by="side")
    assert tuple(fw.columns) == COLUMNS
    assert fw["term"].tolist() == ["invasion", "russian", "ukraine", "talks", "crisis"]
    row = fw.set_index("term").loc["invasion"]
    # left: invasion 2, russian 1, ukraine 1 (n = 4); right: ukraine 1, crisis 2, talks 1 (n = 4)
    # 5 terms, alpha 0.1 each: alpha_0 = 0.5
    delta = math.log(2.1 / (4 + 0.5 - 2.1)) - math.log(0.1 / (4 + 0.5 - 0.1))
    var = 1 / 2.1 + 1 / 0.1
    assert (row["count"], row["count_other"], row["total"]) == (2, 0, 2)
    assert row["delta"] == pytest.approx(delta, rel=1e-12)
    assert row["var"] == pytest.approx(var, rel=1e-12)
    assert row["z"] == pytest.approx(delta / math.sqrt(var), rel=1e-12)
    assert row["z"] == pytest.approx(1.1279, abs=1e-4)
    assert fw.set_index("term").loc["ukraine", "z"] == 0.0  # same count, same total
    assert (fw["group"] == "left").all() and (fw["other"] == "right").all()


def test_log_odds_by_hand_with_unequal_totals():
    delta, var, z = log_odds_dirichlet([3, 1, 0], [1, 1, 4], 1.0)
    # n1 = 4, n2 = 6, alpha_0 = 3
    expected = math.log(4 / (4 + 3 - 4)) - math.log(2 / (6 + 3 - 2))
    assert delta[0] == pytest.approx(expected)
    assert var[0] == pytest.approx(1 / 4 + 1 / 2)
    assert z[0] == pytest.approx(expected / math.sqrt(0.75))
    np.testing.assert_allclose(z, convokit_reference([3, 1, 0], [1, 1, 4], np.ones(3)), rtol=1e-12)


# --- properties -----------------------------------------------------------------------

def test_swapping_groups_negates_z_and_delta(seed):
    groups = (["Russian state-media repost", "Commentary site"], ["Summit wire report", "Opinion blog (At a Glance)"])
    ab = fighting_words(seed, "outlet", groups=groups).set_index("term")
    ba = fighting_words(seed, "outlet", groups=groups[::-1]).set_index("term").loc[ab.index]
    np.testing.assert_allclose(ab["z"], -ba["z"], atol=1e-12)
    np.testing.assert_allclose(ab["delta"], -ba["delta"], atol=1e-12)
    np.testing.assert_allclose(ab["var"], ba["var"], rtol=1e-12)
    assert (ab["count"] == ba["count_other"]).all()
    assert ab["group"].iloc[0] == "Russian state-media repost + Commentary site"


def test_sorted_by_z_and_counts_add_up(seed):
    fw = fighting_words(seed, "outlet", groups=("Russian state-media repost", "Summit wire report"))
    assert fw["z"].is_monotonic_decreasing
    assert (fw["total"] == fw["count"] + fw["count_other"]).all()
    rows = seed["outlet"].isin(["Russian state-media repost", "Summit wire report"])
    dt = document_terms(seed[rows])
    assert fw["total"].sum() == dt.matrix.sum()  # vocabulary learned from the compared rows only
    assert set(fw["term"]) == set(dt.terms)


def test_z_matches_the_convokit_loop_on_the_seed_corpus(seed):
    a = seed["outlet"] == "Russian state-media repost"
    fw = fighting_words(seed.assign(side=np.where(a, "A", "B")), "side", groups=("A", "B"), ngram_range=(1, 2))
    dt = document_terms(seed, ngram_range=(1, 2))
    y1 = np.asarray(dt.matrix[a.to_numpy()].sum(axis=0)).ravel()
    y2 = np.asarray(dt.matrix[~a.to_numpy()].sum(axis=0)).ravel()
    expected = pd.Series(convokit_reference(y1, y2, np.full(len(y1), 0.1)), index=dt.terms)
    got = fw.set_index("term")["z"]
    np.testing.assert_allclose(got.loc[expected.index], expected, rtol=0, atol=1e-9)


def test_bigger_prior_shrinks_the_log_odds(sides):
    """A bigger prior pulls every delta toward 0. (Not so z: a tiny prior on a zero count also
    makes the variance 1/alpha huge, so z is small at both ends.)"""
    deltas = [fighting_words(sides, "side", prior=p).set_index("term")["delta"].abs() for p in (0.01, 0.1, 1.0, 10.0)]
    for weak, strong in itertools.pairwise(deltas):
        assert (strong <= weak.loc[strong.index] + 1e-12).all()
    assert deltas[-1].max() < deltas[0].max() / 5


def test_one_against_the_rest_equals_a_pair_with_the_rest_merged(outlets):
    ovr = fighting_words(outlets, "outlet")
    assert list(dict.fromkeys(ovr["group"])) == ["BBC", "Reuters", "RT", "TASS"]
    assert (ovr["other"] == "rest").all()
    for group, part in ovr.groupby("group", sort=False):
        assert part["z"].is_monotonic_decreasing
        rest = [g for g in ["BBC", "Reuters", "RT", "TASS"] if g != group]
        pair = fighting_words(outlets, "outlet", groups=(group, rest)).set_index("term")
        part = part.set_index("term").loc[pair.index]
        np.testing.assert_allclose(part["z"], pair["z"], rtol=1e-12)
        assert (part["count_other"] == pair["count_other"]).all()
    # the row without an outlet is in no group: its "regime regime regime" is not counted
    assert ovr.loc[ovr["group"] == "RT"].set_index("term").loc["regime", "total"] == 2


def test_groups_as_lists_dicts_and_more_than_two(outlets):
    named = fighting_words(outlets, "outlet", groups={"Russian state": ["RT", "TASS"], "Western": ["BBC", "Reuters"]})
    listed = fighting_words(outlets, "outlet", groups=(["RT", "TASS"], ["BBC", "Reuters"]))
    assert named["group"].iloc[0] == "Russian state" and named["other"].iloc[0] == "Western"
    assert listed["group"].iloc[0] == "RT + TASS" and listed["other"].iloc[0] == "BBC + Reuters"
    np.testing.assert_allclose(named["z"], listed["z"])
    three = fighting_words(outlets, "outlet", groups=[["RT", "TASS"], "BBC", "Reuters"])
    assert list(dict.fromkeys(three["group"])) == ["RT + TASS", "BBC", "Reuters"]
    # the rest is the other listed groups only
    rt = three[three["group"] == "RT + TASS"].set_index("term")
    assert rt["total"].sum() == document_terms(outlets[outlets["outlet"].notna()]).matrix.sum()


def test_priors_informative_series_and_array(sides):
    uniform = fighting_words(sides, "side", prior=0.1)
    informative = fighting_words(sides, "side", prior="informative").set_index("term")
    # alpha_w = pooled count (prior_scale defaults to the number of tokens)
    assert (informative["prior"] == informative["total"]).all()
    scaled = fighting_words(sides, "side", prior="informative", prior_scale=4).set_index("term")
    np.testing.assert_allclose(scaled["prior"], informative["prior"] * 4 / 8)
    terms = uniform["term"].sort_values().tolist()
    alpha = pd.Series(np.arange(1, len(terms) + 1) / 10, index=terms)
    from_series = fighting_words(sides, "side", prior=alpha).set_index("term")
    from_array = fighting_words(sides, "side", prior=alpha.to_numpy()).set_index("term")
    np.testing.assert_allclose(from_series["z"], from_array.loc[from_series.index, "z"])
    y1 = from_series.loc[terms, "count"].to_numpy()
    y2 = from_series.loc[terms, "count_other"].to_numpy()
    np.testing.assert_allclose(from_series.loc[terms, "z"], convokit_reference(y1, y2, alpha.to_numpy()), rtol=1e-12)


def test_fixed_vocabulary_keeps_unseen_terms(sides):
    fw = fighting_words(sides, "side", vocabulary=["invasion", "crisis", "sanctions"]).set_index("term")
    assert fw.loc["sanctions", ["count", "count_other"]].tolist() == [0, 0]
    z = convokit_reference([2, 0, 0], [0, 2, 0], np.full(3, 0.1))
    np.testing.assert_allclose(fw.loc[["invasion", "crisis", "sanctions"], "z"], z, rtol=1e-12)


# --- errors ---------------------------------------------------------------------------

def test_clear_errors(sides, outlets):
    with pytest.raises(ValueError, match=r"'centre' \(group 'centre'\) is not a value of 'side'; values are \['left', 'right'\]"):
        fighting_words(sides, "side", groups=("left", "centre"))
    with pytest.raises(ValueError, match="'RT' is in two groups"):
        fighting_words(outlets, "outlet", groups=(["RT", "TASS"], ["RT", "BBC"]))
    with pytest.raises(ValueError, match="at least two groups"):
        fighting_words(sides[sides["side"] == "left"], "side")
    with pytest.raises(ValueError, match="no 'bias' column"):
        fighting_words(sides, "bias")
    with pytest.raises(ValueError, match="prior must be a number, 'informative'"):
        fighting_words(sides, "side", prior="flat")
    with pytest.raises(ValueError, match="positive and finite"):
        fighting_words(sides, "side", prior=0)
    with pytest.raises(ValueError, match=r"no value for 1 vocabulary term\(s\), e.g. \['ukraine'\]"):
        fighting_words(sides, "side", prior=pd.Series(0.1, index=["invasion", "russian", "talks", "crisis"]))
    with pytest.raises(ValueError, match=r"one value per vocabulary term \(5\)"):
        fighting_words(sides, "side", prior=[0.1, 0.2])
    with pytest.raises(ValueError, match="prior_scale only applies"):
        fighting_words(sides, "side", prior_scale=10)
    with pytest.raises(ValueError, match="needs every term to occur"):
        fighting_words(sides, "side", prior="informative", vocabulary=["invasion", "sanctions"])
    with pytest.raises(ValueError, match="a group is an empty list"):
        fighting_words(sides, "side", groups=("left", []))
    with pytest.raises(ValueError, match="groups must be a pair"):
        fighting_words(sides, "side", groups="left")
    with pytest.raises(ValueError, match="same name"):
        fighting_words(outlets, "outlet", groups=("RT", ["RT"]))


# --- chart ----------------------------------------------------------------------------

def test_plots_return_labelled_figures(seed):
    fw = fighting_words(seed, "outlet", groups=("Russian state-media repost", "Summit wire report"))
    bars = plot_fighting_words(fw, n=5, source_note="Source: seed corpus")
    assert isinstance(bars, Figure)
    texts = [t.get_text() for t in bars.axes[0].texts]
    expected = fw.head(5)["term"].tolist() + fw.tail(5)["term"].tolist()
    assert sorted(texts) == sorted(expected)
    title = bars.texts[0].get_text().replace("\n", " ")
    assert title.startswith("Terms that set Russian state-media repost apart from Summit wire report")
    assert "α = 0.1" in bars.texts[1].get_text()
    scatter = plot_fighting_words(fw, kind="scatter", n=4)
    assert sorted(t.get_text() for t in scatter.axes[0].texts) == sorted(fw.head(4)["term"].tolist() + fw.tail(4)["term"].tolist())
    assert scatter.axes[0].get_xscale() == "log"


def test_plot_needs_a_group_for_one_against_the_rest(outlets):
    ovr = fighting_words(outlets, "outlet")
    with pytest.raises(ValueError, match="pick one with group="):
        plot_fighting_words(ovr)
    fig = plot_fighting_words(ovr, group="RT", n=3)
    assert "RT apart from rest" in fig.texts[0].get_text().replace("\n", " ")
    with pytest.raises(ValueError, match="kind must be"):
        plot_fighting_words(ovr, group="RT", kind="pie")
    with pytest.raises(ValueError, match="not in the table"):
        plot_fighting_words(ovr, group="CNN")


# --- ConvoKit itself ------------------------------------------------------------------

def test_equal_to_convokit_fighting_words(seed):
    """Same vocabulary and prior => the same z-scores as ConvoKit's FightingWords (uniform and vector prior)."""
    convokit = pytest.importorskip(
        "convokit",
        reason="convokit is not installed in this environment (it pulls spaCy and torch); "
        "`make test-convokit` runs this test in .venv-convokit",
    )
    from sklearn.feature_extraction.text import CountVectorizer

    group_a = {"Russian state-media repost", "Commentary site"}
    articles = seed.assign(side=np.where(seed["outlet"].isin(group_a), "A", "B"))
    utterances = [
        convokit.Utterance(id=str(r.doc_id), speaker=convokit.Speaker(id=str(r.outlet)),
                           conversation_id=str(r.doc_id), text=r.text, meta={"side": r.side})
        for r in articles.itertuples()
    ]
    corpus = convokit.Corpus(utterances=utterances)

    def convokit_z(cv, prior) -> pd.Series:
        fw = convokit.FightingWords(cv=cv, prior=prior, text_func=lambda utt: utt.text)
        fw.fit(corpus, class1_func=lambda u: u.meta["side"] == "A", class2_func=lambda u: u.meta["side"] == "B")
        return pd.Series(fw.ngram_zscores, dtype=float)

    options = {"ngram_range": (1, 2), "min_df": 1, "stop_words": "english"}
    cv = CountVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=(1, 2), stop_words="english")
    theirs = convokit_z(cv, 0.1)
    ours = fighting_words(articles, "side", groups=("A", "B"), prior=0.1, **options).set_index("term")["z"]
    assert len(theirs) == len(ours) > 1000
    np.testing.assert_allclose(ours.loc[theirs.index], theirs, rtol=0, atol=1e-9)

    vocabulary = sorted(ours.index)
    alpha = np.linspace(0.01, 2.0, len(vocabulary))
    theirs = convokit_z(CountVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=(1, 2), stop_words="english",
                                        vocabulary=vocabulary), alpha)
    ours = fighting_words(articles, "side", groups=("A", "B"), prior=alpha,
                          vectorizer=term_vectorizer(ngram_range=(1, 2), vocabulary=vocabulary)).set_index("term")["z"]
    np.testing.assert_allclose(ours.loc[theirs.index], theirs, rtol=0, atol=1e-9)
