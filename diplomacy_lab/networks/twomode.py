"""Two-mode (affiliation) networks: actors linked to the proposals they take a stance on.

DNA's affiliation networks for a boolean qualifier (the DNA manual, "Affiliation networks";
``Exporter.computeTwoModeMatrix``), with ``x[i, j, k]`` the counted statements of actor ``i`` on
proposal ``j`` (k = support, oppose; :mod:`diplomacy_lab.networks.array`):

================  =========================================================================
``"subtract"``    ``y(i, j) = x[i, j, support] - x[i, j, oppose]`` — signed (the default)
``"ignore"``      ``y(i, j) = x[i, j, support] + x[i, j, oppose]``
``"combine"``     ``y(i, j)`` = 1 if only support, 2 if only oppose, 3 if both
================  =========================================================================

Normalisation: ``"activity"`` divides by the actor's statements ``sum_j sum_k x[i, j, k]``,
``"prominence"`` by the proposal's ``sum_i sum_k x[i, j, k]``; ``"none"`` leaves the weight.
Every edge carries the ``stance`` (support, oppose, or mixed when the actor is reported on both
sides) and the ``support``/``oppose`` counts, so a chart or a graphml file keeps the stance.

>>> import pandas as pd
>>> st = pd.DataFrame({"doc_id": ["a", "b", "b"], "actor": ["meloni", "meloni", "macron"],
...                    "target": ["troops", "troops", "troops"], "stance": ["oppose", "support", "support"]})
>>> two_mode_network(st, duplicates="include")[["source", "target", "weight", "support", "oppose", "stance"]]
   source  target  weight  support  oppose   stance
0  macron  troops     1.0        1       0  support
1  meloni  troops     0.0        1       1    mixed
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diplomacy_lab.networks.array import StatementArray, prepare_statements, statement_array

__all__ = ["AGGREGATIONS", "TWO_MODE_COLUMNS", "TWO_MODE_NORMALIZATIONS", "two_mode_matrix", "two_mode_network"]

AGGREGATIONS = ("subtract", "ignore", "combine")
TWO_MODE_NORMALIZATIONS = ("none", "activity", "prominence")
TWO_MODE_COLUMNS = ["source", "target", "weight", "support", "oppose", "stance"]


def check_two_mode(aggregation: str, normalize: str) -> tuple[str, str]:
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"aggregation must be one of {list(AGGREGATIONS)}, got {aggregation!r}")
    normalize = "none" if normalize in (None, "no") else str(normalize).lower()
    if normalize not in TWO_MODE_NORMALIZATIONS:
        raise ValueError(f"normalize must be one of {list(TWO_MODE_NORMALIZATIONS)} for a two-mode network, "
                         f"got {normalize!r} (average, jaccard and cosine are one-mode normalisations)")
    if aggregation == "combine" and normalize != "none":
        raise ValueError("aggregation='combine' gives category codes (1, 2, 3): they cannot be normalised")
    return aggregation, normalize


def two_mode_matrix(array: StatementArray, aggregation: str = "subtract", normalize: str = "none") -> np.ndarray:
    """The actors x proposals matrix ``y`` of ``array`` (see the module notes)."""
    aggregation, normalize = check_two_mode(aggregation, normalize)
    sup, opp = array.x[:, :, 0], array.x[:, :, 1]
    if aggregation == "subtract":
        y = sup - opp
    elif aggregation == "ignore":
        y = sup + opp
    else:
        y = np.where((sup > 0) & (opp > 0), 3.0, np.where(opp > 0, 2.0, np.where(sup > 0, 1.0, 0.0)))
    if normalize != "none":
        total = array.x.sum(axis=2)
        norm = total.sum(axis=1)[:, None] if normalize == "activity" else total.sum(axis=0)[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            y = np.where(norm > 0, y / np.where(norm > 0, norm, 1.0), 0.0)
    return y


def two_mode_network(
    statements: pd.DataFrame,
    *,
    by: str = "actor",
    aggregation: str = "subtract",
    normalize: str = "none",
    duplicates: str = "once",
) -> pd.DataFrame:
    """Actor x proposal edges: one row per actor and proposal with a support or oppose statement.

    Columns: ``source`` (the actor, or its country with ``by="actor_country"``), ``target`` (the
    proposal), ``weight`` (see the module notes), ``support``, ``oppose`` (counted statements) and
    ``stance`` (support, oppose or mixed). An actor reported on both sides of a proposal keeps its
    edge even where ``subtract`` gives 0. ``attrs``: the settings, ``nodes`` (actors) and ``items``
    (proposals), and the counts of :func:`~diplomacy_lab.networks.array.prepare_statements`.
    """
    aggregation, normalize = check_two_mode(aggregation, normalize)
    prepared = prepare_statements(statements, nodes=by, via="target", duplicates=duplicates)
    array = statement_array(prepared)
    y = two_mode_matrix(array, aggregation, normalize)
    rows = []
    for i, actor in enumerate(array.nodes):
        for j, item in enumerate(array.items):
            s, o = array.x[i, j]
            if s or o:
                stance = "mixed" if s and o else "support" if s else "oppose"
                rows.append((actor, item, float(y[i, j]), int(s), int(o), stance))
    edges = pd.DataFrame(rows, columns=TWO_MODE_COLUMNS)
    edges.attrs.update(prepared.attrs)
    edges.attrs.update(kind="two-mode", aggregation=aggregation, normalize=normalize, mode="two-mode",
                       counted=len(prepared), nodes=list(array.nodes), items=list(array.items), node_column=by)
    return edges
