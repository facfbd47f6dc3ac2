"""Would more development gold of the same kind lift the statement scorer? A learning curve across domains.

For each development domain held out in turn, the scorer (``StatementScorer`` over ``pair_table``)
is trained on *k* of the other domains (random draws; every other domain for the largest *k*) and
its ranking of the held-out domain's document-level candidates is read without a threshold
(``ranking_scores``): average precision, the best F1 of any cut, precision of the best 20, and how
often the stance ranked first for a gold actor-target pair is right. The rows average the held-out
domains and draws for each *k*; ``train_gold`` is the mean number of gold statements trained on.

If the measures climb steeply with *k*, more blind-coded domains are the way forward; if they
flatten, the features and the model are the limit. Needs ``../shared/data`` (the article texts).

    .venv/bin/python benchmarks/statements_learning_curve.py        # or: make bench-statements-curve
    .venv/bin/python benchmarks/statements_learning_curve.py --sizes 1 3 --draws 3 --seed 1
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from diplomacy_lab.benchmarks.dev_gold import dev_domains, domain_pairs, load_domain
from diplomacy_lab.statements.ranking import ranking_scores
from diplomacy_lab.statements.scorer import StatementScorer

MEASURES = ["average_precision", "best_f1", "precision_at_20", "stance_accuracy", "oppose_accuracy"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domains", nargs="*", help="domains to use (default: all in data/gold/dev)")
    parser.add_argument("--sizes", nargs="*", type=int, default=[1, 2, 4],
                        help="numbers of training domains to draw (every other domain is always added)")
    parser.add_argument("--draws", type=int, default=2, help="random draws per held-out domain and size (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the draws (default 0)")
    args = parser.parse_args(argv)
    if args.draws < 1:
        parser.error("--draws must be at least 1")
    started = time.process_time()
    domains = [load_domain(n) for n in (args.domains or dev_domains())]
    if len(domains) < 2:
        parser.error("a learning curve needs at least two domains")
    sizes = sorted({k for k in args.sizes if 1 <= k < len(domains) - 1} | {len(domains) - 1})
    pairs = {d.name: domain_pairs(d) for d in domains}
    print(f"{len(domains)} domains, training sizes {sizes}, {args.draws} draws each (one for {len(domains) - 1})",
          flush=True)
    rng = np.random.default_rng(args.seed)
    rows = []
    for held in domains:
        others = [d.name for d in domains if d.name != held.name]
        gold = held.gold.assign(domain=held.name)
        for k in sizes:
            for draw in range(1 if k == len(others) else args.draws):
                picked = sorted(rng.choice(others, size=k, replace=False))
                train = pd.concat([pairs[n] for n in picked], ignore_index=True)
                if not set(train["label"]) & {"support", "oppose"}:
                    continue  # nothing to learn from this draw
                scorer = StatementScorer(threshold=0.0).fit(train, train["label"].to_numpy())
                ranked = scorer.statements(pairs[held.name]).assign(domain=held.name)
                score = ranking_scores(ranked, gold).iloc[0]
                rows.append({"held_out": held.name, "k": k, "draw": draw,
                             "train_gold": sum(len(d.gold) for d in domains if d.name in picked),
                             **{m: score[m] for m in MEASURES}})
        print(f"  {held.name}: done ({time.process_time() - started:.0f} s CPU)", flush=True)
    table = pd.DataFrame(rows)
    curve = table.groupby("k").agg(runs=("draw", "size"), train_gold=("train_gold", "mean"),
                                   **{m: (m, "mean") for m in MEASURES}).reset_index()
    print("\nthe held-out ranking by number of training domains (means over held-out domains and draws)")
    print(curve.round(3).to_string(index=False))
    spread = table.groupby("k")["best_f1"].agg(["min", "max"]).round(3)
    print("\nbest F1, lowest and highest run per k\n" + spread.to_string())
    print(f"\nwhole run: {time.process_time() - started:.0f} s CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
