"""Coordinated roles: "French and British leaders" names the French leader and the British leader.

A codebook lists roles one actor at a time ("the French leader", "British Prime Minister").
News writes them coordinated, with the head noun in the plural: "French and British
leaders", "the Polish, Czech and Greek prime ministers". :func:`coordinated_role_spans`
finds such phrases and returns one span per adjective whose singular role the codebook
knows, so each leader gets a mention of their own (``via = role``).

>>> from diplomacy_lab.codebook.schema import load_codebook
>>> cb = load_codebook({"name": "d", "targets": {"t": {"label": "T", "patterns": ["t"]}}, "actors": {
...     "macron": {"name": "Emmanuel Macron", "country": "France", "roles": ["the French leader"]},
...     "starmer": {"name": "Keir Starmer", "country": "UK", "roles": ["British Prime Minister"]}}})
>>> index = coordinated_role_index(cb)
>>> coordinated_role_spans("french and british leaders met.", index)
[(0, 6, 'macron'), (11, 18, 'starmer')]
>>> coordinated_role_spans("the french and british presidents", index)  # no "British president"
[]
"""

from __future__ import annotations

import re

from diplomacy_lab.codebook.schema import Codebook
from diplomacy_lab.text.grammar import COORDINATION_STOP_WORDS
from diplomacy_lab.text.phrases import REGEX_PREFIX, phrase_key

#: Plural head nouns of coordinated roles, and their singular forms in roles.
HEADS = {
    "leaders": ("leader", "president", "prime minister", "premier", "chancellor"),  # in this order
    "presidents": ("president",),
    "prime ministers": ("prime minister", "pm", "premier"),
    "chancellors": ("chancellor",),
    "premiers": ("premier", "prime minister"),
    "governments": ("government",),
    "foreign ministers": ("foreign minister",),
    "defence ministers": ("defence minister", "defense minister"),
    "defense ministers": ("defense minister", "defence minister"),
}
_ADJ = r"[a-z][a-z-]+"
_HEADS = "|".join(h.replace(" ", r"\s+") for h in HEADS)
_HEAD = re.compile(rf"\s({_HEADS})(?!\w)")  # found first: far rarer than the adjectives before it
_COORDINATED = re.compile(rf"(?<![\w-])((?:{_ADJ},\s+)*{_ADJ},?\s+and\s+{_ADJ})$")
_REACH = 160  # characters before the head searched for the adjectives
_ADJ_IN = re.compile(_ADJ)


def coordinated_role_index(codebook: Codebook) -> dict[tuple[str, str], str]:
    """``(adjective, singular head) -> actor id`` from the codebook's plain roles and aliases
    of the form "[the] <adjective> <head>" ("the French leader" -> ``("french", "leader")``).

    An adjective-head pair claimed by two actors is left out: it would be a guess.
    """
    singulars = {s for forms in HEADS.values() for s in forms}
    index: dict[tuple[str, str], str] = {}
    clashes: set[tuple[str, str]] = set()
    for actor in codebook.actors.values():
        for phrase in (*actor.roles, *actor.aliases):
            if phrase.startswith(REGEX_PREFIX):
                continue
            words = phrase_key(phrase).split()
            if words and words[0] == "the":
                words = words[1:]
            if len(words) < 2:
                continue
            adjective, head = words[0], " ".join(words[1:])
            if head not in singulars or not _ADJ_IN.fullmatch(adjective):
                continue
            key = (adjective, head)
            if index.get(key, actor.id) != actor.id:
                clashes.add(key)
            index[key] = actor.id
    for key in clashes:
        index.pop(key)
    return index


def coordinated_role_spans(low: str, index: dict[tuple[str, str], str]) -> list[tuple[int, int, str]]:
    """``(start, end, actor)`` of each adjective of a coordinated role phrase in ``low`` (lower-case
    text) that ``index`` knows; adjectives it does not know ("other", "Baltic") give nothing."""
    if not index:
        return []
    out = []
    for h in _HEAD.finditer(low):
        lo = max(0, h.start() - _REACH)
        m = _COORDINATED.search(low, lo, h.start())
        if m is None:
            continue
        head = " ".join(h.group(1).split())
        for adj in _ADJ_IN.finditer(m.group(1)):
            word = adj.group()
            if word in COORDINATION_STOP_WORDS:
                continue
            actor = next((index[(word, s)] for s in HEADS[head] if (word, s) in index), None)
            if actor is not None:
                out.append((m.start(1) + adj.start(), m.start(1) + adj.end(), actor))
    return out
