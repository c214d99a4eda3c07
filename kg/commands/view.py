"""Placeholder for `kg view` (being written)."""

HELP = "view (not yet available)"


def add_arguments(parser):
    parser.add_argument("args", nargs="*")


def run(args):
    from ..errors import KGError

    raise KGError("kg view is not available yet")
