"""A read-only SPARQL 1.1 Protocol endpoint over a built graph, on the standard library's HTTP server."""

from __future__ import annotations

import html
import logging
import re
import os
import socket
import threading
import time
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Sequence

from kg import __version__
from kg.errors import Errors, KGError, QueryError, ServeError
from kg.store.query import answer_query, run_query
from kg.store.results import MIME_TYPES
from kg.store.store import Store

__all__ = ["DEFAULT_MAX_RESULT_BYTES", "DEFAULT_MAX_WORKERS", "DEFAULT_TIMEOUT", "MAX_BODY", "REQUEST_TIMEOUT",
           "SparqlServer", "make_server", "negotiate", "status_for"]

log = logging.getLogger(__name__)

#: Seconds a query may run unless told otherwise.
DEFAULT_TIMEOUT = 30.0

#: Largest request body accepted, in bytes.
MAX_BODY = 1 << 20

#: Largest answer sent, in bytes, unless told otherwise.
DEFAULT_MAX_RESULT_BYTES = 50_000_000

#: Queries run at once unless told otherwise (each in its own worker process).
DEFAULT_MAX_WORKERS = min(4, max(2, os.cpu_count() or 1))

#: Seconds a client may take to send each part of a request, and its whole body.
REQUEST_TIMEOUT = 30.0

#: Connections served at once; more are closed at once.
MAX_CONNECTIONS = 64

#: Bytes a second a client must at least read an answer at (beyond ``request_timeout``), or be cut off.
MIN_READ_RATE = 64 << 10

#: Seconds a client told the server is busy should wait (``Retry-After``).
RETRY_AFTER = 2

#: Paths of the query and update services.
QUERY_PATHS = ("/sparql", "/query")
UPDATE_PATHS = ("/update",)

#: Short names accepted by the ``format`` (or ``output``) parameter, for links and browsers.
FORMAT_NAMES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "turtle": "text/turtle", "ttl": "text/turtle", "ntriples": "application/n-triples",
    "nt": "application/n-triples", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml",
}

# media types clients ask for under other names, by query form
_ALIASES = {
    "select": {"application/json": "application/sparql-results+json", "application/xml":
               "application/sparql-results+xml", "text/xml": "application/sparql-results+xml"},
    "construct": {"text/plain": "application/n-triples", "application/x-turtle": "text/turtle",
                  "application/json": "application/ld+json", "application/xml": "application/rdf+xml"},
}
_ALIASES["ask"] = _ALIASES["select"]

# HTTP status for each error code of kg.errors
_STATUS = {"E011": 400, "E012": 503, "E013": 403, "E015": 406, "E017": 400, "E045": 400, "E100": 400, "E101": 400,
           "E102": 413, "E103": 400, "E104": 400, "E105": 400, "E106": 400, "E107": 400, "E110": 421, "E111": 413,
           "E112": 503, "E113": 403}
_CODE = re.compile(r"^\[([EW]\d+)\]")
_DATASET_PARAMS = ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")
_FORM = "application/x-www-form-urlencoded"
_QUERY_TYPE = "application/sparql-query"
_UPDATE_TYPE = "application/sparql-update"
_CORS = {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}

_INDEX = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>newskg SPARQL endpoint</title>
<style>body{{font:15px sans-serif;margin:2em;max-width:60em}}textarea{{width:100%;height:12em;font:14px monospace}}</style>
</head><body>
<h1>newskg SPARQL endpoint</h1>
<p>SPARQL 1.1 Protocol at <code>/sparql</code> (GET <code>?query=</code>, POST form or
<code>application/sparql-query</code>); read-only{update}. Queries may use the prefixes
<code>schema:</code>, <code>nkg:</code>, <code>org:</code>, <code>nif:</code> … without declaring them;
they see the union of all graphs. Time limit: {timeout}.</p>
<form action="/sparql" method="get">
<textarea name="query">SELECT ?name (COUNT(?a) AS ?articles)
WHERE {{ ?a a schema:NewsArticle ; schema:author/schema:name ?name }}
GROUP BY ?name ORDER BY DESC(?articles)</textarea>
<p><label>parameters, one <code>NAME=VALUE</code> a line, for a query that declares them with
<code># @param NAME</code> lines (bound as RDF terms, as <code>kg query --param</code> does):<br>
<textarea name="param" style="height:4em"></textarea></label></p>
<p><label>format <select name="format">{options}</select></label> <button>run</button></p>
</form></body></html>
"""


def negotiate(accept: str | None, offered: Sequence[str], aliases: dict[str, str] | None = None) -> str | None:
    """The media type of ``offered`` that an HTTP ``Accept`` header prefers, or None.

    Quality values (``;q=0.5``) and wildcards (``*/*``, ``text/*``) count; among equals
    the more specific range wins, then the order of ``offered``. A missing or empty
    header accepts the first offered type. ``aliases`` maps other names a client may
    use (``application/json``) to offered types.

    Examples
    --------
    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", ["application/sparql-results+json",
    ...           "application/sparql-results+xml", "text/csv"])
    'application/sparql-results+xml'
    >>> negotiate("text/*", ["application/sparql-results+json", "text/csv"])
    'text/csv'
    >>> negotiate("image/png", ["text/csv"]) is None
    True
    """
    if not accept or not accept.strip():
        return offered[0] if offered else None
    aliases = aliases or {}
    best: dict[str, tuple[float, int]] = {}
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = aliases.get(fields[0].lower(), fields[0].lower())
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            name, _, value = f.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        major, _, minor = media.partition("/")
        specificity = 0 if media == "*/*" else 1 if minor == "*" else 2
        for cand in offered:
            if media == "*/*" or media == cand or (minor == "*" and cand.startswith(major + "/")):
                old = best.get(cand)
                if old is None or specificity > old[1]:
                    best[cand] = (q, specificity)
    ranked = [(q, -i, cand) for i, cand in enumerate(offered) if (q := best.get(cand, (0.0, 0))[0]) > 0]
    return max(ranked)[2] if ranked else None


def status_for(exc: KGError) -> int:
    """The HTTP status that answers an error, by its code: E011 400, E012 503, E013 403, E015 406, E111 413, else 500.

    Examples
    --------
    >>> status_for(QueryError(Errors.E013))
    403
    """
    m = _CODE.match(str(exc))
    return _STATUS.get(m.group(1), 500) if m else 500


class _Refused(Exception):
    """A request answered with an error status before any query runs."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def _bad(why: str, status: int = 400, headers: dict[str, str] | None = None) -> _Refused:
    return _Refused(status, Errors.E045.format(why=why), headers)


class _Slot:
    """A held slot of a semaphore, released on leaving the ``with`` block."""

    def __init__(self, semaphore: threading.BoundedSemaphore):
        self.semaphore = semaphore

    def __enter__(self) -> _Slot:
        return self

    def __exit__(self, *exc) -> None:
        self.semaphore.release()


def _cut(sock: socket.socket, reading_only: bool = False) -> None:
    """End a connection's reading (a blocked read returns at once), and its writing unless ``reading_only``
    (so that a late request can still be told 408)."""
    try:
        sock.shutdown(socket.SHUT_RD if reading_only else socket.SHUT_RDWR)
    except OSError:
        pass


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


class SparqlServer(ThreadingHTTPServer):
    """A threading HTTP server that answers SPARQL 1.1 Protocol requests on one store."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, store: Store, *, timeout: float | None, allow_update: bool,
                 html_path: Path | None, allow_service: bool = False, cors: Sequence[str] = (),
                 max_result_bytes: int | None = DEFAULT_MAX_RESULT_BYTES, max_workers: int = DEFAULT_MAX_WORKERS,
                 request_timeout: float = REQUEST_TIMEOUT, max_connections: int = MAX_CONNECTIONS,
                 allow_hosts: Sequence[str] = ()):
        self.store = store
        self.query_timeout = timeout
        self.allow_update = allow_update
        self.allow_service = allow_service
        self.html_path = html_path
        self.cors = tuple(cors)
        self.max_result_bytes = max_result_bytes
        self.max_workers = max_workers
        self.workers = threading.BoundedSemaphore(max_workers)
        self.request_timeout = request_timeout
        self.max_connections = max_connections
        self._lock = threading.Lock()
        self._open = 0  # connections being served
        # connections sending a request or being sent an answer: (when it must be done, whether it is the answer)
        self._reading: dict[socket.socket, tuple[float, bool]] = {}
        self._cut: set[socket.socket] = set()  # connections closed by the server while they were sending or reading
        self._closing = threading.Event()
        self.extra_hosts = tuple(h.lower() for h in allow_hosts)
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)
        self.hosts = self._hosts(address[0])
        self._reaper = threading.Thread(target=self._reap, name="kg-serve-deadlines", daemon=True)
        self._reaper.start()

    def _hosts(self, host: str) -> frozenset[str]:
        """The ``Host`` header values that name this server: its address, loopback names, ``--host``."""
        port = self.server_address[1]
        names = {"127.0.0.1", "localhost", "[::1]", _bracket(host.lower()), *map(_bracket, self.extra_hosts)}
        names.discard("")
        hosts = {f"{name}:{port}" for name in names}
        if port == 80:
            hosts |= names
        return frozenset(hosts)

    @property
    def origins(self) -> frozenset[str]:
        """The origins of this server's own pages (``http://127.0.0.1:PORT`` ...)."""
        return frozenset(f"http://{h}" for h in self.hosts)

    def origin_allowed(self, origin: str) -> bool:
        """Whether a page of ``origin`` may send requests here: this server's own pages, and those ``cors``
        allows (``null`` only when listed by name).

        Examples
        --------
        >>> from kg.store.store import open_store
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.nt"
        >>> _ = p.write_text('<urn:a> <urn:b> "c" .')
        >>> server = make_server(open_store(p), port=0, cors=["https://yasgui.example"])
        >>> [server.origin_allowed(o) for o in ("null", "http://evil.example", "https://yasgui.example")]
        [False, False, True]
        >>> server.server_close()
        """
        if origin == "null":
            return "null" in self.cors
        return origin.lower() in self.origins or origin in self.cors or "*" in self.cors

    # ------------------------------------------------------------------ connections and their deadlines

    def process_request(self, request, client_address) -> None:
        """Serve the connection in a thread. When ``max_connections`` are open, the one that has been
        sending its request the longest is closed to make room (slow clients cannot hold every slot);
        when every connection is running a query, the new one is answered 503 and closed."""
        with self._lock:
            admitted = self._open < self.max_connections or self._evict_slowest()
            if admitted:
                self._open += 1
                # its request's time starts now, before its thread runs: it can be made room for at once
                self._reading[request] = (time.monotonic() + self.request_timeout, False)
        if not admitted:
            log.info("connection from %s closed: %d connections open", client_address, self.max_connections)
            try:
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: %d\r\nContent-Length: 0\r\n"
                                b"Connection: close\r\n\r\n" % RETRY_AFTER)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            with self._lock:
                self._open -= 1
                self._reading.pop(request, None)
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._lock:
                self._open -= 1
                self._reading.pop(request, None)
                self._cut.discard(request)

    def was_cut(self, sock: socket.socket) -> bool:
        """Whether the server closed ``sock`` for being too slow (what it sent then is not a request)."""
        with self._lock:
            return sock in self._cut

    def _evict_slowest(self) -> bool:
        """Close the connection that started sending its request first (holding the lock); False when none is."""
        if not self._reading or self._open >= 2 * self.max_connections:  # evicted ones not gone yet: wait for them
            return False
        sock = min(self._reading, key=self._reading.__getitem__)
        del self._reading[sock]
        self._cut.add(sock)
        log.info("connection %s closed to make room: still sending its request", sock)
        _cut(sock)
        return True

    def admitted(self, sock: socket.socket) -> float | None:
        """The deadline a connection was given when it was taken (None once it no longer has one)."""
        with self._lock:
            entry = self._reading.get(sock)
        return entry[0] if entry is not None and not entry[1] else None

    def reading(self, sock: socket.socket, until: float | None, *, answer: bool = False) -> None:
        """Start (``until``: the monotonic deadline) or end (None) the time ``sock`` has to send its request
        (or, with ``answer``, to read its answer: a client that does not read holds no slot for good)."""
        with self._lock:
            if until is None:
                self._reading.pop(sock, None)
            else:
                self._reading[sock] = (until, answer)

    def _reap(self) -> None:
        """Close every connection whose request is not in by its deadline, whatever it sends meanwhile."""
        tick = max(0.05, min(0.5, self.request_timeout / 4))
        while not self._closing.wait(tick):
            now = time.monotonic()
            with self._lock:
                late = [(sock, answer) for sock, (until, answer) in self._reading.items() if until <= now]
                for sock, _ in late:
                    del self._reading[sock]
                    self._cut.add(sock)
            for sock, answer in late:
                log.info("connection %s closed: %s in time", sock, "answer not read" if answer else "request not complete")
                _cut(sock, reading_only=not answer)

    def server_close(self) -> None:
        self._closing.set()
        super().server_close()

    def handle_error(self, request, client_address) -> None:
        """Log a failed request (a client that hung up, say) instead of printing a traceback."""
        log.debug("request from %s failed", client_address, exc_info=True)

    @property
    def url(self) -> str:
        """The query service URL, such as ``http://127.0.0.1:8000/sparql``."""
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/sparql"


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = f"newskg/{__version__}"
    sys_version = ""

    # ------------------------------------------------------------------ plumbing

    def setup(self) -> None:
        self.timeout = self.server.request_timeout  # each read and write of the socket
        self._deadline = 0.0
        super().setup()

    def handle_one_request(self) -> None:
        """One request, which must be in (line, headers and body) within ``request_timeout`` of when the
        server began to wait for it; the server closes the connection then, whatever it sends meanwhile."""
        first = not self._deadline  # the first request's time began when the connection was taken
        self._deadline = (self.server.admitted(self.request) if first else None) or \
            time.monotonic() + self.server.request_timeout
        self.server.reading(self.request, self._deadline)
        try:
            super().handle_one_request()
        finally:
            self.server.reading(self.request, None)

    @property
    def _late(self) -> bool:
        return time.monotonic() >= self._deadline or self.server.was_cut(self.request)

    def _received(self) -> None:
        """The whole request is in: its deadline no longer applies (the query has its own)."""
        self.server.reading(self.request, None)

    def parse_request(self) -> bool:
        ok = super().parse_request()
        if ok and self._late:  # the headers ended because the server cut the connection: not a request
            self.close_connection = True
            return False
        return ok

    def version_string(self) -> str:
        return self.server_version

    def _cors(self) -> dict[str, str]:
        """CORS headers for this request's ``Origin``: none unless ``--cors`` allows it."""
        allowed = self.server.cors
        origin = self.headers.get("Origin") if self.headers else None
        if origin is not None and not self.server.origin_allowed(origin):
            return {}
        if "*" in allowed:
            return {"Access-Control-Allow-Origin": "*", **_CORS}
        if origin and origin in allowed:
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin", **_CORS}
        return {}

    def _guard(self) -> None:
        """Refuse a request that names another host (DNS rebinding) or comes from a page of another origin:
        a foreign site, or ``null`` (sandboxed frames, ``file:`` and ``data:`` pages), unless ``--cors`` allows it."""
        host = (self.headers.get("Host") or "").strip().lower()
        if host and host not in self.server.hosts:
            self.close_connection = True
            raise _Refused(421, Errors.E110.format(host=host, allowed=", ".join(sorted(self.server.hosts))))
        origin = self.headers.get("Origin")
        if origin is not None and not self.server.origin_allowed(origin):
            self.close_connection = True
            raise _Refused(403, Errors.E113.format(origin=origin))

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        log.info("%s %s", self.address_string(), format % args)

    def _send(self, status: int, body: bytes = b"", ctype: str | None = None,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        fields = self._cors()
        if ctype:
            fields["Content-Type"] = ctype
        fields.update(headers or {})
        for name, value in fields.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and body:
            seconds = self.server.request_timeout + len(body) / MIN_READ_RATE
            self.server.reading(self.request, time.monotonic() + seconds, answer=True)
            try:
                self.wfile.write(body)
            finally:
                self.server.reading(self.request, None)

    def _send_error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        log.info("%s %s -> %d %s", self.command, self.path.split("?")[0], status, message)
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            raise _bad("chunked request bodies are not supported; send Content-Length", 411)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            raise _bad("Content-Length is not a number") from None
        if length > MAX_BODY:
            self.close_connection = True
            raise _bad(f"request body of {length:,} bytes; at most {MAX_BODY:,}", 413)
        parts, left = [], max(0, length)
        while left:
            if self._late:
                self.close_connection = True
                raise _bad(f"request body not received within {self.server.request_timeout:g} s", 408)
            try:
                part = self.rfile.read1(min(left, 65536))
            except (TimeoutError, OSError):
                self.close_connection = True
                raise _bad(f"request body not received within {self.server.request_timeout:g} s", 408) from None
            if not part:
                self.close_connection = True
                if self._late:
                    raise _bad(f"request body not received within {self.server.request_timeout:g} s", 408)
                raise _bad(f"request body ended after {length - left:,} of {length:,} bytes")
            parts.append(part)
            left -= len(part)
        return b"".join(parts)

    # ------------------------------------------------------------------ methods

    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming
        self._received()
        try:
            self._guard()
        except _Refused as exc:
            return self._send_error(exc.status, exc.message, exc.headers)
        wanted = self.headers.get("Access-Control-Request-Headers")
        headers = {"Allow": "GET, POST, OPTIONS"}
        if wanted and self._cors():
            headers["Access-Control-Allow-Headers"] = wanted
        self._send(HTTPStatus.NO_CONTENT, headers=headers)

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        path, _, qs = self.path.partition("?")
        self._received()
        try:
            self._guard()
            if path in ("/", "/index.html"):
                return self._index()
            params = self._params(qs)
            if path in QUERY_PATHS:
                if "update" in params:
                    raise _bad("updates must be sent with POST", 405, {"Allow": "POST"})
                return self._answer(self._one(params, "query"), params)
            if path in UPDATE_PATHS:
                raise _bad("updates must be sent with POST", 405, {"Allow": "POST"})
            raise _bad(f"no such resource {path}; the SPARQL endpoint is /sparql", 404)
        except _Refused as exc:
            self._send_error(exc.status, exc.message, exc.headers)

    def do_POST(self) -> None:  # noqa: N802
        path, _, qs = self.path.partition("?")
        try:
            self._guard()
            if path not in QUERY_PATHS + UPDATE_PATHS:
                self.close_connection = True
                raise _bad(f"no such resource {path}; the SPARQL endpoint is /sparql", 404)
            body = self._body()
            self._received()
            params = self._params(qs)
            ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if ctype == _FORM:
                params.update(self._params(body.decode("utf-8", "replace")))
                if "query" in params and "update" in params:
                    raise _bad("send either query or update, not both")
                if "update" in params:
                    return self._update(self._one(params, "update"))
                text = self._one(params, "query")
            elif ctype in (_QUERY_TYPE, _UPDATE_TYPE):
                text = self._decode(body)
                if ctype == _UPDATE_TYPE:
                    return self._update(text)
            else:
                raise _bad(f"Content-Type {ctype or 'missing'}; use {_FORM}, {_QUERY_TYPE} or {_UPDATE_TYPE}", 415)
            if path in UPDATE_PATHS:
                return self._update(text)
            self._answer(text, params)
        except _Refused as exc:
            self._send_error(exc.status, exc.message, exc.headers)

    # ------------------------------------------------------------------ SPARQL

    @staticmethod
    def _decode(body: bytes) -> str:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise _bad("the request body is not UTF-8") from None

    @staticmethod
    def _params(qs: str) -> dict[str, list[str]]:
        try:
            params = urllib.parse.parse_qs(qs, keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, ValueError):
            raise _bad("the parameters are not UTF-8") from None
        for name in _DATASET_PARAMS:
            if name in params:
                raise _bad(f"{name} is not supported; use FROM / FROM NAMED / GRAPH in the query")
        return params

    @staticmethod
    def _one(params: dict[str, list[str]], name: str) -> str:
        values = params.get(name)
        if not values or not values[0].strip():
            raise _bad(f"no {name}: send ?{name}=… or POST it")
        if len(values) > 1:
            raise _bad(f"more than one {name} parameter")
        return values[0]

    def _worker(self):
        """Hold one of ``max_workers`` slots while a query runs, or refuse with 503 and ``Retry-After``."""
        if not self.server.workers.acquire(blocking=False):
            raise _Refused(503, Errors.E112.format(workers=self.server.max_workers, seconds=RETRY_AFTER),
                           {"Retry-After": str(RETRY_AFTER)})
        return _Slot(self.server.workers)

    def _update(self, text: str) -> None:
        if not self.server.allow_update:
            raise _Refused(403, Errors.E013)
        with self._worker():
            try:
                run_query(self.server.store, text, timeout=self.server.query_timeout, allow_update=True,
                          allow_service=self.server.allow_service, only_update=True)
            except QueryError as exc:
                raise _Refused(status_for(exc), str(exc)) from None
        self._send(HTTPStatus.NO_CONTENT)

    @staticmethod
    def _query_params(params: dict[str, list[str]]) -> dict[str, str]:
        """The query's parameters: each ``param`` value holds ``NAME=VALUE`` lines (a form's text area holds several)."""
        out = {}
        for value in params.get("param", []):
            for line in value.splitlines():
                if not line.strip():
                    continue
                name, sep, given = line.partition("=")
                if not sep or not name.strip():
                    raise _bad(f"param {line!r}: give NAME=VALUE")
                out[name.strip()] = given.rstrip("\r")
        return out

    def _answer(self, text: str, params: dict[str, list[str]]) -> None:
        fmt = (params.get("format") or params.get("output") or [""])[0].strip().lower()
        accept = self.headers.get("Accept")

        def mime_for(form: str) -> str:  # called once the query is read and its form known
            offered = MIME_TYPES[form]
            if fmt:
                mime = FORMAT_NAMES.get(fmt, fmt)
                mime = _ALIASES[form].get(mime, mime)
                if mime not in offered:
                    raise QueryError(Errors.E015.format(form=form, mime=fmt, choices=", ".join(offered)))
                return mime
            mime = negotiate(accept, offered, _ALIASES[form])
            if mime is None:
                raise QueryError(Errors.E015.format(form=form, mime=accept, choices=", ".join(offered)))
            return mime

        values = self._query_params(params)
        with self._worker():
            try:
                answer = answer_query(self.server.store, text, mime_for, params=values,
                                      timeout=self.server.query_timeout, allow_service=self.server.allow_service,
                                      allow_update=self.server.allow_update, max_bytes=self.server.max_result_bytes)
            except QueryError as exc:
                raise _Refused(status_for(exc), str(exc)) from None
        self._send(HTTPStatus.OK, answer.body, f"{answer.mime}; charset=utf-8", {"Vary": "Accept"})

    def _index(self) -> None:
        path = self.server.html_path
        if path is not None and path.is_file():
            try:
                body = path.read_bytes()
            except OSError as exc:
                raise _bad(f"cannot read {path.name}: {exc.strerror}", 500) from None
        else:
            seconds = self.server.query_timeout
            options = "".join(f'<option value="{html.escape(k)}">{html.escape(k)}</option>'
                              for k in ("json", "xml", "csv", "tsv", "turtle", "ntriples"))
            body = _INDEX.format(update=", updates allowed at <code>/update</code>" if self.server.allow_update else "",
                                 timeout=f"{seconds:g} s" if seconds else "none",
                                 options=options).encode("utf-8")
        self._send(HTTPStatus.OK, body, "text/html; charset=utf-8")


def make_server(store: Store, host: str = "127.0.0.1", port: int = 0, *, timeout: float | None = DEFAULT_TIMEOUT,
                allow_update: bool = False, html_path: str | Path | None = None, allow_service: bool = False,
                cors: Sequence[str] = (), max_result_bytes: int | None = DEFAULT_MAX_RESULT_BYTES,
                max_workers: int = DEFAULT_MAX_WORKERS, request_timeout: float = REQUEST_TIMEOUT,
                max_connections: int = MAX_CONNECTIONS, allow_hosts: Sequence[str] = ()) -> SparqlServer:
    """A SPARQL 1.1 Protocol server on ``host:port``, bound and ready for ``serve_forever()``.

    Answers ``GET /sparql?query=…`` and ``POST /sparql`` (form, ``application/sparql-query``),
    choosing the results format by the ``Accept`` header (SPARQL results JSON or XML,
    CSV, TSV; Turtle, N-Triples, JSON-LD or RDF/XML for CONSTRUCT and DESCRIBE) or a
    ``format`` parameter (``json``, ``csv``, ``turtle`` …). Errors are plain text: a
    syntax error 400 ([E011]), an update when not allowed 403 ([E013]), ``SERVICE``
    400 ([E100]), no acceptable format 406, a query (and the writing of its answer)
    over the time limit 503 ([E012]), an answer over ``max_result_bytes`` 413 ([E111]),
    all ``max_workers`` busy 503 with ``Retry-After`` ([E112]), a ``Host`` header that
    names another server 421 ([E110]), a POST from a foreign page 403 ([E113]), any
    other failure 500. No CORS headers unless ``cors`` lists the origin (or ``*``).
    ``/`` serves ``html_path`` (the graph's HTML view) or a query form.

    Parameters
    ----------
    store : Store
        From :func:`kg.store.store.open_store` (open it read-only unless ``allow_update``).
    host : str
        Address to listen on; the loopback address by default.
    port : int
        0 picks a free port; read it back from ``server.server_address`` or ``server.url``.
    timeout : float or None
        Seconds a query may run (``None``: no limit).
    allow_update : bool
        Accept SPARQL Update at ``POST /update`` (or ``update=`` to ``/sparql``).
    html_path : path, optional
        The page to serve at ``/``.
    allow_service : bool
        Run queries with ``SERVICE`` (federation: the server fetches the URLs they name).
    cors : sequence of str
        Origins (``https://example.org``, or ``*``) whose pages may read the answers.
    max_result_bytes : int or None
        Largest answer, in bytes (``None``: no limit).
    max_workers : int
        Queries run at once; more are answered 503.
    request_timeout : float
        Seconds a client may take for each read of its request, and for its whole body.
    max_connections : int
        Connections served at once; more are closed with a 503.
    allow_hosts : sequence of str
        Further names clients may use in ``Host`` (the name of this machine, say).

    Returns
    -------
    SparqlServer
        Run it with ``serve_forever()``; stop it with ``shutdown()`` and ``server_close()``.

    Raises
    ------
    ServeError
        [E044] when the address cannot be bound (the port is taken, say).

    Examples
    --------
    >>> import threading, urllib.request, urllib.parse, tempfile, pathlib
    >>> from kg.store.store import open_store
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.nt"
    >>> _ = p.write_text('<urn:a> <urn:b> "c" .')
    >>> server = make_server(open_store(p), port=0, timeout=10)
    >>> threading.Thread(target=server.serve_forever, daemon=True).start()
    >>> url = server.url + "?" + urllib.parse.urlencode({"query": "SELECT ?o { ?s ?p ?o }"})
    >>> req = urllib.request.Request(url, headers={"Accept": "text/csv"})
    >>> urllib.request.urlopen(req).read()
    b'o\\r\\nc\\r\\n'
    >>> server.shutdown(); server.server_close()
    """
    if timeout is not None and not (isinstance(timeout, (int, float)) and timeout > 0):
        raise QueryError(Errors.E017.format(value=timeout))
    try:
        return SparqlServer((host, port), store, timeout=timeout, allow_update=allow_update,
                            html_path=Path(html_path) if html_path else None, allow_service=allow_service,
                            cors=cors, max_result_bytes=max_result_bytes, max_workers=max_workers,
                            request_timeout=request_timeout, max_connections=max_connections,
                            allow_hosts=allow_hosts)
    except OSError as exc:
        raise ServeError(Errors.E044.format(host=host, port=port, why=exc.strerror or exc)) from exc
