"""Tests of kg.export.html (and the view's node types of kg.export.project) and `kg view` that need no browser."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from importlib import resources

import pytest
from rdflib import Graph

from kg.errors import GraphParseError, InputError
from kg.export.html import build_view, render_html, write_html
from kg.rdf.read import read_dataset
from kg.export.project import NODE_TYPES, _sentence
from kg.rdf.labels import LABELS
from viewgraphs import HOSTILE, HOSTILE_QUOTES, hostile_graph, synthetic_graph

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

SAMPLE_TYPES = {"article": 2, "person": 3, "organization": 2, "place": 4, "policy": 5, "measure": 2, "event": 0}


def payload(page: str) -> dict:
    """The data the page's script reads: the JSON in <script id="kg-data">."""
    raw = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(raw)


def node_named(data: dict, name: str) -> dict:
    return next(n for n in data["nodes"] if name in n["names"])


def test_view_stats_of_fixture(view_graph):
    stats = build_view(view_graph).stats
    assert (stats.nodes, stats.edges) == (18, 20)
    assert (stats.total_nodes, stats.total_edges, stats.limited) == (18, 20, False)
    assert stats.types == SAMPLE_TYPES


@pytest.mark.parametrize("fmt,suffix", [("turtle", ".ttl"), ("trig", ".trig"), ("nquads", ".nq"), ("nt", ".nt"),
                                        ("json-ld", ".jsonld")])
def test_view_read_graph_every_format(view_graph, tmp_path, fmt, suffix):
    path = tmp_path / f"g{suffix}"
    path.write_text(view_graph.serialize(format=fmt), encoding="utf-8")
    stats = build_view(read_dataset(path)).stats
    assert (stats.nodes, stats.edges) == (18, 20)


def test_view_trig_uses_named_graphs(view_fixture_graph):
    ds = read_dataset(view_fixture_graph.with_suffix(".trig"))
    assert len({c for *_, c in ds.quads((None, None, None, None))}) == 3  # default + one per article
    assert build_view(ds).stats.types == SAMPLE_TYPES


@pytest.mark.parametrize("text,suffix,code", [
    ("<http://x/a> <http://x/b> .", ".ttl", "[E010]"),
    ("@prefix : <http://x/> . :g { :a :b ", ".trig", "[E010]"),
    ("{not json", ".jsonld", "[E010]"),
    ("whatever", ".docx", "[E006]"),
])
def test_view_read_graph_errors_name_the_file(tmp_path, text, suffix, code):
    path = tmp_path / f"bad{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_dataset(path)
    msg = str(err.value)
    assert msg.startswith(code) and str(path) in msg and "\n" not in msg
    assert isinstance(err.value, GraphParseError) == (code == "[E010]")


def test_view_read_graph_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"^\[E001\]"):
        read_dataset(tmp_path / "nope.ttl")


def test_view_page_fetches_nothing(view_page):
    """No script, style, image or font is loaded from a URL: the page works offline."""
    fetching = [
        r"<(?:script|img|iframe|embed|source|audio|video|input)\b[^>]*\bsrc\s*=",
        r"<link\b[^>]*\bhref\s*=",
        r"<object\b[^>]*\bdata\s*=",
        r"url\(\s*['\"]?\s*(?!data:)[a-z]*:?//",
        r"@import",
        r"@font-face",
    ]
    for pattern in fetching:
        assert not re.search(pattern, view_page, re.I), pattern
    assert "vis.Network" in view_page  # vis-network is inline
    assert "Content-Security-Policy" in view_page and "connect-src 'none'" in view_page


def test_view_page_uses_system_cjk_fonts(view_page):
    assert "Noto Sans CJK SC" in view_page and "fonts.googleapis" not in view_page


def test_view_evidence_of_a_name_in_a_byline(view_page):
    data = payload(view_page)
    node = node_named(data, "张冬梅")
    assert node["type"] == "person" and node["count"] == 1
    (art, sentence, [(b, e)], via), *_ = node["evidence"]
    assert sentence[b:e] == "张冬梅" and via == "mention · author"  # read there as a name and as the author
    assert data["articles"][art]["title"] == "在共建共治共享的社会治理中发挥工会劳动法律监督作用"


def test_view_evidence_is_the_sentence_with_the_span(view_page):
    node = node_named(payload(view_page), "工会劳动法律监督办法")
    [(_, sentence, [(b, e)], _via)] = node["evidence"]
    assert sentence == "我国的工会劳动法律监督制度以宪法、劳动法、工会法为原则，以《工会劳动法律监督办法》为直接依据。"
    assert sentence[b:e] == "工会劳动法律监督办法"


def test_view_every_name_is_searchable(view_page):
    node = node_named(payload(view_page), "中共河北省委党校")
    assert node["names"] == ["中共河北省委党校", "河北行政学院"]
    [(_, sentence, spans, via)] = node["evidence"]  # both names in one line: one sentence, two highlights
    assert [sentence[b:e] for b, e in spans] == ["中共河北省委党校", "河北行政学院"] and via == "mention"


def test_view_measure_evidence_comes_from_prov(view_page):
    data = payload(view_page)
    measure = next(n for n in data["nodes"] if n["type"] == "measure" and "一是" not in n["names"][0]
                   and n["names"][0].startswith("突出"))
    [(_, sentence, spans, via)] = measure["evidence"]
    assert via == "source" and sentence.startswith("一是突出") and spans == [[0, len(sentence)]]


@pytest.mark.parametrize("text,begin,end,expected", [
    ("甲说。乙在北京工作。丙", 4, 6, ("乙在北京工作。", 1, 3)),
    ("标题\n张冬梅\n正文。", 3, 6, ("张冬梅", 0, 3)),
    ("一是突出导向。二是深化。", 0, 7, ("一是突出导向。", 0, 7)),
    ("没有句号的一段文字", 2, 4, ("没有句号的一段文字", 2, 4)),
    ("句一！  句二在这里？句三", 6, 8, ("句二在这里？", 1, 3)),
    ("前" * 300 + "目标" + "后" * 300, 300, 302, ("…" + "前" * 120 + "目标" + "后" * 120 + "…", 121, 123)),
    ("长" * 500, 10, 400, ("长" * 240 + "…", 0, 240)),
])
def test_view_sentence_around_a_span(text, begin, end, expected):
    assert _sentence(text, begin, end) == expected


def test_view_escapes_article_text():
    page = render_html(hostile_graph(), title='t<script>alert(2)</script>"')
    assert "alert(1)" in page  # the text is there ...
    assert HOSTILE not in page and "<img" not in page and "</script><script>" not in page  # ... but never as markup
    clean = render_html(Graph())
    for tag in ("<script", "</script", "<img", "<title"):
        assert page.count(tag) == clean.count(tag), tag  # only the page's own tags
    assert "<title>t&lt;script&gt;alert(2)&lt;/script&gt;&quot;</title>" in page
    data = payload(page)
    person = node_named(data, f"王五{HOSTILE}")
    assert HOSTILE_QUOTES in person["names"]
    sentence, [(b, e)] = person["evidence"][0][1:3]
    assert sentence[b:e] == f"王五{HOSTILE}"


def test_view_focus_keeps_depth_two(view_graph):
    view = build_view(view_graph, focus="张冬梅")
    names = {it.names[0] for it in view.items}
    # 张冬梅 -> her article and her institute -> everything the article mentions or proposes
    assert {"张冬梅", "中国劳动关系学院", "天津", "工会劳动法律监督办法"} <= names
    assert not names & {"苏炜", "现代学徒制"}
    assert view.stats.focus.endswith("/person/%E5%BC%A0%E5%86%AC%E6%A2%85")
    assert view.items[view.focus].names[0] == "张冬梅"


@pytest.mark.parametrize("focus,code", [("不存在的人", "[E060]"), ("工会劳动法律监督", "[E060]")])
def test_view_focus_must_name_one_node(view_graph, focus, code):
    with pytest.raises(InputError) as err:
        build_view(view_graph, focus=focus)
    assert str(err.value).startswith(code)


@pytest.mark.parametrize("types,expected", [
    (["person"], {"person": 3}),
    (["person", "organization"], {"person": 3, "organization": 2}),
    (["policy,measure"], {"policy": 5, "measure": 2}),
    (["Article"], {"article": 2}),
])
def test_view_types_filter(view_graph, types, expected):
    stats = build_view(view_graph, types=types).stats
    assert {k: v for k, v in stats.types.items() if v} == expected


@pytest.mark.parametrize("kwargs,code", [
    ({"types": ["people"]}, "[E061]"),
    ({"max_nodes": 0}, "[E062]"),
    ({"max_nodes": "10"}, "[E062]"),
])
def test_view_bad_options(view_graph, kwargs, code):
    with pytest.raises(InputError) as err:
        build_view(view_graph, **kwargs)
    assert str(err.value).startswith(code)


def test_view_limits_to_most_central_nodes():
    graph = synthetic_graph(300)
    full = build_view(graph)
    view = build_view(graph, max_nodes=50)
    assert view.stats.limited and view.stats.nodes == 50 and view.stats.total_nodes == full.stats.nodes
    degrees = sorted((it.degree for it in full.items), reverse=True)
    assert min(it.degree for it in view.items) >= degrees[80]  # the kept ones are among the most connected
    page = render_html(graph, max_nodes=50)
    assert "Showing the 50 most central of" in payload(page)["note"]


def test_view_output_is_stable(view_graph):
    assert render_html(view_graph) == render_html(view_graph)


RENDER = ("import sys\n"
          "from kg.export.html import render_html\nfrom kg.rdf.read import read_dataset\n"
          "sys.stdout.buffer.write(render_html(read_dataset(sys.argv[1]), title='t').encode('utf-8'))\n")


def test_view_page_is_the_same_whatever_the_hash_seed(view_sample_graph):
    """Two processes whose sets iterate in other orders (other string hashes) write the same bytes."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    runs = [subprocess.Popen([sys.executable, "-c", RENDER, str(view_sample_graph)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env={**env, "PYTHONHASHSEED": seed}) for seed in ("1", "2")]
    (one, err1), (two, err2) = (run.communicate(timeout=600) for run in runs)
    assert [run.returncode for run in runs] == [0, 0], (err1 or err2).decode("utf-8", "replace")[-2000:]
    assert one.startswith(b"<!DOCTYPE html>") and one == two


def test_view_page_inlines_its_asset_files(view_page):
    """The page's template, style and script are the package files; the policy lets exactly its scripts run."""
    assets = resources.files("kg.export").joinpath("assets")
    template, css, js = (assets.joinpath(name).read_text(encoding="utf-8")
                         for name in ("view.html", "view.css", "view.js"))
    scripts = re.findall(r"<script>(.*?)</script>", view_page, re.S)
    assert len(scripts) == 2 and scripts[1] == js
    assert css.split("@@FONTS@@")[-1] in view_page and view_page.endswith(template.split("@@APP_JS@@")[-1])
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', view_page).group(1)
    hashes = re.findall(r"'sha256-([^']+)'", policy)
    assert hashes == [base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii") for s in scripts]


LEGEND = [("article", "文章", "#c9d4e3", "box"), ("person", "人物", "#e15759", "dot"),
          ("organization", "机构", "#4e79a7", "square"), ("place", "地点", "#59a14f", "triangle"),
          ("policy", "政策", "#f28e2b", "diamond"), ("measure", "措施", "#b07aa1", "hexagon"),
          ("event", "事件", "#d4a017", "star")]


def test_view_node_types_in_legend_order():
    assert [(t.key, t.label_zh, t.color, t.shape) for t in NODE_TYPES] == LEGEND


@pytest.mark.parametrize("row", list(LABELS.values()), ids=lambda r: str(r.label))
def test_view_entity_types_come_from_the_label_table(row):
    (t,) = [t for t in NODE_TYPES if t.key == row.label.lower()]
    assert (t.label_zh, t.color, t.shape, t.classes) == (row.name_zh, row.colour, row.shape, (row.cls, *row.classes))


def test_view_write_html_is_atomic_and_returns_stats(view_graph, tmp_path):
    out = tmp_path / "deep" / "graph.html"
    stats = write_html(view_graph, out, title="x")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stats.nodes == 18 and [p.name for p in out.parent.iterdir()] == ["graph.html"]


def test_view_empty_graph_renders():
    data = payload(render_html(Graph()))
    assert data["nodes"] == [] and data["stats"]["nodes"] == 0


def test_view_cli_writes_the_page(kg_view, view_fixture_graph, tmp_path, capsys):
    out = tmp_path / "v.html"
    code = kg_view(view_fixture_graph, "-o", out, "--types", "person", "policy", "--max-nodes", "6")
    assert code == 0
    data = payload(out.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 6 and {n["type"] for n in data["nodes"]} <= {"person", "policy"}
    assert "6 nodes" in capsys.readouterr().err


def test_view_cli_default_output_beside_the_graph(kg_view, view_fixture_graph, tmp_path):
    src = tmp_path / "g.trig"
    src.write_bytes(view_fixture_graph.with_suffix(".trig").read_bytes())
    assert kg_view(src, "--focus", "张冬梅") == 0
    assert payload((tmp_path / "g.html").read_text(encoding="utf-8"))["focus"] is not None


def test_view_cli_parse_error_is_one_line(kg_view, tmp_path, capsys):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    assert kg_view(bad) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("kg view: error: [E010]") and str(bad) in err and "\n" not in err


# ---- posts and participants in the evidence panel


def _node_named(data: dict, name: str, kind: str) -> dict:
    return next(n for n in data["nodes"] if n["type"] == kind and n["names"][0] == name)


@pytest.fixture(scope="module")
def query_view_data(query_fixture_graph) -> dict:
    from kg.export.html import render_html
    from kg.rdf.read import read_dataset

    return payload(render_html(read_dataset(query_fixture_graph), title="four articles"))


def test_view_panel_shows_a_persons_posts_with_their_organizations(query_view_data):
    data = query_view_data
    person = _node_named(data, "徐海荣", "person")
    posts = {(p["role"], p["org"]) for p in person["posts"]}
    assert {("主席", "山东省总工会"), ("部长", "中共山东省委统战部")} <= posts
    union = next(p for p in person["posts"] if p["org"] == "山东省总工会")
    assert data["nodes"][union["node"]]["names"][0] == "山东省总工会" and union["former"] is False
    assert _node_named(data, "山东省总工会", "organization")["posts"] == []


def test_view_panel_shows_an_events_participants_with_their_roles(query_view_data):
    data = query_view_data
    event = _node_named(data, "学习宣传贯彻党的二十大精神座谈会", "event")
    got = {(p["name"], tuple(p["roles"]), tuple(p["zh"])) for p in event["participants"]}
    assert got == {("王文珍", ("speaker",), ("发言",)), ("田永坡", ("speaker",), ("发言",))}
    assert all(data["nodes"][p["node"]]["type"] == "person" for p in event["participants"])


@pytest.fixture(scope="module")
def dev_view_data(xwlb_dev_build) -> dict:
    from kg.export.html import render_html
    from kg.rdf.read import read_dataset

    return payload(render_html(read_dataset(xwlb_dev_build / "graph.trig"), title="xwlb"))


def test_view_panel_posts_carry_reported_dates_and_former(dev_view_data):
    person = _node_named(dev_view_data, "王晓萍", "person")
    rows = {(p["role"], p["org"], tuple(p["reported"]), p["former"]) for p in person["posts"]}
    assert ("部长", "人力资源和社会保障部", ("2022-12-30",), False) in rows
    assert ("委员", "国家监察委员会", ("2022-12-30",), True) in rows
    assert [p["former"] for p in person["posts"]] == sorted(p["former"] for p in person["posts"])  # current first
    removed = next(p for p in person["posts"] if p["former"])
    assert removed["removed"] == ["2022-12-30"]


def test_view_panel_participants_chair_first_then_speakers(dev_view_data):
    event = next(n for n in dev_view_data["nodes"] if n["type"] == "event" and n["names"][0].startswith("党外人士座谈会"))
    people = event["participants"]
    assert people[0]["name"] == "习近平" and people[0]["roles"][0] == "chair" and "speaker" in people[0]["roles"]
    speakers = {p["name"] for p in people if "speaker" in p["roles"]}
    assert {"丁仲礼", "万钢"} <= speakers
    assert any(p["roles"] == ["attendee"] and p["zh"] == ["出席"] for p in people)


def test_view_collapse_draws_the_most_linked_neighbours_first():
    from collections import Counter

    from kg.export.html import build_view, collapse
    from viewgraphs import busy_graph

    graph, leader = busy_graph(120, 6)
    view = build_view(graph, focus=leader, depth=2)
    plan = collapse(view)
    parent, group, groups = plan["parent"], plan["group"], plan["groups"]
    assert parent[view.focus] == -1 and group[view.focus] == -1
    # around the leader: the six most linked articles drawn, the others behind one "+N" node
    (articles,) = [g for g in groups if g["hub"] == view.focus]
    kept = [i for i, p in enumerate(parent) if p == view.focus and group[i] == -1 and view.items[i].type.key == "article"]
    assert len(kept) == 6 and len(articles["members"]) == 120 - 6
    links = Counter(x for s, o, _ in view.edges for x in (s, o))
    assert min(links[i] for i in kept) >= max(links[i] for i in articles["members"])
    # every node is drawn at first or held by exactly one group of its parent, of its own type
    for k, g in enumerate(groups):
        assert len(g["members"]) >= 2 and all(group[m] == k and parent[m] == g["hub"] for m in g["members"])
        assert {view.items[m].type.key for m in g["members"]} == {g["type"]}
    small = build_view(graph, focus=leader, depth=1, max_nodes=100)
    assert collapse(small)["groups"] == []  # a small view draws everything
