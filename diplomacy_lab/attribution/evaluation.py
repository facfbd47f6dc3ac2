"""PolNeAR-style scores for predicted vs gold attributions, with bootstrap CIs.

Definitions (per document, then summed over documents = micro averages):

* tokens are the tokenizer's tokens (:mod:`.tokens`); a token belongs to a
  span when they overlap.  *Words* are tokens with a letter or digit; cue
  matching uses all tokens (a ``:`` can be a cue in PolNeAR), source and
  content use words only.
* **match**: a predicted and a gold attribution match when their cues share
  a token; pairs are made one-to-one, greedily, largest overlap first.
* **cue** P = matched / predicted, R = matched / gold.
* **source (overlap)**: a matched pair counts when the source words overlap,
  or both sources are empty; P and R divide by all predicted / gold
  attributions.  **source (exact)**: same, with identical word sets.
* **content (words)**: TP = words shared by the contents of matched pairs;
  P = TP / words of all predicted contents, R = TP / words of all gold
  contents (unmatched attributions count fully against P or R).
* 95% intervals: percentile bootstrap over documents (1,000 resamples, fixed
  seed), recomputing the micro scores on each resample.

>>> import pandas as pd
>>> texts = pd.DataFrame({"doc_id": ["d"], "text": ["Bo Li said we win now."]})
>>> gold = pd.DataFrame({"doc_id": ["d"], "source_spans": [[(0, 5)]],
...                      "cue_spans": [[(6, 10)]], "content_spans": [[(11, 21)]]})
>>> pred = pd.DataFrame({"doc_id": ["d"], "source_spans": [[(3, 5)]],
...                      "cue_spans": [[(6, 10)]], "content_spans": [[(14, 21)]]})
>>> s = evaluate_attributions(pred, gold, texts, n_boot=0).set_index("metric")
>>> s.loc[["cue", "source_overlap", "source_exact", "content_words"], "f1"].round(3).tolist()
[1.0, 1.0, 0.0, 0.8]
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import combinations

import numpy as np
import pandas as pd

from .tokens import TOKEN_RE

METRICS = ("cue", "source_overlap", "source_exact", "content_words")
# per-document count vector layout
_N_PRED, _N_GOLD, _CUE_TP, _SRC_TP, _SRC_EX, _CNT_TP, _CNT_PRED, _CNT_GOLD = range(8)


class _DocTokens:
    def __init__(self, text):
        toks = [(m.start(), m.end(), any(ch.isalnum() for ch in m.group()))
                for m in TOKEN_RE.finditer(text)]
        self.starts = [t[0] for t in toks]
        self.ends = [t[1] for t in toks]
        self.is_word = [t[2] for t in toks]

    def ids(self, spans, words_only):
        out = set()
        for a, b in spans or []:
            if a < 0 or b <= a:
                continue
            lo = bisect_right(self.ends, a)   # first token ending after a
            hi = bisect_left(self.starts, b)  # tokens starting before b
            out.update(i for i in range(lo, hi) if not words_only or self.is_word[i])
        return out


def _spans(row, role):
    spans = row.get(f"{role}_spans")
    if isinstance(spans, (list, tuple, np.ndarray)):
        return [tuple(map(int, p)) for p in spans]
    a, b = row.get(f"{role}_start", -1), row.get(f"{role}_end", -1)
    return [(int(a), int(b))] if a is not None and a >= 0 and b > a else []


def _token_sets(rows, toks: _DocTokens):
    """``(cue tokens, source words, content words)`` of each attribution row."""
    return [(toks.ids(_spans(r, "cue"), False), toks.ids(_spans(r, "source"), True),
             toks.ids(_spans(r, "content"), True)) for r in rows]


def _doc_sets(pred_rows, gold_rows, text):
    """The token sets of a document's predicted and gold rows (the text tokenised once)."""
    toks = _DocTokens(text)
    return _token_sets(pred_rows, toks), _token_sets(gold_rows, toks)


def _same_source(pred_words: set, gold_words: set) -> bool:
    """Source overlap: the words overlap, or both sources are empty."""
    return bool(pred_words & gold_words) or (not pred_words and not gold_words)


def _matched(pred, gold) -> list[tuple[int, int]]:
    """One-to-one ``(pred index, gold index)`` pairs whose cues share a token, largest overlap first."""
    pairs = sorted(((len(p[0] & g[0]), i, j) for i, p in enumerate(pred)
                    for j, g in enumerate(gold) if p[0] & g[0]), key=lambda t: (-t[0], t[1], t[2]))
    used_p, used_g, matched = set(), set(), []
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            matched.append((i, j))
    return matched


def document_counts(pred_rows, gold_rows, text) -> np.ndarray:
    """The 8 count totals of one document (see module docstring)."""
    pred, gold = _doc_sets(pred_rows, gold_rows, text)
    matched = [(pred[i], gold[j]) for i, j in _matched(pred, gold)]
    c = np.zeros(8)
    c[_N_PRED], c[_N_GOLD], c[_CUE_TP] = len(pred), len(gold), len(matched)
    for p, g in matched:
        c[_SRC_TP] += _same_source(p[1], g[1])
        c[_SRC_EX] += p[1] == g[1]
        c[_CNT_TP] += len(p[2] & g[2])
    c[_CNT_PRED] = sum(len(p[2]) for p in pred)
    c[_CNT_GOLD] = sum(len(g[2]) for g in gold)
    return c


def _prf(tp, n_pred, n_gold):
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(n_pred > 0, tp / np.maximum(n_pred, 1e-12), 0.0)
        r = np.where(n_gold > 0, tp / np.maximum(n_gold, 1e-12), 0.0)
        f = np.where(p + r > 0, 2 * p * r / np.maximum(p + r, 1e-12), 0.0)
    return p, r, f


def scores(counts: np.ndarray) -> dict:
    """metric -> (P, R, F1) arrays from summed counts (last axis = 8 counts)."""
    c = np.moveaxis(np.asarray(counts, dtype=float), -1, 0)
    return {
        "cue": _prf(c[_CUE_TP], c[_N_PRED], c[_N_GOLD]),
        "source_overlap": _prf(c[_SRC_TP], c[_N_PRED], c[_N_GOLD]),
        "source_exact": _prf(c[_SRC_EX], c[_N_PRED], c[_N_GOLD]),
        "content_words": _prf(c[_CNT_TP], c[_CNT_PRED], c[_CNT_GOLD]),
    }


def _table(counts, group, n_boot, seed):
    total = scores(counts.sum(axis=0))
    if n_boot and len(counts) > 1:
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, len(counts), size=(n_boot, len(counts)))
        boot = scores(counts[idx].sum(axis=1))
    else:
        boot = None
    rows = []
    for metric in METRICS:
        p, r, f = (float(x) for x in total[metric])
        row = {"group": group, "metric": metric, "precision": p, "recall": r, "f1": f,
               "f1_low": np.nan, "f1_high": np.nan, "n_docs": len(counts),
               "n_gold": int(counts[:, _N_GOLD].sum()), "n_pred": int(counts[:, _N_PRED].sum())}
        if boot is not None:
            row["f1_low"], row["f1_high"] = (float(x) for x in np.percentile(boot[metric][2], [2.5, 97.5]))
        rows.append(row)
    return rows


def evaluate_attributions(predicted, gold, texts, by=None, n_boot=1000, seed=0) -> pd.DataFrame:
    """Tidy scores (group, metric, precision, recall, f1, f1_low, f1_high, ...).

    ``texts``: DataFrame with ``doc_id``, ``text`` (and the ``by`` column);
    every document in it is scored, including those without attributions.
    """
    pred_by = {d: g.to_dict("records") for d, g in predicted.groupby("doc_id")}
    gold_by = {d: g.to_dict("records") for d, g in gold.groupby("doc_id")}
    docs = texts.reset_index(drop=True)
    counts = np.array([document_counts(pred_by.get(d, []), gold_by.get(d, []), t if isinstance(t, str) else "")
                       for d, t in zip(docs["doc_id"], docs["text"])]).reshape(-1, 8)
    rows = _table(counts, "all", n_boot, seed)
    if by is not None:
        for value, index in docs.groupby(by).groups.items():
            rows.extend(_table(counts[np.asarray(index)], value, n_boot, seed))
    return pd.DataFrame(rows)


def annotator_agreement(annotations, texts, n_boot=1000, seed=0) -> pd.DataFrame:
    """How far human coders agree, scored like a system: a ceiling to read model scores against.

    ``annotations``: attributions with an ``annotator`` column (several per document,
    :func:`~.polnear.read_polnear_annotators`). Every unordered pair of a document's annotators
    is scored as predicted (first in sorted order) vs gold (second), with the definitions of
    :func:`evaluate_attributions`; the counts of a document's pairs are summed, so F1 is
    symmetric and the bootstrap resamples documents, not pairs. ``n_pairs`` counts the pairs.

    >>> texts = pd.DataFrame({"doc_id": ["d"], "text": ["Bo said we win."]})
    >>> row = {"doc_id": "d", "source_spans": [(0, 2)], "cue_spans": [(3, 7)], "content_spans": [(8, 14)]}
    >>> a = pd.DataFrame([{**row, "annotator": "x"}, {**row, "annotator": "y"},
    ...                   {**row, "cue_spans": [(8, 10)], "annotator": "z"}])
    >>> t = annotator_agreement(a, texts, n_boot=0).set_index("metric")
    >>> float(round(t.loc["cue", "f1"], 3)), int(t.loc["cue", "n_pairs"])
    (0.333, 3)
    """
    text_of = dict(zip(texts["doc_id"], texts["text"]))
    counts = []
    for doc_id, part in annotations.groupby("doc_id", sort=True):
        coders = {a: g.to_dict("records") for a, g in part.groupby("annotator", sort=True)}
        pairs = list(combinations(sorted(coders), 2))
        if not pairs:
            continue
        text = text_of.get(doc_id, "")
        counts.append((sum(document_counts(coders[a], coders[b], text) for a, b in pairs), len(pairs)))
    if not counts:
        raise ValueError("no document has two or more annotators")
    matrix = np.array([c for c, _ in counts])
    table = pd.DataFrame(_table(matrix, "all", n_boot, seed))
    table["n_pairs"] = sum(n for _, n in counts)
    return table


def matched_content_scores(predicted, gold, texts) -> dict:
    """Content word P/R/F1 over the matched pairs only: how good the content is where the cue was found.

    Beside :func:`evaluate_attributions` (whose content scores also count every word of a
    missed or spurious attribution) it tells whether content errors come from the spans
    themselves or from the cues.

    >>> texts = pd.DataFrame({"doc_id": ["d"], "text": ["Bo said we win. Al said no."]})
    >>> gold = pd.DataFrame({"doc_id": ["d", "d"], "cue_spans": [[(3, 7)], [(19, 23)]],
    ...                      "content_spans": [[(8, 14)], [(24, 26)]]})
    >>> pred = pd.DataFrame({"doc_id": ["d"], "cue_spans": [[(3, 7)]], "content_spans": [[(8, 11)]]})
    >>> {k: round(v, 3) for k, v in matched_content_scores(pred, gold, texts).items()}
    {'pairs': 1, 'precision': 1.0, 'recall': 0.5, 'f1': 0.667}
    """
    pred_by = {d: g.to_dict("records") for d, g in predicted.groupby("doc_id")}
    gold_by = {d: g.to_dict("records") for d, g in gold.groupby("doc_id")}
    tp = n_pred = n_gold = pairs = 0
    for doc_id, text in zip(texts["doc_id"], texts["text"]):
        text = text if isinstance(text, str) else ""
        ps, gs = _doc_sets(pred_by.get(doc_id, []), gold_by.get(doc_id, []), text)
        for i, j in _matched(ps, gs):
            p, g = ps[i][2], gs[j][2]
            tp, n_pred, n_gold, pairs = tp + len(p & g), n_pred + len(p), n_gold + len(g), pairs + 1
    p, r, f = (float(x) for x in _prf(np.array(tp), np.array(n_pred), np.array(n_gold)))
    return {"pairs": pairs, "precision": p, "recall": r, "f1": f}


ERROR_TYPES = ("missed", "spurious", "wrong source", "right source")


def _snippet(text: str, spans, width: int) -> str:
    """The text around ``spans`` with the spans in [brackets], cut to ``width`` characters each side."""
    spans = sorted((int(a), int(b)) for a, b in spans or [] if 0 <= a < b)
    if not spans:
        return ""
    lo, hi = max(0, spans[0][0] - width), min(len(text), spans[-1][1] + width)
    out, at = [], lo
    for a, b in spans:
        out += [text[at:a], "[", text[a:b], "]"]
        at = b
    out.append(text[at:hi])
    return ("…" if lo else "") + " ".join("".join(out).split()) + ("…" if hi < len(text) else "")


def attribution_errors(predicted, gold, texts, width: int = 80) -> pd.DataFrame:
    """Every gold and predicted attribution with what happened to it: the rows to read errors from.

    ``error``: ``missed`` (a gold attribution no prediction's cue touches), ``spurious`` (a
    prediction that matches no gold one), ``wrong source`` / ``right source`` (matched; source
    words overlap or not, as in :func:`evaluate_attributions`). ``kind`` is the gold kind (the
    predicted one for spurious rows); ``context`` shows the cue in [brackets] with ``width``
    characters each side. Extra columns of ``texts`` (e.g. ``outlet``) are kept.

    >>> texts = pd.DataFrame({"doc_id": ["d"], "text": ["Bo said we win. Al said no."]})
    >>> gold = pd.DataFrame({"doc_id": ["d", "d"], "source_spans": [[(0, 2)], [(16, 18)]],
    ...                      "cue_spans": [[(3, 7)], [(19, 23)]], "content_spans": [[(8, 14)], [(24, 26)]]})
    >>> pred = pd.DataFrame({"doc_id": ["d"], "source_spans": [[(8, 10)]], "cue_spans": [[(3, 7)]],
    ...                      "content_spans": [[(11, 14)]]})
    >>> attribution_errors(pred, gold, texts, width=4)[["error", "gold_cue", "predicted_source", "context"]]
              error gold_cue predicted_source         context
    0  wrong source     said               we   Bo [said] we…
    1        missed     said                   …Al [said] no.
    """
    from .decode import span_kinds

    def text_of(frame, i, role, text):
        return " ".join(text[a:b] for a, b in _spans(frame[i], role))

    extra = [c for c in texts.columns if c not in ("doc_id", "text")]
    info = texts.set_index("doc_id")[extra].to_dict("index") if extra else {}
    gold = gold.reset_index(drop=True).assign(kind=lambda g: span_kinds(g, texts))
    pred = predicted.reset_index(drop=True)
    if "kind" not in pred.columns:
        pred = pred.assign(kind=span_kinds(pred, texts))
    pred_by = {d: g.to_dict("records") for d, g in pred.groupby("doc_id")}
    gold_by = {d: g.to_dict("records") for d, g in gold.groupby("doc_id")}
    rows = []
    for doc_id, text in zip(texts["doc_id"], texts["text"]):
        text = text if isinstance(text, str) else ""
        P, G = pred_by.get(doc_id, []), gold_by.get(doc_id, [])
        ps, gs = _doc_sets(P, G, text)
        pairs = {j: i for i, j in _matched(ps, gs)}
        base = {"doc_id": doc_id, **info.get(doc_id, {})}
        for j, g in enumerate(G):
            i = pairs.get(j)
            if i is None:
                error = "missed"
            else:
                error = "right source" if _same_source(ps[i][1], gs[j][1]) else "wrong source"
            rows.append({**base, "error": error, "kind": g["kind"],
                         "gold_source": text_of(G, j, "source", text), "gold_cue": text_of(G, j, "cue", text),
                         "predicted_source": "" if i is None else text_of(P, i, "source", text),
                         "predicted_cue": "" if i is None else text_of(P, i, "cue", text),
                         "context": _snippet(text, _spans(g, "cue"), width)})
        for i in sorted(set(range(len(P))) - set(pairs.values())):
            rows.append({**base, "error": "spurious", "kind": P[i].get("kind", ""), "gold_source": "", "gold_cue": "",
                         "predicted_source": text_of(P, i, "source", text), "predicted_cue": text_of(P, i, "cue", text),
                         "context": _snippet(text, _spans(P[i], "cue"), width)})
    columns = ["doc_id", *extra, "error", "kind", "gold_source", "gold_cue", "predicted_source", "predicted_cue", "context"]
    return pd.DataFrame(rows, columns=columns)


def recall_by_kind(predicted, gold, texts) -> pd.DataFrame:
    """Cue and source-overlap recall of gold attributions, by the gold ``kind``.

    Gold ``kind`` comes from the quote marks around its content
    (:func:`.decode.span_kinds`).  Matching as in :func:`evaluate_attributions`.
    """
    from .decode import span_kinds

    gold = gold.reset_index(drop=True).copy()
    gold["kind"] = span_kinds(gold, texts)
    rows = []
    for kind, part in gold.groupby("kind"):
        s = evaluate_attributions(predicted, part, texts, n_boot=0).set_index("metric")
        rows.append({"kind": kind, "n_gold": len(part), "cue_recall": s.loc["cue", "recall"],
                     "source_overlap_recall": s.loc["source_overlap", "recall"],
                     "content_words_recall": s.loc["content_words", "recall"]})
    return pd.DataFrame(rows)
