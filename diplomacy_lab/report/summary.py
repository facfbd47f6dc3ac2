"""The executive summary: what a reader with five minutes takes away, and what the data cannot say.

Three to five sentences computed from the numbers of the brief's tables — the corpus, the
statements and their measured accuracy, the most reported positions (ties named), stances over
time, how far outlets can be compared — and one line on what the brief cannot tell. Nothing here
is written by hand: rerun on another corpus, it says other things.

>>> from diplomacy_lab import Study, load_corpus
>>> from diplomacy_lab.paths import data_dir
>>> study = Study(load_corpus(data_dir() / "seed"), data_dir() / "codebooks" / "ukraine_2025.yaml")
>>> lines = summary_sentences(study)
>>> lines[0]
'5 articles from 5 outlets, March 2025 to January 2026 (2 dated only to the month).'
>>> lines[-1].startswith("Each outlet is a single article")
True
"""

from __future__ import annotations

import pandas as pd

from diplomacy_lab.charts.wording import MAX_NAMED, join_words, plural
from diplomacy_lab.report.sections import esc, position_counts, position_phrase
from diplomacy_lab.study import Study
from diplomacy_lab.timeline.shifts import proposal_phrase

__all__ = ["cannot_tell", "executive_summary", "summary_sentences"]


def _corpus(articles: pd.DataFrame) -> str:
    n, outlets = len(articles), articles["outlet"].nunique() if "outlet" in articles.columns else 0
    dates = articles["date"].dropna() if "date" in articles.columns else pd.Series(dtype="datetime64[ns]")
    span = "undated" if dates.empty else (
        f"{dates.min():%B %Y}" + ("" if f"{dates.min():%B %Y}" == f"{dates.max():%B %Y}" else f" to {dates.max():%B %Y}"))
    notes = []
    if "date_precision" in articles.columns:
        coarse = int(articles["date_precision"].isin(["month", "year"]).sum())
        if coarse:
            notes.append(f"{coarse} dated only to the month or year" if articles["date_precision"].eq("year").any()
                         else f"{coarse} dated only to the month")
    undated = n - len(dates)
    if undated and not dates.empty:
        notes.append(f"{undated} undated")
    return f"{plural(n, 'article')} from {plural(outlets, 'outlet')}, {span}" + (f" ({'; '.join(notes)})." if notes else ".")


def _statements(study: Study, accuracy: dict | None) -> str:
    st = study.statements
    text = (f"The extractor found {plural(len(st), 'statement')} by {plural(st['actor'].nunique(), 'actor')} on "
            f"{plural(st['target'].nunique(), 'proposal')} in {st['doc_id'].nunique()} of {len(study.articles)} articles")
    if accuracy and "error" not in accuracy:
        text += (f"; checked against {accuracy['statements']} hand-coded statements in {accuracy['documents']} of them, "
                 f"{accuracy['precision']:.0%} of what it reports is right and it finds {accuracy['recall']:.0%} of "
                 f"what the coder found")
    else:
        text += "; its accuracy on this corpus is not measured"
    return text + "."


def _positions(study: Study) -> str | None:
    counts = position_counts(study.documents)
    if counts.empty:
        return None
    top = int(counts["documents"].iloc[0])
    leaders = counts[counts["documents"] == top]
    n = len(study.articles)
    phrases = [position_phrase(a, t, row, study.names, study.labels, study.proper_nouns) for (a, t), row in leaders.iterrows()]
    if len(phrases) == 1:
        return f"The most reported position: {phrases[0]}, in {top} of {n} articles."
    if len(phrases) <= MAX_NAMED:
        return f"The most reported positions tie at {top} of {n} articles each: {join_words(phrases)}."
    return f"{len(phrases)} positions tie as the most reported, at {top} of {n} articles each."


def _over_time(study: Study) -> str | None:
    if study.statements["date"].isna().all():
        return None
    shifts = study.shifts
    counts = shifts["status"].value_counts()
    changed = int(counts.get("shift", 0) + counts.get("change in balance", 0))
    new = shifts[shifts["status"] == "new stance"]
    thin = int(counts.get("insufficient evidence", 0))
    parts = [f"{'none' if changed == 0 else changed} show{'s' if changed <= 1 else ''} a significant change of stance"]
    if len(new):
        who = join_words(sorted({study.names.get(a, a) for a in new["actor"]}))
        what = join_words(sorted({proposal_phrase(study.labels.get(t, str(t)), study.labels, study.proper_nouns) for t in new["target"]}))
        parts.append(f"{len(new)} {'is a new stance' if len(new) == 1 else 'are new stances'} ({who} on {what})")
    parts.append(f"{thin} {'has' if thin == 1 else 'have'} too little evidence to tell")
    return f"Of {plural(len(shifts), 'actor–proposal series', 'actor–proposal series')}, {join_words(parts)}."


def _outlets(articles: pd.DataFrame) -> str | None:
    if "outlet" not in articles.columns or articles["outlet"].nunique() < 2:
        return None
    sizes = articles["outlet"].value_counts()
    if (sizes == 1).all():
        return (f"Each outlet is a single article, so every outlet comparison below contrasts {len(sizes)} articles, "
                "not outlets.")
    single = int((sizes == 1).sum())
    text = f"Outlets hold {sizes.min()} to {sizes.max()} articles (median {int(sizes.median())})"
    if single:
        text += f"; {plural(single, 'outlet')} {'is' if single == 1 else 'are'} a single article, compared as such"
    return text + "; outlet comparisons use intervals that resample articles."


def summary_sentences(study: Study, accuracy: dict | None = None) -> list[str]:
    """The summary as a list of sentences (three to five), in order: corpus, statements, positions, time, outlets."""
    lines = [_corpus(study.articles)]
    if study.codebook is not None:
        lines.append(_statements(study, accuracy))
        lines += [x for x in (_positions(study), _over_time(study)) if x]
    outlets = _outlets(study.articles)
    if outlets:
        lines.append(outlets)
    return lines


def cannot_tell(study: Study, accuracy: dict | None = None) -> str:
    """What the brief cannot tell, from the same numbers: thin outlets, thin series, no gold, no codebook."""
    articles = study.articles
    parts = []
    sizes = articles["outlet"].value_counts() if "outlet" in articles.columns else pd.Series(dtype=int)
    if len(sizes) > 1 and sizes.max() <= 1:
        parts.append("how these outlets report in general (each is one article)")
    elif len(sizes) > 1 and sizes.min() < 5:
        parts.append(f"much about the {int((sizes < 5).sum())} outlets with fewer than 5 articles")
    if study.codebook is None:
        parts.append("who takes which stance (no codebook was given)")
    else:
        if not study.statements.empty and study.statements["date"].notna().any():
            shifts = study.shifts
            thin = int((shifts["status"] == "insufficient evidence").sum())
            if thin:
                parts.append(f"whether most stances changed ({thin} of {len(shifts)} series have too little evidence)")
        if not accuracy or "error" in accuracy:
            parts.append("how accurate the machine-extracted statements are (no gold standard for this corpus)")
    parts.append(f"anything beyond these {plural(len(articles), 'article')}, which are not a sample of the news")
    return f"What this cannot tell you: {join_words(parts, 'or')}."


def executive_summary(study: Study, accuracy: dict | None = None) -> str:
    """``<section id="summary">``: the summary sentences and the line on what the brief cannot tell."""
    text = " ".join(summary_sentences(study, accuracy))
    return (f'<section id="summary"><h2>Summary</h2>\n<p class="summary">{esc(text)}</p>\n'
            f'<p class="caveat">{esc(cannot_tell(study, accuracy))}</p></section>')
