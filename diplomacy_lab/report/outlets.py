"""Brief sections comparing outlets: who covers what and whose voice is heard, and how each frames it.

Each section is one function of a :class:`~diplomacy_lab.report.sections.BriefContext` (see
:mod:`diplomacy_lab.report.sections`). Each chart's title states its finding; the brief lists
those titles as key findings, linked to the chart, flagged when outlets are single articles
(then they are facts about those articles, not about outlets). Tone intervals resample articles. A part whose data are too thin to chart
(the plot function refuses) is replaced by a note saying why, never dropped silently.
:func:`outlet_sections` returns the sections that apply (coverage needs a codebook).

>>> [f.__name__ for f in outlet_sections(None)]
['framing_section']
"""

from __future__ import annotations

from collections.abc import Callable

from diplomacy_lab.coverage.attention import coverage_matrix, plot_coverage_heatmap
from diplomacy_lab.coverage.voices import plot_voice_share, reported_speech, voice_share
from diplomacy_lab.framing.fighting_words import fighting_words, plot_fighting_words
from diplomacy_lab.framing.frames import frame_shares, plot_frame_shares
from diplomacy_lab.framing.naming import naming_variants, plot_naming_variants
from diplomacy_lab.framing.tone import group_tone, plot_tone
from diplomacy_lab.report.sections import BriefContext, Finding, Section, esc, figure_html
from diplomacy_lab.text.lexicons import shipped_lexicons

__all__ = ["coverage_by_outlet_section", "framing_section", "outlet_sections"]

_MIN_ARTICLES_FOR_WORDS = 5  # per outlet, before Fightin' Words compares two outlets


def outlet_sections(codebook=None) -> list[Callable]:
    """The outlet sections available: coverage by outlet (needs a codebook) and framing."""
    return ([coverage_by_outlet_section] if codebook is not None else []) + [framing_section]


def _chart(ctx: BriefContext, name: str, make: Callable, data: Callable, alt: str, caption: str) -> tuple[str, list[Finding]]:
    """Compute ``data()``, plot it with ``make(table)``, export; or a note when the data are too thin."""
    try:
        table = data()
        if table.empty:
            raise ValueError("no data for it in this corpus")
        fig = make(table)
        ctx.export(fig, name, table)
    except ValueError as exc:  # the plot functions refuse empty or unusable tables with a reason
        return f'<p class="small" id="fig-{name}">{esc(alt)}: not shown — {esc(exc)}</p>', []
    title = fig.texts[0].get_text().replace("\n", " ") if fig.texts else alt
    flag = "" if "one article per" in title else _single_articles(ctx)  # the title may say it already
    return figure_html(name, alt, caption), [Finding(title.rstrip(".") + flag + ".", f"#fig-{name}")]


def _single_articles(ctx: BriefContext) -> str:
    """A flag for outlet comparisons resting on outlets of one article: those are facts about single articles."""
    sizes = ctx.articles["outlet"].value_counts()
    single = int((sizes == 1).sum())
    if not single or len(sizes) < 2:
        return ""
    if single == len(sizes):
        return " (one article per outlet: facts about single articles, not outlets)"
    return f" ({single} of {len(sizes)} outlets are a single article)"


def _parts(ctx: BriefContext, specs) -> tuple[str, list[Finding]]:
    html, findings = [], []
    for spec in specs:
        part, found = _chart(ctx, *spec)
        html.append(part)
        findings += found
    return "\n".join(html), findings


def coverage_by_outlet_section(ctx: BriefContext) -> Section:
    """How much of each outlet's output mentions each actor and proposal, and whose speech it reports."""

    note = ctx.note + " Mentions found with the codebook."
    specs = [
        ("coverage_matrix", lambda t: plot_coverage_heatmap(t, source_note=note),
         lambda: coverage_matrix(ctx.articles, ctx.mentions, sentences=ctx.sentences, codebook=ctx.book),
         "Share of each outlet's articles mentioning each actor and proposal",
         "Share of each outlet's articles that mention each actor and proposal (count in the cell)."),
        ("voice_share", lambda t: plot_voice_share(t, source_note=note),
         lambda: voice_share(reported_speech(ctx.sentences, ctx.mentions), ctx.articles, voice="country", codebook=ctx.book),
         "Share of each outlet's reported speech by country of the speaker",
         "Whose voice is heard: each outlet's reported speech by the speaker's country."),
    ]
    body, findings = _parts(ctx, specs)
    return Section("outlet-coverage", "Who covers what, and whose voice is heard", body, findings)


def framing_section(ctx: BriefContext) -> Section:
    """Naming variants, policy frames, tone and (with enough text per outlet) distinctive words."""

    note = ctx.note
    specs = [
        ("frame_shares", lambda t: plot_frame_shares(t, source_note=note), lambda: frame_shares(ctx.articles, ctx.frames),
         "Policy frames per outlet", "Share of each outlet's sentences that evoke each frame (dictionary-based)."),
        ("tone", lambda t: plot_tone(t, source_note=note), lambda: group_tone(ctx.articles, interval="bootstrap"),
         "Tone per outlet", "Mean VADER compound score of each outlet's sentences; intervals resample articles "
         "(none for an outlet of one article)."),
    ]
    sizes = ctx.articles["outlet"].value_counts()
    pair = sorted(sizes[sizes >= _MIN_ARTICLES_FOR_WORDS].index[:2].tolist())
    if len(pair) == 2:
        chosen = ctx.articles[ctx.articles["outlet"].isin(pair)]
        specs.append(("fighting_words", lambda t: plot_fighting_words(t, group=pair[0], source_note=note),
                      lambda: fighting_words(chosen, by="outlet", groups=pair),
                      f"Words that set {pair[0]} apart from {pair[1]}",
                      f"Fightin' Words z-scores (Monroe et al. 2008): {pair[0]} vs {pair[1]}."))
    if ctx.naming is not None:
        specs.insert(0, ("naming_variants", lambda t: plot_naming_variants(t, source_note=note),
                         lambda: naming_variants(ctx.articles, ctx.naming),
                         "Naming variants per outlet", "Which name each outlet uses for the same thing (share of its mentions)."))
    body, findings = _parts(ctx, specs)
    if ctx.naming is None:
        body = ('<p class="small" id="fig-naming_variants">Naming variants are not shown: no naming lexicon was given '
                f"(naming choices are domain knowledge; shipped: {', '.join(shipped_lexicons('naming'))}; "
                "<code>--naming NAME|FILE</code> on the command line).</p>\n") + body
    if len(pair) < 2:
        body += (f'\n<p class="small">Distinctive words (Fightin\' Words) are not shown: they need two outlets with at '
                 f"least {_MIN_ARTICLES_FOR_WORDS} articles each; the largest has {int(sizes.max()) if len(sizes) else 0}.</p>")
    return Section("framing", "How outlets name and frame it", body, findings)
