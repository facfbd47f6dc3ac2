"""The counting engine behind :mod:`diplomacy_lab.text.terms`: texts into n-gram counts, exactly as a
scikit-learn ``CountVectorizer`` counts them, on integer ids with NumPy.

The steps: each text is tokenised once into word ids (:func:`_word_ids`); an n-gram is an id
built from the (n-1)-gram before it (:class:`_NGramIds`); for each order the distinct
(text, n-gram) pairs are counted span by span of whole texts and pruned by ``min_df``/``max_df``
(or the fixed vocabulary) at once (:func:`_count_order`); the kept n-grams are put in
scikit-learn's vocabulary order (:func:`_vocabulary`); and the counts become a sparse matrix,
per text or summed per group (:func:`_to_matrices`).

>>> matrix, terms, _ = count_ngrams(["war in Ukraine", "war and peace"], ngram_range=(1, 2))
>>> terms.tolist(), matrix.toarray().tolist()
(['peace', 'ukraine', 'war', 'war peace', 'war ukraine'], [[0, 1, 1, 0, 1], [1, 0, 1, 1, 0]])
"""

from __future__ import annotations

import re
from itertools import chain
from numbers import Integral
from typing import NamedTuple

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

__all__ = ["TOKEN_PATTERN", "count_ngrams"]

# Texts tokenised at a time (their token strings are in memory together): up to this many
# characters or texts, whichever comes first.
_CHUNK_CHARS = 500_000
_CHUNK_TEXTS = 2_000
#: Token positions whose (text, n-gram) pairs are counted at a time.
_CHUNK_POSITIONS = 1_000_000
#: Groups x n-grams up to which group sums are one bincount per span.
_DENSE_GROUP_CELLS = 4_000_000
#: A hyphenated word ("so-called", "pro-russian", "f-16") or a run of two or more word
#: characters, holding at least one letter (numbers such as "2014" or "168" are left out).
#: An apostrophe ends a token, so "putin's" gives ``putin`` (the lone "s" is too short).
TOKEN_PATTERN = r"(?u)\b(?=[\w-]*[^\W\d_])(?:\w+(?:-\w+)+|\w\w+)\b"


class _NGramIds:
    """Ids of n-grams: the n-gram starting at position i has key (id of the (n-1)-gram at i) * v +
    (word at i + n - 1); its id is the key's rank among the distinct keys (``pd.factorize``)."""

    def __init__(self, words: np.ndarray, ids: np.ndarray, docs: np.ndarray):
        self.words, self.ids, self.docs = words, ids, docs
        self.v = max(len(words), 1)
        self.grams: list = [None, None]  # grams[n]: the distinct keys of order n

    def next_order(self, current: np.ndarray, n: int) -> np.ndarray:
        """The id of the n-gram starting at each position (-1 where it would cross a text end),
        from those of order n - 1."""
        ids, docs = self.ids, self.docs
        m = max(len(ids) - n + 1, 0)  # positions where an n-gram can start
        valid = np.zeros(len(ids), dtype=bool)
        valid[:m] = docs[:m] == docs[n - 1:n - 1 + m]
        keys = current[valid].astype(np.int64)
        keys *= self.v
        keys += ids[n - 1:n - 1 + m][valid[:m]]
        codes, uniques = pd.factorize(keys)
        out = np.full(len(ids), -1, dtype=np.int32 if len(uniques) < 2**31 else np.int64)
        out[valid] = codes
        self.grams.append(np.asarray(uniques, dtype=np.int64))
        return out

    def size(self, n: int) -> int:
        return len(self.words) if n == 1 else len(self.grams[n])

    def word_ids(self, n: int, which: np.ndarray) -> np.ndarray:
        """``(len(which), n)`` word ids of the n-grams ``which``."""
        if n == 1:
            return which[:, None]
        keys = self.grams[n][which]
        return np.hstack([self.word_ids(n - 1, keys // self.v), (keys % self.v)[:, None]])

    def strings(self, n: int, which: np.ndarray) -> list[str]:
        return [" ".join(row) for row in self.words[self.word_ids(n, which)].tolist()]


class _Order(NamedTuple):
    """What is kept of the n-grams of one order."""

    n: int
    local: np.ndarray  # ids of the kept n-grams
    columns: np.ndarray | None  # their columns in a fixed vocabulary
    tf: np.ndarray | None  # their total counts (for max_features)
    rows: np.ndarray | None  # per text: (row, col, count) triples, cols in kept numbering
    cols: np.ndarray | None
    values: np.ndarray  # per text: the counts; per group: the (groups x kept) sums
    documents: np.ndarray | None  # per group: texts holding each kept n-gram


def count_ngrams(
    texts: list[str],
    token_pattern: str = TOKEN_PATTERN,
    lowercase: bool = True,
    stop_words: frozenset | None = ENGLISH_STOP_WORDS,
    ngram_range: tuple[int, int] = (1, 1),
    min_df: float = 1,
    max_df: float = 1.0,
    max_features: int | None = None,
    vocabulary: list[str] | None = None,
    binary: bool = False,
    groups: np.ndarray | None = None,
    n_groups: int | None = None,
    group_documents: bool = True,
) -> tuple[sp.csr_matrix, np.ndarray, sp.csr_matrix | None]:
    """``(matrix, terms, documents)``: a text x term count matrix (or, with ``groups``, a group x
    term matrix of sums, plus the number of texts of each group holding each term), with the
    settings of a ``CountVectorizer``."""
    pattern = re.compile(token_pattern)
    if pattern.groups > 1:
        raise ValueError("More than 1 capturing group in token pattern. Only a single group should be captured.")
    lo, hi = ngram_range
    n_doc = len(texts)
    if groups is not None:
        groups = np.asarray(groups, dtype=np.int64)
        if n_groups is None:
            n_groups = int(groups.max()) + 1 if len(groups) else 0
    words, ids, docs = _word_ids(texts, pattern, lowercase, stop_words)
    grams = _NGramIds(words, ids, docs)
    high = max_df if isinstance(max_df, Integral) else max_df * n_doc
    low = min_df if isinstance(min_df, Integral) else min_df * n_doc
    position = None if vocabulary is None else {t: i for i, t in enumerate(vocabulary)}
    kept: list[_Order] = []
    seen = 0
    current = ids
    for n in range(1, hi + 1):
        if n > 1:
            current = grams.next_order(current, n)
        if n < lo:
            continue
        order, present = _count_order(grams, n, current, docs, (low, high), position, binary, max_features,
                                      groups, n_groups, group_documents)
        seen += present
        kept.append(order)
    del ids, docs, current
    width, sort, terms = _vocabulary(grams, kept, vocabulary, seen, (low, high), max_features)
    return _finish(kept, width, sort, terms, position, n_doc, n_groups, groups, group_documents)


def _count_order(grams: _NGramIds, n: int, current: np.ndarray, docs: np.ndarray, df_range, position, binary,
                 max_features, groups, n_groups, group_documents) -> tuple[_Order, int]:
    """Count the distinct (text, n-gram) pairs of order ``n``, span by span of whole texts, and keep
    the n-grams within ``df_range`` (or the fixed vocabulary); return them and how many were seen."""
    low, high = df_range
    size = grams.size(n)
    df = np.zeros(size, dtype=np.int32)
    tf = np.zeros(size if max_features is not None else 0, dtype=np.int64)
    parts = []  # per span of texts: (text, n-gram, count) of its distinct pairs
    if groups is not None:
        sums = np.zeros((n_groups, size), dtype=np.int64)
        holding = np.zeros((n_groups, size if group_documents else 0), dtype=np.int32)
    for start, stop in _spans(docs, _CHUNK_POSITIONS):  # spans of whole texts: their pairs are disjoint
        gram = current[start:stop]
        at = gram >= 0
        pairs = docs[start:stop][at].astype(np.int64)
        pairs *= size
        pairs += gram[at]
        pairs, counts = np.unique(pairs, return_counts=True)
        if binary:
            counts[:] = 1
        doc = pairs // size
        feat = pairs - doc * size
        del pairs
        df += np.bincount(feat, minlength=size).astype(np.int32)
        if max_features is not None:
            tf += np.bincount(feat, weights=counts, minlength=size).astype(np.int64)
        if groups is None:
            parts.append((doc.astype(np.int32), feat, counts.astype(np.int32)))
        else:
            g = groups[doc]
            inside = g >= 0
            flat = g[inside] * size + feat[inside]
            if n_groups * size <= _DENSE_GROUP_CELLS:  # one bincount: fast, and small enough
                sums += np.bincount(flat, weights=counts[inside], minlength=n_groups * size).astype(
                    np.int64).reshape(n_groups, size)
                if group_documents:
                    holding += np.bincount(flat, minlength=n_groups * size).astype(np.int32).reshape(n_groups, size)
            else:
                np.add.at(sums.reshape(-1), flat, counts[inside])
                if group_documents:
                    np.add.at(holding.reshape(-1), flat, 1)
        del doc, feat, counts
    present_count = int(np.count_nonzero(df))
    columns = None
    if position is not None:  # fixed vocabulary: a term's column is its place in the vocabulary
        present = np.flatnonzero(df)
        columns = np.full(size, -1, dtype=np.int64)
        columns[present] = [position.get(t, -1) for t in grams.strings(n, present)]
        ok = columns >= 0
    else:
        ok = (df <= high) & (df >= low) & (df > 0)
    local = np.flatnonzero(ok)
    if groups is None:
        remap = np.full(size, -1, dtype=np.int64)
        remap[local] = np.arange(len(local))
        keep = [ok[p[1]] for p in parts]
        rows = np.concatenate([p[0][k] for p, k in zip(parts, keep)]) if parts else np.zeros(0, np.int32)
        cols = np.concatenate([remap[p[1][k]] for p, k in zip(parts, keep)]) if parts else np.zeros(0, np.int64)
        values = np.concatenate([p[2][k] for p, k in zip(parts, keep)]) if parts else np.zeros(0, np.int32)
        documents = None
    else:
        rows = cols = None
        values, documents = sums[:, local], holding[:, local] if group_documents else None
    order = _Order(n, local, None if columns is None else columns[local], tf[local] if len(tf) else None,
                   rows, cols, values, documents)
    return order, present_count


def _vocabulary(grams: _NGramIds, kept: list[_Order], vocabulary, seen: int, df_range, max_features):
    """``(width, sort, terms)``: the number of columns, the sorted positions of the kept n-grams
    (None with a fixed vocabulary) and the column names, as scikit-learn orders them."""
    low, high = df_range
    if vocabulary is not None:
        return len(vocabulary), None, np.array(vocabulary, dtype=object)
    if not seen:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    if high < low:
        raise ValueError("max_df corresponds to < documents than min_df")
    # scikit-learn sorts the vocabulary alphabetically, then keeps the max_features most frequent
    sort = _alphabetical(grams.words, [(k.n, grams.word_ids(k.n, k.local)) for k in kept], strings_of=lambda: np.concatenate(
        [np.array(grams.strings(k.n, k.local), dtype=object) for k in kept]) if kept else np.zeros(0, dtype=object))
    if max_features is not None and len(sort) > max_features:
        tfs = np.concatenate([k.tf for k in kept])
        sort = sort[np.sort((-tfs[sort]).argsort()[:max_features])]  # scikit-learn's own tie-breaking
    if not len(sort):
        raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    width = len(sort)
    first = np.cumsum([0] + [len(k.local) for k in kept])
    terms = np.empty(width, dtype=object)
    for index, k in enumerate(kept):
        inside = (sort >= first[index]) & (sort < first[index + 1])
        terms[inside] = grams.strings(k.n, k.local[sort[inside] - first[index]])
    return width, sort, terms


def _finish(kept: list[_Order], width: int, sort, terms, position, n_doc: int, n_groups, groups, group_documents):
    """The counts as matrices: per text (CSR, ``n_doc`` x ``width``) or per group with the texts holding each term."""
    # column of each kept n-gram, order by order (-1: dropped by max_features)
    column = np.concatenate([k.columns for k in kept]) if position is not None else np.full(
        sum(len(k.local) for k in kept), -1)
    if sort is not None:
        column[sort] = np.arange(width)
    first = np.cumsum([0] + [len(k.local) for k in kept])
    if groups is None:
        rows = np.concatenate([k.rows for k in kept]) if kept else np.zeros(0, dtype=np.int32)
        cols = np.concatenate([column[first[i] + k.cols] for i, k in enumerate(kept)]) if kept else np.zeros(0, dtype=np.int64)
        values = np.concatenate([k.values for k in kept]) if kept else np.zeros(0, dtype=np.int32)
        return _matrix(rows, cols, values, n_doc, width), terms, None
    sums = np.zeros((n_groups, width), dtype=np.int64)
    holding = np.zeros((n_groups, width if group_documents else 0), dtype=np.int64)
    for i, k in enumerate(kept):
        target = column[first[i]:first[i + 1]]
        inside = target >= 0
        sums[:, target[inside]] = k.values[:, inside]
        if group_documents:
            holding[:, target[inside]] = k.documents[:, inside]
    return sp.csr_matrix(sums), terms, sp.csr_matrix(holding) if group_documents else None


def _alphabetical(words: np.ndarray, tuples: list, strings_of) -> np.ndarray:
    """The order that sorts the kept n-grams (given order by order as word-id tuples) as strings.

    When every word's characters come after the space, comparing "w1 w2" strings is comparing
    word tuples (a shorter tuple first when it is a prefix), so integer ranks suffice; otherwise
    the strings are built and sorted.
    """
    listed = words.tolist()
    if not all(w and min(w) > " " for w in listed):
        names = strings_of().tolist()
        return np.array(sorted(range(len(names)), key=names.__getitem__), dtype=np.int64)
    rank = np.empty(len(listed), dtype=np.int64)
    rank[sorted(range(len(listed)), key=listed.__getitem__)] = np.arange(len(listed))
    hi = max((t.shape[1] for _, t in tuples), default=1)
    table = np.full((sum(len(t) for _, t in tuples), hi), -1, dtype=np.int64)
    row = 0
    for n, t in tuples:
        table[row:row + len(t), :n] = rank[t]
        row += len(t)
    return np.lexsort(table.T[::-1]).astype(np.int64)


def _spans(docs: np.ndarray, step: int) -> list[tuple[int, int]]:
    """(start, stop) spans of about ``step`` positions of the sorted ``docs``, cut between texts.

    >>> _spans(np.array([0, 0, 1, 1, 1, 2]), 2)
    [(0, 2), (2, 5), (5, 6)]
    """
    starts = [0]
    while starts[-1] + step < len(docs):
        doc = docs[starts[-1] + step]
        cut = int(np.searchsorted(docs, doc, side="left"))
        if cut <= starts[-1]:  # one text longer than a step
            cut = int(np.searchsorted(docs, doc, side="right"))
        starts.append(cut)
    return list(zip(starts, starts[1:] + [len(docs)]))


def _word_ids(texts: list[str], pattern: re.Pattern, lowercase: bool, stop_words) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct words (first-seen order) and, per kept token, its word id and text number.

    Texts are tokenised a chunk at a time, so only one chunk's token strings are in memory.
    """
    lookup: dict[str, int] = {}
    id_parts, doc_parts = [], []
    start = 0
    while start < len(texts):
        stop, chars = start, 0
        while stop < len(texts) and (stop == start or (chars < _CHUNK_CHARS and stop - start < _CHUNK_TEXTS)):
            chars += len(texts[stop])
            stop += 1
        tokens = [pattern.findall(t.lower() if lowercase else t) for t in texts[start:stop]]
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        flat = np.fromiter(chain.from_iterable(tokens), dtype=object, count=int(lengths.sum()))
        del tokens
        if len(flat):
            codes, uniques = pd.factorize(flat)
            del flat
            lut = np.fromiter((lookup.setdefault(w, len(lookup)) for w in uniques), dtype=np.int32, count=len(uniques))
            keep = slice(None)
            if stop_words:
                keep = ~np.fromiter((w in stop_words for w in uniques), dtype=bool, count=len(uniques))[codes]
            id_parts.append(lut[codes][keep])
            doc_parts.append(np.repeat(np.arange(start, stop, dtype=np.int32), lengths)[keep])
        start = stop
    words = np.array(list(lookup), dtype=object)
    if not id_parts:
        return words, np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
    return words, np.concatenate(id_parts), np.concatenate(doc_parts)


def _matrix(rows: np.ndarray, cols: np.ndarray, counts: np.ndarray, n_rows: int, width: int) -> sp.csr_matrix:
    """CSR matrix of the (row, col, count) triples whose col is not -1 (each pair occurs once)."""
    keep = cols >= 0
    out = sp.csr_matrix((counts[keep].astype(np.int64), (rows[keep], cols[keep])), shape=(n_rows, width))
    out.sort_indices()
    return out


