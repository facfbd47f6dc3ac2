"""Charts for briefs: the house style (palette, stance colours, title block) and export to PNG, SVG, PDF and CSV.

Modules: ``style``, ``export``, ``heatmap``, ``tables`` (every CSV the package writes, formula cells neutralised).
"""
