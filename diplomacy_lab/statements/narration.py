"""The outlet's own words and the words it reports: every article split into narration and quoted spans.

A count of "military intervention" means one thing in an outlet's narration and another inside a
Kremlin quote it reports. :func:`narration_spans` labels every character of every article:

=====================  ============================================================================
``how``                what it is (``voice``)
=====================  ============================================================================
``quote``              between quotation marks (“…”, "…", «…», ‘…’), across sentences while a quote
                       stays open within its paragraph (``quoted``)
``short_quote``        a quoted phrase of at most four words: a term the outlet attributes to
                       someone or keeps at a distance, “so-called” (``quoted``)
``according_to``       a sentence with "according to X": the sentence but the phrase "according
                       to X" itself (``quoted``)
``reported_speech``    what a speaker said, in the outlet's words: after a speech verb with a
                       speaker before it ("Moscow has accused London of …", "Meloni said that …"),
                       or before ", X said" / ", said X" (``quoted``)
``narration``          everything else, speech frames ("Meloni said") included (``narration``)
=====================  ============================================================================

The speech verbs are the cue lexicon's reporting verbs (the package's one list,
``resources/reporting_verbs.yaml``, unless a lexicon gives its own); a speaker is a
capitalised name, a pronoun or one of :data:`SPEAKER_NOUNS` within three words of the verb. This is a
rule, not a parser: the learned attribution of issue 11 can replace it behind
:func:`narration_spans` (the spans table is the interface). ``indirect=False`` keeps only
quotation marks.

:func:`select_voice` then keeps one voice of an articles or sentences table: the other voice's
characters become a filler (`` … ``) of the same length, so offsets still index the original
article and no phrase matches across a removed span. The framing functions take ``voice=``
(``"narration"``, ``"quoted"``, ``"all"``) and call it.

>>> import pandas as pd
>>> arts = pd.DataFrame({"doc_id": ["a"], "text": ['Rome said no. “We will not send troops,” Meloni said.']})
>>> narration_spans(arts)[["start", "end", "how", "voice", "text"]]
   start  end              how      voice                        text
0      0   10        narration  narration                  Rome said
1     10   13  reported_speech     quoted                         no.
2     13   14        narration  narration
3     14   40            quote     quoted  “We will not send troops,”
4     40   53        narration  narration                Meloni said.
>>> select_voice(arts, "narration")["text"].iloc[0]
'Rome said  …   ………………………………………………………………  Meloni said.'
>>> select_voice(arts, "quoted")["text"].iloc[0]
' …………………… no. “We will not send troops,” …………………………… '
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from diplomacy_lab.checks import require_columns
from diplomacy_lab.statements.cues import load_cues
from diplomacy_lab.statements.holders import quote_spans
from diplomacy_lab.text.grammar import DETERMINERS
from diplomacy_lab.text.grammar import SPEAKER_NOUNS as GRAMMAR_SPEAKER_NOUNS
from diplomacy_lab.text.sentences import sentences as split_sentences

__all__ = ["HOWS", "SPAN_COLUMNS", "SPEAKER_NOUNS", "VOICES", "narration_spans", "select_voice"]

VOICES = ("narration", "quoted", "all")
#: Kinds of span, weakest first: where two overlap, the later wins.
HOWS = ("narration", "reported_speech", "according_to", "short_quote", "quote")
SPAN_COLUMNS = ["doc_id", "start", "end", "voice", "how", "text"]
#: Lower-case words that can be the speaker of a speech verb: the subject pronouns and the package's one
#: list of speaker nouns (``speaker_nouns`` in ``resources/english.yaml``: "officials said", "the ministry noted").
SPEAKER_NOUNS = frozenset({"he", "she", "they", "we", "i", "it"}) | GRAMMAR_SPEAKER_NOUNS
_SHORT_QUOTE_WORDS = 4
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_ACCORDING = re.compile(r"\baccording to\b[^,;.!?]*", re.IGNORECASE)
_SINGLE_QUOTE = re.compile(r"(?<![\w’])‘(?:[^‘’\n]|’(?=\w))+’(?!\w)")
_FILLER = "…"
# after the verb of '..." said Dmitry Peskov.' / '..., said a spokesman': the speaker, then the end
_INVERTED_SPEAKER = re.compile(r"^\s+(?:(?:a|an|the)\s+)?[\w’'.-]+(?:\s+[A-Z][\w’'.-]*){0,3}\s*[.!?]?[\"”’]?\s*$")


def _is_speaker(word: str, first: bool) -> bool:
    low = word.lower()
    if low in SPEAKER_NOUNS:
        return True
    return word[:1].isupper() and low not in DETERMINERS and not (first and low in {"but", "and", "as", "so", "yet"})


def _speech(text: str, outside, verbs: re.Pattern) -> list[tuple[int, int, int]]:
    """(start, end, how code) of the reported content of one sentence (positions in ``text``)."""
    found = []
    for m in _ACCORDING.finditer(text):
        if outside(m.start()):
            found += [(0, m.start(), 2), (m.end(), len(text), 2)]
    for v in verbs.finditer(text):
        if not outside(v.start()) or v.group().lower().startswith("accord") or not v.group()[0].islower():
            continue  # quoted, handled above, or a name ("the United States")
        before = _WORD.findall(text[max(0, v.start() - 60):v.start()])
        if before and before[-1].lower() in DETERMINERS:
            continue  # a noun: "his comments", "this warning"
        gap = text[:v.start()]
        tail = text[v.end():]
        after_words = _WORD.findall(tail)
        inverted = re.search(r"(?:,|[”\"’]),?\s*$", gap)
        if inverted and _INVERTED_SPEAKER.match(tail) and _is_speaker(after_words[0], False):
            cut = inverted.start()
            found.append((0, cut, 1))  # '..., said Peskov' / '..." said Peskov'
            continue
        subject = re.search(r"((?:[\w’'-]+\s+){0,3})$", gap)
        words = _WORD.findall(subject.group(1)) if subject else []
        if not any(_is_speaker(w, gap.strip().startswith(w) and i == 0) for i, w in enumerate(words)):
            continue
        comma = gap.rfind(",")
        if len(after_words) <= 3 and comma > 0:  # "Italy will not send troops, Meloni said."
            found.append((0, comma, 1))
            continue
        if not after_words:
            continue
        start = v.end() + (re.match(r"\s*(?:that\b)?", tail).end() if tail else 0)
        found.append((start, len(text), 1))
    return found


def _label_document(text: str, sents: list[tuple[int, str]], verbs, indirect: bool) -> np.ndarray:
    codes = np.zeros(len(text), dtype=np.int8)
    carry = False
    previous_end = None
    for start, sentence in sents:
        if previous_end is not None and "\n" in text[previous_end:start]:
            carry = False  # a quote left open closes at the end of its paragraph
        quotes = quote_spans(sentence, open_at_start=carry)
        continued = carry
        carry = bool(quotes) and not quotes[-1].closed
        marks = np.zeros(len(sentence), dtype=bool)
        for q in quotes:
            words = len(_WORD.findall(sentence[q.start:q.end]))
            short = q.closed and words <= _SHORT_QUOTE_WORDS and not re.search(r"[.!?]\W*$", sentence[q.start:q.end]) \
                and not (continued and q.start == 0)
            codes[start + q.start:start + q.end] = np.maximum(codes[start + q.start:start + q.end], 3 if short else 4)
            marks[q.start:q.end] = True
        for m in _SINGLE_QUOTE.finditer(sentence):
            if not marks[m.start()]:
                words = len(_WORD.findall(m.group()))
                code = 3 if words <= _SHORT_QUOTE_WORDS else 4
                codes[start + m.start():start + m.end()] = np.maximum(codes[start + m.start():start + m.end()], code)
                marks[m.start():m.end()] = True
        if indirect:
            for a, b, code in _speech(sentence, lambda i, m=marks: not m[i], verbs):
                seg = codes[start + a:start + b]
                codes[start + a:start + b] = np.maximum(seg, code)
        previous_end = start + len(sentence)
    return codes


def _runs(text: str, codes: np.ndarray) -> list[tuple[int, int, int]]:
    """Runs of equal codes; whitespace between two runs of one kind joins them; edge spaces stay narration."""
    if not len(codes):
        return []
    edges = np.flatnonzero(np.diff(codes)) + 1
    starts, ends = np.r_[0, edges], np.r_[edges, len(codes)]
    runs = [[int(a), int(b), int(codes[a])] for a, b in zip(starts, ends)]
    for i in range(1, len(runs) - 1):
        a, b, c = runs[i]
        if c == 0 and runs[i - 1][2] == runs[i + 1][2] != 0 and not text[a:b].strip():
            runs[i][2] = runs[i - 1][2]
    merged = []
    for a, b, c in runs:
        if merged and merged[-1][2] == c:
            merged[-1][1] = b
        else:
            merged.append([a, b, c])
    out = []
    for a, b, c in merged:  # quoted runs lose their edge spaces to the narration around them
        if c:
            text_run = text[a:b]
            a2 = a + len(text_run) - len(text_run.lstrip(" \t\n\r,;:"))
            b2 = b - (len(text_run) - len(text_run.rstrip()))
            if a2 >= b2 or not re.search(r"[^\W_]", text_run):  # no word: punctuation left over, narration
                out.append((a, b, 0))
                continue
            if a2 > a:
                out.append((a, a2, 0))
            out.append((a2, b2, c))
            if b > b2:
                out.append((b2, b, 0))
        else:
            out.append((a, b, c))
    final = []
    for a, b, c in out:
        if final and final[-1][2] == c:
            final[-1] = (final[-1][0], b, c)
        else:
            final.append((a, b, c))
    return final


def narration_spans(articles: pd.DataFrame, *, indirect: bool = True, sentences: pd.DataFrame | None = None,
                    lexicon=None) -> pd.DataFrame:
    """Every article cut into consecutive spans of narration and quoted words (module notes).

    Columns :data:`SPAN_COLUMNS`: ``doc_id``, ``start``/``end`` (offsets in the article text; the
    spans of an article cover it from 0 to its length, without gaps), ``voice`` (narration or
    quoted), ``how`` (:data:`HOWS`) and the span's ``text``. ``sentences``: the articles' sentence
    table when already split; ``indirect=False``: quotation marks only.
    """
    require_columns(articles, ["doc_id", "text"], "articles")
    if articles["doc_id"].duplicated().any():
        raise ValueError("articles has duplicate doc_id values; give each article its own doc_id")
    sents = split_sentences(articles) if sentences is None else sentences
    require_columns(sents, ["doc_id", "start", "text"], "sentences")
    verbs = (lexicon or load_cues()).speech
    by_doc = {d: list(zip(g["start"].astype(int), g["text"].astype(str))) for d, g in sents.groupby("doc_id", sort=False)}
    rows = []
    for doc_id, text in zip(articles["doc_id"], articles["text"].fillna("").astype(str)):
        codes = _label_document(text, sorted(by_doc.get(doc_id, [])), verbs, indirect)
        for a, b, c in _runs(text, codes):
            rows.append((doc_id, a, b, "quoted" if c else "narration", HOWS[c], text[a:b]))
    out = pd.DataFrame(rows, columns=SPAN_COLUMNS).astype({"start": "int64", "end": "int64"})
    out.attrs["indirect"] = indirect
    return out


def _mask(text: str, base: int, keep: list[tuple[int, int]]) -> str:
    """``text`` (starting at article offset ``base``) with every character outside ``keep`` filled."""
    out, pos = [], 0
    for a, b in keep:
        a, b = max(a - base, 0), min(b - base, len(text))
        if b <= a:
            continue
        if a > pos:
            out.append(_filler(a - pos))
        out.append(text[a:b])
        pos = b
    if pos < len(text):
        out.append(_filler(len(text) - pos))
    return "".join(out)


def _filler(n: int) -> str:
    return " " * n if n < 3 else " " + _FILLER * (n - 2) + " "


def select_voice(table: pd.DataFrame, voice: str, *, articles: pd.DataFrame | None = None,
                 spans: pd.DataFrame | None = None, indirect: bool = True) -> pd.DataFrame:
    """Keep one voice of an articles table (``doc_id, text``) or a sentences table (``doc_id, sent_id,
    start, text``): characters of the other voice become a filler of the same length.

    ``voice``: ``"narration"``, ``"quoted"`` or ``"all"`` (the table itself). ``spans``:
    :func:`narration_spans` output, computed from ``articles`` (or from ``table`` when it is the
    articles) if not given. Sentences left without a word of the voice are dropped (their number
    is in ``attrs["dropped_sentences"]``); articles are kept, empty or not.
    """
    if voice not in VOICES:
        raise ValueError(f"voice must be one of {list(VOICES)}, got {voice!r}")
    require_columns(table, ["doc_id", "text"], "table")
    if voice == "all":
        return table
    is_sentences = {"sent_id", "start"} <= set(table.columns)
    if spans is None:
        source = articles if articles is not None else (None if is_sentences else table)
        if source is None:
            raise ValueError("a sentences table needs articles= (or spans=) to find its quotes")
        spans = narration_spans(source, indirect=indirect, sentences=table if is_sentences else None)
    require_columns(spans, ["doc_id", "start", "end", "voice"], "spans")
    keep = spans[spans["voice"] == voice]
    ranges = {d: list(zip(g["start"], g["end"])) for d, g in keep.groupby("doc_id", sort=False)}
    bases = table["start"].astype(int) if is_sentences else pd.Series(0, index=table.index)
    texts = [_mask(t, int(b), ranges.get(d, [])) for d, b, t in
             zip(table["doc_id"], bases, table["text"].fillna("").astype(str))]
    out = table.copy()
    out["text"] = texts
    dropped = 0
    if is_sentences:
        has_word = out["text"].str.contains(r"[^\W_]", regex=True)
        dropped = int((~has_word).sum())
        out = out[has_word]
    out.attrs.update(table.attrs)
    out.attrs.update(voice=voice, dropped_sentences=dropped)
    return out
