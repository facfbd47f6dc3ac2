"""Do static word vectors help the statement scorer? Leave-one-domain-out with and without them.

The scorer (``StatementScorer``) reads the words between actor and target as hashed words. This
ablation adds, beside them, WordLlama vectors (``statements.vectors.embed_texts``: the stance
classifier's optional ``vectors`` extra) of the words between actor and target (``between``), of the
target's sentence (``evidence``), or both, and scores each variant leave-one-domain-out on the
development gold: held-out average precision and precision of the best 20 (``statements.ranking``),
the pooled best-F1 point, and what the 250 most confident held-out candidates are. Needs
``../shared/data`` and the ``vectors`` extra; about 3 CPU-minutes per variant.

    .venv/bin/python benchmarks/scorer_vectors.py                     # none, between, evidence
    .venv/bin/python benchmarks/scorer_vectors.py --variants none between
"""

from __future__ import annotations

import argparse
import time

import pandas as pd
import scipy.sparse as sp

from diplomacy_lab.benchmarks.dev_gold import (
    dev_domains,
    domain_pairs,
    held_out_predictions,
    leave_one_domain_out,
    load_domain,
)
from diplomacy_lab.statements.ranking import ranking_scores, top_errors
from diplomacy_lab.statements.scorer import StatementScorer
from diplomacy_lab.statements.vectors import embed_texts

VARIANTS = ("none", "between", "evidence", "between+evidence")


_SEEN: dict[str, object] = {}  # text -> its vector: each fold's matrices reuse them


def _vectors(texts: list[str]):
    new = sorted({t for t in texts if t not in _SEEN})
    if new:
        _SEEN.update(zip(new, embed_texts(new)))
    return sp.csr_matrix([_SEEN[t] for t in texts])


class VectorScorer(StatementScorer):
    """``StatementScorer`` with word vectors of the pair's ``between`` and/or ``evidence`` text as extra columns."""

    def __init__(self, columns: tuple[str, ...] = (), min_precision: float | None = 0.8):
        super().__init__(min_precision=min_precision)
        self.columns = columns

    def _matrix(self, pairs: pd.DataFrame, fit: bool = False):
        X = super()._matrix(pairs, fit)
        blocks = [_vectors(pairs[c].fillna("").astype(str).tolist()) for c in self.columns]
        return sp.hstack([X, *blocks], format="csr") if blocks else X


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=["none", "between", "evidence"])
    args = parser.parse_args(argv)
    domains = [load_domain(n) for n in dev_domains()]
    gold = pd.concat([d.gold.assign(domain=d.name) for d in domains], ignore_index=True)
    pairs = {d.name: domain_pairs(d) for d in domains}
    rows = []
    for variant in args.variants:
        t0 = time.process_time()
        columns = () if variant == "none" else tuple(variant.split("+"))
        _, predicted = leave_one_domain_out(domains, lambda c=columns: VectorScorer(c), pairs, candidates=True)
        held = held_out_predictions(domains, predicted)
        ranking = ranking_scores(held, gold).set_index("domain").loc["mean"]
        best, _ = leave_one_domain_out(domains, lambda c=columns: VectorScorer(c, min_precision=None), pairs)
        pooled = best.set_index("domain").loc["all"]
        top = top_errors(held, gold)
        rows.append({"variant": variant, "average_precision": ranking["average_precision"],
                     "precision_at_20": ranking["precision_at_20"], "best_f1_precision": pooled["precision"],
                     "best_f1_recall": pooled["recall"], "best_f1": pooled["f1"],
                     "mean_domain_f1": best[best["domain"] != "all"]["f1"].mean(),
                     "top250_correct": int((top["outcome"] == "correct").sum()),
                     "top250_oppose": int((top["stance"] == "oppose").sum()),
                     "cpu_s": round(time.process_time() - t0)})
        print(pd.DataFrame(rows[-1:]).round(3).to_string(index=False), flush=True)
    print(f"\n{len(domains)} domains, leave-one-domain-out")
    print(pd.DataFrame(rows).round(3).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
