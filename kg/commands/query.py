"""Run a SPARQL query on a graph file, an oxigraph store folder or a SPARQL endpoint and print the answer."""

from __future__ import annotations

import argparse
import sys

from kg.errors import Errors

HELP = "run a SPARQL query (a .rq file, the text, or - for standard input) on a graph, store or endpoint URL"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``kg query``."""
    from kg.store.results import FORMATS
    from kg.store.store import ENGINES

    parser.add_argument("graph", metavar="GRAPH",
                        help="a kg build folder (output/), a .ttl/.trig/.nq/.nt/.jsonld file, an oxigraph store folder "
                        "(output/store), or the http(s) URL of a SPARQL endpoint (http://127.0.0.1:7878/query)")
    parser.add_argument("query", metavar="QUERY", help="a .rq file, the query text, or - to read it from standard input")
    parser.add_argument("--format", "-f", choices=FORMATS, default="table",
                        help="table (aligned, default) or a SPARQL 1.1 results format: csv, tsv, json")
    parser.add_argument("--timeout", type=float, default=None, metavar="S",
                        help="stop the query after S seconds (exit 2); on an endpoint, wait at most S seconds for "
                        "its answer (default 60)")
    parser.add_argument("--allow-update", action="store_true",
                        help="permit SPARQL Update (INSERT, DELETE, ...); refused by default")
    parser.add_argument("--allow-service", action="store_true",
                        help="permit SERVICE (federated queries) and LOAD, which fetch the URLs the query names; "
                        "refused by default (on an endpoint URL the remote store decides)")
    parser.add_argument("--engine", choices=ENGINES, default="oxigraph",
                        help="query engine: oxigraph (fast, default) or rdflib (fallback)")
    parser.add_argument("--max-width", type=int, default=60, metavar="N",
                        help="widest table cell, in terminal columns (default 60)")


def _stdin(stream=None) -> str:
    """The query on standard input, read no further than the longest query taken ([E114] past it)."""
    from kg.errors import QueryError
    from kg.store.query import MAX_QUERY_CHARS

    text = (stream or sys.stdin).read(MAX_QUERY_CHARS + 1)
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(Errors.E114.format(limit=MAX_QUERY_CHARS))
    return text


def run(args: argparse.Namespace) -> int:
    """Run ``kg query``; return the exit status."""
    from kg.store.query import read_query, run_query
    from kg.store.remote import is_endpoint, query_endpoint
    from kg.store.results import format_result

    text = _stdin() if args.query == "-" else read_query(args.query)
    store = None
    if is_endpoint(args.graph):
        result = query_endpoint(args.graph, text, timeout=args.timeout, allow_update=args.allow_update,
                                see_past_limit=True)
    else:
        from kg.store.store import open_store

        store = open_store(args.graph, engine=args.engine, read_only=not args.allow_update)
        result = run_query(store, text, timeout=args.timeout, allow_update=args.allow_update,
                           allow_service=args.allow_service, see_past_limit=True)
    sys.stdout.write(format_result(result, args.format, max_width=args.max_width))
    sys.stdout.flush()
    if result.more:
        print(f"kg query: {Errors.W131.format(limit=result.limit)}", file=sys.stderr)
    if result.form == "update" and store is not None and store.path is not None and not store.path.is_dir():
        print(f"kg query: {Errors.W012.format(path=store.path)}", file=sys.stderr)
    return 0
