"""The evidence browser: filter statements, read each one's evidence in its article, correct it into a coding sheet.

``browse(study)`` (or ``browse(statements, articles, codebook=...)``) returns a widget for JupyterLab:

* filters by outlet, actor, target, stance, coding status, date range (months; a statement's date
  counts at its precision) and minimum confidence;
* the stance matrix and the timeline as grids: a click on a cell (an actor and a proposal) or on a
  point (a series in one period) filters the browser to its statements;
* each statement with its evidence sentence, the actor, target and cue marked, and the article
  around it (Context); Accept / Reject / Change stance write the decision to the coding sheet at once
  (:class:`~diplomacy_lab.explore.corrections.CodingSession`), which
  :func:`~diplomacy_lab.statements.coding.read_coding_sheet` reads back as gold.

Everything the buttons do is also a method, so a notebook (or a test) can drive it::

    >>> from diplomacy_lab import Study
    >>> from diplomacy_lab.paths import data_dir
    >>> study = Study.from_path(data_dir() / "seed", codebook=data_dir() / "codebooks" / "ukraine_2025.yaml")
    >>> browser = browse(study)
    >>> browser.select(actor="meloni", target="troops_to_ukraine")
    >>> len(browser.rows), browser.rows["stance"].unique().tolist()
    (8, ['oppose'])
    >>> browser.matrix.buttons[("macron", "dialogue_with_russia")].click()   # a cell of the matrix
    >>> browser.selection.describe()
    'actor = macron, target = dialogue_with_russia'
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

import ipywidgets as w
import pandas as pd
from ipywidgets.widgets.widget_string import HTMLStyle

from diplomacy_lab.charts.style import STANCE_COLORS
from diplomacy_lab.codebook.mentions import find_mentions
from diplomacy_lab.codebook.schema import Codebook, load_codebook
from diplomacy_lab.explore.corrections import CodingSession
from diplomacy_lab.explore.grids import matrix_grid, period_bounds, timeline_grid
from diplomacy_lab.explore.highlight import MARK_STYLES, article_context, highlight_evidence
from diplomacy_lab.explore.selection import Selection, select_statements
from diplomacy_lab.loading.dates import format_date
from diplomacy_lab.statements.coding import statement_ids
from diplomacy_lab.study import Study

__all__ = ["EvidenceBrowser", "browse"]

_ALL = ""
_VERBS = {"support": "supports", "oppose": "opposes", "neutral": "mentions"}
_BADGES = {"accepted": "#009E73", "rejected": "#D55E00"}


def _months(dates: pd.Series) -> list[tuple[str, pd.Timestamp]]:
    dates = pd.to_datetime(dates).dropna()
    if dates.empty:
        return []
    months = pd.period_range(dates.min().to_period("M"), dates.max().to_period("M"), freq="M")
    return [(m.strftime("%b %Y"), m.start_time) for m in months]


class _Row:
    """One statement on the page: its text and evidence, and the buttons that code it."""

    def __init__(self, browser: EvidenceBrowser) -> None:
        self.browser, self.statement_id = browser, None
        narrow, wide = browser.shared["narrow"], browser.shared["wide"]  # one layout model for all rows
        self.text = w.HTML(layout=wide, style=browser.shared["html"])
        self.context = w.HTML(style=browser.shared["html"])
        self.accept = w.Button(description="Accept", button_style="success", tooltip="The predicted stance is right",
                               layout=narrow)
        self.reject = w.Button(description="Reject", button_style="danger", tooltip="Not a statement: wrong actor, "
                               "target or no stance", layout=narrow)
        self.change = w.Dropdown(options=[("Change stance…", _ALL)] + [(f"→ {s}", s) for s in STANCE_COLORS],
                                 layout=narrow)
        self.show = w.ToggleButton(description="Context", tooltip="The article around this sentence", layout=narrow)
        for widget, css in ((self.accept, "dl-accept"), (self.reject, "dl-reject"), (self.change, "dl-change"),
                            (self.show, "dl-context")):
            widget.add_class(css)
        self.accept.on_click(lambda _: self.browser.accept(self.statement_id))
        self.reject.on_click(lambda _: self.browser.reject(self.statement_id))
        self.change.observe(self._on_change, names="value")
        self.show.observe(lambda _: self.render(), names="value")
        self.box = w.VBox([w.HBox([self.text, w.VBox([self.accept, self.reject, self.change, self.show])],
                                  layout=browser.shared["full"]), self.context],
                          layout=w.Layout(border_bottom="1px solid #DDDDDD", padding="4px 0"))  # own: hidden when empty
        self.box.add_class("dl-row")

    def _on_change(self, change) -> None:
        if change["new"]:
            self.browser.change(self.statement_id, change["new"])
            self.change.value = _ALL

    def bind(self, statement_id: str | None) -> None:
        self.statement_id = statement_id
        self.show.value = False
        self.box.layout.display = None if statement_id else "none"
        self.render()

    def render(self) -> None:
        if not self.statement_id:
            self.text.value, self.context.value = "", ""
            return
        self.text.value = self.browser.row_html(self.statement_id)
        self.context.value = self.browser.context_html(self.statement_id) if self.show.value else ""


class EvidenceBrowser(w.VBox):
    """The widget :func:`browse` returns; see the module documentation. ``rows`` is the filtered table,
    ``views`` the rows on the page (each with ``accept``, ``reject``, ``change``, ``show`` widgets),
    ``session`` the coding sheet, ``matrix`` and ``timeline`` the clickable grids."""

    def __init__(self, statements: pd.DataFrame, articles: pd.DataFrame | None = None, *,
                 mentions: pd.DataFrame | None = None, sheet: str | os.PathLike | None = None,
                 names: dict | None = None, labels: dict | None = None, page_size: int = 8) -> None:
        if not isinstance(page_size, int) or page_size < 1:
            raise ValueError(f"page_size must be a positive integer, got {page_size!r}")
        self.statements = statements.reset_index(drop=True)
        self.ids = statement_ids(self.statements)
        self.by_id = self.statements.set_index(self.ids)
        self.texts = {} if articles is None else dict(zip(articles["doc_id"].astype(str), articles["text"]))
        self.mentions, self.names, self.labels = mentions, names or {}, labels or {}
        self.session = CodingSession(self.statements, sheet)
        self.page_size, self.page, self._hold = page_size, 0, False
        self.rows = self.statements

        def choices(column: str, everything: str, words: dict) -> w.Dropdown:
            values = sorted(self.statements[column].dropna().astype(str).unique()) if column in self.statements else []
            box = w.Dropdown(options=[(everything, _ALL)] + [(words.get(v, v), v) for v in values],
                             layout=w.Layout(width="32%"))
            box.add_class(f"dl-filter-{column}")
            return box

        self.filters = {"outlet": choices("outlet", "All outlets", {}), "actor": choices("actor", "All actors", self.names),
                        "target": choices("target", "All proposals", self.labels),
                        "stance": choices("stance", "All stances", {}),
                        "coded": w.Dropdown(options=[("Coded or not", _ALL), ("Not yet coded", "no"), ("Coded", "yes")],
                                            layout=w.Layout(width="32%"))}
        months = _months(self.statements["date"]) if "date" in self.statements else []
        self.months = w.SelectionRangeSlider(options=months or [("undated", pd.NaT)], index=(0, max(len(months) - 1, 0)),
                                             description="Months", disabled=not months, continuous_update=False,
                                             layout=w.Layout(width="60%"))
        self.confidence = w.FloatSlider(value=0.0, min=0.0, max=1.0, step=0.05, description="Confidence ≥",
                                        continuous_update=False, layout=w.Layout(width="38%"),
                                        style={"description_width": "initial"})
        reset = w.Button(description="Show all", tooltip="Clear every filter", layout=w.Layout(width="120px"))
        reset.on_click(lambda _: self.select())
        for widget in (*self.filters.values(), self.months, self.confidence):
            widget.observe(self._on_filter, names="value")
        self.count, self.status = w.HTML(), w.HTML()
        self.count.add_class("dl-count")
        self.shared = {"narrow": w.Layout(width="150px"), "wide": w.Layout(flex="1 1 0%", min_width="0"),
                       "full": w.Layout(width="100%"),
                       "html": HTMLStyle()}
        self.views = [_Row(self) for _ in range(page_size)]
        self.previous, self.next = w.Button(description="◀ Previous"), w.Button(description="Next ▶")
        self.previous.on_click(lambda _: self.turn(-1))
        self.next.on_click(lambda _: self.turn(+1))
        self.matrix = matrix_grid(self.statements, self._from_matrix, self.names, self.labels)
        self.timeline = timeline_grid(self.statements, self._from_timeline, self.names, self.labels)
        overview = w.Accordion(children=[self.matrix, self.timeline], titles=(
            "Stance matrix: click a cell for its statements", "Timeline: click a point for its statements"))
        legend = " ".join(f'<mark style="{MARK_STYLES[k]}">{k}</mark>' for k in MARK_STYLES)
        super().__init__(children=[
            w.HTML(f"<b>Evidence browser</b> — {len(self.statements)} statements. Marks: {legend}."),
            w.HBox([self.filters["outlet"], self.filters["actor"], self.filters["target"]]),
            w.HBox([self.filters["stance"], self.filters["coded"], reset]),
            w.HBox([self.months, self.confidence]), overview, self.count,
            w.VBox([v.box for v in self.views]), w.HBox([self.previous, self.next]), self.status])
        self.add_class("dl-browser")
        self.refresh()

    def __repr__(self) -> str:
        shown = f"{len(self.rows)} of {len(self.statements)} statements shown ({self.selection.describe()})"
        if self.session.path is None:
            return f"EvidenceBrowser({shown}; corrections in memory)"
        try:
            where = os.path.relpath(self.session.path)
        except ValueError:  # another drive
            where = str(self.session.path)
        return f"EvidenceBrowser({shown}; coding sheet {Path(where).as_posix()})"

    # -- filters -----------------------------------------------------------------------------------------

    @property
    def selection(self) -> Selection:
        """The filter state the widgets show."""
        values = {k: (v.value or None) for k, v in self.filters.items() if k != "coded"}
        coded = {"": None, "yes": True, "no": False}[self.filters["coded"].value]
        start = end = None
        options = self.months.options
        if not self.months.disabled and self.months.index != (0, len(options) - 1):
            start = options[self.months.index[0]][1]
            end = options[self.months.index[1]][1] + pd.offsets.MonthEnd(0)
        return Selection(**values, start=start, end=end, min_confidence=float(self.confidence.value), coded=coded)

    def select(self, **filters) -> None:
        """Clear every filter, then set ``filters`` (as in :class:`~diplomacy_lab.explore.selection.Selection`;
        ``start``/``end`` are rounded out to whole months)."""
        unknown = sorted(set(filters) - {"outlet", "actor", "target", "stance", "coded", "start", "end", "min_confidence"})
        if unknown:
            raise TypeError(f"unknown filter(s) {unknown}")
        self._hold = True
        try:
            for name, box in self.filters.items():
                value = filters.get(name)
                value = {True: "yes", False: "no"}.get(value, value) if name == "coded" else value
                allowed = [v for _, v in box.options]
                if value is not None and value not in allowed:
                    raise ValueError(f"{name} {value!r} is not in these statements; choose from {allowed[1:]}")
                box.value = _ALL if value is None else value
            self.confidence.value = float(filters.get("min_confidence", 0.0))
            self.months.index = self._month_index(filters.get("start"), filters.get("end"))
        finally:
            self._hold = False
        self.refresh()

    def _month_index(self, start, end) -> tuple[int, int]:
        if self.months.disabled:
            return (0, 0)
        starts = [m for _, m in self.months.options]
        first = 0 if start is None else max(0, sum(m <= pd.Timestamp(start) for m in starts) - 1)
        last = len(starts) - 1 if end is None else max(first, sum(m <= pd.Timestamp(end) for m in starts) - 1)
        return first, last

    def _from_matrix(self, actor: str, target: str) -> None:
        self.select(actor=actor, target=target)

    def _from_timeline(self, actor: str, target: str, period: str) -> None:
        start, end = period_bounds(period)
        self.select(actor=actor, target=target, start=start, end=end)

    def _on_filter(self, _change) -> None:
        if not self._hold:
            self.refresh()

    def refresh(self) -> None:
        """Apply the filters and show the first page."""
        coded = set(self.session.decisions()["statement_id"])
        self.rows = select_statements(self.statements, self.selection, coded_ids=coded)
        self.page = 0
        self._show_page()

    # -- pages and rows --------------------------------------------------------------------------------

    @property
    def shown(self) -> pd.DataFrame:
        """The statements on the current page."""
        return self.rows.iloc[self.page * self.page_size:(self.page + 1) * self.page_size]

    def turn(self, step: int) -> None:
        """Go ``step`` pages forward (or back), within the pages there are."""
        pages = max(1, -(-len(self.rows) // self.page_size))
        self.page = min(max(self.page + step, 0), pages - 1)
        self._show_page()

    def _show_page(self) -> None:
        ids = self.ids[self.shown.index].tolist()
        for i, view in enumerate(self.views):
            view.bind(ids[i] if i < len(ids) else None)
        first = self.page * self.page_size
        self.count.value = (f"<b>{len(self.rows)}</b> of {len(self.statements)} statements "
                            f"({escape(self.selection.describe())})" +
                            (f"; rows {first + 1}–{first + len(ids)}" if ids else "; none matches these filters"))
        self.previous.disabled, self.next.disabled = self.page == 0, first + len(ids) >= len(self.rows)

    def row_html(self, statement_id: str) -> str:
        """One statement as HTML: where and when, who takes which stance on what, its status, the evidence marked."""
        row = self.by_id.loc[statement_id].to_dict() | {"doc_id": statement_id.split(":")[0]}
        when = format_date(row.get("date"), row.get("date_precision")) or "undated"
        confidence = row.get("confidence")
        meta = " · ".join(str(x) for x in (row.get("outlet"), when, f"{row['doc_id']}, sentence {row.get('sent_id')}",
                                            f"confidence {confidence:.2f}" if pd.notna(confidence) else None) if x)
        stance = str(row.get("stance"))
        status = self.session.status(statement_id)
        badge = (f' <span class="dl-status" style="color:white;background:{_BADGES.get(status, "#0072B2")};'
                 f'padding:0 6px;border-radius:8px">{escape(status)}</span>') if status else ""
        who, what = self.names.get(row["actor"], row["actor"]), self.labels.get(row["target"], row["target"])
        return (f'<div class="dl-statement" data-statement-id="{escape(statement_id)}" style="line-height:1.4">'
                f'<span style="color:#555;font-size:12px">{escape(meta)}</span><br>'
                f'<b>{escape(str(who))}</b> <span style="color:{STANCE_COLORS.get(stance, "#222")};font-weight:600">'
                f'{_VERBS.get(stance, stance)}</span> <b>{escape(str(what))}</b>{badge}<br>'
                f'<span style="font-size:14px">{highlight_evidence(row, self.mentions)}</span></div>')

    def context_html(self, statement_id: str) -> str:
        """The article around the statement's sentence, or why it cannot be shown."""
        row = self.by_id.loc[statement_id]
        text = self.texts.get(statement_id.split(":")[0])
        if text is None or pd.isna(row.get("start")):
            return "<i>No article text: pass the articles to browse() to read the sentence in context.</i>"
        marked = highlight_evidence(row.to_dict() | {"doc_id": statement_id.split(":")[0]}, self.mentions)
        body = article_context(text, int(row["start"]), int(row["end"]), marked=marked)
        return f'<div class="dl-kwic" style="background:#F7F7F7;padding:6px 10px;font-size:13px">{body}</div>'

    # -- coding ------------------------------------------------------------------------------------------

    def _decided(self, statement_id: str, what: str) -> None:
        for view in self.views:
            if view.statement_id == statement_id:
                view.render()
        where = self.session.path.name if self.session.path else "memory (call browser.session.save(path))"
        self.status.value = f"{escape(statement_id)}: {escape(what)} — written to {escape(where)}."

    def accept(self, statement_id: str) -> None:
        """Keep the predicted stance as gold and write the sheet."""
        self.session.accept(statement_id)
        self._decided(statement_id, "accepted")

    def reject(self, statement_id: str) -> None:
        """Mark the row as not a statement (``none``) and write the sheet."""
        self.session.reject(statement_id)
        self._decided(statement_id, "rejected")

    def change(self, statement_id: str, stance: str) -> None:
        """Set another stance as gold and write the sheet."""
        self.session.change(statement_id, stance)
        self._decided(statement_id, f"changed to {stance}")


def browse(statements, articles: pd.DataFrame | None = None, *, codebook=None, mentions: pd.DataFrame | None = None,
           sheet: str | os.PathLike | None = None, page_size: int = 8) -> EvidenceBrowser:
    """The evidence browser of ``statements`` (a statements table, or a :class:`~diplomacy_lab.study.Study`,
    which brings its articles, mentions, names and labels).

    ``articles``: for the Context view. ``codebook`` (path or Codebook): names and labels, and the actor and
    target marks (its mentions are searched in the evidence sentences when ``mentions`` is not given).
    ``sheet``: the coding sheet CSV to write decisions to (continued if it exists); None keeps them in
    memory (``browser.session``). ``page_size``: statements per page.
    """
    names = labels = None
    if isinstance(statements, Study):
        study = statements
        statements, articles = study.statements, study.articles if articles is None else articles
        codebook, mentions = study.codebook, study.mentions if mentions is None else mentions
    if not isinstance(statements, pd.DataFrame):
        raise TypeError(f"browse() needs a statements table or a Study, got {type(statements).__name__}")
    if codebook is not None:
        book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
        names = {a.id: a.name for a in book.actors.values()}
        labels = {t.id: t.label for t in book.targets.values()}
        if mentions is None and len(statements) and {"sent_id", "start", "evidence"} <= set(statements.columns):
            sents = statements[["doc_id", "sent_id", "start", "evidence"]].drop_duplicates(["doc_id", "sent_id"])
            mentions = find_mentions(sents.rename(columns={"evidence": "text"}), book, dates=statements)
    return EvidenceBrowser(statements, articles, mentions=mentions, sheet=sheet, names=names, labels=labels,
                           page_size=page_size)
