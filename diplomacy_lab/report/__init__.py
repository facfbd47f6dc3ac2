"""The brief: one self-contained HTML page with findings, figures and the data behind them.

Modules: ``brief`` (write_brief), ``sections`` (the sections, one function each), ``outlets``
(coverage and framing sections).
"""
