"""Brief section: each actor's stance on each proposal, beside the same figure corrected for the extractor's
measured errors (:func:`diplomacy_lab.timeline.adjust.adjust_for_errors`).

``adjusted_section(ctx)`` is a section function for :func:`diplomacy_lab.report.brief.write_brief`. It
needs the gold statements the brief was given (``--gold``): their documents are scored, the confusion
matrix gives the error rates, and every actor–proposal pair of the stance matrix gets its support share
raw and adjusted, with a 95% interval that includes the uncertainty of the error rates. Without gold, or
with gold for other documents, it says so and shows no number. File: ``data/stance_matrix_adjusted.csv``.

>>> import tempfile
>>> from pathlib import Path
>>> from diplomacy_lab.study import Study
>>> from diplomacy_lab.report.sections import BriefContext
>>> ctx = BriefContext(Study.from_path("data/seed", codebook="data/codebooks/ukraine_2025.yaml"),
...                    Path(tempfile.mkdtemp()), "seed corpus", "Source: seed corpus.", gold="data/gold/seed_statements.csv")
>>> adjusted_section(ctx).findings[0].text.startswith("Corrected for the extractor's measured errors")
True
"""

from __future__ import annotations

import pandas as pd

from diplomacy_lab.report.sections import BriefContext, Finding, Section, table_html
from diplomacy_lab.statements.evaluation import evaluate_statements
from diplomacy_lab.statements.matrix import stance_matrix
from diplomacy_lab.timeline.adjust import adjust_for_errors

__all__ = ["adjusted_section"]


def _side(low: float, high: float) -> str:
    return "support" if low > 0.5 else "oppose" if high < 0.5 else "uncertain"


def adjusted_section(ctx: BriefContext) -> Section:
    """Stances raw and corrected for extraction errors, when a gold standard is given."""
    title = "Stances corrected for extraction errors"
    if ctx.gold is None:
        return Section("adjusted", title, "<p>No gold standard was given (<code>--gold</code>): the extractor's errors "
                                          "on this corpus are not measured, so no corrected figure is shown.</p>")
    gold = ctx.gold if isinstance(ctx.gold, pd.DataFrame) else pd.read_csv(ctx.gold)
    docs = sorted(set(gold["doc_id"].astype(str)) & set(ctx.articles["doc_id"].astype(str)))
    if not docs or ctx.documents.empty:
        return Section("adjusted", title, "<p>The gold standard covers none of these articles: no corrected figure.</p>")
    evaluation = evaluate_statements(ctx.statements, gold, documents=docs, stances=("support", "oppose"))
    adjusted = adjust_for_errors(stance_matrix(ctx.documents), evaluation, seed=0)
    ctx.write(adjusted, "stance_matrix_adjusted")
    counts = adjusted.attrs["error_counts"]
    raw_side = ["support" if s > 0.5 else "oppose" if s < 0.5 else "tied" for s in adjusted["share_raw"]]
    adj_side = [_side(lo, hi) for lo, hi in zip(adjusted["share_low"], adjusted["share_high"])]
    shown = pd.DataFrame({
        "actor": [ctx.names.get(a, a) for a in adjusted["actor"]],
        "proposal": [ctx.labels.get(t, t) for t in adjusted["target"]],
        "support": adjusted["support"], "oppose": adjusted["oppose"],
        "share raw": adjusted["share_raw"].round(2),
        "share corrected": [f"{m:.2f} ({lo:.2f}–{hi:.2f})" for m, lo, hi in
                            zip(adjusted["share_adj"], adjusted["share_low"], adjusted["share_high"])],
        "side after correction": adj_side,
    })
    n_uncertain = sum(s == "uncertain" for s in adj_side)
    n_clear_raw = sum(s != "tied" for s in raw_side)
    summary = evaluation["summary"].iloc[0]
    body = f"""<p class="small">Error rates from {len(docs)} hand-coded documents ({int(summary['tp'])} statements right,
{int(summary['fp'])} wrong or spurious, {int(summary['fn'])} missed, at document level): a true support is read as support
{counts.loc['support', 'support']} times, as oppose {counts.loc['support', 'oppose']}, missed {counts.loc['support', 'other']};
a true oppose as support {counts.loc['oppose', 'support']}, as oppose {counts.loc['oppose', 'oppose']}, missed
{counts.loc['oppose', 'other']}; spurious predictions: {counts.loc['other', 'support']} support, {counts.loc['other', 'oppose']}
oppose. The corrected support share and its 95% interval include the uncertainty of these rates (Bayesian correction;
the rates are assumed to hold for every actor and proposal). "Uncertain": the interval includes 0.5.</p>
<p class="small">The raw and corrected shares of every actor and proposal are in the appendix and in
<a href="data/stance_matrix_adjusted.csv">stance_matrix_adjusted.csv</a>.</p>"""
    appendix = f'<div id="adjusted-table">{table_html(shown, numeric=("support", "oppose", "share raw"))}</div>'
    finding = (f"Corrected for the extractor's measured errors, {n_uncertain} of {len(adjusted)} actor–proposal pairs "
               f"have no clear side (95% interval includes an even split), against {len(adjusted) - n_clear_raw} "
               f"tied in the raw counts.")
    return Section("adjusted", title, body, [Finding(finding, "#adjusted-table")], appendix=appendix)
