"""Hostile field values in JSON Lines, Markdown and HTML records: repaired or skipped, never the end of a build."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.pipeline.work import process_document
from kg.model import Document, Skip
from kg.rdf.graph import page_part
from kg.rdf.serialize import FORMATS, serialize
from kg.rdf.graph import build_quads
from kg.resolve import keep
from kg.sources import iter_documents

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

#: What a careless export or a hostile user puts into a field.
NASTY = st.sampled_from(["\ud800", "\udfff", "\x00", "\x01", "\x0b", "\x0c", "\x1f", "\x7f", "\ufffe", "\uffff", '"', "'",
                         "<", ">", "&", "\\", " ", "\n", "\r", "\t", "{", "}", "|", "^", "`", "#", "%", "%zz", "/../",
                         "\u2028", "\u200b", "\U0001F600"])
HANZI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
FIELD = st.lists(st.one_of(HANZI, NASTY), min_size=0, max_size=12).map("".join)
URL = st.tuples(st.sampled_from(["https://example.org/", "http://e.org/a?b=", "ftp://x/", "", "javascript:", "http://[bad"]),
                FIELD).map("".join)


def _built(docs) -> None:
    """Every document segments, extracts and renders; its quads serialize and parse back in every format."""
    for doc in docs:
        if isinstance(doc, Skip):
            assert doc.reason.startswith("[E0") and doc.path
            continue
        page, x = process_document(doc)
        if not page.articles:
            continue
        records = keep(x)
        part = page_part(page, records)
        assert part.quads > 0
        quads = build_quads([page], records)
        for fmt in FORMATS:
            text = serialize(quads, fmt)
            if fmt in ("nq", "trig"):
                assert len(list(ox.parse(text.encode("utf-8"), format=FORMATS[fmt][1]))) == len(set(quads))


@SETTINGS
@given(id_=FIELD, title=FIELD, author=FIELD, url=URL, body=FIELD)
def test_sources_hostile_jsonl_fields_are_repaired(tmp_path_factory, id_, title, author, url, body):
    folder = tmp_path_factory.mktemp("jsonl")
    record = {"id": id_, "title": title or "标题", "author": author, "url": url, "date": "2024-05-01",
              "text": f"张三在北京工作。{body}李四说。"}
    (folder / "x.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")  # \ud800 travels as an escape
    docs = list(iter_documents([folder / "x.jsonl"]))
    assert len(docs) == 1
    _built(docs)


@SETTINGS
@given(title=FIELD.filter(lambda t: "\n" not in t and "\r" not in t), url=URL, body=FIELD)
def test_sources_hostile_markdown_fields_are_repaired(tmp_path_factory, title, url, body):
    folder = tmp_path_factory.mktemp("md")
    text = f"---\ntitle: {json.dumps(title or '标题')}\nsource_url: {json.dumps(url)}\n---\n\n张三在北京工作。{body}\n"
    (folder / "a.md").write_bytes(text.encode("utf-8", "surrogatepass"))
    _built(list(iter_documents([folder / "a.md"])))


@SETTINGS
@given(title=FIELD, url=URL, body=FIELD)
def test_sources_hostile_html_fields_are_repaired(tmp_path_factory, title, url, body):
    folder = tmp_path_factory.mktemp("html")
    page = (f'<html><head><title>{html.escape(title or "标题")}</title><link rel="canonical" href="{html.escape(url)}">'
            f"</head><body><h1>{html.escape(title or '标题')}</h1><p>张三在北京工作。{html.escape(body)}</p></body></html>")
    (folder / "a.html").write_bytes(page.encode("utf-8", "surrogatepass"))
    _built(list(iter_documents([folder / "a.html"])))


@pytest.mark.parametrize("field, value, warned", [
    ("title", "标题\ud800", True),
    ("url", "https://example.org/a b\"c", False),
    ("url", "https://example.org/<x>", False),
    ("id", "a\ud800b", True),
    ("author", "张三\udfff", True),
])
def test_sources_hostile_record_builds_with_a_warning(kg_cli, tmp_path, field, value, warned):
    good = {"id": "ok", "title": "第二条", "text": "李四在上海工作。"}
    bad = {"id": "bad", "title": "标题", "text": "张三在北京工作。", field: value}
    (tmp_path / "x.jsonl").write_text(json.dumps(bad) + "\n" + json.dumps(good) + "\n", encoding="utf-8")
    code, out, err = kg_cli("build", tmp_path / "x.jsonl", "-o", tmp_path / "out", "-q", "--no-cache", "--no-html")
    assert code == 0, err
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["articles"] == 2 and report["skipped"] == []
    assert any(w.startswith("[W013] ") and "x.jsonl:1" in w for w in report["warnings"]) == warned
    for name in ("graph.nq", "graph.ttl", "graph.trig", "graph.jsonld"):
        assert list(ox.parse(path=str(tmp_path / "out" / name)))


@pytest.mark.parametrize("rid, in_iri", [
    ("xwlb-20230310-08", "x.xwlb-20230310-08"),
    ("新华社/2023 01", "x.新华社%2F2023%2001"),
    ("100%", "x.100%25"),
    (42, "x.42"),
])
def test_sources_hostile_record_id_is_kept_in_its_article_iri(tmp_path, rid, in_iri):
    (tmp_path / "x.jsonl").write_text(json.dumps({"id": rid, "title": "标题", "text": "张三在北京工作。"},
                                                 ensure_ascii=False) + "\n", encoding="utf-8")
    (doc,) = iter_documents([tmp_path / "x.jsonl"])
    page, x = process_document(doc)
    quads = build_quads([page], keep(x))
    articles = {q.subject.value for q in quads if q.predicate.value == "https://schema.org/headline"}
    assert articles == {f"https://w3id.org/newskg/id/article/{in_iri}-1"}


# ---- one bad input neither sinks nor hangs the build (issue 20)

def _kg_build(args, timeout=120, memory=None):
    """``kg build ARGS`` in a child process, killed after ``timeout`` s (and capped at ``memory`` bytes of address space)."""
    import os
    import resource
    import subprocess
    import sys

    def limit():
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    import kg

    env = {**os.environ, "PYTHONPATH": str(Path(kg.__file__).resolve().parents[1])}  # the kg under test
    return subprocess.run([sys.executable, "-m", "kg", "build", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=limit, env=env)


def test_sources_hostile_deep_json_record_is_one_skip(tmp_path, sample_text):
    path = tmp_path / "x.jsonl"
    deep = '{"title": "标题", "text": "正文", "x": ' + "[" * 3000 + "]" * 3000 + "}"
    middling = '{"title": "标题", "text": "正文", "x": ' + "[" * 500 + "]" * 500 + "}"
    good = json.dumps({"id": "ok", "title": "张三在北京", "text": "张三在北京工作。"}, ensure_ascii=False)
    path.write_text("\n".join([deep, middling, good]) + "\n", encoding="utf-8")
    items = list(iter_documents([path]))
    assert [type(i).__name__ for i in items] == ["Skip", "Skip", "Document"]
    assert items[0].reason == f"[E007] {path}:1: bad record: nested too deep"
    assert items[1].reason == f"[E007] {path}:2: bad record: nested more than 64 levels deep"


def test_sources_hostile_file_name_not_utf8_is_shown_escaped(tmp_path, sample_path):
    import os

    src = tmp_path / "src"
    src.mkdir()
    gbk = os.fsdecode("新闻".encode("gbk"))
    (src / f"{gbk}.txt").write_bytes(sample_path.read_bytes())
    (src / f"{gbk}.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (src / f"{gbk}-empty.txt").write_bytes(b"")
    done = _kg_build([src, "-o", tmp_path / "out", "-j", "1", "--no-html", "--no-store"])
    assert done.returncode == 0, done.stderr
    escaped = "\\xd0\\xc2\\xce\\xc5"
    assert f"[E002] {src}/{escaped}-empty.txt: file is empty" in done.stderr
    assert f"[E141] {src}/{escaped}.png" in done.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["pages"] == 1 and len(report["skipped"]) == 2
    assert all(escaped in s["path"] for s in report["skipped"])


@pytest.mark.parametrize("special", ["fifo", "zero"])
def test_sources_hostile_special_files_are_skipped_not_read(tmp_path, sample_path, special):
    """A FIFO named x.txt (which would block for ever) and a link to /dev/zero named z.txt (which never ends)."""
    import os

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_bytes(sample_path.read_bytes())
    if special == "fifo":
        os.mkfifo(src / "x.txt")
        name, kind = "x.txt", "FIFO (named pipe)"
    else:
        (src / "z.txt").symlink_to("/dev/zero")
        name, kind = "z.txt", "character device"
    for args in ([src], [src / name, src / "a.txt"]):  # walked, and named
        done = _kg_build([*args, "-o", tmp_path / "out", "-j", "1", "--no-html", "--no-store"], timeout=60, memory=6 << 30)
        assert done.returncode == 0, done.stderr
        assert f"kg build: skipped [E142] {src / name}: not a regular file but a {kind}; not read" in done.stderr
        assert "1 page(s)" in done.stdout


@pytest.mark.parametrize("make", [
    lambda n: "<html><body>" + "<div>" * n + "<h1>标题</h1><p>正文内容。</p>" + "</div>" * n + "</body></html>",
    lambda n: "<html><body><h1>标题</h1><article>" + "<blockquote>" * n + "<p>正文。</p>" + "</blockquote>" * n + "</article></body></html>",
    lambda n: "<html><body><h1>标题</h1>" + "<article><p>正文。</p>" * n + "</article>" * n + "</body></html>",
    lambda n: "<html><body><h1>标题</h1><p>正文。</p>" + '<span class="date">' * n + "x" + "</span>" * n + "</body></html>",
    lambda n: "<html><body><h1>标题</h1><p>正文。</p>" + '<span class="author">' * n + "x" + "</span>" * n + "</body></html>",
    lambda n: "<html><body><h1>标题</h1><p>正文。</p>" + "<nav><p>菜单</p>" * n + "</nav>" * n + "</body></html>",
], ids=["div", "blockquote", "article", "date", "author", "nav"])
def test_sources_hostile_deep_html_is_read_in_linear_work(make):
    """HTML nested 4x deeper costs about 4x the lines of kg/sources/html.py run, not 16x (counted, not timed)."""
    from test_linear import _lines_run

    from kg.sources import html as reader
    from kg.sources.common import Source

    def work(n):
        page = make(n)
        return lambda: list(reader.read_html(page, Source("a.html", "a")))

    small, large = (_lines_run(work(n), (Path(reader.__file__),)) for n in (500, 2000))
    assert large < 5 * small, (small, large)
