"""Who holds a stance: clauses, reported speech and holders of a sentence's targets.

A stance belongs to whoever holds it, not to every actor in the sentence. Within a
sentence this module finds, for each target mention, the actor mentions that hold a
stance on it:

- **clauses**: a sentence is cut at contrast and coordination points ("While France
  ..., Italy rejects ...", "; ", ", but ") so each holder is judged in its own clause;
- **speakers**: in reported speech ("... ,” stated Macron", "according to X") the
  speaker holds the quoted stance, and actors inside the quote do not; an opening quote
  left open carries its speaker back from the sentence that names it;
- **subjects**: actors before the clause's first cue or reporting verb are holders;
  actors after a preposition ("to", "with", "between", ...) are objects, not holders;
- **owners**: "Starmer and Macron's proposal", "Macron's push for": possessive owners
  of a target hold it (support).

>>> clause_spans("While France explores troops, Italy rejects them.")
[(0, 28), (30, 49)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diplomacy_lab.text.grammar import DETERMINERS, HOLDER_PASSIVES, OBJECT_MARKERS

_WORDS_REACH = 80  # characters read back from a position to find the words before it
_CLAUSE_BREAK = re.compile(
    # ", however," and ", though," inside a clause are parenthetical: no cut.
    r"\s*(?:;|\s[–—]\s|,\s*(?=(?:but|while|whereas|however(?!\s*,)|although|though(?!\s*,)|yet|who|in which|after which)\b)"
    r"|\s(?=(?:but|while|whereas)\b))\s*",
    re.IGNORECASE,
)
_LEADING_SUBORDINATE = re.compile(r"^\W*(?:while|whereas|although|though|as|despite|unlike|by|rather than)\b", re.IGNORECASE)
_COMMA = re.compile(r",\s*")
_OPEN_QUOTES = "“\"«"
_CLOSE_QUOTES = "”\"»"
_QUOTE_MARK = re.compile("[“”\"«»]")
_WORD = re.compile(r"\w+(?:['’]\w+)?")


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the clauses of one sentence (contrast and coordination points).

    >>> s = "Italy rejects troops; France backs them, but Croatia refuses."
    >>> [s[a:b] for a, b in clause_spans(s)]
    ['Italy rejects troops', 'France backs them', 'but Croatia refuses.']
    >>> len(clause_spans("French and British leaders, however, indicated plans for a mission."))
    1
    """
    cuts = []
    if _LEADING_SUBORDINATE.match(text):
        # The subordinate clause ends at the first comma that does not sit inside a list:
        # at least four words before it, and no "and"/"or" right after it.
        for m in _COMMA.finditer(text):
            after = text[m.end() :].split(maxsplit=1)
            if len(_WORD.findall(text[: m.start()])) >= 4 and after and after[0].lower() not in {"and", "or", "nor"}:
                cuts.append((m.start(), m.end()))
                break
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() > 0 and m.end() < len(text):
            cuts.append((m.start(), m.end()))
    spans, pos = [], 0
    for start, end in sorted(cuts):
        if start > pos:
            spans.append((pos, start))
            pos = end
    spans.append((pos, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


@dataclass(frozen=True)
class Quote:
    """A quoted span of a sentence (character offsets, quotes included)."""

    start: int
    end: int
    closed: bool


def quote_spans(text: str, open_at_start: bool = False) -> list[Quote]:
    """Quoted spans; with ``open_at_start`` the sentence continues a quote opened earlier."""
    spans, start = [], 0 if open_at_start else None
    for m in _QUOTE_MARK.finditer(text):
        i, ch = m.start(), m.group()
        if ch in _OPEN_QUOTES and start is None and (ch != '"' or i == 0 or not text[i - 1].isalnum()):
            start = i
        elif ch in _CLOSE_QUOTES and start is not None and i > start:
            spans.append(Quote(start, i + 1, True))
            start = None
    if start is not None:
        spans.append(Quote(start, len(text), False))
    return spans


def words_before(text: str, pos: int, n: int = 1) -> list[str]:
    """The ``n`` words before character ``pos`` (lower-case), nearest last."""
    return [w.lower() for w in _WORD.findall(text[max(0, pos - _WORDS_REACH) : pos])][-n:]


def is_object(text: str, start: int) -> bool:
    """True if the mention at ``start`` follows a preposition, determiners skipped ("about the EU").

    >>> t = "a warning about the European Union"
    >>> is_object(t, t.index("European")), is_object("Italy rejects it", 0)
    (True, False)
    """
    for word in reversed(words_before(text, start, 4)):
        if word in DETERMINERS:
            continue
        return word in OBJECT_MARKERS
    return False


def passive_agent(text: str, start: int) -> bool:
    """True if the mention at ``start`` is the agent of a stance passive: "led by X", "planned” by X"."""
    before = words_before(text, start, 2)
    return len(before) == 2 and before[1] == "by" and before[0] in HOLDER_PASSIVES


def is_possessive(text: str, end: int) -> bool:
    """True if the mention ending at ``end`` is followed by a possessive ’s ("Zelensky's belief")."""
    return bool(re.match(r"['’]s\b", text[end : end + 3]))


def possessive_owner(text: str, end: int, target_start: int, ownership: frozenset[str] = frozenset()) -> bool:
    """True if the mention ending at ``end`` is a possessive owner of the target at ``target_start``.

    "Macron's push for direct dialogue" (possessive, an ownership noun, then the target),
    "Starmer and Macron's proposal" (coordinated owners share the possessive). "NATO's
    Article 5" is not ownership: the word after ’s must be in ``ownership``.
    """
    if target_start < end:
        return False
    owned = re.match(r"^(?:\s*(?:,|and)\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)?['’]s\s+(\w+)", text[end:])
    return bool(owned) and owned.group(1).lower() in ownership and len(_WORD.findall(text[end:target_start])) <= 8
