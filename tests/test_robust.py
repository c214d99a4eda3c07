"""Bad and hostile input: no crash, no offsets violation, Turtle every parser reads, old output kept on a kill."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pyoxigraph
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.rdf.serialize import serialize
from kg.rdf.graph import build_dataset
from kg.model import Document
from kg.pipeline import collect


def _check(text: str) -> None:
    """Build ``text`` as a page; every offset holds and the Turtle and N-Quads parse in rdflib and pyoxigraph."""
    built = collect([Document("fuzz", "page", text)])
    texts = {a.id: a for p in built.pages for a in p.articles}
    for m in built.records.mentions:
        assert texts[m.article_id].text[m.start:m.end] == m.text
    for art in texts.values():
        for b in art.blocks:
            assert b.text == "".join(text[i] for i in b.offsets)
    ds = build_dataset(built.pages, built.records, built.entities)
    ttl = serialize(ds, "ttl")
    g = rdflib.Graph().parse(data=ttl, format="turtle")
    store = pyoxigraph.Store()
    store.load(ttl.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(g)
    nq = serialize(ds, "nq")
    store2 = pyoxigraph.Store()
    store2.load(nq.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    assert len(store2) == sum(len(g) for g in ds.graphs())  # quads: a triple may stand in two article graphs


_cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
_piece = st.one_of(
    st.text(_cjk, min_size=1, max_size=18),
    st.text(_cjk, min_size=2, max_size=16).map(lambda s: s + "。"),
    st.sampled_from([
        "●观 点", "（作者单位：某某大学（某某学院））", "（作者为某某省委常委、宣传部部长", "（张三 整理）",
        "——某某大学教授 李四", "王五 赵六", "一是加强工会建设。", "第二，完善制度。", "“两个确立”", "《某某条例》",
        "<script>alert(1)</script>", "\"引号\"与'单引号'", "\\u0000 \\n", "（《“", "》）”", "\t\u3000", "𠀀𠀁", "💡",
    ]),
    st.text(max_size=10),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(_piece, min_size=1, max_size=30), st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_robust_page_like_text_builds_valid_rdf(pieces, sep):
    text = sep.join(pieces).replace("\r\n", "\n")
    if text.strip():
        _check(text)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_robust_random_truncations_of_the_sample(sample_text, data):
    a = data.draw(st.integers(0, len(sample_text) - 1))
    b = data.draw(st.integers(a + 1, len(sample_text)))
    if sample_text[a:b].strip():
        _check(sample_text[a:b])


@pytest.mark.parametrize(
    "name, text",
    [
        ("unmatched brackets", "标题\n\n张三\n\n（作者单位：某某大学\n\n《未闭合的书名号与“未闭合的引号，还有（括号。\n"),
        ("byline with no body", "某某标题\n\n张三 李四\n"),
        ("only headings", "\n\n".join(["加强职业教育与培训", "鼓励企业承担主体责任", "畅通技能人才职业发展通道"])),
        ("script and quotes", "标题<script>alert(1)</script>\n\n张三\n\n正文里有<script>alert(\"x\")</script>和\"引号\"、'单引号'与\\反斜杠。\n"),
        ("extremely long name", "标题\n\n张三\n\n" + "中国" + "研究" * 300 + "院的专家指出，" + "某" * 2000 + "条例要落实。\n"),
        ("ten thousand enumerated items", "标题\n\n张三\n\n" + "".join(f"{'一二三四五六七八九十'[i % 10]}是加强第{i}项工作。" for i in range(10000)) + "\n"),
        ("full-width spaces and NUL", "\u3000\u3000标题\u3000\n\n\u3000张三\n\n\u3000\u3000正文\x00内容。\n"),
        ("traditional characters", "認真學習貫徹黨的二十大精神\n\n張三\n\n中華全國總工會召開座談會，習近平總書記強調團結。\n"),
    ],
    ids=lambda x: x if len(x) < 40 else "",
)
def test_robust_hostile_pages(name, text):
    _check(text)


def test_robust_turtle_escapes_what_comes_from_the_text():
    text = '标题"""\'\'\'<>\\\n\n张三\n\n正文含有"""三引号"""与\\u0041转义、<http://x>和@prefix x: <y> .。\n'
    _check(text)


@pytest.mark.slow
def test_robust_killed_build_leaves_old_output_and_reruns(tmp_path, sample_text):
    src = tmp_path / "src"
    src.mkdir()
    rng = random.Random(0)
    paras = sample_text.split("\n\n")
    for i in range(16):
        rng.shuffle(paras)
        (src / f"p{i:03d}.txt").write_text(sample_text if i == 0 else "\n\n".join(paras), encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "kg", "build", str(src / "p000.txt"), "-o", str(out), "--no-html", "--no-store", "--no-validate", "-q", "-j", "1"]
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
    cmd[4] = str(src)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cache = out / "cache"
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        if cache.is_dir() and len(list(cache.rglob("*.json"))) >= 3:
            break
        time.sleep(0.1)
    assert proc.poll() is None, "the build ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # the previous output is intact (a killed run may leave only hidden temporary files)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert after == before
    cmd.remove("-q")
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "16 page(s)" in done.stdout
    assert (out / "graph.ttl").read_bytes() != before["graph.ttl"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src"]  # the killed build's staging folder and lock are gone


def _descendants(pid: int) -> set[int]:
    """Processes below ``pid`` (children, their children …), from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _reap(children: set[int], seconds: float = 30) -> list[int]:
    """Wait up to ``seconds`` for ``children`` to end; kill those still alive (never leave them running) and name them."""
    deadline = time.time() + seconds
    while time.time() < deadline and any(_alive(p) for p in children):
        time.sleep(0.2)
    left = [p for p in children if _alive(p)]
    for p in left:
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass
    return left


def _interrupted_build(tmp_path, sample_text):
    """A -j 2 build of 16 pages into a folder a build wrote before, started and caught while its workers run."""
    src = tmp_path / "src"
    src.mkdir()
    rng = random.Random(1)
    paras = sample_text.split("\n\n")
    for i in range(16):
        rng.shuffle(paras)
        (src / f"p{i:03d}.txt").write_text("\n\n".join(paras), encoding="utf-8")
    out = tmp_path / "out"
    first = [sys.executable, "-m", "kg", "build", str(src / "p000.txt"), "-o", str(out), "--no-html", "-q", "-j", "1"]
    assert subprocess.run(first, capture_output=True).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    # files, not pipes: a worker that outlives the build would hold a pipe open, and the test would wait on it
    with (tmp_path / "stderr").open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(src), "-o", str(out), "--no-html",
                                 "--no-cache", "-j", "2"], stdout=subprocess.DEVNULL, stderr=err)
    deadline = time.time() + 120
    children: set[int] = set()
    while time.time() < deadline and proc.poll() is None:
        children = _descendants(proc.pid)
        if len(children) >= 3 and any(tmp_path.glob(".out.*.new")):  # two workers and the resource tracker
            time.sleep(1.0)  # the workers are at work
            children = _descendants(proc.pid)
            break
        time.sleep(0.1)
    assert proc.poll() is None and len(children) >= 3, "the build ended before its workers could be seen"
    return proc, out, before, children


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_robust_sigterm_and_sighup_clean_up_like_ctrl_c(tmp_path, sample_text, sig):
    proc, out, before, children = _interrupted_build(tmp_path, sample_text)
    os.kill(proc.pid, sig)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
        pytest.fail("the build did not stop within 60 s of the signal")
    finally:
        left = _reap(children)
    err = (tmp_path / "stderr").read_text(encoding="utf-8")
    assert proc.returncode == 128 + sig and "[E090] interrupted" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src", "stderr"]  # no staging folder, no lock
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert not left, "workers outlived the build"


@pytest.mark.slow
def test_robust_workers_die_with_a_killed_build(tmp_path, sample_text):
    proc, out, before, children = _interrupted_build(tmp_path, sample_text)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    left = _reap(children)
    assert not left, "workers outlived the build killed with SIGKILL"
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
