"""Where things live: the shipped data folder and the third-party data beside the repository.

>>> from diplomacy_lab.paths import seed_corpus_dir
>>> seed_corpus_dir().name
'seed'
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = _PACKAGE_DIR.parent
RESOURCES_DIR = _PACKAGE_DIR / "resources"
SHARED_DATA_ENV = "DIPLOMACY_LAB_SHARED_DATA"


def data_dir() -> Path:
    """The repository's ``data/`` folder (seed corpus, codebooks, gold)."""
    return REPO_DIR / "data"


def seed_corpus_dir() -> Path:
    """The shipped seed corpus: five articles on Meloni and the Ukraine war, with a manifest."""
    return data_dir() / "seed"


def shared_data_dir() -> Path:
    """Third-party evaluation data: ``$DIPLOMACY_LAB_SHARED_DATA``, else ``../shared/data``.

    The default is looked up beside the repository first, then relative to the
    working directory. The folder may not exist: callers check and skip.
    """
    env = os.environ.get(SHARED_DATA_ENV)
    if env:
        return Path(env).expanduser()
    beside_repo = REPO_DIR.parent / "shared" / "data"
    if beside_repo.is_dir():
        return beside_repo
    return Path("..", "shared", "data")
