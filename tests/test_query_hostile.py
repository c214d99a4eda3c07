"""kg query on hostile queries: no SERVICE or LOAD fetch, no crash on deep nesting, a one-line error for each bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import QueryError
from kg.store.query import check_query, run_query
from kg.store.store import open_store

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("text", [
    'SELECT * { ?s ?p "SERVICE <http://127.0.0.1:9/>" }',
    "SELECT * { ?s ?p '''a\nSERVICE <http://127.0.0.1:9/>''' }",
    'SELECT * { ?s ?p "a\\"SERVICE" }',
    "SELECT * { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/>",
    "SELECT ?service { ?service ?p ?o }",
    "PREFIX service: <urn:s#> SELECT * { ?s service:p ?o }",
    "SELECT * { ?s <urn:SERVICE> ?o }",
    "SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
    "ASK { " + "{" * 190 + "}" * 190 + " }",
    'SELECT * { ?s ?p "x"^^xsd:string }',
])
def test_query_check_lets_through(text):
    check_query(text)


@pytest.mark.parametrize("text, code", [
    ("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "[E100]"),
    ("select * { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }", "[E100]"),
    ("SELECT * {?s ?p ?o.SERVICE<http://127.0.0.1:9/>{?s ?p ?o}}", "[E100]"),
    # an escape outside a string is not SPARQL to oxigraph (which would run the query), whatever rdflib makes of it
    ("SELECT * { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "[E011]"),
    # a string to rdflib, which expands escapes first ("a\\" …), a string and a SERVICE to oxigraph: refused
    ('SELECT * { ?s ?p "a\\u005C" SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } ?s ?p "" }', "[E100]"),
    ("LOAD <http://127.0.0.1:9/x>", "[E100]"),
    ("SELECT * WHERE " + "{" * 5000 + "}" * 5000, "[E101]"),
    ("SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }", "[E101]"),
    ("SELECT * WHERE { FILTER(" + "!" * 5000 + "true) }", "[E101]"),
    ("SELECT * WHERE { ?s " + "^" * 5000 + "<urn:p> ?o }", "[E101]"),
    ("SELECT * WHERE { ?s ?p ?o } " + "#" * (2 << 20), "[E102]"),
    ("SELECT * WHERE { ?s ?p ?o }\x00", "[E103]"),
], ids=lambda v: v[:40] if isinstance(v, str) else "")
def test_query_check_refuses(text, code):
    with pytest.raises(QueryError) as info:
        check_query(text)
    assert str(info.value).startswith(code) and "\n" not in str(info.value)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",  # FROM names a graph of the store, never a document
])
def test_query_fetches_nothing_by_default(query_fixture_graph, stub_endpoint, query):
    url, seen = stub_endpoint([200], b"<urn:a> <urn:b> <urn:c> .", ctype="text/turtle")
    try:
        run_query(open_store(query_fixture_graph), query.format(url=url))
    except QueryError as exc:
        assert str(exc).startswith("[E100]")
    assert seen == []


def test_query_allow_service_fetches(query_fixture_graph, stub_endpoint):
    url, seen = stub_endpoint([200], b"", ctype="application/sparql-results+json")
    with pytest.raises(QueryError):
        run_query(open_store(query_fixture_graph), f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", allow_service=True)
    assert seen


def test_query_update_load_refused_without_allow_service(query_fixture_graph, stub_endpoint):
    url, seen = stub_endpoint([200], b"<urn:a> <urn:b> <urn:c> .", ctype="text/turtle")
    with pytest.raises(QueryError, match=r"^\[E100\] .*a LOAD update"):
        run_query(open_store(query_fixture_graph), f"LOAD <{url}>", allow_update=True)
    assert seen == []


def _kg_query(graph: Path, query_file: Path, *options: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "kg", "query", str(graph), str(query_file), *options],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("name, content, code", [
    ("deep", ("SELECT * WHERE " + "{" * 5000 + "}" * 5000 + "\n").encode(), "[E101]"),
    ("huge", b"SELECT * WHERE { ?s ?p ?o } " + b"#" * (10 << 20), "[E102]"),
    ("binary", bytes(range(256)) * 8, "[E014]"),
    ("nul", b"SELECT * WHERE { ?s ?p ?o }\x00\x01", "[E103]"),
    ("unterminated", b'SELECT * WHERE { ?s ?p "abc }', "[E011]"),
    ("service", b"SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "[E100]"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 20 else "")
def test_query_command_hostile_file_is_a_one_line_error(query_fixture_graph, tmp_path, name, content, code):
    path = tmp_path / f"{name}.rq"
    path.write_bytes(content)
    proc = _kg_query(query_fixture_graph, path)
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-500:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and code in lines[0], proc.stderr[-500:]
    assert proc.stdout == ""


def test_query_command_deep_nesting_with_timeout(query_fixture_graph, tmp_path):
    path = tmp_path / "deep.rq"
    path.write_text("SELECT * WHERE " + "{" * 5000 + "}" * 5000, encoding="utf-8")
    proc = _kg_query(query_fixture_graph, path, "--timeout", "20")
    assert proc.returncode == 2 and "[E101]" in proc.stderr


def test_query_long_chain_does_not_crash(query_fixture_graph):
    """Shallow but long: parsers recurse once per link (rdflib's grammar, oxigraph's stack); both run on a large stack."""
    text = "ASK { ?s ?p ?o FILTER(" + " || ".join(["?o"] * 1500) + ") }"
    assert run_query(open_store(query_fixture_graph), text).form == "ask"


def test_query_long_chain_is_bounded_by_the_timeout(query_fixture_graph):
    """Reading a long text takes time (rdflib's parser is pure Python): the timeout covers the parse too."""
    import time

    text = "ASK { ?s ?p ?o FILTER(" + " || ".join(["?o = 1"] * 20000) + ") }"
    start = time.monotonic()
    with pytest.raises(QueryError, match=r"^\[E012\]"):
        run_query(open_store(query_fixture_graph), text, timeout=1)
    assert time.monotonic() - start < 5


def test_query_stdin_is_read_no_further_than_the_cap(query_fixture_graph, kg_cli, monkeypatch):
    """`kg query G -` with 300 MB (or no end) on standard input reads 1 MiB and a character, not all of it."""
    import io

    class Endless(io.TextIOBase):
        asked = 0

        def read(self, size=-1):
            if size is None or size < 0:
                raise AssertionError("all of standard input asked for")
            self.asked += size
            return "#" * size

    stdin = Endless()
    monkeypatch.setattr("sys.stdin", stdin)
    code, out, err = kg_cli("query", query_fixture_graph, "-")
    assert code == 2 and "[E114] query on standard input longer than 1,048,576 characters" in err
    assert stdin.asked <= (1 << 20) + 1
