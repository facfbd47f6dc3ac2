"""Benchmark the statements step: its speed against a floor, and a streamed run of N articles.

Input: the 5,690 AllSides JSON articles (text from ``content_original``), loaded once with
``load_corpus`` (not measured: ``benchmarks/load.py`` measures loading). Three parts:

1. **Speed on the AllSides articles** (one process, CPU time, so that other processes on the
   machine do not count): ``extract_statements`` on the 5,690 articles against the floor of
   ``re.findall(r"\\w+", text)`` over the same texts, both measured in this run (best of
   ``--repeat``), as articles per CPU-second and their ratio; the whole-article path
   (``focused=False``) beside it; where the time goes, stage by stage; and the same texts twice
   under other ids (no per-text cache may make the second pass cheaper).
2. **Memory against corpus size**: the streamed command of part 3 at 10,000 and 40,000
   articles: the tree's peak RSS at each and their ratio.
3. **A streamed run of N articles** (``--articles``, default 100,000): the articles replicated
   to N rows, copy k >= 1 with ``doc_id`` ``<doc_id>-r<k>``, written to a JSONL file (timed
   apart), then ``diplomacy-lab statements FILE.jsonl --workers W --chunk-size K`` run as a
   subprocess: wall time, CPU time of the whole process tree, articles/s, per core and per
   CPU-second, and the peak RSS of the whole tree (the summed RSS of its processes sampled
   every 0.1 s, and the sum of each process's own peak).

Goals (issue 15): at most 2.1 times the floor's CPU time; 1,000,000 articles on 2 cores in
under 10 minutes with a peak RSS under 4 GB; peak RSS at 40,000 articles within 1.25 times
that at 10,000.

Run from the repository root::

    .venv/bin/python benchmarks/statements.py                      # 100,000 articles streamed
    .venv/bin/python benchmarks/statements.py --articles 1000000 --workers 2
    .venv/bin/python benchmarks/statements.py --quick              # 10,000 streamed, no RSS scaling
    .venv/bin/python benchmarks/statements.py --articles 0         # part 1 only
    .venv/bin/python benchmarks/statements.py --codebook data/codebooks/allsides_russia_ukraine.yaml --json

Benchmarks print figures; they are not tests.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd
from _common import machine, run_measured  # benchmarks/_common.py: the script folder is on sys.path

from diplomacy_lab import load_corpus
from diplomacy_lab.codebook.matcher import compile_codebook
from diplomacy_lab.codebook.schema import load_codebook
from diplomacy_lab.loading.stream import DEFAULT_CHUNK_SIZE
from diplomacy_lab.paths import REPO_DIR, data_dir, shared_data_dir
from diplomacy_lab.statements.cues import CueStanceClassifier, load_cues
from diplomacy_lab.statements.extract import extract_statements, statement_candidates
from diplomacy_lab.statements.focus import focused_tables

TEXT = "content_original"
MB = 1e6
GOAL_FLOOR_RATIO = 2.1
GOAL_MILLION_S = 600
GOAL_MILLION_RSS_MB = 4000
GOAL_RSS_RATIO = 1.25
DEFAULT_ARTICLES = 100_000
QUICK_ARTICLES = 10_000
RSS_SIZES = (10_000, 40_000)
WARMUP_ARTICLES = 50
CACHE_CHECK_ARTICLES = 1_000
_WORDS = re.compile(r"\w+")


def load_articles(folder: Path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # skipped files: see benchmarks/load.py
        return load_corpus(folder, text=TEXT, progress=False)


def best_cpu(fn, repeat: int) -> float:
    """The least CPU time of ``repeat`` calls (the least disturbed by other processes)."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


# --- part 1: speed on the AllSides articles --------------------------------------------------------


def speed(articles: pd.DataFrame, book, repeat: int) -> dict:
    texts = articles["text"].tolist()
    extract_statements(articles.head(WARMUP_ARTICLES).assign(doc_id=lambda d: d["doc_id"] + "-warm"), book)
    floor = best_cpu(lambda: [_WORDS.findall(t) for t in texts], repeat)
    fast = best_cpu(lambda: extract_statements(articles, book, progress=False), repeat)
    whole = best_cpu(lambda: extract_statements(articles, book, progress=False, focused=False), 1)
    n = len(articles)
    return {
        "articles": n,
        "text_mb": sum(len(t.encode("utf-8")) for t in texts) / MB,
        "floor_cpu_s": floor, "floor_per_cpu_s": n / floor,
        "extract_cpu_s": fast, "extract_per_cpu_s": n / fast, "ratio": fast / floor,
        "whole_path_cpu_s": whole, "whole_path_per_cpu_s": n / whole,
        "statements": len(extract_statements(articles, book, progress=False)),
        "stages": stages(articles, book, fast, repeat),
        "cache_check": cache_check(articles.head(CACHE_CHECK_ARTICLES), book),
    }


def stages(articles: pd.DataFrame, book, total: float, repeat: int) -> dict:
    """CPU time of each stage as ``extract_statements`` runs it (best of ``repeat``, like the total);
    assembly = the total minus the rest."""
    prefilter = compile_codebook(book).prefilter
    texts = articles["text"].tolist()
    best: dict[str, float] = {}

    def timed(name: str, fn, *args, **kwargs):
        start = time.process_time()
        value = fn(*args, **kwargs)
        best[name] = min(best.get(name, math.inf), time.process_time() - start)
        return value

    def decide(cands):
        return CueStanceClassifier().fit().explain(cands) if len(cands) else pd.DataFrame({"stance": []})

    for _ in range(repeat):
        passed = timed("filter", lambda: sum(bool(prefilter.spans(x)) for x in texts))
        sents, ments = timed("focus", focused_tables, articles, book, progress=False)
        cands = timed("candidates", statement_candidates, sents, ments, lexicon=load_cues())
        decided = timed("decide", decide, cands)
    return {
        "target_filter_s": best["filter"], "passed_filter": passed,
        "split_and_match_s": best["focus"] - best["filter"], "sentences": len(sents), "mentions": len(ments),
        "candidates_s": best["candidates"], "candidates": len(cands),
        "decide_s": best["decide"], "not_neutral": int((decided["stance"] != "neutral").sum()),
        "assembly_s": total - best["focus"] - best["candidates"] - best["decide"],
    }


def cache_check(originals: pd.DataFrame, book) -> dict:
    """CPU time of the same texts twice (the second time under other doc_ids): a per-text cache
    would make the second pass faster."""
    times = []
    for k in (1, 2):
        table = originals.assign(doc_id=originals["doc_id"] + f"-c{k}")
        t = time.process_time()
        extract_statements(table, book, progress=False)
        times.append(time.process_time() - t)
    return {"articles": len(originals), "first_cpu_s": times[0], "second_cpu_s": times[1]}


# --- parts 2 and 3: streamed runs ----------------------------------------------------------------


def write_jsonl(articles: pd.DataFrame, n: int, path: Path) -> dict:
    """``articles`` replicated to ``n`` rows as JSONL; copy k >= 1 gets ``doc_id`` ``<doc_id>-r<k>``."""
    start = time.perf_counter()
    records = []
    for r in articles[["doc_id", "outlet", "date", "title", "text", "url"]].itertuples(index=False):
        date = None if pd.isna(r.date) else r.date.strftime("%Y-%m-%d")
        records.append({"doc_id": r.doc_id, "outlet": r.outlet, "date": date, "title": r.title, "text": r.text, "url": r.url})
    lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in records]
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            copy, row = divmod(i, len(records))
            if copy == 0:
                f.write(lines[row])
            else:
                f.write(json.dumps({**records[row], "doc_id": f"{records[row]['doc_id']}-r{copy}"}, ensure_ascii=False) + "\n")
    return {"path": str(path), "articles": n, "bytes": path.stat().st_size, "write_s": time.perf_counter() - start}


def streamed(jsonl: Path, n: int, codebook: Path, workers: int, chunk_size: int, out: Path) -> dict:
    cmd = [sys.executable, "-m", "diplomacy_lab", "statements", str(jsonl), "--codebook", str(codebook), "--out", str(out),
           "--workers", str(workers), "--chunk-size", str(chunk_size), "--no-progress"]
    log = out.with_suffix(".log")
    with log.open("w") as sink:
        measured = run_measured(cmd, stdout=sink, stderr=subprocess.STDOUT, cwd=REPO_DIR)
    output = log.read_text()
    if measured["returncode"] != 0:
        raise RuntimeError(f"the statements command failed ({measured['returncode']}):\n{output[-2000:]}")
    found = re.search(r"^(\d+) statements", output, re.MULTILINE)
    wall, cpu = measured["wall_s"], measured["cpu_s"]
    return {
        **measured, "articles": n, "workers": workers, "chunk_size": chunk_size, "command": shlex.join(cmd),
        "statements": int(found.group(1)) if found else None,
        "articles_per_s": n / wall, "articles_per_s_per_core": n / wall / workers, "articles_per_cpu_s": n / cpu,
        "cpu_share": cpu / (wall * (os.cpu_count() or 1)),
    }


def load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def git_state() -> str:
    try:
        head = subprocess.run(["git", "-C", str(REPO_DIR), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO_DIR), "status", "--porcelain", "--", "diplomacy_lab"],
                               capture_output=True, text=True, check=True).stdout.split("\n")
        changed = [line[3:] for line in dirty if line.strip()]
        return head + (f" + uncommitted changes in {', '.join(changed)}" if changed else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def run(args, folder: Path, codebook: Path, n: int) -> dict:
    load_before = load_average()
    book = load_codebook(codebook)
    articles = load_articles(folder)
    result: dict = {"speed": speed(articles, book, args.repeat)}
    sizes = [] if args.no_rss_scaling else list(RSS_SIZES)
    if n or sizes:
        keep = args.jsonl_dir is not None
        folder_out = Path(args.jsonl_dir) if keep else Path(tempfile.mkdtemp(prefix="bench-statements-"))
        folder_out.mkdir(parents=True, exist_ok=True)
        try:
            if sizes:
                result["rss_scaling"] = []
                for size in sizes:
                    jsonl = folder_out / f"allsides-{size}.jsonl"
                    made = write_jsonl(articles, size, jsonl)
                    result["rss_scaling"].append({"jsonl": made, **streamed(jsonl, size, codebook, args.workers,
                                                                            args.chunk_size, folder_out / f"st-{size}.csv")})
                    if not keep:
                        jsonl.unlink()
            if n:
                jsonl = folder_out / f"allsides-{n}.jsonl"
                made = write_jsonl(articles, n, jsonl)
                result["streamed"] = {"jsonl": made, **streamed(jsonl, n, codebook, args.workers, args.chunk_size,
                                                                folder_out / f"st-{n}.csv")}
                if not keep:
                    jsonl.unlink()
        finally:
            if not keep:
                for leftover in folder_out.iterdir():
                    leftover.unlink()
                folder_out.rmdir()
    result["load_average_1min"] = [load_before, load_average()]
    return result


# --- report ------------------------------------------------------------------------------------------


def print_text(r: dict, folder: Path, codebook: str, command: str) -> None:
    m, sp = r["machine"], r["speed"]
    print(f"statements benchmark — codebook {codebook}")
    print(f"machine: {m['cores']} cores, Python {m['python']}, pandas {m['pandas']}, {m['platform']}")
    print(f"library: git {m['library']}")
    la = r["load_average_1min"]
    if la[0] is not None:
        print(f"1-minute load average at start {la[0]:.2f}, at end {la[1]:.2f} on {m['cores']} cores: other processes "
              "share the machine; CPU-time figures are the ones to compare")

    print(f"\n1. speed on the {sp['articles']:,} AllSides articles ({folder}, text={TEXT!r}, {sp['text_mb']:.1f} MB), "
          "one process, CPU time, best of the runs:")
    print(f"  floor re.findall(r'\\w+')   {sp['floor_cpu_s']:6.2f} s  {sp['floor_per_cpu_s']:8,.0f} articles per CPU-second")
    print(f"  extract_statements         {sp['extract_cpu_s']:6.2f} s  {sp['extract_per_cpu_s']:8,.0f} articles per CPU-second"
          f"  = {sp['ratio']:.2f}× the floor's time; {sp['statements']:,} statements")
    print(f"  whole-article path         {sp['whole_path_cpu_s']:6.2f} s  {sp['whole_path_per_cpu_s']:8,.0f} articles per "
          "CPU-second  (focused=False: every article with a target phrase split and matched whole)")
    verdict = "met" if sp["ratio"] <= GOAL_FLOOR_RATIO else "NOT met"
    print(f"  goal: at most {GOAL_FLOOR_RATIO}× the floor: {verdict} ({sp['ratio']:.2f}×)")
    st = sp["stages"]
    print("  stages (CPU s, best of the runs, as extract_statements runs them; the target filter runs first, in the "
          "focused split and match):")
    rows = [("target filter", st["target_filter_s"], f"{st['passed_filter']:,} of {sp['articles']:,} articles hold a target phrase"),
            ("split and match", st["split_and_match_s"], f"{st['sentences']:,} sentences split, {st['mentions']:,} mentions kept"),
            ("statement_candidates", st["candidates_s"], f"{st['candidates']:,} candidates"),
            ("decide (cue classifier)", st["decide_s"], f"{st['not_neutral']:,} not neutral"),
            ("assembly (rest)", st["assembly_s"], "extract_statements minus the stages above")]
    for name, seconds, note in rows:
        print(f"    {name:<24}{seconds:6.2f} s {100 * seconds / sp['extract_cpu_s']:4.0f}%  "
              f"{seconds / sp['floor_cpu_s']:4.2f}× floor   {note}")
    cc = sp["cache_check"]
    print(f"  same {cc['articles']:,} texts twice under other ids: {cc['first_cpu_s']:.2f} s, then {cc['second_cpu_s']:.2f} s CPU "
          f"(ratio {cc['second_cpu_s'] / cc['first_cpu_s']:.2f}: no per-text cache)")

    if "rss_scaling" in r:
        print("\n2. memory against corpus size (streamed command, peak RSS of the whole process tree):")
        for s in r["rss_scaling"]:
            print(f"  {s['articles']:>9,} articles: peak tree RSS {s['peak_tree_rss_mb']:7,.0f} MB sampled "
                  f"(sum of process peaks {s['sum_of_process_peaks_mb']:,.0f} MB), {s['wall_s']:.1f} s wall, "
                  f"{s['cpu_s']:.1f} s CPU")
        small, big = r["rss_scaling"][0], r["rss_scaling"][-1]
        ratio = big["peak_tree_rss_mb"] / small["peak_tree_rss_mb"]
        verdict = "met" if ratio <= GOAL_RSS_RATIO else "NOT met"
        print(f"  ratio {big['articles']:,}/{small['articles']:,}: {ratio:.2f} (goal at most {GOAL_RSS_RATIO}: {verdict})")

    if "streamed" in r:
        s = r["streamed"]
        j = s["jsonl"]
        print(f"\n3. streamed run of {s['articles']:,} articles ({j['bytes'] / MB:,.0f} MB of JSONL, written in {j['write_s']:.0f} s, "
              f"not counted), {s['workers']} workers, chunks of {s['chunk_size']:,}:")
        print(f"  command: {s['command']}")
        print(f"  wall {s['wall_s']:,.1f} s, CPU {s['cpu_s']:,.1f} s (whole tree: reader, {s['workers']} workers); "
              f"{s['statements']:,} statements")
        print(f"  {s['articles_per_s']:,.0f} articles/s, {s['articles_per_s_per_core']:,.0f} per core, "
              f"{s['articles_per_cpu_s']:,.0f} per CPU-second; the tree was on a CPU {100 * s['cpu_share']:.0f}% of "
              f"{m['cores']} cores × wall time")
        print(f"  peak RSS of the tree {s['peak_tree_rss_mb']:,.0f} MB sampled (sum of process peaks "
              f"{s['sum_of_process_peaks_mb']:,.0f} MB, up to {s['processes']} processes)")
        million = s["wall_s"] * 1e6 / s["articles"]
        if s["articles"] == 1_000_000:
            print(f"  goal 1,000,000 on 2 cores under {GOAL_MILLION_S / 60:.0f} min: "
                  f"{'met' if s['wall_s'] < GOAL_MILLION_S else 'NOT met'} ({s['wall_s'] / 60:.1f} min); peak RSS under "
                  f"{GOAL_MILLION_RSS_MB / 1000:.0f} GB: {'met' if s['sum_of_process_peaks_mb'] < GOAL_MILLION_RSS_MB else 'NOT met'}")
        else:
            print(f"  extrapolated to 1,000,000 articles at this rate: {million / 60:.1f} min wall (not measured; memory does "
                  "not grow with the corpus, see part 2)")
    print(f"\nrerun: {command}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None,
                        help="the AllSides JSON folder (default: shared_data_dir()/article-bias-prediction/jsons)")
    parser.add_argument("--articles", type=int, default=None,
                        help=f"articles in the streamed run (default {DEFAULT_ARTICLES:,}; 0: none)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ARTICLES:,} articles streamed, no RSS scaling")
    parser.add_argument("--codebook", type=Path, default=data_dir() / "codebooks" / "ukraine_2025.yaml",
                        help="codebook YAML (default data/codebooks/ukraine_2025.yaml)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes (default: the cores)")
    parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE, help=f"default {DEFAULT_CHUNK_SIZE:,}")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs in part 1, the best kept (default 3)")
    parser.add_argument("--no-rss-scaling", action="store_true", help="skip part 2")
    parser.add_argument("--jsonl-dir", help="keep the generated JSONL files and outputs in this folder")
    parser.add_argument("--json", action="store_true", help="print a machine-readable result instead")
    args = parser.parse_args(argv)
    folder = args.data or shared_data_dir() / "article-bias-prediction" / "jsons"
    if not folder.is_dir():
        parser.error(f"no such folder: {folder}; pass --data PATH or set DIPLOMACY_LAB_SHARED_DATA")
    if not args.codebook.is_file():
        parser.error(f"no such codebook: {args.codebook}")
    n = args.articles if args.articles is not None else (QUICK_ARTICLES if args.quick else DEFAULT_ARTICLES)
    args.no_rss_scaling = args.no_rss_scaling or args.quick
    if n < 0 or args.workers < 1 or args.chunk_size < 1 or args.repeat < 1:
        parser.error("--articles must be >= 0; --workers, --chunk-size and --repeat >= 1")
    codebook = args.codebook.resolve()
    python = os.path.relpath(sys.executable, REPO_DIR) if sys.executable.startswith(str(REPO_DIR)) else sys.executable
    command = f"cd {shlex.quote(str(REPO_DIR))} && " + shlex.join([python, "benchmarks/statements.py", *sys.argv[1:]])
    result = {"machine": {**machine(), "library": git_state()}, "data": str(folder), "codebook": str(codebook),
              **run(args, folder, codebook, n), "command": command,
              "goals": {"floor_ratio": GOAL_FLOOR_RATIO, "million_s": GOAL_MILLION_S,
                        "million_rss_mb": GOAL_MILLION_RSS_MB, "rss_ratio": GOAL_RSS_RATIO}}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        shown = os.path.relpath(codebook, REPO_DIR) if str(codebook).startswith(str(REPO_DIR)) else str(codebook)
        print_text(result, folder, shown, command)


if __name__ == "__main__":
    main()
