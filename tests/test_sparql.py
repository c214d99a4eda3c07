"""Reading SPARQL with a real parser: form, projection, LIMIT, prefixes, parameters, rewrites and what a typo gets."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg.errors import QueryError
from kg.store.sparql import Param, bind, check_text, declared_params, parse, rewrite


@pytest.mark.parametrize("text, form", [
    ("SELECT * WHERE { ?s ?p ?o }", "select"),
    ("  # comment\nPREFIX a1: <urn:a#>\nBASE <urn:b>\nselect ?x {}", "select"),
    ("ASK { ?s ?p ?o }", "ask"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "construct"),
    ("DESCRIBE <urn:a>", "construct"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "update"),
    ("PREFIX nkg: <https://w3id.org/newskg/ontology#>\nDELETE WHERE { ?s a nkg:Page }", "update"),
    ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "update"),
    ("clear all", "update"),
    ("LOAD <http://example.org/x.ttl>", "update"),
    ("DROP GRAPH <urn:g>", "update"),
])
def test_sparql_form(text, form):
    assert parse(text).form == form


@pytest.mark.parametrize("text, order", [
    ("SELECT * WHERE { ?z ?p ?a . OPTIONAL { ?a ?q ?b } }", ("z", "p", "a", "q", "b")),
    ("SELECT * { { SELECT ?y { ?y ?q ?x } } BIND(1 AS ?k) }", ("y", "q", "x", "k")),
    ("SELECT ?b ?a WHERE { ?a ?p ?b }", ("b", "a", "p")),
])
def test_sparql_variables_in_the_order_the_query_names_them(text, order):
    assert parse(text).order == order


@pytest.mark.parametrize("text, limit, rewritten", [
    ("SELECT * { ?s ?p ?o } LIMIT 5", 5, "SELECT * { ?s ?p ?o } LIMIT 6"),
    ("SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 5 } } ORDER BY ?s LIMIT 10 OFFSET 2", 10,
     "SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 5 } } ORDER BY ?s LIMIT 11 OFFSET 2"),
    ("SELECT * { ?s ?p 'LIMIT 3' } OFFSET 1 LIMIT 3 # LIMIT 4", 3, "SELECT * { ?s ?p 'LIMIT 3' } OFFSET 1 LIMIT 4 # LIMIT 4"),
    ("SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 5 } }", None, "SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 5 } }"),
])
def test_sparql_final_limit(text, limit, rewritten):
    parsed = parse(text)
    assert parsed.limit == limit
    assert rewrite(parsed, limit=None if limit is None else limit + 1) == rewritten


def test_sparql_star_projection_rewritten_at_its_star():
    parsed = parse("SELECT DISTINCT * WHERE { ?s ?p '*' } # SELECT *")
    assert parsed.star and rewrite(parsed, projection=("s", "p")) == "SELECT DISTINCT ?s ?p WHERE { ?s ?p '*' } # SELECT *"
    assert not parse("SELECT ?s WHERE { { SELECT * { ?s ?p ?o } } }").star


def test_sparql_values_block_opens_the_where_pattern():
    construct = parse("# @param o\nCONSTRUCT { ?s <urn:p> ?o } WHERE { ?s ?p ?o }")
    assert rewrite(construct, values={"o": ox.Literal("x")}) == (
        '# @param o\nCONSTRUCT { ?s <urn:p> ?o } WHERE { VALUES (?o) { ("x") } ?s ?p ?o }')
    short = parse("# @param o\nCONSTRUCT WHERE { ?s ?p ?o }")
    assert rewrite(short, values={"o": ox.Literal("x")}) == '# @param o\nCONSTRUCT WHERE { VALUES (?o) { ("x") } ?s ?p ?o }'
    with pytest.raises(QueryError, match=r"^\[E106\] parameter 'x': the query has no WHERE pattern"):
        rewrite(parse("# @param x\nDESCRIBE <urn:a>"), values={"x": ox.Literal("y")})


@given(st.text(max_size=40))
@example("\\U0000")  # an escaped backslash before U: no code point escape (rdflib read one)
@settings(max_examples=200, deadline=None)
def test_sparql_a_value_stays_one_term(value):
    """Whatever a value holds (quotes, braces, backslashes, line breaks), the endpoint's text reads it back as that term."""
    parsed = parse("# @param who@zh\nSELECT ?s ?who WHERE { ?s ?p ?who }")
    terms = bind(parsed, {"who": value})
    text = rewrite(parsed, values=terms)
    check_text(text)
    again = parse(text)
    assert again.form == "select" and again.order == ("s", "who", "p")
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal(value, language="zh")))
    assert [s["who"] for s in store.query(text)] == [ox.Literal(value, language="zh")]


def test_sparql_declared_params():
    text = ("# @param person@zh  the person's name\n#@param org:iri required the body\n"
            "# @param year\nSELECT ?person ?org ?year {}")
    assert declared_params(text) == (Param("person", "zh", False, False, "the person's name"),
                                     Param("org", None, True, True, "the body"), Param("year"))
    terms = bind(parse(text), {"org": "https://w3id.org/newskg/id/organization/x", "year": "2024"})
    assert terms == {"org": ox.NamedNode("https://w3id.org/newskg/id/organization/x"), "year": ox.Literal("2024")}
    with pytest.raises(QueryError, match=r"^\[E106\] parameter 'org': 'not an iri' is not an IRI"):
        bind(parse(text), {"org": "not an iri"})


@pytest.mark.parametrize("text, where, why", [
    ("SELEC ?x WHERE { ?x ?p ?o }", (1, 1), "SELEC is not a SPARQL keyword (did you mean SELECT?)"),
    ("SELECT ?x WHERE { ?x ?p ?o . FILTR(?x) }", (1, 30), "FILTR is not a SPARQL keyword (did you mean FILTER?)"),
    ("SELECT ?x WHERE { ?x ?p ?o } LIMT 5", (1, 30), "LIMT is not a SPARQL keyword (did you mean LIMIT?)"),
    ("SELECT ?x WHERE {\n  ?x a undeclared:Thing }", (2, 8), "prefix undeclared: is not declared"),
    ("SELECT ?x WHERE { ?x ?p ?o ", (1, 27), "the query ends too soon"),
    ("PREFIX x: <urn:x#>\nSELECT ?p WHERE { ?p a x:Y }\nGROUP BY", (3, 1), "unexpected GROUP"),
    ("# nothing but a comment\n", (1, 1), "the query is empty"),
    ("PREFIX x: <urn:x#>", (1, 19), "the query ends too soon"),
])
def test_sparql_syntax_error_says_where_and_what(text, where, why):
    with pytest.raises(QueryError) as caught:
        parse(text)
    message = str(caught.value)
    assert message.startswith(f"[E011] query syntax error at line {where[0]}, column {where[1]}: {why}"), message


@pytest.mark.parametrize("text, warnings", [
    ("SELECT ?p WHERE { ?p a schema:Persn }", ["schema:Persn is not a term of schema.org (did you mean schema:Person?)"]),
    ("SELECT ?p WHERE { ?e nkg:speker ?p }", ["nkg:speker is not a term of the newskg ontology (did you mean nkg:speaker?)"]),
    ("SELECT ?p WHERE { ?m org:membr ?p }", ["org:membr is not a term of the W3C Organization Ontology (did you mean org:member?)"]),
    ("SELECT ?p WHERE { ?p <https://schema.org/nmae> ?n }", ["<https://schema.org/nmae> is not a term of schema.org (did you mean schema:name?)"]),
    ("PREFIX s: <https://schema.org/> SELECT ?p WHERE { ?p a s:person }", ["s:person is not a term of schema.org (did you mean schema:Person?)"]),
    ("SELECT ?nmae WHERE { ?p schema:name ?name }", ["?nmae is projected but never bound by the pattern (did you mean ?name?)"]),
    ("SELECT ?p (COUNT(?x) AS ?n) WHERE { ?p schema:name ?x } GROUP BY ?p", []),
    ("SELECT ?p WHERE { ?p a schema:Person ; nkg:former true ; prov:wasDerivedFrom ?s . ?s nif:anchorOf ?t }", []),
    ("# @param who\nSELECT ?who ?p WHERE { ?p schema:name ?n FILTER(?n = ?who) }", []),
])
def test_sparql_warns_of_unknown_terms_and_unbound_columns(text, warnings):
    got = parse(text).warnings
    assert len(got) == len(warnings) and all(w in g for w, g in zip(warnings, got)), got
