"""The SPARQL 1.1 Protocol endpoint: formats, negotiation, CORS, errors, updates, time limit and the command."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.errors import ServeError
from kg.store.query import run_query
from kg.store.store import open_store
from kg.store.serve import make_server, negotiate, status_for

from conftest import http_request as _request

ROOT = Path(__file__).resolve().parents[1]
PERSONS = "SELECT ?p ?name WHERE { ?p a schema:Person ; schema:name ?name } ORDER BY ?name"
CONSTRUCT = "CONSTRUCT { ?p schema:name ?name } WHERE { ?p a schema:Person ; schema:name ?name }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?q ?r ?s }"
SPARQL_NS = "{http://www.w3.org/2005/sparql-results#}"


def _get(server, query: str, accept: str | None = None, **params):
    url = server.url + "?" + urllib.parse.urlencode({"query": query, **params})
    return _request(url, headers={"Accept": accept} if accept else {})


def _names(store) -> list[str]:
    return [str(row[1]) for row in run_query(store, PERSONS).rows]


@pytest.mark.parametrize("accept, ctype", [
    (None, "application/sparql-results+json"),
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "application/sparql-results+json"),
    ("text/csv;q=0.2, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
])
def test_serve_select_in_each_format(sparql_server, served_store, accept, ctype):
    server = sparql_server(served_store, timeout=30)
    status, headers, body = _get(server, PERSONS, accept)
    assert status == 200
    assert headers["Content-Type"] == f"{ctype}; charset=utf-8"
    assert "Access-Control-Allow-Origin" not in headers  # CORS is opt-in
    text = body.decode("utf-8")
    if ctype.endswith("json"):
        doc = json.loads(text)
        assert doc["head"]["vars"] == ["p", "name"]
        names = [b["name"]["value"] for b in doc["results"]["bindings"]]
        assert {b["name"].get("xml:lang") for b in doc["results"]["bindings"]} == {"zh"}
    elif ctype.endswith("xml"):
        root = ET.fromstring(body)
        names = [b.find(f"{SPARQL_NS}literal").text
                 for b in root.iter(f"{SPARQL_NS}binding") if b.get("name") == "name"]
    elif ctype == "text/csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["p", "name"]
        names = [r[1] for r in rows[1:]]
    else:
        lines = text.splitlines()
        assert lines[0] == "?p\t?name"
        names = [line.split("\t")[1].removesuffix("@zh").strip('"') for line in lines[1:]]
    assert names == _names(served_store)


@pytest.mark.parametrize("accept, ctype, fmt", [
    (None, "text/turtle", "turtle"),
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("text/plain", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
])
def test_serve_construct_in_each_format(sparql_server, served_store, accept, ctype, fmt):
    server = sparql_server(served_store, timeout=30)
    status, headers, body = _get(server, CONSTRUCT, accept)
    assert status == 200
    assert headers["Content-Type"] == f"{ctype}; charset=utf-8"
    got = Graph().parse(data=body.decode("utf-8"), format=fmt)
    assert len(got) == 7
    assert isomorphic(got, run_query(served_store, CONSTRUCT).graph)


def test_serve_describe_answers_a_graph(sparql_server, served_store):
    iri = str(run_query(served_store, PERSONS).rows[0][0])
    status, headers, body = _get(sparql_server(served_store, timeout=30), f"DESCRIBE <{iri}>", "application/n-triples")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert iri in body.decode("utf-8")


@pytest.mark.parametrize("accept, expected", [
    ("application/sparql-results+json", b'{"head":{},"boolean":true}'),
    ("text/csv", b"true"),
])
def test_serve_ask(sparql_server, served_store, accept, expected):
    status, _, body = _get(sparql_server(served_store, timeout=30), "ASK { ?p a schema:Person }", accept)
    assert (status, body) == (200, expected)


@pytest.mark.parametrize("how", ["form", "sparql-query", "form-with-url-params"])
def test_serve_post(sparql_server, served_store, how):
    server = sparql_server(served_store, timeout=30)
    url = server.url
    if how == "sparql-query":
        data, ctype = PERSONS.encode("utf-8"), "application/sparql-query"
    else:
        data, ctype = urllib.parse.urlencode({"query": PERSONS}).encode("utf-8"), "application/x-www-form-urlencoded"
        if how == "form-with-url-params":
            url += "?format=csv"
    status, headers, body = _request(url, method="POST", data=data,
                                     headers={"Content-Type": ctype, "Accept": "text/csv"})
    assert status == 200
    assert [r[1] for r in csv.reader(io.StringIO(body.decode("utf-8")))][1:] == _names(served_store)


@pytest.mark.parametrize("fmt, ctype", [
    ("json", "application/sparql-results+json"),
    ("csv", "text/csv"),
    ("tsv", "text/tab-separated-values"),
    ("xml", "application/sparql-results+xml"),
])
def test_serve_format_parameter_overrides_accept(sparql_server, served_store, fmt, ctype):
    status, headers, _ = _get(sparql_server(served_store, timeout=30), PERSONS, "text/turtle", format=fmt)
    assert status == 200 and headers["Content-Type"].startswith(ctype)


def test_serve_cors_preflight(sparql_server, served_store):
    server = sparql_server(served_store, timeout=30, cors=["*"])
    status, headers, body = _request(server.url, method="OPTIONS", headers={
        "Origin": "http://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, accept"})
    assert status == 204 and body == b""
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert headers["Access-Control-Allow-Headers"] == "content-type, accept"
    assert headers.get_all("Access-Control-Allow-Headers") == ["content-type, accept"]


@pytest.mark.parametrize("query, status, code", [
    ("SELECT ?x WHERE { ?x ?y }", 400, "[E011]"),
    ("SELECT ?x WHERE { ?x undeclared:p ?y }", 400, "[E011]"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 403, "[E013]"),
])
def test_serve_errors_are_plain_text_with_their_code(sparql_server, served_store, query, status, code):
    got, headers, body = _get(sparql_server(served_store, timeout=30), query)
    assert got == status
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert body.decode("utf-8").startswith(code)


def test_serve_syntax_error_names_line_and_column(sparql_server, served_store):
    status, _, body = _get(sparql_server(served_store, timeout=30), "SELECT ?x\nWHERE { ?x ?y }")
    assert status == 400
    assert body.decode("utf-8").startswith("[E011] query syntax error at line 2, column ")


@pytest.mark.parametrize("path, data, ctype", [
    ("/update", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "application/sparql-update"),
    ("/update", "update=" + urllib.parse.quote("CLEAR ALL"), "application/x-www-form-urlencoded"),
    ("/sparql", "update=" + urllib.parse.quote("DROP ALL"), "application/x-www-form-urlencoded"),
    ("/sparql", "DELETE WHERE { ?s ?p ?o }", "application/sparql-update"),
    ("/sparql", "query=" + urllib.parse.quote("DELETE WHERE { ?s ?p ?o }"), "application/x-www-form-urlencoded"),
])
def test_serve_update_refused(sparql_server, served_store, path, data, ctype):
    server = sparql_server(served_store, timeout=30)
    before = len(served_store)
    status, _, body = _request(server.url.replace("/sparql", path), method="POST", data=data.encode("utf-8"),
                               headers={"Content-Type": ctype})
    assert status == 403
    assert body.decode("utf-8").startswith("[E013]")
    assert len(served_store) == before


def test_serve_update_allowed(sparql_server, query_fixture_graph):
    store = open_store(query_fixture_graph)
    server = sparql_server(store, timeout=30, allow_update=True)
    ask = "ASK { <urn:x:a> <urn:x:b> <urn:x:c> }"
    assert _get(server, ask, "text/csv")[2] == b"false"
    status, _, _ = _request(server.url.replace("/sparql", "/update"), method="POST",
                            data=b"INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }",
                            headers={"Content-Type": "application/sparql-update"})
    assert status == 204
    assert _get(server, ask, "text/csv")[2] == b"true"
    # updates still need POST
    assert _request(server.url.replace("/sparql", "/update"))[0] == 405
    # a query is no update, and an update no query
    status, _, body = _request(server.url.replace("/sparql", "/update"), method="POST", data=ask.encode(),
                               headers={"Content-Type": "application/sparql-update"})
    assert status == 400 and b"not an update" in body
    status, _, body = _get(server, "CLEAR ALL", "text/csv")
    assert status == 400 and body.startswith(b"[E107] an update sent as a query")
    assert _get(server, ask, "text/csv")[2] == b"true"


def test_serve_binds_the_parameters_of_its_form(sparql_server, served_store):
    server = sparql_server(served_store, timeout=30)
    status, _, page = _request(server.url.replace("/sparql", "/"))
    assert status == 200 and b'<textarea name="param"' in page
    query = "# @param name@zh\n# @param kind:iri\nSELECT ?p ?name ?kind WHERE { ?p schema:name ?name ; a ?kind }"
    params = {"query": query, "param": "name=张冬梅\r\nkind=https://schema.org/Person\r\n", "format": "json"}
    status, _, body = _request(server.url + "?" + urllib.parse.urlencode(params))
    rows = json.loads(body)["results"]["bindings"]
    assert status == 200 and [r["name"]["value"] for r in rows] == ["张冬梅"]
    params["param"] = 'name=张冬梅" } UNION { ?p ?x ?name'
    status, _, body = _request(server.url + "?" + urllib.parse.urlencode(params))
    assert status == 200 and json.loads(body)["results"]["bindings"] == []
    params["param"] = "who=x"
    status, _, body = _request(server.url + "?" + urllib.parse.urlencode(params))
    assert status == 400 and body.startswith(b"[E104] the query has no parameter 'who'; its parameters: name@zh, kind:iri")


def test_serve_timeout_answers_503(sparql_server, served_store):
    server = sparql_server(served_store, timeout=1)
    start = time.monotonic()
    status, _, body = _get(server, SLOW)
    assert time.monotonic() - start < 15
    assert status == 503
    assert body.decode("utf-8").startswith("[E012] query timed out after 1 s")
    # the server still answers afterwards
    assert _get(server, PERSONS, "text/csv")[0] == 200


@pytest.mark.parametrize("query, accept", [
    (PERSONS, "text/turtle"),
    (PERSONS, "image/png"),
    (CONSTRUCT, "text/csv"),
])
def test_serve_not_acceptable_406(sparql_server, served_store, query, accept):
    status, _, body = _get(sparql_server(served_store, timeout=30), query, accept)
    assert status == 406
    assert body.decode("utf-8").startswith("[E015]")


@pytest.mark.parametrize("method, path, params, status", [
    ("GET", "/sparql", {}, 400),
    ("GET", "/sparql", {"query": PERSONS, "default-graph-uri": "urn:g"}, 400),
    ("GET", "/nothing", {}, 404),
    ("POST", "/nothing", {}, 404),
    ("GET", "/sparql", {"update": "CLEAR ALL"}, 405),
])
def test_serve_bad_requests(sparql_server, served_store, method, path, params, status):
    server = sparql_server(served_store, timeout=30)
    url = server.url.replace("/sparql", path) + ("?" + urllib.parse.urlencode(params) if params else "")
    got, headers, body = _request(url, method=method, data=b"" if method == "POST" else None)
    assert got == status
    assert body.decode("utf-8").startswith("[E")


def test_serve_post_needs_a_known_content_type(sparql_server, served_store):
    status, _, body = _request(sparql_server(served_store, timeout=30).url, method="POST", data=PERSONS.encode(),
                               headers={"Content-Type": "text/plain"})
    assert status == 415 and body.startswith(b"[E045]")


def test_serve_html_view_at_root(sparql_server, served_store, tmp_path):
    page = tmp_path / "graph.html"
    page.write_text("<!doctype html><title>view</title>", encoding="utf-8")
    server = sparql_server(served_store, timeout=30, html_path=page)
    status, headers, body = _request(server.url.replace("/sparql", "/"))
    assert (status, body) == (200, page.read_bytes())
    assert headers["Content-Type"] == "text/html; charset=utf-8"


def test_serve_query_form_at_root_without_a_view(sparql_server, served_store):
    status, headers, body = _request(sparql_server(served_store, timeout=30).url.replace("/sparql", "/"))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b'<form action="/sparql"' in body


def test_serve_concurrent_queries(sparql_server, served_store):
    from concurrent.futures import ThreadPoolExecutor

    server = sparql_server(served_store, timeout=30, max_workers=4)
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: _get(server, PERSONS, "text/csv"), range(8)))
    assert {a[0] for a in answers} == {200}
    assert len({a[2] for a in answers}) == 1


@pytest.mark.parametrize("accept, expected", [
    (None, "a/json"),
    ("", "a/json"),
    ("*/*", "a/json"),
    ("text/*", "text/csv"),
    ("text/csv;q=0, */*", "a/json"),
    ("text/csv, a/json", "a/json"),
    ("text/csv;q=1.0, a/json;q=0.99", "text/csv"),
    ("text/*;q=0.3, text/csv", "text/csv"),
    ("x/y", None),
    ("*/*;q=0", None),
    ("text/csv;q=bad", None),
])
def test_serve_negotiate(accept, expected):
    assert negotiate(accept, ["a/json", "text/csv"]) == expected


@pytest.mark.parametrize("message, status", [
    ("[E011] query syntax error at line 1, column 2: x", 400),
    ("[E012] query timed out after 1 s", 503),
    ("[E013] update queries are refused", 403),
    ("[E019] query failed: x", 500),
    ("no code", 500),
])
def test_serve_status_for(message, status):
    from kg.errors import QueryError

    assert status_for(QueryError(message)) == status


def test_serve_port_in_use_is_an_error(sparql_server, served_store):
    server = sparql_server(served_store, timeout=30)
    with pytest.raises(ServeError, match=r"^\[E044\] cannot serve on 127\.0\.0\.1:"):
        make_server(served_store, "127.0.0.1", server.server_address[1], timeout=30)


def test_serve_command_runs_until_interrupted(sample_graph_dir, tmp_path):
    """``kg serve DIR`` serves the build's store and view, and stops cleanly on Ctrl-C."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(sample_graph_dir), "--port", "0"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            text=True)
    try:
        line = proc.stderr.readline()  # "kg serve: N triples; SPARQL endpoint http://127.0.0.1:PORT/sparql ..."
        assert "SPARQL endpoint http://127.0.0.1:" in line, line + proc.stderr.read()
        url = line.split("SPARQL endpoint ")[1].split(",")[0].split(" ")[0]
        status, _, body = _request(url + "?" + urllib.parse.urlencode({"query": PERSONS}),
                                   headers={"Accept": "text/csv"})
        assert status == 200 and len(body.decode("utf-8").splitlines()) > 5
        if (sample_graph_dir / "graph.html").exists():
            assert _request(url.replace("/sparql", "/"))[2] == (sample_graph_dir / "graph.html").read_bytes()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert "kg serve: stopping" in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)
