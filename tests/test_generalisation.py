"""Generalisation check: the statement extractor on a corpus and codebook it was not built on.

The corpus is the AllSides "article-bias-prediction" data (Baly et al. 2020), read from the
shared data folder and never copied into the repository; the codebook is
``data/codebooks/allsides_russia_ukraine.yaml``. See ``docs/generalisation.md`` for the full
run, the hand-judged sample and the error analysis.

The properties tested here must hold for any reasonable extractor (evidence names the actor
and the target, stances are valid), plus five sentences hand-checked in the judged sample.
They do not measure precision: the extractor's measured precision is low (see the docs).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from diplomacy_lab import load_corpus
from diplomacy_lab.codebook.schema import load_codebook
from diplomacy_lab.paths import data_dir, shared_data_dir
from diplomacy_lab.statements.extract import extract_statements

JSONS = shared_data_dir() / "article-bias-prediction" / "jsons"
CODEBOOK = data_dir() / "codebooks" / "allsides_russia_ukraine.yaml"
N_ARTICLES = 300
RUSSIA_UKRAINE = r"\b(?:Russia|Russian|Ukraine|Ukrainian|Kremlin|Kyiv|Kiev)\b"
PRONOUNS = ("he", "him", "his", "himself", "she", "her", "hers", "herself")
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})

# (doc_id, words of the evidence sentence, expected (actor, target, stance)); judged by hand
# in the sample of docs/generalisation.md (rows 5, 14, 21, 37 and 1), where the extractor was
# right for the right reason.
HAND_CHECKED = [
    ("9MMl8U4uCPQNOyZx", "does not consider Russia's annexation of Crimea to be legal",
     ("merkel", "crimea_annexation", "oppose")),
    ("HSDw8kZt8Z5jTED2", "Barack Obama who had refused to sell arms to Ukraine",
     ("obama", "military_aid_to_ukraine", "oppose")),
    ("WDkPlhhth0PI6ieK", "the United States has refused to commit military aid to Ukraine",
     ("united_states", "military_aid_to_ukraine", "oppose")),
    ("aDPwHv7OJRifDKaC", "Volker advocated a shift of US policy to send lethal weapons to Ukraine",
     ("volker", "military_aid_to_ukraine", "support")),
    ("brUf4z4n9mfmdYzL", "new sanctions on Russia, that it was clear Trump did not truly support",
     ("trump", "sanctions_on_russia", "oppose")),
]

needs_allsides = pytest.mark.skipif(
    not JSONS.is_dir(),
    reason=f"AllSides corpus not found at {JSONS} (third-party data, not shipped; "
    f"set DIPLOMACY_LAB_SHARED_DATA to the folder holding article-bias-prediction/jsons)",
)


def _norm(text: str) -> str:
    return " ".join(str(text).translate(APOSTROPHES).split())


def _phrase_regex(phrase: str) -> str:
    """A codebook phrase as a regex: ``re:`` as is, else the words with any whitespace between."""
    if phrase.startswith("re:"):
        body = phrase[3:].translate(APOSTROPHES)
    else:
        body = r"\s+".join(re.escape(w) for w in phrase.translate(APOSTROPHES).split())
    return rf"(?<!\w)(?:{body})"


def _compiled(phrases) -> re.Pattern:
    return re.compile("|".join(_phrase_regex(p) for p in phrases), re.IGNORECASE)


@pytest.fixture(scope="module")
def book():
    return load_codebook(CODEBOOK)


@pytest.fixture(scope="module")
def articles() -> pd.DataFrame:
    everything = load_corpus(JSONS, text="content_original")
    about = everything[everything["text"].str.contains(RUSSIA_UKRAINE, regex=True, na=False)]
    picked = about.sort_values("doc_id").sample(N_ARTICLES, random_state=20251122)
    checked = everything[everything["doc_id"].isin([d for d, _, _ in HAND_CHECKED])]
    return pd.concat([picked, checked]).drop_duplicates("doc_id").reset_index(drop=True)


@pytest.fixture(scope="module")
def statements(articles, book) -> pd.DataFrame:
    return extract_statements(articles, book, progress=False)


def test_codebook_is_valid_and_complete(book):
    assert 5 <= len(book.targets) <= 7
    for actor in ["obama", "trump", "biden", "putin", "lavrov", "poroshenko", "zelensky", "merkel", "macron",
                  "stoltenberg", "united_states", "russia", "ukraine", "germany", "european_union", "nato"]:
        assert actor in book.actors, actor
    for target in book.targets.values():
        assert target.description and target.patterns, target.id


@needs_allsides
def test_some_statements_are_found(articles, statements):
    assert len(articles) >= N_ARTICLES
    assert len(statements) >= 5
    assert statements["doc_id"].nunique() >= 3


@needs_allsides
def test_statements_use_codebook_ids_and_valid_stances(statements, book):
    assert statements["actor"].isin(list(book.actors)).all()
    assert statements["target"].isin(list(book.targets)).all()
    assert statements["stance"].isin(["support", "oppose"]).all()  # neutral is left out by default
    countries = {a.id: a.country for a in book.actors.values()}
    assert (statements["actor_country"] == statements["actor"].map(countries)).all()


@needs_allsides
def test_evidence_is_a_sentence_of_its_article(statements, articles):
    texts = articles.set_index("doc_id")["text"].map(_norm)
    for row in statements.itertuples():
        assert _norm(row.evidence) in texts[row.doc_id], (row.doc_id, row.evidence[:120])


@needs_allsides
def test_evidence_contains_a_phrase_of_the_target(statements, book):
    patterns = {t.id: _compiled(t.patterns) for t in book.targets.values()}
    for row in statements.itertuples():
        text = str(row.evidence).translate(APOSTROPHES)
        assert patterns[row.target].search(text), (row.target, row.evidence[:160])


@needs_allsides
def test_evidence_names_the_actor_or_a_pronoun(statements, book):
    names = {a.id: _compiled([p for p, _ in a.phrases] + list(PRONOUNS)) for a in book.actors.values()}
    for row in statements.itertuples():
        text = str(row.evidence).translate(APOSTROPHES)
        assert names[row.actor].search(text), (row.actor, row.evidence[:160])


@needs_allsides
@pytest.mark.parametrize("doc_id, words, expected", HAND_CHECKED, ids=[h[2][0] + "-" + h[2][1] for h in HAND_CHECKED])
def test_hand_checked_sentences(statements, doc_id, words, expected):
    rows = statements[(statements["doc_id"] == doc_id) & statements["evidence"].map(_norm).str.contains(words, regex=False)]
    found = set(zip(rows["actor"], rows["target"], rows["stance"]))
    assert expected in found, f"{doc_id}: {words!r} gave {sorted(found)}"
    actor, target, stance = expected
    assert (actor, target, "support" if stance == "oppose" else "oppose") not in found
