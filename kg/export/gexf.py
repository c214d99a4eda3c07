"""The graph's projection (:mod:`kg.export.project`) written as GEXF or GraphML for Gephi and other network tools."""

from __future__ import annotations

import os
import re
from pathlib import Path

import networkx as nx
from rdflib import Graph

from kg.errors import Errors, OutputError
from kg.export.project import to_networkx
from kg.io import atomic_write

__all__ = ["for_gephi", "write_gexf", "write_graphml"]


def for_gephi(net: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """What the files carry of a projection: each node's ``label``, ``type`` and ``iri``, and
    each link with its ``label`` (the membership shortcuts are left out: the membership nodes
    and their links are there).

    Examples
    --------
    >>> from rdflib import Graph, URIRef
    >>> from kg.rdf.vocab import ORG, RDF, SCHEMA
    >>> g = Graph()
    >>> p, o, m = URIRef("urn:x:p"), URIRef("urn:x:o"), URIRef("urn:x:m")
    >>> _ = g.add((p, RDF.type, SCHEMA.Person)); _ = g.add((o, RDF.type, SCHEMA.Organization))
    >>> _ = g.add((m, RDF.type, ORG.Membership)); _ = g.add((m, ORG.member, p)); _ = g.add((m, ORG.organization, o))
    >>> net = to_networkx(g)
    >>> net.number_of_edges(), for_gephi(net).number_of_edges(), sorted(for_gephi(net).nodes["urn:x:p"])
    (3, 2, ['iri', 'label', 'type'])
    """
    out = nx.MultiDiGraph()
    for node, d in net.nodes(data=True):
        out.add_node(_xml(node), label=_xml(d["label"]), type=_xml(d["type"]), iri=_xml(d["iri"]))
    for s, o, d in net.edges(data=True):
        if "via" not in d:
            out.add_edge(_xml(s), _xml(o), label=_xml(d["label"]))
    return out


#: What XML 1.0 cannot hold, even escaped: C0 controls but tab and line breaks, lone surrogates, U+FFFE, U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(value):
    """``value`` with what XML cannot hold replaced by U+FFFD (a graph read from anywhere may hold a U+000B).

    Examples
    --------
    >>> _xml("标\\x0b题")
    '标\\ufffd题'
    """
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def _write(writer, graph, path, provenance: bool) -> tuple[int, int]:
    net = for_gephi(to_networkx(graph, provenance=provenance))
    path = Path(path)
    try:
        with atomic_write(path, "wb") as f:  # a failed write leaves no half-written file
            writer(net, f)
    except OSError as exc:
        raise OutputError(Errors.E050.format(path=path, why=exc.strerror or exc)) from exc
    return net.number_of_nodes(), net.number_of_edges()


def write_gexf(graph: Graph | str | os.PathLike, path: str | os.PathLike, *, provenance: bool = False) -> tuple[int, int]:
    """Write :func:`for_gephi` of the projection of ``graph`` as GEXF 1.2 (Gephi's own format); return ``(nodes, edges)``.

    ``graph`` and ``provenance`` are those of :func:`kg.export.project.to_networkx`.

    Raises
    ------
    OutputError
        [E050] when ``path`` cannot be written.

    Examples
    --------
    >>> write_gexf("output/graph.nq", "output/graph.gexf")  # doctest: +SKIP
    (1034, 2175)
    """
    return _write(nx.write_gexf, graph, path, provenance)


def write_graphml(graph: Graph | str | os.PathLike, path: str | os.PathLike, *,
                  provenance: bool = False) -> tuple[int, int]:
    """Write :func:`for_gephi` of the projection of ``graph`` as GraphML (Gephi, yEd, Cytoscape); return ``(nodes, edges)``.

    ``graph`` and ``provenance`` are those of :func:`kg.export.project.to_networkx`.

    Raises
    ------
    OutputError
        [E050] when ``path`` cannot be written.

    Examples
    --------
    >>> write_graphml("output/graph.nq", "output/graph.graphml")  # doctest: +SKIP
    (1034, 2175)
    """
    return _write(nx.write_graphml, graph, path, provenance)
