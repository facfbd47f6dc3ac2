"""Fixtures shared by the test files: the seed corpus, its codebook, its gold and a study of them.

The seed corpus is loaded once per session and each test gets its own copy, so a test that
changes its table cannot change another's.
"""

from __future__ import annotations

import pandas as pd
import pytest

from diplomacy_lab.codebook.schema import load_codebook
from diplomacy_lab.loading.corpus import load_corpus
from diplomacy_lab.paths import data_dir, seed_corpus_dir
from diplomacy_lab.study import Study


@pytest.fixture(scope="session")
def _seed_once() -> pd.DataFrame:
    return load_corpus(seed_corpus_dir())


@pytest.fixture
def seed(_seed_once) -> pd.DataFrame:
    """The five seed articles (a fresh copy per test)."""
    return _seed_once.copy(deep=True)


@pytest.fixture(scope="session")
def seed_codebook_path():
    return data_dir() / "codebooks" / "ukraine_2025.yaml"


@pytest.fixture(scope="session")
def seed_codebook(seed_codebook_path):
    """The seed codebook (immutable)."""
    return load_codebook(seed_codebook_path)


@pytest.fixture(scope="session")
def seed_gold() -> pd.DataFrame:
    """The hand-coded gold statements of the seed corpus (``data/gold/seed_statements.csv``)."""
    return pd.read_csv(data_dir() / "gold" / "seed_statements.csv")


@pytest.fixture(scope="session")
def seed_study(_seed_once, seed_codebook) -> Study:
    """A study of the seed corpus with its codebook: sentences, mentions and statements computed once."""
    return Study(_seed_once.copy(deep=True), seed_codebook, name="seed")


# --- hypothesis profiles (issue 16: property-based tests in tests/test_fuzz.py) -------------------
# "quick" runs in the default suite (a few hundred generated cases, derandomised so CI is
# reproducible); "long" is `make fuzz` (HYPOTHESIS_PROFILE=long, at least 10,000 cases).
# Each case has a deadline; test_fuzz.py also stops a hanging case with an alarm.
import os as _os  # noqa: E402

from hypothesis import HealthCheck, settings  # noqa: E402

_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("quick", max_examples=60, deadline=10_000, derandomize=True, database=None,
                          suppress_health_check=_SLOW)
settings.register_profile("long", max_examples=2_000, deadline=10_000, database=None, suppress_health_check=_SLOW)
settings.load_profile(_os.environ.get("HYPOTHESIS_PROFILE", "quick"))
