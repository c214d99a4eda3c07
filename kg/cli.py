"""Command line: argument parsing only; every command calls library functions."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from kg import __version__
from kg.errors import Errors, KGError

#: Sub-commands, each a module of ``kg.commands`` with ``HELP``, ``add_arguments`` and ``run``.
COMMANDS = ("build", "extract", "query", "validate", "view", "serve", "load")


def make_parser() -> argparse.ArgumentParser:
    """The ``kg`` parser with one sub-parser per command."""
    parser = argparse.ArgumentParser(
        prog="kg",
        description="newskg: build a knowledge graph (RDF) from Chinese news and policy pages, "
        "query it with SPARQL, view it, validate it and load it into triple stores.",
    )
    parser.add_argument("--version", action="version", version=f"newskg {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        mod = importlib.import_module(f"kg.commands.{name}")
        p = sub.add_parser(name, help=mod.HELP, description=(mod.__doc__ or mod.HELP).strip())
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``kg`` with ``argv``; return the exit status.

    Errors newskg raises on purpose are printed as one line on stderr.
    """
    parser = make_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="kg: %(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except KGError as exc:
        print(f"kg {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"kg {args.command}: {Errors.E090}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not bad input: one line, the traceback with -v
        if args.verbose:
            raise
        print(f"kg {args.command}: {Errors.E091.format(kind=type(exc).__name__, why=exc, command=args.command)}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
