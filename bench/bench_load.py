"""How fast `kg load` fills a local Oxigraph server, against Oxigraph's own bulk loader in the same run.

Run standalone (not part of pytest; needs the ``oxigraph`` binary: ``pip install oxigraph``)::

    python bench/bench_load.py [--triples 1000000] [--chunk-size 50000]

The sample page's graph (built now with ``kg build``, or ``--graph``) is replicated with
renamed instance IRIs (bench/bench_query.py's helpers) into an N-Quads file of
``--triples`` quads, one named graph per article copy plus the default graph. Then,
each into a fresh on-disk database:

* ``kg load`` (the library: read + sort + chunk, then Graph Store Protocol POSTs) into
  ``oxigraph serve`` on a free loopback port, into the file's own graphs, and again
  with everything in one ``--graph``;
* ``oxigraph load --location DIR --file FILE`` (the bulk loader CLI, no HTTP).

Reported: seconds and triples/s of each, and the ratio kg load / bulk loader (how many
times slower loading over HTTP is). Figures go to stdout and bench/results/load.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_query import replicate, sample_nquads  # noqa: E402
from kg.store.load import plan_load, push  # noqa: E402
from kg.rdf.vocab import ID  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def count(base: str) -> int:
    data = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"})
    req = urllib.request.Request(f"{base}/query?{data}", headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=600) as resp:
        named = int(json.load(resp)["results"]["bindings"][0]["n"]["value"])
    data = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    req = urllib.request.Request(f"{base}/query?{data}", headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=600) as resp:
        return named + int(json.load(resp)["results"]["bindings"][0]["n"]["value"])


def serve(binary: str, location: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2).close()
            return proc, base
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("bench: oxigraph serve did not start")
            time.sleep(0.2)


def kg_load(binary: str, path: Path, work: Path, *, chunk_size: int, graph: str | None) -> dict:
    location = work / f"served-{'one' if graph else 'own'}"
    proc, base = serve(binary, location)
    try:
        t0 = time.perf_counter()
        plan = plan_load(path, graph=graph, chunk_size=chunk_size)
        t1 = time.perf_counter()
        report = push(plan, f"{base}/store")
        t2 = time.perf_counter()
        stored = count(base)
    finally:
        proc.terminate()
        proc.wait(30)
        shutil.rmtree(location, ignore_errors=True)
    return {"seconds": t2 - t0, "read_sort_seconds": t1 - t0, "http_seconds": t2 - t1, "triples": plan.triples,
            "graphs": len(plan.graphs), "chunks": report.chunks, "stored": stored,
            "triples_per_s": plan.triples / (t2 - t0)}


def bulk_load(binary: str, path: Path, work: Path, triples: int) -> dict:
    location = work / "bulk"
    t0 = time.perf_counter()
    subprocess.run([binary, "load", "--location", str(location), "--file", str(path)], check=True,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - t0
    shutil.rmtree(location, ignore_errors=True)
    return {"seconds": seconds, "triples": triples, "triples_per_s": triples / seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="quads in the synthetic graph (default 1M)")
    parser.add_argument("--chunk-size", type=int, default=50_000, help="triples per kg load request")
    parser.add_argument("--graph", help="seed graph file (default: the sample page, built now)")
    parser.add_argument("--oxigraph", default=shutil.which("oxigraph"), help="the oxigraph binary")
    args = parser.parse_args(argv)
    if not args.oxigraph:
        raise SystemExit("bench: needs the oxigraph binary (pip install oxigraph)")
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    try:
        text, copies = replicate(sample_nquads(args.graph), args.triples)
        path = work / "graph.nq"
        path.write_text(text, encoding="utf-8")
        n = text.count("\n")
        print(f"bench: {n:,} quads ({copies} copies of the sample graph), {path.stat().st_size / 1e6:.0f} MB",
              file=sys.stderr)
        del text
        own = kg_load(args.oxigraph, path, work, chunk_size=args.chunk_size, graph=None)
        one = kg_load(args.oxigraph, path, work, chunk_size=args.chunk_size, graph=str(ID["graph/bench"]))
        bulk = bulk_load(args.oxigraph, path, work, n)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    version = subprocess.run([args.oxigraph, "--version"], capture_output=True, text=True).stdout.strip()
    result = {"quads": n, "chunk_size": args.chunk_size, "kg_load_own_graphs": own, "kg_load_one_graph": one,
              "oxigraph_load": bulk, "ratio_own": own["seconds"] / bulk["seconds"],
              "ratio_one": one["seconds"] / bulk["seconds"], "oxigraph": version,
              "python": platform.python_version(), "cpus": __import__("os").cpu_count()}
    rows = [("kg load, the file's own graphs", own), ("kg load --graph (one graph)", one),
            ("oxigraph load (bulk loader)", bulk)]
    print(f"{'':34} {'seconds':>8} {'triples/s':>11}  notes")
    for name, r in rows:
        notes = ""
        if "chunks" in r:
            notes = (f"{r['graphs']:,} graphs, {r['chunks']:,} requests; read+sort {r['read_sort_seconds']:.1f} s, "
                     f"HTTP {r['http_seconds']:.1f} s; stored {r['stored']:,}")
        print(f"{name:34} {r['seconds']:8.1f} {r['triples_per_s']:11,.0f}  {notes}")
    print(f"kg load / oxigraph load: {result['ratio_own']:.1f}x (own graphs), {result['ratio_one']:.1f}x (one graph)")
    out = ROOT / "bench" / "results" / "load.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for r in (own, one):
        if r["stored"] != r["triples"]:
            print(f"bench: the store holds {r['stored']:,} triples, not {r['triples']:,}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
