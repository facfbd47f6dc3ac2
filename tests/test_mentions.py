"""Tests for diplomacy_lab.codebook.mentions: actors and targets found in sentences."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from diplomacy_lab import load_corpus, sentences
from diplomacy_lab.codebook.matcher import compile_codebook
from diplomacy_lab.codebook.mentions import COLUMNS, find_mentions, mention_counts
from diplomacy_lab.codebook.prefilter import target_filter
from diplomacy_lab.codebook.schema import load_codebook
from diplomacy_lab.paths import data_dir, seed_corpus_dir

DTYPES = {
    "sent_id": "int64", "kind": "str", "id": "str", "start": "int64", "end": "int64",
    "surface": "str", "via": "str", "in_target": "bool",
}  # fmt: skip

# A small codebook of its own, so that these tests do not move with the seed codebook.
CODEBOOK = {
    "name": "test",
    "actors": {
        "meloni": {
            "name": "Giorgia Meloni", "country": "Italy", "gender": "female",
            "aliases": ["Giorgia Meloni", "Meloni"],
            "roles": ["Italian Prime Minister", "Italy's Prime Minister", "the Italian leader"],
        },
        "macron": {
            "name": "Emmanuel Macron", "country": "France", "gender": "male",
            "aliases": ["Emmanuel Macron", "Macron"], "roles": ["French President"],
        },
        "starmer": {"name": "Keir Starmer", "country": "United Kingdom", "gender": "male", "aliases": ["Keir Starmer", "Starmer"]},
        "trump": {"name": "Donald Trump", "country": "United States", "gender": "male", "aliases": ["Donald Trump", "Trump"], "roles": ["US President"]},
        "putin": {"name": "Vladimir Putin", "country": "Russia", "gender": "male", "aliases": ["Vladimir Putin", "Putin"], "roles": ["Russian President"]},
        "peskov": {"name": "Dmitry Peskov", "country": "Russia", "gender": "male", "aliases": ["Dmitry Peskov", "Peskov"], "roles": ["Kremlin spokesman"]},
        "zakharova": {"name": "Maria Zakharova", "country": "Russia", "gender": "female", "aliases": ["Zakharova"]},
        "anon": {"name": "An envoy", "country": "Nowhere", "aliases": ["the envoy"]},
        "italy": {
            "name": "Government of Italy", "country": "Italy", "kind": "government",
            "aliases": ["Meloni's government"], "metonyms": ["Italy", "Rome"],
        },
        "russia": {"name": "Government of Russia", "country": "Russia", "kind": "government", "metonyms": ["Russia", "Moscow", "the Kremlin", "Kremlin"]},
        "united_states": {
            "name": "Government of the United States", "country": "United States", "kind": "government",
            "aliases": ["administration of US President Donald Trump"], "metonyms": ["re:(?-i:US)", "Washington"],
        },
        "nato": {"name": "NATO", "country": "NATO", "kind": "organisation", "aliases": ["NATO"]},
    },
    "targets": {
        "troops": {
            "label": "Troops to Ukraine",
            "patterns": [
                "reassurance force", "military force on the ground",
                "re:participation in a (possible )?military force", "re:send(ing|s)? (\\w+ ){0,2}troops",
                "re:Starmer and Macron's (proposal|plan)", "re:troops\\W+deployed",
            ],
        },
        "talks": {"label": "Talks", "patterns": ["peace talks", "talks with Moscow"]},
        "moscow_talks": {"label": "Talks with Moscow", "patterns": ["peace talks with Moscow"]},
        "us_role": {"label": "US role", "patterns": ["Trump's peace efforts"]},
        "guarantees": {"label": "NATO guarantees", "patterns": ["NATO assurances"]},
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def cb():
    return load_codebook(CODEBOOK)


@pytest.fixture(scope="module")
def seed():
    """The seed corpus, its sentences, the seed codebook and its mentions."""
    articles = load_corpus(seed_corpus_dir())
    sents = sentences(articles)
    codebook = load_codebook(data_dir() / "codebooks" / "ukraine_2025.yaml")
    return articles, sents, codebook, find_mentions(sents, codebook)


def check(table: pd.DataFrame, texts: dict) -> None:
    """Columns, dtypes, and surface == article text[start:end] on every row."""
    assert list(table.columns) == COLUMNS
    for col, dtype in DTYPES.items():
        assert table[col].dtype == dtype, col
    for row in table.itertuples(index=False):
        assert texts[row.doc_id][row.start : row.end] == row.surface
        assert row.kind in ("actor", "target", "fact")
        assert row.via in (("alias", "role", "metonymy", "pronoun") if row.kind == "actor" else ("pattern",))


def mentions(text: str, codebook, **kwargs) -> pd.DataFrame:
    """find_mentions on one article, checked."""
    table = find_mentions(sentences(pd.DataFrame({"doc_id": ["a"], "text": [text]})), codebook, **kwargs)
    check(table, {"a": text})
    return table


def found(text: str, codebook, **kwargs) -> list[tuple]:
    """``(kind, id, surface, via)`` of each mention, in order."""
    table = mentions(text, codebook, **kwargs)
    return list(zip(table["kind"], table["id"], table["surface"], table["via"]))


def actors(text: str, codebook, **kwargs) -> list[tuple[str, str]]:
    table = mentions(text, codebook, **kwargs)
    table = table[table["kind"] == "actor"]
    return list(zip(table["id"], table["surface"]))


# --- the table ------------------------------------------------------------------


def test_table_layout_and_offsets(cb):
    text = "Meloni spoke.\n\nLater, in Rome, Italian Prime Minister Giorgia Meloni ruled out sending troops."
    table = mentions(text, cb)
    assert table["doc_id"].tolist() == ["a"] * 4
    assert table["sent_id"].tolist() == [0, 1, 1, 1]
    assert list(zip(table["kind"], table["id"], table["via"])) == [
        ("actor", "meloni", "alias"), ("actor", "italy", "metonymy"),
        ("actor", "meloni", "alias"), ("target", "troops", "pattern"),
    ]  # fmt: skip
    assert table["start"].tolist()[:2] == [0, text.index("Rome")]


def test_empty_and_mentionless_input(cb):
    empty = find_mentions(sentences(pd.DataFrame({"doc_id": [], "text": []})), cb)
    assert empty.empty and list(empty.columns) == COLUMNS
    for col, dtype in DTYPES.items():
        assert empty[col].dtype == dtype, col
    none = mentions("Nothing to see here.", cb)
    assert none.empty and list(none.columns) == COLUMNS and none["in_target"].dtype == "bool"


def test_missing_columns_and_wrong_types(cb):
    with pytest.raises(ValueError, match=r"\['sent_id', 'start'\]"):
        find_mentions(pd.DataFrame({"doc_id": ["a"], "text": ["Meloni"]}), cb)
    with pytest.raises(TypeError, match="Codebook"):
        find_mentions(pd.DataFrame({"doc_id": [], "sent_id": [], "start": [], "text": []}), CODEBOOK)
    with pytest.raises(TypeError, match="not str"):
        find_mentions(pd.DataFrame({"doc_id": ["a"], "sent_id": [0], "start": [0], "text": [3]}), cb)


def test_missing_text_gives_no_mentions(cb):
    sents = pd.DataFrame({"doc_id": ["a", "a"], "sent_id": [0, 1], "start": [0, 10], "text": [None, "Meloni"]})
    table = find_mentions(sents, cb)
    assert table[["id", "start", "end"]].values.tolist() == [["meloni", 10, 16]]


def test_doc_id_dtype_index_and_order_of_documents(cb):
    sents = pd.DataFrame(
        {"doc_id": [7, 3, 7], "sent_id": [0, 0, 1], "start": [0, 0, 20], "text": ["Macron spoke.", "Meloni spoke.", "Then Putin."]},
        index=[10, 11, 12],
    )
    table = find_mentions(sents, cb)
    assert table["doc_id"].dtype == "int64"
    assert list(zip(table["doc_id"], table["id"], table["start"])) == [(7, "macron", 0), (7, "putin", 25), (3, "meloni", 0)]


# --- matching phrases -------------------------------------------------------------


def test_case_insensitive_on_word_boundaries(cb):
    assert actors("MELONI and meloni and Meloni's aides", cb) == [("meloni", "MELONI"), ("meloni", "meloni"), ("meloni", "Meloni")]
    assert actors("The Melonis and Trumpism and Macronist views.", cb) == []
    assert actors("Putin_ and _Putin are not Putin.", cb) == [("putin", "Putin")]


def test_whitespace_runs_and_apostrophes(cb):
    sents = pd.DataFrame({"doc_id": ["a"], "sent_id": [0], "start": [0], "text": ["Italian  Prime\n Minister  Giorgia\tMeloni spoke."]})
    table = find_mentions(sents, cb)
    assert table[["id", "surface", "via"]].values.tolist() == [["meloni", "Italian  Prime\n Minister  Giorgia\tMeloni", "alias"]]
    assert actors("Italy’s Prime Minister and Meloni’s government", cb) == [
        ("meloni", "Italy’s Prime Minister"), ("italy", "Meloni’s government"),
    ]  # fmt: skip
    curly = load_codebook({**CODEBOOK, "actors": {"x": {"name": "X", "country": "X", "aliases": ["Macron’s team"]}}})
    assert actors("Macron's team met.", curly) == [("x", "Macron's team")]


def test_regex_phrases(cb):
    assert found("They are SENDING Italian troops.", cb) == [("target", "troops", "SENDING Italian troops", "pattern")]
    assert found("Nobody resends troops.", cb) == []  # a regex match cannot begin inside a word
    assert [k for k, *_ in found("It is not Starmer and Macron’s planning.", cb)] == ["actor", "actor"]  # nor end in one
    table = mentions("Starmer and Macron’s plan", cb)
    assert ("target", "troops", "Starmer and Macron’s plan") in list(zip(table["kind"], table["id"], table["surface"]))


def test_case_sensitive_regex_for_acronyms(cb):
    """``re:(?-i:US)``: the way to keep "us" from matching "US"."""
    assert actors("Join us, said the US. Tell us about US-led talks.", cb) == [("united_states", "US"), ("united_states", "US")]


def test_regex_does_not_match_across_sentences(cb):
    text = "They send troops. Deployed troops -- deployed here.\n\nTroops. Deployed."
    table = mentions(text, cb)
    targets = table[table["kind"] == "target"]
    assert targets["surface"].tolist() == ["send troops", "troops -- deployed"]


# --- overlaps ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Meloni's government decided.", [("italy", "Meloni's government")]),
        ("Kremlin spokesman Dmitry Peskov said so.", [("peskov", "Kremlin spokesman Dmitry Peskov")]),
        ("The Kremlin spokesman said so.", [("peskov", "Kremlin spokesman")]),  # not "The Kremlin"
        ("The Kremlin said so.", [("russia", "The Kremlin")]),
        ("the administration of US President Donald Trump", [("united_states", "administration of US President Donald Trump")]),
        ("Italy's Prime Minister spoke in Italy.", [("meloni", "Italy's Prime Minister"), ("italy", "Italy")]),
    ],
)
def test_longest_match_wins(cb, text, expected):
    assert actors(text, cb) == expected


def test_adjacent_mentions_of_one_actor_merge(cb):
    assert found("Italian Prime Minister Giorgia Meloni and Russian President Vladimir Putin met.", cb) == [
        ("actor", "meloni", "Italian Prime Minister Giorgia Meloni", "alias"),
        ("actor", "putin", "Russian President Vladimir Putin", "alias"),
    ]
    assert found("Meloni, the Italian leader, and Meloni Meloni.", cb) == [
        ("actor", "meloni", "Meloni", "alias"), ("actor", "meloni", "the Italian leader", "role"),
        ("actor", "meloni", "Meloni Meloni", "alias"),
    ]  # fmt: skip
    assert actors("US President Macron", cb) == [("trump", "US President"), ("macron", "Macron")]
    assert found("French President spoke.", cb) == [("actor", "macron", "French President", "role")]


def test_actor_in_target_is_kept_and_flagged(cb):
    table = mentions("She backed Trump's peace efforts and talks with Moscow, said Trump.", cb)
    rows = list(zip(table["kind"], table["id"], table["surface"], table["in_target"]))
    assert rows == [
        ("target", "us_role", "Trump's peace efforts", False),
        ("actor", "trump", "Trump", True),
        ("target", "talks", "talks with Moscow", False),
        ("actor", "russia", "Moscow", True),
        ("actor", "trump", "Trump", False),
    ]


def test_actor_at_the_start_of_a_target(cb):
    table = mentions("It wants NATO assurances.", cb)
    assert list(zip(table["kind"], table["id"], table["in_target"])) == [("target", "guarantees", False), ("actor", "nato", True)]


def test_an_actor_partly_in_a_target_is_in_it(cb):
    cb2 = load_codebook({**CODEBOOK, "targets": {"calls": {"label": "Calls", "patterns": ["conversations with Russian President"]}}})
    table = mentions("He sought conversations with Russian President Vladimir Putin.", cb2)
    putin = table[table["id"] == "putin"]
    assert putin["surface"].tolist() == ["Russian President Vladimir Putin"] and putin["in_target"].all()


def test_targets_do_not_hide_each_other_and_one_target_merges(cb):
    table = mentions("Peace talks with Moscow. No participation in a possible military force on the ground.", cb)
    assert list(zip(table["kind"], table["id"], table["surface"])) == [
        ("target", "moscow_talks", "Peace talks with Moscow"),
        ("target", "talks", "Peace talks with Moscow"),  # "Peace talks" + "talks with Moscow", merged
        ("actor", "russia", "Moscow"),
        ("target", "troops", "participation in a possible military force on the ground"),  # regex + phrase
    ]


# --- pronouns ---------------------------------------------------------------------


def test_pronouns_resolve_to_the_nearest_person_of_their_gender(cb):
    text = "Meloni met Macron. She thanked him. His reply pleased her, and he left."
    assert [(i, s) for i, s in actors(text, cb)] == [
        ("meloni", "Meloni"), ("macron", "Macron"), ("meloni", "She"), ("macron", "him"),
        ("macron", "His"), ("meloni", "her"), ("macron", "he"),
    ]  # fmt: skip
    table = mentions(text, cb)
    assert (table.loc[table["surface"].isin(["She", "him"]), "via"] == "pronoun").all()


def test_pronoun_window_is_two_sentences_before(cb):
    two = "Meloni spoke. It rained. She left."
    three = "Meloni spoke. It rained. It snowed. She left."
    assert actors(two, cb)[-1] == ("meloni", "She")
    assert actors(three, cb) == [("meloni", "Meloni")]


def test_a_resolved_pronoun_carries_the_chain(cb):
    text = "Meloni spoke. It rained. She left. It snowed. Her car waited."
    assert [s for _, s in actors(text, cb)] == ["Meloni", "She", "Her"]


def test_unresolvable_pronouns_give_nothing(cb):
    assert actors("She said it. They left. He stayed.", cb) == []
    assert actors("Italy said she would go; the envoy said he would not.", cb) == [("italy", "Italy"), ("anon", "the envoy")]
    assert actors("It is what they want: Meloni said it.", cb) == [("meloni", "Meloni")]


def test_pronoun_before_its_antecedent_in_the_sentence_is_not_resolved(cb):
    assert actors("Before she spoke, Meloni waited.", cb) == [("meloni", "Meloni")]


def test_pronouns_do_not_cross_documents(cb):
    sents = pd.DataFrame({"doc_id": ["a", "b"], "sent_id": [0, 0], "start": [0, 0], "text": ["Meloni spoke.", "She left."]})
    assert find_mentions(sents, cb)["id"].tolist() == ["meloni"]


def test_pronouns_off(cb):
    assert actors("Meloni spoke. She left.", cb, pronouns=False) == [("meloni", "Meloni")]


# --- the matcher is built once per codebook ----------------------------------------


def test_the_codebook_is_compiled_once_and_shared():
    codebook = load_codebook(CODEBOOK)
    compiled = compile_codebook(codebook)
    mentions("Meloni", codebook)
    assert compile_codebook(codebook) is compiled
    assert target_filter(codebook) is compiled.prefilter
    # the target regexes of the pre-filter are the very objects the mention matcher searches
    shared = {id(r.rx) for r in compiled.regexes}
    assert {id(rx) for _, rx in compiled.prefilter.lowered} <= shared
    assert compiled.mentions.regexes is compiled.regexes


# --- counts -----------------------------------------------------------------------


def test_mention_counts(cb):
    sents = pd.DataFrame(
        {"doc_id": ["b", "b", "a"], "sent_id": [0, 1, 0], "start": [0, 30, 0],
         "text": ["Macron met Meloni and Macron.", "Peace talks resumed.", "Meloni."]}
    )  # fmt: skip
    counts = mention_counts(find_mentions(sents, cb))
    assert list(counts.columns) == ["doc_id", "kind", "id", "n"] and counts["n"].dtype == "int64"
    assert counts.values.tolist() == [
        ["b", "actor", "macron", 2], ["b", "actor", "meloni", 1], ["b", "target", "talks", 1], ["a", "actor", "meloni", 1],
    ]  # fmt: skip
    with pytest.raises(ValueError, match="kind"):
        mention_counts(pd.DataFrame({"doc_id": ["a"]}))


# --- the seed corpus and codebook --------------------------------------------------


def test_seed_mentions_match_the_article_text(seed):
    articles, _, _, table = seed
    check(table, dict(zip(articles["doc_id"], articles["text"])))
    assert set(table["doc_id"]) == set(articles["doc_id"])
    assert table["doc_id"].drop_duplicates().tolist() == articles["doc_id"].tolist()
    for _, group in table.groupby("doc_id", sort=False):
        assert group["start"].is_monotonic_increasing
        spans = group.loc[group["kind"] == "actor", ["start", "end"]].values.tolist()
        assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:])), "overlapping actor mentions"


def seed_sentence(seed, doc_id: str, startswith: str) -> pd.DataFrame:
    """The mentions of the one seed sentence of ``doc_id`` that starts with ``startswith``."""
    _, sents, _, table = seed
    match = sents[(sents["doc_id"] == doc_id) & sents["text"].str.startswith(startswith)]
    assert len(match) == 1, f"{doc_id}: {startswith!r} found {len(match)} times"
    sent_id = match["sent_id"].iloc[0]
    return table[(table["doc_id"] == doc_id) & (table["sent_id"] == sent_id)]


def test_seed_meloni_is_not_alone(seed):
    table = seed_sentence(seed, "rejects-coalition", "Meloni is not alone in her opposition")
    rows = set(zip(table["kind"], table["id"], table["surface"], table["via"]))
    assert {
        ("actor", "meloni", "Meloni", "alias"),
        ("actor", "meloni", "her", "pronoun"),
        ("actor", "starmer", "Starmer", "alias"),
        ("actor", "macron", "Macron", "alias"),
        ("target", "troops_to_ukraine", "Starmer and Macron’s proposal", "pattern"),
    } <= rows
    assert table.loc[table["id"].isin(["starmer", "macron"]), "in_target"].all()


def test_seed_her_office(seed):
    table = seed_sentence(seed, "rejects-coalition", "According to an official statement from her office")
    her = table[table["surface"] == "her"]
    assert her[["id", "via"]].values.tolist() == [["meloni", "pronoun"]]


@pytest.mark.parametrize(
    ("doc_id", "startswith", "actor", "surface", "via"),
    [
        ("boycott-videoconf", "Italian Prime Minister Giorgia Meloni will", "meloni", "Italian Prime Minister Giorgia Meloni", "alias"),
        ("boycott-videoconf", "The media outlet claimed", "united_states", "administration of US President Donald Trump", "alias"),
        ("boycott-videoconf", "Kremlin spokesman", "peskov", "Kremlin spokesman Dmitry Peskov", "alias"),
        ("italy-says-no", "Meloni’s government has committed", "italy", "Meloni’s government", "alias"),
        ("italy-says-no", "Italy’s Prime Minister Giorgia Meloni stands", "meloni", "Italy’s Prime Minister Giorgia Meloni", "alias"),
        ("paris-us-role", "This proposition has garnered", "rutte", "NATO's Secretary-General Mark Rutte", "alias"),
        ("dialogue-jan2026", "Speaking at her annual", "meloni", "her", "pronoun"),
        ("rejects-coalition", "Speaking after a summit", "zelensky", "Ukrainian President Vladimir Zelensky", "alias"),
    ],
)
def test_seed_examples(seed, doc_id, startswith, actor, surface, via):
    table = seed_sentence(seed, doc_id, startswith)
    assert (actor, surface, via) in set(zip(table["id"], table["surface"], table["via"]))


def test_seed_has_no_lower_case_acronym_matches(seed):
    """Case-insensitive matching could read "us"/"eu"/"uk" as the US/EU/UK: not in the seeds."""
    table = seed[3]
    for surface in table.loc[table["via"] != "pronoun", "surface"]:
        for word in re.findall(r"(?i)\b(?:u\.s\.|us|eu|uk|nato)\b", surface):
            assert word.isupper(), surface


def test_facts_are_mentions_of_their_own_kind():
    data = dict(CODEBOOK, facts={
        "truce_30": {"label": "The 30-day ceasefire", "patterns": ["re:30-day (ceasefire|truce)"]},
        "jeddah": {"label": "Jeddah talks", "patterns": ["Jeddah"]},
        "troops": {"label": "A fact may share an id with a target", "patterns": ["troops and aircraft"]},
    })
    cb = load_codebook(data)
    art = pd.DataFrame({"doc_id": ["a"], "text": ["In Jeddah, Meloni backed a 30-day truce. Macron will send troops and aircraft."]})
    m = find_mentions(sentences(art), cb)
    facts = m[m["kind"].eq("fact")]
    assert facts[["id", "surface", "via"]].values.tolist() == [
        ["jeddah", "Jeddah", "pattern"], ["truce_30", "30-day truce", "pattern"], ["troops", "troops and aircraft", "pattern"]
    ]
    # a fact never makes an actor "in_target"; the target "send troops" is still found
    assert m.loc[m["kind"].eq("target"), "surface"].tolist() == ["send troops"]
    assert not m.loc[m["kind"].eq("actor"), "in_target"].any()
