"""Publication metadata of a build: a VoID description of the dataset and PROV-O for the build itself."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, Sequence
from urllib.parse import quote

from rdflib import Graph, Literal, Namespace, URIRef

from kg import __version__
from kg.model import Label
from kg.rdf.labels import LABELS
from kg.ids import short_hash
from kg.rdf.vocab import DCTERMS, ID, PREFIXES, PROV, RDF, RDFS, SCHEMA, VOID

#: Vocabularies the graph uses (void:vocabulary).
VOCABULARIES = ("schema", "org", "prov", "nif", "itsrdf", "nkg", "skos", "dcterms")


def describe(*, inputs: Sequence[str], files: Sequence[str], out: str | os.PathLike, triples: int,
             entities: Mapping[str, int], articles: int, base: str | None = None) -> Graph:
    """VoID and PROV-O description of a build, written as ``void.ttl`` in the output folder ``out``.

    What it says depends only on the inputs and the graph: no clock time and no machine
    path. The data dumps (``files``, in ``out``) and the inputs are IRIs relative to ``out``,
    so they resolve against wherever the folder is published; the dataset IRI is a digest of
    those relative paths.

    Examples
    --------
    >>> g = describe(inputs=["p.txt"], files=["out/graph.nq"], out="out", triples=10, entities={"Person": 2}, articles=1)
    >>> sorted(str(o) for o in g.objects(None, VOID.triples)), sorted(str(o) for o in g.objects(None, VOID.dataDump))
    (['10'], ['graph.nq'])
    >>> sorted(str(o) for o in g.objects(None, DCTERMS.source))
    ['../p.txt']
    """
    ns = Namespace(base) if base else ID
    sources = sorted({_relative(p, out) for p in inputs})
    key = short_hash(*sources)
    dataset = ns[f"dataset/{key}"]
    build = ns[f"build/{key}"]
    tool = ns[f"software/newskg-{__version__}"]
    g = Graph()
    for p, n in PREFIXES.items():
        g.bind(p, n, override=True)
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, DCTERMS.title, Literal("newskg knowledge graph", lang="en")))
    g.add((dataset, VOID.triples, Literal(triples)))
    g.add((dataset, VOID.entities, Literal(sum(entities.values()) + articles)))
    g.add((dataset, VOID.uriSpace, Literal(str(ns))))
    for prefix in VOCABULARIES:
        g.add((dataset, VOID.vocabulary, URIRef(str(PREFIXES[prefix]))))
    for label, n in sorted({**entities, "NewsArticle": articles}.items()):
        part = ns[f"dataset/{key}/class/{label}"]
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], LABELS[Label(label)].cls if label in LABELS else SCHEMA.NewsArticle))
        g.add((part, VOID.entities, Literal(n)))
    for f in files:
        g.add((dataset, VOID.dataDump, URIRef(_relative(f, out))))
    for src in map(URIRef, sources):
        g.add((dataset, DCTERMS.source, src))
        g.add((build, PROV.used, src))
    g.add((dataset, PROV.wasGeneratedBy, build))
    g.add((build, RDF.type, PROV.Activity))
    g.add((build, RDFS.label, Literal("kg build")))
    g.add((build, PROV.wasAssociatedWith, tool))
    g.add((tool, RDF.type, PROV.SoftwareAgent))
    g.add((tool, RDFS.label, Literal("newskg")))
    g.add((tool, SCHEMA.softwareVersion, Literal(__version__)))
    return g


def _relative(path: str | os.PathLike, out: str | os.PathLike) -> str:
    """``path`` relative to the folder ``out``, as a percent-encoded relative IRI reference."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(out))
    return quote(Path(rel).as_posix(), safe="/._-~")
