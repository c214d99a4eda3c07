"""Answers to SPARQL queries: the ``Result`` record, aligned tables for a terminal, and the SPARQL results
formats and RDF formats an answer is written in (by pyoxigraph's serializers)."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import Errors, QueryError
from kg.rdf.iris import display_prefixes, short_name, shorten
from kg.rdf.vocab import XSD

__all__ = ["FORMATS", "MIME_TYPES", "Answer", "Result", "display_width", "format_result", "mime_type",
           "serialize_answer", "short_name", "to_rdflib"]

#: Output formats of ``kg query``: an aligned table, or a SPARQL 1.1 results format.
FORMATS = ("table", "csv", "tsv", "json", "xml")

#: Media types of :func:`serialize_answer`, by query form.
MIME_TYPES = {
    "select": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
               "text/tab-separated-values"),
    "ask": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
            "text/tab-separated-values"),
    "construct": ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"),
}
_MIME_ALIASES = {"application/json": "application/sparql-results+json",
                 "application/xml": "application/sparql-results+xml", "text/plain": "application/n-triples"}
_OX_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON, "application/sparql-results+xml":
    ox.QueryResultsFormat.XML, "text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values":
    ox.QueryResultsFormat.TSV, "text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
# kg query --format, by query form: the media type written
_FORMAT_MIMES = {
    "select": {"csv": "text/csv", "tsv": "text/tab-separated-values", "json": "application/sparql-results+json",
               "xml": "application/sparql-results+xml"},
    "construct": {"csv": "application/n-triples", "tsv": "application/n-triples", "json": "application/ld+json",
                  "xml": "application/rdf+xml"},
}
_FORMAT_MIMES["ask"] = _FORMAT_MIMES["select"]
_XSD_STRING = str(XSD.string)


@dataclass(frozen=True)
class Result:
    """The answer to a query.

    ``form`` is ``select``, ``ask``, ``construct`` (also for DESCRIBE) or ``update``.
    A SELECT fills ``vars`` and ``rows`` (tuples of rdflib terms, ``None`` when
    unbound); an ASK fills ``boolean``; a CONSTRUCT fills ``triples`` and ``graph``.
    ``more`` says that the query's final ``LIMIT`` (``limit``) cut the answer: more
    rows exist. ``warnings`` are what the parse noticed (``[W132]``, ``[W133]``).
    """

    form: str
    vars: tuple[str, ...] = ()
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)
    elapsed: float = 0.0
    limit: int | None = None
    more: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def graph(self) -> Graph | None:
        """The triples of a CONSTRUCT or DESCRIBE as an rdflib ``Graph`` (None otherwise)."""
        if self.form != "construct":
            return None
        g = Graph()
        for name, ns in display_prefixes(self.prefixes):
            g.bind(name, ns, override=True)
        for t in self.triples:
            g.add(t)
        return g

    def __len__(self) -> int:
        return len(self.triples) if self.form == "construct" else len(self.rows)


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
        return shorten(str(term), table)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term).replace("\r", "").replace("\n", "↵").replace("\t", " ")


def _table(result: Result, max_width: int) -> str:
    if result.form == "ask":
        return "true\n" if result.boolean else "false\n"
    if result.form == "update":
        return "update done\n"
    if result.form == "construct":
        return result.graph.serialize(format="turtle")
    header = list(result.vars)
    table = display_prefixes(result.prefixes)
    cells = [[_clip(_cell(t, table), max_width) for t in row] for row in result.rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = []
    for row in [header, ["-" * w for w in widths], *cells]:
        lines.append("  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip())
    n = len(result.rows)
    cut = f", cut by the query's LIMIT {result.limit}: more rows exist" if result.more else ""
    lines.append(f"({n} row{'' if n == 1 else 's'}{cut})")
    return "\n".join(lines) + "\n"


def format_result(result: Result, fmt: str = "table", *, max_width: int = 60) -> str:
    """Render ``result`` as an aligned table for a terminal.

    Columns are aligned (Chinese characters count two columns), IRIs shown as prefixed names
    and literals plainly, cells clipped to ``max_width``; an ASK is ``true`` or ``false``, a
    CONSTRUCT Turtle. The SPARQL results formats are written from the engine's own answer
    (:func:`serialize_answer`; ``kg query --format csv`` goes through
    :func:`kg.store.query.answer_query`).

    Parameters
    ----------
    result : Result
    fmt : {"table"}
    max_width : int
        Widest cell of a table, in terminal columns.

    Returns
    -------
    str

    Raises
    ------
    QueryError
        [E015] for any other format.

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
    if fmt != "table":
        raise QueryError(Errors.E015.format(form=result.form, mime=fmt, choices="table"))
    return _table(result, max_width)


def to_rdflib(term) -> Node | None:
    """A pyoxigraph term as the rdflib term it is (None stays None; an RDF-star triple becomes its text).

    Examples
    --------
    >>> to_rdflib(ox.Literal("李", language="zh")), to_rdflib(ox.NamedNode("urn:a"))
    (rdflib.term.Literal('李', lang='zh'), rdflib.term.URIRef('urn:a'))
    """
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
    return Literal(str(term))


def mime_type(fmt: str, form: str) -> str:
    """The media type ``kg query --format fmt`` writes an answer of ``form`` in.

    Examples
    --------
    >>> mime_type("csv", "select"), mime_type("json", "construct")
    ('text/csv', 'application/ld+json')
    """
    mime = _FORMAT_MIMES.get(form, {}).get(fmt)
    if mime is None:
        raise QueryError(Errors.E015.format(form=form, mime=fmt, choices=", ".join(FORMATS)))
    return mime


def _base(mime: str) -> str:
    base = mime.split(";")[0].strip().lower()
    return _MIME_ALIASES.get(base, base)


def _form_of(answer) -> str:
    if isinstance(answer, ox.QueryBoolean):
        return "ask"
    if isinstance(answer, ox.QuerySolutions):
        return "select"
    return "construct"


class _Capped(io.RawIOBase):
    """Bytes written, up to ``limit``; one more raises [E111] (the serializer stops there)."""

    def __init__(self, limit: int | None) -> None:
        super().__init__()
        self.limit, self.buffer = limit, io.BytesIO()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.limit is not None and self.buffer.tell() + len(data) > self.limit:
            raise QueryError(Errors.E111.format(limit=self.limit))
        return self.buffer.write(data)


def serialize_answer(answer, mime: str, *, max_bytes: int | None = None,
                     prefixes: dict[str, str] | None = None) -> bytes:
    """Write pyoxigraph's answer to a query in a SPARQL protocol media type, with pyoxigraph's serializers.

    Parameters
    ----------
    answer : pyoxigraph.QuerySolutions, QueryBoolean, or an iterable of Triple
        What ``Store.query`` returned (or :func:`pyoxigraph.parse_query_results` read), not yet iterated.
    mime : str
        SELECT and ASK: ``application/sparql-results+json``, ``application/sparql-results+xml``,
        ``text/csv``, ``text/tab-separated-values``. CONSTRUCT: ``text/turtle``,
        ``application/n-triples``, ``application/ld+json``, ``application/rdf+xml``.
        Parameters such as ``; charset=utf-8`` are ignored.
    max_bytes : int, optional
        Largest answer: the serializer stops with [E111] as soon as it writes more.
    prefixes : dict, optional
        Prefixes a Turtle answer is written with.

    Returns
    -------
    bytes
        UTF-8.

    Raises
    ------
    QueryError
        [E015] when the media type does not fit the answer; [E111] over ``max_bytes``.

    Examples
    --------
    >>> serialize_answer(ox.Store().query("ASK {}"), "application/sparql-results+json")
    b'{"head":{},"boolean":true}'
    """
    form, base = _form_of(answer), _base(mime)
    if base not in MIME_TYPES[form]:
        raise QueryError(Errors.E015.format(form=form, mime=mime, choices=", ".join(MIME_TYPES[form])))
    out = _Capped(max_bytes)
    fmt = _OX_FORMATS[base]
    if form == "construct":
        ox.serialize(answer, out, format=fmt, **({"prefixes": prefixes} if prefixes and fmt == ox.RdfFormat.TURTLE
                                                else {}))
    else:
        answer.serialize(out, format=fmt)
    return out.buffer.getvalue()


@dataclass(frozen=True)
class Answer:
    """A query's answer written in a media type (:func:`kg.store.query.answer_query`).

    ``more`` says the final ``LIMIT`` (``limit``) cut it; ``warnings`` are the parse's.
    """

    form: str
    mime: str
    body: bytes
    limit: int | None = None
    more: bool = False
    warnings: tuple[str, ...] = ()
