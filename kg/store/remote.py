"""SPARQL on a remote endpoint: ``kg query URL``, over the SPARQL 1.1 Protocol, answers as on a local store."""

from __future__ import annotations

import dataclasses
import io
import re
import urllib.parse

from rdflib import Graph
from rdflib.query import Result as RdflibResult

from kg.errors import Errors, QueryError, one_line
from kg.store.client import AnswerTimeout, AnswerTooLarge, HttpClient, TransportError, message_of
from kg.store.query import check_query, declared_prefixes, past_limit, query_form, star_order
from kg.store.results import Result

__all__ = ["DEFAULT_TIMEOUT", "MAX_ANSWER_BYTES", "is_endpoint", "query_endpoint"]

#: Seconds ``kg query URL`` waits for an answer unless told otherwise.
DEFAULT_TIMEOUT = 60.0

#: Largest answer ``kg query URL`` reads, in bytes.
MAX_ANSWER_BYTES = 256 << 20

# what to ask for, by query form: SPARQL results that keep terms' types first, RDF that rdflib reads for graphs
_ACCEPT = {
    "select": "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
              "text/tab-separated-values;q=0.5",
    "construct": "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5, application/ld+json;q=0.5",
}
_ACCEPT["ask"] = _ACCEPT["select"]
_RESULT_FORMATS = {"application/sparql-results+json": "json", "application/json": "json",
                   "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
                   "text/tab-separated-values": "tsv", "text/csv": "csv"}
_GRAPH_FORMATS = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle",
                  "application/x-turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
                  "application/n-quads": "nquads", "application/trig": "trig"}
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


def _parse(url: str, form: str, mime: str, body: bytes) -> Result:
    try:
        if form == "construct":
            fmt = _GRAPH_FORMATS.get(mime)
            if fmt is None:
                raise ValueError("not an RDF graph format")
            g = Graph()
            g.parse(data=body.decode("utf-8"), format=fmt)
            return Result("construct", triples=sorted(g), prefixes={str(k): str(v) for k, v in g.namespaces() if k})
        fmt = _RESULT_FORMATS.get(mime)
        if fmt is None:
            raise ValueError("not a SPARQL results format")
        answer = RdflibResult.parse(io.BytesIO(body), format=fmt)
    except (ValueError, SyntaxError, KeyError, TypeError, UnicodeDecodeError, AttributeError) as exc:
        raise QueryError(Errors.E133.format(url=url, ctype=mime or "no type", why=one_line(exc)[:160])) from None
    except Exception as exc:  # rdflib's parsers raise their own (xml.sax, json) errors
        raise QueryError(Errors.E133.format(url=url, ctype=mime or "no type", why=one_line(exc)[:160])) from None
    if answer.type == "ASK":
        return Result("ask", boolean=bool(answer.askAnswer))
    names = tuple(str(v) for v in answer.vars or ())
    rows = [tuple(b.get(v) for v in (answer.vars or ())) for b in answer.bindings]
    return Result("select", vars=names, rows=rows)


def query_endpoint(url: str, text: str, *, timeout: float | None = None, allow_update: bool = False,
                   see_past_limit: bool = False) -> Result:
    """Run a SPARQL query (or, when allowed, an update) at a SPARQL 1.1 Protocol endpoint.

    The query is POSTed URL-encoded (``query=…``; an update as ``update=…``; Virtuoso
    7.2 never answers a POST of ``application/sparql-query``), asking for SPARQL JSON
    results (SELECT, ASK) or
    N-Triples (CONSTRUCT, DESCRIBE); the answer is read into the same :class:`Result`
    as a local store gives, so every output format of ``kg query`` applies. The query
    is checked as locally ([E101]-[E103]), except that ``SERVICE`` is left to the
    endpoint: it is the remote store that would fetch, under its own policy. Redirects
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
    if timeout is None:
        timeout = DEFAULT_TIMEOUT
    if not (isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and timeout > 0):
        raise QueryError(Errors.E017.format(value=timeout))
    check_query(text, allow_service=True)
    form = query_form(text)
    if form == "update":
        if not allow_update:
            raise QueryError(Errors.E013)
        _post(url, _form("update", text), _FORM, None, timeout)
        return Result("update")
    sent, limit = past_limit(text) if see_past_limit and form == "select" else (text, None)
    mime, body = _post(url, _form("query", sent), _FORM, _ACCEPT[form], timeout)
    result = _parse(url, form, mime, body)
    result = dataclasses.replace(result, prefixes=result.prefixes | declared_prefixes(text))
    if result.form == "select":
        result = star_order(text, result)
        if limit is not None and len(result.rows) > limit:
            result = dataclasses.replace(result, rows=result.rows[:limit], limit=limit, more=True)
    return result
