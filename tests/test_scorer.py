"""The learned statement scorer: candidate pairs, their labels, the estimator, and the development gold."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from diplomacy_lab.benchmarks.dev_gold import dev_domains, load_domain
from diplomacy_lab.codebook.schema import load_codebook
from diplomacy_lab.paths import data_dir, shared_data_dir
from diplomacy_lab.statements.scorer import StatementScorer, pair_labels, pair_table

BOOK = {
    "name": "demo",
    "actors": {
        "meloni": {"name": "Giorgia Meloni", "country": "Italy", "gender": "female", "aliases": ["Meloni"]},
        "macron": {"name": "Emmanuel Macron", "country": "France", "gender": "male", "aliases": ["Macron"]},
        "tusk": {"name": "Donald Tusk", "country": "Poland", "gender": "male", "aliases": ["Tusk"]},
    },
    "targets": {"troops": {"label": "Troops to Ukraine", "patterns": ["sending troops", "peacekeepers"]},
                "talks": {"label": "Talks with Moscow", "patterns": ["talks with Moscow"]}},
}
SUPPORT = ["backed", "welcomed", "endorsed", "called for"]
OPPOSE = ["rejected", "ruled out", "opposed", "dismissed"]


def corpus(n: int = 40, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Articles where one actor takes a stance and another is only mentioned, with their gold."""
    rng = np.random.default_rng(seed)
    names = ["Meloni", "Macron", "Tusk"]
    rows, gold = [], []
    for i in range(n):
        who, other = rng.choice(names, 2, replace=False)
        target = rng.choice(["sending troops", "talks with Moscow"])
        stance = "support" if i % 2 else "oppose"
        verb = rng.choice(SUPPORT if stance == "support" else OPPOSE)
        sentence = f"{who} {verb} {target} on Monday."
        text = f"{other} met reporters in Brussels. {sentence} The meeting ended late."
        rows.append((f"d{i}", text))
        gold.append((f"d{i}", who.lower(), "troops" if target == "sending troops" else "talks", stance, sentence))
    return (pd.DataFrame(rows, columns=["doc_id", "text"]),
            pd.DataFrame(gold, columns=["doc_id", "actor", "target", "stance", "evidence"]))


def test_pair_table_lists_near_actors_with_rule_readings():
    arts = pd.DataFrame({"doc_id": ["a"], "text": ["Tusk spoke first. Meloni rejected sending troops."]})
    pairs = pair_table(arts, load_codebook(BOOK), attributions=False)
    assert set(zip(pairs["actor"], pairs["offset"])) == {("meloni", 0), ("tusk", -1)}
    meloni = pairs[pairs["actor"] == "meloni"].iloc[0]
    assert meloni["rule_stance"] == "oppose" and meloni["evidence"] == "Meloni rejected sending troops."
    assert meloni["f_cue_oppose"] > 0 and meloni["f_offset_same"] == 1
    assert pairs[pairs["actor"] == "tusk"]["between"].iloc[0] == ""


def test_pair_table_reaches_an_actor_two_sentences_before_the_target():
    """A statement's actor is often named two sentences before it (a quote, then "she said")."""
    text = "Meloni spoke in Rome. Her remarks were brief. Sending troops is out of the question."
    pairs = pair_table(pd.DataFrame({"doc_id": ["a"], "text": [text]}), load_codebook(BOOK), attributions=False)
    far = pairs[pairs["offset"] == -2]
    assert set(far["actor"]) == {"meloni"} and (far["f_offset_far"] == 1).all()
    assert (pairs.loc[pairs["offset"] > -2, "f_offset_far"] == 0).all()


def test_pair_table_marks_speaker_only_mentions():
    book = {**BOOK, "actors": {**BOOK["actors"], "italy": {"name": "Government of Italy", "country": "Italy",
                                                         "kind": "government", "speaker_only": ["Rome"]}}}
    arts = pd.DataFrame({"doc_id": ["a"], "text": ["Rome rejected sending troops."]})
    pairs = pair_table(arts, load_codebook(book), attributions=False)
    rome = pairs[pairs["actor"] == "italy"].iloc[0]
    assert rome["via"] == "speaker_only" and rome["f_via_speaker_only"] == 1 and rome["f_via_alias"] == 0


def test_pair_table_reads_the_targets_own_cues():
    text = "Meloni would keep sending troops off the table."
    arts = pd.DataFrame({"doc_id": ["a"], "text": [text]})
    plain = pair_table(arts, load_codebook(BOOK), attributions=False).iloc[0]
    book = {**BOOK, "targets": {**BOOK["targets"], "troops": {**BOOK["targets"]["troops"],
                                                               "cues": {"oppose": ["off the table"]}}}}
    own = pair_table(arts, load_codebook(book), attributions=False).iloc[0]
    assert plain["f_cue_oppose"] == 0 and own["f_cue_oppose"] > 0.5


def test_pair_labels_teach_the_evidence_sentence_and_skip_the_others():
    arts = pd.DataFrame({"doc_id": ["a"], "text": ["Meloni rejected sending troops. Meloni spoke about sending troops."]})
    pairs = pair_table(arts, load_codebook(BOOK), attributions=False)
    gold = pd.DataFrame({"doc_id": ["a"], "actor": ["meloni"], "target": ["troops"], "stance": ["oppose"],
                         "evidence": ["Meloni rejected sending troops."]})
    labelled = dict(zip(zip(pairs["sent_id"], pairs["offset"]), pair_labels(pairs, gold)))
    assert labelled[(0, 0)] == "oppose" and labelled[(1, 0)] == "skip"
    assert set(pair_labels(pairs, gold.assign(actor="macron"))) == {"none"}


def test_pair_labels_teach_a_gold_evidence_that_is_the_actors_sentence():
    text = "Sending troops would be a grave mistake. That is what Meloni told reporters. Meloni then left."
    pairs = pair_table(pd.DataFrame({"doc_id": ["a"], "text": [text]}), load_codebook(BOOK), attributions=False)
    gold = pd.DataFrame({"doc_id": ["a"], "actor": ["meloni"], "target": ["troops"], "stance": ["oppose"],
                         "evidence": ["That is what Meloni told reporters."]})
    labelled = dict(zip(pairs["offset"], pair_labels(pairs, gold)))
    assert pairs["actor_evidence"].tolist() == ["That is what Meloni told reporters.", "Meloni then left."]
    assert labelled == {1: "oppose", 2: "skip"}
    assert list(pair_labels(pairs.drop(columns="actor_evidence"), gold)) == ["skip", "skip"]  # older tables


def test_scorer_learns_stances_and_folds_them_to_documents():
    arts, gold = corpus(40)
    pairs = pair_table(arts, BOOK, attributions=False)
    scorer = StatementScorer(min_precision=None).fit(pairs, pair_labels(pairs, gold))
    assert 0 < scorer.threshold_ < 1 and list(scorer.classes_) == ["none", "oppose", "support"]
    test_arts, test_gold = corpus(20, seed=1)
    test_pairs = pair_table(test_arts, BOOK, attributions=False)
    found = scorer.statements(test_pairs, test_arts)
    keys = set(zip(found["doc_id"], found["actor"], found["target"], found["stance"]))
    truth = set(zip(test_gold["doc_id"], test_gold["actor"], test_gold["target"], test_gold["stance"]))
    assert len(keys & truth) >= 0.8 * len(truth) and len(keys & truth) >= 0.8 * len(keys)
    assert {"evidence", "confidence", "sent_id", "method"} <= set(found.columns)


def test_scorer_is_an_estimator_with_clear_errors():
    arts, gold = corpus(12)
    pairs = pair_table(arts, BOOK, attributions=False)
    scorer = StatementScorer(C=2.0)
    assert clone(scorer).get_params()["C"] == 2.0 and not hasattr(clone(scorer), "model_")
    with pytest.raises(NotFittedError):
        scorer.predict(pairs)
    with pytest.raises(ValueError, match="labels must be"):
        scorer.fit(pairs, np.array(["maybe"] * len(pairs)))
    with pytest.raises(ValueError, match="no support or oppose pair"):
        scorer.fit(pairs, np.array(["none"] * len(pairs)))
    with pytest.raises(ValueError, match="min_precision must be between 0 and 1"):
        StatementScorer(min_precision=1.5).fit(pairs, pair_labels(pairs, gold))
    with pytest.raises(ValueError, match="threshold must be between 0 and 1"):
        StatementScorer(threshold=-0.1).fit(pairs, pair_labels(pairs, gold))


def test_a_fixed_threshold_skips_the_out_of_fold_choice_and_nothing_else():
    arts, gold = corpus(30)
    pairs = pair_table(arts, BOOK, attributions=False)
    y = pair_labels(pairs, gold)
    fixed = StatementScorer(threshold=0.25).fit(pairs, y)
    chosen = StatementScorer().fit(pairs, y)
    assert fixed.threshold_ == 0.25 and chosen.threshold_ != 0.25
    assert np.allclose(fixed.predict_proba(pairs), chosen.predict_proba(pairs))
    assert (fixed.statements(pairs)["confidence"] >= 0.25).all()


@pytest.mark.parametrize("name", dev_domains())
def test_dev_gold_is_valid_against_its_codebook(name):
    """Every gold row names codebook ids and a stance; every coded article is listed; no key twice."""
    book = load_codebook(data_dir() / "codebooks" / f"dev_{name}.yaml")
    gold = pd.read_csv(data_dir() / "gold" / "dev" / f"{name}_statements.csv", dtype=str, keep_default_na=False)
    articles = pd.read_csv(data_dir() / "gold" / "dev" / f"{name}_articles.csv", dtype=str)
    assert list(gold.columns) == ["doc_id", "actor", "target", "stance", "evidence", "note"]
    assert set(gold["actor"]) <= set(book.actors) and set(gold["target"]) <= set(book.targets)
    assert set(gold["stance"]) <= {"support", "oppose"} and set(gold["doc_id"]) <= set(articles["doc_id"])
    assert not gold.duplicated(["doc_id", "actor", "target", "stance"]).any()


@pytest.mark.parametrize("name", dev_domains())
def test_codebook_v2_only_adds_to_the_first_dev_codebooks(name):
    """The v2 additions (per-target anaphors and cues) left actors, targets, labels and patterns as first written."""
    first = load_codebook(data_dir() / "codebooks" / "dev_v1" / f"dev_{name}.yaml").to_dict()
    now = load_codebook(data_dir() / "codebooks" / f"dev_{name}.yaml").to_dict()
    for entry in now["targets"].values():
        entry.pop("anaphors", None)
        entry.pop("cues", None)
    assert now == first


def test_at_least_five_domains_and_400_statements():
    counts = {n: len(pd.read_csv(data_dir() / "gold" / "dev" / f"{n}_statements.csv")) for n in dev_domains()}
    assert len(counts) >= 5 and sum(counts.values()) >= 400, counts


@pytest.mark.skipif(not (shared_data_dir() / "article-bias-prediction" / "jsons").is_dir(),
                    reason=f"the AllSides articles are not in {shared_data_dir()} (put ../shared/data beside the clone "
                           "or set DIPLOMACY_LAB_SHARED_DATA)")
def test_dev_gold_evidence_is_verbatim_in_the_articles():
    for name in dev_domains():
        domain = load_domain(name)
        texts = domain.articles.set_index("doc_id")["text"]
        assert len(domain.articles) == len(pd.read_csv(data_dir() / "gold" / "dev" / f"{name}_articles.csv"))
        missing = [e for d, e in zip(domain.gold["doc_id"], domain.gold["evidence"]) if e not in texts[d]]
        assert len(missing) <= 0.02 * len(domain.gold), (name, missing[:3])


def test_the_shipped_scorer_finds_seed_statements_in_the_statements_columns(seed, seed_codebook, seed_gold):
    from diplomacy_lab.statements.evaluation import evaluate_statements
    from diplomacy_lab.statements.extract import STATEMENT_COLUMNS
    from diplomacy_lab.statements.scorer_model import scored_statements, scorer_provenance

    found = scored_statements(seed, seed_codebook)
    assert list(found.columns) == STATEMENT_COLUMNS and set(found["method"]) == {"scorer"}
    summary = evaluate_statements(found, seed_gold, stances=("support", "oppose"))["summary"].iloc[0]
    assert summary["tp"] > 0
    provenance = scorer_provenance()
    assert "seed" in provenance["trained_on"] and provenance["threshold"] > 0


def test_a_scorer_file_with_other_types_is_refused(tmp_path):
    import skops.io as sio

    from diplomacy_lab.errors import ModelLoadError
    from diplomacy_lab.statements.scorer_model import load_scorer

    path = tmp_path / "other.skops"
    sio.dump(np.random.default_rng(0).random((2, 2)).tolist(), path)
    with pytest.raises(ModelLoadError, match="not a StatementScorer|not on the allow-list"):
        load_scorer(path)
    with pytest.raises(ModelLoadError, match="no scorer file"):
        load_scorer(tmp_path / "missing.skops")


def test_statements_command_with_the_scorer(tmp_path, capsys):
    from diplomacy_lab.cli import main
    from diplomacy_lab.paths import seed_corpus_dir

    out = tmp_path / "scored.csv"
    codebook = str(data_dir() / "codebooks" / "ukraine_2025.yaml")
    assert main(["statements", str(seed_corpus_dir()), "--codebook", codebook, "--out", str(out), "--scorer"]) == 0
    assert set(pd.read_csv(out)["method"]) == {"scorer"}
    assert main(["statements", str(seed_corpus_dir()), "--codebook", codebook, "--out", str(out), "--scorer",
                 "--include-neutral"]) == 2
    assert "--scorer decides the stance itself" in capsys.readouterr().err
