"""Target anaphors: "the deal" names the Joint Comprehensive Plan of Action once the article has named it.

A codebook target may list ``anaphors`` (phrases such as "the deal", "the agreement", "the pact").
An anaphor counts as a mention of the target only in an article where the target itself was
already named (by one of its patterns), and it refers to the target named last among those that
share the phrase: after "the Paris agreement ... the Iran deal", "the deal" is the Iran deal when
both list it. An anaphor inside a target mention adds nothing. The new mentions have ``via``
``anaphor``.

>>> import pandas as pd
>>> from diplomacy_lab.codebook.schema import load_codebook
>>> from diplomacy_lab.codebook.mentions import find_mentions
>>> from diplomacy_lab.text.sentences import sentences
>>> cb = load_codebook({"name": "d", "actors": {"iran": {"name": "Iran", "country": "Iran", "kind": "government",
...     "aliases": ["Iran"]}}, "targets": {"jcpoa": {"label": "The nuclear deal", "patterns": ["JCPOA"],
...     "anaphors": ["the deal"]}}})
>>> text = "The deal was signed. Iran backed the JCPOA. Iran said the deal holds."
>>> m = find_mentions(sentences(pd.DataFrame({"doc_id": ["a"], "text": [text]})), cb)
>>> m.loc[m["kind"] == "target", ["sent_id", "surface", "via"]].values.tolist()
[[1, 'JCPOA', 'pattern'], [2, 'the deal', 'anaphor']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diplomacy_lab.codebook.schema import Codebook
from diplomacy_lab.text.phrases import compile_phrase, find_phrase

__all__ = ["resolve_anaphors"]


def _anaphor_owners(codebook: Codebook) -> dict[str, list[str]]:
    """Phrase key -> the targets that list it (as phrases to search: the first spelling given)."""
    owners: dict[str, list[str]] = {}
    for target in codebook.targets.values():
        for phrase in target.anaphors:
            owners.setdefault(phrase, []).append(target.id)
    return owners


def resolve_anaphors(mentions: pd.DataFrame, sentences: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """``mentions`` plus one target mention (``via="anaphor"``) per anaphor that refers to a target
    named earlier in its article; rows re-sorted like :func:`~diplomacy_lab.codebook.mentions.find_mentions`."""
    owners = _anaphor_owners(codebook)
    if not owners or mentions.empty:
        return mentions
    targets = mentions[(mentions["kind"] == "target") & (mentions["via"] == "pattern")]
    if targets.empty:
        return mentions
    first_seen = targets.groupby(["doc_id", "id"])["start"].min()
    named_docs = set(targets["doc_id"])
    spans = {doc: list(zip(g["start"], g["end"])) for doc, g in targets.groupby("doc_id")}
    compiled = {phrase: compile_phrase(phrase) for phrase in owners}
    rows = []
    for doc, sent_id, start, text in zip(sentences["doc_id"], sentences["sent_id"], sentences["start"],
                                         sentences["text"]):
        if doc not in named_docs or not isinstance(text, str):
            continue
        for phrase, pattern in compiled.items():
            for s, e in find_phrase(text, pattern):
                s, e = s + int(start), e + int(start)
                if any(a < e and s < b for a, b in spans[doc]):
                    continue  # inside a target's own mention ("the deal" in "the Iran deal")
                named = [(t, _last_before(targets, doc, t, s)) for t in owners[phrase]
                         if first_seen.get((doc, t), np.inf) < s]
                if not named:
                    continue
                target = max(named, key=lambda pair: pair[1])[0]
                rows.append((doc, sent_id, "target", target, s, e, text[s - int(start):e - int(start)], "anaphor", False))
    if not rows:
        return mentions
    extra = pd.DataFrame(rows, columns=["doc_id", "sent_id", "kind", "id", "start", "end", "surface", "via", "in_target"])
    extra = extra.drop_duplicates(["doc_id", "id", "start", "end"])
    order = {doc: i for i, doc in enumerate(pd.unique(sentences["doc_id"]))}
    out = pd.concat([mentions, extra.astype(mentions.dtypes.to_dict())], ignore_index=True)
    out = out.assign(_doc=out["doc_id"].map(order), _actor=out["kind"] != "actor", _len=out["start"] - out["end"])
    out = out.sort_values(["_doc", "start", "_len", "_actor"], kind="stable").drop(columns=["_doc", "_actor", "_len"])
    return out.reset_index(drop=True)


def _last_before(targets: pd.DataFrame, doc, target: str, position: int) -> int:
    """Where ``target`` was last named in ``doc`` before ``position``."""
    starts = targets.loc[(targets["doc_id"] == doc) & (targets["id"] == target), "start"]
    return int(starts[starts < position].max())
