"""Write the brief: one self-contained HTML page with findings, figures and tables, plus the data behind them.

Written for a reader with five minutes: it opens with an executive summary
(``<section id="summary">``: sentences computed from the numbers and a line on what the data
cannot tell), then the key findings, each linked to all of its evidence, then the charts — who
stands where (the actor x target stance matrix), how stances moved over time (timelines, shifts,
new stances; the series with too little evidence grouped by reason), coverage and framing by
outlet, articles over time. Long tables and the evidence behind each finding sit in the
appendix (``<section id="appendix">``): every statement with its sentence, every series, the
articles, the load report, the method notes. Dates are written at their precision. Every file is byte-identical
on rerun: no timestamps, fixed figure metadata, sorted tables. The folder works offline: images
are relative ``figures/*.png``, the CSS is inline, no script, font or CDN.

Sections are functions (see :mod:`diplomacy_lab.report.sections`); pass your own list as
``sections=`` to choose, reorder or add.

>>> import tempfile
>>> from diplomacy_lab import load_corpus
>>> index = write_brief(load_corpus("data/seed"), tempfile.mkdtemp(), corpus_name="seed corpus")
>>> index.name, sorted(p.name for p in index.parent.iterdir())
('index.html', ['data', 'figures', 'index.html'])
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from diplomacy_lab.charts.export import source_note
from diplomacy_lab.charts.wording import tie_phrase, tied_leaders
from diplomacy_lab.coverage.volume import articles_over_time, plot_articles_over_time
from diplomacy_lab.errors import CorpusLoadError
from diplomacy_lab.loading.corpus import load_report
from diplomacy_lab.loading.dates import format_dates
from diplomacy_lab.loading.summary import corpus_summary, count_words
from diplomacy_lab.report.adjusted import adjusted_section
from diplomacy_lab.report.networks import networks_section
from diplomacy_lab.report.outlets import outlet_sections
from diplomacy_lab.report.sections import (
    BriefContext,
    Finding,
    Section,
    esc,
    figure_html,
    shifts_section,
    shown_dates,
    statements_section,
    table_html,
)
from diplomacy_lab.report.summary import executive_summary
from diplomacy_lab.study import Study

__all__ = ["CORPUS_SECTIONS", "STATEMENT_SECTIONS", "default_sections", "write_brief"]

_CSS = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 52rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; } h3 { font-size: 1rem; }
h4 { font-size: 0.95rem; margin: 1.2rem 0 0.4rem; }
.lede { color: #444; margin-top: 0; } .caveat { background: #FFF6E0; padding: 0.6rem 0.8rem; border-left: 4px solid #E69F00; }
#summary .summary { font-size: 1.05rem; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0 1rem; }
th, td { border-bottom: 1px solid #DDD; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #F3F3F3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:target, .series:target { background: #FFF6E0; }
.series { border-left: 3px solid #DDD; padding: 0.1rem 0.8rem; margin: 0.8rem 0; } .series p { margin: 0.3rem 0; }
ul.quotes { font-size: 0.85rem; margin: 0.2rem 0 0.6rem; } figure { margin: 1rem 0; }
figure img { width: 100%; max-width: 42rem; border: 1px solid #EEE; }
figcaption { font-size: 0.85rem; color: #555; } .small { font-size: 0.85rem; color: #555; }
details { margin: 0.3rem 0; } summary { cursor: pointer; }
#appendix { border-top: 3px solid #DDD; margin-top: 3rem; }
nav a { margin-right: 0.8rem; } .scroll { overflow-x: auto; }
"""


def _corpus_findings(ctx: BriefContext, summary: dict, report: pd.DataFrame) -> list[Finding]:
    """Key facts about the corpus as sentences computed from the numbers."""
    totals = summary["totals"].iloc[0]
    n, outlets = int(totals["articles"]), int(totals["outlets"])
    first, last = totals["first_date"], totals["last_date"]
    span = "no dated article" if pd.isna(first) else f"{first:%B %Y} to {last:%B %Y}"
    facts = [Finding(f"The corpus holds {n} articles from {outlets} outlets, dated {span}.", "#articles")]
    periods = summary["periods"]
    dated = periods[periods["period"] != "undated"]
    if len(dated):
        busiest = tied_leaders(dated.set_index("period")["articles"])
        months = [pd.Period(p, freq="M").strftime("%B %Y") for p in busiest]
        top = int(dated["articles"].max())
        facts.append(Finding(f"The busiest month is {months[0]}, with {top} of {n} articles." if len(months) == 1 else
                             f"{tie_phrase(months, 'months')} as the busiest month, with {top} of {n} articles each.",
                             "#coverage"))
    skipped = int((report["action"] == "skipped").sum()) if len(report) else 0
    facts.append(Finding(f"{skipped} input(s) could not be loaded.", "#load-report"))
    dups = summary["duplicates"]
    facts.append(Finding(f"{int((dups['kind'] == 'exact').sum())} exact and {int((dups['kind'] == 'near').sum())} "
                         "near-duplicate articles were found.", "#notes"))
    precision = dict(zip(summary["precision"]["date_precision"], summary["precision"]["articles"]))
    inexact = n - int(precision.get("day", 0))
    if inexact:
        facts.append(Finding(f"{inexact} of {n} articles are dated only to the month, year or not at all; "
                             "see the date notes.", "#articles"))
    return facts


_MAX_OUTLETS = 8  # the palette's size: more outlets are grouped as "N other outlets" in the chart


def _span_years(articles: pd.DataFrame) -> float:
    dates = articles["date"].dropna()
    return (dates.max() - dates.min()).days / 365.25 if len(dates) else 0.0


def _outlet_dates(outlets: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The outlet table with its first and last dates written at the precision of the article they come from
    (ISO: "2025-03" for a month), so no day is printed that no article gave."""
    if "date_precision" not in articles.columns or not {"first_date", "last_date"} <= set(outlets.columns):
        return outlets
    dated = articles.dropna(subset=["date"]).sort_values(["date", "date_precision"], kind="stable")
    out = outlets.copy()
    for column, pick in (("first_date", "first"), ("last_date", "last")):
        ends = dated.groupby("outlet").agg(date=("date", pick), date_precision=("date_precision", pick))
        ends = ends.reindex(out["outlet"])
        out[column] = format_dates(ends["date"], ends["date_precision"], style="iso").to_numpy()
    return out


def coverage_section(ctx: BriefContext) -> Section:
    """Articles per period and outlet (chart: months, or years past a three-year span; the largest outlets,
    the rest grouped), the outlet table, and the corpus facts."""
    summary = corpus_summary(ctx.articles)
    sizes = ctx.articles["outlet"].value_counts()
    keep = set(sizes.index[:_MAX_OUTLETS - 1]) if len(sizes) > _MAX_OUTLETS else set(sizes.index)
    other = f"{len(sizes) - len(keep)} other outlets"
    grouped = ctx.articles.assign(outlet=ctx.articles["outlet"].where(ctx.articles["outlet"].isin(keep), other))
    table = articles_over_time(grouped, by="outlet", freq="Y" if _span_years(ctx.articles) > 3 else "M")
    ctx.export(plot_articles_over_time(table, by="outlet", source_note=ctx.note), "articles_over_time", table)
    outlets = _outlet_dates(summary["outlets"], ctx.articles)
    for name, table in (("outlets", outlets), ("periods", summary["periods"]), ("duplicates", summary["duplicates"])):
        ctx.write(table, name)
    body = figure_html("articles_over_time", "Articles per period and outlet", "Articles per period and outlet.") + \
        table_html(outlets, numeric=("articles", "words"))
    return Section("coverage", "Articles over time", body, _corpus_findings(ctx, summary, load_report(ctx.articles)))


def articles_section(ctx: BriefContext) -> Section:
    """Every article with its date (written at its precision), precision, title and length (in the appendix)."""
    articles = ctx.articles
    listing = articles[["doc_id", "outlet", "date", "date_precision", "title"]].assign(words=count_words(articles["text"]))
    if "date_note" in articles.columns:
        listing = listing.assign(date_note=articles["date_note"])
    ctx.write(listing, "articles")
    shown = listing.assign(date=shown_dates(listing, articles))
    return Section("articles", "Articles", table_html(shown, numeric=("words",)), in_appendix=True)


def load_report_section(ctx: BriefContext) -> Section:
    """What was not loaded, or loaded with a remark, and why (in the appendix)."""
    report = load_report(ctx.articles)
    ctx.write(report, "load_report")
    body = (table_html(report[["action", "reason", "source", "detail", "fix"]]) if len(report)
            else "<p>Every input was loaded; nothing to report.</p>")
    return Section("load-report", "Load report", body, in_appendix=True)


def notes_section(ctx: BriefContext) -> Section:
    """Method and data notes, with the tables behind the page (in the appendix)."""
    body = """<p class="small">Dates carry a precision (day, month, year, unknown) and are written at it: a month-precision
article is dated "March 2025" (2025-03 in tables); the CSV files give the first day of the period with a
<code>date_precision</code> column, so timelines use months or coarser periods. Comparisons of outlets with one article
each describe those articles, not the outlets; intervals between outlets resample articles, not sentences. Near duplicates: Jaccard similarity of word 5-gram
sets of at least 0.8. Statements are extracted automatically and carry errors: read each with its evidence sentence.
Net stance = (support − oppose) / (support + oppose), each document counted once per actor and proposal with the
stance most of its sentences take; its interval is the 95% Wilson interval of the support share, mapped to that
scale. Tables behind this page: <a href="data/articles.csv">articles</a>, <a href="data/outlets.csv">outlets</a>,
<a href="data/periods.csv">periods</a>, <a href="data/duplicates.csv">duplicates</a>,
<a href="data/load_report.csv">load report</a>.</p>"""
    return Section("notes", "Method and data notes", body, in_appendix=True)


CORPUS_SECTIONS: tuple[Callable, ...] = (coverage_section,)
STATEMENT_SECTIONS: tuple[Callable, ...] = (statements_section, adjusted_section, shifts_section, networks_section)
_CLOSING_SECTIONS: tuple[Callable, ...] = (articles_section, load_report_section, notes_section)


def default_sections(codebook=None) -> list[Callable]:
    """The sections of a brief, in order: with a codebook, statements, stances corrected for extraction
    errors (when a gold standard is given), shifts and who stands with whom (the actor network); then
    the outlet sections (coverage by outlet, framing), corpus, articles, notes."""

    middle = list(STATEMENT_SECTIONS) if codebook is not None else []
    return middle + outlet_sections(codebook) + list(CORPUS_SECTIONS) + list(_CLOSING_SECTIONS)


def write_brief(
    articles,
    out_dir: str | Path,
    corpus_name: str = "corpus",
    codebook=None,
    sections: Sequence[Callable] | None = None,
    freq: str = "M",
    progress: bool | None = None,
    gold=None,
    naming=None,
    frames=None,
) -> Path:
    """Write ``out_dir/index.html``, ``out_dir/figures/*`` and ``out_dir/data/*.csv``; return the index path.

    ``articles``: the articles table, or a :class:`~diplomacy_lab.study.Study` whose tables are
    reused (then ``codebook``, ``freq`` and ``progress`` come from the study). With a ``codebook``
    (path or Codebook) the brief adds who stands where and stances over time (``freq``: "M",
    "Q", "Y"). ``sections``: section functions (default :func:`default_sections`). ``gold``: gold
    statements (CSV path or table, see ``data/gold/CODING.md``) to measure the statements'
    accuracy against; without it the brief says accuracy is not measured. ``naming``: the naming
    lexicon of the framing section (a shipped name such as ``"russia_ukraine"``, a YAML path or a
    dict; none: the section says no naming lexicon was given); ``frames``: the frame dictionary
    (none: the general one). ``progress``: a progress bar on stderr (default: only when stderr
    is a terminal).
    """
    study = articles if isinstance(articles, Study) else Study(articles, codebook, freq=freq, progress=progress)
    articles, codebook, progress = study.articles, study.codebook, study.progress
    if articles.empty:
        raise CorpusLoadError("no articles to write a brief about: the articles table is empty",
                              fix="see load_report(articles) for why each input was skipped")
    out = Path(out_dir)
    (out / "data").mkdir(parents=True, exist_ok=True)
    note = source_note(articles, corpus_name)
    ctx = BriefContext(study, out, corpus_name, note, gold=gold, naming=naming, frames=frames)
    chosen = list(sections) if sections is not None else default_sections(codebook)
    disable = None if progress is None else not progress  # None: tqdm stays quiet when stderr is not a terminal
    built: list[Section] = []
    for make in tqdm(chosen, desc="brief", unit="section", file=sys.stderr, disable=disable, leave=False):
        section = make(ctx)
        if section is not None:
            built.append(section)
    findings = "\n".join(f'<h3>{esc(s.title)}</h3><ul>{"".join(f"<li>{f.html()}</li>" for f in s.findings)}</ul>'
                         for s in built if s.findings)
    main = [s for s in built if not s.in_appendix]
    extra = [s for s in built if s.in_appendix or s.appendix]
    nav = "".join(f'<a href="#{esc(s.id)}">{esc(s.title)}</a>' for s in main) + \
        ('<a href="#appendix">Appendix</a>' if extra else "")
    body = "\n".join(f'<section id="{esc(s.id)}"><h2>{esc(s.title)}</h2>\n{s.html}</section>' for s in main)
    parts = [f'<section id="{esc(s.id)}-details"><h3>{esc(s.title)}: the evidence</h3>\n{s.appendix}</section>'
             for s in main if s.appendix]
    parts += [f'<section id="{esc(s.id)}"><h3>{esc(s.title)}</h3>\n{s.html}</section>' for s in built if s.in_appendix]
    appendix = (f'<section id="appendix"><h2>Appendix</h2>\n<p class="small">The evidence behind every finding, every '
                f'statement and series, the articles, the load report and the method.</p>\n' + "\n".join(parts) +
                "</section>") if parts else ""
    page = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Brief: {esc(corpus_name)}</title><style>{_CSS}</style></head>
<body>
<h1>Brief: {esc(corpus_name)}</h1>
<p class="lede">{esc(note)}</p>
{executive_summary(study, ctx.accuracy)}
<nav>{nav}</nav>
<section id="findings"><h2>Key findings</h2>
<p class="small">Counts from automatically extracted evidence: read every count with its N, and every claim with the
evidence it links to.</p>
{findings}</section>
{body}
{appendix}
</body>
</html>
"""
    index = out / "index.html"
    index.write_bytes(page.encode("utf-8"))
    return index
