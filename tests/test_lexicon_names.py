"""Names a reader would accept: people and places in made-up sentences of state-news style."""

from __future__ import annotations

import pytest

from kg.extract.context import analyse
from kg.extract.nlp import ProvenWords
from kg.extract.place import place_name, place_spans
from kg.lexicon.names import (
    byline_source, is_transliteration, parse_authors, parse_credit, split_byline, split_title, title_glued,
)
from kg.lexicon.places import is_country_pair, is_pair_or_side, is_side
from kg.model import Article, Block


def _ctx(text: str):
    """The sentence as the pipeline reads it: LAC's words, the tagger's names in them."""
    return analyse(Article.build("t", "", (Block("paragraph", text, tuple(range(len(text)))),)), proven=ProvenWords())


def _people(text: str) -> list[str]:
    ctx = _ctx(text)
    return [text[s:e] for s, e in ctx.person_spans]


def _places(text: str) -> list[str]:
    ctx = _ctx(text)
    out = []
    for i, t in enumerate(ctx.tokens):
        if t.tag == "LOC" and not any(s < t.end and t.start < e for s, e in ctx.person_spans):
            out += [text[s:e] for s, e in place_spans(ctx.tokens, i)]
    return out


@pytest.mark.parametrize("text, absent", [
    ("向着新目标，奋楫再出发。", "奋楫"),
    ("向着新目标，奋楫扬帆再出发。", "奋楫扬帆"),
    ("广西蔗农喜获丰收。", "蔗农"),
    ("农民蔗农果农喜获丰收。", "蔗农果农"),
    ("冰雪旅游火爆，尔滨成为网红城市。", "尔滨"),
    ("中美双方同意加强沟通，美方表示欢迎。", "美方"),
    ("乌军称击落多架无人机，巴方对此表示谴责。", "乌军"),
    ("乌军称击落多架无人机，巴方对此表示谴责。", "巴方"),
    ("某国总统表示，韩中是近邻，两国关系源远流长。", "韩中"),
])
def test_lexicon_names_common_words_are_no_people(text, absent):
    assert absent not in _people(text)


@pytest.mark.parametrize("text, name", [
    ("会议委托李明副委员长作报告。", "李明"),
    ("张伟总书记主持会议。", "张伟"),
    ("某国总理内塔尼亚胡表示将继续行动。", "内塔尼亚胡"),
    ("某国外长易卜拉欣会见了中方代表。", "易卜拉欣"),
    ("全国政协副主席周华、帕巴拉·格列朗杰、张明出席。", "帕巴拉·格列朗杰"),
    ("某国总统卢拉·达席尔瓦、某国总统拉马福萨出席。", "卢拉·达席尔瓦"),
    ("某国总统卢拉·达席尔瓦、某国总统拉马福萨出席。", "拉马福萨"),
    ("某国总统托卡耶夫、某国总统扎帕罗夫出席。", "扎帕罗夫"),
    ("国务院副总理刘某某、马兴军、洛桑江村、苏梅出席了会议。", "洛桑江村"),
    ("某国总统埃尔多安同某国领导人会晤。", "埃尔多安"),
    ("副委员长咸辉出席。", "咸辉"),
    ("于这个问题，克林顿说，他将访问。", "克林顿"),
])
def test_lexicon_names_people_whole_and_without_title(text, name):
    people = _people(text)
    assert name in people
    assert not any(name != p and (name in p or p in name) for p in people)


@pytest.mark.parametrize("text, absent", [
    ("要加强团结协作，形成工作合力。", "团结协作"),
    ("安全责任重于泰山，必须抓细抓实。", "泰山"),
    ("某某同志遗体在京火化。", "京火化"),
    ("中美关系、中欧关系持续发展。", "中美"),
    ("中韩两国、日韩关系、印巴边境。", "日韩"),
    ("中韩两国、日韩关系、印巴边境。", "印巴"),
    ("推动中巴经济走廊建设。", "中巴经济"),
    ("推动高速公路建设。", "高速公路"),
    ("某国总理内塔尼亚胡表示。", "塔尼亚胡"),
])
def test_lexicon_names_generic_words_are_no_places(text, absent):
    assert absent not in _places(text)


@pytest.mark.parametrize("text, places", [
    ("习近平在北京人民大会堂同来访的某国总统举行会谈。", ["北京", "人民大会堂"]),
    ("代表团在上海市徐汇区考察。", ["上海市", "徐汇区"]),
    ("遗体在北京八宝山革命公墓火化。", ["北京", "八宝山革命公墓"]),
    ("某国总统抵达北京。", ["北京"]),
])
def test_lexicon_names_places_cut_from_glue(text, places):
    assert _places(text) == places


@pytest.mark.parametrize("word, pair, side", [
    ("中美", True, False), ("中俄", True, False), ("韩中", True, False), ("中吉乌", True, False),
    ("美方", False, True), ("俄军", False, True), ("日媒", False, True), ("中企", False, True),
    ("古巴", False, False), ("南非", False, False), ("中南海", False, False), ("张伟", False, False),
])
def test_lexicon_names_pairs_and_sides(word, pair, side):
    assert is_country_pair(word) is pair
    assert is_side(word) is side
    assert is_pair_or_side(word) is (pair or side)


@pytest.mark.parametrize("name, cut", [
    ("王某副委员长", ("王某", "副委员长")), ("某某总书记", ("某某", "总书记")), ("李建国同志", ("李建国", "同志")),
    ("李建国", ("李建国", "")),
])
def test_lexicon_names_split_title(name, cut):
    assert split_title(name) == cut


@pytest.mark.parametrize("name, following, k", [("王某副", "委员长", 1), ("张某总", "书记", 1), ("王某", "委员长", 0)])
def test_lexicon_names_title_glued(name, following, k):
    assert title_glued(name, following) == k


@pytest.mark.parametrize("name, translit", [
    ("马克龙", True), ("格列朗杰", True), ("帕巴拉·格列朗杰", True), ("奋楫", False), ("蔗农", False),
])
def test_lexicon_names_transliteration(name, translit):
    assert is_transliteration(name) is translit


@pytest.mark.parametrize("text, name", [
    ("某某市", "某某"), ("吉林市", "吉林市"), ("中华人民共和国", "中国"), ("山东省", "山东"), ("某某区", "某某区"),
])
def test_lexicon_names_place_name(text, name):
    assert place_name(text) == name


@pytest.mark.parametrize("line, names", [
    ("本报记者 张三 李四", ("张三", "李四")), ("方  颖", ("方颖",)), ("加强职业教育与培训", ()),
])
def test_lexicon_names_bylines_unchanged(line, names):
    assert parse_authors(line, page=True) == names


# ------------------------------------------------------------------ bylines: agencies apart from people


@pytest.mark.parametrize("value, page, people, agencies", [
    ("新华社记者 王建国 李晓东", False, ("王建国", "李晓东"), ("新华社",)),
    ("新华社记者王建国、李晓东", False, ("王建国", "李晓东"), ("新华社",)),
    ("本报记者 张三", False, ("张三",), ("本报",)),
    ("本报记者 张三 通讯员 李四", False, ("张三", "李四"), ("本报",)),
    ("中新社记者 赵某", False, ("赵某",), ("中新社",)),
    ("央视记者 钱某某", False, ("钱某某",), ("央视",)),
    ("某某日报记者 孙某", False, ("孙某",), ("某某日报",)),
    ("本报记者 张三、某某晚报记者 李四", False, ("张三", "李四"), ("本报", "某某晚报")),
    (["新华社记者 周某", "吴某某"], False, ("周某", "吴某某"), ("新华社",)),
    ("新华社", False, (), ("新华社",)),
    ("记者 郑某 实习生 王某某", False, ("郑某", "王某某"), ()),
    ("方  颖", False, ("方颖",), ()),
    ("新华社记者 王建国 李晓东", True, ("王建国", "李晓东"), ("新华社",)),
    ("■本报特约记者 陈某某", True, ("陈某某",), ("本报",)),
    ("某省日报记者 刘某", True, ("刘某",), ("某省日报",)),
    ("本报记者 张三 李四", True, ("张三", "李四"), ("本报",)),
    ("新华社记者", True, (), ()),  # a credit with no names is no byline
    ("加强职业教育与培训", True, (), ()),
])
def test_lexicon_names_byline_agencies_apart_from_people(value, page, people, agencies):
    byline = split_byline(value, page=page)
    assert (byline.people, byline.agencies) == (people, agencies)
    assert parse_authors(value, page=page) == people
    assert not any("记者" in p or "社" in p for p in byline.people)


@pytest.mark.parametrize("value, source", [
    ("新华社记者 王建国", "新华通讯社"), ("本报记者 张三", ""), ("本报记者 张三 中新社记者 李四", "中新社"), ("方  颖", ""),
])
def test_lexicon_names_byline_source_is_the_first_agency_not_the_paper_itself(value, source):
    assert byline_source(split_byline(value)) == source


DATELINES = [
    # text, people, agencies
    ("本报某地2月6日电（记者申某）会议召开。", ["申某"], ["本报"]),
    ("本报北京3月1日电（记者 王建国 李晓东）近日，某市召开大会。", ["王建国", "李晓东"], ["本报"]),
    ("新华社北京6月30日电（记者王建国、李晓东）国务院近日印发通知。", ["王建国", "李晓东"], ["新华社"]),
    ("新华社某地7月1日电  日前，某部门印发方案。", [], ["新华社"]),
    ("新华社华盛顿12月3日电 据报道，某国宣布。", [], ["新华社"]),
    ("新华社北京电 某会议在京召开。", [], ["新华社"]),
    ("（记者 赵某某）近日，某县举行活动。", ["赵某某"], []),
    ("(记者 赵某某) 近日，某县举行活动。", ["赵某某"], []),
    ("本报讯（记者 张三 通讯员 李四）某厂投产。", ["张三", "李四"], ["本报"]),
    ("本报讯（记者 方  颖）某厂投产。", ["方颖"], ["本报"]),
    ("本报讯 近日，某厂投产。", [], ["本报"]),
    ("中新社某地5月1日电（记者 钱某）某展开幕。", ["钱某"], ["中新社"]),
    ("某某日报某地5月1日电（记者 孙某 报道）某展开幕。", ["孙某"], ["某某日报"]),
    ("本报某地6月1日电（新华社记者 周某）", ["周某"], ["本报", "新华社"]),
]


@pytest.mark.parametrize("text, people, agencies", DATELINES)
def test_lexicon_names_dateline_credits_with_exact_spans(text, people, agencies):
    credit = parse_credit(text)
    assert credit is not None
    assert [p for p, _, _ in credit.people] == people
    assert [a for a, _, _ in credit.agencies] == agencies
    for name, s, e in credit.people + credit.agencies:
        assert text[s:e].replace(" ", "") == name and text[s] != " " and text[e - 1] != " "
    assert 0 <= credit.start < credit.end <= len(text)
    assert all(credit.start <= s and e <= credit.end for _, s, e in credit.people + credit.agencies)


@pytest.mark.parametrize("text", [
    "会议指出，要加强团结协作。",
    "本报电视节目单如下。",  # 本报 + 电 with no date, not followed by a space or bracket
    "（记者 张三 摄）",  # a photo credit
    "（完）",
    "（以下简称《方案》）要求，各地落实。",
    "某市召开大会（记者 张三）",  # not at the head
    "某某公司北京电",  # no agency
    "记者从某部门获悉，某项工作启动。",
])
def test_lexicon_names_no_credit_where_there_is_none(text):
    assert parse_credit(text) is None
