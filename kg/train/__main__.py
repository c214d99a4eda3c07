"""``python -m kg.train NAME [options]``: rebuild the shipped weights of one model from the shared data.

Each model's training lives in ``kg/train/NAME.py``, which gives ``add_arguments(parser)``
and ``main(args) -> int``; :data:`TRAINERS` lists them. Every trainer uses a fixed seed,
measures by 5-fold cross-validation over the annotated items (``kg.train.cv``) where it
learns from them, writes its weights with ``kg.extract.weights.write`` and its figures into
``docs/MODELS.md`` (``kg.train.report``).
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: Model name -> the module of kg.train that trains it, and one line of what it is.
TRAINERS: dict[str, tuple[str, str]] = {
    "ner": ("kg.train.ner", "the character CRF of kg.extract.tagger"),
    "events": ("kg.train.events", "the event-name CRF of kg.extract.event_spans and the role classifier of kg.extract.roles"),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kg.train", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    for name, (module, summary) in TRAINERS.items():
        p = sub.add_parser(name, help=summary)
        importlib.import_module(module).add_arguments(p)
    args = ap.parse_args(argv)
    return importlib.import_module(TRAINERS[args.what][0]).main(args)


if __name__ == "__main__":
    sys.exit(main())
