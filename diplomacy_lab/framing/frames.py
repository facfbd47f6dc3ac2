"""Frames: which policy frames (security, diplomacy, economy, ...) sentences evoke, per article and per outlet.

A **frame dictionary** maps frame ids to a label, the Policy Frames Codebook frame it stands
for (Boydstun et al. 2014) and terms (plain phrases or ``re:`` regexes, see
:func:`diplomacy_lab.text.phrases.compile_phrase`). Two are shipped (``resources/lexicons/frames/``,
whose headers document the choices): ``"general"``, the default, with general terms for each
codebook frame, and ``"russia_ukraine"``, written for news on that war. Pass a name, your own
YAML path or dict, or extend a shipped one::

    frames:
      humanitarian:
        label: Humanitarian
        pfc: "9 Health and safety"
        terms: [civilians, "re:refugees?"]

A sentence **evokes** a frame when one of its terms occurs in it; an article's share of a
frame is the share of its sentences that evoke it.

>>> import pandas as pd
>>> arts = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"],
...     "text": ["Troops massed at the border. Talks resumed in Geneva. Prices rose."]})
>>> sentence_frames(sentences(arts))[["sent_id", "frame", "terms"]]
   sent_id                frame   terms
0        0     security_defence  troops
1        1  external_reputation   talks
2        2             economic  prices
>>> sentence_frames(sentences(arts), "russia_ukraine")[["sent_id", "frame", "terms"]]
   sent_id             frame    terms
0        0  security_defence   troops
1        0       sovereignty   border
2        1         diplomacy    talks
3        2          economic   prices
>>> frame_shares(arts).query("frame == 'economic'")[["frame_sentences", "sentences", "share"]]
   frame_sentences  sentences   share
0                1          3  0.3333
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from diplomacy_lab.charts.heatmap import clear_gap, plot_share_heatmap
from diplomacy_lab.charts.style import category_order
from diplomacy_lab.checks import require_columns
from diplomacy_lab.statements.narration import select_voice
from diplomacy_lab.text.lexicons import (
    check_id,
    check_keys,
    check_phrases,
    is_lexicon_name,
    load_lexicon_source,
    shipped_lexicon,
)
from diplomacy_lab.text.phrases import compile_phrases, normalise_apostrophes
from diplomacy_lab.text.sentences import sentences
from diplomacy_lab.uncertainty import wilson_interval

__all__ = [
    "DEFAULT_FRAMES",
    "FRAME_COLUMNS",
    "article_bootstrap",
    "article_frames",
    "frame_shares",
    "load_frames",
    "plot_frame_shares",
    "sentence_frames",
]

#: The frame dictionary used when none is given: the Policy Frames Codebook with general terms.
DEFAULT_FRAMES = "general"
FRAME_COLUMNS = ["frame", "label", "pfc", "description", "term"]
_WHAT = "frame dictionary"
_SEP = "\n\x00\n"  # joins sentences: no term can match across it
#: White to Okabe–Ito blue: a sequential scale readable with the common colour-vision deficiencies.


def _parse(source) -> dict:
    where, data = load_lexicon_source(source, _WHAT)
    check_keys(where, data, ("name", "description", "source", "frames"), ("frames",))
    frames = data["frames"]
    if not isinstance(frames, dict) or not frames:
        raise ValueError(f"{where}: frames must be a non-empty mapping of frame ids to entries")
    out = {}
    for fid, entry in frames.items():
        check_id(f"{where}: frames", fid)
        here = f"{where}: frames.{fid}"
        check_keys(here, entry, ("label", "pfc", "description", "terms"), ("terms",))
        for key in ("label", "pfc", "description"):
            value = entry.get(key)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise ValueError(f"{here}.{key}: must be a non-empty string, got {value!r}")
        out[fid] = {"label": entry.get("label"), "pfc": entry.get("pfc"), "description": entry.get("description"),
                    "terms": check_phrases(f"{here}.terms", entry["terms"])}
    return out


@lru_cache(maxsize=4)
def _shipped_cached(name: str = DEFAULT_FRAMES) -> tuple:
    return tuple(_parse(shipped_lexicon("frames", name)).items())


def _to_table(frames: dict) -> pd.DataFrame:
    rows = [(fid, e["label"] or fid, e["pfc"] or "", e["description"] or "", term)
            for fid, e in frames.items() for term in e["terms"]]
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


def load_frames(source=None, extend: bool | str = False) -> pd.DataFrame:
    """The frame dictionary as a table ``frame, label, pfc, description, term`` (one row per term).

    ``source``: None (the default, domain-neutral ``"general"`` dictionary: the Policy Frames
    Codebook's frames with general terms), the name of a shipped dictionary (``"general"``,
    ``"russia_ukraine"``: written for news on that war), a YAML path, a dict or a table of
    these columns. ``extend=True`` adds ``source`` to the default dictionary
    (``extend="russia_ukraine"``: to that one): new frames are added; for a shipped frame, new
    terms are appended and given fields replace the shipped ones. Errors name the entry.

    >>> f = load_frames({"frames": {"humanitarian": {"terms": ["aid convoy"]}}}, extend=True)
    >>> f.loc[f["frame"].eq("humanitarian"), "term"].iloc[-1]
    'aid convoy'
    >>> load_frames({"frames": {"Health": {"terms": ["aid"]}}})
    Traceback (most recent call last):
    ...
    ValueError: frame dictionary <dict>: frames: the id 'Health' is not valid: use lower-case letters, digits and '_', starting with a letter (e.g. 'health')
    """
    if isinstance(source, pd.DataFrame):
        require_columns(source, ["frame", "term"], _WHAT)
        data: dict = {}
        for row in source.to_dict("records"):
            entry = data.setdefault(row["frame"], {"terms": []})
            for key in ("label", "pfc", "description"):
                if key in row and isinstance(row[key], str) and row[key].strip():
                    entry[key] = row[key]
            entry["terms"].append(row["term"])
        source = {"frames": data}
    if source is None:
        source = DEFAULT_FRAMES
    if is_lexicon_name(source):
        return _to_table(dict(_shipped_cached(source)))
    frames = _parse(source)
    if extend:
        base = DEFAULT_FRAMES if extend is True else extend
        merged = {fid: dict(e, terms=list(e["terms"])) for fid, e in _shipped_cached(base)}
        for fid, entry in frames.items():
            if fid not in merged:
                merged[fid] = entry
                continue
            for key in ("label", "pfc", "description"):
                merged[fid][key] = entry[key] or merged[fid][key]
            merged[fid]["terms"] += [t for t in entry["terms"] if t not in merged[fid]["terms"]]
        frames = merged
    return _to_table(frames)


def _frames(frames) -> pd.DataFrame:
    if isinstance(frames, pd.DataFrame) and list(frames.columns[:5]) == FRAME_COLUMNS:
        return frames
    return load_frames(frames)


@lru_cache(maxsize=8)
def _compiled(key: tuple) -> list[tuple[str, re.Pattern]]:
    """One alternation per frame; the terms' own boundaries are kept."""
    return [(frame, compile_phrases(terms)) for frame, terms in key]


def sentence_frames(sents: pd.DataFrame, frames=None) -> pd.DataFrame:
    """The frames each sentence evokes: ``doc_id, sent_id, frame, hits, terms``.

    One row per sentence and frame evoked (sentences evoking none have no row). ``hits`` counts
    the frame's term matches in the sentence; ``terms`` lists them, lower-cased, in text order,
    joined by ``"; "``. ``sents`` is the table of :func:`diplomacy_lab.text.sentences`.
    """
    require_columns(sents, ["doc_id", "sent_id", "text"], "sentences")
    table = _frames(frames)
    key = tuple((f, tuple(g["term"])) for f, g in table.groupby("frame", sort=False))
    texts = sents["text"].fillna("").astype(str).tolist()
    joined = normalise_apostrophes(_SEP.join(texts))
    starts = np.cumsum([0] + [len(t) + len(_SEP) for t in texts[:-1]]) if texts else np.array([], dtype=int)
    rows = []
    for frame, rx in _compiled(key):
        found: dict[int, list[str]] = {}
        for m in rx.finditer(joined):
            if m.end() > m.start():
                found.setdefault(int(np.searchsorted(starts, m.start(), side="right") - 1), []).append(
                    " ".join(m.group().lower().split()))
        for i, terms in found.items():
            rows.append((i, frame, len(terms), "; ".join(terms)))
    out = pd.DataFrame(rows, columns=["_row", "frame", "hits", "terms"])
    frame_rank = {f: i for i, (f, _) in enumerate(key)}
    out = out.assign(_rank=out["frame"].map(frame_rank)).sort_values(["_row", "_rank"], kind="stable")
    out.insert(0, "doc_id", sents["doc_id"].to_numpy()[out["_row"].to_numpy()] if len(out) else [])
    out.insert(1, "sent_id", sents["sent_id"].to_numpy()[out["_row"].to_numpy()] if len(out) else [])
    return out.drop(columns=["_row", "_rank"]).reset_index(drop=True).astype({"hits": "int64"})


def article_frames(articles: pd.DataFrame, frames=None, sents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per article and frame: ``doc_id, frame, label, frame_sentences, sentences, share`` (zero-filled).

    ``sents``: the articles' sentence table, when already split (else it is computed).
    """
    require_columns(articles, ["doc_id", "text"], "articles")
    table = _frames(frames)
    sents = sentences(articles) if sents is None else sents
    evoked = sentence_frames(sents, table)
    labels = table.drop_duplicates("frame").set_index("frame")["label"]
    ids = list(dict.fromkeys(articles["doc_id"]))
    full = pd.MultiIndex.from_product([ids, list(labels.index)], names=["doc_id", "frame"])
    counts = evoked.groupby(["doc_id", "frame"]).size().reindex(full, fill_value=0)
    out = counts.rename("frame_sentences").reset_index()
    out["label"] = out["frame"].map(labels)
    out["sentences"] = out["doc_id"].map(sents.groupby("doc_id").size()).fillna(0).astype("int64")
    out["share"] = (out["frame_sentences"] / out["sentences"].where(out["sentences"] > 0)).round(4)
    return out[["doc_id", "frame", "label", "frame_sentences", "sentences", "share"]]


def article_bootstrap(
    k, n, n_boot: int = 2000, seed: int = 0, confidence: float = 0.95
) -> tuple[float, float]:
    """Percentile interval of the pooled ratio ``sum(k) / sum(n)`` when whole articles are resampled.

    ``k`` and ``n`` hold one value per article (e.g. framed sentences and sentences). Resampling
    articles, not sentences, keeps the sentences of one article together: the interval reflects
    how much articles differ. Rounded to 4 places; (nan, nan) with fewer than two articles.

    >>> article_bootstrap([1, 1, 1], [2, 2, 2])
    (0.5, 0.5)
    >>> article_bootstrap([0, 2], [2, 2], n_boot=4000)
    (0.0, 1.0)
    """
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    if len(k) != len(n):
        raise ValueError(f"k and n must have one value per article each, got {len(k)} and {len(n)}")
    if len(k) < 2 or n.sum() == 0:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(k), size=(n_boot, len(k)))
    totals = n[draws].sum(axis=1)
    ratios = k[draws].sum(axis=1)[totals > 0] / totals[totals > 0]
    low, high = np.quantile(ratios, [(1 - confidence) / 2, (1 + confidence) / 2])
    return round(float(low), 4), round(float(high), 4)


def frame_shares(
    articles: pd.DataFrame,
    frames=None,
    by: str = "outlet",
    sents: pd.DataFrame | None = None,
    interval: str = "wilson",
    n_boot: int = 2000,
    seed: int = 0,
    voice: str = "all",
) -> pd.DataFrame:
    """Per group and frame: the share of the group's sentences that evoke the frame, with counts.

    Columns: ``by, frame, label, frame_sentences, sentences, share, share_low, share_high,
    articles, group_articles`` — ``articles`` is the number of the group's articles with at least
    one such sentence. ``interval="wilson"`` (default): a 95% Wilson interval that treats
    sentences as independent — they are not (sentences of one article share its topic), so the
    real uncertainty is wider. ``interval="bootstrap"``: resample the group's articles
    (:func:`article_bootstrap`, ``n_boot`` draws, ``seed`` fixed), which keeps each article's
    sentences together; use it when groups have many articles. ``voice``: ``"narration"`` counts
    only the outlet's own words of each sentence, ``"quoted"`` only what it quotes or reports
    (:mod:`diplomacy_lab.statements.narration`; sentences without a word of that voice leave the
    count), ``"all"`` (default) every sentence whole.
    """
    require_columns(articles, ["doc_id", "text", by], "articles")
    if voice != "all":
        sents = select_voice(sentences(articles) if sents is None else sents, voice, articles=articles)
    if by in ("frame", "label", "sentences", "articles"):
        raise ValueError(f"by={by!r} clashes with an output column; rename that column first")
    if interval not in ("wilson", "bootstrap"):
        raise ValueError(f"interval must be 'wilson' or 'bootstrap', got {interval!r}")
    per_article = article_frames(articles, frames, sents)
    groups = articles[by].astype(object).where(articles[by].notna(), "unknown")
    per_article["group"] = per_article["doc_id"].map(dict(zip(articles["doc_id"], groups)))
    per_article["used"] = per_article["frame_sentences"] > 0
    out = (per_article.groupby(["group", "frame"], sort=False)
           .agg(label=("label", "first"), frame_sentences=("frame_sentences", "sum"),
                sentences=("sentences", "sum"), articles=("used", "sum"))
           .reset_index())
    order = {g: i for i, g in enumerate(category_order(groups))}
    frame_order = {f: i for i, f in enumerate(dict.fromkeys(per_article["frame"]))}
    out = out.sort_values(["group", "frame"], key=lambda s: s.map(order if s.name == "group" else frame_order))
    if interval == "wilson":
        bounds = [wilson_interval(k, n) for k, n in zip(out["frame_sentences"], out["sentences"])]
    else:
        parts = {key: g for key, g in per_article.groupby(["group", "frame"], sort=False)}
        bounds = [article_bootstrap(parts[(g, f)]["frame_sentences"], parts[(g, f)]["sentences"], n_boot, seed)
                  for g, f in zip(out["group"], out["frame"])]
    out["share"] = (out["frame_sentences"] / out["sentences"].where(out["sentences"] > 0)).round(4)
    out["share_low"] = [b[0] for b in bounds]
    out["share_high"] = [b[1] for b in bounds]
    out["group_articles"] = out["group"].map(groups.value_counts()).astype("int64")
    out = out.rename(columns={"group": by}).reset_index(drop=True)
    columns = [by, "frame", "label", "frame_sentences", "sentences", "share", "share_low", "share_high",
               "articles", "group_articles"]
    out = out[columns].astype({"frame_sentences": "int64", "sentences": "int64", "articles": "int64"})
    out.attrs["interval"] = interval
    return out


# --- charts ------------------------------------------------------------------------------------


def plot_frame_shares(
    table: pd.DataFrame,
    by: str = "outlet",
    title: str | None = None,
    subtitle: str | None = None,
    source_note: str | None = None,
    order: list | None = None,
) -> Figure:
    """Heatmap of a ``frame_shares`` table: frames down, groups across (in ``order`` if given),
    share and count per cell.

    Default title: the most common frame overall and, when one exists, the widest gap between
    two groups whose 95% intervals do not overlap (else it says no gap is that clear).

    >>> arts = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": ["Troops massed. Talks resumed."]})
    >>> fig = plot_frame_shares(frame_shares(arts))
    >>> " ".join(fig.texts[0].get_text().split())
    'Security and defence is the most common frame (1 of 2 sentences)'
    """
    require_columns(table, [by, "frame", "label", "frame_sentences", "sentences", "share", "share_low",
                            "share_high"], "frame table")
    labels = dict(zip(table["frame"], table["label"]))
    if title is None:
        pooled = table.groupby("frame", sort=False)[["frame_sentences", "sentences"]].sum()
        top = pooled["frame_sentences"].idxmax()
        title = (f"{labels[top]} is the most common frame ({pooled.at[top, 'frame_sentences']:,} of "
                 f"{pooled.at[top, 'sentences']:,} sentences)")
        if table[by].nunique() > 1:
            gap = clear_gap(table, by, "frame", lambda f: labels[f])
            title += f"; clearest gap — {gap}" if gap else "; no gap between groups is clear of the 95% intervals"
    if subtitle is None:
        how = "bootstrap over articles" if table.attrs.get("interval") == "bootstrap" else "Wilson, over sentences"
        subtitle = (f"Share of each {by.replace('_', ' ')}'s sentences that use a frame's dictionary terms "
                    f"(cell: share, frame sentences / sentences); 95% intervals: {how}")
    return plot_share_heatmap(table, "frame", by, "frame_sentences", "sentences", labels, title, subtitle,
                              source_note, "Share of sentences", order)
