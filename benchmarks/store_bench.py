"""Store numbers: load throughput into the embedded store, and latency of the shipped queries.

Builds `data/articles/` once to N-Quads, replicates it to N article graphs (1,000 by default) by
rewriting the article IRIs (`.../id/article/X` -> `.../id/article/cNNNN-X`, so every copy is its
own named graph while actors stay shared, as in a real collection), then measures:

(a) load throughput (triples/s) of the replicated file into a new embedded store through
    newskg's own load path (`kg.store.open_store(store=DIR).load_file`), and through
    pyoxigraph's own `Store.bulk_load` of the same file;
(b) the latency of every query in `queries/` on the store newskg loaded (median of --runs
    runs, milliseconds), through `kg.query.run_query` (opening the store read-only, running the
    query, formatting the table), as `kg query QUERY --store DIR` does minus interpreter start-up.

Prints a table and, last, one JSON line with every number.

    python benchmarks/store_bench.py [--articles 1000] [--runs 5] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_PREFIX = "https://w3id.org/newskg/id/article/"
#: A typical value for each parameterised query, so latency is measured for the use it was made for.
PARAMS: dict[str, list[str]] = {
    "actor-timeline.rq": ["actor=Claire Dubois"],
    "person-statements.rq": ["person=Lucien Marchal"],
    "event-evidence.rq": [
        f"event=<{ARTICLE_PREFIX}c0000-azerbaijan-journalists-sentenced-2025-06-21"
        "/event/Deportation-1186-1194>"
    ],
}
_GRAPH = re.compile(r"<([^>]*)> \.$")


def build_sample(folder: Path) -> Path:
    """The sample articles built by `kg build` to N-Quads (one named graph per article)."""
    from kg.cli import main

    out = folder / "sample.nq"
    if main(["build", str(ROOT / "data" / "articles"), "-o", str(out), "-q"]) != 0:
        raise SystemExit("kg build of the sample articles failed")
    return out


def replicate(sample: Path, articles: int, out: Path) -> int:
    """Write `articles` article graphs made from the sample's; return the number of quads."""
    by_graph: dict[str, list[str]] = defaultdict(list)
    for line in sample.read_text(encoding="utf-8").splitlines():
        match = _GRAPH.search(line)
        if match is None:
            raise SystemExit(f"not an N-Quads line with a named graph: {line[:80]}")
        by_graph[match.group(1)].append(line)
    names = sorted(by_graph)
    quads = 0
    with out.open("w", encoding="utf-8") as file:
        for n in range(articles):
            source = names[n % len(names)]
            copy = f"{ARTICLE_PREFIX}c{n // len(names):04d}-"
            for line in by_graph[source]:
                file.write(line.replace(ARTICLE_PREFIX, copy) + "\n")
                quads += 1
    return quads


def load_with_kg(path: Path, folder: Path) -> tuple[int, float]:
    """Triples loaded and seconds taken by newskg's load path."""
    from kg.store import open_store

    start = time.perf_counter()
    with open_store(store=folder, endpoint=None, timeout=30.0) as store:
        loaded = store.load_file(path, graph=None)
    return loaded, time.perf_counter() - start


def load_with_pyoxigraph(path: Path, folder: Path) -> tuple[int, float]:
    """Quads loaded and seconds taken by `pyoxigraph.Store.bulk_load`."""
    start = time.perf_counter()
    store = ox.Store(str(folder))
    store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - start
    loaded = len(store)
    del store
    return loaded, seconds


def query_latency(folder: Path, runs: int) -> list[dict[str, object]]:
    """Median and best milliseconds of each shipped query, with its number of result lines."""
    from kg.query import run_query

    results = []
    for path in sorted((ROOT / "queries").glob("*.rq")):
        params = PARAMS.get(path.name, [])
        times = []
        lines = 0
        for _ in range(runs):
            out = io.BytesIO()
            start = time.perf_counter()
            run_query(str(path), store=folder, params=params, out=out)
            times.append((time.perf_counter() - start) * 1000)
            lines = out.getvalue().count(b"\n") - 2  # less the header and the rule
        results.append(
            {
                "query": path.name,
                "params": params,
                "rows": lines,
                "median_ms": round(statistics.median(times), 1),
                "min_ms": round(min(times), 1),
            }
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="article graphs (default 1000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per query (default 5)")
    parser.add_argument("--workdir", type=Path, help="keep the files here (default: a temp dir)")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="newskg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        sample = build_sample(work)
        data = work / f"articles-{args.articles}.nq"
        quads = replicate(sample, args.articles, data)
        file_mb = round(data.stat().st_size / 1e6, 1)
        for name in ("kg-store", "ox-store"):
            shutil.rmtree(work / name, ignore_errors=True)
        kg_loaded, kg_seconds = load_with_kg(data, work / "kg-store")
        ox_loaded, ox_seconds = load_with_pyoxigraph(data, work / "ox-store")
        latency = query_latency(work / "kg-store", args.runs)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)

    report = {
        "articles": args.articles,
        "quads": quads,
        "file_mb": file_mb,
        "load": {
            "kg_store": {
                "triples": kg_loaded,
                "seconds": round(kg_seconds, 2),
                "triples_per_s": round(kg_loaded / kg_seconds),
            },
            "pyoxigraph_bulk_load": {
                "triples": ox_loaded,
                "seconds": round(ox_seconds, 2),
                "triples_per_s": round(ox_loaded / ox_seconds),
            },
        },
        "queries": latency,
        "runs": args.runs,
    }
    print(f"{args.articles} articles, {quads} quads, {file_mb} MB of N-Quads")
    print(f"{'load path':<28} {'triples':>9} {'seconds':>8} {'triples/s':>10}")
    for name, numbers in report["load"].items():  # type: ignore[union-attr]
        print(
            f"{name:<28} {numbers['triples']:>9} {numbers['seconds']:>8} "
            f"{numbers['triples_per_s']:>10}"
        )
    print()
    print(f"{'query':<30} {'rows':>6} {'median ms':>10} {'min ms':>8}  params")
    for row in latency:
        print(
            f"{row['query']:<30} {row['rows']:>6} {row['median_ms']:>10} {row['min_ms']:>8}  "
            f"{' '.join(row['params'])}"  # type: ignore[arg-type]
        )
    print(json.dumps(report, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
