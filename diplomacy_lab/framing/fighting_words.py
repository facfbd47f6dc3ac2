"""Fightin' Words: the terms that set one group of articles apart from another.

Monroe, Colaresi & Quinn (2008), "Fightin' Words: Lexical Feature Selection and Evaluation
for Identifying the Content of Political Conflict", *Political Analysis* 16(4), section 3.5:
the log-odds ratio of a term between groups i and j, smoothed by a Dirichlet prior α,

    δ_w = log[(y_w^i + α_w) / (n^i + α_0 - y_w^i - α_w)] - log[(y_w^j + α_w) / (n^j + α_0 - y_w^j - α_w)]
    σ²(δ_w) ≈ 1 / (y_w^i + α_w) + 1 / (y_w^j + α_w),        z_w = δ_w / σ(δ_w)

with y_w the count of term w, n the group's total count over the vocabulary and α_0 = Σ α_w.
Exactly the formula of ConvoKit's ``FightingWords`` (same vocabulary and prior give the same
z-scores; ``tests/test_fighting_words.py`` checks it), but sparse and vectorised.

    >>> import pandas as pd
    >>> arts = pd.DataFrame({"side": ["left", "left", "right", "right"],
    ...                      "text": ["invasion of Ukraine", "Russian invasion", "Ukraine crisis", "crisis talks"]})
    >>> fw = fighting_words(arts, by="side")
    >>> print(fw[["group", "other", "term", "count", "count_other", "z"]].round(3).to_string(index=False))
    group other     term  count  count_other      z
     left right invasion      2            0  1.128
     left right  russian      1            0  0.804
     left right  ukraine      1            1  0.000
     left right    talks      0            1 -0.804
     left right   crisis      0            2 -1.128
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from diplomacy_lab.charts.style import annotate_figure, color_for, house_style, new_figure
from diplomacy_lab.statements.narration import select_voice
from diplomacy_lab.text.terms import group_counts, group_labels

__all__ = ["fighting_words", "log_odds_dirichlet", "plot_fighting_words"]

COLUMNS = ("group", "other", "term", "count", "count_other", "total", "prior", "delta", "var", "z")


def log_odds_dirichlet(y_i, y_j, prior) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(delta, var, z)`` per term from two count vectors and the prior ``α`` (scalar or vector).

    Monroe et al. (2008), section 3.5; ``n`` and ``α_0`` are sums over the vectors, so pass
    the whole vocabulary. By hand for the first term: δ = log(2.5/0.5) - log(0.5/2.5) = 2 log 5,
    σ² = 1/2.5 + 1/0.5 = 2.4, z = δ/√2.4.

    >>> delta, var, z = log_odds_dirichlet([2, 0], [0, 2], 0.5)
    >>> delta.round(4).tolist(), var.round(4).tolist(), z.round(4).tolist()
    ([3.2189, -3.2189], [2.4, 2.4], [2.0778, -2.0778])
    """
    y_i = np.asarray(y_i, dtype=np.float64)
    y_j = np.asarray(y_j, dtype=np.float64)
    alpha = np.broadcast_to(np.asarray(prior, dtype=np.float64), y_i.shape)
    a0 = alpha.sum()
    n_i, n_j = y_i.sum(), y_j.sum()
    a_i, a_j = y_i + alpha, y_j + alpha
    delta = np.log(a_i / (n_i + a0 - a_i)) - np.log(a_j / (n_j + a0 - a_j))
    var = 1.0 / a_i + 1.0 / a_j
    return delta, var, delta / np.sqrt(var)


def fighting_words(
    articles: pd.DataFrame,
    by: str,
    groups=None,
    prior=0.1,
    *,
    text: str = "text",
    prior_scale: float | None = None,
    vectorizer=None,
    voice: str = "all",
    **options,
) -> pd.DataFrame:
    """Fightin' Words z-scores of every term, for two groups or each group against the rest.

    ``groups``:

    - None: the distinct values of ``articles[by]``; two values are compared with each other,
      more than two each against the rest;
    - two entries ``(A, B)``: A against B; each entry is a value of ``by`` or a list of values
      (``(["RT", "TASS"], ["BBC", "Reuters"])``), named by its value or "RT + TASS";
    - a dict ``{name: value or list of values}``: named groups;
    - more than two entries: each against the rest of the listed groups.

    Rows whose ``by`` value is in no group (or missing) are left out, also from the vocabulary.

    ``prior``: a number (uniform Dirichlet prior α_w, ConvoKit's default 0.1); "informative"
    (α_w = ``prior_scale`` × the term's share of all compared text, ``prior_scale`` defaulting
    to the number of tokens, i.e. α_w = the pooled count, as in Jurafsky et al. 2014 and
    tidylo); a pandas Series of α_w indexed by term (e.g. counts in a background corpus from
    :func:`diplomacy_lab.text.terms.term_counts`); or an array aligned with the vocabulary.

    ``voice``: ``"narration"`` counts only the outlet's own words, ``"quoted"`` only the words it
    quotes or reports (:mod:`diplomacy_lab.statements.narration`; needs ``doc_id``), ``"all"``
    (default) every word. Tokenising: ``options`` of :func:`diplomacy_lab.text.terms.term_vectorizer` (``ngram_range``,
    ``stop_words``, ``min_df``, ``vocabulary``, ...) or an unfitted ``vectorizer``; the
    vocabulary is learned from the compared rows only.

    Returns one row per group and term: ``group, other, term, count`` (in the group),
    ``count_other``, ``total``, ``prior`` (α_w), ``delta`` (log-odds difference), ``var``, ``z``.
    ``z > 0``: the term is more typical of ``group``; \\|z\\| > 1.96 is the usual bar. Sorted by
    group, then ``z`` from most to least typical of the group.

    >>> import pandas as pd
    >>> arts = pd.DataFrame({"outlet": ["RT", "TASS", "BBC"], "text": ["NATO aggression", "aggression", "invasion"]})
    >>> fw = fighting_words(arts, by="outlet", groups=(["RT", "TASS"], "BBC"))
    >>> fw.loc[0, ["group", "other", "term", "count", "count_other"]].to_dict()
    {'group': 'RT + TASS', 'other': 'BBC', 'term': 'aggression', 'count': 2, 'count_other': 0}
    """
    if voice != "all":
        if text != "text":
            raise ValueError("voice= splits the articles' 'text' column: name it text (or pass voice='all')")
        articles = select_voice(articles, voice)
    labels = group_labels(articles, by)
    names, members = parse_groups(labels, groups, by)
    value_to_group = {v: g for g, values in enumerate(members) for v in values}
    codes = labels.map(lambda v: value_to_group.get(v, -1), na_action="ignore").fillna(-1).astype(np.int64)
    empty = [names[g] for g in range(len(names)) if not (codes == g).any()]
    if empty:
        raise ValueError(f"no articles in group(s) {empty!r} of {by!r}")
    dt = group_counts(articles, codes.to_numpy(), len(names), text, vectorizer=vectorizer, documents=False, **options)
    counts = dt.matrix.toarray().astype(np.float64)
    pooled = counts.sum(axis=0)
    alpha = _prior(prior, dt.terms, pooled, prior_scale)

    pairs = [(0, 1)] if len(names) == 2 else [(g, None) for g in range(len(names))]
    parts = []
    for g, h in pairs:
        y_i = counts[g]
        y_j = counts[h] if h is not None else pooled - y_i
        delta, var, z = log_odds_dirichlet(y_i, y_j, alpha)
        order = np.lexsort((dt.terms.astype(str), -z))  # z descending, ties alphabetical
        parts.append(
            pd.DataFrame(
                {
                    "group": names[g],
                    "other": names[h] if h is not None else "rest",
                    "term": dt.terms[order],
                    "count": y_i[order].astype(np.int64),
                    "count_other": y_j[order].astype(np.int64),
                    "total": (y_i + y_j)[order].astype(np.int64),
                    "prior": alpha[order],
                    "delta": delta[order],
                    "var": var[order],
                    "z": z[order],
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _name(entry) -> object:
    values = group_values(entry)
    return values[0] if len(values) == 1 else " + ".join(str(v) for v in values)


def group_values(entry) -> list:
    """The values of one group given as a value or a list of values."""
    if isinstance(entry, (list, tuple, set, frozenset, pd.Index, np.ndarray, pd.Series)):
        values = sorted(entry, key=str) if isinstance(entry, (set, frozenset)) else list(entry)
        if not values:
            raise ValueError("a group is an empty list of values; give at least one value")
        return values
    return [entry]


def parse_groups(labels: pd.Series, groups, by: str) -> tuple[list, list[list]]:
    """Group names and the label values of each: ``groups`` as None (one per value), a list or a dict."""
    present = pd.unique(labels.dropna())
    if groups is None:
        names = sorted(present, key=lambda v: (str(v).casefold(), str(v)))
        members = [[v] for v in names]
    elif isinstance(groups, Mapping):
        names = list(groups)
        members = [group_values(v) for v in groups.values()]
    elif isinstance(groups, (str, bytes)) or not isinstance(groups, Iterable):
        raise ValueError(
            f"groups must be a pair such as ('left', 'right'), a list of groups or a dict of named "
            f"groups, got {groups!r}"
        )
    else:
        entries = list(groups)
        names = [_name(e) for e in entries]
        members = [group_values(e) for e in entries]
    if len(names) < 2:
        raise ValueError(
            f"Fightin' Words needs at least two groups; {by!r} gives {len(names)} "
            f"({list(names)!r}); pass groups=(A, B)"
        )
    if len(set(map(str, names))) < len(names):
        raise ValueError(f"two groups have the same name: {names!r}; name them with a dict")
    known = set(present)
    seen: dict = {}
    for name, values in zip(names, members):
        for v in values:
            if v not in known:
                listing = sorted(map(str, known))
                more = f" ... ({len(listing)} in all)" if len(listing) > 12 else ""
                raise ValueError(
                    f"{v!r} (group {name!r}) is not a value of {by!r}; values are {listing[:12]}{more}"
                )
            if v in seen:
                raise ValueError(f"{v!r} is in two groups, {seen[v]!r} and {name!r}; put it in one")
            seen[v] = name
    return names, members


def _prior(prior, terms: np.ndarray, pooled: np.ndarray, prior_scale: float | None) -> np.ndarray:
    if isinstance(prior, str):
        if prior != "informative":
            raise ValueError(f"prior must be a number, 'informative', a Series or an array, got {prior!r}")
        n = pooled.sum()
        if (pooled == 0).any():
            raise ValueError(
                f"prior='informative' needs every term to occur in the compared articles; "
                f"{terms[pooled == 0][:5].tolist()} do not (drop them from vocabulary= or use a uniform prior)"
            )
        scale = n if prior_scale is None else float(prior_scale)
        alpha = scale * pooled / n
    elif prior_scale is not None:
        raise ValueError("prior_scale only applies to prior='informative'")
    elif isinstance(prior, pd.Series):
        missing = pd.Index(terms).difference(prior.index)
        if len(missing):
            raise ValueError(
                f"the prior Series has no value for {len(missing)} vocabulary term(s), e.g. "
                f"{missing[:5].tolist()}; index it by term and cover the vocabulary"
            )
        alpha = prior.reindex(terms).to_numpy(dtype=np.float64)
    elif np.ndim(prior) == 0:
        alpha = np.full(len(terms), float(prior))
    else:
        alpha = np.asarray(prior, dtype=np.float64)
        if alpha.shape != (len(terms),):
            raise ValueError(
                f"an array prior needs one value per vocabulary term ({len(terms)}), got shape {alpha.shape}"
            )
    if not (np.isfinite(alpha).all() and (alpha > 0).all()):
        raise ValueError("prior values must be positive and finite")
    return alpha


def _side(table: pd.DataFrame, group) -> pd.DataFrame:
    for column in ("group", "other", "term", "z", "total"):
        if column not in table.columns:
            raise ValueError(f"table has no {column!r} column: pass the output of fighting_words")
    if table.empty:
        raise ValueError("table is empty: nothing to plot")
    groups = list(dict.fromkeys(table["group"]))
    if group is None:
        if len(groups) > 1:
            raise ValueError(f"the table holds {len(groups)} groups (one against the rest); pick one with group=, one of {groups!r}")
        group = groups[0]
    if group not in groups:
        raise ValueError(f"group {group!r} is not in the table; groups are {groups!r}")
    return table[table["group"] == group]


def _labels_spread(ys: np.ndarray, gap: float) -> np.ndarray:
    """Move sorted label positions apart by at least ``gap``, keeping them centred on the points."""
    order = np.argsort(ys)
    placed = ys[order].astype(float).copy()
    for _ in range(50):
        moved = False
        for k in range(1, len(placed)):
            overlap = gap - (placed[k] - placed[k - 1])
            if overlap > 1e-12:
                placed[k - 1] -= overlap / 2
                placed[k] += overlap / 2
                moved = True
        if not moved:
            break
    out = np.empty_like(placed)
    out[order] = placed
    return out


def term_bars(top: pd.DataFrame, bottom: pd.DataFrame, value: str, name, other, colours: dict,
              threshold: float | None = None):
    """Diverging horizontal bars: ``top`` terms (value > 0) up, ``bottom`` terms (< 0) down,
    each term written beside the zero line; dashed lines at ±``threshold``. Returns (fig, ax)."""
    shown = pd.concat([top, bottom.iloc[::-1]])
    fig, ax = new_figure(7.0, 1.6 + 0.2 * max(len(shown), 2))
    y = np.arange(len(shown))[::-1].astype(float)
    if len(top) and len(bottom):
        y[len(top):] -= 0.6  # a gap between the two sides
    v = shown[value].to_numpy(dtype=float)
    ax.barh(y, v, height=0.72, color=[colours[name] if x > 0 else colours[other] for x in v])
    span = max(np.abs(v).max() if len(v) else 0.0, (threshold or 0.0) * 1.1, 1e-9)
    for yi, vi, term in zip(y, v, shown["term"]):
        ax.text(-0.015 * span if vi > 0 else 0.015 * span, yi, str(term),
                ha="right" if vi > 0 else "left", va="center", fontsize=8.5)
    ax.axvline(0, color="#555555", linewidth=0.8)
    ax.set_xlim(-1.45 * span, 1.45 * span)
    ax.set_ylim(y.min() - 0.7 if len(y) else -1, y.max() + 0.7 if len(y) else 1)
    ax.set_yticks([])
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.spines["left"].set_visible(False)
    if threshold:
        for s in (threshold, -threshold):
            ax.axvline(s, color="#999999", linewidth=0.6, linestyle=(0, (2, 2)))
    return fig, ax


def _scatter(side: pd.DataFrame, top: pd.DataFrame, bottom: pd.DataFrame, name, other, colours: dict):
    """z against total count (log x) of every term; the ``top`` and ``bottom`` terms labelled,
    their labels moved apart vertically (one label per text line) and tied to their points."""
    rows = max(len(top), len(bottom))
    height = max(5.0, 2.4 + 2 * rows * 0.16)
    fig, ax = new_figure(7.0, height)
    x = side["total"].clip(lower=1).to_numpy(dtype=float)
    z = side["z"].to_numpy(dtype=float)
    plain = np.abs(z) < 1.96
    ax.scatter(x[plain], z[plain], s=6, color="#BBBBBB", linewidths=0, label="|z| < 1.96")
    for part, label in ((z >= 1.96, name), (z <= -1.96, other)):
        ax.scatter(x[part], z[part], s=9, color=colours[label], linewidths=0, label=f"more in {label}")
    ax.set_xscale("log")
    lo, hi = np.log10(x.min()), np.log10(x.max())
    ax.set_xlim(10 ** (lo - 0.05 * (hi - lo + 1)), 10 ** (hi + 0.05 * (hi - lo + 1)))
    zmax = max(np.abs(z).max(), 2.5)
    y_range = 2.3 * zmax
    gap = (8 * 1.3 / 72) / (height - 1.8) * y_range  # one 8-pt text line, in data units
    y_lo, y_hi = -1.15 * zmax, 1.15 * zmax
    for chosen in (top, bottom):
        if chosen.empty:
            continue
        cx = chosen["total"].clip(lower=1).to_numpy(dtype=float)
        cz = chosen["z"].to_numpy(dtype=float)
        ly = _labels_spread(cz, gap)
        y_lo, y_hi = min(y_lo, ly.min() - gap), max(y_hi, ly.max() + gap)
        for xi, zi, yi, term in zip(cx, cz, ly, chosen["term"]):
            left = np.log10(xi) > lo + 0.7 * (hi - lo)  # near the right edge: label on the left
            ax.annotate(str(term), (xi, zi), xytext=(xi / 1.35 if left else xi * 1.35, yi),
                        textcoords="data", fontsize=8, va="center", ha="right" if left else "left", zorder=5,
                        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
                        arrowprops={"arrowstyle": "-", "color": "#888888", "linewidth": 0.5,
                                    "shrinkA": 1, "shrinkB": 2})
    ax.set_ylim(y_lo, y_hi)
    ax.axhline(0, color="#555555", linewidth=0.8)
    ax.set_xlabel("Total count of the term in both groups (log scale)")
    ax.set_ylabel(f"z-score (+ more in {name}, − more in {other})")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), alignment="left")
    return fig, ax


def plot_fighting_words(
    table: pd.DataFrame,
    group=None,
    kind: str = "bars",
    n: int = 12,
    title: str | None = None,
    subtitle: str | None = None,
    source_note: str | None = None,
) -> Figure:
    """Chart of a :func:`fighting_words` table: the top ``n`` terms of each side.

    ``kind="bars"``: diverging bars of z, the group's terms up, the other side's down, each
    term written beside the zero line. ``kind="scatter"``: the classic z against total count
    (log scale) of every term, \\|z\\| < 1.96 in grey, the top ``n`` of each side labelled.
    For a one-against-the-rest table name the ``group``.

    >>> import pandas as pd
    >>> arts = pd.DataFrame({"side": ["L", "R"], "text": ["invasion aid", "crisis talks"]})
    >>> fig = plot_fighting_words(fighting_words(arts, by="side"), n=2)
    >>> fig.texts[0].get_text().replace("\\n", " ")   # the title, wrapped to the figure width
    'Terms that set L apart from R: “aid”, “invasion” vs “crisis”, “talks”'
    """
    if kind not in ("bars", "scatter"):
        raise ValueError(f"kind must be 'bars' or 'scatter', got {kind!r}")
    if int(n) < 1:
        raise ValueError(f"n must be at least 1, got {n!r}")
    side = _side(table, group)
    name, other = side["group"].iloc[0], side["other"].iloc[0]
    top = side.nlargest(n, "z", keep="first")
    top = top[top["z"] > 0]
    bottom = side.nsmallest(n, "z", keep="first")
    bottom = bottom[bottom["z"] < 0]
    colours = {name: color_for(str(name), [str(name), str(other)]), other: color_for(str(other), [str(name), str(other)])}

    with house_style():
        if kind == "bars":
            fig, ax = term_bars(top, bottom, "z", name, other, colours, threshold=1.96)
            ax.set_xlabel(f"z-score of the log-odds ratio  (← more in {other}  |  more in {name} →)")
        else:
            fig, ax = _scatter(side, top, bottom, name, other, colours)
        annotate_figure(
            fig,
            title if title is not None else _finding(name, other, top, bottom),
            subtitle if subtitle is not None else _method(side, n, kind),
            source_note,
        )
    return fig


def _quoted(terms, k: int = 2) -> str:
    return ", ".join(f"“{t}”" for t in list(terms)[:k])


def _finding(name, other, top: pd.DataFrame, bottom: pd.DataFrame) -> str:
    if top.empty and bottom.empty:
        return f"No term sets {name} apart from {other}"
    return f"Terms that set {name} apart from {other}: {_quoted(top['term']) or '—'} vs {_quoted(bottom['term']) or '—'}"


def _method(side: pd.DataFrame, n: int, kind: str) -> str:
    alpha = side["prior"].to_numpy() if "prior" in side else np.array([])
    if alpha.size and np.allclose(alpha, alpha[0]):
        prior = f"uniform Dirichlet prior α = {alpha[0]:g}"
    else:
        prior = "informative Dirichlet prior"
    tokens = f"{int(side['count'].sum()):,} vs {int(side['count_other'].sum()):,} tokens" if "count" in side else ""
    shown = f"top {n} terms each side" if kind == "bars" else f"{len(side):,} terms, top {n} each side labelled"
    return f"Fightin' Words (Monroe et al. 2008): z-score of the log-odds ratio, {prior}; {shown}; {tokens}; dashed: |z| = 1.96"
