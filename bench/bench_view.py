"""How long the HTML view takes to settle at 2,000 nodes, against baselines measured in the same run.

Run ``python bench/bench_view.py [--repeat 3] [--nodes 2000] [--base 200]`` (needs /usr/bin/chromium).
It renders synthetic graphs in the shape of docs/GRAPH.md (tests/viewgraphs.py), opens each
view in headless Chromium with the network off and reads the page's own ``kgView.stabilizedMs``
(from creating the network to the end of the layout; the page stops the layout after a time
budget, so large graphs report how many iterations fitted in it). Baselines, measured in the same run:

* the same view of a ``--base``-node graph (how the layout scales), and
* the same 2,000-node page without the time budget (all 400 layout iterations), and
* the same 2,000-node page with pyvis's default options (barnesHut, 1,000 stabilization
  iterations, dynamic smooth edges, no time budget): what a default pyvis dump would cost.

Figures go to stdout and to bench/results/view.json (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser import BrowserError, Chromium, have_chromium  # noqa: E402
from kg.export.html import build_view, render_html  # noqa: E402
from viewgraphs import synthetic_graph  # noqa: E402

OPTIONS = re.compile(r'(<script type="application/json" id="kg-options">)(.*?)(</script>)', re.S)


def without_budget(page: str) -> str:
    """The same page with no time budget: the layout runs all its iterations."""
    return page.replace('"budget_ms":', '"budget_ms":1e12,"was_budget_ms":', 1)


def pyvis_default_page(page: str) -> str:
    """The same page with pyvis's default vis-network options (and no time budget) instead of ours."""
    from pyvis.options import Options

    default = json.loads(Options().to_json())
    return without_budget(OPTIONS.sub(lambda m: m.group(1) + json.dumps(default) + m.group(3), page, count=1))


def settle(browser: Chromium, path: Path, timeout: float) -> dict:
    t0 = time.perf_counter()
    browser.open(path)
    try:
        browser.wait_for("window.kgView && window.kgView.stabilized", timeout=timeout, interval=0.05)
    except BrowserError:
        return {"settled": False, "wall_s": round(time.perf_counter() - t0, 2)}
    return {"settled": True, "layout_ms": round(browser.eval("kgView.stabilizedMs")),
            "wall_s": round(time.perf_counter() - t0, 2), "drawn": browser.eval("kgView.drawn()"),
            "iterations": browser.eval("kgView.iterations"),
            "stopped_by_budget": browser.eval("kgView.cut")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=2000)
    ap.add_argument("--base", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=60.0, help="give up on one layout after this many seconds")
    ap.add_argument("--no-default", action="store_true", help="skip the pyvis-default baseline")
    args = ap.parse_args(argv)
    if not have_chromium():
        print("bench_view: /usr/bin/chromium is missing (apt-get install chromium fonts-noto-cjk)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="kg-bench-view-"))
    pages: dict[str, Path] = {}
    render_s = {}
    for n in (args.base, args.nodes):
        graph = synthetic_graph(n)
        t0 = time.perf_counter()
        page = render_html(graph, max_nodes=max(args.nodes, args.base))
        render_s[n] = round(time.perf_counter() - t0, 3)
        stats = build_view(graph, max_nodes=max(args.nodes, args.base)).stats
        pages[f"newskg-{n}"] = work / f"view-{n}.html"
        pages[f"newskg-{n}"].write_text(page, encoding="utf-8")
        if n == args.nodes:
            pages[f"newskg-no-budget-{n}"] = work / f"view-no-budget-{n}.html"
            pages[f"newskg-no-budget-{n}"].write_text(without_budget(page), encoding="utf-8")
        if n == args.nodes and not args.no_default:
            pages[f"pyvis-default-{n}"] = work / f"default-{n}.html"
            pages[f"pyvis-default-{n}"].write_text(pyvis_default_page(page), encoding="utf-8")
        print(f"graph {n}: {stats.nodes} nodes, {stats.edges} edges; render {render_s[n]} s", file=sys.stderr)
    runs: dict[str, list[dict]] = {k: [] for k in pages}
    with Chromium() as browser:
        for rep in range(args.repeat):  # interleaved, so that load on the machine hits every case alike
            for name, path in pages.items():
                if name.startswith("pyvis-default") and rep and not any(r["settled"] for r in runs[name]):
                    continue  # it did not settle once: do not wait for it again
                runs[name].append(settle(browser, path, args.timeout))
                if browser.external_requests():
                    print(f"bench_view: {name} tried the network: {browser.external_requests()}", file=sys.stderr)
                    return 1
    summary = {}
    for name, rs in runs.items():
        done = [r["layout_ms"] for r in rs if r["settled"]]
        its = [r["iterations"] for r in rs if r["settled"]]
        summary[name] = {"median_ms": statistics.median(done) if done else None, "runs": rs,
                         "settled": f"{len(done)}/{len(rs)}", "median_iterations": statistics.median(its) if its else None}
    ours, base = summary[f"newskg-{args.nodes}"]["median_ms"], summary[f"newskg-{args.base}"]["median_ms"]
    result = {
        "bench": "view", "when": time.strftime("%Y-%m-%dT%H:%M:%S"), "machine": platform.machine(),
        "python": platform.python_version(), "chromium": browser_version(),
        "render_s": render_s, "cases": summary,
        "ratio_vs_base": round(ours / base, 2) if ours and base else None,
    }
    default = summary.get(f"pyvis-default-{args.nodes}", {}).get("median_ms")
    if default:
        result["ratio_vs_pyvis_default"] = round(ours / default, 3)
    elif ours and not args.no_default:
        result["ratio_vs_pyvis_default_below"] = round(ours / (args.timeout * 1000), 3)
    out = ROOT / "bench" / "results" / "view.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    for name, s in summary.items():
        print(f"{name:>22}: median {s['median_ms']} ms to settle ({s['settled']} settled, "
              f"median {s['median_iterations']} layout iterations)")
    print(f"{args.nodes} nodes / {args.base} nodes: x{result['ratio_vs_base']}")
    if "ratio_vs_pyvis_default" in result:
        print(f"ours / pyvis default at {args.nodes} nodes: x{result['ratio_vs_pyvis_default']}")
    elif not args.no_default:
        print(f"pyvis default at {args.nodes} nodes: did not settle within {args.timeout:.0f} s, "
              f"so ours / pyvis default < x{ours / (args.timeout * 1000):.3f}")
    return 0


def browser_version() -> str:
    import subprocess

    try:
        return subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True,
                              timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
