"""Read inputs a piece at a time: raw records of folders, JSONL, CSV/TSV and parquet files in batches.

What :func:`~diplomacy_lab.loading.readers.read_file` and ``read_folder`` read whole, read here in
:class:`~diplomacy_lab.loading.readers.Batch` es of at most ``size`` records, with the same
``_source`` names, the same problems and the same encoding decisions (a file's encoding is decided
on the whole file, block by block, before its first record is read). ``iter_corpus`` turns the
batches into articles tables.

>>> from diplomacy_lab.loading.corpus import expand_sources
>>> batches = list(record_batches(expand_sources("data/seed"), 2))
>>> [len(b) for b in batches]
[1, 1, 1, 1, 1]
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pandas as pd

from diplomacy_lab.loading.readers import (
    JSONL_SUFFIXES,
    MANIFEST_NAMES,
    TABLE_SUFFIXES,
    Batch,
    Problem,
    apply_manifest,
    folder_files,
    read_file,
    read_manifest,
)
from diplomacy_lab.loading.textio import FALLBACK_ENCODINGS, looks_binary

__all__ = ["record_batches", "sources"]

_BLOCK = 1 << 20  # bytes read at a time when checking a file's encoding
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def record_batches(items: list, size: int, manifest: str | Path | None = None, encoding: str | None = None,
                   sep: str | None = None) -> Iterator[Batch]:
    """Raw records of every item of :func:`sources`, in input order, in batches of at most ``size``
    records (a batch may also carry only problems)."""
    options = {"manifest": manifest, "encoding": encoding, "sep": sep}
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
                apply_manifest(batch, name, wanted.get(path), manifest)
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
