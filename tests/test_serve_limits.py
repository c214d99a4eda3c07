"""kg serve as a closed endpoint: no SERVICE, no foreign Host or Origin, CORS opt-in, bounded time, size, workers, sockets."""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse

import pytest

import kg.store.query
import kg.store.results
import kg.store.serve

from conftest import http_request as _request

PERSONS = "SELECT ?p ?name WHERE { ?p a schema:Person ; schema:name ?name } ORDER BY ?name"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?q ?r ?s }"


def _get(server, query: str, headers: dict | None = None):
    url = server.url + "?" + urllib.parse.urlencode({"query": query})
    return _request(url, headers={"Accept": "text/csv", **(headers or {})})


def _port(server) -> int:
    return server.server_address[1]


# ---- SERVICE

def test_serve_service_refused_before_any_request(sparql_server, served_store, stub_endpoint):
    url, seen = stub_endpoint([200], b"")
    status, _, body = _get(sparql_server(served_store, timeout=30), f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    assert status == 400
    assert body.decode("utf-8").startswith("[E100] line 1, column 12: a SERVICE clause")
    assert seen == []


def test_serve_service_in_a_string_is_not_refused(sparql_server, served_store):
    status, _, body = _get(sparql_server(served_store, timeout=30),
                           'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:9/>" AS ?x) } # SERVICE')
    assert status == 200 and b"SERVICE" in body


def test_serve_allow_service_reaches_the_service(sparql_server, served_store, stub_endpoint):
    url, seen = stub_endpoint([200], b"", ctype="application/sparql-results+json")
    _get(sparql_server(served_store, timeout=30, allow_service=True), f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    assert seen, "with --allow-service the SERVICE URL is asked"


@pytest.mark.parametrize("query, status, code", [
    ("SELECT * WHERE " + "{" * 5000 + "}" * 5000, 400, "[E101]"),
    ("SELECT * WHERE { FILTER(" + "!" * 5000 + "true) }", 400, "[E101]"),
    ("SELECT * WHERE { ?s ?p ?o }\x00", 400, "[E103]"),
])
def test_serve_hostile_queries_are_refused(sparql_server, served_store, query, status, code):
    server = sparql_server(served_store, timeout=30)
    got, _, body = _request(server.url, method="POST", data=query.encode("utf-8"),
                            headers={"Content-Type": "application/sparql-query"})
    assert got == status and body.decode("utf-8").startswith(code)
    assert _get(server, PERSONS)[0] == 200  # the server lives on


# ---- Host, Origin and CORS

@pytest.mark.parametrize("host, status", [
    ("127.0.0.1:{port}", 200),
    ("localhost:{port}", 200),
    ("LOCALHOST:{port}", 200),
    ("[::1]:{port}", 200),
    ("evil.example:{port}", 421),
    ("evil.example", 421),
    ("127.0.0.1:1", 421),
    ("localhost", 421),
])
def test_serve_host_header_must_name_this_server(sparql_server, served_store, host, status):
    server = sparql_server(served_store, timeout=30)
    got, _, body = _get(server, PERSONS, {"Host": host.format(port=_port(server))})
    assert got == status
    if status == 421:
        assert body.decode("utf-8").startswith("[E110] Host ")


def test_serve_allow_host_adds_a_name(sparql_server, served_store):
    server = sparql_server(served_store, timeout=30, allow_hosts=["kg.lan"])
    assert _get(server, PERSONS, {"Host": f"kg.lan:{_port(server)}"})[0] == 200


@pytest.mark.parametrize("origin, status", [
    ("http://evil.example", 403),
    ("http://127.0.0.1:{port}", 200),
    ("http://localhost:{port}", 200),
])
def test_serve_post_from_a_foreign_page_is_refused(sparql_server, served_store, origin, status):
    server = sparql_server(served_store, timeout=30)
    got, _, body = _request(server.url, method="POST", data=urllib.parse.urlencode({"query": PERSONS}).encode(),
                            headers={"Content-Type": "application/x-www-form-urlencoded",
                                     "Origin": origin.format(port=_port(server)), "Accept": "text/csv"})
    assert got == status
    if status == 403:
        assert body.decode("utf-8").startswith("[E113]")


@pytest.mark.parametrize("cors, origin, expected", [
    ((), "http://evil.example", None),
    ((), None, None),
    (("*",), "http://evil.example", "*"),
    (("https://ok.example",), "https://ok.example", "https://ok.example"),
    (("https://ok.example",), "http://evil.example", None),
])
def test_serve_cors_is_opt_in(sparql_server, served_store, cors, origin, expected):
    server = sparql_server(served_store, timeout=30, cors=cors)
    status, headers, _ = _get(server, PERSONS, {"Origin": origin} if origin else {})
    assert status == 200
    assert headers.get("Access-Control-Allow-Origin") == expected
    _, pre, _ = _request(server.url, method="OPTIONS", headers={"Origin": origin or "", "Access-Control-Request-Method": "GET"})
    assert pre.get("Access-Control-Allow-Origin") == expected


# ---- time, size, workers, sockets

def test_serve_timeout_covers_writing_the_answer(sparql_server, served_store, monkeypatch):
    real = kg.store.results.serialize_answer

    def slow(answer, mime, **options):
        time.sleep(8)
        return real(answer, mime, **options)

    monkeypatch.setattr(kg.store.query, "serialize_answer", slow)
    server = sparql_server(served_store, timeout=1)
    start = time.monotonic()
    status, _, body = _get(server, PERSONS)
    assert time.monotonic() - start < 6
    assert status == 503 and body.decode("utf-8").startswith("[E012] query timed out after 1 s")


def test_serve_answer_over_max_result_bytes_is_413(sparql_server, served_store):
    server = sparql_server(served_store, timeout=30, max_result_bytes=100)
    status, _, body = _get(server, PERSONS)
    assert status == 413
    assert body.decode("utf-8").startswith("[E111] the answer is larger than 100 bytes (--max-result-bytes)")
    assert _get(server, "ASK { ?s ?p ?o }")[0] == 200  # small answers still go out


def test_serve_max_workers_answers_503_with_retry_after(sparql_server, served_store):
    server = sparql_server(served_store, timeout=4, max_workers=1)
    slow = threading.Thread(target=_get, args=(server, SLOW))
    slow.start()
    try:
        deadline = time.monotonic() + 3
        while server.workers._value and time.monotonic() < deadline:  # wait until the slow query holds the slot
            time.sleep(0.02)
        status, headers, body = _get(server, PERSONS)
        assert status == 503
        assert headers["Retry-After"] == str(kg.store.serve.RETRY_AFTER)
        assert body.decode("utf-8").startswith("[E112] busy: 1 queries running (--max-workers 1)")
    finally:
        slow.join(30)
    assert _get(server, PERSONS)[0] == 200


@pytest.mark.parametrize("sent", [
    b"GET /sparql?query=ASK",  # request line never finished
    b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n",  # headers never finished
])
def test_serve_half_sent_request_is_dropped(sparql_server, served_store, sent):
    server = sparql_server(served_store, timeout=30, request_timeout=1)
    with socket.create_connection(("127.0.0.1", _port(server)), timeout=10) as s:
        s.sendall(sent)
        start = time.monotonic()
        while s.recv(4096):
            pass
        assert time.monotonic() - start < 5  # closed by the server after about 1 s


def test_serve_half_sent_body_is_408(sparql_server, served_store):
    server = sparql_server(served_store, timeout=30, request_timeout=1)
    with socket.create_connection(("127.0.0.1", _port(server)), timeout=10) as s:
        s.sendall(f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{_port(server)}\r\n"
                  "Content-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\nASK".encode())
        start = time.monotonic()
        answer = b""
        while part := s.recv(4096):
            answer += part
    assert time.monotonic() - start < 5
    assert answer.startswith(b"HTTP/1.1 408") and b"[E045] bad SPARQL protocol request: request body not received" in answer


def test_serve_request_body_over_the_cap_is_413(sparql_server, served_store):
    server = sparql_server(served_store, timeout=30)
    with socket.create_connection(("127.0.0.1", _port(server)), timeout=10) as s:
        s.sendall(f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{_port(server)}\r\n"
                  f"Content-Type: application/sparql-query\r\nContent-Length: {10 << 20}\r\n\r\n".encode())
        answer = b""
        while part := s.recv(4096):  # the headers and the body may come in separate reads
            answer += part
    assert answer.startswith(b"HTTP/1.1 413") and b"[E045]" in answer


def test_serve_connections_over_the_cap_are_closed(sparql_server, served_store):
    server = sparql_server(served_store, timeout=30, max_connections=2, request_timeout=5)
    idle = [socket.create_connection(("127.0.0.1", _port(server)), timeout=10) for _ in range(2)]
    try:
        time.sleep(0.3)
        with socket.create_connection(("127.0.0.1", _port(server)), timeout=10) as s:
            assert s.recv(4096).startswith(b"HTTP/1.1 503")
    finally:
        for s in idle:
            s.close()
    time.sleep(0.3)
    assert _get(server, PERSONS)[0] == 200
