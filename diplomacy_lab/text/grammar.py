"""English word lists the sentence rules share (``resources/english.yaml``), and proper nouns read off a corpus.

The lists are grammar, not domain knowledge: determiners, object markers, gendered pronouns,
words between a subject and its verb, capitalised words that are not names. They are read once.

>>> "the" in DETERMINERS and "against" in OBJECT_MARKERS
True
>>> PRONOUN_GENDERS["her"]
'female'
>>> sorted(proper_nouns(["Talks in Europe stalled.", "The talks resumed in Europe and in Kyiv."]))
['Europe', 'Kyiv']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from diplomacy_lab.paths import resource_path
from diplomacy_lab.text.lexicons import read_yaml

__all__ = [
    "AMBIGUOUS_PARTICIPLES", "ANONYMOUS_SOURCES", "ATTRIBUTIVE_DETERMINERS", "CLAUSE_PREPOSITIONS",
    "COORDINATION_STOP_WORDS", "COUNTRY_NAMES", "DETERMINERS", "HOLDER_PASSIVES",
    "NOT_NAMES", "OBJECT_MARKERS", "OBJECT_PRONOUNS", "ORGANISATION_WORDS", "OTHER_PRONOUNS", "PRONOUN_GENDERS",
    "SOURCE_TITLES", "SPEAKER_AUXILIARIES", "SPEAKER_BLOCKERS", "SPEAKER_NOUNS", "SPEAKER_VERB_FORMS", "VERB_GAP_WORDS",
    "proper_nouns", "verb_forms",
]


def _lists() -> dict:
    path = resource_path("english.yaml")
    data = read_yaml(path, "English word list")

    def words(value, key):
        if isinstance(value, dict):
            return {k: words(v, f"{key}.{k}") for k, v in value.items()}
        bad = [w for w in value if not isinstance(w, str)]
        if bad:
            raise ValueError(f"{path}: {key} holds {bad}, not words: quote yes/no/on/off in YAML")
        return value

    return {key: words(value, key) for key, value in data.items()}


_DATA = _lists()
#: Words that make the next word a noun ("a warning", "her claims").
DETERMINERS = frozenset(_DATA["determiners"])
#: Determiners after which a one-word stance cue modifies a noun ("a proposed coalition").
ATTRIBUTIVE_DETERMINERS = frozenset(_DATA["attributive_determiners"])
#: Words after which an actor mention is an object, not a holder.
OBJECT_MARKERS = frozenset(_DATA["object_markers"])
#: Passive participles after which "by X" makes X the holder ("led by X").
HOLDER_PASSIVES = frozenset(_DATA["holder_passives"])
#: Pronoun -> gender of the person it refers to.
PRONOUN_GENDERS = {p: gender for gender, words in _DATA["gendered_pronouns"].items() for p in words}
#: Words allowed between a subject and its verb ("has also repeatedly said").
VERB_GAP_WORDS = frozenset(_DATA["verb_gap_words"])
#: Capitalised words that start sentences or clauses but are not names.
NOT_NAMES = frozenset(_DATA["not_names"])
#: Words that cannot be the adjective of a coordinated role ("the other leaders").
COORDINATION_STOP_WORDS = frozenset(_DATA["coordination_stop_words"])
#: Nouns that can be the speaker of a speech verb ("officials said"), lower case: the one list.
SPEAKER_NOUNS = frozenset(_DATA["speaker_nouns"])
#: Noun of an unnamed source (lower case) -> the label it is counted under ("official" -> "officials").
ANONYMOUS_SOURCES = {form: label for label, forms in _DATA["anonymous_sources"].items() for form in forms}
#: Pronouns that are not gendered ("they", "we"), lower case.
OTHER_PRONOUNS = frozenset(_DATA["other_pronouns"])
#: Titles stripped from a source's name ("Foreign Minister Sergei Lavrov" -> "Sergei Lavrov"), lower case.
SOURCE_TITLES = frozenset(_DATA["source_titles"])
#: Last words of organisation names ("the Foreign Ministry"), lower case.
ORGANISATION_WORDS = frozenset(_DATA["organisation_words"])
#: Country names and capitals standing for governments, as written ("Russia", "U.S", "Moscow").
COUNTRY_NAMES = frozenset(_DATA["country_names"])


def verb_forms(bases: Iterable[str]) -> frozenset[str]:
    """Each base verb with its -s/-es and -d/-ed forms (-ies/-ied after a consonant and y).

    >>> sorted(verb_forms(["deny", "stay", "urge", "push"]))
    ['denied', 'denies', 'deny', 'push', 'pushed', 'pushes', 'stay', 'stayed', 'stays', 'urge', 'urged', 'urges']
    """
    forms = set()
    for base in bases:
        forms.add(base)
        if base.endswith("y") and len(base) > 1 and base[-2] not in "aeiou":
            forms.update((base[:-1] + "ies", base[:-1] + "ied"))
        elif base.endswith("e"):
            forms.update((base + "s", base + "d"))
        else:
            forms.update((base + ("es" if base.endswith(("s", "sh", "ch", "x", "z", "o")) else "s"), base + "ed"))
    return frozenset(forms)


# speaker_only phrases (diplomacy_lab.codebook.speakers): "Iran said", not "sanctions on Iran".
#: Words before a name that make it an object, besides :data:`OBJECT_MARKERS` ("by", "like").
SPEAKER_BLOCKERS = frozenset(_DATA["speaker_blockers"])
#: Prepositions that also start a clause ("after Iran fired"): a verb after the name makes it a subject.
CLAUSE_PREPOSITIONS = frozenset(_DATA["clause_prepositions"])
#: Auxiliaries and modals after a name that make it a subject ("Iran has", "Iran will").
SPEAKER_AUXILIARIES = frozenset(_DATA["speaker_auxiliaries"])
#: Finite verb forms after a name that make it a subject ("insists", "denied", "said").
SPEAKER_VERB_FORMS = verb_forms(_DATA["speaker_verbs"]) | frozenset(_DATA["speaker_irregular_verbs"])
#: Participles that also make compound adjectives ("Iran backed militias"): verbs only before an object.
AMBIGUOUS_PARTICIPLES = frozenset(_DATA["ambiguous_participles"])
#: Pronouns that can be the object of a verb ("backed it").
OBJECT_PRONOUNS = frozenset(_DATA["object_pronouns"])

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s+|\n\s*)$")


def proper_nouns(texts: Iterable[str]) -> frozenset[str]:
    """Words written with a capital in the middle of a sentence and never in lower case in
    ``texts``: names ("Europe", "Kyiv"), read off the corpus instead of a hand-made list."""
    capital, lower = set(), set()
    for text in texts:
        if not isinstance(text, str):
            continue
        for m in _WORD.finditer(text):
            word = m.group()
            if word[0].islower():
                lower.add(word.lower())
            elif not _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()]):
                capital.add(word)
    return frozenset(w for w in capital if w.lower() not in lower)
