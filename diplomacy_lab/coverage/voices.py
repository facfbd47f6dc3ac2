"""Whose voice is heard: who each outlet reports speaking, and their share of the speech.

>>> import pandas as pd
>>> sents = pd.DataFrame({"doc_id": ["a"], "sent_id": [0], "start": [0], "end": [40],
...                       "text": ["Meloni said Italy would not send troops."]})
>>> ments = pd.DataFrame({"doc_id": ["a"], "sent_id": [0], "kind": ["actor"], "id": ["meloni"],
...                       "start": [0], "end": [6], "surface": ["Meloni"], "via": ["alias"]})
>>> reported_speech(sents, ments)[["actor", "verb", "quoted"]]
    actor  verb  quoted
0  meloni  said   False
"""

from __future__ import annotations

import re

import pandas as pd
from matplotlib.figure import Figure

from diplomacy_lab.charts.share_bars import finish_share_axes, share_bars, stacked_share_bars
from diplomacy_lab.charts.style import (
    annotate_figure,
    category_order,
    house_style,
    new_figure,
)
from diplomacy_lab.charts.wording import tie_phrase, tied_leaders
from diplomacy_lab.checks import require_columns
from diplomacy_lab.coverage.attention import add_share
from diplomacy_lab.statements.cues import load_cues
from diplomacy_lab.statements.holders import DETERMINERS, is_object, is_possessive, quote_spans, words_before

__all__ = ["SPEECH_COLUMNS", "plot_voice_share", "reported_speech", "voice_share"]

SPEECH_COLUMNS = ["doc_id", "sent_id", "actor", "surface", "via", "verb", "quoted", "text"]
_GAP = re.compile(r"^\s*(?:\w+\s+){0,3}$")  # at most three words, no punctuation, between speaker and verb


def reported_speech(sentences: pd.DataFrame, mentions: pd.DataFrame, lexicon=None) -> pd.DataFrame:
    """Who is reported speaking: one row per sentence and actor named as the speaker of a speech verb.

    A speaker is the actor mention at most three words before a speech verb ("Yury Ushakov
    has said", "She stressed that") or right after it after a closing quote or "according
    to" ('...," said Peskov'). Speech verbs are the cue lexicon's reporting verbs (the
    package's one list unless a lexicon gives its own); verbs inside quotes or after a determiner ("this warning") do not
    count, nor actors that are objects, possessives ("Putin's aide") or inside a target
    phrase. Pronouns count as resolved by ``find_mentions`` (they can be wrong).
    ``quoted`` says whether the sentence holds a quotation. Columns: :data:`SPEECH_COLUMNS`.

    >>> from diplomacy_lab.text.sentences import sentences as split
    >>> arts = pd.DataFrame({"doc_id": ["a"], "text": ["Peskov said talks were “possible”. Trump met Putin."]})
    >>> sents = split(arts)
    >>> m = pd.DataFrame({"doc_id": ["a"] * 3, "sent_id": [0, 1, 1], "kind": ["actor"] * 3,
    ...     "id": ["peskov", "trump", "putin"], "start": [0, 35, 45], "end": [6, 40, 50],
    ...     "surface": ["Peskov", "Trump", "Putin"], "via": ["alias"] * 3, "in_target": [False] * 3})
    >>> reported_speech(sents, m)[["sent_id", "actor", "verb", "quoted"]]
       sent_id   actor verb  quoted
    0        0  peskov said    True
    """
    require_columns(sentences, ["doc_id", "sent_id", "start", "text"], "sentences")
    require_columns(mentions, ["doc_id", "sent_id", "kind", "id", "start", "end", "surface", "via"], "mentions")
    verbs = (lexicon or load_cues()).speech
    starts = dict(zip(zip(sentences["doc_id"], sentences["sent_id"]), zip(sentences["start"], sentences["text"])))
    actors = mentions[mentions["kind"] == "actor"]
    if "in_target" in actors:
        actors = actors[~actors["in_target"].fillna(False).astype(bool)]
    by_sentence: dict[tuple, list] = {}
    for d, sid, s, e, i, surf, via in zip(actors["doc_id"], actors["sent_id"], actors["start"], actors["end"],
                                          actors["id"], actors["surface"], actors["via"]):
        by_sentence.setdefault((d, sid), []).append((int(s), int(e), i, surf, via))
    rows = []
    for key, found in by_sentence.items():
        if key not in starts:
            raise ValueError(f"mentions refer to sentence {key} that is not in sentences; pass the sentences "
                             "the mentions were found in")
        base, text = starts[key]
        cands = sorted((s - base, e - base, i, surf, via) for s, e, i, surf, via in found)
        cands = [c for c in cands if not is_possessive(text, c[1])]
        quotes = quote_spans(text)
        seen = set()
        for v in verbs.finditer(text):
            if any(q.start <= v.start() < q.end for q in quotes) or set(words_before(text, v.start())) & DETERMINERS:
                continue  # quoted words, or a noun ("his comments", "this warning")
            speaker = None
            inverted = re.search(r"[”\"’],?\s*$", text[: v.start()]) or v.group().lower().startswith("accord")
            after = [c for c in cands if c[0] >= v.end() and not text[v.end() : c[0]].strip(" ,")]
            if inverted and after:
                speaker = after[0]
            elif not v.group().lower().startswith("accord"):
                before = [c for c in cands if c[1] <= v.start()]
                if before and _GAP.match(text[before[-1][1] : v.start()]) and not is_object(text, before[-1][0]):
                    speaker = before[-1]
            if speaker and speaker[2] not in seen:
                seen.add(speaker[2])
                rows.append((key[0], key[1], speaker[2], speaker[3], speaker[4], v.group(), bool(quotes), text))
    out = pd.DataFrame(rows, columns=SPEECH_COLUMNS)
    return out.sort_values(["doc_id", "sent_id"], kind="stable").reset_index(drop=True)


def voice_share(
    speech: pd.DataFrame,
    articles: pd.DataFrame,
    by: str = "outlet",
    voice="actor",
    codebook=None,
) -> pd.DataFrame:
    """Per outlet: the share of its reported speech given to each voice, with counts and Wilson bounds.

    ``speech`` is :func:`reported_speech` output, or any table with ``doc_id`` and ``actor``
    (e.g. statements with ``holder == "speaker"``); a unit is one sentence and actor
    (``sent_id`` when present). ``voice`` groups actors: ``"actor"``, ``"country"`` or
    ``"kind"`` (these two from ``codebook``), or a dict actor -> group (others become
    "other"). Columns: ``by, voice`` (+ ``label`` for actors with a codebook), ``speech``
    (units of this voice), ``speech_total`` (all the outlet's units), ``speech_share``,
    ``speech_low``, ``speech_high``, ``articles_with_voice``, ``articles``.
    """
    require_columns(speech, ["doc_id", "actor"], "speech")
    require_columns(articles, ["doc_id", by], "articles")
    if by in {"voice", "label", "articles"} or by.startswith("speech"):
        raise ValueError(f"by={by!r} clashes with an output column; rename that column of articles first")
    units = speech.drop_duplicates([c for c in ("doc_id", "sent_id", "actor") if c in speech])
    frame = articles[["doc_id", by]].copy()
    frame[by] = frame[by].astype(object).where(frame[by].notna(), "unknown")
    unknown = sorted(set(units["doc_id"]) - set(frame["doc_id"]))
    if unknown:
        raise ValueError(f"speech has {len(unknown)} doc_id(s) not in articles (e.g. {unknown[0]!r}); "
                         "pass the articles the speech was found in")
    if isinstance(voice, dict):
        groups = units["actor"].map(lambda a: voice.get(a, "other"))
    elif voice == "actor":
        groups = units["actor"]
    elif voice in ("country", "kind"):
        if codebook is None:
            raise ValueError(f"voice={voice!r} needs the codebook (codebook=...) to look up each actor's {voice}")
        lookup = {a.id: getattr(a, voice) for a in codebook.actors.values()}
        missing = sorted(set(units["actor"]) - set(lookup))
        if missing:
            raise ValueError(f"actors {missing[:5]} are not in the codebook; use the codebook the speech was found with")
        groups = units["actor"].map(lookup)
    else:
        raise ValueError(f"voice must be 'actor', 'country', 'kind' or a dict actor -> group, got {voice!r}")
    units = units.assign(voice=groups.to_numpy()).merge(frame, on="doc_id")
    outlets, voices = category_order(frame[by]), sorted(units["voice"].unique(), key=str)
    index = pd.MultiIndex.from_product([outlets, voices], names=[by, "voice"])
    out = index.to_frame(index=False)
    out["speech"] = units.groupby([by, "voice"]).size().reindex(index, fill_value=0).to_numpy(dtype="int64")
    out["speech_total"] = out[by].map(units.groupby(by).size()).fillna(0).astype("int64")
    add_share(out, "speech", "speech", "speech_total")
    docs = units.drop_duplicates(["doc_id", "voice"]).groupby([by, "voice"]).size()
    out["articles_with_voice"] = docs.reindex(index, fill_value=0).to_numpy(dtype="int64")
    out["articles"] = out[by].map(frame.groupby(by).size()).astype("int64")
    if voice == "actor" and codebook is not None:
        out.insert(2, "label", out["voice"].map(lambda a: codebook.actors[a].name if a in codebook.actors else a))
    return out


def plot_voice_share(
    table: pd.DataFrame,
    voice=None,
    by: str = "outlet",
    top: int = 6,
    title: str | None = None,
    subtitle: str | None = None,
    source_note: str | None = None,
) -> Figure:
    """Bars of a :func:`voice_share` table. With ``voice`` (e.g. "Russia"): that voice's share
    of each outlet's reported speech, Wilson interval as a whisker, "k of n" beside it.
    Without: each outlet's reported speech split among the ``top`` voices and "other".
    """
    require_columns(table, [by, "voice", "speech", "speech_total", "speech_share", "speech_low", "speech_high"], "table")
    outlets = category_order(table[by])
    names = dict(zip(table["voice"], table["label"] if "label" in table else table["voice"].astype(str)))
    what = f"{by.replace('_', ' ')}'s reported speech"
    with house_style():
        fig, ax = new_figure(width=7.0, height=max(3.0, 1.7 + 0.42 * len(outlets)))
        if voice is not None:
            if voice not in set(table["voice"]):
                raise ValueError(f"voice {voice!r} is not in the table; voices: {sorted(map(str, set(table['voice'])))}")
            rows = table[table["voice"] == voice].set_index(by).reindex(outlets)
            share_bars(ax, rows, "speech", "speech_total", "speech_share", "speech_low", "speech_high")
            spoken = rows[rows["speech"] > 0]
            leaders = tied_leaders(spoken["speech"])
            if len(leaders) == 1:
                best = spoken.loc[leaders[0]]
                default = (f"{leaders[0]} reports {names[voice]} speaking most: {int(best['speech'])} of its "
                           f"{int(best['speech_total'])} speaker-sentences")
            elif leaders:
                default = (f"{tie_phrase(leaders, what + 's')} in reporting {names[voice]} speaking most "
                           f"({int(spoken.loc[leaders[0], 'speech'])} speaker-sentences each)")
            else:
                default = f"No outlet reports {names[voice]} speaking"
            sub = f"Share of each {what} (speaker and sentence) given to {names[voice]}; whiskers: 95% Wilson interval"
        else:
            totals = table.groupby("voice")["speech"].sum().sort_values(ascending=False, kind="stable")
            keep = [v for v in totals.index[:top] if totals[v] > 0]
            wide = table.assign(voice=table["voice"].where(table["voice"].isin(keep), "other")) \
                .pivot_table(index=by, columns="voice", values="speech", aggfunc="sum", fill_value=0) \
                .reindex(index=outlets, fill_value=0)
            n = stacked_share_bars(ax, wide, keep, labels=names, legend_title="Speaker")
            leaders = [names.get(v, v) for v in tied_leaders(totals[totals > 0])]
            if len(leaders) == 1:
                default = f"{leaders[0]} is the voice reported most ({int(totals.max())} of {int(n.sum())})"
            elif leaders:
                default = (f"{tie_phrase(leaders, 'voices')} as the voice reported most "
                           f"({int(totals.max())} of {int(n.sum())} each)")
            else:
                default = "No reported speech by a codebook actor"
            sub = f"Each {what}, by speaker (number in bar: sentences); n = the outlet's speaker-sentences"
        finish_share_axes(ax, outlets)
        annotate_figure(fig, title or default, subtitle or sub, source_note)
    return fig
