"""Keyness: which terms a target group of articles uses more (or less) than a reference.

quanteda's ``textstat_keyness`` in pandas. For each term, the 2 x 2 table

    ==========  ====================  ============================
                the term              every other term
    target      a                     N_target - a
    reference   b                     N_reference - b
    ==========  ====================  ============================

(N = all tokens of the vocabulary in the group) gives Pearson's chi2 with and without Yates'
continuity correction, the log-likelihood G2 (Dunning 1993; Rayson & Garside 2000), their
p-values (1 degree of freedom) and an effect size, Hardie's (2014) log ratio
log2((a / N_target) / (b / N_reference)), a zero count taken as half a token of the larger
group (Hardie's 0.5 when the groups are the same size; so a zero never flips the sign). Equal to
``scipy.stats.chi2_contingency`` (``correction=True/False``; ``lambda_="log-likelihood"``
with ``correction=False``) on every term, but vectorised over the vocabulary.

    >>> import pandas as pd
    >>> arts = pd.DataFrame({"side": ["left", "right", "right"],
    ...                      "text": ["invasion invasion aid", "crisis aid", "crisis talks aid"]})
    >>> k = keyness(arts, by="side", target="left")
    >>> print(k[["term", "count_target", "count_reference", "chi2", "g2", "log_ratio"]].round(3).to_string(index=False))
        term  count_target  count_reference  chi2    g2  log_ratio
    invasion             2                0 4.444 5.178      2.737
         aid             1                2 0.036 0.036     -0.263
       talks             0                1 0.686 1.024     -1.000
      crisis             0                2 1.600 2.267     -2.000
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy.special import xlogy
from scipy.stats import chi2 as chi2_dist

from diplomacy_lab.charts.style import annotate_figure, color_for, house_style
from diplomacy_lab.checks import require_columns
from diplomacy_lab.framing.fighting_words import group_values, parse_groups, term_bars
from diplomacy_lab.statements.narration import select_voice
from diplomacy_lab.text.terms import group_counts, group_labels

__all__ = ["keyness", "keyness_stats", "plot_keyness"]

MEASURES = ("chi2", "chi2_yates", "g2", "log_ratio")
#: chi2 with 1 degree of freedom at p = 0.05 (and 0.01): the usual bars for chi2 and G2.
CRITICAL_05 = 3.841458820694124
CRITICAL_01 = 6.6348966010212145


def keyness_stats(a, b, n_target: float, n_reference: float) -> pd.DataFrame:
    """chi2, chi2_yates, g2 (each with its p-value) and log_ratio for counts ``a`` (target) and
    ``b`` (reference) out of ``n_target`` and ``n_reference`` tokens; vectorised.

    >>> keyness_stats([10], [2], 100, 100).round(4).to_dict("records")
    [{'chi2': 5.6738, 'p_chi2': 0.0172, 'chi2_yates': 4.344, 'p_chi2_yates': 0.0371, 'g2': 6.1626, 'p_g2': 0.013, 'log_ratio': 2.3219}]
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    n1, n2 = float(n_target), float(n_reference)
    if n1 <= 0 or n2 <= 0:
        raise ValueError(f"both groups need tokens; got {n1:g} (target) and {n2:g} (reference)")
    if (a < 0).any() or (b < 0).any() or (a > n1).any() or (b > n2).any():
        raise ValueError("counts must lie between 0 and the group's token total")
    n = n1 + n2
    term = a + b
    cells = np.stack([a, n1 - a, b, n2 - b])  # observed, in the order of the expected below
    expected = np.stack([n1 * term / n, n1 * (n - term) / n, n2 * term / n, n2 * (n - term) / n])
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(expected > 0, 1.0 / expected, 0.0).sum(axis=0)
        diff = np.abs(a - expected[0])  # |O - E| is the same in all four cells of a 2 x 2 table
        chi2 = diff**2 * inv
        chi2_yates = np.maximum(diff - 0.5, 0.0) ** 2 * inv  # scipy clips the correction at |O - E|
        g2 = 2.0 * np.where(expected > 0, xlogy(cells, cells / np.where(expected > 0, expected, 1.0)), 0.0).sum(axis=0)
    g2 = np.maximum(g2, 0.0)  # rounding can leave -1e-16 for a perfectly even term
    floor = 0.5 / max(n1, n2)  # a zero count: half a token of the larger group, so the sign stays right
    log_ratio = np.log2(np.where(a > 0, a / n1, floor) / np.where(b > 0, b / n2, floor))
    return pd.DataFrame(
        {
            "chi2": chi2,
            "p_chi2": chi2_dist.sf(chi2, 1),
            "chi2_yates": chi2_yates,
            "p_chi2_yates": chi2_dist.sf(chi2_yates, 1),
            "g2": g2,
            "p_g2": chi2_dist.sf(g2, 1),
            "log_ratio": log_ratio,
        }
    )


def keyness(
    articles: pd.DataFrame,
    by: str,
    target,
    *,
    reference=None,
    measure: str = "chi2_yates",
    text: str = "text",
    vectorizer=None,
    voice: str = "all",
    **options,
) -> pd.DataFrame:
    """Keyness of every term for ``target`` against ``reference`` (quanteda's ``textstat_keyness``).

    ``target``: a value of ``articles[by]`` or a list of values. ``reference``: likewise; by
    default every other value, named "rest" (or by its value if there is one; rows with a missing ``by`` are left out). Tokenising:
    ``options`` of :func:`diplomacy_lab.text.terms.term_vectorizer` or an unfitted ``vectorizer``;
    the vocabulary is learned from the compared rows.

    Returns one row per term: ``target, reference, term, count_target, count_reference,
    total, chi2, p_chi2, chi2_yates, p_chi2_yates, g2, p_g2, log_ratio, keyness``. The
    statistics are unsigned, as in scipy; ``keyness`` is ``measure`` ("chi2_yates", the
    quanteda default, "chi2", "g2" or "log_ratio") signed: positive when the term is
    relatively more frequent in the target. Sorted by ``keyness``, most key first.

    >>> import pandas as pd
    >>> arts = pd.DataFrame({"outlet": ["RT", "TASS", "BBC"], "text": ["NATO aggression", "aggression", "invasion"]})
    >>> keyness(arts, "outlet", target=["RT", "TASS"], measure="g2")[["target", "reference", "term", "keyness"]].round(3).values.tolist()
    [['RT + TASS', 'BBC', 'aggression', 1.726], ['RT + TASS', 'BBC', 'nato', 0.68], ['RT + TASS', 'BBC', 'invasion', -4.499]]
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, got {measure!r}")
    if voice != "all":
        if text != "text":
            raise ValueError("voice= splits the articles' 'text' column: name it text (or pass voice='all')")
        articles = select_voice(articles, voice)
    labels = group_labels(articles, by)
    target_values = group_values(target)
    if reference is None:
        rest = [v for v in pd.unique(labels.dropna()) if v not in set(target_values)]
        if not rest:
            raise ValueError(f"no reference: every article's {by!r} is in the target {target_values!r}; pass reference=")
        groups = {_name(target_values): target_values, rest[0] if len(rest) == 1 else "rest": rest}
    else:
        groups = {_name(target_values): target_values, _name(group_values(reference)): group_values(reference)}
    names, members = parse_groups(labels, groups, by)
    value_to_group = {v: g for g, values in enumerate(members) for v in values}
    codes = labels.map(lambda v: value_to_group.get(v, -1), na_action="ignore").fillna(-1).astype(np.int64)
    dt = group_counts(articles, codes.to_numpy(), len(names), text, vectorizer=vectorizer, documents=False, **options)
    counts = dt.matrix.toarray()
    a, b = counts[0], counts[1]
    stats = keyness_stats(a, b, a.sum(), b.sum())
    sign = np.where(a * b.sum() >= b * a.sum(), 1.0, -1.0)
    value = stats[measure].to_numpy()
    keyed = value if measure == "log_ratio" else sign * value
    table = pd.concat(
        [
            pd.DataFrame(
                {
                    "target": names[0],
                    "reference": names[1],
                    "term": dt.terms,
                    "count_target": a.astype(np.int64),
                    "count_reference": b.astype(np.int64),
                    "total": (a + b).astype(np.int64),
                }
            ),
            stats,
        ],
        axis=1,
    )
    table["keyness"] = keyed
    order = np.lexsort((dt.terms.astype(str), -keyed))
    table = table.iloc[order].reset_index(drop=True)
    table.attrs["measure"] = measure
    return table


def _name(values: list):
    return values[0] if len(values) == 1 else " + ".join(str(v) for v in values)


def _quoted(terms) -> str:
    return ", ".join(f"“{t}”" for t in list(terms)[:2]) or "—"


def plot_keyness(
    table: pd.DataFrame,
    n: int = 12,
    measure: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source_note: str | None = None,
) -> Figure:
    """Diverging bars of a :func:`keyness` table (quanteda's ``textplot_keyness``): the top ``n``
    terms of the target up, of the reference down, dashed at the p = 0.05 bar.

    ``measure``: a column to plot, signed like ``keyness`` (default: ``keyness`` itself).

    >>> import pandas as pd
    >>> arts = pd.DataFrame({"side": ["L", "R"], "text": ["invasion aid", "crisis talks"]})
    >>> fig = plot_keyness(keyness(arts, "side", target="L", measure="g2"), n=2)
    >>> fig.texts[0].get_text().replace("\\n", " ")   # the title, wrapped to the figure width
    'Key terms of L against R: “aid”, “invasion” vs “crisis”, “talks”'
    """
    require_columns(table, ["target", "reference", "term", "keyness", "count_target", "count_reference"],
                    "table (from keyness)")
    if table.empty:
        raise ValueError("table is empty: nothing to plot")
    if int(n) < 1:
        raise ValueError(f"n must be at least 1, got {n!r}")
    used = measure or table.attrs.get("measure", "keyness")
    data = table.copy()
    if measure is not None:
        if measure not in MEASURES:
            raise ValueError(f"measure must be one of {list(MEASURES)}, got {measure!r}")
        n1, n2 = data["count_target"].sum(), data["count_reference"].sum()
        sign = np.where(data["count_target"] * n2 >= data["count_reference"] * n1, 1.0, -1.0)
        data["keyness"] = data[measure] if measure == "log_ratio" else data[measure] * sign
    name, other = data["target"].iloc[0], data["reference"].iloc[0]
    top = data.nlargest(n, "keyness", keep="first")
    top = top[top["keyness"] > 0]
    bottom = data.nsmallest(n, "keyness", keep="first")
    bottom = bottom[bottom["keyness"] < 0]
    pair = [str(name), str(other)]
    colours = {name: color_for(str(name), pair), other: color_for(str(other), pair)}
    label = {"chi2": "chi2", "chi2_yates": "chi2 (Yates)", "g2": "log-likelihood G2",
             "log_ratio": "log ratio (log2)"}.get(used, used)
    with house_style():
        fig, ax = term_bars(top, bottom, "keyness", name, other, colours,
                            threshold=None if used == "log_ratio" else CRITICAL_05)
        ax.set_xlabel(f"{label}, signed  (← more in {other}  |  more in {name} →)")
        finding = f"Key terms of {name} against {other}: {_quoted(top['term'])} vs {_quoted(bottom['term'])}"
        n1, n2 = int(data["count_target"].sum()), int(data["count_reference"].sum())
        method = (f"Keyness ({label}) of each term, target against reference; top {n} terms each side; "
                  f"{n1:,} vs {n2:,} tokens" + ("" if used == "log_ratio" else "; dashed: p = 0.05"))
        annotate_figure(fig, title if title is not None else finding,
                        subtitle if subtitle is not None else method, source_note)
    return fig
