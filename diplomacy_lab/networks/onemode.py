"""One-mode discourse networks: actors linked by the stances they share (or contradict), and
proposals linked by the actors who back (or reject) them together.

The definitions are those of the Discourse Network Analyzer (Leifeld 2017, "Discourse network
analysis: policy debates as dynamic networks", *Oxford Handbook of Political Networks*; the DNA
manual, chapter "Network export"; DNA 3 ``Exporter.computeOneModeMatrix``), for DNA's boolean
qualifier (agreement: support = 1, oppose = 0). With ``x[i, j, k]`` the number of counted
statements of actor ``i`` on proposal ``j`` with stance ``k`` (:mod:`diplomacy_lab.networks.array`):

- **congruence**: ``w(i, i') = sum_j sum_k x[i, j, k] * x[i', j, k]`` — how often two actors take
  the same stance on the same proposal;
- **conflict**: ``w(i, i') = sum_j sum_k x[i, j, k] * x[i', j, 1 - k]`` — how often they take
  opposite stances on it;
- **subtract**: ``congruence - conflict`` — a signed network, positive where agreement outweighs
  disagreement.

An actor reported both supporting and opposing a proposal agrees *and* disagrees with every other
actor who speaks to it. The diagonal is 0: an actor is not linked to itself.

**Normalisation** ``Phi(w)`` (DNA's one-mode normalisations), with ``n_i = sum_j sum_k x[i, j, k]``
the actor's activity:

==============  ==================================================================================
``"none"``      ``w``
``"average"``   ``w / ((n_i + n_i') / 2)`` — average activity
``"jaccard"``   ``w / (m10 + m01 + m11)`` with ``m10 = sum_jk x[i,j,k] [x[i',j,k] = 0]``,
                ``m01 = sum_jk x[i',j,k] [x[i,j,k] = 0]``, ``m11 = sum_jk x[i,j,k] x[i',j,k]``
``"cosine"``    ``w / (sqrt(n_i^2) * sqrt(n_i'^2)) = w / (n_i * n_i')`` — DNA's formula, which divides
                by the product of activities (not by the norms of the profile vectors)
==============  ==================================================================================

A pair whose denominator is 0 gets weight 0, as in DNA. Networks of proposals (``nodes="target"``,
``via="actor"``) use the same formulas with the roles of the two modes swapped: two proposals are
congruent when the same actor takes the same stance on both.

>>> import pandas as pd
>>> st = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "actor": ["macron", "starmer", "meloni", "macron"],
...                    "target": ["troops"] * 4, "stance": ["support", "support", "oppose", "support"]})
>>> actor_network(st, "congruence")[["source", "target", "weight", "shared"]]
   source   target  weight  shared
0  macron  starmer     1.0  troops
>>> actor_network(st, "subtract")[["source", "target", "weight"]]
   source   target  weight
0  macron   meloni    -1.0
1  macron  starmer     1.0
2  meloni  starmer    -1.0
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diplomacy_lab.networks.array import StatementArray, prepare_statements, statement_array

__all__ = ["EDGE_COLUMNS", "KINDS", "NORMALIZATIONS", "actor_network", "one_mode_matrices", "one_mode_network",
           "target_network"]

KINDS = ("congruence", "conflict", "subtract")
#: DNA's one-mode normalisations (``"no"`` is accepted for ``"none"``).
NORMALIZATIONS = ("none", "average", "jaccard", "cosine")
EDGE_COLUMNS = ["source", "target", "weight", "congruence", "conflict", "shared"]
_TOL = 1e-12


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {list(KINDS)}, got {kind!r}")
    return kind


def check_normalize(normalize: str) -> str:
    value = "none" if normalize in (None, "no") else str(normalize).lower()
    if value not in NORMALIZATIONS:
        raise ValueError(f"normalize must be one of {list(NORMALIZATIONS)} for a one-mode network, got {normalize!r}")
    return value


def one_mode_matrices(array: StatementArray, normalize: str = "none") -> dict[str, np.ndarray]:
    """The congruence, conflict and subtract matrices of ``array`` (nodes x nodes, zero diagonal),
    each divided by the normalisation denominator (see the module notes)."""
    normalize = check_normalize(normalize)
    x = array.x
    sup, opp = x[:, :, 0], x[:, :, 1]
    congruence = sup @ sup.T + opp @ opp.T
    conflict = sup @ opp.T + opp @ sup.T
    out = {"congruence": congruence, "conflict": conflict, "subtract": congruence - conflict}
    if normalize != "none":
        n = array.activity
        if normalize == "average":
            norm = (n[:, None] + n[None, :]) / 2.0
        elif normalize == "cosine":
            norm = np.sqrt(n[:, None] ** 2) * np.sqrt(n[None, :] ** 2)
        else:  # jaccard
            flat = array.flat
            absent = (flat == 0).astype(float)
            m10 = flat @ absent.T
            norm = m10 + m10.T + flat @ flat.T
        with np.errstate(divide="ignore", invalid="ignore"):
            out = {k: np.where(norm > 0, m / np.where(norm > 0, norm, 1.0), 0.0) for k, m in out.items()}
    for m in out.values():
        np.fill_diagonal(m, 0.0)
    return out


def _shared(array: StatementArray, i: int, i2: int, kind: str) -> str:
    sup, opp = array.x[i] > 0, array.x[i2] > 0
    same = (sup[:, 0] & opp[:, 0]) | (sup[:, 1] & opp[:, 1])
    differ = (sup[:, 0] & opp[:, 1]) | (sup[:, 1] & opp[:, 0])
    hit = same if kind == "congruence" else differ if kind == "conflict" else same | differ
    return "; ".join(item for item, h in zip(array.items, hit) if h)


def edge_table(array: StatementArray, matrices: dict, kind: str, raw: dict | None = None) -> pd.DataFrame:
    """Upper-triangle pairs with a non-zero ``kind`` weight as a tidy edge list (:data:`EDGE_COLUMNS`)."""
    raw = raw or one_mode_matrices(array)
    weights = matrices[kind]
    rows = []
    order = np.argsort(np.array(array.nodes, dtype=object).astype(str), kind="stable")
    for a_pos, a in enumerate(order):
        for b in order[a_pos + 1:]:
            w = weights[a, b]
            if abs(w) > _TOL:
                rows.append((array.nodes[a], array.nodes[b], float(w), float(raw["congruence"][a, b]),
                             float(raw["conflict"][a, b]), _shared(array, a, b, kind)))
    return pd.DataFrame(rows, columns=EDGE_COLUMNS)


def one_mode_network(
    statements: pd.DataFrame,
    kind: str = "congruence",
    *,
    nodes: str = "actor",
    via: str = "target",
    normalize: str = "none",
    duplicates: str = "once",
) -> pd.DataFrame:
    """A one-mode network of ``nodes`` linked through ``via`` as a tidy, undirected edge list.

    Columns: ``source, target`` (the two nodes, ``source < target``; *target* here is the edge's
    second node, as in networkx), ``weight`` (the ``kind`` weight after ``normalize``),
    ``congruence`` and ``conflict`` (the raw counts behind it), ``shared`` (the items, ``;``-joined,
    on which the two agree for congruence, disagree for conflict, either for subtract). Only pairs
    with a non-zero weight are listed; ``attrs["nodes"]`` lists every node, isolates included, and
    ``attrs`` also holds the settings and the counts of :func:`~diplomacy_lab.networks.array.prepare_statements`.
    """
    kind = check_kind(kind)
    normalize = check_normalize(normalize)
    prepared = prepare_statements(statements, nodes=nodes, via=via, duplicates=duplicates)
    array = statement_array(prepared)
    raw = one_mode_matrices(array)
    matrices = raw if normalize == "none" else one_mode_matrices(array, normalize)
    edges = edge_table(array, matrices, kind, raw)
    edges.attrs.update(prepared.attrs)
    edges.attrs.update(kind=kind, normalize=normalize, mode="one-mode", counted=len(prepared),
                       nodes=list(array.nodes), node_column=nodes, via=via)
    return edges


def actor_network(statements: pd.DataFrame, kind: str = "congruence", *, by: str = "actor",
                  normalize: str = "none", duplicates: str = "once") -> pd.DataFrame:
    """Actors linked by shared (congruence), opposite (conflict) or net (subtract) stances on the same
    proposals; ``by="actor_country"`` makes countries the nodes. See :func:`one_mode_network`.

    >>> import pandas as pd
    >>> st = pd.DataFrame({"doc_id": ["a", "b", "c"], "actor": ["x", "y", "y"], "target": ["t"] * 3,
    ...                    "stance": ["support", "support", "oppose"]})
    >>> actor_network(st, "conflict")[["source", "target", "weight"]]
      source target  weight
    0      x      y     1.0
    """
    return one_mode_network(statements, kind, nodes=by, via="target", normalize=normalize, duplicates=duplicates)


def target_network(statements: pd.DataFrame, kind: str = "congruence", *, via: str = "actor",
                   normalize: str = "none", duplicates: str = "once") -> pd.DataFrame:
    """Proposals linked when the same actors back (or reject) both (congruence), or back one and reject
    the other (conflict). See :func:`one_mode_network`.

    >>> import pandas as pd
    >>> st = pd.DataFrame({"doc_id": ["a", "a"], "actor": ["meloni"] * 2, "target": ["troops", "us_role"],
    ...                    "stance": ["oppose", "support"]})
    >>> target_network(st, "conflict")[["source", "target", "weight", "shared"]]
       source   target  weight  shared
    0  troops  us_role     1.0  meloni
    """
    return one_mode_network(statements, kind, nodes="target", via=via, normalize=normalize, duplicates=duplicates)

