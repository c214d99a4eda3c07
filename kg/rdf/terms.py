"""pyoxigraph terms of the closed namespaces of :mod:`kg.rdf.vocab`, and conversion to and from rdflib.

The graph of a build is made as pyoxigraph quads (serialized and loaded by Rust code);
rdflib stays the library users meet (:func:`to_dataset`) and the tool for the ontology.
A term a namespace does not declare raises as the closed namespace does.
"""

from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.rdf import vocab

__all__ = ["Terms", "DEFAULT", "NKG", "NIF", "ITSRDF", "SCHEMA", "ORG", "PROV", "RDF", "RDFS", "XSD",
           "to_dataset", "to_graph", "to_rdflib", "to_ox"]

#: The default graph of a quad.
DEFAULT = ox.DefaultGraph()


class Terms:
    """The terms of one closed namespace as pyoxigraph ``NamedNode`` s.

    Examples
    --------
    >>> SCHEMA.name.value
    'https://schema.org/name'
    >>> NKG.noSuchTerm
    Traceback (most recent call last):
    ...
    AttributeError: term 'noSuchTerm' not in namespace 'https://w3id.org/newskg/ontology#'
    """

    __slots__ = ("_ns", "_nodes")

    def __init__(self, ns) -> None:
        self._ns = ns
        self._nodes: dict[str, ox.NamedNode] = {}

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str) -> ox.NamedNode:
        node = self._nodes.get(name)
        if node is None:
            node = self._nodes[name] = ox.NamedNode(str(getattr(self._ns, name)))
        return node


NKG, NIF, ITSRDF = Terms(vocab.NKG), Terms(vocab.NIF), Terms(vocab.ITSRDF)
SCHEMA, ORG, PROV = Terms(vocab.SCHEMA), Terms(vocab.ORG), Terms(vocab.PROV)
RDF, RDFS, XSD = Terms(vocab.RDF), Terms(vocab.RDFS), Terms(vocab.XSD)


def to_rdflib(term):
    """The rdflib term of a pyoxigraph term (the default graph as rdflib's default graph id).

    Examples
    --------
    >>> to_rdflib(ox.Literal("北京", language="zh"))
    rdflib.term.Literal('北京', lang='zh')
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype == XSD.string:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, ox.DefaultGraph):
        return DATASET_DEFAULT_GRAPH_ID
    return BNode(term.value)


def to_ox(term):
    """The pyoxigraph term of an rdflib term.

    Examples
    --------
    >>> to_ox(URIRef("urn:x")).value
    'urn:x'
    """
    if isinstance(term, URIRef):
        return DEFAULT if term == DATASET_DEFAULT_GRAPH_ID else ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or vocab.XSD.string)))
    return ox.BlankNode(str(term))


def _converter():
    """:func:`to_rdflib`, each term converted once (a graph repeats its terms)."""
    memo: dict = {}

    def conv(t):
        r = memo.get(t)
        if r is None:
            r = memo[t] = to_rdflib(t)
        return r
    return conv


def to_dataset(quads: Iterable[ox.Quad]) -> Dataset:
    """An rdflib ``Dataset`` of pyoxigraph quads, with the contract's prefixes bound.

    Examples
    --------
    >>> q = ox.Quad(ox.NamedNode("urn:s"), SCHEMA.name, ox.Literal("张三", language="zh"), ox.NamedNode("urn:g"))
    >>> ds = to_dataset([q])
    >>> len(ds), [str(g.identifier) for g in ds.graphs() if len(g)]
    (1, ['urn:g'])
    """
    ds = Dataset()
    for prefix, ns in vocab.PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    conv = _converter()
    graphs: dict = {}
    for q in quads:
        g = q.graph_name
        target = graphs.get(g)
        if target is None:
            target = graphs[g] = ds.graph(conv(g))
        target.add((conv(q.subject), conv(q.predicate), conv(q.object)))
    return ds


def to_graph(quads: Iterable[ox.Quad]) -> Graph:
    """One rdflib ``Graph`` of the triples of all the quads' graphs (their union), with the contract's prefixes bound.

    Examples
    --------
    >>> s, g = ox.NamedNode("urn:s"), ox.NamedNode("urn:g")
    >>> len(to_graph([ox.Quad(s, SCHEMA.name, ox.Literal("甲"), g), ox.Quad(s, SCHEMA.name, ox.Literal("甲"))]))
    1
    """
    graph = Graph()
    for prefix, ns in vocab.PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    conv = _converter()
    for t in {q.triple for q in quads}:
        graph.add((conv(t.subject), conv(t.predicate), conv(t.object)))
    return graph
