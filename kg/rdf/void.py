"""Publication metadata of a build: a VoID description of the dataset and PROV-O for the build itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Mapping, Sequence

from rdflib import Graph, Literal, Namespace, URIRef

from kg import __version__
from kg.rdf.graph import CLASSES
from kg.rdf.vocab import DCTERMS, ID, PREFIXES, PROV, RDF, RDFS, SCHEMA, VOID, XSD
from kg.resolve import short_hash

#: Vocabularies the graph uses (void:vocabulary).
VOCABULARIES = ("schema", "org", "prov", "nif", "itsrdf", "nkg", "skos", "dcterms")


def describe(*, inputs: Sequence[str], files: Sequence[str], triples: int, entities: Mapping[str, int], articles: int,
             started: dt.datetime, ended: dt.datetime, base: str | None = None) -> Graph:
    """VoID and PROV-O description of a build.

    The dataset IRI depends only on the inputs, so it is the same for every build of
    them; the build activity carries the times.

    Examples
    --------
    >>> import datetime as dt
    >>> t = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    >>> g = describe(inputs=["p.txt"], files=["graph.nq"], triples=10, entities={"Person": 2}, articles=1, started=t, ended=t)
    >>> sorted(str(o) for o in g.objects(None, VOID.triples))
    ['10']
    """
    ns = Namespace(base) if base else ID
    key = short_hash(*sorted(str(Path(p).resolve()) for p in inputs))
    dataset = ns[f"dataset/{key}"]
    build = ns[f"build/{key}-{started.strftime('%Y%m%dT%H%M%S')}"]
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
        g.add((part, VOID["class"], CLASSES.get(label, SCHEMA.NewsArticle)))
        g.add((part, VOID.entities, Literal(n)))
    for f in files:
        g.add((dataset, VOID.dataDump, URIRef(Path(f).resolve().as_uri())))
    for p in inputs:
        src = URIRef(Path(p).resolve().as_uri())
        g.add((dataset, DCTERMS.source, src))
        g.add((build, PROV.used, src))
    g.add((dataset, PROV.wasGeneratedBy, build))
    g.add((build, RDF.type, PROV.Activity))
    g.add((build, RDFS.label, Literal("kg build")))
    g.add((build, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime)))
    g.add((build, PROV.endedAtTime, Literal(ended.isoformat(), datatype=XSD.dateTime)))
    g.add((build, PROV.wasAssociatedWith, tool))
    g.add((tool, RDF.type, PROV.SoftwareAgent))
    g.add((tool, RDFS.label, Literal("newskg")))
    g.add((tool, SCHEMA.softwareVersion, Literal(__version__)))
    return g
