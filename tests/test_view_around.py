"""kg view --around: the neighbourhood of one node in a whole store, its dates and timeline, in Chromium;
IRIs shown and copied exactly as the graph has them, and found again by kg query."""

from __future__ import annotations

import csv
import io
import time
from collections import Counter

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal

from kg.errors import InputError
from kg.export.around import DateRange, around_view, find_node
from kg.export.html import write_html
from kg.rdf.vocab import ID, RDF, SCHEMA

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

SETTLED = "window.kgView && window.kgView.stabilized"
P = "PREFIX schema: <https://schema.org/> PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#> "


def _rows(store, query: str) -> list:
    return list(ox.Store.read_only(str(store)).query(P + query, use_default_graph_as_union=True))


@pytest.fixture(scope="module")
def busy_person(xwlb300_store) -> tuple[str, str]:
    """(name, IRI) of the person the most articles of the store mention, with one name."""
    rows = _rows(xwlb300_store, "SELECT ?n (SAMPLE(?name) AS ?nm) (COUNT(DISTINCT ?a) AS ?c) WHERE { "
                 "?a schema:mentions ?n . ?n a schema:Person ; schema:name ?name } GROUP BY ?n ORDER BY DESC(?c) ?n")
    for row in rows:
        name = row["nm"].value
        if len(_rows(xwlb300_store, f'SELECT ?x WHERE {{ ?x schema:name|schema:alternateName "{name}"@zh }}')) == 1:
            return name, row["n"].value
    pytest.fail("no person of the 300 items has a name of their own: the store lost its people or their names")


def _open(browser, path) -> dict:
    browser.errors.clear()
    browser.requests.clear()
    browser.open(path)
    browser.wait_for(SETTLED, timeout=60)
    return browser.eval("kgView.data")


@pytest.mark.parametrize("start, end, date, held", [
    ("2023-02", "2023-03", "2023-02-01", True), ("2023-02", "2023-03", "2023-03-31", True),
    ("2023-02", "2023-03", "2023-04-01", False), ("2023", None, "2022-12-31", False), (None, "2023", "2023-12-31", True),
    ("2023-02-10", "2023-02-10", "2023-02-10", True), ("2023-02-10", None, None, False), (None, None, None, True),
])
def test_view_around_date_range_holds(start, end, date, held):
    assert DateRange.of(start, end).holds(date) is held


@pytest.mark.parametrize("start, end, code", [("2023-13", None, "E150"), (None, "yesterday", "E150"),
                                              ("2023-02-30", None, "E150"), ("2023-05", "2023-04", "E151")])
def test_view_around_date_range_refuses(start, end, code):
    with pytest.raises(InputError, match=code):
        DateRange.of(start, end)


def test_view_around_find_node_by_name_iri_and_close_names():
    s = ox.Store()
    t, n, alt = (ox.NamedNode(str(x)) for x in (RDF.type, SCHEMA.name, SCHEMA.alternateName))
    for key, name, cls in (("a", "某市总工会", SCHEMA.Organization), ("b", "某市总工会", SCHEMA.Place),
                           ("c", "某省工会", SCHEMA.Organization)):
        node = ox.NamedNode(f"urn:x:{key}")
        s.add(ox.Quad(node, t, ox.NamedNode(str(cls))))
        s.add(ox.Quad(node, n, ox.Literal(name, language="zh")))
    s.add(ox.Quad(ox.NamedNode("urn:x:c"), alt, ox.Literal("省工会", language="zh")))
    assert find_node(s, "省工会") == "urn:x:c" and find_node(s, "<urn:x:a>") == "urn:x:a"
    with pytest.raises(InputError, match=r"E152.*urn:x:a, urn:x:b"):
        find_node(s, "某市总工会")
    with pytest.raises(InputError, match=r"E060.*close names: .*某省工会"):
        find_node(s, "某省总工会")


@pytest.mark.parametrize("name", ["", "   ", "<>"])
def test_view_around_empty_name_is_refused_not_the_whole_graph(kg_cli, sample_graph_dir, tmp_path, name):
    code, _out, err = kg_cli("view", sample_graph_dir / "store", "--around", name, "-o", tmp_path / "x.html")
    assert code == 2 and err.count("\n") == 1 and "[E153] --around needs the name or IRI of a node" in err
    assert not (tmp_path / "x.html").exists()


@pytest.mark.slow  # builds 300 bench items (xwlb300_store)
def test_view_around_unknown_name_is_a_coded_error(kg_cli, xwlb300_store, busy_person, tmp_path):
    code, _out, err = kg_cli("view", xwlb300_store, "--around", busy_person[0] + "某某某", "-o", tmp_path / "x.html")
    assert code == 2 and "[E060]" in err and "close names" in err and busy_person[0] in err
    assert not (tmp_path / "x.html").exists()
    code, _out, err = kg_cli("view", xwlb300_store, "--around", busy_person[0], "--from", "2023-05", "--to", "2023-04")
    assert code == 2 and "[E151]" in err


@pytest.mark.slow  # builds 300 bench items (xwlb300_store)
def test_view_around_reads_only_the_neighbourhood(xwlb300_store, busy_person):
    name, iri = busy_person
    start = time.perf_counter()
    view = around_view(xwlb300_store, name, depth=1)
    seconds = time.perf_counter() - start
    assert view.items[view.focus].iri == iri
    mentioning = {r["a"].value for r in _rows(xwlb300_store, f"SELECT DISTINCT ?a WHERE {{ ?a schema:mentions <{iri}> }}")}
    drawn = {it.iri for it in view.items}
    assert mentioning <= drawn and all(it.iri in mentioning or it.type.key != "article" for it in view.items)
    assert seconds < 30, f"{seconds:.1f} s"


@pytest.mark.browser
def test_view_around_browser_focus_neighbours_dates_timeline(chromium, kg_cli, xwlb300_store, busy_person, tmp_path,
                                                             artifacts_dir):
    name, iri = busy_person
    out = tmp_path / "around.html"
    code, _out, err = kg_cli("view", xwlb300_store, "--around", name, "--depth", "2", "-o", out)
    assert code == 0 and "kg view: wrote" in err, err
    data = _open(chromium, out)
    assert chromium.external_requests() == [] and chromium.errors == []
    focus = data["nodes"][data["focus"]]
    assert focus["iri"] == iri and focus["names"][0] == name
    assert chromium.eval("document.getElementById('kg-around').textContent").startswith(f"Around · 邻域: {name} · depth 2")
    # neighbours: every article that mentions it, and what those articles mention
    mentioning = {r["a"].value for r in _rows(xwlb300_store, f"SELECT DISTINCT ?a WHERE {{ ?a schema:mentions <{iri}> }}")}
    drawn = {n["iri"]: n for n in data["nodes"]}
    assert mentioning <= set(drawn)
    assert sum(n["type"] != "article" for n in data["nodes"]) > 5
    # dates: every drawn article has its date, as the store has it
    dates = {r["a"].value: r["d"].value for r in _rows(
        xwlb300_store, "SELECT ?a ?d WHERE { ?a a schema:NewsArticle ; schema:datePublished ?d }")}
    assert all(a["date"] == dates[a["iri"]] for a in data["articles"])
    # the evidence panel: dates next to the articles, and the timeline of articles per month
    chromium.eval(f"kgView.select({data['focus']}, true)")
    shown_dates = chromium.eval("[...document.querySelectorAll('#kg-evidence .kg-date')].map(e => e.textContent)")
    assert shown_dates and set(shown_dates) <= set(dates.values())
    bars = chromium.eval("[...document.querySelectorAll('#kg-timeline rect.kg-bar')]"
                         ".map(r => [r.dataset.month, Number(r.dataset.count), r.getBoundingClientRect().height])")
    months = Counter(data["articles"][k]["date"][:7] for k in focus["articles"])
    assert {m: c for m, c, _ in bars} == dict(months) and all(h > 0 for _, _, h in bars)
    by_store = Counter(dates[a][:7] for a in mentioning)
    assert all(months[m] >= c for m, c in by_store.items())
    tallest = max(bars, key=lambda b: b[1])
    assert all(h <= tallest[2] for _, _, h in bars)
    chromium.screenshot(artifacts_dir / "view-around.png")


@pytest.mark.browser
def test_view_around_browser_dates_narrow_the_neighbourhood(chromium, kg_cli, xwlb300_store, busy_person, tmp_path):
    name, iri = busy_person
    rows = _rows(xwlb300_store, f"SELECT DISTINCT ?a ?d WHERE {{ ?a schema:mentions <{iri}> ; schema:datePublished ?d }}")
    months = sorted({r["d"].value[:7] for r in rows})
    assert len(months) >= 2, f"the busiest person of 300 items ({name}) is mentioned in one month only: {months}"
    month = months[len(months) // 2]
    full, part = tmp_path / "full.html", tmp_path / "part.html"
    assert kg_cli("view", xwlb300_store, "--around", name, "-o", full)[0] == 0
    assert kg_cli("view", xwlb300_store, "--around", name, "--from", month, "--to", month, "-o", part)[0] == 0
    everything = _open(chromium, full)
    data = _open(chromium, part)
    assert data["around"]["from"] == month == data["around"]["to"]
    assert data["nodes"][data["focus"]]["iri"] == iri
    assert 1 < len(data["nodes"]) < len(everything["nodes"])
    assert {a["date"][:7] for a in data["articles"]} == {month}
    in_month = {r["a"].value for r in rows if r["d"].value.startswith(month)}
    assert in_month <= {n["iri"] for n in data["nodes"] if n["type"] == "article"}
    chromium.eval(f"kgView.select({data['focus']}, true)")
    bars = chromium.eval("[...document.querySelectorAll('#kg-timeline rect.kg-bar')].map(r => r.dataset.month)")
    assert bars == [month]
    assert chromium.errors == []


@pytest.mark.browser
def test_view_around_browser_iri_pasted_into_kg_query_finds_the_node(chromium, kg_cli, xwlb300_store, busy_person,
                                                                      tmp_path):
    name, iri = busy_person
    out = tmp_path / "around.html"
    assert kg_cli("view", xwlb300_store, "--around", name, "--depth", "1", "-o", out)[0] == 0
    data = _open(chromium, out)
    chromium.eval(f"kgView.select({data['focus']}, true)")
    shown = chromium.eval("document.getElementById('kg-iri').textContent")
    chromium.send("Browser.grantPermissions", session=False, permissions=["clipboardReadWrite", "clipboardSanitizedWrite"])
    chromium.eval("document.getElementById('kg-copy').click()")
    copied = chromium.wait_for("kgView.copied")
    assert shown == copied == iri and "%" not in shown  # Chinese as it is, not percent-encoded
    code, out_csv, err = kg_cli("query", xwlb300_store, f"{P} SELECT ?name WHERE {{ <{copied}> schema:name ?name }}",
                                "--format", "csv")
    assert code == 0, err
    assert [r["name"] for r in csv.DictReader(io.StringIO(out_csv))] == [name]
    # and kg query shows the IRI in the same form
    code, out_csv, _ = kg_cli("query", xwlb300_store, f'{P} SELECT ?n WHERE {{ ?n schema:name "{name}"@zh }}',
                              "--format", "csv")
    assert code == 0 and iri in [r["n"] for r in csv.DictReader(io.StringIO(out_csv))]


@pytest.mark.parametrize("tail", ["A%20B", "x%2Fy", "张%25三"])
@pytest.mark.browser
def test_view_around_browser_iri_shown_as_the_graph_has_it(chromium, tmp_path, tail):
    g = Graph()
    node = ID[f"person/{tail}"]
    g.add((node, RDF.type, SCHEMA.Person))
    g.add((node, SCHEMA.name, Literal("某人", lang="zh")))
    path = tmp_path / "one.html"
    write_html(g, path)
    data = _open(chromium, path)
    chromium.eval(f"kgView.select({data['nodes'][0]['id']}, true)")
    chromium.eval("document.getElementById('kg-copy').click()")
    assert chromium.eval("document.getElementById('kg-iri').textContent") == str(node)
    assert chromium.wait_for("kgView.copied") == str(node)
