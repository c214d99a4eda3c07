"""``kg build --engine dask`` on a real cluster: one worker against two, the same bytes as ``-j 1``.

Run ``python bench/bench_dask.py [--corpus FILE] [--items N] [--workers 1 2]``.

The cluster is started the way ``docs/SCALE.md`` tells users to: ``dask scheduler`` and one
``dask worker ADDRESS --nthreads 1`` process per worker, here on loopback; each build runs
in a fresh process against it, and the cluster is stopped after each. A cluster is measured
running: a build of the first 20 items goes first (the workers load the model on their first
chunk), then the whole corpus is built and timed, then the 20 items again, whose costs are
subtracted to give the costs per page. Measured in one run:

1. ``kg build -j 1`` (the reference: seconds, CPU seconds, the graph files);
2. for each number of workers: the build's seconds, the CPU seconds of the build process
   (the parent: reading, resolving, writing, the store, validating the corpus part), of the
   workers (their processes and children) and of the scheduler, and whether the graph files
   are the bytes of ``-j 1``. Target: two workers >= 1.7x one.

From the per-page CPU costs of the parent and of the workers it projects how many workers one
parent keeps busy (worker CPU per page / parent CPU per page) and how long 10 million
articles take with that many workers. The projection assumes each worker has a core of its
own; on a machine whose cores are shared with other work the measured wall times say less
than the CPU times. Figures go to stdout and ``bench/results/dask-<items>.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from bench_whole import DEFAULT, RESULTS, jsonl, run_build, workspace  # noqa: E402

#: Seconds to wait for the scheduler to write its address, and for the workers to join.
START_DEADLINE = 120
#: Seconds a process gets to end after SIGTERM before it is killed.
STOP_DEADLINE = 20


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}


def _stop(procs: list[subprocess.Popen]) -> None:
    """End every process started (workers first), each within :data:`STOP_DEADLINE` seconds, else kill it."""
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
    for p in reversed(procs):
        try:
            p.wait(timeout=STOP_DEADLINE)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=STOP_DEADLINE)


def _tree_cpu(pids: list[int]) -> float:
    """CPU seconds of these processes and their children (psutil, which distributed depends on)."""
    import psutil

    total = 0.0
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(pid)
            for p in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    t = p.cpu_times()
                    total += t.user + t.system
    return total


@contextlib.contextmanager
def cluster(workers: int, workdir: Path):
    """A scheduler and ``workers`` one-thread workers on loopback, as docs/SCALE.md starts them:
    ``(address, scheduler pid, worker pids)``; every process is ended on the way out."""
    procs: list[subprocess.Popen] = []
    env = _env()
    sched_file = workdir / f"scheduler-{workers}.json"
    sched_file.unlink(missing_ok=True)
    logs = [open(workdir / f"dask-{workers}-{i}.log", "wb") for i in range(workers + 1)]
    try:
        procs.append(subprocess.Popen(["dask", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                       "--scheduler-file", str(sched_file)], env=env, stdout=logs[0], stderr=subprocess.STDOUT))
        deadline = time.monotonic() + START_DEADLINE
        while not sched_file.exists() or not sched_file.read_text().strip():
            if time.monotonic() > deadline or procs[0].poll() is not None:
                raise RuntimeError(f"bench: the dask scheduler did not start (see {workdir})")
            time.sleep(0.2)
        time.sleep(0.2)
        address = json.loads(sched_file.read_text())["address"]
        for i in range(workers):
            procs.append(subprocess.Popen(["dask", "worker", address, "--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1",
                                           "--no-dashboard", "--name", f"w{i}"], env=env, stdout=logs[i + 1], stderr=subprocess.STDOUT))
        from dask.distributed import Client

        with Client(address, timeout=START_DEADLINE) as client:
            client.wait_for_workers(workers, timeout=START_DEADLINE)
        yield address, procs[0].pid, [p.pid for p in procs[1:]]
    finally:
        _stop(procs)
        for f in logs:
            f.close()


#: Items of the small build whose costs are subtracted to get the costs per page.
SMALL = 20

FILES = ("graph.nq", "graph.ttl", "graph.trig", "graph.jsonld", "report.json")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT)
    ap.add_argument("--items", type=int, default=None, help="the first N items of the corpus only")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args(argv)
    work, recs, corpus = workspace(args, "kg-bench-dask-")
    res: dict = {"corpus": args.corpus.name, "items": len(recs), "cpus": os.cpu_count(), "loadavg_start": os.getloadavg(),
                 "runs": {}}
    ref = run_build([corpus], work / "j1", "-j", "1")
    res["runs"]["j1"] = ref
    pages = ref["articles"]  # one item, one page, one article
    print(f"kg build -j 1: {ref['seconds']:.1f} s ({ref['cpu_seconds']:.1f} CPU s)", flush=True)
    small = jsonl(work / f"first-{SMALL}.jsonl", recs[:SMALL])
    for n in args.workers:
        with cluster(n, work) as (address, sched, workers):
            # the workers load the model on their first build: one of SMALL items first, so the figures
            # per page are of a cluster that is running (the seconds of the build are measured cold, as -j 1's)
            w_cold = _tree_cpu(workers)
            warm = run_build([small], work / f"dask-{n}-warm", "--engine", "dask", "--scheduler", address)
            warm["workers_cpu_seconds"] = _tree_cpu(workers) - w_cold
            w0, s0 = _tree_cpu(workers), _tree_cpu([sched])
            r = run_build([corpus], work / f"dask-{n}", "--engine", "dask", "--scheduler", address)
            r["workers_cpu_seconds"] = _tree_cpu(workers) - w0
            r["scheduler_cpu_seconds"] = _tree_cpu([sched]) - s0
            w1 = _tree_cpu(workers)
            r_small = run_build([small], work / f"dask-{n}-small", "--engine", "dask", "--scheduler", address)
            r_small["workers_cpu_seconds"] = _tree_cpu(workers) - w1
        r["small"], r["warm_up"] = r_small, warm
        r["same_bytes_as_j1"] = all((work / f"dask-{n}" / f).read_bytes() == (work / "j1" / f).read_bytes() for f in FILES)
        # per page, the build's fixed costs (starting Python, imports, the shapes, the store) left out:
        # the difference between the whole corpus and its first SMALL items, over the pages between
        r["parent_cpu_ms_per_page"] = 1000 * (r["cpu_seconds"] - r_small["cpu_seconds"]) / (pages - SMALL)
        r["worker_cpu_ms_per_page"] = 1000 * (r["workers_cpu_seconds"] - r_small["workers_cpu_seconds"]) / (pages - SMALL)
        r["parent_fixed_cpu_seconds"] = r_small["cpu_seconds"] - SMALL * r["parent_cpu_ms_per_page"] / 1000
        res["runs"][f"dask{n}"] = r
        print(f"dask, {n} worker(s): {r['seconds']:.1f} s; CPU: build process {r['cpu_seconds']:.1f} s"
              f" ({r['parent_cpu_ms_per_page']:.1f} ms/page beyond {r['parent_fixed_cpu_seconds']:.1f} s fixed), workers {r['workers_cpu_seconds']:.1f} s"
              f" ({r['worker_cpu_ms_per_page']:.1f} ms/page), scheduler {r['scheduler_cpu_seconds']:.1f} s;"
              f" same bytes as -j 1: {r['same_bytes_as_j1']}", flush=True)
    runs = res["runs"]
    if "dask1" in runs and "dask2" in runs:
        res["speedup_2_vs_1"] = runs["dask1"]["seconds"] / runs["dask2"]["seconds"]
        print(f"two workers: {res['speedup_2_vs_1']:.2f}x one (target >= 1.7); one worker: "
              f"{runs['dask1']['seconds'] / ref['seconds']:.2f}x the time of -j 1", flush=True)
    last = runs[f"dask{max(args.workers)}"]
    feed = last["worker_cpu_ms_per_page"] / last["parent_cpu_ms_per_page"]
    res["workers_one_parent_feeds"] = feed
    per_page = max(last["worker_cpu_ms_per_page"] / feed, last["parent_cpu_ms_per_page"]) / 1000
    res["projected_10m_hours"] = 1e7 * per_page / 3600
    print(f"one build process keeps {feed:.0f} worker cores busy; 10 million articles with them: "
          f"{res['projected_10m_hours']:.0f} h", flush=True)
    res["loadavg_end"] = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"dask-{len(recs)}.json").write_text(json.dumps(res, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
