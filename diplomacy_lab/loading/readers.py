"""Read one input (a file or a folder) into raw records, listing every problem on the way.

Each reader returns a :class:`Batch`: raw records with the input's own field names plus
``_source`` (the file name, or ``file:row`` for tables), and a list of :class:`Problem`
lines for what could not be read. Column mapping, dates and ids are the business of
:mod:`diplomacy_lab.loading.corpus`.

>>> batch = read_folder(Path("data/seed"))
>>> len(batch), batch.problems
(5, [])
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path, PurePosixPath

import pandas as pd

from diplomacy_lab.errors import CorpusLoadError
from diplomacy_lab.loading.problems import LEVELS, MANIFEST_NAMES, Batch, Problem
from diplomacy_lab.loading.textio import DecodeError, decode_bytes
from diplomacy_lab.loading.walk import file_kind, folder_files

__all__ = [
    "LEVELS", "MANIFEST_NAMES", "MAX_COLUMNS", "Batch", "Problem", "apply_manifest", "folder_files", "read_file",
    "read_folder",
    "read_manifest", "scrub_surrogates",
]

TEXT_SUFFIXES = {".txt", ".md", ".text"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
TABLE_SUFFIXES = {".csv", ".tsv", ".parquet", ".pq"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | TABLE_SUFFIXES | HTML_SUFFIXES
#: Tables with more columns than this are refused (``load_corpus(max_columns=...)`` raises it).
MAX_COLUMNS = 10_000
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def scrub_surrogates(value):
    """``value`` (a JSON value) with lone surrogates (``"\\ud800"``, which no file can hold as
    UTF-8) replaced by U+FFFD; returns ``(value, number replaced)``. Iterative: any depth.

    >>> scrub_surrogates({"text": ["a \\ud800 b"]})
    ({'text': ['a \ufffd b']}, 1)
    """
    count = 0

    def clean(text: str) -> str:
        nonlocal count
        fixed, n = _SURROGATE.subn("\ufffd", text)
        count += n
        return fixed

    root = [value]
    stack = [(root, 0)]
    while stack:
        holder, key = stack.pop()
        item = holder[key]
        if isinstance(item, str):
            holder[key] = clean(item)
        elif isinstance(item, list):
            stack.extend((item, i) for i in range(len(item)))
        elif isinstance(item, dict):
            for k in list(item):
                if isinstance(k, str) and _SURROGATE.search(k):
                    item[clean(k)] = item.pop(k)
            stack.extend((item, k) for k in item)
    return root[0], count


def _json(raw: str, where: str, what: str) -> tuple[object, list[Problem]]:
    """Parse JSON text; ``(None, [problem])`` when it is not valid, too deep, or holds lone surrogates."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return None, [Problem(where, "malformed_json", f"{what} is not valid JSON ({exc})")]
    except RecursionError:
        return None, [Problem(where, "malformed_json", f"{what} is nested too deeply for Python to read (about 1,000 levels)")]
    if _SURROGATE_ESCAPE.search(raw):
        data, n = scrub_surrogates(data)
        if n:
            return data, [Problem(where, "lone_surrogate",
                                  f"{what}: {n} lone surrogate escape(s) (e.g. \\ud800) replaced with U+FFFD", "warning")]
    return data, []

def _empty_batch(problems: list[Problem], n_inputs: int) -> Batch:
    return Batch(problems=problems, n_inputs=n_inputs)


def _read_text(path: Path, name: str, encoding: str | None) -> tuple[str | None, list[Problem]]:
    try:
        decoded = decode_bytes(path.read_bytes(), encoding)
    except DecodeError as exc:
        return None, [Problem(name, exc.reason, f"{name} {exc}")]
    except OSError as exc:
        return None, [Problem(name, "unreadable", f"{name} could not be read: {exc}")]
    if not decoded.text.strip():
        return None, [Problem(name, "empty", f"{name} is empty")]
    problems = []
    if decoded.encoding in ("cp1252", "latin-1") and encoding is None:
        problems.append(
            Problem(name, "fallback_encoding", f"{name} is not UTF-8; decoded as {decoded.encoding}", "info")
        )
    return decoded.text, problems


_CREDIT = re.compile(r"^(©|\(c\)|photo:|image:|credit:)", re.IGNORECASE)


def _first_line(text: str) -> str | None:
    """The first non-empty line that is not a photo credit (Markdown ``#`` removed)."""
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if line and not _CREDIT.match(line):
            return line
    return None


def read_text_file(path: Path, name: str, encoding: str | None = None) -> Batch:
    """A ``.txt``/``.md`` article: the whole file is the text, its first non-empty line the title."""
    text, problems = _read_text(path, name, encoding)
    if text is None:
        return _empty_batch(problems, 1)
    return Batch(rows=[{"text": text, "title": _first_line(text), "_source": name}], problems=problems, n_inputs=1)


def read_html_file(path: Path, name: str, encoding: str | None = None) -> Batch:
    """An ``.html`` page: main text, title, date, site name and URL extracted by trafilatura."""
    import trafilatura

    html, problems = _read_text(path, name, encoding)
    if html is None:
        return _empty_batch(problems, 1)
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    meta = trafilatura.extract_metadata(html)
    record = {
        "text": text or "",
        "title": getattr(meta, "title", None),
        "date": getattr(meta, "date", None),
        "outlet": getattr(meta, "sitename", None),
        "url": getattr(meta, "url", None),
        "_source": name,
    }
    return Batch(rows=[record], problems=problems, n_inputs=1)


def read_json_file(path: Path, name: str, encoding: str | None = None) -> Batch:
    """A ``.json`` file: one article (an object) or a table of articles (a list of objects)."""
    raw, problems = _read_text(path, name, encoding)
    if raw is None:
        return _empty_batch(problems, 1)
    data, found = _json(raw, name, name)
    problems += found
    if data is None and found and found[-1].level == "error":
        return _empty_batch(problems, 1)
    if isinstance(data, dict):
        return Batch(rows=[{**data, "_source": name}], problems=problems, n_inputs=1)
    if isinstance(data, list):
        if not data:
            return _empty_batch(problems + [Problem(name, "empty", f"{name} holds an empty list")], 1)
        rows = []
        for i, item in enumerate(data, start=1):
            if isinstance(item, dict):
                rows.append({**item, "_source": f"{name}:{i}"})
            else:
                problems.append(
                    Problem(f"{name}:{i}", "malformed_json", f"item {i} of {name} is a {type(item).__name__}, not an object")
                )
        return Batch(rows=rows, problems=problems, n_inputs=max(len(data), 1))
    problems.append(Problem(name, "malformed_json", f"{name} holds a {type(data).__name__}; expected an object or a list"))
    return _empty_batch(problems, 1)


def read_jsonl_file(path: Path, name: str, encoding: str | None = None) -> Batch:
    """A ``.jsonl`` file: one JSON object per line; blank lines are ignored."""
    raw, problems = _read_text(path, name, encoding)
    if raw is None:
        return _empty_batch(problems, 1)
    rows, n = [], 0
    for lineno, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        n += 1
        where = f"{name}:{lineno}"
        item, found = _json(line, where, f"line {lineno} of {name}")
        problems += found
        if item is None and found and found[-1].level == "error":
            continue
        if not isinstance(item, dict):
            problems.append(Problem(where, "malformed_json", f"line {lineno} of {name} is not a JSON object"))
            continue
        rows.append({**item, "_source": where})
    return Batch(rows=rows, problems=problems, n_inputs=n)


def read_table_file(path: Path, name: str, encoding: str | None = None, sep: str | None = None,
                    max_columns: int = MAX_COLUMNS) -> Batch:
    """A CSV, TSV or parquet table: one article per row; ``_source`` is ``file:row`` (1-based).

    A table with more than ``max_columns`` columns is refused (reason ``too_many_columns``).
    """
    problems: list[Problem] = []
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            width = len(pq.read_schema(path).names)
            if width > max_columns:
                return _empty_batch([_too_wide(name, width, max_columns)], 1)
            frame = pd.read_parquet(path)
        else:
            raw, problems = _read_text(path, name, encoding)
            if raw is None:
                return _empty_batch(problems, 1)
            delimiter = sep or ("\t" if suffix == ".tsv" else ",")
            width = _header_width(raw, delimiter)
            if width > max_columns:
                return _empty_batch(problems + [_too_wide(name, width, max_columns)], 1)
            frame = pd.read_csv(io.StringIO(raw), sep=delimiter, dtype=str, keep_default_na=False, na_values=[""])
    except (ValueError, OSError, pd.errors.ParserError, csv.Error) as exc:
        detail = f"{name} could not be read as a table ({(str(exc).splitlines() or [type(exc).__name__])[0]})"
        return _empty_batch(problems + [Problem(name, "unreadable", detail)], 1)
    if frame.empty:
        return _empty_batch(problems + [Problem(name, "empty", f"{name} has no rows")], 1)
    frame = frame.reset_index(drop=True)
    frame["_source"] = [f"{name}:{i}" for i in range(1, len(frame) + 1)]
    return Batch(frames=[frame], problems=problems, n_inputs=max(len(frame), 1))


def _header_width(raw: str, delimiter: str) -> int:
    """The number of fields in a CSV's header (its first record)."""
    if len(delimiter) != 1:
        return len(raw.split("\n", 1)[0].split(delimiter))
    return len(next(csv.reader(io.StringIO(raw[: 1 << 20]), delimiter=delimiter), []))


def _too_wide(name: str, width: int, limit: int) -> Problem:
    return Problem(name, "too_many_columns", f"{name} has {width:,} columns, more than max_columns={limit:,}")


def read_file(path: Path, name: str, encoding: str | None = None, sep: str | None = None,
              max_columns: int = MAX_COLUMNS) -> Batch:
    """Dispatch on the file suffix; an unsupported suffix is reported, not guessed at. Anything
    but a regular file (a named pipe, a device, a dangling link) is reported, never opened."""
    kind, what = file_kind(path)
    if kind != "file":
        reason = {"special": "special_file", "missing": "missing_file", "loop": "link_loop"}.get(kind, "unreadable")
        return _empty_batch([Problem(name, reason, f"{name} is {what}: not read")], 1)
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return read_text_file(path, name, encoding)
    if suffix in HTML_SUFFIXES:
        return read_html_file(path, name, encoding)
    if suffix in JSON_SUFFIXES:
        return read_json_file(path, name, encoding)
    if suffix in JSONL_SUFFIXES:
        return read_jsonl_file(path, name, encoding)
    if suffix in TABLE_SUFFIXES:
        return read_table_file(path, name, encoding, sep, max_columns)
    supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
    return _empty_batch([Problem(name, "unsupported_format", f"{name}: {suffix or 'no suffix'} is not one of {supported}")], 1)


def apply_manifest(batch: Batch, name: str, meta: dict | None, manifest: Path) -> None:
    """Give the records of one file the manifest's fields for it (``meta``), or note that the
    manifest does not list it."""
    if meta is None:
        batch.problems.append(Problem(name, "not_in_manifest", f"{name} is not listed in {manifest.name}", "info"))
        return
    for row in batch.rows:
        row.update(meta)
    for frame in batch.frames:
        for key, value in meta.items():
            frame[key] = value


def read_manifest(path: Path) -> pd.DataFrame:
    """Read a manifest (CSV, TSV or JSONL with a ``file`` column); raises CorpusLoadError if malformed."""
    batch = read_jsonl_file(path, path.name) if path.suffix == ".jsonl" else read_table_file(path, path.name)
    if batch.problems and any(p.level == "error" for p in batch.problems):
        raise CorpusLoadError(f"the manifest could not be read: {batch.problems[0].detail}", where=str(path),
                              fix="fix the manifest, or pass manifest=... with another one")
    frame = batch.to_frame().drop(columns="_source")
    if "file" not in frame.columns:
        raise CorpusLoadError(f"the manifest has no 'file' column (it has {list(frame.columns)})", where=str(path),
                              fix="add a 'file' column naming each article's file, relative to the folder")
    return frame


def _short(entry: str, limit: int = 80) -> str:
    """A manifest entry as shown in a message: cut to ``limit`` characters, with its length."""
    return repr(entry) if len(entry) <= limit else f"{entry[:limit]!r}... ({len(entry):,} characters)"


def _inside(folder: Path, entry: str) -> Path | None:
    """The path of a manifest entry if it stays inside ``folder`` (relative, or absolute and
    inside); None if it points outside."""
    rel = PurePosixPath(entry.replace("\\", "/"))
    if ".." in rel.parts:
        return None
    try:
        path = Path(rel) if rel.is_absolute() else folder / rel
        path = path.resolve()
    except (OSError, RuntimeError):  # a name too long, a link loop: judged by file_kind later
        path = folder / rel
    return path if path.is_relative_to(folder) else None


def _manifest_problem(folder: Path, manifest: Path, rowno: int, value) -> tuple[Path | None, Problem | None]:
    """The file a manifest row names, or the problem with it."""
    if _missing(value) or not str(value).strip():
        where = f"{manifest.name}:{rowno}"
        return None, Problem(where, "empty_manifest_entry", f"row {rowno} of {manifest.name} has no file name")
    entry = str(value).strip()
    where = f"{manifest.name}:{entry if len(entry) <= 200 else entry[:200] + '...'}"
    path = _inside(folder, entry)
    if path is None:
        return None, Problem(where, "outside_corpus", f"manifest entry {_short(entry)} points outside {folder}; refused")
    kind, what = file_kind(path)
    if kind == "missing":
        return None, Problem(where, "missing_file", f"manifest entry {_short(entry)}: no such file in {folder}")
    if kind != "file":
        reason = "special_file" if kind == "special" else "link_loop" if kind == "loop" else "unreadable"
        return None, Problem(where, reason, f"manifest entry {_short(entry)} is {what}: not read")
    return path, None


def read_folder(
    folder: Path,
    manifest: Path | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    progress=None,
    max_columns: int = MAX_COLUMNS,
) -> Batch:
    """Every supported file of a folder; metadata from its manifest joined on the ``file`` column.

    Manifest entries that point outside the folder, or at missing files, are refused and
    reported; files the manifest does not list are loaded and noted. ``progress`` wraps the
    file list (e.g. a tqdm factory).
    """
    folder = folder.resolve()
    if manifest is None:
        manifest = next((folder / n for n in MANIFEST_NAMES if (folder / n).is_file()), None)
    files, problems = folder_files(folder)
    out = Batch(problems=problems, n_inputs=sum(p.action == "skipped" for p in problems))
    wanted: dict[Path, dict] = {}
    if manifest is not None:
        for rowno, row in enumerate(read_manifest(manifest).to_dict("records"), start=1):
            path, problem = _manifest_problem(folder, manifest, rowno, row["file"])
            if problem is not None:
                out.n_inputs += 1
                out.problems.append(problem)
            elif path in wanted:
                entry = str(row["file"]).strip()
                out.problems.append(Problem(f"{manifest.name}:{entry}", "duplicate_manifest_entry",
                                            f"manifest lists {_short(entry)} twice; the first is used", "warning"))
            else:
                wanted[path] = {k: v for k, v in row.items() if k != "file" and not _missing(v)}
        files = sorted(set(files) | set(wanted))
    for path in progress(files) if progress else files:
        name = path.relative_to(folder).as_posix()
        batch = read_file(path, name, encoding, sep, max_columns)
        if manifest is not None:
            apply_manifest(batch, name, wanted.get(path), manifest)
        out.extend(batch)
    return out


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))
