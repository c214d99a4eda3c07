"""NER on the People's Daily 1998 and CLUENER2020 dev sets: bare LAC, newskg's extractors and newskg's own tagger.

Usage: python bench/eval_ner.py [JSONL] [--cluener JSONL] [--model NPZ] [--limit N] [--no-newskg]

All systems read the same sentences in the same run; a mention counts when its span and
type equal a gold mention (character offsets). The gold is flat, so newskg's mentions are read
flat too: a mention inside another (a province inside a body's name) is left out. People's Daily 1998: PER, LOC, ORG.
CLUENER2020 dev with its types mapped to ours: name -> PER, address -> LOC,
organization / government / company -> ORG, position -> TITLE (book, game, movie, scene
are left out). Throughput: LAC alone against LAC + tagger on the same sentences.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DEFAULT = SHARED / "ner" / "peoples-daily-1998.dev.jsonl"
CLUENER = SHARED / "train" / "cluener.dev.jsonl"
TYPES = ("PER", "LOC", "ORG")
LABELS = {"Person": "PER", "Place": "LOC", "Organization": "ORG"}
CLUENER_TYPES = {"name": "PER", "address": "LOC", "organization": "ORG", "government": "ORG", "company": "ORG",
                 "position": "TITLE"}


def run_lac(texts):
    from kg.extract.nlp import lac

    out = []
    for i in range(0, len(texts), 256):
        out += lac().run(texts[i : i + 256])
    return out


def bare_lac(words_of_texts):
    out = []
    for words in words_of_texts:
        pos, spans = 0, set()
        for w, tag in words:
            if tag in TYPES:
                spans.add((pos, pos + len(w), tag))
            pos += len(w)
        out.append(spans)
    return out


def tagger(texts, words_of_texts, model=None):
    from kg.extract.nlp import Token
    from kg.train.ner import tag_sentences

    tokens = []
    for t, words in zip(texts, words_of_texts):
        pos, toks = 0, []
        for w, tag in words:
            toks.append(Token(pos, pos + len(w), w, tag))
            pos += len(w)
        tokens.append(toks)
    return tag_sentences(texts, tokens, model)


def newskg(texts):
    from kg.pipeline.mentions import TEXT_EXTRACTORS, line_article
    from kg.extract import analyse, extract_article
    from kg.resolve import drop_overlaps

    out = []
    for i, t in enumerate(texts):
        ms = extract_article(analyse(line_article(i, t)), TEXT_EXTRACTORS).mentions
        spans = {(m.start, m.end, LABELS[m.label]) for m in drop_overlaps(ms) if m.label in LABELS}
        # the gold is flat: a place the graph reads inside a body's name (山东 of 山东省委) is not a mention of its own here
        out.append({x for x in spans if not any(y[0] <= x[0] and x[1] <= y[1] and y != x for y in spans)})
    return out


def prf(found, gold, types=TYPES):
    rows = {}
    for typ in (*types, "all"):
        tp = fp = fn = 0
        for f, g in zip(found, gold):
            f = {x for x in f if (typ == "all" and x[2] in types) or x[2] == typ}
            g = {x for x in g if (typ == "all" and x[2] in types) or x[2] == typ}
            tp += len(f & g)
            fp += len(f - g)
            fn += len(g - f)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        rows[typ] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return rows


def evaluate(name, path, mapping, types, args, model):
    recs = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    if args.limit:
        recs = recs[: args.limit]
    texts = [r["text"] for r in recs]
    gold = [{(e["start"], e["end"], mapping[e["type"]]) for e in r["entities"] if e["type"] in mapping} for r in recs]
    chars = sum(map(len, texts))
    t0 = time.perf_counter()
    words = run_lac(texts)
    t_lac = time.perf_counter() - t0
    t0 = time.perf_counter()
    tg = tagger(texts, words, model)
    t_tag = time.perf_counter() - t0
    systems = {"LAC": bare_lac(words)}
    if not args.no_newskg:
        systems["newskg"] = newskg(texts)
    systems["tagger"] = tg
    rows = {k: prf(v, gold, types) for k, v in systems.items()}
    print(f"\n{name}: {len(texts)} sentences, {chars} characters, gold: {dict(Counter(x[2] for g in gold for x in g))}")
    print(f"{'type':6}" + " | ".join(f"{k + ' P':>9} {k + ' R':>9} {k + ' F1':>9}" for k in systems))
    for typ in (*types, "all"):
        print(f"{typ:6}" + " | ".join(" ".join(f"{x:9.3f}" for x in rows[k][typ]) for k in systems))
    # the graph makes no node of a one-character name (a surname alone, 中 and 美 of 中美关系): the same without them
    long = {k: prf([{x for x in f if x[1] - x[0] > 1} for f in v], [{x for x in g if x[1] - x[0] > 1} for g in gold], types)
            for k, v in systems.items()}
    print("F1 without one-character names: " + " | ".join(
        f"{k} " + " / ".join(f"{long[k][t][2]:.3f}" for t in types) for k in systems))
    print(f"throughput: LAC {chars / t_lac:,.0f} chars/s, tagger {chars / t_tag:,.0f} chars/s, "
          f"LAC+tagger {chars / (t_lac + t_tag):,.0f} chars/s, ratio to bare LAC {t_lac / (t_lac + t_tag):.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--cluener", default=str(CLUENER), help="CLUENER2020 dev ('' to skip)")
    ap.add_argument("--model", default="", help="a tagger weights file other than the shipped one")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--no-newskg", action="store_true", help="leave out newskg's extractors (faster)")
    args = ap.parse_args()
    from kg.extract.nlp import lac
    from kg.extract.tagger import load, read_model

    lac().run(["预热。"])
    model = read_model(args.model) if args.model else load()
    evaluate("People's Daily 1998 dev", args.path, {t: t for t in TYPES}, TYPES, args, model)
    if args.cluener:
        evaluate("CLUENER2020 dev", args.cluener, CLUENER_TYPES, (*TYPES, "TITLE"), args, model)


if __name__ == "__main__":
    main()
