"""NER on the People's Daily 1998 development set: newskg's extractors against bare LAC, F1 per type.

Usage: python bench/eval_ner.py [JSONL] [--limit N]

Both systems read the same sentences in the same run; a mention counts when its
span and type equal a gold mention (PER, LOC, ORG; character offsets).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ner" / "peoples-daily-1998.dev.jsonl"
TYPES = ("PER", "LOC", "ORG")
LABELS = {"Person": "PER", "Place": "LOC", "Organization": "ORG"}


def bare_lac(texts):
    from kg.extract.nlp import lac

    out = []
    for words in lac().run(texts):
        pos, spans = 0, set()
        for w, tag in words:
            if tag in TYPES:
                spans.add((pos, pos + len(w), tag))
            pos += len(w)
        out.append(spans)
    return out


def newskg(texts):
    from kg.build.mentions import TEXT_EXTRACTORS, line_article
    from kg.extract import analyse, extract_article
    from kg.resolve import drop_overlaps

    out = []
    for i, t in enumerate(texts):
        ms = extract_article(analyse(line_article(i, t)), TEXT_EXTRACTORS).mentions
        out.append({(m.start, m.end, LABELS[m.label]) for m in drop_overlaps(ms) if m.label in LABELS})
    return out


def prf(found, gold):
    rows = {}
    for typ in (*TYPES, "all"):
        tp = fp = fn = 0
        for f, g in zip(found, gold):
            f = {x for x in f if typ == "all" or x[2] == typ}
            g = {x for x in g if typ == "all" or x[2] == typ}
            tp += len(f & g)
            fp += len(f - g)
            fn += len(g - f)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        rows[typ] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    recs = [json.loads(l) for l in open(args.path, encoding="utf-8") if l.strip()]
    if args.limit:
        recs = recs[: args.limit]
    texts = [r["text"] for r in recs]
    gold = [{(e["start"], e["end"], e["type"]) for e in r["entities"]} for r in recs]
    chars = sum(map(len, texts))
    t0 = time.perf_counter()
    lac_found = bare_lac(texts)
    t_lac = time.perf_counter() - t0
    t0 = time.perf_counter()
    kg_found = newskg(texts)
    t_kg = time.perf_counter() - t0
    a, b = prf(lac_found, gold), prf(kg_found, gold)
    print(f"{len(texts)} sentences, {chars} characters, gold: {dict(Counter(x[2] for g in gold for x in g))}")
    print(f"{'type':5} {'LAC P':>7} {'LAC R':>7} {'LAC F1':>7} | {'kg P':>7} {'kg R':>7} {'kg F1':>7}")
    for typ in (*TYPES, "all"):
        print(f"{typ:5} " + " ".join(f"{x:7.3f}" for x in a[typ]) + " | " + " ".join(f"{x:7.3f}" for x in b[typ]))
    print(f"throughput: LAC {chars / t_lac:,.0f} chars/s, newskg {chars / t_kg:,.0f} chars/s, ratio {t_lac / t_kg:.2f}")


if __name__ == "__main__":
    main()
