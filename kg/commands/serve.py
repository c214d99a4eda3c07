"""Serve a built graph as a read-only SPARQL 1.1 Protocol endpoint on the loopback address."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from kg.errors import Errors

HELP = "serve a graph as a SPARQL endpoint (SPARQL 1.1 Protocol)"


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(Errors.E080.format(what="a port number", text=text)) from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(Errors.E081.format(rule="0 to 65535", value=value))
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(Errors.E080.format(what="a number of seconds", text=text)) from None
    if value < 0:
        raise argparse.ArgumentTypeError(Errors.E081.format(rule="0 (no limit) or more", value=f"{value:g}"))
    return value


def _count(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(Errors.E080.format(what="a whole number", text=text)) from None
    if value < 0:
        raise argparse.ArgumentTypeError(Errors.E081.format(rule="0 or more", value=value))
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``kg serve``."""
    from kg.store.serve import DEFAULT_MAX_RESULT_BYTES, DEFAULT_MAX_WORKERS, DEFAULT_TIMEOUT

    parser.epilog = ("Queries go to http://HOST:PORT/sparql (GET ?query=, POST form or application/sparql-query); "
                     "the graph.html beside GRAPH is served at /. Stop with Ctrl-C. See docs/TRIPLESTORES.md.")

    parser.add_argument("graph", metavar="GRAPH",
                        help="a kg build folder (output/), a store folder or a .ttl/.trig/.nq/.nt/.jsonld file")
    parser.add_argument("--port", "-p", type=_port, default=8000, metavar="N",
                        help="TCP port (default 8000; 0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1, this machine only)")
    parser.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="S",
                        help=f"stop a query after S seconds and answer 503 (default {DEFAULT_TIMEOUT:g}; 0: no limit)")
    parser.add_argument("--allow-update", action="store_true",
                        help="accept SPARQL Update at POST /update (a store folder is changed on disk)")
    parser.add_argument("--allow-service", action="store_true",
                        help="run queries with SERVICE (federation: the server fetches the URLs they name); "
                        "refused by default")
    parser.add_argument("--cors", action="append", default=[], metavar="ORIGIN",
                        help="let pages of ORIGIN (https://example.org, or '*' for any) read the answers; "
                        "repeat for more; none by default")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="a further name clients may use in the Host header (with --host 0.0.0.0, this "
                        "machine's name); the bound address and localhost always work")
    parser.add_argument("--max-result-bytes", type=_count, default=DEFAULT_MAX_RESULT_BYTES, metavar="N",
                        help=f"largest answer, in bytes; larger: 413 (default {DEFAULT_MAX_RESULT_BYTES:,}; 0: no limit)")
    parser.add_argument("--max-workers", type=_count, default=DEFAULT_MAX_WORKERS, metavar="N",
                        help=f"queries run at once; more: 503 with Retry-After (default {DEFAULT_MAX_WORKERS})")


def _open(path: Path, allow_update: bool):
    """The store to serve and the HTML view beside it."""
    from kg.errors import GraphParseError
    from kg.rdf.read import find_graph_file
    from kg.store.store import open_store

    if path.is_dir():
        try:
            store = open_store(path, read_only=not allow_update)
        except GraphParseError:
            graph_file = find_graph_file(path)
            if graph_file == path:
                raise
            store = open_store(graph_file, read_only=not allow_update)
        folder = path if (path / "graph.html").is_file() else path.parent
    else:
        store = open_store(path, read_only=not allow_update)
        folder = path.parent
    html = folder / "graph.html"
    return store, html if html.is_file() else None


def run(args: argparse.Namespace) -> int:
    """Run ``kg serve`` until Ctrl-C (or SIGTERM); return the exit status."""
    from kg.store.serve import make_server

    store, html = _open(Path(args.graph), args.allow_update)
    server = make_server(store, args.host, args.port, timeout=args.timeout or None,
                         allow_update=args.allow_update, html_path=html, allow_service=args.allow_service,
                         cors=args.cors, max_result_bytes=args.max_result_bytes or None,
                         max_workers=args.max_workers or 1, allow_hosts=[args.host, *args.allow_host])

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    base = server.url.rsplit("/", 1)[0]
    print(f"kg serve: {len(store):,} triples; SPARQL endpoint {server.url}"
          f"{f', view {base}/' if html else ''}"
          f"{f', updates at {base}/update' if args.allow_update else ''} (Ctrl-C to stop)", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("kg serve: stopping", file=sys.stderr)
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
    return 0
