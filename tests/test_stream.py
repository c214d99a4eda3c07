"""Streaming builds: the same graph as a build in memory, written page by page with flat memory."""

from __future__ import annotations

import json
import subprocess

import rdflib

from kg.pipeline import BuildOptions, build


def _quads(path) -> set:
    ds = rdflib.Dataset()
    ds.parse(path, format="nquads")
    return set(ds.quads((None, None, None, None)))


def test_stream_gives_the_same_quads_as_a_build_in_memory(small_corpus, small_corpus_build, tmp_path):
    out = tmp_path / "s"
    report = build(BuildOptions((str(small_corpus),), out, formats=("nq", "ttl", "trig"), html=False, store=False,
                                validate=False, jobs=1, stream=True)).report
    assert report["streamed"] is True
    assert _quads(out / "graph.nq") == _quads(small_corpus_build / "graph.nq")
    assert set(rdflib.Graph().parse(out / "graph.ttl")) == set(rdflib.Graph().parse(small_corpus_build / "graph.ttl"))
    assert report["triples"] == len(_quads(out / "graph.nq"))


def test_stream_output_is_the_same_bytes_every_run(small_corpus, tmp_path):
    outs = []
    for name in ("one", "two"):
        out = tmp_path / name
        build(BuildOptions((str(small_corpus),), out, formats=("nq", "ttl", "trig"), html=False, store=False, validate=False, stream=True))
        outs.append(out)
    for f in ("graph.nq", "graph.ttl", "graph.trig"):
        assert (outs[0] / f).read_bytes() == (outs[1] / f).read_bytes(), f


def test_stream_turtle_and_trig_are_read_by_rapper(small_corpus, tmp_path):
    import shutil

    import pytest

    if shutil.which("rapper") is None:
        pytest.skip("needs rapper (apt-get install raptor2-utils)")
    out = tmp_path / "s"
    build(BuildOptions((str(small_corpus),), out, formats=("nq", "ttl", "trig"), html=False, store=False, validate=False, stream=True))
    n = len(_quads(out / "graph.nq"))
    for fmt, name in (("trig", "graph.trig"), ("nquads", "graph.nq")):
        res = subprocess.run(["rapper", "-i", fmt, "-c", str(out / name)], capture_output=True, text=True)
        assert res.returncode == 0, res.stderr
        assert int(res.stderr.split("returned")[1].split()[0]) == n


def test_stream_starts_by_itself_past_the_page_limit_and_writes_everything_but_the_view(small_corpus, tmp_path):
    out = tmp_path / "auto"
    report = build(BuildOptions((str(small_corpus),), out, html=True, store=True, validate=True, jobs=1, stream_pages=2)).report
    assert report["streamed"] is True and report["pages"] == 4
    assert sorted(report["files"]) == ["graph.jsonld", "graph.nq", "graph.trig", "graph.ttl", "void.ttl"]
    assert [w[:6] for w in report["warnings"]] == ["[W009]"]
    assert (out / "store").is_dir() and not (out / "graph.html").exists()
    report2 = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report2["streamed"] is True
    import pyoxigraph as ox

    quads = {str(q) for q in ox.parse(path=str(out / "graph.nq"))}
    assert {str(q) for q in ox.parse(path=str(out / "graph.jsonld"))} == quads and len(quads) == report["triples"]


def test_stream_trig_keeps_multi_line_literals_exactly(small_corpus, tmp_path):
    from kg.rdf.vocab import NIF

    out = tmp_path / "s"
    build(BuildOptions((str(small_corpus),), out, formats=("nq", "trig"), html=False, store=False, validate=False, stream=True))
    ds = rdflib.Dataset()
    ds.parse(out / "graph.trig", format="trig")
    texts = sorted(str(o) for _, _, o, _ in ds.quads((None, NIF.isString, None, None)))
    assert texts == sorted(str(q[2]) for q in _quads(out / "graph.nq") if q[1] == NIF.isString)
