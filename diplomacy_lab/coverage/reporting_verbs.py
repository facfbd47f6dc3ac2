"""Reporting verbs: how outlets introduce what actors said ("said", "claimed", "insisted", "warned").

A reporting verb counts when it introduces an actor's speech: the actor is its subject
("Meloni *stressed* that", "the Kremlin has *repeatedly said*"), follows it after a quote or a
comma ('"...," *stated* Macron'), or follows "according to". With a codebook, actors are the
codebook's (found by :func:`diplomacy_lab.codebook.mentions.find_mentions`, pronouns resolved); without
one, any capitalised name, pronoun or speaker noun ("officials", "spokesman") is a speaker.
Nouns that look like verbs ("a stark *warning*", "the *claims*") are skipped when a determiner
or possessive precedes them.

The verbs and their classes (neutral, emphatic, distancing, alarm, ...) are the package's one
list of reporting verbs, ``resources/reporting_verbs.yaml`` (read by
:mod:`diplomacy_lab.text.reporting`), every inflection listed (say, says, said, saying).

>>> import pandas as pd
>>> arts = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": [
...     'Meloni stressed that Italy will not send troops. "We are ready," said Macron. '
...     'Russia claimed the plan was a provocation, issuing a stark warning.']})
>>> find_reporting_verbs(arts)[["lemma", "verb_class", "form", "speaker", "position"]]
    lemma  verb_class      form speaker position
0  stress    emphatic  stressed  Meloni   before
1     say     neutral      said  Macron    after
2   claim  distancing   claimed  Russia   before
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from diplomacy_lab.charts.heatmap import clear_gap, plot_share_heatmap
from diplomacy_lab.charts.style import category_order
from diplomacy_lab.checks import require_columns
from diplomacy_lab.codebook.mentions import find_mentions
from diplomacy_lab.codebook.schema import Codebook, load_codebook
from diplomacy_lab.text.grammar import DETERMINERS, NOT_NAMES, SPEAKER_NOUNS, VERB_GAP_WORDS
from diplomacy_lab.text.phrases import normalise_apostrophes, phrase_key
from diplomacy_lab.text.reporting import REPORTING_VERBS, VERB_COLUMNS, load_reporting_verbs
from diplomacy_lab.text.sentences import sentences as split_sentences
from diplomacy_lab.uncertainty import wilson_interval

__all__ = [
    "OCCURRENCE_COLUMNS",
    "REPORTING_VERBS",
    "find_reporting_verbs",
    "load_reporting_verbs",
    "plot_reporting_verbs",
    "reporting_verbs",
    "top_reporting_verbs",
]

OCCURRENCE_COLUMNS = ["doc_id", "sent_id", "lemma", "verb_class", "form", "start", "end", "speaker", "actor",
                      "position", "evidence"]
_PREV_REACH = 30  # characters read before a verb for the word in front of it
_WORD = re.compile(r"[\w'’-]+")
_PRONOUN = re.compile(r"\b(?:he|she|they|it|we|I)\b", re.IGNORECASE)
#: The package's one list of speaker nouns (``speaker_nouns`` in ``resources/english.yaml``).
_SPEAKER_NOUN = re.compile(rf"\b(?:{'|'.join(sorted(map(re.escape, SPEAKER_NOUNS), key=len, reverse=True))})\b",
                           re.IGNORECASE)
_NAME = re.compile(r"(?<![\w'’-])[A-Z][\w'’.-]*(?:\s+(?:(?:of|de|la|di|von|al)\s+)?[A-Z][\w'’.-]*)*")
#: A closing quote (maybe with a comma) right before an inverted verb: '"...," said Macron'.
_AFTER_QUOTE = re.compile(r"(?:[\"”’»'][,.]?|,[\"”’»'])\s*$")


def _verb_regex(verbs: pd.DataFrame) -> tuple[re.Pattern, dict[str, tuple[str, str]]]:
    lookup = {phrase_key(f): (lemma, cls)
              for lemma, cls, f in zip(verbs["lemma"], verbs["verb_class"], verbs["form"])}
    alternatives = sorted(lookup, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(w) for w in form.split()) for form in alternatives)
    return re.compile(rf"(?<![\w'’-])(?:{body})(?![\w'’-])", re.IGNORECASE), lookup


def _generic_speakers(text: str) -> list[tuple[int, int, str | None]]:
    """Pronouns, speaker nouns and capitalised names; a name and the speaker noun after it
    ("Russian officials", "Kremlin spokesman Dmitry Peskov") are one speaker."""
    spans = [(m.start(), m.end()) for m in _PRONOUN.finditer(text)]
    spans += [(m.start(), m.end()) for m in _SPEAKER_NOUN.finditer(text)]
    for m in _NAME.finditer(text):
        words = m.group().split()
        while words and words[0] in NOT_NAMES:
            words = words[1:]
        if words:
            start = m.start() + m.group().index(words[0])
            end = m.end() - (1 if m.group().endswith(".") and "." not in words[-1][:-1] else 0)
            spans.append((start, end))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1 and not text[merged[-1][1]:start].strip():
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b, None) for a, b in merged]


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _attribute(text: str, vs: int, ve: int, lemma: str, speakers, window: int):
    """The speaker of the verb at ``text[vs:ve]``: (span, position) or None."""
    before = [s for s in speakers if s[1] <= vs]
    if lemma != "according to" and before:
        span = max(before, key=lambda s: (s[1], s[1] - s[0]))
        gap = text[span[1]:vs]
        words = _words(gap)
        if not re.search(r"[^\w\s'’-]", gap) and len(words) <= window and all(
                w in VERB_GAP_WORDS or w.endswith("ly") for w in words):
            return span, "before"
    after = [s for s in speakers if s[0] >= ve]
    if after:
        span = min(after, key=lambda s: (s[0], -(s[1] - s[0])))
        gap_words = _words(text[ve:span[0]])
        adjacent = re.search(r"[^\w\s'’-]", text[ve:span[0]]) is None and len(gap_words) <= 1 and all(
            w in DETERMINERS for w in gap_words)
        inverted = _AFTER_QUOTE.search(text[:vs]) and not text[vs:ve].endswith("ing")
        if adjacent and (lemma == "according to" or inverted):
            return span, "after" if lemma != "according to" else "according"
    return None


def find_reporting_verbs(
    articles: pd.DataFrame,
    codebook: Codebook | str | Path | dict | None = None,
    verbs=None,
    window: int = 4,
    sents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every reporting verb that introduces a speaker, one row each.

    Columns: ``doc_id, sent_id, lemma, verb_class, form, start, end, speaker, actor, position,
    evidence``. ``start``/``end`` index the article text; ``speaker`` is the speaker's words
    as written, ``actor`` the codebook id (missing without a codebook); ``position`` is
    ``before`` (subject), ``after`` (inverted: '..." said Macron') or ``according``;
    ``evidence`` is the sentence. ``window``: at most this many auxiliaries and adverbs
    between subject and verb ("has also repeatedly said"). ``verbs``: see
    :func:`load_reporting_verbs`.
    """
    require_columns(articles, ["doc_id", "text"], "articles")
    if not isinstance(window, int) or window < 0:
        raise ValueError(f"window must be a non-negative number of words, got {window!r}")
    verb_table = load_reporting_verbs() if verbs is None else (
        verbs if isinstance(verbs, pd.DataFrame) and list(verbs.columns) == VERB_COLUMNS else load_reporting_verbs(verbs))
    verb_rx, lookup = _verb_regex(verb_table)
    sents = split_sentences(articles) if sents is None else sents
    require_columns(sents, ["doc_id", "sent_id", "start", "end", "text"], "sentences")
    actors_by_sent: dict = {}
    if codebook is not None:
        cb = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
        mentions = find_mentions(sents, cb, dates=articles if "date" in articles.columns else None)
        mentions = mentions[mentions["kind"] == "actor"]
        starts = dict(zip(zip(sents["doc_id"], sents["sent_id"]), sents["start"]))
        for row in mentions.itertuples(index=False):
            offset = starts[(row.doc_id, row.sent_id)]
            actors_by_sent.setdefault((row.doc_id, row.sent_id), []).append(
                (row.start - offset, row.end - offset, row.id))
    rows = []
    for doc_id, sent_id, s_start, text in zip(sents["doc_id"], sents["sent_id"], sents["start"], sents["text"]):
        found = list(verb_rx.finditer(normalise_apostrophes(text)))
        if not found:
            continue
        speakers = actors_by_sent.get((doc_id, sent_id), []) if codebook is not None else _generic_speakers(text)
        if not speakers:
            continue
        for m in found:
            prev = _words(text[max(0, m.start() - _PREV_REACH):m.start()])
            if prev and prev[-1] in DETERMINERS:
                continue
            lemma, cls = lookup[" ".join(m.group().lower().split())]
            hit = _attribute(text, m.start(), m.end(), lemma, speakers, window)
            if hit is None:
                continue
            (a, b, actor), position = hit
            rows.append((doc_id, sent_id, lemma, cls, text[m.start():m.end()], s_start + m.start(),
                         s_start + m.end(), text[a:b], actor, position, text))
    out = pd.DataFrame(rows, columns=OCCURRENCE_COLUMNS)
    return out.astype({"start": "int64", "end": "int64"}).reset_index(drop=True)


def reporting_verbs(
    articles: pd.DataFrame,
    codebook: Codebook | str | Path | dict | None = None,
    by: str = "outlet",
    level: str = "lemma",
    verbs=None,
    window: int = 4,
    occurrences: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per group: how often each reporting verb (``level="lemma"``) or class (``"verb_class"``)
    introduces a speaker, zero-filled over the verbs used anywhere.

    Columns: ``by, lemma|verb_class, [verb_class,] uses, group_uses, share, share_low, share_high,
    articles, group_articles`` — ``share = uses / group_uses`` (the group's attributed reporting
    verbs) with a 95% Wilson interval; ``articles`` counts the group's articles using it.
    ``occurrences``: a :func:`find_reporting_verbs` table, when already computed.

    >>> arts = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"],
    ...     "text": ["Putin said no. Putin claimed yes.", "Macron said no."]})
    >>> reporting_verbs(arts)[["outlet", "lemma", "uses", "group_uses", "share"]]
      outlet  lemma  uses  group_uses  share
    0      X    say     1           2    0.5
    1      X  claim     1           2    0.5
    2      Y    say     1           1    1.0
    3      Y  claim     0           1    0.0
    """
    require_columns(articles, ["doc_id", by], "articles")
    if level not in ("lemma", "verb_class"):
        raise ValueError(f"level must be 'lemma' or 'verb_class', got {level!r}")
    if by in ("lemma", "verb_class", "uses", "articles"):
        raise ValueError(f"by={by!r} clashes with an output column; rename that column first")
    if occurrences is None:
        occurrences = find_reporting_verbs(articles, codebook, verbs, window)
    require_columns(occurrences, ["doc_id", "lemma", "verb_class"], "occurrences")
    groups = articles[by].astype(object).where(articles[by].notna(), "unknown")
    occ = occurrences.assign(group=occurrences["doc_id"].map(dict(zip(articles["doc_id"], groups))))
    verb_table = load_reporting_verbs() if verbs is None else load_reporting_verbs(verbs)
    order = list(dict.fromkeys(verb_table["lemma" if level == "lemma" else "verb_class"]))
    used = [k for k in order if k in set(occ[level])] + sorted(set(occ[level]) - set(order))
    full = pd.MultiIndex.from_product([category_order(groups), used], names=["group", level])
    grouped = occ.groupby(["group", level])
    out = pd.DataFrame({"uses": grouped.size().reindex(full, fill_value=0),
                        "articles": grouped["doc_id"].nunique().reindex(full, fill_value=0)}).reset_index()
    out["group_uses"] = out.groupby("group")["uses"].transform("sum")
    bounds = [wilson_interval(k, n) for k, n in zip(out["uses"], out["group_uses"])]
    out["share"] = (out["uses"] / out["group_uses"].where(out["group_uses"] > 0)).round(4)
    out["share_low"] = [b[0] for b in bounds]
    out["share_high"] = [b[1] for b in bounds]
    out["group_articles"] = out["group"].map(groups.value_counts()).astype("int64")
    columns = ["group", level]
    if level == "lemma":
        classes = dict(zip(verb_table["lemma"], verb_table["verb_class"])) | dict(zip(occ["lemma"], occ["verb_class"]))
        out["verb_class"] = out["lemma"].map(classes)
        columns.append("verb_class")
    columns += ["uses", "group_uses", "share", "share_low", "share_high", "articles", "group_articles"]
    out = out[columns].rename(columns={"group": by})
    return out.astype({"uses": "int64", "group_uses": "int64", "articles": "int64"})


def top_reporting_verbs(table: pd.DataFrame, top: int = 12, by: str = "outlet") -> pd.DataFrame:
    """The rows of a ``reporting_verbs`` table that :func:`plot_reporting_verbs` shows: the ``top``
    verbs (or classes) by total uses, ties in table order, most used first — the data to export
    beside the chart.
    """
    level = "lemma" if "lemma" in table.columns else "verb_class"
    require_columns(table, [by, level, "uses"], "reporting table")
    if not isinstance(top, int) or top < 1:
        raise ValueError(f"top must be a positive number of verbs, got {top!r}")
    totals = table.groupby(level, sort=False)["uses"].sum()
    keep = list(totals.sort_values(ascending=False, kind="stable").index[:top])
    shown = table[table[level].isin(keep)]
    rank = shown[level].map({k: i for i, k in enumerate(keep)})
    return shown.assign(_rank=rank).sort_values(["_rank", by], kind="stable").drop(columns="_rank").reset_index(drop=True)


def plot_reporting_verbs(
    table: pd.DataFrame,
    by: str = "outlet",
    top: int = 12,
    title: str | None = None,
    subtitle: str | None = None,
    source_note: str | None = None,
) -> Figure:
    """Heatmap of a ``reporting_verbs`` table: verbs (the ``top`` most used, see
    :func:`top_reporting_verbs`) down, groups across.

    Default title: the commonest verb's share overall and the clearest gap between groups
    (95% intervals not overlapping), or a statement that there is none.
    """
    level = "lemma" if "lemma" in table.columns else "verb_class"
    require_columns(table, [by, level, "uses", "group_uses", "share", "share_low", "share_high"], "reporting table")
    totals = table.groupby(level, sort=False)["uses"].sum()
    if totals.sum() == 0:
        raise ValueError("no reporting verb was attributed to a speaker: nothing to plot")
    shown = top_reporting_verbs(table, top, by)
    keep = list(dict.fromkeys(shown[level]))
    n = int(table.drop_duplicates(by)["group_uses"].sum())
    if title is None:
        first = keep[0]
        title = f"“{first}” introduces {int(totals[first])} of {n} attributed speech reports"
        if table[by].nunique() > 1:
            gap = clear_gap(shown, by, level, lambda k: f"“{k}”")
            title += f"; clearest gap — {gap}" if gap else "; no outlet differs clearly (95% intervals overlap)"
    if subtitle is None:
        what = "verb" if level == "lemma" else "verb class"
        subtitle = (f"Share of each {by.replace('_', ' ')}'s speech reports introduced by each {what} "
                    f"(cell: share, uses / all attributed verbs); top {len(keep)} of {len(totals)}")
    return plot_share_heatmap(shown, level, by, "uses", "group_uses", None, title, subtitle, source_note,
                              "Share of attributed verbs")
