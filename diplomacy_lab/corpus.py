"""Load a corpus of news articles from files, folders or tables into the articles table.

The articles table has one row per article and the columns ``doc_id, outlet, date,
date_precision, title, text, url, lang, source``, followed by any other fields of the
input. Nothing is lost silently: every input file or row is either loaded or listed in
the load report, with the reason and the fix.

>>> articles = load_corpus("data/seed")
>>> articles[["doc_id", "date", "date_precision"]].head(2)
         doc_id       date date_precision
0  rt-boycott 2025-03-13            day
1  paris-us-role 2025-03-01          month
>>> load_report(articles).empty
True
"""

from __future__ import annotations

import glob
import warnings
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from diplomacy_lab.dates import parse_dates
from diplomacy_lab.duplicates import corpus_duplicates
from diplomacy_lab.readers import Batch, Problem, read_file, read_folder

ARTICLE_COLUMNS = ["doc_id", "outlet", "date", "date_precision", "title", "text", "url", "lang", "source"]
REPORT_COLUMNS = ["source", "doc_id", "level", "action", "reason", "detail", "fix"]

#: Field names tried, in order, when no column is named for a field.
CANDIDATES = {
    "id": ("doc_id", "id", "ID", "article_id", "uuid"),
    "text": ("text", "content", "body", "article", "article_text", "full_text", "maintext"),
    "title": ("title", "headline"),
    "date": ("date", "published", "publish_date", "published_at", "pub_date", "datetime", "timestamp"),
    "outlet": ("outlet", "source", "site", "sitename", "publisher", "media", "newspaper", "domain"),
    "url": ("url", "link"),
    "lang": ("lang", "language"),
}
# The names our own readers and manifests use; always coalesced after a user-named column.
_CANONICAL = {"id": "doc_id", "text": "text", "title": "title", "date": "date", "outlet": "outlet", "url": "url", "lang": "lang"}

FIXES = {
    "empty": "give the article its text, or remove it from the input",
    "no_text": "name the column that holds the article text with text='...'",
    "no_text_column": "name the column that holds the article text with text='...'",
    "binary": "move the file out of the corpus folder",
    "undecodable": "re-save the file as UTF-8, or pass encoding='...'",
    "unreadable": "check the file's format and permissions",
    "malformed_json": "fix the JSON, or remove the file/line",
    "unsupported_format": "convert it to .txt, .md, .json, .jsonl, .csv, .tsv, .parquet or .html, or move it out",
    "duplicate_id": "give every article a unique id, or pass id=None-mapped data without ids to generate them",
    "unparseable_date": "pass date_format='...' (e.g. '%d/%m/%Y') or dayfirst=True, or correct the value",
    "outside_corpus": "move the file into the corpus folder and list it by its path relative to the folder",
    "missing_file": "correct the file name in the manifest, or add the file",
    "duplicate_manifest_entry": "list each file once in the manifest",
    "exact_duplicate": "pass drop_duplicates='exact' to drop copies",
    "near_duplicate": "pass drop_duplicates='near' to drop near-copies",
    "missing_date": "add a date column (or manifest entry) if dates matter for the analysis",
    "fallback_encoding": "",
    "not_in_manifest": "add the file to the manifest to give it metadata",
}


class CorpusLoadError(ValueError):
    """Raised by ``load_corpus(..., strict=True)`` on the first problem; ``problem`` holds it."""

    def __init__(self, problem: Problem):
        fix = FIXES.get(problem.reason, "")
        super().__init__(f"{problem.source}: {problem.detail} [{problem.reason}]" + (f" — fix: {fix}" if fix else ""))
        self.problem = problem


def _expand(source) -> list:
    """Files, folders and DataFrames named by ``source`` (a path, a glob, a DataFrame or a list of them)."""
    if isinstance(source, pd.DataFrame):
        return [source]
    if isinstance(source, (str, Path)):
        text = str(source)
        if any(ch in text for ch in "*?["):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise FileNotFoundError(f"the pattern {text!r} matches no file or folder")
            return [Path(m) for m in matches]
        path = Path(text).expanduser()
        if not path.exists():
            raise FileNotFoundError(f"no such file or folder: {text!r}; pass a folder, a file, a glob or a list of them")
        return [path]
    if isinstance(source, Iterable):
        items = [item for s in source for item in _expand(s)]
        if not items:
            raise ValueError("load_corpus got an empty list of sources")
        return items
    raise TypeError(f"load_corpus cannot read a {type(source).__name__}; pass a path, a glob, a DataFrame or a list")


def _read_sources(items: list, manifest, encoding, sep, progress) -> Batch:
    out = Batch()
    for item in items:
        if isinstance(item, pd.DataFrame):
            frame = item.reset_index(drop=True).copy()
            frame["_source"] = [f"dataframe:{i}" for i in range(1, len(frame) + 1)]
            out.extend(Batch(frames=[frame], n_inputs=len(frame)))
        elif item.is_dir():
            out.extend(read_folder(item, Path(manifest) if manifest else None, encoding, sep, progress))
        else:
            out.extend(read_file(item, item.name, encoding, sep))
    return out


def _mapping(frame: pd.DataFrame, names: dict[str, str | None]) -> dict[str, list[str]]:
    """For each field, the columns to coalesce: the user's column (or the first candidate), then ours."""
    columns = set(frame.columns)
    mapping = {}
    for field, given in names.items():
        if given is not None:
            if given not in columns:
                raise ValueError(
                    f"{field}={given!r} is not a field of the input; its fields are {sorted(c for c in columns if c != '_source')}"
                )
            chosen = [given]
        else:
            chosen = [next((c for c in CANDIDATES[field] if c in columns), None)]
        canonical = _CANONICAL[field]
        if canonical in columns and canonical not in chosen:
            chosen.append(canonical)
        mapping[field] = [c for c in chosen if c is not None]
    return mapping


def _coalesce(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    if not columns:
        return pd.Series(pd.NA, index=frame.index, dtype=object)
    out = frame[columns[0]].astype(object)
    for col in columns[1:]:
        out = out.where(out.notna(), frame[col].astype(object))
    return out


def _clean_str(values: pd.Series) -> pd.Series:
    """Strings stripped of surrounding whitespace; NA (not "nan") where missing or blank."""
    out = values.astype(object).where(values.notna(), None)
    out = out.map(lambda v: None if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)).strip())
    return out.where(out.astype(bool), None)


def _generated_id(source: str) -> str:
    name, _, row = source.partition(":")
    stem = Path(name).with_suffix("").as_posix().replace("/", "-")
    return f"{stem}-{row}" if row else stem


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


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
    dayfirst: bool = False,
    date_format: str | None = None,
    default_lang: str = "en",
    drop_duplicates: bool | str = False,
    near_duplicate_threshold: float = 0.8,
    strict: bool = False,
    progress: bool | None = None,
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
        How to read ambiguous dates such as ``03/04/2025``.
    default_lang
        Language of articles whose input gives none.
    drop_duplicates
        ``False`` (report copies, keep them), ``"exact"`` or ``"near"`` (also drops exact
        copies); the first article of each group is kept.
    near_duplicate_threshold
        Estimated Jaccard similarity of word 5-gram sets above which two articles are near copies.
    strict
        Raise :class:`CorpusLoadError` on the first problem (errors and warnings) instead
        of reporting it.
    progress
        Show a progress bar: ``None`` shows one on a terminal for large folders.

    Returns
    -------
    DataFrame
        The articles table; ``load_report(articles)`` gives the report of what was not
        loaded, or loaded with a remark.
    """
    if drop_duplicates not in (False, True, "exact", "near"):
        raise ValueError(f"drop_duplicates={drop_duplicates!r}; use False, 'exact' or 'near'")
    items = _expand(source)
    bar = None
    if progress is not False:
        def bar(files):
            # progress=True always shows a bar; None shows one on a terminal for more than 200 files.
            disable = False if progress else (None if len(files) > 200 else True)
            return tqdm(files, desc="loading", unit="file", disable=disable)

    batch = _read_sources(items, manifest, encoding, sep, bar)
    frame = batch.to_frame()
    problems = list(batch.problems)

    names = {"id": id, "text": text, "title": title, "date": date, "outlet": outlet, "url": url, "lang": lang}
    mapping = _mapping(frame, names)
    if not mapping["text"]:
        for src in sorted({s.partition(":")[0] for s in frame["_source"]}):
            fields = sorted(c for c in frame.columns if c != "_source")
            problems.append(Problem(src, "no_text_column", f"{src} has no text field among {fields}"))
        frame = frame.iloc[0:0]

    raw_text = _coalesce(frame, mapping["text"])
    ok = pd.Series(True, index=frame.index)
    for idx, value in raw_text.items():
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            problems.append(Problem(frame.at[idx, "_source"], "no_text", f"{frame.at[idx, '_source']} has no value in {mapping['text']}"))
            ok[idx] = False
        elif not str(value).strip():
            problems.append(Problem(frame.at[idx, "_source"], "empty", f"{frame.at[idx, '_source']} has an empty text"))
            ok[idx] = False

    articles = pd.DataFrame(index=frame.index)
    given_ids = _clean_str(_coalesce(frame, mapping["id"]))
    sources = frame["_source"].astype(str)
    taken: set[str] = set()
    ids: list[str | None] = []
    for idx in frame.index:
        if not ok[idx]:
            ids.append(None)
            continue
        given = given_ids[idx]
        if given is not None and given in taken:
            problems.append(Problem(sources[idx], "duplicate_id", f"{sources[idx]}: doc_id {given!r} is already used", doc_id=given))
            ok[idx] = False
            ids.append(None)
            continue
        new = given if given is not None else _unique(_generated_id(sources[idx]), taken | set(given_ids.dropna()))
        taken.add(new)
        ids.append(new)
    articles["doc_id"] = ids
    articles["outlet"] = _clean_str(_coalesce(frame, mapping["outlet"]))
    given_precision = frame["date_precision"] if "date_precision" in frame.columns else None
    parsed = parse_dates(_coalesce(frame, mapping["date"]), dayfirst=dayfirst, date_format=date_format, precision=given_precision)
    articles["date"] = parsed["date"]
    articles["date_precision"] = parsed["date_precision"].astype(object)
    articles["title"] = _clean_str(_coalesce(frame, mapping["title"]))
    articles["text"] = raw_text.astype(object)
    articles["url"] = _clean_str(_coalesce(frame, mapping["url"]))
    articles["lang"] = _clean_str(_coalesce(frame, mapping["lang"])).fillna(default_lang)
    articles["source"] = sources

    for idx in frame.index[ok.to_numpy()]:
        error = parsed.at[idx, "date_error"]
        if isinstance(error, str):
            problems.append(Problem(sources[idx], "unparseable_date", error, "warning", articles.at[idx, "doc_id"]))
        elif pd.isna(parsed.at[idx, "date"]) and not _coalesce_missing_ok(given_precision, idx):
            problems.append(Problem(sources[idx], "missing_date", f"{sources[idx]} has no date", "info", articles.at[idx, "doc_id"]))

    used = {c for cols in mapping.values() for c in cols} | {"_source", "date_precision"}
    for col in frame.columns:
        if col not in used:
            target = f"{col}_input" if col in ARTICLE_COLUMNS else col
            articles[target] = frame[col]
    articles = articles[ok.to_numpy()].reset_index(drop=True)
    for col in ARTICLE_COLUMNS:
        if col != "date":
            articles[col] = articles[col].astype("str")

    dups = corpus_duplicates(articles, threshold=near_duplicate_threshold)
    drop: set[str] = set()
    if drop_duplicates:
        kinds = {"exact"} if drop_duplicates == "exact" else {"exact", "near"}
        drop = set(dups.loc[dups["kind"].isin(kinds), "doc_id"])
    where = dict(zip(articles["doc_id"], articles["source"]))
    for row in dups.itertuples(index=False):
        detail = (
            f"same text as {row.duplicate_of}"
            if row.kind == "exact"
            else f"near-copy of {row.duplicate_of} (similarity {row.similarity:.2f})"
        )
        problems.append(
            Problem(where[row.doc_id], f"{row.kind}_duplicate", detail, "info", row.doc_id, row.doc_id in drop)
        )
    if drop:
        articles = articles[~articles["doc_id"].isin(drop)].reset_index(drop=True)

    if strict:
        first = next((p for p in problems if p.level in ("error", "warning")), None)
        if first is not None:
            raise CorpusLoadError(first)
    report = [_report_row(p) for p in problems]
    articles.attrs["load_report"] = report
    articles.attrs["n_inputs"] = batch.n_inputs
    skipped = sum(1 for r in report if r["action"] == "skipped")
    if skipped:
        reasons = pd.Series([r["reason"] for r in report if r["action"] == "skipped"]).value_counts()
        summary = ", ".join(f"{n} {reason}" for reason, n in reasons.items())
        warnings.warn(f"load_corpus skipped {skipped} input(s) ({summary}); see load_report(articles)", stacklevel=2)
    return articles


def _coalesce_missing_ok(precision: pd.Series | None, idx) -> bool:
    """A date left out on purpose: the input says its precision is 'unknown'."""
    return precision is not None and str(precision.get(idx, "")).strip().lower() == "unknown"


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
    rows = [r for r in articles.attrs.get("load_report", []) if r["level"] in set(levels)]
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)
