"""The evidence behind a finding, all of it: every document and every quote, with outlet and date.

A finding such as "Giorgia Meloni opposes sending troops to Ukraine in 5 documents" links to a
block that lists the five documents and each sentence quoted from them, so a reader checks the
claim without trusting a sample. Dates are written at the article's precision ("March 2025").

>>> import pandas as pd
>>> st = pd.DataFrame({"doc_id": ["a", "a", "b"], "sent_id": [1, 4, 2], "actor": "meloni", "target": "troops",
...     "stance": "oppose", "outlet": ["Wire", "Wire", "Blog"], "evidence": ["No troops.", "Again no.", "Never."],
...     "date": pd.to_datetime(["2025-03-28", "2025-03-28", "2025-03-01"]), "date_precision": ["day", "day", "month"]})
>>> print(evidence_list(st))
<ul class="quotes"><li><b>Blog, March 2025</b> (b): oppose — “Never.”</li><li><b>Wire, 28 March 2025</b> (a): oppose — “No troops.” · “Again no.”</li></ul>
>>> evidence_id("meloni", "troops")
'ev-meloni-troops'
"""

from __future__ import annotations

import re
from html import escape

import pandas as pd

from diplomacy_lab.loading.dates import format_date

__all__ = ["evidence_id", "evidence_list", "slug"]


def slug(*parts) -> str:
    """An HTML id from ids: lower case, runs of other characters as one '_'.

    >>> slug("Government of Italy", "troops/ukraine")
    'government_of_italy-troops_ukraine'
    """
    return "-".join(re.sub(r"[^a-z0-9]+", "_", str(p).lower()).strip("_") for p in parts)


def evidence_id(actor, target) -> str:
    """The anchor of the evidence block of one actor and proposal."""
    return f"ev-{slug(actor, target)}"


def _where(row) -> str:
    when = format_date(row.get("date"), row.get("date_precision"))
    return ", ".join(str(x) for x in (row.get("outlet"), when) if isinstance(x, str) and x)


def evidence_list(statements: pd.DataFrame) -> str:
    """One item per document (oldest first): outlet, date at its precision, doc_id, stance, and every
    quoted sentence of it, in the order of the text. ``statements`` is sentence level (one row per
    sentence), already restricted to what the finding is about; values must be HTML-safe or are escaped."""
    if statements.empty:
        return '<p class="small">No statement.</p>'
    keys = [c for c in ("date", "doc_id", "sent_id") if c in statements.columns]
    rows = statements.sort_values(keys, kind="stable", na_position="last")
    items = []
    for (doc, stance), part in rows.groupby(["doc_id", "stance"], sort=False):
        quotes = " · ".join(f"“{escape(str(q).strip())}”" for q in part["evidence"].drop_duplicates() if str(q).strip())
        head = escape(_where(part.iloc[0].to_dict()))
        items.append(f"<li><b>{head}</b> ({escape(str(doc))}): {escape(str(stance))} — {quotes}</li>")
    return f'<ul class="quotes">{"".join(items)}</ul>'
