"""iter_corpus: the articles of load_corpus, a chunk at a time.

Every test compares the chunks, put together, with ``load_corpus(..., duplicates=False)`` on the
same input (the reference), and the chunks' load reports with its report.
"""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from diplomacy_lab.loading.corpus import CorpusLoadError, load_corpus, load_report
from diplomacy_lab.loading.stream import iter_corpus
from diplomacy_lab.paths import shared_data_dir

ALLSIDES = shared_data_dir() / "article-bias-prediction" / "jsons"


def reference(source, **options) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_corpus(source, duplicates=False, progress=False, **options)


def streamed(source, chunk_size: int, **options) -> tuple[pd.DataFrame, pd.DataFrame, list[int]]:
    chunks = list(iter_corpus(source, chunk_size=chunk_size, **options))
    assert all(len(c) <= chunk_size for c in chunks)
    articles = pd.concat([c for c in chunks if len(c)] or chunks[:1], ignore_index=True)
    report = pd.concat([load_report(c) for c in chunks], ignore_index=True)
    return articles, report, [len(c) for c in chunks]


def assert_same(source, chunk_size: int, **options) -> pd.DataFrame:
    articles, report, _ = streamed(source, chunk_size, **options)
    expected = reference(source, **options)
    # The input's own extra columns may be typed per chunk (a chunk where one is all missing reads it as
    # object); the values must be equal, and the columns of the articles table keep their types.
    pd.testing.assert_frame_equal(articles, expected, check_dtype=False)
    core = [c for c in ("doc_id", "outlet", "date", "date_precision", "title", "text", "url", "lang", "source")
            if c in expected.columns]
    assert articles[core].dtypes.astype(str).tolist() == expected[core].dtypes.astype(str).tolist()
    cols = ["source", "level", "action", "reason"]
    assert sorted(map(tuple, report[cols].values.tolist())) == sorted(map(tuple, load_report(expected)[cols].values.tolist()))
    return articles


@pytest.mark.parametrize("chunk_size", [1, 2, 100])
def test_seed_folder_with_manifest(seed, chunk_size):
    articles = assert_same("data/seed", chunk_size)
    assert articles["doc_id"].tolist() == seed["doc_id"].tolist()


def test_files_of_every_streamed_format(tmp_path, seed):
    rows = seed[["doc_id", "outlet", "date", "title", "text"]].assign(date=seed["date"].dt.strftime("%Y-%m-%d"))
    rows.attrs = {}
    rows.to_csv(tmp_path / "a.csv", index=False)
    rows.to_csv(tmp_path / "b.tsv", index=False, sep="\t")
    rows.to_parquet(tmp_path / "c.parquet", row_group_size=2)
    with (tmp_path / "d.jsonl").open("w", encoding="utf-8") as f:
        for r in rows.to_dict("records"):
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    for name in ("a.csv", "b.tsv", "c.parquet", "d.jsonl"):
        for size in (1, 2, 10):
            assert len(assert_same(tmp_path / name, size)) == 5


def test_encodings_line_ends_and_bom(tmp_path):
    (tmp_path / "cp.csv").write_bytes("doc_id,text\r\n1,Caf\xe9 talks\r\n2,\"two\r\nlines\"\r\n".encode("cp1252"))
    (tmp_path / "bom.jsonl").write_bytes(b"\xef\xbb\xbf" + '{"doc_id": "x", "text": "Kyiv \u2019talks\u2019"}\r\n'.encode())
    (tmp_path / "u16.jsonl").write_bytes('{"doc_id": "y", "text": "Rome"}\n'.encode("utf-16"))
    for name in ("cp.csv", "bom.jsonl", "u16.jsonl"):
        assert_same(tmp_path / name, 1)
    articles, report, _ = streamed(tmp_path / "cp.csv", 1)
    assert articles["text"].tolist() == ["Café talks", "two\nlines"]
    assert report["reason"].tolist().count("fallback_encoding") == 1


def test_problems_are_reported_chunk_by_chunk(tmp_path):
    lines = ['{"doc_id": "a", "text": "One."}', "not json", "", '{"doc_id": "b", "text": "  "}', "[1, 2]",
             '{"doc_id": "c", "text": "Three.", "date": "Thursday"}', '{"doc_id": "d", "text": "Four."}']
    (tmp_path / "p.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "empty.jsonl").write_text("\n \n", encoding="utf-8")
    (tmp_path / "bin.csv").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "header.csv").write_text("doc_id,text\n", encoding="utf-8")
    for name in ("p.jsonl", "empty.jsonl", "bin.csv", "header.csv"):
        for size in (1, 3):
            assert_same(tmp_path / name, size)
    articles, report, _sizes = streamed(tmp_path / "p.jsonl", 2)
    assert articles["doc_id"].tolist() == ["a", "c", "d"]
    assert set(report["reason"]) == {"malformed_json", "empty", "unparseable_date", "missing_date"}
    chunks = list(iter_corpus(tmp_path / "p.jsonl", chunk_size=2))
    assert sum(c.attrs["load_report"].n_inputs for c in chunks) == 6  # non-blank lines, as load_corpus counts them


def test_ids_stay_unique_across_chunks(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "a.txt").write_text("First article.", encoding="utf-8")
    (tmp_path / "y" / "a.txt").write_text("Second article.", encoding="utf-8")
    assert assert_same(tmp_path, 1)["doc_id"].tolist() == ["a", "a-2"]  # generated ids get a suffix
    rows = pd.DataFrame({"doc_id": ["k", "k", "m"], "text": ["One.", "Two.", "Three."]})
    articles, report, _ = streamed(rows, 1)
    assert articles["doc_id"].tolist() == ["k", "m"]  # a given id seen before is skipped, and said so
    skipped = report[report["action"].eq("skipped")]
    assert skipped[["source", "reason"]].values.tolist() == [["dataframe:2", "duplicate_id"]]
    assert_same(rows, 1)


def test_strict_raises_at_the_first_problem(tmp_path):
    (tmp_path / "p.jsonl").write_text('{"text": "fine"}\nbroken\n', encoding="utf-8")
    with pytest.raises(CorpusLoadError, match="line 2 of p.jsonl is not valid JSON"):
        list(iter_corpus(tmp_path / "p.jsonl", strict=True))


def test_arguments_are_checked_at_the_call(tmp_path):
    with pytest.raises(ValueError, match="chunk_size"):
        iter_corpus("data/seed", chunk_size=0)
    with pytest.raises(FileNotFoundError, match="no such file"):
        iter_corpus(tmp_path / "missing.jsonl")
    with pytest.raises(LookupError):
        iter_corpus("data/seed", encoding="no-such-codec")
    with pytest.raises(ValueError, match="is not a field"):
        next(iter_corpus("data/seed", text="body"))


def test_chunks_are_read_lazily(tmp_path):
    """The first chunk arrives before the rest of the file is parsed: a broken tail is met only later."""
    path = tmp_path / "big.jsonl"
    path.write_text("".join(json.dumps({"doc_id": str(i), "text": f"Article {i}."}) + "\n" for i in range(50))
                    + "{broken", encoding="utf-8")
    chunks = iter_corpus(path, chunk_size=10)
    first = next(chunks)
    assert first["doc_id"].tolist() == [str(i) for i in range(10)]
    assert load_report(first, levels=["error"]).empty
    assert load_report(list(chunks)[-1], levels=["error"])["reason"].tolist() == ["malformed_json"]


@pytest.mark.skipif(not ALLSIDES.is_dir(), reason=f"AllSides articles not found at {ALLSIDES} (../shared/data)")
def test_allsides_folder():
    articles = assert_same(ALLSIDES, 1000, text="content_original")
    assert len(articles) == 5690
