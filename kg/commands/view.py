"""Make the interactive HTML view of a built graph (Turtle, TriG, N-Quads, N-Triples or JSON-LD)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from kg.errors import Errors

HELP = "make the interactive HTML view of a graph file"

log = logging.getLogger(__name__)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(Errors.E080.format(what="an integer", text=text)) from None
    if value < 1:
        raise argparse.ArgumentTypeError(Errors.E081.format(rule="at least 1", value=value))
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from kg.export.project import NODE_TYPES
    from kg.rdf.read import GRAPH_FORMATS

    parser.add_argument("graph", metavar="GRAPH",
                        help=f"graph file ({', '.join(sorted(set(GRAPH_FORMATS)))}), e.g. output/graph.ttl "
                        "or a saved SPARQL CONSTRUCT result")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="file to write: .html (default: GRAPH with the suffix .html), or .gexf / .graphml for Gephi")
    parser.add_argument("--focus", metavar="NAME",
                        help="show only the node of this name and its neighbours up to depth 2")
    parser.add_argument("--types", metavar="TYPE", nargs="+",
                        help=f"node types to show, space or comma separated: {', '.join(t.key for t in NODE_TYPES)}")
    parser.add_argument("--max-nodes", metavar="N", type=_positive, default=2000,
                        help="show at most N nodes, the most central ones (default: 2000)")
    parser.add_argument("--title", metavar="TEXT", help="page title (default: the graph's file name)")


def run(args: argparse.Namespace) -> int:
    from kg.export.html import write_html
    from kg.rdf.read import read_dataset

    src = Path(args.graph)
    out = Path(args.output) if args.output else src.with_suffix(".html")
    log.info("reading %s", src)
    graph = read_dataset(src)
    if out.suffix in (".gexf", ".graphml"):  # for Gephi and other network tools
        from kg.export.gexf import write_gexf, write_graphml

        nodes, edges = (write_gexf if out.suffix == ".gexf" else write_graphml)(graph, out)
        print(f"kg view: wrote {out}: {nodes} nodes, {edges} edges", file=sys.stderr)
        return 0
    stats = write_html(graph, out, title=args.title or src.name, max_nodes=args.max_nodes, focus=args.focus,
                       types=args.types)
    shown = f"{stats.nodes} nodes, {stats.edges} edges"
    if stats.limited or stats.nodes != stats.total_nodes:
        shown += f" (of {stats.total_nodes} nodes, {stats.total_edges} edges)"
    print(f"kg view: wrote {out}: {shown}", file=sys.stderr)
    return 0
