"""``AttributionTagger``: a CRF (python-crfsuite) over tokens with BIO labels.

scikit-learn conventions: ``__init__`` only stores parameters, ``fit``
returns ``self``, learned attributes end in ``_`` (``model_bytes_`` is the
crfsuite native model, never a pickle; ``labels_``; ``training_info_``),
``predict`` returns the attributions table (see :data:`OUTPUT_COLUMNS`).

>>> import pandas as pd
>>> arts = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Kim said no.", "Lee said yes."]})
>>> gold = pd.DataFrame({"doc_id": ["a", "b"], "source_spans": [[(0, 3)], [(0, 3)]],
...     "cue_spans": [[(4, 8)], [(4, 8)]], "content_spans": [[(9, 11)], [(9, 12)]]})
>>> tagger = AttributionTagger(max_iterations=20, min_freq=1).fit(arts, gold)
>>> tagger.predict(arts)[["doc_id", "source_text", "cue_text", "content_text"]].values.tolist()
[['a', 'Kim', 'said', 'no'], ['b', 'Lee', 'said', 'yes']]
"""
from __future__ import annotations

import os
import tempfile

import pandas as pd
import pycrfsuite
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError

from .decode import decode_document
from .encode import char_labels, window_tags
from .features import FEATURE_VERSION, window_features
from .tokens import iter_windows

OUTPUT_COLUMNS = [
    "doc_id", "attribution_id", "source_start", "source_end", "cue_start", "cue_end",
    "content_start", "content_end", "source_text", "cue_text", "content_text",
    "kind", "confidence", "source_spans", "cue_spans", "content_spans",
]


def _texts(articles):
    if not {"doc_id", "text"} <= set(articles.columns):
        raise ValueError("articles need the columns doc_id and text")
    for doc_id, text in zip(articles["doc_id"], articles["text"]):
        yield doc_id, text if isinstance(text, str) else ""


def _regions_by_doc(regions):
    if regions is None:
        return None
    if not {"doc_id", "start", "end"} <= set(regions.columns):
        raise ValueError("regions need the columns doc_id, start, end")
    out = {}
    for doc_id, a, b in zip(regions["doc_id"], regions["start"], regions["end"]):
        out.setdefault(doc_id, []).append((int(a), int(b)))
    return out


def relation_rows(doc_id, text, relations) -> list[dict]:
    """Output rows (:data:`OUTPUT_COLUMNS`) for the decoded relations of one text."""
    rows = []
    for k, rel in enumerate(sorted(relations, key=lambda r: r["cue_spans"][0]), 1):
        row = {"doc_id": doc_id, "attribution_id": f"A{k}"}
        for role in ("source", "cue", "content"):
            pairs = rel[f"{role}_spans"]
            row[f"{role}_start"] = min((a for a, _ in pairs), default=-1)
            row[f"{role}_end"] = max((b for _, b in pairs), default=-1)
            row[f"{role}_text"] = " ".join(text[a:b] for a, b in pairs)
            row[f"{role}_spans"] = pairs
        row["kind"] = rel["kind"]
        row["confidence"] = round(float(rel["confidence"]), 4)
        rows.append(row)
    return rows


def empty_table() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in OUTPUT_COLUMNS})


class AttributionTagger(BaseEstimator):
    """CRF attribution tagger.

    Parameters: ``c1``/``c2`` L1/L2 penalties, ``max_iterations`` of L-BFGS,
    ``min_freq`` feature count cut-off, ``unit`` (``"paragraph"`` or
    ``"sentence"`` windows), ``max_tokens`` per window (longer windows are
    chunked), ``max_gap`` windows a quote paragraph may be from its cue.
    The defaults are the settings of the shipped model (chosen on PolNeAR dev).
    """

    def __init__(self, c1=0.5, c2=0.01, max_iterations=100, min_freq=5,
                 unit="paragraph", max_tokens=200, max_gap=2, verbose=False):
        self.c1 = c1
        self.c2 = c2
        self.max_iterations = max_iterations
        self.min_freq = min_freq
        self.unit = unit
        self.max_tokens = max_tokens
        self.max_gap = max_gap
        self.verbose = verbose

    # -- training -----------------------------------------------------------
    def training_sequences(self, articles, attributions):
        """Yield ``(features, tags)`` per window of the training articles."""
        gold = {d: g.to_dict("records") for d, g in attributions.groupby("doc_id")}
        for doc_id, text in _texts(articles):
            labels = char_labels(text, gold.get(doc_id, []))
            for window in iter_windows(text, self.max_tokens, self.unit):
                yield window_features(window), window_tags(window, labels)

    def fit(self, articles, attributions):
        """Train on articles (doc_id, text) and gold attributions (``*_spans`` columns)."""
        trainer = pycrfsuite.Trainer(verbose=self.verbose)
        n = 0
        for feats, tags in self.training_sequences(articles, attributions):
            trainer.append(feats, tags)
            n += 1
        if not n:
            raise ValueError("no text to train on")
        trainer.set_params({"c1": self.c1, "c2": self.c2, "max_iterations": self.max_iterations,
                            "feature.minfreq": self.min_freq,
                            "feature.possible_transitions": True})
        handle, path = tempfile.mkstemp(suffix=".crfsuite")
        os.close(handle)
        try:
            trainer.train(path)
            with open(path, "rb") as f:
                self.model_bytes_ = f.read()
        finally:
            os.remove(path)
        self.training_info_ = {"windows": n, "feature_version": FEATURE_VERSION,
                               "last_iteration": trainer.logparser.last_iteration}
        self._tagger = None
        self.labels_ = self._crf().labels()
        return self

    # -- prediction ---------------------------------------------------------
    def _crf(self):
        if not hasattr(self, "model_bytes_"):
            raise NotFittedError("this AttributionTagger is not fitted: call fit() or load_model()")
        if getattr(self, "_tagger", None) is None:
            self._tagger = pycrfsuite.Tagger()
            self._tagger.open_inmemory(self.model_bytes_)
        return self._tagger

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_tagger", None)
        return state

    def tag_window(self, window):
        """``(tags, marginals)`` for one window."""
        crf = self._crf()
        crf.set(window_features(window))
        tags = crf.tag()
        return tags, [crf.marginal(t, i) for i, t in enumerate(tags)]

    def predict_text(self, text, doc_id=None, regions=None) -> list[dict]:
        """Output rows for one text; ``regions``: list of ``(start, end)`` to tag."""
        tagged = []
        for window in iter_windows(text, self.max_tokens, self.unit):
            if regions is not None and not any(a < window.end and b > window.start for a, b in regions):
                continue
            tags, probs = self.tag_window(window)
            tagged.append((window, tags, probs))
        return relation_rows(doc_id, text, decode_document(tagged, self.max_gap))

    def predict(self, articles, regions=None) -> pd.DataFrame:
        """Attributions table for ``articles`` (doc_id, text).

        ``regions`` (optional DataFrame doc_id, start, end): only windows
        overlapping one of these character ranges are tagged; articles
        without a region are skipped.
        """
        self._crf()
        by_doc = _regions_by_doc(regions)
        rows = []
        for doc_id, text in _texts(articles):
            doc_regions = None if by_doc is None else by_doc.get(doc_id, [])
            rows.extend(self.predict_text(text, doc_id, doc_regions))
        return pd.DataFrame(rows, columns=OUTPUT_COLUMNS) if rows else empty_table()
