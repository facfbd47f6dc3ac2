"""Statements at scale: chunk by chunk, on local workers, on a Dask cluster — always the same rows.

The reference is ``extract_statements`` on the whole corpus, written as the ``statements``
command always wrote it. Chunked, pooled and clustered runs must give the same rows: compared
in order (the runs are deterministic) and, as the issue asks, also as sorted multisets.
The Dask test starts a real scheduler and two workers on 127.0.0.1 as subprocesses.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from diplomacy_lab.cli import main
from diplomacy_lab.loading.corpus import load_corpus
from diplomacy_lab.loading.stream import iter_corpus
from diplomacy_lab.paths import data_dir, seed_corpus_dir
from diplomacy_lab.scale.local import extract_statements_chunked
from diplomacy_lab.scale.run import table_chunks, write_statements
from diplomacy_lab.scale.tables import STATEMENT_COLUMNS, conform, statements_meta
from diplomacy_lab.scale.writer import StatementWriter
from diplomacy_lab.statements.extract import extract_statements, statements_by_document

REPO = Path(__file__).resolve().parents[1]
CODEBOOK = data_dir() / "codebooks" / "ukraine_2025.yaml"


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    """The seed corpus's statements, computed whole."""
    return extract_statements(load_corpus(seed_corpus_dir()), str(CODEBOOK))


def as_csv(table: pd.DataFrame) -> bytes:
    return table.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d").encode("utf-8")


def same_rows(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal as tables, and equal as sorted multisets of rows (order-independent)."""
    a, b = conform(a), conform(b)
    pd.testing.assert_frame_equal(a, b)
    key = list(STATEMENT_COLUMNS)
    pd.testing.assert_frame_equal(a.sort_values(key).reset_index(drop=True), b.sort_values(key).reset_index(drop=True))


@pytest.mark.parametrize(("workers", "chunk_size"), [(1, 1), (1, 3), (2, 2)])
def test_chunked_runs_give_the_rows_of_the_whole_run(reference, workers, chunk_size):
    parts = list(extract_statements_chunked(iter_corpus(seed_corpus_dir(), chunk_size=chunk_size), CODEBOOK,
                                            workers=workers))
    assert [p.index for p in parts] == list(range(len(parts)))
    assert sum(p.articles for p in parts) == 5
    same_rows(pd.concat([p.statements for p in parts], ignore_index=True), reference)


def test_the_file_written_is_the_one_the_command_always_wrote(tmp_path, reference):
    for workers, size in ((1, 10_000), (2, 1)):
        out = tmp_path / f"st-{workers}-{size}.csv"
        run = write_statements(seed_corpus_dir(), CODEBOOK, out, workers=workers, chunk_size=size)
        assert out.read_bytes() == as_csv(reference)
        assert (run.articles, run.statements, run.rows, run.documents) == (5, len(reference), len(reference), 5)
    parquet = tmp_path / "st.parquet"
    write_statements(seed_corpus_dir(), CODEBOOK, parquet, chunk_size=2)
    same_rows(pd.read_parquet(parquet), reference)


def test_document_level_and_neutral(tmp_path):
    articles = load_corpus(seed_corpus_dir())
    full = extract_statements(articles, str(CODEBOOK), include_neutral=True)
    out = tmp_path / "docs.csv"
    run = write_statements(seed_corpus_dir(), CODEBOOK, out, chunk_size=2, level="document", include_neutral=True)
    assert out.read_bytes() == as_csv(statements_by_document(full))
    assert run.statements == len(full) and run.rows == len(statements_by_document(full))


def test_cli_statements_with_workers(tmp_path, reference, capsys):
    out = tmp_path / "st.csv"
    code = main(["statements", str(seed_corpus_dir()), "--codebook", str(CODEBOOK), "--out", str(out),
                 "--workers", "2", "--chunk-size", "2", "--progress"])
    assert code == 0
    assert out.read_bytes() == as_csv(reference)
    captured = capsys.readouterr()
    assert f"{len(reference)} statements (sentence level" in captured.out
    assert "statements: " in captured.err and "2 workers, 3 chunks" in captured.err  # the bar and the timing line
    # duplicates dropped: the corpus is loaded whole, then chunked; the seed corpus has none
    dropped = tmp_path / "dropped.csv"
    assert main(["statements", str(seed_corpus_dir()), "--codebook", str(CODEBOOK), "--out", str(dropped),
                 "--drop-duplicates", "exact", "--chunk-size", "2"]) == 0
    assert dropped.read_bytes() == as_csv(reference)


def test_cli_reports_skipped_inputs_and_bad_options(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"doc_id": "a", "text": "Meloni rejected the ceasefire."}\nnot json\n', encoding="utf-8")
    out = tmp_path / "st.csv"
    assert main(["statements", str(corpus), "--codebook", str(CODEBOOK), "--out", str(out)]) == 0
    assert "skipped 1 of 2 inputs (1 malformed_json)" in capsys.readouterr().err
    assert main(["statements", str(corpus), "--codebook", str(CODEBOOK), "--out", str(tmp_path / "st.txt")]) == 2
    assert ".csv or .parquet" in capsys.readouterr().err
    assert main(["statements", str(corpus), "--codebook", str(CODEBOOK), "--out", str(out), "--workers", "0"]) == 2
    assert "workers=0" in capsys.readouterr().err
    assert not (tmp_path / "st.txt").exists()


def test_a_failed_run_leaves_no_file(tmp_path):
    out = tmp_path / "st.csv"

    def chunks():
        yield load_corpus(seed_corpus_dir()).head(2)
        raise RuntimeError("the input broke")

    with pytest.raises(RuntimeError, match="the input broke"):
        write_statements(chunks(), CODEBOOK, out)
    assert not out.exists() and not list(tmp_path.iterdir())


def test_writer_and_tables():
    meta = statements_meta()
    assert list(meta.columns) == STATEMENT_COLUMNS and meta.empty
    with pytest.raises(ValueError, match="no column"):
        conform(pd.DataFrame({"doc_id": ["a"]}))
    with pytest.raises(ValueError, match=".csv or .parquet"):
        StatementWriter("statements.json")
    assert [len(c) for c in table_chunks(pd.DataFrame({"doc_id": [], "text": []}), 3)] == [0]


# --- a Dask cluster on 127.0.0.1 --------------------------------------------------------------------

_STARTUP = 60  # seconds for the scheduler and workers to come up
_STOP = 15  # seconds for a subprocess to stop before it is killed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(_STOP)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(_STOP)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1; always torn down."""
    pytest.importorskip("distributed", reason="dask[distributed] is not installed: pip install 'diplomacy-lab[dask]'")
    from distributed import Client

    logs = tmp_path_factory.mktemp("dask")
    address = f"tcp://127.0.0.1:{_free_port()}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
           "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    dask = [sys.executable, "-m", "dask"]
    processes = []
    try:
        processes.append(subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                                           "--no-dashboard"], env=env, cwd=REPO, stdout=(logs / "scheduler.log").open("w"),
                                          stderr=subprocess.STDOUT))
        for i in range(2):
            processes.append(subprocess.Popen([*dask, "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                                               "--no-dashboard", "--name", f"w{i}"], env=env, cwd=REPO,
                                              stdout=(logs / f"worker{i}.log").open("w"), stderr=subprocess.STDOUT))
        deadline = time.monotonic() + _STARTUP
        client = None
        while client is None:
            try:
                client = Client(address, timeout=5, set_as_default=False)
            except OSError:
                if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                    pytest.fail(f"the Dask cluster did not start; logs in {logs}")
        try:
            client.wait_for_workers(2, timeout=max(1, deadline - time.monotonic()))
        finally:
            client.close()
        yield address
    finally:
        for process in reversed(processes):
            _stop(process)


def test_dask_cluster_gives_the_local_statements(cluster, reference, tmp_path):
    import dask.dataframe as dd
    from distributed import Client

    from diplomacy_lab.scale.cluster import extract_statements_dask

    out = tmp_path / "st.csv"
    run = write_statements(seed_corpus_dir(), CODEBOOK, out, chunk_size=1, scheduler=cluster)
    assert out.read_bytes() == as_csv(reference) and run.chunks == 5
    articles = dd.from_pandas(load_corpus(seed_corpus_dir()), npartitions=3)
    lazy = extract_statements_dask(articles, CODEBOOK)
    with Client(cluster, timeout=30) as client:
        workers = {who for who in client.run(lambda: os.getpid()).values()}
        computed = lazy.compute().reset_index(drop=True)
    assert len(workers) == 2
    same_rows(computed, reference)
    assert main(["statements", str(seed_corpus_dir()), "--codebook", str(CODEBOOK), "--out", str(tmp_path / "c.csv"),
                 "--scheduler", cluster, "--chunk-size", "2"]) == 0
    assert (tmp_path / "c.csv").read_bytes() == as_csv(reference)


def test_dask_errors_are_clear():
    pytest.importorskip("distributed", reason="dask[distributed] is not installed: pip install 'diplomacy-lab[dask]'")
    from diplomacy_lab.scale.cluster import extract_statements_dask, statements_on_cluster

    with pytest.raises(TypeError, match="needs a dask DataFrame"):
        extract_statements_dask(pd.DataFrame({"doc_id": [], "text": []}), CODEBOOK)
    with pytest.raises(ConnectionError, match="no Dask scheduler answered"):
        list(statements_on_cluster(iter([]), CODEBOOK, f"tcp://127.0.0.1:{_free_port()}", timeout=2))
