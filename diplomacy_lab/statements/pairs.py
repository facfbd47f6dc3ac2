"""Statement candidates for a learned scorer: every actor near every target, with what the rules and
the attributions say about the pair.

The rule extractor proposes few pairs (about half of the gold actor-target pairs of the
development domains); an actor at most one sentence from the target covers about 80% of them, at
most two sentences about 84% (the default ``window``).
:func:`statement_pairs` lists those pairs (one row per target mention and actor mention at most
``window`` sentences apart) and :func:`pair_features` describes each with
features that do not name the domain: how the rules read it (holder, stance, cue), whether a
learned attribution makes the actor the source of content holding the target, cue counts of
the sentence, distances, and the words between actor and target.

>>> import pandas as pd
>>> from diplomacy_lab.codebook.schema import load_codebook
>>> from diplomacy_lab.codebook.mentions import find_mentions
>>> from diplomacy_lab.text.sentences import sentences
>>> cb = load_codebook({"name": "d", "actors": {"meloni": {"name": "Giorgia Meloni", "country": "Italy",
...     "gender": "female", "aliases": ["Meloni"]}}, "targets": {"troops": {"label": "Troops", "patterns": ["sending troops"]}}})
>>> arts = pd.DataFrame({"doc_id": ["a"], "text": ["Meloni spoke on Monday. She rejected sending troops."]})
>>> sents = sentences(arts)
>>> statement_pairs(sents, find_mentions(sents, cb))[["doc_id", "sent_id", "actor", "target", "offset"]]
  doc_id  sent_id   actor  target  offset
0      a        1  meloni  troops       0
1      a        1  meloni  troops      -1
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from diplomacy_lab.checks import require_columns
from diplomacy_lab.statements.cues import CueLexicon

__all__ = ["PAIR_COLUMNS", "pair_features", "statement_pairs"]

PAIR_COLUMNS = ["doc_id", "sent_id", "actor", "target", "offset", "actor_start", "actor_end", "target_start",
                "target_end", "via", "in_target", "actor_sent_id"]
#: Sentences before and after a target's sentence in which an actor counts as near it (two: the actor
#: of a statement is often named two sentences before it, e.g. before a quote and its "he said").
WINDOW = 2
_WORD = re.compile(r"[\w'’-]+")
_HOLDERS = ("subject", "speaker", "owner", "critic", "agent", "they", "coordinated", "none")
_VIAS = ("alias", "role", "metonymy", "pronoun", "speaker_only")
_KINDS = ("direct", "indirect", "mixed", "other")


def statement_pairs(sents: pd.DataFrame, mentions: pd.DataFrame, window: int = WINDOW) -> pd.DataFrame:
    """One row per target mention and actor mention at most ``window`` sentences apart (``offset`` =
    actor's sentence minus the target's); offsets index the article text. Facts are not targets."""
    require_columns(sents, ["doc_id", "sent_id", "start", "end", "text"], "sentences")
    require_columns(mentions, ["doc_id", "sent_id", "kind", "id", "start", "end", "via", "in_target"], "mentions")
    actors = mentions[mentions["kind"] == "actor"].rename(columns={
        "id": "actor", "start": "actor_start", "end": "actor_end", "sent_id": "actor_sent_id"})
    targets = mentions[mentions["kind"] == "target"].rename(columns={
        "id": "target", "start": "target_start", "end": "target_end"})
    if actors.empty or targets.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    pairs = targets[["doc_id", "sent_id", "target", "target_start", "target_end"]].merge(
        actors[["doc_id", "actor_sent_id", "actor", "actor_start", "actor_end", "via", "in_target"]], on="doc_id")
    pairs["offset"] = pairs["actor_sent_id"] - pairs["sent_id"]
    pairs = pairs[pairs["offset"].abs() <= window]
    pairs = pairs.sort_values(["doc_id", "sent_id", "target_start", "offset", "actor_start"], kind="stable",
                              key=lambda s: s.abs() if s.name == "offset" else s)
    return pairs[PAIR_COLUMNS].reset_index(drop=True)


def _rule_columns(pairs: pd.DataFrame, rules: pd.DataFrame | None) -> pd.DataFrame:
    """The rules' reading of each pair's sentence: holder, stance, confidence (neutral rows included)."""
    keys = ["doc_id", "sent_id", "actor", "target"]
    if rules is None or rules.empty:
        return pd.DataFrame({"rule_holder": "none", "rule_stance": "none", "rule_confidence": 0.0}, index=pairs.index)
    best = (rules.sort_values("confidence", ascending=False, kind="stable").drop_duplicates(keys)
            [keys + ["holder", "stance", "confidence"]])
    merged = pairs[keys].merge(best, on=keys, how="left")
    return pd.DataFrame({"rule_holder": merged["holder"].fillna("none").to_numpy(),
                         "rule_stance": merged["stance"].fillna("none").to_numpy(),
                         "rule_confidence": merged["confidence"].fillna(0.0).to_numpy()}, index=pairs.index)


def _attribution_columns(pairs: pd.DataFrame, attributions: pd.DataFrame | None) -> pd.DataFrame:
    """Whether a learned attribution has the actor as its source and the target in its content."""
    out = pd.DataFrame({"attr_source": 0.0, "attr_content": 0.0, "attr_both": 0.0, "attr_confidence": 0.0,
                        "attr_kind": "none"}, index=pairs.index)
    if attributions is None or attributions.empty or pairs.empty:
        return out
    by_doc = {doc: g for doc, g in attributions.groupby("doc_id", sort=False)}
    for i, (doc, a0, a1, t0, t1) in enumerate(zip(pairs["doc_id"], pairs["actor_start"], pairs["actor_end"],
                                                  pairs["target_start"], pairs["target_end"])):
        rows = by_doc.get(doc)
        if rows is None:
            continue
        src = (rows["source_start"] >= 0) & (rows["source_start"] < a1) & (rows["source_end"] > a0)
        cnt = (rows["content_start"] >= 0) & (rows["content_start"] < t1) & (rows["content_end"] > t0)
        both = src & cnt
        index = pairs.index[i]
        out.at[index, "attr_source"] = float(src.any())
        out.at[index, "attr_content"] = float(cnt.any())
        out.at[index, "attr_both"] = float(both.any())
        if both.any():
            best = rows[both].sort_values("confidence", ascending=False).iloc[0]
            out.at[index, "attr_confidence"] = float(best["confidence"])
            out.at[index, "attr_kind"] = str(best["kind"])
    return out


def _cue_columns(pairs: pd.DataFrame, texts: pd.Series, starts: pd.Series, classifier) -> pd.DataFrame:
    """The cue classifier's reading of the target in its sentence, whoever holds it: stance and confidence
    (the target's own codebook cues count when the classifier has them)."""
    X = pd.DataFrame({
        "text": [texts.get((d, s), "") for d, s in zip(pairs["doc_id"], pairs["sent_id"])],
        "target": pairs["target"].to_numpy(), "target_start": 0, "target_end": 0})
    base = np.array([int(starts.get((d, s), 0)) for d, s in zip(pairs["doc_id"], pairs["sent_id"])], dtype=np.int64)
    X["target_start"] = pairs["target_start"].to_numpy(dtype=np.int64) - base
    X["target_end"] = pairs["target_end"].to_numpy(dtype=np.int64) - base
    columns = ["text", "target", "target_start", "target_end"]
    unique = X.drop_duplicates(columns)
    read = classifier.explain(unique)
    keyed = dict(zip(zip(*(unique[c] for c in columns)), zip(read["stance"], read["confidence"])))
    got = [keyed[key] for key in zip(*(X[c] for c in columns))]
    return pd.DataFrame({"cue_stance": [g[0] for g in got], "cue_confidence": [g[1] for g in got]}, index=pairs.index)


def pair_features(pairs: pd.DataFrame, sents: pd.DataFrame, lexicon: CueLexicon, rules: pd.DataFrame | None = None,
                  attributions: pd.DataFrame | None = None, classifier=None) -> tuple[np.ndarray, list[str], list[str]]:
    """``(dense, names, between)``: a dense feature matrix with its column names, and per pair the
    lower-cased words between actor and target (same sentence; empty otherwise) for a text model.
    ``classifier``: a fitted cue classifier (its ``explain`` reads each pair's target in its sentence)."""
    texts = sents.set_index(["doc_id", "sent_id"])["text"]
    starts = sents.set_index(["doc_id", "sent_id"])["start"]
    rule = _rule_columns(pairs, rules)
    attr = _attribution_columns(pairs, attributions)
    cue = _cue_columns(pairs, texts, starts, classifier) if classifier is not None and len(pairs) else None
    actors_per_sentence = pairs.groupby(["doc_id", "sent_id"])["actor"].transform("nunique")
    mentions_of_actor = pairs.groupby(["doc_id", "actor"])["actor_start"].transform("nunique")
    rows, between = [], []
    for i, pair in enumerate(pairs.itertuples(index=False)):
        key = (pair.doc_id, pair.sent_id)
        text, base = texts.get(key, ""), int(starts.get(key, 0))
        cues = lexicon.find(text, 1.0, 0.5)
        count = {(c.polarity, c.weight == 1.0): 0 for c in cues}
        for c in cues:
            count[(c.polarity, c.weight == 1.0)] = count.get((c.polarity, c.weight == 1.0), 0) + 1
        same = pair.offset == 0
        lo, hi = sorted((pair.actor_end - base, pair.target_start - base)) if same else (0, 0)
        gap_words = _WORD.findall(text[max(lo, 0):max(hi, 0)].lower()) if same else []
        between.append(" ".join(gap_words[:12]))
        distance = abs(pair.target_start - pair.actor_start)
        r = rule.iloc[i]
        a = attr.iloc[i]
        row = {
            "offset_prev": float(pair.offset < 0), "offset_same": float(same), "offset_next": float(pair.offset > 0),
            "offset_far": float(abs(pair.offset) > 1),
            "log_distance": math.log1p(distance), "actor_first": float(pair.actor_start < pair.target_start),
            "gap_words": float(len(gap_words)), "in_target": float(bool(pair.in_target)),
            "actors_in_sentence": float(actors_per_sentence.iloc[i]),
            "log_actor_mentions": math.log1p(float(mentions_of_actor.iloc[i])),
            "cue_support_strong": float(count.get(("support", True), 0)),
            "cue_support_weak": float(count.get(("support", False), 0)),
            "cue_oppose_strong": float(count.get(("oppose", True), 0)),
            "cue_oppose_weak": float(count.get(("oppose", False), 0)),
            "negators": float(len(lexicon.negators.findall(text))),
            "reporting": float(len(lexicon.reporting.findall(text))),
            "quote": float(any(q in text for q in '"“”')),
            "rule_support": float(r["rule_stance"] == "support") * float(r["rule_confidence"]),
            "rule_oppose": float(r["rule_stance"] == "oppose") * float(r["rule_confidence"]),
            "rule_neutral": float(r["rule_stance"] == "neutral"),
            "rule_candidate": float(r["rule_stance"] != "none"),
            "attr_source": a["attr_source"], "attr_content": a["attr_content"], "attr_both": a["attr_both"],
            "attr_confidence": a["attr_confidence"],
        }
        if cue is not None:
            stance, confidence = cue["cue_stance"].iloc[i], float(cue["cue_confidence"].iloc[i])
            row["cue_support"] = confidence if stance == "support" else 0.0
            row["cue_oppose"] = confidence if stance == "oppose" else 0.0
        for holder in _HOLDERS:
            row[f"holder_{holder}"] = float(r["rule_holder"] == holder)
        for via in _VIAS:
            row[f"via_{via}"] = float(pair.via == via)
        for kind in _KINDS:
            row[f"attr_kind_{kind}"] = float(a["attr_kind"] == kind)
        rows.append(row)
    names = list(rows[0]) if rows else []
    dense = np.array([[row[n] for n in names] for row in rows], dtype=float) if rows else np.zeros((0, 0))
    return dense, names, between
