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

import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from diplomacy_lab.loading.textio import DecodeError, decode_bytes

TEXT_SUFFIXES = {".txt", ".md", ".text"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
TABLE_SUFFIXES = {".csv", ".tsv", ".parquet", ".pq"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | TABLE_SUFFIXES | HTML_SUFFIXES
MANIFEST_NAMES = ("manifest.csv", "manifest.jsonl", "manifest.tsv")

#: Problem levels: ``error`` = the item was skipped; ``warning`` = kept, but something is off;
#: ``info`` = kept, worth knowing (a missing date, a fallback encoding).
LEVELS = ("error", "warning", "info")


@dataclass(frozen=True)
class Problem:
    """One line of the load report."""

    source: str
    reason: str
    detail: str
    level: str = "error"
    doc_id: str | None = None
    dropped: bool = False
    skip: bool = False  # not loaded although not an error (a hidden file)

    @property
    def action(self) -> str:
        """``skipped`` (never loaded), ``dropped`` (loaded, then dropped on request) or ``kept``."""
        if self.level == "error" or self.skip:
            return "skipped"
        return "dropped" if self.dropped else "kept"


@dataclass
class Batch:
    """Raw records read from inputs (dict rows and whole tables), and the problems met reading them."""

    rows: list[dict] = field(default_factory=list)
    frames: list[pd.DataFrame] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    n_inputs: int = 0

    def extend(self, other: Batch) -> None:
        self.rows.extend(other.rows)
        self.frames.extend(other.frames)
        self.problems.extend(other.problems)
        self.n_inputs += other.n_inputs

    def __len__(self) -> int:
        return len(self.rows) + sum(len(f) for f in self.frames)

    def to_frame(self) -> pd.DataFrame:
        """All records as one DataFrame (columns are the union of the inputs' columns)."""
        parts = ([pd.DataFrame.from_records(self.rows)] if self.rows else []) + [f for f in self.frames if len(f)]
        if not parts:
            return pd.DataFrame({"_source": pd.Series([], dtype=object)})
        return pd.concat(parts, ignore_index=True, sort=False) if len(parts) > 1 else parts[0]


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
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        problems.append(Problem(name, "malformed_json", f"{name} is not valid JSON ({exc}); fix or remove the file"))
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
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(where, "malformed_json", f"line {lineno} of {name} is not valid JSON ({exc})"))
            continue
        if not isinstance(item, dict):
            problems.append(Problem(where, "malformed_json", f"line {lineno} of {name} is not a JSON object"))
            continue
        rows.append({**item, "_source": where})
    return Batch(rows=rows, problems=problems, n_inputs=n)


def read_table_file(path: Path, name: str, encoding: str | None = None, sep: str | None = None) -> Batch:
    """A CSV, TSV or parquet table: one article per row; ``_source`` is ``file:row`` (1-based)."""
    problems: list[Problem] = []
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            frame = pd.read_parquet(path)
        else:
            raw, problems = _read_text(path, name, encoding)
            if raw is None:
                return _empty_batch(problems, 1)
            delimiter = sep or ("\t" if suffix == ".tsv" else ",")
            frame = pd.read_csv(io.StringIO(raw), sep=delimiter, dtype=str, keep_default_na=False, na_values=[""])
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        detail = f"{name} could not be read as a table ({str(exc).splitlines()[0]})"
        return _empty_batch(problems + [Problem(name, "unreadable", detail)], 1)
    if frame.empty:
        return _empty_batch(problems + [Problem(name, "empty", f"{name} has no rows")], 1)
    frame = frame.reset_index(drop=True)
    frame["_source"] = [f"{name}:{i}" for i in range(1, len(frame) + 1)]
    return Batch(frames=[frame], problems=problems, n_inputs=max(len(frame), 1))


def read_file(path: Path, name: str, encoding: str | None = None, sep: str | None = None) -> Batch:
    """Dispatch on the file suffix; an unsupported suffix is reported, not guessed at."""
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
        return read_table_file(path, name, encoding, sep)
    supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
    return _empty_batch([Problem(name, "unsupported_format", f"{name}: {suffix or 'no suffix'} is not one of {supported}")], 1)


def folder_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """Files under ``folder`` (recursively, sorted) and problems for the ones that are not read.

    Hidden files and folders (names starting with ``.``), manifests of sub-folders and
    files that resolve outside ``folder`` (symbolic links) are reported, not read. The
    folder's own manifest is left out: :func:`read_folder` reads it.
    """
    folder = folder.resolve()
    files, problems = [], []
    inside: dict[Path, bool] = {folder: True}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        name = rel.as_posix()
        if any(part.startswith(".") for part in rel.parts):
            if not any(part.startswith(".") for part in rel.parts[:-1]):  # report the outermost hidden item only
                problems.append(Problem(name, "hidden", f"{name} is hidden (its name starts with '.')", "info", skip=True))
            continue
        if not path.is_file():
            continue
        if len(rel.parts) == 1 and path.name in MANIFEST_NAMES:
            continue
        if path.name in MANIFEST_NAMES:
            problems.append(
                Problem(name, "manifest_file", f"{name} is a manifest of a sub-folder; only {folder.name}/'s manifest is read")
            )
        elif _escapes(path, folder, inside):
            problems.append(Problem(name, "outside_corpus", f"{name} links to {path.resolve()}, outside the corpus folder"))
        else:
            files.append(path)
    return files, problems


def _escapes(path: Path, folder: Path, inside: dict[Path, bool]) -> bool:
    """True if ``path`` (a symbolic link, or in a linked folder) resolves outside ``folder``.

    Only links are resolved; folders are resolved once each (``inside`` caches them).
    """
    parent = path.parent
    if parent not in inside:
        inside[parent] = parent.resolve().is_relative_to(folder)
    if not inside[parent]:
        return True
    return path.is_symlink() and not path.resolve().is_relative_to(folder)


def read_manifest(path: Path) -> pd.DataFrame:
    """Read a manifest (CSV, TSV or JSONL with a ``file`` column); raises ValueError if malformed."""
    batch = read_jsonl_file(path, path.name) if path.suffix == ".jsonl" else read_table_file(path, path.name)
    if batch.problems and any(p.level == "error" for p in batch.problems):
        raise ValueError(f"manifest {path} could not be read: {batch.problems[0].detail}")
    frame = batch.to_frame().drop(columns="_source")
    if "file" not in frame.columns:
        raise ValueError(f"manifest {path} has no 'file' column (it has {list(frame.columns)}); add one naming each file")
    return frame


def _inside(folder: Path, entry: str) -> Path | None:
    """The path of a manifest entry if it stays inside ``folder``; None if it points outside."""
    rel = PurePosixPath(entry.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts:
        return None
    path = (folder / rel).resolve()
    try:
        path.relative_to(folder.resolve())
    except ValueError:
        return None
    return path


def read_folder(
    folder: Path,
    manifest: Path | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    progress=None,
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
        for row in read_manifest(manifest).to_dict("records"):
            entry = str(row["file"])
            path = _inside(folder, entry)
            where = f"{manifest.name}:{entry}"
            if path is None or not path.is_file():
                out.n_inputs += 1
            if path is None:
                out.problems.append(
                    Problem(where, "outside_corpus", f"manifest entry {entry!r} points outside {folder}; refused")
                )
            elif not path.is_file():
                out.problems.append(Problem(where, "missing_file", f"manifest entry {entry!r}: no such file in {folder}"))
            elif path in wanted:
                out.problems.append(
                    Problem(where, "duplicate_manifest_entry", f"manifest lists {entry!r} twice; the first is used", "warning")
                )
            else:
                wanted[path] = {k: v for k, v in row.items() if k != "file" and not _missing(v)}
        files = sorted(set(files) | set(wanted))
    for path in progress(files) if progress else files:
        name = path.relative_to(folder).as_posix()
        batch = read_file(path, name, encoding, sep)
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
        out.extend(batch)
    return out


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))
