"""Graphs made in code for the view tests and bench: synthetic ones of any size, and a hostile one."""

from __future__ import annotations

import random
from urllib.parse import quote

from rdflib import Dataset, Graph, Literal, URIRef

from kg.rdf.vocab import ID, ITSRDF, NIF, NKG, ORG, RDF, RDFS, SCHEMA

SURNAMES = "张王李赵刘陈杨黄吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国"
PLACES = "北京 上海 天津 重庆 河北 山西 辽宁 吉林 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川".split()
ORG_HEADS = "省总工会 劳动关系学院 人社厅 科技厅 职业技术学院 发展研究中心 工业集团 市总工会".split()
POLICY_TAILS = [("条例", NKG.Regulation), ("办法", NKG.Regulation), ("战略", NKG.Strategy), ("制度", NKG.System),
                ("工程", NKG.Programme), ("法", NKG.Law)]
POLICY_HEADS = "劳动 职业教育 技能人才 安全生产 科技创新 乡村振兴 数字经济 社会保障 工会 就业".split()


def _iri(folder: str, name: str) -> URIRef:
    return ID[f"{folder}/{quote(name, safe='-')}"]


def _article(g: Graph, aid: str, title: str, sentences: list[tuple[str, URIRef, URIRef]]) -> URIRef:
    """An article whose text is its title and one sentence per mention; each mention is a nif:Phrase."""
    art, ctx = _iri("article", aid), _iri("context", aid)
    parts, spans, pos = [title], [], len(title) + 1
    for sentence, surface, node in sentences:
        b = pos + sentence.index(str(surface))
        spans.append((b, b + len(str(surface)), str(surface), node))
        parts.append(sentence)
        pos += len(sentence) + 1
    text = "\n".join(parts)
    g.add((art, RDF.type, SCHEMA.NewsArticle))
    g.add((art, SCHEMA.headline, Literal(title, lang="zh")))
    g.add((ctx, RDF.type, NIF.Context))
    g.add((ctx, NIF.isString, Literal(text, lang="zh")))
    g.add((ctx, NIF.sourceUrl, art))
    for b, e, surface, node in spans:
        assert text[b:e] == surface
        m = URIRef(f"{ctx}#char={b},{e}")
        g.add((m, RDF.type, NIF.Phrase))
        g.add((m, NIF.referenceContext, ctx))
        g.add((m, NIF.beginIndex, Literal(b)))
        g.add((m, NIF.endIndex, Literal(e)))
        g.add((m, NIF.anchorOf, Literal(surface, lang="zh")))
        g.add((m, ITSRDF.taIdentRef, node))
        g.add((art, SCHEMA.mentions, node))
    return art


def synthetic_graph(n_nodes: int, seed: int = 1) -> Graph:
    """A graph in the shape of docs/GRAPH.md with about ``n_nodes`` view nodes.

    One node in twenty is an article; the others are people, organizations, places and
    policies, each mentioned (with a nif:Phrase) in two to three articles, with
    affiliations and publishers between them; popular entities are mentioned more.
    """
    rnd = random.Random(seed)
    g = Graph()
    n_articles = max(1, n_nodes // 20)
    entities: list[tuple[URIRef, str, str]] = []
    kinds = ["person"] * 5 + ["organization"] * 2 + ["place"] + ["policy"] * 2
    k = 0
    while len(entities) < n_nodes - n_articles:
        kind = kinds[k % len(kinds)]
        k += 1
        i = len(entities)
        if kind == "person":
            name = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN) + str(i)
            node = _iri("person", name)
            g.add((node, RDF.type, SCHEMA.Person))
        elif kind == "organization":
            name = rnd.choice(PLACES) + rnd.choice(ORG_HEADS) + str(i)
            node = _iri("organization", name)
            g.add((node, RDF.type, SCHEMA.Organization))
        elif kind == "place":
            name = rnd.choice(PLACES) + str(i)
            node = _iri("place", name)
            g.add((node, RDF.type, SCHEMA.Place))
        else:
            tail, cls = rnd.choice(POLICY_TAILS)
            name = rnd.choice(POLICY_HEADS) + str(i) + tail
            node = _iri("policy", name)
            g.add((node, RDF.type, NKG.Policy))
            g.add((node, RDF.type, cls))
        g.add((node, SCHEMA.name, Literal(name, lang="zh")))
        entities.append((node, name, kind))
    orgs = [e for e in entities if e[2] == "organization"]
    for node, _name, kind in entities:
        if kind == "person" and orgs and rnd.random() < 0.6:
            g.add((node, SCHEMA.affiliation, rnd.choice(orgs[: max(1, len(orgs) // 4)])[0]))
        if kind == "policy" and orgs and rnd.random() < 0.5:
            g.add((node, SCHEMA.publisher, rnd.choice(orgs)[0]))
    # every entity read in 1-3 articles; a few popular ones in many more
    per_article: list[list[tuple[str, URIRef, URIRef]]] = [[] for _ in range(n_articles)]
    for rank, (node, name, _kind) in enumerate(entities):
        times = 1 + rnd.randrange(2) + (8 if rank % 97 == 0 else 0)
        for a in rnd.sample(range(n_articles), min(times, n_articles)):
            per_article[a].append((f"据报道，{name}在会上介绍了有关情况。", Literal(name), node))
    for a, sentences in enumerate(per_article):
        _article(g, f"synthetic-{a}", f"第{a}篇：{rnd.choice(POLICY_HEADS)}工作综述", sentences)
    return g


#: Text from a hostile page: markup, quotes and a closing script tag in every field.
HOSTILE = "<script>alert(1)</script>"
HOSTILE_QUOTES = "\"'><img src=x onerror=\"window.__pwned=1\">"


def hostile_graph() -> Dataset:
    """A graph whose article text, headline and names try to inject markup into the view."""
    ds = Dataset()
    g = ds.graph(ID["graph/hostile-1"])
    person = _iri("person", "恶意")
    org = _iri("organization", "x")
    g.add((person, RDF.type, SCHEMA.Person))
    g.add((person, SCHEMA.name, Literal(f"王五{HOSTILE}", lang="zh")))
    g.add((person, SCHEMA.alternateName, Literal(HOSTILE_QUOTES, lang="zh")))
    g.add((org, RDF.type, SCHEMA.Organization))
    g.add((org, SCHEMA.name, Literal("</script><script>window.__pwned=2</script>", lang="zh")))
    g.add((person, SCHEMA.affiliation, org))
    post, role = ID["membership/hostile"], ID["role/hostile"]
    g.add((post, RDF.type, ORG.Membership))
    g.add((post, ORG.member, person))
    g.add((post, ORG.organization, org))
    g.add((post, ORG.role, role))
    g.add((role, RDFS.label, Literal(HOSTILE_QUOTES, lang="zh")))  # drawn as an edge label and tooltip
    sentence = f"王五{HOSTILE}说：“{HOSTILE_QUOTES}”。"
    _article(g, "hostile-1", f"标题{HOSTILE}\"'", [(sentence, Literal(f"王五{HOSTILE}"), person)])
    return ds


def busy_graph(n_articles: int = 200, per_article: int = 6, seed: int = 3) -> tuple[Graph, str]:
    """``(graph, name)``: one person named in ``n_articles`` articles, each naming ``per_article`` others.

    The neighbourhood of that person, two links deep, is a ball of about
    ``n_articles * (per_article / 2 + 1)`` nodes, as a leader's is in a season of national news.
    """
    rnd = random.Random(seed)
    g = Graph()
    leader = "某领导"
    hub = _iri("person", leader)
    g.add((hub, RDF.type, SCHEMA.Person))
    g.add((hub, SCHEMA.name, Literal(leader, lang="zh")))
    pool = []
    for i in range(n_articles * per_article // 2):
        kind = ("person", "organization", "place", "policy")[i % 4]
        name = {"person": rnd.choice(SURNAMES) + rnd.choice(GIVEN) + str(i),
                "organization": rnd.choice(PLACES) + rnd.choice(ORG_HEADS) + str(i),
                "place": rnd.choice(PLACES) + "区" + str(i), "policy": rnd.choice(POLICY_HEADS) + str(i) + "条例"}[kind]
        node = _iri(kind, name)
        g.add((node, RDF.type, {"person": SCHEMA.Person, "organization": SCHEMA.Organization, "place": SCHEMA.Place,
                                "policy": NKG.Policy}[kind]))
        g.add((node, SCHEMA.name, Literal(name, lang="zh")))
        pool.append((node, name))
    for a in range(n_articles):
        picks = rnd.sample(pool, per_article)
        sentences = [(f"{leader}出席活动并讲话。", Literal(leader), hub)]
        sentences += [(f"据报道，{name}参加了有关活动。", Literal(name), node) for node, name in picks]
        _article(g, f"busy-{a}", f"第{a}篇：{leader}{rnd.choice(POLICY_HEADS)}活动", sentences)
    return g, leader
