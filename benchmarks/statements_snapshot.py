"""Write the statements of the seed corpus and of the AllSides articles, or compare them with a saved copy.

A refactor must not change what the extractor finds: run this before (``--out DIR``) and after
(``--compare DIR``); it prints the rows that differ. Columns added since the copy was written are
reported, then left out of the comparison. Needs ``../shared/data`` for the AllSides part.

    .venv/bin/python benchmarks/statements_snapshot.py --out /tmp/before
    .venv/bin/python benchmarks/statements_snapshot.py --compare /tmp/before
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from diplomacy_lab import extract_statements, load_codebook, load_corpus
from diplomacy_lab.paths import data_dir, shared_data_dir


def snapshot() -> dict[str, pd.DataFrame]:
    out = {"seed": extract_statements(load_corpus(data_dir() / "seed"),
                                      load_codebook(data_dir() / "codebooks" / "ukraine_2025.yaml"))}
    jsons = shared_data_dir() / "article-bias-prediction" / "jsons"
    if jsons.is_dir():
        out["allsides"] = extract_statements(load_corpus(jsons, text="content_original"),
                                             load_codebook(data_dir() / "codebooks" / "allsides_russia_ukraine.yaml"))
    else:
        print(f"AllSides skipped: {jsons} not found", file=sys.stderr)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path, help="folder to write seed.csv and allsides.csv into")
    group.add_argument("--compare", type=Path, help="folder written earlier with --out")
    args = parser.parse_args(argv)
    tables = snapshot()
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            table.to_csv(args.out / f"{name}.csv", index=False)
            print(f"{name}: {len(table)} statements -> {args.out / f'{name}.csv'}")
        return 0
    differ = 0
    for name, table in tables.items():
        before = pd.read_csv(args.compare / f"{name}.csv")
        now = pd.read_csv(pd.io.common.StringIO(table.to_csv(index=False)))
        added = [c for c in now.columns if c not in before.columns]
        if added:
            print(f"{name}: new columns {added} (left out of the comparison)")
        now = now[[c for c in before.columns if c in now.columns]]
        if now.equals(before):
            print(f"{name}: the same {len(now)} rows")
            continue
        differ += 1
        merged = before.merge(now, how="outer", indicator=True)
        print(f"{name}: {int((merged['_merge'] == 'left_only').sum())} rows only before, "
              f"{int((merged['_merge'] == 'right_only').sum())} only now")
        print(merged[merged["_merge"] != "both"].head(20).to_string())
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
