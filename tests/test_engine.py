"""Engines: the same graph, in the same order, whatever runs the per-page work."""

from __future__ import annotations

import importlib.util
import os

import pytest

from kg.pipeline import BuildOptions, BuildResult, build
from kg.pipeline.engines import map_pages
from kg.pipeline.work import process_document
from kg.errors import EngineError
from kg.model import Document, Skip
from kg.pipeline.loop import run
from kg.pipeline.writers import MemoryWriter

SMALL = "标题{i}\n\n张三\n\n正文第{i}段，写到了北京。"


def _docs(n: int) -> list[Document]:
    return [Document(f"p{i}", "page", SMALL.format(i=i)) for i in range(n)]


def _build(corpus, out, **kw) -> dict:
    return build(BuildOptions((str(corpus),), out, formats=("nq", "ttl"), html=False, store=False, validate=False, **kw)).report


@pytest.mark.parametrize("jobs, window", [(1, None), (2, None), (2, 1)])
def test_engine_map_pages_keeps_input_order(jobs, window):
    docs = _docs(6)
    got = list(map_pages(docs, jobs=jobs, window=window))
    assert [page.id for page, _ in got] == [d.id for d in docs]
    assert [x for _, x in got] == [process_document(d)[1] for d in docs]


def test_engine_map_pages_reads_lazily():
    seen = []

    def docs():
        for d in _docs(50):
            seen.append(d.id)
            yield d

    it = map_pages(docs(), jobs=1, window=4)
    next(it)
    assert len(seen) <= 6  # the window, not the corpus
    it.close()


@pytest.mark.parametrize("engine, jobs", [("spark", 1), ("local", 1)])
def test_engine_rejects_unknown_engine(engine, jobs):
    if engine == "local":
        assert list(map_pages([], jobs=jobs, engine=engine)) == []
        return
    with pytest.raises(EngineError, match=r"\[E070\]"):
        list(map_pages(_docs(1), jobs=jobs, engine=engine))


def test_engine_skips_keep_input_order():
    items = [Skip("x0", "r0"), Document("e1", "page", ""), *_docs(3), Skip("x5", "r5"), Document("e6", "page", "  ")]
    t = run(items, MemoryWriter(), jobs=2)
    assert [s.path for _, s in t.skipped] == ["x0", "e1", "x5", "e6"]
    assert [p.id for p in t.written.pages] == ["p0", "p1", "p2"]


def test_engine_jobs_give_byte_identical_graph(small_corpus, small_corpus_build, tmp_path):
    report = _build(small_corpus, tmp_path, jobs=2)
    assert report["pages"] == 4
    for name in ("graph.nq", "graph.ttl"):
        assert (tmp_path / name).read_bytes() == (small_corpus_build / name).read_bytes(), name


def test_engine_one_node_per_person_across_pages(small_corpus_build):
    nq = (small_corpus_build / "graph.nq").read_text(encoding="utf-8").splitlines()
    person = "<https://w3id.org/newskg/id/person/张冬梅>"  # 张冬梅, on all four pages
    typed = [l for l in nq if l.startswith(person + " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>")]
    graphs = {l.rsplit(" ", 2)[-2] for l in nq if "taIdentRef> " + person in l}
    assert len(typed) == 1
    assert len(graphs) == 4


def _dask_or_skip():
    if importlib.util.find_spec("dask") is None or importlib.util.find_spec("distributed") is None:
        if os.environ.get("CI"):
            pytest.fail('Dask is missing in CI: .ci/run must install "newskg[dask]"')
        pytest.skip('needs Dask: pip install "newskg[dask]"')


def test_engine_dask_local_cluster_gives_same_graph(small_corpus, small_corpus_build, tmp_path):
    _dask_or_skip()
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        report = _build(small_corpus, tmp_path, engine="dask", scheduler=cluster.scheduler_address, jobs=2)
    assert report["pages"] == 4
    assert (tmp_path / "graph.nq").read_bytes() == (small_corpus_build / "graph.nq").read_bytes()


@pytest.mark.slow  # starts a scheduler and two worker processes
def test_engine_dask_cluster_of_two_workers_gives_same_bytes_as_one_job(dask_cluster, small_corpus, small_corpus_build,
                                                                        tmp_path, monkeypatch):
    import kg.pipeline.engines as engines

    monkeypatch.setattr(engines, "CHUNK_CHARS", 1)  # a chunk a page: both workers get pages of the four
    report = _build(small_corpus, tmp_path, engine="dask", scheduler=dask_cluster)
    assert report["pages"] == 4
    for name in ("graph.nq", "graph.ttl"):
        assert (tmp_path / name).read_bytes() == (small_corpus_build / name).read_bytes(), name


def test_engine_dask_unreachable_scheduler_is_an_engine_error():
    _dask_or_skip()
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), pytest.raises(EngineError, match=r"\[E072\]"):
        list(map_pages(_docs(1), engine="dask", scheduler="tcp://127.0.0.1:9"))


@pytest.mark.parametrize("argv, expected", [
    (["-j", "2", "--no-cache"], {"jobs": 2, "cache": None}),
    (["--engine", "dask", "--scheduler", "tcp://h:8786"], {"engine": "dask", "scheduler": "tcp://h:8786"}),
    (["--scheduler", "tcp://h:8786"], {"engine": "dask", "scheduler": "tcp://h:8786"}),
    (["--cache", "C"], {"cache": "C"}),
    ([], {"jobs": None, "engine": "local", "cache": "OUT/cache"}),
])
def test_engine_cli_options_reach_build(kg_cli, monkeypatch, argv, expected):
    seen = {}

    def fake_build(opts, progress=None):
        seen.update(jobs=opts.jobs, engine=opts.engine, scheduler=opts.scheduler,
                    cache=None if opts.cache is None else str(opts.cache))
        return BuildResult({"skipped": []}, opts.output, 0.0)

    monkeypatch.setattr("kg.pipeline.build", fake_build)
    code, out, _ = kg_cli("build", "source", "-o", "OUT", "-q", *argv)
    assert code == 0
    assert {k: seen[k] for k in expected} == expected


def test_engine_progress_off_a_terminal_a_short_build_prints_its_summary(kg_cli, small_corpus, tmp_path):
    code, out, err = kg_cli("build", small_corpus, "-o", tmp_path, "-j", "1", "--no-cache", "--format", "nq",
                            "--no-html", "--no-store", "--no-validate")
    assert code == 0 and "4 page(s)" in out and len(out.splitlines()) == 1
    assert err == ""  # progress lines come every few seconds; this build takes less
