"""Where things live: resources shipped inside the package, the repository's ``data/`` folder
(in a source checkout) and the third-party data beside the repository.

Package resources are read with :mod:`importlib.resources`, so they are found in a normal
(non-editable) install too; ``data/`` (seed corpus, codebooks, gold) exists only in a clone.

>>> resource_path("house.mplstyle").name
'house.mplstyle'
>>> seed_corpus_dir().name
'seed'
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

__all__ = ["REPO_DIR", "SHARED_DATA_ENV", "data_dir", "resource_path", "seed_corpus_dir", "shared_data_dir"]

_PACKAGE_DIR = Path(str(files("diplomacy_lab")))
#: The folder above the package: the repository root in a clone (``site-packages`` in an install).
REPO_DIR = _PACKAGE_DIR.parent
SHARED_DATA_ENV = "DIPLOMACY_LAB_SHARED_DATA"


def resource_path(*parts: str) -> Path:
    """A file shipped in the package's ``resources/`` folder, e.g. ``resource_path("english.yaml")``."""
    return Path(str(files("diplomacy_lab").joinpath("resources", *parts)))


def data_dir() -> Path:
    """The repository's ``data/`` folder (seed corpus, codebooks, gold): only in a clone of the repository.

    Raises FileNotFoundError with the fix when the package runs from an install without it.
    """
    folder = REPO_DIR / "data"
    if not (folder / "codebooks").is_dir():
        raise FileNotFoundError(
            f"the repository's data/ folder is not beside the package ({folder}): diplomacy_lab runs from an "
            "install, not a clone. Pass the corpus, codebook and gold files by path instead.")
    return folder


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
