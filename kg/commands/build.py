"""Build a knowledge graph from newspaper pages or article files.

Reads every PATH (files, or folders walked recursively), splits layout pages into
articles, extracts people, organizations, places, policies, events, measures and
their relations, and writes DIR/graph.ttl, graph.trig, graph.nq, graph.jsonld,
graph.html, the SPARQL store DIR/store/ and DIR/report.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HELP = "build the graph from pages or article files"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="input files or folders")
    p.add_argument("-o", "--output", default="output", metavar="DIR", help="output folder (default: output/)")
    p.add_argument("--input-format", choices=("page", "plain", "markdown", "jsonl", "html"),
                   help="read every file as this format (default: by extension; .txt is a layout page)")
    p.add_argument("--format", default="ttl,trig,nq,jsonld", metavar="LIST",
                   help="RDF files to write, comma-separated from ttl,trig,nq,jsonld (default: all)")
    p.add_argument("--base", metavar="IRI", help="base of instance IRIs (default https://w3id.org/newskg/id/)")
    p.add_argument("--publisher", help="newspaper name for inputs that do not say it")
    p.add_argument("--date", help="publication date (YYYY-MM-DD) for inputs that do not say it")
    p.add_argument("--page", help="page number for inputs that do not say it")
    p.add_argument("--extractors", metavar="LIST", help="run only these extractors (comma-separated)")
    p.add_argument("--no-html", action="store_true", help="do not write graph.html")
    p.add_argument("--no-store", action="store_true", help="do not build the SPARQL store DIR/store/")
    p.add_argument("--no-validate", action="store_true", help="do not check the graph against ontology/shapes.ttl")
    p.add_argument("--strict", action="store_true", help="fail on the first input that has to be skipped")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")


def run(args: argparse.Namespace) -> int:
    from ..build import BuildOptions, build

    opts = BuildOptions(
        paths=tuple(args.paths),
        output=Path(args.output),
        input_format=args.input_format,
        formats=tuple(f.strip() for f in args.format.split(",") if f.strip()),
        base=args.base,
        publisher=args.publisher or "",
        date=args.date or "",
        page=args.page or "",
        extractors=tuple(x.strip() for x in args.extractors.split(",")) if args.extractors else None,
        html=not args.no_html,
        store=not args.no_store,
        validate=not args.no_validate,
        strict=args.strict,
    )
    report = build(opts)
    if not args.quiet:
        for skip in report["skipped"]:
            print(f"kg build: skipped {skip['reason']}", file=sys.stderr)
        print(report["summary"])
    return 0
