"""Write a statements table piece by piece: CSV or parquet, never the whole table in memory.

The CSV is byte for byte what ``table.to_csv(index=False, lineterminator="\\n",
date_format="%Y-%m-%d")`` writes for the whole table (the ``statements`` command's format); the
parquet file gets one row group per piece, with the column types of
:mod:`diplomacy_lab.scale.tables`.

>>> import tempfile, pathlib
>>> from diplomacy_lab.scale.tables import statements_meta
>>> path = pathlib.Path(tempfile.mkdtemp()) / "st.csv"
>>> with StatementWriter(path) as w:
...     w.write(statements_meta())
>>> path.read_text().split(",")[:3], w.rows
(['doc_id', 'source', 'outlet'], 0)
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Self

import pandas as pd

from diplomacy_lab.charts.tables import csv_text
from diplomacy_lab.scale.tables import STATEMENT_COLUMNS, conform, statements_meta

__all__ = ["FORMATS", "StatementWriter"]

#: File suffixes and the format each one means.
FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


class StatementWriter:
    """Append statements tables to ``path`` (``.csv`` or ``.parquet``); use it as a context manager.

    The file is written under a temporary name next to ``path`` and renamed when the writer
    closes without error, so a run that fails leaves no half-written file behind it. ``rows``
    counts the rows written.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if self.path.is_dir():
            raise ValueError(f"--out {self.path} is a folder: give a file name ending in .csv or .parquet")
        self.format = FORMATS.get(self.path.suffix.lower())
        if self.format is None:
            raise ValueError(f"cannot write statements to {self.path.name}: the name must end in .csv or .parquet")
        self.rows = 0
        self._partial = self.path.with_name(f".{self.path.name}.partial")
        self._file = None
        self._parquet = None

    def __enter__(self) -> Self:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.format == "csv":
            self._file = self._partial.open("w", encoding="utf-8", newline="")
            self._file.write(",".join(STATEMENT_COLUMNS) + "\n")
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            self._schema = pa.Schema.from_pandas(statements_meta(), preserve_index=False)
            self._parquet = pq.ParquetWriter(self._partial, self._schema)
        return self

    def write(self, statements: pd.DataFrame) -> None:
        """Append ``statements`` (a statements table; its columns are typed as the file's)."""
        table = conform(statements)
        if table.empty:
            return
        if self._file is not None:
            # formula cells neutralised, like every CSV the package writes (charts.tables)
            self._file.write(csv_text(table, header=False, date_format="%Y-%m-%d"))
        elif self._parquet is not None:
            import pyarrow as pa

            self._parquet.write_table(pa.Table.from_pandas(table, schema=self._schema, preserve_index=False))
        else:
            raise RuntimeError("StatementWriter.write() outside a `with StatementWriter(path) as w:` block")
        self.rows += len(table)

    def __exit__(self, kind, value, traceback) -> None:
        if self._file is not None:
            self._file.close()
        if self._parquet is not None:
            with contextlib.suppress(Exception) if kind is not None else contextlib.nullcontext():
                self._parquet.close()  # after a failure, the failure is the error to report
        if kind is None:
            self._partial.replace(self.path)
        else:
            self._partial.unlink(missing_ok=True)
