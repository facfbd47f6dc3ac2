"""A trainable stance classifier: (text, target) -> stance label, and safe model files.

One estimator covers sentence-level statements (support / oppose / neutral on a codebook
target) and the public stance benchmarks, by choosing how the target enters the features:

=====================  ====================================================================
``target_features``    features added to the text n-grams
=====================  ====================================================================
``"none"``             nothing: one model for all targets
``"onehot"``           the target id as a one-hot feature (a per-target prior)
``"interact"``         text tokens crossed with the target id (``t0__backs``), beside the
                       shared n-grams: the model learns target-specific cues (default)
``"similarity"``       cosine similarity and token overlap of target text and text, for
                       headline/body pairs (FNC-1, Emergent)
``"target_words"``     word n-grams of the target text itself (a headline, a claim), with
                       their own vocabulary: the UCLMR features of FNC-1
``"cues"``             refuting / hedging / reporting words, question marks and n-gram
                       hits of the target in the text (``stance_features.PairCues``)
``"vectors"``          static word vectors (WordLlama, shipped in its wheel; needs the
                       ``wordllama`` package): text and target vectors, their product,
                       absolute difference and cosine (``vectors.PairVectors``)
``"text_vectors"``     the text vector only
``"target_vectors"``   the text vector in one block per target id (``"interact"`` for vectors)
=====================  ====================================================================

A tuple combines groups, e.g. ``("onehot", "similarity")``. ``"onehot"`` and
``"interact"`` suit a small fixed set of targets: our codebook targets, or SemEval-2016
Task 6 (target = one of five topics, text = tweet; ``char_ngrams=(2, 5)`` is worth a try
there). Where every row has its own target text, as in FNC-1 (target = headline, text =
body) and Emergent (target = claim, text = headline), use ``"similarity"`` and ``"cues"``;
``"target_words"`` helps only where test targets repeat training ones (it memorises them:
on FNC-1 claims never seen in training it costs 1.5 points).

``model`` may also be an unfitted scikit-learn classifier (e.g. ``MLPClassifier``, or a soft
``VotingClassifier`` of several): it is cloned and fitted on the same features; ``C`` and
``class_weight`` then do not apply, except that a ``class_weight`` dict or ``"balanced"``
becomes ``sample_weight`` when the classifier has no ``class_weight`` of its own.

>>> import pandas as pd
>>> X = pd.DataFrame({
...     "text": ["Italy backs the plan.", "France backs the plan.", "Italy rejects the plan.",
...              "France rejects the plan.", "Spain backs the plan.", "Spain rejects the plan."],
...     "target": ["troops"] * 6})
>>> y = ["support", "support", "oppose", "oppose", "support", "oppose"]
>>> model = StanceClassifier().fit(X, y)
>>> model.classes_.tolist()
['oppose', 'support']
>>> model.predict(pd.DataFrame({"text": ["Greece backs it."], "target": ["troops"]})).tolist()
['support']

``save_model``/``load_model`` write and read the fitted model with skops (never pickle);
loading refuses any type outside an allow-list.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from numbers import Integral, Real
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    TransformerMixin,
    clone,
    is_classifier,
)
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder
from sklearn.svm import LinearSVC
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d, has_fit_parameter

from diplomacy_lab.errors import MissingInputError, ModelLoadError
from diplomacy_lab.statements.features import PairCues, text_columns
from diplomacy_lab.statements.vectors import DIMS as VECTOR_DIMS
from diplomacy_lab.statements.vectors import PairVectors

__all__ = [
    "StanceClassifier",
    "TargetInteraction",
    "TargetTextSimilarity",
    "UntrustedModelError",
    "load_model",
    "save_model",
]

TARGET_FEATURES = ("none", "onehot", "interact", "similarity", "target_words", "cues", "vectors", "text_vectors",
                   "target_vectors")
MODELS = ("logreg", "linear_svm")
_VECTOR_GROUPS = {"vectors": "pair", "text_vectors": "text", "target_vectors": "text_by_target"}
# The same tokens TfidfVectorizer finds by default: two or more word characters.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


class TargetInteraction(TransformerMixin, BaseEstimator):
    """Rewrite each text as its tokens prefixed with the row's target id.

    Input: two columns (text, target). ``"Italy backs it"`` on the first target (sorted)
    seen in ``fit`` becomes ``"t0__italy t0__backs t0__it"``; an unseen target gives ``""`` (no
    interaction features, the shared n-grams still apply). A vectorizer with
    ``token_pattern=r"\\S+"`` follows it in the pipeline.

    >>> TargetInteraction().fit([["x", "b"], ["x", "a"]]).transform([["Italy backs it", "b"]])
    array(['t1__italy t1__backs t1__it'], dtype=object)
    """

    def fit(self, X, y=None):
        _, targets = text_columns(X, 2, "TargetInteraction")
        self.target_ids_ = {t: f"t{i}" for i, t in enumerate(sorted(set(targets)))}
        return self

    def transform(self, X):
        check_is_fitted(self, "target_ids_")
        texts, targets = text_columns(X, 2, "TargetInteraction")
        out = []
        for text, target in zip(texts, targets):
            tid = self.target_ids_.get(target)
            out.append("" if tid is None else " ".join(f"{tid}__{tok}" for tok in _TOKEN.findall(text.lower())))
        return np.asarray(out, dtype=object)

    def get_feature_names_out(self, input_features=None):
        """One output: the rewritten text (the vectorizer after it names the real features)."""
        return np.asarray(["text"], dtype=object)


class TargetTextSimilarity(TransformerMixin, BaseEstimator):
    """Three similarity features of (text, target) pairs, for headline/body stance.

    Columns: tf-idf cosine similarity, Jaccard overlap of the token sets, and the share of
    target tokens found in the text. English stop words are left out of all three.

    >>> sim = TargetTextSimilarity().fit([["troops sent to Kyiv", "troops for Kyiv"]])
    >>> sim.transform([["troops sent to Kyiv", "troops for Kyiv"]]).round(2).tolist()
    [[0.71, 0.67, 1.0]]
    """

    def fit(self, X, y=None):
        texts, targets = text_columns(X, 2, "TargetTextSimilarity")
        self.vectorizer_ = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit(texts + targets)
        return self

    def transform(self, X):
        check_is_fitted(self, "vectorizer_")
        texts, targets = text_columns(X, 2, "TargetTextSimilarity")
        # Each distinct text and target is vectorised and tokenised once (FNC-1: 50,000 pairs, 1,700 bodies).
        text_codes, unique_texts = pd.factorize(pd.Series(texts, dtype=object))
        target_codes, unique_targets = pd.factorize(pd.Series(targets, dtype=object))
        a = self.vectorizer_.transform(list(unique_texts))[text_codes]
        b = self.vectorizer_.transform(list(unique_targets))[target_codes]
        cosine = np.asarray(a.multiply(b).sum(axis=1)).ravel()  # rows are l2-normalised
        analyze = self.vectorizer_.build_analyzer()
        text_sets = [set(analyze(t)) for t in unique_texts]
        target_sets = [set(analyze(t)) for t in unique_targets]
        jaccard, coverage = [], []
        for i, j in zip(text_codes, target_codes):
            t_tokens, g_tokens = text_sets[i], target_sets[j]
            union = t_tokens | g_tokens
            jaccard.append(len(t_tokens & g_tokens) / len(union) if union else 0.0)
            coverage.append(len(t_tokens & g_tokens) / len(g_tokens) if g_tokens else 0.0)
        return np.column_stack([cosine, jaccard, coverage]).astype(float)

    def get_feature_names_out(self, input_features=None):
        return np.asarray(["cosine", "jaccard", "coverage"], dtype=object)


def _is_classifier_instance(model) -> bool:
    return not isinstance(model, (str, type)) and hasattr(model, "fit") and hasattr(model, "get_params") \
        and is_classifier(model)


def _accepts_sample_weight(classifier) -> bool:
    """Whether ``fit`` takes ``sample_weight``; for an ensemble (``estimators``), whether all its members do."""
    members = getattr(classifier, "estimators", None)
    if isinstance(members, list) and members:
        return all(e == "drop" or has_fit_parameter(e, "sample_weight") for _, e in members)
    return has_fit_parameter(classifier, "sample_weight")


def _check_ngrams(name: str, value) -> tuple[int, int] | None:
    if value is None:
        return None
    if (
        not isinstance(value, (tuple, list))
        or len(value) != 2
        or not all(isinstance(v, Integral) and not isinstance(v, bool) for v in value)
        or not 1 <= value[0] <= value[1]
    ):
        raise ValueError(f"{name} must be None or a pair (low, high) of integers with 1 <= low <= high, got {value!r}")
    return (int(value[0]), int(value[1]))


class StanceClassifier(ClassifierMixin, BaseEstimator):
    """Stance of a text towards a target, from tf-idf n-grams and target features.

    Parameters
    ----------
    word_ngrams : (low, high) or None
        Word n-gram range of the shared text features; None leaves them out.
    char_ngrams : (low, high) or None
        Character n-grams (``char_wb``) of the text, e.g. ``(2, 5)``; None: none.
    target_features : str or tuple of str
        One of ``TARGET_FEATURES`` or a tuple of them (module docstring).
    min_df, max_features
        Passed to every tf-idf vectorizer (``max_features`` caps each one separately).
    actor_features : bool
        Add the ``actor`` column one-hot (X must then have ``actor``): a per-actor prior,
        useful when actors hold stable positions, prone to overfit on small data.
    vector_dim : {64, 128, 256}
        Size of the static word vectors of the ``"vectors"`` groups (WordLlama truncates its
        256-d vectors); ``"vectors"`` adds ``4 * vector_dim + 1`` dense columns.
    C, class_weight, random_state
        Passed to the linear model.
    model : {"logreg", "linear_svm"} or a scikit-learn classifier
        LogisticRegression, or LinearSVC calibrated with sigmoid CalibratedClassifierCV
        (so ``predict_proba`` works; ``decision_function`` only exists for ``"logreg"``),
        or an unfitted classifier instance, cloned at ``fit`` (module docstring).

    X is a DataFrame with columns ``text`` and ``target`` (plus ``actor`` when
    ``actor_features``); y any labels. Fitted attributes: ``pipeline_`` (the sklearn
    Pipeline), ``classes_``. ``feature_names_out()`` names the features, e.g.
    ``target_interact__t1__backs``, to read ``pipeline_[-1].coef_``.
    """

    def __init__(
        self,
        *,
        word_ngrams=(1, 2),
        char_ngrams=None,
        target_features="interact",
        min_df=1,
        max_features=None,
        actor_features=False,
        vector_dim=256,
        C=1.0,
        class_weight="balanced",
        model="logreg",
        random_state=0,
    ):
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.target_features = target_features
        self.min_df = min_df
        self.max_features = max_features
        self.actor_features = actor_features
        self.vector_dim = vector_dim
        self.C = C
        self.class_weight = class_weight
        self.model = model
        self.random_state = random_state

    # -- validation -----------------------------------------------------------------------

    def _target_groups(self) -> tuple[str, ...]:
        groups = (self.target_features,) if isinstance(self.target_features, str) else self.target_features
        try:
            groups = tuple(groups)
        except TypeError:
            groups = (self.target_features,)
        bad = [g for g in groups if g not in TARGET_FEATURES]
        if not groups or bad or ("none" in groups and len(groups) > 1):
            raise ValueError(
                f"target_features must be one of {list(TARGET_FEATURES)} or a tuple of "
                f"{list(TARGET_FEATURES[1:])}, got {self.target_features!r}"
            )
        return tuple(dict.fromkeys(g for g in groups if g != "none"))

    def _check_params(self) -> None:
        word = _check_ngrams("word_ngrams", self.word_ngrams)
        char = _check_ngrams("char_ngrams", self.char_ngrams)
        if word is None and char is None:
            raise ValueError("word_ngrams and char_ngrams are both None: the model needs text features")
        self._target_groups()
        if isinstance(self.min_df, bool) or not (
            (isinstance(self.min_df, Integral) and self.min_df >= 1)
            or (isinstance(self.min_df, Real) and 0 < self.min_df <= 1)
        ):
            raise ValueError(f"min_df must be an integer >= 1 or a fraction in (0, 1], got {self.min_df!r}")
        if self.max_features is not None and (
            isinstance(self.max_features, bool) or not isinstance(self.max_features, Integral) or self.max_features < 1
        ):
            raise ValueError(f"max_features must be None or an integer >= 1, got {self.max_features!r}")
        if self.vector_dim not in VECTOR_DIMS:
            raise ValueError(f"vector_dim must be one of {list(VECTOR_DIMS)}, got {self.vector_dim!r}")
        if isinstance(self.C, bool) or not isinstance(self.C, Real) or not self.C > 0:
            raise ValueError(f"C must be a positive number, got {self.C!r}")
        if not (self.class_weight is None or self.class_weight == "balanced" or isinstance(self.class_weight, dict)):
            raise ValueError(f"class_weight must be None, 'balanced' or a dict, got {self.class_weight!r}")
        if not _is_classifier_instance(self.model) and self.model not in MODELS:
            raise ValueError(f"model must be one of {list(MODELS)}, got {self.model!r}; "
                             "or pass an unfitted scikit-learn classifier instance")

    def _required_columns(self) -> list[str]:
        return ["text", "target"] + (["actor"] if self.actor_features else [])

    def _check_X(self, X) -> pd.DataFrame:
        required = self._required_columns()
        if not isinstance(X, pd.DataFrame):
            raise ValueError(f"X must be a pandas DataFrame with columns {required}, got {type(X).__name__}")
        missing = [c for c in required if c not in X.columns]
        if missing:
            raise ValueError(f"X is missing column(s) {missing}; found {list(X.columns)}")
        if len(X) == 0:
            raise ValueError("X has no rows")
        out = {}
        for col in required:
            values = X[col]
            bad = values.isna().to_numpy()
            if bad.any():
                rows = X.index[bad].tolist()
                shown = ", ".join(map(repr, rows[:10])) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")
                raise ValueError(f"X[{col!r}] is missing (NaN/None) in row(s) {shown}")
            out[col] = values.astype(str).to_numpy(dtype=object)
        return pd.DataFrame(out, columns=required)

    # -- building ---------------------------------------------------------------------------

    def _vectorizer(self, **kwargs) -> TfidfVectorizer:
        return TfidfVectorizer(min_df=self.min_df, max_features=self.max_features, sublinear_tf=True, **kwargs)

    def _features(self) -> ColumnTransformer:
        word = _check_ngrams("word_ngrams", self.word_ngrams)
        char = _check_ngrams("char_ngrams", self.char_ngrams)
        parts = []
        if word is not None:
            parts.append(("words", self._vectorizer(ngram_range=word), "text"))
        if char is not None:
            parts.append(("chars", self._vectorizer(analyzer="char_wb", ngram_range=char), "text"))
        for group in self._target_groups():
            if group == "onehot":
                parts.append(("target_onehot", OneHotEncoder(handle_unknown="ignore"), ["target"]))
            elif group == "interact":
                crossed = Pipeline([
                    ("prefix", TargetInteraction()),
                    ("tfidf", self._vectorizer(ngram_range=word or (1, 1), token_pattern=r"\S+", lowercase=False)),
                ])
                parts.append(("target_interact", crossed, ["text", "target"]))
            elif group == "similarity":
                parts.append(("similarity", TargetTextSimilarity(), ["text", "target"]))
            elif group == "target_words":
                parts.append(("target_words", self._vectorizer(ngram_range=word or (1, 1)), "target"))
            elif group == "cues":
                parts.append(("cues", PairCues(), ["text", "target"]))
            elif group in _VECTOR_GROUPS:
                parts.append((group, PairVectors(features=_VECTOR_GROUPS[group], dim=self.vector_dim), ["text", "target"]))
        if self.actor_features:
            parts.append(("actor_onehot", OneHotEncoder(handle_unknown="ignore"), ["actor"]))
        return ColumnTransformer(parts, sparse_threshold=1.0)

    def _classifier(self, y: np.ndarray):
        if not isinstance(self.model, str):
            return clone(self.model)
        if self.model == "logreg":
            return LogisticRegression(
                C=self.C, class_weight=self.class_weight, max_iter=5000, random_state=self.random_state
            )
        smallest = int(pd.Series(y).value_counts().min())
        if smallest < 2:
            raise ValueError("model='linear_svm' needs at least 2 examples of every class to calibrate probabilities")
        svm = LinearSVC(C=self.C, class_weight=self.class_weight, random_state=self.random_state)
        return CalibratedClassifierCV(svm, method="sigmoid", cv=min(3, smallest))

    # -- estimator API ----------------------------------------------------------------------

    def fit(self, X, y):
        """Build the feature pipeline for these parameters and fit it on (X, y); return self."""
        self._check_params()
        frame = self._check_X(X)
        if y is None:
            raise ValueError("requires y to be passed, but the target y is None: give the stance labels")
        labels = column_or_1d(y.to_numpy() if isinstance(y, pd.Series) else np.asarray(y), warn=True)
        if len(labels) != len(frame):
            raise ValueError(f"X has {len(frame)} rows but y has {len(labels)} labels")
        bad = pd.isna(labels) if labels.dtype.kind == "O" else (
            ~np.isfinite(labels) if labels.dtype.kind == "f" else np.zeros(len(labels), bool))
        if bad.any():
            rows = X.index[bad].tolist()[:10] if isinstance(X, pd.DataFrame) else np.flatnonzero(bad)[:10].tolist()
            raise ValueError(f"y has missing (NaN/None/inf) labels in row(s) {rows}")
        check_classification_targets(labels)
        if len(set(labels)) < 2:
            found = sorted(set(map(str, labels)))
            raise ValueError(f"y holds one class only ({found}); a classifier needs at least 2 different labels")
        classifier = self._classifier(labels)
        pipeline = Pipeline([("features", self._features()), ("classifier", classifier)])
        fit_params = {}
        if not isinstance(self.model, str) and self.class_weight is not None and "class_weight" not in classifier.get_params():
            if not _accepts_sample_weight(classifier):
                raise ValueError(f"class_weight={self.class_weight!r} cannot reach {type(classifier).__name__}: it has no "
                                 "class_weight and its fit takes no sample_weight; pass class_weight=None")
            fit_params["classifier__sample_weight"] = compute_sample_weight(self.class_weight, labels)
        self.pipeline_ = pipeline.fit(frame, labels, **fit_params)
        self.classes_ = self.pipeline_.classes_
        return self

    def predict(self, X) -> np.ndarray:
        """Predicted label for each row of X."""
        check_is_fitted(self, "pipeline_")
        return self.pipeline_.predict(self._check_X(X))

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, columns in ``classes_`` order."""
        check_is_fitted(self, "pipeline_")
        return self.pipeline_.predict_proba(self._check_X(X))

    @available_if(lambda self: isinstance(self.model, str) and self.model == "logreg")
    def decision_function(self, X) -> np.ndarray:
        """Linear scores (``model="logreg"`` only)."""
        check_is_fitted(self, "pipeline_")
        return self.pipeline_.decision_function(self._check_X(X))

    def feature_names_out(self) -> np.ndarray:
        """Names of the model's input features, in ``coef_`` column order."""
        check_is_fitted(self, "pipeline_")
        return self.pipeline_[0].get_feature_names_out()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False  # a DataFrame of named text columns, not a numeric matrix
        tags.input_tags.string = True
        return tags


# -- model files -------------------------------------------------------------------------------

# Types a fitted StanceClassifier may put in a skops file. skops itself trusts numpy,
# scipy.sparse and scikit-learn's public estimators (measured with skops 0.16: only our
# three classes and the two private calibration classes show up as untrusted); the sklearn
# classes the pipeline builds are listed too, so a skops that stops trusting them by default
# still loads our files. load_model accepts these types and nothing else.
ALLOWED_TYPES = frozenset({
    "diplomacy_lab.statements.classifier.StanceClassifier",
    "diplomacy_lab.statements.classifier.TargetInteraction",
    "diplomacy_lab.statements.classifier.TargetTextSimilarity",
    "diplomacy_lab.statements.features.PairCues",
    "diplomacy_lab.statements.vectors.PairVectors",
    "sklearn.ensemble._voting.VotingClassifier",
    "sklearn.neural_network._multilayer_perceptron.MLPClassifier",
    "sklearn.utils._bunch.Bunch",
    "sklearn.neural_network._stochastic_optimizers.AdamOptimizer",
    "sklearn.neural_network._stochastic_optimizers.SGDOptimizer",
    "sklearn.preprocessing._label.LabelBinarizer",
    "sklearn.preprocessing._label.LabelEncoder",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._encoders.OneHotEncoder",
    "sklearn.svm._classes.LinearSVC",
})


class UntrustedModelError(ModelLoadError):
    """A model file holds types outside ``ALLOWED_TYPES``; it was not loaded."""


def _skops():
    try:
        import skops.io as sio
    except ImportError as exc:  # pragma: no cover - skops is a declared dependency
        raise ImportError("save_model/load_model need skops: pip install skops") from exc
    return sio


def save_model(model: StanceClassifier, path: str | os.PathLike) -> Path:
    """Write a fitted StanceClassifier to ``path`` with skops; return the path.

    The file is checked the way ``load_model`` checks it, so a saved model always loads.
    """
    if not isinstance(model, StanceClassifier):
        raise TypeError(f"save_model writes a StanceClassifier, got {type(model).__name__}")
    check_is_fitted(model, "pipeline_")
    sio = _skops()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(model, path)
    refused = sorted(set(sio.get_untrusted_types(file=path)) - ALLOWED_TYPES)
    if refused:
        path.unlink()
        raise UntrustedModelError(f"the model holds types load_model would refuse: {refused}; nothing was written")
    return path


def _check_model_file(path: Path) -> None:
    """Refuse, before skops reads it, a file that is not a skops archive of a StanceClassifier:
    missing, empty, a pickle, not a zip, a zip without a readable ``schema.json``, or a schema
    of another class. Each gets a :class:`ModelLoadError` naming the file and the fix."""
    fix = "train a StanceClassifier and write it with save_model(model, path)"
    if not path.is_file():
        raise MissingInputError(f"no model file at {path}", fix=fix)
    with open(path, "rb") as handle:
        head = handle.read(4)
    if not head:
        raise ModelLoadError("the model file is empty", where=str(path), fix=fix)
    if head[:1] == b"\x80" or head[:1] in (b"(", b"c"):
        raise ModelLoadError("this looks like a pickle file; pickle can run any code when loaded, so it is never "
                             "read", where=str(path), fix=fix)
    if not zipfile.is_zipfile(path):
        raise ModelLoadError(f"not a skops model file (a zip archive); it starts with {head!r}", where=str(path), fix=fix)
    try:
        with zipfile.ZipFile(path) as archive:
            if "schema.json" not in archive.namelist():
                raise ModelLoadError("a zip archive without schema.json: not a skops model file", where=str(path), fix=fix)
            info = archive.getinfo("schema.json")
            if info.file_size > 200_000_000:
                raise ModelLoadError(f"schema.json is {info.file_size:,} bytes: not a model this package wrote",
                                     where=str(path), fix=fix)
            schema = json.loads(archive.read("schema.json"))
    except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError, RecursionError, OSError) as exc:
        raise ModelLoadError(f"the skops archive is damaged ({type(exc).__name__}: {exc})", where=str(path),
                             fix=fix) from None
    module, cls = (schema.get("__module__"), schema.get("__class__")) if isinstance(schema, dict) else (None, None)
    if (module, cls) != (__name__, "StanceClassifier"):
        raise UntrustedModelError(f"holds a {cls or 'schema of no known class'}, not a StanceClassifier "
                                  f"({module}.{cls})", where=str(path), fix=fix)


def load_model(path: str | os.PathLike) -> StanceClassifier:
    """Read a model written by ``save_model``, refusing any type outside ``ALLOWED_TYPES``.

    The file is checked before skops reads it (a skops zip archive whose schema names a
    StanceClassifier; never a pickle); then only the types this file needs
    (``skops.io.get_untrusted_types``) are passed as ``trusted``, after each is checked against
    the allow-list. Any problem is a :class:`ModelLoadError` naming the file and the fix.

    >>> load_model("README.md")
    Traceback (most recent call last):
    ...
    diplomacy_lab.errors.ModelLoadError: README.md: not a skops model file (a zip archive); it starts with b'# di'; fix: train a StanceClassifier and write it with save_model(model, path)
    """
    sio = _skops()
    path = Path(path)
    _check_model_file(path)
    try:
        untrusted = sorted(set(sio.get_untrusted_types(file=path)))
    except Exception as exc:  # noqa: BLE001 - skops reading a damaged archive: any error is the file's
        raise ModelLoadError(f"skops cannot read the archive ({type(exc).__name__}: {exc})", where=str(path),
                             fix="write the model again with save_model") from None
    refused = [t for t in untrusted if t not in ALLOWED_TYPES]
    if refused:
        raise UntrustedModelError(f"{path} holds types that are not on the allow-list, refusing to load: {refused}")
    try:
        model = sio.load(path, trusted=untrusted)
    except Exception as exc:  # noqa: BLE001 - as above
        raise ModelLoadError(f"skops cannot load the model ({type(exc).__name__}: {exc})", where=str(path),
                             fix="write the model again with save_model") from None
    if not isinstance(model, StanceClassifier):
        raise UntrustedModelError(f"{path} holds a {type(model).__name__}, not a StanceClassifier")
    return model
