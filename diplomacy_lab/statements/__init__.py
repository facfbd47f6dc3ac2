"""Statements: who (actor) takes which stance on which proposal (target), with the evidence.

Modules: ``extract`` (extract_statements), ``holders`` (who holds a stance), ``cues`` (the
cue lexicon and CueStanceClassifier), ``classifier`` and ``features`` (the trainable
StanceClassifier), ``coding`` and ``evaluation`` (coding sheets and scores against gold),
``matrix`` (the actor x target stance matrix), ``dna`` (export for the Discourse Network Analyzer),
``narration`` (the outlet's own words vs the words it quotes or reports), ``scorer`` (the learned
StatementScorer), ``calibration`` (is a confidence calibrated: reliability table, expected
calibration error, reliability diagram; importable from here, on first use).

>>> from diplomacy_lab.statements import reliability_table
>>> reliability_table.__module__
'diplomacy_lab.statements.calibration'
"""

from __future__ import annotations

import importlib

#: Public name -> the module of this package that defines it (imported on first use: no matplotlib until then).
__all__ = ["brier_score", "expected_calibration_error", "plot_reliability", "reliability_table"]
_EXPORTS = dict.fromkeys(__all__, "calibration")


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'diplomacy_lab.statements' has no attribute {name!r}")
    return getattr(importlib.import_module(f"diplomacy_lab.statements.{module}"), name)
