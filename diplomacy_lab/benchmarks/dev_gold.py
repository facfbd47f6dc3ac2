"""The multi-domain development gold: blind-coded statements on AllSides articles, domain by domain.

Each domain has a codebook (``data/codebooks/dev_DOMAIN.yaml``, written before any extractor ran on
its articles), the coded articles (``data/gold/dev/DOMAIN_articles.csv``: ids only) and the gold
statements (``data/gold/dev/DOMAIN_statements.csv``: ``doc_id, actor, target, stance, evidence,
note``, coded with ``data/gold/CODING.md``). The article texts stay in ``../shared/data`` (AllSides,
Baly et al. 2020); :func:`load_domain` reads them by id. The Iran nuclear deal and Russia/Ukraine
are kept out of this gold: they are for independent evaluation.

:func:`score_domains` runs a statement extractor on every domain and scores it at document level
(``doc_id, actor, target, stance``) with Wilson intervals; :func:`leave_one_domain_out` trains a
statement scorer on all domains but one and scores it on the one left out.

>>> {'brexit', 'north_korea', 'syria_strikes'} <= set(dev_domains())
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from diplomacy_lab.codebook.schema import Codebook, load_codebook
from diplomacy_lab.loading.corpus import load_corpus
from diplomacy_lab.paths import data_dir, shared_data_dir
from diplomacy_lab.statements.evaluation import evaluate_statements
from diplomacy_lab.statements.scorer import StatementScorer, pair_labels, pair_table
from diplomacy_lab.uncertainty import with_intervals

__all__ = ["Domain", "dev_domains", "domain_pairs", "held_out_predictions", "leave_one_domain_out", "load_domain",
           "score_domains"]

STANCES = ("support", "oppose")


@dataclass
class Domain:
    """One domain of the development gold: its name, codebook, articles and gold statements."""

    name: str
    codebook: Codebook
    articles: pd.DataFrame
    gold: pd.DataFrame


def dev_domains(root: Path | None = None) -> list[str]:
    """The domains with a gold file in ``data/gold/dev`` (and a codebook)."""
    root = root or data_dir()
    return sorted(p.name.removesuffix("_statements.csv") for p in (root / "gold" / "dev").glob("*_statements.csv")
                  if (root / "codebooks" / f"dev_{p.name.removesuffix('_statements.csv')}.yaml").is_file())


def _allsides(jsons: Path | None) -> Path:
    folder = jsons or shared_data_dir() / "article-bias-prediction" / "jsons"
    if not folder.is_dir():
        raise FileNotFoundError(f"the AllSides articles are not in {folder}: put ../shared/data beside the clone or "
                                "set DIPLOMACY_LAB_SHARED_DATA")
    return folder


def load_domain(name: str, root: Path | None = None, jsons: Path | None = None,
                codebooks: Path | None = None) -> Domain:
    """Codebook, articles (read from the AllSides JSON files by id) and gold of one domain.

    ``codebooks``: the folder of the ``dev_DOMAIN.yaml`` codebooks (default ``data/codebooks``; e.g.
    ``data/codebooks/dev_v1`` for the first codebooks, without per-target anaphors and cues). Raises
    FileNotFoundError naming what is missing (a codebook, a coded article absent from the data, the
    data folder).
    """
    root = root or data_dir()
    codebook = load_codebook((codebooks or root / "codebooks") / f"dev_{name}.yaml")
    ids = pd.read_csv(root / "gold" / "dev" / f"{name}_articles.csv", dtype=str)["doc_id"].tolist()
    folder = _allsides(jsons)
    missing = [i for i in ids if not (folder / f"{i}.json").is_file()]
    if missing:
        raise FileNotFoundError(f"{len(missing)} coded article(s) of {name} are not in {folder}: {missing[:5]}")
    articles = load_corpus([folder / f"{i}.json" for i in ids], text="content_original")
    gold = pd.read_csv(root / "gold" / "dev" / f"{name}_statements.csv", dtype=str, keep_default_na=False)
    return Domain(name, codebook, articles, gold)


def score(predicted: pd.DataFrame, domain: Domain) -> pd.DataFrame:
    """One row: tp, fp, fn, precision, recall (Wilson intervals) and F1 of ``predicted`` on ``domain``'s gold."""
    docs = domain.articles["doc_id"].tolist()
    summary = evaluate_statements(predicted, domain.gold, documents=docs, stances=STANCES)["summary"]
    out = with_intervals(summary)
    return out.assign(domain=domain.name, articles=len(docs), gold=len(domain.gold))


def score_domains(extract: Callable[[Domain], pd.DataFrame], domains: list[Domain]) -> pd.DataFrame:
    """Score ``extract(domain) -> statements`` on each domain, plus a pooled row (``domain="all"``)."""
    rows = [score(extract(d), d) for d in domains]
    table = pd.concat(rows, ignore_index=True)
    pooled = table[["tp", "fp", "fn", "articles", "gold"]].sum().to_frame().T.assign(domain="all", level="document")
    pooled = with_intervals(pooled.astype({c: "int64" for c in ["tp", "fp", "fn", "articles", "gold"]}))
    p, r = pooled["precision"], pooled["recall"]
    pooled["f1"] = (2 * p * r / (p + r)).round(4)
    table = pd.concat([table, pooled], ignore_index=True)
    columns = ["domain", "articles", "gold", "tp", "fp", "fn", "precision", "precision_low", "precision_high",
               "recall", "recall_low", "recall_high", "f1"]
    return table[columns]


def domain_pairs(domain: Domain, attributions: bool = True) -> pd.DataFrame:
    """The :func:`~diplomacy_lab.statements.scorer.pair_table` of a domain, labelled from its gold (``label``)."""
    pairs = pair_table(domain.articles, domain.codebook, attributions=attributions)
    return pairs.assign(label=pair_labels(pairs, domain.gold), domain=domain.name)


def leave_one_domain_out(domains: list[Domain], make_scorer: Callable[[], StatementScorer] = StatementScorer,
                         pairs: dict[str, pd.DataFrame] | None = None,
                         candidates: bool = False) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Train a scorer on all domains but one, score it on that one, for each domain in turn.

    Returns the score table (one row per held-out domain plus ``all``, as :func:`score_domains`)
    and each held-out domain's predicted statements. ``pairs``: precomputed :func:`domain_pairs`.
    ``candidates``: the predicted tables hold every document-level candidate of the held-out domain,
    whatever its confidence, with ``kept`` (confidence >= the scorer's ``threshold``), e.g. for a
    reliability diagram (:func:`held_out_predictions`); the scores count the kept ones only.
    """
    pairs = pairs or {d.name: domain_pairs(d) for d in domains}
    predicted: dict[str, pd.DataFrame] = {}
    for held in domains:
        train = pd.concat([pairs[d.name] for d in domains if d.name != held.name], ignore_index=True)
        scorer = make_scorer().fit(train, train["label"].to_numpy(), groups=train["domain"].to_numpy())
        found = scorer.statements(pairs[held.name], held.articles, threshold=0.0 if candidates else None)
        found = found.assign(threshold=scorer.threshold_)
        predicted[held.name] = found.assign(kept=found["confidence"] >= scorer.threshold_) if candidates else found

    def kept(d: Domain) -> pd.DataFrame:
        p = predicted[d.name]
        return p[p["kept"]] if candidates else p

    return score_domains(kept, domains), predicted


PREDICTION_COLUMNS = ["domain", "doc_id", "actor", "target", "stance", "confidence", "threshold", "kept", "correct"]


def held_out_predictions(domains: list[Domain], predicted: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The held-out predictions of :func:`leave_one_domain_out` in one table, each marked ``correct``
    when its ``doc_id, actor, target, stance`` is in the gold of its domain (no text: ``domain, doc_id,
    actor, target, stance, confidence, threshold, kept, correct``; ``kept`` is True throughout unless
    ``candidates=True`` was asked for).

    >>> gold = pd.DataFrame({"doc_id": ["a"], "actor": ["x"], "target": ["t"], "stance": ["oppose"]})
    >>> d = Domain("toy", None, pd.DataFrame({"doc_id": ["a"]}), gold)
    >>> p = pd.DataFrame({"doc_id": ["a", "a"], "actor": "x", "target": "t", "stance": ["oppose", "support"],
    ...                   "confidence": [0.9, 0.3], "threshold": 0.5})
    >>> held_out_predictions([d], {"toy": p})[["stance", "kept", "correct"]]
        stance  kept  correct
    0   oppose  True     True
    1  support  True    False
    """
    rows = []
    for d in domains:
        p = predicted[d.name]
        gold = set(zip(d.gold["doc_id"].astype(str), d.gold["actor"], d.gold["target"], d.gold["stance"]))
        correct = [(str(doc), a, t, s) in gold for doc, a, t, s in zip(p["doc_id"], p["actor"], p["target"],
                                                                       p["stance"])]
        rows.append(p.assign(domain=d.name, correct=correct, kept=p["kept"] if "kept" in p.columns else True))
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=PREDICTION_COLUMNS)
    return out[PREDICTION_COLUMNS].astype({"kept": bool, "correct": bool})
