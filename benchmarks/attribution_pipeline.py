"""What attribution costs in the pipeline: articles per CPU-second with and without it, one process.

Input: the AllSides case-study articles (``article-bias-prediction/jsons``, text from
``content_original``, the articles matching ``\\b(Russia|Russian|Ukraine|Ukrainian|Kremlin|Kyiv|Kiev)\\b``
as in docs/generalisation.md), ``--limit`` of them drawn with a fixed seed, and the case-study
codebook ``data/codebooks/allsides_russia_ukraine.yaml``. Used for speed only: nothing is tuned on them.

Measured side by side in this process (CPU time, ``time.process_time``; the conditions are
interleaved, their order rotated each repeat, and the least time of ``--repeat`` is kept):

* ``rules``: ``extract_statements`` (sentences, mentions, rules): the pipeline without attribution;
* ``attr_all``: ``attributions`` on every sentence (what a study without a codebook tags);
* ``attr_regions``: ``target_attributions`` with the codebook: sentences, mentions, then only the
  paragraphs within one sentence of a target mention are tagged (standalone, all steps counted);
* ``tag_regions``: the same with sentences and mentions given (the tagging alone, as in a Study);
* ``study_rules`` / ``study_regions``: a ``Study``'s statements, without and then with its
  attributions (sentences and mentions shared: the pipeline without and with attribution);
* ``scorer``: ``pair_table(..., attributions=True)`` (the statement scorer's features; it tags each
  article from its first to its last paired target mention).

Then, once: how many of the attributions found on all sentences are found again with the region
restriction (same doc_id and cue span), overall and among those whose cue lies in a region, and
the share of the text's windows each restriction tags.

    PYTHONPATH=. python benchmarks/attribution_pipeline.py [--limit 600] [--repeat 3] [--seed 0]

Benchmarks print figures; they are not tests.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import warnings

import numpy as np
import pandas as pd
from _common import machine  # benchmarks/_common.py: the script folder is on sys.path

from diplomacy_lab import Study, load_corpus
from diplomacy_lab.attribution import attributions, load_model, regions_near
from diplomacy_lab.attribution.tokens import iter_windows
from diplomacy_lab.codebook.mentions import find_mentions
from diplomacy_lab.codebook.schema import load_codebook
from diplomacy_lab.coverage.sources import target_attributions
from diplomacy_lab.paths import data_dir, shared_data_dir
from diplomacy_lab.statements.extract import extract_statements
from diplomacy_lab.statements.pairs import statement_pairs
from diplomacy_lab.statements.scorer import pair_table
from diplomacy_lab.text.sentences import sentences as split_sentences

TEXT = "content_original"
CASE = re.compile(r"\b(?:Russia|Russian|Ukraine|Ukrainian|Kremlin|Kyiv|Kiev)\b")
CODEBOOK = "allsides_russia_ukraine.yaml"
WARMUP = 10


def load_articles(limit: int, seed: int) -> pd.DataFrame:
    folder = shared_data_dir() / "article-bias-prediction" / "jsons"
    if not folder.is_dir():
        sys.exit(f"the AllSides articles are not in {folder}: set DIPLOMACY_LAB_SHARED_DATA")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = load_corpus(folder, text=TEXT, progress=False)
    case = articles[articles["text"].fillna("").str.contains(CASE)].reset_index(drop=True)
    if limit and limit < len(case):
        case = case.sample(limit, random_state=seed).reset_index(drop=True)
    return case, len(articles)


def conditions(articles: pd.DataFrame, book) -> dict:
    sents = split_sentences(articles)  # not timed: the tables a Study already holds
    ments = find_mentions(sents, book)

    def study(attribution: bool):
        run = Study(articles, book, progress=False)
        _ = run.statements
        return run.attributions if attribution else None

    return {
        "rules": lambda: extract_statements(articles, book, progress=False),
        "attr_all": lambda: attributions(articles),
        "attr_regions": lambda: target_attributions(articles, book),
        "tag_regions": lambda: target_attributions(articles, book, sentences=sents, mentions=ments),
        "study_rules": lambda: study(False),
        "study_regions": lambda: study(True),
        "scorer": lambda: pair_table(articles, book, attributions=True),
    }


def measure(articles: pd.DataFrame, book, repeat: int) -> dict[str, list[float]]:
    warm = articles.head(WARMUP).assign(doc_id=lambda d: d["doc_id"].astype(str) + "-warm")
    for fn in conditions(warm, book).values():  # model load, codebook compile, lexicons
        fn()
    runs = conditions(articles, book)
    names = list(runs)
    times: dict[str, list[float]] = {n: [] for n in names}
    for r in range(repeat):
        for name in names[r % len(names):] + names[:r % len(names)]:
            start = time.process_time()
            runs[name]()
            times[name].append(time.process_time() - start)
            print(f"  repeat {r + 1}: {name:<13} {times[name][-1]:7.2f} CPU-s", file=sys.stderr)
    return times


def windows_tagged(articles: pd.DataFrame, regions: pd.DataFrame | None, max_tokens: int, unit: str) -> tuple[int, int]:
    """(windows tagged, all windows) over the articles, as the tagger chooses them."""
    by_doc: dict = {}
    if regions is not None:
        for d, a, b in zip(regions["doc_id"], regions["start"], regions["end"]):
            by_doc.setdefault(d, []).append((a, b))
    tagged = total = 0
    for doc, text in zip(articles["doc_id"], articles["text"]):
        for w in iter_windows(text if isinstance(text, str) else "", max_tokens, unit):
            total += 1
            if regions is None or any(a < w.end and b > w.start for a, b in by_doc.get(doc, ())):
                tagged += 1
    return tagged, total


def kept(articles: pd.DataFrame, book) -> dict:
    """Attributions on all sentences vs with the region restrictions."""
    model = load_model()
    params = model.get_params()
    sents = split_sentences(articles)
    ments = find_mentions(sents, book)
    near = regions_near(sents, ments, context=1, kind="target")
    pairs = statement_pairs(sents, ments)
    span = pairs.groupby("doc_id").agg(start=("target_start", "min"), end=("target_end", "max")).reset_index()
    full = attributions(articles)
    out = {"all": len(full)}
    key = ["doc_id", "cue_start", "cue_end"]
    for name, regions in (("regions", near), ("scorer_span", span)):
        part = attributions(articles[articles["doc_id"].isin(set(regions["doc_id"]))], regions=regions)
        both = full[key].merge(part[key].drop_duplicates(), on=key, how="inner")
        inside = _in_regions(full, regions)
        both_inside = full[inside][key].merge(part[key].drop_duplicates(), on=key, how="inner")
        same_source = full[key + ["source_start", "source_end", "content_start", "content_end"]].merge(
            part[key + ["source_start", "source_end", "content_start", "content_end"]], how="inner")
        tagged, total = windows_tagged(articles, regions, params["max_tokens"], params["unit"])
        out[name] = {"found": len(part), "also_in_all": len(both), "kept_share": len(both) / max(len(full), 1),
                     "all_in_region": int(inside.sum()), "kept_in_region": len(both_inside),
                     "kept_in_region_share": len(both_inside) / max(int(inside.sum()), 1),
                     "identical_spans": len(same_source), "not_in_all": len(part) - len(both),
                     "windows_tagged": tagged, "windows": total, "articles_tagged": int(regions["doc_id"].nunique())}
    return out


def _in_regions(table: pd.DataFrame, regions: pd.DataFrame) -> np.ndarray:
    by_doc: dict = {}
    for d, a, b in zip(regions["doc_id"], regions["start"], regions["end"]):
        by_doc.setdefault(d, []).append((a, b))
    return np.array([any(a <= s < b for a, b in by_doc.get(d, ())) for d, s in zip(table["doc_id"], table["cue_start"])],
                    dtype=bool)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=600, help="articles drawn from the case-study set (0: all 2,906)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    start_all = time.process_time()
    articles, corpus = load_articles(args.limit, args.seed)
    book = load_codebook(data_dir() / "codebooks" / CODEBOOK)
    n = len(articles)
    words = int(articles["text"].fillna("").str.count(r"\w+").sum())
    print(f"AllSides case-study articles: {n} of the Russia/Ukraine set (corpus {corpus:,}; seed {args.seed}), "
          f"{words:,} words; codebook {CODEBOOK}; machine {machine()}")
    times = measure(articles, book, args.repeat)
    best = {k: min(v) for k, v in times.items()}
    base = best["rules"]
    print(f"\nCPU time, least of {args.repeat} interleaved repeats (one process = one core)")
    print(f"{'condition':<28}{'CPU-s':>8}{'articles/CPU-s':>16}{'x rules':>9}")
    rows = list(best.items()) + [("rules + attr_all (sum)", best["rules"] + best["attr_all"])]
    for name, cpu in rows:
        print(f"{name:<28}{cpu:8.2f}{n / cpu:16.1f}{cpu / base:9.2f}")
    k = kept(articles, book)
    print(f"\nAttributions on all sentences: {k['all']:,}")
    for name in ("regions", "scorer_span"):
        r = k[name]
        print(f"{name:<12}: tags {r['windows_tagged']:,} of {r['windows']:,} windows "
              f"({r['windows_tagged'] / max(r['windows'], 1):.1%}) in {r['articles_tagged']} articles; finds {r['found']:,}; "
              f"{r['also_in_all']:,} of the {k['all']:,} found on all sentences ({r['kept_share']:.1%}); "
              f"of the {r['all_in_region']:,} whose cue is in a region {r['kept_in_region']:,} "
              f"({r['kept_in_region_share']:.1%}); same cue, source and content spans: {r['identical_spans']:,}; "
              f"not found on all sentences: {r['not_in_all']}")
    print(f"\nwhole run: {time.process_time() - start_all:.0f} CPU-s")


if __name__ == "__main__":
    main()
