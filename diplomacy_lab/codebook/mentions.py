"""Find the codebook's actors and targets in sentences: the mentions table.

One row per mention: ``doc_id, sent_id, kind, id, start, end, surface, via, in_target``.
``kind`` is ``actor``, ``target`` or ``fact`` (the codebook's optional facts, matched like
targets); ``via`` says how an actor was named (``alias``, ``role``, ``metonymy``, ``pronoun``)
and is ``pattern`` for targets and facts; ``start``/``end`` are
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
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np
import pandas as pd

from diplomacy_lab.codebook.coordination import coordinated_role_index, coordinated_role_spans
from diplomacy_lab.codebook.schema import Codebook
from diplomacy_lab.text.guard import GuardedPattern, compile_guarded
from diplomacy_lab.text.phrases import REGEX_PREFIX, lower_regex, normalise_apostrophes, phrase_key, regex_source

__all__ = ["COLUMNS", "PRONOUNS", "find_mentions", "mention_counts"]

COLUMNS = ["doc_id", "sent_id", "kind", "id", "start", "end", "surface", "via", "in_target"]
FACT_OWNER = "fact:"  # prefix of a fact's id inside the matcher (ids cannot hold ":")
COUNT_COLUMNS = ["doc_id", "kind", "id", "n"]
#: Pronouns resolved to the nearest preceding person of that gender ("it"/"they" are not).
PRONOUNS = {
    "she": "female", "her": "female", "hers": "female", "herself": "female",
    "he": "male", "him": "male", "his": "male", "himself": "male",
}  # fmt: skip
#: How many sentences before a pronoun's own sentence its antecedent may be in.
PRONOUN_WINDOW = 2

# Sentences are matched in one string, joined by this separator: "\n" stops "." and
# "\x00" stops "\s", so no plain phrase and few regexes can match across it.
_SEP = "\n\x00\n"
_VIA_RANK = {"alias": 0, "role": 1, "metonymy": 2}
_VIAS = ("alias", "role", "metonymy")


def _is_word(ch: str) -> bool:
    """Whether ``ch`` is a regex ``\\w`` character."""
    return ch.isalnum() or ch == "_"


def _rejected(text: str, start: int, end: int) -> bool:
    """An empty match, or one that begins inside a word ("send" in "resend")."""
    return end == start or (start > 0 and _is_word(text[start]) and _is_word(text[start - 1]))


# --- the compiled matcher, built once per codebook ----------------------------------------


def _trie_source(keys) -> str:
    """One regex for a set of phrase keys, as a trie: shared prefixes are matched once,
    and the longest key wins. A space in a key matches any run of whitespace; a key
    ending in a word character must not be followed by one."""
    root: dict = {}
    for key in keys:
        node = root
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict, last: str) -> str:
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + emit(node[ch], ch) for ch in sorted(node) if ch]
        if "" in node:  # a key ends here: tried after the longer keys
            alts.append(r"(?!\w)" if _is_word(last) else "")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root, "")


@dataclass
class _Regex:
    kind: str
    owner: str
    via: str
    rx: GuardedPattern
    lowered: bool  # searched in the lower-cased text (else in the original, ignoring case)


def _word_prefixes(key: str):
    """The lengths at which a key could end inside ``key``: where the trie's end check passes."""
    for i in range(1, len(key)):
        if key[i - 1] != " " and not (_is_word(key[i - 1]) and _is_word(key[i])):
            yield i
    yield len(key)


class _Matcher:
    """Everything ``find_mentions`` needs from a codebook, compiled.

    One regex (a trie of every plain phrase key, pronouns included) finds, at each word
    start, the longest key there. ``hits[key]`` then says what begins at that position,
    precomputed over the keys that are word-prefixes of it: the longest actor key (a
    shorter one loses anyway), the longest key of each target (targets do not hide each
    other), and a pronoun. Each hit is ``(owner, length)`` with the length in key characters.
    """

    def __init__(self, codebook: Codebook):
        actor_keys: dict[str, tuple[str, int]] = {}
        target_keys: dict[str, tuple[str, ...]] = {}
        self.regexes: list[_Regex] = []
        for actor in codebook.actors.values():
            for phrase, via in actor.phrases:
                if phrase.startswith(REGEX_PREFIX):
                    self.regexes.append(self._regex("actor", actor.id, via, phrase))
                else:
                    actor_keys[phrase_key(phrase)] = (actor.id, _VIA_RANK[via])
        # Facts are matched like targets, under an owner name no target id can take.
        patterned = [(t.id, t.patterns) for t in codebook.targets.values()]
        patterned += [(FACT_OWNER + f.id, f.patterns) for f in codebook.facts.values()]
        for owner, patterns in patterned:
            for phrase in patterns:
                if phrase.startswith(REGEX_PREFIX):
                    self.regexes.append(self._regex("target", owner, "pattern", phrase))
                else:
                    key = phrase_key(phrase)
                    owners = target_keys.get(key, ())
                    if owner not in owners:
                        target_keys[key] = (*owners, owner)
        self.actor_order = {a: i for i, a in enumerate(codebook.actors)}
        self.person_gender = {a.id: a.gender for a in codebook.actors.values() if a.kind == "person" and a.gender}

        self.hits: dict[str, tuple] = {}
        for key in {*actor_keys, *target_keys, *PRONOUNS}:
            actor = pronoun = None
            targets: dict[str, int] = {}
            for n in _word_prefixes(key):
                prefix = key[:n]
                if prefix in actor_keys:
                    actor = (*actor_keys[prefix], n)
                for target in target_keys.get(prefix, ()):
                    targets[target] = n  # the longest wins: n grows
                if prefix in PRONOUNS:
                    pronoun = (PRONOUNS[prefix], n)
            self.hits[key] = (actor, tuple(targets.items()), pronoun)
        word = [k for k in self.hits if _is_word(k[0])]
        other = [k for k in self.hits if not _is_word(k[0])]
        alts = [rf"(?<!\w)(?=({_trie_source(word)}))"]
        if other:
            alts.append(rf"(?=({_trie_source(other)}))")
        self.scan = re.compile("|".join(alts))

    @staticmethod
    def _regex(kind: str, owner: str, via: str, phrase: str) -> _Regex:
        source = regex_source(phrase[len(REGEX_PREFIX) :])
        lowered = lower_regex(source)
        if lowered is not None:
            return _Regex(kind, owner, via, compile_guarded(lowered, label=phrase), True)
        return _Regex(kind, owner, via, compile_guarded(source, re.IGNORECASE, label=phrase), False)


def _matcher(codebook: Codebook) -> _Matcher:
    matcher = codebook._cache.get("mentions")
    if matcher is None:
        matcher = codebook._cache["mentions"] = _Matcher(codebook)
    return matcher


# --- finding ----------------------------------------------------------------------------------


def _respace(found: tuple, text: str) -> tuple:
    """``found`` with key lengths turned into lengths in ``text``, whose whitespace runs
    the keys write as one space."""
    ends = [0]  # ends[k]: the length in text of the first k key characters
    i = 0
    while i < len(text):
        j = i + 1
        if text[i].isspace():
            while j < len(text) and text[j].isspace():
                j += 1
        ends.append(j)
        i = j
    actor, targets, pronoun = found
    return (
        None if actor is None else (actor[0], actor[1], ends[actor[2]]),
        tuple((t, ends[n]) for t, n in targets),
        None if pronoun is None else (pronoun[0], ends[pronoun[1]]),
    )


def _search_regex(rgx: _Regex, text: str, offsets: list[int], ends: list[int], out: list) -> None:
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


def find_mentions(sentences: pd.DataFrame, codebook: Codebook, pronouns: bool = True) -> pd.DataFrame:
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
      unresolved pronouns give no row.

    ``sentences`` needs ``doc_id, sent_id, start, text``; ``start`` (the sentence's offset in
    its article) turns offsets in the sentence into offsets in the article. Rows are sorted
    by document (in order of appearance), then ``start``, longer mentions first.

    All sentences are searched as one string: one trie regex of every plain phrase (built
    once per codebook and cached on it), plus one search per ``re:`` phrase.
    """
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
    if not texts:
        return _empty(sentences)
    matcher = _matcher(codebook)

    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    offsets = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1] + len(_SEP), out=offsets[1:])
    raw = _SEP.join(texts)
    norm = normalise_apostrophes(raw)
    low = norm.replace("\u0130", "I").lower()  # the one character whose lower case is longer

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

    # "French and British leaders": one role mention per adjective the codebook knows.
    actor_cands.extend(
        (s, e, actor, _VIA_RANK["role"]) for s, e, actor in coordinated_role_spans(low, coordinated_role_index(codebook))
    )

    offsets_list = offsets.tolist()
    ends_list = (offsets + lengths).tolist()
    for rgx in matcher.regexes:
        spans: list[tuple[int, int]] = []
        _search_regex(rgx, low if rgx.lowered else norm, offsets_list, ends_list, spans)
        if rgx.kind == "actor":
            actor_cands.extend((s, e, rgx.owner, _VIA_RANK[rgx.via]) for s, e in spans)
        else:
            target_cands.extend((s, e, rgx.owner) for s, e in spans)

    a_s, a_e, a_id, a_via = _columns(_resolve_actors(actor_cands, low, matcher.actor_order), 4)
    t_s, t_e, t_id = _columns(sorted(_merge_targets(target_cands)), 3)
    is_fact = np.array([t.startswith(FACT_OWNER) for t in t_id], dtype=bool)
    t_id = [t[len(FACT_OWNER) :] if f else t for t, f in zip(t_id, is_fact.tolist())]
    doc_codes = pd.factorize(sentences["doc_id"])[0].astype(np.int64)
    sent_ids = sentences["sent_id"].to_numpy(dtype=np.int64)
    p_s, p_e, p_id = [], [], []
    if pronoun_cands:
        p_s, p_e, p_id = _resolve_pronouns(
            (a_s, a_e, a_id), pronoun_cands, matcher.person_gender, offsets, doc_codes, sent_ids
        )

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
    rows = np.searchsorted(offsets, s_arr, side="right") - 1
    starts = sentences["start"].to_numpy(dtype=np.int64)[rows] + (s_arr - offsets[rows])
    ends = starts + (e_arr - s_arr)
    order = np.lexsort((~is_actor, -ends, starts, doc_codes[rows]))
    kind_codes = np.concatenate([np.zeros(n_actor, dtype=np.int64), 1 + is_fact.astype(np.int64)])
    kinds = np.array(["actor", "target", "fact"], dtype=object)[kind_codes]
    ids = np.array(a_id + p_id + t_id, dtype=object)
    vias = np.array([_VIAS[v] for v in a_via] + ["pronoun"] * len(p_s) + ["pattern"] * len(t_s), dtype=object)
    surfaces = [raw[s:e] for s, e in zip(s_arr[order].tolist(), e_arr[order].tolist())]
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
