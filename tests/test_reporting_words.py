"""The one list of reporting verbs (resources/reporting_verbs.yaml) and what reads it."""

import pandas as pd

from diplomacy_lab.attribution.features import reporting_lexicon
from diplomacy_lab.attribution.rules import rule_verbs
from diplomacy_lab.statements.cues import load_cues
from diplomacy_lab.text.reporting import (
    holder_phrases,
    load_reporting_verbs,
    reporting_words,
    speech_phrases,
    word_kinds,
)


def test_every_reader_takes_its_words_from_the_one_list():
    words = reporting_words()
    lexicon = load_cues()
    # the tagger sees every single word of the list with its kind
    singles = words[~words["form"].str.contains(" ")]
    assert [reporting_lexicon()[f.lower()] for f in singles["form"]] == singles["kind"].tolist()
    assert reporting_lexicon()["according"] == "speech"  # the first word of "according to"
    assert reporting_lexicon() is word_kinds()
    # the rules' speech spans: every classed verb that takes words; the holder rules: the holder classes only
    for form in speech_phrases():
        assert lexicon.speech.fullmatch(form), form
    for form in holder_phrases():
        assert lexicon.reporting.fullmatch(form), form
    assert set(holder_phrases()) < set(speech_phrases())
    # the floor's verbs are a subset of the list, and the reporting-verb table is its classed part
    assert rule_verbs() <= set(words["form"].str.lower().str.split().str[0])
    assert set(load_reporting_verbs()["form"]) == set(words.loc[words["verb_class"].notna(), "form"])


def test_verbs_whose_object_is_a_person_or_a_thing_hold_no_speaker():
    lexicon = load_cues()
    for addressed in ("urged", "called for", "accused", "rejected", "blamed"):
        assert not lexicon.reporting.fullmatch(addressed), addressed
    assert lexicon.speech.fullmatch("accused") and not lexicon.speech.fullmatch("rejected")
    for tagger_only in ("reportedly", "believes", "statement"):
        assert not lexicon.speech.fullmatch(tagger_only) and tagger_only in word_kinds()


def test_a_user_list_without_classes_adds_nothing_to_the_table():
    extra = {"verbs": {"opine": {"kind": "speech", "forms": ["opined"]},
                       "muse": {"class": "tentative", "forms": ["mused"]}}}
    table = load_reporting_verbs(extra, extend=True)
    assert "muse" in set(table["lemma"]) and "opine" not in set(table["lemma"])
    assert isinstance(table, pd.DataFrame) and list(table.columns) == ["lemma", "verb_class", "form"]


def test_one_list_of_speaker_nouns():
    """Narration, voices and the reporting-verb table read ``speaker_nouns``; anonymous sources are a subset."""
    from diplomacy_lab.coverage import reporting_verbs
    from diplomacy_lab.statements import narration
    from diplomacy_lab.text.grammar import ANONYMOUS_SOURCES, SPEAKER_NOUNS

    assert set(ANONYMOUS_SOURCES) <= SPEAKER_NOUNS, sorted(set(ANONYMOUS_SOURCES) - SPEAKER_NOUNS)
    assert SPEAKER_NOUNS <= narration.SPEAKER_NOUNS
    assert all(reporting_verbs._SPEAKER_NOUN.fullmatch(noun) for noun in SPEAKER_NOUNS)
    assert not reporting_verbs._SPEAKER_NOUN.search("the officialdom")
