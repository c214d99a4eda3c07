"""Benchmark `kg query`: what newskg adds to pyoxigraph, on a synthetic graph replicated from the sample page.

Run standalone (not part of pytest)::

    python bench/bench_query.py --triples 1000000

The sample graph (``--graph``, or the sample page built with ``kg build``, or the
hand-made test dataset) is copied with renamed instance IRIs until the dataset holds
``--triples`` quads, and loaded into one pyoxigraph store. Each shipped query then runs,
in this run, as the baseline (``Store.query`` itself, the answer read into Python terms,
or written as SPARQL JSON) and through newskg (``run_query``: the parse by rdflib's parser,
cached after the first run, the rewrites and the terms as rdflib terms; ``answer_query``:
the same written by pyoxigraph). Reported: seconds per query (best of ``--repeat``) and
the ratios newskg / baseline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.rdf.vocab import ID  # noqa: E402
from kg.rdf.read import read_dataset  # noqa: E402
from kg.store.catalog import find  # noqa: E402
from kg.store.query import QUERY_PREFIXES, answer_query, run_query  # noqa: E402
from kg.store.store import open_store  # noqa: E402

DEFAULT_QUERIES = ("authors_posts", "top_policies", "measures_by_actor", "event_speakers")


def sample_nquads(graph: str | None) -> str:
    """N-Quads of the seed graph: ``graph``, else the sample page built now, else the test dataset."""
    if graph is None:
        sample = ROOT / "source" / "workers-daily-2022-11-theory.txt"
        out = Path(tempfile.mkdtemp(prefix="bench-build-"))
        try:
            from kg.cli import main

            if main(["build", str(sample), "-o", str(out), "--no-html", "--no-store", "--no-validate"]) == 0:
                graph = str(next(iter(sorted(out.glob("graph.nq")) + sorted(out.glob("graph.trig")))))
        except (SystemExit, Exception) as exc:  # fall back to the hand-made dataset
            print(f"bench: kg build failed ({exc}); using the test dataset", file=sys.stderr)
        if graph is None:
            graph = str(ROOT / "tests" / "data" / "query" / "sample.trig")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_dataset(graph).serialize(format="nquads")


def replicate(nquads: str, triples: int) -> tuple[str, int]:
    """Copies of ``nquads`` with instance IRIs renamed (``id/`` -> ``id/c<i>/``) up to ``triples`` lines."""
    lines = [line for line in nquads.splitlines() if line.strip()]
    base = f"<{ID}"
    copies, chunks, n = 0, [], 0
    while n < triples:
        prefix = f"<{ID}c{copies}/"
        take = lines[: triples - n]
        chunks.append("\n".join(take).replace(base, prefix))
        n += len(take)
        copies += 1
    return "\n".join(chunks) + "\n", copies


def timed(fn, repeat: int) -> float:
    """Best wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="quads in the synthetic dataset")
    parser.add_argument("--graph", default=None, help="seed graph file (default: the sample page, built now)")
    parser.add_argument("--queries", nargs="*", default=list(DEFAULT_QUERIES), help="names of shipped queries")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query and way; the best counts")
    args = parser.parse_args(argv)

    seed = sample_nquads(args.graph)
    data, copies = replicate(seed, args.triples)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        path = Path(tmp) / "synthetic.nq"
        path.write_text(data, encoding="utf-8")
        del data
        print(f"dataset: {args.triples} quads, {copies} copies of a {len(seed.splitlines())}-quad seed", flush=True)
        t = time.perf_counter()
        store = open_store(path)
        print(f"load {time.perf_counter() - t:8.2f} s ({len(store)} quads)", flush=True)

    def raw(text):
        return store.backend.query(text, prefixes=QUERY_PREFIXES, use_default_graph_as_union=True)

    print(f"\n{'query':24s} {'rows':>7s} {'pyoxigraph s':>12s} {'run_query s':>11s} {'ratio':>6s} "
          f"{'JSON s':>8s} {'answer_query s':>14s} {'ratio':>6s}")
    ratios, written = [], []
    for name in args.queries:
        text = find(name).text
        rows = {}
        base = timed(lambda: rows.setdefault("raw", len([tuple(s) for s in raw(text)])), args.repeat)
        ours = timed(lambda: rows.setdefault("ours", len(run_query(store, text).rows)), args.repeat)
        base_json = timed(lambda: raw(text).serialize(format=ox.QueryResultsFormat.JSON), args.repeat)
        ours_json = timed(lambda: answer_query(store, text, lambda form: "application/sparql-results+json"),
                          args.repeat)
        if rows["raw"] != rows["ours"]:
            print(f"warning: {name}: {rows}", file=sys.stderr)
        ratios.append(ours / base)
        written.append(ours_json / base_json)
        print(f"{name:24s} {rows['ours']:7d} {base:12.3f} {ours:11.3f} {ours / base:5.2f}x {base_json:8.3f} "
              f"{ours_json:14.3f} {ours_json / base_json:5.2f}x", flush=True)
    print(f"\nrun_query / pyoxigraph: geometric mean {statistics.geometric_mean(ratios):.2f}x; "
          f"answer_query / pyoxigraph JSON: {statistics.geometric_mean(written):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
