"""Placeholder for `kg load` (being written)."""

HELP = "load (not yet available)"


def add_arguments(parser):
    parser.add_argument("args", nargs="*")


def run(args):
    from ..errors import KGError

    raise KGError("kg load is not available yet")
