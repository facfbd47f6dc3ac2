"""Public entry points: ``attributions`` (shipped CRF), ``regions_near`` and ``write_attributions``.

>>> import pandas as pd
>>> arts = pd.DataFrame({"doc_id": ["d"], "text": ["Merkel said the talks had failed."]})
>>> table = attributions(arts)
>>> table.loc[0, ["source_text", "cue_text", "content_text", "kind"]].tolist()
['Merkel', 'said', 'the talks had failed', 'indirect']
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .model import load_model


def attributions(articles: pd.DataFrame, model=None, regions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Attribution relations in ``articles`` (columns ``doc_id``, ``text``).

    One row per relation: ``doc_id, attribution_id, {source,cue,content}_{start,end}``
    (character offsets into ``text``, outer bounds; ``-1`` when a role is
    absent, e.g. no source in "It was reported that ..."), ``*_text``
    (fragments joined by a space), ``kind`` (direct / indirect / mixed /
    other), ``confidence`` (mean CRF marginal, 0-1) and ``*_spans`` (lists of
    ``(start, end)``).  ``model``: an :class:`AttributionTagger` (default: the
    shipped PolNeAR model).  ``regions``: optional DataFrame ``doc_id, start,
    end``; only text windows (paragraph pieces) overlapping a region are
    tagged, and articles without a region are skipped.  A missing text
    (None / NaN) counts as empty; no article gives an empty table with
    these columns.
    """
    model = load_model() if model is None else model
    return model.predict(articles, regions=regions)


def regions_near(sentences: pd.DataFrame, spans: pd.DataFrame, context: int = 1, kind=None) -> pd.DataFrame:
    """The ``regions`` of :func:`attributions` that can matter for ``spans``: per span, its sentence
    and ``context`` sentences either side, merged per document (``doc_id, start, end``).

    ``sentences``: ``doc_id, sent_id, start, end`` (:func:`diplomacy_lab.sentences`); ``spans``: any
    table with ``doc_id, sent_id`` (e.g. the mentions of a codebook); ``kind``: keep only spans of
    this ``kind`` (e.g. ``"target"``). The tagger reads whole windows (paragraph pieces) that
    overlap a region, so a region widens to its paragraphs.

    >>> sents = pd.DataFrame({"doc_id": ["a"] * 4, "sent_id": [0, 1, 2, 3], "start": [0, 10, 20, 30],
    ...                       "end": [9, 19, 29, 39]})
    >>> regions_near(sents, pd.DataFrame({"doc_id": ["a", "a"], "sent_id": [0, 1]}))
      doc_id  start  end
    0      a      0   29
    """
    for frame, name, cols in ((sentences, "sentences", ["doc_id", "sent_id", "start", "end"]),
                              (spans, "spans", ["doc_id", "sent_id"] + (["kind"] if kind is not None else []))):
        if not isinstance(frame, pd.DataFrame) or not set(cols) <= set(frame.columns):
            raise ValueError(f"{name} must be a DataFrame with the columns {cols}")
    if isinstance(context, bool) or not isinstance(context, int) or context < 0:
        raise ValueError(f"context must be a whole number of sentences >= 0, got {context!r}")
    if kind is not None:
        spans = spans[spans["kind"] == kind]
    wanted = {}
    for doc, sid in set(zip(spans["doc_id"], spans["sent_id"])):
        wanted.setdefault(doc, set()).update(range(int(sid) - context, int(sid) + context + 1))
    rows = []
    for doc, group in sentences[sentences["doc_id"].isin(wanted)].groupby("doc_id", sort=False):
        keep = group[group["sent_id"].isin(wanted[doc])].sort_values("start")
        for a, b in zip(keep["start"], keep["end"]):
            if rows and rows[-1][0] == doc and a <= rows[-1][2] + 1:
                rows[-1][2] = max(rows[-1][2], int(b))
            else:
                rows.append([doc, int(a), int(b)])
    return pd.DataFrame(rows, columns=["doc_id", "start", "end"]).astype({"start": "int64", "end": "int64"})


def write_attributions(articles: pd.DataFrame, path, model=None, regions=None) -> pd.DataFrame:
    """Tag ``articles`` and write the table to ``path`` (``.csv`` or ``.parquet``).

    Span lists are written as JSON-like strings in CSV.  Returns the table.
    """
    path = Path(path)
    table = attributions(articles, model=model, regions=regions)
    out = table.copy()
    if path.suffix.lower() == ".csv":
        for column in ("source_spans", "cue_spans", "content_spans"):
            out[column] = out[column].map(lambda spans: str([list(p) for p in spans]))
        out.to_csv(path, index=False)
    elif path.suffix.lower() in (".parquet", ".pq"):
        for column in ("source_spans", "cue_spans", "content_spans"):
            out[column] = out[column].map(lambda spans: [list(p) for p in spans])
        out.to_parquet(path, index=False)
    else:
        raise ValueError(f"unsupported output format {path.suffix!r}: use .csv or .parquet")
    return table
