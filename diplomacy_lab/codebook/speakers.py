"""speaker_only phrases: is a name here the subject or the speaker of its sentence?

A codebook's ``speaker_only: [Iran, Tehran]`` lists names that denote an actor only when the
actor acts or speaks: "Iran insists the deal stands", "Tehran has said", not "sanctions on
Iran", "talks with Iran", "Iran's foreign minister", "the Iran deal". :func:`is_speaker` reads
the words around the name, with no parser:

* **before**: no preposition governs the name (``object_markers`` and ``speaker_blockers`` of
  ``resources/english.yaml``); determiners, other names and "and"/"or"/"," are skipped on the
  way back ("sanctions on Russia and Iran" is an object, "Russia and Iran said" is not). A
  preposition that also starts a clause (``clause_prepositions``: "hours after Iran fired")
  leaves it to the verb;
* **after**: a finite verb: an auxiliary ("has", "will", "won't"), a listed verb in any of its
  forms ("insists", "denied", "said") or another past tense in -ed ("rejected"); an apposition
  between commas or brackets, a coordinated name ("and Russia") and up to three adverbs
  ("also", "flatly") may come between. A participle that also makes compound adjectives
  ("Iran backed militias") counts only before a determiner or a pronoun ("Iran backed the deal");
* or **inverted speech** after a quote or a comma: '"We will not," said Iran.'
* never a possessive ("Iran's"), nor part of a hyphenated compound ("Iran-backed", "US-Iran").

>>> t = "Iran insists the deal stands, despite sanctions on Iran."
>>> is_speaker(t, 0, 4), is_speaker(t, t.rindex("Iran"), t.rindex("Iran") + 4)
(True, False)
>>> [is_speaker(s, s.index("Iran"), s.index("Iran") + 4) for s in [
...     "Iran, a signatory of the deal, has repeatedly warned Europe.", "Talks with Iran resumed.",
...     "Russia and Iran said no.", "The Iran deal collapsed.", "Iran's minister spoke.",
...     '"No," said Iran.', "Iran backed militias fired.", "Iran backed the deal."]]
[True, False, True, False, False, True, False, True]
"""

from __future__ import annotations

import re

from diplomacy_lab.text.grammar import (
    AMBIGUOUS_PARTICIPLES,
    CLAUSE_PREPOSITIONS,
    DETERMINERS,
    OBJECT_MARKERS,
    OBJECT_PRONOUNS,
    SPEAKER_AUXILIARIES,
    SPEAKER_BLOCKERS,
    SPEAKER_VERB_FORMS,
    VERB_GAP_WORDS,
)
from diplomacy_lab.text.reporting import holder_phrases

__all__ = ["is_speaker"]

#: Verbs of speech that put their speaker after them, after a quote or a comma ('"...," said Iran'):
#: the one-word forms of the holder verbs of the package's one list of reporting verbs.
INVERTED_SPEECH_VERBS = frozenset(form.lower() for form in holder_phrases() if " " not in form)

#: Words, and the punctuation the rules read (a word may hold an apostrophe or a hyphen).
_TOKEN = re.compile(r"\w(?:[\w'’-]*\w)?|[^\w\s]")
_REACH = 160  # characters read on each side of the name
_APPOSITION = 10  # tokens an apposition or a parenthesis may hold
_ADVERBS = 3  # adverbs allowed between the name (or its apposition) and the verb
_BACK = 8  # tokens skipped on the way back (determiners, names, and/or, commas)
_QUOTES = frozenset("\"'“”’,")
_BLOCKERS = (OBJECT_MARKERS | SPEAKER_BLOCKERS) - CLAUSE_PREPOSITIONS
_STOPS = frozenset(".!?;:")
_HYPHENS = frozenset("-‑–")


def _finite(word: str, following: str) -> bool:
    """Whether ``word`` (lower case) is a finite verb, ``following`` being the next token."""
    if word in SPEAKER_AUXILIARIES or word.endswith(("n't", "n’t")):
        return True
    if word in AMBIGUOUS_PARTICIPLES:
        return following in DETERMINERS or following in OBJECT_PRONOUNS
    if word in SPEAKER_VERB_FORMS:
        return True
    return len(word) >= 5 and word.endswith("ed") and not word.endswith("eed") and word.isalpha()


def _skip_enclosed(tokens: list[str], i: int, close: str) -> int | None:
    """The index after the ``close`` token that ends the apposition opening at ``tokens[i]``, or None."""
    for j in range(i + 1, min(len(tokens), i + 2 + _APPOSITION)):
        if tokens[j] == close:
            return j + 1
        if tokens[j] in _STOPS:
            return None
    return None


def _verb_follows(tokens: list[str]) -> bool:
    i = 0
    if tokens and tokens[0] in (",", "("):
        after = _skip_enclosed(tokens, 0, "," if tokens[0] == "," else ")")
        if after is None:
            return False
        i = after
    if i < len(tokens) and tokens[i].lower() in ("and", "or"):
        j = i + 1
        while j < len(tokens) and j <= i + 4 and (tokens[j][0].isupper() or tokens[j].lower() in DETERMINERS):
            j += 1
        if not any(t[0].isupper() for t in tokens[i + 1 : j]):
            return False
        i = j
    adverbs = 0
    while i < len(tokens):
        word = tokens[i].lower()
        following = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        if _finite(word, following):
            return True
        if adverbs < _ADVERBS and (word in VERB_GAP_WORDS or (word.endswith("ly") and len(word) > 4)):
            adverbs += 1
            i += 1
            continue
        return False
    return False


def _governed(before: list[str]) -> bool:
    """Whether a preposition governs the name, reading ``before`` (tokens, nearest last) backwards."""
    for token in reversed(before[-_BACK:]):
        low = token.lower()
        if low in _BLOCKERS:
            return True
        if low in DETERMINERS or low in ("and", "or", ",") or token[0].isupper():
            continue
        return False
    return False


def is_speaker(text: str, start: int, end: int) -> bool:
    """Whether the name at ``text[start:end]`` is the subject or the speaker of its sentence (see the module).

    ``text`` is one sentence (or any text whose sentence ends are punctuated).
    """
    if text[end : end + 1] in _HYPHENS or (start and text[start - 1] in _HYPHENS):
        return False  # "Iran-backed", "US-Iran talks"
    if re.match(r"['’]s\b", text[end : end + 3]):
        return False
    before = _TOKEN.findall(text[max(0, start - _REACH) : start])
    if len(before) >= 2 and before[-1].lower() in INVERTED_SPEECH_VERBS and before[-2] in _QUOTES:
        return True
    if _governed(before):
        return False
    return _verb_follows(_TOKEN.findall(text[end : end + _REACH]))
