"""Benchmark `kg query` engines: pyoxigraph against rdflib on a synthetic graph replicated from the sample page.

Run standalone (not part of pytest)::

    python bench/bench_query.py --triples 1000000

The sample graph (``--graph``, or the sample page built with ``kg build``, or the
hand-made test dataset) is copied with renamed instance IRIs until the dataset holds
``--triples`` quads; both engines load it and run the same queries from ``queries/``,
in this run. Reported: seconds per query for each engine (oxigraph: best of
``--repeat``; rdflib: one run, stopped after ``--rdflib-timeout``, which then makes
the ratio a lower bound) and the ratio rdflib / oxigraph.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.rdf.vocab import ID  # noqa: E402
from kg.errors import QueryError  # noqa: E402
from kg.rdf.read import read_dataset  # noqa: E402
from kg.store.query import read_query, run_query  # noqa: E402
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
    parser.add_argument("--queries", nargs="*", default=list(DEFAULT_QUERIES), help="names of queries/*.rq")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query and engine; the best counts")
    parser.add_argument("--rdflib-timeout", type=float, default=300.0, metavar="S",
                        help="stop an rdflib query after S seconds and report the ratio as a lower bound")
    args = parser.parse_args(argv)

    seed = sample_nquads(args.graph)
    data, copies = replicate(seed, args.triples)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        path = Path(tmp) / "synthetic.nq"
        path.write_text(data, encoding="utf-8")
        del data
        print(f"dataset: {args.triples} quads, {copies} copies of a {len(seed.splitlines())}-quad seed", flush=True)
        stores = {}
        for engine in ("oxigraph", "rdflib"):
            t = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                stores[engine] = open_store(path, engine=engine)
            print(f"load {engine:8s} {time.perf_counter() - t:8.2f} s ({len(stores[engine])} quads)", flush=True)

    print(f"\n{'query':28s} {'rows':>7s} {'oxigraph s':>11s} {'rdflib s':>10s} {'ratio':>8s}")
    ratios = []
    for name in args.queries:
        text = read_query(str(ROOT / "queries" / f"{name}.rq"))
        rows, secs, bound = {}, {}, ""
        for engine, store in stores.items():
            def go(store=store, engine=engine):
                timeout = args.rdflib_timeout if engine == "rdflib" else None
                rows[engine] = len(run_query(store, text, timeout=timeout).rows)
            try:
                secs[engine] = timed(go, args.repeat if engine == "oxigraph" else 1)
            except QueryError:  # rdflib ran out of time: the ratio is at least this
                secs[engine], rows[engine], bound = args.rdflib_timeout, rows["oxigraph"], ">"
        if rows["oxigraph"] != rows["rdflib"]:
            print(f"warning: {name}: engines disagree on row count {rows}", file=sys.stderr)
        ratio = secs["rdflib"] / secs["oxigraph"]
        ratios.append(ratio)
        print(f"{name:28s} {rows['oxigraph']:7d} {secs['oxigraph']:11.3f} {bound:>1s}{secs['rdflib']:9.3f} "
              f"{bound:>1s}{ratio:7.1f}x", flush=True)
    print(f"\nratio rdflib/oxigraph: geometric mean {statistics.geometric_mean(ratios):.1f}x, "
          f"min {min(ratios):.1f}x, max {max(ratios):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
