"""Does stance carry across domains? A stance-only model over the gold statement pairs, leave-one-domain-out.

The scorer's ranking loses most where the stance is wrong (``stance_accuracy`` in
``make bench-statements-lodo``). This isolates that step. It takes only the development-gold pairs
that state a stance (``pair_labels`` gives ``support`` or ``oppose``). It trains a balanced logistic
regression on seven domains and predicts the stance in the eighth, with several feature sets:

- ``scorer``: the scorer's own features (``f_*``) and the hashed words between actor and target;
- ``+ tone``: VADER tone (compound, negative, positive) of the sentence, of 60 characters around
  the target and of the words between (``framing.tone.vader``: the lexicon of the ``vadersentiment``
  package);
- ``+ sentence words``: the hashed words of the whole sentence as well;
- ``tone only`` and ``sentence words only``.

It prints balanced accuracy, F1 of *oppose* and accuracy, each averaged over the held-out domains,
beside the majority baseline (always *support*: balanced accuracy 0.5). Needs ``../shared/data``.

    .venv/bin/python benchmarks/statements_stance_transfer.py     # or: make bench-statements-stance
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, f1_score
from sklearn.preprocessing import StandardScaler

from diplomacy_lab.benchmarks.dev_gold import dev_domains, domain_pairs, load_domain
from diplomacy_lab.framing.tone import vader

VARIANTS = {
    "scorer features": ("dense", "between"),
    "scorer features + tone": ("dense", "between", "tone"),
    "scorer features + tone + sentence words": ("dense", "between", "tone", "sentence"),
    "tone only": ("tone",),
    "sentence words only": ("sentence",),
}


def stance_pairs() -> pd.DataFrame:
    """The development-gold pairs that state a stance, with the tone columns (``tone_*``)."""
    frames = []
    for name in dev_domains():
        domain = load_domain(name)
        pairs = domain_pairs(domain)
        pairs = pairs[pairs["label"].isin(["support", "oppose"])].copy()
        texts = dict(zip(domain.articles["doc_id"], domain.articles["text"]))
        pairs["around"] = [texts[d][max(0, s - 60):e + 60] for d, s, e in
                           zip(pairs["doc_id"], pairs["target_start"], pairs["target_end"])]
        frames.append(pairs)
    pairs = pd.concat(frames, ignore_index=True)
    analyzer, seen = vader(), {}

    def tone(text: str) -> tuple[float, float, float]:
        if text not in seen:
            s = analyzer.polarity_scores(text)
            seen[text] = (s["compound"], s["neg"], s["pos"])
        return seen[text]

    for column in ("evidence", "around", "between"):
        values = np.array([tone(str(t)) for t in pairs[column].fillna("")])
        for i, part in enumerate(("compound", "neg", "pos")):
            pairs[f"tone_{column}_{part}"] = values[:, i]
    return pairs


def blocks(pairs: pd.DataFrame, train: np.ndarray, parts: tuple[str, ...]):
    """The feature matrix of ``parts`` for the training rows and the held-out rows."""
    hashing = HashingVectorizer(n_features=2 ** 14, alternate_sign=False, norm="l2", ngram_range=(1, 2))
    out_train, out_test = [], []
    for part in parts:
        if part in ("dense", "tone"):
            columns = [c for c in pairs.columns if c.startswith("f_" if part == "dense" else "tone_")]
            scaler = StandardScaler().fit(pairs.loc[train, columns])
            out_train.append(sp.csr_matrix(scaler.transform(pairs.loc[train, columns])))
            out_test.append(sp.csr_matrix(scaler.transform(pairs.loc[~train, columns])))
        else:
            column = "between" if part == "between" else "evidence"
            words = pairs[column].fillna("").str.lower()
            out_train.append(hashing.transform(words[train]))
            out_test.append(hashing.transform(words[~train]))
    return sp.hstack(out_train, format="csr"), sp.hstack(out_test, format="csr")


def main() -> int:
    started = time.process_time()
    pairs = stance_pairs()
    counts = pairs.groupby("domain")["label"].value_counts().unstack(fill_value=0)
    print(f"{len(pairs):,} gold statement pairs in {len(counts)} domains "
          f"({int(counts['support'].sum()):,} support, {int(counts['oppose'].sum()):,} oppose)")
    rows = []
    for label, parts in VARIANTS.items():
        scores = []
        for held in sorted(pairs["domain"].unique()):
            train = (pairs["domain"] != held).to_numpy()
            X_train, X_test = blocks(pairs, train, parts)
            model = LogisticRegression(C=0.5, max_iter=3000, class_weight="balanced")
            predicted = model.fit(X_train, pairs.loc[train, "label"]).predict(X_test)
            truth = pairs.loc[~train, "label"]
            scores.append((balanced_accuracy_score(truth, predicted), f1_score(truth, predicted, pos_label="oppose"),
                           float((predicted == truth).mean())))
        mean = np.mean(scores, axis=0)
        rows.append({"features": label, "balanced_accuracy": mean[0], "oppose_f1": mean[1], "accuracy": mean[2]})
    share = [float((pairs.loc[pairs["domain"] == d, "label"] == "support").mean()) for d in sorted(pairs["domain"].unique())]
    rows.append({"features": "majority (always support)", "balanced_accuracy": 0.5, "oppose_f1": 0.0,
                 "accuracy": float(np.mean(share))})
    print("\nstance of the gold pairs of each held-out domain, trained on the others (means over domains)")
    print(pd.DataFrame(rows).round(3).to_string(index=False))
    print(f"\nwhole run: {time.process_time() - started:.0f} s CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
