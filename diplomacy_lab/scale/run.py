"""``write_statements``: a corpus in, a statements file out, chunk by chunk.

The corpus is streamed (:func:`~diplomacy_lab.loading.stream.iter_corpus`), each chunk's
statements are computed here, on local worker processes or on a Dask cluster, and appended to
the output as soon as the chunks before them are written. Memory holds a few chunks and the
running counts, whatever the size of the corpus (a document-level table, folded at the end,
holds the statements too). A progress bar on stderr counts articles.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "statements.csv"
>>> run = write_statements("data/seed", "data/codebooks/ukraine_2025.yaml", out, chunk_size=2)
>>> run.articles, run.statements, run.documents, len(pd.read_csv(out))
(5, 70, 5, 70)
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from diplomacy_lab.codebook.schema import Codebook
from diplomacy_lab.loading.stream import DEFAULT_CHUNK_SIZE, iter_corpus
from diplomacy_lab.scale.local import StatementOptions, as_codebook, extract_statements_chunked
from diplomacy_lab.scale.tables import statements_meta
from diplomacy_lab.scale.writer import FORMATS, StatementWriter
from diplomacy_lab.statements.extract import statements_by_document

__all__ = ["StatementRun", "table_chunks", "write_statements"]

LEVELS = ("sentence", "document")


@dataclass
class StatementRun:
    """What a :func:`write_statements` run did: ``articles`` loaded, ``inputs`` read, ``skipped``
    inputs by reason, ``statements`` found, ``rows`` written (statements, or document rows),
    ``documents`` with a statement, statements by ``(target, stance)``, ``chunks``, wall ``seconds``."""

    out: Path
    level: str = "sentence"
    articles: int = 0
    inputs: int = 0
    skipped: Counter = field(default_factory=Counter)
    statements: int = 0
    rows: int = 0
    documents: int = 0
    by_stance: Counter = field(default_factory=Counter)
    chunks: int = 0
    seconds: float = 0.0

    def stance_table(self) -> pd.DataFrame:
        """Statements by target (rows) and stance (columns)."""
        if not self.by_stance:
            return pd.DataFrame()
        counts = pd.Series(self.by_stance, dtype="int64")
        counts.index = counts.index.set_names(["target", "stance"])
        return counts.sort_index().unstack(fill_value=0)


def write_statements(
    source,
    codebook: Codebook | str | Path,
    out: str | Path,
    *,
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    scheduler: str | None = None,
    level: str = "sentence",
    include_neutral: bool = False,
    cues: str | None = None,
    model: str | None = None,
    classifier=None,
    load: dict | None = None,
    progress: bool | None = None,
) -> StatementRun:
    """Write the statements of ``source`` under ``codebook`` to ``out`` (``.csv`` or ``.parquet``).

    ``source``: what :func:`~diplomacy_lab.loading.stream.iter_corpus` reads (``load`` holds its
    options: ``{"text": "content_original"}`` ...), or an iterator of articles tables taken as the
    chunks. ``workers``: local processes, each compiling the codebook once; ``scheduler``: the
    address of a ``dask.distributed`` scheduler to run the chunks on instead. The rows are those
    of ``extract_statements`` on the whole corpus, in its order, for any ``workers``, ``chunk_size``
    or cluster. ``level="document"`` folds them with ``statements_by_document`` at the end.
    ``model``: a saved stance model (each worker loads it once) instead of the cue classifier.
    ``progress``: the bar on stderr (None: only on a terminal).
    """
    out = Path(out)
    if level not in LEVELS:
        raise ValueError(f"level={level!r}; use 'sentence' or 'document'")
    if out.suffix.lower() not in FORMATS:
        raise ValueError(f"cannot write statements to {out.name}: the name must end in .csv or .parquet")
    if workers != 1 and scheduler is not None:
        raise ValueError("give workers= (local processes) or scheduler= (a Dask cluster), not both")
    book = as_codebook(codebook)
    chunks = source if isinstance(source, Iterator) else iter_corpus(source, chunk_size=chunk_size, **(load or {}))
    options = StatementOptions(include_neutral, None if cues is None else str(cues), None if model is None else str(model),
                               classifier)
    if scheduler is not None:
        from diplomacy_lab.scale.cluster import statements_on_cluster

        results = statements_on_cluster(chunks, book, scheduler, options=options)
    else:
        results = extract_statements_chunked(chunks, book, workers=workers, options=options)

    run = StatementRun(out, level)
    started = time.perf_counter()
    documents: set = set()
    folded: list[pd.DataFrame] = []
    bar = tqdm(desc="statements", unit="article", disable=None if progress is None else not progress, smoothing=0.1)
    writer = StatementWriter(out) if level == "sentence" else None
    with writer if writer is not None else contextlib.nullcontext():
        for part in results:
            st = part.statements
            run.chunks += 1
            run.articles += part.articles
            run.inputs += part.n_inputs
            if len(part.report):
                run.skipped.update(part.report.loc[part.report["action"].eq("skipped"), "reason"])
            run.statements += len(st)
            documents.update(st["doc_id"])
            run.by_stance.update(zip(st["target"], st["stance"]))
            if writer is not None:
                writer.write(st)
            else:
                folded.append(st)
            bar.update(part.articles)
            bar.set_postfix(statements=run.statements, refresh=False)
    bar.close()
    run.rows = writer.rows if writer is not None else _write_documents(folded, out)
    run.documents = len(documents)
    run.seconds = time.perf_counter() - started
    return run


def table_chunks(articles: pd.DataFrame, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[pd.DataFrame]:
    """An articles table already in memory, as chunks of ``chunk_size`` rows; its load report goes
    with the first (so a run counts it once).

    >>> [len(c) for c in table_chunks(pd.DataFrame({"doc_id": list("abcde"), "text": "x"}), 2)]
    [2, 2, 1]
    """
    if not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size={chunk_size!r}; give a whole number of articles >= 1")
    report = articles.attrs.get("load_report")
    for lo in range(0, max(len(articles), 1), chunk_size):
        chunk = articles.iloc[lo : lo + chunk_size]
        chunk.attrs = {"load_report": report} if lo == 0 and report is not None else {}
        yield chunk


def _write_documents(parts: list[pd.DataFrame], out: Path) -> int:
    statements = pd.concat(parts, ignore_index=True) if parts else statements_meta()
    table = statements_by_document(statements)
    partial = out.with_name(f".{out.name}.partial")
    out.parent.mkdir(parents=True, exist_ok=True)
    if FORMATS[out.suffix.lower()] == "csv":
        partial.write_bytes(table.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d").encode("utf-8"))
    else:
        table.to_parquet(partial, index=False)
    partial.replace(out)
    return len(table)
