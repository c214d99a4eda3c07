"""Push a graph to a triple store over the SPARQL 1.1 Graph Store Protocol (or SPARQL Update), in chunks."""

from __future__ import annotations

import json
import logging
import os
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from kg.errors import Errors, LoadError, one_line
from kg.store.client import Answer, AnswerTooLarge, HttpClient, TransportError, message_of
from kg.rdf.read import find_graph_file, read_quads
from kg.rdf.vocab import ID

__all__ = [
    "DEFAULT_CHUNK_SIZE", "STORE_TYPES", "Chunk", "LoadPlan", "LoadReport", "NoDefaultGraphError", "fallback_graph",
    "load_graph", "parse_auth", "plan_load", "push", "query_endpoint_for",
]

log = logging.getLogger(__name__)

#: Triples per request unless told otherwise.
DEFAULT_CHUNK_SIZE = 50_000

#: How ``kg load`` talks to the store: Graph Store Protocol or SPARQL Update ``INSERT DATA``.
STORE_TYPES = ("gsp", "update")

#: Largest answer of a store read, in bytes (a store answers a load in a few bytes, a COUNT in a few kB).
MAX_ANSWER_BYTES = 16 << 20

_NO_DEFAULT_GRAPH = re.compile(r"default graph", re.I)
_REDIRECT = range(300, 400)
_GRAPHS_PER_COUNT = 200
# where a store answers queries, from the path of its Graph Store Protocol or update service
_QUERY_PATHS = (("/sparql-graph-crud-auth", "/sparql-auth"), ("/sparql-graph-crud", "/sparql"),
                ("/rdf-graphs/service", ""), ("/store", "/query"), ("/data", "/sparql"), ("/update", "/query"),
                ("/sparql", "/sparql"))
_NT_TYPE = "application/n-triples"
_UPDATE_TYPE = "application/sparql-update"


@dataclass(frozen=True)
class Chunk:
    """One request: up to ``chunk_size`` N-Triples lines for one target graph.

    ``graph`` is the target graph IRI, ``None`` for the default graph. ``first`` marks
    the first chunk of its graph (the one that clears it when replacing). ``lines``
    are complete N-Triples statements, each ending in `` .``.
    """

    graph: str | None
    lines: tuple[str, ...]
    index: int
    first: bool

    def __len__(self) -> int:
        return len(self.lines)

    def body(self) -> bytes:
        """The chunk as an N-Triples document."""
        return ("\n".join(self.lines) + "\n").encode("utf-8") if self.lines else b""


class NoDefaultGraphError(LoadError):
    """[E121] the store refused its default graph, saying it has none (Virtuoso's Graph Store Protocol)."""


@dataclass
class LoadPlan:
    """The chunks of one load, in the order they are sent.

    ``union`` says the default graph's chunks hold every triple of the input (the union
    of its graphs), not only those of its default graph; ``quads`` counts the input's
    statements; ``default_graph`` is where the input's default graph went when it was
    moved into a named graph.
    """

    source: Path
    chunks: list[Chunk] = field(default_factory=list)
    graphs: tuple[str | None, ...] = ()
    union: bool = False
    quads: int = 0
    default_graph: str | None = None

    @property
    def triples(self) -> int:
        return sum(len(c) for c in self.chunks)


@dataclass(frozen=True)
class LoadReport:
    """What a load did: triples sent, graphs, requests (with retries) and time taken."""

    endpoint: str
    triples: int
    graphs: int
    chunks: int
    requests: int
    retries: int
    seconds: float
    verified: bool = False
    note: str = ""

    @property
    def rate(self) -> float:
        """Triples per second."""
        return self.triples / self.seconds if self.seconds > 0 else float("inf")


# --------------------------------------------------------------------------- planning


def _check_iri(iri: str) -> None:
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise LoadError(Errors.E042.format(what="a graph name", rule="an absolute IRI", value=iri)) from exc


def _check_positive(what: str, value, *, minimum: int = 1) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        rule = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise LoadError(Errors.E042.format(what=what, rule=rule, value=value))


def plan_load(path: str | os.PathLike, *, graph: str | None = None, default_graph: str | None = None,
              chunk_size: int = DEFAULT_CHUNK_SIZE, union: bool = False) -> LoadPlan:
    """Read a graph and cut it into sorted N-Triples chunks, one target graph at a time.

    Triples of the default graph go to the store's default graph, those of each named
    graph (TriG, N-Quads, store folders) to the graph of the same name; with ``union``
    the store's default graph gets every triple of the input as well (the union of its
    graphs, once each), so that queries without ``GRAPH`` read all of it on any store
    while the named graphs keep where each triple came from; with ``graph``
    every triple goes to that one graph; with ``default_graph`` the default graph's
    triples go to that named graph (for stores such as Virtuoso whose Graph Store
    Protocol has no default graph). Duplicates are dropped and each graph's lines
    are sorted, so the same input always gives the same chunks. Triples with blank
    nodes are sent together in their graph's last chunk so that their labels keep
    meaning the same node (a warning [W006] says so).

    Parameters
    ----------
    path : path
        A graph file (``.ttl``, ``.trig``, ``.nq``, ``.nt``, ``.jsonld`` ..., see
        :data:`kg.rdf.read.GRAPH_FORMATS`), a ``kg build`` output folder (its ``graph.nq``,
        ``graph.trig`` ... is read, see :func:`kg.rdf.read.find_graph_file`) or an oxigraph
        store folder.
    graph : str, optional
        Load everything into this graph IRI.
    default_graph : str, optional
        Load the default graph's triples into this graph IRI.
    chunk_size : int
        Triples per request.
    union : bool
        Copy every triple into the default graph too (not with ``graph`` or
        ``default_graph``, which say where the default graph's triples go).

    Returns
    -------
    LoadPlan

    Raises
    ------
    InputError
        [E001] when ``path`` does not exist; [E006] for an unknown suffix.
    GraphParseError
        [E010] when it cannot be parsed.
    LoadError
        [E042] when ``chunk_size`` is not a positive integer.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.nq"
    >>> _ = p.write_text("<urn:b> <urn:p> <urn:o> .\\n<urn:a> <urn:p> <urn:o> <urn:g> .\\n<urn:a> <urn:p> <urn:o> .\\n")
    >>> plan = plan_load(p, chunk_size=1)
    >>> [(c.graph, c.lines) for c in plan.chunks]
    [(None, ('<urn:a> <urn:p> <urn:o> .',)), (None, ('<urn:b> <urn:p> <urn:o> .',)), ('urn:g', ('<urn:a> <urn:p> <urn:o> .',))]
    >>> _ = p.write_text("<urn:b> <urn:p> <urn:o> .\\n<urn:a> <urn:p> <urn:o> <urn:g> .\\n")
    >>> [(c.graph, c.lines) for c in plan_load(p, union=True).chunks]
    [(None, ('<urn:a> <urn:p> <urn:o> .', '<urn:b> <urn:p> <urn:o> .')), ('urn:g', ('<urn:a> <urn:p> <urn:o> .',))]
    """
    _check_positive("chunk size", chunk_size)
    for iri in (graph, default_graph):
        if iri is not None:
            _check_iri(iri)
    source = find_graph_file(path)
    union = union and graph is None and default_graph is None
    plain: dict[str | None, set[str]] = {}
    blank: dict[str | None, set[str]] = {}
    quads = 0
    for q in read_quads(source):
        quads += 1
        if graph is not None:
            target = graph
        elif isinstance(q.graph_name, ox.DefaultGraph):
            target = default_graph
        else:
            target = q.graph_name.value
        has_blank = isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
        line = f"{q.triple} ."
        (blank if has_blank else plain).setdefault(target, set()).add(line)
        if union and target is not None:
            (blank if has_blank else plain).setdefault(None, set()).add(line)
    targets = sorted(set(plain) | set(blank), key=lambda g: (g is not None, g or ""))
    if not targets and graph is not None:
        targets = [graph]  # nothing to add, but --replace still empties the graph
    plan = LoadPlan(source, graphs=tuple(targets), union=union, quads=quads, default_graph=default_graph)
    for target in targets:
        lines = sorted(plain.get(target, ()))
        pieces = [lines[i:i + chunk_size] for i in range(0, len(lines), chunk_size)] or [[]]
        if target in blank:
            pieces = [p for p in pieces if p] + [sorted(blank[target])]
            log.warning(Errors.W006.format(graph=f"<{target}>" if target else "default graph",
                                           count=len(blank[target])))
        for n, piece in enumerate(pieces):
            plan.chunks.append(Chunk(target, tuple(piece), len(plan.chunks) + 1, n == 0))
    return plan


# --------------------------------------------------------------------------- sending


def _check_endpoint(endpoint: str) -> None:
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LoadError(Errors.E043.format(url=endpoint))


def _gsp_url(endpoint: str, graph: str | None) -> str:
    sep = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    if endpoint.endswith(("?", "&")):
        sep = ""
    return endpoint + sep + ("default" if graph is None else "graph=" + urllib.parse.quote(graph, safe=""))


def _graph_ref(graph: str | None) -> str:
    return "DEFAULT" if graph is None else f"GRAPH {ox.NamedNode(graph)}"


def _requests_for(chunk: Chunk, endpoint: str, store_type: str, replace: bool) -> list[tuple[str, str, bytes, str]]:
    """``(method, url, body, content type)`` of the request(s) that send ``chunk``."""
    clear = replace and chunk.first
    if store_type == "update":
        parts = [f"CLEAR SILENT {_graph_ref(chunk.graph)}"] if clear else []
        if chunk.lines:
            data = "\n".join(chunk.lines)
            if chunk.graph is not None:
                data = f"GRAPH {ox.NamedNode(chunk.graph)} {{\n{data}\n}}"
            parts.append(f"INSERT DATA {{\n{data}\n}}")
        return [("POST", endpoint, (" ;\n".join(parts) + "\n").encode("utf-8"), _UPDATE_TYPE)] if parts else []
    url = _gsp_url(endpoint, chunk.graph)
    if not chunk.lines:
        return [("DELETE", url, b"", "")] if clear else []
    return [("PUT" if clear else "POST", url, chunk.body(), _NT_TYPE)]


class _Client:
    """Sends the requests of one load through :class:`kg.store.client.HttpClient` (retries, caps, deadline);
    turns what goes wrong into coded errors."""

    def __init__(self, endpoint: str, *, retries: int, backoff: float, timeout: float,
                 auth: tuple[str, str] | None, sleep: Callable[[float], None]):
        self.http = HttpClient(timeout=timeout, max_bytes=MAX_ANSWER_BYTES, retries=retries, backoff=backoff,
                               auth=auth, env_proxies=False, sleep=sleep, on_retry=self._retrying)

    @property
    def retries(self) -> int:
        return self.http.retries

    @retries.setter
    def retries(self, n: int) -> None:
        self.http.retries = n

    @property
    def requests(self) -> int:
        return self.http.requests

    @property
    def retried(self) -> int:
        return self.http.retried

    @staticmethod
    def _retrying(url: str, why: str, seconds: float, attempt: int, retries: int) -> None:
        log.warning(Errors.W007.format(url=url, why=why, delay=round(seconds, 2), attempt=attempt, retries=retries))

    def send(self, method: str, url: str, body: bytes, ctype: str, where: str, *, default_graph: bool = False,
             accept: str | None = None) -> bytes:
        headers = {}
        if ctype:
            headers["Content-Type"] = ctype + "; charset=utf-8" if ctype == _UPDATE_TYPE else ctype
        if accept:
            headers["Accept"] = accept

        def final(answer: Answer) -> bool:  # a store that says it has no default graph says so again
            return default_graph and answer.status >= 400 and bool(_NO_DEFAULT_GRAPH.search(message_of(answer.body)))

        try:
            answer = self.http.send(method, url, body if method in ("POST", "PUT") else None, headers, final=final)
        except AnswerTooLarge as exc:
            raise LoadError(Errors.E123.format(chunk=where, why=exc.why)) from None
        except TransportError as exc:
            tries = f" (after {exc.attempts} attempts)" if exc.attempts > 1 else ""
            raise LoadError(Errors.E041.format(url=url, why=f"{exc.why}{tries}; at chunk {where}")) from None
        status, why = answer.status, message_of(answer.body)
        if status < 300:
            return answer.body
        if method == "DELETE" and status == 404:
            return b""  # nothing to clear
        if status in _REDIRECT:  # a write re-sent elsewhere (without its body, by GET) stores nothing
            raise LoadError(Errors.E120.format(chunk=where, status=status, location=answer.location))
        if default_graph and status >= 400 and _NO_DEFAULT_GRAPH.search(why):
            raise NoDefaultGraphError(Errors.E121.format(chunk=where, status=status, why=why))
        raise LoadError(Errors.E040.format(chunk=where, status=status, why=why))


def push(plan: LoadPlan, endpoint: str, *, replace: bool = False, store_type: str = "gsp", retries: int = 5,
         backoff: float = 0.5, timeout: float = 300.0, auth: tuple[str, str] | None = None,
         progress: Callable[[int], None] | None = None, sleep: Callable[[float], None] = time.sleep,
         verify: bool = True, query_endpoint: str | None = None) -> LoadReport:
    """Send the chunks of ``plan`` to ``endpoint``, one request each, in order.

    With the Graph Store Protocol (``store_type="gsp"``) each chunk is POSTed as
    N-Triples to ``endpoint?graph=IRI`` (``endpoint?default`` for the default graph),
    which adds its triples; with ``replace`` the first chunk of each graph is PUT
    instead, which replaces the graph (an empty graph is DELETEd). With
    ``store_type="update"`` each chunk is an ``INSERT DATA`` request to a SPARQL Update
    endpoint, preceded by ``CLEAR SILENT GRAPH`` when replacing. Stores keep sets of
    triples, so sending the same graph again adds nothing.

    Connection errors and HTTP 5xx (also 408, 425, 429) are retried up to ``retries``
    times, waiting as the store's ``Retry-After`` says (at most two minutes), else
    ``backoff``, then twice as long each time, plus up to a quarter more at random
    (urllib3's ``Retry``); every chunk can be sent again safely. Each answer must come
    whole within ``timeout`` seconds and is read up to :data:`MAX_ANSWER_BYTES`. A redirect is not followed (urllib would re-send a POST as a
    GET without its body): it is an error naming the new location. A refusal of the
    default graph whose message says the store has none (Virtuoso) is not retried.

    Then, with ``verify``, the graphs are counted with a SPARQL ``COUNT`` at
    ``query_endpoint`` (by default the query service beside ``endpoint``, see
    :func:`query_endpoint_for`): a graph holding fewer triples than were sent is an
    error; a store that cannot be asked is reported as not verified ([W100]).

    Parameters
    ----------
    plan : LoadPlan
        From :func:`plan_load`.
    endpoint : str
        The Graph Store Protocol URL (Oxigraph ``http://host:7878/store``, Virtuoso
        ``http://host:8890/sparql-graph-crud``, Fuseki ``http://host:3030/DS/data``) or,
        with ``store_type="update"``, the SPARQL Update URL.
    replace : bool
        Clear each target graph first.
    store_type : {"gsp", "update"}
    retries : int
        Further attempts of a request that failed for a reason worth retrying.
    backoff : float
        Seconds before the first retry.
    timeout : float
        Seconds for each request and its whole answer.
    auth : (user, password), optional
        Given when the server asks for them (HTTP Digest or Basic).
    progress : callable, optional
        Called with the number of triples of each chunk once it is stored.
    verify : bool
        Count the loaded graphs afterwards.
    query_endpoint : str, optional
        The SPARQL query URL to count them at.

    Returns
    -------
    LoadReport

    Raises
    ------
    LoadError
        [E040] the server refused a chunk (its message is included); [E041] the
        endpoint could not be reached (or gave no whole answer in time); [E042] bad ``retries``;
        [E043] not an http(s) URL; [E123] an answer over :data:`MAX_ANSWER_BYTES`;
        [E120] the write was redirected; [E121] the store has no default graph;
        [E122] fewer triples counted than sent.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.nt"
    >>> _ = p.write_text("<urn:a> <urn:p> <urn:o> .\\n")
    >>> push(plan_load(p), "http://127.0.0.1:9/store", retries=0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.LoadError: [E041] cannot reach endpoint http://127.0.0.1:9/store?default: ...
    """
    _check_endpoint(endpoint)
    _check_positive("retries", retries, minimum=0)
    if store_type not in STORE_TYPES:
        raise LoadError(Errors.E042.format(what="store type", rule=" or ".join(STORE_TYPES), value=store_type))
    client = _Client(endpoint, retries=retries, backoff=backoff, timeout=timeout, auth=auth, sleep=sleep)
    total = len(plan.chunks)
    start = time.perf_counter()
    for chunk in plan.chunks:
        where = f"{chunk.index} of {total} ({'default graph' if chunk.graph is None else f'graph <{chunk.graph}>'})"
        for method, url, body, ctype in _requests_for(chunk, endpoint, store_type, replace):
            client.send(method, url, body, ctype, where, default_graph=chunk.graph is None)
        log.info("chunk %s: %d triples", where, len(chunk))
        if progress is not None:
            progress(len(chunk))
    seconds, requests, retried = time.perf_counter() - start, client.requests, client.retried
    verified, note = False, "not asked to"
    if verify:
        verified, note = _verify(client, plan, query_endpoint or query_endpoint_for(endpoint, store_type))
    return LoadReport(endpoint, plan.triples, len(plan.graphs), total, requests, retried, seconds, verified, note)


def query_endpoint_for(endpoint: str, store_type: str = "gsp") -> str | None:
    """The SPARQL query service beside a Graph Store Protocol (or update) endpoint, when its path tells.

    Examples
    --------
    >>> query_endpoint_for("http://127.0.0.1:7878/store")
    'http://127.0.0.1:7878/query'
    >>> query_endpoint_for("http://127.0.0.1:8890/sparql-graph-crud")
    'http://127.0.0.1:8890/sparql'
    >>> query_endpoint_for("http://127.0.0.1:3030/ds/data")
    'http://127.0.0.1:3030/ds/sparql'
    >>> query_endpoint_for("http://127.0.0.1:9/somewhere") is None
    True
    """
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    for suffix, replacement in _QUERY_PATHS:
        if path.endswith(suffix):
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path[:-len(suffix)] + replacement, "", ""))
    return None


def _counts(client: _Client, url: str, query: str) -> dict[str | None, int]:
    body = urllib.parse.urlencode({"query": query}).encode("utf-8")
    answer = client.send("POST", url, body, "application/x-www-form-urlencoded", "verify",
                         accept="application/sparql-results+json")
    doc = json.loads(answer.decode("utf-8"))
    found: dict[str | None, int] = {}
    for b in doc["results"]["bindings"]:
        found[b["g"]["value"] if "g" in b else None] = int(b["n"]["value"])
    return found


def _verify(client: _Client, plan: LoadPlan, url: str | None) -> tuple[bool, str]:
    """Count the loaded graphs at ``url``: ``(True, note)``, ``(False, why not)``; [E122] when fewer are there."""
    if url is None:
        why = "no query service known beside the endpoint"
        log.warning(Errors.W100.format(why=why))
        return False, why
    sent: dict[str | None, int] = {}
    for chunk in plan.chunks:
        sent[chunk.graph] = sent.get(chunk.graph, 0) + len(chunk)
    sent = {g: n for g, n in sent.items() if n}
    if not sent:
        return True, "nothing to count"
    named = sorted(g for g in sent if g is not None)
    client.retries = min(client.retries, 1)
    try:
        found: dict[str | None, int] = {}
        if None in sent:
            found |= _counts(client, url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        for i in range(0, len(named), _GRAPHS_PER_COUNT):
            values = " ".join(str(ox.NamedNode(g)) for g in named[i:i + _GRAPHS_PER_COUNT])
            found |= _counts(client, url, f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                                          "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    except (LoadError, ValueError, KeyError, TypeError, RecursionError) as exc:  # an answer that is not a count
        detail = one_line(exc)
        if m := re.search(r"HTTP \d+: .*|cannot reach .*", detail):
            detail = m.group()
        why = f"{url} did not answer a COUNT ({detail})"
        log.warning(Errors.W100.format(why=why))
        return False, why
    for graph, n in sent.items():
        if found.get(graph, 0) < n:
            where = "the default graph" if graph is None else f"graph <{graph}>"
            raise LoadError(Errors.E122.format(where=f"{where} at {url}", found=found.get(graph, 0), sent=n))
    return True, f"counted at {url}"


def fallback_graph(plan: LoadPlan) -> str:
    """The named graph for the default graph's triples on a store that has no default graph.

    ``<base>graph/default`` beside the input's article graphs (``<base>graph/<id>``),
    else under the default base.

    Examples
    --------
    >>> fallback_graph(LoadPlan(Path("g.nq"), graphs=(None, "https://example.org/id/graph/a-1")))
    'https://example.org/id/graph/default'
    >>> fallback_graph(LoadPlan(Path("g.nq"), graphs=(None, "urn:x:g")))
    'https://w3id.org/newskg/id/graph/default'
    """
    for g in plan.graphs:
        if g and (m := re.match(r"(https?://[^#?]*/graph/)[^/#?]+$", g)):
            return m.group(1) + "default"
    return str(ID["graph/default"])


def load_graph(path: str | os.PathLike, endpoint: str, *, graph: str | None = None,
               default_graph: str | None = None, union: bool | None = None, replace: bool = False,
               chunk_size: int = DEFAULT_CHUNK_SIZE, retries: int = 5, store_type: str = "gsp",
               on_plan: Callable[[LoadPlan], None] | None = None, **options) -> LoadReport:
    """Load a graph file or ``kg build`` folder into a triple store: :func:`plan_load`, then :func:`push`.

    By default (``union=None``) the store's default graph receives the union of all
    graphs besides the named graphs, so that queries without ``GRAPH`` (all of
    ``queries/``) answer on a store as it comes. A store whose Graph Store Protocol has
    no default graph (Virtuoso, whose queries read all graphs anyway) refuses the
    first chunk [E121]; then the load starts again without the union copy, with the
    input's default graph in the named graph :func:`fallback_graph` (warning [W130]).

    Parameters
    ----------
    path : path
        See :func:`plan_load`.
    endpoint : str
        See :func:`push`.
    graph : str, optional
        Load everything into this graph IRI instead of the input's own graphs.
    default_graph : str, optional
        Load the default graph's triples into this graph IRI (no union copy).
    union : bool, optional
        ``True``: copy every triple into the default graph, and fail [E121] where there is
        none; ``False``: never; ``None``: copy, unless the store has no default graph.
    replace : bool
        Clear each target graph first.
    chunk_size, retries, store_type
        As for :func:`plan_load` and :func:`push`; ``options`` go to :func:`push`.
    on_plan : callable, optional
        Called with each plan before it is sent (twice when the load starts again).

    Returns
    -------
    LoadReport

    Raises
    ------
    InputError, GraphParseError, LoadError
        As :func:`plan_load` and :func:`push`.

    Examples
    --------
    >>> report = load_graph("output/", "http://127.0.0.1:7878/store")  # doctest: +SKIP
    >>> report.triples  # doctest: +SKIP
    4756
    """
    _check_endpoint(endpoint)
    plan = plan_load(path, graph=graph, default_graph=default_graph, chunk_size=chunk_size, union=union is not False)
    if on_plan is not None:
        on_plan(plan)
    try:
        return push(plan, endpoint, replace=replace, store_type=store_type, retries=retries, **options)
    except NoDefaultGraphError:
        if union is not None or not plan.union:
            raise
    moved = fallback_graph(plan)
    log.warning(Errors.W130.format(endpoint=endpoint, graph=moved))
    plan = plan_load(path, default_graph=moved, chunk_size=chunk_size)
    if on_plan is not None:
        on_plan(plan)
    return push(plan, endpoint, replace=replace, store_type=store_type, retries=retries, **options)


def parse_auth(value: str | None, password: str | None) -> tuple[str, str] | None:
    """``(user, password)`` for :func:`push` from ``--user NAME`` and a password, or None.

    Examples
    --------
    >>> parse_auth("dba", "secret")
    ('dba', 'secret')
    >>> parse_auth(None, "x") is None
    True
    """
    if not value:
        return None
    return value, password or ""

