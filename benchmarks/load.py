"""Benchmark ``load_corpus`` on the AllSides article-bias-prediction JSON folder.

What it measures (text loaded from ``content_original``, as in the project's issue):

* throughput: wall time (``time.perf_counter``) of ``--repeat`` timed loads that follow
  one untimed warm-up load, so the OS file cache is warm; the median gives articles/s
  and MB/s (MB = 10**6 bytes of input JSON);
* stages, for one extra load: reading files (``readers.read_folder``), duplicate
  detection (``corpus_duplicates`` on the loaded table), and building the table
  (the rest of ``load_corpus``, by subtraction);
* memory: peak RSS of a fresh ``spawn`` child process doing one load (and its RSS after
  the imports, before loading), and the ``tracemalloc`` peak of one untimed load in
  this process (Python and NumPy allocations; Arrow string buffers are not traced);
* data quality: files, loaded, skipped by reason, empty and malformed dates, exact and
  near duplicates, date range, outlets.

``--scale K`` (1..26) replicates the folder K times into a temporary folder to measure
scaling. Copy 0 is the original files; copy k >= 1 gets ``ID`` ``<ID>-r<k>`` (else the
copies would be skipped as duplicate ids) and its ``content_original`` letters rotated
by k (ROT-k: same bytes, same word count, different words), so the copies are neither
exact nor near duplicates and the scaled folder behaves like K times as many articles.

Run from the repository root::

    make bench-load
    .venv/bin/python benchmarks/load.py [--data PATH] [--repeat 3] [--scale 1] [--json]

Benchmarks print figures; they are not tests.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import shlex
import shutil
import statistics
import string
import sys
import tempfile
import time
import tracemalloc
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
from _common import machine, rss_mb  # benchmarks/_common.py: the script folder is on sys.path

from diplomacy_lab import corpus_duplicates, load_corpus, load_report
from diplomacy_lab.loading.readers import read_folder
from diplomacy_lab.paths import REPO_DIR, shared_data_dir

TEXT = "content_original"
MB = 1e6


def load(folder: Path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # skipped files are counted from the load report
        return load_corpus(folder, text=TEXT, progress=False)




def child_load(folder: str) -> tuple[float, float]:
    """In a fresh process: (RSS after imports, peak RSS after one load), in MB."""
    baseline = rss_mb()[0]
    load(Path(folder))
    return baseline, rss_mb()[1]


def replicate(src: Path, dst: Path, k: int) -> None:
    """Write copy ``k`` of the folder ``src`` into ``dst`` (see the module docstring)."""
    dst.mkdir()
    rot = str.maketrans(
        string.ascii_lowercase + string.ascii_uppercase,
        string.ascii_lowercase[k:] + string.ascii_lowercase[:k] + string.ascii_uppercase[k:] + string.ascii_uppercase[:k],
    )
    for path in src.glob("*.json"):
        if k == 0:
            shutil.copyfile(path, dst / path.name)
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        data["ID"] = f"{data['ID']}-r{k}"
        data[TEXT] = data[TEXT].translate(rot)
        (dst / path.name).write_text(json.dumps(data, indent=4), encoding="utf-8")


def quality(articles: pd.DataFrame, dups: pd.DataFrame, n_files: int) -> dict:
    report = load_report(articles)
    skipped = report[report["action"] == "skipped"]
    bad_dates = report[report["reason"] == "unparseable_date"]
    dated = articles["date"].dropna()
    outlets = articles["outlet"].value_counts()
    return {
        "files": n_files,
        "loaded": len(articles),
        "skipped": {str(k): int(v) for k, v in skipped["reason"].value_counts().items()},
        "empty_dates": int((report["reason"] == "missing_date").sum()),
        "malformed_dates": len(bad_dates),
        "malformed_date_examples": [f"{s}: {d}" for s, d in zip(bad_dates["source"], bad_dates["detail"])][:5],
        "duplicates": [
            {"doc_id": r.doc_id, "duplicate_of": r.duplicate_of, "kind": r.kind, "similarity": float(r.similarity)}
            for r in dups.itertuples(index=False)
        ],
        "date_range": [str(dated.min().date()), str(dated.max().date())] if len(dated) else None,
        "dated": len(dated),
        "outlets": int(outlets.size),
        "top_outlets": {str(k): int(v) for k, v in outlets.head(5).items()},
    }


def run(folder: Path, repeat: int) -> dict:
    files = [p for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")]
    n_bytes = sum(p.stat().st_size for p in files)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        baseline, peak = pool.submit(child_load, str(folder)).result()

    articles = load(folder)  # warm-up: fills the OS file cache; not timed
    seconds = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        load(folder)
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)

    gc.collect()  # stages: three separate calls on a warm cache
    start = time.perf_counter()
    read_folder(folder)
    t_read = time.perf_counter() - start
    start = time.perf_counter()
    load(folder)
    t_total = time.perf_counter() - start
    start = time.perf_counter()
    dups = corpus_duplicates(articles)
    t_dups = time.perf_counter() - start

    gc.collect()
    tracemalloc.start()
    load(folder)
    traced_peak = tracemalloc.get_traced_memory()[1] / MB
    tracemalloc.stop()

    return {
        "files": len(files),
        "input_mb": n_bytes / MB,
        "repeat": repeat,
        "seconds": seconds,
        "median_s": median,
        "articles_per_s": len(articles) / median,
        "mb_per_s": n_bytes / MB / median,
        "stages_s": {"read_files": t_read, "build_table": t_total - t_read - t_dups, "duplicates": t_dups, "total": t_total},
        "rss_baseline_mb": baseline,
        "rss_peak_mb": peak,
        "tracemalloc_peak_mb": traced_peak,
        "quality": quality(articles, dups, len(files)),
    }




def print_text(r: dict, folder: Path, scale: int, command: str) -> None:
    m, q, st = r["machine"], r["quality"], r["stages_s"]
    print(f"load_corpus benchmark — {folder} (text={TEXT!r}, scale {scale})")
    print(f"machine: {m['cores']} cores, Python {m['python']}, pandas {m['pandas']}, {m['platform']}")
    print(f"input: {r['files']} files, {r['input_mb']:.1f} MB of JSON")
    print(f"\nthroughput: {r['repeat']} timed run(s) after 1 warm-up run (OS file cache warm)")
    print("  runs (s): " + ", ".join(f"{s:.2f}" for s in r["seconds"]))
    print(f"  median {r['median_s']:.2f} s  →  {r['articles_per_s']:,.0f} articles/s, {r['mb_per_s']:.1f} MB/s")
    print("\nstages of one load (separate calls; build = total − read − duplicates):")
    for name in ("read_files", "build_table", "duplicates"):
        print(f"  {name:<12} {st[name]:6.2f} s  {100 * st[name] / st['total']:4.0f}%")
    print(f"  {'total':<12} {st['total']:6.2f} s")
    print("\nmemory:")
    print(f"  fresh spawn process: RSS {r['rss_baseline_mb']:.0f} MB after imports, peak {r['rss_peak_mb']:.0f} MB "
          f"after one load (+{r['rss_peak_mb'] - r['rss_baseline_mb']:.0f} MB)")
    print(f"  tracemalloc peak of one load (untimed; Python+NumPy, not Arrow buffers): {r['tracemalloc_peak_mb']:.0f} MB")
    print("\ndata quality:")
    print(f"  files {q['files']}, loaded {q['loaded']}, skipped {sum(q['skipped'].values())}"
          + (" (" + ", ".join(f"{n} {k}" for k, n in q["skipped"].items()) + ")" if q["skipped"] else ""))
    print(f"  empty dates: {q['empty_dates']}")
    print(f"  malformed (unparseable) dates: {q['malformed_dates']}")
    for example in q["malformed_date_examples"]:
        print(f"    {example}")
    for kind in ("exact", "near"):
        pairs = [d for d in q["duplicates"] if d["kind"] == kind]
        print(f"  {kind} duplicate pairs: {len(pairs)}")
        for d in pairs[:10]:
            print(f"    {d['doc_id']} ~ {d['duplicate_of']}  similarity {d['similarity']:.2f}")
        if len(pairs) > 10:
            print(f"    ... and {len(pairs) - 10} more (see --json)")
    if q["date_range"]:
        print(f"  date range: {q['date_range'][0]} .. {q['date_range'][1]} ({q['dated']} dated articles)")
    print(f"  outlets: {q['outlets']}; top 5: " + ", ".join(f"{k} ({n})" for k, n in q["top_outlets"].items()))
    print(f"\nrerun: {command}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None,
                        help="the JSON folder (default: shared_data_dir()/article-bias-prediction/jsons)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs after the warm-up run (default 3)")
    parser.add_argument("--scale", type=int, default=1, help="replicate the folder K times, 1..26 (default 1)")
    parser.add_argument("--json", action="store_true", help="print a machine-readable result instead")
    args = parser.parse_args(argv)
    folder = args.data or shared_data_dir() / "article-bias-prediction" / "jsons"
    if not folder.is_dir():
        parser.error(f"no such folder: {folder}; pass --data PATH or set DIPLOMACY_LAB_SHARED_DATA")
    if args.repeat < 1 or not 1 <= args.scale <= 26:
        parser.error("--repeat must be >= 1 and --scale between 1 and 26")
    python = os.path.relpath(sys.executable, REPO_DIR) if sys.executable.startswith(str(REPO_DIR)) else sys.executable
    command = f"cd {shlex.quote(str(REPO_DIR))} && " + shlex.join([python, "benchmarks/load.py", *sys.argv[1:]])

    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        target = folder
        if args.scale > 1:
            target = Path(tmp)
            for k in range(args.scale):
                replicate(folder, target / f"r{k}", k)
        result = {"machine": machine(), "data": str(folder), "scale": args.scale, **run(target, args.repeat), "command": command}

    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_text(result, folder, args.scale, command)


if __name__ == "__main__":
    main()
