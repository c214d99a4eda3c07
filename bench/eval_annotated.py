"""score.py on our own annotated bench items: the figures of news the rules were not written against.

Run ``python bench/eval_annotated.py [BATCH ...] [--shared ../shared]``.

Each batch of ``annotations/`` (``xwlb-bench-N.gold.json``, the items of
``../shared/corpus/bench/xwlb-2000.jsonl`` annotated by the dev sets' conventions) is built on its
own (``kg build``, no cache) and scored by ``../shared/eval/score.py`` against its gold; the rows
of every batch are summed (true positives, found, gold) into one table. A batch that a trained
part learnt from (``docs/MODELS.md`` says which) measures that part on its training data: read
the rows of the others.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = ("Person", "Organization", "Place", "Policy", "Event", "position", "parent_organization", "speaker",
        "organizer", "event_date")


def _items(texts: Path, ids: set[str], out: Path) -> int:
    n = 0
    with texts.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            if line.strip() and json.loads(line).get("id") in ids:
                dst.write(line)
                n += 1
    return n


def _score(shared: Path, graph: Path, gold: Path) -> dict:
    run = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), str(graph), str(gold), "--json"],
                         capture_output=True, text=True, timeout=600, check=True)
    return json.loads(run.stdout.rsplit("\ntriples=", 1)[0])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("batches", nargs="*", help="batch names (default: every annotations/xwlb-bench-*.gold.json)")
    p.add_argument("--shared", type=Path, default=Path(os.environ.get("KG_SHARED", ROOT.parent / "shared")))
    args = p.parse_args(argv)
    golds = sorted((ROOT / "annotations").glob("xwlb-bench-*.gold.json"))
    if args.batches:
        golds = [g for g in golds if g.name.removesuffix(".gold.json") in args.batches]
    totals: dict[str, list[float]] = {r: [0.0, 0.0, 0.0] for r in ROWS}  # tp, found, gold
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory(prefix="kg-eval-annotated-") as tmp:
        for gold in golds:
            g = json.loads(gold.read_text(encoding="utf-8"))
            items = Path(tmp) / f"{gold.stem}.jsonl"
            n = _items(args.shared / "corpus" / g["texts"], {a["id"] for a in g["articles"]}, items)
            out = Path(tmp) / gold.stem
            subprocess.run([sys.executable, "-m", "kg", "build", str(items), "-o", str(out), "-q", "--no-cache",
                            "--no-validate", "--no-html", "--no-store"], check=True, timeout=3600, env=env, cwd=tmp)
            scored = _score(args.shared, out / "graph.ttl", gold)
            figures, detail = scored["figures"], scored["detail"]
            line = [gold.stem.removesuffix(".gold"), f"{n} items"]
            for r in ROWS:
                prec, rec = figures.get(f"{r}.precision", 0.0), figures.get(f"{r}.recall", 0.0)
                n_gold = detail.get(r, {}).get("gold", len(g["entities"].get(r, [])))
                tp = rec * n_gold
                found = tp / prec if prec else 0.0
                t = totals[r]
                t[0], t[1], t[2] = t[0] + tp, t[1] + found, t[2] + n_gold
                line.append(f"{r} {figures.get(f'{r}.f1', 0.0):.2f}")
            sys.stdout.write("  ".join(line) + "\n")
    sys.stdout.write("all batches, P / R / F1:\n")
    for r, (tp, found, n_gold) in totals.items():
        prec = tp / found if found else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        sys.stdout.write(f"  {r:20} {prec:.2f} / {rec:.2f} / {f1:.2f}  (gold {n_gold:.0f})\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
