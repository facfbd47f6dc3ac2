"""Benchmark ``extract_statements`` on the AllSides articles, replicated to N articles.

Input: the 5,690 AllSides JSON articles (text from ``content_original``) are loaded once
with ``load_corpus`` (not measured: ``benchmarks/load.py`` measures loading), then the
whole articles table is replicated in memory to N rows (default 100,000): copy 0 keeps
the original ``doc_id``, copy k >= 1 gets ``<doc_id>-r<k>``. The copies repeat the same
texts, so the work per article is realistic, but effects of seeing a text again are
possible. ``extract_statements`` keeps no per-text cache: its caches are built once per
process (the Punkt tokenizer, the cue lexicon) or once per codebook (the mention matcher,
the target filter); the script checks this by timing (CPU) the same texts twice.

What it measures (wall time, ``time.perf_counter``; codebook ``--codebook``):

* one process: ``extract_statements`` over the N articles, after an untimed warm-up on
  a few articles (so the per-process caches above are built);
* all cores: the table split into one chunk per worker (``--workers``, default
  ``os.cpu_count()``), chunks run in a ``multiprocessing`` pool with the ``spawn`` start
  method. The timed wall time covers pickling the chunks to the workers, the work and
  sending the statements back; pool start-up (spawning, imports, codebook, warm-up) is
  reported separately and in a second total;
* for both: articles/s, articles/s per core, MB/s of article text (MB = 10**6 UTF-8
  bytes of ``text``), statements found, and the speed-up of the pool;
* stages, on a 5,000-article slice, each called directly as ``extract_statements`` calls
  it: the target-phrase pre-filter (when ``extract_statements`` has one),
  ``sentences()``, ``find_mentions()``, ``statement_candidates()`` and the cue
  classifier's ``decide()``; "assembly" is one ``extract_statements`` call on the same
  slice minus those stages;
* memory: a fresh ``spawn`` child process gets the loaded articles (pickled), builds the
  N-article input and runs ``extract_statements`` on it: RSS after imports, after
  building the input, and the
  peak RSS (``VmHWM`` from /proc/self/status) during ``extract_statements`` (the peak is
  reset through /proc/self/clear_refs before the call, where Linux allows it) and over
  the child's life.

The result is compared with the project's goal of 2,000 articles/s per core.

Run from the repository root::

    .venv/bin/python benchmarks/statements.py [--articles 100000] [--workers K] [--codebook PATH] [--json]
    .venv/bin/python benchmarks/statements.py --quick      # N = 10,000, a fast check

Benchmarks print figures; they are not tests.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import multiprocessing
import os
import pickle
import shlex
import subprocess
import sys
import time
import warnings
from itertools import pairwise
from pathlib import Path

import pandas as pd
from _common import machine, rss_mb  # benchmarks/_common.py: the script folder is on sys.path

from diplomacy_lab import load_corpus
from diplomacy_lab.codebook.mentions import find_mentions
from diplomacy_lab.codebook.schema import load_codebook
from diplomacy_lab.paths import REPO_DIR, data_dir, shared_data_dir
from diplomacy_lab.statements import extract as statements_module
from diplomacy_lab.statements.cues import CueStanceClassifier
from diplomacy_lab.statements.extract import extract_statements, statement_candidates
from diplomacy_lab.text.sentences import sentences

TEXT = "content_original"
MB = 1e6
GOAL_PER_CORE = 2000  # articles/s per core, from the project's issue
DEFAULT_ARTICLES = 100_000
QUICK_ARTICLES = 10_000
STAGE_ARTICLES = 5_000
CACHE_CHECK_ARTICLES = 1_000
WARMUP_ARTICLES = 50


# --- input ------------------------------------------------------------------------------------


def load_articles(folder: Path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # skipped files: see benchmarks/load.py
        return load_corpus(folder, text=TEXT, progress=False)


def replicate(articles: pd.DataFrame, n: int) -> pd.DataFrame:
    """``articles`` repeated to ``n`` rows; copy k >= 1 gets ``doc_id`` ``<doc_id>-r<k>``.

    Arrow-backed columns (the strings) are combined into one chunk, as ``load_corpus``
    gives them: ``concat`` alone would leave one chunk per copy, all sharing the buffers
    of the original, so the input would take the memory of one copy, and filtering the
    table (``extract_statements`` does) would cost what it does not on a loaded corpus.
    """
    copies = math.ceil(n / len(articles))
    table = pd.concat([articles] * copies, ignore_index=True).iloc[:n]
    columns = {}
    for name in table.columns:
        values = table[name].array
        if isinstance(values, pd.arrays.ArrowExtensionArray):
            values = pd.array(values.__arrow_array__().combine_chunks(), dtype=values.dtype)  # a copy, one chunk
        columns[name] = pd.Series(values, index=table.index, name=name, copy=False)
    table = pd.DataFrame(columns)
    base = articles["doc_id"].astype(str).tolist()
    table["doc_id"] = pd.Series(
        [d if k == 0 else f"{d}-r{k}" for k in range(copies) for d in base][:n], dtype=articles["doc_id"].dtype
    )
    assert table["doc_id"].is_unique
    return table


def text_bytes(table: pd.DataFrame) -> int:
    return sum(len(t.encode("utf-8")) for t in table["text"] if isinstance(t, str))


def extract(table: pd.DataFrame, book) -> pd.DataFrame:
    return extract_statements(table, book, progress=False)




def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux: write 5 to /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


# --- child processes (spawn: these must be importable from this module) -------------------------

_BOOK = None


def child_memory(articles: pd.DataFrame, codebook: str, n: int) -> dict:
    """In a fresh process: build the N-article input from ``articles`` and run extract_statements once.

    ``articles`` (the loaded 5,690) comes pickled from the parent, so the child's RSS holds
    the input, not what ``load_corpus`` leaves behind in the allocator.
    """
    received = rss_mb()[0]
    table = replicate(articles, n)
    del articles
    gc.collect()
    after_input, peak_input = rss_mb()
    book = load_codebook(codebook)
    was_reset = reset_peak()
    st = extract(table, book)
    rss_end, peak_extract = rss_mb()
    return {
        "rss_with_articles_mb": received,
        "rss_after_input_mb": after_input,
        "peak_building_input_mb": peak_input,
        "peak_extract_mb": peak_extract,
        "peak_reset": was_reset,
        "peak_process_mb": max(peak_input, peak_extract),
        "rss_after_extract_mb": rss_end,
        "statements": len(st),
    }


def child_rss(_: int = 0) -> float:
    return rss_mb()[0]


def worker_init(codebook: str, warmup: pd.DataFrame) -> None:
    global _BOOK
    _BOOK = load_codebook(codebook)
    extract(warmup, _BOOK)  # builds the per-process caches, as the warm-up of the one-process run


def worker_ping(_: int) -> int:
    time.sleep(0.3)
    return os.getpid()


def worker_extract(chunk: pd.DataFrame) -> tuple[pd.DataFrame, float, float, int]:
    start, cpu = time.perf_counter(), time.process_time()
    st = extract(chunk, _BOOK)
    return st, time.perf_counter() - start, time.process_time() - cpu, os.getpid()


# --- measurements -----------------------------------------------------------------------------


def one_process(table: pd.DataFrame, book) -> dict:
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    st = extract(table, book)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu, "statements": len(st)}


def all_cores(table: pd.DataFrame, codebook: str, workers: int, warmup: pd.DataFrame) -> dict:
    bounds = [round(i * len(table) / workers) for i in range(workers + 1)]
    chunks = [table.iloc[a:b] for a, b in pairwise(bounds)]
    gc.collect()
    t0 = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(workers, initializer=worker_init, initargs=(codebook, warmup)) as pool:
        for _ in range(10):  # until every worker has answered, i.e. finished its initializer
            if len(set(pool.map(worker_ping, range(workers), chunksize=1))) == workers:
                break
        t1 = time.perf_counter()
        results = pool.map(worker_extract, chunks, chunksize=1)
        st = pd.concat([r[0] for r in results], ignore_index=True)
        t2 = time.perf_counter()
        pool.close()
        pool.join()
    start = time.perf_counter()  # what pickling the chunks alone costs, in this process
    sent = sum(len(pickle.dumps(c, protocol=pickle.HIGHEST_PROTOCOL)) for c in chunks)
    t_pickle = time.perf_counter() - start
    return {
        "workers": workers,
        "startup_s": t1 - t0,
        "seconds": t2 - t1,
        "seconds_with_startup": t2 - t0,
        "worker_seconds": [r[1] for r in results],
        "worker_cpu_seconds": [r[2] for r in results],
        "worker_pids": len({r[3] for r in results}),
        "chunk_rows": [len(c) for c in chunks],
        "pickled_mb": sent / MB,
        "pickle_s": t_pickle,
        "statements": len(st),
    }


def stages(table: pd.DataFrame, book) -> dict:
    """Each stage as extract_statements calls it, on ``table``; then extract_statements itself."""
    out: dict = {"articles": len(table)}
    gc.collect()
    t = time.perf_counter()
    uses_filter = hasattr(statements_module, "target_filter")  # the pre-filter extract_statements applies
    if uses_filter:
        wanted = statements_module.target_filter(book)
        keep = [isinstance(x, str) and bool(wanted.search(x)) for x in table["text"]]
        subset = table[keep]
        out["target_filter_s"] = time.perf_counter() - t
        out["passed_filter"] = len(subset)
    else:
        subset = table
    t = time.perf_counter()
    sents = sentences(subset, progress=False)
    out["sentences_s"] = time.perf_counter() - t
    t = time.perf_counter()
    ments = find_mentions(sents, book)
    out["find_mentions_s"] = time.perf_counter() - t
    t = time.perf_counter()
    cands = statement_candidates(sents, ments)
    out["statement_candidates_s"] = time.perf_counter() - t
    t = time.perf_counter()
    clf = CueStanceClassifier().fit()
    decided = clf.explain(cands) if len(cands) else pd.DataFrame(columns=["stance"])
    out["decide_s"] = time.perf_counter() - t
    gc.collect()
    t = time.perf_counter()
    st = extract(table, book)
    out["extract_statements_s"] = time.perf_counter() - t
    named = [k for k in ("target_filter_s", "sentences_s", "find_mentions_s", "statement_candidates_s", "decide_s") if k in out]
    out["assembly_s"] = out["extract_statements_s"] - sum(out[k] for k in named)
    out["counts"] = {
        "sentences": len(sents), "mentions": len(ments), "candidates": len(cands),
        "non_neutral": int((decided["stance"] != "neutral").sum()), "statements": len(st),
    }
    return out


def cache_check(originals: pd.DataFrame, book) -> dict:
    """CPU time of the same texts twice (the second time under other doc_ids): a per-text cache
    would make the second pass faster. CPU time, as other processes may share the cores."""
    times = []
    for k in (1, 2):
        table = originals.assign(doc_id=originals["doc_id"] + f"-c{k}")
        gc.collect()
        t = time.process_time()
        extract(table, book)
        times.append(time.process_time() - t)
    return {"articles": len(originals), "first_cpu_s": times[0], "second_cpu_s": times[1]}


def git_state() -> str:
    try:
        head = subprocess.run(["git", "-C", str(REPO_DIR), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO_DIR), "status", "--porcelain", "--", "diplomacy_lab"], capture_output=True, text=True, check=True).stdout.split("\n")
        changed = [line[3:] for line in dirty if line.strip()]
        return head + (f" + uncommitted changes in {', '.join(changed)}" if changed else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"




def load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def run(folder: Path, codebook: Path, n: int, workers: int) -> dict:
    load_before = load_average()
    book = load_codebook(codebook)
    articles = load_articles(folder)
    table = replicate(articles, n)
    n_bytes = text_bytes(table)
    warmup = articles.head(WARMUP_ARTICLES).assign(doc_id=lambda d: d["doc_id"] + "-warm")
    extract(warmup, book)  # untimed: builds the per-process caches

    one = one_process(table, book)
    pool = all_cores(table, str(codebook), workers, warmup)
    stage = stages(table.head(STAGE_ARTICLES), book)
    check = cache_check(articles.head(min(CACHE_CHECK_ARTICLES, n)), book)
    with multiprocessing.get_context("spawn").Pool(1) as p:  # one process: the same child both times
        after_imports = p.apply(child_rss)
        memory = {"rss_after_imports_mb": after_imports, **p.apply(child_memory, (articles, str(codebook), n))}
        p.close()
        p.join()

    for r in (one, pool):
        r["articles_per_s"] = n / r["seconds"]
        r["articles_per_s_per_core"] = r["articles_per_s"] / (1 if r is one else workers)
        r["mb_per_s"] = n_bytes / MB / r["seconds"]
        r["articles_per_cpu_s"] = n / (r["cpu_seconds"] if r is one else sum(r["worker_cpu_seconds"]))
    pool["speedup"] = one["seconds"] / pool["seconds"]
    pool["speedup_with_startup"] = one["seconds"] / pool["seconds_with_startup"]
    return {
        "articles": n,
        "distinct_texts": len(articles),
        "copies": math.ceil(n / len(articles)),
        "text_mb": n_bytes / MB,
        "table_mb": table.memory_usage(deep=True).sum() / MB,
        "one_process": one,
        "all_cores": pool,
        "stages": stage,
        "cache_check": check,
        "memory": memory,
        "load_average_1min": [load_before, load_average()],
        "goal_per_core": GOAL_PER_CORE,
    }


# --- report -----------------------------------------------------------------------------------


def goal_line(r: dict) -> str:
    one, pool = r["one_process"], r["all_cores"]
    rate = one["articles_per_s_per_core"]
    if rate >= GOAL_PER_CORE:
        verdict = f"met: {rate:,.0f} articles/s on one core, {rate / GOAL_PER_CORE:.2f}× the goal"
    else:
        verdict = (f"NOT met: {rate:,.0f} articles/s on one core = {100 * rate / GOAL_PER_CORE:.0f}% of the goal "
                   f"(needs {GOAL_PER_CORE / rate:.1f}× faster)")
    return (f"goal {GOAL_PER_CORE:,} articles/s per core: {verdict}; per CPU-second {one['articles_per_cpu_s']:,.0f}; "
            f"all cores {pool['articles_per_s_per_core']:,.0f} per core")


def print_text(r: dict, folder: Path, codebook: Path, command: str) -> None:
    m, one, pool, st, mem, cc = r["machine"], r["one_process"], r["all_cores"], r["stages"], r["memory"], r["cache_check"]
    print(f"extract_statements benchmark — {r['articles']:,} articles, codebook {codebook}")
    print(f"machine: {m['cores']} cores, Python {m['python']}, pandas {m['pandas']}, {m['platform']}")
    print(f"library: git {m['library']}")
    print(f"input: {folder} (text={TEXT!r}), {r['distinct_texts']:,} articles replicated in memory "
          f"{r['copies']}× to {r['articles']:,} rows with unique doc_ids; {r['text_mb']:.1f} MB of text (UTF-8), "
          f"table {r['table_mb']:,.0f} MB in memory")
    print("  the copies repeat the same texts: realistic work per article, but caching effects are possible;")
    print("  extract_statements keeps no per-text cache (only per process / per codebook). Same "
          f"{cc['articles']:,} texts twice: {cc['first_cpu_s']:.2f} s, then {cc['second_cpu_s']:.2f} s CPU "
          f"(ratio {cc['second_cpu_s'] / cc['first_cpu_s']:.2f})")
    la = r["load_average_1min"]
    if la[0] is not None:
        print(f"  1-minute load average at start {la[0]:.2f}, at end {la[1]:.2f} ({m['cores']} cores; "
              "other processes on the machine slow the all-cores figures first)")

    print("\nthroughput (wall time, after an untimed warm-up):")
    print(f"  {'':<22}{'seconds':>9}{'articles/s':>12}{'per core':>10}{'MB/s':>8}{'statements':>12}{'CPU s':>8}{'per CPU s':>11}")
    print(f"  {'one process':<22}{one['seconds']:9.1f}{one['articles_per_s']:12,.0f}{one['articles_per_s_per_core']:10,.0f}"
          f"{one['mb_per_s']:8.2f}{one['statements']:12,}{one['cpu_seconds']:8.1f}{one['articles_per_cpu_s']:11,.0f}")
    label = f"{pool['workers']} workers (spawn)"
    print(f"  {label:<22}{pool['seconds']:9.1f}{pool['articles_per_s']:12,.0f}{pool['articles_per_s_per_core']:10,.0f}"
          f"{pool['mb_per_s']:8.2f}{pool['statements']:12,}{sum(pool['worker_cpu_seconds']):8.1f}{pool['articles_per_cpu_s']:11,.0f}")
    print(f"  speed-up {pool['speedup']:.2f}× on {pool['workers']} workers ({100 * pool['speedup'] / pool['workers']:.0f}% "
          f"parallel efficiency); {pool['speedup_with_startup']:.2f}× counting pool start-up")
    print(f"  pool: start-up {pool['startup_s']:.1f} s (spawn, imports, codebook, warm-up; not in the row above); "
          f"chunks of {', '.join(f'{c:,}' for c in pool['chunk_rows'])} rows, "
          f"{pool['pickled_mb']:,.0f} MB pickled (pickling alone {pool['pickle_s']:.1f} s in this process)")
    print("  worker compute, wall (CPU) s: " + ", ".join(f"{s:.1f} ({c:.1f})" for s, c in zip(pool["worker_seconds"], pool["worker_cpu_seconds"]))
          + f"; wall − slowest worker = {pool['seconds'] - max(pool['worker_seconds']):.1f} s of transfer and waiting")
    share_one = one["cpu_seconds"] / one["seconds"]
    share_pool = sum(pool["worker_cpu_seconds"]) / sum(pool["worker_seconds"])
    print(f"  on-CPU share of wall time: one process {100 * share_one:.0f}%, workers {100 * share_pool:.0f}% "
          "(below ~95%: the cores were shared with other processes, and wall-time rates understate the code)")
    if pool["statements"] != one["statements"]:
        print(f"  WARNING: one process found {one['statements']:,} statements, the pool {pool['statements']:,}")

    c = st["counts"]
    print(f"\nstages on the first {st['articles']:,} articles (separate calls, as extract_statements makes them):")
    rows = []
    if "target_filter_s" in st:
        rows.append(("target filter", st["target_filter_s"], f"{st['passed_filter']:,} of {st['articles']:,} articles hold a target phrase"))
    rows += [
        ("sentences()", st["sentences_s"], f"{c['sentences']:,} sentences"),
        ("find_mentions()", st["find_mentions_s"], f"{c['mentions']:,} mentions"),
        ("statement_candidates()", st["statement_candidates_s"], f"{c['candidates']:,} candidates"),
        ("decide()", st["decide_s"], f"{c['non_neutral']:,} not neutral"),
        ("assembly (rest)", st["assembly_s"], "extract_statements minus the stages above"),
    ]
    for name, seconds, note in rows:
        print(f"  {name:<24}{seconds:7.2f} s {100 * seconds / st['extract_statements_s']:4.0f}%   {note}")
    print(f"  {'extract_statements()':<24}{st['extract_statements_s']:7.2f} s  100%   "
          f"{st['articles'] / st['extract_statements_s']:,.0f} articles/s, {c['statements']:,} statements")

    print("\nmemory (fresh spawn process that builds the input and runs extract_statements once):")
    print(f"  RSS after imports {mem['rss_after_imports_mb']:,.0f} MB; with the {r['distinct_texts']:,} articles received "
          f"{mem['rss_with_articles_mb']:,.0f} MB; after building the {r['articles']:,}-article input "
          f"{mem['rss_after_input_mb']:,.0f} MB (peak while building {mem['peak_building_input_mb']:,.0f} MB)")
    peak = mem["peak_extract_mb"]
    if mem["peak_reset"]:
        print(f"  peak RSS during extract_statements {peak:,.0f} MB "
              f"(+{peak - mem['rss_after_input_mb']:,.0f} MB over the input); peak of the process {mem['peak_process_mb']:,.0f} MB")
    else:
        print(f"  peak RSS of the process {peak:,.0f} MB (VmHWM could not be reset: includes building the input)")

    print(f"\n{goal_line(r)}")
    print(f"\nrerun: {command}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None,
                        help="the AllSides JSON folder (default: shared_data_dir()/article-bias-prediction/jsons)")
    parser.add_argument("--articles", type=int, default=None, help=f"articles to measure (default {DEFAULT_ARTICLES:,})")
    parser.add_argument("--quick", action="store_true", help=f"a fast check: {QUICK_ARTICLES:,} articles (unless --articles)")
    parser.add_argument("--codebook", type=Path, default=data_dir() / "codebooks" / "ukraine_2025.yaml",
                        help="codebook YAML (default data/codebooks/ukraine_2025.yaml)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="pool processes (default os.cpu_count())")
    parser.add_argument("--json", action="store_true", help="print a machine-readable result instead")
    args = parser.parse_args(argv)
    folder = args.data or shared_data_dir() / "article-bias-prediction" / "jsons"
    if not folder.is_dir():
        parser.error(f"no such folder: {folder}; pass --data PATH or set DIPLOMACY_LAB_SHARED_DATA")
    if not args.codebook.is_file():
        parser.error(f"no such codebook: {args.codebook}")
    n = args.articles or (QUICK_ARTICLES if args.quick else DEFAULT_ARTICLES)
    if n < 1 or args.workers < 1:
        parser.error("--articles and --workers must be >= 1")
    codebook = args.codebook.resolve()
    python = os.path.relpath(sys.executable, REPO_DIR) if sys.executable.startswith(str(REPO_DIR)) else sys.executable
    command = f"cd {shlex.quote(str(REPO_DIR))} && " + shlex.join([python, "benchmarks/statements.py", *sys.argv[1:]])

    result = {"machine": {**machine(), "library": git_state()}, "data": str(folder), "codebook": str(codebook),
              **run(folder, codebook, n, args.workers), "command": command}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        shown = os.path.relpath(codebook, REPO_DIR) if str(codebook).startswith(str(REPO_DIR)) else str(codebook)
        print_text(result, folder, Path(shown), command)


if __name__ == "__main__":
    main()
