"""``kg build`` end to end: every input format on real text, bad inputs, no partial output."""

from __future__ import annotations

import json

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
