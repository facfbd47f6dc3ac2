"""The codebook compiled once: every step that searches text for the codebook reads this object.

:func:`compile_codebook` builds, once per codebook (and caches on it), the ``re:`` phrases as
compiled regexes, the mention matcher (a trie of every plain phrase, pronouns included), the
target pre-filter and the index of coordinated roles. ``find_mentions``, ``target_filter``,
coordination and the statements step share it, so a codebook is never compiled piecemeal.

>>> from diplomacy_lab.codebook.schema import load_codebook
>>> cb = load_codebook({"name": "d", "actors": {"a": {"name": "A", "country": "X", "aliases": ["A"],
...                     "roles": ["the French leader"]}},
...                     "targets": {"t": {"label": "T", "patterns": ["peace talks", "re:cease-?fire"]}}})
>>> compiled = compile_codebook(cb)
>>> compiled is compile_codebook(cb), [r.owner for r in compiled.regexes], compiled.coordinated_roles
(True, ['t'], {('french', 'leader'): 'a'})
>>> compiled.prefilter.search("A CEASEFIRE now")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diplomacy_lab.codebook.coordination import coordinated_role_index
from diplomacy_lab.codebook.schema import Codebook
from diplomacy_lab.text.grammar import PRONOUN_GENDERS
from diplomacy_lab.text.guard import GuardedPattern, compile_guarded
from diplomacy_lab.text.phrases import (
    REGEX_PREFIX,
    lower_regex,
    normalise_apostrophes,
    phrase_key,
    regex_source,
    required_literal,
)

__all__ = ["FACT_OWNER", "VIA_RANK", "CompiledCodebook", "CompiledRegex", "MentionMatcher", "TargetFilter",
           "compile_codebook", "is_word"]

FACT_OWNER = "fact:"  # prefix of a fact's id inside the matcher (ids cannot hold ":")
#: Preference between the ways an actor is named, when two phrases end at the same place.
VIA_RANK = {"alias": 0, "role": 1, "metonymy": 2}


def is_word(ch: str) -> bool:
    """Whether ``ch`` is a regex ``\\w`` character."""
    return ch.isalnum() or ch == "_"


def _trie_source(keys) -> str:
    """One regex for a set of phrase keys, as a trie: shared prefixes are matched once,
    and the longest key wins. A space in a key matches any run of whitespace; a key
    ending in a word character must not be followed by one."""
    root: dict = {}
    for key in keys:
        node = root
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict, last: str) -> str:
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + emit(node[ch], ch) for ch in sorted(node) if ch]
        if "" in node:  # a key ends here: tried after the longer keys
            alts.append(r"(?!\w)" if is_word(last) else "")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root, "")


@dataclass
class CompiledRegex:
    kind: str
    owner: str
    via: str
    rx: GuardedPattern
    lowered: bool  # searched in the lower-cased text (else in the original, ignoring case)
    literal: str = ""  # words every match contains (lowered regexes): a cheap test before the search


def _word_prefixes(key: str):
    """The lengths at which a key could end inside ``key``: where the trie's end check passes."""
    for i in range(1, len(key)):
        if key[i - 1] != " " and not (is_word(key[i - 1]) and is_word(key[i])):
            yield i
    yield len(key)


class MentionMatcher:
    """Everything ``find_mentions`` needs from a codebook, compiled.

    One regex (a trie of every plain phrase key, pronouns included) finds, at each word
    start, the longest key there. ``hits[key]`` then says what begins at that position,
    precomputed over the keys that are word-prefixes of it: the longest actor key (a
    shorter one loses anyway), the longest key of each target (targets do not hide each
    other), and a pronoun. Each hit is ``(owner, length)`` with the length in key characters.
    """

    def __init__(self, codebook: Codebook, regexes: list[CompiledRegex]):
        actor_keys: dict[str, tuple[str, int]] = {}
        target_keys: dict[str, tuple[str, ...]] = {}
        self.regexes = regexes
        for actor in codebook.actors.values():
            for phrase, via in actor.phrases:
                if not phrase.startswith(REGEX_PREFIX):
                    actor_keys[phrase_key(phrase)] = (actor.id, VIA_RANK[via])
        # Facts are matched like targets, under an owner name no target id can take.
        patterned = [(t.id, t.patterns) for t in codebook.targets.values()]
        patterned += [(FACT_OWNER + f.id, f.patterns) for f in codebook.facts.values()]
        for owner, patterns in patterned:
            for phrase in patterns:
                if not phrase.startswith(REGEX_PREFIX):
                    key = phrase_key(phrase)
                    owners = target_keys.get(key, ())
                    if owner not in owners:
                        target_keys[key] = (*owners, owner)
        self.actor_order = {a: i for i, a in enumerate(codebook.actors)}
        self.person_gender = {a.id: a.gender for a in codebook.actors.values() if a.kind == "person" and a.gender}

        self.hits: dict[str, tuple] = {}
        for key in {*actor_keys, *target_keys, *PRONOUN_GENDERS}:
            actor = pronoun = None
            targets: dict[str, int] = {}
            for n in _word_prefixes(key):
                prefix = key[:n]
                if prefix in actor_keys:
                    actor = (*actor_keys[prefix], n)
                for target in target_keys.get(prefix, ()):
                    targets[target] = n  # the longest wins: n grows
                if prefix in PRONOUN_GENDERS:
                    pronoun = (PRONOUN_GENDERS[prefix], n)
            self.hits[key] = (actor, tuple(targets.items()), pronoun)
        word = [k for k in self.hits if is_word(k[0])]
        other = [k for k in self.hits if not is_word(k[0])]
        alts = [rf"(?<!\w)(?=({_trie_source(word)}))"]
        if other:
            alts.append(rf"(?=({_trie_source(other)}))")
        self.scan = re.compile("|".join(alts))


def _compile_regex(kind: str, owner: str, via: str, phrase: str) -> CompiledRegex:
    """A ``re:`` phrase as it is searched: lowered when that is safe (with its required words), else case-insensitive."""
    source = regex_source(phrase[len(REGEX_PREFIX) :])
    lowered = lower_regex(source)
    if lowered is not None:  # user patterns run under a time limit (text.guard): a runaway regex cannot hang
        return CompiledRegex(kind, owner, via, compile_guarded(lowered, label=phrase), True, required_literal(lowered))
    return CompiledRegex(kind, owner, via, compile_guarded(source, re.IGNORECASE, label=phrase), False)


class TargetFilter:
    """Does a text hold any target pattern? Plain phrases by substring search on the lower-cased
    text with single spaces, ``re:`` phrases as lower-case regexes (case-insensitive ones only
    where a regex cannot be lowered). A superset test: the matcher decides what is a mention."""

    def __init__(self, codebook: Codebook, regexes: list[CompiledRegex]):
        self.phrases = [phrase_key(p) for t in codebook.targets.values() for p in t.patterns
                        if not p.startswith(REGEX_PREFIX)]
        targets = [r for r in regexes if r.kind == "target" and not r.owner.startswith(FACT_OWNER)]
        self.lowered = [(r.literal, r.rx) for r in targets if r.lowered]
        self.insensitive = [r.rx for r in targets if not r.lowered]

    def search(self, text: str) -> bool:
        normal = normalise_apostrophes(text)
        lower = " ".join(normal.lower().split())
        return (
            any(p in lower for p in self.phrases)
            # a regex runs only where the words it cannot match without are present
            or any(literal in lower and r.search(lower) for literal, r in self.lowered)
            or any(r.search(normal) for r in self.insensitive)
        )


class CompiledCodebook:
    """Everything the flow searches text for, compiled from one codebook: ``regexes`` (its
    ``re:`` phrases), ``mentions`` (the :class:`MentionMatcher`), ``prefilter`` (the
    :class:`TargetFilter`) and ``coordinated_roles`` ("French and British leaders")."""

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        self.regexes: list[CompiledRegex] = [
            _compile_regex("actor", actor.id, via, phrase)
            for actor in codebook.actors.values() for phrase, via in actor.phrases if phrase.startswith(REGEX_PREFIX)
        ]
        patterned = [(t.id, t.patterns) for t in codebook.targets.values()]
        patterned += [(FACT_OWNER + f.id, f.patterns) for f in codebook.facts.values()]
        self.regexes += [_compile_regex("target", owner, "pattern", phrase)
                         for owner, patterns in patterned for phrase in patterns if phrase.startswith(REGEX_PREFIX)]
        self.mentions = MentionMatcher(codebook, self.regexes)
        self.prefilter = TargetFilter(codebook, self.regexes)
        self.coordinated_roles = coordinated_role_index(codebook)


def compile_codebook(codebook: Codebook) -> CompiledCodebook:
    """The compiled form of ``codebook``, built on first use and kept with it."""
    compiled = codebook._cache.get("compiled")
    if compiled is None:
        compiled = codebook._cache["compiled"] = CompiledCodebook(codebook)
    return compiled
