"""``python -m kg.train ner [--data DIR] [--out FILE] [--seed N]``: rebuild shipped model weights."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.extract.tagger import model_path
from kg.train import ner

SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kg.train", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    p = sub.add_parser("ner", help="the character CRF of kg.extract.tagger")
    p.add_argument("--data", default=str(SHARED / "train"), help="folder of the training corpora")
    p.add_argument("--dev", default=str(SHARED / "ner" / "peoples-daily-1998.dev.jsonl"), help="People's Daily 1998 dev set")
    p.add_argument("--out", default=str(model_path()), help="the weights file to write")
    p.add_argument("--seed", type=int, default=12)
    p.add_argument("--workdir", default="/tmp/kg-train-ner", help="where the crfsuite models are kept")
    p.add_argument("--only", nargs="*", default=[], help="train only these CRFs, reusing the others from --workdir")
    args = ap.parse_args(argv)
    return ner.main(args)


if __name__ == "__main__":
    sys.exit(main())
