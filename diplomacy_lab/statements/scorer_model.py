"""The shipped statement scorer: a :class:`~diplomacy_lab.statements.scorer.StatementScorer` trained on the
development gold, saved with skops and read back with an allow-list of types (never pickle).

``benchmarks/train_statement_scorer.py`` writes it (``make train-statement-scorer``): trained on the
blind-coded development domains and the seed gold, threshold at the best out-of-fold F1 (a threshold
for precision 0.8 chosen on training domains does not carry over to a new domain: see
``docs/generalisation.md``). Its provenance is in the ``.json`` file beside it.

>>> scorer = load_scorer()
>>> type(scorer).__name__, 0 < scorer.threshold_ < 1
('StatementScorer', True)
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import pandas as pd
from sklearn.utils.validation import check_is_fitted

from diplomacy_lab.codebook.schema import Codebook, load_codebook
from diplomacy_lab.errors import ModelLoadError
from diplomacy_lab.paths import resource_path
from diplomacy_lab.statements.extract import STATEMENT_COLUMNS
from diplomacy_lab.statements.scorer import StatementScorer, pair_table
from diplomacy_lab.text.sentences import sentences as split_sentences

__all__ = ["SCORER_TYPES", "load_scorer", "save_scorer", "scored_statements", "scorer_provenance"]

#: The types a scorer file may hold; anything else is refused before loading.
SCORER_TYPES = frozenset({
    "diplomacy_lab.statements.scorer.StatementScorer",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.preprocessing._data.StandardScaler",
    "builtins.frozenset",
})
SHIPPED = ("models", "statement_scorer.skops")


def save_scorer(scorer: StatementScorer, path: str | os.PathLike, provenance: dict | None = None) -> Path:
    """Write a fitted scorer (and ``provenance`` as JSON beside it); the file is checked as load_scorer checks it."""
    import skops.io as sio

    if not isinstance(scorer, StatementScorer):
        raise TypeError(f"save_scorer writes a StatementScorer, got {type(scorer).__name__}")
    check_is_fitted(scorer, "model_")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(scorer, path)
    refused = sorted(set(sio.get_untrusted_types(file=path)) - SCORER_TYPES)
    if refused:
        path.unlink()
        raise ModelLoadError(f"the scorer holds types load_scorer would refuse: {refused}; nothing was written",
                             where=str(path), fix="add the type to SCORER_TYPES if it is safe")
    if provenance is not None:
        path.with_suffix(".json").write_text(json.dumps(provenance, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


@lru_cache(maxsize=4)
def _load(path: str) -> StatementScorer:
    import skops.io as sio

    if not Path(path).is_file():
        raise ModelLoadError("no scorer file", where=path, fix="train one with benchmarks/train_statement_scorer.py")
    try:
        untrusted = sorted(set(sio.get_untrusted_types(file=path)))
    except Exception as exc:  # noqa: BLE001 - a damaged archive: any error is the file's
        raise ModelLoadError(f"skops cannot read the archive ({type(exc).__name__})", where=path,
                             fix="write it again with save_scorer") from None
    refused = [t for t in untrusted if t not in SCORER_TYPES]
    if refused:
        raise ModelLoadError(f"holds types that are not on the allow-list: {refused}", where=path,
                             fix="load only scorer files written by save_scorer")
    scorer = sio.load(path, trusted=untrusted)
    if not isinstance(scorer, StatementScorer):
        raise ModelLoadError(f"holds a {type(scorer).__name__}, not a StatementScorer", where=path,
                             fix="load only scorer files written by save_scorer")
    return scorer


def load_scorer(path: str | os.PathLike | None = None) -> StatementScorer:
    """The scorer at ``path`` (default: the shipped one), read with the allow-list; cached per path."""
    return _load(str(Path(path) if path is not None else resource_path(*SHIPPED)))


def scorer_provenance(path: str | os.PathLike | None = None) -> dict:
    """The provenance JSON written beside a scorer file (default: the shipped one)."""
    path = Path(path) if path is not None else resource_path(*SHIPPED)
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def scored_statements(articles: pd.DataFrame, codebook, scorer: StatementScorer | str | os.PathLike | None = None,
                      cues=None, threshold: float | None = None) -> pd.DataFrame:
    """Statements found by the learned scorer (default: the shipped one) instead of the rules alone, in the
    columns of :func:`~diplomacy_lab.statements.extract.extract_statements` (one row per document, actor,
    target and stance, with the best sentence as evidence; ``method`` is ``scorer``, ``holder`` and ``cue`` are
    empty). ``threshold``: the confidence a statement needs (default: the scorer's ``threshold_``).

    >>> from diplomacy_lab import load_corpus
    >>> st = scored_statements(load_corpus("data/seed"), "data/codebooks/ukraine_2025.yaml")
    >>> set(st["method"]) == {"scorer"} and list(st.columns) == STATEMENT_COLUMNS
    True
    """
    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    model = scorer if isinstance(scorer, StatementScorer) else load_scorer(scorer)
    sents = split_sentences(articles)
    pairs = pair_table(articles, book, cues=cues, sentences=sents)
    found = model.statements(pairs, threshold=threshold)
    if found.empty:
        return pd.DataFrame(columns=STATEMENT_COLUMNS)
    meta = articles.set_index("doc_id")
    spans = sents.set_index(["doc_id", "sent_id"])[["start", "end"]]
    located = spans.reindex(pd.MultiIndex.from_arrays([found["doc_id"], found["sent_id"]]))
    countries = {a.id: a.country for a in book.actors.values()}
    out = found.assign(
        source=found["doc_id"].map(meta["source"]) if "source" in meta else None,
        outlet=found["doc_id"].map(meta["outlet"]) if "outlet" in meta else None,
        date=found["doc_id"].map(meta["date"]) if "date" in meta else pd.NaT,
        actor_country=found["actor"].map(countries), cue="", holder="", via="",
        start=located["start"].to_numpy(), end=located["end"].to_numpy(),
        confidence=found["confidence"].round(4),
    )
    out["date_precision"] = found["doc_id"].map(meta["date_precision"]) if "date_precision" in meta else None
    return out[STATEMENT_COLUMNS].reset_index(drop=True)
