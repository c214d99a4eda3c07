"""Extractors: tables of sentences and lines -> expected entities, posts, events and measures."""

from __future__ import annotations

import pytest

from kg import extract
from kg.extract.analysis import parse_attribution
from kg.extract.nlp import ProvenWords
from kg.extract.event import date_of
from kg.model import Article, Block, Mention, Ref, Relation
from kg.lexicon.names import parse_authors
from kg.lexicon.orgs import canonical_org, is_org_name, parents_of, places_in
from kg.lexicon.posts import parse_posts, split_role
from kg.resolve import drop_overlaps


def _doc(text: str, *, role: str = "paragraph", proven=(), province="", authors=()):
    blocks = (Block(role, text, tuple(range(len(text)))),)
    art = Article.build("t", "", blocks, authors=tuple(authors))
    return extract.analyse(art, proven=ProvenWords(proven), province=province)


def _found(text: str, label: str, *, names=("ner", "place", "policy", "event"), **kw) -> list[str]:
    doc = _doc(text, **kw)
    ms = list(extract.extract_article(doc, names).mentions)
    for m in ms:
        assert doc.text[m.start:m.end] == m.text
    return sorted({m.name for m in drop_overlaps(ms) if m.label == label})


# --------------------------------------------------------------- registry


def test_extract_registry_has_one_extractor_per_module():
    assert extract.names() == ("byline", "notes", "attribution", "ner", "post", "structure", "place", "policy", "event", "measure")
    for name in extract.names():
        assert extract.get(name).makes


@pytest.mark.parametrize("needs, makes, code", [
    (("horoscope",), (Mention,), "E022"),
    ((), (str,), "E023"),
])
def test_extract_registry_refuses_what_the_context_cannot_give_or_no_record_type(needs, makes, code):
    from kg.errors import RegistryError

    with pytest.raises(RegistryError, match=rf"\[{code}\]"):
        extract.register("bad", needs=needs, makes=makes)(lambda ctx: ())


def _reads(monkeypatch, extractors, contexts) -> dict[str, set[str]]:
    """The members of the context each extractor reads itself (not those the context reads to make them)."""
    import sys

    from kg.extract.context import ArticleContext

    reads: dict[str, set[str]] = {e.name: set() for e in extractors}
    running: list[str] = []
    plain = object.__getattribute__

    def traced(self, name):
        if running and not name.startswith("_"):
            caller = sys._getframe(1).f_code
            if not caller.co_filename.endswith(("context.py", "functools.py")):
                reads[running[-1]].add(name)
        return plain(self, name)

    monkeypatch.setattr(ArticleContext, "__getattribute__", traced)
    for ctx in contexts:
        for e in extractors:
            running.append(e.name)
            try:
                list(e(ctx))
            finally:
                running.pop()
    return reads


def _undeclared(extractor, read: set[str]) -> list[str]:
    from kg.extract.context import MEMBER_NEEDS

    return sorted(f"{m} ({MEMBER_NEEDS.get(m, '?')})" for m in read
                  if MEMBER_NEEDS.get(m) != "article" and MEMBER_NEEDS.get(m) not in extractor.needs)


def test_extract_registry_maps_every_member_of_the_context_to_a_need():
    import dataclasses

    from kg.extract.context import MEMBER_NEEDS, PROVIDES, ArticleContext

    public = {n for n in dir(ArticleContext) if not n.startswith("_")} | {f.name for f in dataclasses.fields(ArticleContext)}
    assert public == set(MEMBER_NEEDS)
    assert set(MEMBER_NEEDS.values()) == set(PROVIDES)


def test_extract_registry_needs_are_what_each_extractor_reads(sample_page, monkeypatch):
    from kg.extract.context import ArticleContext

    contexts = [extract.analyse(a, province="湖北") for a in sample_page.articles]
    extractors = [extract.get(n) for n in extract.names()]
    reads = _reads(monkeypatch, extractors, contexts)
    monkeypatch.setattr(ArticleContext, "__getattribute__", object.__getattribute__)
    assert reads["event"] and reads["post"]  # the tracer sees reads
    assert {e.name: _undeclared(e, reads[e.name]) for e in extractors} == {e.name: [] for e in extractors}


def test_extract_registry_tracer_catches_an_undeclared_read(sample_page, monkeypatch):
    from kg.extract.registry import Extractor

    sly = Extractor("sly", lambda ctx: [] if ctx.province and ctx.tokens_in(0, 2) else [], ("tokens",), (Mention,))
    reads = _reads(monkeypatch, [sly], [extract.analyse(sample_page.articles[0], province="湖北")])
    assert _undeclared(sly, reads["sly"]) == ["province (province)"]


def test_extract_registry_refuses_a_record_the_extractor_does_not_declare(sample_page, monkeypatch):
    from kg.errors import RegistryError
    from kg.extract.registry import Extractor

    undeclared = Extractor("liar", lambda ctx: [Relation("author", Ref("Article", "a"), Ref("Person", "张三"), "a", 0, 1, "liar")], (), (Mention,))
    with pytest.raises(RegistryError, match=r"\[E023\] extractor 'liar' made a Relation"):
        list(undeclared(extract.analyse(sample_page.articles[0])))


def test_extract_shared_analyses_are_computed_once_per_article(sample_page, monkeypatch):
    from kg.extract import analysis

    calls = []
    real = analysis.org_spans
    monkeypatch.setattr(analysis, "org_spans", lambda *a, **k: calls.append(1) or real(*a, **k))
    ctx = extract.analyse(sample_page.articles[0])
    x = extract.extract_article(ctx)
    assert x.mentions and len(calls) == 1


def test_extract_unknown_extractor_is_a_coded_error():
    from kg.errors import RegistryError

    with pytest.raises(RegistryError, match=r"\[E020\].*'nope'"):
        extract.get("nope")


def test_extract_extractors_do_not_change_their_input(sample_page):
    art = sample_page.articles[0]
    doc = extract.analyse(art)
    before = (doc.article, doc.tokens, doc.sentences)
    extract.extract_article(doc)
    assert (doc.article, doc.tokens, doc.sentences) == before


# --------------------------------------------------------------- people


@pytest.mark.parametrize(
    "line, names",
    [
        ("苏炜 刘景芝", ("苏炜", "刘景芝")),
        ("张冬梅", ("张冬梅",)),
        ("本报记者 王某某 通讯员 李四", ()),  # a role word between names: not a plain byline
        ("本报记者 张三 李四", ("张三", "李四")),
        ("欧阳修", ("欧阳修",)),
        ("方  颖", ("方颖",)),
        ("加强职业教育与培训", ()),
        ("当前工会劳动法律监督的实践探索", ()),
    ],
)
def test_extract_byline_table(line, names):
    assert parse_authors(line, page=True) == names


@pytest.mark.parametrize(
    "sentence, people",
    [
        ("更加坚定地维护以习近平同志为核心的党中央权威。", ["习近平"]),
        ("会上，田永坡党的二十大报告解读引起关注。", ["田永坡"]),  # LAC glues 党 to the name
        ("唐鑛的发言强调数字赋能。", ["唐鑛"]),
        # words the tagger glues to a name: a verb after it, two names joined by 和
        ("受国务院委托，应急管理部部长王建喜作了说明。", ["王建喜"]),
        ("开幕式后，韩立和普京一同巡视展馆。", ["普京", "韩立"]),
    ],
)
def test_extract_people_in_running_text(sentence, people):
    assert _found(sentence, "Person", proven=frozenset(people)) == people


# --------------------------------------------------------------- organizations and places


@pytest.mark.parametrize(
    "sentence, orgs",
    [
        ("11月 10日，全总工会理论和劳动关系智库召开座谈会。", ["全总工会理论和劳动关系智库"]),
        ("努力推动新时代山东工会工作走在前、开新局。", []),  # LAC: 新时代山东工会 is ORG; it is the unions of a place
        ("要深化工会、共青团、妇联等群团组织改革和建设。", ["中华全国妇女联合会", "中国共产主义青年团"]),
        ("积极向国际劳工组织和其他国际组织输送工会人才。", ["国际劳工组织"]),
        ("各级工会和有关部门要加强配合。", []),  # generic bodies (a kind of committee named by its function is the tagger's call)
        ("游客走进青山县革命纪念馆参观。", ["青山县革命纪念馆"]),  # a museum is a body, named like its hall
        ("感谢德国政府和人民的支持。", ["德国政府"]),  # a country's government named right after it
        ("认清民进党当局的本性。", ["民进党"]),  # not the democratic party whose short name starts it
        ("记者来到侵华日军细菌战衢州陈列馆参观。", ["侵华日军细菌战衢州陈列馆"]),  # a building's name whole, as the body
        ("“九·一八”历史博物馆举行活动。", ["“九·一八”历史博物馆"]),
    ],
)
def test_extract_organizations_in_running_text(sentence, orgs):
    assert _found(sentence, "Organization") == orgs


@pytest.mark.parametrize(
    "sentence, places",
    [
        ("当前，天津、江西、山东、内蒙古等省区市颁布了当地的条例。", ["内蒙古", "天津", "山东", "江西"]),
        ("努力推动新时代山东工会工作走在前、开新局。", ["山东"]),
        ("深入实施“齐鲁工匠”建设工程。", []),  # a place word inside a programme's name
        ("北京大学法学院的学者参加了会议。", []),  # 北京 in 北京大学 names no place
        ("当记者来到广东汕尾，海工装备正加快建造。", ["广东", "汕尾"]),  # a city LAC reads after its province
        ("推动中欧班列高质量发展，深化中非合作。", []),  # 中欧, 中非 before a word of relations: the two sides
        ("弘扬中华优秀传统文化。", []),  # 中华: the Chinese, no place
    ],
)
def test_extract_places(sentence, places):
    assert _found(sentence, "Place") == places


@pytest.mark.parametrize(
    "name, province, canonical, alts",
    [
        ("省总工会", "山东", "山东省总工会", ("省总工会",)),
        ("省政协", "山东", "山东省政协", ("省政协",)),
        ("山东省委", "", "中共山东省委", ("山东省委",)),
        ("全总", "", "中华全国总工会", ("全总", "全国总工会")),
        ("中共河北省委党校（河北行政学院）", "", "中共河北省委党校", ("河北行政学院", "中共河北省委党校（河北行政学院）", "河北省委党校")),
        ("新时代中国劳动关系学院", "", "中国劳动关系学院", ()),
    ],
)
def test_extract_short_forms_resolve_in_context(name, province, canonical, alts):
    assert canonical_org(name, province) == (canonical, alts)


@pytest.mark.parametrize(
    "name, chain",
    [
        ("中国人民大学劳动人事学院", [("中国人民大学劳动人事学院", "中国人民大学")]),
        ("北京大学法学院国际法研究所", [("北京大学法学院国际法研究所", "北京大学法学院"), ("北京大学法学院", "北京大学")]),
        ("中国科学院中国现代化研究中心", [("中国科学院中国现代化研究中心", "中国科学院")]),
        ("中共山东省委统战部", [("中共山东省委统战部", "中共山东省委")]),
        ("中共河北省委党校", []),
        ("中国劳动和社会保障科学研究院", []),
        ("全总工会理论和劳动关系智库", []),
    ],
)
def test_extract_parent_organizations_from_compound_names(name, chain):
    assert parents_of(name) == chain


@pytest.mark.parametrize("name, ok", [("中国人民大学", True), ("基层工会", False), ("各级工会", False), ("国际劳工组织", True), ("劳动关系", False)])
def test_extract_is_org_name_table(name, ok):
    assert is_org_name(name) is ok


def test_extract_places_inside_administrative_names():
    assert places_in("中共河北省委党校") == [(2, "河北")]
    assert places_in("北京大学法学院") == []


# --------------------------------------------------------------- posts held


@pytest.mark.parametrize(
    "text, posts",
    [
        (
            "（作者为山东省委常委、统战部部长，省政协党组副书记，省总工会主席）",
            [("中共山东省委", "常委"), ("中共山东省委统战部", "部长"), ("山东省政协", "党组副书记"), ("山东省总工会", "主席")],
        ),
        ("——中国人民大学劳动人事学院党委书记、副院长", [("中国人民大学劳动人事学院", "党委书记"), ("中国人民大学劳动人事学院", "副院长")]),
        ("——中国劳动关系学院校长、党委副书记", [("中国劳动关系学院", "校长"), ("中国劳动关系学院", "党委副书记")]),
        ("——中国人事科学研究院人力资源市场研究室主任", [("中国人事科学研究院人力资源市场研究室", "主任")]),
        ("——北京大学法学院国际法研究所副所长", [("北京大学法学院国际法研究所", "副所长")]),
        ("（作者为江苏省委常委、宣传部部长）", [("中共江苏省委", "常委"), ("中共江苏省委宣传部", "部长")]),
        ("（作者为某某大学教授、博士生导师）", [("某某大学", "教授"), ("某某大学", "博士生导师")]),
    ],
)
def test_extract_posts_table(text, posts):
    assert [(p.org, p.role) for p in parse_posts(text)] == posts


@pytest.mark.parametrize(
    "item, org, role",
    [("省政协党组副书记", "省政协", "党组副书记"), ("中国劳动和社会保障科学研究院研究员", "中国劳动和社会保障科学研究院", "研究员"), ("副院长", "", "副院长")],
)
def test_extract_split_role_table(item, org, role):
    assert split_role(item) == (org, role)


@pytest.mark.parametrize(
    "line, name",
    [
        ("——中国人民大学劳动人事学院党委书记、副院长 唐鑛", "唐鑛"),
        ("——中国劳动和社会保障科学研究院研究员 王文珍", "王文珍"),
        ("——某某大学教授张三", "张三"),
        ("——李四", "李四"),
    ],
)
def test_extract_attribution_speaker_table(line, name):
    ps, pe, ns, ne = parse_attribution(line)
    assert line[ns:ne] == name


def test_extract_notes_give_affiliation_and_posts():
    blocks = (Block("byline", "张三", (0, 1)), Block("note", "（作者为山东省委常委、统战部部长，省总工会主席）", tuple(range(2, 26))))
    art = Article.build("t", "T", blocks, authors=("张三",))
    recs = list(extract.get("notes")(extract.analyse(art)))
    posts = sorted((r.obj.name, r.role) for r in recs if isinstance(r, Relation))
    assert posts == [("中共山东省委", "常委"), ("中共山东省委统战部", "部长"), ("山东省总工会", "主席")]
    blocks = (Block("byline", "张三 李四", tuple(range(5))), Block("note", "（作者单位：某某大学（某某学院））", tuple(range(5, 22))))
    art = Article.build("t", "T", blocks, authors=("张三", "李四"))
    recs = list(extract.get("notes")(extract.analyse(art)))
    aff = sorted((r.subject.name, r.obj.name) for r in recs if isinstance(r, Relation))
    assert aff == [("张三", "某某大学"), ("李四", "某某大学")]
    anchors = sorted(m.text for m in recs if isinstance(m, Mention))
    assert anchors == ["某某大学", "某某学院"]


# --------------------------------------------------------------- policies


@pytest.mark.parametrize(
    "sentence, policies",
    [
        ("我国的工会劳动法律监督制度以宪法、劳动法、工会法为原则，以《工会劳动法律监督办法》为直接依据。", ["劳动法", "宪法", "工会劳动法律监督办法", "工会法"]),
        ("深入研究制定劳动法典、修改劳动合同法等问题，推动优先制定基本劳动标准法。", ["劳动合同法", "劳动法典", "基本劳动标准法"]),
        ("推进制造强国战略和创新驱动发展战略。", ["创新驱动发展战略", "制造强国战略"]),
        ("要积极推动“新八级工”制度，拓展技能人才上升通道。", ["新八级工制度"]),
        ("坚定拥护“两个确立”、坚决做到“两个维护”。", ["两个确立", "两个维护"]),
        ("对统筹推进“五位一体”总体布局和协调推进“四个全面”战略布局提出明确要求。", ["五位一体总体布局", "四个全面战略布局"]),
        ("深入实施职工创新创效工程、“齐鲁工匠”建设工程。", ["职工创新创效工程", "齐鲁工匠建设工程"]),
        ("建立与技能等级相匹配的岗位绩效工资制。", ["岗位绩效工资制"]),
        ("完善技能人才激励政策，健全相关政策和制度体系。", []),  # generic phrases
        ("完善劳动关系协商协调机制，抓紧申报立法计划。", []),
        ("很多违法违规行为具有隐蔽性，需要用科学的方法。", []),
        ("要加快建设国家战略人才力量。", []),  # 战略 does not end the noun phrase
        ("深入实施“工匠精神”培育工程。", ["工匠精神培育工程"]),
    ],
)
def test_extract_policies_table(sentence, policies):
    assert _found(sentence, "Policy") == policies


def test_extract_policy_kinds():
    doc = _doc("以宪法为原则，推进制造强国战略，坚持“两个确立”，落实终身职业技能培训制。")
    kinds = {m.name: m.subtype for m in extract.get("policy")(doc)}
    assert kinds == {"宪法": "Law", "制造强国战略": "Strategy", "两个确立": "Formulation", "终身职业技能培训制": "System"}


# --------------------------------------------------------------- events


def test_extract_meeting_with_date_and_organizer():
    doc = _doc("11月 10日，全总工会理论和劳动关系智库召开学习宣传贯彻党的二十大精神座谈会，多位专家进行交流。")
    recs = list(extract.get("event")(doc))
    events = sorted({m.name for m in recs if isinstance(m, Mention)})
    assert events == ["党的二十大", "学习宣传贯彻党的二十大精神座谈会"]
    rels = {(r.predicate, r.obj if isinstance(r.obj, str) else r.obj.name) for r in recs if isinstance(r, Relation)}
    assert rels == {("startDate", "--11-10"), ("organizer", "全总工会理论和劳动关系智库")}


@pytest.mark.parametrize(
    "text, page_date, expected",
    [("11月 10日", "", "--11-10"), ("11月 10日", "2022-11-21", "2022-11-10"), ("12月 30日", "2023-01-05", "2022-12-30"), ("2021年3月5日", "", "2021-03-05"), ("13月 40日", "", "")],
)
def test_extract_dates_table(text, page_date, expected):
    assert date_of(text, page_date) == expected


def test_extract_party_congress_in_running_text():
    assert _found("党的二十大报告提出，要健全劳动法律法规。", "Event") == ["党的二十大"]
    assert _found("党的二十大是一次十分重要的大会。", "Event") == ["党的二十大"]


# --------------------------------------------------------------- measures


def _measures(paragraphs, headings=()):
    blocks = []
    for h, ps in zip(headings or [None] * len(paragraphs), paragraphs):
        if h:
            blocks.append(Block("heading", h, ()))
        for p in ps:
            blocks.append(Block("paragraph", p, ()))
    art = Article.build("t", "T", tuple(blocks))
    return list(extract.get("measure")(extract.analyse(art)))


def test_extract_measures_with_section_headings():
    ms = _measures(
        [["一是突出导向，培养技能人才。创新校企融合方式。", "二是深化改革，打造培养模式。"], ["一是依托企业建设实训基地。引导企业加大培训。"]],
        headings=["加强职业教育与培训", "鼓励企业承担主体责任"],
    )
    assert [(m.position, m.section, m.text) for m in ms] == [
        (1, "加强职业教育与培训", "突出导向，培养技能人才"),
        (2, "加强职业教育与培训", "深化改革，打造培养模式"),
        (1, "鼓励企业承担主体责任", "依托企业建设实训基地"),
    ]
    assert ms[2].actors == ("企业",)


def test_extract_measures_without_headings_and_problems_skipped():
    ms = _measures([[
        "首先，工会劳动法律监督组织建设各地发展仍不均衡。",
        "第一，切实提高基层工会建会率，加强组织建设。工会要依托各级工会。",
        "第二，协调事前、事中和事后等监督方式。",
        "另外，基层工会劳动法律监督缺乏必要的执法手段。",
        "实现第一个百年奋斗目标。",
    ]])
    assert [(m.position, m.marker, m.text) for m in ms] == [
        (1, "第一", "切实提高基层工会建会率，加强组织建设"),
        (2, "第二", "协调事前、事中和事后等监督方式"),
    ]
    for m in ms:
        assert m.section == ""


def test_extract_offsets_invariant_over_every_mention_of_the_sample(sample_build, sample_page):
    texts = {a.id: a.text for p in sample_build.pages for a in p.articles}
    assert sample_build.records.mentions
    for m in sample_build.records.mentions:
        assert texts[m.article_id][m.start:m.end] == m.text
    for r in sample_build.records.relations:
        assert 0 <= r.start < r.end <= len(texts[r.article_id])
    for ms in sample_build.records.measures:
        assert texts[ms.article_id][ms.start:ms.end] == ms.text


def test_extract_sample_people_are_one_node_each(sample_build, gold):
    people = sorted(r.name for r in sample_build.entities.by_ref if r.label == "Person")
    assert people == sorted(p["name"] for p in gold["entities"]["Person"])
    assert Ref("Organization", "中共山东省委统战部") in sample_build.entities.by_ref


# --------------------------------------------------------------- posts in running text, issuers, named meetings


@pytest.mark.parametrize(
    "sentence, posts",
    [
        ("中华全国总工会党组书记、副主席张三在会上指出，要加强工会建设。",
         [("张三", "党组书记", "中华全国总工会"), ("张三", "书记", "中华全国总工会党组"), ("张三", "副主席", "中华全国总工会")]),
        ("中国人民大学劳动人事学院教授李四认为，数字经济带来新挑战。", [("李四", "教授", "中国人民大学劳动人事学院")]),
        ("习近平总书记强调，团结就是力量。", []),  # a title without a body: no membership
        ("中国人民大学的王五参加了会议。", []),  # no title between
    ],
)
def test_extract_posts_in_running_text(sentence, posts):
    recs = extract.get("post")(_doc(sentence))
    assert [(r.subject.name, r.role, r.obj.name) for r in recs] == posts


def test_extract_policy_issuers():
    doc = _doc("近日，中共中央办公厅、国务院办公厅印发了《关于加强新时代高技能人才队伍建设的意见》。")
    rels = sorted(r.obj.name for r in extract.get("policy")(doc) if isinstance(r, Relation))
    assert rels == ["中共中央办公厅", "国务院办公厅"]
    doc = _doc("据《工人日报》报道，某某大学发布了报告。")
    assert [r for r in extract.get("policy")(doc) if isinstance(r, Relation)] == []


@pytest.mark.parametrize(
    "sentence, events",
    [
        ("十九届六中全会审议通过了决议。", ["十九届六中全会"]),
        ("全国总工会召开全国劳动模范和先进工作者表彰大会。", ["全国劳动模范和先进工作者表彰大会"]),
        ("这是一次十分重要的大会。", []),
    ],
)
def test_extract_named_meetings(sentence, events):
    assert _found(sentence, "Event") == events


def test_extract_scholar_note_gives_affiliation_and_post():
    note = "（作者系中国劳动关系学院教授）"
    blocks = (Block("byline", "张三", (0, 1)), Block("note", note, tuple(range(2, 2 + len(note)))))
    art = Article.build("t", "T", blocks, authors=("张三",))
    rels = sorted((r.predicate, r.obj.name, r.role) for r in extract.get("notes")(extract.analyse(art)) if isinstance(r, Relation))
    assert rels == [("affiliation", "中国劳动关系学院", ""), ("member", "中国劳动关系学院", "教授")]


def test_extract_narrator_line_gives_person_post_and_story():
    from kg.model import Statement
    from kg.segment.layout import segment
    from kg.sources.common import Source
    from kg.sources.markdown import read_markdown

    md = ("---\ntitle: 金融服务实体经济\n---\n\n案例一\n\n讲述人：中国工商银行上海市分行营业部副总经理  李  明\n\n"
          "10月19日，我们为一家企业提供了贷款。企业发展很快。\n\n案例二\n\n讲述人：某某财险某某中心支公司业务总监  安  东\n\n我们为农户提供保险。\n")
    doc, = read_markdown(md, Source("a.md", "a"))
    art, = segment(doc).articles
    recs = list(extract.get("attribution")(extract.analyse(art, proven=ProvenWords(()))))
    people = {r.name for r in recs if isinstance(r, Mention) and r.label == "Person"}
    assert {"李明", "安东"} <= people  # letter-spaced names read whole
    posts = {(r.subject.name, r.obj.name, r.role) for r in recs if isinstance(r, Relation)}
    assert ("安东", "某某财险某某中心支公司", "业务总监") in posts  # the words before the title qualify it
    stories = {r.text for r in recs if isinstance(r, Statement)}
    assert "我们为农户提供保险。" in stories  # what a narrator tells follows the line
