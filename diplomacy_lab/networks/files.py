"""Files in and out of discourse networks: a statements CSV in; an edge list (CSV), graphml, and
DNA's event list out.

- :func:`read_statements` reads the CSV that ``diplomacy-lab statements`` writes (either level).
- :func:`network_graph` turns an edge list of :mod:`~diplomacy_lab.networks` into a networkx graph
  (isolates included, node attributes such as the country kept); :func:`write_network` writes it as
  ``.csv`` (the edge list) or ``.graphml`` (networkx's writer; Gephi, igraph, visone and
  ``networkx.read_graphml`` read it back with the same weights).
- :func:`dna_event_list` and :func:`write_event_list` give DNA's *event list* (DNA 3
  ``Exporter.eventCSV``): one row per (filtered) statement with ``statement_id; time; person;
  organization; concept; agreement; start_position; stop_position; text; coder; document_id;
  document_title; document_author; document_source; document_section; document_type``, written as
  DNA writes it — ``;``-separated, text fields in double quotes with ``;`` turned into ``,`` and
  ``"`` into ``'``, time as ``yyyy-MM-dd HH:mm:ss``. Relational event models (rem, goldfish) and
  rDNA users read this format.

>>> import pandas as pd
>>> edges = pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [2.0]})
>>> g = network_graph(edges, nodes=pd.DataFrame({"node": ["a", "b", "c"], "country": ["X", "Y", "Y"]}))
>>> sorted(g.nodes), g["a"]["b"]["weight"], g.nodes["c"]["country"]
(['a', 'b', 'c'], 2.0, 'Y')
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from diplomacy_lab.checks import require_columns, rows_text
from diplomacy_lab.networks.array import prepare_statements
from diplomacy_lab.statements.dna import to_dna

__all__ = ["EVENT_LIST_COLUMNS", "dna_event_list", "network_graph", "network_nodes", "read_statements",
           "write_event_list", "write_network"]

#: DNA's event-list columns for its default statement type, "DNA Statement".
EVENT_LIST_COLUMNS = [
    "statement_id", "time", "person", "organization", "concept", "agreement", "start_position", "stop_position",
    "text", "coder", "document_id", "document_title", "document_author", "document_source", "document_section",
    "document_type",
]
_TEXT_COLUMNS = {"person", "organization", "concept", "text", "document_title", "document_author", "document_source",
                 "document_section", "document_type"}
_STANCES = {"support", "oppose", "neutral"}


def read_statements(path: str | os.PathLike) -> pd.DataFrame:
    """A statements CSV as written by ``diplomacy-lab statements`` (sentence or document level).

    Needs ``doc_id, actor, target, stance``; ``date`` (YYYY-MM-DD, empty when undated) becomes
    datetime64; ids stay text. Raises ValueError naming the file and rows for unreadable dates or
    unknown stances.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "st.csv"
    >>> _ = p.write_text("doc_id,date,actor,target,stance\\n007,2025-03-02,meloni,troops,oppose\\n")
    >>> read_statements(p)[["doc_id", "date", "stance"]]
      doc_id       date  stance
    0    007 2025-03-02  oppose
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no statements file at {path}")
    text = path.read_bytes().decode("utf-8-sig")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    require_columns(frame, ["doc_id", "actor", "target", "stance"], f"{path}")
    frame = frame.replace({"": np.nan})
    frame["stance"] = frame["stance"].str.strip().str.lower()
    bad = ~frame["stance"].isin(_STANCES)
    if bad.any():
        raise ValueError(f"{path}: stance must be support, oppose or neutral; rows {rows_text(frame.index[bad] + 2)} "
                         f"have {sorted(set(frame.loc[bad, 'stance'].fillna('<empty>')))}")
    if "date" in frame:
        dates = pd.to_datetime(frame["date"], errors="coerce", format="mixed")
        bad = dates.isna() & frame["date"].notna()
        if bad.any():
            raise ValueError(f"{path}: dates must be YYYY-MM-DD; cannot read rows {rows_text(frame.index[bad] + 2)}")
        frame["date"] = dates
    for col in ("sent_id", "start", "end", "n_sentences"):
        if col in frame:
            frame[col] = pd.array(pd.to_numeric(frame[col]), dtype="Int64")
    if "confidence" in frame:
        frame["confidence"] = pd.to_numeric(frame["confidence"], errors="coerce")
    frame["doc_id"] = frame["doc_id"].astype(str)
    return frame


def network_nodes(statements: pd.DataFrame, by: str = "actor", actors: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per node of ``by`` with its support/oppose statements and documents (and country).

    ``actors`` (a table with an ``actor`` column, e.g. ``codebook.actors_table()``) adds its other
    columns (``name``, ``kind``, ...) as node attributes, for charts (``plot_network(color_by="kind")``)
    and graphml.

    >>> st = pd.DataFrame({"doc_id": ["a", "b"], "actor": ["x", "x"], "actor_country": ["X", "X"],
    ...                    "target": ["t", "t"], "stance": ["support", "oppose"]})
    >>> network_nodes(st)
      node country  statements  support  oppose  documents
    0    x       X           2        1       1          2
    """
    prepared = prepare_statements(statements, nodes=by, duplicates="include")
    out = prepared.groupby("node").agg(statements=("stance", "size"), support=("stance", lambda s: int((s == "support").sum())),
                                       oppose=("stance", lambda s: int((s == "oppose").sum())),
                                       documents=("doc_id", "nunique")).reset_index()
    if by == "actor" and "actor_country" in statements:
        country = statements.dropna(subset=["actor"]).drop_duplicates("actor").set_index("actor")["actor_country"]
        out.insert(1, "country", out["node"].map(country).fillna(""))
    if actors is not None:
        require_columns(actors, ["actor"], "actors")
        extra = actors.drop_duplicates("actor").set_index("actor")
        extra = extra[[c for c in extra.columns if c not in out.columns]]
        out = out.join(extra, on="node")
    return out.astype({"statements": "int64", "support": "int64", "oppose": "int64", "documents": "int64"})


def network_graph(edges: pd.DataFrame, nodes: pd.DataFrame | None = None) -> nx.Graph:
    """A networkx ``Graph`` of an edge list (one-mode, two-mode or one window of a windows table).

    Every column besides ``source``/``target`` becomes an edge attribute; ``nodes`` (a table with a
    ``node`` column, e.g. :func:`network_nodes`) adds nodes (isolates too) and their attributes;
    without it, ``edges.attrs["nodes"]`` (and ``["items"]`` of a two-mode network) are added. A
    two-mode graph marks each node's ``mode`` ("actor" or "target"), as bipartite tools expect.
    """
    require_columns(edges, ["source", "target", "weight"], "edges")
    if "window_start" in edges and edges["window_start"].nunique() > 1:
        raise ValueError("edges hold several time windows: pick one (edges[edges['window_start'] == ...]) or export "
                         "the windows table as CSV")
    graph = nx.Graph()
    two_mode = edges.attrs.get("mode") == "two-mode"
    listed = [] if nodes is not None else list(edges.attrs.get("nodes", []))
    for n in listed:
        graph.add_node(n, **({"mode": "actor"} if two_mode else {}))
    for n in edges.attrs.get("items", []) if nodes is None else []:
        graph.add_node(n, mode="target")
    if nodes is not None:
        require_columns(nodes, ["node"], "nodes")
        for record in nodes.to_dict("records"):
            name = record.pop("node")
            graph.add_node(name, **{k: _plain(v) for k, v in record.items()})
    extra = [c for c in edges.columns if c not in ("source", "target")]
    for record in edges.to_dict("records"):
        attrs = {k: _plain(record[k]) for k in extra}
        graph.add_edge(record["source"], record["target"], **attrs)
        if two_mode:
            graph.nodes[record["source"]].setdefault("mode", "actor")
            graph.nodes[record["target"]].setdefault("mode", "target")
    return graph


def _plain(value):
    """A value graphml can store: str, int, float or bool (dates as ISO text, missing as '')."""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value


def write_network(edges: pd.DataFrame, path: str | os.PathLike, nodes: pd.DataFrame | None = None) -> Path:
    """Write ``edges`` to ``path``: ``.csv`` an edge list (UTF-8, ``\\n``, floats ``%.10g``, dates
    YYYY-MM-DD) or ``.graphml`` (:func:`network_graph`); the folder is created. Returns the path."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".graphml"):
        raise ValueError(f"write_network writes .csv (edge list) or .graphml, not {path.name!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        text = edges.to_csv(index=False, lineterminator="\n", float_format="%.10g", date_format="%Y-%m-%d")
        path.write_bytes(text.encode("utf-8"))
    else:
        nx.write_graphml(network_graph(edges, nodes), path, encoding="utf-8", prettyprint=True)
    return path


def dna_event_list(
    statements: pd.DataFrame,
    *,
    actors: pd.DataFrame | None = None,
    concepts=None,
    articles: pd.DataFrame | None = None,
    duplicates: str = "include",
    coder: int = 1,
) -> pd.DataFrame:
    """DNA's event list (:data:`EVENT_LIST_COLUMNS`) of the support/oppose statements, one per row.

    ``person``, ``organization``, ``concept`` and ``agreement`` come from
    :func:`diplomacy_lab.statements.dna.to_dna` (``actors``: ``codebook.actors_table()``, ``concepts``:
    target labels). ``duplicates`` filters as in DNA before listing (default ``"include"``, DNA's
    default). ``articles`` (doc_id, title, outlet) fills ``document_title``; ``document_source`` is
    the outlet. ``statement_id`` counts from 1 in date order; undated statements get an empty time.

    >>> st = pd.DataFrame({"doc_id": ["d1"], "actor": ["meloni"], "actor_country": ["Italy"], "target": ["troops"],
    ...                    "stance": ["oppose"], "evidence": ['She said "no"; firmly.'], "date": ["2025-03-02"]})
    >>> ev = dna_event_list(st)
    >>> ev[["statement_id", "time", "organization", "agreement", "text"]].to_dict("records")[0]
    {'statement_id': 1, 'time': '2025-03-02 00:00:00', 'organization': 'Italy', 'agreement': 0, 'text': 'She said "no"; firmly.'}
    """
    require_columns(statements, ["doc_id", "actor", "target", "stance", "evidence"], "statements")
    if not isinstance(coder, (int, np.integer)) or coder < 1:
        raise ValueError(f"coder must be a DNA coder id (a whole number >= 1), got {coder!r}")
    kept = prepare_statements(statements, duplicates=duplicates)
    rows = statements.iloc[kept["row"].to_numpy()]
    dna = to_dna(rows, actors=actors, concepts=concepts)
    dates = pd.to_datetime(dna["date"].replace("", None))
    titles = {}
    if articles is not None:
        require_columns(articles, ["doc_id"], "articles")
        if "title" in articles:
            titles = dict(zip(articles["doc_id"].astype(str), articles["title"].fillna("").astype(str)))
    out = pd.DataFrame({
        "statement_id": np.arange(1, len(dna) + 1),
        "time": [d.strftime("%Y-%m-%d %H:%M:%S") if not pd.isna(d) else "" for d in dates],
        "person": dna["person"].to_numpy(),
        "organization": dna["organization"].to_numpy(),
        "concept": dna["concept"].to_numpy(),
        "agreement": dna["agreement"].astype("int64").to_numpy(),
        "start_position": dna["start"].to_numpy(),
        "stop_position": dna["stop"].to_numpy(),
        "text": dna["text"].to_numpy(),
        "coder": coder,
        "document_id": dna["document"].to_numpy(),
        "document_title": [titles.get(d, "") for d in dna["document"]],
        "document_author": "",
        "document_source": dna["source"].to_numpy(),
        "document_section": "",
        "document_type": "",
    })
    out.attrs.update(duplicates=duplicates, neutral_excluded=dna.attrs.get("neutral_excluded", 0))
    return out[EVENT_LIST_COLUMNS]


def _dna_text(value) -> str:
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    return '"' + text.replace(";", ",").replace('"', "'") + '"'


def write_event_list(events: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a :func:`dna_event_list` table as DNA writes its event list (see the module notes).

    >>> import tempfile
    >>> st = pd.DataFrame({"doc_id": ["d1"], "actor": ["meloni"], "target": ["troops"], "stance": ["oppose"],
    ...                    "evidence": ['She said "no"; firmly.'], "date": ["2025-03-02"]})
    >>> p = write_event_list(dna_event_list(st), Path(tempfile.mkdtemp()) / "events.csv")
    >>> p.read_text().splitlines()[1]
    '1;2025-03-02 00:00:00;"meloni";"";"troops";0;;;"She said \\'no\\', firmly.";1;d1;"";"";"";"";""'
    """
    require_columns(events, EVENT_LIST_COLUMNS, "events")
    lines = [";".join(f'"{c}"' for c in EVENT_LIST_COLUMNS)]
    for record in events[EVENT_LIST_COLUMNS].to_dict("records"):
        cells = []
        for col in EVENT_LIST_COLUMNS:
            value = record[col]
            if col in _TEXT_COLUMNS:
                cells.append(_dna_text(value))
            else:
                cells.append("" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value))
        lines.append(";".join(cells))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    return path
