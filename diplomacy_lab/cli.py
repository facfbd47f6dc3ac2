"""Command line: ``diplomacy-lab corpus SOURCE``, ``statements SOURCE --codebook FILE --out FILE.csv``,
``attributions SOURCE --out FILE.csv``, ``network STATEMENTS.csv --kind KIND --out FILE.csv|FILE.graphml``
and ``brief SOURCE --out DIR``.

    $ diplomacy-lab corpus data/seed
    Loaded 5 articles from 5 inputs; 0 skipped.
    ...
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import pandas as pd

import diplomacy_lab as dl
from diplomacy_lab.errors import CorpusLoadError, DiplomacyLabError, OutputPathError, one_line
from diplomacy_lab.loading.corpus import load_corpus, load_report
from diplomacy_lab.loading.stream import DEFAULT_CHUNK_SIZE
from diplomacy_lab.loading.summary import corpus_summary

# The commands reach the rest of the package through ``dl`` (names imported on first use, see
# diplomacy_lab/__init__.py), so ``diplomacy-lab corpus`` does not pay for importing the brief,
# the classifiers and the plots.
#: Kernels of ``network --window`` (``diplomacy_lab.networks.windows.KERNELS``; a test keeps them equal).
KERNELS = ("uniform", "triangular", "epanechnikov", "gaussian")

_MAPPING = ("text", "date", "outlet", "title", "url", "id", "lang")


def _add_load_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", nargs="+", help="folder(s), file(s) or glob pattern(s) of articles")
    for field in _MAPPING:
        parser.add_argument(f"--{field}", metavar="FIELD", help=f"input field holding the {field} (default: auto)")
    parser.add_argument("--manifest", help="manifest file for a folder (default: FOLDER/manifest.csv)")
    parser.add_argument("--encoding", help="force an encoding (default: BOM, UTF-8, cp1252, latin-1)")
    parser.add_argument("--dayfirst", action="store_true", help="read 03/04/2025 as 3 April")
    parser.add_argument("--date-format", help="strftime format of the dates, e.g. %%m/%%d/%%Y")
    parser.add_argument("--drop-duplicates", choices=["exact", "near"], help="drop copies instead of reporting them")
    parser.add_argument("--strict", action="store_true", help="stop at the first problem")
    parser.add_argument("--strip-related", action="store_true",
                        help="remove inline related-headline blocks ('... MORE') scraped into the text")


def _load(args: argparse.Namespace) -> pd.DataFrame:
    mapping = {f: getattr(args, f) for f in _MAPPING if getattr(args, f)}
    source = args.source[0] if len(args.source) == 1 else args.source
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the report below says it all
        articles = load_corpus(
            source,
            manifest=args.manifest,
            encoding=args.encoding,
            dayfirst=True if args.dayfirst else None,
            date_format=args.date_format,
            drop_duplicates=args.drop_duplicates or False,
            strict=args.strict,
            **mapping,
        )
    if args.strip_related:
        spans = dl.related_headlines(articles)
        sys.stderr.write(f"removed {len(spans)} related-headline blocks from {spans['doc_id'].nunique()} articles\n")
        articles = dl.remove_spans(articles, spans)
    return articles


def _date(value) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def corpus_report(articles: pd.DataFrame) -> dict:
    """The load report and summary as plain JSON-ready data (what ``corpus --json`` prints)."""
    summary = corpus_summary(articles)
    totals = summary["totals"].iloc[0]
    report = load_report(articles)
    return {
        "inputs": int(getattr(articles.attrs.get("load_report"), "n_inputs", len(articles))),
        "loaded": int(len(articles)),
        "skipped": int((report["action"] == "skipped").sum()),
        "dropped": int((report["action"] == "dropped").sum()),
        "words": int(totals["words"]),
        "first_date": _date(totals["first_date"]),
        "last_date": _date(totals["last_date"]),
        "undated": int(totals["undated"]),
        "outlets": [
            {"outlet": r.outlet, "articles": int(r.articles), "words": int(r.words)}
            for r in summary["outlets"].itertuples()
        ],
        "periods": [{"period": r.period, "articles": int(r.articles)} for r in summary["periods"].itertuples()],
        "date_precision": dict(zip(summary["precision"]["date_precision"], summary["precision"]["articles"].astype(int))),
        "duplicates": summary["duplicates"].to_dict("records"),
        "report": report.astype(object).where(report.notna(), None).to_dict("records"),
    }


def _print_text(info: dict) -> None:
    out = sys.stdout.write
    out(f"Loaded {info['loaded']} articles from {info['inputs']} inputs; {info['skipped']} skipped")
    out(f", {info['dropped']} dropped as duplicates.\n" if info["dropped"] else ".\n")
    out(f"Words: {info['words']:,}. Dates: {info['first_date']} to {info['last_date']}, {info['undated']} undated; ")
    out("precision " + ", ".join(f"{k} {v}" for k, v in info["date_precision"].items()) + ".\n\n")
    width = max([len(o["outlet"]) for o in info["outlets"]] + [6])
    out(f"{'outlet':<{width}}  articles  words\n")
    for o in info["outlets"]:
        out(f"{o['outlet']:<{width}}  {o['articles']:>8}  {o['words']:>5}\n")
    out("\nperiod    articles\n")
    for p in info["periods"]:
        out(f"{p['period']:<9} {p['articles']:>8}\n")
    exact = sum(d["kind"] == "exact" for d in info["duplicates"])
    out(f"\nDuplicates: {exact} exact, {len(info['duplicates']) - exact} near.\n")
    for d in info["duplicates"]:
        out(f"  {d['doc_id']} -> {d['duplicate_of']} ({d['kind']}, similarity {d['similarity']:.2f})\n")
    if info["report"]:
        out("\nLoad report (skipped = not loaded; kept = loaded with a remark):\n")
        frame = pd.DataFrame(info["report"])[["action", "reason", "source", "detail"]]
        counts = frame.groupby(["action", "reason"]).size()
        for (action, reason), n in counts.items():
            out(f"  {action:<8} {reason:<24} {n}\n")
        shown = frame[frame["action"] != "kept"].head(20)
        for r in shown.itertuples():
            out(f"  - {r.source}: {r.detail}\n")


def _cmd_corpus(args: argparse.Namespace) -> int:
    articles = _load(args)
    info = corpus_report(articles)
    if args.json:
        json.dump(info, sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    else:
        _print_text(info)
    return 0


def _require_articles(articles: pd.DataFrame, args: argparse.Namespace) -> None:
    """An empty corpus is an error for the commands that analyse it, naming the source and why."""
    if len(articles):
        return
    report = load_report(articles)
    skipped = report[report["action"] == "skipped"]["reason"].value_counts()
    why = ", ".join(f"{n} {reason}" for reason, n in skipped.items())
    inputs = getattr(articles.attrs.get("load_report"), "n_inputs", 0)
    raise CorpusLoadError(
        f"no articles were loaded from {' '.join(args.source)} ({inputs} input(s)" + (f"; skipped: {why})" if why else ")"),
        fix="run `diplomacy-lab corpus` on it to see the load report, or point at the folder that holds the articles")


def _cmd_brief(args: argparse.Namespace) -> int:
    _check_out_folder(args.out)
    articles = _load(args)
    _require_articles(articles, args)
    name = args.name or f"{Path(args.source[0]).name} corpus"
    study = dl.Study(articles, args.codebook, freq=args.freq, progress=args.progress, name=name)
    index = dl.write_brief(study, args.out, corpus_name=name, gold=args.gold, naming=args.naming, frames=args.frames)
    sys.stdout.write(f"Brief written to {index}\n")
    return 0


def _check_out_file(value: str) -> Path:
    """``--out`` of a command that writes one file: not a folder, and its parent not a file."""
    out = Path(value).expanduser()
    if out.is_dir():
        raise OutputPathError(f"--out {value} is a folder; this command writes one CSV file",
                              fix=f"give a file name, e.g. --out {out / 'statements.csv'}")
    _check_parents(out.parent, value)
    return out


def _check_out_folder(value: str) -> Path:
    """``--out`` of a command that writes a folder: not an existing file, and no file on its path."""
    out = Path(value).expanduser()
    if out.exists() and not out.is_dir():
        raise OutputPathError(f"--out {value} is a file; this command writes a folder of files",
                              fix="give a folder name (it is created), e.g. --out build/brief")
    _check_parents(out.parent, value)
    return out


def _check_parents(folder: Path, value: str) -> None:
    for parent in (folder, *folder.parents):
        if parent.exists():
            if not parent.is_dir():
                raise OutputPathError(f"--out {value}: {parent} is a file, so nothing can be written under it",
                                      fix="choose another --out, or move that file away")
            return


def _cmd_statements(args: argparse.Namespace) -> int:
    if args.scorer and (args.model or args.include_neutral):
        raise ValueError("--scorer decides the stance itself: leave out --model and --include-neutral")
    if args.scorer and (args.workers != 1 or args.scheduler):
        raise ValueError("--scorer runs in one process on the whole corpus: leave out --workers and --scheduler")
    out = _check_out_file(args.out)
    book = dl.load_codebook(args.codebook)
    if args.model:
        dl.load_model(args.model)  # checked before the corpus is read
    if args.scorer:
        return _scored_statements(args, book, out)
    removed = [0, 0]
    run = dl.write_statements(_statement_chunks(args, removed), book, out, workers=args.workers,
                              scheduler=args.scheduler, level=args.level, include_neutral=args.include_neutral,
                              model=args.model, progress=args.progress)
    if not run.articles:
        raise CorpusLoadError(f"no articles were loaded from {' '.join(args.source)} ({run.inputs} input(s))",
                              fix="run `diplomacy-lab corpus` on it to see the load report, or point at the folder "
                                  "that holds the articles")
    if args.strip_related and not args.drop_duplicates:
        sys.stderr.write(f"removed {removed[0]} related-headline blocks from {removed[1]} articles\n")
    sys.stdout.write(f"{run.statements} statements ({args.level} level: {run.rows} rows) from {run.documents} of "
                     f"{run.articles} articles -> {run.out}\n")
    if run.statements:
        sys.stdout.write(run.stance_table().to_string() + "\n")
    if run.skipped:
        reasons = ", ".join(f"{n} {reason}" for reason, n in run.skipped.most_common())
        sys.stderr.write(f"skipped {sum(run.skipped.values())} of {run.inputs} inputs ({reasons}); "
                         f"`diplomacy-lab corpus {' '.join(args.source)}` lists them\n")
    where = f"on {args.scheduler}" if args.scheduler else f"{args.workers} worker{'s' * (args.workers > 1)}"
    rate = run.articles / run.seconds if run.seconds else 0.0
    sys.stderr.write(f"{run.seconds:.1f} s, {rate:,.0f} articles/s ({where}, {run.chunks} chunks)\n")
    return 0


def _scored_statements(args: argparse.Namespace, book, out: Path) -> int:
    """``statements --scorer``: the learned scorer over the whole corpus (it is not streamed)."""
    articles = _load(args)
    _require_articles(articles, args)
    statements = dl.scored_statements(articles, book, scorer=None if args.scorer == "shipped" else args.scorer)
    table = dl.statements_by_document(statements) if args.level == "document" else statements
    if out.suffix.lower() in (".parquet", ".pq"):
        table.to_parquet(out, index=False)
    else:
        dl.write_csv(table, out, date_format="%Y-%m-%d")  # formula cells neutralised
    sys.stdout.write(f"{len(statements)} statements ({args.level} level: {len(table)} rows, learned scorer) from "
                     f"{statements['doc_id'].nunique()} of {len(articles)} articles -> {out}\n")
    if len(statements):
        sys.stdout.write(statements.groupby(["target", "stance"]).size().unstack(fill_value=0).to_string() + "\n")
    return 0


def _statement_chunks(args: argparse.Namespace, removed: list[int]):
    """The corpus as chunks for the statements command: streamed, or loaded whole first when
    duplicates are to be dropped (that needs every article at once)."""
    if args.drop_duplicates:
        articles = _load(args)
        return dl.table_chunks(articles, args.chunk_size)
    mapping = {f: getattr(args, f) for f in _MAPPING if getattr(args, f)}
    chunks = dl.iter_corpus(args.source[0] if len(args.source) == 1 else args.source, chunk_size=args.chunk_size,
                         manifest=args.manifest, encoding=args.encoding, dayfirst=args.dayfirst,
                         date_format=args.date_format, strict=args.strict, **mapping)
    if not args.strip_related:
        return chunks

    def stripped():
        for chunk in chunks:
            spans = dl.related_headlines(chunk)
            removed[0] += len(spans)
            removed[1] += spans["doc_id"].nunique()
            clean = dl.remove_spans(chunk, spans)
            clean.attrs = chunk.attrs
            yield clean

    return stripped()


def _cmd_attributions(args: argparse.Namespace) -> int:
    articles = _load(args)
    out = Path(args.out)
    if out.is_dir():
        raise ValueError(f"--out {out} is a folder: give a file name ending in .csv or .parquet")
    out.parent.mkdir(parents=True, exist_ok=True)
    table = dl.write_attributions(articles, out)
    sources = int((table["source_start"] >= 0).sum()) if len(table) else 0
    sys.stdout.write(f"{len(table)} attributions ({sources} with a source) in {table['doc_id'].nunique() if len(table) else 0} "
                     f"of {len(articles)} articles -> {out}\n")
    if len(table):
        sys.stdout.write(table["kind"].value_counts().to_string() + "\n")
    return 0


def _cmd_network(args: argparse.Namespace) -> int:
    """``diplomacy-lab network``: a discourse network (or DNA's event list) from a statements CSV."""
    statements = dl.read_statements(args.statements)
    out = Path(args.out)
    if args.kind == "event-list":
        if out.suffix.lower() != ".csv":
            raise ValueError(f"--kind event-list writes DNA's event list as .csv, not {out.name!r}")
        events = dl.dna_event_list(statements, duplicates=args.duplicates or "include")
        dl.write_event_list(events, out)
        sys.stdout.write(f"{len(events)} events (DNA event list, duplicates: {events.attrs['duplicates']}) -> {out}\n")
        return 0
    two_mode = args.kind == "two-mode"
    if two_mode and args.nodes == "target":
        raise ValueError("--kind two-mode links actors to targets: use --nodes actor or actor_country")
    via = "actor" if args.nodes == "target" else "target"
    duplicates = args.duplicates or "once"
    normalize = args.normalize or "none"
    if args.window is not None:
        if out.suffix.lower() != ".csv":
            raise ValueError("--window writes one table of all windows: use an --out ending in .csv")
        edges = dl.network_windows(statements, args.kind, size=args.window, step=args.step, kernel=args.kernel,
                                nodes=args.nodes, via=via, normalize=normalize, duplicates=duplicates)
        dl.write_network(edges, out)
        windows = edges.attrs["windows"]
        sys.stdout.write(f"{len(edges)} edges in {edges['window_start'].nunique()} of {len(windows)} windows "
                         f"({args.window} days, step {edges.attrs['step']}, {args.kernel} kernel; "
                         f"{edges.attrs['statements_in_no_window']} statements in no window, "
                         f"{edges.attrs['undated_excluded']} undated) -> {out}\n")
        return 0
    if two_mode:
        edges = dl.two_mode_network(statements, by=args.nodes, normalize=normalize, duplicates=duplicates)
    else:
        edges = dl.one_mode_network(statements, args.kind, nodes=args.nodes, via=via, normalize=normalize,
                                 duplicates=duplicates)
    nodes = None
    if out.suffix.lower() == ".graphml" and not two_mode and args.nodes != "target":
        nodes = dl.network_nodes(statements, by=args.nodes)
    dl.write_network(edges, out, nodes=nodes)
    a = edges.attrs
    sys.stdout.write(f"{len(edges)} edges among {len(a['nodes'])} {args.nodes} nodes from {a['counted']} counted "
                     f"statements (duplicates: {a['duplicates']}; {a['duplicates_removed']} duplicates, "
                     f"{a['neutral_excluded']} neutral left out) -> {out}\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="diplomacy-lab", description="News articles in, evidence about diplomacy out.")
    sub = parser.add_subparsers(dest="command", required=True)
    corpus = sub.add_parser("corpus", help="load a corpus and print its load report and summary")
    _add_load_options(corpus)
    corpus.add_argument("--json", action="store_true", help="print JSON instead of text")
    corpus.set_defaults(func=_cmd_corpus)
    brief = sub.add_parser("brief", help="write the brief (HTML, figures, data) for a corpus")
    _add_load_options(brief)
    brief.add_argument("--out", default="build/brief", help="output folder (default: build/brief)")
    brief.add_argument("--name", help="corpus name for source notes (default: the folder name)")
    brief.add_argument("--codebook", help="codebook YAML: adds statements, the stance matrix and stance shifts to the brief")
    brief.add_argument("--naming", metavar="NAME|FILE",
                       help="naming lexicon for the framing section: a shipped one (russia_ukraine) or a YAML file "
                            "(default: none, no naming chart)")
    brief.add_argument("--frames", metavar="NAME|FILE",
                       help="frame dictionary: general (default), russia_ukraine, or a YAML file")
    brief.add_argument("--gold", help="gold statements CSV (data/gold/CODING.md) to measure the statements' accuracy against")
    brief.add_argument("--freq", choices=["M", "Q", "Y"], default="M", help="period of the stance timelines (default: M)")
    brief.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                       help="progress bar on stderr (default: only on a terminal)")
    brief.set_defaults(func=_cmd_brief)
    statements = sub.add_parser("statements", help="extract actor-target statements with a codebook and write them as CSV")
    _add_load_options(statements)
    statements.add_argument("--codebook", required=True, help="codebook YAML (actors and targets)")
    statements.add_argument("--out", required=True, help="output file: .csv or .parquet, written chunk by chunk")
    statements.add_argument("--level", choices=["sentence", "document"], default="sentence",
                            help="one row per sentence (default) or per document, actor, target and stance")
    statements.add_argument("--model", help="a trained stance model (.skops) instead of the cue classifier")
    statements.add_argument("--include-neutral", action="store_true", help="keep actor-target pairs with no stance cue")
    statements.add_argument("--scorer", nargs="?", const="shipped", metavar="FILE",
                            help="find statements with the learned scorer (the shipped one, or a .skops FILE from "
                                 "save_scorer) instead of the rules alone: more recall on a new corpus, about 7x slower")
    statements.add_argument("--workers", type=int, default=1, metavar="N",
                            help="local processes, each compiling the codebook once (default 1; the rows do not change)")
    statements.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE, metavar="K",
                            help=f"articles read, processed and written at a time (default {DEFAULT_CHUNK_SIZE:,}); "
                                 "memory grows with K, not with the corpus")
    statements.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                            help="run the chunks on this dask.distributed scheduler instead (pip install "
                                 "'diplomacy-lab[dask]'; workers need the package)")
    statements.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                            help="progress bar on stderr (default: only on a terminal)")
    statements.set_defaults(func=_cmd_statements)
    attribution = sub.add_parser("attributions", help="find who is reported as saying or thinking what (source, cue, "
                                 "content offsets), with the shipped model learned from PolNeAR; no codebook needed")
    _add_load_options(attribution)
    attribution.add_argument("--out", required=True, help="output file: .csv or .parquet")
    attribution.set_defaults(func=_cmd_attributions)
    network = sub.add_parser("network", help="a discourse network (DNA-style) from a statements CSV written by "
                                             "'diplomacy-lab statements'")
    network.add_argument("statements", help="statements CSV (either --level)")
    network.add_argument("--kind", required=True, choices=["congruence", "conflict", "subtract", "two-mode", "event-list"],
                         help="one-mode congruence/conflict/subtract network, actor x target two-mode network, or DNA's "
                              "event list")
    network.add_argument("--out", required=True, help="output: FILE.csv (edge list) or FILE.graphml")
    network.add_argument("--nodes", choices=["actor", "actor_country", "target"], default="actor",
                         help="the nodes: actors (default), their countries, or targets linked through actors")
    network.add_argument("--normalize", choices=["none", "average", "jaccard", "cosine", "activity", "prominence"],
                         help="edge weights: none (default); one-mode average/jaccard/cosine; two-mode activity/prominence")
    network.add_argument("--duplicates", choices=["once", "document", "week", "month", "year", "include"],
                         help="which repeated actor-target-stance statements count (default: once; event list: include)")
    network.add_argument("--window", type=int, metavar="DAYS", help="one network per moving window of DAYS days (CSV)")
    network.add_argument("--step", type=int, metavar="DAYS", help="days between window starts (default: half a window)")
    network.add_argument("--kernel", choices=list(KERNELS), default="uniform",
                         help="statement weights within a window (default: uniform)")
    network.set_defaults(func=_cmd_network)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; bad input prints one line on stderr and returns 2.

    >>> main(["corpus", "no/such/folder"])
    2
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        return 0
    except DiplomacyLabError as exc:
        return _fail(exc)
    # Errors of the operating system or the libraries beneath, still caused by the input
    # (a missing file, a path that is not allowed): one line too, never a traceback.
    except (OSError, ValueError, TypeError, LookupError) as exc:
        return _fail(exc)


def _fail(exc: BaseException) -> int:
    sys.stderr.write(f"diplomacy-lab: {one_line(exc)}\n")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
