"""Attribution on PolNeAR dev: shipped CRF vs the rule floor, with speed.

    PYTHONPATH=. python benchmarks/attribution.py [--boot 1000] [--no-outlets]

Prints cue P/R/F1, source F1 (word overlap and exact), content word P/R/F1
with 95% bootstrap intervals over articles, overall and by outlet; recall by
gold kind (direct / indirect / mixed); content words on the matched pairs
only (the spans where the cue was found); how far PolNeAR's own annotators agree
with each other on the 18 articles that five or six of them coded (16 train,
2 dev; every pair of annotators scored like a system, bootstrap over
articles): the ceiling to read the model's scores against; tagging speed
(articles/s and tokens/s on one core, this process) and peak memory (max RSS).
"""
from __future__ import annotations

import argparse
import resource
import time

import pandas as pd

from diplomacy_lab.attribution import (
    annotator_agreement,
    evaluate_attributions,
    load_model,
    read_polnear,
    read_polnear_annotators,
    rule_attributions,
)
from diplomacy_lab.attribution.evaluation import matched_content_scores, recall_by_kind
from diplomacy_lab.attribution.tokens import TOKEN_RE


def _fmt(table):
    t = table.copy()
    t["F1 [95% CI]"] = [f"{f:.3f} [{lo:.3f}, {hi:.3f}]" for f, lo, hi in
                        zip(t.f1, t.f1_low, t.f1_high)]
    t["P"], t["R"] = t.precision.round(3), t.recall.round(3)
    return t[["system", "group", "metric", "P", "R", "F1 [95% CI]", "n_gold", "n_pred"]]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--boot", type=int, default=1000)
    ap.add_argument("--no-outlets", action="store_true")
    args = ap.parse_args(argv)
    pd.set_option("display.width", 160)

    articles, gold = read_polnear("dev")
    model = load_model()
    n_tokens = sum(len(TOKEN_RE.findall(t)) for t in articles.text)

    model.predict(articles.head(2))  # warm-up (model load)
    t0, c0 = time.perf_counter(), time.process_time()
    crf = model.predict(articles)
    crf_wall, crf_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    rules = rule_attributions(articles)
    rule_wall = time.perf_counter() - t0

    by = None if args.no_outlets else "outlet"
    tables = []
    for name, pred in (("crf", crf), ("floor", rules)):
        t = evaluate_attributions(pred, gold, articles, by=by, n_boot=args.boot, seed=0)
        t.insert(0, "system", name)
        tables.append(t)
    table = pd.concat(tables, ignore_index=True)
    print(f"PolNeAR dev: {len(articles)} articles, {len(gold)} gold attributions, "
          f"{n_tokens:,} tokens; bootstrap {args.boot} resamples over articles (seed 0)\n")
    overall = table[table.group == "all"]
    print(_fmt(overall).to_string(index=False))
    if by:
        print("\nBy outlet (CRF):")
        part = table[(table.system == "crf") & (table.group != "all")]
        print(_fmt(part).to_string(index=False))
    print("\nRecall by gold kind:")
    for name, pred in (("crf", crf), ("floor", rules)):
        k = recall_by_kind(pred, gold, articles).round(3)
        k.insert(0, "system", name)
        print(k.to_string(index=False))
    print(f"\nPredicted kinds (CRF): {crf.kind.value_counts().to_dict()}")
    for name, pred in (("crf", crf), ("floor", rules)):
        m = matched_content_scores(pred, gold, articles)
        print(f"Content words on matched pairs only ({name}, {m['pairs']} pairs): "
              f"P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f}")
    print("\nHuman agreement: every pair of annotators of the articles several annotators coded")
    parts = [read_polnear_annotators(split) for split in ("train", "dev")]
    multi = pd.concat([a for a, _ in parts], ignore_index=True)
    coded = pd.concat([c for _, c in parts], ignore_index=True)
    for name, docs in (("train+dev", multi), ("train", parts[0][0]), ("dev", parts[1][0])):
        t = annotator_agreement(coded[coded.doc_id.isin(docs.doc_id)], docs, n_boot=args.boot, seed=0)
        t.insert(0, "system", f"annotators, {name} ({len(docs)} articles, {int(t.n_pairs.iloc[0])} pairs)")
        print(_fmt(t).drop(columns=["n_gold", "n_pred"]).to_string(index=False))
    print(f"\nSpeed (one process, one core): CRF {len(articles) / crf_cpu:.1f} articles/s, "
          f"{n_tokens / crf_cpu:,.0f} tokens/s CPU ({crf_wall:.1f} s wall); "
          f"floor {len(articles) / rule_wall:.1f} articles/s")
    print(f"Model: {len(model.model_bytes_) / 1e6:.2f} MB; "
          f"peak memory (max RSS) {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
