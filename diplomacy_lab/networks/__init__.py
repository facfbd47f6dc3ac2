"""Discourse networks from statements, after Leifeld's Discourse Network Analyzer (DNA).

Modules: ``array`` (the statement array and DNA's duplicate settings), ``onemode``
(congruence, conflict and subtract networks of actors or of targets, DNA's normalisations),
``twomode`` (actor x target), ``windows`` (moving time windows with kernel smoothing),
``polarisation`` (a 0-1 polarisation score with a bootstrap over documents), ``files``
(statements CSV in; edge list, graphml and DNA's event list out), ``plots`` (plot_network,
plot_polarisation).
"""
