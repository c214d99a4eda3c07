"""Placeholder for `kg serve` (being written)."""

HELP = "serve (not yet available)"


def add_arguments(parser):
    parser.add_argument("args", nargs="*")


def run(args):
    from ..errors import KGError

    raise KGError("kg serve is not available yet")
