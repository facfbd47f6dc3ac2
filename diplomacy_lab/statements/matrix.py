"""The actor x target stance matrix: who supports or opposes what, in how many documents.

>>> doc = pd.DataFrame({"doc_id": ["a", "b", "a"], "actor": ["meloni", "meloni", "macron"],
...                     "target": ["troops", "troops", "troops"], "stance": ["oppose", "oppose", "support"]})
>>> stance_matrix(doc)
    actor  target  support  oppose  documents  net
0  macron  troops        1       0          1  1.0
1  meloni  troops        0       2          2 -1.0
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from diplomacy_lab.charts.style import STANCE_COLORS, annotate_figure, house_style, new_figure, sentence_case
from diplomacy_lab.charts.wording import MAX_NAMED, join_words, plural


def stance_matrix(statements: pd.DataFrame, labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Per actor and target: documents with a support / oppose statement, and the net stance.

    ``statements`` is the document-level view (one row per document, actor, target and
    stance); sentence-level statements are reduced to it first. ``net`` = (support -
    oppose) / documents, from -1 (all oppose) to +1 (all support). ``labels`` renames
    actor ids for display (e.g. ``{a.id: a.name for a in codebook.actors.values()}``).
    """
    missing = {"doc_id", "actor", "target", "stance"} - set(statements.columns)
    if missing:
        raise ValueError(f"stance_matrix needs statements with {sorted(missing)}")
    polar = statements[statements["stance"].isin(["support", "oppose"])].drop_duplicates(
        ["doc_id", "actor", "target", "stance"]
    )
    counts = polar.groupby(["actor", "target", "stance"]).size().unstack("stance", fill_value=0)
    counts = counts.reindex(columns=["support", "oppose"], fill_value=0)
    counts.columns.name = None
    documents = polar.groupby(["actor", "target"])["doc_id"].nunique()
    out = counts.assign(documents=documents).reset_index()
    out["net"] = ((out["support"] - out["oppose"]) / out["documents"]).astype(float)
    if labels:
        out["actor"] = out["actor"].map(lambda a: labels.get(a, a))
    return out.sort_values(["actor", "target"], kind="stable").reset_index(drop=True)


def plot_stance_matrix(
    matrix: pd.DataFrame,
    title: str | None = None,
    subtitle: str | None = None,
    source_note: str | None = None,
    target_labels: dict[str, str] | None = None,
) -> Figure:
    """Heat map of a :func:`stance_matrix` table: colour = net stance, text = support/oppose counts.

    Rows are actors (most documents first), columns targets; an empty cell means the
    corpus holds no statement of that actor on that target.
    """
    if matrix.empty:
        raise ValueError("the stance matrix is empty: no support or oppose statement to plot")
    order = matrix.groupby("actor")["documents"].sum().sort_values(ascending=False, kind="stable").index.tolist()
    targets = sorted(matrix["target"].unique())
    net = matrix.pivot(index="actor", columns="target", values="net").reindex(index=order, columns=targets)
    cmap = LinearSegmentedColormap.from_list(
        "stance", [STANCE_COLORS["oppose"], "#F2F2F2", STANCE_COLORS["support"]]
    ).with_extremes(bad="white")
    height = max(3.2, 1.3 + 0.32 * len(order))
    with house_style():
        fig, ax = new_figure(width=7.0, height=height)
        ax.imshow(np.ma.masked_invalid(net.to_numpy(dtype=float)), cmap=cmap, vmin=-1, vmax=1, aspect="auto")
        cells = matrix.set_index(["actor", "target"])
        for i, actor in enumerate(order):
            for j, target in enumerate(targets):
                if (actor, target) in cells.index:
                    row = cells.loc[(actor, target)]
                    text = f"{int(row['support'])}+ {int(row['oppose'])}−"
                    ax.text(j, i, text, ha="center", va="center", fontsize=7.5,
                            color="white" if abs(row["net"]) > 0.6 else "#222222")
        names = {t: (target_labels or {}).get(t, t.replace("_", " ")) for t in targets}
        ax.set_xticks(range(len(targets)), [textwrap.fill(names[t], 16) for t in targets], fontsize=7.5)
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(order)), order)
        ax.grid(False)
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        n_docs = int(matrix["documents"].sum())
        annotate_figure(
            fig,
            title or _finding(matrix, names),
            subtitle or f"Documents in which each actor supports (+) or opposes (−) each proposal; {n_docs} actor-document pairs",
            source_note,
        )
    return fig


def _finding(matrix: pd.DataFrame, names: dict[str, str]) -> str:
    """The actor-proposal pair with the most documents, or the pairs that tie for it."""
    ranked = matrix.sort_values(["documents", "actor", "target"], ascending=[False, True, True], kind="stable")
    tops = ranked[ranked["documents"] == ranked["documents"].iloc[0]]
    n = int(tops["documents"].iloc[0])

    def pair(row) -> str:
        side = "opposes" if row["net"] < 0 else "supports" if row["net"] > 0 else "is split on"
        return f"{row['actor']} {side} “{sentence_case(names.get(row['target'], row['target']))}”"

    if len(tops) == 1:
        return f"{pair(tops.iloc[0])} in {plural(n, 'document')}"
    if len(tops) <= MAX_NAMED:
        return f"{join_words(pair(r) for _, r in tops.iterrows())}: {plural(n, 'document')} each"
    return f"{len(tops)} actor–proposal pairs tie for the most documents ({n} each)"
