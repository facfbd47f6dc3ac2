"""Tests for diplomacy_lab.statements.classifier: the trainable stance classifier and its model files."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import skops.io as sio
from sklearn.base import clone, is_classifier
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import cross_val_score
from sklearn.utils import estimator_checks as checks
from sklearn.utils.estimator_checks import parametrize_with_checks

from diplomacy_lab.statements.classifier import (
    ALLOWED_TYPES,
    StanceClassifier,
    TargetInteraction,
    TargetTextSimilarity,
    UntrustedModelError,
    load_model,
    save_model,
)
from diplomacy_lab.statements.cues import CueStanceClassifier

ACTORS = ["Meloni", "Macron", "Starmer", "Merz", "Tusk", "Sanchez", "Orban", "Fico", "Costa", "Rutte"]
SUPPORT = ["backs", "supports", "welcomes", "endorses"]
OPPOSE = ["rejects", "opposes", "condemns", "dismisses"]
TARGETS = {
    "troops_to_ukraine": ["sending troops to Ukraine", "a reassurance force for Ukraine"],
    "sanctions_on_russia": ["new sanctions on Russia", "the sanctions package against Moscow"],
}
TEMPLATES = ["{actor} {cue} {phrase}.", "On Monday {actor} said he {cue} {phrase}."]


def synthetic_statements(seed: int = 0) -> pd.DataFrame:
    """Every (actor, cue, target phrase, template) sentence: 640 rows, shuffled, then
    interleaved so that any first n rows are balanced over (target, stance, template)."""
    rows = []
    for actor, template in itertools.product(ACTORS, TEMPLATES):
        for target, phrases in TARGETS.items():
            for phrase in phrases:
                for cue in SUPPORT + OPPOSE:
                    rows.append({
                        "text": template.format(actor=actor, cue=cue, phrase=phrase),
                        "target": target,
                        "actor": actor,
                        "stance": "support" if cue in SUPPORT else "oppose",
                        "template": template,
                    })
    random.Random(seed).shuffle(rows)
    frame = pd.DataFrame(rows)
    frame["round"] = frame.groupby(["target", "stance", "template"]).cumcount()
    return frame.sort_values("round", kind="stable").drop(columns=["round", "template"]).reset_index(drop=True)


def xor_statements(actors: list[str]) -> pd.DataFrame:
    """The same sentences under two targets, with the cue meaning opposite things.

    Under "plan_a" backing is support; under "plan_b" (say, a plan to *withdraw* aid)
    the source codes backing as oppose. Only target-specific cues can separate them.
    """
    rows = []
    for actor in actors:
        for cue in ("backs", "rejects"):
            for target in ("plan_a", "plan_b"):
                positive = (cue == "backs") == (target == "plan_a")
                rows.append({
                    "text": f"{actor} {cue} the plan.",
                    "target": target,
                    "stance": "support" if positive else "oppose",
                })
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return synthetic_statements()


@pytest.fixture(scope="module")
def fitted(data) -> StanceClassifier:
    train = data.iloc[:60]
    return StanceClassifier().fit(train[["text", "target"]], train["stance"])


# -- learning ----------------------------------------------------------------------------------


def test_learns_support_and_oppose_cues_from_60_sentences(fitted, data):
    test = data.iloc[60:160]
    accuracy = fitted.score(test[["text", "target"]], test["stance"])
    assert accuracy > 0.9
    assert fitted.classes_.tolist() == ["oppose", "support"]


@pytest.mark.parametrize(
    "params",
    [
        {"model": "linear_svm"},
        {"target_features": "onehot", "char_ngrams": (2, 5)},
        {"target_features": "none", "word_ngrams": None, "char_ngrams": (2, 4)},
        {"target_features": ("onehot", "interact", "similarity")},
    ],
)
def test_other_configurations_learn_too(data, params):
    train, test = data.iloc[:60], data.iloc[60:160]
    cols = ["text", "target", "actor"]
    model = StanceClassifier(**params).fit(train[cols], train["stance"])
    assert model.score(test[cols], test["stance"]) > 0.9


def test_interact_learns_opposite_cues_for_two_targets_where_onehot_cannot():
    train = xor_statements(ACTORS[:6])
    test = xor_statements(["Kallas", "Zelensky", "Erdogan", "Stubb"])  # unseen actors
    X, y = train[["text", "target"]], train["stance"]

    interact = StanceClassifier(target_features="interact").fit(X, y)
    assert interact.score(test[["text", "target"]], test["stance"]) == 1.0

    # With a shared weight for "backs" and an additive target prior, a linear model cannot
    # express "backs means support for plan_a but oppose for plan_b": chance level.
    for features in ("onehot", "none"):
        model = StanceClassifier(target_features=features).fit(X, y)
        assert model.score(test[["text", "target"]], test["stance"]) <= 0.5


def test_similarity_separates_related_from_unrelated_headline_body_pairs():
    headlines = [
        "Italy to send troops to Ukraine",
        "EU agrees new sanctions on Russian oil",
        "NATO summit moved to June",
        "Ceasefire talks resume in Istanbul",
    ]
    bodies = {
        0: "Rome confirmed it will send troops to Ukraine as part of a reassurance force.",
        1: "European ministers agreed new sanctions on Russian oil exports on Tuesday.",
        2: "The NATO summit has been moved to June, officials said.",
        3: "Delegations said ceasefire talks resume in Istanbul next week.",
    }
    rows = []
    for h, headline in enumerate(headlines):
        for b, body in bodies.items():
            rows.append({"target": headline, "text": body, "stance": "related" if h == b else "unrelated"})
    frame = pd.DataFrame(rows)
    sim = TargetTextSimilarity().fit(frame[["text", "target"]])
    features = sim.transform(frame[["text", "target"]])
    related = frame["stance"].eq("related").to_numpy()
    # Every related pair is more similar, on each of the three features, than every unrelated one.
    for column in range(3):
        assert features[related, column].min() > features[~related, column].max()
    model = StanceClassifier(target_features="similarity", word_ngrams=(1, 1)).fit(
        frame[["text", "target"]], frame["stance"]
    )
    assert model.predict(frame[["text", "target"]]).tolist() == frame["stance"].tolist()


# -- feature transformers ----------------------------------------------------------------------


def test_feature_names_show_each_group(data):
    train = data.iloc[:60]
    model = StanceClassifier(target_features=("onehot", "interact", "similarity"), char_ngrams=(3, 3),
                             actor_features=True).fit(train[["text", "target", "actor"]], train["stance"])
    names = model.feature_names_out().tolist()
    assert len(names) == model.pipeline_[-1].coef_.shape[1]
    groups = {n.split("__", 1)[0] for n in names}
    assert groups == {"words", "chars", "target_onehot", "target_interact", "similarity", "actor_onehot"}
    # targets sorted: sanctions_on_russia = t0, troops_to_ukraine = t1
    assert {"target_interact__t1__backs", "target_interact__t0__rejects", "words__backs",
            "target_onehot__target_troops_to_ukraine", "similarity__cosine", "actor_onehot__actor_Meloni"} <= set(names)
    coef = dict(zip(names, model.pipeline_[-1].coef_[0]))  # positive = classes_[1] = support
    assert coef["words__backs"] > 0 > coef["words__rejects"]


def test_target_interaction_prefixes_tokens_with_target_id():
    t = TargetInteraction().fit(pd.DataFrame({"text": ["a", "b"], "target": ["troops", "aid"]}))
    assert t.target_ids_ == {"aid": "t0", "troops": "t1"}
    out = t.transform(pd.DataFrame({"text": ["Meloni BACKS it, x!", "backs"], "target": ["aid", "unknown"]}))
    assert out.tolist() == ["t0__meloni t0__backs t0__it", ""]


def test_target_text_similarity_exact_values():
    sim = TargetTextSimilarity().fit([["Troops sent to Kyiv", "Troops for Kyiv"], ["nothing here", "other words"]])
    values = sim.transform([["Troops sent to Kyiv", "Troops for Kyiv"], ["nothing here", "other words"]])
    # stop words out: {troops, sent, kyiv} vs {troops, kyiv}; {} vs {words}
    assert values[:, 1].tolist() == pytest.approx([2 / 3, 0.0])
    assert values[:, 2].tolist() == pytest.approx([1.0, 0.0])
    assert values[1, 0] == 0.0
    assert 0.5 < values[0, 0] < 1.0


# -- probabilities and scores ------------------------------------------------------------------


def test_predict_proba_and_decision_function(fitted, data):
    X = data.iloc[60:70][["text", "target"]]
    proba = fitted.predict_proba(X)
    assert proba.shape == (10, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert fitted.predict(X).tolist() == fitted.classes_[proba.argmax(axis=1)].tolist()
    scores = fitted.decision_function(X)
    assert scores.shape == (10,)
    assert ((scores > 0) == (fitted.predict(X) == fitted.classes_[1])).all()


def test_linear_svm_has_probabilities_but_no_decision_function(data):
    train = data.iloc[:60]
    svm = StanceClassifier(model="linear_svm").fit(train[["text", "target"]], train["stance"])
    assert not hasattr(svm, "decision_function")
    assert hasattr(StanceClassifier(), "decision_function")
    proba = svm.predict_proba(data.iloc[60:65][["text", "target"]])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_three_labels_and_any_label_strings():
    frame = synthetic_statements().iloc[:90].copy()
    frame.loc[frame.index[::3], "text"] = "The weather in Brussels was mild."
    frame.loc[frame.index[::3], "stance"] = "NONE"
    frame["stance"] = frame["stance"].map({"support": "FAVOR", "oppose": "AGAINST", "NONE": "NONE"})
    model = StanceClassifier().fit(frame[["text", "target"]], frame["stance"])
    assert model.classes_.tolist() == ["AGAINST", "FAVOR", "NONE"]
    assert model.predict_proba(frame[["text", "target"]]).shape == (90, 3)
    assert model.decision_function(frame[["text", "target"]]).shape == (90, 3)


def test_works_in_cross_validation(data):
    scores = cross_val_score(StanceClassifier(), data.iloc[:90][["text", "target"]], data.iloc[:90]["stance"], cv=3)
    assert scores.shape == (3,) and scores.min() > 0.8


# -- scikit-learn conventions ------------------------------------------------------------------


class NumbersAsText(StanceClassifier):
    """StanceClassifier seen through the scikit-learn check suite, which feeds numeric arrays.

    The suite cannot test an estimator of text columns directly (it skips them all), so this
    adapter writes each numeric row as words ("f0b3 f1b-2 ...": feature and half-unit bin) with
    one target, and hands that DataFrame to the real StanceClassifier: fitting, predicting,
    probabilities, cloning, pickling, label handling and invariances are the estimator's own.
    Only the checks of the adapter's array handling (shape, NaN, feature count) test adapter code.
    """

    def fit(self, X, y=None):
        super().fit(X, y)
        self.n_features_in_ = self._array(X).shape[1] if not isinstance(X, pd.DataFrame) else 2
        return self

    def _array(self, X) -> np.ndarray:
        if sp.issparse(X):
            raise TypeError("sparse input is not supported: give a DataFrame of texts")
        a = np.asarray(X)
        if a.dtype.kind == "c":
            raise ValueError("Complex data not supported")
        if a.ndim != 2:
            raise ValueError(f"Expected 2D array, got {a.ndim}D array instead. Reshape your data")
        if a.shape[1] == 0:
            raise ValueError(f"0 feature(s) (shape={a.shape}) while a minimum of 1 is required.")
        return a.astype(float)

    def _check_X(self, X):
        if isinstance(X, pd.DataFrame) and {"text", "target"} <= set(X.columns):
            return super()._check_X(X)
        a = self._array(X)
        if not np.isfinite(a).all():
            raise ValueError("Input contains NaN or infinity.")
        if hasattr(self, "n_features_in_") and a.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {a.shape[1]} features, but {type(self).__name__} is expecting "
                             f"{self.n_features_in_} features as input")
        texts = [" ".join(f"f{j}b{int(np.floor(v * 2))}" for j, v in enumerate(row)) for row in a]
        return super()._check_X(pd.DataFrame({"text": texts, "target": "t"}))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array, tags.input_tags.string = True, False
        return tags


@parametrize_with_checks([NumbersAsText(word_ngrams=(1, 1), char_ngrams=None)])
def test_sklearn_estimator_check_suite(estimator, check):
    check(estimator)


API_CHECKS = [
    checks.check_no_attributes_set_in_init, checks.check_parameters_default_constructible,
    checks.check_get_params_invariance, checks.check_set_params, checks.check_estimators_unfitted,
    checks.check_estimator_cloneable, checks.check_estimator_repr, checks.check_mixin_order,
    checks.check_do_not_raise_errors_in_init_or_set_params, checks.check_valid_tag_types,
    checks.check_estimator_tags_renamed,
]


@pytest.mark.parametrize("check", API_CHECKS, ids=lambda c: c.__name__)
def test_cue_classifier_is_an_ordinary_estimator(check):
    """The rule-based classifier learns nothing, so the suite's learning checks do not apply; the API ones do."""
    check("CueStanceClassifier", CueStanceClassifier())


def test_cue_classifier_fits_without_data_and_checks_its_parameters():
    X = pd.DataFrame({"text": ["Meloni rejected sending troops."], "target": ["sending troops"]})
    assert CueStanceClassifier().fit().predict(X).tolist() == ["oppose"]
    assert clone(CueStanceClassifier(strong=0.8)).fit(X).strong == 0.8
    with pytest.raises(ValueError, match="weak .* must not exceed strong"):
        CueStanceClassifier(strong=0.6, weak=0.7).fit()
    with pytest.raises(ValueError, match="negation_window must be a whole number"):
        CueStanceClassifier(negation_window=-1).fit()
    with pytest.raises(NotFittedError):
        CueStanceClassifier().predict(X)


def test_init_stores_params_fit_returns_self_and_keeps_them(data):
    params = {"word_ngrams": (1, 3), "char_ngrams": (2, 4), "target_features": "onehot", "min_df": 1,
              "max_features": 500, "actor_features": False, "vector_dim": 128, "C": 0.5, "class_weight": None,
              "model": "logreg", "random_state": 3}
    model = StanceClassifier(**params)
    assert model.get_params() == params
    assert model.fit(data[["text", "target"]], data["stance"]) is model
    assert model.get_params() == params
    assert model.set_params(C=2.0) is model and model.C == 2.0
    fitted_attrs = {k for k in vars(model) if k not in params}
    assert fitted_attrs == {"pipeline_", "classes_"}
    unfitted = clone(model)
    assert unfitted.get_params() == {**params, "C": 2.0}
    assert not hasattr(unfitted, "pipeline_")
    assert is_classifier(model)


def test_fit_is_deterministic(data):
    X, y = data.iloc[:60][["text", "target"]], data.iloc[:60]["stance"]
    test = data.iloc[60:90][["text", "target"]]
    for params in ({}, {"model": "linear_svm"}):
        a = StanceClassifier(**params).fit(X, y).predict_proba(test)
        b = StanceClassifier(**params).fit(X, y).predict_proba(test)
        np.testing.assert_array_equal(a, b)


# -- errors ------------------------------------------------------------------------------------


def test_input_validation_errors(fitted):
    good = pd.DataFrame({"text": ["a b", "c d"], "target": ["t", "t"]})
    with pytest.raises(ValueError, match=r"X must be a pandas DataFrame with columns \['text', 'target'\], got list"):
        StanceClassifier().fit([["a", "t"]], ["x"])
    with pytest.raises(ValueError, match=r"X is missing column\(s\) \['target'\]; found \['text', 'headline'\]"):
        fitted.predict(pd.DataFrame({"text": ["a"], "headline": ["b"]}))
    with pytest.raises(ValueError, match=r"X is missing column\(s\) \['actor'\]"):
        StanceClassifier(actor_features=True).fit(good, ["x", "y"])
    nan_text = pd.DataFrame({"text": ["fine", None, np.nan], "target": ["t"] * 3}, index=[10, 11, 12])
    with pytest.raises(ValueError, match=r"X\['text'\] is missing \(NaN/None\) in row\(s\) 11, 12"):
        fitted.predict(nan_text)
    with pytest.raises(ValueError, match="X has no rows"):
        fitted.predict(good.iloc[:0])
    with pytest.raises(ValueError, match="X has 2 rows but y has 3 labels"):
        StanceClassifier().fit(good, ["x", "y", "z"])
    with pytest.raises(ValueError, match="y has missing .NaN.None.inf. labels in row"):
        StanceClassifier().fit(good, ["x", None])
    with pytest.raises(ValueError, match="at least 2 different labels"):
        StanceClassifier().fit(good, ["x", "x"])
    with pytest.raises(ValueError, match="needs at least 2 examples of every class"):
        StanceClassifier(model="linear_svm").fit(good, ["x", "y"])
    with pytest.raises(NotFittedError):
        StanceClassifier().predict(good)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"target_features": "headline"}, "target_features must be one of"),
        ({"target_features": ("none", "onehot")}, "target_features must be one of"),
        ({"word_ngrams": (2, 1)}, r"word_ngrams must be None or a pair"),
        ({"char_ngrams": 3}, r"char_ngrams must be None or a pair"),
        ({"word_ngrams": None}, "both None"),
        ({"min_df": 0}, "min_df must be"),
        ({"max_features": 0}, "max_features must be"),
        ({"C": 0}, "C must be a positive number"),
        ({"class_weight": "auto"}, "class_weight must be"),
        ({"model": "bert"}, r"model must be one of \['logreg', 'linear_svm'\], got 'bert'"),
    ],
)
def test_bad_parameters_fail_in_fit_not_init(params, message):
    model = StanceClassifier(**params)  # no error here
    X = pd.DataFrame({"text": ["a b", "c d", "e f", "g h"], "target": ["t"] * 4})
    with pytest.raises(ValueError, match=message):
        model.fit(X, ["x", "y", "x", "y"])


# -- model files -------------------------------------------------------------------------------


def test_save_and_load_round_trip_gives_identical_predictions(tmp_path, data):
    test = data.iloc[60:160][["text", "target", "actor"]]
    for params in ({}, {"model": "linear_svm", "target_features": ("onehot", "interact", "similarity"),
                        "char_ngrams": (2, 4), "actor_features": True}):
        model = StanceClassifier(**params).fit(data.iloc[:60][["text", "target", "actor"]], data.iloc[:60]["stance"])
        path = save_model(model, tmp_path / "models" / "stance.skops")
        assert path.is_file()
        with open(path, "rb") as fh:
            assert fh.read(2) == b"PK"  # a skops zip file, not a pickle
        loaded = load_model(path)
        assert isinstance(loaded, StanceClassifier)
        assert loaded.get_params() == model.get_params()
        assert loaded.predict(test).tolist() == model.predict(test).tolist()
        np.testing.assert_array_equal(loaded.predict_proba(test), model.predict_proba(test))
        assert set(sio.get_untrusted_types(file=path)) <= ALLOWED_TYPES


class Intruder:
    """A type no allow-list knows; loading it must never run its code."""

    loaded = False

    def __setstate__(self, state):
        Intruder.loaded = True
        self.__dict__.update(state)


def test_load_refuses_a_file_with_an_unexpected_type(tmp_path, fitted):
    model = clone(fitted).set_params()
    model.__dict__.update(vars(fitted))
    model.extra_ = Intruder()
    path = tmp_path / "tampered.skops"
    sio.dump(model, path)
    with pytest.raises(UntrustedModelError, match=r"not on the allow-list, refusing to load: \[.*Intruder'\]"):
        load_model(path)
    assert Intruder.loaded is False

    # save_model refuses to write it in the first place, and leaves no file.
    with pytest.raises(UntrustedModelError, match="Intruder"):
        save_model(model, tmp_path / "never.skops")
    assert not (tmp_path / "never.skops").exists()


def test_load_refuses_other_objects_and_missing_files(tmp_path):
    from sklearn.linear_model import LogisticRegression

    path = tmp_path / "other.skops"
    sio.dump(LogisticRegression(), path)
    with pytest.raises(UntrustedModelError, match="holds a LogisticRegression, not a StanceClassifier"):
        load_model(path)
    with pytest.raises(FileNotFoundError, match="no model file at"):
        load_model(tmp_path / "missing.skops")
    with pytest.raises(TypeError, match="save_model writes a StanceClassifier, got LogisticRegression"):
        save_model(LogisticRegression(), tmp_path / "x.skops")
    with pytest.raises(NotFittedError):
        save_model(StanceClassifier(), tmp_path / "x.skops")
