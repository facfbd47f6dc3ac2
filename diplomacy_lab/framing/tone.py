"""Tone: VADER sentiment per sentence, per outlet and per actor mention, with counts and intervals.

VADER (Hutto & Gilbert 2014) scores a sentence from a lexicon of rated words with rules for
negation, intensifiers and "but". ``compound`` runs from -1 (most negative) to +1; the authors'
thresholds call a sentence positive at ``compound >= 0.05`` and negative at ``<= -0.05``. The
scorer is nltk's ``SentimentIntensityAnalyzer`` with the lexicon file shipped by the PyPI
package ``vadersentiment`` — nothing is downloaded.

Read it with care on news: VADER was built for social-media text; news about a war is full
of words rated negative ("war" -2.9, "crisis" -3.1) whatever the outlet thinks, so tone
differences mostly say *what* an outlet writes about, not how it feels about it.

>>> import pandas as pd
>>> arts = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": ["The talks were good. The war is horrible."]})
>>> sentence_tone(arts)[["sent_id", "compound"]]
   sent_id  compound
0        0    0.4404
1        1   -0.8126
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import nltk
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from diplomacy_lab.charts.style import OKABE_ITO, annotate_figure, category_order, house_style, new_figure
from diplomacy_lab.charts.wording import join_words, tied_leaders
from diplomacy_lab.checks import require_columns
from diplomacy_lab.codebook.mentions import find_mentions
from diplomacy_lab.codebook.schema import Codebook, load_codebook
from diplomacy_lab.framing.frames import article_bootstrap
from diplomacy_lab.statements.narration import select_voice
from diplomacy_lab.text.sentences import sentences as split_sentences
from diplomacy_lab.uncertainty import wilson_interval

__all__ = ["NEGATIVE", "POSITIVE", "actor_tone", "group_tone", "plot_tone", "sentence_tone", "vader"]

#: Hutto & Gilbert's thresholds on ``compound``.
POSITIVE, NEGATIVE = 0.05, -0.05
TONE_COLUMNS = ["doc_id", "sent_id", "neg", "neu", "pos", "compound"]
_LEXICON = "vaderSentiment/vader_lexicon.txt"  # relative: nltk.data refuses absolute paths


@lru_cache(maxsize=1)
def vader():
    """nltk's ``SentimentIntensityAnalyzer`` with the lexicon of the ``vadersentiment`` package.

    The package's folder is put on ``nltk.data.path`` only while the lexicon loads.

    >>> round(vader().polarity_scores("good")["compound"], 4)   # 1.9 / sqrt(1.9**2 + 15)
    0.4404
    """
    try:
        import vaderSentiment
    except ImportError as e:  # pragma: no cover - a missing dependency
        raise ImportError(
            "tone needs the VADER lexicon from the PyPI package 'vadersentiment': pip install 'vadersentiment>=3.3.2'"
        ) from e
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    site = str(Path(vaderSentiment.__file__).resolve().parent.parent)
    added = site not in nltk.data.path
    if added:
        nltk.data.path.insert(0, site)
    try:
        return SentimentIntensityAnalyzer(lexicon_file=_LEXICON)
    finally:
        if added:
            nltk.data.path.remove(site)


def sentence_tone(articles: pd.DataFrame | None = None, sents: pd.DataFrame | None = None) -> pd.DataFrame:
    """VADER scores per sentence: ``doc_id, sent_id, neg, neu, pos, compound`` (4 decimals, as VADER rounds).

    Give the articles (split with :func:`diplomacy_lab.text.sentences`) or a sentence table.
    """
    if sents is None:
        if articles is None:
            raise ValueError("give articles or sents")
        require_columns(articles, ["doc_id", "text"], "articles")
        sents = split_sentences(articles)
    require_columns(sents, ["doc_id", "sent_id", "text"], "sentences")
    scorer = vader()
    scores = [scorer.polarity_scores(t) for t in sents["text"].fillna("").astype(str)]
    out = pd.DataFrame({"doc_id": sents["doc_id"].to_numpy(), "sent_id": sents["sent_id"].to_numpy()})
    for key in ("neg", "neu", "pos", "compound"):
        out[key] = [s[key] for s in scores]
    return out


def _summary(compound: pd.Series, docs: pd.Series, confidence: float, interval: str = "t",
             n_boot: int = 2000, seed: int = 0) -> dict:
    """Mean compound and negative/positive shares with intervals: t and Wilson over sentences,
    or a bootstrap over articles (:func:`diplomacy_lab.framing.frames.article_bootstrap`)."""
    n = len(compound)
    mean = float(compound.mean()) if n else math.nan
    neg_hits, pos_hits = compound <= NEGATIVE, compound >= POSITIVE
    neg, pos = int(neg_hits.sum()), int(pos_hits.sum())
    if interval == "bootstrap":
        per_doc = pd.DataFrame({"doc": docs.to_numpy(), "c": compound.to_numpy(), "neg": neg_hits.to_numpy(),
                                "pos": pos_hits.to_numpy()}).groupby("doc", sort=True).agg(
            c=("c", "sum"), neg=("neg", "sum"), pos=("pos", "sum"), n=("c", "size"))
        low, high = article_bootstrap(per_doc["c"], per_doc["n"], n_boot, seed, confidence)
        shares = {name: article_bootstrap(per_doc[name], per_doc["n"], n_boot, seed, confidence)
                  for name in ("neg", "pos")}
        bounds = {"negative": shares["neg"], "positive": shares["pos"]}
    else:
        if n >= 2:
            half = stats.t.ppf(0.5 + confidence / 2, n - 1) * compound.std(ddof=1) / math.sqrt(n)
            low, high = max(mean - half, -1.0), min(mean + half, 1.0)  # compound lives in [-1, 1]
        else:
            low = high = math.nan
        bounds = {"negative": wilson_interval(neg, n, confidence), "positive": wilson_interval(pos, n, confidence)}
    out = {"sentences": n, "articles": int(docs.nunique()), "mean_compound": round(mean, 4),
           "mean_low": round(low, 4), "mean_high": round(high, 4)}
    for name, k in (("negative", neg), ("positive", pos)):
        out.update({name: k, f"{name}_share": round(k / n, 4) if n else math.nan,
                    f"{name}_low": bounds[name][0], f"{name}_high": bounds[name][1]})
    return out


def group_tone(
    articles: pd.DataFrame,
    by: str = "outlet",
    tone: pd.DataFrame | None = None,
    confidence: float = 0.95,
    interval: str = "t",
    n_boot: int = 2000,
    seed: int = 0,
    voice: str = "all",
) -> pd.DataFrame:
    """Tone per group of articles, over their sentences.

    Columns: ``by, sentences, articles, mean_compound, mean_low, mean_high, negative,
    negative_share, negative_low, negative_high, positive, positive_share, positive_low,
    positive_high``. ``interval="t"`` (default): the mean has a Student-t interval (clipped to
    [-1, 1]) and the shares Wilson intervals, all over sentences as if independent — sentences of
    one article are not, so the real uncertainty is wider. ``interval="bootstrap"``: all three
    intervals resample the group's articles (``n_boot`` draws, ``seed`` fixed), keeping each
    article's sentences together; use it when groups have many articles. ``tone``: a
    :func:`sentence_tone` table, when already computed. ``voice``: score only the outlet's own
    words of each sentence (``"narration"``) or only what it quotes or reports (``"quoted"``;
    :mod:`diplomacy_lab.statements.narration`), or all (default).

    >>> arts = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"],
    ...                      "text": ["Good talks. Bad war.", "A horrible, terrible war."]})
    >>> group_tone(arts)[["outlet", "sentences", "mean_compound", "negative", "negative_share"]]
      outlet  sentences  mean_compound  negative  negative_share
    0      X          2        -0.1861         1             0.5
    1      Y          1        -0.8885         1             1.0
    """
    require_columns(articles, ["doc_id", by], "articles")
    if by in ("sentences", "articles"):
        raise ValueError(f"by={by!r} clashes with an output column; rename that column first")
    if voice != "all":
        if tone is not None:
            raise ValueError("tone= holds scores of whole sentences; leave it out with voice=... so that only "
                             "the chosen voice of each sentence is scored")
        require_columns(articles, ["doc_id", "text"], "articles")
        tone = sentence_tone(sents=select_voice(split_sentences(articles), voice, articles=articles))
    tone = sentence_tone(articles) if tone is None else tone
    require_columns(tone, ["doc_id", "compound"], "tone")
    if interval not in ("t", "bootstrap"):
        raise ValueError(f"interval must be 't' or 'bootstrap', got {interval!r}")
    groups = articles[by].astype(object).where(articles[by].notna(), "unknown")
    tone = tone.assign(group=tone["doc_id"].map(dict(zip(articles["doc_id"], groups))))
    rows = []
    for group in category_order(groups):
        part = tone[tone["group"] == group]
        rows.append({by: group, **_summary(part["compound"], part["doc_id"], confidence, interval, n_boot, seed)})
    out = pd.DataFrame(rows)
    out.attrs["interval"] = interval
    return out


def actor_tone(
    articles: pd.DataFrame,
    codebook: Codebook | str | Path | dict,
    by: str | None = None,
    min_sentences: int = 1,
    tone: pd.DataFrame | None = None,
    sents: pd.DataFrame | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Tone of the sentences that mention each codebook actor (by alias, role, metonym or
    resolved pronoun), optionally per group ``by``.

    Columns: ``actor, [by,] sentences, articles, mean_compound, ...`` as in :func:`group_tone`;
    a sentence mentioning two actors counts for both. Actors with fewer than
    ``min_sentences`` sentences are left out. This is the tone of the *sentences around* an
    actor, not the tone *towards* the actor.
    """
    require_columns(articles, ["doc_id", "text"], "articles")
    cb = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    sents = split_sentences(articles) if sents is None else sents
    tone = sentence_tone(sents=sents) if tone is None else tone
    mentions = find_mentions(sents, cb, dates=articles)
    pairs = mentions.loc[mentions["kind"] == "actor", ["doc_id", "sent_id", "id"]].drop_duplicates()
    joined = pairs.rename(columns={"id": "actor"}).merge(tone, on=["doc_id", "sent_id"], how="inner")
    keys = ["actor"]
    if by is not None:
        require_columns(articles, [by], "articles")
        groups = articles[by].astype(object).where(articles[by].notna(), "unknown")
        joined[by] = joined["doc_id"].map(dict(zip(articles["doc_id"], groups)))
        keys.append(by)
    rows = []
    for key, part in joined.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        if len(part) >= min_sentences:
            rows.append({**dict(zip(keys, key)), **_summary(part["compound"], part["doc_id"], confidence)})
    out = pd.DataFrame(rows)
    if out.empty:
        return pd.DataFrame(columns=[*keys, "sentences", "articles", "mean_compound"])
    return out.sort_values(["sentences", *keys], ascending=[False] + [True] * len(keys), kind="stable").reset_index(drop=True)


def plot_tone(
    table: pd.DataFrame,
    by: str = "outlet",
    title: str | None = None,
    subtitle: str | None = None,
    source_note: str | None = None,
) -> Figure:
    """Mean VADER compound per row of a ``group_tone`` or ``actor_tone`` table, with its interval
    and N; the zero line and the ±0.05 neutral band are drawn. The default title names the most
    positive and most negative groups (ties named together), never calls a mean inside the neutral
    band positive or negative, and compares intervals only when groups hold more than one article
    (use ``group_tone(..., interval="bootstrap")`` to resample articles, not sentences).

    >>> arts = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"],
    ...                      "text": ["Good talks. Fine news.", "A horrible war. A terrible loss."]})
    >>> fig = plot_tone(group_tone(arts))
    >>> " ".join(fig.texts[0].get_text().split())
    'X has the most positive mean tone (0.32), Y the most negative (-0.74); one article per outlet: a contrast of
    single articles, with no interval across articles'
    """
    require_columns(table, [by, "sentences", "mean_compound", "mean_low", "mean_high"], "tone table")
    if table.empty:
        raise ValueError("table is empty: nothing to plot")
    data = table.sort_values(["mean_compound", by], kind="stable").reset_index(drop=True)
    labels = [str(v) for v in data[by]]
    with house_style():
        fig, ax = new_figure(7.0, 1.5 + 0.36 * len(data))
        y = np.arange(len(data))
        ax.axvspan(NEGATIVE, POSITIVE, color="#EEEEEE", zorder=0, linewidth=0)
        ax.axvline(0, color="#888888", linewidth=0.8, zorder=1)
        err = np.vstack([data["mean_compound"] - data["mean_low"], data["mean_high"] - data["mean_compound"]])
        ax.errorbar(data["mean_compound"], y, xerr=np.nan_to_num(err), fmt="none", ecolor="#555555",
                    elinewidth=1.1, capsize=2.5, zorder=2)
        ax.scatter(data["mean_compound"], y, color=OKABE_ITO["blue"], s=36, zorder=3, edgecolors="white", linewidths=0.6)
        ax.set_yticks(y, labels)
        lo = min(-0.3, float(np.nanmin(data["mean_low"].fillna(data["mean_compound"]))) - 0.05)
        hi = max(0.3, float(np.nanmax(data["mean_high"].fillna(data["mean_compound"]))) + 0.05)
        ax.set_xlim(max(lo, -1.0), min(hi, 1.0))
        for yi, n in zip(y, data["sentences"]):
            ax.text(1.01, yi, f"n = {n}", transform=ax.get_yaxis_transform(), va="center", ha="left",
                    fontsize=7.5, color="#444444")
        ax.set_xlabel("Mean VADER compound per sentence (−1 negative … +1 positive)")
        ax.grid(axis="x", color="#E5E5E5", linewidth=0.6)
        ax.grid(axis="y", visible=False)
        if title is None:
            title = _finding(data, by, table.attrs.get("interval"))
        if subtitle is None:
            how = ("bootstrap over articles" if table.attrs.get("interval") == "bootstrap"
                   else "t-interval over sentences")
            subtitle = (f"VADER (nltk, vadersentiment lexicon) per sentence; dots: mean, bars: 95% {how}; "
                        "grey band: neutral (±0.05)")
        annotate_figure(fig, title, subtitle, source_note)
    return fig


def _finding(data: pd.DataFrame, by: str, interval: str | None = None) -> str:
    """Highest and lowest mean (ties named), never calling a mean inside the neutral band positive or
    negative; whether their intervals overlap, unless every group is a single article."""
    word = by.replace("_", " ")
    means = data.set_index(by)["mean_compound"]
    shown = means.round(2)
    if len(data) == 1:
        name, value = shown.index[0], shown.iloc[0]
        text = f"{name}: mean compound {value:.2f} over {data['sentences'].iloc[0]} sentences, {_band(value)}"
        return text[:1].upper() + text[1:]
    highs, lows = tied_leaders(means, decimals=2), tied_leaders(means, largest=False, decimals=2)
    hi, lo = shown[highs[0]], shown[lows[0]]
    if hi == lo:
        text = f"every {word} has the same mean tone ({hi:.2f}), {_band(hi)}"
    else:
        if hi >= POSITIVE:
            verb = "has" if len(highs) == 1 else "tie for"
            text = f"{join_words(highs)} {verb} the most positive mean tone ({hi:.2f})"
        elif hi > NEGATIVE:
            text = f"no {word} is positive on average: the highest, {join_words(highs)} ({hi:.2f}), is neutral"
        else:
            text = f"every {word} is negative on average: the highest is {join_words(highs)} ({hi:.2f})"
        if lo <= NEGATIVE:
            text += f", {join_words(lows)} the most negative ({lo:.2f})"
        elif lo < POSITIVE:
            text += f"; the lowest, {join_words(lows)} ({lo:.2f}), is within the neutral band"
        else:
            text += f"; even the lowest, {join_words(lows)} ({lo:.2f}), is positive"
    if "articles" in data.columns and (data["articles"] <= 1).all():
        text += f"; one article per {word}: a contrast of single articles, with no interval across articles"
    elif hi != lo:
        high, low = data.set_index(by).loc[highs[0]], data.set_index(by).loc[lows[0]]
        apart = pd.notna(high["mean_low"]) and pd.notna(low["mean_high"]) and high["mean_low"] > low["mean_high"]
        how = "resampling articles" if interval == "bootstrap" else "over sentences, as if independent"
        text += f"; 95% intervals ({how}) {'do not overlap' if apart else 'overlap'}"
    return text[:1].upper() + text[1:]


def _band(value: float) -> str:
    """'positive', 'negative' or 'within the neutral band (±0.05)', by Hutto & Gilbert's thresholds."""
    return "positive" if value >= POSITIVE else "negative" if value <= NEGATIVE else "within the neutral band (±0.05)"
