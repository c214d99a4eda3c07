"""The ontology file, the NKG namespace class and the terms a built graph uses stay in step."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg.rdf.vocab import NKG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, ontology_path, shapes_path
from kg.rdf.read import read_dataset

ROOT = Path(__file__).resolve().parents[1]
NKG_NS = str(NKG._NS)
NKG_TERMS = {URIRef(NKG_NS + name) for name in NKG.__annotations__}
CLASSES = {"Page", "Section", "Policy", "Law", "Regulation", "Strategy", "System", "Programme",
           "Formulation", "Measure", "Statement", "Extractor"}


def _declared(g: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {s for k in kinds for s in g.subjects(RDF.type, k) if isinstance(s, URIRef) and str(s).startswith(NKG_NS)}


def _used(ds) -> set[URIRef]:
    used = set()
    for quad in ds.quads((None, None, None, None)):
        used.update(t for t in quad[:3] if isinstance(t, URIRef) and str(t).startswith(NKG_NS))
    return used


@pytest.mark.parametrize("path", [ontology_path(), shapes_path()], ids=["newskg.ttl", "shapes.ttl"])
def test_ontology_files_parse_with_rdflib_and_rapper(path):
    assert len(Graph().parse(path, format="turtle")) > 50
    if shutil.which("rapper") is None:
        pytest.skip("rapper missing (apt-get install raptor2-utils)")
    done = subprocess.run(["rapper", "-i", "turtle", "-c", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_ontology_declares_exactly_the_nkg_class_terms(ontology_graph):
    declared = _declared(ontology_graph)
    assert declared == NKG_TERMS, (sorted(declared - NKG_TERMS), sorted(NKG_TERMS - declared))
    assert {t for t in NKG_TERMS if (t, RDF.type, OWL.Class) in ontology_graph} == {NKG[c] for c in CLASSES}


def test_ontology_header_has_version_and_bilingual_label(ontology_graph):
    (ont,) = ontology_graph.subjects(RDF.type, OWL.Ontology)
    assert ontology_graph.value(ont, OWL.versionInfo) == Literal("0.1.0")
    assert {o.language for o in ontology_graph.objects(ont, RDFS.label)} >= {"zh", "en"}


@pytest.mark.parametrize("term", sorted(NKG.__annotations__))
def test_ontology_term_has_label_and_comment_in_zh_and_en(ontology_graph, term):
    node = NKG[term]
    for prop in (RDFS.label, RDFS.comment):
        langs = [o.language for o in ontology_graph.objects(node, prop)]
        assert sorted(langs) == ["en", "zh"], (term, prop, langs)
    assert (node, RDFS.isDefinedBy, None) in ontology_graph


@pytest.mark.parametrize("term, relation, target", [
    (NKG.Page, RDFS.subClassOf, SCHEMA.CreativeWork),
    (NKG.Section, RDFS.subClassOf, SCHEMA.CreativeWork),
    (NKG.Policy, RDFS.subClassOf, SCHEMA.CreativeWork),
    (NKG.Law, RDFS.subClassOf, NKG.Policy),
    (NKG.Law, RDFS.subClassOf, SCHEMA.Legislation),
    (NKG.Regulation, RDFS.subClassOf, NKG.Policy),
    (NKG.Strategy, RDFS.subClassOf, NKG.Policy),
    (NKG.System, RDFS.subClassOf, NKG.Policy),
    (NKG.Programme, RDFS.subClassOf, NKG.Policy),
    (NKG.Formulation, RDFS.subClassOf, NKG.Policy),
    (NKG.Formulation, RDFS.subClassOf, SKOS.Concept),
    (NKG.Measure, RDFS.subClassOf, SCHEMA.CreativeWork),
    (NKG.Statement, RDFS.subClassOf, SCHEMA.CreativeWork),
    (NKG.Extractor, RDFS.subClassOf, PROV.SoftwareAgent),
    (NKG.proposes, RDFS.subPropertyOf, SCHEMA.hasPart),
    (NKG.proposes, RDFS.domain, SCHEMA.NewsArticle),
    (NKG.proposes, RDFS.range, NKG.Measure),
    (NKG.addresses, RDFS.subPropertyOf, SCHEMA.mentions),
    (NKG.addresses, RDFS.domain, NKG.Measure),
    (NKG.inSection, RDFS.subPropertyOf, SCHEMA.isPartOf),
    (NKG.inSection, RDFS.range, NKG.Section),
    (NKG.atEvent, RDFS.subPropertyOf, SCHEMA.recordedAt),
    (NKG.atEvent, RDFS.domain, NKG.Statement),
    (NKG.atEvent, RDFS.range, SCHEMA.Event),
    (NKG.marker, RDFS.domain, NKG.Measure),
    (NKG.column, RDFS.domain, NKG.Page),
    (NKG.pageBeginIndex, RDFS.range, URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")),
    (NKG.pageEndIndex, RDFS.range, URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")),
])
def test_ontology_alignment(ontology_graph, term, relation, target):
    assert (term, relation, target) in ontology_graph


@pytest.mark.parametrize("term", sorted(set(NKG.__annotations__) - CLASSES))
def test_ontology_property_has_domain_and_range(ontology_graph, term):
    assert ontology_graph.value(NKG[term], RDFS.domain) is not None
    assert ontology_graph.value(NKG[term], RDFS.range) is not None


#: Terms of state news that a theory page cannot show (no chair, talks, inspection or vote there):
#: tests/test_participants.py checks that a built graph of state news uses each of them.
STATE_NEWS_TERMS = {NKG.chair, NKG.reporter, NKG.accompanier, NKG.party, NKG.adoptedAt,
                    NKG.reportedOn, NKG.former, NKG.appointedOn, NKG.removedOn}


def test_ontology_fixture_graph_uses_every_term_and_no_other(query_fixture_graph):
    used = _used(read_dataset(query_fixture_graph))
    assert used == NKG_TERMS - (STATE_NEWS_TERMS - used), (sorted(used - NKG_TERMS), sorted(NKG_TERMS - used - STATE_NEWS_TERMS))


def test_ontology_built_sample_uses_every_term_and_no_other(sample_graph_file):
    used = _used(read_dataset(sample_graph_file))
    assert not used - NKG_TERMS, f"used but not declared: {sorted(used - NKG_TERMS)}"
    assert not NKG_TERMS - STATE_NEWS_TERMS - used, f"declared but unused on the sample: {sorted(NKG_TERMS - STATE_NEWS_TERMS - used)}"


def _sample_names() -> set[str]:
    gold = json.loads((ROOT / "tests" / "data" / "workers-daily-2022-11-theory.gold.json").read_text("utf-8"))
    names = {gold["page"]["column"]}
    for group in gold["entities"].values():
        for e in group:
            names.add(e["name"])
            names.update(e.get("aliases", ()))
    for a in gold["articles"]:
        names.add(a["title"])
    return {n for n in names if len(n) >= 2}


@pytest.mark.parametrize("path", [
    "ontology/newskg.ttl", "ontology/shapes.ttl", "kg/rdf/read.py", "kg/rdf/validate.py", "kg/store/query.py",
    "kg/store/results.py", "kg/store/sparql.py", "kg/store/store.py", "kg/commands/query.py", "kg/commands/validate.py", *sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "kg" / "store" / "queries").glob("*.rq")),
])
def test_ontology_no_sample_names_in_code_or_queries(path):
    # the one user question that asks for provincial unions and 劳动法律监督 may say so
    allowed = {"省总工会", "劳动法"} if path.endswith("provincial_union_law.rq") else set()
    text = (ROOT / path).read_text("utf-8")
    assert not [n for n in _sample_names() - allowed if n in text]
