"""Terms: articles (or sentences) into a sparse document-term matrix, and term counts per group.

The shared first step of :mod:`diplomacy_lab.framing.fighting_words` and :mod:`diplomacy_lab.framing.keyness`.
Defaults: lower-case; word tokens of two or more characters with at least one letter
(numbers are left out: ``TOKEN_PATTERN_WITH_NUMBERS`` keeps them), hyphenated words kept
whole ("pro-Russian" -> ``pro-russian``), a possessive "'s" dropped ("Putin's" -> ``putin``);
scikit-learn's English stop-word list (318 words, shipped with scikit-learn: nothing is
downloaded); single words unless ``ngram_range`` asks for n-grams. Stop words are removed
before n-grams are formed, as scikit-learn does ("war in Ukraine" gives the bigram
``war ukraine``). The settings are a scikit-learn ``CountVectorizer``'s (:func:`term_vectorizer`;
or pass your own), and the result is exactly what it gives, but the counting is
:func:`count_terms`: one regex pass per text, then NumPy on integer ids, terms pruned by
``min_df``/``max_df`` as soon as they are counted, and per-group sums without a row per
text (:func:`group_counts`), so 10^5 articles fit in memory. Vectorizers it does not know
(a custom analyzer or tokenizer) run in scikit-learn itself.

    >>> import pandas as pd
    >>> arts = pd.DataFrame({"outlet": ["A", "B", "A"],
    ...                      "text": ["Pro-Russian media cheer.", "Kyiv's allies cheer.", "Media, media!"]})
    >>> term_counts(arts, by="outlet").to_dict("list")
    {'outlet': ['A', 'A', 'A', 'B', 'B', 'B'], 'term': ['media', 'cheer', 'pro-russian', 'allies', 'cheer', 'kyiv'], 'count': [3, 1, 1, 1, 1, 1], 'documents': [2, 1, 1, 1, 1, 1]}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from diplomacy_lab.text.ngram_counts import TOKEN_PATTERN, count_ngrams

__all__ = [
    "ENGLISH_STOP_WORDS",
    "TOKEN_PATTERN",
    "TOKEN_PATTERN_WITH_NUMBERS",
    "DocumentTerms",
    "GroupTerms",
    "count_terms",
    "document_terms",
    "group_counts",
    "group_terms",
    "term_counts",
    "term_vectorizer",
    "tokenize",
]

#: The same, numbers included.
TOKEN_PATTERN_WITH_NUMBERS = r"(?u)\b(?:\w+(?:-\w+)+|\w\w+)\b"


class DocumentTerms(NamedTuple):
    """A document-term matrix: ``matrix[i, j]`` counts ``terms[j]`` in the row ``index[i]``."""

    matrix: sp.csr_matrix  # documents x terms, int64
    terms: np.ndarray      # term strings, alphabetical (the vectorizer's order)
    index: pd.Index        # the articles' index, one entry per matrix row


class GroupTerms(NamedTuple):
    """Term counts per group: ``matrix[g, j]`` counts ``terms[j]`` in the documents of ``groups[g]``."""

    matrix: sp.csr_matrix   # groups x terms, int64 token counts
    documents: sp.csr_matrix | None  # groups x terms, documents holding the term (None if not counted)
    groups: list            # group labels, one per matrix row
    terms: np.ndarray
    n_documents: np.ndarray  # documents per group


def term_vectorizer(
    *,
    lowercase: bool = True,
    stop_words: str | Iterable[str] | None = "english",
    ngram_range: tuple[int, int] = (1, 1),
    min_df: float = 1,
    max_df: float = 1.0,
    max_features: int | None = None,
    vocabulary: Iterable[str] | None = None,
    token_pattern: str = TOKEN_PATTERN,
) -> CountVectorizer:
    """The scikit-learn ``CountVectorizer`` behind every function here, with the house defaults.

    ``stop_words``: "english" (scikit-learn's list), None, or your own words. ``min_df`` /
    ``max_df``: drop terms in fewer / more documents (int = count, float = share).
    ``vocabulary``: a fixed list of terms (then ``min_df``/``max_df``/``max_features`` do not apply).

    >>> term_vectorizer(ngram_range=(1, 2)).build_analyzer()("The war in Ukraine")
    ['war', 'ukraine', 'war ukraine']
    """
    if stop_words is not None and not isinstance(stop_words, str):
        stop_words = sorted({str(w).lower() if lowercase else str(w) for w in stop_words})
    elif isinstance(stop_words, str) and stop_words != "english":
        raise ValueError(f"stop_words must be 'english', None or a list of words, got {stop_words!r}")
    if vocabulary is not None:
        vocabulary = list(dict.fromkeys(vocabulary))
        if not vocabulary:
            raise ValueError("vocabulary is empty: give at least one term, or vocabulary=None")
    lo, hi = ngram_range
    if not (1 <= lo <= hi):
        raise ValueError(f"ngram_range must be (min, max) with 1 <= min <= max, got {ngram_range!r}")
    return CountVectorizer(
        lowercase=lowercase,
        stop_words=stop_words,
        ngram_range=(lo, hi),
        min_df=min_df,
        max_df=max_df,
        max_features=max_features,
        vocabulary=vocabulary,
        token_pattern=token_pattern,
        dtype=np.int64,
    )


def tokenize(text: str, **options) -> list[str]:
    """The terms of one text, in order, as the matrix counts them (``options``: see :func:`term_vectorizer`).

    >>> tokenize("Moscow's so-called 'special operation' in 2022, F-16s and 9/11")
    ['moscow', 'so-called', 'special', 'operation', 'f-16s']
    >>> tokenize("Moscow's so-called", stop_words=None, lowercase=False)
    ['Moscow', 'so-called']
    """
    return term_vectorizer(**options).build_analyzer()(text)


def _texts(articles: pd.DataFrame, text: str) -> pd.Series:
    if not isinstance(articles, pd.DataFrame):
        raise TypeError(f"articles must be a pandas DataFrame, got {type(articles).__name__}")
    if text not in articles.columns:
        raise ValueError(
            f"articles has no {text!r} column (columns: {list(articles.columns)}); "
            "name the text column with text=..."
        )
    column = articles[text]
    if isinstance(column.dtype, pd.StringDtype):
        return column.astype(object).where(column.notna(), "")
    bad = column.notna() & ~column.map(lambda v: isinstance(v, str), na_action="ignore").astype(bool)
    if bad.any():
        example = column[bad].iloc[0]
        raise ValueError(
            f"articles[{text!r}] must hold strings; row {column[bad].index[0]!r} holds "
            f"{type(example).__name__} {example!r}"
        )
    return column.astype(object).where(column.notna(), "")


def document_terms(
    articles: pd.DataFrame,
    text: str = "text",
    *,
    vectorizer: CountVectorizer | None = None,
    **options,
) -> DocumentTerms:
    """Tokenise ``articles[text]`` into a sparse document-term matrix.

    ``options`` go to :func:`term_vectorizer`; or pass a ready ``vectorizer`` (an unfitted
    scikit-learn ``CountVectorizer``, cloned, to reproduce someone else's tokenising).
    A missing text counts as empty.

    >>> import pandas as pd
    >>> dt = document_terms(pd.DataFrame({"text": ["Sanctions hit Moscow.", None, "New sanctions"]}))
    >>> dt.terms.tolist(), dt.matrix.toarray().tolist()
    (['hit', 'moscow', 'new', 'sanctions'], [[1, 1, 0, 1], [0, 0, 0, 0], [0, 0, 1, 1]])
    """
    texts = _texts(articles, text)
    matrix, terms, _ = _tokenise(texts, None, vectorizer, options, text)
    return DocumentTerms(matrix, terms, articles.index)


def group_counts(
    articles: pd.DataFrame,
    codes,
    n_groups: int,
    text: str = "text",
    *,
    vectorizer: CountVectorizer | None = None,
    documents: bool = True,
    **options,
) -> GroupTerms:
    """Term counts summed per group, where ``codes`` gives each row's group number (0 to
    ``n_groups - 1``; -1: in no group, left out, also from the vocabulary).

    No document-term matrix is held: the memory is the size of the per-group counts.
    ``documents=False`` skips counting the documents of each group that hold each term.

    >>> import pandas as pd
    >>> g = group_counts(pd.DataFrame({"text": ["aid aid", "aid", "tanks"]}), [0, 1, -1], 2)
    >>> g.terms.tolist(), g.matrix.toarray().tolist(), g.documents.toarray().tolist()
    (['aid'], [[2], [1]], [[1], [1]])
    """
    codes = np.asarray(codes, dtype=np.int64)
    if codes.shape != (len(articles),):
        raise ValueError(f"codes must give one group number per row ({len(articles)}), got shape {codes.shape}")
    rows = codes >= 0
    texts = _texts(articles, text)[rows]
    matrix, terms, holding = _tokenise(texts, codes[rows], vectorizer, options, text, n_groups, documents)
    return GroupTerms(matrix, holding, list(range(n_groups)), terms,
                      np.bincount(codes[rows], minlength=n_groups).astype(np.int64))


def _tokenise(texts: pd.Series, groups, vectorizer, options: dict, text: str, n_groups: int = 0,
              group_documents: bool = True):
    """(matrix, terms, documents per group or None): by ``count_terms`` where it knows the
    vectorizer's settings, else by scikit-learn (then summed per group)."""
    if vectorizer is not None:
        if options:
            raise ValueError(f"give either vectorizer= or tokenising options, not both (got {sorted(options)})")

        vectorizer = clone(vectorizer)
    else:
        vectorizer = term_vectorizer(**options)
    if len(texts) == 0:
        raise ValueError("articles is empty: nothing to tokenise")
    params = _counting_params(vectorizer)
    try:
        if params is not None:
            matrix, terms, documents = count_ngrams(texts.tolist(), **params, groups=groups, n_groups=n_groups,
                                              group_documents=group_documents)
        else:  # options the fast path does not know (a custom analyzer, tokenizer, ...): scikit-learn itself
            matrix = sp.csr_matrix(vectorizer.fit_transform(texts.tolist()), dtype=np.int64)
            terms, documents = vectorizer.get_feature_names_out(), None
            if groups is not None:
                indicator = group_matrix(groups, list(range(n_groups)))
                matrix, documents = indicator @ matrix, indicator @ (matrix > 0).astype(np.int64)
    except ValueError as err:  # "empty vocabulary" / "no terms remain" / "max_df corresponds to < documents than min_df"
        raise ValueError(
            f"no terms left to count in articles[{text!r}] ({err}); check the texts, or loosen "
            "stop_words / min_df / max_df / vocabulary"
        ) from err
    if documents is not None:
        documents = sp.csr_matrix(documents, dtype=np.int64)
    matrix = sp.csr_matrix(matrix, dtype=np.int64)
    matrix.sort_indices()
    return matrix, np.asarray(terms, dtype=object), documents


def _counting_params(cv: CountVectorizer) -> dict | None:
    """The ``count_terms`` arguments equivalent to ``cv``, or None if it needs scikit-learn itself."""
    if not isinstance(cv, CountVectorizer) or type(cv) is not CountVectorizer:
        return None
    if (cv.analyzer, cv.input, cv.tokenizer, cv.preprocessor, cv.strip_accents) != ("word", "content", None, None, None):
        return None
    stop = cv.stop_words
    if isinstance(stop, str):
        if stop != "english":
            return None
        stop = ENGLISH_STOP_WORDS
    vocabulary = cv.vocabulary
    if isinstance(vocabulary, Mapping):
        vocabulary = sorted(vocabulary, key=vocabulary.__getitem__)
    elif isinstance(vocabulary, (set, frozenset)):
        vocabulary = sorted(vocabulary)
    return {
        "token_pattern": cv.token_pattern, "lowercase": cv.lowercase,
        "stop_words": None if stop is None else frozenset(stop), "ngram_range": tuple(cv.ngram_range),
        "min_df": cv.min_df, "max_df": cv.max_df, "max_features": cv.max_features,
        "vocabulary": None if vocabulary is None else list(vocabulary), "binary": cv.binary,
    }


def count_terms(texts: list[str], **params) -> tuple[sp.csr_matrix, np.ndarray]:
    """What ``CountVectorizer(...).fit_transform(texts)`` and ``get_feature_names_out()`` give,
    computed with NumPy: each distinct word of a chunk of texts is looked up once
    (``pd.factorize``), an n-gram is an integer pair (previous n-gram, next word), counts
    are sorted integer keys, terms outside ``min_df``/``max_df`` are dropped order by order,
    and only the terms kept get a string. Same terms, same order, same counts, same pruning
    (``max_features`` ties included) as scikit-learn; ``tests/test_terms.py`` checks it.

    ``params``: ``token_pattern, lowercase, stop_words`` (a set or None), ``ngram_range,
    min_df, max_df, max_features, vocabulary`` (a list), ``binary`` as in scikit-learn, and
    ``groups``: a group number (0, 1, ...; -1 for none) per text; the matrix then has one row
    per group, the sum of its texts' rows, and no row per text is ever held.

    >>> X, terms = count_terms(["Aid to Kyiv", "aid aid"], ngram_range=(1, 2))
    >>> terms.tolist(), X.toarray().tolist()
    (['aid', 'aid aid', 'aid kyiv', 'kyiv'], [[1, 0, 1, 1], [2, 1, 0, 0]])
    >>> count_terms(["Aid to Kyiv", "aid aid", "Kyiv"], groups=np.array([0, 0, 1]))[0].toarray().tolist()
    [[3, 1], [0, 1]]
    """
    matrix, terms, _ = count_ngrams(texts, **params)
    return matrix, terms


def group_labels(articles: pd.DataFrame, by: str, outputs: tuple[str, ...] = ()) -> pd.Series:
    """The column ``by`` of ``articles`` as group labels, checked (``outputs``: column names it may not take)."""
    if not isinstance(articles, pd.DataFrame):
        raise TypeError(f"articles must be a pandas DataFrame, got {type(articles).__name__}")
    if isinstance(by, (list, tuple, set, dict, pd.Index, pd.Series)):
        shown = list(by)[:4]
        raise TypeError(
            f"by={shown!r}: by takes one column name; to compare combinations of {len(by)} columns, add one "
            "column first, e.g. articles.assign(group=articles['outlet'] + ' ' + articles['period'].astype(str)) "
            "and pass by='group'")
    if by not in articles.columns:
        raise ValueError(f"articles has no {by!r} column (columns: {list(articles.columns)}); pick one with by=...")
    if by in outputs:
        raise ValueError(f"by={by!r} clashes with an output column; rename that column first")
    return articles[by]


def group_matrix(labels: pd.Series, groups: list) -> sp.csr_matrix:
    """Indicator matrix groups x rows: entry (g, i) is 1 when row i belongs to ``groups[g]``.

    ``labels`` holds, per row, a group's position in ``groups`` (or -1 for none).

    >>> group_matrix(pd.Series([0, 1, -1, 0]), ["a", "b"]).toarray().tolist()
    [[1, 0, 0, 1], [0, 1, 0, 0]]
    """
    codes = np.asarray(labels, dtype=np.int64)
    rows = np.flatnonzero(codes >= 0)
    return sp.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (codes[rows], rows)), shape=(len(groups), len(codes))
    )


def group_terms(
    articles: pd.DataFrame,
    by: str,
    text: str = "text",
    *,
    vectorizer: CountVectorizer | None = None,
    **options,
) -> GroupTerms:
    """Term counts summed per value of ``articles[by]`` (quanteda's ``dfm_group``), sparse.

    Groups are the sorted distinct values; a missing value is the group "unknown".

    >>> import pandas as pd
    >>> g = group_terms(pd.DataFrame({"side": ["L", "R", "L"], "text": ["aid aid", "aid", "tanks"]}), "side")
    >>> g.groups, g.terms.tolist(), g.matrix.toarray().tolist(), g.n_documents.tolist()
    (['L', 'R'], ['aid', 'tanks'], [[2, 1], [1, 0]], [2, 1])
    """
    labels = group_labels(articles, by)
    labels = labels.astype(object).where(labels.notna(), "unknown")
    codes, uniques = pd.factorize(labels, sort=True)
    g = group_counts(articles, codes, len(uniques), text, vectorizer=vectorizer, **options)
    return g._replace(groups=list(uniques))


def term_counts(
    articles: pd.DataFrame,
    by: str,
    text: str = "text",
    *,
    vectorizer: CountVectorizer | None = None,
    **options,
) -> pd.DataFrame:
    """Tidy term counts per group: ``by, term, count, documents`` (documents holding the term).

    One row per group and term that occurs in it; within a group the most frequent
    terms come first (ties alphabetical). ``options``: see :func:`term_vectorizer`.

    >>> import pandas as pd
    >>> term_counts(pd.DataFrame({"side": ["L", "R"], "text": ["Aid to Kyiv", "aid"]}), "side").to_dict("list")
    {'side': ['L', 'L', 'R'], 'term': ['aid', 'kyiv', 'aid'], 'count': [1, 1, 1], 'documents': [1, 1, 1]}
    """
    group_labels(articles, by, outputs=("term", "count", "documents"))
    g = group_terms(articles, by, text, vectorizer=vectorizer, **options)
    counts = g.matrix.tocoo()
    docs = g.documents.tocsr()
    docs_at = np.asarray(docs[counts.row, counts.col]).ravel()
    table = pd.DataFrame(
        {
            by: np.asarray(g.groups, dtype=object)[counts.row],
            "term": g.terms[counts.col],
            "count": counts.data.astype(np.int64),
            "documents": docs_at.astype(np.int64),
            "_g": counts.row,
        }
    )
    table = table.sort_values(["_g", "count", "term"], ascending=[True, False, True], kind="stable")
    return table.drop(columns="_g").reset_index(drop=True)
