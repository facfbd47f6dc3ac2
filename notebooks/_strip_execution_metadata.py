"""Remove the execution timestamps nbconvert writes into each cell's metadata.

Committed notebooks hold their outputs (nbval compares them) but no timestamps, so that
re-executing a notebook changes only what its outputs change. Used by ``make notebooks``::

    python notebooks/_strip_execution_metadata.py notebooks/*.ipynb notebooks/case_studies/*.ipynb
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def strip(path: Path) -> bool:
    """Drop ``metadata.execution`` from every cell of the notebook at ``path``; True if it changed."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    changed = False
    for cell in notebook["cells"]:
        if "execution" in cell.get("metadata", {}):
            del cell["metadata"]["execution"]
            changed = True
    if changed:
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed


if __name__ == "__main__":
    for name in sys.argv[1:]:
        strip(Path(name))
