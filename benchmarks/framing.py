"""Benchmark ``fighting_words`` against ConvoKit's ``FightingWords`` on the AllSides Ukraine articles.

The data: the AllSides subset (``shared_data_dir()/article-bias-prediction/jsons``), text
``content_original``, side ``bias_text``. An article is about Ukraine and Russia when its
title and text together mention ``ukrain*`` at least ``--min-ukraine`` times (default 2)
and ``russia*``, ``putin``, ``kremlin`` or ``moscow`` at least once (whole-word starts,
any case). The comparison is left against right (centre articles are left out).

Both implementations get the same texts (left articles first, then right), the same
scikit-learn ``CountVectorizer`` settings (ConvoKit's default: ``min_df=10, max_df=0.5,
ngram_range=(1, 3), max_features=15000``, scikit-learn's token pattern, no stop words;
change them with the flags), and the same uniform prior (0.1, ConvoKit's default).
ConvoKit's text cleaning (clean-text) is switched off (``text_func`` returns the text as
it is), so both see the same words; ConvoKit is timed from the articles table: building its
``Corpus`` of utterances, then ``FightingWords.fit``. Ours: one ``fighting_words`` call.

Each implementation runs in a fresh child process (``subprocess``, same interpreter), so
memory figures are per implementation: RSS after imports, after reading the data and after
an untimed warm-up call on 20 articles (so lazy imports and first-use allocations are not
counted as the call's), the peak RSS during the first full call (VmHWM reset through
/proc/self/clear_refs first) and over the child's whole life. The memory goal is judged on
the peak increase during the call. Wall time: first call, and the median of ``--repeat`` calls. The
parent then compares the z-scores term by term (max |dz|) and checks the goals: equal
z-scores (<= 1e-6), >= 10x faster, >= 10x less memory.

Run from the repository root (ConvoKit lives in its own venv; ``make bench-framing``
creates it)::

    make bench-framing
    .venv-convokit/bin/python benchmarks/framing.py [--repeat 3] [--scale K] [--json]

``--scale K`` repeats the selected articles K times (copy k >= 1 gets doc_id
``<ID>-r<k>``) to see how both grow with the corpus. Benchmarks print figures; they are
not tests. Exit code 2: no data folder, or ConvoKit not importable.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, rss_mb  # benchmarks/_common.py

UKRAINE = re.compile(r"(?i)\bukrain")
RUSSIA = re.compile(r"(?i)\b(?:russia|putin|kremlin|moscow)")
GROUPS = ("left", "right")


def select_articles(folder: Path, min_ukraine: int = 2, scale: int = 1):
    """The Ukraine/Russia articles of the AllSides folder, left then right (rule in the module doc)."""
    import pandas as pd

    rows = []
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        title, text = record.get("title") or "", record.get("content_original") or ""
        both = f"{title}\n{text}"
        if len(UKRAINE.findall(both)) >= min_ukraine and RUSSIA.search(both) and record.get("bias_text") in GROUPS:
            rows.append({"doc_id": record["ID"], "outlet": record.get("source"), "bias_text": record["bias_text"], "text": text})
    table = pd.DataFrame(rows)
    if scale > 1:
        copies = [table] + [table.assign(doc_id=table["doc_id"] + f"-r{k}") for k in range(1, scale)]
        table = pd.concat(copies, ignore_index=True)
    order = table["bias_text"].map({g: i for i, g in enumerate(GROUPS)})
    return table.iloc[order.argsort(kind="stable")].reset_index(drop=True)


def vectorizer_settings(args) -> dict:
    return {"decode_error": "ignore", "min_df": args.min_df, "max_df": args.max_df,
            "ngram_range": (1, args.ngram_max), "binary": False, "max_features": args.max_features}


def reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


# --- one implementation, in a child process ---------------------------------------------

def run_ours(articles, settings: dict, prior: float):
    from sklearn.feature_extraction.text import CountVectorizer

    from diplomacy_lab.framing.fighting_words import fighting_words

    table = fighting_words(articles, by="bias_text", groups=GROUPS, prior=prior, vectorizer=CountVectorizer(**settings))
    return dict(zip(table["term"], table["z"]))


def run_convokit(articles, settings: dict, prior: float):
    from convokit import Corpus, FightingWords, Speaker, Utterance
    from sklearn.feature_extraction.text import CountVectorizer

    speakers = {name: Speaker(id=str(name)) for name in articles["outlet"].unique()}
    utterances = [
        Utterance(id=r.doc_id, speaker=speakers[r.outlet], conversation_id=r.doc_id, text=r.text,
                  meta={"bias_text": r.bias_text})
        for r in articles.itertuples()
    ]
    corpus = Corpus(utterances=utterances)
    built = time.perf_counter()
    fw = FightingWords(cv=CountVectorizer(**settings), prior=float(prior), text_func=lambda utt: utt.text)
    fw.fit(corpus, class1_func=lambda u: u.meta["bias_text"] == GROUPS[0],
           class2_func=lambda u: u.meta["bias_text"] == GROUPS[1])
    return dict(fw.ngram_zscores), built


def child(args) -> None:
    t0 = time.perf_counter()
    # everything each call uses is imported here (ConvoKit loads FightingWords, and spaCy and torch with it, lazily)
    import pandas  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401
    if args.child == "ours":
        from diplomacy_lab.framing.fighting_words import fighting_words  # noqa: F401
    else:
        from convokit import Corpus, FightingWords, Speaker, Utterance  # noqa: F401
    imported = time.perf_counter()
    rss_imports = rss_mb()[0]
    articles = select_articles(args.folder, args.min_ukraine, args.scale)
    rss_data = rss_mb()[0]
    settings = vectorizer_settings(args)
    # one untimed warm-up call on 20 articles: lazy imports and first-use allocations are not the call's
    warm = articles.groupby("bias_text", sort=False).head(10)
    with contextlib.redirect_stdout(io.StringIO()):
        if args.child == "ours":
            run_ours(warm, {**settings, "min_df": 1, "max_df": 1.0}, args.prior)
        else:
            run_convokit(warm, {**settings, "min_df": 1, "max_df": 1.0}, args.prior)
    rss_warm, peak_before = rss_mb()
    resettable = reset_peak()
    times, build_times = [], []
    z = None
    for i in range(1 + args.repeat):
        quiet = io.StringIO()  # ConvoKit prints progress; ours prints nothing
        start = time.perf_counter()
        with contextlib.redirect_stdout(quiet):
            if args.child == "ours":
                z = run_ours(articles, settings, args.prior)
            else:
                z, built = run_convokit(articles, settings, args.prior)
                build_times.append(built - start)
        times.append(time.perf_counter() - start)
        if i == 0:
            peak_first = rss_mb()[1]
    result = {
        "implementation": args.child,
        "import_s": imported - t0,
        "first_s": times[0],
        "median_s": statistics.median(times[1:]) if args.repeat else times[0],
        "corpus_build_s": statistics.median(build_times[1:] or build_times) if build_times else None,
        "rss_imports_mb": rss_imports,
        "rss_data_mb": rss_data,
        "rss_warm_mb": rss_warm,
        "peak_call_mb": peak_first if resettable else None,
        "peak_process_mb": max(peak_before, rss_mb()[1]) if resettable else rss_mb()[1],
        "articles": len(articles),
        "per_group": articles["bias_text"].value_counts().reindex(GROUPS).astype(int).tolist(),
    }
    Path(args.out).write_text(json.dumps({"result": result, "z": z}))


def spawn(implementation: str, args, out: Path) -> dict:
    command = [sys.executable, __file__, "--child", implementation, "--out", str(out), "--data", str(args.folder),
               "--min-ukraine", str(args.min_ukraine), "--scale", str(args.scale), "--repeat", str(args.repeat),
               "--prior", str(args.prior), "--min-df", str(args.min_df), "--max-df", str(args.max_df),
               "--ngram-max", str(args.ngram_max), "--max-features", str(args.max_features)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"the {implementation} child failed:\n{done.stderr[-3000:]}")
    return json.loads(out.read_text())


# --- the parent -------------------------------------------------------------------------

def compare(ours: dict, theirs: dict) -> dict:
    common = ours.keys() & theirs.keys()
    dz = max((abs(ours[t] - theirs[t]) for t in common), default=float("nan"))
    return {"terms_ours": len(ours), "terms_convokit": len(theirs), "terms_common": len(common), "max_abs_dz": dz}


def report(r: dict) -> None:
    o, c, cmp = r["ours"], r["convokit"], r["comparison"]
    m = r["machine"]
    print(f"Fightin' Words, ours vs ConvoKit {r['convokit_version']}: AllSides Ukraine/Russia articles, left vs right")
    print(f"machine: {m['cores']} cores, Python {m['python']}, pandas {m['pandas']}, {m['platform']}")
    scale = "" if r["scale"] == 1 else f"; repeated {r['scale']} times"
    print(f"data: {r['data']}  (rule: >= {r['min_ukraine']} x 'ukrain*' and >= 1 x russia*/putin/kremlin/moscow{scale})")
    print(f"articles: {o['articles']:,} ({o['per_group'][0]:,} left, {o['per_group'][1]:,} right)")
    print(f"vocabulary: CountVectorizer({r['vectorizer']}); prior {r['prior']} (uniform)")
    print(f"terms: {cmp['terms_ours']:,} ours, {cmp['terms_convokit']:,} ConvoKit, {cmp['terms_common']:,} in common")
    print(f"max |dz| over common terms: {cmp['max_abs_dz']:.3g}")
    print()
    header = f"{'':26}{'ours':>12}{'ConvoKit':>12}{'ratio':>9}"
    print(header)

    def line(label, a, b, unit, fmt="{:.3f}"):
        ratio = f"{b / a:.1f}x" if a and b else ""
        print(f"{label:26}{fmt.format(a) + unit:>12}{fmt.format(b) + unit:>12}{ratio:>9}")

    line("import", o["import_s"], c["import_s"], " s", "{:.2f}")
    line("first call", o["first_s"], c["first_s"], " s")
    line(f"median of {r['repeat']} calls", o["median_s"], c["median_s"], " s")
    if c["corpus_build_s"] is not None:
        print(f"{'  of which Corpus build':26}{'-':>12}{c['corpus_build_s']:>10.3f} s")
    line("RSS after imports", o["rss_imports_mb"], c["rss_imports_mb"], " MB", "{:,.0f}")
    line("RSS after reading data", o["rss_data_mb"], c["rss_data_mb"], " MB", "{:,.0f}")
    line("RSS after warm-up call", o["rss_warm_mb"], c["rss_warm_mb"], " MB", "{:,.0f}")
    if o["peak_call_mb"] is not None:
        line("peak RSS during 1st call", o["peak_call_mb"], c["peak_call_mb"], " MB", "{:,.0f}")
        line("  increase over warm-up", o["peak_call_mb"] - o["rss_warm_mb"], c["peak_call_mb"] - c["rss_warm_mb"], " MB", "{:,.0f}")
    line("peak RSS of the process", o["peak_process_mb"], c["peak_process_mb"], " MB", "{:,.0f}")
    print()
    speed = c["median_s"] / o["median_s"]
    mem_all = c["peak_process_mb"] / o["peak_process_mb"]
    if o["peak_call_mb"] is not None:
        mem = (c["peak_call_mb"] - c["rss_warm_mb"]) / max(o["peak_call_mb"] - o["rss_warm_mb"], 1e-9)
    else:
        mem = mem_all
    goals = [
        ("equal z-scores (max |dz| <= 1e-6)", cmp["max_abs_dz"] <= 1e-6 and cmp["terms_ours"] == cmp["terms_convokit"] == cmp["terms_common"]),
        (f">= 10x faster (median call: {speed:.1f}x)", speed >= 10),
        (f">= 10x less memory (peak increase during the call: {mem:.1f}x; whole process peak: {mem_all:.1f}x)", mem >= 10),
    ]
    for text, ok in goals:
        print(f"goal {'MET    ' if ok else 'NOT MET'} {text}")
    print(f"\nrerun: {r['command']}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None,
                        help="the JSON folder (default: shared_data_dir()/article-bias-prediction/jsons)")
    parser.add_argument("--min-ukraine", type=int, default=2, help="mentions of 'ukrain*' an article needs (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="timed calls after the first (default 3)")
    parser.add_argument("--scale", type=int, default=1, help="repeat the selected articles K times (default 1)")
    parser.add_argument("--prior", type=float, default=0.1, help="uniform Dirichlet prior (default 0.1)")
    parser.add_argument("--min-df", type=int, default=10)
    parser.add_argument("--max-df", type=float, default=0.5)
    parser.add_argument("--ngram-max", type=int, default=3)
    parser.add_argument("--max-features", type=int, default=15000)
    parser.add_argument("--json", action="store_true", help="print a machine-readable result instead")
    parser.add_argument("--child", choices=["ours", "convokit"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.data is None:
        from diplomacy_lab.paths import shared_data_dir

        args.data = shared_data_dir() / "article-bias-prediction" / "jsons"
    args.folder = args.data
    if not args.folder.is_dir():
        parser.error(f"no such folder: {args.folder}; pass --data PATH or set DIPLOMACY_LAB_SHARED_DATA")
    if args.repeat < 0 or args.scale < 1:
        parser.error("--repeat must be >= 0 and --scale >= 1")
    if args.child:
        child(args)
        return
    try:
        from importlib.metadata import version

        convokit_version = version("convokit")
    except Exception:  # noqa: BLE001
        parser.error("convokit is not installed in this interpreter; run `make bench-framing` "
                     "(it builds .venv-convokit) or use .venv-convokit/bin/python")

    from diplomacy_lab.paths import REPO_DIR

    python = os.path.relpath(sys.executable, REPO_DIR) if sys.executable.startswith(str(REPO_DIR)) else sys.executable
    command = f"cd {shlex.quote(str(REPO_DIR))} && " + shlex.join([python, "benchmarks/framing.py", *sys.argv[1:]])
    with tempfile.TemporaryDirectory(prefix="bench-framing-") as tmp:
        ours = spawn("ours", args, Path(tmp) / "ours.json")
        theirs = spawn("convokit", args, Path(tmp) / "convokit.json")
    settings = vectorizer_settings(args)
    result = {
        "machine": machine(), "convokit_version": convokit_version, "data": str(args.folder),
        "min_ukraine": args.min_ukraine, "scale": args.scale, "repeat": args.repeat, "prior": args.prior,
        "vectorizer": ", ".join(f"{k}={v!r}" for k, v in settings.items()),
        "ours": ours["result"], "convokit": theirs["result"],
        "comparison": compare(ours["z"], theirs["z"]), "command": command,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        report(result)


if __name__ == "__main__":
    main()
