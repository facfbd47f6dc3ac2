"""The codebook compiled once: every step that searches text for the codebook reads this object.

:func:`compile_codebook` builds, once per codebook (and caches on it), the ``re:`` phrases as
compiled regexes, the mention matcher (a trie of every plain phrase, pronouns included), the
phrases that count only in context (dated roles, speaker_only phrases: a trie of their own,
empty for most codebooks), the target pre-filter and the index of coordinated roles. ``find_mentions``, ``target_filter``,
coordination and the statements step share it, so a codebook is never compiled piecemeal.

>>> from diplomacy_lab.codebook.schema import load_codebook
>>> cb = load_codebook({"name": "d", "actors": {"a": {"name": "A", "country": "X", "aliases": ["A"],
...                     "roles": ["the French leader"]}},
...                     "targets": {"t": {"label": "T", "patterns": ["peace talks", "re:cease-?fire"]}}})
>>> compiled = compile_codebook(cb)
>>> compiled is compile_codebook(cb), [r.owner for r in compiled.regexes], compiled.coordinated_roles
(True, ['t'], {('french', 'leader'): 'a'})
>>> compiled.prefilter.search("A CEASEFIRE now"), compiled.prefilter.spans("Peace\\n talks, a CEASEFIRE now")
(True, [(0, 12), (16, 25)])
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

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
    required_literals,
)

__all__ = ["FACT_OWNER", "VIA_RANK", "CompiledCodebook", "CompiledRegex", "ContextPhrases", "MentionMatcher",
           "TargetFilter", "compile_codebook", "is_word", "key_ends"]

FACT_OWNER = "fact:"  # prefix of a fact's id inside the matcher (ids cannot hold ":")
#: Preference between the ways an actor is named, when two phrases end at the same place.
VIA_RANK = {"alias": 0, "role": 1, "metonymy": 2, "speaker_only": 3}


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
    literals: tuple[str, ...] = ()  # strings of which every match contains one (lowered regexes)


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
        return CompiledRegex(kind, owner, via, compile_guarded(lowered, label=phrase), True, required_literal(lowered),
                             required_literals(lowered))
    return CompiledRegex(kind, owner, via, compile_guarded(source, re.IGNORECASE, label=phrase), False)


def _phrase_check(key: str) -> re.Pattern:
    """The regex of a plain phrase key as the trie matches it: any whitespace run for a space,
    not ending inside a word. (Not beginning inside a word is checked after the search, which
    keeps the regex engine's fast scan for a literal start.) Sentence edges in an article never
    fall inside a word, so searching the whole text finds what the matcher finds sentence by sentence."""
    body = r"\s+".join(map(re.escape, key.split(" ")))
    return re.compile(body + (r"(?!\w)" if is_word(key[-1]) else ""))


def _checked(rx: re.Pattern, low: str, word_start: bool):
    """Non-empty matches of ``rx`` in ``low``; with ``word_start``, none beginning inside a word
    (the search goes on one character later, as the matcher's does)."""
    pos, n = 0, len(low)
    while pos <= n:
        m = rx.search(low, pos)
        if m is None:
            return
        s, e = m.span()
        if e == s or (word_start and s > 0 and is_word(low[s - 1])):
            pos = s + 1
            continue
        yield s, e
        pos = e


class TargetFilter:
    """Where can a text hold a target? A superset test: the matcher decides what is a mention.

    One Aho–Corasick pass (``pyahocorasick``) over the lower-cased text finds the guards of
    every target phrase: the longest word of a plain phrase, and for a ``re:`` phrase the
    strings of which every match holds one (:func:`~diplomacy_lab.text.phrases.required_literals`).
    Only a phrase whose guard is there is then checked: a plain phrase by a regex that lets any
    whitespace run stand for its spaces, on word boundaries as the trie does, a ``re:`` phrase
    by its own regex. Regexes without a guard of at
    least :data:`MIN_GUARD` characters run on every text (``unguarded`` lists them), as do the
    few that cannot be lowered (searched in the original text, ignoring case).

    ``search(text)`` says whether any target phrase is there; ``spans(text)`` gives where
    (offsets into ``text``), which is how ``extract_statements`` splits and matches only the
    parts of an article that can hold a statement.
    """

    #: Shorter guards ("a", " ") would fire everywhere: such a regex runs unguarded instead.
    MIN_GUARD = 3

    def __init__(self, codebook: Codebook, regexes: list[CompiledRegex]):
        self.phrases = list(dict.fromkeys(phrase_key(p) for t in codebook.targets.values() for p in t.patterns
                                          if not p.startswith(REGEX_PREFIX)))
        targets = [r for r in regexes if r.kind == "target" and not r.owner.startswith(FACT_OWNER)]
        self.lowered = [(r.literals, r.rx) for r in targets if r.lowered]
        self.insensitive = [r.rx for r in targets if not r.lowered]
        # The checks run on the lower-cased text once their guard is found: plain phrases, then regexes.
        self.checks: list[re.Pattern] = [_phrase_check(key) for key in self.phrases]
        self._word_start = [is_word(key[0]) for key in self.phrases]
        guards: dict[str, list[int]] = {}
        for i, key in enumerate(self.phrases):
            guards.setdefault(max(key.split(" "), key=len), []).append(i)
        self.unguarded: list[re.Pattern] = []
        unguarded_ids = []
        for literals, rx in self.lowered:
            i = len(self.checks)
            self.checks.append(rx)
            self._word_start.append(False)
            if literals and min(map(len, literals)) >= self.MIN_GUARD:
                for literal in literals:
                    guards.setdefault(literal, []).append(i)
            else:
                self.unguarded.append(rx)
                unguarded_ids.append(i)
        self._always = tuple(unguarded_ids)
        self._automaton = None
        if guards:
            self._automaton = ahocorasick.Automaton()
            for literal, ids in guards.items():
                self._automaton.add_word(literal, tuple(ids))
            self._automaton.make_automaton()

    @staticmethod
    def lower(text: str) -> str:
        """``text`` as the matcher searches it: apostrophes normalised, lower case, same length."""
        return normalise_apostrophes(text).replace("\u0130", "I").lower()

    def _found(self, text: str, first: bool) -> list[tuple[int, int]]:
        if not isinstance(text, str):
            raise TypeError(f"the target filter needs a str, got {type(text).__name__}")
        low = self.lower(text)
        due = set(self._always)
        if self._automaton is not None:
            for _, ids in self._automaton.iter(low):
                due.update(ids)
        spans: list[tuple[int, int]] = []
        for i in sorted(due):
            for span in _checked(self.checks[i], low, self._word_start[i]):
                spans.append(span)
                if first:
                    return spans
        for rx in self.insensitive:
            for span in _checked(rx, normalise_apostrophes(text), False):
                spans.append(span)
                if first:
                    return spans
        return spans

    def search(self, text: str) -> bool:
        """Whether ``text`` may hold a target phrase."""
        return bool(self._found(text, first=True))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` offsets in ``text`` of every possible target phrase, sorted; a
        mention the matcher finds lies within one of them."""
        return sorted(set(self._found(text, first=False)))


class ContextPhrases:
    """Actor phrases that name their actor only in context, compiled apart from the main trie so that
    a codebook without them costs nothing: dated roles (``dated[key]``: the ``(actor, first day,
    last day)`` of each holder, days as ordinals) and speaker_only phrases (``speaker[key]``: the
    actor). Keys are phrase keys, or the phrase itself for ``re:`` phrases (``regexes``, each with
    its key as owner). :meth:`find` gives every ``(start, end, key)`` where a plain key occurs
    (shorter keys inside a longer one at the same start too: the context decides which counts).

    >>> from diplomacy_lab.codebook.schema import load_codebook
    >>> cb = load_codebook({"name": "d", "targets": {"t": {"label": "T", "patterns": ["t"]}}, "actors": {
    ...     "iran": {"name": "Iran", "country": "Iran", "speaker_only": ["Iran", "re:the islamic republic"]},
    ...     "kerry": {"name": "John Kerry", "country": "US", "roles": [{"phrase": "the secretary", "to": 2017}]},
    ...     "rubio": {"name": "Marco Rubio", "country": "US", "roles": [{"phrase": "the secretary of state",
    ...                                                                  "from": 2025}]}}})
    >>> ctx = compile_codebook(cb).context
    >>> ctx.speaker, [r.owner for r in ctx.regexes], ctx.dated["the secretary"][0][0]
    ({'iran': 'iran', 're:the islamic republic': 'iran'}, ['re:the islamic republic'], 'kerry')
    >>> ctx.find("iran and the secretary  of state met.")
    [(0, 4, 'iran'), (9, 22, 'the secretary'), (9, 32, 'the secretary of state')]
    """

    def __init__(self, codebook: Codebook):
        self.dated: dict[str, tuple[tuple[str, int, int], ...]] = {}
        self.speaker: dict[str, str] = {}
        for actor in codebook.actors.values():
            for role in actor.dated_roles:
                key = _context_key(role.phrase)
                first = role.start.toordinal() if role.start else 0
                last = role.end.toordinal() if role.end else _NO_END
                self.dated[key] = (*self.dated.get(key, ()), (actor.id, first, last))
            for phrase in actor.speaker_only:
                self.speaker[_context_key(phrase)] = actor.id
        keys = [k for k in (*self.dated, *self.speaker) if not k.startswith(REGEX_PREFIX)]
        self._keys = frozenset(keys)
        self.regexes = [_compile_regex("actor", k, "role" if k in self.dated else "speaker_only", k)
                        for k in (*self.dated, *self.speaker) if k.startswith(REGEX_PREFIX)]
        self.scan = None
        if keys:
            word = [k for k in keys if is_word(k[0])]
            other = [k for k in keys if not is_word(k[0])]
            alts = [rf"(?<!\w)(?=({_trie_source(word)}))"] if word else []
            if other:
                alts.append(rf"(?=({_trie_source(other)}))")
            self.scan = re.compile("|".join(alts))

    def __bool__(self) -> bool:
        return bool(self.dated or self.speaker)

    def find(self, low: str) -> list[tuple[int, int, str]]:
        """``(start, end, key)`` of the plain keys in ``low`` (lower-cased text, apostrophes normalised)."""
        if self.scan is None:
            return []
        out = []
        for m in self.scan.finditer(low):
            p = m.start()
            text = m.group(m.lastindex)
            key = " ".join(text.split())
            ends = key_ends(text) if len(key) != len(text) else None
            for n in _word_prefixes(key):
                if key[:n] in self._keys:
                    out.append((p, p + (n if ends is None else ends[n]), key[:n]))
        return out


#: The last day of an open-ended role (an ordinal no date reaches).
_NO_END = 10**7


def _context_key(phrase: str) -> str:
    return phrase if phrase.startswith(REGEX_PREFIX) else phrase_key(phrase)


def key_ends(text: str) -> list[int]:
    """``ends[k]``: the length in ``text`` of its first ``k`` characters once whitespace runs are one space
    (phrase keys write every whitespace run as one space).

    >>> key_ends("a  b")
    [0, 1, 3, 4]
    """
    ends = [0]
    i = 0
    while i < len(text):
        j = i + 1
        if text[i].isspace():
            while j < len(text) and text[j].isspace():
                j += 1
        ends.append(j)
        i = j
    return ends


class CompiledCodebook:
    """Everything the flow searches text for, compiled from one codebook: ``regexes`` (its
    ``re:`` phrases), ``mentions`` (the :class:`MentionMatcher`), ``context`` (the
    :class:`ContextPhrases`: dated roles and speaker_only phrases), ``prefilter`` (the
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
        self.context = ContextPhrases(codebook)
        self.prefilter = TargetFilter(codebook, self.regexes)
        self.coordinated_roles = coordinated_role_index(codebook)


def compile_codebook(codebook: Codebook) -> CompiledCodebook:
    """The compiled form of ``codebook``, built on first use and kept with it."""
    compiled = codebook._cache.get("compiled")
    if compiled is None:
        compiled = codebook._cache["compiled"] = CompiledCodebook(codebook)
    return compiled
