"""The package works outside the repository: resources come from the package, not from ``data/``.

``make test-install`` does the real thing (a fresh venv, ``pip install .``, not editable, and the
brief run from another folder). Here the same is checked without a build: the files a wheel
would hold (the package's modules plus the ``package-data`` globs of ``pyproject.toml``) are
copied to a folder outside the repository and run from there.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from diplomacy_lab.paths import REPO_DIR


def wheel_files(package: Path, globs: list[str]) -> list[Path]:
    """The files of ``package`` a wheel holds: every module, and the data files ``globs`` match."""
    out = []
    for path in package.rglob("*"):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(package).as_posix()
        if path.suffix == ".py" or any(fnmatch.fnmatch(relative, g) for g in globs):
            out.append(path)
    return out


def test_the_package_runs_from_a_copy_outside_the_repository(tmp_path):
    pyproject = tomllib.loads((REPO_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["diplomacy_lab"]
    package = REPO_DIR / "diplomacy_lab"
    site = tmp_path / "site"
    for path in wheel_files(package, globs):
        target = site / "diplomacy_lab" / path.relative_to(package)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "import diplomacy_lab.paths as p; print(p.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.strip().startswith(str(site))
    run = subprocess.run(
        [sys.executable, "-m", "diplomacy_lab", "brief", str(REPO_DIR / "data" / "seed"),
         "--codebook", str(REPO_DIR / "data" / "codebooks" / "ukraine_2025.yaml"),
         "--naming", "russia_ukraine", "--frames", "russia_ukraine", "--out", "brief"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    page = (elsewhere / "brief" / "index.html").read_text(encoding="utf-8")
    assert '<section id="statements">' in page and "accuracy on this corpus is not measured" in page
    assert (elsewhere / "brief" / "figures" / "naming_variants.png").is_file()
