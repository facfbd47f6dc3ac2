"""Tests for diplomacy_lab.benchmarks.stance_datasets: the FNC-1, SemEval-2016 Task A and Emergent loaders.

Small hand-made files in the datasets' own formats (a quoted multi-line body, latin-1 with
CR-only line ends, an unnamed index column) beside the real files in ``../shared/data``,
which are checked against the counts the organisers published.
"""

from __future__ import annotations

import random

import pandas as pd
import pytest

from diplomacy_lab.benchmarks.stance_datasets import (
    EMERGENT_LABELS,
    FNC1_LABELS,
    SEMEVAL_LABELS,
    SEMEVAL_TARGETS,
    benchmark_classifier,
    fnc1_holdout_bodies,
    load_emergent,
    load_fnc1,
    load_semeval2016,
)
from diplomacy_lab.benchmarks.stance_metrics import fnc1_max_score
from diplomacy_lab.paths import shared_data_dir
from diplomacy_lab.statements.classifier import StanceClassifier

SHARED = shared_data_dir()
needs_shared = pytest.mark.skipif(
    not (SHARED / "fnc-1").is_dir(),
    reason=f"needs the third-party datasets in {SHARED} (put ../shared/data beside the clone or set DIPLOMACY_LAB_SHARED_DATA)",
)


# -- hand-made files -------------------------------------------------------------------------------


@pytest.fixture
def fnc_folder(tmp_path):
    folder = tmp_path / "fnc-1"
    folder.mkdir()
    bodies = 'Body ID,articleBody\n7,"First body.\n\nSecond paragraph, with a comma."\n3,Another body\n'
    stances = ("Headline,Body ID,Stance\n"
               '"Mayor resigns, aide says",7,agree\n'
               "Cat elected mayor,3,unrelated\n"
               "Mayor denies resigning,7,disagree\n")
    for prefix in ("train", "competition_test"):
        (folder / f"{prefix}_bodies.csv").write_text(bodies, encoding="utf-8")
        (folder / f"{prefix}_stances.csv").write_text(stances, encoding="utf-8")
    return folder


def test_load_fnc1_joins_bodies_in_file_order(fnc_folder):
    frame = load_fnc1("train", fnc_folder)
    assert list(frame.columns) == ["pair", "body_id", "headline", "text", "target", "stance"]
    assert frame["pair"].tolist() == [0, 1, 2]
    assert frame["body_id"].tolist() == [7, 3, 7]
    assert frame["text"][0] == "First body.\n\nSecond paragraph, with a comma."
    assert frame["target"].tolist() == ["Mayor resigns, aide says", "Cat elected mayor", "Mayor denies resigning"]
    assert frame["stance"].tolist() == ["agree", "unrelated", "disagree"]
    assert load_fnc1("test", fnc_folder).shape == (3, 6)


def test_fnc1_holdout_follows_the_official_recipe(fnc_folder):
    ids = [7, 3]  # file order
    random.Random(1489215).shuffle(ids)
    train_ids, dev_ids = fnc1_holdout_bodies(fnc_folder)
    assert (train_ids, dev_ids) == (ids[:1], ids[1:])  # int(0.8 * 2) = 1
    dev = load_fnc1("dev", fnc_folder)
    assert set(dev["body_id"]) == set(dev_ids)
    assert len(dev) + len(load_fnc1("dev_train", fnc_folder)) == 3


def test_load_fnc1_errors(fnc_folder, tmp_path):
    with pytest.raises(ValueError, match=r"split must be one of \['train', 'test', 'dev_train', 'dev'\], got 'valid'"):
        load_fnc1("valid", fnc_folder)
    with pytest.raises(FileNotFoundError, match="no fnc-1 folder at .*DIPLOMACY_LAB_SHARED_DATA"):
        load_fnc1("train", tmp_path / "nowhere")
    (fnc_folder / "train_stances.csv").write_text("Headline,Body ID,Stance\nx,7,maybe\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"unknown stance label\(s\) \['maybe'\]"):
        load_fnc1("train", fnc_folder)
    (fnc_folder / "train_stances.csv").write_text("Headline,Body ID,Stance\nx,99,agree\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"body ids missing from the bodies file: \[99\]"):
        load_fnc1("train", fnc_folder)


def test_load_semeval_reads_latin1_with_cr_line_ends_and_drops_task_b(tmp_path):
    folder = tmp_path / "semeval2016-task6"
    folder.mkdir()
    rows = [
        "Tweet,Target,Stance,Opinion Towards,Sentiment",
        '"Caf\xe9 talk: #SemST",Atheism,AGAINST,"1.  The tweet explicitly expresses opinion, yes.",neg',
        "Make it great #SemST,Donald Trump,FAVOR,2. other,pos",
        "Real concern #SemST,Climate Change is a Real Concern,NONE,3. none,other",
    ]
    (folder / "test.csv").write_bytes("\r".join(rows).encode("latin-1") + b"\r")
    frame = load_semeval2016("test", folder)
    assert frame["row"].tolist() == [0, 2]  # the Trump row (Task B) is left out
    assert frame["text"][0] == "Caf\xe9 talk: #SemST"
    assert frame["target"].tolist() == ["Atheism", "Climate Change is a Real Concern"]
    assert frame["stance"].tolist() == ["AGAINST", "NONE"]
    assert frame["opinion_towards"][0] == "1.  The tweet explicitly expresses opinion, yes."


def test_load_emergent_keeps_the_index_column_as_row(tmp_path):
    folder = tmp_path / "emergent"
    folder.mkdir()
    (folder / "url-versions-2015-06-14-clean-test.csv").write_text(
        ",claimHeadline,articleHeadline,articleHeadlineStance,articleId,claimId\n"
        '39,Claim one,"Headline, with comma?",for,a1,c1\n'
        "40,Claim one,Not true,against,a2,c1\n", encoding="utf-8")
    frame = load_emergent("test", folder)
    assert list(frame.columns) == ["row", "claim_id", "article_id", "text", "target", "stance"]
    assert frame["row"].tolist() == [39, 40]
    assert frame["text"][0] == "Headline, with comma?"
    assert frame["stance"].tolist() == ["for", "against"]


def test_benchmark_classifier_gives_unfitted_stance_classifiers():
    for name in ("fnc1", "semeval", "emergent"):
        model = benchmark_classifier(name)
        assert isinstance(model, StanceClassifier) and not hasattr(model, "pipeline_")
    assert benchmark_classifier("fnc1", fast=True).get_params()["model"].max_iter == 15
    with pytest.raises(ValueError, match=r"dataset must be one of \['fnc1', 'semeval', 'emergent'\]"):
        benchmark_classifier("liar")


# -- the real files ----------------------------------------------------------------------------------


@needs_shared
def test_real_fnc1_matches_the_published_counts_and_hold_out():
    train, test = load_fnc1("train"), load_fnc1("test")
    assert len(train) == 49_972 and train["body_id"].nunique() == 1_683
    assert len(test) == 25_413 and test["body_id"].nunique() == 904
    assert set(train["stance"]) == set(test["stance"]) == set(FNC1_LABELS)
    assert not set(train["body_id"]) & set(test["body_id"])
    # The official baseline reports its hold-out out of 4,448.5 and the test set out of 11,651.25.
    assert fnc1_max_score(test["stance"]) == 11_651.25
    dev_train, dev = load_fnc1("dev_train"), load_fnc1("dev")
    assert fnc1_max_score(dev["stance"]) == 4_448.5
    assert dev_train["body_id"].nunique() == 1_346 and dev["body_id"].nunique() == 337
    assert len(dev_train) + len(dev) == len(train)
    assert not set(dev_train["body_id"]) & set(dev["body_id"])
    assert test["pair"].tolist() == list(range(len(test)))  # file order


@needs_shared
def test_real_semeval_task_a():
    train, test = load_semeval2016("train"), load_semeval2016("test")
    assert len(train) == 2_914 and len(test) == 1_249
    assert set(train["target"]) == set(test["target"]) == set(SEMEVAL_TARGETS)
    assert set(train["stance"]) == set(test["stance"]) == set(SEMEVAL_LABELS)
    assert test["row"].is_monotonic_increasing
    assert not train["text"].str.contains("\r").any()
    # The organisers' majority-class baseline (per target) gives F_avg 65.22 on test.
    from diplomacy_lab.benchmarks.stance_metrics import semeval_favg

    majority = train.groupby("target")["stance"].agg(lambda s: s.value_counts().idxmax())
    assert round(semeval_favg(test["stance"], test["target"].map(majority)), 2) == 65.22


@needs_shared
def test_real_emergent_split_is_claim_disjoint():
    train, test = load_emergent("train"), load_emergent("test")
    assert len(train) == 2_071 and len(test) == 524
    assert set(train["stance"]) == set(test["stance"]) == set(EMERGENT_LABELS)
    assert not set(train["claim_id"]) & set(test["claim_id"])
    assert isinstance(test["row"].iloc[0], (int, pd.Int64Dtype().type)) or str(test["row"].dtype).startswith("int")
