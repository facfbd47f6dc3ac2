"""Read PolNeAR (Newell, Margolin & Ruths, LREC 2018) into two tidy tables.

Layout under the data root (``$DIPLOMACY_LAB_SHARED_DATA``, default
``<repo>/../shared/data``, else ``./../shared/data``)::

    polnear/data/{train,dev}/text/<doc_id>.txt
    polnear/data/{train,dev}/attributions/<doc_id>_<annotator>.ann   (brat)
    polnear/data/metadata.tsv

Rules, applied deterministically:

* **one annotator per article**: when an article has several ``.ann`` files
  (one per annotator; the suffix after the last ``_``), the first annotator
  in sorted order is used; ``annotators`` lists them all.
* **one attribution per ``E`` line**; its ``Source``, ``Cue``, ``Content``
  (and ``Content2``, merged into content) arguments point at ``T`` spans.
  ``E`` lines with no argument at all are skipped.
* **discontinuous spans** (``T1 Source 10 20;25 30``): ``*_start``/``*_end``
  hold the outer bounds, ``*_spans`` the list of ``(start, end)`` pairs, and
  ``*_text`` the fragments joined by a single space.  A missing role (e.g.
  ``Attribution-no-source``) gives ``-1`` offsets, ``[]`` spans and ``""``.
* offsets index the UTF-8 ``.txt`` read without newline translation.
* brat writes a span's text with its line breaks, so a line that is not an
  annotation and follows a ``T`` line is taken as the rest of that text.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> d = root / "polnear" / "data" / "dev"
>>> (d / "text").mkdir(parents=True); (d / "attributions").mkdir()
>>> _ = (d / "text" / "a.txt").write_text("Bo said hi.", encoding="utf-8")
>>> _ = (d / "attributions" / "a_x1.ann").write_text(
...     "T1\\tSource 0 2\\tBo\\nT2\\tCue 3 7\\tsaid\\nT3\\tContent 8 10\\thi\\n"
...     "E1\\tAttribution:T2 Source:T1 Cue:T2 Content:T3\\n", encoding="utf-8")
>>> articles, attrs = read_polnear("dev", root=root)
>>> attrs[["doc_id", "source_text", "cue_text", "content_text"]].values.tolist()
[['a', 'Bo', 'said', 'hi']]
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

ENV_VAR = "DIPLOMACY_LAB_SHARED_DATA"
ROLES = ("source", "cue", "content")
ATTRIBUTION_COLUMNS = [
    "doc_id", "attribution_id",
    "source_start", "source_end", "cue_start", "cue_end", "content_start", "content_end",
    "source_text", "cue_text", "content_text", "source_spans", "cue_spans", "content_spans",
]
_ANN_ID = re.compile(r"^[TERAMN#*]\d*\t")
_SPAN = re.compile(r"^(\d+) (\d+)$")


def shared_data_root() -> Path:
    """The shared data folder: env var, else ``<repo>/../shared/data``, else ``../shared/data``."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[2]
    candidate = repo.parent / "shared" / "data"
    return candidate if candidate.is_dir() else Path.cwd().parent / "shared" / "data"


def polnear_dir(root=None) -> Path:
    """``<root>/polnear/data``; a clear error naming the path and the env var if absent."""
    base = Path(root) if root is not None else shared_data_root()
    path = base / "polnear" / "data"
    if not path.is_dir():
        raise FileNotFoundError(
            f"PolNeAR data not found at {path}; set {ENV_VAR} to the folder that "
            f"holds polnear/data (or pass root=)")
    return path


def parse_ann(path) -> list[dict]:
    """Attributions of one brat ``.ann`` file as dicts of role -> [(start, end), ...]."""
    path = Path(path)
    spans, events, last_t = {}, [], None
    with open(path, encoding="utf-8", newline="") as handle:
        for lineno, line in enumerate(handle, 1):
            line = line.rstrip("\r\n")
            if not _ANN_ID.match(line):
                if last_t is not None:  # continuation of a span's text
                    continue
                if not line.strip():
                    continue
                raise ValueError(f"{path}:{lineno}: not a brat annotation line: {line[:60]!r}")
            fields = line.split("\t")
            kind = fields[0][0]
            if kind == "T":
                if len(fields) < 2 or " " not in fields[1]:
                    raise ValueError(f"{path}:{lineno}: malformed T line: {line[:60]!r}")
                label, offsets = fields[1].split(" ", 1)
                pairs = []
                for piece in offsets.split(";"):
                    m = _SPAN.match(piece.strip())
                    if not m or int(m.group(1)) > int(m.group(2)):
                        raise ValueError(f"{path}:{lineno}: bad offsets {offsets!r}")
                    pairs.append((int(m.group(1)), int(m.group(2))))
                spans[fields[0]] = pairs
                last_t = fields[0]
            elif kind == "E":
                if len(fields) < 2:
                    raise ValueError(f"{path}:{lineno}: malformed E line: {line[:60]!r}")
                events.append((lineno, fields[0], fields[1].split()))
                last_t = None
            else:
                last_t = None
    out = []
    for lineno, event_id, args in events:
        roles = {role: [] for role in ROLES}
        found = False
        for arg in args[1:]:
            if ":" not in arg:
                raise ValueError(f"{path}:{lineno}: malformed E argument {arg!r}")
            role, ref = arg.split(":", 1)
            if ref not in spans:
                raise ValueError(f"{path}:{lineno}: {event_id} refers to unknown span {ref!r}")
            role = role.rstrip("0123456789").lower()
            if role in roles:
                roles[role].extend(spans[ref])
                found = True
        if found:
            out.append({"attribution_id": event_id, **{r: sorted(v) for r, v in roles.items()}})
    return out


def spans_row(doc_id, attribution_id, text, roles) -> dict:
    """One row of the attributions table from role -> span list."""
    row = {"doc_id": doc_id, "attribution_id": attribution_id}
    for role in ROLES:
        pairs = [tuple(p) for p in roles.get(role, [])]
        row[f"{role}_start"] = min((a for a, _ in pairs), default=-1)
        row[f"{role}_end"] = max((b for _, b in pairs), default=-1)
        row[f"{role}_text"] = " ".join(text[a:b] for a, b in pairs)
        row[f"{role}_spans"] = pairs
    return row


def read_polnear(split: str = "train", root=None, annotators: str = "first"):
    """``(articles, attributions)`` for a PolNeAR split (``train`` or ``dev``).

    ``articles``: doc_id, outlet, date, title, author, text, annotator,
    annotators, split.  ``attributions``: see :data:`ATTRIBUTION_COLUMNS`.
    ``annotators``: ``"first"`` (the rule above: one annotator per article) or ``"all"``
    (every annotator's attributions, with an ``annotator`` column).
    """
    if annotators not in ("first", "all"):
        raise ValueError(f"annotators must be 'first' or 'all', got {annotators!r}")
    base = polnear_dir(root)
    folder = base / split
    if not (folder / "text").is_dir():
        raise FileNotFoundError(f"no PolNeAR split {split!r} at {folder} ({ENV_VAR})")
    meta = _metadata(base)
    anns = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        doc_id, annotator = ann.stem.rsplit("_", 1)
        anns.setdefault(doc_id, []).append((annotator, ann))
    articles, rows = [], []
    for txt in sorted((folder / "text").glob("*.txt")):
        doc_id = txt.stem
        text = txt.read_bytes().decode("utf-8")
        choices = sorted(anns.get(doc_id, []))
        annotator = choices[0][0] if choices else None
        info = meta.get(doc_id, {})
        parts = doc_id.split("_")
        articles.append({
            "doc_id": doc_id, "outlet": info.get("publisher", parts[0]),
            "date": pd.to_datetime(info.get("publication_date", parts[1] if len(parts) > 1 else None), errors="coerce"),
            "title": info.get("title"), "author": info.get("author"), "text": text,
            "annotator": annotator, "annotators": [a for a, _ in choices], "split": split})
        for coder, path in choices if annotators == "all" else choices[:1]:
            for roles in parse_ann(path):
                rows.append({**spans_row(doc_id, roles.pop("attribution_id"), text, roles), "annotator": coder})
    columns = ATTRIBUTION_COLUMNS + (["annotator"] if annotators == "all" else [])
    return pd.DataFrame(articles), pd.DataFrame(rows, columns=columns)


def read_polnear_annotators(split: str = "train", root=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(articles, attributions)`` of the articles that several annotators coded, every annotator kept.

    ``attributions`` has the columns of :func:`read_polnear` plus ``annotator``; it is what
    :func:`~.evaluation.annotator_agreement` compares (16 train and 2 dev articles have 5-6
    annotators each; every other article has one).
    """
    articles, coded = read_polnear(split, root=root, annotators="all")
    articles = articles[articles["annotators"].map(len) > 1].reset_index(drop=True)
    return articles, coded[coded["doc_id"].isin(articles["doc_id"])].reset_index(drop=True)


def _metadata(base: Path) -> dict:
    path = base / "metadata.tsv"
    if not path.exists():
        return {}
    table = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    return {r["filename"]: r for r in table.to_dict("records")}
