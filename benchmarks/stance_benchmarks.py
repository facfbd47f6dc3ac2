"""Train and score the stance classifier on three published benchmarks, beside the published numbers.

Benchmarks (data from ``shared_data_dir()``, or ``--data``):

* FNC-1 (headline/body stance): train on the 49,972 training pairs, score the 25,413
  pairs of the competition test set with the official weighted score (% of the maximum),
  macro-F1 over the four classes and accuracy;
* SemEval-2016 Task 6, Task A (tweet stance toward five targets): train on train + trial
  (2,914 tweets), score the 1,249 Task A test tweets with F_avg (mean F1 of FAVOR and
  AGAINST, pooled over targets);
* Emergent (article headline stance toward a claim): train on the 2,071 training
  headlines, score the 524 headlines of the claim-disjoint test split by accuracy.

Each model is ``diplomacy_lab.benchmarks.stance_datasets.benchmark_classifier(name)``: one
``StanceClassifier`` configuration per benchmark, chosen on development data only (FNC-1:
the official 80/20 hold-out of the training set by body, and a split of the training set
that holds out whole claims, since the test set brings new claims; SemEval: 5-fold
cross-validation on train, stratified by target and stance; Emergent: 5-fold
cross-validation on train, grouped by claim). ``--evidence`` prints the recorded results
(``TUNING_EVIDENCE``); ``--tune`` reruns part of that search; neither reads a test set.
The final configurations were scored on the test sets once.

Each benchmark runs in a fresh ``spawn`` child process with one BLAS thread, so its peak
memory (``VmHWM``) is its own and its predictions do not depend on the number of cores; training and prediction times are wall time (``time.perf_counter``) with CPU time
beside it (the machine may be shared). ``--predictions DIR`` writes each test set's
predictions as CSV, one row per test row in file order, with the dataset's own label
strings in ``predicted``: ``fnc1.csv``, ``semeval.csv``, ``emergent.csv``.

Run from the repository root::

    .venv/bin/python benchmarks/stance_benchmarks.py [--predictions build/stance_predictions] [--json]
    .venv/bin/python benchmarks/stance_benchmarks.py --only emergent,semeval
    .venv/bin/python benchmarks/stance_benchmarks.py --evidence # the recorded development-data results
    .venv/bin/python benchmarks/stance_benchmarks.py --tune     # rerun part of that search (slow: about an hour)

Benchmarks print figures; they are not tests.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shlex
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from _common import (  # benchmarks/_common.py: the script folder is on sys.path
    machine,
    rss_mb,
)

from diplomacy_lab.charts.tables import write_csv
from diplomacy_lab.paths import REPO_DIR, shared_data_dir

BENCHMARKS = ("fnc1", "semeval", "emergent")
TIME_BUDGET_S = 15 * 60

#: Published results on the same test sets (higher is better), for the table.
PUBLISHED = {
    "fnc1": [
        ("SOLAT in the SWEN (Talos; 1st of FNC-1)", 82.02),
        ("Athene (2nd)", 81.97),
        ("UCLMR (3rd; Riedel et al. 2017)", 81.72),
        ("official baseline (gradient boosting)", 75.20),
    ],
    "semeval": [
        ("SVM n-grams (Mohammad et al. 2016)", 68.98),
        ("MITRE (best team)", 67.82),
        ("majority class per target", 65.22),
    ],
    "emergent": [
        ("Ferreira & Vlachos 2016 (logistic regression)", 73.28),
    ],
}
#: The project's goals (issue 4).
GOALS = {
    "fnc1": [("fnc1_score", 82.5), ("macro_f1", 0.62)],
    "semeval": [("semeval_favg", 70.0)],
    "emergent": [("accuracy_pct", 74.0)],
}
METRIC_NAMES = {"fnc1": "FNC-1 score (% of max)", "semeval": "F_avg (FAVOR, AGAINST)", "emergent": "accuracy (%)"}
OFFICIAL = {"fnc1": "fnc1_score", "semeval": "semeval_favg", "emergent": "accuracy_pct"}

#: Development-data evidence for the fixed configurations (``--tune`` prints a fresh copy).
#: Measured on this machine while other jobs shared the cores; FNC-1 on the official
#: hold-out (9,622 pairs), SemEval by 5-fold CV on train, Emergent by 5-fold CV grouped by claim.
TUNING_EVIDENCE = """\
FNC-1. Features: body word tf-idf (top 5,000 words), headline word tf-idf (target_words, top 5,000),
similarity (cosine, Jaccard, coverage), cues (PairCues); MLP with 100 hidden units, Adam, batch 500.
(a) the official hold-out (train 40,350 pairs / dev 9,622; bodies split, claims shared)
                                                        FNC score  macro-F1  F1 disagree
  target_words + similarity, 15 epochs                      88.48     0.754        0.516
  + cues, 10 epochs                                         88.99     0.749        0.469
  + cues, 15 epochs                                         89.38     0.755        0.495
  + cues, 25 epochs                                         89.68     0.779        0.572
  + cues, 15 epochs, alpha 1e-3                             89.33     0.750        0.479
  + cues, 15 epochs, class_weight balanced                  89.70     0.773        0.550
  + cues, 15 epochs, weights agree 1.5 / disagree 3         89.87     0.781        0.571
  + cues, 15 epochs, 3 seeds soft vote                      89.47     0.760        0.511
  + cues, 25 epochs, weights agree 1.5 / disagree 3         89.96     0.790        0.607
  similarity + cues (no target_words), 25 epochs, weights   88.27     0.751        0.523
  similarity + cues, 25 epochs, 3 seeds, weights            88.23     0.757        0.548
  similarity + cues, 25 epochs, 3 seeds, unweighted        87.89     0.737        0.498  (chosen before (c))
(b) a claim-disjoint split of train (fnc1_claim_disjoint_split: train 34,818 / dev 3,662, no
    headline or body on both sides; the competition test set also brings new claims)
  target_words + similarity + cues, 25 epochs, weights      81.85     0.601        0.015
  target_words + similarity + cues, 10 epochs, weights      82.16     0.606        0.015
  target_words + similarity, 25 epochs, weights             80.19     0.585        0.000
  similarity + cues, 25 epochs, weights                     83.38     0.634        0.097
  similarity + cues, 25 epochs, weights (+ best-sentence
    cue counts, since removed)                              82.85     0.628        0.085
  similarity + cues, 25 epochs, weights agree 1.5 / dis. 6  82.88     0.628        0.083
  similarity + cues, body top 2,000 words, 25 ep., weights  82.61     0.645        0.172
  similarity + cues, 15 epochs, weights                     82.08     0.623        0.085
  similarity + cues, logistic regression C=1, weights       82.51     0.625        0.083
  similarity + cues, 25 epochs, 3 seeds, weights            82.57     0.629        0.097
  similarity + cues, 25 epochs, 3 seeds, unweighted        83.34     0.617        0.044  (chosen before (c))
  The headline tf-idf wins on (a) by memorising claims and loses 1.5 points on (b); the choice
  follows (b). Differences under ~0.7 point are within the noise of one seed on 3,662 pairs.
  Note: the 3-seed ensemble was meant to carry the class weights, but until a fix (StanceClassifier
  now passes them to a VotingClassifier as sample_weight) they did not reach it, so the ensemble
  that was chosen and scored on the test set once is the unweighted one, and (c) keeps it unweighted.
  The weighted ensemble (rows above, measured after the fix on development data
  only) trades 0.3-0.8 FNC points for 0.01-0.02 macro-F1 and was not run on the test set.
(c) static word vectors ("vectors": WordLlama l2_supercat, mean-pooled body and headline vectors u, v,
    u * v, |u - v| and cosine, unit-length), same 3-seed unweighted ensemble; all three rows measured on
    the current code (the first differs from the rows above by 0.06 and 0.33 point: code changed since)
                                    official hold-out (a)          claim-disjoint (b)
                                    FNC  macro-F1 F1 dis.          FNC  macro-F1 F1 dis.
  similarity + cues (as before)    87.83  0.733  0.484            83.67  0.619  0.044
  + vectors, 64 dimensions         88.63  0.756  0.563            84.04  0.639  0.096
  + vectors, 256 dimensions        89.64  0.781  0.601            84.45  0.656  0.162  <- chosen
  Better on both splits (on (b) +0.8 point and +0.04 macro-F1, disagree F1 0.04 -> 0.16); training
  takes about three times as long (5 min instead of 1.7 on 40,000 pairs).
SemEval-2016 A, 5-fold CV on train (2,914 tweets), F_avg
  word 1-3 + char 2-5, linear SVM, onehot, C=1                        58.72
  word 1-3 + char 2-5, linear SVM, interact, C=1                      62.44
  word 1-3 + char 2-5, linear SVM, interact, C=0.3                    61.31
  word 1-3 + char 2-5, logreg balanced, interact, C=10                68.43
  word 1-3 + char 2-5, logreg balanced, interact, C=30                68.61
  word 1-3 + char 2-5, logreg balanced, interact, C=100               67.93
  word 1-3 + char 2-5, logreg balanced, onehot+interact, C=30         68.92  (chosen before the vectors)
  word 1-2 + char 2-5, logreg balanced, onehot+interact, C=30         68.66
  word 1-3 + char 1-5, logreg balanced, onehot+interact, C=30         69.17
  word 1-3 + char 3-6, logreg balanced, onehot+interact, C=30         68.89
  word 1-3 + char 2-5, logreg unweighted, onehot+interact, C=30       68.40
  word 1-3 + char 2-5, logreg FAVOR x1.5, onehot+interact, C=30       68.58
  (char 1-5 is 0.25 higher at twice the cost: within the noise of 5 folds; the published recipe's 2-5 kept)
  Static word vectors (WordLlama, unit-length tweet vectors), on word 1-3 + char 2-5, logreg balanced,
  onehot + interact, C=30 unless said                                F_avg  macro-F1
  + text_vectors (one shared block)                                   67.71  0.658
  + text_vectors, C=10 / C=100                                        67.65 / 67.36
  + vectors (tweet and topic vectors, product, difference, cosine)    68.88  0.685
  + target_vectors (the tweet vector in one block per target)        70.52  0.698  <- chosen
  + target_vectors + text_vectors                                     69.96  0.690
  + target_vectors, C=10 / C=100                                      70.73 / 70.51
  + target_vectors, 128 / 64 dimensions                               70.59 / 70.28
  + target_vectors, unweighted                                        70.34  0.690
  + target_vectors, char 1-5                                          70.75  0.700
  interact + target_vectors (no onehot)                               70.63  0.699
  (the target_vectors variants lie within 0.5 of each other: noise; the configuration above plus
  target_vectors is kept, one change at a time)
Emergent, 5-fold CV grouped by claim on train (2,071 headlines), accuracy
  word 1-1, similarity, logreg balanced C=1                            68.42
  word 1-1, similarity + cues, logreg balanced C=1                     75.57
  word 1-2, similarity + cues, logreg balanced C=1                     75.42
  word 1-1, similarity + cues, logreg balanced C=3                     74.79
  word 1-1, similarity + cues, logreg balanced C=0.3                   76.20
  word 1-1, similarity + cues, logreg unweighted C=1                   76.29  <- chosen
  word 1-1, similarity + cues, logreg unweighted C=0.3                 76.20
  word 1-1, similarity + cues, logreg unweighted C=0.1                 73.97
  word 1-1 + char 2-5, similarity + cues, logreg unweighted C=0.3      76.58
  word 1-1, similarity + cues + target_words, logreg unweighted C=0.3  73.44
  word 1-1, similarity + cues, calibrated linear SVM C=0.1             76.44
  (char n-grams +0.3 at five times the cost: within the noise; left out)
  Static word vectors (WordLlama), on word 1-1, similarity + cues, logreg unweighted, unit-length vectors
  + vectors (headline and claim vectors, product, difference, cosine), 64 dim., C=0.3 / C=1   74.31 / 73.68
  + vectors, 256 dim., C=0.3 / C=1                                                          75.08 / 74.84
  + text_vectors (headline vector), 64 dim., C=0.3 / C=1                                    74.70 / 74.22
  + text_vectors, 256 dim., C=0.3 / C=1                                                     75.66 / 75.33
  the same with every vector column scaled to unit size (x sqrt(dim))                       57.41 - 70.79
  (no variant beats the chosen 76.29: Emergent keeps no vectors)
"""


# --- one benchmark, in a child process ------------------------------------------------------------


def _load(name: str, data: Path | None):
    from diplomacy_lab.benchmarks import stance_datasets as ds

    if name == "fnc1":
        folder = None if data is None else data / "fnc-1"
        return ds.load_fnc1("train", folder), ds.load_fnc1("test", folder)
    if name == "semeval":
        folder = None if data is None else data / "semeval2016-task6"
        return ds.load_semeval2016("train", folder), ds.load_semeval2016("test", folder)
    folder = None if data is None else data / "emergent"
    return ds.load_emergent("train", folder), ds.load_emergent("test", folder)


def _id_columns(name: str) -> list[str]:
    return {"fnc1": ["pair", "body_id", "headline"], "semeval": ["row", "target", "text"],
            "emergent": ["row", "claim_id", "article_id"]}[name]


def run_one(name: str, data: str | None) -> dict:
    """Load, train on train, predict test, score: in this (fresh) process."""
    warnings.filterwarnings("ignore", message=".*Stochastic Optimizer: Maximum iterations.*")
    from threadpoolctl import threadpool_limits

    from diplomacy_lab.benchmarks.stance_datasets import (
        EMERGENT_LABELS,
        FNC1_LABELS,
        SEMEVAL_LABELS,
        benchmark_classifier,
    )
    from diplomacy_lab.benchmarks.stance_metrics import stance_scores

    threadpool_limits(1)  # one BLAS thread: the same sums, so the same predictions, on any machine
    rss_start = rss_mb()[0]
    t0 = time.perf_counter()
    train, test = _load(name, Path(data) if data else None)
    load_s = time.perf_counter() - t0
    model = benchmark_classifier(name)
    X = ["text", "target"]
    t, cpu = time.perf_counter(), time.process_time()
    model.fit(train[X], train["stance"])
    fit_s, fit_cpu = time.perf_counter() - t, time.process_time() - cpu
    t, cpu = time.perf_counter(), time.process_time()
    predicted = model.predict(test[X])
    predict_s, predict_cpu = time.perf_counter() - t, time.process_time() - cpu
    labels = {"fnc1": FNC1_LABELS, "semeval": SEMEVAL_LABELS, "emergent": EMERGENT_LABELS}[name]
    official = {"fnc1": "fnc1", "semeval": "semeval"}.get(name)
    scores = stance_scores(test["stance"], predicted, labels=labels, official=official).iloc[0].to_dict()
    scores["accuracy_pct"] = 100 * scores["accuracy"]
    out = test[_id_columns(name) + ["stance"]].copy()
    out["predicted"] = predicted
    return {
        "name": name, "train_rows": len(train), "test_rows": len(test), "load_s": load_s,
        "fit_s": fit_s, "fit_cpu_s": fit_cpu, "predict_s": predict_s, "predict_cpu_s": predict_cpu,
        "rss_start_mb": rss_start, "peak_rss_mb": rss_mb()[1], "scores": scores,
        "params": repr(model.get_params(deep=False)), "predictions": out,
    }


def run_all(names: list[str], data: Path | None) -> list[dict]:
    results = []
    context = multiprocessing.get_context("spawn")
    for name in names:
        with context.Pool(1, maxtasksperchild=1) as pool:  # a fresh process per benchmark: its own peak memory
            results.append(pool.apply(run_one, (name, None if data is None else str(data))))
            pool.close()
            pool.join()
    return results


# --- tuning on development data only ---------------------------------------------------------------


def fnc1_claim_disjoint_split(train: pd.DataFrame, share: float = 0.2, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A second FNC-1 development split, of the training set only, that holds out whole claims.

    The official hold-out splits by body, so most of its headlines (claims) are also in its
    training part; the competition test set brings new claims. Here the related pairs link
    headlines and bodies into connected components (about one per claim); ``share`` of the
    components (shuffled with ``seed``) are held out, and a pair goes to the hold-out when
    its headline and body both belong to held-out components, to training when neither
    does (pairs across the two are dropped). No headline or body is on both sides.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    heads = pd.factorize(train["headline"])[0]
    bodies = pd.factorize(train["body_id"])[0]
    n_heads, n = heads.max() + 1, heads.max() + 1 + bodies.max() + 1
    related = (train["stance"] != "unrelated").to_numpy()
    graph = coo_matrix((np.ones(related.sum()), (heads[related], n_heads + bodies[related])), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    ids = np.unique(component)
    np.random.default_rng(seed).shuffle(ids)
    held = np.isin(component, ids[: int(share * len(ids))])
    head_held, body_held = held[heads], held[n_heads + bodies]
    return (train[~head_held & ~body_held].reset_index(drop=True),
            train[head_held & body_held].reset_index(drop=True))


def tune(data: Path | None) -> str:
    """Rerun the development-data search behind TUNING_EVIDENCE (train splits only)."""
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    from diplomacy_lab.benchmarks import stance_datasets as ds
    from diplomacy_lab.benchmarks.stance_metrics import stance_scores

    warnings.filterwarnings("ignore", message=".*Stochastic Optimizer: Maximum iterations.*")
    lines = []
    X = ["text", "target"]

    def cv(frame, model, splits, official=None):
        pred = np.empty(len(frame), dtype=object)
        for a, b in splits:
            m = model.fit(frame.iloc[a][X], frame["stance"].iloc[a])
            pred[b] = m.predict(frame.iloc[b][X])
        return stance_scores(frame["stance"], pred, official=official).iloc[0]

    folder = None if data is None else data / "fnc-1"
    splits = {"official hold-out": (ds.load_fnc1("dev_train", folder), ds.load_fnc1("dev", folder)),
              "claim-disjoint": fnc1_claim_disjoint_split(ds.load_fnc1("train", folder))}
    lines.append("FNC-1: FNC score, macro-F1, F1 disagree, on the official hold-out | on the claim-disjoint split")
    variants = [
        ("final (3 x MLP 25 epochs)", {}),
        ("1 x MLP 15 epochs (fast)", ds.benchmark_classifier("fnc1", fast=True).get_params(deep=False)),
        ("without vectors", {"target_features": ("similarity", "cues")}),
        ("vectors of 64 dimensions", {"vector_dim": 64}),
        ("+ headline tf-idf (target_words)", {"target_features": ("target_words", "similarity", "cues", "vectors")}),
        ("without cues", {"target_features": ("similarity", "vectors")}),
        ("weights agree 1.5 / disagree 3", {"class_weight": {"agree": 1.5, "disagree": 3.0, "discuss": 1.0, "unrelated": 1.0}}),
        ("logistic regression", {"model": "logreg", "C": 1.0}),
    ]
    for label, params in variants:
        row = f"  {label:<40}"
        for train, dev in splits.values():
            m = ds.benchmark_classifier("fnc1").set_params(**params).fit(train[X], train["stance"])
            s = stance_scores(dev["stance"], m.predict(dev[X]), labels=ds.FNC1_LABELS, official="fnc1").iloc[0]
            row += f"{s['fnc1_score']:8.2f}{s['macro_f1']:7.3f}{s['f1_disagree']:7.3f}  |"
        lines.append(row.rstrip("|"))

    folder = None if data is None else data / "semeval2016-task6"
    sem = ds.load_semeval2016("train", folder)
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(sem, sem["target"] + "|" + sem["stance"]))
    lines.append("SemEval-2016 A, 5-fold CV on train: F_avg")
    for label, params in [("final", {}), ("C=10", {"C": 10.0}), ("C=100", {"C": 100.0}),
                          ("without target_vectors", {"target_features": ("onehot", "interact")}),
                          ("text_vectors instead", {"target_features": ("onehot", "interact", "text_vectors")}),
                          ("interact only", {"target_features": "interact"}), ("unweighted", {"class_weight": None})]:
        s = cv(sem, ds.benchmark_classifier("semeval").set_params(**params), folds, "semeval")
        lines.append(f"  {label:<45}{s['semeval_favg']:8.2f}")

    folder = None if data is None else data / "emergent"
    em = ds.load_emergent("train", folder)
    folds = list(GroupKFold(5).split(em, groups=em["claim_id"]))
    lines.append("Emergent, 5-fold CV grouped by claim: accuracy")
    for label, params in [("final", {}), ("C=0.3", {"C": 0.3}), ("C=3", {"C": 3.0}),
                          ("no cues", {"target_features": "similarity"}), ("balanced", {"class_weight": "balanced"}),
                          ("+ vectors", {"target_features": ("similarity", "cues", "vectors")}),
                          ("+ text_vectors", {"target_features": ("similarity", "cues", "text_vectors")})]:
        s = cv(em, ds.benchmark_classifier("emergent").set_params(**params), folds)
        lines.append(f"  {label:<45}{100 * s['accuracy']:8.2f}")
    return "\n".join(lines)


# --- output ------------------------------------------------------------------------------------------


def write_predictions(results: list[dict], directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for r in results:
        path = directory / f"{r['name']}.csv"
        write_csv(r["predictions"], path)  # the package's CSV writer: formula cells neutralised
        paths.append(path)
    return paths


def goal_lines(r: dict) -> list[str]:
    out = []
    for metric, goal in GOALS[r["name"]]:
        value = r["scores"][metric]
        shown = f"{value:.3f}" if metric == "macro_f1" else f"{value:.2f}"
        out.append(f"{metric} {shown} vs goal >= {goal:g}: " + ("met" if value >= goal else f"NOT met (short by {goal - value:.3g})"))
    return out


def print_text(results: list[dict], total_s: float, command: str, written: list[Path]) -> None:
    m = machine()
    print(f"stance benchmarks — {m['cores']} cores, Python {m['python']}, pandas {m['pandas']}, {m['platform']}")
    try:
        print(f"1-minute load average at the end: {os.getloadavg()[0]:.2f} (other processes slow the wall times; CPU times beside them)")
    except OSError:
        pass
    print()
    header = f"{'benchmark':<16}{'system':<46}{'metric':<24}{'score':>8}{'macro-F1':>10}{'acc %':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        s = r["scores"]
        metric = OFFICIAL[r["name"]]
        label = {"fnc1": "FNC-1", "semeval": "SemEval-2016 A", "emergent": "Emergent"}[r["name"]]
        print(f"{label:<16}{'ours (StanceClassifier)':<46}{METRIC_NAMES[r['name']]:<24}{s[metric]:8.2f}"
              f"{s['macro_f1']:10.3f}{100 * s['accuracy']:8.2f}")
        for system, value in PUBLISHED[r["name"]]:
            print(f"{'':<16}{system:<46}{'':<24}{value:8.2f}")
    print("\nper-class F1 on the test sets:")
    for r in results:
        per = {k[3:]: v for k, v in r["scores"].items() if k.startswith("f1_")}
        print(f"  {r['name']:<10}" + "  ".join(f"{k} {v:.3f}" for k, v in per.items()))
    print("\ncost (wall s, CPU s in brackets; peak RSS of the benchmark's own process):")
    print(f"  {'benchmark':<10}{'train rows':>11}{'test rows':>10}{'load s':>8}{'train s':>16}{'predict s':>16}{'peak MB':>9}")
    for r in results:
        print(f"  {r['name']:<10}{r['train_rows']:11,}{r['test_rows']:10,}{r['load_s']:8.1f}"
              f"{r['fit_s']:9.1f} ({r['fit_cpu_s']:5.1f}){r['predict_s']:9.1f} ({r['predict_cpu_s']:5.1f}){r['peak_rss_mb']:9,.0f}")
    print(f"  whole run {total_s:.0f} s wall ({total_s / 60:.1f} min; budget {TIME_BUDGET_S // 60} min: "
          + ("within" if total_s <= TIME_BUDGET_S else "OVER") + ")")
    print("\ngoals:")
    for r in results:
        for line in goal_lines(r):
            print(f"  {r['name']:<10}{line}")
    if written:
        print("\npredictions: " + ", ".join(str(p) for p in written))
    print(f"\nrerun: {command}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None,
                        help="folder holding fnc-1/, semeval2016-task6/, emergent/ (default: shared_data_dir())")
    parser.add_argument("--predictions", type=Path, default=None, help="write <benchmark>.csv test predictions here")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help=f"comma-separated subset of {','.join(BENCHMARKS)}")
    parser.add_argument("--tune", action="store_true", help="rerun the development-data search instead (no test data)")
    parser.add_argument("--evidence", action="store_true", help="print the recorded tuning evidence and exit")
    parser.add_argument("--json", action="store_true", help="print a machine-readable result instead")
    args = parser.parse_args(argv)
    if args.evidence:
        print(TUNING_EVIDENCE)
        return
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown or not names:
        parser.error(f"--only takes names from {list(BENCHMARKS)}, got {unknown or args.only!r}")
    folder = args.data or shared_data_dir()
    if not folder.is_dir():
        parser.error(f"no such folder: {folder}; pass --data PATH or set DIPLOMACY_LAB_SHARED_DATA")
    if args.tune:
        print(tune(args.data))
        return
    python = os.path.relpath(sys.executable, REPO_DIR) if sys.executable.startswith(str(REPO_DIR)) else sys.executable
    command = f"cd {shlex.quote(str(REPO_DIR))} && " + shlex.join([python, "benchmarks/stance_benchmarks.py", *sys.argv[1:]])
    start = time.perf_counter()
    results = run_all(names, args.data)
    total = time.perf_counter() - start
    written = write_predictions(results, args.predictions) if args.predictions else []
    if args.json:
        slim = [{k: v for k, v in r.items() if k != "predictions"} for r in results]
        print(json.dumps({"machine": machine(), "total_s": total, "results": slim, "published": PUBLISHED,
                          "command": command}, indent=2, default=float))
    else:
        print_text(results, total, command, written)


if __name__ == "__main__":
    main()
