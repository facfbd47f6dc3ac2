"""Codebook phrases as text searches: apostrophes normalised, regexes lowered, required words.

Helpers shared by the mention matcher (:mod:`diplomacy_lab.codebook.mentions`) and the target
pre-filter (:mod:`diplomacy_lab.codebook.prefilter`): searching lower-cased text with a lowered
regex is faster than ``re.IGNORECASE``, and a regex's required words let a cheap
substring test skip texts it cannot match.
"""

from __future__ import annotations

import re
import re._constants as _sre_constants  # the regex parser, to find a regex's required words
import re._parser as _sre_parser

from diplomacy_lab.codebook.schema import APOSTROPHES

__all__ = ["lower_regex", "normalise_apostrophes", "required_literal"]


def normalise_apostrophes(text: str) -> str:
    """Apostrophes as "'" (same length: offsets are kept)."""
    return text.translate(APOSTROPHES)


def lower_regex(source: str) -> str | None:
    """``source`` for lower-cased text, or None when that cannot be done safely (escapes
    that spell characters, or case-sensitive parts): then the original text is searched
    with ``re.IGNORECASE``. Escapes, group names and flags are kept as they are."""
    out, i, n = [], 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "\\":
            nxt = source[i + 1 : i + 2]
            if nxt in ("x", "u", "U", "N", "0") or source[i + 1 : i + 4].isdigit():
                return None
            out.append(source[i : i + 2])
            i += 2
            continue
        if source.startswith(("(?P<", "(?P=", "(?("), i):
            j = source.find(">" if source.startswith("(?P<", i) else ")", i)
            if j < 0:
                return None
            out.append(source[i : j + 1])
            i = j + 1
            continue
        if source.startswith("(?", i):
            j = i + 2
            while j < n and source[j] in "aiLmsux-":
                j += 1
            flags = source[i + 2 : j]
            if "-" in flags and "i" in flags.split("-", 1)[1]:
                return None
            out.append(source[i:j])
            i = j
            continue
        out.append(ch.lower())
        i += 1
    lowered = "".join(out)
    try:
        re.compile(lowered)
    except re.error:
        return None
    return lowered


def required_literal(source: str) -> str:
    r"""The longest run of plain characters every match of the regex ``source`` contains
    ("" if none is found): a cheap substring test that must pass before the regex can match.

    >>> required_literal(r"send(ing|s)? (\w+ ){0,2}(troops|soldiers)"), required_literal(r"cease-?fire")
    ('send', 'cease')
    >>> required_literal(r"(?:boots on (the ground|\w+ soil))"), required_literal(r"(a|b)")
    ('boots on ', '')
    """
    try:
        parsed = _sre_parser.parse(source)
    except (re.error, ValueError, TypeError):
        return ""
    best, run = "", []

    def walk(items) -> None:
        nonlocal best
        for op, av in items:
            if op is _sre_constants.LITERAL:
                run.append(chr(av))
                continue
            if op is _sre_constants.SUBPATTERN and not av[1] and not av[2]:  # a plain group: still in sequence
                walk(av[3])
                continue
            if len(run) > len(best):
                best = "".join(run)
            run.clear()

    walk(parsed)
    if len(run) > len(best):
        best = "".join(run)
    return best
