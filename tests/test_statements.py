"""Attribution, the cue-based stance classifier and extract_statements."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from diplomacy_lab import load_corpus
from diplomacy_lab.codebook.schema import load_codebook
from diplomacy_lab.paths import data_dir, seed_corpus_dir
from diplomacy_lab.statements.cues import CueStanceClassifier, load_cues
from diplomacy_lab.statements.extract import STATEMENT_COLUMNS, extract_statements, statements_by_document
from diplomacy_lab.statements.holders import clause_spans, is_object, possessive_owner, quote_spans

BOOK = {
    "name": "test",
    "actors": {
        "meloni": {"name": "Giorgia Meloni", "country": "Italy", "gender": "female", "aliases": ["Meloni"]},
        "macron": {"name": "Emmanuel Macron", "country": "France", "gender": "male", "aliases": ["Macron"]},
        "starmer": {"name": "Keir Starmer", "country": "United Kingdom", "gender": "male", "aliases": ["Starmer"]},
        "italy": {"name": "Italy", "country": "Italy", "kind": "government", "metonyms": ["Italy", "Rome"]},
        "france": {"name": "France", "country": "France", "kind": "government", "metonyms": ["France"]},
        "greece": {"name": "Greece", "country": "Greece", "kind": "government", "metonyms": ["Greece"]},
        "russia": {"name": "Russia", "country": "Russia", "kind": "government", "metonyms": ["Moscow", "Russia"]},
        "uk": {"name": "UK", "country": "United Kingdom", "kind": "government", "metonyms": ["London"]},
    },
    "targets": {
        "troops": {"label": "Troops to Ukraine",
                   "patterns": ["reassurance force", "re:deploy(ment|ing)? of troops", "re:send(ing)? troops",
                                "coalition of the willing", "military intervention", "proposal"]},
        "dialogue": {"label": "Dialogue with Russia", "patterns": ["dialogue with Russia"]},
    },
}


def statements_of(*sentences: str, **kw) -> pd.DataFrame:
    articles = pd.DataFrame({"doc_id": ["d"], "text": [" ".join(sentences)], "outlet": ["o"],
                             "date": [pd.Timestamp("2025-03-13")], "source": ["d.txt"]})
    return extract_statements(articles, load_codebook(BOOK), **kw)


def triples(st: pd.DataFrame) -> set[tuple[str, str, str]]:
    return set(zip(st["actor"], st["target"], st["stance"]))


# --- attribution ------------------------------------------------------------------------------


def test_clauses_split_at_contrast_and_keep_lists_together():
    s = "While France, Britain, and others explore the deployment of troops, Italy rejects such measures."
    assert [s[a:b] for a, b in clause_spans(s)] == [
        "While France, Britain, and others explore the deployment of troops",
        "Italy rejects such measures.",
    ]


def test_quote_spans_closed_and_left_open():
    assert [(q.start, q.end, q.closed) for q in quote_spans('He said "no troops." Then')] == [(8, 20, True)]
    assert [(q.start, q.closed) for q in quote_spans("“There will be a force.")] == [(0, False)]
    assert [(q.start, q.end) for q in quote_spans("a force,” stated Macron", open_at_start=True)] == [(0, 9)]


def test_objects_and_owners():
    t = "a warning about the European Union"
    assert is_object(t, t.index("European")) and not is_object("Italy rejects it", 0)
    own = load_cues().ownership
    t = "opposition to Starmer and Macron’s proposal"
    assert possessive_owner(t, t.index("Starmer") + 7, t.index("proposal"), own)
    t = "NATO's Article 5"
    assert not possessive_owner(t, 4, t.index("Article"), own)


# --- the cue classifier -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def cue():
    return CueStanceClassifier().fit()


@pytest.mark.parametrize(
    "text, target, stance, cue_words",
    [
        ("Italy has explicitly rejected the deployment of troops.", "deployment of troops", "oppose", "rejected"),
        ("Italy will not be sending troops to Ukraine.", "sending troops", "oppose", "not sending"),
        ("Meloni backed the reassurance force.", "reassurance force", "support", "backed"),
        ("Meloni does not support the reassurance force.", "reassurance force", "oppose", "does not support"),
        ("Macron is pushing for a reassurance force.", "reassurance force", "support", "pushing for"),
        ("no national participation in a military force is planned", "participation in a military force", "oppose",
         "no ... planned"),
        ("Meloni dismissed a proposed coalition of the willing.", "coalition of the willing", "oppose", "dismissed"),
        ("Meloni spoke about the reassurance force.", "reassurance force", "neutral", ""),
        # general verbs of criticism, withdrawal, praise and promise
        ("Johnson denounced the withdrawal deal as a betrayal.", "withdrawal deal", "oppose", "denounced"),
        ("The US pulled out of the nuclear deal.", "nuclear deal", "oppose", "pulled out of"),
        ("Pyongyang suspended the talks with Seoul.", "talks with Seoul", "oppose", "suspended"),
        ("The president vowed to deliver Brexit.", "Brexit", "support", "deliver"),
        ("Macron praised the climate accord.", "climate accord", "support", "praised"),
    ],
)
def test_cue_decisions(cue, text, target, stance, cue_words):
    decided = cue.explain(pd.DataFrame({"text": [text], "target": [target]}))
    assert decided.loc[0, "stance"] == stance
    assert decided.loc[0, "cue"] == cue_words


def test_negator_too_far_does_not_flip(cue):
    X = pd.DataFrame({"text": ["Meloni is not alone in her opposition to the plan."], "target": ["plan"]})
    assert cue.predict(X).tolist() == ["oppose"]


def test_cue_classifier_follows_sklearn_conventions(cue):
    X = pd.DataFrame({"text": ["Meloni backed the force.", "Italy rejected the force."], "target": ["force", "force"]})
    assert clone(cue).get_params() == cue.get_params()
    proba = cue.predict_proba(X)
    assert proba.shape == (2, 3) and np.allclose(proba.sum(axis=1), 1)
    assert cue.classes_[proba.argmax(axis=1)].tolist() == cue.predict(X).tolist() == ["support", "oppose"]
    with pytest.raises(Exception, match="not fitted"):
        CueStanceClassifier().predict(X)
    with pytest.raises(ValueError, match="target"):
        cue.predict(pd.DataFrame({"text": ["x"]}))


def test_cue_lexicon_rejects_yaml_booleans(tmp_path):
    path = tmp_path / "cues.yaml"
    path.write_text("support: {strong: [back]}\noppose: {strong: [reject]}\nnegators: [no]\n"
                    "reporting_verbs: [said]\nownership_nouns: [plan]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="quote yes/no"):
        load_cues(str(path))


# --- holders ----------------------------------------------------------------------------------


def test_holder_not_every_actor_in_the_sentence():
    st = statements_of("Meloni is not alone in her opposition to Starmer and Macron’s proposal.")
    assert triples(st) == {("meloni", "troops", "oppose"), ("starmer", "troops", "support"),
                           ("macron", "troops", "support")}


def test_contrast_gives_each_clause_its_holder():
    st = statements_of("While France explores the deployment of troops, Italy has joined Greece in rejecting such measures.")
    assert triples(st) == {("france", "troops", "support"), ("italy", "troops", "oppose"), ("greece", "troops", "oppose")}


def test_objects_of_an_accusation_are_not_its_holders():
    st = statements_of("Moscow has accused London of orchestrating plans for a military intervention.")
    assert ("russia", "troops", "support") not in triples(st)
    assert ("uk", "troops", "support") in triples(st)


def test_quote_continued_across_sentences_belongs_to_its_speaker():
    st = statements_of("“There will be a reassurance force in Ukraine.", "It is not Russia that can decide,” stated Macron.")
    assert triples(st) == {("macron", "troops", "support")}
    assert st["holder"].tolist() == ["speaker"]


def test_reporting_frame_and_pronoun():
    st = statements_of("Meloni spoke on Sunday.", "She stressed that Italy will not be sending troops to Ukraine.")
    assert triples(st) == {("meloni", "troops", "oppose"), ("italy", "troops", "oppose")}


def test_statements_table_columns_and_document_level():
    st = statements_of("Meloni backed the dialogue with Russia.", "Meloni also backed the dialogue with Russia.")
    assert st.columns.tolist() == STATEMENT_COLUMNS
    assert st.loc[0, ["outlet", "source", "actor_country", "method"]].tolist() == ["o", "d.txt", "Italy", "cue"]
    doc = statements_by_document(st)
    assert doc[["actor", "target", "stance", "n_sentences"]].values.tolist() == [["meloni", "dialogue", "support", 2]]


def test_neutral_statements_only_on_request():
    assert statements_of("Meloni spoke about the reassurance force.").empty
    st = statements_of("Meloni spoke about the reassurance force.", include_neutral=True)
    assert triples(st) == {("meloni", "troops", "neutral")}


def test_extract_statements_rejects_a_table_without_text():
    with pytest.raises(ValueError, match="text"):
        extract_statements(pd.DataFrame({"doc_id": ["a"]}), load_codebook(BOOK))


# --- holders beyond the subject -----------------------------------------------------------------

WIDER = {
    **BOOK,
    "actors": {
        **BOOK["actors"],
        "macron": {**BOOK["actors"]["macron"], "roles": ["the French leader"]},
        "starmer": {**BOOK["actors"]["starmer"], "roles": ["British Prime Minister"]},
        "us": {"name": "United States", "country": "United States", "kind": "government", "metonyms": ["Washington"]},
    },
    "targets": {
        **BOOK["targets"],
        "us_talks": {"label": "US-led talks", "patterns": ["US-led negotiations", "US-Russia talks"]},
        "truce": {"label": "Ceasefire", "patterns": ["re:cease-?fire", "short-term pauses"]},
    },
}


def wider_statements(*sentences: str) -> set[tuple[str, str, str]]:
    articles = pd.DataFrame({"doc_id": ["d"], "text": [" ".join(sentences)]})
    return triples(extract_statements(articles, load_codebook(WIDER)))


def test_owners_named_inside_the_target_phrase_support_it():
    book = {**BOOK, "targets": {"troops": {"label": "T", "patterns": ["re:Starmer and Macron's proposal"]}}}
    articles = pd.DataFrame({"doc_id": ["d"], "text": ["Meloni is not alone in her opposition to Starmer and Macron's proposal."]})
    assert triples(extract_statements(articles, load_codebook(book))) == {
        ("meloni", "troops", "oppose"), ("starmer", "troops", "support"), ("macron", "troops", "support")
    }


def test_who_reports_an_obstruction_defends_the_target_and_the_accused_hold_nothing():
    got = wider_statements("Moscow has suggested that London's actions are aimed at undermining US-Russia talks.")
    assert got == {("russia", "us_talks", "support")}
    # without the reporting frame the obstruction is the subject's own
    assert wider_statements("Moscow seeks to undermine the US-led negotiations.") == {("russia", "us_talks", "oppose")}


def test_a_warning_against_refusing_supports_the_target():
    got = wider_statements("Meloni cautioned that by refusing dialogue with Russia, Europe marginalises itself.")
    assert got == {("meloni", "dialogue", "support")}


def test_they_refers_to_the_coordinated_actors_before_it():
    got = wider_statements("Talks between Rome and Washington ended on Tuesday, after which they released a statement backing a ceasefire.")
    assert got == {("italy", "truce", "support"), ("us", "truce", "support")}


def test_coordinated_roles_name_each_leader_and_however_does_not_cut_the_clause():
    got = wider_statements("French and British leaders, however, indicated plans for a reassurance force.")
    assert got == {("macron", "troops", "support"), ("starmer", "troops", "support")}


def test_as_far_back_as_is_not_a_cue():
    got = wider_statements("Putin said as far back as July that Moscow is not interested in short-term pauses.")
    assert ("russia", "truce", "oppose") in got


# --- the seed corpus against the gold ------------------------------------------------------------


def test_seed_statements_against_gold_document_level():
    """The issue's bar: precision and recall >= 0.9 at document level against the gold.
    Measured: P 1.00 (48 of 48), R 0.92 (48 of 52); misses are listed in the README."""
    articles = load_corpus(seed_corpus_dir())
    st = extract_statements(articles, load_codebook(data_dir() / "codebooks" / "ukraine_2025.yaml"))
    doc = statements_by_document(st)
    gold = pd.read_csv(data_dir() / "gold" / "seed_statements.csv")
    key = ["doc_id", "actor", "target", "stance"]
    predicted, expected = set(map(tuple, doc[key].values)), set(map(tuple, gold[key].values))
    hits = predicted & expected
    precision, recall = len(hits) / len(predicted), len(hits) / len(expected)
    assert precision >= 0.9, f"precision {precision:.3f}"
    assert recall >= 0.9, f"recall {recall:.3f}"


def test_a_user_cue_lexicon_reaches_every_step(tmp_path):
    """cues= changes who holds a stance (reporting verbs), not only the stance decision."""
    import yaml

    from diplomacy_lab.paths import resource_path
    from diplomacy_lab.text.reporting import holder_phrases

    data = yaml.safe_load(resource_path("stance_cues.yaml").read_text(encoding="utf-8"))
    # the packaged lexicon takes its reporting verbs from the one list; a user lexicon may give its own
    assert "reporting_verbs" not in data
    data["reporting_verbs"] = [v for v in holder_phrases() if v not in ("say", "says", "said", "saying")] + [
        "re:opin(e|es|ed)"]
    path = tmp_path / "cues.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    book = {"name": "d", "actors": {"meloni": {"name": "Giorgia Meloni", "country": "Italy", "aliases": ["Meloni"]}},
            "targets": {"troops": {"label": "Troops", "patterns": ["sending troops"]}}}
    arts = pd.DataFrame({"doc_id": ["a", "b"], "text": ['"We reject sending troops," Meloni said.',
                                                        '"We reject sending troops," Meloni opined.']})
    assert extract_statements(arts, book)["doc_id"].tolist() == ["a"]
    mine = extract_statements(arts, book, cues=path)
    assert mine["doc_id"].tolist() == ["b"] and mine["holder"].tolist() == ["speaker"]
    with pytest.raises(ValueError, match="give the lexicon once"):
        extract_statements(arts, book, classifier=CueStanceClassifier(cues=resource_path("stance_cues.yaml")).fit(),
                           cues=path)
