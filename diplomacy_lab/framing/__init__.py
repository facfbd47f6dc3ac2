"""Framing: distinctive words, naming choices, frames and tone per outlet.

Modules: ``fighting_words`` (Monroe et al. 2008), ``keyness`` (chi2 and G2), ``naming``
(naming variants), ``frames`` (frame dictionaries), ``tone`` (VADER sentiment).
"""
