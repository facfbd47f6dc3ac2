"""Human in the loop: a coding sheet to correct statements, read back as gold.

The round trip: ``export_coding_sheet`` writes predicted statements as a CSV a person
fills in a spreadsheet (``stance_gold``: support / oppose / neutral, or ``none`` when the
row is not a statement); ``read_coding_sheet`` reads it back as gold statements;
``evaluate_statements`` (:mod:`diplomacy_lab.statements.evaluation`, re-exported here) scores
predictions against gold; ``training_frame`` turns coded statements into rows for
``StanceClassifier``.

>>> import pandas as pd
>>> sheet = pd.DataFrame({"doc_id": ["d1"], "actor": ["italy"], "target": ["troops"], "stance": ["Support"],
...                       "evidence": ["Rome backs it."]})
>>> training_frame(sheet)[["text", "stance"]]
             text   stance
0  Rome backs it.  support
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from diplomacy_lab.charts.tables import neutralise_formulas, restore_formulas, write_csv
from diplomacy_lab.checks import require_columns, rows_text

# Scoring lives in diplomacy_lab.statements.evaluation; evaluate_statements is re-exported here, where the round trip is.
from diplomacy_lab.statements.evaluation import NOT_A_STATEMENT, STANCES, evaluate_statements

__all__ = [
    "NOT_A_STATEMENT",
    "SHEET_COLUMNS",
    "STANCES",
    "coding_sheet",
    "evaluate_statements",
    "export_coding_sheet",
    "load_coding_sheet",
    "read_coding_sheet",
    "statement_ids",
    "training_frame",
    "write_coding_sheet",
]

SHEET_COLUMNS = [
    "statement_id", "doc_id", "outlet", "date", "date_precision", "sent_id", "actor", "target",
    "stance_predicted", "confidence", "cue", "evidence", "stance_gold", "comment",
]
_SHEET_REQUIRED = [
    "statement_id", "doc_id", "sent_id", "actor", "target", "stance_predicted", "evidence", "stance_gold",
]
_KEY = ["doc_id", "actor", "target"]
_DOC_META = ["outlet", "date", "source", "actor_country"]
_UNFILLED = ("drop", "predicted", "error")


def statement_ids(frame: pd.DataFrame) -> pd.Series:
    """The ``statement_id`` of each row, as in the coding sheet: ``doc_id:sent_id:actor:target``, with an
    empty sent_id where it is missing.

    >>> statement_ids(pd.DataFrame({"doc_id": ["d1"], "sent_id": [3], "actor": ["italy"], "target": ["troops"]})).tolist()
    ['d1:3:italy:troops']
    """
    ids = [
        f"{doc}:{'' if pd.isna(sent) else int(sent)}:{actor}:{target}"
        for doc, sent, actor, target in zip(frame["doc_id"], frame["sent_id"], frame["actor"], frame["target"])
    ]
    return pd.Series(ids, index=frame.index, dtype=object)


# -- coding sheet ------------------------------------------------------------------------------


def coding_sheet(statements: pd.DataFrame) -> pd.DataFrame:
    """The coding sheet of ``statements`` as a table (what :func:`export_coding_sheet` writes).

    Columns: ``SHEET_COLUMNS`` (``date_precision`` beside ``date``; ``stance_gold`` and ``comment``, the
    coder's, last). ``statement_id`` is ``doc_id:sent_id:actor:target``;
    ``stance_gold`` and ``comment`` are empty for the coder; ``date`` is ISO (the first of the
    month for a month-precision article: ``date_precision`` says so). Rows are sorted by doc_id,
    sent_id, actor, target. Raises ValueError when two rows share a statement_id.

    >>> st = pd.DataFrame({"doc_id": ["d1"], "sent_id": [3], "actor": ["italy"], "target": ["troops"],
    ...                    "stance": ["oppose"], "evidence": ["Rome says no."],
    ...                    "date": pd.to_datetime(["2025-03-01"]), "date_precision": ["month"]})
    >>> coding_sheet(st)[["statement_id", "date", "date_precision", "stance_predicted", "stance_gold"]]
            statement_id        date date_precision stance_predicted stance_gold
    0  d1:3:italy:troops  2025-03-01          month           oppose
    """
    require_columns(statements, ["doc_id", "sent_id", "actor", "target", "stance", "evidence"], "statements")
    sheet = pd.DataFrame({
        "doc_id": statements["doc_id"].astype(str).to_numpy(),
        "sent_id": pd.array(statements["sent_id"], dtype="Int64"),
        "actor": statements["actor"].astype(str).to_numpy(),
        "target": statements["target"].astype(str).to_numpy(),
    })
    sheet.insert(0, "statement_id", statement_ids(sheet))
    dupes = sheet.loc[sheet["statement_id"].duplicated(keep=False), "statement_id"].unique()
    if len(dupes):
        raise ValueError(
            f"statements has more than one row per (doc_id, sent_id, actor, target): {rows_text(dupes)}; "
            "keep one per sentence before exporting"
        )
    for col in ("outlet", "cue", "evidence", "date_precision"):
        sheet[col] = statements[col].fillna("").astype(str).to_numpy() if col in statements else ""
    if "date" in statements:
        dates = statements["date"]
        if pd.api.types.is_datetime64_any_dtype(dates):
            dates = dates.dt.strftime("%Y-%m-%d")
        sheet["date"] = dates.fillna("").astype(str).to_numpy()
    else:
        sheet["date"] = ""
    sheet["stance_predicted"] = statements["stance"].fillna("").astype(str).to_numpy()
    if "confidence" in statements:
        sheet["confidence"] = pd.to_numeric(statements["confidence"], errors="coerce").round(3).to_numpy()
    else:
        sheet["confidence"] = np.nan
    sheet["stance_gold"] = ""
    sheet["comment"] = ""
    sheet = sheet.sort_values(["doc_id", "sent_id", "actor", "target"], kind="stable", na_position="last")
    return sheet[SHEET_COLUMNS].reset_index(drop=True)


def write_coding_sheet(sheet: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a coding sheet table (:func:`coding_sheet`, or one being filled in) as the CSV a spreadsheet
    opens; return the path.

    UTF-8 with a BOM (Excel then reads accents right), ``\\n`` line ends; text cells that Excel
    would take for a formula (``=``, ``+``, ``-``, ``@``, tab or CR first) get a leading ``'``
    (:func:`diplomacy_lab.charts.tables.neutralise_formulas`, the rule of every CSV the package
    writes), which :func:`read_coding_sheet` removes. The file is replaced in one step (written beside it,
    then renamed), so a reader never sees half a sheet. Columns beyond ``SHEET_COLUMNS`` are kept.
    """
    require_columns(sheet, [c for c in _SHEET_REQUIRED if c != "stance_gold"] + ["stance_gold"], "sheet")
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    write_csv(sheet, partial, encoding="utf-8-sig")
    os.replace(partial, path)
    return path


def export_coding_sheet(statements: pd.DataFrame, path: str | os.PathLike) -> pd.DataFrame:
    """Write ``statements`` as a coding sheet CSV for a spreadsheet; return the sheet.

    The sheet is :func:`coding_sheet` (columns ``SHEET_COLUMNS``, ``stance_gold`` and ``comment``
    empty for the coder), written by :func:`write_coding_sheet` (UTF-8 with a BOM, formula-like
    cells guarded with a leading ``'``).
    """
    sheet = coding_sheet(statements)
    write_coding_sheet(sheet, path)
    return neutralise_formulas(sheet)


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")  # Excel's plain "CSV (Comma delimited)" on Windows


def _sniff_separator(text: str, path: Path) -> str:
    header = text.split("\n", 1)[0]
    for sep in (",", ";", "\t"):
        names = {c.strip().strip('"').strip().lower() for c in header.split(sep)}
        if {"statement_id", "stance_gold"} <= names:
            return sep
    raise ValueError(
        f"{path}: the first line has no statement_id and stance_gold columns (separated by ',', ';' or tab); "
        f"is it a coding sheet? First line: {header[:120]!r}"
    )


def load_coding_sheet(path: str | os.PathLike) -> pd.DataFrame:
    """Every row of a coding sheet as text, as a spreadsheet left it: for tools that edit the sheet.

    Tolerates what :func:`read_coding_sheet` tolerates (BOM or none, cp1252, ``;`` or tab
    separators, spaces, empty trailing columns and blank lines), removes the formula guards,
    lower-cases the headers and keeps every row, coded or not, ``none`` included. The index is
    the spreadsheet row number (the header is row 1). :func:`read_coding_sheet` turns it into gold.
    """
    path = Path(path)
    text = _read_text(path).replace("\r\n", "\n").replace("\r", "\n")
    sep = _sniff_separator(text, path)
    sheet = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True)
    sheet.columns = [str(c).strip().lower() for c in sheet.columns]
    empty_extra = [c for c in sheet.columns if c.startswith("unnamed:") and sheet[c].str.strip().eq("").all()]
    sheet = sheet.drop(columns=empty_extra)  # empty columns Excel adds past the last one
    missing = [c for c in _SHEET_REQUIRED if c not in sheet.columns]
    if missing:
        raise ValueError(f"{path} is missing column(s) {missing}; found {list(sheet.columns)}")
    for col in sheet.columns:
        sheet[col] = sheet[col].astype(str).str.strip()
    sheet.index = pd.RangeIndex(2, len(sheet) + 2)  # spreadsheet row numbers
    sheet = sheet.loc[~sheet.eq("").all(axis=1)]  # blank lines Excel leaves at the end
    for col in ("outlet", "cue", "comment"):
        if col not in sheet.columns:
            sheet[col] = ""
    for col in sheet.columns:
        sheet[col] = sheet[col].map(restore_formulas)
    return sheet


def read_coding_sheet(path: str | os.PathLike, unfilled: str = "drop") -> pd.DataFrame:
    """Read a coding sheet back, as edited in Excel or LibreOffice; return gold statements.

    Accepts a BOM or none, cp1252 from Excel's plain CSV, ``;`` or tab separators, spaces
    around cells and headers, and labels in any case (``Support``). ``stance_gold`` must
    be empty or one of support / oppose / neutral / none; otherwise ValueError naming the
    spreadsheet rows (the header is row 1). Rows marked ``none`` are dropped. Rows left
    empty depend on ``unfilled``:

    - ``"drop"`` (default): left out, with a warning; their ids are in
      ``result.attrs["unfilled"]``. A half-coded sheet never passes predictions off as gold.
    - ``"predicted"``: kept with the predicted stance (for coders who only fill in
      corrections).
    - ``"error"``: ValueError naming the rows.

    A row the coder added for a missed statement may leave ``statement_id`` (and
    ``sent_id``) empty; it needs doc_id, actor, target, stance_gold and evidence.

    Returns columns statement_id, doc_id, outlet, date, date_precision ("" for a sheet without
    it), sent_id (Int64), actor, target, stance, stance_predicted, confidence (float), cue,
    evidence, comment, coded (True where stance_gold was filled), in sheet order.
    """
    if unfilled not in _UNFILLED:
        raise ValueError(f"unfilled must be one of {list(_UNFILLED)}, got {unfilled!r}")
    path = Path(path)
    sheet = load_coding_sheet(path)

    gold = sheet["stance_gold"].str.lower()
    allowed = (*STANCES, NOT_A_STATEMENT, "")
    bad = ~gold.isin(allowed)
    if bad.any():
        details = [
            f"row {r} ({sheet.at[r, 'statement_id'] or 'no id'}): {sheet.at[r, 'stance_gold']!r}"
            for r in sheet.index[bad]
        ]
        raise ValueError(
            f"{path}: stance_gold must be empty or one of {list(allowed[:-1])}; bad label(s) in {rows_text(details)}"
        )
    sheet["stance_gold"] = gold
    sheet["stance_predicted"] = sheet["stance_predicted"].str.lower()

    sent = pd.to_numeric(sheet["sent_id"].replace("", np.nan), errors="coerce")
    bad_sent = (sheet["sent_id"] != "") & (sent.isna() | (sent % 1 != 0))
    if bad_sent.any():
        raise ValueError(f"{path}: sent_id must be a whole number or empty; row(s) {rows_text(sheet.index[bad_sent])}")
    sheet["sent_id"] = pd.array(sent, dtype="Int64")

    added = sheet["statement_id"] == ""
    incomplete = added & sheet[["doc_id", "actor", "target", "stance_gold", "evidence"]].eq("").any(axis=1)
    if incomplete.any():
        raise ValueError(
            f"{path}: row(s) {rows_text(sheet.index[incomplete])} have no statement_id; an added statement needs "
            "doc_id, actor, target, stance_gold and evidence"
        )
    sheet.loc[added, "statement_id"] = statement_ids(sheet.loc[added])
    dupes = sheet["statement_id"].duplicated(keep=False)
    if dupes.any():
        raise ValueError(f"{path}: statement_id repeated in rows {rows_text(sheet.index[dupes])}")

    empty = sheet["stance_gold"] == ""
    if empty.any():
        if unfilled == "error":
            raise ValueError(f"{path}: stance_gold is empty in row(s) {rows_text(sheet.index[empty])}")
        if unfilled == "drop":
            warnings.warn(
                f"{path}: {int(empty.sum())} row(s) without stance_gold left out of the gold "
                "(read_coding_sheet(..., unfilled='predicted') keeps them as predicted)",
                UserWarning,
                stacklevel=2,
            )
    ids_unfilled = sheet.loc[empty, "statement_id"].tolist()
    sheet["coded"] = ~empty
    sheet["stance"] = sheet["stance_gold"].where(~empty, sheet["stance_predicted"])
    keep = sheet["stance"] != NOT_A_STATEMENT
    if unfilled == "drop":
        keep &= ~empty
    out = sheet.loc[keep].copy()
    if "confidence" in out:  # European Excel writes a decimal comma
        out["confidence"] = pd.to_numeric(out["confidence"].str.replace(",", ".", regex=False), errors="coerce")
    else:
        out["confidence"] = np.nan
    for col in ("outlet", "date", "date_precision"):
        if col not in out.columns:
            out[col] = ""
    columns = ["statement_id", "doc_id", "outlet", "date", "date_precision", "sent_id", "actor", "target", "stance",
               "stance_predicted", "confidence", "cue", "evidence", "comment", "coded"]
    out = out[columns].reset_index(drop=True)
    out.attrs["unfilled"] = ids_unfilled if unfilled == "drop" else []
    return out


# -- document level and training rows ---------------------------------------------------------


def training_frame(coded_statements: pd.DataFrame) -> pd.DataFrame:
    """Rows for ``StanceClassifier``: ``text`` (the evidence), ``target``, ``actor``, ``stance``.

    Rows with stance ``none`` are left out; missing evidence or stance is a ValueError
    naming the rows.

    >>> coded = pd.DataFrame({"evidence": ["Rome backs it.", "Nothing."], "target": ["troops"] * 2,
    ...                       "actor": ["italy"] * 2, "stance": ["Support", "none"]})
    >>> training_frame(coded)
                 text  target  actor   stance
    0  Rome backs it.  troops  italy  support
    """
    require_columns(coded_statements, ["evidence", "target", "actor", "stance"], "coded_statements")
    frame = coded_statements
    for col in ("evidence", "stance", "target"):
        empty = frame[col].isna() | frame[col].astype(str).str.strip().eq("")
        if empty.any():
            raise ValueError(f"coded_statements has no {col} in row(s) {rows_text(frame.index[empty])}")
    stance = frame["stance"].astype(str).str.strip().str.lower()
    keep = stance != NOT_A_STATEMENT
    return pd.DataFrame({
        "text": frame["evidence"].astype(str)[keep].to_numpy(),
        "target": frame["target"].astype(str)[keep].to_numpy(),
        "actor": frame["actor"].astype(str)[keep].to_numpy(),
        "stance": stance[keep].to_numpy(),
    })
