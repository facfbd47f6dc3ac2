"""Sections of the brief: each one a function of a :class:`BriefContext` returning a :class:`Section`.

A section writes its figures (``figures/NAME.png|svg|pdf|csv``) and tables (``data/*.csv``)
into the brief folder and returns its HTML and its key findings; every finding carries a
link (``href``) to the evidence it rests on — a statement table row, a shift row with its
evidence sentences, or a section. Add a section by writing such a function and passing it to
:func:`diplomacy_lab.report.brief.write_brief` (``sections=``).

>>> s = Section("demo", "Demo", "<p>Hello</p>", [Finding("One thing.", "#demo")])
>>> s.findings[0].html()
'One thing. <a href="#demo">evidence</a>'
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from diplomacy_lab.charts.export import export_figure
from diplomacy_lab.charts.tables import write_csv as write_table
from diplomacy_lab.loading.dates import format_dates
from diplomacy_lab.report.evidence import evidence_id, evidence_list
from diplomacy_lab.statements.evaluation import evaluate_statements
from diplomacy_lab.statements.matrix import plot_stance_matrix, stance_matrix
from diplomacy_lab.study import Study
from diplomacy_lab.timeline.plots import plot_stance_timeline
from diplomacy_lab.timeline.shifts import STATUSES, proposal_phrase, shift_evidence
from diplomacy_lab.timeline.stances import period_name
from diplomacy_lab.uncertainty import with_intervals

__all__ = ["BriefContext", "Finding", "Section", "accuracy", "esc", "figure_html", "position_counts", "position_phrase",
           "shifts_section", "shown_dates", "statements_section", "table_html", "write_csv"]


@dataclass
class Finding:
    """A key finding: a sentence built from the numbers and the anchor of its evidence."""

    text: str
    href: str

    def html(self) -> str:
        return f'{esc(self.text)} <a href="{esc(self.href)}">evidence</a>'


@dataclass
class Section:
    """A part of the brief: its HTML in the body, its key findings and, optionally, the long tables and
    evidence that belong in the appendix (``appendix``: HTML, shown under the section's title there).
    ``in_appendix=True`` puts the whole section in the appendix (articles, load report, notes)."""

    id: str
    title: str
    html: str
    findings: list[Finding] = field(default_factory=list)
    appendix: str = ""
    in_appendix: bool = False


@dataclass
class BriefContext:
    """What the sections share: the :class:`~diplomacy_lab.study.Study` (articles, codebook and the
    tables computed once from them), the output folder, the source note and the gold statements
    (a CSV path or table) that the accuracy note is measured against, if any, and the framing
    lexicons: ``naming`` (none: no naming chart) and ``frames`` (none: the general dictionary)."""

    study: Study
    out: Path
    corpus_name: str
    note: str
    gold: object = None
    naming: object = None
    frames: object = None

    @cached_property
    def accuracy(self) -> dict | None:
        """Precision and recall against ``gold`` (:func:`accuracy`), computed once for the whole brief."""
        return accuracy(self.statements, self.articles, self.gold) if self.gold is not None else None

    @property
    def articles(self) -> pd.DataFrame:
        return self.study.articles

    @property
    def codebook(self):
        return self.study.codebook

    @property
    def book(self):
        return self.study._book("the brief's statement sections")

    @property
    def freq(self) -> str:
        return self.study.freq

    @property
    def statements(self) -> pd.DataFrame:
        return self.study.statements

    @property
    def documents(self) -> pd.DataFrame:
        return self.study.documents

    @property
    def sentences(self) -> pd.DataFrame:
        return self.study.sentences

    @property
    def mentions(self) -> pd.DataFrame:
        return self.study.mentions

    @property
    def names(self) -> dict[str, str]:
        return self.study.names

    @property
    def labels(self) -> dict[str, str]:
        return self.study.labels

    def export(self, fig, name: str, data: pd.DataFrame) -> None:
        export_figure(fig, self.out / "figures", name, data)

    def write(self, frame: pd.DataFrame, name: str) -> None:
        write_csv(frame, self.out / "data" / f"{name}.csv")


def esc(value) -> str:
    """HTML-escaped text of a cell; missing values give ''; timestamps their date (to the day: format
    dates of another precision with :func:`~diplomacy_lab.loading.dates.format_dates` first)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float):
        return f"{value:.3g}"
    return html.escape(str(value))


def table_html(frame: pd.DataFrame, numeric: tuple[str, ...] = (), ids: list[str] | None = None) -> str:
    """An HTML table of ``frame``; ``ids`` gives each row an anchor id."""
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    rows = []
    num = ' class="num"'
    for i, record in enumerate(frame.itertuples(index=False)):
        cells = "".join(f"<td{num if col in numeric else ''}>{esc(value)}</td>" for col, value in zip(frame.columns, record))
        anchor = f' id="{esc(ids[i])}"' if ids else ""
        rows.append(f"<tr{anchor}>{cells}</tr>")
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """A CSV written byte-identically: ``\\n`` line ends, ISO dates, UTF-8, formula cells neutralised."""
    write_table(frame, path, date_format="%Y-%m-%d", float_format="%.10g")


def figure_html(name: str, alt: str, caption: str) -> str:
    """A figure shown from ``figures/NAME.png``, with links to its SVG, PDF and data."""
    links = ", ".join(f'<a href="figures/{name}.{ext}">{label}</a>'
                      for ext, label in (("png", "PNG"), ("svg", "SVG"), ("pdf", "PDF"), ("csv", "data (CSV)")))
    return (f'<figure id="fig-{name}"><img src="figures/{name}.png" alt="{esc(alt)}">'
            f"<figcaption>{esc(caption)} Files: {links}.</figcaption></figure>")


_MAX_STATEMENT_FINDINGS = 6


def accuracy(statements: pd.DataFrame, articles: pd.DataFrame, gold) -> dict:
    """Document-level precision and recall of ``statements`` against ``gold`` (a CSV path or a table of gold
    statements), with 95% Wilson intervals; ``{"error": ...}`` when the gold is for other documents."""
    gold = gold if isinstance(gold, pd.DataFrame) else pd.read_csv(gold)
    if not set(gold["doc_id"]) <= set(articles["doc_id"]):
        return {"error": f"the gold standard given is for other documents "
                         f"({len(set(gold['doc_id']) - set(articles['doc_id']))} of its documents are not in this corpus)"}
    docs = sorted(set(gold["doc_id"]))
    summary = evaluate_statements(statements, gold, documents=docs, stances=("support", "oppose"))["summary"]
    row = with_intervals(summary).iloc[0]
    return {"documents": len(docs), "statements": len(gold),
            **{k: float(row[k]) for k in ("precision", "precision_low", "precision_high", "recall", "recall_low",
                                          "recall_high")}}


def _accuracy(ctx: BriefContext) -> str:
    """The statements' accuracy in one sentence."""
    r = ctx.accuracy
    if r is None:
        return "Their accuracy on this corpus is not measured here: no gold standard was given."
    if "error" in r:
        return f"Their accuracy on this corpus is not measured: {r['error']}."
    return (
        f"Against a human coder's gold standard for {r['documents']} of these articles ({r['statements']} statements), at "
        f"document level: precision {r['precision']:.2f} (95% interval {r['precision_low']:.2f}–{r['precision_high']:.2f}), "
        f"recall {r['recall']:.2f} ({r['recall_low']:.2f}–{r['recall_high']:.2f})."
    )


def position_counts(documents: pd.DataFrame) -> pd.DataFrame:
    """Per actor and target: documents with a support and an oppose statement, and all documents, most first."""
    counts = documents.groupby(["actor", "target", "stance"])["doc_id"].nunique().unstack(fill_value=0)
    counts = counts.reindex(columns=["support", "oppose"], fill_value=0)
    counts["documents"] = documents.groupby(["actor", "target"])["doc_id"].nunique()
    return counts.sort_values("documents", ascending=False, kind="stable")


def position_phrase(actor: str, target: str, row, names: dict, labels: dict, proper: frozenset[str] = frozenset()) -> str:
    """'Giorgia Meloni opposes sending troops to Ukraine', or 'is reported both supporting (1) and opposing (2)'."""
    if row["oppose"] == 0:
        verb = "supports"
    elif row["support"] == 0:
        verb = "opposes"
    else:
        verb = f"is reported both supporting ({int(row['support'])}) and opposing ({int(row['oppose'])})"
    return f"{names.get(actor, actor)} {verb} {proposal_phrase(labels.get(target, str(target)), labels, proper)}"


def _statement_findings(counts: pd.DataFrame, names: dict, labels: dict, proper: frozenset[str] = frozenset()) -> list[Finding]:
    """One sentence per actor and target reported in at least two documents, linked to all its evidence."""
    out = []
    for (actor, target), row in counts.head(_MAX_STATEMENT_FINDINGS).iterrows():
        text = f"{position_phrase(actor, target, row, names, labels, proper)} in {int(row['documents'])} documents."
        out.append(Finding(text, f"#{evidence_id(actor, target)}"))
    if len(counts) > _MAX_STATEMENT_FINDINGS:
        more = len(counts) - _MAX_STATEMENT_FINDINGS
        out.append(Finding(f"{more} more actor–proposal pairs are reported in two documents or more; "
                           "the evidence of each is in the appendix.", "#statements-evidence"))
    return out


def shown_dates(frame: pd.DataFrame, articles: pd.DataFrame, style: str = "iso") -> pd.Series:
    """Dates of ``frame`` as precise as their article's: 2025-03-28 (day), 2025-03 (month), 2025 (year)."""
    if "date_precision" in frame.columns:
        precision = frame["date_precision"]
    elif "date_precision" in articles.columns:
        precision = frame["doc_id"].map(articles.set_index("doc_id")["date_precision"])
    else:
        precision = None
    return format_dates(frame["date"], precision, style=style)


def statements_section(ctx: BriefContext) -> Section:
    """Who stands where: the actor x target stance matrix in the body; every statement with its evidence,
    and the evidence behind each finding, in the appendix."""

    statements, documents = ctx.statements, ctx.documents
    ctx.write(statements, "statements")
    ctx.write(documents, "statements_by_document")
    if documents.empty:
        return Section("statements", "Who stands where", "<p>No statement found with this codebook.</p>")
    matrix = stance_matrix(documents, labels=ctx.names)
    fig = plot_stance_matrix(matrix, source_note=ctx.note + " Statements extracted automatically.", target_labels=ctx.labels)
    ctx.export(fig, "stance_matrix", matrix)
    ids = [f"st-{i + 1}" for i in range(len(documents))]
    shown = documents.assign(actor=documents["actor"].map(ctx.names), target=documents["target"].map(ctx.labels),
                             date=shown_dates(documents, ctx.articles))
    rows = table_html(shown[["doc_id", "outlet", "date", "actor", "target", "stance", "n_sentences", "evidence"]],
                      numeric=("n_sentences",), ids=ids)
    counts = position_counts(documents)
    counts = counts[counts["documents"] >= 2]
    blocks = []
    for (actor, target), row in counts.iterrows():
        mine = statements[(statements["actor"] == actor) & (statements["target"] == target)]
        blocks.append(f'<div class="series" id="{evidence_id(actor, target)}"><p><b>'
                      f'{esc(position_phrase(actor, target, row, ctx.names, ctx.labels, ctx.study.proper_nouns))}</b>: '
                      f'{int(row["documents"])} documents, {len(mine)} sentences.</p>{evidence_list(mine)}</div>')
    body = f"""{figure_html("stance_matrix", "Actor by proposal stance matrix",
                        "Documents in which each actor supports (+) or opposes (−) each proposal.")}
<p class="small">{len(statements)} statements in {statements['doc_id'].nunique()} of {len(ctx.articles)} articles, found by
the cue-based classifier with the codebook <em>{esc(ctx.book.name)}</em>. {esc(_accuracy(ctx))}
Every statement, with its evidence sentence, is in the <a href="#statements-table">appendix</a>.</p>"""
    appendix = f"""<h4 id="statements-evidence">Evidence behind each position reported in two documents or more</h4>
{"".join(blocks) or "<p>None.</p>"}
<h4>Every statement (one row per document, actor, proposal and stance)</h4>
<div id="statements-table">{rows}</div>
<p class="small">Tables: <a href="data/statements.csv">statements</a> (one row per sentence),
<a href="data/statements_by_document.csv">by document</a>.</p>"""
    return Section("statements", "Who stands where", body, _statement_findings(counts, ctx.names, ctx.labels, ctx.study.proper_nouns), appendix)


_SHOWN_STATUSES = ("shift", "change in balance", "new stance", "stable", "no significant shift")
_MAX_TIMELINE_FIGURES, _MAX_PANELS, _MAX_SHIFT_FINDINGS = 2, 4, 5


def _timeline_figures(ctx: BriefContext, timeline: pd.DataFrame, shifts: pd.DataFrame) -> str:
    """Charts of the actors with the most documents (those seen in two periods or more first)."""
    proper = ctx.study.proper_nouns
    active = timeline[timeline["n"] > 0]
    per_actor = active.groupby("actor").agg(periods=("period", "nunique"), documents=("documents", "sum"))
    per_actor = per_actor.assign(spread=per_actor["periods"] > 1).sort_values(
        ["spread", "documents"], ascending=False, kind="stable")
    out = []
    for actor in per_actor.index[:_MAX_TIMELINE_FIGURES]:
        mine = shifts[shifts["actor"] == actor]  # series with a finding first, then the most documents
        mine = mine.assign(rank=mine["status"].map(STATUSES.index)).sort_values(["rank", "documents"], ascending=[True, False],
                                                                                  kind="stable")
        targets = mine["target"].head(_MAX_PANELS).tolist()
        data = timeline[(timeline["actor"] == actor) & timeline["target"].isin(targets)]
        name = "stance_timeline_" + "".join(c if c.isalnum() else "_" for c in str(actor).lower())
        fig = plot_stance_timeline(data, shifts, names=ctx.names, labels=ctx.labels, proper_nouns=proper,
                                   source_note=ctx.note + " Statements extracted automatically.")
        ctx.export(fig, name, data)
        who = ctx.names.get(actor, actor)
        out.append(figure_html(name, f"Stance of {who} over time", f"Net stance of {who} per period, with 95% intervals."))
    return "\n".join(out)


def _series_cards(rows: pd.DataFrame, statements: pd.DataFrame) -> str:
    """One block per series: who, what, status; the finding; every statement behind it, before and after
    its split when it has one."""
    out = []
    polar = statements[statements["stance"].isin(["support", "oppose"]) & statements["date"].notna()]
    for r in rows.to_dict("records"):
        mine = polar[(polar["actor"] == r["actor_id"]) & (polar["target"] == r["target_id"])]
        if pd.notna(r["date"]):
            sides = [("Before", mine[mine["date"] < r["date"]]), ("From then on", mine[mine["date"] >= r["date"]])]
            quotes = "".join(f"<p class=\"small\"><b>{side}:</b></p>{evidence_list(part)}" for side, part in sides)
        else:
            quotes = evidence_list(mine)
        out.append(f'<div class="series" id="{esc(r["anchor"])}"><p><b>{esc(r["actor"])} — {esc(r["proposal"])}</b>: '
                   f'{esc(r["status"])} ({esc(r["stance"])}; {esc(r["periods"])})</p><p>{esc(r["finding"])}</p>'
                   f'{quotes}</div>')
    return "\n".join(out)


def _reasons(rows: pd.DataFrame, labels: dict, proper: frozenset[str] = frozenset()) -> str:
    """Series with insufficient evidence, one sentence per reason (most series first), the series inside a fold."""
    out = []
    groups = rows.groupby("reason", sort=False)
    order = sorted(groups.groups, key=lambda reason: (-len(groups.groups[reason]), reason))
    for reason in order:
        part = groups.get_group(reason)
        which = ", ".join(f'<a href="#{esc(a)}">{esc(w)} on {esc(proposal_phrase(p, labels, proper))}</a>'
                          for a, w, p in zip(part["anchor"], part["actor"], part["proposal"]))
        n = len(part)
        out.append(f'<details><summary>{n} series: {esc(reason)}.</summary><p class="small">{which}.</p></details>')
    return "\n".join(out)


def shifts_section(ctx: BriefContext) -> Section:
    """Stances over time: timelines per actor and proposal, the series with a finding (shifts, new stances,
    stable stances) and the others grouped by why the evidence is insufficient; every series with all its
    evidence in the appendix."""

    title = "Stances over time"
    statements = ctx.statements
    if statements.empty or statements["date"].isna().all():
        return Section("shifts", title, "<p>No dated statement: no timeline.</p>")
    timeline, shifts = ctx.study.timeline, ctx.study.shifts
    ctx.write(timeline, "stance_timeline")
    ctx.write(shifts, "shifts")
    ctx.write(shift_evidence(statements, shifts), "shift_evidence")
    ids = [f"shift-{i + 1}" for i in range(len(shifts))]
    shown = shifts.assign(
        actor_id=shifts["actor"], target_id=shifts["target"],
        actor=shifts["actor"].map(lambda a: ctx.names.get(a, a)), target=shifts["target"].map(lambda t: ctx.labels.get(t, t)),
        periods=[period_name(a) if a == b else f"{period_name(a)} – {period_name(b)}"
                 for a, b in zip(shifts["first_period"], shifts["last_period"])],
        anchor=ids).rename(columns={"target": "proposal"})
    main = shown["status"].isin(_SHOWN_STATUSES).to_numpy()
    thin = ["actor", "proposal", "stance", "periods", "documents", "reason"]
    thin_ids = [i for i, m in zip(ids, main) if not m]
    counts = shifts["status"].value_counts()
    n_shift = int(counts.get("shift", 0) + counts.get("change in balance", 0))
    n_thin = int(counts.get("insufficient evidence", 0))
    rules = shifts.attrs
    undated = int(statements["date"].isna().sum())
    ranked = shown.assign(rank=shown["status"].map(STATUSES.index))[main].sort_values(
        ["rank", "documents"], ascending=[True, False], kind="stable")
    found = "".join(f'<li>{esc(r.finding)} <a href="#{esc(r.anchor)}">evidence</a></li>' for r in ranked.itertuples())
    body = f"""{_timeline_figures(ctx, timeline, shifts)}
<p class="small">{len(shifts)} actor–proposal series from {len(statements)} statements ({undated} undated, left out);
the unit is the document. A shift needs a split point with at least {rules['min_statements']} support/oppose statements
and {rules['min_documents']} documents on each side, and Fisher's exact test significant at {rules['alpha']} after Holm's
correction; a "new stance" (first statements on a proposal after statements on others) is never counted as a shift.</p>
<h3 id="shifts-table">Series with a finding</h3>
{f"<ul>{found}</ul>" if found else "<p>None.</p>"}
<h3 id="shifts-insufficient">Insufficient evidence ({n_thin} series)</h3>
{_reasons(shown.loc[~main], ctx.labels, ctx.study.proper_nouns) if (~main).any() else "<p>None.</p>"}"""
    appendix = f"""<h4>Series with a finding, with all their evidence</h4>
{_series_cards(shown[main], statements) if main.any() else "<p>None.</p>"}
<h4 id="shifts-insufficient-table">Series with insufficient evidence</h4>
{table_html(shown.loc[~main, thin], numeric=("documents",), ids=thin_ids) if (~main).any() else "<p>None.</p>"}
<p class="small">Tables: <a href="data/stance_timeline.csv">stance timeline</a>, <a href="data/shifts.csv">shifts</a>,
<a href="data/shift_evidence.csv">evidence behind each series</a>.</p>"""
    summary = Finding(f"Of {len(shifts)} actor–proposal series, {n_shift} show{'s' if n_shift == 1 else ''} a statistically significant change of "
                      f"stance and {n_thin} have too little evidence to say (one period, too few documents, or no "
                      f"split meeting the minimum-evidence rule).", "#shifts-table")
    findings = [summary] + [Finding(r.finding, f"#{r.anchor}") for r in ranked.head(_MAX_SHIFT_FINDINGS).itertuples()]
    return Section("shifts", title, body, findings, appendix)
