"""Reading and exploring: the evidence browser, a widget to filter statements, read their evidence and
correct them into a coding sheet (presentation code, at the level of the brief)."""
