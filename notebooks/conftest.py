"""Skip the case-study notebooks, with a clear reason, where ``../shared/data`` is absent.

The case studies in ``notebooks/case_studies/`` read third-party datasets whose licences forbid
copying them into the repository; they run (under nbval) only where the data sits beside the
clone, or where ``DIPLOMACY_LAB_SHARED_DATA`` points to it.
"""

from pathlib import Path

import pytest

from diplomacy_lab.paths import shared_data_dir

CASE_STUDIES = Path(__file__).parent / "case_studies"


def pytest_collection_modifyitems(config, items):
    shared = shared_data_dir()
    if shared.is_dir():
        return
    reason = (
        f"case-study notebook needs the third-party datasets: {shared} is missing "
        "(put ../shared/data beside the clone or set DIPLOMACY_LAB_SHARED_DATA)"
    )
    for item in items:
        if CASE_STUDIES in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.skip(reason=reason))
