"""The floor: a said/told/according-to rule baseline, scored like the CRF.

Per sentence, the first cue word (a form of one of :data:`FLOOR_LEMMAS` in the package's one
list of reporting verbs, ``resources/reporting_verbs.yaml``; ``according to`` as a pair) starts
one attribution:

* source: the nearest pronoun or capitalised run in the 4 tokens before the
  verb, else in the 3 after it ("..., said Trump"); for "according to X",
  the tokens after "to" up to the next punctuation;
* content: the quoted tokens of the sentence, extended to the closing quote
  when the quote runs on over later sentences of the paragraph; else the
  rest of the sentence after the cue (and source, and "that"), or, when the
  cue ends the sentence, the part before it.

``kind`` as for the CRF; ``confidence`` is 0.5 for every rule relation.

>>> import pandas as pd
>>> arts = pd.DataFrame({"doc_id": ["d"], "text": ["Obama said that the deal works."]})
>>> rule_attributions(arts)[["source_text", "cue_text", "content_text"]].values.tolist()
[['Obama', 'said', 'the deal works']]
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from diplomacy_lab.text.reporting import reporting_words

from .decode import decode_document
from .tagger import OUTPUT_COLUMNS, _texts, empty_table, relation_rows
from .tokens import iter_windows

_SUBJECT_PRONOUNS = {"i", "we", "you", "he", "she", "they", "it"}
_PUNCT = set(",.;:!?()—–-")


#: The floor's verbs: a said/told/according-to rule (every form of these lemmas in the one list).
FLOOR_LEMMAS = ("say", "tell", "according to")


@lru_cache(maxsize=1)
def rule_verbs() -> frozenset:
    """The floor's cue words: the single-word forms of :data:`FLOOR_LEMMAS` (and "according")."""
    words = reporting_words()
    forms = words.loc[words["lemma"].isin(FLOOR_LEMMAS), "form"].str.lower()
    return frozenset(form.split()[0] for form in forms)


def _source_near(words, lo, hi, step, limit):
    """Token range of a pronoun / capitalised run scanning from ``lo`` by ``step``."""
    i, seen = lo, 0
    while 0 <= i < hi and seen < limit:
        w = words[i]
        if w.lower() in _SUBJECT_PRONOUNS:
            return i, i
        if w[:1].isupper() and w.isalpha():
            j = i
            while 0 <= j + step < hi and words[j + step][:1].isupper():
                j += step
            return min(i, j), max(i, j)
        if w in _PUNCT or w in ('"', "“", "”"):
            break
        i += step
        seen += 1
    return None


def _tag_sentence(words, quote, a, b, tags):
    verbs = rule_verbs()
    for i in range(a, b):
        lw = words[i].lower()
        if lw not in verbs or (lw == "according" and (i + 1 >= b or words[i + 1].lower() != "to")):
            continue
        if quote[i] != "out":
            continue
        if lw == "according":
            tags[i], tags[i + 1] = "B-CUE", "I-CUE"
            j = i + 2
            while j < b and words[j] not in _PUNCT:
                tags[j] = "B-SRC" if j == i + 2 else "I-SRC"
                j += 1
            if i > a:
                _fill(tags, a, i - (1 if words[i - 1] == "," else 0), "CNT", words)
            else:
                _fill(tags, j + 1, b, "CNT", words)
            return
        tags[i] = "B-CUE"
        src = _source_near(words, i - 1, b, -1, 4) or _source_near(words, i + 1, b, 1, 3)
        after = i + 1
        if src:
            for k in range(src[0], src[1] + 1):
                tags[k] = "B-SRC" if k == src[0] else "I-SRC"
            if src[0] > i:
                after = src[1] + 1
        quoted = [k for k in range(a, b) if quote[k] != "out"]
        if quoted:
            _fill(tags, quoted[0], quoted[-1] + 1, "CNT", words, keep=True)
            return
        if after < b and words[after].lower() == "that":
            after += 1
        if b - after >= 3:
            _fill(tags, after, b, "CNT", words)
        else:
            end = min(i, src[0]) if src else i
            _fill(tags, a, end, "CNT", words)
        return


def _fill(tags, a, b, role, words, keep=False):
    while b > a and words[b - 1] in _PUNCT:
        b -= 1
    first = True
    for k in range(a, b):
        if tags[k] != "O" and not keep:
            continue
        if tags[k] == "O":
            tags[k] = ("B-" if first else "I-") + role
            first = False


def rule_document(text: str) -> list[dict]:
    """Decoded rule relations of one text."""
    tagged = []
    for window in iter_windows(text, 200, "paragraph"):
        words, quote = window.words, window.quote
        tags = ["O"] * len(words)
        bounds = [i for i, s in enumerate(window.sentence_start) if s] + [len(words)]
        for a, b in zip(bounds, bounds[1:]):
            _tag_sentence(words, quote, a, b, tags)
        # quote pairing across sentences: a content quote runs to its closing mark
        for k in range(1, len(words)):
            if tags[k] == "O" and tags[k - 1].endswith("CNT") and quote[k] in ("in", "close") \
                    and quote[k - 1] != "out":
                tags[k] = "I-CNT"
        tagged.append((window, tags, [0.5] * len(words)))
    return decode_document(tagged, max_gap=0)


def rule_attributions(articles) -> pd.DataFrame:
    """Attributions table (same columns as the CRF) from the rule baseline."""
    rows = []
    for doc_id, text in _texts(articles):
        rows.extend(relation_rows(doc_id, text, rule_document(text)))
    return pd.DataFrame(rows, columns=OUTPUT_COLUMNS) if rows else empty_table()
