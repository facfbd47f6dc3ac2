"""Static word vectors of (text, target) pairs: the ``"vectors"`` feature groups of ``StanceClassifier``.

``PairVectors`` mean-pools WordLlama's static token embeddings (``wordllama`` on PyPI ships
its 256-d ``l2_supercat`` weights and tokenizer inside the wheel, 16 MB) and turns each
pair into dense features, by ``features``:

======================  ================================================================
``features``            columns
======================  ================================================================
``"pair"``              text vector u, target vector v, u * v, |u - v| and cos(u, v)
                        (headline/body, claim/headline pairs: FNC-1)
``"text"``              the text vector u only
``"text_by_target"``    u placed in the block of the row's target (one block per target
                        seen in ``fit``; an unseen target gives zeros): target-specific
                        directions, for a small fixed set of targets (SemEval)
======================  ================================================================

StanceClassifier's groups ``"vectors"``, ``"text_vectors"`` and ``"target_vectors"`` are
these three. Vectors are l2-normalised, like the tf-idf rows beside them (rescaling each column to unit
size instead cost Emergent 3 to 17 points of accuracy in development: the dense columns
then swamp the sparse ones). The embedding model is never stored in the estimator (nor in a ``save_model`` file): it
is read from the installed package, with no network access, once per process.

>>> import pandas as pd
>>> X = pd.DataFrame({"text": ["Italy backs the plan."], "target": ["the plan"]})
>>> PairVectors(dim=64).fit(X).transform(X).shape
(1, 257)
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from diplomacy_lab.statements.features import text_columns

__all__ = ["FEATURES", "PairVectors", "embed_texts"]

FEATURES = ("pair", "text", "text_by_target")
DIMS = (64, 128, 256)


@lru_cache(maxsize=4)
def _wordllama(dim: int):
    """The packaged WordLlama model truncated to ``dim``, loaded once per process, never downloaded.

    ``WordLlama.load()`` looks for the tokenizer in ``wordllama/tokenizer/`` but the wheel
    ships it in ``wordllama/tokenizers/``, so on its own it would download it from Hugging
    Face; the package folder has the ``weights/`` and ``tokenizers/`` layout of its cache
    directory, so it is passed as ``cache_dir`` with downloads disabled. Importing wordllama
    configures the root logger (``basicConfig(level=INFO)``); that is undone here.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError as exc:
        raise ImportError("the 'vectors' stance features need wordllama (static word vectors in the wheel, "
                          "16 MB): pip install 'diplomacy-lab[vectors]' (or 'wordllama>=0.4,<0.5')") from exc
    finally:  # wordllama calls logging.basicConfig(level=INFO) on import: give the caller's logging back
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
        root.setLevel(level)
    package = Path(wordllama.__file__).parent
    try:
        return WordLlama.load(cache_dir=package, dim=256, trunc_dim=None if dim == 256 else dim, disable_download=True)
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"wordllama's packaged weights or tokenizer are not in {package}/weights and "
                                f"{package}/tokenizers ({exc}); reinstall 'wordllama>=0.4,<0.5'") from exc


def embed_texts(texts, dim: int = 256) -> np.ndarray:
    """Mean-pooled, l2-normalised WordLlama vectors of ``texts`` (float32, one row per text).

    Each distinct text is embedded once; an empty text gives a zero row. The vectors do not
    depend on the other texts, up to float32 rounding in the batch's padded sums.

    >>> embed_texts(["peace talks", "peace talks", ""], dim=64).shape
    (3, 64)
    """
    if dim not in DIMS:
        raise ValueError(f"dim must be one of {list(DIMS)}, got {dim!r}")
    codes, unique = pd.factorize(pd.Series(["" if t is None else str(t) for t in texts], dtype=object))
    out = np.zeros((len(unique), dim), dtype=np.float32)
    # By length, so a batch pads its texts to about the same number of tokens (FNC-1 bodies run to 5,000).
    keep = sorted((i for i, t in enumerate(unique) if t.strip()), key=lambda i: len(unique[i]))
    if keep:
        vectors = _wordllama(dim).embed([unique[i] for i in keep], norm=True, batch_size=32)
        out[keep] = np.nan_to_num(np.asarray(vectors, dtype=np.float32))
    return out[codes]


class PairVectors(TransformerMixin, BaseEstimator):
    """Dense static-vector features of (text, target) pairs (module docstring).

    Parameters
    ----------
    features : {"pair", "text", "text_by_target"}
        Which features (module docstring).
    dim : {64, 128, 256}
        Vector size (WordLlama's matryoshka truncation of the 256-d vectors).

    Fitted attributes: ``targets_`` (sorted targets seen in ``fit``, used by
    ``"text_by_target"``), ``n_features_out_``.

    >>> X = [["Italy backs it", "b"], ["Spain rejects it", "a"]]
    >>> PairVectors(features="text_by_target", dim=64).fit(X).transform(X).shape
    (2, 128)
    """

    def __init__(self, features="pair", dim=256):
        self.features = features
        self.dim = dim

    def _check_params(self) -> None:
        if self.features not in FEATURES:
            raise ValueError(f"features must be one of {list(FEATURES)}, got {self.features!r}")
        if self.dim not in DIMS:
            raise ValueError(f"dim must be one of {list(DIMS)}, got {self.dim!r}")

    def fit(self, X, y=None):
        self._check_params()
        _, targets = text_columns(X, 2, "PairVectors")
        self.targets_ = sorted(set(targets))
        per = {"pair": 4 * self.dim + 1, "text": self.dim, "text_by_target": self.dim * len(self.targets_)}
        self.n_features_out_ = per[self.features]
        return self

    def transform(self, X):
        check_is_fitted(self, "targets_")
        self._check_params()
        texts, targets = text_columns(X, 2, "PairVectors")
        u = embed_texts(texts, self.dim)
        if self.features == "text":
            return u
        if self.features == "text_by_target":
            index = {t: i for i, t in enumerate(self.targets_)}
            out = np.zeros((len(texts), self.n_features_out_), dtype=np.float32)
            for row, target in enumerate(targets):
                block = index.get(target)
                if block is not None:
                    out[row, block * self.dim:(block + 1) * self.dim] = u[row]
            return out
        v = embed_texts(targets, self.dim)
        cosine = (u * v).sum(axis=1, keepdims=True)
        return np.hstack([u, v, u * v, np.abs(u - v), cosine])

    def get_feature_names_out(self, input_features=None):
        d = range(self.dim)
        if self.features == "text":
            names = [f"u{i}" for i in d]
        elif self.features == "text_by_target":
            check_is_fitted(self, "targets_")
            names = [f"t{j}__u{i}" for j in range(len(self.targets_)) for i in d]
        else:
            names = ([f"u{i}" for i in d] + [f"v{i}" for i in d] + [f"uv{i}" for i in d]
                     + [f"absdiff{i}" for i in d] + ["cosine"])
        return np.asarray(names, dtype=object)
