"""Tokenising into a document-term matrix and term counts per group (diplomacy_lab.text.terms)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from diplomacy_lab import load_corpus
from diplomacy_lab.paths import seed_corpus_dir
from diplomacy_lab.text.terms import (
    ENGLISH_STOP_WORDS,
    TOKEN_PATTERN_WITH_NUMBERS,
    document_terms,
    group_terms,
    term_counts,
    term_vectorizer,
    tokenize,
)


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    return load_corpus(seed_corpus_dir())


@pytest.fixture
def small() -> pd.DataFrame:
    """Three hand-made articles, one with no text."""
    return pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "outlet": ["RT", "BBC", "RT"],
            "text": [
                "The Kremlin's so-called peace plan. The plan failed.",
                "Kyiv rejects the plan; NATO's F-16s arrive in 2024.",
                None,
            ],
        }
    )


# --- tokens ---------------------------------------------------------------------------

def test_tokens_lowercase_hyphens_possessives_numbers_and_stop_words():
    assert tokenize("The Kremlin's so-called peace plan, pro-Russian media; 2022 and 9/11, F-16s.") == [
        "kremlin", "so-called", "peace", "plan", "pro-russian", "media", "f-16s",
    ]
    # options: keep case, stop words and numbers
    assert tokenize("The Kremlin's 2022 plan", lowercase=False, stop_words=None,
                    token_pattern=TOKEN_PATTERN_WITH_NUMBERS) == ["The", "Kremlin", "2022", "plan"]
    # curly apostrophes end a token too; one-letter tokens are dropped
    assert tokenize("Putin’s war: a B-52 and a U-turn", stop_words=None) == ["putin", "war", "b-52", "and", "u-turn"]


def test_stop_words_are_scikit_learns_list_or_your_own():
    assert len(ENGLISH_STOP_WORDS) == 318 and "the" in ENGLISH_STOP_WORDS
    assert tokenize("the war is over", stop_words=["War", "OVER"]) == ["the", "is"]
    with pytest.raises(ValueError, match="stop_words must be 'english'"):
        term_vectorizer(stop_words="german")


def test_ngrams_form_after_stop_words_are_removed():
    assert tokenize("war in Ukraine ends", ngram_range=(2, 2)) == ["war ukraine", "ukraine ends"]
    assert tokenize("war in Ukraine", ngram_range=(1, 2)) == ["war", "ukraine", "war ukraine"]
    with pytest.raises(ValueError, match="ngram_range"):
        term_vectorizer(ngram_range=(2, 1))


# --- document-term matrix -------------------------------------------------------------

def test_document_terms_counts_match_counting_by_hand(small):
    dt = document_terms(small)
    assert sp.issparse(dt.matrix) and dt.matrix.dtype == np.int64
    assert dt.matrix.shape == (3, len(dt.terms))
    assert list(dt.index) == [0, 1, 2]
    assert list(dt.terms) == sorted(dt.terms)
    by_hand = [
        Counter({"kremlin": 1, "so-called": 1, "peace": 1, "plan": 2, "failed": 1}),
        Counter({"kyiv": 1, "rejects": 1, "plan": 1, "nato": 1, "f-16s": 1, "arrive": 1}),
        Counter(),
    ]
    for row, expected in zip(dt.matrix.toarray(), by_hand):
        assert {t: int(c) for t, c in zip(dt.terms, row) if c} == dict(expected)


def test_document_terms_agrees_with_tokenize_on_the_seed_corpus(seed):
    dt = document_terms(seed, ngram_range=(1, 2))
    for i, text in enumerate(seed["text"]):
        expected = Counter(tokenize(text, ngram_range=(1, 2)))
        row = dt.matrix.getrow(i)
        got = {dt.terms[j]: int(c) for j, c in zip(row.indices, row.data)}
        assert got == dict(expected)
    assert dt.matrix.sum() == sum(len(tokenize(t, ngram_range=(1, 2))) for t in seed["text"])


def test_fixed_vocabulary_keeps_its_order_and_unseen_terms(small):
    dt = document_terms(small, vocabulary=["plan", "zebra", "kyiv", "plan"])
    assert list(dt.terms) == ["plan", "zebra", "kyiv"]
    assert dt.matrix.toarray().tolist() == [[2, 0, 0], [1, 0, 1], [0, 0, 0]]


def test_a_ready_vectorizer_is_cloned_not_fitted(small):
    from sklearn.feature_extraction.text import CountVectorizer

    cv = CountVectorizer()
    dt = document_terms(small, vectorizer=cv)
    assert "the" in dt.terms and "2024" in dt.terms  # scikit-learn's own defaults
    assert not hasattr(cv, "vocabulary_")
    with pytest.raises(ValueError, match="either vectorizer= or tokenising options"):
        document_terms(small, vectorizer=cv, min_df=2)


def test_min_df_max_df_and_max_features(small):
    assert list(document_terms(small, min_df=2).terms) == ["plan"]
    assert "plan" not in document_terms(small, max_df=1).terms
    assert len(document_terms(small, max_features=3).terms) == 3


def test_clear_errors(small):
    with pytest.raises(ValueError, match=r"no 'body' column .*text=\.\.\."):
        document_terms(small, text="body")
    with pytest.raises(ValueError, match=r"must hold strings; row 1 holds int 7"):
        document_terms(small.assign(text=pd.Series(["a b", 7, None], dtype=object)))
    with pytest.raises(ValueError, match="no terms left to count"):
        document_terms(pd.DataFrame({"text": ["the of and", ""]}))
    with pytest.raises(ValueError, match="articles is empty"):
        document_terms(small.iloc[:0])
    with pytest.raises(TypeError, match="DataFrame"):
        document_terms(["a text"])
    with pytest.raises(ValueError, match="vocabulary is empty"):
        term_vectorizer(vocabulary=[])


# --- per group ------------------------------------------------------------------------

def test_group_terms_sum_documents_and_count_them(small):
    g = group_terms(small, "outlet")
    assert g.groups == ["BBC", "RT"]
    assert g.n_documents.tolist() == [1, 2]
    dt = document_terms(small)
    assert list(g.terms) == list(dt.terms)
    np.testing.assert_array_equal(g.matrix.toarray(), np.vstack([dt.matrix[[1]].toarray(), dt.matrix[[0, 2]].sum(axis=0)]))
    plan = list(g.terms).index("plan")
    assert g.documents.toarray()[:, plan].tolist() == [1, 1]  # documents, not tokens


def test_group_counts_leave_out_rows_in_no_group(small):
    from diplomacy_lab.text.terms import group_counts

    g = group_counts(small, [1, -1, 1], 3)  # row b in no group; group 0 and 2 empty
    assert "kyiv" not in g.terms  # its only text is in no group: not in the vocabulary either
    assert g.matrix.shape == (3, len(g.terms)) and g.n_documents.tolist() == [0, 2, 0]
    np.testing.assert_array_equal(g.matrix.toarray()[1], document_terms(small.iloc[[0, 2]]).matrix.sum(axis=0).A1)
    assert g.matrix.toarray()[[0, 2]].sum() == 0
    with pytest.raises(ValueError, match="one group number per row"):
        group_counts(small, [0, 1], 2)


def test_term_counts_is_tidy_and_sums_up(seed):
    table = term_counts(seed, "outlet")
    assert list(table.columns) == ["outlet", "term", "count", "documents"]
    assert (table["count"] > 0).all() and (table["documents"] >= 1).all()
    assert not table.duplicated(["outlet", "term"]).any()
    dt = document_terms(seed)
    assert table["count"].sum() == dt.matrix.sum()
    for outlet, part in table.groupby("outlet", sort=False):
        rows = (seed["outlet"] == outlet).to_numpy()
        assert part["count"].sum() == dt.matrix[rows].sum()
        assert part["count"].is_monotonic_decreasing
        assert part["documents"].max() <= rows.sum()


def test_term_counts_missing_group_is_unknown_and_by_is_checked(small):
    table = term_counts(small.assign(outlet=["RT", None, "RT"]), "outlet")
    assert sorted(table["outlet"].unique()) == ["RT", "unknown"]
    with pytest.raises(ValueError, match=r"no 'site' column"):
        term_counts(small, "site")
    with pytest.raises(ValueError, match="clashes with an output column"):
        term_counts(small.assign(term="x"), "term")


def test_term_counts_works_on_sentences(seed):
    from diplomacy_lab import sentences

    sents = sentences(seed)
    by_sentence = term_counts(sents, "doc_id")
    by_article = term_counts(seed, "doc_id")
    # sentence splitting loses no word (spans between sentences are whitespace)
    merged = by_article.merge(by_sentence, on=["doc_id", "term"], how="outer", suffixes=("_a", "_s"))
    assert len(merged) == len(by_article)
    assert (merged["count_a"] == merged["count_s"]).mean() > 0.99


# --- the NumPy counter against scikit-learn's CountVectorizer --------------------------

SETTINGS = [
    {},
    {"ngram_range": (1, 3)},
    {"ngram_range": (2, 3), "stop_words": "english"},
    {"lowercase": False, "token_pattern": r"(?u)\b\w+\b"},
    {"min_df": 2, "max_df": 0.5, "ngram_range": (1, 2)},
    {"min_df": 0.05, "max_df": 10},
    {"max_features": 50, "ngram_range": (1, 2)},   # many ties in the counts at the cut
    {"max_features": 7, "binary": True},
    {"token_pattern": r"(?u)\b(\w)\w+\b"},          # one capturing group: its text is the token
    {"vocabulary": ["war", "the war", "kyiv", "zebra", "of the"], "ngram_range": (1, 2)},
    {"vocabulary": {"kyiv": 1, "war": 0}},
    {"vocabulary": {"war", "kyiv", "peace"}},
    {"stop_words": ["the", "of", "and"], "ngram_range": (1, 2), "max_df": 0.9},
    {"token_pattern": r"[^,.;]+", "ngram_range": (1, 2), "max_features": 40},  # tokens with spaces: string sort
]


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: ",".join(f"{k}={v}" for k, v in s.items()) or "default")
def test_fast_counting_equals_scikit_learn(seed, settings):
    from sklearn.feature_extraction.text import CountVectorizer

    from diplomacy_lab.text.terms import _counting_params, count_terms

    # the five seed articles cut into 60 pieces, plus empty and stop-word-only texts
    pieces = [t[i:i + 600] for t in seed["text"] for i in range(0, len(t), 600)] + ["", "the of and", "WAR war War"]
    cv = CountVectorizer(**settings)
    expected = cv.fit_transform(pieces)
    params = _counting_params(cv)
    assert params is not None
    matrix, terms = count_terms(pieces, **params)
    assert terms.tolist() == cv.get_feature_names_out().tolist()
    assert (matrix != expected).nnz == 0 and matrix.shape == expected.shape
    # per group, without a row per text: the same as summing scikit-learn's rows
    groups = np.arange(len(pieces)) % 3
    sums, terms = count_terms(pieces, **params, groups=groups)
    assert terms.tolist() == cv.get_feature_names_out().tolist()
    np.testing.assert_array_equal(sums.toarray(), np.vstack([expected[groups == g].sum(axis=0) for g in range(3)]))


def test_fast_counting_errors_like_scikit_learn():
    from diplomacy_lab.text.terms import count_terms

    with pytest.raises(ValueError, match="empty vocabulary"):
        count_terms(["the of", ""])
    with pytest.raises(ValueError, match="no terms remain"):
        count_terms(["war peace", "war"], min_df=3, max_df=5)
    with pytest.raises(ValueError, match="max_df corresponds to < documents than min_df"):
        count_terms(["war peace", "war"], min_df=2, max_df=1)
    with pytest.raises(ValueError, match="More than 1 capturing group"):
        count_terms(["war"], token_pattern=r"(\w)(\w)")


def test_unusual_vectorizers_use_scikit_learn_itself(small):
    from sklearn.feature_extraction.text import CountVectorizer

    from diplomacy_lab.text.terms import _counting_params

    char = CountVectorizer(analyzer="char", ngram_range=(2, 2))
    assert _counting_params(char) is None
    dt = document_terms(small, vectorizer=char)
    assert "pl" in dt.terms
    g = group_terms(small, "outlet", vectorizer=char)
    np.testing.assert_array_equal(g.matrix.toarray(), np.vstack([dt.matrix[[1]].toarray(), dt.matrix[[0, 2]].sum(axis=0)]))
    assert g.documents.toarray().max() == 1
    assert _counting_params(CountVectorizer(strip_accents="unicode")) is None


@pytest.mark.parametrize("settings", [SETTINGS[1], SETTINGS[4], SETTINGS[6], SETTINGS[9]], ids=["trigrams", "df", "max_features", "vocabulary"])
def test_counting_in_small_chunks_changes_nothing(seed, settings, monkeypatch):
    """Texts are tokenised, and (text, n-gram) pairs counted, a chunk at a time: tiny chunks, same result."""
    from sklearn.feature_extraction.text import CountVectorizer

    import diplomacy_lab.text.ngram_counts as engine
    import diplomacy_lab.text.terms as terms_module
    from diplomacy_lab.text.ngram_counts import count_ngrams

    monkeypatch.setattr(engine, "_CHUNK_CHARS", 700)
    monkeypatch.setattr(engine, "_CHUNK_POSITIONS", 37)
    monkeypatch.setattr(engine, "_DENSE_GROUP_CELLS", 0)  # group sums by np.add.at, as for huge vocabularies
    pieces = [t[i:i + 600] for t in seed["text"] for i in range(0, len(t), 600)] + ["", "WAR war War"]
    cv = CountVectorizer(**settings)
    expected = cv.fit_transform(pieces)
    params = terms_module._counting_params(cv)
    matrix, terms = terms_module.count_terms(pieces, **params)
    assert terms.tolist() == cv.get_feature_names_out().tolist()
    assert (matrix != expected).nnz == 0
    groups = np.arange(len(pieces)) % 4 - 1  # -1: in no group
    sums, terms, holding = count_ngrams(pieces, **params, groups=groups)
    np.testing.assert_array_equal(sums.toarray(), np.vstack([expected[groups == g].sum(axis=0) for g in range(3)]))
    np.testing.assert_array_equal(holding.toarray(), np.vstack([(expected[groups == g] > 0).sum(axis=0) for g in range(3)]))
