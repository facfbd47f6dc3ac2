"""A learned statement scorer: which actor-target pairs are statements, with which stance, how sure.

:func:`pair_table` lists every actor at most two sentences from a target
(:mod:`diplomacy_lab.statements.pairs`) with the rules' reading, the learned attributions and the
sentence's cues as features.
:class:`StatementScorer` (a scikit-learn estimator) learns from gold statements which pairs hold a
support or oppose stance; its probabilities are calibrated (sigmoid, cross-validated) and its
``threshold_`` is chosen on out-of-fold predictions of the training data (grouped by domain when
``groups`` are given) for a target precision (``min_precision``, default 0.8).
:meth:`StatementScorer.statements` folds the pairs to document-level statements: the stance whose
best pair clears the threshold, with that pair's sentence as evidence.

>>> import pandas as pd
>>> from diplomacy_lab.codebook.schema import load_codebook
>>> cb = load_codebook({"name": "d", "actors": {"meloni": {"name": "Giorgia Meloni", "country": "Italy",
...     "aliases": ["Meloni"]}}, "targets": {"troops": {"label": "Troops", "patterns": ["sending troops"]}}})
>>> arts = pd.DataFrame({"doc_id": ["a"], "text": ["Meloni rejected sending troops."]})
>>> pair_table(arts, cb, attributions=False)[["doc_id", "actor", "target", "rule_stance"]]
  doc_id   actor  target rule_stance
0      a  meloni  troops      oppose
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from diplomacy_lab.attribution.api import attributions as find_attributions
from diplomacy_lab.checks import require_columns
from diplomacy_lab.codebook.mentions import find_mentions
from diplomacy_lab.codebook.schema import Codebook, load_codebook
from diplomacy_lab.statements.cues import CueStanceClassifier, load_cues
from diplomacy_lab.statements.extract import extract_statements
from diplomacy_lab.statements.pairs import pair_features, statement_pairs
from diplomacy_lab.text.sentences import sentences as split_sentences

__all__ = ["LABELS", "StatementScorer", "pair_labels", "pair_table"]

LABELS = ("none", "oppose", "support")
_META = ["doc_id", "sent_id", "actor", "target", "offset", "actor_start", "actor_end", "target_start", "target_end",
         "via", "rule_stance", "rule_holder", "evidence", "actor_evidence", "between"]


def pair_table(articles: pd.DataFrame, codebook, cues=None, attributions=True, sentences: pd.DataFrame | None = None,
               mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every actor-target pair at most :data:`~diplomacy_lab.statements.pairs.WINDOW` (two) sentences
    apart, with its features (columns ``f_*``), the rules' stance and holder, the target's sentence
    (``evidence``), the actor's (``actor_evidence``: the same unless the actor is in another
    sentence) and the words between the two.

    ``attributions``: True (find them with the shipped model), False (no attribution features) or
    an attributions table. ``cues``: a cue lexicon YAML (default: the packaged one).
    """
    require_columns(articles, ["doc_id", "text"], "articles")
    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    sents = split_sentences(articles) if sentences is None else sentences
    ments = find_mentions(sents, book, dates=articles) if mentions is None else mentions
    pairs = statement_pairs(sents, ments)
    if pairs.empty:
        return pd.DataFrame(columns=_META)
    rules = extract_statements(articles, book, include_neutral=True, sentences=sents, mentions=ments, cues=cues)
    if attributions is True:
        regions = pairs.groupby("doc_id").agg(start=("target_start", "min"), end=("target_end", "max")).reset_index()
        found = find_attributions(articles[articles["doc_id"].isin(regions["doc_id"])], regions=regions)
    else:
        found = attributions if isinstance(attributions, pd.DataFrame) else None
    own_cues = {t.id: dict(t.cues) for t in book.targets.values() if t.cues}  # "decertify" opposes this deal
    dense, names, between = pair_features(pairs, sents, load_cues(cues), rules, found,
                                          classifier=CueStanceClassifier(cues=cues, target_cues=own_cues or None).fit())
    features = pd.DataFrame(dense, columns=[f"f_{n}" for n in names], index=pairs.index)
    keys = ["doc_id", "sent_id", "actor", "target"]
    best = (rules.sort_values("confidence", ascending=False, kind="stable").drop_duplicates(keys)
            [keys + ["stance", "holder"]].rename(columns={"stance": "rule_stance", "holder": "rule_holder"}))
    out = pairs.merge(best, on=keys, how="left").fillna({"rule_stance": "none", "rule_holder": "none"})
    text = sents.set_index(["doc_id", "sent_id"])["text"]
    out["evidence"] = out.set_index(["doc_id", "sent_id"]).index.map(text)
    out["actor_evidence"] = out.set_index(["doc_id", "actor_sent_id"]).index.map(text)
    out["between"] = between
    return pd.concat([out.reset_index(drop=True), features.reset_index(drop=True)], axis=1)


def pair_labels(pairs: pd.DataFrame, gold: pd.DataFrame) -> np.ndarray:
    """The gold label of each pair: ``support``/``oppose`` when the gold gives its (doc, actor, target)
    that stance *and* the gold's evidence is the pair's sentence (the target's, or the actor's when
    the pair has ``actor_evidence``: a quote is often the target's sentence and its "he said" the
    actor's); ``none`` when the gold has no statement for the key; ``skip`` (left out of training)
    for the other sentences of a gold key, which may or may not state it (the gold keeps one
    evidence sentence per statement).
    When the gold holds both stances for one key, a pair whose rule stance is one of them takes it."""
    require_columns(gold, ["doc_id", "actor", "target", "stance", "evidence"], "gold")
    evidence: dict = {}
    for doc, actor, target, stance, text in zip(gold["doc_id"], gold["actor"], gold["target"], gold["stance"],
                                                gold["evidence"]):
        evidence.setdefault((doc, actor, target), []).append((stance, _words(text)))
    actor_sentences = pairs["actor_evidence"] if "actor_evidence" in pairs.columns else pairs["evidence"]
    labels = []
    for doc, actor, target, rule, sentence, actor_sentence in zip(pairs["doc_id"], pairs["actor"], pairs["target"],
                                                                  pairs["rule_stance"], pairs["evidence"],
                                                                  actor_sentences):
        found = evidence.get((doc, actor, target))
        if not found:
            labels.append("none")
            continue
        matching = sorted({s for s, ev in found if _same_sentence(ev, _words(sentence))
                           or _same_sentence(ev, _words(actor_sentence))})
        if not matching:
            labels.append("skip")
        else:
            labels.append(rule if rule in matching else matching[0])
    return np.array(labels, dtype=object)


def _same_sentence(evidence: set[str], words: set[str]) -> bool:
    """Whether the gold evidence (as words) is this sentence, however the two were split."""
    shared = len(evidence & words)
    return bool(evidence and words) and shared >= 0.8 * len(evidence) and shared >= 0.5 * len(words)


def _words(text) -> set[str]:
    return set(re.findall(r"\w+", str(text).lower()))


class StatementScorer(ClassifierMixin, BaseEstimator):
    """Which pairs of a :func:`pair_table` are statements (support / oppose) or not (none).

    Parameters
    ----------
    C : inverse regularisation of the logistic regression
    text_features : add the hashed words between actor and target (``n_hash`` columns)
    min_precision : precision the document-level threshold aims for on out-of-fold training data;
        None chooses the threshold of the best out-of-fold F1 instead
    threshold : a fixed document-level threshold in [0, 1]: no out-of-fold choice (``min_precision``
        is not used), the fit is about six times faster (e.g. for learning curves that read the ranking)
    n_hash : columns of the hashed text features
    random_state : seed of the folds
    """

    def __init__(self, C: float = 0.5, text_features: bool = True, min_precision: float = 0.8, n_hash: int = 2 ** 12,
                 random_state: int = 0, threshold: float | None = None):
        self.C = C
        self.text_features = text_features
        self.min_precision = min_precision
        self.threshold = threshold
        self.n_hash = n_hash
        self.random_state = random_state

    def _matrix(self, pairs: pd.DataFrame, fit: bool = False):
        columns = [c for c in pairs.columns if c.startswith("f_")]
        if fit:
            self.feature_names_ = columns
            self.scaler_ = StandardScaler().fit(pairs[columns].to_numpy(dtype=float))
        missing = [c for c in self.feature_names_ if c not in pairs.columns]
        if missing:
            raise ValueError(f"the pair table lacks feature column(s) {missing[:5]}: build it with pair_table()")
        X = sp.csr_matrix(self.scaler_.transform(pairs[self.feature_names_].to_numpy(dtype=float)))
        if self.text_features:
            hashed = HashingVectorizer(n_features=self.n_hash, alternate_sign=False, norm="l2",
                                       ngram_range=(1, 2)).transform(pairs["between"].fillna("").astype(str))
            X = sp.hstack([X, hashed], format="csr")
        return X

    def _model(self):
        base = LogisticRegression(C=self.C, max_iter=3000, class_weight="balanced")
        return CalibratedClassifierCV(base, method="sigmoid", cv=3)

    def fit(self, pairs: pd.DataFrame, y, groups=None):
        """Learn from ``pairs`` (a :func:`pair_table`) labelled ``y`` (``support``/``oppose``/``none``,
        e.g. :func:`pair_labels`); ``groups`` (e.g. the domain of each pair) make the folds that choose
        ``threshold_`` leave whole groups out. Returns self."""
        if self.min_precision is not None and not 0 < self.min_precision < 1:
            raise ValueError(f"min_precision must be between 0 and 1 (or None: best F1), got {self.min_precision!r}")
        if self.threshold is not None and not 0 <= self.threshold <= 1:
            raise ValueError(f"threshold must be between 0 and 1 (or None: chosen out of fold), got {self.threshold!r}")
        require_columns(pairs, ["doc_id", "actor", "target", "between"], "pairs")
        y = np.asarray(y, dtype=object)
        if len(y) != len(pairs):
            raise ValueError(f"pairs has {len(pairs)} rows but y has {len(y)} labels")
        used = y != "skip"  # sentences of a gold statement other than its evidence: not taught either way
        pairs, y = pairs[used].reset_index(drop=True), y[used]
        groups = None if groups is None else np.asarray(groups)[used]
        unknown = sorted(set(y) - set(LABELS))
        if unknown:
            raise ValueError(f"labels must be {list(LABELS)} (or 'skip'), got {unknown}")
        if len(set(y) - {"none"}) == 0:
            raise ValueError("y holds no support or oppose pair: nothing to learn")
        X = self._matrix(pairs, fit=True)
        self.threshold_ = (float(self.threshold) if self.threshold is not None
                           else self._choose_threshold(pairs, X, y, groups))
        self.model_ = self._model().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def _choose_threshold(self, pairs, X, y, groups) -> float:
        """The lowest document-level threshold whose out-of-fold precision reaches ``min_precision``
        (the highest-precision one if none does)."""
        if groups is not None and len(set(groups)) >= 2:
            folds = GroupKFold(n_splits=min(5, len(set(groups)))).split(X, y, groups)
        else:
            folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=self.random_state).split(X, y)
        proba = np.zeros((len(y), len(LABELS)))
        for train, test in folds:
            if len(set(y[train]) - {"none"}) == 0:
                continue
            model = self._model().fit(X[train], y[train])
            proba[np.ix_(test, [LABELS.index(c) for c in model.classes_])] = model.predict_proba(X[test])
        docs = self._fold(pairs, proba)
        truth = set(zip(pairs["doc_id"], pairs["actor"], pairs["target"], y))
        docs["correct"] = [(d, a, t, s) in truth for d, a, t, s in zip(docs["doc_id"], docs["actor"], docs["target"],
                                                                        docs["stance"])]
        docs = docs.sort_values("confidence", ascending=False, kind="stable")
        hits = docs["correct"].cumsum().to_numpy()
        precision = hits / np.arange(1, len(docs) + 1)
        if self.min_precision is None:  # the best F1 (recall over the gold statements the pairs can reach)
            positives = len({k for k in truth if k[3] in ("support", "oppose")})
            f1 = 2 * hits / (np.arange(1, len(docs) + 1) + positives)
            return float(docs["confidence"].iloc[int(np.argmax(f1))]) if len(docs) else 0.5
        ok = np.flatnonzero(precision >= self.min_precision)
        if len(ok) == 0:
            return float(docs["confidence"].iloc[int(np.argmax(precision))]) if len(docs) else 0.5
        return float(docs["confidence"].iloc[ok.max()])

    @staticmethod
    def _fold(pairs: pd.DataFrame, proba: np.ndarray) -> pd.DataFrame:
        """Document-level candidates: for each doc, actor, target and stance the best pair's probability."""
        rows = []
        for stance in ("support", "oppose"):
            p = proba[:, LABELS.index(stance)]
            rows.append(pairs[["doc_id", "actor", "target"]].assign(stance=stance, confidence=p, _row=np.arange(len(p))))
        table = pd.concat(rows, ignore_index=True).sort_values("confidence", ascending=False, kind="stable")
        return table.drop_duplicates(["doc_id", "actor", "target", "stance"]).reset_index(drop=True)

    def predict_proba(self, pairs: pd.DataFrame) -> np.ndarray:
        """Calibrated probabilities of ``classes_`` for each pair."""
        check_is_fitted(self, "model_")
        return self.model_.predict_proba(self._matrix(pairs))

    def predict(self, pairs: pd.DataFrame) -> np.ndarray:
        """The most probable label of each pair."""
        check_is_fitted(self, "model_")
        return self.classes_[np.argmax(self.predict_proba(pairs), axis=1)]

    def statements(self, pairs: pd.DataFrame, articles: pd.DataFrame | None = None,
                   threshold: float | None = None) -> pd.DataFrame:
        """Document-level statements: ``doc_id, actor, target, stance, confidence, evidence, sent_id``
        (+ ``outlet``, ``date`` from ``articles``) for the stances whose best pair clears ``threshold``
        (default ``threshold_``)."""
        check_is_fitted(self, "model_")
        cut = self.threshold_ if threshold is None else threshold
        columns = ["doc_id", "actor", "target", "stance", "confidence", "evidence", "sent_id", "method"]
        if pairs.empty:
            return pd.DataFrame(columns=columns)
        proba = np.zeros((len(pairs), len(LABELS)))
        proba[:, [LABELS.index(c) for c in self.classes_]] = self.predict_proba(pairs)
        docs = self._fold(pairs, proba)
        docs = docs[docs["confidence"] >= cut]
        rows = pairs.iloc[docs["_row"].to_numpy()]
        out = docs.drop(columns="_row").assign(evidence=rows["evidence"].to_numpy(), sent_id=rows["sent_id"].to_numpy(),
                                              method="scorer")
        if articles is not None:
            meta = articles.set_index("doc_id")
            for column in ("outlet", "date"):
                if column in meta.columns:
                    out[column] = out["doc_id"].map(meta[column])
        return out.sort_values(["doc_id", "actor", "target", "stance"], kind="stable").reset_index(drop=True)
