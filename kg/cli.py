"""Command line: argument parsing only; every command calls library functions."""

from __future__ import annotations

import argparse
import importlib
import logging
import signal
import sys
import threading

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
    previous = _interrupt_on(signal.SIGTERM, getattr(signal, "SIGHUP", None))
    try:
        return _run(args)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _run(args: argparse.Namespace) -> int:
    """Run the command; errors as one line and an exit status."""
    try:
        return int(args._run(args) or 0)
    except KGError as exc:
        print(f"kg {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        print(f"kg {args.command}: {Errors.E090}", file=sys.stderr)
        return 128 + exc.signum if isinstance(exc, _Signalled) else 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not bad input: one line, the traceback with -v
        if args.verbose:
            raise
        print(f"kg {args.command}: {Errors.E091.format(kind=type(exc).__name__, why=exc, command=args.command)}", file=sys.stderr)
        return 1


def _interrupt_on(*signals) -> dict:
    """Make ``signals`` (SIGTERM, SIGHUP) stop a command as Ctrl-C does: the same clean-up (no staging folder,
    no half-written file, workers stopped), exit status 128 + the signal's number. Returns the handlers
    they had."""
    if threading.current_thread() is not threading.main_thread():
        return {}  # signal handlers can only be set in the main thread (kg run from a thread)

    def interrupt(signum, frame):
        raise _Signalled(signum)

    return {sig: signal.signal(sig, interrupt) for sig in signals if sig is not None}


class _Signalled(KeyboardInterrupt):
    """A command stopped by a signal other than SIGINT."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
