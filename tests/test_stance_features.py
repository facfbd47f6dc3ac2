"""Tests for diplomacy_lab.statements.features (PairCues) and the StanceClassifier options built on it:
the ``"cues"`` and ``"target_words"`` feature groups and a classifier instance as ``model``."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sklearn.base import clone
from sklearn.ensemble import VotingClassifier
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier

from diplomacy_lab.statements.classifier import ALLOWED_TYPES, StanceClassifier, load_model, save_model
from diplomacy_lab.statements.features import PairCues


def cues_of(text: str, target: str) -> dict:
    X = pd.DataFrame({"text": [text], "target": [target]})
    cues = PairCues().fit(X)
    return dict(zip(cues.get_feature_names_out(), cues.transform(X)[0]))


# -- PairCues ----------------------------------------------------------------------------------------


def test_pair_cues_hand_computed_values():
    row = cues_of("Officials deny the report: the mayor did not resign. It is a hoax, sources said.",
                  "Mayor resigns after scandal?")
    assert row["target_question"] == 1.0 and row["text_question"] == 0.0
    assert row["text_refute"] == pytest.approx(np.log1p(2))    # deny, hoax
    assert row["text_negation"] == pytest.approx(np.log1p(1))  # not
    assert row["text_report"] == pytest.approx(np.log1p(4))    # officials, report, sources, said
    assert row["text_polarity"] == 0.0                         # two refuting words: even
    assert row["target_refute"] == 0.0
    # target content stems: mayor, resign, scandal; the text has mayor and resign (stemmed "resign" = "resigns")
    assert row["hits_1"] == pytest.approx(2 / 3)
    assert row["hits_2"] == 0.0                                # "mayor resign" is not a bigram of the text
    assert row["target_length"] == pytest.approx(np.log1p(4))


def test_pair_cues_hedging_headline_for_emergent():
    row = cues_of("Apple reportedly may buy Tesla, rumours claim", "Apple will buy Tesla")
    assert row["text_hedge"] == pytest.approx(np.log1p(4))     # reportedly, may, rumours, claim
    assert row["hits_1"] == 1.0 and row["hits_2"] == pytest.approx(1 / 2)


def test_pair_cues_values_do_not_depend_on_repeats_or_row_order():
    X = pd.DataFrame({
        "text": ["The claim is false.", "Reports say it is true.", "The claim is false."],
        "target": ["Claim true?", "Claim true?", "Other headline"],
    })
    cues = PairCues().fit(X)
    together = cues.transform(X)
    one_by_one = np.vstack([cues.transform(X.iloc[[i]]) for i in range(len(X))])
    np.testing.assert_array_equal(together, one_by_one)
    assert together.shape == (3, len(cues.get_feature_names_out()))
    np.testing.assert_array_equal(cues.transform(X.to_numpy()), together)


def test_pair_cues_errors():
    with pytest.raises(NotFittedError):
        PairCues().transform([["a", "b"]])
    with pytest.raises(ValueError, match="exactly 2 columns"):
        PairCues().fit(pd.DataFrame({"a": [1], "b": [2], "c": [3]}))
    with pytest.raises(ValueError, match=r"2-D input of 2 columns"):
        PairCues().fit(["just text"])


# -- StanceClassifier with the new options ---------------------------------------------------------------


def headline_pairs() -> pd.DataFrame:
    rows = []
    claims = ["the mayor resigned", "a shark swam in the mall", "the president was hospitalised", "a comet hit the moon"]
    for claim in claims:
        rows += [
            {"target": claim.capitalize(), "text": f"Officials confirmed that {claim} on Monday.", "stance": "for"},
            {"target": claim.capitalize(), "text": f"Report: {claim}, sources say?", "stance": "observing"},
            {"target": claim.capitalize(), "text": f"No, {claim} is a hoax, police deny it.", "stance": "against"},
        ]
    return pd.DataFrame(rows * 2)


def test_cues_and_target_words_groups_show_in_feature_names():
    frame = headline_pairs()
    model = StanceClassifier(target_features=("similarity", "cues", "target_words"), word_ngrams=(1, 1)).fit(
        frame[["text", "target"]], frame["stance"])
    names = model.feature_names_out().tolist()
    assert {"cues__text_refute", "cues__hits_1", "target_words__mayor", "similarity__cosine"} <= set(names)
    assert model.score(frame[["text", "target"]], frame["stance"]) == 1.0


def test_a_classifier_instance_as_model_is_cloned_and_fitted():
    frame = headline_pairs()
    mlp = MLPClassifier(hidden_layer_sizes=(8,), max_iter=200, random_state=0)
    model = StanceClassifier(target_features=("similarity", "cues"), model=mlp, class_weight=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(frame[["text", "target"]], frame["stance"])
    assert not hasattr(mlp, "coefs_")  # the parameter itself stays unfitted
    assert isinstance(model.pipeline_[-1], MLPClassifier) and model.pipeline_[-1] is not mlp
    assert model.predict_proba(frame[["text", "target"]]).shape == (len(frame), 3)
    assert not hasattr(model, "decision_function")
    assert clone(model).get_params()["model"].get_params() == mlp.get_params()


def test_class_weight_reaches_an_ensemble_through_sample_weight_or_fails_clearly():
    frame = headline_pairs()
    X, y = frame[["text", "target"]], frame["stance"]
    vote = VotingClassifier([(f"m{i}", MLPClassifier(hidden_layer_sizes=(4,), max_iter=3, random_state=i)) for i in range(2)],
                            voting="soft")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        plain = StanceClassifier(model=vote, class_weight=None).fit(X, y).predict_proba(X)
        weighted = StanceClassifier(model=vote, class_weight={"for": 1.0, "observing": 1.0, "against": 10.0}).fit(X, y)
    assert not np.allclose(plain, weighted.predict_proba(X))
    with pytest.raises(ValueError, match=r"class_weight='balanced' cannot reach KNeighborsClassifier.*pass class_weight=None"):
        StanceClassifier(model=KNeighborsClassifier(n_neighbors=1), class_weight="balanced").fit(X, y)
    with pytest.raises(ValueError, match=r"model must be one of \['logreg', 'linear_svm'\], got 'mlp'"):
        StanceClassifier(model="mlp").fit(X, y)


def test_ensemble_model_files_round_trip(tmp_path):
    frame = headline_pairs()
    X, y = frame[["text", "target"]], frame["stance"]
    vote = VotingClassifier([(f"m{i}", MLPClassifier(hidden_layer_sizes=(4,), max_iter=5, random_state=i)) for i in range(2)],
                            voting="soft")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = StanceClassifier(model=vote, target_features=("similarity", "cues"), class_weight=None).fit(X, y)
    path = save_model(model, tmp_path / "fnc.skops")
    assert set(sio.get_untrusted_types(file=path)) <= ALLOWED_TYPES
    loaded = load_model(path)
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
