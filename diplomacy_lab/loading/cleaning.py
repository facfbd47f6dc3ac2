"""Find and remove page furniture scraped into article text, reporting every span removed.

Some scraped news text carries inline "related story" blocks: The Hill links a person's
name to a box of recent headlines, and the scrape glues them into the sentence — a
visible name, the linked full name run into the first headline ("John Sidney
McCainDemocrats cry wolf ..."), up to three headlines, then "MORE":

    ... a feud with Sen. John McCain John Sidney McCainDemocrats cry wolf on Trump-Ukraine
    Cindy McCain: I can see Arizona 'going Democrat' in 2020 ... MORE that played out ...

A second form repeats the visible name with a space instead of gluing it ("Joe Biden Joe
Biden Parnas: ... MORE"). Those headlines are not the article's words; read as text they create statements no one
made. ``related_headlines`` finds them as a table (nothing is changed), and
``remove_spans`` returns the articles without them.

>>> arts = pd.DataFrame({"doc_id": ["a"], "text": [
...     "A feud with Sen. John McCain John Sidney McCainDemocrats cry wolf Cindy McCain: I can see it MORE that played out."]})
>>> related_headlines(arts)[["doc_id", "removed"]].to_dict("records")
[{'doc_id': 'a', 'removed': 'John Sidney McCainDemocrats cry wolf Cindy McCain: I can see it MORE'}]
>>> remove_spans(arts, related_headlines(arts))["text"].tolist()
['A feud with Sen. John McCain that played out.']
"""

from __future__ import annotations

import re

import pandas as pd

from diplomacy_lab.checks import require_columns

SPAN_COLUMNS = ["doc_id", "start", "end", "removed"]
_MORE = re.compile(r"\bMORE\b")
# "McCainDemocrats": a linked name run into a headline. Three lower-case letters before the
# capital, so name prefixes ("McCarthy", "MacDonald", "DeSantis") are not taken for glue.
_GLUE = re.compile(r"(?<=[a-z]{3})[A-Z]")
_REPEATED_NAME = re.compile(r"\b(?P<name>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}) (?P<again>(?P=name))\b")
_WORD_END = re.compile(r"[A-Z][\w'’-]*$")
_WINDOW = 700  # characters a related-headline box may span before its "MORE" (three long headlines)


def _spans(text: str) -> list[tuple[int, int]]:
    spans, floor = [], 0
    for more in _MORE.finditer(text):
        lo = max(floor, more.start() - _WINDOW)
        glue = _GLUE.search(text, lo, more.start())
        if glue is None:
            # Variant: the linked name is the visible name again, then a space ("Joe Biden Joe Biden Parnas: ...").
            repeats = list(_REPEATED_NAME.finditer(text, lo, more.start()))
            if repeats:
                spans.append((repeats[-1].start("again"), more.end()))
                floor = more.end()
            continue
        # The linked full name ends with the surname glued to the headline ("...McCainDemocrats");
        # the visible name just before ends with the same surname: the block starts after it.
        word = _WORD_END.search(text, max(lo, glue.start() - 40), glue.start())
        start = word.start() if word else glue.start()
        if word:
            visible = text.rfind(word.group(), max(lo, start - 80), start)
            if visible >= 0:
                start = visible + len(word.group())
                start += len(text[start:]) - len(text[start:].lstrip())
        spans.append((start, more.end()))
        floor = more.end()
    return spans


def related_headlines(articles: pd.DataFrame) -> pd.DataFrame:
    """Inline related-headline blocks: ``doc_id, start, end, removed`` (offsets into ``text``)."""
    require_columns(articles, ["doc_id", "text"], "articles")
    rows = [
        (doc_id, start, end, text[start:end])
        for doc_id, text in zip(articles["doc_id"], articles["text"])
        if isinstance(text, str) and "MORE" in text
        for start, end in _spans(text)
    ]
    return pd.DataFrame(rows, columns=SPAN_COLUMNS)


def remove_spans(articles: pd.DataFrame, spans: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``articles`` with the ``spans`` (``doc_id, start, end``) cut out of ``text``.

    The space before a removed span is dropped with it, so "McCain [span] that" reads
    "McCain that". Offsets of other tables made from the old text no longer apply: run
    ``sentences`` and the steps after it on the result.
    """
    require_columns(articles, ["doc_id", "text"], "articles")
    require_columns(spans, ["doc_id", "start", "end"], "spans")
    out = articles.copy()
    by_doc = spans.sort_values(["doc_id", "start"]).groupby("doc_id")[["start", "end"]]
    cuts = {doc: list(zip(g["start"], g["end"])) for doc, g in by_doc}
    texts = []
    for doc_id, text in zip(out["doc_id"], out["text"]):
        for start, end in reversed(cuts.get(doc_id, [])):
            left = text[:start].rstrip(" ")
            text = left + text[end:]
        texts.append(text)
    out["text"] = pd.Series(texts, index=out.index, dtype=out["text"].dtype)
    return out
