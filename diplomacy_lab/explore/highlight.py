"""The evidence sentence as HTML, with the actor, the target and the stance cue marked, and the article around it.

Marks come from the mentions table (:func:`~diplomacy_lab.codebook.mentions.find_mentions`: offsets
in the article, pronouns resolved) for the statement's actor and target, and from the ``cue``
the classifier recorded. Colours are Okabe–Ito (actor sky blue, target orange, cue underlined
in bluish green), inline, so the HTML shows the same in a notebook, a widget or a saved page.

>>> import pandas as pd
>>> row = {"doc_id": "d", "sent_id": 0, "actor": "italy", "target": "troops", "cue": "rules out",
...        "evidence": "Rome rules out sending troops.", "start": 100, "end": 130}
>>> mentions = pd.DataFrame({"doc_id": ["d", "d"], "sent_id": [0, 0], "kind": ["actor", "target"],
...                          "id": ["italy", "troops"], "start": [100, 115], "end": [104, 129]})
>>> print(highlight_evidence(row, mentions))  # doctest: +NORMALIZE_WHITESPACE
<mark class="dl-actor" style="background:#D4ECF9;padding:0 1px">Rome</mark> <mark class="dl-cue"
style="background:none;text-decoration:underline 2px #009E73;font-weight:600">rules out</mark> <mark
class="dl-target" style="background:#FAE3B4;padding:0 1px">sending troops</mark>.
"""

from __future__ import annotations

import html
import re

import pandas as pd

__all__ = ["MARK_STYLES", "article_context", "highlight_evidence", "mark_spans"]

#: Inline style per mark: actor, target, cue (Okabe–Ito sky blue and orange, light; bluish green underline).
MARK_STYLES = {
    "actor": "background:#D4ECF9;padding:0 1px",
    "target": "background:#FAE3B4;padding:0 1px",
    "cue": "background:none;text-decoration:underline 2px #009E73;font-weight:600",
}
_ORDER = ("actor", "target", "cue")


def mark_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` as HTML with each ``(start, end, kind)`` span (offsets into ``text``) in a ``<mark>``;
    overlapping spans split into runs that carry every kind they belong to (``class="dl-actor dl-target"``).
    Spans outside the text are clipped; an unknown kind is a ValueError.

    >>> mark_spans("a < b", [(0, 1, "actor"), (4, 5, "target")]).count("<mark")
    2
    >>> "&lt;" in mark_spans("a < b", [])
    True
    """
    kinds = [set() for _ in text]
    for start, end, kind in spans:
        if kind not in MARK_STYLES:
            raise ValueError(f"unknown mark kind {kind!r}; kinds: {list(MARK_STYLES)}")
        for i in range(max(0, int(start)), min(len(text), int(end))):
            kinds[i].add(kind)
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and kinds[j] == kinds[i]:
            j += 1
        chunk = html.escape(text[i:j])
        if kinds[i]:
            ordered = [k for k in _ORDER if k in kinds[i]]
            style = ";".join(MARK_STYLES[k] for k in reversed(ordered))
            chunk = f'<mark class="{" ".join(f"dl-{k}" for k in ordered)}" style="{style}">{chunk}</mark>'
        out.append(chunk)
        i = j
    return "".join(out)


def _cue_span(evidence: str, cue) -> tuple[int, int] | None:
    if not isinstance(cue, str) or not cue.strip():
        return None
    found = re.search(re.escape(cue.strip()), evidence, flags=re.IGNORECASE)
    return (found.start(), found.end()) if found else None


def evidence_spans(row, mentions: pd.DataFrame | None = None) -> list[tuple[int, int, str]]:
    """The marks of one statement row: its actor's and target's mentions in its sentence, and its cue.

    Without ``mentions`` only the cue is marked (pass the study's mentions, or a codebook to the browser)."""
    evidence = str(row.get("evidence") or "")
    spans = []
    if mentions is not None and len(mentions) and pd.notna(row.get("start")):
        offset = int(row["start"])
        here = mentions[(mentions["doc_id"] == row["doc_id"]) & (mentions["sent_id"] == row["sent_id"])]
        for kind, ident in (("actor", row.get("actor")), ("target", row.get("target"))):
            for m in here[(here["kind"] == kind) & (here["id"] == ident)].itertuples():
                spans.append((int(m.start) - offset, int(m.end) - offset, kind))
    cue = _cue_span(evidence, row.get("cue"))
    if cue:
        spans.append((*cue, "cue"))
    return spans


def highlight_evidence(row, mentions: pd.DataFrame | None = None) -> str:
    """The statement's evidence sentence as HTML with its actor, target and cue marked."""
    row = row if isinstance(row, dict) else dict(row)
    return mark_spans(str(row.get("evidence") or ""), evidence_spans(row, mentions))


def article_context(text: str, start: int, end: int, chars: int = 400, marked: str | None = None) -> str:
    """The article around a sentence, as HTML: up to ``chars`` characters either side (cut at a word
    boundary, "…" where the article goes on), the sentence in bold (``marked``: its HTML with marks, from
    :func:`highlight_evidence`). Paragraph breaks are kept as ``<br>``.

    >>> article_context("First one. The sentence here. Last one.", 11, 29, chars=6)
    '…one. <b>The sentence here.</b> Last…'
    """
    if not isinstance(text, str) or not 0 <= start <= end <= len(text):
        raise ValueError(f"the sentence span {start}–{end} is not inside the article text ({len(text or '')} characters)")
    left_start = max(0, start - chars)
    if left_start > 0:
        space = text.find(" ", left_start)
        left_start = space + 1 if 0 <= space < start else left_start
    right_end = min(len(text), end + chars)
    if right_end < len(text):
        space = text.rfind(" ", end, right_end)
        right_end = space if space > end else right_end

    def para(s: str) -> str:
        return html.escape(s).replace("\n\n", "<br><br>").replace("\n", "<br>")

    middle = marked if marked is not None else para(text[start:end])
    return (("…" if left_start > 0 else "") + para(text[left_start:start]) + f"<b>{middle}</b>"
            + para(text[end:right_end]) + ("…" if right_end < len(text) else ""))
