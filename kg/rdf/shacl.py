"""SHACL shapes compiled to SPARQL SELECT queries, run on a pyoxigraph store.

The compiler knows the SHACL Core features of ``ontology/shapes.ttl`` and a few
more (targets, property paths, cardinality, class, datatype, node kind, languageIn,
lessThan(OrEquals), node, and/or/not/xone, SPARQL-based constraints with
``sh:prefixes``/``sh:declare``, messages, severities, ``sh:deactivated``); a shape
that uses anything else raises :class:`~kg.errors.OntologyError` [E032] instead
of being skipped. Each compiled constraint is one query whose rows are results:
the focus node (``?this``), the value (``?value``, when the constraint reports
one), and for SPARQL-based constraints every variable the query selects. The
semantics follow pyshacl's (the reference of the tests): value nodes are a set,
``sh:class`` follows ``rdf:type/rdfs:subClassOf*`` in the data graph, an
ill-typed literal fails ``sh:datatype``, values that cannot be compared fail
``sh:lessThan``.

An oxigraph store keeps numbers, booleans and dates by value: ``"05"^^xsd:integer``
comes back as ``"5"`` and an ``xsd:nonNegativeInteger`` as an ``xsd:integer``.
:func:`exact_store` therefore loads triples whose literal it would change twice:
verbatim under a private datatype (``urn:x-newskg:xsd:…``, read back by the
compiled checks) for the core constraints, and as is for the SPARQL-based ones.
A store built elsewhere (``lenient_integers``) cannot tell an ``xsd:integer`` from
the integer type it was written as, so an ``xsd:integer`` in the range of a
derived integer type satisfies ``sh:datatype`` of that type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import count
from typing import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg.errors import Errors, OntologyError

__all__ = ["CORE_GRAPHS", "CompiledConstraint", "Result", "SPARQL_GRAPHS", "compile_shapes", "exact_store",
           "run"]

#: Datatype IRIs of verbatim literals in an :func:`exact_store`: this prefix and the XSD local name.
PRIVATE = "urn:x-newskg:xsd:"
_MAIN, _VERBATIM, _CANONICAL = (ox.NamedNode(f"urn:x-newskg:shacl:{n}") for n in ("main", "verbatim", "canonical"))
#: Graphs of an :func:`exact_store` that the core constraints see, and the SPARQL-based ones.
CORE_GRAPHS = (_MAIN, _VERBATIM)
SPARQL_GRAPHS = (_MAIN, _CANONICAL)

_XSD = str(XSD)
_INT_RANGES = {  # derived integer types: (min, max), None for unbounded
    "integer": (None, None), "nonNegativeInteger": (0, None), "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1),
    "long": (-2**63, 2**63 - 1), "int": (-2**31, 2**31 - 1), "short": (-2**15, 2**15 - 1), "byte": (-128, 127),
    "unsignedLong": (0, 2**64 - 1), "unsignedInt": (0, 2**32 - 1), "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}
_CASTS = {"decimal": "decimal", "float": "float", "double": "double", "boolean": "boolean",
          "date": "date", "dateTime": "dateTime", "time": "time"}
#: Predicates of the shapes graph the compiler reads (any other sh: predicate is refused).
_KNOWN = {SH[n] for n in (
    "targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode", "property", "path", "message", "severity",
    "deactivated", "name", "description", "order", "group", "defaultValue", "minCount", "maxCount", "class",
    "datatype", "nodeKind", "languageIn", "lessThan", "lessThanOrEquals", "node", "or", "and", "not", "xone",
    "sparql", "declare", "prefixes")}
_SPARQL_KNOWN = {SH[n] for n in ("select", "message", "prefixes", "deactivated", "severity", "name", "description")}
_PATHS = {SH.inversePath: "^({})", SH.zeroOrMorePath: "({})*", SH.oneOrMorePath: "({})+", SH.zeroOrOnePath: "({})?"}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))", SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}


@dataclass(frozen=True)
class CompiledConstraint:
    """One constraint of one shape as a SPARQL query; each row of the query is one result.

    ``targets`` (SPARQL-based constraints only) selects the focus nodes: the rows of
    ``query`` are kept for those alone, as if ``$this`` had been pre-bound.
    """

    query: str
    component: str
    shape: Node
    severity: Node = SH.Violation
    messages: tuple[str, ...] = ()
    path: Node | None = None
    sparql: bool = False
    targets: str = ""
    generic: str = ""
    argument: str = ""


@dataclass(frozen=True)
class Result:
    """One row of a compiled query: the constraint, the focus node, the value, the path and every binding."""

    constraint: CompiledConstraint
    focus: ox.NamedNode | ox.BlankNode | ox.Literal
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None = None
    path: ox.NamedNode | None = None
    bindings: tuple[tuple[str, object], ...] = field(default=())


def _unsupported(shape: Node, feature: str) -> OntologyError:
    return OntologyError(Errors.E032.format(shape=shape, feature=feature))


def _iri(node: Node) -> str:
    return f"<{node}>"


class _Compiler:
    """Turns the shapes of one shapes graph into queries (fresh variables per nesting)."""

    def __init__(self, sg: Graph, lenient_integers: bool):
        self.sg = sg
        self.lenient = lenient_integers
        self.names = count()

    def var(self, stem: str) -> str:
        return f"?_{stem}{next(self.names)}"

    # ------------------------------------------------------------------ shapes graph reading

    def check_known(self, shape: Node) -> None:
        for p in set(self.sg.predicates(shape)):
            if str(p).startswith(str(SH)) and p not in _KNOWN:
                raise _unsupported(shape, short(p))

    def deactivated(self, shape: Node) -> bool:
        return any(bool(getattr(o, "value", False)) and str(o).lower() in ("true", "1")
                   for o in self.sg.objects(shape, SH.deactivated))

    def path(self, node: Node, shape: Node) -> str:
        if isinstance(node, URIRef):
            return _iri(node)
        if self.sg.value(node, RDF.first) is not None:
            return "(" + "/".join(self.path(n, shape) for n in Collection(self.sg, node)) + ")"
        for op, template in _PATHS.items():
            if (inner := self.sg.value(node, op)) is not None:
                return template.format(self.path(inner, shape))
        if (alt := self.sg.value(node, SH.alternativePath)) is not None:
            return "(" + "|".join(self.path(n, shape) for n in Collection(self.sg, alt)) + ")"
        raise _unsupported(shape, f"path {node}")

    def targets(self, shape: Node, this: str = "?this") -> list[str]:
        parts = [f"{{ {this} <{RDF.type}>/<{RDFS.subClassOf}>* {_iri(c)} }}"
                 for c in sorted(self.sg.objects(shape, SH.targetClass))]
        if (shape, RDF.type, RDFS.Class) in self.sg:
            parts.append(f"{{ {this} <{RDF.type}>/<{RDFS.subClassOf}>* {_iri(shape)} }}")
        parts += [f"{{ {this} {_iri(p)} [] }}" for p in sorted(self.sg.objects(shape, SH.targetSubjectsOf))]
        parts += [f"{{ [] {_iri(p)} {this} }}" for p in sorted(self.sg.objects(shape, SH.targetObjectsOf))]
        nodes = sorted(self.sg.objects(shape, SH.targetNode))
        if nodes:
            parts.append(f"{{ VALUES {this} {{ {' '.join(_term(n) for n in nodes)} }} }}")
        return parts

    # ------------------------------------------------------------------ expressions

    def datatype_ok(self, v: str, dt: Node) -> str:
        if dt == RDFS.Literal:
            return f"isLiteral({v})"
        if dt == XSD.string:
            return f"(isLiteral({v}) && DATATYPE({v}) = <{XSD.string}>)"
        if dt == RDF.langString:
            return f'(isLiteral({v}) && LANG({v}) != "")'
        actual = (f'IF(STRSTARTS(STR(DATATYPE({v})), "{PRIVATE}"), '
                  f'IRI(CONCAT("{_XSD}", STRAFTER(STR(DATATYPE({v})), "{PRIVATE}"))), DATATYPE({v}))')
        local = str(dt)[len(_XSD):] if str(dt).startswith(_XSD) else ""
        ok = f"{actual} = {_iri(dt)} && {self.well_formed(v, local)}"
        if self.lenient and local in _INT_RANGES and local != "integer":
            ok = f"({ok}) || (DATATYPE({v}) = <{XSD.integer}> && {self.well_formed(v, local)})"
        return f"(isLiteral({v}) && COALESCE({ok}, false))"

    @staticmethod
    def well_formed(v: str, local: str) -> str:
        """The lexical form of ``v`` is one of the XSD type ``local`` (true for types not checked)."""
        if local in _INT_RANGES:
            lo, hi = _INT_RANGES[local]
            cast = f"xsd:integer(STR({v}))"
            tests = [f"isNumeric({cast})"] + ([f"{cast} >= {lo}"] if lo is not None else []) + (
                [f"{cast} <= {hi}"] if hi is not None else [])
            return "(" + " && ".join(tests) + ")"
        if local in _CASTS:
            return f"(DATATYPE(xsd:{_CASTS[local]}(STR({v}))) = <{_XSD}{_CASTS[local]}>)"
        return "true"

    @staticmethod
    def comparable(v: str) -> str:
        """``v`` as pyshacl compares it: IRIs and strings by their text, verbatim literals by their value."""
        chain = f"STR({v})"
        for local in ("integer", *_CASTS):
            dts = [n for n in _INT_RANGES] if local == "integer" else [local]
            test = " || ".join(f'STRAFTER(STR(DATATYPE({v})), "{PRIVATE}") = "{d}"' for d in dts)
            chain = f"IF({test}, xsd:{_CASTS.get(local, 'integer')}(STR({v})), {chain})"
        return (f'IF(isIRI({v}) || (isLiteral({v}) && LANG({v}) != ""), STR({v}), '
                f'IF(isLiteral({v}) && STRSTARTS(STR(DATATYPE({v})), "{PRIVATE}"), {chain}, {v}))')

    def conforms(self, shape: Node, v: str, owner: Node) -> str:
        """An expression: the node ``v`` conforms to ``shape`` (its targets ignored)."""
        if self.deactivated(shape):
            return "true"
        if (shape, SH.sparql, None) in self.sg:
            raise _unsupported(owner, "sh:sparql in a shape used by sh:node/sh:or/sh:and/sh:not/sh:xone")
        patterns = [p[1] for p in self.patterns(shape, v)]
        return "(" + " && ".join(f"NOT EXISTS {{ {p} }}" for p in patterns) + ")" if patterns else "true"

    def shapes_list(self, node: Node, owner: Node) -> list[Node]:
        try:
            return list(Collection(self.sg, node))
        except Exception as exc:  # a malformed RDF list
            raise _unsupported(owner, f"list {node} ({exc})") from exc

    # ------------------------------------------------------------------ violation patterns

    def patterns(self, shape: Node, f: str, *, details: bool = False) -> Iterator[tuple]:
        """(component, pattern, owning shape, argument, focus variable, value variable or None).

        One per constraint of ``shape`` at focus ``f``; with ``details``, also the
        results of the shapes of ``sh:node`` at each value that does not conform.
        """
        self.check_known(shape)
        if self.deactivated(shape):
            return
        path_node = self.sg.value(shape, SH.path)
        v = self.var("v")
        if path_node is not None:
            values = f"{f} {self.path(path_node, shape)} {v} ."
        else:
            values = f"BIND({f} AS {v})"
        for n in self.sg.objects(shape, SH.minCount):
            if int(n) > 0:
                if path_node is None:
                    raise _unsupported(shape, "sh:minCount on a node shape")
                yield "MinCountConstraintComponent", f"FILTER NOT EXISTS {{ {self.distinct(f, path_node, shape, int(n))} }}", shape, str(n), f, None
        for n in self.sg.objects(shape, SH.maxCount):
            if path_node is None:
                raise _unsupported(shape, "sh:maxCount on a node shape")
            yield "MaxCountConstraintComponent", f"FILTER EXISTS {{ {self.distinct(f, path_node, shape, int(n) + 1)} }}", shape, str(n), f, None
        for c in sorted(self.sg.objects(shape, SH["class"])):
            yield "ClassConstraintComponent", (
                f"{values} FILTER NOT EXISTS {{ {v} <{RDF.type}>/<{RDFS.subClassOf}>* {_iri(c)} }}"), shape, str(c), f, v
        for dt in sorted(self.sg.objects(shape, SH.datatype)):
            yield "DatatypeConstraintComponent", f"{values} FILTER (!{self.datatype_ok(v, dt)})", shape, str(dt), f, v
        for kind in self.sg.objects(shape, SH.nodeKind):
            if kind not in _NODE_KINDS:
                raise _unsupported(shape, f"sh:nodeKind {kind}")
            yield "NodeKindConstraintComponent", f"{values} FILTER (!{_NODE_KINDS[kind].format(v=v)})", shape, str(kind), f, v
        for lst in self.sg.objects(shape, SH.languageIn):
            langs = ", ".join(f'"{str(x).lower()}"' for x in self.shapes_list(lst, shape))
            yield "LanguageInConstraintComponent", (
                f"{values} FILTER (!(isLiteral({v}) && (LCASE(LANG({v})) IN ({langs}) || "
                f'LCASE(STRBEFORE(LANG({v}), "-")) IN ({langs}))))'), shape, langs, f, v
        for pred, op, comp in ((SH.lessThan, "<", "LessThanConstraintComponent"),
                               (SH.lessThanOrEquals, "<=", "LessThanOrEqualsConstraintComponent")):
            for other in sorted(self.sg.objects(shape, pred)):
                if not isinstance(other, URIRef):
                    raise _unsupported(shape, f"{short(pred)} with a path")
                o = self.var("o")
                yield comp, (f"{values} {f} {_iri(other)} {o} . "
                             f"FILTER (!COALESCE({self.comparable(v)} {op} {self.comparable(o)}, false))"), shape, str(other), f, v
        for target in self.sg.objects(shape, SH.node):
            yield "NodeConstraintComponent", f"{values} FILTER (!{self.conforms(target, v, shape)})", shape, str(target), f, v
            if details:  # pyshacl reports the results of the node shape at the value too (as sh:detail)
                for comp, text, owner, arg, focus, value in self.patterns(target, v, details=True):
                    yield comp, f"{values} {text}", owner, arg, focus, value
        for pred, comp in ((SH["or"], "OrConstraintComponent"), (SH["and"], "AndConstraintComponent"),
                           (SH.xone, "XoneConstraintComponent")):
            for lst in self.sg.objects(shape, pred):
                members = [self.conforms(s, v, shape) for s in self.shapes_list(lst, shape)]
                if pred == SH["or"]:
                    bad = "!(" + (" || ".join(members) or "false") + ")"
                elif pred == SH["and"]:
                    bad = "!(" + (" && ".join(members) or "true") + ")"
                else:
                    bad = "(" + (" + ".join(f"IF({m}, 1, 0)" for m in members) or "0") + ") != 1"
                yield comp, f"{values} FILTER ({bad})", shape, str(lst), f, v
        for target in self.sg.objects(shape, SH["not"]):
            yield "NotConstraintComponent", f"{values} FILTER ({self.conforms(target, v, shape)})", shape, str(target), f, v
        for prop in sorted(self.sg.objects(shape, SH.property)):
            if path_node is not None:
                raise _unsupported(shape, "sh:property of a property shape")
            yield from self.patterns(prop, f, details=details)

    def distinct(self, f: str, path_node: Node, shape: Node, n: int) -> str:
        """A pattern that matches when ``f`` has at least ``n`` distinct values."""
        path = self.path(path_node, shape)
        vs = [self.var("c") for _ in range(n)]
        triples = " ".join(f"{f} {path} {x} ." for x in vs)
        diff = [f"!sameTerm({a}, {b})" for i, a in enumerate(vs) for b in vs[i + 1:]]
        return triples + (f" FILTER ({' && '.join(diff)})" if diff else "")

    # ------------------------------------------------------------------ top level

    def compile(self) -> list[CompiledConstraint]:
        sg = self.sg
        roots = {s for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
                 for s in sg.subjects(p, None)}
        roots |= {s for s in sg.subjects(RDF.type, RDFS.Class) if (s, RDF.type, SH.NodeShape) in sg}
        out: list[CompiledConstraint] = []
        for shape in sorted(roots, key=str):
            if self.deactivated(shape):
                continue
            targets = " UNION ".join(self.targets(shape))
            focus = f"{{ SELECT DISTINCT ?this WHERE {{ {targets} }} }}"
            for comp, pattern, owner, arg, this, value in self.patterns(shape, "?this", details=True):
                # DISTINCT over every variable: the focus node, the value nodes and the compared values
                query = (f"PREFIX xsd: <{_XSD}>\nSELECT DISTINCT * WHERE {{ {focus} {pattern} "
                         f"BIND({this} AS ?focus_) {f'BIND({value} AS ?value_)' if value else ''} }}")
                out.append(self.record(owner, comp, query, argument=arg))
            for constraint in sorted(sg.objects(shape, SH.sparql), key=str):
                out.append(self.sparql_constraint(shape, constraint, focus))
        return out

    def record(self, owner: Node, comp: str, query: str, **extra) -> CompiledConstraint:
        return CompiledConstraint(
            query=query, component=comp, shape=owner,
            severity=self.sg.value(owner, SH.severity) or SH.Violation,
            messages=tuple(str(m) for m in self.sg.objects(owner, SH.message)),
            path=self.sg.value(owner, SH.path), generic=_GENERIC.get(comp, "Constraint violated"), **extra)

    def sparql_constraint(self, shape: Node, node: Node, focus: str) -> CompiledConstraint:
        for p in set(self.sg.predicates(node)) - {RDF.type}:
            if str(p).startswith(str(SH)) and p not in _SPARQL_KNOWN:
                raise _unsupported(shape, f"{short(p)} in a SPARQL constraint")
        select = self.sg.value(node, SH.select)
        if select is None:
            raise _unsupported(shape, "a SPARQL constraint without sh:select")
        text = str(select)
        head = text[:text.upper().find("WHERE")] if "WHERE" in text.upper() else text
        if not re.search(r"[?$]this\b|SELECT\s+(DISTINCT\s+|REDUCED\s+)?\*", head, re.I):
            raise _unsupported(shape, "a SPARQL constraint whose SELECT does not project $this")
        if re.search(r"\$(currentShape|shapesGraph)\b", text):
            raise _unsupported(shape, "$currentShape/$shapesGraph in a SPARQL constraint")
        prefixes = []
        for ontology in self.sg.objects(node, SH.prefixes):
            for decl in self.sg.objects(ontology, SH.declare):
                prefixes.append(f"PREFIX {self.sg.value(decl, SH.prefix)}: <{self.sg.value(decl, SH.namespace)}>")
        query = "\n".join(sorted(set(prefixes))) + "\n" + re.sub(r"\$this\b", "?this", text)
        base = self.record(shape, "SPARQLConstraintComponent", query, sparql=True, targets=f"SELECT ?this WHERE {focus}")
        msgs = tuple(str(m) for m in self.sg.objects(node, SH.message)) + base.messages
        return CompiledConstraint(**{**base.__dict__, "messages": msgs,
                                     "severity": self.sg.value(node, SH.severity) or base.severity})


_GENERIC = {
    "MinCountConstraintComponent": "Less than {arg} values on {focus}->{path}",
    "MaxCountConstraintComponent": "More than {arg} values on {focus}->{path}",
    "ClassConstraintComponent": "Value does not have class {arg}",
    "DatatypeConstraintComponent": "Value is not Literal with datatype {arg}",
    "NodeKindConstraintComponent": "Value is not of Node Kind {arg}",
    "LanguageInConstraintComponent": "String language is not in {arg}",
    "LessThanConstraintComponent": "Value of {focus}->{path} < {arg}",
    "NodeConstraintComponent": "Value does not conform to Shape {arg}. See details for more information.",
    "OrConstraintComponent": "Node {value} must conform to one or more shapes in {arg}",
    "SPARQLConstraintComponent": "",
}


def short(node: Node) -> str:
    """``sh:name`` for an IRI of the SHACL namespace, the IRI otherwise.

    Examples
    --------
    >>> short(SH.closed)
    'sh:closed'
    """
    return "sh:" + str(node)[len(str(SH)):] if str(node).startswith(str(SH)) else str(node)


def _term(node: Node) -> str:
    if isinstance(node, Literal):
        return node.n3()
    return _iri(node)


def compile_shapes(shapes: Graph, *, lenient_integers: bool = False) -> tuple[CompiledConstraint, ...]:
    """Compile the shapes of a SHACL shapes graph into one SPARQL query per constraint.

    Parameters
    ----------
    shapes : rdflib.Graph
        The shapes graph.
    lenient_integers : bool
        For a store written from elsewhere: an ``xsd:integer`` in range satisfies
        ``sh:datatype`` of a derived integer type (the store keeps no other).

    Returns
    -------
    tuple of CompiledConstraint

    Raises
    ------
    OntologyError
        [E032] for a SHACL feature the compiler does not know.

    Examples
    --------
    >>> g = Graph().parse(format="turtle", data='''
    ...     @prefix sh: <http://www.w3.org/ns/shacl#> .
    ...     [] sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ; sh:minCount 1 ] .''')
    >>> [c.component for c in compile_shapes(g)]
    ['MinCountConstraintComponent']
    >>> g.add((URIRef("urn:s"), SH.closed, Literal(True)))  # doctest: +ELLIPSIS
    <Graph ...>
    >>> _ = g.add((URIRef("urn:s"), SH.targetNode, URIRef("urn:x")))
    >>> compile_shapes(g)
    Traceback (most recent call last):
    kg.errors.OntologyError: [E032] shape urn:s uses sh:closed, which the SPARQL validator does not know; validate with engine="pyshacl"
    """
    return tuple(_Compiler(shapes, lenient_integers).compile())


def _ox(node: Node, bnodes: dict) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        if node not in bnodes:
            try:
                bnodes[node] = ox.BlankNode(str(node))
            except ValueError:
                bnodes[node] = ox.BlankNode()
        return bnodes[node]
    if node.language:
        return ox.Literal(str(node), language=node.language)
    if node.datatype is not None:
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
    return ox.Literal(str(node))


def _verbatim(lit: ox.Literal) -> ox.Literal | None:
    """``lit`` under a private datatype when a store would change it, else None."""
    dt = lit.datatype.value
    if lit.language or not dt.startswith(_XSD) or dt == str(XSD.string):
        return None
    return ox.Literal(lit.value, datatype=ox.NamedNode(PRIVATE + dt[len(_XSD):]))


def exact_store(triples: Iterable[tuple]) -> ox.Store:
    """An in-memory store of ``triples`` (rdflib or pyoxigraph terms) that keeps every literal as written.

    Typed literals (but strings) go to :data:`CORE_GRAPHS` verbatim under a private
    datatype and to :data:`SPARQL_GRAPHS` as they are; other triples go to both.

    Examples
    --------
    >>> n = ox.NamedNode("urn:a")
    >>> s = exact_store([(n, n, ox.Literal("05", datatype=ox.NamedNode(str(XSD.integer))))])
    >>> sorted(q.object.value for q in s)
    ['05', '5']
    """
    store = ox.Store()
    bnodes: dict = {}
    quads = []
    for s, p, o in triples:
        if not isinstance(s, (ox.NamedNode, ox.BlankNode)):
            s, p, o = _ox(s, bnodes), _ox(p, bnodes), _ox(o, bnodes)
        verbatim = _verbatim(o) if isinstance(o, ox.Literal) else None
        if verbatim is None:
            quads.append(ox.Quad(s, p, o, _MAIN))
        else:
            quads.append(ox.Quad(s, p, verbatim, _VERBATIM))
            quads.append(ox.Quad(s, p, o, _CANONICAL))
        if len(quads) >= 100_000:
            store.extend(quads)
            quads = []
    store.extend(quads)
    return store


def run(store: ox.Store, constraints: Iterable[CompiledConstraint], *, exact: bool) -> Iterator[Result]:
    """Run compiled constraints on ``store``; yield one :class:`Result` per row.

    ``exact`` for a store made by :func:`exact_store`; otherwise the union of all
    graphs of ``store`` is validated.

    Examples
    --------
    >>> g = Graph().parse(format="turtle", data='''
    ...     @prefix sh: <http://www.w3.org/ns/shacl#> .
    ...     [] sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ; sh:minCount 1 ] .''')
    >>> store = ox.Store(); store.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode(str(RDF.type)), ox.NamedNode("urn:C")))
    >>> [r.focus.value for r in run(store, compile_shapes(g), exact=False)]
    ['urn:x']
    """
    core = {"default_graph": list(CORE_GRAPHS)} if exact else {"use_default_graph_as_union": True}
    user = {"default_graph": list(SPARQL_GRAPHS)} if exact else {"use_default_graph_as_union": True}
    for c in constraints:
        if not c.sparql:
            solutions = store.query(c.query, **core)
            has_value = any(v.value == "value_" for v in solutions.variables)
            for row in solutions:
                yield Result(c, row["focus_"], row["value_"] if has_value else None)
            continue
        focus = {row["this"] for row in store.query(c.targets, **core)}
        seen = set()
        solutions = store.query(c.query, **user)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            bound = tuple((n, row[n]) for n in names if row[n] is not None)
            values = dict(bound)
            this = values.get("this")
            if this is None or this not in focus or bound in seen:
                continue
            seen.add(bound)
            yield Result(c, this, values.get("value"), values.get("path"), bound)

