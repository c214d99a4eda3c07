"""Closed namespaces for the project ontology (ontology/newskg.ttl) and the reused vocabularies."""

from __future__ import annotations

from pathlib import Path

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, VOID, XSD, DefinedNamespace, OWL
from rdflib.namespace import SDO as _SDO

from kg.errors import Errors, OntologyError

__all__ = [
    "NKG", "NIF", "ITSRDF", "SCHEMA", "ORG", "PROV", "SKOS", "DCTERMS", "RDF", "RDFS", "XSD", "VOID", "OWL",
    "ID", "PREFIXES", "ontology_dir", "ontology_path", "shapes_path",
]


class NKG(DefinedNamespace):
    """The newskg ontology; every term here is declared in ``ontology/newskg.ttl``."""

    _fail = True
    _NS = Namespace("https://w3id.org/newskg/ontology#")

    # classes
    Page: URIRef  # a newspaper page, the layout text articles were read from
    Section: URIRef  # a titled section of an article
    Policy: URIRef  # a law, regulation, strategy, system, programme or formulation
    Law: URIRef  # 法, 法典
    Regulation: URIRef  # 条例, 办法, 规定, 规划, 意见, 通知
    Strategy: URIRef  # 战略, 布局
    System: URIRef  # 制度, 制, 机制, 体制
    Programme: URIRef  # 工程, 计划, 倡议, 行动, 改革, 银行 ...
    Formulation: URIRef  # a quoted formulation: “两个确立”, 思想
    Measure: URIRef  # an action an article proposes
    Statement: URIRef  # what a speaker said, as an article reports it
    Extractor: URIRef  # a pipeline step that produced facts

    # properties
    proposes: URIRef  # article -> measure
    addresses: URIRef  # measure -> actor it asks to act
    inSection: URIRef  # measure / paragraph -> section
    marker: URIRef  # the enumerator that opened a measure: 一是, 第一
    atEvent: URIRef  # statement -> event
    chair: URIRef  # event -> who presided (主持), a schema:attendee
    speaker: URIRef  # event -> who spoke (讲话, 发言, 致辞, 通报, 作报告), a schema:attendee
    reporter: URIRef  # event -> who reported to a meeting (作报告, 作汇报), a nkg:speaker
    accompanier: URIRef  # event -> who accompanied a visit or an inspection (陪同), a schema:attendee
    party: URIRef  # event -> a side of talks (会见, 会谈, 通电话), the one who makes an inspection
    adoptedAt: URIRef  # policy -> the session that passed it (表决通过, 审议通过)
    column: URIRef  # page -> its column heading
    pageBeginIndex: URIRef  # offset of a block in the page text
    pageEndIndex: URIRef
    reportedOn: URIRef  # membership -> the date of an article that reports the post
    former: URIRef  # membership -> true when the post is reported as no longer held (原, 曾任, 免去)
    appointedOn: URIRef  # membership -> the date of the article reporting the appointment (任命…为…)
    removedOn: URIRef  # membership -> the date of the article reporting the removal (免去…职务)


class NIF(DefinedNamespace):
    """The NIF 2.0 core terms the graph uses."""

    _fail = True
    _NS = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")

    Context: URIRef
    Phrase: URIRef
    Paragraph: URIRef
    Title: URIRef
    String: URIRef
    RFC5147String: URIRef
    isString: URIRef
    referenceContext: URIRef
    beginIndex: URIRef
    endIndex: URIRef
    anchorOf: URIRef
    sourceUrl: URIRef


class ITSRDF(DefinedNamespace):
    """The ITS 2.0 RDF terms the graph uses."""

    _fail = True
    _NS = Namespace("http://www.w3.org/2005/11/its/rdf#")

    taIdentRef: URIRef
    taClassRef: URIRef


SCHEMA = _SDO

#: Default base of instance IRIs; ``--base`` changes it.
ID = Namespace("https://w3id.org/newskg/id/")

PREFIXES = {
    "schema": SCHEMA._NS,
    "org": Namespace(str(ORG)),
    "prov": Namespace(str(PROV)),
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "nif": NIF._NS,
    "itsrdf": ITSRDF._NS,
    "nkg": NKG._NS,
    "void": Namespace(str(VOID)),
    "xsd": Namespace(str(XSD)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
}


def ontology_dir() -> Path:
    """The folder of the ontology and the SHACL shapes, shipped inside the package (``kg/rdf/ontology/``).

    Examples
    --------
    >>> (ontology_dir() / "newskg.ttl").exists()
    True
    """
    folder = Path(__file__).resolve().parent / "ontology"
    if not (folder / "newskg.ttl").is_file():
        raise OntologyError(Errors.E031.format(path=folder))
    return folder


def ontology_path() -> Path:
    return ontology_dir() / "newskg.ttl"


def shapes_path() -> Path:
    return ontology_dir() / "shapes.ttl"
