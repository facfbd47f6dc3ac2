"""What each outlet carries that others omit, and stories carried by several outlets.

>>> import pandas as pd
>>> arts = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"],
...                      "date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-04-01"])})
>>> ments = pd.DataFrame({"doc_id": ["a", "c", "c"], "kind": ["target", "target", "fact"],
...                       "id": ["truce", "truce", "truce_30_days"]})
>>> shared_coverage(arts, ments)[["outlet", "id", "articles_mentioning", "carried", "coverage"]]
  outlet             id  articles_mentioning  carried   coverage
0      X  truce_30_days                    0    False  exclusive
1      Y  truce_30_days                    1     True  exclusive
2      X          truce                    1     True        all
3      Y          truce                    1     True        all
"""

from __future__ import annotations

import re
import textwrap
from itertools import combinations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from diplomacy_lab.charts.style import OKABE_ITO, annotate_figure, category_order, house_style, new_figure
from diplomacy_lab.checks import require_columns
from diplomacy_lab.coverage.attention import KINDS, coverage_matrix, item_names
from diplomacy_lab.loading.duplicates import corpus_duplicates

__all__ = ["COVERAGE", "cross_outlet_duplicates", "plot_shared_coverage", "shared_coverage"]

#: Values of the ``coverage`` column of :func:`shared_coverage`, in display order.
COVERAGE = ("exclusive", "shared", "all", "none")
_COVERAGE_COLORS = {"exclusive": OKABE_ITO["orange"], "shared": OKABE_ITO["blue"], "all": "#888888"}
_WORD = re.compile(r"\w+")


def shared_coverage(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    kind=None,
    by: str = "outlet",
    codebook=None,
    ids=None,
    vias=None,
    min_articles: int = 1,
) -> pd.DataFrame:
    """Which items every outlet carries, which only some, and which one outlet alone.

    The article columns of :func:`coverage_matrix` plus ``carried`` (this outlet has at
    least ``min_articles`` articles mentioning the item), ``n_carrying`` (outlets carrying
    it), ``n_groups`` (outlets in the corpus) and ``coverage``: ``exclusive`` (one outlet),
    ``shared`` (several, not all), ``all`` or ``none``. Sorted exclusive first, then by kind
    and id. With few articles an omission may be chance: read ``article_high`` of the
    outlets that do not carry an item (one article: up to 0.79).
    """
    if isinstance(min_articles, bool) or not isinstance(min_articles, (int, np.integer)) or min_articles < 1:
        raise ValueError(f"min_articles must be a whole number >= 1, got {min_articles!r}")
    out = coverage_matrix(articles, mentions, kind=kind, by=by, codebook=codebook, ids=ids, vias=vias)
    out["carried"] = out["articles_mentioning"] >= min_articles
    out["n_carrying"] = out.groupby(["kind", "id"])["carried"].transform("sum").astype("int64")
    out["n_groups"] = out[by].nunique()
    out["coverage"] = np.select(
        [out["n_carrying"] == 0, out["n_carrying"] == out["n_groups"], out["n_carrying"] == 1],
        ["none", "all", "exclusive"], default="shared",
    )
    order = np.lexsort((
        out[by].map({g: i for i, g in enumerate(category_order(out[by]))}).to_numpy(),
        out["id"].astype(str).to_numpy(),
        out["kind"].map(KINDS.index).to_numpy(),
        out["coverage"].map(COVERAGE.index).to_numpy(),
    ))
    return out.iloc[order].reset_index(drop=True)


def plot_shared_coverage(
    table: pd.DataFrame,
    by: str = "outlet",
    include: tuple[str, ...] = ("exclusive", "shared", "all"),
    title: str | None = None,
    subtitle: str | None = None,
    source_note: str | None = None,
) -> Figure:
    """Dot chart of a :func:`shared_coverage` table: one row per item, one column per outlet,
    a dot where the outlet carries the item (colour: exclusive / shared / all), with the
    number of its articles mentioning it. Items of the ``include`` coverage kinds are shown.
    """
    require_columns(table, [by, "kind", "id", "articles_mentioning", "articles", "carried", "coverage"], "table")
    data = table[table["coverage"].isin(include)]
    if data.empty:
        raise ValueError(f"no item with coverage in {list(include)} to plot")
    names = item_names(data)
    items = list(dict.fromkeys(zip(data["kind"], data["id"])))
    groups = category_order(table[by])
    cells = data.set_index([by, "kind", "id"])
    sizes = table.groupby(by)["articles"].first().reindex(groups)
    with house_style():
        fig, ax = new_figure(width=7.5, height=max(3.0, 1.9 + 0.24 * len(items)))
        for i, item in enumerate(items):
            status = cells.xs(item, level=["kind", "id"])["coverage"].iloc[0]
            for j, g in enumerate(groups):
                row = cells.loc[(g, *item)]
                if row["carried"]:
                    ax.scatter(j, i, s=150, color=_COVERAGE_COLORS.get(status, "#888888"), zorder=3)
                    ax.text(j, i, f"{int(row['articles_mentioning'])}", ha="center", va="center",
                            fontsize=7, color="white", zorder=4)
                else:
                    ax.scatter(j, i, s=18, facecolor="white", edgecolor="#BBBBBB", linewidth=0.8, zorder=3)
        ax.set_xticks(range(len(groups)), [f"{textwrap.fill(str(g), 11)}\nn = {int(sizes[g]):,}" for g in groups],
                      fontsize=7)
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(items)), [names[it] for it in items], fontsize=8)
        ax.set_ylim(len(items) - 0.5, -0.5)
        ax.set_xlim(-0.5, len(groups) - 0.5)
        ax.grid(False)
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        shown = [c for c in COVERAGE if c in set(data["coverage"])]
        handles = [Line2D([], [], marker="o", linestyle="", markersize=8, color=_COVERAGE_COLORS[c]) for c in shown]
        ax.legend(handles, [{"exclusive": "one outlet only", "shared": "some outlets", "all": "every outlet"}[c]
                            for c in shown], loc="upper left", bbox_to_anchor=(1.02, 1.0), title="Carried by")
        status = data.drop_duplicates(["kind", "id"])["coverage"]
        n_excl = int((status == "exclusive").sum())
        default = f"{n_excl} of {len(items)} items appear in only one {by.replace('_', ' ')}"
        annotate_figure(
            fig, title or default,
            subtitle or (f"Number in a dot: the {by.replace('_', ' ')}'s articles mentioning the item; "
                         "open circle: not mentioned; n = the outlet's articles"),
            source_note,
        )
    return fig


def _shingles(text: str, ngram: int) -> frozenset:
    words = _WORD.findall(str(text).lower())
    if len(words) < ngram:
        return frozenset([tuple(words)]) if words else frozenset()
    return frozenset(tuple(words[i : i + ngram]) for i in range(len(words) - ngram + 1))


def cross_outlet_duplicates(
    articles: pd.DataFrame, by: str = "outlet", threshold: float = 0.8, ngram: int = 5, max_group: int = 50,
) -> pd.DataFrame:
    """Pairs of (near-)identical articles from different outlets: syndicated or reposted stories.

    Groups come from :func:`diplomacy_lab.corpus_duplicates`; within a group each pair of
    articles from different outlets whose Jaccard similarity of word ``ngram``-gram sets
    reaches ``threshold`` is listed. ``duplicate_of`` is the earlier article (by date, then
    table order); ``days_apart`` says how many days later ``doc_id`` came (NaN if undated).
    Columns: ``doc_id, {by}, date, duplicate_of, duplicate_{by}, duplicate_date, days_apart,
    kind (exact|near), similarity``. Groups of more than ``max_group`` articles (boilerplate
    such as "Live updates") are left out and counted in ``attrs["skipped_groups"]``.

    >>> arts = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "Y", "X"],
    ...     "date": pd.to_datetime(["2025-03-02", "2025-03-01", "2025-03-02"]),
    ...     "text": ["Meloni rules out troops.", "Meloni rules out troops!", "Other news."]})
    >>> cross_outlet_duplicates(arts)[["doc_id", "outlet", "duplicate_of", "duplicate_outlet", "days_apart", "kind"]]
      doc_id outlet duplicate_of duplicate_outlet  days_apart   kind
    0      a      X            b                Y         1.0  exact
    """
    require_columns(articles, ["doc_id", "text", by, "date"], "articles")
    if isinstance(max_group, bool) or not isinstance(max_group, (int, np.integer)) or max_group < 2:
        raise ValueError(f"max_group must be a whole number >= 2, got {max_group!r}")
    columns = ["doc_id", by, "date", "duplicate_of", f"duplicate_{by}", "duplicate_date", "days_apart",
               "kind", "similarity"]
    pairs = corpus_duplicates(articles, threshold=threshold, ngram=ngram)
    meta = articles.reset_index(drop=True).assign(_pos=lambda f: np.arange(len(f))).set_index("doc_id")
    groups: dict[str, list[str]] = {}
    for doc, root in zip(pairs["doc_id"], pairs["duplicate_of"]):
        groups.setdefault(root, [root]).append(doc)

    def when(doc):  # undated last, then by date, then table order
        date = meta.at[doc, "date"]
        return (pd.isna(date), date if pd.notna(date) else pd.Timestamp(0), meta.at[doc, "_pos"])

    rows, skipped = [], 0
    for members in groups.values():
        if meta.loc[members, by].nunique(dropna=False) < 2:
            continue
        if len(members) > max_group:
            skipped += 1
            continue
        words = {m: _WORD.findall(str(meta.at[m, "text"]).lower()) for m in members}
        sets = {m: _shingles(meta.at[m, "text"], ngram) for m in members}
        for a, b in combinations(members, 2):
            if meta.at[a, by] == meta.at[b, by]:
                continue
            union = len(sets[a] | sets[b])
            similarity = round(len(sets[a] & sets[b]) / union, 4) if union else 0.0
            if similarity < threshold:
                continue
            first, later = sorted((a, b), key=when)
            d0, d1 = meta.at[first, "date"], meta.at[later, "date"]
            days = float((d1 - d0).days) if pd.notna(d0) and pd.notna(d1) else np.nan
            kind = "exact" if words[a] == words[b] else "near"
            rows.append((later, meta.at[later, by], d1, first, meta.at[first, by], d0, days, kind, similarity))
    out = pd.DataFrame(rows, columns=columns)
    out = out.sort_values(["similarity", "duplicate_date", "duplicate_of", "doc_id"],
                          ascending=[False, True, True, True], kind="stable").reset_index(drop=True)
    out["days_apart"] = out["days_apart"].astype(float)
    out.attrs["skipped_groups"] = skipped
    return out
