"""Charts of discourse networks in the house style: the network itself and polarisation over time.

Edges are coloured by what they mean, with the stance colours of every chart: agreement
(congruence, a positive subtract weight, support in a two-mode network) in the support colour,
disagreement (conflict, a negative subtract weight, oppose) in the oppose colour, a two-mode
"mixed" edge in the neutral grey. Edge width grows with \\|weight\\|. Nodes are coloured by country
or by another node attribute (``color_by``; Okabe–Ito without the two stance colours, in the fixed
category order; past six categories the least frequent are "other", grey).
The layout is networkx's spring layout with a fixed ``seed`` (agreement pulls hard, disagreement
a little), so the same network is drawn the same way on every run; nodes without a tie (e.g. an
actor whose agreement and disagreement cancel out in a subtract network) sit in a row below.

>>> import pandas as pd
>>> st = pd.DataFrame({"doc_id": ["a", "a", "b"], "actor": ["x", "y", "z"], "target": ["t"] * 3,
...                    "stance": ["support", "support", "oppose"]})
>>> from diplomacy_lab.networks.onemode import actor_network
>>> fig = plot_network(actor_network(st, "subtract"))
>>> fig.texts[0].get_text()
'x and y agree most: net weight 1'
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from diplomacy_lab.charts.style import (
    OKABE_ITO,
    STANCE_COLORS,
    annotate_figure,
    category_order,
    house_style,
    new_figure,
)
from diplomacy_lab.checks import require_columns
from diplomacy_lab.networks.files import network_graph

__all__ = ["network_layout", "plot_network", "plot_polarisation"]

#: Node colours: Okabe–Ito without the two stance colours, which the edges use.
NODE_COLORS = tuple(OKABE_ITO[k] for k in ("blue", "orange", "sky_blue", "reddish_purple", "yellow", "black"))


def network_layout(edges: pd.DataFrame, nodes: pd.DataFrame | None = None, seed: int = 0) -> pd.DataFrame:
    """Node positions (``node, x, y``, in [-1, 1]) of a fixed-seed spring layout over the agreement ties."""
    import networkx as nx

    graph = network_graph(edges, nodes)
    kind = edges.attrs.get("kind")
    pull = nx.Graph()
    pull.add_nodes_from(sorted(graph.nodes, key=str))
    top = max([abs(w or 0) for _, _, w in graph.edges(data="weight")] or [1.0]) or 1.0
    for s, t, w in sorted(graph.edges(data="weight"), key=lambda e: (str(e[0]), str(e[1]))):
        w = float(w or 0) / top
        # agreement pulls hard; disagreement (and every conflict tie) pulls a little, to keep the drawing together
        strength = 0.15 * abs(w) if kind == "conflict" or w < 0 else abs(w)
        pull.add_edge(s, t, weight=max(strength, 0.02))
    if not len(pull):
        return pd.DataFrame(columns=["node", "x", "y"])
    tied = [n for n in pull.nodes if pull.degree(n) > 0]
    lone = [n for n in pull.nodes if pull.degree(n) == 0]
    core = pull.subgraph(tied)
    pos = {}
    if len(core) > 1:
        k = 1.6 / np.sqrt(len(core))
        pos = nx.spring_layout(core, seed=seed, weight="weight", k=k, iterations=300)
    elif len(core) == 1:
        pos = {tied[0]: (0.0, 0.0)}
    # nodes without a tie: a row below the drawing, so they neither vanish nor stretch it
    for i, n in enumerate(lone):
        pos[n] = (-1.0 + 2.0 * (i + 0.5) / len(lone), -1.3 - 0.12 * (i % 2))  # staggered: labels do not collide
    return pd.DataFrame([(n, round(float(pos[n][0]), 6), round(float(pos[n][1]), 6)) for n in pull.nodes],
                        columns=["node", "x", "y"])


def _edge_colour(kind: str, weight: float, stance: str | None) -> str:
    if kind == "two-mode":
        return STANCE_COLORS.get(stance or "neutral", STANCE_COLORS["neutral"])
    if kind == "conflict" or weight < 0:
        return STANCE_COLORS["oppose"]
    return STANCE_COLORS["support"]


def _finding(edges: pd.DataFrame, kind: str, names: dict) -> str:
    if edges.empty:
        return "No ties: no two nodes meet on a proposal"
    if kind == "two-mode":
        actors = edges["source"].nunique()
        mixed = int((edges["stance"] == "mixed").sum())
        return (f"{actors} actors take stances on {edges['target'].nunique()} proposals"
                + (f"; {mixed} actor–proposal pairs on both sides" if mixed else ""))
    top = edges.assign(_abs=edges["weight"].abs()).sort_values(["_abs", "source", "target"], ascending=[False, True, True],
                                                                kind="stable").iloc[0]
    a, b = names.get(top["source"], top["source"]), names.get(top["target"], top["target"])
    w = top["weight"]
    value = f"{w:g}" if float(w).is_integer() else f"{w:.2f}"
    if kind == "congruence":
        return f"{a} and {b} share the most stances: weight {value}"
    if kind == "conflict":
        return f"{a} and {b} disagree most: weight {value}"
    return f"{a} and {b} {'agree' if w > 0 else 'disagree'} most: net weight {value}"


def _method(edges: pd.DataFrame, kind: str) -> str:
    a = edges.attrs
    dup = {"once": "each actor–proposal–stance counted once", "include": "every statement counted",
           "document": "counted once per document"}.get(a.get("duplicates"), f"counted once per {a.get('duplicates')}")
    norm = a.get("normalize", "none")
    norm_text = "" if norm in (None, "none") else f", {norm} normalisation"
    what = {"congruence": "Actors linked when they take the same stance on the same proposal",
            "conflict": "Actors linked when they take opposite stances on the same proposal",
            "subtract": "Same-stance minus opposite-stance ties (green: agree, red: disagree)",
            "two-mode": "Actors linked to the proposals they support (green), oppose (red) or both (grey)"}.get(kind, "")
    return f"{what}; width = weight{norm_text}; {dup}"


def plot_network(
    edges: pd.DataFrame,
    nodes: pd.DataFrame | None = None,
    *,
    labels: dict | None = None,
    color_by: str = "country",
    seed: int = 0,
    title: str | None = None,
    subtitle: str | None = None,
    source_note: str | None = None,
    width: float = 7.0,
    height: float = 6.0,
) -> Figure:
    """Draw a one-mode or two-mode edge list of :mod:`~diplomacy_lab.networks` (module notes).

    ``nodes``: a table with ``node`` and node attributes (e.g.
    :func:`~diplomacy_lab.networks.files.network_nodes`, with ``actors=codebook.actors_table()`` for
    ``kind``); ``color_by``: the attribute that colours the nodes (``"country"``, ``"kind"``, ...);
    ``labels``: display names by node id (actors' names, proposals' labels). Title, subtitle and source note as in every house chart;
    the default title is the strongest tie.
    """
    require_columns(edges, ["source", "target", "weight"], "edges")
    kind = edges.attrs.get("kind", "congruence")
    names = dict(labels or {})
    if nodes is not None and edges.attrs.get("nodes"):
        require_columns(nodes, ["node"], "nodes")
        nodes = nodes[nodes["node"].isin(set(edges.attrs["nodes"]))]  # the network's own nodes, with their attributes
    pos = network_layout(edges, nodes, seed).set_index("node")
    countries = {}
    if nodes is not None and color_by in nodes:
        countries = dict(zip(nodes["node"], nodes[color_by].fillna("").astype(str)))
    elif nodes is not None and color_by != "country":
        raise ValueError(f"nodes has no {color_by!r} column to colour by; columns: {list(nodes.columns)}")
    shown = [c for c in category_order(c for c in countries.values() if c)]
    counts = pd.Series(list(countries.values())).value_counts() if countries else pd.Series(dtype=int)
    if len(shown) > len(NODE_COLORS):
        shown = category_order(counts.sort_values(ascending=False, kind="stable").index[:len(NODE_COLORS)])
    palette = {c: NODE_COLORS[i] for i, c in enumerate(shown)}
    items = set(edges.attrs.get("items", [])) if kind == "two-mode" else set()
    with house_style():
        fig, ax = new_figure(width=width, height=height)
        top = edges["weight"].abs().max() if len(edges) else 1.0
        for rec in edges.sort_values("weight", key=abs, kind="stable").to_dict("records"):
            (x0, y0), (x1, y1) = pos.loc[rec["source"], ["x", "y"]], pos.loc[rec["target"], ["x", "y"]]
            lw = 0.6 + 4.0 * abs(rec["weight"]) / (top or 1.0)
            ax.plot([x0, x1], [y0, y1], color=_edge_colour(kind, rec["weight"], rec.get("stance")), linewidth=lw,
                    alpha=0.65, solid_capstyle="round", zorder=1)
        for node, (x, y) in pos[["x", "y"]].iterrows():
            if node in items:
                ax.scatter([x], [y], s=90, marker="s", color="#444444", zorder=2, edgecolors="white")
            else:
                country = countries.get(node, "")
                colour = palette.get(country, "#BBBBBB")
                ax.scatter([x], [y], s=120, color=colour if countries else OKABE_ITO["blue"], zorder=2,
                           edgecolors="white", linewidths=0.8)
            ax.annotate(str(names.get(node, node)), (x, y), xytext=(5, 4), textcoords="offset points", fontsize=7.5,
                        color="#222222", zorder=3)
        handles = [Line2D([], [], marker="o", linestyle="", color=palette[c], label=c) for c in shown]
        if countries and len(set(countries.values())) > len(shown):
            handles.append(Line2D([], [], marker="o", linestyle="", color="#BBBBBB", label="other"))
        if kind in ("subtract", "two-mode", "congruence", "conflict"):
            if kind != "conflict":
                handles.append(Line2D([], [], color=STANCE_COLORS["support"], linewidth=2,
                                      label="support" if kind == "two-mode" else "agree"))
            if kind != "congruence":
                handles.append(Line2D([], [], color=STANCE_COLORS["oppose"], linewidth=2,
                                      label="oppose" if kind == "two-mode" else "disagree"))
        if handles:
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7.5, frameon=False)
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ax.spines.values():
            side.set_visible(False)
        ax.grid(False)
        if len(pos):
            longest = max(len(str(names.get(n, n))) for n in pos.index)
            room = min(0.2 + 0.03 * longest, 1.3) * (pos["x"].max() - pos["x"].min() or 1.0) / 2
            ax.set_xlim(pos["x"].min() - 0.15, pos["x"].max() + room)  # room for the labels, right of each node
            ax.set_ylim(pos["y"].min() - 0.15, pos["y"].max() + 0.15)
        annotate_figure(fig, title or _finding(edges, kind, names), subtitle or _method(edges, kind), source_note)
    return fig


def plot_polarisation(
    table: pd.DataFrame,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    source_note: str | None = None,
) -> Figure:
    """Polarisation per window (:func:`~diplomacy_lab.networks.polarisation.polarisation_over_time`): the
    score (0–1) at each window's mid-point, its bootstrap interval as a band, and the counted statements
    of each window below the line. Windows without statements are gaps."""
    require_columns(table, ["window_mid", "polarisation", "low", "high", "statements"], "table")
    if table["polarisation"].isna().all():
        raise ValueError("no window holds statements: nothing to plot")
    a = table.attrs
    with house_style():
        fig, ax = new_figure(width=7.0, height=4.2)
        x = pd.to_datetime(table["window_mid"])
        y = table["polarisation"].astype(float)
        low, high = table["low"].astype(float), table["high"].astype(float)
        ax.fill_between(x, low, high, color=OKABE_ITO["sky_blue"], alpha=0.3, linewidth=0)
        if low.notna().any():
            ax.errorbar(x, y, yerr=np.vstack([(y - low).clip(lower=0), (high - y).clip(lower=0)]), fmt="none",
                        ecolor=OKABE_ITO["sky_blue"], elinewidth=1.2, capsize=3,
                        label=f"{int(a.get('confidence', 0.95) * 100)}% bootstrap interval")
        ax.plot(x, y, color=OKABE_ITO["blue"], marker="o", markersize=4, linewidth=1.6, label="polarisation")
        for xi, n in zip(x, table["statements"]):
            ax.annotate(f"{int(n)}", (xi, 0.0), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=7,
                        color="#666666")
        ax.set_ylim(-0.02, 1.05)
        ax.set_ylabel("polarisation (0–1)")
        locator = AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        ax.legend(loc="upper left", fontsize=8, frameon=False)
        best = table.dropna(subset=["polarisation"]).sort_values("polarisation", ascending=False, kind="stable").iloc[0]
        when = pd.Timestamp(best["window_mid"]).strftime("%b %Y")
        interval = "" if pd.isna(best["low"]) else f", 95% interval {best['low']:.2f}–{best['high']:.2f}"
        default = f"Polarisation is highest in the window around {when}: {best['polarisation']:.2f}{interval}"
        n_boot = a.get("n_boot")
        method = (f"Best {a.get('k', 2)}-camp split: conflict across camps minus agreement across, as a share of all "
                  f"conflict; {a.get('size', '?')}-day windows every {a.get('step', '?')} days ({a.get('kernel', 'uniform')} "
                  f"kernel); numbers: statements per window"
                  + (f"; band: bootstrap over documents ({n_boot} draws)" if n_boot else ""))
        annotate_figure(fig, title or default, subtitle or method, source_note)
    return fig
