"""The focused path of ``extract_statements``: sentences and mentions only where a statement can be.

A statement needs a target mention in its sentence. So, in each article, the target pre-filter
(:meth:`~diplomacy_lab.codebook.matcher.TargetFilter.spans`) says where a target phrase can be,
and only what the statements of those sentences depend on is computed:

* **sentences** up to the last one holding a target span, and on while a quote is still open
  (its speaker may be named where it closes). The sentences before are split too, because a
  sentence id counts every sentence before it and the quote state runs from the article's
  start; the rest of the article is not split at all (Punkt is the costliest step);
* **mentions** only in the sentences holding a target span, the ones continuing their open
  quotes, and the :data:`~diplomacy_lab.codebook.mentions.PRONOUN_WINDOW` sentences before each
  (where a pronoun's antecedent can be). A pronoun whose antecedent might be reached only
  through an earlier pronoun outside that window (no person of its gender named in the window
  before it) sends its article back to matching every sentence split.

Mentions are local to their sentence except pronouns, and a pronoun with a person of its
gender named earlier in its window resolves to the last such person whatever came before, so
the statements are the same as those of the whole-article path; ``tests/test_scale.py``
compares the two on the seed corpus, on constructed texts and (where present) on AllSides.

>>> import pandas as pd
>>> from diplomacy_lab.codebook.schema import load_codebook
>>> cb = load_codebook({"name": "d", "targets": {"truce": {"label": "Truce", "patterns": ["truce"]}},
...     "actors": {"meloni": {"name": "Giorgia Meloni", "country": "Italy", "gender": "female", "aliases": ["Meloni"]}}})
>>> text = "Meloni spoke. She backed a truce. Then lunch. Then more lunch."
>>> sents, ments = focused_tables(pd.DataFrame({"doc_id": ["a"], "text": [text]}), cb)
>>> sents["text"].tolist(), ments[["sent_id", "id", "via"]].values.tolist()
(['Meloni spoke.', 'She backed a truce.'], [[1, 'meloni', 'pronoun'], [1, 'truce', 'pattern']])
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

import numpy as np
import pandas as pd
from tqdm import tqdm

from diplomacy_lab.codebook.matcher import compile_codebook
from diplomacy_lab.codebook.mentions import PRONOUN_WINDOW, find_mentions
from diplomacy_lab.codebook.schema import Codebook
from diplomacy_lab.statements.holders import quote_spans
from diplomacy_lab.text.grammar import PRONOUN_GENDERS
from diplomacy_lab.text.sentences import iter_sentence_spans

__all__ = ["focused_tables"]

_PROGRESS_MIN_DOCS = 200
_SENTENCE_COLUMNS = ["doc_id", "sent_id", "start", "end", "text"]


def _pronoun_regex(genders: set[str]) -> re.Pattern | None:
    """Every word the matcher could read as a pronoun of one of ``genders`` (a superset: case ignored)."""
    words = sorted((p for p, g in PRONOUN_GENDERS.items() if g in genders), key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, words)) + r")(?!\w)", re.IGNORECASE) if words else None


def _article_sentences(text: str, hits: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[bool]]:
    """Sentence spans up to the last one overlapping ``hits`` and on while a quote stays open,
    with "a quote is open at its end" for each (as ``statement_candidates`` will read them)."""
    last_end = max(e for _, e in hits)
    spans: list[tuple[int, int]] = []
    opens: list[bool] = []
    carry = False
    for s, e in iter_sentence_spans(text):
        if s >= last_end and not carry:
            break
        quotes = quote_spans(text[s:e], open_at_start=carry)
        carry = bool(quotes) and not quotes[-1].closed
        spans.append((s, e))
        opens.append(carry)
    return spans, opens


def _needed(spans: list[tuple[int, int]], opens: list[bool], hits: list[tuple[int, int]]) -> set[int]:
    """Sentences overlapping a hit, and the sentences continuing their open quotes."""
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]
    targets: set[int] = set()
    for hs, he in hits:
        targets.update(range(bisect_right(ends, hs), bisect_left(starts, he)))
    needed = set(targets)
    for k in targets:
        while opens[k] and k + 1 < len(spans):
            k += 1
            needed.add(k)
    return needed


def _with_window(needed: set[int]) -> set[int]:
    return {j for k in needed for j in range(max(0, k - PRONOUN_WINDOW), k + 1)}


def focused_tables(articles: pd.DataFrame, codebook: Codebook, progress: bool | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sentences and mentions ``statement_candidates`` needs to find every statement of ``articles``.

    ``sentences``: each article holding a target phrase, split up to its last sentence that
    can hold a statement (see the module); ``sent_id`` counts from the article's start, as in
    :func:`~diplomacy_lab.text.sentences.sentences`. ``mentions``: the mentions of the sentences
    that can hold a statement or name the speaker of one of their quotes, as
    :func:`~diplomacy_lab.codebook.mentions.find_mentions` gives them for the whole article.
    ``progress``: a tqdm bar over articles (None: on a terminal, for more than 200 articles).
    """
    compiled = compile_codebook(codebook)
    prefilter = compiled.prefilter
    gender_of = compiled.mentions.person_gender
    pronouns = _pronoun_regex(set(gender_of.values()))
    disable = (None if len(articles) > _PROGRESS_MIN_DOCS else True) if progress is None else not progress

    rows, sent_ids, starts, ends, texts = [], [], [], [], []
    windowed, needed_flags = [], []
    plans: dict[int, tuple[int, set[int]]] = {}  # article row -> (its first sentence row, needed sentences)
    bar = tqdm(articles["text"].tolist(), desc="statements", unit="doc", disable=disable)
    for row, text in enumerate(bar):
        if not isinstance(text, str):
            if text is None or (pd.api.types.is_scalar(text) and pd.isna(text)):
                continue
            raise TypeError(f"text of doc_id {articles['doc_id'].iloc[row]!r} is {type(text).__name__}, not str")
        hits = prefilter.spans(text)
        if not hits:
            continue
        spans, opens = _article_sentences(text, hits)
        needed = _needed(spans, opens, hits)
        if not needed:
            continue
        window = _with_window(needed)
        plans[row] = (len(rows), needed)
        for k, (s, e) in enumerate(spans):
            rows.append(row)
            sent_ids.append(k)
            starts.append(s)
            ends.append(e)
            texts.append(text[s:e])
            windowed.append(k in window)
            needed_flags.append(k in needed)
    sents = pd.DataFrame(
        {
            "doc_id": articles["doc_id"].take(rows).reset_index(drop=True),
            "sent_id": pd.Series(sent_ids, dtype="int64"),
            "start": pd.Series(starts, dtype="int64"),
            "end": pd.Series(ends, dtype="int64"),
            "text": pd.Series(texts, dtype="str"),
        },
        columns=_SENTENCE_COLUMNS,
    )
    windowed_arr = np.array(windowed, dtype=bool)
    mentions = find_mentions(sents[windowed_arr], codebook, dates=articles)
    if pronouns is not None and len(mentions):
        redo = _unsure_pronouns(sents, mentions, plans, pronouns, gender_of)
        if redo:
            whole = np.isin(np.array(rows, dtype=np.int64), np.array(sorted(redo), dtype=np.int64))
            again = find_mentions(sents[whole], codebook, dates=articles)
            redone = set(articles["doc_id"].take(sorted(redo)))
            mentions = _resort(pd.concat([mentions[~mentions["doc_id"].isin(redone)], again], ignore_index=True), sents)
    keep = pd.MultiIndex.from_arrays([sents["doc_id"], sents["sent_id"]])[np.array(needed_flags, dtype=bool)]
    located = pd.MultiIndex.from_arrays([mentions["doc_id"], mentions["sent_id"]])
    mentions = mentions[located.isin(keep)].reset_index(drop=True)
    return sents, mentions


def _resort(mentions: pd.DataFrame, sents: pd.DataFrame) -> pd.DataFrame:
    """Mentions in find_mentions' order: documents as they come, then start, longer first, actors first."""
    doc = pd.Categorical(mentions["doc_id"], categories=pd.unique(sents["doc_id"])).codes
    is_actor = mentions["kind"].eq("actor").to_numpy()
    order = np.lexsort((~is_actor, -mentions["end"].to_numpy(), mentions["start"].to_numpy(), doc))
    return mentions.take(order).reset_index(drop=True)


def _unsure_pronouns(sents, mentions, plans, pronouns: re.Pattern, gender_of: dict[str, str]) -> set[int]:
    """Article rows holding a pronoun, in a sentence that matters, with no person of its gender
    named before it in its window: resolving it may need sentences outside the window."""
    people: dict[object, list[tuple[int, int, str]]] = {}
    actors = mentions[mentions["kind"].eq("actor") & mentions["via"].ne("pronoun")]
    for doc_id, sent_id, start, actor in zip(actors["doc_id"], actors["sent_id"], actors["start"], actors["id"]):
        gender = gender_of.get(actor)
        if gender is not None:
            people.setdefault(doc_id, []).append((int(sent_id), int(start), gender))
    doc_ids = sents["doc_id"].tolist()
    sent_texts = sents["text"].tolist()
    sent_starts = sents["start"].tolist()
    unsure = set()
    for row, (first, needed) in plans.items():
        doc_id = doc_ids[first]
        named = people.get(doc_id, [])
        for k in needed:
            for m in pronouns.finditer(sent_texts[first + k]):
                gender = PRONOUN_GENDERS.get(m.group(1).lower())  # None: a case-folded look-alike
                at = sent_starts[first + k] + m.start()
                if gender is None or not any(g == gender and k - PRONOUN_WINDOW <= s <= k and p < at for s, p, g in named):
                    unsure.add(row)
                    break
            if row in unsure:
                break
    return unsure
