"""SPARQL on a store: read a query, parse its prologue, tell its form, run it with a timeout."""

from __future__ import annotations

import dataclasses
import multiprocessing
import re
import threading
import time
import traceback
from pathlib import Path
from typing import Any, Callable

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from kg.errors import Errors, QueryError, one_line
from kg.rdf.vocab import PREFIXES, RDF, XSD
from kg.store.results import Result, serialize_results
from kg.store.store import Store

__all__ = ["QUERY_PREFIXES", "declared_prefixes", "past_limit", "query_form", "read_query", "run_query", "star_order"]

#: Prefixes every query may use without declaring them.
QUERY_PREFIXES = {name: str(ns) for name, ns in PREFIXES.items()} | {"rdf": str(RDF)}

_XSD_STRING = str(XSD.string)
_QUERY_FORMS = {"select": "select", "ask": "ask", "construct": "construct", "describe": "construct"}
_UPDATE_FORMS = {"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"}
_PROLOGUE = re.compile(r"\s+|#[^\n]*|(?i:prefix)\s*([^\s:]*):\s*<([^>]*)>|(?i:base)\s*<[^>]*>")
_OX_ERROR = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)

#: Deepest nesting of ``{``, ``(`` and ``[`` (a run of ``!``, ``-``, ``+`` or ``^`` counts too) a query
#: may have: oxigraph's parser overflows its stack (a segmentation fault) at a few thousand levels.
MAX_DEPTH = 200

#: Longest query text accepted, in characters.
MAX_QUERY_CHARS = 1 << 20

# Stack of the thread that parses and runs a query: long chains (``a || b || …``, ``UNION``,
# thousands of triple patterns) recurse deeply in oxigraph even when the nesting is shallow.
_STACK_BYTES = 512 << 20
_STACK_LOCK = threading.Lock()

# SPARQL tokens, enough to tell keywords and brackets from what strings, IRIs and comments hold
_NAME_END = r"""[^\s{}()\[\],;.'"<>=!&|+*/^#?$]"""
_TOKEN = re.compile(r"""
    (?P<skip>\s+|\#[^\n\r]*)
  | (?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*"{3}|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}
              |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<open_string>["'])
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]""" + _NAME_END + r"""*)
  | (?P<word>(?:""" + _NAME_END + r"""|:)(?:(?:""" + _NAME_END + r"""|[.:-])*(?:""" + _NAME_END + r"""|[:-]))?)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<unary>[!+^-])
  | (?P<other>.)
""", re.X | re.S)
_ESCAPE = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")
_FETCHING = {"service": "a SERVICE clause", "load": "a LOAD update"}


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



def declared_prefixes(text: str) -> dict[str, str]:
    """The ``PREFIX`` declarations of a query's prologue.

    Examples
    --------
    >>> declared_prefixes("PREFIX ex: <urn:ex:> SELECT * {}")
    {'ex': 'urn:ex:'}
    """
    return _prologue(text)[0]


def _significant(text: str) -> list[re.Match]:
    return [m for m in _TOKEN.finditer(text) if m.lastgroup != "skip"]


def star_order(text: str, result: Result) -> Result:
    """``result`` with the columns of a ``SELECT *`` in the order their variables first appear in the query.

    SPARQL leaves the order of ``SELECT *`` columns to the engine (oxigraph sorts them,
    rdflib keeps a set's order); this gives the order a reader of the query expects, the
    same on every engine and endpoint. Other queries are returned as they are.

    Examples
    --------
    >>> r = Result("select", vars=("a", "z"), rows=[(None, None)])
    >>> star_order("SELECT * WHERE { ?z ?p ?a }", r).vars
    ('z', 'a')
    >>> star_order("SELECT ?a ?z WHERE { ?z ?p ?a }", r).vars
    ('a', 'z')
    """
    if result.form != "select":
        return result
    tokens = _significant(text)
    i = next((k for k, m in enumerate(tokens) if m.lastgroup == "word" and m.group().lower() == "select"), None)
    if i is None:
        return result
    i += 1
    if i < len(tokens) and tokens[i].group().lower() in ("distinct", "reduced"):
        i += 1
    if i >= len(tokens) or tokens[i].group() != "*":
        return result
    names = set(result.vars)
    order: list[str] = []
    for m in tokens[i + 1:]:
        name = m.group()[1:] if m.lastgroup == "var" else ""
        if name in names and name not in order:
            order.append(name)
    order += [v for v in result.vars if v not in order]
    if tuple(order) == result.vars:
        return result
    index = [result.vars.index(v) for v in order]
    rows = [tuple(row[k] for k in index) for row in result.rows]
    return dataclasses.replace(result, vars=tuple(order), rows=rows)


def _final_limit(text: str) -> re.Match | None:
    """The number of the query's own ``LIMIT`` (outside every ``{ }``), when it has one."""
    depth, found = 0, None
    tokens = _significant(text)
    for k, m in enumerate(tokens):
        if m.lastgroup == "open" and m.group() == "{":
            depth += 1
        elif m.lastgroup == "close" and m.group() == "}":
            depth = max(0, depth - 1)
        elif (depth == 0 and m.lastgroup == "word" and m.group().lower() == "limit" and k + 1 < len(tokens)
              and re.fullmatch(r"\d+", tokens[k + 1].group())):
            found = tokens[k + 1]
    return found


def past_limit(text: str) -> tuple[str, int | None]:
    """``(query asking one row more than its LIMIT, the LIMIT)``, or ``(text, None)`` without a LIMIT.

    Running the first and keeping ``LIMIT`` rows gives the same answer, and tells
    whether the LIMIT cut it (one row more came back).

    Examples
    --------
    >>> past_limit("SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 5 } } ORDER BY ?s LIMIT 10 OFFSET 2")
    ('SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 5 } } ORDER BY ?s LIMIT 11 OFFSET 2', 10)
    >>> past_limit("SELECT * { ?s ?p ?o }")
    ('SELECT * { ?s ?p ?o }', None)
    """
    m = _final_limit(text)
    if m is None:
        return text, None
    limit = int(m.group())
    return text[:m.start()] + str(limit + 1) + text[m.end():], limit


def _cut(result: Result, limit: int | None) -> Result:
    if result.form != "select" or limit is None or len(result.rows) <= limit:
        return result
    return dataclasses.replace(result, rows=result.rows[:limit], limit=limit, more=True)


def _where(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def check_query(text: str, *, allow_service: bool = False, max_depth: int = MAX_DEPTH,
                max_chars: int = MAX_QUERY_CHARS) -> None:
    """Refuse, before any parser sees it, a query that is too long, too deeply nested, not text, or that fetches.

    The text is read as SPARQL tokens, so that what strings, IRIs and comments hold
    counts for nothing: ``SERVICE`` (and the ``LOAD`` update) is refused unless
    ``allow_service``, since either makes this machine send a request to any URL the
    query names; brackets ``{ ( [`` may nest ``max_depth`` deep (a run of unary
    operators ``! - + ^`` adds to it).

    Raises
    ------
    QueryError
        [E100] SERVICE or LOAD without ``allow_service``; [E101] nested too deep;
        [E102] longer than ``max_chars``; [E103] a NUL or other control character.

    Examples
    --------
    >>> check_query('SELECT * { ?s ?p "SERVICE <http://x/>" } # SERVICE')
    >>> check_query("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: [E100] line 1, column 12: a SERVICE clause would make this machine fetch a URL; refused (--allow-service permits it)
    >>> check_query("ASK { " + "{" * 300 + "}" * 300 + " }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: [E101] query nested more than 200 levels deep at line 1, column 206
    """
    if len(text) > max_chars:
        raise QueryError(Errors.E102.format(size=len(text), limit=max_chars))
    if bad := re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
        line, column = _where(text, bad.start())
        raise QueryError(Errors.E103.format(code=ord(bad.group()), line=line, column=column))
    # rdflib reads \uXXXX escapes anywhere in a query (as SPARQL 1.1 says), oxigraph only in strings and IRIs
    _scan(text, allow_service, max_depth)
    expanded = _ESCAPE.sub(lambda m: _unescape(m.group()), text)
    if expanded != text:
        _scan(expanded, allow_service, max_depth)


def _unescape(escape: str) -> str:
    code = int(escape[2:], 16)
    return chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else escape


def _scan(text: str, allow_service: bool, max_depth: int) -> None:
    depth = run = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "skip":
            continue
        if kind == "open_string":
            return  # unterminated: the parser says where
        if kind == "unary":
            run += 1
        else:
            run = 0
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "word" and not allow_service and m.group().lower() in _FETCHING:
            line, column = _where(text, m.start())
            raise QueryError(Errors.E100.format(line=line, column=column, what=_FETCHING[m.group().lower()]))
        if depth + run > max_depth:
            line, column = _where(text, m.start())
            raise QueryError(Errors.E101.format(limit=max_depth, line=line, column=column))


def _on_big_stack(fn: Callable[[], Any]) -> Any:
    """``fn()`` in a thread with a large stack (address space only; pages are used as the stack grows)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = fn()
        except BaseException as exc:  # re-raised in the caller, without the frames (oxigraph's answers die here)
            seen = exc
            while seen is not None:
                traceback.clear_frames(seen.__traceback__)
                seen = seen.__cause__ or seen.__context__
            box["error"] = exc.with_traceback(None)

    with _STACK_LOCK:
        previous = threading.stack_size(_STACK_BYTES)
        try:
            worker = threading.Thread(target=target, name="kg-query", daemon=True)
            worker.start()
        finally:
            threading.stack_size(previous)
    worker.join()
    if "error" in box:
        raise box["error"]
    return box["result"]


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


class _Budget:
    """Counts the characters of an answer's terms as they come; over ``limit``: [E111]."""

    def __init__(self, limit: int | None):
        self.limit, self.used = limit, 0

    def rows(self, rows):
        for row in rows:
            if self.limit is not None:
                # a lower bound of any results format: each value and one separator
                self.used += sum(len(t) + 1 for t in row if t is not None)
                if self.used > self.limit:
                    raise QueryError(Errors.E111.format(limit=self.limit))
            yield row


def _execute(store: Store, text: str, form: str, max_bytes: int | None = None) -> Result:
    """Run ``text`` on ``store`` in this process (on a thread with a large stack); no timeout."""
    declared, _ = _prologue(text)
    prefixes = store.prefixes | declared
    start = time.perf_counter()
    budget = _Budget(max_bytes)
    if store.engine == "oxigraph":
        result = _on_big_stack(lambda: _execute_ox(store.backend, text, form, budget))
    else:
        result = _on_big_stack(lambda: _execute_rdflib(store.backend, text, form, budget))
    return dataclasses.replace(star_order(text, result), prefixes=prefixes, elapsed=time.perf_counter() - start)


def _execute_ox(backend, text: str, form: str, budget: _Budget) -> Result:
    try:
        if form == "update":
            backend.update(text, prefixes=QUERY_PREFIXES)
            return Result("update")
        answer = backend.query(text, prefixes=QUERY_PREFIXES, use_default_graph_as_union=True)
        if isinstance(answer, ox.QueryBoolean):
            return Result("ask", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            names = tuple(v.value for v in answer.variables)
            n = len(names)
            rows = list(budget.rows(tuple(_from_ox(s[i]) for i in range(n)) for s in answer))
            return Result("select", vars=names, rows=rows)
        return Result("construct", triples=list(budget.rows((_from_ox(t.subject), _from_ox(t.predicate),
                                                             _from_ox(t.object)) for t in answer)))
    except SyntaxError as exc:
        raise _syntax_error(exc, text) from None
    except (OSError, RuntimeError) as exc:  # the store, or a SERVICE that failed
        raise QueryError(Errors.E019.format(why=one_line(exc))) from None


def _execute_rdflib(ds: Dataset, text: str, form: str, budget: _Budget) -> Result:
    import rdflib.plugins.sparql
    from pyparsing import ParseBaseException

    # FROM <url> names a graph of this store, never a document to download
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

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
        return Result("construct", triples=list(budget.rows(answer.graph)))
    names = tuple(str(v) for v in answer.vars or ())
    return Result("select", vars=names, rows=list(budget.rows(tuple(row) for row in answer)))


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


def run_query(store: Store, text: str, *, timeout: float | None = None, allow_update: bool = False,
              allow_service: bool = False, see_past_limit: bool = False) -> Result:
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
    allow_service : bool
        Permit ``SERVICE`` (federated queries) and the ``LOAD`` update, which make
        this machine fetch the URLs the query names; refused by default.
    see_past_limit : bool
        Run a SELECT with a final ``LIMIT n`` as ``LIMIT n+1`` and keep ``n`` rows, so
        that ``Result.more`` tells whether the LIMIT cut the answer.

    Returns
    -------
    Result
        A ``SELECT *`` has its columns in the order the query names them (see
        :func:`star_order`).

    Raises
    ------
    QueryError
        [E011] syntax error with its line and column; [E012] timed out;
        [E013] an update was not allowed; [E100]-[E103] refused before parsing
        (see :func:`check_query`).

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
    check_query(text, allow_service=allow_service)
    form = query_form(text)
    if form == "update" and not allow_update:
        raise QueryError(Errors.E013)
    if form == "update" and store.read_only:
        raise QueryError(Errors.E019.format(why="the store is open read-only"))
    sent, limit = past_limit(text) if see_past_limit and form == "select" else (text, None)

    def job() -> Result:
        return _execute(store, sent, form)

    if timeout is None:
        result = job()
    elif form == "update":
        return _in_thread(job, timeout)
    else:
        result = _in_worker(job, timeout)
    return _cut(result, limit)


def answer_query(store: Store, text: str, mime_for: Callable[[str], str], *, timeout: float | None = None,
                 allow_service: bool = False, max_bytes: int | None = None) -> tuple[str, bytes]:
    """Run a query and serialize its answer, both within ``timeout`` and ``max_bytes``: ``(media type, body)``.

    The work runs in one forked worker (as :func:`run_query` with a timeout), so that
    the time limit covers writing the answer too and an answer over ``max_bytes`` is
    dropped in the worker; only the serialized body comes back.

    Parameters
    ----------
    store : Store
    text : str
        A SPARQL query (updates are refused: use :func:`run_query`).
    mime_for : callable
        Called with the form of the answer (``select``, ``ask``, ``construct``); returns
        the media type to write it in (see :func:`kg.store.results.serialize_results`).
    timeout : float, optional
        Seconds for running the query and serializing its answer.
    allow_service : bool
        As for :func:`run_query`.
    max_bytes : int, optional
        Largest answer, in bytes.

    Returns
    -------
    (str, bytes)

    Raises
    ------
    QueryError
        As :func:`run_query`; [E111] the answer is larger than ``max_bytes``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from kg.store.store import open_store
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.nt"
    >>> _ = p.write_text('<urn:a> <urn:b> "c" .')
    >>> answer_query(open_store(p), "SELECT ?o { ?s ?p ?o }", lambda form: "text/csv", timeout=10)
    ('text/csv', b'o\\r\\nc\\r\\n')
    >>> answer_query(open_store(p), "SELECT ?o { ?s ?p ?o }", lambda form: "text/csv", max_bytes=4)
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: [E111] the answer is larger than 4 bytes (--max-result-bytes); ask for less (LIMIT, fewer variables) or raise the limit
    """
    if timeout is not None and not (isinstance(timeout, (int, float)) and timeout > 0):
        raise QueryError(Errors.E017.format(value=timeout))
    check_query(text, allow_service=allow_service)
    form = query_form(text)
    if form == "update":
        raise QueryError(Errors.E013)

    def job() -> tuple[str, bytes]:
        result = _execute(store, text, form, max_bytes)
        mime = mime_for(result.form)
        body = serialize_results(result, mime)
        if max_bytes is not None and len(body) > max_bytes:
            raise QueryError(Errors.E111.format(limit=max_bytes))
        return mime, body

    return job() if timeout is None else _in_worker(job, timeout)
