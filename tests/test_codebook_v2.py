"""Codebook v2 keys of a target: ``anaphors`` (back-references after the target is named) and ``cues``
(stance cues of this target only)."""

from __future__ import annotations

import pandas as pd
import pytest

from diplomacy_lab import extract_statements, find_mentions, load_codebook, sentences
from diplomacy_lab.codebook.schema import CodebookError

BOOK = {
    "name": "deals",
    "actors": {"trump": {"name": "Donald Trump", "country": "US", "gender": "male", "aliases": ["Trump"]},
               "macron": {"name": "Emmanuel Macron", "country": "France", "gender": "male", "aliases": ["Macron"]}},
    "targets": {
        "jcpoa": {"label": "The Iran nuclear deal", "patterns": ["Iran nuclear deal", "JCPOA"],
                  "anaphors": ["the deal", "the agreement"],
                  "cues": {"oppose": ["decertify", "re:pull(s|ed|ing)? out of"], "support": ["stay in"]}},
        "paris": {"label": "The Paris climate agreement", "patterns": ["Paris climate agreement", "Paris accord"],
                  "anaphors": ["the agreement"]},
    },
}


def targets_of(text: str) -> list[tuple[str, str, str]]:
    m = find_mentions(sentences(pd.DataFrame({"doc_id": ["a"], "text": [text]})), load_codebook(BOOK))
    return [(r.id, r.surface, r.via) for r in m[m["kind"] == "target"].itertuples()]


def test_an_anaphor_counts_only_after_its_target_was_named():
    assert targets_of("The deal was hailed. Trump attacked the deal.") == []
    assert targets_of("Trump attacked the JCPOA. He called the deal a disaster.") == [
        ("jcpoa", "JCPOA", "pattern"), ("jcpoa", "the deal", "anaphor")]


def test_a_shared_anaphor_refers_to_the_target_named_last():
    text = ("Macron praised the Paris accord. Trump attacked the JCPOA. He said the agreement was weak. "
            "Macron defended the Paris climate agreement. He said the agreement would hold.")
    found = [(t, s) for t, s, via in targets_of(text) if via == "anaphor"]
    assert found == [("jcpoa", "the agreement"), ("paris", "the agreement")]


def test_an_anaphor_inside_a_target_mention_adds_nothing():
    assert [v for *_, v in targets_of("The Iran nuclear deal: the deal stands.")] == ["pattern", "anaphor"]
    assert len(targets_of("Trump left the Iran nuclear deal.")) == 1


def test_target_cues_decide_the_stance_on_their_target_only():
    arts = pd.DataFrame({"doc_id": ["a", "b"], "text": [
        "The Iran nuclear deal was signed in 2015. Trump decided to decertify the deal.",
        "Macron spoke of the Paris climate agreement. Macron decided to decertify the agreement."]})
    st = extract_statements(arts, BOOK)
    assert st[["doc_id", "actor", "target", "stance", "cue"]].values.tolist() == [
        ["a", "trump", "jcpoa", "oppose", "decertify"]]


def test_v2_keys_round_trip_and_are_validated():
    book = load_codebook(BOOK)
    assert book.targets["jcpoa"].cue_phrases("oppose") == ("decertify", "re:pull(s|ed|ing)? out of")
    assert load_codebook(book.to_dict()) == book
    bad = {**BOOK, "targets": {"jcpoa": {**BOOK["targets"]["jcpoa"], "cues": {"against": ["x"]}}}}
    with pytest.raises(CodebookError, match=r"targets.jcpoa.cues: unknown key 'against'"):
        load_codebook(bad)
    bad = {**BOOK, "targets": {"jcpoa": {**BOOK["targets"]["jcpoa"], "anaphors": "the deal"}}}
    with pytest.raises(CodebookError, match=r"targets.jcpoa.anaphors: must be a list"):
        load_codebook(bad)
    facts = {**BOOK, "facts": {"signing": {"label": "Signing", "patterns": ["signed"], "anaphors": ["it"]}}}
    with pytest.raises(CodebookError, match=r"facts.signing: unknown key 'anaphors'"):
        load_codebook(facts)


def test_a_dateline_is_never_an_actor():
    book = load_codebook({"name": "d", "actors": {"russia": {"name": "Government of Russia", "country": "Russia",
                          "kind": "government", "metonyms": ["Moscow"]}},
                          "targets": {"talks": {"label": "Talks", "patterns": ["peace talks"]}}})
    text = "MOSCOW (Reuters) - The peace talks were rejected. Moscow rejected the peace talks again."
    m = find_mentions(sentences(pd.DataFrame({"doc_id": ["a"], "text": [text]})), book)
    assert m.loc[m["kind"] == "actor", "start"].tolist() == [text.index("Moscow rejected")]
    st = extract_statements(pd.DataFrame({"doc_id": ["a"], "text": [text]}), book)
    assert st["evidence"].tolist() == ["Moscow rejected the peace talks again."]
