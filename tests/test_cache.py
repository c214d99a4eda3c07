"""The page cache: a rebuild extracts only what changed, and a broken entry is never trusted."""

from __future__ import annotations

import dataclasses
import logging
import pickle
import shutil
from pathlib import Path

import pytest

from kg.pipeline import BuildOptions, build
from kg.pipeline import cache as cache_module
from kg.pipeline.cache import Cache, document_key, extractor_version
from kg.extract import Extraction
from kg.model import Document, Meta
from kg.segment.layout import segment

DOC = Document("p", "page", "标题\n\n张三\n\n正文。", path="p.txt", meta=Meta(date="2022-11-21"))


def _build(corpus, out, cache, **kw):
    return build(BuildOptions((str(corpus),), out, formats=("nq",), html=False, store=False, validate=False,
                              cache=cache, **kw))


@pytest.mark.parametrize("change", [
    {"text": "标题\n\n张三\n\n正文！"},
    {"id": "q"},
    {"layout": "article"},
    {"meta": Meta(date="2022-11-22")},
    {"authors": ("李四",)},
])
def test_cache_key_changes_with_input(change):
    assert document_key(dataclasses.replace(DOC, **change)) != document_key(DOC)


def test_cache_key_ignores_path_but_not_extractors():
    assert document_key(dataclasses.replace(DOC, path="elsewhere/p.txt")) == document_key(DOC)
    assert document_key(DOC, ("ner",)) != document_key(DOC)


def test_cache_version_separates_entries(tmp_path):
    Cache(tmp_path, version="old").put("ab" * 32, segment(DOC), Extraction())
    assert Cache(tmp_path, version="new").get("ab" * 32) is None
    assert len(extractor_version()) == 16


def test_cache_damaged_entry_is_a_miss(tmp_path):
    c = Cache(tmp_path)
    key = c.key(DOC)
    c.put(key, segment(DOC), Extraction())
    c.path(key).write_bytes(b"not an entry")
    assert c.get(key) is None
    assert (c.stats.misses, c.stats.errors) == (1, 1)


def test_cache_interrupted_write_leaves_nothing(tmp_path, monkeypatch):
    c = Cache(tmp_path)
    key = c.key(DOC)

    def boom(*a, **kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(cache_module, "encode_entry", boom)
    with pytest.raises(KeyboardInterrupt):
        c.put(key, segment(DOC), Extraction())
    assert not c.path(key).exists()
    assert list(c.path(key).parent.iterdir()) == []


def test_cache_rebuild_extracts_only_touched_pages(small_corpus, small_corpus_build, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(small_corpus, corpus)
    cache = tmp_path / "cache"
    first = _build(corpus, tmp_path / "o1", cache, jobs=1)
    assert (first.cache.hits, first.cache.misses, first.cache.writes) == (0, 4, 4)
    assert (tmp_path / "o1" / "graph.nq").read_bytes() == (small_corpus_build / "graph.nq").read_bytes()

    again = _build(corpus, tmp_path / "o2", cache, jobs=2)
    assert (again.cache.hits, again.cache.misses) == (4, 0)
    assert (tmp_path / "o2" / "graph.nq").read_bytes() == (small_corpus_build / "graph.nq").read_bytes()

    page = corpus / "c.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("张冬梅", "张冬海"), encoding="utf-8")
    touched = _build(corpus, tmp_path / "o3", cache, jobs=1)
    assert (touched.cache.hits, touched.cache.misses) == (3, 1)
    nq = (tmp_path / "o3" / "graph.nq").read_text(encoding="utf-8")
    assert nq != (small_corpus_build / "graph.nq").read_text(encoding="utf-8")
    zhang = "<https://w3id.org/newskg/id/person/张冬梅>"  # 张冬梅, now on three pages
    graphs = {l.rsplit(" ", 2)[-2] for l in nq.splitlines() if "taIdentRef> " + zhang in l}
    assert len(graphs) == 3
    assert nq.count(zhang + " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>") == 1


def test_cache_cli_default_folder_and_no_cache(kg_cli, small_corpus, tmp_path):
    args = ("--format", "nq", "--no-html", "--no-store", "--no-validate", "-j", "1", "-q")
    assert kg_cli("build", small_corpus / "a.txt", "-o", tmp_path / "o", *args)[0] == 0
    assert any((tmp_path / "o" / "cache").rglob("*.json"))
    assert kg_cli("build", small_corpus / "a.txt", "-o", tmp_path / "n", "--no-cache", *args)[0] == 0
    assert not (tmp_path / "n" / "cache").exists()


def test_cache_version_covers_the_tagger_weights(tmp_path):
    """Retrained weights make a new extractor version: pages tagged by the old model are not reused."""
    import subprocess
    import sys

    from kg.extract.tagger import model_path

    src = Path(model_path()).resolve().parents[2]  # the kg package
    versions = []
    for changed in (False, True):
        copy = tmp_path / f"copy{int(changed)}"
        shutil.copytree(src, copy / "kg", ignore=shutil.ignore_patterns("__pycache__"))
        if changed:
            weights = copy / "kg" / model_path().relative_to(src)
            weights.write_bytes(weights.read_bytes() + b"\0")
        out = subprocess.run([sys.executable, "-c", "from kg.pipeline.cache import extractor_version; print(extractor_version())"],
                             cwd=copy, env={"PYTHONPATH": str(copy), "PATH": ""}, capture_output=True, text=True, check=True)
        versions.append(out.stdout.strip())
    assert versions[0] and versions[0] != versions[1]


class _Payload:
    """What a hostile cache entry holds: unpickling it runs a command."""

    def __init__(self, flag):
        self.flag = flag

    def __reduce__(self):
        import os

        return (os.system, (f"touch {self.flag}",))


def test_cache_entry_runs_no_code(tmp_path, caplog):
    """A crafted entry under the cache folder is data that fails its check, never code run on the next build."""
    c = Cache(tmp_path / "cache")
    key = c.key(DOC)
    c.path(key).parent.mkdir(parents=True)
    flag = tmp_path / "ran"
    c.path(key).write_bytes(pickle.dumps(_Payload(flag)))
    with caplog.at_level(logging.WARNING, logger="kg.pipeline.cache"):
        assert c.get(key) is None
    assert not flag.exists()
    assert (c.stats.misses, c.stats.errors) == (1, 1)
    assert any(r.getMessage().startswith("[W011]") and str(c.path(key)) in r.getMessage() for r in caplog.records)


def test_cache_edited_entry_is_extracted_again_with_a_warning(tmp_path, caplog):
    """An entry edited on disk (a name changed in place) does not change the graph silently."""
    from kg.pipeline.work import process_document

    c = Cache(tmp_path)
    key = c.key(DOC)
    page, x = process_document(DOC)
    assert [m.text for m in x.mentions] == ["张三"]
    c.put(key, page, x)
    data = c.path(key).read_bytes()
    assert "张三".encode() in data
    c.path(key).write_bytes(data.replace("张三".encode(), "李四".encode()))
    with caplog.at_level(logging.WARNING, logger="kg.pipeline.cache"):
        assert c.get(key) is None
    assert any("[W011]" in r.getMessage() and "digest" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("tamper", [
    lambda body, key: body.replace(key.encode(), b"0" * 64, 1),  # stored under another key
    lambda body, key: body.replace(b"[", b"{", 1),  # not JSON
    lambda body, key: body[:-2],  # cut short
    lambda body, key: body.replace(b'["p",', b"[7,", 1),  # a number where the page id is due
    lambda body, key: body.replace(b'"paragraph",', b'"paragraph",[0,1],', 1),  # a field too many
    lambda body, key: body.replace(b"]]]", b",[0,99999999999]]]]", 1),  # offsets without end
    lambda body, key: b"[" * 100_000 + b"]" * 100_000,  # nested too deep for the JSON reader
])
def test_cache_entry_with_a_recomputed_digest_is_still_checked(tmp_path, tamper):
    """An entry whose digest was made to match still has to be an entry of its key, field by field."""
    import hashlib

    c = Cache(tmp_path)
    key = c.key(DOC)
    c.put(key, segment(DOC), Extraction())
    _, _, body = c.path(key).read_bytes().partition(b"\n")
    changed = tamper(body, key)
    assert changed != body
    c.path(key).write_bytes(cache_module.MAGIC + hashlib.sha256(changed).hexdigest().encode() + b"\n" + changed)
    assert Cache(tmp_path).get(key) is None


def test_cache_entry_round_trips_every_record(sample_text):
    """The sample page and its records read back from an entry equal what was stored, labels as labels."""
    from kg.pipeline.cache import decode_entry, encode_entry
    from kg.pipeline.work import process_document

    page, x = process_document(Document("sample", "page", sample_text))
    assert len(x.mentions) > 50 and x.relations and x.measures
    back = decode_entry("k", encode_entry("k", page, x))
    assert back == (page, x)
    assert [type(m.label) for m in back[1].mentions] == [type(m.label) for m in x.mentions]


def test_cache_edited_entry_gives_the_same_graph_as_no_cache(small_corpus, small_corpus_build, tmp_path, caplog):
    cache = tmp_path / "cache"
    _build(small_corpus / "a.txt", tmp_path / "o1", cache, jobs=1)
    [entry] = list(cache.rglob("*.json"))
    entry.write_bytes(entry.read_bytes().replace("张冬梅".encode(), "张冬海".encode()))
    with caplog.at_level(logging.WARNING):
        again = _build(small_corpus / "a.txt", tmp_path / "o2", cache, jobs=1)
    assert (again.cache.hits, again.cache.misses, again.cache.errors) == (0, 1, 1)
    assert "张冬海" not in (tmp_path / "o2" / "graph.nq").read_text(encoding="utf-8")
    assert any("[W011]" in r.getMessage() for r in caplog.records)
