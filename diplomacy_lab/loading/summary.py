"""Summaries of an articles table: totals, articles per outlet and per month, words, duplicates.

>>> from diplomacy_lab import load_corpus
>>> summary = corpus_summary(load_corpus("data/seed"))
>>> summary["totals"].loc[0, ["articles", "outlets", "undated"]].tolist()
[5, 5, 0]
"""

from __future__ import annotations

import pandas as pd

from diplomacy_lab.loading.corpus import LoadReport
from diplomacy_lab.loading.duplicates import corpus_duplicates

_WORDS = r"\b\w[\w'’-]*\b"


def count_words(texts: pd.Series) -> pd.Series:
    """Words per text (runs of letters/digits, with inner apostrophes and hyphens)."""
    return texts.fillna("").astype(str).str.count(_WORDS).astype("int64")


def _period_label(dates: pd.Series, freq: str = "M") -> pd.Series:
    labels = dates.dt.to_period(freq).astype(str)
    return labels.where(dates.notna(), "undated")


def corpus_summary(articles: pd.DataFrame, freq: str = "M") -> dict[str, pd.DataFrame]:
    """The corpus at a glance, as tables.

    Returns a dict of DataFrames:

    - ``totals``: one row with ``articles, outlets, words, first_date, last_date,
      undated, exact_duplicates, near_duplicates, skipped`` (inputs :func:`load_corpus`
      could not load; 0 for a table that did not come from it);
    - ``outlets``: ``outlet, articles, words, first_date, last_date``, most articles first;
    - ``periods``: ``period, articles, words`` per ``freq`` period ("undated" last);
    - ``precision``: ``date_precision, articles``;
    - ``duplicates``: the table of :func:`corpus_duplicates` (taken from the load report
      when the table is as loaded, so it is not computed twice).
    """
    missing = {"doc_id", "outlet", "date", "text"} - set(articles.columns)
    if missing:
        raise ValueError(f"corpus_summary needs the articles table; missing columns {sorted(missing)}")
    words = count_words(articles["text"])
    frame = pd.DataFrame(
        {
            "outlet": articles["outlet"].astype(object).fillna("(no outlet)"),
            "date": articles["date"],
            "words": words,
            "period": _period_label(articles["date"], freq),
        }
    )
    outlets = (
        frame.groupby("outlet", sort=True)
        .agg(articles=("words", "size"), words=("words", "sum"), first_date=("date", "min"), last_date=("date", "max"))
        .reset_index()
        .sort_values(["articles", "outlet"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )
    periods = frame.groupby("period", sort=True).agg(articles=("words", "size"), words=("words", "sum")).reset_index()
    periods = pd.concat([periods[periods["period"] != "undated"], periods[periods["period"] == "undated"]], ignore_index=True)
    precision = (
        articles.get("date_precision", pd.Series("unknown", index=articles.index))
        .value_counts()
        .rename_axis("date_precision")
        .reset_index(name="articles")
    )
    held = articles.attrs.get("load_report")
    if not isinstance(held, LoadReport):
        held = None
    reusable = held is not None and held.describes(articles)
    duplicates = held.duplicates if reusable else corpus_duplicates(articles)
    totals = pd.DataFrame(
        [
            {
                "articles": len(articles),
                "outlets": int(articles["outlet"].nunique()),
                "words": int(words.sum()),
                "first_date": articles["date"].min(),
                "last_date": articles["date"].max(),
                "undated": int(articles["date"].isna().sum()),
                "exact_duplicates": int((duplicates["kind"] == "exact").sum()),
                "near_duplicates": int((duplicates["kind"] == "near").sum()),
                "skipped": int((held.table["action"] == "skipped").sum()) if held is not None else 0,
            }
        ]
    )
    return {"totals": totals, "outlets": outlets, "periods": periods, "precision": precision, "duplicates": duplicates}
