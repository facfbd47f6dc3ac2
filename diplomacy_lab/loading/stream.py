"""Stream a corpus in chunks: the articles table a chunk at a time, in memory that does not grow with the corpus.

:func:`iter_corpus` reads the same sources as :func:`~diplomacy_lab.loading.corpus.load_corpus`
and yields articles tables of at most ``chunk_size`` rows, built by ``load_corpus`` itself (same
columns, dates, ids, text checks), with the reading problems of each stretch of input in the
chunk's load report. JSONL and CSV/TSV files are read line by line and parquet files row group
by row group (:mod:`diplomacy_lab.loading.pieces`), so a 10 GB file never sits in memory;
folders go file by file.

What differs from ``load_corpus``, because a stream is never seen whole:

* duplicates (exact and near copies) are not looked for;
* ids stay unique across chunks: a given id seen in an earlier chunk is skipped and reported
  (``duplicate_id``), a generated one (from a file name) gets a ``-2``, ``-3`` ... suffix.
  This set of ids is the one thing kept across chunks (about 80 bytes per article);
* a ``.json`` file holding a list of articles is read whole (JSON has no line structure),
  then cut into chunks; a table that turns out malformed half-way keeps the rows before;
* a chunk may hold no article but carry problems (a stretch of malformed lines): it is
  yielded anyway, so nothing is lost silently.

>>> chunks = list(iter_corpus("data/seed", chunk_size=2))
>>> [len(c) for c in chunks], chunks[0]["doc_id"].tolist()
([2, 2, 1], ['dialogue-jan2026', 'paris-us-role'])
>>> sum(len(load_report(c)) for c in chunks)
0
"""

from __future__ import annotations

import codecs
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from diplomacy_lab.loading.corpus import (
    ARTICLE_COLUMNS,
    FIXES,
    REPORT_COLUMNS,
    CorpusLoadError,
    LoadReport,
    expand_sources,
    load_corpus,
    load_report,
)
from diplomacy_lab.loading.pieces import record_batches
from diplomacy_lab.loading.readers import Batch, Problem

__all__ = ["DEFAULT_CHUNK_SIZE", "iter_corpus"]

#: Articles per chunk unless told otherwise: about 13 MB of news text, a few hundred MB at the peak
#: of building the table.
DEFAULT_CHUNK_SIZE = 2_000


def iter_corpus(
    source,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    text: str | None = None,
    date: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    url: str | None = None,
    id: str | None = None,
    lang: str | None = None,
    manifest: str | Path | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    dayfirst: bool = False,
    date_format: str | None = None,
    default_lang: str = "en",
    strict: bool = False,
) -> Iterator[pd.DataFrame]:
    """The articles of ``source``, as articles tables of at most ``chunk_size`` rows each.

    ``source`` and the options are those of :func:`~diplomacy_lab.loading.corpus.load_corpus`
    (a folder, a file, a glob, a DataFrame or a list of them; ``text=``, ``date=`` ... name the
    input's fields). Each chunk's ``load_report(chunk)`` lists what was not loaded, or loaded
    with a remark, in the stretch of input it came from; ``chunk.attrs["load_report"].n_inputs``
    counts that stretch's inputs. ``strict=True`` raises :class:`CorpusLoadError` at the first
    problem. Bad arguments and missing sources raise at the call, before any chunk.
    """
    if not isinstance(chunk_size, int) or isinstance(chunk_size, bool) or chunk_size < 1:
        raise ValueError(f"chunk_size={chunk_size!r}; give a whole number of articles >= 1")
    if encoding is not None:
        codecs.lookup(encoding)  # LookupError names an unknown encoding at once
    items = expand_sources(source, "iter_corpus")
    names = {"text": text, "date": date, "outlet": outlet, "title": title, "url": url, "id": id, "lang": lang}
    options = {"manifest": manifest, "encoding": encoding, "sep": sep}
    shaping = {"dayfirst": dayfirst, "date_format": date_format, "default_lang": default_lang}
    return _chunks(items, chunk_size, names, options, shaping, strict)


# --- chunks -----------------------------------------------------------------------------------------


def _chunks(items: list, size: int, names: dict, options: dict, shaping: dict, strict: bool) -> Iterator[pd.DataFrame]:
    seen_ids: set[str] = set()
    seen_fields: set[str] = set()
    pending = Batch()
    for batch in record_batches(items, size, **options):
        if strict:
            first = next((p for p in batch.problems if p.level in ("error", "warning")), None)
            if first is not None:
                raise CorpusLoadError(first)
        pending.extend(batch)
        if len(pending) >= size:
            yield _articles(pending, names, shaping, strict, seen_ids, seen_fields)
            pending = Batch()
    if len(pending) or pending.problems or not seen_ids:
        yield _articles(pending, names, shaping, strict, seen_ids, seen_fields)


def _articles(batch: Batch, names: dict, shaping: dict, strict: bool, seen_ids: set, seen_fields: set) -> pd.DataFrame:
    """One chunk: ``load_corpus`` on the batch's records (no duplicate search), its reading
    problems first in the report, ids kept unique against the chunks before."""
    problems = list(batch.problems)
    frame = _raw_frame(batch)
    if len(frame):
        for column in names.values():  # a named field missing here but seen before: this chunk just lacks it
            if column is not None and column not in frame.columns and column in seen_fields:
                frame[column] = None
        seen_fields.update(frame.columns)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the chunk's report says it all
            articles = load_corpus(frame, **names, **shaping, duplicates=False, strict=strict)
        if batch.rows:  # the other fields typed as the whole file's table would type them
            extra = [c for c in articles.columns if c not in ARTICLE_COLUMNS and articles[c].dtype == object]
            if extra:
                articles[extra] = articles[extra].infer_objects()
        report = load_report(articles)
    else:
        articles = _no_articles()
        report = pd.DataFrame(columns=REPORT_COLUMNS)
    articles, repeated = _unique_ids(articles, seen_ids)
    if strict and repeated:
        raise CorpusLoadError(repeated[0])
    if repeated:  # a skipped row has no other remark, as in load_corpus
        report = report[~report["source"].isin({p.source for p in repeated})]
    rows = [_report_row(p) for p in problems] + report.to_dict("records") + [_report_row(p) for p in repeated]
    table = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    n_inputs = batch.n_inputs
    articles.attrs["load_report"] = LoadReport(table, n_inputs, pd.DataFrame(columns=["doc_id", "duplicate_of", "kind", "similarity"]),
                                               articles["doc_id"])
    return articles


def _raw_frame(batch: Batch) -> pd.DataFrame:
    """The batch's records as one table. Records read line by line stay Python objects: typing
    them as strings first (what ``Batch.to_frame`` does) would copy every text twice more, and
    ``load_corpus`` types the columns it keeps anyway (five times faster on a JSONL chunk)."""
    parts = ([pd.DataFrame(batch.rows, dtype=object)] if batch.rows else []) + [f for f in batch.frames if len(f)]
    if not parts:
        return pd.DataFrame({"_source": pd.Series([], dtype=object)})
    return pd.concat(parts, ignore_index=True, sort=False) if len(parts) > 1 else parts[0]


def _no_articles() -> pd.DataFrame:
    """An articles table without rows, with ``load_corpus``'s columns and types."""
    return pd.DataFrame({c: pd.Series([], dtype="datetime64[ns]" if c == "date" else "str") for c in ARTICLE_COLUMNS})


def _unique_ids(articles: pd.DataFrame, seen: set[str]) -> tuple[pd.DataFrame, list[Problem]]:
    """Ids unique against earlier chunks: a repeated given id skips its row, a generated one gets a suffix."""
    ids = articles["doc_id"].tolist()
    clash = [i for i, d in enumerate(ids) if d in seen]
    repeated: list[Problem] = []
    if clash:
        keep = [True] * len(ids)
        sources = articles["source"].tolist()
        taken = seen | set(ids)
        for i in clash:
            base = _generated_base(sources[i])
            if ids[i] == base or re.fullmatch(re.escape(base) + r"-\d+", ids[i]):
                n = 2
                while f"{base}-{n}" in taken:
                    n += 1
                ids[i] = f"{base}-{n}"
                taken.add(ids[i])
            else:
                keep[i] = False
                repeated.append(Problem(sources[i], "duplicate_id", f"{sources[i]}: doc_id {ids[i]!r} is already used",
                                        doc_id=ids[i]))
        articles = articles.assign(doc_id=pd.Series(ids, index=articles.index, dtype=articles["doc_id"].dtype))
        articles = articles[keep].reset_index(drop=True)
    seen.update(articles["doc_id"])
    return articles, repeated


def _generated_base(source: str) -> str:
    """The id ``load_corpus`` generates from a source: ``seed/a.txt`` -> ``a``; ``table.csv:12`` -> ``table-12``."""
    name, _, row = source.partition(":")
    stem = Path(name).stem
    return f"{stem}-{row}" if row else stem


def _report_row(problem: Problem) -> dict:
    return {"source": problem.source, "doc_id": problem.doc_id, "level": problem.level, "action": problem.action,
            "reason": problem.reason, "detail": problem.detail, "fix": FIXES.get(problem.reason, "")}
