"""Statements on corpora nobody tuned for: the rules alone and the learned scorer, leave-one-domain-out.

The development gold (``data/gold/dev``: blind-coded statements in several diplomacy domains of the
AllSides articles, each with its own codebook) is scored at document level (``doc_id, actor,
target, stance``). The rules (``extract_statements``) need no training; the scorer
(``StatementScorer`` over ``pair_table``) is trained on every domain but one and scored on that
one, for each domain in turn, at two thresholds chosen on out-of-fold predictions of the training
domains: the default (precision >= 0.8) and the best F1. Needs ``../shared/data``.

    .venv/bin/python benchmarks/statements_lodo.py            # or: make bench-statements-lodo
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from diplomacy_lab import extract_statements  # noqa: E402
from diplomacy_lab.benchmarks.dev_gold import (  # noqa: E402
    dev_domains,
    domain_pairs,
    leave_one_domain_out,
    load_domain,
    score_domains,
)
from diplomacy_lab.statements.scorer import StatementScorer  # noqa: E402

COLUMNS = ["domain", "articles", "gold", "tp", "fp", "fn", "precision", "precision_low", "precision_high",
           "recall", "recall_low", "recall_high", "f1"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domains", nargs="*", help="domains to use (default: all in data/gold/dev)")
    args = parser.parse_args(argv)
    names = args.domains or dev_domains()
    started = time.process_time()
    domains = [load_domain(n) for n in names]
    print(f"{len(domains)} domains: " + ", ".join(f"{d.name} ({len(d.articles)} articles, {len(d.gold)} gold)"
                                                   for d in domains))
    t0 = time.process_time()
    rules = score_domains(lambda d: extract_statements(d.articles, d.codebook), domains)
    rules_cpu = time.process_time() - t0
    t0 = time.process_time()
    pairs = {d.name: domain_pairs(d) for d in domains}
    pairs_cpu = time.process_time() - t0
    total = sum(len(d.articles) for d in domains)
    print(f"CPU: rules {rules_cpu:.1f} s ({total / rules_cpu:.0f} articles per CPU-second); pair table with "
          f"attributions {pairs_cpu:.1f} s ({total / pairs_cpu:.1f} articles per CPU-second)")
    results = {"rules alone": rules}
    for label, threshold in (("scorer, precision >= 0.8 threshold", 0.8), ("scorer, best-F1 threshold", None)):
        table, predicted = leave_one_domain_out(domains, lambda t=threshold: StatementScorer(min_precision=t), pairs)
        results[label] = table
        chosen = {n: round(float(p["threshold"].iloc[0]), 3) for n, p in predicted.items() if len(p)}
        print(f"{label}: thresholds chosen on the training domains {chosen}")
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 20)
    for label, table in results.items():
        print(f"\n{label} (document level, 95% Wilson intervals)")
        print(table[COLUMNS].to_string(index=False))
    print(f"\nwhole run: {time.process_time() - started:.0f} s CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
