"""Run a SPARQL query on a build folder, a graph file, an oxigraph store folder or a SPARQL endpoint.

QUERY is a .rq file, the query text, - to read it from standard input, or the name of a
query newskg ships (kg query --list shows them, with their parameters). A query declares
its parameters with comment lines "# @param NAME WHAT"; --param NAME=VALUE gives one a
value, bound as an RDF term (never pasted into the query). Prefixes such as schema:, org:,
nkg:, nif: and prov: need no declaration, locally and on an endpoint alike.
"""

from __future__ import annotations

import argparse
import sys

from kg.errors import Errors, QueryError

HELP = "run a SPARQL query (a .rq file, the text, - for standard input, or a shipped query's name) on a graph, store or endpoint URL"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``kg query``."""
    from kg.store.results import FORMATS

    parser.add_argument("graph", metavar="GRAPH", nargs="?",
                        help="a kg build folder (output/), a .ttl/.trig/.nq/.nt/.jsonld file, an oxigraph store folder "
                        "(output/store), or the http(s) URL of a SPARQL endpoint (http://127.0.0.1:7878/query)")
    parser.add_argument("query", metavar="QUERY", nargs="?",
                        help="a .rq file, the query text, - to read it from standard input, or the name of a shipped "
                        "query (person_posts; see --list)")
    parser.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                        help="give the query's parameter NAME the value VALUE (repeat for more); bound as an RDF "
                        "term, never pasted into the query")
    parser.add_argument("--list", action="store_true",
                        help="list the queries newskg ships, what each answers and its parameters, and stop")
    parser.add_argument("--format", "-f", choices=FORMATS, default="table",
                        help="table (aligned, default) or a SPARQL 1.1 results format: csv, tsv, json, xml")
    parser.add_argument("--timeout", type=float, default=None, metavar="S",
                        help="stop the query after S seconds (exit 2); on an endpoint, wait at most S seconds for "
                        "its answer (default 60)")
    parser.add_argument("--allow-update", action="store_true",
                        help="permit SPARQL Update (INSERT, DELETE, ...); refused by default")
    parser.add_argument("--allow-service", action="store_true",
                        help="permit SERVICE (federated queries) and LOAD, which fetch the URLs the query names; "
                        "refused by default (on an endpoint URL the remote store decides)")
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


def _params(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(Errors.E109.format(text=pair))
        out[name.strip()] = value
    return out


def _text(arg: str) -> str:
    from kg.store import catalog
    from kg.store.query import read_query

    if arg == "-":
        return _stdin()
    if catalog.is_name(arg):
        return catalog.find(arg).text
    return read_query(arg)


def run(args: argparse.Namespace) -> int:
    """Run ``kg query``; return the exit status."""
    from kg.store import catalog

    if args.list:
        sys.stdout.write(catalog.listing())
        return 0
    if args.graph is None or args.query is None:
        raise QueryError(Errors.E092)
    from kg.store.ask import ask

    reply = ask(args.graph, _text(args.query), fmt=args.format, params=_params(args.param), timeout=args.timeout,
                allow_update=args.allow_update, allow_service=args.allow_service, max_width=args.max_width)
    for warning in reply.warnings:
        print(f"kg query: {warning}", file=sys.stderr)
    sys.stdout.write(reply.output)
    sys.stdout.flush()
    if reply.more:
        print(f"kg query: {Errors.W131.format(limit=reply.limit)}", file=sys.stderr)
    if reply.in_memory is not None:
        print(f"kg query: {Errors.W012.format(path=reply.in_memory)}", file=sys.stderr)
    return 0
