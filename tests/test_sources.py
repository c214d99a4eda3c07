"""Tests of kg.sources: decoding, the readers and walking input folders, on articles of the sample page."""

from __future__ import annotations

import codecs
import importlib
import json
import os
import time
from pathlib import Path

import pytest

import kg.sources
from kg.errors import InputError, RecordError, RegistryError
from kg.model import Document, Meta, Skip
from kg.sources import READERS, decode, get_reader, iter_documents, reader_for
from kg.ids import short_hash
from kg.lexicon.names import parse_authors
from kg.sources.common import Source, path_id, sanitize_id
from kg.sources.markdown import dump_front_matter

# The module, not the function kg.sources.decode that shadows it as a package attribute.
decode_module = importlib.import_module("kg.sources.decode")

BYLINE_A = "> 张冬梅《工人日报》（2022年11月21日 第07版）"


def body_of(article: dict) -> str:
    """The article's blocks as readers give them: one block a line, blank lines between."""
    return "\n\n".join(text for _, text in article["blocks"])


def markdown_of(article: dict, front: dict, byline: str = "") -> str:
    lines = [dump_front_matter(front)]
    if byline:
        lines += [byline, ""]
    for i, (kind, text) in enumerate(article["blocks"]):
        if kind == "heading":
            lines += [f"## {text}", ""]
        elif i == 1:  # emphasis markers on one paragraph, to be stripped
            lines += [text.replace("工会劳动法律监督", "**工会劳动法律监督**", 1), ""]
        else:
            lines += [text, ""]
    return "\n".join(lines)


def html_of(article: dict, *, head: str = "", byline: str = "", container: str = "article") -> str:
    def block(kind: str, text: str) -> str:
        # Wrap paragraphs in the HTML source the way editors do: a line break between CJK characters.
        text = text[:20] + "\n      " + text[20:] if kind == "paragraph" and len(text) > 40 else text
        return f"<h2>{text}</h2>" if kind == "heading" else f"<p>{text}</p>"

    body = "\n".join(block(k, t) for k, t in article["blocks"])
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>理论 - 工人日报网</title>{head}
<style>p {{ color: red }}</style><script>var x = "<p>not text</p>";</script></head>
<body>
<header><p>工人日报 首页 | 理论</p></header>
<nav><ul><li><a href="/">首页</a></li><li>理论</li></ul></nav>
<{container} class="main">
<h1>{article["title"]}</h1>
{byline}
{body}
</{container}>
<aside><p>相关阅读：工会工作走在前开新局</p><p>热点推荐</p></aside>
<footer><p>版权所有 © 工人日报社</p></footer>
</body></html>"""


def only(items):
    items = list(items)
    assert len(items) == 1, items
    return items[0]


# --------------------------------------------------------------------------- decode

ENCODINGS = [
    # encoding, expected warning code (None: no warning)
    ("utf-8", None),
    ("utf-8-sig", None),
    ("utf-16", None),  # with byte order mark
    ("utf-16-le", "W001"),  # no byte order mark: found by its NUL bytes
    ("utf-16-be", "W001"),
    ("gb18030", "W001"),
    ("gbk", "W001"),
]


@pytest.mark.parametrize("encoding, warning", ENCODINGS)
def test_sources_decode_encodings_give_same_text(theory_articles, encoding, warning):
    text = body_of(theory_articles["A"]) + "\n（作者单位：中国劳动关系学院）\n"
    got, warnings = decode(text.encode(encoding), "a.txt")
    assert got == text
    assert [w[:6] for w in warnings] == ([f"[{warning}]"] if warning else [])


def test_sources_decode_gb2312_article(theory_articles):
    text = body_of(theory_articles["B"])
    assert decode(text.encode("gb2312"), "b.txt")[0] == text


@pytest.mark.parametrize(
    "raw, text",
    [
        (b"a\r\nb\r\n", "a\nb\n"),
        (b"a\rb\r", "a\nb\n"),
        (b"a\r\nb\rc\n\r\nd", "a\nb\nc\n\nd"),
        (b"a\r\r\nb", "a\n\nb"),
        ("观 点\r\n　　正文".encode("gb18030"), "观 点\n　　正文"),
    ],
)
def test_sources_decode_normalises_line_endings(raw, text):
    assert decode(raw, "x.txt")[0] == text


def test_sources_decode_keeps_fullwidth_spaces_and_traditional_characters():
    text = "　　工會勞動法律監督\n●觀　點"
    assert decode(text.encode("utf-8"), "x")[0] == text
    assert decode(text.encode("gb18030"), "x")[0] == text


def test_sources_decode_removes_nul_bytes(theory_articles):
    text = body_of(theory_articles["A"])
    raw = text.encode("utf-8")
    damaged = raw[:30] + b"\0" + raw[30:300] + b"\0\0" + raw[300:]
    got, warnings = decode(damaged, "a.txt")
    assert got == text
    assert warnings == ("[W003] a.txt: contains NUL bytes; removed",)


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n", "　\n　".encode("utf-8"), codecs.BOM_UTF8, b"\0\0\0", codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")])
def test_sources_decode_empty_is_e002(raw):
    with pytest.raises(InputError, match=r"^\[E002\] e.txt: file is empty"):
        decode(raw, "e.txt")


@pytest.mark.parametrize(
    "raw, why",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "ZIP"),
        (bytes(range(256)) * 4, "control bytes"),
    ],
)
def test_sources_decode_binary_is_e003(raw, why):
    with pytest.raises(InputError, match=rf"^\[E003\] x.bin: binary file \(.*{why}"):
        decode(raw, "x.bin")


@pytest.mark.parametrize(
    "raw, offset",
    [
        (b"abc\x80def", 3),  # neither UTF-8 nor GB18030
        (b"\xff\xff\xff", 0),
        ("工会劳动法律监督能够推动源头治理".encode("utf-8") + b"\xff" + "劳动关系矛盾".encode(), 48),  # damaged UTF-8
        (codecs.BOM_UTF8 + b"ok\xc3", 5),
    ],
)
def test_sources_decode_undecodable_is_e004_with_offset(raw, offset):
    with pytest.raises(InputError, match=r"^\[E004\] x.txt: not valid UTF-8 or GB18030") as info:
        decode(raw, "x.txt")
    assert f"at offset {offset}" in str(info.value)


def test_sources_decode_50mb_single_line_is_linear(tmp_path):
    unit = "工会劳动法律监督能够推动源头治理劳动关系矛盾，"  # 23 characters, 69 bytes
    path = tmp_path / "big.txt"
    path.write_bytes((unit * 730_000).encode("utf-8"))  # 50.4 MB, one line
    small = tmp_path / "small.txt"
    small.write_bytes((unit * 73_000).encode("utf-8"))
    t0 = time.perf_counter()
    assert len(only(iter_documents(small)).text) == len(unit) * 73_000
    t1 = time.perf_counter()
    doc = only(iter_documents(path))
    t2 = time.perf_counter()
    assert len(doc.text) == len(unit) * 730_000 and "\n" not in doc.text
    assert t2 - t1 < max(10 * 15 * (t1 - t0), 10.0)  # ten times the input: far from a hundred times the time


# --------------------------------------------------------------------------- registry

def test_sources_registry_lists_the_formats():
    assert set(READERS) == {"page", "plain", "markdown", "jsonl", "html"}
    for name in READERS:
        assert name in kg.sources.__doc__
        assert get_reader(name).name == name


def test_sources_get_reader_unknown_is_e021():
    with pytest.raises(RegistryError, match=r"^\[E021\] unknown reader 'docx'; registered: html, jsonl"):
        get_reader("docx")


@pytest.mark.parametrize(
    "path, name",
    [
        ("a/07.txt", "page"),
        ("07.TXT", "page"),
        ("a.text", "plain"),
        ("a.md", "markdown"),
        ("a.markdown", "markdown"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson", "jsonl"),
        ("a.html", "html"),
        ("a.htm", "html"),
        ("a.json", None),
        ("a.png", None),
        ("README", None),
    ],
)
def test_sources_reader_for_extension(path, name):
    reader = reader_for(path)
    assert (reader.name if reader else None) == name


# --------------------------------------------------------------------------- ids and names

@pytest.mark.parametrize(
    "path, root, expected",
    [
        ("in/workers-daily-2022-11-theory.txt", "in", "workers-daily-2022-11-theory"),
        ("in/2022/11/21/07.txt", "in", "2022.11.21.07"),
        ("in/理论版.txt", "in", "p" + short_hash("理论版", n=10)),
        ("in/第7版/a.md", "in", "p" + short_hash("第7版", n=10) + ".a"),
        ("elsewhere/x.txt", "in", "x"),
    ],
)
def test_sources_path_id_is_ascii_and_stable(path, root, expected):
    assert path_id(path, root) == expected


def test_sources_sanitize_id_keeps_distinct_ids_apart():
    ids = {sanitize_id(x) for x in ("a b", "a_b", "a/b", "a:b", "理论", "理論")}
    assert len(ids) == 6
    assert all(all(c.isascii() and (c.isalnum() or c in "._-") for c in i) for i in ids)


AUTHORS = [
    ("方  颖", ("方颖",)),
    ("方　颖", ("方颖",)),  # ideographic space
    ("张 冬 梅", ("张冬梅",)),
    ("张三 李四", ("张三", "李四")),
    ("张三  李四", ("张三", "李四")),
    ("苏  炜  刘景芝", ("苏炜", "刘景芝")),
    ("苏炜 刘景芝", ("苏炜", "刘景芝")),
    ("王 芳  李 明", ("王芳", "李明")),
    ("苏炜，刘景芝", ("苏炜", "刘景芝")),
    ("苏炜、刘景芝", ("苏炜", "刘景芝")),
    ("苏炜; 刘景芝;", ("苏炜", "刘景芝")),
    (["苏  炜", "刘景芝"], ("苏炜", "刘景芝")),
    ("作者：张冬梅", ("张冬梅",)),
    ("本报记者 王文珍", ("王文珍",)),
    ("文/徐海荣", ("徐海荣",)),
    ("文天祥", ("文天祥",)),
    ("欧阳 修", ("欧阳修",)),
    ("John  Smith, 张菁", ("John Smith", "张菁")),
    ("", ()),
    (None, ()),
]


@pytest.mark.parametrize("value, names", AUTHORS)
def test_sources_parse_authors(value, names):
    assert parse_authors(value) == names


# --------------------------------------------------------------------------- page reader

def test_sources_page_reads_the_sample(sample_path, sample_text):
    doc = only(iter_documents([sample_path]))
    assert doc == Document(
        id="workers-daily-2022-11-theory",
        layout="page",
        text=sample_text,
        path=str(sample_path),
        format="page",
        meta=Meta(source=str(sample_path)),
    )


def test_sources_page_sidecars_and_cli_defaults(tmp_path, sample_text):
    (tmp_path / "07.txt").write_text(sample_text, encoding="utf-8")
    (tmp_path / "page.json").write_text(json.dumps({"publisher": "工人日报", "date": "2022年11月21日", "page": "1"}, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "07.json").write_text(json.dumps({"page": "07", "column": "认真学习贯彻党的二十大精神", "url": "https://example.org/07"}), encoding="utf-8")
    doc = only(iter_documents(tmp_path, meta=Meta(publisher="CLI", section="理论", page="99")))
    assert doc.meta == Meta(
        date="2022-11-21",
        publisher="工人日报",
        page="7",
        column="认真学习贯彻党的二十大精神",
        section="理论",
        url="https://example.org/07",
        source=str(tmp_path / "07.txt"),
    )


@pytest.mark.parametrize("sidecar, why", [("{not json", "sidecar 07.json ignored"), ("[1, 2]", "not a JSON object"), ('{"date": "last week"}', "date 'last week' ignored")])
def test_sources_page_bad_sidecar_warns(tmp_path, sidecar, why):
    (tmp_path / "07.txt").write_text("●观 点\n正文", encoding="utf-8")
    (tmp_path / "07.json").write_text(sidecar, encoding="utf-8")
    doc = only(iter_documents(tmp_path / "07.txt"))
    assert doc.layout == "page" and len(doc.warnings) == 1
    assert doc.warnings[0].startswith("[W004]") and why in doc.warnings[0]


def test_sources_page_non_ascii_stem_gets_hashed_id(tmp_path):
    (tmp_path / "工人日报理论版.txt").write_text("●观 点\n正文", encoding="utf-8")
    assert only(iter_documents(tmp_path)).id == "p" + short_hash("工人日报理论版", n=10)


# --------------------------------------------------------------------------- plain reader

def test_sources_plain_title_on_first_line(tmp_path, theory_articles):
    a = theory_articles["B"]
    (tmp_path / "b.text").write_text(f"\n\n{a['title']}\n\n{body_of(a)}\n\n", encoding="utf-8")
    doc = only(iter_documents(tmp_path))
    assert (doc.layout, doc.format, doc.title, doc.text) == ("article", "plain", a["title"], body_of(a))


def test_sources_plain_forced_on_txt_and_title_only_skipped(tmp_path):
    (tmp_path / "a.txt").write_text("标题\n正文", encoding="utf-8")
    (tmp_path / "b.txt").write_text("只有标题\n\n", encoding="utf-8")
    doc, skip = iter_documents(tmp_path, input_format="plain")
    assert (doc.title, doc.text, doc.format) == ("标题", "正文", "plain")
    assert skip == Skip(str(tmp_path / "b.txt"), f"[E007] {tmp_path / 'b.txt'}:1: bad record: a title and no body", 1)


# --------------------------------------------------------------------------- markdown reader

def test_sources_markdown_front_matter_and_byline(tmp_path, theory_articles):
    a = theory_articles["A"]
    front = {"title": a["title"], "author": "张  冬  梅", "section": "理论", "source_url": "https://example.org/a"}
    (tmp_path / "a.md").write_text(markdown_of(a, front, BYLINE_A), encoding="utf-8")
    doc = only(iter_documents(tmp_path))
    assert (doc.layout, doc.format, doc.id, doc.title, doc.authors) == ("article", "markdown", "a", a["title"], ("张冬梅",))
    assert doc.meta == Meta(date="2022-11-21", publisher="工人日报", page="7", section="理论", url="https://example.org/a", source=str(tmp_path / "a.md"))
    assert doc.text == body_of(a)  # byline dropped, headings on lines of their own, emphasis stripped
    assert "《工人日报》" not in doc.text and "**" not in doc.text
    for section in a["sections"]:
        assert f"\n\n{section}\n\n" in doc.text


def test_sources_markdown_letter_spaced_authors_and_front_matter_date(tmp_path, theory_articles):
    b = theory_articles["B"]
    front = {"title": b["title"], "author": "苏  炜  刘景芝", "date": "2022-11-21"}
    (tmp_path / "b.md").write_text(markdown_of(b, front), encoding="utf-8")
    doc = only(iter_documents(tmp_path, meta=Meta(publisher="工人日报")))
    assert doc.authors == ("苏炜", "刘景芝")
    assert (doc.meta.date, doc.meta.publisher, doc.meta.page) == ("2022-11-21", "工人日报", "")
    assert doc.text == body_of(b)


def test_sources_markdown_block_list_and_byline_without_author(tmp_path, theory_articles):
    d = theory_articles["D"]
    text = "---\ntitle: 推动党的二十大精神在工会系统落地见效\nauthor:\n  - 张  菁\ndate: 2022-11-20  # web edition\n---\n" + "\n\n".join(t for _, t in d["blocks"][:2])
    text += "\n\n> 《工人日报》（2022年11月21日 第 7 版）\n"
    (tmp_path / "d.markdown").write_text(text, encoding="utf-8")
    doc = only(iter_documents(tmp_path))
    assert (doc.title, doc.authors) == (d["title"], ("张菁",))
    assert (doc.meta.date, doc.meta.publisher, doc.meta.page) == ("2022-11-20", "工人日报", "7")
    assert doc.text == "\n\n".join(t for _, t in d["blocks"][:2])


def test_sources_markdown_without_front_matter_takes_heading_as_title(tmp_path, theory_articles):
    b = theory_articles["B"]
    (tmp_path / "b.md").write_text(f"# {b['title']}\n\n> 苏炜 刘景芝《工人日报》（2022年11月21日 第07版）\n\n{body_of(b)}\n", encoding="utf-8")
    doc = only(iter_documents(tmp_path))
    assert (doc.title, doc.authors, doc.meta.page, doc.text) == (b["title"], ("苏炜", "刘景芝"), "7", body_of(b))


@pytest.mark.parametrize(
    "text, line, why",
    [
        ("---\nauthor: 张冬梅\n---\n正文\n", 1, "front matter has no title"),
        ("---\ntitle: 观点\n正文\n", 1, "front matter not closed"),
        ("---\ntitle: 观点\n  bad indent\n---\n正文\n", 3, "cannot read front matter line 'bad indent'"),
        ("---\ntitle: [观点\n---\n正文\n", 2, "list not closed"),
        ("---\ntitle: 观点\n---\n\n", 4, "no body text"),
    ],
)
def test_sources_markdown_bad_front_matter_is_skipped_with_line(tmp_path, text, line, why):
    path = tmp_path / "x.md"
    path.write_text(text, encoding="utf-8")
    skip = only(iter_documents(path))
    assert isinstance(skip, Skip) and skip.line == line
    assert skip.reason.startswith(f"[E007] {path}:{line}: bad record: {why}")


def test_sources_markdown_strips_markup_but_keeps_text():
    md = "---\ntitle: 观点\n---\n- 一是**突出**“高精尖缺”导向\n- 二是深化*“引企入教”*改革\n\n***\n\n见[原文](https://example.org)，`代码`与 snake_case_name。\n"
    doc = only(READERS["markdown"].read(md, Source("x.md", "x")))
    assert doc.text == "一是突出“高精尖缺”导向\n二是深化“引企入教”改革\n\n见原文，代码与 snake_case_name。"


@pytest.mark.parametrize(
    "line, dropped",
    [
        ("> 张冬梅《工人日报》（2022年11月21日 第07版）", True),
        ("> **张冬梅**《工人日报》(2022-11-21, 第7版)", True),
        ("来源：《工人日报》（2022年11月21日 第07版）", True),
        ("《工人日报》（2022年11月21日）", True),
        ("据《工人日报》（2022年11月21日 第07版）", False),  # a sentence of the body, not a byline
        ("> 学习《工会劳动法律监督办法》（试行）", False),
    ],
)
def test_sources_markdown_byline_lines(line, dropped):
    md = f"---\ntitle: 观点\n---\n{line}\n\n正文。\n"
    doc = only(READERS["markdown"].read(md, Source("x.md", "x")))
    assert (doc.text == "正文。") is dropped
    assert (doc.meta.publisher == "工人日报" and doc.meta.date == "2022-11-21") is dropped


# --------------------------------------------------------------------------- jsonl reader

def test_sources_jsonl_records_and_bad_lines(tmp_path, theory_articles):
    a, b, d = theory_articles["A"], theory_articles["B"], theory_articles["D"]
    lines = [
        json.dumps({"id": "A", "title": a["title"], "date": "2022-11-21", "author": "张  冬  梅", "source": "工人日报", "url": "https://example.org/a", "text": body_of(a)}, ensure_ascii=False),
        "",
        '{"id": "broken", "title": ',
        json.dumps({"id": "wd/2022-11-21/B", "title": b["title"], "author": ["苏  炜", "刘景芝"], "text": body_of(b)}, ensure_ascii=False),
        json.dumps({"id": "no-text", "title": "标题"}, ensure_ascii=False),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "座谈会", "title": d["title"], "text": body_of(d).replace("\n", "\r\n")}, ensure_ascii=False),
        json.dumps({"title": "  ", "text": "正文"}, ensure_ascii=False),
    ]
    path = tmp_path / "wd.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(iter_documents(path))
    docs = [i for i in items if isinstance(i, Document)]
    skips = [i for i in items if isinstance(i, Skip)]
    assert [d.line for d in docs] == [1, 4, 7]
    assert [d.id for d in docs] == ["wd.A", "wd.wd/2022-11-21/B", "wd.座谈会"]  # a record's id kept as it is
    assert docs[0].authors == ("张冬梅",) and docs[1].authors == ("苏炜", "刘景芝") and docs[2].authors == ()
    assert docs[0].meta == Meta(date="2022-11-21", publisher="工人日报", url="https://example.org/a", source=str(path))
    assert [x.text for x in docs] == [body_of(a), body_of(b), body_of(d)]
    assert [x.title for x in docs] == [a["title"], b["title"], d["title"]]
    assert [(s.line, s.reason.split(": bad record: ")[1][:12]) for s in skips] == [(3, "not JSON (Ex"), (5, "no text"), (6, "not a JSON o"), (8, "no title")]
    assert all(s.reason.startswith(f"[E007] {path}:{s.line}: ") for s in skips)


def test_sources_jsonl_duplicate_record_ids_renamed(tmp_path):
    rec = json.dumps({"id": "x", "title": "标题", "text": "正文"}, ensure_ascii=False)
    (tmp_path / "a.jsonl").write_text(rec + "\n" + rec + "\n", encoding="utf-8")
    one, two = iter_documents(tmp_path)
    assert (one.id, two.id) == ("a.x", "a.x-L2")
    assert two.warnings[0].startswith("[W005]")


def test_sources_jsonl_strict_raises_record_error(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"title": "标题", "text": "正文"}\n{"title": "无正文"}\n', encoding="utf-8")
    it = iter_documents(tmp_path, strict=True)
    assert next(it).title == "标题"
    with pytest.raises(RecordError, match=r"^\[E007\] .*a.jsonl:2: bad record: no text"):
        next(it)


# --------------------------------------------------------------------------- html reader

def test_sources_html_article_page(tmp_path, theory_articles):
    a = theory_articles["A"]
    head = '<meta property="article:published_time" content="2022-11-21T07:30:00+08:00"><meta property="og:site_name" content="工人日报">'
    byline = '<p class="article-author">作者：张  冬  梅</p>'
    (tmp_path / "a.html").write_text(html_of(a, head=head, byline=byline), encoding="utf-8")
    doc = only(iter_documents(tmp_path))
    assert (doc.layout, doc.format, doc.title, doc.authors) == ("article", "html", a["title"], ("张冬梅",))
    assert (doc.meta.date, doc.meta.publisher) == ("2022-11-21", "工人日报")
    assert doc.text == body_of(a)


def test_sources_html_largest_paragraph_block_without_article(tmp_path, theory_articles):
    b = theory_articles["B"]
    head = f'<meta name="author" content="苏  炜  刘景芝"><meta property="og:title" content="{b["title"]}">'
    page = html_of(b, head=head, container="div").replace("<h1>" + b["title"] + "</h1>", "")
    page = page.replace("<body>", '<body><div class="sidebar"><p>热点</p><p>排行</p></div><time datetime="2022-11-21">11月21日</time>')
    (tmp_path / "b.htm").write_bytes(page.encode("gb18030"))
    doc = only(iter_documents(tmp_path))
    assert (doc.title, doc.authors, doc.meta.date) == (b["title"], ("苏炜", "刘景芝"), "2022-11-21")
    assert doc.text == body_of(b)
    assert doc.warnings and doc.warnings[0].startswith("[W001]")


@pytest.mark.parametrize(
    "page, title, reason",
    [
        ("<html><head><title>工人日报</title></head><body><nav><p>首页</p></nav></body></html>", "", "[E008]"),
        ("<html><body><p>正文</p></body></html>", "", "[E007]"),
        ("<title>只有标题 &amp; 实体</title><div><p>正文&nbsp;一</p><p>正文<br>二</p></div>", "只有标题 & 实体", ""),
    ],
)
def test_sources_html_fallbacks_and_skips(page, title, reason):
    item = only(READERS["html"].read(page, Source("x.html", "x")))
    if reason:
        assert isinstance(item, Skip) and item.reason.startswith(reason)
    else:
        assert (item.title, item.text) == (title, "正文 一\n\n正文\n二")


def test_sources_html_logo_h1_and_spaces_between_cjk(theory_articles):
    b = theory_articles["B"]
    page = f"""<html><head><title>{b["title"]}_工人日报</title></head><body>
<div class="top"><h1>工人日报</h1></div>
<div class="content"><h1 class="tit">{b["title"]}</h1>
<div class="info"><span class="pubtime">2022年11月21日 07:30</span> <span class="author">苏炜 刘景芝</span></div>
<p>　　{b["blocks"][0][1][:30]}
{b["blocks"][0][1][30:]}</p></div>
<div class="links"><p>友情链接</p></div></body></html>"""
    doc = only(READERS["html"].read(page, Source("b.html", "b")))
    assert (doc.title, doc.authors, doc.meta.date) == (b["title"], ("苏炜", "刘景芝"), "2022-11-21")
    assert doc.text == b["blocks"][0][1]  # the source line break between CJK characters is no space


# --------------------------------------------------------------------------- walking inputs

def test_sources_iter_missing_path_raises_before_any_work(tmp_path, sample_path, monkeypatch):
    calls = []
    monkeypatch.setattr(decode_module, "decode", lambda *a: calls.append(a))
    with pytest.raises(InputError, match=r"^\[E001\] .*nope.txt: no such file or folder"):
        iter_documents([sample_path, tmp_path / "nope.txt"])  # raised by the call, not by iteration
    assert calls == []


def test_sources_iter_unknown_format_raises_e021(sample_path):
    with pytest.raises(RegistryError, match=r"\[E021\]"):
        iter_documents(sample_path, input_format="docx")


def test_sources_iter_walks_folders_sorted_and_filters(tmp_path):
    for rel in ["b/2.txt", "b/1.md", "a.txt", "c/d/e.jsonl", ".hidden.txt", ".git/x.txt", "b/1.json", "b/img.png", "b/page.json", "notes"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('{"title": "标题", "text": "正文"}' if rel.endswith("l") else "标题\n正文", encoding="utf-8")
    items = list(iter_documents(tmp_path))
    docs = [x for x in items if not isinstance(x, Skip)]
    assert [x.id for x in docs] == ["a", "b.1", "b.2", "c.d.e.L1"]
    assert [x.format for x in docs] == ["page", "markdown", "page", "jsonl"]
    # what no reader takes is reported, once, with its reason; the sidecars (b/1.json, b/page.json) are not
    skips = [x for x in items if isinstance(x, Skip)]
    assert [(Path(x.path).relative_to(tmp_path).as_posix(), x.reason[:6]) for x in skips] == [
        ("b/img.png", "[E141]"), ("notes", "[E141]")]
    named = list(iter_documents([tmp_path / "b" / "img.png", tmp_path / ".hidden.txt"]))
    assert isinstance(named[0], Skip) and named[0].reason.startswith(f"[E006] {tmp_path / 'b' / 'img.png'}: unknown input format '.png'")
    assert named[1].id == ".hidden"


def test_sources_iter_skips_bad_files_and_strict_raises(tmp_path, theory_articles):
    (tmp_path / "1-good.txt").write_text(body_of(theory_articles["A"]), encoding="utf-8")
    (tmp_path / "2-empty.txt").write_bytes(b"")
    (tmp_path / "3-scan.txt").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "4-bad.txt").write_bytes(b"abc\x80def")
    (tmp_path / "5-good.md").write_text("# 标题\n正文", encoding="utf-8")
    items = list(iter_documents(tmp_path))
    assert [type(x).__name__ for x in items] == ["Document", "Skip", "Skip", "Skip", "Document"]
    assert [x.reason[:6] for x in items if isinstance(x, Skip)] == ["[E002]", "[E003]", "[E004]"]
    it = iter_documents(tmp_path, strict=True)
    assert next(it).id == "1-good"
    with pytest.raises(InputError, match=r"^\[E002\]"):
        next(it)


def test_sources_iter_unreadable_file_is_skipped(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("标题\n正文", encoding="utf-8")
    (tmp_path / "b.txt").write_text("标题\n正文", encoding="utf-8")
    real_open = decode_module.os.open

    def fake_open(path, *args, **kw):  # as root, chmod 000 does not stop a read
        if str(path).endswith("a.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kw)

    monkeypatch.setattr(decode_module.os, "open", fake_open)
    skip, doc = iter_documents(tmp_path)
    assert skip == Skip(str(tmp_path / "a.txt"), f"[E005] {tmp_path / 'a.txt'}: cannot read (Permission denied)")
    assert doc.id == "b"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_sources_iter_chmod_000_is_skipped(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("标题\n正文", encoding="utf-8")
    path.chmod(0)
    try:
        assert only(iter_documents(path)).reason.startswith("[E005]")
    finally:
        path.chmod(0o644)


def test_sources_iter_symlink_loops_do_not_hang(tmp_path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "a.txt").write_text("标题\n正文", encoding="utf-8")
    (tmp_path / "in" / "sub" / "up").symlink_to(tmp_path / "in", target_is_directory=True)
    (tmp_path / "in" / "self").symlink_to(tmp_path / "in" / "self")  # a link to itself
    (tmp_path / "in" / "loop.txt").symlink_to(tmp_path / "in" / "loop.txt")
    (tmp_path / "in" / "alias.txt").symlink_to(tmp_path / "in" / "sub" / "a.txt")
    items = list(iter_documents([tmp_path / "in", tmp_path / "in" / "sub"]))
    assert [(type(x).__name__, getattr(x, "id", "") or x.reason[:6]) for x in items] == [
        ("Document", "alias"),  # the file, through its first name in sorted order; read once
        ("Skip", "[E005]"),  # loop.txt: too many levels of symbolic links
    ]


def test_sources_iter_duplicate_ids_renamed(tmp_path):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "07.txt").write_text(f"{folder}\n正文", encoding="utf-8")
    one, two = iter_documents([tmp_path / "x", tmp_path / "y"])
    assert (one.id, two.id) == ("07", "07-2")
    assert two.warnings == (f"[W005] {tmp_path / 'y' / '07.txt'}: document id '07' already used; renamed to '07-2'",)


@pytest.mark.slow  # about 2 s alone (1 s of it writing the files), more on a busy machine
def test_sources_iter_10000_small_files(tmp_path):
    root = tmp_path / "many"
    for i in range(100):
        sub = root / f"{i:03d}"
        sub.mkdir(parents=True)
        for j in range(100):
            (sub / f"{j:03d}.txt").write_bytes(b"\xe6\xa0\x87\xe9\xa2\x98\n" + str(i * j).encode())
    t0 = time.perf_counter()
    ids = [d.id for d in iter_documents(root)]
    elapsed = time.perf_counter() - t0
    assert len(ids) == 10_000 and ids == sorted(ids) and ids[0] == "000.000"
    assert elapsed < 30, f"walking 10,000 files took {elapsed:.1f} s"


# --------------------------------------------------------------------------- what is not Chinese news


@pytest.mark.parametrize("text, chinese", [
    ("会议强调，要加强团结协作。", True),
    ("会议强调，要加强 AI 与 5G 网络建设，推动 ChatGPT 类应用规范发展。", True),
    ("# Project\n\nA knowledge graph builder for news, in Python.", False),
    ("# About\nThe pages of one day of the paper, with notes (新闻).", False),
    ("2024-01-01 12:00", False),
    ("", False),
])
def test_sources_is_chinese(text, chinese):
    assert kg.sources.is_chinese(text) is chinese


def test_sources_iter_skips_documents_that_are_not_chinese_with_e140(tmp_path):
    (tmp_path / "README.md").write_text("# Newspages\n\nThis folder holds the pages of one day.\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("# 标题\n\n正文，会议召开。\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        '{"id": "1", "title": "Weather", "text": "Sunny all day, light wind."}\n{"id": "2", "title": "标题", "text": "正文"}\n',
        encoding="utf-8")
    items = list(iter_documents(tmp_path))
    assert [(type(x).__name__, getattr(x, "id", "") or x.reason[:6], x.line) for x in items] == [
        ("Skip", "[E140]", 0), ("Document", "a", 0), ("Skip", "[E140]", 1), ("Document", "b.2", 2)]
    assert items[0].reason.startswith(f"[E140] {tmp_path / 'README.md'}: not Chinese news")
    assert f"{tmp_path / 'b.jsonl'}:1" in items[2].reason
    with pytest.raises(InputError, match=r"^\[E140\]"):
        list(iter_documents(tmp_path / "README.md", strict=True))


@pytest.mark.parametrize("names, reported", [
    (["a.txt", "a.json", "page.json"], []),  # the sidecars of a page
    (["a.txt", "b.json"], ["b.json"]),  # JSON beside no page
    (["a.txt", "scan.pdf", "logo.png", "Makefile"], ["Makefile", "logo.png", "scan.pdf"]),
])
def test_sources_iter_reports_files_no_reader_takes_once(tmp_path, names, reported):
    for name in names:
        (tmp_path / name).write_text("{}" if name.endswith(".json") else "标题\n正文", encoding="utf-8")
    skips = [x for x in iter_documents(tmp_path) if isinstance(x, Skip)]
    assert [Path(x.path).name for x in skips] == reported
    assert all(x.reason.startswith(f"[E141] {x.path}: no reader takes") for x in skips)
