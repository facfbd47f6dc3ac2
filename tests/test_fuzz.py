"""Property-based tests of issue 16 (hypothesis): generated files, rows, codebooks, patterns and text.

The invariant for every generated input: it is loaded or reported with a reason; no exception
reaches the caller but the package's own (:class:`~diplomacy_lab.errors.DiplomacyLabError`);
no case runs past its time limit (hypothesis' deadline, and an alarm that stops a hang).

The default run uses the "quick" profile (``tests/conftest.py``: 60 cases per test); ``make fuzz``
the "long" one (2,000 per test, at least 10,000 in all) and writes the counts to ``build/fuzz.json``
(``$DIPLOMACY_LAB_FUZZ_REPORT``): cases, raw exceptions, hangs, documents neither loaded nor
reported, wall time.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import signal
import tempfile
import time
import warnings
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from diplomacy_lab.charts.tables import FORMULA_START, restore_formulas, write_csv
from diplomacy_lab.codebook.mentions import find_mentions
from diplomacy_lab.codebook.schema import Codebook, load_codebook
from diplomacy_lab.errors import DiplomacyLabError, PatternTimeoutError
from diplomacy_lab.loading.corpus import load_corpus, load_report
from diplomacy_lab.loading.dates import parse_dates
from diplomacy_lab.statements.coding import export_coding_sheet
from diplomacy_lab.statements.dna import to_dna
from diplomacy_lab.text.guard import compile_guarded
from diplomacy_lab.text.sentences import sentences

CASE_LIMIT_S = 60  # an alarm stops a case that hangs (hypothesis' deadline only judges cases that end)
STATS: Counter = Counter()
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class Hang(Exception):
    """A case ran past CASE_LIMIT_S."""


@pytest.fixture(scope="module", autouse=True)
def fuzz_report():
    """Short regex limits for generated patterns; the counts written when $DIPLOMACY_LAB_FUZZ_REPORT is set."""
    old = os.environ.get("DIPLOMACY_LAB_REGEX_TIMEOUT")
    os.environ["DIPLOMACY_LAB_REGEX_TIMEOUT"] = "0.25"
    STATS.clear()
    start = time.perf_counter()
    yield
    if old is None:
        os.environ.pop("DIPLOMACY_LAB_REGEX_TIMEOUT")
    else:
        os.environ["DIPLOMACY_LAB_REGEX_TIMEOUT"] = old
    target = os.environ.get("DIPLOMACY_LAB_FUZZ_REPORT")
    if target:
        keys = ("cases", "raw_exceptions", "hangs", "unaccounted_documents", "own_errors", "documents_loaded",
                "documents_reported")
        report = {k: STATS.get(k, 0) for k in keys}
        report["cases_by_test"] = {k[6:]: v for k, v in sorted(STATS.items()) if k.startswith("cases:")}
        report["wall_seconds"] = round(time.perf_counter() - start, 1)
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


@contextmanager
def case(name: str):
    """One generated case: counted, under an alarm; the package's own errors are allowed, any
    other exception is counted and fails the test."""
    STATS["cases"] += 1
    STATS[f"cases:{name}"] += 1

    def alarm(signum, frame):
        raise Hang(f"{name}: a case ran past {CASE_LIMIT_S} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, CASE_LIMIT_S)
    try:
        yield
    except DiplomacyLabError:
        STATS["own_errors"] += 1
    except Hang:
        STATS["hangs"] += 1
        raise
    except Exception:
        STATS["raw_exceptions"] += 1
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def quiet_load(*args, **kwargs) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_corpus(*args, progress=False, **kwargs)


def account(articles: pd.DataFrame, expected: list[str]) -> None:
    """Every expected source (a file, or ``file:row``) is loaded or in the report."""
    report = load_report(articles)
    seen = set(articles["source"]) | set(report["source"])
    files = {s.split(":", 1)[0] for s in seen} | {s.rsplit(":", 1)[0] for s in seen}
    missing = [e for e in expected if e not in seen and e not in files]
    STATS["documents_loaded"] += len(articles)
    STATS["documents_reported"] += int((report["action"] == "skipped").sum())
    STATS["unaccounted_documents"] += len(missing)
    assert not missing, f"neither loaded nor reported: {missing}"
    assert report["reason"].notna().all() and (report["detail"].str.len() > 0).all()


# --- strategies ------------------------------------------------------------------------------

FIELDS = ["text", "body", "content", "id", "doc_id", "date", "published", "publish_date", "outlet", "media_name",
          "source", "title", "url", "lang", "language", "date_precision", "extra"]
words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
hostile_text = st.one_of(
    words,
    st.sampled_from(["", " ", "\n", "=SUM(A1)", "-2+3", "@x", "\tx", "\rx", "\ud800 lone", "a\x00b", "9" * 400]),
    st.text(alphabet="=+-@\t\r ,;\"'\n\\abc0123456789/.:", max_size=30),
)
dates = st.one_of(
    st.sampled_from(["2025-03-13", "03/04/2025", "13/04/2025", "04/13/2025", "9999-12-31", "1677-09-21",
                     "99999-01-01", "March 2025", "2025", "2025-13", "Thursday", "", "0000-00-00", "12/12/12"]),
    st.integers(min_value=-(10**420), max_value=10**420),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(), st.dates(),
)
scalars = st.one_of(st.none(), st.booleans(), hostile_text, st.integers(), st.floats(), dates)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.sampled_from(FIELDS), inner, max_size=3)),
                      max_leaves=8)
sentence = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")), min_size=1, max_size=80)
records = st.one_of(st.dictionaries(st.sampled_from(FIELDS), values, max_size=7),  # anything
                    st.builds(lambda r, t: {**r, "text": t}, st.dictionaries(st.sampled_from(FIELDS), values, max_size=5),
                              sentence))  # an article with a text and odd other fields
# Exported tables come from loaded corpora, whose lone surrogates the loader has already replaced.
export_text = hostile_text.map(lambda t: t.replace("\ud800", "?"))


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))


@st.composite
def files(draw) -> tuple[str, bytes, list[str]]:
    """A file: its name, bytes and the sources (file or ``file:row``) it should give."""
    stem = draw(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/\\\x00",
                                               exclude_categories=("Cs", "Cc")), min_size=1, max_size=12))
    suffix = draw(st.sampled_from([".txt", ".md", ".json", ".jsonl", ".csv", ".tsv", ".html", ".bin", ""]))
    name = (stem + suffix).strip() or "x.txt"
    if name in (".", "..") or name.lower().startswith("manifest."):
        name = "f" + name
    kind = draw(st.sampled_from(["bytes", "text", "json", "jsonl", "csv"]))
    rows: list[str] = []
    if kind == "bytes":
        data = draw(st.binary(max_size=200))
    elif kind == "text":
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
        data = draw(st.one_of(hostile_text, sentence)).encode(encoding, errors="ignore")
    elif kind == "json":
        doc = draw(st.one_of(records, st.lists(records, max_size=4), values))
        data = json.dumps(_jsonable(doc)).encode()
        if suffix == ".json" and isinstance(doc, list):
            rows = [f"{name}:{i}" for i in range(1, len(doc) + 1)]
    elif kind == "jsonl":
        lines = draw(st.lists(st.one_of(records.map(lambda r: json.dumps(_jsonable(r))), hostile_text), max_size=4))
        data = "\n".join(line.replace("\n", " ") for line in lines).encode("utf-8", errors="ignore")
    else:
        header = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=5, unique=True))
        body = draw(st.lists(st.lists(hostile_text, min_size=len(header), max_size=len(header)), max_size=4))
        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t" if suffix == ".tsv" else ",")
        writer.writerow(header)
        writer.writerows(body)
        data = out.getvalue().encode("utf-8", errors="ignore")
    return name, data, rows


@st.composite
def folders(draw):
    chosen = draw(st.lists(files(), min_size=1, max_size=5, unique_by=lambda f: f[0]))
    manifest = draw(st.one_of(st.none(), st.lists(st.one_of(st.sampled_from([f[0] for f in chosen]),
                                                            st.sampled_from(["", "../x.txt", "/etc/hostname",
                                                                             "missing.txt", "x" * 300])),
                                                  max_size=4)))
    return chosen, manifest


# --- loaders ---------------------------------------------------------------------------------


@given(folders(), st.sampled_from([None, True, False]), st.sampled_from([False, "exact", "near"]))
def test_generated_folders_are_loaded_or_reported(folder, dayfirst, drop):
    chosen, manifest = folder
    with tempfile.TemporaryDirectory() as tmp, case("folders"):
        root = Path(tmp)
        for name, data, _ in chosen:
            (root / name).write_bytes(data)
        if manifest is not None:
            pd.DataFrame({"file": manifest, "outlet": "M"}).to_csv(root / "manifest.csv", index=False)
        articles = quiet_load(root, dayfirst=dayfirst, drop_duplicates=drop)
        expected = [name for name, _, _ in chosen] + [row for _, _, rows in chosen for row in rows]
        account(articles, expected)


@given(st.lists(records, min_size=1, max_size=6), st.sampled_from([None, True, False]),
       st.sampled_from([None, "%d/%m/%Y"]))
def test_generated_rows_are_loaded_or_reported(rows, dayfirst, date_format):
    frame = pd.DataFrame(rows, dtype=object) if any(rows) else pd.DataFrame(index=range(len(rows)))
    if frame.shape[1] == 0:
        frame["extra"] = None
    with case("rows"):
        articles = quiet_load(frame, dayfirst=dayfirst, date_format=date_format)
        account(articles, [f"dataframe:{i}" for i in range(1, len(frame) + 1)])
        assert str(articles["date"].dtype) == "datetime64[ns]"


@given(st.lists(dates, max_size=8), st.sampled_from([False, True]))
def test_generated_dates_parse_or_say_why(values, dayfirst):
    with case("dates"):
        parsed = parse_dates(pd.Series(values, dtype=object), dayfirst=dayfirst)
        assert str(parsed["date"].dtype) == "datetime64[ns]"
        ok = parsed["date"].notna() | parsed["date_error"].notna() | pd.Series(
            [v is None or v == "" or (isinstance(v, float) and math.isnan(v)) for v in values], dtype=bool)
        assert ok.all()


# --- codebooks, YAML and patterns ------------------------------------------------------------

regex_atoms = st.sampled_from(["a", "b", "a+", "(a+)+", "(a|a)*", "\\w+", "[ab]", "[^a]", "\\b", "\\d", "\\s*", ".",
                               "(?:ab)", "(?<!a)b", "a(?=b)", "(", ")", "[", "{2,}", "?", "|", "$", "^", "\\"])
patterns = st.lists(regex_atoms, min_size=1, max_size=6).map("".join)
phrases = st.one_of(words, patterns.map(lambda p: "re:" + p), st.sampled_from(["troops", "Kyiv", "re:(a+)+$"]))
ids = st.one_of(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), words)
actor = st.fixed_dictionaries({"name": words, "country": words},
                              optional={"aliases": st.lists(phrases, max_size=3), "roles": st.lists(phrases, max_size=2),
                                        "kind": st.sampled_from(["person", "government", "x"]),
                                        "gender": st.sampled_from(["female", "male", "x"])})
target = st.fixed_dictionaries({"label": words}, optional={"patterns": st.lists(phrases, max_size=3)})
codebook_data = st.fixed_dictionaries(
    {"name": words}, optional={"actors": st.dictionaries(ids, actor, max_size=3),
                               "targets": st.dictionaries(ids, target, max_size=3), "extra": values})
yaml_noise = st.text(alphabet="abc:-[]{}&*!|>'\"#%@`,? \n\t0123456789", max_size=120)


@given(st.one_of(codebook_data.map(lambda d: yaml.safe_dump(d, allow_unicode=True)), yaml_noise),
       st.text(alphabet="ab Kyiv troops.\n", max_size=300))
def test_generated_codebooks_load_or_raise_codebook_error(text, article):
    with tempfile.TemporaryDirectory() as tmp, case("codebooks"):
        path = Path(tmp) / "book.yaml"
        path.write_text(text, encoding="utf-8")
        book = load_codebook(path)
        assert isinstance(book, Codebook)
        if article.strip():
            arts = pd.DataFrame({"doc_id": ["d"], "text": [article]})
            find_mentions(sentences(arts), book)


@given(patterns, st.text(alphabet="ab\n _-Ké²\u0301", max_size=60), st.sampled_from([0, re.IGNORECASE]))
def test_guarded_patterns_match_as_re_does(pattern, text, flags):
    with case("patterns"):
        try:
            expected = [m.span() for m in re.finditer(pattern, text, flags)]
        except re.error:
            with pytest.raises(re.error):
                compile_guarded(pattern, flags)
            return
        try:
            got = [m.span() for m in compile_guarded(pattern, flags).finditer(text)]
        except PatternTimeoutError:
            return
        assert got == expected


# --- exports ---------------------------------------------------------------------------------


def formula_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row
            if cell.startswith(FORMULA_START) and not _NUMBER.fullmatch(cell)]


@given(st.lists(export_text, min_size=1, max_size=8), st.lists(export_text, min_size=1, max_size=3, unique=True))
def test_generated_text_exports_hold_no_formula(cells, names):
    frame = pd.DataFrame({name: [cells[(i + j) % len(cells)] for i in range(len(cells))]
                          for j, name in enumerate(names)})
    with tempfile.TemporaryDirectory() as tmp, case("exports"):
        path = write_csv(frame, Path(tmp) / "t.csv")
        text = path.read_bytes().decode("utf-8")  # read_text would turn a CR into a line feed
        assert formula_cells(text) == []
        back = list(csv.reader(io.StringIO(text, newline="")))
        assert [restore_formulas(c) for c in back[0]] == [str(n) for n in names]
        assert [[restore_formulas(c) for c in row] for row in back[1:]] == frame.astype(str).values.tolist()


@given(st.lists(st.tuples(export_text, export_text, export_text), min_size=1, max_size=5))
def test_generated_statements_exports_hold_no_formula(rows):
    statements = pd.DataFrame({
        "doc_id": [f"d{i}" for i in range(len(rows))], "sent_id": range(len(rows)), "actor": "meloni",
        "target": "troops", "stance": "oppose", "evidence": [r[0] for r in rows], "outlet": [r[1] for r in rows],
        "cue": [r[2] for r in rows], "date": pd.Timestamp("2025-03-13"), "start": 0, "end": 5,
    })
    with tempfile.TemporaryDirectory() as tmp, case("statement exports"):
        export_coding_sheet(statements, Path(tmp) / "sheet.csv")
        to_dna(statements, path=Path(tmp) / "dna.csv")
        for name in ("sheet.csv", "dna.csv"):
            assert formula_cells((Path(tmp) / name).read_bytes().decode("utf-8-sig")) == []
