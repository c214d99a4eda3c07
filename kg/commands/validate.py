"""Check a graph against the SHACL shapes of ontology/shapes.ttl and list what does not conform."""

from __future__ import annotations

import argparse
import sys

HELP = "check a graph against the SHACL shapes (exit 1 when it does not conform)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``kg validate``."""
    parser.add_argument("graph", metavar="GRAPH", nargs="+",
                        help="graph files (.ttl/.trig/.nq/.nt/.jsonld) or an oxigraph store folder")
    parser.add_argument("--shapes", metavar="FILE", default=None,
                        help="SHACL shapes in Turtle (default: ontology/shapes.ttl)")


def run(args: argparse.Namespace) -> int:
    """Run ``kg validate``: 0 conforming, 1 with violations (listed on stdout), 2 bad input."""
    from kg.errors import InputError
    from kg.rdf.validate import validate

    if args.shapes is not None:
        from pathlib import Path

        from kg.errors import Errors

        if not Path(args.shapes).is_file():
            raise InputError(Errors.E001.format(path=args.shapes))
    report = validate(args.graph if len(args.graph) > 1 else args.graph[0], shapes=args.shapes)
    if report.conforms:
        print(report.text(), end="", file=sys.stderr)
        return 0
    sys.stdout.write(report.text())
    return 1
