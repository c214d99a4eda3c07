"""``kg build`` end to end: every input format on real text, bad inputs, no partial output."""

from __future__ import annotations

import json
import re

import pytest
import rdflib

from kg.rdf.vocab import SCHEMA

BUILD = ("--no-html", "--no-store", "--no-validate")


def _graph(out) -> rdflib.Graph:
    return rdflib.Graph().parse(out / "graph.ttl")


def _headlines(g) -> set[str]:
    return {str(h) for h in g.objects(None, SCHEMA.headline)}


def test_build_sample_page_prints_a_one_line_summary(kg_cli, sample_path, tmp_path):
    code, out, err = kg_cli("build", sample_path, "-o", tmp_path, *BUILD)
    assert code == 0, err
    line = out.strip().splitlines()[-1]
    assert "1 page(s), 4 article(s)" in line and "12 Person" in line and "triples" in line
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["articles"] == 4 and report["skipped"] == []


def test_build_markdown_article_from_the_sample(kg_cli, theory_articles, tmp_path):
    art = theory_articles["A"]
    body = "\n\n".join(f"## {t}" if k == "heading" else t for k, t in art["blocks"])
    md = (
        f"---\ntitle: {art['title']}\ndate: 2022-11-21\nauthor: 张  冬梅\nsection: 理论\n---\n\n"
        f"> 张冬梅《工人日报》（2022年11月21日 第07版）\n\n{body}\n\n（作者单位：中国劳动关系学院）\n"
    )
    (tmp_path / "a.md").write_text(md, encoding="utf-8")
    code, _, err = kg_cli("build", tmp_path / "a.md", "-o", tmp_path / "out", *BUILD)
    assert code == 0, err
    g = _graph(tmp_path / "out")
    assert _headlines(g) == {art["title"]}
    (article,) = g.subjects(SCHEMA.headline, None)
    authors = {str(g.value(p, SCHEMA.name)) for p in g.objects(article, SCHEMA.author)}
    assert authors == {"张冬梅"}
    assert str(g.value(article, SCHEMA.datePublished)) == "2022-11-21"
    publisher = g.value(article, SCHEMA.publisher)
    assert str(g.value(publisher, SCHEMA.name)) == "工人日报"
    orgs = {str(g.value(o, SCHEMA.name)) for o in g.objects(None, SCHEMA.affiliation)}
    assert orgs == {"中国劳动关系学院"}


def test_build_jsonl_articles_from_the_sample(kg_cli, theory_articles, tmp_path):
    lines = []
    for i, key in enumerate(("B", "D")):
        art = theory_articles[key]
        text = "\n".join(t for _, t in art["blocks"])
        lines.append(json.dumps({"id": f"r{i}", "title": art["title"], "date": "2022-11-21", "author": list(art["authors"]),
                                 "source": "工人日报", "url": f"https://example.org/{i}", "text": text}, ensure_ascii=False))
    lines.append("{not json")
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = kg_cli("build", tmp_path / "a.jsonl", "-o", tmp_path / "out", *BUILD)
    assert code == 0, err
    assert "a.jsonl:3" in err  # the bad line is reported with file and line, not dropped silently
    g = _graph(tmp_path / "out")
    assert _headlines(g) == {theory_articles["B"]["title"], theory_articles["D"]["title"]}
    people = {str(n) for p in g.subjects(None, SCHEMA.Person) for n in g.objects(p, SCHEMA.name)}
    assert {"苏炜", "刘景芝", "王文珍", "傅德印"} <= people
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["articles"] == 2 and len(report["skipped"]) == 1


def test_build_gb18030_page_is_accepted_with_a_warning(kg_cli, sample_text, tmp_path):
    (tmp_path / "p.txt").write_bytes(sample_text.encode("gb18030"))
    code, out, err = kg_cli("build", tmp_path / "p.txt", "-o", tmp_path / "out", *BUILD)
    assert code == 0, err
    assert "4 article(s)" in out
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert any("W001" in w for w in report["warnings"])


@pytest.mark.parametrize(
    "name, content, code_in_message",
    [
        ("empty.txt", b"", "E002"),
        ("blank.txt", b"  \n\n ", "E002"),
        ("binary.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nstream\x00\x01\x02", "E003"),
        ("latin.txt", b"\xff\xfe\xfd caf\xe9 \x81\x30", "E00"),
    ],
)
def test_build_bad_file_is_a_one_line_error_and_writes_nothing(kg_cli, tmp_path, name, content, code_in_message):
    (tmp_path / name).write_bytes(content)
    out = tmp_path / "out"
    code, _, err = kg_cli("build", tmp_path / name, "-o", out, *BUILD)
    assert code == 2
    lines = [l for l in err.strip().splitlines() if l.startswith("kg build: error")]
    assert len(lines) == 1 and name in lines[0] and code_in_message in lines[0]
    assert not out.exists() or not any(out.iterdir())


def test_build_missing_path_is_exit_2(kg_cli, tmp_path):
    code, _, err = kg_cli("build", tmp_path / "nope.txt", "-o", tmp_path / "out", *BUILD)
    assert code == 2
    assert "nope.txt" in err and "E001" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_build_previous_output_survives_a_failed_build(kg_cli, sample_path, tmp_path):
    out = tmp_path / "out"
    assert kg_cli("build", sample_path, "-o", out, *BUILD)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (tmp_path / "empty.txt").write_bytes(b"")
    assert kg_cli("build", tmp_path / "empty.txt", "-o", out, *BUILD)[0] == 2
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before


def test_build_folder_with_a_bad_file_builds_the_rest(kg_cli, sample_text, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(sample_text, encoding="utf-8")
    (src / "b.txt").write_bytes(b"")
    code, out, err = kg_cli("build", src, "-o", tmp_path / "out", *BUILD)
    assert code == 0
    assert "b.txt" in err and "4 article(s)" in out and "1 skipped" in out
    assert kg_cli("build", src, "-o", tmp_path / "out2", "--strict", *BUILD)[0] == 2


def test_build_help_explains_every_option(kg_cli, capsys):
    with pytest.raises(SystemExit):
        kg_cli("build", "--help")
    text = capsys.readouterr().out
    for opt in ("--output", "--input-format", "--format", "--base", "--no-validate", "--strict"):
        assert opt in text


def test_build_extract_prints_mentions_per_line(kg_cli, tmp_path):
    (tmp_path / "s.txt").write_text("张三在北京工作。\n\n全国总工会召开座谈会。\n", encoding="utf-8")
    code, out, _ = kg_cli("extract", tmp_path / "s.txt", "--input-format", "lines")
    assert code == 0
    rows = [json.loads(l) for l in out.splitlines()]
    assert [(r["text"], r["type"], r["doc"]) for r in rows] == [("张三", "Person", 0), ("北京", "Place", 0), ("全国总工会", "Organization", 2)]
    assert rows[2]["name"] == "中华全国总工会"
    for r in rows:
        assert r["entity"].startswith("https://w3id.org/newskg/id/")


def test_build_extract_on_a_page_gives_article_ids(kg_cli, sample_path):
    code, out, _ = kg_cli("extract", sample_path)
    rows = [json.loads(l) for l in out.splitlines()]
    assert code == 0 and {r["doc"] for r in rows} == {f"workers-daily-2022-11-theory-{i}" for i in range(1, 5)}
    assert any(r["text"] == "张冬梅" and r["type"] == "Person" for r in rows)


def _names_of(g, nodes) -> set[str]:
    return {str(g.value(n, SCHEMA.name)) for n in nodes}


def test_build_jsonl_bylines_and_datelines_give_authors_and_agencies(kg_cli, tmp_path):
    records = [
        {"id": "d1", "title": "某市召开大会", "date": "2024-03-01", "source": "某某晚报",
         "text": "本报某地3月1日电（记者 王建国 李晓东）近日，某市召开大会，部署全年工作。\n会议要求，各部门加强协作。"},
        {"id": "d2", "title": "某部门印发方案", "date": "2024-03-02", "source": "某某晚报",
         "text": "新华社北京3月2日电（记者赵某某、钱某）日前，某部门印发方案。\n方案提出，要加强服务。"},
        {"id": "d3", "title": "某厂投产", "date": "2024-03-03", "author": "新华社记者 孙建平 周晓梅",
         "text": "某厂近日投产，年产值可达十亿元。\n该厂负责人表示，将扩大生产。"},
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    code, _, err = kg_cli("build", tmp_path / "a.jsonl", "-o", tmp_path / "out", *BUILD)
    assert code == 0, err
    g = _graph(tmp_path / "out")
    by_id = {str(g.value(a, SCHEMA.headline))[:3]: a for a in g.subjects(rdflib.RDF.type, SCHEMA.NewsArticle)}
    assert _names_of(g, g.objects(by_id["某市召"], SCHEMA.author)) == {"王建国", "李晓东"}
    assert _names_of(g, g.objects(by_id["某部门"], SCHEMA.author)) == {"赵某某", "钱某"}
    assert _names_of(g, g.objects(by_id["某厂投"], SCHEMA.author)) == {"孙建平", "周晓梅"}
    # 本报 is the paper the record names; 新华社 is an organization and the source of what it sent
    assert _names_of(g, g.objects(by_id["某市召"], SCHEMA.publisher)) == {"某某晚报"}
    assert "新华通讯社" in _names_of(g, g.objects(by_id["某部门"], SCHEMA.publisher))
    assert _names_of(g, g.objects(by_id["某厂投"], SCHEMA.publisher)) == {"新华通讯社"}
    people = {str(n) for p in g.subjects(rdflib.RDF.type, SCHEMA.Person) for n in g.objects(p, SCHEMA.name)}
    orgs = {str(n) for o in g.subjects(rdflib.RDF.type, SCHEMA.Organization) for n in g.objects(o, SCHEMA.name)}
    assert not any("记者" in p or "新华社" in p or p == "本报" for p in people)
    assert "新华通讯社" in orgs and "本报" not in orgs
    # every mention read from a dateline is where it says it is
    nif = rdflib.Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    for m in g.subjects(nif.anchorOf, None):
        text = str(g.value(g.value(m, nif.referenceContext), nif.isString))
        begin, end = int(g.value(m, nif.beginIndex)), int(g.value(m, nif.endIndex))
        assert text[begin:end] == str(g.value(m, nif.anchorOf))


def test_build_mixed_folder_skips_what_is_not_chinese_news_once(kg_cli, sample_text, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(sample_text, encoding="utf-8")
    (src / "README.md").write_text("# Pages\n\nThe pages of the paper, one file a page.\n", encoding="utf-8")
    (src / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (src / "b.txt").write_bytes(b"")
    code, out, err = kg_cli("build", src, "-o", tmp_path / "out", *BUILD)
    assert code == 0, err
    assert "4 article(s)" in out and "3 skipped" in out
    for name, code_ in (("README.md", "E140"), ("logo.png", "E141"), ("b.txt", "E002")):
        lines = [line for line in err.splitlines() if name in line]
        assert len(lines) == 1 and code_ in lines[0], err  # reported, with its reason, once
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert sorted(s["reason"][1:5] for s in report["skipped"]) == ["E002", "E140", "E141"]


def test_build_progress_lines_every_few_seconds_with_tqdm_rates():
    """Off a terminal: counts every ``every`` s, rates and ETA (tqdm's) only once a second has passed, none for one-shot phases."""
    import io
    import time

    from kg.commands.build import Progress

    out = io.StringIO()
    progress = Progress(30, stream=out, every=0.3)
    for i in range(1, 31):
        time.sleep(0.05)
        progress("extract", i, None)
    progress("validate", 2480, 2480)  # reported once, done: no line, no rate
    progress("store", 0, 2480)
    progress("store", 2480, 2480)
    progress.close()
    lines = out.getvalue().splitlines()
    assert 3 <= len(lines) <= 8, lines
    assert all(re.fullmatch(r"kg build: extract \d+/30 pages(, [\d.]+ pages/s(, ETA \d\d:\d\d)?)?", x) for x in lines), lines
    assert lines[-1].startswith("kg build: extract 30/30 pages, ") and "ETA" not in lines[-1]
    rates = [float(x.split(", ")[1].split()[0]) for x in lines if "pages/s" in x]
    assert rates and all(5 < r < 40 for r in rates), rates  # 20 a second, give or take: no impossible rate


def test_build_progress_total_counts_json_lines_records(tmp_path):
    from kg.commands.build import _count_inputs

    (tmp_path / "a.jsonl").write_text('{"text": "甲"}\n\n{"text": "乙"}\n{"text": "丙"}', encoding="utf-8")
    (tmp_path / "page.txt").write_text("一页", encoding="utf-8")
    (tmp_path / "notes.bin").write_bytes(b"\x00")
    assert _count_inputs([str(tmp_path)], None) == 4


def test_build_help_says_what_the_options_take(capsys):
    """--extractors lists the extractors' names; kg view takes build folders and stores, not only graph files."""
    from kg.cli import make_parser
    from kg.extract.registry import names

    parser = make_parser()
    for argv in (["build", "--help"], ["view", "--help"]):
        with pytest.raises(SystemExit):
            parser.parse_args(argv)
    text = " ".join(capsys.readouterr().out.split())
    described = text.split("--extractors LIST run only these extractors", 1)[1].split("--no-html")[0]
    assert all(name in described for name in names())
    assert "a kg build folder (output/), its store folder (output/store), or a graph file" in text


def test_build_control_character_in_a_title_gives_well_formed_rdf_xml(tmp_path, sample_text, caplog):
    """A U+000B in a record's title is repaired as it is read ([W013]): graph.rdf is XML, every file says the same."""
    import json
    import xml.etree.ElementTree as ET

    from kg.pipeline import BuildOptions, build

    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"id": "a", "title": "张三\u000b在北京", "text": "张三在北京工作。"}) + "\n", encoding="utf-8")
    result = build(BuildOptions((str(path),), tmp_path / "out", formats=("rdfxml", "nt"), html=False, store=False,
                                validate=False, cache=None, jobs=1))
    ET.parse(tmp_path / "out" / "graph.rdf")
    assert "张三\ufffd在北京" in (tmp_path / "out" / "graph.nt").read_text(encoding="utf-8")
    assert any(w.startswith(f"[W013] {path}:1: ") for w in result.report["warnings"])
