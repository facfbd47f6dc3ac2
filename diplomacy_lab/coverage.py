"""Who covers what and whose voice is heard: what each outlet carries that others omit, stories
carried by several outlets, and who is reported speaking.

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

How much attention each outlet gives each item (matrices, attention over time) is in
:mod:`diplomacy_lab.attention`; its functions are importable from here too.
"""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache
from itertools import combinations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from diplomacy_lab.attention import (
    KINDS,
    add_share,
    attention_over_time,
    codebook_labels,
    coverage_matrix,
    item_names,
    plot_attention_over_time,
    plot_coverage_heatmap,
)
from diplomacy_lab.attribution import (
    DETERMINERS,
    is_object,
    is_possessive,
    quote_spans,
    words_before,
)
from diplomacy_lab.checks import require_columns
from diplomacy_lab.duplicates import corpus_duplicates
from diplomacy_lab.stance_cues import load_cues
from diplomacy_lab.style import (
    OKABE_ITO,
    annotate_figure,
    category_order,
    color_for,
    house_style,
    new_figure,
)

__all__ = [
    "COVERAGE",
    "KINDS",
    "SPEECH_VERBS",
    "attention_over_time",
    "codebook_labels",
    "coverage_matrix",
    "cross_outlet_duplicates",
    "plot_attention_over_time",
    "plot_coverage_heatmap",
    "plot_shared_coverage",
    "plot_voice_share",
    "reported_speech",
    "shared_coverage",
    "voice_share",
]

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


# --- whose voice: reported speech ------------------------------------------------------------

#: Speech verbs added to the cue lexicon's ``reporting_verbs`` (those also decide stance holders).
SPEECH_VERBS = (
    "hint(s|ed|ing)?", "outlin(e|es|ed|ing)", "explain(s|ed|ing)?", "accus(e|es|ed|ing)", "urg(e|es|ed|ing)",
    "reiterat(e|es|ed|ing)", "acknowledg(e|es|ed|ing)", "admit(s|ted|ting)?", "den(y|ies|ied|ying)",
    "repl(y|ies|ied|ying)", "ask(s|ed|ing)?", "call(s|ed|ing)? (on|for)", "tweet(s|ed|ing)?", "wrote",
    "express(es|ed|ing)?", "describ(e|es|ed|ing)", "promis(e|es|ed|ing)", "vow(s|ed|ing)?", "tell(s|ing)?",
    "threaten(s|ed|ing)?", "commented", "remarked", "spok(e|en)", "speak(s|ing)?",
)
SPEECH_COLUMNS = ["doc_id", "sent_id", "actor", "surface", "via", "verb", "quoted", "text"]
_GAP = re.compile(r"^\s*(?:\w+\s+){0,3}$")  # at most three words, no punctuation, between speaker and verb


@lru_cache(maxsize=8)
def _speech_regex(lexicon) -> re.Pattern:
    extra = "|".join(rf"(?:{v})(?!\w)" for v in SPEECH_VERBS)
    # the outer look-behind makes the engine try the alternatives at word starts only
    return re.compile(rf"(?<!\w)(?:{lexicon.reporting.pattern}|{extra})", re.IGNORECASE)


def reported_speech(sentences: pd.DataFrame, mentions: pd.DataFrame, lexicon=None) -> pd.DataFrame:
    """Who is reported speaking: one row per sentence and actor named as the speaker of a speech verb.

    A speaker is the actor mention at most three words before a speech verb ("Yury Ushakov
    has said", "She stressed that") or right after it after a closing quote or "according
    to" ('...," said Peskov'). Speech verbs are the cue lexicon's ``reporting_verbs`` plus
    :data:`SPEECH_VERBS`; verbs inside quotes or after a determiner ("this warning") do not
    count, nor actors that are objects, possessives ("Putin's aide") or inside a target
    phrase. Pronouns count as resolved by ``find_mentions`` (they can be wrong).
    ``quoted`` says whether the sentence holds a quotation. Columns: :data:`SPEECH_COLUMNS`.

    >>> from diplomacy_lab.sentences import sentences as split
    >>> arts = pd.DataFrame({"doc_id": ["a"], "text": ["Peskov said talks were “possible”. Trump met Putin."]})
    >>> sents = split(arts)
    >>> m = pd.DataFrame({"doc_id": ["a"] * 3, "sent_id": [0, 1, 1], "kind": ["actor"] * 3,
    ...     "id": ["peskov", "trump", "putin"], "start": [0, 35, 45], "end": [6, 40, 50],
    ...     "surface": ["Peskov", "Trump", "Putin"], "via": ["alias"] * 3, "in_target": [False] * 3})
    >>> reported_speech(sents, m)[["sent_id", "actor", "verb", "quoted"]]
       sent_id   actor verb  quoted
    0        0  peskov said    True
    """
    require_columns(sentences, ["doc_id", "sent_id", "start", "text"], "sentences")
    require_columns(mentions, ["doc_id", "sent_id", "kind", "id", "start", "end", "surface", "via"], "mentions")
    verbs = _speech_regex(lexicon or load_cues())
    starts = dict(zip(zip(sentences["doc_id"], sentences["sent_id"]), zip(sentences["start"], sentences["text"])))
    actors = mentions[mentions["kind"] == "actor"]
    if "in_target" in actors:
        actors = actors[~actors["in_target"].fillna(False).astype(bool)]
    by_sentence: dict[tuple, list] = {}
    for d, sid, s, e, i, surf, via in zip(actors["doc_id"], actors["sent_id"], actors["start"], actors["end"],
                                          actors["id"], actors["surface"], actors["via"]):
        by_sentence.setdefault((d, sid), []).append((int(s), int(e), i, surf, via))
    rows = []
    for key, found in by_sentence.items():
        if key not in starts:
            raise ValueError(f"mentions refer to sentence {key} that is not in sentences; pass the sentences "
                             "the mentions were found in")
        base, text = starts[key]
        cands = sorted((s - base, e - base, i, surf, via) for s, e, i, surf, via in found)
        cands = [c for c in cands if not is_possessive(text, c[1])]
        quotes = quote_spans(text)
        seen = set()
        for v in verbs.finditer(text):
            if any(q.start <= v.start() < q.end for q in quotes) or set(words_before(text, v.start())) & DETERMINERS:
                continue  # quoted words, or a noun ("his comments", "this warning")
            speaker = None
            inverted = re.search(r"[”\"’],?\s*$", text[: v.start()]) or v.group().lower().startswith("accord")
            after = [c for c in cands if c[0] >= v.end() and not text[v.end() : c[0]].strip(" ,")]
            if inverted and after:
                speaker = after[0]
            elif not v.group().lower().startswith("accord"):
                before = [c for c in cands if c[1] <= v.start()]
                if before and _GAP.match(text[before[-1][1] : v.start()]) and not is_object(text, before[-1][0]):
                    speaker = before[-1]
            if speaker and speaker[2] not in seen:
                seen.add(speaker[2])
                rows.append((key[0], key[1], speaker[2], speaker[3], speaker[4], v.group(), bool(quotes), text))
    out = pd.DataFrame(rows, columns=SPEECH_COLUMNS)
    return out.sort_values(["doc_id", "sent_id"], kind="stable").reset_index(drop=True)


def voice_share(
    speech: pd.DataFrame,
    articles: pd.DataFrame,
    by: str = "outlet",
    voice="actor",
    codebook=None,
) -> pd.DataFrame:
    """Per outlet: the share of its reported speech given to each voice, with counts and Wilson bounds.

    ``speech`` is :func:`reported_speech` output, or any table with ``doc_id`` and ``actor``
    (e.g. statements with ``holder == "speaker"``); a unit is one sentence and actor
    (``sent_id`` when present). ``voice`` groups actors: ``"actor"``, ``"country"`` or
    ``"kind"`` (these two from ``codebook``), or a dict actor -> group (others become
    "other"). Columns: ``by, voice`` (+ ``label`` for actors with a codebook), ``speech``
    (units of this voice), ``speech_total`` (all the outlet's units), ``speech_share``,
    ``speech_low``, ``speech_high``, ``articles_with_voice``, ``articles``.
    """
    require_columns(speech, ["doc_id", "actor"], "speech")
    require_columns(articles, ["doc_id", by], "articles")
    if by in {"voice", "label", "articles"} or by.startswith("speech"):
        raise ValueError(f"by={by!r} clashes with an output column; rename that column of articles first")
    units = speech.drop_duplicates([c for c in ("doc_id", "sent_id", "actor") if c in speech])
    frame = articles[["doc_id", by]].copy()
    frame[by] = frame[by].astype(object).where(frame[by].notna(), "unknown")
    unknown = sorted(set(units["doc_id"]) - set(frame["doc_id"]))
    if unknown:
        raise ValueError(f"speech has {len(unknown)} doc_id(s) not in articles (e.g. {unknown[0]!r}); "
                         "pass the articles the speech was found in")
    if isinstance(voice, dict):
        groups = units["actor"].map(lambda a: voice.get(a, "other"))
    elif voice == "actor":
        groups = units["actor"]
    elif voice in ("country", "kind"):
        if codebook is None:
            raise ValueError(f"voice={voice!r} needs the codebook (codebook=...) to look up each actor's {voice}")
        lookup = {a.id: getattr(a, voice) for a in codebook.actors.values()}
        missing = sorted(set(units["actor"]) - set(lookup))
        if missing:
            raise ValueError(f"actors {missing[:5]} are not in the codebook; use the codebook the speech was found with")
        groups = units["actor"].map(lookup)
    else:
        raise ValueError(f"voice must be 'actor', 'country', 'kind' or a dict actor -> group, got {voice!r}")
    units = units.assign(voice=groups.to_numpy()).merge(frame, on="doc_id")
    outlets, voices = category_order(frame[by]), sorted(units["voice"].unique(), key=str)
    index = pd.MultiIndex.from_product([outlets, voices], names=[by, "voice"])
    out = index.to_frame(index=False)
    out["speech"] = units.groupby([by, "voice"]).size().reindex(index, fill_value=0).to_numpy(dtype="int64")
    out["speech_total"] = out[by].map(units.groupby(by).size()).fillna(0).astype("int64")
    add_share(out, "speech", "speech", "speech_total")
    docs = units.drop_duplicates(["doc_id", "voice"]).groupby([by, "voice"]).size()
    out["articles_with_voice"] = docs.reindex(index, fill_value=0).to_numpy(dtype="int64")
    out["articles"] = out[by].map(frame.groupby(by).size()).astype("int64")
    if voice == "actor" and codebook is not None:
        out.insert(2, "label", out["voice"].map(lambda a: codebook.actors[a].name if a in codebook.actors else a))
    return out


def plot_voice_share(
    table: pd.DataFrame,
    voice=None,
    by: str = "outlet",
    top: int = 6,
    title: str | None = None,
    subtitle: str | None = None,
    source_note: str | None = None,
) -> Figure:
    """Bars of a :func:`voice_share` table. With ``voice`` (e.g. "Russia"): that voice's share
    of each outlet's reported speech, Wilson interval as a whisker, "k of n" beside it.
    Without: each outlet's reported speech split among the ``top`` voices and "other".
    """
    require_columns(table, [by, "voice", "speech", "speech_total", "speech_share", "speech_low", "speech_high"], "table")
    outlets = category_order(table[by])
    names = dict(zip(table["voice"], table["label"] if "label" in table else table["voice"].astype(str)))
    what = f"{by.replace('_', ' ')}'s reported speech"
    with house_style():
        fig, ax = new_figure(width=7.0, height=max(3.0, 1.7 + 0.42 * len(outlets)))
        y = np.arange(len(outlets))
        if voice is not None:
            if voice not in set(table["voice"]):
                raise ValueError(f"voice {voice!r} is not in the table; voices: {sorted(map(str, set(table['voice'])))}")
            rows = table[table["voice"] == voice].set_index(by).reindex(outlets)
            share = rows["speech_share"].fillna(0).to_numpy(dtype=float)
            ax.barh(y, share, color=OKABE_ITO["blue"], height=0.6)
            err = np.vstack([share - rows["speech_low"].fillna(0), rows["speech_high"].fillna(0) - share])
            ax.errorbar(share, y, xerr=np.clip(err, 0, None), fmt="none", ecolor="#333333", elinewidth=0.9, capsize=3)
            for yi, (k, n, hi) in enumerate(zip(rows["speech"], rows["speech_total"], rows["speech_high"].fillna(0))):
                ax.text(max(hi, 0) + 0.015, yi, f"{int(k)} of {int(n)}", va="center", fontsize=8, color="#333333")
            best = rows[rows["speech"] > 0].sort_values(["speech", "speech_share"], ascending=False, kind="stable")
            default = (f"{best.index[0]} reports {names[voice]} speaking most: {int(best['speech'].iloc[0])} of its "
                       f"{int(best['speech_total'].iloc[0])} speaker-sentences") if len(best) else \
                f"No outlet reports {names[voice]} speaking"
            sub = f"Share of each {what} (speaker and sentence) given to {names[voice]}; whiskers: 95% Wilson interval"
        else:
            totals = table.groupby("voice")["speech"].sum().sort_values(ascending=False, kind="stable")
            keep = [v for v in totals.index[:top] if totals[v] > 0]
            wide = table.assign(voice=table["voice"].where(table["voice"].isin(keep), "other")) \
                .pivot_table(index=by, columns="voice", values="speech", aggfunc="sum", fill_value=0) \
                .reindex(index=outlets, fill_value=0)
            order = keep + (["other"] if "other" in wide and wide["other"].sum() else [])
            n = wide.sum(axis=1).to_numpy(dtype=float)
            left = np.zeros(len(outlets))
            for v in order:
                frac = np.divide(wide[v].to_numpy(dtype=float), n, out=np.zeros(len(n)), where=n > 0)
                colour = "#BBBBBB" if v == "other" else color_for(v, keep)
                ax.barh(y, frac, left=left, color=colour, height=0.6, label=names.get(v, str(v)),
                        edgecolor="white", linewidth=0.6)
                for yi, (f, k, l0) in enumerate(zip(frac, wide[v], left)):
                    if f >= 0.06:
                        ax.text(l0 + f / 2, yi, f"{int(k)}", ha="center", va="center", fontsize=7.5,
                                color="white" if v != "other" else "#222222")
                left += frac
            for yi, total in enumerate(n):
                ax.text(1.01, yi, f"n = {int(total)}", va="center", fontsize=8, color="#333333")
            ax.legend(loc="upper left", bbox_to_anchor=(1.12, 1.0), title="Speaker")
            lead = names.get(totals.index[0], totals.index[0]) if len(totals) else "nobody"
            default = f"{lead} is the voice reported most ({int(totals.iloc[0]) if len(totals) else 0} of {int(n.sum())})"
            sub = f"Each {what}, by speaker (number in bar: sentences); n = the outlet's speaker-sentences"
        ax.set_yticks(y, [textwrap.fill(str(o), 22) for o in outlets], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.0)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
        ax.grid(axis="y", visible=False)
        annotate_figure(fig, title or default, subtitle or sub, source_note)
    return fig
