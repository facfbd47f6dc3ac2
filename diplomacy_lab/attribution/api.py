"""Public entry points: ``attributions`` (shipped CRF) and ``write_attributions``.

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
