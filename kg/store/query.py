"""SPARQL on a store: read a query, run it on pyoxigraph with its parameters bound, within a timeout."""

from __future__ import annotations

import dataclasses
import multiprocessing
import re
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pyoxigraph as ox

from kg.errors import Errors, QueryError, one_line
from kg.store.results import Answer, Result, serialize_answer, to_rdflib
from kg.store.sparql import (MAX_DEPTH, MAX_QUERY_CHARS, QUERY_PREFIXES, Parsed, bind, can_rewrite_limit, check_text,
                             keyword_position, on_big_stack, parse, rewrite)
from kg.store.store import Store

__all__ = ["MAX_DEPTH", "MAX_QUERY_CHARS", "QUERY_PREFIXES", "answer_query", "check_query", "endpoint_text",
           "read_query", "run_query", "star_order"]

_OX_ERROR = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)
_FETCHING = {"service": "a SERVICE clause", "load": "a LOAD update"}
_FETCH_WORDS = {"service": "SERVICE", "load": "LOAD"}


def read_query(arg: str) -> str:
    """The query text ``arg`` names: the content of a ``.rq`` file, or ``arg`` itself.

    (``kg query`` also takes the name of a query newskg ships: :func:`kg.store.catalog.query_text`.)

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


def check_query(text: str, *, allow_service: bool = False, max_depth: int = MAX_DEPTH,
                max_chars: int = MAX_QUERY_CHARS) -> Parsed:
    """Check ``text`` before any parser (size, control characters, depth), parse it, and refuse what fetches.

    ``SERVICE`` (and the ``LOAD`` update) is refused unless ``allow_service``, since either
    makes this machine send a request to any URL the query names; the parse tells, so what
    strings, IRIs and comments hold counts for nothing.

    Returns
    -------
    Parsed

    Raises
    ------
    QueryError
        [E011] not SPARQL; [E100] SERVICE or LOAD without ``allow_service``; [E101]-[E103]
        (see :func:`kg.store.sparql.check_text`).

    Examples
    --------
    >>> check_query('SELECT * { ?s ?p "SERVICE <http://x/>" } # SERVICE').form
    'select'
    >>> check_query("SELECT * {\\n  SERVICE <http://x/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: [E100] line 2, column 3: a SERVICE clause would make this machine fetch a URL; refused (--allow-service permits it)
    """
    check_text(text, max_depth=max_depth, max_chars=max_chars)
    parsed = parse(text)
    if parsed.fetches and not allow_service:
        line, column = keyword_position(text, _FETCH_WORDS[parsed.fetches])
        raise QueryError(Errors.E100.format(line=line, column=column, what=_FETCHING[parsed.fetches]))
    return parsed


def star_order(parsed: Parsed, names: tuple[str, ...]) -> tuple[str, ...]:
    """The columns of a ``SELECT *`` (``names``, the engine's) in the order the query names the variables.

    SPARQL leaves the order of ``SELECT *`` columns to the engine (oxigraph sorts them);
    this gives the order a reader of the query expects, the same on every engine and endpoint.

    Examples
    --------
    >>> star_order(parse("SELECT * WHERE { ?z ?p ?a }"), ("a", "p", "z"))
    ('z', 'p', 'a')
    """
    order = [v for v in parsed.order if v in names]
    return tuple(order + [v for v in names if v not in order])


def _syntax_error(exc: BaseException) -> QueryError:
    """[E011] from oxigraph's own parser (for what rdflib's parser took and oxigraph did not)."""
    msg = one_line(exc)
    line, column, why = 1, 1, msg
    if m := _OX_ERROR.search(msg):
        line, column, why = int(m.group(1)), int(m.group(2)), m.group(3)
    if why.startswith("expected one of") and len(why) > 60:
        why = "unexpected input here"
    elif len(why) > 160:
        why = why[:159] + "…"
    return QueryError(Errors.E011.format(line=line, column=column, why=why))


def _engine_error(exc: BaseException) -> QueryError:
    msg = one_line(exc)
    if m := re.search(r"does not contains? variable \?(\w+) in its SELECT projection", msg):
        return QueryError(Errors.E106.format(name=m.group(1), why="the query does not project it, and SPARQL binds "
                                             "only projected variables"))
    return QueryError(Errors.E019.format(why=msg))


@dataclasses.dataclass(frozen=True)
class _Plan:
    """How a parsed query runs: its text (rewritten at tokens the parse confirmed) and its bound parameters."""

    text: str
    substitutions: dict
    limit: int | None = None  # a LIMIT asked one row past (rows are cut back to it)


def _star_names(parsed: Parsed, values: dict) -> tuple[str, ...] | None:
    """The columns of a ``SELECT *`` in the query's order, or None when there is nothing to reorder."""
    if not parsed.star or parsed.fetches:
        return None
    try:  # pyoxigraph plans the query on an empty store: its columns, with nothing evaluated
        names = tuple(v.value for v in ox.Store().query(parsed.text, prefixes=QUERY_PREFIXES,
                                                         substitutions=_subs(values)).variables)
    except (SyntaxError, RuntimeError, OSError, ValueError):
        return None
    order = star_order(parsed, names)
    return order if order != names else None


def _subs(values: dict) -> dict:
    return {ox.Variable(name): term for name, term in values.items()}


def _plan(parsed: Parsed, values: dict, *, past_limit: bool = False) -> _Plan:
    projection = _star_names(parsed, values)
    limit = parsed.limit if past_limit and parsed.form == "select" and parsed.limit is not None else None
    if limit is not None and not can_rewrite_limit(parsed):
        limit = None
    text = rewrite(parsed, projection=projection, limit=None if limit is None else limit + 1)
    return _Plan(text, _subs(values), limit)


def endpoint_text(text: str, params: dict[str, str] | None = None, *,
                  past_limit: bool = False) -> tuple[Parsed, str, int | None]:
    """``(parsed, the text to send an endpoint, the LIMIT asked one row past or None)`` for the query ``text``.

    What a local store is given beside the text, an endpoint gets in it, so that the same
    query answers the same: the standard prefixes the query uses without declaring them
    (on its first line, so line numbers stay), the columns of a ``SELECT *`` in the query's
    order, and the parameters as a ``VALUES`` block of RDF terms written by pyoxigraph at the
    start of the WHERE pattern (the endpoint's parser reads them as terms: no value is pasted).
    ``SERVICE`` is left to the endpoint.

    Raises
    ------
    QueryError
        As :func:`check_query`, and [E104]-[E106] for the parameters.

    Examples
    --------
    >>> print(endpoint_text("# @param name\\nSELECT ?s ?name { ?s schema:name ?name }", {"name": 'say "hi"'})[1])
    PREFIX schema: <https://schema.org/> # @param name
    SELECT ?s ?name { VALUES (?name) { ("say \\"hi\\"") } ?s schema:name ?name }
    """
    parsed = check_query(text, allow_service=True)
    if parsed.form == "update":
        if params:
            raise QueryError(Errors.E106.format(name=next(iter(params)), why="an update takes no parameters"))
        return parsed, text, None
    values = bind(parsed, params)
    plan = _plan(parsed, values, past_limit=past_limit)
    standard = {p: QUERY_PREFIXES[p] for p in parsed.used if p not in parsed.prefixes and p in QUERY_PREFIXES}
    projection = _star_names(parsed, values)
    sent = rewrite(parsed, projection=projection, limit=None if plan.limit is None else plan.limit + 1,
                   values=values, prefixes=standard)
    check_text(sent)
    return parsed, sent, plan.limit


def _query(store: Store, plan: _Plan):
    try:
        return store.backend.query(plan.text, prefixes=QUERY_PREFIXES, use_default_graph_as_union=True,
                                   substitutions=plan.substitutions or None)
    except SyntaxError as exc:
        raise _syntax_error(exc) from None
    except (OSError, RuntimeError) as exc:  # the store, a SERVICE that failed, a parameter not projected
        raise _engine_error(exc) from None


def _result(store: Store, parsed: Parsed, plan: _Plan) -> Result:
    """Run ``plan`` on ``store`` in this process (on a thread with a large stack); no timeout."""
    start = time.perf_counter()

    def go() -> Result:
        answer = _query(store, plan)
        try:
            if isinstance(answer, ox.QueryBoolean):
                return Result("ask", boolean=bool(answer))
            if isinstance(answer, ox.QuerySolutions):
                names = tuple(v.value for v in answer.variables)
                rows = [tuple(to_rdflib(s[i]) for i in range(len(names))) for s in answer]
                return Result("select", vars=names, rows=rows)
            triples = [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in answer]
            return Result("construct", triples=triples)
        except (OSError, RuntimeError) as exc:
            raise _engine_error(exc) from None

    result = on_big_stack(go)
    if plan.limit is not None and len(result.rows) > plan.limit:
        result = dataclasses.replace(result, rows=result.rows[:plan.limit], limit=plan.limit, more=True)
    return dataclasses.replace(result, prefixes=store.prefixes | parsed.prefixes, warnings=parsed.warnings,
                               elapsed=time.perf_counter() - start)


def _update(store: Store, parsed: Parsed) -> Result:
    def go() -> Result:
        try:
            store.backend.update(parsed.text, prefixes=QUERY_PREFIXES)
        except SyntaxError as exc:
            raise _syntax_error(exc) from None
        except (OSError, RuntimeError) as exc:
            raise QueryError(Errors.E019.format(why=one_line(exc))) from None
        return Result("update", warnings=parsed.warnings)

    return on_big_stack(go)


def _child(send, fn: Callable[[], Any]) -> None:
    try:
        payload = ("ok", fn())
    except BaseException as exc:  # sent back to the parent, which raises it
        payload = ("error", exc if isinstance(exc, QueryError) else QueryError(Errors.E019.format(why=one_line(exc))))
    try:
        send.send(payload)
    finally:
        send.close()


def _in_worker(fn: Callable[[], Any], timeout: float) -> Any:
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


def _in_thread(fn: Callable[[], Any], timeout: float) -> Any:
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


def _check_timeout(timeout) -> None:
    if timeout is not None and not (isinstance(timeout, (int, float)) and not isinstance(timeout, bool)
                                    and timeout > 0):
        raise QueryError(Errors.E017.format(value=timeout))


def run_query(store: Store, text: str, *, params: dict[str, str] | None = None, timeout: float | None = None,
              allow_update: bool = False, allow_service: bool = False, see_past_limit: bool = False,
              only_update: bool = False) -> Result:
    """Run a SPARQL query (or, when allowed, an update) on ``store``, its parameters bound.

    Queries see the union of all graphs as their default graph. Common prefixes
    (``schema:``, ``org:``, ``nkg:``, ``nif:`` ...) need no declaration.

    Parameters
    ----------
    store : Store
        From :func:`kg.store.store.open_store`.
    text : str
        The SPARQL 1.1 query or update.
    params : dict, optional
        Values of the parameters the query declares (``# @param NAME …`` lines; see
        :func:`kg.store.sparql.bind`), bound as RDF terms by pyoxigraph's substitution: a value
        is never pasted into the query.
    timeout : float, optional
        Seconds a query may take. The query is then parsed and run in a forked worker process
        that is killed when time is up (an update is parsed there, and run in a thread that is
        only abandoned, not stopped).
    allow_update : bool
        Permit SPARQL Update requests (INSERT, DELETE, LOAD, CLEAR ...). An update
        reads and writes the default graph; reach named graphs with ``GRAPH``.
    allow_service : bool
        Permit ``SERVICE`` (federated queries) and the ``LOAD`` update, which make
        this machine fetch the URLs the query names; refused by default.
    see_past_limit : bool
        Run a SELECT with a final ``LIMIT n`` as ``LIMIT n+1`` and keep ``n`` rows, so
        that ``Result.more`` tells whether the LIMIT cut the answer.
    only_update : bool
        Refuse a query ([E045]): the text must be an update (a SPARQL update service).

    Returns
    -------
    Result
        A ``SELECT *`` has its columns in the order the query names them (see
        :func:`star_order`); ``warnings`` hold what the parse noticed (``[W132]``, ``[W133]``).

    Raises
    ------
    QueryError
        [E011] syntax error with its line and column; [E012] timed out; [E013] an update was
        not allowed; [E100]-[E103] refused (see :func:`check_query`); [E104]-[E106] parameters.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from kg.store.store import open_store
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.nt"
    >>> _ = p.write_text('<urn:a> <https://schema.org/name> "c" .\\n<urn:b> <https://schema.org/name> "d" .')
    >>> q = "# @param name\\nSELECT ?s ?name WHERE { ?s schema:name ?name }"
    >>> [str(row[0]) for row in run_query(open_store(p), q, params={"name": "d"}).rows]
    ['urn:b']
    """
    _check_timeout(timeout)
    check_text(text)

    def prepare() -> Parsed:
        parsed = check_query(text, allow_service=allow_service)
        if only_update and parsed.form != "update":
            raise QueryError(Errors.E045.format(why="not an update; send queries to /sparql as query=…"))
        if parsed.form == "update":
            if not allow_update:
                raise QueryError(Errors.E013)
            if store.read_only:
                raise QueryError(Errors.E019.format(why="the store is open read-only"))
        return parsed

    def job() -> Result | Parsed:
        parsed = prepare()
        if parsed.form == "update":
            return parsed  # run by the caller, beside the store it changes
        return _result(store, parsed, _plan(parsed, bind(parsed, params), past_limit=see_past_limit))

    if timeout is None:
        outcome = job()
    else:
        started = time.monotonic()
        outcome = _in_worker(job, timeout)
        timeout = max(timeout - (time.monotonic() - started), 0.001)
    if isinstance(outcome, Result):
        return outcome
    if params:
        raise QueryError(Errors.E106.format(name=next(iter(params)), why="an update takes no parameters"))
    if timeout is None:
        return _update(store, outcome)
    return _in_thread(lambda: _update(store, outcome), timeout)


def answer_query(store: Store, text: str, mime_for: Callable[[str], str], *, params: dict[str, str] | None = None,
                 timeout: float | None = None, allow_service: bool = False, allow_update: bool = False,
                 max_bytes: int | None = None, see_past_limit: bool = False) -> Answer:
    """Run a query and write its answer with pyoxigraph's serializers, within ``timeout`` and ``max_bytes``.

    Everything (the parse, the run, the writing) happens in one forked worker when a
    ``timeout`` is given, so that the time limit covers a long query text and writing the
    answer too, and an answer over ``max_bytes`` is dropped in the worker; only the written
    body comes back.

    Parameters
    ----------
    store : Store
    text : str
        A SPARQL query (updates are refused: use :func:`run_query`).
    mime_for : callable
        Called with the form of the answer (``select``, ``ask``, ``construct``); returns
        the media type to write it in (see :func:`kg.store.results.serialize_answer`), or
        raises [E015].
    params : dict, optional
        As for :func:`run_query`.
    timeout : float, optional
        Seconds for parsing, running the query and writing its answer.
    allow_service : bool
        As for :func:`run_query`.
    allow_update : bool
        Whether updates are allowed elsewhere: an update sent here is then [E107] (send it as an
        update), else [E013].
    max_bytes : int, optional
        Largest answer, in bytes.
    see_past_limit : bool
        Tell whether the final ``LIMIT`` cut the answer (``Answer.more``): a SELECT with a LIMIT
        is then asked a second time for one row more.

    Returns
    -------
    Answer

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
    >>> answer_query(open_store(p), "SELECT ?o { ?s ?p ?o }", lambda form: "text/csv", timeout=10).body
    b'o\\r\\nc\\r\\n'
    >>> answer_query(open_store(p), "SELECT ?o { ?s ?p ?o }", lambda form: "text/csv", max_bytes=4)
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: [E111] the answer is larger than 4 bytes (--max-result-bytes); ask for less (LIMIT, fewer variables) or raise the limit
    """
    _check_timeout(timeout)
    check_text(text)

    def job() -> Answer:
        parsed = check_query(text, allow_service=allow_service)
        if parsed.form == "update":
            raise QueryError(Errors.E107 if allow_update else Errors.E013)
        values = bind(parsed, params)
        plan = _plan(parsed, values)

        def write():
            answer = _query(store, plan)
            mime = mime_for(parsed.form)
            try:
                return mime, serialize_answer(answer, mime, max_bytes=max_bytes, prefixes=None)
            except (OSError, RuntimeError) as exc:
                raise _engine_error(exc) from None

        mime, body = on_big_stack(write)
        more, limit = False, None
        if see_past_limit and parsed.form == "select" and parsed.limit is not None:
            probe = _plan(parsed, values, past_limit=True)
            if probe.limit is not None:
                limit = probe.limit
                more = on_big_stack(lambda: sum(1 for _ in _query(store, probe))) > limit
        return Answer(parsed.form, mime, body, limit, more, parsed.warnings)

    return job() if timeout is None else _in_worker(job, timeout)
