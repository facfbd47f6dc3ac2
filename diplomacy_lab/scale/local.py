"""Statements of a stream of article chunks, on N local processes.

Each worker process loads and compiles the codebook once (and the classifier, the Punkt
tokenizer and the cue lexicon once), then takes chunks: it receives only the columns the
statements step reads and sends back only the statements. At most ``2 * workers`` chunks are
out at a time and results come back in input order, so memory stays bounded and the output is
the same, row for row, as with one worker. Processes are started with ``spawn``: a script that
calls this must guard its entry point with ``if __name__ == "__main__":`` (notebooks need nothing).

>>> from diplomacy_lab.loading.stream import iter_corpus
>>> parts = extract_statements_chunked(iter_corpus("data/seed", chunk_size=2), "data/codebooks/ukraine_2025.yaml")
>>> [(p.index, p.articles, len(p.statements)) for p in parts]
[(0, 2, 20), (1, 2, 31), (2, 1, 19)]
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from diplomacy_lab.codebook.matcher import compile_codebook
from diplomacy_lab.codebook.schema import Codebook, load_codebook
from diplomacy_lab.scale.tables import ARTICLE_FIELDS, conform, statements_meta
from diplomacy_lab.statements.extract import extract_statements

__all__ = ["ChunkStatements", "StatementOptions", "extract_statements_chunked"]


@dataclass(frozen=True)
class StatementOptions:
    """How statements are extracted, as ``extract_statements`` takes it: a classifier (an object, or
    ``model``, the path of a saved model each worker loads once), neutral statements, a cue lexicon."""

    include_neutral: bool = False
    cues: str | None = None
    model: str | None = None
    classifier: object = None

    def build(self):
        """The classifier to use (None: the default cue classifier)."""
        if self.model is not None:
            from diplomacy_lab.statements.classifier import load_model  # skops: only when a model is asked for

            return load_model(self.model)
        return self.classifier


@dataclass
class ChunkStatements:
    """The statements of one chunk: ``index`` (0-based, input order), ``articles`` in the chunk,
    ``statements`` (typed as :func:`~diplomacy_lab.scale.tables.conform` types them), and the chunk's
    load ``report`` and ``n_inputs`` (what the input held, loaded or not)."""

    index: int
    articles: int
    statements: pd.DataFrame
    report: pd.DataFrame = field(default_factory=pd.DataFrame)
    n_inputs: int = 0


def as_codebook(codebook: Codebook | str | Path) -> Codebook:
    """``codebook`` itself, or the codebook loaded from its YAML path."""
    return codebook if isinstance(codebook, Codebook) else load_codebook(codebook)


def portable(codebook: Codebook | str | Path) -> Codebook | str:
    """What to send to a worker: a path as a string, a codebook without its compiled cache (each worker compiles its own)."""
    return replace(codebook) if isinstance(codebook, Codebook) else str(codebook)


def chunk_fields(chunk: pd.DataFrame) -> pd.DataFrame:
    """The columns of a chunk the statements step reads, without the load report (all a worker needs)."""
    frame = chunk[[c for c in ARTICLE_FIELDS if c in chunk.columns]]
    frame = frame.copy()
    frame.attrs = {}
    return frame


def statements_of(articles: pd.DataFrame, book: Codebook, options: StatementOptions, classifier=None) -> pd.DataFrame:
    """The typed statements of one chunk."""
    if articles.empty:
        return statements_meta()
    st = extract_statements(articles, book, classifier=classifier, include_neutral=options.include_neutral,
                            cues=options.cues, progress=False)
    return conform(st)


# --- in the worker processes -----------------------------------------------------------------------

_WORKER: dict = {}


def _start(codebook, options: StatementOptions) -> None:
    """Worker initializer: the codebook compiled, the classifier loaded, once per process."""
    book = as_codebook(codebook)
    compile_codebook(book)
    _WORKER.update(book=book, options=options, classifier=options.build())


def _run(articles: pd.DataFrame) -> pd.DataFrame:
    return statements_of(articles, _WORKER["book"], _WORKER["options"], _WORKER["classifier"])


# --- in the calling process ------------------------------------------------------------------------


def extract_statements_chunked(
    chunks: Iterable[pd.DataFrame],
    codebook: Codebook | str | Path,
    *,
    workers: int = 1,
    options: StatementOptions | None = None,
) -> Iterator[ChunkStatements]:
    """The statements of each articles table in ``chunks`` (from
    :func:`~diplomacy_lab.loading.stream.iter_corpus`, or any tables with ``doc_id`` and ``text``),
    one :class:`ChunkStatements` per chunk, in input order.

    ``workers``: processes (1 = in this process, no pool). ``options``: see :class:`StatementOptions`.
    The rows are those of ``extract_statements`` on each chunk, whatever ``workers`` is.
    """
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise ValueError(f"workers={workers!r}; give a number of processes >= 1")
    options = options or StatementOptions()
    book = as_codebook(codebook)
    if workers == 1:
        classifier = options.build()
        for index, chunk in enumerate(chunks):
            yield _done(index, chunk, statements_of(chunk_fields(chunk), book, options, classifier))
        return
    yield from _pooled(chunks, book, workers, options)


def _report(chunk: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """A chunk's load report and input count (a table not from ``iter_corpus``: none, one input per row)."""
    held = chunk.attrs.get("load_report")
    if held is None:
        return pd.DataFrame(), len(chunk)
    return held.table, held.n_inputs


def _done(index: int, chunk: pd.DataFrame, statements: pd.DataFrame) -> ChunkStatements:
    return ChunkStatements(index, len(chunk), statements, *_report(chunk))


def _pooled(chunks, book: Codebook, workers: int, options: StatementOptions) -> Iterator[ChunkStatements]:
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(portable(book), options))
    pending: deque = deque()
    try:
        for index, chunk in enumerate(chunks):
            future = pool.submit(_run, chunk_fields(chunk))
            pending.append((index, len(chunk), *_report(chunk), future))
            del chunk
            while len(pending) >= 2 * workers:
                yield _collect(pending.popleft())
        while pending:
            yield _collect(pending.popleft())
    except BrokenProcessPool as exc:
        raise RuntimeError(f"a worker process died ({exc}); with large chunks, try fewer workers or smaller "
                           f"chunks (each worker holds about two)") from exc
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _collect(item) -> ChunkStatements:
    index, n, report, n_inputs, future = item
    return ChunkStatements(index, n, future.result(), report, n_inputs)


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
