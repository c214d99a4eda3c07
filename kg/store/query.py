"""SPARQL on a store: read a query, parse its prologue, tell its form, run it with a timeout."""

from __future__ import annotations

import dataclasses
import multiprocessing
import re
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from kg.errors import Errors, QueryError, one_line
from kg.rdf.vocab import PREFIXES, RDF, XSD
from kg.store.results import Result
from kg.store.store import Store

__all__ = ["QUERY_PREFIXES", "query_form", "read_query", "run_query"]

#: Prefixes every query may use without declaring them.
QUERY_PREFIXES = {name: str(ns) for name, ns in PREFIXES.items()} | {"rdf": str(RDF)}

_XSD_STRING = str(XSD.string)
_QUERY_FORMS = {"select": "select", "ask": "ask", "construct": "construct", "describe": "construct"}
_UPDATE_FORMS = {"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"}
_PROLOGUE = re.compile(r"\s+|#[^\n]*|(?i:prefix)\s*([^\s:]*):\s*<([^>]*)>|(?i:base)\s*<[^>]*>")
_OX_ERROR = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)


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
        why = getattr(exc, "strerror", None) or one_line(exc)
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


def query_form(text: str) -> str:
    """The form of a SPARQL request: ``select``, ``ask``, ``construct`` (or DESCRIBE) or ``update``.

    Text that starts with none of these is reported as ``select`` and left for the
    parser to reject.

    Examples
    --------
    >>> query_form("PREFIX x: <urn:x#> # note\\nINSERT DATA { x:a x:b x:c }")
    'update'
    >>> query_form("describe <urn:a>")
    'construct'
    """
    _, pos = _prologue(text)
    m = re.match(r"[A-Za-z]+", text[pos:])
    word = m.group(0).lower() if m else ""
    if word in _UPDATE_FORMS:
        return "update"
    return _QUERY_FORMS.get(word, "select")



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
    msg = one_line(exc)
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
    why = one_line(why)
    if "Prefix not found" in why:
        why = "prefix not declared"
    elif why.startswith("expected one of") and len(why) > 60:
        why = "unexpected input here"
    elif len(why) > 160:
        why = why[:159] + "…"
    return QueryError(Errors.E011.format(line=line, column=column, why=why))


def _execute(store: Store, text: str, form: str) -> Result:
    """Run ``text`` on ``store`` in this process; no timeout."""
    declared, _ = _prologue(text)
    prefixes = store.prefixes | declared
    start = time.perf_counter()
    if store.engine == "oxigraph":
        result = _execute_ox(store.backend, text, form)
    else:
        result = _execute_rdflib(store.backend, text, form)
    return dataclasses.replace(result, prefixes=prefixes, elapsed=time.perf_counter() - start)


def _execute_ox(backend, text: str, form: str) -> Result:
    try:
        if form == "update":
            backend.update(text, prefixes=QUERY_PREFIXES)
            return Result("update")
        answer = backend.query(text, prefixes=QUERY_PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise _syntax_error(exc, text) from None
    except OSError as exc:
        raise QueryError(Errors.E019.format(why=one_line(exc))) from exc
    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = tuple(v.value for v in answer.variables)
        n = len(names)
        rows = [tuple(_from_ox(s[i]) for i in range(n)) for s in answer]
        return Result("select", vars=names, rows=rows)
    return Result("construct", triples=[(_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object))
                                        for t in answer])


def _execute_rdflib(ds: Dataset, text: str, form: str) -> Result:
    from pyparsing import ParseBaseException

    init_ns = {k: URIRef(v) for k, v in QUERY_PREFIXES.items()}
    try:
        if form == "update":
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
        raise QueryError(Errors.E019.format(why=one_line(exc))) from exc
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
        payload = ("error", exc if isinstance(exc, QueryError) else QueryError(Errors.E019.format(why=one_line(exc))))
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
        From :func:`kg.store.store.open_store`.
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
    >>> from kg.store.store import open_store
    >>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:b"), Literal("c")))
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.nt"; _ = g.serialize(p, format="nt")
    >>> r = run_query(open_store(p), "SELECT ?o WHERE { ?s ?p ?o }")
    >>> r.form, r.vars, [str(row[0]) for row in r.rows]
    ('select', ('o',), ['c'])
    """
    if timeout is not None and not (isinstance(timeout, (int, float)) and timeout > 0):
        raise QueryError(Errors.E017.format(value=timeout))
    form = query_form(text)
    if form == "update" and not allow_update:
        raise QueryError(Errors.E013)
    if form == "update" and store.read_only:
        raise QueryError(Errors.E019.format(why="the store is open read-only"))
    if timeout is None:
        return _execute(store, text, form)

    def job() -> Result:
        return _execute(store, text, form)

    if form == "update":
        return _in_thread(job, timeout)
    return _in_worker(job, timeout)
