"""Load a corpus of news articles from files, folders or tables into the articles table.

The articles table has one row per article and the columns ``doc_id, outlet, date,
date_precision, title, text, url, lang, source``, followed by any other fields of the
input. Nothing is lost silently: every input file or row is either loaded or listed in
the load report, with the reason and the fix.

>>> articles = load_corpus("data/seed")
>>> articles[["doc_id", "date", "date_precision"]].head(2)
             doc_id       date date_precision
0  dialogue-jan2026 2026-01-09            day
1     paris-us-role 2025-03-01          month
>>> load_report(articles).empty
True
"""

from __future__ import annotations

import codecs
import glob
import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from diplomacy_lab.errors import CorpusLoadError, MissingInputError
from diplomacy_lab.loading.dates import PRECISIONS, ambiguous_dates, parse_dates
from diplomacy_lab.loading.duplicates import corpus_duplicates
from diplomacy_lab.loading.fields import CANDIDATES, clean_str, coalesce, field_mapping, non_scalar  # noqa: F401 - CANDIDATES re-exported
from diplomacy_lab.loading.readers import (
    MANIFEST_NAMES,
    MAX_COLUMNS,
    Batch,
    Problem,
    read_file,
    read_folder,
    scrub_surrogates,
)

ARTICLE_COLUMNS = ["doc_id", "outlet", "date", "date_precision", "title", "text", "url", "lang", "source"]
REPORT_COLUMNS = ["source", "doc_id", "level", "action", "reason", "detail", "fix"]

FIXES = {
    "empty": "give the article its text, or remove it from the input",
    "no_text_column": "name the column that holds the article text with text='...'",
    "binary": "move the file out of the corpus folder",
    "undecodable": "re-save the file as UTF-8, or pass encoding='...'",
    "unreadable": "check the file's format and permissions",
    "malformed_json": "fix the JSON, or remove the file/line",
    "unsupported_format": "convert it to .txt, .md, .json, .jsonl, .csv, .tsv, .parquet or .html, or move it out",
    "duplicate_id": "give every article a unique id, or drop the id column so that ids are generated",
    "unparseable_date": "pass date_format='...' (e.g. '%d/%m/%Y') or dayfirst=True, or correct the value",
    "outside_corpus": "move the file into the corpus folder and list it by its path relative to the folder",
    "missing_file": "correct the file name in the manifest, or add the file",
    "duplicate_manifest_entry": "list each file once in the manifest",
    "exact_duplicate": "pass drop_duplicates='exact' to drop copies",
    "near_duplicate": "pass drop_duplicates='near' to drop near-copies",
    "missing_date": "add a date column (or manifest entry) if dates matter for the analysis",
    "fallback_encoding": "",
    "not_in_manifest": "add the file to the manifest to give it metadata",
    "manifest_file": "load the folder the manifest belongs to; only that folder's own manifest is applied",
    "hidden": "rename the file if it is an article (names starting with '.' are skipped)",
    "empty_manifest_entry": "give the row its file name, or delete the row",
    "dangling_link": "point the link at an existing file, or remove it",
    "link_loop": "remove the link, or point it at a folder that does not hold it",
    "special_file": "move it out of the corpus folder; only regular files are read",
    "too_many_columns": "pass max_columns=... above the number of columns, or drop the columns you do not need",
    "lone_surrogate": "re-export the file as valid UTF-8 JSON; the broken characters were replaced with U+FFFD",
    "non_scalar_field": "name a field that holds one value per article, or flatten the field (e.g. join a list)",
    "bad_date_precision": "write day, month, year or unknown in date_precision, or leave it empty",
    "ambiguous_date": "say how the column writes dates: dayfirst=True or False, or date_format='%d/%m/%Y' ('%m/%d/%Y')",
}


class LoadReport:
    """What ``load_corpus`` did, kept in ``articles.attrs["load_report"]``.

    pandas deep-copies ``attrs`` on every operation; this object is immutable and
    copies as itself, so a large report costs nothing when the table is filtered.
    """

    def __init__(self, table: pd.DataFrame, n_inputs: int, duplicates: pd.DataFrame, doc_ids: pd.Series):
        self.table = table
        self.n_inputs = n_inputs
        self.duplicates = duplicates
        self._doc_ids = doc_ids.to_numpy(copy=True)

    def __deepcopy__(self, memo):
        return self

    def __copy__(self):
        return self

    def describes(self, articles: pd.DataFrame) -> bool:
        """True if ``articles`` holds exactly the articles this report was made for, in order."""
        ids = articles["doc_id"].to_numpy() if "doc_id" in articles.columns else None
        return ids is not None and len(ids) == len(self._doc_ids) and bool((ids == self._doc_ids).all())

    def __repr__(self) -> str:
        return f"<LoadReport: {self.n_inputs} inputs, {len(self.table)} report rows>"


def _strict_error(problem: Problem) -> CorpusLoadError:
    """The :class:`CorpusLoadError` that ``strict=True`` raises for ``problem``; ``.problem`` holds it."""
    fix = FIXES.get(problem.reason, "")
    where = "" if problem.detail.startswith(problem.source) else f"{problem.source}: "
    error = CorpusLoadError(f"{where}{problem.detail} [{problem.reason}]" + (f" — fix: {fix}" if fix else ""))
    error.where, error.fix, error.problem = problem.source, fix or None, problem
    return error


def expand_sources(source, caller: str = "load_corpus") -> list:
    """Files, folders and DataFrames named by ``source`` (a path, a glob, a DataFrame or a list of them);
    raises at once, naming ``caller``, when one is missing or cannot be read."""
    if isinstance(source, pd.DataFrame):
        return [source]
    if isinstance(source, (str, Path)):
        text = str(source)
        if any(ch in text for ch in "*?["):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise MissingInputError(f"the pattern {text!r} matches no file or folder",
                                        fix="check the pattern, or pass the folder itself")
            return [Path(m) for m in matches]
        path = Path(text).expanduser()
        try:
            exists = path.exists() or path.is_symlink()
        except OSError as exc:  # a name too long, a path that cannot be looked at
            raise CorpusLoadError(f"{_cut(text)} cannot be read ({exc.strerror or exc})",
                                  fix="pass an existing folder, file or glob") from None
        if not exists:
            raise MissingInputError(f"no such file or folder: {_cut(text)!r}; pass a folder, a file, a glob or a list of them")
        return [path]
    if isinstance(source, Iterable):
        items = [item for s in source for item in expand_sources(s, caller)]
        if not items:
            raise CorpusLoadError(f"{caller} got an empty list of sources", fix="pass at least one folder, file or glob")
        return items
    raise TypeError(f"{caller} cannot read a {type(source).__name__}; pass a path, a glob, a DataFrame or a list")


def _cut(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def _read_sources(items: list, manifest, encoding, sep, progress, max_columns) -> Batch:
    out = Batch()
    for item in items:
        if isinstance(item, pd.DataFrame):
            if item.shape[1] > max_columns:
                raise CorpusLoadError(f"the DataFrame has {item.shape[1]:,} columns, more than max_columns={max_columns:,}",
                                      fix="pass max_columns=... above that, or select the columns you need")
            frame = item.reset_index(drop=True).copy()
            problems = _scrub_frame(frame)
            if "_source" not in frame.columns:  # records read by our readers (iter_corpus) keep theirs
                frame["_source"] = [f"dataframe:{i}" for i in range(1, len(frame) + 1)]
            out.extend(Batch(frames=[frame], problems=problems, n_inputs=len(frame)))
        elif item.is_dir():
            out.extend(read_folder(item, Path(manifest) if manifest else None, encoding, sep, progress, max_columns))
        elif item.name in MANIFEST_NAMES:
            detail = f"{item.name} is a manifest, not articles; load its folder ({item.parent}) to apply it"
            out.extend(Batch(problems=[Problem(item.name, "manifest_file", detail)], n_inputs=1))
        else:
            out.extend(read_file(item, item.name, encoding, sep, max_columns))
    return out


def _generated_id(source: str) -> str:
    """``seed/a.txt`` -> ``a``; ``table.csv:12`` -> ``table-12``."""
    name, _, row = source.partition(":")
    stem = Path(name).stem
    return f"{stem}-{row}" if row else stem


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _check_texts(frame: pd.DataFrame, texts: pd.Series, columns: list[str], problems: list[Problem]) -> pd.Series:
    """Which rows have a text; a problem for each that has none."""
    ok = texts.map(lambda v: isinstance(v, str) and bool(v.strip())).astype(bool)
    fields = sorted(c for c in frame.columns if c != "_source")
    for idx in frame.index[~ok.to_numpy()]:
        src = frame.at[idx, "_source"]
        if not columns:
            problems.append(Problem(src, "no_text_column", f"{src}: no text field among {fields}"))
        elif texts[idx] is None:
            problems.append(Problem(src, "empty", f"{src}: no text in {' / '.join(columns)}"))
        elif not isinstance(texts[idx], str):
            what = type(texts[idx]).__name__
            problems.append(Problem(src, "non_scalar_field", f"{src}: the text is of type {what}, not a string"))
        else:
            problems.append(Problem(src, "empty", f"{src}: the text is blank"))
    return ok


def _scalars(frame: pd.DataFrame, field: str, values: pd.Series, ok: pd.Series, problems: list[Problem]) -> pd.Series:
    """``values`` with nested values (lists, dicts) removed; a warning for each loaded row that had one."""
    bad = non_scalar(values)
    if not bad.any():
        return values
    values = values.copy()
    for idx in frame.index[bad.to_numpy()]:
        if ok[idx]:
            src = frame.at[idx, "_source"]
            what = type(values[idx]).__name__
            then = "a generated id is used" if field == "id" else "left empty"
            problems.append(Problem(src, "non_scalar_field", f"{src}: the {field} is a {what}, not one value; {then}",
                                    "warning"))
    values[bad] = None
    return values


def _precisions(frame: pd.DataFrame, ok: pd.Series, problems: list[Problem]) -> pd.Series:
    """The input's ``date_precision`` values; one that is not day/month/year/unknown is ignored,
    with a warning for its row (the date's own precision is used)."""
    out = []
    for idx, value in frame["date_precision"].items():
        if value is None or (pd.api.types.is_scalar(value) and not isinstance(value, str) and pd.isna(value)):
            out.append(None)
            continue
        text = str(value).strip().lower() if pd.api.types.is_scalar(value) else None
        if text in PRECISIONS:
            out.append(text)
            continue
        out.append(None)
        if ok[idx]:
            src = frame.at[idx, "_source"]
            shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:60] + "..."
            problems.append(Problem(src, "bad_date_precision", f"{src}: date_precision {shown} is not one of "
                                    f"{list(PRECISIONS)}; the date's own precision is used", "warning"))
    return pd.Series(out, index=frame.index, dtype=object)


def _scrub_frame(frame: pd.DataFrame) -> list[Problem]:
    """Replace lone surrogates in the text cells of a DataFrame input (in place); a warning per row."""
    rows: dict[int, int] = {}
    for col in frame.columns:
        if frame[col].dtype != object:
            continue
        values = frame[col].tolist()
        for i, value in enumerate(values):
            if isinstance(value, str | list | dict):
                fixed, n = scrub_surrogates(value)
                if n:
                    frame.iat[i, frame.columns.get_loc(col)] = fixed
                    rows[i] = rows.get(i, 0) + n
    return [Problem(f"dataframe:{i + 1}", "lone_surrogate",
                    f"dataframe:{i + 1}: {n} lone surrogate(s) (e.g. '\\ud800') replaced with U+FFFD", "warning")
            for i, n in sorted(rows.items())]


def _assign_ids(given: pd.Series, sources: pd.Series, ok: pd.Series, problems: list[Problem]) -> list[str | None]:
    """The input's ids where given (a repeated id skips the later row), generated ones elsewhere."""
    reserved = set(given.dropna())
    taken: set[str] = set()
    ids: list[str | None] = []
    for idx in given.index:
        doc_id = given[idx]
        if not ok[idx]:
            ids.append(None)
            continue
        if doc_id is not None and doc_id in taken:
            problems.append(Problem(sources[idx], "duplicate_id", f"{sources[idx]}: doc_id {doc_id!r} is already used", doc_id=doc_id))
            ok[idx] = False
            ids.append(None)
            continue
        if doc_id is None:
            doc_id = _unique(_generated_id(sources[idx]), taken | reserved)
        taken.add(doc_id)
        ids.append(doc_id)
    return ids


def _date_problems(parsed, sources, ids, ok, given_precision, problems: list[Problem]) -> None:
    """Unparseable dates (warning) and missing dates (info, unless the input says 'unknown')."""
    loaded = ok.to_numpy()
    errors = parsed["date_error"].where(parsed["date_error"].notna(), None)
    said_unknown = (
        given_precision.astype(str).str.strip().str.lower().eq("unknown").to_numpy()
        if given_precision is not None
        else np.zeros(len(parsed), dtype=bool)
    )
    bad = loaded & errors.notna().to_numpy()
    missing = loaded & errors.isna().to_numpy() & parsed["date"].isna().to_numpy() & ~said_unknown
    doc_ids = np.asarray(ids, dtype=object)
    src = sources.to_numpy()
    for i in np.flatnonzero(bad | missing):
        if bad[i]:
            problems.append(Problem(src[i], "unparseable_date", f"{src[i]}: {errors.iloc[i]}", "warning", doc_ids[i]))
        else:
            problems.append(Problem(src[i], "missing_date", f"{src[i]}: no date", "info", doc_ids[i]))


def _duplicate_problems(dups: pd.DataFrame, articles: pd.DataFrame, drop: set[str]) -> list[Problem]:
    where = dict(zip(articles["doc_id"], articles["source"]))
    out = []
    for row in dups.itertuples(index=False):
        if row.kind == "exact":
            detail = f"{row.doc_id}: same text as {row.duplicate_of}"
        else:
            detail = f"{row.doc_id}: near-copy of {row.duplicate_of} (similarity {row.similarity:.2f})"
        out.append(Problem(where[row.doc_id], f"{row.kind}_duplicate", detail, "info", row.doc_id, row.doc_id in drop))
    return out


def load_corpus(
    source,
    *,
    text: str | None = None,
    date: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    url: str | None = None,
    id: str | None = None,  # noqa: A002 - the mapping option is called id, like the field
    lang: str | None = None,
    manifest: str | Path | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    dayfirst: bool | None = None,
    date_format: str | None = None,
    default_lang: str = "en",
    drop_duplicates: bool | str = False,
    near_duplicate_threshold: float = 0.8,
    duplicates: bool = True,
    strict: bool = False,
    progress: bool | None = None,
    max_columns: int = MAX_COLUMNS,
) -> pd.DataFrame:
    """Load articles from one or more sources into the articles table.

    Parameters
    ----------
    source
        A folder (``.txt``/``.md``/``.json``/``.html``/table files, optionally with a
        ``manifest.csv``/``.jsonl`` whose ``file`` column names each file), a file
        (CSV, TSV, JSON, JSONL, parquet, text, HTML), a glob pattern, a DataFrame, or a
        list of any of these.
    text, date, outlet, title, url, id, lang
        The input's field holding each column, e.g. ``text="content_original"``. When
        not given, the first present of :data:`CANDIDATES` is used.
    manifest
        A manifest for a folder source, when not named ``manifest.csv`` inside it.
        Entries pointing outside the folder are refused.
    encoding
        Force an encoding; by default a byte-order mark decides, else UTF-8, cp1252, latin-1.
    sep
        Column separator for CSV files (default ``,``; ``\\t`` for ``.tsv``).
    dayfirst, date_format
        How to read ambiguous dates such as ``03/04/2025``: month first unless ``dayfirst=True``.
        With neither given, each ambiguous value is noted in the report (``ambiguous_date``,
        info); a column that also holds a value only the other order can read
        (``13/04/2025``) gets a warning. ``dayfirst=False`` says month first on purpose.
    default_lang
        Language of articles whose input gives none.
    drop_duplicates
        ``False`` (report copies, keep them), ``"exact"`` or ``"near"`` (also drops exact
        copies; ``True`` means ``"near"``); the first article of each group is kept.
    near_duplicate_threshold
        Estimated Jaccard similarity of word 5-gram sets above which two articles are near copies.
    duplicates
        Look for exact and near copies (the default); ``False`` skips it (``iter_corpus`` does:
        a stream is never seen whole).
    strict
        Raise :class:`CorpusLoadError` on the first problem (errors and warnings) instead
        of reporting it. All inputs are read first, so the error is the first in input order.
    progress
        Show a progress bar: ``None`` shows one on a terminal for large folders.
    max_columns
        Tables (files or DataFrames) with more columns are refused (``too_many_columns``).

    Returns
    -------
    DataFrame
        The articles table; ``load_report(articles)`` gives the report of what was not
        loaded, or loaded with a remark.
    """
    if drop_duplicates not in (False, True, "exact", "near"):
        raise ValueError(f"drop_duplicates={drop_duplicates!r}; use False, 'exact' or 'near' (True means 'near')")
    if drop_duplicates and not duplicates:
        raise ValueError("drop_duplicates needs duplicates=True: copies are dropped only where they are looked for")
    if encoding is not None:
        try:
            codecs.lookup(encoding)  # an unknown encoding is named before any file is read
        except (LookupError, TypeError):
            raise CorpusLoadError(f"unknown encoding {encoding!r}", fix="use a Python codec name such as 'utf-8', "
                                  "'cp1252' or 'latin-1', or leave the encoding out to detect it") from None
    items = expand_sources(source)

    def bar(files):
        # progress=True always shows a bar; None shows one on a terminal for more than 200 files.
        disable = True if progress is False else (False if progress else (None if len(files) > 200 else True))
        return tqdm(files, desc="loading", unit="file", disable=disable)

    batch = _read_sources(items, manifest, encoding, sep, bar, max_columns)
    frame = batch.to_frame()
    problems = list(batch.problems)
    names = {"id": id, "text": text, "title": title, "date": date, "outlet": outlet, "url": url, "lang": lang}
    mapping = field_mapping(frame, names)
    used: set[str] = {"_source", "date_precision"}

    raw_text = coalesce(frame, mapping["text"], used)
    ok = _check_texts(frame, raw_text, mapping["text"], problems)
    sources = frame["_source"].astype(str)
    fields = {f: _scalars(frame, f, coalesce(frame, mapping[f], used), ok, problems)
              for f in ("id", "outlet", "title", "url", "lang")}
    ids = _assign_ids(clean_str(fields["id"]), sources, ok, problems)
    given_precision = _precisions(frame, ok, problems) if "date_precision" in frame.columns else None
    date_values = coalesce(frame, mapping["date"], used)
    parsed = parse_dates(date_values, dayfirst=dayfirst, date_format=date_format, precision=given_precision)
    _date_problems(parsed, sources, ids, ok, given_precision, problems)
    loaded = ok.to_numpy()
    for idx, level, detail in ambiguous_dates(date_values[loaded], parsed["date"], dayfirst, date_format):
        src = sources[idx]
        problems.append(Problem(src, "ambiguous_date", f"{src}: {detail}", level, ids[frame.index.get_loc(idx)]))

    articles = pd.DataFrame(
        {
            "doc_id": ids,
            "outlet": clean_str(fields["outlet"]),
            "date": parsed["date"],
            "date_precision": parsed["date_precision"],
            "title": clean_str(fields["title"]),
            "text": raw_text,
            "url": clean_str(fields["url"]),
            "lang": clean_str(fields["lang"]).fillna(default_lang),
            "source": sources,
        },
        index=frame.index,
    )
    # The input's other fields, added at once (one column at a time is quadratic in the columns).
    extra = {f"{col}_input" if col in ARTICLE_COLUMNS else col: frame[col] for col in frame.columns if col not in used}
    if extra:
        articles = pd.concat([articles, pd.DataFrame(extra, index=frame.index)], axis=1)
    articles = articles[ok.to_numpy()].reset_index(drop=True)
    for col in ARTICLE_COLUMNS:
        if col != "date":
            articles[col] = articles[col].astype("str")

    dups = corpus_duplicates(articles, threshold=near_duplicate_threshold) if duplicates else corpus_duplicates(articles.iloc[:0])
    drop: set[str] = set()
    if drop_duplicates:
        kinds = {"exact"} if drop_duplicates == "exact" else {"exact", "near"}
        drop = set(dups.loc[dups["kind"].isin(kinds), "doc_id"])
    problems.extend(_duplicate_problems(dups, articles, drop))
    if drop:
        articles = articles[~articles["doc_id"].isin(drop)].reset_index(drop=True)

    if strict:
        first = next((p for p in problems if p.level in ("error", "warning")), None)
        if first is not None:
            raise _strict_error(first)
    report = pd.DataFrame([_report_row(p) for p in problems], columns=REPORT_COLUMNS)
    if drop:
        dups = dups[~dups["doc_id"].isin(drop)].reset_index(drop=True)
    articles.attrs["load_report"] = LoadReport(report, batch.n_inputs, dups, articles["doc_id"])
    skipped = report[report["action"] == "skipped"]
    if len(skipped):
        summary = ", ".join(f"{n} {reason}" for reason, n in skipped["reason"].value_counts().items())
        warnings.warn(f"load_corpus skipped {len(skipped)} input(s) ({summary}); see load_report(articles)", stacklevel=2)
    return articles


def _report_row(problem: Problem) -> dict:
    return {
        "source": problem.source,
        "doc_id": problem.doc_id,
        "level": problem.level,
        "action": problem.action,
        "reason": problem.reason,
        "detail": problem.detail,
        "fix": FIXES.get(problem.reason, ""),
    }


def load_report(articles: pd.DataFrame, levels: Iterable[str] = ("error", "warning", "info")) -> pd.DataFrame:
    """The load report of an articles table: ``source, doc_id, level, action, reason, detail, fix``.

    ``action`` is ``skipped`` (not loaded), ``dropped`` (loaded, then dropped as a
    duplicate on request) or ``kept`` (loaded, with a remark).

    >>> load_report(load_corpus("data/seed")).shape
    (0, 7)
    """
    held = articles.attrs.get("load_report")
    if not isinstance(held, LoadReport):
        return pd.DataFrame(columns=REPORT_COLUMNS)
    table = held.table
    return table[table["level"].isin(list(levels))].reset_index(drop=True)
