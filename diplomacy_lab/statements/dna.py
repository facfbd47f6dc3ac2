"""Export statements for the Discourse Network Analyzer (DNA 3.x, Philip Leifeld).

DNA's default statement type, ``DNA Statement``, has four variables: ``person``,
``organization`` and ``concept`` (short text) and ``agreement`` (boolean, stored as 1/0).
``to_dna`` writes one row per statement with those names plus the text and document
fields DNA keeps around a statement:

================  ===============================================================================
column            from
================  ===============================================================================
``person``        with ``actors``: the actor's ``name`` if its ``kind`` is ``person``, else
                  empty; without: the ``actor`` id
``organization``  with ``actors``: ``country`` for persons and governments (so Meloni and the
                  Italian government are one node, ``Italy``), ``name`` for organisations
                  (``NATO``); without: ``actor_country``
``concept``       ``target``, or ``concepts[target]`` (e.g. the codebook label)
``agreement``     1 for ``support``, 0 for ``oppose``; ``neutral`` rows are left out (their
                  count is in ``attrs["neutral_excluded"]``), or kept with an empty
                  agreement with ``include_neutral=True``
``text``          ``evidence``: the sentence
``document``      ``doc_id``
``date``          ``date`` as YYYY-MM-DD
``source``        ``outlet``
``coder``         ``coder`` argument, default ``"diplomacy_lab"``
``start``         ``start``: character offset of the sentence in the article text, if present
``stop``          ``end`` (or ``stop``): offset just after the sentence, if present
================  ===============================================================================

DNA 3 has no spreadsheet import for statements (its GUI imports text files as documents
and other DNA databases). This table is for scripting the import with rDNA: add each
document (article text, date, source), then each row with ``dna_addStatement(documentID,
startCaret = start, endCaret = stop, statementType = "DNA Statement", coder, person = ...,
organization = ..., concept = ..., agreement = ...)``. ``start``/``stop`` are DNA's
carets when the DNA document holds the same article text. The names follow the columns
of ``dna_getStatements()`` and of DNA's event-list export (``text``, ``source``), so the
table also works as a DNA-style event list for network tools.

>>> import pandas as pd
>>> st = pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "outlet": ["ANSA"] * 3,
...     "date": ["2025-03-01", "2025-03-01", "2025-03-04"], "sent_id": [0, 1, 0],
...     "actor": ["meloni", "italy", "nato"], "actor_country": ["Italy", "Italy", "NATO"],
...     "target": ["troops", "troops", "troops"], "stance": ["oppose", "neutral", "support"],
...     "evidence": ["No troops, Meloni said.", "Rome noted it.", "NATO backs it."]})
>>> actors = pd.DataFrame({"actor": ["meloni", "italy", "nato"],
...     "name": ["Giorgia Meloni", "Government of Italy", "NATO"],
...     "country": ["Italy", "Italy", "NATO"], "kind": ["person", "government", "organisation"]})
>>> to_dna(st, actors=actors)[["person", "organization", "concept", "agreement", "document"]]
           person organization concept  agreement document
0  Giorgia Meloni        Italy  troops          0       d1
1                         NATO  troops          1       d2
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import pandas as pd

from diplomacy_lab.charts.tables import write_csv
from diplomacy_lab.checks import require_columns

__all__ = ["DNA_COLUMNS", "to_dna"]

DNA_COLUMNS = [
    "person", "organization", "concept", "agreement", "text",
    "document", "date", "source", "coder", "start", "stop",
]
AGREEMENT = {"support": 1, "oppose": 0}
_KINDS = {
    "person": "person", "government": "government", "organisation": "organisation", "organization": "organisation",
}


def _text(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), "").astype(str)


def _iso_dates(values: pd.Series) -> pd.Series:
    """YYYY-MM-DD of each value (the local date of tz-aware times); empty when missing."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").astype(object).where(values.notna(), "")
    out, bad = [], []
    for label, value in values.items():
        if value is None or (not isinstance(value, str) and pd.isna(value)) or str(value).strip() == "":
            out.append("")
            continue
        try:
            out.append(pd.Timestamp(str(value).strip()).strftime("%Y-%m-%d"))
        except (ValueError, TypeError):
            out.append("")
            bad.append(label)
    if bad:
        raise ValueError(f"statements has dates to_dna cannot read in row(s) {bad[:10]}")
    return pd.Series(out, index=values.index, dtype=object)


def _actor_columns(statements: pd.DataFrame, actors: pd.DataFrame | None) -> tuple[pd.Series, pd.Series]:
    if actors is None:
        person = _text(statements["actor"])
        if "actor_country" in statements:
            org = _text(statements["actor_country"])
        else:
            org = pd.Series("", index=statements.index, dtype=object)
        return person, org
    require_columns(actors, ["actor", "name", "country"], "actors")
    table = actors.assign(kind=actors["kind"] if "kind" in actors else "person")
    table["kind"] = table["kind"].where(table["kind"].notna(), "person").astype(str).str.strip().str.lower()
    bad = sorted(set(table["kind"]) - set(_KINDS))
    if bad:
        raise ValueError(f"actors has unknown kind(s) {bad}; use one of ['person', 'government', 'organisation']")
    table["kind"] = table["kind"].map(_KINDS)
    dupes = sorted(table.loc[table["actor"].duplicated(), "actor"].astype(str).unique())
    if dupes:
        raise ValueError(f"actors lists these actors more than once: {dupes}")
    unknown = sorted(set(statements["actor"].astype(str)) - set(table["actor"].astype(str)))
    if unknown:
        raise ValueError(f"actors has no row for actor(s) {unknown}")
    table = table.set_index(table["actor"].astype(str))
    keys = statements["actor"].astype(str)
    kind = keys.map(table["kind"])
    name = keys.map(_text(table["name"]))
    country = keys.map(_text(table["country"]))
    person = name.where(kind == "person", "")
    org = country.where(kind != "organisation", name)
    return person, org


def to_dna(
    statements: pd.DataFrame,
    path: str | os.PathLike | None = None,
    *,
    actors: pd.DataFrame | None = None,
    concepts: Mapping[str, str] | None = None,
    include_neutral: bool = False,
    coder: str = "diplomacy_lab",
) -> pd.DataFrame:
    """Statements as a DNA ``DNA Statement`` table (``DNA_COLUMNS``); written to ``path`` if given.

    ``statements`` needs doc_id, actor, target, stance and evidence; date, outlet,
    actor_country, sent_id, start and end/stop are used when present. ``actors`` has
    columns actor, name, country and kind (person / government / organisation; empty =
    person, as in the codebook): ``codebook.actors_table()`` fits; ``concepts`` maps target
    ids to labels, e.g. ``dict(zip(t["target"], t["label"]))`` of
    ``codebook.targets_table()``. Rows are sorted by date, document, sentence. The CSV is
    UTF-8 without BOM, ``\\n`` line ends, agreement as 1/0 (empty for kept neutral rows).
    """
    require_columns(statements, ["doc_id", "actor", "target", "stance", "evidence"], "statements")
    if not isinstance(coder, str) or not coder:
        raise ValueError(f"coder must be a non-empty string, got {coder!r}")
    stance = _text(statements["stance"]).str.strip().str.lower()
    unknown = sorted(set(stance) - set(AGREEMENT) - {"neutral"})
    if unknown:
        raise ValueError(f"statements has stance(s) {unknown}; to_dna knows support, oppose and neutral")
    neutral = stance == "neutral"
    keep = ~neutral | include_neutral
    frame = statements.loc[keep]
    stance = stance[keep]

    person, org = _actor_columns(frame, actors)
    concept = frame["target"].astype(str)
    if concepts is not None:
        missing = sorted(set(concept) - set(concepts))
        if missing:
            raise ValueError(f"concepts has no label for target(s) {missing}")
        concept = concept.map(dict(concepts))
    date = _iso_dates(frame["date"]) if "date" in frame else ""
    stop_col = "end" if "end" in frame else "stop" if "stop" in frame else None
    out = pd.DataFrame({
        "person": person,
        "organization": org,
        "concept": concept,
        "agreement": pd.array(stance.map(AGREEMENT), dtype="Int64"),
        "text": _text(frame["evidence"]),
        "document": frame["doc_id"].astype(str),
        "date": date,
        "source": _text(frame["outlet"]) if "outlet" in frame else "",
        "coder": coder,
        "start": pd.array(frame["start"], dtype="Int64") if "start" in frame and stop_col else pd.NA,
        "stop": pd.array(frame[stop_col], dtype="Int64") if "start" in frame and stop_col else pd.NA,
    }, index=frame.index)
    out["start"] = out["start"].astype("Int64")
    out["stop"] = out["stop"].astype("Int64")
    order = pd.DataFrame({"date": out["date"], "document": out["document"],
                          "sent": pd.array(frame["sent_id"], dtype="Int64") if "sent_id" in frame else out["start"]})
    out = out.loc[order.sort_values(["date", "document", "sent"], kind="stable", na_position="last").index]
    out = out[DNA_COLUMNS].reset_index(drop=True)
    out.attrs["neutral_excluded"] = 0 if include_neutral else int(neutral.sum())
    if path is not None:
        write_csv(out, path)  # formula cells neutralised
    return out
