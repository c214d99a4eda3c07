"""Regenerate sample.ttl / sample.trig: a hand-made two-article graph in the shape of docs/GRAPH.md.

Run ``python tests/data/view/make_sample.py``; the texts are copied from the sample page
(source/workers-daily-2022-11-theory.txt) with its layout line breaks removed, and every
offset is computed here so that ``context[begin:end] == anchorOf`` holds.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from urllib.parse import quote

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD, ORG, PROV

from kg.rdf.vocab import ID, ITSRDF, NIF, NKG, PREFIXES, SCHEMA

HERE = Path(__file__).resolve().parent
PAGE = "workers-daily-2022-11-theory"

ARTICLES = {
    f"{PAGE}-1": [
        ("title", "坚持育用结合 激发产业工人技术创新活力"),
        ("byline", "苏炜 刘景芝"),
        ("paragraph", "在全面建成小康社会、实现第一个百年奋斗目标的过程中，广大产业工人发挥了技术创新的主力军作用。"
         "奋进新征程，全面建成社会主义现代化强国，推进制造强国战略和创新驱动发展战略，要紧紧依靠工人阶级，"
         "充分激发产业工人的创新创造热情。"),
        ("heading", "加强职业教育与培训"),
        ("paragraph", "一是突出“高精尖缺”导向，“靶向”培养创新型技能人才。创新校企融合方式，根据企业实际用工需求，"
         "动态调整职业院校专业设置及招生计划，引导企业投入资金、师资、技术标准，全面推广现代学徒制，把办学延伸至产业园区。"),
        ("attribution", "（作者单位：中共河北省委党校（河北行政学院））"),
    ],
    f"{PAGE}-4": [
        ("title", "在共建共治共享的社会治理中发挥工会劳动法律监督作用"),
        ("byline", "张冬梅"),
        ("paragraph", "党的二十大报告指出，完善社会治理体系，健全共建共治共享的社会治理制度，提升社会治理效能，"
         "畅通和规范群众诉求表达、利益协调、权益保障通道，建设人人有责、人人尽责、人人享有的社会治理共同体。"
         "工会作为广大职工利益的代表者和维护者，有代表和组织职工参与管理国家和社会事务的职能。"),
        ("heading", "当前工会劳动法律监督的实践探索"),
        ("paragraph", "我国的工会劳动法律监督制度以宪法、劳动法、工会法为原则，以《工会劳动法律监督办法》为直接依据。"
         "当前，天津、江西、山东、内蒙古等省区市颁布了当地的工会劳动法律监督条例，各地的省、市、县、企业四级工会劳动法律监督体系逐步完善。"),
        ("heading", "完善基层工会劳动法律监督的建议"),
        ("paragraph", "第一，切实提高基层工会建会率，加强工会劳动法律监督的组织建设。工会劳动法律监督要依托各级工会尤其是基层工会来开展。"),
        ("attribution", "（作者单位：中国劳动关系学院）"),
    ],
}

HEADLINES = {aid: blocks[0][1] for aid, blocks in ARTICLES.items()}

# (type folder, name, rdf types, extra names)
ENTITIES = [
    ("person", "苏炜", [SCHEMA.Person], []),
    ("person", "刘景芝", [SCHEMA.Person], []),
    ("person", "张冬梅", [SCHEMA.Person], []),
    ("organization", "中共河北省委党校", [SCHEMA.Organization], ["河北行政学院"]),
    ("organization", "中国劳动关系学院", [SCHEMA.Organization], []),
    ("place", "天津", [SCHEMA.Place], []),
    ("place", "江西", [SCHEMA.Place], []),
    ("place", "山东", [SCHEMA.Place], []),
    ("place", "内蒙古", [SCHEMA.Place], []),
    ("policy", "制造强国战略", [NKG.Policy, NKG.Strategy], []),
    ("policy", "创新驱动发展战略", [NKG.Policy, NKG.Strategy], []),
    ("policy", "现代学徒制", [NKG.Policy, NKG.System], []),
    ("policy", "工会劳动法律监督办法", [NKG.Policy, NKG.Regulation], []),
    ("policy", "工会劳动法律监督条例", [NKG.Policy, NKG.Regulation], []),
]

# (article, entity folder/name, surface text, occurrence index)
MENTIONS = [
    (f"{PAGE}-1", "person/苏炜", "苏炜", 0),
    (f"{PAGE}-1", "person/刘景芝", "刘景芝", 0),
    (f"{PAGE}-1", "policy/制造强国战略", "制造强国战略", 0),
    (f"{PAGE}-1", "policy/创新驱动发展战略", "创新驱动发展战略", 0),
    (f"{PAGE}-1", "policy/现代学徒制", "现代学徒制", 0),
    (f"{PAGE}-1", "organization/中共河北省委党校", "中共河北省委党校", 0),
    (f"{PAGE}-1", "organization/中共河北省委党校", "河北行政学院", 0),
    (f"{PAGE}-4", "person/张冬梅", "张冬梅", 0),
    (f"{PAGE}-4", "policy/工会劳动法律监督办法", "工会劳动法律监督办法", 0),
    (f"{PAGE}-4", "place/天津", "天津", 0),
    (f"{PAGE}-4", "place/江西", "江西", 0),
    (f"{PAGE}-4", "place/山东", "山东", 0),
    (f"{PAGE}-4", "place/内蒙古", "内蒙古", 0),
    (f"{PAGE}-4", "policy/工会劳动法律监督条例", "工会劳动法律监督条例", 0),
    (f"{PAGE}-4", "organization/中国劳动关系学院", "中国劳动关系学院", 0),
]

AUTHORS = {f"{PAGE}-1": ["person/苏炜", "person/刘景芝"], f"{PAGE}-4": ["person/张冬梅"]}
AFFILIATION = {"person/苏炜": "organization/中共河北省委党校", "person/刘景芝": "organization/中共河北省委党校",
               "person/张冬梅": "organization/中国劳动关系学院"}

# (article, n, marker, description, sentence that is its evidence, policies mentioned)
MEASURES = [
    (f"{PAGE}-1", 1, "一是", "突出“高精尖缺”导向，“靶向”培养创新型技能人才",
     "一是突出“高精尖缺”导向，“靶向”培养创新型技能人才。", ["policy/现代学徒制"]),
    (f"{PAGE}-4", 1, "第一", "切实提高基层工会建会率，加强工会劳动法律监督的组织建设",
     "第一，切实提高基层工会建会率，加强工会劳动法律监督的组织建设。", []),
]


def iri(path: str) -> URIRef:
    folder, _, name = path.partition("/")
    return ID[f"{folder}/{quote(name, safe='-')}"]


def span(aid: str, b: int, e: int) -> URIRef:
    return URIRef(f"{ID}context/{aid}#char={b},{e}")


def main() -> None:
    ds = Dataset()
    for k, v in PREFIXES.items():
        ds.bind(k, v)
    default = ds.default_graph
    page = iri(f"page/{PAGE}")
    default.add((page, RDF.type, NKG.Page))
    default.add((page, SCHEMA.name, Literal("workers-daily-2022-11-theory.txt")))
    default.add((page, NKG.column, Literal("理论", lang="zh")))
    default.add((page, SCHEMA.datePublished, Literal("2022-11-21", datatype=XSD.date)))
    extractor = iri("extractor/fixture")
    default.add((extractor, RDF.type, NKG.Extractor))
    default.add((extractor, RDF.type, PROV.SoftwareAgent))
    default.add((extractor, RDFS.label, Literal("fixture")))
    for folder, name, types, alt in ENTITIES:
        node = iri(f"{folder}/{name}")
        for t in types:
            default.add((node, RDF.type, t))
        default.add((node, SCHEMA.name, Literal(name, lang="zh")))
        for a in alt:
            default.add((node, SCHEMA.alternateName, Literal(a, lang="zh")))
    for p, o in AFFILIATION.items():
        default.add((iri(p), SCHEMA.affiliation, iri(o)))

    texts = {}
    for aid, blocks in ARTICLES.items():
        g = ds.graph(iri(f"graph/{aid}"))
        art = iri(f"article/{aid}")
        text = "\n".join(t for _, t in blocks)
        texts[aid] = text
        ctx = iri(f"context/{aid}")
        g.add((art, RDF.type, SCHEMA.NewsArticle))
        g.add((art, SCHEMA.headline, Literal(HEADLINES[aid], lang="zh")))
        g.add((art, SCHEMA.isPartOf, page))
        g.add((art, SCHEMA.datePublished, Literal("2022-11-21", datatype=XSD.date)))
        g.add((ctx, RDF.type, NIF.Context))
        g.add((ctx, NIF.isString, Literal(text, lang="zh")))
        g.add((ctx, NIF.sourceUrl, art))
        pos = 0
        for kind, t in blocks:
            b, e = pos, pos + len(t)
            pos = e + 1
            if kind in ("title", "paragraph"):
                blk = span(aid, b, e)
                g.add((blk, RDF.type, NIF.Title if kind == "title" else NIF.Paragraph))
                g.add((blk, NIF.referenceContext, ctx))
                g.add((blk, NIF.beginIndex, Literal(b)))
                g.add((blk, NIF.endIndex, Literal(e)))
        for p in AUTHORS[aid]:
            g.add((art, SCHEMA.author, iri(p)))
            fact = iri("fact/" + hashlib.sha1(f"{aid}{p}author".encode()).hexdigest()[:16])
            b = text.index(p.split("/")[1])
            ev = span(aid, b, b + len(p.split("/")[1]))
            g.add((fact, RDF.type, RDF.Statement))
            g.add((fact, RDF.subject, art))
            g.add((fact, RDF.predicate, SCHEMA.author))
            g.add((fact, RDF.object, iri(p)))
            g.add((fact, PROV.wasDerivedFrom, ev))
            g.add((fact, PROV.wasAttributedTo, extractor))
            g.add((ev, RDF.type, NIF.String))
            g.add((ev, NIF.referenceContext, ctx))
            g.add((ev, NIF.beginIndex, Literal(b)))
            g.add((ev, NIF.endIndex, Literal(b + len(p.split("/")[1]))))

    for aid, ent, surface, occ in MENTIONS:
        g = ds.graph(iri(f"graph/{aid}"))
        text = texts[aid]
        b = -1
        for _ in range(occ + 1):
            b = text.index(surface, b + 1)
        e = b + len(surface)
        assert text[b:e] == surface
        m = span(aid, b, e)
        ctx = iri(f"context/{aid}")
        node = iri(ent)
        g.add((m, RDF.type, NIF.Phrase))
        g.add((m, NIF.referenceContext, ctx))
        g.add((m, NIF.beginIndex, Literal(b)))
        g.add((m, NIF.endIndex, Literal(e)))
        g.add((m, NIF.anchorOf, Literal(surface, lang="zh")))
        g.add((m, ITSRDF.taIdentRef, node))
        cls = next(t for f, n, ts, _ in ENTITIES if f"{f}/{n}" == ent for t in ts[:1])
        g.add((m, ITSRDF.taClassRef, cls))
        g.add((m, PROV.wasAttributedTo, extractor))
        g.add((iri(f"article/{aid}"), SCHEMA.mentions, node))

    for aid, n, marker, desc, sentence, policies in MEASURES:
        g = ds.graph(iri(f"graph/{aid}"))
        text = texts[aid]
        meas = iri(f"measure/{aid}-{n}")
        art = iri(f"article/{aid}")
        g.add((art, NKG.proposes, meas))
        g.add((meas, RDF.type, NKG.Measure))
        g.add((meas, SCHEMA.description, Literal(desc, lang="zh")))
        g.add((meas, SCHEMA.position, Literal(n)))
        g.add((meas, NKG.marker, Literal(marker, lang="zh")))
        b = text.index(sentence)
        ev = span(aid, b, b + len(sentence))
        g.add((ev, RDF.type, NIF.String))
        g.add((ev, NIF.referenceContext, iri(f"context/{aid}")))
        g.add((ev, NIF.beginIndex, Literal(b)))
        g.add((ev, NIF.endIndex, Literal(b + len(sentence))))
        g.add((meas, PROV.wasDerivedFrom, ev))
        for p in policies:
            g.add((meas, SCHEMA.mentions, iri(p)))

    # one post held, as org:Membership
    mem = iri("membership/" + hashlib.sha1(b"zdm-cilr").hexdigest()[:16])
    role = iri("role/作者")
    default.add((mem, RDF.type, ORG.Membership))
    default.add((mem, ORG.member, iri("person/张冬梅")))
    default.add((mem, ORG.organization, iri("organization/中国劳动关系学院")))
    default.add((mem, ORG.role, role))
    default.add((role, RDF.type, ORG.Role))
    default.add((role, RDFS.label, Literal("作者", lang="zh")))

    (HERE / "sample.trig").write_text(ds.serialize(format="trig"), encoding="utf-8")
    flat = Graph()
    for k, v in PREFIXES.items():
        flat.bind(k, v)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        flat.add((s, p, o))
    (HERE / "sample.ttl").write_text(flat.serialize(format="turtle"), encoding="utf-8")


if __name__ == "__main__":
    main()
