"""Codebook v2 keys of a target: ``anaphors`` (back-references after the target is named) and ``cues``
(stance cues of this target only); of an actor: dated ``roles`` (a role names its holder at the
article's date) and ``speaker_only`` (names that count only as a subject or speaker)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import yaml

from diplomacy_lab import extract_statements, find_mentions, load_codebook, sentences
from diplomacy_lab.codebook.matcher import compile_codebook
from diplomacy_lab.codebook.schema import CodebookError
from diplomacy_lab.study import Study

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


def test_a_target_cue_outranks_a_global_cue_on_the_same_words():
    book = {"name": "troops", "actors": BOOK["actors"], "targets": {
        "pullout": {"label": "Withdrawal of US troops from Syria", "patterns": ["Syria"],
                    "cues": {"support": ["withdraw from"]}},
        "jcpoa": BOOK["targets"]["jcpoa"]}}
    arts = pd.DataFrame({"doc_id": ["a", "b"], "text": [
        "Trump decided to withdraw from Syria.", "Trump decided to withdraw from the JCPOA."]})
    st = extract_statements(arts, book)
    assert st[["doc_id", "target", "stance", "cue"]].values.tolist() == [
        ["a", "pullout", "support", "withdraw from"], ["b", "jcpoa", "oppose", "withdraw from"]]


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


# --- actors: dated roles and speaker_only phrases ----------------------------------------------------

US = {
    "name": "us",
    "actors": {
        "obama": {"name": "Barack Obama", "country": "US", "gender": "male", "aliases": ["Obama"],
                  "roles": ["the 44th president", {"phrase": "the president", "from": "2009-01-20", "to": "2017-01-19"}]},
        "trump": {"name": "Donald Trump", "country": "US", "gender": "male", "aliases": ["Trump"],
                  "roles": [{"phrase": "the president", "from": "2017-01-20", "to": "2021-01-19"}]},
        "iran": {"name": "Government of Iran", "country": "Iran", "kind": "government",
                 "aliases": ["the Iranian government"], "speaker_only": ["Iran", "Tehran"]},
    },
    "targets": {"jcpoa": {"label": "The Iran nuclear deal", "patterns": ["nuclear deal"]}},
}


def actors_in(texts: dict[str, str], dates: dict[str, object] | None = None, book=US, **kw) -> list[tuple]:
    """(doc_id, actor, surface, via) of the actor mentions of ``texts`` (doc_id -> text) dated by ``dates``."""
    arts = pd.DataFrame({"doc_id": list(texts), "text": list(texts.values())})
    if dates is not None:
        arts["date"] = [dates.get(d) for d in texts]
        kw.setdefault("dates", arts)
    m = find_mentions(sentences(arts), load_codebook(book), **kw)
    m = m[m["kind"] == "actor"]
    return list(zip(m["doc_id"], m["id"], m["surface"], m["via"]))


def test_a_dated_role_names_the_holder_at_the_article_date():
    texts = {"a": "The president praised the nuclear deal.", "b": "The president attacked the nuclear deal."}
    assert actors_in(texts, {"a": "2015-07-14", "b": "2018-05-08"}) == [
        ("a", "obama", "The president", "role"), ("b", "trump", "The president", "role")]
    # the handover days, both ends inclusive
    assert [a for _, a, _, _ in actors_in(texts, {"a": "2017-01-19", "b": "2017-01-20"})] == ["obama", "trump"]
    # after the last interval, nobody; an undated role keeps counting at any date
    assert actors_in({"c": "The president and the 44th president met."}, {"c": "2022-03-01"}) == [
        ("c", "obama", "the 44th president", "role")]


def test_dated_roles_reach_statements_and_the_study():
    arts = pd.DataFrame({"doc_id": ["a", "b"], "date": pd.to_datetime(["2015-07-14", "2018-05-08"]),
                         "text": ["The president welcomed the nuclear deal.", "The president rejected the nuclear deal."]})
    want = [["a", "obama", "support"], ["b", "trump", "oppose"]]
    for focused in (True, False):
        st = extract_statements(arts, US, focused=focused)
        assert st[["doc_id", "actor", "stance"]].values.tolist() == want
    study = Study(arts, US)
    assert study.statements[["doc_id", "actor", "stance"]].values.tolist() == want
    assert study.mentions["id"].tolist() == ["obama", "jcpoa", "trump", "jcpoa"]


def test_an_undated_or_vague_article_gets_no_dated_role_it_cannot_pin_down():
    text = {"x": "The president spoke about the nuclear deal."}
    assert actors_in(text, {"x": None}) == []
    assert actors_in(text, {"x": "2017-01"}) == []          # the month overlaps both terms: a guess
    assert actors_in(text, {"x": "2018-05"})[0][1] == "trump"  # month precision inside one term
    assert actors_in(text, {"x": "2015"})[0][1] == "obama"     # year precision
    arts = pd.DataFrame({"doc_id": ["x"], "text": text["x"], "date": pd.to_datetime(["2017-01-01"]),
                         "date_precision": ["month"]})
    assert actors_in(text, dates=arts) == []                 # date_precision is read: all of January 2017
    assert actors_in(text, dates={"x": pd.Timestamp("2017-01-01")})[0][1] == "obama"  # a day
    with pytest.warns(UserWarning, match="no article dates"):
        assert actors_in(text) == []
    sents = sentences(pd.DataFrame({"doc_id": ["x"], "text": text["x"]})).assign(date="2019-02-02")
    assert find_mentions(sents, load_codebook(US))["id"].tolist() == ["trump", "jcpoa"]  # the sentences' own dates


def test_one_actor_may_hold_a_role_twice_and_overlaps_are_errors():
    putin = {"name": "Vladimir Putin", "country": "Russia", "roles": [
        {"phrase": "the Russian president", "from": 2000, "to": "2008-05-06"},
        {"phrase": "the Russian president", "from": "2012-05-07"}]}
    medvedev = {"name": "Dmitry Medvedev", "country": "Russia",
                "roles": [{"phrase": "the Russian president", "from": "2008-05-07", "to": "2012-05-06"}]}
    book = {**US, "actors": {"putin": putin, "medvedev": medvedev}}
    text = {"a": "The Russian president spoke.", "b": "The Russian president spoke.", "c": "The Russian president spoke."}
    got = actors_in(text, {"a": "2004-01-01", "b": "2010-01-01", "c": "2024-01-01"}, book=book)
    assert [a for _, a, _, _ in got] == ["putin", "medvedev", "putin"]
    overlapping = {**US, "actors": {**US["actors"], "trump": {**US["actors"]["trump"], "roles": [
        {"phrase": "The  President", "from": "2017-01-19"}]}}}
    with pytest.raises(CodebookError, match=r"actors\.trump\.roles: the role 'The President' \(from 2017-01-19\) "
                                            r"overlaps the same role of actors\.obama \(2009-01-20 to 2017-01-19\)"):
        load_codebook(overlapping)
    undated = {**US, "actors": {**US["actors"], "trump": {**US["actors"]["trump"], "roles": ["the president"]}}}
    with pytest.raises(CodebookError, match=r"also names actors\.obama \(roles\).*all its entries are dated"):
        load_codebook(undated)
    twice = {**book, "actors": {"putin": {**putin, "roles": [*putin["roles"], {"phrase": "the Russian president",
                                                                                "from": "2007", "to": "2009"}]}}}
    with pytest.raises(CodebookError, match=r"actors\.putin\.roles: the role 'the Russian president' is listed twice "
                                            r"with overlapping dates \(2000-01-01 to 2008-05-06 and 2007-01-01 to "
                                            r"2009-12-31\)"):
        load_codebook(twice)


@pytest.mark.parametrize("text, counts", [
    ("Iran insists the deal stands.", True),
    ("Iran said it would not renegotiate.", True),
    ("Tehran has repeatedly warned Washington.", True),
    ("Iran, a signatory of the nuclear deal, denied the claim.", True),
    ("Iran flatly rejected the offer.", True),
    ("Russia and Iran signed a pact.", True),
    ("Iran and Russia say the deal stands.", True),
    ('"We will comply," said Iran.', True),
    ("Hours after Iran fired missiles, oil rose.", True),
    ("Oil rose after Iran.", False),
    ("Washington imposed new sanctions on Iran.", False),
    ("Europe held talks with Iran in Vienna.", False),
    ("Talks with Russia and Iran stalled.", False),
    ("Iran's foreign minister spoke.", False),
    ("The Iran deal was signed.", False),
    ("Iran sanctions were lifted.", False),
    ("Iran-backed militias fired rockets.", False),
    ("A visit by Iran was planned.", False),
    ("Israel fears Iran.", False),
])
def test_a_speaker_only_phrase_counts_only_as_subject_or_speaker(text, counts):
    got = [(a, s, via) for _, a, s, via in actors_in({"a": text})]
    name = "Tehran" if "Tehran" in text else "Iran"
    assert got == ([("iran", name, "speaker_only")] if counts else [])


def test_speaker_only_in_statements_and_beside_aliases():
    arts = pd.DataFrame({"doc_id": ["a", "b"], "text": [
        "Iran welcomed the nuclear deal.", "Washington put sanctions on Iran to save the nuclear deal."]})
    st = extract_statements(arts, US)
    assert st[["doc_id", "actor", "stance", "via"]].values.tolist() == [["a", "iran", "support", "speaker_only"]]
    # an alias of the same actor still counts anywhere; the longer phrase wins as usual
    assert actors_in({"a": "Sanctions on the Iranian government. Tehran's envoy left."}) == [
        ("a", "iran", "the Iranian government", "alias")]


def test_context_phrases_may_be_regexes_and_cost_nothing_when_absent(seed, seed_codebook):
    book = {**US, "actors": {"obama": {"name": "Barack Obama", "country": "US",
                                       "roles": [{"phrase": "re:the (us )?president", "to": "2017-01-19"}]},
                             "iran": {"name": "Iran", "country": "Iran", "speaker_only": ["re:(the )?islamic republic"]}}}
    got = actors_in({"a": "The US president said the Islamic Republic would comply. He met the Islamic Republic."},
                    {"a": "2016-03-03"}, book=book)
    assert got == [("a", "obama", "The US president", "role"), ("a", "iran", "the Islamic Republic", "speaker_only")]
    compiled = compile_codebook(seed_codebook)
    assert not compiled.context and compiled.context.scan is None
    sents = sentences(seed)
    pd.testing.assert_frame_equal(find_mentions(sents, seed_codebook), find_mentions(sents, seed_codebook, dates=seed))


def test_v2_actor_keys_round_trip_and_show_in_tables():
    book = load_codebook(US)
    assert load_codebook(book.to_dict()) == book
    assert load_codebook(yaml.safe_load(book.to_yaml())) == book
    assert book.to_dict()["actors"]["obama"]["roles"] == [
        "the 44th president", {"phrase": "the president", "from": dt.date(2009, 1, 20), "to": dt.date(2017, 1, 19)}]
    assert book.actors_table().set_index("actor")["n_phrases"].to_dict() == {"obama": 3, "trump": 2, "iran": 3}
    assert "Iran" in book.proper_nouns()
    dated = load_codebook(with_actor(roles=[{"phrase": "the Oval Office", "to": 2017}], speaker_only=["the White House"]))
    assert {"Oval", "Office", "White", "House"} <= dated.proper_nouns()
    assert book.actors["obama"].phrases == (("Obama", "alias"), ("the 44th president", "role"))


def with_actor(**entry) -> dict:
    return {**US, "actors": {"obama": {"name": "Barack Obama", "country": "US", **entry}}}


@pytest.mark.parametrize("entry, message", [
    ({"roles": [{"phrase": "the president", "from": "2013-13-01"}]},
     r"actors\.obama\.roles\[0\]\.from: '2013-13-01' is not a date \(month must be in 1\.\.12\): write a date YYYY-MM-DD"),
    ({"roles": ["x", {"phrase": "the president", "to": "Jan 2017"}]},
     r"actors\.obama\.roles\[1\]\.to: 'Jan 2017' is not a date: write a date YYYY-MM-DD"),
    ({"roles": [{"phrase": "the president", "from": True}]}, r"roles\[0\]\.from: is True, not a date"),
    ({"roles": [{"phrase": "the president", "from": None}]}, r"roles\[0\]\.from: is empty, not a date"),
    ({"roles": [{"phrase": "the president", "from": "2017-01-20", "to": "2009-01-20"}]},
     r"actors\.obama\.roles\[0\]: from 2017-01-20 is after to 2009-01-20: swap them"),
    ({"roles": [{"phrase": "the president", "form": "2009"}]},
     r"actors\.obama\.roles\[0\]: unknown key 'form' \(did you mean 'from'\?\); the allowed keys are phrase, from, to"),
    ({"roles": [{"from": "2009"}]}, r"actors\.obama\.roles\[0\]: missing required key\(s\) phrase"),
    ({"roles": [{"phrase": 44, "from": "2009"}]}, r"roles\[0\]\.phrase: 44 is not a string"),
    ({"aliases": ["Obama"], "speaker_only": ["obama"]},
     r"actors\.obama: the phrase 'obama' is both in aliases \(it names the actor anywhere\) and in speaker_only"),
    ({"speaker_only": "Obama"}, r"actors\.obama\.speaker_only: must be a list, got a string"),
    ({"speaker_only": []}, r"actors\.obama\.speaker_only: is an empty list"),
    ({"speakers_only": ["Obama"]}, r"unknown key 'speakers_only' \(did you mean 'speaker_only'\?\)"),
])
def test_bad_dated_roles_and_speaker_only_entries_are_named(entry, message):
    with pytest.raises(CodebookError, match=message):
        load_codebook(with_actor(**entry))


def test_month_and_year_bounds_cover_the_whole_period():
    role = load_codebook(with_actor(roles=[{"phrase": "the president", "from": "2009-01", "to": 2016}])
                         ).actors["obama"].dated_roles[0]
    assert (role.start, role.end) == (dt.date(2009, 1, 1), dt.date(2016, 12, 31))
    feb = load_codebook(with_actor(roles=[{"phrase": "p", "to": "2016-02"}])).actors["obama"].dated_roles[0]
    assert feb.end == dt.date(2016, 2, 29)
    # a mapping without dates is a plain role
    assert load_codebook(with_actor(roles=[{"phrase": "the president"}])).actors["obama"].roles == ("the president",)
