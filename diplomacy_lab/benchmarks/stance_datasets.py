"""Loaders for three public stance benchmarks: FNC-1, SemEval-2016 Task 6 (Task A), Emergent.

Each loader returns one tidy table in file order, with the columns a ``StanceClassifier``
reads (``text``, ``target``) and the gold ``stance`` in the dataset's own label strings,
plus the dataset's own ids:

============  ===========================  ==========================  ===========================
loader        ``text``                     ``target``                  ``stance``
============  ===========================  ==========================  ===========================
FNC-1         article body                 headline                    agree, disagree, discuss,
                                                                       unrelated
SemEval A     tweet                        one of five topics          FAVOR, AGAINST, NONE
Emergent      article headline             claim                       for, against, observing
============  ===========================  ==========================  ===========================

The files are read from ``shared_data_dir()`` (``$DIPLOMACY_LAB_SHARED_DATA``, else
``../shared/data``) or from ``path``; they are never copied into the repository.
Loader traps handled here (see ``../shared/data/README.md``):

* FNC-1: bodies and stances sit in two files joined on ``Body ID``; 402 train and 242
  test (headline, body) pairs are exact repeats and are kept (the official scorer counts
  every row). The official development hold-out splits by body: body ids in file order,
  shuffled with ``random.Random(1489215)``, the first 80% train (1,346 bodies), the rest
  hold-out (337), as the organisers' ``generate_hold_out_split``.
* SemEval-2016: ``train.csv``/``test.csv`` are latin-1 with CR-only line ends;
  ``test.csv`` also holds Task B ("Donald Trump"), left out here: Task A is the 1,249
  other rows. ``train.csv`` is the official training plus trial data (2,914 tweets).
* Emergent: the first column is an unnamed index (``index_col=0``, kept as ``row``); the
  clean train/test files are the official claim-disjoint split.

>>> from diplomacy_lab.benchmarks.stance_datasets import EMERGENT_LABELS, FNC1_LABELS, SEMEVAL_LABELS
>>> FNC1_LABELS, SEMEVAL_LABELS, EMERGENT_LABELS
(('agree', 'disagree', 'discuss', 'unrelated'), ('AGAINST', 'FAVOR', 'NONE'), ('against', 'for', 'observing'))
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pandas as pd
from sklearn.ensemble import VotingClassifier
from sklearn.neural_network import MLPClassifier

from diplomacy_lab.paths import shared_data_dir
from diplomacy_lab.statements.classifier import StanceClassifier

__all__ = [
    "EMERGENT_LABELS",
    "FNC1_LABELS",
    "SEMEVAL_LABELS",
    "SEMEVAL_TARGETS",
    "benchmark_classifier",
    "fnc1_holdout_bodies",
    "load_emergent",
    "load_fnc1",
    "load_semeval2016",
]

FNC1_LABELS = ("agree", "disagree", "discuss", "unrelated")
SEMEVAL_LABELS = ("AGAINST", "FAVOR", "NONE")
EMERGENT_LABELS = ("against", "for", "observing")
SEMEVAL_TARGETS = (
    "Atheism",
    "Climate Change is a Real Concern",
    "Feminist Movement",
    "Hillary Clinton",
    "Legalization of Abortion",
)
FNC1_SPLITS = ("train", "test", "dev_train", "dev")
FNC1_SEED = 1489215
FNC1_TRAIN_SHARE = 0.8
# The FNC-1 model of benchmark_classifier: a soft vote of FNC1_SEEDS networks of FNC1_EPOCHS epochs.
FNC1_EPOCHS = 25
FNC1_EPOCHS_FAST = 15
FNC1_SEEDS = 3


def _folder(path, name: str) -> Path:
    folder = Path(path) if path is not None else shared_data_dir() / name
    if not folder.is_dir():
        raise FileNotFoundError(
            f"no {name} folder at {folder}: pass path=... or set DIPLOMACY_LAB_SHARED_DATA to the folder "
            "that holds the third-party datasets (../shared/data by default)"
        )
    return folder


def _file(folder: Path, name: str) -> Path:
    file = folder / name
    if not file.is_file():
        raise FileNotFoundError(f"{file} is missing; the folder should hold the dataset's original files")
    return file


def _check_split(split: str, allowed: tuple[str, ...]) -> None:
    if split not in allowed:
        raise ValueError(f"split must be one of {list(allowed)}, got {split!r}")


def _check_labels(frame: pd.DataFrame, labels: tuple[str, ...], file: Path) -> None:
    bad = sorted(set(frame["stance"]) - set(labels))
    if bad:
        raise ValueError(f"{file} holds unknown stance label(s) {bad}; expected {list(labels)}")


# -- FNC-1 ---------------------------------------------------------------------------------------


def fnc1_holdout_bodies(path: str | os.PathLike | None = None) -> tuple[list[int], list[int]]:
    """(train body ids, hold-out body ids) of FNC-1's official development split.

    Body ids of ``train_bodies.csv`` in file order, shuffled with ``random.Random(1489215)``;
    the first ``int(0.8 * n)`` train, the rest are held out.
    """
    folder = _folder(path, "fnc-1")
    ids = [int(i) for i in pd.read_csv(_file(folder, "train_bodies.csv"), usecols=["Body ID"])["Body ID"]]
    random.Random(FNC1_SEED).shuffle(ids)
    cut = int(FNC1_TRAIN_SHARE * len(ids))
    return ids[:cut], ids[cut:]


def load_fnc1(split: str = "train", path: str | os.PathLike | None = None) -> pd.DataFrame:
    """FNC-1 (headline, body) pairs: ``pair``, ``body_id``, ``headline``, ``text``, ``target``, ``stance``.

    ``split``: ``"train"`` (49,972 pairs), ``"test"`` (the competition test set, 25,413),
    ``"dev_train"`` / ``"dev"`` (the official 80/20 hold-out split of train by body).
    ``text`` is the body, ``target`` the headline (also in ``headline``); ``pair`` is the
    row's place in its stances file (0-based), so predictions can be written in file order.
    """
    _check_split(split, FNC1_SPLITS)
    folder = _folder(path, "fnc-1")
    prefix = "competition_test" if split == "test" else "train"
    stances_file = _file(folder, f"{prefix}_stances.csv")
    stances = pd.read_csv(stances_file, encoding="utf-8", dtype={"Headline": str, "Stance": str})
    bodies = pd.read_csv(_file(folder, f"{prefix}_bodies.csv"), encoding="utf-8", dtype={"articleBody": str})
    missing = sorted(set(stances["Body ID"]) - set(bodies["Body ID"]))
    if missing:
        raise ValueError(f"{stances_file} names body ids missing from the bodies file: {missing[:10]}")
    body_text = dict(zip(bodies["Body ID"].astype(int), bodies["articleBody"].fillna("")))
    frame = pd.DataFrame({
        "pair": range(len(stances)),
        "body_id": stances["Body ID"].astype(int).to_numpy(),
        "headline": stances["Headline"].fillna("").to_numpy(dtype=object),
    })
    frame["text"] = [body_text[b] for b in frame["body_id"]]
    frame["target"] = frame["headline"]
    frame["stance"] = stances["Stance"].str.strip().to_numpy(dtype=object)
    _check_labels(frame, FNC1_LABELS, stances_file)
    if split in ("dev_train", "dev"):
        train_ids, dev_ids = fnc1_holdout_bodies(folder)
        keep = frame["body_id"].isin(set(train_ids if split == "dev_train" else dev_ids))
        frame = frame[keep].reset_index(drop=True)
    return frame


# -- SemEval-2016 Task 6, Task A --------------------------------------------------------------------


def load_semeval2016(split: str = "train", path: str | os.PathLike | None = None) -> pd.DataFrame:
    """SemEval-2016 Task 6, Task A tweets: ``row``, ``text``, ``target``, ``stance``, ``opinion_towards``, ``sentiment``.

    ``split``: ``"train"`` (train + trial, 2,914 tweets) or ``"test"`` (the 1,249 Task A
    tweets of ``test.csv``; the Task B target "Donald Trump" is left out). ``row`` is the
    tweet's place in the file (0-based, counting Task B rows), so the rows stay in file order.
    """
    _check_split(split, ("train", "test"))
    folder = _folder(path, "semeval2016-task6")
    file = _file(folder, f"{split}.csv")
    # latin-1 decodes every byte (the files are cp1252 with two mojibake tweets); pandas
    # splits the CR-only line ends itself.
    raw = pd.read_csv(file, encoding="latin-1", dtype=str, keep_default_na=False)
    expected = ["Tweet", "Target", "Stance", "Opinion Towards", "Sentiment"]
    if list(raw.columns) != expected:
        raise ValueError(f"{file} has columns {list(raw.columns)}, expected {expected}")
    frame = pd.DataFrame({
        "row": range(len(raw)),
        "text": raw["Tweet"].to_numpy(dtype=object),
        "target": raw["Target"].str.strip().to_numpy(dtype=object),
        "stance": raw["Stance"].str.strip().to_numpy(dtype=object),
        "opinion_towards": raw["Opinion Towards"].to_numpy(dtype=object),
        "sentiment": raw["Sentiment"].to_numpy(dtype=object),
    })
    frame = frame[frame["target"].isin(SEMEVAL_TARGETS)].reset_index(drop=True)
    _check_labels(frame, SEMEVAL_LABELS, file)
    return frame


# -- Emergent --------------------------------------------------------------------------------------


def load_emergent(split: str = "train", path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Emergent headline stance toward a claim: ``row``, ``claim_id``, ``article_id``, ``text``, ``target``, ``stance``.

    ``split``: ``"train"`` (2,071 headlines) or ``"test"`` (524), the official claim-disjoint
    split of the clean data (Ferreira & Vlachos 2016). ``text`` is the article headline,
    ``target`` the claim; ``row`` the file's own index column.
    """
    _check_split(split, ("train", "test"))
    folder = _folder(path, "emergent")
    file = _file(folder, f"url-versions-2015-06-14-clean-{split}.csv")
    raw = pd.read_csv(file, index_col=0, encoding="utf-8", dtype=str, keep_default_na=False)
    frame = pd.DataFrame({
        "row": raw.index.astype(int),
        "claim_id": raw["claimId"].to_numpy(dtype=object),
        "article_id": raw["articleId"].to_numpy(dtype=object),
        "text": raw["articleHeadline"].to_numpy(dtype=object),
        "target": raw["claimHeadline"].to_numpy(dtype=object),
        "stance": raw["articleHeadlineStance"].str.strip().to_numpy(dtype=object),
    })
    _check_labels(frame, EMERGENT_LABELS, file)
    return frame.reset_index(drop=True)


# -- the tuned configuration per benchmark ---------------------------------------------------------


def benchmark_classifier(dataset: str, fast: bool = False):
    """The unfitted ``StanceClassifier`` used on a benchmark: ``"fnc1"``, ``"semeval"`` or ``"emergent"``.

    The parameters were chosen on each benchmark's development data only (FNC-1: the
    official hold-out and a claim-disjoint split of train; SemEval: 5-fold cross-validation
    stratified by target and stance; Emergent: 5-fold cross-validation grouped by claim);
    ``benchmarks/stance_benchmarks.py --evidence`` prints the results, ``--tune`` reruns part
    of the search. ``fast=True`` gives a cheaper FNC-1 model (one network
    with fewer epochs instead of an ensemble) for notebooks; the others are already fast.

    >>> benchmark_classifier("emergent").get_params()["target_features"]
    ('similarity', 'cues')
    """
    if dataset == "fnc1":
        def mlp(seed: int, epochs: int):
            return MLPClassifier(hidden_layer_sizes=(100,), alpha=1e-4, batch_size=500, learning_rate_init=0.001,
                                 max_iter=epochs, random_state=seed)

        model = mlp(0, FNC1_EPOCHS_FAST) if fast else VotingClassifier(
            [(f"mlp{seed}", mlp(seed, FNC1_EPOCHS)) for seed in range(FNC1_SEEDS)], voting="soft")
        # Unweighted; "vectors": WordLlama's static vectors of body and headline (needs wordllama).
        return StanceClassifier(word_ngrams=(1, 1), max_features=5000,
                                target_features=("similarity", "cues", "vectors"), class_weight=None, model=model)
    if dataset == "semeval":
        # target_vectors: WordLlama's static vectors of the tweet, one block per target (needs wordllama).
        return StanceClassifier(word_ngrams=(1, 3), char_ngrams=(2, 5),
                                target_features=("onehot", "interact", "target_vectors"),
                                model="logreg", C=30.0, class_weight="balanced")
    if dataset == "emergent":
        return StanceClassifier(word_ngrams=(1, 1), target_features=("similarity", "cues"), model="logreg",
                                C=1.0, class_weight=None)
    raise ValueError(f"dataset must be one of ['fnc1', 'semeval', 'emergent'], got {dataset!r}")

