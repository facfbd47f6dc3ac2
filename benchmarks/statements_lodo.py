"""Statements on corpora nobody tuned for: the rules alone and the learned scorer, leave-one-domain-out.

The development gold (``data/gold/dev``: blind-coded statements in several diplomacy domains of the
AllSides articles, each with its own codebook) is scored at document level (``doc_id, actor,
target, stance``). The rules (``extract_statements``) need no training; the scorer
(``StatementScorer`` over ``pair_table``) is trained on every domain but one and scored on that
one, for each domain in turn, at two thresholds chosen on out-of-fold predictions of the training
domains: the default (precision >= 0.8) and the best F1. Needs ``../shared/data``.

Is the scorer's ``confidence`` calibrated on a domain it never saw? Every held-out document-level
candidate (``doc_id, actor, target, stance, confidence``, whatever its confidence; ``kept`` when it
clears the threshold) is marked ``correct`` against the held-out domain's gold, and the reliability
table and expected calibration error are printed, pooled over the held-out domains, for all
candidates and for the kept statements. ``--predictions`` writes them (CSV, no article text),
``--figure`` the reliability diagram (PNG, with the table as CSV beside it);
``--from-predictions`` reports from such a CSV without training anything.

How good is the ranking, whatever the threshold? From the same held-out candidates and the gold
statements (``data/gold/dev``, in the repository): average precision, precision of the best 20 and
50 candidates and the share of gold statements among the candidates, per domain; and what the 250
most confident candidates are (correct, the other stance of a gold statement, no statement).

    .venv/bin/python benchmarks/statements_lodo.py            # or: make bench-statements-lodo
    .venv/bin/python benchmarks/statements_lodo.py --predictions docs/figures/lodo_predictions.csv \\
        --figure docs/figures/scorer_reliability.png
    .venv/bin/python benchmarks/statements_lodo.py --from-predictions docs/figures/lodo_predictions.csv
    .venv/bin/python benchmarks/statements_lodo.py --codebooks data/codebooks/dev_v1   # the first codebooks (no v2 keys)
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
    held_out_predictions,
    leave_one_domain_out,
    load_domain,
    score_domains,
)
from diplomacy_lab.charts.export import export_figure  # noqa: E402
from diplomacy_lab.charts.tables import write_csv  # noqa: E402
from diplomacy_lab.paths import data_dir  # noqa: E402
from diplomacy_lab.statements.calibration import (  # noqa: E402
    brier_score,
    expected_calibration_error,
    plot_reliability,
    reliability_table,
)
from diplomacy_lab.statements.ranking import ranking_scores, top_errors  # noqa: E402
from diplomacy_lab.statements.scorer import StatementScorer  # noqa: E402

COLUMNS = ["domain", "articles", "gold", "tp", "fp", "fn", "precision", "precision_low", "precision_high",
           "recall", "recall_low", "recall_high", "f1"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domains", nargs="*", help="domains to use (default: all in data/gold/dev)")
    parser.add_argument("--codebooks", type=Path, metavar="DIR",
                        help="folder of the dev_DOMAIN.yaml codebooks (default data/codebooks; e.g. "
                             "data/codebooks/dev_v1)")
    parser.add_argument("--predictions", type=Path, help="write the held-out predictions here (CSV)")
    parser.add_argument("--figure", type=Path, help="write the reliability diagram here (PNG; its table as CSV beside)")
    parser.add_argument("--from-predictions", type=Path, metavar="CSV",
                        help="report calibration from held-out predictions written earlier; train nothing")
    parser.add_argument("--bins", type=int, default=10, help="bins of the reliability table (default 10)")
    args = parser.parse_args(argv)
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 20)
    if args.from_predictions:
        held_out = pd.read_csv(args.from_predictions, dtype={"doc_id": str})
        report_calibration(held_out, args.bins, args.figure)
        report_ranking(held_out)
        return 0
    names = args.domains or dev_domains()
    started = time.process_time()
    domains = [load_domain(n, codebooks=args.codebooks) for n in names]
    print(f"codebooks: {args.codebooks or data_dir() / 'codebooks'}")
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
        # the default run keeps every held-out candidate (scores count the kept ones): the reliability diagram
        table, predicted = leave_one_domain_out(domains, lambda t=threshold: StatementScorer(min_precision=t), pairs,
                                                candidates=threshold == 0.8)
        results[label] = table
        chosen = {n: round(float(p["threshold"].iloc[0]), 3) for n, p in predicted.items() if len(p)}
        print(f"{label}: thresholds chosen on the training domains {chosen}")
        if threshold == 0.8:
            held_out = held_out_predictions(domains, predicted)
    for label, table in results.items():
        print(f"\n{label} (document level, 95% Wilson intervals)")
        print(table[COLUMNS].to_string(index=False))
    if args.predictions:
        write_csv(held_out.round({"confidence": 6, "threshold": 6}), args.predictions)
        print(f"\nheld-out predictions: {args.predictions} ({len(held_out):,} rows)")
    report_calibration(held_out, args.bins, args.figure)
    report_ranking(held_out)
    print(f"\nwhole run: {time.process_time() - started:.0f} s CPU")
    return 0


def report_calibration(held_out: pd.DataFrame, bins: int = 10, figure: Path | None = None) -> None:
    """Print the reliability tables and calibration errors of the held-out predictions (all candidates,
    uniform and quantile bins; the kept statements; each domain) and write the diagram of all candidates."""
    held_out = held_out.astype({"kept": bool, "correct": bool})
    kept = held_out[held_out["kept"]]
    columns = ["bin", "lower", "upper", "n", "correct", "mean_confidence", "observed", "observed_low", "observed_high"]
    views = [("all held-out candidates", held_out, "uniform"), ("all held-out candidates", held_out, "quantile"),
             ("kept statements (confidence >= the fold's precision >= 0.8 threshold)", kept, "quantile")]
    for label, frame, strategy in views:
        if frame.empty:
            continue
        table = reliability_table(frame["confidence"], frame["correct"], bins=bins, strategy=strategy)
        print(f"\nreliability, {label}, pooled over the held-out domains ({len(frame):,}; {strategy} bins, "
              f"95% Wilson intervals): ECE {expected_calibration_error(table):.4f}, "
              f"Brier {brier_score(frame['confidence'], frame['correct']):.4f}")
        print(table[columns].round(4).to_string(index=False))
    rows = []
    for domain, frame in held_out.groupby("domain", sort=True):
        table = reliability_table(frame["confidence"], frame["correct"], bins=bins, strategy="uniform")
        part = kept[kept["domain"] == domain]
        rows.append({"domain": domain, "candidates": len(frame), "correct": int(frame["correct"].sum()),
                     "mean_confidence": frame["confidence"].mean(), "ece": expected_calibration_error(table),
                     "brier": brier_score(frame["confidence"], frame["correct"]), "kept": len(part),
                     "kept_mean_confidence": part["confidence"].mean() if len(part) else float("nan"),
                     "kept_precision": part["correct"].mean() if len(part) else float("nan")})
    print(f"\nper held-out domain (all candidates, {bins} uniform bins; kept: at the fold's threshold)")
    print(pd.DataFrame(rows).round(4).to_string(index=False))
    if figure:
        table = reliability_table(held_out["confidence"], held_out["correct"], bins=bins, strategy="uniform")
        fig = plot_reliability(table, source_note=f"Source: development gold, {held_out['domain'].nunique()} "
                               "domains of AllSides articles (Baly et al. 2020), each scored by a scorer trained "
                               "on the others.")
        paths = export_figure(fig, figure.parent, figure.stem, table[columns], formats=("png",))
        print(f"\nreliability diagram: {paths['png']} (table: {paths['csv']})")


def report_ranking(held_out: pd.DataFrame, top: int = 250) -> None:
    """Print the threshold-free measures of the held-out ranking and what its ``top`` candidates are."""
    files = {name: data_dir() / "gold" / "dev" / f"{name}_statements.csv" for name in sorted(held_out["domain"].unique())}
    missing = sorted(name for name, path in files.items() if not path.is_file())
    if missing:
        print(f"\nno ranking measures: no gold in {data_dir() / 'gold' / 'dev'} for {', '.join(missing)}")
        return
    gold = pd.concat([pd.read_csv(path, dtype=str, keep_default_na=False).assign(domain=name)
                      for name, path in files.items()], ignore_index=True)
    print("\nthe held-out ranking, whatever the threshold (average precision over the gold statements; "
          "gold_in_candidates: the ranking's whole recall)")
    print(ranking_scores(held_out, gold).round(3).to_string(index=False))
    best = top_errors(held_out, gold, k=top)
    print(f"\nthe {len(best)} most confident held-out candidates, pooled: "
          + ", ".join(f"{o} {n}" for o, n in best["outcome"].value_counts().items())
          + "; by stance: " + ", ".join(f"{s} {n}" for s, n in best["stance"].value_counts().items()))


if __name__ == "__main__":
    raise SystemExit(main())
