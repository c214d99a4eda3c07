"""The same input gives the same output files, whatever else happened (issue 11).

Two runs, two hash seeds, ``-j 1`` and ``-j 2``, a cold and a warm cache, and the
inputs in another order must give the same files; a page must give the same records
whatever pages its process extracted before it.

How the builds are made comparable:

- each build runs in a fresh process (``python -m kg build``) with the ``kg`` under
  test, so that nothing another test extracted is in its memory; only
  :func:`test_determinism_two_runs_in_one_process` builds twice in this process, on purpose;
- every build writes into the same folder (``out/``), which is then moved to the
  build's name, so the paths inside report.json and void.ttl are the same;
- every file of the two folders is compared byte for byte (:func:`output_diffs` lists
  the folders, so a new output file is compared too), ``cache/`` left out, ``store/``
  compared by its quads; report.json and void.ttl are compared as they are too: they
  hold no time, no machine path, nothing of the engine, the jobs or the cache.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

import kg

#: The source tree of the ``kg`` under test: the fresh processes import the same code.
CODE = Path(kg.__file__).resolve().parents[1]

#: Options of every build (besides ``-j``): no SHACL validation (it writes nothing and
#: takes three quarters of the time).
FLAGS = ("--no-validate",)

# ---- the inputs

#: Page P and page Q (People's Daily-like Markdown, a byline each). P's author is 李明, Q's
#: 李明华; both datelines read "记者李明华东报道", which LAC tags as one person "李明华东".
#: P proves 李明, so the NER cuts 李明|华东 -> 李明; Q proves 李明华. If Q's name is still
#: in the tokenizer when P is cut, the cut is 李明华|东 and P mentions 李明华.
PROVEN = {
    "p.md": """---
title: "华东地区秋粮收购进度过半"
date: 2025-10-20
author: "李明"
---

记者李明华东报道：今年华东地区秋粮收购进度过半，各地粮食部门加强调度，保障农民售粮顺畅。

江苏、浙江、安徽等地粮食部门表示，将继续做好收购服务。
""".encode("utf-8"),
    "q.md": """---
title: "华东地区秋粮收购进度过半 多地加快烘干设施建设"
date: 2025-10-21
author: "李明华"
---

记者李明华东报道：今年华东地区秋粮收购进度过半，各地粮食部门加强调度，保障农民售粮顺畅。

多地加快烘干设施建设，减少粮食产后损失。
""".encode("utf-8"),
}


@dataclass(frozen=True)
class Run:
    """One ``kg build`` of a corpus folder, written into ``out/`` and moved to ``<name>/``."""

    corpus: str = "real"  # "real": det_corpus (sample page, 新闻联播, People's Daily); "proven": PROVEN
    created: str = "sorted"  # files created (and their mtimes set) in "sorted" or "reversed" name order
    records: str = "as-is"  # the JSON Lines file's records "as-is" or "reversed"
    inputs: tuple[str, ...] | str = "folder"  # the folder itself, or these of its files in this order
    seed: str = "1"  # PYTHONHASHSEED
    jobs: int = 1
    cache_of: str | None = None  # read (and fill) the page cache of this earlier build: --cache BUILD/cache
    into: str | None = None  # build into a copy of this earlier build (its cache warm)


def _files(names, order: str) -> tuple[str, ...]:
    return tuple(sorted(names, reverse=order == "reversed"))


#: Every build the tests compare, by name.
RUNS = {
    "ref": Run(),
    "seed-2": Run(seed="2"),
    "jobs-2": Run(jobs=2),
    "warm-same-folder": Run(into="ref"),
    "args-sorted": Run(inputs="sorted"),
    "args-reversed": Run(inputs="reversed"),
    "warm-other-folder": Run(cache_of="args-reversed"),
    "created-reversed": Run(created="reversed"),
    "records-reversed": Run(records="reversed"),
    "proven-pq": Run(corpus="proven", inputs=("p.md", "q.md")),
    "proven-qp": Run(corpus="proven", inputs=("q.md", "p.md")),
    "proven-qp-jobs-2": Run(corpus="proven", inputs=("q.md", "p.md"), jobs=2),
    "proven-p": Run(corpus="proven", inputs=("p.md",)),
    "proven-p-warm-other": Run(corpus="proven", inputs=("p.md",), cache_of="proven-qp"),
}


def write_corpus(folder: Path, files: dict[str, bytes], run: Run) -> None:
    """(Re)create ``folder`` with ``files``, created and timestamped in the order ``run`` says."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for i, name in enumerate(_files(files, run.created)):
        data = files[name]
        if name.endswith(".jsonl") and run.records == "reversed":
            data = b"".join(reversed(data.splitlines(keepends=True)))
        (folder / name).write_bytes(data)
        os.utime(folder / name, (1_700_000_000 + i, 1_700_000_000 + i))


def kg_env(seed: str = "1") -> dict[str, str]:
    """The environment of a fresh ``kg`` process: the code under test first on the path, a fixed hash seed."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(CODE), env.get("PYTHONPATH", "")) if p)
    env["PYTHONHASHSEED"] = seed
    return env


def built(det_builds, det_corpus, name: str) -> Path:
    """The output folder of the build ``RUNS[name]``, made once per session (the builds it reads first)."""
    root, memo = det_builds
    if name in memo:
        return memo[name]
    run = RUNS[name]
    for before in (run.cache_of, run.into):
        if before:
            built(det_builds, det_corpus, before)
    corpus = root / run.corpus
    write_corpus(corpus, det_corpus if run.corpus == "real" else PROVEN, run)
    out = root / "out"
    if out.exists():
        shutil.rmtree(out)
    if run.into:
        shutil.copytree(memo[run.into], out)
    if run.inputs == "folder":
        paths = [str(corpus)]
    elif isinstance(run.inputs, str):
        paths = [str(corpus / n) for n in _files(os.listdir(corpus), run.inputs)]
    else:
        paths = [str(corpus / n) for n in run.inputs]
    argv = [sys.executable, "-m", "kg", "build", *paths, "-o", str(out), "-j", str(run.jobs), *FLAGS]
    if run.cache_of:
        argv += ["--cache", str(memo[run.cache_of] / "cache")]
    done = subprocess.run(argv, cwd=root, env=kg_env(run.seed), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(argv)}\n{done.stdout}\n{done.stderr}"
    (root / f"{name}.stdout").write_text(done.stdout, encoding="utf-8")  # the summary line
    memo[name] = out.rename(root / name)
    return memo[name]


# ---- comparing two build folders

def _store_quads(folder: Path) -> bytes:
    """The quads of an on-disk Oxigraph store, sorted, as N-Quads."""
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(folder))
    try:
        return "".join(sorted(f"{q} .\n" for q in store)).encode("utf-8")
    finally:
        del store


def _listing(folder: Path) -> list[str]:
    """Every output of a build folder: its files (``cache/`` and the marker that lists it left out) and ``store/`` as one entry."""
    out = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if rel.parts[0] in ("cache", ".newskg-output"):
            continue
        if rel.parts[0] == "store":
            if len(rel.parts) == 1:
                out.append("store/")
            continue
        if p.is_file():
            out.append(rel.as_posix())
    return out


def _content(folder: Path, name: str) -> bytes | None:
    path = folder / name
    if not path.exists():
        return None
    if name == "store/":
        return _store_quads(path)
    return path.read_bytes()


def _first_change(u: str, v: str) -> str:
    """Two long lines around their first differing character."""
    at = next((k for k, (x, y) in enumerate(zip(u, v)) if x != y), min(len(u), len(v)))
    return f"char {at}: {u[max(0, at - 60):at + 120]!r}\n{'':>{len(str(at)) + 10}}{v[max(0, at - 60):at + 120]!r}"


def _describe(name: str, a: bytes | None, b: bytes | None, labels: tuple[str, str]) -> str:
    """Where two versions of an output differ: the differing lines, long lines cut around their first change."""
    if a is None or b is None:
        return f"{name}: only in {labels[0] if b is None else labels[1]}"
    x, y = a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines()
    lines = [f"{name}: {len(a)} and {len(b)} bytes, {len(x)} and {len(y)} lines (- {labels[0]}, + {labels[1]})"]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        lines.append(f"    @@ line {i1 + 1} (-{i2 - i1} +{j2 - j1})")
        if op == "replace" and i2 - i1 == j2 - j1:
            for u, v in zip(x[i1:i2], y[j1:j2]):
                if len(u) > 240 or len(v) > 240:
                    lines.append("    " + _first_change(u, v).replace("\n", "\n    "))
                else:
                    lines += [f"    - {u}", f"    + {v}"]
        else:
            lines += [f"    - {u[:240]}" for u in x[i1:i2]] + [f"    + {v[:240]}" for v in y[j1:j2]]
        if len(lines) > 30:
            lines.append("    …")
            break
    return "\n".join(lines)


def output_diffs(a: Path, b: Path) -> list[str]:
    """What differs between the outputs of two build folders, one entry per output that differs.

    Every file is compared byte for byte (report.json and void.ttl too: they hold no time,
    no machine path, nothing of the engine or the cache), ``cache/`` left out and ``store/``
    compared by its quads.
    """
    out = []
    for name in sorted(set(_listing(a)) | set(_listing(b))):
        x, y = _content(a, name), _content(b, name)
        if x != y:
            out.append(_describe(name, x, y, (a.name, b.name)))
    return out


#: (build, build it must equal, whether the second read its pages from the cache): what a user expects to be the same.
SAME_OUTPUT = [
    pytest.param("ref", "seed-2", False, id="hash-seed-1-vs-2"),
    pytest.param("ref", "jobs-2", False, id="jobs-1-vs-2"),
    pytest.param("proven-qp", "proven-qp-jobs-2", False, id="jobs-1-vs-2-proven-names"),
    pytest.param("ref", "warm-same-folder", True, id="cold-vs-warm-same-folder"),
    pytest.param("ref", "warm-other-folder", True, id="cold-vs-warm-cache-of-other-folder"),
    pytest.param("args-sorted", "args-reversed", False, id="order-command-line"),
    pytest.param("ref", "created-reversed", False, id="order-files-created"),
    pytest.param("ref", "records-reversed", False, id="order-jsonl-records"),
    pytest.param("proven-pq", "proven-qp", False, id="order-command-line-proven-names"),
    pytest.param("proven-p", "proven-p-warm-other", True, id="cold-vs-warm-cache-of-other-pages"),
]


@pytest.mark.slow
@pytest.mark.parametrize("first, second, warm", SAME_OUTPUT)
def test_determinism_build_outputs_equal(det_builds, det_corpus, first, second, warm):
    a, b = built(det_builds, det_corpus, first), built(det_builds, det_corpus, second)
    assert "graph.nq" in _listing(a) and "store/" in _listing(a)
    if warm:  # the second build read every page from the cache
        summary = (b.parent / f"{second}.stdout").read_text(encoding="utf-8")
        assert re.search(r"\([1-9]\d* page\(s\) from cache, 0 extracted\)", summary), summary
    diffs = output_diffs(a, b)
    assert not diffs, f"{first} and {second} differ in {len(diffs)} output(s):\n" + "\n".join(diffs)


@pytest.mark.parametrize("corpus", [pytest.param("real", marks=pytest.mark.slow), "proven"])
def test_determinism_two_runs_in_one_process(tmp_path, det_corpus, kg_cli, corpus):
    """Two builds of the same input in one process: nothing the first leaves behind changes the second.

    With the "proven" pages the first build reads P before Q; the second reads P after
    the first build's Q.
    """
    write_corpus(tmp_path / "corpus", det_corpus if corpus == "real" else PROVEN, Run())
    for name in ("first", "second"):
        code, _, err = kg_cli("build", tmp_path / "corpus", "-o", tmp_path / "out", "-j", "1", *FLAGS)
        assert code == 0, err
        (tmp_path / "out").rename(tmp_path / name)
    diffs = output_diffs(tmp_path / "first", tmp_path / "second")
    assert not diffs, "two runs in one process differ:\n" + "\n".join(diffs)


# ---- the graph whatever the order of the inputs

def _quads(folder: Path) -> dict[str, set[str]]:
    """graph.nq read: graph name ('' for the default graph) -> its triples as N-Triples lines."""
    import pyoxigraph

    graphs: dict[str, set[str]] = defaultdict(set)
    for q in pyoxigraph.parse(path=str(folder / "graph.nq"), format=pyoxigraph.RdfFormat.N_QUADS):
        g = "" if isinstance(q.graph_name, pyoxigraph.DefaultGraph) else str(q.graph_name)
        graphs[g].add(f"{q.subject} {q.predicate} {q.object} .")
    return graphs


def _set_diff(what: str, a: set[str], b: set[str], labels: tuple[str, str]) -> str:
    lines = [f"{what}: {len(a - b)} triple(s) only in {labels[0]}, {len(b - a)} only in {labels[1]}"]
    for mark, only in (("-", sorted(a - b)), ("+", sorted(b - a))):
        lines += [f"    {mark} {t}" for t in only[:6]] + (["    …"] if len(only) > 6 else [])
    return "\n".join(lines)


ORDERS = [
    pytest.param("args-sorted", "args-reversed", id="command-line"),
    pytest.param("ref", "created-reversed", id="files-created"),
    pytest.param("ref", "records-reversed", id="jsonl-records"),
    pytest.param("proven-pq", "proven-qp", id="command-line-proven-names"),
]


@pytest.mark.slow
@pytest.mark.parametrize("first, second", ORDERS)
def test_determinism_input_order_graph(det_builds, det_corpus, first, second):
    """Inputs in another order: each article's named graph, the default graph and the whole graph are the same."""
    a, b = _quads(built(det_builds, det_corpus, first)), _quads(built(det_builds, det_corpus, second))
    labels = (first, second)
    problems = []
    if set(a) != set(b):
        problems.append(f"named graphs only in {first}: {sorted(set(a) - set(b))}; only in {second}: {sorted(set(b) - set(a))}")
    problems += [_set_diff(f"graph <{g}>" if g else "default graph", a[g], b[g], labels)
                 for g in sorted(set(a) & set(b)) if a[g] != b[g]]
    whole_a, whole_b = set().union(*a.values()), set().union(*b.values())
    if whole_a != whole_b:
        problems.append(_set_diff("whole graph (all graphs merged)", whole_a, whole_b, labels))
    assert not problems, "\n".join(problems)


# ---- a page's records whatever its process extracted before

#: Run in a fresh process: extract every page of the files named in argv, in order, and print
#: each page's records (``## <document id>`` and one ``repr`` a line).
EXTRACT = """
import dataclasses, sys
from kg.pipeline.work import process_document
from kg.model import Document
from kg.sources import iter_documents

for doc in iter_documents(sys.argv[1:]):
    if isinstance(doc, Document):
        page, found = process_document(doc)
        print("##", doc.id)
        for field in dataclasses.fields(found):
            for record in getattr(found, field.name):
                print(repr(record))
"""


def _records(folder: Path, *names: str) -> dict[str, list[str]]:
    argv = [sys.executable, "-c", EXTRACT, *(str(folder / n) for n in names)]
    done = subprocess.run(argv, cwd=folder, env=kg_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    pages: dict[str, list[str]] = {}
    for line in done.stdout.splitlines():
        if line.startswith("## "):
            current = pages.setdefault(line[3:], [])
        else:
            current.append(line)
    return pages


@pytest.mark.slow
@pytest.mark.parametrize("before", [
    pytest.param(("q.md", "r.md"), id="after-Q-R"),
    pytest.param(("r.md", "q.md"), id="after-R-Q"),
])
def test_determinism_page_records_whatever_came_before(tmp_path, det_byline_article, before):
    """Page P extracted alone in a fresh process and after pages Q and R in one process: the same records.

    Q proves a name (李明华) that, in jieba's dictionary, cuts P's LAC person token
    李明华东 as 李明华|东 instead of P's own 李明|华东; R is a real People's Daily
    article with a byline of its own (without ../shared, an article of the sample page with its byline).
    """
    files = {**PROVEN, "r.md": det_byline_article}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    alone = _records(tmp_path, "p.md")
    after = _records(tmp_path, *before, "p.md")
    (page,) = alone
    assert alone[page], "page P gave no record"
    diff = list(difflib.unified_diff(alone[page], after[page], "P alone", "P after " + " ".join(before), n=0, lineterm=""))
    assert alone[page] == after[page], "\n".join(diff)
