"""Hand-made features of (text, target) pairs for headline/body and claim/headline stance.

``PairCues`` is the ``"cues"`` feature group of ``StanceClassifier``: the features of the
FNC-1 baseline (refuting words, polarity, n-gram hits of the target in the text and in its
lead), the headline cues of Ferreira & Vlachos (2016) for Emergent (question marks,
hedging and refuting words), and reporting words. Words are lower-cased and Porter-stemmed
(nltk's stemmer needs no data files); every value is a share in [0, 1], a 0/1 flag or a
``log1p`` count, so the features sit beside tf-idf columns without a scaler. Values are
computed once per distinct text and target, which matters when, as in FNC-1, 50,000 pairs
share 1,700 bodies.

>>> import pandas as pd
>>> X = pd.DataFrame({"text": ["Reports that the mayor resigned are false, officials deny it."],
...                   "target": ["Mayor resigned?"]})
>>> cues = PairCues().fit(X)
>>> row = dict(zip(cues.get_feature_names_out(), cues.transform(X)[0].round(2).tolist()))
>>> row["target_question"], row["text_refute"], row["hits_1"], row["hits_2"]
(1.0, 1.1, 1.0, 1.0)
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np
import pandas as pd
from nltk.stem.porter import PorterStemmer
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

__all__ = ["HEDGE_WORDS", "REFUTE_WORDS", "REPORT_WORDS", "PairCues", "text_columns"]

#: Words that deny or debunk (FNC-1 baseline list, with "not" left to NEGATION_WORDS).
REFUTE_WORDS = frozenset({
    "fake", "fraud", "hoax", "false", "deny", "denies", "denied", "despite", "nope", "doubt", "doubts",
    "bogus", "debunk", "debunked", "debunks", "prank", "pranks", "retract", "retracts", "retracted",
    "untrue", "myth", "misleading", "dismiss", "dismisses", "dismissed", "refute", "refutes",
})
#: Hedging words (after Ferreira & Vlachos 2016): the writer does not vouch for the claim.
HEDGE_WORDS = frozenset({
    "alleged", "allegedly", "apparently", "appear", "appears", "claim", "claims", "claimed", "could",
    "evidently", "largely", "likely", "mainly", "may", "maybe", "might", "mostly", "perhaps",
    "presumably", "probably", "purported", "purportedly", "reported", "reportedly", "rumor", "rumors",
    "rumored", "rumour", "rumours", "rumoured", "says", "seemingly", "somewhat", "unconfirmed",
    "unverified", "possibly", "suggest", "suggests",
})
#: Attribution words: the text reports what others say.
REPORT_WORDS = frozenset({
    "according", "said", "say", "says", "told", "report", "reports", "reported", "source", "sources",
    "statement", "spokesman", "spokeswoman", "spokesperson", "announced", "confirmed", "confirm",
    "confirms", "officials", "claimed", "insisted", "stated",
})
NEGATION_WORDS = frozenset({"not", "no", "never", "neither", "nor", "nothing", "none", "without", "n't"})

_TOKEN = re.compile(r"(?u)\b\w\w+\b|n't")
_LEAD_TOKENS = 50  # the lead of a text: its first 50 words (about the baseline's 255 characters)
_LEXICONS = (("refute", REFUTE_WORDS), ("hedge", HEDGE_WORDS), ("report", REPORT_WORDS), ("negation", NEGATION_WORDS))
_STEM = PorterStemmer()


@lru_cache(maxsize=200_000)
def _stem(token: str) -> str:
    return _STEM.stem(token)


def _ngrams(stems: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(stems[i:i + n]) for i in range(len(stems) - n + 1)}


class _Text:
    """What PairCues needs of one text: lexicon counts, question mark, stems and their n-grams."""

    __slots__ = ("counts", "grams", "lead_grams", "n_tokens", "question")

    def __init__(self, text: str):
        tokens = _TOKEN.findall(text.lower())
        self.counts = [sum(t in lexicon for t in tokens) for _, lexicon in _LEXICONS]
        self.question = float("?" in text)
        self.n_tokens = len(tokens)
        content = [_stem(t) for t in tokens if t not in ENGLISH_STOP_WORDS]
        lead = [_stem(t) for t in tokens[:_LEAD_TOKENS] if t not in ENGLISH_STOP_WORDS]
        self.grams = [_ngrams(content, n) for n in (1, 2, 3)]
        self.lead_grams = [_ngrams(lead, n) for n in (1, 2, 3)]


def text_columns(X, n: int, who: str) -> list[list[str]]:
    """The ``n`` columns of a DataFrame or 2-D array as lists of strings (None -> ""), for the
    (text, target) transformers; ``who`` names the caller in the errors.

    >>> text_columns([["a", None]], 2, "demo")
    [['a'], ['']]
    """
    if isinstance(X, pd.DataFrame):
        columns = [X.iloc[:, i] for i in range(X.shape[1])]
    else:
        array = np.asarray(X, dtype=object)
        if array.ndim != 2:
            raise ValueError(f"{who} needs a 2-D input of (text, target) columns, got {array.ndim}-D")
        columns = [array[:, i] for i in range(array.shape[1])]
    if len(columns) != n:
        raise ValueError(f"{who} needs exactly {n} columns (text, target), got {len(columns)}")
    return [["" if v is None else str(v) for v in col] for col in columns]


def _texts(values) -> tuple[np.ndarray, list[_Text]]:
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    return codes, [_Text("" if u is None else str(u)) for u in uniques]


class PairCues(TransformerMixin, BaseEstimator):
    """Cue-word, question-mark and n-gram-overlap features of (text, target) pairs.

    Input: two columns (text, target), a DataFrame or 2-D array. Output columns
    (``get_feature_names_out``): for ``target`` and ``text`` each, ``log1p`` counts of
    refuting, hedging, reporting and negation words, the refuting-word parity (the FNC-1
    baseline's polarity), a question-mark flag and ``log1p`` of the word count; the text's
    lead (first 50 words) refuting and hedging counts; and ``hits_n`` / ``lead_hits_n``,
    the share of the target's stemmed content n-grams (n = 1, 2, 3) found in the text and in
    its lead. Nothing is learned; ``fit`` only checks the input.
    """

    def fit(self, X, y=None):
        self._columns(X)
        self.n_features_out_ = len(self._names())
        return self

    @staticmethod
    def _columns(X) -> tuple[list, list]:
        if isinstance(X, pd.DataFrame):
            if X.shape[1] != 2:
                raise ValueError(f"PairCues needs exactly 2 columns (text, target), got {list(X.columns)}")
            return X.iloc[:, 0].tolist(), X.iloc[:, 1].tolist()
        array = np.asarray(X, dtype=object)
        if array.ndim != 2 or array.shape[1] != 2:
            raise ValueError(f"PairCues needs a 2-D input of 2 columns (text, target), got shape {array.shape}")
        return array[:, 0].tolist(), array[:, 1].tolist()

    @staticmethod
    def _names() -> list[str]:
        names = []
        for side in ("target", "text"):
            names += [f"{side}_{name}" for name, _ in _LEXICONS]
            names += [f"{side}_polarity", f"{side}_question", f"{side}_length"]
        names += ["lead_refute", "lead_hedge"]
        names += [f"hits_{n}" for n in (1, 2, 3)] + [f"lead_hits_{n}" for n in (1, 2, 3)]
        return names

    def transform(self, X):
        if not hasattr(self, "n_features_out_"):

            raise NotFittedError("This PairCues instance is not fitted yet; call fit first")
        texts, targets = self._columns(X)
        text_codes, text_info = _texts(texts)
        target_codes, target_info = _texts(targets)
        lead_counts = {}
        out = np.zeros((len(texts), self.n_features_out_), dtype=float)
        for i, (a, b) in enumerate(zip(text_codes, target_codes)):
            text, target = text_info[a], target_info[b]
            row = []
            for info in (target, text):
                row += [math.log1p(c) for c in info.counts]
                row += [float(info.counts[0] % 2), info.question, math.log1p(info.n_tokens)]
            if a not in lead_counts:
                lead = _TOKEN.findall(str(texts[i]).lower())[:_LEAD_TOKENS]
                lead_counts[a] = [math.log1p(sum(t in REFUTE_WORDS for t in lead)),
                                  math.log1p(sum(t in HEDGE_WORDS for t in lead))]
            row += lead_counts[a]
            for grams in (text.grams, text.lead_grams):
                for n in range(3):
                    wanted = target.grams[n]
                    row.append(len(wanted & grams[n]) / len(wanted) if wanted else 0.0)
            out[i] = row
        return out

    def get_feature_names_out(self, input_features=None):
        return np.asarray(self._names(), dtype=object)
