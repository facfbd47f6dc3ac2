"""Write the brief: an HTML page with findings, figures and tables, plus the data behind them.

The brief holds the corpus report — what was loaded (and what was not, and why),
articles per outlet and month, the articles-over-time chart — and, with a codebook, who
stands where: statements with their evidence and the actor x target stance matrix. Every file is
byte-identical on rerun: no timestamps, fixed figure metadata, sorted tables.

>>> index = write_brief(load_corpus("data/seed"), "build/brief", corpus_name="seed corpus")  # doctest: +SKIP
>>> index.name                                                                                # doctest: +SKIP
'index.html'
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from diplomacy_lab.corpus import load_report
from diplomacy_lab.export import export_figure, source_note
from diplomacy_lab.paths import data_dir
from diplomacy_lab.style import sentence_case
from diplomacy_lab.summary import corpus_summary, count_words
from diplomacy_lab.timeline import articles_over_time, plot_articles_over_time

_CSS = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
.lede { color: #444; margin-top: 0; } .caveat { background: #FFF6E0; padding: 0.6rem 0.8rem; border-left: 4px solid #E69F00; }
table { border-collapse: collapse; font-size: 0.88rem; margin: 0.5rem 0 1rem; }
th, td { border-bottom: 1px solid #DDD; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #F3F3F3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } figure img { max-width: 100%; border: 1px solid #EEE; }
figcaption { font-size: 0.85rem; color: #555; } .small { font-size: 0.85rem; color: #555; }
"""


def _esc(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return html.escape(str(value))


def _table(frame: pd.DataFrame, numeric: tuple[str, ...] = ()) -> str:
    head = "".join(f"<th>{_esc(c)}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for col, value in zip(frame.columns, record):
            cls = ' class="num"' if col in numeric else ""
            cells.append(f"<td{cls}>{_esc(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.write_bytes(frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d").encode("utf-8"))


def _findings(totals: pd.Series, summary: dict, report: pd.DataFrame) -> list[str]:
    """Key facts as sentences computed from the numbers."""
    n, outlets = int(totals["articles"]), int(totals["outlets"])
    first, last = totals["first_date"], totals["last_date"]
    span = "no dated article" if pd.isna(first) else f"{first:%B %Y} to {last:%B %Y}"
    facts = [f"The corpus holds {n} articles from {outlets} outlets, dated {span}."]
    periods = summary["periods"]
    dated = periods[periods["period"] != "undated"]
    if len(dated):
        top = dated.sort_values(["articles", "period"], ascending=[False, True]).iloc[0]
        month = pd.Period(top["period"], freq="M").strftime("%B %Y")
        facts.append(f"The busiest month is {month}, with {int(top['articles'])} of {n} articles.")
    skipped = int((report["action"] == "skipped").sum()) if len(report) else 0
    facts.append(
        f"{skipped} input(s) could not be loaded" + (" (see the load report below)." if skipped else ".")
    )
    dups = summary["duplicates"]
    facts.append(
        f"{int((dups['kind'] == 'exact').sum())} exact and {int((dups['kind'] == 'near').sum())} near-duplicate articles were found."
    )
    precision = dict(zip(summary["precision"]["date_precision"], summary["precision"]["articles"]))
    inexact = n - int(precision.get("day", 0))
    if inexact:
        facts.append(f"{inexact} of {n} articles are dated only to the month, year or not at all; see the date notes.")
    return facts


def _statement_findings(documents: pd.DataFrame, names: dict[str, str], labels: dict[str, str]) -> list[str]:
    """One sentence per actor and target reported in at least two documents, from the counts."""
    facts = []
    counts = documents.groupby(["actor", "target", "stance"])["doc_id"].nunique().unstack(fill_value=0)
    counts = counts.reindex(columns=["support", "oppose"], fill_value=0)
    counts["documents"] = documents.groupby(["actor", "target"])["doc_id"].nunique()
    counts = counts[counts["documents"] >= 2].sort_values("documents", ascending=False, kind="stable")
    for (actor, target), row in counts.iterrows():
        what = sentence_case(labels.get(target, target))
        who = names.get(actor, actor)
        if row["oppose"] == 0:
            verb = "supports"
        elif row["support"] == 0:
            verb = "opposes"
        else:
            verb = f"is reported both supporting ({int(row['support'])}) and opposing ({int(row['oppose'])})"
        facts.append(f"{who} {verb} {what} in {int(row['documents'])} documents.")
    return facts


def _accuracy(statements: pd.DataFrame, articles: pd.DataFrame, gold_path: Path | None = None) -> str:
    """The statements' accuracy, measured now against the gold standard when the corpus holds its documents."""
    from diplomacy_lab.coding import evaluate_statements
    from diplomacy_lab.uncertainty import with_intervals

    gold_path = gold_path or data_dir() / "gold" / "seed_statements.csv"
    gold = pd.read_csv(gold_path) if gold_path.is_file() else None
    if gold is None or not set(gold["doc_id"]) <= set(articles["doc_id"]):
        return "Their accuracy on this corpus is not measured: there is no gold standard for it."
    docs = sorted(set(gold["doc_id"]))
    summary = evaluate_statements(statements, gold, documents=docs, stances=("support", "oppose"))["summary"]
    r = with_intervals(summary).iloc[0]
    return (
        f"Against a human coder's gold standard for {len(docs)} of these articles ({len(gold)} statements), at "
        f"document level: precision {r['precision']:.2f} (95% interval {r['precision_low']:.2f}–{r['precision_high']:.2f}), "
        f"recall {r['recall']:.2f} ({r['recall_low']:.2f}–{r['recall_high']:.2f})."
    )


def _statements_section(articles: pd.DataFrame, codebook, out: Path, note: str) -> tuple[str, list[str]]:
    from diplomacy_lab.codebook import load_codebook
    from diplomacy_lab.stance_matrix import plot_stance_matrix, stance_matrix
    from diplomacy_lab.statements import extract_statements, statements_by_document

    book = load_codebook(codebook)
    statements = extract_statements(articles, book)
    documents = statements_by_document(statements)
    _write_csv(statements, out / "data" / "statements.csv")
    _write_csv(documents, out / "data" / "statements_by_document.csv")
    names = {a.id: a.name for a in book.actors.values()}
    labels = {t.id: t.label for t in book.targets.values()}
    if documents.empty:
        return "<p>No statement found with this codebook.</p>", []
    matrix = stance_matrix(documents, labels=names)
    fig = plot_stance_matrix(matrix, source_note=note + " Statements extracted automatically.", target_labels=labels)
    export_figure(fig, out / "figures", "stance_matrix", matrix)
    table = documents.assign(actor=documents["actor"].map(names), target=documents["target"].map(labels))
    html_table = _table(table[["doc_id", "outlet", "actor", "target", "stance", "n_sentences", "evidence"]],
                        numeric=("n_sentences",))
    section = f"""<section id="statements"><h2>Who stands where</h2>
<figure><img src="figures/stance_matrix.svg" alt="Actor by proposal stance matrix">
<figcaption>Documents in which each actor supports (+) or opposes (−) each proposal. Files:
<a href="figures/stance_matrix.png">PNG</a>, <a href="figures/stance_matrix.svg">SVG</a>,
<a href="figures/stance_matrix.pdf">PDF</a>, <a href="figures/stance_matrix.csv">data (CSV)</a>.</figcaption></figure>
<p class="small">{len(statements)} statements in {statements['doc_id'].nunique()} of {len(articles)} articles, found by
the cue-based classifier with the codebook <em>{_esc(book.name)}</em>. {_esc(_accuracy(statements, articles))}
Every row below carries its evidence sentence.</p>
{html_table}
<p class="small">Tables: <a href="data/statements.csv">statements</a> (one row per sentence),
<a href="data/statements_by_document.csv">by document</a>.</p></section>"""
    return section, _statement_findings(documents, names, labels)


def write_brief(articles: pd.DataFrame, out_dir: str | Path, corpus_name: str = "corpus", codebook=None) -> Path:
    """Write ``out_dir/index.html``, ``out_dir/figures/*`` and ``out_dir/data/*.csv``; return the index path.

    With a ``codebook`` (path or Codebook) the brief adds who stands where: the statements,
    the actor x target stance matrix and findings computed from them.
    """
    out = Path(out_dir)
    (out / "data").mkdir(parents=True, exist_ok=True)
    summary = corpus_summary(articles)
    totals = summary["totals"].iloc[0]
    report = load_report(articles)
    note = source_note(articles, corpus_name)

    table = articles_over_time(articles, by="outlet", freq="M")
    fig = plot_articles_over_time(table, by="outlet", source_note=note)
    export_figure(fig, out / "figures", "articles_over_time", table)

    listing = articles[["doc_id", "outlet", "date", "date_precision", "title"]].assign(
        words=count_words(articles["text"])
    )
    if "date_note" in articles.columns:
        listing = listing.assign(date_note=articles["date_note"])
    _write_csv(listing, out / "data" / "articles.csv")
    _write_csv(summary["outlets"], out / "data" / "outlets.csv")
    _write_csv(summary["periods"], out / "data" / "periods.csv")
    _write_csv(summary["duplicates"], out / "data" / "duplicates.csv")
    _write_csv(report, out / "data" / "load_report.csv")

    statements_html, statement_facts = _statements_section(articles, codebook, out, note) if codebook else ("", [])
    findings = "".join(f"<li>{_esc(f)}</li>" for f in statement_facts + _findings(totals, summary, report))
    report_html = (
        _table(report[["action", "reason", "source", "detail", "fix"]])
        if len(report)
        else "<p>Every input was loaded; nothing to report.</p>"
    )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Brief: {_esc(corpus_name)}</title><style>{_CSS}</style></head>
<body>
<h1>Brief: {_esc(corpus_name)}</h1>
<p class="lede">{_esc(note)}</p>
<p class="caveat">{int(totals['articles'])} articles can demonstrate a method; they cannot establish a trend.
Read every count below with its N.</p>
<section id="findings"><h2>Key findings</h2><ul>{findings}</ul></section>
<section id="coverage"><h2>Articles over time</h2>
<figure><img src="figures/articles_over_time.svg" alt="Articles per month and outlet">
<figcaption>Articles per month and outlet. Files: <a href="figures/articles_over_time.png">PNG</a>,
<a href="figures/articles_over_time.svg">SVG</a>, <a href="figures/articles_over_time.pdf">PDF</a>,
<a href="figures/articles_over_time.csv">data (CSV)</a>.</figcaption></figure>
{_table(summary['outlets'], numeric=('articles', 'words'))}
</section>
{statements_html}
<section id="articles"><h2>Articles</h2>{_table(listing, numeric=('words',))}</section>
<section id="load-report"><h2>Load report</h2>{report_html}</section>
<section id="notes"><h2>Method and data notes</h2>
<p class="small">Dates carry a precision (day, month, year, unknown); month-precision dates are shown as the
first of the month. Near duplicates: Jaccard similarity of word 5-gram sets of at least 0.8.
Tables behind this page: <a href="data/articles.csv">articles</a>, <a href="data/outlets.csv">outlets</a>,
<a href="data/periods.csv">periods</a>, <a href="data/duplicates.csv">duplicates</a>,
<a href="data/load_report.csv">load report</a>.</p></section>
</body>
</html>
"""
    index = out / "index.html"
    index.write_bytes(page.encode("utf-8"))
    return index
