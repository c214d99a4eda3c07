"""Run a SPARQL query on a graph file or an oxigraph store folder and print the answer."""

from __future__ import annotations

import argparse
import sys

from kg.errors import Errors

HELP = "run a SPARQL query (a .rq file or the text) on a graph file or store folder"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``kg query``."""
    from kg.store.results import FORMATS
    from kg.store.store import ENGINES

    parser.add_argument("graph", metavar="GRAPH",
                        help="a .ttl/.trig/.nq/.nt/.jsonld file or an oxigraph store folder (output/store)")
    parser.add_argument("query", metavar="QUERY", help="a .rq file or the query text")
    parser.add_argument("--format", "-f", choices=FORMATS, default="table",
                        help="table (aligned, default) or a SPARQL 1.1 results format: csv, tsv, json")
    parser.add_argument("--timeout", type=float, default=None, metavar="S",
                        help="stop the query after S seconds (exit 2)")
    parser.add_argument("--allow-update", action="store_true",
                        help="permit SPARQL Update (INSERT, DELETE, ...); refused by default")
    parser.add_argument("--allow-service", action="store_true",
                        help="permit SERVICE (federated queries) and LOAD, which fetch the URLs the query names; "
                        "refused by default")
    parser.add_argument("--engine", choices=ENGINES, default="oxigraph",
                        help="query engine: oxigraph (fast, default) or rdflib (fallback)")
    parser.add_argument("--max-width", type=int, default=60, metavar="N",
                        help="widest table cell, in terminal columns (default 60)")


def run(args: argparse.Namespace) -> int:
    """Run ``kg query``; return the exit status."""
    from kg.store.query import read_query, run_query
    from kg.store.results import format_result
    from kg.store.store import open_store

    text = read_query(args.query)
    store = open_store(args.graph, engine=args.engine, read_only=not args.allow_update)
    result = run_query(store, text, timeout=args.timeout, allow_update=args.allow_update,
                       allow_service=args.allow_service)
    sys.stdout.write(format_result(result, args.format, max_width=args.max_width))
    sys.stdout.flush()
    if result.form == "update" and store.path is not None and not store.path.is_dir():
        print(f"kg query: {Errors.W012.format(path=store.path)}", file=sys.stderr)
    return 0
