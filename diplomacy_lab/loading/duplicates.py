"""Find exact and near-duplicate articles (syndicated copies, light rewrites).

Exact copies have the same words once case, punctuation and spacing are ignored. Near
copies share most of their word 5-grams: candidates come from MinHash locality-sensitive
hashing (64 hashes in 16 bands of 4), then each candidate pair's Jaccard similarity of
hashed 5-gram sets is computed exactly and kept if it reaches ``threshold`` (a pair at
0.8 becomes a candidate with probability 0.9998, at 0.5 with 0.64). Everything is
deterministic: the same corpus gives the same pairs and similarities on every run.

>>> arts = pd.DataFrame({"doc_id": ["a", "b", "c"],
...                      "text": ["Meloni rules out troops.", "MELONI rules out troops!", "Macron disagrees."]})
>>> corpus_duplicates(arts)
  doc_id duplicate_of   kind  similarity
0      b            a  exact         1.0
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

import numpy as np
import pandas as pd

DUPLICATE_COLUMNS = ["doc_id", "duplicate_of", "kind", "similarity"]
_WORD = re.compile(r"\w+")
_NUM_PERM, _BANDS = 64, 16
_CHUNK = 2000  # documents per chunk
_PRIME = np.uint64(1099511628211)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads the bits of 64-bit integers."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def _combine(ids: np.ndarray, width: int) -> np.ndarray:
    """Hash of every run of ``width`` consecutive ids (a polynomial hash, then mixed)."""
    n = len(ids) - width + 1
    if n <= 0:  # fewer ids than the width: no run at all (a slice would count from the end)
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(width):
            h = h * _PRIME + ids[j : j + n]
    return _mix(h)


def _shingle_hashes(ids: np.ndarray, lengths: np.ndarray, ngram: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of each document's word n-grams, concatenated, and the documents' offsets into them.

    ``ids`` are the documents' word ids, concatenated; ``lengths`` their word counts. A
    document shorter than ``ngram`` words gets one shingle made of all its words.
    """
    doc_of = np.repeat(np.arange(len(lengths)), lengths)
    hashes = _combine(ids, ngram)
    inside = doc_of[: len(hashes)] == doc_of[ngram - 1 :]  # n-grams that stay inside one document
    hashes = hashes[inside]  # already in document order
    counts = np.maximum(lengths - ngram + 1, 0)
    short = np.flatnonzero((lengths > 0) & (lengths < ngram))
    if len(short):
        starts = np.cumsum(lengths) - lengths
        whole = [_combine(ids[starts[d] : starts[d] + lengths[d]], int(lengths[d]))[0] for d in short]
        hashes = np.insert(hashes, (np.cumsum(counts) - counts)[short], whole)
        counts[short] = 1
    return hashes, np.concatenate([[0], np.cumsum(counts)])


class _Shingler:
    """Word ids from one growing vocabulary, so shingles agree across chunks of documents."""

    def __init__(self, ngram: int):
        self.ngram = ngram
        self.vocab: dict[str, int] = {}

    def ids(self, tokens: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
        codes, uniques = pd.factorize(pd.Series([w for t in tokens for w in t], dtype=object))
        vocab = self.vocab
        global_ids = np.fromiter((vocab.setdefault(u, len(vocab) + 1) for u in uniques), dtype=np.uint64, count=len(uniques))
        return global_ids[codes], lengths

    def shingle_set(self, text: str) -> np.ndarray:
        ids, lengths = self.ids([_WORD.findall(text.lower())])
        hashes, _ = _shingle_hashes(ids, lengths, self.ngram)
        return np.unique(hashes)


def _minhash(hashes: np.ndarray, offsets: np.ndarray, seed: int = 20250327) -> np.ndarray:
    """A (documents x 64) MinHash signature; documents without shingles are all max."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, size=_NUM_PERM, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=_NUM_PERM, dtype=np.uint64)
    n_docs = len(offsets) - 1
    sig = np.full((n_docs, _NUM_PERM), np.iinfo(np.uint64).max, dtype=np.uint64)
    nonempty = np.flatnonzero(np.diff(offsets) > 0)
    if len(nonempty) == 0:
        return sig
    with np.errstate(over="ignore"):
        for k in range(_NUM_PERM):
            values = a[k] * hashes + b[k]
            sig[nonempty, k] = np.minimum.reduceat(values, offsets[nonempty])
    return sig


def _candidates(sig: np.ndarray, rows: np.ndarray) -> set[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    width = _NUM_PERM // _BANDS
    for band in range(_BANDS):
        keys = np.ascontiguousarray(sig[rows, band * width : (band + 1) * width]).view(f"V{8 * width}").ravel()
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        for group in np.flatnonzero(counts > 1):
            members = rows[inverse == group]
            for i in range(len(members)):
                for j in range(i + 1, len(members)):
                    pairs.add((int(members[i]), int(members[j])))
    return pairs


def corpus_duplicates(articles: pd.DataFrame, threshold: float = 0.8, ngram: int = 5) -> pd.DataFrame:
    """Exact and near-duplicate articles: ``doc_id, duplicate_of, kind (exact|near), similarity``.

    Each copy points at the first article (in table order) of its group; that first
    article is not listed. ``similarity`` is the Jaccard similarity of word ``ngram``-gram
    sets (1.0 for exact copies).
    """
    missing = {"doc_id", "text"} - set(articles.columns)
    if missing:
        raise ValueError(f"corpus_duplicates needs the columns {sorted(missing)} of the articles table")
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold={threshold} must be in (0, 1]")
    ids = articles["doc_id"].astype(str).tolist()
    texts = articles["text"].fillna("").astype(str).tolist()
    rows: list[tuple[str, str, str, float]] = []

    # Documents go through in chunks so memory stays bounded: per chunk, words -> ids ->
    # 5-gram hashes -> MinHash signature; only 16-byte fingerprints and signatures are kept.
    shingler = _Shingler(ngram)
    fingerprints: list[bytes] = []
    signatures = []
    nonempty = np.zeros(len(texts), dtype=bool)
    for lo in range(0, len(texts), _CHUNK):
        tokens = [_WORD.findall(t.lower()) for t in texts[lo : lo + _CHUNK]]
        fingerprints += [hashlib.blake2b(" ".join(w).encode(), digest_size=16).digest() for w in tokens]
        word_ids, lengths = shingler.ids(tokens)
        hashes, offsets = _shingle_hashes(word_ids, lengths, ngram)
        signatures.append(_minhash(hashes, offsets))
        nonempty[lo : lo + len(tokens)] = lengths > 0
    first_of: dict[bytes, int] = {}
    originals = []
    for i, key in enumerate(fingerprints):
        if key in first_of:
            rows.append((ids[i], ids[first_of[key]], "exact", 1.0))
        else:
            first_of[key] = i
            originals.append(i)

    if len(originals) > 1:
        sig = np.vstack(signatures)[originals]
        candidates = _candidates(sig, np.flatnonzero(nonempty[originals]))
        parent = list(range(len(originals)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        @cache
        def shingle_set(k: int) -> np.ndarray:
            return shingler.shingle_set(texts[originals[k]])

        def jaccard(i: int, j: int) -> float:
            a, b = shingle_set(i), shingle_set(j)
            inter = len(np.intersect1d(a, b, assume_unique=True))
            return inter / (len(a) + len(b) - inter)

        for i, j in sorted(candidates):
            if jaccard(i, j) >= threshold:
                ri, rj = find(i), find(j)
                parent[max(ri, rj)] = min(ri, rj)
        for k in range(len(originals)):
            root = find(k)
            if root != k:
                rows.append((ids[originals[k]], ids[originals[root]], "near", round(jaccard(root, k), 4)))

    order = {doc: n for n, doc in enumerate(ids)}
    rows.sort(key=lambda r: order[r[0]])
    return pd.DataFrame(rows, columns=DUPLICATE_COLUMNS)
