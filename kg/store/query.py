"""SPARQL over a built graph: open a file or an oxigraph store, run a query with a timeout, format the answer."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import re
import shutil
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence
from urllib.parse import unquote
from xml.sax.saxutils import escape as _xml_escape

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from kg.errors import Errors, GraphParseError, InputError, QueryError
from kg.rdf.vocab import ID, PREFIXES, RDF, XSD

__all__ = [
    "ENGINES", "FORMATS", "GRAPH_SUFFIXES", "MIME_TYPES", "Result", "Store",
    "build_store", "display_width", "format_result", "load_dataset", "open_store",
    "query_kind", "read_query", "run_query", "serialize_results", "short_name",
]

#: Query engines: pyoxigraph (fast, default) and rdflib (pure Python fallback).
ENGINES = ("oxigraph", "rdflib")

#: Output formats of :func:`format_result`.
FORMATS = ("table", "csv", "tsv", "json")

#: Graph file suffixes and their (rdflib format name, pyoxigraph format).
GRAPH_SUFFIXES = {
    ".ttl": ("turtle", ox.RdfFormat.TURTLE),
    ".trig": ("trig", ox.RdfFormat.TRIG),
    ".nq": ("nquads", ox.RdfFormat.N_QUADS),
    ".nt": ("nt", ox.RdfFormat.N_TRIPLES),
    ".jsonld": ("json-ld", ox.RdfFormat.JSON_LD),
}

#: Media types of :func:`serialize_results`, by result kind.
MIME_TYPES = {
    "select": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
               "text/tab-separated-values"),
    "ask": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
            "text/tab-separated-values"),
    "construct": ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"),
}
_MIME_ALIASES = {"application/json": "application/sparql-results+json",
                 "application/xml": "application/sparql-results+xml", "text/plain": "application/n-triples"}
_RDFLIB_GRAPH_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt",
                         "application/ld+json": "json-ld", "application/rdf+xml": "xml"}

#: Prefixes every query may use without declaring them.
QUERY_PREFIXES = {name: str(ns) for name, ns in PREFIXES.items()} | {"rdf": str(RDF)}

_XSD_STRING = str(XSD.string)
_QUERY_FORMS = {"select": "select", "ask": "ask", "construct": "construct", "describe": "construct"}
_UPDATE_FORMS = {"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"}
_PROLOGUE = re.compile(r"\s+|#[^\n]*|(?i:prefix)\s*([^\s:]*):\s*<([^>]*)>|(?i:base)\s*<[^>]*>")
_OX_ERROR = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)
_STORE_MARKER = "CURRENT"


# --------------------------------------------------------------------------- stores


@dataclass
class Store:
    """A dataset to query: a pyoxigraph store (``engine="oxigraph"``) or an rdflib ``Dataset``.

    Build one with :func:`open_store`; ``backend`` is the engine's own object.
    """

    backend: Any
    engine: str = "oxigraph"
    path: Path | None = None
    read_only: bool = False
    prefixes: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        if self.engine == "oxigraph":
            return len(self.backend)
        return sum(1 for _ in self.backend.quads((None, None, None, None)))


def _graph_format(path: Path) -> tuple[str, Any]:
    try:
        return GRAPH_SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise GraphParseError(Errors.E010.format(
            path=path, why=f"unknown suffix {path.suffix!r}; use one of {', '.join(GRAPH_SUFFIXES)}")) from None


def _store_dir(path: Path) -> Path | None:
    """The oxigraph store folder ``path`` is or holds (``path/store``), or None."""
    for cand in (path, path / "store"):
        if (cand / _STORE_MARKER).is_file():
            return cand
    return None


def _check_paths(paths: Sequence[Path]) -> None:
    for p in paths:
        if not p.exists():
            raise InputError(Errors.E001.format(path=p))


def _as_paths(path: str | os.PathLike | Sequence[str | os.PathLike]) -> list[Path]:
    if isinstance(path, (str, os.PathLike)):
        return [Path(path)]
    return [Path(p) for p in path]


def _open_ox_dir(directory: Path, read_only: bool):
    try:
        return ox.Store.read_only(str(directory)) if read_only else ox.Store(str(directory))
    except OSError as exc:
        raise GraphParseError(Errors.E010.format(path=directory, why=f"cannot open oxigraph store: {exc}")) from exc


def load_dataset(path: str | os.PathLike | Sequence[str | os.PathLike]) -> Dataset:
    """Read graph files (or an oxigraph store folder) into one rdflib ``Dataset``.

    Triples of Turtle, N-Triples and JSON-LD files go to the default graph; TriG and
    N-Quads keep their named graphs. The dataset's default graph is the union of all.

    Parameters
    ----------
    path : path or sequence of paths
        ``.ttl``, ``.trig``, ``.nq``, ``.nt`` or ``.jsonld`` files, or a store folder.

    Returns
    -------
    rdflib.Dataset

    Raises
    ------
    GraphParseError
        [E010] naming the file that cannot be parsed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
    >>> _ = p.write_text('<urn:a> <urn:b> "c" .')
    >>> len(load_dataset(p))
    1
    """
    paths = _as_paths(path)
    _check_paths(paths)
    ds = Dataset(default_union=True)
    for p in paths:
        if p.is_dir():
            store_dir = _store_dir(p)
            if store_dir is None:
                raise GraphParseError(Errors.E010.format(path=p, why="folder is not an oxigraph store"))
            data = _open_ox_dir(store_dir, True).dump(format=ox.RdfFormat.N_QUADS)
            ds.parse(data=data.decode("utf-8"), format="nquads")
            continue
        fmt, _ = _graph_format(p)
        target = ds if fmt in ("trig", "nquads") else ds.graph(DATASET_DEFAULT_GRAPH_ID)
        try:
            target.parse(str(p), format=fmt)
        except Exception as exc:  # rdflib raises many types for bad input
            raise GraphParseError(Errors.E010.format(path=p, why=_one_line(exc))) from exc
    return ds


def open_store(path: str | os.PathLike | Sequence[str | os.PathLike], *, engine: str = "oxigraph",
               read_only: bool = False) -> Store:
    """Open graph files or an on-disk oxigraph store for querying.

    Parameters
    ----------
    path : path or sequence of paths
        A store folder made by :func:`build_store` (or a folder holding one as
        ``store/``), or graph files (``.ttl``, ``.trig``, ``.nq``, ``.nt``, ``.jsonld``),
        which are loaded into memory.
    engine : {"oxigraph", "rdflib"}
        The query engine.
    read_only : bool
        Open a store folder read-only, so that another process may hold it open.

    Returns
    -------
    Store

    Raises
    ------
    InputError
        [E001] when a path does not exist.
    GraphParseError
        [E010] naming a file that cannot be parsed or a folder that is not a store.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
    >>> _ = p.write_text('<urn:a> <urn:b> "c" .')
    >>> len(open_store(p))
    1
    """
    if engine not in ENGINES:
        raise QueryError(Errors.E018.format(name=engine, choices=", ".join(ENGINES)))
    paths = _as_paths(path)
    _check_paths(paths)
    if engine == "rdflib":
        ds = load_dataset(paths)
        prefixes = {str(k): str(v) for k, v in ds.namespaces() if k}
        return Store(ds, "rdflib", paths[0] if len(paths) == 1 else None, read_only, prefixes)
    if len(paths) == 1 and paths[0].is_dir():
        store_dir = _store_dir(paths[0])
        if store_dir is None:
            raise GraphParseError(Errors.E010.format(path=paths[0], why="folder is not an oxigraph store"))
        return Store(_open_ox_dir(store_dir, read_only), "oxigraph", store_dir, read_only)
    store = ox.Store()
    for p in paths:
        if p.is_dir():
            raise GraphParseError(Errors.E010.format(path=p, why="give a store folder alone, not with files"))
        _load_ox(store, p, bulk=False)
    return Store(store, "oxigraph", paths[0] if len(paths) == 1 else None, read_only)


def _load_ox(store, path: Path, *, bulk: bool) -> None:
    _, fmt = _graph_format(path)
    try:
        if bulk:
            store.bulk_load(path=str(path), format=fmt)
        else:
            store.load(path=str(path), format=fmt)
    except (SyntaxError, ValueError) as exc:
        raise GraphParseError(Errors.E010.format(path=path, why=_one_line(exc))) from exc
    except OSError as exc:
        raise GraphParseError(Errors.E010.format(path=path, why=exc.strerror or _one_line(exc))) from exc


def build_store(sources: Graph | Iterable[str | os.PathLike], directory: str | os.PathLike) -> Path:
    """Bulk-load graph files or an rdflib graph into an on-disk oxigraph store folder.

    The store is built in a temporary folder beside ``directory`` and renamed into
    place when complete, so ``directory`` is never half-written; an existing store
    there is replaced.

    Parameters
    ----------
    sources : rdflib.Graph or rdflib.Dataset or iterable of paths
        What to load; a ``Dataset`` keeps its named graphs.
    directory : path
        The store folder to create, such as ``output/store``.

    Returns
    -------
    pathlib.Path
        ``directory``.

    Raises
    ------
    GraphParseError
        [E010] naming a file that cannot be parsed.
    OutputError
        [E050] when the folder cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from rdflib import Graph, URIRef, Literal
    >>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:b"), Literal("c")))
    >>> d = build_store(g, pathlib.Path(tempfile.mkdtemp()) / "store")
    >>> len(open_store(d))
    1
    """
    from kg.errors import OutputError

    directory = Path(directory)
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".tmp", dir=directory.parent))
    except OSError as exc:
        raise OutputError(Errors.E050.format(path=directory, why=exc.strerror or exc)) from exc
    try:
        store = ox.Store(str(tmp))
        if isinstance(sources, Graph):
            aware = getattr(sources, "context_aware", False)
            data = sources.serialize(format="nquads" if aware else "nt", encoding="utf-8")
            store.bulk_load(data, format=ox.RdfFormat.N_QUADS if aware else ox.RdfFormat.N_TRIPLES)
        else:
            paths = _as_paths(list(sources))
            _check_paths(paths)
            for p in paths:
                _load_ox(store, p, bulk=True)
        store.flush()
        del store  # closes the database before the rename
        old = None
        if directory.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".old", dir=directory.parent))
            os.replace(directory, old / directory.name)
        os.replace(tmp, directory)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(Errors.E050.format(path=directory, why=exc.strerror or exc)) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return directory


# --------------------------------------------------------------------------- queries


def read_query(arg: str) -> str:
    """The query text ``arg`` names: the content of a ``.rq`` file, or ``arg`` itself.

    Raises
    ------
    QueryError
        [E014] when a query file cannot be read.

    Examples
    --------
    >>> read_query("ASK {}")
    'ASK {}'
    """
    looks_like_file = arg.lower().endswith((".rq", ".sparql", ".ru"))
    if not looks_like_file and ("\n" in arg or "{" in arg):
        return arg
    path = Path(arg)
    try:
        is_file = path.is_file()
    except OSError:
        is_file = False
    if not is_file and not looks_like_file:
        return arg
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or _one_line(exc)
        raise QueryError(Errors.E014.format(path=path, why=why)) from exc


def _prologue(text: str) -> tuple[dict[str, str], int]:
    prefixes, pos = {}, 0
    while m := _PROLOGUE.match(text, pos):
        if m.end() == pos:
            break
        if m.group(2) is not None:
            prefixes[m.group(1)] = m.group(2)
        pos = m.end()
    return prefixes, pos


def query_kind(text: str) -> str:
    """The form of a SPARQL request: ``select``, ``ask``, ``construct`` (or DESCRIBE) or ``update``.

    Text that starts with none of these is reported as ``select`` and left for the
    parser to reject.

    Examples
    --------
    >>> query_kind("PREFIX x: <urn:x#> # note\\nINSERT DATA { x:a x:b x:c }")
    'update'
    >>> query_kind("describe <urn:a>")
    'construct'
    """
    _, pos = _prologue(text)
    m = re.match(r"[A-Za-z]+", text[pos:])
    word = m.group(0).lower() if m else ""
    if word in _UPDATE_FORMS:
        return "update"
    return _QUERY_FORMS.get(word, "select")


@dataclass
class Result:
    """The answer to a query.

    ``kind`` is ``select``, ``ask``, ``construct`` (also for DESCRIBE) or ``update``.
    A SELECT fills ``vars`` and ``rows`` (tuples of rdflib terms, ``None`` when
    unbound); an ASK fills ``boolean``; a CONSTRUCT fills ``triples`` and ``graph``.
    """

    kind: str
    vars: tuple[str, ...] = ()
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def graph(self) -> Graph | None:
        """The triples of a CONSTRUCT or DESCRIBE as an rdflib ``Graph`` (None otherwise)."""
        if self.kind != "construct":
            return None
        g = Graph()
        for name, ns in _display_prefixes(self.prefixes):
            g.bind(name, ns, override=True)
        for t in self.triples:
            g.add(t)
        return g

    def __len__(self) -> int:
        return len(self.triples) if self.kind == "construct" else len(self.rows)


def _from_ox(term) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value) if dt == _XSD_STRING else Literal(term.value, datatype=URIRef(dt))
    return Literal(str(term))  # quoted triples (RDF-star) shown as text


def _syntax_error(exc: BaseException, text: str) -> QueryError:
    msg = _one_line(exc)
    if m := _OX_ERROR.search(msg):
        line, column, why = int(m.group(1)), int(m.group(2)), m.group(3)
    elif hasattr(exc, "lineno") and hasattr(exc, "col"):  # pyparsing
        line, column, why = exc.lineno, exc.col, getattr(exc, "msg", msg)
    else:
        line, column, why = 1, 1, msg
        if m := re.search(r"prefix\W+(\w*)", msg, re.I):
            pos = text.find(f"{m.group(1)}:")
            if pos >= 0:
                line = text.count("\n", 0, pos) + 1
                column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    why = _one_line(why)
    if "Prefix not found" in why:
        why = "prefix not declared"
    elif why.startswith("expected one of") and len(why) > 60:
        why = "unexpected input here"
    elif len(why) > 160:
        why = why[:159] + "…"
    return QueryError(Errors.E011.format(line=line, column=column, why=why))


def _one_line(obj: object) -> str:
    return " ".join(str(obj).split())


def _execute(store: Store, text: str, kind: str) -> Result:
    """Run ``text`` on ``store`` in this process; no timeout."""
    declared, _ = _prologue(text)
    prefixes = store.prefixes | declared
    start = time.perf_counter()
    if store.engine == "oxigraph":
        result = _execute_ox(store.backend, text, kind)
    else:
        result = _execute_rdflib(store.backend, text, kind)
    result.prefixes = prefixes
    result.elapsed = time.perf_counter() - start
    return result


def _execute_ox(backend, text: str, kind: str) -> Result:
    try:
        if kind == "update":
            backend.update(text, prefixes=QUERY_PREFIXES)
            return Result("update")
        answer = backend.query(text, prefixes=QUERY_PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise _syntax_error(exc, text) from None
    except OSError as exc:
        raise QueryError(Errors.E019.format(why=_one_line(exc))) from exc
    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = tuple(v.value for v in answer.variables)
        n = len(names)
        rows = [tuple(_from_ox(s[i]) for i in range(n)) for s in answer]
        return Result("select", vars=names, rows=rows)
    return Result("construct", triples=[(_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object))
                                        for t in answer])


def _execute_rdflib(ds: Dataset, text: str, kind: str) -> Result:
    from pyparsing import ParseBaseException

    init_ns = {k: URIRef(v) for k, v in QUERY_PREFIXES.items()}
    try:
        if kind == "update":
            # as in oxigraph, an update reads and writes the default graph; rdflib 7 cannot
            # INSERT into a Dataset itself, so GRAPH <g> targets are refused by this engine
            ds.graph(DATASET_DEFAULT_GRAPH_ID).update(text, initNs=init_ns)
            return Result("update")
        answer = ds.query(text, initNs=init_ns)
    except ParseBaseException as exc:
        raise _syntax_error(exc, text) from None
    except Exception as exc:  # rdflib reports unknown prefixes and bad algebra as plain Exception
        if "prefix" in str(exc).lower():
            raise _syntax_error(exc, text) from None
        raise QueryError(Errors.E019.format(why=_one_line(exc))) from exc
    if answer.type == "ASK":
        return Result("ask", boolean=bool(answer.askAnswer))
    if answer.type in ("CONSTRUCT", "DESCRIBE"):
        return Result("construct", triples=list(answer.graph))
    names = tuple(str(v) for v in answer.vars or ())
    return Result("select", vars=names, rows=[tuple(row) for row in answer])


def _child(send, fn: Callable[[], Result]) -> None:
    try:
        payload = ("ok", fn())
    except BaseException as exc:  # sent back to the parent, which raises it
        payload = ("error", exc if isinstance(exc, QueryError) else QueryError(Errors.E019.format(why=_one_line(exc))))
    try:
        send.send(payload)
    finally:
        send.close()


def _in_worker(fn: Callable[[], Result], timeout: float) -> Result:
    """Run ``fn`` in a forked process; kill it after ``timeout`` seconds."""
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn), daemon=True)
    proc.start()
    send.close()
    try:
        if not recv.poll(timeout):
            raise QueryError(Errors.E012.format(seconds=_seconds(timeout)))
        try:
            status, payload = recv.recv()
        except (EOFError, OSError):
            proc.join(1)
            raise QueryError(Errors.E016.format(code=proc.exitcode)) from None
    finally:
        recv.close()
        if proc.is_alive():
            proc.kill()
        proc.join()
    if status == "error":
        raise payload
    return payload


def _in_thread(fn: Callable[[], Result], timeout: float) -> Result:
    """Run ``fn`` in a daemon thread; give up waiting after ``timeout`` seconds."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = fn()
        except BaseException as exc:  # re-raised in the caller
            box["error"] = exc

    worker = threading.Thread(target=target, name="kg-update", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryError(Errors.E012.format(seconds=_seconds(timeout)))
    if "error" in box:
        raise box["error"]
    return box["result"]


def _seconds(timeout: float) -> str:
    return f"{timeout:g}"


def run_query(store: Store, text: str, *, timeout: float | None = None, allow_update: bool = False) -> Result:
    """Run a SPARQL query (or, when allowed, an update) on ``store``.

    Queries see the union of all graphs as their default graph. Common prefixes
    (``schema:``, ``org:``, ``nkg:``, ``nif:`` ...) need no declaration.

    Parameters
    ----------
    store : Store
        From :func:`open_store`.
    text : str
        The SPARQL 1.1 query or update.
    timeout : float, optional
        Seconds a query may run. The query then runs in a forked worker process
        that is killed when time is up (an update runs in a thread and is only
        abandoned, not stopped).
    allow_update : bool
        Permit SPARQL Update requests (INSERT, DELETE, LOAD, CLEAR ...). An update
        reads and writes the default graph; reach named graphs with ``GRAPH``
        (oxigraph engine only: rdflib 7 cannot update a dataset's named graphs).

    Returns
    -------
    Result

    Raises
    ------
    QueryError
        [E011] syntax error with its line and column; [E012] timed out;
        [E013] an update was not allowed.

    Examples
    --------
    >>> from rdflib import Graph, URIRef, Literal
    >>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:b"), Literal("c")))
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.nt"; _ = g.serialize(p, format="nt")
    >>> r = run_query(open_store(p), "SELECT ?o WHERE { ?s ?p ?o }")
    >>> r.kind, r.vars, [str(row[0]) for row in r.rows]
    ('select', ('o',), ['c'])
    """
    if timeout is not None and not (isinstance(timeout, (int, float)) and timeout > 0):
        raise QueryError(Errors.E017.format(value=timeout))
    kind = query_kind(text)
    if kind == "update" and not allow_update:
        raise QueryError(Errors.E013)
    if kind == "update" and store.read_only:
        raise QueryError(Errors.E019.format(why="the store is open read-only"))
    if timeout is None:
        return _execute(store, text, kind)

    def job() -> Result:
        return _execute(store, text, kind)

    if kind == "update":
        return _in_thread(job, timeout)
    return _in_worker(job, timeout)


# --------------------------------------------------------------------------- output


def _display_prefixes(extra: dict[str, str] | None = None) -> list[tuple[str, str]]:
    table = dict(QUERY_PREFIXES)
    table["id"] = str(ID)
    if extra:
        table.update({k: v for k, v in extra.items() if k and v})
    # one name per namespace; longest namespace first so the most specific wins
    by_ns: dict[str, str] = {}
    for name, ns in table.items():
        by_ns.setdefault(ns, name)
    return sorted(((name, ns) for ns, name in by_ns.items()), key=lambda p: -len(p[1]))


def short_name(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """A readable prefixed name for ``iri``: ``schema:Person``, ``id:person/李小华``.

    Percent-encoded local parts are decoded; IRIs under no known namespace are
    written ``<iri>``.

    Examples
    --------
    >>> short_name("https://schema.org/Person")
    'schema:Person'
    >>> short_name("https://w3id.org/newskg/id/person/%E5%BC%A0")
    'id:person/张'
    >>> short_name("urn:x")
    '<urn:x>'
    """
    return _shorten(iri, _display_prefixes(prefixes))


def _shorten(iri: str, table: list[tuple[str, str]]) -> str:
    for name, ns in table:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{name}:{unquote(iri[len(ns):])}"
    return f"<{iri}>"


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK) characters count two.

    Examples
    --------
    >>> display_width("abc"), display_width("李小华")
    (3, 6)
    """
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def _clip(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for c in text:
        w = display_width(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _cell(term: Node | None, table: list[tuple[str, str]]) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return _shorten(str(term), table)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term).replace("\r", "").replace("\n", "↵").replace("\t", " ")


def _table(result: Result, max_width: int) -> str:
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    if result.kind == "update":
        return "update done\n"
    if result.kind == "construct":
        return result.graph.serialize(format="turtle")
    header = list(result.vars)
    table = _display_prefixes(result.prefixes)
    cells = [[_clip(_cell(t, table), max_width) for t in row] for row in result.rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = []
    for row in [header, ["-" * w for w in widths], *cells]:
        lines.append("  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip())
    n = len(result.rows)
    lines.append(f"({n} row{'' if n == 1 else 's'})")
    return "\n".join(lines) + "\n"


def format_result(result: Result, fmt: str = "table", *, max_width: int = 60) -> str:
    """Render ``result`` for a terminal or a file.

    Parameters
    ----------
    result : Result
    fmt : {"table", "csv", "tsv", "json"}
        ``table`` aligns columns (Chinese characters count two columns), shows IRIs
        as prefixed names and literals plainly, and clips cells to ``max_width``;
        the others are the SPARQL 1.1 results formats. A CONSTRUCT is written as
        Turtle (``table``), N-Triples (``csv``/``tsv``) or JSON-LD (``json``).
    max_width : int
        Widest cell of a table, in terminal columns.

    Returns
    -------
    str

    Raises
    ------
    QueryError
        [E015] for an unknown format.

    Examples
    --------
    >>> from rdflib import Literal
    >>> r = Result("select", vars=("name", "n"), rows=[(Literal("李小华", lang="zh"), Literal(1))])
    >>> print(format_result(r, "table"))
    name    n
    ------  -
    李小华  1
    (1 row)
    <BLANKLINE>
    """
    if fmt == "table":
        return _table(result, max_width)
    if result.kind == "update":
        return ""
    mime = {"csv": "text/csv", "tsv": "text/tab-separated-values", "json": "application/sparql-results+json"}.get(fmt)
    if mime is None:
        raise QueryError(Errors.E015.format(kind=result.kind, mime=fmt, choices=", ".join(FORMATS)))
    if result.kind == "construct":
        mime = "application/ld+json" if fmt == "json" else "application/n-triples"
    return serialize_results(result, mime).decode("utf-8")


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None and str(term.datatype) != _XSD_STRING:
        out["datatype"] = str(term.datatype)
    return out


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{_xml_escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{_xml_escape(str(term))}</bnode>"
    attrs = ""
    if term.language:
        attrs = f' xml:lang="{_xml_escape(term.language)}"'
    elif term.datatype is not None and str(term.datatype) != _XSD_STRING:
        attrs = f' datatype="{_xml_escape(str(term.datatype))}"'
    return f"<literal{attrs}>{_xml_escape(str(term))}</literal>"


def _tsv_term(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal) and (term.language or term.datatype is None or str(term.datatype) == _XSD_STRING):
        s = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        s = s.replace("\t", "\\t")
        return f'"{s}"@{term.language}' if term.language else f'"{s}"'
    return term.n3().replace("\t", "\\t")


def serialize_results(result: Result, mime: str) -> bytes:
    """Serialize ``result`` in a SPARQL protocol media type.

    Parameters
    ----------
    result : Result
    mime : str
        SELECT and ASK: ``application/sparql-results+json``, ``application/sparql-results+xml``,
        ``text/csv``, ``text/tab-separated-values``. CONSTRUCT: ``text/turtle``,
        ``application/n-triples``, ``application/ld+json``, ``application/rdf+xml``.
        Parameters such as ``; charset=utf-8`` are ignored.

    Returns
    -------
    bytes
        UTF-8.

    Raises
    ------
    QueryError
        [E015] when the media type does not fit the kind of result.

    Examples
    --------
    >>> serialize_results(Result("ask", boolean=True), "application/sparql-results+json")
    b'{"head": {}, "boolean": true}'
    """
    base = mime.split(";")[0].strip().lower()
    base = _MIME_ALIASES.get(base, base)
    kind = result.kind
    if kind == "update" or base not in MIME_TYPES.get(kind, ()):
        choices = ", ".join(MIME_TYPES.get(kind, ())) or "none"
        raise QueryError(Errors.E015.format(kind=kind, mime=mime, choices=choices))
    if kind == "construct":
        g = result.graph
        return g.serialize(format=_RDFLIB_GRAPH_FORMATS[base], encoding="utf-8")
    if base == "application/sparql-results+json":
        if kind == "ask":
            doc = {"head": {}, "boolean": bool(result.boolean)}
        else:
            bindings = [{v: _json_term(t) for v, t in zip(result.vars, row) if t is not None} for row in result.rows]
            doc = {"head": {"vars": list(result.vars)}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if base == "application/sparql-results+xml":
        out = ['<?xml version="1.0" encoding="utf-8"?>',
               '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        out += [f'<variable name="{_xml_escape(v)}"/>' for v in result.vars]
        out.append("</head>")
        if kind == "ask":
            out.append(f"<boolean>{'true' if result.boolean else 'false'}</boolean>")
        else:
            out.append("<results>")
            for row in result.rows:
                out.append("<result>")
                out += [f'<binding name="{_xml_escape(v)}">{_xml_term(t)}</binding>'
                        for v, t in zip(result.vars, row) if t is not None]
                out.append("</result>")
            out.append("</results>")
        out.append("</sparql>")
        return ("\n".join(out) + "\n").encode("utf-8")
    if kind == "ask":
        return (f"{'true' if result.boolean else 'false'}\n").encode("utf-8")
    if base == "text/csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(result.vars)
        for row in result.rows:
            w.writerow(["" if t is None else f"_:{t}" if isinstance(t, BNode) else str(t) for t in row])
        return buf.getvalue().encode("utf-8")
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
    return ("\n".join(lines) + "\n").encode("utf-8")
