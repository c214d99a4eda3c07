"""Extraction throughput (chars/s) of newskg against bare LAC on the same text, in the same run.

Usage: python bench/bench_extract.py [--repeat N]

Both read the sample page's articles (segmented once): bare LAC tags every sentence
of the running text; newskg runs every extractor (LAC included) on the articles.
The ratio newskg/LAC is the share of LAC's speed the whole extraction keeps.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kg import extract
from kg.extract.nlp import lac, sentences
from kg.extract import extract_page
from kg.segment.layout import segment_page

SAMPLE = Path(__file__).resolve().parents[1] / "source" / "workers-daily-2022-11-theory.txt"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=20, help="times the page is processed")
    args = ap.parse_args()
    page = segment_page(SAMPLE.read_text(encoding="utf-8"))
    texts = []
    for a in page.articles:
        for start, b in zip(a.starts, a.blocks):
            if b.role in extract.TEXT_BLOCKS:
                texts += [b.text[s:e] for s, e in sentences(b.text)]
    chars = sum(len(a.text) for a in page.articles) * args.repeat
    lac().run(texts[:2])  # load the model before timing
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        lac().run(texts)
    t_lac = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        extract_page(page)
    t_kg = time.perf_counter() - t0
    print(f"{args.repeat} x sample page, {chars:,} chars")
    print(f"bare LAC      {chars / t_lac:12,.0f} chars/s")
    print(f"newskg        {chars / t_kg:12,.0f} chars/s")
    print(f"ratio newskg/LAC = {t_lac / t_kg:.2f}")


if __name__ == "__main__":
    main()
