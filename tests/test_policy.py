"""Policies: boundaries, kinds, declared short names and issuers, on made-up sentences."""

from __future__ import annotations

import pytest

from kg import extract
from kg.extract.nlp import ProvenWords
from kg.extract.policy import canonical_policy
from kg.lexicon.policies import five_year_plan, generic_document, head_kind, numbered
from kg.model import Article, Block, Label, Mention, Relation


def _doc(text: str):
    art = Article.build("t", "", (Block("paragraph", text, tuple(range(len(text)))),))
    return extract.analyse(art, proven=ProvenWords(()))


def _records(text: str) -> list:
    doc = _doc(text)
    recs = list(extract.get("policy")(doc))
    for r in recs:
        if isinstance(r, Mention):
            assert doc.text[r.start:r.end] == r.text
    return recs


def _names(text: str) -> list[str]:
    return sorted({r.name for r in _records(text) if isinstance(r, Mention) and r.label == Label.POLICY})


@pytest.mark.parametrize(
    "sentence, policies",
    [
        # documents and treaties in 《》, by their head word
        ("省政府印发《关于促进山区果业发展的实施意见》。", ["关于促进山区果业发展的实施意见"]),
        ("两国签署《中华人民共和国和冰岛共和国司法协助条约》。", ["中华人民共和国和冰岛共和国司法协助条约"]),
        ("各方通过了《青山湖生态保护联合宣言》。", ["青山湖生态保护联合宣言"]),
        ("他在《北方晚报》上发表了《我的童年》一文。", []),  # a paper and an essay are no policies
        # a plan with a year range is named whole
        ("《智慧农机推广三年行动方案（2031—2033年）》发布。", ["智慧农机推广三年行动方案（2031—2033年）"]),
        # a nested title is a policy of its own
        ("批准《〈关于海洋塑料污染的维也纳公约〉附件修正案》。", ["〈关于海洋塑料污染的维也纳公约〉附件修正案", "关于海洋塑料污染的维也纳公约"]),
        # laws: the exact name, without the verb that governs it
        ("公安机关依照预防网络诈骗法的规定处理。", ["预防网络诈骗法"]),
        ("人人都要遵守预防网络诈骗法。", ["预防网络诈骗法"]),
        ("一方面，落实细化快递服务法等相关规定。", ["快递服务法"]),
        ("常委会组成人员要带头尊崇宪法。", ["宪法"]),
        ("纪念我国现行宪法公布施行五十周年。", ["宪法"]),
        ("会议表决通过了全国人大常委会关于提请审议海岛保护法修正草案的议案。", ["海岛保护法"]),
        ("会议表决通过了全国人大宪法和法律委员会的报告。", []),  # a committee, not a law
        # quoted and numbered formulations, five-year plans
        ("要坚持“三个坚持”，落实“六统一、一放开”。", ["三个坚持", "六统一、一放开"]),
        ("推广“一村一品”经验，反对“一刀切”，整治“三无”产品。", ["一村一品"]),
        ("把握“十七五”规划带来的机遇。", ["十七五规划"]),
        ("“十七五”时期是关键时期。", ["十七五规划"]),
        ("推进“放管服”改革。", ["放管服改革"]),
        # strategies, reforms, communities, keynotes
        ("深入实施乡村振兴战略，以服务国家战略为牵引。", ["乡村振兴战略"]),
        ("深化农垦管理体制改革，深化工会系统改革。", ["农垦管理体制改革"]),
        ("推动构建海洋命运共同体，构建企业与员工命运共同体。", ["海洋命运共同体"]),
        ("坚持稳扎稳打工作总基调。", ["稳扎稳打工作总基调"]),
        # 关于…的决定 named without 《》, and the law inside it
        ("会议通过了关于修改港口管理法的决定。", ["关于修改港口管理法的决定", "港口管理法"]),
        # bilateral names with their two sides, a charter before what speaks of it, corridors and trade agreements
        ("携手构建新时代中柬命运共同体。", ["中柬命运共同体"]),
        ("推动构建中国—东盟命运共同体。", ["中国—东盟命运共同体"]),
        ("维护联合国宪章宗旨和原则。", ["联合国宪章"]),
        ("推进中巴经济走廊建设，中韩自贸协定生效。", ["中巴经济走廊", "中韩自贸协定"]),
        # treaties after the verb that approves them, opening with their parties
        ("会议决定批准中国和东陆国引渡条约。", ["中国和东陆国引渡条约"]),
        ("会议通过了关于批准中国和东陆国移管被判刑人条约的决定。", ["中国和东陆国移管被判刑人条约", "关于批准中国和东陆国移管被判刑人条约的决定"]),
        ("双方签署了合作协定。", []),
        # a law before its draft or its enforcement check, named back to the verb before it, adjectives and verbs inside
        ("国务院提出了关于提请审议保守山林秘密法修订草案的议案。", ["保守山林秘密法"]),
        ("会议表决通过了反不正当垂钓法修订草案。", ["反不正当垂钓法"]),
        ("听取关于检查湖泊技术进步法实施情况的报告。", ["湖泊技术进步法"]),
        ("审议危险渔具安全法草案、民营渔业促进法草案。", ["危险渔具安全法", "民营渔业促进法"]),
        ("会议对山林组织法修订草案、对外渔业法修订草案进行了审议。", ["对外渔业法", "山林组织法"]),
    ],
)
def test_policy_boundaries(sentence, policies):
    assert _names(sentence) == policies


@pytest.mark.parametrize(
    "sentence, name, subtype",
    [
        ("实施《某某湿地保护条例》。", "某某湿地保护条例", "Regulation"),
        ("落实《某某三年行动方案（2031—2033年）》。", "某某三年行动方案（2031—2033年）", "Programme"),
        ("深入实施乡村振兴战略。", "乡村振兴战略", "Strategy"),
        ("推行岗位积分工资制。", "岗位积分工资制", "System"),
        ("增强“四个统筹”。", "四个统筹", "Formulation"),
        ("把握“十七五”规划。", "十七五规划", "Programme"),
        ("依照预防网络诈骗法。", "预防网络诈骗法", "Law"),
    ],
)
def test_policy_subtypes(sentence, name, subtype):
    kinds = {r.name: r.subtype for r in _records(sentence) if isinstance(r, Mention)}
    assert kinds[name] == subtype


@pytest.mark.parametrize(
    "text, names, short",
    [
        # a declared short name is the document it follows
        ("省政府办公厅印发《关于加快山区果业发展的指导意见》（以下简称《指导意见》）。《指导意见》提出三项任务。",
         ["关于加快山区果业发展的指导意见"], "指导意见"),
        ("某某局发布《森林康养基地建设规范》（简称“规范”）。“规范”明确了标准。", ["森林康养基地建设规范"], "规范"),
        # a bare 《通知》 is the one notice the article named
        ("市政府印发《关于做好防汛工作的通知》。各地要落实《通知》要求。", ["关于做好防汛工作的通知"], "通知"),
        # or nothing, when the article named none or several
        ("各地要落实《通知》要求。", [], "通知"),
        ("《关于甲事项的通知》《关于乙事项的通知》先后印发，《通知》要求各地落实。",
         ["关于乙事项的通知", "关于甲事项的通知"], "通知"),
    ],
)
def test_policy_declared_and_bare_short_names(text, names, short):
    mentions = [r for r in _records(text) if isinstance(r, Mention)]
    assert sorted({m.name for m in mentions}) == sorted(names)
    for m in mentions:
        if m.text == short:
            assert m.name in names and len(names) == 1


@pytest.mark.parametrize(
    "sentence, pairs",
    [
        ("近日，中共中央办公厅、国务院办公厅印发了《关于加强山区果业发展的意见》。",
         [("关于加强山区果业发展的意见", "中共中央办公厅"), ("关于加强山区果业发展的意见", "国务院办公厅")]),
        ("国务院办公厅日前印发《智慧农机推广三年行动方案（2031—2033年）》。",
         [("智慧农机推广三年行动方案（2031—2033年）", "国务院办公厅")]),
        ("据《北方晚报》报道，某某大学发布了报告。", []),
    ],
)
def test_policy_issuers(sentence, pairs):
    rels = sorted((r.subject.name, r.obj.name) for r in _records(sentence) if isinstance(r, Relation))
    assert rels == sorted(pairs)


def test_policy_laws_passed_by_a_session_are_issued_by_the_legislature():
    text = (
        "全国人大常委会第三次会议在北京闭幕。会议表决通过了新修订的海岛保护法、湿地管理法、关于修改港口管理法的决定。"
    )
    rels = {r.subject.name: r.obj.name for r in _records(text) if isinstance(r, Relation)}
    assert set(rels) == {"海岛保护法", "湿地管理法", "关于修改港口管理法的决定"}  # not 港口管理法 inside the decision
    assert len(set(rels.values())) == 1 and "人大" in next(iter(rels.values())) or "人民代表大会" in next(iter(rels.values()))


@pytest.mark.parametrize(
    "name, canonical, alts",
    [
        ("中华人民共和国海岛保护法", "海岛保护法", ("中华人民共和国海岛保护法",)),
        ("海岛保护法", "海岛保护法", ("中华人民共和国海岛保护法",)),
        ("澳门特别行政区维护数据安全法", "澳门特别行政区维护数据安全法", ("中华人民共和国澳门特别行政区维护数据安全法",)),
        ("中国共产党某某工作条例", "中国共产党某某工作条例", ()),  # no state prefix invented for a party rule
        ("中华人民共和国湿地管理条例（修订草案）", "湿地管理条例", ("中华人民共和国湿地管理条例", "中华人民共和国湿地管理条例（修订草案）")),
        ("中华人民共和国和冰岛共和国司法协助条约", "中华人民共和国和冰岛共和国司法协助条约", ()),
        ("关于海洋塑料污染的维也纳公约", "关于海洋塑料污染的维也纳公约", ("维也纳公约",)),
    ],
)
def test_policy_canonical_names(name, canonical, alts):
    assert canonical_policy(name) == (canonical, alts)


@pytest.mark.parametrize(
    "text, expected",
    [("三个坚持", True), ("九位一体", True), ("一村一品", True), ("五统一、一开放", True), ("十强产业", True),
     ("一刀切", False), ("三无", False), ("一放了之", False), ("三八红旗手", False), ("十七五", False)],
)
def test_policy_numbered_shapes(text, expected):
    assert numbered(text) is expected


def test_policy_lexicon_helpers():
    assert five_year_plan("十七五") and not five_year_plan("十五")
    assert generic_document("指导意见") == "意见" and generic_document("湿地保护条例") == ""
    assert head_kind("某某法（草案）") == "Law" and head_kind("某某日报") == ""


@pytest.mark.parametrize("sentence, name, alts", [
    # a quoted name continued by 倡议 is one policy with the continued name as an other name
    ("积极参与共建“海上通道”倡议。", "海上通道", ("“海上通道”倡议",)),
    # a plan's outline is the plan
    ("编制“十七五”规划纲要。", "十七五规划", ("“十七五”规划纲要", "十七五")),
    # a name continued by 建设 is the same policy
    ("推动海洋命运共同体建设走深走实。", "海洋命运共同体", ("海洋命运共同体建设",)),
    # a law glued to its draft by the segmenter
    ("审议关于湿地保育法草案修改意见的报告。", "湿地保育法", ("中华人民共和国湿地保育法", "湿地保育法草案")),
])
def test_policy_continuations_are_one_policy(sentence, name, alts):
    got = {r.name: r.alts for r in _records(sentence) if isinstance(r, Mention)}
    assert name in got and set(alts) <= set(got[name])


@pytest.mark.parametrize("sentence, policies", [
    ("深入实施种苗振兴行动，推动产业发展。", ["种苗振兴行动"]),
    ("企业助力残疾人就业行动取得成效。", []),  # an action, not a campaign carried out
    ("中国面向全球开放共享高空观测工程。", []),  # a facility, not a programme
    ("各方要恪守联合国宪章。", ["联合国宪章"]),
    ("促进各国发展战略对接。", []),
    ("携手构建新时代中塔命运共同体。", ["中塔命运共同体"]),  # however LAC cuts the pair (中塔, 中|非, 中肯)
    ("携手构建新时代中非命运共同体。", ["中非命运共同体"]),
    ("全党开展深入贯彻中央八项规定精神学习教育。", ["深入贯彻中央八项规定精神学习教育"]),
    ("扎实开展学习贯彻某某思想主题教育。", ["学习贯彻某某思想主题教育"]),
])
def test_policy_campaigns_charters_and_kinds(sentence, policies):
    assert _names(sentence) == policies
