"""What reading inputs yields: raw records in a :class:`Batch`, and a :class:`Problem` for every
input (file, row, folder entry) that was not read, or read with a remark.

>>> Problem("a.txt", "empty", "a.txt is empty").action
'skipped'
>>> len(Batch(rows=[{"text": "x", "_source": "a.txt"}]))
1
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["LEVELS", "MANIFEST_NAMES", "Batch", "Problem"]

MANIFEST_NAMES = ("manifest.csv", "manifest.jsonl", "manifest.tsv")

#: Problem levels: ``error`` = the item was skipped; ``warning`` = kept, but something is off;
#: ``info`` = kept, worth knowing (a missing date, a fallback encoding).
LEVELS = ("error", "warning", "info")


@dataclass(frozen=True)
class Problem:
    """One line of the load report."""

    source: str
    reason: str
    detail: str
    level: str = "error"
    doc_id: str | None = None
    dropped: bool = False
    skip: bool = False  # not loaded although not an error (a hidden file)

    @property
    def action(self) -> str:
        """``skipped`` (never loaded), ``dropped`` (loaded, then dropped on request) or ``kept``."""
        if self.level == "error" or self.skip:
            return "skipped"
        return "dropped" if self.dropped else "kept"


@dataclass
class Batch:
    """Raw records read from inputs (dict rows and whole tables), and the problems met reading them."""

    rows: list[dict] = field(default_factory=list)
    frames: list[pd.DataFrame] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    n_inputs: int = 0

    def extend(self, other: Batch) -> None:
        self.rows.extend(other.rows)
        self.frames.extend(other.frames)
        self.problems.extend(other.problems)
        self.n_inputs += other.n_inputs

    def __len__(self) -> int:
        return len(self.rows) + sum(len(f) for f in self.frames)

    def to_frame(self) -> pd.DataFrame:
        """All records as one DataFrame (columns are the union of the inputs' columns)."""
        parts = ([pd.DataFrame.from_records(self.rows)] if self.rows else []) + [f for f in self.frames if len(f)]
        if not parts:
            return pd.DataFrame({"_source": pd.Series([], dtype=object)})
        return pd.concat(parts, ignore_index=True, sort=False) if len(parts) > 1 else parts[0]
