"""Uncertainty for proportions from small counts: Wilson score intervals.

>>> wilson_interval(38, 40)
(0.835, 0.9862)
>>> with_intervals(pd.DataFrame({"tp": [38], "fp": [2], "fn": [14]}))[["precision", "precision_low", "recall_high"]]
   precision  precision_low  recall_high
0       0.95          0.835       0.8323
"""

from __future__ import annotations

import pandas as pd
from scipy.stats import binomtest


def wilson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of the proportion ``k / n`` (rounded to 4 places); (nan, nan) when n = 0."""
    if n == 0:
        return float("nan"), float("nan")
    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=confidence, method="wilson")
    return round(float(ci.low), 4), round(float(ci.high), 4)


def with_intervals(table: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Add ``precision``/``recall`` with ``_low``/``_high`` Wilson bounds to a table of ``tp, fp, fn`` counts."""
    out = table.copy()
    for name, denominator in (("precision", out["tp"] + out["fp"]), ("recall", out["tp"] + out["fn"])):
        bounds = [wilson_interval(k, n, confidence) for k, n in zip(out["tp"], denominator)]
        out[name] = [round(k / n, 4) if n else float("nan") for k, n in zip(out["tp"], denominator)]
        out[f"{name}_low"] = [b[0] for b in bounds]
        out[f"{name}_high"] = [b[1] for b in bounds]
    return out
