"""Answers to SPARQL queries: the ``Result`` record, aligned tables for a terminal, SPARQL results formats."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass, field
from xml.sax.saxutils import escape as _xml_escape

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import Errors, QueryError
from kg.rdf.iris import display_prefixes, short_name, shorten
from kg.rdf.vocab import XSD

__all__ = ["FORMATS", "MIME_TYPES", "Result", "display_width", "format_result", "serialize_results", "short_name"]

#: Output formats of :func:`format_result`.
FORMATS = ("table", "csv", "tsv", "json")

#: Media types of :func:`serialize_results`, by query form.
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

# prefixes shown in answers: those every query may use (kg.store.query.QUERY_PREFIXES) and id: for instances
_XSD_STRING = str(XSD.string)


@dataclass(frozen=True)
class Result:
    """The answer to a query.

    ``form`` is ``select``, ``ask``, ``construct`` (also for DESCRIBE) or ``update``.
    A SELECT fills ``vars`` and ``rows`` (tuples of rdflib terms, ``None`` when
    unbound); an ASK fills ``boolean``; a CONSTRUCT fills ``triples`` and ``graph``.
    ``more`` says that the query's final ``LIMIT`` (``limit``) cut the answer: more
    rows exist (see :func:`kg.store.query.past_limit`).
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
    if result.form == "update":
        return ""
    mime = {"csv": "text/csv", "tsv": "text/tab-separated-values", "json": "application/sparql-results+json"}.get(fmt)
    if mime is None:
        raise QueryError(Errors.E015.format(form=result.form, mime=fmt, choices=", ".join(FORMATS)))
    if result.form == "construct":
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
        [E015] when the media type does not fit the query form.

    Examples
    --------
    >>> serialize_results(Result("ask", boolean=True), "application/sparql-results+json")
    b'{"head": {}, "boolean": true}'
    """
    base = mime.split(";")[0].strip().lower()
    base = _MIME_ALIASES.get(base, base)
    form = result.form
    if form == "update" or base not in MIME_TYPES.get(form, ()):
        choices = ", ".join(MIME_TYPES.get(form, ())) or "none"
        raise QueryError(Errors.E015.format(form=form, mime=mime, choices=choices))
    if form == "construct":
        g = result.graph
        return g.serialize(format=_RDFLIB_GRAPH_FORMATS[base], encoding="utf-8")
    if base == "application/sparql-results+json":
        if form == "ask":
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
        if form == "ask":
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
    if form == "ask":
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
