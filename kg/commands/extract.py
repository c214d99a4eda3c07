"""Print the mentions found in a file as JSON Lines.

One object per mention: text, type, start, end (character offsets, end exclusive),
entity IRI, canonical name, and doc: the article id, or with --input-format lines
the 0-based line number (each line is one sentence or document, no page
segmentation: the form in which NER output is compared with standard corpora).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HELP = "print mentions as JSON Lines (per article, or per line with --input-format lines)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="input file, or '-' for standard input (read as a file named stdin.txt, "
                   "or stdin.md, stdin.jsonl, stdin.html with --input-format)")
    p.add_argument("--input-format", default=None, choices=("lines", "page", "plain", "markdown", "jsonl", "html"),
                   help="'lines': one document per line; otherwise as kg build reads files")
    p.add_argument("--extractors", metavar="LIST", help="run only these extractors (comma-separated)")
    p.add_argument("--base", metavar="IRI", help="base of entity IRIs")


_STDIN_SUFFIX = {"markdown": ".md", "jsonl": ".jsonl", "html": ".html"}


def run(args: argparse.Namespace) -> int:
    from kg.pipeline.mentions import iter_mentions

    only = tuple(x.strip() for x in args.extractors.split(",")) if args.extractors else None
    out = sys.stdout
    if args.file == "-" and args.input_format != "lines":
        # a page, article or record file on standard input: read as the file stdin.<suffix> would be
        with tempfile.TemporaryDirectory(prefix="kg-extract-") as tmp:
            path = Path(tmp) / f"stdin{_STDIN_SUFFIX.get(args.input_format or '', '.txt')}"
            path.write_bytes(sys.stdin.buffer.read())
            for rec in iter_mentions(str(path), input_format=args.input_format, only=only, base=args.base):
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return 0
    for rec in iter_mentions(args.file, input_format=args.input_format, only=only, base=args.base):
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return 0
