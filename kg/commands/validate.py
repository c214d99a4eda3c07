"""Placeholder for `kg validate` (being written)."""

HELP = "validate (not yet available)"


def add_arguments(parser):
    parser.add_argument("args", nargs="*")


def run(args):
    from ..errors import KGError

    raise KGError("kg validate is not available yet")
