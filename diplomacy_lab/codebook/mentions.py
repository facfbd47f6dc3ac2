"""Find the codebook's actors and targets in sentences: the mentions table.

One row per mention: ``doc_id, sent_id, kind, id, start, end, surface, via, in_target``.
``kind`` is ``actor``, ``target`` or ``fact`` (the codebook's optional facts, matched like
targets); ``via`` says how an actor was named (``alias``, ``role``, ``metonymy``, ``pronoun``,
``speaker_only``) and is ``pattern`` for targets and facts (``anaphor`` for a target's
anaphors); ``start``/``end`` are
offsets into the article text, so ``article_text[start:end] == surface``.

>>> import pandas as pd
>>> from diplomacy_lab.codebook.schema import load_codebook
>>> from diplomacy_lab.text.sentences import sentences
>>> cb = load_codebook({"name": "demo",
...     "actors": {"meloni": {"name": "Giorgia Meloni", "country": "Italy", "gender": "female",
...                           "aliases": ["Giorgia Meloni", "Meloni"], "roles": ["Italian Prime Minister"]},
...                "italy": {"name": "Government of Italy", "country": "Italy", "kind": "government",
...                          "aliases": ["Meloni's government"], "metonyms": ["Rome"]}},
...     "targets": {"troops": {"label": "Troops to Ukraine", "patterns": ["re:send(ing)? troops"]}}})
>>> text = "Italian Prime Minister Giorgia Meloni spoke in Rome. She ruled out sending troops."
>>> m = find_mentions(sentences(pd.DataFrame({"doc_id": ["a"], "text": [text]})), cb)
>>> m[["kind", "id", "start", "end", "surface", "via"]]
     kind      id  start  end                                surface       via
0   actor  meloni      0   37  Italian Prime Minister Giorgia Meloni     alias
1   actor   italy     47   51                                   Rome  metonymy
2   actor  meloni     53   56                                    She   pronoun
3  target  troops     67   81                         sending troops   pattern

A dated role names its actor only in articles dated inside its interval, so pass the articles
(``dates=``); a speaker_only phrase counts only as a subject or speaker:

>>> cb = load_codebook({"name": "us", "targets": {"deal": {"label": "Iran deal", "patterns": ["nuclear deal"]}},
...     "actors": {"obama": {"name": "Barack Obama", "country": "US", "roles": [
...                          {"phrase": "the president", "from": "2009-01-20", "to": "2017-01-19"}]},
...                "trump": {"name": "Donald Trump", "country": "US", "roles": [
...                          {"phrase": "the president", "from": "2017-01-20", "to": "2021-01-19"}]},
...                "iran": {"name": "Government of Iran", "country": "Iran", "kind": "government",
...                         "speaker_only": ["Iran"]}}})
>>> articles = pd.DataFrame({"doc_id": ["a", "b", "c"], "date": ["2015-07-14", "2018-05", None], "text": [
...     "The president hailed the nuclear deal. Iran said it would comply.",
...     "The president left the nuclear deal and put sanctions on Iran.",
...     "The president spoke."]})
>>> m = find_mentions(sentences(articles), cb, dates=articles)
>>> m.loc[m["kind"] == "actor", ["doc_id", "id", "surface", "via"]]
  doc_id     id        surface           via
0      a  obama  The president          role
2      a   iran           Iran  speaker_only
3      b  trump  The president          role
"""

from __future__ import annotations

import re
import warnings
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from diplomacy_lab.codebook.anaphors import resolve_anaphors
from diplomacy_lab.codebook.coordination import coordinated_role_spans
from diplomacy_lab.codebook.matcher import (
    FACT_OWNER,
    VIA_RANK,
    CompiledRegex,
    ContextPhrases,
    MentionMatcher,
    compile_codebook,
    is_word,
    key_ends,
)
from diplomacy_lab.codebook.schema import Codebook
from diplomacy_lab.codebook.speakers import is_speaker
from diplomacy_lab.loading.dates import PRECISIONS, parse_date
from diplomacy_lab.text.phrases import normalise_apostrophes

__all__ = ["COLUMNS", "find_mentions", "mention_counts"]

COLUMNS = ["doc_id", "sent_id", "kind", "id", "start", "end", "surface", "via", "in_target"]
COUNT_COLUMNS = ["doc_id", "kind", "id", "n"]
#: How many sentences before a pronoun's own sentence its antecedent may be in.
PRONOUN_WINDOW = 2

# Sentences are matched in one string, joined by this separator: "\n" stops "." and
# "\x00" stops "\s", so no plain phrase and few regexes can match across it.
_SEP = "\n\x00\n"
_VIAS = ("alias", "role", "metonymy", "speaker_only")  # by VIA_RANK


def _rejected(text: str, start: int, end: int) -> bool:
    """An empty match, or one that begins inside a word ("send" in "resend")."""
    return end == start or (start > 0 and is_word(text[start]) and is_word(text[start - 1]))




# --- finding ----------------------------------------------------------------------------------


def _respace(found: tuple, text: str) -> tuple:
    """``found`` with key lengths turned into lengths in ``text``, whose whitespace runs
    the keys write as one space."""
    ends = key_ends(text)  # ends[k]: the length in text of the first k key characters
    actor, targets, pronoun = found
    return (
        None if actor is None else (actor[0], actor[1], ends[actor[2]]),
        tuple((t, ends[n]) for t, n in targets),
        None if pronoun is None else (pronoun[0], ends[pronoun[1]]),
    )


def _search_regex(rgx: CompiledRegex, text: str, offsets: list[int], ends: list[int], out: list) -> None:
    """Append ``(start, end)`` of ``rgx``'s matches to ``out``: none begins inside a word or
    spans two sentences (a match across the separator is searched again sentence by sentence)."""
    rx = rgx.rx
    pos, n = 0, len(text)
    while pos <= n:
        m = rx.search(text, pos)
        if m is None:
            return
        s, e = m.span()
        if _rejected(text, s, e):
            pos = s + 1
            continue
        row = bisect_right(offsets, s) - 1
        if e <= ends[row]:
            out.append((s, e))
            pos = e
            continue
        last = bisect_right(offsets, e - 1) - 1
        for r in range(row, last + 1):  # the sentences the match spanned, each on its own
            p = offsets[r] if r > row else s
            while True:
                m = rx.search(text, p, ends[r])
                if m is None:
                    break
                s2, e2 = m.span()
                if _rejected(text, s2, e2):
                    p = s2 + 1
                    continue
                out.append((s2, e2))
                p = e2
        pos = ends[last] + 1


def _longest(cands: list[tuple], rank) -> list[tuple]:
    """The longest of overlapping actor candidates ``(s, e, actor, via_rank)``, then the
    next longest that does not overlap, and so on."""
    chosen: list[tuple] = []
    for c in sorted(cands, key=lambda c: (c[0] - c[1], c[0], c[3], rank[c[2]])):
        if all(c[1] <= s or c[0] >= e for s, e, _, _ in chosen):
            chosen.append(c)
    return sorted(chosen)


def _resolve_actors(cands: list[tuple], low: str, rank) -> list[tuple]:
    """Longest match wins among overlapping candidates; adjacent mentions of one actor merge
    ("Italian Prime Minister" + "Giorgia Meloni"), with the via of the name if there is one."""
    cands.sort()
    chosen: list[tuple] = []
    i, n = 0, len(cands)
    while i < n:
        first = cands[i]
        j, end = i + 1, first[1]
        while j < n and cands[j][0] < end:
            if cands[j][1] > end:
                end = cands[j][1]
            j += 1
        if j == i + 1:
            chosen.append(first)
        elif j == i + 2 and end == first[1] and cands[i + 1][1] - cands[i + 1][0] < end - first[0]:
            chosen.append(first)  # the common case: "Meloni" inside "Giorgia Meloni"
        else:
            chosen.extend(_longest(cands[i:j], rank))
        i = j
    merged: list[tuple] = []
    for c in chosen:
        if merged:
            s, e, actor, via = merged[-1]
            if actor == c[2] and (e == c[0] or low[e : c[0]].isspace()):
                merged[-1] = (s, c[1], actor, min(via, c[3]))
                continue
        merged.append(c)
    return merged


def _merge_targets(cands: list[tuple]) -> list[tuple]:
    """Overlapping mentions of one target become one span ``(s, e, target)``."""
    out: list[tuple] = []
    for s, e, target in sorted(cands, key=lambda c: (c[2], c[0], c[1])):
        if out and out[-1][2] == target and s < out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]), target)
        else:
            out.append((s, e, target))
    return out


def _overlaps(span_starts: np.ndarray, span_ends: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """For each ``(starts[i], ends[i])``: does it overlap one of the spans? (``span_starts`` sorted.)"""
    if not len(span_starts) or not len(starts):
        return np.zeros(len(starts), dtype=bool)
    max_end = np.maximum.accumulate(span_ends)
    idx = np.searchsorted(span_starts, ends, side="left") - 1  # the last span starting before the end
    return (idx >= 0) & (max_end[np.maximum(idx, 0)] > starts)


def _columns(records: list[tuple], k: int) -> list[list]:
    """``records`` as ``k`` column lists."""
    return [list(col) for col in zip(*records)] if records else [[] for _ in range(k)]


def _empty(sentences: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": sentences["doc_id"].iloc[:0].reset_index(drop=True),
            "sent_id": pd.Series([], dtype="int64"),
            "kind": pd.Series([], dtype="str"),
            "id": pd.Series([], dtype="str"),
            "start": pd.Series([], dtype="int64"),
            "end": pd.Series([], dtype="int64"),
            "surface": pd.Series([], dtype="str"),
            "via": pd.Series([], dtype="str"),
            "in_target": pd.Series([], dtype="bool"),
        },
        columns=COLUMNS,
    )


def find_mentions(sentences: pd.DataFrame, codebook: Codebook, pronouns: bool = True, dates=None) -> pd.DataFrame:
    """Mentions of the codebook's actors and targets in ``sentences`` (from :func:`sentences`).

    Rules:

    * overlapping actor matches: the longest wins ("Meloni's government" is ``italy``,
      "Kremlin spokesman" is ``peskov``); adjacent mentions of one actor merge into one
      ("Italian Prime Minister Giorgia Meloni", via ``alias``);
    * targets (and facts) do not hide each other; overlapping mentions of one target merge;
    * an actor mention overlapping a target mention ("Trump" in "Trump's peace efforts")
      is kept with ``in_target=True``, for the statements step to decide;
    * with ``pronouns``, "she/her/hers/herself" ("he/him/his/himself") is the nearest
      preceding female (male) person actor mentioned earlier in the sentence or in the
      :data:`PRONOUN_WINDOW` sentences before it (a resolved pronoun counts as a mention);
      unresolved pronouns give no row;
    * a dated role names its actor only in an article whose date (to its precision) overlaps
      the role's interval, and names nobody where it overlaps the intervals of two actors or
      where the article has no date; a speaker_only phrase names its actor only as a subject
      or speaker (:func:`~diplomacy_lab.codebook.speakers.is_speaker`). Both are candidates
      like any other phrase (the longest match wins) once their context allows them.

    ``dates``: the articles' dates, read only when the codebook has dated roles: the articles
    table (``doc_id, date`` and, if it has one, ``date_precision``) or a mapping (or Series)
    doc_id -> date. A date is a timestamp (day precision unless ``date_precision`` says
    otherwise) or a string ("2015-07-14", "2015-07", "2015": the precision it shows). By
    default the sentences' own ``date`` column, if they have one; with no dates at all, dated
    roles name nobody (with a warning).

    ``sentences`` needs ``doc_id, sent_id, start, text``; ``start`` (the sentence's offset in
    its article) turns offsets in the sentence into offsets in the article. Rows are sorted
    by document (in order of appearance), then ``start``, longer mentions first.

    All sentences are searched as one string: one trie regex of every plain phrase (built
    once per codebook and cached on it), plus one search per ``re:`` phrase.
    """
    texts = _texts(sentences, codebook)
    if not texts:
        return _empty(sentences)
    compiled = compile_codebook(codebook)
    joined = _Joined.of(texts)
    actor_cands, target_cands, pronoun_cands = _scan_phrases(compiled.mentions, joined.low, pronouns)
    # "French and British leaders": one role mention per adjective the codebook knows.
    actor_cands.extend((s, e, actor, VIA_RANK["role"])
                       for s, e, actor in coordinated_role_spans(joined.low, compiled.coordinated_roles))
    _search_regexes(compiled.mentions, joined, actor_cands, target_cands)
    if compiled.context:  # dated roles, speaker_only phrases: most codebooks have none
        actor_cands.extend(_context_candidates(compiled.context, joined, sentences, dates))
    actors = _columns(_resolve_actors(actor_cands, joined.low, compiled.mentions.actor_order), 4)
    targets = _columns(sorted(_merge_targets(target_cands)), 3)
    doc_codes = pd.factorize(sentences["doc_id"])[0].astype(np.int64)
    sent_ids = sentences["sent_id"].to_numpy(dtype=np.int64)
    resolved = [[], [], []]
    if pronoun_cands:
        resolved = _resolve_pronouns(actors[:3], pronoun_cands, compiled.mentions.person_gender, joined.offsets,
                                     doc_codes, sent_ids)
    found = _drop_datelines(_assemble(sentences, joined, actors, resolved, targets, doc_codes, sent_ids), sentences)
    return resolve_anaphors(found, sentences, codebook) if any(t.anaphors for t in codebook.targets.values()) else found


#: A news dateline at the start of a sentence: "MOSCOW (Reuters) - ", "BEIJING, June 5 (AP) — ",
#: "KYIV, Ukraine, March 3 -": a place in capitals, then an agency in brackets or a date, then a dash.
DATELINE = re.compile(
    r"^\s*[A-Z][A-Z'’.-]+(?:[ ,]+[A-Z][A-Za-z'’.-]+){0,3}"
    r"(?:(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?\s*\([^()\n]{1,40}\)"
    r"|,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)\s*[-–—]{1,2}\s")


def _drop_datelines(found: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Actor mentions inside a dateline are places of filing, not actors ("MOSCOW (Reuters) -" is not Moscow speaking)."""
    if found.empty:
        return found
    spans = {}
    for doc, start, text in zip(sentences["doc_id"], sentences["start"], sentences["text"]):
        m = DATELINE.match(text) if isinstance(text, str) else None
        if m:
            spans.setdefault(doc, []).append((int(start), int(start) + m.end()))
    if not spans:
        return found
    inside = [kind == "actor" and any(a <= s and e <= b for a, b in spans.get(doc, ()))
              for doc, kind, s, e in zip(found["doc_id"], found["kind"], found["start"], found["end"])]
    return found[~np.array(inside, dtype=bool)].reset_index(drop=True)


def _context_candidates(context: ContextPhrases, joined: _Joined, sentences: pd.DataFrame, dates) -> list[tuple]:
    """Actor candidates ``(start, end, actor, via rank)`` of the dated roles and speaker_only phrases their context allows."""
    found = context.find(joined.low)
    offsets, lengths = joined.offsets.tolist(), joined.lengths.tolist()
    ends = [o + n for o, n in zip(offsets, lengths)]
    for rgx in context.regexes:
        spans: list[tuple[int, int]] = []
        _search_regex(rgx, joined.low if rgx.lowered else joined.norm, offsets, ends, spans)
        found.extend((s, e, rgx.owner) for s, e in spans)
    if not found:
        return []
    rows = (np.searchsorted(joined.offsets, [s for s, _, _ in found], side="right") - 1).tolist()
    dated_rows = {r for (_, _, key), r in zip(found, rows) if key in context.dated}
    days = _sentence_days(sentences, dates, dated_rows) if dated_rows else {}
    out = []
    for (s, e, key), row in zip(found, rows):
        actor = context.speaker.get(key)
        if actor is not None:
            base = offsets[row]
            if is_speaker(joined.norm[base : ends[row]], s - base, e - base):
                out.append((s, e, actor, VIA_RANK["speaker_only"]))
            continue
        first, last = days.get(row, (None, None))
        if first is None:
            continue
        holders = [a for a, lo, hi in context.dated[key] if lo <= last and first <= hi]
        if len(holders) == 1:
            out.append((s, e, holders[0], VIA_RANK["role"]))
    return out


def _sentence_days(sentences: pd.DataFrame, dates, rows: set[int]) -> dict[int, tuple[int, int]]:
    """For the sentence ``rows`` (positions) whose article has a date: ``(first day, last day)`` of that
    date at its precision, as ordinals."""
    if dates is None and "date" in sentences.columns:
        dates = sentences
    if dates is None or (isinstance(dates, pd.DataFrame) and "date" not in dates.columns):
        warnings.warn("the codebook has dated roles but find_mentions() got no article dates, so they name nobody: "
                      "pass dates=articles (a table with doc_id and date)", stacklevel=4)
        return {}
    docs = sentences["doc_id"].to_numpy(dtype=object)
    wanted = {docs[r] for r in rows}
    if isinstance(dates, pd.DataFrame):
        if "doc_id" not in dates.columns:
            raise ValueError(f"dates= needs a doc_id column (the articles table: doc_id, date and optionally "
                             f"date_precision); got columns {list(dates.columns)}")
        keep = dates[dates["doc_id"].isin(wanted)]
        precisions = keep["date_precision"].tolist() if "date_precision" in keep.columns else [None] * len(keep)
        values = {}
        for doc, value, precision in zip(keep["doc_id"].tolist(), keep["date"].tolist(), precisions):
            values.setdefault(doc, (value, precision))  # a doc_id listed twice: its first date
    elif isinstance(dates, (Mapping, pd.Series)):
        values = {doc: (dates[doc], None) for doc in wanted if doc in dates}
    else:
        raise TypeError(f"dates= must be the articles table (doc_id, date), or a mapping doc_id -> date; "
                        f"got {type(dates).__name__}")
    spans = {doc: _day_span(value, precision) for doc, (value, precision) in values.items()}
    return {r: spans[docs[r]] for r in rows if spans.get(docs[r]) is not None}


def _day_span(value, precision) -> tuple[int, int] | None:
    """The first and last day (ordinals) of an article date at its precision; None when undated."""
    if precision is not None and not (pd.api.types.is_scalar(precision) and pd.isna(precision)):
        precision = str(precision).strip().lower()
        if precision not in PRECISIONS:
            raise ValueError(f"date_precision {precision!r} is not among {list(PRECISIONS)}")
    else:
        precision = None
    ts, shown, _ = parse_date(value)
    if pd.isna(ts) or (precision or shown) == "unknown":
        return None
    day = ts.date()
    if (precision or shown) == "year":
        return day.replace(month=1, day=1).toordinal(), day.replace(month=12, day=31).toordinal()
    if (precision or shown) == "month":
        first = day.replace(day=1)
        return first.toordinal(), (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date().toordinal()
    return day.toordinal(), day.toordinal()


def _texts(sentences: pd.DataFrame, codebook: Codebook) -> list[str]:
    """The sentence texts, after checking the inputs (missing texts read as "")."""
    if not isinstance(codebook, Codebook):
        raise TypeError(f"find_mentions() needs a Codebook (from load_codebook), got {type(codebook).__name__}")
    if not isinstance(sentences, pd.DataFrame):
        raise TypeError(f"find_mentions() needs the sentences table (a DataFrame), got {type(sentences).__name__}")
    missing = [c for c in ("doc_id", "sent_id", "start", "text") if c not in sentences.columns]
    if missing:
        raise ValueError(
            f"find_mentions() needs column(s) {missing}: pass the table of sentences(articles) "
            f"(doc_id, sent_id, start, end, text); got columns {list(sentences.columns)}"
        )
    texts = sentences["text"].tolist()
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            if t is None or (pd.api.types.is_scalar(t) and pd.isna(t)):
                texts[i] = ""
            else:
                raise TypeError(f"text of sentence row {i} is {type(t).__name__}, not str")
    return texts


@dataclass
class _Joined:
    """All sentences as one string (joined by :data:`_SEP`): as given, with apostrophes
    normalised, and lower-cased (same length: offsets are shared), with each sentence's offset."""

    raw: str
    norm: str
    low: str
    offsets: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, texts: list[str]) -> _Joined:
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        offsets = np.zeros(len(texts), dtype=np.int64)
        np.cumsum(lengths[:-1] + len(_SEP), out=offsets[1:])
        raw = _SEP.join(texts)
        norm = normalise_apostrophes(raw)
        low = norm.replace("\u0130", "I").lower()  # the one character whose lower case is longer
        return cls(raw, norm, low, offsets, lengths)


def _scan_phrases(matcher: MentionMatcher, low: str, pronouns: bool) -> tuple[list, list, list]:
    """Candidates of the plain phrases (one trie regex): actors ``(start, end, id, via rank)``,
    targets ``(start, end, id)`` and pronouns ``(start, end, gender)``."""
    actor_cands, target_cands, pronoun_cands = [], [], []
    hits = matcher.hits
    for m in matcher.scan.finditer(low):
        p = m.start()
        text = m.group(m.lastindex)
        found = hits.get(text)
        if found is None:  # whitespace other than one space: lengths differ from the key's
            found = hits.get(" ".join(text.split()))
            if found is None:
                continue
            found = _respace(found, text)
        actor, targets, pronoun = found
        if actor is not None:
            actor_cands.append((p, p + actor[2], actor[0], actor[1]))
        for target, n in targets:
            target_cands.append((p, p + n, target))
        if pronoun is not None and pronouns:
            pronoun_cands.append((p, p + pronoun[1], pronoun[0]))
    return actor_cands, target_cands, pronoun_cands


def _search_regexes(matcher: MentionMatcher, joined: _Joined, actor_cands: list, target_cands: list) -> None:
    """Add the candidates of every ``re:`` phrase, searched sentence by sentence."""
    offsets = joined.offsets.tolist()
    ends = (joined.offsets + joined.lengths).tolist()
    for rgx in matcher.regexes:
        spans: list[tuple[int, int]] = []
        _search_regex(rgx, joined.low if rgx.lowered else joined.norm, offsets, ends, spans)
        if rgx.kind == "actor":
            actor_cands.extend((s, e, rgx.owner, VIA_RANK[rgx.via]) for s, e in spans)
        else:
            target_cands.extend((s, e, rgx.owner) for s, e in spans)


def _assemble(sentences, joined: _Joined, actors, resolved, targets, doc_codes, sent_ids) -> pd.DataFrame:
    """The mentions table from the resolved actor, pronoun and target spans (offsets in the joined string)."""
    a_s, a_e, a_id, a_via = actors
    p_s, p_e, p_id = resolved
    t_s, t_e, t_id = targets
    is_fact = np.array([t.startswith(FACT_OWNER) for t in t_id], dtype=bool)
    t_id = [t[len(FACT_OWNER) :] if f else t for t, f in zip(t_id, is_fact.tolist())]
    n_actor = len(a_s) + len(p_s)
    if not n_actor + len(t_s):
        return _empty(sentences)
    s_arr = np.array(a_s + p_s + t_s, dtype=np.int64)
    e_arr = np.array(a_e + p_e + t_e, dtype=np.int64)
    is_actor = np.arange(len(s_arr)) < n_actor
    real = ~is_fact  # targets, not facts, decide in_target
    in_target = is_actor & _overlaps(
        np.array(t_s, dtype=np.int64)[real], np.array(t_e, dtype=np.int64)[real], s_arr, e_arr
    )
    offsets = joined.offsets
    rows = np.searchsorted(offsets, s_arr, side="right") - 1
    starts = sentences["start"].to_numpy(dtype=np.int64)[rows] + (s_arr - offsets[rows])
    ends = starts + (e_arr - s_arr)
    order = np.lexsort((~is_actor, -ends, starts, doc_codes[rows]))
    kind_codes = np.concatenate([np.zeros(n_actor, dtype=np.int64), 1 + is_fact.astype(np.int64)])
    kinds = np.array(["actor", "target", "fact"], dtype=object)[kind_codes]
    ids = np.array(a_id + p_id + t_id, dtype=object)
    vias = np.array([_VIAS[v] for v in a_via] + ["pronoun"] * len(p_s) + ["pattern"] * len(t_s), dtype=object)
    surfaces = [joined.raw[s:e] for s, e in zip(s_arr[order].tolist(), e_arr[order].tolist())]
    return pd.DataFrame(
        {
            "doc_id": sentences["doc_id"].take(rows[order]).reset_index(drop=True),
            "sent_id": pd.Series(sent_ids[rows[order]], dtype="int64"),
            "kind": pd.Series(kinds[order], dtype="str"),
            "id": pd.Series(ids[order], dtype="str"),
            "start": pd.Series(starts[order], dtype="int64"),
            "end": pd.Series(ends[order], dtype="int64"),
            "surface": pd.Series(surfaces, dtype="str"),
            "via": pd.Series(vias[order], dtype="str"),
            "in_target": pd.Series(in_target[order], dtype="bool"),
        },
        columns=COLUMNS,
    )


def _resolve_pronouns(actors, pronoun_cands, person_gender, offsets, doc_codes, sent_ids) -> list[list]:
    """Columns ``s, e, actor`` of the pronouns whose antecedent is found (see find_mentions).
    ``actors`` are the columns ``s, e, actor`` of the actor mentions, sorted by ``s``."""
    a_s, a_e, a_id = actors
    people = [(s, a) for s, a in zip(a_s, a_id) if a in person_gender]
    if not people:
        return [[], [], []]
    # A pronoun inside an actor mention is part of a name, not a pronoun.
    p_s = np.array([c[0] for c in pronoun_cands], dtype=np.int64)
    p_e = np.array([c[1] for c in pronoun_cands], dtype=np.int64)
    inside = _overlaps(np.array(a_s, dtype=np.int64), np.array(a_e, dtype=np.int64), p_s, p_e).tolist()
    pronoun_cands = [c for c, drop in zip(pronoun_cands, inside) if not drop]
    # Events in document order (documents by first appearance, then sentence, then position),
    # whatever the order of the input rows.
    pos = np.array([s for s, _ in people] + [c[0] for c in pronoun_cands], dtype=np.int64)
    rows = np.searchsorted(offsets, pos, side="right") - 1
    docs, sents = doc_codes[rows], sent_ids[rows]
    order = np.lexsort((pos, sents, docs)).tolist()
    docs, sents = docs.tolist(), sents.tolist()
    n_people = len(people)
    last: dict[str, tuple[int, int, str]] = {}  # gender -> (doc, sent_id, actor) of the last mention
    out_s, out_e, out_id = [], [], []
    for i in order:
        if i < n_people:
            actor = people[i][1]
            last[person_gender[actor]] = (docs[i], sents[i], actor)
            continue
        s, e, gender = pronoun_cands[i - n_people]
        seen = last.get(gender)
        if seen is not None and seen[0] == docs[i] and seen[1] >= sents[i] - PRONOUN_WINDOW:
            out_s.append(s)
            out_e.append(e)
            out_id.append(seen[2])
            last[gender] = (docs[i], sents[i], seen[2])
    return [out_s, out_e, out_id]


def mention_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions per document, kind and id: ``doc_id, kind, id, n``, most mentioned first
    within each document (documents in order of appearance).

    >>> m = pd.DataFrame({"doc_id": ["a", "a", "a"], "kind": ["actor", "actor", "target"],
    ...                   "id": ["macron", "macron", "truce"]})
    >>> mention_counts(m)
      doc_id    kind      id  n
    0      a   actor  macron  2
    1      a  target   truce  1
    """
    missing = [c for c in ("doc_id", "kind", "id") if c not in mentions.columns]
    if missing:
        raise ValueError(f"mention_counts() needs column(s) {missing} of find_mentions(); got {list(mentions.columns)}")
    counts = mentions.groupby(["doc_id", "kind", "id"], sort=False).size().reset_index(name="n")
    doc_order = pd.factorize(counts["doc_id"])[0]
    counts = counts.assign(_doc=doc_order, _neg=-counts["n"]).sort_values(
        ["_doc", "kind", "_neg", "id"], kind="stable"
    )
    counts = counts.drop(columns=["_doc", "_neg"]).reset_index(drop=True)
    return counts.astype({"n": "int64"})[COUNT_COLUMNS]
