"""Placeholder for `kg query` (being written)."""

HELP = "query (not yet available)"


def add_arguments(parser):
    parser.add_argument("args", nargs="*")


def run(args):
    from ..errors import KGError

    raise KGError("kg query is not available yet")
