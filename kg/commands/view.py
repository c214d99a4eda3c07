"""Make the interactive HTML view of a graph: a kg build folder, its store folder, or a graph file (Turtle,
TriG, N-Quads, N-Triples, JSON-LD), such as a saved SPARQL CONSTRUCT result; or of the neighbourhood of one
node in a whole store (--around), for a build of any size."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from kg.errors import Errors

HELP = "make the interactive HTML view of a build folder, a store or a graph file (or of one node's neighbourhood)"

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
                        help="a kg build folder (output/), its store folder (output/store), or a graph file "
                        f"({', '.join(sorted(set(GRAPH_FORMATS)))}), e.g. output/graph.ttl or a saved SPARQL CONSTRUCT "
                        "result")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="file to write: .html (default: GRAPH with the suffix .html; with --around, around.html "
                        "beside the store), or .gexf / .graphml for Gephi")
    parser.add_argument("--focus", metavar="NAME",
                        help="show only the node of this name and its neighbours up to depth 2")
    parser.add_argument("--types", metavar="TYPE", nargs="+",
                        help=f"node types to show, space or comma separated: {', '.join(t.key for t in NODE_TYPES)}")
    parser.add_argument("--max-nodes", metavar="N", type=_positive, default=2000,
                        help="show at most N nodes, the most central ones (default: 2000)")
    parser.add_argument("--title", metavar="TEXT", help="page title (default: the graph's file name)")
    parser.add_argument("--around", metavar="NAME",
                        help="draw the neighbourhood of the node of this name (or IRI) across the whole graph, "
                        "read from the store by SPARQL: for DIR/store of a build of any size")
    parser.add_argument("--depth", metavar="N", type=_positive, default=2,
                        help="with --around: how many links away a node may be (default: 2)")
    parser.add_argument("--from", dest="date_from", metavar="DATE",
                        help="with --around: only articles dated from DATE (YYYY, YYYY-MM or YYYY-MM-DD)")
    parser.add_argument("--to", dest="date_to", metavar="DATE",
                        help="with --around: only articles dated up to DATE (a month or year counts whole)")


def run(args: argparse.Namespace) -> int:
    from kg.export.html import write_html
    from kg.rdf.read import read_dataset

    src = Path(args.graph)
    if args.around is not None:  # an empty name is refused there, never read as "no --around"
        return _around(args, src)
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


def _around(args: argparse.Namespace, src: Path) -> int:
    from kg.export.around import around_view
    from kg.export.html import write_view

    out = Path(args.output) if args.output else (src.parent if src.name == "store" else src.with_suffix("")) / "around.html"
    if out.suffix != ".html":
        out = out.with_suffix(".html")
    log.info("reading the neighbourhood of %s in %s", args.around, src)
    view = around_view(src, args.around, depth=args.depth, start=args.date_from, end=args.date_to,
                       max_nodes=args.max_nodes, types=args.types)
    stats = write_view(view, out, title=args.title or f"{args.around} · {src.name}")
    shown = f"{stats.nodes} nodes, {stats.edges} edges within {args.depth} of {view.stats.focus}"
    if stats.limited:
        shown += f" (of {stats.total_nodes} nodes)"
    print(f"kg view: wrote {out}: {shown}", file=sys.stderr)
    return 0
