"""Retrain the shipped attribution CRF from PolNeAR train; report dev scores.

Settings (c1, c2, window unit, window length, feature cut-off) were chosen on
PolNeAR dev only (see docs/attribution.md); the defaults below are those
settings.  The test split is never used.

    PYTHONPATH=. python benchmarks/train_attribution.py            # retrain + save
    PYTHONPATH=. python benchmarks/train_attribution.py --no-save --c1 0.1

Writes diplomacy_lab/attribution/model/attribution.{crfsuite,json}.
"""
from __future__ import annotations

import argparse
import datetime
import time
from pathlib import Path

from diplomacy_lab.attribution import AttributionTagger, evaluate_attributions, read_polnear
from diplomacy_lab.attribution.model import save_model

MODEL_DIR = Path(__file__).resolve().parents[1] / "diplomacy_lab" / "attribution" / "model"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--c1", type=float, default=0.5)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iterations", type=int, default=100)
    ap.add_argument("--min-freq", type=int, default=5)
    ap.add_argument("--unit", default="paragraph", choices=["paragraph", "sentence"])
    ap.add_argument("--max-tokens", type=int, default=200)
    ap.add_argument("--max-gap", type=int, default=2)
    ap.add_argument("--limit", type=int, default=None, help="train on the first N articles only")
    ap.add_argument("--no-save", action="store_true")
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    args = ap.parse_args(argv)

    train_articles, train_gold = read_polnear("train")
    if args.limit:
        train_articles = train_articles.head(args.limit)
    dev_articles, dev_gold = read_polnear("dev")
    tagger = AttributionTagger(c1=args.c1, c2=args.c2, max_iterations=args.iterations,
                               min_freq=args.min_freq, unit=args.unit,
                               max_tokens=args.max_tokens, max_gap=args.max_gap)
    t0 = time.perf_counter()
    tagger.fit(train_articles, train_gold)
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    predicted = tagger.predict(dev_articles)
    tag_s = time.perf_counter() - t0
    table = evaluate_attributions(predicted, dev_gold, dev_articles, n_boot=0)
    dev = {r.metric: {"precision": round(r.precision, 4), "recall": round(r.recall, 4),
                      "f1": round(r.f1, 4)} for r in table.itertuples()}
    print(f"settings: {tagger.get_params()}")
    print(f"fit {fit_s:.0f} s on {len(train_articles)} articles, {tagger.training_info_}; "
          f"dev tagging {tag_s:.1f} s; model {len(tagger.model_bytes_) / 1e6:.2f} MB")
    print(table[["metric", "precision", "recall", "f1"]].round(3).to_string(index=False))
    if not args.no_save:
        provenance = {
            "data": "PolNeAR 1.0 (networkdynamics/PolNeAR @c3eee83), Newell, Margolin & Ruths, LREC 2018",
            "trained_on": f"train split, {len(train_articles)} articles, {len(train_gold)} attributions",
            "tuned_on": "dev split (84 articles); test split never used",
            "annotator_rule": "one .ann per article: first annotator in sorted order",
            "date": datetime.date.today().isoformat(),
            "fit_seconds": round(fit_s),
            "dev_scores": dev,
        }
        print("saved", save_model(tagger, args.out, provenance))


if __name__ == "__main__":
    main()
