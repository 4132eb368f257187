"""The `kg` command: build graphs from articles, and evaluate the extractors against gold files."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kg import __version__
from kg.errors import KgError
from kg.settings import DEFAULT_BASE_IRI, DEFAULT_MODEL, Settings

if TYPE_CHECKING:
    from kg.build import Executor, Job, Sink

EXIT_OK, EXIT_SOME_FAILED, EXIT_ERROR = 0, 1, 2


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return int(value)


def _non_negative(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 0")
    return int(value)


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of every `kg` subcommand."""
    parser = argparse.ArgumentParser(
        prog="kg", description="newskg: news articles in, a SHACL-validated knowledge graph out."
    )
    parser.add_argument("--version", action="version", version=f"newskg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="build RDF from articles (files, folders, JSON Lines, -)")
    build.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder or - for stdin")
    build.add_argument(
        "-o", "--output", help="output file; format from the extension "
        "(.ttl .nt .trig .nq .jsonld); - writes Turtle to stdout (the default without a store)",
    )  # fmt: skip
    _store_options(build)
    build.add_argument("--format", dest="fmt", help="output format name, overriding the extension")
    build.add_argument("--published", type=_iso_date, help="publication date for texts without one")
    build.add_argument("--strict", action="store_true", help="stop at the first bad article")
    build.add_argument(
        "--jobs", type=_positive, default=1, help="worker processes on this machine (default 1)"
    )
    build.add_argument(
        "--batch-size", type=_positive, default=32, help="articles per batch (default 32)"
    )
    build.add_argument(
        "--dask", metavar="ADDRESS",
        help="build on a Dask cluster: 'local' starts one here (--jobs workers, default one "
        "per CPU), or tcp://HOST:PORT of a running scheduler",
    )  # fmt: skip
    _common(build)

    load = sub.add_parser("load", help="load RDF files into an embedded store or an endpoint")
    load.add_argument("files", nargs="+", metavar="FILE", type=Path)
    load.add_argument("--graph", help="named graph for triples files (default: the default graph)")
    _store_options(load)
    load.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")

    query = sub.add_parser("query", help="run SPARQL over a store, an endpoint or RDF files")
    query.add_argument("query", metavar="QUERY", help="SPARQL text or a .rq file")
    query.add_argument("files", nargs="*", metavar="FILE", type=Path, help="RDF files to query")
    _store_options(query)
    query.add_argument(
        "--format", dest="fmt", choices=("table", "csv", "tsv", "json"), default="table",
        help="SELECT result format (default: an aligned table); CONSTRUCT prints Turtle",
    )  # fmt: skip
    query.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE",
        help="bind ?NAME to VALUE (an IRI in <...>, else a string literal); repeatable",
    )  # fmt: skip

    ev = sub.add_parser("eval", help="score the extractors against gold annotation files")
    ev.add_argument("gold", nargs="+", metavar="GOLD.json", type=Path)
    ev.add_argument("--details", action="store_true", help="list missed and spurious events")
    _common(ev)

    bench = sub.add_parser(
        "bench", help="throughput of kg build next to bare spaCy, stage by stage"
    )
    bench.add_argument(
        "corpus", nargs="*", metavar="INPUT",
        help="articles to use (default: the sample articles replicated to --articles)",
    )  # fmt: skip
    bench.add_argument(
        "--articles", type=_positive, default=1000, help="sample corpus size (default 1000)"
    )
    bench.add_argument("--jobs", type=_positive, default=1, help="processes (default 1)")
    bench.add_argument(
        "--batch-size", type=_positive, default=32, help="articles per batch (default 32)"
    )
    bench.add_argument(
        "--output-format", default=".ttl", choices=(".ttl", ".nt", ".trig", ".nq", ".jsonld"),
        help="format of the build's output (default .ttl)",
    )  # fmt: skip
    bench.add_argument("--published", type=_iso_date, help="publication date for texts without one")
    bench.add_argument(
        "--model", default=DEFAULT_MODEL, help=f"spaCy pipeline (default {DEFAULT_MODEL})"
    )

    viz = sub.add_parser("viz", help="draw the graph: .gexf .graphml .html .png .svg, a timeline")
    viz.add_argument(
        "inputs", nargs="*", metavar="INPUT",
        help="RDF files (.ttl .nt .trig .nq .jsonld) or articles (built on the fly)",
    )  # fmt: skip
    viz.add_argument("-o", "--output", required=True, help="output file; format from extension")
    viz.add_argument("--store", type=Path, metavar="DIR", help="draw an embedded store (read-only)")
    viz.add_argument(
        "--events-as", choices=("nodes", "edges"), default="nodes",
        help="events as nodes linked to their actors (default) or as agent->affected edges",
    )  # fmt: skip
    viz.add_argument("--focus", metavar="LABEL", help="keep one actor's neighbourhood")
    viz.add_argument(
        "--depth", type=_non_negative, default=2, help="hops from the --focus actor (default 2)"
    )
    viz.add_argument("--timeline", action="store_true", help="draw events over time (.png .svg)")
    viz.add_argument("--published", type=_iso_date, help="publication date for texts without one")
    _common(viz)
    return parser


def _store_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--store", type=Path, metavar="DIR", help="embedded Oxigraph store folder")
    where.add_argument(
        "--endpoint", metavar="URL",
        help="SPARQL 1.1 Graph Store endpoint (credentials from KG_ENDPOINT_USER/_PASSWORD)",
    )  # fmt: skip
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="endpoint timeout in seconds (default 30)"
    )


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", default=DEFAULT_MODEL, help=f"spaCy pipeline (default {DEFAULT_MODEL})"
    )
    parser.add_argument(
        "--base-iri", default=DEFAULT_BASE_IRI, help="base IRI for minted resources"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")


def run_build(args: argparse.Namespace, stdin: TextIO, err: TextIO) -> int:
    """`kg build`: exit 0 when every article was written, 1 when some failed, 2 on a fatal error.

    Articles stream through batch by batch: the output file is written as they come (to a
    temporary file renamed at the end) and each article graph replaces its graph in the store.
    """
    from kg.build import Build, FileSink, Job, StoreSink
    from kg.progress import progress_bar
    from kg.store import open_store
    from kg.write import ArticleWriter, format_for_path

    settings = Settings(
        model=args.model, base_iri=args.base_iri, published=args.published,
        strict=args.strict, batch_size=args.batch_size,
    )  # fmt: skip
    storing = args.store is not None or args.endpoint is not None
    output = args.output if args.output is not None or storing else "-"
    fmt = format_for_path(output, args.fmt) if output is not None else None
    job = Job(
        settings,
        fmt=fmt.name if fmt is not None and fmt.streams else None,
        ntriples=storing or (fmt is not None and not fmt.streams),
    )
    with ExitStack() as stack:
        sinks: list[Sink] = []
        writer = None
        if storing:
            store = open_store(store=args.store, endpoint=args.endpoint, timeout=args.timeout)
            sinks.append(StoreSink(stack.enter_context(store)))
        if fmt is not None:
            writer = stack.enter_context(ArticleWriter(output, fmt))
            sinks.append(FileSink(writer))
        executor = _executor(job, args)
        stack.callback(executor.close)
        bar = stack.enter_context(progress_bar(err, quiet=args.quiet))
        summary = Build(settings, executor, sinks, err=err, progress=bar).run(
            args.inputs, stdin=stdin
        )
        if writer is not None:
            writer.commit()
        elif summary.articles == 0:
            where = str(args.store or args.endpoint)
            raise KgError("no article could be built; nothing loaded", source=where)
    if not args.quiet:
        where = " and ".join(str(w) for w in (output, args.store, args.endpoint) if w is not None)
        print(
            f"kg: wrote {summary.articles} article(s), {summary.triples} triples "
            f"to {where}; {len(summary.problems)} failed "
            f"({summary.articles / max(summary.wall_seconds, 1e-9):.1f} articles/s)",
            file=err,
        )
    return EXIT_SOME_FAILED if summary.problems else EXIT_OK


def _executor(job: Job, args: argparse.Namespace) -> Executor:
    """Where batches are built: this process, `--jobs N` processes, or a Dask cluster."""
    if args.dask is not None:
        from kg.distributed import DaskExecutor

        workers = args.jobs if args.jobs > 1 else None  # for --dask local: else one per CPU
        return DaskExecutor(job, args.dask, n_workers=workers)
    from kg.parallel import make_executor

    return make_executor(job, args.jobs)


def run_load(args: argparse.Namespace, stdin: TextIO, err: TextIO) -> int:
    """`kg load`: load RDF files into a store; quads keep their named graphs."""
    from kg.store import open_store

    if args.store is None and args.endpoint is None:
        raise KgError("kg load needs --store DIR or --endpoint URL")
    with open_store(store=args.store, endpoint=args.endpoint, timeout=args.timeout) as store:
        loaded = sum(store.load_file(path, graph=args.graph) for path in args.files)
    if not args.quiet:
        where = args.store or args.endpoint
        print(f"kg: loaded {loaded} triples from {len(args.files)} file(s) into {where}", file=err)
    return EXIT_OK


def run_query(args: argparse.Namespace, stdin: TextIO, err: TextIO) -> int:
    """`kg query`: SELECT as a table (or CSV/TSV/JSON), CONSTRUCT and DESCRIBE as Turtle."""
    from kg.query import run_query as query

    if args.store is None and args.endpoint is None and not args.files:
        raise KgError("kg query needs --store DIR, --endpoint URL or RDF files to query")
    query(
        args.query, store=args.store, endpoint=args.endpoint, files=args.files,
        params=args.param, fmt=args.fmt, timeout=args.timeout, out=sys.stdout.buffer,
    )  # fmt: skip
    return EXIT_OK


def run_eval(args: argparse.Namespace, stdin: TextIO, err: TextIO) -> int:
    """`kg eval`: print the score table and a final JSON line."""
    from kg.eval import evaluate, format_report
    from kg.nlp import build_pipeline

    report = evaluate(args.gold, build_pipeline(args.model))
    print(format_report(report, details=args.details))
    return EXIT_OK


def run_bench(args: argparse.Namespace, stdin: TextIO, err: TextIO) -> int:
    """`kg bench`: print the table and a final JSON line on standard output."""
    from kg.bench import bench

    settings = Settings(
        model=args.model, published=args.published, batch_size=args.batch_size,
    )  # fmt: skip
    bench(
        articles=args.articles, corpus=tuple(args.corpus), settings=settings, jobs=args.jobs,
        output_suffix=args.output_format, out=sys.stdout,
    )  # fmt: skip
    return EXIT_OK


def run_viz(args: argparse.Namespace, stdin: TextIO, err: TextIO) -> int:
    """`kg viz`: project the graph onto nodes and edges and write the view the extension names."""
    from kg.viz import writer_for
    from kg.viz.project import focus, load_graph, project

    writer = writer_for(args.output, timeline=args.timeline)  # bad extension: fail before work
    if not args.inputs and args.store is None:
        raise KgError("kg viz needs RDF files, articles or --store DIR")
    settings = Settings(model=args.model, base_iri=args.base_iri, published=args.published)
    graph = load_graph(args.inputs, store=args.store, settings=settings)
    g = project(graph, events_as="nodes" if args.timeline else args.events_as)
    if args.focus is not None:
        g = focus(g, args.focus, args.depth)
    writer(g, Path(args.output), args.timeline)
    if not args.quiet:
        print(
            f"kg: drew {g.number_of_nodes()} nodes and {g.number_of_edges()} edges "
            f"to {args.output}",
            file=err,
        )
    return EXIT_OK


COMMANDS = {
    "build": run_build, "load": run_load, "query": run_query, "eval": run_eval,
    "bench": run_bench, "viz": run_viz,
}  # fmt: skip


def main(
    argv: Sequence[str] | None = None, *, stdin: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Entry point of the `kg` console script; returns the exit status."""
    err = err or sys.stderr
    args = make_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args, stdin or sys.stdin, err)
    except KgError as exc:
        print(f"kg: error: {exc}", file=err)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("kg: interrupted; nothing written", file=err)
        return 130


if __name__ == "__main__":
    sys.exit(main())
