"""Corrections written to a coding sheet, one decision at a time, in the format the rest of the flow reads.

A :class:`CodingSession` holds the coding sheet of a statements table (the format of
:func:`~diplomacy_lab.statements.coding.export_coding_sheet`) and writes it to disk after every
decision, so nothing is lost if the kernel dies. Accept keeps the predicted stance as gold,
reject marks the row ``none`` (not a statement), change sets another stance.
:func:`~diplomacy_lab.statements.coding.read_coding_sheet` reads the file back as gold, for
``evaluate_statements`` and ``training_frame``. An existing sheet is continued, never
overwritten: its decisions are kept, and so are its rows for statements not shown here (rows a
coder added in a spreadsheet included).

>>> import tempfile, warnings
>>> from pathlib import Path
>>> import pandas as pd
>>> from diplomacy_lab.statements.coding import read_coding_sheet
>>> st = pd.DataFrame({"doc_id": ["d1", "d1"], "sent_id": [2, 5], "actor": ["italy", "france"],
...                    "target": ["troops", "troops"], "stance": ["oppose", "support"],
...                    "evidence": ["Rome says no.", "Paris is ready."]})
>>> sheet = Path(tempfile.mkdtemp()) / "corrections.csv"
>>> session = CodingSession(st, sheet)
>>> session.accept("d1:2:italy:troops")
>>> session.change("d1:5:france:troops", "neutral", comment="conditional")
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")
...     read_coding_sheet(sheet)[["statement_id", "stance", "comment"]]
         statement_id   stance      comment
0  d1:2:italy:troops   oppose
1  d1:5:france:troops  neutral  conditional
>>> CodingSession(st, sheet).decisions()["stance_gold"].tolist()   # a new session continues the sheet
['oppose', 'neutral']
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from diplomacy_lab.statements.coding import (
    NOT_A_STATEMENT,
    SHEET_COLUMNS,
    STANCES,
    coding_sheet,
    load_coding_sheet,
    write_coding_sheet,
)

__all__ = ["CodingSession"]

_LABELS = (*STANCES, NOT_A_STATEMENT)


class CodingSession:
    """The coding sheet of ``statements``, written to ``path`` after every decision (``path=None``: kept in
    memory until :meth:`save`).

    If ``path`` exists it must be a coding sheet (ValueError otherwise): its ``stance_gold`` and
    ``comment`` are carried over to the matching statements, and its other rows are kept at the end.
    """

    def __init__(self, statements: pd.DataFrame, path: str | os.PathLike | None = None) -> None:
        self.path = None if path is None else Path(path)
        sheet = coding_sheet(statements).astype({"stance_gold": object, "comment": object})
        self.kept = pd.DataFrame(columns=SHEET_COLUMNS)
        if self.path is not None and self.path.exists():
            previous = load_coding_sheet(self.path)
            ids = set(sheet["statement_id"])
            known = previous[previous["statement_id"].isin(ids)].drop_duplicates("statement_id", keep="last")
            carried = known.set_index("statement_id")
            for column in ("stance_gold", "comment"):
                if column in carried.columns:
                    values = sheet["statement_id"].map(carried[column])
                    sheet[column] = values.where(values.notna(), sheet[column]).astype(object)
            sheet["stance_gold"] = sheet["stance_gold"].str.strip().str.lower()
            self.kept = previous[~previous["statement_id"].isin(ids)].reset_index(drop=True)
        self.sheet = sheet.set_index("statement_id", drop=False)

    def __repr__(self) -> str:
        where = str(self.path) if self.path else "in memory"
        return f"CodingSession({len(self.sheet)} statements, {len(self.decisions())} decided; {where})"

    def __len__(self) -> int:
        return len(self.sheet)

    # -- decisions ---------------------------------------------------------------------------------------

    def _check(self, statement_id: str) -> None:
        if statement_id not in self.sheet.index:
            raise KeyError(f"no statement {statement_id!r} in this session (ids look like 'doc_id:sent_id:actor:target')")

    def decide(self, statement_id: str, label: str, comment: str | None = None) -> None:
        """Set the gold label of one statement (support / oppose / neutral, ``none`` for not a statement,
        ``""`` to undo) and its comment; write the sheet."""
        self._check(statement_id)
        label = str(label).strip().lower()
        if label not in (*_LABELS, ""):
            raise ValueError(f"label must be one of {list(_LABELS)} (or '' to undo), got {label!r}")
        self.sheet.at[statement_id, "stance_gold"] = label
        if comment is not None:
            self.sheet.at[statement_id, "comment"] = str(comment)
        self.save()

    def accept(self, statement_id: str, comment: str | None = None) -> None:
        """The predicted stance is right."""
        self._check(statement_id)
        self.decide(statement_id, self.sheet.at[statement_id, "stance_predicted"], comment)

    def reject(self, statement_id: str, comment: str | None = None) -> None:
        """Not a statement (wrong actor, wrong target, no stance taken): ``none``."""
        self.decide(statement_id, NOT_A_STATEMENT, comment)

    def change(self, statement_id: str, stance: str, comment: str | None = None) -> None:
        """The statement is right, its stance is ``stance``."""
        if str(stance).strip().lower() not in STANCES:
            raise ValueError(f"stance must be one of {list(STANCES)}, got {stance!r}")
        self.decide(statement_id, stance, comment)

    def undo(self, statement_id: str) -> None:
        """Forget the decision on one statement."""
        self.decide(statement_id, "")

    # -- what has been decided --------------------------------------------------------------------------

    def status(self, statement_id: str) -> str:
        """'' (not decided), 'accepted', 'rejected' or 'changed to STANCE'."""
        self._check(statement_id)
        gold, predicted = self.sheet.at[statement_id, "stance_gold"], self.sheet.at[statement_id, "stance_predicted"]
        if not gold:
            return ""
        if gold == NOT_A_STATEMENT:
            return "rejected"
        return "accepted" if gold == predicted else f"changed to {gold}"

    def decisions(self) -> pd.DataFrame:
        """The rows of this session's statements with a decision, as sheet rows."""
        rows = self.sheet[self.sheet["stance_gold"].astype(str) != ""]
        return rows.reset_index(drop=True)

    def table(self) -> pd.DataFrame:
        """The whole sheet as written: this session's statements, then the rows kept from an earlier sheet."""
        return pd.concat([self.sheet.reset_index(drop=True), self.kept], ignore_index=True)[
            list(dict.fromkeys([*SHEET_COLUMNS, *self.kept.columns]))].fillna("")

    def save(self, path: str | os.PathLike | None = None) -> Path | None:
        """Write the sheet to ``path`` (default: the session's path; with neither, nothing is written)."""
        target = Path(path) if path is not None else self.path
        if target is None:
            return None
        return write_coding_sheet(self.table(), target)
