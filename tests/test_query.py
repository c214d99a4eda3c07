"""SPARQL on graph files and oxigraph stores: formats, errors, timeout, updates and the competency questions."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kg.errors import GraphParseError, InputError, QueryError
from kg.rdf.read import read_dataset
from kg.store.catalog import QUERIES_DIR as QUERIES
from kg.store.query import answer_query, read_query, run_query
from kg.rdf.iris import short_name
from kg.store.results import Result, display_width, format_result, mime_type
from kg.store.store import build_store, open_store

ROOT = Path(__file__).resolve().parents[1]
PERSONS = "SELECT ?p ?name WHERE { ?p a schema:Person ; schema:name ?name } ORDER BY ?name"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?q ?r ?s }"


def _values(result: Result) -> list[tuple]:
    return [tuple(None if t is None else str(t) for t in row) for row in result.rows]


@pytest.mark.parametrize("suffix", [".ttl", ".trig", ".nq", ".nt", ".jsonld"])
def test_query_opens_every_graph_format(query_fixture_graph, tmp_path, suffix):
    ds = read_dataset(query_fixture_graph)
    path = tmp_path / f"graph{suffix}"
    if suffix in (".ttl", ".nt"):
        g = Graph()
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        g.serialize(path, format={".ttl": "turtle", ".nt": "nt"}[suffix], encoding="utf-8")
    else:
        ds.serialize(path, format={".trig": "trig", ".nq": "nquads", ".jsonld": "json-ld"}[suffix], encoding="utf-8")
    result = run_query(open_store(path), PERSONS)
    assert [row[1] for row in _values(result)] == ["刘景芝", "张冬梅", "张菁", "徐海荣", "王文珍", "田永坡", "苏炜"]


def test_query_union_of_named_graphs(query_store):
    # articles live in named graphs, their authors' names in the default graph
    result = run_query(query_store, "SELECT ?h ?n WHERE { ?a schema:headline ?h ; schema:author/schema:name ?n }")
    assert len(result.rows) == 4


def test_query_graph_parse_error_names_the_file(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text('<urn:a> <urn:b> "unterminated .\n', encoding="utf-8")
    with pytest.raises(GraphParseError, match=r"^\[E010\] .*broken\.ttl"):
        open_store(bad)


@pytest.mark.parametrize("name, error, why", [
    ("graph.xyz", InputError, r"^\[E006\] .*graph\.xyz: unknown input format '\.xyz'"),
    ("folder", GraphParseError, r"^\[E010\] .*folder: cannot parse graph \(folder is not an oxigraph store\)"),
])
def test_query_open_store_rejects_unknown_input(tmp_path, name, error, why):
    path = tmp_path / name
    path.mkdir() if name == "folder" else path.write_text("x", encoding="utf-8")
    with pytest.raises(error, match=why):
        open_store(path)
    with pytest.raises(InputError, match=r"\[E001\]"):
        open_store(tmp_path / "missing.ttl")


def test_query_build_store_from_files_and_dataset(query_fixture_graph, tmp_path):
    target = tmp_path / "out" / "store"
    assert build_store([query_fixture_graph], target) == target
    n = len(open_store(target))
    assert n == len(open_store(query_fixture_graph))
    # rebuilding from an rdflib dataset replaces the store; named graphs are kept
    build_store(read_dataset(query_fixture_graph), target)
    store = open_store(target, read_only=True)
    assert len(store) == n
    assert len(run_query(store, PERSONS).rows) == 7
    ask = run_query(store, "ASK { GRAPH ?g { ?a a schema:NewsArticle } }")
    assert ask.boolean is True
    assert sorted(p.name for p in target.parent.iterdir()) == ["store"]  # no temporary folders left
    # a folder holding store/ (a kg build output) opens too
    assert len(open_store(target.parent)) == n


def test_query_build_store_failure_keeps_the_old_store(query_fixture_graph, tmp_path):
    target = tmp_path / "store"
    build_store([query_fixture_graph], target)
    bad = tmp_path / "bad.nt"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(GraphParseError, match=r"\[E010\] .*bad\.nt"):
        build_store([query_fixture_graph, bad], target)
    assert len(run_query(open_store(target), PERSONS).rows) == 7
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.nt", "store"]


@pytest.mark.parametrize("text, line", [
    ("SELECT ?p\nWHERE {\n  ?p a schema:Person ;\n     schema:name ?n .\n  FILTER(?n = ) }", 5),
    ("SELECT ?p\nWHERE {\n  ?p a schema:Person ;\n     schema:name ?n ,, . }", 4),
    ("PREFIX x: <urn:x#>\nSELECT ?p WHERE { ?p a x:Y }\nGROUP BY", 3),
    ("SELECT ?x WHERE {\n ?x a undeclared:Thing }", 2),
])
def test_query_syntax_error_reports_line_and_column(query_store, text, line):
    with pytest.raises(QueryError) as caught:
        run_query(query_store, text)
    message = str(caught.value)
    assert message.startswith(f"[E011] query syntax error at line {line}, column ")
    assert "\n" not in message


def test_query_update_refused_unless_allowed(query_store):
    insert = 'INSERT DATA { <urn:x> a <https://schema.org/Person> ; <https://schema.org/name> "新人"@zh }'
    with pytest.raises(QueryError, match=r"^\[E013\]"):
        run_query(query_store, insert)
    assert run_query(query_store, "ASK { <urn:x> ?p ?o }").boolean is False


def test_query_update_allowed_changes_the_store(query_fixture_graph, tmp_path):
    store = open_store(query_fixture_graph)
    run_query(store, "INSERT DATA { <urn:x> <urn:p> 1 }", allow_update=True)
    assert run_query(store, "ASK { <urn:x> <urn:p> 1 }").boolean is True
    target = build_store([query_fixture_graph], tmp_path / "store")
    run_query(open_store(target), "DELETE WHERE { ?s a schema:Person ; ?p ?o }", allow_update=True, timeout=30)
    assert run_query(open_store(target, read_only=True), PERSONS).rows == []
    with pytest.raises(QueryError, match="read-only"):
        run_query(open_store(target, read_only=True), "CLEAR ALL", allow_update=True)


def test_query_timeout_stops_the_query(query_store):
    start = time.monotonic()
    with pytest.raises(QueryError, match=r"^\[E012\] query timed out after 0.5 s"):
        run_query(query_store, SLOW, timeout=0.5)
    assert time.monotonic() - start < 5
    assert multiprocessing.active_children() == []  # the worker was killed and reaped


def test_query_timeout_returns_answers_and_errors_from_the_worker(query_store):
    assert len(run_query(query_store, PERSONS, timeout=30).rows) == 7
    with pytest.raises(QueryError, match=r"\[E011\]"):
        run_query(query_store, "SELECT WHERE {", timeout=30)
    with pytest.raises(QueryError, match=r"\[E017\]"):
        run_query(query_store, PERSONS, timeout=0)


def test_query_command_timeout_exits(query_fixture_graph):
    script = ("import sys, importlib.util; from kg import cli; cli.COMMANDS = tuple(c for c in cli.COMMANDS "
              "if importlib.util.find_spec('kg.commands.' + c)); sys.exit(cli.main(sys.argv[1:]))")
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script, "query", str(query_fixture_graph), SLOW, "--timeout", "1"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().endswith("[E012] query timed out after 1 s")
    assert time.monotonic() - start < 20


def _starts(line: str, cells) -> list[int]:
    """Display columns where ``cells`` start in ``line``, searched left to right."""
    out, pos = [], 0
    for cell in cells:
        pos = line.index(cell, pos)
        out.append(display_width(line[:pos]))
        pos += len(cell)
    return out


def test_query_table_aligns_chinese_text():
    result = Result("select", vars=("name", "role", "n"), rows=[
        (Literal("张冬梅", lang="zh"), Literal("主席"), Literal(1)),
        (Literal("Li"), None, Literal(12)),
        (URIRef("https://w3id.org/newskg/id/organization/%E5%B7%A5%E4%BC%9A"), Literal("a\nb"), Literal(3)),
    ])
    lines = format_result(result, "table").splitlines()
    assert lines[-1] == "(3 rows)" and set(lines[1]) == {"-", " "}
    header = _starts(lines[0], ("name", "role", "n"))
    assert _starts(lines[2], ("张冬梅", "主席", "1")) == header
    assert _starts(lines[3], ("Li", "12")) == [header[0], header[2]]
    assert _starts(lines[4], ("id:organization/工会", "a↵b", "3")) == header
    assert _starts(lines[1], ("-", " -", " -")) == [0, header[1] - 1, header[2] - 1]


def test_query_table_clips_long_cells():
    result = Result("select", vars=("text",), rows=[(Literal("长" * 100),)])
    cell = format_result(result, "table", max_width=20).splitlines()[2]
    assert display_width(cell) <= 20 and cell.endswith("…")


@pytest.mark.parametrize("iri, short", [
    ("https://schema.org/Person", "schema:Person"),
    ("http://www.w3.org/ns/org#Membership", "org:Membership"),
    ("https://w3id.org/newskg/ontology#Measure", "nkg:Measure"),
    ("https://w3id.org/newskg/id/person/%E5%BC%A0", "id:person/张"),
    ("http://example.org/x", "<http://example.org/x>"),
])
def test_query_short_name(iri, short):
    assert short_name(iri) == short


def _written(store, text: str, fmt: str, **options) -> str:
    """The answer as ``kg query --format fmt`` writes it (pyoxigraph's serializers)."""
    return answer_query(store, text, lambda form: mime_type(fmt, form), **options).body.decode("utf-8")


@pytest.mark.parametrize("mime, fmt", [
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/csv; charset=utf-8", ox.QueryResultsFormat.CSV),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
])
def test_query_answer_round_trip(query_store, mime, fmt):
    text = ("SELECT ?p ?name ?n WHERE { ?p a schema:Person ; schema:name ?name "
            "OPTIONAL { ?p schema:affiliation ?n } } ORDER BY ?name")
    answer = answer_query(query_store, text, lambda form: mime)
    assert answer.form == "select" and answer.mime == mime
    if fmt == ox.QueryResultsFormat.CSV:  # lossy: oxigraph does not read it back
        rows = list(csv.DictReader(io.StringIO(answer.body.decode("utf-8"))))
        assert [r["name"] for r in rows][:2] == ["刘景芝", "张冬梅"] and rows[3]["n"] == ""
        return
    parsed = list(ox.parse_query_results(answer.body, format=fmt))
    assert len(parsed) == 7
    assert [str(s["name"].value) for s in parsed][:2] == ["刘景芝", "张冬梅"]
    assert parsed[0]["name"] == ox.Literal("刘景芝", language="zh")
    assert parsed[3]["n"] is None
    ask = answer_query(query_store, "ASK { ?p a schema:Person }", lambda form: mime).body
    if fmt in (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML):
        assert bool(ox.parse_query_results(ask, format=fmt)) is True


@pytest.mark.parametrize("mime, fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                       ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_query_construct_answers_as_rdf(query_store, mime, fmt):
    text = "CONSTRUCT { ?p schema:name ?n } WHERE { ?p a schema:Person ; schema:name ?n }"
    result = run_query(query_store, text)
    assert result.form == "construct" and len(result.graph) == 7
    assert len(Graph().parse(data=answer_query(query_store, text, lambda form: mime).body, format=fmt)) == 7
    with pytest.raises(QueryError, match=r"\[E015\]"):
        answer_query(query_store, text, lambda form: "text/csv")


def test_query_formats_csv_tsv_json(query_store):
    rows = list(csv.reader(io.StringIO(_written(query_store, PERSONS, "csv"))))
    assert rows[0] == ["p", "name"] and rows[1][1] == "刘景芝" and rows[1][0].startswith("https://")
    tsv = _written(query_store, PERSONS, "tsv").splitlines()
    assert tsv[0] == "?p\t?name" and tsv[1].endswith('\t"刘景芝"@zh')
    doc = json.loads(_written(query_store, PERSONS, "json"))
    assert doc["head"]["vars"] == ["p", "name"]
    assert doc["results"]["bindings"][0]["name"] == {"type": "literal", "value": "刘景芝", "xml:lang": "zh"}
    ask = run_query(query_store, "ASK { ?p a schema:Person }")
    assert format_result(ask, "table") == "true\n"
    assert json.loads(_written(query_store, "ASK { ?p a schema:Person }", "json")) == {"head": {}, "boolean": True}
    with pytest.raises(QueryError, match=r"\[E015\]"):
        format_result(run_query(query_store, PERSONS), "yaml")


def test_query_read_query(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("ASK {}", encoding="utf-8")
    assert read_query(str(path)) == "ASK {}"
    assert read_query("SELECT * WHERE { ?s ?p ?o }") == "SELECT * WHERE { ?s ?p ?o }"
    with pytest.raises(QueryError, match=r"^\[E014\] .*missing\.rq"):
        read_query(str(tmp_path / "missing.rq"))


def test_query_command(kg_cli, query_fixture_graph, tmp_path):
    code, out, err = kg_cli("query", query_fixture_graph, QUERIES / "authors_posts.rq")
    assert code == 0 and "山东省总工会" in out and out.rstrip().endswith("(5 rows)")
    code, out, _ = kg_cli("query", query_fixture_graph, PERSONS, "--format", "csv")
    assert code == 0 and out.startswith("p,name\r\n")
    code, _, err = kg_cli("query", query_fixture_graph, "SELECT ?x WHERE {\n ?x ?y")
    assert code == 2 and err.count("\n") == 1 and "[E011] query syntax error at line 2, column" in err
    code, _, err = kg_cli("query", query_fixture_graph, "DELETE WHERE { ?s ?p ?o }")
    assert code == 2 and "[E013]" in err
    code, out, err = kg_cli("query", query_fixture_graph, "DELETE WHERE { ?s ?p ?o }", "--allow-update")
    assert code == 0 and "in memory only" in err
    bad = tmp_path / "bad.trig"
    bad.write_text("<urn:a> {", encoding="utf-8")
    code, _, err = kg_cli("query", bad, PERSONS)
    assert code == 2 and "[E010]" in err and "bad.trig" in err
    code, _, err = kg_cli("query", query_fixture_graph, tmp_path / "none.rq")
    assert code == 2 and "[E014]" in err
    store = build_store([query_fixture_graph], tmp_path / "store")
    code, out, _ = kg_cli("query", store, PERSONS, "--format", "json")
    assert code == 0 and len(json.loads(out)["results"]["bindings"]) == 7


# ---- the competency questions (queries/*.rq) on the hand-made dataset

ZD, SW, LJZ, XHR, WWZ, TYP = "张冬梅", "苏炜", "刘景芝", "徐海荣", "王文珍", "田永坡"
SYMPOSIUM = "学习宣传贯彻党的二十大精神座谈会"
WWZ_ORG, TYP_ORG = "中国劳动和社会保障科学研究院", "中国人事科学研究院人力资源市场研究室"

EXPECTED = {
    # query: (columns compared, expected rows in the query's order)
    "authors_posts": (("name", "role", "organizationName"), [
        (LJZ, None, None), (ZD, None, None), (XHR, "部长", "中共山东省委统战部"), (XHR, "主席", "山东省总工会"),
        (SW, None, None)]),
    "org_parents": (("name", "parentName", "topName"), [
        ("中共山东省委统战部", "中共山东省委", "中共山东省委"), (TYP_ORG, "中国人事科学研究院", "中国人事科学研究院")]),
    "top_policies": (("name", "kind", "articles"), [
        ("劳动法", "https://w3id.org/newskg/ontology#Law", "2"),
        ("两个确立", "https://w3id.org/newskg/ontology#Formulation", "1"),
        ("制造强国战略", "https://w3id.org/newskg/ontology#Strategy", "1"),
        ("学分银行", "https://w3id.org/newskg/ontology#Programme", "1"),
        ("工会劳动法律监督条例", "https://w3id.org/newskg/ontology#Regulation", "1"),
        ("工会法", "https://w3id.org/newskg/ontology#Law", "1"),
        ("现代学徒制", "https://w3id.org/newskg/ontology#System", "1")]),
    "measures_by_actor": (("actorName", "position", "description"), [
        ("企业", "1", "全面推广现代学徒制"), ("企业", "2", "依托企业建设一批产业工人技能实训基地，探索学分银行"),
        ("基层工会", "1", "切实提高基层工会建会率，加强工会劳动法律监督的组织建设")]),
    "event_speakers": (("eventName", "date", "speakerName", "role", "institutionName"), [
        (SYMPOSIUM, "--11-10", WWZ, "研究员", WWZ_ORG), (SYMPOSIUM, "--11-10", TYP, "主任", TYP_ORG)]),
    "symposium_speakers": (("speakerName", "roles", "institutions", "statement"), [
        (WWZ, "研究员", WWZ_ORG, "要完善劳动标准体系。"), (TYP, "主任", TYP_ORG, "要畅通人力资源流动渠道。")]),
    "provincial_union_law": (("name", "role", "union", "aboutSupervision"), [
        (XHR, "主席", "山东省总工会", "false")]),
    "article_measures_policies": (("position", "description", "policies"), [
        ("1", "切实提高基层工会建会率，加强工会劳动法律监督的组织建设", "工会劳动法律监督条例"),
        ("1", "全面推广现代学徒制", "现代学徒制"),
        ("2", "依托企业建设一批产业工人技能实训基地，探索学分银行", "学分银行"),
        ("1", "深刻领会大会的重大意义，坚定拥护“两个确立”", "两个确立")]),
    # posts, participants and documents passed (tests/test_queries_state.py asks them of a dev set)
    "post_holders_in_year": (("post", "reportedOn", "name", "organizationName", "status"), [
        ("主任", None, TYP, TYP_ORG, "current"), ("主席", None, XHR, "山东省总工会", "current"),
        ("研究员", None, WWZ, WWZ_ORG, "current"), ("部长", None, XHR, "中共山东省委统战部", "current")]),
    "person_posts": (("person", "role", "organizationName", "status", "reports"), [
        (XHR, "部长", "中共山东省委统战部", "current", "0"), (XHR, "主席", "山东省总工会", "current", "0"),
        (WWZ, "研究员", WWZ_ORG, "current", "0"), (TYP, "主任", TYP_ORG, "current", "0")]),
    "person_meetings": (("person", "date", "eventName", "role"), [
        (WWZ, "--11-10", SYMPOSIUM, "speaker"), (TYP, "--11-10", SYMPOSIUM, "speaker")]),
    "meeting_attendees": (("eventName", "role", "name"), [(SYMPOSIUM, "speaker", WWZ), (SYMPOSIUM, "speaker", TYP)]),
    "documents_passed": (("eventName", "documentName"), []),
}


def _answer(store, name: str, columns) -> list[tuple]:
    result = run_query(store, read_query(str(QUERIES / f"{name}.rq")))
    index = [result.vars.index(c) for c in columns]
    return [tuple(row[i] for i in index) for row in _values(result)]


def test_query_every_rq_file_is_tested():
    assert sorted(p.stem for p in QUERIES.glob("*.rq")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_query_competency_question(query_store, name):
    columns, rows = EXPECTED[name]
    assert _answer(query_store, name, columns) == rows


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_query_competency_header_in_english_and_chinese(name):
    header = [line for line in (QUERIES / f"{name}.rq").read_text("utf-8").splitlines() if line.startswith("#")]
    assert len(header) >= 4
    assert any(line.isascii() and len(line) > 20 for line in header)
    assert any(display_width(line) > len(line) + 5 for line in header)  # a line in Chinese


def test_query_provincial_union_law_flags_articles_on_supervision(query_fixture_graph):
    # the union official's article gets an opinion box on labour-law supervision
    store = open_store(query_fixture_graph)
    article = "<https://w3id.org/newskg/id/article/p1-3>"
    assert run_query(store, f'ASK {{ {article} schema:author/schema:name "徐海荣"@zh }}').boolean
    run_query(store, f'INSERT DATA {{ {article} schema:abstract "加强工会劳动法律监督"@zh }}', allow_update=True)
    assert _answer(store, "provincial_union_law", ("name", "aboutSupervision")) == [(XHR, "true")]


# ---- the competency questions on the sample page as `kg build` makes it (checked against the gold annotation)


def _pairs(rows, a=0, b=1) -> set:
    return {(r[a], r[b]) for r in rows}


def test_query_built_authors_posts(sample_store, gold):
    rows = _answer(sample_store, "authors_posts", ("name", "role", "organizationName"))
    authors = {a for art in gold["articles"] for a in art["authors"]}
    assert {r[0] for r in rows} == authors
    posts = {(p, r, o) for p, r, o in gold["relations"]["position"] if p in authors}
    assert posts <= set(rows)


def test_query_built_org_parents(sample_store, gold):
    rows = _answer(sample_store, "org_parents", ("name", "parentName"))
    assert set(map(tuple, gold["relations"]["parent_organization"])) <= _pairs(rows)


def test_query_built_top_policies(sample_store, gold):
    rows = _answer(sample_store, "top_policies", ("name", "articles"))
    names = {p["name"] for p in gold["entities"]["Policy"]} | set(gold["optional"]["Policy"])
    # the gold does not list 人类命运共同体, a formulation the sample names and newskg finds
    assert rows and {r[0] for r in rows} - names <= {"人类命运共同体"}
    assert [int(r[1]) for r in rows] == sorted((int(r[1]) for r in rows), reverse=True)


def test_query_built_article_measures_policies(sample_store, gold):
    rows = _answer(sample_store, "article_measures_policies", ("headline", "description"))
    for art in gold["articles"]:
        got = [d for h, d in rows if h == art["title"]]
        assert len(got) == len(art["measures"]), art["id"]


def test_query_built_event_and_symposium_speakers(sample_store, gold):
    speakers = {s for _, s in gold["relations"]["speaker"]}
    posts = {(p, o) for p, _, o in gold["relations"]["position"] if p in speakers}
    rows = _answer(sample_store, "event_speakers", ("speakerName", "institutionName"))
    assert posts <= _pairs(rows)
    rows = _answer(sample_store, "symposium_speakers", ("speakerName", "institutions"))
    assert {r[0] for r in rows} == speakers
    assert all(any(o in (inst or "") for p2, o in posts if p2 == p) for p, inst in rows)


def test_query_built_provincial_union_law(sample_store):
    rows = _answer(sample_store, "provincial_union_law", ("name", "role", "union", "aboutSupervision"))
    assert ("徐海荣", "主席", "山东省总工会", "false") in rows


def _normalized(rows) -> list[tuple]:
    """Rows with GROUP_CONCAT lists sorted (their order is not defined) and the rows sorted."""
    return sorted(tuple("、".join(sorted(c.split("、"))) if c else "" for c in row) for row in rows)


# ---- SELECT * order, LIMIT that cuts, standard input, endpoints (issue 16)

STAR = "SELECT * WHERE { ?s schema:name ?name . ?s a ?type } ORDER BY ?name ?type"


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_query_select_star_keeps_the_query_order(query_fixture_graph, kg_cli, fmt):
    code, out, err = kg_cli("query", query_fixture_graph, STAR, "--format", fmt)
    assert code == 0, err
    if fmt == "json":
        assert json.loads(out)["head"]["vars"] == ["s", "name", "type"]
    else:
        first = out.splitlines()[0]
        assert first.split("\t" if fmt == "tsv" else "," if fmt == "csv" else None) == {
            "tsv": ["?s", "?name", "?type"]}.get(fmt, ["s", "name", "type"])
    result = run_query(open_store(query_fixture_graph), STAR)
    assert result.vars == ("s", "name", "type")
    assert all(isinstance(row[1], Literal) and isinstance(row[2], URIRef) for row in result.rows)


@pytest.mark.parametrize("limit, more", [(1, True), (1000, False)])
def test_query_says_when_the_limit_cut_the_answer(query_fixture_graph, kg_cli, limit, more):
    text = f"SELECT ?p WHERE {{ ?p a schema:Person }} ORDER BY ?p LIMIT {limit}"
    full = run_query(open_store(query_fixture_graph), text.rsplit(" LIMIT", 1)[0])
    result = run_query(open_store(query_fixture_graph), text, see_past_limit=True)
    assert result.rows == full.rows[:limit] and result.more is more
    code, out, err = kg_cli("query", query_fixture_graph, text)
    assert code == 0
    assert ("[W131] the query's LIMIT 1 cut the answer" in err) is more
    assert ("cut by the query's LIMIT" in out) is more
    code, out, err = kg_cli("query", query_fixture_graph, text, "--format", "csv")
    assert code == 0 and len(out.splitlines()) == 1 + min(limit, len(full.rows))
    assert ("[W131] the query's LIMIT 1 cut the answer" in err) is more


def test_query_top_policies_says_its_limit(sample_graph_dir, kg_cli):
    text = (QUERIES / "top_policies.rq").read_text(encoding="utf-8")
    assert "LIMIT 20" in text and "first 20" in text.split("PREFIX")[0]  # the header says it cuts
    code, out, err = kg_cli("query", sample_graph_dir, QUERIES / "top_policies.rq")
    assert code == 0, err
    rows = int(out.strip().splitlines()[-1].strip("(").split()[0])
    assert ("[W131]" in err) is (rows == 20)


def test_query_reads_the_query_from_standard_input(query_fixture_graph, kg_cli, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(PERSONS))
    code, out, err = kg_cli("query", query_fixture_graph, "-", "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0] == "p,name" and len(out.splitlines()) > 1


def test_query_standard_input_in_a_shell(query_fixture_graph):
    proc = subprocess.run([sys.executable, "-m", "kg", "query", str(query_fixture_graph), "-", "-f", "tsv"],
                          input=PERSONS, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("?p\t?name\n")


def test_query_extract_reads_standard_input(kg_cli, monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO("张三在北京工作。\n".encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, err = kg_cli("extract", "-")
    assert code == 0, err
    assert [json.loads(line)["text"] for line in out.splitlines()] == ["张三", "北京"]


def test_query_endpoint_answers_like_the_store(served_store, query_fixture_graph, sparql_server, kg_cli):
    server = sparql_server(served_store, timeout=10)
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    for fmt in ("table", "csv", "tsv", "json"):
        for text in (PERSONS, STAR, "ASK { ?s a schema:Person }"):
            local = kg_cli("query", query_fixture_graph, text, "--format", fmt)
            remote = kg_cli("query", url, text, "--format", fmt)
            assert remote == local, (fmt, text)
    code, out, _ = kg_cli("query", url, "CONSTRUCT { ?p a schema:Person } WHERE { ?p a schema:Person }", "-f", "csv")
    assert code == 0 and out.count(" .\n") == len(run_query(served_store, PERSONS).rows)


@pytest.mark.parametrize("status, body, code", [
    (400, b"<html><body>Parse error: unexpected }</body></html>", "E131"),
    (500, b"store broken", "E131"),
    (302, b"", "E134"),
    (200, b"<html>not results</html>", "E133"),
])
def test_query_endpoint_errors_are_one_line(stub_endpoint, kg_cli, status, body, code):
    url, seen = stub_endpoint([status], body, headers={"Location": "/elsewhere"}, ctype="text/html")
    url = url.replace("/store", "/query")
    got, out, err = kg_cli("query", url, "SELECT * { ?s ?p ?o }")
    assert got != 0 and out == ""
    line = err.strip()
    assert "\n" not in line and f"[{code}]" in line, err
    if status == 400:
        assert "Parse error: unexpected }" in line
    method, path, sent = seen[0]
    # the columns of SELECT * named in the query's order, so that every store answers them so
    assert (method, path, sent) == ("POST", "/query", b"query=SELECT+%3Fs+%3Fp+%3Fo+%7B+%3Fs+%3Fp+%3Fo+%7D")


def test_query_endpoint_unreachable_and_timeout(kg_cli):
    from http.server import BaseHTTPRequestHandler, HTTPServer
    import threading

    from conftest import free_port

    got, _, err = kg_cli("query", f"http://127.0.0.1:{free_port()}/query", "ASK {}")
    assert got != 0 and "[E130] cannot reach SPARQL endpoint" in err

    class Slow(BaseHTTPRequestHandler):
        def do_POST(self):
            time.sleep(3)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.handle_request, daemon=True).start()
    try:
        start = time.monotonic()
        got, _, err = kg_cli("query", f"http://127.0.0.1:{server.server_address[1]}/q", "ASK {}", "--timeout", "0.5")
        assert got != 0 and "[E132]" in err and time.monotonic() - start < 2.5
    finally:
        server.server_close()


@pytest.mark.parametrize("text, code", [
    ("SELECT * { " + "{" * 300 + "}" * 300 + " }", "E101"),
    ("SELECT * { ?s ?p \x00 }", "E103"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "E013"),
])
def test_query_endpoint_checks_the_query_first(stub_endpoint, kg_cli, text, code):
    url, seen = stub_endpoint([200])
    got, _, err = kg_cli("query", url, text)
    assert got != 0 and f"[{code}]" in err and seen == []


def test_query_endpoint_leaves_service_to_the_remote_store(stub_endpoint, kg_cli):
    empty = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
    url, seen = stub_endpoint([200], empty, ctype="application/sparql-results+json")
    got, out, err = kg_cli("query", url, "SELECT ?s { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert got == 0, err
    assert len(seen) == 1 and out.startswith("s\n")


# ---- parameters, shipped queries by name, the same rows everywhere (issue 23)

#: (shipped query, parameters, column, the value every row has there) on the hand-made dataset
PARAMETERS = [
    ("person_posts", {"person": XHR}, "person", XHR),
    ("person_meetings", {"person": TYP}, "person", TYP),
    ("meeting_attendees", {"meeting": "座谈会"}, "eventName", SYMPOSIUM),
    ("post_holders_in_year", {"post": "主席", "body": "总工会"}, "organizationName", "山东省总工会"),
]


@pytest.mark.parametrize("name, params, column, value", PARAMETERS)
def test_query_param_selects_the_rows(query_store, name, params, column, value):
    text = read_query(str(QUERIES / f"{name}.rq"))
    result = run_query(query_store, text, params=params)
    values = [str(row[result.vars.index(column)]) for row in result.rows]
    assert values and set(values) == {value}
    assert run_query(query_store, text, params={k: "无此名" for k in params}).rows == []


@pytest.mark.parametrize("value", [
    '徐海荣" } ; DROP ALL #', "徐海荣' }}}", '\\" ) } UNION { ?a ?b ?c', "<https://w3id.org/newskg/id/person/徐海荣>",
    "徐海荣\n} # 换行",
])
def test_query_param_is_a_term_never_query_text(query_fixture_graph, sparql_server, value):
    store = open_store(query_fixture_graph)
    text = read_query(str(QUERIES / "person_posts.rq"))
    assert run_query(store, text, params={"person": value}).rows == []
    served = sparql_server(open_store(query_fixture_graph, read_only=True), timeout=30)
    from kg.store.remote import query_endpoint

    assert query_endpoint(served.url, text, params={"person": value}).rows == []
    assert len(run_query(store, PERSONS).rows) == 7  # nothing dropped


@pytest.mark.parametrize("params, error", [
    ({"who": "徐海荣"}, r"^\[E104\] the query has no parameter 'who'; its parameters: person@zh \(the person's name"),
    ({"person": "徐海荣", "year": "2024"}, r"^\[E104\] .*'year'"),
])
def test_query_param_unknown_lists_the_parameters(query_store, params, error):
    with pytest.raises(QueryError, match=error):
        run_query(query_store, read_query(str(QUERIES / "person_posts.rq")), params=params)


def test_query_param_missing_or_not_projected(query_store):
    text = "# @param year required a year\n# @param who\nSELECT ?year ?p WHERE { ?p a schema:Person }"
    with pytest.raises(QueryError, match=r"^\[E105\] the query needs a value for year .*year \(required: a year\), who"):
        run_query(query_store, text)
    with pytest.raises(QueryError, match=r"^\[E106\] parameter 'who': the SELECT does not project it"):
        run_query(query_store, text, params={"year": "2024", "who": "x"})
    assert run_query(query_store, text, params={"year": "2024"}).rows[0][0] == Literal("2024")


def test_query_command_runs_a_shipped_query_by_name(kg_cli, query_fixture_graph):
    code, out, err = kg_cli("query", query_fixture_graph, "person_posts", "--param", f"person={XHR}", "-f", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["person"] for r in rows} == {XHR} and {r["organizationName"] for r in rows} >= {"山东省总工会"}
    code, _, err = kg_cli("query", query_fixture_graph, "person_post")
    assert code == 2 and "[E108] no query named 'person_post'" in err and "person_posts" in err
    code, _, err = kg_cli("query", query_fixture_graph, "person_posts", "--param", "person")
    assert code == 2 and "[E109]" in err
    code, _, err = kg_cli("query", query_fixture_graph, "person_posts", "--param", "who=x")
    assert code == 2 and err.count("\n") == 1 and "[E104]" in err and "person@zh" in err


def test_query_command_lists_the_shipped_queries(kg_cli):
    code, out, _ = kg_cli("query", "--list")
    assert code == 0
    blocks = {b.splitlines()[0]: b for b in out.strip().split("\n\n")}
    assert sorted(blocks) == sorted(p.stem for p in QUERIES.glob("*.rq"))
    assert "A person's posts over time" in blocks["person_posts"]
    assert "--param person=…  the person's name" in blocks["person_posts"]
    assert all(f"--param {n}=…" in blocks["post_holders_in_year"] for n in ("post", "year", "body"))
    code, _, err = kg_cli("query")
    assert code == 2 and "[E092]" in err


def test_query_every_shipped_query_declares_what_it_binds():
    from kg.store.sparql import parse

    for path in sorted(QUERIES.glob("*.rq")):
        parsed = parse(path.read_text(encoding="utf-8"))
        assert parsed.warnings == (), (path.name, parsed.warnings)
        assert all(p.name in parsed.projection for p in parsed.params), path.name  # SPARQL binds projected ones


def _rows_csv(out: str) -> list[tuple]:
    return _normalized(list(csv.reader(io.StringIO(out)))[1:])


CASES = [(p.stem, {}) for p in sorted(QUERIES.glob("*.rq"))] + [(n, params) for n, params, _, _ in PARAMETERS]


@pytest.mark.parametrize("name, params", CASES, ids=[f"{n}-{'-'.join(p.values())}" for n, p in CASES])
def test_query_same_rows_from_a_build_its_store_and_an_endpoint(sample_graph_dir, sparql_server, kg_cli, name, params):
    argv = [name, *[f"--param={k}={v}" for k, v in params.items()], "--format", "csv"]
    answers = {}
    server = sparql_server(open_store(sample_graph_dir / "store", read_only=True), timeout=30)
    for target in (sample_graph_dir, sample_graph_dir / "store", sample_graph_dir / "graph.trig", server.url):
        code, out, err = kg_cli("query", target, *argv)
        assert code == 0, (target, err)
        answers[str(target)] = _rows_csv(out)
    assert len({tuple(rows) for rows in answers.values()}) == 1, answers


def test_query_endpoint_is_sent_the_standard_prefixes(stub_endpoint, kg_cli):
    empty = b'{"head": {"vars": ["p"]}, "results": {"bindings": []}}'
    url, seen = stub_endpoint([200], empty, ctype="application/sparql-results+json")
    code, _, err = kg_cli("query", url, "SELECT ?p WHERE {\n ?p a schema:Person ; nkg:former true }")
    assert code == 0, err
    sent = urllib.parse.parse_qs(seen[0][2].decode("ascii"))["query"][0]
    assert sent == ("PREFIX schema: <https://schema.org/> PREFIX nkg: <https://w3id.org/newskg/ontology#> "
                    "SELECT ?p WHERE {\n ?p a schema:Person ; nkg:former true }")


def test_query_command_warns_of_typos_and_names_the_prefix(kg_cli, query_fixture_graph):
    code, out, err = kg_cli("query", query_fixture_graph, "SELECT ?nmae WHERE { ?p a schema:Persn ; schema:name ?name }")
    assert code == 0 and out.rstrip().endswith("(0 rows)")
    assert "[W132] line 1, column 27: schema:Persn is not a term of schema.org (did you mean schema:Person?)" in err
    assert "[W133] ?nmae is projected but never bound by the pattern (did you mean ?name?)" in err
    code, _, err = kg_cli("query", query_fixture_graph, "SELECT ?x WHERE {\n ?x a shema:Person }")
    assert code == 2 and "[E011] query syntax error at line 2, column 7: prefix shema: is not declared" in err
    code, _, err = kg_cli("query", query_fixture_graph, "SELEC ?x WHERE { ?x ?p ?o }")
    assert code == 2 and "SELEC is not a SPARQL keyword (did you mean SELECT?)" in err


# ---- answers without end (issue 20)

def test_query_endpoint_endless_answer_is_cut_at_the_cap(hostile_endpoint, kg_cli, monkeypatch):
    import kg.store.remote

    monkeypatch.setattr(kg.store.remote, "MAX_ANSWER_BYTES", 1 << 20, raising=False)
    url = hostile_endpoint("endless", limit=32 << 20)
    code, _, err = kg_cli("query", f"{url}/query", "SELECT * { ?s ?p ?o }", "--timeout", "20")
    assert code == 2 and err.count("\n") == 1
    assert "[E135]" in err and "answer too large" in err and "1,048,576 bytes" in err


@pytest.mark.parametrize("mode", ["drip", "drip-headers"])
def test_query_endpoint_timeout_is_a_deadline_for_the_whole_answer(hostile_endpoint, kg_cli, mode):
    """A server that sends a byte now and then does not keep --timeout 1 waiting."""
    url = hostile_endpoint(mode, every=0.2, seconds=15)
    start = time.monotonic()
    code, _, err = kg_cli("query", f"{url}/query", "ASK {}", "--timeout", "1")
    assert time.monotonic() - start < 4
    assert code == 2 and "[E132]" in err and "1 s" in err
