"""Stances over time: each actor's stance on each proposal by period, and the shifts the evidence carries.

Modules: ``stances`` (stance_timeline and its chart), ``shifts`` (detect_shifts, shift_evidence), ``adjust``
(adjust_for_errors: shares and net stance corrected for the extractor's measured errors; suggest_coding).
"""
