"""How much attention each outlet gives each actor, target and fact: outlet x item matrices
and attention per period, normalised by the outlet's own output.

Every share sits beside its raw counts and a 95% Wilson interval: one article of three is
a share of 0.33 with an interval of 0.06-0.79, which says how little three articles show.

>>> import pandas as pd
>>> arts = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"],
...                      "date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-04-01"])})
>>> ments = pd.DataFrame({"doc_id": ["a", "a", "c"], "sent_id": [0, 1, 0],
...                       "kind": ["target"] * 3, "id": ["truce"] * 3})
>>> table = coverage_matrix(arts, ments)
>>> table[["outlet", "id", "articles", "articles_mentioning", "article_share", "article_low"]]
  outlet     id  articles  articles_mentioning  article_share  article_low
0      X  truce         2                    1            0.5       0.0945
1      Y  truce         1                    1            1.0       0.2065
>>> fig = plot_coverage_heatmap(table)        # a Figure; pyplot is not involved

Mentions come from :func:`diplomacy_lab.codebook.mentions.find_mentions`; rows of every ``kind`` in
:data:`KINDS` count (``fact`` rows too, once a codebook has facts). What each outlet carries
alone, syndicated stories and reported speech are in :mod:`diplomacy_lab.coverage.voices`.
"""

from __future__ import annotations

import math
import textwrap
from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from diplomacy_lab.charts.heatmap import SHARE_CMAP
from diplomacy_lab.charts.style import (
    annotate_figure,
    category_order,
    color_for,
    freeze_ticks,
    house_style,
    new_figure,
)
from diplomacy_lab.charts.wording import tie_phrase, tied_leaders
from diplomacy_lab.checks import require_columns
from diplomacy_lab.coverage.volume import articles_over_time
from diplomacy_lab.uncertainty import wilson_interval

__all__ = [
    "KINDS",
    "add_share",
    "attention_over_time",
    "codebook_labels",
    "coverage_matrix",
    "item_names",
    "plot_attention_over_time",
    "plot_coverage_heatmap",
]

#: Kinds of mention rows, in display order.
KINDS = ("actor", "target", "fact")
_RESERVED = {"kind", "id", "label", "period", "articles", "sentences", "mentions"}


@lru_cache(maxsize=65536)
def _wilson(k: int, n: int) -> tuple[float, float]:
    return wilson_interval(k, n)


def add_share(table: pd.DataFrame, prefix: str, k: str, n: str) -> pd.DataFrame:
    """Add ``{prefix}_share`` = k / n (4 places; NaN when n = 0) and its Wilson ``_low`` / ``_high``.

    >>> add_share(pd.DataFrame({"k": [1, 0], "n": [3, 0]}), "article", "k", "n").iloc[0].tolist()
    [1.0, 3.0, 0.3333, 0.0615, 0.7923]
    """
    ks, ns = table[k].astype(int).tolist(), table[n].astype(int).tolist()
    bounds = [_wilson(a, b) for a, b in zip(ks, ns)]
    table[f"{prefix}_share"] = [round(a / b, 4) if b else np.nan for a, b in zip(ks, ns)]
    table[f"{prefix}_low"] = [lo for lo, _ in bounds]
    table[f"{prefix}_high"] = [hi for _, hi in bounds]
    return table


def codebook_labels(codebook) -> dict[tuple[str, str], str]:
    """Display names by ``(kind, id)``: actor names, target and fact labels.

    >>> from diplomacy_lab.codebook.schema import load_codebook
    >>> cb = load_codebook({"name": "x", "actors": {"nato": {"name": "NATO", "country": "NATO",
    ...     "aliases": ["NATO"]}}, "targets": {"truce": {"label": "A truce", "patterns": ["truce"]}}})
    >>> codebook_labels(cb)
    {('actor', 'nato'): 'NATO', ('target', 'truce'): 'A truce'}
    """
    labels = {("actor", a.id): a.name for a in codebook.actors.values()}
    labels.update({("target", t.id): t.label for t in codebook.targets.values()})
    labels.update({("fact", f.id): f.label for f in (getattr(codebook, "facts", None) or {}).values()})
    return labels


def _kinds(kind) -> tuple[str, ...]:
    kinds = KINDS if kind is None else (kind,) if isinstance(kind, str) else tuple(kind)
    bad = [k for k in kinds if k not in KINDS]
    if bad or not kinds:
        raise ValueError(f"kind must be one or more of {list(KINDS)} (or None for all), got {kind!r}")
    return kinds


def _prepare(articles, mentions, by, kind, vias, extra=()):
    """Checked inputs: ``frame`` (doc_id, by, extra columns) and the mentions of the wanted kinds."""
    require_columns(articles, ["doc_id", by, *extra], "articles")
    require_columns(mentions, ["doc_id", "kind", "id"], "mentions")
    if by in _RESERVED or by.endswith(("_share", "_low", "_high", "_mentioning")):
        raise ValueError(f"by={by!r} clashes with an output column; rename that column of articles first")
    if articles["doc_id"].duplicated().any():
        dup = articles.loc[articles["doc_id"].duplicated(), "doc_id"].iloc[0]
        raise ValueError(f"articles has duplicate doc_id {dup!r}: each article needs its own doc_id")
    frame = articles[["doc_id", by, *extra]].copy()
    frame[by] = frame[by].astype(object).where(frame[by].notna(), "unknown")
    kinds = _kinds(kind)
    ments = mentions[mentions["kind"].isin(kinds)]
    if vias is not None:
        require_columns(mentions, ["via"], "mentions")
        ments = ments[ments["via"].isin([vias] if isinstance(vias, str) else list(vias))]
    unknown = sorted(set(ments["doc_id"]) - set(frame["doc_id"]))
    if unknown:
        raise ValueError(
            f"mentions has {len(unknown)} doc_id(s) not in articles (e.g. {unknown[0]!r}); "
            "pass the articles table the mentions were found in"
        )
    return frame, ments, kinds


def _items(ments: pd.DataFrame, kinds, codebook, ids) -> list[tuple[str, str]]:
    """(kind, id) pairs to report: the codebook's (in its order) plus any other id mentioned."""
    found = set(zip(ments["kind"], ments["id"]))
    listed = [key for key in codebook_labels(codebook) if key[0] in kinds] if codebook is not None else []
    rest = sorted(found - set(listed), key=lambda key: (KINDS.index(key[0]), str(key[1])))
    items = listed + rest
    if ids is not None:
        wanted = [ids] if isinstance(ids, str) else list(ids)
        known = {i for _, i in items}
        missing = [i for i in wanted if i not in known]
        if missing:
            raise ValueError(f"ids {missing} are neither mentioned nor in the codebook; known ids: {sorted(known)}")
        items = [key for key in items if key[1] in wanted]
    return items


def _with_labels(out: pd.DataFrame, codebook) -> pd.DataFrame:
    if codebook is not None:
        labels = codebook_labels(codebook)
        out.insert(out.columns.get_loc("id") + 1, "label",
                   [labels.get(key, key[1]) for key in zip(out["kind"], out["id"])])
    return out


def coverage_matrix(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    kind=None,
    by: str = "outlet",
    codebook=None,
    ids=None,
    vias=None,
) -> pd.DataFrame:
    """Per outlet (``by``) and actor / target / fact: how many of the outlet's articles mention it.

    Columns: ``by, kind, id`` (+ ``label`` with a codebook), ``articles`` (the outlet's),
    ``articles_mentioning``, ``article_share`` with Wilson ``article_low`` / ``article_high``,
    ``mentions`` (raw mention rows); with ``sentences`` also ``sentences``,
    ``sentences_mentioning``, ``sentence_share``, ``sentence_low``, ``sentence_high``.
    Every outlet x item pair is listed, zeros included; a codebook adds its unmentioned
    entries. ``kind`` picks kinds (default all), ``ids`` ids, ``vias`` how an actor is
    named (e.g. ``["alias", "role"]`` to leave out pronouns). Pivot for a matrix:
    ``table.pivot(index="id", columns="outlet", values="articles_mentioning")``.
    """
    frame, ments, kinds = _prepare(articles, mentions, by, kind, vias)
    items = _items(ments, kinds, codebook, ids)
    groups = category_order(frame[by])
    index = pd.MultiIndex.from_tuples([(g, k, i) for g in groups for k, i in items], names=[by, "kind", "id"])
    located = ments.merge(frame, on="doc_id")
    out = index.to_frame(index=False)
    out["articles"] = out[by].map(frame.groupby(by).size()).astype("int64")
    docs = located.drop_duplicates(["doc_id", "kind", "id"]).groupby([by, "kind", "id"]).size()
    out["articles_mentioning"] = docs.reindex(index, fill_value=0).to_numpy(dtype="int64")
    add_share(out, "article", "articles_mentioning", "articles")
    out["mentions"] = located.groupby([by, "kind", "id"]).size().reindex(index, fill_value=0).to_numpy(dtype="int64")
    if sentences is not None:
        require_columns(sentences, ["doc_id", "sent_id"], "sentences")
        require_columns(mentions, ["sent_id"], "mentions (for sentence counts)")
        n_sents = sentences[["doc_id"]].merge(frame, on="doc_id").groupby(by).size()
        out["sentences"] = out[by].map(n_sents).fillna(0).astype("int64")
        sents = located.drop_duplicates(["doc_id", "sent_id", "kind", "id"]).groupby([by, "kind", "id"]).size()
        out["sentences_mentioning"] = sents.reindex(index, fill_value=0).to_numpy(dtype="int64")
        add_share(out, "sentence", "sentences_mentioning", "sentences")
    return _with_labels(out, codebook)


def attention_over_time(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    kind=None,
    ids=None,
    by: str = "outlet",
    freq: str = "M",
    codebook=None,
    vias=None,
) -> pd.DataFrame:
    """Per item, period and outlet: the outlet's articles in the period and how many mention the item.

    Columns: ``kind, id`` (+ ``label``), ``period`` (as in
    :func:`diplomacy_lab.coverage.volume.articles_over_time`: "2025-03", "2025Q1", ..., "undated"
    last), ``by``, ``articles``, ``articles_mentioning``, ``article_share``, ``article_low``,
    ``article_high`` (+ the ``sentence`` columns of :func:`coverage_matrix` with
    ``sentences``). The share is NaN where the outlet published nothing in the period.
    Month-precision dates sit on the 1st: do not read them by week.

    >>> arts = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "X"],
    ...                      "date": pd.to_datetime(["2025-01-05", "2025-03-01"])})
    >>> m = pd.DataFrame({"doc_id": ["b"], "kind": ["actor"], "id": ["putin"]})
    >>> attention_over_time(arts, m)[["period", "articles", "articles_mentioning", "article_share"]]
        period  articles  articles_mentioning  article_share
    0  2025-01         1                    0            0.0
    1  2025-02         0                    0            NaN
    2  2025-03         1                    1            1.0
    """
    frame, ments, kinds = _prepare(articles, mentions, by, kind, vias, extra=("date",))
    items = _items(ments, kinds, codebook, ids)
    keys = ["period", by]
    base = articles_over_time(frame, by=by, freq=freq)
    if sentences is not None:
        require_columns(sentences, ["doc_id", "sent_id"], "sentences")
        require_columns(mentions, ["sent_id"], "mentions (for sentence counts)")
        sent_rows = sentences[["doc_id", "sent_id"]].merge(frame, on="doc_id")
        counts = articles_over_time(sent_rows, by=by, freq=freq).rename(columns={"articles": "sentences"})
        base = base.merge(counts, on=keys, how="left").fillna({"sentences": 0})

    def count(rows: pd.DataFrame, name: str) -> pd.Series:
        table = articles_over_time(rows, by=by, freq=freq) if len(rows) else pd.DataFrame(columns=[*keys, "articles"])
        merged = base[keys].merge(table, on=keys, how="left")
        return merged["articles"].fillna(0).astype("int64").rename(name)

    parts = []
    for k, i in items:
        own = ments[(ments["kind"] == k) & (ments["id"] == i)]
        part = base.copy()
        part.insert(0, "kind", k)
        part.insert(1, "id", i)
        part["articles_mentioning"] = count(frame[frame["doc_id"].isin(set(own["doc_id"]))], "n").to_numpy()
        add_share(part, "article", "articles_mentioning", "articles")
        if sentences is not None:
            sent_keys = own[["doc_id", "sent_id"]].drop_duplicates().merge(frame, on="doc_id")
            part["sentences"] = part["sentences"].astype("int64")
            part["sentences_mentioning"] = count(sent_keys, "n").to_numpy()
            add_share(part, "sentence", "sentences_mentioning", "sentences")
        parts.append(part)
    if not parts:
        raise ValueError("no items to follow: mentions has no rows of the chosen kind(s) and no codebook was given")
    out = pd.concat(parts, ignore_index=True)
    for column in ("articles", "articles_mentioning"):
        out[column] = out[column].astype("int64")
    return _with_labels(out, codebook)


# --- plots -----------------------------------------------------------------------------------

_UNITS = ("article", "sentence")


def _unit_columns(table: pd.DataFrame, unit: str, extra: tuple[str, ...]) -> tuple[str, str, str]:
    if unit not in _UNITS:
        raise ValueError(f"unit must be one of {list(_UNITS)}, got {unit!r}")
    k, n, share = f"{unit}s_mentioning", f"{unit}s", f"{unit}_share"
    require_columns(table, ["kind", "id", k, n, share, *extra], "table")
    if table.empty:
        raise ValueError("table is empty: nothing to plot")
    return k, n, share


def item_names(table: pd.DataFrame, width: int = 44) -> dict[tuple[str, str], str]:
    """Display names by (kind, id): the label (or id) shortened to ``width`` characters, with the
    kind added when kinds are mixed.

    >>> item_names(pd.DataFrame({"kind": ["actor", "fact"], "id": ["a", "b"], "label": ["A", "B"]}))
    {('actor', 'a'): 'A (actor)', ('fact', 'b'): 'B (fact)'}
    """
    labels = table["label"] if "label" in table else table["id"]
    names = {key: textwrap.shorten(str(name), width, placeholder=" …")
             for key, name in zip(zip(table["kind"], table["id"]), labels)}
    if table["kind"].nunique() > 1:
        names = {key: f"{name} ({key[0]})" for key, name in names.items()}
    return names


def plot_coverage_heatmap(
    matrix: pd.DataFrame,
    by: str = "outlet",
    unit: str = "article",
    top: int | None = 25,
    title: str | None = None,
    subtitle: str | None = None,
    source_note: str | None = None,
) -> Figure:
    """Heat map of a :func:`coverage_matrix` table: colour = the share of the outlet's articles
    (``unit="sentence"``: sentences) mentioning the item, text = the count, n under each outlet.

    Rows are items, most mentioned first (at most ``top``), columns outlets. The default title
    names the most mentioned item, or says that several tie. When every outlet is a single
    article (``unit="article"``), a share can only be 0% or 100%: the cells then say
    "mentioned" or not, with a two-entry legend instead of a 0–100% scale.
    """
    k, n, share = _unit_columns(matrix, unit, (by,))
    names = item_names(matrix)
    totals = matrix.groupby(["kind", "id"], sort=False)[k].sum()
    items = list(totals.sort_values(ascending=False, kind="stable").index[: top or None])
    groups = category_order(matrix[by])
    cells = matrix.set_index([by, "kind", "id"])
    shares = np.array([[cells.at[(g, *it), share] for g in groups] for it in items], dtype=float)
    counts = np.array([[cells.at[(g, *it), k] for g in groups] for it in items], dtype=int)
    sizes = matrix.groupby(by)[n].first().reindex(groups)
    vmax = max(float(np.nanmax(shares)) if np.isfinite(shares).any() else 0.0, 0.05)
    single = unit == "article" and bool((sizes == 1).all())  # each outlet one article: yes or no, not a share
    if single:
        vmax = 1.0
    with house_style():
        fig, ax = new_figure(width=7.0, height=max(3.0, 1.6 + 0.24 * len(items)))
        cmap = ListedColormap([SHARE_CMAP(0.0), SHARE_CMAP(0.75)]) if single else SHARE_CMAP
        image = ax.imshow(np.ma.masked_invalid(shares), cmap=cmap, vmin=0, vmax=vmax, aspect="auto")
        for i in range(len(items)):
            for j in range(len(groups)):
                light = np.isfinite(shares[i, j]) and shares[i, j] > 0.6 * vmax
                ax.text(j, i, f"{counts[i, j]:d}", ha="center", va="center", fontsize=7.5,
                        color="white" if light else ("#222222" if counts[i, j] else "#AAAAAA"))
        if len(groups) <= 5:
            ax.set_xticks(range(len(groups)),
                          [f"{textwrap.fill(str(g), 11)}\nn = {int(sizes[g]):,}" for g in groups], fontsize=7)
        else:  # many columns: slanted labels
            ax.set_xticks(range(len(groups)), [f"{g} (n = {int(sizes[g]):,})" for g in groups], fontsize=7,
                          rotation=35, ha="left", rotation_mode="anchor")
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(items)), [names[it] for it in items], fontsize=8)
        ax.grid(False)
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        group_word = by.replace("_", " ")
        if single:
            ax.legend(handles=[Patch(facecolor=SHARE_CMAP(0.75), label="mentioned"),
                               Patch(facecolor=SHARE_CMAP(0.0), edgecolor="#CCCCCC", label="not mentioned")],
                      loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=7.5)
        else:
            bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02, format=PercentFormatter(1.0, decimals=0))
            bar.set_label(f"Share of the {group_word}'s {unit}s", fontsize=8)
            bar.ax.tick_params(labelsize=7.5, length=0)
            bar.outline.set_visible(False)
        shown = "" if len(items) == len(totals) else f" (top {len(items)} of {len(totals)})"
        method = (f"Each {group_word} here is one article: a coloured cell says that article mentions the item{shown}"
                  if single else f"{unit.capitalize()}s mentioning each item{shown}: count in the cell, "
                  f"share of the {group_word}'s n {unit}s in colour")
        annotate_figure(fig, title or _most_mentioned(cells, totals, names, k, unit, len(groups), group_word),
                        subtitle or method, source_note)
    return fig


def _most_mentioned(cells: pd.DataFrame, totals: pd.Series, names: dict, k: str, unit: str, n_groups: int,
                    group_word: str) -> str:
    """The most mentioned item, or the items that tie for it, with the number of groups carrying them."""
    leaders = sorted(tied_leaders(totals), key=lambda it: str(names[it]).casefold())
    top = int(totals[leaders[0]])
    carriers = {int((cells.xs(it, level=["kind", "id"])[k] > 0).sum()) for it in leaders}
    where = (f"in all {n_groups} {group_word}s" if carriers == {n_groups} else
             f"in {carriers.pop()} of {n_groups} {group_word}s" if len(carriers) == 1 else
             f"in {min(carriers)} to {max(carriers)} of {n_groups} {group_word}s")
    if len(leaders) == 1:
        return f"{names[leaders[0]]} is mentioned most: {top:,} {unit}s, {where}"
    return (f"{tie_phrase([names[it] for it in leaders], 'items')} as the most mentioned: {top:,} {unit}s each, "
            f"{where}")


def _month_ticks(periods: list[str]) -> list[str]:
    """Tick labels: "Apr" for "2022-04", the year below where it changes; other periods as they are.

    >>> _month_ticks(["2021-12", "2022-01", "2022-02", "2022Q1"])
    ['Dec\\n2021', 'Jan\\n2022', 'Feb', '2022Q1']
    """
    out, year = [], None
    for p in periods:
        if len(p) == 7 and p[4] == "-" and p[5:].isdigit():
            month = pd.Timestamp(f"{p}-01").strftime("%b")
            out.append(month if p[:4] == year else f"{month}\n{p[:4]}")
            year = p[:4]
        else:
            out.append(p)
    return out


def plot_attention_over_time(
    table: pd.DataFrame,
    by: str = "outlet",
    unit: str = "article",
    ids=None,
    intervals: bool = True,
    min_count: int = 1,
    ncols: int = 3,
    title: str | None = None,
    subtitle: str | None = None,
    source_note: str | None = None,
) -> Figure:
    """Lines of an :func:`attention_over_time` table: the share of each outlet's articles per
    period that mention the item, one panel per item (``ids`` picks them), with the Wilson
    interval shaded. Periods in which an outlet has fewer than ``min_count`` articles are
    left out (a gap); undated articles too. With few points each is labelled "k/n".
    """
    k, n, share = _unit_columns(table, unit, ("period", by))
    if isinstance(min_count, bool) or not isinstance(min_count, (int, np.integer)) or min_count < 1:
        raise ValueError(f"min_count must be a whole number >= 1, got {min_count!r}")
    low, high = f"{unit}_low", f"{unit}_high"
    data = table[table["period"] != "undated"]
    if ids is not None:
        data = data[data["id"].isin([ids] if isinstance(ids, str) else list(ids))]
    if data.empty:
        raise ValueError("no dated rows to plot (check ids and that the articles have dates)")
    data = data.copy()
    data.loc[data[n] < min_count, [share, low, high]] = np.nan
    items = list(dict.fromkeys(zip(data["kind"], data["id"])))
    periods = list(dict.fromkeys(data["period"].astype(str)))
    groups = category_order(data[by])
    cols = min(ncols, len(items))
    rows = math.ceil(len(items) / cols)
    names = item_names(data, width=60 if cols == 1 else 30)
    labelled = data[share].notna().sum() <= 24 and len(items) == 1
    top = np.nanmax(data[high if intervals else share].to_numpy(dtype=float), initial=0.0)
    with house_style():
        fig, ax = new_figure(width=7.0 if cols < 3 else 7.5, height=4.0 if rows == 1 else 1.3 + 1.9 * rows)
        ax.remove()
        axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False).ravel()
        x = np.arange(len(periods))
        step = max(1, math.ceil(len(periods) / (10 if cols == 1 else 4)))
        for ax, item in zip(axes, items):
            freeze_ticks(ax)
            rows_of = data[(data["kind"] == item[0]) & (data["id"] == item[1])]
            for g in groups:
                own = rows_of[rows_of[by] == g]
                own = own.set_index(own["period"].astype(str)).reindex(periods)
                colour = color_for(g, groups)
                _ = ax.plot(x, own[share].to_numpy(dtype=float), marker="o", markersize=3, linewidth=1.4,
                            color=colour, label=str(g))
                if intervals:
                    ax.fill_between(x, own[low].to_numpy(dtype=float), own[high].to_numpy(dtype=float),
                                    color=colour, alpha=0.12, linewidth=0)
                if labelled:
                    for xi, kk, nn, sh in zip(x, own[k], own[n], own[share]):
                        if pd.notna(sh):
                            ax.annotate(f"{int(kk)}/{int(nn)}", (xi, sh), xytext=(4, 3),
                                        textcoords="offset points", fontsize=7, color=colour)
            ax.set_title(names[item], fontsize=9, loc="left")
            ax.set_ylim(0, min(1.0, max(float(top), 0.05) * 1.08))
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            ax.set_xticks(x[::step], _month_ticks(periods[::step]), fontsize=7.5)
        spare = axes[len(items):]
        for i, ax in enumerate(spare, start=len(items)):
            ax.axis("off")
            axes[i - cols].xaxis.set_tick_params(labelbottom=True)  # the panel above shows the periods
        axes[0].set_ylabel(f"Share of {unit}s" if len(items) == 1 else "")
        handles, labels = axes[0].get_legend_handles_labels()
        legend = {"title": by.replace("_", " ").capitalize(), "alignment": "left"}
        if len(spare):  # an empty panel holds the legend
            spare[-1].legend(handles, labels, loc="center", **legend)
        else:
            axes[cols - 1].legend(handles, labels, loc="upper left", bbox_to_anchor=(1.02, 1.0), **legend)
        dated = data.dropna(subset=[share])
        if dated.empty:
            raise ValueError(f"no period has {min_count} or more {unit}s in any {by}: lower min_count")
        peak = dated.sort_values([share, k], ascending=False, kind="stable").iloc[0]
        default = (f"{names[(peak['kind'], peak['id'])]} peaks in {peak[by]}, {peak['period']}: "
                   f"{int(peak[k])} of {int(peak[n])} {unit}s")
        left_out = f"; periods with fewer than {min_count} {unit}s left out" if min_count > 1 else ""
        annotate_figure(
            fig, title or default,
            subtitle or (f"Share of each {by.replace('_', ' ')}'s {unit}s per period that mention the item"
                         + ("; shaded: 95% Wilson interval" if intervals else "") + left_out),
            source_note,
        )
    return fig
