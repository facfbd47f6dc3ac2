"""Train the shipped statement scorer on the development gold (every domain in data/gold/dev) and the seed gold.

    .venv/bin/python benchmarks/train_statement_scorer.py        # or: make train-statement-scorer

Writes ``diplomacy_lab/resources/models/statement_scorer.skops`` and its provenance JSON. Needs
``../shared/data`` (the AllSides articles). The threshold is the best out-of-fold F1 over the training
domains (folds leave whole domains out).
"""

from __future__ import annotations

import datetime
import time

import pandas as pd

from diplomacy_lab import load_codebook, load_corpus
from diplomacy_lab.benchmarks.dev_gold import dev_domains, domain_pairs, load_domain
from diplomacy_lab.paths import data_dir, resource_path
from diplomacy_lab.statements.scorer import StatementScorer, pair_labels, pair_table
from diplomacy_lab.statements.scorer_model import SHIPPED, save_scorer


def main() -> int:
    started = time.process_time()
    tables = [domain_pairs(load_domain(name)) for name in dev_domains()]
    seed = load_corpus(data_dir() / "seed")
    gold = pd.read_csv(data_dir() / "gold" / "seed_statements.csv", keep_default_na=False)
    pairs = pair_table(seed, load_codebook(data_dir() / "codebooks" / "ukraine_2025.yaml"))
    tables.append(pairs.assign(label=pair_labels(pairs, gold), domain="seed"))
    train = pd.concat(tables, ignore_index=True)
    scorer = StatementScorer(min_precision=None).fit(train, train["label"].to_numpy(), groups=train["domain"].to_numpy())
    counts = train.groupby("domain")["label"].value_counts().unstack(fill_value=0)
    provenance = {
        "trained_on": {d: {k: int(v) for k, v in row.items()} for d, row in counts.iterrows()},
        "threshold": round(scorer.threshold_, 4), "params": scorer.get_params(),
        "features": scorer.feature_names_, "date": datetime.date.today().isoformat(),
        "evaluation": "docs/generalisation.md (leave-one-domain-out: make bench-statements-lodo)",
    }
    path = save_scorer(scorer, resource_path(*SHIPPED), provenance)
    print(f"{len(train)} pairs from {train['domain'].nunique()} domains; threshold {scorer.threshold_:.3f}; "
          f"{path.stat().st_size / 1024:.0f} kB -> {path}; {time.process_time() - started:.0f} s CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
