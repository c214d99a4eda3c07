"""The one SHACL engine: the shapes compiled once into checks run in Python over an index of quads.

The compiler knows the SHACL Core features of ``ontology/shapes.ttl`` and a few more
(targets, property paths, cardinality, class, datatype, node kind, languageIn,
lessThan(OrEquals), node, and/or/not/xone, SPARQL-based constraints with
``sh:prefixes``/``sh:declare``, messages, severities, ``sh:deactivated``); a shape that
uses anything else raises :class:`~kg.errors.OntologyError` [E032] instead of being
skipped.

:func:`run` indexes the triples of a set of quads (the union of their graphs, a set) as
``predicate -> subject -> objects``, every literal as written, and checks the core
constraints of each shape at each of its focus nodes. The SPARQL-based constraints
(``sh:sparql``) run on pyoxigraph: on an in-memory store of the quads whose predicates
they can match, or on the store itself when a store is validated. The few values Python
does not judge alone (the lexical form of a date, the order of two dates or decimals) are
evaluated by oxigraph's own XSD functions and remembered: they depend on the terms only.

The semantics are those of the SHACL recommendation: value nodes are a set, ``sh:class``
follows ``rdf:type/rdfs:subClassOf*`` in the data graph, an ill-typed literal fails
``sh:datatype``, and a value that SPARQL's ``<`` cannot compare with the other fails
``sh:lessThan``. pyshacl, the reference of the tests, gives the same results but at two
edges, where it departs from the recommendation:

- ``sh:lessThan`` between values ``<`` cannot compare (``"true"^^xsd:boolean``, a date or an
  ill-typed ``"abc"^^xsd:integer`` against an integer): a result here; pyshacl orders such
  literals by their datatype IRI and reports none when that order puts the value first.
- in a ``sh:sparql`` query, the SPARQL functions outside their domain: ``SUBSTR`` from a
  position below 1 (a negative offset), which oxigraph counts as XPath's ``fn:substring``
  does and rdflib (pyshacl's SPARQL engine) slices as Python does; ``xsd:integer`` of a
  date, an error in oxigraph and a number in rdflib. The same focus nodes are reported,
  with another ``?value`` (and so another message), except where Python's slice of a
  negative length happens to give the anchor back: pyshacl then reports nothing there.

An oxigraph store keeps no derived integer type (``"5"^^xsd:nonNegativeInteger`` comes back
as ``"5"^^xsd:integer``): with ``lenient_integers`` (for stores), an ``xsd:integer`` in the
range of a derived integer type satisfies ``sh:datatype`` of that type.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg.errors import Errors, OntologyError
from kg.rdf.read import read_dataset, union
from kg.rdf.terms import to_ox
from kg.rdf.vocab import shapes_path

__all__ = ["Constraint", "Plan", "Result", "compile_shapes", "plan_for", "run", "short"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
#: A node of the index (:class:`_Index`): an IRI, ``"_:"`` and a blank node's id, or a literal in N-Triples.
Key = str
#: Rows of one check at a focus node, given the focus node's value nodes: (focus node, value node or None).
Check = Callable[["_Index", Key, Iterable[Key]], Iterable[tuple[Key, Key | None]]]
Values = Callable[["_Index", Key], Iterable[Key]]

_XSD = str(XSD)
_TYPE = str(RDF.type)
_SUBCLASS = str(RDFS.subClassOf)
_STRING = str(XSD.string)
_INTEGER = str(XSD.integer)
_LANG_STRING = str(RDF.langString)
_RDFS_LITERAL = str(RDFS.Literal)
_INT_RANGES = {  # derived integer types: (min, max), None for unbounded
    "integer": (None, None), "nonNegativeInteger": (0, None), "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1),
    "long": (-2**63, 2**63 - 1), "int": (-2**31, 2**31 - 1), "short": (-2**15, 2**15 - 1), "byte": (-128, 127),
    "unsignedLong": (0, 2**64 - 1), "unsignedInt": (0, 2**32 - 1), "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}
_I64 = (-2**63, 2**63 - 1)  # what oxigraph's xsd:integer holds: a larger lexical form is an error
_INTEGER_LEX = re.compile(r"[+-]?[0-9]+\Z")
_BOOLEANS = {"true", "false", "1", "0"}
#: XSD types whose lexical forms and order oxigraph judges (xsd:T(?x) casts a string).
_CASTS = frozenset(("decimal", "float", "double", "boolean", "date", "dateTime", "time"))
#: Predicates of the shapes graph the compiler reads (any other sh: predicate is refused).
_KNOWN = {SH[n] for n in (
    "targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode", "property", "path", "message", "severity",
    "deactivated", "name", "description", "order", "group", "defaultValue", "minCount", "maxCount", "class",
    "datatype", "nodeKind", "languageIn", "lessThan", "lessThanOrEquals", "node", "or", "and", "not", "xone",
    "sparql", "declare", "prefixes")}
_SPARQL_KNOWN = {SH[n] for n in ("select", "message", "prefixes", "deactivated", "severity", "name", "description")}
_KINDS = {  # sh:nodeKind -> the kinds of _kind() it admits
    SH.IRI: "I", SH.BlankNode: "B", SH.Literal: "L", SH.BlankNodeOrIRI: "BI", SH.BlankNodeOrLiteral: "BL",
    SH.IRIOrLiteral: "IL",
}
#: The message of a result whose constraint has no sh:message, as pyshacl words it.
_GENERIC = {
    "MinCountConstraintComponent": "Less than {arg} values on {focus}->{path}",
    "MaxCountConstraintComponent": "More than {arg} values on {focus}->{path}",
    "ClassConstraintComponent": "Value does not have class {arg}",
    "DatatypeConstraintComponent": "Value is not Literal with datatype {arg}",
    "NodeKindConstraintComponent": "Value is not of Node Kind {arg}",
    "LanguageInConstraintComponent": "String language is not in {arg}",
    "LessThanConstraintComponent": "Value of {focus}->{path} < {arg}",
    "LessThanOrEqualsConstraintComponent": "Value of {focus}->{path} <= {arg}",
    "NodeConstraintComponent": "Value does not conform to Shape {arg}. See details for more information.",
    "OrConstraintComponent": "Node {value} must conform to one or more shapes in {arg}",
    "AndConstraintComponent": "Node {value} must conform to all shapes in {arg}",
    "XoneConstraintComponent": "Node {value} must conform to exactly one shape in {arg}",
    "NotConstraintComponent": "Node {value} must not conform to shape {arg}",
    "SPARQLConstraintComponent": "",
}


@dataclass(frozen=True)
class Constraint:
    """One constraint of one shape, as its results report it.

    ``query`` is the SELECT of a SPARQL-based constraint (``$this`` written ``?this``);
    it is empty for the core constraints, which are checked in Python.
    """

    component: str
    shape: Node
    severity: Node = SH.Violation
    messages: tuple[str, ...] = ()
    path: Node | None = None
    generic: str = ""
    argument: str = ""
    query: str = ""


@dataclass(frozen=True)
class Result:
    """One result: the constraint, the focus node, the value, and (SPARQL-based constraints) the path and every binding."""

    constraint: Constraint
    focus: Term
    value: Term | None = None
    path: ox.NamedNode | None = None
    bindings: tuple[tuple[str, object], ...] = field(default=())


@dataclass(frozen=True)
class _Group:
    """The checks of one property shape (or of a node shape's own constraints) and how to get their value nodes."""

    values: Values
    checks: tuple[tuple[Constraint, Check], ...]


@dataclass(frozen=True)
class _Shape:
    """A shape with targets: how to find its focus nodes, its core checks and its SPARQL constraints."""

    classes: tuple[Key, ...]
    subjects_of: tuple[Key, ...]
    objects_of: tuple[Key, ...]
    nodes: tuple[Key, ...]
    groups: tuple[_Group, ...]
    sparql: tuple[Constraint, ...]


@dataclass(frozen=True)
class Plan:
    """The shapes of one shapes graph compiled for :func:`run`; ``graph`` is that shapes graph.

    ``predicates`` are those the core constraints and the targets read; ``sparql_predicates``
    those the SPARQL-based constraints can match (None: any).
    """

    graph: Graph
    shapes: tuple[_Shape, ...]
    predicates: frozenset[str] = frozenset()
    sparql_predicates: frozenset[str] | None = frozenset()


# ---------------------------------------------------------------------- the index


class _Index:
    """The triples of a set of quads (their union, a set) by predicate: ``p -> s -> o`` (a set when several).

    Every node is a string: an IRI itself, a blank node ``"_:"`` and its id (no IRI starts
    so), a literal its N-Triples form (``"5"^^<…#integer>``, ``"北京"@zh``; no IRI starts
    with ``"``). Strings hash once and are no work for the garbage collector; one value
    per subject and predicate, the common case, needs no container at all.

    ``wanted``: the predicates to index (None: all); ``keep``: the predicates whose quads
    are kept as they are, for the SPARQL-based constraints (None: all).
    """

    def __init__(self, quads: Iterable, wanted: frozenset | None = None, keep: frozenset | None = frozenset(),
                 lenient: bool = False) -> None:
        pso: dict = {}
        kept = []
        n = 0
        named, literal = ox.NamedNode, ox.Literal
        for q in quads:
            p = q[1].value
            if keep is None or p in keep:
                kept.append(q)
            if wanted is not None and p not in wanted:
                continue
            s, o = q[0], q[2]
            s = s.value if type(s) is named else "_:" + s.value
            t = type(o)
            o = o.value if t is named else str(o) if t is literal else "_:" + o.value
            so = pso.get(p)
            if so is None:
                pso[p] = {s: o}
            elif (old := so.get(s)) is None:
                so[s] = o
            elif type(old) is set:
                if o in old:
                    continue
                old.add(o)
            elif old == o:
                continue
            else:
                so[s] = {old, o}
            n += 1
        self.pso = pso
        self.kept = kept
        self.triples = n
        self.lenient = lenient
        self.memo: dict = {}
        self._pos: dict = {}
        self._supers: dict = {}
        self._instances: dict = {}
        self._typed: dict | None = None

    def memoised(self, token: object, v: Key, compute: Callable[[], list]) -> list:
        """``compute()`` once per index and node (``token`` names what is computed)."""
        key = (token, v)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = compute()
        return found

    def objects(self, s: Key, p: str) -> Iterable[Key]:
        so = self.pso.get(p)
        o = so.get(s) if so is not None else None
        return _EMPTY if o is None else o if type(o) is set else (o,)

    def subjects(self, o: Key, p: str) -> Iterable[Key]:
        os_ = self._pos.get(p)
        if os_ is None:
            os_ = self._pos[p] = _inverse(self.pso.get(p, {}))
        return os_.get(o, _EMPTY)

    def supers(self, cls: Key) -> set:
        """``cls`` and every class it is an ``rdfs:subClassOf*`` of, in the data."""
        found = self._supers.get(cls)
        if found is None:
            found, todo = {cls}, [cls]
            while todo:
                for sup in self.objects(todo.pop(), _SUBCLASS):
                    if sup not in found:
                        found.add(sup)
                        todo.append(sup)
            self._supers[cls] = found
        return found

    def has_class(self, node: Key, cls: str) -> bool:
        return any(cls in self.supers(t) for t in self.objects(node, _TYPE))

    def instances(self, cls: str) -> set:
        found = self._instances.get(cls)
        if found is None:
            if self._typed is None:
                self._typed = _inverse(self.pso.get(_TYPE, {}))
            found = set()
            for t, members in self._typed.items():
                if cls in self.supers(t):
                    found |= members
            self._instances[cls] = found
        return found

    def focus(self, shape: _Shape) -> set:
        """The focus nodes of ``shape``."""
        found: set = set()
        for c in shape.classes:
            found |= self.instances(c)
        for p in shape.subjects_of:
            found.update(self.pso.get(p, ()))
        for p in shape.objects_of:
            for o in self.pso.get(p, {}).values():
                if type(o) is set:
                    found |= o
                else:
                    found.add(o)
        found.update(shape.nodes)
        return found


_EMPTY: frozenset = frozenset()


def _inverse(so: dict) -> dict:
    """``o -> {s}`` of ``s -> o`` (a set when several)."""
    os_: dict = {}
    for s, o in so.items():
        for x in (o if type(o) is set else (o,)):
            os_.setdefault(x, set()).add(s)
    return os_


def _key(term: Term) -> Key:
    """The :class:`_Index` key of a pyoxigraph term.

    Examples
    --------
    >>> _key(ox.NamedNode("urn:x")), _key(ox.Literal("北京", language="zh"))
    ('urn:x', '"北京"@zh')
    """
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


def _term(key: Key) -> Term:
    """The pyoxigraph term of an :class:`_Index` key."""
    if key[0] == '"':
        return next(iter(ox.parse(f"<urn:x> <urn:x> {key} .", format=ox.RdfFormat.N_TRIPLES))).object
    return ox.BlankNode(key[2:]) if key.startswith("_:") else ox.NamedNode(key)


@lru_cache(maxsize=1 << 16)
def _literal(key: Key) -> tuple[str, str, str] | None:
    """``(lexical form, datatype IRI, language tag or "")`` of a literal's key; None for another node.

    Examples
    --------
    >>> _literal('"05"^^<http://www.w3.org/2001/XMLSchema#integer>')
    ('05', 'http://www.w3.org/2001/XMLSchema#integer', '')
    >>> _literal('"a\\\\"b"@zh'), _literal("urn:x")
    (('a"b', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString', 'zh'), None)
    """
    if key[0] != '"':
        return None
    last = key[-1]
    if last == '"':  # a simple literal
        lexical, datatype, language = key[1:-1], _STRING, ""
    elif last == ">":  # a datatype IRI holds no '"': the last '"^^<' ends the lexical form
        at = key.rindex('"^^<')
        lexical, datatype, language = key[1:at], key[at + 4:-1], ""
    else:  # a language tag holds no '"'
        at = key.rindex('"@')
        lexical, datatype, language = key[1:at], _LANG_STRING, key[at + 2:]
    if "\\" in lexical:  # escaped in N-Triples
        lexical = _term(key).value
    return lexical, datatype, language


def _shape_key(node: Node) -> Key:
    """The :class:`_Index` key of an rdflib term of the shapes graph."""
    return _key(to_ox(node))


def _kind(v: Key) -> str:
    """``"I"``, ``"B"`` or ``"L"``: the node kind of an :class:`_Index` key."""
    if v[0] == '"':
        return "L"
    return "B" if v.startswith("_:") else "I"


# ---------------------------------------------------------------------- values oxigraph judges

@lru_cache(maxsize=1 << 16)
def _ask(expression: str, *terms: Term) -> bool:
    """The SPARQL boolean ``expression`` of ``?a`` (and ``?b``) bound to ``terms``, an error read as false."""
    names = ("?a", "?b")[:len(terms)]
    query = (f"PREFIX xsd: <{_XSD}>\nSELECT (COALESCE({expression}, false) AS ?r) "
             f"WHERE {{ VALUES ({' '.join(names)}) {{ ({' '.join(map(str, terms))}) }} }}")
    (solution,) = ox.Store().query(query)
    return solution["r"].value == "true"


def _well_formed(lexical: str, local: str) -> bool:
    """The lexical form is one of the XSD type ``local`` (true for types not checked).

    Examples
    --------
    >>> _well_formed("05", "nonNegativeInteger"), _well_formed("-1", "nonNegativeInteger")
    (True, False)
    >>> _well_formed("2020-02-30", "date"), _well_formed("2020-02-29", "date")
    (False, True)
    """
    if local in _INT_RANGES:
        if not _INTEGER_LEX.match(lexical):
            return False
        n = int(lexical)
        lo, hi = _INT_RANGES[local]
        return _I64[0] <= n <= _I64[1] and (lo is None or n >= lo) and (hi is None or n <= hi)
    if local == "boolean":
        return lexical in _BOOLEANS
    if local in _CASTS:
        return _ask(f"DATATYPE(xsd:{local}(?a)) = xsd:{local}", ox.Literal(lexical))
    return True


@lru_cache(maxsize=1 << 16)
def _datatype_ok(v: Key, dt: str, lenient: bool) -> bool:
    """``v`` satisfies ``sh:datatype dt``; with ``lenient``, an ``xsd:integer`` in range stands for a derived integer type.

    Examples
    --------
    >>> five = '"5"^^<http://www.w3.org/2001/XMLSchema#integer>'
    >>> [_datatype_ok(five, str(XSD[t]), False) for t in ("integer", "nonNegativeInteger", "date")]
    [True, False, False]
    >>> _datatype_ok(five, str(XSD.nonNegativeInteger), True), _datatype_ok('"a"@zh', str(RDF.langString), False)
    (True, True)
    """
    literal = _literal(v)
    if literal is None:
        return False
    lexical, actual, language = literal
    if dt == _RDFS_LITERAL:
        return True
    if language:
        return dt == _LANG_STRING
    if dt == _STRING or dt == _LANG_STRING:
        return actual == dt
    local = dt[len(_XSD):] if dt.startswith(_XSD) else ""
    if actual != dt:
        return lenient and actual == _INTEGER and local in _INT_RANGES and _well_formed(lexical, local)
    return _well_formed(lexical, local)


@lru_cache(maxsize=1 << 16)
def _comparable(v: Key):
    """``(kind, value)`` by which SPARQL's ``<`` orders ``v``: ``"s"`` text, ``"n"`` an integer, ``"error"``
    when it cannot be compared at all; None when oxigraph must judge (a decimal, a date …)."""
    literal = _literal(v)
    if literal is None:
        return ("error", None) if v.startswith("_:") else ("s", v)
    lexical, dt, language = literal
    if language or dt == _STRING:
        return "s", lexical
    if dt.startswith(_XSD):
        local = dt[len(_XSD):]
        if local in _INT_RANGES:
            ok = _INTEGER_LEX.match(lexical) and _I64[0] <= int(lexical) <= _I64[1]
            return ("n", int(lexical)) if ok else ("error", None)
        if local not in _CASTS:
            return "s", lexical
    return None


def _operand(v: Key, known, var: str) -> tuple[str, Term]:
    """``v`` as an operand of ``<`` in :func:`_ask`: (expression of ``var``, the term bound to it)."""
    if known is not None:
        kind, value = known
        return var, ox.Literal(value) if kind == "s" else ox.Literal(str(value), datatype=ox.NamedNode(_INTEGER))
    lexical, dt, _ = _literal(v)
    if dt.startswith(_XSD) and dt[len(_XSD):] in _CASTS:
        return f"xsd:{dt[len(_XSD):]}({var})", ox.Literal(lexical)
    return var, _term(v)


def _less(a: Key, b: Key, op: str) -> bool:
    """``a op b`` by SPARQL's ``<`` (``<=``): false when they cannot be compared.

    Examples
    --------
    >>> i = lambda n: f'"{n}"^^<{_INTEGER}>'
    >>> _less(i(3), i(10), "<"), _less(i(3), i(3), "<"), _less(i(3), i(3), "<="), _less(f'"true"^^<{XSD.boolean}>', i(3), "<")
    (True, False, True, False)
    >>> d = lambda s: f'"{s}"^^<{XSD.date}>'
    >>> _less(d("2020-01-31"), d("2020-02-01"), "<"), _less(d("2020-02-30"), d("2020-03-01"), "<")
    (True, False)
    """
    ka, kb = _comparable(a), _comparable(b)
    if ka is not None and kb is not None:
        if ka[0] != kb[0] or ka[0] == "error":
            return False
        return ka[1] < kb[1] if op == "<" else ka[1] <= kb[1]
    if "error" in (ka and ka[0], kb and kb[0]):  # a blank node or an integer oxigraph cannot hold
        return False
    (ea, ta), (eb, tb) = _operand(a, ka, "?a"), _operand(b, kb, "?b")
    return _ask(f"{ea} {op} {eb}", ta, tb)


# ---------------------------------------------------------------------- the compiler


def _unsupported(shape: Node, feature: str) -> OntologyError:
    return OntologyError(Errors.E032.format(shape=shape, feature=feature))


def short(node: Node) -> str:
    """``sh:name`` for an IRI of the SHACL namespace, the IRI otherwise.

    Examples
    --------
    >>> short(SH.closed)
    'sh:closed'
    """
    return "sh:" + str(node)[len(str(SH)):] if str(node).startswith(str(SH)) else str(node)


def _each(test: Callable[["_Index", Key], bool]) -> Check:
    """The check whose rows are the value nodes that fail ``test``."""
    def rows(ix, f, values):
        for v in values:
            if not test(ix, v):
                return [(f, w) for w in values if not test(ix, w)]
        return ()
    return rows


class _Compiler:
    """Reads the shapes of one shapes graph into checks (:class:`Plan`)."""

    def __init__(self, sg: Graph):
        self.sg = sg
        self.read = {_TYPE, _SUBCLASS}  # the predicates the checks read

    def check_known(self, shape: Node) -> None:
        for p in set(self.sg.predicates(shape)):
            if str(p).startswith(str(SH)) and p not in _KNOWN:
                raise _unsupported(shape, short(p))

    def deactivated(self, shape: Node) -> bool:
        return any(bool(getattr(o, "value", False)) and str(o).lower() in ("true", "1")
                   for o in self.sg.objects(shape, SH.deactivated))

    def shapes_list(self, node: Node, owner: Node) -> list[Node]:
        try:
            return list(Collection(self.sg, node))
        except Exception as exc:  # a malformed RDF list
            raise _unsupported(owner, f"list {node} ({exc})") from exc

    def path(self, node: Node, shape: Node, inverse: bool = False) -> Values:
        """The value nodes of a SHACL property path at a node."""
        if isinstance(node, URIRef):
            p = str(node)
            self.read.add(p)
            if inverse:
                return lambda ix, n: ix.subjects(n, p)
            return lambda ix, n: ix.objects(n, p)
        if self.sg.value(node, RDF.first) is not None:
            steps = [self.path(n, shape, inverse) for n in Collection(self.sg, node)]
            if inverse:
                steps.reverse()

            def sequence(ix, n):
                nodes = {n}
                for step in steps:
                    nodes = {y for x in nodes for y in step(ix, x)}
                return nodes
            return sequence
        if (inner := self.sg.value(node, SH.inversePath)) is not None:
            return self.path(inner, shape, not inverse)
        if (alt := self.sg.value(node, SH.alternativePath)) is not None:
            options = [self.path(n, shape, inverse) for n in Collection(self.sg, alt)]
            return lambda ix, n: {y for f in options for y in f(ix, n)}
        for op, start in ((SH.zeroOrMorePath, True), (SH.oneOrMorePath, False), (SH.zeroOrOnePath, None)):
            if (inner := self.sg.value(node, op)) is not None:
                step = self.path(inner, shape, inverse)
                if start is None:
                    return lambda ix, n: {n} | set(step(ix, n))

                def closure(ix, n, step=step, start=start):
                    found = {n} if start else set()
                    todo = [n]
                    while todo:
                        for y in step(ix, todo.pop()):
                            if y not in found:
                                found.add(y)
                                todo.append(y)
                    return found
                return closure
        raise _unsupported(shape, f"path {node}")

    def conforms(self, shape: Node, owner: Node) -> Callable[[_Index, Key], bool]:
        """A predicate: the node conforms to ``shape`` (its targets ignored)."""
        if self.deactivated(shape):
            return lambda ix, v: True
        if (shape, SH.sparql, None) in self.sg:
            raise _unsupported(owner, "sh:sparql in a shape used by sh:node/sh:or/sh:and/sh:not/sh:xone")
        groups = self.groups(shape)
        token = object()

        def conforms(ix, v):  # memoised per index: many focus nodes share one value (a context, a role)
            key = (token, v)
            found = ix.memo.get(key)
            if found is None:
                found = ix.memo[key] = not any(
                    check(ix, v, vals) for values, checks in groups for vals in (values(ix, v),)
                    for _, check in checks)
            return found
        return conforms

    def groups(self, shape: Node, *, details: bool = False) -> list[tuple[Values, list]]:
        """``(values, [(constraint, check) …])`` of ``shape`` and of each of its property shapes."""
        self.check_known(shape)
        if self.deactivated(shape):
            return []
        out = [(self.values(shape), list(self.checks(shape, details=details)))]
        for prop in sorted(self.sg.objects(shape, SH.property)):
            if self.sg.value(shape, SH.path) is not None:
                raise _unsupported(shape, "sh:property of a property shape")
            out += self.groups(prop, details=details)
        return [(values, checks) for values, checks in out if checks]

    def values(self, shape: Node) -> Values:
        path = self.sg.value(shape, SH.path)
        return self.path(path, shape) if path is not None else (lambda ix, f: (f,))

    def checks(self, shape: Node, *, details: bool = False) -> Iterator[tuple[Constraint, Check]]:
        """The constraints of ``shape`` itself (not of its property shapes) and their checks."""
        sg = self.sg
        has_path = sg.value(shape, SH.path) is not None

        def record(component: str, argument: str, owner: Node = shape) -> Constraint:
            return Constraint(
                component=component, shape=owner, severity=sg.value(owner, SH.severity) or SH.Violation,
                messages=tuple(str(m) for m in sg.objects(owner, SH.message)), path=sg.value(owner, SH.path),
                generic=_GENERIC.get(component, "Constraint violated"), argument=argument)

        for n in sg.objects(shape, SH.minCount):
            if int(n) > 0:
                if not has_path:
                    raise _unsupported(shape, "sh:minCount on a node shape")
                yield record("MinCountConstraintComponent", str(n)), \
                    lambda ix, f, values, k=int(n): ((f, None),) if len(values) < k else ()
        for n in sg.objects(shape, SH.maxCount):
            if not has_path:
                raise _unsupported(shape, "sh:maxCount on a node shape")
            yield record("MaxCountConstraintComponent", str(n)), \
                lambda ix, f, values, k=int(n): ((f, None),) if len(values) > k else ()
        for c in sorted(sg.objects(shape, SH["class"])):
            yield record("ClassConstraintComponent", str(c)), \
                _each(lambda ix, v, c=_shape_key(c): ix.has_class(v, c))
        for dt in sorted(sg.objects(shape, SH.datatype)):
            yield record("DatatypeConstraintComponent", str(dt)), \
                _each(lambda ix, v, dt=str(dt): _datatype_ok(v, dt, ix.lenient))
        for kind in sg.objects(shape, SH.nodeKind):
            if kind not in _KINDS:
                raise _unsupported(shape, f"sh:nodeKind {kind}")
            yield record("NodeKindConstraintComponent", str(kind)), \
                _each(lambda ix, v, ok=_KINDS[kind]: _kind(v) in ok)
        for lst in sg.objects(shape, SH.languageIn):
            listed = [str(x).lower() for x in self.shapes_list(lst, shape)]

            def language_ok(ix, v, langs=frozenset(listed)):
                literal = _literal(v)
                if literal is None:
                    return False
                tag = literal[2].lower()
                return tag in langs or (tag.split("-", 1)[0] if "-" in tag else "") in langs
            yield record("LanguageInConstraintComponent", ", ".join(f'"{x}"' for x in listed)), _each(language_ok)
        for pred, op, component in ((SH.lessThan, "<", "LessThanConstraintComponent"),
                                    (SH.lessThanOrEquals, "<=", "LessThanOrEqualsConstraintComponent")):
            for other in sorted(sg.objects(shape, pred)):
                if not isinstance(other, URIRef):
                    raise _unsupported(shape, f"{short(pred)} with a path")
                self.read.add(str(other))
                yield record(component, str(other)), (
                    lambda ix, f, values, o=str(other), op=op:
                    [(f, v) for v in values for w in ix.objects(f, o) if not _less(v, w, op)])
        for target in sg.objects(shape, SH.node):
            yield record("NodeConstraintComponent", str(target)), _each(self.conforms(target, shape))
            if details:  # the results of the node shape at each value (pyshacl's sh:detail), as results of their own
                for values, checks in self.groups(target, details=True):
                    for constraint, check in checks:
                        def inner(ix, f, vals, values=values, check=check, token=object()):
                            return [row for v in vals for row in ix.memoised(
                                token, v, lambda v=v: list(check(ix, v, values(ix, v))))]
                        yield constraint, inner
        for pred, component in ((SH["or"], "OrConstraintComponent"), (SH["and"], "AndConstraintComponent"),
                                (SH.xone, "XoneConstraintComponent")):
            for lst in sg.objects(shape, pred):
                members = [self.conforms(s, shape) for s in self.shapes_list(lst, shape)]
                if pred == SH["or"]:
                    test = lambda ix, v, ms=members: any(m(ix, v) for m in ms)  # noqa: E731
                elif pred == SH["and"]:
                    test = lambda ix, v, ms=members: all(m(ix, v) for m in ms)  # noqa: E731
                else:
                    test = lambda ix, v, ms=members: sum(m(ix, v) for m in ms) == 1  # noqa: E731
                yield record(component, str(lst)), _each(test)
        for target in sg.objects(shape, SH["not"]):
            inner_ok = self.conforms(target, shape)
            yield record("NotConstraintComponent", str(target)), _each(lambda ix, v, ok=inner_ok: not ok(ix, v))

    def sparql(self, shape: Node, node: Node) -> Constraint:
        """A SPARQL-based constraint of ``shape``: its SELECT, prefixes declared, ``$this`` as ``?this``."""
        sg = self.sg
        for p in set(sg.predicates(node)) - {RDF.type}:
            if str(p).startswith(str(SH)) and p not in _SPARQL_KNOWN:
                raise _unsupported(shape, f"{short(p)} in a SPARQL constraint")
        select = sg.value(node, SH.select)
        if select is None:
            raise _unsupported(shape, "a SPARQL constraint without sh:select")
        text = str(select)
        head = text[:text.upper().find("WHERE")] if "WHERE" in text.upper() else text
        if not re.search(r"[?$]this\b|SELECT\s+(DISTINCT\s+|REDUCED\s+)?\*", head, re.I):
            raise _unsupported(shape, "a SPARQL constraint whose SELECT does not project $this")
        if re.search(r"\$(currentShape|shapesGraph)\b", text):
            raise _unsupported(shape, "$currentShape/$shapesGraph in a SPARQL constraint")
        prefixes = {f"PREFIX {sg.value(decl, SH.prefix)}: <{sg.value(decl, SH.namespace)}>"
                    for ontology in sg.objects(node, SH.prefixes) for decl in sg.objects(ontology, SH.declare)}
        return Constraint(
            component="SPARQLConstraintComponent", shape=shape,
            severity=sg.value(node, SH.severity) or sg.value(shape, SH.severity) or SH.Violation,
            messages=tuple(str(m) for m in sg.objects(node, SH.message)) + tuple(
                str(m) for m in sg.objects(shape, SH.message)),
            path=sg.value(shape, SH.path), query="\n".join(sorted(prefixes)) + "\n" + re.sub(r"\$this\b", "?this", text))

    def plan(self) -> Plan:
        sg = self.sg
        roots = {s for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
                 for s in sg.subjects(p, None)}
        roots |= {s for s in sg.subjects(RDF.type, RDFS.Class) if (s, RDF.type, SH.NodeShape) in sg}
        shapes = []
        predicates: frozenset[str] | None = frozenset()
        for shape in sorted(roots, key=str):
            if self.deactivated(shape):
                continue
            classes = sorted(sg.objects(shape, SH.targetClass))
            if (shape, RDF.type, RDFS.Class) in sg:
                classes.append(shape)
            groups = tuple(_Group(values, tuple(checks)) for values, checks in self.groups(shape, details=True))
            sparql = tuple(self.sparql(shape, c) for c in sorted(sg.objects(shape, SH.sparql), key=str))
            for c in sparql:
                more = _predicates(c.query)
                predicates = None if predicates is None or more is None else predicates | more
            self.read |= {str(p) for t in (SH.targetSubjectsOf, SH.targetObjectsOf) for p in sg.objects(shape, t)}
            shapes.append(_Shape(
                classes=tuple(_shape_key(c) for c in classes),
                subjects_of=tuple(_shape_key(p) for p in sorted(sg.objects(shape, SH.targetSubjectsOf))),
                objects_of=tuple(_shape_key(p) for p in sorted(sg.objects(shape, SH.targetObjectsOf))),
                nodes=tuple(_shape_key(n) for n in sorted(sg.objects(shape, SH.targetNode))),
                groups=groups, sparql=sparql))
        return Plan(sg, tuple(shapes), frozenset(self.read), predicates)


def _predicates(query: str) -> frozenset[str] | None:
    """The IRIs of every predicate a SPARQL query can match, or None when a variable (or a negated path) may match any.

    Examples
    --------
    >>> sorted(_predicates("SELECT * WHERE { ?s <urn:p>/^<urn:q> ?o FILTER EXISTS { ?o <urn:r> 1 } }"))
    ['urn:p', 'urn:q', 'urn:r']
    >>> _predicates("SELECT * WHERE { ?s ?p ?o }") is None
    True
    >>> _predicates("SELECT * WHERE { ?s <urn:p> ?o FILTER NOT EXISTS { ?o ?q ?s } }") is None
    True
    """
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
    from rdflib.plugins.sparql import prepareQuery

    found: set[str] = set()

    def path(p) -> bool:
        if isinstance(p, URIRef):
            found.add(str(p))
            return True
        if isinstance(p, (SequencePath, AlternativePath)):
            return all(path(x) for x in p.args)
        if isinstance(p, InvPath):
            return path(p.arg)
        if isinstance(p, MulPath):
            return path(p.path)
        return False  # a variable, a negated property set, anything else

    def walk(node) -> bool:
        if isinstance(node, dict):
            for t in (node["triples"] or ()) if "triples" in node else ():  # (s, p, o), or s p o p o … in a pattern not yet translated
                if not (isinstance(t, (list, tuple)) and len(t) % 2 == 1 and all(path(p) for p in t[1::2])):
                    return False
            return all(walk(v) for k, v in node.items() if k != "triples")
        if isinstance(node, (list, tuple)):
            return all(walk(v) for v in node)
        return True

    try:
        algebra = prepareQuery(query).algebra
    except Exception:  # a query rdflib cannot read: load every quad
        return None
    return frozenset(found) if walk(algebra) else None


def compile_shapes(shapes: Graph) -> Plan:
    """Compile a SHACL shapes graph for :func:`run`.

    Raises
    ------
    OntologyError
        [E032] for a SHACL feature the compiler does not know.

    Examples
    --------
    >>> g = Graph().parse(format="turtle", data='''
    ...     @prefix sh: <http://www.w3.org/ns/shacl#> .
    ...     [] sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ; sh:minCount 1 ] .''')
    >>> [c.component for s in compile_shapes(g).shapes for group in s.groups for c, _ in group.checks]
    ['MinCountConstraintComponent']
    >>> from rdflib import Literal
    >>> _ = g.add((URIRef("urn:s"), SH.closed, Literal(True)))
    >>> _ = g.add((URIRef("urn:s"), SH.targetNode, URIRef("urn:x")))
    >>> compile_shapes(g)
    Traceback (most recent call last):
    kg.errors.OntologyError: [E032] shape urn:s uses sh:closed, which newskg's SHACL engine does not know; check such shapes with pyshacl (pip install pyshacl)
    """
    return _Compiler(shapes).plan()


_PLANS: dict = {}  # (path, mtime, size) -> Plan: a pure function of the shapes file


def plan_for(shapes: Graph | str | os.PathLike | None = None) -> Plan:
    """The :class:`Plan` of a shapes graph, or of a shapes file (``ontology/shapes.ttl`` by default), compiled once.

    Raises
    ------
    OntologyError
        [E031] when the shapes file is missing; [E032] for a feature the compiler does not know.

    Examples
    --------
    >>> plan_for() is plan_for()
    True
    """
    if isinstance(shapes, Graph):
        return compile_shapes(shapes)
    path = Path(shapes) if shapes is not None else shapes_path()
    if not path.is_file():
        raise OntologyError(Errors.E031.format(path=path))
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    if key not in _PLANS:
        _PLANS[key] = compile_shapes(union(read_dataset(path)))
    return _PLANS[key]


def run(quads: Iterable | ox.Store, plan: Plan, *, lenient_integers: bool = False,
        every_triple: bool = True) -> tuple[list[Result], int]:
    """Check quads (or triples, or a whole store) against a plan.

    Parameters
    ----------
    quads : iterable of pyoxigraph.Quad or pyoxigraph.Triple, or pyoxigraph.Store
        What to check, as the union of its graphs. A store's SPARQL-based constraints
        are run on the store itself.
    plan : Plan
        The compiled shapes (:func:`plan_for`).
    lenient_integers : bool
        For a store: an ``xsd:integer`` in range satisfies ``sh:datatype`` of a derived
        integer type (a store keeps no other).
    every_triple : bool
        Index (and count) every triple; False indexes only the triples whose predicate
        the shapes read: the same results, sooner, and only those triples counted.

    Returns
    -------
    (list of Result, int)
        One result per violation, shape by shape, and the number of distinct triples indexed.

    Examples
    --------
    >>> g = Graph().parse(format="turtle", data='''
    ...     @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    ...     [] sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ; sh:minCount 1 ; sh:datatype xsd:byte ] .''')
    >>> x, p = ox.NamedNode("urn:x"), ox.NamedNode("urn:p")
    >>> quads = [ox.Quad(x, ox.NamedNode(str(RDF.type)), ox.NamedNode("urn:C")), ox.Quad(x, x, x)]
    >>> results, n = run(quads, compile_shapes(g))
    >>> [(r.focus.value, r.constraint.component) for r in results], n, run(quads, compile_shapes(g), every_triple=False)[1]
    ([('urn:x', 'MinCountConstraintComponent')], 2, 1)
    >>> quads.append(ox.Quad(x, p, ox.Literal("5", datatype=ox.NamedNode(str(XSD.integer)))))
    >>> [r.constraint.component for r in run(quads, compile_shapes(g))[0]]
    ['DatatypeConstraintComponent']
    >>> run(quads, compile_shapes(g), lenient_integers=True)[0]
    []
    """
    store = quads if isinstance(quads, ox.Store) else None
    ix = _Index(quads, None if every_triple else plan.predicates,
                frozenset() if store is not None else plan.sparql_predicates, lenient_integers)
    out: list[Result] = []
    for shape in plan.shapes:
        focus = ix.focus(shape)
        if not focus:
            continue
        for group in shape.groups:
            values, checks = group.values, group.checks
            for f in focus:
                vals = values(ix, f)
                for constraint, check in checks:
                    for fnode, value in check(ix, f, vals):
                        out.append(Result(constraint, _term(fnode), None if value is None else _term(value)))
        for c in shape.sparql:
            if store is None:
                store = ox.Store()
                store.extend(q if isinstance(q, ox.Quad) else ox.Quad(*q) for q in ix.kept)
            seen = set()
            solutions = store.query(c.query, use_default_graph_as_union=True)
            names = [v.value for v in solutions.variables]
            for row in solutions:
                bound = tuple((n, row[n]) for n in names if row[n] is not None)
                found = dict(bound)
                this = found.get("this")
                if this is None or _key(this) not in focus or bound in seen:
                    continue
                seen.add(bound)
                out.append(Result(c, this, found.get("value"), found.get("path"), bound))
    return out, ix.triples
