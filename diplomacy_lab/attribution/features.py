"""CRF features for the tokens of one :class:`~.tokens.Window`.

Each token gets a dict of string-valued features (python-crfsuite turns
``{"w": "said"}`` into the binary feature ``w:said``): lower-cased word,
word shape, suffixes, the kind of the word in the package's one list of reporting verbs
(speech / cognition / evidence, :func:`diplomacy_lab.text.reporting.word_kinds`), quote state (tracked across the paragraph),
signed distance to the nearest lexicon word of the same sentence and that
word, position in the sentence, capitalised runs, pronouns, "according to",
and the same cues for the neighbouring tokens.

>>> from .tokens import windows
>>> feats = window_features(windows('Kim said "no."')[0])
>>> feats[1]["lex"], feats[1]["w"], feats[3]["q"], feats[0]["cued"]
('speech', 'said', 'in', 'R1')
"""
from __future__ import annotations

from diplomacy_lab.text.reporting import word_kinds

FEATURE_VERSION = "3"
PRONOUNS = {
    "i": "1s", "we": "1p", "you": "2", "he": "3s", "she": "3s", "it": "3n", "they": "3p",
    "me": "1s", "us": "1p", "him": "3s", "her": "3s", "them": "3p",
    "his": "pos", "its": "pos", "their": "pos", "our": "pos", "my": "pos",
    "who": "wh", "which": "wh", "that": "that",
}


def reporting_lexicon() -> dict:
    """Word form -> kind (speech / cognition / evidence) from the package's one list of reporting verbs."""
    return word_kinds()


def shape(word: str) -> str:
    """Compressed word shape: ``Trump`` -> ``Xx``, ``U.S`` -> ``X.X``, ``2016`` -> ``d``."""
    out = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:6]


def _bucket(d: int) -> str:
    a = abs(d)
    b = str(a) if a <= 3 else "4-6" if a <= 6 else "7-12" if a <= 12 else "13+"
    return ("L" if d < 0 else "R") + b


def window_features(window, lexicon=None) -> list[dict]:
    """Feature dicts for the tokens of ``window``."""
    lexicon = reporting_lexicon() if lexicon is None else lexicon
    words = window.words
    n = len(words)
    lower = [w.lower() for w in words]
    lex = [lexicon.get(w, "") for w in lower]
    for i in range(n - 1):
        if lower[i] == "according" and lower[i + 1] == "to":
            lex[i] = lex[i + 1] = "according"
    shapes = [shape(w) for w in words]
    # sentence ids, position in sentence, sentence lengths
    sent_id, pos = [], []
    s = -1
    for i in range(n):
        if window.sentence_start[i]:
            s += 1
            k = 0
        sent_id.append(s)
        pos.append(k)
        k += 1
    sent_len = {}
    for sid in sent_id:
        sent_len[sid] = sent_len.get(sid, 0) + 1
    sent_has_quote = {sid: False for sid in sent_len}
    for sid, q in zip(sent_id, window.quote):
        if q != "out":
            sent_has_quote[sid] = True
    # nearest lexicon word (same sentence), left and right
    near_left, near_right = [None] * n, [None] * n
    last = None
    for i in range(n):
        if window.sentence_start[i]:
            last = None
        near_left[i] = last
        if lex[i]:
            last = i
    last = None
    for i in range(n - 1, -1, -1):
        near_right[i] = last
        if lex[i]:
            last = i
        if window.sentence_start[i]:
            last = None
    # capitalised runs
    cap = [w[:1].isupper() for w in words]
    run = [0] * n
    i = 0
    while i < n:
        j = i
        while j < n and cap[j]:
            j += 1
        for t in range(i, j):
            run[t] = j - i
        i = max(j, i + 1)

    feats = []
    for i in range(n):
        w, lw = words[i], lower[i]
        left, right = near_left[i], near_right[i]
        if lex[i]:
            cued = "on"
        elif left is None and right is None:
            cued = "none"
        elif right is None or (left is not None and i - left <= right - i):
            cued = _bucket(left - i)
        else:
            cued = _bucket(right - i)
        remaining = sent_len[sent_id[i]] - pos[i] - 1
        f = {
            "bias": 1.0,
            "w": lw, "sh": shapes[i], "s3": lw[-3:], "s2": lw[-2:],
            "lex": lex[i] or "-", "q": window.quote[i], "cued": cued,
            "lexL": lower[left] if left is not None else "-",
            "lexR": lower[right] if right is not None else "-",
            "pos": str(min(pos[i], 6)), "rem": str(min(remaining, 6)),
            "sq": "y" if sent_has_quote[sent_id[i]] else "n",
            "sfirst": "y" if sent_id[i] == 0 else "n",
            "pstart": "y" if window.paragraph_start else "n",
            "cap": "T" if cap[i] and not w.isupper() else "U" if w.isupper() and w.isalpha() else "l",
            "run": str(min(run[i], 3)),
            "pron": PRONOUNS.get(lw, "-"),
        }
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f[f"w{d:+d}"] = lower[j]
                f[f"lex{d:+d}"] = lex[j] or "-"
                if abs(d) == 1:
                    f[f"sh{d:+d}"] = shapes[j]
                    f[f"q{d:+d}"] = window.quote[j]
                    f[f"pron{d:+d}"] = PRONOUNS.get(lower[j], "-")
            else:
                f[f"w{d:+d}"] = "<pad>"
        if i > 0:
            f["w-1|w"] = lower[i - 1] + "|" + lw
        if i + 1 < n:
            f["w|w+1"] = lw + "|" + lower[i + 1]
        feats.append(f)
    return feats
