"""Naming variants: which name each outlet uses for the same thing ("Kiev" or "Kyiv", "peacekeepers"
or "military intervention").

A **naming lexicon** maps concepts to variants and variants to terms (plain phrases or ``re:``
regexes, see :func:`diplomacy_lab.text.phrases.compile_phrase`). Naming choices are domain
knowledge, so there is no default: pass your own YAML path, dict or table, or the name of a
shipped one (``"russia_ukraine"``: Kiev/Kyiv, the force's eight names, ...; see
:func:`diplomacy_lab.text.lexicons.shipped_lexicons`), or extend a shipped one::

    concepts:
      kyiv:
        label: Ukraine's capital
        variants: {Kyiv: [Kyiv], Kiev: [Kiev]}     # or simply [Kyiv, Kiev]

As a table the lexicon is ``concept, label, variant, term`` (one row per term).

>>> import pandas as pd
>>> arts = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["RT", "BBC"],
...     "text": ["Kiev said peacekeepers would come to Kiev.", "Kyiv rejects the claim."]})
>>> lex = {"concepts": {"kyiv": {"variants": ["Kyiv", "Kiev"]}}}
>>> naming_variants(arts, lexicon=lex)[["outlet", "variant", "mentions", "concept_mentions", "share"]]
  outlet variant  mentions  concept_mentions  share
0    BBC    Kyiv         1                 1    1.0
1    BBC    Kiev         0                 1    0.0
2     RT    Kyiv         0                 2    0.0
3     RT    Kiev         2                 2    1.0
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from diplomacy_lab.charts.style import (
    CATEGORY_COLORS,
    annotate_figure,
    category_order,
    house_style,
    new_figure,
)
from diplomacy_lab.checks import require_columns
from diplomacy_lab.statements.narration import select_voice
from diplomacy_lab.text.lexicons import (
    check_id,
    check_keys,
    check_phrases,
    is_lexicon_name,
    load_lexicon_source,
    shipped_lexicon,
    shipped_lexicons,
)
from diplomacy_lab.text.phrases import compile_phrases, normalise_apostrophes, phrase_key
from diplomacy_lab.uncertainty import wilson_interval

__all__ = [
    "LEXICON_COLUMNS",
    "load_naming_lexicon",
    "naming_matches",
    "naming_variants",
    "plot_naming_variants",
]

LEXICON_COLUMNS = ["concept", "label", "variant", "term"]
MATCH_COLUMNS = ["doc_id", "concept", "variant", "start", "end", "surface"]
_WHAT = "naming lexicon"
_NO_LEXICON = ("no naming lexicon given: naming choices are domain knowledge, so there is no default. Pass "
               "lexicon= a YAML path, a dict, a table (concept, variant, term) or a shipped lexicon's name "
               f"({', '.join(repr(n) for n in shipped_lexicons('naming'))})")


def _parse(source) -> dict:
    """{concept: {"label": str, "variants": {variant: [terms]}}} from a path or dict, checked."""
    where, data = load_lexicon_source(source, _WHAT)
    check_keys(where, data, ("name", "description", "concepts"), ("concepts",))
    concepts = data["concepts"]
    if not isinstance(concepts, dict) or not concepts:
        raise ValueError(f"{where}: concepts must be a non-empty mapping of concept ids to entries")
    out = {}
    for cid, entry in concepts.items():
        here = f"{where}: concepts.{cid}"
        check_id(f"{where}: concepts", cid)
        check_keys(here, entry, ("label", "note", "variants"), ("variants",))
        label = entry.get("label")  # None: not given (the id stands in)
        if label is not None and (not isinstance(label, str) or not label.strip()):
            raise ValueError(f"{here}.label: must be a non-empty string, got {label!r}")
        variants = entry["variants"]
        if isinstance(variants, list):  # shorthand: each variant is its own term
            if not all(isinstance(v, str) and v.strip() for v in variants):
                raise ValueError(f"{here}.variants: every variant must be a non-empty string, got {variants!r}")
            variants = {v: [v] for v in variants}
        if not isinstance(variants, dict):
            raise ValueError(f"{here}.variants: must be a mapping of variant names to term lists, or a list of names")
        out[cid] = {"label": label.strip() if label else None, "variants": {}}
        for name, terms in variants.items():
            if not isinstance(name, str) or not name.strip():
                raise ValueError(f"{here}.variants: a variant name must be a non-empty string, got {name!r}")
            out[cid]["variants"][name] = check_phrases(f"{here}.variants.{name}", terms)
    return out


def _check_concepts(where: str, concepts: dict) -> None:
    for cid, entry in concepts.items():
        variants = entry["variants"]
        if len(variants) < 2:
            raise ValueError(
                f"{where}: concepts.{cid} has {len(variants)} variant; a concept needs at least two names to "
                "compare (to find one term, use kwic)"
            )
        owner: dict[str, str] = {}
        for name, terms in variants.items():
            for term in terms:
                key = phrase_key(term)
                if key in owner and owner[key] != name:
                    raise ValueError(
                        f"{where}: concepts.{cid}: the term {term!r} counts for both {owner[key]!r} and {name!r}; "
                        "a term must belong to one variant"
                    )
                owner[key] = name


def _to_table(concepts: dict) -> pd.DataFrame:
    rows = [(cid, e["label"] or cid, name, term) for cid, e in concepts.items()
            for name, terms in e["variants"].items() for term in terms]
    return pd.DataFrame(rows, columns=LEXICON_COLUMNS)


def _from_table(table: pd.DataFrame) -> dict:
    require_columns(table, ["concept", "variant", "term"], _WHAT)
    data: dict = {}
    labels = table["label"] if "label" in table.columns else table["concept"]
    for cid, label, variant, term in zip(table["concept"], labels, table["variant"], table["term"]):
        entry = data.setdefault(cid, {"label": label, "variants": {}})
        entry["variants"].setdefault(variant, []).append(term)
    return {"concepts": data}


def load_naming_lexicon(source=None, extend: bool | str = False) -> pd.DataFrame:
    """The naming lexicon as a table ``concept, label, variant, term``.

    ``source``: the name of a shipped lexicon (``"russia_ukraine"``), a YAML path, a dict, or a
    table of the same columns; None raises, naming the choices. ``extend="russia_ukraine"``
    adds ``source`` to that shipped lexicon: new concepts are added; for a shipped concept, new
    variants are added, terms of an existing variant appended, and a given ``label`` replaces
    the shipped one. Errors name the entry.

    >>> lex = load_naming_lexicon({"concepts": {"kyiv": {"variants": {"Kyiv": ["Kyjiw"]}}}}, extend="russia_ukraine")
    >>> lex.loc[lex["concept"].eq("kyiv"), "term"].tolist()
    ['Kyiv', 'Kyyiv', 'Kyjiw', 'Kiev']
    >>> load_naming_lexicon({"concepts": {"kyiv": {"variants": {"Kyiv": "Kyiv", "Kiev": ["Kiev"]}}}})
    Traceback (most recent call last):
    ...
    ValueError: naming lexicon <dict>: concepts.kyiv.variants.Kyiv: must be a list of terms, got a string: write ['Kyiv']
    """
    if isinstance(source, pd.DataFrame):
        source = _from_table(source)
    if source is None:
        raise ValueError(_NO_LEXICON)
    if is_lexicon_name(source):
        return _to_table(_shipped(source)).copy()
    concepts = _parse(source)
    where = load_lexicon_source(source, _WHAT)[0]
    if extend is True:
        raise ValueError(f"extend=True: name the shipped lexicon to extend, e.g. extend='russia_ukraine' "
                         f"(shipped: {shipped_lexicons('naming')})")
    if extend:
        merged = {cid: {"label": e["label"], "variants": {k: list(v) for k, v in e["variants"].items()}}
                  for cid, e in _shipped(extend).items()}
        for cid, entry in concepts.items():
            if cid not in merged:
                merged[cid] = entry
                continue
            merged[cid]["label"] = entry["label"] or merged[cid]["label"]
            for name, terms in entry["variants"].items():
                existing = merged[cid]["variants"].setdefault(name, [])
                existing.extend(t for t in terms if t not in existing)
        concepts = merged
    _check_concepts(where, concepts)
    return _to_table(concepts)


@lru_cache(maxsize=4)
def _shipped_cached(name: str) -> tuple:
    path = shipped_lexicon("naming", name)
    concepts = _parse(path)
    _check_concepts(f"{_WHAT} {path.name}", concepts)
    return tuple(concepts.items())


def _shipped(name: str) -> dict:
    return {cid: {"label": e["label"], "variants": {k: list(v) for k, v in e["variants"].items()}}
            for cid, e in _shipped_cached(name)}


def _lexicon(lexicon) -> pd.DataFrame:
    if lexicon is None:
        raise ValueError(_NO_LEXICON)
    if isinstance(lexicon, pd.DataFrame):
        return load_naming_lexicon(_from_table(lexicon))
    return load_naming_lexicon(lexicon)


def naming_matches(articles: pd.DataFrame, lexicon=None) -> pd.DataFrame:
    """Every naming-variant match: ``doc_id, concept, variant, start, end, surface``.

    Within a concept overlapping matches are resolved leftmost-longest ("the Ukraine" is not
    also a "Ukraine"); across concepts they are kept ("Kiev regime" is both a "Kiev" and a
    "regime"). ``start``/``end`` index the article text.
    """
    require_columns(articles, ["doc_id", "text"], "articles")
    lex = _lexicon(lexicon)
    compiled = [(c, v, [compile_phrases(list(g["term"]))])
                for (c, v), g in lex.groupby(["concept", "variant"], sort=False)]
    rows = []
    for doc_id, text in zip(articles["doc_id"], articles["text"].fillna("")):
        low = normalise_apostrophes(text)
        by_concept: dict[str, list] = {}
        for concept, variant, patterns in compiled:
            for rx in patterns:
                by_concept.setdefault(concept, []).extend(
                    (m.start(), m.end(), variant) for m in rx.finditer(low) if m.end() > m.start())
        for concept, found in by_concept.items():
            end_of_last = -1
            for start, end, variant in sorted(found, key=lambda f: (f[0], -(f[1] - f[0]))):
                if start >= end_of_last:
                    rows.append((doc_id, concept, variant, start, end, text[start:end]))
                    end_of_last = end
    table = pd.DataFrame(rows, columns=MATCH_COLUMNS).astype({"start": "int64", "end": "int64"})
    return table.sort_values(["doc_id", "start", "concept"], kind="stable").reset_index(drop=True)


def naming_variants(articles: pd.DataFrame, lexicon=None, by: str = "outlet", voice: str = "all") -> pd.DataFrame:
    """Counts and shares of each naming variant per group, zero-filled.

    Columns: ``by, concept, label, variant, mentions, concept_mentions, share, share_low,
    share_high, articles, group_articles``. ``share = mentions / concept_mentions`` (the
    group's mentions of any variant of the concept; NaN when none) with a 95% Wilson interval.
    Mentions in one article are not independent (an author who writes "Kiev" once writes it
    again), so read the interval as a lower bound on the uncertainty and look at ``articles``
    (the group's articles using the variant) out of ``group_articles``. ``voice``: count in the
    outlet's own words (``"narration"``), in the words it quotes or reports (``"quoted"``), or in
    all (default); see :mod:`diplomacy_lab.statements.narration`.
    """
    require_columns(articles, ["doc_id", "text", by], "articles")
    articles = select_voice(articles, voice)
    if by in ("concept", "label", "variant", "mentions", "articles"):
        raise ValueError(f"by={by!r} clashes with an output column; rename that column first")
    if articles["doc_id"].duplicated().any():
        raise ValueError("articles has duplicate doc_id values; give each article its own doc_id")
    lex = _lexicon(lexicon)
    matches = naming_matches(articles, lex)
    groups = articles[by].astype(object).where(articles[by].notna(), "unknown")
    group_of = dict(zip(articles["doc_id"], groups))
    matches["group"] = matches["doc_id"].map(group_of)

    variants = lex.drop_duplicates(["concept", "variant"])[["concept", "label", "variant"]]
    order = category_order(groups)
    full = pd.MultiIndex.from_tuples(
        [(g, c, v) for g in order for c, v in zip(variants["concept"], variants["variant"])],
        names=["group", "concept", "variant"])
    mentions = matches.groupby(["group", "concept", "variant"]).size().reindex(full, fill_value=0)
    using = matches.groupby(["group", "concept", "variant"])["doc_id"].nunique().reindex(full, fill_value=0)
    table = pd.DataFrame({"mentions": mentions, "articles": using}).reset_index()
    table["concept_mentions"] = table.groupby(["group", "concept"])["mentions"].transform("sum")
    table = table.merge(variants, on=["concept", "variant"], how="left")
    bounds = [wilson_interval(k, n) for k, n in zip(table["mentions"], table["concept_mentions"])]
    table["share"] = np.where(table["concept_mentions"] > 0,
                              (table["mentions"] / table["concept_mentions"].where(table["concept_mentions"] > 0)).round(4),
                              np.nan)
    table["share_low"] = [b[0] for b in bounds]
    table["share_high"] = [b[1] for b in bounds]
    table["group_articles"] = table["group"].map(groups.value_counts()).astype("int64")
    table = table.rename(columns={"group": by})
    columns = [by, "concept", "label", "variant", "mentions", "concept_mentions", "share",
               "share_low", "share_high", "articles", "group_articles"]
    return table[columns].astype({"mentions": "int64", "concept_mentions": "int64", "articles": "int64"})


# --- the chart -------------------------------------------------------------------------------------


def _finding(table: pd.DataFrame, by: str) -> str:
    """The variant one group uses most clearly more than the rest, in words.

    Ranked by the group's lower Wilson bound minus the rest's pooled share, so that six of
    six mentions outrank one of one.
    """
    best = None
    for _, rows in table.groupby(["concept", "variant"], sort=False):
        rows = rows[rows["concept_mentions"] > 0]
        if rows[by].nunique() < 2:
            continue
        top = rows.sort_values(["share_low", "mentions"], ascending=False, kind="stable").iloc[0]
        rest = rows[rows[by] != top[by]]
        k, n = int(rest["mentions"].sum()), int(rest["concept_mentions"].sum())
        gap = top["share_low"] - k / n
        if best is None or gap > best[0] + 1e-12:
            best = (gap, top, k, n)
    if best is None or best[0] <= 0:
        return "Too few mentions to tell the groups' naming apart"
    _, top, k, n = best
    text = (f"{top[by]} writes “{top['variant']}” in {top['mentions']} of {top['concept_mentions']} mentions "
            f"of {top['label']}; the other {by.replace('_', ' ')}s in {k} of {n}")
    return text[:1].upper() + text[1:]


def plot_naming_variants(
    table: pd.DataFrame,
    by: str = "outlet",
    concepts: list[str] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source_note: str | None = None,
    order: list | None = None,
) -> Figure:
    """One panel per concept: each group's mentions split by variant (100% bars), with N.

    Groups run top to bottom in ``order`` if given, else in ``category_order``.

    ``concepts`` picks and orders the panels (default: the concepts named in more than one
    way, else every concept mentioned, in lexicon order, at most eight). Groups without a mention of the concept say so.
    Default title: the variant whose share differs most between one group and the rest.

    >>> arts = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["RT", "BBC"], "text": ["Kiev.", "Kyiv."]})
    >>> fig = plot_naming_variants(naming_variants(arts, "russia_ukraine"))
    >>> " ".join(fig.texts[0].get_text().split())
    "BBC writes “Kyiv” in 1 of 1 mentions of Ukraine's capital; the other outlets in 0 of 1"
    """
    require_columns(table, [by, "concept", "label", "variant", "mentions", "concept_mentions"], "naming table")
    if concepts is None:  # concepts named in more than one way; else every concept mentioned
        used = table[table["mentions"] > 0].groupby("concept", sort=False)["variant"].nunique()
        concepts = list(used[used > 1].index)[:8] or list(used.index)[:8]
    unknown = [c for c in concepts if c not in set(table["concept"])]
    if unknown:
        raise ValueError(f"concept(s) {unknown} are not in the table; it has {list(dict.fromkeys(table['concept']))}")
    if not concepts:
        raise ValueError("no concept has a mention in this table: nothing to plot")
    groups = category_order(table[by])
    if order is not None:
        missing = [g for g in groups if g not in order]
        if missing:
            raise ValueError(f"order leaves out {missing}; list every group: {groups}")
        groups = [g for g in order if g in groups]
    shown = table[table["concept"].isin(concepts)]
    heights = [len(groups) for _ in concepts]
    with house_style():
        fig, first = new_figure(7.5, 1.0 + sum(0.24 * h + 0.55 for h in heights))
        first.remove()
        axes = fig.subplots(len(concepts), 1, sharex=True, gridspec_kw={"height_ratios": heights, "hspace": 0.55}, squeeze=False)[:, 0]
        for ax, concept in zip(axes, concepts):
            _panel(ax, shown[shown["concept"] == concept], by, groups)
        axes[-1].set_xlabel("Share of the group's mentions of the concept")
        axes[-1].xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
        annotate_figure(
            fig,
            title if title is not None else _finding(shown, by),
            subtitle if subtitle is not None else
            f"Naming variants per {by.replace('_', ' ')}, case-insensitive whole-word matches; n = mentions",
            source_note,
        )
    return fig


def _panel(ax, rows: pd.DataFrame, by: str, groups: list) -> None:
    variants = list(dict.fromkeys(rows["variant"]))
    y = np.arange(len(groups))[::-1]
    left = np.zeros(len(groups))
    for i, variant in enumerate(variants):  # colours by lexicon order; the legend lists used variants
        part = rows[rows["variant"] == variant].set_index(by).reindex(groups)
        if part["mentions"].sum() == 0:
            continue
        share = part["share"].fillna(0).to_numpy()
        ax.barh(y, share, left=left, height=0.7, color=CATEGORY_COLORS[i % len(CATEGORY_COLORS)],
                label=variant, edgecolor="white", linewidth=0.6)
        left += share
    totals = rows.groupby(by)["concept_mentions"].first().reindex(groups).fillna(0).astype(int)
    for yi, n in zip(y, totals):
        ax.text(1.01, yi, f"n = {n}" if n else "no mention", va="center", ha="left", fontsize=7.5,
                color="#444444" if n else "#999999", transform=ax.get_yaxis_transform())
    ax.set_yticks(y, [str(g) for g in groups])
    ax.set_xlim(0, 1)
    label = rows["label"].iloc[0]
    ax.set_title(label[:1].upper() + label[1:], loc="left", fontsize=9.5, fontweight="bold")
    ax.grid(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.17, 1.0), fontsize=7, frameon=False, alignment="left")
