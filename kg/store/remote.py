"""SPARQL on a remote endpoint: ``kg query URL``, over the SPARQL 1.1 Protocol, answers as on a local store."""

from __future__ import annotations

import dataclasses
import re
import urllib.parse
from typing import Callable

import pyoxigraph as ox

from kg.errors import Errors, GraphParseError, QueryError, one_line
from kg.rdf.read import parse_data
from kg.store.client import AnswerTimeout, AnswerTooLarge, HttpClient, TransportError, message_of
from kg.store.query import endpoint_text
from kg.store.results import Answer, Result, serialize_answer, to_rdflib

__all__ = ["DEFAULT_TIMEOUT", "MAX_ANSWER_BYTES", "answer_endpoint", "is_endpoint", "query_endpoint"]

#: Seconds ``kg query URL`` waits for an answer unless told otherwise.
DEFAULT_TIMEOUT = 60.0

#: Largest answer ``kg query URL`` reads, in bytes.
MAX_ANSWER_BYTES = 256 << 20

# what to ask for, by query form: SPARQL results that keep terms' types first, RDF that pyoxigraph reads for graphs
_ACCEPT = {
    "select": "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
              "text/tab-separated-values;q=0.5",
    "construct": "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5",
}
_ACCEPT["ask"] = _ACCEPT["select"]
_RESULT_FORMATS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
                   "application/json": ox.QueryResultsFormat.JSON,
                   "application/sparql-results+xml": ox.QueryResultsFormat.XML,
                   "application/xml": ox.QueryResultsFormat.XML, "text/xml": ox.QueryResultsFormat.XML,
                   "text/tab-separated-values": ox.QueryResultsFormat.TSV}
_GRAPH_FORMATS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                  "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
                  "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/n-quads": ox.RdfFormat.N_QUADS,
                  "application/trig": ox.RdfFormat.TRIG}
_TAG = re.compile(r"<[^>]*>")
# the URL-encoded POST of the SPARQL 1.1 Protocol: every store takes it (Virtuoso 7.2 never answers a POST
# of application/sparql-query), and unlike GET it has no length limit
_FORM = "application/x-www-form-urlencoded"


def is_endpoint(arg: str) -> bool:
    """Whether ``arg`` names a SPARQL endpoint (an ``http://`` or ``https://`` URL) rather than a file or folder.

    Examples
    --------
    >>> is_endpoint("http://127.0.0.1:7878/query"), is_endpoint("HTTPS://example.org/sparql")
    (True, True)
    >>> is_endpoint("output/"), is_endpoint("http.ttl")
    (False, False)
    """
    return bool(re.match(r"https?://", arg, re.I))


def _form(name: str, text: str) -> bytes:
    return urllib.parse.urlencode({name: text}).encode("ascii")


def _post(url: str, body: bytes, ctype: str, accept: str | None, timeout: float) -> tuple[str, bytes]:
    """POST ``body``; return ``(media type, answer)``; [E130]-[E132], [E134], [E135] as one-line errors.

    Through :class:`kg.store.client.HttpClient`: the whole answer within ``timeout``, at most
    :data:`MAX_ANSWER_BYTES` of it, no redirect followed, the environment's proxies except for
    loopback addresses, no credentials.
    """
    client = HttpClient(timeout=timeout, max_bytes=MAX_ANSWER_BYTES, retries=0, env_proxies=True)
    headers = {"Content-Type": ctype, **({"Accept": accept} if accept else {})}
    try:
        answer = client.send("POST", url, body, headers)
    except AnswerTimeout:
        raise QueryError(Errors.E132.format(url=url, seconds=f"{timeout:g}")) from None
    except AnswerTooLarge as exc:
        raise QueryError(Errors.E135.format(url=url, why=exc.why)) from None
    except TransportError as exc:
        raise QueryError(Errors.E130.format(url=url, why=exc.why or "no reason given")) from None
    finally:
        client.close()
    if 300 <= answer.status < 400:
        raise QueryError(Errors.E134.format(url=url, location=answer.location))
    if answer.status >= 400:
        raise QueryError(Errors.E131.format(url=url, status=answer.status, why=message_of(answer.body)))
    return answer.media_type, answer.body


def _read(url: str, form: str, mime: str, body: bytes):
    """The answer's body read by pyoxigraph: QuerySolutions, QueryBoolean or a list of Triples; [E133] when it is not one."""
    try:
        if form == "construct":
            fmt = _GRAPH_FORMATS.get(mime)
            if fmt is None:
                raise ValueError("not an RDF graph format")
            return [q.triple for q in parse_data(body, fmt, source=url)]
        fmt = _RESULT_FORMATS.get(mime)
        if fmt is None:
            raise ValueError("not a SPARQL results format")
        answer = ox.parse_query_results(body, format=fmt)
        if isinstance(answer, ox.QuerySolutions):
            return answer.variables, list(answer)  # read whole here: a broken body is [E133], not a crash later
        return answer
    except (ValueError, SyntaxError, OSError, UnicodeDecodeError, GraphParseError) as exc:
        why = exc.__cause__ if isinstance(exc, GraphParseError) and exc.__cause__ else exc
        raise QueryError(Errors.E133.format(url=url, ctype=mime or "no type", why=one_line(why)[:160])) from None


def _result(url: str, form: str, mime: str, body: bytes) -> Result:
    answer = _read(url, form, mime, body)
    if form == "construct":
        triples = sorted((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in answer)
        return Result("construct", triples=triples)
    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    variables, solutions = answer
    names = tuple(v.value for v in variables)
    return Result("select", vars=names, rows=[tuple(to_rdflib(s[v]) for v in variables) for s in solutions])


def _validate(timeout: float | None) -> float:
    if timeout is None:
        timeout = DEFAULT_TIMEOUT
    if not (isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and timeout > 0):
        raise QueryError(Errors.E017.format(value=timeout))
    return timeout


def query_endpoint(url: str, text: str, *, params: dict[str, str] | None = None, timeout: float | None = None,
                   allow_update: bool = False, see_past_limit: bool = False) -> Result:
    """Run a SPARQL query (or, when allowed, an update) at a SPARQL 1.1 Protocol endpoint.

    The query is read and checked as locally ([E011], [E101]-[E103]; its parameters bound,
    [E104]-[E106]), except that ``SERVICE`` is left to the endpoint: it is the remote store
    that would fetch, under its own policy. It is sent with the standard prefixes it uses
    declared, a ``SELECT *`` with its columns named in the query's order, and its parameters
    as a ``VALUES`` block of RDF terms written by pyoxigraph
    (:func:`kg.store.query.endpoint_text`), so that it answers as on a local store.

    The query is POSTed URL-encoded (``query=…``; an update as ``update=…``; Virtuoso
    7.2 never answers a POST of ``application/sparql-query``), asking for SPARQL JSON
    results (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE); pyoxigraph reads the
    answer into the same :class:`Result` as a local store gives. Redirects
    are not followed (a POST would be re-sent as a GET without its query). Proxies
    of the environment are used, except for loopback addresses; no credentials are sent.
    The whole answer must come within ``timeout`` (a server that sends a byte now and
    then is cut off then) and is read up to :data:`MAX_ANSWER_BYTES`.

    Parameters
    ----------
    url : str
        The endpoint, such as ``http://127.0.0.1:7878/query`` (Oxigraph),
        ``http://127.0.0.1:8890/sparql`` (Virtuoso), ``http://127.0.0.1:3030/ds/sparql``
        (Fuseki) or ``http://127.0.0.1:8000/sparql`` (``kg serve``).
    text : str
        The query.
    params : dict, optional
        Values of the parameters the query declares.
    timeout : float, optional
        Seconds to wait for the answer (default :data:`DEFAULT_TIMEOUT`).
    allow_update : bool
        Permit a SPARQL Update (then ``url`` is the store's update service).
    see_past_limit : bool
        Ask for one row more than the query's final ``LIMIT`` to tell whether the LIMIT
        cut the answer (``Result.more``); that row is dropped.

    Returns
    -------
    Result

    Raises
    ------
    QueryError
        [E130] unreachable; [E131] an HTTP error, with the store's message; [E132] no
        whole answer within ``timeout``; [E133] an answer that is not a SPARQL result;
        [E134] a redirect; [E135] an answer over :data:`MAX_ANSWER_BYTES`; [E013] an update without ``allow_update``; [E017] a bad timeout.

    Examples
    --------
    >>> query_endpoint("http://127.0.0.1:9/query", "ASK {}", timeout=5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: [E130] cannot reach SPARQL endpoint http://127.0.0.1:9/query: ...
    """
    timeout = _validate(timeout)
    parsed, sent, limit = endpoint_text(text, params, past_limit=see_past_limit)
    if parsed.form == "update":
        if not allow_update:
            raise QueryError(Errors.E013)
        _post(url, _form("update", sent), _FORM, None, timeout)
        return Result("update", warnings=parsed.warnings)
    mime, body = _post(url, _form("query", sent), _FORM, _ACCEPT[parsed.form], timeout)
    result = _result(url, parsed.form, mime, body)
    result = dataclasses.replace(result, prefixes=parsed.prefixes, warnings=parsed.warnings)
    if limit is not None and len(result.rows) > limit:
        result = dataclasses.replace(result, rows=result.rows[:limit], limit=limit, more=True)
    return result


def answer_endpoint(url: str, text: str, mime_for: Callable[[str], str], *, params: dict[str, str] | None = None,
                    timeout: float | None = None, see_past_limit: bool = False) -> Answer:
    """Run a query at an endpoint and write its answer in ``mime_for(form)`` with pyoxigraph's serializers.

    As :func:`query_endpoint` (the same text is sent); with ``see_past_limit``, a SELECT with a
    final LIMIT is asked a second time for one row more, to tell whether the LIMIT cut it.
    """
    timeout = _validate(timeout)
    parsed, sent, _ = endpoint_text(text, params)
    if parsed.form == "update":
        raise QueryError(Errors.E013)
    mime, body = _post(url, _form("query", sent), _FORM, _ACCEPT[parsed.form], timeout)
    answer = _read(url, parsed.form, mime, body)
    if isinstance(answer, tuple):  # re-read: pyoxigraph writes only what it read itself
        answer = ox.parse_query_results(body, format=_RESULT_FORMATS[mime])
    want = mime_for(parsed.form)
    written = serialize_answer(answer, want)
    more, limit = False, None
    if see_past_limit and parsed.form == "select":
        _, probe, limit = endpoint_text(text, params, past_limit=True)
        if limit is not None:
            mime, body = _post(url, _form("query", probe), _FORM, _ACCEPT["select"], timeout)
            more = len(_read(url, "select", mime, body)[1]) > limit
    return Answer(parsed.form, want, written, limit, more, parsed.warnings)
