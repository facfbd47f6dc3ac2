"""The brief: one self-contained HTML page with findings, figures and the data behind them.

Modules: ``brief`` (write_brief), ``sections`` (the sections, one function each), ``outlets``
(coverage and framing sections), ``networks`` (who stands with whom) and ``adjusted`` (stances corrected
for extraction errors), the last two for ``sections=``.
"""
