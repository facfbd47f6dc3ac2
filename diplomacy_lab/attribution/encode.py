"""Gold attributions -> BIO tags for the tokens of a window (training labels).

Labels: ``O``, ``B-SRC``/``I-SRC``, ``B-CUE``/``I-CUE``, ``B-CNT``/``I-CNT``.
A token takes the role of the first gold span it overlaps (cue before source
before content; PolNeAR is univocal so clashes are rare).  ``B-`` starts a
new span fragment: a new attribution, or a new piece of a discontinuous span.

>>> from .tokens import windows
>>> text = "Kim said no."
>>> gold = [{"source_spans": [(0, 3)], "cue_spans": [(4, 8)], "content_spans": [(9, 11)]}]
>>> window_tags(windows(text)[0], char_labels(text, gold))
['B-SRC', 'B-CUE', 'B-CNT', 'O']
"""
from __future__ import annotations

import numpy as np

LABELS = ["O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CNT", "I-CNT"]
ROLE_CODES = (("cue_spans", 2, "CUE"), ("source_spans", 1, "SRC"), ("content_spans", 3, "CNT"))
_NAMES = {1: "SRC", 2: "CUE", 3: "CNT"}


def char_labels(text: str, gold) -> tuple[np.ndarray, np.ndarray]:
    """Per character: role code (0 none, 1 source, 2 cue, 3 content) and fragment id."""
    role = np.zeros(len(text) + 1, dtype=np.int8)
    frag = np.zeros(len(text) + 1, dtype=np.int32)
    next_id = 1
    for row in gold:
        for column, code, _ in ROLE_CODES:
            for a, b in row.get(column) or []:
                a, b = max(0, int(a)), min(len(text), int(b))
                free = role[a:b] == 0
                role[a:b][free] = code
                frag[a:b][free] = next_id
                next_id += 1
    return role, frag


def window_tags(window, labels) -> list[str]:
    """BIO tags of the tokens of ``window`` from :func:`char_labels` output."""
    role, frag = labels
    tags, previous = [], 0
    for s, e in zip(window.starts, window.ends):
        codes = role[s:e]
        hit = np.flatnonzero(codes)
        if not len(hit):
            tags.append("O")
            previous = 0
            continue
        code, fid = int(codes[hit[0]]), int(frag[s + hit[0]])
        tags.append(("I-" if fid == previous else "B-") + _NAMES[code])
        previous = fid
    return tags
