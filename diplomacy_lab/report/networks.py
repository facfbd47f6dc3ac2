"""Brief section: who stands with whom — the actors' discourse network and its polarisation.

``networks_section(ctx)`` is a section function for :func:`diplomacy_lab.report.brief.write_brief`
(``sections=[..., networks_section]``). It draws the actors' subtract network (agreement minus
disagreement on the codebook's proposals, each actor–proposal–stance counted once), lists the
strongest ties with the proposals they rest on, and gives the network's polarisation with a
bootstrap interval over documents. Files: ``figures/actor_network.*``, ``data/network_edges.csv``,
``data/network_polarisation.csv``.

>>> import tempfile
>>> from pathlib import Path
>>> from diplomacy_lab.study import Study
>>> from diplomacy_lab.report.sections import BriefContext
>>> ctx = BriefContext(Study.from_path("data/seed", codebook="data/codebooks/ukraine_2025.yaml"),
...                    Path(tempfile.mkdtemp()), "seed corpus", "Source: seed corpus.")
>>> section = networks_section(ctx)
>>> section.id, sorted(p.name for p in (ctx.out / "data").iterdir())
('networks', ['network_edges.csv', 'network_polarisation.csv'])
"""

from __future__ import annotations

import pandas as pd

from diplomacy_lab.networks.files import network_nodes
from diplomacy_lab.networks.onemode import actor_network
from diplomacy_lab.networks.plots import plot_network
from diplomacy_lab.networks.polarisation import network_polarisation
from diplomacy_lab.report.sections import BriefContext, Finding, Section, esc, figure_html, table_html

__all__ = ["networks_section"]

_TOP_TIES = 8
_N_BOOT = 200


def networks_section(ctx: BriefContext) -> Section:
    """Who stands with whom: the actors' subtract network, its strongest ties and its polarisation."""
    title = "Who stands with whom"
    statements = ctx.statements
    polar = statements[statements["stance"].isin(["support", "oppose"])] if len(statements) else statements
    if polar.empty or polar["actor"].nunique() < 2:
        return Section("networks", title, "<p>Fewer than two actors take a stance: no network.</p>")
    edges = actor_network(statements, "subtract")
    ctx.write(edges, "network_edges")
    pol = network_polarisation(statements, n_boot=_N_BOOT, seed=0)
    ctx.write(pol, "network_polarisation")
    note = ctx.note + " Statements extracted automatically."
    figure = ""
    if len(edges):
        fig = plot_network(edges, network_nodes(statements), labels=ctx.names, source_note=note)
        ctx.export(fig, "actor_network", edges)
        figure = figure_html("actor_network", "Network of actors linked by shared and opposite stances",
                             "Actors linked by the stances they share (green) or contradict (red) on the same proposal.")
    name = ctx.names.get
    label = ctx.labels.get
    top = edges.assign(_abs=edges["weight"].abs()).sort_values(["_abs", "source", "target"],
                                                               ascending=[False, True, True], kind="stable")
    top = top.head(_TOP_TIES)
    shown = pd.DataFrame({
        "actor": [name(a, a) for a in top["source"]], "with": [name(b, b) for b in top["target"]],
        "agree": top["congruence"].astype(int), "disagree": top["conflict"].astype(int),
        "on": ["; ".join(label(t, t) for t in s.split("; ")) for s in top["shared"]],
    })
    p = pol.iloc[0]
    interval = "" if pd.isna(p["low"]) else f" (95% bootstrap interval over documents {p['low']:.2f}–{p['high']:.2f})"
    camps = " versus ".join(", ".join(name(a.strip(), a.strip()) for a in camp.split(","))
                            for camp in str(p["camps"]).split(" | ") if camp.strip())
    body = f"""{figure}
<p class="small">Two actors are linked when they take the same stance (agree) or opposite stances (disagree) on the same
proposal; each actor–proposal–stance counts once, however often it is repeated (the Discourse Network Analyzer's
congruence and conflict networks, subtract method). {len(edges)} ties among {len(edges.attrs['nodes'])} actors from
{edges.attrs['counted']} distinct stances.</p>
<p class="small"><b>Polarisation</b> {p['polarisation']:.2f}{esc(interval)} on a 0–1 scale: the share of all
disagreement that runs between the best split into two camps, net of the agreement that crosses it (0: no
disagreement, or none that divides; 1: two camps that agree inside and disagree with each other). Best split:
{esc(camps) or "none"}. Tables: <a href="data/network_edges.csv">ties</a>,
<a href="data/network_polarisation.csv">polarisation</a>.</p>"""
    findings = []
    if len(top):
        first = top.iloc[0]
        verb = "agree" if first["weight"] > 0 else "disagree"
        on = "; ".join(label(t, t) for t in first["shared"].split("; "))
        findings.append(Finding(f"{name(first['source'], first['source'])} and {name(first['target'], first['target'])} "
                                f"{verb} most often (on {on}).", "#network-ties"))
    findings.append(Finding(f"Polarisation of the actor network: {p['polarisation']:.2f}{interval}; "
                            f"camps: {camps or 'none'}.", "#network-ties"))
    body += f'''\n<h3 id="network-ties">Strongest ties</h3>\n{table_html(shown, numeric=("agree", "disagree"))}'''
    # The whole section sits in the appendix (its findings stay among the key findings): the brief above the
    # appendix is what a reader with five minutes reads.
    return Section("networks", title, body, findings, in_appendix=True)
