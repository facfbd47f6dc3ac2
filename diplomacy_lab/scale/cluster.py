"""The statements step on a Dask cluster (``pip install 'diplomacy-lab[dask]'``).

Two ways in, both with the statements of the local path, in the same order:

* :func:`extract_statements_dask`: a Dask DataFrame of articles in, a lazy Dask DataFrame of
  statements out, one partition per input partition, with an explicit ``meta`` (the typed,
  empty statements table: Dask's guess would be all-object columns);
* :func:`statements_on_cluster`: the chunks of a stream (``iter_corpus``) sent to an existing
  ``dask.distributed`` scheduler, at most two per worker thread at a time, results gathered in
  input order (what ``diplomacy-lab statements ... --scheduler tcp://HOST:PORT`` runs).

Either way the codebook travels once: as one task every partition depends on, or scattered
to every worker before the first chunk; each worker compiles it once. The workers need this
package installed (same version) and nothing else: the articles travel with the tasks.

>>> import dask.dataframe as dd
>>> from diplomacy_lab.loading.corpus import load_corpus
>>> articles = dd.from_pandas(load_corpus("data/seed"), npartitions=2)
>>> st = extract_statements_dask(articles, "data/codebooks/ukraine_2025.yaml")
>>> st.dtypes["sent_id"], len(st.compute(scheduler="synchronous"))
(dtype('int64'), 70)
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from diplomacy_lab.codebook.schema import Codebook
from diplomacy_lab.scale.local import (
    ChunkStatements,
    StatementOptions,
    as_codebook,
    chunk_fields,
    portable,
    statements_of,
)
from diplomacy_lab.scale.tables import statements_meta

__all__ = ["extract_statements_dask", "statements_on_cluster"]

#: Seconds to wait for the scheduler to answer, and for a first worker to join it.
CONNECT_TIMEOUT = 30


def _dask():
    try:
        import dask
        import dask.dataframe  # fails early when the dataframe extra is missing
    except ImportError as exc:
        raise ImportError("the Dask path needs dask: pip install 'diplomacy-lab[dask]' "
                          "(or pip install 'dask[distributed]')") from exc
    return dask


_CLASSIFIERS: dict = {}  # per worker process: model path -> loaded classifier


def _partition(articles: pd.DataFrame, book: Codebook, options: StatementOptions) -> pd.DataFrame:
    """The statements of one partition (runs on a worker)."""
    key = options.model
    if key is not None and key not in _CLASSIFIERS:
        _CLASSIFIERS[key] = options.build()
    classifier = _CLASSIFIERS[key] if key is not None else options.classifier
    return statements_of(chunk_fields(articles), book, options, classifier)


def extract_statements_dask(
    articles,
    codebook: Codebook | str | Path,
    *,
    include_neutral: bool = False,
    cues: str | None = None,
    classifier=None,
    model: str | None = None,
):
    """The statements of a Dask DataFrame of ``articles`` (columns as ``load_corpus`` gives them;
    ``doc_id`` and ``text`` at least), as a lazy Dask DataFrame.

    Partition *i* of the result holds the statements of partition *i* of ``articles``, in
    ``extract_statements`` order, so ``.compute()`` gives the rows of the local path (the index
    restarts in each partition: ``.compute().reset_index(drop=True)``). ``codebook`` (a Codebook or
    a YAML path read here) and the classifier (``classifier``, or ``model``: a saved model's path
    each worker loads once) are sent once. Doc ids must be unique within a partition.
    """
    dask = _dask()
    import dask.dataframe as dd

    if not isinstance(articles, dd.DataFrame):
        raise TypeError(f"extract_statements_dask() needs a dask DataFrame of articles, got {type(articles).__name__}; "
                        "for a pandas table use extract_statements, or dd.from_pandas(table, npartitions=...)")
    missing = [c for c in ("doc_id", "text") if c not in articles.columns]
    if missing:
        raise ValueError(f"extract_statements_dask() needs column(s) {missing}; got {list(articles.columns)}")
    book = dask.delayed(portable(as_codebook(codebook)), pure=True, traverse=False)
    options = dask.delayed(StatementOptions(include_neutral, cues, model, classifier), pure=True, traverse=False)
    return articles.map_partitions(_partition, book, options, meta=statements_meta(), align_dataframes=False)


def statements_on_cluster(
    chunks: Iterable[pd.DataFrame],
    codebook: Codebook | str | Path,
    scheduler: str,
    *,
    options: StatementOptions | None = None,
    timeout: float = CONNECT_TIMEOUT,
) -> Iterator[ChunkStatements]:
    """The statements of each chunk, computed on the ``dask.distributed`` cluster at ``scheduler``
    (``tcp://HOST:PORT``), one :class:`~diplomacy_lab.scale.local.ChunkStatements` per chunk, in input
    order. ``timeout``: seconds to wait for the scheduler, and for a first worker, before giving up."""
    _dask()
    from distributed import Client

    options = options or StatementOptions()
    book = portable(as_codebook(codebook))
    try:
        client = Client(scheduler, timeout=timeout, set_as_default=False)
    except OSError as exc:
        raise ConnectionError(f"no Dask scheduler answered at {scheduler} within {timeout:g} s ({exc}); start one "
                              "with `dask scheduler` and workers with `dask worker SCHEDULER_ADDRESS`") from exc
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError as exc:
            raise ConnectionError(f"the Dask scheduler at {scheduler} has no worker (none joined within {timeout:g} s); "
                                  f"start some with `dask worker {scheduler}`") from exc
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        [book_future] = client.scatter([book], broadcast=True)
        pending: deque = deque()
        for index, chunk in enumerate(chunks):
            held = chunk.attrs.get("load_report")
            report, n_inputs = (held.table, held.n_inputs) if held is not None else (pd.DataFrame(), len(chunk))
            future = client.submit(_partition, chunk_fields(chunk), book_future, options, pure=False)
            pending.append(ChunkStatements(index, len(chunk), future, report, n_inputs))
            del chunk
            while len(pending) >= 2 * max(threads, 1):
                yield _gathered(pending.popleft())
        while pending:
            yield _gathered(pending.popleft())
    finally:
        client.close()


def _gathered(item: ChunkStatements) -> ChunkStatements:
    item.statements = item.statements.result()
    return item
