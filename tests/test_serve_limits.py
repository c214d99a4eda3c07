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
    ((), None, None),
    (("*",), "http://evil.example", "*"),
    (("https://ok.example",), "https://ok.example", "https://ok.example"),
])
def test_serve_cors_is_opt_in(sparql_server, served_store, cors, origin, expected):
    server = sparql_server(served_store, timeout=30, cors=cors)
    status, headers, _ = _get(server, PERSONS, {"Origin": origin} if origin else {})
    assert status == 200
    assert headers.get("Access-Control-Allow-Origin") == expected
    _, pre, _ = _request(server.url, method="OPTIONS", headers={"Origin": origin or "", "Access-Control-Request-Method": "GET"})
    assert pre.get("Access-Control-Allow-Origin") == expected


@pytest.mark.parametrize("cors, origin", [
    ((), "null"),
    ((), "http://evil.example"),
    (("https://ok.example",), "null"),
    (("https://ok.example",), "http://evil.example"),
    (("*",), "null"),
])
@pytest.mark.parametrize("method", ["GET", "POST", "OPTIONS"])
def test_serve_pages_of_other_origins_are_refused_for_queries_too(sparql_server, served_store, cors, origin, method):
    server = sparql_server(served_store, timeout=30, cors=cors)
    if method == "POST":
        status, headers, body = _request(server.url, method="POST", data=urllib.parse.urlencode({"query": PERSONS}).encode(),
                                         headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": origin,
                                                  "Accept": "text/csv"})
    elif method == "GET":
        status, headers, body = _get(server, PERSONS, {"Origin": origin})
    else:
        status, headers, body = _request(server.url, method="OPTIONS",
                                         headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
    assert status == 403 and body.decode("utf-8").startswith(f"[E113] Origin {origin!r}")
    assert "Access-Control-Allow-Origin" not in headers


def test_serve_a_null_origin_cannot_wipe_the_store(sparql_server, tmp_path, query_fixture_graph):
    """The issue's case: kg serve STORE --allow-update, and a sandboxed frame posts update=DROP ALL."""
    from kg.store.store import open_store
    import pyoxigraph as ox

    folder = tmp_path / "store"
    store = ox.Store(str(folder))
    store.bulk_load(path=str(query_fixture_graph), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    server = sparql_server(open_store(folder, read_only=False), timeout=30, allow_update=True)
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    before = int(_get(server, count)[2].split()[1])
    for origin in ("null", "http://evil.example"):
        status, _, body = _request(server.url.replace("/sparql", "/update"), method="POST",
                                   data=urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
                                   headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": origin})
        assert status == 403 and body.startswith(b"[E113]")
    assert before > 0 and int(_get(server, count)[2].split()[1]) == before


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


def test_serve_connections_over_the_cap_are_closed_when_all_run_queries(sparql_server, served_store):
    server = sparql_server(served_store, timeout=3, max_connections=2, max_workers=2, request_timeout=5)
    busy = [threading.Thread(target=_get, args=(server, SLOW)) for _ in range(2)]
    for t in busy:
        t.start()
    try:
        time.sleep(0.5)
        with socket.create_connection(("127.0.0.1", _port(server)), timeout=10) as s:
            assert s.recv(4096).startswith(b"HTTP/1.1 503")
    finally:
        for t in busy:
            t.join(30)
    assert _get(server, PERSONS)[0] == 200


def _drip(port: int, lines: int, every: float, closed_after: list) -> None:
    """A slowloris client: a request line, then a header line every ``every`` s, never the end of the headers."""
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        try:
            s.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n")
            for i in range(lines):  # bounded: the server must close long before the last line
                time.sleep(every)
                s.sendall(b"X-Drip-%d: 1\r\n" % i)
            s.settimeout(5)
            while s.recv(4096):
                pass
        except OSError:  # reset by the server
            pass
    closed_after.append(time.monotonic() - start)


def test_serve_slowloris_is_closed_at_the_deadline_and_takes_no_slot_for_good(sparql_server, served_store, monkeypatch):
    """Clients that drip a header line now and then are closed at the request deadline, and cannot hold every
    connection slot meanwhile: a client that sends its request at once is served. What a client that was cut
    off had sent is not taken for a request (its query is never run)."""
    answered = []
    real = kg.store.serve.answer_query
    monkeypatch.setattr(kg.store.serve, "answer_query", lambda *a, **k: (answered.append(a[1]), real(*a, **k))[1])
    server = sparql_server(served_store, timeout=30, max_connections=4, request_timeout=1.5)
    closed: list[float] = []
    drippers = [threading.Thread(target=_drip, args=(_port(server), 40, 0.25, closed)) for _ in range(4)]
    for t in drippers:
        t.start()
    try:
        time.sleep(0.5)  # every slot is taken by a dripping client
        for _ in range(3):
            status, _, body = _get(server, PERSONS)
            assert status == 200, body
    finally:
        for t in drippers:
            t.join(30)
    assert len(closed) == 4 and max(closed) < 5  # 40 lines would take 10 s: each was closed at about 1.5 s
    assert answered == [PERSONS] * 3


def test_serve_idle_connections_make_room_for_a_new_one(sparql_server, served_store):
    server = sparql_server(served_store, timeout=30, max_connections=2, request_timeout=30)
    idle = [socket.create_connection(("127.0.0.1", _port(server)), timeout=10) for _ in range(2)]
    try:
        time.sleep(0.3)
        assert _get(server, PERSONS)[0] == 200  # the idle connection that came first was closed for it
        idle[0].settimeout(5)
        assert idle[0].recv(4096) == b""
    finally:
        for s in idle:
            s.close()


def _never_read(port: int, query: str, done: threading.Event, got: list) -> None:
    """A client that asks for a large answer and does not read it until ``done`` (bounded: 60 s); then it
    reads what it can and says how many bytes came."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(f"GET /sparql?{urllib.parse.urlencode({'query': query})} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                  "Accept: text/csv\r\nConnection: close\r\n\r\n".encode())
        done.wait(60)
        size, start = 0, time.monotonic()
        try:
            s.settimeout(5)
            while part := s.recv(1 << 20):
                size += len(part)
                if time.monotonic() - start > 20:
                    break
        except OSError:
            pass
        got.append(size)


BIG = "SELECT ?a ?b ?c ?d WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 40000"  # about 8 MB of CSV


def _writing(server, n: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:  # until n answers are being written, and not read
        with server._lock:
            if sum(answer for _, answer in server._reading.values()) >= n:
                return
        time.sleep(0.05)
    pytest.fail(f"{n} answers were never written at once")


def test_serve_clients_that_do_not_read_their_answers_can_be_made_room_for(sparql_server, served_store):
    server = sparql_server(served_store, timeout=60, max_connections=3, max_workers=3, request_timeout=5)
    done, got = threading.Event(), []
    readers = [threading.Thread(target=_never_read, args=(_port(server), BIG, done, got)) for _ in range(3)]
    for t in readers:
        t.start()
    try:
        _writing(server, 3)
        assert _get(server, PERSONS)[0] == 200  # the slot of the one that has been reading longest, for one that reads
    finally:
        done.set()
        for t in readers:
            t.join(90)
    assert len(got) == 3


def test_serve_an_answer_not_read_in_time_is_cut_off(sparql_server, served_store, monkeypatch):
    server = sparql_server(served_store, timeout=60, max_workers=3, request_timeout=1)
    whole = len(_get(server, BIG)[2])
    monkeypatch.setattr(kg.store.serve, "MIN_READ_RATE", 1 << 30)  # the answer's deadline: about request_timeout
    done, got = threading.Event(), []
    reader = threading.Thread(target=_never_read, args=(_port(server), BIG, done, got))
    reader.start()
    try:
        _writing(server, 1)  # its answer is being written, and not read
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # until it is cut off
            with server._lock:
                if server._open == 0 and not server._reading:
                    break
            time.sleep(0.1)
    finally:
        done.set()
        reader.join(90)
    assert whole > 4 << 20 and got and got[0] < whole  # it never got the whole answer
    with server._lock:
        assert server._open == 0 and not server._reading
