"""BIO tags -> attribution relations (character spans), plus ``kind``.

Per document, in order:

1. runs of ``B-X I-X ...`` become spans (a stray ``I-X`` starts a span);
2. each cue span starts one relation;
3. each source span joins the nearest cue of its window (token distance);
   a cue keeps only its nearest source; a cue left without one shares the
   nearest source of its sentence (PolNeAR ties one source to several cues:
   "Trump tweeted ... and encouraged ...");
4. each content span joins the nearest cue of its window; a content span in
   a window without a cue (a quote paragraph whose speaker comes later or
   earlier) joins the nearest cue at most ``max_gap`` windows away, by
   character distance; otherwise it is dropped;
5. rules: a pleonastic "It" before a passive cue ("It was reported
   that") is no source; "According to X, ..." without content gets the rest
   of its sentence;
6. ``kind``: ``direct`` when at least 90% of the content's tokens are inside
   quote marks, ``indirect`` when none is, ``mixed`` in between, ``other``
   when there is no content; ``confidence`` is the mean CRF marginal
   probability of the relation's tokens' labels.

>>> from .tokens import windows
>>> w = windows('Kim said "no."')[0]
>>> rel = decode_document([(w, ["B-SRC", "B-CUE", "B-CNT", "I-CNT", "I-CNT", "I-CNT"], [0.9] * 6)])
>>> rel[0]["source_spans"], rel[0]["cue_spans"], rel[0]["content_spans"], rel[0]["kind"]
([(0, 3)], [(4, 8)], [(9, 14)], 'direct')
"""
from __future__ import annotations


def _spans(tags):
    """``(role, first, last)`` token runs of a tag sequence."""
    out, current = [], None
    for i, tag in enumerate(tags):
        if tag == "O":
            current = None
            continue
        bio, role = tag.split("-", 1)
        if bio == "B" or current is None or current[0] != role:
            current = [role, i, i]
            out.append(current)
        else:
            current[2] = i
    return out


_AUXILIARIES = {"is", "was", "has", "had", "have", "been", "be", "being", "are", "were"}


def _expletive(window, source, cue) -> bool:
    """Pleonastic "It" source of a passive cue: "It was reported that ..."."""
    return (source["a"] == source["b"] and window.words[source["a"]].lower() == "it"
            and source["b"] + 1 == cue["a"] and window.words[cue["a"]].lower() in _AUXILIARIES)


def _according_to_content(window, after):
    """Rest of the sentence after "According to X," (the CRF often misses it)."""
    a = after + 1
    if a < len(window) and window.words[a] == ",":
        a += 1
    b = a
    while b < len(window) and not window.sentence_start[b]:
        b += 1
    while b > a and window.words[b - 1] in ".,;:!?":
        b -= 1
    if b - a < 2:
        return None
    return {"w": None, "a": a, "b": b - 1, "start": window.starts[a], "end": window.ends[b - 1],
            "probs": [], "quoted": sum(q != "out" for q in window.quote[a:b]), "n": b - a}


def decode_document(tagged, max_gap: int = 2) -> list[dict]:
    """Relations from ``[(window, tags, marginals), ...]`` of one document."""
    cues, sources, contents = [], [], []
    for w_index, (window, tags, probs) in enumerate(tagged):
        sentence, k = [], -1
        for flag in window.sentence_start:
            k += bool(flag)
            sentence.append(k)
        for role, a, b in _spans(tags):
            item = {"w": w_index, "a": a, "b": b, "s": sentence[a], "start": window.starts[a],
                    "end": window.ends[b], "probs": list(probs[a:b + 1]),
                    "quoted": sum(q != "out" for q in window.quote[a:b + 1]), "n": b - a + 1}
            {"CUE": cues, "SRC": sources, "CNT": contents}[role].append(item)
    relations = [{"cue": c, "sources": [], "contents": []} for c in cues]
    by_window = {}
    for rel in relations:
        by_window.setdefault(rel["cue"]["w"], []).append(rel)

    def token_gap(item, rel):
        c = rel["cue"]
        return c["a"] - item["b"] if item["b"] < c["a"] else item["a"] - c["b"]

    for item in sources:
        here = by_window.get(item["w"])
        if here:
            best = min(here, key=lambda r: token_gap(item, r))
            best["sources"].append((token_gap(item, best), item))
    for rel in relations:  # a source shared by several cues of its sentence
        if not rel["sources"]:
            c = rel["cue"]
            same = [x for x in sources if x["w"] == c["w"] and x["s"] == c["s"]]
            if same:
                best = min(same, key=lambda x: token_gap(x, rel))
                rel["sources"].append((token_gap(best, rel), best))
    for item in contents:
        here = by_window.get(item["w"])
        if here:
            min(here, key=lambda r: token_gap(item, r))["contents"].append(item)
            continue
        near = [r for r in relations if abs(r["cue"]["w"] - item["w"]) <= max_gap]
        if near:
            def char_gap(r):
                c = r["cue"]
                return c["start"] - item["end"] if item["end"] <= c["start"] else item["start"] - c["end"]
            min(near, key=char_gap)["contents"].append(item)
    out = []
    for rel in relations:
        cue = rel["cue"]
        window = tagged[cue["w"]][0]
        source = [min(rel["sources"], key=lambda t: t[0])[1]] if rel["sources"] else []
        if source and _expletive(window, source[0], cue):
            source = []
        if not rel["contents"] and window.words[cue["a"]].lower() == "according":
            extra = _according_to_content(window, source[0]["b"] if source else cue["b"])
            if extra:
                rel["contents"].append(extra)
        contents = sorted(rel["contents"], key=lambda x: x["start"])
        parts = [cue] + source + contents
        probs = [p for part in parts for p in part["probs"]]
        n_content = sum(c["n"] for c in contents)
        quoted = sum(c["quoted"] for c in contents)
        if not n_content:
            kind = "other"
        elif quoted >= 0.9 * n_content:
            kind = "direct"
        elif quoted == 0:
            kind = "indirect"
        else:
            kind = "mixed"
        out.append({
            "source_spans": [(s["start"], s["end"]) for s in source],
            "cue_spans": [(cue["start"], cue["end"])],
            "content_spans": [(c["start"], c["end"]) for c in contents],
            "kind": kind,
            "confidence": sum(probs) / len(probs) if probs else 0.0,
        })
    return out


def span_kinds(table, texts) -> list[str]:
    """``kind`` of each row of an attributions table (e.g. gold) from its content spans.

    ``texts``: DataFrame ``doc_id, text``.  Same rule as :func:`decode_document`.
    """
    from .tokens import iter_windows

    states = {}
    for doc_id, text in zip(texts["doc_id"], texts["text"]):
        starts, quoted = [], []
        for w in iter_windows(text if isinstance(text, str) else ""):
            starts.extend(w.starts)
            quoted.extend(q != "out" for q in w.quote)
        states[doc_id] = (starts, quoted)
    out = []
    from bisect import bisect_left
    for doc_id, spans in zip(table["doc_id"], table["content_spans"]):
        starts, quoted = states.get(doc_id, ([], []))
        n = q = 0
        for a, b in spans or []:
            for i in range(bisect_left(starts, a), bisect_left(starts, b)):
                n += 1
                q += quoted[i]
        out.append("other" if not n else "direct" if q >= 0.9 * n else "indirect" if not q else "mixed")
    return out
