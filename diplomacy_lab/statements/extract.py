"""Statements: who (actor) takes which stance on which proposal (target), with the sentence as evidence.

The pipeline, each step a table::

    sentences(articles) -> find_mentions(sentences, codebook) -> statement_candidates(...)
        -> classifier.explain / predict -> extract_statements(...)

``statement_candidates`` pairs each target mention with the actors that *hold* a stance
on it (see :func:`_holders` and :mod:`diplomacy_lab.statements.holders`): the subject of the cue
governing the target, the speaker of a quote or reporting frame, the owner of a proposal.
The classifier then decides the stance.

>>> from diplomacy_lab import load_corpus
>>> from diplomacy_lab.codebook.schema import load_codebook
>>> st = extract_statements(load_corpus("data/seed"), load_codebook("data/codebooks/ukraine_2025.yaml"))
>>> st.loc[st["actor"].eq("meloni") & st["target"].eq("troops_to_ukraine"), "stance"].unique().tolist()
['oppose']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from diplomacy_lab.checks import require_columns
from diplomacy_lab.codebook.mentions import find_mentions
from diplomacy_lab.codebook.prefilter import target_filter
from diplomacy_lab.codebook.schema import Codebook, load_codebook
from diplomacy_lab.statements.cues import CueStanceClassifier, attributive, load_cues
from diplomacy_lab.statements.focus import focused_tables
from diplomacy_lab.statements.holders import (
    clause_spans,
    is_object,
    is_possessive,
    passive_agent,
    possessive_owner,
    quote_spans,
    words_before,
)
from diplomacy_lab.text.sentences import sentences as split_sentences

STATEMENT_COLUMNS = [
    "doc_id", "source", "outlet", "date", "sent_id", "actor", "actor_country", "target",
    "stance", "confidence", "cue", "method", "evidence", "holder", "via", "start", "end", "date_precision",
]
CANDIDATE_COLUMNS = [
    "doc_id", "sent_id", "actor", "target", "holder", "via", "text",
    "actor_start", "actor_end", "target_start", "target_end", "clause_start", "clause_end",
]
# Character windows of the holder rules (how far a rule looks from a quote, cue or actor):
_SPEAKER_GAP = 60  # characters between a closing quote and its "stated X" attribution
_SPEAKER_VERB_GAP = 25  # characters between that attribution's verb and the speaker
_INTRO_REACH = 20  # characters before an actor searched for a reporting verb ("said Macron", "according to")
_CUE_AFTER_ACTOR = 25  # characters after an actor searched for a stance cue ("Italy, rejecting ...")
_FRAME_REACH = 60  # characters before "that" searched for the verb framing a critic's report
_ADJUNCT_REACH = 40  # characters before a target searched for "after", "if", "should" ...
_WORD = re.compile(r"\w+(?:['’]\w+)?")
_ANAPHOR = re.compile(r"\b(?:such|this|these|those|it|them|that idea|the idea|the plan|the proposal)\b", re.IGNORECASE)


def _speaker_after(text: str, end: int, actors: list[dict], reporting) -> dict | None:
    """'..." stated Macron' / '..." Macron said': the actor named right after a closing quote."""
    tail = text[end : end + _SPEAKER_GAP]
    verb = reporting.search(tail)
    if verb is None:
        return None
    for a in actors:
        if end <= a["start"] <= end + _SPEAKER_GAP and abs(a["start"] - (end + verb.start())) <= _SPEAKER_VERB_GAP:
            return a
    return None


def _speaker_before(text: str, start: int, actors: list[dict], reporting) -> dict | None:
    """'Macron said: "..."' / 'according to X, "..."': the actor introducing an opening quote."""
    before = [a for a in actors if a["end"] <= start]
    if not before:
        return None
    a = before[-1]
    between = text[a["end"] : start]
    if reporting.search(between) or reporting.search(text[max(0, a["start"] - _INTRO_REACH) : a["start"]]):
        return a
    return None


def _sentence_speakers(sent_texts: list[str], sent_actors: list[list[dict]], reporting) -> list[tuple[list, dict | None]]:
    """Per sentence of one document: its quote spans and the speaker of its quotes (if named).

    A quote left open at the end of a sentence continues in the next; its speaker may be
    named only where it closes, so speakers are carried backwards over open quotes.
    """
    out: list[tuple[list, dict | None]] = []
    carry_open = False
    for text, actors in zip(sent_texts, sent_actors):
        quotes = quote_spans(text, open_at_start=carry_open)
        speaker = None
        for q in quotes if actors else ():  # no actor, no speaker
            speaker = speaker or (_speaker_after(text, q.end, actors, reporting) if q.closed else None)
            speaker = speaker or _speaker_before(text, q.start, actors, reporting)
        out.append((quotes, speaker))
        carry_open = bool(quotes) and not quotes[-1].closed
    for i in range(len(out) - 2, -1, -1):  # an open quote takes the speaker named where it closes
        quotes, speaker = out[i]
        if speaker is None and quotes and not quotes[-1].closed and out[i + 1][1] is not None:
            out[i] = (quotes, out[i + 1][1])
    return out


def _inside(span: tuple[int, int], quotes) -> bool:
    return any(q.start <= span[0] and span[1] <= q.end for q in quotes)


def _cue_groups(text: str, clause: tuple[int, int], lexicon, blocked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cue spans of a clause (absolute offsets), cues at most two words apart merged ("categorically opposed")."""
    groups: list[tuple[int, int]] = []
    for c in lexicon.find(text[clause[0] : clause[1]], 1, 1):
        s, e = c.start + clause[0], c.end + clause[0]
        if any(s < b[1] and b[0] < e for b in blocked) or attributive(text, s, e):
            continue
        if groups and len(_WORD.findall(text[groups[-1][1] : s])) <= 2:
            groups[-1] = (groups[-1][0], e)
        else:
            groups.append((s, e))
    return groups


def _eligible(text: str, a: dict) -> bool:
    """Can this mention be a subject at all? Not inside a target, not a possessive modifier
    ("Zelensky's belief"), not an object or possessive pronoun, not the object of a preposition."""
    if a["in_target"] or a["surface"].lower() in _NOT_SUBJECTS or is_possessive(text, a["end"]):
        return False
    if text[a["start"] - 1 : a["start"]] == "-" or text[a["end"] : a["end"] + 1] == "-":
        return False  # part of a compound: "UK-France coalition", "US-led talks"
    if a["via"] == "metonymy" and words_before(text, a["start"], 1) in (["a"], ["an"]):
        return False  # a place as a modifier: "a Kiev food market"
    return not words_before(text, a["start"], 1) == ["by"]


def _holders(text: str, target: dict, actors: list[dict], clauses, quotes, speaker, lexicon) -> Iterator[tuple[dict, str, tuple[int, int]]]:
    """(actor mention, holder kind, scope span) for each actor holding a stance on ``target``.

    The holder is the subject of the cue that governs the target: the actors between the
    previous cue and that cue ("Moscow has accused London and Paris of orchestrating plans
    for ...": London and Paris hold the plans). Also holders: the speaker of a quote, the
    speaker of a reporting frame ("Meloni confirmed that while Italy would not ..."),
    owners ("Macron's push for"), agents of a stance passive ("planned by Italy") and a
    relative clause's antecedent ("..., who").
    """
    index = next((i for i, c in enumerate(clauses) if c[0] <= target["start"] < c[1]), None)
    clause = clauses[index] if index is not None else (0, len(text))
    if speaker is not None and _inside((target["start"], target["end"]), quotes):
        quote = next(q for q in quotes if q.start <= target["start"] < q.end)
        yield speaker, "speaker", (quote.start, quote.end)
        clause = (quote.start, quote.end)  # actors quoted as subjects hold it too: “Italy will not ...”
    elif index:
        yield from ((a, "speaker", clause) for a in _frame_speakers(text, clauses[index - 1], actors, lexicon))
    for a in actors:
        inside = target["start"] <= a["start"] and a["end"] <= target["end"]  # "Starmer and Macron's proposal"
        if (a["end"] <= target["start"] or inside) and possessive_owner(
            text, a["end"], max(a["end"], target["start"]), lexicon.ownership
        ):
            yield a, "owner", clause
        elif clause[0] <= a["start"] < clause[1] and passive_agent(text, a["start"]):
            yield a, "subject", clause  # "is planned by Italy": the classifier reads the cue and its negation
    window = _subject_window(text, clause, actors, lexicon, target)
    critics = _critics(text, target, clause, actors, lexicon, window)
    if critics is not None:
        yield from ((a, "critic", clause) for a in critics)
        return  # those accused of the obstruction are reported, not quoted
    for a in _subjects(text, clause, actors, lexicon, target, window):
        yield a, "subject", clause


def _frame_speakers(text, frame: tuple[int, int], actors, lexicon) -> list[dict]:
    """Subjects of a reporting frame clause ending in "that" ("Meloni confirmed that")."""
    words = text[frame[0] : frame[1]]
    if not re.search(r"\bthat\s*$", words) or not lexicon.reporting.search(words):
        return []
    return [a for a in actors if frame[0] <= a["start"] < frame[1] and _eligible(text, a)
            and not is_object(text, a["start"])]


_NOT_SUBJECTS = frozenset({"her", "hers", "his", "him", "its", "their", "them", "herself", "himself"})


def _subjects(text: str, clause: tuple[int, int], actors: list[dict], lexicon, target: dict | None, window=None) -> list[dict]:
    """Subjects of the cue governing ``target`` in ``clause`` (see :func:`_holders`).

    The governing cue is the last cue before the target (else the first after it); its
    subjects are the eligible actors between the previous cue and it. Objects of a
    preposition count only when a cue follows at once ("with Kiev agreeing to").
    Speakers named after a reporting verb ("stated Macron") are subjects anywhere.
    """
    lo, hi, _ = window or _subject_window(text, clause, actors, lexicon, target)
    out = []
    for a in actors:
        if not clause[0] <= a["start"] < clause[1] or not _eligible(text, a):
            continue
        if _reported_after(text, a, lexicon):
            out.append(a)
            continue
        if not lo <= a["start"] < hi:
            continue
        followed_by_cue = bool(lexicon.find(text[a["end"] : a["end"] + _CUE_AFTER_ACTOR].split(",")[0], 1, 1))
        if is_object(text, a["start"]) and not followed_by_cue:
            continue
        out.append(a)
    if not out and re.match(r"\s*who\b", text[clause[0] : clause[1]], re.IGNORECASE):
        antecedent = [a for a in actors if a["end"] <= clause[0] and not a["in_target"]]
        out = antecedent[-1:]
    they = None if out else _THEY.search(text, lo, hi)
    if they:  # "..., after which they released a statement backing ...": the actors coordinated before it
        out = _last_coordination(text, [a for a in actors if a["end"] <= they.start()])
    return out


def _subject_window(text: str, clause, actors, lexicon, target: dict | None) -> tuple[int, int, tuple[int, int] | None]:
    """Where the subjects of the cue governing ``target`` stand: ``(lo, hi, governing cue span)``.

    The governing cue is the last cue before the target (else the first after it); its
    subjects stand between the previous cue and it.
    """
    blocked = [(a["start"], a["end"]) for a in actors] + ([(target["start"], target["end"])] if target else [])
    groups = _cue_groups(text, clause, lexicon, blocked)
    anchor = target["start"] if target else clause[1]
    before = [g for g in groups if g[1] <= anchor]
    governing = before[-1] if before else next((g for g in groups if g[0] >= anchor), None)
    if governing is None:
        return clause[0], anchor, None
    previous = [g for g in groups if g[1] <= governing[0]]
    return (previous[-1][1] if previous else clause[0]), governing[0], governing


_THEY = re.compile(r"\bthey\b", re.IGNORECASE)
_COORDINATOR = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)", re.IGNORECASE)


def _last_coordination(text: str, actors: list[dict]) -> list[dict]:
    """The last group of two or more actors joined by "and" or commas ("Kiev and Washington"),
    which a following "they" refers to; empty if there is none."""
    actors = [a for a in actors if not a["in_target"] and a["via"] != "pronoun"]
    group: list[dict] = []
    for a in actors:
        if group and _COORDINATOR.fullmatch(text[group[-1]["end"] : a["start"]]):
            group.append(a)
        else:
            group = [a]
    ids = {a["id"] for a in group}
    return group if len(ids) >= 2 else []


def _critics(text: str, target: dict, clause, actors, lexicon, window) -> list[dict] | None:
    """Holders who *report* an obstruction of ``target`` ("The Kremlin suggested that Britain's
    actions are aimed at undermining T") or warn of a refusal ("She cautioned that by refusing
    to T, Europe ..."): the eligible actors before the reporting, belief or warning verb whose
    "that" clause holds the cue governing ``target``. ``None`` when there is no such frame."""
    _, _, governing = window  # from _subject_window
    if governing is None or governing[1] > target["start"]:
        return None
    # An obstruction reported, or a refusal warned of ("cautioned that by refusing to talk to Moscow, ...").
    warned = words_before(text, governing[0], 1) == ["by"]
    if not (warned or lexicon.obstruction.search(text[governing[0] : governing[1]])):
        return None
    frame = None
    for that in _THAT.finditer(text, clause[0], governing[0]):
        words = list(_WORD.finditer(text, max(clause[0], that.start() - _FRAME_REACH), that.start()))[-4:]
        if warned:
            verbs = [w for w in words if _WARNING.fullmatch(w.group())]
        else:
            verbs = [w for w in words if lexicon.reporting.fullmatch(w.group()) or lexicon.belief.fullmatch(w.group())]
        frame = verbs[-1].start() if verbs else frame
    if frame is None:
        return None
    return [a for a in actors if clause[0] <= a["start"] < frame and _eligible(text, a)
            and not is_object(text, a["start"])]


_THAT = re.compile(r"\bthat\b", re.IGNORECASE)
_WARNING = re.compile(r"warn(?:s|ed|ing)?|caution(?:s|ed|ing)?", re.IGNORECASE)


def _reported_after(text: str, actor: dict, lexicon) -> bool:
    """'..., stated Macron': a reporting verb right before the actor (nothing but spaces between)."""
    before = text[max(0, actor["start"] - _INTRO_REACH) : actor["start"]]
    return any(not before[m.end() :].strip(" ,") for m in lexicon.reporting.finditer(before))


_ADJUNCT = re.compile(r"\b(?:after|following|before|until|once|if|should|unless|pending)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def _adjunct(text: str, start: int) -> bool:
    """A target in a temporal or conditional adjunct is a condition, not what a stance is about:
    "even after a ceasefire", "should a comprehensive ceasefire be achieved"."""
    return bool(_ADJUNCT.search(text[max(0, start - _ADJUNCT_REACH) : start]))


def statement_candidates(sents: pd.DataFrame, mentions: pd.DataFrame, lexicon=None) -> pd.DataFrame:
    """Actor-target pairs in which the actor holds a stance on the target, one row per sentence and pair.

    Offsets (``actor_start`` ... ``clause_end``) are relative to the sentence ``text``.
    """
    require_columns(sents, ["doc_id", "sent_id", "start", "text"], "sentences")
    require_columns(mentions, ["doc_id", "sent_id", "kind", "id", "start", "end", "via"], "mentions")
    lexicon = lexicon or load_cues()
    starts = dict(zip(zip(sents["doc_id"], sents["sent_id"]), sents["start"]))
    by_sentence: dict[tuple, list[dict]] = {}
    for m in mentions.to_dict("records"):
        base = starts[(m["doc_id"], m["sent_id"])]
        by_sentence.setdefault((m["doc_id"], m["sent_id"]), []).append(
            {**m, "start": m["start"] - base, "end": m["end"] - base, "in_target": bool(m.get("in_target", False))}
        )
    rows = []
    for doc_id, group in sents.groupby("doc_id", sort=False):
        keys = list(zip(group["doc_id"], group["sent_id"]))
        texts = group["text"].tolist()
        actors = [[m for m in by_sentence.get(k, []) if m["kind"] == "actor"] for k in keys]
        speakers = _sentence_speakers(texts, actors, lexicon.reporting)
        for (key, text, sent_actors, (quotes, speaker)) in zip(keys, texts, actors, speakers):
            targets = [m for m in by_sentence.get(key, []) if m["kind"] == "target"]
            if not targets:
                continue
            clauses = clause_spans(text)
            seen = set()
            for t in targets:
                if _adjunct(text, t["start"]):
                    continue
                for a, holder, clause in _holders(text, t, sent_actors, clauses, quotes, speaker, lexicon):
                    if (a["id"], t["id"]) not in seen:
                        seen.add((a["id"], t["id"]))
                        rows.append((doc_id, key[1], a["id"], t["id"], holder, a["via"], text,
                                     a["start"], a["end"], t["start"], t["end"], clause[0], clause[1]))
            # A clause with holders, a cue and an anaphor but no target of its own refers back to
            # the sentence's nearest earlier target: "..., Italy has joined Greece in rejecting such measures."
            for clause in clauses:
                if any(clause[0] <= t["start"] < clause[1] for t in targets):
                    continue
                cues = lexicon.find(text[clause[0] : clause[1]], 1, 1)
                if not cues or not _ANAPHOR.search(text[clause[0] + cues[0].end : clause[1]]):
                    continue
                earlier = [t for t in targets if t["start"] < clause[0]]
                if not earlier:
                    continue
                t = earlier[-1]
                for a in _subjects(text, clause, sent_actors, lexicon, None):
                    if (a["id"], t["id"]) not in seen:
                        seen.add((a["id"], t["id"]))
                        rows.append((doc_id, key[1], a["id"], t["id"], "anaphora", a["via"], text,
                                     a["start"], a["end"], None, None, clause[0], clause[1]))
    return pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)


def _classify(candidates: pd.DataFrame, classifier) -> pd.DataFrame:
    """Stance, confidence, cue and method per candidate: from ``explain`` when the classifier can
    say which words decided (the cue classifier), else from ``predict``/``predict_proba``."""
    if hasattr(classifier, "explain"):
        decided = classifier.explain(candidates)
        return decided.assign(method="cue")
    stance = classifier.predict(candidates[["text", "target", "actor"]])
    confidence = (
        classifier.predict_proba(candidates[["text", "target", "actor"]]).max(axis=1)
        if hasattr(classifier, "predict_proba")
        else np.full(len(candidates), np.nan)
    )
    return pd.DataFrame({"stance": stance, "confidence": confidence, "cue": "", "method": "model"}, index=candidates.index)


def extract_statements(
    articles: pd.DataFrame,
    codebook: Codebook | str,
    classifier=None,
    include_neutral: bool = False,
    sentences: pd.DataFrame | None = None,
    mentions: pd.DataFrame | None = None,
    progress: bool | None = None,
    cues: str | Path | None = None,
    focused: bool = True,
) -> pd.DataFrame:
    """The statements table of ``articles`` under ``codebook``.

    ``classifier`` is a fitted stance classifier (default: :class:`CueStanceClassifier`); one
    with an ``explain`` method (the cue classifier) fills the ``cue`` column, a trainable one
    is used through ``predict``/``predict_proba`` on ``text, target, actor``. ``cues``: a cue
    lexicon YAML (default: the packaged one) used by every step that reads cues: who holds a
    stance (reporting verbs, ownership nouns) and, with the default classifier, the stance.
    Neutral statements (an actor and a target with no stance cue) are left out unless
    ``include_neutral``. Pass ``sentences``/``mentions`` to reuse tables you have.
    ``date`` and ``date_precision`` come from the article (``date_precision`` is missing when
    the articles table has none): a month-precision date is the first of its month, so print
    it with :func:`~diplomacy_lab.loading.dates.format_date`.

    ``focused`` (the default, when no tables are passed and doc_ids are unique): split and
    match each article only where its statements can be, around the target phrases the
    pre-filter finds (:mod:`diplomacy_lab.statements.focus`); the statements are the same as
    with ``focused=False``, which splits and matches every article holding a target phrase
    whole. ``progress``: a tqdm bar over articles on stderr (None: on a terminal, for more than
    200 articles).
    """
    book = load_codebook(codebook) if not isinstance(codebook, Codebook) else codebook
    missing = {"doc_id", "text"} - set(articles.columns)
    if missing:
        raise ValueError(f"extract_statements needs the articles table; missing {sorted(missing)}")
    # Anaphors ('the deal') are found in sentences without a target phrase: those codebooks take the whole-article path.
    has_anaphors = any(t.anaphors for t in book.targets.values())
    if focused and not has_anaphors and sentences is None and mentions is None and articles["doc_id"].is_unique:
        sents, ments = focused_tables(articles, book, progress=progress)
    else:
        if sentences is None:
            # Only an article with a target phrase can hold a statement: split just those.
            wanted = target_filter(book)
            has_target = [isinstance(t, str) and wanted.search(t) for t in articles["text"]]
            sentences = split_sentences(articles[has_target], progress=progress)
        sents = sentences
        ments = mentions if mentions is not None else find_mentions(sents, book, dates=articles)
    own = getattr(classifier, "cues", None)
    if cues is not None and own is not None and str(own) != str(cues):
        raise ValueError(f"cues={str(cues)!r} but the classifier reads {str(own)!r}: give the lexicon once "
                         "(cues=, or the classifier's own)")
    cues = cues if cues is not None else own
    if classifier is None:
        own_cues = {t.id: dict(t.cues) for t in book.targets.values() if t.cues}
        classifier = CueStanceClassifier(cues=cues, target_cues=own_cues or None).fit()
    candidates = statement_candidates(sents, ments, lexicon=load_cues(cues))
    if candidates.empty:
        return pd.DataFrame(columns=STATEMENT_COLUMNS)
    decided = _classify(candidates, classifier)
    out = pd.concat([candidates, decided], axis=1)
    if not include_neutral:
        out = out[out["stance"] != "neutral"]
    meta = articles.set_index("doc_id")
    countries = {a.id: a.country for a in book.actors.values()}
    spans = sents.set_index(["doc_id", "sent_id"])[["start", "end"]]
    located = spans.reindex(pd.MultiIndex.from_arrays([out["doc_id"], out["sent_id"]]))
    out = out.assign(
        start=located["start"].to_numpy(),
        end=located["end"].to_numpy(),
        source=out["doc_id"].map(meta["source"]) if "source" in meta else None,
        outlet=out["doc_id"].map(meta["outlet"]) if "outlet" in meta else None,
        date=out["doc_id"].map(meta["date"]) if "date" in meta else pd.NaT,
        date_precision=out["doc_id"].map(meta["date_precision"]) if "date_precision" in meta else pd.NA,
        actor_country=out["actor"].map(countries),
        evidence=out["text"],
    )
    return out[STATEMENT_COLUMNS].reset_index(drop=True)


_DOC_KEYS = ["doc_id", "actor", "target", "stance"]
_DOC_META = ["outlet", "date", "source", "actor_country", "date_precision"]


def statements_by_document(statements: pd.DataFrame) -> pd.DataFrame:
    """The document-level view: one row per document, actor, target and stance.

    ``n_sentences`` counts the sentences behind a row (distinct ``sent_id`` when there is
    one), ``evidence`` is the first of them and ``confidence`` the highest. An actor
    reported both supporting and opposing a target in one document keeps both rows.
    ``outlet, date, source, actor_country, date_precision`` are carried along when present, so the view
    also works on gold tables. Sorted by doc_id, actor, target, stance.

    >>> st = pd.DataFrame({"doc_id": ["d", "d", "d"], "sent_id": [2, 0, 0], "actor": ["meloni"] * 3,
    ...                    "target": ["troops"] * 3, "stance": ["oppose", "oppose", "support"],
    ...                    "evidence": ["Again no.", "No troops.", "Troops, maybe."]})
    >>> statements_by_document(st)[["stance", "n_sentences", "evidence"]]
        stance  n_sentences    evidence
    0   oppose            2  No troops.
    1  support            1  Troops, maybe.
    """
    require_columns(statements, _DOC_KEYS, "statements")
    missing = statements["stance"].isna()
    if missing.any():
        rows = ", ".join(map(str, list(statements.index[missing])[:10]))
        raise ValueError(f"statements has no stance in row(s) {rows}")
    frame = statements if "evidence" in statements else statements.assign(evidence=pd.NA)
    if "sent_id" in frame:
        frame = frame.sort_values(["doc_id", "sent_id"], kind="stable", na_position="last")
        has_sent = frame["sent_id"].notna()
        frame = pd.concat([frame[has_sent].drop_duplicates(_DOC_KEYS + ["sent_id"]), frame[~has_sent]])
    groups = frame.groupby(_DOC_KEYS, sort=True, dropna=False)
    out = groups.size().rename("n_sentences").astype("int64").reset_index()
    meta = [c for c in _DOC_META if c in frame.columns]
    out = out.merge(groups[["evidence", *meta]].first().reset_index(), on=_DOC_KEYS, how="left")
    extra = []
    if "confidence" in frame:
        out = out.merge(groups["confidence"].max().reset_index(), on=_DOC_KEYS, how="left")
        extra = ["confidence"]
    return out[_DOC_KEYS + ["n_sentences", *extra, "evidence", *meta]]
