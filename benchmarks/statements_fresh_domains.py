"""The rules and a statement scorer on development domains, as they are: no training, no threshold search.

For domains that no development decision has seen (coded after the code and the shipped scorer were fixed),
this is the fair before/after check: run it with ``PYTHONPATH`` pointing at the checkout of each commit (its
code and its shipped scorer), while the gold and codebooks come from ``--data`` (default: this checkout's
``data/``). Scores are at document level with 95% Wilson intervals. Needs ``../shared/data``.

    .venv/bin/python benchmarks/statements_fresh_domains.py --domains afghanistan cuba
    PYTHONPATH=/tmp/before .venv/bin/python benchmarks/statements_fresh_domains.py --domains afghanistan cuba
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

import diplomacy_lab
from diplomacy_lab.benchmarks.dev_gold import load_domain, score_domains
from diplomacy_lab.statements.extract import extract_statements
from diplomacy_lab.statements.scorer_model import scored_statements

DATA = Path(__file__).resolve().parents[1] / "data"
COLUMNS = ["domain", "articles", "gold", "tp", "fp", "fn", "precision", "recall", "f1"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domains", nargs="+", required=True, help="development domains (data/gold/dev)")
    parser.add_argument("--data", type=Path, default=DATA, help="folder with codebooks/ and gold/dev/ (default: data/)")
    parser.add_argument("--scorer", help="a saved scorer (.skops); default: the package's shipped one")
    args = parser.parse_args(argv)
    pd.set_option("display.width", 200)
    print(f"code: {Path(diplomacy_lab.__file__).parent}; gold and codebooks: {args.data}")
    domains = [load_domain(name, root=args.data) for name in args.domains]
    t0 = time.process_time()
    rules = score_domains(lambda d: extract_statements(d.articles, d.codebook), domains)
    print(f"\nrules alone ({time.process_time() - t0:.1f} s CPU)")
    print(rules[COLUMNS].round(3).to_string(index=False))
    t0 = time.process_time()
    scored = score_domains(lambda d: scored_statements(d.articles, d.codebook, scorer=args.scorer), domains)
    print(f"\nscorer at its own threshold ({time.process_time() - t0:.1f} s CPU)")
    print(scored[COLUMNS].round(3).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
