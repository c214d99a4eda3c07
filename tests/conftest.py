"""Shared fixtures: the sample page, its gold annotation, temporary outputs."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "source" / "workers-daily-2022-11-theory.txt"
DATA = Path(__file__).resolve().parent / "data"
SHARED = Path(os.environ.get("KG_SHARED") or ROOT.parent / "shared")  # $KG_SHARED: a worktree not beside them
GOLD = DATA / "workers-daily-2022-11-theory.gold.json"

#: Set (to 1) in the run of the README's test command that tests/test_fresh_clone.py makes in a fresh clone.
FRESH_CLONE = "NEWSKG_FRESH_CLONE"


def shared_data(*parts: str) -> Path:
    """``../shared/<parts>``, the shared development data (dev sets, bench corpus), or skip the test.

    A fresh clone has no ``../shared``: a test that needs it says so and is skipped. CI has
    it, so there a missing path fails the test (except in the fresh clone CI makes on purpose).
    """
    path = SHARED.joinpath(*parts)
    if not path.exists():
        why = (f"needs the shared development data ../shared/{'/'.join(parts)}, which a fresh clone does not "
               "have (CI has it)")
        if os.environ.get("CI") and not os.environ.get(FRESH_CLONE):
            pytest.fail(why)
        pytest.skip(why)
    return path


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


def _article_blocks(text: str, article: dict) -> list[tuple[str, str]]:
    """Blocks of one gold article cut from the sample page: wrapped lines rejoined into paragraphs."""
    start = text.index(article["body_starts_with"][:8])
    end = text.index(article["body_ends_with"][-5:], start) + 5
    blocks, cur = [], ""
    for line in text[start:end].split("\n"):
        cur += line.strip()
        if cur in article["sections"]:
            blocks.append(("heading", cur))
            cur = ""
        elif cur and (line.strip().startswith("——") or cur.endswith("。")):
            blocks.append(("paragraph", cur))
            cur = ""
    if cur:
        blocks.append(("paragraph", cur))
    return blocks


@pytest.fixture(scope="session")
def theory_articles(sample_text, gold) -> dict:
    """Articles A (张冬梅), B (苏炜, 刘景芝) and D (the compiled symposium) of the sample page.

    Each is ``{"title", "authors", "sections", "blocks": [(kind, text), ...]}`` with
    paragraphs rejoined from the page's wrapped lines, for readers' tests.
    """
    return {
        a["id"]: {
            "title": a["title"],
            "authors": tuple(a["authors"]),
            "sections": tuple(a["sections"]),
            "blocks": _article_blocks(sample_text, a),
        }
        for a in gold["articles"]
        if a["id"] in ("A", "B", "D")
    }


# ---- the HTML view (tests/test_view*.py)

VIEW_DATA = DATA / "view"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """tests/artifacts/: screenshots and other outputs kept for a person to look at (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def view_fixture_graph() -> Path:
    """The hand-made two-article graph in the shape of docs/GRAPH.md (tests/data/view/sample.ttl)."""
    return VIEW_DATA / "sample.ttl"


@pytest.fixture(scope="session")
def view_sample_graph(request, view_fixture_graph) -> Path:
    """The graph of the sample page as ``kg build`` makes it (``sample_graph_dir``); the hand-made one before."""
    import importlib.util

    if importlib.util.find_spec("kg.commands.build") is None:
        return view_fixture_graph
    out = request.getfixturevalue("sample_graph_dir")
    for name in ("graph.trig", "graph.ttl", "graph.nq"):
        if (out / name).exists():
            return out / name
    raise AssertionError(f"kg build wrote no graph file in {out}: {sorted(p.name for p in out.iterdir())}")


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the browser tests; skipped when missing outside CI."""
    import os

    from browser import Chromium, have_chromium

    if not have_chromium():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing in CI: .ci/run must install chromium and fonts-noto-cjk")
        pytest.skip("needs /usr/bin/chromium (apt-get install chromium fonts-noto-cjk)")
    with Chromium() as browser:
        yield browser


# ---- queries, validation and the ontology (tests/test_query.py, test_validate.py, test_ontology.py)

QUERY_DATA = DATA / "query"


@pytest.fixture(scope="session")
def query_fixture_graph() -> Path:
    """The hand-made four-article dataset in the shape of docs/GRAPH.md (tests/data/query/sample.trig)."""
    return QUERY_DATA / "sample.trig"


@pytest.fixture(scope="session")
def sample_graph_dir(tmp_path_factory) -> Path:
    """The output folder of ``kg build`` on the sample page, built once per session (skipped until ``kg build`` exists)."""
    import importlib.util

    if importlib.util.find_spec("kg.commands.build") is None:
        pytest.skip("kg build is not available yet")
    from kg.cli import main

    out = tmp_path_factory.mktemp("sample-build")
    assert main(["build", str(SAMPLE), "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def sample_graph_file(sample_graph_dir) -> Path:
    """The graph file ``kg build`` wrote for the sample page (TriG preferred)."""
    for pattern in ("*.trig", "*.nq", "*.ttl", "*.nt", "*.jsonld"):
        found = sorted(sample_graph_dir.rglob(pattern))
        if found:
            return found[0]
    raise AssertionError(f"kg build wrote no graph file in {sample_graph_dir}")


@pytest.fixture
def kg_cli(capsys, monkeypatch):
    """Run ``kg ARGV`` in-process; return ``(exit status, stdout, stderr)``.

    Commands whose module does not exist yet are left out of the parser.
    """
    import importlib.util

    from kg import cli

    monkeypatch.setattr(cli, "COMMANDS", tuple(
        c for c in cli.COMMANDS if importlib.util.find_spec(f"kg.commands.{c}") is not None))

    def run(*argv) -> tuple[int, str, str]:
        code = cli.main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="session")
def view_graph(view_fixture_graph):
    """The hand-made graph, read."""
    from kg.rdf.read import read_dataset

    return read_dataset(view_fixture_graph)


@pytest.fixture(scope="session")
def view_page(view_graph) -> str:
    """The HTML view of the hand-made graph."""
    from kg.export.html import render_html

    return render_html(view_graph, title="sample")


@pytest.fixture
def kg_view(monkeypatch):
    """``kg view ARGS...`` through ``kg.cli.main`` with only the view command registered."""
    from kg.cli import main

    monkeypatch.setattr("kg.cli.COMMANDS", ("view",))
    return lambda *argv: main(["view", *map(str, argv)])


@pytest.fixture(scope="session")
def view_sample_page(view_sample_graph, tmp_path_factory):
    """``(path, stats)`` of the HTML view of the sample page's graph: the graph.html ``kg build`` wrote."""
    from kg.export.html import build_view, write_html
    from kg.rdf.read import read_dataset

    graph = read_dataset(view_sample_graph)
    built = view_sample_graph.parent / "graph.html"
    if view_sample_graph != VIEW_DATA / "sample.ttl" and built.exists():
        return built, build_view(graph).stats
    out = tmp_path_factory.mktemp("view") / "graph.html"
    return out, write_html(graph, out, title="工人日报 2022-11 理论版")


# ---- segmentation, extraction and the graph (tests/test_segment.py, test_extract.py, test_graph.py)


@pytest.fixture(scope="session")
def sample_page(sample_text):
    """The sample page segmented into its articles."""
    from kg.segment.layout import segment_page

    return segment_page(sample_text, page_id="sample")


@pytest.fixture(scope="session")
def gold_by_title(sample_page, gold) -> dict:
    """Gold article id -> the segmented article with that headline."""
    norm = lambda s: s.replace(" ", "")  # noqa: E731
    by_title = {norm(a.title): a for a in sample_page.articles}
    return {g["id"]: by_title.get(norm(g["title"])) for g in gold["articles"]}


@pytest.fixture(scope="session")
def sample_build(sample_text):
    """Segmentation, extraction and resolution of the sample page (no files written)."""
    from kg.model import Document, Meta
    from kg.pipeline import collect

    return collect([Document("sample", "page", sample_text, path=str(SAMPLE), meta=Meta(source=str(SAMPLE)))])


@pytest.fixture(scope="module")
def query_store(query_fixture_graph):
    """The hand-made dataset opened for querying (an in-memory pyoxigraph store)."""
    from kg.store.store import open_store

    return open_store(query_fixture_graph)


@pytest.fixture(scope="session")
def query_fixture_union(query_fixture_graph):
    """The hand-made dataset as one rdflib Graph (the union of its graphs); copy it before changing it."""
    from rdflib import Graph

    from kg.rdf.read import read_dataset

    g = Graph()
    for s, p, o, _ in read_dataset(query_fixture_graph).quads((None, None, None, None)):
        g.add((s, p, o))
    return g


@pytest.fixture(scope="session")
def pyshacl_report():
    """pyshacl, the reference SHACL engine the tests compare kg.rdf.validate with, as ``report(graph, shapes=None)``.

    ``graph`` is an rdflib graph, graph files or a store folder, or a pyoxigraph store; the
    result is a :class:`kg.rdf.validate.Report` read from pyshacl's results graph. A store
    keeps ``xsd:nonNegativeInteger`` offsets as ``xsd:integer``: they are typed back before
    pyshacl sees them (what ``validate`` allows a store with ``lenient_integers``).
    """
    import pyoxigraph as ox
    from rdflib import BNode, Dataset, Graph, Literal, URIRef
    from rdflib.namespace import SH

    from kg.rdf.iris import short_name
    from kg.rdf.read import read_dataset, union
    from kg.rdf.validate import Report, Violation, path_text
    from kg.rdf.vocab import NIF, NKG, RDF, XSD, shapes_path

    pyshacl = pytest.importorskip("pyshacl")
    severity = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
    prefixes = {"sh": str(SH), "nkgsh": "https://w3id.org/newskg/shapes#"}

    def name(node) -> str:
        if node is None:
            return ""
        if isinstance(node, URIRef):
            return short_name(str(node), prefixes)
        if isinstance(node, Literal):
            text = str(node) if len(str(node)) <= 40 else str(node)[:39] + "…"
            return f'"{text}"@{node.language}' if node.language else f'"{text}"'
        return f"_:{node}"

    def retyped(g: Graph) -> Graph:
        for prop in (NIF.beginIndex, NIF.endIndex, NKG.pageBeginIndex, NKG.pageEndIndex):
            for s, o in list(g.subject_objects(prop)):
                if isinstance(o, Literal) and o.datatype == XSD.integer and isinstance(o.value, int) and o.value >= 0:
                    g.remove((s, prop, o))  # that value only: a damaged span may have others
                    g.add((s, prop, Literal(str(o), datatype=XSD.nonNegativeInteger)))
        return g

    def report(graph, shapes=None) -> Report:
        if isinstance(graph, ox.Store):
            ds = Dataset(default_union=True)
            ds.parse(data=graph.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
            data = retyped(union(ds))
        elif isinstance(graph, Graph):
            data = union(graph)
        else:
            data = union(read_dataset(graph))
            if Path(graph).is_dir():
                data = retyped(data)
        sg = shapes if isinstance(shapes, Graph) else Graph().parse(str(shapes or shapes_path()), format="turtle")
        conforms, results, _ = pyshacl.validate(data, shacl_graph=sg, advanced=True, allow_warnings=True)
        found = [Violation(
            focus=name(results.value(r, SH.focusNode)), path=path_text(results.value(r, SH.resultPath), results),
            message=" ".join(str(m) for m in results.objects(r, SH.resultMessage)),
            severity=severity.get(results.value(r, SH.resultSeverity), "Violation"),
            value=name(results.value(r, SH.value)),
            shape="" if isinstance(results.value(r, SH.sourceShape), BNode) else name(results.value(r, SH.sourceShape)),
            constraint=str(results.value(r, SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1],
        ) for r in results.subjects(RDF.type, SH.ValidationResult)]
        return Report(bool(conforms), tuple(sorted(found, key=lambda v: (v.focus, v.path, v.message, v.value))), len(data))

    return report


@pytest.fixture(scope="session")
def sample_store(sample_graph_file):
    """The built sample graph in an in-memory oxigraph store."""
    from kg.store.store import open_store

    return open_store(sample_graph_file)


@pytest.fixture(scope="session")
def ontology_graph():
    """ontology/newskg.ttl parsed."""
    from rdflib import Graph

    from kg.rdf.vocab import ontology_path

    return Graph().parse(ontology_path(), format="turtle")


# ---- engines and the page cache (tests/test_engine.py, tests/test_cache.py)


from kg.segment.layout import render_page  # noqa: E402  (one layout for tests and benches)


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory, sample_text) -> Path:
    """A folder of four pages: the sample page under three names, and a page with its first two articles swapped."""
    from kg.segment.layout import segment_page

    d = tmp_path_factory.mktemp("corpus")
    for name in ("a", "b", "c"):
        (d / f"{name}.txt").write_text(sample_text, encoding="utf-8")
    page = segment_page(sample_text)
    arts = page.articles
    (d / "d.txt").write_text(render_page((arts[1], arts[0], *arts[2:]), page.meta.column), encoding="utf-8")
    return d


@pytest.fixture(scope="session")
def small_corpus_build(small_corpus, tmp_path_factory) -> Path:
    """Output folder of ``kg build -j 1 --no-cache`` on the small corpus (N-Quads and Turtle only), built once."""
    from kg.pipeline import BuildOptions, build

    out = tmp_path_factory.mktemp("corpus-j1")
    build(BuildOptions((str(small_corpus),), out, formats=("nq", "ttl"), html=False, store=False, validate=False, jobs=1))
    return out


# ---- SPARQL endpoint and triple stores (tests/test_serve.py, tests/test_load.py); loopback addresses only

def http_request(url: str, *, method: str = "GET", data: bytes | None = None, headers: dict | None = None):
    """``(status, headers, body)`` of one request; error statuses are answers too."""
    import urllib.error
    import urllib.request

    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers, exc.read()


class Tripwire:
    """A loopback port that accepts connections, counts them and closes them at once (for "nothing is fetched")."""

    def __init__(self) -> None:
        import socket
        import threading

        self.hits = 0
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()


@pytest.fixture
def tripwire():
    """A :class:`Tripwire` on loopback: ``.url`` to point a file at, ``.hits`` to tell whether anything came."""
    wire = Tripwire()
    yield wire
    wire.close()


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, seconds: float, proc=None) -> None:
    """Poll ``url`` until any HTTP answer comes; fail after ``seconds`` or when ``proc`` exits."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode} before answering {url}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"no answer from {url} within {seconds:g} s")


def _stop(proc) -> None:
    import subprocess

    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


#: Seconds a Dask cluster of the tests gets to start (the scheduler's address, every worker joined).
DASK_START = 120


@pytest.fixture
def dask_cluster(tmp_path_factory):
    """A real Dask cluster on loopback, started as docs/SCALE.md tells users: ``dask scheduler``, then two
    ``dask worker ADDRESS --nthreads 1`` processes (each importing this checkout's kg): its address.
    Every wait has a deadline; the processes are ended (killed if need be) on the way out."""
    import importlib.util
    import subprocess
    import sys

    import kg

    if importlib.util.find_spec("dask") is None or importlib.util.find_spec("distributed") is None:
        if os.environ.get("CI"):
            pytest.fail('Dask is missing in CI: .ci/run must install "newskg[dask]"')
        pytest.skip('needs Dask: pip install "newskg[dask]"')
    from dask.distributed import Client

    tmp_path = tmp_path_factory.mktemp("dask-cluster")
    dask = [sys.executable, "-m", "dask"]  # the `dask` command of this Python
    src = str(Path(kg.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH", "")) if p)}
    info = tmp_path / "scheduler.json"
    procs: list = []
    logs = [open(tmp_path / f"dask-{i}.log", "wb") for i in range(3)]
    try:
        procs.append(subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                       "--scheduler-file", str(info)], env=env, stdout=logs[0], stderr=subprocess.STDOUT))
        deadline = time.monotonic() + DASK_START
        address = None
        while address is None:
            if procs[0].poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"dask scheduler did not start within {DASK_START} s: {(tmp_path / 'dask-0.log').read_text()[-2000:]}")
            try:
                address = json.loads(info.read_text())["address"]
            except (OSError, ValueError, KeyError):
                time.sleep(0.2)
        for i in (1, 2):
            procs.append(subprocess.Popen([*dask, "worker", address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard",
                                           "--name", f"w{i}"], env=env, stdout=logs[i], stderr=subprocess.STDOUT))
        with Client(address, timeout=max(1.0, deadline - time.monotonic())) as client:
            client.wait_for_workers(2, timeout=max(1.0, deadline - time.monotonic()))
        yield address
    finally:
        for proc in reversed(procs):
            _stop(proc)
        for f in logs:
            f.close()


def _need(binary: str, install: str) -> str:
    import os
    import shutil

    found = shutil.which(binary)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{binary} is missing in CI: .ci/run must {install}")
        pytest.skip(f"needs {binary} ({install})")
    return found


@pytest.fixture
def sparql_server():
    """Start ``kg.store.serve.make_server(store, **options)`` in a thread on a free loopback port; return the server.

    Call it as ``sparql_server(store, timeout=5, allow_update=False, html_path=None)``;
    every server started is shut down after the test.
    """
    import threading

    from kg.store.serve import make_server

    servers = []

    def start(store, **options):
        server = make_server(store, "127.0.0.1", 0, **options)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def oxigraph_server(tmp_path):
    """A fresh Oxigraph server (``oxigraph serve``, pip package ``oxigraph``) on a free loopback port.

    Yields its base URL, such as ``http://127.0.0.1:PORT``: ``/store`` is the Graph Store
    Protocol, ``/query`` and ``/update`` the SPARQL services. Started as the README says,
    with no ``--union-default-graph``: queries read the default graph only.
    """
    import subprocess

    binary = _need("oxigraph", "pip install oxigraph (the test extra)")
    port = free_port()
    log = open(tmp_path / "oxigraph.log", "wb")
    proc = subprocess.Popen([binary, "serve", "--location", str(tmp_path / "oxigraph-db"),
                             "--bind", f"127.0.0.1:{port}"],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", 20, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)
        log.close()


@pytest.fixture
def stub_endpoint():
    """A tiny HTTP server in a thread that answers every request with the next of ``statuses``.

    ``stub_endpoint([503, 500], b"message")`` returns ``(url, requests)``: the last status
    repeats; ``requests`` lists ``(method, path, body)`` as they come. ``headers`` are sent
    with every answer (``{"Location": …}`` for a redirect), ``ctype`` is its Content-Type.
    Stopped after the test.
    """
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    servers = []

    def start(statuses, message: bytes = b"stub failure", headers: dict | None = None, ctype: str = "text/plain"):
        seen = []

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                seen.append((self.command, self.path, body))
                status = statuses[min(len(seen), len(statuses)) - 1]
                payload = b"" if status == 204 else message
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_POST = do_PUT = do_DELETE = do_GET = _answer

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/store", seen

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def hostile_endpoint():
    """A loopback HTTP server that answers every request as a hostile store would; returns its URL.

    ``hostile_endpoint("endless")``: 200 and a body without end (stopped after ``limit`` bytes, or
    when the client hangs up); ``"drip"``: 200, then one byte of the body every ``every`` s;
    ``"drip-headers"``: one byte of the status line and headers every ``every`` s. Every loop is
    bounded (``limit`` bytes, ``seconds`` s); ``.connections`` counts what came.
    """
    import socket
    import threading

    stops, threads = [], []

    def start(mode: str, *, limit: int = 64 << 20, every: float = 0.2, seconds: float = 20.0, status: int = 200):
        stop = threading.Event()
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.settimeout(0.1)
        head = (f"HTTP/1.1 {status} OK\r\nContent-Type: application/sparql-results+json\r\n"
                "Connection: close\r\n\r\n").encode()

        def answer(conn):
            end = time.monotonic() + seconds
            try:
                conn.settimeout(5)
                conn.recv(65536)  # the request (enough of it)
                if mode == "endless":
                    conn.sendall(head)
                    piece, sent = b'{"head": {"vars": ["n"]}, "x": "' + b"a" * 65536, 0
                    while sent < limit and not stop.is_set() and time.monotonic() < end:
                        conn.sendall(piece)
                        sent += len(piece)
                else:
                    data = head + b'{"head": {"vars": []}, "results": {"bindings": []}}' * 1000
                    start_at = 0 if mode == "drip-headers" else len(head)
                    conn.sendall(data[:start_at])
                    for i in range(start_at, len(data)):
                        if stop.is_set() or time.monotonic() > end:
                            break
                        conn.sendall(data[i:i + 1])
                        time.sleep(every)
            except OSError:
                pass
            finally:
                conn.close()

        def serve():
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except OSError:
                    continue
                t = threading.Thread(target=answer, args=(conn,), daemon=True)
                t.start()
                threads.append(t)
            listener.close()

        t = threading.Thread(target=serve, daemon=True)
        t.start()
        threads.append(t)
        stops.append(stop)
        return f"http://127.0.0.1:{listener.getsockname()[1]}"

    yield start
    for stop in stops:
        stop.set()
    for t in threads:
        t.join(10)


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
MaxClientConnections = 4
ServerThreads = 4
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
DirsAllowed = ., {d}

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 4
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """Virtuoso Open Source 7 (Debian package virtuoso-opensource-7-bin) with its own database on loopback ports.

    Yields the base URL ``http://127.0.0.1:PORT``; ``/sparql`` and ``/sparql-graph-crud``
    accept updates (SPARQL_UPDATE is granted to the ``SPARQL`` user through isql).
    Skipped when ``virtuoso-t`` is missing, except in CI.
    """
    import subprocess

    binary = _need("virtuoso-t", "apt-get install virtuoso-opensource-7-bin")
    isql = _need("isql-vt", "apt-get install virtuoso-opensource-7-bin")
    d = tmp_path_factory.mktemp("virtuoso")
    sql, http = free_port(), free_port()
    (d / "virtuoso.ini").write_text(VIRTUOSO_INI.format(d=d, sql=sql, http=http), encoding="utf-8")
    log = open(d / "server.log", "wb")
    proc = subprocess.Popen([binary, "+foreground", "+configfile", str(d / "virtuoso.ini")], cwd=d,
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_http(f"http://127.0.0.1:{http}/sparql?query=ASK%7B%7D", 90, proc)
        grant = subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                               stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
        assert grant.returncode == 0, grant.stdout + grant.stderr
        yield f"http://127.0.0.1:{http}"
    finally:
        _stop(proc)
        log.close()


@pytest.fixture
def served_store(query_fixture_graph):
    """The hand-made dataset in a read-only in-memory oxigraph store, as ``kg serve`` opens a graph."""
    from kg.store.store import open_store

    return open_store(query_fixture_graph, read_only=True)


# ---- the questions of posts and participants on a real dev set (tests/test_queries_state.py)


@pytest.fixture(scope="session")
def xwlb_dev_build(tmp_path_factory) -> Path:
    """The output folder of ``kg build`` on the 新闻联播 dev set (../shared/corpus/dev/xwlb-dev.jsonl), built once."""
    source = shared_data("corpus", "dev", "xwlb-dev.jsonl")
    from kg.cli import main

    out = tmp_path_factory.mktemp("xwlb-dev")
    assert main(["build", str(source), "-o", str(out), "-j", "1", "--no-cache", "--no-html", "--no-validate", "-q"]) == 0
    return out


@pytest.fixture(scope="session")
def xwlb300_store(tmp_path_factory) -> Path:
    """The store of ``kg build`` on the first 300 items of ../shared/corpus/bench/xwlb-2000.jsonl (tests/test_view_around.py)."""
    source = shared_data("corpus", "bench", "xwlb-2000.jsonl")
    from kg.cli import main

    out = tmp_path_factory.mktemp("xwlb300")
    with source.open(encoding="utf-8") as f:
        lines = [next(f) for _ in range(300)]
    (out / "xwlb-300.jsonl").write_text("".join(lines), encoding="utf-8")
    assert main(["build", str(out / "xwlb-300.jsonl"), "-o", str(out / "out"), "-j", "2", "--no-validate", "-q"]) == 0
    return out / "out" / "store"


# ---- determinism (tests/test_determinism.py)

DEV = SHARED / "corpus" / "dev"
DET_XWLB = (3, 4, 7, 11)  # lines of the 新闻联播 dev set in the small corpus
DET_PD = ("国办印发促进残疾人就业三年行动方案.md", "改革越深入，越要有主动性创造性（评论员观察）.md", "陕西锻造氢能全产业链.md")


def _sample_records(sample_text: str) -> dict[str, bytes]:
    """The sample page's articles served again as four JSON Lines records and three Markdown files with bylines."""
    from kg.segment.layout import segment_page

    articles = segment_page(sample_text, page_id="sample").articles
    body = lambda a: "\n\n".join(b.text for b in a.blocks if b.role in ("heading", "paragraph"))  # noqa: E731
    lines = [json.dumps({"id": f"record-{i}", "title": a.title, "date": f"2022-11-{10 + i}", "source": "工人日报",
                         "text": body(a)}, ensure_ascii=False) + "\n" for i, a in enumerate(articles[:4])]
    files = {"records.jsonl": "".join(lines).encode("utf-8")}
    with_bylines = [a for a in articles if a.authors][:3]
    for i, a in enumerate(with_bylines):
        md = f'---\ntitle: "{a.title}"\ndate: 2022-11-{20 + i}\nauthor: "{a.authors[0]}"\n---\n\n{body(a)}\n'
        files[f"byline-{i}.md"] = md.encode("utf-8")
    return files


@pytest.fixture(scope="session")
def det_corpus(sample_text) -> dict[str, bytes]:
    """A small real corpus as ``{file name: bytes}``: the sample page, four 新闻联播 records, three People's Daily files.

    Without ``../shared`` (a fresh clone), the records and files are the sample page's own
    articles served again as JSON Lines and Markdown (the same readers, orders and cache).
    """
    files = {"sample.txt": sample_text.encode("utf-8")}
    if not (DEV / "xwlb-dev.jsonl").exists():
        return files | _sample_records(sample_text)
    lines = (DEV / "xwlb-dev.jsonl").read_bytes().splitlines(keepends=True)
    files["xwlb.jsonl"] = b"".join(lines[i] for i in DET_XWLB)
    files.update((name, (DEV / "pd" / name).read_bytes()) for name in DET_PD)
    return files


@pytest.fixture(scope="session")
def det_byline_article(det_corpus) -> bytes:
    """A Markdown article of the determinism corpus with a byline of its own (People's Daily, or the sample's)."""
    return det_corpus.get("陕西锻造氢能全产业链.md") or det_corpus["byline-0.md"]


@pytest.fixture(scope="session")
def det_builds(tmp_path_factory) -> tuple[Path, dict]:
    """``(folder, {})``: where tests/test_determinism.py builds, and its memo of the builds made (name -> output folder)."""
    return tmp_path_factory.mktemp("determinism"), {}


# ---- training data (tests/test_train.py)


@pytest.fixture(scope="session")
def tune_sets() -> list:
    """The annotated tune sets (``kg.train.gold.load``), read and segmented once; skipped without ../shared."""
    from kg.train import gold

    shared_data("eval", "dev")
    return gold.load(list(gold.TUNE))
