"""Load a built graph into a triple store over the SPARQL 1.1 Graph Store Protocol (or SPARQL Update)."""

from __future__ import annotations

import argparse
import os
import sys

from kg.errors import Errors

HELP = "load a graph into a triple store (SPARQL Graph Store Protocol)"

#: Environment variable holding the password for ``--user``.
PASSWORD_ENV = "KG_LOAD_PASSWORD"


def _int_at_least(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(Errors.E080.format(what="an integer", text=text)) from None
        if value < minimum:
            raise argparse.ArgumentTypeError(Errors.E081.format(rule=f"at least {minimum}", value=value))
        return value

    return parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``kg load``."""
    from kg.store.load import DEFAULT_CHUNK_SIZE, STORE_TYPES

    parser.epilog = ("Reads GRAPH, sorts its triples and sends them in chunks of N-Triples: each named graph (TriG, "
                     "N-Quads) to ENDPOINT?graph=IRI, and the union of all graphs to ENDPOINT?default, so that "
                     "queries without GRAPH read everything on any store (a store without a default graph, such as "
                     "Virtuoso, gets the default graph's own triples in <.../graph/default> instead); or all to "
                     "--graph. Loading the same graph again adds nothing. See docs/TRIPLESTORES.md.")

    parser.add_argument("graph", metavar="GRAPH",
                        help="a .ttl/.trig/.nq/.nt/.jsonld file, a kg build folder (output/) or a store folder")
    parser.add_argument("--endpoint", required=True, metavar="URL",
                        help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (Oxigraph), "
                        "http://127.0.0.1:8890/sparql-graph-crud (Virtuoso), http://127.0.0.1:3030/DS/data (Fuseki); "
                        "with --store-type update, the SPARQL Update URL")
    parser.add_argument("--graph", metavar="IRI", dest="target_graph",
                        help="load every triple into this named graph (default: the input's own graphs)")
    parser.add_argument("--default-graph", metavar="IRI",
                        help="load the default graph's triples into this named graph, keeping the other graphs "
                        "(for Virtuoso, whose Graph Store Protocol has no default graph)")
    parser.add_argument("--no-union", action="store_true",
                        help="send only the default graph's own triples to the store's default graph, no copy of "
                        "the named graphs' triples (for a store that queries all graphs: Oxigraph with "
                        "--union-default-graph, Fuseki with unionDefaultGraph)")
    parser.add_argument("--replace", action="store_true",
                        help="clear each target graph first (PUT, or CLEAR with --store-type update)")
    parser.add_argument("--chunk-size", type=_int_at_least(1), default=DEFAULT_CHUNK_SIZE, metavar="N",
                        help=f"triples per request (default {DEFAULT_CHUNK_SIZE:,})")
    parser.add_argument("--retries", type=_int_at_least(0), default=5, metavar="N",
                        help="retries of a request after a connection error or HTTP 5xx, "
                        "waiting 0.5 s, 1 s, 2 s ... (default 5)")
    parser.add_argument("--store-type", choices=STORE_TYPES, default="gsp",
                        help="gsp: SPARQL 1.1 Graph Store Protocol (default); update: SPARQL Update INSERT DATA")
    parser.add_argument("--user", metavar="NAME",
                        help=f"HTTP user (Basic or Digest); the password is read from ${PASSWORD_ENV}")
    parser.add_argument("--timeout", type=float, default=300.0, metavar="S",
                        help="seconds to wait for each answer (default 300)")
    parser.add_argument("--query-endpoint", metavar="URL",
                        help="SPARQL query URL where the loaded graphs are counted afterwards (default: the query "
                        "service beside ENDPOINT: /store -> /query, /sparql-graph-crud -> /sparql, /data -> /sparql)")
    parser.add_argument("--no-verify", action="store_true", help="do not count the loaded graphs afterwards")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")


def run(args: argparse.Namespace) -> int:
    """Run ``kg load``; return the exit status."""
    from kg.store.load import load_graph, parse_auth

    bars = []

    def on_plan(plan) -> None:
        if bars:
            bars.pop().close()
        if not args.quiet and sys.stderr.isatty():
            from tqdm import tqdm

            bars.append(tqdm(total=plan.triples, unit=" triples", unit_scale=True, file=sys.stderr, desc="kg load",
                             dynamic_ncols=True))

    def progress(n: int) -> None:
        if bars:
            bars[0].update(n)

    plans = []
    try:
        report = load_graph(args.graph, args.endpoint, graph=args.target_graph, default_graph=args.default_graph,
                            union=False if args.no_union else None, replace=args.replace,
                            chunk_size=args.chunk_size, retries=args.retries, store_type=args.store_type,
                            on_plan=lambda plan: (plans.append(plan), on_plan(plan)), timeout=args.timeout,
                            auth=parse_auth(args.user, os.environ.get(PASSWORD_ENV)), progress=progress,
                            verify=not args.no_verify, query_endpoint=args.query_endpoint)
    finally:
        if bars:
            bars.pop().close()
    if not args.quiet:
        plan = plans[-1]
        named = sum(1 for g in plan.graphs if g is not None)
        if plan.union:
            where = f"{named} named graph(s) + their union in the default graph"
        elif plan.default_graph is not None and args.target_graph is None:
            where = f"{named} named graph(s), the default graph's in <{plan.default_graph}>"
        else:
            where = f"{report.graphs} graph(s)"
        print(f"kg load: {plan.quads:,} quads as {report.triples:,} triples in {where}, {report.chunks} chunk(s), "
              f"{report.requests} request(s) in {report.seconds:.1f} s ({report.rate:,.0f} triples/s) "
              f"-> {args.endpoint}; {'verified' if report.verified else 'not verified'} ({report.note})")
    return 0
