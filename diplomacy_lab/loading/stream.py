"""Stream a corpus in chunks: the articles table a chunk at a time, in memory that does not grow with the corpus.

:func:`iter_corpus` reads the same sources as :func:`~diplomacy_lab.loading.corpus.load_corpus`
and yields articles tables of at most ``chunk_size`` rows, built by ``load_corpus`` itself (same
columns, dates, ids, text checks), with the reading problems of each stretch of input in the
chunk's load report. JSONL and CSV/TSV files are read line by line and parquet files row group
by row group, so a 10 GB file never sits in memory; folders go file by file.

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
import glob
import json
import re
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

import pandas as pd

from diplomacy_lab.loading.corpus import (
    ARTICLE_COLUMNS,
    FIXES,
    REPORT_COLUMNS,
    CorpusLoadError,
    LoadReport,
    load_corpus,
    load_report,
)
from diplomacy_lab.loading.readers import (
    JSONL_SUFFIXES,
    MANIFEST_NAMES,
    TABLE_SUFFIXES,
    Batch,
    Problem,
    folder_files,
    read_file,
    read_manifest,
)
from diplomacy_lab.loading.textio import FALLBACK_ENCODINGS, looks_binary

__all__ = ["DEFAULT_CHUNK_SIZE", "iter_corpus"]

#: Articles per chunk unless told otherwise: about 13 MB of news text, a few hundred MB at the peak
#: of building the table.
DEFAULT_CHUNK_SIZE = 2_000
_BLOCK = 1 << 20  # bytes read at a time when checking a file's encoding
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_MAPPING = ("text", "date", "outlet", "title", "url", "id", "lang")


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
    items = _sources(source)
    names = {"text": text, "date": date, "outlet": outlet, "title": title, "url": url, "id": id, "lang": lang}
    options = {"manifest": manifest, "encoding": encoding, "sep": sep}
    shaping = {"dayfirst": dayfirst, "date_format": date_format, "default_lang": default_lang}
    return _chunks(items, chunk_size, names, options, shaping, strict)


# --- sources --------------------------------------------------------------------------------------


def _sources(source) -> list:
    """Files, folders and DataFrames named by ``source`` (a path, a glob, a DataFrame or a list of them)."""
    if isinstance(source, pd.DataFrame):
        return [source]
    if isinstance(source, (str, Path)):
        value = str(source)
        if any(ch in value for ch in "*?["):
            matches = sorted(glob.glob(value, recursive=True))
            if not matches:
                raise FileNotFoundError(f"the pattern {value!r} matches no file or folder")
            return [Path(m) for m in matches]
        path = Path(value).expanduser()
        if not path.exists():
            raise FileNotFoundError(f"no such file or folder: {value!r}; pass a folder, a file, a glob or a list of them")
        return [path]
    if isinstance(source, Iterable):
        items = [item for s in source for item in _sources(s)]
        if not items:
            raise ValueError("iter_corpus got an empty list of sources")
        return items
    raise TypeError(f"iter_corpus cannot read a {type(source).__name__}; pass a path, a glob, a DataFrame or a list")


def _batches(items: list, size: int, options: dict) -> Iterator[Batch]:
    """Raw records of every source, in input order, as batches of at most ``size`` records."""
    for item in items:
        if isinstance(item, pd.DataFrame):
            frame = item.reset_index(drop=True)
            for lo in range(0, len(frame), size):
                part = frame.iloc[lo : lo + size].copy()
                part["_source"] = [f"dataframe:{i}" for i in range(lo + 1, lo + len(part) + 1)]
                yield Batch(frames=[part], n_inputs=len(part))
        elif item.is_dir():
            yield from _folder(item, size, options)
        elif item.name in MANIFEST_NAMES:
            detail = f"{item.name} is a manifest, not articles; load its folder ({item.parent}) to apply it"
            yield Batch(problems=[Problem(item.name, "manifest_file", detail)], n_inputs=1)
        else:
            yield from _file(item, item.name, size, options["encoding"], options["sep"])


def _file(path: Path, name: str, size: int, encoding: str | None, sep: str | None) -> Iterator[Batch]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl(path, name, size, encoding)
    elif suffix in (".parquet", ".pq"):
        yield from _parquet(path, name, size)
    elif suffix in TABLE_SUFFIXES:
        yield from _table(path, name, size, encoding, sep)
    else:  # one article (.txt, .md, .html, .json object) or a JSON list, read whole
        batch = read_file(path, name, encoding, sep)
        frame = batch.to_frame() if len(batch) else None
        if frame is None or len(frame) <= size:
            yield batch
            return
        for lo in range(0, len(frame), size):
            part = Batch(frames=[frame.iloc[lo : lo + size]], n_inputs=min(size, len(frame) - lo))
            if lo == 0:
                part.problems, part.n_inputs = batch.problems, part.n_inputs + batch.n_inputs - len(frame)
            yield part


def _folder(folder: Path, size: int, options: dict) -> Iterator[Batch]:
    """A folder file by file, metadata from its manifest, as ``read_folder`` does it."""
    folder = folder.resolve()
    manifest = options["manifest"]
    manifest = Path(manifest) if manifest else next((folder / n for n in MANIFEST_NAMES if (folder / n).is_file()), None)
    files, problems = folder_files(folder)
    head = Batch(problems=problems, n_inputs=sum(p.action == "skipped" for p in problems))
    wanted: dict[Path, dict] = {}
    if manifest is not None:
        for row in read_manifest(manifest).to_dict("records"):
            entry = str(row["file"])
            path = _inside(folder, entry)
            where = f"{manifest.name}:{entry}"
            if path is None or not path.is_file():
                head.n_inputs += 1
            if path is None:
                head.problems.append(Problem(where, "outside_corpus", f"manifest entry {entry!r} points outside {folder}; refused"))
            elif not path.is_file():
                head.problems.append(Problem(where, "missing_file", f"manifest entry {entry!r}: no such file in {folder}"))
            elif path in wanted:
                head.problems.append(Problem(where, "duplicate_manifest_entry",
                                             f"manifest lists {entry!r} twice; the first is used", "warning"))
            else:
                wanted[path] = {k: v for k, v in row.items() if k != "file" and not _missing(v)}
        files = sorted(set(files) | set(wanted))
    if head.problems or head.n_inputs:
        yield head
    for path in files:
        name = path.relative_to(folder).as_posix()
        for batch in _file(path, name, size, options["encoding"], options["sep"]):
            if manifest is not None:
                meta = wanted.get(path)
                if meta is None:
                    batch.problems.append(Problem(name, "not_in_manifest", f"{name} is not listed in {manifest.name}", "info"))
                else:
                    for row in batch.rows:
                        row.update(meta)
                    for frame in batch.frames:
                        for key, value in meta.items():
                            frame[key] = value
            yield batch


def _inside(folder: Path, entry: str) -> Path | None:
    """The path of a manifest entry if it stays inside ``folder``; None if it points outside."""
    rel = PurePosixPath(entry.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts:
        return None
    path = (folder / rel).resolve()
    return path if path.is_relative_to(folder.resolve()) else None


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


# --- files read a piece at a time -------------------------------------------------------------------


def _encoding_of(path: Path, name: str, encoding: str | None) -> tuple[str | None, list[Problem]]:
    """The encoding ``load_corpus`` would decode the whole file with (checked block by block), or
    None and the problem that skips the file."""
    with path.open("rb") as f:
        head = f.read(8192)
    if not head.strip() and (not path.stat().st_size or not path.read_bytes().strip()):
        return None, [Problem(name, "empty", f"{name} is empty")]
    for bom, bom_name in _BOMS:
        if head.startswith(bom):
            return (bom_name, []) if _decodes(path, bom_name) else (None, [Problem(
                name, "undecodable", f"{name} starts with a {bom_name} byte-order mark but does not decode as {bom_name}")])
    if looks_binary(head):
        return None, [Problem(name, "binary", f"{name} holds NUL or control bytes: not a text file")]
    for candidate in (encoding,) if encoding else FALLBACK_ENCODINGS:
        if _decodes(path, candidate, controls=candidate == "latin-1"):
            info = [Problem(name, "fallback_encoding", f"{name} is not UTF-8; decoded as {candidate}", "info")] \
                if candidate in ("cp1252", "latin-1") and encoding is None else []
            return candidate, info
    detail = f"{name} could not be decoded as {' or '.join((encoding,) if encoding else FALLBACK_ENCODINGS)}; " \
             "pass encoding=... with the file's encoding"
    return None, [Problem(name, "undecodable", detail)]


def _decodes(path: Path, encoding: str, controls: bool = False) -> bool:
    """Whether the whole file decodes (and, with ``controls``, holds no stray control character)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as f:
            while block := f.read(_BLOCK):
                text = decoder.decode(block)
                if controls and _CONTROL.search(text):
                    return False
            decoder.decode(b"", final=True)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _jsonl(path: Path, name: str, size: int, encoding: str | None) -> Iterator[Batch]:
    """A JSONL file line by line, as ``read_jsonl_file`` reads it whole."""
    enc, problems = _encoding_of(path, name, encoding)
    if enc is None:
        yield Batch(problems=problems, n_inputs=1)
        return
    batch = Batch(problems=problems)
    seen = False
    with path.open(encoding=enc, newline=None) as f:  # universal newlines: CRLF and CR become "\n"
        for lineno, line in enumerate(f, start=1):
            if not line.strip():
                continue
            seen = True
            batch.n_inputs += 1
            where = f"{name}:{lineno}"
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                batch.problems.append(Problem(where, "malformed_json", f"line {lineno} of {name} is not valid JSON ({exc})"))
                continue
            if not isinstance(item, dict):
                batch.problems.append(Problem(where, "malformed_json", f"line {lineno} of {name} is not a JSON object"))
                continue
            item["_source"] = where
            batch.rows.append(item)
            if len(batch.rows) >= size:
                yield batch
                batch = Batch()
    if not seen:
        batch.problems.append(Problem(name, "empty", f"{name} is empty"))
        batch.n_inputs = 1
    if batch.rows or batch.problems or batch.n_inputs:
        yield batch


def _table(path: Path, name: str, size: int, encoding: str | None, sep: str | None) -> Iterator[Batch]:
    """A CSV or TSV file ``size`` rows at a time, as ``read_table_file`` reads it whole."""
    enc, problems = _encoding_of(path, name, encoding)
    if enc is None:
        yield Batch(problems=problems, n_inputs=1)
        return
    delimiter = sep or ("\t" if path.suffix.lower() == ".tsv" else ",")
    done = 0
    try:
        with path.open(encoding=enc, newline=None) as f:
            reader = pd.read_csv(f, sep=delimiter, dtype=str, keep_default_na=False, na_values=[""], chunksize=size)
            for frame in reader:
                frame = frame.reset_index(drop=True)
                frame["_source"] = [f"{name}:{i}" for i in range(done + 1, done + len(frame) + 1)]
                done += len(frame)
                yield Batch(frames=[frame], problems=problems, n_inputs=len(frame))
                problems = []
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        where = f" after row {done}" if done else ""
        detail = f"{name} could not be read as a table{where} ({str(exc).splitlines()[0]})"
        yield Batch(problems=problems + [Problem(name, "unreadable", detail)], n_inputs=1)
        return
    if not done:
        yield Batch(problems=problems + [Problem(name, "empty", f"{name} has no rows")], n_inputs=1)


def _parquet(path: Path, name: str, size: int) -> Iterator[Batch]:
    """A parquet file a row group at a time (in pieces of at most ``size`` rows)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    done = 0
    try:
        parquet = pq.ParquetFile(path)
        for record_batch in parquet.iter_batches(batch_size=size):
            frame = _arrow_frame(pa.Table.from_batches([record_batch]))
            frame["_source"] = [f"{name}:{i}" for i in range(done + 1, done + len(frame) + 1)]
            done += len(frame)
            yield Batch(frames=[frame], n_inputs=len(frame))
    except (ValueError, OSError, pa.ArrowException) as exc:
        where = f" after row {done}" if done else ""
        detail = f"{name} could not be read as a table{where} ({str(exc).splitlines()[0]})"
        yield Batch(problems=[Problem(name, "unreadable", detail)], n_inputs=1)
        return
    if not done:
        yield Batch(problems=[Problem(name, "empty", f"{name} has no rows")], n_inputs=1)


def _arrow_frame(table) -> pd.DataFrame:
    """An Arrow table as ``pd.read_parquet`` gives it: strings as pandas' string dtype."""
    import pyarrow as pa

    strings = pd.StringDtype(na_value=float("nan"))
    mapping = {pa.string(): strings, pa.large_string(): strings, pa.string_view(): strings}
    return table.to_pandas(types_mapper=mapping.get).reset_index(drop=True)


# --- chunks -----------------------------------------------------------------------------------------


def _chunks(items: list, size: int, names: dict, options: dict, shaping: dict, strict: bool) -> Iterator[pd.DataFrame]:
    seen_ids: set[str] = set()
    seen_fields: set[str] = set()
    pending = Batch()
    for batch in _batches(items, size, options):
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
