"""Tokens with character offsets, sentence starts, quote state and windows.

Everything here works on the article text exactly as given: tokens are
``(start, end)`` offsets into it, nothing is normalised or copied.

Windows are what the CRF tags: one paragraph (a run of text between line
breaks), cut into pieces of at most ``max_tokens`` tokens at sentence starts
(``unit="paragraph"``), or one sentence (``unit="sentence"``).  Very long
lines are tokenised piece by piece (``_MAX_PIECE_CHARS`` characters at a
time), so work and memory stay linear in the text length.

Quote state: double quote marks (“ ” " « » „) open and close quotes; the state
is carried across sentences and windows of a paragraph and reset at each new
paragraph (news convention: a quote running over several paragraphs is
reopened at the start of each one), so an unbalanced quote mark can only
affect the rest of its own paragraph.

>>> text = 'He said: "We will win. Believe me."\\nNext line.'
>>> [(w.start, w.end) for w in windows(text)]
[(0, 35), (36, 46)]
>>> win = windows(text)[0]
>>> win.words[:4], win.quote[3:6]
(['He', 'said', ':', '"'], ['open', 'in', 'in'])
>>> win.sentence_start.count(True)
2
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_CLITIC = r"['’](?i:s|re|ve|ll|d|m)\b"
TOKEN_RE = re.compile(
    r"\w+(?=n['’]t\b)|n['’]t\b"                      # do|n't
    rf"|{_CLITIC}"                                   # 's 're 've 'll 'd 'm
    rf"|\w+(?:(?:[.,\-]|['’](?!(?i:s|re|ve|ll|d|m)\b))\w+)*"  # U.S, 1,000, O’Brien
    r"|[^\w\s]")
PARAGRAPH_RE = re.compile(r"[^\n]+")
OPEN_QUOTES = frozenset("“«„")
CLOSE_QUOTES = frozenset("”»")
AMBIGUOUS_QUOTES = frozenset('"')
QUOTES = OPEN_QUOTES | CLOSE_QUOTES | AMBIGUOUS_QUOTES
ABBREVIATIONS = frozenset(
    "mr mrs ms dr sen rep gov gen lt col sgt st jr sr prof rev vs inc corp co "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s d.c no".split())
_MAX_PIECE_CHARS = 100_000


@dataclass
class Window:
    """A run of tokens tagged together by the CRF (offsets into the text)."""

    start: int
    end: int
    starts: list = field(default_factory=list)
    ends: list = field(default_factory=list)
    words: list = field(default_factory=list)
    sentence_start: list = field(default_factory=list)
    quote: list = field(default_factory=list)  # open / close / in / out
    paragraph_start: bool = True

    def __len__(self):
        return len(self.words)


def tokenize(text: str, start: int = 0, end: int | None = None):
    """``(start, end, word)`` triples for ``text[start:end]``.

    >>> [w for _, _, w in tokenize("Trump’s U.S. plan won't cost 1,000 O’Brien jobs.")]
    ['Trump', '’s', 'U.S', '.', 'plan', 'wo', "n't", 'cost', '1,000', 'O’Brien', 'jobs', '.']
    """
    end = len(text) if end is None else end
    return [(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text, start, end)]


def _sentence_starts(tokens, text):
    """True where a token starts a sentence (tokens of one paragraph piece)."""
    flags = [False] * len(tokens)
    if not tokens:
        return flags
    flags[0] = True
    for i in range(1, len(tokens)):
        prev = tokens[i - 1][2]
        word = tokens[i][2]
        if prev in ".!?":
            before = tokens[i - 2][2].lower() if i >= 2 else ""
            if prev == "." and (before in ABBREVIATIONS or len(before) == 1 and before.isalpha()):
                continue
            if word[0].isupper() or word[0].isdigit() or word in OPEN_QUOTES or word in "([":
                flags[i] = True
            elif word == '"' and tokens[i][1] < len(text) and not text[tokens[i][1]].isspace():
                flags[i] = True
        elif prev in QUOTES and i >= 2 and tokens[i - 2][2] in ".!?" and word[0].isupper():
            flags[i] = True
    return flags


def _quote_states(tokens, text, inside=False):
    """Quote state per token and the state after the last token."""
    states = []
    for s, e, w in tokens:
        if w in OPEN_QUOTES:
            opening = True
        elif w in CLOSE_QUOTES:
            opening = False
        elif w in AMBIGUOUS_QUOTES:
            before = text[s - 1] if s > 0 else " "
            after = text[e] if e < len(text) else " "
            if before.isspace() and not after.isspace():
                opening = True
            elif after.isspace() or not after.isalnum():
                opening = not inside if before.isspace() else False
            else:
                opening = not inside
        else:
            states.append("in" if inside else "out")
            continue
        states.append("open" if opening else "close")
        inside = opening
    return states, inside


def _pieces(text, start, end):
    """Cut ``text[start:end]`` at whitespace into pieces of bounded length."""
    while end - start > _MAX_PIECE_CHARS:
        cut = start + _MAX_PIECE_CHARS
        space = text.rfind(" ", start + _MAX_PIECE_CHARS // 2, cut)
        cut = space if space > start else cut
        yield start, cut
        start = cut
    yield start, end


def iter_windows(text: str, max_tokens: int = 200, unit: str = "paragraph",
                 start: int = 0, end: int | None = None):
    """Yield the :class:`Window` objects of ``text[start:end]`` in order."""
    if unit not in ("paragraph", "sentence"):
        raise ValueError(f"unit must be 'paragraph' or 'sentence', not {unit!r}")
    if max_tokens < 1:
        raise ValueError("max_tokens must be at least 1")
    end = len(text) if end is None else end
    for para in PARAGRAPH_RE.finditer(text, start, end):
        inside = False
        first = True
        for p_start, p_end in _pieces(text, para.start(), para.end()):
            tokens = tokenize(text, p_start, p_end)
            if not tokens:
                continue
            sent = _sentence_starts(tokens, text)
            quote, inside = _quote_states(tokens, text, inside)
            for a, b in _cut(sent, max_tokens, unit):
                yield Window(
                    start=tokens[a][0], end=tokens[b - 1][1],
                    starts=[t[0] for t in tokens[a:b]], ends=[t[1] for t in tokens[a:b]],
                    words=[t[2] for t in tokens[a:b]], sentence_start=[True] + sent[a + 1:b],
                    quote=quote[a:b], paragraph_start=first)
                first = False


def windows(text: str, max_tokens: int = 200, unit: str = "paragraph", start=0, end=None):
    """List of :func:`iter_windows`."""
    return list(iter_windows(text, max_tokens, unit, start, end))


def _cut(sent, max_tokens, unit):
    """Token ranges: sentences packed into windows of at most ``max_tokens``."""
    bounds = [i for i, s in enumerate(sent) if s] + [len(sent)]
    sentences = []
    for a, b in zip(bounds, bounds[1:]):
        while b - a > max_tokens:
            sentences.append((a, a + max_tokens))
            a += max_tokens
        sentences.append((a, b))
    if unit == "sentence":
        return sentences
    out = []
    for a, b in sentences:
        if out and b - out[-1][0] <= max_tokens:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out
