"""The house in layers: the package tree shows the flow, and imports point one way.

The layers contract itself is in ``pyproject.toml`` (``[tool.importlinter]``) and ``make test``
runs ``lint-imports``; here the same rules are checked from the source, counting imports
inside functions too, so a cycle cannot hide in a function body.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "diplomacy_lab"
TOP_LEVEL_ALLOWED = {"__init__", "__main__", "cli"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def internal_imports(path: Path, modules: set[str]) -> set[str]:
    """Every diplomacy_lab module ``path`` imports, at any depth of the file (function bodies too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path)
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:  # relative import
                base = ".".join(here.split(".")[: -node.level] + [node.module])
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != here and name != "diplomacy_lab":
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(files)
    return {m: internal_imports(p, modules) for m, p in files.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None (depth-first search with colours)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_find_cycle_finds_a_cycle_and_only_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycle_between_modules_counting_imports_in_functions():
    graph = import_graph()
    assert len(graph) > 40
    assert find_cycle(graph) is None


def test_the_tree_shows_the_flow():
    top = {p.stem for p in PACKAGE.glob("*.py")} - TOP_LEVEL_ALLOWED
    subpackages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert len(top) <= 5, sorted(top)
    assert {"loading", "text", "codebook", "statements", "coverage", "framing", "timeline", "report"} <= subpackages


def test_no_private_name_is_imported_from_another_module():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("diplomacy_lab."):
                private = [a.name for a in node.names if a.name.startswith("_")]
                if private:
                    offenders.append(f"{module_name(path)} imports {private} from {node.module}")
    assert not offenders


@pytest.mark.skipif(shutil.which("lint-imports", path=str(Path(sys.executable).parent)) is None,
                    reason="import-linter is not installed in this environment (pip install -e '.[dev]')")
def test_layers_contract_is_kept():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    run = subprocess.run([exe, "--no-cache"], cwd=PACKAGE.parent, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]
